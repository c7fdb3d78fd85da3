//! Fleet metrics: what a council's Prometheus needs to know which kiosk wants a visit, in the
//! Prometheus text exposition format, written as a node_exporter textfile (`[fleet] textfile`)
//! and printed by `guichet metrics`.
//!
//! Why a textfile and not an HTTP endpoint: councils already run node_exporter on their machines,
//! and its textfile collector needs no open port on a kiosk in a public place. Why here, in
//! `runtime`: the facts come from several layers (the queue's counts, sync's connectivity keys,
//! the printer's recorded failures, the kiosk's own frames), and only `runtime` and `cli` may see
//! them all.
//!
//! Everything is read from the store (so `guichet metrics` in another process sees what the kiosk
//! sees), except what only the running kiosk knows: its last rendered frame and its start time,
//! which only the kiosk's own writer ([`spawn_refresher`]) adds.
//!
//! No personal data, ever: every label value is a fixed word of this file or the build's
//! version; no reference, service code, answer or server text is exported.
//!
//! Names follow Prometheus conventions: base units (seconds, bytes), `_timestamp_seconds` for
//! Unix times (0 when it never happened), `_info` for constant facts carried by labels.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::config::Config;
use crate::queue::{State, Store, StoreError, StoreLocation};
use crate::sync::{Connectivity, LinkState};

/// How often the kiosk rewrites the textfile when nothing else asked for it.
pub const REFRESH_INTERVAL: Duration = Duration::from_secs(60);

/// The printer problems a failed print job records (`FailureReason::code`), one-hot in
/// `guichet_printer_problem`.
const PRINTER_PROBLEMS: &[&str] = &[
    "not_connected",
    "offline",
    "paper_out",
    "cover_open",
    "error",
];

/// Link states, one-hot in `guichet_sync_link`.
const LINKS: &[LinkState] = &[
    LinkState::Online,
    LinkState::Offline,
    LinkState::CaptivePortal,
];

/// Unix seconds of the last frame the kiosk rendered (0: none in this process).
static LAST_FRAME_UNIX: AtomicI64 = AtomicI64::new(0);

/// Called after every rendered frame (by `runtime::surface`): cheap, one atomic store.
pub fn frame_rendered() {
    LAST_FRAME_UNIX.store(
        OffsetDateTime::now_utc().unix_timestamp(),
        Ordering::Relaxed,
    );
}

/// What only the running kiosk knows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct KioskFacts {
    /// Unix seconds of the last rendered frame (0: none yet).
    pub last_frame: i64,
    /// Unix seconds the kiosk process started.
    pub started: i64,
}

impl KioskFacts {
    /// This process's facts.
    pub fn current() -> KioskFacts {
        let now = OffsetDateTime::now_utc();
        let started = now - crate::clock::since_process_start();
        KioskFacts {
            last_frame: LAST_FRAME_UNIX.load(Ordering::Relaxed),
            started: started.unix_timestamp(),
        }
    }
}

/// Everything exported, read at one moment. Counts and timestamps only.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize)]
pub struct Snapshot {
    /// Unix seconds when it was read.
    pub at: i64,
    /// `central.kind = "open311"`.
    pub central_configured: bool,
    /// What the last round found.
    pub link: LinkState,
    /// Unix seconds of the last round that reached the council (0: never).
    pub last_success: i64,
    /// Unix seconds of the last round (0: never).
    pub last_round: i64,
    /// The last round reached the council without a problem.
    pub last_round_ok: bool,
    /// Something staff must act on (`sync.alert`).
    pub alert: bool,
    /// Submissions waiting to be sent.
    pub pending: u64,
    /// Submissions whose delivery staff must decide.
    pub review: u64,
    /// Submissions the council refused.
    pub rejected: u64,
    /// Age in seconds of the oldest pending submission (0: none).
    pub oldest_pending_age: i64,
    /// Receipts waiting to print.
    pub print_queue: u64,
    /// `printer.port` is not `none`.
    pub printer_configured: bool,
    /// The problem the newest waiting receipt met (a `FailureReason::code`), if any.
    pub printer_problem: Option<String>,
    /// Unix seconds of the last "ask for help" (0: never).
    pub help_requested: i64,
    /// Free bytes on the data dir's filesystem (`None`: could not be read).
    pub disk_free: Option<u64>,
    /// Unix seconds the cached catalogue was stored (0: none cached). It is stored only when it
    /// changed, so this is the age of the council's last change, not of the last check.
    pub catalog_updated: i64,
    /// Unix seconds sync last checked the catalogue against the server (0: never).
    pub catalog_checked: i64,
    /// Services the cached catalogue serves, and those it left out (`None`: none cached).
    pub catalog_services: Option<(u64, u64)>,
    /// Only when written by the kiosk itself.
    pub kiosk: Option<KioskFacts>,
    /// The printer's sensors, starts and restarts, last interaction (`ops_metrics`).
    pub ops: super::ops_metrics::OpsFacts,
    /// Help requests and resident sessions (assisted mode's numbers).
    pub assisted: AssistedFacts,
}

