//! The kiosk as deployed by `kiosk-image/`: the unit's own `ExecStart=` line, run the way systemd
//! would run it, under cage's headless backend, as an unprivileged user, with a listening
//! `NOTIFY_SOCKET`. It checks what a field kiosk depends on: a fullscreen surface of the output's
//! size, `READY=1` and regular `WATCHDOG=1` with `WATCHDOG_PID` naming cage, no pings while the
//! UI thread is stalled, no Xwayland or D-Bus side processes, a quiet compositor log, a stop
//! that ends everything within the unit's stop timeout, and the watchdog's signal (which cage
//! ignores) stopping the app cleanly within `TimeoutAbortSec=`. A second test keeps the unit honest:
//! `systemd-analyze verify` passes and the security score is the one the README records.
//!
//! Skipped, with a message, only where cage is not installed (CI installs it: see `.ci/run`).

mod common;

use std::collections::BTreeSet;
use std::io::Read;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::net::UnixDatagram;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::TestDir;

const UNIT: &str = include_str!("../kiosk-image/guichet-kiosk.service");
const README: &str = include_str!("../kiosk-image/README.md");
/// Where install.sh puts the binary, as the unit names it.
const INSTALLED_BINARY: &str = "/usr/local/bin/guichet";
/// The watchdog timeout the test sets (the unit's 30 s would make the test slow).
const WATCHDOG_USEC: u64 = 4_000_000;
/// The unprivileged user the test runs the kiosk as when it runs as root (`nobody`).
const NOBODY: u32 = 65534;

/// The `[Service]` settings this test needs, read from the unit file.
#[derive(Debug, Default)]
struct Unit {
    exec_start_pre: Vec<String>,
    exec_start: Vec<String>,
    exec_stop: Vec<String>,
    environment: Vec<(String, String)>,
    kill_mode: String,
    watchdog_signal: String,
    timeout_stop: Duration,
    timeout_abort: Duration,
    runtime_directory: String,
}

/// Lays out a throw-away root for running `unit` as the unprivileged test user: `root` and
/// `root/bin` world-readable with the binary copied there, systemd's %t as `root/run`, and the
/// unit's RuntimeDirectory= under it (0700, owned by the user). Returns (binary, %t, runtime
/// directory).
fn service_root(root: &Path, unit: &Unit) -> (PathBuf, PathBuf, PathBuf) {
    std::fs::set_permissions(root, std::fs::Permissions::from_mode(0o755)).unwrap();
    let bin = root.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    std::fs::set_permissions(&bin, std::fs::Permissions::from_mode(0o755)).unwrap();
    let binary = bin.join("guichet");
    std::fs::copy(env!("CARGO_BIN_EXE_guichet"), &binary).unwrap();
    std::fs::set_permissions(&binary, std::fs::Permissions::from_mode(0o755)).unwrap();
    let runtime_root = root.join("run");
    std::fs::create_dir_all(&runtime_root).unwrap();
    std::fs::set_permissions(&runtime_root, std::fs::Permissions::from_mode(0o755)).unwrap();
    let runtime_dir = runtime_root.join(&unit.runtime_directory);
    user_dir(&runtime_dir, 0o700);
    (binary, runtime_root, runtime_dir)
}

fn parse_unit(text: &str) -> Unit {
    let mut unit = Unit::default();
    let mut section = "";
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if line.starts_with('[') {
            section = line;
            continue;
        }
        if section != "[Service]" {
            continue;
        }
        let (key, value) = line.split_once('=').expect("a Key=value line");
        let words = || {
            assert!(
                !value.contains(['"', '\'', '\\']),
                "{key}= uses quoting, which this test does not parse"
            );
            value.split_whitespace().map(String::from).collect()
        };
        match key {
            "ExecStartPre" => unit.exec_start_pre = words(),
            "ExecStart" => unit.exec_start = words(),
            "ExecStop" => unit.exec_stop = words(),
            "Environment" => {
                let (k, v) = value.split_once('=').expect("Environment=KEY=value");
                unit.environment.push((k.to_string(), v.to_string()));
            }
            "KillMode" => unit.kill_mode = value.to_string(),
            "WatchdogSignal" => unit.watchdog_signal = value.to_string(),
            "TimeoutStopSec" => {
                unit.timeout_stop = Duration::from_secs(value.parse().expect("TimeoutStopSec in s"))
            }
            "TimeoutAbortSec" => {
                unit.timeout_abort =
                    Duration::from_secs(value.parse().expect("TimeoutAbortSec in s"))
            }
            "RuntimeDirectory" => unit.runtime_directory = value.to_string(),
            _ => {}
        }
    }
    unit
}

/// The path of `program` on PATH.
fn which(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(program))
        .find(|p| p.is_file())
}

/// The unit's command with the installed binary replaced by `binary` and `%t` by `runtime_root`.
fn substitute(words: &[String], binary: &Path, runtime_root: &Path) -> Vec<String> {
    words
        .iter()
        .map(|w| {
            w.replace(INSTALLED_BINARY, binary.to_str().unwrap())
                .replace("%t", runtime_root.to_str().unwrap())
        })
        .collect()
}

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

/// The command prefix that runs a program as the unprivileged user (nothing when not root).
fn as_user() -> Vec<String> {
    if is_root() {
        vec![
            "setpriv".into(),
            format!("--reuid={NOBODY}"),
            format!("--regid={NOBODY}"),
            "--clear-groups".into(),
            "--".into(),
        ]
    } else {
        Vec::new()
    }
}

/// A directory the kiosk's user owns (mode `mode`).
fn user_dir(path: &Path, mode: u32) {
    std::fs::create_dir_all(path).unwrap();
    if is_root() {
        std::os::unix::fs::chown(path, Some(NOBODY), Some(NOBODY)).unwrap();
    }
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// Datagrams received on the fake notify socket, with when they came.
type Received = Arc<Mutex<Vec<(Instant, String)>>>;

fn listen(socket: UnixDatagram, received: Received, stop: Arc<Mutex<bool>>) {
    socket
        .set_read_timeout(Some(Duration::from_millis(100)))
        .unwrap();
    let mut buf = [0u8; 4096];
    while !*stop.lock().unwrap() {
        if let Ok(n) = socket.recv(&mut buf) {
            let text = String::from_utf8_lossy(&buf[..n]).into_owned();
            received.lock().unwrap().push((Instant::now(), text));
        }
    }
}

/// systemd's notify socket, faked: a datagram socket at `root/notify.sock`, writable by the
/// unprivileged kiosk, read by a thread that keeps every datagram with when it came.
struct NotifySocket {
    path: PathBuf,
    received: Received,
    stop: Arc<Mutex<bool>>,
    listener: Mutex<Option<std::thread::JoinHandle<()>>>,
}

impl NotifySocket {
    fn listen(root: &Path) -> NotifySocket {
        let path = root.join("notify.sock");
        let socket = UnixDatagram::bind(&path).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o777)).unwrap();
        let received: Received = Arc::default();
        let stop = Arc::new(Mutex::new(false));
        let listener = {
            let (received, stop) = (received.clone(), stop.clone());
            std::thread::spawn(move || listen(socket, received, stop))
        };
        NotifySocket {
            path,
            received,
            stop,
            listener: Mutex::new(Some(listener)),
        }
    }

    /// The datagrams with a line starting with `prefix`, in the order they came.
    fn messages(&self, prefix: &str) -> Vec<(Instant, String)> {
        self.received
            .lock()
            .unwrap()
            .iter()
            .filter(|(_, m)| m.lines().any(|l| l.starts_with(prefix)))
            .cloned()
            .collect()
    }

    /// Stops listening; what was received stays readable.
    fn close(&self) {
        *self.stop.lock().unwrap() = true;
        if let Some(listener) = self.listener.lock().unwrap().take() {
            listener.join().unwrap();
        }
    }
}

impl Drop for NotifySocket {
    fn drop(&mut self) {
        *self.stop.lock().unwrap() = true;
    }
}

/// Where a kiosk under cage runs, set up in `root` for the unit: its binary and root
/// ([`service_root`]), a home, its config (written by [`CageSite::new`]), the notify socket
/// standing in for systemd's, and the file its output goes to.
struct CageSite {
    binary: PathBuf,
    runtime_root: PathBuf,
    runtime_dir: PathBuf,
    home: PathBuf,
    config: PathBuf,
    notify: NotifySocket,
    log: PathBuf,
}

impl CageSite {
    /// Sets up the unit's service root, a home and the notify socket in `root`, and writes
    /// `config` as the kiosk's config file (readable by the unprivileged user).
    fn new(root: &Path, unit: &Unit, config: &str) -> CageSite {
        let (binary, runtime_root, runtime_dir) = service_root(root, unit);
        let home = root.join("home");
        user_dir(&home, 0o700);
        let config_path = root.join("kiosk.toml");
        std::fs::write(&config_path, config).unwrap();
        std::fs::set_permissions(&config_path, std::fs::Permissions::from_mode(0o644)).unwrap();
        CageSite {
            binary,
            runtime_root,
            runtime_dir,
            home,
            config: config_path,
            notify: NotifySocket::listen(root),
            log: root.join("journal.log"),
        }
    }
}

/// A unit's `ExecStart=` (with `args` after it) as systemd would start it, under cage's headless
/// backend: as the unprivileged user, in a clean environment with the unit's `Environment=`
/// (`GUICHET_CONFIG` pointed at the site's config), systemd's `NOTIFY_SOCKET`, its output in the
/// site's log, in a process group of its own (for [`GroupGuard`]). With `watchdog_pid`,
/// `WATCHDOG_PID` names the unit's main process as systemd sets it: `exec` keeps the shell's
/// pid, so it is cage's. Callers add what their test needs (`WATCHDOG_USEC`, `WAYLAND_DEBUG`,
/// ...) and spawn it.
fn cage_command(site: &CageSite, unit: &Unit, args: &[&str], watchdog_pid: bool) -> Command {
    let CageSite {
        binary,
        runtime_root,
        config,
        home,
        notify,
        log,
        ..
    } = site;
    let log = std::fs::File::create(log).unwrap();
    let mut argv = as_user();
    argv.extend(substitute(&unit.exec_start, binary, runtime_root));
    argv.extend(args.iter().map(|a| a.to_string()));
    let script = if watchdog_pid {
        "export WATCHDOG_PID=$$; exec \"$@\""
    } else {
        "exec \"$@\""
    };
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg(script)
        .arg("sh")
        .args(&argv)
        .env_clear()
        .env("PATH", "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin")
        .env("HOME", home)
        .env("LANG", "C.UTF-8")
        .env("NOTIFY_SOCKET", &notify.path)
        .env("WLR_BACKENDS", "headless")
        .env("WLR_LIBINPUT_NO_DEVICES", "1")
        .env("WLR_RENDERER", "pixman")
        .stdin(Stdio::null())
        .stdout(log.try_clone().unwrap())
        .stderr(log)
        .process_group(0);
    for (k, v) in &unit.environment {
        if k == "GUICHET_CONFIG" {
            cmd.env(k, config);
        } else {
            cmd.env(k, v);
        }
    }
    cmd
}

/// Kills the whole process group if the test fails half-way.
struct GroupGuard(i32);

impl Drop for GroupGuard {
    fn drop(&mut self) {
        // SAFETY: kill with a negative pid signals the process group we created.
        unsafe {
            libc::kill(-self.0, libc::SIGKILL);
        }
    }
}

fn alive(pid: i32) -> bool {
    let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
        return false;
    };
    // The state is the first field after the parenthesised command name.
    let state = stat
        .rsplit_once(')')
        .map(|(_, rest)| rest.trim_start().chars().next());
    !matches!(state, Some(Some('Z' | 'X')) | None)
}

fn children(pid: i32) -> Vec<i32> {
    let mut out = Vec::new();
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
        return out;
    };
    for task in tasks.flatten() {
        if let Ok(text) = std::fs::read_to_string(task.path().join("children")) {
            out.extend(
                text.split_whitespace()
                    .filter_map(|p| p.parse::<i32>().ok()),
            );
        }
    }
    out
}

fn comm(pid: i32) -> String {
    std::fs::read_to_string(format!("/proc/{pid}/comm"))
        .unwrap_or_default()
        .trim()
        .to_string()
}

/// Pids of running X servers and D-Bus daemons (the side processes the kiosk must not start).
fn side_processes() -> BTreeSet<(i32, String)> {
    let mut out = BTreeSet::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<i32>() else {
            continue;
        };
        let name = comm(pid);
        if [
            "Xwayland",
            "Xorg",
            "dbus-daemon",
            "dbus-launch",
            "dbus-send",
        ]
        .contains(&name.as_str())
        {
            out.insert((pid, name));
        }
    }
    out
}

