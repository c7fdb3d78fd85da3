use std::collections::BTreeMap;
use std::sync::Arc;

use super::*;
use crate::catalog::demo_catalogs;
use crate::i18n::Translations;
use crate::validate::Answer;

/// A flow over the demo catalogues in every language (also the scenes' tests').
pub(crate) fn flow() -> Flow {
    let catalogs: BTreeMap<String, Catalog> = demo_catalogs().into_iter().collect();
    Flow::new(
        FlowSettings {
            languages: crate::i18n::SUPPORTED_LOCALES
                .iter()
                .map(|s| s.to_string())
                .collect(),
            idle_timeout_s: 60,
            local_offset: UtcOffset::UTC,
            ..FlowSettings::default()
        },
        catalogs,
        Arc::new(Translations::load().unwrap()),
    )
}

pub(crate) fn to_service(f: &mut Flow, locale: &str, code: &str) {
    f.start();
    f.choose_language(locale);
    assert_eq!(f.session.screen, Screen::Groups);
    let group = f.catalog().service(code).unwrap().group.clone().unwrap();
    f.choose_tile(&group);
    assert_eq!(f.session.screen, Screen::Services);
    f.choose_tile(code);
    assert_eq!(f.session.screen, Screen::Question);
}

/// Opens `service` and goes straight to its attribute `code`; returns that step's index.
fn to_question(f: &mut Flow, locale: &str, service: &str, code: &str) -> usize {
    to_service(f, locale, service);
    let step = f
        .steps()
        .iter()
        .position(|s| *s == Step::Attribute(code.into()))
        .unwrap();
    f.session.step = step;
    step
}

fn type_text(f: &mut Flow, text: &str) {
    for c in text.chars() {
        if c == ' ' {
            f.key(keyboard::special::SPACE);
        } else {
            f.key(&c.to_string());
        }
    }
}

#[test]
fn a_whole_request_from_welcome_to_save() {
    let mut f = flow();
    to_service(&mut f, "fr", "BULKY");
    // ITEMS (multi)
    assert_eq!(f.question_view().unwrap().kind, QuestionKind::Multi);
    f.next();
    assert!(f.session.error.is_some(), "required");
    assert_eq!(f.question_view().unwrap().error, f.t("error-required"));
    f.toggle_choice("fridge");
    assert!(
        f.session.error.is_none(),
        "fixed errors clear as the resident answers"
    );
    f.toggle_choice("garden");
    f.toggle_choice("garden");
    f.toggle_choice("mattress");
    f.next();
    // ITEM_COUNT ("Combien d'objets…", "10 objets au maximum"): a count, so a digits-only pad,
    // and the range in the hint before typing and in the error after.
    assert_eq!(f.question_view().unwrap().kind, QuestionKind::Number);
    let (kind, keys) = f.keyboard();
    assert_eq!(kind, keyboard::KeyboardKind::WholeNumber);
    assert!(
        !keys
            .iter()
            .flatten()
            .any(|k| k.value == "," || k.value == "-"),
        "a count pad has no decimal comma or minus"
    );
    let range = "Saisissez un nombre entier de 0 à 10.";
    let plain = |s: String| s.replace(['\u{2068}', '\u{2069}'], "");
    let hint = plain(f.question_view().unwrap().hint);
    assert_eq!(
        hint, "10 objets au maximum à chaque passage",
        "the council's hint already says the range: not said twice"
    );
    type_text(&mut f, "11");
    f.next();
    assert_eq!(plain(f.question_view().unwrap().error), range);
    f.key(keyboard::special::BACKSPACE);
    f.key(keyboard::special::BACKSPACE);
    type_text(&mut f, "2");
    f.next();
    // PREFERRED_DATE (datetime): not chosen yet → error; touching it chooses
    assert_eq!(f.question_view().unwrap().kind, QuestionKind::Datetime);
    f.next();
    assert!(f.session.error.is_some());
    f.date_quick("today");
    f.date_adjust("day", 1);
    f.next();
    // ACCESS (text, optional)
    assert_eq!(f.question_view().unwrap().kind, QuestionKind::LongText);
    type_text(&mut f, "Troisième étage");
    f.key(keyboard::special::NEWLINE);
    type_text(&mut f, "sans ascenseur");
    f.next();
    // BULKY_FEE (information)
    assert_eq!(f.question_view().unwrap().kind, QuestionKind::Info);
    f.next();
    // Description, address
    assert_eq!(f.current_step(), Some(Step::Description));
    f.next();
    assert_eq!(f.current_step(), Some(Step::Address));
    f.next();
    assert!(f.session.error.is_some(), "location is required");
    type_text(&mut f, "4 rue du Moulin");
    f.next();
    // Contact: yes, then name and an e-mail with a slip
    assert_eq!(f.current_step(), Some(Step::ContactChoice));
    f.next();
    assert_eq!(f.question_view().unwrap().error, f.t("error-choose-yes-no"));
    f.toggle_choice("yes");
    f.next();
    type_text(&mut f, "Anne");
    f.next();
    f.key(keyboard::special::SHIFT);
    type_text(&mut f, "martin");
    f.next();
    type_text(&mut f, "anne.example.org");
    f.next();
    assert_eq!(f.question_view().unwrap().error, f.t("error-bad-email"));
    f.set_value("anne@example.org");
    f.next();
    f.next(); // phone: optional
    assert_eq!(f.session.screen, Screen::Check);
    let rows = f.check_rows();
    assert!(rows.iter().any(|r| r.answer.contains("Réfrigérateur")
        || r.answer.contains("Frigo")
        || r.answer.contains(',')));
    assert!(rows.iter().any(|r| r.answer == "Martin"), "{rows:?}");
    // Change the count from the check page: Continue returns to check.
    let count_step = rows.iter().find(|r| r.answer == "2").unwrap().step as usize;
    f.change(count_step);
    assert_eq!(f.session.screen, Screen::Question);
    f.key(keyboard::special::BACKSPACE);
    f.key(keyboard::special::BACKSPACE);
    f.key(keyboard::special::BACKSPACE);
    type_text(&mut f, "3");
    f.next();
    assert_eq!(f.session.screen, Screen::Check);
    let form = f.submit().expect("valid");
    assert_eq!(f.session.screen, Screen::Submitting);
    assert_eq!(form.locale, "fr");
    assert_eq!(
        form.answers["ITEMS"],
        Answer::Many(vec!["fridge".into(), "mattress".into()])
    );
    assert_eq!(form.answers["ITEM_COUNT"], Answer::One("3".into()));
    assert_eq!(
        form.answers["ACCESS"],
        Answer::One("Troisième étage\nsans ascenseur".into())
    );
    assert_eq!(form.contact.last_name, "Martin");
    f.saved(SaveOutcome::Saved("DEMO-00001-X".into()));
    assert_eq!(f.session.screen, Screen::Confirmation);
    assert!(
        f.session.input.answers.is_empty(),
        "answers dropped once saved"
    );
    assert!(!f.can_go_back());
    f.back();
    assert_eq!(
        f.session.screen,
        Screen::Confirmation,
        "no way back into the answers"
    );
    f.wipe();
    assert!(f.session.is_blank());
    assert_eq!(f.session.screen, Screen::Welcome);
}

#[test]
fn the_idle_timeout_warns_then_wipes_and_more_time_is_unlimited() {
    let mut f = flow();
    to_service(&mut f, "ar", "PARK");
    type_text(&mut f, "حديقة");
    for _ in 0..59 {
        assert!(!f.tick() || f.session.warning.is_none());
    }
    assert!(f.session.warning.is_none());
    f.tick();
    assert_eq!(f.session.warning, Some(WARNING_SECONDS));
    const { assert!(WARNING_SECONDS >= 20) };
    assert!(f.timeout_text().contains(&WARNING_SECONDS.to_string()));
    for _ in 0..12 {
        // ten extensions and more, each taken late in the countdown
        for _ in 0..WARNING_SECONDS - 1 {
            f.tick();
        }
        assert!(f.session.warning.is_some());
        f.more_time();
        assert_eq!(f.session.screen, Screen::Question);
        assert!(f.session.warning.is_none());
        for _ in 0..60 {
            f.tick();
        }
    }
    assert_eq!(f.session.extensions, 12);
    assert!(f.session.warning.is_some());
    for _ in 0..WARNING_SECONDS {
        f.tick();
    }
    assert_eq!(f.session.screen, Screen::Welcome);
    assert!(f.session.is_blank());
    assert_eq!(f.locale(), "en", "language back to the kiosk default");
    f.back();
    f.back();
    assert!(
        f.session.is_blank(),
        "back cannot reach the previous resident's answers"
    );
    assert_eq!(f.question_view(), None);
}

#[test]
fn check_page_lists_every_error_after_send_and_links_to_its_question() {
    let mut f = flow();
    to_service(&mut f, "en", "GRAFFITI");
    f.next(); // description
    type_text(&mut f, "x");
    f.next(); // address
    f.toggle_choice("no");
    f.next();
    assert_eq!(f.session.screen, Screen::Check);
    // Simulate an answer that became invalid (set through assistive technology).
    f.change(1);
    f.set_value("");
    f.session.returning_to_check = false;
    f.session.screen = Screen::Check;
    assert!(f.submit().is_none());
    let summary = f.error_summary();
    assert_eq!(summary.len(), 1);
    assert_eq!(summary[0].step, 1);
    assert!(summary[0].message.contains(&f.t("address-title")));
    f.change(summary[0].step as usize);
    assert!(
        f.question_view()
            .unwrap()
            .error
            .contains(&f.t("error-location-missing"))
    );
}

#[test]
fn language_can_change_mid_form_without_losing_answers() {
    let mut f = flow();
    to_service(&mut f, "en", "POTHOLE");
    f.next(); // info
    f.toggle_choice("large");
    let title_en = f.question_view().unwrap().title;
    f.open_languages();
    f.choose_language("uk");
    assert_eq!(f.session.screen, Screen::Question);
    let q = f.question_view().unwrap();
    assert_ne!(q.title, title_en);
    assert!(q.choices.iter().any(|c| c.selected && c.key == "large"));
    assert!(f.keyboard().1.is_empty());
}

#[test]
fn typing_stops_at_the_limit() {
    let mut f = flow();
    to_service(&mut f, "en", "PARK");
    for _ in 0..(crate::validate::STRING_MAX + 20) {
        f.key("a");
    }
    assert_eq!(
        f.question_view().unwrap().value.chars().count(),
        crate::validate::STRING_MAX
    );
}

