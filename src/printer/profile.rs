//! Printer capability profiles: what a model can do, so the receipt is laid out for it.
//!
//! Facts (paper width in dots, columns of font A, code page numbers, QR and cutter support) come
//! from escpos-printer-db by receipt-print-hq (<https://github.com/receipt-print-hq/escpos-printer-db>,
//! CC BY 4.0): the `default`/`TM-T20II` entries for the 80 mm profile, `ZJ-5870` for the 58 mm one
//! without QR or cutter, and `TM-T88IV` for the code pages of that model. Where we deviate (the
//! TM-T88IV has no `GS ( k` QR although the database inherits it from `default`; its 512-dot width)
//! it is from Epson's TM-T88IV technical reference.

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
    /// QR module size in dots: about 0.75 mm at 203 dpi scans reliably from a phone.
    pub qr_module_dots: u8,
    /// Size in dots of text drawn as raster with our fonts, matching font A's height.
    pub raster_text_px: f32,
}

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

/// Every profile this build knows.
pub const PROFILES: &[Profile] = &[
    Profile {
        name: "default",
        description: "80 mm, 203 dpi, Epson-compatible (e.g. TM-T20II): 576 dots, 48 columns, native QR, cutter",
        width_dots: 576,
        columns: 48,
        code_pages: EPSON_FULL,
        native_qr: true,
        cutter: Cutter::Partial,
        qr_module_dots: 6,
        raster_text_px: 24.0,
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
        raster_text_px: 22.0,
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
        raster_text_px: 22.0,
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
        raster_text_px: 22.0,
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
    }
}
