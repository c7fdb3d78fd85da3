//! Sync with a faithful Open311 server: every submission reaches it exactly once, whatever the
//! network does.

mod common;
mod open311_server;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use common::{OutputText, TestDir, guichet};
use guichet::config::{Config, ConfigSource};
use guichet::queue::{State, Store};
use guichet::sync::client::Timeouts;
use guichet::sync::{Connectivity, LinkState, SyncEngine, SyncTuning};
use guichet::validate::{Answer, Contact, Location, ValidForm};
use open311_server::{Fault, Open311Server, Route, ServerOptions};
use serde_json::Value;

const API_KEY: &str = "test-api-key";

fn tuning() -> SyncTuning {
    SyncTuning {
        timeouts: Timeouts {
            connect: Duration::from_secs(2),
            // Generous, so that a loaded CI machine never times out a normal answer (1.5 s was
            // seen to time one out with other test binaries building beside it); the
            // slow-answer tests hold their answers well past it (3 s and 4 s).
            request: Duration::from_millis(2500),
        },
        max_in_flight: 4,
        batch_size: 16,
        max_batches_per_round: 64,
        backoff_base: Duration::from_millis(1),
        backoff_cap: Duration::from_millis(5),
        settle: Duration::from_millis(100),
        confirm_after: Duration::from_millis(100),
        review_after: Duration::from_secs(60),
        lock_wait: Duration::from_secs(30),
        catalog_interval: Duration::from_secs(3600),
        status_interval: Duration::from_secs(3600),
        status_window: Duration::from_secs(30 * 24 * 3600),
        round_interval: Duration::from_millis(50),
    }
}

/// A kiosk pointed at `server`, with its data dir and API key file in `dir`.
fn kiosk_config(dir: &Path, url: &str) -> (Config, PathBuf) {
    let key = dir.join("api-key");
    std::fs::write(&key, format!("{API_KEY}\n")).unwrap();
    let text = format!(
        "[device]\ncode = \"LIB2\"\ndata_dir = {data:?}\n[central]\nkind = \"open311\"\nurl = {url:?}\napi_key_file = {key:?}\nallow_insecure_http = true\n[printer]\nport = \"none\"\n",
        data = dir.join("data").display().to_string(),
        key = key.display().to_string(),
    );
    let config_path = dir.join("kiosk.toml");
    std::fs::write(&config_path, &text).unwrap();
    let config = Config::parse(&text, &ConfigSource::File(config_path.clone())).unwrap();
    (config, config_path)
}

struct Kiosk {
    _dir: TestDir,
    engine: SyncEngine,
    queue: Store,
    rt: tokio::runtime::Runtime,
}

impl Kiosk {
    fn new(server: &Open311Server, tuning: SyncTuning) -> Kiosk {
        let dir = TestDir::new("sync");
        let (config, _) = kiosk_config(dir.path(), &server.url());
        let data = dir.path().join("data");
        let engine = SyncEngine::new(&config, Store::open(&data).unwrap(), tuning).unwrap();
        let queue = Store::open(&data).unwrap();
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        Kiosk {
            _dir: dir,
            engine,
            queue,
            rt,
        }
    }

    fn enqueue(&mut self, form: &ValidForm) -> String {
        self.queue
            .enqueue("LIB2", form, None)
            .unwrap()
            .as_str()
            .to_string()
    }

    fn round(&mut self) -> guichet::sync::RoundReport {
        self.rt.block_on(self.engine.round(false)).unwrap()
    }

    /// Goes round (as the worker would) until nothing is pending or `max` rounds have passed.
    fn drain(&mut self, max: usize) {
        for _ in 0..max {
            let report = self.round();
            if report.pending == 0 {
                return;
            }
            // Lookups wait `settle`/`confirm_after` (100 ms here) on the boot clock.
            std::thread::sleep(Duration::from_millis(40));
        }
    }

    fn outcomes(&self, reference: &str) -> Vec<String> {
        self.queue
            .get(reference)
            .unwrap()
            .attempt_log
            .into_iter()
            .map(|a| a.outcome)
            .collect()
    }
}

fn pothole(n: u32) -> ValidForm {
    ValidForm {
        service_code: "POTHOLE".into(),
        locale: "fr".into(),
        answers: [
            ("SIZE".to_string(), Answer::One("large".into())),
            ("DEPTH_CM".to_string(), Answer::One(format!("{n}"))),
        ]
        .into(),
        description: format!("Trou numéro {n} & danger"),
        location: Location {
            address: format!("{n} rue Haute"),
            lat: None,
            long: None,
        },
        contact: Contact::default(),
    }
}

fn streetlight() -> ValidForm {
    ValidForm {
        service_code: "STREETLIGHT".into(),
        locale: "en".into(),
        answers: [(
            "PROBLEM".to_string(),
            Answer::Many(vec!["off".into(), "flicker".into()]),
        )]
        .into(),
        description: String::new(),
        location: Location {
            address: String::new(),
            lat: Some(51.5),
            long: Some(-0.125),
        },
        contact: Contact {
            first_name: "Ada".into(),
            last_name: "Lovelace".into(),
            email: "ada@example.org".into(),
            phone: "+44 20 7946 0000".into(),
        },
    }
}

fn graffiti(n: u32) -> ValidForm {
    ValidForm {
        service_code: "GRAFFITI".into(),
        locale: "en".into(),
        description: format!("Tag {n}"),
        location: Location {
            address: format!("{n} Station Road"),
            lat: None,
            long: None,
        },
        ..ValidForm::default()
    }
}

/// Every reference is on the server exactly once and accepted locally with the server's id.
fn assert_delivered_once(kiosk: &Kiosk, server: &Open311Server, references: &[String]) {
    for r in references {
        let stored = server.with_reference(r);
        assert_eq!(stored.len(), 1, "{r} stored {} times", stored.len());
        let local = kiosk.queue.get(r).unwrap();
        assert_eq!(local.state, State::Accepted, "{r}: {:?}", local.attempt_log);
        assert_eq!(local.remote_id, Some(stored[0].id.to_string()), "{r}");
    }
    assert_eq!(server.requests().len(), references.len());
}

// ---------------------------------------------------------------------------------------------
// JSON schemas (copied from the shared fixtures so CI has them).

fn schema(name: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/open311/schema")
        .join(name);
    let mut value: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    // `requests.json` / `services.json` refer to their item schema by file name: inline it.
    if let Some(items) = value.get_mut("items")
        && let Some(Value::String(r)) = items.get("$ref").cloned()
        && r.ends_with(".json")
    {
        *items = schema(&r);
    }
    value
}

fn swagger_definition(name: &str) -> Value {
    schema("swagger.json")["definitions"][name].clone()
}

fn assert_valid(schema: &Value, instance: &Value, what: &str) {
    let validator = jsonschema::validator_for(schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path))
        .collect();
    assert!(errors.is_empty(), "{what} violates its schema: {errors:?}");
}

