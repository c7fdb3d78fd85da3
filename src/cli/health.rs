//! `guichet health`: is this kiosk working, judged from what the running kiosk recorded on this
//! boot, and (with `--mark`) the A/B update decision RAUC needs: a new version boots once on
//! trial and is marked good only when it is healthy; otherwise it is marked bad and the machine
//! reboots into the old slot (kiosk-image/README.md, "Updates").
//!
//! Healthy means, on this boot: the kiosk started and has not restarted since (a crash or a
//! watchdog kill is a restart); it has rendered frames, recently (`READY=1` is sent with the
//! first one, `WATCHDOG=1` only after rendered frames: `runtime::watchdog`); it has run for the
//! trial period; and, with a central system, a sync round ran since it started, reached the
//! council when the link is up, and raised no alert. Offline is healthy: submissions queue
//! normally and the old version could not do better. The printer is not judged: paper runs out
//! on good versions too.
//!
//! Why read the database and not ask the kiosk: it is the kiosk's own record (start counter per
//! boot, frames per boot, sync's keys), opened read-only without the data key, so the check runs
//! as root beside the kiosk, and after a crash too.
//!
//! Which slot is on trial: RAUC's GRUB backend sets a slot's `_TRY` at every boot, and only
//! `rauc status mark-good` clears it, so every boot must be confirmed, and `boot_status` cannot
//! tell a new slot from an established one. RAUC's post-install handler
//! (`kiosk-image/rauc/post-install`) therefore writes the name of the slot it just installed to
//! the trial file on the persistent partition. A booted slot named there is on trial: marked good
//! once healthy (and the trial file removed), marked bad when not healthy within `--wait-s`
//! (then `--reboot`: the next boot is the old slot). Any other booted slot is established: it is
//! confirmed (`mark-good`) at once, whatever its health, so that a kiosk failing for another
//! reason (a missing configuration, a dead network) is never downgraded. A slot on trial with no
//! good slot to go back to is confirmed too: there is nowhere else to boot.

use std::time::Duration;

use serde::Serialize;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::rauc;
use super::{CliError, Context, print_json};
use crate::config::CentralKind;
use crate::queue::{StateSnapshot, start_keys};

/// `kiosk_state` keys written by sync (`sync::connectivity::keys`), read here as plain facts.
const LINK: &str = "sync.link";
const LAST_SUCCESS_AT: &str = "sync.last_success_at";
const LAST_CHECKED_AT: &str = "sync.last_checked_at";
const ALERT: &str = "sync.alert";

/// Where `kiosk-image/rauc/post-install` names the slot it installed (the persistent partition).
pub const DEFAULT_TRIAL_FILE: &str = "/var/lib/guichet-update/trial";

/// Frames are recorded about once a minute; older than this, the screen is not rendering.
const FRAME_STALE: Duration = Duration::from_secs(180);

/// Arguments of `guichet health`.
#[derive(Debug, clap::Args)]
pub struct HealthArgs {
    /// Decide the booted RAUC slot when it is on trial: mark it good once healthy, bad when it
    /// did not become healthy within --wait-s.
    #[arg(long)]
    pub mark: bool,
    /// Wait up to this many seconds for the kiosk to become healthy (0: judge once, now).
    #[arg(long, default_value_t = 0, value_name = "S")]
    pub wait_s: u64,
    /// How long the kiosk must have run on this boot without restarting.
    #[arg(long, default_value_t = 300, value_name = "S")]
    pub trial_s: u64,
    /// Seconds between two looks while waiting.
    #[arg(long, default_value_t = 10, value_name = "S")]
    pub interval_s: u64,
    /// After marking the slot bad, reboot (`systemctl reboot`) into the old one.
    #[arg(long)]
    pub reboot: bool,
    /// Where RAUC's post-install handler names the slot on trial.
    #[arg(long, value_name = "PATH", default_value = DEFAULT_TRIAL_FILE)]
    pub trial_file: std::path::PathBuf,
    /// One JSON document on stdout.
    #[arg(long)]
    pub json: bool,
}

