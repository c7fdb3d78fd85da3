//! Turns a [`Receipt`] into what a given printer needs: ESC/POS bytes, or a preview image of the
//! paper (1 pixel per dot) for `printer render --out x.png`.
//!
//! Both go through the same plan, so the preview shows the choices the bytes make: each paragraph
//! is either text in a code page the profile has (cheap: one byte a letter) or, when no code page
//! holds it, a raster image drawn with our fonts. Right-to-left paragraphs (Arabic, Hebrew) go as
//! text too when a code page holds their shaped letters (CP864 for Arabic, CP862 for Hebrew):
//! [`visual`](super::visual) shapes them, wraps them and puts each line in the left-to-right
//! order the printer prints in. Otherwise (no such code page, or a letter it lacks) they are drawn.
//!
//! Where raster remains it is made cheap: `GS v 0` (of the image commands escpos-printer-db lists
//! — raster, column `ESC *`, graphics `GS ( L` — none compresses, and raster has the smallest
//! header), each line of a drawn paragraph cut to its own ink, and the QR code at the smallest
//! module that still scans after a thermal print and a phone's photo (4 dots at 203 dpi, see
//! `profile::QR_MIN_MODULE_UM`), sent in `GS v 0`'s quadruple mode (2 dots a module, each
//! printed 2 × 2: a quarter of the bytes, the same dots on paper) and without its quiet zone:
//! the blank paper around it (a line fed above and below, the margins beside) is the quiet zone,
//! at no byte cost. The QR code is native `GS ( k` when the profile has it. Blank rows inside and
//! around drawn lines (the line spacing, the air above and below) are not sent as zero bytes but
//! fed with `ESC J` in dots, wherever a feed and a new image header cost less than the rows: on
//! Epson-class printers after `GS P` set the motion unit to one dot (their default differs by
//! model), on the ZJ / POS-58 family without it (their `ESC J` is in dots; see
//! `profile::FeedUnit`). Large drawn text is not sent in quadruple mode: drawn at half size and
//! doubled, Arabic's dots and thin strokes blur into blocks (looked at, and left).

use image::{GrayImage, Luma};

use super::escpos::{Align, Encoder, QrErrorCorrection, RasterMode, feeds_blank_rows};
use super::profile::{Cutter, FeedUnit, Profile};
use super::raster::{Bitmap, TextAlign, TextRenderer, TextStyle, is_rtl_char, qr_bitmap};
use super::receipt::{Block, Receipt};
use super::visual::{self, BIDI_CONTROLS};

/// Font A: 12×24 dots per character; the default line spacing is 30 dots.
const CELL_WIDTH: usize = 12;
const LINE_DOTS: usize = 30;
/// Lines fed after the last one so the end of the receipt clears the cutter (or tear bar).
const TRAILING_FEED_LINES: u8 = 4;
/// Blank rows kept above and below each drawn line, so drawn lines are spaced like printed ones.
const AIR: usize = 3;

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
        /// The lines are shaped and in visual order (right-to-left text): the preview must draw
        /// them left to right as they are, like the printer.
        visual: bool,
    },
    /// A raster image; `quadruple`: each of its dots printed as 2 × 2 (`GS v 0` m = 3).
    Image {
        image: Bitmap,
        align: Align,
        quadruple: bool,
    },
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
            } => ops.extend(plan_text(text, *bold, *large, *align, profile, fonts)),
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
                } else if let Some((image, quadruple)) = raster_qr(payload, profile) {
                    // The quiet zone (4 modules, 16 dots at 203 dpi) is blank paper: a fed line
                    // (30 dots) above and below, never sent as white pixels.
                    if !matches!(ops.last(), Some(Op::Feed(_))) {
                        ops.push(Op::Feed(1));
                    }
                    ops.push(Op::Image {
                        image,
                        align: Align::Center,
                        quadruple,
                    });
                    ops.push(Op::Feed(1));
                }
            }
        }
    }
    ops
}

/// The QR code as an image for a printer without native QR: at the profile's raster module
/// size, sent at half of it each way in quadruple mode when the size is even (every module is
/// then whole 2 × 2 dots).
fn raster_qr(payload: &str, profile: &Profile) -> Option<(Bitmap, bool)> {
    let module = profile.raster_qr_module_dots();
    let quadruple = profile.raster_quadruple && module.is_multiple_of(2);
    let sent_module = if quadruple { module / 2 } else { module };
    qr_bitmap(payload.as_bytes(), sent_module, 0).map(|image| (image, quadruple))
}

