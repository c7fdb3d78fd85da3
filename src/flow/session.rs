//! Everything about the resident at the kiosk right now. Replaced wholesale by `Flow::wipe`.

use std::collections::BTreeMap;

use super::Screen;
use super::datetime::DatePicker;
use super::keyboard::Mode;
use crate::validate::{Answer, FieldError, FormInput, ValidForm};
use zeroize::Zeroize;

/// One resident's session.
#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    /// UI language.
    pub locale: String,
    /// Screen shown.
    pub screen: Screen,
    /// Where the language screen returns to.
    pub return_to: Option<Screen>,
    /// The group being browsed (`Some(None)`: services without a group).
    pub group: Option<Option<String>>,
    /// The chosen service.
    pub service: Option<String>,
    /// Everything typed and chosen, in the validator's own shape.
    pub input: FormInput,
    /// Date pickers by attribute code.
    pub dates: BTreeMap<String, DatePicker>,
    /// Whether the resident wants to be contacted (`None`: not asked yet).
    pub wants_contact: Option<bool>,
    /// Index of the current question.
    pub step: usize,
    /// Came from "Change" on the check page: Continue returns there.
    pub returning_to_check: bool,
    /// The current question's error, shown next to the field.
    pub error: Option<FieldError>,
    /// Errors of the last send attempt, shown as the error summary.
    pub check_errors: Vec<FieldError>,
    /// Keyboard page.
    pub keyboard_mode: Mode,
    /// Which page of letters is up on a narrow panel (taps on "More letters").
    pub keyboard_page: usize,
    /// One-shot capital letter.
    pub shift: bool,
    /// The reference once saved.
    pub reference: Option<String>,
    /// When the save was reported, in the kiosk's local time: the receipt's date line (the
    /// store stamps the request a few milliseconds earlier; the receipt prints minutes).
    pub saved_at: Option<time::PrimitiveDateTime>,
    /// Why the save failed (message id).
    pub save_error: Option<&'static str>,
    /// Seconds since the last touch.
    pub idle_seconds: u32,
    /// Seconds left on the idle warning, when it is up.
    pub warning: Option<u32>,
    /// Times "more time" was chosen.
    pub extensions: u32,
    /// 0, 1 or 2.
    pub text_size_step: u8,
    /// High contrast on.
    pub high_contrast: bool,
    /// "Text and contrast" opened on this screen and question, on a small panel
    /// (`Flow::display_open`): closed by leaving them.
    pub display_open: Option<(super::Screen, usize)>,
    /// Menu opened on this screen and question, at the largest text size on a small panel
    /// (`Flow::menu_open`): closed by leaving them.
    pub menu_open: Option<(super::Screen, usize)>,
    /// The keys opened on this question ("Type your answer"), where a question and its keys are
    /// two screens (`Flow::keys_apart`): closed by Back, by Continue, and by leaving it.
    pub keys_open: Option<(super::Screen, usize)>,
    /// The resident asked for help.
    pub help_requested: bool,
    /// Whether staff were told (`Some(true)`), could not be (`Some(false)`: "please ask at the
    /// desk"), or the answer is awaited (`None`).
    pub help_answer: Option<bool>,
    /// What the confirmation says about the paper receipt.
    pub print_state: super::PrintState,
    /// A question asked before deleting answers, while it is on screen.
    pub confirm: Option<super::Confirm>,
    /// The keyword search of the services page: `None` closed, `Some(query)` open (what was
    /// typed is the resident's: zeroed with the session).
    pub search: Option<String>,
    /// The keyboard is up for the search (false: the results fill the page).
    pub search_typing: bool,
    /// "My problem is not listed" was chosen and there is no catch-all service: the advice to
    /// ask at the desk is shown.
    pub not_listed_advice: bool,
    /// The staff member helping this visitor ("Assisted by NAME"), in assisted mode.
    pub assisted_by: Option<String>,
    /// A practice session (staff training): saved with the practice flag, never sent.
    pub practice: bool,
    /// What was typed on "Check a request" (a reference or a scanned payload).
    pub lookup: String,
    /// What "Check a request" found.
    pub lookup_result: Option<super::staff::PublicLookup>,
    /// Staff re-filing a request under another service, answering on the question pages only
    /// the new service's questions the request did not answer.
    pub refile: Option<super::staff::RefileVisit>,
}

