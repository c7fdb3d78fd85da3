//! `guichet sync` and `guichet catalog refresh`: the sync engine of `crate::sync`, in the
//! foreground.

use clap::Args;

use super::{CliError, Context, fail, print_json};
use crate::sync::{LinkState, RoundReport, SyncEngine, SyncTuning};

/// Arguments of `guichet sync`.
#[derive(Debug, Args)]
pub struct SyncArgs {
    /// Return when nothing more can be done now (instead of running forever).
    #[arg(long)]
    pub once: bool,
    /// `{"sent":N,"pending":N,"rejected":N,"catalog_updated":bool}`
    #[arg(long)]
    pub json: bool,
}

fn engine(ctx: &Context) -> Result<SyncEngine, CliError> {
    if !ctx.config.has_central() {
        return fail(
            "no central system is configured (central.kind = \"none\"): submissions stay on this kiosk; carry them with `guichet queue export`",
        );
    }
    let store = ctx.open_store()?;
    Ok(SyncEngine::new(
        &ctx.config,
        store,
        SyncTuning::for_config(&ctx.config),
    )?)
}

fn runtime() -> Result<tokio::runtime::Runtime, CliError> {
    Ok(tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?)
}

fn print_report(report: &RoundReport, json: bool) -> Result<(), CliError> {
    if json {
        print_json(report)
    } else {
        println!(
            "sent {}, pending {}, rejected {}, catalogue {}",
            report.sent,
            report.pending,
            report.rejected,
            if report.catalog_updated {
                "updated"
            } else {
                "unchanged"
            }
        );
        Ok(())
    }
}

/// Exit 1 when the council was not reached, after the counts were printed.
fn check_reached(report: &RoundReport) -> Result<(), CliError> {
    match report.link {
        LinkState::Online => Ok(()),
        LinkState::Offline => fail(format!(
            "the central system was not reached ({}); {} submission(s) stay pending and will be sent later",
            report.error.as_deref().unwrap_or("offline"),
            report.pending
        )),
        LinkState::CaptivePortal => fail(format!(
            "a captive portal answered instead of the central system ({}): log this kiosk's network in; {} submission(s) stay pending",
            report.error.as_deref().unwrap_or("web page"),
            report.pending
        )),
    }
}

pub(super) fn run(ctx: &Context, args: SyncArgs) -> Result<(), CliError> {
    let mut engine = engine(ctx)?;
    let rt = runtime()?;
    if args.once {
        let report = rt.block_on(engine.run_until_idle())?;
        engine
            .store()
            .retention_pass(ctx.config.privacy.retention_days);
        print_report(&report, args.json)?;
        return check_reached(&report);
    }
    let interval = SyncTuning::for_config(&ctx.config).round_interval;
    rt.block_on(async {
        let mut first = true;
        loop {
            let report = engine.round(first).await?;
            engine
                .store()
                .retention_pass(ctx.config.privacy.retention_days);
            first = false;
            print_report(&report, args.json)?;
            if let Err(CliError(e)) = check_reached(&report) {
                eprintln!("guichet: {e}");
            }
            if !report.more_due {
                tokio::select! {
                    _ = tokio::time::sleep(interval) => {}
                    _ = tokio::signal::ctrl_c() => return Ok(()),
                }
            }
        }
    })
}

/// `guichet catalog refresh`.
pub(super) fn catalog_refresh(ctx: &Context) -> Result<(), CliError> {
    let mut engine = engine(ctx)?;
    let rt = runtime()?;
    let updated = rt
        .block_on(engine.refresh_catalog_now())
        .map_err(CliError)?;
    let services = engine
        .store()
        .catalog_for(crate::queue::CATALOG_DEFAULT_LOCALE)?
        .map_or(0, |c| c.services.len());
    if updated {
        println!("catalogue updated: {services} services");
    } else {
        println!("catalogue unchanged: {services} services");
    }
    Ok(())
}