/// The POST parameters GeoReport v2 defines (swagger's, plus the spec's optional ones).
fn post_parameter_names() -> Vec<String> {
    let swagger = schema("swagger.json");
    let mut names: Vec<String> =
        swagger["paths"]["/requests.{response_format}"]["post"]["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|p| p["name"].as_str().map(str::to_string))
            .collect();
    for extra in [
        "api_key",
        "jurisdiction_id",
        "email",
        "device_id",
        "account_id",
        "first_name",
        "last_name",
        "phone",
        "description",
        "media_url",
    ] {
        names.push(extra.into());
    }
    names
}

// ---------------------------------------------------------------------------------------------

#[test]
fn every_submission_reaches_the_server_once_with_the_right_fields() {
    let server = Open311Server::start();
    let mut kiosk = Kiosk::new(&server, tuning());
    let a = kiosk.enqueue(&pothole(7));
    let b = kiosk.enqueue(&streetlight());
    let c = kiosk.enqueue(&graffiti(1));
    let report = kiosk.round();
    assert_eq!((report.sent, report.pending, report.rejected), (3, 0, 0));
    assert!(
        report.catalog_updated,
        "first round stores the server's catalogue"
    );
    assert_delivered_once(&kiosk, &server, &[a.clone(), b.clone(), c.clone()]);

    let sa = &server.with_reference(&a)[0];
    assert_eq!(sa.one("api_key"), Some(API_KEY));
    assert_eq!(sa.one("service_code"), Some("POTHOLE"));
    assert_eq!(sa.one("attribute[SIZE]"), Some("large"));
    assert_eq!(sa.one("attribute[DEPTH_CM]"), Some("7"));
    assert_eq!(sa.one("address_string"), Some("7 rue Haute"));
    assert_eq!(sa.one("device_id"), Some("LIB2"));
    assert_eq!(sa.one("lat"), None);
    assert_eq!(sa.one("email"), None, "no empty contact fields are sent");
    let check = kiosk.engine.reference_check(&a).unwrap();
    assert_eq!(
        sa.one("description").unwrap(),
        format!("Kiosk reference: {a}\nKiosk check: {check}\n\nTrou numéro 7 & danger")
    );
    let sb = &server.with_reference(&b)[0];
    assert_eq!(sb.all("attribute[PROBLEM][]"), ["off", "flicker"]);
    assert_eq!(sb.one("attribute[PROBLEM]"), None);
    assert_eq!(sb.one("lat"), Some("51.5"));
    assert_eq!(sb.one("long"), Some("-0.125"));
    assert_eq!(sb.one("address_string"), None);
    assert_eq!(sb.one("first_name"), Some("Ada"));
    assert_eq!(sb.one("last_name"), Some("Lovelace"));
    assert_eq!(sb.one("email"), Some("ada@example.org"));
    assert_eq!(sb.one("phone"), Some("+44 20 7946 0000"));
    let check = kiosk.engine.reference_check(&b).unwrap();
    assert_eq!(
        sb.one("description"),
        Some(format!("Kiosk reference: {b}\nKiosk check: {check}").as_str())
    );

    // What the client sent uses only the standard's parameters.
    let allowed = post_parameter_names();
    for stored in server.requests() {
        for (key, _) in &stored.form {
            let name = key.split('[').next().unwrap();
            assert!(
                allowed.iter().any(|a| a == name),
                "non-standard parameter {key}"
            );
        }
    }

    let local = kiosk.queue.get(&a).unwrap();
    assert_eq!(
        local.service_notice.as_deref(),
        Some("The council will review your report.")
    );
    assert_eq!(kiosk.outcomes(&a), ["accepted"]);
    assert_eq!(local.attempts, 1);

    // Everything the client parsed was a valid Open311 document.
    for services in server.answers(Route::Services) {
        assert_valid(&schema("services.json"), &services, "services.json");
    }
    let definitions = server.answers(Route::Definition);
    assert_eq!(definitions.len(), 8, "one per metadata service");
    for d in definitions {
        assert_valid(&schema("service-definition.json"), &d, "service definition");
    }
    let posts = server.answers(Route::PostRequest);
    assert_eq!(posts.len(), 3);
    for p in posts {
        for item in p.as_array().unwrap() {
            assert_valid(&swagger_definition("RequestResponse"), item, "POST answer");
        }
    }
    let lists = server.answers(Route::ListRequests);
    assert!(!lists.is_empty(), "statuses were pulled by id");
    for l in lists {
        assert_valid(&schema("requests.json"), &l, "requests.json");
    }
    // Statuses were stored.
    assert_eq!(
        kiosk
            .queue
            .remote_status(&a)
            .unwrap()
            .map(|s| s.0)
            .as_deref(),
        Some("open")
    );
    let c = Connectivity::load(&kiosk.queue).unwrap();
    assert_eq!(c.link, LinkState::Online);
    assert!(c.last_success_at.is_some());
    assert_eq!(c.pending, 0);
}

#[test]
fn a_500_is_retried_with_backoff_and_sent_once() {
    let server = Open311Server::start();
    let mut kiosk = Kiosk::new(&server, tuning());
    let refs: Vec<String> = (0..3).map(|n| kiosk.enqueue(&pothole(n))).collect();
    server.inject(Route::PostRequest, Fault::Status500, 2);
    let first = kiosk.round();
    assert_eq!(first.sent, 1);
    assert_eq!(first.pending, 2);
    kiosk.drain(50);
    assert_delivered_once(&kiosk, &server, &refs);
    let failed: Vec<_> = refs
        .iter()
        .filter(|r| kiosk.outcomes(r).len() > 1)
        .collect();
    assert_eq!(failed.len(), 2);
    for r in failed {
        // A 500 may come after the server stored it: looked up (absent twice, from a lookup
        // that shows this kiosk's own request) before the resend.
        assert_eq!(
            kiosk.outcomes(r),
            ["unknown", "absent", "not_found", "accepted"]
        );
        let s = kiosk.queue.get(r).unwrap();
        assert_eq!(s.attempts, 2);
        assert!(
            s.attempt_log[0].detail.contains("HTTP 500"),
            "{:?}",
            s.attempt_log
        );
    }
    assert_eq!(server.hits(Route::PostRequest), 5);
}

#[test]
fn a_slow_answer_times_out_and_is_reconciled_not_resent() {
    let server = Open311Server::start();
    let mut kiosk = Kiosk::new(&server, tuning());
    let refs: Vec<String> = (0..2).map(|n| kiosk.enqueue(&graffiti(n))).collect();
    server.inject(
        Route::PostRequest,
        Fault::Slow(Duration::from_millis(4000)),
        1,
    );
    kiosk.drain(50);
    assert_delivered_once(&kiosk, &server, &refs);
    assert_eq!(server.hits(Route::PostRequest), 2, "nothing was sent twice");
    let slow = refs
        .iter()
        .find(|r| kiosk.outcomes(r).len() > 1)
        .expect("one timed out");
    assert_eq!(kiosk.outcomes(slow), ["unknown", "reconciled"]);
    let s = kiosk.queue.get(slow).unwrap();
    assert!(
        s.attempt_log[0].detail.contains("timed out"),
        "{:?}",
        s.attempt_log
    );
    assert!(s.service_notice.is_some(), "notice taken from the lookup");
}

#[test]
fn a_connection_dropped_before_commit_is_resent_once() {
    let server = Open311Server::start();
    let mut kiosk = Kiosk::new(&server, tuning());
    let refs: Vec<String> = (0..3).map(|n| kiosk.enqueue(&pothole(n))).collect();
    server.inject(Route::PostRequest, Fault::DropBeforeCommit, 1);
    kiosk.drain(50);
    assert_delivered_once(&kiosk, &server, &refs);
    assert_eq!(server.hits(Route::PostRequest), 4);
    assert!(
        refs.iter()
            .any(|r| kiosk.outcomes(r) == ["unknown", "absent", "not_found", "accepted"])
    );
}

#[test]
fn an_answer_lost_after_commit_is_reconciled_not_resent() {
    let server = Open311Server::start();
    let mut kiosk = Kiosk::new(&server, tuning());
    let refs: Vec<String> = (0..4).map(|n| kiosk.enqueue(&pothole(n))).collect();
    server.inject(Route::PostRequest, Fault::DropAfterCommit, 2);
    kiosk.drain(50);
    assert_delivered_once(&kiosk, &server, &refs);
    assert_eq!(server.hits(Route::PostRequest), 4, "never resent");
    let reconciled = refs
        .iter()
        .filter(|r| kiosk.outcomes(r) == ["unknown", "reconciled"])
        .count();
    assert_eq!(reconciled, 2);
}

#[test]
fn malformed_json_is_never_taken_for_success() {
    let server = Open311Server::start();
    let mut kiosk = Kiosk::new(&server, tuning());
    let refs: Vec<String> = (0..2).map(|n| kiosk.enqueue(&graffiti(n))).collect();
    server.inject(Route::PostRequest, Fault::MalformedJson, 1);
    let first = kiosk.round();
    assert_eq!(first.sent, 1, "the mangled answer is not a success");
    kiosk.drain(50);
    assert_delivered_once(&kiosk, &server, &refs);
    assert_eq!(server.hits(Route::PostRequest), 2);
}

#[test]
fn a_captive_portal_is_never_success_and_is_reported() {
    let server = Open311Server::start();
    let mut kiosk = Kiosk::new(&server, tuning());
    let refs: Vec<String> = (0..3).map(|n| kiosk.enqueue(&pothole(n))).collect();
    server.inject(Route::Any, Fault::CaptivePortal, usize::MAX);
    let report = kiosk.round();
    assert_eq!(report.link, LinkState::CaptivePortal);
    assert_eq!((report.sent, report.pending), (0, 3));
    assert_eq!(
        server.hits(Route::PostRequest),
        0,
        "nothing sent into a portal"
    );
    let c = Connectivity::load(&kiosk.queue).unwrap();
    assert_eq!(c.link, LinkState::CaptivePortal);
    assert!(c.last_success_at.is_none());
    assert_eq!(c.pending, 3);
    // The portal appears in the middle of a round: the POST's answer is a web page.
    server.clear_faults();
    server.inject(Route::PostRequest, Fault::CaptivePortal, 1);
    kiosk.drain(50);
    assert_delivered_once(&kiosk, &server, &refs);
    assert!(
        refs.iter()
            .any(|r| kiosk.outcomes(r).first().map(String::as_str) == Some("unknown"))
    );
    assert_eq!(
        Connectivity::load(&kiosk.queue).unwrap().link,
        LinkState::Online
    );
}

#[test]
fn offline_keeps_everything_pending_and_says_so() {
    let server = Open311Server::start();
    let url = server.url();
    drop(server);
    let dir = TestDir::new("offline");
    let (config, _) = kiosk_config(dir.path(), &url);
    let data = dir.path().join("data");
    let mut queue = Store::open(&data).unwrap();
    let r = queue.enqueue("LIB2", &graffiti(1), None).unwrap();
    let mut engine = SyncEngine::new(&config, Store::open(&data).unwrap(), tuning()).unwrap();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let report = rt.block_on(engine.round(false)).unwrap();
    assert_eq!(report.link, LinkState::Offline);
    assert_eq!(report.pending, 1);
    let s = queue.get(r.as_str()).unwrap();
    assert_eq!(s.state, State::Pending);
    assert_eq!(
        s.attempts, 0,
        "nothing is claimed while the server is unreachable"
    );
    let c = Connectivity::load(&queue).unwrap();
    assert_eq!(c.link, LinkState::Offline);
    assert!(c.last_error.unwrap().contains("services.json"));
}

#[test]
fn token_mode_resolves_the_token_to_an_id() {
    let server = Open311Server::start_with(ServerOptions {
        token_mode: true,
        ..ServerOptions::default()
    });
    let mut kiosk = Kiosk::new(&server, tuning());
    let r = kiosk.enqueue(&pothole(1));
    kiosk.round();
    let stored = server.with_reference(&r);
    assert_eq!(stored.len(), 1);
    let local = kiosk.queue.get(&r).unwrap();
    assert_eq!(local.state, State::Accepted);
    assert_eq!(local.token, stored[0].token);
    // Statuses were pulled in the same round: the token resolved to the id.
    assert_eq!(local.remote_id, Some(stored[0].id.to_string()));
    assert_eq!(kiosk.outcomes(&r), ["accepted", "token_resolved"]);
    for t in server.answers(Route::Token) {
        for item in t.as_array().unwrap() {
            assert_valid(&swagger_definition("TokenResponse"), item, "token answer");
        }
    }
}

#[test]
fn numeric_service_codes_and_ids_are_handled() {
    let server = Open311Server::start_with(ServerOptions {
        numeric_codes: true,
        ..ServerOptions::default()
    });
    let mut kiosk = Kiosk::new(&server, tuning());
    kiosk.round();
    let catalog = kiosk.queue.catalog_for("en").unwrap().unwrap();
    assert_eq!(catalog.services[0].service_code, "37");
    let graffiti_code = catalog
        .services
        .iter()
        .find(|s| s.service_name == "Graffiti")
        .unwrap()
        .service_code
        .clone();
    assert!(catalog.definition("37").is_some());
    let mut form = graffiti(1);
    form.service_code = graffiti_code.clone();
    let r = kiosk.enqueue(&form);
    kiosk.drain(10);
    let stored = server.with_reference(&r);
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].one("service_code"), Some(graffiti_code.as_str()));
    assert_eq!(stored[0].service_code, "GRAFFITI");
    assert_eq!(
        kiosk.queue.get(&r).unwrap().remote_id,
        Some(stored[0].id.to_string())
    );
}

