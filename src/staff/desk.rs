//! The [`Desk`]: every staff action over the store, each audited with the staff member's name.
//! It borrows a [`Store`] so the kiosk's database thread (or a CLI command) keeps its own.

use serde::Serialize;
use time::OffsetDateTime;

use super::lockout::LockoutPolicy;
use super::{NAME_MAX_CHARS, StaffError, pin};
use crate::config::Config;
use crate::queue::{
    HelpRequest, LookupRow, Resolution, ReviewKind, State, Store, StoreError, SubmissionMarks,
};
use crate::reference::Reference;
use crate::validate::ValidForm;

/// What the desk needs to know about the kiosk (from the configuration).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DeskSettings {
    /// `device.code`: the prefix of references this kiosk issues.
    pub device_code: String,
    /// `central.kind = "open311"`.
    pub central_configured: bool,
    /// `printer.port` is not `none`.
    pub printer_configured: bool,
}

impl DeskSettings {
    /// The settings of `config`.
    pub fn from_config(config: &Config) -> DeskSettings {
        DeskSettings {
            device_code: config.device.code.clone(),
            central_configured: config.has_central(),
            printer_configured: config.printer.port != "none",
        }
    }
}

/// A member of staff signed in at the PIN pad. Ends with [`Desk::lock`]; the touchscreen also
/// ends it on its own idle timeout and never lets it survive into a resident's session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffSession {
    name: String,
    started_at: OffsetDateTime,
    practice: bool,
}

impl StaffSession {
    /// The staff member's name (audit actor, "Assisted by NAME").
    pub fn name(&self) -> &str {
        &self.name
    }

    /// When the PIN was accepted.
    pub fn started_at(&self) -> OffsetDateTime {
        self.started_at
    }

    /// Whether training mode is on: submissions are practice, never sent.
    pub fn practice(&self) -> bool {
        self.practice
    }

    /// A session for `name` without the PIN pad (the CLI acts as a named technician).
    pub fn for_cli(name: &str) -> StaffSession {
        StaffSession {
            name: name.to_string(),
            started_at: OffsetDateTime::now_utc(),
            practice: false,
        }
    }
}

/// What the PIN pad learns from a PIN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PinCheck {
    /// The PIN of this member of staff: a staff session starts.
    Staff(StaffSession),
    /// Not a staff PIN; this many more before entry is locked.
    Wrong {
        /// Wrong PINs left before the next lock.
        attempts_left: u32,
    },
    /// Entry is locked (the PIN was not even compared) until then.
    Locked {
        /// RFC 3339.
        until: String,
        /// Seconds left, rounded up.
        seconds_left: u64,
    },
}

/// A submission as a look-up shows it: local state, the council's last reported status and
/// when. Nothing personal: no answers, address, contact or the server's words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RequestStatus {
    /// `CODE-NNNNN-C`.
    pub reference: String,
    /// The state on the kiosk (`pending`, `review`, `accepted`, `rejected`, `cancelled`,
    /// `practice`).
    pub state: State,
    /// Service code.
    pub service_code: String,
    /// The resident's language.
    pub locale: String,
    /// When it was submitted (RFC 3339).
    pub created_at: String,
    /// The council's id once accepted.
    pub remote_id: Option<String>,
    /// The last status the council reported (`open`, `closed`, ...), if any.
    pub remote_status: Option<String>,
    /// When the kiosk last fetched that status (RFC 3339).
    pub reported_at: Option<String>,
}

impl From<LookupRow> for RequestStatus {
    fn from(r: LookupRow) -> Self {
        RequestStatus {
            reference: r.reference,
            state: r.state,
            service_code: r.service_code,
            locale: r.locale,
            created_at: r.created_at,
            remote_id: r.remote_id,
            remote_status: r.remote_status,
            reported_at: r.remote_status_at,
        }
    }
}

