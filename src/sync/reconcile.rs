//! Reconciliation: before a submission whose last POST may have reached the server is sent
//! again, look it up there, and resend only with evidence that it is not there.
//!
//! GeoReport v2 has no idempotency key, so the lookup searches `GET requests.json` for the
//! submission's service over a window starting just before the first unanswered POST (in the
//! server's time, from its `Date` header), and reads the kiosk's marker at the start of each
//! `description` (`Kiosk reference: REF` and the keyed `Kiosk check:` line, see `wire`).
//!
//! Absence from a list is weak evidence: real servers have no search (`[]`), page newest first
//! with the rest announced only in headers, list a request only after moderation or after a lag,
//! file it under another service, or store a POST after the client gave up waiting. So:
//!
//! - **found** (marker and check) → accepted with the server's id (attempt log: `reconciled`);
//! - **named without the check** (a forged line, or one written at the end of the text by an
//!   older version) → `review`: staff decide, nothing is resent or taken as delivered;
//! - **absent**, only when the list is complete (every next page followed, the announced count
//!   reached, not cut at a cap) *and* it shows this kiosk's own requests accepted since this one
//!   was sent (the lookup is shown able to see recent requests of this service), and only after
//!   `settle` on the boot clock: recorded as `absent` and looked up again `confirm_after` later;
//!   absent twice → due for sending again (`not_found`);
//! - anything else (no answer, an incomplete list, no evidence) → still unknown, looked up again
//!   after the backoff; undecided for `review_after` → `review`, where staff are told.
//!
//! Each case goes to review with its kind ([`ReviewKind`]: `Unverified`, `Undecided`) recorded
//! beside the reason, and the staff desk names the case from that: the reasons' words are for
//! technicians and free to change.
//!
//! The trade-off: a kiosk that sends rarely may have no recent request to show the lookup works,
//! and a lost answer then waits for staff instead of being resent by itself. A duplicate at the
//! council costs its staff and the resident more than a report that waits for a decision.

use std::collections::BTreeMap;

use time::format_description::well_known::Rfc3339;
use time::{Duration, OffsetDateTime};

use super::classify::{GetOutcome, classify_get};
use super::client::{MAX_LIST_BYTES, Open311Client};
use super::connectivity::LinkState;
use super::engine::{Observed, SyncEngine, now_ts};
use super::wire::{MAX_LIST_ITEMS, RemoteRequest, parse_requests};
use crate::clock::rfc3339;
use crate::queue::StoreError;
use crate::queue::{
    DeliveryUpdate, ReviewKind, UnknownOutcome, delivery_timestamp, elapsed_since_mark,
};

/// Margin for the server's clock and processing time on each side of the search window.
const CLOCK_MARGIN: Duration = Duration::hours(1);
/// The standard's longest `start_date`..`end_date` span.
const MAX_SPAN: Duration = Duration::days(90);
/// Servers cap lists (the standard says 1000 by default): a list that long with no next page
/// may have been cut, so its absences prove nothing.
const SERVER_LIST_CAP: usize = 1000;
/// Most pages followed in one lookup.
const MAX_PAGES: usize = 50;
/// Most unknown outcomes looked up per round.
const MAX_PER_ROUND: usize = 500;
/// Most of this kiosk's accepted references checked as evidence.
const MAX_WITNESSES: usize = 200;

fn parse_time(s: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(s, &Rfc3339).ok()
}

/// The search window for submissions first sent at `since`, clamped to the standard's span.
pub fn window(since: OffsetDateTime, now: OffsetDateTime) -> (OffsetDateTime, OffsetDateTime) {
    let end = now + CLOCK_MARGIN;
    let start = (since - CLOCK_MARGIN).max(end - MAX_SPAN);
    (start, end)
}

/// What one lookup saw.
struct Listing {
    items: Vec<RemoteRequest>,
    /// Why the list may be missing requests, if it may.
    incomplete: Option<String>,
}

async fn fetch(
    client: &Open311Client,
    next: Option<&str>,
    query: &[(&str, &str)],
    observed: &mut Observed,
) -> Result<(Vec<RemoteRequest>, super::client::AnswerHeaders), String> {
    let result = match next {
        None => client.get("requests.json", query, MAX_LIST_BYTES).await,
        Some(url) => match client.get_next_page(url, MAX_LIST_BYTES).await {
            Some(r) => r,
            None => return Err("lookup: the next page is on another server".into()),
        },
    };
    let headers = match &result {
        super::client::HttpResult::Answer { headers, .. } => headers.clone(),
        _ => Default::default(),
    };
    match classify_get(result) {
        GetOutcome::Document(doc) => match parse_requests(&doc) {
            Some(list) => {
                observed.link(LinkState::Online);
                Ok((list, headers))
            }
            None => Err("lookup: not an Open311 list of requests".into()),
        },
        GetOutcome::Refused { detail, .. } => {
            observed.link(LinkState::Online);
            Err(format!("lookup: {detail}"))
        }
        GetOutcome::Unavailable { detail, link } => {
            observed.link(link);
            Err(format!("lookup: {detail}"))
        }
    }
}

