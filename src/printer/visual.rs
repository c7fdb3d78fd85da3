//! Right-to-left text for printers that neither shape nor reorder: what we must do in software
//! before such text can go out as code-page characters instead of a picture.
//!
//! A printer's own font prints one glyph per byte, left to right, in the order it receives them.
//! So an Arabic line is sent (1) *shaped*: each letter replaced by its contextual presentation form
//! (isolated, final, initial, medial) and lam + alef by their ligature, which code pages such as
//! CP864 hold one byte per shape; and (2) in *visual order*: the Unicode bidirectional algorithm
//! (`unicode-bidi`) resolves the line's levels, right-to-left runs are reversed and their mirrored
//! characters swapped (`(` ↔ `)`), left-to-right runs (digits, Latin names) keep their order.
//! Hebrew needs only (2). Wrapping happens first, on the logical text, so the first line printed
//! holds the first words.
//!
//! Sources: joining types are those of Unicode's `ArabicShaping.txt`; the presentation forms are
//! the compatibility decompositions (`<isolated>`, `<final>`, `<initial>`, `<medial>`) of the Arabic
//! Presentation Forms-B block in `UnicodeData.txt` (Unicode 14), listed below as they are there.

use unicode_bidi::BidiInfo;

/// How an Arabic character joins its neighbours (`ArabicShaping.txt`, field 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Joining {
    /// U: joins neither side (hamza, and every non-Arabic character).
    None,
    /// R: joins the preceding letter only (alef, dal, reh, waw…).
    Right,
    /// D: joins both sides.
    Dual,
    /// C: join-causing (tatweel).
    Causing,
    /// T: transparent (harakat): skipped when looking for neighbours.
    Transparent,
}

/// Joining type of `c` (`ArabicShaping.txt`, for the letters of U+0621..U+064A, tatweel, the zero
/// width joiner and the harakat; everything else, the zero width non-joiner included, joins
/// nothing).
fn joining(c: char) -> Joining {
    match c as u32 {
        0x0621 => Joining::None,
        0x0622..=0x0625 | 0x0627 | 0x0629 | 0x062F..=0x0632 | 0x0648 => Joining::Right,
        0x0626 | 0x0628 | 0x062A..=0x062E | 0x0633..=0x063A | 0x0641..=0x0647 | 0x0649 | 0x064A => {
            Joining::Dual
        }
        // Tatweel and the zero width joiner.
        0x0640 | 0x200D => Joining::Causing,
        0x064B..=0x065F | 0x0670 => Joining::Transparent,
        _ => Joining::None,
    }
}

