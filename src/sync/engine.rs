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

use super::classify::{GetOutcome, PostOutcome, backoff, classify_get, classify_post};
use super::client::{ClientError, MAX_LIST_BYTES, Open311Client, Timeouts};
use super::connectivity::{Connectivity, LinkState};
use super::wire::{PostContext, encode_post};
use super::{pull, reconcile};
use crate::config::Config;
use crate::queue::{DeliveryUpdate, Payload, delivery_timestamp};
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
    /// How long a claimed submission is left alone by other processes; longer than any request.
    pub lease: Duration,
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
            lease: timeouts.connect + timeouts.request + Duration::from_secs(60),
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
    }
}

/// Accumulates what a round observed about the link.
#[derive(Debug, Default)]
pub(super) struct Observed {
    online: bool,
    offline: bool,
    captive: bool,
    first_error: Option<String>,
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
}

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
        Ok(SyncEngine {
            store,
            client,
            tuning,
            device_code: config.device.code.clone(),
            last_catalog: None,
            last_status: None,
        })
    }

    /// The queue.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Whether a central system is configured.
    pub fn has_central(&self) -> bool {
        self.client.is_some()
    }

    /// One round. `force_pull` refreshes the catalogue and statuses even if not yet due.
    pub async fn round(&mut self, force_pull: bool) -> Result<RoundReport, StoreError> {
        let mut report = RoundReport::default();
        let Some(client) = self.client.clone() else {
            Connectivity::save_round(&self.store, false, LinkState::Offline, None)?;
            report.pending = self.store.count(State::Pending)?;
            return Ok(report);
        };
        let mut observed = Observed::default();
        let probe = classify_get(client.get("services.json", &[], MAX_LIST_BYTES).await);
        let services_doc = match probe {
            GetOutcome::Document(doc) => {
                observed.link(LinkState::Online);
                Some(doc)
            }
            GetOutcome::Unavailable { detail, link } => {
                // Nothing is sent into a captive portal or a dead link.
                observed.link(link);
                observed.error(format!("services.json: {detail}"));
                None
            }
            GetOutcome::Refused { detail, .. } => {
                observed.link(LinkState::Online);
                observed.error(format!("services.json: {detail}"));
                None
            }
        };
        if !observed.unreachable() {
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
        if !observed.unreachable() {
            let catalog_due = self
                .last_catalog
                .is_none_or(|t| t.elapsed() >= self.tuning.catalog_interval);
            if let Some(doc) = &services_doc
                && (force_pull || catalog_due)
            {
                self.last_catalog = Some(Instant::now());
                report.catalog_updated =
                    pull::refresh_catalog(self, &client, doc, &mut observed).await?;
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
        Connectivity::save_round(&self.store, true, report.link, report.error.as_deref())?;
        report.pending = self.store.count(State::Pending)?;
        report.more_due = !observed.unreachable() && self.store.has_due(&now_ts())?;
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
        let updated = pull::refresh_catalog(self, &client, &doc, &mut observed)
            .await
            .map_err(|e| e.to_string())?;
        match observed.first_error {
            Some(e) => Err(format!("{e}; the cached catalogue is kept")),
            None => {
                self.last_catalog = Some(Instant::now());
                Ok(updated)
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
        let now = OffsetDateTime::now_utc();
        let claimed = self.store.claim_due(
            &delivery_timestamp(now),
            &delivery_timestamp(now + self.tuning.lease),
            self.tuning.batch_size.max(1),
        )?;
        let count = claimed.len();
        if count == 0 {
            return Ok((0, 0, 0));
        }
        let mut updates = Vec::with_capacity(count);
        let mut jobs = Vec::with_capacity(count);
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
                    },
                ));
                continue;
            }
            match Store::decode_payload(&item.reference, &item.payload) {
                Ok(form) => {
                    let body = encode_post(&form, &item.reference, ctx);
                    jobs.push((item.id, item.attempts, body));
                }
                Err(e) => updates.push((
                    item.id,
                    DeliveryUpdate::Rejected {
                        reason: format!("cannot be sent: {e}"),
                    },
                )),
            }
        }
        let results = send_all(client, jobs, self.tuning.max_in_flight.max(1)).await;
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
                    rejected += 1;
                    DeliveryUpdate::Rejected { reason }
                }
                PostOutcome::NotProcessed { detail, link } => {
                    observed.link(link);
                    observed.error(detail.clone());
                    self.retry(attempts, detail, false)
                }
                PostOutcome::Unknown { detail, link } => {
                    observed.link(link);
                    observed.error(detail.clone());
                    self.retry(attempts, detail, true)
                }
            };
            tracing::debug!(submission = id, outcome = update.outcome_name(), "delivery");
            updates.push((id, update));
        }
        self.store.record_outcomes(&updates)?;
        Ok((count, sent, rejected))
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
