//! `guichet provision` through the real binary, against the real Open311 test server and a fake
//! printer on a pseudo-terminal: a valid configuration from flags, each bad value refused in one
//! line with nothing written, and the reuse guard that keeps references unique in the fleet.

use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};

use crate::common::{self, OutputText, TestDir};
use crate::open311_server::{Open311Server, Route};
use crate::printer_support::fake::{FakePrinter, Mode};

/// `guichet --data-dir DIR provision ARGS`, with `stdin` fed to it (never a terminal).
pub fn provision(dir: &TestDir, args: &[&str], stdin: &str) -> Output {
    let mut cmd = common::command(dir);
    cmd.arg("provision")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    let mut input = child.stdin.take().unwrap();
    input.write_all(stdin.as_bytes()).unwrap();
    drop(input);
    child.wait_with_output().unwrap()
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

fn out_path(dir: &TestDir) -> PathBuf {
    dir.path().join("etc/kiosk.toml")
}

#[test]
fn provision_from_flags_writes_a_config_the_kiosk_loads() {
    let dir = TestDir::new("provision-ok");
    let server = Open311Server::start();
    let port = dir.path().join("ttyPrinter");
    let _printer = FakePrinter::plug_in(&port, Mode::Ready);
    let out = out_path(&dir);
    let key_file = dir.path().join("etc/api-key");
    let notice = dir.path().join("notice.txt");
    std::fs::write(&notice, "Example Council keeps your details for 7 days.\n").unwrap();
    let url = server.url();
    let result = provision(
        &dir,
        &[
            "--code",
            "LIB2",
            "--site",
            "Central Library",
            "--council",
            "Example Council",
            "--help-contact",
            "0800 000 000",
            "--help-hours",
            "Mon-Fri 9-17",
            "--response-days",
            "10",
            "--by-language",
            "ar.council=مجلس المثال",
            "--by-language",
            "fr.site=Bibliothèque centrale",
            "--central-url",
            &url,
            "--allow-insecure-http",
            "--api-key-file",
            key_file.to_str().unwrap(),
            "--api-key-stdin",
            "--jurisdiction-id",
            "example.org",
            "--sync-interval-s",
            "30",
            "--status-url",
            "https://example.org/track/{reference}",
            "--printer-port",
            port.to_str().unwrap(),
            "--baud",
            "9600",
            "--flow-control",
            "hardware",
            "--profile",
            "default",
            "--languages",
            "fr,en,ar",
            "--idle-timeout-s",
            "90",
            "--blank-after-s",
            "300",
            "--speech-mixer-db",
            "-7.5",
            "--speech-mixer-control",
            "Speaker",
            "--rotation",
            "180",
            "--touch-rule",
            dir.path()
                .join("udev/99-guichet-touch.rules")
                .to_str()
                .unwrap(),
            "--catch-all-service",
            "OTHER",
            "--retention-days",
            "3",
            "--privacy-notice-file",
            notice.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
        "test-api-key\n",
    );
    assert_eq!(result.status.code(), Some(0), "{}", result.stderr_text());
    assert!(
        result.stderr_text().contains("answers as Open311"),
        "{}",
        result.stderr_text()
    );
    assert!(
        result.stderr_text().contains("answers, ready"),
        "{}",
        result.stderr_text()
    );
    assert!(
        server.hits(Route::Services) >= 1,
        "services.json was really asked"
    );

    let config = guichet::config::Config::load_file(&out).unwrap();
    assert_eq!(config.device.code, "LIB2");
    assert_eq!((config.ui.blank_after_s, config.ui.rotation), (300, 180));
    assert_eq!(config.ui.speech_mixer_db, Some(-7.5));
    assert_eq!(config.ui.speech_mixer_control(), "Speaker");
    let rule = std::fs::read_to_string(dir.path().join("udev/99-guichet-touch.rules")).unwrap();
    assert!(
        rule.contains("\"-1 0 1 0 -1 1\""),
        "touch turned 180°: {rule}"
    );
    assert_eq!(config.device.site, "Central Library");
    assert_eq!(config.device.council, "Example Council");
    assert_eq!(config.device.help_hours, "Mon-Fri 9-17");
    assert_eq!(config.device.response_days, Some(10));
    assert_eq!(config.device.council_in("ar"), "مجلس المثال");
    assert_eq!(config.device.site_in("fr"), "Bibliothèque centrale");
    assert_eq!(config.device.data_dir, Some(dir.path().to_path_buf()));
    assert_eq!(config.central.url.as_deref(), Some(url.as_str()));
    assert_eq!(
        config.central.jurisdiction_id.as_deref(),
        Some("example.org")
    );
    assert_eq!(config.central.sync_interval_s, Some(30));
    assert_eq!(config.printer.baud, 9600);
    assert_eq!(
        config.printer.flow_control,
        guichet::config::FlowControl::Hardware
    );
    assert_eq!(config.ui.languages, ["fr", "en", "ar"]);
    assert_eq!(config.ui.idle_timeout_s, 90);
    assert_eq!(config.ui.catch_all_service.as_deref(), Some("OTHER"));
    assert_eq!(config.privacy.retention_days, 3);
    assert_eq!(
        config.privacy.notice.as_deref(),
        Some("Example Council keeps your details for 7 days.")
    );
    assert_eq!(mode(&out), 0o640);
    assert_eq!(
        std::fs::read_to_string(&key_file).unwrap().trim(),
        "test-api-key"
    );
    assert_eq!(mode(&key_file), 0o640);
    // No temporary file is left next to either.
    let left: Vec<_> = std::fs::read_dir(out.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(left.len(), 2, "{left:?}");
    // And the kiosk's own loader agrees: doctor reads it.
    let doctor = common::guichet(
        &dir,
        &["--config", out.to_str().unwrap(), "doctor", "--json"],
    );
    let json: serde_json::Value = serde_json::from_slice(&doctor.stdout).unwrap();
    assert_eq!(json["checks"][0]["ok"], true, "{json}");
}

/// `ui.rotation` turns the picture (cage `-r`); provision writes the udev rule that turns the
/// touchscreen's coordinates with it, replaces it when the rotation changes, and removes it at 0;
/// `touch-rule --check` tells whether the rule still matches the configuration.
#[test]
fn provision_writes_and_removes_the_touch_rule_with_the_rotation() {
    let dir = TestDir::new("provision-touch");
    let out = out_path(&dir);
    let rule = dir.path().join("udev/rules.d/99-guichet-touch.rules");
    let run = |rotation: &str| {
        let result = provision(
            &dir,
            &[
                "--code",
                "TCH1",
                "--site",
                "Hall",
                "--offline",
                "--printer-port",
                "none",
                "--rotation",
                rotation,
                "--touch-rule",
                rule.to_str().unwrap(),
                "--out",
                out.to_str().unwrap(),
            ],
            "",
        );
        assert_eq!(result.status.code(), Some(0), "{}", result.stderr_text());
        result
    };
    let check = || {
        common::guichet(
            &dir,
            &[
                "--config",
                out.to_str().unwrap(),
                "touch-rule",
                "--check",
                "--rule",
                rule.to_str().unwrap(),
            ],
        )
    };
    let matrix = |text: &str| {
        text.lines()
            .filter(|l| !l.starts_with('#'))
            .find_map(|l| l.split("LIBINPUT_CALIBRATION_MATRIX}=\"").nth(1))
            .map(|rest| rest.trim_end_matches('"').to_string())
    };
    let result = run("90");
    assert!(
        result.stderr_text().contains("touch turned 90°"),
        "{}",
        result.stderr_text()
    );
    let text = std::fs::read_to_string(&rule).unwrap();
    // libinput's matrix for 90° clockwise, on touchscreens only.
    assert_eq!(matrix(&text).as_deref(), Some("0 -1 1 1 0 0"), "{text}");
    assert!(text.contains("ENV{ID_INPUT_TOUCHSCREEN}==\"1\""), "{text}");
    assert_eq!(mode(&rule), 0o644);
    assert_eq!(check().status.code(), Some(0));

    run("270");
    let text = std::fs::read_to_string(&rule).unwrap();
    assert_eq!(matrix(&text).as_deref(), Some("0 1 0 -1 0 1"), "{text}");
    let left: Vec<_> = std::fs::read_dir(rule.parent().unwrap()).unwrap().collect();
    assert_eq!(left.len(), 1, "replaced atomically, no temporary file left");

    // A configuration edited by hand no longer matches: --check says so and how to fix it;
    // touch-rule brings the rule back in line.
    let edited = std::fs::read_to_string(&out)
        .unwrap()
        .replace("rotation = 270", "rotation = 180");
    std::fs::write(&out, edited).unwrap();
    let stale = check();
    assert_eq!(stale.status.code(), Some(1));
    assert!(
        stale.stderr_text().contains("guichet touch-rule"),
        "{}",
        stale.stderr_text()
    );
    let fixed = common::guichet(
        &dir,
        &[
            "--config",
            out.to_str().unwrap(),
            "touch-rule",
            "--rule",
            rule.to_str().unwrap(),
        ],
    );
    assert_eq!(fixed.status.code(), Some(0), "{}", fixed.stderr_text());
    let text = std::fs::read_to_string(&rule).unwrap();
    assert_eq!(matrix(&text).as_deref(), Some("-1 0 1 0 -1 1"), "{text}");
    assert_eq!(check().status.code(), Some(0));

    // Where the rule cannot be written (a read-only /etc; here a file stands where its folder
    // should be), the configuration is still written, and the technician is told.
    let blocked = dir.path().join("not-a-folder");
    std::fs::write(&blocked, "").unwrap();
    let result = provision(
        &dir,
        &[
            "--code",
            "TCH1",
            "--site",
            "Hall",
            "--offline",
            "--printer-port",
            "none",
            "--rotation",
            "90",
            "--touch-rule",
            blocked.join("99-guichet-touch.rules").to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
        "",
    );
    assert_eq!(result.status.code(), Some(0), "{}", result.stderr_text());
    assert!(
        result.stderr_text().contains("touch rule not written"),
        "{}",
        result.stderr_text()
    );
    assert!(
        std::fs::read_to_string(&out)
            .unwrap()
            .contains("rotation = 90")
    );

    let result = run("0");
    assert!(!rule.exists(), "no rule at rotation 0");
    assert!(
        result.stderr_text().contains("removed"),
        "{}",
        result.stderr_text()
    );
    assert_eq!(check().status.code(), Some(0));
}

#[test]
fn each_bad_value_is_refused_in_one_line_and_nothing_is_written() {
    let dir = TestDir::new("provision-bad");
    let server = Open311Server::start();
    let url = server.url();
    let missing = format!("{url}nothing-here/");
    let silent_port = dir.path().join("ttySilent");
    let _silent = FakePrinter::plug_in(&silent_port, Mode::Silent);
    let key_file = dir.path().join("api-key");
    std::fs::write(&key_file, "test-api-key\n").unwrap();
    std::fs::set_permissions(&key_file, std::fs::Permissions::from_mode(0o600)).unwrap();
    let closed = {
        // A port nothing listens on: bound, then released.
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!(
            "http://127.0.0.1:{}/open311/v2/",
            l.local_addr().unwrap().port()
        )
    };
    let key = key_file.to_str().unwrap();
    let silent = silent_port.to_str().unwrap();
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec![
                "--code",
                "AB",
                "--site",
                "S",
                "--offline",
                "--privacy-notice-file",
                "/nonexistent/notice",
            ],
            "--privacy-notice-file",
        ),
        (vec!["--code", "lib2", "--site", "S", "--offline"], "--code"),
        (
            vec!["--code", "LIBRARY", "--site", "S", "--offline"],
            "--code",
        ),
        (vec!["--site", "S", "--offline"], "--code is required"),
        (
            vec![
                "--code",
                "AB",
                "--site",
                "S",
                "--offline",
                "--languages",
                "en,xx",
            ],
            "--languages",
        ),
        (
            vec![
                "--code",
                "AB",
                "--site",
                "S",
                "--offline",
                "--idle-timeout-s",
                "5",
            ],
            "--idle-timeout-s",
        ),
        (
            vec![
                "--code",
                "AB",
                "--site",
                "S",
                "--offline",
                "--rotation",
                "45",
            ],
            "--rotation",
        ),
        (
            vec![
                "--code",
                "AB",
                "--site",
                "S",
                "--offline",
                "--speech-mixer-db",
                "30",
            ],
            "--speech-mixer-db",
        ),
        (
            vec![
                "--code",
                "AB",
                "--site",
                "S",
                "--offline",
                "--blank-after-s",
                "5",
            ],
            "--blank-after-s",
        ),
        (
            vec![
                "--code",
                "AB",
                "--site",
                "S",
                "--offline",
                "--baud",
                "1234",
                "--printer-port",
                "none",
            ],
            "--baud",
        ),
        (
            vec![
                "--code",
                "AB",
                "--site",
                "S",
                "--offline",
                "--flow-control",
                "rts",
            ],
            "--flow-control",
        ),
        (
            vec![
                "--code",
                "AB",
                "--site",
                "S",
                "--offline",
                "--profile",
                "nosuchprinter",
            ],
            "profile",
        ),
        (
            vec![
                "--code",
                "AB",
                "--site",
                "S",
                "--offline",
                "--retention-days",
                "400",
            ],
            "--retention-days",
        ),
        (
            vec![
                "--code",
                "AB",
                "--site",
                "S",
                "--offline",
                "--response-days",
                "0",
            ],
            "--response-days",
        ),
        (
            vec![
                "--code",
                "AB",
                "--site",
                "S",
                "--offline",
                "--by-language",
                "xx.council=X",
            ],
            "--by-language",
        ),
        (
            vec![
                "--code",
                "AB",
                "--site",
                "S",
                "--offline",
                "--by-language",
                "ar.colour=X",
            ],
            "--by-language",
        ),
        (
            vec![
                "--code",
                "AB",
                "--site",
                "S",
                "--central-url",
                &url,
                "--api-key-file",
                key,
            ],
            "--central-url",
        ),
        (
            vec![
                "--code",
                "AB",
                "--site",
                "S",
                "--central-url",
                &missing,
                "--allow-insecure-http",
                "--api-key-file",
                key,
            ],
            "no Open311 endpoint",
        ),
        (
            vec![
                "--code",
                "AB",
                "--site",
                "S",
                "--central-url",
                &closed,
                "--allow-insecure-http",
                "--api-key-file",
                key,
            ],
            "not reached",
        ),
        (
            vec![
                "--code",
                "AB",
                "--site",
                "S",
                "--central-url",
                &url,
                "--allow-insecure-http",
                "--api-key-file",
                "/nonexistent/api-key",
            ],
            "API key file",
        ),
        (
            vec![
                "--code",
                "AB",
                "--site",
                "S",
                "--offline",
                "--printer-port",
                "/dev/ttyNOSUCH9",
            ],
            "--printer-port",
        ),
        (
            vec![
                "--code",
                "AB",
                "--site",
                "S",
                "--offline",
                "--printer-port",
                silent,
            ],
            "--printer-port",
        ),
    ];
    let out = out_path(&dir);
    for (args, expected) in cases {
        let mut all = args.clone();
        all.extend(["--out", out.to_str().unwrap()]);
        let result = provision(&dir, &all, "");
        let stderr = result.stderr_text();
        assert_eq!(result.status.code(), Some(1), "{args:?}: {stderr}");
        let last = stderr.lines().last().unwrap_or("");
        assert!(last.starts_with("guichet: "), "{args:?}: {stderr}");
        assert!(last.contains(expected), "{args:?}: {stderr}");
        assert!(!out.exists(), "{args:?}: nothing written");
        assert!(
            !out.parent().unwrap().exists(),
            "{args:?}: not even its folder"
        );
    }
    // A key from stdin that is refused is not written either.
    let stdin_key = dir.path().join("stdin-key");
    let result = provision(
        &dir,
        &[
            "--code",
            "AB",
            "--site",
            "S",
            "--central-url",
            &closed,
            "--allow-insecure-http",
            "--api-key-file",
            stdin_key.to_str().unwrap(),
            "--api-key-stdin",
            "--out",
            out.to_str().unwrap(),
        ],
        "a-key\n",
    );
    assert_eq!(result.status.code(), Some(1), "{}", result.stderr_text());
    assert!(!stdin_key.exists() && !out.exists());
}

#[test]
fn a_data_dir_with_another_devices_references_is_not_given_a_new_code_without_force() {
    let dir = TestDir::new("provision-reuse");
    // The demo configuration issues DEMO-… references into the data dir.
    let submitted = common::guichet(
        &dir,
        &[
            "submit",
            "--service",
            "GRAFFITI",
            "--description",
            "tag on the wall",
            "--lat",
            "1",
            "--long",
            "1",
        ],
    );
    assert!(submitted.status.success(), "{}", submitted.stderr_text());
    assert!(
        submitted.stdout_text().starts_with("DEMO-"),
        "{}",
        submitted.stdout_text()
    );

    let out = out_path(&dir);
    let o = out.to_str().unwrap();
    let refused = provision(
        &dir,
        &[
            "--code",
            "LIB3",
            "--site",
            "S",
            "--offline",
            "--printer-port",
            "none",
            "--out",
            o,
        ],
        "",
    );
    assert_eq!(refused.status.code(), Some(1));
    let stderr = refused.stderr_text();
    assert!(
        stderr.contains("DEMO") && stderr.contains("--force"),
        "{stderr}"
    );
    assert!(!out.exists(), "nothing written");

    // Its own code is fine, and so is a new one with --force.
    let same = provision(
        &dir,
        &[
            "--code",
            "DEMO",
            "--site",
            "S",
            "--offline",
            "--printer-port",
            "none",
            "--out",
            o,
        ],
        "",
    );
    assert!(same.status.success(), "{}", same.stderr_text());
    let forced = provision(
        &dir,
        &[
            "--code",
            "LIB3",
            "--site",
            "S",
            "--offline",
            "--printer-port",
            "none",
            "--out",
            o,
            "--force",
        ],
        "",
    );
    assert!(forced.status.success(), "{}", forced.stderr_text());
    assert_eq!(
        guichet::config::Config::load_file(&out)
            .unwrap()
            .device
            .code,
        "LIB3"
    );
}

/// On a terminal, what the flags leave out is asked, with its default and why; Enter takes the
/// default. (A pseudo-terminal is the terminal; without one the same missing flag is an error,
/// see above.)
#[test]
fn on_a_terminal_missing_values_are_asked_with_defaults() {
    use serialport::{SerialPort, TTYPort};
    use std::io::Read;
    let dir = TestDir::new("provision-tty");
    let (mut master, slave) = TTYPort::pair().unwrap();
    let slave_path = slave.name().unwrap();
    let stdin = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(&slave_path)
        .unwrap();
    drop(slave);
    let out = out_path(&dir);
    let mut child = common::command(&dir)
        .args(["provision", "--offline", "--printer-port", "none", "--out"])
        .arg(&out)
        .stdin(stdin)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Code, site, council (default), help contact (default), profile (default), languages,
    // idle timeout (default).
    master
        .write_all(b"TTY1\nBranch Library\n\n\n\nar,en\n\n")
        .unwrap();
    master.flush().unwrap();
    let status = child.wait().unwrap();
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert!(status.success(), "{stderr}");
    for question in [
        "Device code: 2–6 of A–Z 0–9",
        "Site name:",
        "Languages:",
        "[120]",
    ] {
        assert!(stderr.contains(question), "asked {question:?}: {stderr}");
    }
    let config = guichet::config::Config::load_file(&out).unwrap();
    assert_eq!(config.device.code, "TTY1");
    assert_eq!(config.device.site, "Branch Library");
    assert_eq!(config.ui.languages, ["ar", "en"]);
    assert_eq!(config.ui.idle_timeout_s, 120);
    assert_eq!(config.printer.profile, "default");
}
