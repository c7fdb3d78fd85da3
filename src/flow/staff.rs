//! Staff on the touchscreen: the way in (a PIN pad whose digits move on every entry), the staff
//! desk (look-up, reprint, health, the review and rejected lists, help requests), helping a
//! visitor (assisted) and practice mode, plus the resident's own "Check a request".
//!
//! Like the rest of `flow`, this is plain Rust with no database and no display: what staff ask
//! for leaves as [`StaffRequest`]s (taken by the UI and handed to its backend), and the answers
//! come back as [`StaffReply`]s. The types here are the whole vocabulary between the screens and
//! the kiosk's staff functions, so the flow never needs to know how they are stored.
//!
//! Privacy: the staff desk ([`StaffDesk`]) lives beside the resident's session, never inside a
//! record that outlives it. It is dropped by "Lock", by its own idle timeout
//! ([`STAFF_IDLE_SECONDS`]) and by every wipe of a resident's session, so no staff session
//! survives into the next resident's. The typed PIN is zeroed as soon as it is sent.

use rand::seq::SliceRandom;
use time::format_description::well_known::Rfc3339;
use time::{OffsetDateTime, UtcOffset};
use zeroize::Zeroize;

use std::collections::BTreeMap;

use crate::reference::{Reference, ReferenceError};
use crate::validate::Answer;

/// Seconds without a touch after which a staff screen locks itself (shorter than a resident's).
pub const STAFF_IDLE_SECONDS: u32 = 60;

/// The last seconds of [`STAFF_IDLE_SECONDS`], counted down in the idle warning ("I need more
/// time", "Lock now"): WCAG 2.2.1's at least 20 seconds to extend with one tap. The desk still
/// locks a minute after the last touch when nobody answers.
pub const STAFF_WARNING_SECONDS: u32 = 20;

/// PIN lengths accepted by the pad (the accounts' rule: 6 to 12 digits).
pub const PIN_MIN: usize = 6;
/// Longest PIN.
pub const PIN_MAX: usize = 12;

/// The longest reference or scanned payload kept from a field (a wedge scanner may type a URL).
pub const LOOKUP_MAX: usize = 200;

/// Special keys of the pads.
pub mod pad {
    /// Removes the last character.
    pub const BACKSPACE: &str = "{backspace}";
    /// Sends the PIN / checks the reference.
    pub const OK: &str = "{continue}";
}

/// What the touchscreen asks of the kiosk's staff functions. Answered by a [`StaffReply`].
#[derive(Clone, PartialEq)]
pub enum StaffRequest {
    /// Check a PIN; answered by [`StaffReply::Unlock`].
    Unlock {
        /// The typed PIN (zeroed by whoever checks it).
        pin: String,
    },
    /// Look a request up by reference or scanned QR payload (staff).
    Lookup {
        /// What was typed or scanned.
        query: String,
    },
    /// A resident's "Check a request": status only, never personal data.
    PublicLookup {
        /// A reference whose check character is right.
        reference: String,
    },
    /// Print the receipt of `reference` again.
    Reprint {
        /// Reference.
        reference: String,
        /// Staff name (audit).
        staff: String,
    },
    /// Health, lists and help requests, again.
    Refresh,
    /// Start a delivery round now.
    SendNow {
        /// Staff name (audit).
        staff: String,
    },
    /// A `review` item: staff checked that it did not reach the council; send it again.
    Resolve {
        /// Reference.
        reference: String,
        /// Staff name (audit).
        staff: String,
    },
    /// A `review` item: staff checked that it reached the council, under this number.
    ResolveSent {
        /// Reference.
        reference: String,
        /// The council's request number, as typed.
        remote_id: String,
        /// Staff name (audit).
        staff: String,
    },
    /// A rejected (or review) item, sent again under another service.
    Refile {
        /// Reference.
        reference: String,
        /// The new service code.
        service: String,
        /// Answers to the new service's questions the request did not answer, given by staff on
        /// the question pages (empty on the first try).
        answers: BTreeMap<String, Answer>,
        /// Staff name (audit).
        staff: String,
    },
    /// Cancel a request that will not be sent (its personal data is erased).
    Cancel {
        /// Reference.
        reference: String,
        /// Staff name (audit).
        staff: String,
    },
    /// A help request was answered.
    HelpDone {
        /// Its id.
        id: i64,
        /// Staff name (audit).
        staff: String,
    },
    /// The staff session ended: practice submissions are erased.
    EndSession {
        /// Staff name (audit).
        staff: String,
    },
}

