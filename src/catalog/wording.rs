//! What a question really asks for, read from the catalogue's own words.
//!
//! Open311 has one `number` datatype and no range fields, and one `datetime` datatype for "when
//! did you notice it?" (a day) and "what time does it happen?" (a time) alike, so councils write
//! the rule into the question or its hint: "How many items are there?", "up to 10 items per
//! collection", "1–5", "At what time…".
//! A pad with "." and "-" and an error that says "for example 3 or 2.5" invites mistakes on a
//! question that wants a count. This reads the few phrasings councils use, in the kiosk's
//! languages, and gives the flow a whole-number pad and the validator a range to name in its
//! message. It errs on the side of accepting: a question it does not understand keeps the plain
//! number rule, and a range is only taken from explicit words or an explicit `A–B`.

/// The rule of one `number` question.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct NumberRule {
    /// Only whole numbers (a count): the pad has no decimal separator or minus.
    pub whole: bool,
    /// Smallest accepted value, when the catalogue says so (a count is never below 0).
    pub min: Option<f64>,
    /// Largest accepted value, when the catalogue says so.
    pub max: Option<f64>,
}

/// Words that make a question a count (lower case; matched as whole words of the text).
const COUNT_WORDS: &[&str] = &[
    "how many",
    "number of",
    "whole number",
    "integer",
    "combien",
    "nombre de",
    "nombre entier",
    "cuántos",
    "cuántas",
    "cuantos",
    "cuantas",
    "número de",
    "ile",
    "liczba",
    "скільки",
    "кількість",
    "كم عدد",
    "عدد",
];

/// Words before a maximum: "up to 10", "at most 10", "hasta 10", "не більше 10".
const MAX_BEFORE: &[&str] = &[
    "up to",
    "at most",
    "no more than",
    "maximum",
    "max",
    "jusqu à",
    "au plus",
    "au maximum",
    "hasta",
    "como máximo",
    "máximo",
    "najwyżej",
    "maksymalnie",
    "do",
    "не більше",
    "до",
    "максимум",
];

/// Words after a maximum: "10 objets au maximum", "10 أغراض على الأكثر".
const MAX_AFTER: &[&str] = &["au maximum", "maximum", "على الأكثر", "كحد أقصى", "max"];

/// Words joining the two ends of a range: "1 to 10", "de 1 à 10", "od 1 do 10".
const RANGE_JOINS: &[&str] = &[
    "-", "–", "—", "to", "and", "à", "a", "y", "et", "do", "до", "і", "إلى", "و",
];

impl NumberRule {
    /// Reads the rule from a question and its hint.
    pub fn from_text(question: &str, hint: &str) -> NumberRule {
        let text = format!("{} {}", question, hint).to_lowercase();
        let tokens = tokenize(&text);
        let words = words_of(&tokens);
        let mut rule = NumberRule {
            whole: COUNT_WORDS
                .iter()
                .any(|w| words.contains(&format!(" {w} "))),
            ..NumberRule::default()
        };
        if let Some((lo, hi)) = find_range(&tokens) {
            rule.min = Some(lo);
            rule.max = Some(hi);
        } else if let Some(hi) = find_max(&tokens) {
            rule.max = Some(hi);
        }
        if rule.whole {
            // A count is never negative; a range that says more wins.
            rule.min = Some(rule.min.unwrap_or(0.0).max(0.0));
            if rule.max.is_some_and(|m| m.fract() != 0.0) {
                rule.whole = false;
            }
        }
        if let (Some(lo), Some(hi)) = (rule.min, rule.max)
            && lo > hi
        {
            // Words misread: no range rather than a range nobody can satisfy.
            rule.min = None;
            rule.max = None;
        }
        rule
    }

    /// Whether `n` satisfies the rule.
    pub fn accepts(&self, n: f64) -> bool {
        !(self.whole && n.fract() != 0.0)
            && self.min.is_none_or(|m| n >= m)
            && self.max.is_none_or(|m| n <= m)
    }
}

/// Words that ask for a time of day, not only a date (whole words of the question or hint).
const TIME_WORDS: &[&str] = &[
    "time",
    "what time",
    "hour",
    "clock",
    "heure",
    "horaire",
    "hora",
    "godzina",
    "godzinie",
    "godzinę",
    "godz",
    "година",
    "годині",
    "годину",
    "час",
    "коли саме",
    "الساعة",
    "ساعة",
    "وقت",
    "توقيت",
];

/// Whether a `datetime` question asks for the time of day as well as the date. A resident who
/// is asked "When did you notice it?" knows the day, rarely the minute: without these words
/// the picker shows day, month and year only and sends midnight of that day.
pub fn asks_for_time(question: &str, hint: &str) -> bool {
    let text = format!("{} {}", question, hint).to_lowercase();
    mentions_any(&words_of(&tokenize(&text)), TIME_WORDS)
}

