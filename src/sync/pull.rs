//! What sync pulls from the server once submissions are pushed: the catalogue (services and their
//! definitions; a service that cannot be served is left out, named) and the council's statuses of recent
//! submissions (tokens resolved to ids, then `servicerequestupdates` when the server has that
//! extension, and `requests.json?service_request_id=...` otherwise).

use std::collections::{BTreeMap, HashMap};

use time::OffsetDateTime;

use super::classify::{GetOutcome, classify_get};
use super::client::{MAX_LIST_BYTES, MAX_SMALL_BYTES, Open311Client};
use super::connectivity::{LinkState, keys};
use super::engine::{Observed, SyncEngine};
use super::wire::{parse_requests, parse_token_answer, parse_updates, path_segment};
use crate::catalog::{
    CatalogError, Failure, ParsedDefinition, assemble, parse_definition, parse_service_list,
};
use crate::queue::{CATALOG_DEFAULT_LOCALE, StoreError};

/// Ids per `requests.json?service_request_id=` query (keeps URLs short).
const IDS_PER_QUERY: usize = 50;
/// Tokens resolved per round.
const TOKENS_PER_ROUND: usize = 50;
/// Accepted submissions followed per round.
const MAX_FOLLOWED: usize = 2000;

use crate::clock::rfc3339;

async fn get_document(
    client: &Open311Client,
    path: &str,
    query: &[(&str, &str)],
    cap: usize,
    observed: &mut Observed,
) -> Result<Vec<u8>, (u16, String)> {
    match classify_get(client.get(path, query, cap).await) {
        GetOutcome::Document(doc) => {
            observed.link(LinkState::Online);
            Ok(doc)
        }
        GetOutcome::Refused { status, detail } => {
            observed.link(LinkState::Online);
            Err((status, format!("{path}: {detail}")))
        }
        GetOutcome::Unavailable { detail, link } => {
            observed.link(link);
            Err((0, format!("{path}: {detail}")))
        }
    }
}

/// Most bytes one catalogue may take, `services.json` and every definition together, counted
/// while reading: each document is also capped on its own, but 500 services of 4 MiB each would
/// still exhaust a kiosk's memory, at every restart.
pub const MAX_CATALOG_TOTAL_BYTES: usize = 16 * 1024 * 1024;

/// What a catalogue refresh did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum CatalogPull {
    /// A new catalogue was stored.
    Stored,
    /// The server's catalogue is the cached one.
    Unchanged,
    /// Refused (why); the cached catalogue is kept.
    Kept(String),
}

