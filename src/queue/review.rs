//! What staff decide about deliveries the kiosk could not decide or the council refused:
//! resolving a submission in review (`queue resolve`), putting refusals back in bulk
//! (`queue retry --all-rejected`), re-filing a refused submission under another service
//! (`queue refile`), and exports that skip (and name) rows that cannot be opened.
//!
//! Every decision is one transaction with its attempt-log line and its audit entry.

use rusqlite::{OptionalExtension, TransactionBehavior, params};
use zeroize::Zeroizing;

use super::audit::audit_in;
use super::{State, Store, StoreError, Submission, now_rfc3339};
use crate::validate::ValidForm;

/// An export's rows: those that opened, and (reference, why) for those that did not.
pub type ReadableRows = (Vec<Submission>, Vec<(String, String)>);

/// What staff say about a submission in review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolution {
    /// The council has it, under this `service_request_id`.
    Sent(String),
    /// The council does not have it: send it again.
    Resend,
}

impl Resolution {
    /// "It reached the council" under `remote_id` as staff typed it (the CLI's `--sent` and the
    /// staff desk's field): trimmed; `None` when empty, too long or holding control characters.
    pub fn sent(remote_id: &str) -> Option<Resolution> {
        crate::validate::remote_id(remote_id).map(Resolution::Sent)
    }
}

/// Rejected rows whose reason is still in clear (written before the server's words were
/// sealed). Our own reasons match too; sealing them is harmless.
const CLEAR_REFUSAL: &str = "state = 'rejected' AND cancelled_at IS NULL AND server_text IS NULL
     AND last_error IS NOT NULL
     AND last_error NOT LIKE 'refused by the council''s server%'";

impl Store {
    /// Seals the refusal reasons an earlier version kept in clear (`last_error` and the attempt
    /// log), in one transaction, then compacts the file. Writes nothing when there are none.
    pub(crate) fn seal_legacy_refusals(&mut self) -> Result<u64, StoreError> {
        let n: i64 = self.conn.query_row(
            &format!("SELECT count(*) FROM submissions WHERE {CLEAR_REFUSAL}"),
            [],
            |r| r.get(0),
        )?;
        if n == 0 {
            return Ok(0);
        }
        let key = self.data_key();
        let result = (|| -> Result<u64, StoreError> {
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            let rows: Vec<(i64, String, String)> = tx
                .prepare(&format!(
                    "SELECT id, reference, last_error FROM submissions WHERE {CLEAR_REFUSAL}"
                ))?
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                .collect::<Result<_, _>>()?;
            for (id, reference, reason) in &rows {
                tx.execute(
                    "UPDATE submissions SET server_text = ?2, last_error = ?3 WHERE id = ?1",
                    params![
                        id,
                        crate::privacy::at_rest::seal_server_text(&key, reference, reason),
                        format!(
                            "refused by the council's server; its reason is sealed: guichet queue show {reference}"
                        )
                    ],
                )?;
                tx.execute(
                    "UPDATE attempts SET detail = 'refused by the server (its reason is sealed with the submission)'
                     WHERE submission_id = ?1 AND outcome = 'rejected'",
                    [id],
                )?;
            }
            tx.commit()?;
            Ok(rows.len() as u64)
        })();
        let sealed = self.map_store_error(result)?;
        if sealed > 0 {
            tracing::info!("sealed {sealed} refusal reason(s) an earlier version kept in clear");
            self.compact()?;
        }
        Ok(sealed)
    }