/// Help requests and resident sessions, counted from the store (no personal data).
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
pub struct AssistedFacts {
    /// Help requests staff have not marked done.
    pub help_open: u64,
    /// Help requests ever.
    pub help_total: u64,
    /// Help requests whose notification reached staff.
    pub help_delivered: u64,
    /// Help requests staff marked done.
    pub help_answered: u64,
    /// Resident sessions by outcome (`completed`, `abandoned`, `timed_out`; practice left out).
    pub sessions: Vec<(String, u64)>,
}

impl AssistedFacts {
    /// Reads the counts.
    pub fn gather(store: &Store) -> Result<AssistedFacts, StoreError> {
        let help = store.help_counts()?;
        Ok(AssistedFacts {
            help_open: help.open,
            help_total: help.total,
            help_delivered: help.delivered,
            help_answered: help.answered,
            sessions: store
                .session_counts()?
                .iter()
                .map(|(o, n)| (o.as_str().to_string(), *n))
                .collect(),
        })
    }

    /// Their exposition: help requests open (gauge), asked / told / answered and sessions by
    /// outcome (counters).
    fn render(&self, text: &mut String) {
        use std::fmt::Write as _;
        let mut metric = |name: &str, kind: &str, help: &str, samples: &[(String, u64)]| {
            let _ = writeln!(text, "# HELP {name} {help}");
            let _ = writeln!(text, "# TYPE {name} {kind}");
            for (labels, value) in samples {
                if labels.is_empty() {
                    let _ = writeln!(text, "{name} {value}");
                } else {
                    let _ = writeln!(text, "{name}{{{labels}}} {value}");
                }
            }
        };
        let one = |v: u64| [(String::new(), v)];
        metric(
            "guichet_help_requests_open",
            "gauge",
            "Help requests from residents that staff have not marked done.",
            &one(self.help_open),
        );
        metric(
            "guichet_help_requests_total",
            "counter",
            "Help requests from residents (\"Ask for help\").",
            &one(self.help_total),
        );
        metric(
            "guichet_help_requests_delivered_total",
            "counter",
            "Help requests whose notification reached staff at help.notify_url.",
            &one(self.help_delivered),
        );
        metric(
            "guichet_help_requests_answered_total",
            "counter",
            "Help requests staff marked done.",
            &one(self.help_answered),
        );
        metric(
            "guichet_sessions_total",
            "counter",
            "Resident sessions by how they ended (completed: a submission was saved; abandoned; timed_out), practice left out.",
            &self
                .sessions
                .iter()
                .map(|(o, n)| (format!("outcome=\"{o}\""), *n))
                .collect::<Vec<_>>(),
        );
    }
}

fn unix(rfc3339: Option<&str>) -> i64 {
    rfc3339
        .and_then(|s| OffsetDateTime::parse(s, &Rfc3339).ok())
        .map_or(0, OffsetDateTime::unix_timestamp)
}

