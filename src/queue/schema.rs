//! Versioned schema migrations. Append a new `M::up` for every change; never edit a shipped one,
//! because 200 kiosks have already run it.
//!
//! Why a database may be newer than the binary: A/B updates (kiosk-image/README.md, "Updates").
//! A new version boots on trial, migrates the database on the persistent data partition, serves
//! residents for a few minutes, and may still be rolled back to the old slot. The old binary must
//! then open the migrated database, or the kiosk would be down after the rollback that was meant
//! to save it. So migrations only add (a column that may be NULL or has a default, a table, an
//! index, a trigger that keeps its own column up to date), and the database records in
//! `kiosk_state` ([`READABLE_FROM_KEY`]) the oldest schema version whose binaries can still use
//! it. An older binary opens a newer database without migrating when it is at least that version;
//! otherwise it refuses in one line ([`SchemaError::TooNew`]) and changes nothing. A change that
//! cannot be additive (a rebuilt table, a new meaning for a column) raises [`READABLE_FROM`] and
//! makes its release impossible to roll back: ship it as two releases instead (first one that
//! reads both shapes, marked good on the fleet, then the one that drops the old shape).

use rusqlite::{Connection, OptionalExtension};
use rusqlite_migration::{M, Migrations};

/// The oldest schema version (number of migrations) whose binaries can use a database this
/// binary has migrated. Raise it only with a migration an older binary would misread.
///
/// 5: assisted mode's `submissions.practice` (migration 5) is additive in form but not in
/// meaning: a version-4 binary would deliver practice submissions. (Binaries before this rule
/// refuse any newer database anyway.)
pub const READABLE_FROM: usize = 5;

/// `kiosk_state` key recording [`READABLE_FROM`] of the newest binary that migrated the database.
pub const READABLE_FROM_KEY: &str = "schema.readable_from";

/// The schema version this binary knows (the number of migrations).
pub fn known_version() -> usize {
    MIGRATIONS.len()
}

/// Why a database's schema could not be used.
#[derive(Debug, thiserror::Error)]
pub enum SchemaError {
    /// A newer version changed the schema in a way this binary cannot read.
    #[error(
        "the database has schema version {found}, written by a newer Guichet that needs at least version {needs}; this binary knows {known}: install the newer version again (nothing was changed)"
    )]
    TooNew {
        /// The database's `user_version`.
        found: usize,
        /// The oldest schema version that can use it.
        needs: usize,
        /// What this binary knows.
        known: usize,
    },
    /// Migrating failed.
    #[error("database migration failed: {0}")]
    Migration(#[from] rusqlite_migration::Error),
    /// Reading or writing the schema's bookkeeping failed.
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
}

/// What [`bring_up_to_date`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Upgrade {
    /// The database is at this binary's version (migrated now or already).
    Current,
    /// The database is newer (a newer version ran, and this one was rolled back to); it is used
    /// as it is, since the newer version declared it readable by this one.
    NewerButReadable {
        /// The database's version.
        found: usize,
    },
}

/// Brings the schema up to this binary's version, or accepts a newer one that declared itself
/// readable by this binary (see the module docs). Never migrates backwards, never edits a newer
/// database's bookkeeping.
pub fn bring_up_to_date(conn: &mut Connection) -> Result<Upgrade, SchemaError> {
    let found: usize = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    let known = known_version();
    if found > known {
        let needs = conn
            .query_row(
                "SELECT value FROM kiosk_state WHERE key = ?1",
                [READABLE_FROM_KEY],
                |r| r.get::<_, String>(0),
            )
            .optional()?
            .and_then(|v| v.parse::<usize>().ok())
            // A newer database that does not say who can read it: only its own version can.
            .unwrap_or(found);
        if needs > known {
            return Err(SchemaError::TooNew {
                found,
                needs,
                known,
            });
        }
        tracing::warn!(
            "the database has schema version {found}, newer than this binary's {known} (a newer \
             version ran; this is a rollback): used as it is"
        );
        return Ok(Upgrade::NewerButReadable { found });
    }
    migrations().to_latest(conn)?;
    let recorded: Option<String> = conn
        .query_row(
            "SELECT value FROM kiosk_state WHERE key = ?1",
            [READABLE_FROM_KEY],
            |r| r.get(0),
        )
        .optional()?;
    if recorded.as_deref() != Some(READABLE_FROM.to_string().as_str()) {
        super::put_state(conn, READABLE_FROM_KEY, &READABLE_FROM.to_string())?;
    }
    Ok(Upgrade::Current)
}

