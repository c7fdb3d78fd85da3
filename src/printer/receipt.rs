//! What a receipt says, independent of any printer: a list of [`Block`]s built from the
//! submission's non-personal facts, in the resident's language. `compose` turns it into bytes for
//! a given printer profile, or into a preview image.
//!
//! Invariant: a receipt never carries personal data. [`ReceiptFacts`] has no field that could hold
//! an answer, an address, a name or a contact, and is read with a query that skips the payload.

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::config::Config;
use crate::i18n::{Arg, Translations};
use crate::queue::{Store, StoreError};

use super::raster::TextAlign;

/// One piece of the receipt, top to bottom.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A paragraph, wrapped to the paper width.
    Text {
        /// The words, in the resident's language.
        text: String,
        /// Bold.
        bold: bool,
        /// Double width and height (the reference).
        large: bool,
        /// Placement.
        align: TextAlign,
    },
    /// A QR code carrying this text, centred.
    Qr(String),
    /// A dashed line across the paper.
    Rule,
    /// Blank lines.
    Feed(u8),
}

/// A receipt ready to compose.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Receipt {
    /// Top to bottom.
    pub blocks: Vec<Block>,
}

/// Everything a receipt shows.
#[derive(Debug, Clone, PartialEq)]
pub struct ReceiptFacts {
    /// `CODE-NNNNN-C`.
    pub reference: String,
    /// The resident's language.
    pub locale: String,
    /// `device.council`, in the resident's language where the configuration has it.
    pub council: String,
    /// `device.site`, likewise.
    pub site: String,
    /// The service's name in the resident's language (its code when the catalogue lacks it).
    pub service_name: String,
    /// When it was submitted, in the kiosk's local time.
    pub submitted_at: OffsetDateTime,
    /// What the QR code carries: the status URL for the reference, or the reference itself.
    pub qr_payload: String,
    /// Whether `qr_payload` is a URL the resident can open.
    pub qr_is_url: bool,
    /// Staff member who helped, if any.
    pub assisted_by: Option<String>,
    /// `device.help_contact`.
    pub help_contact: String,
    /// `device.help_hours`, in the resident's language where the configuration has it.
    pub help_hours: String,
    /// `device.response_days`: the council's timescale.
    pub response_days: Option<u32>,
    /// A staff reprint: marked as a copy.
    pub reprint: bool,
    /// Made in training mode: "PRACTICE" at the top and bottom, and a line saying it was not
    /// sent.
    pub practice: bool,
}

impl ReceiptFacts {
    /// Reads the facts for `reference` (never its answers, address or contact).
    pub fn load(
        store: &Store,
        config: &Config,
        reference: &str,
        reprint: bool,
    ) -> Result<ReceiptFacts, StoreError> {
        let row = store.receipt_row(reference)?;
        let service_name = store
            .catalog_for(&row.locale)?
            .and_then(|c| c.service(&row.service_code).map(|s| s.service_name.clone()))
            .unwrap_or_else(|| row.service_code.clone());
        let submitted_at = OffsetDateTime::parse(&row.created_at, &Rfc3339)
            .map_err(|e| StoreError::Corrupt {
                what: format!("created_at of {reference}"),
                detail: e.to_string(),
            })?
            .to_offset(crate::clock::local_offset());
        let (qr_payload, qr_is_url) = qr_payload(config, &row.reference);
        Ok(ReceiptFacts {
            reference: row.reference,
            council: config.device.council_in(&row.locale).to_string(),
            site: config.device.site_in(&row.locale).to_string(),
            help_hours: config.device.help_hours_in(&row.locale).to_string(),
            service_name,
            submitted_at,
            qr_payload,
            qr_is_url,
            assisted_by: row.assisted_by,
            help_contact: config.device.help_contact.clone(),
            response_days: config.device.response_days,
            reprint,
            practice: row.practice,
            locale: row.locale,
        })
    }
}

/// The QR code's content: `central.status_url` with `{reference}` replaced, else the reference.
pub fn qr_payload(config: &Config, reference: &str) -> (String, bool) {
    match &config.central.status_url {
        Some(template) => (template.replace("{reference}", reference), true),
        None => (reference.to_string(), false),
    }
}

/// "27 November 2026, 04:20" in the resident's language: the touchscreen's own wording
/// ([`Translations::datetime`]), so paper and screen write a date the same way.
pub fn format_datetime(tr: &Translations, locale: &str, t: OffsetDateTime) -> String {
    tr.datetime(locale, time::PrimitiveDateTime::new(t.date(), t.time()))
}

/// Texts keep the bidi isolation marks Fluent puts around placeables: they keep a date or a
/// Latin name in an Arabic sentence in its own order. `compose` drops them for code-page text.
fn text(text: String, bold: bool, align: TextAlign) -> Block {
    Block::Text {
        text,
        bold,
        large: false,
        align,
    }
}

