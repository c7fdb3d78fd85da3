//! `guichet doctor` through the real binary: on a healthy setup (real Open311 test server, fake
//! printer on a pty) every check passes; then each check is broken for its own reason and must
//! fail, name that reason, give a hint, and make the exit code 1.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::common::{self, OutputText, TestDir};
use crate::open311_server::{Fault, Open311Server, Route};
use crate::printer_support::fake::{FakePrinter, Mode};

/// A kiosk configuration in `dir` for `url` and the printer at `port`, 0640.
fn write_config(dir: &TestDir, url: &str, port: &Path) -> PathBuf {
    let key = dir.path().join("api-key");
    std::fs::write(&key, "test-api-key\n").unwrap();
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o640)).unwrap();
    let config = dir.path().join("kiosk.toml");
    std::fs::write(
        &config,
        format!(
            "[device]\ncode = \"DOC1\"\nsite = \"Test\"\n[central]\nkind = \"open311\"\nurl = \"{url}\"\napi_key_file = \"{}\"\nallow_insecure_http = true\n[printer]\nport = \"{}\"\n[ui]\nlanguages = [\"en\", \"ar\", \"uk\"]\n",
            key.display(),
            port.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&config, std::fs::Permissions::from_mode(0o640)).unwrap();
    config
}

/// Runs `guichet --config CONFIG doctor --json` with `env`: exit code and the checks by name.
fn doctor(dir: &TestDir, config: &Path, env: &[(&str, &str)]) -> (Option<i32>, Value, String) {
    let mut all_env = vec![("INVOCATION_ID", "")];
    all_env.extend_from_slice(env);
    let out = common::guichet_env(
        dir,
        &["--config", config.to_str().unwrap(), "doctor", "--json"],
        &all_env,
    );
    let json: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {} {}", out.stdout_text(), out.stderr_text()));
    (out.status.code(), json, out.stderr_text())
}

fn find<'a>(json: &'a Value, name: &str) -> &'a Value {
    json["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("no check {name}: {json}"))
}

/// Asserts `name` failed with `reason` in its detail and a hint, and that the run exited 1.
fn assert_fails(result: &(Option<i32>, Value, String), name: &str, reason: &str) {
    let (code, json, stderr) = result;
    let c = find(json, name);
    assert_eq!(c["ok"], false, "{name} should fail: {c}");
    let detail = c["detail"].as_str().unwrap();
    assert!(
        detail.contains(reason),
        "{name}: {detail:?} lacks {reason:?}"
    );
    assert!(
        c["hint"].as_str().is_some_and(|h| !h.is_empty()),
        "{name} has a hint: {c}"
    );
    assert_eq!(*code, Some(1), "{name}: exit 1");
    assert!(stderr.contains(name), "{stderr}");
}

fn assert_passes(json: &Value, name: &str) {
    let c = find(json, name);
    assert_eq!(c["ok"], true, "{name} should pass: {c}");
}

