//! Assisted mode without the screens: staff accounts (the real binary), the PIN pad's lockout
//! across a restart, the `staff::Desk` over a real store (look-up by a scanned QR payload,
//! reprint, health, review and rejected decisions, cancel, assisted and practice submissions),
//! help requests announced to a real local HTTP endpoint, and `guichet stats` / `metrics` /
//! `status` against a known sequence of sessions.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::process::Stdio;
use std::sync::mpsc::Receiver;
use std::time::Duration;

use common::{OutputText, TestDir, guichet};
use guichet::config::{Config, ConfigSource};
use guichet::queue::{
    ClaimMark, HelpNotify, JobState, Resolution, SessionOutcome, SessionRecord, State, Store,
    StoreLocation,
};
use guichet::runtime::StoreWorker;
use guichet::staff::{Desk, DeskSettings, LockoutPolicy, PinCheck, StaffError, StaffSession};
use guichet::sync::HelpNotifier;
use guichet::ui::{Backend, UiEvent};
use guichet::validate::{Answer, Location, ValidForm};
use time::OffsetDateTime;

fn pothole(n: u32) -> ValidForm {
    ValidForm {
        service_code: "POTHOLE".into(),
        locale: "fr".into(),
        answers: [("SIZE".to_string(), Answer::One("large".into()))].into(),
        description: format!("Trou numéro {n} devant chez Mme Secret"),
        location: Location {
            address: format!("{n} rue Haute"),
            lat: None,
            long: None,
        },
        ..ValidForm::default()
    }
}

fn settings() -> DeskSettings {
    DeskSettings {
        device_code: "LIB2".into(),
        central_configured: true,
        printer_configured: true,
    }
}

fn add_staff(dir: &TestDir, name: &str, pin: &str) -> std::process::Output {
    let mut child = common::command(dir)
        .args(["staff", "add", name])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{pin}\n").as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn audit_actions(store: &Store) -> Vec<(String, String, Option<String>, String)> {
    store
        .audit_lines(1000)
        .unwrap()
        .into_iter()
        .map(|l| (l.actor, l.action, l.reference, l.detail))
        .collect()
}

#[test]
fn staff_accounts_are_managed_from_the_command_line_with_unique_hashed_pins() {
    let dir = TestDir::new("staff-cli");
    let out = add_staff(&dir, "Alice Martin", "482913");
    assert!(out.status.success(), "{}", out.stderr_text());
    // The PIN pad names staff by PIN alone: a second account with the same PIN is refused.
    let out = add_staff(&dir, "Bob", "482913");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        out.stderr_text().contains("already has this PIN"),
        "{}",
        out.stderr_text()
    );
    for bad in ["12345", "1234567890123", "12a456", ""] {
        let out = add_staff(&dir, "Bob", bad);
        assert_eq!(out.status.code(), Some(1), "{bad:?}");
        assert!(
            out.stderr_text().contains("6 to 12 digits"),
            "{}",
            out.stderr_text()
        );
    }
    let out = add_staff(&dir, "Alice Martin", "777777");
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stderr_text().contains("already exists"));
    assert!(add_staff(&dir, "Bob", "555123").status.success());

    let out = guichet(&dir, &["staff", "list", "--json"]);
    assert!(out.status.success(), "{}", out.stderr_text());
    let list: serde_json::Value = serde_json::from_str(&out.stdout_text()).unwrap();
    let names: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Alice Martin", "Bob"]);
    for a in list.as_array().unwrap() {
        let keys: Vec<&String> = a.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["created_at", "name"], "never the hash");
    }

    assert!(guichet(&dir, &["staff", "remove", "Bob"]).status.success());
    let out = guichet(&dir, &["staff", "remove", "Bob"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stderr_text().contains("no staff account named"));

    let store = Store::open(dir.path()).unwrap();
    let hashes = store.staff_pin_hashes().unwrap();
    assert_eq!(hashes.len(), 1);
    assert!(hashes[0].1.starts_with("$argon2id$"), "{}", hashes[0].1);
    let actions: Vec<String> = audit_actions(&store)
        .into_iter()
        .map(|(actor, action, _, detail)| format!("{actor} {action} {detail}"))
        .collect();
    assert!(
        actions.contains(&"cli staff.add account Alice Martin".to_string()),
        "{actions:?}"
    );
    assert!(
        actions.contains(&"cli staff.remove account Bob".to_string()),
        "{actions:?}"
    );
    drop(store);
    // The PIN is nowhere in the database files.
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let path = entry.unwrap().path();
        if path.to_string_lossy().contains("sqlite3") {
            let bytes = std::fs::read(&path).unwrap();
            assert!(!bytes.windows(6).any(|w| w == b"482913"), "{path:?}");
        }
    }
}

