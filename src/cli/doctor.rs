//! `guichet doctor`: the self-test a technician runs first. Each check is independent, so one
//! failure never hides another.

use serde::Serialize;

use super::{CliError, Context, fail, print_json};
use crate::config::CentralKind;
use crate::queue::Store;

/// Below this much free space the kiosk may soon refuse submissions.
const MIN_FREE_BYTES: u64 = 200 * 1024 * 1024;

/// One check's result.
#[derive(Debug, Clone, Serialize)]
pub struct Check {
    /// `config`, `database`, `disk`, `printer`, `central`, `clock`, `catalog`.
    pub name: &'static str,
    /// Passed?
    pub ok: bool,
    /// What was found, or what to do.
    pub detail: String,
}

fn check(name: &'static str, result: Result<String, String>) -> Check {
    match result {
        Ok(detail) => Check {
            name,
            ok: true,
            detail,
        },
        Err(detail) => Check {
            name,
            ok: false,
            detail,
        },
    }
}

pub(super) fn run(ctx: &Context, json: bool) -> Result<(), CliError> {
    let checks = vec![
        check(
            "config",
            Ok(format!(
                "{} (device {}, site {:?})",
                ctx.source, ctx.config.device.code, ctx.config.device.site
            )),
        ),
        check("database", check_database(ctx)),
        check("disk", check_disk(ctx)),
        check("printer", check_printer(ctx)),
        check("central", check_central(ctx)),
        check("clock", check_clock(ctx)),
        check("catalog", check_catalog(ctx)),
    ];
    let failed = checks.iter().filter(|c| !c.ok).count();
    if json {
        print_json(&serde_json::json!({ "checks": checks }))?;
    } else {
        for c in &checks {
            println!(
                "{:<4} {:<9} {}",
                if c.ok { "ok" } else { "FAIL" },
                c.name,
                c.detail
            );
        }
    }
    if failed > 0 {
        let names: Vec<_> = checks.iter().filter(|c| !c.ok).map(|c| c.name).collect();
        return fail(format!("{failed} check(s) failed: {}", names.join(", ")));
    }
    Ok(())
}

fn check_database(ctx: &Context) -> Result<String, String> {
    let store = Store::open_at(&ctx.store).map_err(|e| e.to_string())?;
    store
        .integrity_check()
        .map_err(|e| format!("integrity_check: {e}"))?;
    let pending = store
        .count(crate::queue::State::Pending)
        .map_err(|e| e.to_string())?;
    Ok(format!(
        "{}: integrity ok, {pending} pending",
        store.path().display()
    ))
}

/// The cached catalogue: how much of what the council offers the kiosk serves, and what not.
fn check_catalog(ctx: &Context) -> Result<String, String> {
    let store = Store::open(&ctx.data_dir).map_err(|e| e.to_string())?;
    let locale = ctx.config.ui.languages[0].as_str();
    let source = store.catalog_info().map_err(|e| e.to_string())?;
    match (store.catalog_for(locale).map_err(|e| e.to_string())?, source) {
        (Some(catalog), Some((source, at))) => Ok(format!(
            "from {source} ({at}): imported {}",
            catalog.summary()
        )),
        _ => Ok(
            "none cached yet: the kiosk starts with the demo catalogue; run `guichet catalog refresh` or `guichet catalog import FILE`"
                .into(),
        ),
    }
}

fn check_disk(ctx: &Context) -> Result<String, String> {
    let free = crate::fsutil::free_bytes(&ctx.data_dir)
        .map_err(|e| format!("{}: {e}", ctx.data_dir.display()))?;
    let mb = free / (1024 * 1024);
    if free < MIN_FREE_BYTES {
        return Err(format!(
            "only {mb} MB free in {}: free some space (at least {} MB)",
            ctx.data_dir.display(),
            MIN_FREE_BYTES / (1024 * 1024)
        ));
    }
    Ok(format!("{mb} MB free in {}", ctx.data_dir.display()))
}