impl Snapshot {
    /// Reads the store (and the data dir's free space) now.
    pub fn gather(config: &Config, store: &Store, data_dir: &Path) -> Result<Snapshot, StoreError> {
        let now = OffsetDateTime::now_utc().unix_timestamp();
        let connectivity = Connectivity::load(store)?;
        let oldest_pending = store
            .list(Some(State::Pending))?
            .iter()
            .map(|s| unix(Some(&s.created_at)))
            .filter(|&t| t > 0)
            .min();
        let jobs = store.pending_print_jobs()?;
        // The newest waiting receipt's recorded failure: `code: description`.
        let printer_problem = jobs
            .iter()
            .rev()
            .find_map(|j| j.last_error.as_deref())
            .and_then(|e| e.split(':').next())
            .filter(|code| PRINTER_PROBLEMS.contains(code))
            .map(str::to_string);
        let help = store.state_value(super::HELP_REQUESTED_KEY)?;
        let catalog = store.catalog_info()?;
        // An unreadable cached catalogue is `doctor`'s to report: the counts are just absent.
        let catalog_services = store
            .catalog_for(crate::queue::CATALOG_DEFAULT_LOCALE)
            .ok()
            .flatten()
            .map(|c| (c.services.len() as u64, c.left_out.len() as u64));
        Ok(Snapshot {
            at: now,
            central_configured: config.has_central(),
            link: connectivity.link,
            last_success: unix(connectivity.last_success_at.as_deref()),
            last_round: unix(connectivity.last_checked_at.as_deref()),
            last_round_ok: connectivity.link == LinkState::Online
                && connectivity.last_error.is_none(),
            alert: connectivity.alert.is_some(),
            pending: connectivity.pending,
            review: connectivity.review,
            rejected: connectivity.rejected,
            oldest_pending_age: oldest_pending.map_or(0, |t| (now - t).max(0)),
            print_queue: jobs.len() as u64,
            printer_configured: config.printer.port != "none",
            printer_problem,
            help_requested: unix(help.as_deref()),
            disk_free: crate::fsutil::free_bytes(data_dir).ok(),
            catalog_updated: unix(catalog.as_ref().map(|(_, at)| at.as_str())),
            catalog_services,
            catalog_checked: unix(
                store
                    .state_value(crate::sync::connectivity::keys::CATALOG_CHECKED_AT)?
                    .as_deref(),
            ),
            kiosk: None,
            ops: super::ops_metrics::OpsFacts::gather(store)?,
            assisted: AssistedFacts::gather(store)?,
        })
    }

    /// The Prometheus text exposition (format 0.0.4).
    pub fn render(&self) -> String {
        let mut out = Exposition::default();
        let b = |v: bool| if v { 1 } else { 0 };
        out.gauge(
            "guichet_build_info",
            "The running version of Guichet (always 1).",
            &[(format!("version=\"{}\"", env!("CARGO_PKG_VERSION")), 1)],
        );
        out.one(
            "guichet_central_configured",
            "1 when a central Open311 system is configured, 0 for an offline-only kiosk.",
            b(self.central_configured),
        );
        out.gauge(
            "guichet_sync_link",
            "What the last sync round found of the link to the council (one-hot).",
            &LINKS
                .iter()
                .map(|l| (format!("link=\"{}\"", l.as_str()), b(*l == self.link)))
                .collect::<Vec<_>>(),
        );
        out.one(
            "guichet_sync_last_success_timestamp_seconds",
            "Unix time of the last sync round that reached the council's server (0: never).",
            self.last_success,
        );
        out.one(
            "guichet_sync_last_round_timestamp_seconds",
            "Unix time of the last sync round, successful or not (0: never).",
            self.last_round,
        );
        out.one(
            "guichet_sync_last_round_success",
            "1 when the last sync round reached the council's server without a problem.",
            b(self.last_round_ok),
        );
        out.one(
            "guichet_sync_alert",
            "1 when sync raised something staff must act on (a refused API key, a surge of refusals).",
            b(self.alert),
        );
        out.gauge(
            "guichet_submissions",
            "Submissions not accepted by the council, by state (pending: waiting to be sent; review: staff must decide; rejected: refused).",
            &[
                ("state=\"pending\"".to_string(), self.pending as i64),
                ("state=\"review\"".to_string(), self.review as i64),
                ("state=\"rejected\"".to_string(), self.rejected as i64),
            ],
        );
        out.one(
            "guichet_oldest_pending_age_seconds",
            "Age of the oldest submission waiting to be sent (0: none).",
            self.oldest_pending_age,
        );
        out.one(
            "guichet_print_queue_jobs",
            "Receipts waiting to print.",
            self.print_queue as i64,
        );
        out.one(
            "guichet_printer_configured",
            "1 when a receipt printer is configured.",
            b(self.printer_configured),
        );
        out.gauge(
            "guichet_printer_problem",
            "The problem the newest waiting receipt met (one-hot; all 0 when no waiting receipt failed).",
            &PRINTER_PROBLEMS
                .iter()
                .map(|p| {
                    (
                        format!("problem=\"{p}\""),
                        b(self.printer_problem.as_deref() == Some(*p)),
                    )
                })
                .collect::<Vec<_>>(),
        );
        out.one(
            "guichet_help_requested_timestamp_seconds",
            "Unix time a resident last asked for help on the touchscreen (0: never).",
            self.help_requested,
        );
        if let Some(free) = self.disk_free {
            out.one(
                "guichet_disk_free_bytes",
                "Free bytes on the filesystem holding the kiosk's data.",
                free.min(i64::MAX as u64) as i64,
            );
        }
        out.one(
            "guichet_catalog_updated_timestamp_seconds",
            "Unix time the cached catalogue of services was stored (0: none cached).",
            self.catalog_updated,
        );
        if let Some((served, left_out)) = self.catalog_services {
            out.gauge(
                "guichet_catalog_services",
                "Services in the cached catalogue: served, or left out because they cannot be served (see `guichet catalog show`).",
                &[
                    ("state=\"served\"".to_string(), served as i64),
                    ("state=\"left_out\"".to_string(), left_out as i64),
                ],
            );
        }
        out.one(
            "guichet_catalog_checked_timestamp_seconds",
            "Unix time sync last checked the catalogue against the council's server (0: never).",
            self.catalog_checked,
        );
        if let Some(kiosk) = self.kiosk {
            out.one(
                "guichet_last_frame_timestamp_seconds",
                "Unix time the touchscreen last rendered a frame (0: none yet).",
                kiosk.last_frame,
            );
            out.one(
                "guichet_kiosk_start_time_seconds",
                "Unix time the kiosk process started (a change means a restart; not process_start_time_seconds, which node_exporter has for itself).",
                kiosk.started,
            );
        }
        self.ops.render(&mut out, self.kiosk.is_some());
        self.assisted.render(&mut out.text);
        out.one(
            "guichet_metrics_timestamp_seconds",
            "Unix time these metrics were read.",
            self.at,
        );
        out.text
    }
}