/// Words that make an information page a safety warning (whole words, Arabic inside words).
const URGENT_WORDS: &[&str] = &[
    "danger",
    "dangerous",
    "emergency",
    "urgent",
    "keep away",
    "right now",
    "immediately",
    "power line",
    "power lines",
    "999",
    "112",
    "911",
    "dangereux",
    "urgence",
    "immédiatement",
    "tout de suite",
    "éloignez",
    "restez loin",
    "peligro",
    "peligroso",
    "emergencia",
    "urgente",
    "inmediatamente",
    "aléjese",
    "no se acerque",
    "niebezpieczeństwo",
    "niebezpieczne",
    "niebezpieczna",
    "nie podchodzić",
    "natychmiast",
    "pilne",
    "trzymaj się z daleka",
    "небезпека",
    "небезпечно",
    "небезпечна",
    "не підходьте",
    "негайно",
    "терміново",
    "тримайтеся подалі",
    "خطر",
    "خطير",
    "طوارئ",
    "فورًا",
    "فورا",
    "ابتعد",
];

/// Whether an information page is a safety warning ("If the hole is causing danger right now,
/// also phone…", "Keep away from fallen trees and power lines"): shown with a warning sign and
/// a title that says so, not "Please read this" like a fee notice.
pub fn is_urgent(text: &str) -> bool {
    let lower = text.to_lowercase();
    let mut words = String::from(" ");
    for t in tokenize(&lower) {
        match t {
            Token::Word(w) => words.push_str(&w),
            Token::Number(n) => words.push_str(&format_number(n)),
        }
        words.push(' ');
    }
    mentions_any(&words, URGENT_WORDS)
}

/// Whether `words` (space-separated, a space at each end) holds one of `list` as whole words;
/// Arabic entries are matched inside words too, since Arabic joins "and", "the", "in" to the
/// word ("والساعة").
fn mentions_any(words: &str, list: &[&str]) -> bool {
    let arabic = |w: &str| w.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c));
    list.iter().any(|w| {
        if arabic(w) {
            words.contains(w)
        } else {
            words.contains(&format!(" {w} "))
        }
    })
}

/// The words of the text, space-separated with a space at each end, for whole-word matching.
fn words_of(tokens: &[Token]) -> String {
    tokens.iter().fold(String::from(" "), |mut s, t| {
        if let Token::Word(w) = t {
            s.push_str(w);
            s.push(' ');
        }
        s
    })
}

/// A piece of the text: a number or a word (punctuation other than range dashes is dropped).
#[derive(Debug, Clone, PartialEq)]
enum Token {
    Number(f64),
    Word(String),
}

fn tokenize(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut number = String::new();
    let flush_word = |word: &mut String, out: &mut Vec<Token>| {
        if !word.is_empty() {
            out.push(Token::Word(std::mem::take(word)));
        }
    };
    let flush_number = |number: &mut String, out: &mut Vec<Token>| {
        if !number.is_empty() {
            let cleaned = number.trim_end_matches(['.', ',']).replace(',', ".");
            if let Ok(n) = cleaned.parse::<f64>()
                && n.is_finite()
            {
                out.push(Token::Number(n));
            }
            number.clear();
        }
    };
    for c in text.chars() {
        if c.is_ascii_digit() || (!number.is_empty() && (c == '.' || c == ',')) {
            flush_word(&mut word, &mut out);
            number.push(c);
        } else if matches!(c, '-' | '–' | '—') {
            flush_number(&mut number, &mut out);
            flush_word(&mut word, &mut out);
            out.push(Token::Word(c.to_string()));
        } else if c.is_alphabetic() {
            flush_number(&mut number, &mut out);
            word.push(c);
        } else {
            flush_number(&mut number, &mut out);
            flush_word(&mut word, &mut out);
        }
    }
    flush_number(&mut number, &mut out);
    flush_word(&mut word, &mut out);
    out
}

/// `A <join> B` with A ≤ B, the first such in the text.
fn find_range(tokens: &[Token]) -> Option<(f64, f64)> {
    tokens.windows(3).find_map(|w| match w {
        [Token::Number(a), Token::Word(j), Token::Number(b)]
            if RANGE_JOINS.contains(&j.as_str()) && a <= b =>
        {
            Some((*a, *b))
        }
        _ => None,
    })
}

/// A maximum named by words before or after a number.
fn find_max(tokens: &[Token]) -> Option<f64> {
    let words = |range: std::ops::Range<usize>| -> String {
        tokens[range]
            .iter()
            .filter_map(|t| match t {
                Token::Word(w) => Some(w.as_str()),
                Token::Number(_) => None,
            })
            .collect::<Vec<_>>()
            .join(" ")
    };
    for (i, t) in tokens.iter().enumerate() {
        let Token::Number(n) = t else { continue };
        let before = words(i.saturating_sub(3)..i);
        if MAX_BEFORE.iter().any(|w| before.ends_with(w)) {
            return Some(*n);
        }
        // Only the next few words count: "10 أغراض على الأكثر" (10 items at most).
        let after = words(i + 1..(i + 5).min(tokens.len()));
        if MAX_AFTER.iter().any(|w| after.contains(w)) {
            return Some(*n);
        }
    }
    None
}