/// Presentation forms `[isolated, final, initial, medial]` (0 = none) of each letter, from the
/// decompositions of U+FE80..U+FEF4 in `UnicodeData.txt`.
const FORMS: [(u32, [u32; 4]); 36] = [
    (0x0621, [0xFE80, 0, 0, 0]),                // HAMZA
    (0x0622, [0xFE81, 0xFE82, 0, 0]),           // ALEF WITH MADDA ABOVE
    (0x0623, [0xFE83, 0xFE84, 0, 0]),           // ALEF WITH HAMZA ABOVE
    (0x0624, [0xFE85, 0xFE86, 0, 0]),           // WAW WITH HAMZA ABOVE
    (0x0625, [0xFE87, 0xFE88, 0, 0]),           // ALEF WITH HAMZA BELOW
    (0x0626, [0xFE89, 0xFE8A, 0xFE8B, 0xFE8C]), // YEH WITH HAMZA ABOVE
    (0x0627, [0xFE8D, 0xFE8E, 0, 0]),           // ALEF
    (0x0628, [0xFE8F, 0xFE90, 0xFE91, 0xFE92]), // BEH
    (0x0629, [0xFE93, 0xFE94, 0, 0]),           // TEH MARBUTA
    (0x062A, [0xFE95, 0xFE96, 0xFE97, 0xFE98]), // TEH
    (0x062B, [0xFE99, 0xFE9A, 0xFE9B, 0xFE9C]), // THEH
    (0x062C, [0xFE9D, 0xFE9E, 0xFE9F, 0xFEA0]), // JEEM
    (0x062D, [0xFEA1, 0xFEA2, 0xFEA3, 0xFEA4]), // HAH
    (0x062E, [0xFEA5, 0xFEA6, 0xFEA7, 0xFEA8]), // KHAH
    (0x062F, [0xFEA9, 0xFEAA, 0, 0]),           // DAL
    (0x0630, [0xFEAB, 0xFEAC, 0, 0]),           // THAL
    (0x0631, [0xFEAD, 0xFEAE, 0, 0]),           // REH
    (0x0632, [0xFEAF, 0xFEB0, 0, 0]),           // ZAIN
    (0x0633, [0xFEB1, 0xFEB2, 0xFEB3, 0xFEB4]), // SEEN
    (0x0634, [0xFEB5, 0xFEB6, 0xFEB7, 0xFEB8]), // SHEEN
    (0x0635, [0xFEB9, 0xFEBA, 0xFEBB, 0xFEBC]), // SAD
    (0x0636, [0xFEBD, 0xFEBE, 0xFEBF, 0xFEC0]), // DAD
    (0x0637, [0xFEC1, 0xFEC2, 0xFEC3, 0xFEC4]), // TAH
    (0x0638, [0xFEC5, 0xFEC6, 0xFEC7, 0xFEC8]), // ZAH
    (0x0639, [0xFEC9, 0xFECA, 0xFECB, 0xFECC]), // AIN
    (0x063A, [0xFECD, 0xFECE, 0xFECF, 0xFED0]), // GHAIN
    (0x0641, [0xFED1, 0xFED2, 0xFED3, 0xFED4]), // FEH
    (0x0642, [0xFED5, 0xFED6, 0xFED7, 0xFED8]), // QAF
    (0x0643, [0xFED9, 0xFEDA, 0xFEDB, 0xFEDC]), // KAF
    (0x0644, [0xFEDD, 0xFEDE, 0xFEDF, 0xFEE0]), // LAM
    (0x0645, [0xFEE1, 0xFEE2, 0xFEE3, 0xFEE4]), // MEEM
    (0x0646, [0xFEE5, 0xFEE6, 0xFEE7, 0xFEE8]), // NOON
    (0x0647, [0xFEE9, 0xFEEA, 0xFEEB, 0xFEEC]), // HEH
    (0x0648, [0xFEED, 0xFEEE, 0, 0]),           // WAW
    (0x0649, [0xFEEF, 0xFEF0, 0, 0]),           // ALEF MAKSURA
    (0x064A, [0xFEF1, 0xFEF2, 0xFEF3, 0xFEF4]), // YEH
];

/// Lam followed by one of these alefs is written as one ligature: `(alef, isolated, final)`
/// (U+FEF5..U+FEFC, decomposing to lam + alef).
const LAM_ALEF: [(char, char, char); 4] = [
    ('\u{0622}', '\u{FEF5}', '\u{FEF6}'),
    ('\u{0623}', '\u{FEF7}', '\u{FEF8}'),
    ('\u{0625}', '\u{FEF9}', '\u{FEFA}'),
    ('\u{0627}', '\u{FEFB}', '\u{FEFC}'),
];

const LAM: char = '\u{0644}';

/// Which of a letter's shapes a position needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// Joined on neither side.
    Isolated,
    /// Joined to the letter before only.
    Final,
    /// Joined to the letter after only.
    Initial,
    /// Joined on both sides.
    Medial,
}

/// The presentation form of letter `c` for `form`, if Unicode has one.
pub fn form_char(c: char, form: Form) -> Option<char> {
    let (_, forms) = FORMS.iter().find(|(base, _)| *base == c as u32)?;
    let i = match form {
        Form::Isolated => 0,
        Form::Final => 1,
        Form::Initial => 2,
        Form::Medial => 3,
    };
    char::from_u32(forms[i]).filter(|&f| f != '\0')
}

