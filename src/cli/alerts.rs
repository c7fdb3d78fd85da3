//! The summary `guichet status` gives without Grafana: which of the alerting rules shipped in
//! `kiosk-image/prometheus/guichet-alerts.yml` this kiosk would raise now, each with its name,
//! severity and one line saying what to do.
//!
//! Why evaluated here and not read from Prometheus: a technician on site has the kiosk, not the
//! council's monitoring. The conditions are the rules' own expressions over the same facts
//! (`runtime::metrics::Snapshot`); what only the running kiosk knows (its last rendered frame) is
//! read back from the textfile it writes, and the textfile's age stands for node_exporter's
//! `node_textfile_mtime_seconds`. The rules' `for:` durations are not applied: this is what the
//! kiosk looks like now. Keep the thresholds in step with the rules file (a test checks both
//! against the same causes).

use std::path::Path;

use serde::Serialize;

use crate::runtime::metrics::Snapshot;

/// One alert that would fire.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Alert {
    /// The rule's name in `guichet-alerts.yml`.
    pub alert: &'static str,
    /// `critical`, `warning` or `info`, as the rule labels it.
    pub severity: &'static str,
    /// What is wrong and what to do, in one line.
    pub summary: String,
}

/// What the kiosk's own textfile says of the running kiosk.
#[derive(Debug, Clone, Copy, Default)]
pub struct KioskFile {
    /// `guichet_last_frame_timestamp_seconds` (None: not in the file).
    pub last_frame: Option<i64>,
    /// When the file was last written (Unix seconds).
    pub written: Option<i64>,
}

impl KioskFile {
    /// Reads `path` (the kiosk's `fleet.textfile`); a missing or unreadable file gives nothing.
    pub fn read(path: &Path) -> KioskFile {
        let written = std::fs::metadata(path)
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map(|d| d.as_secs() as i64);
        let last_frame = crate::fsutil::read_bounded(path, 1 << 20)
            .ok()
            .and_then(|bytes| String::from_utf8(bytes).ok())
            .and_then(|text| {
                text.lines().find_map(|line| {
                    line.strip_prefix("guichet_last_frame_timestamp_seconds ")
                        .and_then(|v| v.trim().parse::<i64>().ok())
                })
            });
        KioskFile {
            last_frame,
            written,
        }
    }
}

/// The alerts the shipped rules would raise for `s` (read at `s.at`), most severe first.
pub fn evaluate(s: &Snapshot, kiosk: KioskFile) -> Vec<Alert> {
    let now = s.at;
    let mut out = Vec::new();
    let mut raise = |alert, severity, summary: String| {
        out.push(Alert {
            alert,
            severity,
            summary,
        })
    };
    let paper_out_sensor = s.ops.printer.as_ref().is_some_and(|p| p.paper == "out");
    if s.printer_problem.as_deref() == Some("paper_out") || paper_out_sensor {
        raise(
            "GuichetPaperOut",
            "warning",
            "the receipt printer is out of paper: load a new roll".into(),
        );
    }
    if s.ops
        .printer
        .as_ref()
        .is_some_and(|p| p.paper == "near_end")
    {
        raise(
            "GuichetPaperNearEnd",
            "info",
            "the receipt printer's paper is nearly out: bring a new roll".into(),
        );
    }
    if let Some(problem) = s.printer_problem.as_deref().filter(|p| *p != "paper_out") {
        raise(
            "GuichetPrinterProblem",
            "warning",
            format!("receipts are not printing ({problem}): run `guichet printer status`"),
        );
    }
    if s.central_configured && s.pending > 0 && now - s.last_success > 2 * 3600 {
        raise(
            "GuichetNoSyncWhilePending",
            "critical",
            format!(
                "{} submission(s) waiting and no successful sync for 2 hours: run `guichet doctor`",
                s.pending
            ),
        );
    }
    if let Some(frame) = kiosk.last_frame
        && now - frame > 300
    {
        raise(
            "GuichetScreenDead",
            "critical",
            "no frame rendered for 5 minutes: check the display and `systemctl status guichet-kiosk`".into(),
        );
    }
    if let Some(written) = kiosk.written
        && now - written > 600
    {
        raise(
            "GuichetKioskNotRunning",
            "critical",
            "the kiosk has not rewritten its metrics for 10 minutes: `systemctl status guichet-kiosk`".into(),
        );
    }
    if s.review > 0 {
        raise(
            "GuichetReviewWaiting",
            "warning",
            format!(
                "{} submission(s) wait for a staff decision: `guichet queue list --state review`",
                s.review
            ),
        );
    }
    if s.rejected > 0 {
        raise(
            "GuichetRejectedSubmissions",
            "info",
            format!(
                "{} submission(s) refused by the council: `guichet queue list --state rejected`",
                s.rejected
            ),
        );
    }
    if s.alert {
        raise(
            "GuichetSyncAlert",
            "critical",
            "sync raised an alert (a refused API key, a surge of refusals): run `guichet doctor`"
                .into(),
        );
    }
    if s.help_requested > 0 && now - s.help_requested < 600 {
        raise(
            "GuichetHelpRequested",
            "info",
            "a resident asked for help in the last 10 minutes".into(),
        );
    }
    if s.disk_free.is_some_and(|free| free < 500 * 1024 * 1024) {
        raise(
            "GuichetDiskLow",
            "warning",
            "less than 500 MiB free for the kiosk's data: a full disk stops saves".into(),
        );
    }
    if s.central_configured && now - s.catalog_checked > 2 * 86400 {
        raise(
            "GuichetCatalogNotChecked",
            "warning",
            "catalogue of services not checked for 2 days: run `guichet sync --once`".into(),
        );
    }
    let rank = |severity: &str| match severity {
        "critical" => 0,
        "warning" => 1,
        _ => 2,
    };
    out.sort_by_key(|a| rank(a.severity));
    out
}
