//! What technicians' commands read from a kiosk's database without being the kiosk: the device
//! codes a data dir has issued references under (so `provision` never lets two kiosks share a
//! sequence), integrity without the data key (so `doctor` tells a damaged file from a missing
//! key), the kiosk's start counter (so a restart storm shows in `status`), and the frames it
//! rendered on this boot with the kiosk's state keys (so `guichet health` can tell whether a
//! new version on trial works before it is marked good; see kiosk-image/README.md, "Updates").

use std::path::Path;

use rusqlite::{Connection, OpenFlags, OptionalExtension, Transaction, TransactionBehavior};

use super::{DATABASE_FILE, Store, StoreError, put_state};

/// `kiosk_state` keys of the start counter.
pub mod start_keys {
    /// Starts of the kiosk ever recorded in this database.
    pub const TOTAL: &str = "kiosk.starts_total";
    /// The boot (`/proc/sys/kernel/random/boot_id`) the next counter belongs to.
    pub const BOOT_ID: &str = "kiosk.boot_id";
    /// Starts since that boot: more than one means the kiosk restarted.
    pub const THIS_BOOT: &str = "kiosk.starts_this_boot";
    /// RFC 3339: the last start.
    pub const LAST_START_AT: &str = "kiosk.last_start_at";
    /// The boot the two frame times below belong to.
    pub const FRAME_BOOT_ID: &str = "kiosk.frame_boot_id";
    /// RFC 3339: the first frame the kiosk rendered on that boot (`READY=1` goes with it).
    pub const FIRST_FRAME_AT: &str = "kiosk.first_frame_at";
    /// RFC 3339: the latest frame recorded on that boot (recorded about once a minute).
    pub const LAST_FRAME_AT: &str = "kiosk.last_frame_at";
}

/// What `guichet health` reads, without the data key and without writing: every `kiosk_state`
/// value (the kiosk's and sync's small facts) and the submissions by state.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StateSnapshot {
    /// `kiosk_state`, key → value.
    pub values: std::collections::BTreeMap<String, String>,
    /// Submissions waiting to be sent (review excluded).
    pub pending: u64,
    /// Submissions whose delivery staff must decide.
    pub review: u64,
}

impl StateSnapshot {
    /// One value, if recorded.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.values.get(key).map(String::as_str)
    }
}

/// Reads the kiosk's state from the database in `data_dir`, read-only (it may be run as root
/// beside the running kiosk); `None` when there is no database yet.
pub fn read_state(data_dir: &Path) -> Result<Option<StateSnapshot>, StoreError> {
    let Some(conn) = open_read_only(data_dir)? else {
        return Ok(None);
    };
    // Bounded: the table holds a few dozen small facts; anything beyond is not read.
    let values = conn
        .prepare("SELECT key, substr(value, 1, 512) FROM kiosk_state ORDER BY key LIMIT 1000")?
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?
        .collect::<Result<_, _>>()?;
    let (pending, review): (u64, u64) = conn.query_row(
        "SELECT count(*) FILTER (WHERE review_reason IS NULL),
                count(*) FILTER (WHERE review_reason IS NOT NULL)
           FROM submissions WHERE state = 'pending'",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    drop(conn);
    give_back_side_files(data_dir);
    Ok(Some(StateSnapshot {
        values,
        pending,
        review,
    }))
}

/// The kiosk's starts as recorded by [`Store::record_start`].
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Starts {
    /// Every start recorded in this database.
    pub total: u64,
    /// Starts since the current boot (0 when the kiosk has not started since).
    pub this_boot: u64,
    /// When the kiosk last started, RFC 3339.
    pub last_start_at: Option<String>,
}

/// This boot's id (`/proc/sys/kernel/random/boot_id`), or `unknown` where the system has none:
/// starts recorded under the same id are restarts within one boot.
pub fn current_boot_id() -> String {
    crate::fsutil::read_bounded(Path::new("/proc/sys/kernel/random/boot_id"), 64)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty() && s.chars().all(|c| c.is_ascii_hexdigit() || c == '-'))
        .unwrap_or_else(|| "unknown".into())
}

