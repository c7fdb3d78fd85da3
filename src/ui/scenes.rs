//! Named UI states for `guichet screenshot` and the screenshot tests: each scene is reached by
//! driving the flow exactly as a resident would, with the demo catalogue and made-up answers
//! (never a real session's data).

use crate::flow::{Flow, PrintState, SaveOutcome, Step, keyboard::special};

/// Every scene `guichet screenshot --screen` knows, with what it shows.
pub const SCENES: &[(&str, &str)] = &[
    ("welcome", "attract screen"),
    ("language", "choose a language"),
    ("groups", "groups of services"),
    ("services", "services of one group"),
    ("question-single", "single choice"),
    (
        "start-again",
        "asked before answers are deleted (No, keep my answers)",
    ),
    ("question-multi", "multiple choice"),
    (
        "question-large-contrast",
        "single choice with the largest text and high contrast",
    ),
    ("question-number", "number with the number pad"),
    ("question-datetime", "date and time picker"),
    ("question-string", "one line of text with the keyboard"),
    ("question-text", "several lines of text"),
    ("question-info", "information from the council"),
    ("question-error", "a validation error next to the field"),
    ("address", "where is it"),
    ("contact", "would you like to be contacted"),
    ("check", "check your answers"),
    ("check-errors", "check your answers with the error summary"),
    ("submitting", "saving"),
    ("confirmation", "request saved: reference, QR code, receipt"),
    (
        "confirmation-print-failed",
        "request saved but the receipt did not print",
    ),
    ("save-failed", "the request could not be saved"),
    ("timeout", "the idle warning"),
];

/// What the confirmation scenes show as the receipt state.
pub fn print_state_for(scene: &str) -> PrintState {
    match scene {
        "confirmation" => PrintState::Printing,
        "confirmation-print-failed" => PrintState::Failed,
        _ => PrintState::None,
    }
}

fn type_text(flow: &mut Flow, text: &str) {
    for c in text.chars() {
        match c {
            ' ' => flow.key(special::SPACE),
            c => flow.key(&c.to_string()),
        }
    }
}

fn open_service(flow: &mut Flow, locale: &str, code: &str) {
    flow.start();
    flow.choose_language(locale);
    if let Some(group) = flow.catalog().service(code).and_then(|s| s.group.clone()) {
        flow.choose_tile(&group);
    }
    flow.choose_service(code);
}

/// Drives `flow` into `scene` in `locale`. Unknown scenes return an error naming the valid ones.
pub fn enter(flow: &mut Flow, scene: &str, locale: &str) -> Result<(), String> {
    flow.wipe();
    let sample_address = "12 Station Road";
    match scene {
        "welcome" => {
            // Show the greeting of the requested language.
            for _ in 0..flow.settings().languages.len() {
                if flow.greeting_locale() == locale {
                    break;
                }
                for _ in 0..crate::flow::GREETING_SECONDS {
                    flow.tick();
                }
            }
        }
        "language" => {
            flow.start();
            flow.choose_language(locale);
            flow.open_languages();
        }
        "groups" => {
            flow.start();
            flow.choose_language(locale);
        }
        "services" => {
            flow.start();
            flow.choose_language(locale);
            if let Some(Some(group)) = flow.catalog().groups().into_iter().next() {
                flow.choose_tile(&group);
            }
        }
        "question-single" => {
            open_service(flow, locale, "MISSEDBIN");
            flow.toggle_choice("recycling");
        }
        "start-again" => {
            open_service(flow, locale, "MISSEDBIN");
            flow.toggle_choice("recycling");
            flow.start_over();
        }
        "question-large-contrast" => {
            open_service(flow, locale, "MISSEDBIN");
            flow.toggle_choice("recycling");
            flow.cycle_text_size();
            flow.cycle_text_size();
            flow.toggle_contrast();
        }
        "question-multi" => {
            open_service(flow, locale, "BULKY");
            flow.toggle_choice("furniture");
            flow.toggle_choice("fridge");
        }
        "question-number" => {
            open_service(flow, locale, "BULKY");
            flow.toggle_choice("furniture");
            flow.next();
            type_text(flow, "3");
        }
        "question-datetime" => {
            open_service(flow, locale, "NOISE");
            flow.toggle_choice("music");
            flow.next();
            flow.date_quick("yesterday");
        }
        "question-string" => {
            open_service(flow, locale, "PARK");
            let sample = match locale {
                "ar" => "حديقة النخيل",
                "uk" => "Парк Шевченка",
                _ => "Riverside Park",
            };
            type_text(flow, sample);
        }
        "question-text" => {
            open_service(flow, locale, "PARK");
            type_text(flow, "Riverside Park");
            flow.next();
            type_text(flow, "Swing broken");
        }
        "question-info" => open_service(flow, locale, "POTHOLE"),
        "question-error" => {
            open_service(flow, locale, "BULKY");
            flow.toggle_choice("furniture");
            flow.next();
            type_text(flow, "--");
            flow.next();
        }
        "address"
        | "contact"
        | "check"
        | "check-errors"
        | "submitting"
        | "confirmation"
        | "confirmation-print-failed"
        | "save-failed"
        | "timeout" => {
            open_service(flow, locale, "MISSEDBIN");
            flow.toggle_choice("general");
            flow.next();
            flow.date_quick("today");
            flow.next();
            flow.next(); // description (optional)
            if scene == "address" {
                type_text(flow, sample_address);
                return Ok(());
            }
            type_text(flow, sample_address);
            flow.next();
            if scene == "contact" {
                flow.toggle_choice("no");
                return Ok(());
            }
            flow.toggle_choice("no");
            flow.next();
            if scene == "check-errors" {
                // The resident goes back to the address, empties it and returns unchecked.
                if let Some(address) = flow.steps().iter().position(|s| *s == Step::Address) {
                    flow.change(address);
                    flow.set_value("");
                    flow.back();
                }
                flow.submit();
                return Ok(());
            }
            if scene == "timeout" {
                for _ in 0..flow.settings().idle_timeout_s + 5 {
                    flow.tick();
                }
                return Ok(());
            }
            if scene == "check" {
                return Ok(());
            }
            let _ = flow.submit();
            match scene {
                "submitting" => {}
                "save-failed" => flow.saved(SaveOutcome::Failed("error-disk-full")),
                _ => flow.saved(SaveOutcome::Saved(sample_reference())),
            }
        }
        _ => {
            let names: Vec<&str> = SCENES.iter().map(|(n, _)| *n).collect();
            return Err(format!(
                "unknown screen {scene:?}; one of: {}",
                names.join(", ")
            ));
        }
    }
    Ok(())
}

/// A valid-looking reference for the confirmation scenes.
pub fn sample_reference() -> String {
    (42..)
        .find_map(|n| crate::reference::Reference::issue("DEMO", n))
        .map(|r| r.to_string())
        .unwrap_or_default()
}
