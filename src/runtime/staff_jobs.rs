//! What the staff screens (and a resident's "Check a request") ask of the kiosk, done on the
//! store worker's thread through the staff API ([`crate::staff::Desk`]): each
//! [`StaffRequest`] becomes a desk call and its answer a [`StaffReply`] for the UI. The screens
//! never see the store's types; this is the one place that translates between the two.
//!
//! The signed-in [`StaffSession`] lives here, on the database thread, not in the UI: a request
//! naming another staff member than the one who typed the PIN is refused, and a request after
//! "Lock" finds no session. Every failure is logged in one line (never a PIN, never a
//! resident's data) and shown to staff as "That did not work".

use std::sync::mpsc::Sender;

use crate::flow::staff::{
    HelpItem, KioskHealth, Paper, PinOutcome, PublicStatus, QueueItem, ReasonKind, RemoteStatus,
    RequestState, RequestStatus, StaffNotice,
};
use crate::flow::{StaffReply, StaffRequest};
use crate::printer::status::PrinterStatus;
use crate::queue::{Resolution, ReviewKind, State, Store};
use crate::staff::{Desk, DeskSettings, PinCheck, ProblemItem, StaffError, StaffSession};
use crate::ui::UiEvent;
use crate::validate::{FormInput, validate_form};

/// The staff side of the store worker's thread.
pub(crate) struct StaffState {
    settings: DeskSettings,
    session: Option<StaffSession>,
}

fn state_of(state: State) -> RequestState {
    match state {
        State::Pending => RequestState::Pending,
        State::Accepted => RequestState::Accepted,
        State::Rejected => RequestState::Rejected,
        State::Review => RequestState::Review,
        State::Cancelled => RequestState::Cancelled,
        State::Practice => RequestState::Practice,
    }
}

/// The service's name in English (staff screens name services as the catalogue does), else
/// its code.
fn service_name(store: &Store, code: &str) -> String {
    store
        .catalog_for(crate::catalog::CATALOG_DEFAULT_LOCALE)
        .ok()
        .flatten()
        .and_then(|c| c.service(code).map(|s| s.service_name.clone()))
        .unwrap_or_else(|| code.to_string())
}

/// The paper as the desk shows it: the sensors' last word when there is one (the only source
/// of "near its end"), else what a waiting receipt met.
fn paper_of(h: &crate::staff::KioskHealth, sensed: Option<&PrinterStatus>) -> Paper {
    use crate::printer::status::Paper as Sensed;
    match sensed.map(|s| s.paper) {
        _ if h.paper_out => Paper::Out,
        Some(Sensed::Out) => Paper::Out,
        Some(Sensed::NearEnd) => Paper::Low,
        Some(Sensed::Ok) => Paper::Ok,
        _ if h.printer_problem.is_some() => Paper::Unknown,
        _ => Paper::Ok,
    }
}

/// A review (`review`) or rejected item as the desk shows it: what kind of reason, in the
/// desk's language, and the technical line as it is. In review, the kind is the one recorded
/// when it was put there (`queue::ReviewKind`); refused, whether the server gave its words.
fn queue_item(store: &Store, item: ProblemItem) -> QueueItem {
    let kind = match item.review_kind {
        Some(ReviewKind::Undecided) => ReasonKind::Undecided,
        Some(ReviewKind::Unverified) => ReasonKind::Unverified,
        Some(ReviewKind::Other) => ReasonKind::Review,
        None if item.server_says.is_some() => ReasonKind::Refused,
        None => ReasonKind::NotSent,
    };
    QueueItem {
        kind,
        service: service_name(store, &item.status.service_code),
        reason: item
            .server_says
            .or(item.reason)
            .unwrap_or_default()
            .chars()
            .take(300)
            .collect(),
        reference: item.status.reference,
        created_at: item.status.created_at,
    }
}

