//! Delivery rows and the queries that move submissions through delivery (used by `sync`).
//!
//! The protocol that makes "never lose, never duplicate" hold across crashes:
//!
//! 1. [`Store::claim_due`] marks a batch `outcome_unknown = 1` *before* anything is sent, with its
//!    owner (`claimed_by`, one token per round of the one process holding the delivery lock, see
//!    `sync::lock`) and a boot-clock mark.
//! 2. The POSTs go out.
//! 3. [`Store::record_outcomes`] writes every answer in one transaction, clearing
//!    `outcome_unknown` only where the outcome is known, and only on rows still claimed by the
//!    recording owner.
//!
//! A crash between 1 and 3 leaves the batch `outcome_unknown = 1` and claimed by a round that no
//! longer exists: the next holder of the delivery lock releases such claims
//! ([`Store::release_claims`]) and hands them to reconciliation, which looks each one up on the
//! server before anything is sent again. No wall-clock lease is involved.
//!
//! A submission whose delivery cannot be decided goes to review (`review_reason` set, still
//! `pending` in the table, shown as `review`): never claimed, never resent, until staff resolve
//! it. Why it went there is recorded as data beside the reason (`review_kind`, a
//! [`ReviewKind`]), so the staff desk names the case without reading the technicians' line.

use rusqlite::{OptionalExtension, TransactionBehavior, params};
use serde::Serialize;

use super::{Store, StoreError, now_rfc3339};
use crate::validate::ValidForm;
use time::OffsetDateTime;
use zeroize::Zeroizing;

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

/// A claimed submission's personal data, as the store could read it. Opening happens inside the
/// store, so a caller never has to guess from the bytes whether a seal failed to open.
#[derive(Clone)]
pub enum Payload {
    /// Opened: the form's clear JSON, in memory only and zeroed when dropped.
    Clear(Zeroizing<Vec<u8>>),
    /// Present but cannot be opened (altered, moved from another row, or sealed under a key this
    /// kiosk does not hold): never sent, rejected with this reason for staff to see.
    Unreadable(String),
    /// Erased by retention before it was delivered.
    Erased,
}

impl std::fmt::Debug for Payload {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Payload::Clear(bytes) => write!(f, "Clear({} bytes)", bytes.len()),
            Payload::Unreadable(why) => f.debug_tuple("Unreadable").field(why).finish(),
            Payload::Erased => f.write_str("Erased"),
        }
    }
}

/// Who claims submissions, and when by clocks that never step: the delivering process's
/// per-round token (checked when outcomes are recorded), the boot it runs in and the time since
/// that boot (`CLOCK_BOOTTIME`). Waits measured with these survive a wall clock that jumps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimMark {
    /// Unique per round of a delivering process.
    pub owner: String,
    /// The kernel's boot id.
    pub boot_id: String,
    /// Milliseconds since boot, sleep included.
    pub mono_ms: i64,
}

impl ClaimMark {
    /// A new owner token with the current boot and time.
    pub fn new() -> ClaimMark {
        let (boot_id, mono_ms) = boot_clock();
        ClaimMark {
            owner: format!("{}-{:016x}", std::process::id(), rand::random::<u64>()),
            boot_id,
            mono_ms,
        }
    }
}

impl Default for ClaimMark {
    fn default() -> Self {
        ClaimMark::new()
    }
}

/// The kernel's boot id and the milliseconds since that boot (sleep included).
pub fn boot_clock() -> (String, i64) {
    let boot_id = std::fs::read_to_string("/proc/sys/kernel/random/boot_id")
        .map(|s| s.trim().chars().take(64).collect())
        .unwrap_or_default();
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes into the timespec we own.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_BOOTTIME, &mut ts) };
    let mono_ms = if rc == 0 {
        ts.tv_sec * 1000 + ts.tv_nsec / 1_000_000
    } else {
        0
    };
    (boot_id, mono_ms)
}