#[test]
fn the_flow_decides_the_toolbar_and_mirrors_it_for_right_to_left() {
    let mut f = flow();
    let tools = |bar: &[ToolView]| bar.iter().map(|t| t.tool).collect::<Vec<_>>();
    assert!(tools(&f.toolbar().left).is_empty(), "nothing to go back to");
    to_service(&mut f, "en", "POTHOLE");
    let bar = f.toolbar();
    assert_eq!(tools(&bar.left), [Tool::Back]);
    assert_eq!(
        tools(&bar.right),
        [
            Tool::StartOver,
            Tool::Language,
            Tool::TextSize,
            Tool::Contrast,
            Tool::Help
        ]
    );
    assert_eq!(bar.left[0].title, f.t("tool-back"));
    // Arabic reads from the right: the same controls, mirrored, at the other edges.
    assert!(!f.tool(Tool::Language));
    f.choose_language("ar");
    let bar = f.toolbar();
    assert_eq!(
        tools(&bar.left),
        [
            Tool::Help,
            Tool::Contrast,
            Tool::TextSize,
            Tool::Language,
            Tool::StartOver
        ]
    );
    assert_eq!(tools(&bar.right), [Tool::Back]);
    // Toggles report their state; the first "help" asks the caller to call staff, once.
    assert!(!f.tool(Tool::TextSize));
    assert_eq!(f.text_scale(), TEXT_SCALES[1]);
    assert!(
        f.toolbar()
            .right
            .iter()
            .all(|t| t.tool != Tool::TextSize || !t.on)
    );
    assert!(
        f.toolbar()
            .left
            .iter()
            .any(|t| t.tool == Tool::TextSize && t.on)
    );
    assert!(f.tool(Tool::Help));
    assert!(!f.tool(Tool::Help));
}

#[test]
fn no_start_again_while_saving_and_the_receipt_state_belongs_to_the_session() {
    let mut f = Flow::new(
        FlowSettings {
            has_printer: true,
            ..FlowSettings::default()
        },
        demo_catalogs().into_iter().collect(),
        Arc::new(Translations::load().unwrap()),
    );
    f.session.screen = Screen::Submitting;
    assert!(
        f.toolbar()
            .left
            .iter()
            .chain(&f.toolbar().right)
            .all(|t| t.tool != Tool::StartOver)
    );
    f.saved(SaveOutcome::Saved("LIB2-00001-A".into()));
    assert_eq!(f.session().print_state, PrintState::Printing);
    // Another resident's receipt does not change this confirmation.
    f.printed("LIB2-00002-B", false);
    assert_eq!(f.session().print_state, PrintState::Printing);
    f.printed("LIB2-00001-A", true);
    assert_eq!(f.session().print_state, PrintState::Printed);
    assert!(
        f.offline(),
        "no central system: always 'will be sent later'"
    );
    f.wipe();
    assert_eq!(f.session().print_state, PrintState::None);
    assert!(f.session().is_blank());
}

#[test]
fn start_again_asks_first_and_keeps_language_and_text_size() {
    let mut f = flow();
    to_service(&mut f, "ar", "MISSEDBIN");
    f.cycle_text_size();
    f.toggle_choice("recycling");
    f.tool(Tool::StartOver);
    assert_eq!(f.confirmation(), Some(Confirm::StartOver));
    // "No, keep my answers": nothing changes.
    f.confirm(false);
    assert_eq!(f.confirmation(), None);
    assert_eq!(f.session().screen, Screen::Question);
    assert!(!f.session().input.answers.is_empty());
    // "Yes": the answers go, the resident's language and text size stay.
    f.tool(Tool::StartOver);
    f.confirm(true);
    assert_eq!(f.session().screen, Screen::Groups);
    assert!(f.session().is_blank());
    assert_eq!(f.locale(), "ar");
    assert_eq!(f.session().text_size_step, 1);
    // With nothing to lose there is nothing to ask.
    f.tool(Tool::StartOver);
    assert_eq!(f.confirmation(), None);
    assert_eq!(f.session().screen, Screen::Groups);
}

#[test]
fn after_a_failed_save_deleting_the_answers_asks_and_then_resets_everything() {
    let mut f = flow();
    to_service(&mut f, "fr", "MISSEDBIN");
    f.toggle_choice("recycling");
    f.session.screen = Screen::Submitting;
    f.saved(SaveOutcome::Failed("error-disk-full"));
    assert_eq!(f.session().screen, Screen::SaveFailed);
    f.delete_answers();
    assert_eq!(f.confirmation(), Some(Confirm::DeleteAnswers));
    f.confirm(false);
    assert_eq!(f.session().screen, Screen::SaveFailed, "kept");
    f.delete_answers();
    f.confirm(true);
    assert_eq!(f.session().screen, Screen::Welcome);
    assert!(f.session().is_blank());
    assert_eq!(f.locale(), f.settings().languages[0]);
}

#[test]
fn dependent_questions_appear_only_when_their_condition_holds() {
    let mut f = flow();
    let doc = br#"{"services": [{"service_code": "TRASH", "service_name": "Missed_collection", "metadata": true, "group": "Bins"}],
      "definitions": {"TRASH": {"service_code": "TRASH", "attributes": [
        {"code": "KIND", "datatype": "singlevaluelist", "required": true, "order": 1, "description": "What was missed?",
         "values": [{"key": "Trash", "name": "Trash"}, {"key": "Other", "name": "Other"}]},
        {"code": "WHAT", "datatype": "string", "required": true, "order": 2, "description": "If other, please specify",
         "dependencies": {"clause": "OR", "conditions": [{"attribute": "KIND", "op": "eq", "value": "Other"}]}},
        {"code": "NOTE", "datatype": "informational", "variable": false, "order": 3, "description": "Bags&lt;br&gt;max 50 lbs."}
      ]}}}"#;
    let catalog = crate::catalog::parse_catalog_document(doc).unwrap();
    f.set_catalogs([(String::new(), catalog)].into_iter().collect());
    f.start();
    f.choose_language("en");
    f.choose_tile("Bins");
    f.choose_tile("TRASH");
    assert_eq!(f.question_view().unwrap().caption, "Missed collection");
    let label = |f: &Flow| {
        f.question_view()
            .unwrap()
            .step_label
            .replace(['\u{2068}', '\u{2069}'], "")
    };
    // WHAT may still appear: the count says so instead of growing later (KIND, Description,
    // Address, contact choice, and maybe WHAT).
    assert_eq!(label(&f), "Question 1 of up to 5");
    f.toggle_choice("Trash");
    f.next();
    // WHAT is skipped: the information page comes next, tidied.
    let info = f.question_view().unwrap();
    assert_eq!(info.kind, QuestionKind::Info);
    assert_eq!(info.value, "Bags\nmax 50 lbs.");
    f.back();
    f.toggle_choice("Other");
    f.next();
    let q = f.question_view().unwrap();
    assert_eq!(q.title, "If other, please specify");
    assert_eq!(label(&f), "Question 2 of 5", "decided: exact again");
    f.next();
    assert!(f.session().error.is_some(), "required while shown");
}

#[test]
fn the_question_count_skips_information_and_never_grows_mid_way() {
    let mut f = flow();
    to_service(&mut f, "en", "POTHOLE");
    // POTHOLE opens with an information page: no number on it.
    assert_eq!(f.question_view().unwrap().kind, QuestionKind::Info);
    assert_eq!(f.question_view().unwrap().step_label, "");
    let mut labels = Vec::new();
    while f.session().screen == Screen::Question {
        let view = f.question_view().unwrap();
        // Without Fluent's directional isolation marks around the numbers.
        labels.push(view.step_label.replace(['\u{2068}', '\u{2069}'], ""));
        match view.kind {
            QuestionKind::Single | QuestionKind::YesNo => {
                let first = view.choices[0].key.clone();
                f.toggle_choice(if view.kind == QuestionKind::YesNo {
                    "yes"
                } else {
                    &first
                });
            }
            QuestionKind::ShortText | QuestionKind::LongText => type_text(&mut f, "Jo"),
            QuestionKind::Number => type_text(&mut f, "2"),
            _ => {}
        }
        if f.current_step() == Some(Step::Email) {
            type_text(&mut f, "@example.org");
        }
        if f.current_step() == Some(Step::Phone) {
            f.set_value("");
        }
        f.next();
    }
    assert_eq!(f.session().screen, Screen::Check, "{labels:?}");
    let numbered: Vec<&String> = labels
        .iter()
        .filter(|l| l.starts_with("Question"))
        .collect();
    let total = numbered.len();
    for (n, label) in numbered.iter().enumerate() {
        assert_eq!(
            **label,
            format!("Question {} of {total}", n + 1),
            "{labels:?}"
        );
    }
    let contact: Vec<&String> = labels
        .iter()
        .filter(|l| l.starts_with("Your contact"))
        .collect();
    assert_eq!(contact.len(), 4, "{labels:?}");
    assert_eq!(*contact[0], "Your contact details: 1 of 4");
}

#[test]
fn the_privacy_notice_comes_before_the_first_personal_question() {
    let mut f = Flow::new(
        FlowSettings {
            council: "Ville de Test".into(),
            help_contact: "01 23 45 67 89".into(),
            retention_days: 14,
            ..FlowSettings::default()
        },
        demo_catalogs().into_iter().collect(),
        Arc::new(Translations::load().unwrap()),
    );
    f.settings.languages = vec!["fr".into()];
    to_service(&mut f, "fr", "MISSEDBIN");
    let steps = f.steps();
    let choice = steps
        .iter()
        .position(|s| *s == Step::ContactChoice)
        .unwrap();
    let description = steps.iter().position(|s| *s == Step::Description).unwrap();
    f.session.step = description;
    let hint = f.question_view().unwrap().hint;
    assert!(hint.contains(&f.t("no-personal-details")), "{hint}");
    f.session.step = choice;
    let notice = f.question_view().unwrap().hint;
    for part in ["Ville de Test", "14", "01 23 45 67 89"] {
        assert!(notice.contains(part), "{part} in {notice}");
    }
    // No personal question comes before it.
    assert!(steps[..choice].iter().all(|s| !matches!(
        s,
        Step::FirstName | Step::LastName | Step::Email | Step::Phone
    )));
    // A council's own notice replaces the standard one.
    f.settings.privacy_notice = Some("Notre avis de confidentialité.".into());
    assert_eq!(
        f.question_view().unwrap().hint,
        "Notre avis de confidentialité."
    );
}