impl Session {
    /// A fresh session on the welcome screen.
    pub fn new(locale: &str) -> Session {
        Session {
            locale: locale.to_string(),
            screen: Screen::Welcome,
            return_to: None,
            group: None,
            service: None,
            input: FormInput {
                locale: locale.to_string(),
                ..FormInput::default()
            },
            dates: BTreeMap::new(),
            wants_contact: None,
            step: 0,
            display_open: None,
            menu_open: None,
            keys_open: None,
            returning_to_check: false,
            error: None,
            check_errors: Vec::new(),
            keyboard_mode: Mode::Native,
            keyboard_page: 0,
            shift: false,
            print_state: super::PrintState::None,
            confirm: None,
            reference: None,
            saved_at: None,
            save_error: None,
            idle_seconds: 0,
            warning: None,
            extensions: 0,
            text_size_step: 0,
            high_contrast: false,
            help_requested: false,
            help_answer: None,
            search: None,
            search_typing: false,
            not_listed_advice: false,
            assisted_by: None,
            practice: false,
            lookup: String::new(),
            lookup_result: None,
            refile: None,
        }
    }

    /// Whether the session holds nothing a resident entered.
    pub fn is_blank(&self) -> bool {
        self.service.is_none()
            && self.input.answers.is_empty()
            && self.input.description.is_empty()
            && self.input.address.is_empty()
            && self.input.contact.is_empty()
            && self.dates.is_empty()
            && self.wants_contact.is_none()
            && self.reference.is_none()
            && self.lookup.is_empty()
    }
}

impl Drop for Session {
    /// Overwrites what the resident typed before the memory is freed, so it cannot linger in
    /// the heap for a later allocation (or a core dump) to reveal.
    fn drop(&mut self) {
        scrub_form_input(&mut self.input);
        if let Some(r) = &mut self.reference {
            r.zeroize();
        }
        if let Some(q) = &mut self.search {
            q.zeroize();
        }
        self.lookup.zeroize();
    }
}

fn scrub_answers(answers: &mut std::collections::BTreeMap<String, Answer>) {
    for answer in answers.values_mut() {
        match answer {
            Answer::One(s) => s.zeroize(),
            Answer::Many(keys) => keys.iter_mut().for_each(Zeroize::zeroize),
        }
    }
    answers.clear();
}

/// Zeroes every personal field of a form being typed.
pub fn scrub_form_input(input: &mut FormInput) {
    scrub_answers(&mut input.answers);
    for s in [
        &mut input.description,
        &mut input.address,
        &mut input.lat,
        &mut input.long,
        &mut input.contact.first_name,
        &mut input.contact.last_name,
        &mut input.contact.email,
        &mut input.contact.phone,
    ] {
        s.zeroize();
    }
}

/// Zeroes every personal field of a validated form (after it was saved).
pub fn scrub_valid_form(form: &mut ValidForm) {
    scrub_answers(&mut form.answers);
    for s in [
        &mut form.description,
        &mut form.location.address,
        &mut form.contact.first_name,
        &mut form.contact.last_name,
        &mut form.contact.email,
        &mut form.contact.phone,
    ] {
        s.zeroize();
    }
    form.location.lat = None;
    form.location.long = None;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scrubbing_empties_every_personal_field() {
        let mut input = FormInput {
            description: "secret".into(),
            address: "1 Secret Lane".into(),
            lat: "51.5".into(),
            long: "0.1".into(),
            ..FormInput::default()
        };
        input.answers.insert("A".into(), Answer::One("x".into()));
        input.contact.email = "a@b.example".into();
        scrub_form_input(&mut input);
        assert_eq!(
            input,
            FormInput::default(),
            "everything personal is gone (service and locale were empty)"
        );
        let mut form = ValidForm {
            description: "secret".into(),
            ..ValidForm::default()
        };
        form.answers
            .insert("A".into(), Answer::Many(vec!["k".into()]));
        form.contact.phone = "0123".into();
        form.location.lat = Some(1.0);
        scrub_valid_form(&mut form);
        assert_eq!(form, ValidForm::default());
    }
}
