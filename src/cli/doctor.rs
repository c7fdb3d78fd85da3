//! `guichet doctor`: the self-test a technician runs first. Each check is independent, so one
//! failure never hides another, and each says what to do in one line (`hint`): the person
//! reading it is standing at the kiosk with a laptop, not reading the source.
//!
//! The database's integrity is checked read-only without the data key, and the key is a check
//! of its own, so "the file is damaged" and "the key is missing" are never confused: the first
//! needs a restore, the second needs the key file put back and nothing else.

use std::path::Path;

use serde::Serialize;

use super::probe::{self, Cause, Problem};
use super::{CliError, Context, fail, print_json};
use crate::config::CentralKind;
use crate::privacy::KeyError;
use crate::queue::{Store, StoreError};
use crate::sync::{Connectivity, LinkState};

/// Below this much free space the kiosk may soon refuse submissions.
const MIN_FREE_BYTES: u64 = 200 * 1024 * 1024;

/// A clock this far behind the last sync round recorded has gone backwards.
const CLOCK_BACKWARDS_TOLERANCE_S: i64 = 300;

/// Debian's `fonts-noto-core` files, looked for when `fc-list` is not installed.
const NOTO_LATIN_CYRILLIC: &str = "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf";
const NOTO_ARABIC: &str = "/usr/share/fonts/truetype/noto/NotoSansArabic-Regular.ttf";

/// One check's result.
#[derive(Debug, Clone, Serialize)]
pub struct Check {
    /// `config`, `database`, `data_key`, `disk`, `printer`, `central`, `last_sync`, `clock`,
    /// `catalog`, `fonts`, `speech`, `touch`, `service`.
    pub name: &'static str,
    /// Passed?
    pub ok: bool,
    /// What was found.
    pub detail: String,
    /// What to do (also on a passing check that warns, e.g. paper near end); `null` otherwise.
    pub hint: Option<String>,
}

type Outcome = Result<(String, Option<String>), Problem>;

fn pass(detail: impl Into<String>) -> Outcome {
    Ok((detail.into(), None))
}

fn check(name: &'static str, outcome: Outcome) -> Check {
    match outcome {
        Ok((detail, hint)) => Check {
            name,
            ok: true,
            detail,
            hint,
        },
        Err(p) => Check {
            name,
            ok: false,
            detail: p.detail,
            hint: Some(p.hint),
        },
    }
}

/// One check: what it reads is the context and the store as `doctor` opened it.
type Probe = fn(&Context, &Result<Store, StoreError>) -> Outcome;

/// Every check of `guichet doctor`, in the order they are reported: the one list both the
/// normal run and the run without a loadable configuration (which skips all but `config`) use.
const CHECKS: &[(&str, Probe)] = &[
    ("config", |ctx, _| check_config(ctx)),
    ("database", |ctx, _| check_database(ctx)),
    ("data_key", check_data_key),
    ("disk", |ctx, _| check_disk(ctx)),
    ("printer", |ctx, _| check_printer(ctx)),
    ("central", |ctx, _| check_central(ctx)),
    ("last_sync", check_last_sync),
    ("clock", |_, store| check_clock(store)),
    ("catalog", check_catalog),
    ("fonts", |ctx, _| check_fonts(&ctx.config.ui.languages)),
    ("speech", |ctx, _| check_speech(&ctx.config.ui)),
    ("touch", |ctx, _| check_touch(ctx.config.ui.rotation)),
    ("service", |_, _| check_service()),
];

pub(super) fn run(ctx: &Context, json: bool) -> Result<(), CliError> {
    // Opening the store creates a missing database, as the kiosk would at its first start.
    let store = Store::open_at(&ctx.store);
    let checks: Vec<Check> = CHECKS
        .iter()
        .map(|(name, probe)| check(name, probe(ctx, &store)))
        .collect();
    report(&checks, json)
}

/// The configuration did not load: that is the first check's failure; the others need it.
pub(super) fn run_without_config(error: &str, json: bool) -> Result<(), CliError> {
    let mut checks = vec![check(
        "config",
        Err(Problem::new(
            error,
            "fix that key in the file (see `guichet provision --help` for every key), or write a new one with `guichet provision`",
        )),
    )];
    for (name, _) in &CHECKS[1..] {
        checks.push(check(
            name,
            pass("skipped: the configuration does not load"),
        ));
    }
    if json {
        print_json(&serde_json::json!({ "checks": checks }))?;
    }
    fail(format!("config: {error}"))
}

