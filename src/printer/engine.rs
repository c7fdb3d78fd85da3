//! The synchronous printing engine: render a job's receipt, check the printer, send, check again,
//! record the outcome. The background worker and the CLI both drive this one piece of code.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use image::GrayImage;

use super::compose;
use super::profile::Profile;
use super::raster::TextRenderer;
use super::receipt::{self, Receipt, ReceiptFacts};
use super::status::{FailureReason, PrinterStatus};
use super::transport::{Destination, Link, Unavailable};
use crate::config::Config;
use crate::i18n::Translations;
use crate::queue::{JobState, PrintJob};
use crate::queue::{Store, StoreError, now_rfc3339};

/// A pending receipt older than this is given up: the resident has long gone, and a stack of old
/// receipts printing when the paper is changed would only confuse the next one. Staff can still
/// reprint on request.
pub const STALE_AFTER: Duration = Duration::from_secs(30 * 60);

/// How one job ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum PrintOutcome {
    /// On paper (or in the file sink).
    Printed,
    /// Not printed; the job stays pending and prints when the printer is ready again.
    Failed {
        /// Why, for the screen: "your reference is …, staff can reprint it".
        reason: FailureReason,
    },
    /// No printer is configured (`printer.port = "none"`).
    Skipped,
}

/// A job's outcome, as reported to the touchscreen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintEvent {
    /// The submission's reference.
    pub reference: String,
    /// What happened.
    pub outcome: PrintOutcome,
}

/// The engine could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    /// `printer.profile` names no known profile.
    #[error("unknown printer profile {name:?} (printer.profile): use one of {known}")]
    UnknownProfile {
        /// The configured name.
        name: String,
        /// The known names.
        known: String,
    },
    /// The bundled translations do not load (a build defect).
    #[error("{0}")]
    Translations(#[from] crate::i18n::I18nError),
}

/// Renders and prints receipts for one configuration.
pub struct Printer {
    config: Arc<Config>,
    destination: Destination,
    profile: &'static Profile,
    fonts: TextRenderer,
    translations: Translations,
    last_status: PrinterStatus,
    status_observer: Option<Box<dyn FnMut(PrinterStatus) + Send>>,
}

impl Printer {
    /// Sets up for `config`; receipt files (`file:` sink) go under `data_dir`.
    pub fn new(config: Arc<Config>, data_dir: PathBuf) -> Result<Printer, SetupError> {
        let profile =
            Profile::named(&config.printer.profile).ok_or_else(|| SetupError::UnknownProfile {
                name: config.printer.profile.clone(),
                known: Profile::names().join(", "),
            })?;
        Ok(Printer {
            destination: Destination::from_config(&config.printer, &data_dir),
            config,
            profile,
            fonts: TextRenderer::new(),
            translations: Translations::load()?,
            last_status: PrinterStatus::disconnected(),
            status_observer: None,
        })
    }