/// Fetches every definition the services list announces, within the catalogue's total budget,
/// and replaces the cached catalogue when it differs. A service whose definition fails to load
/// (404, refused, cut) keeps its previous definition when the cached catalogue came from a
/// central system or a file, and is otherwise left out and named (`Catalog::left_out`): one
/// service never blocks the others. The cached catalogue is kept whole when the server becomes
/// unreachable meanwhile, the budget is exceeded, the list is empty, or nothing usable remains.
pub(super) async fn refresh_catalog(
    engine: &mut SyncEngine,
    client: &Open311Client,
    services_doc: &[u8],
    observed: &mut Observed,
) -> Result<CatalogPull, StoreError> {
    let list = match parse_service_list(services_doc) {
        Ok(l) if l.services.is_empty() && l.left_out.is_empty() => {
            return Ok(CatalogPull::Kept(
                "services.json lists no services (wrong central.jurisdiction_id?)".into(),
            ));
        }
        Ok(l) => l,
        Err(e) => return Ok(CatalogPull::Kept(format!("services.json refused: {e}"))),
    };
    let previous = match engine.store.catalog_info()? {
        Some((source, _)) if source != "demo" => {
            engine.store.catalog_for(CATALOG_DEFAULT_LOCALE)?
        }
        _ => None,
    };
    let mut budget = MAX_CATALOG_TOTAL_BYTES.saturating_sub(services_doc.len());
    let mut definitions = BTreeMap::new();
    let mut failures = BTreeMap::new();
    for service in list.services.iter().filter(|s| s.metadata) {
        let code = &service.service_code;
        let path = format!("services/{}.json", path_segment(code));
        let cap = budget.min(MAX_LIST_BYTES);
        let failure = match get_document(client, &path, &[], cap, observed).await {
            Ok(doc) => {
                budget = budget.saturating_sub(doc.len());
                match parse_definition(&doc) {
                    Ok(p) if p.definition.service_code == *code => {
                        definitions.insert(code.clone(), p);
                        continue;
                    }
                    Ok(p) => definition_failure(
                        &path,
                        format!(
                            "definition is for {:?}, not {code:?}",
                            p.definition.service_code
                        ),
                    ),
                    Err(e) => Failure {
                        reason: format!("{path} refused: {e}"),
                        error: e,
                    },
                }
            }
            Err((0, e)) if cap < MAX_LIST_BYTES && e.contains("larger than allowed") => {
                return Ok(CatalogPull::Kept(format!(
                    "{e}: the catalogue is larger than its budget of {MAX_CATALOG_TOTAL_BYTES} bytes"
                )));
            }
            Err((_, e)) if observed.unreachable() => return Ok(CatalogPull::Kept(e)),
            Err((_, e)) => definition_failure(&path, e),
        };
        match previous.as_ref().and_then(|c| c.definition(code)) {
            Some(kept) => {
                observed.error(format!(
                    "{}: the previous definition is kept",
                    failure.reason
                ));
                definitions.insert(
                    code.clone(),
                    ParsedDefinition {
                        definition: kept.clone(),
                        skipped: Vec::new(),
                    },
                );
            }
            None => {
                observed.error(format!(
                    "{}: service left out of the catalogue",
                    failure.reason
                ));
                failures.insert(code.clone(), failure);
            }
        }
    }
    let catalog = match assemble(list, definitions, failures) {
        Ok(c) => c.catalog,
        Err(CatalogError::NothingUsable { .. }) => {
            return Ok(CatalogPull::Kept(
                "no service of services.json has a usable definition".into(),
            ));
        }
        Err(e) => return Ok(CatalogPull::Kept(format!("catalogue refused: {e}"))),
    };
    let store = &mut engine.store;
    store.set_state_value(keys::CATALOG_CHECKED_AT, &crate::queue::now_rfc3339())?;
    let source = client.base().as_str().to_string();
    let unchanged = store.catalog_info()?.is_some_and(|(s, _)| s == source)
        && store.catalog_for(CATALOG_DEFAULT_LOCALE)?.as_ref() == Some(&catalog);
    if unchanged {
        return Ok(CatalogPull::Unchanged);
    }
    store.replace_catalog(&catalog, &source)?;
    // A new catalogue (or a new server) may come with other extensions: probe them again, once.
    store.set_state_value(keys::UPDATES_EXTENSION, "")?;
    tracing::info!(
        services = catalog.services.len(),
        left_out = catalog.left_out.len(),
        "catalogue updated"
    );
    Ok(CatalogPull::Stored)
}

fn definition_failure(path: &str, reason: String) -> Failure {
    Failure {
        error: CatalogError::Malformed {
            at: path.to_string(),
            problem: reason.clone(),
        },
        reason,
    }
}