#[test]
fn a_refusal_is_rejected_with_the_servers_reason_and_can_be_retried() {
    let server = Open311Server::start();
    let mut kiosk = Kiosk::new(&server, tuning());
    let mut form = graffiti(1);
    form.service_code = "WITHDRAWN".into();
    let bad = kiosk.enqueue(&form);
    let good = kiosk.enqueue(&graffiti(2));
    let report = kiosk.round();
    assert_eq!((report.sent, report.rejected, report.pending), (1, 1, 0));
    let s = kiosk.queue.get(&bad).unwrap();
    assert_eq!(s.state, State::Rejected);
    // The server's words are sealed with the submission (a server may echo personal data).
    assert!(s.last_error.as_deref().unwrap().contains("sealed"));
    assert_eq!(
        kiosk.queue.server_text(&bad).unwrap().as_deref(),
        Some("Service code WITHDRAWN is not a valid service")
    );
    assert_eq!(kiosk.outcomes(&bad), ["rejected"]);
    assert_eq!(server.with_reference(&good).len(), 1);
    kiosk.queue.retry(&bad, "test").unwrap();
    assert_eq!(kiosk.queue.get(&bad).unwrap().state, State::Pending);
    let again = kiosk.round();
    assert_eq!(again.rejected, 1, "sent again after staff retried it");
}

#[test]
fn a_refused_api_key_keeps_submissions_pending() {
    let server = Open311Server::start_with(ServerOptions {
        api_key: "another-key".into(),
        ..ServerOptions::default()
    });
    let mut kiosk = Kiosk::new(&server, tuning());
    let r = kiosk.enqueue(&graffiti(1));
    let report = kiosk.round();
    assert_eq!((report.sent, report.rejected, report.pending), (0, 0, 1));
    let s = kiosk.queue.get(&r).unwrap();
    assert_eq!(s.state, State::Pending);
    assert!(s.last_error.unwrap().contains("API key refused"));
    assert_eq!(kiosk.outcomes(&r), ["retry"]);
    assert!(server.requests().is_empty());
}

#[test]
fn a_bad_catalogue_keeps_the_cached_one() {
    let server = Open311Server::start();
    let mut kiosk = Kiosk::new(&server, tuning());
    assert!(
        kiosk
            .rt
            .block_on(kiosk.engine.refresh_catalog_now())
            .unwrap()
    );
    let before = kiosk.queue.catalog_for("en").unwrap().unwrap();
    assert_eq!(before.services.len(), 9);
    assert!(
        !kiosk
            .rt
            .block_on(kiosk.engine.refresh_catalog_now())
            .unwrap(),
        "unchanged"
    );
    // One definition cut off this time: its previous version is kept (issue 12), nothing changes.
    server.inject(Route::Definition, Fault::MalformedJson, 1);
    assert!(
        !kiosk
            .rt
            .block_on(kiosk.engine.refresh_catalog_now())
            .unwrap(),
        "the previous definition is kept"
    );
    assert_eq!(kiosk.queue.catalog_for("en").unwrap().unwrap(), before);
    server.inject(Route::Services, Fault::CaptivePortal, 1);
    assert!(
        kiosk
            .rt
            .block_on(kiosk.engine.refresh_catalog_now())
            .is_err()
    );
    assert_eq!(kiosk.queue.catalog_for("en").unwrap().unwrap(), before);
}

#[test]
fn statuses_follow_the_council_with_and_without_the_updates_extension() {
    for extension in [false, true] {
        let server = Open311Server::start_with(ServerOptions {
            updates_extension: extension,
            ..ServerOptions::default()
        });
        let mut t = tuning();
        t.status_interval = Duration::ZERO;
        let mut kiosk = Kiosk::new(&server, t);
        let refs: Vec<String> = (0..3).map(|n| kiosk.enqueue(&graffiti(n))).collect();
        kiosk.round();
        let id = server.with_reference(&refs[1])[0].id;
        std::thread::sleep(Duration::from_millis(1100)); // updates are dated to the second
        server.set_status(id, "closed");
        // A status longer than is ever kept (and with a line break in it): cut at the bound,
        // and it says so.
        let long = format!("IN_PROGRESS\n{}", "waiting for the crew ".repeat(10));
        let id2 = server.with_reference(&refs[2])[0].id;
        server.set_status(id2, &long);
        kiosk.round();
        let status = |r: &str| kiosk.queue.remote_status(r).unwrap().map(|s| s.0);
        let cut = status(&refs[2]).unwrap_or_default();
        assert_eq!(
            cut.chars().count(),
            guichet::validate::OPEN311_STATUS_MAX,
            "extension {extension}: {cut:?}"
        );
        assert!(
            cut.starts_with("IN_PROGRESS waiting for the crew") && cut.ends_with('…'),
            "extension {extension}: {cut:?}"
        );
        assert_eq!(
            status(&refs[1]).as_deref(),
            Some("closed"),
            "extension {extension}"
        );
        assert_eq!(status(&refs[0]).as_deref(), Some("open"));
        assert!(server.hits(Route::Updates) > 0, "extension probed");
        if extension {
            assert!(!server.answers(Route::Updates).is_empty());
        }
    }
}

#[test]
fn a_crash_after_claiming_is_reconciled_before_any_resend() {
    let server = Open311Server::start();
    let mut kiosk = Kiosk::new(&server, tuning());
    let refs: Vec<String> = (0..2).map(|n| kiosk.enqueue(&pothole(n))).collect();
    // A previous run claimed both, sent the first, and died before recording anything.
    let now = guichet::queue::delivery_timestamp(time::OffsetDateTime::now_utc());
    let claimed = kiosk
        .queue
        .claim_due(&guichet::queue::ClaimMark::new(), &now, 10)
        .unwrap();
    assert_eq!(claimed.len(), 2);
    let form = Store::decode_payload(&refs[0], &claimed[0].payload).unwrap();
    let check = kiosk.engine.reference_check(&refs[0]).unwrap();
    let body = guichet::sync::wire::encode_post(
        &form,
        &refs[0],
        &check,
        guichet::sync::wire::PostContext {
            api_key: API_KEY,
            jurisdiction_id: None,
            device_id: "LIB2",
        },
    );
    let answer = kiosk.rt.block_on(async {
        reqwest::Client::new()
            .post(format!("{}requests.json", server.url()))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .unwrap()
            .status()
    });
    assert_eq!(answer, 200);
    kiosk.drain(20);
    assert_delivered_once(&kiosk, &server, &refs);
    // (An `unknown` first when the lookup waited for `settle` on the boot clock.)
    assert_eq!(
        kiosk.outcomes(&refs[0]).last().map(String::as_str),
        Some("reconciled")
    );
    // Absent twice from a lookup that shows this kiosk's own request (the first one) before it
    // is sent again.
    assert!(
        kiosk.outcomes(&refs[1]).ends_with(&[
            "absent".to_string(),
            "not_found".to_string(),
            "accepted".to_string()
        ]),
        "{:?}",
        kiosk.outcomes(&refs[1])
    );
    assert_eq!(server.hits(Route::PostRequest), 2);
}

