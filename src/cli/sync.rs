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

pub(super) fn engine(ctx: &Context) -> Result<SyncEngine, CliError> {
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

pub(super) fn runtime() -> Result<tokio::runtime::Runtime, CliError> {
    Ok(tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?)
}

fn print_report(report: &RoundReport, json: bool) -> Result<(), CliError> {
    if json {
        print_json(report)?;
    } else {
        println!(
            "sent {}, pending {}, review {}, rejected {}, catalogue {}",
            report.sent,
            report.pending,
            report.review,
            report.rejected,
            if report.catalog_updated {
                "updated"
            } else {
                "unchanged"
            }
        );
    }
    if report.review > 0 {
        eprintln!(
            "guichet: {} submission(s) need a decision: the server may or may not have them; see `guichet queue list --state review`",
            report.review
        );
    }
    Ok(())
}

/// Exit 1 when the council was not reached, or something needs staff, after the counts were
/// printed.
fn check_reached(report: &RoundReport) -> Result<(), CliError> {
    if let Some(alert) = &report.alert {
        return fail(format!("ALERT: {alert}"));
    }
    match report.link {
        LinkState::Online if !report.endpoint_ok => fail(format!(
            "the server at central.url did not show itself to be the Open311 endpoint ({}); {} submission(s) stay pending, none was sent",
            report.error.as_deref().unwrap_or("no list of services"),
            report.pending
        )),
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
        // One delivering process per data dir: wait for the kiosk (or another `sync`) to
        // finish its round, saying who it is.
        let wait = SyncTuning::for_config(&ctx.config).lock_wait;
        let started = std::time::Instant::now();
        let mut report = rt.block_on(engine.run_until_idle())?;
        let mut told = false;
        while let Some(holder) = report.busy.clone() {
            if started.elapsed() >= wait {
                return fail(format!(
                    "another process is delivering from this data dir ({holder}); nothing was done: try again when it has finished"
                ));
            }
            if !told {
                eprintln!("guichet: waiting for {holder} to finish its round");
                told = true;
            }
            std::thread::sleep(std::time::Duration::from_millis(250));
            report = rt.block_on(engine.run_until_idle())?;
        }
        engine
            .store()
            .retention_pass(ctx.config.privacy.retention_days);
        print_report(&report, args.json)?;
        return check_reached(&report);
    }
    let interval = SyncTuning::for_config(&ctx.config).round_interval;
    rt.block_on(async {
        let mut stop = StopSignals::new()?;
        let mut first = true;
        loop {
            // SIGTERM or Ctrl-C during a round lets it finish (a POST in flight gets its answer,
            // its outcome is committed) within the grace time, then the command stops.
            let (result, stopping) = {
                let round = engine.round(first);
                tokio::pin!(round);
                tokio::select! {
                    result = &mut round => (result, false),
                    _ = stop.recv() => match tokio::time::timeout(STOP_GRACE, &mut round).await {
                        Ok(result) => (result, true),
                        Err(_) => return fail(format!(
                            "stopped before the sync round finished ({} s): an unanswered submission is reconciled at the next round, never sent twice",
                            STOP_GRACE.as_secs()
                        )),
                    },
                }
            };
            let report = result?;
            if let Some(holder) = &report.busy {
                if stopping {
                    return Ok(());
                }
                eprintln!("guichet: {holder} is delivering; waiting");
                tokio::select! {
                    _ = tokio::time::sleep(std::time::Duration::from_secs(1)) => {}
                    _ = stop.recv() => return Ok(()),
                }
                continue;
            }
            engine
                .store()
                .retention_pass(ctx.config.privacy.retention_days);
            first = false;
            print_report(&report, args.json)?;
            if let Err(CliError(e)) = check_reached(&report) {
                eprintln!("guichet: {e}");
            }
            if stopping {
                return Ok(());
            }
            if !report.more_due {
                tokio::select! {
                    _ = tokio::time::sleep(interval) => {}
                    _ = stop.recv() => return Ok(()),
                }
            }
        }
    })
}

/// How long a stop request waits for the current round: under the kiosk unit's stop timeout
/// (10 s), after which systemd would SIGKILL.
const STOP_GRACE: std::time::Duration = std::time::Duration::from_secs(8);

/// SIGTERM (systemd, `kill`) and SIGINT (Ctrl-C).
struct StopSignals {
    term: tokio::signal::unix::Signal,
    int: tokio::signal::unix::Signal,
}

impl StopSignals {
    fn new() -> Result<StopSignals, CliError> {
        use tokio::signal::unix::{SignalKind, signal};
        Ok(StopSignals {
            term: signal(SignalKind::terminate())?,
            int: signal(SignalKind::interrupt())?,
        })
    }

    async fn recv(&mut self) {
        tokio::select! {
            _ = self.term.recv() => {}
            _ = self.int.recv() => {}
        }
    }
}
