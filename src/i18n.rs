//! Translations with Fluent. Every UI language lives in `locales/<lang>/*.ftl`, embedded at build
//! time; English is the reference every other language must match key for key (a test enforces
//! it). Catalogue texts are not translated here: they come from the council as they are.

use std::collections::BTreeMap;

use fluent::concurrent::FluentBundle;
use fluent::{FluentArgs, FluentResource, FluentValue};
use unic_langid::LanguageIdentifier;

include!(concat!(env!("OUT_DIR"), "/locales.rs"));

/// The UI languages this build ships, in the order offered by default.
pub const SUPPORTED_LOCALES: &[&str] = &["en", "fr", "es", "ar", "uk", "pl"];

/// The language every other is checked against and falls back to.
pub const REFERENCE_LOCALE: &str = "en";

/// Languages written right to left.
pub fn is_rtl(locale: &str) -> bool {
    matches!(locale, "ar" | "he" | "fa" | "ur")
}

/// Whether a text runs right to left, by its first strong letter (as the text layout decides
/// a paragraph's direction); a text without letters takes the language's direction. The
/// typing caret goes on the side where the text ends.
pub fn text_is_rtl(text: &str, locale: &str) -> bool {
    match unicode_bidi::get_base_direction(text) {
        unicode_bidi::Direction::Rtl => true,
        unicode_bidi::Direction::Ltr => false,
        unicode_bidi::Direction::Mixed => is_rtl(locale),
    }
}

/// Whether a text is laid out right to left: its first strong letter is a right-to-left one.
/// A text without letters (digits, a dash) is laid out left to right, in every language, so
/// what ends it (a caret) is on its right, though [`text_is_rtl`] sets it at the right side.
pub fn text_runs_rtl(text: &str) -> bool {
    unicode_bidi::get_base_direction(text) == unicode_bidi::Direction::Rtl
}

/// The language's own name for itself (never a flag: flags are countries, not languages).
pub fn endonym(locale: &str) -> &'static str {
    match locale {
        "en" => "English",
        "fr" => "Français",
        "es" => "Español",
        "ar" => "العربية",
        "uk" => "Українська",
        "pl" => "Polski",
        _ => "?",
    }
}

/// An argument value for a message.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    /// Text.
    Str(String),
    /// A number (drives plural selection).
    Num(f64),
}

impl From<&str> for Arg {
    fn from(s: &str) -> Self {
        Arg::Str(s.to_string())
    }
}
impl From<String> for Arg {
    fn from(s: String) -> Self {
        Arg::Str(s)
    }
}
impl From<i64> for Arg {
    fn from(n: i64) -> Self {
        Arg::Num(n as f64)
    }
}
impl From<usize> for Arg {
    fn from(n: usize) -> Self {
        Arg::Num(n as f64)
    }
}

/// All bundled languages, ready to format messages.
pub struct Translations {
    bundles: BTreeMap<String, FluentBundle<FluentResource>>,
}

/// A `.ftl` file that does not parse, or a language missing.
#[derive(Debug, thiserror::Error)]
#[error("locale {locale}: {detail}")]
pub struct I18nError {
    /// Which language.
    pub locale: String,
    /// What is wrong.
    pub detail: String,
}

impl Translations {
    /// A date and time as a resident reads it, "27 November 2026, 04:20", with the `date-format`
    /// and `month-N` messages: one wording for the touchscreen and the printed receipt.
    pub fn datetime(&self, locale: &str, t: time::PrimitiveDateTime) -> String {
        self.format(
            locale,
            "date-format",
            &[
                ("day", Arg::from(i64::from(t.day()))),
                (
                    "month",
                    Arg::from(self.text(locale, &format!("month-{}", u8::from(t.month())))),
                ),
                ("year", Arg::Str(t.year().to_string())),
                (
                    "time",
                    Arg::from(format!("{:02}:{:02}", t.hour(), t.minute())),
                ),
            ],
        )
    }

