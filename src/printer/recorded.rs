//! The printer's last real status (`DLE EOT`), recorded in the store when it changes, so that
//! the fleet metrics — written by the kiosk's metrics thread, or by `guichet metrics` in another
//! process — show paper near its end, paper out, the cover open or the printer unreachable as
//! the print worker saw them, not only the failure a waiting receipt met.
//!
//! Why only on change: the worker asks every 3 s while receipts wait and every 30 s otherwise; a
//! write each time would be thousands a day for nothing. The time recorded is when the status
//! last changed. Only a serial printer is recorded (`file:` and `none` have no status).

use super::status::{Paper, PrinterStatus};
use crate::queue::{Store, StoreError};

/// The `kiosk_state` key.
pub const STATUS_KEY: &str = "printer.status";

/// A recorded status and when it began (Unix seconds).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordedStatus {
    /// What the printer said.
    pub status: PrinterStatus,
    /// When it changed to that.
    pub since: i64,
}

/// The stable word for a paper state (the same words as `printer status --json`).
pub fn paper_word(paper: Paper) -> &'static str {
    match paper {
        Paper::Ok => "ok",
        Paper::NearEnd => "near_end",
        Paper::Out => "out",
        Paper::Unknown => "unknown",
    }
}

fn encode(status: PrinterStatus, since: i64) -> String {
    let b = |v: bool| if v { '1' } else { '0' };
    format!(
        "v1 {} {} {} {} {} {since}",
        b(status.connected),
        paper_word(status.paper),
        b(status.cover_open),
        b(status.error),
        b(status.offline)
    )
}

fn decode(text: &str) -> Option<RecordedStatus> {
    let parts: Vec<&str> = text.split(' ').collect();
    let ["v1", connected, paper, cover_open, error, offline, since] = parts.as_slice() else {
        return None;
    };
    let flag = |v: &str| match v {
        "1" => Some(true),
        "0" => Some(false),
        _ => None,
    };
    let paper = match *paper {
        "ok" => Paper::Ok,
        "near_end" => Paper::NearEnd,
        "out" => Paper::Out,
        "unknown" => Paper::Unknown,
        _ => return None,
    };
    Some(RecordedStatus {
        status: PrinterStatus {
            connected: flag(connected)?,
            paper,
            cover_open: flag(cover_open)?,
            error: flag(error)?,
            offline: flag(offline)?,
        },
        since: since.parse().ok()?,
    })
}

/// Records `status` unless it is the one already recorded.
pub fn record(store: &Store, status: PrinterStatus) -> Result<(), StoreError> {
    if recorded(store)?.is_some_and(|r| r.status == status) {
        return Ok(());
    }
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    store.set_state_value(STATUS_KEY, &encode(status, now))
}

/// The recorded status (`None`: never recorded, or unreadable).
pub fn recorded(store: &Store) -> Result<Option<RecordedStatus>, StoreError> {
    Ok(store.state_value(STATUS_KEY)?.as_deref().and_then(decode))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_status_is_recorded_once_per_change_and_read_back() {
        let dir = crate::fsutil::test_dir("printer-recorded");
        let store = Store::open(&dir).unwrap();
        assert_eq!(recorded(&store).unwrap(), None);
        let near_end = PrinterStatus {
            connected: true,
            paper: Paper::NearEnd,
            cover_open: false,
            error: false,
            offline: false,
        };
        record(&store, near_end).unwrap();
        let first = recorded(&store).unwrap().unwrap();
        assert_eq!(first.status, near_end);
        store
            .set_state_value(STATUS_KEY, &encode(near_end, 5))
            .unwrap();
        record(&store, near_end).unwrap();
        assert_eq!(recorded(&store).unwrap().unwrap().since, 5, "unchanged");
        record(&store, PrinterStatus::disconnected()).unwrap();
        let now = recorded(&store).unwrap().unwrap();
        assert_eq!(now.status, PrinterStatus::disconnected());
        assert!(now.since > 5);
        store.set_state_value(STATUS_KEY, "v1 x").unwrap();
        assert_eq!(recorded(&store).unwrap(), None);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
