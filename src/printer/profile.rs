//! Printer capability profiles: what a model can do, so the receipt is laid out for it.
//!
//! Facts (paper width in dots, columns of font A, code page numbers, QR and cutter support) come
//! from escpos-printer-db by receipt-print-hq (<https://github.com/receipt-print-hq/escpos-printer-db>,
//! CC BY 4.0): the `default`/`TM-T20II` entries for the 80 mm profile (PC864 Arabic is its page 37,
//! PC862 Hebrew 36, PC737 and WPC1253 Greek 14 and 47), `ZJ-5870` for the 58 mm one without QR or
//! cutter, `POS-5890` for the 58 mm one without QR that has PC864 (page 28), and `TM-T88IV` for the
//! code pages of that model (no Arabic). Where we deviate (the TM-T88IV has no `GS ( k` QR although
//! the database inherits it from `default`; its 512-dot width) it is from Epson's TM-T88IV
//! technical reference. The database also lists WPC1256 (page 50) for Arabic: we leave it out on
//! purpose, see `codepage`.

use super::codepage::CodePage;

/// How a printer cuts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Cutter {
    /// No cutter: the resident tears the receipt off.
    None,
    /// Partial cut (leaves a hinge, the receipt does not fall).
    Partial,
}

/// What `ESC J n` feeds by, which is how blank raster rows are fed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FeedUnit {
    /// The vertical motion unit must be set to one dot with `GS P` first: Epson-class printers'
    /// default is model-dependent (1/360 inch on the TM-T88 family, 1/406 on the TM-L90, 1/203
    /// on others), so a feed without it could be half as long as meant.
    SetByGsP,
    /// One dot, fixed: the ZJ / POS-58 family's manuals give `ESC J n` as "feed n dots" and list
    /// no `GS P`, which such a printer might print as two stray characters.
    Dot,
}

/// One printer model's capabilities.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Profile {
    /// The name used in `printer.profile`.
    pub name: &'static str,
    /// What it fits.
    pub description: &'static str,
    /// Printable width in dots.
    pub width_dots: usize,
    /// Characters per line in font A at normal size.
    pub columns: usize,
    /// Code pages it has, in our order of preference, with their `ESC t` numbers.
    pub code_pages: &'static [(CodePage, u8)],
    /// Whether it prints QR codes itself (`GS ( k`); otherwise we send a raster image.
    pub native_qr: bool,
    /// Whether and how it cuts.
    pub cutter: Cutter,
    /// Module size in dots of a native QR code (costs no bytes, so generous: 0.75 mm at 203 dpi).
    pub qr_module_dots: u8,
    /// Print resolution in dots per inch (escpos-printer-db `media.dpi`).
    pub dpi: u16,
    /// Size in dots of text drawn as raster with our fonts: font A is 24 dots high (12×24), and
    /// drawn text is never smaller than the printer's own.
    pub raster_text_px: f32,
    /// How blank raster rows are fed (see [`FeedUnit`]).
    pub feed_unit: FeedUnit,
    /// Whether it prints `GS v 0` in quadruple mode (m = 3: each dot sent as 2 × 2), which
    /// Epson's command and the clones' manuals all list: the raster QR code then goes in a
    /// quarter of the bytes.
    pub raster_quadruple: bool,
}

/// The smallest QR module a raster QR code is printed with, in thousandths of a millimetre:
/// 0.5 mm, 4 dots at 203 dpi. Chosen on evidence (`tests/printer.rs`, the raster QR scanned
/// after a simulated thermal print and phone photo, see BENCHMARKS.md "Raster QR module"): at
/// 3 dots (0.375 mm) the code fails to decode in about a third of the conditions a receipt meets
/// (dot gain, camera distance, focus), at 4 dots it decodes in all but the harshest corner, as
/// at 5. It is above GS1's minimum for point-of-sale scanning (0.396 mm, General
/// Specifications 5.12.3.1), which 3 dots at 203 dpi would not even reach.
pub const QR_MIN_MODULE_UM: u32 = 500;

/// Epson numbering (`ESC t n`), shared by most Epson-compatible printers. Order = preference:
/// the plain IBM pages first (every printer has them), then the Windows pages for letters the IBM
/// ones lack (French `œ`, Ukrainian `і`).
const EPSON_FULL: &[(CodePage, u8)] = &[
    (CodePage::Cp437, 0),
    (CodePage::Cp858, 19),
    (CodePage::Cp850, 2),
    (CodePage::Cp1252, 16),
    (CodePage::Cp852, 18),
    (CodePage::Cp1250, 45),
    (CodePage::Cp866, 17),
    (CodePage::Cp1251, 46),
    (CodePage::Cp737, 14),
    (CodePage::Cp1253, 47),
    (CodePage::Cp862, 36),
    (CodePage::Cp864, 37),
];

