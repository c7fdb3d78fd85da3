//! Resident sessions as numbers for the council's budget case (`guichet stats`): when, how
//! long, which language and service, assisted or practice, and how it ended at which step.
//! Never an answer, a reference or anything typed.

use rusqlite::params;
use serde::Serialize;

use super::{Store, StoreError};

/// How a resident session ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SessionOutcome {
    /// A submission was saved.
    Completed,
    /// "Start again", or left before saving.
    Abandoned,
    /// The idle timeout ended it.
    TimedOut,
}

impl SessionOutcome {
    /// The stored spelling (also the metrics label and the CSV's word).
    pub fn as_str(self) -> &'static str {
        match self {
            SessionOutcome::Completed => "completed",
            SessionOutcome::Abandoned => "abandoned",
            SessionOutcome::TimedOut => "timed_out",
        }
    }

    /// Every outcome, in a fixed order (metrics print each, even at 0).
    pub const ALL: [SessionOutcome; 3] = [
        SessionOutcome::Completed,
        SessionOutcome::Abandoned,
        SessionOutcome::TimedOut,
    ];

    fn from_db(s: &str) -> rusqlite::Result<SessionOutcome> {
        match s {
            "completed" => Ok(SessionOutcome::Completed),
            "abandoned" => Ok(SessionOutcome::Abandoned),
            "timed_out" => Ok(SessionOutcome::TimedOut),
            other => Err(rusqlite::Error::FromSqlConversionFailure(
                0,
                rusqlite::types::Type::Text,
                format!("unknown session outcome {other:?}").into(),
            )),
        }
    }
}

/// One resident session, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SessionRecord {
    /// RFC 3339 (UTC).
    pub started_at: String,
    /// RFC 3339 (UTC).
    pub ended_at: String,
    /// The language the session ended in.
    pub locale: String,
    /// The service chosen, if one was.
    pub service_code: Option<String>,
    /// A member of staff helped.
    pub assisted: bool,
    /// Training mode.
    pub practice: bool,
    /// How it ended.
    pub outcome: SessionOutcome,
    /// The furthest step reached (0: before a service was chosen; 1..: questions; the check
    /// screen counts as the step after the last question).
    pub step: u32,
    /// Seconds from start to end.
    pub duration_s: u64,
}

impl Store {
    /// Records one ended session.
    pub fn record_session(&mut self, s: &SessionRecord) -> Result<(), StoreError> {
        self.conn
            .execute(
                "INSERT INTO sessions (started_at, ended_at, locale, service_code, assisted,
                    practice, outcome, step, duration_s)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                params![
                    s.started_at,
                    s.ended_at,
                    s.locale,
                    s.service_code,
                    s.assisted,
                    s.practice,
                    s.outcome.as_str(),
                    s.step,
                    s.duration_s.min(i64::MAX as u64) as i64,
                ],
            )
            .map_err(|e| self.map_write_error(e))?;
        Ok(())
    }

    /// Sessions started in `[from, to)` (RFC 3339, compared as text), oldest first.
    pub fn sessions_between(&self, from: &str, to: &str) -> Result<Vec<SessionRecord>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT started_at, ended_at, locale, service_code, assisted, practice, outcome,
                    step, duration_s
             FROM sessions WHERE started_at >= ?1 AND started_at < ?2 ORDER BY started_at, id",
        )?;
        let rows = stmt.query_map(params![from, to], |r| {
            Ok(SessionRecord {
                started_at: r.get(0)?,
                ended_at: r.get(1)?,
                locale: r.get(2)?,
                service_code: r.get(3)?,
                assisted: r.get::<_, i64>(4)? != 0,
                practice: r.get::<_, i64>(5)? != 0,
                outcome: SessionOutcome::from_db(&r.get::<_, String>(6)?)?,
                step: r.get::<_, i64>(7)?.clamp(0, i64::from(u32::MAX)) as u32,
                duration_s: r.get::<_, i64>(8)?.max(0) as u64,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Sessions by outcome, ever (practice left out), in [`SessionOutcome::ALL`]'s order.
    pub fn session_counts(&self) -> Result<[(SessionOutcome, u64); 3], StoreError> {
        let mut out = SessionOutcome::ALL.map(|o| (o, 0u64));
        let mut stmt = self.conn.prepare_cached(
            "SELECT outcome, count(*) FROM sessions WHERE practice = 0 GROUP BY outcome",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                SessionOutcome::from_db(&r.get::<_, String>(0)?)?,
                r.get::<_, i64>(1)?,
            ))
        })?;
        for row in rows {
            let (outcome, n) = row?;
            if let Some(slot) = out.iter_mut().find(|(o, _)| *o == outcome) {
                slot.1 = n.max(0) as u64;
            }
        }
        Ok(out)
    }
}
