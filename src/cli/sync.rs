//! `guichet sync` and `guichet catalog refresh` (issue 5).

use clap::Args;

use super::{CliError, Context, fail};

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

pub(super) fn run(_ctx: &Context, _args: SyncArgs) -> Result<(), CliError> {
    fail("sync is not available yet")
}

/// `guichet catalog refresh`.
pub(super) fn catalog_refresh(_ctx: &Context) -> Result<(), CliError> {
    fail("catalog refresh is not available yet")
}