/// One item of the staff's review or rejected list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProblemItem {
    /// The look-up facts.
    pub status: RequestStatus,
    /// Guichet's one-line reason (why it is in review, or that the server refused it), for
    /// technicians.
    pub reason: Option<String>,
    /// In review only: which case, as recorded when it was put there (what the desk names).
    pub review_kind: Option<ReviewKind>,
    /// The server's own words about a refusal (opened from its sealed copy): shown to staff
    /// only, never logged.
    pub server_says: Option<String>,
    /// Who helped the resident, if anyone.
    pub assisted_by: Option<String>,
}

/// The kiosk's health as the staff home shows it, from the stored facts (no network, no
/// printer query: the last round's and the last print attempt's findings).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct KioskHealth {
    /// A central system is configured.
    pub central_configured: bool,
    /// `online`, `offline` or `captive_portal` (what the last sync round found).
    pub link: String,
    /// The last round reached the council.
    pub online: bool,
    /// The last round met a Wi-Fi login page instead of the council.
    pub captive_portal: bool,
    /// The last round that reached the council (RFC 3339).
    pub last_sync_at: Option<String>,
    /// The last round, successful or not (RFC 3339).
    pub last_checked_at: Option<String>,
    /// The last round's problem, one line (`None`: it went well).
    pub last_error: Option<String>,
    /// Something staff must act on (a refused key, a surge of refusals).
    pub alert: Option<String>,
    /// Submissions waiting to be sent.
    pub pending: u64,
    /// Submissions whose delivery staff must decide.
    pub review: u64,
    /// Submissions the council refused.
    pub rejected: u64,
    /// A printer is configured.
    pub printer_configured: bool,
    /// Receipts waiting to print.
    pub print_queue: u64,
    /// The failure code the newest waiting receipt met (`paper_out`, `cover_open`,
    /// `not_connected`, `offline`, `error`), if any.
    pub printer_problem: Option<String>,
    /// The printer said it is out of paper.
    pub paper_out: bool,
    /// The printer said its cover is open.
    pub cover_open: bool,
    /// Help requests not yet marked done.
    pub help_open: u64,
}

/// `kiosk_state` keys written by sync (`sync::connectivity::keys`; this layer cannot import
/// it, a unit test checks they agree).
mod sync_keys {
    pub const LINK: &str = "sync.link";
    pub const LAST_SUCCESS_AT: &str = "sync.last_success_at";
    pub const LAST_CHECKED_AT: &str = "sync.last_checked_at";
    pub const LAST_ERROR: &str = "sync.last_error";
    pub const ALERT: &str = "sync.alert";
}

/// Longest text a look-up reads (a scanned status URL, a typed reference).
const LOOKUP_MAX_BYTES: usize = 2048;

/// The reference in what was typed or scanned: the bare reference (case and spaces forgiven),
/// or any text holding one, such as the receipt QR's status URL
/// (`https://council.example/track/LIB2-00042-7`). Only a reference whose check character
/// verifies is found.
pub fn find_reference(typed: &str) -> Option<Reference> {
    if typed.len() > LOOKUP_MAX_BYTES {
        return None;
    }
    if let Ok(r) = Reference::parse(typed) {
        return Some(r);
    }
    typed
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .filter(|t| !t.is_empty())
        .find_map(|token| {
            // A token may carry more around the reference (`ref=LIB2-00042-7-x` is not one, but
            // `/track/LIB2-00042-7` splits cleanly); try its three-part windows too.
            if let Ok(r) = Reference::parse(token) {
                return Some(r);
            }
            let parts: Vec<&str> = token.split('-').collect();
            parts
                .windows(3)
                .find_map(|w| Reference::parse(&w.join("-")).ok())
        })
}

fn valid_name(name: &str) -> Option<String> {
    let name = name.trim();
    let ok = !name.is_empty()
        && name.chars().count() <= NAME_MAX_CHARS
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, ' ' | '.' | '-' | '_' | '\''));
    ok.then(|| name.to_string())
}