fn printer_align(align: TextAlign, rtl: bool) -> Align {
    match align {
        TextAlign::Center => Align::Center,
        TextAlign::Start if rtl => Align::Right,
        TextAlign::Start => Align::Left,
    }
}

fn plan_text(
    text: &str,
    bold: bool,
    large: bool,
    align: TextAlign,
    profile: &Profile,
    fonts: &mut TextRenderer,
) -> Vec<Op> {
    let scale: u8 = if large { 2 } else { 1 };
    let columns = (profile.columns / usize::from(scale)).max(1);
    let text_op = |page: u8, lines: Vec<(String, Vec<u8>)>, rtl: bool, visual: bool| Op::Text {
        page,
        lines,
        bold,
        scale,
        align: printer_align(align, rtl),
        visual,
    };
    if visual::has_rtl(text) {
        // Shaped, wrapped and reordered once. The code page holding the most lines takes them;
        // a line it cannot hold (a letter it lacks) is drawn on its own, not the whole paragraph.
        let paragraph = visual::visual_paragraph(text, columns);
        // (Reversed so that, of pages holding as many lines, the first preferred one wins.)
        let best = profile
            .code_pages
            .iter()
            .rev()
            .map(|&(cp, n)| {
                let encoded: Vec<Option<Vec<u8>>> = paragraph
                    .lines
                    .iter()
                    .map(|line| cp.encode_shaped(line))
                    .collect();
                (n, encoded)
            })
            .max_by_key(|(_, encoded)| encoded.iter().filter(|e| e.is_some()).count())
            // Only a page that holds right-to-left lines is worth splitting the paragraph for;
            // otherwise it is drawn whole, wrapped to the paper's width rather than to columns.
            .filter(|(_, encoded)| {
                encoded
                    .iter()
                    .zip(&paragraph.lines)
                    .any(|(e, line)| e.is_some() && visual::has_rtl(line))
            });
        if let Some((page, encoded)) = best {
            let mut ops = Vec::new();
            let mut run: Vec<(String, Vec<u8>)> = Vec::new();
            for ((line, logical), bytes) in
                paragraph.lines.iter().zip(&paragraph.logical).zip(encoded)
            {
                match bytes {
                    Some(bytes) => run.push((line.clone(), bytes)),
                    None => {
                        if !run.is_empty() {
                            ops.push(text_op(page, std::mem::take(&mut run), paragraph.rtl, true));
                        }
                        let style = TextStyle {
                            px: drawn_px(profile, scale),
                            bold,
                            align,
                        };
                        ops.extend(drawn_lines(
                            fonts.render(logical, &style, profile.width_dots),
                            logical,
                            &style,
                        ));
                    }
                }
            }
            if !run.is_empty() {
                ops.push(text_op(page, run, paragraph.rtl, true));
            }
            return ops;
        }
    } else {
        // Bidi isolation marks (from Fluent placeables) only matter to a bidi layout.
        let plain = text.replace(BIDI_CONTROLS, "");
        if let Some((cp, page, _)) = profile.encode(&plain) {
            // Wrapping only splits at spaces, so each piece encodes in the paragraph's page.
            let lines: Option<Vec<(String, Vec<u8>)>> = wrap(&plain, columns)
                .into_iter()
                .map(|line| {
                    let bytes = cp.encode(&line)?;
                    Some((line, bytes))
                })
                .collect();
            if let Some(lines) = lines {
                return vec![text_op(page, lines, false, false)];
            }
        }
    }
    let style = TextStyle {
        px: drawn_px(profile, scale),
        bold,
        align,
    };
    drawn_lines(fonts.render(text, &style, profile.width_dots), text, &style)
}

/// Font size of drawn text: the printer's own size for body text; for large text 1.3 times (not
/// the 2 times of `GS !`): clearly larger, at under half the dots of double size.
fn drawn_px(profile: &Profile, scale: u8) -> f32 {
    if scale > 1 {
        profile.raster_text_px * 1.3
    } else {
        profile.raster_text_px
    }
}