fn read_log(path: &Path) -> String {
    let mut text = String::new();
    if let Ok(mut f) = std::fs::File::open(path) {
        let _ = f.read_to_string(&mut text);
    }
    text
}

/// Waits until `done` holds, up to `limit`; false on timeout.
fn wait_for(limit: Duration, mut done: impl FnMut() -> bool) -> bool {
    let start = Instant::now();
    while start.elapsed() < limit {
        if done() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    done()
}

/// wlroots' log lines (cage's own log): `00:00:01.234 [ERROR] [file.c:12] …`.
fn compositor_lines(log: &str) -> Vec<&str> {
    log.lines()
        .filter(|l| {
            let b = l.as_bytes();
            b.len() > 14
                && b[2] == b':'
                && b[5] == b':'
                && b[8] == b'.'
                && b[12] == b' '
                && b[13] == b'['
                && b[..2].iter().all(u8::is_ascii_digit)
        })
        .collect()
}

/// The output's size from the client's protocol log (`wl_output@N.mode(flags, W, H, refresh)`).
fn output_size(log: &str) -> Option<(u32, u32)> {
    log.lines()
        .rev()
        .filter_map(|l| {
            l.split_once("wl_output@")?
                .1
                .split_once(".mode(")?
                .1
                .split_once(')')
        })
        .filter_map(|(args, _)| {
            let v: Vec<u32> = args
                .split(',')
                .filter_map(|a| a.trim().parse().ok())
                .collect();
            (v.len() == 4).then(|| (v[1], v[2]))
        })
        .next()
}

/// The size of the last `xdg_toplevel.configure` the kiosk received.
fn last_configure(log: &str) -> Option<(u32, u32)> {
    log.lines()
        .rev()
        .filter(|l| l.contains("xdg_toplevel@") && !l.contains("->"))
        .filter_map(|l| l.split_once(".configure(")?.1.split_once(", array"))
        .filter_map(|(size, _)| {
            let (w, h) = size.split_once(',')?;
            Some((w.trim().parse().ok()?, h.trim().parse().ok()?))
        })
        .next()
}

#[test]
fn kiosk_runs_fullscreen_under_cage_feeds_the_watchdog_from_frames_and_stops_cleanly() {
    let Some(_cage) = which("cage") else {
        eprintln!(
            "SKIPPED kiosk_image: cage is not installed, so the kiosk cannot run as deployed here \
             (install cage and grim, as .ci/run does)"
        );
        return;
    };
    assert!(
        which("grim").is_some(),
        "grim is needed to check what is on screen: apt-get install grim"
    );
    if is_root() {
        assert!(which("setpriv").is_some(), "setpriv (util-linux) is needed");
    }
    let unit = parse_unit(UNIT);
    // When the watchdog fires, systemd sends WatchdogSignal= to every process of the unit
    // (KillMode=control-group) and waits for them: cage must ignore it (its SIGTERM handler is
    // broken), the app stops on it (kiosk-image/README.md, "Watchdog").
    assert_eq!(unit.kill_mode, "control-group");
    assert_eq!(unit.watchdog_signal, "SIGURG");
    assert!(
        !unit.exec_stop.is_empty(),
        "the unit's ExecStop= stops the app and waits (systemd 252 would not wait for it)"
    );
    assert!(unit.timeout_stop > Duration::ZERO);

    let dir = TestDir::new("kiosk-image");
    let root = dir.path();
    for ancestor in root.ancestors().skip(1) {
        let mode = std::fs::metadata(ancestor).unwrap().permissions().mode();
        assert!(
            !is_root() || mode & 0o001 != 0,
            "{} is not searchable by other users, so the unprivileged kiosk cannot reach the \
             test's files: set TMPDIR to a directory under /tmp",
            ancestor.display()
        );
    }
    let data = root.join("data");
    // node_exporter's textfile directory, where the kiosk writes its fleet metrics.
    let textfile_dir = root.join("node-exporter");
    user_dir(&textfile_dir, 0o755);
    let textfile = textfile_dir.join("guichet.prom");
    // systemd's notify socket, listened to by this test, with the service's root and config.
    let site = CageSite::new(
        root,
        &unit,
        &format!(
            "[device]\ncode = \"IMG\"\nsite = \"Test\"\ncouncil = \"Test Council\"\n\
             data_dir = \"{}\"\n[central]\nkind = \"none\"\n[printer]\nport = \"none\"\n\
             [fleet]\ntextfile = \"{}\"\n",
            data.display(),
            textfile.display()
        ),
    );
    user_dir(&data, 0o700);
    let CageSite {
        binary,
        runtime_root,
        runtime_dir,
        home,
        config,
        notify,
        log: log_path,
    } = &site;
    let stall = root.join("stall");

    // The unit's pre-start runs. Retried while the fresh copy is "text file busy": a process
    // forked by the other test at the moment of the copy may briefly hold its write handle. Once
    // it ran, no handle is left, and the kiosk below can run it too.
    let pre = substitute(&unit.exec_start_pre, binary, runtime_root);
    let mut attempts = 0;
    let out = loop {
        match Command::new(&pre[0]).args(&pre[1..]).output() {
            Err(e) if e.raw_os_error() == Some(libc::ETXTBSY) && attempts < 100 => {
                attempts += 1;
                std::thread::sleep(Duration::from_millis(50));
            }
            other => break other.unwrap(),
        }
    };
    assert!(out.status.success(), "ExecStartPre= failed: {out:?}");

    // cage's Xwayland support opens its (never used) X11 sockets in /tmp/.X11-unix; the unit's
    // PrivateTmp= keeps them private, this test has no such sandbox. Create the directory as
    // systemd-tmpfiles does at every boot (root, 1777), so that it is not left behind owned by
    // the test's user on a fresh machine. wlroots removes its sockets and lock files at exit.
    let x11_dir = Path::new("/tmp/.X11-unix");
    if is_root() && !x11_dir.exists() {
        std::fs::create_dir(x11_dir).unwrap();
        std::fs::set_permissions(x11_dir, std::fs::Permissions::from_mode(0o1777)).unwrap();
    }
    let before = side_processes();
    // No catalogue is cached in a fresh data dir: the demo one, as `guichet kiosk --demo`.
    let mut cmd = cage_command(&site, &unit, &["--demo"], true);
    cmd.env("WATCHDOG_USEC", WATCHDOG_USEC.to_string())
        // The client's side of the Wayland protocol, to read the configures it gets.
        .env("WAYLAND_DEBUG", "client")
        .env("GUICHET_TEST_STALL_FILE", &stall);
    let mut cage: Child = cmd.spawn().unwrap();
    let cage_pid = cage.id() as i32;
    let _guard = GroupGuard(cage_pid);
    let messages = |prefix: &str| notify.messages(prefix);
    let journal = || read_log(log_path);

    // READY=1 once the first frame is on screen.
    let ready = wait_for(Duration::from_secs(90), || {
        !messages("READY=1").is_empty() || matches!(cage.try_wait(), Ok(Some(_)))
    });
    assert!(
        ready && !messages("READY=1").is_empty(),
        "no READY=1 from the kiosk; log:\n{}",
        journal()
    );
    let ready_at = messages("READY=1")[0].0;
    let ready_text = messages("READY=1")[0].1.clone();
    assert!(
        ready_text.contains("STATUS=") && ready_text.contains("no printer configured"),
        "READY=1 should carry the status line: {ready_text:?}"
    );

    // The app is cage's only child and declared itself the main process.
    let kids = children(cage_pid);
    assert_eq!(kids.len(), 1, "cage's children: {kids:?}");
    let app_pid = kids[0];
    assert_eq!(comm(app_pid), "guichet");
    let main_pid = messages("MAINPID=");
    assert_eq!(
        main_pid.first().map(|(_, m)| m.as_str()),
        Some(format!("MAINPID={app_pid}").as_str()),
        "the app should declare itself the main process"
    );

    // Watchdog pings while frames render, with WATCHDOG_PID = cage's pid.
    assert!(
        wait_for(Duration::from_secs(20), || messages("WATCHDOG=1").len()
            >= 3),
        "fewer than 3 WATCHDOG=1 after READY=1: {:?}\nlog:\n{}",
        notify.received.lock().unwrap(),
        journal()
    );
    let mut last = ready_at;
    for (at, _) in messages("WATCHDOG=1") {
        assert!(
            at.duration_since(last) < Duration::from_micros(WATCHDOG_USEC),
            "a gap between pings longer than the watchdog timeout: systemd would restart"
        );
        last = at;
    }

    // The fleet textfile shows the screen alive: a rendered frame and the process's start.
    let frame_in_textfile = || {
        std::fs::read_to_string(&textfile).ok().and_then(|text| {
            let m = common::prom::parse(&text);
            let frame = m.get("guichet_last_frame_timestamp_seconds", &[])?;
            let started = m.get("guichet_kiosk_start_time_seconds", &[])?;
            (frame > 0.0 && started > 0.0 && frame >= started.floor()).then_some(frame)
        })
    };
    assert!(
        wait_for(Duration::from_secs(20), || frame_in_textfile().is_some()),
        "no rendered frame in the fleet textfile {}: {:?}\nlog:\n{}",
        textfile.display(),
        std::fs::read_to_string(&textfile),
        journal()
    );

    // The database records this boot's start and frames, which is what `guichet health` (the
    // A/B update's trial) judges: the running kiosk is healthy (trial period 0 here).
    let health = || {
        Command::new(env!("CARGO_BIN_EXE_guichet"))
            .arg("--config")
            .arg(config)
            .args(["health", "--trial-s", "0", "--json"])
            .env("HOME", root)
            .output()
            .unwrap()
    };
    assert!(
        wait_for(Duration::from_secs(20), || health().status.success()),
        "guichet health never found the running kiosk healthy: {}{}",
        String::from_utf8_lossy(&health().stdout),
        String::from_utf8_lossy(&health().stderr)
    );

    // What is on screen: a screenshot of the whole output, filled by the kiosk.
    let shot = home.join("screen.png");
    let mut grim = Command::new(as_user().first().map_or("grim", |s| s.as_str()));
    if is_root() {
        grim.args(&as_user()[1..]).arg("grim");
    }
    let out = grim
        .arg(&shot)
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .env("XDG_RUNTIME_DIR", runtime_dir)
        .env("WAYLAND_DISPLAY", "wayland-0")
        .output()
        .unwrap();
    assert!(out.status.success(), "grim failed: {out:?}");
    let picture = image::open(&shot).unwrap().to_rgb8();
    let protocol = journal();
    let output = output_size(&protocol).expect("the output's mode in the protocol log");
    assert_eq!(picture.dimensions(), output, "the screenshot is the output");
    for y in 0..picture.height() {
        let black = (0..picture.width()).all(|x| picture.get_pixel(x, y).0 == [0, 0, 0]);
        assert!(
            !black,
            "row {y} of the screen is black: the kiosk does not cover the output"
        );
    }
    // Fullscreen as the protocol says it: asked for, never withdrawn, configured to the output.
    assert!(
        protocol.contains(".set_fullscreen("),
        "the kiosk never asked for fullscreen"
    );
    assert!(
        !protocol.contains(".unset_fullscreen("),
        "the kiosk withdrew its fullscreen request"
    );
    assert_eq!(last_configure(&protocol), Some(output));
    // Server-side decorations (mode 2), which cage never draws: winit builds no client-side
    // frame, whose theme lookup would run dbus-send.
    let decoration_modes: Vec<&str> = protocol
        .lines()
        .filter(|l| l.contains("zxdg_toplevel_decoration_v1@") && !l.contains("->"))
        .filter_map(|l| l.split_once(".configure(")?.1.split_once(')'))
        .map(|(mode, _)| mode.trim())
        .collect();
    assert!(
        !decoration_modes.is_empty() && decoration_modes.iter().all(|m| *m == "2"),
        "decoration modes from cage: {decoration_modes:?} (2 = server-side)"
    );
    assert!(
        protocol.contains("fullscreen at"),
        "the kiosk did not report being fullscreen"
    );

    // Staff's remote screenshot: asked through the real binary, as the kiosk's user; the kiosk
    // is on its welcome screen (between residents), so it answers with its own rendering.
    let remote = home.join("remote.png");
    let mut ask = as_user();
    ask.push(binary.to_str().unwrap().to_string());
    ask.extend(
        [
            "--config",
            config.to_str().unwrap(),
            "fleet",
            "screenshot",
            "--wait",
            "60",
            "--out",
            remote.to_str().unwrap(),
        ]
        .map(String::from),
    );
    let out = Command::new(&ask[0])
        .args(&ask[1..])
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .env("HOME", home)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "fleet screenshot: {}\nlog:\n{}",
        String::from_utf8_lossy(&out.stderr),
        journal()
    );
    let remote_picture = image::open(&remote).unwrap().to_rgb8();
    assert_eq!(
        remote_picture.dimensions(),
        output,
        "the kiosk's whole screen"
    );
    assert!(
        !data.join("screenshot.request").exists(),
        "request answered"
    );

    // A stalled UI thread renders no frame, so no ping: systemd would restart the kiosk.
    if cfg!(debug_assertions) {
        std::fs::write(&stall, b"").unwrap();
        std::fs::set_permissions(&stall, std::fs::Permissions::from_mode(0o666)).unwrap();
        // The UI thread marks the file when its next tick enters the stall.
        assert!(
            wait_for(Duration::from_secs(30), || std::fs::read(&stall)
                .is_ok_and(|c| c == b"stalled")),
            "the UI thread never reached the stall point"
        );
        // A ping sent just before the stall may still be on its way to the listener.
        std::thread::sleep(Duration::from_millis(200));
        let pings_before = messages("WATCHDOG=1").len();
        let stalled_at = Instant::now();
        std::thread::sleep(Duration::from_micros(WATCHDOG_USEC + 500_000));
        let during: Vec<_> = messages("WATCHDOG=1")
            .into_iter()
            .filter(|(at, _)| *at > stalled_at)
            .collect();
        assert!(
            during.is_empty() && messages("WATCHDOG=1").len() == pings_before,
            "pings while the UI thread was stalled: {during:?}"
        );
        assert!(alive(app_pid), "the app should be alive, only its UI stuck");
        std::fs::remove_file(&stall).unwrap();
        assert!(
            wait_for(Duration::from_secs(10), || messages("WATCHDOG=1")
                .iter()
                .any(|(at, _)| *at > stalled_at)),
            "pings did not resume once the UI thread ran again"
        );
    }

    // Nothing but cage and the app: no Xwayland, no D-Bus daemon, no dbus-send.
    let started: Vec<_> = side_processes().difference(&before).cloned().collect();
    assert!(started.is_empty(), "side processes started: {started:?}");
    assert_eq!(children(cage_pid), vec![app_pid]);
    assert!(
        children(app_pid).is_empty(),
        "the app started processes: {:?}",
        children(app_pid)
    );

    // The watchdog's signal, as systemd sends it to the processes of the unit other than the
    // main one (with SIGCONT): cage ignores it and keeps showing the app.
    // SAFETY: kill(2) with a pid and signal numbers; no memory is passed.
    unsafe {
        libc::kill(cage_pid, libc::SIGURG);
        libc::kill(cage_pid, libc::SIGCONT);
    }
    std::thread::sleep(Duration::from_secs(1));
    assert!(
        matches!(cage.try_wait(), Ok(None)) && children(cage_pid) == vec![app_pid],
        "cage did not ignore the watchdog's signal; log:\n{}",
        journal()
    );

    // Stop as systemd does: the unit's ExecStop=, as the kiosk's user, with MAINPID= the app
    // (which declared itself). It must return only once the app and cage have left (systemd
    // kills whatever is left when it returns), and everything must be gone within
    // TimeoutStopSec. This test collects cage when it exits, as systemd does.
    let mut stop_argv = as_user();
    stop_argv.extend(substitute(&unit.exec_stop, binary, runtime_root));
    let mut stopper = Command::new(&stop_argv[0])
        .args(&stop_argv[1..])
        .env_clear()
        .env("PATH", "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin")
        .env("MAINPID", app_pid.to_string())
        .stdin(Stdio::null())
        .spawn()
        .unwrap();
    let (mut cage_left, mut stop_returned) = (false, None);
    let stopped = wait_for(unit.timeout_stop, || {
        if stop_returned.is_none() {
            stop_returned = stopper.try_wait().unwrap();
            assert!(
                stop_returned.is_none() || cage_left,
                "ExecStop= returned while cage was still running"
            );
        }
        cage_left = cage_left || matches!(cage.try_wait(), Ok(Some(_)));
        // SAFETY: kill(2) with signal 0 only checks whether the group still exists.
        cage_left && stop_returned.is_some() && unsafe { libc::kill(-cage_pid, 0) } != 0
    });
    // Collected in every case (killed first if it is still waiting); its status when it returned.
    let _ = stopper.kill();
    let stop_status = stopper.wait().unwrap();
    notify.close();
    let log = journal();
    assert!(
        stopped,
        "the kiosk did not stop within TimeoutStopSec; log:\n{log}"
    );
    let status = cage.wait().unwrap();
    assert!(
        status.code().is_some(),
        "cage died of a signal ({status:?}) instead of leaving; log:\n{log}"
    );
    assert!(!log.contains("Assertion"), "cage aborted; log:\n{log}");
    assert!(
        stop_returned.is_some() && stop_status.success(),
        "ExecStop= failed or did not return: {stop_status:?}"
    );
    // The app took the SIGTERM: it finished its work and left its event loop.
    assert!(
        log.contains("signal 15: finishing current work, then stopping"),
        "the app did not log its clean stop; log:\n{log}"
    );

    // cage's log stays quiet: a few start-up lines, no flood.
    let lines = compositor_lines(&log);
    assert!(
        lines.len() <= 20,
        "{} compositor log lines:\n{}",
        lines.len(),
        lines.join("\n")
    );
}

