//! Single-byte code pages the printer's own fonts understand, and encoding text into them.
//!
//! A receipt line is sent as text only when *every* character of it exists in a code page the
//! printer profile lists; otherwise the line is rasterised with our fonts (see `raster`). Encoding
//! never substitutes a look-alike or a `?`: a resident's language is printed correctly or drawn.
//!
//! Arabic: CP864 holds the *presentation forms* (one code per shape, lam-alef ligatures included),
//! so shaped text ([`super::visual`]) can be printed by a font that does no shaping. For most
//! letters it has two shapes, one for the isolated/final pair and one for the initial/medial pair
//! (see its chart); [`CodePage::encode_shaped`] prints a missing final with the isolated shape and a
//! missing medial with the initial one, which is how that code page is meant to be used. Letters it
//! lacks entirely (alef with hamza below, isolated yeh with hamza) make the line a picture.
//! Windows-1256, which printers also list, is *not* used: it encodes the abstract letters
//! (U+0621..U+064A) and no presentation form or ligature, so a printer that prints one glyph per
//! byte would print every letter isolated and unjoined. Hebrew (CP862) needs no shaping, only the
//! visual order; Greek (CP737, CP1253) needs neither.

use super::codepage_tables as tables;

/// A code page we can encode into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum CodePage {
    /// IBM PC, US (English; a few Western European letters).
    Cp437,
    /// IBM PC, Western European.
    Cp850,
    /// IBM PC, Central European (Polish, Czech, Hungarian…).
    Cp852,
    /// CP850 with the euro sign.
    Cp858,
    /// IBM PC, Russian (no Ukrainian `і`).
    Cp866,
    /// Windows, Central European (Polish…).
    Cp1250,
    /// Windows, Cyrillic (Russian, Ukrainian, Bulgarian…).
    Cp1251,
    /// Windows, Western European (French `œ`, euro sign…).
    Cp1252,
    /// IBM PC, Greek.
    Cp737,
    /// IBM PC, Hebrew (letters only, no points).
    Cp862,
    /// IBM PC, Arabic: presentation forms, for shaped text in visual order.
    Cp864,
    /// Windows, Greek.
    Cp1253,
}

impl CodePage {
    /// Every supported code page.
    pub const ALL: [CodePage; 12] = [
        CodePage::Cp437,
        CodePage::Cp850,
        CodePage::Cp852,
        CodePage::Cp858,
        CodePage::Cp866,
        CodePage::Cp1250,
        CodePage::Cp1251,
        CodePage::Cp1252,
        CodePage::Cp737,
        CodePage::Cp862,
        CodePage::Cp864,
        CodePage::Cp1253,
    ];

