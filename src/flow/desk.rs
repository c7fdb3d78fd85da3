//! The staff screens and the resident's "Check a request" as [`Flow`] methods and views: the
//! vocabulary and the desk's state are in `staff.rs`; this is what each touch does to them and
//! what each screen shows, translated and ready to copy.

use zeroize::Zeroize;

use super::keyboard::Key;
use super::staff::{
    self, FieldKey, LOOKUP_MAX, PIN_MAX, PIN_MIN, Paper, PinOutcome, PublicLookup, RemoteStatus,
    RequestState, StaffDesk, StaffLookup, StaffReply, StaffRequest,
};
use super::view::ChoiceView;
use super::{Flow, Screen, Session};
use crate::i18n::Arg;
use crate::validate::REMOTE_ID_MAX;

/// Who the resident flow is for right now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeskMode {
    /// A resident on their own.
    Resident,
    /// A visitor helped by this staff member.
    Assisted(String),
    /// Staff practising: nothing is sent.
    Practice,
}

/// One labelled line of the staff desk (health, a look-up's result).
#[derive(Debug, Clone, PartialEq)]
pub struct StaffRow {
    /// What it is.
    pub label: String,
    /// Its value.
    pub value: String,
    /// Needs attention (shown with a mark, not colour alone).
    pub warn: bool,
}

/// The staff desk's home screen.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct StaffHomeView {
    /// "Signed in as NAME".
    pub signed_in: String,
    /// The look-up field's text.
    pub query: String,
    /// The look-up's result, line by line (empty: nothing looked up).
    pub lookup: Vec<StaffRow>,
    /// A request was found: "Reprint" is offered.
    pub can_reprint: bool,
    /// The kiosk's health.
    pub health: Vec<StaffRow>,
    /// The last action's result.
    pub notice: String,
    /// "To check: N" and "Help requests: M", on two lines of one button.
    pub lists_label: String,
}

/// One row of the review / rejected lists.
#[derive(Debug, Clone, PartialEq)]
pub struct StaffItemView {
    /// Reference.
    pub reference: String,
    /// "Review" or "Rejected", and the service.
    pub title: String,
    /// The reason, and when it was saved.
    pub detail: String,
    /// A review item (offers "Send again") rather than a rejected one.
    pub review: bool,
}

/// One open help request.
#[derive(Debug, Clone, PartialEq)]
pub struct HelpRowView {
    /// Its id.
    pub id: i64,
    /// "Asked at 14:05".
    pub text: String,
}

impl Flow {
    // -----------------------------------------------------------------------------------------
    // The way in

    /// The discreet gesture (a long press on the welcome screen's corner): opens the PIN pad
    /// with freshly shuffled digits. Only from the welcome screen, where no resident is.
    pub fn staff_gesture(&mut self) {
        if self.session.screen != Screen::Welcome || self.desk.is_some() {
            return;
        }
        self.wipe();
        let mut desk = StaffDesk::new();
        if let Some(order) = self.pad_order {
            desk.digits = order;
        }
        self.desk = Some(desk);
        self.session.screen = Screen::StaffPin;
    }

    /// The PIN pad's digits in `order` from now on, wherever a kiosk shuffles them (opening
    /// the pad, after a refusal), for the scenes `guichet screenshot` draws (the same picture
    /// each time); a kiosk never calls it. Left shuffled unless `order` holds each digit once.
    pub fn fix_pin_pad(&mut self, order: [u8; 10]) {
        let mut seen = [false; 10];
        for d in order {
            if let Some(s) = seen.get_mut(usize::from(d)) {
                *s = true;
            }
        }
        if seen.iter().all(|s| *s) {
            self.pad_order = Some(order);
            if let Some(desk) = &mut self.desk {
                desk.digits = order;
            }
        }
    }

    /// A key of the PIN pad: a digit, [`staff::pad::BACKSPACE`] or [`staff::pad::OK`].
    pub fn pin_key(&mut self, value: &str) {
        self.touched();
        if self.session.screen != Screen::StaffPin {
            return;
        }
        let Some(desk) = &mut self.desk else {
            return;
        };
        if desk.checking {
            return;
        }
        match value {
            staff::pad::BACKSPACE => {
                desk.pin.pop();
            }
            staff::pad::OK => {
                if desk.pin.len() < PIN_MIN {
                    return;
                }
                let pin = std::mem::take(&mut desk.pin);
                desk.checking = true;
                self.outbox.push(StaffRequest::Unlock { pin });
            }
            d if d.len() == 1
                && d.bytes().all(|b| b.is_ascii_digit())
                && desk.pin.len() < PIN_MAX =>
            {
                desk.pin.push_str(d);
            }
            _ => {}
        }
    }