/// A drawn paragraph as one image per line, each cut to its own ink (whole bytes wide) with a
/// little air above and below: blank dots cost bytes on the wire (a full-width row is 72 bytes),
/// and a short last line needs none of the width of the first. `ESC a` puts each line back where
/// the layout had it (start = right for right-to-left text).
fn drawn_lines(image: Bitmap, text: &str, style: &TextStyle) -> Vec<Op> {
    let first_strong_is_rtl = text
        .chars()
        .find(|c| c.is_alphabetic())
        .is_some_and(is_rtl_char);
    let align = printer_align(style.align, first_strong_is_rtl);
    // A band much shorter than a letter is a mark (dots, hamza) of the line next to it.
    let bands = ink_bands(&image, (style.px * 0.45) as usize);
    if bands.is_empty() {
        return vec![Op::Feed(1)];
    }
    let mut ops = Vec::with_capacity(bands.len());
    let mut covered = 0;
    for (i, &(top, bottom)) in bands.iter().enumerate() {
        // Each band starts where the previous one ended (its blank rows are the line spacing),
        // except the first, which gets only a little air.
        let y0 = if i == 0 {
            top.saturating_sub(AIR)
        } else {
            covered
        };
        let y1 = if i + 1 == bands.len() {
            (bottom + 1 + AIR).min(image.height())
        } else {
            bottom + 1
        };
        covered = y1;
        let band = image.crop(0, y0, image.width(), y1 - y0);
        let Some((left, right)) = band.ink_columns() else {
            continue;
        };
        let x0 = left / 8 * 8;
        let x1 = ((right / 8 + 1) * 8).min(image.width().div_ceil(8) * 8);
        ops.push(Op::Image {
            image: band.crop(x0, 0, x1 - x0, band.height()),
            align,
            quadruple: false,
        });
    }
    ops
}

/// Row ranges (inclusive) of ink separated by blank rows: one per drawn line, or fewer where
/// marks above and below Arabic letters join two lines. Bands shorter than `min_rows`, or closer
/// than two rows, belong to their neighbour.
fn ink_bands(image: &Bitmap, min_rows: usize) -> Vec<(usize, usize)> {
    let mut merged: Vec<(usize, usize)> = Vec::new();
    for band in ink_runs(image) {
        match merged.last_mut() {
            Some(last)
                if band.0 - last.1 <= 2
                    || band.1 - band.0 + 1 < min_rows
                    || last.1 - last.0 + 1 < min_rows =>
            {
                last.1 = band.1;
            }
            _ => merged.push(band),
        }
    }
    merged
}