/// When systemd's watchdog fires it runs no `ExecStop=`: it sends the unit's `WatchdogSignal=`
/// (then SIGCONT) to every process of the unit (`KillMode=control-group`) and waits up to
/// `TimeoutAbortSec=` for them to leave. Done here to the unit's `ExecStart=` under cage's
/// headless backend, as in the test above: the app takes the signal as a stop (its own log
/// line), leaves, and cage follows, leaving on its own (an exit code, no assertion), all within
/// the bound; nothing has to be killed. `vm-test`'s boot scenario does the same with systemd.
#[test]
fn the_watchdogs_signal_stops_the_kiosk_cleanly_within_timeout_abort_sec() {
    if which("cage").is_none() {
        eprintln!("SKIPPED: cage is not installed (apt-get install cage, as .ci/run does)");
        return;
    }
    let unit = parse_unit(UNIT);
    assert_eq!(unit.kill_mode, "control-group");
    assert_eq!(unit.watchdog_signal, "SIGURG");
    assert!(unit.timeout_abort > Duration::ZERO);
    let dir = TestDir::new("kiosk-watchdog-signal");
    let root = dir.path();
    let data = root.join("data");
    let site = CageSite::new(
        root,
        &unit,
        &format!(
            "[device]\ncode = \"IMG\"\nsite = \"Test\"\ndata_dir = \"{}\"\n[central]\n\
             kind = \"none\"\n[printer]\nport = \"none\"\n",
            data.display()
        ),
    );
    user_dir(&data, 0o700);
    let (notify, log_path) = (&site.notify, &site.log);
    let mut cage: Child = cage_command(&site, &unit, &["--demo"], false)
        .spawn()
        .unwrap();
    let cage_pid = cage.id() as i32;
    let _guard = GroupGuard(cage_pid);
    let ready = || !notify.messages("READY=1").is_empty();
    assert!(
        wait_for(Duration::from_secs(90), || ready()
            || matches!(cage.try_wait(), Ok(Some(_)))),
        "no READY=1; log:\n{}",
        read_log(log_path)
    );
    assert!(ready(), "cage left early; log:\n{}", read_log(log_path));
    let app_pid = children(cage_pid)[0];

    // As systemd: the main process (the app) first, then the rest of the group, each followed
    // by SIGCONT.
    for pid in [app_pid, cage_pid] {
        // SAFETY: kill(2) with a pid and signal numbers; no memory is passed.
        unsafe {
            libc::kill(pid, libc::SIGURG);
            libc::kill(pid, libc::SIGCONT);
        }
    }
    let mut status = None;
    let left = wait_for(unit.timeout_abort, || {
        status = status.or_else(|| cage.try_wait().unwrap());
        status.is_some()
    });
    notify.close();
    let log = read_log(log_path);
    assert!(
        left,
        "the kiosk was still there after TimeoutAbortSec; log:\n{log}"
    );
    assert!(
        status.is_some_and(|s| s.code().is_some()) && !log.contains("Assertion"),
        "cage did not leave on its own ({status:?}); log:\n{log}"
    );
    assert!(
        log.contains("(systemd's watchdog: no frame rendered in time): finishing current work"),
        "the app did not take the watchdog's signal as a stop; log:\n{log}"
    );
    assert!(!alive(app_pid), "the app is still there");
}

#[test]
fn unit_passes_systemd_analyze_and_its_security_score_is_the_one_recorded() {
    let Some(analyze) = which("systemd-analyze") else {
        eprintln!("SKIPPED: systemd-analyze is not installed (apt-get install systemd)");
        return;
    };
    if which("cage").is_none() {
        eprintln!("SKIPPED: cage is not installed, so the unit's ExecStart= cannot be verified");
        return;
    }
    let dir = TestDir::new("unit");
    // The unit with the app where this build has it, so that verify checks the app's path too.
    let unit = dir.path().join("guichet-kiosk.service");
    std::fs::write(
        &unit,
        UNIT.replace(INSTALLED_BINARY, env!("CARGO_BIN_EXE_guichet")),
    )
    .unwrap();
    let out = Command::new(&analyze)
        .arg("verify")
        .arg(&unit)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "systemd-analyze verify: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The installed path must be what verify checks: a unit naming another path fails.
    let wrong = dir.path().join("wrong.service");
    std::fs::write(
        &wrong,
        UNIT.replace(INSTALLED_BINARY, "/nonexistent/guichet"),
    )
    .unwrap();
    let out = Command::new(&analyze)
        .arg("verify")
        .arg(&wrong)
        .output()
        .unwrap();
    assert!(!out.status.success(), "verify should check the app's path");

    let out = Command::new(&analyze)
        .args(["security", "--offline=yes", "--no-pager"])
        .arg(&unit)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let score = text
        .lines()
        .find_map(|l| {
            l.split_once("Overall exposure level for ")?
                .1
                .split_once(": ")
        })
        .and_then(|(_, rest)| rest.split_whitespace().next()?.parse::<f32>().ok())
        .unwrap_or_else(|| panic!("no score in: {text}"));
    assert!(score < 3.0, "exposure {score}: the unit lost hardening");
    let recorded = format!("exposure level {score:.1}");
    assert!(
        README.contains(&recorded),
        "kiosk-image/README.md should record `{recorded}` (systemd-analyze security)"
    );
}

// ---------------------------------------------------------------------------------------------
// A/B updates: `guichet health --mark` against a fake of RAUC's command line
// (tests/fixtures/fake-rauc/rauc: RAUC 1.8 with the GRUB backend, plus `fake-boot`, which plays
// the image's grub.cfg), with the image's own post-install handler naming the slot on trial.

const FAKE_RAUC: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/fake-rauc/rauc");
const POST_INSTALL: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/kiosk-image/rauc/post-install");

/// A kiosk with two root slots: A good and booted, B holding an older good version.
struct AbKiosk {
    dir: TestDir,
}

impl AbKiosk {
    fn new(label: &str) -> AbKiosk {
        let dir = TestDir::new(label);
        let bin = dir.path().join("bin");
        std::fs::create_dir_all(&bin).unwrap();
        std::os::unix::fs::symlink(FAKE_RAUC, bin.join("rauc")).unwrap();
        // systemctl: records what it was asked (a reboot) instead of doing it.
        let systemctl = bin.join("systemctl");
        std::fs::write(
            &systemctl,
            format!(
                "#!/bin/sh\nprintf '%s\\n' \"$*\" >> {}\n",
                dir.path().join("systemctl-calls").display()
            ),
        )
        .unwrap();
        std::fs::set_permissions(&systemctl, std::fs::Permissions::from_mode(0o755)).unwrap();
        let rauc_dir = dir.path().join("rauc");
        std::fs::create_dir_all(&rauc_dir).unwrap();
        std::fs::write(
            rauc_dir.join("grubenv"),
            "ORDER=A B\nA_OK=1\nA_TRY=0\nB_OK=1\nB_TRY=0\n",
        )
        .unwrap();
        std::fs::write(rauc_dir.join("booted"), "A\n").unwrap();
        std::fs::write(rauc_dir.join("calls"), "").unwrap();
        let kiosk = AbKiosk { dir };
        assert_eq!(kiosk.rauc(&["fake-boot"]), "A");
        // Its health check confirmed that boot, as on every boot of an established slot.
        kiosk.rauc(&["status", "mark-good", "booted"]);
        kiosk
    }

    fn path_env(&self) -> String {
        format!(
            "{}:{}",
            self.dir.path().join("bin").display(),
            std::env::var("PATH").unwrap_or_default()
        )
    }

    fn trial_file(&self) -> PathBuf {
        self.dir.path().join("update/trial")
    }