    /// The profile in use.
    pub fn profile(&self) -> &'static Profile {
        self.profile
    }

    /// Where receipts go.
    pub fn destination(&self) -> &Destination {
        &self.destination
    }

    /// Calls `observer` with every status seen, as soon as it is seen (before the events that
    /// follow from it), so a status shown next to an event is never older than the event.
    pub fn observe_status(&mut self, observer: impl FnMut(PrinterStatus) + Send + 'static) {
        self.status_observer = Some(Box::new(observer));
    }

    fn set_status(&mut self, status: PrinterStatus) {
        self.last_status = status;
        if let Some(observer) = &mut self.status_observer {
            observer(status);
        }
    }

    /// The status seen by the last check.
    pub fn last_status(&self) -> PrinterStatus {
        self.last_status
    }

    /// Asks the printer now (opens the port, queries, closes).
    pub fn status(&mut self) -> PrinterStatus {
        let status = match Link::open(&self.destination) {
            Ok(Some(mut link)) => link.status(),
            Ok(None) | Err(_) => PrinterStatus::disconnected(),
        };
        self.set_status(status);
        status
    }

    /// The receipt for `reference` as a document.
    pub fn receipt(
        &self,
        store: &Store,
        reference: &str,
        reprint: bool,
    ) -> Result<Receipt, StoreError> {
        let facts = ReceiptFacts::load(store, &self.config, reference, reprint)?;
        Ok(receipt::layout(&facts, &self.translations))
    }

    /// The exact bytes that would be sent for `reference`.
    pub fn receipt_bytes(
        &mut self,
        store: &Store,
        reference: &str,
        reprint: bool,
    ) -> Result<Vec<u8>, StoreError> {
        let doc = self.receipt(store, reference, reprint)?;
        Ok(compose::encode(&doc, self.profile, &mut self.fonts))
    }

    /// A picture of the receipt for `reference`, 1 pixel per printer dot.
    pub fn receipt_preview(
        &mut self,
        store: &Store,
        reference: &str,
    ) -> Result<GrayImage, StoreError> {
        let doc = self.receipt(store, reference, false)?;
        Ok(compose::preview(&doc, self.profile, &mut self.fonts))
    }

    /// Bytes of any document on this printer (used by `printer test` and the benchmark).
    pub fn encode(&mut self, doc: &Receipt) -> Vec<u8> {
        compose::encode(doc, self.profile, &mut self.fonts)
    }

    /// Prints the test page now.
    pub fn print_test_page(&mut self) -> Result<(), Unavailable> {
        let doc = receipt::test_page(self.profile, &self.config, &self.translations);
        let bytes = self.encode(&doc);
        let Some(mut link) = Link::open(&self.destination)? else {
            return Err(Unavailable {
                reason: FailureReason::NotConnected,
                detail: "no printer configured (printer.port = \"none\")".into(),
            });
        };
        self.check(&mut link)?;
        let name = format!("test-{}", now_rfc3339().replace(':', ""));
        link.send(&bytes, &name)?;
        self.check(&mut link)
    }

    fn check(&mut self, link: &mut Link) -> Result<(), Unavailable> {
        let status = link.status();
        self.set_status(status);
        match status.problem() {
            None => Ok(()),
            Some(reason) => Err(Unavailable {
                reason,
                detail: reason.describe().to_string(),
            }),
        }
    }

    /// Prints every pending job (oldest first), after giving up stale ones, reporting each
    /// outcome to `on_event`. A job that cannot print stays pending; only its *first* failure is
    /// recorded and reported, so a printer out of paper for an hour does not flood the database or
    /// the screen. Returns the printer's status at the end.
    pub fn print_pending(
        &mut self,
        store: &Store,
        on_event: &mut dyn FnMut(PrintEvent),
    ) -> Result<PrinterStatus, StoreError> {
        let cutoff = crate::clock::rfc3339(time::OffsetDateTime::now_utc() - STALE_AFTER);
        let expired = store.expire_print_jobs(&cutoff)?;
        if expired > 0 {
            tracing::warn!(
                expired,
                "gave up receipts not printed within {STALE_AFTER:?}"
            );
        }
        let jobs = store.pending_print_jobs()?;
        self.print_batch(store, &jobs, on_event)?;
        if jobs.is_empty() {
            self.status();
        }
        // For the fleet metrics: paper near its end, out, cover open, unreachable.
        if matches!(self.destination, Destination::Serial { .. }) {
            super::recorded::record(store, self.last_status)?;
        }
        Ok(self.last_status)
    }

    /// Prints one job now (the CLI's reprint), whatever its earlier attempts.
    pub fn print_job_now(
        &mut self,
        store: &Store,
        job_id: i64,
    ) -> Result<PrintOutcome, StoreError> {
        let Some(job) = store.print_job(job_id)? else {
            return Err(StoreError::NotFound(format!("print job {job_id}")));
        };
        let mut outcome = None;
        // A fresh attempt count makes the failure be recorded and reported even on a retry.
        let job = PrintJob { attempts: 0, ..job };
        self.print_batch(store, std::slice::from_ref(&job), &mut |e| {
            outcome = Some(e.outcome)
        })?;
        Ok(outcome.unwrap_or(PrintOutcome::Failed {
            reason: FailureReason::Error,
        }))
    }

    fn print_batch(
        &mut self,
        store: &Store,
        jobs: &[PrintJob],
        on_event: &mut dyn FnMut(PrintEvent),
    ) -> Result<(), StoreError> {
        if jobs.is_empty() {
            return Ok(());
        }
        let event = |job: &PrintJob, outcome| PrintEvent {
            reference: job.reference.clone(),
            outcome,
        };
        let mut link = match Link::open(&self.destination) {
            Ok(Some(link)) => link,
            Ok(None) => {
                self.set_status(PrinterStatus::disconnected());
                for job in jobs {
                    store.set_print_job_state(job.id, JobState::Skipped)?;
                    on_event(event(job, PrintOutcome::Skipped));
                }
                return Ok(());
            }
            Err(unavailable) => {
                tracing::info!("{unavailable}");
                self.set_status(PrinterStatus::disconnected());
                return self.fail_all(store, jobs, unavailable.reason, on_event);
            }
        };
        for (i, job) in jobs.iter().enumerate() {
            // Asked before every job: the previous one may have used up the paper.
            if let Err(unavailable) = self.check(&mut link) {
                return self.fail_all(store, &jobs[i..], unavailable.reason, on_event);
            }
            let bytes = match self.receipt_bytes(store, &job.reference, job.reprint) {
                Ok(bytes) => bytes,
                Err(e @ StoreError::Corrupt { .. }) => {
                    // A receipt that cannot be built never will be: give up on this job only.
                    tracing::error!(reference = %job.reference, "cannot build receipt: {e}");
                    store.finish_print_attempt(job.id, JobState::Failed, Some(&e.to_string()))?;
                    on_event(event(
                        job,
                        PrintOutcome::Failed {
                            reason: FailureReason::Error,
                        },
                    ));
                    continue;
                }
                Err(e) => return Err(e),
            };
            let name = format!("{}-{}", job.reference, job.id);
            let sent = link
                .send(&bytes, &name)
                .and_then(|()| self.check(&mut link));
            match sent {
                Ok(()) => {
                    store.finish_print_attempt(job.id, JobState::Printed, None)?;
                    on_event(event(job, PrintOutcome::Printed));
                }
                Err(unavailable) => {
                    tracing::warn!(reference = %job.reference, "receipt not printed: {unavailable}");
                    // This job reached the printer: record it even if it failed before.
                    self.record_failure(store, job, unavailable.reason)?;
                    on_event(event(
                        job,
                        PrintOutcome::Failed {
                            reason: unavailable.reason,
                        },
                    ));
                    return self.fail_all(store, &jobs[i + 1..], unavailable.reason, on_event);
                }
            }
        }
        Ok(())
    }

    /// Records and reports `reason` for jobs never tried before; jobs already reported wait
    /// quietly for the printer to come back.
    fn fail_all(
        &mut self,
        store: &Store,
        jobs: &[PrintJob],
        reason: FailureReason,
        on_event: &mut dyn FnMut(PrintEvent),
    ) -> Result<(), StoreError> {
        for job in jobs.iter().filter(|j| j.attempts == 0) {
            self.record_failure(store, job, reason)?;
            on_event(PrintEvent {
                reference: job.reference.clone(),
                outcome: PrintOutcome::Failed { reason },
            });
        }
        Ok(())
    }

    fn record_failure(
        &self,
        store: &Store,
        job: &PrintJob,
        reason: FailureReason,
    ) -> Result<(), StoreError> {
        let detail = format!("{}: {}", reason.code(), reason.describe());
        store.finish_print_attempt(job.id, JobState::Pending, Some(&detail))
    }
}