#[test]
fn never_more_requests_in_flight_than_the_server_allows() {
    let server = Open311Server::start_with(ServerOptions {
        max_concurrency: 3,
        ..ServerOptions::default()
    });
    let mut t = tuning();
    t.max_in_flight = 3;
    t.batch_size = 50;
    let mut kiosk = Kiosk::new(&server, t);
    let refs: Vec<String> = (0..300).map(|n| kiosk.enqueue(&graffiti(n))).collect();
    // The first POSTs are held a moment, well inside the client's timeout, so that requests
    // overlap even on a loaded machine: the limit is then really exercised, not vacuously met.
    server.inject(
        Route::PostRequest,
        Fault::Slow(Duration::from_millis(50)),
        30,
    );
    kiosk.drain(20);
    assert_eq!(server.over_limit(), 0);
    assert!(server.peak_concurrency() <= 3);
    assert!(server.peak_concurrency() >= 2, "requests do overlap");
    assert_delivered_once(&kiosk, &server, &refs);
}

#[test]
fn the_worker_reports_connectivity_and_drains_the_queue() {
    let server = Open311Server::start();
    let dir = TestDir::new("worker");
    let (config, _) = kiosk_config(dir.path(), &server.url());
    let data = dir.path().join("data");
    let mut queue = Store::open(&data).unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let worker = guichet::sync::spawn_sync_worker_with(
        Arc::new(config),
        guichet::queue::StoreLocation::in_dir(&data),
        tuning(),
        move |event| {
            let _ = tx.send(event);
        },
    );
    let r = queue.enqueue("LIB2", &graffiti(1), None).unwrap();
    worker.sync_now();
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let last = loop {
        let event = rx.recv_timeout(Duration::from_secs(5)).unwrap();
        if event.connectivity.pending == 0 && event.connectivity.link == LinkState::Online {
            break event;
        }
        assert!(std::time::Instant::now() < deadline, "worker never drained");
    };
    assert!(last.connectivity.central_configured);
    assert!(last.connectivity.last_success_at.is_some());
    assert_eq!(server.with_reference(r.as_str()).len(), 1);
    worker.stop();

    // With no central system the worker only reports.
    let demo = Config::demo();
    let (tx, rx) = std::sync::mpsc::channel();
    let offline = guichet::sync::spawn_sync_worker_with(
        Arc::new(demo),
        guichet::queue::StoreLocation::in_dir(&dir.path().join("demo-data")),
        tuning(),
        move |e| {
            let _ = tx.send(e);
        },
    );
    let event = rx.recv_timeout(Duration::from_secs(5)).unwrap();
    assert_eq!(event.connectivity.link, LinkState::Offline);
    drop(offline);
}

#[test]
fn stopping_the_worker_mid_post_lets_the_round_finish() {
    let server = Open311Server::start();
    let dir = TestDir::new("worker-stop");
    let (config, _) = kiosk_config(dir.path(), &server.url());
    let data = dir.path().join("data");
    let mut queue = Store::open(&data).unwrap();
    let r = queue.enqueue("LIB2", &graffiti(2), None).unwrap();
    // The council stores the report at once and answers a second later (within the client's
    // 2.5 s): a stop in that second must wait for the answer, not cancel the POST.
    server.inject(
        Route::PostRequest,
        Fault::Slow(Duration::from_millis(1000)),
        1,
    );
    let worker = guichet::sync::spawn_sync_worker_with(
        Arc::new(config),
        guichet::queue::StoreLocation::in_dir(&data),
        tuning(),
        |_| {},
    );
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while server.with_reference(r.as_str()).is_empty() {
        assert!(std::time::Instant::now() < deadline, "never posted");
        std::thread::sleep(Duration::from_millis(10));
    }
    let stopped = std::time::Instant::now();
    worker.stop();
    assert!(
        stopped.elapsed() < guichet::sync::STOP_GRACE,
        "stopped within the grace"
    );
    let s = queue.get(r.as_str()).unwrap();
    assert_eq!(
        s.state,
        State::Accepted,
        "the answer was taken before the stop: {:?}",
        s.attempt_log
    );
    assert_eq!(server.with_reference(r.as_str()).len(), 1);
}