fn report(checks: &[Check], json: bool) -> Result<(), CliError> {
    if json {
        print_json(&serde_json::json!({ "checks": checks }))?;
    } else {
        for c in checks {
            println!(
                "{:<4} {:<9} {}",
                if c.ok { "ok" } else { "FAIL" },
                c.name,
                c.detail
            );
            if let Some(hint) = &c.hint {
                println!("{:<14} -> {hint}", "");
            }
        }
    }
    let failed: Vec<_> = checks.iter().filter(|c| !c.ok).map(|c| c.name).collect();
    if !failed.is_empty() {
        return fail(format!(
            "{} check(s) failed: {}",
            failed.len(),
            failed.join(", ")
        ));
    }
    Ok(())
}

/// Permission bits others may use on `path`, when it exists.
fn other_bits(path: &Path) -> Option<u32> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path)
        .ok()
        .map(|m| m.permissions().mode() & 0o007)
}

fn check_config(ctx: &Context) -> Outcome {
    let device = format!(
        "device {}, site {:?}",
        ctx.config.device.code, ctx.config.device.site
    );
    let crate::config::ConfigSource::File(path) = &ctx.source else {
        return Ok((
            format!("embedded demo configuration ({device})"),
            Some("a real kiosk needs its own: run `guichet provision`".into()),
        ));
    };
    // The API key is a secret: others reading it is a failure. The configuration holds none,
    // so others reading it is only a warning.
    if ctx.config.has_central()
        && let Some(key) = &ctx.config.central.api_key_file
        && other_bits(key).is_some_and(|bits| bits != 0)
    {
        return Err(Problem::new(
            format!(
                "the API key file {} may be read by any user ({device})",
                key.display()
            ),
            format!("chmod 640 {0} && chgrp guichet {0}", key.display()),
        ));
    }
    if other_bits(path).is_some_and(|bits| bits != 0) {
        return Ok((
            format!("{} ({device}), readable by any user", path.display()),
            Some(format!(
                "chmod 640 {0} && chgrp guichet {0}",
                path.display()
            )),
        ));
    }
    pass(format!("{} ({device})", path.display()))
}

fn check_database(ctx: &Context) -> Outcome {
    let path = ctx.store.database();
    match crate::queue::integrity_check_file(&ctx.data_dir) {
        Ok(true) => pass(format!("{}: integrity ok", path.display())),
        Ok(false) => Err(Problem::new(
            format!("{}: no database", path.display()),
            format!(
                "the data dir {} cannot be written: check it exists, owned by the kiosk's user (guichet), mode 0700",
                ctx.data_dir.display()
            ),
        )),
        Err(e) => Err(Problem::new(
            format!("{}: damaged ({e})", path.display()),
            "stop the kiosk, copy the data dir aside for the council, then restore the database from backup (queued submissions: `guichet queue export` on the copy)",
        )),
    }
}

fn check_data_key(ctx: &Context, store: &Result<Store, StoreError>) -> Outcome {
    let key_file = &ctx.store.key_file;
    match store {
        Ok(_) => pass(format!(
            "{}: opens the database's sealed data",
            key_file.display()
        )),
        Err(StoreError::Key(e)) => {
            let hint = match e {
                KeyError::Exposed { path, .. } => format!("chmod 600 {}", path.display()),
                KeyError::Io { .. } => format!(
                    "run as the kiosk's user (sudo -u guichet guichet doctor); the key file {} must be readable by it only",
                    key_file.display()
                ),
                _ => "put back the key file this database was sealed with (from the backup SECURITY.md describes); never create a new one over it".into(),
            };
            Err(Problem::new(e.to_string(), hint))
        }
        Err(other) => {
            // The database itself failed (its own check says why): look at the file alone.
            match crate::privacy::key::read_key_file(key_file) {
                Ok(_) => pass(format!(
                    "{}: present and private (not matched: the database does not open: {other})",
                    key_file.display()
                )),
                Err(e) => Err(Problem::new(
                    e.to_string(),
                    "put back the key file this database was sealed with (see SECURITY.md)",
                )),
            }
        }
    }
}

