//! Delivery to the council's Open311 GeoReport v2 system: never lose a submission, never send one
//! twice.
//!
//! - [`client`]: HTTPS (rustls, system roots + extra CA), timeouts, bounded answers; nothing else
//!   in Guichet talks HTTP.
//! - [`wire`]: the form-encoded POST body and bounded parsing of the server's JSON.
//! - [`classify`]: what each answer means: accepted, rejected, not processed, or unknown.
//! - [`reconcile`]: looking up an unknown outcome before anything is resent.
//! - [`engine`]: one round (probe, reconcile, push in concurrent batches, pull catalogue and
//!   statuses) and `run_until_idle` for `guichet sync --once`.
//! - [`worker`]: the background thread the kiosk runs, with events for the UI.
//! - [`connectivity`]: online / offline / captive portal, last success, counts.
//! - [`help_notify`]: "Ask for help" announced to staff at `[help] notify_url`, retried until
//!   delivered.
//!
//! The write-ahead protocol that makes crashes safe is described in `src/queue/delivery.rs`.

pub(crate) mod classify;
pub mod client;
pub mod connectivity;
pub(crate) mod engine;
pub(crate) mod heartbeat;
pub mod help_notify;
pub(crate) mod lock;
pub(crate) mod pull;
pub(crate) mod reconcile;
pub mod wire;
pub(crate) mod worker;

pub use connectivity::{Connectivity, LinkState};
pub use engine::{RoundReport, SyncEngine, SyncTuning};
pub use help_notify::{HelpNotifier, HelpSender};
pub use worker::{STOP_GRACE, SyncEvent, SyncWorker, spawn_sync_worker, spawn_sync_worker_with};

/// A fresh directory for unit tests.
#[cfg(test)]
pub(crate) fn test_dir() -> std::path::PathBuf {
    crate::fsutil::test_dir("sync-unit")
}