/// Lays out the receipt for `facts` in its language. Wherever the confirmation screen says the same
/// thing (heading, reference, what happens next, whom to call) the receipt uses the screen's own
/// message, so the resident reads the same words on both. Body text is the printer's standard
/// size; the reference and "keep this receipt" are double size.
pub fn layout(facts: &ReceiptFacts, tr: &Translations) -> Receipt {
    let l = facts.locale.as_str();
    let mut blocks = Vec::new();
    let practice = |blocks: &mut Vec<Block>| {
        if facts.practice {
            blocks.push(Block::Text {
                text: tr.text(l, "receipt-practice"),
                bold: true,
                large: true,
                align: TextAlign::Center,
            });
            blocks.push(text(
                tr.text(l, "receipt-practice-note"),
                false,
                TextAlign::Center,
            ));
        }
    };
    practice(&mut blocks);
    if facts.reprint {
        blocks.push(text(tr.text(l, "receipt-copy"), true, TextAlign::Center));
    }
    if !facts.council.is_empty() {
        blocks.push(text(facts.council.clone(), true, TextAlign::Center));
    }
    if !facts.site.is_empty() {
        blocks.push(text(facts.site.clone(), false, TextAlign::Center));
    }
    blocks.push(Block::Rule);
    blocks.push(text(tr.text(l, "confirm-title"), true, TextAlign::Center));
    blocks.push(Block::Feed(1));
    blocks.push(text(
        tr.format(
            l,
            "receipt-service",
            &[("service", Arg::from(facts.service_name.as_str()))],
        ),
        false,
        TextAlign::Start,
    ));
    blocks.push(text(
        tr.format(
            l,
            "receipt-date",
            &[(
                "datetime",
                Arg::from(format_datetime(tr, l, facts.submitted_at)),
            )],
        ),
        false,
        TextAlign::Start,
    ));
    blocks.push(Block::Feed(1));
    blocks.push(text(
        tr.text(l, "confirm-reference"),
        false,
        TextAlign::Center,
    ));
    blocks.push(Block::Text {
        text: facts.reference.clone(),
        bold: true,
        large: true,
        align: TextAlign::Center,
    });
    blocks.push(Block::Feed(1));
    blocks.push(Block::Qr(facts.qr_payload.clone()));
    let scan = if facts.qr_is_url {
        "receipt-scan-status"
    } else {
        "receipt-scan-reference"
    };
    blocks.push(text(tr.text(l, scan), false, TextAlign::Center));
    blocks.push(Block::Rule);
    blocks.push(text(
        tr.text(l, "confirm-next-title"),
        true,
        TextAlign::Start,
    ));
    blocks.push(text(tr.text(l, "confirm-next"), false, TextAlign::Start));
    if let Some(days) = facts.response_days {
        blocks.push(text(
            tr.format(
                l,
                "receipt-timescale",
                &[("days", Arg::from(i64::from(days)))],
            ),
            false,
            TextAlign::Start,
        ));
    }
    if !facts.help_contact.is_empty() {
        blocks.push(text(
            tr.format(
                l,
                "confirm-contact",
                &[("contact", Arg::from(facts.help_contact.as_str()))],
            ),
            false,
            TextAlign::Start,
        ));
    }
    if !facts.help_hours.is_empty() {
        blocks.push(text(
            tr.format(
                l,
                "receipt-help-hours",
                &[("hours", Arg::from(facts.help_hours.as_str()))],
            ),
            false,
            TextAlign::Start,
        ));
    }
    if let Some(name) = &facts.assisted_by {
        blocks.push(text(
            tr.format(
                l,
                "receipt-assisted-by",
                &[("name", Arg::from(name.as_str()))],
            ),
            false,
            TextAlign::Start,
        ));
    }
    blocks.push(Block::Feed(1));
    blocks.push(Block::Text {
        text: tr.text(l, "receipt-keep"),
        bold: true,
        large: true,
        align: TextAlign::Center,
    });
    if facts.practice {
        blocks.push(Block::Feed(1));
        practice(&mut blocks);
    }
    Receipt { blocks }
}

