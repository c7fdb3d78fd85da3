//! Print jobs (the rows of `print_jobs`, and the non-personal facts a receipt is made from) and
//! their queries (used by the printer module).
//!
//! A job is `pending` until it prints (`printed`), is given up (`failed`: too old to hand to the
//! resident, staff reprint on request) or there is no printer (`skipped`). A failed attempt leaves
//! the job `pending` with `attempts` and `last_error` updated, so it prints when the printer comes
//! back, even after a restart. The receipt's facts are read here without the payload: the printer
//! never sees a resident's answers.

use rusqlite::{OptionalExtension, TransactionBehavior, params};

use super::{Store, StoreError, audit_in, now_rfc3339};
use serde::Serialize;

/// State of a print job.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum JobState {
    /// Waiting to print (never tried, or tried and the printer was not ready).
    Pending,
    /// Printed.
    Printed,
    /// Given up; a staff reprint makes a new job.
    Failed,
    /// No printer configured.
    Skipped,
}

impl JobState {
    /// The stored spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            JobState::Pending => "pending",
            JobState::Printed => "printed",
            JobState::Failed => "failed",
            JobState::Skipped => "skipped",
        }
    }

    pub(crate) fn from_db(s: &str) -> rusqlite::Result<JobState> {
        Ok(match s {
            "pending" => JobState::Pending,
            "printed" => JobState::Printed,
            "failed" => JobState::Failed,
            "skipped" => JobState::Skipped,
            other => {
                return Err(rusqlite::Error::FromSqlConversionFailure(
                    1,
                    rusqlite::types::Type::Text,
                    format!("unknown print job state {other:?}").into(),
                ));
            }
        })
    }
}

/// One receipt to print.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PrintJob {
    /// Job id.
    pub id: i64,
    /// The submission's reference.
    pub reference: String,
    /// State.
    pub state: JobState,
    /// A staff reprint (marked "copy" on paper).
    pub reprint: bool,
    /// RFC 3339.
    pub created_at: String,
    /// Attempts that reached the printer or found it not ready.
    pub attempts: i64,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
}

/// What a receipt may show about a submission: nothing personal.
#[derive(Debug, Clone, PartialEq)]
pub struct ReceiptRow {
    /// Reference.
    pub reference: String,
    /// Service code.
    pub service_code: String,
    /// The resident's language.
    pub locale: String,
    /// RFC 3339 (UTC).
    pub created_at: String,
    /// Staff member who helped, if any.
    pub assisted_by: Option<String>,
    /// Made in training mode: printed as "PRACTICE", never sent.
    pub practice: bool,
}

const JOB_COLUMNS: &str =
    "j.id, s.reference, j.state, j.reprint, j.created_at, j.attempts, j.last_error
     FROM print_jobs j JOIN submissions s ON s.id = j.submission_id";

fn job_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<PrintJob> {
    Ok(PrintJob {
        id: r.get(0)?,
        reference: r.get(1)?,
        state: JobState::from_db(&r.get::<_, String>(2)?)?,
        reprint: r.get::<_, i64>(3)? != 0,
        created_at: r.get(4)?,
        attempts: r.get(5)?,
        last_error: r.get(6)?,
    })
}