    /// The fake RAUC (as the updater or the bootloader would run it); its stdout.
    fn rauc(&self, args: &[&str]) -> String {
        let out = Command::new(FAKE_RAUC)
            .args(args)
            .env("FAKE_RAUC_DIR", self.dir.path().join("rauc"))
            .env("FAKE_RAUC_POST_INSTALL", POST_INSTALL)
            .env("GUICHET_TRIAL_FILE", self.trial_file())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "rauc {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    fn calls(&self, file: &str) -> Vec<String> {
        std::fs::read_to_string(self.dir.path().join(file))
            .unwrap_or_default()
            .lines()
            .map(String::from)
            .collect()
    }

    fn forget_calls(&self) {
        std::fs::write(self.dir.path().join("rauc/calls"), "").unwrap();
    }

    /// The kiosk's database as the running kiosk leaves it on this boot: started `started_s`
    /// ago, `starts` times, with frames rendered (or none).
    fn kiosk_ran(&self, started_s: i64, starts: u32, frames: bool) {
        let data = self.dir.path().join("data");
        let mut store = guichet::queue::Store::open(&data).unwrap();
        let boot = guichet::queue::current_boot_id();
        for _ in 0..starts {
            store.record_start(&boot).unwrap();
        }
        let at = |s: i64| {
            guichet::clock::rfc3339(time::OffsetDateTime::now_utc() - time::Duration::seconds(s))
        };
        store
            .set_state_value(guichet::queue::start_keys::LAST_START_AT, &at(started_s))
            .unwrap();
        if frames {
            store.record_frame(&boot, &at(started_s - 2)).unwrap();
            store.record_frame(&boot, &at(5)).unwrap();
        }
    }

    /// `guichet health --mark --reboot --json ARGS` as guichet-health.service runs it.
    fn health(&self, args: &[&str]) -> (bool, serde_json::Value) {
        let out = Command::new(env!("CARGO_BIN_EXE_guichet"))
            .env_remove("GUICHET_CONFIG")
            .env("HOME", self.dir.path())
            .env("XDG_DATA_HOME", self.dir.path().join("xdg"))
            .env("PATH", self.path_env())
            .env("FAKE_RAUC_DIR", self.dir.path().join("rauc"))
            .arg("--data-dir")
            .arg(self.dir.path().join("data"))
            .args(["health", "--mark", "--reboot", "--json", "--trial-file"])
            .arg(self.trial_file())
            .args(args)
            .output()
            .unwrap();
        let report = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "health printed no JSON ({e}): {}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            )
        });
        (out.status.success(), report)
    }
}

#[test]
fn an_update_that_never_becomes_healthy_is_marked_bad_and_the_next_boot_is_the_old_slot() {
    let kiosk = AbKiosk::new("ab-rollback");
    // The updater installs a signed bundle into the other slot; the handler names it on trial.
    kiosk.rauc(&["install", "guichet-2.0.raucb"]);
    assert_eq!(
        std::fs::read_to_string(kiosk.trial_file()).unwrap().trim(),
        "rootfs.1"
    );
    assert_eq!(
        kiosk.rauc(&["fake-boot"]),
        "B",
        "the new slot boots, on trial"
    );
    kiosk.forget_calls();

    // The new version starts but never renders a frame (no READY=1).
    kiosk.kiosk_ran(30, 1, false);
    let (ok, report) = kiosk.health(&["--wait-s", "2", "--interval-s", "1", "--trial-s", "1"]);
    assert!(!ok, "{report}");
    assert_eq!(report["verdict"], "waiting", "{report}");
    assert_eq!(report["on_trial"], true);
    assert_eq!(report["slot"]["name"], "rootfs.1");
    assert_eq!(report["action"], "marked_bad", "{report}");
    assert_eq!(
        kiosk.calls("rauc/calls"),
        ["status --output-format=json", "status mark-bad booted"]
    );
    assert_eq!(kiosk.calls("systemctl-calls"), ["reboot"]);
    assert!(!kiosk.trial_file().exists(), "the trial is over");

    // The bootloader skips the bad slot: the old version runs, and is confirmed as it is.
    assert_eq!(kiosk.rauc(&["fake-boot"]), "A");
    kiosk.forget_calls();
    let (_, report) = kiosk.health(&["--trial-s", "1"]);
    assert_eq!(report["action"], "confirmed", "{report}");
    assert_eq!(
        kiosk.calls("rauc/calls"),
        ["status --output-format=json", "status mark-good booted"]
    );
    assert_eq!(kiosk.rauc(&["fake-boot"]), "A", "and stays");
}

#[test]
fn an_update_that_restarts_on_trial_is_marked_bad_without_waiting_out_the_deadline() {
    let kiosk = AbKiosk::new("ab-restart");
    kiosk.rauc(&["install", "guichet-2.0.raucb"]);
    assert_eq!(kiosk.rauc(&["fake-boot"]), "B");
    kiosk.kiosk_ran(400, 2, true);
    let start = Instant::now();
    let (ok, report) = kiosk.health(&["--wait-s", "600", "--interval-s", "1"]);
    assert!(start.elapsed() < Duration::from_secs(60), "did not wait");
    assert!(!ok);
    assert_eq!(report["verdict"], "failed", "{report}");
    assert_eq!(report["action"], "marked_bad");
    assert_eq!(kiosk.rauc(&["fake-boot"]), "A");
}

#[test]
fn a_healthy_update_is_marked_good_and_boots_again() {
    let kiosk = AbKiosk::new("ab-good");
    kiosk.rauc(&["install", "guichet-2.0.raucb"]);
    assert_eq!(kiosk.rauc(&["fake-boot"]), "B");
    kiosk.forget_calls();
    // Started ten minutes ago, rendering, offline-only (the demo configuration queues).
    kiosk.kiosk_ran(600, 1, true);
    let (ok, report) = kiosk.health(&["--wait-s", "5", "--interval-s", "1"]);
    assert!(ok, "{report}");
    assert_eq!(report["verdict"], "healthy");
    assert_eq!(report["action"], "marked_good");
    assert_eq!(
        kiosk.calls("rauc/calls"),
        ["status --output-format=json", "status mark-good booted"]
    );
    assert!(kiosk.calls("systemctl-calls").is_empty(), "no reboot");
    assert!(!kiosk.trial_file().exists());
    assert_eq!(kiosk.rauc(&["fake-boot"]), "B", "the new version stays");
}

#[test]
fn a_power_cut_during_the_trial_boots_the_old_slot_and_an_established_slot_is_never_marked_bad() {
    let kiosk = AbKiosk::new("ab-power-cut");
    kiosk.rauc(&["install", "guichet-2.0.raucb"]);
    assert_eq!(kiosk.rauc(&["fake-boot"]), "B");
    // No health check ran (power cut, kernel hang, watchdog reset): B is not booted again.
    assert_eq!(kiosk.rauc(&["fake-boot"]), "A");
    kiosk.forget_calls();
    // On the old slot the kiosk is unhealthy for its own reasons (it restarted): still confirmed,
    // never marked bad, no reboot.
    kiosk.kiosk_ran(600, 3, false);
    let (ok, report) = kiosk.health(&["--wait-s", "2", "--interval-s", "1"]);
    assert!(ok, "confirming the slot is the unit's success: {report}");
    assert_ne!(report["verdict"], "healthy", "{report}");
    assert_eq!(report["on_trial"], false);
    assert_eq!(report["action"], "confirmed", "{report}");
    assert_eq!(
        kiosk.calls("rauc/calls"),
        ["status --output-format=json", "status mark-good booted"]
    );
    assert!(kiosk.calls("systemctl-calls").is_empty());
}

// ---------------------------------------------------------------------------------------------
// The image: partition layout, RAUC's configuration, signed bundles, the root file system.

const REPART_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/kiosk-image/image/repart.d");
const KIOSK_IMAGE_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/kiosk-image");
const SYSTEM_CONF: &str = include_str!("../kiosk-image/rauc/system.conf");
const GRUB_CFG: &str = include_str!("../kiosk-image/image/grub.cfg");
const FSTAB: &str = include_str!("../kiosk-image/image/fstab");
const CUSTOMIZE: &str = include_str!("../kiosk-image/image/customize");
const HEALTH_UNIT: &str = include_str!("../kiosk-image/image/guichet-health.service");
const TOUCH_RULE_UNIT: &str = include_str!("../kiosk-image/image/guichet-touch-rule.service");
const CREDENTIAL_DROP_IN: &str = include_str!("../kiosk-image/data-key-credential.conf");
const SETUP_UNIT: &str = include_str!("../kiosk-image/image/guichet-setup.service");
const SETUP_SCRIPT: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/kiosk-image/image/guichet-setup"
);
const SEAL_UNIT: &str = include_str!("../kiosk-image/image/guichet-seal-data-key.service");
const JOURNALD: &str = include_str!("../kiosk-image/image/journald.conf.d/guichet.conf");

/// `[section]` / `key=value` lines: (section, key, value), comments and blanks skipped.
fn ini(text: &str) -> Vec<(String, String, String)> {
    let mut section = String::new();
    let mut out = Vec::new();
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            section = name.to_string();
        } else if let Some((k, v)) = line.split_once('=') {
            out.push((section.clone(), k.trim().to_string(), v.trim().to_string()));
        }
    }
    out
}

fn ini_get<'a>(
    entries: &'a [(String, String, String)],
    section: &str,
    key: &str,
) -> Option<&'a str> {
    entries
        .iter()
        .find(|(s, k, _)| s == section && k == key)
        .map(|(_, _, v)| v.as_str())
}

/// The repart.d definitions in order: (label, type, min bytes, max bytes).
fn partition_definitions() -> Vec<(String, String, String, Option<String>)> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(REPART_DIR)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "conf"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|f| {
            let entries = ini(&std::fs::read_to_string(f).unwrap());
            let get = |k| ini_get(&entries, "Partition", k).map(String::from);
            (
                get("Label").expect("Label="),
                get("Type").expect("Type="),
                get("SizeMinBytes").expect("SizeMinBytes="),
                get("SizeMaxBytes"),
            )
        })
        .collect()
}

/// fstab: (what, where, type, options).
fn fstab() -> Vec<(String, String, String, String)> {
    FSTAB
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            assert_eq!(f.len(), 6, "fstab line: {l}");
            (f[0].into(), f[1].into(), f[2].into(), f[3].into())
        })
        .collect()
}

