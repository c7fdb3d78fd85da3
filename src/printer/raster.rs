//! 1-bit images for the printer: text drawn with the app's own fonts (for scripts the printer
//! cannot print itself, such as Arabic, which no receipt printer shapes or reorders) and QR codes
//! for printers without native QR support.
//!
//! Text goes through parley (bidi reordering, Arabic joining and shaping with harfrust, line
//! breaking) and swash (glyph outlines to coverage), both already in the build through Slint.
//! Only the bundled Noto fonts are used, never the system's, so a receipt looks the same on every
//! kiosk.

use std::sync::Arc;

use parley::fontique::{Blob, Collection, CollectionOptions, SourceCache};
use parley::{
    Alignment, AlignmentOptions, FontContext, FontFamily, FontWeight, Layout, LayoutContext,
    LineHeight, PositionedLayoutItem, StyleProperty,
};
use swash::FontRef;
use swash::scale::{Render, ScaleContext, Source, image::Content};
use swash::zeno::{Format, Vector};

/// A black-and-white image, 1 bit per dot, rows padded to whole bytes, MSB = leftmost dot,
/// 1 = black: the layout `GS v 0` takes as it is.
#[derive(Clone, PartialEq, Eq)]
pub struct Bitmap {
    width: usize,
    height: usize,
    bits: Vec<u8>,
}

impl std::fmt::Debug for Bitmap {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Bitmap({}x{})", self.width, self.height)
    }
}

impl Bitmap {
    /// An all-white image.
    pub fn new(width: usize, height: usize) -> Bitmap {
        Bitmap {
            width,
            height,
            bits: vec![0; width.div_ceil(8) * height],
        }
    }

    /// Width in dots.
    pub fn width(&self) -> usize {
        self.width
    }

    /// Height in dots.
    pub fn height(&self) -> usize {
        self.height
    }

    /// Bytes per row.
    pub fn width_bytes(&self) -> usize {
        self.width.div_ceil(8)
    }

    /// Blackens one dot (ignored outside the image).
    pub fn set(&mut self, x: usize, y: usize) {
        if x < self.width && y < self.height {
            let stride = self.width_bytes();
            self.bits[y * stride + x / 8] |= 0x80 >> (x % 8);
        }
    }

    /// Whether a dot is black (false outside the image).
    pub fn get(&self, x: usize, y: usize) -> bool {
        x < self.width
            && y < self.height
            && self.bits[y * self.width_bytes() + x / 8] & (0x80 >> (x % 8)) != 0
    }

    /// The packed bytes of rows `start..end`.
    pub fn rows_bytes(&self, start: usize, end: usize) -> &[u8] {
        let stride = self.width_bytes();
        let end = end.min(self.height);
        &self.bits[start.min(end) * stride..end * stride]
    }

    /// Builds an image from packed rows (as sent in `GS v 0`).
    pub fn from_rows(width_bytes: usize, height: usize, bits: Vec<u8>) -> Option<Bitmap> {
        (bits.len() == width_bytes * height).then_some(Bitmap {
            width: width_bytes * 8,
            height,
            bits,
        })
    }

    /// Copies the black dots of `other` with its top-left corner at (`x`, `y`).
    pub fn draw(&mut self, other: &Bitmap, x: usize, y: usize) {
        for oy in 0..other.height {
            for ox in 0..other.width {
                if other.get(ox, oy) {
                    self.set(x + ox, y + oy);
                }
            }
        }
    }

    /// The part `x..x + width`, `y..y + height` (clipped to the image).
    pub fn crop(&self, x: usize, y: usize, width: usize, height: usize) -> Bitmap {
        let mut out = Bitmap::new(
            width.min(self.width.saturating_sub(x)),
            height.min(self.height.saturating_sub(y)),
        );
        for oy in 0..out.height {
            for ox in 0..out.width {
                if self.get(x + ox, y + oy) {
                    out.set(ox, oy);
                }
            }
        }
        out
    }

