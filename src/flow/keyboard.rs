//! On-screen keyboard layouts and what each key does to the text being typed.
//!
//! Layouts are data: rows of keys per language and mode. Special keys carry a `{name}` value the
//! flow interprets; everything else is inserted as typed. Arabic and Ukrainian residents get their
//! own alphabet first, with one key to switch to Latin letters (for e-mail addresses) and one to
//! digits and punctuation.
//!
//! Keys must be at least 15 mm wide with 2 mm between them on the real panel (`ui/scale.rs`).
//! A row of 12 Arabic letters needs 202 mm; a 7" panel is 154 mm wide. [`fit`] therefore
//! reshapes a text keyboard for the room it has: first Delete and Shift narrow and Delete moves
//! to the end of the narrowest row (a 10" panel then holds every language's rows); when that is
//! still too wide the letters are split into pages — each letter row shows a part of itself
//! and a labelled "More letters" key shows the next part, so every letter of every language
//! stays a few taps away on a key of full size.

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
    /// One word of `accessible` shown instead of `label` where the label does not fit its key
    /// on one line at the largest text size's least size (33 px: "Capital" for "Capital
    /// letter"); empty: none. See [`short_message_id`].
    pub short: String,
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
    /// Done typing a search (the question page's Continue is in its action bar instead).
    pub const CONTINUE: &str = "{continue}";
    /// The next page of letters (narrow panels, see [`super::fit`]).
    pub const MORE_LETTERS: &str = "{more-letters}";
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
            short: String::new(),
        })
        .collect()
}

impl Key {
    /// A key that shows the words it is called by (the staff pads' "Delete" and "OK": the
    /// visible label is the spoken one, WCAG 2.5.3).
    pub fn worded(words: String, value: &str, width: f32) -> Key {
        Key {
            label: words.clone(),
            value: value.to_string(),
            width,
            accessible: words,
            short: String::new(),
        }
    }
}

fn special_key(label: &str, value: &str, width: f32, message_id: &str) -> Key {
    Key {
        label: label.to_string(),
        value: value.to_string(),
        width,
        accessible: message_id.to_string(),
        short: String::new(),
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
            rows
        }
        KeyboardKind::Number | KeyboardKind::Phone => {
            let extra = match kind {
                KeyboardKind::Number if matches!(locale, "en" | "ar") => ".",
                KeyboardKind::Number => ",",
                _ => "+",
            };
            // Four rows of four columns: with Continue in the action bar, the pad and the top
            // bar fit a 7" panel's 90 mm height beside the question.
            let fourth = match kind {
                KeyboardKind::Number => letters("-").remove(0),
                _ => special_key("␣", special::SPACE, 1.0, "keyboard-space"),
            };
            let mut rows = vec![letters("1 2 3"), letters("4 5 6"), letters("7 8 9")];
            rows[0].push(special_key(
                "⌫",
                special::BACKSPACE,
                1.0,
                "keyboard-backspace",
            ));
            rows[1].push(letters(extra).remove(0));
            rows[2].push(fourth);
            let mut zero = letters("0");
            zero[0].width = 4.0;
            rows.push(zero);
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
            out.push(bottom);
            // House numbers, postcodes and phone numbers need digits without changing page.
            if mode != Mode::Symbols {
                out.insert(0, letters(DIGIT_ROW));
            }
            out
        }
    }
}

/// The search keyboard's Done key; its label is filled in by the flow (translated).
pub fn done_key() -> Key {
    special_key("search-done", special::CONTINUE, 3.0, "search-done")
}

/// The least width of a key and the least gap between two, in millimetres (WCAG 2.5.8 at
/// closed-functionality size: EN 301 549 asks for targets a finger can hit).
const KEY_MM: f32 = 15.0;
const GAP_MM: f32 = 2.0;

/// The widest row, in letter-key units, that a keyboard `width_mm` wide holds with every key
/// ≥ 15 mm and 2 mm apart. The keyboard widget gives a one-unit key
/// `(width − 2 mm − (keys − 1) × 2 mm) / units`; with no more keys than units in a row, that
/// is ≥ 15 mm whenever units ≤ width / 17 mm.
pub fn room(width_mm: f32) -> f32 {
    if width_mm.is_finite() && width_mm > 0.0 {
        (width_mm / (KEY_MM + GAP_MM)).floor()
    } else {
        f32::INFINITY
    }
}