#[test]
fn the_disk_layout_has_an_esp_two_equal_root_slots_and_a_data_partition_that_rauc_and_grub_agree_on()
 {
    let parts = partition_definitions();
    let labels: Vec<&str> = parts.iter().map(|p| p.0.as_str()).collect();
    assert_eq!(labels, ["esp", "root-a", "root-b", "data"]);
    assert_eq!(parts[0].1, "esp");
    let (a, b) = (&parts[1], &parts[2]);
    assert_eq!((&a.2, &a.3), (&b.2, &b.3), "both slots hold the same image");
    assert_eq!(a.3.as_ref(), Some(&a.2), "a slot has a fixed size");
    assert!(parts[3].3.is_none(), "the data partition takes the rest");

    // systemd-repart lays it out in a plain (sparse) file, as build-image does.
    if which("systemd-repart").is_some() {
        let dir = TestDir::new("repart");
        let disk = dir.path().join("disk.raw");
        let out = Command::new("systemd-repart")
            .args([
                "--empty=create",
                "--size=12G",
                "--dry-run=no",
                "--json=short",
            ])
            .arg(format!("--definitions={REPART_DIR}"))
            .arg(&disk)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "systemd-repart: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let layout: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let layout = layout.as_array().unwrap();
        let got: Vec<&str> = layout
            .iter()
            .map(|p| p["label"].as_str().unwrap())
            .collect();
        assert_eq!(got, labels);
        let size = |i: usize| layout[i]["raw_size"].as_u64().unwrap();
        assert_eq!(size(1), size(2));
        assert_eq!(size(1), 3 << 30);
        assert!(size(3) >= 2 << 30, "data: {}", size(3));
        let offsets: Vec<u64> = layout
            .iter()
            .map(|p| p["offset"].as_u64().unwrap())
            .collect();
        assert!(offsets.windows(2).all(|w| w[0] < w[1]));
    } else {
        eprintln!("systemd-repart not installed: layout checked from the definitions only");
    }

    // GRUB finds the slots by position: partition N+1 of the disk for the Nth definition.
    for (i, label) in labels
        .iter()
        .enumerate()
        .filter(|(_, l)| l.starts_with("root-"))
    {
        let wanted = format!("label={label}; part=gpt{}", i + 1);
        assert!(GRUB_CFG.contains(&wanted), "grub.cfg lacks `{wanted}`");
    }

    // RAUC's slots are those partitions, with the bootnames GRUB uses.
    let conf = ini(SYSTEM_CONF);
    for (slot, label, bootname) in [
        ("slot.rootfs.0", "root-a", Some("A")),
        ("slot.rootfs.1", "root-b", Some("B")),
        ("slot.efi.0", "esp", None),
    ] {
        assert_eq!(
            ini_get(&conf, slot, "device"),
            Some(format!("/dev/disk/by-partlabel/{label}").as_str()),
            "{slot}"
        );
        assert_eq!(ini_get(&conf, slot, "bootname"), bootname, "{slot}");
        assert!(labels.contains(&label));
        if let Some(name) = bootname {
            assert!(GRUB_CFG.contains(&format!("\"$slot\" = \"{name}\"")));
        }
    }
    assert_eq!(ini_get(&conf, "slot.efi.0", "readonly"), Some("true"));
    assert_eq!(ini_get(&conf, "system", "bootloader"), Some("grub"));
    assert_eq!(ini_get(&conf, "system", "bundle-formats"), Some("-plain"));
    // The grubenv RAUC writes is the one GRUB reads: the ESP is mounted at /boot/efi.
    let mounts = fstab();
    let esp_mount = mounts
        .iter()
        .find(|m| m.0 == "PARTLABEL=esp")
        .map(|m| m.1.clone())
        .unwrap();
    assert_eq!(
        ini_get(&conf, "system", "grubenv"),
        Some(format!("{esp_mount}/EFI/BOOT/grubenv").as_str())
    );
    assert!(GRUB_CFG.contains("load_env --file /EFI/BOOT/grubenv"));
    assert!(GRUB_CFG.contains("save_env --file /EFI/BOOT/grubenv A_TRY B_TRY"));
    // The handler is installed where system.conf names it; the keyring path is the one documented.
    let handler = ini_get(&conf, "handlers", "post-install").unwrap();
    assert!(
        CUSTOMIZE.contains(&format!("rauc/post-install\" {handler}")),
        "{handler}"
    );
    assert_eq!(
        ini_get(&conf, "keyring", "path"),
        Some("/etc/rauc/keyring.pem")
    );

    // Read-only root: what must persist is on the data partition, bind-mounted.
    assert!(
        mounts.iter().all(|m| m.1 != "/"),
        "the root stays as GRUB mounted it (ro)"
    );
    assert!(GRUB_CFG.contains("root=PARTLABEL=$label ro "));
    let data_mount = mounts
        .iter()
        .find(|m| m.0 == "PARTLABEL=data")
        .map(|m| m.1.clone())
        .unwrap();
    let statusfile = ini_get(&conf, "system", "statusfile").unwrap();
    for persistent in [
        "/var/lib/guichet",
        "/etc/guichet",
        "/var/lib/guichet-update",
        "/var/lib/guichet-credstore",
        "/var/lib/chrony",
        Path::new(statusfile).parent().unwrap().to_str().unwrap(),
    ] {
        let m = mounts
            .iter()
            .find(|m| m.1 == persistent)
            .unwrap_or_else(|| panic!("{persistent} is not mounted from the data partition"));
        assert!(
            m.0.starts_with(&format!("{data_mount}/")) && m.3.contains("bind"),
            "{m:?}"
        );
    }
    // The paths the code and the units use are those.
    let trial_dir = Path::new("/var/lib/guichet-update/trial").parent().unwrap();
    assert!(mounts.iter().any(|m| Path::new(&m.1) == trial_dir));
    assert!(HEALTH_UNIT.contains("--data-dir /var/lib/guichet health --mark --reboot"));
    assert!(CREDENTIAL_DROP_IN.contains(
        "LoadCredentialEncrypted=guichet-data-key:/var/lib/guichet-credstore/guichet-data-key.cred"
    ));
    assert!(JOURNALD.contains("Storage=volatile") && JOURNALD.contains("RuntimeMaxUse="));
}

#[test]
fn the_health_unit_and_the_sealed_key_drop_in_pass_systemd_analyze() {
    let Some(analyze) = which("systemd-analyze") else {
        eprintln!("SKIPPED: systemd-analyze is not installed (apt-get install systemd)");
        return;
    };
    if which("cage").is_none() {
        eprintln!(
            "SKIPPED: cage is not installed, so the kiosk unit's ExecStart= cannot be verified"
        );
        return;
    }
    let dir = TestDir::new("image-units");
    let binary = env!("CARGO_BIN_EXE_guichet");
    let health = dir.path().join("guichet-health.service");
    std::fs::write(&health, HEALTH_UNIT.replace("/usr/bin/guichet", binary)).unwrap();
    let touch = dir.path().join("guichet-touch-rule.service");
    std::fs::write(&touch, TOUCH_RULE_UNIT.replace("/usr/bin/guichet", binary)).unwrap();
    let setup = dir.path().join("guichet-setup.service");
    std::fs::write(
        &setup,
        SETUP_UNIT.replace("/usr/lib/guichet/guichet-setup", SETUP_SCRIPT),
    )
    .unwrap();
    let seal = dir.path().join("guichet-seal-data-key.service");
    std::fs::write(
        &seal,
        SEAL_UNIT.replace(
            "/usr/lib/guichet/seal-data-key",
            &format!("{KIOSK_IMAGE_DIR}/seal-data-key"),
        ),
    )
    .unwrap();
    let kiosk = dir.path().join("guichet-kiosk.service");
    std::fs::write(&kiosk, UNIT.replace(INSTALLED_BINARY, binary)).unwrap();
    let drop_ins = dir.path().join("guichet-kiosk.service.d");
    std::fs::create_dir(&drop_ins).unwrap();
    std::fs::write(
        drop_ins.join("30-data-key-credential.conf"),
        CREDENTIAL_DROP_IN,
    )
    .unwrap();
    // Where no sealed key exists, systemd falls back to SetCredential= instead of failing the
    // unit; Guichet takes that value as "no credential" (tests/privacy.rs).
    let credential = ini(CREDENTIAL_DROP_IN);
    assert!(credential.contains(&(
        "Service".into(),
        "SetCredential".into(),
        format!(
            "{}:{}",
            guichet::privacy::CREDENTIAL_NAME,
            guichet::privacy::NOT_SEALED
        )
    )));
    assert!(ini(SEAL_UNIT).contains(&("Unit".into(), "ConditionSecurity".into(), "tpm2".into())));
    for unit in [&health, &touch, &setup, &seal, &kiosk] {
        let out = Command::new(&analyze)
            .arg("verify")
            .arg(unit)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        // rauc.service exists only where RAUC is installed.
        let problems: Vec<&str> = stderr
            .lines()
            .filter(|l| !l.contains("rauc.service"))
            .collect();
        assert!(
            out.status.success() && problems.is_empty(),
            "{}: {stderr}",
            unit.display()
        );
    }
    // The drop-in is read: a typo in it is reported.
    std::fs::write(
        drop_ins.join("30-data-key-credential.conf"),
        "[Service]\nLoadCredentialEncrypted=\nNoSuchSetting=1\n",
    )
    .unwrap();
    let out = Command::new(&analyze)
        .arg("verify")
        .arg(&kiosk)
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("NoSuchSetting"));
}

/// The image's on-site setup (`image/guichet-setup`, run at boot by guichet-setup.service) on real
/// folders with the real binary: a checked configuration is taken from the ESP's folder and the
/// folder deleted; a bad one is refused, the old configuration kept, the folder deleted all the
/// same (the API key must not stay on FAT), and why is written where the technician's laptop
/// sees it. The boot itself: `vm-test --scenario setup`.
#[test]
fn the_on_site_setup_takes_a_checked_configuration_from_the_esp_and_refuses_a_bad_one() {
    let dir = TestDir::new("on-site-setup");
    let esp = dir.path().join("esp");
    let folder = esp.join("guichet-setup");
    let etc = dir.path().join("etc-guichet");
    let stage = dir.path().join("run");
    for d in [&etc, &stage] {
        std::fs::create_dir_all(d).unwrap();
    }
    let config = |code: &str| {
        format!(
            "[device]\ncode = \"{code}\"\nsite = \"Library\"\n[central]\nkind = \"none\"\n[printer]\nport = \"none\"\n"
        )
    };
    std::fs::write(etc.join("kiosk.toml"), config("OLD1")).unwrap();
    std::fs::write(etc.join("api-key"), "old-key\n").unwrap();
    let group = Command::new("id").arg("-gn").output().unwrap();
    let group = String::from_utf8_lossy(&group.stdout).trim().to_string();
    let run = || {
        Command::new(SETUP_SCRIPT)
            .env("GUICHET_SETUP_DIR", &folder)
            .env("GUICHET_ETC_DIR", &etc)
            .env("GUICHET_DATA_DIR", dir.path().join("data"))
            .env("GUICHET_BIN", env!("CARGO_BIN_EXE_guichet"))
            .env("GUICHET_GROUP", &group)
            .env("GUICHET_SETUP_STAGE", &stage)
            .env_remove("GUICHET_CONFIG")
            .output()
            .unwrap()
    };
    let result = || std::fs::read_to_string(esp.join("guichet-setup-result.txt")).unwrap();
    let put = |files: &[(&str, &str)]| {
        std::fs::create_dir_all(&folder).unwrap();
        for (name, text) in files {
            std::fs::write(folder.join(name), text).unwrap();
        }
    };

    // Written on a laptop: FAT keeps the case a Windows user typed; an extra file is ignored.
    put(&[
        ("kiosk.toml", &config("SET1")),
        ("API-KEY", "s3cret-key-from-site\n"),
        ("notes.txt", "ring Bob"),
    ]);
    let out = run();
    let said = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "{said}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(etc.join("kiosk.toml")).unwrap(),
        config("SET1")
    );
    assert_eq!(
        std::fs::read_to_string(etc.join("api-key")).unwrap(),
        "s3cret-key-from-site\n"
    );
    for f in ["kiosk.toml", "api-key"] {
        let mode = std::fs::metadata(etc.join(f)).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o640, "{f}");
    }
    assert!(!folder.exists(), "the folder leaves the ESP");
    let taken = result();
    assert!(
        taken.contains("taken: ") && taken.contains("kiosk.toml") && taken.contains("api-key"),
        "{taken}"
    );
    assert!(
        said.contains("ignored (not a setup file): notes.txt"),
        "{said}"
    );
    assert!(
        !said.contains("s3cret") && !result().contains("s3cret"),
        "never the key: {said}"
    );
    assert_eq!(
        std::fs::read_dir(&stage).unwrap().count(),
        0,
        "nothing left in /run"
    );

    // A configuration that does not load: refused, the old one kept (its key too), the folder
    // deleted all the same, and the reason on the ESP.
    put(&[("kiosk.toml", &config("x")), ("api-key", "other-key\n")]);
    let out = run();
    let said = String::from_utf8_lossy(&out.stdout).to_string();
    assert_eq!(out.status.code(), Some(1), "{said}");
    assert_eq!(
        std::fs::read_to_string(etc.join("kiosk.toml")).unwrap(),
        config("SET1")
    );
    assert_eq!(
        std::fs::read_to_string(etc.join("api-key")).unwrap(),
        "s3cret-key-from-site\n"
    );
    assert!(!folder.exists());
    let refused = result();
    assert!(
        refused.contains("refused: kiosk.toml:")
            && refused.contains("device.code")
            && refused.contains("unchanged"),
        "{refused}"
    );
    assert_eq!(refused.lines().count(), 1, "{refused}");

    // A good configuration with a catalogue that does not read, or one in a language the
    // configuration does not offer: refused before anything is installed (each catalogue is
    // checked first: `catalog import --check`), the old configuration kept.
    put(&[
        ("kiosk.toml", &config("CAT1")),
        ("catalog.json", "{\"services\": 3}"),
    ]);
    let out = run();
    assert_eq!(out.status.code(), Some(1), "{}", result());
    let refused = result();
    assert!(
        refused.contains("refused: catalog.json:")
            && refused.contains("expected a JSON array of services")
            && refused.contains("unchanged"),
        "{refused}"
    );
    put(&[
        ("kiosk.toml", &config("CAT1")),
        (
            "catalog-de.json",
            r#"[{"service_code":"A","service_name":"Bank"}]"#,
        ),
    ]);
    assert_eq!(run().status.code(), Some(1), "{}", result());
    assert!(
        result().contains("refused: catalog-de.json: --locale \"de\" is not one of"),
        "{}",
        result()
    );
    assert_eq!(
        std::fs::read_to_string(etc.join("kiosk.toml")).unwrap(),
        config("SET1")
    );
    assert!(!dir.path().join("data").exists(), "a check stores nothing");

    // An API key that is not one line, or a file over its bound: refused the same way.
    put(&[("api-key", "line one\nline two\n")]);
    assert_eq!(run().status.code(), Some(1));
    assert!(result().contains("api-key is not one line"), "{}", result());
    put(&[("kiosk.toml", &"#".repeat(70_000))]);
    assert_eq!(run().status.code(), Some(1));
    assert!(
        result().contains("kiosk.toml is 70000 bytes"),
        "{}",
        result()
    );
    assert_eq!(
        std::fs::read_to_string(etc.join("kiosk.toml")).unwrap(),
        config("SET1")
    );
    assert!(!folder.exists());
}