/// The `printer test` page: the profile, a line in each code page the profile has, a line of
/// Arabic (always raster), and a QR code.
pub fn test_page(profile: &super::profile::Profile, config: &Config, tr: &Translations) -> Receipt {
    let mut blocks = vec![
        text(
            tr.text("en", "receipt-test-heading"),
            true,
            TextAlign::Center,
        ),
        text(
            format!("{} / {}", config.device.code, config.device.site),
            false,
            TextAlign::Center,
        ),
        text(
            format!("profile {}: {}", profile.name, profile.description),
            false,
            TextAlign::Start,
        ),
        Block::Rule,
    ];
    for (cp, n) in profile.code_pages {
        let sample = match cp {
            super::codepage::CodePage::Cp852 | super::codepage::CodePage::Cp1250 => {
                "Zażółć gęślą jaźń"
            }
            super::codepage::CodePage::Cp866 => "Съешь же ещё этих булок",
            super::codepage::CodePage::Cp1251 => "Їжак і ґава: Київ",
            super::codepage::CodePage::Cp1252 => "Œuvre, cœur, 10 €",
            super::codepage::CodePage::Cp737 | super::codepage::CodePage::Cp1253 => "Ελληνικά",
            super::codepage::CodePage::Cp862 => "שלום",
            super::codepage::CodePage::Cp864 => "مرحبا بكم",
            _ => "Déjà vu, señor, Müller",
        };
        blocks.push(text(
            format!("{} ({n}): {sample}", cp.name()),
            false,
            TextAlign::Start,
        ));
    }
    blocks.push(text(
        tr.text("ar", "confirm-title"),
        false,
        TextAlign::Start,
    ));
    blocks.push(Block::Rule);
    blocks.push(text(
        tr.text("en", "receipt-test-ok"),
        false,
        TextAlign::Start,
    ));
    blocks.push(Block::Qr(format!(
        "guichet printer test {}",
        config.device.code
    )));
    Receipt { blocks }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(locale: &str) -> ReceiptFacts {
        ReceiptFacts {
            reference: "LIB2-00042-K".into(),
            locale: locale.into(),
            council: "Example Council".into(),
            site: "Central Library".into(),
            service_name: "Pothole".into(),
            submitted_at: time::macros::datetime!(2026-03-14 10:32 UTC),
            qr_payload: "LIB2-00042-K".into(),
            qr_is_url: false,
            assisted_by: Some("alice".into()),
            help_contact: "0800 555 0100".into(),
            help_hours: "9:00-17:00".into(),
            response_days: Some(10),
            reprint: false,
            practice: false,
        }
    }

    fn texts(r: &Receipt) -> Vec<String> {
        r.blocks
            .iter()
            .filter_map(|b| match b {
                Block::Text { text, .. } => Some(text.clone()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn receipt_has_everything_in_the_residents_language() {
        let tr = Translations::load().unwrap();
        let r = layout(&facts("fr"), &tr);
        let all = texts(&r).join("\n").replace(['\u{2068}', '\u{2069}'], "");
        for expected in [
            "Example Council",
            "Central Library",
            "Pothole",
            "14 mars 2026 à 10:32",
            "LIB2-00042-K",
            "alice",
            "0800 555 0100",
            "Votre numéro de référence",
            "Demande enregistrée",
            "10 jours ouvrés",
            "9:00-17:00",
        ] {
            assert!(all.contains(expected), "{expected:?} missing from {all}");
        }
        assert!(r.blocks.contains(&Block::Qr("LIB2-00042-K".into())));
        assert!(
            r.blocks.iter().any(
                |b| matches!(b, Block::Text { text, large: true, .. } if text == "LIB2-00042-K")
            )
        );
    }

    #[test]
    fn reprints_say_copy_and_unassisted_receipts_name_no_one() {
        let tr = Translations::load().unwrap();
        let mut f = facts("en");
        f.reprint = true;
        f.assisted_by = None;
        let all = texts(&layout(&f, &tr)).join("\n");
        assert!(all.starts_with("COPY"), "{all}");
        assert!(!all.contains("Assisted"), "{all}");
    }

    #[test]
    fn dates_are_written_in_every_language_as_on_the_screen() {
        let tr = Translations::load().unwrap();
        let t = time::macros::datetime!(2026-11-27 04:20 UTC);
        let plain = |s: String| s.replace(['\u{2068}', '\u{2069}'], "");
        assert_eq!(
            plain(format_datetime(&tr, "en", t)),
            "27 November 2026, 04:20"
        );
        assert_eq!(
            plain(format_datetime(&tr, "fr", t)),
            "27 novembre 2026 à 04:20"
        );
        assert_eq!(
            plain(format_datetime(&tr, "uk", t)),
            "27 листопада 2026, 04:20"
        );
        assert_eq!(
            plain(format_datetime(&tr, "es", t)),
            "27 de noviembre de 2026, 04:20"
        );
        assert!(plain(format_datetime(&tr, "ar", t)).contains("نوفمبر"));
        for locale in crate::i18n::SUPPORTED_LOCALES {
            let s = plain(format_datetime(&tr, locale, t));
            assert!(!s.contains("2026-11"), "{locale}: {s}");
            assert!(s.contains("04:20") && s.contains("2026"), "{locale}: {s}");
        }
    }

    #[test]
    fn the_receipt_says_what_the_screen_says_and_keep_is_large() {
        let tr = Translations::load().unwrap();
        for locale in crate::i18n::SUPPORTED_LOCALES {
            let r = layout(&facts(locale), &tr);
            let all = texts(&r).join("\n");
            for id in ["confirm-title", "confirm-reference", "confirm-next"] {
                assert!(all.contains(&tr.text(locale, id)), "{locale}: {id}");
            }
            assert!(
                r.blocks.iter().any(|b| matches!(b,
                Block::Text { text, large: true, .. } if *text == tr.text(locale, "receipt-keep")))
            );
        }
    }

    #[test]
    fn status_url_goes_in_the_qr_code() {
        let mut config = Config::demo();
        assert_eq!(qr_payload(&config, "A-1"), ("A-1".to_string(), false));
        config.central.status_url = Some("https://council.example/track/{reference}".into());
        assert_eq!(
            qr_payload(&config, "A-1"),
            ("https://council.example/track/A-1".to_string(), true)
        );
    }
}
