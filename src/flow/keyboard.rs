//! On-screen keyboard layouts and what each key does to the text being typed.
//!
//! Layouts are data: rows of keys per language and mode. Special keys carry a `{name}` value the
//! flow interprets; everything else is inserted as typed. Arabic and Ukrainian residents get their
//! own alphabet first, with one key to switch to Latin letters (for e-mail addresses) and one to
//! digits and punctuation.

/// What kind of keyboard a question needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyboardKind {
    /// No typing (choices, dates, information).
    None,
    /// Letters.
    Text,
    /// Digits, decimal separator, minus.
    Number,
    /// Digits only: a count ("How many items?", see `catalog::NumberRule`).
    WholeNumber,
    /// Digits, plus, space.
    Phone,
}

/// Which set of keys a text keyboard shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    /// The language's own alphabet.
    #[default]
    Native,
    /// Latin letters (for languages whose own alphabet is not Latin).
    Latin,
    /// Accented letters of the language, digits and punctuation.
    Symbols,
}

/// One key.
#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    /// What is shown.
    pub label: String,
    /// What it does: text to insert, or a `{special}`.
    pub value: String,
    /// Width in letter-key units.
    pub width: f32,
    /// What assistive technology (and the UI tests) call it; for specials, a translation id.
    pub accessible: String,
}

/// Special key values.
pub mod special {
    /// Delete the last character.
    pub const BACKSPACE: &str = "{backspace}";
    /// A space.
    pub const SPACE: &str = "{space}";
    /// A new line (multi-line text only).
    pub const NEWLINE: &str = "{newline}";
    /// Done with this question (the keyboard's own Continue key).
    pub const CONTINUE: &str = "{continue}";
    /// Next letter upper case.
    pub const SHIFT: &str = "{shift}";
    /// Switch to the native alphabet.
    pub const MODE_NATIVE: &str = "{mode:native}";
    /// Switch to Latin letters.
    pub const MODE_LATIN: &str = "{mode:latin}";
    /// Switch to symbols and digits.
    pub const MODE_SYMBOLS: &str = "{mode:symbols}";
}

fn letters(row: &str) -> Vec<Key> {
    row.split_whitespace()
        .map(|c| Key {
            label: c.to_string(),
            value: c.to_string(),
            width: 1.0,
            accessible: c.to_string(),
        })
        .collect()
}

fn special_key(label: &str, value: &str, width: f32, message_id: &str) -> Key {
    Key {
        label: label.to_string(),
        value: value.to_string(),
        width,
        accessible: message_id.to_string(),
    }
}

/// The native alphabet rows of a language (lower case).
fn native_rows(locale: &str) -> [&'static str; 3] {
    match locale {
        "fr" => [
            "a z e r t y u i o p",
            "q s d f g h j k l m",
            "w x c v b n é è à ç",
        ],
        "es" => [
            "q w e r t y u i o p",
            "a s d f g h j k l ñ",
            "z x c v b n m á é í",
        ],
        "pl" => [
            "q w e r t y u i o p ą",
            "a s d f g h j k l ł ę",
            "z x c v b n m ó ś ż ć",
        ],
        "uk" => [
            "й ц у к е н г ш щ з х ї",
            "ф і в а п р о л д ж є",
            "я ч с м и т ь б ю ґ '",
        ],
        "ar" => [
            "ض ص ث ق ف غ ع ه خ ح ج د",
            "ش س ي ب ل ا ت ن م ك ط",
            "ئ ء ؤ ر ى ة و ز ظ ذ أ إ",
        ],
        _ => [
            "q w e r t y u i o p",
            "a s d f g h j k l '",
            "z x c v b n m , . -",
        ],
    }
}

/// The digit row above the letters.
const DIGIT_ROW: &str = "1 2 3 4 5 6 7 8 9 0";

const LATIN_ROWS: [&str; 3] = [
    "q w e r t y u i o p",
    "a s d f g h j k l '",
    "z x c v b n m , . -",
];

/// Accented letters and punctuation for the symbols page, per language.
fn symbol_rows(locale: &str) -> [&'static str; 3] {
    let accents = match locale {
        "fr" => "â ê î ô û ë ï ü ù œ",
        "es" => "ó ú ü ¿ ¡ à è ò ç ·",
        "pl" => "ń ź ą ę ł ó ś ż ć ·",
        "uk" => "ы ё ъ э « » № ₴ – ·",
        "ar" => "آ ً ٌ ٍ َ ُ ِ ّ ْ ـ",
        _ => "é è à ç ü ö ä ñ ß ·",
    };
    ["1 2 3 4 5 6 7 8 9 0", "@ . , - _ / : ; ? ! ( )", accents]
}