#[derive(Default)]
pub(super) struct Exposition {
    text: String,
}

impl Exposition {
    pub(super) fn gauge(&mut self, name: &str, help: &str, samples: &[(String, i64)]) {
        self.family(name, help, "gauge", samples);
    }

    pub(super) fn counter(&mut self, name: &str, help: &str, value: i64) {
        self.family(name, help, "counter", &[(String::new(), value)]);
    }

    fn family(&mut self, name: &str, help: &str, kind: &str, samples: &[(String, i64)]) {
        use std::fmt::Write as _;
        let _ = writeln!(self.text, "# HELP {name} {help}");
        let _ = writeln!(self.text, "# TYPE {name} {kind}");
        for (labels, value) in samples {
            if labels.is_empty() {
                let _ = writeln!(self.text, "{name} {value}");
            } else {
                let _ = writeln!(self.text, "{name}{{{labels}}} {value}");
            }
        }
    }

    pub(super) fn one(&mut self, name: &str, help: &str, value: i64) {
        self.gauge(name, help, &[(String::new(), value)]);
    }
}

/// The heartbeat document (`sync::heartbeat` signs and sends it): the same facts as the
/// metrics, with the device code, the version and when it was made. Nothing personal.
pub fn heartbeat_document(config: &Config, snapshot: &Snapshot) -> Vec<u8> {
    serde_json::to_vec(&serde_json::json!({
        "device": config.device.code,
        "version": env!("CARGO_PKG_VERSION"),
        "sent_at": OffsetDateTime::now_utc().unix_timestamp(),
        "status": snapshot,
    }))
    .unwrap_or_default()
}

/// Why the metrics could not be written.
#[derive(Debug, thiserror::Error)]
pub enum MetricsError {
    /// The store could not be read.
    #[error("{0}")]
    Store(#[from] StoreError),
    /// The file could not be written.
    #[error(
        "cannot write metrics to {path}: {source} (is node_exporter's textfile directory there? set fleet.textfile)"
    )]
    Write {
        /// The target file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

/// Writes `text` to `path` atomically: a temporary file in the same directory (named so that
/// node_exporter, which reads only `*.prom`, never sees it half-written), synced, then renamed
/// over `path`. Readable by all (node_exporter runs as its own user): it holds no personal data.
pub fn write_atomically(path: &Path, text: &str) -> Result<(), MetricsError> {
    let err = |source| MetricsError::Write {
        path: path.to_path_buf(),
        source,
    };
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path.file_name().ok_or_else(|| {
        err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "not a file name",
        ))
    })?;
    let temp = dir.join(format!(
        ".{}.{}.tmp",
        name.to_string_lossy(),
        std::process::id()
    ));
    let result = (|| {
        use std::os::unix::fs::OpenOptionsExt;
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o644)
            .open(&temp)?;
        // Explicitly, not through `mode`: the kiosk's unit runs with `UMask=0077`.
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(0o644))?;
        file.write_all(text.as_bytes())?;
        file.sync_all()?;
        std::fs::rename(&temp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result.map_err(err)
}

