//! Reconciliation: before a submission whose last POST may have reached the server is sent
//! again, look it up there.
//!
//! GeoReport v2 has no idempotency key, so the lookup searches `GET requests.json` for the
//! submission's service over a window starting just before the first unanswered POST (not when
//! the resident submitted: a submission queued offline for weeks is only created on the server
//! when it is sent), and matches the `Kiosk reference: REF` line of `description`.
//!
//! - found → accepted with the server's id (attempt log: `reconciled`);
//! - a complete answer without it → it never arrived: due for sending now (`not_found`);
//! - no usable answer → still unknown, looked up again after the backoff.
//!
//! Known limit: a batch (token) service may list a request only once it has an id; such a server
//! could make a lost answer look like "not found". The window and list cap are handled by a
//! narrower second lookup when the first list is full.

use std::collections::BTreeMap;

use time::format_description::well_known::Rfc3339;
use time::{Duration, OffsetDateTime};

use super::classify::{GetOutcome, classify_get};
use super::client::{MAX_LIST_BYTES, Open311Client};
use super::connectivity::LinkState;
use super::engine::{Observed, SyncEngine, now_ts};
use super::wire::{RemoteRequest, parse_requests};
use crate::queue::StoreError;
use crate::queue::{DeliveryUpdate, UnknownOutcome};

/// Margin for the server's clock and processing time on each side of the search window.
const CLOCK_MARGIN: Duration = Duration::hours(1);
/// The standard's longest `start_date`..`end_date` span.
const MAX_SPAN: Duration = Duration::days(90);
/// Servers cap lists (the standard says 1000 by default): a full list proves nothing by absence.
const SERVER_LIST_CAP: usize = 1000;
/// Most unknown outcomes looked up per round.
const MAX_PER_ROUND: usize = 500;

use crate::clock::rfc3339;

fn parse_time(s: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(s, &Rfc3339).ok()
}

/// The search window for submissions first sent at `since`, clamped to the standard's span.
pub fn window(since: OffsetDateTime, now: OffsetDateTime) -> (OffsetDateTime, OffsetDateTime) {
    let end = now + CLOCK_MARGIN;
    let start = (since - CLOCK_MARGIN).max(end - MAX_SPAN);
    (start, end)
}

enum Lookup {
    /// A complete list (or at least one that is not full).
    List(Vec<RemoteRequest>, bool),
    /// No usable answer.
    Failed(String),
}

async fn lookup(
    client: &Open311Client,
    service_code: &str,
    (start, end): (OffsetDateTime, OffsetDateTime),
    observed: &mut Observed,
) -> Lookup {
    let (start, end) = (rfc3339(start), rfc3339(end));
    let query = [
        ("service_code", service_code),
        ("start_date", start.as_str()),
        ("end_date", end.as_str()),
    ];
    match classify_get(client.get("requests.json", &query, MAX_LIST_BYTES).await) {
        GetOutcome::Document(doc) => match parse_requests(&doc) {
            Some(list) => {
                observed.link(LinkState::Online);
                let full = list.len() >= SERVER_LIST_CAP;
                Lookup::List(list, full)
            }
            None => Lookup::Failed("lookup: not an Open311 list of requests".into()),
        },
        GetOutcome::Refused { detail, .. } => {
            observed.link(LinkState::Online);
            Lookup::Failed(format!("lookup: {detail}"))
        }
        GetOutcome::Unavailable { detail, link } => {
            observed.link(link);
            Lookup::Failed(format!("lookup: {detail}"))
        }
    }
}

fn found(remote: &RemoteRequest) -> DeliveryUpdate {
    DeliveryUpdate::Accepted {
        remote_id: Some(remote.remote_id.clone()),
        token: None,
        notice: remote.notice.clone(),
        detail: "found on the server after an unknown outcome".into(),
        outcome: "reconciled",
    }
}

/// Looks up every unknown outcome whose lease has expired and records what was learnt. Returns
/// how many were found on the server (they count as sent).
pub(super) async fn reconcile_due(
    engine: &mut SyncEngine,
    client: &Open311Client,
    observed: &mut Observed,
) -> Result<u64, StoreError> {
    let due = engine.store.due_unknown(&now_ts(), MAX_PER_ROUND)?;
    if due.is_empty() {
        return Ok(0);
    }
    let now = OffsetDateTime::now_utc();
    let mut by_service: BTreeMap<String, Vec<UnknownOutcome>> = BTreeMap::new();
    for item in due {
        by_service
            .entry(item.service_code.clone())
            .or_default()
            .push(item);
    }
    let mut updates = Vec::new();
    let mut found_count = 0;
    for (service_code, items) in by_service {
        if observed.unreachable() {
            break;
        }
        let since = |i: &UnknownOutcome| parse_time(&i.unknown_since).unwrap_or(now - MAX_SPAN);
        let earliest = items.iter().map(since).min().unwrap_or(now);
        let group_window = window(earliest, now);
        let first = lookup(client, &service_code, group_window, observed).await;
        for item in &items {
            let mut result = match &first {
                Lookup::List(list, full) => {
                    let hit = list
                        .iter()
                        .find(|r| r.kiosk_reference.as_deref() == Some(item.reference.as_str()));
                    match hit {
                        Some(r) => Ok(Some(r.clone())),
                        None if !*full => Ok(None),
                        None => Err("lookup list was full".to_string()),
                    }
                }
                Lookup::Failed(e) => Err(e.clone()),
            };
            if matches!(&result, Err(e) if e == "lookup list was full") {
                // A narrow window around this submission's own send is far from any cap.
                let narrow = window(since(item), since(item) + engine.tuning.lease);
                result = match lookup(client, &service_code, narrow, observed).await {
                    Lookup::List(list, false) => Ok(list
                        .iter()
                        .find(|r| r.kiosk_reference.as_deref() == Some(item.reference.as_str()))
                        .cloned()),
                    Lookup::List(_, true) => Err("lookup list was full twice".into()),
                    Lookup::Failed(e) => Err(e),
                };
            }
            let update = match result {
                Ok(Some(remote)) => {
                    found_count += 1;
                    found(&remote)
                }
                Ok(None) => DeliveryUpdate::NotOnServer {
                    detail: format!(
                        "not on the server (searched {service_code} from {} to {}): sending again",
                        rfc3339(group_window.0),
                        rfc3339(group_window.1)
                    ),
                },
                Err(e) => {
                    observed.error(e.clone());
                    engine.retry(item.attempts, e, true)
                }
            };
            updates.push((item.id, update));
        }
    }
    engine.store.record_outcomes(&updates)?;
    Ok(found_count)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn the_window_starts_before_the_first_send_and_spans_at_most_90_days() {
        let now = datetime!(2026-06-01 12:00 UTC);
        let (s, e) = window(datetime!(2026-06-01 11:00 UTC), now);
        assert_eq!(s, datetime!(2026-06-01 10:00 UTC));
        assert_eq!(e, datetime!(2026-06-01 13:00 UTC));
        let (s, e) = window(datetime!(2025-01-01 00:00 UTC), now);
        assert_eq!(e - s, MAX_SPAN);
    }
}