#[test]
fn the_binary_syncs_once_and_prints_the_documented_json() {
    let server = Open311Server::start();
    let dir = TestDir::new("cli-sync");
    let (_, config_path) = kiosk_config(dir.path(), &server.url());
    let config = config_path.to_str().unwrap();
    let out = guichet(&dir, &["--config", config, "catalog", "refresh"]);
    assert!(out.status.success(), "{}", out.stderr_text());
    assert!(out.stdout_text().contains("catalogue updated: 9 services"));
    for n in 0..2 {
        let out = guichet(
            &dir,
            &[
                "--config",
                config,
                "submit",
                "--service",
                "POTHOLE",
                "--answer",
                "SIZE=small",
                "--address",
                &format!("{n} Main Street"),
                "--json",
            ],
        );
        assert!(out.status.success(), "{}", out.stderr_text());
    }
    let out = guichet(&dir, &["--config", config, "sync", "--once", "--json"]);
    assert!(out.status.success(), "{}", out.stderr_text());
    let json: Value = serde_json::from_str(&out.stdout_text()).unwrap();
    let keys: Vec<&String> = json.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["catalog_updated", "pending", "rejected", "sent"]);
    assert_eq!(json["sent"], 2);
    assert_eq!(json["pending"], 0);
    assert_eq!(json["rejected"], 0);
    assert_eq!(json["catalog_updated"], false, "refreshed just before");
    assert_eq!(server.requests().len(), 2);

    let out = guichet(&dir, &["--config", config, "doctor", "--json"]);
    let doc: Value = serde_json::from_str(&out.stdout_text()).unwrap();
    let central = doc["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "central")
        .unwrap()
        .clone();
    assert_eq!(central["ok"], true, "{central}");
    let detail = central["detail"].as_str().unwrap();
    assert!(
        detail.starts_with("online") && detail.contains("0 pending"),
        "{detail}"
    );
    assert!(!out.stdout_text().contains(API_KEY) && !out.stderr_text().contains(API_KEY));

    // Unreachable: counts still printed, exit 1 with the reason.
    drop(server);
    let out = guichet(&dir, &["--config", config, "sync", "--once", "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let json: Value = serde_json::from_str(&out.stdout_text()).unwrap();
    assert_eq!(json["pending"], 0);
    assert!(
        out.stderr_text().contains("not reached"),
        "{}",
        out.stderr_text()
    );
    let out = guichet(&dir, &["--config", config, "doctor", "--json"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout_text().contains("offline"));
}

// ---------------------------------------------------------------------------------------------
// Issue 11: hostile and broken servers. Each test names the defect it reproduces.

use open311_server::{ErrorStyle, ListMode, PageHeaders};

/// A server with `opts`, a kiosk whose lookups give up (to review) after `review_after`.
fn hostile(opts: ServerOptions, review_after: Duration) -> (Open311Server, Kiosk) {
    let server = Open311Server::start_with(opts);
    let mut t = tuning();
    // One POST at a time, in reference order: faults hit the submission the test means.
    t.max_in_flight = 1;
    t.review_after = review_after;
    let kiosk = Kiosk::new(&server, t);
    (server, kiosk)
}

/// Goes round until `done` or `secs` have passed.
fn drain_until(kiosk: &mut Kiosk, secs: u64, done: impl Fn(&Kiosk) -> bool) {
    let deadline = std::time::Instant::now() + Duration::from_secs(secs);
    while std::time::Instant::now() < deadline {
        kiosk.round();
        if done(kiosk) {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn state(kiosk: &Kiosk, reference: &str) -> State {
    kiosk.queue.get(reference).unwrap().state
}

/// Why a submission is in review, as the queue recorded it (`None` when it is not).
fn review_kind(kiosk: &Kiosk, reference: &str) -> Option<guichet::queue::ReviewKind> {
    kiosk
        .queue
        .lookup_row(reference)
        .unwrap()
        .unwrap()
        .review_kind
}

/// Requests on the server sent for `reference` (by the form the kiosk sent, wherever the line).
fn copies(server: &Open311Server, reference: &str) -> usize {
    server.with_reference(reference).len()
}

/// Defect 4: the first submission's answer is lost after the server stored it; the second is
/// accepted (this kiosk's own recent request, the lookup's evidence). Returns the references.
fn lose_first_answer(
    server: &Open311Server,
    kiosk: &mut Kiosk,
    form: fn(u32) -> ValidForm,
) -> (String, String) {
    let lost = kiosk.enqueue(&form(1));
    let witness = kiosk.enqueue(&form(2));
    server.inject(Route::PostRequest, Fault::DropAfterCommit, 1);
    kiosk.round();
    assert_eq!(state(kiosk, &witness), State::Accepted);
    assert_eq!(state(kiosk, &lost), State::Pending);
    (lost, witness)
}

#[test]
fn defect_4_a_server_without_search_sends_nothing_twice_and_tells_staff() {
    let (server, mut kiosk) = hostile(
        ServerOptions {
            list_mode: ListMode::NoSearch,
            ..ServerOptions::default()
        },
        Duration::from_secs(1),
    );
    let (lost, _) = lose_first_answer(&server, &mut kiosk, pothole);
    drain_until(&mut kiosk, 10, |k| state(k, &lost) == State::Review);
    assert_eq!(
        state(&kiosk, &lost),
        State::Review,
        "{:?}",
        kiosk.outcomes(&lost)
    );
    assert_eq!(copies(&server, &lost), 1, "never resent without evidence");
    assert_eq!(
        review_kind(&kiosk, &lost),
        Some(guichet::queue::ReviewKind::Undecided),
        "why it is in review is recorded with it"
    );
    let report = kiosk.round();
    assert_eq!((report.review, report.pending), (1, 0));
    assert_eq!(Connectivity::load(&kiosk.queue).unwrap().review, 1);
    // Staff look it up by hand and resolve it.
    let id = server.with_reference(&lost)[0].id.to_string();
    kiosk
        .queue
        .resolve(&lost, &guichet::queue::Resolution::Sent(id.clone()), "test")
        .unwrap();
    let s = kiosk.queue.get(&lost).unwrap();
    assert_eq!((s.state, s.remote_id), (State::Accepted, Some(id)));
    kiosk.round();
    assert_eq!(copies(&server, &lost), 1);
}

#[test]
fn defect_4_lists_paged_newest_first_are_followed_to_the_end() {
    for headers in [PageHeaders::NextPageUrl, PageHeaders::Link] {
        let (server, mut kiosk) = hostile(
            ServerOptions {
                list_mode: ListMode::Paged {
                    page_size: 100,
                    headers,
                },
                ..ServerOptions::default()
            },
            Duration::from_secs(60),
        );
        let (lost, witness) = lose_first_answer(&server, &mut kiosk, pothole);
        // 150 newer requests push it off the first page.
        server.seed_requests("POTHOLE", 150);
        drain_until(&mut kiosk, 10, |k| state(k, &lost) == State::Accepted);
        assert_eq!(
            copies(&server, &lost),
            1,
            "{headers:?}: {:?}",
            kiosk.outcomes(&lost)
        );
        assert_eq!(kiosk.outcomes(&lost).last().unwrap(), "reconciled");
        assert_eq!(copies(&server, &witness), 1);
    }
    // A count without a link: the rest cannot be read, so absence proves nothing.
    let (server, mut kiosk) = hostile(
        ServerOptions {
            list_mode: ListMode::Paged {
                page_size: 100,
                headers: PageHeaders::ResultCount,
            },
            ..ServerOptions::default()
        },
        Duration::from_secs(1),
    );
    let (lost, _) = lose_first_answer(&server, &mut kiosk, pothole);
    server.seed_requests("POTHOLE", 150);
    drain_until(&mut kiosk, 10, |k| state(k, &lost) == State::Review);
    assert_eq!(state(&kiosk, &lost), State::Review);
    assert_eq!(copies(&server, &lost), 1);
}

#[test]
fn defect_4_moderation_and_another_service_code_go_to_review_not_to_a_resend() {
    for opts in [
        ServerOptions {
            list_mode: ListMode::Moderated,
            ..ServerOptions::default()
        },
        ServerOptions {
            file_under: Some("GRAFFITI".into()),
            ..ServerOptions::default()
        },
    ] {
        let what = format!("{:?} {:?}", opts.list_mode, opts.file_under);
        let (server, mut kiosk) = hostile(opts, Duration::from_secs(1));
        let (lost, _) = lose_first_answer(&server, &mut kiosk, pothole);
        drain_until(&mut kiosk, 10, |k| state(k, &lost) == State::Review);
        assert_eq!(
            state(&kiosk, &lost),
            State::Review,
            "{what}: {:?}",
            kiosk.outcomes(&lost)
        );
        assert_eq!(copies(&server, &lost), 1, "{what}");
        assert_eq!(server.requests().len(), 2, "{what}");
    }
}

#[test]
fn defect_4_a_lagging_search_is_waited_for() {
    let (server, mut kiosk) = hostile(
        ServerOptions {
            list_mode: ListMode::Lagging(Duration::from_secs(2)),
            ..ServerOptions::default()
        },
        Duration::from_secs(60),
    );
    let (lost, _) = lose_first_answer(&server, &mut kiosk, pothole);
    drain_until(&mut kiosk, 10, |k| state(k, &lost) == State::Accepted);
    assert_eq!(copies(&server, &lost), 1, "{:?}", kiosk.outcomes(&lost));
    assert_eq!(kiosk.outcomes(&lost).last().unwrap(), "reconciled");
}

#[test]
fn defect_4_a_post_stored_after_the_client_gave_up_is_found_not_resent() {
    let server = Open311Server::start();
    let mut t = tuning();
    t.max_in_flight = 1;
    // Longer than the server takes to store what it received (3 s here; the client waits 2.5 s).
    t.settle = Duration::from_secs(4);
    let mut kiosk = Kiosk::new(&server, t);
    let slow = kiosk.enqueue(&graffiti(1));
    let other = kiosk.enqueue(&graffiti(2));
    server.inject(
        Route::PostRequest,
        Fault::SlowStore(Duration::from_secs(3)),
        1,
    );
    kiosk.round();
    assert_eq!(state(&kiosk, &other), State::Accepted);
    drain_until(&mut kiosk, 12, |k| state(k, &slow) == State::Accepted);
    assert_eq!(copies(&server, &slow), 1, "{:?}", kiosk.outcomes(&slow));
    assert_eq!(kiosk.outcomes(&slow).last().unwrap(), "reconciled");
}

#[test]
fn defect_10_a_wrong_kiosk_clock_searches_in_the_servers_time() {
    // The server's clock (its Date header and its requests' times) is 3 hours ahead.
    let (server, mut kiosk) = hostile(
        ServerOptions {
            date_skew_s: Some(3 * 3600),
            ..ServerOptions::default()
        },
        Duration::from_secs(60),
    );
    let (lost, _) = lose_first_answer(&server, &mut kiosk, graffiti);
    drain_until(&mut kiosk, 10, |k| state(k, &lost) == State::Accepted);
    assert_eq!(copies(&server, &lost), 1, "{:?}", kiosk.outcomes(&lost));
    assert_eq!(kiosk.outcomes(&lost).last().unwrap(), "reconciled");
    let skew: i64 = kiosk
        .queue
        .state_value("sync.clock_skew_s")
        .unwrap()
        .unwrap()
        .parse()
        .unwrap();
    assert!((3 * 3600 - 5..=3 * 3600 + 5).contains(&skew), "{skew}");
}

#[test]
fn defect_2_a_forged_reference_line_cannot_take_another_residents_report() {
    let (server, mut kiosk) = hostile(ServerOptions::default(), Duration::from_secs(60));
    // References are sequential and the check character public: the next one is known.
    let next = guichet::reference::Reference::issue("LIB2", 2).unwrap();
    let mut forged = graffiti(1);
    forged.description = format!("Kiosk reference: {next}\nKiosk reference: {next}");
    let forger = kiosk.enqueue(&forged);
    kiosk.round();
    assert_eq!(state(&kiosk, &forger), State::Accepted);
    // The next resident's POST is lost before the server stores it.
    let victim = kiosk.enqueue(&graffiti(2));
    assert_eq!(victim, next.to_string());
    let witness = kiosk.enqueue(&graffiti(3));
    server.inject(Route::PostRequest, Fault::DropBeforeCommit, 1);
    drain_until(&mut kiosk, 10, |k| state(k, &victim) == State::Accepted);
    let forger_id = kiosk.queue.get(&forger).unwrap().remote_id;
    let victim_row = kiosk.queue.get(&victim).unwrap();
    assert_eq!(
        victim_row.state,
        State::Accepted,
        "{:?}",
        victim_row.attempt_log
    );
    assert_ne!(
        victim_row.remote_id, forger_id,
        "taken for the forger's request"
    );
    let on_server = server
        .requests()
        .into_iter()
        .find(|r| Some(r.id.to_string()) == victim_row.remote_id)
        .unwrap();
    assert!(
        on_server
            .description
            .starts_with(&format!("Kiosk reference: {victim}\n"))
    );
    assert_eq!(server.requests().len(), 3);
    assert_eq!(copies(&server, &witness), 1);

    // Someone plants the next reference line through the council's web form: without the
    // kiosk's check it is not taken for the lost submission either (staff decide).
    let planted = guichet::reference::Reference::issue("LIB2", 4).unwrap();
    server.plant(
        "GRAFFITI",
        &format!("Kiosk reference: {planted}\nKiosk check: 00000000\n\nx"),
    );
    let target = kiosk.enqueue(&graffiti(4));
    assert_eq!(target, planted.to_string());
    kiosk.enqueue(&graffiti(5));
    server.inject(Route::PostRequest, Fault::DropBeforeCommit, 1);
    drain_until(&mut kiosk, 10, |k| state(k, &target) == State::Review);
    assert_eq!(
        state(&kiosk, &target),
        State::Review,
        "{:?}",
        kiosk.outcomes(&target)
    );
    assert_eq!(
        review_kind(&kiosk, &target),
        Some(guichet::queue::ReviewKind::Unverified)
    );
}

#[test]
fn defect_2_a_server_that_cuts_descriptions_keeps_the_marker() {
    let (server, mut kiosk) = hostile(
        ServerOptions {
            truncate_description: Some(64),
            ..ServerOptions::default()
        },
        Duration::from_secs(60),
    );
    let mut long = graffiti(1);
    long.description = "a long description ".repeat(100);
    let lost = kiosk.enqueue(&long);
    kiosk.enqueue(&graffiti(2));
    server.inject(Route::PostRequest, Fault::DropAfterCommit, 1);
    drain_until(&mut kiosk, 10, |k| state(k, &lost) == State::Accepted);
    assert_eq!(kiosk.outcomes(&lost).last().unwrap(), "reconciled");
    assert_eq!(copies(&server, &lost), 1);
}

#[test]
fn defect_3_two_delivering_engines_never_send_the_same_report_twice() {
    // Every POST takes 1 s to be stored: the first engine's batch is in flight for seconds,
    // and the second engine starts meanwhile (a clock step, a lease that ran out...).
    let server = Open311Server::start();
    let dir = TestDir::new("two-engines");
    let (config, _) = kiosk_config(dir.path(), &server.url());
    let data = dir.path().join("data");
    let mut queue = Store::open(&data).unwrap();
    let refs: Vec<String> = (0..8)
        .map(|n| {
            queue
                .enqueue("LIB2", &graffiti(n), None)
                .unwrap()
                .to_string()
        })
        .collect();
    server.inject(
        Route::PostRequest,
        Fault::SlowStore(Duration::from_millis(700)),
        usize::MAX,
    );
    let run = |delay: u64| {
        let config = config.clone();
        let data = data.clone();
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(delay));
            let mut t = tuning();
            t.timeouts.request = Duration::from_secs(5);
            let mut engine = SyncEngine::new(&config, Store::open(&data).unwrap(), t).unwrap();
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            let mut busy = 0;
            for _ in 0..200 {
                let r = rt.block_on(engine.round(false)).unwrap();
                busy += usize::from(r.busy.is_some());
                if r.busy.is_none() && r.pending == 0 {
                    break;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            busy
        })
    };
    let a = run(0);
    let b = run(400);
    let busy = a.join().unwrap() + b.join().unwrap();
    server.clear_faults();
    assert!(busy > 0, "one engine waited for the other");
    for r in &refs {
        assert_eq!(copies(&server, r), 1, "{r}");
        assert_eq!(queue.get(r).unwrap().state, State::Accepted);
    }
    assert_eq!(server.requests().len(), refs.len());
}

#[test]
fn defect_3_a_second_sync_process_waits_and_says_who_delivers() {
    let server = Open311Server::start();
    let dir = TestDir::new("two-processes");
    let (_, config_path) = kiosk_config(dir.path(), &server.url());
    let config = config_path.to_str().unwrap().to_string();
    let data = dir.path().join("data");
    let refs: Vec<String> = {
        let mut queue = Store::open(&data).unwrap();
        (0..8)
            .map(|n| {
                queue
                    .enqueue("LIB2", &graffiti(n), None)
                    .unwrap()
                    .to_string()
            })
            .collect()
    };
    server.inject(
        Route::PostRequest,
        Fault::SlowStore(Duration::from_millis(500)),
        usize::MAX,
    );
    let exe = env!("CARGO_BIN_EXE_guichet");
    let spawn = || {
        std::process::Command::new(exe)
            .args(["--config", &config, "sync", "--once"])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let first = spawn();
    std::thread::sleep(Duration::from_millis(400));
    let second = spawn();
    let first = first.wait_with_output().unwrap();
    let second = second.wait_with_output().unwrap();
    assert!(first.status.success(), "{}", first.stderr_text());
    assert!(second.status.success(), "{}", second.stderr_text());
    let waited = format!("{}{}", first.stderr_text(), second.stderr_text());
    assert!(waited.contains("waiting for pid"), "{waited}");
    for r in &refs {
        assert_eq!(copies(&server, r), 1, "{r}");
    }
    assert_eq!(server.requests().len(), refs.len());
}

#[test]
fn defect_5_a_wrong_url_answering_404_everywhere_rejects_nothing() {
    let (server, mut kiosk) = hostile(
        ServerOptions {
            all_404: true,
            ..ServerOptions::default()
        },
        Duration::from_secs(60),
    );
    let refs: Vec<String> = (0..3).map(|n| kiosk.enqueue(&graffiti(n))).collect();
    let report = kiosk.round();
    assert!(!report.endpoint_ok);
    assert_eq!((report.rejected, report.pending), (0, 3));
    assert_eq!(server.hits(Route::PostRequest), 0, "nothing sent");
    for r in &refs {
        assert_eq!(state(&kiosk, r), State::Pending);
    }
}

#[test]
fn defect_5_django_error_shapes_are_read() {
    for style in [ErrorStyle::DjangoString, ErrorStyle::DjangoList] {
        let (server, mut kiosk) = hostile(
            ServerOptions {
                error_style: style,
                ..ServerOptions::default()
            },
            Duration::from_secs(60),
        );
        let mut form = graffiti(1);
        form.service_code = "WITHDRAWN".into();
        let bad = kiosk.enqueue(&form);
        let report = kiosk.round();
        assert_eq!(report.rejected, 1, "{style:?}");
        assert_eq!(state(&kiosk, &bad), State::Rejected);
        assert_eq!(
            kiosk.queue.server_text(&bad).unwrap().as_deref(),
            Some("Service code WITHDRAWN is not a valid service")
        );
        assert_eq!(server.hits(Route::PostRequest), 1);
    }
}

#[test]
fn defect_5_a_bad_key_answered_400_keeps_everything_pending_and_is_loud() {
    let (server, mut kiosk) = hostile(
        ServerOptions {
            api_key: "another-key".into(),
            bad_key_status: 400,
            ..ServerOptions::default()
        },
        Duration::from_secs(60),
    );
    let r = kiosk.enqueue(&graffiti(1));
    let report = kiosk.round();
    assert_eq!((report.rejected, report.pending), (0, 1));
    assert!(report.alert.unwrap().contains("key"));
    assert_eq!(state(&kiosk, &r), State::Pending);
    assert!(Connectivity::load(&kiosk.queue).unwrap().alert.is_some());
    assert!(server.requests().is_empty());
}

#[test]
fn defect_5_a_500_web_page_is_a_server_error_not_a_captive_portal() {
    let (server, mut kiosk) = hostile(ServerOptions::default(), Duration::from_secs(60));
    let r = kiosk.enqueue(&graffiti(1));
    kiosk.enqueue(&graffiti(2));
    server.inject(Route::PostRequest, Fault::Html500, 1);
    let report = kiosk.round();
    assert_eq!(report.link, LinkState::Online);
    assert!(report.error.unwrap().contains("server error"));
    drain_until(&mut kiosk, 10, |k| state(k, &r) == State::Accepted);
    assert_eq!(copies(&server, &r), 1);
}

#[test]
fn defect_5_a_surge_of_identical_refusals_is_held_and_said_loudly() {
    let (server, mut kiosk) = hostile(ServerOptions::default(), Duration::from_secs(60));
    let refs = [
        kiosk.enqueue(&graffiti(1)),
        kiosk.enqueue(&pothole(2)),
        kiosk.enqueue(&graffiti(3)),
    ];
    server.inject(
        Route::PostRequest,
        Fault::Refuse("jurisdiction_id not found"),
        3,
    );
    let report = kiosk.round();
    assert_eq!(report.rejected, 0);
    let alert = report.alert.unwrap();
    assert!(
        alert.contains("3 submissions") && alert.contains("held"),
        "{alert}"
    );
    for r in &refs {
        assert_eq!(state(&kiosk, r), State::Pending);
    }
    assert_eq!(
        Connectivity::load(&kiosk.queue).unwrap().alert.unwrap(),
        alert
    );
    // The server recovers: everything goes, once, and the alert is cleared.
    drain_until(&mut kiosk, 10, |k| {
        refs.iter().all(|r| state(k, r) == State::Accepted)
    });
    for r in &refs {
        assert_eq!(copies(&server, r), 1);
    }
    assert!(Connectivity::load(&kiosk.queue).unwrap().alert.is_none());
}

#[test]
fn defect_9_an_empty_service_list_or_a_missing_definition_does_not_empty_the_catalogue() {
    // `200 []` (an unknown jurisdiction): the cached catalogue stays, and nothing is sent.
    let (server, mut kiosk) = hostile(
        ServerOptions {
            empty_services: true,
            ..ServerOptions::default()
        },
        Duration::from_secs(60),
    );
    let demo: serde_json::Value = serde_json::from_str(open311_server::DEFAULT_CATALOG).unwrap();
    let catalog = guichet::catalog::parse_catalog_document(demo.to_string().as_bytes()).unwrap();
    kiosk.queue.replace_catalog(&catalog, "import").unwrap();
    kiosk.enqueue(&graffiti(1));
    let report = kiosk.round();
    assert!(!report.endpoint_ok);
    assert_eq!(kiosk.queue.catalog_for("en").unwrap().unwrap(), catalog);
    assert_eq!(server.hits(Route::PostRequest), 0);
    let err = kiosk
        .rt
        .block_on(kiosk.engine.refresh_catalog_now())
        .unwrap_err();
    assert!(err.contains("no services"), "{err}");
    drop(server);

    // One definition answers 404: the others are stored, that service left out.
    let (_server, mut kiosk) = hostile(
        ServerOptions {
            definition_404: Some("POTHOLE".into()),
            ..ServerOptions::default()
        },
        Duration::from_secs(60),
    );
    assert!(
        kiosk
            .rt
            .block_on(kiosk.engine.refresh_catalog_now())
            .unwrap()
    );
    let stored = kiosk.queue.catalog_for("en").unwrap().unwrap();
    assert_eq!(stored.services.len(), 8);
    assert!(stored.services.iter().all(|s| s.service_code != "POTHOLE"));
}

#[test]
fn defect_7_a_catalogue_over_its_total_budget_is_refused_while_reading() {
    // 40 services whose definitions are each under the per-document cap (about 600 KB) but
    // together far over the total budget.
    let mut services = Vec::new();
    let mut definitions = serde_json::Map::new();
    for i in 0..40 {
        let code = format!("BIG{i}");
        services.push(serde_json::json!({
            "service_code": code, "service_name": format!("Big {i}"), "description": "",
            "metadata": true, "type": "realtime", "keywords": [], "group": "Big"
        }));
        let attributes: Vec<serde_json::Value> = (0..100)
            .map(|a| {
                serde_json::json!({
                    "variable": true, "code": format!("A{a}"), "datatype": "singlevaluelist",
                    "required": false, "datatype_description": "", "order": a + 1,
                    "description": format!("Attribute {a}"),
                    "values": (0..100).map(|v| serde_json::json!({
                        "key": format!("v{v}"), "name": format!("{:-<48}", v)
                    })).collect::<Vec<_>>()
                })
            })
            .collect();
        definitions.insert(
            code.clone(),
            serde_json::json!({"service_code": code, "attributes": attributes}),
        );
    }
    let catalog = serde_json::json!({"services": services, "definitions": definitions});
    let (server, mut kiosk) = hostile(
        ServerOptions {
            catalog: catalog.to_string(),
            ..ServerOptions::default()
        },
        Duration::from_secs(60),
    );
    let err = kiosk
        .rt
        .block_on(kiosk.engine.refresh_catalog_now())
        .unwrap_err();
    assert!(err.contains("budget"), "{err}");
    assert!(kiosk.queue.catalog_for("en").unwrap().is_none());
    let fetched = server.hits(Route::Definition);
    assert!(
        fetched < 40,
        "stopped reading at the budget ({fetched} definitions)"
    );
}

#[test]
fn defect_10_the_key_never_goes_in_a_url_and_probes_are_remembered() {
    for extension in [true, false] {
        let server = Open311Server::start_with(ServerOptions {
            updates_extension: extension,
            ..ServerOptions::default()
        });
        let mut t = tuning();
        t.status_interval = Duration::ZERO;
        let mut kiosk = Kiosk::new(&server, t);
        kiosk.enqueue(&graffiti(1));
        for _ in 0..3 {
            kiosk.rt.block_on(kiosk.engine.round(true)).unwrap();
        }
        assert_eq!(server.keys_in_urls(), 0, "extension {extension}");
        if !extension {
            assert_eq!(
                server.hits(Route::Updates),
                1,
                "an absent extension is probed once per catalogue"
            );
        }
    }
}

#[test]
fn defect_5_a_retired_service_can_be_refiled_and_refusals_retried_in_bulk() {
    let server = Open311Server::start();
    let dir = TestDir::new("refile");
    let (_, config_path) = kiosk_config(dir.path(), &server.url());
    let config = config_path.to_str().unwrap();
    let run = |args: &[&str]| {
        let mut all = vec!["--config", config];
        all.extend_from_slice(args);
        guichet(&dir, &all)
    };
    assert!(run(&["catalog", "refresh"]).status.success());
    let submit = |n: u32| {
        let out = run(&[
            "submit",
            "--service",
            "POTHOLE",
            "--answer",
            "SIZE=small",
            "--address",
            &format!("{n} Main Street"),
            "--json",
        ]);
        assert!(out.status.success(), "{}", out.stderr_text());
        let v: Value = serde_json::from_str(&out.stdout_text()).unwrap();
        v["reference"].as_str().unwrap().to_string()
    };
    let a = submit(1);
    let b = submit(2);
    server.inject(
        Route::PostRequest,
        Fault::Refuse("This service is retired"),
        2,
    );
    let out = run(&["sync", "--once"]);
    assert!(out.status.success(), "{}", out.stderr_text());
    let listed = run(&["queue", "list", "--state", "rejected", "--json"]);
    let rows: Value = serde_json::from_str(&listed.stdout_text()).unwrap();
    assert_eq!(rows.as_array().unwrap().len(), 2);
    assert!(
        !listed.stdout_text().contains("retired"),
        "the server's words are sealed"
    );
    let shown = run(&["queue", "show", &a]);
    assert!(shown.stdout_text().contains("This service is retired"));

    let out = run(&["queue", "refile", &a, "--service", "GRAFFITI"]);
    assert!(out.status.success(), "{}", out.stderr_text());
    let out = run(&[
        "queue",
        "retry",
        "--all-rejected",
        "--since",
        "2000-01-01T00:00:00Z",
    ]);
    assert!(out.status.success(), "{}", out.stderr_text());
    assert!(
        out.stdout_text().starts_with("1 rejected"),
        "{}",
        out.stdout_text()
    );
    let out = run(&["sync", "--once"]);
    assert!(out.status.success(), "{}", out.stderr_text());
    let stored = server.with_reference(&a);
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].service_code, "GRAFFITI");
    assert_eq!(copies(&server, &b), 1);
    let listed = run(&["queue", "list", "--state", "review", "--json"]);
    assert_eq!(listed.stdout_text().trim(), "[]");
}

#[test]
fn metrics_follow_submissions_a_successful_sync_and_a_refusal() {
    let server = Open311Server::start();
    let dir = TestDir::new("metrics-sync");
    let (_, config_path) = kiosk_config(dir.path(), &server.url());
    let config = config_path.to_str().unwrap();
    let run = |args: &[&str]| {
        let mut all = vec!["--config", config];
        all.extend_from_slice(args);
        let out = guichet(&dir, &all);
        assert!(out.status.success(), "{args:?}: {}", out.stderr_text());
        out
    };
    let metrics = || common::prom::parse(&run(&["metrics", "--out", "-"]).stdout_text());
    let submissions =
        |m: &common::prom::Metrics, state| m.value("guichet_submissions", &[("state", state)]);

    let before = metrics();
    assert_eq!(
        before.value(
            "guichet_build_info",
            &[("version", env!("CARGO_PKG_VERSION"))]
        ),
        1.0
    );
    assert_eq!(before.value("guichet_central_configured", &[]), 1.0);
    assert_eq!(
        before.value("guichet_sync_last_success_timestamp_seconds", &[]),
        0.0
    );
    assert_eq!(
        before.value("guichet_catalog_updated_timestamp_seconds", &[]),
        0.0
    );
    assert!(before.value("guichet_disk_free_bytes", &[]) > 0.0);
    assert_eq!(
        before.get("guichet_last_frame_timestamp_seconds", &[]),
        None,
        "only the running kiosk knows its frames"
    );

    run(&["catalog", "refresh"]);
    let submit = |n: u32| {
        let out = run(&[
            "submit",
            "--service",
            "POTHOLE",
            "--answer",
            "SIZE=small",
            "--address",
            &format!("{n} Main Street"),
            "--email",
            "resident@example.org",
            "--json",
        ]);
        let v: Value = serde_json::from_str(&out.stdout_text()).unwrap();
        v["reference"].as_str().unwrap().to_string()
    };
    let references = [submit(1), submit(2)];
    let queued = metrics();
    assert_eq!(
        submissions(&queued, "pending"),
        2.0,
        "a submission moves pending up"
    );
    assert!(queued.value("guichet_catalog_updated_timestamp_seconds", &[]) > 0.0);
    assert_eq!(
        queued.value("guichet_print_queue_jobs", &[]),
        2.0,
        "each has a receipt job"
    );
    assert!(queued.value("guichet_oldest_pending_age_seconds", &[]) >= 0.0);

    server.inject(
        Route::PostRequest,
        Fault::Refuse("This service is retired"),
        1,
    );
    let started = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs_f64();
    run(&["sync", "--once"]);
    let synced = metrics();
    assert_eq!(
        submissions(&synced, "pending"),
        0.0,
        "a sync moves pending down"
    );
    assert_eq!(
        submissions(&synced, "rejected"),
        1.0,
        "a refusal moves rejected up"
    );
    assert_eq!(submissions(&synced, "review"), 0.0);
    assert_eq!(synced.value("guichet_oldest_pending_age_seconds", &[]), 0.0);
    let success = synced.value("guichet_sync_last_success_timestamp_seconds", &[]);
    assert!(
        success >= started.floor(),
        "last success {success} set by this sync ({started})"
    );
    assert_eq!(synced.value("guichet_sync_last_round_success", &[]), 1.0);
    assert!(synced.value("guichet_catalog_checked_timestamp_seconds", &[]) >= started.floor());
    assert_eq!(
        synced.value("guichet_sync_link", &[("link", "online")]),
        1.0
    );
    assert_eq!(
        synced.value("guichet_sync_link", &[("link", "offline")]),
        0.0
    );

    // Nothing personal, no reference, not the server's words.
    for secret in ["Main Street", "resident@example.org", "retired", "POTHOLE"] {
        assert!(!synced.text.contains(secret), "{secret} in metrics");
    }
    for reference in &references {
        assert!(!synced.text.contains(reference.as_str()));
    }

    // Without --out, the same text goes to fleet.textfile, atomically (no temporary left).
    let textfile = dir.path().join("textfile/guichet.prom");
    std::fs::create_dir_all(textfile.parent().unwrap()).unwrap();
    let mut text = std::fs::read_to_string(&config_path).unwrap();
    text.push_str(&format!(
        "[fleet]\ntextfile = {:?}\n",
        textfile.display().to_string()
    ));
    std::fs::write(&config_path, text).unwrap();
    let printed = run(&["metrics"]).stdout_text();
    let written = std::fs::read_to_string(&textfile).unwrap();
    let (p, w) = (common::prom::parse(&printed), common::prom::parse(&written));
    assert_eq!(submissions(&w, "rejected"), 1.0);
    assert_eq!(
        p.value("guichet_sync_last_success_timestamp_seconds", &[]),
        w.value("guichet_sync_last_success_timestamp_seconds", &[])
    );
    let names: Vec<_> = std::fs::read_dir(textfile.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["guichet.prom"]);
}

/// A local endpoint for the fleet heartbeat: answers `503` while `failing` is set and `204`
/// otherwise, and hands over every attempt: the status it answered, the headers (lower-cased
/// names) and the body.
type Heartbeat = (u16, std::collections::HashMap<String, String>, Vec<u8>);

fn heartbeat_endpoint(
    failing: Arc<std::sync::atomic::AtomicBool>,
) -> (String, std::sync::mpsc::Receiver<Heartbeat>) {
    use std::io::{BufRead, BufReader, Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/heartbeat", listener.local_addr().unwrap());
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut headers = std::collections::HashMap::new();
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            assert!(line.starts_with("POST /heartbeat "), "{line}");
            loop {
                line.clear();
                reader.read_line(&mut line).unwrap();
                let Some((name, value)) = line.trim_end().split_once(':') else {
                    break;
                };
                headers.insert(name.to_ascii_lowercase(), value.trim().to_string());
            }
            let length: usize = headers["content-length"].parse().unwrap();
            let mut body = vec![0; length];
            reader.read_exact(&mut body).unwrap();
            let status = if failing.load(std::sync::atomic::Ordering::SeqCst) {
                503
            } else {
                204
            };
            let answer = if status == 204 {
                "HTTP/1.1 204 No Content\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            } else {
                "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            };
            stream.write_all(answer.as_bytes()).unwrap();
            if tx.send((status, headers, body)).is_err() {
                return;
            }
        }
    });
    (url, rx)
}

fn unhex(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
        .collect()
}

#[test]
fn the_heartbeat_is_kept_retried_and_verified_with_the_key_the_council_registers() {
    use std::sync::atomic::{AtomicBool, Ordering};
    let server = Open311Server::start();
    let failing = Arc::new(AtomicBool::new(true));
    let (endpoint, received) = heartbeat_endpoint(Arc::clone(&failing));
    let dir = TestDir::new("heartbeat");
    let (_, config_path) = kiosk_config(dir.path(), &server.url());
    let textfile = dir.path().join("guichet.prom");
    let mut text = std::fs::read_to_string(&config_path).unwrap();
    text.push_str(&format!(
        "[fleet]\ntextfile = {:?}\nheartbeat_url = {endpoint:?}\n",
        textfile.display().to_string()
    ));
    std::fs::write(&config_path, &text).unwrap();
    let config = Config::load_file(&config_path).unwrap();
    let data = dir.path().join("data");
    let mut store = Store::open(&data).unwrap();
    let reference = store
        .enqueue("LIB2", &pothole(7), None)
        .unwrap()
        .to_string();

    // What the technician registers with the council: the public key, from the real binary.
    let fleet_key = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_guichet"))
            .env_remove("GUICHET_CONFIG")
            .arg("--config")
            .arg(&config_path)
            .arg("--data-dir")
            .arg(&data)
            .args(["fleet", "key", "--json"])
            .args(args)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", out.stderr_text());
        let doc: Value = serde_json::from_str(&out.stdout_text()).unwrap();
        assert_eq!(doc["device"], "LIB2");
        assert_eq!(doc["algorithm"], "ed25519");
        doc["public_key"].as_str().unwrap().to_string()
    };
    let registered = fleet_key(&[]);
    assert_eq!(registered.len(), 64);
    let key_file = std::fs::read_to_string(data.join("guichet.heartbeat.key")).unwrap();
    assert_ne!(key_file.trim(), registered, "the secret is never printed");
    let verify =
        |public: &str, body: &[u8], headers: &std::collections::HashMap<String, String>| {
            let signature = headers["x-guichet-signature"]
                .strip_prefix("ed25519=")
                .unwrap();
            ring::signature::UnparsedPublicKey::new(&ring::signature::ED25519, unhex(public))
                .verify(body, &unhex(signature))
                .is_ok()
        };

    // The receiver is down: the kiosk's writer keeps the document and retries with backoff.
    let outbox = data.join("heartbeat-outbox");
    let refresher = guichet::runtime::metrics::spawn_refresher(
        Arc::new(config.clone()),
        guichet::queue::StoreLocation::in_dir(&data),
    );
    let (status, _, first_failed) = received
        .recv_timeout(Duration::from_secs(30))
        .expect("a first attempt");
    assert_eq!(status, 503);
    let (status, _, retried) = received
        .recv_timeout(Duration::from_secs(30))
        .expect("a retry");
    assert_eq!(status, 503);
    assert_eq!(retried, first_failed, "the same document, kept");
    // A restart while it is down: the document is on disk, not lost with the process.
    drop(refresher);
    let kept = std::fs::read_dir(&outbox).unwrap().count();
    assert!(kept >= 1, "kept in the outbox across the restart");

    // The receiver is back: the kept document arrives first, then the current state.
    failing.store(false, Ordering::SeqCst);
    let refresher = guichet::runtime::metrics::spawn_refresher(
        Arc::new(config),
        guichet::queue::StoreLocation::in_dir(&data),
    );
    let (status, headers, body) = received
        .recv_timeout(Duration::from_secs(30))
        .expect("the kept heartbeat");
    assert_eq!(status, 204);
    assert_eq!(body, first_failed, "oldest first, as it was made");
    let (_, _, newer) = received
        .recv_timeout(Duration::from_secs(30))
        .expect("the current heartbeat");
    drop(refresher);
    let first: Value = serde_json::from_slice(&body).unwrap();
    let second: Value = serde_json::from_slice(&newer).unwrap();
    assert!(first["sent_at"].as_i64() <= second["sent_at"].as_i64());
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while std::fs::read_dir(&outbox).unwrap().count() > 0 {
        assert!(std::time::Instant::now() < deadline, "outbox emptied");
        std::thread::sleep(Duration::from_millis(20));
    }

    assert_eq!(headers["x-guichet-device"], "LIB2");
    assert_eq!(headers["content-type"], "application/json");
    // Verified independently with the registered public key, as the council would.
    assert!(verify(&registered, &body, &headers));
    let mut forged = body.clone();
    forged[0] ^= 1;
    assert!(
        !verify(&registered, &forged, &headers),
        "a changed document fails"
    );
    // After a rotation the old registration no longer verifies; the new one does.
    let rotated = fleet_key(&["--rotate"]);
    assert_ne!(rotated, registered);
    assert!(!verify(&rotated, &body, &headers));

    let document: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(document["device"], "LIB2");
    assert_eq!(document["status"]["pending"], 1);
    for doc in [&body, &newer] {
        let text = String::from_utf8(doc.clone()).unwrap();
        for secret in ["rue Haute", "Trou", "danger", "POTHOLE", reference.as_str()] {
            assert!(!text.contains(secret), "{secret} in the heartbeat: {text}");
        }
    }
}

#[test]
fn practice_and_cancelled_submissions_are_never_sent() {
    let server = Open311Server::start();
    let mut kiosk = Kiosk::new(&server, tuning());
    let real = kiosk.enqueue(&pothole(1));
    let practice = kiosk
        .queue
        .enqueue_marked(
            "LIB2",
            &pothole(2),
            &guichet::queue::SubmissionMarks {
                assisted_by: Some("Alice".into()),
                practice: true,
            },
        )
        .unwrap()
        .to_string();
    let cancelled = kiosk.enqueue(&pothole(3));
    kiosk.queue.cancel_submission(&cancelled, "Alice").unwrap();
    kiosk.drain(5);
    assert_delivered_once(&kiosk, &server, std::slice::from_ref(&real));
    assert!(server.with_reference(&practice).is_empty());
    assert!(server.with_reference(&cancelled).is_empty());
    assert_eq!(kiosk.queue.get(&practice).unwrap().state, State::Practice);
    assert_eq!(kiosk.queue.get(&cancelled).unwrap().state, State::Cancelled);
    // Nothing waits as far as sync is concerned.
    assert_eq!(kiosk.round().pending, 0);
}
