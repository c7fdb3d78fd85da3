//! The UI's own database thread: saves submissions and raises the help flag without ever
//! blocking the Slint event loop. Results come back as [`UiEvent`]s.

use std::path::PathBuf;
use std::sync::mpsc::{Sender, channel};

use super::controller::UiEvent;
use crate::flow::SaveOutcome;
use crate::queue::{Store, StoreError};
use crate::validate::ValidForm;

/// Key in `kiosk_state` set when a resident asked for help (assisted mode shows it).
pub const HELP_REQUESTED_KEY: &str = "help_requested_at";

enum Job {
    Save(Box<ValidForm>),
    RequestHelp,
}

/// Handle to the database thread.
pub struct StoreWorker {
    jobs: Sender<Job>,
}

/// Called after a submission is durably saved, with its reference (e.g. to wake the printer).
pub type OnSaved = Box<dyn Fn(&str) + Send>;

impl StoreWorker {
    /// Starts the thread. It opens its own connection to the database in `data_dir`.
    pub fn spawn(
        data_dir: PathBuf,
        device_code: String,
        events: Sender<UiEvent>,
        on_saved: OnSaved,
    ) -> StoreWorker {
        let (jobs, inbox) = channel::<Job>();
        std::thread::Builder::new()
            .name("guichet-store".into())
            .spawn(move || {
                let mut store = Store::open(&data_dir);
                for job in inbox {
                    let store = match &mut store {
                        Ok(s) => s,
                        Err(e) => {
                            tracing::error!("database unavailable: {e}");
                            if matches!(job, Job::Save(_)) {
                                let _ = events.send(UiEvent::Saved(SaveOutcome::Failed("error-disk-full")));
                            }
                            continue;
                        }
                    };
                    match job {
                        Job::Save(mut form) => {
                            let outcome = match store.enqueue(&device_code, &form, None) {
                                Ok(reference) => {
                                    tracing::info!(reference = %reference, service = %form.service_code, "submission saved");
                                    on_saved(reference.as_str());
                                    SaveOutcome::Saved(reference.to_string())
                                }
                                Err(e) => {
                                    // Never log the form: it holds the resident's personal data.
                                    tracing::error!("submission not saved: {e}");
                                    SaveOutcome::Failed(match e {
                                        StoreError::DiskFull(_) => "error-disk-full",
                                        _ => "error-disk-full",
                                    })
                                }
                            };
                            // The form now lives only in the database: clear this copy.
                            crate::flow::scrub_valid_form(&mut form);
                            let _ = events.send(UiEvent::Saved(outcome));
                        }
                        Job::RequestHelp => {
                            if let Err(e) = store.set_state_value(HELP_REQUESTED_KEY, &crate::queue::now_rfc3339()) {
                                tracing::error!("could not raise the help flag: {e}");
                            }
                        }
                    }
                }
            })
            .map(|_| ())
            .unwrap_or_else(|e| tracing::error!("cannot start the database thread: {e}"));
        StoreWorker { jobs }
    }

    /// A worker with no database behind it (screenshots): saves report failure at once.
    pub fn disconnected(events: Sender<UiEvent>) -> StoreWorker {
        let (jobs, inbox) = channel::<Job>();
        std::thread::Builder::new()
            .name("guichet-no-store".into())
            .spawn(move || {
                for job in inbox {
                    if matches!(job, Job::Save(_)) {
                        let _ = events.send(UiEvent::Saved(SaveOutcome::Failed("error-disk-full")));
                    }
                }
            })
            .map(|_| ())
            .unwrap_or_else(|e| tracing::error!("cannot start the worker thread: {e}"));
        StoreWorker { jobs }
    }

    /// Saves a validated submission; the outcome arrives as `UiEvent::Saved`.
    pub fn save(&self, form: ValidForm) {
        let _ = self.jobs.send(Job::Save(Box::new(form)));
    }

    /// Raises the "a resident asked for help" flag.
    pub fn request_help(&self) {
        let _ = self.jobs.send(Job::RequestHelp);
    }
}
