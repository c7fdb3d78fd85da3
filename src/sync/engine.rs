//! One sync round: probe the server, reconcile unknown outcomes, push due submissions in
//! concurrent batches, then refresh the catalogue and statuses when they are due.
//!
//! Database work happens only between network phases (claim a batch, send it, record it), so the
//! engine runs on a single-threaded runtime without blocking any request in flight.

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::Serialize;
use time::OffsetDateTime;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;

use super::classify::{GetOutcome, PostOutcome, backoff, classify_get, classify_post};
use super::client::{ClientError, HttpResult, MAX_LIST_BYTES, Open311Client, Timeouts};
use super::connectivity::{Connectivity, LinkState, keys};
use super::lock::{DeliveryLock, LockError};
use super::pull::CatalogPull;
use super::wire::{PostContext, ReferenceSecret, encode_post};
use super::{pull, reconcile};
use crate::config::Config;
use crate::queue::{ClaimMark, DeliveryUpdate, Payload, delivery_timestamp};
use crate::queue::{State, Store, StoreError};

/// Knobs of the sync engine. Production defaults; tests shorten the times.
#[derive(Debug, Clone)]
pub struct SyncTuning {
    /// Connect and total timeouts of every request.
    pub timeouts: Timeouts,
    /// Most POSTs in flight at once (never more: councils rate-limit kiosks).
    pub max_in_flight: usize,
    /// Submissions claimed (and recorded) per transaction.
    pub batch_size: usize,
    /// Batches pushed per round before the round reports (the worker goes round again at once
    /// when more are due).
    pub max_batches_per_round: usize,
    /// First retry delay.
    pub backoff_base: Duration,
    /// Longest retry delay.
    pub backoff_cap: Duration,
    /// How long after an unanswered POST the first lookup waits (measured on the boot clock):
    /// longer than any server takes to store a request it has received.
    pub settle: Duration,
    /// How long after a lookup that did not find a submission the confirming lookup waits.
    pub confirm_after: Duration,
    /// How long an unknown outcome may stay undecided (lookups failing or inconclusive) before
    /// it goes to review, where staff are told.
    pub review_after: Duration,
    /// How long `guichet sync --once` waits for another delivering process to finish its round.
    pub lock_wait: Duration,
    /// How often the catalogue is fetched again.
    pub catalog_interval: Duration,
    /// How often statuses are pulled.
    pub status_interval: Duration,
    /// How far back accepted submissions have their status followed.
    pub status_window: Duration,
    /// Pause between rounds of the background worker.
    pub round_interval: Duration,
}

impl Default for SyncTuning {
    fn default() -> Self {
        let timeouts = Timeouts::default();
        SyncTuning {
            timeouts,
            max_in_flight: 4,
            batch_size: 64,
            max_batches_per_round: 16,
            backoff_base: Duration::from_secs(10),
            backoff_cap: Duration::from_secs(15 * 60),
            settle: Duration::from_secs(120),
            confirm_after: Duration::from_secs(120),
            review_after: Duration::from_secs(12 * 3600),
            lock_wait: Duration::from_secs(600),
            catalog_interval: Duration::from_secs(3600),
            status_interval: Duration::from_secs(300),
            status_window: Duration::from_secs(30 * 24 * 3600),
            round_interval: Duration::from_secs(60),
        }
    }
}

impl SyncTuning {
    /// Defaults with the round interval of `central.sync_interval_s`.
    pub fn for_config(config: &Config) -> SyncTuning {
        let mut tuning = SyncTuning::default();
        if let Some(s) = config.central.sync_interval_s {
            tuning.round_interval = Duration::from_secs(u64::from(s));
        }
        tuning
    }
}