/// A throw-away signing CA and a signer it certified (openssl), as a council would have.
fn signing_ca(dir: &Path, name: &str) -> (PathBuf, PathBuf, PathBuf) {
    let ca_key = dir.join(format!("{name}-ca.key"));
    let ca = dir.join(format!("{name}-ca.pem"));
    let key = dir.join(format!("{name}-signer.key"));
    let csr = dir.join(format!("{name}-signer.csr"));
    let cert = dir.join(format!("{name}-signer.pem"));
    let ext = dir.join(format!("{name}.ext"));
    std::fs::write(
        &ext,
        "basicConstraints=CA:false\nkeyUsage=critical,digitalSignature\n",
    )
    .unwrap();
    let openssl = |args: &[&str]| {
        let out = Command::new("openssl").args(args).output().unwrap();
        assert!(
            out.status.success(),
            "openssl {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    let s = |p: &Path| p.to_str().unwrap().to_string();
    openssl(&[
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-keyout",
        &s(&ca_key),
        "-out",
        &s(&ca),
        "-subj",
        &format!("/CN={name} update CA"),
        "-days",
        "30",
        "-addext",
        "basicConstraints=critical,CA:true",
        "-addext",
        "keyUsage=critical,keyCertSign",
    ]);
    openssl(&[
        "req",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-keyout",
        &s(&key),
        "-out",
        &s(&csr),
        "-subj",
        &format!("/CN={name} signer"),
    ]);
    openssl(&[
        "x509",
        "-req",
        "-in",
        &s(&csr),
        "-CA",
        &s(&ca),
        "-CAkey",
        &s(&ca_key),
        "-CAcreateserial",
        "-out",
        &s(&cert),
        "-days",
        "30",
        "-extfile",
        &s(&ext),
    ]);
    (ca, cert, key)
}

#[test]
fn make_bundle_signs_a_verity_bundle_that_only_the_kiosks_keyring_accepts() {
    if which("rauc").is_none() || which("mksquashfs").is_none() || which("openssl").is_none() {
        eprintln!(
            "SKIPPED: rauc, squashfs-tools or openssl is not installed (CI installs them: see .ci/run)"
        );
        return;
    }
    let dir = TestDir::new("bundle");
    let (ca, cert, key) = signing_ca(dir.path(), "council");
    let (other_ca, _, _) = signing_ca(dir.path(), "stranger");
    // A stand-in root image (RAUC copies it as it is; squashfs needs more than a block).
    let root = dir.path().join("root.ext4");
    let mut bytes = vec![0u8; 256 * 1024];
    for (i, b) in bytes.iter_mut().enumerate() {
        *b = (i.wrapping_mul(2_654_435_761) >> 13) as u8;
    }
    std::fs::write(&root, bytes).unwrap();
    let bundle = dir.path().join("guichet-9.9.9-amd64.raucb");
    let out = Command::new(format!("{KIOSK_IMAGE_DIR}/make-bundle"))
        .args(["--version", "9.9.9", "--arch", "amd64", "--root"])
        .arg(&root)
        .arg("--cert")
        .arg(&cert)
        .arg("--key")
        .arg(&key)
        .arg("--keyring")
        .arg(&ca)
        .arg("--out")
        .arg(&bundle)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "make-bundle: {}",
        String::from_utf8_lossy(&out.stderr)
    );

    // The kiosk's own system.conf (with the test CA as its keyring) accepts it.
    let conf = dir.path().join("system.conf");
    std::fs::write(
        &conf,
        SYSTEM_CONF.replace("@ARCH@", "amd64").replace(
            "path=/etc/rauc/keyring.pem",
            &format!("path={}", ca.display()),
        ),
    )
    .unwrap();
    let info = Command::new("rauc")
        .arg(format!("--conf={}", conf.display()))
        .arg("info")
        .arg(&bundle)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&info.stdout);
    assert!(
        info.status.success(),
        "rauc info: {}",
        String::from_utf8_lossy(&info.stderr)
    );
    assert!(text.contains("'guichet-kiosk-amd64'"), "{text}");
    assert!(
        text.contains("'9.9.9'") && text.contains("verity"),
        "{text}"
    );
    // Signed by someone the keyring does not trust: refused.
    let refused = Command::new("rauc")
        .arg(format!("--keyring={}", other_ca.display()))
        .arg("info")
        .arg(&bundle)
        .output()
        .unwrap();
    assert!(
        !refused.status.success(),
        "a stranger's keyring accepted the bundle"
    );
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("signature verification failed"),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
}

/// Whether the Debian mirror answers (the root file system is built from it).
fn mirror_reachable(mirror: &str) -> bool {
    use std::net::ToSocketAddrs;
    let host = mirror
        .split("://")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .unwrap_or("deb.debian.org");
    let with_port = if host.contains(':') {
        host.to_string()
    } else {
        format!("{host}:80")
    };
    let Ok(addrs) = with_port.to_socket_addrs() else {
        return false;
    };
    addrs
        .take(4)
        .any(|a| std::net::TcpStream::connect_timeout(&a, Duration::from_secs(10)).is_ok())
}

/// Why mmdebstrap could not set up its chroot here, if it could not: as root it mounts /proc
/// and /dev inside the new root (a container without CAP_SYS_ADMIN refuses); otherwise it works
/// in a user namespace (a kernel or container that forbids them refuses). Asked of the kernel
/// with `unshare`, the same calls mmdebstrap makes.
fn cannot_mount_a_chroot() -> Option<String> {
    // SAFETY: geteuid has no preconditions.
    let root = unsafe { libc::geteuid() } == 0;
    let args: &[&str] = if root {
        &["--mount", "--fork", "true"]
    } else {
        &["--user", "--map-root-user", "--mount", "--fork", "true"]
    };
    match Command::new("unshare").args(args).output() {
        Ok(out) if out.status.success() => None,
        Ok(out) => Some(format!(
            "`unshare {}` is refused ({})",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        )),
        Err(e) => Some(format!("unshare cannot run ({e})")),
    }
}

/// The Guichet package of this build (packaging/build-deb, as tests/packaging.rs builds it), built
/// once per run: the image tests run in parallel and build-deb rewrites the same file.
fn build_deb() -> PathBuf {
    static DEB: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    DEB.get_or_init(build_deb_now).clone()
}

fn build_deb_now() -> PathBuf {
    run_build_deb(&[])
}

/// Runs `packaging/build-deb --profile dev --fast EXTRA…` and returns the package it made (the
/// last line it prints).
fn run_build_deb(extra: &[&str]) -> PathBuf {
    let root = env!("CARGO_MANIFEST_DIR");
    let out = Command::new(format!("{root}/packaging/build-deb"))
        .args(["--profile", "dev", "--fast"])
        .args(extra)
        .current_dir(root)
        .output()
        .expect("packaging/build-deb");
    assert!(
        out.status.success(),
        "build-deb {extra:?} (needs cargo-deb, see .ci/run): {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let path = PathBuf::from(
        String::from_utf8_lossy(&out.stdout)
            .trim()
            .lines()
            .last()
            .unwrap_or(""),
    );
    assert!(path.is_file(), "build-deb printed {path:?}");
    path
}

/// The one slow test of this area (a few minutes, Debian's mirror): `build-image --rootfs-only`
/// builds the kiosk's root file system from Debian packages with the Guichet package installed
/// and the image's lock-down applied. As root it is a folder; otherwise a tarball (mmdebstrap in
/// a user namespace), whose files are checked after extraction.
#[test]
fn the_image_root_file_system_builds_from_debian_packages_with_guichet_installed() {
    let mirror = std::env::var("GUICHET_IMAGE_MIRROR")
        .unwrap_or_else(|_| "http://deb.debian.org/debian".into());
    if !mirror_reachable(&mirror) {
        eprintln!(
            "SKIPPED: the Debian mirror {mirror} cannot be reached from here, so the image's root \
             file system cannot be built (set GUICHET_IMAGE_MIRROR to a reachable mirror)"
        );
        return;
    }
    assert!(
        which("mmdebstrap").is_some(),
        "mmdebstrap is needed to build the image: apt-get install mmdebstrap (as .ci/run does)"
    );
    if let Some(why) = cannot_mount_a_chroot() {
        eprintln!(
            "SKIPPED: {why}, so mmdebstrap cannot build a root file system on this machine (it \
             needs root with mount rights, or unprivileged user namespaces)"
        );
        return;
    }
    let deb = build_deb();
    let dir = TestDir::new("rootfs");
    let out_dir = dir.path().join("image");
    let out = Command::new(format!("{KIOSK_IMAGE_DIR}/build-image"))
        .arg("--rootfs-only")
        .arg("--deb")
        .arg(&deb)
        .arg("--out")
        .arg(&out_dir)
        .arg("--mirror")
        .arg(&mirror)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "build-image --rootfs-only failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let root = if out_dir.join("rootfs").is_dir() {
        out_dir.join("rootfs")
    } else {
        let tar = out_dir.join("rootfs.tar");
        assert!(
            tar.is_file(),
            "neither rootfs/ nor rootfs.tar in {}",
            out_dir.display()
        );
        let x = dir.path().join("extracted");
        std::fs::create_dir_all(&x).unwrap();
        let status = Command::new("tar")
            .args(["--no-same-owner", "--no-same-permissions", "-xf"])
            .arg(&tar)
            .arg("-C")
            .arg(&x)
            .args([
                "./etc",
                "./usr/bin/guichet",
                "./usr/lib/guichet",
                "./var/lib/dpkg/status",
            ])
            .status()
            .unwrap();
        assert!(status.success(), "tar -xf {}", tar.display());
        x
    };
    let read = |p: &str| {
        std::fs::read_to_string(root.join(p)).unwrap_or_else(|e| panic!("/{p} in the image: {e}"))
    };
    let link = |p: &str| {
        std::fs::read_link(root.join(p))
            .unwrap_or_else(|e| panic!("/{p} in the image is not a link: {e}"))
            .display()
            .to_string()
    };

    // Guichet, from the package, runs.
    let version = Command::new(root.join("usr/bin/guichet"))
        .arg("--version")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&version.stdout).contains(env!("CARGO_PKG_VERSION")));
    let status = read("var/lib/dpkg/status");
    let installed = |package: &str| {
        status.split("\n\n").any(|stanza| {
            stanza.lines().any(|l| l == format!("Package: {package}"))
                && stanza.lines().any(|l| l == "Status: install ok installed")
        })
    };
    let arch = String::from_utf8(
        Command::new("dpkg")
            .arg("--print-architecture")
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    for package in [
        "guichet",
        "cage",
        "fonts-noto-core",
        "ca-certificates",
        "rauc",
        "nftables",
        "chrony",
        "systemd-resolved",
        "espeak-ng",
        "alsa-utils",
        &format!("linux-image-{}", arch.trim()),
    ] {
        assert!(
            installed(package),
            "{package} is not installed in the image"
        );
    }
    assert!(
        read("etc/passwd")
            .lines()
            .any(|l| l.starts_with("guichet:"))
    );

    // The lock-down.
    assert_eq!(read("etc/fstab"), FSTAB);
    assert!(
        read("etc/rauc/system.conf").contains(&format!("compatible=guichet-kiosk-{}", arch.trim()))
    );
    assert!(root.join("usr/lib/guichet/rauc-post-install").is_file());
    assert_eq!(
        read("etc/nftables.conf"),
        include_str!("../kiosk-image/nftables.conf")
    );
    assert!(
        read("etc/modprobe.d/guichet-no-usb-storage.conf")
            .contains("install usb-storage /bin/false")
    );
    assert_eq!(read("etc/systemd/journald.conf.d/guichet.conf"), JOURNALD);
    assert!(read("etc/systemd/logind.conf.d/guichet.conf").contains("NAutoVTs=0"));
    for enabled in [
        "graphical.target.wants/guichet-kiosk.service",
        "multi-user.target.wants/guichet-health.service",
        "guichet-kiosk.service.wants/guichet-touch-rule.service",
        "sysinit.target.wants/nftables.service",
        "multi-user.target.wants/chrony.service",
    ] {
        assert!(
            root.join("etc/systemd/system")
                .join(enabled)
                .symlink_metadata()
                .is_ok(),
            "{enabled} is not enabled"
        );
    }
    assert!(link("etc/systemd/system/default.target").ends_with("graphical.target"));
    for masked in [
        "getty@.service",
        "ctrl-alt-del.target",
        "debug-shell.service",
    ] {
        assert_eq!(
            link(&format!("etc/systemd/system/{masked}")),
            "/dev/null",
            "{masked}"
        );
    }
    assert_eq!(
        link("etc/resolv.conf"),
        "../run/systemd/resolve/stub-resolv.conf"
    );
    assert_eq!(
        read("etc/machine-id"),
        "",
        "no identity shared by a batch of kiosks"
    );
}

