//! Turns a [`Receipt`] into what a given printer needs: ESC/POS bytes, or a preview image of the
//! paper (1 pixel per dot) for `printer render --out x.png`.
//!
//! Both go through the same plan, so the preview shows the choices the bytes make: each paragraph
//! is either text in a code page the profile has (cheap: one byte a letter) or, when no code page
//! fits (Arabic, Ukrainian on a printer without CP1251…), a raster image drawn with our fonts.
//! The QR code is native `GS ( k` when the profile has it, a raster image otherwise.

use image::{GrayImage, Luma};

use super::escpos::{Align, Encoder, QrErrorCorrection};
use super::profile::{Cutter, Profile};
use super::raster::{Bitmap, TextAlign, TextRenderer, TextStyle, is_rtl_char, qr_bitmap};
use super::receipt::{Block, Receipt};

/// Font A: 12×24 dots per character; the default line spacing is 30 dots.
const CELL_WIDTH: usize = 12;
const LINE_DOTS: usize = 30;
/// Lines fed after the last one so the end of the receipt clears the cutter (or tear bar).
const TRAILING_FEED_LINES: u8 = 4;

/// Explicit directional formatting characters (embeddings, overrides, isolates).
const BIDI_CONTROLS: [char; 9] = [
    '\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}', '\u{2066}', '\u{2067}', '\u{2068}',
    '\u{2069}',
];

/// A step of the plan.
#[derive(Debug, Clone)]
enum Op {
    /// Lines of text in a code page.
    Text {
        /// `ESC t` number.
        page: u8,
        /// Each line as text (for the preview) and as code-page bytes.
        lines: Vec<(String, Vec<u8>)>,
        bold: bool,
        scale: u8,
        align: Align,
    },
    /// A raster image.
    Image { image: Bitmap, align: Align },
    /// A native QR code.
    Qr { payload: String, module_dots: u8 },
    /// Blank lines.
    Feed(u8),
    /// A dashed line across the paper (sent as a line of `-`).
    Rule,
}

fn plan(receipt: &Receipt, profile: &Profile, fonts: &mut TextRenderer) -> Vec<Op> {
    let mut ops = Vec::new();
    for block in &receipt.blocks {
        match block {
            Block::Text {
                text,
                bold,
                large,
                align,
            } => ops.push(plan_text(text, *bold, *large, *align, profile, fonts)),
            Block::Rule => ops.push(Op::Rule),
            Block::Feed(n) => ops.push(Op::Feed(*n)),
            Block::Qr(payload) => {
                if profile.native_qr
                    && !payload.is_empty()
                    && payload.len() <= super::escpos::QR_MAX_DATA
                {
                    ops.push(Op::Qr {
                        payload: payload.clone(),
                        module_dots: profile.qr_module_dots,
                    });
                } else if let Some(image) =
                    qr_bitmap(payload.as_bytes(), usize::from(profile.qr_module_dots))
                {
                    ops.push(Op::Image {
                        image,
                        align: Align::Center,
                    });
                }
            }
        }
    }
    ops
}

fn plan_text(
    text: &str,
    bold: bool,
    large: bool,
    align: TextAlign,
    profile: &Profile,
    fonts: &mut TextRenderer,
) -> Op {
    let scale: u8 = if large { 2 } else { 1 };
    // Bidi isolation marks (from Fluent placeables) only matter to a bidi layout; no code page has
    // them.
    let plain = text.replace(BIDI_CONTROLS, "");
    // Right-to-left text is never sent as code-page text: printers neither reorder nor shape it.
    let encoded = if plain.chars().any(is_rtl_char) {
        None
    } else {
        profile.encode(&plain)
    };
    match encoded {
        Some((_, page, _)) => {
            let columns = (profile.columns / usize::from(scale)).max(1);
            let lines = wrap(&plain, columns)
                .into_iter()
                .filter_map(|line| {
                    // Wrapping only splits at spaces, so each piece encodes like the whole did.
                    let bytes = profile.encode(&line).map(|(_, _, b)| b)?;
                    Some((line, bytes))
                })
                .collect();
            Op::Text {
                page,
                lines,
                bold,
                scale,
                align: match align {
                    TextAlign::Start => Align::Left,
                    TextAlign::Center => Align::Center,
                },
            }
        }
        None => {
            let style = TextStyle {
                px: profile.raster_text_px * f32::from(scale),
                bold,
                align,
            };
            trimmed_text_image(fonts.render(text, &style, profile.width_dots), text, align)
        }
    }
}