/// All migrations, oldest first.
pub fn migrations() -> Migrations<'static> {
    Migrations::from_slice(MIGRATIONS)
}

const MIGRATIONS: &[M<'static>] = &[
    M::up(
        r#"
-- Per-device reference sequence. Keyed by device code so a re-provisioned kiosk with a new code
-- starts its own sequence without colliding with the old one's references.
CREATE TABLE sequences (
    device_code   TEXT PRIMARY KEY,
    next_sequence INTEGER NOT NULL CHECK (next_sequence > 0)
) STRICT;

-- One row per submission. `payload` holds everything personal (answers, description, location,
-- contact); it becomes NULL once retention has passed, while the row stays for lookup.
CREATE TABLE submissions (
    id              INTEGER PRIMARY KEY,
    reference       TEXT NOT NULL UNIQUE,
    service_code    TEXT NOT NULL,
    locale          TEXT NOT NULL,
    state           TEXT NOT NULL CHECK (state IN ('pending', 'accepted', 'rejected')),
    payload         BLOB,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    remote_id       TEXT,
    token           TEXT,
    service_notice  TEXT,
    last_error      TEXT,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT,
    -- 1 while a POST may have reached the server without us seeing the answer: such a
    -- submission is reconciled (looked up on the server) before it is ever sent again.
    outcome_unknown INTEGER NOT NULL DEFAULT 0 CHECK (outcome_unknown IN (0, 1)),
    assisted_by     TEXT,
    remote_status   TEXT,
    remote_status_at TEXT,
    erased_at       TEXT
) STRICT;
CREATE INDEX submissions_by_state ON submissions (state, next_attempt_at);

-- Every attempt to deliver a submission, for staff and technicians.
CREATE TABLE attempts (
    id            INTEGER PRIMARY KEY,
    submission_id INTEGER NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,
    at            TEXT NOT NULL,
    outcome       TEXT NOT NULL,
    detail        TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX attempts_by_submission ON attempts (submission_id);

-- Receipts to print. Written in the same transaction as the submission.
CREATE TABLE print_jobs (
    id            INTEGER PRIMARY KEY,
    submission_id INTEGER NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,
    state         TEXT NOT NULL CHECK (state IN ('pending', 'printed', 'failed', 'skipped')),
    reprint       INTEGER NOT NULL DEFAULT 0 CHECK (reprint IN (0, 1)),
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    attempts      INTEGER NOT NULL DEFAULT 0,
    last_error    TEXT
) STRICT;
CREATE INDEX print_jobs_by_state ON print_jobs (state);

-- What staff did, and when. Never holds residents' personal data.
CREATE TABLE audit (
    id        INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    reference TEXT,
    detail    TEXT NOT NULL DEFAULT ''
) STRICT;

-- The cached catalogue, one validated document per language ('' = the central system's own).
CREATE TABLE catalogs (
    locale     TEXT PRIMARY KEY,
    document   TEXT NOT NULL,
    source     TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;

-- Small facts about the kiosk's state: last sync, connectivity, help requested...
CREATE TABLE kiosk_state (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;
"#,
    ),
    // Sync (issue 5): when a POST whose answer we may not have seen was first sent, so that
    // reconciliation searches the server from that moment, not from when the resident submitted
    // (a submission queued offline for weeks is only requested on the server when it is sent).
    M::up("ALTER TABLE submissions ADD COLUMN unknown_since TEXT;"),
    // Privacy (issue 6): retention counts from the council's acceptance, so record when it
    // happened. A trigger keeps every path that accepts (delivery, reconciliation, status
    // pulls) covered without each having to remember; rows accepted before this migration take
    // their accepting attempt's time, else their last update.
    M::up(
        r#"
ALTER TABLE submissions ADD COLUMN accepted_at TEXT;
UPDATE submissions SET accepted_at = COALESCE(
    (SELECT max(a.at) FROM attempts a
      WHERE a.submission_id = submissions.id AND a.outcome IN ('accepted', 'reconciled')),
    updated_at)
  WHERE state = 'accepted';
CREATE TRIGGER submissions_accepted_at AFTER UPDATE OF state ON submissions
  WHEN NEW.state = 'accepted' AND OLD.state IS NOT 'accepted'
BEGIN
  UPDATE submissions SET accepted_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = NEW.id;
END;
"#,
    ),
    // Delivery under hostile servers (issue 11):
    // - `claimed_by`: the round that claimed a submission; outcomes are recorded only by it, and a
    //   claim whose round is gone (it no longer holds the delivery lock) is abandoned;
    // - `mark_boot`, `mark_mono_ms`: when (boot id, boot clock) it was last sent or looked up, so
    //   waits survive a wall clock that steps;
    // - `absent_at`: a first complete lookup with evidence did not find it; a second confirms;
    // - `review_reason`: delivery could not be decided; staff resolve it (`queue resolve`). The
    //   row stays `pending` (no resend, no claim) so the state CHECK needs no table rebuild;
    // - `server_text`: the server's words about it (a refusal may echo personal data), sealed
    //   like the payload and erased with it.
    M::up(
        r#"
ALTER TABLE submissions ADD COLUMN claimed_by TEXT;
ALTER TABLE submissions ADD COLUMN mark_boot TEXT;
ALTER TABLE submissions ADD COLUMN mark_mono_ms INTEGER;
ALTER TABLE submissions ADD COLUMN absent_at TEXT;
ALTER TABLE submissions ADD COLUMN review_reason TEXT;
ALTER TABLE submissions ADD COLUMN server_text BLOB;
"#,
    ),
    // Assisted mode (issue 15):
    // - `staff`: accounts for the staff PIN pad; a PIN alone names its holder, so no two
    //   accounts may share one (checked against every hash when adding: argon2 salts differ);
    // - `staff_lockout`: one row; wrong PINs in a row and the lock they earned, kept here so a
    //   restart does not reset it;
    // - `help_requests`: "ask for help", durable until staff were told (`notify`) and came
    //   (`done_at`, `done_by`); nothing about the resident;
    // - `sessions`: one row per resident session for `guichet stats`: no answers, no reference;
    // - `submissions.practice`: training-mode rows, never delivered, deleted at the end of the
    //   staff session; `submissions.cancelled_at`: staff cancelled it (payload erased, state
    //   `rejected` so nothing sends it, shown as `cancelled`).
    M::up(
        r#"
CREATE TABLE staff (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    pin_hash   TEXT NOT NULL,
    created_at TEXT NOT NULL
) STRICT;
CREATE TABLE staff_lockout (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    failures     INTEGER NOT NULL DEFAULT 0,
    locks        INTEGER NOT NULL DEFAULT 0,
    locked_until TEXT
) STRICT;
CREATE TABLE help_requests (
    id              INTEGER PRIMARY KEY,
    requested_at    TEXT NOT NULL,
    locale          TEXT NOT NULL DEFAULT '',
    notify          TEXT NOT NULL CHECK (notify IN ('pending', 'delivered', 'unconfigured')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT,
    last_error      TEXT,
    delivered_at    TEXT,
    done_at         TEXT,
    done_by         TEXT
) STRICT;
CREATE INDEX help_requests_open ON help_requests (done_at, notify);
CREATE TABLE sessions (
    id           INTEGER PRIMARY KEY,
    started_at   TEXT NOT NULL,
    ended_at     TEXT NOT NULL,
    locale       TEXT NOT NULL,
    service_code TEXT,
    assisted     INTEGER NOT NULL DEFAULT 0 CHECK (assisted IN (0, 1)),
    practice     INTEGER NOT NULL DEFAULT 0 CHECK (practice IN (0, 1)),
    outcome      TEXT NOT NULL CHECK (outcome IN ('completed', 'abandoned', 'timed_out')),
    step         INTEGER NOT NULL DEFAULT 0,
    duration_s   INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX sessions_by_start ON sessions (started_at);
ALTER TABLE submissions ADD COLUMN practice INTEGER NOT NULL DEFAULT 0 CHECK (practice IN (0, 1));
ALTER TABLE submissions ADD COLUMN cancelled_at TEXT;
"#,
    ),
    // Why a submission is in review, as data (`queue::ReviewKind`): the staff desk named the
    // case by how `review_reason` began, which tied it to the English of a technicians' line.
    // Delivery now records the kind with the reason. Rows already in review take theirs from
    // the reason, once, here: the versions before this one wrote only two, beginning
    // "undecided for" and "a request on the server names" (GLOB: case-sensitive, as the desk's
    // test was). Additive, so an older binary still uses the database after a rollback; the two
    // triggers keep the kind in step with what such a binary writes, which is `review_reason`
    // alone: cleared with it, and read from its (that version's, fixed) words when it puts a
    // submission in review. This version always writes both, so neither trigger acts on its
    // own updates.
    M::up(
        r#"
ALTER TABLE submissions ADD COLUMN review_kind TEXT
    CHECK (review_kind IN ('undecided', 'unverified', 'other'));
UPDATE submissions SET review_kind = CASE
        WHEN review_reason GLOB 'undecided for*' THEN 'undecided'
        WHEN review_reason GLOB 'a request on the server names*' THEN 'unverified'
        ELSE 'other' END
  WHERE review_reason IS NOT NULL;
CREATE TRIGGER submissions_review_kind_cleared AFTER UPDATE OF review_reason ON submissions
  WHEN NEW.review_reason IS NULL AND NEW.review_kind IS NOT NULL
BEGIN
  UPDATE submissions SET review_kind = NULL WHERE id = NEW.id;
END;
CREATE TRIGGER submissions_review_kind_unrecorded AFTER UPDATE OF review_reason ON submissions
  WHEN NEW.review_reason IS NOT NULL AND NEW.review_kind IS NULL
BEGIN
  UPDATE submissions SET review_kind = CASE
        WHEN NEW.review_reason GLOB 'undecided for*' THEN 'undecided'
        WHEN NEW.review_reason GLOB 'a request on the server names*' THEN 'unverified'
        ELSE 'other' END
   WHERE id = NEW.id;
END;
"#,
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid() {
        super::migrations().validate().unwrap();
    }

    #[test]
    fn readable_from_is_a_shipped_version() {
        assert!((1..=known_version()).contains(&READABLE_FROM));
    }

    fn user_version(conn: &Connection) -> usize {
        conn.pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap()
    }

    /// What a newer release does: one more (additive) migration, declaring who can read it.
    fn newer_release(conn: &Connection, readable_from: usize) {
        let next = known_version() + 1;
        conn.execute_batch(&format!(
            "ALTER TABLE submissions ADD COLUMN from_the_future TEXT;
             PRAGMA user_version = {next};
             UPDATE kiosk_state SET value = '{readable_from}' WHERE key = '{READABLE_FROM_KEY}';"
        ))
        .unwrap();
    }

    #[test]
    fn a_newer_database_that_declares_this_version_readable_is_used_as_it_is() {
        let mut conn = Connection::open_in_memory().unwrap();
        assert_eq!(bring_up_to_date(&mut conn).unwrap(), Upgrade::Current);
        assert_eq!(user_version(&conn), known_version());
        newer_release(&conn, READABLE_FROM);
        let found = known_version() + 1;
        assert_eq!(
            bring_up_to_date(&mut conn).unwrap(),
            Upgrade::NewerButReadable { found }
        );
        assert_eq!(user_version(&conn), found, "never migrated backwards");
    }

    #[test]
    fn a_newer_database_this_version_cannot_read_is_refused_untouched() {
        let mut conn = Connection::open_in_memory().unwrap();
        bring_up_to_date(&mut conn).unwrap();
        let found = known_version() + 1;
        newer_release(&conn, found);
        let err = bring_up_to_date(&mut conn).unwrap_err();
        assert!(
            matches!(err, SchemaError::TooNew { found: f, needs, known }
                if f == found && needs == found && known == known_version()),
            "{err}"
        );
        assert!(err.to_string().contains("nothing was changed"), "{err}");
        assert_eq!(user_version(&conn), found);
        // A newer database that says nothing about its readers is refused too.
        conn.execute(
            "DELETE FROM kiosk_state WHERE key = ?1",
            [READABLE_FROM_KEY],
        )
        .unwrap();
        assert!(matches!(
            bring_up_to_date(&mut conn),
            Err(SchemaError::TooNew { .. })
        ));
    }
}