/// Canonical text of a number: no exponent, no trailing `.0` (answers, number rules' words).
pub fn format_number(n: f64) -> String {
    if n.fract() == 0.0 {
        format!("{}", n as i64)
    } else {
        let s = format!("{n}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::NumberRule;

    fn rule(q: &str, h: &str) -> NumberRule {
        NumberRule::from_text(q, h)
    }

    #[test]
    fn the_demo_questions_are_counts_up_to_ten_in_every_language() {
        for (q, h) in [
            ("How many items are there?", "up to 10 items per collection"),
            (
                "Combien d’objets y a-t-il ?",
                "10 objets au maximum à chaque passage",
            ),
            ("¿Cuántas cosas hay?", "hasta 10 cosas en cada recogida"),
            ("كم عدد الأغراض؟", "10 أغراض على الأكثر في كل مرة"),
            (
                "Ile jest tych rzeczy?",
                "najwyżej 10 rzeczy za jednym razem",
            ),
            ("Скільки всього речей?", "не більше 10 речей за один раз"),
        ] {
            let r = rule(q, h);
            assert!(r.whole, "{q}");
            assert_eq!(r.min, Some(0.0), "{q}");
            assert_eq!(r.max, Some(10.0), "{q}");
        }
    }

    #[test]
    fn explicit_ranges_are_read() {
        let r = rule("Rate the noise", "1–5");
        assert_eq!((r.whole, r.min, r.max), (false, Some(1.0), Some(5.0)));
        let r = rule("How many bags?", "between 1 and 20");
        assert_eq!((r.whole, r.min, r.max), (true, Some(1.0), Some(20.0)));
        let r = rule("Width of the hole", "from 0.5 to 2.5 metres");
        assert_eq!((r.min, r.max), (Some(0.5), Some(2.5)));
    }

    #[test]
    fn questions_without_rules_keep_the_plain_number() {
        assert_eq!(
            rule("Depth of the pothole", "in centimetres"),
            NumberRule::default()
        );
        assert_eq!(rule("", ""), NumberRule::default());
        // A street number inside the question is not a range.
        assert_eq!(
            rule("Lamp post number", "on the post, e.g. 42"),
            NumberRule::default()
        );
        // Reversed ends are not a range anyone could satisfy.
        assert_eq!(rule("Temperature", "10 to 5"), NumberRule::default());
    }

    #[test]
    fn dates_ask_for_a_time_only_when_the_words_say_so() {
        use super::asks_for_time;
        assert!(!asks_for_time("When would you like it collected?", ""));
        assert!(!asks_for_time("Quand voulez-vous le passage ?", ""));
        assert!(!asks_for_time(
            "Sometimes it is dark: when did you notice it?",
            ""
        ));
        assert!(asks_for_time("At what time does the noise start?", ""));
        assert!(asks_for_time("Date and time of the incident", ""));
        assert!(asks_for_time("À quelle heure ?", ""));
        assert!(asks_for_time("Quand ?", "le jour et l’heure, à peu près"));
        assert!(asks_for_time("متى؟", "اليوم والساعة على وجه التقريب"));
        assert!(asks_for_time("¿A qué hora empieza?", ""));
        assert!(asks_for_time("O której godzinie?", ""));
        assert!(asks_for_time("О котрій годині?", ""));
        assert!(asks_for_time("في أي ساعة يبدأ الضجيج؟", ""));
    }

    #[test]
    fn safety_information_is_told_from_other_information() {
        use super::is_urgent;
        assert!(is_urgent(
            "If the hole is causing danger right now, also phone the council on 0800 555 0100."
        ));
        assert!(is_urgent(
            "Keep away from fallen trees and power lines. If a power line is down, phone 105."
        ));
        assert!(!is_urgent("A collection costs £15 for up to 10 items."));
        assert!(!is_urgent("Bags\nmax 50 lbs."));
        // The demo catalogue's two safety notes are urgent in every language, the fee is not.
        for (locale, catalog) in crate::catalog::demo_catalogs() {
            let info = |service: &str, code: &str| {
                catalog
                    .definition(service)
                    .and_then(|d| d.attribute(code))
                    .map(|a| a.description.clone())
                    .unwrap_or_default()
            };
            assert!(
                is_urgent(&info("POTHOLE", "POTHOLE_DANGER_INFO")),
                "{locale}"
            );
            assert!(is_urgent(&info("TREE", "TREE_INFO")), "{locale}");
            assert!(!is_urgent(&info("BULKY", "BULKY_FEE")), "{locale}");
        }
    }

    #[test]
    fn accepts_checks_whole_and_range() {
        let r = rule("How many items?", "up to 10");
        assert!(r.accepts(0.0) && r.accepts(10.0) && r.accepts(3.0));
        assert!(!r.accepts(2.5) && !r.accepts(11.0) && !r.accepts(-1.0));
        assert!(NumberRule::default().accepts(-2.5));
    }
}
