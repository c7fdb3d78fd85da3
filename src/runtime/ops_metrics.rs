//! The fleet metrics about the kiosk as a machine in a public place: when a resident last
//! touched it, what the printer's own sensors last said (paper near its end, out, cover open,
//! unreachable), and how often the kiosk has started (a restart storm shows as a counter that
//! climbs). Kept apart from `metrics.rs`, which reads the queue's and sync's facts, so each
//! group of metrics has one place.
//!
//! Sources: the printer's status is what the print worker recorded (`printer::recorded`, on
//! every change); the starts are the counters `Store::record_start` keeps per boot; the last
//! interaction is known only to the running kiosk (the touchscreen's backend calls
//! [`interaction`] on every touch it forwards), so only the kiosk's own writer exports it.

use std::sync::atomic::{AtomicI64, Ordering};

use time::OffsetDateTime;

use crate::printer::recorded::{paper_word, recorded};
use crate::queue::{Store, StoreError};

/// Unix seconds of the last touch a resident made (0: none in this process).
static LAST_INTERACTION_UNIX: AtomicI64 = AtomicI64::new(0);

/// Called for every touch the touchscreen forwards: one atomic store.
pub fn interaction() {
    LAST_INTERACTION_UNIX.store(
        OffsetDateTime::now_utc().unix_timestamp(),
        Ordering::Relaxed,
    );
}

/// Unix seconds of the last touch in this process (0: none).
pub fn last_interaction() -> i64 {
    LAST_INTERACTION_UNIX.load(Ordering::Relaxed)
}

/// Paper states, one-hot in `guichet_printer_paper`.
const PAPER: &[&str] = &["ok", "near_end", "out", "unknown"];

/// The printer's sensors as last recorded.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
pub struct PrinterSensors {
    /// The printer answered its last status request.
    pub reachable: bool,
    /// `ok`, `near_end`, `out`, `unknown`.
    pub paper: &'static str,
    /// The cover is open.
    pub cover_open: bool,
    /// Unix seconds this status began.
    pub since: i64,
}

/// What this module exports.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
pub struct OpsFacts {
    /// `None` when no serial printer status was ever recorded.
    pub printer: Option<PrinterSensors>,
    /// Starts of the kiosk ever recorded on this data dir.
    pub starts_total: u64,
    /// Restarts since the machine booted (starts this boot − 1).
    pub restarts_this_boot: u64,
}

impl OpsFacts {
    /// Reads the store.
    pub fn gather(store: &Store) -> Result<OpsFacts, StoreError> {
        let starts = store.starts(&crate::queue::current_boot_id())?;
        let printer = recorded(store)?.map(|r| PrinterSensors {
            reachable: r.status.connected,
            paper: paper_word(r.status.paper),
            cover_open: r.status.cover_open,
            since: r.since,
        });
        Ok(OpsFacts {
            printer,
            starts_total: starts.total,
            restarts_this_boot: starts.this_boot.saturating_sub(1),
        })
    }

    /// Appends the metrics. `last_interaction` only from the running kiosk.
    pub(super) fn render(&self, out: &mut super::metrics::Exposition, kiosk: bool) {
        let b = |v: bool| if v { 1 } else { 0 };
        if let Some(p) = &self.printer {
            out.one(
                "guichet_printer_reachable",
                "1 when the receipt printer answered its last status request.",
                b(p.reachable),
            );
            out.gauge(
                "guichet_printer_paper",
                "The printer's paper sensor at its last status request (one-hot; near_end: a few receipts left).",
                &PAPER
                    .iter()
                    .map(|w| (format!("state=\"{w}\""), b(p.paper == *w)))
                    .collect::<Vec<_>>(),
            );
            out.one(
                "guichet_printer_cover_open",
                "1 when the printer said its cover is open.",
                b(p.cover_open),
            );
            out.one(
                "guichet_printer_status_changed_timestamp_seconds",
                "Unix time the printer's recorded status last changed.",
                p.since,
            );
        }
        out.counter(
            "guichet_kiosk_starts_total",
            "Starts of the kiosk app recorded on this data dir (climbing fast: a restart storm).",
            self.starts_total.min(i64::MAX as u64) as i64,
        );
        out.one(
            "guichet_kiosk_restarts",
            "Restarts of the kiosk app since the machine booted (starts this boot minus one).",
            self.restarts_this_boot.min(i64::MAX as u64) as i64,
        );
        if kiosk {
            out.one(
                "guichet_last_interaction_timestamp_seconds",
                "Unix time a resident last touched the screen (0: not since the kiosk started).",
                last_interaction(),
            );
        }
    }
}