#[test]
fn an_unhealthy_update_with_no_good_slot_to_go_back_to_is_kept_rather_than_left_unbootable() {
    let kiosk = AbKiosk::new("ab-no-fallback");
    kiosk.rauc(&["install", "guichet-2.0.raucb"]);
    assert_eq!(kiosk.rauc(&["fake-boot"]), "B");
    // The old slot is not bootable either (say, marked bad by an earlier trial's mistake).
    let env = kiosk.dir.path().join("rauc/grubenv");
    let text = std::fs::read_to_string(&env).unwrap();
    std::fs::write(&env, text.replace("A_OK=1", "A_OK=0")).unwrap();
    kiosk.forget_calls();
    kiosk.kiosk_ran(30, 1, false);
    let (ok, report) = kiosk.health(&["--wait-s", "1", "--interval-s", "1"]);
    assert!(!ok);
    assert_eq!(report["action"], "kept_no_fallback", "{report}");
    assert_eq!(
        kiosk.calls("rauc/calls"),
        ["status --output-format=json", "status mark-good booted"]
    );
    assert!(
        kiosk.calls("systemctl-calls").is_empty(),
        "no reboot into nothing"
    );
    assert_eq!(kiosk.rauc(&["fake-boot"]), "B");
}

/// The out-of-order unit's own `ExecStart=` under cage's headless backend, with `ui.rotation =
/// 90`: `guichet launch out-of-order` becomes cage (same pid) with one `-r`, so the 1280×720
/// output is turned to 720×1280, and the service screen fills it with its text.
#[test]
fn the_out_of_order_screen_runs_under_cage_turned_as_ui_rotation_says() {
    if which("cage").is_none() || which("grim").is_none() {
        eprintln!("SKIPPED: cage and grim are needed (apt-get install cage grim, as .ci/run does)");
        return;
    }
    let unit = parse_unit(include_str!("../kiosk-image/guichet-out-of-order.service"));
    let dir = TestDir::new("out-of-order-cage");
    let root = dir.path();
    // systemd's notify socket, listened to by this test (the app's MAINPID=), with the
    // service's root and config.
    let site = CageSite::new(
        root,
        &unit,
        "[device]\ncode = \"IMG\"\nhelp_contact = \"0800 555 0100\"\n[ui]\nlanguages = [\"en\", \"ar\"]\nrotation = 90\n",
    );
    let CageSite {
        binary,
        runtime_root,
        runtime_dir,
        home,
        notify,
        log: log_path,
        ..
    } = &site;
    assert_eq!(unit.kill_mode, "mixed", "systemd sends cage no SIGTERM");
    assert!(
        !unit.exec_stop.is_empty(),
        "stopped through its app, as the kiosk"
    );
    let mut cage: Child = cage_command(&site, &unit, &[], false).spawn().unwrap();
    let cage_pid = cage.id() as i32;
    let _guard = GroupGuard(cage_pid);
    let shot = home.join("screen.png");
    let take = || {
        let mut grim = Command::new(as_user().first().map_or("grim", |s| s.as_str()));
        if is_root() {
            grim.args(&as_user()[1..]).arg("grim");
        }
        grim.arg(&shot)
            .env_clear()
            .env("PATH", "/usr/bin:/bin")
            .env("XDG_RUNTIME_DIR", runtime_dir)
            .env("WAYLAND_DISPLAY", "wayland-0")
            .output()
            .is_ok_and(|o| o.status.success())
    };
    // The screen is up once its text is drawn (light pixels on the dark background).
    let drawn = || {
        take()
            && image::open(&shot).is_ok_and(|p| {
                p.to_rgb8()
                    .pixels()
                    .filter(|px| px.0[0] > 200 && px.0[1] > 200)
                    .count()
                    > 1_000
            })
    };
    assert!(
        wait_for(Duration::from_secs(60), drawn),
        "the out-of-order screen never showed; log:\n{}",
        read_log(log_path)
    );
    let picture = image::open(&shot).unwrap().to_rgb8();
    assert_eq!(
        picture.dimensions(),
        (720, 1280),
        "cage's 1280×720 output turned a quarter: {}",
        read_log(log_path)
    );
    assert!(
        matches!(cage.try_wait(), Ok(None)),
        "still showing: the screen stays until systemd stops it"
    );
    // The app, cage's only child, declared itself the main process.
    let kids = children(cage_pid);
    assert_eq!(kids.len(), 1, "cage's children: {kids:?}");
    let app_pid = kids[0];
    let declared = notify
        .messages("MAINPID=")
        .iter()
        .any(|(_, m)| m.lines().any(|l| l == format!("MAINPID={app_pid}")));
    assert!(
        declared,
        "no MAINPID={app_pid} from the out-of-order screen"
    );
    // Stopped as systemd does: the unit's ExecStop= with MAINPID= the app. It returns once the
    // app and cage have left, within TimeoutStopSec; cage leaves on its own (not by a signal),
    // and the app logged its clean stop.
    let mut stop_argv = as_user();
    stop_argv.extend(substitute(&unit.exec_stop, binary, runtime_root));
    let mut stopper = Command::new(&stop_argv[0])
        .args(&stop_argv[1..])
        .env_clear()
        .env("PATH", "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin")
        .env("MAINPID", app_pid.to_string())
        .stdin(Stdio::null())
        .spawn()
        .unwrap();
    let mut cage_status = None;
    let stopped = wait_for(unit.timeout_stop, || {
        if cage_status.is_none() {
            cage_status = cage.try_wait().unwrap();
        }
        cage_status.is_some() && matches!(stopper.try_wait(), Ok(Some(_)))
    });
    let _ = stopper.kill();
    let stop_status = stopper.wait().unwrap();
    notify.close();
    let log = read_log(log_path);
    assert!(stopped, "not stopped within TimeoutStopSec; log:\n{log}");
    assert!(stop_status.success(), "ExecStop= failed: {stop_status:?}");
    assert!(
        cage_status.is_some_and(|s| s.code().is_some()) && !log.contains("Assertion"),
        "cage did not leave on its own ({cage_status:?}); log:\n{log}"
    );
    assert!(
        log.contains("signal 15: finishing current work, then stopping"),
        "the out-of-order screen did not log its clean stop; log:\n{log}"
    );
}

// ---------------------------------------------------------------------------------------------
// The disk image in a virtual machine.

/// Held while a disk image is built and booted: the amd64 and arm64 machines would otherwise
/// share the cores and each take twice as long (under QEMU's emulator, beyond their time limits).
static VIRTUAL_MACHINE: Mutex<()> = Mutex::new(());

/// Why the disk image cannot be booted in a virtual machine here, if it cannot.
fn cannot_boot_a_vm(building: bool) -> Option<String> {
    if std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/kvm")
        .is_err()
    {
        return Some("/dev/kvm is missing or not usable by this user".into());
    }
    if which("qemu-system-x86_64").is_none() {
        return Some("qemu-system-x86_64 is missing (apt-get install qemu-system-x86)".into());
    }
    if !Path::new("/usr/share/OVMF/OVMF_CODE_4M.fd").is_file() {
        return Some("the OVMF UEFI firmware is missing (apt-get install ovmf)".into());
    }
    for tool in ["debugfs", "mcopy", "python3", "systemd-repart"] {
        if which(tool).is_none() {
            return Some(format!("{tool} is missing"));
        }
    }
    if building {
        if !is_root() {
            return Some("building the disk image needs root (its files' owners)".into());
        }
        if which("mmdebstrap").is_none() {
            return Some("mmdebstrap is missing".into());
        }
        if let Some(why) = cannot_mount_a_chroot() {
            return Some(why);
        }
        let mirror = std::env::var("GUICHET_IMAGE_MIRROR")
            .unwrap_or_else(|_| "http://deb.debian.org/debian".into());
        if !mirror_reachable(&mirror) {
            return Some(format!("the Debian mirror {mirror} cannot be reached"));
        }
    }
    None
}

/// QEMU's screendump `shot` shows the welcome screen, not the out-of-order one: its dominant
/// colour is the one `guichet screenshot --screen welcome` renders at the same size.
fn assert_screen_is_welcome(shot: &Path, scratch: &Path) {
    let screen = image::open(shot)
        .expect("QEMU's screendump of the kiosk")
        .to_rgb8();
    let (width, height) = screen.dimensions();
    let welcome = scratch.join("welcome.png");
    let rendered = Command::new(env!("CARGO_BIN_EXE_guichet"))
        .args(["screenshot", "--screen", "welcome", "--locale", "en"])
        .arg("--out")
        .arg(&welcome)
        .args([
            "--width",
            &width.to_string(),
            "--height",
            &height.to_string(),
        ])
        .output()
        .unwrap();
    assert!(rendered.status.success(), "{rendered:?}");
    let expected = dominant_colour(&image::open(&welcome).unwrap().to_rgb8());
    let seen = dominant_colour(&screen);
    assert!(
        expected.iter().zip(seen).all(|(a, b)| a.abs_diff(b) <= 8),
        "the virtual machine's screen is not the welcome screen: dominant colour {seen:?}, \
         the welcome screen's is {expected:?} (see {})",
        shot.display()
    );
}

/// The most common colour of a picture.
fn dominant_colour(picture: &image::RgbImage) -> [u8; 3] {
    let mut counts = std::collections::HashMap::new();
    for p in picture.pixels() {
        *counts.entry(p.0).or_insert(0u32) += 1;
    }
    counts
        .into_iter()
        .max_by_key(|(_, n)| *n)
        .map(|(c, _)| c)
        .unwrap_or([0, 0, 0])
}

/// The whole disk image, booted: `build-image` (as root, from Debian's mirror; about 5 minutes)
/// and `kiosk-image/vm-test --scenario boot` (QEMU with KVM and UEFI; about 1 minute with KVM, 5
/// with QEMU's emulator where KVM cannot run the firmware). GRUB picks slot A, the kiosk runs
/// under cage and sent READY=1, guichet-health confirms the slot with RAUC's service, systemd
/// arms the i6300esb watchdog (all checked by the script from the serial console), F1 starts
/// speech mode and the sound card plays it ([`SPOKEN`]), the app paused until systemd's watchdog
/// fires is stopped cleanly and restarted with its queue intact ([`WATCHDOG_STOPPED_CLEANLY`]),
/// at power-off the kiosk is stopped by its
/// stop job with SIGTERM and ends cleanly ([`STOPPED_CLEANLY`]), and the screen QEMU shows is the
/// welcome screen, not the out-of-order one: its dominant colour is the one `guichet screenshot
/// --screen welcome` renders. Then the same image as a `--sealed-key` one
/// on a machine without a TPM (`--scenario tpm-none`): the kiosk falls back to the plain key and
/// runs, then the out-of-order screen takes its place and is stopped cleanly at power-off
/// ([`OUT_OF_ORDER_SHOWN`], [`OUT_OF_ORDER_STOPPED_CLEANLY`]; about 5 more minutes under QEMU's
/// emulator). `GUICHET_VM_IMAGE=DIR` boots an image
/// already built there (`build-image --out DIR`) instead. Skipped, saying why, without /dev/kvm,
/// QEMU, OVMF, root or the mirror.
#[test]
fn the_disk_image_boots_in_a_virtual_machine_to_the_kiosk_and_confirms_its_slot() {
    let prebuilt = std::env::var_os("GUICHET_VM_IMAGE").map(PathBuf::from);
    if let Some(why) = cannot_boot_a_vm(prebuilt.is_none()) {
        eprintln!("SKIPPED: {why}, so the disk image is not booted in a virtual machine here");
        return;
    }
    let _one_machine = VIRTUAL_MACHINE.lock().unwrap_or_else(|e| e.into_inner());
    let dir = TestDir::new("vm");
    let image = match prebuilt {
        Some(image) => image,
        None => {
            let deb = build_deb();
            let mirror = std::env::var("GUICHET_IMAGE_MIRROR")
                .unwrap_or_else(|_| "http://deb.debian.org/debian".into());
            let image = dir.path().join("image");
            let out = Command::new(format!("{KIOSK_IMAGE_DIR}/build-image"))
                .arg("--deb")
                .arg(&deb)
                .arg("--out")
                .arg(&image)
                .arg("--mirror")
                .arg(&mirror)
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "build-image failed:\n{}\n{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            // Only the disk image and the root file system image are needed from here on.
            let _ = std::fs::remove_dir_all(image.join("rootfs"));
            image
        }
    };
    let vm = dir.path().join("vm");
    let Some(_) = vm_test(
        &image,
        &vm,
        &["--scenario", "boot", "--timeout", "900"],
        1200,
        &[BOOTED, &[SPOKEN, WATCHDOG_STOPPED_CLEANLY, STOPPED_CLEANLY]].concat(),
    ) else {
        return;
    };

    assert_screen_is_welcome(&vm.join("screen-1.png"), dir.path());

    // The same image made `--sealed-key` (vm-test adds what that adds) on a machine without a
    // TPM: sealing is skipped (ConditionSecurity=tpm2), systemd 252 gives the kiosk the
    // SetCredential= fallback instead of failing the unit, and the kiosk runs on the plain key.
    let vm = dir.path().join("vm-tpm-none");
    vm_test(
        &image,
        &vm,
        &["--scenario", "tpm-none", "--timeout", "900"],
        1200,
        &[
            "ok: without a TPM sealing is skipped and the kiosk runs on the plain key file",
            OUT_OF_ORDER_SHOWN,
            OUT_OF_ORDER_STOPPED_CLEANLY,
        ],
    )
    .expect("vm-test ran the boot scenario, so it runs tpm-none");
}

