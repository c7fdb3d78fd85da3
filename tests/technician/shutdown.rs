//! SIGTERM, as systemd stops a service: `guichet sync` lets the round in progress finish (the
//! POST in flight gets its answer and the submission is recorded as accepted, not left
//! "outcome unknown"), and the kiosk ends its event loop, lets its workers finish, says
//! STOPPING=1 and exits 0 instead of dying by the signal. Also here, as the other test of the
//! kiosk under a real X server: the window fills a bare X server's screen.

use std::os::unix::fs::PermissionsExt;
use std::os::unix::net::UnixDatagram;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{self, OutputText, TestDir};
use crate::open311_server::{Fault, Open311Server, Route};

fn sigterm(child: &Child) {
    // SAFETY: kill with a pid we own and a valid signal number.
    let rc = unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGTERM) };
    assert_eq!(rc, 0);
}

/// Waits for the child to exit, killing it after `limit` (then the test fails).
fn wait_exit(child: &mut Child, limit: Duration) -> std::process::ExitStatus {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("did not stop within {limit:?} of SIGTERM");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn sigterm_lets_the_sync_round_in_progress_finish() {
    let dir = TestDir::new("sigterm-sync");
    let server = Open311Server::start();
    let key = dir.path().join("api-key");
    std::fs::write(&key, "test-api-key\n").unwrap();
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o640)).unwrap();
    let config = dir.path().join("kiosk.toml");
    std::fs::write(
        &config,
        format!(
            "[device]\ncode = \"SIG1\"\n[central]\nkind = \"open311\"\nurl = \"{}\"\napi_key_file = \"{}\"\nallow_insecure_http = true\n",
            server.url(),
            key.display()
        ),
    )
    .unwrap();
    let c = config.to_str().unwrap();
    let refresh = common::guichet(&dir, &["--config", c, "catalog", "refresh"]);
    assert!(refresh.status.success(), "{}", refresh.stderr_text());
    let reference = common::submit_graffiti(&dir, &["--config", c]);

    // The server stores the POST, then takes 3 s to answer: SIGTERM arrives in between.
    server.inject(Route::PostRequest, Fault::Slow(Duration::from_secs(3)), 1);
    let mut sync = common::command(&dir)
        .args(["--config", c, "sync"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while server.with_reference(&reference).is_empty() {
        assert!(Instant::now() < deadline, "the POST never arrived");
        std::thread::sleep(Duration::from_millis(20));
    }
    sigterm(&sync);
    let status = wait_exit(&mut sync, Duration::from_secs(20));
    let mut stderr = String::new();
    std::io::Read::read_to_string(sync.stderr.as_mut().unwrap(), &mut stderr).unwrap();
    assert_eq!(status.code(), Some(0), "a clean stop: {stderr}");

    let list = common::guichet(&dir, &["--config", c, "queue", "list", "--json"]);
    let rows: serde_json::Value = serde_json::from_slice(&list.stdout).unwrap();
    assert_eq!(rows[0]["reference"], reference.as_str());
    assert_eq!(rows[0]["state"], "accepted", "the round finished: {rows}");
    assert_eq!(server.with_reference(&reference).len(), 1, "sent once");
}

/// A private X server (CI installs xvfb) on a display numbered from `base` and this process,
/// with one screen of `geometry`; returns once it accepts connections.
fn xvfb(base: u32, geometry: &str) -> (String, Child) {
    let display = format!(":{}", base + std::process::id() % 300);
    let xvfb = Command::new("Xvfb")
        .args([
            display.as_str(),
            "-screen",
            "0",
            geometry,
            "-nolisten",
            "tcp",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("Xvfb (apt-get install xvfb)");
    let socket_file = format!("/tmp/.X11-unix/X{}", &display[1..]);
    let deadline = Instant::now() + Duration::from_secs(20);
    while !std::path::Path::new(&socket_file).exists() {
        assert!(Instant::now() < deadline, "Xvfb did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    (display, xvfb)
}

#[test]
fn sigterm_stops_the_kiosk_cleanly() {
    let dir = TestDir::new("sigterm-kiosk");
    let (display, mut xvfb) = xvfb(200, "1280x800x24");
    let notify_path = dir.path().join("notify.sock");
    let notify = UnixDatagram::bind(&notify_path).unwrap();
    notify
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    let mut kiosk = common::command(&dir)
        .args(["kiosk", "--windowed", "--demo"])
        .env("DISPLAY", &display)
        .env_remove("WAYLAND_DISPLAY")
        .env("NOTIFY_SOCKET", &notify_path)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut said = String::new();
    let mut buf = [0u8; 512];
    while !said.contains("READY=1") {
        let n = notify.recv(&mut buf).unwrap_or_else(|e| {
            let _ = kiosk.kill();
            panic!("no READY=1 from the kiosk: {e}")
        });
        said.push_str(&String::from_utf8_lossy(&buf[..n]));
        said.push('\n');
    }
    sigterm(&kiosk);
    let status = wait_exit(&mut kiosk, Duration::from_secs(20));
    let _ = xvfb.kill();
    let _ = xvfb.wait();
    let mut stderr = String::new();
    std::io::Read::read_to_string(kiosk.stderr.as_mut().unwrap(), &mut stderr).unwrap();
    assert_eq!(
        status.code(),
        Some(0),
        "exit 0, not death by SIGTERM: {stderr}"
    );
    notify
        .set_read_timeout(Some(Duration::from_secs(1)))
        .unwrap();
    while let Ok(n) = notify.recv(&mut buf) {
        said.push_str(&String::from_utf8_lossy(&buf[..n]));
    }
    assert!(said.contains("STOPPING=1"), "{said}");
}

/// Under a bare X server (no window manager honours "fullscreen"), the kiosk places and sizes
/// its window to cover the screen itself: on a 1024×600 panel it is 1024×600 at +0+0, not
/// winit's default 1280×800 hanging off the edge. Measured by the X server (xwininfo).
#[test]
fn under_a_bare_x_server_the_kiosk_fills_the_screen() {
    let dir = TestDir::new("bare-x");
    let (display, mut xvfb) = xvfb(500, "1024x600x24");
    let mut kiosk = common::command(&dir)
        .args(["kiosk", "--demo"])
        .env("DISPLAY", &display)
        .env_remove("WAYLAND_DISPLAY")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let geometry = || {
        let out = Command::new("xwininfo")
            .args(["-root", "-tree", "-display", display.as_str()])
            .output()
            .expect("xwininfo (apt-get install x11-utils)");
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .find(|l| l.contains("\"Guichet\""))
            .map(str::to_string)
    };
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut last = None;
    while Instant::now() < deadline {
        last = geometry();
        if last.as_deref().is_some_and(|l| l.contains("1024x600+0+0")) {
            break;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    sigterm(&kiosk);
    let _ = wait_exit(&mut kiosk, Duration::from_secs(20));
    let _ = xvfb.kill();
    let _ = xvfb.wait();
    let line = last.unwrap_or_default();
    assert!(
        line.contains("1024x600+0+0"),
        "the kiosk window covers the 1024x600 screen: {line:?}"
    );
}