/// Reads the snapshot for `config` from an open store.
pub fn gather(config: &Config, store: &Store) -> Result<Snapshot, StoreError> {
    Snapshot::gather(config, store, &store.location().data_dir)
}

/// The kiosk's textfile writer: rewrites `fleet.textfile` every [`REFRESH_INTERVAL`] and when
/// woken (after each sync round). Dropping it stops and joins the thread.
pub struct Refresher {
    shared: Arc<(Mutex<Wake>, Condvar)>,
    thread: Option<JoinHandle<()>>,
}

#[derive(Default)]
struct Wake {
    now: bool,
    stop: bool,
}

/// A handle that asks the [`Refresher`] for a rewrite now (cheap to clone, `Send`).
#[derive(Clone)]
pub struct RefreshNow(Arc<(Mutex<Wake>, Condvar)>);

impl RefreshNow {
    /// Rewrite the textfile now.
    pub fn refresh(&self) {
        let (lock, cvar) = &*self.0;
        if let Ok(mut wake) = lock.lock() {
            wake.now = true;
            cvar.notify_one();
        }
    }
}

impl Refresher {
    /// A handle for [`RefreshNow::refresh`].
    pub fn handle(&self) -> RefreshNow {
        RefreshNow(Arc::clone(&self.shared))
    }
}