    /// The kiosk answered a staff request.
    pub fn staff_reply(&mut self, reply: StaffReply) {
        if let StaffReply::RefileQuestions(visit) = reply {
            return self.start_refile_visit(visit);
        }
        if let StaffReply::PublicLookup(found) = reply {
            if self.session.screen == Screen::CheckRequest
                && self.session.lookup_result == Some(PublicLookup::Checking)
            {
                self.session.lookup_result = Some(match found {
                    Some(status) => PublicLookup::Found(status),
                    None => PublicLookup::Unknown,
                });
            }
            return;
        }
        let Some(desk) = &mut self.desk else {
            // Locked meanwhile: the answer is for no one.
            return;
        };
        match reply {
            StaffReply::Unlock(outcome) => {
                desk.checking = false;
                match outcome {
                    PinOutcome::Accepted { name } if self.session.screen == Screen::StaffPin => {
                        desk.name = Some(name);
                        desk.pin_outcome = None;
                        // The desk's idle minute counts from when it opens, not from the PIN's
                        // last key: a slow check (a loaded kiosk hashing the PIN) took seconds
                        // of it.
                        desk.idle_seconds = 0;
                        self.session.idle_seconds = 0;
                        self.session.screen = Screen::StaffHome;
                        self.outbox.push(StaffRequest::Refresh);
                    }
                    PinOutcome::Accepted { .. } => {}
                    other => {
                        // A new order for the next try: watching the last one gives nothing.
                        desk.digits = self.pad_order.unwrap_or_else(staff::shuffled_digits);
                        desk.pin_outcome = Some(other);
                    }
                }
            }
            StaffReply::Lookup(found) => {
                desk.lookup = Some(match found {
                    Some(status) => StaffLookup::Found(status),
                    None => StaffLookup::NotFound,
                });
            }
            StaffReply::Health(health) => desk.health = Some(health),
            StaffReply::Lists {
                review,
                rejected,
                help,
            } => {
                desk.review = review;
                desk.rejected = rejected;
                desk.help = help;
            }
            StaffReply::Done(notice) => {
                desk.notice = Some(notice);
                self.outbox.push(StaffRequest::Refresh);
            }
            StaffReply::PublicLookup(_) | StaffReply::RefileQuestions(_) => {}
        }
    }

    /// Re-filing needs answers: staff answer the new service's unanswered questions on the
    /// ordinary question pages (only those), and the last Continue re-files.
    fn start_refile_visit(&mut self, visit: staff::RefileVisit) {
        if !self.staff_signed_in()
            || !self.session.screen.is_staff()
            || visit.questions.is_empty()
            || self.catalog().definition(&visit.service).is_none()
        {
            return;
        }
        let mut session = Session::new(&self.session.locale);
        session.text_size_step = self.session.text_size_step;
        session.high_contrast = self.session.high_contrast;
        session.service = Some(visit.service.clone());
        session.input.service_code = visit.service.clone();
        session.refile = Some(visit);
        session.screen = Screen::Question;
        self.session = session;
    }

    /// The last question of a re-filing answered: the request is re-filed with these answers
    /// and staff are back on the lists (the answers leave the screen's session).
    pub(super) fn finish_refile_visit(&mut self) {
        let Some(visit) = self.session.refile.take() else {
            return;
        };
        let answers = std::mem::take(&mut self.session.input.answers);
        let (locale, size, contrast) = (
            self.session.locale.clone(),
            self.session.text_size_step,
            self.session.high_contrast,
        );
        self.session = Session::new(&locale);
        self.session.text_size_step = size;
        self.session.high_contrast = contrast;
        self.session.screen = Screen::StaffLists;
        let staff::RefileVisit {
            reference, service, ..
        } = visit;
        self.staff_request(|staff| StaffRequest::Refile {
            reference,
            service,
            answers,
            staff,
        });
    }

    /// Leaves a re-filing without re-filing: back to the lists.
    pub(super) fn abandon_refile_visit(&mut self) {
        let locale = self.session.locale.clone();
        let (size, contrast) = (self.session.text_size_step, self.session.high_contrast);
        self.session = Session::new(&locale);
        self.session.text_size_step = size;
        self.session.high_contrast = contrast;
        self.session.screen = Screen::StaffLists;
        self.outbox.push(StaffRequest::Refresh);
    }

    /// What staff asked for since the last call, for the UI to hand to its backend.
    pub fn take_requests(&mut self) -> Vec<StaffRequest> {
        std::mem::take(&mut self.outbox)
    }

    /// Queues a request that carries the signed-in staff member's name (none: not signed in).
    pub(super) fn staff_request(&mut self, make: impl FnOnce(String) -> StaffRequest) {
        if let Some(name) = self.desk.as_ref().and_then(|d| d.name.clone()) {
            if let Some(desk) = &mut self.desk {
                desk.notice = None;
            }
            self.outbox.push(make(name));
        }
    }

    /// Ends the staff session (without touching the resident's): practice submissions are
    /// erased by the kiosk on the way out. Called by every wipe.
    pub(super) fn lock(&mut self) {
        if let Some(desk) = self.desk.take()
            && let Some(name) = desk.name.clone()
        {
            self.outbox.push(StaffRequest::EndSession { staff: name });
        }
    }

    /// "Lock": the staff session ends and the kiosk is back on the welcome screen.
    pub fn staff_lock(&mut self) {
        self.wipe();
    }

