//! `guichet printer status|test|render` and `guichet receipt reprint` (issue 4).

use std::path::PathBuf;

use clap::Subcommand;

use super::{CliError, Context, fail};

/// `guichet printer ...`
#[derive(Debug, Subcommand)]
pub enum PrinterCommand {
    /// Query the printer's real-time status.
    Status {
        /// `{"connected":bool,"paper":"ok"|"near_end"|"out"|"unknown","cover_open":bool,"error":bool}`
        #[arg(long)]
        json: bool,
    },
    /// Print a test page.
    Test,
    /// Write the receipt for REF: `.bin` = exact ESC/POS bytes, `.png` = a preview.
    Render {
        /// Reference.
        reference: String,
        /// Output file (.bin or .png).
        #[arg(long)]
        out: PathBuf,
    },
}

/// `guichet receipt ...`
#[derive(Debug, Subcommand)]
pub enum ReceiptCommand {
    /// Print the receipt again.
    Reprint {
        /// Reference.
        reference: String,
    },
}

pub(super) fn run_printer(_ctx: &Context, _cmd: PrinterCommand) -> Result<(), CliError> {
    fail("printer commands are not available yet")
}

pub(super) fn run_receipt(_ctx: &Context, _cmd: ReceiptCommand) -> Result<(), CliError> {
    fail("receipt commands are not available yet")
}
