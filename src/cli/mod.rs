//! The command line of `INTERFACE.md`. Each subcommand lives in its own file and returns
//! `Result<(), CliError>`; `run` turns that into the documented exit codes: 0 success, 1 a failure
//! explained on stderr in one line, 2 a usage error (clap's own).

mod alerts;
pub mod bench;
mod catalog;
mod config_check;
mod doctor;
mod fleet;
mod health;
mod launch;
mod metrics;
mod out_of_order;
mod printer;
mod privacy;
mod probe;
mod provision;
mod queue;
mod rauc;
mod staff;
mod stats;
mod status;
mod submit;
mod sync;
mod touch;
mod ui;
mod utterances;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::config::{Config, ConfigSource};
use crate::queue::{Store, StoreLocation};

/// A failure explained in one line (exit 1).
#[derive(Debug)]
pub struct CliError(pub String);

impl<E: std::fmt::Display> From<E> for CliError {
    fn from(e: E) -> Self {
        CliError(e.to_string())
    }
}

/// Shorthand for a one-line failure.
pub fn fail<T>(message: impl Into<String>) -> Result<T, CliError> {
    Err(CliError(message.into()))
}

/// Guichet: the council's self-service kiosk.
#[derive(Debug, Parser)]
#[command(name = "guichet", version, about, long_about = None)]
pub struct Cli {
    /// Configuration file (default: $GUICHET_CONFIG, else /etc/guichet/kiosk.toml, else the demo).
    #[arg(long, global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// Data directory (overrides device.data_dir).
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// What to do (default: kiosk).
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// The touchscreen app (fullscreen unless --windowed).
    Kiosk(ui::KioskArgs),
    /// Render one UI screen to PNG without a display.
    Screenshot(ui::ScreenshotArgs),
    /// What speech mode says on one screen, one utterance a line.
    Utterances(utterances::UtterancesArgs),
    /// Validate and queue one submission exactly as the touchscreen would.
    Submit(Box<submit::SubmitArgs>),
    /// Inspect and manage the submission queue.
    #[command(subcommand)]
    Queue(queue::QueueCommand),
    /// The cached catalogue of services.
    #[command(subcommand)]
    Catalog(catalog::CatalogCommand),
    /// Push pending submissions, then refresh the catalogue and statuses.
    Sync(sync::SyncArgs),
    /// The receipt printer.
    #[command(subcommand)]
    Printer(printer::PrinterCommand),
    /// Receipts.
    #[command(subcommand)]
    Receipt(printer::ReceiptCommand),
    /// Self-test: configuration, database, disk, printer, central system, clock.
    Doctor {
        /// One JSON document on stdout.
        #[arg(long)]
        json: bool,
    },
    /// What a technician on site wants first: device, online, queue, printer, disk, restarts.
    Status {
        /// One JSON document on stdout.
        #[arg(long)]
        json: bool,
    },
    /// Measure performance (results go in BENCHMARKS.md).
    #[command(subcommand)]
    Bench(bench::BenchCommand),
    /// Write this kiosk's configuration (flags, or questions on a terminal), checked first.
    Provision(Box<provision::ProvisionArgs>),
    /// Fleet metrics in the Prometheus text format (stdout, and fleet.textfile or --out FILE).
    Metrics(metrics::MetricsArgs),
    /// Personal data at rest: key rotation, retention, opening sealed exports.
    #[command(subcommand)]
    Privacy(privacy::PrivacyCommand),
    /// Is the kiosk working on this boot; with --mark, decide an A/B update on trial (RAUC).
    Health(health::HealthArgs),
    /// Fleet operations: the heartbeat key the council registers.
    #[command(subcommand)]
    Fleet(fleet::FleetCommand),
    /// The plain "out of order" screen systemd shows when the kiosk keeps failing.
    OutOfOrder(out_of_order::OutOfOrderArgs),
    /// What the units run: cage (rotated per ui.rotation) with the kiosk or the out-of-order screen.
    Launch(launch::LaunchArgs),
    /// The udev rule that turns touches with the picture (ui.rotation); --check only compares.
    TouchRule(touch::TouchRuleArgs),
    /// Assisted mode's staff accounts (PIN on stdin).
    #[command(subcommand)]
    Staff(staff::StaffCommand),
    /// Service statistics per day as CSV, without personal data.
    Stats(stats::StatsArgs),
    /// The configuration file: `config check` loads and validates it, opening nothing else.
    #[command(subcommand)]
    Config(config_check::ConfigCommand),
}

/// What every command needs: the configuration and where the data lives.
pub struct Context {
    /// The loaded configuration.
    pub config: Config,
    /// Where it came from.
    pub source: ConfigSource,
    /// The data dir in effect.
    pub data_dir: PathBuf,
    /// The data dir with the configured data key file: how every store of this process opens.
    pub store: StoreLocation,
}