#[test]
fn an_optional_date_offers_im_not_sure_and_a_required_one_does_not() {
    let mut f = flow();
    let since = to_question(&mut f, "en", "STREETLIGHT", "SINCE");
    assert!(f.question_view().unwrap().can_skip);
    f.date_quick("yesterday");
    assert!(f.session().input.answers.contains_key("SINCE"));
    f.date_quick("unsure");
    assert!(
        !f.session().input.answers.contains_key("SINCE"),
        "no date is sent"
    );
    assert_eq!(f.session().step, since + 1, "and the resident moves on");

    let mut f = flow();
    let last = to_question(&mut f, "en", "NOISE", "LAST_TIME");
    assert!(!f.question_view().unwrap().can_skip);
    f.date_quick("unsure");
    assert_eq!(f.session().step, last, "a required date cannot be skipped");
}

// ---------------------------------------------------------------------------------------------
// Staff screens (desk.rs, staff.rs)

fn signed_in(name: &str) -> Flow {
    let mut f = flow();
    f.staff_gesture();
    assert_eq!(f.session.screen, Screen::StaffPin);
    for d in "246810".chars() {
        f.pin_key(&d.to_string());
    }
    f.pin_key(staff::pad::OK);
    let sent = f.take_requests();
    assert!(
        matches!(&sent[..], [StaffRequest::Unlock { pin }] if pin == "246810"),
        "{sent:?}"
    );
    // The check takes its time (the kiosk hashes the PIN): the desk's idle minute counts
    // from when it opens.
    for _ in 0..10 {
        f.tick();
    }
    assert!(
        f.desk().unwrap().pin.is_empty(),
        "the typed PIN leaves the desk"
    );
    f.staff_reply(StaffReply::Unlock(staff::PinOutcome::Accepted {
        name: name.into(),
    }));
    assert_eq!(f.session.screen, Screen::StaffHome);
    assert_eq!(f.take_requests(), vec![StaffRequest::Refresh]);
    assert_eq!(f.desk().unwrap().idle_seconds, 0, "the minute starts now");
    f
}

#[test]
fn the_pin_pad_shuffles_its_digits_and_says_why_entry_is_refused() {
    let mut f = flow();
    // Only from the welcome screen: never in the middle of a resident's request.
    f.start();
    f.staff_gesture();
    assert_eq!(f.session.screen, Screen::Language);
    f.wipe();
    let mut orders = std::collections::BTreeSet::new();
    for _ in 0..5 {
        f.staff_gesture();
        let pad = f.pin_pad();
        let mut digits: Vec<String> = pad
            .iter()
            .flatten()
            .filter(|k| k.value.len() == 1)
            .map(|k| k.value.clone())
            .collect();
        orders.insert(digits.join(""));
        digits.sort();
        assert_eq!(digits.join(""), "0123456789", "each digit once");
        f.wipe();
        assert!(f.desk().is_none());
    }
    assert!(
        orders.len() > 1,
        "the order changes between entries: {orders:?}"
    );

    f.staff_gesture();
    for d in "12345".chars() {
        f.pin_key(&d.to_string());
    }
    f.pin_key(staff::pad::OK);
    assert!(f.take_requests().is_empty(), "five digits are not a PIN");
    f.pin_key("6");
    f.pin_key(staff::pad::OK);
    assert_eq!(f.take_requests().len(), 1);
    let before = f.desk().unwrap().digits;
    let mut reshuffled = false;
    for _ in 0..3 {
        f.staff_reply(StaffReply::Unlock(staff::PinOutcome::Wrong {
            attempts_left: 2,
        }));
        reshuffled |= f.desk().unwrap().digits != before;
    }
    assert!(reshuffled, "a new order after a wrong PIN");
    assert!(f.pin_message().contains('2'), "{}", f.pin_message());
    f.staff_reply(StaffReply::Unlock(staff::PinOutcome::Locked { minutes: 4 }));
    assert_eq!(
        f.pin_message().replace(['\u{2068}', '\u{2069}'], ""),
        "Too many wrong PINs, try again in 4 minutes."
    );
    assert_eq!(f.session.screen, Screen::StaffPin);
}

#[test]
fn a_staff_session_ends_on_lock_on_its_idle_timeout_and_with_every_wipe() {
    let mut f = signed_in("Amira");
    f.staff_lock();
    assert_eq!(f.session.screen, Screen::Welcome);
    assert!(f.desk().is_none());
    assert_eq!(
        f.take_requests(),
        vec![StaffRequest::EndSession {
            staff: "Amira".into()
        }]
    );

    // The desk's idle lock is warned of (WCAG 2.2.1): 20 s to answer, one tap for more time,
    // the lock a minute after the last touch when nobody answers.
    let mut f = signed_in("Amira");
    let warn_at = staff::STAFF_IDLE_SECONDS - staff::STAFF_WARNING_SECONDS;
    const { assert!(staff::STAFF_WARNING_SECONDS >= 20) };
    for _ in 0..warn_at - 1 {
        f.tick();
    }
    assert_eq!(f.session.warning, None, "not yet");
    f.tick();
    assert_eq!(f.session.warning, Some(staff::STAFF_WARNING_SECONDS));
    assert!(
        f.timeout_text()
            .replace(['\u{2068}', '\u{2069}'], "")
            .contains("desk will lock in 20 seconds")
    );
    assert_eq!(f.timeout_finish(), "Lock now");
    f.touched();
    f.tick();
    assert_eq!(
        f.session.warning,
        Some(staff::STAFF_WARNING_SECONDS - 1),
        "a touch elsewhere does not answer the warning"
    );
    f.more_time();
    assert_eq!(f.session.warning, None);
    assert_eq!(f.session.extensions, 0, "staff time is not the resident's");
    for _ in 0..warn_at - 1 {
        f.tick();
    }
    assert_eq!(f.session.warning, None, "the whole countdown again");
    assert_eq!(f.session.screen, Screen::StaffHome);
    for _ in 0..staff::STAFF_WARNING_SECONDS {
        f.tick();
    }
    assert_eq!(f.session.screen, Screen::StaffHome, "not yet");
    f.tick();
    assert_eq!(
        f.session.screen,
        Screen::Welcome,
        "shorter than a resident's timeout"
    );
    assert!(f.desk().is_none());
    // Its "Lock now" locks at once.
    let mut f = signed_in("Amira");
    for _ in 0..warn_at {
        f.tick();
    }
    f.finish();
    assert_eq!(f.session.screen, Screen::Welcome);
    assert!(f.desk().is_none());
    assert_eq!(f.session.warning, None);
    // The resident's warning says nothing of a desk.
    assert!(!f.timeout_text().contains("desk"));
    assert_eq!(f.timeout_finish(), "Start again");
    // On the PIN pad nobody is signed in: the pad closes, and the warning says so.
    let mut f = flow();
    f.staff_gesture();
    assert_eq!(f.session.screen, Screen::StaffPin);
    for _ in 0..warn_at {
        f.tick();
    }
    assert_eq!(f.session.warning, Some(staff::STAFF_WARNING_SECONDS));
    let text = f.timeout_text().replace(['\u{2068}', '\u{2069}'], "");
    assert!(text.contains("PIN pad will close in 20 seconds"), "{text}");
    assert!(!text.contains("desk"), "{text}");
    assert_eq!(f.timeout_finish(), "Close now");
    f.finish();
    assert_eq!(f.session.screen, Screen::Welcome);
    assert!(f.desk().is_none());

    // Helping a visitor: the resident's idle timeout wipes the visitor's answers and locks.
    let mut f = signed_in("Amira");
    f.staff_help_visitor();
    f.choose_language("en");
    for _ in 0..f.settings.idle_timeout_s + WARNING_SECONDS + 1 {
        f.tick();
    }
    assert_eq!(f.session.screen, Screen::Welcome);
    assert!(f.desk().is_none() && f.session().assisted_by.is_none());
    assert!(f.take_requests().contains(&StaffRequest::EndSession {
        staff: "Amira".into()
    }));
}

#[test]
fn an_assisted_request_asks_the_visitor_before_it_is_sent() {
    let mut f = signed_in("Amira");
    f.staff_help_visitor();
    assert_eq!(f.session.screen, Screen::Language);
    assert_eq!(f.mode_banner(), "Assisted by \u{2068}Amira\u{2069}");
    to_service(&mut f, "fr", "GRAFFITI");
    for _ in 0..20 {
        if f.session.screen != Screen::Question {
            break;
        }
        if f.current_step() == Some(Step::Address) {
            type_text(&mut f, "1 rue Haute");
        }
        if f.current_step() == Some(Step::ContactChoice) {
            f.toggle_choice("no");
        }
        f.next();
    }
    assert_eq!(f.session.screen, Screen::Check);
    assert!(
        f.submit().is_none(),
        "Send on the check page asks the visitor first"
    );
    assert_eq!(f.session.screen, Screen::Consent);
    // The visitor's screen: Send, and Back to the answers; no "Start again", no staff control.
    let tools: Vec<Tool> = f
        .toolbar()
        .left
        .iter()
        .chain(&f.toolbar().right)
        .map(|t| t.tool)
        .collect();
    assert!(tools.contains(&Tool::Back) && !tools.contains(&Tool::StartOver));
    assert!(!f.show_staff_controls());
    assert!(f.consent_text().contains("Amira"), "{}", f.consent_text());
    assert_eq!(f.locale(), "fr", "in the visitor's language");
    let form = f.submit().expect("the visitor's Send saves");
    assert_eq!(form.service_code, "GRAFFITI");
    assert_eq!(
        f.save_marks(),
        SaveMarks {
            assisted_by: Some("Amira".into()),
            practice: false
        }
    );
    f.saved(SaveOutcome::Saved("DEMO-00042-V".into()));
    assert_eq!(f.session.screen, Screen::Confirmation);
    assert!(
        !f.mode_banner().is_empty(),
        "still marked on the confirmation"
    );
    // "Finish": back to the desk, not to the welcome screen; the visitor's answers are gone.
    f.finish();
    assert_eq!(f.session.screen, Screen::StaffHome);
    assert!(f.session().is_blank() && f.session().assisted_by.is_none());
    assert!(f.staff_signed_in());
}