fn check_printer(ctx: &Context) -> Result<String, String> {
    use crate::printer::transport::Destination;
    let mut printer = crate::printer::Printer::new(
        std::sync::Arc::new(ctx.config.clone()),
        ctx.data_dir.clone(),
    )
    .map_err(|e| e.to_string())?;
    let profile = printer.profile().name;
    let port = match printer.destination() {
        Destination::None => return Ok("no printer configured".into()),
        Destination::Directory(dir) => {
            return Ok(format!("file sink {} (profile {profile})", dir.display()));
        }
        Destination::Serial { path, .. } => path.clone(),
    };
    let status = printer.status();
    if let Some(reason) = status.problem() {
        return Err(format!("{port}: {reason}"));
    }
    if status.paper == crate::printer::Paper::NearEnd {
        return Ok(format!(
            "{port}: ready, paper near end: load a new roll soon (profile {profile})"
        ));
    }
    Ok(format!("{port}: ready (profile {profile})"))
}

fn check_central(ctx: &Context) -> Result<String, String> {
    use crate::sync::classify::{GetOutcome, classify_get};
    use crate::sync::client::{MAX_LIST_BYTES, Open311Client, Timeouts};

    let central = &ctx.config.central;
    let connectivity = Store::open_at(&ctx.store).and_then(|s| crate::sync::Connectivity::load(&s));
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
            return Err(format!("ALERT: {alert}; {queue}"));
        }
        if c.review > 0 {
            return Err(format!(
                "{} submission(s) need a decision (`guichet queue list --state review`); {queue}",
                c.review
            ));
        }
    }
    if central.kind == CentralKind::None {
        return Ok(format!(
            "none configured: submissions stay on this kiosk ({queue})"
        ));
    }
    // Short timeouts: a technician is waiting.
    let timeouts = Timeouts {
        connect: std::time::Duration::from_secs(5),
        request: std::time::Duration::from_secs(10),
    };
    let client = Open311Client::new(central, timeouts).map_err(|e| e.to_string())?;
    let url = client.base().to_string();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let probe = rt.block_on(client.get("services.json", &[], MAX_LIST_BYTES));
    match classify_get(probe) {
        GetOutcome::Document(doc) => match crate::catalog::parse_service_list(&doc) {
            Ok(list) if list.services.is_empty() && list.left_out.is_empty() => Err(format!(
                "online but {url}services.json lists no services: check central.jurisdiction_id; {queue}"
            )),
            Ok(list) if list.left_out.is_empty() => Ok(format!(
                "online: {url} answers with {} services; {queue}",
                list.services.len()
            )),
            Ok(list) => Ok(format!(
                "online: {url} answers with {} services ({} of them unusable, left out); {queue}",
                list.services.len() + list.left_out.len(),
                list.left_out.len()
            )),
            Err(e) => Err(format!(
                "online but {url}services.json is refused ({e}): check central.url; {queue}"
            )),
        },
        GetOutcome::Unavailable {
            detail,
            link: crate::sync::LinkState::CaptivePortal,
        } => Err(format!(
            "captive portal: a web page answers instead of {url} ({detail}): log the kiosk's network in; {queue}"
        )),
        GetOutcome::Unavailable { detail, .. } => Err(format!(
            "offline: {url} not reached ({detail}): check the network; {queue}"
        )),
        GetOutcome::Refused { detail, .. } => Err(format!(
            "{url}services.json answered {detail}: check central.url and jurisdiction_id; {queue}"
        )),
    }
}

fn check_clock(ctx: &Context) -> Result<String, String> {
    let now = time::OffsetDateTime::now_utc();
    if now.year() < 2025 {
        return Err(format!(
            "system clock says {now}: set the time (NTP) or receipts and references will carry wrong dates"
        ));
    }
    // The council server's `Date` header, as the last sync round saw it.
    let skew = Store::open_at(&ctx.store)
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
        return Err(format!(
            "this kiosk's clock is {} s {} the council server's: set the time (NTP); sync corrects its lookups meanwhile",
            skew.abs(),
            if skew > 0 { "behind" } else { "ahead of" }
        ));
    }
    Ok(crate::queue::now_rfc3339())
}