#[test]
fn five_wrong_pins_lock_entry_for_a_growing_delay_that_survives_a_restart() {
    let dir = TestDir::new("staff-lockout");
    let mut store = Store::open(dir.path()).unwrap();
    Desk::new(&mut store, settings())
        .add_staff("Alice", "482913", "cli")
        .unwrap();
    let t0 = OffsetDateTime::now_utc();
    {
        let mut desk = Desk::new(&mut store, settings());
        for left in (1..5).rev() {
            assert_eq!(
                desk.verify_pin_at("111111", t0).unwrap(),
                PinCheck::Wrong {
                    attempts_left: left
                }
            );
        }
        let PinCheck::Locked { seconds_left, .. } = desk.verify_pin_at("111111", t0).unwrap()
        else {
            panic!("the fifth wrong PIN locks");
        };
        assert_eq!(seconds_left, 30);
        // While locked, even the right PIN is not compared.
        assert!(matches!(
            desk.verify_pin_at("482913", t0 + time::Duration::seconds(10))
                .unwrap(),
            PinCheck::Locked {
                seconds_left: 20,
                ..
            }
        ));
    }
    // A restart (unplugging the kiosk) keeps the lock.
    drop(store);
    let mut store = Store::open(dir.path()).unwrap();
    let mut desk = Desk::new(&mut store, settings());
    assert!(matches!(
        desk.verify_pin_at("482913", t0 + time::Duration::seconds(29))
            .unwrap(),
        PinCheck::Locked { .. }
    ));
    assert!(desk.locked_until().unwrap().is_some());
    // After the lock, five more wrong PINs lock for twice as long.
    let t1 = t0 + time::Duration::seconds(31);
    for _ in 0..4 {
        assert!(matches!(
            desk.verify_pin_at("999999", t1).unwrap(),
            PinCheck::Wrong { .. }
        ));
    }
    assert!(matches!(
        desk.verify_pin_at("999999", t1).unwrap(),
        PinCheck::Locked {
            seconds_left: 60,
            ..
        }
    ));
    let t2 = t1 + time::Duration::seconds(61);
    let PinCheck::Staff(session) = desk.verify_pin_at("482913", t2).unwrap() else {
        panic!("the right PIN after the lock");
    };
    assert_eq!(session.name(), "Alice");
    // A right PIN clears the count: the next wrong one has four more after it.
    assert_eq!(
        desk.verify_pin_at("000000", t2).unwrap(),
        PinCheck::Wrong { attempts_left: 4 }
    );
    let actions: Vec<String> = audit_actions(desk.store())
        .into_iter()
        .map(|(actor, action, _, _)| format!("{actor} {action}"))
        .collect();
    assert_eq!(
        actions
            .iter()
            .filter(|a| *a == "kiosk staff.pin-locked")
            .count(),
        2
    );
    assert!(actions.contains(&"Alice staff.sign-in".to_string()));
    // Never a PIN in the audit trail.
    for (_, _, _, detail) in audit_actions(desk.store()) {
        assert!(
            !detail.contains("482913") && !detail.contains("999999"),
            "{detail}"
        );
    }
    // A short policy, as tests of the screens use.
    let mut fast = Desk::new(&mut store, settings()).with_policy(LockoutPolicy {
        failures_per_lock: 1,
        first_lock: time::Duration::seconds(1),
        max_lock: time::Duration::seconds(1),
    });
    assert!(matches!(
        fast.verify_pin_at("123123", t2 + time::Duration::seconds(5))
            .unwrap(),
        PinCheck::Locked { .. }
    ));
}

#[test]
fn the_desk_looks_up_by_scanned_qr_reprints_and_reports_health_without_personal_data() {
    let dir = TestDir::new("staff-desk");
    let mut store = Store::open(dir.path()).unwrap();
    let reference = store
        .enqueue("LIB2", &pothole(1), None)
        .unwrap()
        .to_string();
    store
        .connection()
        .execute(
            "UPDATE submissions SET state = 'accepted', remote_id = '881', remote_status = 'open',
                remote_status_at = '2026-12-01T09:30:00Z' WHERE reference = ?1",
            [&reference],
        )
        .unwrap();
    let staff = StaffSession::for_cli("Alice");
    let mut desk = Desk::new(&mut store, settings());
    // A scanner that types like a keyboard sends the QR's status URL.
    let status = desk
        .lookup(
            &staff,
            &format!("https://council.example/track/{reference}\n"),
        )
        .unwrap();
    assert_eq!(status.reference, reference);
    assert_eq!(status.state, State::Accepted);
    assert_eq!(status.remote_status.as_deref(), Some("open"));
    assert_eq!(status.reported_at.as_deref(), Some("2026-12-01T09:30:00Z"));
    let json = serde_json::to_string(&status).unwrap();
    for secret in ["rue Haute", "Secret", "large"] {
        assert!(!json.contains(secret), "{secret} in {json}");
    }
    // A resident checks the same request by typing its reference (no audit line for them).
    let resident = desk.check_request(&reference.to_lowercase()).unwrap();
    assert_eq!(resident, status);
    assert!(matches!(
        desk.check_request("LIB2-00001-Z"),
        Err(StaffError::NotAReference(_))
    ));
    let unknown = guichet::reference::Reference::issue("LIB2", 99).unwrap();
    assert!(matches!(
        desk.check_request(unknown.as_str()),
        Err(StaffError::Store(guichet::queue::StoreError::NotFound(_)))
    ));

    // Reprint: a new job marked as a copy, audited with the staff name.
    let job = desk.reprint(&staff, &reference).unwrap();
    let jobs = desk.store().print_jobs_for(&reference).unwrap();
    assert_eq!(jobs.len(), 2);
    assert!(
        jobs.iter()
            .any(|j| j.id == job && j.reprint && j.state == JobState::Pending)
    );

    // Health from the stored facts: a captive portal, a paper-out receipt, counts.
    desk.store()
        .set_state_value("sync.link", "captive_portal")
        .unwrap();
    desk.store()
        .set_state_value("sync.last_checked_at", "2026-12-01T10:00:00Z")
        .unwrap();
    desk.store()
        .finish_print_attempt(job, JobState::Pending, Some("paper_out: load a new roll"))
        .unwrap();
    let health = desk.health().unwrap();
    assert!(health.captive_portal && !health.online);
    assert_eq!(
        health.last_checked_at.as_deref(),
        Some("2026-12-01T10:00:00Z")
    );
    assert!(health.paper_out && !health.cover_open);
    assert_eq!(health.print_queue, 2);
    assert_eq!((health.pending, health.review, health.rejected), (0, 0, 0));

    let lines = audit_actions(desk.store());
    assert!(lines.contains(&(
        "Alice".into(),
        "staff.lookup".into(),
        Some(reference.clone()),
        String::new()
    )));
    assert!(lines.contains(&(
        "Alice".into(),
        "receipt.reprint".into(),
        Some(reference.clone()),
        String::new()
    )));
}

