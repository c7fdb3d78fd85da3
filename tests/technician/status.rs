//! `guichet status --json` through the real binary: the fields a technician reads first, from a
//! real database, a real sync round against the Open311 test server and a fake printer.

use std::os::unix::fs::PermissionsExt;

use serde_json::Value;

use crate::common::{self, OutputText, TestDir};
use crate::open311_server::Open311Server;
use crate::printer_support::fake::{FakePrinter, Mode};

fn status(dir: &TestDir, args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.extend(["status", "--json"]);
    let out = common::guichet(dir, &all);
    assert!(out.status.success(), "{}", out.stderr_text());
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn status_shows_queue_counts_help_and_restarts() {
    let dir = TestDir::new("status-demo");
    for _ in 0..2 {
        common::submit_graffiti(&dir, &[]);
    }
    {
        let mut store = guichet::queue::Store::open(dir.path()).unwrap();
        store
            .connection()
            .execute(
                "UPDATE submissions SET state = 'rejected' WHERE id = (SELECT min(id) FROM submissions)",
                [],
            )
            .unwrap();
        store
            .set_state_value(guichet::runtime::HELP_REQUESTED_KEY, "2026-12-01T10:00:00Z")
            .unwrap();
        // Two kiosk starts in this boot: one restart.
        let boot = guichet::queue::current_boot_id();
        store.record_start(&boot).unwrap();
        store.record_start(&boot).unwrap();
    }
    let s = status(&dir, &[]);
    assert_eq!(s["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(s["device"], "DEMO");
    assert_eq!(s["central"], "none");
    assert_eq!(s["online"], false);
    assert_eq!(s["link"], "none");
    assert_eq!(s["last_sync"], Value::Null);
    assert_eq!(
        (s["pending"].as_u64(), s["rejected"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(s["review"], 0, "no review state in this schema: 0");
    assert_eq!(s["printer"]["state"], "file");
    assert!(s["disk_free_mb"].as_u64().is_some());
    assert_eq!(s["help_requested_at"], "2026-12-01T10:00:00Z");
    assert!(s["uptime_s"].as_u64().is_some());
    assert!(s["kiosk_started_at"].is_string());
    assert_eq!(s["restarts"], 1);
    assert_eq!(s["starts_total"], 2);
}

#[test]
fn status_after_a_sync_round_is_online_with_the_printer_ready() {
    let dir = TestDir::new("status-online");
    let server = Open311Server::start();
    let port = dir.path().join("ttyPrinter");
    let _printer = FakePrinter::plug_in(&port, Mode::NearEnd);
    let key = dir.path().join("api-key");
    std::fs::write(&key, "test-api-key\n").unwrap();
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o640)).unwrap();
    let config = dir.path().join("kiosk.toml");
    std::fs::write(
        &config,
        format!(
            "[device]\ncode = \"ST1\"\nsite = \"Town Hall\"\n[central]\nkind = \"open311\"\nurl = \"{}\"\napi_key_file = \"{}\"\nallow_insecure_http = true\n[printer]\nport = \"{}\"\n",
            server.url(),
            key.display(),
            port.display()
        ),
    )
    .unwrap();
    let c = config.to_str().unwrap();
    let before = status(&dir, &["--config", c]);
    assert_eq!(before["online"], false);
    assert_eq!(before["link"], "offline");
    let sync = common::guichet(&dir, &["--config", c, "sync", "--once"]);
    assert!(sync.status.success(), "{}", sync.stderr_text());
    let s = status(&dir, &["--config", c]);
    assert_eq!(s["device"], "ST1");
    assert_eq!(s["site"], "Town Hall");
    assert_eq!(s["central"], "open311");
    assert_eq!(s["online"], true);
    assert_eq!(s["link"], "online");
    assert!(s["last_sync"].is_string(), "{s}");
    assert_eq!(s["printer"]["state"], "ready");
    assert_eq!(s["printer"]["status"]["paper"], "near_end");
    assert_eq!(s["restarts"], 0);
}
