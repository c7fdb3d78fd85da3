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
//!
//! `guichet launch --stop kiosk` is the kiosk unit's `ExecStop=`: SIGTERM to the app (`$MAINPID`,
//! which the app claimed with `MAINPID=`), then it waits until the app and its compositor have
//! left. Why not systemd's own stop: the app is cage's child, not systemd's, and systemd 252 does
//! not wait for a main process that is not its child. With `KillMode=mixed` it sends SIGTERM to
//! the app and, in the same instant, SIGKILL to the whole unit (`Killing process … (guichet)
//! with signal SIGKILL` before `Stopping guichet-kiosk.service`), so the app never finished its
//! work and the unit ended "failed". Waiting here gives the stop its `TimeoutStopSec=`, after
//! which systemd still kills what is left. See kiosk-image/README.md, "Stop".

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
    /// Stop it instead (the unit's ExecStop=): SIGTERM to $MAINPID, then wait until it and its
    /// compositor have left.
    #[arg(long)]
    pub stop: bool,
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

/// Runs `guichet launch --stop`: SIGTERM to the unit's main process (`$MAINPID`, which systemd
/// sets for `ExecStop=`), then returns once it and its compositor (its parent, when that is in
/// the same control group) are gone. Without `$MAINPID` there is nothing known to stop. No time
/// limit of its own: the unit's `TimeoutStopSec=` bounds it, and systemd then kills what is left.
pub fn stop(mainpid: Option<&str>) -> Result<(), CliError> {
    let Some(app) = mainpid.and_then(main_pid) else {
        return Ok(());
    };
    // Read before the signal: once the app has left, its parent can no longer be found.
    let compositor = compositor_of(app);
    // SAFETY: kill(2) with a pid and a signal number; no memory is passed.
    if unsafe { libc::kill(app, libc::SIGTERM) } != 0 {
        let error = std::io::Error::last_os_error();
        if error.raw_os_error() != Some(libc::ESRCH) {
            return Err(CliError(format!(
                "cannot send SIGTERM to the kiosk (pid {app}): {error}"
            )));
        }
    }
    while alive(app) || compositor.is_some_and(alive) {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    Ok(())
}

/// `$MAINPID` as a pid: a positive number, never 1 (init).
fn main_pid(value: &str) -> Option<libc::pid_t> {
    if value.is_empty() || value.len() > 10 || !value.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    value.parse().ok().filter(|pid| *pid > 1)
}

/// The parent pid in the text of `/proc/PID/stat` (`pid (comm) state ppid …`; comm may hold
/// spaces and parentheses, so the fields are read after the last `)`).
fn parent_in_stat(stat: &str) -> Option<libc::pid_t> {
    let (_, rest) = stat.rsplit_once(')')?;
    let mut fields = rest.split_whitespace();
    let _state = fields.next()?;
    fields.next()?.parse().ok()
}

/// The app's compositor: its parent when that shares its control group (cage, in the unit). Not
/// when the main process is cage itself (a stop before the app sent `MAINPID=`): its parent is
/// systemd, outside the unit.
fn compositor_of(app: libc::pid_t) -> Option<libc::pid_t> {
    let stat = std::fs::read_to_string(format!("/proc/{app}/stat")).ok()?;
    let parent = parent_in_stat(&stat).filter(|pid| *pid > 1)?;
    let cgroup = |pid: libc::pid_t| std::fs::read_to_string(format!("/proc/{pid}/cgroup")).ok();
    (cgroup(app)? == cgroup(parent)?).then_some(parent)
}

/// Whether `pid` still exists (a zombie not yet collected by its parent counts).
fn alive(pid: libc::pid_t) -> bool {
    // SAFETY: kill(2) with signal 0 only checks that the process exists.
    let found = unsafe { libc::kill(pid, 0) } == 0;
    found || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}

/// `cage` from PATH (systemd gives units a fixed PATH that holds /usr/bin).
fn cage_program() -> PathBuf {
    PathBuf::from("cage")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mainpid_and_the_parent_in_proc_stat_are_read_strictly() {
        assert_eq!(main_pid("382"), Some(382));
        for bad in ["", "1", "0", "-5", "12a", " 382", "99999999999", "+3"] {
            assert_eq!(main_pid(bad), None, "{bad:?}");
        }
        assert_eq!(
            parent_in_stat("382 (guichet) S 378 382 378 0 -1 4194560"),
            Some(378)
        );
        assert_eq!(
            parent_in_stat("9 (a) b (c) R 7 9 9 0"),
            Some(7),
            "a name with spaces and parentheses"
        );
        assert_eq!(parent_in_stat("9 (cut"), None);
    }

    #[test]
    fn stop_sends_sigterm_to_mainpid_and_returns_once_it_and_its_compositor_have_left() {
        use std::io::BufRead;
        // A stand-in for cage: it runs the app, collects it, and takes 300 ms more to leave.
        // The app leaves on SIGTERM through its own handler (exit 0), as the kiosk does.
        let mut compositor = std::process::Command::new("sh")
            .args([
                "-c",
                "sh -c 'trap \"exit 0\" TERM; while :; do sleep 0.05; done' & echo $!; wait $!; \
                 code=$?; sleep 0.3; exit $code",
            ])
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut line = String::new();
        let stdout = compositor.stdout.take().unwrap();
        std::io::BufReader::new(stdout)
            .read_line(&mut line)
            .unwrap();
        let app: libc::pid_t = line.trim().parse().unwrap();
        let compositor_pid = compositor.id() as libc::pid_t;
        std::thread::sleep(std::time::Duration::from_millis(200));
        assert_eq!(compositor_of(app), Some(compositor_pid));
        // Collected as soon as it leaves, as systemd collects cage.
        let reaper = std::thread::spawn(move || compositor.wait().unwrap());

        let started = std::time::Instant::now();
        stop(Some(&app.to_string())).unwrap();
        assert!(
            started.elapsed() >= std::time::Duration::from_millis(300),
            "returned before the compositor had left"
        );
        assert!(!alive(app) && !alive(compositor_pid));
        let status = reaper.join().unwrap();
        assert!(
            status.success(),
            "the app did not leave through its SIGTERM handler: {status:?}"
        );

        // Nothing to stop without MAINPID (systemd sets it only when it knows the main process).
        stop(None).unwrap();
    }

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
