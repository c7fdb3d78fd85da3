//! What the touchscreen needs from the rest of the kiosk, and what it is told back.
//!
//! The UI never touches the database, the printer or the network: it hands a finished form to a
//! [`Backend`] and learns what happened from [`UiEvent`]s, drained on the UI thread. The kiosk's
//! wiring (`crate::runtime`) implements the backend with its store worker and translates the
//! printer's and sync's events into `UiEvent`s; screenshots use [`Disconnected`].

use std::sync::mpsc::Sender;

use crate::catalog::Catalog;
use crate::flow::{SaveOutcome, SessionSummary, StaffReply, StaffRequest};
use crate::validate::ValidForm;

/// What background work tells the UI.
#[derive(Debug, Clone, PartialEq)]
pub enum UiEvent {
    /// A save finished.
    Saved(SaveOutcome),
    /// The receipt for this reference printed (true) or failed (false).
    Printed {
        /// Reference.
        reference: String,
        /// Printed?
        ok: bool,
    },
    /// Whether the kiosk can reach the council right now.
    Online(bool),
    /// A new catalogue was stored (by language).
    Catalogs(std::collections::BTreeMap<String, Catalog>),
    /// The answer to a [`StaffRequest`] (staff desk, PIN, "Check a request").
    Staff(StaffReply),
    /// What became of "Ask for help": staff were told (`delivered`), or could not be (no
    /// `[help] notify_url`, the endpoint failed, the request could not be saved). A retry that
    /// delivers later sends `delivered: true` again.
    HelpAnswer {
        /// A notification reached staff.
        delivered: bool,
    },
}

/// Who helped with a submission, and whether it is a practice (training mode).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assist {
    /// The staff member's name ("Assisted by NAME" on the receipt, in the audit trail).
    pub staff: String,
    /// Training mode: never sent, "PRACTICE" on the receipt, erased at the end of the staff
    /// session.
    pub practice: bool,
}

/// The kiosk's services as the UI sees them. Each call returns at once; results arrive later as
/// [`UiEvent`]s.
pub trait Backend {
    /// Saves a validated submission durably; the outcome arrives as [`UiEvent::Saved`].
    fn save(&self, form: ValidForm);
    /// A resident asked for help: the request is saved and staff notified; the outcome arrives
    /// as [`UiEvent::HelpAnswer`].
    fn request_help(&self);
    /// A resident touched the screen (called for every touch the controller forwards; must be
    /// cheap). For the fleet metrics' last interaction.
    fn touched(&self) {}
    /// [`Backend::request_help`] with the language on screen (kept with the request for the
    /// statistics; nothing else about the resident).
    fn request_help_in(&self, locale: &str) {
        let _ = locale;
        self.request_help();
    }
    /// Saves a submission made with a member of staff beside the visitor (the visitor gave
    /// the final Send): like [`Backend::save`], with the staff name and the practice flag
    /// stored, printed and audited. The outcome arrives as [`UiEvent::Saved`].
    fn save_assisted(&self, form: ValidForm, assist: Assist);
    /// A resident session ended (for the statistics: no personal data in `summary`).
    fn session_ended(&self, summary: SessionSummary);
    /// Does what staff (or a resident's "Check a request") asked; the answer arrives as
    /// [`UiEvent::Staff`].
    fn staff(&self, request: StaffRequest);
}

/// A shared backend (the kiosk's store worker is also asked by sync to reload catalogues).
impl<T: Backend + ?Sized> Backend for std::sync::Arc<T> {
    fn save(&self, form: ValidForm) {
        (**self).save(form);
    }

    fn request_help(&self) {
        (**self).request_help();
    }

    fn touched(&self) {
        (**self).touched();
    }

    fn request_help_in(&self, locale: &str) {
        (**self).request_help_in(locale);
    }

    fn save_assisted(&self, form: ValidForm, assist: Assist) {
        (**self).save_assisted(form, assist);
    }

    fn session_ended(&self, summary: SessionSummary) {
        (**self).session_ended(summary);
    }

    fn staff(&self, request: StaffRequest) {
        (**self).staff(request);
    }
}

/// A backend with nothing behind it (screenshots): a save fails at once, and says why.
pub struct Disconnected {
    events: Sender<UiEvent>,
}

impl Disconnected {
    /// A backend that answers every save with "cannot save here" on `events`.
    pub fn new(events: Sender<UiEvent>) -> Disconnected {
        Disconnected { events }
    }
}

impl Backend for Disconnected {
    fn save(&self, mut form: ValidForm) {
        crate::flow::scrub_valid_form(&mut form);
        let _ = self.events.send(UiEvent::Saved(SaveOutcome::Failed(
            "error-store-unavailable",
        )));
    }

    fn request_help(&self) {
        let _ = self.events.send(UiEvent::HelpAnswer { delivered: false });
    }

    fn save_assisted(&self, form: ValidForm, _assist: Assist) {
        self.save(form);
    }

    fn session_ended(&self, _summary: SessionSummary) {}

    /// Nothing to ask: a PIN is never accepted, a look-up finds nothing.
    fn staff(&self, request: StaffRequest) {
        let reply = match request {
            StaffRequest::Unlock { .. } => {
                StaffReply::Unlock(crate::flow::staff::PinOutcome::Unavailable)
            }
            StaffRequest::Lookup { .. } => StaffReply::Lookup(None),
            StaffRequest::PublicLookup { .. } => StaffReply::PublicLookup(None),
            StaffRequest::Refresh | StaffRequest::EndSession { .. } => return,
            _ => StaffReply::Done(crate::flow::staff::StaffNotice::Failed),
        };
        let _ = self.events.send(UiEvent::Staff(reply));
    }
}