/// Every staff action, over a borrowed store.
pub struct Desk<'s> {
    store: &'s mut Store,
    settings: DeskSettings,
    policy: LockoutPolicy,
}

impl<'s> Desk<'s> {
    /// A desk over `store`.
    pub fn new(store: &'s mut Store, settings: DeskSettings) -> Desk<'s> {
        Desk {
            store,
            settings,
            policy: LockoutPolicy::default(),
        }
    }

    /// The same desk with another lockout policy (tests use short locks).
    pub fn with_policy(mut self, policy: LockoutPolicy) -> Desk<'s> {
        self.policy = policy;
        self
    }

    /// The store underneath.
    pub fn store(&mut self) -> &mut Store {
        self.store
    }

    // -----------------------------------------------------------------------------------------
    // Accounts (`guichet staff add|list|remove`)

    /// Adds an account. The PIN (6 to 12 digits) must differ from every other account's: the
    /// PIN pad tells staff apart by PIN alone. Audited with `actor` (never the PIN).
    pub fn add_staff(&mut self, name: &str, pin: &str, actor: &str) -> Result<(), StaffError> {
        let name = valid_name(name).ok_or_else(|| StaffError::BadName(name.to_string()))?;
        let pin = pin::normalise(pin)?;
        if self.store.staff_exists(&name)? {
            return Err(StaffError::Exists(name));
        }
        for (_, stored) in self.store.staff_pin_hashes()? {
            if pin::matches(&pin, &stored) {
                return Err(StaffError::PinInUse);
            }
        }
        let hash = pin::hash(&pin)?;
        self.store.insert_staff(&name, &hash, actor)?;
        Ok(())
    }

    /// Every account, by name (never a hash).
    pub fn list_staff(&self) -> Result<Vec<super::StaffAccount>, StaffError> {
        Ok(self.store.staff_accounts()?)
    }

    /// Removes an account, audited with `actor`.
    pub fn remove_staff(&mut self, name: &str, actor: &str) -> Result<(), StaffError> {
        if self.store.delete_staff(name.trim(), actor)? {
            Ok(())
        } else {
            Err(StaffError::NoSuchStaff(name.trim().to_string()))
        }
    }

    // -----------------------------------------------------------------------------------------
    // The way in

    /// Checks a PIN from the PIN pad. While entry is locked the PIN is not compared. A wrong
    /// PIN counts towards the next lock; the fifth in a row locks entry (30 s, doubling, at
    /// most 1 h). A right one clears the count and starts a [`StaffSession`]. Every outcome is
    /// audited (never the PIN).
    pub fn verify_pin(&mut self, pin: &str) -> Result<PinCheck, StaffError> {
        self.verify_pin_at(pin, OffsetDateTime::now_utc())
    }

    /// [`Desk::verify_pin`] at a given time (tests).
    pub fn verify_pin_at(
        &mut self,
        typed: &str,
        now: OffsetDateTime,
    ) -> Result<PinCheck, StaffError> {
        let row = self.store.pin_lockout()?;
        if let Some(until) = self.policy.locked_until(&row, now) {
            return Ok(locked(until, now));
        }
        let found = match pin::normalise(typed) {
            Ok(pin) => self
                .store
                .staff_pin_hashes()?
                .into_iter()
                .find(|(_, stored)| pin::matches(&pin, stored))
                .map(|(name, _)| name),
            Err(_) => None,
        };
        if let Some(name) = found {
            let cleared = crate::queue::LockoutRow::default();
            let detail = if row.failures > 0 {
                format!("after {} wrong PIN(s)", row.failures)
            } else {
                String::new()
            };
            self.store
                .set_pin_lockout(&cleared, Some((&name, "staff.sign-in", &detail)))?;
            return Ok(PinCheck::Staff(StaffSession {
                name,
                started_at: now,
                practice: false,
            }));
        }
        let next = self.policy.after_failure(&row, now);
        match self.policy.locked_until(&next, now) {
            Some(until) if next.locks > row.locks => {
                let detail = format!(
                    "{} wrong PINs in a row: entry locked until {}",
                    next.failures,
                    crate::clock::rfc3339(until)
                );
                self.store
                    .set_pin_lockout(&next, Some(("kiosk", "staff.pin-locked", &detail)))?;
                Ok(locked(until, now))
            }
            _ => {
                let detail = format!("{} wrong PIN(s) in a row", next.failures);
                self.store
                    .set_pin_lockout(&next, Some(("kiosk", "staff.pin-wrong", &detail)))?;
                Ok(PinCheck::Wrong {
                    attempts_left: self.policy.attempts_left(&next),
                })
            }
        }
    }