/// One line of the judgement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check {
    /// `started`, `frames`, `trial`, `sync`.
    pub name: &'static str,
    /// `ok`, `waiting` (may still become ok on this boot) or `failed` (cannot, on this boot).
    pub state: CheckState,
    /// What was seen.
    pub detail: String,
}

/// How a check stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckState {
    /// Holds.
    Ok,
    /// Does not hold yet.
    Waiting,
    /// Cannot hold on this boot.
    Failed,
}

/// The verdict over all checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Every check holds.
    Healthy,
    /// Some check may still come to hold.
    Waiting,
    /// Some check cannot hold on this boot.
    Failed,
}

fn parse_time(value: Option<&str>) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(value?, &Rfc3339).ok()
}

/// Judges the kiosk from its recorded state on boot `boot_id` at `now`.
pub fn judge(
    state: Option<&StateSnapshot>,
    boot_id: &str,
    now: OffsetDateTime,
    central: bool,
    trial: Duration,
) -> (Vec<Check>, Verdict) {
    let mut checks = Vec::new();
    let mut check = |name, state, detail: String| {
        checks.push(Check {
            name,
            state,
            detail,
        })
    };
    let empty = StateSnapshot::default();
    let s = state.unwrap_or(&empty);
    let this_boot = |key: &str| s.get(key) == Some(boot_id);

    // Started once on this boot, and no restart since.
    let starts: u64 = if this_boot(start_keys::BOOT_ID) {
        s.get(start_keys::THIS_BOOT)
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    } else {
        0
    };
    let started_at = parse_time(s.get(start_keys::LAST_START_AT)).filter(|_| starts > 0);
    match starts {
        0 => check(
            "started",
            CheckState::Waiting,
            "the kiosk has not started on this boot".into(),
        ),
        1 => check(
            "started",
            CheckState::Ok,
            "started once on this boot".into(),
        ),
        n => check(
            "started",
            CheckState::Failed,
            format!("the kiosk restarted {} times on this boot", n - 1),
        ),
    }

    // Frames: the first one came with READY=1; the latest is recent.
    let last_frame = parse_time(s.get(start_keys::LAST_FRAME_AT))
        .filter(|_| this_boot(start_keys::FRAME_BOOT_ID));
    match last_frame {
        None => check(
            "frames",
            CheckState::Waiting,
            "no frame rendered on this boot (READY=1 comes with the first)".into(),
        ),
        Some(at) if now - at > FRAME_STALE => check(
            "frames",
            CheckState::Waiting,
            format!(
                "no frame for {} s (the screen is not rendering)",
                (now - at).whole_seconds()
            ),
        ),
        Some(_) => check("frames", CheckState::Ok, "rendering".into()),
    }

    // Long enough without a restart.
    match started_at {
        Some(at) if now - at >= trial => check(
            "trial",
            CheckState::Ok,
            format!("running for {} s", (now - at).whole_seconds()),
        ),
        Some(at) => check(
            "trial",
            CheckState::Waiting,
            format!(
                "running for {} s of {} s",
                (now - at).whole_seconds().max(0),
                trial.as_secs()
            ),
        ),
        None => check("trial", CheckState::Waiting, "not running".into()),
    }

    // Delivered or queued normally.
    if !central {
        check(
            "sync",
            CheckState::Ok,
            "no central system: submissions are queued".into(),
        );
    } else {
        let since_start = |key: &str| match (parse_time(s.get(key)), started_at) {
            (Some(at), Some(start)) => at >= start,
            _ => false,
        };
        let alert = s.get(ALERT).filter(|a| !a.is_empty());
        let link = s.get(LINK).unwrap_or("offline");
        if let Some(alert) = alert {
            check("sync", CheckState::Waiting, format!("sync alert: {alert}"));
        } else if !since_start(LAST_CHECKED_AT) {
            check(
                "sync",
                CheckState::Waiting,
                "no sync round since the kiosk started".into(),
            );
        } else if link == "online" && !since_start(LAST_SUCCESS_AT) {
            check(
                "sync",
                CheckState::Waiting,
                "online, but no round reached the council since the start".into(),
            );
        } else if link == "online" {
            check(
                "sync",
                CheckState::Ok,
                format!("delivering ({} pending, {} in review)", s.pending, s.review),
            );
        } else {
            check(
                "sync",
                CheckState::Ok,
                format!("{link}: {} submissions queued", s.pending),
            );
        }
    }

    let verdict = if checks.iter().any(|c| c.state == CheckState::Failed) {
        Verdict::Failed
    } else if checks.iter().all(|c| c.state == CheckState::Ok) {
        Verdict::Healthy
    } else {
        Verdict::Waiting
    };
    (checks, verdict)
}