/// What `vm-test` says when F1 on the booted kiosk's welcome screen started speech mode and the
/// virtual sound card played it (amd64: QEMU writes the HDA card's output to a WAV file; more
/// than a second of it louder than a whisper). Without the unit's `DeviceAllow=char-alsa`
/// espeak-ng could not open the card and nothing was recorded.
const SPOKEN: &str = "ok: speech mode (F1) speaks through the sound card";

/// What `vm-test` says when, at power-off, the kiosk's unit was stopped by its stop job: the app
/// took SIGTERM and logged its clean stop, no process of the unit was killed, and the unit ended
/// `success`, not failed (a unit ordered before the kiosk, so stopped after it, reads its result
/// and journal). Before the unit's `ExecStop=`, its ordering after the seat and the removal of
/// `TTYVHangup=`, systemd killed the app and cage with SIGKILL and the unit ended "failed (signal)".
const STOPPED_CLEANLY: &str =
    "ok: at power-off the kiosk is stopped by its stop job with SIGTERM, cleanly";

/// What `vm-test` says when the app, paused with SIGSTOP until systemd's watchdog fired, took
/// the unit's `WatchdogSignal=` (SIGURG, with SIGCONT) as a stop and left with nothing killed,
/// the unit was restarted, and a submission queued before the pause was there once. Before
/// `KillMode=control-group` and SIGURG, systemd sent SIGABRT and SIGKILL in the same instant.
const WATCHDOG_STOPPED_CLEANLY: &str =
    "ok: a frozen kiosk is stopped cleanly by systemd's watchdog and restarted, its queue intact";

/// What `vm-test --scenario tpm-none` says when the out-of-order screen, started on the booted
/// image (the kiosk stopped by `Conflicts=`, then the screen started: `After=`), ran under cage
/// with its app as the unit's main process.
const OUT_OF_ORDER_SHOWN: &str =
    "ok: the out-of-order screen runs under cage in place of the kiosk";

/// What `vm-test --scenario tpm-none` says when, at power-off, the out-of-order screen's stop
/// job stopped it: its app took SIGTERM, nothing was killed, cage did not abort, the unit ended
/// `success`. Before its `ExecStop=`, systemd's SIGTERM went to cage, its main process.
const OUT_OF_ORDER_STOPPED_CLEANLY: &str =
    "ok: at power-off the out-of-order screen is stopped by its stop job with SIGTERM, cleanly";

/// What `vm-test` says when a kiosk booted from slot A and confirmed it.
const BOOTED: &[&str] = &[
    "ok: slot A boots, the kiosk runs under cage and sent READY=1",
    "ok: the hardware watchdog is armed by systemd",
    "ok: guichet-health confirms the established slot",
];

/// Runs `vm-test --image IMAGE --out VM ARGS` (killed after `limit` seconds) and asserts it
/// succeeded and said every line of `expected`; returns what it said, or `None` (printed) when
/// it could not run here (exit 77: no KVM, QEMU or firmware).
fn vm_test(
    image: &Path,
    vm: &Path,
    args: &[&str],
    limit: u32,
    expected: &[&str],
) -> Option<String> {
    let out = Command::new("timeout")
        .args([&limit.to_string(), &format!("{KIOSK_IMAGE_DIR}/vm-test")])
        .arg("--image")
        .arg(image)
        .args(args)
        .arg("--out")
        .arg(vm)
        .output()
        .unwrap();
    let said = format!(
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    if out.status.code() == Some(77) {
        eprintln!("{said}");
        return None;
    }
    assert!(out.status.success(), "vm-test {args:?} failed:\n{said}");
    for seen in expected {
        assert!(
            said.contains(seen),
            "vm-test {args:?} did not say {seen:?}:\n{said}"
        );
    }
    Some(said)
}

// ---------------------------------------------------------------------------------------------
// The arm64 disk image, built and booted under emulation.

/// The Rust target of 64-bit Arm kiosks (Raspberry Pi 4/5-class panels, SystemReady boards).
const ARM64_TARGET: &str = "aarch64-unknown-linux-gnu";

/// Why the arm64 disk image cannot be built (when `building`) and booted here, if it cannot.
/// On an arm64 machine the build is native; elsewhere it needs the cross toolchain, arm64's
/// fontconfig from a multi-arch install, and qemu-user registered with binfmt_misc (mmdebstrap
/// runs the image's package scripts under it).
fn cannot_boot_arm64(building: bool) -> Option<String> {
    if which("qemu-system-aarch64").is_none() {
        return Some("qemu-system-aarch64 is missing (apt-get install qemu-system-arm)".into());
    }
    if !Path::new("/usr/share/AAVMF/AAVMF_CODE.fd").is_file() {
        return Some(
            "the AAVMF UEFI firmware is missing (apt-get install qemu-efi-aarch64)".into(),
        );
    }
    for tool in ["debugfs", "mcopy", "python3", "systemd-repart"] {
        if which(tool).is_none() {
            return Some(format!("{tool} is missing"));
        }
    }
    if !building {
        return None;
    }
    // Off arm64 the build alone takes about 40 minutes of a shared machine's time: only when asked.
    if std::env::var_os("GUICHET_TEST_ARM64").is_none() {
        return Some(
            "building the arm64 image (about 40 minutes under emulation) is not asked for: set \
             GUICHET_TEST_ARM64=1, or GUICHET_VM_IMAGE_ARM64=DIR to boot one already built"
                .into(),
        );
    }
    if !is_root() {
        return Some("building the disk image needs root (its files' owners)".into());
    }
    for tool in ["mmdebstrap", "cargo-deb"] {
        if which(tool).is_none() {
            return Some(format!("{tool} is missing"));
        }
    }
    if std::env::consts::ARCH != "aarch64" {
        if !Path::new("/proc/sys/fs/binfmt_misc/qemu-aarch64").exists() {
            return Some(
                "arm64 programs cannot run here: qemu-user is not registered with binfmt_misc \
                 (apt-get install qemu-user-static binfmt-support)"
                    .into(),
            );
        }
        if which("arch-test").is_none() {
            return Some(
                "arch-test is missing (mmdebstrap needs it for a foreign architecture)".into(),
            );
        }
        if which("aarch64-linux-gnu-gcc").is_none() {
            return Some(
                "the arm64 cross linker is missing (apt-get install gcc-aarch64-linux-gnu)".into(),
            );
        }
        if !Path::new("/usr/lib/aarch64-linux-gnu/pkgconfig/fontconfig.pc").is_file() {
            return Some(
                "arm64's fontconfig is not installed (dpkg --add-architecture arm64, then \
                 apt-get install libfontconfig-dev:arm64)"
                    .into(),
            );
        }
        let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
        let libdir = Command::new(rustc)
            .args(["--print", "target-libdir", "--target", ARM64_TARGET])
            .output()
            .ok()
            .map(|o| PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()));
        let has_std = libdir
            .and_then(|d| std::fs::read_dir(d).ok())
            .is_some_and(|mut entries| {
                entries.any(|e| {
                    e.is_ok_and(|e| e.file_name().to_string_lossy().starts_with("libstd-"))
                })
            });
        if !has_std {
            return Some(format!(
                "Rust's standard library for {ARM64_TARGET} is missing (rustup target add \
                 {ARM64_TARGET})"
            ));
        }
    }
    if let Some(why) = cannot_mount_a_chroot() {
        return Some(why);
    }
    let mirror = std::env::var("GUICHET_IMAGE_MIRROR")
        .unwrap_or_else(|_| "http://deb.debian.org/debian".into());
    if !mirror_reachable(&mirror) {
        return Some(format!("the Debian mirror {mirror} cannot be reached"));
    }
    None
}

/// The arm64 kiosk, end to end: `packaging/build-deb --profile dev --target
/// aarch64-unknown-linux-gnu` (cross-compiled unless on arm64; its Depends filled by
/// dpkg-shlibdeps from arm64's multi-arch libraries), `build-image --arch arm64` (mmdebstrap
/// under qemu-user; GRUB's BOOTAA64.EFI, the same A/B layout and RAUC configuration with
/// compatible=guichet-kiosk-arm64) and `vm-test --arch arm64 --scenario boot` (qemu-system-aarch64
/// -M virt, AAVMF, under QEMU's emulator off arm64). The same checks as the amd64 boot: slot A,
/// the kiosk under cage with READY=1, the i6300esb watchdog armed, the slot confirmed by
/// guichet-health, and the welcome screen on QEMU's display. Much slower than amd64 off arm64
/// (see kiosk-image/README.md, "64-bit Arm"), so CI, which lacks these tools, says SKIPPED. The
/// build runs only with `GUICHET_TEST_ARM64=1` (about 40 minutes off arm64);
/// `GUICHET_VM_IMAGE_ARM64=DIR` boots an image already built there instead (2 minutes).
#[test]
fn the_arm64_disk_image_builds_and_boots_to_the_kiosk_and_confirms_its_slot() {
    let prebuilt = std::env::var_os("GUICHET_VM_IMAGE_ARM64").map(PathBuf::from);
    if let Some(why) = cannot_boot_arm64(prebuilt.is_none()) {
        eprintln!("SKIPPED: {why}, so the arm64 disk image is not built and booted here");
        return;
    }
    let _one_machine = VIRTUAL_MACHINE.lock().unwrap_or_else(|e| e.into_inner());
    let dir = TestDir::new("vm-arm64");
    let image = match prebuilt {
        Some(image) => image,
        None => {
            // The amd64 package first: both build-deb runs write target/packaging/.
            build_deb();
            let deb = run_build_deb(&["--target", ARM64_TARGET]);
            assert!(
                deb.is_file() && deb.to_string_lossy().ends_with("_arm64.deb"),
                "build-deb printed {deb:?}"
            );
            // dpkg-shlibdeps saw arm64's libraries: the C library and fontconfig are Depends.
            let depends = Command::new("dpkg-deb")
                .args(["--field"])
                .arg(&deb)
                .arg("Depends")
                .output()
                .unwrap();
            let depends = String::from_utf8_lossy(&depends.stdout).to_string();
            for lib in ["libc6", "libfontconfig1"] {
                assert!(
                    depends.contains(lib),
                    "the arm64 package's Depends lacks {lib}: {depends}"
                );
            }
            let mirror = std::env::var("GUICHET_IMAGE_MIRROR")
                .unwrap_or_else(|_| "http://deb.debian.org/debian".into());
            let image = dir.path().join("image");
            let out = Command::new(format!("{KIOSK_IMAGE_DIR}/build-image"))
                .args(["--arch", "arm64", "--deb"])
                .arg(&deb)
                .arg("--out")
                .arg(&image)
                .arg("--mirror")
                .arg(&mirror)
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "build-image --arch arm64 failed:\n{}\n{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            let rauc = std::fs::read_to_string(image.join("rootfs/etc/rauc/system.conf")).unwrap();
            assert!(rauc.contains("compatible=guichet-kiosk-arm64"), "{rauc}");
            assert!(image.join("esp/EFI/BOOT/BOOTAA64.EFI").is_file());
            let _ = std::fs::remove_dir_all(image.join("rootfs"));
            image
        }
    };
    let vm = dir.path().join("vm");
    let args = ["--arch", "arm64", "--scenario", "boot", "--timeout", "2400"];
    let Some(said) = vm_test(&image, &vm, &args, 3000, BOOTED) else {
        return;
    };
    assert!(
        said.contains("image=guichet-image,arch=arm64"),
        "the booted system is not the arm64 image:\n{said}"
    );
    assert_screen_is_welcome(&vm.join("screen-1.png"), dir.path());
}