#[test]
fn review_and_rejected_items_are_resolved_refiled_or_cancelled_and_cancelled_is_never_sent() {
    let dir = TestDir::new("staff-review");
    let mut store = Store::open(dir.path()).unwrap();
    let in_review = store
        .enqueue("LIB2", &pothole(1), None)
        .unwrap()
        .to_string();
    let refused = store
        .enqueue("LIB2", &pothole(2), None)
        .unwrap()
        .to_string();
    let to_cancel = store
        .enqueue("LIB2", &pothole(3), None)
        .unwrap()
        .to_string();
    let being_sent = store
        .enqueue("LIB2", &pothole(4), None)
        .unwrap()
        .to_string();
    let c = store.connection();
    c.execute(
        "UPDATE submissions SET review_reason = 'lookups inconclusive for 12 h' WHERE reference = ?1",
        [&in_review],
    )
    .unwrap();
    for r in [&refused, &to_cancel] {
        c.execute(
            "UPDATE submissions SET state = 'rejected', last_error = 'refused by the council''s server; its reason is sealed' WHERE reference = ?1",
            [r],
        )
        .unwrap();
    }
    c.execute(
        "UPDATE submissions SET outcome_unknown = 1 WHERE reference = ?1",
        [&being_sent],
    )
    .unwrap();
    let staff = StaffSession::for_cli("Bea");
    let mut desk = Desk::new(&mut store, settings());
    let review = desk.review_list().unwrap();
    assert_eq!(review.len(), 1);
    assert_eq!(review[0].status.reference, in_review);
    assert_eq!(
        review[0].reason.as_deref(),
        Some("lookups inconclusive for 12 h")
    );
    assert_eq!(desk.rejected_list().unwrap().len(), 2);

    desk.resolve(&staff, &in_review, &Resolution::Sent("4242".into()))
        .unwrap();
    assert_eq!(
        desk.check_request(&in_review).unwrap().state,
        State::Accepted
    );

    let mut form = desk.form_for_refile(&staff, &refused).unwrap().unwrap();
    form.service_code = "STREETLIGHT".into();
    desk.refile(&staff, &refused, &form).unwrap();
    let now = desk.check_request(&refused).unwrap();
    assert_eq!(
        (now.state, now.service_code.as_str()),
        (State::Pending, "STREETLIGHT")
    );

    // Something possibly on the server cannot be cancelled.
    assert!(desk.cancel(&staff, &being_sent).is_err());
    desk.cancel(&staff, &to_cancel).unwrap();
    assert_eq!(
        desk.check_request(&to_cancel).unwrap().state,
        State::Cancelled
    );
    assert!(desk.rejected_list().unwrap().is_empty());
    let store = desk.store();
    let cancelled = store.get(&to_cancel).unwrap();
    assert!(cancelled.form.is_none(), "personal data erased");
    assert!(cancelled.erased_at.is_some());
    // Nothing puts it back or sends it.
    assert_eq!(store.retry_all_rejected(None, "cli").unwrap(), 0);
    assert!(store.retry(&to_cancel, "cli").is_err());
    let claimed: Vec<String> = store
        .claim_due(&ClaimMark::new(), "9999-01-01T00:00:00.000Z", 100)
        .unwrap()
        .into_iter()
        .map(|o| o.reference)
        .collect();
    assert_eq!(claimed, std::slice::from_ref(&refused));
    let lines = audit_actions(store);
    for (action, reference) in [
        ("queue.resolve", &in_review),
        ("queue.refile", &refused),
        ("queue.cancel", &to_cancel),
        ("staff.open-for-refile", &refused),
    ] {
        assert!(
            lines
                .iter()
                .any(|(a, act, r, _)| a == "Bea" && act == action && r.as_ref() == Some(reference)),
            "{action}: {lines:?}"
        );
    }
    for (_, _, _, detail) in &lines {
        assert!(
            !detail.contains("rue Haute") && !detail.contains("Secret"),
            "{detail}"
        );
    }
}

#[test]
fn assisted_and_practice_submissions_carry_the_staff_name_and_practice_is_never_sent() {
    let dir = TestDir::new("staff-assisted");
    let mut store = Store::open(dir.path()).unwrap();
    Desk::new(&mut store, settings())
        .add_staff("Chloé", "246813", "cli")
        .unwrap();
    let mut desk = Desk::new(&mut store, settings());
    let PinCheck::Staff(mut session) = desk.verify_pin("246813").unwrap() else {
        panic!("right PIN");
    };
    let assisted = desk
        .submit_assisted(&session, &pothole(1))
        .unwrap()
        .to_string();
    desk.start_training(&mut session).unwrap();
    assert!(session.practice());
    let practice = desk
        .submit_assisted(&session, &pothole(2))
        .unwrap()
        .to_string();
    let s = desk.store();
    assert_eq!(
        s.get(&assisted).unwrap().assisted_by.as_deref(),
        Some("Chloé")
    );
    assert_eq!(s.get(&practice).unwrap().state, State::Practice);
    assert!(s.receipt_row(&practice).unwrap().practice);
    assert!(!s.receipt_row(&assisted).unwrap().practice);
    assert_eq!(
        s.count(State::Pending).unwrap(),
        1,
        "practice is not pending"
    );
    assert!(
        s.list(Some(State::Pending))
            .unwrap()
            .iter()
            .all(|r| r.reference == assisted)
    );
    let claimed: Vec<String> = s
        .claim_due(&ClaimMark::new(), "9999-01-01T00:00:00.000Z", 100)
        .unwrap()
        .into_iter()
        .map(|o| o.reference)
        .collect();
    assert_eq!(
        claimed,
        std::slice::from_ref(&assisted),
        "practice is never claimed for delivery"
    );
    let lines = audit_actions(s);
    assert!(lines.contains(&(
        "Chloé".into(),
        "staff.assisted-submission".into(),
        Some(assisted.clone()),
        "POTHOLE".into()
    )));
    assert!(lines.iter().any(|(a, act, r, _)| a == "Chloé"
        && act == "staff.practice-submission"
        && r.as_ref() == Some(&practice)));
    // "Lock" ends the staff session: practice is erased, with its receipt job.
    let erased = desk.lock(session).unwrap();
    assert_eq!(erased, 1);
    assert!(desk.store().get(&practice).is_err());
    assert!(desk.store().print_jobs_for(&practice).unwrap().is_empty());
    assert!(desk.store().get(&assisted).is_ok());
    let lines = audit_actions(desk.store());
    assert!(lines.iter().any(|(a, act, _, d)| a == "Chloé"
        && act == "staff.practice-erased"
        && d == "1 practice submission(s)"));
    assert!(
        lines
            .iter()
            .any(|(a, act, _, _)| a == "Chloé" && act == "staff.lock")
    );
}

