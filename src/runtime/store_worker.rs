//! The kiosk's own database thread: saves submissions (assisted ones with the staff name),
//! records help requests and hands them to the help notifier, records ended sessions for the
//! statistics, without ever blocking the Slint event loop, and reads catalogues for the UI after
//! sync stored new ones. It is the touchscreen's [`Backend`]; results come back as
//! [`UiEvent`]s.
//!
//! Each save failure is told with the message that fits its cause: a full disk, a store that
//! could not be opened at all (missing data key, unreadable file), or any other failure.

use std::collections::BTreeMap;
use std::sync::mpsc::{Sender, channel};

use crate::catalog::Catalog;
use crate::flow::{SaveOutcome, SessionEnd, SessionSummary, StaffRequest};
use crate::queue::{
    HelpNotify, SessionOutcome, SessionRecord, Store, StoreError, StoreLocation, SubmissionMarks,
};
use crate::staff::DeskSettings;
use crate::sync::HelpNotifier;
use crate::ui::{Assist, Backend, UiEvent};
use crate::validate::ValidForm;

/// Key in `kiosk_state` set when a resident last asked for help (`status`'s
/// `help_requested_at`, the `guichet_help_requested_timestamp_seconds` metric); the requests
/// themselves are rows of `help_requests`.
pub const HELP_REQUESTED_KEY: &str = "help_requested_at";

enum Job {
    Save(Box<ValidForm>, SubmissionMarks),
    Staff(StaffRequest),
    RequestHelp(String),
    SessionEnded(SessionSummary),
    ReloadCatalogs(Vec<String>),
}

/// Handle to the database thread. Dropping it lets the thread finish the jobs already sent (a
/// resident's save in particular) and waits for it: a kiosk stopped by systemd never leaves a
/// save half done behind a "saved" screen.
pub struct StoreWorker {
    jobs: Sender<Job>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for StoreWorker {
    fn drop(&mut self) {
        // Closing the channel ends the thread's loop once the queued jobs are done.
        drop(std::mem::replace(&mut self.jobs, channel().0));
        if let Some(thread) = self.thread.take()
            && thread.thread().id() != std::thread::current().id()
        {
            let _ = thread.join();
        }
    }
}

/// Called after a submission is durably saved, with its reference (e.g. to wake the printer).
pub type OnSaved = Box<dyn Fn(&str) + Send>;

/// The message a resident sees when a save failed for this reason.
pub fn save_failure_message(e: &StoreError) -> &'static str {
    match e {
        StoreError::DiskFull(_) => "error-disk-full",
        StoreError::DataDir { .. }
        | StoreError::Key(_)
        | StoreError::Migration(_)
        | StoreError::Schema(_) => "error-store-unavailable",
        _ => "error-save-failed",
    }
}

/// Every language's catalogue from the store (languages without one are left out).
pub fn load_catalogs(
    store: &Store,
    languages: &[String],
) -> Result<BTreeMap<String, Catalog>, StoreError> {
    let mut catalogs = BTreeMap::new();
    for locale in languages {
        if let Some(c) = store.catalog_for(locale)? {
            catalogs.insert(locale.clone(), c);
        }
    }
    Ok(catalogs)
}

impl StoreWorker {
    /// Starts the thread. It opens its own connection to the store at `location`.
    /// No printer and no council are assumed (the staff desk's health says so); the kiosk
    /// passes its configuration's [`DeskSettings`] to [`StoreWorker::spawn_with_help`].
    pub fn spawn(
        location: StoreLocation,
        device_code: String,
        events: Sender<UiEvent>,
        on_saved: OnSaved,
    ) -> StoreWorker {
        let settings = DeskSettings {
            device_code,
            central_configured: false,
            printer_configured: false,
        };
        StoreWorker::spawn_with_help(location, settings, events, on_saved, None)
    }

