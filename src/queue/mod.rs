//! The durable queue: one SQLite database in the data dir holding submissions, their delivery
//! attempts, receipt print jobs, the staff audit trail, the cached catalogue and kiosk state.
//!
//! Invariant: [`Store::enqueue`] returns only after the submission *and* its receipt job are
//! committed with `synchronous=FULL` in WAL mode, so once the UI says "saved" a power cut cannot
//! lose it. References come from a per-device sequence allocated in the same transaction, so they
//! never repeat, even across crashes.

mod audit;
mod catalog_cache;
mod delivery;
mod help;
mod inspect;
mod print_jobs;
mod retention;
mod review;
mod rotation;
pub mod schema;
mod sealing;
mod sessions;
mod staff;

use std::cell::RefCell;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use serde::Serialize;
use zeroize::Zeroizing;

use crate::privacy::{DataKey, KeyError};
use crate::reference::Reference;
use crate::validate::ValidForm;

pub use catalog_cache::{CATALOG_DEFAULT_LOCALE, CatalogSnapshot};
pub use delivery::{
    ClaimMark, DeliveryUpdate, Outgoing, Payload, ReviewKind, StatusTarget, UnknownOutcome,
    boot_clock, delivery_timestamp, elapsed_since_mark,
};
pub use help::{HELP_TOO_OLD, HelpCounts, HelpNotify, HelpRequest};
pub use inspect::{
    Starts, StateSnapshot, current_boot_id, integrity_check_file, issued_device_codes, read_state,
    start_keys,
};
pub use print_jobs::{JobState, PrintJob, ReceiptRow};
pub use retention::Erasure;
pub use review::Resolution;
pub use rotation::Rotation;
pub use sealing::KEY_ID_STATE;
pub use sessions::{SessionOutcome, SessionRecord};
pub use staff::{AuditLine, LockoutRow, LookupRow, StaffAccount};

use audit::audit_in;

/// File name of the database inside the data dir.
pub const DATABASE_FILE: &str = "guichet.sqlite3";

/// Delivery state of a submission.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum State {
    /// Saved on the kiosk, not yet accepted by the council.
    Pending,
    /// The council accepted it (it has a remote id or token).
    Accepted,
    /// The council refused it; staff may put it back to pending.
    Rejected,
    /// Delivery could not be decided automatically (the server may or may not hold it): never
    /// resent until staff resolve it (`queue resolve`). Stored as `pending` with a
    /// `review_reason`, see [`STATE_SQL`].
    Review,
    /// Staff cancelled it: its personal data is erased, it is never sent. Stored as `rejected`
    /// with `cancelled_at`, see [`STATE_SQL`].
    Cancelled,
    /// Made in training mode: never sent, deleted at the end of the staff session. Stored as
    /// `pending` with `practice = 1`, see [`STATE_SQL`].
    Practice,
}

/// The state as shown, from a `submissions` row (a review is a pending row with a reason; a
/// cancelled one a rejected row with `cancelled_at`; practice rows are marked).
pub(crate) const STATE_SQL: &str = "CASE WHEN cancelled_at IS NOT NULL THEN 'cancelled'
     WHEN practice = 1 THEN 'practice'
     WHEN state = 'pending' AND review_reason IS NOT NULL THEN 'review' ELSE state END";

impl State {
    /// The stored spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            State::Pending => "pending",
            State::Accepted => "accepted",
            State::Rejected => "rejected",
            State::Review => "review",
            State::Cancelled => "cancelled",
            State::Practice => "practice",
        }
    }

    fn from_db(s: &str) -> rusqlite::Result<State> {
        match s {
            "pending" => Ok(State::Pending),
            "accepted" => Ok(State::Accepted),
            "rejected" => Ok(State::Rejected),
            "review" => Ok(State::Review),
            "cancelled" => Ok(State::Cancelled),
            "practice" => Ok(State::Practice),
            other => Err(rusqlite::Error::FromSqlConversionFailure(
                0,
                rusqlite::types::Type::Text,
                format!("unknown state {other:?}").into(),
            )),
        }
    }
}

impl std::str::FromStr for State {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        State::from_db(s).map_err(|_| {
            format!("{s:?} is not pending, accepted, rejected, review, cancelled or practice")
        })
    }
}