/// Every page of one search, or why it is not the whole list.
async fn lookup(
    client: &Open311Client,
    service_code: &str,
    (start, end): (OffsetDateTime, OffsetDateTime),
    observed: &mut Observed,
) -> Result<Listing, String> {
    let (start, end) = (rfc3339(start), rfc3339(end));
    let query = [
        ("service_code", service_code),
        ("start_date", start.as_str()),
        ("end_date", end.as_str()),
    ];
    let mut items = Vec::new();
    let mut next: Option<String> = None;
    let mut announced: Option<u64> = None;
    let mut paged = false;
    for _ in 0..MAX_PAGES {
        let (page, headers) = fetch(client, next.as_deref(), &query, observed).await?;
        let empty = page.is_empty();
        items.extend(page);
        announced = headers.result_count.or(announced);
        paged |= headers.next_page.is_some() || headers.result_count.is_some();
        next = headers.next_page.filter(|_| !empty);
        if next.is_none() || items.len() >= MAX_LIST_ITEMS {
            break;
        }
    }
    let incomplete = if next.is_some() {
        Some(format!("the list goes on past {} items", items.len()))
    } else if let Some(n) = announced.filter(|n| (items.len() as u64) < *n) {
        Some(format!(
            "the server announces {n} requests but gave {}",
            items.len()
        ))
    } else if !paged && items.len() >= SERVER_LIST_CAP {
        Some(format!("the list stops at {} items", items.len()))
    } else {
        None
    };
    Ok(Listing { items, incomplete })
}

/// What a listing says about one submission.
enum Verdict {
    Found(RemoteRequest),
    /// Named, but without this kiosk's check: staff decide.
    Suspicious(String),
    Absent(String),
    Inconclusive(String),
}

