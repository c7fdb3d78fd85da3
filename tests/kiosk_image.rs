//! The kiosk as deployed by `kiosk-image/`: the unit's own `ExecStart=` line, run the way systemd
//! would run it, under cage's headless backend, as an unprivileged user, with a listening
//! `NOTIFY_SOCKET`. It checks what a field kiosk depends on: a fullscreen surface of the output's
//! size, `READY=1` and regular `WATCHDOG=1` with `WATCHDOG_PID` naming cage, no pings while the
//! UI thread is stalled, no Xwayland or D-Bus side processes, a quiet compositor log, and a stop
//! that ends everything within the unit's stop timeout. A second test keeps the unit honest:
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
    environment: Vec<(String, String)>,
    kill_mode: String,
    timeout_stop: Duration,
    runtime_directory: String,
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
            "Environment" => {
                let (k, v) = value.split_once('=').expect("Environment=KEY=value");
                unit.environment.push((k.to_string(), v.to_string()));
            }
            "KillMode" => unit.kill_mode = value.to_string(),
            "TimeoutStopSec" => {
                unit.timeout_stop = Duration::from_secs(value.parse().expect("TimeoutStopSec in s"))
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
    assert_eq!(unit.kill_mode, "mixed", "the test emulates KillMode=mixed");
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
    std::fs::set_permissions(root, std::fs::Permissions::from_mode(0o755)).unwrap();
    // The binary where the unprivileged user can run it.
    let bin = root.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    std::fs::set_permissions(&bin, std::fs::Permissions::from_mode(0o755)).unwrap();
    let binary = bin.join("guichet");
    std::fs::copy(env!("CARGO_BIN_EXE_guichet"), &binary).unwrap();
    std::fs::set_permissions(&binary, std::fs::Permissions::from_mode(0o755)).unwrap();
    // systemd's %t and the unit's RuntimeDirectory= (0700, owned by the service's user).
    let runtime_root = root.join("run");
    std::fs::create_dir_all(&runtime_root).unwrap();
    std::fs::set_permissions(&runtime_root, std::fs::Permissions::from_mode(0o755)).unwrap();
    let runtime_dir = runtime_root.join(&unit.runtime_directory);
    user_dir(&runtime_dir, 0o700);
    let data = root.join("data");
    user_dir(&data, 0o700);
    let home = root.join("home");
    user_dir(&home, 0o700);
    // node_exporter's textfile directory, where the kiosk writes its fleet metrics.
    let textfile_dir = root.join("node-exporter");
    user_dir(&textfile_dir, 0o755);
    let textfile = textfile_dir.join("guichet.prom");
    let config = root.join("kiosk.toml");
    std::fs::write(
        &config,
        format!(
            "[device]\ncode = \"IMG\"\nsite = \"Test\"\ncouncil = \"Test Council\"\n\
             data_dir = \"{}\"\n[central]\nkind = \"none\"\n[printer]\nport = \"none\"\n\
             [fleet]\ntextfile = \"{}\"\n",
            data.display(),
            textfile.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&config, std::fs::Permissions::from_mode(0o644)).unwrap();
    let stall = root.join("stall");

    // The unit's pre-start runs. Retried while the fresh copy is "text file busy": a process
    // forked by the other test at the moment of the copy may briefly hold its write handle. Once
    // it ran, no handle is left, and the kiosk below can run it too.
    let pre = substitute(&unit.exec_start_pre, &binary, &runtime_root);
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

    // systemd's notify socket, listened to by this test.
    let notify_path = root.join("notify.sock");
    let socket = UnixDatagram::bind(&notify_path).unwrap();
    std::fs::set_permissions(&notify_path, std::fs::Permissions::from_mode(0o777)).unwrap();
    let received: Received = Arc::default();
    let stop_listening = Arc::new(Mutex::new(false));
    let listener = {
        let (received, stop) = (received.clone(), stop_listening.clone());
        std::thread::spawn(move || listen(socket, received, stop))
    };

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
    let log_path = root.join("journal.log");
    let log = std::fs::File::create(&log_path).unwrap();
    let mut argv = as_user();
    argv.extend(substitute(&unit.exec_start, &binary, &runtime_root));
    // No catalogue is cached in a fresh data dir: the demo one, as `guichet kiosk --demo`.
    argv.push("--demo".into());
    let mut cmd = Command::new("sh");
    // WATCHDOG_PID names the unit's main process, as systemd sets it: `exec` keeps the pid, so
    // the shell's pid is cage's.
    cmd.arg("-c")
        .arg("export WATCHDOG_PID=$$; exec \"$@\"")
        .arg("sh")
        .args(&argv)
        .env_clear()
        .env("PATH", "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin")
        .env("HOME", &home)
        .env("LANG", "C.UTF-8")
        .env("NOTIFY_SOCKET", &notify_path)
        .env("WATCHDOG_USEC", WATCHDOG_USEC.to_string())
        .env("WLR_BACKENDS", "headless")
        .env("WLR_LIBINPUT_NO_DEVICES", "1")
        .env("WLR_RENDERER", "pixman")
        // The client's side of the Wayland protocol, to read the configures it gets.
        .env("WAYLAND_DEBUG", "client")
        .env("GUICHET_TEST_STALL_FILE", &stall)
        .stdin(Stdio::null())
        .stdout(log.try_clone().unwrap())
        .stderr(log)
        .process_group(0);
    for (k, v) in &unit.environment {
        if k == "GUICHET_CONFIG" {
            cmd.env(k, &config);
        } else {
            cmd.env(k, v);
        }
    }
    let mut cage: Child = cmd.spawn().unwrap();
    let cage_pid = cage.id() as i32;
    let _guard = GroupGuard(cage_pid);
    let messages = |prefix: &str| -> Vec<(Instant, String)> {
        received
            .lock()
            .unwrap()
            .iter()
            .filter(|(_, m)| m.lines().any(|l| l.starts_with(prefix)))
            .cloned()
            .collect()
    };
    let journal = || read_log(&log_path);

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
        received.lock().unwrap(),
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
        .env("XDG_RUNTIME_DIR", &runtime_dir)
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
        .env("HOME", &home)
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

    // Stop as systemd does with KillMode=mixed: SIGTERM to the main process (the app, which
    // declared itself with MAINPID=); everything must be gone within TimeoutStopSec.
    // SAFETY: plain kill(2) of a pid this test started.
    assert_eq!(unsafe { libc::kill(app_pid, libc::SIGTERM) }, 0);
    let stopped = wait_for(unit.timeout_stop, || {
        // SAFETY: kill(2) with signal 0 only checks whether the group still exists.
        matches!(cage.try_wait(), Ok(Some(_))) && unsafe { libc::kill(-cage_pid, 0) } != 0
    });
    *stop_listening.lock().unwrap() = true;
    listener.join().unwrap();
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

    // cage's log stays quiet: a few start-up lines, no flood.
    let lines = compositor_lines(&log);
    assert!(
        lines.len() <= 20,
        "{} compositor log lines:\n{}",
        lines.len(),
        lines.join("\n")
    );
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
    let home = root.join("home");
    user_dir(&home, 0o700);
    let config = root.join("kiosk.toml");
    std::fs::write(
        &config,
        "[device]\ncode = \"IMG\"\nhelp_contact = \"0800 555 0100\"\n[ui]\nlanguages = [\"en\", \"ar\"]\nrotation = 90\n",
    )
    .unwrap();
    std::fs::set_permissions(&config, std::fs::Permissions::from_mode(0o644)).unwrap();
    let log_path = root.join("journal.log");
    let log = std::fs::File::create(&log_path).unwrap();
    let mut argv = as_user();
    argv.extend(substitute(&unit.exec_start, &binary, &runtime_root));
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg("exec \"$@\"")
        .arg("sh")
        .args(&argv)
        .env_clear()
        .env("PATH", "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin")
        .env("HOME", &home)
        .env("LANG", "C.UTF-8")
        .env("WLR_BACKENDS", "headless")
        .env("WLR_LIBINPUT_NO_DEVICES", "1")
        .env("WLR_RENDERER", "pixman")
        .stdin(Stdio::null())
        .stdout(log.try_clone().unwrap())
        .stderr(log)
        .process_group(0);
    for (k, v) in &unit.environment {
        if k == "GUICHET_CONFIG" {
            cmd.env(k, &config);
        } else {
            cmd.env(k, v);
        }
    }
    let mut cage: Child = cmd.spawn().unwrap();
    let _guard = GroupGuard(cage.id() as i32);
    let shot = home.join("screen.png");
    let take = || {
        let mut grim = Command::new(as_user().first().map_or("grim", |s| s.as_str()));
        if is_root() {
            grim.args(&as_user()[1..]).arg("grim");
        }
        grim.arg(&shot)
            .env_clear()
            .env("PATH", "/usr/bin:/bin")
            .env("XDG_RUNTIME_DIR", &runtime_dir)
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
        read_log(&log_path)
    );
    let picture = image::open(&shot).unwrap().to_rgb8();
    assert_eq!(
        picture.dimensions(),
        (720, 1280),
        "cage's 1280×720 output turned a quarter: {}",
        read_log(&log_path)
    );
    assert!(
        matches!(cage.try_wait(), Ok(None)),
        "still showing: the screen stays until systemd stops it"
    );
    // Stopped as systemd would (the guard then kills what is left of the group).
    let _ = cage.kill();
    let _ = cage.wait();
}