/// The cached catalogue: how much of what the council offers the kiosk serves, and what not.
fn check_catalog(ctx: &Context, store: &Result<Store, StoreError>) -> Outcome {
    let Ok(store) = store else {
        return pass("skipped: the database does not open (see database, data_key)");
    };
    let unreadable = |e: StoreError| {
        Problem::new(
            e.to_string(),
            "import the catalogue again: `guichet catalog refresh` or `guichet catalog import FILE`",
        )
    };
    let locale = ctx.config.ui.languages[0].as_str();
    let source = store.catalog_info().map_err(unreadable)?;
    match (store.catalog_for(locale).map_err(unreadable)?, source) {
        (Some(catalog), Some((source, at))) => pass(format!(
            "from {source} ({at}): imported {}",
            catalog.summary()
        )),
        _ => Ok((
            "none cached yet: the kiosk starts with the demo catalogue".into(),
            Some("run `guichet catalog refresh` or `guichet catalog import FILE`".into()),
        )),
    }
}

fn check_disk(ctx: &Context) -> Outcome {
    let free = crate::fsutil::free_bytes(&ctx.data_dir).map_err(|e| {
        Problem::new(
            format!("{}: {e}", ctx.data_dir.display()),
            "check the data dir exists and its disk is mounted",
        )
    })?;
    let mb = free / (1024 * 1024);
    if free < MIN_FREE_BYTES {
        return Err(Problem::new(
            format!("only {mb} MB free in {}", ctx.data_dir.display()),
            format!(
                "free at least {} MB (journalctl --vacuum-size=100M, apt-get clean)",
                MIN_FREE_BYTES / (1024 * 1024)
            ),
        ));
    }
    pass(format!("{mb} MB free in {}", ctx.data_dir.display()))
}

fn check_printer(ctx: &Context) -> Outcome {
    match probe::printer(&ctx.config, &ctx.data_dir) {
        Ok(detail) if detail.contains("near end") => {
            Ok((detail, Some("load a new paper roll soon".into())))
        }
        Ok(detail) => pass(detail),
        Err(p) => Err(p.problem),
    }
}

fn check_central(ctx: &Context) -> Outcome {
    if ctx.config.central.kind == CentralKind::None {
        return pass("none configured: submissions stay on this kiosk");
    }
    let connectivity = Store::open_at(&ctx.store).and_then(|s| Connectivity::load(&s));
    let queue = connectivity
        .as_ref()
        .map(|c| {
            format!(
                "last successful sync {}, {} pending, {} in review",
                c.last_success_at.as_deref().unwrap_or("never"),
                c.pending,
                c.review
            )
        })
        .unwrap_or_else(|e| format!("queue unreadable: {e}"));
    // What the last rounds found that staff must act on fails the check, even when the server
    // answers this probe well (a refused key, a surge of identical refusals).
    if let Ok(c) = &connectivity {
        if let Some(alert) = &c.alert {
            return Err(Problem::new(
                format!("ALERT: {alert}; {queue}"),
                "staff must act on this before more is sent: read it, fix the cause with the council, then `guichet sync --once`",
            ));
        }
        if c.review > 0 {
            return Err(Problem::new(
                format!(
                    "{} submission(s) need a decision (`guichet queue list --state review`); {queue}",
                    c.review
                ),
                "for each: `guichet queue resolve REF --sent REMOTE_ID` if the council has it, else `--resend`",
            ));
        }
    }
    match probe::central(&ctx.config.central) {
        Ok(detail) => pass(format!("online: {detail}; {queue}")),
        Err(p) => Err(Problem::new(format!("{}; {queue}", p.detail), p.hint)),
    }
}