fn open_read_only(data_dir: &Path) -> Result<Option<Connection>, StoreError> {
    let path = data_dir.join(DATABASE_FILE);
    if !path.exists() {
        return Ok(None);
    }
    let conn = Connection::open_with_flags(
        &path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    Ok(Some(conn))
}

/// The device codes the database in `data_dir` has issued references under (from its sequences
/// and from the references themselves), sorted; empty when there is no database yet.
pub fn issued_device_codes(data_dir: &Path) -> Result<Vec<String>, StoreError> {
    let Some(conn) = open_read_only(data_dir)? else {
        return Ok(Vec::new());
    };
    let mut codes: Vec<String> = conn
        .prepare(
            "SELECT device_code FROM sequences WHERE next_sequence > 1
             UNION
             SELECT DISTINCT substr(reference, 1, instr(reference, '-') - 1) FROM submissions
             WHERE instr(reference, '-') > 1",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    drop(conn);
    give_back_side_files(data_dir);
    codes.sort();
    codes.dedup();
    Ok(codes)
}

/// Reading a WAL database may create its `-wal` and `-shm` files; run as root (`sudo guichet
/// provision`) they would be root's, and the kiosk's user could no longer open its own
/// database. They are given to the database file's owner.
fn give_back_side_files(data_dir: &Path) {
    use std::os::unix::fs::MetadataExt;
    let database = data_dir.join(DATABASE_FILE);
    let Ok(owner) = std::fs::metadata(&database) else {
        return;
    };
    for suffix in ["-wal", "-shm"] {
        let mut name = database.clone().into_os_string();
        name.push(suffix);
        let side = std::path::PathBuf::from(name);
        if std::fs::metadata(&side).is_ok_and(|m| m.uid() != owner.uid() || m.gid() != owner.gid())
        {
            let _ = std::os::unix::fs::chown(&side, Some(owner.uid()), Some(owner.gid()));
        }
    }
}

/// `PRAGMA integrity_check` on the database in `data_dir`, read-only and without the data key
/// (sealed payloads are checked as bytes). `Ok(false)` when there is no database yet.
pub fn integrity_check_file(data_dir: &Path) -> Result<bool, String> {
    let conn = match open_read_only(data_dir) {
        Ok(Some(conn)) => conn,
        Ok(None) => return Ok(false),
        Err(e) => return Err(e.to_string()),
    };
    let mut stmt = conn
        .prepare("PRAGMA integrity_check")
        .map_err(|e| e.to_string())?;
    let lines: Vec<String> = stmt
        .query_map([], |r| r.get(0))
        .map_err(|e| e.to_string())?
        .collect::<Result<_, _>>()
        .map_err(|e| e.to_string())?;
    if lines == ["ok"] {
        Ok(true)
    } else {
        Err(lines.join("; "))
    }
}

impl Store {
    /// Records one start of the kiosk on boot `boot_id`, in one transaction, and returns the
    /// counters after it.
    pub fn record_start(&mut self, boot_id: &str) -> Result<Starts, StoreError> {
        // Immediate: it reads, then writes (see `record_frame`).
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let get = |key: &str| -> Result<Option<String>, rusqlite::Error> {
            tx.query_row("SELECT value FROM kiosk_state WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()
        };
        let number = |v: Option<String>| v.and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
        let total = number(get(start_keys::TOTAL)?) + 1;
        let same_boot = get(start_keys::BOOT_ID)?.as_deref() == Some(boot_id);
        let this_boot = if same_boot {
            number(get(start_keys::THIS_BOOT)?) + 1
        } else {
            1
        };
        let now = super::now_rfc3339();
        for (key, value) in [
            (start_keys::TOTAL, total.to_string()),
            (start_keys::BOOT_ID, boot_id.to_string()),
            (start_keys::THIS_BOOT, this_boot.to_string()),
            (start_keys::LAST_START_AT, now.clone()),
        ] {
            put_state(&tx, key, &value)?;
        }
        tx.commit()?;
        Ok(Starts {
            total,
            this_boot,
            last_start_at: Some(now),
        })
    }

    /// Records that the kiosk rendered a frame at `at` (RFC 3339) on boot `boot_id`: the first
    /// frame of a boot sets both times, later ones the last. Called about once a minute by the
    /// metrics thread, never by the UI thread.
    pub fn record_frame(&self, boot_id: &str, at: &str) -> Result<(), StoreError> {
        // Immediate: the write lock (waiting out the busy timeout) before the read. A deferred
        // transaction that reads and then writes fails at once when another connection wrote in
        // between, and the kiosk's other threads write at start-up.
        let tx = Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate)?;
        let same_boot = tx
            .query_row(
                "SELECT value FROM kiosk_state WHERE key = ?1",
                [start_keys::FRAME_BOOT_ID],
                |r| r.get::<_, String>(0),
            )
            .optional()?
            .as_deref()
            == Some(boot_id);
        let mut set = vec![(start_keys::LAST_FRAME_AT, at)];
        if !same_boot {
            set.push((start_keys::FRAME_BOOT_ID, boot_id));
            set.push((start_keys::FIRST_FRAME_AT, at));
        }
        for (key, value) in set {
            put_state(&tx, key, value)?;
        }
        tx.commit()?;
        Ok(())
    }

    /// The start counters, as seen from boot `boot_id`.
    pub fn starts(&self, boot_id: &str) -> Result<Starts, StoreError> {
        let number = |v: Option<String>| v.and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
        let same_boot = self.state_value(start_keys::BOOT_ID)?.as_deref() == Some(boot_id);
        Ok(Starts {
            total: number(self.state_value(start_keys::TOTAL)?),
            this_boot: if same_boot {
                number(self.state_value(start_keys::THIS_BOOT)?)
            } else {
                0
            },
            last_start_at: self.state_value(start_keys::LAST_START_AT)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issued_codes_come_from_sequences_and_references() {
        let dir = crate::fsutil::test_dir("issued-codes");
        assert!(issued_device_codes(&dir).unwrap().is_empty(), "no database");
        let mut store = Store::open(&dir).unwrap();
        assert!(
            issued_device_codes(&dir).unwrap().is_empty(),
            "nothing issued"
        );
        store
            .enqueue_payload("LIB2", "POTHOLE", "en", b"{}", None)
            .unwrap();
        assert_eq!(issued_device_codes(&dir).unwrap(), ["LIB2"]);
        assert_eq!(integrity_check_file(&dir), Ok(true));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn starts_are_counted_per_boot() {
        let dir = crate::fsutil::test_dir("starts");
        let mut store = Store::open(&dir).unwrap();
        assert_eq!(store.starts("a").unwrap(), Starts::default());
        store.record_start("a").unwrap();
        let two = store.record_start("a").unwrap();
        assert_eq!((two.total, two.this_boot), (2, 2));
        let next_boot = store.record_start("b").unwrap();
        assert_eq!((next_boot.total, next_boot.this_boot), (3, 1));
        assert_eq!(store.starts("c").unwrap().this_boot, 0);
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// The kiosk's start and its frames are recorded while other threads and processes write
    /// (the sync worker, a staff command): each waits for the writer before it reads, so a write
    /// committed meanwhile never makes it fail (a deferred transaction that reads and then writes
    /// gets `SQLITE_BUSY` at once when another connection committed since its read, whatever the
    /// busy timeout; the frame was then missing from `guichet health` for a minute).
    #[test]
    fn a_start_or_a_frame_waits_for_another_writer_instead_of_failing() {
        let dir = crate::fsutil::test_dir("busy-writer");
        let mut store = Store::open(&dir).unwrap();
        for round in ["frame", "start"] {
            let other = Connection::open(dir.join(DATABASE_FILE)).unwrap();
            other
                .execute_batch(
                    "BEGIN IMMEDIATE;
                     INSERT INTO kiosk_state (key, value) VALUES ('test.other', 'x')
                     ON CONFLICT (key) DO UPDATE SET value = value || 'x';",
                )
                .unwrap();
            let writer = std::thread::spawn(move || {
                std::thread::sleep(std::time::Duration::from_millis(300));
                other.execute_batch("COMMIT").unwrap();
            });
            let result = match round {
                "frame" => store.record_frame("a", "2026-01-01T10:00:00Z"),
                _ => store.record_start("a").map(|_| ()),
            };
            writer.join().unwrap();
            assert!(result.is_ok(), "{round}: {result:?}");
        }
        let state = read_state(&dir).unwrap().unwrap();
        assert_eq!(state.get(start_keys::FRAME_BOOT_ID), Some("a"));
        assert_eq!(state.get(start_keys::THIS_BOOT), Some("1"));
        assert_eq!(state.get("test.other"), Some("xx"));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn frames_are_recorded_per_boot_and_read_back_without_the_key() {
        let dir = crate::fsutil::test_dir("frames");
        assert_eq!(read_state(&dir).unwrap(), None, "no database yet");
        let store = Store::open(&dir).unwrap();
        store.record_frame("a", "2026-01-01T10:00:00Z").unwrap();
        store.record_frame("a", "2026-01-01T10:01:00Z").unwrap();
        let state = read_state(&dir).unwrap().unwrap();
        assert_eq!(state.get(start_keys::FRAME_BOOT_ID), Some("a"));
        assert_eq!(
            state.get(start_keys::FIRST_FRAME_AT),
            Some("2026-01-01T10:00:00Z")
        );
        assert_eq!(
            state.get(start_keys::LAST_FRAME_AT),
            Some("2026-01-01T10:01:00Z")
        );
        store.record_frame("b", "2026-01-01T11:00:00Z").unwrap();
        let state = read_state(&dir).unwrap().unwrap();
        assert_eq!(
            state.get(start_keys::FIRST_FRAME_AT),
            Some("2026-01-01T11:00:00Z"),
            "a new boot starts again"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