/// What can go wrong with the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The data dir could not be created.
    #[error("cannot create data directory {path}: {source}")]
    DataDir {
        /// The directory.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The disk is full: nothing was saved, the database is intact.
    #[error("the disk is full: nothing was saved (free space in {0})")]
    DiskFull(PathBuf),
    /// The schema could not be brought up to date.
    #[error("database migration failed: {0}")]
    Migration(#[from] rusqlite_migration::Error),
    /// The schema is newer than this binary and not readable by it, or could not be migrated.
    #[error("{0}")]
    Schema(#[from] schema::SchemaError),
    /// Any other SQLite error.
    #[error("database error: {0}")]
    Sqlite(rusqlite::Error),
    /// A stored document could not be read back.
    #[error("stored data for {what} is unreadable: {detail}")]
    Corrupt {
        /// Which record.
        what: String,
        /// Why.
        detail: String,
    },
    /// The data key that seals personal data could not be used.
    #[error("{0}")]
    Key(#[from] KeyError),
    /// No submission with that reference.
    #[error("no submission with reference {0}")]
    NotFound(String),
    /// The operation does not apply in the submission's current state.
    #[error("submission {reference} is {state}; {what}")]
    WrongState {
        /// The reference.
        reference: String,
        /// Its state.
        state: &'static str,
        /// What would be needed.
        what: &'static str,
    },
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        StoreError::Sqlite(e)
    }
}

/// Assisted mode's marks on a new submission.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SubmissionMarks {
    /// The staff member who helped (stored, printed as "Assisted by NAME", audited).
    pub assisted_by: Option<String>,
    /// Training mode: never delivered, printed as "PRACTICE", deleted at the end of the staff
    /// session.
    pub practice: bool,
}

/// A row of `queue list`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SubmissionSummary {
    /// Reference.
    pub reference: String,
    /// State.
    pub state: State,
    /// Service code.
    pub service_code: String,
    /// RFC 3339.
    pub created_at: String,
    /// The council's id, once accepted.
    pub remote_id: Option<String>,
    /// The last delivery error, if any.
    pub last_error: Option<String>,
}

/// One delivery attempt.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Attempt {
    /// RFC 3339.
    pub at: String,
    /// e.g. `accepted`, `rejected`, `retry`, `unknown`.
    pub outcome: String,
    /// Detail for technicians (never personal data).
    pub detail: String,
}

/// A whole submission, for `queue show` and for sending.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Submission {
    /// Database id.
    #[serde(skip)]
    pub id: i64,
    /// Reference.
    pub reference: String,
    /// State.
    pub state: State,
    /// Service code.
    pub service_code: String,
    /// UI language the resident used.
    pub locale: String,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339.
    pub updated_at: String,
    /// The council's id.
    pub remote_id: Option<String>,
    /// Token from a batch service.
    pub token: Option<String>,
    /// Notice from the council.
    pub service_notice: Option<String>,
    /// Last delivery error.
    pub last_error: Option<String>,
    /// Number of delivery attempts.
    pub attempts: i64,
    /// Staff member who assisted, if any.
    pub assisted_by: Option<String>,
    /// Latest status the council reported.
    pub remote_status: Option<String>,
    /// When personal data was erased (retention), if it was.
    pub erased_at: Option<String>,
    /// The resident's answers, location and contact; `None` once erased.
    pub form: Option<ValidForm>,
    /// Attempt log, oldest first.
    pub attempt_log: Vec<Attempt>,
}

/// The queue database.
///
/// Payloads are sealed under the data key (see [`crate::privacy`]): the store holds the key in
/// memory and seals on write, opens on read.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    /// The key payloads are sealed under; replaced when another process rotated it.
    key: RefCell<DataKey>,
    location: StoreLocation,
}

/// Where a store lives: the data dir holding the database, and the data key file that seals its
/// personal data. Passed explicitly to every place that opens the store (the CLI builds it once
/// from the configuration), so a process can never seal under a key it did not mean to use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreLocation {
    /// The data dir (created 0700 if missing).
    pub data_dir: PathBuf,
    /// The data key file (`privacy.key_file`, else `<data_dir>/guichet.key`).
    pub key_file: PathBuf,
    /// Where the data key may be sealed to the TPM (`privacy.sealed_key_file`): if that file
    /// exists, a missing `key_file` is an error instead of a new key. `None`: no such check.
    pub sealed_key_file: Option<PathBuf>,
}

impl StoreLocation {
    /// The data dir with the default key file inside it.
    pub fn in_dir(data_dir: &Path) -> StoreLocation {
        StoreLocation {
            data_dir: data_dir.to_path_buf(),
            key_file: data_dir.join(crate::privacy::DEFAULT_KEY_FILE),
            sealed_key_file: None,
        }
    }