impl StaffState {
    /// No one signed in; `settings` say what the configuration has (a council, a printer), so
    /// health never claims a printer or a council the kiosk does not have.
    pub(crate) fn new(settings: DeskSettings) -> StaffState {
        StaffState {
            settings,
            session: None,
        }
    }

    /// Does `request` and sends its answer on `events`; `wake` wakes the printer and sync.
    pub(crate) fn run(
        &mut self,
        store: &mut Store,
        request: StaffRequest,
        events: &Sender<UiEvent>,
        wake: &dyn Fn(&str),
    ) {
        let what = format!("{request:?}");
        let reply = match self.answer(store, request, wake, events) {
            Ok(reply) => reply,
            Err(e) => {
                tracing::warn!("staff action {what} failed: {e}");
                Some(StaffReply::Done(StaffNotice::Failed))
            }
        };
        if let Some(reply) = reply {
            let _ = events.send(UiEvent::Staff(reply));
        }
    }

    /// The signed-in session, if `staff` is its name.
    fn session_of(&self, staff: &str) -> Result<&StaffSession, StaffError> {
        self.session
            .as_ref()
            .filter(|s| s.name() == staff)
            .ok_or_else(|| StaffError::NoSuchStaff(format!("{staff} (not signed in)")))
    }

    fn answer(
        &mut self,
        store: &mut Store,
        request: StaffRequest,
        wake: &dyn Fn(&str),
        events: &Sender<UiEvent>,
    ) -> Result<Option<StaffReply>, StaffError> {
        let settings = self.settings.clone();
        Ok(Some(match request {
            StaffRequest::Unlock { mut pin } => {
                let checked = Desk::new(store, settings).verify_pin(&pin);
                zeroize::Zeroize::zeroize(&mut pin);
                StaffReply::Unlock(match checked {
                    Ok(PinCheck::Staff(session)) => {
                        let name = session.name().to_string();
                        self.session = Some(session);
                        PinOutcome::Accepted { name }
                    }
                    Ok(PinCheck::Wrong { attempts_left }) => PinOutcome::Wrong { attempts_left },
                    Ok(PinCheck::Locked { seconds_left, .. }) => PinOutcome::Locked {
                        minutes: seconds_left.div_ceil(60).max(1),
                    },
                    Err(e) => {
                        tracing::error!("staff PIN not checked: {e}");
                        PinOutcome::Unavailable
                    }
                })
            }
            StaffRequest::EndSession { staff } => {
                if let Some(session) = self.session.take() {
                    if session.name() != staff {
                        tracing::warn!("a staff session ended under another name");
                    }
                    let erased = Desk::new(store, settings).lock(session)?;
                    tracing::info!(erased, "staff session ended");
                }
                return Ok(None);
            }
            StaffRequest::PublicLookup { reference } => {
                let desk = Desk::new(store, settings);
                StaffReply::PublicLookup(match desk.check_request(&reference) {
                    Ok(status) if status.state != State::Practice => Some(PublicStatus {
                        reference: status.reference,
                        state: state_of(status.state),
                        // A server's own status (`IN_PROGRESS`) is still open to a resident.
                        remote: status
                            .remote_status
                            .as_deref()
                            .map(|s| RemoteStatus::from_open311(s).unwrap_or(RemoteStatus::Open)),
                        updated_at: status.reported_at,
                    }),
                    Ok(_) => None,
                    Err(StaffError::Store(crate::queue::StoreError::NotFound(_)))
                    | Err(StaffError::NotAReference(_)) => None,
                    Err(e) => return Err(e),
                })
            }
            StaffRequest::Lookup { query } => {
                let session = self.session_of_any()?.clone();
                let found = match Desk::new(store, settings.clone()).lookup(&session, &query) {
                    Ok(status) => Some(status),
                    Err(StaffError::Store(crate::queue::StoreError::NotFound(_)))
                    | Err(StaffError::NotAReference(_)) => None,
                    Err(e) => return Err(e),
                };
                StaffReply::Lookup(match found {
                    None => None,
                    Some(status) => {
                        let row = store.lookup_row(&status.reference)?;
                        // In review or refused: the lists' own item, so the look-up says why
                        // in the same translated words, with the same technical line.
                        let item = match &row {
                            Some(r) if matches!(r.state, State::Review | State::Rejected) => {
                                let problem = Desk::new(store, settings).problem_of(r.clone());
                                Some(queue_item(store, problem))
                            }
                            _ => None,
                        };
                        let (kind, reason) = match item {
                            Some(q) => (
                                Some(q.kind),
                                Some(q.reason).filter(|r| !r.trim().is_empty()),
                            ),
                            None => (None, row.as_ref().and_then(|r| r.reason.clone())),
                        };
                        Some(RequestStatus {
                            service: service_name(store, &status.service_code),
                            state: state_of(status.state),
                            remote_id: status.remote_id,
                            remote_status: status.remote_status,
                            remote_updated: status.reported_at,
                            reason,
                            kind,
                            assisted_by: row.and_then(|r| r.assisted_by),
                            reference: status.reference,
                        })
                    }
                })
            }
            StaffRequest::Reprint { reference, staff } => {
                let session = self.session_of(&staff)?.clone();
                Desk::new(store, settings).reprint(&session, &reference)?;
                wake(&reference);
                StaffReply::Done(StaffNotice::Reprinted)
            }
            StaffRequest::SendNow { staff } => {
                let session = self.session_of(&staff)?;
                store.audit(session.name(), "staff.send-now", None, "")?;
                wake("");
                StaffReply::Done(StaffNotice::SendingNow)
            }
            StaffRequest::Refresh => {
                if self.session.is_none() {
                    return Ok(None);
                }
                // What the printer's sensors said last (a serial printer only), else what a
                // waiting receipt met.
                let sensed = crate::printer::recorded::recorded(store)
                    .ok()
                    .flatten()
                    .map(|r| r.status)
                    .filter(|s| s.connected);
                let desk = Desk::new(store, settings);
                let h = desk.health()?;
                let review = desk.review_list()?;
                let rejected = desk.rejected_list()?;
                let help = desk.open_help_requests()?;
                let paper = paper_of(&h, sensed.as_ref());
                let health = KioskHealth {
                    central_configured: h.central_configured,
                    printer_configured: h.printer_configured,
                    online: h.online,
                    captive_portal: h.captive_portal,
                    last_sync: h.last_sync_at,
                    pending: h.pending,
                    review: h.review,
                    rejected: h.rejected,
                    paper,
                    cover_open: Some(h.cover_open || sensed.is_some_and(|s| s.cover_open)),
                };
                let _ = events.send(UiEvent::Staff(StaffReply::Health(health)));
                StaffReply::Lists {
                    review: review.into_iter().map(|i| queue_item(store, i)).collect(),
                    rejected: rejected.into_iter().map(|i| queue_item(store, i)).collect(),
                    help: help
                        .into_iter()
                        .map(|h| HelpItem {
                            id: h.id,
                            asked_at: h.requested_at,
                        })
                        .collect(),
                }
            }
            StaffRequest::Resolve { reference, staff } => {
                let session = self.session_of(&staff)?.clone();
                Desk::new(store, settings).resolve(&session, &reference, &Resolution::Resend)?;
                wake("");
                StaffReply::Done(StaffNotice::Resolved)
            }
            StaffRequest::ResolveSent {
                reference,
                remote_id,
                staff,
            } => {
                let session = self.session_of(&staff)?.clone();
                // `queue resolve --sent`'s path: the same check of the number, the same audit.
                let Some(sent) = Resolution::sent(&remote_id) else {
                    return Ok(Some(StaffReply::Done(StaffNotice::SentNumberMissing)));
                };
                Desk::new(store, settings).resolve(&session, &reference, &sent)?;
                StaffReply::Done(StaffNotice::ResolvedSent)
            }
            StaffRequest::Refile {
                reference,
                service,
                answers: given,
                staff,
            } => {
                let session = self.session_of(&staff)?.clone();
                let mut desk = Desk::new(store, settings);
                let Some(old) = desk.form_for_refile(&session, &reference)? else {
                    return Ok(Some(StaffReply::Done(StaffNotice::Failed)));
                };
                let Some(catalog) = desk.store().catalog_for(&old.locale)? else {
                    return Ok(Some(StaffReply::Done(StaffNotice::Failed)));
                };
                // The answers the new service also asks are kept, with those staff gave on the
                // question pages; a question still unanswered is asked there (below).
                let definition = catalog.definition(&service);
                let mut answers = old.answers.clone();
                answers.extend(given);
                answers.retain(|code, _| definition.is_some_and(|d| d.attribute(code).is_some()));
                // The new service's questions this request has no answer to, in order.
                let unanswered: Vec<String> = definition
                    .map(|d| {
                        crate::validate::shown_attributes(d, &answers)
                            .into_iter()
                            .filter(|code| {
                                d.attribute(code).is_some_and(|a| a.variable)
                                    && !answers.contains_key(*code)
                            })
                            .map(str::to_string)
                            .collect()
                    })
                    .unwrap_or_default();
                let mut input = FormInput {
                    service_code: service.clone(),
                    locale: old.locale.clone(),
                    answers,
                    description: old.description.clone(),
                    address: old.location.address.clone(),
                    lat: old.location.lat.map(|v| v.to_string()).unwrap_or_default(),
                    long: old.location.long.map(|v| v.to_string()).unwrap_or_default(),
                    contact: old.contact.clone(),
                };
                let mut old = old;
                crate::flow::scrub_valid_form(&mut old);
                let checked = validate_form(
                    &catalog,
                    &input,
                    std::slice::from_ref(&input.locale),
                    crate::clock::local_offset(),
                );
                crate::flow::scrub_form_input(&mut input);
                match checked {
                    Ok(mut form) => {
                        let done = desk.refile(&session, &reference, &form);
                        crate::flow::scrub_valid_form(&mut form);
                        done?;
                        wake("");
                        StaffReply::Done(StaffNotice::Refiled)
                    }
                    // Only questions of the new service are missing: staff answer them on the
                    // question pages (the flow sends this request again with the answers).
                    Err(errors)
                        if !unanswered.is_empty()
                            && errors.iter().all(|e| {
                                matches!(&e.field, crate::validate::Field::Attribute(code)
                                    if unanswered.contains(code))
                            }) =>
                    {
                        StaffReply::RefileQuestions(crate::flow::staff::RefileVisit {
                            reference,
                            service,
                            questions: unanswered,
                        })
                    }
                    Err(errors) => {
                        tracing::warn!(
                            reference = %reference,
                            service = %service,
                            problems = errors.len(),
                            "not re-filed from the touchscreen: the new service needs answers"
                        );
                        StaffReply::Done(StaffNotice::RefileNeedsAnswers)
                    }
                }
            }
            StaffRequest::Cancel { reference, staff } => {
                let session = self.session_of(&staff)?.clone();
                Desk::new(store, settings).cancel(&session, &reference)?;
                StaffReply::Done(StaffNotice::Cancelled)
            }
            StaffRequest::HelpDone { id, staff } => {
                let session = self.session_of(&staff)?.clone();
                Desk::new(store, settings).help_done(&session, id)?;
                StaffReply::Done(StaffNotice::HelpDone)
            }
        }))
    }

    fn session_of_any(&self) -> Result<&StaffSession, StaffError> {
        self.session
            .as_ref()
            .ok_or_else(|| StaffError::NoSuchStaff("(nobody signed in)".into()))
    }
}