/// How long ago (by the boot clock) a mark was made; `None` when it was made in another boot
/// (or without a boot id), where only the wall clock can tell.
pub fn elapsed_since_mark(
    boot_id: Option<&str>,
    mono_ms: Option<i64>,
) -> Option<std::time::Duration> {
    let (now_boot, now_ms) = boot_clock();
    match (boot_id, mono_ms) {
        (Some(b), Some(ms)) if !b.is_empty() && b == now_boot && now_ms >= ms => {
            Some(std::time::Duration::from_millis((now_ms - ms) as u64))
        }
        _ => None,
    }
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
    /// The resident's data as the store could read it (decode with
    /// [`Store::decode_payload`]).
    pub payload: Payload,
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
    /// When a complete lookup with evidence first did not find it (RFC 3339).
    pub absent_at: Option<String>,
    /// Boot id of the last mark (the POST, or the first lookup that did not find it).
    pub mark_boot: Option<String>,
    /// Boot clock of the last mark, milliseconds.
    pub mark_mono_ms: Option<i64>,
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
        /// Why: the server's own words when `from_server` (sealed at rest like the payload,
        /// since a server may echo what the resident typed), else ours.
        reason: String,
        /// Whether `reason` is the server's text.
        from_server: bool,
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
    /// A complete lookup, shown able to see this kiosk's requests, did not find it: looked up
    /// once more at `next_attempt_at` before it is ever sent again.
    Absent {
        /// What was searched.
        detail: String,
        /// When the confirming lookup is due.
        next_attempt_at: String,
    },
    /// Delivery cannot be decided without people: staff say whether the council has it
    /// (`queue resolve`).
    Review {
        /// Which case it is, stored as `review_kind` (what the staff desk says).
        kind: ReviewKind,
        /// Why, for technicians (never personal data).
        reason: String,
    },
}

/// Why a submission was put in review, recorded with it (`submissions.review_kind`) so that
/// the staff desk names the case from data, whatever the wording of the technical reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ReviewKind {
    /// Lookups on the server stayed inconclusive for `review_after`: the council may or may
    /// not have it.
    Undecided,
    /// A request on the server names its reference without this kiosk's check (a forged line,
    /// or one sent by an older version).
    Unverified,
    /// Any other case: a row migration 6 found in review with another reason, or a kind
    /// this version does not know.
    Other,
}

impl ReviewKind {
    /// The stored spelling (the column's CHECK lists the same three).
    pub fn as_str(self) -> &'static str {
        match self {
            ReviewKind::Undecided => "undecided",
            ReviewKind::Unverified => "unverified",
            ReviewKind::Other => "other",
        }
    }

    /// From the stored spelling. A kind this version does not know (written by a newer one,
    /// before a rollback) and a row in review without a kind (migration 6 and its triggers
    /// leave none) are [`ReviewKind::Other`]: still in review, said as "needs a decision".
    pub(super) fn from_db(s: Option<&str>) -> ReviewKind {
        match s {
            Some("undecided") => ReviewKind::Undecided,
            Some("unverified") => ReviewKind::Unverified,
            _ => ReviewKind::Other,
        }
    }
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
            DeliveryUpdate::Absent { .. } => "absent",
            DeliveryUpdate::Review { .. } => "review",
        }
    }
}

impl Store {
    /// Decodes a claimed submission's payload. An unreadable or erased payload is an error that
    /// says which, never something to send.
    pub fn decode_payload(reference: &str, payload: &Payload) -> Result<ValidForm, StoreError> {
        match payload {
            Payload::Clear(json) => serde_json::from_slice(json).map_err(|e| StoreError::Corrupt {
                what: reference.to_string(),
                detail: e.to_string(),
            }),
            Payload::Unreadable(why) => Err(StoreError::Corrupt {
                what: reference.to_string(),
                detail: why.clone(),
            }),
            Payload::Erased => Err(StoreError::Corrupt {
                what: reference.to_string(),
                detail: "personal data was erased before delivery".into(),
            }),
        }
    }