    /// Whether row `y` has a black dot.
    pub fn row_has_ink(&self, y: usize) -> bool {
        y < self.height && self.rows_bytes(y, y + 1).iter().any(|&b| b != 0)
    }

    /// The smallest row range holding black dots, if any.
    pub fn ink_rows(&self) -> Option<(usize, usize)> {
        let rows: Vec<usize> = (0..self.height)
            .filter(|&y| (0..self.width).any(|x| self.get(x, y)))
            .collect();
        Some((*rows.first()?, *rows.last()?))
    }

    /// Number of black dots (used by tests and checks).
    pub fn black_dots(&self) -> usize {
        self.bits.iter().map(|b| b.count_ones() as usize).sum()
    }

    /// The smallest column range holding black dots, if any.
    pub fn ink_columns(&self) -> Option<(usize, usize)> {
        let cols: Vec<usize> = (0..self.width)
            .filter(|&x| (0..self.height).any(|y| self.get(x, y)))
            .collect();
        Some((*cols.first()?, *cols.last()?))
    }
}

/// Where a paragraph's lines sit within the paper width. `Start` follows the text's direction:
/// left for Latin, right for Arabic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextAlign {
    /// Left in left-to-right text, right in right-to-left text.
    Start,
    /// Centred.
    Center,
}

/// How to draw a paragraph.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TextStyle {
    /// Font size in dots (pixels of the printer).
    pub px: f32,
    /// Bold weight.
    pub bold: bool,
    /// Line placement.
    pub align: TextAlign,
}

/// Coverage at or above this (of 255) becomes a black dot. A little under half, because thermal
/// dots bleed less than screen pixels blend and thin Arabic strokes must not break up.
const INK_THRESHOLD: u8 = 110;

static NOTO_SANS: &[u8] = include_bytes!("../../ui/fonts/NotoSans-Regular.ttf");
static NOTO_SANS_BOLD: &[u8] = include_bytes!("../../ui/fonts/NotoSans-Bold.ttf");
static NOTO_ARABIC: &[u8] = include_bytes!("../../ui/fonts/NotoSansArabic-Regular.ttf");
static NOTO_ARABIC_BOLD: &[u8] = include_bytes!("../../ui/fonts/NotoSansArabic-Bold.ttf");

/// Draws text into [`Bitmap`]s with the bundled fonts. Building one parses the fonts, so keep it.
pub struct TextRenderer {
    fonts: FontContext,
    layouts: LayoutContext<()>,
    scaler: ScaleContext,
}

impl Default for TextRenderer {
    fn default() -> Self {
        TextRenderer::new()
    }
}

impl TextRenderer {
    /// A renderer that knows only the bundled Noto Sans and Noto Sans Arabic.
    pub fn new() -> TextRenderer {
        let mut collection = Collection::new(CollectionOptions {
            shared: false,
            system_fonts: false,
        });
        for data in [NOTO_SANS, NOTO_SANS_BOLD, NOTO_ARABIC, NOTO_ARABIC_BOLD] {
            collection.register_fonts(Blob::new(Arc::new(data)), None);
        }
        TextRenderer {
            fonts: FontContext {
                collection,
                source_cache: SourceCache::default(),
            },
            layouts: LayoutContext::new(),
            scaler: ScaleContext::new(),
        }
    }

