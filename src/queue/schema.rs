//! Versioned schema migrations. Append a new `M::up` for every change; never edit a shipped one,
//! because 200 kiosks have already run it.

use rusqlite_migration::{M, Migrations};

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
];

#[cfg(test)]
mod tests {
    #[test]
    fn migrations_are_valid() {
        super::migrations().validate().unwrap();
    }
}