impl std::fmt::Debug for StaffRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            // Never a PIN in a log or a failed assertion.
            StaffRequest::Unlock { pin } => write!(f, "Unlock {{ pin: {} digits }}", pin.len()),
            StaffRequest::Lookup { query } => write!(f, "Lookup {{ {} chars }}", query.len()),
            StaffRequest::PublicLookup { reference } => write!(f, "PublicLookup({reference})"),
            StaffRequest::Reprint { reference, .. } => write!(f, "Reprint({reference})"),
            StaffRequest::Refresh => write!(f, "Refresh"),
            StaffRequest::SendNow { .. } => write!(f, "SendNow"),
            StaffRequest::Resolve { reference, .. } => write!(f, "Resolve({reference})"),
            StaffRequest::ResolveSent { reference, .. } => write!(f, "ResolveSent({reference})"),
            StaffRequest::Refile {
                reference, service, ..
            } => write!(f, "Refile({reference} → {service})"),
            StaffRequest::Cancel { reference, .. } => write!(f, "Cancel({reference})"),
            StaffRequest::HelpDone { id, .. } => write!(f, "HelpDone({id})"),
            StaffRequest::EndSession { .. } => write!(f, "EndSession"),
        }
    }
}

/// How a PIN check ended.
#[derive(Debug, Clone, PartialEq)]
pub enum PinOutcome {
    /// Signed in as this staff member.
    Accepted {
        /// The staff member's name.
        name: String,
    },
    /// Wrong PIN.
    Wrong {
        /// Tries left before entry locks.
        attempts_left: u32,
    },
    /// Too many wrong PINs: entry is locked.
    Locked {
        /// Minutes until the next try (rounded up).
        minutes: u64,
    },
    /// The staff accounts could not be read (the pad says so, plainly).
    Unavailable,
}

/// Where a request is, as the kiosk knows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestState {
    /// Saved, not yet sent.
    Pending,
    /// Sent, the answer not known yet (checked with the council before anything is resent).
    Sending,
    /// Waiting for staff to decide.
    Review,
    /// The council has it.
    Accepted,
    /// The council refused it.
    Rejected,
    /// Cancelled by staff.
    Cancelled,
    /// A practice submission (never sent).
    Practice,
}

impl RequestState {
    /// The message id of the state, for staff.
    pub fn staff_message_id(self) -> &'static str {
        match self {
            RequestState::Pending => "staff-state-pending",
            RequestState::Sending => "staff-state-sending",
            RequestState::Review => "staff-state-review",
            RequestState::Accepted => "staff-state-accepted",
            RequestState::Rejected => "staff-state-rejected",
            RequestState::Cancelled => "staff-state-cancelled",
            RequestState::Practice => "staff-state-practice",
        }
    }
}

/// A request as staff see it on the desk: where it is here and at the council. No answers, no
/// contact details.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestStatus {
    /// Reference.
    pub reference: String,
    /// The service's name (or code when the catalogue no longer has it).
    pub service: String,
    /// The kiosk's state.
    pub state: RequestState,
    /// The council's id, once known.
    pub remote_id: Option<String>,
    /// The council's status ("open", "closed"), once reported.
    pub remote_status: Option<String>,
    /// When the council last reported (RFC 3339).
    pub remote_updated: Option<String>,
    /// Why it waits or was refused: the technical line (review reason or the server's words),
    /// shown as it is for technicians.
    pub reason: Option<String>,
    /// What kind of reason, in or refused from review (the same words as the lists'); `None`
    /// in other states, where only the technical line (a failed attempt's) is known.
    pub kind: Option<ReasonKind>,
    /// Who helped the visitor, when assisted.
    pub assisted_by: Option<String>,
}

/// The council's status of a request, as a resident sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RemoteStatus {
    /// Open: being dealt with.
    Open,
    /// Closed.
    Closed,
}

impl RemoteStatus {
    /// One of Open311's two statuses (`open`, `closed`; any case, spaces around ignored);
    /// `None` for a server's own (`IN_PROGRESS`).
    pub fn from_open311(status: &str) -> Option<Self> {
        let status = status.trim();
        if status.eq_ignore_ascii_case("open") {
            Some(Self::Open)
        } else if status.eq_ignore_ascii_case("closed") {
            Some(Self::Closed)
        } else {
            None
        }
    }
}

/// A request as a resident may see it: its state and the council's last word, never personal
/// data.
#[derive(Debug, Clone, PartialEq)]
pub struct PublicStatus {
    /// The reference checked.
    pub reference: String,
    /// The kiosk's state.
    pub state: RequestState,
    /// The council's last status, if it reported one.
    pub remote: Option<RemoteStatus>,
    /// When the council last reported (RFC 3339).
    pub updated_at: Option<String>,
}

