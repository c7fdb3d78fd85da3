//! `guichet metrics [--out FILE]`: the fleet metrics of `runtime::metrics` in the Prometheus text
//! exposition format, printed on stdout and written atomically to `fleet.textfile` (or `--out
//! FILE`; `--out -` prints only). The kiosk rewrites the textfile by itself every minute; this
//! command is for technicians and for kiosks whose monitoring runs it from a timer.

use std::path::PathBuf;

use clap::Args;

use super::{CliError, Context};
use crate::runtime::metrics::{gather, write_atomically};

/// Arguments of `guichet metrics`.
#[derive(Debug, Args)]
pub struct MetricsArgs {
    /// Write here instead of fleet.textfile (`-`: stdout only).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// Runs `guichet metrics`.
pub fn run(ctx: &Context, args: MetricsArgs) -> Result<(), CliError> {
    let store = ctx.open_store()?;
    let text = gather(&ctx.config, &store)?.render();
    print!("{text}");
    let target = match args.out {
        Some(path) if path.as_os_str() == "-" => return Ok(()),
        Some(path) => path,
        None => ctx.config.fleet.textfile.clone(),
    };
    write_atomically(&target, &text)?;
    Ok(())
}