    /// Lays `text` out in `width` dots (wrapping as needed) and draws it. The image is exactly
    /// `width` dots wide, so alignment is already applied.
    pub fn render(&mut self, text: &str, style: &TextStyle, width: usize) -> Bitmap {
        let layout = self.layout(text, style, width);
        let height = layout.height().ceil().max(1.0) as usize;
        let mut image = Bitmap::new(width, height);
        for line in layout.lines() {
            for item in line.items() {
                let PositionedLayoutItem::GlyphRun(run) = item else {
                    continue;
                };
                let font = run.run().font();
                let Some(font_ref) = FontRef::from_index(font.data.as_ref(), font.index as usize)
                else {
                    continue;
                };
                let mut scaler = self
                    .scaler
                    .builder(font_ref)
                    .size(run.run().font_size())
                    .hint(false)
                    .build();
                for glyph in run.positioned_glyphs() {
                    let Ok(id) = u16::try_from(glyph.id) else {
                        continue;
                    };
                    let rendered = Render::new(&[Source::Outline])
                        .format(Format::Alpha)
                        .offset(Vector::new(glyph.x.fract(), glyph.y.fract()))
                        .render(&mut scaler, id);
                    let Some(glyph_image) = rendered else {
                        continue;
                    };
                    if glyph_image.content != Content::Mask {
                        continue;
                    }
                    let p = glyph_image.placement;
                    let origin_x = glyph.x.floor() as i64 + i64::from(p.left);
                    let origin_y = glyph.y.floor() as i64 - i64::from(p.top);
                    for gy in 0..p.height as usize {
                        for gx in 0..p.width as usize {
                            let coverage = glyph_image.data[gy * p.width as usize + gx];
                            let (x, y) = (origin_x + gx as i64, origin_y + gy as i64);
                            if coverage >= INK_THRESHOLD && x >= 0 && y >= 0 {
                                image.set(x as usize, y as usize);
                            }
                        }
                    }
                }
            }
        }
        image
    }

    fn layout(&mut self, text: &str, style: &TextStyle, width: usize) -> Layout<()> {
        // Arabic first when the text has Arabic, so its spaces and punctuation come from the
        // same font as its letters; Noto Sans covers Latin, Cyrillic and digits either way.
        let families = if text.chars().any(is_arabic) {
            "Noto Sans Arabic, Noto Sans"
        } else {
            "Noto Sans, Noto Sans Arabic"
        };
        let mut builder = self
            .layouts
            .ranged_builder(&mut self.fonts, text, 1.0, true);
        builder.push_default(StyleProperty::FontFamily(FontFamily::Source(
            families.into(),
        )));
        builder.push_default(StyleProperty::FontSize(style.px));
        // Noto Sans Arabic's own line gap is made for screens; 1.3 em still clears the marks
        // above and below Arabic letters and saves paper (and bytes on the wire: the rows
        // between two drawn lines are sent too).
        builder.push_default(StyleProperty::LineHeight(LineHeight::FontSizeRelative(1.3)));
        builder.push_default(StyleProperty::FontWeight(if style.bold {
            FontWeight::BOLD
        } else {
            FontWeight::NORMAL
        }));
        let mut layout = builder.build(text);
        layout.break_all_lines(Some(width as f32));
        let alignment = match style.align {
            TextAlign::Start => Alignment::Start,
            TextAlign::Center => Alignment::Center,
        };
        layout.align(alignment, AlignmentOptions::default());
        layout
    }
}

/// Arabic script (letters, presentation forms, Arabic punctuation and digits).
pub fn is_arabic(c: char) -> bool {
    matches!(c as u32, 0x0600..=0x06FF | 0x0750..=0x077F | 0x08A0..=0x08FF | 0xFB50..=0xFDFF | 0xFE70..=0xFEFF)
}

/// Any right-to-left script: the printer's own fonts would print it backwards and unjoined.
pub fn is_rtl_char(c: char) -> bool {
    is_arabic(c) || matches!(c as u32, 0x0590..=0x05FF | 0x0700..=0x074F | 0x0780..=0x07BF)
}