/// Blank dots still cost bytes on the wire (a full-width row is 72 bytes), so a drawn paragraph
/// is cut down to its ink, whole bytes wide, with a little air above and below; `ESC a` then puts
/// it back where the layout had it.
fn trimmed_text_image(image: Bitmap, text: &str, align: TextAlign) -> Op {
    const AIR: usize = 6;
    let (Some((left, right)), Some((top, bottom))) = (image.ink_columns(), image.ink_rows()) else {
        return Op::Feed(1);
    };
    let x0 = left / 8 * 8;
    let x1 = (right / 8 + 1) * 8;
    let y0 = top.saturating_sub(AIR);
    let y1 = bottom + 1 + AIR;
    let first_strong_is_rtl = text
        .chars()
        .find(|c| c.is_alphabetic())
        .is_some_and(is_rtl_char);
    let align = match align {
        TextAlign::Center => Align::Center,
        TextAlign::Start if first_strong_is_rtl => Align::Right,
        TextAlign::Start => Align::Left,
    };
    Op::Image {
        image: image.crop(x0, y0, x1 - x0, y1 - y0),
        align,
    }
}

/// Greedy word wrap to `columns` characters; words longer than a line are split.
pub fn wrap(text: &str, columns: usize) -> Vec<String> {
    let columns = columns.max(1);
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let mut word: Vec<char> = word.chars().collect();
        loop {
            let used = line.chars().count();
            let room = if used == 0 {
                columns
            } else {
                columns - used - 1
            };
            if word.len() <= room {
                if used > 0 {
                    line.push(' ');
                }
                line.extend(word.iter());
                break;
            }
            if used > 0 {
                lines.push(std::mem::take(&mut line));
                continue;
            }
            let rest = word.split_off(columns);
            lines.push(word.iter().collect());
            word = rest;
        }
        if line.chars().count() >= columns {
            lines.push(std::mem::take(&mut line));
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// The exact bytes to send for `receipt` on a printer of `profile`.
pub fn encode(receipt: &Receipt, profile: &Profile, fonts: &mut TextRenderer) -> Vec<u8> {
    let mut e = Encoder::new();
    e.init();
    let mut page = None;
    for op in plan(receipt, profile, fonts) {
        match op {
            Op::Text {
                page: n,
                lines,
                bold,
                scale,
                align,
            } => {
                if page != Some(n) {
                    e.code_page(n);
                    page = Some(n);
                }
                e.align(align);
                if bold {
                    e.bold(true);
                }
                if scale > 1 {
                    e.size(scale, scale);
                }
                for (_, bytes) in &lines {
                    e.text(bytes).line_feed();
                }
                if scale > 1 {
                    e.size(1, 1);
                }
                if bold {
                    e.bold(false);
                }
            }
            Op::Image { image, align } => {
                e.align(align).raster(&image);
            }
            Op::Qr {
                payload,
                module_dots,
            } => {
                e.align(Align::Center);
                // The plan only chose native QR for a payload the command can carry.
                let _ = e.qr(payload.as_bytes(), module_dots, QrErrorCorrection::M);
                e.line_feed();
            }
            Op::Feed(n) => {
                e.feed_lines(n);
            }
            Op::Rule => {
                // ASCII: every code page has `-`, so the current one will do.
                e.align(Align::Left)
                    .text("-".repeat(profile.columns).as_bytes())
                    .line_feed();
            }
        }
    }
    e.align(Align::Left).feed_lines(TRAILING_FEED_LINES);
    if profile.cutter == Cutter::Partial {
        e.cut(true);
    }
    e.into_bytes()
}

/// What the paper would look like: white background, black dots, 1 pixel per dot.
pub fn preview(receipt: &Receipt, profile: &Profile, fonts: &mut TextRenderer) -> GrayImage {
    let width = profile.width_dots;
    // Each piece as an image and its placement, then stacked.
    let mut pieces: Vec<(Bitmap, usize)> = Vec::new();
    for op in plan(receipt, profile, fonts) {
        match op {
            Op::Text {
                lines,
                bold,
                scale,
                align,
                ..
            } => {
                let s = usize::from(scale);
                // Our font stands in for the printer's font A; the position of each line
                // follows the printer's fixed cell width, as ESC a would place it.
                let style = TextStyle {
                    px: 21.0 * f32::from(scale),
                    bold,
                    align: TextAlign::Start,
                };
                for (line, _) in lines {
                    let glyphs = fonts.render(&line, &style, width);
                    let ink = glyphs.ink_columns().map_or(0, |(l, r)| r + 1 - l.min(r));
                    let shift = match align {
                        Align::Left => 0,
                        Align::Center => width.saturating_sub(ink) / 2,
                        Align::Right => width.saturating_sub(ink),
                    };
                    let left = glyphs.ink_columns().map_or(0, |(l, _)| l);
                    let mut row = Bitmap::new(width, (LINE_DOTS - 6) * s + 6);
                    for y in 0..glyphs.height().min(row.height()) {
                        for x in left..width {
                            if glyphs.get(x, y) {
                                row.set(x - left + shift, y);
                            }
                        }
                    }
                    pieces.push((row, 0));
                }
            }
            Op::Image { image, align } => {
                let x = match align {
                    Align::Left => 0,
                    Align::Center => width.saturating_sub(image.width_bytes() * 8) / 2,
                    Align::Right => width.saturating_sub(image.width_bytes() * 8),
                };
                pieces.push((image, x));
            }
            Op::Qr {
                payload,
                module_dots,
            } => {
                if let Some(image) = qr_bitmap(payload.as_bytes(), usize::from(module_dots)) {
                    let x = width.saturating_sub(image.width()) / 2;
                    pieces.push((image, x));
                }
            }
            Op::Feed(n) => pieces.push((Bitmap::new(width, usize::from(n) * LINE_DOTS), 0)),
            Op::Rule => {
                let mut rule = Bitmap::new(width, LINE_DOTS);
                for x in (0..width).filter(|x| x % CELL_WIDTH < CELL_WIDTH - 4) {
                    for y in 12..14 {
                        rule.set(x, y);
                    }
                }
                pieces.push((rule, 0));
            }
        }
    }
    pieces.push((
        Bitmap::new(width, usize::from(TRAILING_FEED_LINES) * LINE_DOTS),
        0,
    ));
    let margin = 16;
    let height = pieces.iter().map(|(b, _)| b.height()).sum::<usize>() + 2 * margin;
    let mut out = GrayImage::from_pixel(width as u32, height as u32, Luma([255]));
    let mut y = margin;
    for (piece, x) in &pieces {
        for py in 0..piece.height() {
            for px in 0..piece.width() {
                if piece.get(px, py) && x + px < width {
                    out.put_pixel((x + px) as u32, (y + py) as u32, Luma([0]));
                }
            }
        }
        y += piece.height();
    }
    if profile.cutter == Cutter::Partial {
        // Where the cutter leaves its mark.
        for px in (0..width).filter(|px| px % 12 < 6) {
            out.put_pixel(px as u32, (height - 2) as u32, Luma([128]));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn receipt(text: &str) -> Receipt {
        Receipt {
            blocks: vec![
                Block::Text {
                    text: text.into(),
                    bold: true,
                    large: false,
                    align: TextAlign::Center,
                },
                Block::Qr("REF-1".into()),
            ],
        }
    }

    #[test]
    fn wrap_splits_at_spaces_and_cuts_long_words() {
        assert_eq!(wrap("aa bb cc", 5), ["aa bb", "cc"]);
        assert_eq!(wrap("abcdefgh", 3), ["abc", "def", "gh"]);
        assert_eq!(wrap("  ", 3), Vec::<String>::new());
        for line in wrap(&"word ".repeat(40), 48) {
            assert!(line.chars().count() <= 48);
        }
    }

    #[test]
    fn latin_text_goes_as_code_page_text_with_native_qr() {
        let mut fonts = TextRenderer::new();
        let profile = Profile::named("default").unwrap();
        let bytes = encode(&receipt("Zgłoszenie"), profile, &mut fonts);
        // CP852 is ESC t 18; ł is 0x88 there.
        assert!(bytes.windows(3).any(|w| w == [0x1B, b't', 18]));
        assert!(bytes.windows(3).any(|w| w == [b'Z', b'g', 0x88]));
        assert!(bytes.windows(3).any(|w| w == [0x1D, b'(', b'k']));
        assert!(!bytes.windows(3).any(|w| w == [0x1D, b'v', b'0']));
        assert!(bytes.ends_with(&[0x1D, b'V', 1]));
    }

    #[test]
    fn arabic_and_missing_qr_support_become_raster() {
        let mut fonts = TextRenderer::new();
        let profile = Profile::named("zj-5870").unwrap();
        let bytes = encode(&receipt("تم استلام طلبك"), profile, &mut fonts);
        let rasters = bytes
            .windows(3)
            .filter(|w| *w == [0x1D, b'v', b'0'])
            .count();
        assert_eq!(rasters, 2, "the Arabic line and the QR code");
        assert!(!bytes.windows(3).any(|w| w == [0x1D, b'(', b'k']));
        assert!(!bytes.windows(2).any(|w| w == [0x1D, b'V']), "no cutter");
    }

    #[test]
    fn preview_is_one_pixel_per_dot_with_ink() {
        let mut fonts = TextRenderer::new();
        let profile = Profile::named("default").unwrap();
        let img = preview(&receipt("Hello"), profile, &mut fonts);
        assert_eq!(img.width(), 576);
        let black = img.pixels().filter(|p| p.0[0] == 0).count();
        assert!(black > 1000, "{black}");
    }
}