fn ink_runs(image: &Bitmap) -> Vec<(usize, usize)> {
    let mut bands = Vec::new();
    let mut start = None;
    for y in 0..image.height() {
        let ink = image.row_has_ink(y);
        match (ink, start) {
            (true, None) => start = Some(y),
            (false, Some(s)) => {
                bands.push((s, y - 1));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        bands.push((s, image.height() - 1));
    }
    bands
}

/// Greedy word wrap to `columns` characters, as byte ranges of `text` (each from the start of
/// its first word to the end of its last); words longer than a line are split.
pub fn wrap_ranges(text: &str, columns: usize) -> Vec<std::ops::Range<usize>> {
    let columns = columns.max(1);
    let mut lines = Vec::new();
    // The line being filled: its start and end byte, and its width in characters.
    let mut line: Option<(usize, usize, usize)> = None;
    let mut words = Vec::new();
    let mut word_start = None;
    for (i, c) in text.char_indices() {
        match (c.is_whitespace(), word_start) {
            (false, None) => word_start = Some(i),
            (true, Some(s)) => {
                words.push(s..i);
                word_start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = word_start {
        words.push(s..text.len());
    }
    for word in words {
        let mut rest = word;
        while !rest.is_empty() {
            let word_chars = text[rest.clone()].chars().count();
            if let Some((start, end, width)) = line {
                let gap = text[end..rest.start].chars().count();
                if width + gap + word_chars <= columns {
                    line = Some((start, rest.end, width + gap + word_chars));
                    rest = rest.end..rest.end;
                    continue;
                }
                lines.push(start..end);
                line = None;
                continue;
            }
            if word_chars <= columns {
                line = Some((rest.start, rest.end, word_chars));
                rest = rest.end..rest.end;
            } else {
                let cut = text[rest.clone()]
                    .char_indices()
                    .nth(columns)
                    .map_or(rest.end, |(i, _)| rest.start + i);
                lines.push(rest.start..cut);
                rest = cut..rest.end;
            }
        }
        if let Some((start, end, width)) = line
            && width >= columns
        {
            lines.push(start..end);
            line = None;
        }
    }
    if let Some((start, end, _)) = line {
        lines.push(start..end);
    }
    lines
}

/// Greedy word wrap to `columns` characters; words longer than a line are split.
pub fn wrap(text: &str, columns: usize) -> Vec<String> {
    wrap_ranges(text, columns)
        .into_iter()
        .map(|r| text[r].split_whitespace().collect::<Vec<_>>().join(" "))
        .collect()
}

/// The exact bytes to send for `receipt` on a printer of `profile`.
pub fn encode(receipt: &Receipt, profile: &Profile, fonts: &mut TextRenderer) -> Vec<u8> {
    encode_with(receipt, profile, fonts, BlankRows::Feed)
}

/// How blank rows of raster images go to the printer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlankRows {
    /// Fed with `ESC J` (motion units set to the profile's dpi once, with `GS P`) wherever that
    /// is shorter than sending them: what receipts use.
    Feed,
    /// Sent as zero bytes inside the image (what receipts did before; kept for the benchmark).
    Send,
}

/// [`encode`], choosing how blank raster rows are sent.
pub fn encode_with(
    receipt: &Receipt,
    profile: &Profile,
    fonts: &mut TextRenderer,
    blank_rows: BlankRows,
) -> Vec<u8> {
    let mut e = Styled::new();
    let ops = plan(receipt, profile, fonts);
    if blank_rows == BlankRows::Feed
        && profile.feed_unit == FeedUnit::SetByGsP
        && ops.iter().any(
            |op| matches!(op, Op::Image { image, quadruple: false, .. } if feeds_blank_rows(image)),
        )
    {
        // `ESC J n` then feeds exactly n dots.
        e.out.motion_units(profile.dpi);
    }
    for op in ops {
        match op {
            Op::Text {
                page,
                lines,
                bold,
                scale,
                align,
                ..
            } => {
                e.page(page);
                e.align(align);
                e.bold(bold);
                e.size(scale, scale);
                for (_, bytes) in &lines {
                    e.out.text(bytes).line_feed();
                }
            }
            Op::Image {
                image,
                align,
                quadruple: true,
            } => {
                e.align(align);
                e.out.raster_in(&image, RasterMode::Quadruple);
            }
            Op::Image { image, align, .. } => {
                e.align(align);
                match blank_rows {
                    BlankRows::Feed => {
                        e.out.raster_feeding_blank_rows(&image);
                    }
                    BlankRows::Send => {
                        e.out.raster(&image);
                    }
                }
            }
            Op::Qr {
                payload,
                module_dots,
            } => {
                e.align(Align::Center);
                // The plan only chose native QR for a payload the command can carry.
                let _ = e
                    .out
                    .qr(payload.as_bytes(), module_dots, QrErrorCorrection::M);
                e.out.line_feed();
            }
            Op::Feed(n) => {
                e.out.feed_lines(n);
            }
            Op::Rule => {
                // Double-width dashes: the same line across the paper for half the bytes. ASCII:
                // every code page has `-`, so the current one will do.
                e.align(Align::Left);
                e.bold(false);
                e.size(2, 1);
                e.out
                    .text("-".repeat(profile.columns / 2).as_bytes())
                    .line_feed();
            }
        }
    }
    e.align(Align::Left);
    e.out.feed_lines(TRAILING_FEED_LINES);
    if profile.cutter == Cutter::Partial {
        e.out.cut(true);
    }
    e.out.into_bytes()
}

/// The encoder with the printer's current style, so a command is sent only when it changes
/// something (every byte is wire time at 9600 baud).
struct Styled {
    out: Encoder,
    page: u8,
    align: Align,
    bold: bool,
    size: (u8, u8),
}

impl Styled {
    /// After `ESC @`: code table 0, left, not bold, normal size.
    fn new() -> Styled {
        let mut out = Encoder::new();
        out.init();
        Styled {
            out,
            page: 0,
            align: Align::Left,
            bold: false,
            size: (1, 1),
        }
    }

    fn page(&mut self, n: u8) {
        if self.page != n {
            self.out.code_page(n);
            self.page = n;
        }
    }

    fn align(&mut self, align: Align) {
        if self.align != align {
            self.out.align(align);
            self.align = align;
        }
    }

    fn bold(&mut self, bold: bool) {
        if self.bold != bold {
            self.out.bold(bold);
            self.bold = bold;
        }
    }

    fn size(&mut self, width: u8, height: u8) {
        if self.size != (width, height) {
            self.out.size(width, height);
            self.size = (width, height);
        }
    }
}

/// `image` cut to its ink and, if wider than `max_width`, narrowed to it (nearest neighbour).
fn squeeze_to(image: &Bitmap, max_width: usize) -> Bitmap {
    let Some((left, right)) = image.ink_columns() else {
        return image.clone();
    };
    let ink = image.crop(left, 0, right + 1 - left, image.height());
    if ink.width() <= max_width || max_width == 0 {
        return ink;
    }
    let mut out = Bitmap::new(max_width, ink.height());
    for y in 0..ink.height() {
        for x in 0..max_width {
            if ink.get(x * ink.width() / max_width, y) {
                out.set(x, y);
            }
        }
    }
    out
}

/// `image` with each dot as 2 × 2: what quadruple raster prints.
fn doubled(image: &Bitmap) -> Bitmap {
    // The printer takes whole bytes of the row, each dot doubled.
    let mut out = Bitmap::new(image.width_bytes() * 16, image.height() * 2);
    for y in 0..out.height() {
        for x in 0..out.width() {
            if image.get(x / 2, y / 2) {
                out.set(x, y);
            }
        }
    }
    out
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
                visual,
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
                    // A visual line is drawn as the printer prints it: its characters (already
                    // shaped presentation forms) left to right, with no reordering (LRO … PDF).
                    let cells = line.chars().count() * CELL_WIDTH * s;
                    let shown = if visual {
                        format!("\u{202D}{line}\u{202C}")
                    } else {
                        line
                    };
                    let mut glyphs = fonts.render(&shown, &style, width * 2);
                    if visual {
                        // The printer gives each character a 12-dot cell: squeeze our
                        // proportional drawing into the width the printer's line takes.
                        glyphs = squeeze_to(&glyphs, cells.min(width));
                    }
                    let ink = glyphs.ink_columns().map_or(0, |(l, r)| r + 1 - l.min(r));
                    let shift = match align {
                        Align::Left => 0,
                        Align::Center => width.saturating_sub(ink) / 2,
                        Align::Right => width.saturating_sub(ink),
                    };
                    let left = glyphs.ink_columns().map_or(0, |(l, _)| l);
                    let mut row = Bitmap::new(width, (LINE_DOTS - 6) * s + 6);
                    for y in 0..glyphs.height().min(row.height()) {
                        for x in left..glyphs.width() {
                            if glyphs.get(x, y) {
                                row.set(x - left + shift, y);
                            }
                        }
                    }
                    pieces.push((row, 0));
                }
            }
            Op::Image {
                image,
                align,
                quadruple,
            } => {
                let image = if quadruple { doubled(&image) } else { image };
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
                if let Some(image) = qr_bitmap(payload.as_bytes(), usize::from(module_dots), 4) {
                    let x = width.saturating_sub(image.width()) / 2;
                    pieces.push((image, x));
                }
            }
            Op::Feed(n) => pieces.push((Bitmap::new(width, usize::from(n) * LINE_DOTS), 0)),
            Op::Rule => {
                // Double-width dashes, as sent.
                let mut rule = Bitmap::new(width, LINE_DOTS);
                for x in (0..width).filter(|x| x % (2 * CELL_WIDTH) < 2 * CELL_WIDTH - 8) {
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
    fn arabic_without_an_arabic_code_page_and_missing_qr_support_become_raster() {
        let mut fonts = TextRenderer::new();
        let profile = Profile::named("zj-5870").unwrap();
        let bytes = encode(&receipt("تم استلام طلبك"), profile, &mut fonts);
        let rasters = bytes
            .windows(3)
            .filter(|w| *w == [0x1D, b'v', b'0'])
            .count();
        assert_eq!(rasters, 2, "the Arabic line and the QR code");
        // With CP864 the same line is text, right-aligned, in visual order.
        let profile = Profile::named("pos-5890").unwrap();
        let bytes = encode(&receipt("تم استلام طلبك"), profile, &mut fonts);
        assert!(bytes.windows(3).any(|w| w == [0x1B, b't', 28]));
        let rasters = bytes
            .windows(3)
            .filter(|w| *w == [0x1D, b'v', b'0'])
            .count();
        assert_eq!(rasters, 1, "only the QR code");
        assert!(!bytes.windows(3).any(|w| w == [0x1D, b'(', b'k']));
        assert!(!bytes.windows(2).any(|w| w == [0x1D, b'V']), "no cutter");
    }

    #[test]
    fn hebrew_goes_as_cp862_text_in_visual_order() {
        let mut fonts = TextRenderer::new();
        let profile = Profile::named("default").unwrap();
        // שלום: shin lamed vav final-mem; printed left to right, so the final mem comes first.
        let bytes = encode(&receipt("שלום"), profile, &mut fonts);
        assert!(bytes.windows(3).any(|w| w == [0x1B, b't', 36]));
        assert!(
            bytes.windows(4).any(|w| w == [0x8D, 0x85, 0x8C, 0x99]),
            "{bytes:x?}"
        );
        let rasters = bytes
            .windows(3)
            .filter(|w| *w == [0x1D, b'v', b'0'])
            .count();
        assert_eq!(rasters, 0);
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