fn check_last_sync(ctx: &Context, store: &Result<Store, StoreError>) -> Outcome {
    if !ctx.config.has_central() {
        return pass("no central system: nothing to sync");
    }
    let Ok(store) = store else {
        return pass("skipped: the database does not open (see database, data_key)");
    };
    let c = Connectivity::load(store).map_err(|e| {
        Problem::new(
            e.to_string(),
            "the database does not answer: see the database check",
        )
    })?;
    let Some(checked) = &c.last_checked_at else {
        return Ok((
            format!("no sync round yet; {} pending", c.pending),
            Some("start the kiosk (or run `guichet sync --once`)".into()),
        ));
    };
    let since = c.last_success_at.as_deref().unwrap_or("never");
    let summary = format!(
        "last round {checked}, last success {since}, {} pending, {} rejected",
        c.pending, c.rejected
    );
    match (&c.last_error, c.link) {
        (None, LinkState::Online) => pass(summary),
        (error, link) => {
            let error = error.as_deref().unwrap_or("no detail");
            let cause = match (link, probe::cause_of(error)) {
                (LinkState::CaptivePortal, _) => Cause::CaptivePortal,
                (_, cause) => cause,
            };
            let learnt = match cause {
                Cause::KeyRefused => "the server refused the API key",
                Cause::TlsClock => "TLS refused the server's certificate as out of date",
                Cause::CaptivePortal => "a captive portal answered",
                Cause::Other => "the last round failed",
            };
            Err(Problem::new(
                format!("{learnt}: {error}; {summary}"),
                probe::hint_for(cause),
            ))
        }
    }
}

fn check_clock(store: &Result<Store, StoreError>) -> Outcome {
    let now = time::OffsetDateTime::now_utc();
    let hint = "set the time: check chrony/NTP (timedatectl), and the network's NTP access";
    if now.year() < 2025 {
        return Err(Problem::new(format!("system clock says {now}"), hint));
    }
    let last_round = store
        .as_ref()
        .ok()
        .and_then(|s| Connectivity::load(s).ok())
        .and_then(|c| c.last_checked_at)
        .and_then(|at| {
            time::OffsetDateTime::parse(&at, &time::format_description::well_known::Rfc3339).ok()
        });
    // The council server's `Date` header, as the last sync round saw it.
    let skew = store
        .as_ref()
        .ok()
        .and_then(|s| {
            s.state_value(crate::sync::connectivity::keys::CLOCK_SKEW_S)
                .ok()
                .flatten()
        })
        .and_then(|v| v.parse::<i64>().ok());
    if let Some(skew) = skew
        && skew.abs() >= crate::sync::engine::CLOCK_SKEW_WARN.whole_seconds()
    {
        return Err(Problem::new(
            format!(
                "this kiosk's clock is {} s {} the council server's; sync corrects its lookups meanwhile",
                skew.abs(),
                if skew > 0 { "behind" } else { "ahead of" }
            ),
            hint,
        ));
    }
    if let Some(at) = last_round
        && (at - now).whole_seconds() > CLOCK_BACKWARDS_TOLERANCE_S
    {
        return Err(Problem::new(
            format!(
                "the clock went backwards: it says {}, but a sync round was recorded at {}",
                crate::clock::rfc3339(now),
                crate::clock::rfc3339(at)
            ),
            hint,
        ));
    }
    pass(crate::clock::rfc3339(now))
}

/// System fonts for every configured language. The kiosk draws with its bundled Noto fonts;
/// the system's are what Slint falls back to for any character outside them (a council's
/// catalogue text in another script), so a language without one shows empty boxes there.
fn check_fonts(languages: &[String]) -> Outcome {
    let fc_list = std::process::Command::new("fc-list")
        .arg("--version")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    let mut missing = Vec::new();
    for lang in languages {
        let present = if fc_list {
            std::process::Command::new("fc-list")
                .arg(format!(":lang={lang}"))
                .arg("family")
                .output()
                .is_ok_and(|o| o.status.success() && !o.stdout.trim_ascii().is_empty())
        } else {
            let file = if lang == "ar" {
                NOTO_ARABIC
            } else {
                NOTO_LATIN_CYRILLIC
            };
            Path::new(file).exists()
        };
        if !present {
            missing.push(lang.as_str());
        }
    }
    if !missing.is_empty() {
        return Err(Problem::new(
            format!("no system font covers {}", missing.join(", ")),
            "apt-get install fonts-noto-core (the package depends on it), then fc-cache -f",
        ));
    }
    pass(format!(
        "system fonts cover {} (fc-list{})",
        languages.join(", "),
        if fc_list {
            ""
        } else {
            " missing: Noto files checked"
        }
    ))
}

