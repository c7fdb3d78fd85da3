//! Retention: a resident's personal data is kept only until the council has it.
//!
//! Once a submission is `accepted` and `privacy.retention_days` have passed since the
//! acceptance (`accepted_at`, recorded by a trigger), its payload is set to NULL and `erased_at`
//! is set; the reference, service, dates and status stay so staff can still answer "what
//! happened to my request?". Pending and rejected submissions keep their data: the council does
//! not have it yet. After erasing, the file is vacuumed and the WAL emptied (with
//! `secure_delete` on) so the erased bytes are gone from disk, not merely unlinked.
//!
//! The pass runs after every sync round (kiosk worker and `guichet sync`) and on demand with
//! `guichet privacy purge`.

use serde::Serialize;
use time::{Duration, OffsetDateTime};

use super::audit::audit_at;
use super::{Store, StoreError};
use crate::clock::rfc3339;

/// What one retention pass did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Erasure {
    /// Submissions whose personal data was erased by this pass.
    pub erased: u64,
}

impl Store {
    /// Erases the personal data of submissions accepted at least `retention_days` days before `now`,
    /// in one transaction, then compacts the file. Audited (counts only).
    pub fn erase_expired(
        &self,
        retention_days: u32,
        now: OffsetDateTime,
    ) -> Result<Erasure, StoreError> {
        let cutoff = rfc3339(now - Duration::days(i64::from(retention_days)));
        let conn = &self.conn;
        let erased = (|| -> rusqlite::Result<usize> {
            let tx = conn.unchecked_transaction()?;
            let n = tx.execute(
                "UPDATE submissions SET payload = NULL, server_text = NULL, erased_at = ?2
             WHERE state = 'accepted' AND payload IS NOT NULL
               AND COALESCE(accepted_at, updated_at) <= ?1",
                rusqlite::params![cutoff, rfc3339(now)],
            )?;
            if n > 0 {
                audit_at(
                    &tx,
                    &rfc3339(now),
                    "retention",
                    "privacy.erase",
                    None,
                    &format!("{n} submission(s) accepted {retention_days}+ days ago"),
                )?;
            }
            tx.commit()?;
            Ok(n)
        })()
        .map_err(|e| self.map_write_error(e))?;
        if erased > 0 {
            self.compact()?;
            tracing::info!("retention: erased personal data of {erased} accepted submission(s)");
        }
        Ok(Erasure {
            erased: erased as u64,
        })
    }

    /// [`Store::erase_expired`] now, for the background rounds: a failure is logged, never fatal, and
    /// retried on the next round.
    pub fn retention_pass(&self, retention_days: u32) {
        if let Err(e) = self.erase_expired(retention_days, OffsetDateTime::now_utc()) {
            tracing::error!("retention pass failed (retried next round): {e}");
        }
    }
}