/// The letter and form a presentation form stands for (the inverse of shaping one letter).
pub fn form_of(presentation: char) -> Option<(char, Form)> {
    FORMS.iter().find_map(|(base, forms)| {
        let i = forms
            .iter()
            .position(|&f| f != 0 && f == presentation as u32)?;
        let form = [Form::Isolated, Form::Final, Form::Initial, Form::Medial][i];
        Some((char::from_u32(*base)?, form))
    })
}

/// Whether `text` needs this module: it has a right-to-left character.
pub fn has_rtl(text: &str) -> bool {
    text.chars().any(super::raster::is_rtl_char)
}

/// `text` (logical order) with every Arabic letter replaced by the presentation form its
/// neighbours call for, and lam + alef by their ligature. Other characters are kept; a letter with
/// no presentation form (e.g. Persian peh) is kept as it is, so no code page will hold it and the
/// paragraph is drawn instead.
pub fn shape(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    // The nearest non-transparent neighbour's joining type on each side.
    let before = |i: usize| {
        chars[..i]
            .iter()
            .rev()
            .map(|&c| joining(c))
            .find(|j| *j != Joining::Transparent)
            .unwrap_or(Joining::None)
    };
    let after_index =
        |i: usize| (i + 1..chars.len()).find(|&k| joining(chars[k]) != Joining::Transparent);
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let j = joining(c);
        let joins_before = matches!(j, Joining::Right | Joining::Dual | Joining::Causing)
            && matches!(before(i), Joining::Dual | Joining::Causing);
        let next = after_index(i);
        if c == LAM
            && let Some(k) = next
            && let Some(&(_, isolated, fin)) = LAM_ALEF.iter().find(|(a, _, _)| *a == chars[k])
        {
            out.push(if joins_before { fin } else { isolated });
            // Harakat between lam and alef are kept after the ligature.
            out.extend(&chars[i + 1..k]);
            i = k + 1;
            continue;
        }
        let joins_after = matches!(j, Joining::Dual | Joining::Causing)
            && next.is_some_and(|k| {
                matches!(
                    joining(chars[k]),
                    Joining::Right | Joining::Dual | Joining::Causing
                )
            });
        let form = match (joins_before, joins_after) {
            (false, false) => Form::Isolated,
            (true, false) => Form::Final,
            (false, true) => Form::Initial,
            (true, true) => Form::Medial,
        };
        out.push(form_char(c, form).unwrap_or(c));
        i += 1;
    }
    out
}

/// Characters whose glyph is mirrored in right-to-left text (the common pairs of Unicode's
/// `BidiMirroring.txt`): a printer draws `(` the same way whatever the direction.
fn mirrored(c: char) -> char {
    match c {
        '(' => ')',
        ')' => '(',
        '[' => ']',
        ']' => '[',
        '{' => '}',
        '}' => '{',
        '<' => '>',
        '>' => '<',
        '«' => '»',
        '»' => '«',
        '‹' => '›',
        '›' => '‹',
        other => other,
    }
}

/// Explicit directional formatting characters (embeddings, overrides, isolates): they steer the
/// bidi algorithm and are then dropped, since no code page has them.
pub const BIDI_CONTROLS: [char; 12] = [
    '\u{200E}', '\u{200F}', '\u{061C}', '\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}',
    '\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}',
];

/// A paragraph laid out for a left-to-right printer: its lines (each at most `columns` cells of
/// one character) in visual order, and whether it reads right to left (so `Start` means the
/// right edge).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VisualParagraph {
    /// Lines, top to bottom, each in the order the printer prints its characters.
    pub lines: Vec<String>,
    /// The same lines shaped but in logical order (bidi marks kept), for drawing one that no
    /// code page holds.
    pub logical: Vec<String>,
    /// The paragraph direction (from its first strong character).
    pub rtl: bool,
}