/// Pulls statuses of accepted submissions from the last `status_window`.
pub(super) async fn pull_statuses(
    engine: &mut SyncEngine,
    client: &Open311Client,
    observed: &mut Observed,
) -> Result<(), StoreError> {
    let now = OffsetDateTime::now_utc();
    let since = rfc3339(now - engine.tuning.status_window);
    let mut targets = engine.store.status_targets(&since, MAX_FOLLOWED)?;
    // Batch services answer with a token first; the id comes later.
    for target in targets
        .iter_mut()
        .filter(|t| t.remote_id.is_none())
        .take(TOKENS_PER_ROUND)
    {
        let Some(token) = target.token.clone() else {
            continue;
        };
        let path = format!("tokens/{}.json", path_segment(&token));
        match get_document(client, &path, &[], MAX_SMALL_BYTES, observed).await {
            Ok(doc) => match parse_token_answer(&doc) {
                Some(Some(id)) => {
                    engine.store.set_remote_id(target.id, &id)?;
                    target.remote_id = Some(id);
                }
                Some(None) => {}
                None => observed.error(format!("{path}: not an Open311 token answer")),
            },
            Err((_, e)) => observed.error(e),
        }
        if observed.unreachable() {
            return Ok(());
        }
    }
    let by_remote: HashMap<String, i64> = targets
        .iter()
        .filter_map(|t| Some((t.remote_id.clone()?, t.id)))
        .collect();
    if by_remote.is_empty() {
        return Ok(());
    }
    let mut statuses: Vec<(i64, String)> = Vec::new();
    // Submissions never seen with a status are asked by id; the rest follow the updates feed
    // when the server has one (one request instead of one per 50 submissions).
    let updates_used =
        pull_updates(engine, client, &since, &by_remote, &mut statuses, observed).await?;
    let ask: Vec<&str> = targets
        .iter()
        .filter(|t| !updates_used || t.remote_status.is_none())
        .filter_map(|t| t.remote_id.as_deref())
        .collect();
    for chunk in ask.chunks(IDS_PER_QUERY) {
        let ids = chunk.join(",");
        let query = [("service_request_id", ids.as_str())];
        match get_document(client, "requests.json", &query, MAX_LIST_BYTES, observed).await {
            Ok(doc) => match parse_requests(&doc) {
                Some(list) => {
                    for r in list {
                        if let (Some(id), Some(status)) = (by_remote.get(&r.remote_id), r.status) {
                            statuses.push((*id, status));
                        }
                    }
                }
                None => observed.error("requests.json: not an Open311 list of requests"),
            },
            Err((_, e)) => {
                observed.error(e);
                break;
            }
        }
    }
    engine.store.store_remote_statuses(&statuses)?;
    Ok(())
}

/// Uses the `servicerequestupdates` extension when the server has it. Returns whether it did.
async fn pull_updates(
    engine: &mut SyncEngine,
    client: &Open311Client,
    window_start: &str,
    by_remote: &HashMap<String, i64>,
    statuses: &mut Vec<(i64, String)>,
    observed: &mut Observed,
) -> Result<bool, StoreError> {
    let store = &engine.store;
    if store.state_value(keys::UPDATES_EXTENSION)?.as_deref() == Some("absent") {
        return Ok(false);
    }
    let start = store
        .state_value(keys::UPDATES_SINCE)?
        .filter(|s| s.as_str() > window_start)
        .unwrap_or_else(|| window_start.to_string());
    let end = crate::queue::now_rfc3339();
    // No `api_key`: a key in a URL lands in access logs, and the standard asks for it in POST
    // bodies only. A server that insists (401/403) is taken not to offer the extension.
    let query = [("start_date", start.as_str()), ("end_date", end.as_str())];
    match get_document(
        client,
        "servicerequestupdates.json",
        &query,
        MAX_LIST_BYTES,
        observed,
    )
    .await
    {
        Ok(doc) => match parse_updates(&doc) {
            Some(updates) => {
                // Sorted oldest first: the last status per request wins.
                for u in updates {
                    if let Some(id) = by_remote.get(&u.remote_id) {
                        statuses.push((*id, u.status));
                    }
                }
                store.set_state_value(keys::UPDATES_EXTENSION, "present")?;
                store.set_state_value(keys::UPDATES_SINCE, &end)?;
                Ok(true)
            }
            None => {
                store.set_state_value(keys::UPDATES_EXTENSION, "absent")?;
                Ok(false)
            }
        },
        // 404/400/501: the server does not have the extension.
        Err((status, _)) if (400..500).contains(&status) || status == 501 => {
            store.set_state_value(keys::UPDATES_EXTENSION, "absent")?;
            Ok(false)
        }
        Err((_, e)) => {
            observed.error(e);
            Ok(false)
        }
    }
}