/// The keys for a keyboard kind, language, mode and shift state.
pub fn layout(
    kind: KeyboardKind,
    locale: &str,
    mode: Mode,
    shift: bool,
    multiline: bool,
) -> Vec<Vec<Key>> {
    match kind {
        KeyboardKind::None => Vec::new(),
        KeyboardKind::WholeNumber => {
            let mut rows = vec![letters("1 2 3"), letters("4 5 6"), letters("7 8 9")];
            let mut zero = letters("0");
            zero[0].width = 2.0;
            zero.push(special_key(
                "⌫",
                special::BACKSPACE,
                1.0,
                "keyboard-backspace",
            ));
            rows.push(zero);
            rows.push(vec![continue_key(3.0)]);
            rows
        }
        KeyboardKind::Number | KeyboardKind::Phone => {
            let extra = match kind {
                KeyboardKind::Number if matches!(locale, "en" | "ar") => ".",
                KeyboardKind::Number => ",",
                _ => "+",
            };
            let mut rows = vec![letters("1 2 3"), letters("4 5 6"), letters("7 8 9")];
            let mut last = letters(extra);
            last.push(letters("0").remove(0));
            last.push(special_key(
                "⌫",
                special::BACKSPACE,
                1.0,
                "keyboard-backspace",
            ));
            rows.push(last);
            let first = match kind {
                KeyboardKind::Number => letters("-").remove(0),
                _ => special_key("␣", special::SPACE, 1.0, "keyboard-space"),
            };
            rows.push(vec![first, continue_key(2.0)]);
            rows
        }
        KeyboardKind::Text => {
            let rows = match mode {
                Mode::Native => native_rows(locale),
                Mode::Latin => LATIN_ROWS,
                Mode::Symbols => symbol_rows(locale),
            };
            let case = |row: &str| {
                if shift && mode != Mode::Symbols {
                    row.to_uppercase()
                } else {
                    row.to_string()
                }
            };
            let mut out: Vec<Vec<Key>> = rows.iter().map(|r| letters(&case(r))).collect();
            let has_case = mode != Mode::Symbols && locale != "ar";
            if has_case {
                out[2].insert(0, special_key("⇧", special::SHIFT, 1.5, "keyboard-shift"));
            }
            out[2].push(special_key(
                "⌫",
                special::BACKSPACE,
                1.5,
                "keyboard-backspace",
            ));
            let native_is_latin = !matches!(locale, "ar" | "uk");
            let mut bottom = Vec::new();
            let back_to_native = || {
                special_key(
                    native_label(locale),
                    special::MODE_NATIVE,
                    2.0,
                    "keyboard-letters",
                )
            };
            match mode {
                Mode::Symbols => bottom.push(back_to_native()),
                _ => bottom.push(special_key(
                    "?123",
                    special::MODE_SYMBOLS,
                    2.0,
                    "keyboard-symbols",
                )),
            }
            if !native_is_latin {
                match mode {
                    Mode::Latin => bottom.push(back_to_native()),
                    _ => bottom.push(special_key(
                        "ABC",
                        special::MODE_LATIN,
                        2.0,
                        "keyboard-latin",
                    )),
                }
            }
            bottom.push(special_key("␣", special::SPACE, 5.0, "keyboard-space"));
            if multiline {
                bottom.push(special_key("↵", special::NEWLINE, 2.0, "keyboard-newline"));
            }
            bottom.push(continue_key(3.0));
            out.push(bottom);
            // House numbers, postcodes and phone numbers need digits without changing page.
            if mode != Mode::Symbols {
                out.insert(0, letters(DIGIT_ROW));
            }
            out
        }
    }
}

/// The keyboard's Continue key; its label is filled in by the flow (translated).
fn continue_key(width: f32) -> Key {
    special_key("continue", special::CONTINUE, width, "continue")
}

/// The label of the key that returns to a language's own alphabet.
fn native_label(locale: &str) -> &'static str {
    match locale {
        "ar" => "أبج",
        "uk" => "АБВ",
        _ => "abc",
    }
}

#[cfg(test)]
/// The message ids naming special keys (for the translation coverage test).
pub fn special_message_ids() -> &'static [&'static str] {
    &[
        "keyboard-space",
        "keyboard-backspace",
        "keyboard-shift",
        "keyboard-symbols",
        "keyboard-letters",
        "keyboard-latin",
        "keyboard-newline",
        "continue",
    ]
}

/// The widest row, in letter-key units (the UI sizes keys from it).
pub fn units(rows: &[Vec<Key>]) -> f32 {
    rows.iter()
        .map(|r| r.iter().map(|k| k.width).sum::<f32>())
        .fold(1.0, f32::max)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_a_keyboard_with_its_own_letters() {
        for (locale, letter) in [
            ("fr", "é"),
            ("es", "ñ"),
            ("pl", "ł"),
            ("uk", "ї"),
            ("ar", "ض"),
            ("en", "q"),
        ] {
            let rows = layout(KeyboardKind::Text, locale, Mode::Native, false, false);
            assert!(
                rows.iter().flatten().any(|k| k.value == letter),
                "{locale} lacks {letter}"
            );
            assert!(rows.iter().flatten().any(|k| k.value == special::BACKSPACE));
            assert!(rows.iter().flatten().any(|k| k.value == special::SPACE));
            assert!(units(&rows) <= 14.0, "{locale} too wide: {}", units(&rows));
        }
        let uk_latin = layout(KeyboardKind::Text, "uk", Mode::Latin, false, false);
        assert!(uk_latin.iter().flatten().any(|k| k.value == "q"));
        let shifted = layout(KeyboardKind::Text, "uk", Mode::Native, true, false);
        assert!(shifted.iter().flatten().any(|k| k.value == "Ї"));
        let symbols = layout(KeyboardKind::Text, "en", Mode::Symbols, false, false);
        assert!(symbols.iter().flatten().any(|k| k.value == "@"));
        assert!(symbols.iter().flatten().any(|k| k.value == "7"));
    }

    #[test]
    fn number_pad_uses_the_local_decimal_separator() {
        let fr = layout(KeyboardKind::Number, "fr", Mode::Native, false, false);
        assert!(fr.iter().flatten().any(|k| k.value == ","));
        let en = layout(KeyboardKind::Number, "en", Mode::Native, false, false);
        assert!(en.iter().flatten().any(|k| k.value == "."));
        let phone = layout(KeyboardKind::Phone, "en", Mode::Native, false, false);
        assert!(phone.iter().flatten().any(|k| k.value == "+"));
    }
}