impl Store {
    /// Jobs waiting to print, oldest first.
    pub fn pending_print_jobs(&self) -> Result<Vec<PrintJob>, StoreError> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {JOB_COLUMNS} WHERE j.state = 'pending' ORDER BY j.id"
        ))?;
        Ok(stmt
            .query_map([], job_from_row)?
            .collect::<Result<_, _>>()?)
    }

    /// One job by id.
    pub fn print_job(&self, id: i64) -> Result<Option<PrintJob>, StoreError> {
        Ok(self
            .conn
            .query_row(
                &format!("SELECT {JOB_COLUMNS} WHERE j.id = ?1"),
                [id],
                job_from_row,
            )
            .optional()?)
    }

    /// Every job for a reference, oldest first.
    pub fn print_jobs_for(&self, reference: &str) -> Result<Vec<PrintJob>, StoreError> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {JOB_COLUMNS} WHERE s.reference = ?1 ORDER BY j.id"
        ))?;
        Ok(stmt
            .query_map([reference], job_from_row)?
            .collect::<Result<_, _>>()?)
    }

    /// Records the end of an attempt: the new state, one more attempt, and why it failed.
    pub fn finish_print_attempt(
        &self,
        id: i64,
        state: JobState,
        error: Option<&str>,
    ) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE print_jobs SET state = ?2, attempts = attempts + 1, last_error = ?3,
                 updated_at = ?4
             WHERE id = ?1",
            params![id, state.as_str(), error, now_rfc3339()],
        )?;
        Ok(())
    }

    /// Marks a job without attempting it (no printer: `skipped`).
    pub fn set_print_job_state(&self, id: i64, state: JobState) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE print_jobs SET state = ?2, updated_at = ?3 WHERE id = ?1",
            params![id, state.as_str(), now_rfc3339()],
        )?;
        Ok(())
    }

    /// Gives up pending jobs created before `created_before` (RFC 3339): the resident has left,
    /// and a pile of old receipts printing when paper is loaded helps nobody. Returns how many.
    pub fn expire_print_jobs(&self, created_before: &str) -> Result<usize, StoreError> {
        Ok(self.conn.execute(
            "UPDATE print_jobs SET state = 'failed', updated_at = ?2,
                 last_error = coalesce(last_error || '; ', '') || 'expired: not printed in time, reprint on request'
             WHERE state = 'pending' AND created_at < ?1",
            params![created_before, now_rfc3339()],
        )?)
    }

    /// Queues a reprint of `reference` for `actor` (audited in the same transaction) and returns
    /// the new job's id.
    pub fn request_reprint(&mut self, reference: &str, actor: &str) -> Result<i64, StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let submission_id: i64 = tx
            .query_row(
                "SELECT id FROM submissions WHERE reference = ?1",
                [reference],
                |r| r.get(0),
            )
            .optional()?
            .ok_or_else(|| StoreError::NotFound(reference.to_string()))?;
        let now = now_rfc3339();
        tx.execute(
            "INSERT INTO print_jobs (submission_id, state, reprint, created_at, updated_at)
             VALUES (?1, 'pending', 1, ?2, ?2)",
            params![submission_id, now],
        )?;
        let id = tx.last_insert_rowid();
        audit_in(&tx, actor, "receipt.reprint", Some(reference), "")?;
        tx.commit()?;
        Ok(id)
    }

    /// The non-personal facts a receipt shows.
    pub fn receipt_row(&self, reference: &str) -> Result<ReceiptRow, StoreError> {
        self.conn
            .query_row(
                "SELECT reference, service_code, locale, created_at, assisted_by, practice
                 FROM submissions WHERE reference = ?1",
                [reference],
                |r| {
                    Ok(ReceiptRow {
                        reference: r.get(0)?,
                        service_code: r.get(1)?,
                        locale: r.get(2)?,
                        created_at: r.get(3)?,
                        assisted_by: r.get(4)?,
                        practice: r.get::<_, i64>(5)? != 0,
                    })
                },
            )
            .optional()?
            .ok_or_else(|| StoreError::NotFound(reference.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::queue::tests::tempdir;
    use crate::validate::ValidForm;

    fn store_with_one() -> (Store, String) {
        let mut store = Store::open(&tempdir()).unwrap();
        let form = ValidForm {
            service_code: "POTHOLE".into(),
            locale: "pl".into(),
            ..ValidForm::default()
        };
        let r = store.enqueue("LIB2", &form, Some("alice")).unwrap();
        (store, r.as_str().to_string())
    }

    #[test]
    fn enqueue_leaves_one_pending_job_that_can_fail_and_then_print() {
        let (store, r) = store_with_one();
        let jobs = store.pending_print_jobs().unwrap();
        assert_eq!(jobs.len(), 1);
        assert_eq!(jobs[0].reference, r);
        assert!(!jobs[0].reprint);
        store
            .finish_print_attempt(jobs[0].id, JobState::Pending, Some("paper_out"))
            .unwrap();
        let job = store.print_job(jobs[0].id).unwrap().unwrap();
        assert_eq!((job.state, job.attempts), (JobState::Pending, 1));
        assert_eq!(job.last_error.as_deref(), Some("paper_out"));
        store
            .finish_print_attempt(job.id, JobState::Printed, None)
            .unwrap();
        assert!(store.pending_print_jobs().unwrap().is_empty());
        let row = store.receipt_row(&r).unwrap();
        assert_eq!(row.locale, "pl");
        assert_eq!(row.assisted_by.as_deref(), Some("alice"));
    }

    #[test]
    fn reprint_adds_a_job_and_an_audit_row() {
        let (mut store, r) = store_with_one();
        let id = store.request_reprint(&r, "bob").unwrap();
        let jobs = store.print_jobs_for(&r).unwrap();
        assert_eq!(jobs.len(), 2);
        assert_eq!(jobs[1].id, id);
        assert!(jobs[1].reprint);
        let (actor, action): (String, String) = store
            .connection()
            .query_row(
                // The newest line (the enqueue audited who assisted).
                "SELECT actor, action FROM audit WHERE reference = ?1 ORDER BY id DESC LIMIT 1",
                [&r],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .unwrap();
        assert_eq!(
            (actor.as_str(), action.as_str()),
            ("bob", "receipt.reprint")
        );
        assert!(matches!(
            store.request_reprint("LIB2-99999-Z", "bob"),
            Err(StoreError::NotFound(_))
        ));
    }

    #[test]
    fn old_pending_jobs_expire_but_new_ones_stay() {
        let (store, r) = store_with_one();
        assert_eq!(store.expire_print_jobs("2000-01-01T00:00:00Z").unwrap(), 0);
        assert_eq!(store.expire_print_jobs("9999-01-01T00:00:00Z").unwrap(), 1);
        let job = &store.print_jobs_for(&r).unwrap()[0];
        assert_eq!(job.state, JobState::Failed);
        assert!(job.last_error.as_deref().unwrap().contains("expired"));
    }
}