    /// [`StoreWorker::spawn`] with what the configuration has (`settings`: the device code, a
    /// council, a printer; `DeskSettings::from_config`) and the help notifier (`None`: no
    /// `[help] notify_url`, so a resident asking for help is sent to the desk at once).
    pub fn spawn_with_help(
        location: StoreLocation,
        settings: DeskSettings,
        events: Sender<UiEvent>,
        on_saved: OnSaved,
        help: Option<HelpNotifier>,
    ) -> StoreWorker {
        let (jobs, inbox) = channel::<Job>();
        let thread = std::thread::Builder::new()
            .name("guichet-store".into())
            .spawn(move || {
                let mut store = Store::open_at(&location);
                // The staff member signed in at the PIN pad, if any: only this thread holds it.
                let device_code = settings.device_code.clone();
                let mut staff = super::staff_jobs::StaffState::new(settings);
                for job in inbox {
                    let store = match &mut store {
                        Ok(s) => s,
                        Err(e) => {
                            tracing::error!("database unavailable: {e}");
                            match job {
                                Job::Save(mut form, _) => {
                                    crate::flow::scrub_valid_form(&mut form);
                                    let message = save_failure_message(e);
                                    let _ =
                                        events.send(UiEvent::Saved(SaveOutcome::Failed(message)));
                                }
                                Job::RequestHelp(_) => {
                                    let _ = events.send(UiEvent::HelpAnswer { delivered: false });
                                }
                                _ => {}
                            }
                            continue;
                        }
                    };
                    if let Job::Staff(request) = job {
                        staff.run(store, request, &events, &on_saved);
                        continue;
                    }
                    run_job(store, job, &device_code, &events, &on_saved, help.as_ref());
                }
            })
            .map_err(|e| tracing::error!("cannot start the database thread: {e}"))
            .ok();
        StoreWorker { jobs, thread }
    }

    /// Reads the catalogues of `languages` again (sync stored a new one); they arrive as
    /// [`UiEvent::Catalogs`]. Read on this thread: the UI thread never touches the database.
    pub fn reload_catalogs(&self, languages: Vec<String>) {
        let _ = self.jobs.send(Job::ReloadCatalogs(languages));
    }
}

/// The stored form of an ended session: its end is now, its start `duration_s` before.
pub fn session_record(summary: &SessionSummary, now: time::OffsetDateTime) -> SessionRecord {
    let started = now - time::Duration::seconds(i64::from(summary.duration_s));
    SessionRecord {
        started_at: crate::clock::rfc3339(started),
        ended_at: crate::clock::rfc3339(now),
        locale: summary.locale.clone(),
        service_code: summary.service_code.clone(),
        assisted: summary.assisted,
        practice: summary.practice,
        outcome: match summary.outcome {
            SessionEnd::Completed => SessionOutcome::Completed,
            SessionEnd::Abandoned => SessionOutcome::Abandoned,
            SessionEnd::TimedOut => SessionOutcome::TimedOut,
        },
        step: summary.step,
        duration_s: u64::from(summary.duration_s),
    }
}