#[test]
fn practice_is_marked_on_every_screen_and_saved_as_practice() {
    let mut f = signed_in("Amira");
    f.staff_practice();
    to_service(&mut f, "ar", "POTHOLE");
    assert_eq!(f.desk_mode(), DeskMode::Practice);
    assert!(!f.mode_banner().is_empty());
    assert!(
        f.toolbar()
            .left
            .iter()
            .chain(&f.toolbar().right)
            .all(|t| t.tool != Tool::Help)
    );
    assert_eq!(
        f.save_marks(),
        SaveMarks {
            assisted_by: Some("Amira".into()),
            practice: true
        }
    );
    // Its confirmation, spoken as shown: practice, nothing sent, no reference to take away.
    f.session.reference = Some("DEMO-00042-V".into());
    f.session.screen = Screen::Confirmation;
    let said = f
        .speech_screen(&super::speech::SpeechSettings::default())
        .join("\n");
    assert!(said.contains(&f.t("confirm-practice-title")), "{said}");
    assert!(!said.contains(&f.t("confirm-title")), "{said}");
    assert!(!said.contains("00042"), "no reference: {said}");
}

#[test]
fn staff_actions_carry_the_staff_name_and_cancelling_asks_first() {
    let mut f = signed_in("Amira");
    f.staff_set_query("https://council.example/track/DEMO-00042-V");
    f.staff_lookup();
    assert_eq!(
        f.take_requests(),
        vec![StaffRequest::Lookup {
            query: "https://council.example/track/DEMO-00042-V".into()
        }]
    );
    f.staff_open_lists();
    f.take_requests();
    f.staff_cancel("DEMO-00042-V");
    assert_eq!(f.confirmation(), Some(Confirm::CancelRequest));
    f.confirm(false);
    assert!(f.take_requests().is_empty(), "No keeps it");
    f.staff_cancel("DEMO-00042-V");
    f.confirm(true);
    assert_eq!(
        f.take_requests(),
        vec![StaffRequest::Cancel {
            reference: "DEMO-00042-V".into(),
            staff: "Amira".into()
        }]
    );
    f.staff_refile("DEMO-00042-V");
    assert_eq!(f.session.screen, Screen::StaffRefile);
    f.staff_refile_to("NOT-A-SERVICE");
    assert!(f.take_requests().is_empty());
    f.staff_refile_to("STREETLIGHT");
    assert_eq!(
        f.take_requests(),
        vec![StaffRequest::Refile {
            reference: "DEMO-00042-V".into(),
            service: "STREETLIGHT".into(),
            answers: BTreeMap::new(),
            staff: "Amira".into()
        }]
    );
    assert_eq!(f.session.screen, Screen::StaffLists);
    // STREETLIGHT asks what the request never answered: staff answer only that on the question
    // pages, and the last Continue re-files with the answers.
    f.staff_reply(StaffReply::RefileQuestions(staff::RefileVisit {
        reference: "DEMO-00042-V".into(),
        service: "STREETLIGHT".into(),
        questions: vec!["PROBLEM".into()],
    }));
    assert_eq!(f.session.screen, Screen::Question);
    assert_eq!(f.steps(), vec![Step::Attribute("PROBLEM".into())]);
    assert_eq!(
        f.mode_banner(),
        "Re-filing \u{2068}DEMO-00042-V\u{2069}: the new service's questions"
    );
    // At the largest size on a 7" panel (its words at 33 px) the reference alone.
    let size = f.session.text_size_step;
    f.set_window_mm(154.0, 90.0);
    f.session.text_size_step = 2;
    assert!(f.tools_in_menu());
    assert_eq!(f.mode_banner(), "Re-filing \u{2068}DEMO-00042-V\u{2069}");
    f.set_window_mm(400.0, 300.0);
    f.session.text_size_step = size;
    let tools: Vec<Tool> = f.toolbar().right.iter().map(|t| t.tool).collect();
    assert!(!tools.contains(&Tool::StartOver) && !tools.contains(&Tool::Help));
    f.next();
    assert_eq!(f.session.screen, Screen::Question, "PROBLEM is required");
    f.toggle_choice("off");
    f.next();
    assert_eq!(f.session.screen, Screen::StaffLists);
    assert!(
        f.session.input.answers.is_empty(),
        "the answers left the screen"
    );
    let sent = f.take_requests();
    assert!(
        matches!(&sent[..], [StaffRequest::Refile { reference, service, answers, staff }]
            if reference == "DEMO-00042-V" && service == "STREETLIGHT" && staff == "Amira"
                && answers.get("PROBLEM") == Some(&Answer::Many(vec!["off".into()]))),
        "{sent:?}"
    );
}

#[test]
fn a_resident_checks_a_request_and_a_mistyped_reference_is_told_at_once() {
    let mut f = flow();
    f.open_check_request();
    assert_eq!(f.session.screen, Screen::CheckRequest);
    let good = crate::reference::Reference::issue("DEMO", 42)
        .unwrap()
        .to_string();
    let mut wrong = good.clone();
    let last = wrong.pop().unwrap();
    wrong.push(if last == 'A' { 'B' } else { 'A' });
    for c in wrong.to_lowercase().chars() {
        f.lookup_key(&c.to_string());
    }
    f.lookup_key(staff::pad::OK);
    assert!(
        f.take_requests().is_empty(),
        "no look-up for a mistyped reference"
    );
    assert_eq!(f.lookup_lines(), (vec![f.t("lookup-mistyped")], true));
    // A scanner types the receipt QR's address like a keyboard (the page's Enter checks).
    while !f.session.lookup.is_empty() {
        assert!(f.reference_key("\u{8}"), "Backspace types");
    }
    for c in format!("https://council.example/track/{good}").chars() {
        assert!(f.reference_key(&c.to_string()), "{c:?} types");
    }
    assert_eq!(
        f.lookup_lines(),
        (vec![], false),
        "a new reference: no answer"
    );
    for key in ["\n", "\t", "\u{1b}", "\u{f700}", ""] {
        assert!(!f.reference_key(key), "{key:?} does not type");
    }
    f.lookup_check();
    assert_eq!(
        f.take_requests(),
        vec![StaffRequest::PublicLookup {
            reference: good.clone()
        }]
    );
    f.staff_reply(StaffReply::PublicLookup(Some(staff::PublicStatus {
        reference: good.clone(),
        state: staff::RequestState::Accepted,
        remote: Some(staff::RemoteStatus::Closed),
        updated_at: Some("2026-12-01T08:30:00Z".into()),
    })));
    let (lines, problem) = f.lookup_lines();
    assert!(!problem);
    assert_eq!(lines[1], f.t("lookup-closed"));
    // In words, in the displayed language (the receipts' and date picker's wording).
    assert!(
        super::speech::plain(&lines[2]).contains("1 December 2026, 08:30"),
        "{lines:?}"
    );
    // Leaving forgets what was typed.
    f.back();
    assert_eq!(f.session.screen, Screen::Welcome);
    assert!(f.session().lookup.is_empty());
}

#[test]
fn the_screen_blanks_on_the_welcome_screen_only_and_the_waking_touch_is_not_a_tap() {
    let mut f = flow();
    f.settings.blank_after_s = 3;
    for _ in 0..2 {
        f.tick();
    }
    assert!(!f.blanked());
    f.tick();
    assert!(f.blanked(), "3 s idle on the welcome screen");
    assert!(!f.tick(), "a blanked screen changes nothing");
    // The waking touch lands on the welcome screen's "touch to start": it only wakes.
    f.start();
    assert!(!f.blanked());
    assert_eq!(
        f.session.screen,
        Screen::Welcome,
        "the waking touch was not taken as a tap"
    );
    f.tick();
    assert!(!f.blanked(), "the idle count started again");
    f.start();
    assert_eq!(f.session.screen, Screen::Language);
    // Never during a resident's session, however long they take.
    for _ in 0..30 {
        f.tick();
        f.more_time();
    }
    assert!(!f.blanked());
    // 0: never.
    let mut never = flow();
    for _ in 0..1000 {
        never.tick();
    }
    assert!(!never.blanked());
    // An explicit wake (the UI's black overlay) does the same.
    let mut g = flow();
    g.settings.blank_after_s = 1;
    g.tick();
    assert!(g.blanked());
    g.wake();
    assert!(!g.blanked());
    assert_eq!(g.session.screen, Screen::Welcome);
}

#[test]
fn a_remote_screenshot_is_allowed_only_between_residents() {
    let mut f = flow();
    assert!(f.between_residents(), "the welcome screen");
    to_service(&mut f, "en", "GRAFFITI");
    assert!(!f.between_residents(), "a resident's session");
    f.tick();
    assert!(!f.between_residents());
    f.wipe();
    assert!(f.between_residents(), "after the wipe");
}

#[test]
fn each_ended_session_is_summarised_once_without_personal_data() {
    let mut f = flow();
    // Nothing to report while nobody used the kiosk.
    for _ in 0..10 {
        f.tick();
    }
    assert!(f.take_ended_sessions().is_empty());
    // A resident reaches the second question of PARK, then walks away: timed out at step 2.
    to_service(&mut f, "ar", "PARK");
    let _ = f.take_ended_sessions();
    type_text(&mut f, "حديقة");
    f.next();
    let reached = f.session.step as u32 + 1;
    assert!(reached >= 2);
    let _ = f.take_ended_sessions();
    for _ in 0..(60 + WARNING_SECONDS) {
        f.tick();
    }
    assert_eq!(f.session.screen, Screen::Welcome);
    let ended = f.take_ended_sessions();
    assert_eq!(ended.len(), 1);
    let s = &ended[0];
    assert_eq!(s.outcome, SessionEnd::TimedOut);
    assert_eq!(
        (s.locale.as_str(), s.service_code.as_deref()),
        ("ar", Some("PARK"))
    );
    assert_eq!(s.step, reached);
    assert_eq!(s.duration_s, 60 + WARNING_SECONDS);
    assert!(!s.assisted && !s.practice);
    assert!(f.take_ended_sessions().is_empty(), "reported once");
    // "Start again" mid-way is abandoned; the assisted mark stays with the same visitor.
    to_service(&mut f, "en", "PARK");
    f.mark_session(true, false);
    f.start_over();
    f.confirm(true);
    let ended = f.take_ended_sessions();
    assert_eq!(ended.len(), 1);
    assert_eq!(ended[0].outcome, SessionEnd::Abandoned);
    assert!(ended[0].assisted);
    f.wipe();
    let ended = f.take_ended_sessions();
    assert_eq!(
        ended.len(),
        1,
        "the new session after start again, abandoned at once"
    );
    assert!(ended[0].assisted, "the same visitor, still assisted");
    assert_eq!(ended[0].service_code, None);
}