    /// Claims up to `limit` pending submissions due at `now` (a delivery timestamp), whose last
    /// outcome is known and which are not in review, marking them `outcome_unknown` and claimed by
    /// `mark.owner`, in one durable transaction. Oldest first. Payloads come back opened (clear
    /// JSON, in memory only).
    pub fn claim_due(
        &mut self,
        mark: &ClaimMark,
        now: &str,
        limit: usize,
    ) -> Result<Vec<Outgoing>, StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let claimed = {
            let mut select = tx.prepare_cached(
                "SELECT id, reference, service_code, payload, attempts FROM submissions
                 WHERE state = 'pending' AND outcome_unknown = 0 AND review_reason IS NULL
                   AND claimed_by IS NULL AND practice = 0 AND cancelled_at IS NULL
                   AND (next_attempt_at IS NULL OR next_attempt_at <= ?1)
                 ORDER BY id LIMIT ?2",
            )?;
            let rows: Vec<(Outgoing, Option<Vec<u8>>)> = select
                .query_map(params![now, limit as i64], |r| {
                    Ok((
                        Outgoing {
                            id: r.get(0)?,
                            reference: r.get(1)?,
                            service_code: r.get(2)?,
                            payload: Payload::Erased,
                            attempts: r.get::<_, i64>(4)? + 1,
                        },
                        r.get(3)?,
                    ))
                })?
                .collect::<Result<_, _>>()?;
            let mut claim = tx.prepare_cached(
                "UPDATE submissions SET outcome_unknown = 1, attempts = attempts + 1,
                    next_attempt_at = NULL, unknown_since = COALESCE(unknown_since, ?2),
                    claimed_by = ?3, mark_boot = ?4, mark_mono_ms = ?5, absent_at = NULL,
                    updated_at = ?6
                 WHERE id = ?1",
            )?;
            let updated_at = now_rfc3339();
            for (row, _) in &rows {
                claim.execute(params![
                    row.id,
                    now,
                    mark.owner,
                    mark.boot_id,
                    mark.mono_ms,
                    updated_at
                ])?;
            }
            rows
        };
        tx.commit().map_err(|e| self.map_write_error(e))?;
        let claimed = claimed
            .into_iter()
            .map(|(mut item, stored)| {
                // One unreadable row must not hold up the batch: it is handed back as
                // `Unreadable`, which delivery turns into a rejection staff can see.
                item.payload = match stored {
                    None => Payload::Erased,
                    Some(stored) => match self.open_payload(&item.reference, &stored) {
                        Ok(clear) => Payload::Clear(clear),
                        Err(e) => {
                            tracing::error!("{e}");
                            Payload::Unreadable(
                                "its sealed personal data cannot be opened with the data key"
                                    .into(),
                            )
                        }
                    },
                };
                item
            })
            .collect();
        Ok(claimed)
    }

    /// Releases every claim: called by the holder of the delivery lock before it claims
    /// anything, when no other process can be delivering, so every claim left is abandoned (its
    /// process died or stopped mid-round). Abandoned submissions keep `outcome_unknown` and their
    /// boot-clock mark, and become due for reconciliation. Returns how many were released.
    pub fn release_claims(&mut self) -> Result<usize, StoreError> {
        let n = self
            .conn
            .execute(
                "UPDATE submissions SET claimed_by = NULL, next_attempt_at = NULL
                 WHERE claimed_by IS NOT NULL",
                [],
            )
            .map_err(|e| self.map_write_error(e))?;
        Ok(n)
    }

    /// Pending submissions with an unknown outcome, not claimed and not in review, whose next
    /// lookup is due at `now`, oldest first.
    pub fn due_unknown(&self, now: &str, limit: usize) -> Result<Vec<UnknownOutcome>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, reference, service_code, COALESCE(unknown_since, updated_at), attempts,
                    absent_at, mark_boot, mark_mono_ms
             FROM submissions
             WHERE state = 'pending' AND outcome_unknown = 1 AND review_reason IS NULL
               AND claimed_by IS NULL AND practice = 0 AND cancelled_at IS NULL
               AND (next_attempt_at IS NULL OR next_attempt_at <= ?1)
             ORDER BY id LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![now, limit as i64], |r| {
            Ok(UnknownOutcome {
                id: r.get(0)?,
                reference: r.get(1)?,
                service_code: r.get(2)?,
                unknown_since: r.get(3)?,
                attempts: r.get(4)?,
                absent_at: r.get(5)?,
                mark_boot: r.get(6)?,
                mark_mono_ms: r.get(7)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Claims unknown outcomes for a lookup (those still unclaimed); returns the ids claimed.
    pub fn claim_unknown(&mut self, owner: &str, ids: &[i64]) -> Result<Vec<i64>, StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut claimed = Vec::with_capacity(ids.len());
        {
            let mut stmt = tx.prepare_cached(
                "UPDATE submissions SET claimed_by = ?2
                 WHERE id = ?1 AND claimed_by IS NULL AND outcome_unknown = 1
                   AND state = 'pending' AND review_reason IS NULL
                   AND practice = 0 AND cancelled_at IS NULL",
            )?;
            for id in ids {
                if stmt.execute(params![id, owner])? == 1 {
                    claimed.push(*id);
                }
            }
        }
        tx.commit().map_err(|e| self.map_write_error(e))?;
        Ok(claimed)
    }

    /// References of this kiosk's submissions the council accepted (with an id or token) at or
    /// after `since` (RFC 3339 or delivery timestamp), newest first: the requests a lookup must
    /// be able to see before the absence of another one means anything.
    pub fn accepted_since(&self, since: &str, limit: usize) -> Result<Vec<String>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT reference FROM submissions
             WHERE state = 'accepted' AND accepted_at >= substr(?1, 1, 19)
               AND (remote_id IS NOT NULL OR token IS NOT NULL)
             ORDER BY id DESC LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![since, limit as i64], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Whether any pending submission is due at `now` (for deciding whether to go round again).
    pub fn has_due(&self, now: &str) -> Result<bool, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT 1 FROM submissions WHERE state = 'pending' AND review_reason IS NULL
                   AND claimed_by IS NULL AND practice = 0 AND cancelled_at IS NULL
                   AND (next_attempt_at IS NULL OR next_attempt_at <= ?1) LIMIT 1",
                [now],
                |_| Ok(()),
            )
            .optional()?
            .is_some())
    }

    /// The earliest `next_attempt_at` among pending submissions, if any is scheduled.
    pub fn next_due_at(&self) -> Result<Option<String>, StoreError> {
        Ok(self.conn.query_row(
            "SELECT min(next_attempt_at) FROM submissions
             WHERE state = 'pending' AND review_reason IS NULL
               AND practice = 0 AND cancelled_at IS NULL",
            [],
            |r| r.get(0),
        )?)
    }

    /// Records the outcome of many deliveries in one durable transaction, each with its line in
    /// the attempt log. Only rows still claimed by `owner` are changed (and their claim
    /// released): an outcome from a round that lost its claim is dropped, never applied over
    /// another round's. Returns how many were dropped.
    pub fn record_outcomes(
        &mut self,
        owner: &str,
        updates: &[(i64, DeliveryUpdate)],
    ) -> Result<usize, StoreError> {
        if updates.is_empty() {
            return Ok(0);
        }
        let key = self.data_key();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let now = now_rfc3339();
        let mut dropped = 0;
        for (id, update) in updates {
            let (outcome, detail, changed): (&str, String, usize) = match update {
                DeliveryUpdate::Accepted {
                    remote_id,
                    token,
                    notice,
                    detail,
                    outcome,
                } => {
                    let changed = tx
                        .prepare_cached(
                            "UPDATE submissions SET state = 'accepted', outcome_unknown = 0,
                            unknown_since = NULL, next_attempt_at = NULL, remote_id = ?2,
                            token = ?3, service_notice = ?4, last_error = NULL, server_text = NULL,
                            absent_at = NULL, review_reason = NULL, review_kind = NULL,
                            claimed_by = NULL, updated_at = ?5
                         WHERE id = ?1 AND claimed_by = ?6",
                        )?
                        .execute(params![id, remote_id, token, notice, now, owner])?;
                    let what = match (remote_id, token) {
                        (Some(r), _) => format!("service_request_id {r}"),
                        (None, Some(t)) => format!("token {t}"),
                        (None, None) => String::new(),
                    };
                    (*outcome, format!("{detail}: {what}"), changed)
                }
                DeliveryUpdate::Rejected {
                    reason,
                    from_server,
                } => {
                    let (shown, sealed) = if *from_server {
                        let reference: String = tx.query_row(
                            "SELECT reference FROM submissions WHERE id = ?1",
                            [id],
                            |r| r.get(0),
                        )?;
                        (
                            format!(
                                "refused by the council's server; its reason is sealed: guichet queue show {reference}"
                            ),
                            Some(crate::privacy::at_rest::seal_server_text(
                                &key, &reference, reason,
                            )),
                        )
                    } else {
                        (reason.clone(), None)
                    };
                    let changed = tx
                        .prepare_cached(
                            "UPDATE submissions SET state = 'rejected', outcome_unknown = 0,
                            unknown_since = NULL, next_attempt_at = NULL, last_error = ?2,
                            server_text = ?3, absent_at = NULL, claimed_by = NULL, updated_at = ?4
                         WHERE id = ?1 AND claimed_by = ?5",
                        )?
                        .execute(params![id, shown, sealed, now, owner])?;
                    ("rejected", shown, changed)
                }
                DeliveryUpdate::Retry {
                    next_attempt_at,
                    error,
                    outcome_unknown,
                } => {
                    let changed = tx
                        .prepare_cached(
                            "UPDATE submissions SET outcome_unknown = ?2,
                            unknown_since = CASE WHEN ?2 = 1 THEN unknown_since END,
                            next_attempt_at = ?3, last_error = ?4, claimed_by = NULL,
                            updated_at = ?5
                         WHERE id = ?1 AND claimed_by = ?6",
                        )?
                        .execute(params![
                            id,
                            i64::from(*outcome_unknown),
                            next_attempt_at,
                            error,
                            now,
                            owner
                        ])?;
                    let outcome = if *outcome_unknown { "unknown" } else { "retry" };
                    (
                        outcome,
                        format!("{error}; next attempt {next_attempt_at}"),
                        changed,
                    )
                }
                DeliveryUpdate::NotOnServer { detail } => {
                    let changed = tx
                        .prepare_cached(
                            "UPDATE submissions SET outcome_unknown = 0, unknown_since = NULL,
                            next_attempt_at = NULL, absent_at = NULL, claimed_by = NULL,
                            updated_at = ?2
                         WHERE id = ?1 AND claimed_by = ?3",
                        )?
                        .execute(params![id, now, owner])?;
                    ("not_found", detail.clone(), changed)
                }
                DeliveryUpdate::Absent {
                    detail,
                    next_attempt_at,
                } => {
                    let (boot, mono) = boot_clock();
                    let changed = tx
                        .prepare_cached(
                            "UPDATE submissions SET absent_at = COALESCE(absent_at, ?2),
                            next_attempt_at = ?3, mark_boot = ?4, mark_mono_ms = ?5,
                            claimed_by = NULL, updated_at = ?2
                         WHERE id = ?1 AND claimed_by = ?6",
                        )?
                        .execute(params![id, now, next_attempt_at, boot, mono, owner])?;
                    (
                        "absent",
                        format!("{detail}; confirming lookup at {next_attempt_at}"),
                        changed,
                    )
                }
                DeliveryUpdate::Review { kind, reason } => {
                    let changed = tx
                        .prepare_cached(
                            "UPDATE submissions SET review_reason = ?2, review_kind = ?5,
                            last_error = ?2, next_attempt_at = NULL, claimed_by = NULL,
                            updated_at = ?3
                         WHERE id = ?1 AND claimed_by = ?4",
                        )?
                        .execute(params![id, reason, now, owner, kind.as_str()])?;
                    ("review", reason.clone(), changed)
                }
            };
            if changed == 0 {
                dropped += 1;
                tracing::warn!(
                    submission = id,
                    outcome,
                    "outcome dropped: this round no longer holds the claim"
                );
                continue;
            }
            tx.prepare_cached(
                "INSERT INTO attempts (submission_id, at, outcome, detail) VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(params![id, now, outcome, detail])?;
        }
        tx.commit().map_err(|e| self.map_write_error(e))?;
        Ok(dropped)
    }

    /// The server's words about a submission (a refusal's reason), opened from their seal;
    /// `None` when there are none (or they were erased with the payload).
    pub fn server_text(&self, reference: &str) -> Result<Option<String>, StoreError> {
        let sealed: Option<Vec<u8>> = self
            .conn
            .query_row(
                "SELECT server_text FROM submissions WHERE reference = ?1",
                [reference],
                |r| r.get(0),
            )
            .optional()?
            .flatten();
        let Some(sealed) = sealed else {
            return Ok(None);
        };
        if let Some(id) =
            crate::privacy::seal::key_id_of(crate::privacy::seal::Kind::Payload, &sealed)
            && id != self.data_key().id()
        {
            self.reload_key()?;
        }
        let clear = crate::privacy::at_rest::open_server_text(&self.data_key(), reference, &sealed)
            .map_err(|e| super::sealing::unreadable(reference, e))?;
        Ok(Some(String::from_utf8_lossy(&clear).into_owned()))
    }

    /// Accepted submissions created since `since` (RFC 3339) whose status is followed, newest
    /// first.
    pub fn status_targets(
        &self,
        since: &str,
        limit: usize,
    ) -> Result<Vec<StatusTarget>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, reference, remote_id, token, remote_status FROM submissions
             WHERE state = 'accepted' AND created_at >= ?1
               AND (remote_id IS NOT NULL OR token IS NOT NULL)
             ORDER BY id DESC LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![since, limit as i64], |r| {
            Ok(StatusTarget {
                id: r.get(0)?,
                reference: r.get(1)?,
                remote_id: r.get(2)?,
                token: r.get(3)?,
                remote_status: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Stores the `service_request_id` a batch service's token resolved to.
    pub fn set_remote_id(&mut self, id: i64, remote_id: &str) -> Result<(), StoreError> {
        let now = now_rfc3339();
        let tx = self.conn.transaction()?;
        tx.execute(
            "UPDATE submissions SET remote_id = ?2, updated_at = ?3 WHERE id = ?1",
            params![id, remote_id, now],
        )?;
        tx.execute(
            "INSERT INTO attempts (submission_id, at, outcome, detail)
             VALUES (?1, ?2, 'token_resolved', ?3)",
            params![id, now, format!("service_request_id {remote_id}")],
        )?;
        tx.commit().map_err(|e| self.map_write_error(e))?;
        Ok(())
    }

    /// Stores council statuses (`(id, status)`) in one transaction; returns how many changed.
    pub fn store_remote_statuses(
        &mut self,
        statuses: &[(i64, String)],
    ) -> Result<usize, StoreError> {
        let now = now_rfc3339();
        let tx = self.conn.transaction()?;
        let mut changed = 0;
        {
            let mut stmt = tx.prepare_cached(
                "UPDATE submissions SET remote_status = ?2, remote_status_at = ?3
                 WHERE id = ?1 AND remote_status IS NOT ?2",
            )?;
            for (id, status) in statuses {
                changed += stmt.execute(params![id, status, now])?;
            }
        }
        tx.commit().map_err(|e| self.map_write_error(e))?;
        Ok(changed)
    }

    /// The council status of a submission and when it was fetched.
    pub fn remote_status(&self, reference: &str) -> Result<Option<(String, String)>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT remote_status, remote_status_at FROM submissions
                 WHERE reference = ?1 AND remote_status IS NOT NULL",
                [reference],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::queue::State;
    use crate::queue::tests::tempdir;
    use crate::validate::{Location, ValidForm};

    fn form() -> ValidForm {
        ValidForm {
            service_code: "GRAFFITI".into(),
            locale: "en".into(),
            location: Location {
                address: "1 High St".into(),
                ..Location::default()
            },
            ..ValidForm::default()
        }
    }

    #[test]
    fn a_claim_is_durable_owned_and_exclusive_until_released() {
        let mut store = Store::open(&tempdir()).unwrap();
        for _ in 0..3 {
            store.enqueue("LIB2", &form(), None).unwrap();
        }
        let now = "2030-01-01T00:00:00.000Z";
        let first = ClaimMark::new();
        let claimed = store.claim_due(&first, now, 2).unwrap();
        assert_eq!(claimed.len(), 2);
        assert_eq!(claimed[0].attempts, 1);
        assert_eq!(
            Store::decode_payload(&claimed[0].reference, &claimed[0].payload).unwrap(),
            form()
        );
        // A second claimer only gets the third one.
        let second = ClaimMark::new();
        let rest = store.claim_due(&second, now, 10).unwrap();
        assert_eq!(rest.len(), 1);
        assert!(store.claim_due(&second, now, 10).unwrap().is_empty());
        // Claimed: not due for reconciliation, whatever the wall clock says.
        assert!(
            store
                .due_unknown("2999-01-01T00:00:00.000Z", 10)
                .unwrap()
                .is_empty()
        );
        // An outcome recorded by a round that does not hold the claim is dropped.
        let dropped = store
            .record_outcomes(
                &second.owner,
                &[(
                    claimed[0].id,
                    DeliveryUpdate::NotOnServer { detail: "x".into() },
                )],
            )
            .unwrap();
        assert_eq!(dropped, 1);
        // The holder of the delivery lock releases abandoned claims: due for lookup now.
        assert_eq!(store.release_claims().unwrap(), 3);
        let unknown = store.due_unknown(now, 10).unwrap();
        assert_eq!(unknown.len(), 3);
        assert_eq!(unknown[0].unknown_since, now);
        assert!(unknown[0].mark_mono_ms.is_some());
        // Never claimed for sending again while their outcome is unknown.
        assert!(store.claim_due(&second, now, 10).unwrap().is_empty());
        let ids: Vec<i64> = unknown.iter().map(|u| u.id).collect();
        assert_eq!(store.claim_unknown(&second.owner, &ids).unwrap().len(), 3);
        assert!(store.claim_unknown(&first.owner, &ids).unwrap().is_empty());
    }

    #[test]
    fn outcomes_move_state_and_log_attempts() {
        let mut store = Store::open(&tempdir()).unwrap();
        let a = store.enqueue("LIB2", &form(), None).unwrap();
        let b = store.enqueue("LIB2", &form(), None).unwrap();
        let c = store.enqueue("LIB2", &form(), None).unwrap();
        let now = "2030-01-01T00:00:00.000Z";
        let mark = ClaimMark::new();
        let claimed = store.claim_due(&mark, now, 10).unwrap();
        let id = |r: &crate::reference::Reference| store.get(r.as_str()).unwrap().id;
        let (ia, ib, ic) = (id(&a), id(&b), id(&c));
        store
            .record_outcomes(
                &mark.owner,
                &[
                    (
                        ia,
                        DeliveryUpdate::Accepted {
                            remote_id: Some("42".into()),
                            token: None,
                            notice: Some("thanks".into()),
                            detail: "created".into(),
                            outcome: "accepted",
                        },
                    ),
                    (
                        ib,
                        DeliveryUpdate::Rejected {
                            reason: "bad for Ada".into(),
                            from_server: true,
                        },
                    ),
                    (
                        ic,
                        DeliveryUpdate::Retry {
                            next_attempt_at: "2030-01-01T00:01:00.000Z".into(),
                            error: "HTTP 500".into(),
                            outcome_unknown: false,
                        },
                    ),
                ],
            )
            .unwrap();
        assert_eq!(claimed.len(), 3);
        let sa = store.get(a.as_str()).unwrap();
        assert_eq!(sa.state, State::Accepted);
        assert_eq!(sa.remote_id.as_deref(), Some("42"));
        assert_eq!(sa.service_notice.as_deref(), Some("thanks"));
        assert_eq!(sa.attempt_log[0].outcome, "accepted");
        let sb = store.get(b.as_str()).unwrap();
        assert_eq!(sb.state, State::Rejected);
        // The server's words are sealed, shown only on request.
        assert!(!sb.last_error.as_deref().unwrap().contains("Ada"));
        assert!(sb.attempt_log.iter().all(|a| !a.detail.contains("Ada")));
        assert_eq!(
            store.server_text(b.as_str()).unwrap().as_deref(),
            Some("bad for Ada")
        );
        let sc = store.get(c.as_str()).unwrap();
        assert_eq!(sc.state, State::Pending);
        assert_eq!(sc.attempt_log[0].outcome, "retry");
        assert!(!store.has_due(now).unwrap());
        assert!(store.has_due("2030-01-01T00:01:00.000Z").unwrap());
        assert_eq!(
            store.next_due_at().unwrap().as_deref(),
            Some("2030-01-01T00:01:00.000Z")
        );
        let targets = store.status_targets("2000-01-01T00:00:00Z", 10).unwrap();
        assert_eq!(targets.len(), 1);
        assert_eq!(
            store
                .store_remote_statuses(&[(ia, "open".into()), (ia, "open".into())])
                .unwrap(),
            1
        );
        assert_eq!(store.remote_status(a.as_str()).unwrap().unwrap().0, "open");
    }

    #[test]
    fn delivery_timestamps_are_fixed_width() {
        let t = time::macros::datetime!(2026-03-04 05:06:07.089 UTC);
        assert_eq!(delivery_timestamp(t), "2026-03-04T05:06:07.089Z");
    }
}