    /// The staff desk (tests, screenshots).
    pub fn desk(&self) -> Option<&StaffDesk> {
        self.desk.as_ref()
    }

    /// Whether a staff member is signed in.
    pub fn staff_signed_in(&self) -> bool {
        self.desk.as_ref().is_some_and(StaffDesk::signed_in)
    }

    // -----------------------------------------------------------------------------------------
    // The desk

    fn desk_mut_signed_in(&mut self) -> Option<&mut StaffDesk> {
        self.desk.as_mut().filter(|d| d.signed_in())
    }

    /// The look-up field's whole text, set at once (a screenshot's scene, tests); keys typed
    /// come through [`Flow::reference_key`].
    pub fn staff_set_query(&mut self, text: &str) {
        self.touched();
        if let Some(desk) = self.desk_mut_signed_in() {
            desk.query.zeroize();
            desk.query = text.chars().take(LOOKUP_MAX).collect();
        }
    }

    /// "Look up" (or the scanner's Enter).
    pub fn staff_lookup(&mut self) {
        self.touched();
        let Some(desk) = self.desk_mut_signed_in() else {
            return;
        };
        let query = desk.query.trim().to_string();
        if query.is_empty() {
            return;
        }
        desk.lookup = Some(StaffLookup::Checking);
        desk.notice = None;
        self.outbox.push(StaffRequest::Lookup { query });
    }

    /// "Reprint" for the request found.
    pub fn staff_reprint(&mut self) {
        self.touched();
        let reference = match self.desk.as_ref().and_then(|d| d.lookup.as_ref()) {
            Some(StaffLookup::Found(found)) => found.reference.clone(),
            _ => return,
        };
        self.staff_request(|staff| StaffRequest::Reprint { reference, staff });
    }

    /// "Send now".
    pub fn staff_send_now(&mut self) {
        self.touched();
        self.staff_request(|staff| StaffRequest::SendNow { staff });
    }

    /// The review, rejected and help lists.
    pub fn staff_open_lists(&mut self) {
        self.touched();
        if self.staff_signed_in() {
            self.session.screen = Screen::StaffLists;
            self.outbox.push(StaffRequest::Refresh);
        }
    }

    /// Back to the desk's home.
    pub fn staff_home(&mut self) {
        self.touched();
        if let Some(desk) = self.desk_mut_signed_in() {
            desk.refile = None;
            self.session.screen = Screen::StaffHome;
            self.outbox.push(StaffRequest::Refresh);
        }
    }

    /// "Send again" on a review item.
    pub fn staff_resolve(&mut self, reference: &str) {
        self.touched();
        let reference = reference.to_string();
        self.staff_request(|staff| StaffRequest::Resolve { reference, staff });
    }

    /// "It reached the council" on a review item: the page where its number is typed.
    pub fn staff_mark_sent(&mut self, reference: &str) {
        self.touched();
        if let Some(desk) = self.desk_mut_signed_in()
            && desk.review.iter().any(|q| q.reference == reference)
        {
            desk.sent = Some(reference.to_string());
            desk.remote_id.zeroize();
            desk.remote_id.clear();
            desk.notice = None;
            self.session.screen = Screen::StaffSent;
        }
    }

    /// "Save" on the council number's page: an empty or unusable number is refused there and
    /// then; a good one is sent to the kiosk (`queue resolve --sent`'s path) and staff are back
    /// on the lists.
    pub fn staff_sent_save(&mut self) {
        self.touched();
        if self.session.screen != Screen::StaffSent {
            return;
        }
        let Some(desk) = self.desk_mut_signed_in() else {
            return;
        };
        let remote_id = desk.remote_id.trim().to_string();
        if crate::validate::remote_id(&remote_id).is_none() {
            desk.notice = Some(staff::StaffNotice::SentNumberMissing);
            return;
        }
        let Some(reference) = desk.sent.take() else {
            return;
        };
        desk.remote_id.clear();
        self.staff_request(|staff| StaffRequest::ResolveSent {
            reference,
            remote_id,
            staff,
        });
        self.session.screen = Screen::StaffLists;
    }

    /// The review item being marked as with the council.
    pub fn sent_reference(&self) -> String {
        self.desk
            .as_ref()
            .and_then(|d| d.sent.clone())
            .unwrap_or_default()
    }

    /// The council number typed so far.
    pub fn sent_number(&self) -> String {
        self.desk
            .as_ref()
            .map(|d| d.remote_id.clone())
            .unwrap_or_default()
    }

    /// "Re-file" on a rejected or review item: the list of services to choose from.
    pub fn staff_refile(&mut self, reference: &str) {
        self.touched();
        if let Some(desk) = self.desk_mut_signed_in() {
            desk.refile = Some(reference.to_string());
            self.session.screen = Screen::StaffRefile;
        }
    }