/// The receipt printer's paper, as last seen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paper {
    /// Fine.
    Ok,
    /// Near its end.
    Low,
    /// Out.
    Out,
    /// Not known (no printer, or never asked).
    Unknown,
}

/// The kiosk's health for the staff desk.
#[derive(Debug, Clone, PartialEq)]
pub struct KioskHealth {
    /// A council server is configured (`central.kind = "open311"`); without one the kiosk is a
    /// demo that sends nothing, and the desk says so rather than "not reachable".
    pub central_configured: bool,
    /// A receipt printer is configured (`printer.port` is not `none`); without one the desk says
    /// so rather than showing paper and cover as "not known".
    pub printer_configured: bool,
    /// The council's server answered lately.
    pub online: bool,
    /// The network is behind a captive portal (log-in page).
    pub captive_portal: bool,
    /// Last successful delivery round (RFC 3339).
    pub last_sync: Option<String>,
    /// Waiting to be sent.
    pub pending: u64,
    /// Waiting for staff to decide.
    pub review: u64,
    /// Refused by the council.
    pub rejected: u64,
    /// Paper.
    pub paper: Paper,
    /// The printer's cover is open (`None`: not known).
    pub cover_open: Option<bool>,
}

/// Why a request waits for staff, in words the desk shows in its own language; the kiosk's
/// technical line (English, for technicians) is kept beside it ([`QueueItem::reason`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ReasonKind {
    /// In review: the kiosk cannot tell whether the council received it (no lookup decided).
    Undecided,
    /// In review: a request on the council's server names this reference without the kiosk's
    /// check (a forged line, or one an older version sent).
    Unverified,
    /// In review, for another reason.
    #[default]
    Review,
    /// Refused by the council's server (its words are the technical line).
    Refused,
    /// Refused by the kiosk itself (it could not be sent, e.g. its data unreadable).
    NotSent,
}

impl ReasonKind {
    /// The Fluent message that says it.
    pub fn message_id(self) -> &'static str {
        match self {
            ReasonKind::Undecided => "staff-reason-undecided",
            ReasonKind::Unverified => "staff-reason-unverified",
            ReasonKind::Review => "staff-reason-review",
            ReasonKind::Refused => "staff-reason-refused",
            ReasonKind::NotSent => "staff-reason-not-sent",
        }
    }
}

/// One row of the review or rejected list.
#[derive(Debug, Clone, PartialEq)]
pub struct QueueItem {
    /// Reference.
    pub reference: String,
    /// Service name (or code).
    pub service: String,
    /// Why it waits, as the desk says it in its language.
    pub kind: ReasonKind,
    /// The technical line: the kiosk's review reason or the server's words (bounded by the
    /// store), shown as it is for technicians.
    pub reason: String,
    /// When it was saved (RFC 3339).
    pub created_at: String,
}

/// An open help request.
#[derive(Debug, Clone, PartialEq)]
pub struct HelpItem {
    /// Its id.
    pub id: i64,
    /// When it was asked (RFC 3339).
    pub asked_at: String,
}

/// What a finished staff action says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StaffNotice {
    /// A reprint was queued.
    Reprinted,
    /// A delivery round was asked for.
    SendingNow,
    /// A review item will be sent again.
    Resolved,
    /// A review item is marked as with the council.
    ResolvedSent,
    /// Re-filed under another service.
    Refiled,
    /// Not re-filed: the new service asks questions the request did not answer.
    RefileNeedsAnswers,
    /// Cancelled.
    Cancelled,
    /// A help request marked done.
    HelpDone,
    /// "It reached the council" without a usable council number.
    SentNumberMissing,
    /// The action failed (the technician's log says why).
    Failed,
}

impl StaffNotice {
    /// The message id.
    pub fn message_id(self) -> &'static str {
        match self {
            StaffNotice::Reprinted => "staff-done-reprint",
            StaffNotice::SendingNow => "staff-done-send-now",
            StaffNotice::Resolved => "staff-done-resolved",
            StaffNotice::ResolvedSent => "staff-done-resolved-sent",
            StaffNotice::Refiled => "staff-done-refiled",
            StaffNotice::RefileNeedsAnswers => "staff-done-refile-needs-answers",
            StaffNotice::Cancelled => "staff-done-cancelled",
            StaffNotice::HelpDone => "staff-done-help",
            StaffNotice::SentNumberMissing => "staff-sent-missing",
            StaffNotice::Failed => "staff-done-failed",
        }
    }
}