    pub(crate) fn id_and_state(&self, reference: &str) -> Result<(i64, State), StoreError> {
        self.conn
            .query_row(
                &format!(
                    "SELECT id, {} FROM submissions WHERE reference = ?1",
                    super::STATE_SQL
                ),
                [reference],
                |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)),
            )
            .optional()?
            .ok_or_else(|| StoreError::NotFound(reference.to_string()))
            .and_then(|(id, s)| {
                Ok((
                    id,
                    s.parse().map_err(|e: String| StoreError::Corrupt {
                        what: reference.to_string(),
                        detail: e,
                    })?,
                ))
            })
    }

    /// Staff resolve a submission in review. Audited with `actor`.
    pub fn resolve(
        &mut self,
        reference: &str,
        resolution: &Resolution,
        actor: &str,
    ) -> Result<(), StoreError> {
        let (id, state) = self.id_and_state(reference)?;
        if state != State::Review {
            return Err(StoreError::WrongState {
                reference: reference.to_string(),
                state: state.as_str(),
                what: "only a submission in review can be resolved",
            });
        }
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let now = now_rfc3339();
        let (outcome, detail) = match resolution {
            Resolution::Sent(remote_id) => {
                tx.execute(
                    "UPDATE submissions SET state = 'accepted', remote_id = ?2,
                        outcome_unknown = 0, unknown_since = NULL, absent_at = NULL,
                        review_reason = NULL, review_kind = NULL, next_attempt_at = NULL,
                        last_error = NULL, claimed_by = NULL, updated_at = ?3
                     WHERE id = ?1 AND review_reason IS NOT NULL",
                    params![id, remote_id, now],
                )?;
                (
                    "resolved",
                    format!("staff: on the server as service_request_id {remote_id} ({actor})"),
                )
            }
            Resolution::Resend => {
                tx.execute(
                    "UPDATE submissions SET outcome_unknown = 0, unknown_since = NULL,
                        absent_at = NULL, review_reason = NULL, review_kind = NULL,
                        next_attempt_at = NULL, last_error = NULL, claimed_by = NULL,
                        updated_at = ?2
                     WHERE id = ?1 AND review_reason IS NOT NULL",
                    params![id, now],
                )?;
                (
                    "resolved",
                    format!("staff: not on the server, send it again ({actor})"),
                )
            }
        };
        tx.execute(
            "INSERT INTO attempts (submission_id, at, outcome, detail) VALUES (?1, ?2, ?3, ?4)",
            params![id, now, outcome, detail],
        )?;
        audit_in(&tx, actor, "queue.resolve", Some(reference), &detail)?;
        tx.commit().map_err(|e| self.map_write_error(e))?;
        Ok(())
    }

    /// Puts every rejected submission (refused at or after `since`, RFC 3339, when given) back
    /// to pending, in one transaction. Returns how many.
    pub fn retry_all_rejected(
        &mut self,
        since: Option<&str>,
        actor: &str,
    ) -> Result<usize, StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let now = now_rfc3339();
        let ids: Vec<i64> = tx
            .prepare(
                "SELECT id FROM submissions
                 WHERE state = 'rejected' AND cancelled_at IS NULL
                   AND (?1 IS NULL OR updated_at >= ?1) ORDER BY id",
            )?
            .query_map([since], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        for id in &ids {
            tx.execute(
                "UPDATE submissions SET state = 'pending', next_attempt_at = NULL, updated_at = ?2
                 WHERE id = ?1",
                params![id, now],
            )?;
            tx.execute(
                "INSERT INTO attempts (submission_id, at, outcome, detail)
                 VALUES (?1, ?2, 'requeued', ?3)",
                params![
                    id,
                    now,
                    format!("put back to pending by {actor} (all rejected)")
                ],
            )?;
        }
        audit_in(
            &tx,
            actor,
            "queue.retry-all-rejected",
            None,
            &format!(
                "{} submission(s), since {}",
                ids.len(),
                since.unwrap_or("ever")
            ),
        )?;
        tx.commit().map_err(|e| self.map_write_error(e))?;
        Ok(ids.len())
    }

    /// Re-files a rejected submission under another service with `form` (already validated
    /// against that service), sealed like any payload, and puts it back to pending.
    pub fn refile(
        &mut self,
        reference: &str,
        form: &ValidForm,
        actor: &str,
    ) -> Result<(), StoreError> {
        let (id, state) = self.id_and_state(reference)?;
        if state != State::Rejected {
            return Err(StoreError::WrongState {
                reference: reference.to_string(),
                state: state.as_str(),
                what: "only a rejected submission can be re-filed",
            });
        }
        let clear = Zeroizing::new(serde_json::to_vec(form).map_err(|e| StoreError::Corrupt {
            what: reference.to_string(),
            detail: e.to_string(),
        })?);
        let sealed = crate::privacy::at_rest::seal_payload(&self.data_key(), reference, &clear);
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let now = now_rfc3339();
        let old: String = tx.query_row(
            "SELECT service_code FROM submissions WHERE id = ?1",
            [id],
            |r| r.get(0),
        )?;
        tx.execute(
            "UPDATE submissions SET service_code = ?2, payload = ?3, state = 'pending',
                next_attempt_at = NULL, updated_at = ?4
             WHERE id = ?1 AND state = 'rejected'",
            params![id, form.service_code, sealed, now],
        )?;
        let detail = format!("re-filed from {old} under {} by {actor}", form.service_code);
        tx.execute(
            "INSERT INTO attempts (submission_id, at, outcome, detail)
             VALUES (?1, ?2, 'refiled', ?3)",
            params![id, now, detail],
        )?;
        audit_in(&tx, actor, "queue.refile", Some(reference), &detail)?;
        tx.commit().map_err(|e| self.map_write_error(e))?;
        Ok(())
    }

    /// Every submission not yet accepted, oldest first, with its answers; a row whose personal
    /// data cannot be opened is skipped and named (reference, why) instead of failing them all.
    pub fn unaccepted_readable(&self) -> Result<ReadableRows, StoreError> {
        let refs: Vec<String> = self
            .conn
            .prepare_cached(
                "SELECT reference FROM submissions
                 WHERE state != 'accepted' AND practice = 0 AND cancelled_at IS NULL ORDER BY id",
            )?
            .query_map([], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        let mut readable = Vec::with_capacity(refs.len());
        let mut skipped = Vec::new();
        for r in refs {
            match self.get(&r) {
                Ok(s) => readable.push(s),
                Err(StoreError::Corrupt { detail, .. }) => skipped.push((r, detail)),
                Err(e) => return Err(e),
            }
        }
        Ok((readable, skipped))
    }
}