    /// When PIN entry is locked, until when (RFC 3339).
    pub fn locked_until(&self) -> Result<Option<String>, StaffError> {
        let row = self.store.pin_lockout()?;
        Ok(self
            .policy
            .locked_until(&row, OffsetDateTime::now_utc())
            .map(crate::clock::rfc3339))
    }

    /// Ends a staff session ("Lock", the staff idle timeout): practice submissions are erased
    /// and the end is audited. Returns how many practice submissions were erased.
    pub fn lock(&mut self, session: StaffSession) -> Result<u64, StaffError> {
        let erased = self.store.delete_practice(session.name())?;
        let minutes = (OffsetDateTime::now_utc() - session.started_at).whole_minutes();
        self.store.audit(
            session.name(),
            "staff.lock",
            None,
            &format!("staff session of {minutes} min ended"),
        )?;
        Ok(erased)
    }

    // -----------------------------------------------------------------------------------------
    // Training mode

    /// Turns training mode on: submissions made in this session are practice (marked on every
    /// receipt, never sent, erased at the end). Audited.
    pub fn start_training(&mut self, session: &mut StaffSession) -> Result<(), StaffError> {
        session.practice = true;
        self.store
            .audit(session.name(), "staff.training-start", None, "")?;
        Ok(())
    }

    /// Turns training mode off and erases the practice submissions. Returns how many.
    pub fn end_training(&mut self, session: &mut StaffSession) -> Result<u64, StaffError> {
        session.practice = false;
        let erased = self.store.delete_practice(session.name())?;
        self.store.audit(
            session.name(),
            "staff.training-end",
            None,
            &format!("{erased} practice submission(s) erased"),
        )?;
        Ok(erased)
    }

    // -----------------------------------------------------------------------------------------
    // Helping a visitor

    /// Saves a form the visitor confirmed with staff beside them: "Assisted by NAME" is stored,
    /// printed and audited with the reference, in the enqueue's own transaction; in training
    /// mode it is a practice submission, never sent.
    pub fn submit_assisted(
        &mut self,
        session: &StaffSession,
        form: &ValidForm,
    ) -> Result<Reference, StaffError> {
        let marks = SubmissionMarks {
            assisted_by: Some(session.name().to_string()),
            practice: session.practice,
        };
        Ok(self
            .store
            .enqueue_marked(&self.settings.device_code, form, &marks)?)
    }

    // -----------------------------------------------------------------------------------------
    // Look-up

    /// Looks a request up by what was typed or scanned (a reference, or the receipt QR's status
    /// URL holding one). Audited (a look-up is a staff action).
    pub fn lookup(
        &mut self,
        session: &StaffSession,
        typed: &str,
    ) -> Result<RequestStatus, StaffError> {
        let status = self.check_request(typed)?;
        self.store
            .audit(session.name(), "staff.lookup", Some(&status.reference), "")?;
        Ok(status)
    }

    /// A resident's "Check a request": the same look-up without a staff session and without an
    /// audit line. Only states and dates: never anything personal.
    pub fn check_request(&self, typed: &str) -> Result<RequestStatus, StaffError> {
        let reference = find_reference(typed)
            .ok_or_else(|| StaffError::NotAReference(typed.chars().take(60).collect::<String>()))?;
        self.store
            .lookup_row(reference.as_str())?
            .map(RequestStatus::from)
            .ok_or_else(|| StoreError::NotFound(reference.to_string()).into())
    }

