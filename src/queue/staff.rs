//! Staff accounts and the PIN pad's lockout, as rows. The policy (argon2id, how long a lock
//! lasts) is `crate::staff`'s; this file only stores what it decided, so that a restart keeps
//! both the accounts and a lock in force.

use rusqlite::{OptionalExtension, TransactionBehavior, params};
use serde::Serialize;

use super::audit::audit_in;
use super::{Store, StoreError, now_rfc3339};

/// A staff account as listed (`guichet staff list --json`): never the PIN's hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StaffAccount {
    /// The name shown on receipts ("Assisted by NAME") and in the audit trail.
    pub name: String,
    /// RFC 3339.
    pub created_at: String,
}

/// The PIN pad's persistent state: wrong PINs in a row, locks earned, the current lock's end.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LockoutRow {
    /// Wrong PINs since the last right one.
    pub failures: u32,
    /// Locks earned since the last right PIN (each one longer).
    pub locks: u32,
    /// RFC 3339 end of the current lock, if one was set.
    pub locked_until: Option<String>,
}

impl Store {
    /// Adds an account with its PIN's PHC hash, audited with `actor`, in one transaction. A
    /// duplicate name fails (`UNIQUE`); callers check [`Store::staff_exists`] first for a clear
    /// message.
    pub fn insert_staff(
        &mut self,
        name: &str,
        pin_hash: &str,
        actor: &str,
    ) -> Result<(), StoreError> {
        let result = (|| -> Result<(), StoreError> {
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            tx.execute(
                "INSERT INTO staff (name, pin_hash, created_at) VALUES (?1, ?2, ?3)",
                params![name, pin_hash, now_rfc3339()],
            )?;
            audit_in(&tx, actor, "staff.add", None, &format!("account {name}"))?;
            tx.commit()?;
            Ok(())
        })();
        self.map_store_error(result)
    }

    /// Whether an account has this name.
    pub fn staff_exists(&self, name: &str) -> Result<bool, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT 1 FROM staff WHERE name = ?1", [name], |_| Ok(()))
            .optional()?
            .is_some())
    }

    /// Removes an account (audited). Returns false when there was none of that name.
    pub fn delete_staff(&mut self, name: &str, actor: &str) -> Result<bool, StoreError> {
        let result = (|| -> Result<bool, StoreError> {
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            let n = tx.execute("DELETE FROM staff WHERE name = ?1", [name])?;
            if n > 0 {
                audit_in(&tx, actor, "staff.remove", None, &format!("account {name}"))?;
            }
            tx.commit()?;
            Ok(n > 0)
        })();
        self.map_store_error(result)
    }

    /// Every account, by name.
    pub fn staff_accounts(&self) -> Result<Vec<StaffAccount>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT name, created_at FROM staff ORDER BY name")?;
        let rows = stmt.query_map([], |r| {
            Ok(StaffAccount {
                name: r.get(0)?,
                created_at: r.get(1)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Every (name, PHC hash): the PIN pad compares a PIN with each (a PIN alone names its
    /// holder).
    pub fn staff_pin_hashes(&self) -> Result<Vec<(String, String)>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT name, pin_hash FROM staff ORDER BY id")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The PIN pad's lockout state (zeroes when never written).
    pub fn pin_lockout(&self) -> Result<LockoutRow, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT failures, locks, locked_until FROM staff_lockout WHERE id = 1",
                [],
                |r| {
                    Ok(LockoutRow {
                        failures: r.get::<_, i64>(0)?.clamp(0, i64::from(u32::MAX)) as u32,
                        locks: r.get::<_, i64>(1)?.clamp(0, i64::from(u32::MAX)) as u32,
                        locked_until: r.get(2)?,
                    })
                },
            )
            .optional()?
            .unwrap_or_default())
    }

    /// Stores the lockout state, with an audit line (`detail`, written by Guichet: counts and
    /// times, never the PIN typed) when `audit_action` is given.
    pub fn set_pin_lockout(
        &mut self,
        row: &LockoutRow,
        audit_action: Option<(&str, &str, &str)>,
    ) -> Result<(), StoreError> {
        let result = (|| -> Result<(), StoreError> {
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            tx.execute(
                "INSERT INTO staff_lockout (id, failures, locks, locked_until) VALUES (1, ?1, ?2, ?3)
                 ON CONFLICT (id) DO UPDATE SET failures = excluded.failures,
                     locks = excluded.locks, locked_until = excluded.locked_until",
                params![row.failures, row.locks, row.locked_until],
            )?;
            if let Some((actor, action, detail)) = audit_action {
                audit_in(&tx, actor, action, None, detail)?;
            }
            tx.commit()?;
            Ok(())
        })();
        self.map_store_error(result)
    }
}

/// One line of the audit trail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditLine {
    /// RFC 3339.
    pub at: String,
    /// Who: a staff name, `cli`, `kiosk`, `retention`.
    pub actor: String,
    /// What, e.g. `staff.sign-in`, `queue.cancel`.
    pub action: String,
    /// Which submission, if one.
    pub reference: Option<String>,
    /// Written by Guichet: counts, states, times (never a resident's answers or a PIN).
    pub detail: String,
}