/// Speech mode, the voice of residents who cannot see the screen: espeak-ng speaks each of the
/// kiosk's languages with the voice the kiosk uses, and the loudspeaker's mixer control, when
/// `ui.speech_mixer_db` sets one, is on the default card. A mixer left unset is a warning: the
/// room's level was never measured.
fn check_speech(ui: &crate::config::UiConfig) -> Outcome {
    use crate::runtime::speech;
    let missing = |e: speech::SpeechError| {
        Problem::new(
            format!("{e}: speech mode is silent"),
            "apt-get install espeak-ng (the package recommends it)",
        )
    };
    let version = speech::version().map_err(missing)?;
    let mut silent = Vec::new();
    for lang in &ui.languages {
        if !speech::speaks(lang).map_err(missing)? {
            silent.push(lang.as_str());
        }
    }
    if !silent.is_empty() {
        return Err(Problem::new(
            format!("{version} has no voice for {}", silent.join(", ")),
            "apt-get install --reinstall espeak-ng-data (its voices), then run doctor again",
        ));
    }
    let voices = format!("{version}, voices for {}", ui.languages.join(", "));
    let Some(db) = ui.speech_mixer_db else {
        return Ok((
            format!("{voices}; the loudspeaker's mixer is left as ALSA set it"),
            Some(
                "measure the room's level once and set ui.speech_mixer_db (kiosk-image/README.md, \"Speech volume\")"
                    .into(),
            ),
        ));
    };
    let control = ui.speech_mixer_control();
    speech::check_mixer(Path::new(speech::AMIXER), control).map_err(|e| {
        Problem::new(
            e.to_string(),
            "set ui.speech_mixer_control to one of `amixer scontrols` (the default card's controls)",
        )
    })?;
    pass(format!(
        "{voices}; the loudspeaker's {control} set to {db:.1} dB when the kiosk starts"
    ))
}

/// Under systemd (`INVOCATION_ID` set): what the kiosk unit gives the kiosk to run with.
/// The touchscreen's udev rule says what `ui.rotation` says (`cli/touch.rs`): otherwise touches
/// on a turned screen land away from the finger.
fn check_touch(rotation: u16) -> Outcome {
    let path = super::touch::effective_rule_path();
    let fix = "run `sudo guichet touch-rule` (on a read-only /etc: `--rule /run/udev/rules.d/99-guichet-touch.rules`), then restart the kiosk";
    match super::touch::rule_matches(&path, rotation) {
        Ok(true) if rotation == 0 => pass("screen not turned: no touch rule needed"),
        Ok(true) => pass(format!(
            "{}: touches turned {rotation}° with the picture",
            path.display()
        )),
        Ok(false) => Err(Problem::new(
            format!(
                "{} does not match ui.rotation = {rotation}: touches land away from the finger",
                path.display()
            ),
            fix,
        )),
        Err(e) => Err(Problem::new(e.0, fix)),
    }
}

fn check_service() -> Outcome {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    if var("INVOCATION_ID").is_none() {
        return pass("not running under systemd: nothing to check");
    }
    let mut missing = Vec::new();
    if var("NOTIFY_SOCKET").is_none() {
        missing.push("NOTIFY_SOCKET (Type=notify)");
    }
    match var("WATCHDOG_USEC").and_then(|v| v.parse::<u64>().ok()) {
        Some(usec) if usec >= 5_000_000 => {}
        Some(_) => missing.push("WATCHDOG_USEC of at least 5 s (WatchdogSec=)"),
        None => missing.push("WATCHDOG_USEC (WatchdogSec=)"),
    }
    if var("WAYLAND_DISPLAY").is_none() && var("DISPLAY").is_none() {
        missing.push("a display (WAYLAND_DISPLAY from cage)");
    }
    if missing.is_empty() {
        return pass("systemd unit: notify socket, watchdog and display present");
    }
    Err(Problem::new(
        format!("under systemd without {}", missing.join(", ")),
        "run the kiosk through the packaged guichet-kiosk.service (systemctl cat guichet-kiosk) and remove local overrides",
    ))
}
