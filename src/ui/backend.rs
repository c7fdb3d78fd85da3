//! What the touchscreen needs from the rest of the kiosk, and what it is told back.
//!
//! The UI never touches the database, the printer or the network: it hands a finished form to a
//! [`Backend`] and learns what happened from [`UiEvent`]s, drained on the UI thread. The kiosk's
//! wiring (`crate::runtime`) implements the backend with its store worker and translates the
//! printer's and sync's events into `UiEvent`s; screenshots use [`Disconnected`].

use std::sync::mpsc::Sender;

use crate::catalog::Catalog;
use crate::flow::SaveOutcome;
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
}

/// The kiosk's services as the UI sees them. Each call returns at once; results arrive later as
/// [`UiEvent`]s.
pub trait Backend {
    /// Saves a validated submission durably; the outcome arrives as [`UiEvent::Saved`].
    fn save(&self, form: ValidForm);
    /// Records that a resident asked for help.
    fn request_help(&self);
    /// A resident touched the screen (called for every touch the controller forwards; must be
    /// cheap). For the fleet metrics' last interaction.
    fn touched(&self) {}
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

    fn request_help(&self) {}
}