/// What a look-up (staff's or a resident's "check a request") may show about a submission:
/// states and dates, never the payload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LookupRow {
    /// Reference.
    pub reference: String,
    /// The state as shown (`pending`, `review`, `accepted`, `rejected`, `cancelled`,
    /// `practice`).
    pub state: super::State,
    /// Service code.
    pub service_code: String,
    /// The resident's language.
    pub locale: String,
    /// RFC 3339.
    pub created_at: String,
    /// The council's id once accepted.
    pub remote_id: Option<String>,
    /// The last status the council reported (`open`, `closed`, ...).
    pub remote_status: Option<String>,
    /// When that status was fetched (RFC 3339).
    pub remote_status_at: Option<String>,
    /// The staff member who helped, if any.
    pub assisted_by: Option<String>,
    /// Why delivery needs staff (review) or our one-line summary of a refusal; never the
    /// server's own words (those are sealed: [`Store::server_text`]).
    pub reason: Option<String>,
    /// In review only: which case, as recorded when it was put there.
    pub review_kind: Option<super::ReviewKind>,
}

impl Store {
    /// The look-up facts of one submission, `None` when there is no such reference.
    pub fn lookup_row(&self, reference: &str) -> Result<Option<LookupRow>, StoreError> {
        Ok(self
            .conn
            .query_row(
                &format!(
                    "SELECT reference, {}, service_code, locale, created_at, remote_id,
                        remote_status, remote_status_at, assisted_by,
                        COALESCE(review_reason, last_error), review_kind
                     FROM submissions WHERE reference = ?1",
                    super::STATE_SQL
                ),
                [reference],
                |r| {
                    let state = super::State::from_db(&r.get::<_, String>(1)?)?;
                    let review_kind = match state {
                        super::State::Review => Some(super::ReviewKind::from_db(
                            r.get::<_, Option<String>>(10)?.as_deref(),
                        )),
                        _ => None,
                    };
                    Ok(LookupRow {
                        reference: r.get(0)?,
                        state,
                        service_code: r.get(2)?,
                        locale: r.get(3)?,
                        created_at: r.get(4)?,
                        remote_id: r.get(5)?,
                        remote_status: r.get(6)?,
                        remote_status_at: r.get(7)?,
                        assisted_by: r.get(8)?,
                        reason: r.get(9)?,
                        review_kind,
                    })
                },
            )
            .optional()?)
    }

    /// Look-up facts of every submission in `state` (as shown), newest first.
    pub fn lookup_rows_in(&self, state: super::State) -> Result<Vec<LookupRow>, StoreError> {
        let refs: Vec<String> = self
            .list(Some(state))?
            .into_iter()
            .map(|s| s.reference)
            .collect();
        let mut out = Vec::with_capacity(refs.len());
        for r in refs {
            if let Some(row) = self.lookup_row(&r)? {
                out.push(row);
            }
        }
        Ok(out)
    }