/// Reshapes a text keyboard's `rows` to be no wider than `room` units: unchanged when they fit;
/// else one-unit Delete and Shift, Delete at the end of the narrowest row; else pages of letters (`page`
/// counts taps on "More letters" and wraps). Number pads are three keys wide and never change
/// here ([`widen_pad`]).
///
/// At the largest text size (`largest`) a word key beside letters (Delete, Shift, More
/// letters) needs the room of one word at 33 px (EN 301 549 5.1.4: a capital H of 6.1 mm),
/// which one unit (15 mm) never gives and two give only to short words ("Capital", "Велика",
/// "Effacer" were set at about 30 px on two units of a 7" panel). So there Delete and Shift
/// keep two units where the keyboard is compact, and a paged keyboard gives them
/// [`WORD_UNITS_LARGEST`] where a row then keeps three letters (fewer letters a row, so more
/// pages: on a 7" panel in landscape, four where there were three); upright (five units) they
/// keep two. Smaller sizes are as they were.
pub fn fit(rows: Vec<Vec<Key>>, room: f32, page: usize, largest: bool) -> Vec<Vec<Key>> {
    if units(&rows) <= room || room < 4.0 {
        return rows;
    }
    let compact = compacted(rows.clone(), if largest { 2.0 } else { 1.0 });
    if units(&compact) <= room {
        return compact;
    }
    paged(rows, room, page, largest)
}

/// The width of a word key beside letters on a paged keyboard at the largest text size, in
/// units: three hold "Capital", "Велика", "Стерти" or "Effacer" on one line at 33 px on a 7"
/// panel in landscape (two held about 30 px).
pub const WORD_UNITS_LARGEST: f32 = 3.0;

/// A number pad at the largest text size: Delete holds its word at 33 px ("Стерти" needs
/// 33 mm; one unit of an upright 7" panel's pad is 20 mm). On the whole-number pad Delete and
/// 0 share the last row equally; on the four-column pads the fourth column (Delete, the
/// decimal separator or "+", "-" or Space) is two units wide and 0 takes the last row. Keys
/// are known by their values, so the pads' rows in [`layout`] may change; a text keyboard is
/// left as it is (see [`fit`]).
pub fn widen_pad(kind: KeyboardKind, mut rows: Vec<Vec<Key>>) -> Vec<Vec<Key>> {
    for key in rows.iter_mut().flatten() {
        let digit = key.value.chars().all(|c| c.is_ascii_digit());
        key.width = match kind {
            KeyboardKind::WholeNumber if key.value == "0" || key.value == special::BACKSPACE => 1.5,
            KeyboardKind::Number | KeyboardKind::Phone if key.value == "0" => 5.0,
            KeyboardKind::Number | KeyboardKind::Phone if !digit => 2.0,
            _ => key.width,
        };
    }
    rows
}

fn compacted(mut rows: Vec<Vec<Key>>, words: f32) -> Vec<Vec<Key>> {
    let mut delete = None;
    for row in &mut rows {
        if let Some(i) = row.iter().position(|k| k.value == special::BACKSPACE) {
            delete = Some(Key {
                width: words,
                ..row.remove(i)
            });
        }
        for key in row.iter_mut().filter(|k| k.value == special::SHIFT) {
            key.width = words;
        }
    }
    // Delete goes to the end of the narrowest typing row (the digit row when there is one).
    let width = |r: &Vec<Key>| r.iter().map(|k| k.width).sum::<f32>();
    let last = rows.len().saturating_sub(1);
    let narrowest = rows[..last]
        .iter()
        .enumerate()
        .min_by(|a, b| width(a.1).total_cmp(&width(b.1)))
        .map(|(i, _)| i);
    if let (Some(delete), Some(i)) = (delete, narrowest) {
        rows[i].push(delete);
    }
    rows
}

/// A keyboard's letter rows: each row's typed keys (the digit row above the letters left out:
/// digits are on the Symbols page).
fn letter_rows(rows: &[Vec<Key>]) -> Vec<Vec<Key>> {
    let mut letters: Vec<Vec<Key>> = rows
        .iter()
        .map(|r| {
            r.iter()
                .filter(|k| !k.value.starts_with('{'))
                .cloned()
                .collect::<Vec<_>>()
        })
        .filter(|r| !r.is_empty())
        .collect();
    let digits = |r: &Vec<Key>| {
        r.iter()
            .all(|k| k.value.chars().all(|c| c.is_ascii_digit()))
    };
    if letters.len() > 3 && letters.first().is_some_and(digits) {
        letters.remove(0);
    }
    letters
}

