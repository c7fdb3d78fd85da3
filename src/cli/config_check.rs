//! `guichet config check`: does this configuration file load, with every value valid? Nothing
//! else is opened (no database, no printer, no network), so it can judge a file before it is put
//! in place: the image's on-site setup (`kiosk-image/image/guichet-setup`) checks the
//! `kiosk.toml` a technician left on the ESP with it, and keeps the old configuration when it
//! fails. `guichet doctor` checks the whole kiosk.

use clap::Subcommand;

use super::{CliError, fail};
use crate::config::{Config, ConfigSource};

/// `guichet config …`
#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Check that the configuration file (--config, $GUICHET_CONFIG or /etc/guichet/kiosk.toml)
    /// loads and every value is valid; opens nothing else. Exit 1 with the reason otherwise.
    Check,
}

/// Runs `guichet config check` on the file `explicit` (or the usual places).
pub(super) fn run(explicit: Option<&std::path::Path>, cmd: ConfigCommand) -> Result<(), CliError> {
    match cmd {
        ConfigCommand::Check => match Config::locate(explicit) {
            Ok((config, ConfigSource::File(path))) => {
                println!(
                    "ok: {}: device {}, site {:?}",
                    path.display(),
                    config.device.code,
                    config.device.site
                );
                Ok(())
            }
            Ok((_, ConfigSource::Demo)) => fail(
                "no configuration file (--config, GUICHET_CONFIG or /etc/guichet/kiosk.toml): write one with `guichet provision`",
            ),
            Err(e) => fail(e.to_string()),
        },
    }
}