    /// Staff cancel a submission that is pending (and not possibly on the server), in review or
    /// rejected: its personal data and the server's words are erased, it is kept as
    /// `cancelled` (stored `rejected` with `cancelled_at`, so nothing ever sends it), with an
    /// attempt-log line and an audit line, in one transaction; then the file is compacted.
    pub fn cancel_submission(&mut self, reference: &str, actor: &str) -> Result<(), StoreError> {
        let (id, state) = self.id_and_state(reference)?;
        let unknown: bool = self.conn.query_row(
            "SELECT outcome_unknown = 1 OR claimed_by IS NOT NULL FROM submissions WHERE id = ?1",
            [id],
            |r| r.get(0),
        )?;
        let allowed = match state {
            super::State::Pending => !unknown,
            super::State::Review | super::State::Rejected => true,
            _ => false,
        };
        if !allowed {
            return Err(StoreError::WrongState {
                reference: reference.to_string(),
                state: if unknown && state == super::State::Pending {
                    "being delivered"
                } else {
                    state.as_str()
                },
                what: "only a pending (not being delivered), review or rejected submission can be cancelled",
            });
        }
        let result = (|| -> Result<(), StoreError> {
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            let now = now_rfc3339();
            tx.execute(
                "UPDATE submissions SET state = 'rejected', cancelled_at = ?2, erased_at = ?2,
                    payload = NULL, server_text = NULL, last_error = NULL, review_reason = NULL,
                    review_kind = NULL, outcome_unknown = 0, claimed_by = NULL,
                    next_attempt_at = NULL, updated_at = ?2
                 WHERE id = ?1",
                params![id, now],
            )?;
            let detail = format!("cancelled by {actor} (was {})", state.as_str());
            tx.execute(
                "INSERT INTO attempts (submission_id, at, outcome, detail)
                 VALUES (?1, ?2, 'cancelled', ?3)",
                params![id, now, detail],
            )?;
            audit_in(&tx, actor, "queue.cancel", Some(reference), &detail)?;
            tx.commit()?;
            Ok(())
        })();
        self.map_store_error(result)?;
        self.compact()
    }

    /// Deletes every practice (training-mode) submission with its print jobs and attempts,
    /// audited with `actor` (a count), then compacts the file. Returns how many.
    pub fn delete_practice(&mut self, actor: &str) -> Result<u64, StoreError> {
        let result = (|| -> Result<usize, StoreError> {
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            tx.execute(
                "DELETE FROM attempts WHERE submission_id IN
                   (SELECT id FROM submissions WHERE practice = 1)",
                [],
            )?;
            tx.execute(
                "DELETE FROM print_jobs WHERE submission_id IN
                   (SELECT id FROM submissions WHERE practice = 1)",
                [],
            )?;
            let n = tx.execute("DELETE FROM submissions WHERE practice = 1", [])?;
            if n > 0 {
                audit_in(
                    &tx,
                    actor,
                    "staff.practice-erased",
                    None,
                    &format!("{n} practice submission(s)"),
                )?;
            }
            tx.commit()?;
            Ok(n)
        })();
        let n = self.map_store_error(result)?;
        if n > 0 {
            self.compact()?;
        }
        Ok(n as u64)
    }

    /// The audit trail, newest first, at most `limit` lines.
    pub fn audit_lines(&self, limit: usize) -> Result<Vec<AuditLine>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT at, actor, action, reference, detail FROM audit ORDER BY id DESC LIMIT ?1",
        )?;
        let rows = stmt.query_map([limit as i64], |r| {
            Ok(AuditLine {
                at: r.get(0)?,
                actor: r.get(1)?,
                action: r.get(2)?,
                reference: r.get(3)?,
                detail: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
