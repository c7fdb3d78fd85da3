//! The records that pass between the sync engine and the queue's delivery queries
//! (`src/queue/delivery.rs`, where the protocol is described).

use time::OffsetDateTime;

/// A timestamp with milliseconds in UTC (`2026-01-02T03:04:05.678Z`): the format of
/// `next_attempt_at` and `unknown_since`, which sync compares as text, so it must be fixed-width.
pub fn delivery_timestamp(at: OffsetDateTime) -> String {
    let at = at.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        at.year(),
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute(),
        at.second(),
        at.millisecond()
    )
}

/// A submission claimed for sending.
#[derive(Debug, Clone)]
pub struct Outgoing {
    /// Database id.
    pub id: i64,
    /// Reference (`CODE-NNNNN-C`).
    pub reference: String,
    /// Service code.
    pub service_code: String,
    /// The payload as stored (decode with [`crate::queue::Store::decode_payload`]); `None` once erased.
    pub payload: Option<Vec<u8>>,
    /// Attempts so far, this one included.
    pub attempts: i64,
}

/// A submission whose last POST may or may not have reached the server.
#[derive(Debug, Clone, PartialEq)]
pub struct UnknownOutcome {
    /// Database id.
    pub id: i64,
    /// Reference.
    pub reference: String,
    /// Service code.
    pub service_code: String,
    /// When the first unanswered POST was sent (delivery timestamp or RFC 3339).
    pub unknown_since: String,
    /// Attempts so far.
    pub attempts: i64,
}

/// An accepted submission whose council status is followed.
#[derive(Debug, Clone, PartialEq)]
pub struct StatusTarget {
    /// Database id.
    pub id: i64,
    /// Reference.
    pub reference: String,
    /// The council's id, once known.
    pub remote_id: Option<String>,
    /// The token of a batch service, until it resolves to an id.
    pub token: Option<String>,
    /// Latest status stored.
    pub remote_status: Option<String>,
}

/// What happened to one submission, as recorded by [`Store::record_outcomes`].
#[derive(Debug, Clone, PartialEq)]
pub enum DeliveryUpdate {
    /// The council has it (an id, a token, or both).
    Accepted {
        /// `service_request_id`.
        remote_id: Option<String>,
        /// `token`.
        token: Option<String>,
        /// `service_notice`.
        notice: Option<String>,
        /// For the attempt log, e.g. "created" or "found on the server after an unknown outcome".
        detail: String,
        /// The attempt-log outcome: `accepted` or `reconciled`.
        outcome: &'static str,
    },
    /// The council refused it: shown to staff, who may put it back with `queue retry`.
    Rejected {
        /// The server's description.
        reason: String,
    },
    /// Try again at `next_attempt_at`.
    Retry {
        /// Delivery timestamp of the next attempt.
        next_attempt_at: String,
        /// Why (never personal data).
        error: String,
        /// Whether the request may have reached the server (reconcile before resending).
        outcome_unknown: bool,
    },
    /// Reconciliation proved the request never reached the server: due for sending now.
    NotOnServer {
        /// What was searched.
        detail: String,
    },
}

impl DeliveryUpdate {
    /// A short name for logs (never personal data).
    pub fn outcome_name(&self) -> &'static str {
        match self {
            DeliveryUpdate::Accepted { outcome, .. } => outcome,
            DeliveryUpdate::Rejected { .. } => "rejected",
            DeliveryUpdate::Retry {
                outcome_unknown: true,
                ..
            } => "unknown",
            DeliveryUpdate::Retry { .. } => "retry",
            DeliveryUpdate::NotOnServer { .. } => "not_found",
        }
    }
}