    /// The service chosen for the re-filing.
    pub fn staff_refile_to(&mut self, service: &str) {
        self.touched();
        if self.catalog().service(service).is_none() {
            return;
        }
        let Some(reference) = self.desk.as_mut().and_then(|d| d.refile.take()) else {
            return;
        };
        let service = service.to_string();
        self.staff_request(|staff| StaffRequest::Refile {
            reference,
            service,
            answers: Default::default(),
            staff,
        });
        self.session.screen = Screen::StaffLists;
    }

    /// "Cancel" on an item: asks first ([`Flow::confirm`] sends it).
    pub fn staff_cancel(&mut self, reference: &str) {
        self.touched();
        if let Some(desk) = self.desk_mut_signed_in() {
            desk.confirm_cancel = Some(reference.to_string());
        }
    }

    /// "Done" on a help request.
    pub fn staff_help_done(&mut self, id: i64) {
        self.touched();
        self.staff_request(|staff| StaffRequest::HelpDone { id, staff });
    }

    /// "Help a visitor": the resident flow, marked assisted by the signed-in staff member.
    pub fn staff_help_visitor(&mut self) {
        self.start_staff_mode(false);
    }

    /// "Practice mode": the resident flow, every screen marked PRACTICE; nothing is sent.
    pub fn staff_practice(&mut self) {
        self.start_staff_mode(true);
    }

    fn start_staff_mode(&mut self, practice: bool) {
        self.touched();
        let Some(name) = self.desk.as_ref().and_then(|d| d.name.clone()) else {
            return;
        };
        self.close_session_stats();
        let mut session = Session::new(&self.session.locale);
        session.text_size_step = self.session.text_size_step;
        session.high_contrast = self.session.high_contrast;
        if practice {
            session.practice = true;
        } else {
            session.assisted_by = Some(name);
        }
        session.screen = Screen::Language;
        self.session = session;
        self.mark_session(!practice, practice);
    }

    /// Reports the resident session on screen as ended (statistics only) when it is replaced
    /// without a wipe: helping or practising ends and staff are back at the desk.
    fn close_session_stats(&mut self) {
        self.note_progress();
        if let Some(summary) = self.tracker.finish(&self.session.locale) {
            self.ended.push(summary);
        }
    }

    /// Ends helping (or practising) and goes back to the desk; the visitor's answers go.
    pub fn staff_end_visit(&mut self) {
        if self.session.refile.is_some() && self.staff_signed_in() {
            return self.abandon_refile_visit();
        }
        let locale = self.session.locale.clone();
        let (size, contrast) = (self.session.text_size_step, self.session.high_contrast);
        if !self.staff_signed_in() {
            self.wipe();
            return;
        }
        self.close_session_stats();
        self.session = Session::new(&locale);
        self.session.text_size_step = size;
        self.session.high_contrast = contrast;
        self.staff_home();
    }

    /// "Finish" on the confirmation: the next resident's turn, or back to the desk after
    /// helping or practising; the idle warning's "Start again", or on a staff screen its
    /// "Lock now".
    pub fn finish(&mut self) {
        if self.session.screen.is_staff() {
            return self.staff_lock();
        }
        if self.staff_signed_in() && self.desk_mode() != DeskMode::Resident {
            self.staff_end_visit();
        } else {
            self.wipe();
        }
    }

    /// Whether the strip's "End" is offered: helping or practising, and not where the visitor
    /// decides (the consent screen).
    pub fn show_staff_controls(&self) -> bool {
        self.staff_signed_in()
            && self.desk_mode() != DeskMode::Resident
            && self.session.screen != Screen::Consent
    }

    /// Whether "End" stands in the assisted or practice strip: offered, and the tools not in
    /// a menu. At the largest text size on a 7" or 10" panel ([`Flow::tools_in_menu`]) it is a
    /// tool of the menu instead: beside it the strip's words had half a 7" panel's width, at
    /// 24 px over three lines ("З / допомогою: / Amira"), and End's own at 24 px; alone the
    /// words are at 33 px (EN 301 549 5.1.4) in one or two lines, no taller than before.
    pub fn end_in_strip(&self) -> bool {
        self.show_staff_controls() && !self.tools_in_menu()
    }

    /// Who the resident flow is for.
    pub fn desk_mode(&self) -> DeskMode {
        if self.session.refile.is_some() {
            // Staff at work on the question pages: marked like assisted mode.
            return DeskMode::Assisted(
                self.desk
                    .as_ref()
                    .map(|d| d.staff_name())
                    .unwrap_or_default(),
            );
        }
        if self.session.practice {
            DeskMode::Practice
        } else if let Some(name) = &self.session.assisted_by {
            DeskMode::Assisted(name.clone())
        } else {
            DeskMode::Resident
        }
    }

    /// How the submission being sent is marked: the staff member beside the visitor (or
    /// practising), and the practice flag.
    pub fn save_marks(&self) -> staff::SaveMarks {
        staff::SaveMarks {
            assisted_by: if self.session.practice {
                self.desk.as_ref().and_then(|d| d.name.clone())
            } else {
                self.session.assisted_by.clone()
            },
            practice: self.session.practice,
        }
    }