#[test]
fn doctor_passes_a_healthy_kiosk_and_fails_each_check_for_its_own_reason() {
    let dir = TestDir::new("doctor-checks");
    let server = Open311Server::start();
    let port = dir.path().join("ttyPrinter");
    let printer = FakePrinter::plug_in(&port, Mode::Ready);
    let config = write_config(&dir, &server.url(), &port);

    let healthy = doctor(&dir, &config, &[]);
    let names: Vec<&str> = healthy.1["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "config",
            "database",
            "data_key",
            "disk",
            "printer",
            "central",
            "last_sync",
            "clock",
            "catalog",
            "fonts",
            "speech",
            "touch",
            "service"
        ]
    );
    // espeak-ng is installed where CI runs (`.ci/run`); elsewhere speech mode may be missing.
    let espeak = std::process::Command::new("espeak-ng")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    for name in &names {
        // The disk check depends on the machine the tests run on.
        if *name != "disk" && (*name != "speech" || espeak) {
            assert_passes(&healthy.1, name);
        }
    }
    if espeak {
        let speech = find(&healthy.1, "speech");
        let detail = speech["detail"].as_str().unwrap();
        assert!(
            detail.contains("eSpeak NG") && detail.contains("voices for en, ar, uk"),
            "{speech}"
        );
        assert!(
            speech["hint"].as_str().unwrap().contains("speech_mixer_db"),
            "an unmeasured mixer is a warning: {speech}"
        );
    }
    assert!(
        find(&healthy.1, "central")["detail"]
            .as_str()
            .unwrap()
            .contains("answers as Open311")
    );
    if find(&healthy.1, "disk")["ok"] == true && espeak {
        assert_eq!(healthy.0, Some(0), "{}", healthy.2);
    }

    // config: the API key file readable by any user.
    let api_key = dir.path().join("api-key");
    std::fs::set_permissions(&api_key, std::fs::Permissions::from_mode(0o644)).unwrap();
    assert_fails(&doctor(&dir, &config, &[]), "config", "read by any user");
    std::fs::set_permissions(&api_key, std::fs::Permissions::from_mode(0o640)).unwrap();

    // data_key: exposed to other users; the database itself is fine.
    let key = dir.path().join("guichet.key");
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).unwrap();
    let result = doctor(&dir, &config, &[]);
    assert_fails(&result, "data_key", "accessible to other users");
    assert_passes(&result.1, "database");
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600)).unwrap();

    // printer: out of paper, then gone.
    printer.set_mode(Mode::PaperOut);
    assert_fails(&doctor(&dir, &config, &[]), "printer", "out of paper");
    printer.unplug();
    assert_fails(&doctor(&dir, &config, &[]), "printer", "not connected");
    let _printer = FakePrinter::plug_in(&port, Mode::Ready);

    // touch: a screen turned by ui.rotation without the udev rule that turns the touch (this
    // machine has none at the system path).
    if !std::path::Path::new("/etc/udev/rules.d/99-guichet-touch.rules").exists() {
        let turned = dir.path().join("turned.toml");
        std::fs::write(
            &turned,
            std::fs::read_to_string(&config).unwrap() + "rotation = 90\n",
        )
        .unwrap();
        std::fs::set_permissions(&turned, std::fs::Permissions::from_mode(0o640)).unwrap();
        assert_fails(&doctor(&dir, &turned, &[]), "touch", "ui.rotation = 90");
    }

    // central: a captive portal answers, then a URL with no endpoint.
    server.inject(Route::Services, Fault::CaptivePortal, 1);
    assert_fails(&doctor(&dir, &config, &[]), "central", "captive portal");
    let wrong = write_config(&dir, &format!("{}nothing-here/", server.url()), &port);
    assert_fails(&doctor(&dir, &wrong, &[]), "central", "404");
    let config = write_config(&dir, &server.url(), &port);

    // last_sync: what the last round learnt.
    {
        let store = guichet::queue::Store::open(dir.path()).unwrap();
        use guichet::sync::{Connectivity, LinkState};
        Connectivity::save_round(
            &store,
            true,
            LinkState::Online,
            Some("HTTP 403: Invalid api_key"),
        )
        .unwrap();
        assert_fails(
            &doctor(&dir, &config, &[]),
            "last_sync",
            "refused the API key",
        );
        Connectivity::save_round(
            &store,
            true,
            LinkState::Offline,
            Some("connection failed: invalid peer certificate: Expired"),
        )
        .unwrap();
        assert_fails(&doctor(&dir, &config, &[]), "last_sync", "TLS refused");
        Connectivity::save_round(&store, true, LinkState::Online, None).unwrap();
        assert_passes(&doctor(&dir, &config, &[]).1, "last_sync");

        // clock: earlier than a round already recorded.
        store
            .set_state_value(
                guichet::sync::connectivity::keys::LAST_CHECKED_AT,
                "2099-01-01T00:00:00Z",
            )
            .unwrap();
        assert_fails(&doctor(&dir, &config, &[]), "clock", "went backwards");
        Connectivity::save_round(&store, true, LinkState::Online, None).unwrap();

        // clock: the council server's clock, as the last round saw it, is 10 minutes away.
        use guichet::sync::connectivity::keys;
        store.set_state_value(keys::CLOCK_SKEW_S, "600").unwrap();
        assert_fails(&doctor(&dir, &config, &[]), "clock", "behind");
        store.set_state_value(keys::CLOCK_SKEW_S, "0").unwrap();

        // central: staff must act on an alert, however well the server answers now.
        store
            .set_state_value(keys::ALERT, "the same refusal for 3 submissions")
            .unwrap();
        assert_fails(&doctor(&dir, &config, &[]), "central", "ALERT");
        store.set_state_value(keys::ALERT, "").unwrap();
        assert_passes(&doctor(&dir, &config, &[]).1, "central");
    }

    // fonts: a fontconfig that knows no fonts.
    let fonts_conf = dir.path().join("fonts.conf");
    std::fs::write(
        &fonts_conf,
        format!(
            "<?xml version=\"1.0\"?><fontconfig><cachedir>{}</cachedir></fontconfig>",
            dir.path().join("fc-cache").display()
        ),
    )
    .unwrap();
    assert_fails(
        &doctor(
            &dir,
            &config,
            &[("FONTCONFIG_FILE", fonts_conf.to_str().unwrap())],
        ),
        "fonts",
        "no system font covers en, ar, uk",
    );

    // speech: no espeak-ng on the PATH; a voice missing for one language; a mixer control the
    // card does not have (fake espeak-ng and amixer first on the PATH).
    let nothing = dir.path().join("empty-bin");
    std::fs::create_dir_all(&nothing).unwrap();
    assert_fails(
        &doctor(&dir, &config, &[("PATH", nothing.to_str().unwrap())]),
        "speech",
        "espeak-ng does not run",
    );
    let fakes = dir.path().join("fake-bin");
    std::fs::create_dir_all(&fakes).unwrap();
    let fake = |name: &str, script: &str| {
        let path = fakes.join(name);
        std::fs::write(&path, script).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    };
    fake(
        "espeak-ng",
        "#!/bin/sh\n[ \"$1\" = --version ] && { echo 'eSpeak NG text-to-speech: 1.51  Data at: /x'; exit 0; }\n[ \"$2\" = ar ] && { echo 'Error: The specified espeak-ng voice does not exist.' >&2; exit 1; }\nexit 0\n",
    );
    fake(
        "amixer",
        "#!/bin/sh\n[ \"$4\" = Master ] && exit 0\necho \"amixer: Unable to find simple control '$4',0\" >&2\nexit 1\n",
    );
    let path = format!(
        "{}:{}",
        fakes.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    assert_fails(
        &doctor(&dir, &config, &[("PATH", &path)]),
        "speech",
        "has no voice for ar",
    );
    fake(
        "espeak-ng",
        "#!/bin/sh\necho 'eSpeak NG text-to-speech: 1.51'\nexit 0\n",
    );
    let original = std::fs::read_to_string(&config).unwrap();
    std::fs::write(
        &config,
        format!("{original}speech_mixer_db = -6.0\nspeech_mixer_control = \"Speaker\"\n"),
    )
    .unwrap();
    assert_fails(
        &doctor(&dir, &config, &[("PATH", &path)]),
        "speech",
        "Unable to find simple control 'Speaker'",
    );
    std::fs::write(&config, format!("{original}speech_mixer_db = -6.0\n")).unwrap();
    let mixed = doctor(&dir, &config, &[("PATH", &path)]);
    assert_passes(&mixed.1, "speech");
    let speech = find(&mixed.1, "speech");
    assert!(
        speech["detail"]
            .as_str()
            .unwrap()
            .contains("Master set to -6.0 dB")
            && speech["hint"].is_null(),
        "{speech}"
    );
    std::fs::write(&config, original).unwrap();

    // service: under systemd without the notify socket, watchdog or display.
    let result = doctor(
        &dir,
        &config,
        &[
            ("INVOCATION_ID", "0123"),
            ("NOTIFY_SOCKET", ""),
            ("WAYLAND_DISPLAY", ""),
            ("DISPLAY", ""),
        ],
    );
    assert_fails(&result, "service", "NOTIFY_SOCKET");
    assert!(
        find(&result.1, "service")["detail"]
            .as_str()
            .unwrap()
            .contains("WATCHDOG_USEC")
    );

    // database: damaged file; the key is still reported on its own.
    let db = dir.path().join(guichet::queue::DATABASE_FILE);
    let mut bytes = std::fs::read(&db).unwrap();
    for b in bytes.iter_mut().skip(100).take(4000) {
        *b = 0x5a;
    }
    std::fs::write(&db, bytes).unwrap();
    let _ = std::fs::remove_file(dir.path().join("guichet.sqlite3-wal"));
    let result = doctor(&dir, &config, &[]);
    assert_fails(&result, "database", "damaged");
    assert_passes(&result.1, "data_key");

    // config that does not load: reported as the config check, the rest skipped.
    std::fs::write(&config, "[device]\ncode = \"lib-2\"\n").unwrap();
    let result = doctor(&dir, &config, &[]);
    assert_fails(&result, "config", "device.code");
    assert_passes(&result.1, "printer");
}

