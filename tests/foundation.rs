//! Foundation: configuration, catalogue parsing (sloppy and refused), the CLI round trip through
//! the real binary, the durable queue under SIGKILL, and the layers of the house
//! (`architecture/layering.rs`).

mod common;
#[path = "architecture/layering.rs"]
mod layering;

use std::collections::HashSet;
use std::io::{BufRead, BufReader, Read};
use std::process::Stdio;
use std::time::Duration;

use common::{OutputText, TestDir, guichet};
use guichet::catalog::{CatalogError, Datatype, ServiceType, limits, parse_catalog_document};
use guichet::queue::Store;

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/fixtures/catalog/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

// ---------------------------------------------------------------------------------------------
// Catalogue

#[test]
fn sloppy_catalogue_is_accepted_and_tidied() {
    let c = parse_catalog_document(&fixture("sloppy.json")).unwrap();
    let s = &c.services[0];
    assert_eq!(
        s.service_code, "37",
        "numeric service_code becomes a string"
    );
    assert_eq!(s.description, "", "null description becomes empty");
    assert_eq!(
        s.keywords,
        ["car", "vehicle", "abandoned"],
        "keywords as one string"
    );
    assert_eq!(s.group.as_deref(), Some("Streets"));
    let s = &c.services[1];
    assert_eq!(s.group, None, "missing group");
    assert_eq!(s.service_type, ServiceType::Batch);
    assert!(s.keywords.is_empty(), "empty keywords");
    assert_eq!(s.description, "Dog mess\n on a path", "stray \\r removed");
    let s = &c.services[2];
    assert_eq!(s.group, None, "empty group");
    assert!(!s.metadata, "\"false\" as a string");
    let def = c.definition("37").unwrap();
    let codes: Vec<_> = def.attributes.iter().map(|a| a.code.as_str()).collect();
    assert_eq!(
        codes,
        ["5", "PLATE", "DAYS"],
        "sorted by order; numeric code; missing order last"
    );
    assert!(!def.attributes[0].variable, "information only");
    assert_eq!(
        def.attributes[1].datatype,
        Datatype::String,
        "datatype case forgiven"
    );
    assert!(def.attributes[2].variable, "variable defaults to true");
    assert_eq!(
        def.attributes[2].description, "DAYS",
        "null question falls back to the code"
    );
    assert_eq!(def.questions().count(), 2);
    assert_eq!(c.groups(), vec![Some("Streets".to_string()), None]);
}

#[test]
fn malformed_catalogues_are_refused_with_the_place_and_reason() {
    let cases: &[(&str, &[&str])] = &[
        (
            "malformed-datatype.json",
            &["attributes[0].datatype", "\"boolean\""],
        ),
        (
            "missing-definition.json",
            &["services[\"A\"]", "no service definition"],
        ),
        ("empty-list.json", &["values", "at least one value"]),
        ("duplicate-code.json", &["services[1]", "appears twice"]),
        ("no-name.json", &["services[0].service_name", "missing"]),
        ("truncated.json", &["not valid JSON"]),
    ];
    for (file, needles) in cases {
        let err = parse_catalog_document(&fixture(file))
            .unwrap_err()
            .to_string();
        for needle in *needles {
            assert!(err.contains(needle), "{file}: {err:?} lacks {needle:?}");
        }
    }
}