    // -----------------------------------------------------------------------------------------
    // A resident checks a request

    /// "Check a request" on the welcome screen, in the greeting's language of the moment.
    pub fn open_check_request(&mut self) {
        if self.session.screen != Screen::Welcome {
            return;
        }
        let locale = self.greeting_locale().to_string();
        self.wipe();
        self.session.locale = locale.clone();
        self.session.input.locale = locale;
        self.session.screen = Screen::CheckRequest;
    }

    /// A key of the digit-and-letter pad, on whichever page shows it: the resident's "Check a
    /// request", the staff look-up, or a council number. Its OK key checks, looks up or saves.
    pub fn lookup_key(&mut self, value: &str) {
        self.reference_edit(|text, max| staff::pad_edit(text, value, max));
    }

    /// A key from a keyboard or a scanner (`KeyEvent.text`) on a page with a reference field:
    /// typed into the field as the pad's keys are (`staff::key_edit`). The page's key catcher
    /// sends every key here (ui/pages/lookup.slint, `ReferenceKeys`): the field itself takes
    /// no keys, since Slint drops the focus, and the key, of a field scrolled out of view.
    /// Whether the key typed; Enter and the navigation keys do not.
    pub fn reference_key(&mut self, key: &str) -> bool {
        self.reference_edit(|text, max| staff::key_edit(text, key, max)) == FieldKey::Typed
    }

    /// Applies `edit` to the reference field of the page showing (at most `max` characters);
    /// a change clears what the last reference found, the OK key acts.
    fn reference_edit(&mut self, edit: impl FnOnce(&mut String, usize) -> FieldKey) -> FieldKey {
        self.touched();
        match self.session.screen {
            Screen::CheckRequest => {
                let done = edit(&mut self.session.lookup, LOOKUP_MAX);
                match done {
                    FieldKey::Ok => self.lookup_check(),
                    FieldKey::Typed => self.session.lookup_result = None,
                    FieldKey::Ignored => {}
                }
                done
            }
            Screen::StaffHome => {
                let Some(desk) = self.desk_mut_signed_in() else {
                    return FieldKey::Ignored;
                };
                let done = edit(&mut desk.query, LOOKUP_MAX);
                match done {
                    FieldKey::Ok => self.staff_lookup(),
                    // A new reference: the last one's result goes.
                    FieldKey::Typed => desk.lookup = None,
                    FieldKey::Ignored => {}
                }
                done
            }
            Screen::StaffSent => {
                let Some(desk) = self.desk_mut_signed_in() else {
                    return FieldKey::Ignored;
                };
                let done = edit(&mut desk.remote_id, REMOTE_ID_MAX);
                if done == FieldKey::Ok {
                    self.staff_sent_save();
                }
                done
            }
            _ => FieldKey::Ignored,
        }
    }

    /// The resident's reference field's whole text, set at once (a screenshot's scene, tests);
    /// keys typed come through [`Flow::reference_key`].
    pub fn lookup_set(&mut self, text: &str) {
        self.touched();
        if self.session.screen == Screen::CheckRequest {
            self.session.lookup.zeroize();
            self.session.lookup = text.chars().take(LOOKUP_MAX).collect();
            self.session.lookup_result = None;
        }
    }

    /// "Check": a mistyped reference is told at once (its check character), a well-formed one
    /// is looked up.
    pub fn lookup_check(&mut self) {
        self.touched();
        if self.session.screen != Screen::CheckRequest {
            return;
        }
        match staff::reference_in(&self.session.lookup) {
            Ok(reference) => {
                self.session.lookup.zeroize();
                self.session.lookup = reference.as_str().to_string();
                self.session.lookup_result = Some(PublicLookup::Checking);
                self.outbox.push(StaffRequest::PublicLookup {
                    reference: reference.as_str().to_string(),
                });
            }
            Err(_) => self.session.lookup_result = Some(PublicLookup::Mistyped),
        }
    }

    // -----------------------------------------------------------------------------------------
    // Views

    /// A stored time in words in the displayed language ("1 December 2026, 14:05", the wording
    /// of receipts and the date picker); anything unreadable is shown as it came, cut short.
    fn time(&self, rfc3339: &str) -> String {
        match staff::local_time(rfc3339, self.settings.local_offset) {
            Some(t) => self.translations().datetime(self.locale(), t),
            None => rfc3339.chars().take(32).collect(),
        }
    }

    /// The council's status of a request in the desk's language: Open311's own ("open",
    /// "closed") translated; any other a server uses (`IN_PROGRESS`) as it was sent. It is
    /// network data, read on one line and bounded by `sync::wire` (with "…" where it was cut),
    /// and held to the same bound here ([`crate::validate::OPEN311_STATUS_MAX`]) for a status
    /// stored by an older version, which cut without the mark.
    fn council_status(&self, status: &str) -> String {
        match staff::RemoteStatus::from_open311(status) {
            Some(staff::RemoteStatus::Open) => self.t("staff-remote-open"),
            Some(staff::RemoteStatus::Closed) => self.t("staff-remote-closed"),
            None => {
                let mut kept = status.trim().chars().filter(|c| !c.is_control());
                let mut shown: String = kept
                    .by_ref()
                    .take(crate::validate::OPEN311_STATUS_MAX)
                    .collect();
                if kept.next().is_some() {
                    shown.push('…');
                }
                shown
            }
        }
    }