/// A local endpoint for help notifications: answers with the next status of `statuses` (the
/// last one repeats) and hands over each JSON body, with its `Idempotency-Key` header added as
/// `"header_idempotency_key"`.
fn help_endpoint(statuses: Vec<u16>) -> (String, Receiver<serde_json::Value>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/notify", listener.local_addr().unwrap());
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for (i, stream) in listener.incoming().enumerate() {
            let Ok(mut stream) = stream else { return };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            assert!(line.starts_with("POST /notify "), "{line}");
            let mut length = 0;
            let mut key = None;
            loop {
                line.clear();
                reader.read_line(&mut line).unwrap();
                let Some((name, value)) = line.trim_end().split_once(':') else {
                    break;
                };
                if name.eq_ignore_ascii_case("content-length") {
                    length = value.trim().parse().unwrap();
                }
                if name.eq_ignore_ascii_case("idempotency-key") {
                    key = Some(value.trim().to_string());
                }
            }
            let mut body = vec![0; length];
            reader.read_exact(&mut body).unwrap();
            let status = statuses[i.min(statuses.len() - 1)];
            let _ = stream.write_all(
                format!("HTTP/1.1 {status} X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                    .as_bytes(),
            );
            let mut body: serde_json::Value = serde_json::from_slice(&body).unwrap();
            body["header_idempotency_key"] = key.into();
            if tx.send(body).is_err() {
                return;
            }
        }
    });
    (url, rx)
}

fn help_config(dir: &TestDir, notify_url: Option<&str>) -> Config {
    let mut text = format!(
        "[device]\ncode = \"LIB2\"\nsite = \"Central Library\"\ndata_dir = {:?}\n[central]\nkind = \"none\"\nallow_insecure_http = true\n[printer]\nport = \"none\"\n",
        dir.path().display().to_string()
    );
    if let Some(url) = notify_url {
        text.push_str(&format!("[help]\nnotify_url = {url:?}\n"));
    }
    Config::parse(&text, &ConfigSource::File(dir.path().join("kiosk.toml"))).unwrap()
}

/// The kiosk's wiring of "Ask for help": the store worker saves the request and hands it to
/// the notifier, whose outcome comes back as `UiEvent::HelpAnswer`.
fn help_kiosk(config: &Config, dir: &TestDir) -> (StoreWorker, Receiver<UiEvent>) {
    // As the kiosk does: the schema is brought up to date before the threads open the store.
    drop(Store::open(dir.path()).unwrap());
    let (tx, rx) = std::sync::mpsc::channel();
    let help_tx = tx.clone();
    let location = StoreLocation::in_dir(dir.path());
    let notifier = HelpNotifier::spawn(
        config,
        location.clone(),
        Box::new(move |_, delivered| {
            let _ = help_tx.send(UiEvent::HelpAnswer { delivered });
        }),
    )
    .unwrap();
    let settings = guichet::staff::DeskSettings {
        device_code: "LIB2".into(),
        ..Default::default()
    };
    let worker = StoreWorker::spawn_with_help(location, settings, tx, Box::new(|_| {}), notifier);
    (worker, rx)
}

fn next_help_answer(rx: &Receiver<UiEvent>) -> bool {
    loop {
        match rx
            .recv_timeout(Duration::from_secs(20))
            .expect("a help answer")
        {
            UiEvent::HelpAnswer { delivered } => return delivered,
            _ => continue,
        }
    }
}

#[test]
fn a_help_request_reaches_a_local_endpoint_and_the_resident_is_told_only_then() {
    let dir = TestDir::new("help-delivered");
    let (url, bodies) = help_endpoint(vec![204]);
    let config = help_config(&dir, Some(&url));
    let (worker, events) = help_kiosk(&config, &dir);
    worker.request_help();
    assert!(
        next_help_answer(&events),
        "delivered → \"Staff have been told\""
    );
    let body = bodies.recv_timeout(Duration::from_secs(5)).unwrap();
    assert_eq!(body["kiosk"], "LIB2");
    assert_eq!(body["site"], "Central Library");
    assert!(body["help_request"].as_i64().is_some());
    assert!(body["text"].as_str().unwrap().contains("Central Library"));
    drop(worker);
    let store = Store::open(dir.path()).unwrap();
    let open = store.open_help_requests().unwrap();
    assert_eq!(open.len(), 1);
    assert_eq!(open[0].notify, HelpNotify::Delivered);
    assert_eq!(body["help_request"].as_i64().unwrap(), open[0].id);
}

#[test]
fn without_a_working_endpoint_the_resident_is_sent_to_the_desk_and_the_request_is_retried() {
    // No notify_url at all: nobody can be told.
    let dir = TestDir::new("help-unconfigured");
    let config = help_config(&dir, None);
    let (worker, events) = help_kiosk(&config, &dir);
    worker.request_help();
    assert!(
        !next_help_answer(&events),
        "no notify_url → \"Please ask at the desk\""
    );
    drop(worker);
    let store = Store::open(dir.path()).unwrap();
    assert_eq!(
        store.open_help_requests().unwrap()[0].notify,
        HelpNotify::Unconfigured
    );

    // An endpoint that is down (connection refused): the desk, and retried later.
    let dir = TestDir::new("help-down");
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let down = format!("http://127.0.0.1:{port}/notify");
    let config = help_config(&dir, Some(&down));
    let (worker, events) = help_kiosk(&config, &dir);
    worker.request_help();
    assert!(!next_help_answer(&events));
    drop(worker);
    let mut store = Store::open(dir.path()).unwrap();
    let pending = store.open_help_requests().unwrap();
    assert_eq!(pending[0].notify, HelpNotify::Pending);
    assert_eq!(pending[0].attempts, 1);
    assert!(pending[0].next_attempt_at.is_some() && pending[0].last_error.is_some());

    // An endpoint answering 503: still not told. Then the retry, after a restart, delivers.
    let dir = TestDir::new("help-retry");
    let (url, bodies) = help_endpoint(vec![503, 200]);
    let config = help_config(&dir, Some(&url));
    let (worker, events) = help_kiosk(&config, &dir);
    worker.request_help();
    assert!(!next_help_answer(&events), "a 503 is not delivered");
    let first = bodies.recv_timeout(Duration::from_secs(5)).unwrap();
    drop(worker);
    store = Store::open(dir.path()).unwrap();
    let id = store.open_help_requests().unwrap()[0].id;
    store
        .connection()
        .execute(
            "UPDATE help_requests SET next_attempt_at = '2000-01-01T00:00:00Z' WHERE id = ?1",
            [id],
        )
        .unwrap();
    // A new start sends what was left pending, and the resident (if still there) is told.
    let (worker, events) = help_kiosk(&config, &dir);
    assert!(next_help_answer(&events), "the retry delivers");
    let retried = bodies.recv_timeout(Duration::from_secs(5)).unwrap();
    assert_eq!(retried["help_request"].as_i64(), Some(id));
    // The same key on both POSTs, in the header and the body: a receiver can drop the repeat.
    let key = first["id"].as_str().unwrap().to_string();
    assert!(key.starts_with("guichet-help-LIB2-"), "{key}");
    assert_eq!(first["header_idempotency_key"].as_str(), Some(key.as_str()));
    assert_eq!(retried["id"].as_str(), Some(key.as_str()));
    assert_eq!(
        retried["header_idempotency_key"].as_str(),
        Some(key.as_str())
    );
    drop(worker);
    let row = store.help_request(id).unwrap().unwrap();
    assert_eq!((row.notify, row.attempts), (HelpNotify::Delivered, 2));
}

