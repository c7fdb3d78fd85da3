//! `guichet status`: what a technician on site wants first, in one screen: which kiosk, is it
//! online, when did it last reach the council, what waits (pending, in review, rejected), the
//! printer, the disk, whether a resident asked for help, and whether the kiosk keeps restarting.
//! Read-only apart from asking the printer for its status; `doctor` is where causes are sought.

use serde::Serialize;

use super::{CliError, Context, print_json};
use crate::printer::PrinterStatus;
use crate::queue::{Starts, State};
use crate::sync::Connectivity;

/// The printer as `status` shows it.
#[derive(Debug, Serialize)]
struct PrinterView {
    /// `ready`, `none` (no printer), `file` (receipts written to files), or the failure's code
    /// (`not_connected`, `paper_out`, `cover_open`, `offline`, `error`).
    state: &'static str,
    /// The status as `guichet printer status --json` gives it (`null` without a serial printer).
    status: Option<PrinterStatus>,
}

/// A help request not yet marked done: when, and whether staff were told.
#[derive(Debug, Serialize)]
struct OpenHelp {
    id: i64,
    requested_at: String,
    /// `pending` (being retried), `delivered` or `unconfigured` (no `[help] notify_url`).
    notify: crate::queue::HelpNotify,
}

/// Everything `guichet status --json` prints.
#[derive(Debug, Serialize)]
struct Status {
    version: &'static str,
    device: String,
    site: String,
    /// `open311` or `none`.
    central: &'static str,
    /// The last sync round reached the council.
    online: bool,
    /// `online`, `offline`, `captive_portal`; `none` without a central system.
    link: &'static str,
    /// The last round that reached the council (RFC 3339).
    last_sync: Option<String>,
    /// The last round, successful or not.
    last_sync_attempt: Option<String>,
    /// The last round's problem, one line.
    last_error: Option<String>,
    /// Something staff must act on (a refused key, a surge of identical refusals).
    alert: Option<String>,
    pending: u64,
    /// Submissions whose delivery staff must decide (`guichet queue resolve`).
    review: u64,
    rejected: u64,
    printer: PrinterView,
    /// Free space in the data dir, MB.
    disk_free_mb: Option<u64>,
    /// When a resident last asked for help (RFC 3339).
    help_requested_at: Option<String>,
    /// Help requests staff have not marked done yet, oldest first.
    help_requests_open: Vec<OpenHelp>,
    /// Seconds since the machine booted.
    uptime_s: Option<u64>,
    /// When the kiosk last started.
    kiosk_started_at: Option<String>,
    /// Restarts of the kiosk since the machine booted.
    restarts: u64,
    /// Starts of the kiosk ever recorded on this data dir.
    starts_total: u64,
    /// The shipped alerting rules this kiosk would raise now (`cli/alerts.rs`).
    alerts: Vec<super::alerts::Alert>,
}

fn uptime_s() -> Option<u64> {
    let text = crate::fsutil::read_bounded(std::path::Path::new("/proc/uptime"), 128).ok()?;
    let text = String::from_utf8(text).ok()?;
    let seconds: f64 = text.split_whitespace().next()?.parse().ok()?;
    (seconds.is_finite() && seconds >= 0.0).then_some(seconds as u64)
}

fn printer_view(ctx: &Context) -> PrinterView {
    use crate::printer::transport::Destination;
    let Ok(mut printer) = crate::printer::Printer::new(
        std::sync::Arc::new(ctx.config.clone()),
        ctx.data_dir.clone(),
    ) else {
        return PrinterView {
            state: "error",
            status: None,
        };
    };
    let state = match printer.destination() {
        Destination::None => "none",
        Destination::Directory(_) => "file",
        Destination::Serial { .. } => "serial",
    };
    if state != "serial" {
        return PrinterView {
            state,
            status: None,
        };
    }
    let status = printer.status();
    PrinterView {
        state: status.problem().map_or("ready", |r| r.code()),
        status: Some(status),
    }
}

pub(super) fn run(ctx: &Context, json: bool) -> Result<(), CliError> {
    let store = ctx.open_store()?;
    let connectivity = Connectivity::load(&store)?;
    let starts: Starts = store.starts(&crate::queue::current_boot_id())?;
    let central = ctx.config.has_central();
    let status = Status {
        version: env!("CARGO_PKG_VERSION"),
        device: ctx.config.device.code.clone(),
        site: ctx.config.device.site.clone(),
        central: if central { "open311" } else { "none" },
        online: central && connectivity.link == crate::sync::LinkState::Online,
        link: if central {
            connectivity.link.as_str()
        } else {
            "none"
        },
        last_sync: connectivity.last_success_at,
        last_sync_attempt: connectivity.last_checked_at,
        last_error: connectivity.last_error,
        alert: connectivity.alert,
        pending: store.count(State::Pending)?,
        review: store.count(State::Review)?,
        rejected: store.count(State::Rejected)?,
        printer: printer_view(ctx),
        disk_free_mb: crate::fsutil::free_bytes(&ctx.data_dir)
            .ok()
            .map(|b| b / (1024 * 1024)),
        help_requested_at: store.state_value(crate::runtime::HELP_REQUESTED_KEY)?,
        help_requests_open: store
            .open_help_requests()?
            .into_iter()
            .map(|h| OpenHelp {
                id: h.id,
                requested_at: h.requested_at,
                notify: h.notify,
            })
            .collect(),
        uptime_s: uptime_s(),
        kiosk_started_at: starts.last_start_at.clone(),
        restarts: starts.this_boot.saturating_sub(1),
        starts_total: starts.total,
        alerts: super::alerts::evaluate(
            &crate::runtime::metrics::gather(&ctx.config, &store)?,
            super::alerts::KioskFile::read(&ctx.config.fleet.textfile),
        ),
    };
    if json {
        return print_json(&status);
    }
    let or_never = |v: &Option<String>| v.clone().unwrap_or_else(|| "never".into());
    println!(
        "guichet {} — device {} ({})",
        status.version, status.device, status.site
    );
    println!(
        "central   {} ({}), last sync {}{}",
        status.central,
        status.link,
        or_never(&status.last_sync),
        status
            .last_error
            .as_ref()
            .map(|e| format!(", last problem: {e}"))
            .unwrap_or_default()
    );
    println!(
        "queue     {} pending, {} in review, {} rejected",
        status.pending, status.review, status.rejected
    );
    println!("printer   {}", status.printer.state);
    println!(
        "disk      {} MB free",
        status
            .disk_free_mb
            .map_or_else(|| "?".into(), |m| m.to_string())
    );
    println!(
        "help      last asked {}; {} open request(s){}",
        or_never(&status.help_requested_at),
        status.help_requests_open.len(),
        match status.help_requests_open.first() {
            Some(h) => format!(", oldest {} (staff {})", h.requested_at, h.notify.as_str()),
            None => String::new(),
        }
    );
    println!(
        "uptime    {} s; kiosk started {}, {} restart(s) this boot",
        status
            .uptime_s
            .map_or_else(|| "?".into(), |s| s.to_string()),
        or_never(&status.kiosk_started_at),
        status.restarts
    );
    if status.alerts.is_empty() {
        println!("alerts    none");
    }
    for alert in &status.alerts {
        println!(
            "ALERT     {} ({}): {}",
            alert.alert, alert.severity, alert.summary
        );
    }
    Ok(())
}