    fn tf(&self, id: &str, args: &[(&str, Arg)]) -> String {
        self.translations().format(self.locale(), id, args)
    }

    /// The PIN pad in rows of three, digits in the desk's shuffled order; "delete" and "OK" in
    /// the last row, in reading order.
    pub fn pin_pad(&self) -> Vec<Vec<Key>> {
        let Some(desk) = &self.desk else {
            return Vec::new();
        };
        let digit = |d: u8| Key {
            label: d.to_string(),
            value: d.to_string(),
            width: 1.0,
            accessible: d.to_string(),
            short: String::new(),
        };
        // "Delete" and "OK" in words, as on the resident's keys: a word is understood where a
        // symbol (⌫) is not, and the visible label is the spoken one (WCAG 2.5.3).
        let special = |id: &str, value: &str| Key::worded(self.t(id), value, 1.0);
        let mut rows: Vec<Vec<Key>> = desk.digits[..9]
            .chunks(3)
            .map(|c| c.iter().copied().map(digit).collect())
            .collect();
        let mut last = vec![
            special("staff-pin-delete", staff::pad::BACKSPACE),
            digit(desk.digits[9]),
            special("staff-pin-ok", staff::pad::OK),
        ];
        if self.rtl() {
            last.reverse();
        }
        rows.push(last);
        rows
    }

    /// One dot per typed digit.
    pub fn pin_dots(&self) -> String {
        let n = self.desk.as_ref().map_or(0, |d| d.pin.len());
        "●".repeat(n)
    }

    /// What the PIN pad says under the dots.
    pub fn pin_message(&self) -> String {
        let Some(desk) = &self.desk else {
            return String::new();
        };
        if desk.checking {
            return self.t("staff-pin-checking");
        }
        match &desk.pin_outcome {
            None => self.tf("staff-pin-hint", &[("min", Arg::from(PIN_MIN))]),
            Some(PinOutcome::Wrong { attempts_left }) => self.tf(
                "staff-pin-wrong",
                &[("left", Arg::from(i64::from(*attempts_left)))],
            ),
            Some(PinOutcome::Locked { minutes }) => self.tf(
                "staff-pin-locked",
                &[("minutes", Arg::from((*minutes).max(1) as i64))],
            ),
            Some(PinOutcome::Unavailable) => self.t("staff-pin-unavailable"),
            Some(PinOutcome::Accepted { .. }) => String::new(),
        }
    }

