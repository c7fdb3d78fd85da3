//! Named UI states for `guichet screenshot` and the screenshot tests: each scene is reached by
//! driving the flow exactly as a resident would, with the demo catalogue and made-up answers
//! (never a real session's data).

use crate::catalog::Datatype;
use crate::flow::{Flow, PrintState, SaveOutcome, Step, keyboard::special};

/// Every scene `guichet screenshot --screen` knows, with what it shows (the staff screens'
/// are at the end, from `staff_scenes.rs`).
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
    (
        "menu",
        "the tools behind Menu, open: at the largest text size on a 7\" panel (in a window of \
         another size, the question under it at that size)",
    ),
    ("question-multi", "multiple choice"),
    (
        "question-large-contrast",
        "single choice with the largest text and high contrast",
    ),
    ("question-number", "number with the number pad"),
    ("question-datetime", "date and time picker"),
    ("question-date", "date picker for a day (no time asked)"),
    ("question-string", "one line of text with the keyboard"),
    (
        "question-before-keys",
        "a question to type before its keys open: at the largest text size on a 7\" panel, \
         where the question and its keys are two screens (in a window of another size, the \
         question with its keys at that size)",
    ),
    ("question-text", "several lines of text"),
    (
        "question-text-large",
        "several lines of text at the largest text size",
    ),
    ("question-info", "information from the council"),
    ("question-error", "a validation error next to the field"),
    ("address", "where is it"),
    ("contact", "would you like to be contacted"),
    ("contact-phone", "a phone number with the phone pad"),
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
    (
        "check-request",
        "a resident checks a request: the reference pad",
    ),
    (
        "check-request-found",
        "a resident checks a request: the council's last status",
    ),
    (
        "check-request-mistyped",
        "a resident checks a request: a mistyped reference",
    ),
    ("staff-pin", "staff: the shuffled PIN pad"),
    ("staff-pin-locked", "staff: too many wrong PINs"),
    ("staff-home", "staff: look-up, reprint, health, actions"),
    (
        "staff-timeout",
        "staff: the desk's idle warning before it locks",
    ),
    ("staff-lists", "staff: help requests, review and rejected"),
    ("staff-cancel", "staff: cancelling a request asks first"),
    ("staff-refile", "staff: re-file under another service"),
    (
        "staff-sent",
        "staff: a review item reached the council, its number typed",
    ),
    (
        "staff-refile-question",
        "staff: re-filing asks the new service's unanswered question",
    ),
    (
        "assisted-question",
        "helping a visitor: a question with the strip",
    ),
    (
        "assisted-menu",
        "helping a visitor: the tools behind Menu, End among them, at the largest text size on a 7\" panel",
    ),
    (
        "consent",
        "helping a visitor: the visitor's consent and Send",
    ),
    (
        "practice-confirmation",
        "practice mode: the confirmation marked PRACTICE",
    ),
];

/// What the confirmation scenes show as the receipt state.
pub fn print_state_for(scene: &str) -> PrintState {
    match scene {
        "confirmation" => PrintState::Printing,
        "confirmation-print-failed" => PrintState::Failed,
        _ => PrintState::None,
    }
}