/// Pages of letters: row 1 ends with Delete, row 2 with "More letters", row 3 starts with
/// Shift, each two units wide ([`WORD_UNITS_LARGEST`] at the largest size where a row keeps
/// three letters beside them); the other specials (Symbols, Latin letters, Space, New line,
/// Done) make the last row, each two units wide and Space what is left.
fn paged(rows: Vec<Vec<Key>>, room: f32, page: usize, largest: bool) -> Vec<Vec<Key>> {
    let words = if largest && room - WORD_UNITS_LARGEST >= 3.0 {
        WORD_UNITS_LARGEST
    } else {
        2.0
    };
    let letters = letter_rows(&rows);
    let specials: Vec<Key> = rows
        .into_iter()
        .flatten()
        .filter(|k| k.value.starts_with('{'))
        .collect();
    let per_row = (room - words).max(1.0) as usize;
    let pages = letters
        .iter()
        .map(|r| r.len().div_ceil(per_row))
        .max()
        .unwrap_or(1)
        .max(2);
    let page = page % pages;
    let take = |k: &str| specials.iter().find(|s| s.value == k).cloned();
    let mut out: Vec<Vec<Key>> = letters
        .iter()
        .map(|r| {
            let chunk = r.len().div_ceil(pages);
            r.iter().skip(page * chunk).take(chunk).cloned().collect()
        })
        .collect();
    let wide = |k: Key| Key { width: words, ..k };
    if let Some(delete) = take(special::BACKSPACE) {
        out[0].push(wide(delete));
    }
    let more = Key {
        label: format!("{}/{pages}", page + 1),
        value: special::MORE_LETTERS.to_string(),
        width: words,
        accessible: "keyboard-more-letters".to_string(),
        short: String::new(),
    };
    let at = 1.min(out.len() - 1);
    out[at].push(more);
    if let Some(shift) = take(special::SHIFT) {
        let last = out.len() - 1;
        out[last].insert(0, wide(shift));
    }
    let mut bottom: Vec<Key> = specials
        .into_iter()
        .filter(|k| k.value != special::BACKSPACE && k.value != special::SHIFT)
        .map(|k| Key {
            width: if k.value == special::CONTINUE {
                3.0
            } else {
                2.0
            },
            ..k
        })
        .collect();
    // Four keys with words do not fit a paged keyboard's last row (Ukrainian "Символи",
    // "Латинські літери", "Пробіл" and "Новий рядок" on a 7" panel need 110 mm at the
    // smallest text; the keyboard has about 100 mm): of the keys that change page, the one to
    // Latin letters gives way on the language's own page and the one to Symbols on the Latin
    // page. Every page stays two taps away at most, through the Symbols page, whose two such
    // keys ("АБВ", "ABC") are short.
    // At the largest text size (33 px) a last row holds two keys with words, no more
    // ("Символи", "Латинські" and "Пробіл" need 124 mm; Spanish "Letras", "Espacio" and "Línea"
    // 92 mm of an upright 7" panel's 84): the same key gives way on the own-letters and Latin
    // pages, and on a Symbols page with keys to two alphabets, Space (a tap away on either).
    // New line is not offered there: beside two others its word was set at 26–31 px, and a
    // request's description reads as well in one paragraph. The pages stay two taps apart
    // at most.
    if largest {
        bottom.retain(|k| k.value != special::NEWLINE);
    }
    if bottom.len() > 3 || (largest && bottom.len() > 2) {
        let has = |value: &str| bottom.iter().any(|k| k.value == value);
        let leaves = if has(special::MODE_SYMBOLS) && has(special::MODE_LATIN) {
            Some(special::MODE_LATIN)
        } else if has(special::MODE_SYMBOLS) && has(special::MODE_NATIVE) {
            Some(special::MODE_SYMBOLS)
        } else if largest && has(special::MODE_NATIVE) && has(special::MODE_LATIN) {
            Some(special::SPACE)
        } else {
            None
        };
        bottom.retain(|k| Some(k.value.as_str()) != leaves);
    }
    let others: f32 = bottom
        .iter()
        .filter(|k| k.value != special::SPACE)
        .map(|k| k.width)
        .sum();
    for key in bottom.iter_mut().filter(|k| k.value == special::SPACE) {
        key.width = (room - others).clamp(2.0, 5.0);
    }
    // No Space (the Symbols page above, at the largest size): the keys share the row.
    let sharing = bottom
        .iter()
        .filter(|k| k.value != special::CONTINUE)
        .count();
    if !bottom.iter().any(|k| k.value == special::SPACE) && sharing > 0 {
        let done: f32 = bottom
            .iter()
            .filter(|k| k.value == special::CONTINUE)
            .map(|k| k.width)
            .sum();
        let each = ((room - done) / sharing as f32).max(2.0);
        for key in bottom.iter_mut().filter(|k| k.value != special::CONTINUE) {
            key.width = each;
        }
    }
    // Space over three keys wide beside word keys two wide: what is over three goes to them,
    // equally. Space's one word needs no more, and theirs may ("Symbols" on a 7" panel at the
    // largest text size: two keys' width held it on one line at 30 px, not 33).
    let space = bottom
        .iter()
        .find(|k| k.value == special::SPACE)
        .map_or(0.0, |k| k.width);
    let beside = bottom
        .iter()
        .filter(|k| k.value != special::SPACE && k.value != special::CONTINUE)
        .count();
    if space > 3.0 && beside > 0 {
        let more = (space - 3.0) / beside as f32;
        for key in bottom.iter_mut() {
            if key.value == special::SPACE {
                key.width = 3.0;
            } else if key.value != special::CONTINUE {
                key.width += more;
            }
        }
    }
    // Too wide for one row (Arabic's Symbols, Latin letters and New line beside Space, on a
    // keyboard six keys wide): a key and a half each (still ≥ 22 mm, room for their words)
    // rather than a fifth row the window has no height for.
    if bottom.iter().map(|k| k.width).sum::<f32>() > room {
        for key in bottom.iter_mut() {
            key.width = 1.5;
        }
        let others = 1.5 * (bottom.len() as f32 - 1.0);
        for key in bottom.iter_mut().filter(|k| k.value == special::SPACE) {
            key.width = (room - others).clamp(1.5, 5.0);
        }
    }
    // Still too wide but no more keys than units (Arabic's four on a 7" panel upright, five
    // units wide): the row shared equally, each key ≥ one unit, rather than a fifth row that
    // pushed Continue out of the window.
    let n = bottom.len() as f32;
    if bottom.iter().map(|k| k.width).sum::<f32>() > room && n <= room.floor() {
        for key in bottom.iter_mut() {
            key.width = room.floor() / n;
        }
    }
    // On the narrowest panels the last row wraps.
    let mut row: Vec<Key> = Vec::new();
    for key in bottom {
        if !row.is_empty() && row.iter().map(|k| k.width).sum::<f32>() + key.width > room {
            out.push(std::mem::take(&mut row));
        }
        row.push(key);
    }
    out.push(row);
    out
}