/// What one round (or a whole `sync --once`) did.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct RoundReport {
    /// Submissions accepted by the council (sent, or found there by reconciliation).
    pub sent: u64,
    /// Submissions the council refused.
    pub rejected: u64,
    /// Submissions still pending.
    pub pending: u64,
    /// Whether a new catalogue was stored.
    pub catalog_updated: bool,
    /// The link as this round found it.
    #[serde(skip)]
    pub link: LinkState,
    /// Whether submissions are still due now (the round stopped at its batch limit).
    #[serde(skip)]
    pub more_due: bool,
    /// The first problem met, for technicians.
    #[serde(skip)]
    pub error: Option<String>,
    /// Whether the server showed itself to be the Open311 endpoint this round (its
    /// `services.json` is a non-empty list of services). Nothing is sent otherwise.
    #[serde(skip)]
    pub endpoint_ok: bool,
    /// Submissions waiting for staff to say whether the council has them.
    #[serde(skip)]
    pub review: u64,
    /// Something staff must act on, said loudly (a surge of identical refusals, a refused key).
    #[serde(skip)]
    pub alert: Option<String>,
    /// Another process holds the delivery lock (who); this round did nothing.
    #[serde(skip)]
    pub busy: Option<String>,
}

impl RoundReport {
    /// Adds a later round's numbers to this one (for `sync --once`).
    pub fn absorb(&mut self, later: RoundReport) {
        self.sent += later.sent;
        self.rejected += later.rejected;
        self.pending = later.pending;
        self.catalog_updated |= later.catalog_updated;
        self.link = later.link;
        self.more_due = later.more_due;
        self.error = later.error;
        self.endpoint_ok = later.endpoint_ok;
        self.review = later.review;
        self.alert = later.alert.or(self.alert.take());
        self.busy = later.busy;
    }
}

/// Accumulates what a round observed about the link.
#[derive(Debug, Default)]
pub(super) struct Observed {
    online: bool,
    offline: bool,
    captive: bool,
    first_error: Option<String>,
    /// The server's clock minus ours, from its `Date` header.
    pub(super) skew: Option<time::Duration>,
    /// Something staff must act on.
    pub(super) alert: Option<String>,
}

impl Observed {
    /// Notes one exchange's verdict on the link.
    pub(super) fn link(&mut self, link: LinkState) {
        match link {
            LinkState::Online => self.online = true,
            LinkState::Offline => self.offline = true,
            LinkState::CaptivePortal => self.captive = true,
        }
    }

    /// Notes a problem (the first is kept).
    pub(super) fn error(&mut self, error: impl Into<String>) {
        if self.first_error.is_none() {
            self.first_error = Some(error.into());
        }
    }

    /// Notes what an answer's `Date` header says of our clock.
    pub(super) fn date(&mut self, result: &HttpResult) {
        if let HttpResult::Answer { headers, .. } = result
            && let Some(date) = headers.date.as_deref()
            && let Ok(at) =
                OffsetDateTime::parse(date, &time::format_description::well_known::Rfc2822)
        {
            self.skew = Some(at - OffsetDateTime::now_utc());
        }
    }

    /// Notes something staff must act on (the first is kept).
    pub(super) fn alert(&mut self, alert: impl Into<String>) {
        if self.alert.is_none() {
            self.alert = Some(alert.into());
        }
    }

    /// Whether the server has not answered as itself during this round.
    pub(super) fn unreachable(&self) -> bool {
        self.captive || (self.offline && !self.online)
    }

    fn verdict(&self) -> LinkState {
        if self.captive {
            LinkState::CaptivePortal
        } else if self.online || !self.offline {
            LinkState::Online
        } else {
            LinkState::Offline
        }
    }
}

/// The sync engine: the queue, the client, and the schedule of pulls.
pub struct SyncEngine {
    pub(super) store: Store,
    pub(super) client: Option<Open311Client>,
    pub(super) tuning: SyncTuning,
    device_code: String,
    last_catalog: Option<Instant>,
    last_status: Option<Instant>,
    data_dir: PathBuf,
    who: String,
    /// This round's claim token; a new one every round.
    pub(super) mark: ClaimMark,
    secret: Option<ReferenceSecret>,
    /// The server's clock minus ours, as last seen.
    pub(super) skew: time::Duration,
}

/// `kiosk_state` key of the secret behind the `Kiosk check:` line.
const SECRET_STATE: &str = "sync.reference_secret";
/// Identical refusals, across more than one service, that make a surge: held, not rejected.
const SURGE_MIN: usize = 3;
/// A clock further off the server's than this is corrected for in lookups and reported.
pub const CLOCK_SKEW_WARN: time::Duration = time::Duration::minutes(5);