fn judge(
    engine: &mut SyncEngine,
    listing: &Result<Listing, String>,
    item: &UnknownOutcome,
    found_now: &[(&str, &str)],
    searched: &str,
) -> Result<Verdict, StoreError> {
    let listing = match listing {
        Ok(l) => l,
        Err(e) => return Ok(Verdict::Inconclusive(e.clone())),
    };
    let secret = engine.secret()?;
    let check = secret.check(&item.reference);
    let mine = |r: &RemoteRequest, reference: &str, check: &str| {
        r.marker
            .as_ref()
            .is_some_and(|m| m.reference == reference && m.check.as_deref() == Some(check))
    };
    if let Some(hit) = listing
        .items
        .iter()
        .find(|r| mine(r, &item.reference, &check))
    {
        return Ok(Verdict::Found(hit.clone()));
    }
    // A request that carries one of this kiosk's markers with its right check is that
    // submission: what its text says further down was typed by a resident and proves nothing.
    let ours = |r: &RemoteRequest| {
        r.marker
            .as_ref()
            .is_some_and(|m| m.check.as_deref() == Some(secret.check(&m.reference).as_str()))
    };
    if listing.items.iter().any(|r| {
        r.marker
            .as_ref()
            .is_some_and(|m| m.reference == item.reference)
            || (!ours(r) && r.mentions.contains(&item.reference))
    }) {
        return Ok(Verdict::Suspicious(format!(
            "a request on the server names {} without this kiosk's check (a forged line, or one sent by an older version): decide with `guichet queue resolve`",
            item.reference
        )));
    }
    if let Some(why) = &listing.incomplete {
        return Ok(Verdict::Inconclusive(format!(
            "lookup inconclusive: {why} ({searched})"
        )));
    }
    // Evidence that this lookup sees what this kiosk sent since: one of its own requests,
    // accepted after this one was first sent, is in the list.
    let witnesses = engine
        .store
        .accepted_since(&item.unknown_since, MAX_WITNESSES)?;
    // Requests of this lookup found in this same list count too, when sent no earlier.
    let seen = found_now
        .iter()
        .any(|(r, since)| *r != item.reference && *since >= item.unknown_since.as_str())
        || witnesses.iter().any(|w| {
            let check = secret.check(w);
            listing.items.iter().any(|r| mine(r, w, &check))
        });
    if !seen {
        return Ok(Verdict::Inconclusive(format!(
            "lookup inconclusive: it does not show this kiosk's requests accepted since ({searched}), so absence proves nothing"
        )));
    }
    Ok(Verdict::Absent(format!("not on the server ({searched})")))
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

/// Looks up every unknown outcome that is due and records what was learnt. Returns how many
/// were found on the server (they count as sent).
pub(super) async fn reconcile_due(
    engine: &mut SyncEngine,
    client: &Open311Client,
    observed: &mut Observed,
) -> Result<u64, StoreError> {
    let due = engine.store.due_unknown(&now_ts(), MAX_PER_ROUND)?;
    if due.is_empty() {
        return Ok(0);
    }
    let owner = engine.mark.owner.clone();
    let ids: Vec<i64> = due.iter().map(|d| d.id).collect();
    let claimed = engine.store.claim_unknown(&owner, &ids)?;
    let now = OffsetDateTime::now_utc();
    let mut updates = Vec::new();
    let mut by_service: BTreeMap<String, Vec<UnknownOutcome>> = BTreeMap::new();
    for item in due.into_iter().filter(|d| claimed.contains(&d.id)) {
        // The wall clock says it is due; the boot clock must agree (a clock stepped forward
        // must not cut the wait that gives a slow server time to store what it received).
        let wait = if item.absent_at.is_some() {
            engine.tuning.confirm_after
        } else {
            engine.tuning.settle
        };
        if let Some(elapsed) = elapsed_since_mark(item.mark_boot.as_deref(), item.mark_mono_ms)
            && elapsed < wait
        {
            let rest = wait - elapsed;
            updates.push((
                item.id,
                DeliveryUpdate::Retry {
                    next_attempt_at: delivery_timestamp(now + rest),
                    error: "waiting (boot clock) before looking it up".into(),
                    outcome_unknown: true,
                },
            ));
            continue;
        }
        by_service
            .entry(item.service_code.clone())
            .or_default()
            .push(item);
    }
    let mut found_count = 0;
    // Times in the server's clock: a kiosk clock that is off would search the wrong window.
    let skew = engine.skew;
    for (service_code, items) in by_service {
        let since = |i: &UnknownOutcome| parse_time(&i.unknown_since).unwrap_or(now - MAX_SPAN);
        let earliest = items.iter().map(since).min().unwrap_or(now);
        let group_window = window(earliest + skew, now + skew);
        let searched = format!(
            "searched {service_code} from {} to {}",
            rfc3339(group_window.0),
            rfc3339(group_window.1)
        );
        let listing = if observed.unreachable() {
            Err("lookup: server unreachable".to_string())
        } else {
            lookup(client, &service_code, group_window, observed).await
        };
        let secret = engine.secret()?;
        let found_now: Vec<(&str, &str)> = match &listing {
            Ok(l) => items
                .iter()
                .filter(|i| {
                    let check = secret.check(&i.reference);
                    l.items.iter().any(|r| {
                        r.marker.as_ref().is_some_and(|m| {
                            m.reference == i.reference && m.check.as_deref() == Some(&check)
                        })
                    })
                })
                .map(|i| (i.reference.as_str(), i.unknown_since.as_str()))
                .collect(),
            Err(_) => Vec::new(),
        };
        for item in &items {
            let update = match judge(engine, &listing, item, &found_now, &searched)? {
                Verdict::Found(remote) => {
                    found_count += 1;
                    found(&remote)
                }
                Verdict::Suspicious(reason) => DeliveryUpdate::Review {
                    kind: ReviewKind::Unverified,
                    reason,
                },
                Verdict::Absent(detail) if item.absent_at.is_some() => {
                    DeliveryUpdate::NotOnServer {
                        detail: format!("{detail}, twice: sending again"),
                    }
                }
                Verdict::Absent(detail) => DeliveryUpdate::Absent {
                    detail,
                    next_attempt_at: delivery_timestamp(now + engine.tuning.confirm_after),
                },
                Verdict::Inconclusive(e) => {
                    observed.error(e.clone());
                    let undecided_for = now - since(item);
                    if undecided_for >= engine.tuning.review_after {
                        DeliveryUpdate::Review {
                            kind: ReviewKind::Undecided,
                            reason: format!(
                                "undecided for {} h: {e}; decide with `guichet queue resolve`",
                                undecided_for.whole_hours()
                            ),
                        }
                    } else {
                        engine.unknown_retry(item.attempts, e)
                    }
                }
            };
            updates.push((item.id, update));
        }
    }
    engine.store.record_outcomes(&owner, &updates)?;
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