/// The kiosk's answers to [`StaffRequest`]s.
#[derive(Debug, Clone, PartialEq)]
pub enum StaffReply {
    /// The PIN check.
    Unlock(PinOutcome),
    /// A staff look-up (`None`: no such request on this kiosk).
    Lookup(Option<RequestStatus>),
    /// A resident's look-up (`None`: not a request of this kiosk).
    PublicLookup(Option<PublicStatus>),
    /// Health.
    Health(KioskHealth),
    /// The review and rejected lists and the open help requests.
    Lists {
        /// In review.
        review: Vec<QueueItem>,
        /// Rejected.
        rejected: Vec<QueueItem>,
        /// Open help requests.
        help: Vec<HelpItem>,
    },
    /// An action finished.
    Done(StaffNotice),
    /// Not re-filed yet: the new service asks questions the request did not answer; staff
    /// answer them on the question pages, then it is re-filed.
    RefileQuestions(RefileVisit),
}

/// Re-filing that needs answers: which request, under which service, and the new service's
/// questions (attribute codes, in the catalogue's order) the request did not answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefileVisit {
    /// Reference.
    pub reference: String,
    /// The new service code.
    pub service: String,
    /// Attribute codes to ask.
    pub questions: Vec<String>,
}

/// How a submission is marked when saved.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SaveMarks {
    /// The staff member who helped the visitor (or who is practising).
    pub assisted_by: Option<String>,
    /// A practice submission: never sent, erased when the staff session ends.
    pub practice: bool,
}

/// What a resident's "Check a request" shows.
#[derive(Debug, Clone, PartialEq)]
pub enum PublicLookup {
    /// Asked, no answer yet.
    Checking,
    /// Found.
    Found(PublicStatus),
    /// Well-formed but not a request of this kiosk.
    Unknown,
    /// Not a reference, or a wrong check character.
    Mistyped,
}

/// The staff look-up on the desk.
#[derive(Debug, Clone, PartialEq)]
pub enum StaffLookup {
    /// Asked, no answer yet.
    Checking,
    /// Found.
    Found(RequestStatus),
    /// Not found.
    NotFound,
}

/// A staff member at the kiosk: from the PIN pad to "Lock".
#[derive(Debug, Clone)]
pub struct StaffDesk {
    /// The digits of the pad in their shuffled order.
    pub digits: [u8; 10],
    /// What was typed on the pad (zeroed when sent).
    pub pin: String,
    /// A PIN is being checked.
    pub checking: bool,
    /// The last PIN answer that was not a success.
    pub pin_outcome: Option<PinOutcome>,
    /// Who signed in (`None`: still on the pad).
    pub name: Option<String>,
    /// The look-up field.
    pub query: String,
    /// The look-up's result.
    pub lookup: Option<StaffLookup>,
    /// Health, once reported.
    pub health: Option<KioskHealth>,
    /// In review.
    pub review: Vec<QueueItem>,
    /// Rejected.
    pub rejected: Vec<QueueItem>,
    /// Open help requests.
    pub help: Vec<HelpItem>,
    /// The last action's result.
    pub notice: Option<StaffNotice>,
    /// A cancellation waiting for "Yes, cancel it".
    pub confirm_cancel: Option<String>,
    /// The reference being re-filed (on the service list).
    pub refile: Option<String>,
    /// The review item being marked as with the council (on the number's page).
    pub sent: Option<String>,
    /// The council's request number being typed for it.
    pub remote_id: String,
    /// Seconds since the last touch on a staff screen.
    pub idle_seconds: u32,
}

impl Drop for StaffDesk {
    fn drop(&mut self) {
        self.pin.zeroize();
        self.query.zeroize();
        self.remote_id.zeroize();
    }
}

impl StaffDesk {
    /// A desk on the PIN pad, with freshly shuffled digits.
    pub fn new() -> StaffDesk {
        StaffDesk {
            digits: shuffled_digits(),
            pin: String::new(),
            checking: false,
            pin_outcome: None,
            name: None,
            query: String::new(),
            lookup: None,
            health: None,
            review: Vec::new(),
            rejected: Vec::new(),
            help: Vec::new(),
            notice: None,
            confirm_cancel: None,
            refile: None,
            sent: None,
            remote_id: String::new(),
            idle_seconds: 0,
        }
    }

    /// Whether a staff member signed in.
    pub fn signed_in(&self) -> bool {
        self.name.is_some()
    }

    /// The staff member's name (empty while on the pad).
    pub fn staff_name(&self) -> String {
        self.name.clone().unwrap_or_default()
    }
}