impl Drop for Refresher {
    fn drop(&mut self) {
        let (lock, cvar) = &*self.shared;
        if let Ok(mut wake) = lock.lock() {
            wake.stop = true;
            cvar.notify_one();
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Starts the kiosk's textfile writer. A failure is logged once (then again only after a
/// success), never fatal: monitoring must not stop a kiosk serving residents.
pub fn spawn_refresher(config: Arc<Config>, location: StoreLocation) -> Refresher {
    let shared: Arc<(Mutex<Wake>, Condvar)> = Arc::default();
    let theirs = Arc::clone(&shared);
    let thread = std::thread::Builder::new()
        .name("guichet-metrics".into())
        .spawn(move || {
            let mut store = None;
            let mut failing = false;
            // The heartbeat (when `fleet.heartbeat_url` is set), pushed from this thread: never
            // in the way of a save or a delivery.
            let mut heartbeat =
                crate::sync::heartbeat::HeartbeatSender::new(&config, &location.data_dir)
                    .map_err(|e| tracing::warn!("{e}"))
                    .ok()
                    .flatten()
                    .and_then(|sender| {
                        tokio::runtime::Builder::new_current_thread()
                            .enable_all()
                            .build()
                            .map_err(|e| tracing::warn!("heartbeat: {e}"))
                            .ok()
                            .map(|rt| (sender, rt))
                    });
            let mut heartbeat_failing = false;
            // The newest frame recorded in the database for `guichet health` (an update on
            // trial is marked good only once frames render), and this boot's id.
            let mut recorded_frame = 0i64;
            let boot_id = crate::queue::current_boot_id();
            // Pushed after each sync round (a wake) and at the regular refresh, not with the
            // quick refreshes that wait for the first frame.
            let mut push_due = true;
            let mut last_push: Option<std::time::Instant> = None;
            // Whether the textfile written last shows a rendered frame.
            let mut wrote_frame = false;
            loop {
                if store.is_none() {
                    store = Store::open_at(&location)
                        .map_err(|e| tracing::warn!("metrics: {e}"))
                        .ok();
                }
                if let Some(store) = &store {
                    // Read once: the database and the textfile of one round show the same frame
                    // (a frame read again for the textfile could be one the database missed).
                    let facts = KioskFacts::current();
                    let frame = facts.last_frame;
                    if frame > recorded_frame
                        && let Ok(at) = OffsetDateTime::from_unix_timestamp(frame)
                    {
                        match store.record_frame(&boot_id, &crate::clock::rfc3339(at)) {
                            Ok(()) => recorded_frame = frame,
                            Err(e) => {
                                tracing::warn!("frame not recorded for the health check: {e}")
                            }
                        }
                    }
                    let snapshot = gather(&config, store).map(|mut snapshot| {
                        snapshot.kiosk = Some(facts);
                        snapshot
                    });
                    wrote_frame = snapshot
                        .as_ref()
                        .is_ok_and(|s| s.kiosk.as_ref().is_some_and(|k| k.last_frame > 0));
                    // The textfile first: a slow heartbeat must not delay it.
                    let written = match &snapshot {
                        Ok(snapshot) => {
                            write_atomically(&config.fleet.textfile, &snapshot.render())
                                .map_err(|e| e.to_string())
                        }
                        Err(e) => Err(format!("metrics: {e}")),
                    };
                    match written {
                        Ok(()) => failing = false,
                        Err(e) if !failing => {
                            failing = true;
                            tracing::warn!("{e}");
                        }
                        Err(_) => {}
                    }
                    let due =
                        push_due || last_push.is_none_or(|at| at.elapsed() >= REFRESH_INTERVAL);
                    if let (Ok(snapshot), Some((sender, rt))) = (&snapshot, &mut heartbeat) {
                        // Kept first (durable), then everything waiting is sent, oldest first,
                        // unless a retry after a failure is not due yet.
                        let kept = if due {
                            last_push = Some(std::time::Instant::now());
                            sender.keep(&heartbeat_document(&config, snapshot))
                        } else {
                            Ok(())
                        };
                        let result = kept.and_then(|()| rt.block_on(sender.deliver()));
                        match result {
                            Ok(_) => heartbeat_failing = false,
                            Err(e) if !heartbeat_failing => {
                                heartbeat_failing = true;
                                tracing::warn!("{e}");
                            }
                            Err(_) => {}
                        }
                    }
                }
                // Until both the textfile and the database (`guichet health`) show the first
                // frame (in the first minute), look again every second, so that they show the
                // screen alive from the start. (Asked of what was written and recorded, not of
                // the frame counter now: a frame that came while this round wrote must not wait
                // a whole minute to be shown, nor a failed record a minute to be retried.)
                let frame_shown = wrote_frame && recorded_frame > 0;
                let wait = if !frame_shown && crate::clock::since_process_start() < REFRESH_INTERVAL
                {
                    Duration::from_secs(1)
                } else {
                    REFRESH_INTERVAL
                };
                // A heartbeat retry due sooner wakes the thread for it.
                let wait = heartbeat
                    .as_ref()
                    .and_then(|(sender, _)| sender.retry_in())
                    .map_or(wait, |retry| wait.min(retry));
                let (lock, cvar) = &*theirs;
                let Ok(guard) = lock.lock() else { return };
                let Ok((mut wake, _)) = cvar.wait_timeout_while(guard, wait, |w| !w.now && !w.stop)
                else {
                    return;
                };
                if wake.stop {
                    return;
                }
                push_due = wake.now;
                wake.now = false;
            }
        });
    Refresher {
        shared,
        thread: thread
            .map_err(|e| tracing::warn!("metrics: cannot start the writer: {e}"))
            .ok(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_snapshot_renders_every_metric_once_with_help_and_type() {
        let snapshot = Snapshot {
            at: 1_700_000_000,
            link: LinkState::CaptivePortal,
            pending: 3,
            printer_problem: Some("paper_out".into()),
            disk_free: Some(1024),
            kiosk: Some(KioskFacts {
                last_frame: 1_699_999_999,
                started: 1_699_990_000,
            }),
            ..Snapshot::default()
        };
        let text = snapshot.render();
        assert!(
            text.contains("guichet_submissions{state=\"pending\"} 3\n"),
            "{text}"
        );
        assert!(text.contains("guichet_sync_link{link=\"captive_portal\"} 1\n"));
        assert!(text.contains("guichet_sync_link{link=\"online\"} 0\n"));
        assert!(text.contains("guichet_printer_problem{problem=\"paper_out\"} 1\n"));
        assert!(text.contains("guichet_last_frame_timestamp_seconds 1699999999\n"));
        assert!(text.contains("guichet_disk_free_bytes 1024\n"));
        for line in text.lines().filter(|l| l.starts_with("# TYPE")) {
            let name = line.split(' ').nth(2).unwrap();
            assert_eq!(
                text.matches(&format!("# TYPE {name} ")).count(),
                1,
                "{name} declared once"
            );
        }
    }

    #[test]
    fn the_textfile_is_replaced_atomically_and_leaves_no_temporary_file() {
        let dir = crate::fsutil::test_dir("metrics");
        let path = dir.join("guichet.prom");
        write_atomically(&path, "a 1\n").unwrap();
        write_atomically(&path, "a 2\n").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "a 2\n");
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o644, "node_exporter runs as another user");
        let names: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["guichet.prom"]);
        let missing = dir.join("absent/guichet.prom");
        let err = write_atomically(&missing, "a 1\n").unwrap_err().to_string();
        assert!(err.contains("fleet.textfile"), "{err}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