/// What `--mark` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
enum Action {
    /// Nothing to decide (not asked).
    None,
    /// An established slot (not on trial), confirmed for the next boot.
    Confirmed,
    /// The booted slot was on trial and is now good.
    MarkedGood,
    /// The booted slot was on trial, failed, and is now bad: the next boot is the old slot.
    MarkedBad,
    /// It failed, but there is no good slot to go back to: confirmed, it stays.
    KeptNoFallback,
}

/// `guichet health --json`.
#[derive(Debug, Serialize)]
struct Report {
    verdict: Verdict,
    checks: Vec<Check>,
    /// The booted slot as RAUC sees it (`null` without `--mark` or without RAUC).
    slot: Option<rauc::Slot>,
    /// Whether that slot was on trial (booted, not yet marked good).
    on_trial: bool,
    action: Action,
    rebooting: bool,
}

/// RAUC's service may still be starting at boot; an unconfirmed boot is not booted again, so a
/// failed call is retried for about a minute before giving up.
fn with_retries<T>(
    mut call: impl FnMut() -> Result<T, rauc::RaucError>,
) -> Result<T, rauc::RaucError> {
    let mut attempt = 0;
    loop {
        match call() {
            Err(e @ rauc::RaucError::Failed { .. }) if attempt < RAUC_RETRIES => {
                tracing::warn!("{e}; trying again");
                attempt += 1;
                std::thread::sleep(RAUC_RETRY_WAIT);
            }
            other => return other,
        }
    }
}

/// How often, and how far apart, a failed RAUC call is tried again.
const RAUC_RETRIES: u32 = 12;
const RAUC_RETRY_WAIT: Duration = Duration::from_secs(5);

/// The slot the trial file names (bounded, one word), if any.
fn trial_slot(path: &std::path::Path) -> Option<String> {
    let bytes = crate::fsutil::read_bounded(path, 256).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let name = text.trim();
    (!name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c)))
    .then(|| name.to_string())
}

/// `guichet health [--mark] [--wait-s S] [--trial-s S] [--reboot] [--json]`.
pub fn run(ctx: &Context, args: HealthArgs) -> Result<(), CliError> {
    let central = ctx.config.central.kind == CentralKind::Open311;
    run_with(&ctx.data_dir, central, args)
}

/// `guichet health` when the configuration does not load: the boot must still be confirmed
/// (an established slot that is not confirmed is not booted again), so the kiosk is judged from
/// the data dir given (`--data-dir`, else `/var/lib/guichet`) as if offline only.
pub fn run_without_config(
    data_dir: Option<&std::path::Path>,
    problem: &str,
    args: HealthArgs,
) -> Result<(), CliError> {
    eprintln!("guichet: {problem}: judging the kiosk without it");
    let data_dir = data_dir.unwrap_or(std::path::Path::new("/var/lib/guichet"));
    run_with(data_dir, false, args)
}