/// The QR code for `data` as an image: `module_dots` dots per module, with `quiet` white modules
/// around it (the standard asks for 4 of blank paper; a caller that leaves that paper blank
/// anyway passes 0). `None` when `data` does not fit in a QR code.
pub fn qr_bitmap(data: &[u8], module_dots: usize, quiet: usize) -> Option<Bitmap> {
    let code = qrcode::QrCode::with_error_correction_level(data, qrcode::EcLevel::M).ok()?;
    let modules = code.width();
    let colors = code.to_colors();
    let side = (modules + 2 * quiet) * module_dots;
    let mut image = Bitmap::new(side, side);
    for (i, color) in colors.iter().enumerate() {
        if *color == qrcode::Color::Dark {
            let (mx, my) = (i % modules + quiet, i / modules + quiet);
            for dy in 0..module_dots {
                for dx in 0..module_dots {
                    image.set(mx * module_dots + dx, my * module_dots + dy);
                }
            }
        }
    }
    Some(image)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bitmap_packs_msb_first_and_pads_rows() {
        let mut b = Bitmap::new(10, 2);
        b.set(0, 0);
        b.set(9, 1);
        b.set(10, 0); // outside: ignored
        assert_eq!(b.width_bytes(), 2);
        assert_eq!(b.rows_bytes(0, 2), &[0x80, 0, 0, 0x40]);
        assert!(b.get(9, 1) && !b.get(8, 1));
        assert_eq!(b.black_dots(), 2);
    }

    #[test]
    fn latin_text_is_drawn_within_the_width() {
        let mut r = TextRenderer::new();
        let style = TextStyle {
            px: 24.0,
            bold: false,
            align: TextAlign::Start,
        };
        let img = r.render("Hello", &style, 576);
        assert_eq!(img.width(), 576);
        assert!((24..60).contains(&img.height()), "{}", img.height());
        let (left, right) = img.ink_columns().unwrap();
        assert!(left < 10, "starts at the left: {left}");
        assert!(right < 100, "{right}");
    }

    #[test]
    fn arabic_starts_at_the_right_and_is_joined() {
        let mut r = TextRenderer::new();
        let style = TextStyle {
            px: 24.0,
            bold: false,
            align: TextAlign::Start,
        };
        let img = r.render("مرحبا بكم", &style, 576);
        let (left, right) = img.ink_columns().unwrap();
        assert!(
            right > 560,
            "right-to-left text starts at the right: {right}"
        );
        assert!(left > 400, "{left}");
        // Shaping: four joined behs use their narrow medial forms; unshaped, they would be four
        // isolated behs side by side.
        let ink_width = |img: &Bitmap| img.ink_columns().map_or(0, |(l, r)| r - l + 1);
        let one = ink_width(&r.render("ب", &style, 576));
        let four = ink_width(&r.render("بببب", &style, 576));
        assert!(
            four * 4 < one * 4 * 3,
            "joined: {four} dots for four letters, {one} for one"
        );
    }

    #[test]
    fn wrapping_keeps_lines_inside_the_paper() {
        let mut r = TextRenderer::new();
        let style = TextStyle {
            px: 24.0,
            bold: true,
            align: TextAlign::Center,
        };
        let one = r.render("word", &style, 200);
        let many = r.render(&"word ".repeat(30), &style, 200);
        assert!(many.height() > one.height() * 5);
        let (_, right) = many.ink_columns().unwrap();
        assert!(right < 200);
    }

    #[test]
    fn qr_bitmap_has_quiet_zone_and_scales() {
        let img = qr_bitmap(b"DEMO-00001-X", 4, 4).unwrap();
        // Version 1 is 21 modules; plus 8 quiet modules, 4 dots each.
        assert_eq!(img.width(), (21 + 8) * 4);
        assert!(!img.get(15, 15), "quiet zone is white");
        assert!(img.get(16, 16), "finder pattern corner is dark");
        assert!(qr_bitmap(&vec![b'x'; 5000], 4, 4).is_none());
        let bare = qr_bitmap(b"DEMO-00001-X", 4, 0).unwrap();
        assert_eq!(bare.width(), 21 * 4);
        assert!(bare.get(0, 0), "finder pattern at the very corner");
    }
}