    /// Queues a reprint of the receipt (printed as a copy by the printer worker, which picks
    /// pending jobs up on its own). Audited. Returns the print job's id.
    pub fn reprint(&mut self, session: &StaffSession, reference: &str) -> Result<i64, StaffError> {
        let reference = find_reference(reference)
            .ok_or_else(|| StaffError::NotAReference(reference.chars().take(60).collect()))?;
        Ok(self
            .store
            .request_reprint(reference.as_str(), session.name())?)
    }

    // -----------------------------------------------------------------------------------------
    // The kiosk's health

    /// The kiosk's health from the stored facts.
    pub fn health(&self) -> Result<KioskHealth, StaffError> {
        let value = |key: &str| -> Result<Option<String>, StoreError> {
            Ok(self.store.state_value(key)?.filter(|v| !v.is_empty()))
        };
        let link = value(sync_keys::LINK)?.unwrap_or_else(|| "offline".into());
        let jobs = self.store.pending_print_jobs()?;
        let printer_problem = jobs
            .iter()
            .rev()
            .find_map(|j| j.last_error.as_deref())
            .and_then(|e| e.split(':').next())
            .filter(|code| !code.is_empty() && code.len() <= 32 && !code.contains(' '))
            .map(str::to_string);
        Ok(KioskHealth {
            central_configured: self.settings.central_configured,
            online: self.settings.central_configured && link == "online",
            captive_portal: link == "captive_portal",
            link,
            last_sync_at: value(sync_keys::LAST_SUCCESS_AT)?,
            last_checked_at: value(sync_keys::LAST_CHECKED_AT)?,
            last_error: value(sync_keys::LAST_ERROR)?,
            alert: value(sync_keys::ALERT)?,
            pending: self.store.count(State::Pending)?,
            review: self.store.count(State::Review)?,
            rejected: self.store.count(State::Rejected)?,
            printer_configured: self.settings.printer_configured,
            print_queue: jobs.len() as u64,
            paper_out: printer_problem.as_deref() == Some("paper_out"),
            cover_open: printer_problem.as_deref() == Some("cover_open"),
            printer_problem,
            help_open: self.store.help_counts()?.open,
        })
    }

    // -----------------------------------------------------------------------------------------
    // Review and rejected

    /// Submissions in review (delivery undecided), newest first, with the reason.
    pub fn review_list(&self) -> Result<Vec<ProblemItem>, StaffError> {
        self.problems(State::Review)
    }

    /// Submissions the council refused, newest first, with the server's reason.
    pub fn rejected_list(&self) -> Result<Vec<ProblemItem>, StaffError> {
        self.problems(State::Rejected)
    }

    fn problems(&self, state: State) -> Result<Vec<ProblemItem>, StaffError> {
        let rows = self.store.lookup_rows_in(state)?;
        Ok(rows.into_iter().map(|row| self.problem_of(row)).collect())
    }

    /// One submission's row as the review and rejected lists show it (its reason and the
    /// server's words), whatever its state. The staff look-up uses it so it says why exactly
    /// as the lists do.
    pub fn problem_of(&self, row: LookupRow) -> ProblemItem {
        let server_says = match self.store.server_text(&row.reference) {
            Ok(text) => text,
            Err(e) => {
                tracing::warn!(reference = %row.reference, "server's reason unreadable: {e}");
                None
            }
        };
        ProblemItem {
            reason: row.reason.clone(),
            review_kind: row.review_kind,
            assisted_by: row.assisted_by.clone(),
            server_says,
            status: RequestStatus::from(row),
        }
    }