#[test]
fn oversized_catalogues_are_refused() {
    let service = |i: usize| format!(r#"{{"service_code":"S{i}","service_name":"N{i}"}}"#);
    let many: Vec<String> = (0..=limits::MAX_SERVICES).map(service).collect();
    let doc = format!(r#"{{"services":[{}]}}"#, many.join(","));
    assert!(matches!(
        parse_catalog_document(doc.as_bytes()),
        Err(CatalogError::TooMany {
            what: "services",
            ..
        })
    ));

    let attrs: Vec<String> = (0..=limits::MAX_ATTRIBUTES)
        .map(|i| format!(r#"{{"code":"A{i}","datatype":"string","description":"q"}}"#))
        .collect();
    let doc = format!(
        r#"{{"services":[{{"service_code":"S","service_name":"S","metadata":true}}],"definitions":{{"S":{{"service_code":"S","attributes":[{}]}}}}}}"#,
        attrs.join(",")
    );
    assert!(matches!(
        parse_catalog_document(doc.as_bytes()),
        Err(CatalogError::TooMany {
            what: "attributes",
            ..
        })
    ));

    let long_name = "x".repeat(limits::MAX_NAME_CHARS + 1);
    let doc = format!(r#"{{"services":[{{"service_code":"S","service_name":"{long_name}"}}]}}"#);
    let err = parse_catalog_document(doc.as_bytes())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("service_name") && err.contains("at most 200"),
        "{err}"
    );

    let huge = vec![b' '; limits::MAX_DOCUMENT_BYTES + 1];
    assert!(matches!(
        parse_catalog_document(&huge),
        Err(CatalogError::TooLarge(_))
    ));
}

#[test]
fn a_refused_import_keeps_the_previous_catalogue() {
    let dir = TestDir::new("import");
    let fixtures = format!("{}/tests/fixtures/catalog", env!("CARGO_MANIFEST_DIR"));
    let ok = guichet(
        &dir,
        &["catalog", "import", &format!("{fixtures}/sloppy.json")],
    );
    assert!(ok.status.success(), "{}", ok.stderr_text());
    let before = guichet(&dir, &["catalog", "show", "--json"]);
    assert!(before.status.success());
    let bad = guichet(
        &dir,
        &[
            "catalog",
            "import",
            &format!("{fixtures}/malformed-datatype.json"),
        ],
    );
    assert_eq!(bad.status.code(), Some(1));
    let msg = bad.stderr_text();
    assert!(
        msg.contains("refused") && msg.contains("unchanged") && msg.contains("boolean"),
        "{msg}"
    );
    assert_eq!(msg.trim().lines().count(), 1, "one line: {msg}");
    let after = guichet(&dir, &["catalog", "show", "--json"]);
    assert_eq!(before.stdout, after.stdout);
    let json: serde_json::Value = serde_json::from_slice(&after.stdout).unwrap();
    assert_eq!(json["services"][0]["service_code"], "37");
}

// ---------------------------------------------------------------------------------------------
// Configuration through the binary

#[test]
fn bad_config_names_the_key_and_exits_1() {
    let dir = TestDir::new("config");
    let path = dir.path().join("kiosk.toml");
    std::fs::write(
        &path,
        "[device]\ncode = \"LIB2\"\n[ui]\nidle_timeout = 60\n",
    )
    .unwrap();
    let out = guichet(&dir, &["--config", path.to_str().unwrap(), "doctor"]);
    assert_eq!(out.status.code(), Some(1));
    let msg = out.stderr_text();
    assert!(
        msg.contains("idle_timeout") && msg.contains("idle_timeout_s"),
        "{msg}"
    );

    std::fs::write(&path, "[device]\ncode = \"lib-2\"\n").unwrap();
    let out = guichet(&dir, &["--config", path.to_str().unwrap(), "doctor"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        out.stderr_text().contains("device.code"),
        "{}",
        out.stderr_text()
    );

    let out = guichet(&dir, &["queue", "list", "--state", "lost"]);
    assert_eq!(out.status.code(), Some(2), "usage error");
}

#[test]
fn config_file_from_environment_variable_is_used() {
    let dir = TestDir::new("envconfig");
    let path = dir.path().join("kiosk.toml");
    std::fs::write(&path, "[device]\ncode = \"ENV7\"\n").unwrap();
    let out = common::guichet_env(
        &dir,
        &["doctor", "--json"],
        &[("GUICHET_CONFIG", path.to_str().unwrap())],
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let config = &json["checks"][0];
    assert_eq!(config["name"], "config");
    assert!(
        config["detail"].as_str().unwrap().contains("ENV7"),
        "{config}"
    );
}

// ---------------------------------------------------------------------------------------------
// CLI round trip

#[test]
fn submit_then_queue_list_round_trip() {
    let dir = TestDir::new("roundtrip");
    let out = guichet(
        &dir,
        &[
            "submit",
            "--service",
            "BULKY",
            "--answer",
            "ITEMS=fridge",
            "--answer",
            "ITEMS=garden",
            "--answer",
            "ITEM_COUNT=2",
            "--answer",
            "PREFERRED_DATE=2026-12-01T09:00:00Z",
            "--address",
            "4 Mill Lane",
            "--email",
            "ann@example.org",
            "--locale",
            "fr",
            "--json",
        ],
    );
    assert!(out.status.success(), "{}", out.stderr_text());
    let submitted: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(submitted["state"], "pending");
    let reference = submitted["reference"].as_str().unwrap().to_string();
    assert!(reference.starts_with("DEMO-"), "{reference}");
    guichet::reference::Reference::parse(&reference).unwrap();

    let list = guichet(&dir, &["queue", "list", "--json"]);
    assert!(list.status.success());
    let rows: serde_json::Value = serde_json::from_slice(&list.stdout).unwrap();
    let row = &rows.as_array().unwrap()[0];
    let keys: HashSet<&str> = row
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        HashSet::from([
            "reference",
            "state",
            "service_code",
            "created_at",
            "remote_id",
            "last_error"
        ])
    );
    assert_eq!(row["reference"], reference.as_str());
    assert_eq!(row["state"], "pending");
    assert_eq!(row["service_code"], "BULKY");
    assert!(row["remote_id"].is_null() && row["last_error"].is_null());
    time::OffsetDateTime::parse(
        row["created_at"].as_str().unwrap(),
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap();

    let show = guichet(
        &dir,
        &["queue", "show", &reference.to_lowercase(), "--json"],
    );
    assert!(show.status.success(), "{}", show.stderr_text());
    let shown: serde_json::Value = serde_json::from_slice(&show.stdout).unwrap();
    assert_eq!(shown["locale"], "fr");
    assert_eq!(
        shown["form"]["answers"]["ITEMS"],
        serde_json::json!(["fridge", "garden"])
    );
    assert_eq!(shown["form"]["answers"]["ITEM_COUNT"], "2");

    let pending = guichet(&dir, &["queue", "list", "--state", "accepted", "--json"]);
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&pending.stdout).unwrap(),
        serde_json::json!([])
    );
}

#[test]
fn invalid_submission_exits_1_naming_the_field_and_saves_nothing() {
    let dir = TestDir::new("invalid");
    let out = guichet(
        &dir,
        &[
            "submit",
            "--service",
            "BULKY",
            "--answer",
            "ITEMS=piano",
            "--answer",
            "ITEM_COUNT=lots",
            "--answer",
            "PREFERRED_DATE=2026-12-01",
            "--address",
            "x",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let msg = out.stderr_text();
    assert!(msg.contains("ITEMS") && msg.contains("piano"), "{msg}");
    assert!(
        msg.contains("ITEM_COUNT") && msg.contains("not a number"),
        "{msg}"
    );
    assert_eq!(msg.trim().lines().count(), 1);
    let out = guichet(&dir, &["submit", "--service", "NOPE", "--address", "x"]);
    assert!(
        out.stderr_text()
            .contains("service is not in the catalogue")
    );
    let list = guichet(&dir, &["queue", "list", "--json"]);
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&list.stdout).unwrap(),
        serde_json::json!([])
    );
}

#[test]
fn retry_and_export() {
    let dir = TestDir::new("export");
    let out = guichet(
        &dir,
        &[
            "submit",
            "--service",
            "GRAFFITI",
            "--address",
            "Bus shelter, Station Road",
        ],
    );
    assert!(out.status.success(), "{}", out.stderr_text());
    let reference = out.stdout_text().trim().to_string();
    let retry = guichet(&dir, &["queue", "retry", &reference]);
    assert_eq!(retry.status.code(), Some(1));
    assert!(retry.stderr_text().contains("only a rejected"));
    {
        let store = Store::open(dir.path()).unwrap();
        store
            .connection()
            .execute(
                "UPDATE submissions SET state='rejected', last_error='400 bad address'",
                [],
            )
            .unwrap();
    }
    let list = guichet(&dir, &["queue", "list", "--state", "rejected", "--json"]);
    let rows: serde_json::Value = serde_json::from_slice(&list.stdout).unwrap();
    // A server's refusal reason is sealed with the submission (issue 11), even one written in
    // clear by an earlier version: `queue show` opens it.
    assert!(rows[0]["last_error"].as_str().unwrap().contains("sealed"));
    let shown = guichet(&dir, &["queue", "show", &reference]);
    assert!(shown.stdout_text().contains("400 bad address"));
    assert!(
        guichet(&dir, &["queue", "retry", &reference])
            .status
            .success()
    );
    let export = dir.path().join("export.jsonl");
    let out = guichet(
        &dir,
        &["queue", "export", "--out", export.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", out.stderr_text());
    // Sealed at rest (issue 6): read back through `privacy open-export`.
    let opened = guichet(&dir, &["privacy", "open-export", export.to_str().unwrap()]);
    assert!(opened.status.success(), "{}", opened.stderr_text());
    let text = opened.stdout_text();
    assert_eq!(text.lines().count(), 1);
    let line: serde_json::Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    assert_eq!(line["reference"], reference.as_str());
    assert_eq!(line["state"], "pending");
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&export).unwrap().permissions().mode() & 0o777,
        0o600
    );
}

#[test]
fn doctor_reports_every_check() {
    let dir = TestDir::new("doctor");
    let out = guichet(&dir, &["doctor", "--json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let names: Vec<&str> = json["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["config", "database", "disk", "printer", "central", "clock"]
    );
    let database = &json["checks"][1];
    assert_eq!(database["ok"], true, "{database}");
    assert!(
        database["detail"]
            .as_str()
            .unwrap()
            .contains("integrity ok")
    );
    // Exit status follows the checks (the disk check may fail on a nearly full CI machine).
    let all_ok = json["checks"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["ok"] == true);
    assert_eq!(out.status.success(), all_ok);

    // A corrupted database file is reported as a failed check, with exit 1.
    let db = dir.path().join(guichet::queue::DATABASE_FILE);
    let mut bytes = std::fs::read(&db).unwrap();
    for b in bytes.iter_mut().skip(100).take(4000) {
        *b = 0x5a;
    }
    std::fs::write(&db, bytes).unwrap();
    let _ = std::fs::remove_file(dir.path().join("guichet.sqlite3-wal"));
    let out = guichet(&dir, &["doctor", "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["checks"][1]["ok"], false, "{}", json["checks"][1]);
}

// ---------------------------------------------------------------------------------------------
// Crash safety

/// A child queues submissions in a loop and is SIGKILLed at random moments. After every kill the
/// database opens, passes integrity_check, holds every submission whose reference the child
/// printed (printed only after commit), intact; and no reference is ever issued twice.
#[test]
fn sigkill_during_enqueue_loses_nothing_and_never_repeats_a_reference() {
    use rand::Rng;
    let dir = TestDir::new("crash");
    let mut rng = rand::rng();
    let mut seen: HashSet<String> = HashSet::new();
    let mut kills = 0;
    let mut total_printed = 0;
    while kills < 60 {
        let mut child = common::command(&dir)
            .args([
                "bench",
                "enqueue",
                "--count",
                "100000000",
                "--print-references",
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut stdout = child.stdout.take().unwrap();
        // Kill at a random moment: sometimes during start-up and migration, mostly mid-loop.
        std::thread::sleep(Duration::from_millis(rng.random_range(1..120)));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        kills += 1;
        let mut text = String::new();
        stdout.read_to_string(&mut text).unwrap();
        // Only complete lines count: the child may die mid-write.
        let complete = match text.rfind('\n') {
            Some(i) => &text[..=i],
            None => "",
        };
        let store = Store::open(dir.path()).expect("database opens after SIGKILL");
        store
            .integrity_check()
            .expect("integrity_check ok after SIGKILL");
        for line in BufReader::new(complete.as_bytes()).lines() {
            let line = line.unwrap();
            let (reference, n) = line.split_once('\t').unwrap();
            let n: u64 = n.parse().unwrap();
            assert!(
                seen.insert(reference.to_string()),
                "reference {reference} issued twice"
            );
            let stored = store.get(reference).expect("printed reference is stored");
            assert_eq!(
                stored.form.as_ref(),
                Some(&guichet::cli::bench::bench_form(n)),
                "{reference} intact"
            );
            total_printed += 1;
        }
        let rows: i64 = store
            .connection()
            .query_row("SELECT count(*) FROM submissions", [], |r| r.get(0))
            .unwrap();
        assert!(rows as usize >= seen.len());
        let jobs: i64 = store
            .connection()
            .query_row(
                "SELECT count(*) FROM submissions s LEFT JOIN print_jobs p ON p.submission_id = s.id WHERE p.id IS NULL",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(jobs, 0, "every submission has its receipt job");
    }
    assert!(kills >= 50);
    assert!(
        total_printed > 50,
        "the child made progress between kills ({total_printed})"
    );
}