impl SyncEngine {
    /// An engine for `config` over `store`. With `central.kind = "none"` it only reports
    /// offline; a central system that cannot be set up (API key file, URL, CA) is an error.
    pub fn new(
        config: &Config,
        store: Store,
        tuning: SyncTuning,
    ) -> Result<SyncEngine, ClientError> {
        let client = match Open311Client::new(&config.central, tuning.timeouts) {
            Ok(c) => Some(c),
            Err(ClientError::NotConfigured) => None,
            Err(e) => return Err(e),
        };
        let data_dir = store
            .path()
            .parent()
            .map(std::path::Path::to_path_buf)
            .unwrap_or_default();
        Ok(SyncEngine {
            store,
            client,
            tuning,
            device_code: config.device.code.clone(),
            last_catalog: None,
            last_status: None,
            data_dir,
            who: "guichet sync".into(),
            mark: ClaimMark::new(),
            secret: None,
            skew: time::Duration::ZERO,
        })
    }

    /// Names this process in the delivery lock (what another process waiting for it is told).
    pub fn set_lock_name(&mut self, who: &str) {
        self.who = who.to_string();
    }

    /// The `Kiosk check:` of `reference` as this kiosk writes it (for tests and technicians
    /// matching requests by hand).
    pub fn reference_check(&mut self, reference: &str) -> Result<String, StoreError> {
        Ok(self.secret()?.check(reference))
    }

    /// The secret behind the `Kiosk check:` line, created once per kiosk.
    pub(super) fn secret(&mut self) -> Result<ReferenceSecret, StoreError> {
        if let Some(s) = &self.secret {
            return Ok(s.clone());
        }
        let secret = match self
            .store
            .state_value(SECRET_STATE)?
            .as_deref()
            .and_then(ReferenceSecret::from_hex)
        {
            Some(s) => s,
            None => {
                // Only the holder of the delivery lock gets here, so no other process creates
                // one meanwhile.
                let s = ReferenceSecret::generate();
                self.store.set_state_value(SECRET_STATE, &s.to_hex())?;
                s
            }
        };
        self.secret = Some(secret.clone());
        Ok(secret)
    }

    /// The queue.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Whether a central system is configured.
    pub fn has_central(&self) -> bool {
        self.client.is_some()
    }