    /// Resolves a submission in review: it is on the server (with its id), or send it again.
    pub fn resolve(
        &mut self,
        session: &StaffSession,
        reference: &str,
        resolution: &Resolution,
    ) -> Result<(), StaffError> {
        Ok(self.store.resolve(reference, resolution, session.name())?)
    }

    /// Re-files a rejected submission under another service with `form` (validated by the
    /// caller against that service, e.g. the flow's own validation or `submit::revalidate`),
    /// back to pending.
    pub fn refile(
        &mut self,
        session: &StaffSession,
        reference: &str,
        form: &ValidForm,
    ) -> Result<(), StaffError> {
        Ok(self.store.refile(reference, form, session.name())?)
    }

    /// The form of a rejected submission, to correct it before re-filing (audited: staff see a
    /// resident's answers). `None` once its personal data was erased.
    pub fn form_for_refile(
        &mut self,
        session: &StaffSession,
        reference: &str,
    ) -> Result<Option<ValidForm>, StaffError> {
        let submission = self.store.get(reference)?;
        if submission.state != State::Rejected {
            return Err(StoreError::WrongState {
                reference: reference.to_string(),
                state: submission.state.as_str(),
                what: "only a rejected submission can be re-filed",
            }
            .into());
        }
        self.store
            .audit(session.name(), "staff.open-for-refile", Some(reference), "")?;
        Ok(submission.form)
    }

    /// Cancels a pending (not being delivered), review or rejected submission: its personal
    /// data is erased, it stays as `cancelled` with an audit line, and is never sent.
    pub fn cancel(&mut self, session: &StaffSession, reference: &str) -> Result<(), StaffError> {
        Ok(self.store.cancel_submission(reference, session.name())?)
    }

    // -----------------------------------------------------------------------------------------
    // Help requests

    /// Help requests not yet marked done, oldest first.
    pub fn open_help_requests(&self) -> Result<Vec<HelpRequest>, StaffError> {
        Ok(self.store.open_help_requests()?)
    }

    /// Marks a help request done (who and when are recorded and audited).
    pub fn help_done(&mut self, session: &StaffSession, id: i64) -> Result<(), StaffError> {
        if self.store.finish_help_request(id, session.name())? {
            Ok(())
        } else {
            Err(StoreError::NotFound(format!("open help request {id}")).into())
        }
    }
}

fn locked(until: OffsetDateTime, now: OffsetDateTime) -> PinCheck {
    let left = (until - now).whole_milliseconds().max(0) as u64;
    PinCheck::Locked {
        until: crate::clock::rfc3339(until),
        seconds_left: left.div_ceil(1000),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sync_keys_agree_with_sync() {
        use crate::sync::connectivity::keys;
        assert_eq!(sync_keys::LINK, keys::LINK);
        assert_eq!(sync_keys::LAST_SUCCESS_AT, keys::LAST_SUCCESS_AT);
        assert_eq!(sync_keys::LAST_CHECKED_AT, keys::LAST_CHECKED_AT);
        assert_eq!(sync_keys::LAST_ERROR, keys::LAST_ERROR);
        assert_eq!(sync_keys::ALERT, keys::ALERT);
    }

    #[test]
    fn references_are_found_bare_or_inside_a_status_url() {
        let r = Reference::issue("LIB2", 42).unwrap();
        let s = r.as_str();
        assert_eq!(find_reference(s), Some(r.clone()));
        assert_eq!(
            find_reference(&format!("  {}\n", s.to_lowercase())),
            Some(r.clone())
        );
        assert_eq!(
            find_reference(&format!("https://council.example/track/{s}")),
            Some(r.clone())
        );
        assert_eq!(
            find_reference(&format!("https://council.example/track?ref={s}&x=1")),
            Some(r.clone())
        );
        assert_eq!(
            find_reference("https://council.example/track/LIB2-00042-Q"),
            None
        );
        assert_eq!(find_reference("hello"), None);
        assert_eq!(find_reference(&"A".repeat(5000)), None);
    }
}
