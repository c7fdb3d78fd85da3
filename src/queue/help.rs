//! "Ask for help" as durable rows: a resident's request, whether staff were told (the notifier
//! in `crate::sync::help_notify` delivers it, retrying with backoff, also after a restart), and
//! when staff marked it done and who. Nothing about the resident is kept: a time and the
//! screen's language.

use rusqlite::{OptionalExtension, TransactionBehavior, params};
use serde::Serialize;

use super::audit::audit_in;
use super::{Store, StoreError, now_rfc3339};

/// Whether staff have been told about a help request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum HelpNotify {
    /// A notification is due (or being retried).
    Pending,
    /// `[help] notify_url` answered 2xx.
    Delivered,
    /// No `[help] notify_url`: nobody can be told; the resident is sent to the desk.
    Unconfigured,
}

impl HelpNotify {
    /// The stored spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            HelpNotify::Pending => "pending",
            HelpNotify::Delivered => "delivered",
            HelpNotify::Unconfigured => "unconfigured",
        }
    }

    fn from_db(s: &str) -> rusqlite::Result<HelpNotify> {
        match s {
            "pending" => Ok(HelpNotify::Pending),
            "delivered" => Ok(HelpNotify::Delivered),
            "unconfigured" => Ok(HelpNotify::Unconfigured),
            other => Err(rusqlite::Error::FromSqlConversionFailure(
                0,
                rusqlite::types::Type::Text,
                format!("unknown help notification state {other:?}").into(),
            )),
        }
    }
}

/// One help request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HelpRequest {
    /// Row id (what the notification and "done" name).
    pub id: i64,
    /// RFC 3339.
    pub requested_at: String,
    /// The screen's language when it was asked (`""` when unknown).
    pub locale: String,
    /// Whether staff were told.
    pub notify: HelpNotify,
    /// Notification attempts so far.
    pub attempts: i64,
    /// When the next attempt is due (RFC 3339), while pending.
    pub next_attempt_at: Option<String>,
    /// Why the last attempt failed (one line, from Guichet: never the endpoint's body).
    pub last_error: Option<String>,
    /// When the notification was delivered.
    pub delivered_at: Option<String>,
    /// When staff marked it done.
    pub done_at: Option<String>,
    /// Who marked it done.
    pub done_by: Option<String>,
}

/// The last error of a help notification given up because the request is too old to be worth a
/// ping (the resident has surely left or been seen); it stays open on the staff desk.
pub const HELP_TOO_OLD: &str = "too old to announce: no longer sent";

const HELP_COLUMNS: &str = "id, requested_at, locale, notify, attempts, next_attempt_at,
    last_error, delivered_at, done_at, done_by FROM help_requests";

fn help_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<HelpRequest> {
    Ok(HelpRequest {
        id: r.get(0)?,
        requested_at: r.get(1)?,
        locale: r.get(2)?,
        notify: HelpNotify::from_db(&r.get::<_, String>(3)?)?,
        attempts: r.get(4)?,
        next_attempt_at: r.get(5)?,
        last_error: r.get(6)?,
        delivered_at: r.get(7)?,
        done_at: r.get(8)?,
        done_by: r.get(9)?,
    })
}

/// Help requests counted for metrics and `status`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct HelpCounts {
    /// Not yet marked done.
    pub open: u64,
    /// Ever asked.
    pub total: u64,
    /// Whose notification was delivered.
    pub delivered: u64,
    /// Marked done by staff.
    pub answered: u64,
}

impl Store {
    /// Records a help request (durable before anyone is told) and returns its id. `notify` is
    /// [`HelpNotify::Pending`] when a notification will be attempted.
    pub fn insert_help_request(
        &mut self,
        locale: &str,
        notify: HelpNotify,
    ) -> Result<i64, StoreError> {
        let result = (|| -> Result<i64, StoreError> {
            let now = now_rfc3339();
            self.conn.execute(
                "INSERT INTO help_requests (requested_at, locale, notify) VALUES (?1, ?2, ?3)",
                params![now, locale, notify.as_str()],
            )?;
            Ok(self.conn.last_insert_rowid())
        })();
        self.map_store_error(result)
    }

    /// One help request.
    pub fn help_request(&self, id: i64) -> Result<Option<HelpRequest>, StoreError> {
        Ok(self
            .conn
            .query_row(
                &format!("SELECT {HELP_COLUMNS} WHERE id = ?1"),
                [id],
                help_from_row,
            )
            .optional()?)
    }