#[test]
fn help_is_announced_honestly_told_only_once_delivered() {
    let mut f = flow();
    f.start();
    assert_eq!(f.help_message_id(), None);
    f.help_answered(true);
    assert_eq!(f.help_message_id(), None, "nobody on screen asked");
    assert!(f.tool(Tool::Help), "the first touch calls staff");
    assert!(!f.tool(Tool::Help), "only once");
    assert_eq!(f.help_message_id(), Some("help-calling"));
    f.help_answered(false);
    assert_eq!(f.help_message_id(), Some("help-ask-desk"));
    // A retry that delivers later upgrades the message; nothing downgrades it.
    f.help_answered(true);
    assert_eq!(f.help_message_id(), Some("help-told"));
    f.help_answered(false);
    assert_eq!(f.help_message_id(), Some("help-told"));
    f.wipe();
    assert_eq!(
        f.help_message_id(),
        None,
        "the next resident starts without it"
    );
    let tr = Translations::load().unwrap();
    for l in crate::i18n::SUPPORTED_LOCALES {
        for id in ["help-calling", "help-told", "help-ask-desk"] {
            assert_ne!(tr.text(l, id), id, "{l} {id}");
        }
    }
}

#[test]
fn dates_show_minutes_only_when_the_catalogue_asks_for_a_time() {
    // BULKY's "Which day would suit you?": the day only, sent as a date.
    let mut f = flow();
    to_question(&mut f, "en", "BULKY", "PREFERRED_DATE");
    let parts: Vec<String> = f.date_parts().into_iter().map(|p| p.field).collect();
    assert_eq!(parts, ["day", "month", "year"]);
    f.date_quick("today");
    let Some(Answer::One(sent)) = f.session().input.answers.get("PREFERRED_DATE").cloned() else {
        panic!("a date was chosen")
    };
    assert_eq!(sent.len(), 10, "a day, no time: {sent}");
    assert!(!f.question_view().unwrap().value.contains(':'));

    // NOISE's "When did it last happen?" with "the day and the time" in its hint: hours and
    // quarter hours too, in every language.
    for locale in ["en", "fr", "ar", "uk"] {
        let mut f = flow();
        to_question(&mut f, locale, "NOISE", "LAST_TIME");
        let parts: Vec<String> = f.date_parts().into_iter().map(|p| p.field).collect();
        assert_eq!(
            parts,
            ["day", "month", "year", "hour", "minute"],
            "{locale}"
        );
    }
}

#[test]
fn the_welcome_promises_a_printed_receipt_only_on_a_kiosk_with_a_printer() {
    let mut f = flow();
    f.start();
    assert!(!f.settings.has_printer);
    assert_eq!(f.welcome_purpose(), f.t("welcome-purpose-no-printer"));
    assert!(!f.welcome_purpose().contains("printed"));
    f.settings.has_printer = true;
    assert_eq!(f.welcome_purpose(), f.t("welcome-purpose"));
    assert!(f.welcome_purpose().contains("printed receipt"));
}

#[test]
fn speech_walks_the_staff_screens_and_never_says_a_pin() {
    use super::speech::{Control, SpeechSettings, plain};
    let loudspeaker = SpeechSettings::default();
    let mut f = flow();
    f.staff_gesture();
    assert_eq!(f.session.screen, Screen::StaffPin);
    assert_eq!(f.locale(), "en");
    // Every key of the pad is a control; on the loudspeaker a digit key is said by its place
    // alone, and the places of a shuffled pad say the same words in any order.
    let said = |f: &Flow| -> Vec<String> {
        f.speech_controls()
            .iter()
            .filter(|c| matches!(c.control, Control::PinKey(_)))
            .map(|c| c.text.clone())
            .collect()
    };
    let first = said(&f);
    assert_eq!(first.len(), 12, "{first:?}");
    f.desk.as_mut().unwrap().digits = [9, 8, 7, 6, 5, 4, 3, 2, 1, 0];
    assert_eq!(said(&f), first, "the words do not give the digits away");
    // With a headset, the digits are said.
    let headset: Vec<String> = f
        .speech_controls_for(true)
        .iter()
        .filter(|c| matches!(c.control, Control::PinKey(_)))
        .map(|c| plain(&c.text))
        .collect();
    assert!(headset.iter().any(|t| t.starts_with("9")), "{headset:?}");
    // Typing by speech: the count is said, never the digit.
    let digit = f
        .speech_controls()
        .into_iter()
        .find(|c| c.control == Control::PinKey("7".into()))
        .unwrap();
    f.speech_activate(&digit.control);
    assert_eq!(f.desk().unwrap().pin, "7");
    assert_eq!(f.speech_typed_state(), "1");
    assert_eq!(
        plain(&f.typed_so_far(&loudspeaker)),
        "Digit entered. One digit."
    );
    let screen = f.speech_screen(&loudspeaker).join("\n");
    assert!(!screen.contains('7'), "{screen}");
    for d in "46810".chars() {
        f.speech_activate(&Control::PinKey(d.to_string()));
    }
    assert_eq!(
        plain(&f.typed_so_far(&loudspeaker)),
        "Digit entered. 6 digits."
    );
    f.speech_activate(&Control::PinKey(staff::pad::OK.into()));
    assert!(matches!(&f.take_requests()[..], [StaffRequest::Unlock { pin }] if pin == "746810"));
    f.staff_reply(StaffReply::Unlock(staff::PinOutcome::Wrong {
        attempts_left: 4,
    }));
    assert_eq!(
        plain(&f.speech_news().join(" ")),
        "Wrong PIN. 4 tries left."
    );

    // The desk: its content and every control in reading order.
    let mut f = signed_in("Amira");
    f.staff_reply(StaffReply::Health(staff::KioskHealth {
        central_configured: false,
        printer_configured: false,
        online: false,
        captive_portal: false,
        last_sync: None,
        pending: 1,
        review: 1,
        rejected: 0,
        paper: staff::Paper::Unknown,
        cover_open: None,
    }));
    f.staff_reply(StaffReply::Lists {
        review: vec![staff::QueueItem {
            reference: "LIB7-00001-X".into(),
            service: "Graffiti".into(),
            kind: staff::ReasonKind::Undecided,
            reason: "no answer".into(),
            created_at: "2026-12-01T09:00:00Z".into(),
        }],
        rejected: Vec::new(),
        help: vec![staff::HelpItem {
            id: 3,
            asked_at: "2026-12-01T09:05:00Z".into(),
        }],
    });
    let screen = plain(&f.speech_screen(&loudspeaker).join("\n"));
    for want in [
        "Signed in: Amira",
        "Reference or scanned receipt",
        "Typed so far: nothing yet",
        "Kiosk",
        "Council reachable: No council configured (demo)",
        "Printer: No printer configured",
        "Needs attention: Requests: 1 waiting, 1 to check, 0 refused",
    ] {
        assert!(screen.contains(want), "{want:?} not in:\n{screen}");
    }
    let controls: Vec<Control> = f.speech_controls().into_iter().map(|c| c.control).collect();
    let at = |c: &Control| controls.iter().position(|x| x == c).unwrap();
    assert!(at(&Control::StaffSendNow) < at(&Control::LookupKey("A".into())));
    assert!(at(&Control::LookupKey(staff::pad::OK.into())) < at(&Control::StaffOpenLists));
    assert!(at(&Control::StaffOpenLists) < at(&Control::StaffHelpVisitor));
    assert!(at(&Control::StaffHelpVisitor) < at(&Control::StaffPractice));
    // The pad types into the look-up, said spelled out.
    for k in ["L", "I", "B"] {
        f.speech_activate(&Control::LookupKey(k.into()));
    }
    assert_eq!(plain(&f.typed_so_far(&loudspeaker)), "Typed so far: L I B");

    // The lists: the help request and the review item with each of its actions.
    f.speech_activate(&Control::StaffOpenLists);
    assert_eq!(f.session.screen, Screen::StaffLists);
    let controls: Vec<_> = f.speech_controls();
    let texts: Vec<&str> = controls.iter().map(|c| c.text.as_str()).collect();
    assert!(
        controls
            .iter()
            .any(|c| c.control == Control::StaffHelpDone(3)),
        "{texts:?}"
    );
    let sent = controls
        .iter()
        .find(|c| c.control == Control::StaffMarkSent("LIB7-00001-X".into()))
        .unwrap();
    assert!(
        plain(&sent.text).starts_with("It reached the council L I B 7"),
        "{}",
        sent.text
    );
    f.speech_activate(&sent.control);
    assert_eq!(f.session.screen, Screen::StaffSent);
    for k in ["4", "2", staff::pad::OK] {
        f.speech_activate(&Control::LookupKey(k.into()));
    }
    assert_eq!(f.session.screen, Screen::StaffLists);
    assert!(f.take_requests().iter().any(|r| matches!(
        r,
        StaffRequest::ResolveSent { reference, remote_id, staff }
            if reference == "LIB7-00001-X" && remote_id == "42" && staff == "Amira"
    )));
}

/// One pad, one way of saying it: on a resident's "Check a request" and on the staff desk's
/// look-up the same keys are said in the same words (each letter and digit as a key, in the
/// same order), through the one helper.
#[test]
fn the_lookup_pad_is_spoken_alike_for_residents_and_staff() {
    use super::speech::Control;
    let pad = |f: &Flow| -> Vec<(Control, String)> {
        f.speech_controls()
            .into_iter()
            .filter(|c| matches!(&c.control, Control::LookupKey(v) if v != staff::pad::OK))
            .map(|c| (c.control, c.text))
            .collect()
    };
    let mut resident = flow();
    resident.open_check_request();
    assert_eq!(resident.session.screen, Screen::CheckRequest);
    let staff_desk = signed_in("Amira");
    assert_eq!(staff_desk.session.screen, Screen::StaffHome);
    let (said, desk) = (pad(&resident), pad(&staff_desk));
    assert!(said.len() >= 36, "{said:?}");
    assert_eq!(said, desk);
    let a = said
        .iter()
        .find(|(c, _)| *c == Control::LookupKey("A".into()))
        .unwrap();
    assert_eq!(super::speech::plain(&a.1), "A, key", "a key, not a button");
}

