//! The kiosk's wiring, above everything else: it opens the store, starts the store, print and
//! sync workers, and routes their events to the touchscreen.
//!
//! `ui` only shows and forwards touches (it sees the rest of the kiosk as a [`crate::ui::Backend`]
//! and a stream of [`crate::ui::UiEvent`]s); `sync` and `printer` never see each other or the
//! UI. Only this module and `cli` may import every layer (see the layering test in
//! `tests/foundation.rs`).
//!
//! - [`headset`]: whether a headset is plugged in (ALSA jack controls), for speech mode.
//! - [`kiosk`]: `guichet kiosk`: window, workers, event routing, start-up benchmark.
//! - [`metrics`]: fleet metrics (Prometheus text) for `guichet metrics` and the kiosk's
//!   node_exporter textfile, refreshed after each sync round and every minute.
//! - [`ops_metrics`]: the metrics of the machine itself: last touch, the printer's sensors,
//!   starts and restarts.
//! - [`remote_screenshot`]: a screenshot on request from staff, only between residents.
//! - [`store_worker`]: the touchscreen's database thread (saves, help flag, catalogue reloads).
//! - [`staff_jobs`]: what the staff screens and "Check a request" ask, done on that thread
//!   through the staff API.
//! - [`watchdog`]: systemd's side (`MAINPID=`, `READY=1`, `WATCHDOG=1`, `STATUS=`), plain Rust.
//! - [`surface`]: the kiosk window on its compositor: fullscreen that sticks, and the watchdog
//!   fed by rendered frames.
//! - [`shutdown`]: SIGTERM ends the event loop, so the workers finish their work before exit.

pub mod headset;
pub(crate) mod kiosk;
pub mod metrics;
pub mod ops_metrics;
pub mod remote_screenshot;
pub(crate) mod shutdown;
pub mod speech;
pub(crate) mod staff_jobs;
pub(crate) mod store_worker;
pub(crate) mod surface;
pub(crate) mod watchdog;

pub use kiosk::{KioskError, display_available};
pub use store_worker::{HELP_REQUESTED_KEY, OnSaved, StoreWorker, load_catalogs};