/// What the TM-T88IV and ZJ-5870 entries list among the pages we support.
const EPSON_BASIC: &[(CodePage, u8)] = &[
    (CodePage::Cp437, 0),
    (CodePage::Cp858, 19),
    (CodePage::Cp850, 2),
    (CodePage::Cp1252, 16),
    (CodePage::Cp852, 18),
    (CodePage::Cp866, 17),
];

const ZJ_5870_PAGES: &[(CodePage, u8)] = &[
    (CodePage::Cp437, 0),
    (CodePage::Cp850, 2),
    (CodePage::Cp1252, 16),
    (CodePage::Cp852, 18),
    (CodePage::Cp866, 17),
];

/// What the POS-5890 entry lists among the pages we support.
const POS_5890_PAGES: &[(CodePage, u8)] = &[
    (CodePage::Cp437, 0),
    (CodePage::Cp858, 19),
    (CodePage::Cp850, 2),
    (CodePage::Cp1252, 16),
    (CodePage::Cp852, 18),
    (CodePage::Cp1250, 72),
    (CodePage::Cp866, 17),
    (CodePage::Cp1251, 73),
    (CodePage::Cp737, 64),
    (CodePage::Cp862, 62),
    (CodePage::Cp864, 28),
];

/// Every profile this build knows.
pub const PROFILES: &[Profile] = &[
    Profile {
        name: "default",
        description: "80 mm, 203 dpi, Epson-compatible (e.g. TM-T20II): 576 dots, 48 columns, Arabic (PC864), native QR, cutter",
        width_dots: 576,
        columns: 48,
        code_pages: EPSON_FULL,
        native_qr: true,
        cutter: Cutter::Partial,
        qr_module_dots: 6,
        dpi: 203,
        raster_text_px: 24.0,
        feed_unit: FeedUnit::SetByGsP,
        raster_quadruple: true,
    },
    Profile {
        name: "58mm",
        description: "58 mm, 203 dpi, Epson-compatible with QR: 384 dots, 32 columns, native QR, no cutter",
        width_dots: 384,
        columns: 32,
        code_pages: EPSON_BASIC,
        native_qr: true,
        cutter: Cutter::None,
        qr_module_dots: 5,
        dpi: 203,
        raster_text_px: 24.0,
        feed_unit: FeedUnit::SetByGsP,
        raster_quadruple: true,
    },
    Profile {
        name: "zj-5870",
        description: "58 mm ZiJiang ZJ-5870 / POS-58: 384 dots, 32 columns, no native QR, no cutter",
        width_dots: 384,
        columns: 32,
        code_pages: ZJ_5870_PAGES,
        native_qr: false,
        cutter: Cutter::None,
        qr_module_dots: 5,
        dpi: 203,
        raster_text_px: 24.0,
        feed_unit: FeedUnit::Dot,
        raster_quadruple: true,
    },
    Profile {
        name: "pos-5890",
        description: "58 mm Zjiang POS-5890 and its clones: 384 dots, 32 columns, Arabic (PC864), no native QR, no cutter",
        width_dots: 384,
        columns: 32,
        code_pages: POS_5890_PAGES,
        native_qr: false,
        cutter: Cutter::None,
        qr_module_dots: 5,
        dpi: 203,
        raster_text_px: 24.0,
        feed_unit: FeedUnit::Dot,
        raster_quadruple: true,
    },
    Profile {
        name: "tm-t88iv",
        description: "Epson TM-T88IV, 80 mm, 180 dpi: 512 dots, 42 columns, no native QR, cutter",
        width_dots: 512,
        columns: 42,
        code_pages: EPSON_BASIC,
        native_qr: false,
        cutter: Cutter::Partial,
        qr_module_dots: 5,
        dpi: 180,
        raster_text_px: 24.0,
        feed_unit: FeedUnit::SetByGsP,
        raster_quadruple: true,
    },
];