    /// One round. `force_pull` refreshes the catalogue and statuses even if not yet due. The
    /// round holds the delivery lock throughout; when another process holds it, nothing is done
    /// and `busy` says who.
    pub async fn round(&mut self, force_pull: bool) -> Result<RoundReport, StoreError> {
        let mut report = RoundReport::default();
        let Some(client) = self.client.clone() else {
            Connectivity::save_round(&self.store, false, LinkState::Offline, None)?;
            report.pending = self.store.count(State::Pending)?;
            return Ok(report);
        };
        let _lock = match DeliveryLock::try_acquire(&self.data_dir, &self.who) {
            Ok(lock) => lock,
            Err(LockError::Held { holder }) => {
                report.busy = Some(holder);
                report.pending = self.store.count(State::Pending)?;
                report.review = self.store.count(State::Review)?;
                report.link = Connectivity::load(&self.store)?.link;
                return Ok(report);
            }
            Err(e) => {
                report.busy = Some(e.to_string());
                report.pending = self.store.count(State::Pending)?;
                return Ok(report);
            }
        };
        // We hold the lock, nothing of ours is in flight: every claim left is abandoned.
        let released = self.store.release_claims()?;
        if released > 0 {
            tracing::warn!("{released} submission(s) claimed by a round that stopped: looked up");
        }
        self.mark = ClaimMark::new();
        let mut observed = Observed::default();
        let probe = client.get("services.json", &[], MAX_LIST_BYTES).await;
        observed.date(&probe);
        let services_doc = match classify_get(probe) {
            GetOutcome::Document(doc) => {
                observed.link(LinkState::Online);
                match crate::catalog::parse_services(&doc) {
                    Ok(services) if !services.is_empty() => {
                        report.endpoint_ok = true;
                        Some(doc)
                    }
                    Ok(_) => {
                        observed.error(
                            "services.json lists no services: check central.url and central.jurisdiction_id; nothing was sent",
                        );
                        None
                    }
                    Err(e) => {
                        observed.error(format!(
                            "services.json is not an Open311 list of services ({e}): check central.url; nothing was sent"
                        ));
                        None
                    }
                }
            }
            GetOutcome::Unavailable { detail, link } => {
                // Nothing is sent into a captive portal or a dead link.
                observed.link(link);
                observed.error(format!("services.json: {detail}"));
                None
            }
            GetOutcome::Refused { detail, .. } => {
                // A wrong URL answers 404 everywhere, with an Open311 body or not: such a server
                // has not shown itself to be the endpoint, so nothing is sent (and nothing it
                // says can reject a submission).
                observed.link(LinkState::Online);
                observed.error(format!(
                    "services.json: {detail}: check central.url; nothing was sent"
                ));
                None
            }
        };
        if let Some(skew) = observed.skew {
            self.skew = skew;
            self.store
                .set_state_value(keys::CLOCK_SKEW_S, &skew.whole_seconds().to_string())?;
        }
        if report.endpoint_ok && !observed.unreachable() {
            let found = reconcile::reconcile_due(self, &client, &mut observed).await?;
            report.sent += found;
            for _ in 0..self.tuning.max_batches_per_round.max(1) {
                if observed.unreachable() {
                    break;
                }
                let (claimed, sent, rejected) = self.push_batch(&client, &mut observed).await?;
                report.sent += sent;
                report.rejected += rejected;
                // A batch that moved nothing forward (all failed) ends the pushing: the failures
                // are scheduled after their backoff, not hammered again within this round.
                if claimed == 0 || sent + rejected == 0 {
                    break;
                }
            }
        }
        if report.endpoint_ok && !observed.unreachable() {
            let catalog_due = self
                .last_catalog
                .is_none_or(|t| t.elapsed() >= self.tuning.catalog_interval);
            if let Some(doc) = &services_doc
                && (force_pull || catalog_due)
            {
                self.last_catalog = Some(Instant::now());
                match pull::refresh_catalog(self, &client, doc, &mut observed).await? {
                    CatalogPull::Stored => report.catalog_updated = true,
                    CatalogPull::Unchanged => {}
                    CatalogPull::Kept(e) => {
                        observed.error(format!("{e}; the cached catalogue is kept"))
                    }
                }
            }
            let status_due = self
                .last_status
                .is_none_or(|t| t.elapsed() >= self.tuning.status_interval);
            if force_pull || status_due {
                self.last_status = Some(Instant::now());
                pull::pull_statuses(self, &client, &mut observed).await?;
            }
        }
        report.link = observed.verdict();
        report.error = observed.first_error.clone();
        report.alert = observed.alert.clone();
        Connectivity::save_round(&self.store, true, report.link, report.error.as_deref())?;
        match &report.alert {
            Some(alert) => self.store.set_state_value(keys::ALERT, alert)?,
            // A round that delivered something with no alert clears the last one.
            None if report.sent > 0 => self.store.set_state_value(keys::ALERT, "")?,
            None => {}
        }
        report.pending = self.store.count(State::Pending)?;
        report.review = self.store.count(State::Review)?;
        report.more_due = report.endpoint_ok
            && !observed.unreachable()
            && report.alert.is_none()
            && self.store.has_due(&now_ts())?;
        Ok(report)
    }

    /// Rounds until nothing more can be done now: what `guichet sync --once` runs.
    pub async fn run_until_idle(&mut self) -> Result<RoundReport, StoreError> {
        let mut total = self.round(true).await?;
        while total.more_due {
            let next = self.round(false).await?;
            let progressed = next.sent + next.rejected > 0;
            total.absorb(next);
            if !progressed {
                break;
            }
        }
        Ok(total)
    }

