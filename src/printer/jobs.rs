//! Print jobs as the rest of Guichet sees them (stored in `print_jobs`, queried by
//! `queue::print_jobs`), and the non-personal facts a receipt is made from.

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
}