impl Profile {
    /// The profile called `name`.
    pub fn named(name: &str) -> Option<&'static Profile> {
        PROFILES.iter().find(|p| p.name == name)
    }

    /// The names, for error messages.
    pub fn names() -> Vec<&'static str> {
        PROFILES.iter().map(|p| p.name).collect()
    }

    /// The first code page (and its `ESC t` number) that holds every character of `text`.
    pub fn encode(&self, text: &str) -> Option<(CodePage, u8, Vec<u8>)> {
        self.code_pages
            .iter()
            .find_map(|&(cp, n)| cp.encode(text).map(|bytes| (cp, n, bytes)))
    }

    /// Module size of a QR code sent as an image: the fewest whole dots that are at least
    /// [`QR_MIN_MODULE_UM`] (4 dots = 0.50 mm at 203 dpi), made even where the printer has
    /// quadruple raster (4 dots = 0.56 mm at 180 dpi), so it is sent as half as many dots each
    /// way: a quarter of the bytes, printed dot for dot the same.
    pub fn raster_qr_module_dots(&self) -> usize {
        let dpi = u32::from(self.dpi.max(1));
        // dots = ceil(min_um * dpi / 25_400)
        let dots = (QR_MIN_MODULE_UM * dpi).div_ceil(25_400) as usize;
        if self.raster_quadruple {
            dots.next_multiple_of(2)
        } else {
            dots
        }
    }

    /// Whether one of its code pages holds Arabic (as presentation forms).
    pub fn has_arabic_code_page(&self) -> bool {
        self.code_pages.iter().any(|(cp, _)| *cp == CodePage::Cp864)
    }

    /// The `ESC t` number of a code page, if the printer has it.
    pub fn code_page_number(&self, cp: CodePage) -> Option<u8> {
        self.code_pages
            .iter()
            .find(|(c, _)| *c == cp)
            .map(|&(_, n)| n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_profile_is_80mm_epson_with_qr_and_cutter() {
        let p = Profile::named("default").unwrap();
        assert_eq!((p.width_dots, p.columns), (576, 48));
        assert!(p.native_qr);
        assert_eq!(p.cutter, Cutter::Partial);
        assert_eq!(p.code_page_number(CodePage::Cp1252), Some(16));
        assert_eq!(p.code_page_number(CodePage::Cp1251), Some(46));
    }

    #[test]
    fn there_is_a_58mm_profile_and_one_without_native_qr() {
        assert!(PROFILES.iter().any(|p| p.width_dots == 384));
        assert!(PROFILES.iter().any(|p| !p.native_qr));
        assert!(Profile::named("nope").is_none());
        for p in PROFILES {
            assert_eq!(p.width_dots % 8, 0, "{}: whole raster bytes", p.name);
            assert!(p.columns * 12 <= p.width_dots, "{}", p.name);
        }
    }

    #[test]
    fn each_language_finds_the_page_that_fits_it() {
        let p = Profile::named("default").unwrap();
        assert_eq!(p.encode("Hello").unwrap().0, CodePage::Cp437);
        assert_eq!(p.encode("Déposé à la mairie").unwrap().0, CodePage::Cp437);
        assert_eq!(p.encode("Vœu").unwrap().0, CodePage::Cp1252);
        assert_eq!(p.encode("Zgłoszenie przyjęte").unwrap().0, CodePage::Cp852);
        assert_eq!(p.encode("Ваш запит прийнято").unwrap().0, CodePage::Cp866);
        assert_eq!(
            p.encode("Питання: міська рада").unwrap().0,
            CodePage::Cp1251
        );
        assert!(p.encode("تم استلام طلبك").is_none());
        // The 58 mm ZJ-5870 has no CP1251: Ukrainian must be drawn.
        let zj = Profile::named("zj-5870").unwrap();
        assert!(zj.encode("міська рада").is_none());
        assert_eq!(zj.encode("Ваш запрос").unwrap().0, CodePage::Cp866);
        assert_eq!(p.encode("Ελληνικά").unwrap().0, CodePage::Cp737);
    }

    #[test]
    fn raster_qr_modules_are_the_smallest_that_scan() {
        let at = |dpi| Profile {
            dpi,
            ..Profile::named("default").unwrap().clone()
        };
        assert_eq!(at(203).raster_qr_module_dots(), 4);
        assert_eq!(at(180).raster_qr_module_dots(), 4, "3.5 dots, made even");
        assert_eq!(at(300).raster_qr_module_dots(), 6);
        let without_quadruple = Profile {
            raster_quadruple: false,
            ..at(180)
        };
        assert_eq!(without_quadruple.raster_qr_module_dots(), 4);
        let without_quadruple = Profile {
            raster_quadruple: false,
            ..at(300)
        };
        assert_eq!(without_quadruple.raster_qr_module_dots(), 6);
        for p in PROFILES {
            let mm = p.raster_qr_module_dots() as f64 * 25.4 / f64::from(p.dpi);
            assert!((0.5..0.6).contains(&mm), "{}: {mm} mm", p.name);
        }
    }

    #[test]
    fn arabic_code_pages_where_the_database_lists_them() {
        let names: Vec<&str> = PROFILES
            .iter()
            .filter(|p| p.has_arabic_code_page())
            .map(|p| p.name)
            .collect();
        assert_eq!(names, ["default", "pos-5890"]);
        assert_eq!(
            Profile::named("default")
                .unwrap()
                .code_page_number(CodePage::Cp864),
            Some(37)
        );
    }
}
