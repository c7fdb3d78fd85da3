//! `guichet stats [--from DATE] [--to DATE] [--out FILE.csv]`: the council's numbers, per day,
//! as CSV (`crate::staff::stats`): sessions by service, language, assisted or not, how they
//! ended and at which step, time spent; help requests and minutes until staff marked them done.
//! No personal data: the rows it reads hold none.

use std::path::PathBuf;

use clap::Args;
use time::Date;

use super::{CliError, Context};

/// Arguments of `guichet stats`.
#[derive(Debug, Args)]
pub struct StatsArgs {
    /// First day (YYYY-MM-DD, kiosk's local time), included.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub from: Option<Date>,
    /// Last day (YYYY-MM-DD), included.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub to: Option<Date>,
    /// Write the CSV here (atomically) instead of stdout.
    #[arg(long, value_name = "FILE.csv")]
    pub out: Option<PathBuf>,
}

fn parse_date(text: &str) -> Result<Date, String> {
    Date::parse(
        text,
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .map_err(|_| format!("{text:?} is not a date like 2026-12-01"))
}

/// Runs `guichet stats`.
pub fn run(ctx: &Context, args: StatsArgs) -> Result<(), CliError> {
    if let (Some(from), Some(to)) = (args.from, args.to)
        && from > to
    {
        return super::fail(format!("--from {from} is after --to {to}"));
    }
    let store = ctx.open_store()?;
    let rows =
        crate::staff::stats::gather(&store, args.from, args.to, crate::clock::local_offset())?;
    let csv = crate::staff::stats::to_csv(&rows);
    match args.out {
        None => print!("{csv}"),
        Some(path) => {
            crate::fsutil::write_atomic(&path, csv.as_bytes(), 0o644, None)
                .map_err(|e| CliError(format!("cannot write {}: {e}", path.display())))?;
            eprintln!("{} row(s) written to {}", rows.len(), path.display());
        }
    }
    Ok(())
}
