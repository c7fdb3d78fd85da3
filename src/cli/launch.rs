//! `guichet launch kiosk|out-of-order [ARGS...]`: what the kiosk's units run. It reads the
//! configuration, then replaces itself (`exec`, same pid: systemd's main process stays the
//! compositor) with
//!
//! ```text
//! cage -d [-r ...] -- /usr/bin/env -u DISPLAY <this binary> kiosk|out-of-order [ARGS...]
//! ```
//!
//! Why through the binary and not cage's flags written in the unit: `ui.rotation` lives in the
//! configuration like every other setting, and cage 0.1.4 can only rotate its output when it
//! starts (`-r`, 90° clockwise each; it has no output-management protocol, so `wlr-randr` cannot
//! turn it later). cage `-d`: server-side decorations, which cage never draws, so no title bar;
//! `env -u DISPLAY`: cage sets `DISPLAY`, without it the app never falls back to X11 (no X server,
//! no session D-Bus). See kiosk-image/README.md.
//!
//! The out-of-order screen must come up whatever broke the kiosk: with a configuration that does
//! not load it is launched unrotated.

use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};

use super::CliError;
use crate::config::Config;

/// What runs under cage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Launched {
    /// The touchscreen (`guichet kiosk`).
    Kiosk,
    /// The plain service screen (`guichet out-of-order`).
    OutOfOrder,
}

/// Arguments of `guichet launch`.
#[derive(Debug, Args)]
pub struct LaunchArgs {
    /// What to run under cage.
    #[arg(value_enum)]
    pub what: Launched,
    /// Passed on to it (e.g. `--demo`).
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    pub args: Vec<String>,
}

/// cage's command line for `what`, with `binary` as this program and the rotation of `config`.
pub fn cage_argv(
    config: Option<&Config>,
    binary: &Path,
    what: Launched,
    args: &[String],
) -> Vec<String> {
    let mut argv = vec!["cage".to_string(), "-d".to_string()];
    let quarter_turns = config.map_or(0, |c| (c.ui.rotation / 90) % 4);
    argv.extend((0..quarter_turns).map(|_| "-r".to_string()));
    argv.extend(["--", "/usr/bin/env", "-u", "DISPLAY"].map(String::from));
    argv.push(binary.display().to_string());
    argv.push(
        match what {
            Launched::Kiosk => "kiosk",
            Launched::OutOfOrder => "out-of-order",
        }
        .to_string(),
    );
    argv.extend(args.iter().cloned());
    argv
}

/// Runs `guichet launch`: never returns on success (the process becomes cage).
pub fn run(config: Result<Config, String>, args: LaunchArgs) -> Result<(), CliError> {
    let config = match (config, args.what) {
        (Ok(c), _) => Some(c),
        (Err(_), Launched::OutOfOrder) => None,
        (Err(e), Launched::Kiosk) => return Err(CliError(e)),
    };
    if let Some(config) = &config {
        super::touch::warn_if_stale(config.ui.rotation);
    }
    let binary = std::env::current_exe()
        .map_err(|e| CliError(format!("cannot tell where this program is: {e}")))?;
    let argv = cage_argv(config.as_ref(), &binary, args.what, &args.args);
    let error = std::process::Command::new(cage_program())
        .args(&argv[1..])
        .exec();
    Err(CliError(format!(
        "cannot start cage: {error} (is the cage package installed?)"
    )))
}

/// `cage` from PATH (systemd gives units a fixed PATH that holds /usr/bin).
fn cage_program() -> PathBuf {
    PathBuf::from("cage")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rotation_becomes_cages_quarter_turns_and_arguments_pass_through() {
        let mut config = Config::demo();
        let bin = Path::new("/usr/bin/guichet");
        let line =
            |c: Option<&Config>, what, args: &[String]| cage_argv(c, bin, what, args).join(" ");
        assert_eq!(
            line(Some(&config), Launched::Kiosk, &[]),
            "cage -d -- /usr/bin/env -u DISPLAY /usr/bin/guichet kiosk"
        );
        config.ui.rotation = 270;
        assert_eq!(
            line(Some(&config), Launched::Kiosk, &["--demo".to_string()]),
            "cage -d -r -r -r -- /usr/bin/env -u DISPLAY /usr/bin/guichet kiosk --demo"
        );
        config.ui.rotation = 90;
        assert_eq!(
            line(Some(&config), Launched::OutOfOrder, &[]),
            "cage -d -r -- /usr/bin/env -u DISPLAY /usr/bin/guichet out-of-order"
        );
        assert_eq!(
            line(None, Launched::OutOfOrder, &[]),
            "cage -d -- /usr/bin/env -u DISPLAY /usr/bin/guichet out-of-order",
            "a configuration that does not load: unrotated"
        );
    }
}
