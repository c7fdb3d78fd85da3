//! Single-byte code pages the printer's own fonts understand, and encoding text into them.
//!
//! A receipt line is sent as text only when *every* character of it exists in a code page the
//! printer profile lists; otherwise the line is rasterised with our fonts (see `raster`). Encoding
//! never substitutes a look-alike or a `?`: a resident's language is printed correctly or drawn.

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
}

impl CodePage {
    /// Every supported code page.
    pub const ALL: [CodePage; 8] = [
        CodePage::Cp437,
        CodePage::Cp850,
        CodePage::Cp852,
        CodePage::Cp858,
        CodePage::Cp866,
        CodePage::Cp1250,
        CodePage::Cp1251,
        CodePage::Cp1252,
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
        }
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
        }
    }

    /// The byte for `c`, if this code page has it. Control characters have none: they would be
    /// read by the printer as commands.
    pub fn encode_char(self, c: char) -> Option<u8> {
        if (' '..='~').contains(&c) {
            return Some(c as u8);
        }
        if c == '\0' {
            return None;
        }
        self.upper_half()
            .iter()
            .position(|&x| x == c)
            .map(|i| 0x80 + i as u8)
    }

    /// The whole of `text`, or `None` if any character is missing.
    pub fn encode(self, text: &str) -> Option<Vec<u8>> {
        text.chars().map(|c| self.encode_char(c)).collect()
    }

    /// The character a byte stands for (`None` for control bytes and undefined positions).
    pub fn decode_byte(self, b: u8) -> Option<char> {
        match b {
            0x20..=0x7E => Some(b as char),
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