    /// The desk's home screen.
    pub fn staff_home_view(&self) -> StaffHomeView {
        let Some(desk) = &self.desk else {
            return StaffHomeView::default();
        };
        let row = |label: &str, value: String, warn: bool| StaffRow {
            label: self.t(label),
            value,
            warn,
        };
        let yes_no = |b: bool| self.t(if b { "staff-yes" } else { "staff-no" });
        let mut lookup = Vec::new();
        let mut can_reprint = false;
        match &desk.lookup {
            None => {}
            Some(StaffLookup::Checking) => {
                lookup.push(row("staff-lookup-result", self.t("staff-checking"), false))
            }
            Some(StaffLookup::NotFound) => {
                lookup.push(row("staff-lookup-result", self.t("staff-not-found"), true))
            }
            Some(StaffLookup::Found(found)) => {
                can_reprint = found.state != RequestState::Cancelled;
                lookup.push(row("staff-reference", found.reference.clone(), false));
                lookup.push(row("staff-service", found.service.clone(), false));
                lookup.push(row(
                    "staff-local-status",
                    self.t(found.state.staff_message_id()),
                    matches!(found.state, RequestState::Review | RequestState::Rejected),
                ));
                let remote = match (&found.remote_status, &found.remote_updated) {
                    (Some(status), Some(at)) => {
                        format!("{} ({})", self.council_status(status), self.time(at))
                    }
                    (Some(status), None) => self.council_status(status),
                    (None, _) => self.t("staff-remote-none"),
                };
                lookup.push(row("staff-remote-status", remote, false));
                if let Some(id) = &found.remote_id {
                    lookup.push(row("staff-remote-id", id.clone(), false));
                }
                if found.kind.is_some() || found.reason.is_some() {
                    let why = found
                        .kind
                        .map(|k| self.t(k.message_id()))
                        .unwrap_or_default();
                    let technical = found.reason.as_deref().unwrap_or_default();
                    lookup.push(row(
                        "staff-reason",
                        self.why_and_technical(why, technical),
                        true,
                    ));
                }
                if let Some(name) = &found.assisted_by {
                    lookup.push(row("staff-assisted-by", name.clone(), false));
                }
            }
        }
        let mut health = Vec::new();
        if let Some(h) = &desk.health {
            if h.central_configured {
                health.push(row("staff-health-online", yes_no(h.online), !h.online));
            } else {
                health.push(row(
                    "staff-health-online",
                    self.t("staff-no-council"),
                    false,
                ));
            }
            if h.captive_portal {
                health.push(row("staff-health-portal", self.t("staff-yes"), true));
            }
            health.push(row(
                "staff-health-last-sync",
                h.last_sync
                    .as_deref()
                    .map(|t| self.time(t))
                    .unwrap_or_else(|| self.t("staff-never")),
                false,
            ));
            health.push(row(
                "staff-health-queue",
                self.tf(
                    "staff-health-counts",
                    &[
                        ("pending", Arg::from(h.pending as i64)),
                        ("review", Arg::from(h.review as i64)),
                        ("rejected", Arg::from(h.rejected as i64)),
                    ],
                ),
                h.review + h.rejected > 0,
            ));
            if h.printer_configured {
                let paper = match h.paper {
                    Paper::Ok => "staff-paper-ok",
                    Paper::Low => "staff-paper-low",
                    Paper::Out => "staff-paper-out",
                    Paper::Unknown => "staff-unknown",
                };
                health.push(row(
                    "staff-health-paper",
                    self.t(paper),
                    matches!(h.paper, Paper::Low | Paper::Out),
                ));
                health.push(row(
                    "staff-health-cover",
                    match h.cover_open {
                        Some(true) => self.t("staff-cover-open"),
                        Some(false) => self.t("staff-cover-closed"),
                        None => self.t("staff-unknown"),
                    },
                    h.cover_open == Some(true),
                ));
            } else {
                health.push(row(
                    "staff-health-printer",
                    self.t("staff-no-printer"),
                    false,
                ));
            }
        }
        StaffHomeView {
            signed_in: self.tf(
                "staff-signed-in",
                &[("name", Arg::from(desk.staff_name().as_str()))],
            ),
            query: desk.query.clone(),
            lookup,
            can_reprint,
            health,
            notice: desk
                .notice
                .map(|n| self.t(n.message_id()))
                .unwrap_or_default(),
            lists_label: format!(
                "{}\n{}",
                self.tf(
                    "staff-open-lists",
                    &[("count", Arg::from(desk.review.len() + desk.rejected.len()))],
                ),
                self.tf("staff-help-count", &[("count", Arg::from(desk.help.len()))])
            ),
        }
    }

    /// Why a request waits for staff, in the desk's language, and under it the kiosk's
    /// technical line as it is ("Technical detail: …", for technicians): the lists and the
    /// look-up say it alike. Either may be empty.
    fn why_and_technical(&self, why: String, technical: &str) -> String {
        if technical.trim().is_empty() {
            return why;
        }
        let technical = self.tf("staff-item-technical", &[("detail", Arg::from(technical))]);
        if why.is_empty() {
            technical
        } else {
            format!("{why}\n{technical}")
        }
    }

    /// The review and rejected lists, review first.
    pub fn staff_items(&self) -> Vec<StaffItemView> {
        let Some(desk) = &self.desk else {
            return Vec::new();
        };
        let item = |q: &staff::QueueItem, review: bool| StaffItemView {
            reference: q.reference.clone(),
            // The reference on a line of its own: in Arabic a Latin reference and Arabic words
            // on one wrapped line lost the line's last letters at the largest size.
            title: format!(
                "{}\n{} · {}",
                q.reference,
                self.t(if review {
                    "staff-state-review"
                } else {
                    "staff-state-rejected"
                }),
                q.service
            ),
            // Why, in the desk's language; the kiosk's own line (English, for technicians)
            // under it.
            detail: {
                let why = self.tf(
                    "staff-item-detail",
                    &[
                        ("reason", Arg::from(self.t(q.kind.message_id()))),
                        ("when", Arg::from(self.time(&q.created_at))),
                    ],
                );
                self.why_and_technical(why, &q.reason)
            },
            review,
        };
        desk.review
            .iter()
            .map(|q| item(q, true))
            .chain(desk.rejected.iter().map(|q| item(q, false)))
            .collect()
    }

    /// The open help requests.
    pub fn staff_help_rows(&self) -> Vec<HelpRowView> {
        let Some(desk) = &self.desk else {
            return Vec::new();
        };
        desk.help
            .iter()
            .map(|h| HelpRowView {
                id: h.id,
                text: self.tf(
                    "staff-help-asked",
                    &[("when", Arg::from(self.time(&h.asked_at)))],
                ),
            })
            .collect()
    }

    /// The services a request may be re-filed under, with the one being re-filed named.
    pub fn refile_choices(&self) -> Vec<ChoiceView> {
        self.catalog()
            .services
            .iter()
            .map(|s| ChoiceView {
                key: s.service_code.clone(),
                label: s.service_name.clone(),
                selected: false,
            })
            .collect()
    }

    /// The reference being re-filed.
    pub fn refile_reference(&self) -> String {
        self.desk
            .as_ref()
            .and_then(|d| d.refile.clone())
            .unwrap_or_default()
    }