/// A 7" panel in landscape at the largest text size, where the flow has no window of a small
/// panel (`guichet utterances`, or a screenshot of another size: a window drawn afterwards sets
/// its own size): the tools in a menu, and a question's keys apart.
pub(super) fn largest_on_small_panel(flow: &mut Flow) {
    if !flow.small_panel() {
        flow.set_window_mm(154.0, 90.0);
    }
    for _ in 0..3 {
        if flow.tools_in_menu() {
            break;
        }
        flow.cycle_text_size();
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

pub(super) fn open_service(flow: &mut Flow, locale: &str, code: &str) {
    flow.start();
    flow.choose_language(locale);
    if let Some(group) = flow.catalog().service(code).and_then(|s| s.group.clone()) {
        flow.choose_tile(&group);
    }
    flow.choose_service(code);
}

/// "Now" in every scene: 1 December 2026, 10:30 UTC (the kiosk's local offset applies).
const SCENE_NOW: time::OffsetDateTime = time::macros::datetime!(2026-12-01 10:30 UTC);

/// The PIN pad's order in every scene (a kiosk shuffles it each time it opens and after each
/// refusal).
const SCENE_PAD: [u8; 10] = [7, 2, 9, 4, 0, 6, 1, 8, 3, 5];

/// Drives `flow` into `scene` in `locale`. Unknown scenes return an error naming the valid ones.
/// With a council's own catalogue (`screenshot --catalog`), scenes are found in it instead of the
/// demo's services; a scene the catalogue has nothing for is an error naming what is missing.
///
/// A question to type is shown with its keys, as at every size but the largest on a small panel,
/// where the question and its keys are two screens (`Flow::keys_apart`): there the scene is its
/// keys, opened (an error, and `question-before-keys`, are the question's own screen).
pub fn enter(flow: &mut Flow, scene: &str, locale: &str) -> Result<(), String> {
    enter_scene(flow, scene, locale)?;
    if !matches!(scene, "question-error" | "question-before-keys") {
        flow.open_keys();
    }
    Ok(())
}

fn enter_scene(flow: &mut Flow, scene: &str, locale: &str) -> Result<(), String> {
    flow.wipe();
    // The same picture every day: a date picker's "today", a confirmation's time, the greeting,
    // the PIN pad.
    flow.fix_clock(SCENE_NOW);
    flow.restart_greeting();
    flow.fix_pin_pad(SCENE_PAD);
    if let Some(done) = super::staff_scenes::enter(flow, scene, locale) {
        return done;
    }
    if flow.catalog().service("MISSEDBIN").is_none() && SCENES.iter().any(|(n, _)| *n == scene) {
        return enter_any_catalog(flow, scene, locale);
    }
    let sample_address = "12 Station Road";
    match scene {
        "welcome" | "language" | "groups" => return enter_demo_free(flow, scene, locale),
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
        "menu" => {
            open_service(flow, locale, "MISSEDBIN");
            flow.toggle_choice("recycling");
            // The tools are in a menu at the largest size on a small panel: with no window of
            // that size (`guichet utterances`, or a screenshot of another size) the scene is
            // on a 7" panel in landscape, at the largest size, so the menu is what it shows
            // and speaks. A window drawn afterwards sets its own size.
            largest_on_small_panel(flow);
            flow.tool(crate::flow::Tool::Menu);
        }
        "question-before-keys" => {
            open_service(flow, locale, "PARK");
            type_text(flow, "Riverside Park");
            largest_on_small_panel(flow);
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
        "question-date" => {
            open_service(flow, locale, "BULKY");
            flow.toggle_choice("furniture");
            flow.next();
            type_text(flow, "3");
            flow.next();
            flow.date_quick("today");
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
        "question-text" | "question-text-large" => {
            open_service(flow, locale, "PARK");
            type_text(flow, "Riverside Park");
            flow.next();
            type_text(flow, "Swing broken");
            if scene == "question-text-large" {
                flow.cycle_text_size();
                flow.cycle_text_size();
            }
        }
        "question-info" => open_service(flow, locale, "POTHOLE"),
        "question-error" => {
            open_service(flow, locale, "BULKY");
            flow.toggle_choice("furniture");
            flow.next();
            type_text(flow, "25");
            flow.next();
        }
        "address"
        | "contact"
        | "contact-phone"
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
            if scene == "contact-phone" {
                flow.toggle_choice("yes");
                flow.next();
                for name in ["Jo", "Doe", "jo@example.org"] {
                    type_text(flow, name);
                    flow.next();
                }
                type_text(flow, "0161 496 0000");
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

/// The question a scene shows, from any catalogue: (service, attribute code).
fn find_question(flow: &Flow, scene: &str) -> Option<(String, String)> {
    let catalog = flow.catalog();
    let mut best: Option<(usize, String, String)> = None;
    for service in &catalog.services {
        let Some(def) = catalog.definition(&service.service_code) else {
            continue;
        };
        for a in def.attributes.iter().filter(|a| a.dependencies.is_none()) {
            let fits = match scene {
                "question-single" | "question-large-contrast" | "menu" => {
                    a.variable && a.datatype == Datatype::Singlevaluelist
                }
                "question-multi" => a.variable && a.datatype == Datatype::Multivaluelist,
                "question-number" | "question-error" => {
                    a.variable && a.datatype == Datatype::Number
                }
                "question-datetime" => {
                    a.variable && a.datatype == Datatype::Datetime && a.asks_for_time()
                }
                "question-date" => {
                    a.variable && a.datatype == Datatype::Datetime && !a.asks_for_time()
                }
                "question-string" | "question-before-keys" => {
                    a.variable && a.datatype == Datatype::String
                }
                "question-text" | "question-text-large" => {
                    a.variable && a.datatype == Datatype::Text
                }
                "question-info" => !a.variable,
                _ => false,
            };
            // The longest list shows how the page copes with a real catalogue.
            let weight = a.values.len() + a.description.len() / 100;
            if fits && best.as_ref().is_none_or(|(w, _, _)| weight > *w) {
                best = Some((weight, service.service_code.clone(), a.code.clone()));
            }
        }
    }
    best.map(|(_, s, a)| (s, a))
}

/// Gives the current step a made-up answer, as a resident would.
pub(super) fn answer_current(flow: &mut Flow, sample_address: &str) {
    let Some(step) = flow.current_step() else {
        return;
    };
    match &step {
        Step::Attribute(code) => {
            let attribute = flow
                .session()
                .service
                .as_deref()
                .and_then(|s| flow.catalog().definition(s))
                .and_then(|d| d.attribute(code))
                .cloned();
            let Some(a) = attribute.filter(|a| a.variable) else {
                return;
            };
            match a.datatype {
                Datatype::Singlevaluelist | Datatype::Multivaluelist => {
                    if let Some(v) = a.values.first() {
                        flow.toggle_choice(&v.key);
                    }
                }
                Datatype::Number => type_text(flow, "3"),
                Datatype::Datetime => flow.date_quick("yesterday"),
                Datatype::String | Datatype::Text => type_text(flow, "Sample"),
            }
        }
        Step::Address => type_text(flow, sample_address),
        Step::ContactChoice => flow.toggle_choice("no"),
        _ => {}
    }
}

/// `enter` for any catalogue: the scene's question is looked for, and the later pages are
/// reached by answering every step with made-up answers.
fn enter_any_catalog(flow: &mut Flow, scene: &str, locale: &str) -> Result<(), String> {
    let sample_address = "12 Station Road";
    match scene {
        "welcome" | "language" | "groups" => return enter_demo_free(flow, scene, locale),
        "services" => {
            flow.start();
            flow.choose_language(locale);
            // The largest group shows how the page copes with a real catalogue.
            let catalog = flow.catalog();
            let group = catalog
                .groups()
                .into_iter()
                .max_by_key(|g| catalog.services_in_group(g.as_deref()).count());
            let key = match group {
                Some(Some(g)) => g,
                _ => crate::flow::NO_GROUP_KEY.to_string(),
            };
            flow.choose_tile(&key);
            return Ok(());
        }
        s if s.starts_with("question-") => {
            let (service, attribute) = find_question(flow, scene)
                .ok_or_else(|| format!("the catalogue has no question for the {scene:?} screen"))?;
            open_service(flow, locale, &service);
            let index = flow
                .steps()
                .iter()
                .position(|s| *s == Step::Attribute(attribute.clone()))
                .ok_or_else(|| format!("{service}: question {attribute} is not shown"))?;
            flow.change(index);
            match scene {
                "question-large-contrast" => {
                    answer_current(flow, sample_address);
                    flow.cycle_text_size();
                    flow.cycle_text_size();
                    flow.toggle_contrast();
                }
                "question-error" => {
                    type_text(flow, "--");
                    flow.next();
                }
                "question-info" => {}
                "question-before-keys" => {
                    answer_current(flow, sample_address);
                    largest_on_small_panel(flow);
                }
                "question-text-large" => {
                    answer_current(flow, sample_address);
                    flow.cycle_text_size();
                    flow.cycle_text_size();
                }
                _ => answer_current(flow, sample_address),
            }
            return Ok(());
        }
        _ => {}
    }
    // The pages after the questions: the service with the fewest questions, answered.
    let catalog = flow.catalog();
    let service = catalog
        .services
        .iter()
        .min_by_key(|s| {
            catalog
                .definition(&s.service_code)
                .map_or(0, |d| d.attributes.len())
        })
        .map(|s| s.service_code.clone())
        .ok_or("the catalogue has no service")?;
    open_service(flow, locale, &service);
    let target = match scene {
        "address" => Some(Step::Address),
        "contact" => Some(Step::ContactChoice),
        _ => None,
    };
    for _ in 0..200 {
        if flow.current_step().is_none() {
            break;
        }
        if target.is_some() && flow.current_step() == target {
            answer_current(flow, sample_address);
            return Ok(());
        }
        answer_current(flow, sample_address);
        flow.next();
    }
    match scene {
        "check" => {}
        "check-errors" => {
            // The resident goes back to the address, empties it and returns unchecked.
            if let Some(address) = flow.steps().iter().position(|s| *s == Step::Address) {
                flow.change(address);
                flow.set_value("");
                flow.back();
            }
            flow.submit();
        }
        "timeout" => {
            for _ in 0..flow.settings().idle_timeout_s + 5 {
                flow.tick();
            }
        }
        _ => {
            let _ = flow.submit();
            match scene {
                "submitting" => {}
                "save-failed" => flow.saved(SaveOutcome::Failed("error-disk-full")),
                _ => flow.saved(SaveOutcome::Saved(sample_reference())),
            }
        }
    }
    Ok(())
}

/// The scenes that do not depend on the catalogue's services.
fn enter_demo_free(flow: &mut Flow, scene: &str, locale: &str) -> Result<(), String> {
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
        _ => {
            flow.start();
            flow.choose_language(locale);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flow::tests::flow;

    /// A scene is the same on any day and after any shuffle: its "now" is fixed (a date
    /// picker's "today" is 1 December 2026, whatever today is), its PIN pad in one order, its
    /// greeting the first language however long the welcome screen rotated.
    #[test]
    fn a_scene_is_the_same_whatever_the_day_and_the_shuffle() {
        let mut f = flow();
        enter(&mut f, "question-date", "en").unwrap();
        assert_eq!(f.now_local().date(), SCENE_NOW.date());
        let days: Vec<&str> = f
            .session()
            .input
            .answers
            .values()
            .filter_map(|a| match a {
                crate::validate::Answer::One(day) if day.starts_with("20") => Some(day.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(days, ["2026-12-01"], "\"today\" is the scene's day");
        for scene in [
            "staff-pin",
            "staff-pin-locked",
            "staff-pin",
            "staff-pin-locked",
        ] {
            enter(&mut f, scene, "en").unwrap();
            assert_eq!(f.desk().unwrap().digits, SCENE_PAD, "{scene}");
        }
        enter(&mut f, "welcome", "en").unwrap();
        let first = f.greeting_locale().to_string();
        for _ in 0..crate::flow::GREETING_SECONDS {
            f.tick();
        }
        assert_ne!(
            f.greeting_locale(),
            first,
            "the greeting rotates on a kiosk"
        );
        enter(&mut f, "welcome", "en").unwrap();
        assert_eq!(f.greeting_locale(), first);
    }
}