    /// A date without a time, as the language writes it ("27 November 2026").
    pub fn date(&self, locale: &str, d: time::Date) -> String {
        self.format(
            locale,
            "date-only-format",
            &[
                ("day", Arg::from(i64::from(d.day()))),
                (
                    "month",
                    Arg::from(self.text(locale, &format!("month-{}", u8::from(d.month())))),
                ),
                ("year", Arg::Str(d.year().to_string())),
            ],
        )
    }

    /// Loads every bundled language.
    pub fn load() -> Result<Translations, I18nError> {
        let mut bundles = BTreeMap::new();
        for (locale, files) in BUNDLED {
            let err = |detail: String| I18nError {
                locale: locale.to_string(),
                detail,
            };
            let langid: LanguageIdentifier = locale
                .parse()
                .map_err(|e| err(format!("bad language tag: {e}")))?;
            let mut bundle = FluentBundle::new_concurrent(vec![langid]);
            for (name, text) in *files {
                let resource = FluentResource::try_new(text.to_string())
                    .map_err(|(_, errs)| err(format!("{name}: {errs:?}")))?;
                bundle
                    .add_resource(resource)
                    .map_err(|errs| err(format!("{name}: {errs:?}")))?;
            }
            bundles.insert(locale.to_string(), bundle);
        }
        Ok(Translations { bundles })
    }

    /// Replaces `locale`'s message `id` with `value` (one line of Fluent): to try words on the
    /// real screens before a translation is bundled. The UI tests use it for words no bundled
    /// language has (a short word of wide letters beside a long narrow one).
    pub fn replace_message(
        &mut self,
        locale: &str,
        id: &str,
        value: &str,
    ) -> Result<(), I18nError> {
        let err = |detail: String| I18nError {
            locale: locale.to_string(),
            detail,
        };
        let Some(bundle) = self.bundles.get_mut(locale) else {
            return Err(err("not a bundled language".into()));
        };
        if value.contains(['\n', '\r']) {
            return Err(err(format!("{id}: one line only")));
        }
        let resource = FluentResource::try_new(format!("{id} = {value}\n"))
            .map_err(|(_, errs)| err(format!("{id}: {errs:?}")))?;
        if resource.entries().count() != 1 {
            return Err(err(format!("{id}: not one message")));
        }
        bundle.add_resource_overriding(resource);
        Ok(())
    }

    /// The message `id` in `locale`, falling back to English, then to the id itself (so a missing
    /// string shows up in screenshots rather than as an empty button).
    pub fn text(&self, locale: &str, id: &str) -> String {
        self.format(locale, id, &[])
    }