fn run_job(
    store: &mut Store,
    job: Job,
    device_code: &str,
    events: &Sender<UiEvent>,
    on_saved: &OnSaved,
    help: Option<&HelpNotifier>,
) {
    match job {
        // Done by the thread's `StaffState` before this is called.
        Job::Staff(_) => {}
        Job::Save(mut form, marks) => {
            let outcome = match store.enqueue_marked(device_code, &form, &marks) {
                Ok(reference) => {
                    tracing::info!(reference = %reference, service = %form.service_code, "submission saved");
                    on_saved(reference.as_str());
                    SaveOutcome::Saved(reference.to_string())
                }
                Err(e) => {
                    // Never log the form: it holds the resident's personal data.
                    tracing::error!("submission not saved: {e}");
                    SaveOutcome::Failed(save_failure_message(&e))
                }
            };
            // The form now lives only in the database: clear this copy.
            crate::flow::scrub_valid_form(&mut form);
            let _ = events.send(UiEvent::Saved(outcome));
        }
        Job::RequestHelp(locale) => {
            if let Err(e) = store.set_state_value(HELP_REQUESTED_KEY, &crate::queue::now_rfc3339())
            {
                tracing::error!("could not raise the help flag: {e}");
            }
            let notify = if help.is_some() {
                HelpNotify::Pending
            } else {
                HelpNotify::Unconfigured
            };
            match (store.insert_help_request(&locale, notify), help) {
                // The notifier tells the UI whether it reached staff.
                (Ok(id), Some(notifier)) => notifier.notify(id),
                (Ok(id), None) => {
                    tracing::warn!(
                        "help request {id}: no [help] notify_url, the resident is sent to the desk"
                    );
                    let _ = events.send(UiEvent::HelpAnswer { delivered: false });
                }
                (Err(e), _) => {
                    tracing::error!("help request not saved: {e}");
                    let _ = events.send(UiEvent::HelpAnswer { delivered: false });
                }
            }
        }
        Job::SessionEnded(summary) => {
            let record = session_record(&summary, time::OffsetDateTime::now_utc());
            if let Err(e) = store.record_session(&record) {
                tracing::warn!("session statistics not recorded: {e}");
            }
        }
        Job::ReloadCatalogs(languages) => match load_catalogs(store, &languages) {
            Ok(catalogs) if !catalogs.is_empty() => {
                let _ = events.send(UiEvent::Catalogs(catalogs));
            }
            Ok(_) => {}
            Err(e) => tracing::warn!("new catalogue not loaded into the kiosk: {e}"),
        },
    }
}

impl Backend for StoreWorker {
    fn save(&self, form: ValidForm) {
        let _ = self
            .jobs
            .send(Job::Save(Box::new(form), SubmissionMarks::default()));
    }

    fn request_help(&self) {
        let _ = self.jobs.send(Job::RequestHelp(String::new()));
    }

    fn request_help_in(&self, locale: &str) {
        // A language code from the flow's own list: bounded and never personal.
        let locale: String = locale.chars().take(16).collect();
        let _ = self.jobs.send(Job::RequestHelp(locale));
    }

    fn save_assisted(&self, form: ValidForm, assist: Assist) {
        let marks = SubmissionMarks {
            assisted_by: Some(assist.staff),
            practice: assist.practice,
        };
        let _ = self.jobs.send(Job::Save(Box::new(form), marks));
    }

    fn session_ended(&self, summary: SessionSummary) {
        let _ = self.jobs.send(Job::SessionEnded(summary));
    }

    fn staff(&self, request: StaffRequest) {
        let _ = self.jobs.send(Job::Staff(request));
    }

    fn touched(&self) {
        super::ops_metrics::interaction();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_save_failure_gets_the_message_that_fits_its_cause() {
        let full = StoreError::DiskFull("/var/lib/guichet".into());
        assert_eq!(save_failure_message(&full), "error-disk-full");
        let dir = crate::fsutil::test_dir("save-failure");
        // A store whose key file is not a key cannot be opened at all.
        std::fs::write(dir.join("guichet.key"), "not a key\n").unwrap();
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(
                dir.join("guichet.key"),
                std::fs::Permissions::from_mode(0o600),
            )
            .unwrap();
        }
        let err = Store::open(&dir)
            .err()
            .expect("a bad key file refuses the store");
        assert_eq!(save_failure_message(&err), "error-store-unavailable");
        let wrong = StoreError::WrongState {
            reference: "LIB2-00001-A".into(),
            state: "accepted",
            what: "test",
        };
        assert_eq!(save_failure_message(&wrong), "error-save-failed");
        let tr = crate::i18n::Translations::load().unwrap();
        for id in [
            "error-disk-full",
            "error-store-unavailable",
            "error-save-failed",
        ] {
            let en = tr.text("en", id);
            assert!(!en.is_empty() && en != id, "{id}");
        }
    }
}