    /// The strip on every screen of assisted and practice mode ("Assisted by NAME",
    /// "PRACTICE"), empty for a resident.
    pub fn mode_banner(&self) -> String {
        if let Some(visit) = &self.session.refile {
            // At the largest size on a 7" or 10" panel (the tools in a menu) the strip's words
            // are at 33 px: on a 7" panel the whole sentence took four lines, half the panel in
            // landscape, and the page under it had no room; the reference is what staff need.
            let id = if self.tools_in_menu() {
                "refile-banner-short"
            } else {
                "refile-banner"
            };
            return self.tf(id, &[("reference", Arg::from(visit.reference.as_str()))]);
        }
        match self.desk_mode() {
            DeskMode::Resident => String::new(),
            DeskMode::Assisted(name) => {
                self.tf("assisted-by", &[("name", Arg::from(name.as_str()))])
            }
            DeskMode::Practice => self.t("practice-banner"),
        }
    }

    /// The consent screen's sentence: who helped, who receives it.
    pub fn consent_text(&self) -> String {
        let name = self.session.assisted_by.clone().unwrap_or_default();
        self.tf(
            "consent-body",
            &[
                ("name", Arg::from(name.as_str())),
                ("council", Arg::from(self.settings.council.as_str())),
            ],
        )
    }

    /// "Check a request": what was found, in the resident's language, as lines (never
    /// personal data: the kiosk's state and the council's last word with its time).
    pub fn lookup_lines(&self) -> (Vec<String>, bool) {
        match &self.session.lookup_result {
            None => (Vec::new(), false),
            Some(PublicLookup::Checking) => (vec![self.t("lookup-checking")], false),
            Some(PublicLookup::Mistyped) => (vec![self.t("lookup-mistyped")], true),
            Some(PublicLookup::Unknown) => (vec![self.t("lookup-unknown")], true),
            Some(PublicLookup::Found(status)) => {
                let state = match (status.state, status.remote) {
                    (RequestState::Accepted, Some(RemoteStatus::Closed)) => "lookup-closed",
                    (RequestState::Accepted, Some(RemoteStatus::Open)) => "lookup-in-progress",
                    (RequestState::Accepted, None) => "lookup-accepted",
                    (RequestState::Pending | RequestState::Sending, _) => "lookup-pending",
                    (RequestState::Review, _) => "lookup-review",
                    (RequestState::Rejected, _) => "lookup-rejected",
                    (RequestState::Cancelled, _) => "lookup-cancelled",
                    (RequestState::Practice, _) => "lookup-unknown",
                };
                let mut lines = vec![
                    self.tf(
                        "lookup-reference",
                        &[("reference", Arg::from(status.reference.as_str()))],
                    ),
                    self.t(state),
                ];
                if let Some(at) = &status.updated_at {
                    lines.push(self.tf("lookup-when", &[("when", Arg::from(self.time(at)))]));
                }
                (lines, false)
            }
        }
    }

    /// The digit-and-letter pad's keys, in reading order for the language; its OK key says what
    /// it does on the page that shows it ("Check", "Look up", "Save"). Eight a row, or four
    /// where eight keys of 15 mm do not fit the page's width (a 7" panel upright, or beside
    /// the side bar in landscape; the pad is as many units wide as its first row:
    /// `ReferencePad`).
    pub fn lookup_pad(&self) -> Vec<Vec<Key>> {
        let room = match self.keyboard_side_room {
            Some(beside) if self.side_bar() => beside,
            _ => self.keyboard_room,
        };
        let row = if room >= staff::PAD_ROW as f32 {
            staff::PAD_ROW
        } else {
            staff::NARROW_PAD_ROW
        };
        let ok = self.t(match self.session.screen {
            Screen::StaffHome => "staff-lookup",
            Screen::StaffSent => "staff-sent-save",
            _ => "lookup-check",
        });
        staff::reference_pad(row)
            .into_iter()
            .map(|row| {
                let mut keys: Vec<Key> = row
                    .into_iter()
                    .flat_map(|k| {
                        if k == staff::pad::BACKSPACE {
                            // "Check" closes the last row, as Continue closes the keyboard.
                            // "Delete" in words, as on the resident's keyboard (WCAG 2.5.3).
                            vec![
                                Key::worded(self.t("lookup-delete"), &k, 1.0),
                                Key::worded(ok.clone(), staff::pad::OK, 2.0),
                            ]
                        } else {
                            vec![Key {
                                label: k.clone(),
                                value: k.clone(),
                                width: 1.0,
                                accessible: k,
                                short: String::new(),
                            }]
                        }
                    })
                    .collect();
                // Reference characters read left to right in every language; only "delete"
                // and "Check" move to the reading end.
                if self.rtl()
                    && let Some(i) = keys.iter().position(|k| k.value == staff::pad::BACKSPACE)
                {
                    let tail: Vec<Key> = keys.drain(i..).rev().collect();
                    keys.splice(0..0, tail);
                }
                keys
            })
            .collect()
    }
}