    /// The usual name, e.g. `CP437`.
    pub fn name(self) -> &'static str {
        match self {
            CodePage::Cp437 => "CP437",
            CodePage::Cp850 => "CP850",
            CodePage::Cp852 => "CP852",
            CodePage::Cp858 => "CP858",
            CodePage::Cp866 => "CP866",
            CodePage::Cp1250 => "CP1250",
            CodePage::Cp1251 => "CP1251",
            CodePage::Cp1252 => "CP1252",
            CodePage::Cp737 => "CP737",
            CodePage::Cp862 => "CP862",
            CodePage::Cp864 => "CP864",
            CodePage::Cp1253 => "CP1253",
        }
    }

    /// The name technicians' scripts see (`guichet printer profiles --json`): `cp437`, `cp864`…
    pub fn id(self) -> String {
        self.name().to_ascii_lowercase()
    }

    fn upper_half(self) -> &'static [char; 128] {
        match self {
            CodePage::Cp437 => &tables::CP437,
            CodePage::Cp850 => &tables::CP850,
            CodePage::Cp852 => &tables::CP852,
            CodePage::Cp858 => &tables::CP858,
            CodePage::Cp866 => &tables::CP866,
            CodePage::Cp1250 => &tables::CP1250,
            CodePage::Cp1251 => &tables::CP1251,
            CodePage::Cp1252 => &tables::CP1252,
            CodePage::Cp737 => &tables::CP737,
            CodePage::Cp862 => &tables::CP862,
            CodePage::Cp864 => &tables::CP864,
            CodePage::Cp1253 => &tables::CP1253,
        }
    }

    /// The printable lower half (0x20..=0x7E): ASCII, except in CP864, whose 0x25 is the Arabic
    /// percent sign in every table (Microsoft's CP864.TXT, glibc's IBM864, IBM's chart), and
    /// whose 0x2A is `*` in the first two but the Arabic five-pointed star in IBM's CPGID 00864
    /// chart (as reproduced in Wikipedia's "Code page 864"): a byte whose glyph depends on whose
    /// table the printer's font follows is never sent.
    fn lower_half(self, b: u8) -> Option<char> {
        match (self, b) {
            (CodePage::Cp864, 0x25) => Some('\u{066A}'),
            (CodePage::Cp864, 0x2A) => None,
            (_, 0x20..=0x7E) => Some(b as char),
            _ => None,
        }
    }

    /// The byte for `c`, if this code page has it. Control characters have none: they would be
    /// read by the printer as commands.
    pub fn encode_char(self, c: char) -> Option<u8> {
        if c == '\0' {
            return None;
        }
        if (' '..='~').contains(&c) && self.lower_half(c as u8) == Some(c) {
            return Some(c as u8);
        }
        // The lower half's exceptions (CP864's Arabic percent sign).
        if let Some(b) = (0x20..=0x7Eu8).find(|&b| self.lower_half(b) == Some(c)) {
            return Some(b);
        }
        self.upper_half()
            .iter()
            .position(|&x| x == c)
            .map(|i| 0x80 + i as u8)
    }

    /// One character of shaped text (see [`super::visual::shape`]): its own byte, or, for a
    /// presentation form this code page lacks, the byte of the shape it prints that form with
    /// (final → isolated, medial → initial → isolated, initial → isolated: CP864's one-shape
    /// letters such as tah).
    pub fn encode_shaped_char(self, c: char) -> Option<u8> {
        use super::visual::{Form, form_char, form_of};
        // Harakat (shadda, fatha…) sit on a letter; a printer's font would give the one CP864
        // has (shadda, 0xF1) a cell of its own between two letters and break the word.
        if matches!(c as u32, 0x064B..=0x065F | 0x0670) {
            return None;
        }
        self.encode_char(c).or_else(|| {
            let (letter, form) = form_of(c)?;
            let substitutes: &[Form] = match form {
                Form::Isolated => &[],
                Form::Final | Form::Initial => &[Form::Isolated],
                Form::Medial => &[Form::Initial, Form::Isolated],
            };
            substitutes
                .iter()
                .find_map(|&f| self.encode_char(form_char(letter, f)?))
        })
    }

    /// A whole line of shaped text in visual order, or `None` if any character is missing.
    pub fn encode_shaped(self, text: &str) -> Option<Vec<u8>> {
        text.chars().map(|c| self.encode_shaped_char(c)).collect()
    }

    /// The whole of `text`, or `None` if any character is missing.
    pub fn encode(self, text: &str) -> Option<Vec<u8>> {
        text.chars().map(|c| self.encode_char(c)).collect()
    }

    /// The character a byte stands for (`None` for control bytes and undefined positions).
    pub fn decode_byte(self, b: u8) -> Option<char> {
        match b {
            0x20..=0x7E => self.lower_half(b),
            0x80..=0xFF => Some(self.upper_half()[usize::from(b - 0x80)]).filter(|&c| c != '\0'),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_letters_land_on_their_documented_bytes() {
        // Spot checks against the published code charts, independent of the generated tables.
        assert_eq!(CodePage::Cp437.encode("é"), Some(vec![0x82]));
        assert_eq!(CodePage::Cp850.encode("Ê"), Some(vec![0xD2]));
        assert_eq!(CodePage::Cp858.encode("€"), Some(vec![0xD5]));
        assert_eq!(CodePage::Cp852.encode("łŁ"), Some(vec![0x88, 0x9D]));
        assert_eq!(CodePage::Cp1250.encode("ą"), Some(vec![0xB9]));
        assert_eq!(CodePage::Cp1251.encode("їЄі"), Some(vec![0xBF, 0xAA, 0xB3]));
        assert_eq!(CodePage::Cp1252.encode("œ€"), Some(vec![0x9C, 0x80]));
        assert_eq!(CodePage::Cp866.encode("Жж"), Some(vec![0x86, 0xA6]));
    }

    #[test]
    fn a_missing_letter_refuses_the_whole_line() {
        assert_eq!(CodePage::Cp437.encode("Łódź"), None, "CP437 has no Polish");
        assert!(CodePage::Cp852.encode("Łódź").is_some());
        assert_eq!(
            CodePage::Cp866.encode("місто"),
            None,
            "CP866 lacks Ukrainian і"
        );
        assert!(CodePage::Cp866.encode("Київ").is_some(), "but has ї");
        assert!(CodePage::Cp1251.encode("місто").is_some());
        assert_eq!(CodePage::Cp1252.encode("مرحبا"), None);
        assert_eq!(CodePage::Cp850.encode("cœur"), None, "CP850 has no œ");
    }

    #[test]
    fn control_characters_are_never_encoded() {
        for cp in CodePage::ALL {
            assert_eq!(cp.encode("a\x1bb"), None);
            assert_eq!(cp.encode("a\nb"), None);
            assert_eq!(cp.encode("\0"), None);
        }
    }

    #[test]
    fn arabic_presentation_forms_land_on_cp864_bytes() {
        // Spot checks against IBM/Microsoft's CP864 chart.
        let cp = CodePage::Cp864;
        assert_eq!(
            cp.encode("\u{FE8D}\u{FE91}"),
            Some(vec![0xC7, 0xC8]),
            "alef, beh initial"
        );
        assert_eq!(cp.encode("\u{FEFB}"), Some(vec![0x9D]), "lam-alef");
        assert_eq!(cp.encode("\u{0661}\u{060C}"), Some(vec![0xB1, 0xAC]));
        assert_eq!(cp.encode("%"), None, "0x25 is the Arabic percent sign");
        assert_eq!(cp.encode("\u{066A}"), Some(vec![0x25]));
        assert_eq!(
            cp.encode("*"),
            None,
            "0x2A differs between IBM's and Microsoft's tables"
        );
        assert_eq!(cp.decode_byte(0x2A), None);
        // Abstract letters are not there: only shaped text can be sent.
        assert_eq!(cp.encode("\u{0628}"), None);
        assert_eq!(CodePage::Cp862.encode("\u{05D0}"), Some(vec![0x80]));
        assert_eq!(CodePage::Cp737.encode("Ωω"), Some(vec![0x97, 0xE0]));
        assert_eq!(CodePage::Cp1253.encode("Ά"), Some(vec![0xA2]));
    }

    #[test]
    fn missing_cp864_shapes_print_with_the_shape_of_their_pair() {
        use super::super::visual::{Form, form_char};
        let cp = CodePage::Cp864;
        let beh = '\u{0628}';
        // Beh: final printed with the isolated shape, medial with the initial one.
        let byte = |f| cp.encode_shaped_char(form_char(beh, f).unwrap());
        assert_eq!(byte(Form::Final), Some(0xA9));
        assert_eq!(byte(Form::Isolated), Some(0xA9));
        assert_eq!(byte(Form::Medial), Some(0xC8));
        assert_eq!(byte(Form::Initial), Some(0xC8));
        // Ain has all four.
        let ain = |f| cp.encode_shaped_char(form_char('\u{0639}', f).unwrap());
        assert_eq!(
            [Form::Isolated, Form::Final, Form::Initial, Form::Medial].map(ain),
            [Some(0xDF), Some(0xC5), Some(0xD9), Some(0xEC)]
        );
        // Marks on letters are not sent as cells of their own.
        assert_eq!(cp.encode_shaped("\u{FE91}\u{0651}"), None);
        // Alef with hamza below is not in CP864 at all.
        assert_eq!(cp.encode_shaped("\u{FE87}"), None);
        // Among the dual-joining letters, only tah and zah lack an initial shape (they have one
        // shape for every position), so "initial → isolated" is used for those alone.
        let lacking_initial: Vec<char> = ('\u{0626}'..='\u{064A}')
            .filter(|&c| form_char(c, Form::Initial).is_some())
            .filter(|&c| {
                cp.encode_char(form_char(c, Form::Initial).unwrap())
                    .is_none()
            })
            .collect();
        assert_eq!(lacking_initial, ['\u{0637}', '\u{0638}']);
    }

    #[test]
    fn decoding_inverts_encoding_for_every_defined_byte() {
        for cp in CodePage::ALL {
            for b in 0x20..=0xFFu8 {
                if let Some(c) = cp.decode_byte(b) {
                    assert_eq!(cp.encode_char(c), Some(b), "{} byte {b:#x}", cp.name());
                }
            }
        }
    }
}