/// The review and rejected lists say why in the desk's language (a category of the kiosk's
/// own), and keep the technical line as it is for technicians: an Arabic desk does not show
/// "HTTP 500" as the reason.
#[test]
fn the_staff_lists_say_why_in_the_desks_language_and_keep_the_technical_line() {
    let mut f = signed_in("Amira");
    let item = |reference: &str, kind, reason: &str| staff::QueueItem {
        reference: reference.into(),
        service: "Graffiti".into(),
        kind,
        reason: reason.into(),
        created_at: "2026-12-01T09:00:00Z".into(),
    };
    f.staff_reply(StaffReply::Lists {
        review: vec![item(
            "LIB7-00001-X",
            staff::ReasonKind::Undecided,
            "undecided for 12 h: HTTP 500 from requests.json",
        )],
        rejected: vec![item(
            "LIB7-00002-X",
            staff::ReasonKind::Refused,
            "service_code not accepted",
        )],
        help: Vec::new(),
    });
    f.session.locale = "ar".into();
    let items = f.staff_items();
    assert_eq!(items.len(), 2);
    let tr = Translations::load().unwrap();
    let (review, rejected) = (&items[0].detail, &items[1].detail);
    let first = |d: &str| d.lines().next().unwrap_or_default().to_string();
    assert!(
        first(review).contains(&tr.text("ar", "staff-reason-undecided")),
        "{review}"
    );
    assert!(!first(review).contains("HTTP"), "{review}");
    assert!(
        review
            .lines()
            .nth(1)
            .is_some_and(|l| l.contains("HTTP 500")),
        "{review}"
    );
    assert!(
        first(rejected).contains(&tr.text("ar", "staff-reason-refused")),
        "{rejected}"
    );
    assert!(rejected.contains("service_code not accepted"), "{rejected}");
    for l in crate::i18n::SUPPORTED_LOCALES {
        for kind in [
            staff::ReasonKind::Undecided,
            staff::ReasonKind::Unverified,
            staff::ReasonKind::Review,
            staff::ReasonKind::Refused,
            staff::ReasonKind::NotSent,
        ] {
            let id = kind.message_id().to_string();
            assert!(tr.message_ids(l).contains(&id), "{l} lacks {id}");
        }
    }
}

/// The staff look-up says why as the lists do: an Arabic desk reads the category in Arabic,
/// with the kiosk's technical line under "Technical detail"; a request with only a technical
/// line (a failed attempt of a waiting one) shows that line, labelled.
#[test]
fn the_staff_look_up_says_why_in_the_desks_language_and_keeps_the_technical_line() {
    let tr = Translations::load().unwrap();
    let looked_up = |state, kind, reason: &str| {
        let mut f = signed_in("Amira");
        f.session.locale = "ar".into();
        f.staff_set_query("LIB7-00002-X");
        f.staff_lookup();
        f.staff_reply(StaffReply::Lookup(Some(staff::RequestStatus {
            reference: "LIB7-00002-X".into(),
            service: "Graffiti".into(),
            state,
            remote_id: None,
            remote_status: None,
            remote_updated: None,
            reason: Some(reason.into()),
            kind,
            assisted_by: None,
        })));
        let label = tr.text("ar", "staff-reason");
        let rows = f.staff_home_view().lookup;
        rows.into_iter()
            .find(|r| r.label == label)
            .unwrap_or_else(|| panic!("no {label:?} row"))
    };
    let refused = looked_up(
        staff::RequestState::Rejected,
        Some(staff::ReasonKind::Refused),
        "service_code not accepted",
    );
    let lines: Vec<&str> = refused.value.lines().collect();
    assert_eq!(lines.len(), 2, "{}", refused.value);
    assert_eq!(lines[0], tr.text("ar", "staff-reason-refused"));
    assert!(!lines[0].contains("service_code"), "{}", refused.value);
    assert_eq!(
        lines[1],
        tr.format(
            "ar",
            "staff-item-technical",
            &[("detail", "service_code not accepted".into())]
        ),
        "the technical line as it is, under \"Technical detail\""
    );
    assert!(refused.warn);
    let waiting = looked_up(staff::RequestState::Pending, None, "HTTP 503");
    assert_eq!(waiting.value.lines().count(), 1, "{}", waiting.value);
    assert!(waiting.value.contains("HTTP 503"), "{}", waiting.value);
    assert!(
        !waiting
            .value
            .contains(&tr.text("ar", "staff-reason-review")),
        "no category it does not have"
    );
}

#[test]
fn a_small_panel_keeps_text_size_and_contrast_behind_one_tool_until_the_screen_changes() {
    let mut f = flow();
    let tools = |bar: &[ToolView]| bar.iter().map(|t| t.tool).collect::<Vec<_>>();
    // A 7" panel in landscape: the bar is a column beside the page, with five tools.
    f.set_window_mm(154.0, 90.0);
    f.start();
    f.choose_language("en");
    assert_eq!(f.session.screen, Screen::Groups);
    assert!(f.side_bar());
    let bar = f.toolbar();
    assert_eq!(
        tools(&bar.right),
        [Tool::StartOver, Tool::Language, Tool::Display, Tool::Help]
    );
    assert!(bar.drawer.is_empty());
    assert_eq!(
        bar.right[2].title,
        f.t("tool-display"),
        "its own translated label"
    );
    // Opened, it stands for the bar: itself (on), then Text size and High contrast, also in
    // speech mode's order.
    assert!(!f.tool(Tool::Display));
    let bar = f.toolbar();
    assert!(bar.left.is_empty());
    assert_eq!(tools(&bar.right), [Tool::Display]);
    assert!(bar.right[0].on);
    assert_eq!(tools(&bar.drawer), [Tool::TextSize, Tool::Contrast]);
    let spoken: Vec<speech::Control> = f.speech_controls().into_iter().map(|c| c.control).collect();
    assert_eq!(
        spoken[..3],
        [
            speech::Control::Tool(Tool::Display),
            speech::Control::Tool(Tool::TextSize),
            speech::Control::Tool(Tool::Contrast)
        ]
    );
    assert!(!spoken.contains(&speech::Control::Tool(Tool::Language)));
    // Its tools work and it stays open for the next tap.
    f.tool(Tool::TextSize);
    f.tool(Tool::Contrast);
    assert_eq!(f.text_scale(), TEXT_SCALES[1]);
    assert!(f.session.high_contrast);
    let bar = f.toolbar();
    assert!(bar.drawer.iter().all(|t| t.on), "both show they are on");
    // Closed by the same tool...
    f.tool(Tool::Display);
    let bar = f.toolbar();
    assert!(bar.drawer.is_empty());
    assert_eq!(tools(&bar.right).len(), 4);
    assert!(!bar.right[2].on);
    // ...or by leaving the screen.
    f.tool(Tool::Display);
    let group = f.tiles()[0].key.clone();
    f.choose_tile(&group);
    assert_eq!(f.session.screen, Screen::Services);
    assert!(!f.display_open());
    assert!(f.toolbar().drawer.is_empty());
    // Arabic: mirrored, the drawer too.
    f.tool(Tool::Language);
    f.choose_language("ar");
    f.tool(Tool::Display);
    assert_eq!(tools(&f.toolbar().drawer), [Tool::Contrast, Tool::TextSize]);
    f.tool(Tool::Display);
    // Upright (90 mm wide): the same tool, in the bar at the top (no side bar).
    f.set_window_mm(90.0, 154.0);
    assert!(!f.side_bar());
    assert!(tools(&f.toolbar().left).contains(&Tool::Display));
    // A 10" panel keeps both tools in the bar.
    f.set_window_mm(217.0, 136.0);
    assert!(!f.side_bar());
    let all: Vec<Tool> = tools(&f.toolbar().left);
    assert!(all.contains(&Tool::TextSize) && all.contains(&Tool::Contrast));
    assert!(!all.contains(&Tool::Display));
}

#[test]
fn typing_on_a_small_panel_keeps_only_the_ways_out_and_help() {
    let mut f = flow();
    let tools = |bar: &Toolbar| {
        bar.left
            .iter()
            .chain(&bar.right)
            .map(|t| t.tool)
            .collect::<Vec<_>>()
    };
    // A 7" panel upright: BULKY's first question is a choice, its second a count typed on a
    // pad.
    f.set_window_mm(90.0, 154.0);
    to_service(&mut f, "en", "BULKY");
    assert!(!f.typing_on_small_panel());
    assert_eq!(
        tools(&f.toolbar()),
        [
            Tool::Back,
            Tool::StartOver,
            Tool::Language,
            Tool::Display,
            Tool::Help
        ],
        "a choice: the whole bar"
    );
    f.toggle_choice("furniture");
    f.next();
    assert_eq!(f.question_view().unwrap().kind, QuestionKind::Number);
    assert!(f.typing_on_small_panel());
    assert!(!f.typing_beside(), "upright: under the keys, not beside");
    assert_eq!(
        tools(&f.toolbar()),
        [Tool::Back, Tool::StartOver, Tool::Help],
        "typing: the ways out and help"
    );
    // Speech mode's order follows the bar.
    let spoken: Vec<speech::Control> = f.speech_controls().into_iter().map(|c| c.control).collect();
    assert!(spoken.contains(&speech::Control::Tool(Tool::Help)));
    assert!(!spoken.contains(&speech::Control::Tool(Tool::Language)));
    // In landscape the same tools, in the column beside the keys.
    f.set_window_mm(154.0, 90.0);
    assert!(f.typing_on_small_panel() && f.typing_beside());
    assert_eq!(
        tools(&f.toolbar()),
        [Tool::Back, Tool::StartOver, Tool::Help]
    );
    // Arabic: mirrored.
    f.set_window_mm(90.0, 154.0);
    f.tool(Tool::Language);
    f.choose_language("ar");
    f.toggle_choice("furniture");
    f.next();
    let bar = f.toolbar();
    assert_eq!(
        bar.left.iter().map(|t| t.tool).collect::<Vec<_>>(),
        [Tool::Help, Tool::StartOver]
    );
    assert_eq!(
        bar.right.iter().map(|t| t.tool).collect::<Vec<_>>(),
        [Tool::Back]
    );
    // The keys down (the next question, a date), the whole bar is back.
    type_text(&mut f, "3");
    f.next();
    assert!(!f.typing_on_small_panel());
    assert!(tools(&f.toolbar()).contains(&Tool::Language));
    // A 10" panel keeps every tool while typing.
    f.back();
    f.set_window_mm(217.0, 136.0);
    assert_eq!(f.question_view().unwrap().kind, QuestionKind::Number);
    assert!(!f.typing_on_small_panel());
    let all = tools(&f.toolbar());
    assert!(all.contains(&Tool::Language) && all.contains(&Tool::TextSize));
}

