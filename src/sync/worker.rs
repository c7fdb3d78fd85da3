//! The background worker: a std thread running its own single-threaded tokio runtime, going round
//! after round (pushing, reconciling, pulling) and telling the UI what it found.
//!
//! ```ignore
//! let worker = spawn_sync_worker(config.clone(), location, move |event| ui.show(event));
//! worker.sync_now(); // e.g. right after a submission is saved
//! drop(worker);      // stops and joins
//! ```

use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use tokio::sync::{Notify, watch};

use super::connectivity::{Connectivity, LinkState};
use super::engine::{RoundReport, SyncEngine, SyncTuning};
use crate::config::Config;
use crate::queue::{Store, StoreLocation};

/// What the worker tells the UI after every round (and once at start).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncEvent {
    /// Link state, last success, pending and rejected counts.
    pub connectivity: Connectivity,
    /// Submissions accepted during this round.
    pub sent: u64,
    /// Submissions refused during this round.
    pub rejected: u64,
    /// Whether this round stored a new catalogue (the UI should reload it).
    pub catalog_updated: bool,
}

/// How long a stop waits for the round in flight: under the kiosk unit's 10 s stop timeout, with
/// room for the other workers; the same grace as `guichet sync`.
pub const STOP_GRACE: Duration = Duration::from_secs(8);

/// Handle on the background worker. Dropping it stops the worker and joins the thread: a round
/// in flight is let finish (a POST gets its answer and its outcome is committed) for up to
/// [`STOP_GRACE`]; only past that is it abandoned, safely (its claims are reconciled at the next
/// round, never sent twice).
pub struct SyncWorker {
    wake: Arc<Notify>,
    stop: watch::Sender<bool>,
    thread: Option<JoinHandle<()>>,
}

impl SyncWorker {
    /// Starts a round now instead of waiting for the next one (e.g. after a submission).
    pub fn sync_now(&self) {
        self.wake.notify_one();
    }