/// Shapes `text`, wraps it to `columns` cells and puts each line in visual order.
pub fn visual_paragraph(text: &str, columns: usize) -> VisualParagraph {
    let shaped = shape(text);
    let info = BidiInfo::new(&shaped, None);
    let Some(para) = info.paragraphs.first() else {
        return VisualParagraph {
            lines: Vec::new(),
            logical: Vec::new(),
            rtl: false,
        };
    };
    let rtl = para.level.is_rtl();
    let ranges = super::compose::wrap_ranges(&shaped, columns);
    let logical = ranges
        .iter()
        .map(|r| shaped[r.clone()].to_string())
        .collect();
    let lines = ranges
        .into_iter()
        .map(|range| {
            let (levels, runs) = info.visual_runs(para, range);
            let mut line = String::new();
            for run in runs {
                let piece = &shaped[run.clone()];
                if levels[run.start].is_rtl() {
                    line.extend(piece.chars().rev().map(mirrored));
                } else {
                    line.push_str(piece);
                }
            }
            line.retain(|c| !BIDI_CONTROLS.contains(&c));
            line
        })
        .collect();
    VisualParagraph {
        lines,
        logical,
        rtl,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_take_the_form_their_neighbours_call_for() {
        // بيت: beh initial, yeh medial, teh final.
        assert_eq!(shape("بيت"), "\u{FE91}\u{FEF4}\u{FE96}");
        // A right-joining letter (dal) breaks the word: the beh after it starts again.
        assert_eq!(shape("دب"), "\u{FEA9}\u{FE8F}");
        // Hamza joins nothing; spaces and Latin neither.
        assert_eq!(shape("ء a"), "\u{FE80} a");
        // Harakat are transparent: the beh still joins the teh.
        assert_eq!(shape("بَت"), "\u{FE91}\u{064E}\u{FE96}");
        // Tatweel causes joining.
        assert_eq!(shape("بـ"), "\u{FE91}\u{0640}");
    }

    #[test]
    fn lam_alef_becomes_one_ligature() {
        assert_eq!(shape("لا"), "\u{FEFB}");
        // After a joining letter: the final ligature (كلا: kaf initial + lam-alef final).
        assert_eq!(shape("كلا"), "\u{FEDB}\u{FEFC}");
        assert_eq!(shape("لأ"), "\u{FEF7}");
        assert_eq!(shape("سلام"), "\u{FEB3}\u{FEFC}\u{FEE1}");
    }

    #[test]
    fn presentation_forms_map_back_to_their_letter() {
        assert_eq!(form_of('\u{FE91}'), Some(('\u{0628}', Form::Initial)));
        assert_eq!(form_of('\u{FEEA}'), Some(('\u{0647}', Form::Final)));
        assert_eq!(form_of('a'), None);
    }

    #[test]
    fn visual_order_reverses_arabic_and_keeps_numbers_and_latin() {
        let p = visual_paragraph("رقم 42 (LIB2)", 40);
        assert!(p.rtl);
        assert_eq!(p.lines.len(), 1);
        // Read right to left: رقم, then 42, then (LIB2); printed left to right that is
        // "(LIB2) 42 مقر" with the Arabic letters reversed and the brackets mirrored.
        let expected = format!(
            "(LIB2) 42 {}",
            shape("رقم").chars().rev().collect::<String>()
        );
        assert_eq!(p.lines[0], expected);
        let p = visual_paragraph("Hello", 40);
        assert!(!p.rtl);
        assert_eq!(p.lines, ["Hello"]);
    }

    #[test]
    fn wrapping_keeps_the_first_words_on_the_first_line() {
        let p = visual_paragraph("واحد اثنان ثلاثة", 11);
        assert_eq!(p.lines.len(), 2);
        let first_logical: String = p.lines[0].chars().rev().collect();
        assert!(first_logical.starts_with(&shape("واحد")), "{:?}", p.lines);
    }

    #[test]
    fn isolation_marks_order_a_placeable_and_are_dropped() {
        // Fluent wraps placeables in FSI … PDI.
        let p = visual_paragraph("الخدمة: \u{2068}Pothole\u{2069}", 40);
        assert!(p.lines[0].starts_with("Pothole "), "{:?}", p.lines);
        assert!(!p.lines[0].contains('\u{2068}'));
    }
}