#[test]
fn at_the_largest_size_on_a_small_panel_a_question_comes_before_its_keys() {
    use super::speech::Control;
    let mut f = flow();
    let spoken = |f: &Flow| {
        f.speech_controls()
            .into_iter()
            .map(|c| c.control)
            .collect::<Vec<_>>()
    };
    let has_keys = |f: &Flow| spoken(f).iter().any(|c| matches!(c, Control::Key(_)));
    // BULKY's number question on a 7" panel in landscape, at the default size: its pad is up
    // beside the column, with the question.
    f.set_window_mm(154.0, 90.0);
    to_service(&mut f, "en", "BULKY");
    f.toggle_choice("furniture");
    f.next();
    let step = f.session.step;
    assert_eq!(f.question_view().unwrap().kind, QuestionKind::Number);
    assert!(!f.keys_apart() && !f.keys_hidden());
    assert!(f.typing_beside() && has_keys(&f));
    // At the largest size: the question's own screen, no keys, the side bar; in speech mode
    // "Type your answer" comes right before Continue.
    f.tool(Tool::TextSize);
    f.tool(Tool::TextSize);
    assert!(f.keys_apart() && f.keys_hidden());
    let (kind, rows) = f.keyboard();
    assert!(kind == KeyboardKind::None && rows.is_empty());
    assert!(f.side_bar() && !f.typing_beside() && !f.typing_on_small_panel());
    let controls = spoken(&f);
    assert!(!has_keys(&f));
    let open = controls.iter().position(|c| *c == Control::OpenKeys);
    assert_eq!(
        open.map(|i| i + 1),
        controls.iter().position(|c| *c == Control::Next)
    );
    assert_eq!(f.control_label(&Control::OpenKeys), f.t("keys-open"));
    // "Type your answer": the keys, beside the column with Continue.
    f.speech_activate(&Control::OpenKeys);
    assert!(!f.keys_hidden() && f.typing_beside() && has_keys(&f));
    assert!(!spoken(&f).contains(&Control::OpenKeys));
    f.key("2");
    f.key("5");
    // Continue with a number out of range: the error on the question's own screen, where it
    // is read whole; the answer kept.
    f.key(keyboard::special::CONTINUE);
    assert!(f.session.error.is_some() && f.keys_hidden());
    assert_eq!(f.session.step, step);
    assert_eq!(f.question_view().unwrap().value, "25");
    // Back from the keys is the question again, not the question before; the error stays
    // until it is mended.
    f.open_keys();
    assert!(!f.keys_hidden());
    f.back();
    assert!(f.keys_hidden() && f.session.step == step && f.session.error.is_some());
    // Mended: Continue goes on.
    f.open_keys();
    f.key(keyboard::special::BACKSPACE);
    f.key(keyboard::special::BACKSPACE);
    f.key("3");
    f.next();
    assert!(f.session.error.is_none() && f.session.step == step + 1);
    // Back to it later: its own screen again, the keys closed.
    f.back();
    assert!(f.session.step == step && f.keys_hidden());
    // Upright, the same; a 10" panel at the largest size too (its tools in a menu); a panel
    // 150 mm or more on its short side has the keys with the question.
    f.set_window_mm(90.0, 154.0);
    assert!(f.keys_hidden() && !f.typing_on_small_panel());
    f.open_keys();
    assert!(f.typing_on_small_panel() && has_keys(&f));
    f.back();
    f.set_window_mm(217.0, 136.0);
    assert!(f.keys_apart() && f.keys_hidden() && !has_keys(&f));
    assert!(!f.typing_under());
    // Its keys' screen has the question's first lines and what was typed over the keys, as
    // a 7" panel upright has (the page over them had room for "More below" only).
    f.open_keys();
    assert!(has_keys(&f) && f.typing_under() && !f.typing_on_small_panel());
    f.back();
    f.set_window_mm(271.0, 159.0);
    assert!(!f.keys_apart() && !f.keys_hidden() && has_keys(&f));
    assert!(!f.typing_under());
    // Its tools are in a menu at that size (under `BAR_ROW_MM` wide), its keys not apart.
    assert!(f.tools_in_menu());
}

#[test]
fn at_the_largest_size_a_small_panel_keeps_its_tools_in_a_menu() {
    let mut f = flow();
    let tools = |bar: &[ToolView]| bar.iter().map(|t| t.tool).collect::<Vec<_>>();
    let spoken = |f: &Flow| {
        f.speech_controls()
            .into_iter()
            .map(|c| c.control)
            .collect::<Vec<_>>()
    };
    // A 7" panel in landscape, BULKY's first question (a choice), at the largest text size.
    f.set_window_mm(154.0, 90.0);
    to_service(&mut f, "en", "BULKY");
    assert!(
        !f.tools_in_menu(),
        "the default size keeps every tool in view"
    );
    f.tool(Tool::TextSize);
    assert!(!f.tools_in_menu(), "nor the middle size");
    f.tool(Tool::TextSize);
    assert!(f.tools_in_menu());
    let bar = f.toolbar();
    assert_eq!(tools(&bar.left), [Tool::Back]);
    assert_eq!(tools(&bar.right), [Tool::Menu]);
    assert!(!bar.right[0].on && bar.menu.is_empty() && bar.drawer.is_empty());
    assert_eq!(
        bar.right[0].title,
        f.t("tool-menu"),
        "its own translated label"
    );
    let page = spoken(&f);
    assert!(page.contains(&speech::Control::Next), "the page is there");
    // Open: the other tools in reading order, Text size and High contrast on their own;
    // speech mode walks the bar then the menu (where the focus starts), not the page.
    assert!(!f.tool(Tool::Menu));
    assert!(f.menu_open());
    let bar = f.toolbar();
    assert!(bar.right[0].on, "Menu shows it is open");
    assert_eq!(
        tools(&bar.menu),
        [
            Tool::StartOver,
            Tool::Language,
            Tool::TextSize,
            Tool::Contrast,
            Tool::Help
        ]
    );
    assert!(bar.menu[2].on, "the text is large");
    let controls = f.speech_controls();
    assert_eq!(
        controls
            .iter()
            .map(|c| c.control.clone())
            .collect::<Vec<_>>(),
        [
            Tool::Back,
            Tool::Menu,
            Tool::StartOver,
            Tool::Language,
            Tool::TextSize,
            Tool::Contrast,
            Tool::Help
        ]
        .map(speech::Control::Tool)
    );
    assert_eq!(
        controls[Flow::speech_first_focus(&controls)].control,
        speech::Control::Tool(Tool::StartOver),
        "the focus starts on the menu's first tool"
    );
    assert_eq!(
        f.control_label(&speech::Control::Tool(Tool::Contrast)),
        f.t("tool-contrast")
    );
    // High contrast keeps it open, and shows it is on.
    f.tool(Tool::Contrast);
    assert!(f.session.high_contrast && f.menu_open());
    assert!(f.toolbar().menu[3].on);
    // Closed by the same tool, and the page is back.
    f.tool(Tool::Menu);
    assert!(!f.menu_open() && f.toolbar().menu.is_empty());
    assert_eq!(spoken(&f), page);
    // Ask for help from the menu: called, and the page is back to show the answer.
    f.tool(Tool::Menu);
    assert!(f.tool(Tool::Help));
    assert!(f.session.help_requested && !f.menu_open());
    // Leaving the screen closes it.
    f.tool(Tool::Menu);
    f.toggle_choice("furniture");
    f.next();
    assert_eq!(f.question_view().unwrap().kind, QuestionKind::Number);
    assert!(!f.menu_open());
    // Typing: the question's own screen first (`Flow::keys_apart`), then Back and Menu beside
    // the keys; open, the menu stands for the keys and the bar is the side bar again.
    assert!(f.keys_hidden() && f.side_bar());
    f.open_keys();
    assert!(f.typing_beside() && !f.side_bar());
    assert_eq!(tools(&f.toolbar().right), [Tool::Menu]);
    f.tool(Tool::Menu);
    assert!(f.menu_open() && !f.typing_beside() && f.side_bar());
    assert!(
        !spoken(&f)
            .iter()
            .any(|c| matches!(c, speech::Control::Key(_)))
    );
    f.tool(Tool::Menu);
    assert!(f.typing_beside());
    // Upright: the same bar, one row; typing, the keys give way to the open menu too.
    f.set_window_mm(90.0, 154.0);
    assert!(f.typing_on_small_panel());
    f.tool(Tool::Menu);
    assert!(!f.typing_on_small_panel());
    f.tool(Tool::Menu);
    // Arabic: the bar mirrored, the menu in reading order.
    f.tool(Tool::Menu);
    f.tool(Tool::Language);
    assert_eq!(f.session.screen, Screen::Language, "Language left the page");
    f.choose_language("ar");
    let bar = f.toolbar();
    assert_eq!(tools(&bar.left), [Tool::Menu]);
    assert_eq!(tools(&bar.right), [Tool::Back]);
    f.tool(Tool::Menu);
    assert_eq!(
        tools(&f.toolbar().menu)[..2],
        [Tool::StartOver, Tool::Language]
    );
    // Text size from the menu goes back to the default size: every tool in view again.
    f.tool(Tool::TextSize);
    assert!(!f.tools_in_menu() && !f.menu_open());
    let bar = f.toolbar();
    let all = tools(&bar.left);
    assert!(
        !all.contains(&Tool::Menu) && all.contains(&Tool::StartOver) && all.contains(&Tool::Help),
        "typing upright: the ways out and help, in the bar again"
    );
    // A 10" panel at the largest size has them in a menu too (in one row of 217 mm at 33 px
    // they took two rows, the second cut by the page), and so has any window under
    // `BAR_ROW_MM` (420 mm) wide, whatever its height: 1024×600 at 96 dpi (271 × 159 mm), a
    // 17" panel (339 × 271 mm), a 21.5" one upright (237 × 421 mm), whose one row set
    // "Recommencer" or "Language" under 33 px. A 21.5" panel in landscape (476 mm) keeps
    // every tool in view.
    f.tool(Tool::TextSize);
    f.tool(Tool::TextSize);
    for (w, h) in [
        (217.0, 136.0),
        (271.0, 159.0),
        (339.0, 271.0),
        (237.0, 421.0),
    ] {
        f.set_window_mm(w, h);
        assert!(f.tools_in_menu() && !f.small_panel(), "{w} × {h} mm");
        let bar = f.toolbar();
        assert!(
            tools(&bar.left).contains(&Tool::Menu) || tools(&bar.right).contains(&Tool::Menu),
            "{w} × {h} mm"
        );
    }
    f.set_window_mm(476.0, 268.0);
    assert!(!f.tools_in_menu());
    assert!(!tools(&f.toolbar().left).contains(&Tool::Menu));
    assert!(!tools(&f.toolbar().right).contains(&Tool::Menu));
}