    /// The database file.
    pub fn database(&self) -> PathBuf {
        self.data_dir.join(DATABASE_FILE)
    }
}

/// The current time as RFC 3339 (UTC, whole seconds).
pub fn now_rfc3339() -> String {
    crate::clock::rfc3339(time::OffsetDateTime::now_utc())
}

/// Sets one `kiosk_state` value, inserted or replaced: the one upsert of that table, used on the
/// store's connection, inside a transaction, and by the schema's own bookkeeping.
fn put_state(conn: &Connection, key: &str, value: &str) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO kiosk_state (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![key, value],
    )?;
    Ok(())
}

fn is_disk_full(e: &rusqlite::Error) -> bool {
    matches!(
        e,
        rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::DiskFull
    )
}

/// Below this much free space, an I/O error is taken to be the disk being full: SQLite reports
/// `SQLITE_FULL` only for some writes, and a plain I/O error for others (growing the WAL index
/// when the WAL is opened), though the cause and the remedy are the same.
const NEARLY_FULL_BYTES: u64 = 64 * 1024;

/// Whether the filesystem holding `path` has (almost) no space left for this process.
fn disk_nearly_full(path: &Path) -> bool {
    crate::fsutil::free_bytes(path).is_ok_and(|free| free < NEARLY_FULL_BYTES)
}

/// Whether `e` is an I/O error, which may mean the disk is full (see [`NEARLY_FULL_BYTES`]).
fn is_io_error(e: &rusqlite::Error) -> bool {
    matches!(
        e,
        rusqlite::Error::SqliteFailure(f, _)
            if matches!(f.code, rusqlite::ErrorCode::SystemIoFailure | rusqlite::ErrorCode::CannotOpen)
    )
}

impl Store {
    /// Opens (creating if needed) the database in `data_dir`, sealed under the default key file
    /// in the same dir (tests, benchmarks, the demo). The kiosk and the CLI use
    /// [`Store::open_at`] with the configured key file.
    pub fn open(data_dir: &Path) -> Result<Store, StoreError> {
        Store::open_at(&StoreLocation::in_dir(data_dir))
    }

    /// Opens (creating if needed) the database of `location` and brings its schema up to date.
    /// A database from a version that stored payloads in clear is sealed here, in one
    /// transaction.
    pub fn open_at(location: &StoreLocation) -> Result<Store, StoreError> {
        let data_dir = &location.data_dir;
        std::fs::create_dir_all(data_dir).map_err(|source| StoreError::DataDir {
            path: data_dir.to_path_buf(),
            source,
        })?;
        restrict_permissions(data_dir);
        Store::open_inner(location).map_err(|e| {
            if !matches!(e, StoreError::DiskFull(_)) && disk_nearly_full(data_dir) {
                StoreError::DiskFull(data_dir.to_path_buf())
            } else {
                e
            }
        })
    }

    fn open_inner(location: &StoreLocation) -> Result<Store, StoreError> {
        let path = location.database();
        let mut conn = Connection::open(&path)?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        // WAL + FULL: a commit is on disk before it returns, and readers never block the writer.
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // Erased personal data is overwritten, not just unlinked from the b-tree.
        conn.pragma_update(None, "secure_delete", "ON")?;
        schema::bring_up_to_date(&mut conn)?;
        let key = sealing::load_key(&conn, location)?;
        let mut store = Store {
            conn,
            path,
            key: RefCell::new(key),
            location: location.clone(),
        };
        store.seal_clear_payloads()?;
        store.seal_legacy_refusals()?;
        Ok(store)
    }

    /// The data key file this store uses.
    pub fn key_file(&self) -> &Path {
        &self.location.key_file
    }