    /// The message `id` with arguments.
    pub fn format(&self, locale: &str, id: &str, args: &[(&str, Arg)]) -> String {
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            match value {
                Arg::Str(s) => fluent_args.set(*name, FluentValue::from(s.clone())),
                Arg::Num(n) => fluent_args.set(*name, FluentValue::from(*n)),
            }
        }
        for candidate in [locale, REFERENCE_LOCALE] {
            let Some(bundle) = self.bundles.get(candidate) else {
                continue;
            };
            let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
                continue;
            };
            let mut errors = Vec::new();
            let text = bundle.format_pattern(pattern, Some(&fluent_args), &mut errors);
            return text.into_owned();
        }
        id.to_string()
    }

    /// Message ids of one language.
    pub fn message_ids(&self, locale: &str) -> Vec<String> {
        BUNDLED
            .iter()
            .filter(|(l, _)| *l == locale)
            .flat_map(|(_, files)| files.iter())
            .filter_map(|(_, text)| FluentResource::try_new(text.to_string()).ok())
            .flat_map(|r| {
                r.entries()
                    .filter_map(|e| match e {
                        fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_string()),
                        _ => None,
                    })
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    /// Languages loaded.
    pub fn locales(&self) -> impl Iterator<Item = &str> {
        self.bundles.keys().map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn bundled_locales_are_the_supported_ones() {
        let bundled: BTreeSet<&str> = BUNDLED.iter().map(|(l, _)| *l).collect();
        let supported: BTreeSet<&str> = SUPPORTED_LOCALES.iter().copied().collect();
        assert_eq!(bundled, supported);
        for l in SUPPORTED_LOCALES {
            assert_ne!(endonym(l), "?");
        }
    }

    #[test]
    fn every_language_has_every_key_and_no_extra_ones() {
        let t = Translations::load().unwrap();
        let reference: BTreeSet<String> = t.message_ids(REFERENCE_LOCALE).into_iter().collect();
        assert!(!reference.is_empty());
        for locale in SUPPORTED_LOCALES {
            let ids: BTreeSet<String> = t.message_ids(locale).into_iter().collect();
            let missing: Vec<_> = reference.difference(&ids).collect();
            let extra: Vec<_> = ids.difference(&reference).collect();
            assert!(missing.is_empty(), "{locale} is missing {missing:?}");
            assert!(
                extra.is_empty(),
                "{locale} has keys English lacks: {extra:?}"
            );
        }
    }

    /// A key's one-word name (`keyboard::short_message_id`) is one word of its full name in
    /// every language, so what a key shows is part of what it is called (WCAG 2.5.3), and is
    /// shorter.
    #[test]
    fn a_keys_short_name_is_a_word_of_its_name() {
        let t = Translations::load().unwrap();
        let mut shortened = 0;
        for id in crate::flow::keyboard::special_message_ids() {
            let Some(short_id) = crate::flow::keyboard::short_message_id(id) else {
                continue;
            };
            shortened += 1;
            for locale in SUPPORTED_LOCALES {
                let (name, short) = (t.text(locale, id), t.text(locale, &short_id));
                assert!(
                    !short.contains(char::is_whitespace)
                        && short.chars().count() <= name.chars().count(),
                    "{locale} {short_id}: {short:?} one word, no longer than {name:?}"
                );
                assert!(
                    name.to_lowercase()
                        .split_whitespace()
                        .any(|w| w == short.to_lowercase()),
                    "{locale} {short_id}: {short:?} a word of {name:?}"
                );
                // Never the words of a control on the same screen: a tool of the bar beside
                // the keys, or Continue (French "Retour", a word of "Retour à la ligne", is
                // Back).
                for other in t.message_ids(locale) {
                    if other.starts_with("tool-") || other == "continue" {
                        assert_ne!(
                            t.text(locale, &other).to_lowercase(),
                            short.to_lowercase(),
                            "{locale} {short_id} shows what {other} shows"
                        );
                    }
                }
            }
        }
        assert_eq!(shortened, 4);
    }

    #[test]
    fn a_message_can_be_replaced_in_one_language_only() {
        let mut tr = Translations::load().unwrap();
        let french = tr.text("fr", "tool-help");
        tr.replace_message("en", "tool-help", "iiiiii Ш").unwrap();
        assert_eq!(tr.text("en", "tool-help"), "iiiiii Ш");
        assert_eq!(tr.text("fr", "tool-help"), french);
        assert!(tr.replace_message("xx", "tool-help", "x").is_err());
        assert!(tr.replace_message("en", "tool-help", "two\nlines").is_err());
        assert!(
            tr.replace_message("en", "tool-help", "x\nother = y")
                .is_err()
        );
        assert!(tr.replace_message("en", "not an id", "x").is_err());
        assert_eq!(tr.text("en", "tool-help"), "iiiiii Ш");
    }

    #[test]
    fn plurals_and_fallback() {
        let t = Translations::load().unwrap();
        assert!(super::text_is_rtl("شارع", "en"));
        assert!(!super::text_is_rtl("anne@example.org", "ar"));
        assert!(super::text_is_rtl("12", "ar") && !super::text_is_rtl("", "fr"));
        // Digits are set at the right in Arabic, but run left to right: their end is on
        // their right.
        assert!(super::text_runs_rtl("12 شارع") && !super::text_runs_rtl("12"));
        assert!(!super::text_runs_rtl("DEMO-00042-V") && !super::text_runs_rtl(""));
        let one = t.format("en", "error-too-long", &[("max", Arg::from(1i64))]);
        let many = t.format("en", "error-too-long", &[("max", Arg::from(250i64))]);
        assert_ne!(one, many);
        assert!(many.contains("250"), "{many}");
        assert_eq!(t.text("fr", "no-such-id"), "no-such-id");
        assert_ne!(
            t.text("ar", "error-required"),
            t.text("en", "error-required")
        );
    }
}

#[cfg(test)]
mod coverage_tests {
    use super::*;
    use std::collections::BTreeSet;

    /// Every message id the UI code asks for: `Api.t("id", ...)` in .slint files, and the ids the
    /// flow and controller build, must exist in English (and so, by the test above, in every
    /// language). A missing one would show its raw id on screen.
    #[test]
    fn every_id_used_by_the_ui_exists() {
        let t = Translations::load().unwrap();
        let known: BTreeSet<String> = t.message_ids(REFERENCE_LOCALE).into_iter().collect();
        let mut used = BTreeSet::new();
        let root = env!("CARGO_MANIFEST_DIR");
        let mut files = Vec::new();
        for dir in ["ui", "ui/pages", "ui/widgets", "src/flow", "src/ui"] {
            for entry in std::fs::read_dir(format!("{root}/{dir}")).unwrap() {
                let path = entry.unwrap().path();
                if path.extension().is_some_and(|e| e == "slint" || e == "rs") {
                    files.push(path);
                }
            }
        }
        for path in files {
            let text = std::fs::read_to_string(&path).unwrap();
            for pattern in ["Api.t(\"", "self.t(\"", "flow.t(\"", "f.t(\""] {
                for piece in text.split(pattern).skip(1) {
                    if let Some(id) = piece.split('"').next() {
                        used.insert(id.to_string());
                    }
                }
            }
        }
        // Ids built from parts at run time.
        for part in ["day", "month", "year", "hour", "minute"] {
            used.insert(format!("date-{part}"));
        }
        for m in 1..=12 {
            used.insert(format!("month-{m}"));
        }
        for tool in [
            "back",
            "start-over",
            "language",
            "text-size",
            "contrast",
            "help",
        ] {
            used.insert(format!("tool-{tool}"));
        }
        use crate::validate::Problem;
        for problem in [
            Problem::Required,
            Problem::TooLong { max: 1 },
            Problem::ControlCharacters,
            Problem::NotANumber,
            Problem::NumberOutOfRange,
            Problem::NumberRule {
                whole: true,
                min: Some(0.0),
                max: Some(1.0),
            },
            Problem::NumberRule {
                whole: true,
                min: Some(0.0),
                max: None,
            },
            Problem::NumberRule {
                whole: false,
                min: Some(0.0),
                max: Some(1.0),
            },
            Problem::NumberRule {
                whole: false,
                min: None,
                max: Some(1.0),
            },
            Problem::NotADatetime,
            Problem::UnknownChoice { key: String::new() },
            Problem::UnknownAttribute,
            Problem::LocationMissing,
            Problem::BadCoordinate,
            Problem::BadEmail,
            Problem::BadPhone,
        ] {
            used.insert(problem.message_id().to_string());
        }
        for id in crate::flow::keyboard::special_message_ids() {
            used.insert(id.to_string());
        }
        let missing: Vec<_> = used.difference(&known).collect();
        assert!(used.len() > 60, "found {} ids", used.len());
        assert!(missing.is_empty(), "used but not translated: {missing:?}");
    }
}