#[test]
fn at_the_largest_size_the_staff_desk_locks_from_its_menu() {
    let mut f = signed_in("Ana");
    f.set_window_mm(154.0, 90.0);
    f.tool(Tool::TextSize);
    f.tool(Tool::TextSize);
    assert_eq!(f.session.screen, Screen::StaffHome);
    f.tool(Tool::Menu);
    let menu: Vec<Tool> = f.toolbar().menu.iter().map(|t| t.tool).collect();
    assert_eq!(
        menu,
        [Tool::Language, Tool::TextSize, Tool::Contrast, Tool::Lock]
    );
    f.tool(Tool::Lock);
    assert!(!f.staff_signed_in());
}

/// Helping a visitor or practising at the largest size on a 7" panel, the strip's "End" is the
/// menu's last tool (the strip keeps its words alone, at 33 px), in speech mode's order too, and
/// it ends the visit as the strip's did; at a smaller size, or on a panel whose tools keep one
/// row at the largest size (`BAR_ROW_MM` wide or more), it is in the strip and not in the menu. (Where the visitor decides, on the
/// consent screen, staff controls are offered nowhere: both follow `show_staff_controls`, which
/// `an_assisted_request_asks_the_visitor_before_it_is_sent` checks there.)
#[test]
fn at_the_largest_size_on_a_small_panel_end_is_a_tool_of_the_menu() {
    use super::speech::Control;
    for practice in [false, true] {
        let mut f = signed_in("Amira");
        f.set_window_mm(154.0, 90.0);
        if practice {
            f.staff_practice();
        } else {
            f.staff_help_visitor();
        }
        f.choose_language("en");
        assert!(f.end_in_strip(), "the default size: in the strip");
        let spoken = |f: &Flow| -> Vec<Control> {
            f.speech_controls().into_iter().map(|c| c.control).collect()
        };
        assert!(spoken(&f).contains(&Control::EndVisit));
        f.tool(Tool::TextSize);
        f.tool(Tool::TextSize);
        assert!(f.tools_in_menu());
        assert!(!f.end_in_strip() && f.show_staff_controls());
        assert!(!spoken(&f).contains(&Control::EndVisit), "not in the strip");
        f.tool(Tool::Menu);
        let menu: Vec<Tool> = f.toolbar().menu.iter().map(|t| t.tool).collect();
        assert_eq!(menu.last(), Some(&Tool::EndVisit), "{menu:?}");
        assert!(spoken(&f).contains(&Control::Tool(Tool::EndVisit)));
        assert_eq!(
            f.control_label(&Control::Tool(Tool::EndVisit)),
            f.t("tool-end-visit")
        );
        f.tool(Tool::EndVisit);
        assert_eq!(f.session.screen, Screen::StaffHome, "practice {practice}");
        assert!(f.session().assisted_by.is_none() && f.staff_signed_in());
        assert!(!f.tools_in_menu() || f.toolbar().menu.is_empty());
    }
    // A larger panel keeps it in the strip at the largest size.
    let mut f = signed_in("Amira");
    f.set_window_mm(476.0, 268.0);
    f.staff_help_visitor();
    f.tool(Tool::TextSize);
    f.tool(Tool::TextSize);
    assert!(!f.tools_in_menu() && f.end_in_strip());
    // The desk's own menu has no End (nothing to end), and the tool does nothing there.
    let mut f = signed_in("Amira");
    f.set_window_mm(154.0, 90.0);
    f.tool(Tool::TextSize);
    f.tool(Tool::TextSize);
    f.tool(Tool::Menu);
    assert!(f.toolbar().menu.iter().all(|t| t.tool != Tool::EndVisit));
    f.tool(Tool::EndVisit);
    assert_eq!(f.session.screen, Screen::StaffHome);
    assert!(f.staff_signed_in());
}

/// A council's status on the staff look-up is in the desk's language: Open311's "open" and
/// "closed" (in any case) translated in every language, so an Arabic desk does not read
/// "open"; a server's own status (`IN_PROGRESS`) is shown as it was sent, held to the bound it
/// was read with (`validate::OPEN311_STATUS_MAX`).
#[test]
fn the_councils_status_is_translated_and_any_other_shown_as_sent_and_bounded() {
    let tr = Translations::load().unwrap();
    let at_the_council = |locale: &str, status: &str, updated: Option<&str>| {
        let mut f = signed_in("Amira");
        f.session.locale = locale.into();
        f.staff_set_query("LIB7-00002-X");
        f.staff_lookup();
        f.staff_reply(StaffReply::Lookup(Some(staff::RequestStatus {
            reference: "LIB7-00002-X".into(),
            service: "Graffiti".into(),
            state: staff::RequestState::Accepted,
            remote_id: Some("4711".into()),
            remote_status: Some(status.into()),
            remote_updated: updated.map(Into::into),
            reason: None,
            kind: None,
            assisted_by: None,
        })));
        let label = tr.text(locale, "staff-remote-status");
        f.staff_home_view()
            .lookup
            .into_iter()
            .find(|r| r.label == label)
            .unwrap_or_else(|| panic!("{locale}: no {label:?} row"))
            .value
    };
    for l in crate::i18n::SUPPORTED_LOCALES {
        for (sent, id) in [
            ("open", "staff-remote-open"),
            ("closed", "staff-remote-closed"),
            ("CLOSED", "staff-remote-closed"),
            (" Open ", "staff-remote-open"),
        ] {
            assert!(
                tr.message_ids(l).contains(&id.to_string()),
                "{l} lacks {id}"
            );
            assert_eq!(
                at_the_council(l, sent, None),
                tr.text(l, id),
                "{l} {sent:?}"
            );
        }
        let dated = at_the_council(l, "closed", Some("2026-12-01T08:30:00Z"));
        assert!(
            dated.starts_with(&tr.text(l, "staff-remote-closed")) && dated.contains("2026"),
            "{l}: {dated}"
        );
    }
    let ar = at_the_council("ar", "open", Some("2026-12-01T08:30:00Z"));
    assert!(!ar.to_lowercase().contains("open"), "{ar}");
    assert_eq!(at_the_council("ar", "IN_PROGRESS", None), "IN_PROGRESS");
    // Longer than a server's status is ever read: cut at the bound, and says so.
    let long = "W".repeat(300);
    let shown = at_the_council("ar", &long, None);
    assert_eq!(
        shown.chars().count(),
        crate::validate::OPEN311_STATUS_MAX + 1,
        "{shown}"
    );
    assert!(shown.ends_with('…'));
    let exact = "W".repeat(crate::validate::OPEN311_STATUS_MAX);
    assert_eq!(at_the_council("en", &exact, None), exact);
}

/// The staff pads (the PIN pad, and the reference pad of the desk's look-up, its council
/// number and the resident's "Check a request") say what their keys do in words in every
/// language, as the resident's keyboard does: "Delete", never "⌫".
#[test]
fn the_staff_pads_keys_have_words_in_every_language() {
    let tr = Translations::load().unwrap();
    for l in crate::i18n::SUPPORTED_LOCALES {
        let mut pin = flow();
        pin.staff_gesture();
        assert_eq!(pin.session.screen, Screen::StaffPin);
        pin.session.locale = l.to_string();
        let mut desk = signed_in("Amira");
        desk.session.locale = l.to_string();
        let mut resident = flow();
        resident.open_check_request();
        resident.session.locale = l.to_string();
        for (pad, keys, delete, ok) in [
            ("PIN", pin.pin_pad(), "staff-pin-delete", "staff-pin-ok"),
            ("desk", desk.lookup_pad(), "lookup-delete", "staff-lookup"),
            (
                "resident",
                resident.lookup_pad(),
                "lookup-delete",
                "lookup-check",
            ),
        ] {
            let keys: Vec<keyboard::Key> = keys.into_iter().flatten().collect();
            assert!(keys.len() >= 12, "{l} {pad}: {keys:?}");
            for k in &keys {
                if k.value == staff::pad::BACKSPACE || k.value == staff::pad::OK {
                    let id = if k.value == staff::pad::OK {
                        ok
                    } else {
                        delete
                    };
                    assert_eq!(k.label, tr.text(l, id), "{l} {pad}: {k:?}");
                    assert_eq!(k.label, k.accessible, "{l} {pad}: seen as said");
                } else {
                    assert!(
                        k.label.chars().count() == 1
                            && k.label
                                .chars()
                                .all(|c| c.is_ascii_alphanumeric() || c == '-'),
                        "{l} {pad}: a character key is its character: {k:?}"
                    );
                }
            }
            assert!(
                keys.iter().any(|k| k.value == staff::pad::BACKSPACE),
                "{l} {pad}: no delete key"
            );
        }
    }
}

/// "Check a request" says its "Check" once: the pad's last key is the only one (a second
/// control for a button the page no longer has gave the focus to nothing on screen).
#[test]
fn check_a_request_has_one_check() {
    let mut f = flow();
    f.open_check_request();
    let check = f.t("lookup-check");
    let controls = f.speech_controls();
    let checks = controls.iter().filter(|c| c.text.contains(&check)).count();
    assert_eq!(
        checks,
        1,
        "{:#?}",
        controls.iter().map(|c| &c.text).collect::<Vec<_>>()
    );
}

#[test]
fn keys_from_a_keyboard_type_as_they_come_and_the_pads_in_capitals() {
    let mut text = String::new();
    for key in ["d", "E", "é", "-", "4"] {
        assert_eq!(staff::key_edit(&mut text, key, 4), staff::FieldKey::Typed);
    }
    assert_eq!(text, "dEé-", "as typed, at most 4");
    assert_eq!(
        staff::key_edit(&mut text, "\u{8}", 4),
        staff::FieldKey::Typed
    );
    assert_eq!(text, "dEé");
    for key in ["\n", "\r", "\t", "\u{7f}", "\u{f702}", "a\u{1b}", ""] {
        assert_eq!(
            staff::key_edit(&mut text, key, 4),
            staff::FieldKey::Ignored,
            "{key:?}"
        );
    }
    assert_eq!(text, "dEé");
    let mut pad = String::new();
    assert_eq!(staff::pad_edit(&mut pad, "d", 4), staff::FieldKey::Typed);
    assert_eq!(
        staff::pad_edit(&mut pad, staff::pad::OK, 4),
        staff::FieldKey::Ok
    );
    assert_eq!(
        staff::pad_edit(&mut pad, "{unknown}", 4),
        staff::FieldKey::Ignored
    );
    assert_eq!(pad, "D");
}