    /// Where this store lives (to open another connection to it, e.g. from a worker thread).
    pub fn location(&self) -> &StoreLocation {
        &self.location
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The underlying connection, for tests and benchmarks that inspect or alter rows directly.
    /// Production code goes through the store's methods: every SQL statement lives in `queue/`.
    #[cfg(any(test, feature = "test-support"))]
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    /// A failed write as the caller should see it: a full disk (or an I/O error on an almost
    /// full one) is [`StoreError::DiskFull`], anything else the SQLite error.
    pub(crate) fn map_write_error(&self, e: rusqlite::Error) -> StoreError {
        let dir = &self.location.data_dir;
        if is_disk_full(&e) || (is_io_error(&e) && disk_nearly_full(dir)) {
            StoreError::DiskFull(dir.clone())
        } else {
            StoreError::Sqlite(e)
        }
    }

    /// [`Store::map_write_error`] over a whole write's result.
    pub(crate) fn map_store_error<T>(
        &self,
        result: Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        result.map_err(|e| match e {
            StoreError::Sqlite(e) => self.map_write_error(e),
            other => other,
        })
    }

    /// Saves a validated submission and its receipt job in one transaction and returns its new
    /// reference. When this returns `Ok`, the submission is durable.
    pub fn enqueue(
        &mut self,
        device_code: &str,
        form: &ValidForm,
        assisted_by: Option<&str>,
    ) -> Result<Reference, StoreError> {
        let payload =
            serde_json::to_vec(form)
                .map(Zeroizing::new)
                .map_err(|e| StoreError::Corrupt {
                    what: "new submission".into(),
                    detail: e.to_string(),
                })?;
        self.enqueue_payload(
            device_code,
            &form.service_code,
            &form.locale,
            &payload,
            assisted_by,
        )
    }

    /// [`Store::enqueue`] with an already encoded payload (clear JSON): it is sealed under the
    /// data key, bound to the new reference, inside the transaction that issues the reference.
    pub fn enqueue_payload(
        &mut self,
        device_code: &str,
        service_code: &str,
        locale: &str,
        payload: &[u8],
        assisted_by: Option<&str>,
    ) -> Result<Reference, StoreError> {
        self.enqueue_payload_marked(
            device_code,
            service_code,
            locale,
            payload,
            &SubmissionMarks {
                assisted_by: assisted_by.map(str::to_string),
                practice: false,
            },
        )
    }

    /// [`Store::enqueue`] with assisted mode's marks: who helped (stored, printed, audited in
    /// the same transaction) and whether it is a training-mode practice (never delivered).
    pub fn enqueue_marked(
        &mut self,
        device_code: &str,
        form: &ValidForm,
        marks: &SubmissionMarks,
    ) -> Result<Reference, StoreError> {
        let payload =
            serde_json::to_vec(form)
                .map(Zeroizing::new)
                .map_err(|e| StoreError::Corrupt {
                    what: "new submission".into(),
                    detail: e.to_string(),
                })?;
        self.enqueue_payload_marked(
            device_code,
            &form.service_code,
            &form.locale,
            &payload,
            marks,
        )
    }

    fn enqueue_payload_marked(
        &mut self,
        device_code: &str,
        service_code: &str,
        locale: &str,
        payload: &[u8],
        marks: &SubmissionMarks,
    ) -> Result<Reference, StoreError> {
        let assisted_by = marks.assisted_by.as_deref();
        let result = (|| -> Result<Reference, StoreError> {
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            // Under the write lock, so a rotation by another process cannot slip in between
            // this check and the insert: a payload is never sealed under a retired key.
            if sealing::database_key_id(&tx)? != Some(self.key.borrow().id()) {
                let key = sealing::load_key(&tx, &self.location)?;
                *self.key.borrow_mut() = key;
            }
            let mut sequence: i64 = tx
                .query_row(
                    "SELECT next_sequence FROM sequences WHERE device_code = ?1",
                    [device_code],
                    |r| r.get(0),
                )
                .optional()?
                .unwrap_or(1);
            let reference = loop {
                if let Some(r) = Reference::issue(device_code, sequence as u64) {
                    break r;
                }
                sequence += 1;
            };
            tx.execute(
                "INSERT INTO sequences (device_code, next_sequence) VALUES (?1, ?2)
                 ON CONFLICT (device_code) DO UPDATE SET next_sequence = excluded.next_sequence",
                params![device_code, sequence + 1],
            )?;
            let now = now_rfc3339();
            let sealed = crate::privacy::at_rest::seal_payload(
                &self.key.borrow(),
                reference.as_str(),
                payload,
            );
            tx.execute(
                "INSERT INTO submissions
                   (reference, service_code, locale, state, payload, created_at, updated_at,
                    assisted_by, practice)
                 VALUES (?1, ?2, ?3, 'pending', ?4, ?5, ?5, ?6, ?7)",
                params![
                    reference.as_str(),
                    service_code,
                    locale,
                    sealed,
                    now,
                    assisted_by,
                    marks.practice
                ],
            )?;
            let id = tx.last_insert_rowid();
            if let Some(name) = assisted_by {
                let action = if marks.practice {
                    "staff.practice-submission"
                } else {
                    "staff.assisted-submission"
                };
                audit_in(&tx, name, action, Some(reference.as_str()), service_code)?;
            } else if marks.practice {
                audit_in(
                    &tx,
                    "kiosk",
                    "staff.practice-submission",
                    Some(reference.as_str()),
                    service_code,
                )?;
            }
            tx.execute(
                "INSERT INTO print_jobs (submission_id, state, created_at, updated_at)
                 VALUES (?1, 'pending', ?2, ?2)",
                params![id, now],
            )?;
            tx.commit()?;
            Ok(reference)
        })();
        self.map_store_error(result)
    }

    /// Submissions, newest first, optionally in one state.
    pub fn list(&self, state: Option<State>) -> Result<Vec<SubmissionSummary>, StoreError> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT reference, {STATE_SQL} AS shown, service_code, created_at, remote_id,
                    last_error
             FROM submissions WHERE (?1 IS NULL OR shown = ?1) ORDER BY id DESC"
        ))?;
        let rows = stmt.query_map([state.map(State::as_str)], |r| {
            Ok(SubmissionSummary {
                reference: r.get(0)?,
                state: State::from_db(&r.get::<_, String>(1)?)?,
                service_code: r.get(2)?,
                created_at: r.get(3)?,
                remote_id: r.get(4)?,
                last_error: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Counts submissions by state.
    pub fn count(&self, state: State) -> Result<u64, StoreError> {
        Ok(self.conn.query_row(
            &format!("SELECT count(*) FROM submissions WHERE {STATE_SQL} = ?1"),
            [state.as_str()],
            |r| r.get(0),
        )?)
    }

    /// One submission with its answers and attempt log.
    pub fn get(&self, reference: &str) -> Result<Submission, StoreError> {
        let row = self
            .conn
            .query_row(
                &format!("SELECT id, reference, {STATE_SQL}, service_code, locale, created_at, updated_at,
                        remote_id, token, service_notice, last_error, attempts, assisted_by,
                        remote_status, erased_at, payload
                 FROM submissions WHERE reference = ?1"),
                [reference],
                |r| {
                    Ok((
                        Submission {
                            id: r.get(0)?,
                            reference: r.get(1)?,
                            state: State::from_db(&r.get::<_, String>(2)?)?,
                            service_code: r.get(3)?,
                            locale: r.get(4)?,
                            created_at: r.get(5)?,
                            updated_at: r.get(6)?,
                            remote_id: r.get(7)?,
                            token: r.get(8)?,
                            service_notice: r.get(9)?,
                            last_error: r.get(10)?,
                            attempts: r.get(11)?,
                            assisted_by: r.get(12)?,
                            remote_status: r.get(13)?,
                            erased_at: r.get(14)?,
                            form: None,
                            attempt_log: Vec::new(),
                        },
                        r.get::<_, Option<Vec<u8>>>(15)?,
                    ))
                },
            )
            .optional()?;
        let Some((mut submission, payload)) = row else {
            return Err(StoreError::NotFound(reference.to_string()));
        };
        submission.form = payload
            .map(|p| {
                let clear = self.open_payload(&submission.reference, &p)?;
                serde_json::from_slice(&clear).map_err(|e| StoreError::Corrupt {
                    what: reference.to_string(),
                    detail: e.to_string(),
                })
            })
            .transpose()?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT at, outcome, detail FROM attempts WHERE submission_id = ?1 ORDER BY id",
        )?;
        submission.attempt_log = stmt
            .query_map([submission.id], |r| {
                Ok(Attempt {
                    at: r.get(0)?,
                    outcome: r.get(1)?,
                    detail: r.get(2)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(submission)
    }

    /// Puts a rejected submission back to pending (staff action, audited).
    pub fn retry(&mut self, reference: &str, actor: &str) -> Result<(), StoreError> {
        let current = self.get(reference)?;
        if current.state != State::Rejected {
            return Err(StoreError::WrongState {
                reference: reference.to_string(),
                state: current.state.as_str(),
                what: "only a rejected submission can be retried",
            });
        }
        let tx = self.conn.transaction()?;
        let now = now_rfc3339();
        tx.execute(
            "UPDATE submissions SET state = 'pending', next_attempt_at = NULL, updated_at = ?2
             WHERE id = ?1",
            params![current.id, now],
        )?;
        tx.execute(
            "INSERT INTO attempts (submission_id, at, outcome, detail)
             VALUES (?1, ?2, 'requeued', ?3)",
            params![current.id, now, format!("put back to pending by {actor}")],
        )?;
        audit_in(&tx, actor, "queue.retry", Some(reference), "")?;
        tx.commit()?;
        Ok(())
    }

    /// Every submission not yet accepted, oldest first, with its answers.
    pub fn unaccepted(&self) -> Result<Vec<Submission>, StoreError> {
        let refs: Vec<String> = self
            .conn
            .prepare_cached(
                "SELECT reference FROM submissions
                 WHERE state != 'accepted' AND practice = 0 AND cancelled_at IS NULL ORDER BY id",
            )?
            .query_map([], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        refs.iter().map(|r| self.get(r)).collect()
    }

    /// Reads a kiosk state value.
    pub fn state_value(&self, key: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT value FROM kiosk_state WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()?)
    }

    /// Writes a kiosk state value.
    pub fn set_state_value(&self, key: &str, value: &str) -> Result<(), StoreError> {
        Ok(put_state(&self.conn, key, value)?)
    }

    /// `PRAGMA integrity_check`: `Ok(())` or the problems SQLite found.
    pub fn integrity_check(&self) -> Result<(), String> {
        let mut stmt = self
            .conn
            .prepare("PRAGMA integrity_check")
            .map_err(|e| e.to_string())?;
        let lines: Vec<String> = stmt
            .query_map([], |r| r.get(0))
            .map_err(|e| e.to_string())?
            .collect::<Result<_, _>>()
            .map_err(|e| e.to_string())?;
        if lines == ["ok"] {
            Ok(())
        } else {
            Err(lines.join("; "))
        }
    }
}

/// The data dir holds residents' data: owner-only.
fn restrict_permissions(dir: &Path) {
    use std::os::unix::fs::PermissionsExt;
    // Best effort: a data dir on a filesystem without modes still works.
    let _ = std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::{Answer, Location};

    fn form() -> ValidForm {
        ValidForm {
            service_code: "POTHOLE".into(),
            locale: "fr".into(),
            answers: [("SIZE".to_string(), Answer::One("large".into()))].into(),
            description: "Près de l'école".into(),
            location: Location {
                address: "1 rue Haute".into(),
                lat: None,
                long: None,
            },
            ..ValidForm::default()
        }
    }

    #[test]
    fn enqueue_is_durable_with_receipt_job_and_unique_references() {
        let dir = tempdir();
        let mut store = Store::open(&dir).unwrap();
        let mode: String = store
            .connection()
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
        let sync: i64 = store
            .connection()
            .query_row("PRAGMA synchronous", [], |r| r.get(0))
            .unwrap();
        assert_eq!(sync, 2, "FULL");
        let a = store.enqueue("LIB2", &form(), None).unwrap();
        let b = store.enqueue("LIB2", &form(), Some("alice")).unwrap();
        assert_ne!(a, b);
        let s = store.get(a.as_str()).unwrap();
        assert_eq!(s.state, State::Pending);
        assert_eq!(s.form.unwrap(), form());
        let jobs: i64 = store
            .connection()
            .query_row("SELECT count(*) FROM print_jobs", [], |r| r.get(0))
            .unwrap();
        assert_eq!(jobs, 2);
        drop(store);
        let store = Store::open(&dir).unwrap();
        assert_eq!(store.list(None).unwrap().len(), 2);
        assert_eq!(
            store.get(b.as_str()).unwrap().assisted_by.as_deref(),
            Some("alice")
        );
        store.integrity_check().unwrap();
    }

    #[test]
    fn retry_only_applies_to_rejected_and_is_audited() {
        let dir = tempdir();
        let mut store = Store::open(&dir).unwrap();
        let r = store.enqueue("LIB2", &form(), None).unwrap();
        let err = store.retry(r.as_str(), "cli").unwrap_err();
        assert!(err.to_string().contains("only a rejected"), "{err}");
        store
            .connection()
            .execute(
                "UPDATE submissions SET state = 'rejected', last_error = 'bad' WHERE reference = ?1",
                [r.as_str()],
            )
            .unwrap();
        store.retry(r.as_str(), "cli").unwrap();
        assert_eq!(store.get(r.as_str()).unwrap().state, State::Pending);
        let audits: i64 = store
            .connection()
            .query_row(
                "SELECT count(*) FROM audit WHERE action = 'queue.retry'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(audits, 1);
        assert!(matches!(
            store.get("LIB2-99999-Z"),
            Err(StoreError::NotFound(_))
        ));
    }

    pub(crate) fn tempdir() -> PathBuf {
        crate::fsutil::test_dir("unit")
    }
}