fn run_with(data_dir: &std::path::Path, central: bool, args: HealthArgs) -> Result<(), CliError> {
    let trial = Duration::from_secs(args.trial_s);
    let boot_id = crate::queue::current_boot_id();

    // The slot first: what to decide depends on whether it is on trial.
    let status = if args.mark {
        if !rauc::installed() {
            return Err(CliError(
                "--mark needs RAUC (apt install rauc), which is not installed".into(),
            ));
        }
        Some(with_retries(rauc::status)?)
    } else {
        None
    };
    let slot = status.as_ref().and_then(|s| s.booted().cloned());
    if args.mark && slot.is_none() {
        return Err(CliError(
            "rauc status names no booted slot: is this an A/B image (kiosk-image/build-image)?"
                .into(),
        ));
    }
    let on_trial = slot
        .as_ref()
        .is_some_and(|s| trial_slot(&args.trial_file).as_deref() == Some(s.name.as_str()));
    let mut action = Action::None;
    if args.mark && !on_trial {
        // Established: confirmed at once, so that the bootloader boots it again.
        with_retries(|| rauc::mark_booted(true))?;
        action = Action::Confirmed;
    }

    // Only a slot on trial is worth waiting for.
    let wait = if args.mark && !on_trial {
        0
    } else {
        args.wait_s
    };
    let deadline = std::time::Instant::now() + Duration::from_secs(wait);
    let (checks, verdict) = loop {
        let state = crate::queue::read_state(data_dir)?;
        let (checks, verdict) = judge(
            state.as_ref(),
            &boot_id,
            OffsetDateTime::now_utc(),
            central,
            trial,
        );
        if verdict != Verdict::Waiting || std::time::Instant::now() >= deadline {
            break (checks, verdict);
        }
        std::thread::sleep(Duration::from_secs(args.interval_s.max(1)));
    };

    let mut rebooting = false;
    if args.mark && on_trial {
        if verdict == Verdict::Healthy {
            with_retries(|| rauc::mark_booted(true))?;
            action = Action::MarkedGood;
        } else if status.as_ref().and_then(|s| s.fallback()).is_some() {
            with_retries(|| rauc::mark_booted(false))?;
            action = Action::MarkedBad;
            rebooting = args.reboot;
        } else {
            with_retries(|| rauc::mark_booted(true))?;
            action = Action::KeptNoFallback;
        }
        // Decided: the trial is over either way (a bad slot is not booted again).
        if let Err(e) = std::fs::remove_file(&args.trial_file) {
            tracing::warn!("trial file {}: {e}", args.trial_file.display());
        }
    }

    let report = Report {
        verdict,
        checks,
        slot,
        on_trial,
        action,
        rebooting,
    };
    if args.json {
        print_json(&report)?;
    } else {
        for c in &report.checks {
            let word = match c.state {
                CheckState::Ok => "ok",
                CheckState::Waiting => "WAIT",
                CheckState::Failed => "FAIL",
            };
            println!("{word:4} {}: {}", c.name, c.detail);
        }
        if let Some(slot) = &report.slot {
            let what = match report.action {
                Action::None if report.on_trial => "on trial",
                Action::None => "not on trial",
                Action::Confirmed => "established, confirmed for the next boot",
                Action::MarkedGood => "was on trial, marked good",
                Action::MarkedBad => "was on trial, marked bad: the next boot is the old slot",
                Action::KeptNoFallback => "on trial and unhealthy, but no good slot to go back to",
            };
            println!("slot {}: {what}", slot.name);
        }
    }
    if rebooting {
        let status = std::process::Command::new("systemctl")
            .arg("reboot")
            .status()
            .map_err(|e| CliError(format!("cannot run systemctl reboot: {e}")))?;
        if !status.success() {
            return Err(CliError(format!(
                "marked bad, but `systemctl reboot` failed ({status}): reboot by hand"
            )));
        }
    }
    // With --mark, an established slot's confirmation is the whole job: it succeeded, whatever
    // the kiosk's own health (printed above), so that guichet-health.service does not show as
    // failed on every boot of a kiosk that is, say, unconfigured or offline.
    if report.action == Action::Confirmed {
        return Ok(());
    }
    match report.verdict {
        Verdict::Healthy => Ok(()),
        _ => {
            let first = report
                .checks
                .iter()
                .find(|c| c.state != CheckState::Ok)
                .map(|c| format!("{}: {}", c.name, c.detail))
                .unwrap_or_default();
            Err(CliError(format!("not healthy: {first}")))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TRIAL: Duration = Duration::from_secs(300);

    fn now() -> OffsetDateTime {
        OffsetDateTime::parse("2026-06-01T12:00:00Z", &Rfc3339).unwrap()
    }

    fn ago(s: i64) -> String {
        crate::clock::rfc3339(now() - time::Duration::seconds(s))
    }

    /// A kiosk that started 10 minutes ago on boot `b`, rendering, online and delivering.
    fn healthy() -> StateSnapshot {
        let mut s = StateSnapshot::default();
        for (k, v) in [
            (start_keys::BOOT_ID, "b".to_string()),
            (start_keys::THIS_BOOT, "1".into()),
            (start_keys::LAST_START_AT, ago(600)),
            (start_keys::FRAME_BOOT_ID, "b".into()),
            (start_keys::FIRST_FRAME_AT, ago(595)),
            (start_keys::LAST_FRAME_AT, ago(30)),
            (LINK, "online".into()),
            (LAST_CHECKED_AT, ago(60)),
            (LAST_SUCCESS_AT, ago(60)),
        ] {
            s.values.insert(k.into(), v);
        }
        s
    }

    fn verdict(s: &StateSnapshot) -> Verdict {
        judge(Some(s), "b", now(), true, TRIAL).1
    }

    #[test]
    fn a_kiosk_that_renders_and_delivers_for_the_trial_period_is_healthy() {
        assert_eq!(verdict(&healthy()), Verdict::Healthy);
    }

    #[test]
    fn offline_is_healthy_queueing_is_normal() {
        let mut s = healthy();
        s.values.insert(LINK.into(), "offline".into());
        s.values.insert(LAST_SUCCESS_AT.into(), ago(86_400));
        s.pending = 3;
        assert_eq!(verdict(&s), Verdict::Healthy);
        assert_eq!(
            judge(Some(&StateSnapshot::default()), "b", now(), false, TRIAL).1,
            Verdict::Waiting,
            "offline only still needs a started, rendering kiosk"
        );
    }

    #[test]
    fn each_missing_sign_of_life_keeps_it_waiting() {
        let cases: &[(&str, Option<String>)] = &[
            (start_keys::LAST_FRAME_AT, None),
            (start_keys::LAST_FRAME_AT, Some(ago(600))),
            (start_keys::FRAME_BOOT_ID, Some("another boot".into())),
            (start_keys::LAST_START_AT, Some(ago(60))),
            (start_keys::BOOT_ID, Some("another boot".into())),
            (LAST_CHECKED_AT, Some(ago(3_600))),
            (LAST_SUCCESS_AT, Some(ago(3_600))),
            (ALERT, Some("API key refused".into())),
        ];
        for (key, value) in cases {
            let mut s = healthy();
            match value {
                Some(v) => s.values.insert(key.to_string(), v.clone()),
                None => s.values.remove(*key),
            };
            assert_eq!(verdict(&s), Verdict::Waiting, "{key} = {value:?}");
        }
        assert_eq!(
            judge(None, "b", now(), true, TRIAL).1,
            Verdict::Waiting,
            "no database yet"
        );
    }

    #[test]
    fn a_restart_on_this_boot_fails_at_once() {
        let mut s = healthy();
        s.values.insert(start_keys::THIS_BOOT.into(), "2".into());
        let (checks, verdict) = judge(Some(&s), "b", now(), true, TRIAL);
        assert_eq!(verdict, Verdict::Failed);
        assert!(
            checks
                .iter()
                .any(|c| c.detail.contains("restarted 1 times"))
        );
    }
}