    /// Fetches and stores the catalogue now; `Ok(true)` when it changed. Errors are one line.
    pub async fn refresh_catalog_now(&mut self) -> Result<bool, String> {
        let Some(client) = self.client.clone() else {
            return Err("no central system is configured (central.kind = \"none\")".into());
        };
        let doc = match classify_get(client.get("services.json", &[], MAX_LIST_BYTES).await) {
            GetOutcome::Document(doc) => doc,
            GetOutcome::Unavailable { detail, .. } | GetOutcome::Refused { detail, .. } => {
                return Err(format!(
                    "services.json: {detail}; the cached catalogue is kept"
                ));
            }
        };
        let mut observed = Observed::default();
        let pulled = pull::refresh_catalog(self, &client, &doc, &mut observed)
            .await
            .map_err(|e| e.to_string())?;
        match pulled {
            CatalogPull::Kept(e) => Err(format!("{e}; the cached catalogue is kept")),
            CatalogPull::Stored | CatalogPull::Unchanged => {
                if let Some(e) = observed.first_error {
                    tracing::warn!("catalogue: {e}");
                }
                self.last_catalog = Some(Instant::now());
                Ok(pulled == CatalogPull::Stored)
            }
        }
    }

    /// Claims one batch, sends it with at most `max_in_flight` requests at once, records every
    /// outcome. Returns (claimed, accepted, rejected).
    async fn push_batch(
        &mut self,
        client: &Open311Client,
        observed: &mut Observed,
    ) -> Result<(usize, u64, u64), StoreError> {
        let secret = self.secret()?;
        let claimed = self
            .store
            .claim_due(&self.mark, &now_ts(), self.tuning.batch_size.max(1))?;
        let count = claimed.len();
        if count == 0 {
            return Ok((0, 0, 0));
        }
        let mut updates = Vec::with_capacity(count);
        let mut jobs = Vec::with_capacity(count);
        let mut services = HashMap::with_capacity(count);
        let ctx = PostContext {
            api_key: client.api_key().expose(),
            jurisdiction_id: client.jurisdiction_id(),
            device_id: &self.device_code,
        };
        for item in claimed {
            if matches!(item.payload, Payload::Erased) {
                updates.push((
                    item.id,
                    DeliveryUpdate::Rejected {
                        reason: "personal data was erased before delivery".into(),
                        from_server: false,
                    },
                ));
                continue;
            }
            match Store::decode_payload(&item.reference, &item.payload) {
                Ok(form) => {
                    let check = secret.check(&item.reference);
                    let body = encode_post(&form, &item.reference, &check, ctx);
                    services.insert(item.id, item.service_code.clone());
                    jobs.push((item.id, item.attempts, body));
                }
                Err(e) => updates.push((
                    item.id,
                    DeliveryUpdate::Rejected {
                        reason: format!("cannot be sent: {e}"),
                        from_server: false,
                    },
                )),
            }
        }
        let results = send_all(client, jobs, self.tuning.max_in_flight.max(1)).await;
        // A surge: the same refusal for submissions of different services. That is the server
        // or the kiosk (a key, a jurisdiction, a broken deployment), not the residents: hold
        // them all, and say so loudly.
        let mut refusals: HashMap<&str, (usize, BTreeSet<&str>)> = HashMap::new();
        for (id, _, outcome) in &results {
            if let PostOutcome::Rejected(reason) = outcome {
                let entry = refusals.entry(reason.as_str()).or_default();
                entry.0 += 1;
                if let Some(service) = services.get(id) {
                    entry.1.insert(service.as_str());
                }
            }
        }
        let surges: Vec<(String, usize, usize)> = refusals
            .iter()
            .filter(|(_, (n, services))| *n >= SURGE_MIN && services.len() >= 2)
            .map(|(reason, (n, services))| (reason.to_string(), *n, services.len()))
            .collect();
        let (mut sent, mut rejected) = (0, 0);
        rejected += updates.len() as u64;
        for (id, attempts, outcome) in results {
            let update = match outcome {
                PostOutcome::Accepted(receipt) => {
                    observed.link(LinkState::Online);
                    sent += 1;
                    DeliveryUpdate::Accepted {
                        remote_id: receipt.remote_id,
                        token: receipt.token,
                        notice: receipt.notice,
                        detail: "created".into(),
                        outcome: "accepted",
                    }
                }
                PostOutcome::Rejected(reason) => {
                    observed.link(LinkState::Online);
                    match surges.iter().find(|(r, _, _)| *r == reason) {
                        Some((_, n, services)) => {
                            let alert = format!(
                                "the server refused {n} submissions of {services} different services with the same reason ({reason}): \
                                 held as pending, none rejected; check the server and this kiosk's configuration"
                            );
                            observed.alert(alert.clone());
                            observed.error(alert);
                            self.retry(
                                attempts,
                                "held: one of many identical refusals (see sync.alert)".into(),
                                false,
                            )
                        }
                        None => {
                            rejected += 1;
                            DeliveryUpdate::Rejected {
                                reason,
                                from_server: true,
                            }
                        }
                    }
                }
                PostOutcome::NotProcessed { detail, link } => {
                    observed.link(link);
                    if detail.contains("API key refused") {
                        observed.alert(format!(
                            "{detail}: the server refuses this kiosk's key (central.api_key_file); nothing is sent until it is fixed"
                        ));
                    }
                    observed.error(detail.clone());
                    self.retry(attempts, detail, false)
                }
                PostOutcome::Unknown { detail, link } => {
                    observed.link(link);
                    observed.error(detail.clone());
                    self.unknown_retry(attempts, detail)
                }
            };
            tracing::debug!(submission = id, outcome = update.outcome_name(), "delivery");
            updates.push((id, update));
        }
        let owner = self.mark.owner.clone();
        self.store.record_outcomes(&owner, &updates)?;
        Ok((count, sent, rejected))
    }