/// `guichet config check`: the file alone (the image's on-site setup judges a `kiosk.toml` with it
/// before taking it); opens no database, so nothing appears in the data dir.
#[test]
fn config_check_judges_the_file_alone_and_names_the_bad_key() {
    let dir = TestDir::new("config-check");
    let config = dir.path().join("kiosk.toml");
    std::fs::write(
        &config,
        "[device]\ncode = \"CHK1\"\nsite = \"Library\"\n[central]\nkind = \"none\"\n[printer]\nport = \"none\"\n",
    )
    .unwrap();
    let path = config.to_str().unwrap();
    let out = common::guichet(&dir, &["--config", path, "config", "check"]);
    assert!(out.status.success(), "{}", out.stderr_text());
    assert!(
        out.stdout_text()
            .starts_with(&format!("ok: {path}: device CHK1")),
        "{}",
        out.stdout_text()
    );
    assert!(!dir.path().join("guichet.sqlite3").exists());

    std::fs::write(&config, "[device]\ncode = \"x\"\n").unwrap();
    let out = common::guichet(&dir, &["--config", path, "config", "check"]);
    assert_eq!(out.status.code(), Some(1));
    let said = out.stderr_text();
    assert_eq!(said.trim_end().lines().count(), 1, "{said}");
    assert!(said.contains("device.code"), "{said}");

    // No file at all (the embedded demo) is not a configuration to take.
    if Path::new("/etc/guichet/kiosk.toml").exists() {
        return;
    }
    let out = common::command(&dir)
        .args(["config", "check"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", out.stderr_text());
    assert!(out.stderr_text().contains("no configuration file"));
}