impl Context {
    /// Opens the queue database; with the demo configuration, seeds the demo catalogue.
    pub fn open_store(&self) -> Result<Store, CliError> {
        let mut store = Store::open_at(&self.store)?;
        if self.source == ConfigSource::Demo {
            store.ensure_demo_catalog()?;
        }
        Ok(store)
    }
}

/// Entry point for `main`.
pub fn run() -> ExitCode {
    crate::clock::mark_process_start();
    crate::clock::init_local_offset();
    let cli = Cli::parse();
    init_logging();
    match dispatch(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(CliError(message)) => {
            eprintln!("guichet: {message}");
            ExitCode::from(1)
        }
    }
}

fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("GUICHET_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

fn dispatch(cli: Cli) -> Result<(), CliError> {
    // Provisioning writes the configuration, so it must not need one that loads.
    if let Some(Command::Provision(args)) = cli.command {
        return provision::run(*args, cli.data_dir.as_deref());
    }
    if let Some(Command::Launch(args)) = cli.command {
        if args.stop {
            return launch::stop(std::env::var("MAINPID").ok().as_deref());
        }
        let config = Config::locate(cli.config.as_deref())
            .map(|(c, _)| c)
            .map_err(|e| e.to_string());
        return launch::run(config, args);
    }
    if let Some(Command::Config(cmd)) = cli.command {
        return config_check::run(cli.config.as_deref(), cmd);
    }
    // The service screen must come up whatever broke the kiosk, a bad configuration included.
    if let Some(Command::OutOfOrder(args)) = cli.command {
        let config = Config::locate(cli.config.as_deref()).ok().map(|(c, _)| c);
        return out_of_order::run(config, args);
    }
    let (config, source) = match Config::locate(cli.config.as_deref()) {
        Ok(found) => found,
        Err(e) => {
            if let Some(Command::Doctor { json }) = cli.command {
                return doctor::run_without_config(&e.to_string(), json);
            }
            if let Some(Command::Health(args)) = cli.command {
                return health::run_without_config(cli.data_dir.as_deref(), &e.to_string(), args);
            }
            return Err(e.into());
        }
    };
    let data_dir = config.data_dir(cli.data_dir.as_deref(), &source);
    // A data key sealed to the TPM reaches the kiosk as a systemd credential; the plain key file
    // of the configuration is the fallback.
    let store = StoreLocation {
        key_file: crate::privacy::credential_key_file()
            .unwrap_or_else(|| config.key_file(&data_dir)),
        sealed_key_file: Some(config.sealed_key_file()),
        data_dir: data_dir.clone(),
    };
    let ctx = Context {
        config,
        source,
        data_dir,
        store,
    };
    match cli.command {
        Some(Command::Submit(args)) => submit::run(&ctx, *args),
        Some(Command::Queue(cmd)) => queue::run(&ctx, cmd),
        Some(Command::Catalog(cmd)) => catalog::run(&ctx, cmd),
        Some(Command::Doctor { json }) => doctor::run(&ctx, json),
        Some(Command::Status { json }) => status::run(&ctx, json),
        Some(Command::Sync(args)) => sync::run(&ctx, args),
        Some(Command::Printer(cmd)) => printer::run_printer(&ctx, cmd),
        Some(Command::Receipt(cmd)) => printer::run_receipt(&ctx, cmd),
        Some(Command::Bench(cmd)) => bench::run(&ctx, cmd),
        Some(Command::Privacy(cmd)) => privacy::run(&ctx, cmd),
        Some(Command::Provision(_)) => unreachable!("handled before the configuration loads"),
        Some(Command::OutOfOrder(_)) | Some(Command::Launch(_)) | Some(Command::Config(_)) => {
            unreachable!("handled before the configuration loads")
        }
        Some(Command::Metrics(args)) => metrics::run(&ctx, args),
        Some(Command::Health(args)) => health::run(&ctx, args),
        Some(Command::Fleet(cmd)) => fleet::run(&ctx, cmd),
        Some(Command::Staff(cmd)) => staff::run(&ctx, cmd),
        Some(Command::Stats(args)) => stats::run(&ctx, args),
        Some(Command::TouchRule(args)) => touch::run(ctx.config.ui.rotation, args),
        Some(Command::Kiosk(args)) => ui::kiosk(&ctx, args),
        Some(Command::Screenshot(args)) => ui::screenshot(&ctx, args),
        Some(Command::Utterances(args)) => utterances::run(&ctx, args),
        None => ui::kiosk(&ctx, ui::KioskArgs::default()),
    }
}

/// Prints one JSON document on stdout.
pub fn print_json<T: serde::Serialize>(value: &T) -> Result<(), CliError> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}