    /// Stops the worker and waits for its thread.
    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        let _ = self.stop.send(true);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for SyncWorker {
    fn drop(&mut self) {
        self.shutdown();
    }
}

/// Starts the sync worker for `config` over the queue at `location`. With
/// `central.kind = "none"` it only reports offline and pending counts.
pub fn spawn_sync_worker(
    config: Arc<Config>,
    location: StoreLocation,
    on_event: impl Fn(SyncEvent) + Send + 'static,
) -> SyncWorker {
    let tuning = SyncTuning::for_config(&config);
    spawn_sync_worker_with(config, location, tuning, on_event)
}

/// [`spawn_sync_worker`] with explicit tuning (tests, benchmarks).
pub fn spawn_sync_worker_with(
    config: Arc<Config>,
    location: StoreLocation,
    tuning: SyncTuning,
    on_event: impl Fn(SyncEvent) + Send + 'static,
) -> SyncWorker {
    let wake = Arc::new(Notify::new());
    let (stop, stop_rx) = watch::channel(false);
    let thread_wake = wake.clone();
    let thread = std::thread::Builder::new()
        .name("guichet-sync".into())
        .spawn(move || {
            let runtime = match tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            {
                Ok(rt) => rt,
                Err(e) => {
                    tracing::error!("sync worker cannot start its runtime: {e}");
                    return;
                }
            };
            runtime.block_on(run(
                config,
                location,
                tuning,
                thread_wake,
                stop_rx,
                on_event,
            ));
        });
    let thread = match thread {
        Ok(t) => Some(t),
        Err(e) => {
            tracing::error!("sync worker thread cannot start: {e}");
            None
        }
    };
    SyncWorker { wake, stop, thread }
}

fn event(store: &Store, report: &RoundReport) -> Option<SyncEvent> {
    match Connectivity::load(store) {
        Ok(connectivity) => Some(SyncEvent {
            connectivity,
            sent: report.sent,
            rejected: report.rejected,
            catalog_updated: report.catalog_updated,
        }),
        Err(e) => {
            tracing::error!("sync worker cannot read the queue: {e}");
            None
        }
    }
}

/// How long to wait before the next round: at once when more is due, else until the earliest
/// scheduled retry, at most the round interval.
fn next_delay(engine: &SyncEngine, report: &RoundReport, interval: Duration) -> Duration {
    if report.more_due {
        return Duration::ZERO;
    }
    if report.link != LinkState::Online {
        return interval;
    }
    let next = engine
        .store()
        .next_due_at()
        .ok()
        .flatten()
        .and_then(|t| OffsetDateTime::parse(&t, &Rfc3339).ok());
    match next {
        Some(at) => {
            let wait = at - OffsetDateTime::now_utc();
            Duration::try_from(wait)
                .unwrap_or(Duration::ZERO)
                .clamp(Duration::from_millis(20), interval)
        }
        None => interval,
    }
}

async fn run(
    config: Arc<Config>,
    location: StoreLocation,
    tuning: SyncTuning,
    wake: Arc<Notify>,
    mut stop: watch::Receiver<bool>,
    on_event: impl Fn(SyncEvent),
) {
    let interval = tuning.round_interval;
    let mut engine: Option<SyncEngine> = None;
    loop {
        if *stop.borrow() {
            return;
        }
        let mut delay = interval;
        if engine.is_none() {
            engine = start_engine(&config, &location, &tuning, &on_event);
        }
        if let Some(e) = engine.as_mut() {
            let (result, stopping) = {
                let round = e.round(false);
                tokio::pin!(round);
                tokio::select! {
                    result = &mut round => (Some(result), false),
                    // A stop (SIGTERM) mid-round: the round finishes first, within the grace.
                    _ = stop.changed() => match tokio::time::timeout(STOP_GRACE, &mut round).await {
                        Ok(result) => (Some(result), true),
                        Err(_) => {
                            tracing::warn!(
                                "stopped before the sync round finished ({} s): an unanswered submission is reconciled at the next round, never sent twice",
                                STOP_GRACE.as_secs()
                            );
                            (None, true)
                        }
                    },
                }
            };
            match result {
                Some(Ok(report)) => {
                    if !stopping {
                        e.store().retention_pass(config.privacy.retention_days);
                    }
                    if let Some(ev) = event(e.store(), &report) {
                        on_event(ev);
                    }
                    delay = next_delay(e, &report, interval);
                }
                Some(Err(err)) => tracing::error!("sync round failed: {err}"),
                None => {}
            }
            if stopping {
                return;
            }
        }
        tokio::select! {
            _ = tokio::time::sleep(delay) => {}
            _ = wake.notified() => {}
            _ = stop.changed() => return,
        }
    }
}

/// Opens the queue and builds the engine; a configuration problem (API key file missing...) is
/// reported as offline with the reason, and tried again next round.
fn start_engine(
    config: &Config,
    location: &StoreLocation,
    tuning: &SyncTuning,
    on_event: &impl Fn(SyncEvent),
) -> Option<SyncEngine> {
    let store = match Store::open_at(location) {
        Ok(s) => s,
        Err(e) => {
            tracing::error!("sync worker cannot open the queue: {e}");
            return None;
        }
    };
    let initial = Connectivity::load(&store).ok();
    match SyncEngine::new(config, store, tuning.clone()) {
        Ok(mut engine) => {
            engine.set_lock_name("guichet kiosk, sync worker");
            if let Some(connectivity) = initial {
                on_event(SyncEvent {
                    connectivity,
                    sent: 0,
                    rejected: 0,
                    catalog_updated: false,
                });
            }
            Some(engine)
        }
        Err(e) => {
            tracing::error!("sync cannot start: {e}");
            if let Ok(store) = Store::open_at(location) {
                let message = e.to_string();
                let _ = Connectivity::save_round(&store, true, LinkState::Offline, Some(&message));
                if let Some(ev) = event(&store, &RoundReport::default()) {
                    on_event(ev);
                }
            }
            None
        }
    }
}