impl Default for StaffDesk {
    fn default() -> StaffDesk {
        StaffDesk::new()
    }
}

/// The ten digits in a new random order (against shoulder surfing: the positions touched do not
/// give the PIN away).
pub fn shuffled_digits() -> [u8; 10] {
    let mut digits = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
    digits.shuffle(&mut rand::rng());
    digits
}

/// The reference in what was typed or scanned: a reference itself, or a receipt's QR payload
/// (the council's status URL with the reference in it). A well-formed reference with a wrong
/// check character is `BadCheck`; text holding no reference at all is `Malformed`.
pub fn reference_in(text: &str) -> Result<Reference, ReferenceError> {
    let text: String = text.chars().take(LOOKUP_MAX).collect();
    let whole = Reference::parse(&text);
    if whole.is_ok() {
        return whole;
    }
    let mut bad_check = None;
    for token in text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-')) {
        match Reference::parse(token) {
            Ok(r) => return Ok(r),
            Err(e @ ReferenceError::BadCheck(_)) => bad_check = Some(e),
            Err(_) => {}
        }
    }
    Err(bad_check.unwrap_or(
        whole
            .err()
            .unwrap_or(ReferenceError::Malformed(String::new())),
    ))
}

/// An RFC 3339 time in the kiosk's local time (`None`: unreadable).
pub fn local_time(rfc3339: &str, offset: UtcOffset) -> Option<time::PrimitiveDateTime> {
    let t = OffsetDateTime::parse(rfc3339, &Rfc3339)
        .ok()?
        .to_offset(offset);
    Some(time::PrimitiveDateTime::new(t.date(), t.time()))
}

/// What a key did to a reference field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKey {
    /// Typed into it (a character, or one taken away); at `max` characters a further one is
    /// taken and dropped.
    Typed,
    /// The pad's OK key: the caller checks, looks up or saves.
    Ok,
    /// Not a key that types (Enter, Tab, an arrow…): the caller lets it go on.
    Ignored,
}

/// A key of the digit-and-letter pad applied to the field it types into (the resident's
/// reference, the staff look-up, a council number: one way for all three). Letters are typed
/// in capitals; at most `max` characters.
pub fn pad_edit(text: &mut String, value: &str, max: usize) -> FieldKey {
    match value {
        pad::BACKSPACE => {
            text.pop();
        }
        pad::OK => return FieldKey::Ok,
        v if v.chars().count() == 1 => {
            if text.chars().count() < max {
                text.push_str(&v.to_uppercase());
            }
        }
        _ => return FieldKey::Ignored,
    }
    FieldKey::Typed
}

/// A key from a keyboard, or a scanner that types like one, applied to the same field as the
/// pad's (`KeyEvent.text`): characters are typed as they come (a scanned address keeps its
/// case; the look-up finds the reference in it), Backspace takes the last one away, at most
/// `max` characters. Enter, Tab, the arrows and the other keys Slint names with a control or
/// private-use character are not typing: the page acts on Enter, the window on the rest.
pub fn key_edit(text: &mut String, key: &str, max: usize) -> FieldKey {
    const BACKSPACE: &str = "\u{8}";
    if key == BACKSPACE {
        text.pop();
        return FieldKey::Typed;
    }
    let typing = |c: char| !c.is_control() && !('\u{e000}'..='\u{f8ff}').contains(&c);
    if key.is_empty() || !key.chars().all(typing) {
        return FieldKey::Ignored;
    }
    for c in key.chars() {
        if text.chars().count() < max {
            text.push(c);
        }
    }
    FieldKey::Typed
}

/// Keys in a row of the digit-and-letter pad.
pub const PAD_ROW: usize = 8;

/// Keys in a row of the pad on a window with no room for [`PAD_ROW`] keys of 15 mm (a 7" panel
/// turned upright is 90 mm wide: eight a row were 8 mm).
pub const NARROW_PAD_ROW: usize = 4;

/// The keys of the resident's reference pad, `row` a row: digits, then letters, then the dash
/// and "delete".
pub fn reference_pad(row: usize) -> Vec<Vec<String>> {
    let chars: Vec<String> = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-"
        .chars()
        .map(|c| c.to_string())
        .collect();
    // Eight a row keep keys 15 mm wide on a 7-inch panel in landscape (ten a row were 12.4 mm).
    let mut rows: Vec<Vec<String>> = chars.chunks(row.max(1)).map(|c| c.to_vec()).collect();
    if let Some(last) = rows.last_mut() {
        last.push(pad::BACKSPACE.to_string());
    }
    rows
}