    /// An unknown outcome: looked up after the backoff, and never before the server has had
    /// `settle` to store what it received.
    pub(super) fn unknown_retry(&self, attempts: i64, error: String) -> DeliveryUpdate {
        let delay = backoff(attempts, self.tuning.backoff_base, self.tuning.backoff_cap)
            .max(self.tuning.settle);
        DeliveryUpdate::Retry {
            next_attempt_at: delivery_timestamp(OffsetDateTime::now_utc() + delay),
            error,
            outcome_unknown: true,
        }
    }

    /// A retry after the backoff for the `attempts`-th attempt.
    pub(super) fn retry(
        &self,
        attempts: i64,
        error: String,
        outcome_unknown: bool,
    ) -> DeliveryUpdate {
        let delay = backoff(attempts, self.tuning.backoff_base, self.tuning.backoff_cap);
        DeliveryUpdate::Retry {
            next_attempt_at: delivery_timestamp(OffsetDateTime::now_utc() + delay),
            error,
            outcome_unknown,
        }
    }
}

/// The current time as a delivery timestamp.
pub(super) fn now_ts() -> String {
    delivery_timestamp(OffsetDateTime::now_utc())
}

/// Sends every body, at most `limit` at once. A task that panics leaves its submission marked
/// `outcome_unknown`, to be reconciled: never lost, never blindly resent.
async fn send_all(
    client: &Open311Client,
    jobs: Vec<(i64, i64, String)>,
    limit: usize,
) -> Vec<(i64, i64, PostOutcome)> {
    let permits = Arc::new(Semaphore::new(limit));
    let mut set = JoinSet::new();
    let mut results = Vec::with_capacity(jobs.len());
    for (id, attempts, body) in jobs {
        // Waiting for a permit here (not inside the task) keeps at most `limit` tasks alive.
        let Ok(permit) = permits.clone().acquire_owned().await else {
            break;
        };
        let client = client.clone();
        set.spawn(async move {
            let outcome = classify_post(client.post_request(body).await);
            drop(permit);
            (id, attempts, outcome)
        });
        while let Some(done) = set.try_join_next() {
            if let Ok(r) = done {
                results.push(r);
            }
        }
    }
    while let Some(done) = set.join_next().await {
        match done {
            Ok(r) => results.push(r),
            Err(e) => tracing::error!("a delivery task failed: {e}"),
        }
    }
    results
}
