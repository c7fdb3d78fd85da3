//! The kiosk as a machine in the fleet: the metrics that move with a restart and with a touch,
//! through the real binary and the kiosk's own textfile writer.

use std::sync::Arc;
use std::time::Duration;

use crate::common::{self, OutputText, TestDir};

fn metrics(dir: &TestDir) -> common::prom::Metrics {
    let out = common::guichet(dir, &["metrics", "--out", "-"]);
    assert!(out.status.success(), "{}", out.stderr_text());
    common::prom::parse(&out.stdout_text())
}

fn now() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs_f64()
        .floor()
}

#[test]
fn metrics_count_starts_and_restarts_and_the_kiosk_shows_the_last_touch() {
    use guichet::ui::Backend;
    let dir = TestDir::new("fleet-restarts");
    let before = metrics(&dir);
    assert_eq!(before.value("guichet_kiosk_starts_total", &[]), 0.0);
    assert_eq!(before.value("guichet_kiosk_restarts", &[]), 0.0);
    assert!(
        before
            .get("guichet_last_interaction_timestamp_seconds", &[])
            .is_none(),
        "only the running kiosk knows its last touch"
    );
    assert!(
        before
            .get("guichet_printer_paper", &[("state", "ok")])
            .is_none(),
        "no serial printer: no sensors"
    );

    // The kiosk records each of its starts (as `guichet kiosk` does when it opens the store).
    let boot = guichet::queue::current_boot_id();
    let mut store = guichet::queue::Store::open(dir.path()).unwrap();
    store.record_start(&boot).unwrap();
    let started = metrics(&dir);
    assert_eq!(started.value("guichet_kiosk_starts_total", &[]), 1.0);
    assert_eq!(started.value("guichet_kiosk_restarts", &[]), 0.0);
    store.record_start(&boot).unwrap();
    let restarted = metrics(&dir);
    assert_eq!(restarted.value("guichet_kiosk_starts_total", &[]), 2.0);
    assert_eq!(restarted.value("guichet_kiosk_restarts", &[]), 1.0);
    drop(store);

    // A touch reaches the touchscreen's backend (the kiosk's store worker); the kiosk's own
    // textfile then says when.
    let touched_at = now();
    let (tx, _rx) = std::sync::mpsc::channel();
    let worker = guichet::runtime::StoreWorker::spawn(
        guichet::queue::StoreLocation::in_dir(dir.path()),
        "LIB7".into(),
        tx,
        Box::new(|_| {}),
    );
    worker.touched();
    let textfile = dir.path().join("guichet.prom");
    let config_path = dir.path().join("kiosk.toml");
    std::fs::write(
        &config_path,
        format!(
            "[device]\ncode = \"LIB7\"\n[printer]\nport = \"none\"\n[fleet]\ntextfile = {:?}\n",
            textfile.display().to_string()
        ),
    )
    .unwrap();
    let config = guichet::config::Config::load_file(&config_path).unwrap();
    let refresher = guichet::runtime::metrics::spawn_refresher(
        Arc::new(config),
        guichet::queue::StoreLocation::in_dir(dir.path()),
    );
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while !textfile.exists() {
        assert!(std::time::Instant::now() < deadline, "textfile written");
        std::thread::sleep(Duration::from_millis(20));
    }
    drop(refresher);
    let written = common::prom::parse(&std::fs::read_to_string(&textfile).unwrap());
    assert!(written.value("guichet_last_interaction_timestamp_seconds", &[]) >= touched_at);
    assert_eq!(written.value("guichet_kiosk_restarts", &[]), 1.0);
}

#[test]
fn status_summarises_the_alerts_the_shipped_rules_would_raise() {
    let dir = TestDir::new("fleet-alerts");
    for _ in 0..2 {
        common::submit_graffiti(&dir, &[]);
    }
    let key = dir.path().join("api-key");
    std::fs::write(&key, "test-api-key\n").unwrap();
    let textfile = dir.path().join("guichet.prom");
    let config = dir.path().join("kiosk.toml");
    std::fs::write(
        &config,
        format!(
            "[device]\ncode = \"ST1\"\n[central]\nkind = \"open311\"\nurl = \"http://127.0.0.1:9/\"\napi_key_file = {:?}\nallow_insecure_http = true\n[printer]\nport = \"none\"\n[fleet]\ntextfile = {:?}\n",
            key.display().to_string(),
            textfile.display().to_string()
        ),
    )
    .unwrap();
    let rfc3339 = |seconds_ago: i64| {
        (time::OffsetDateTime::now_utc() - time::Duration::seconds(seconds_ago))
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap()
    };
    let store = guichet::queue::Store::open(dir.path()).unwrap();
    let set = |last_success_ago: i64| {
        store
            .set_state_value("sync.last_success_at", &rfc3339(last_success_ago))
            .unwrap();
        store
            .set_state_value("sync.catalog_checked_at", &rfc3339(0))
            .unwrap();
    };
    // One submission waits for staff; nothing reached the council for 3 hours; the running
    // kiosk's textfile says its last frame was 10 minutes ago.
    store
        .connection()
        .execute(
            "UPDATE submissions SET review_reason = 'no answer' WHERE id = (SELECT min(id) FROM submissions)",
            [],
        )
        .unwrap();
    set(3 * 3600);
    std::fs::write(
        &textfile,
        format!(
            "guichet_last_frame_timestamp_seconds {}\n",
            now() as i64 - 600
        ),
    )
    .unwrap();
    let alerts = || {
        let out = common::guichet(
            &dir,
            &["--config", config.to_str().unwrap(), "status", "--json"],
        );
        assert!(out.status.success(), "{}", out.stderr_text());
        let s: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        s["alerts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["alert"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    let firing = alerts();
    assert_eq!(
        firing,
        [
            "GuichetNoSyncWhilePending",
            "GuichetScreenDead",
            "GuichetReviewWaiting"
        ],
        "most severe first"
    );
    // The same facts in the text a technician reads.
    let out = common::guichet(&dir, &["--config", config.to_str().unwrap(), "status"]);
    assert!(
        out.stdout_text()
            .contains("ALERT     GuichetScreenDead (critical)"),
        "{}",
        out.stdout_text()
    );

    // Synced a minute ago, frames rendering: only the staff decision is left.
    set(60);
    std::fs::write(
        &textfile,
        format!("guichet_last_frame_timestamp_seconds {}\n", now() as i64),
    )
    .unwrap();
    assert_eq!(alerts(), ["GuichetReviewWaiting"]);
    store
        .connection()
        .execute("UPDATE submissions SET review_reason = NULL", [])
        .unwrap();
    assert!(alerts().is_empty());
    let out = common::guichet(&dir, &["--config", config.to_str().unwrap(), "status"]);
    assert!(out.stdout_text().contains("alerts    none"));

    // A resident asks for help: open until staff mark it done.
    let mut store = store;
    let id = store
        .insert_help_request("en", guichet::queue::HelpNotify::Pending)
        .unwrap();
    assert_eq!(alerts(), ["GuichetHelpNotAnswered"]);
    assert!(store.finish_help_request(id, "Amira").unwrap());
    assert!(alerts().is_empty(), "marked done: no alert");
}