    /// Help requests not yet marked done, oldest first.
    pub fn open_help_requests(&self) -> Result<Vec<HelpRequest>, StoreError> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {HELP_COLUMNS} WHERE done_at IS NULL ORDER BY id"
        ))?;
        Ok(stmt
            .query_map([], help_from_row)?
            .collect::<Result<_, _>>()?)
    }

    /// Help requests asked between `from` and `to` (RFC 3339 prefixes compared as text), oldest
    /// first (for `guichet stats`).
    pub fn help_requests_between(
        &self,
        from: &str,
        to: &str,
    ) -> Result<Vec<HelpRequest>, StoreError> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {HELP_COLUMNS} WHERE requested_at >= ?1 AND requested_at < ?2 ORDER BY id"
        ))?;
        Ok(stmt
            .query_map(params![from, to], help_from_row)?
            .collect::<Result<_, _>>()?)
    }

    /// Notifications due at `now` (RFC 3339): pending, not done, asked at or after
    /// `asked_since` (older ones are no longer announced), oldest first.
    pub fn due_help_notifications(
        &self,
        now: &str,
        asked_since: &str,
    ) -> Result<Vec<HelpRequest>, StoreError> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {HELP_COLUMNS} WHERE notify = 'pending' AND done_at IS NULL
               AND requested_at >= ?2
               AND (next_attempt_at IS NULL OR next_attempt_at <= ?1) ORDER BY id"
        ))?;
        Ok(stmt
            .query_map([now, asked_since], help_from_row)?
            .collect::<Result<_, _>>()?)
    }

    /// The earliest retry among pending notifications asked at or after `asked_since` (RFC
    /// 3339), if any.
    pub fn next_help_notification_at(
        &self,
        asked_since: &str,
    ) -> Result<Option<String>, StoreError> {
        Ok(self.conn.query_row(
            "SELECT min(COALESCE(next_attempt_at, requested_at)) FROM help_requests
             WHERE notify = 'pending' AND done_at IS NULL AND requested_at >= ?1",
            [asked_since],
            |r| r.get(0),
        )?)
    }

    /// Pending notifications asked before `asked_since` stop being retried: each keeps its row
    /// (open on the staff desk until marked done) with [`HELP_TOO_OLD`] as its last error.
    /// Returns their ids, the first time only.
    pub fn expire_help_notifications(&mut self, asked_since: &str) -> Result<Vec<i64>, StoreError> {
        let result = (|| -> Result<Vec<i64>, StoreError> {
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            let ids: Vec<i64> = {
                let mut stmt = tx.prepare(
                    "SELECT id FROM help_requests WHERE notify = 'pending' AND done_at IS NULL
                       AND requested_at < ?1 AND COALESCE(last_error, '') != ?2 ORDER BY id",
                )?;
                stmt.query_map(params![asked_since, HELP_TOO_OLD], |r| r.get(0))?
                    .collect::<Result<_, _>>()?
            };
            for id in &ids {
                tx.execute(
                    "UPDATE help_requests SET last_error = ?2, next_attempt_at = NULL
                     WHERE id = ?1",
                    params![id, HELP_TOO_OLD],
                )?;
            }
            tx.commit()?;
            Ok(ids)
        })();
        self.map_store_error(result)
    }

    /// Records a notification attempt: delivered, or failed with `error` and the next try at
    /// `retry_at`.
    pub fn record_help_notification(
        &mut self,
        id: i64,
        outcome: Result<(), (&str, &str)>,
    ) -> Result<(), StoreError> {
        let now = now_rfc3339();
        let result = match outcome {
            Ok(()) => self.conn.execute(
                "UPDATE help_requests SET notify = 'delivered', delivered_at = ?2,
                    attempts = attempts + 1, next_attempt_at = NULL, last_error = NULL
                 WHERE id = ?1 AND notify = 'pending'",
                params![id, now],
            ),
            Err((error, retry_at)) => self.conn.execute(
                "UPDATE help_requests SET attempts = attempts + 1, last_error = ?2,
                    next_attempt_at = ?3
                 WHERE id = ?1 AND notify = 'pending'",
                params![id, error, retry_at],
            ),
        };
        result.map_err(|e| self.map_write_error(e))?;
        Ok(())
    }

    /// Staff mark a help request done (audited with `actor`). Returns false when there is no
    /// open request with that id.
    pub fn finish_help_request(&mut self, id: i64, actor: &str) -> Result<bool, StoreError> {
        let result = (|| -> Result<bool, StoreError> {
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            let now = now_rfc3339();
            let n = tx.execute(
                "UPDATE help_requests SET done_at = ?2, done_by = ?3
                 WHERE id = ?1 AND done_at IS NULL",
                params![id, now, actor],
            )?;
            if n > 0 {
                audit_in(&tx, actor, "help.done", None, &format!("help request {id}"))?;
            }
            tx.commit()?;
            Ok(n > 0)
        })();
        self.map_store_error(result)
    }

    /// Counts for metrics and `status`.
    pub fn help_counts(&self) -> Result<HelpCounts, StoreError> {
        Ok(self.conn.query_row(
            "SELECT count(*) FILTER (WHERE done_at IS NULL), count(*),
                    count(*) FILTER (WHERE notify = 'delivered'),
                    count(*) FILTER (WHERE done_at IS NOT NULL)
             FROM help_requests",
            [],
            |r| {
                Ok(HelpCounts {
                    open: r.get::<_, i64>(0)?.max(0) as u64,
                    total: r.get::<_, i64>(1)?.max(0) as u64,
                    delivered: r.get::<_, i64>(2)?.max(0) as u64,
                    answered: r.get::<_, i64>(3)?.max(0) as u64,
                })
            },
        )?)
    }
}