/// The label of the key that returns to a language's own alphabet.
fn native_label(locale: &str) -> &'static str {
    match locale {
        "ar" => "أبج",
        "uk" => "АБВ",
        _ => "abc",
    }
}

/// The message id of a special key's one-word name (`{id}-short`), for the keys whose names
/// take two words or more in some language: at the largest text size (33 px at least, EN 301
/// 549 5.1.4) a 15 mm key holds one line, and "Capital letter" or "Латинські літери" took two
/// at 20–24 px. Each is a word of the full name, so what is seen is part of what is spoken
/// (WCAG 2.5.3, Label in Name); the full name stays the key's accessible name.
pub fn short_message_id(message_id: &str) -> Option<String> {
    SHORTENED
        .contains(&message_id)
        .then(|| format!("{message_id}-short"))
}

/// The special keys with a one-word name ([`short_message_id`]).
const SHORTENED: &[&str] = &[
    "keyboard-shift",
    "keyboard-latin",
    "keyboard-newline",
    "keyboard-more-letters",
];

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
        "keyboard-more-letters",
        "keyboard-shift-short",
        "keyboard-latin-short",
        "keyboard-newline-short",
        "keyboard-more-letters-short",
        "search-done",
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

    /// A paged keyboard's last row gives Space three keys' width at most, and the room over
    /// that to the word keys beside it: beside the side column on a 7" panel (six units),
    /// "Symbols" and Space three each, where Space had four and "Symbols" two (not room for
    /// its word on one line at the largest text size).
    #[test]
    fn space_shares_a_paged_rows_room_with_the_words_beside_it() {
        let full = layout(KeyboardKind::Text, "en", Mode::Native, false, false);
        let beside = room(154.0 - crate::flow::SIDE_COLUMN_MM);
        assert_eq!(beside, 6.0);
        let rows = fit(full.clone(), beside, 0, false);
        let last = rows.last().unwrap();
        let width = |value: &str| last.iter().find(|k| k.value == value).map(|k| k.width);
        assert_eq!(width(special::SPACE), Some(3.0), "{last:?}");
        assert_eq!(width(special::MODE_SYMBOLS), Some(3.0), "{last:?}");
        // Where Space has three or less, nothing moves (upright, five units).
        let rows = fit(full, room(90.0), 0, false);
        let last = rows.last().unwrap();
        assert!(last.iter().all(|k| k.width <= 3.0), "{last:?}");
        assert!(
            last.iter()
                .any(|k| k.value == special::SPACE && k.width <= 3.0),
            "{last:?}"
        );
    }

    /// On a 10.1" panel (217 mm, 12 units) and a 7" one (154 mm, 9 units; 90 mm in portrait,
    /// 5 units), with and without the digit row, in every language and mode: no row is wider
    /// than the room, every key is at least one unit, and the pages together show every
    /// letter of the full keyboard.
    #[test]
    fn every_letter_fits_and_stays_reachable_on_small_panels() {
        assert_eq!(room(217.0), 12.0);
        assert_eq!(room(154.0), 9.0);
        assert_eq!(room(90.0), 5.0);
        for locale in ["en", "fr", "es", "pl", "uk", "ar"] {
            for mode in [Mode::Native, Mode::Latin, Mode::Symbols] {
                for multiline in [false, true] {
                    let full = layout(KeyboardKind::Text, locale, mode, false, multiline);
                    let typed: Vec<String> = full
                        .iter()
                        .flatten()
                        .filter(|k| !k.value.starts_with('{'))
                        .map(|k| k.value.clone())
                        .collect();
                    for (width_mm, largest) in [217.0, 154.0, 90.0]
                        .into_iter()
                        .flat_map(|w| [(w, false), (w, true)])
                    {
                        let room = room(width_mm);
                        let mut seen = std::collections::BTreeSet::new();
                        for page in 0..8 {
                            let rows = fit(full.clone(), room, page, largest);
                            let what = format!(
                                "{locale} {mode:?} {width_mm} mm page {page} largest {largest}"
                            );
                            assert!(units(&rows) <= room, "{what}: {}", units(&rows));
                            assert!(rows.iter().flatten().all(|k| k.width >= 1.0), "{what}");
                            // At the largest size a paged Symbols page with keys to two
                            // alphabets has no Space (a tap away on either).
                            let paged = rows
                                .iter()
                                .flatten()
                                .any(|k| k.value == special::MORE_LETTERS);
                            let no_space = largest
                                && paged
                                && mode == Mode::Symbols
                                && matches!(locale, "uk" | "ar");
                            for special in [special::BACKSPACE, special::SPACE] {
                                assert!(
                                    rows.iter().flatten().any(|k| k.value == special)
                                        || (special == special::SPACE && no_space),
                                    "{what} lacks {special}"
                                );
                            }
                            seen.extend(rows.iter().flatten().map(|k| k.value.clone()));
                        }
                        for value in &typed {
                            // Digits above the letters may move to the Symbols page.
                            let digit = value.chars().all(|c| c.is_ascii_digit());
                            assert!(
                                seen.contains(value) || (digit && mode != Mode::Symbols),
                                "{locale} {mode:?} at {width_mm} mm (largest {largest}) never shows {value}"
                            );
                        }
                    }
                }
            }
        }
        // Beside the side column on a 7" landscape panel (154 mm less the column: 6 units),
        // with the digit row left out as on every short window: no more than four rows (the
        // 68 mm the panel has for keys), in every language and mode, whatever the page.
        let beside = room(154.0 - crate::flow::SIDE_COLUMN_MM);
        assert_eq!(beside, 6.0);
        for locale in ["en", "fr", "es", "pl", "uk", "ar"] {
            for mode in [Mode::Native, Mode::Latin, Mode::Symbols] {
                for multiline in [false, true] {
                    let mut full = layout(KeyboardKind::Text, locale, mode, false, multiline);
                    if mode != Mode::Symbols {
                        full.remove(0);
                    }
                    // And on the same panel upright (90 mm: 5 units), where the top bar's
                    // three rows and Continue leave the keys no room for a fifth row.
                    for (room, largest) in [beside, room(90.0)]
                        .into_iter()
                        .flat_map(|r| [(r, false), (r, true)])
                    {
                        for page in 0..5 {
                            let rows = fit(full.clone(), room, page, largest);
                            let what = format!(
                                "{locale} {mode:?} multiline {multiline} page {page} in {room} \
                                 (largest {largest})"
                            );
                            assert!(rows.len() <= 4, "{what}: {} rows", rows.len());
                            assert!(units(&rows) <= room, "{what}: {}", units(&rows));
                            assert!(rows.iter().flatten().all(|k| k.width >= 1.0), "{what}");
                        }
                    }
                }
            }
        }
        // On a paged keyboard with four keys for the last row (New line, or a search's Done),
        // one key that changes page gives way on the own-letters and Latin pages, and each
        // page is still reachable from every other, through the Symbols page at most.
        // At the largest text size the same with three keys for the last row (Symbols,
        // Latin letters and Space).
        for (locale, largest, multiline) in [
            ("uk", false, true),
            ("ar", false, true),
            ("uk", true, false),
            ("ar", true, false),
            ("uk", true, true),
        ] {
            let page_of = |mode: Mode| {
                let mut rows = layout(KeyboardKind::Text, locale, mode, false, multiline);
                if mode != Mode::Symbols {
                    rows.remove(0);
                }
                fit(rows, 6.0, 0, largest)
            };
            let ways = |mode: Mode| -> Vec<Mode> {
                let rows = page_of(mode);
                let bottom = rows.last().unwrap();
                // The Symbols page keeps its four: its keys to other pages are short.
                let most = if largest { 2 } else { 3 };
                assert!(
                    bottom.len() <= most || mode == Mode::Symbols,
                    "{locale} {mode:?} (largest {largest}): {} keys",
                    bottom.len()
                );
                bottom
                    .iter()
                    .filter_map(|k| match k.value.as_str() {
                        special::MODE_NATIVE => Some(Mode::Native),
                        special::MODE_LATIN => Some(Mode::Latin),
                        special::MODE_SYMBOLS => Some(Mode::Symbols),
                        _ => None,
                    })
                    .collect()
            };
            for from in [Mode::Native, Mode::Latin, Mode::Symbols] {
                let mut reached = vec![from];
                for _ in 0..2 {
                    let next: Vec<Mode> = reached.iter().flat_map(|m| ways(*m)).collect();
                    reached.extend(next);
                }
                for to in [Mode::Native, Mode::Latin, Mode::Symbols] {
                    assert!(reached.contains(&to), "{locale}: {to:?} from {from:?}");
                }
            }
        }
        // A 10" panel keeps English and Arabic on one page (compact), a 7" one pages them.
        let en = layout(KeyboardKind::Text, "en", Mode::Native, false, false);
        assert!(
            !fit(en.clone(), 12.0, 0, false)
                .iter()
                .flatten()
                .any(|k| k.value == special::MORE_LETTERS)
        );
        assert!(
            fit(en, 9.0, 0, false)
                .iter()
                .flatten()
                .any(|k| k.value == special::MORE_LETTERS)
        );
        let mut ar = layout(KeyboardKind::Text, "ar", Mode::Native, false, false);
        ar.remove(0);
        assert!(
            !fit(ar, 12.0, 0, false)
                .iter()
                .flatten()
                .any(|k| k.value == special::MORE_LETTERS)
        );
    }

    /// At the largest text size a word key beside letters takes three units on a paged
    /// keyboard beside a 7" panel's side column (six units: three letters a row, a page more),
    /// two upright (five units) and two on a compact 10" keyboard where English fits with
    /// them; its row keeps within the room. The number pads' Delete takes two units (one and
    /// a half on the whole-number pad). At the default size nothing changes.
    #[test]
    fn at_the_largest_size_word_keys_beside_letters_have_room_for_their_word() {
        let width = |rows: &[Vec<Key>], value: &str| {
            rows.iter()
                .flatten()
                .find(|k| k.value == value)
                .map(|k| k.width)
        };
        let mut short = layout(KeyboardKind::Text, "en", Mode::Native, false, false);
        short.remove(0);
        for page in 0..4 {
            let rows = fit(short.clone(), 6.0, page, true);
            for value in [special::BACKSPACE, special::SHIFT, special::MORE_LETTERS] {
                assert_eq!(width(&rows, value), Some(WORD_UNITS_LARGEST), "{rows:?}");
            }
            assert!(units(&rows) <= 6.0, "{rows:?}");
            let more = rows
                .iter()
                .flatten()
                .find(|k| k.value == special::MORE_LETTERS);
            assert_eq!(
                more.map(|k| k.label.as_str()),
                Some(["1/4", "2/4", "3/4", "4/4"][page])
            );
        }
        let rows = fit(short.clone(), 6.0, 0, false);
        assert_eq!(width(&rows, special::SHIFT), Some(2.0), "{rows:?}");
        let more = rows
            .iter()
            .flatten()
            .find(|k| k.value == special::MORE_LETTERS);
        assert_eq!(more.map(|k| k.label.as_str()), Some("1/3"));
        let rows = fit(short, 5.0, 0, true);
        assert_eq!(width(&rows, special::SHIFT), Some(2.0), "{rows:?}");
        // Ukrainian's own page at the largest size: Latin letters through Symbols.
        let mut uk = layout(KeyboardKind::Text, "uk", Mode::Native, false, false);
        uk.remove(0);
        let rows = fit(uk, 6.0, 0, true);
        assert_eq!(width(&rows, special::MODE_LATIN), None, "{rows:?}");
        assert!(width(&rows, special::MODE_SYMBOLS).is_some(), "{rows:?}");
        // A 10" panel (12 units), with the digit row: compact, Delete and Shift two units.
        let en = layout(KeyboardKind::Text, "en", Mode::Native, false, false);
        let rows = fit(en.clone(), 12.0, 0, true);
        assert_eq!(width(&rows, special::MORE_LETTERS), None, "{rows:?}");
        assert_eq!(width(&rows, special::BACKSPACE), Some(2.0), "{rows:?}");
        assert_eq!(width(&rows, special::SHIFT), Some(2.0), "{rows:?}");
        let rows = fit(en, 12.0, 0, false);
        assert_eq!(width(&rows, special::BACKSPACE), Some(1.0), "{rows:?}");
        // Several lines at the largest size: no New line on a paged keyboard's pages (it is
        // there at the default size); a Symbols page with keys to two alphabets has them and
        // no Space.
        for locale in ["en", "uk"] {
            for mode in [Mode::Native, Mode::Latin, Mode::Symbols] {
                let mut rows = layout(KeyboardKind::Text, locale, mode, false, true);
                if mode != Mode::Symbols {
                    rows.remove(0);
                }
                let at_largest = fit(rows.clone(), 6.0, 0, true);
                let bottom = at_largest.last().unwrap();
                assert_eq!(bottom.len(), 2, "{locale} {mode:?}: {bottom:?}");
                assert_eq!(width(&at_largest, special::NEWLINE), None);
                assert!(width(&fit(rows, 6.0, 0, false), special::NEWLINE).is_some());
                assert_eq!(
                    width(&at_largest, special::SPACE).is_none(),
                    locale == "uk" && mode == Mode::Symbols,
                    "{locale} {mode:?}: {bottom:?}"
                );
                // The row's room is shared without Space too.
                assert_eq!(
                    bottom.iter().map(|k| k.width).sum::<f32>(),
                    6.0,
                    "{locale} {mode:?}: {bottom:?}"
                );
            }
        }
        // The pads.
        let kind = KeyboardKind::WholeNumber;
        let whole = widen_pad(kind, layout(kind, "uk", Mode::Native, false, false));
        assert_eq!(width(&whole, special::BACKSPACE), Some(1.5));
        assert_eq!(width(&whole, "0"), Some(1.5));
        assert_eq!(units(&whole), 3.0);
        for kind in [KeyboardKind::Number, KeyboardKind::Phone] {
            let pad = widen_pad(kind, layout(kind, "fr", Mode::Native, false, false));
            assert_eq!(width(&pad, special::BACKSPACE), Some(2.0), "{kind:?}");
            assert!(
                pad.iter()
                    .all(|r| r.iter().map(|k| k.width).sum::<f32>() == 5.0),
                "{pad:?}"
            );
            assert_eq!(width(&pad, "5"), Some(1.0));
        }
    }
}