#[test]
fn a_help_request_older_than_half_an_hour_is_no_longer_announced_but_stays_open() {
    let dir = TestDir::new("help-too-old");
    let (url, bodies) = help_endpoint(vec![503, 200]);
    let config = help_config(&dir, Some(&url));
    let (worker, events) = help_kiosk(&config, &dir);
    worker.request_help();
    assert!(!next_help_answer(&events), "a 503 is not delivered");
    bodies.recv_timeout(Duration::from_secs(5)).unwrap();
    drop(worker);
    // Asked 31 minutes ago, its retry due long since: the endpoint would now answer 200.
    let store = Store::open(dir.path()).unwrap();
    let id = store.open_help_requests().unwrap()[0].id;
    let asked = guichet::clock::rfc3339(OffsetDateTime::now_utc() - time::Duration::minutes(31));
    store
        .connection()
        .execute(
            "UPDATE help_requests SET requested_at = ?2,
                next_attempt_at = '2000-01-01T00:00:00Z' WHERE id = ?1",
            rusqlite::params![id, asked],
        )
        .unwrap();
    // A restart: the notifier looks at what is pending and lets the old request go.
    let (worker, _events) = help_kiosk(&config, &dir);
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    loop {
        let row = store.help_request(id).unwrap().unwrap();
        if row.last_error.as_deref() == Some(guichet::queue::HELP_TOO_OLD) {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "never set aside: {row:?}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    // Give the notifier a moment in which it could (wrongly) have POSTed.
    assert!(
        bodies.recv_timeout(Duration::from_millis(1500)).is_err(),
        "no POST for a request older than 30 minutes"
    );
    drop(worker);
    let row = store.help_request(id).unwrap().unwrap();
    assert_eq!((row.notify, row.attempts), (HelpNotify::Pending, 1));
    assert!(row.done_at.is_none(), "still open for the staff desk");
    assert_eq!(store.open_help_requests().unwrap().len(), 1);
}

fn session(
    start: &str,
    service: Option<&str>,
    locale: &str,
    assisted: bool,
    outcome: SessionOutcome,
    step: u32,
    secs: u64,
) -> SessionRecord {
    let started =
        OffsetDateTime::parse(start, &time::format_description::well_known::Rfc3339).unwrap();
    SessionRecord {
        started_at: start.into(),
        ended_at: guichet::clock::rfc3339(started + time::Duration::seconds(secs as i64)),
        locale: locale.into(),
        service_code: service.map(str::to_string),
        assisted,
        practice: false,
        outcome,
        step,
        duration_s: secs,
    }
}

#[test]
fn stats_metrics_and_status_count_a_known_sequence_of_sessions_and_help_requests() {
    let dir = TestDir::new("staff-stats");
    let mut store = Store::open(dir.path()).unwrap();
    use SessionOutcome::*;
    for s in [
        session(
            "2026-11-30T09:00:00Z",
            Some("POTHOLE"),
            "en",
            false,
            Completed,
            6,
            200,
        ),
        session(
            "2026-11-30T09:10:00Z",
            Some("POTHOLE"),
            "en",
            false,
            Completed,
            6,
            100,
        ),
        session(
            "2026-11-30T10:00:00Z",
            Some("POTHOLE"),
            "ar",
            true,
            Completed,
            6,
            400,
        ),
        session(
            "2026-11-30T11:00:00Z",
            Some("GRAFFITI"),
            "fr",
            false,
            Abandoned,
            2,
            50,
        ),
        session("2026-11-30T23:59:59Z", None, "en", false, TimedOut, 0, 150),
        session(
            "2026-12-01T08:00:00Z",
            Some("POTHOLE"),
            "en",
            false,
            TimedOut,
            3,
            180,
        ),
        session(
            "2026-12-02T08:00:00Z",
            Some("POTHOLE"),
            "en",
            false,
            Completed,
            6,
            99,
        ),
    ] {
        store.record_session(&s).unwrap();
    }
    let mut practice = session(
        "2026-11-30T12:00:00Z",
        Some("POTHOLE"),
        "en",
        true,
        Completed,
        6,
        60,
    );
    practice.practice = true;
    store.record_session(&practice).unwrap();
    // Help: one answered after 7 minutes, one still open.
    let answered = store.insert_help_request("", HelpNotify::Pending).unwrap();
    let open = store
        .insert_help_request("", HelpNotify::Unconfigured)
        .unwrap();
    store.finish_help_request(answered, "Alice").unwrap();
    store
        .connection()
        .execute_batch(&format!(
            "UPDATE help_requests SET requested_at = '2026-11-30T14:00:00Z', done_at = '2026-11-30T14:07:00Z' WHERE id = {answered};
             UPDATE help_requests SET requested_at = '2026-12-01T15:00:00Z' WHERE id = {open};"
        ))
        .unwrap();
    drop(store);

    let csv_path = dir.path().join("stats.csv");
    let out = guichet(
        &dir,
        &[
            "stats",
            "--from",
            "2026-11-30",
            "--to",
            "2026-12-01",
            "--out",
            csv_path.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", out.stderr_text());
    let csv = std::fs::read_to_string(&csv_path).unwrap();
    assert_eq!(
        csv,
        "date,kind,service,language,assisted,outcome,step,count,total_seconds,average_seconds,average_minutes_until_done
2026-11-30,session,,en,no,timed_out,0,1,150,150,
2026-11-30,session,GRAFFITI,fr,no,abandoned,2,1,50,50,
2026-11-30,session,POTHOLE,ar,yes,completed,6,1,400,400,
2026-11-30,session,POTHOLE,en,no,completed,6,2,300,150,
2026-11-30,help,,,,done,,1,,,7
2026-12-01,session,POTHOLE,en,no,timed_out,3,1,180,180,
2026-12-01,help,,,,open,,1,,,
"
    );
    // Without --out: the same CSV on stdout; a reversed range is refused.
    let out = guichet(&dir, &["stats", "--from", "2026-12-02"]);
    assert!(out.status.success());
    assert!(
        out.stdout_text()
            .contains("2026-12-02,session,POTHOLE,en,no,completed,6,1,99,99,")
    );
    let out = guichet(
        &dir,
        &["stats", "--from", "2026-12-02", "--to", "2026-12-01"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        guichet(&dir, &["stats", "--from", "yesterday"])
            .status
            .code(),
        Some(2)
    );

    let out = guichet(&dir, &["metrics", "--out", "-"]);
    assert!(out.status.success(), "{}", out.stderr_text());
    let m = common::prom::parse(&out.stdout_text());
    assert_eq!(m.value("guichet_help_requests_open", &[]), 1.0);
    assert_eq!(m.value("guichet_help_requests_total", &[]), 2.0);
    assert_eq!(m.value("guichet_help_requests_answered_total", &[]), 1.0);
    assert_eq!(m.value("guichet_help_requests_delivered_total", &[]), 0.0);
    assert_eq!(
        m.value("guichet_sessions_total", &[("outcome", "completed")]),
        4.0
    );
    assert_eq!(
        m.value("guichet_sessions_total", &[("outcome", "abandoned")]),
        1.0
    );
    assert_eq!(
        m.value("guichet_sessions_total", &[("outcome", "timed_out")]),
        2.0
    );

    let out = guichet(&dir, &["status", "--json"]);
    assert!(out.status.success(), "{}", out.stderr_text());
    let status: serde_json::Value = serde_json::from_str(&out.stdout_text()).unwrap();
    let open_help = status["help_requests_open"].as_array().unwrap();
    assert_eq!(open_help.len(), 1);
    assert_eq!(open_help[0]["id"].as_i64(), Some(open));
    assert_eq!(open_help[0]["notify"], "unconfigured");
    assert!(
        status.get("help_requested_at").is_some(),
        "the old key stays"
    );
}

#[test]
fn cancel_and_help_requests_are_handled_from_the_command_line_too() {
    let dir = TestDir::new("staff-cli-desk");
    let out = guichet(
        &dir,
        &[
            "submit",
            "--service",
            "POTHOLE",
            "--answer",
            "SIZE=large",
            "--address",
            "12 Secret Street",
        ],
    );
    assert!(out.status.success(), "{}", out.stderr_text());
    let reference = out.stdout_text().trim().to_string();
    let out = guichet(&dir, &["queue", "cancel", &reference]);
    assert!(out.status.success(), "{}", out.stderr_text());
    let out = guichet(&dir, &["queue", "list", "--state", "cancelled", "--json"]);
    let list: serde_json::Value = serde_json::from_str(&out.stdout_text()).unwrap();
    assert_eq!(list[0]["reference"], reference.as_str());
    assert_eq!(list[0]["state"], "cancelled");
    let out = guichet(&dir, &["queue", "show", &reference, "--json"]);
    assert!(!out.stdout_text().contains("Secret"), "erased");
    // Cancelled twice: refused, in one line.
    assert_eq!(
        guichet(&dir, &["queue", "cancel", &reference])
            .status
            .code(),
        Some(1)
    );

    let mut store = Store::open(dir.path()).unwrap();
    let id = store
        .insert_help_request("", HelpNotify::Delivered)
        .unwrap();
    drop(store);
    let out = guichet(&dir, &["staff", "help-requests", "--json"]);
    let open: serde_json::Value = serde_json::from_str(&out.stdout_text()).unwrap();
    assert_eq!(open[0]["id"].as_i64(), Some(id));
    let id_text = id.to_string();
    let out = guichet(&dir, &["staff", "help-done", &id_text, "--as", "Nobody"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "only a staff member marks it done"
    );
    assert!(add_staff(&dir, "Dana", "135790").status.success());
    let out = guichet(&dir, &["staff", "help-done", &id_text, "--as", "Dana"]);
    assert!(out.status.success(), "{}", out.stderr_text());
    let out = guichet(&dir, &["staff", "help-requests", "--json"]);
    assert_eq!(out.stdout_text().trim(), "[]");
    let store = Store::open(dir.path()).unwrap();
    let row = store.help_request(id).unwrap().unwrap();
    assert_eq!(row.done_by.as_deref(), Some("Dana"));
    assert!(row.done_at.is_some());
    assert!(audit_actions(&store).iter().any(|(a, act, r, _)| a == "cli"
        && act == "queue.cancel"
        && r.as_deref() == Some(reference.as_str())));
}

/// The desk's health through the kiosk's own database thread: what the configuration has (a
/// printer, a council) decides what is shown, and the printer's recorded sensors say "near its
/// end" as paper low.
#[test]
fn desk_health_says_what_is_configured_and_paper_running_low() {
    use guichet::flow::staff::{KioskHealth, Paper, PinOutcome};
    use guichet::flow::{StaffReply, StaffRequest};
    let health_of = |settings: DeskSettings, near_end: bool| -> KioskHealth {
        let dir = TestDir::new("staff-health");
        {
            let mut store = Store::open(dir.path()).unwrap();
            Desk::new(&mut store, settings.clone())
                .add_staff("Amira", "246810", "test")
                .unwrap();
            if near_end {
                guichet::printer::recorded::record(
                    &store,
                    guichet::printer::status::PrinterStatus {
                        connected: true,
                        paper: guichet::printer::status::Paper::NearEnd,
                        cover_open: false,
                        error: false,
                        offline: false,
                    },
                )
                .unwrap();
            }
        }
        let (tx, rx) = std::sync::mpsc::channel();
        let worker = StoreWorker::spawn_with_help(
            StoreLocation::in_dir(dir.path()),
            settings,
            tx,
            Box::new(|_| {}),
            None,
        );
        worker.staff(StaffRequest::Unlock {
            pin: "246810".into(),
        });
        worker.staff(StaffRequest::Refresh);
        let mut signed_in = false;
        loop {
            match rx.recv_timeout(Duration::from_secs(20)).expect("an answer") {
                UiEvent::Staff(StaffReply::Unlock(outcome)) => {
                    signed_in = matches!(outcome, PinOutcome::Accepted { .. })
                }
                UiEvent::Staff(StaffReply::Health(h)) => {
                    assert!(signed_in);
                    return h;
                }
                _ => {}
            }
        }
    };
    let demo = health_of(
        DeskSettings {
            device_code: "LIB2".into(),
            ..Default::default()
        },
        false,
    );
    assert!(
        !demo.printer_configured && !demo.central_configured,
        "{demo:?}"
    );
    let kiosk = health_of(
        DeskSettings {
            device_code: "LIB2".into(),
            central_configured: true,
            printer_configured: true,
        },
        true,
    );
    assert!(kiosk.printer_configured && kiosk.central_configured);
    assert_eq!(kiosk.paper, Paper::Low, "the near-end sensor is paper low");
    assert_eq!(kiosk.cover_open, Some(false));
}

/// The desk's lists and look-up through the kiosk's own database thread, signed in as `pin`:
/// (review, rejected) of the lists, and what the look-up of each of `look_up` says why.
fn desk_view(
    dir: &TestDir,
    pin: &str,
    look_up: &[&str],
) -> (
    Vec<guichet::flow::staff::QueueItem>,
    Vec<guichet::flow::staff::QueueItem>,
    Vec<Option<guichet::flow::staff::ReasonKind>>,
) {
    use guichet::flow::{StaffReply, StaffRequest};
    let (tx, rx) = std::sync::mpsc::channel();
    let worker = StoreWorker::spawn_with_help(
        StoreLocation::in_dir(dir.path()),
        settings(),
        tx,
        Box::new(|_| {}),
        None,
    );
    worker.staff(StaffRequest::Unlock { pin: pin.into() });
    worker.staff(StaffRequest::Refresh);
    for reference in look_up {
        worker.staff(StaffRequest::Lookup {
            query: reference.to_string(),
        });
    }
    let mut lists = None;
    let mut looked_up = Vec::new();
    while lists.is_none() || looked_up.len() < look_up.len() {
        match rx.recv_timeout(Duration::from_secs(20)).expect("an answer") {
            UiEvent::Staff(StaffReply::Lists {
                review, rejected, ..
            }) => lists = Some((review, rejected)),
            UiEvent::Staff(StaffReply::Lookup(found)) => looked_up.push(found.expect("found").kind),
            _ => {}
        }
    }
    let (review, rejected) = lists.unwrap_or_default();
    (review, rejected, looked_up)
}

/// Why a request is in review is data, recorded when the queue puts it there
/// (`submissions.review_kind`), not read from the wording of its technical line. A database a
/// version-5 kiosk left (its schema and its rows, in its words) is migrated once: each review
/// keeps its kind, on the lists, in the look-up and through the storage API, and the CLI's JSON
/// keeps its shape. New reviews of each kind round-trip whatever their line says, staff
/// resolving one clears its kind, and what an older binary writes after a rollback (the reason
/// alone) keeps the column in step.
#[test]
fn a_review_items_kind_is_recorded_data_that_survives_migrating_an_old_database() {
    use guichet::flow::staff::ReasonKind;
    use guichet::queue::{DeliveryUpdate, ReviewKind};
    let dir = TestDir::new("staff-review-kinds");
    let reference = |n: u64| {
        guichet::reference::Reference::issue("LIB2", n)
            .unwrap()
            .as_str()
            .to_string()
    };
    let old_undecided = reference(1);
    let old_unverified = reference(2);
    let old_other = reference(3);
    let old_rejected = reference(4);
    let old_pending = reference(5);
    // Version 5's schema (its migrations, as shipped), and rows as it wrote them: the reasons
    // in its reconciler's words.
    {
        let mut conn = rusqlite::Connection::open(dir.path().join("guichet.sqlite3")).unwrap();
        guichet::queue::schema::migrations()
            .to_version(&mut conn, 5)
            .unwrap();
        let insert = |reference: &str, state: &str, review: Option<String>, error: &str| {
            conn.execute(
                "INSERT INTO submissions (reference, service_code, locale, state, created_at,
                    updated_at, review_reason, last_error, attempts, outcome_unknown)
                 VALUES (?1, 'POTHOLE', 'fr', ?2, '2026-11-30T09:00:00Z', '2026-11-30T21:00:00Z',
                    ?3, ?4, 3, 0)",
                rusqlite::params![reference, state, review, error],
            )
            .unwrap();
        };
        let undecided = "undecided for 12 h: lookup inconclusive: HTTP 503 (services.json); decide with `guichet queue resolve`".to_string();
        let unverified = format!(
            "a request on the server names {old_unverified} without this kiosk's check (a forged line, or one sent by an older version): decide with `guichet queue resolve`"
        );
        insert(
            &old_undecided,
            "pending",
            Some(undecided.clone()),
            &undecided,
        );
        insert(
            &old_unverified,
            "pending",
            Some(unverified.clone()),
            &unverified,
        );
        insert(
            &old_other,
            "pending",
            Some("Undecided For now".into()),
            "Undecided For now",
        );
        insert(&old_rejected, "rejected", None, "refused (HTTP 400)");
        insert(&old_pending, "pending", None, "HTTP 500");
        conn.execute_batch(
            "INSERT INTO sequences (device_code, next_sequence) VALUES ('LIB2', 6);
             INSERT INTO kiosk_state (key, value) VALUES ('schema.readable_from', '5');",
        )
        .unwrap();
    }
    let mut store = Store::open(dir.path()).unwrap();
    let version: usize = store
        .connection()
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(version, guichet::queue::schema::known_version());
    Desk::new(&mut store, settings())
        .add_staff("Bea", "135790", "test")
        .unwrap();
    let kind_of = |store: &Store, reference: &str| store.lookup_row(reference).unwrap().unwrap();
    for (reference, kind) in [
        (&old_undecided, Some(ReviewKind::Undecided)),
        (&old_unverified, Some(ReviewKind::Unverified)),
        (&old_other, Some(ReviewKind::Other)),
        (&old_rejected, None),
        (&old_pending, None),
    ] {
        assert_eq!(kind_of(&store, reference).review_kind, kind, "{reference}");
    }
    let desk = Desk::new(&mut store, settings());
    let mut kinds: Vec<_> = desk
        .review_list()
        .unwrap()
        .into_iter()
        .map(|p| (p.status.reference, p.review_kind))
        .collect();
    kinds.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        kinds,
        [
            (old_undecided.clone(), Some(ReviewKind::Undecided)),
            (old_unverified.clone(), Some(ReviewKind::Unverified)),
            (old_other.clone(), Some(ReviewKind::Other)),
        ]
    );
    drop(store);
    // The desk says each in its own words, on the lists and in the look-up.
    let (review, rejected, looked_up) = desk_view(
        &dir,
        "135790",
        &[&old_undecided, &old_unverified, &old_other, &old_rejected],
    );
    let said = |items: &[guichet::flow::staff::QueueItem], reference: &str| {
        items
            .iter()
            .find(|i| i.reference == reference)
            .map(|i| i.kind)
    };
    assert_eq!(said(&review, &old_undecided), Some(ReasonKind::Undecided));
    assert_eq!(said(&review, &old_unverified), Some(ReasonKind::Unverified));
    assert_eq!(said(&review, &old_other), Some(ReasonKind::Review));
    // (Its words kept in clear were taken as the server's and sealed on opening.)
    assert_eq!(said(&rejected, &old_rejected), Some(ReasonKind::Refused));
    assert_eq!(
        looked_up,
        [
            Some(ReasonKind::Undecided),
            Some(ReasonKind::Unverified),
            Some(ReasonKind::Review),
            Some(ReasonKind::Refused),
        ]
    );
    // `queue list --json` keeps INTERFACE.md's shape.
    let out = guichet(&dir, &["queue", "list", "--state", "review", "--json"]);
    assert!(out.status.success(), "{}", out.stderr_text());
    let listed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = listed.as_array().unwrap();
    assert_eq!(rows.len(), 3);
    for row in rows {
        let mut keys: Vec<&str> = row
            .as_object()
            .unwrap()
            .keys()
            .map(|k| k.as_str())
            .collect();
        keys.sort_unstable();
        assert_eq!(
            keys,
            [
                "created_at",
                "last_error",
                "reference",
                "remote_id",
                "service_code",
                "state"
            ]
        );
        assert_eq!(row["state"], "review");
    }

    // New reviews, one of each kind, all with the same line, which begins as the old
    // "unverified" reasons did: each kind comes from what was recorded, not from the words.
    let mut store = Store::open(dir.path()).unwrap();
    let new: Vec<String> = (6..9)
        .map(|n| {
            store
                .enqueue("LIB2", &pothole(n), None)
                .unwrap()
                .to_string()
        })
        .collect();
    let mark = ClaimMark::new();
    let claimed = store
        .claim_due(&mark, "9999-01-01T00:00:00.000Z", 10)
        .unwrap();
    let id = |r: &str| claimed.iter().find(|o| o.reference == r).unwrap().id;
    let cases = [
        (&new[0], ReviewKind::Undecided),
        (&new[1], ReviewKind::Unverified),
        (&new[2], ReviewKind::Other),
    ];
    let mut updates: Vec<(i64, DeliveryUpdate)> = cases
        .iter()
        .map(|(r, kind)| {
            (
                id(r),
                DeliveryUpdate::Review {
                    kind: *kind,
                    reason: "a request on the server names nobody: undecided for 0 h".into(),
                },
            )
        })
        .collect();
    // The old pending one was claimed too: give it back untouched.
    updates.push((
        id(&old_pending),
        DeliveryUpdate::Retry {
            next_attempt_at: "9999-01-01T00:00:00.000Z".into(),
            error: "HTTP 500".into(),
            outcome_unknown: false,
        },
    ));
    assert_eq!(store.record_outcomes(&mark.owner, &updates).unwrap(), 0);
    for (reference, kind) in cases {
        let row = kind_of(&store, reference);
        assert_eq!((row.state, row.review_kind), (State::Review, Some(kind)));
    }
    // Resolved: no longer in review, and no kind left behind.
    store.resolve(&new[0], &Resolution::Resend, "cli").unwrap();
    let stored = |store: &Store, reference: &str| -> Option<String> {
        store
            .connection()
            .query_row(
                "SELECT review_kind FROM submissions WHERE reference = ?1",
                [reference],
                |r| r.get(0),
            )
            .unwrap()
    };
    assert_eq!(stored(&store, &new[0]), None);
    assert_eq!(kind_of(&store, &new[0]).review_kind, None);
    drop(store);
    let (review, _, looked_up) = desk_view(&dir, "135790", &[&new[1], &new[2]]);
    assert_eq!(said(&review, &new[1]), Some(ReasonKind::Unverified));
    assert_eq!(said(&review, &new[2]), Some(ReasonKind::Review));
    assert_eq!(said(&review, &new[0]), None);
    assert_eq!(
        looked_up,
        [Some(ReasonKind::Unverified), Some(ReasonKind::Review)]
    );

    // After a rollback, a version-5 binary writes the reason alone, in its words: resolving
    // clears the kind with it, and putting a request in review records the kind its words
    // name. The column takes only the three kinds.
    let store = Store::open(dir.path()).unwrap();
    let c = store.connection();
    c.execute(
        "UPDATE submissions SET review_reason = NULL, last_error = NULL WHERE reference = ?1",
        [&new[1]],
    )
    .unwrap();
    assert_eq!(stored(&store, &new[1]), None);
    c.execute(
        "UPDATE submissions SET review_reason = 'undecided for 13 h: no answer', last_error = 'undecided for 13 h: no answer' WHERE reference = ?1",
        [&new[1]],
    )
    .unwrap();
    assert_eq!(stored(&store, &new[1]).as_deref(), Some("undecided"));
    assert!(
        c.execute(
            "UPDATE submissions SET review_kind = 'maybe' WHERE reference = ?1",
            [&new[2]],
        )
        .is_err()
    );
    assert_eq!(stored(&store, &new[2]).as_deref(), Some("other"));
}
