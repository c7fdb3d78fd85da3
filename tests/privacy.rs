//! Privacy and security (issue 6): personal data sealed at rest, key rotation, retention erasure
//! that really leaves the file, sealed exports, no personal data in logs, receipts or
//! screenshots, and a full disk refused cleanly.

mod common;
mod open311_server;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Output;

use common::{OutputText, TestDir, guichet, guichet_env};
use guichet::queue::{State, Store};
use guichet::validate::{Answer, Contact, Location, ValidForm};
use open311_server::{Fault, Open311Server, Route};
use time::{Duration, OffsetDateTime};

/// Distinctive strings a resident types; none may appear anywhere they should not.
const FIRST: &str = "Zebulonia";
const LAST: &str = "Quaxworthy";
const EMAIL: &str = "zq.secret@example.org";
const PHONE: &str = "07700 900 461";
const ADDRESS: &str = "17 Hiddenhollow Row";
const DANGER: &str = "Xylophonic vicarage hazard";
const DESCRIPTION: &str = "Opaline marmalade puddle";
const SECRETS: &[&str] = &[FIRST, LAST, EMAIL, PHONE, ADDRESS, DANGER, DESCRIPTION];

/// `guichet submit` arguments carrying every secret.
fn submit_args() -> Vec<&'static str> {
    vec![
        "submit",
        "--service",
        "PARK",
        "--answer",
        "PARK_NAME=Central Park",
        "--answer",
        "DAMAGE=Xylophonic vicarage hazard",
        "--description",
        DESCRIPTION,
        "--address",
        ADDRESS,
        "--first-name",
        FIRST,
        "--last-name",
        LAST,
        "--email",
        EMAIL,
        "--phone",
        PHONE,
        "--json",
    ]
}

fn submit(dir: &TestDir) -> String {
    let out = guichet(dir, &submit_args());
    assert!(out.status.success(), "{}", out.stderr_text());
    reference_of(&out)
}

fn reference_of(out: &Output) -> String {
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    v["reference"].as_str().unwrap().to_string()
}

fn form() -> ValidForm {
    ValidForm {
        service_code: "POTHOLE".into(),
        locale: "en".into(),
        answers: [
            ("SIZE".to_string(), Answer::One("large".into())),
            (
                "POTHOLE_DANGER_INFO".to_string(),
                Answer::One(DANGER.into()),
            ),
        ]
        .into(),
        description: DESCRIPTION.into(),
        location: Location {
            address: ADDRESS.into(),
            lat: None,
            long: None,
        },
        contact: Contact {
            first_name: FIRST.into(),
            last_name: LAST.into(),
            email: EMAIL.into(),
            phone: PHONE.into(),
        },
    }
}

/// The database file and its WAL, as raw bytes (the WAL may not exist).
fn raw_files(data_dir: &Path) -> Vec<(String, Vec<u8>)> {
    ["guichet.sqlite3", "guichet.sqlite3-wal"]
        .iter()
        .filter_map(|name| {
            std::fs::read(data_dir.join(name))
                .ok()
                .map(|b| (name.to_string(), b))
        })
        .collect()
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

fn assert_no_secret_in(what: &str, bytes: &[u8]) {
    for secret in SECRETS {
        assert!(
            !contains(bytes, secret.as_bytes()),
            "{secret:?} found in clear in {what}"
        );
    }
}

fn assert_no_secret_in_files(data_dir: &Path) {
    let files = raw_files(data_dir);
    assert!(!files.is_empty(), "no database in {}", data_dir.display());
    for (name, bytes) in files {
        assert_no_secret_in(&name, &bytes);
    }
}

fn stored_payload(store: &Store, reference: &str) -> Option<Vec<u8>> {
    store
        .connection()
        .query_row(
            "SELECT payload FROM submissions WHERE reference = ?1",
            [reference],
            |r| r.get(0),
        )
        .unwrap()
}

// ---------------------------------------------------------------------------------------------
// Sealed at rest

#[test]
fn the_raw_database_and_wal_hold_no_personal_data_after_a_submission() {
    // Through the real binary: the file a thief would copy after the kiosk shut down.
    let dir = TestDir::new("raw");
    let reference = submit(&dir);
    assert_no_secret_in_files(dir.path());
    let key = dir.path().join("guichet.key");
    let mode = std::fs::metadata(&key).unwrap().permissions();
    assert_eq!(
        std::os::unix::fs::PermissionsExt::mode(&mode) & 0o777,
        0o600
    );

    // In process, with the connection still open, so the WAL holds the fresh commit.
    let mut store = Store::open(dir.path()).unwrap();
    let second = store.enqueue("LIB2", &form(), None).unwrap();
    let wal = dir.path().join("guichet.sqlite3-wal");
    assert!(
        std::fs::metadata(&wal)
            .map(|m| m.len() > 0)
            .unwrap_or(false),
        "the WAL holds the commit"
    );
    assert_no_secret_in_files(dir.path());
    for r in [reference.as_str(), second.as_str()] {
        let stored = stored_payload(&store, r).unwrap();
        assert!(stored.starts_with(b"GSP1"), "sealed envelope");
        let form = store.get(r).unwrap().form.unwrap();
        assert_eq!(form.contact.email, EMAIL, "and it opens again");
    }

    // A stolen database alone (without the key file) opens to nothing.
    let thief = TestDir::new("thief");
    std::fs::copy(
        dir.path().join("guichet.sqlite3"),
        thief.path().join("guichet.sqlite3"),
    )
    .unwrap();
    let _ = std::fs::copy(wal, thief.path().join("guichet.sqlite3-wal"));
    let err = Store::open(thief.path()).err().expect("no key, no data");
    assert!(err.to_string().contains("is missing"), "{err}");
}

#[test]
fn a_payload_moved_to_another_row_does_not_open() {
    let dir = TestDir::new("swap");
    let mut store = Store::open(dir.path()).unwrap();
    let a = store.enqueue("LIB2", &form(), None).unwrap();
    let b = store.enqueue("LIB2", &ValidForm::default(), None).unwrap();
    let payload_a = stored_payload(&store, a.as_str()).unwrap();
    store
        .connection()
        .execute(
            "UPDATE submissions SET payload = ?1 WHERE reference = ?2",
            rusqlite::params![payload_a, b.as_str()],
        )
        .unwrap();
    let err = store.get(b.as_str()).unwrap_err().to_string();
    assert!(err.contains("cannot be opened"), "{err}");
    assert_eq!(store.get(a.as_str()).unwrap().form.unwrap(), form());

    // Delivery opens what it claims; the moved one is refused, never sent as someone else's.
    let claimed = store
        .claim_due(
            &guichet::queue::ClaimMark::new(),
            "2999-01-01T00:00:00.000Z",
            10,
        )
        .unwrap();
    assert_eq!(claimed.len(), 2);
    for item in &claimed {
        let decoded = Store::decode_payload(&item.reference, &item.payload);
        if item.reference == a.as_str() {
            assert_eq!(decoded.unwrap(), form());
        } else {
            let err = decoded.unwrap_err().to_string();
            assert!(err.contains("cannot be opened"), "{err}");
        }
    }
}

#[test]
fn a_database_from_before_sealing_is_sealed_on_open() {
    let dir = TestDir::new("legacy");
    let (a, b) = {
        let mut store = Store::open(dir.path()).unwrap();
        let a = store.enqueue("LIB2", &form(), None).unwrap();
        let b = store.enqueue("LIB2", &form(), None).unwrap();
        // What an older version left: clear JSON payloads, no key id, no key file.
        let clear = serde_json::to_vec(&form()).unwrap();
        store
            .connection()
            .execute(
                "UPDATE submissions SET payload = ?1",
                rusqlite::params![clear],
            )
            .unwrap();
        store
            .connection()
            .execute("DELETE FROM kiosk_state WHERE key = 'privacy.key_id'", [])
            .unwrap();
        (a, b)
    };
    std::fs::remove_file(dir.path().join("guichet.key")).unwrap();
    let in_clear = raw_files(dir.path())
        .iter()
        .any(|(_, bytes)| contains(bytes, EMAIL.as_bytes()));
    assert!(
        in_clear,
        "the legacy database holds clear text (test set-up)"
    );

    let store = Store::open(dir.path()).unwrap();
    assert!(dir.path().join("guichet.key").exists(), "key created");
    for r in [&a, &b] {
        assert!(
            stored_payload(&store, r.as_str())
                .unwrap()
                .starts_with(b"GSP1")
        );
        assert_eq!(store.get(r.as_str()).unwrap().form.unwrap(), form());
    }
    assert_no_secret_in_files(dir.path());
    store.integrity_check().unwrap();
}

#[test]
fn a_missing_or_wrong_key_file_is_refused_and_changes_nothing() {
    let dir = TestDir::new("wrongkey");
    let reference = {
        let mut store = Store::open(dir.path()).unwrap();
        store.enqueue("LIB2", &form(), None).unwrap()
    };
    let key_file = dir.path().join("guichet.key");
    let original = std::fs::read(&key_file).unwrap();

    std::fs::remove_file(&key_file).unwrap();
    let err = Store::open(dir.path()).err().unwrap().to_string();
    assert!(
        err.contains("is missing") && err.contains("restore"),
        "{err}"
    );
    assert!(!key_file.exists(), "no new key was made up");

    // Another kiosk's key.
    let other = TestDir::new("otherkey");
    drop(Store::open(other.path()).unwrap());
    std::fs::copy(other.path().join("guichet.key"), &key_file).unwrap();
    let err = Store::open(dir.path()).err().unwrap().to_string();
    assert!(err.contains("holds key"), "{err}");

    // Through the CLI: one line, exit 1.
    let out = guichet(&dir, &["queue", "list"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        out.stderr_text().trim().lines().count(),
        1,
        "{}",
        out.stderr_text()
    );

    std::fs::write(&key_file, &original).unwrap();
    let store = Store::open(dir.path()).unwrap();
    assert_eq!(store.get(reference.as_str()).unwrap().form.unwrap(), form());
}

// ---------------------------------------------------------------------------------------------
// Key rotation

#[test]
fn rotation_reseals_everything_and_other_processes_follow() {
    let dir = TestDir::new("rotate");
    let mut kiosk = Store::open(dir.path()).unwrap();
    let mut technician = Store::open(dir.path()).unwrap();
    let before = kiosk.enqueue("LIB2", &form(), None).unwrap();
    let old_sealed = stored_payload(&kiosk, before.as_str()).unwrap();
    let old_key = std::fs::read_to_string(dir.path().join("guichet.key")).unwrap();

    let rotation = technician.rotate_key("test").unwrap();
    assert_eq!(rotation.resealed, 1);
    assert_eq!(rotation.unreadable, 0);
    assert_ne!(rotation.old_key_id, rotation.new_key_id);
    let new_key = std::fs::read_to_string(dir.path().join("guichet.key")).unwrap();
    assert_ne!(old_key, new_key, "the old key is gone from the key file");
    assert!(new_key.contains(&rotation.new_key_id));
    assert!(!dir.path().join("guichet.key.next").exists());

    // The old ciphertext is gone from the files too.
    let new_sealed = stored_payload(&technician, before.as_str()).unwrap();
    assert_ne!(old_sealed, new_sealed);
    for (name, bytes) in raw_files(dir.path()) {
        assert!(
            !contains(&bytes, &old_sealed[12..44]),
            "old ciphertext still in {name}"
        );
    }

    // The kiosk, opened before the rotation, reads and writes under the new key.
    let after = kiosk.enqueue("LIB2", &form(), None).unwrap();
    assert_eq!(kiosk.get(before.as_str()).unwrap().form.unwrap(), form());
    assert_eq!(
        technician.get(after.as_str()).unwrap().form.unwrap(),
        form()
    );
    let sealed_after = stored_payload(&kiosk, after.as_str()).unwrap();
    assert_eq!(
        &sealed_after[4..12],
        &new_sealed[4..12],
        "sealed under the new key id"
    );
    drop((kiosk, technician));
    let audit: i64 = Store::open(dir.path())
        .unwrap()
        .connection()
        .query_row(
            "SELECT count(*) FROM audit WHERE action = 'privacy.rotate-key'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(audit, 1);
}

#[test]
fn a_rotation_interrupted_before_or_after_its_commit_recovers() {
    let dir = TestDir::new("rotate-crash");
    let key_file = dir.path().join("guichet.key");
    let next = dir.path().join("guichet.key.next");
    let reference = {
        let mut store = Store::open(dir.path()).unwrap();
        store.enqueue("LIB2", &form(), None).unwrap()
    };

    // Stopped before the commit: a stray `.next` that sealed nothing is left alone (an open
    // cannot tell it from a rotation about to commit; the next rotation replaces it).
    std::fs::copy(&key_file, dir.path().join("saved.key")).unwrap();
    let stray = TestDir::new("stray");
    drop(Store::open(stray.path()).unwrap());
    std::fs::copy(stray.path().join("guichet.key"), &next).unwrap();
    let store = Store::open(dir.path()).unwrap();
    assert!(next.exists());
    assert_eq!(store.get(reference.as_str()).unwrap().form.unwrap(), form());
    drop(store);

    // Stopped after the commit, before the rename: the new key is still in `.next`, the old
    // one in the key file. Reproduced by undoing the rename of a finished rotation.
    let old = std::fs::read(&key_file).unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    store.rotate_key("test").unwrap();
    drop(store);
    std::fs::rename(&key_file, &next).unwrap();
    std::fs::write(&key_file, &old).unwrap();
    let store = Store::open(dir.path()).unwrap();
    assert!(!next.exists(), "the rename was finished");
    assert_ne!(std::fs::read(&key_file).unwrap(), old);
    assert_eq!(store.get(reference.as_str()).unwrap().form.unwrap(), form());
}

/// Issue 11, defect 1: a rotation in one process while other processes open the store (the
/// kiosk reloading, `doctor`, any CLI command) and a second rotation at once. The new key was
/// written to `.next` before the write lock was held, and any open meanwhile deleted it as a
/// leftover: the rotation then committed a key that no longer existed anywhere.
#[test]
fn defect_1_rotating_while_other_processes_open_the_store_keeps_every_payload_readable() {
    use std::sync::atomic::{AtomicBool, Ordering};
    let dir = TestDir::new("rotate-race");
    let first;
    let last;
    {
        let mut store = Store::open(dir.path()).unwrap();
        // Fast set-up only: the rotations below run with the kiosk's own settings.
        store
            .connection()
            .pragma_update(None, "synchronous", "OFF")
            .unwrap();
        first = store.enqueue("LIB2", &form(), None).unwrap().to_string();
        let mut r = first.clone();
        for _ in 0..3000 {
            r = store.enqueue("LIB2", &form(), None).unwrap().to_string();
        }
        last = r;
    }
    let readable = |reference: &str| {
        let out = guichet(&dir, &["queue", "show", reference, "--json"]);
        assert!(out.status.success(), "{}", out.stderr_text());
        assert!(out.stdout_text().contains(EMAIL));
    };
    let stop = std::sync::Arc::new(AtomicBool::new(false));
    let opener = {
        let stop = stop.clone();
        let path = dir.path().to_path_buf();
        std::thread::spawn(move || {
            let mut opens = 0;
            while !stop.load(Ordering::SeqCst) {
                // Any process opening the store: errors (a locked database) do not matter here.
                let _ = std::process::Command::new(env!("CARGO_BIN_EXE_guichet"))
                    .env_remove("GUICHET_CONFIG")
                    .env("GUICHET_LOG", "error")
                    .args([
                        "--data-dir",
                        path.to_str().unwrap(),
                        "queue",
                        "list",
                        "--state",
                        "rejected",
                    ])
                    .output();
                opens += 1;
            }
            opens
        })
    };
    for _ in 0..3 {
        let out = guichet(&dir, &["privacy", "rotate-key", "--json"]);
        assert!(out.status.success(), "{}", out.stderr_text());
    }
    // Two rotations at once: both succeed one after the other, or one says why it did not.
    let spawn = || {
        common::command(&dir)
            .args(["privacy", "rotate-key", "--json"])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (a, b) = (spawn(), spawn());
    let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
    assert!(a.status.success() || b.status.success());
    stop.store(true, Ordering::SeqCst);
    let opens = opener.join().unwrap();
    assert!(opens > 0);
    readable(&first);
    readable(&last);
    let file = dir.path().join("export.bin");
    let out = guichet(&dir, &["queue", "export", "--out", file.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "every payload opens: {}",
        out.stderr_text()
    );
}

/// Issue 11, defect 6: a server that echoes personal data in its refusal. The text is sealed
/// like the payload: not in the database file in clear, not in `queue list`, not in the attempt
/// log; `queue show` opens it for staff.
#[test]
fn defect_6_a_servers_words_about_a_submission_are_sealed() {
    let server = Open311Server::start();
    let dir = TestDir::new("server-text");
    let api_key = dir.path().join("api-key");
    std::fs::write(&api_key, "test-api-key\n").unwrap();
    let config = dir.path().join("kiosk.toml");
    std::fs::write(
        &config,
        format!(
            "[device]\ncode = \"LIB2\"\n[central]\nkind = \"open311\"\nurl = {url:?}\napi_key_file = {key:?}\nallow_insecure_http = true\n[printer]\nport = \"none\"\n",
            url = server.url(),
            key = api_key.display().to_string(),
        ),
    )
    .unwrap();
    let config = config.to_str().unwrap();
    let run = |args: &[&str]| {
        let mut all = vec!["--config", config];
        all.extend_from_slice(args);
        guichet(&dir, &all)
    };
    assert!(run(&["catalog", "refresh"]).status.success());
    let mut args = vec!["--config", config];
    args.extend(submit_args());
    let out = guichet(&dir, &args);
    assert!(out.status.success(), "{}", out.stderr_text());
    let reference = reference_of(&out);
    server.inject(
        Route::PostRequest,
        Fault::Refuse("email zq.secret@example.org is not valid for Zebulonia"),
        1,
    );
    let out = run(&["sync", "--once"]);
    assert!(out.status.success(), "{}", out.stderr_text());
    let list = run(&["queue", "list", "--json"]);
    assert!(list.stdout_text().contains("rejected"));
    assert_no_secret_in("queue list", &list.stdout);
    let shown = run(&["queue", "show", &reference]);
    assert!(shown.stdout_text().contains("not valid for Zebulonia"));
    for line in shown
        .stdout_text()
        .lines()
        .filter(|l| l.starts_with("attempt"))
    {
        assert_no_secret_in("the attempt log", line.as_bytes());
    }
    assert_no_secret_in_files(dir.path());
}

/// Issue 11, defect 6, upgrades: refusal reasons an earlier version kept in clear (`last_error`,
/// the attempt log) are sealed on the first open.
#[test]
fn defect_6_clear_refusal_reasons_from_an_earlier_version_are_sealed_on_open() {
    let dir = TestDir::new("legacy-refusal");
    let reference = {
        let mut store = Store::open(dir.path()).unwrap();
        let r = store.enqueue("LIB2", &form(), None).unwrap().to_string();
        let conn = store.connection();
        conn.execute(
            "UPDATE submissions SET state = 'rejected', last_error = 'email is not valid for Zebulonia'
             WHERE reference = ?1",
            [&r],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO attempts (submission_id, at, outcome, detail)
             SELECT id, '2026-01-01T00:00:00Z', 'rejected', 'email is not valid for Zebulonia'
             FROM submissions WHERE reference = ?1",
            [&r],
        )
        .unwrap();
        r
    };
    let store = Store::open(dir.path()).unwrap();
    let s = store.get(&reference).unwrap();
    assert!(!s.last_error.unwrap().contains(FIRST));
    assert!(s.attempt_log.iter().all(|a| !a.detail.contains(FIRST)));
    assert_eq!(
        store.server_text(&reference).unwrap().as_deref(),
        Some("email is not valid for Zebulonia")
    );
    drop(store);
    assert_no_secret_in_files(dir.path());
}

/// Issue 11, defect 10: one payload that cannot be opened no longer makes the whole export
/// fail: the others are exported, the unreadable one is named.
#[test]
fn defect_10_an_export_skips_and_names_a_row_it_cannot_open() {
    let dir = TestDir::new("export-skip");
    let good = submit(&dir);
    let bad = submit(&dir);
    {
        let store = Store::open(dir.path()).unwrap();
        // A payload moved from another row fails authentication.
        let moved = stored_payload(&store, &good).unwrap();
        store
            .connection()
            .execute(
                "UPDATE submissions SET payload = ?1 WHERE reference = ?2",
                rusqlite::params![moved, bad],
            )
            .unwrap();
    }
    let file = dir.path().join("export.bin");
    let out = guichet(&dir, &["queue", "export", "--out", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stderr_text().contains(&bad), "{}", out.stderr_text());
    let out = guichet(&dir, &["privacy", "open-export", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", out.stderr_text());
    assert!(out.stdout_text().contains(&good));
    assert!(!out.stdout_text().contains(&bad));
}

// ---------------------------------------------------------------------------------------------
// Retention

fn accept(store: &Store, reference: &str) {
    store
        .connection()
        .execute(
            "UPDATE submissions SET state = 'accepted', remote_id = '42' WHERE reference = ?1",
            [reference],
        )
        .unwrap();
}

#[test]
fn personal_data_is_erased_after_retention_and_gone_from_the_file() {
    let dir = TestDir::new("retention");
    let mut store = Store::open(dir.path()).unwrap();
    let accepted = store.enqueue("LIB2", &form(), None).unwrap();
    let pending = store.enqueue("LIB2", &form(), None).unwrap();
    accept(&store, accepted.as_str());
    let sealed = stored_payload(&store, accepted.as_str()).unwrap();
    let accepted_at: String = store
        .connection()
        .query_row(
            "SELECT accepted_at FROM submissions WHERE reference = ?1",
            [accepted.as_str()],
            |r| r.get(0),
        )
        .unwrap();
    assert!(accepted_at.ends_with('Z'), "{accepted_at}");

    let now = OffsetDateTime::now_utc();
    let early = store.erase_expired(7, now + Duration::days(6)).unwrap();
    assert_eq!(early.erased, 0, "kept for 7 days after acceptance");
    assert!(stored_payload(&store, accepted.as_str()).is_some());

    let late = store
        .erase_expired(7, now + Duration::days(7) + Duration::minutes(1))
        .unwrap();
    assert_eq!(late.erased, 1);
    let s = store.get(accepted.as_str()).unwrap();
    assert_eq!(s.form, None);
    assert!(s.erased_at.is_some());
    assert_eq!(
        (s.state, s.service_code.as_str(), s.remote_id.as_deref()),
        (State::Accepted, "POTHOLE", Some("42")),
        "what staff need for lookup stays"
    );
    assert_eq!(s.created_at.len(), 20);
    let p = store.get(pending.as_str()).unwrap();
    assert_eq!(p.form.unwrap(), form(), "not accepted yet: kept");

    // The erased ciphertext is gone from the database file and the WAL, not just unlinked.
    for (name, bytes) in raw_files(dir.path()) {
        for window in [&sealed[12..44], &sealed[sealed.len() - 32..]] {
            assert!(!contains(&bytes, window), "erased bytes remain in {name}");
        }
    }
    assert_no_secret_in_files(dir.path());
    store.integrity_check().unwrap();

    let again = store.erase_expired(7, now + Duration::days(30)).unwrap();
    assert_eq!(again.erased, 0, "erasing is done once");
}

#[test]
fn a_plaintext_marker_written_by_an_old_version_is_gone_after_erasure() {
    // Worst case: a clear payload (pre-sealing) that is erased; neither file may keep it.
    let dir = TestDir::new("marker");
    let mut store = Store::open(dir.path()).unwrap();
    let r = store.enqueue("LIB2", &form(), None).unwrap();
    accept(&store, r.as_str());
    store
        .connection()
        .execute(
            "UPDATE submissions SET payload = CAST('{\"marker\":\"MARKER-7f3a9c\"}' AS BLOB)",
            [],
        )
        .unwrap();
    let erasure = store
        .erase_expired(0, OffsetDateTime::now_utc() + Duration::seconds(5))
        .unwrap();
    assert_eq!(erasure.erased, 1);
    for (name, bytes) in raw_files(dir.path()) {
        assert!(!contains(&bytes, b"MARKER-7f3a9c"), "marker in {name}");
    }
}

// ---------------------------------------------------------------------------------------------
// Exports

#[test]
fn queue_export_is_sealed_and_opens_with_the_kiosk_key_until_rotation() {
    let dir = TestDir::new("export");
    let reference = submit(&dir);
    let file = dir.path().join("export.bin");
    let out = guichet(&dir, &["queue", "export", "--out", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", out.stderr_text());
    let sealed = std::fs::read(&file).unwrap();
    assert!(sealed.starts_with(b"GSX1"));
    assert_no_secret_in("the export file", &sealed);
    assert!(!contains(&sealed, reference.as_bytes()));

    let out = guichet(&dir, &["privacy", "open-export", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", out.stderr_text());
    let text = out.stdout_text();
    let line: serde_json::Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    assert_eq!(line["reference"], reference.as_str());
    assert_eq!(line["form"]["contact"]["email"], EMAIL);

    let opened = dir.path().join("opened.jsonl");
    let out = guichet(
        &dir,
        &[
            "privacy",
            "open-export",
            file.to_str().unwrap(),
            "--out",
            opened.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", out.stderr_text());
    assert_eq!(std::fs::read_to_string(&opened).unwrap(), text);

    // A tampered export is refused.
    let mut bad = sealed.clone();
    let last = bad.len() - 1;
    bad[last] ^= 1;
    let bad_file = dir.path().join("bad.bin");
    std::fs::write(&bad_file, &bad).unwrap();
    let out = guichet(
        &dir,
        &["privacy", "open-export", bad_file.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(1));

    let out = guichet(&dir, &["privacy", "rotate-key", "--json"]);
    assert!(out.status.success(), "{}", out.stderr_text());
    let rotation: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rotation["resealed"], 1);
    let out = guichet(&dir, &["privacy", "open-export", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = out.stderr_text();
    assert!(err.contains("rotated"), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    let out = guichet(&dir, &["queue", "show", &reference, "--json"]);
    assert!(
        out.stdout_text().contains(EMAIL),
        "still readable after rotation"
    );
}

#[test]
fn open_export_out_never_follows_a_link_and_is_owner_only_even_over_an_existing_file() {
    // Issue 11, defect 8.
    let dir = TestDir::new("export-out");
    submit(&dir);
    let file = dir.path().join("export.bin");
    let out = guichet(&dir, &["queue", "export", "--out", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", out.stderr_text());
    let open_to = |target: &Path| {
        guichet(
            &dir,
            &[
                "privacy",
                "open-export",
                file.to_str().unwrap(),
                "--out",
                target.to_str().unwrap(),
            ],
        )
    };

    // An existing world-readable file becomes owner-only before the clear data is written.
    let existing = dir.path().join("existing.jsonl");
    std::fs::write(&existing, "old").unwrap();
    std::fs::set_permissions(&existing, std::fs::Permissions::from_mode(0o644)).unwrap();
    let out = open_to(&existing);
    assert!(out.status.success(), "{}", out.stderr_text());
    let mode = std::fs::metadata(&existing).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    assert!(std::fs::read_to_string(&existing).unwrap().contains(EMAIL));

    // A link planted where the file should go is refused, and its target left alone.
    let target = dir.path().join("public.txt");
    std::fs::write(&target, "").unwrap();
    std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o644)).unwrap();
    let link = dir.path().join("link.jsonl");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let out = open_to(&link);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        out.stderr_text().contains("symbolic link"),
        "{}",
        out.stderr_text()
    );
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "");
}

// ---------------------------------------------------------------------------------------------
// Logs, receipts, screenshots

#[test]
fn a_full_run_logs_no_personal_data_and_receipts_hold_none() {
    let server = Open311Server::start();
    let dir = TestDir::new("logs");
    let api_key = dir.path().join("api-key");
    std::fs::write(&api_key, "test-api-key\n").unwrap();
    let config = dir.path().join("kiosk.toml");
    std::fs::write(
        &config,
        format!(
            "[device]\ncode = \"LIB2\"\n[central]\nkind = \"open311\"\nurl = {url:?}\napi_key_file = {key:?}\nallow_insecure_http = true\n[printer]\nport = \"none\"\n[privacy]\nretention_days = 0\n",
            url = server.url(),
            key = api_key.display().to_string(),
        ),
    )
    .unwrap();
    let config = config.to_str().unwrap();
    let debug = [("GUICHET_LOG", "debug")];
    let logs = std::cell::RefCell::new(String::new());
    let run = |args: &[&str]| -> Output {
        let mut full = vec!["--config", config];
        full.extend_from_slice(args);
        let out = guichet_env(&dir, &full, &debug);
        logs.borrow_mut().push_str(&out.stderr_text());
        out
    };
    let out = run(&["catalog", "refresh"]);
    assert!(out.status.success(), "{}", out.stderr_text());
    let out = run(&submit_args());
    assert!(out.status.success(), "{}", out.stderr_text());
    let reference = reference_of(&out);
    let bin = dir.path().join("receipt.bin");
    let png = dir.path().join("receipt.png");
    for path in [&bin, &png] {
        let out = run(&[
            "printer",
            "render",
            &reference,
            "--out",
            path.to_str().unwrap(),
        ]);
        assert!(out.status.success(), "{}", out.stderr_text());
    }
    run(&["queue", "list", "--json"]);
    run(&["doctor", "--json"]);
    // A refused submission's error names the field, not what was typed.
    let mut refused = submit_args();
    let bad_email = format!("{FIRST} at {LAST}");
    let at = refused.iter().position(|a| *a == EMAIL).unwrap();
    refused[at] = &bad_email;
    let out = run(&refused);
    assert_eq!(out.status.code(), Some(1), "{}", out.stderr_text());
    assert!(out.stderr_text().contains("email"), "{}", out.stderr_text());
    let out = run(&["sync", "--once", "--json"]);
    assert!(out.status.success(), "{}", out.stderr_text());

    // Accepted with retention_days = 0: the sync's retention pass erased it already.
    let out = run(&["queue", "show", &reference, "--json"]);
    let shown: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(shown["state"], "accepted");
    assert!(shown["form"].is_null(), "{shown}");
    assert!(shown["erased_at"].is_string(), "{shown}");
    assert_no_secret_in_files(dir.path());

    // The data really went through this run (so the greps below mean something)...
    let stderr = logs.into_inner();
    let delivered = &server.with_reference(&reference)[0];
    assert_eq!(delivered.one("email"), Some(EMAIL));
    assert!(stderr.contains("DEBUG"), "debug logs were captured");
    // ...and it is in no log line, and not on the receipt.
    for secret in SECRETS {
        assert!(
            !stderr.contains(secret),
            "{secret:?} in the logs:\n{stderr}"
        );
    }
    let receipt = std::fs::read(&bin).unwrap();
    assert!(
        contains(&receipt, reference.as_bytes()),
        "the receipt has the reference"
    );
    assert_no_secret_in("the receipt's ESC/POS bytes", &receipt);
    assert!(std::fs::metadata(&png).unwrap().len() > 0);
}

#[test]
fn screenshots_never_read_the_database() {
    let empty = TestDir::new("shot-empty");
    let busy = TestDir::new("shot-busy");
    submit(&busy);
    let mut pngs = Vec::new();
    for dir in [&empty, &busy] {
        let out_file = dir.path().join("check.png");
        let out = guichet(
            dir,
            &[
                "screenshot",
                "--screen",
                "check",
                "--locale",
                "en",
                "--width",
                "800",
                "--height",
                "600",
                "--out",
                out_file.to_str().unwrap(),
            ],
        );
        assert!(out.status.success(), "{}", out.stderr_text());
        pngs.push(std::fs::read(&out_file).unwrap());
    }
    assert_eq!(
        pngs[0], pngs[1],
        "a screenshot is the same whatever the queue holds"
    );
    assert!(
        !empty.path().join("guichet.sqlite3").exists(),
        "and it did not even create a database"
    );
}

// ---------------------------------------------------------------------------------------------
// Disk full

/// A 1 MiB tmpfs mounted for the test's lifetime (needs root, as in the CI container).
struct SmallFs {
    mount: std::path::PathBuf,
}

impl SmallFs {
    fn mount(at: &Path) -> Option<SmallFs> {
        std::fs::create_dir_all(at).ok()?;
        let ok = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", "size=1m,mode=0700", "tmpfs"])
            .arg(at)
            .output()
            .map(|o| o.status.success())
            .unwrap_or(false);
        ok.then(|| SmallFs {
            mount: at.to_path_buf(),
        })
    }
}

impl Drop for SmallFs {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount")
            .arg(&self.mount)
            .output();
    }
}

/// Fills the filesystem holding `dir` with a file, to the last byte.
fn fill(dir: &Path) {
    use std::io::Write;
    let mut f = std::fs::File::create(dir.join("filler")).unwrap();
    let block = vec![0xAAu8; 4096];
    while f.write_all(&block).is_ok() {}
    let byte = [0u8; 1];
    while f.write_all(&byte).is_ok() {}
    let _ = f.sync_all();
}

#[test]
fn a_full_disk_refuses_a_submission_and_keeps_the_database_intact() {
    let dir = TestDir::new("diskfull");
    let Some(fs) = SmallFs::mount(&dir.path().join("small")) else {
        eprintln!("SKIPPED: cannot mount a tmpfs here (not root?); see SECURITY.md");
        return;
    };
    let data = fs.mount.join("data");
    let run = |args: &[&str]| {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_guichet"));
        cmd.env_remove("GUICHET_CONFIG")
            .env("HOME", dir.path())
            .env("XDG_DATA_HOME", dir.path().join("xdg"))
            .env("GUICHET_LOG", "warn")
            .arg("--data-dir")
            .arg(&data)
            .args(args);
        cmd.output().unwrap()
    };
    let mut earlier = Vec::new();
    for _ in 0..2 {
        let out = run(&submit_args());
        assert!(out.status.success(), "{}", out.stderr_text());
        earlier.push(reference_of(&out));
    }
    fill(&fs.mount);

    let out = run(&submit_args());
    assert_eq!(out.status.code(), Some(1), "{}", out.stderr_text());
    let err = out.stderr_text();
    assert_eq!(err.trim().lines().count(), 1, "one line: {err}");
    assert!(err.contains("disk is full"), "{err}");
    assert!(out.stdout.is_empty(), "no reference printed");

    std::fs::remove_file(fs.mount.join("filler")).unwrap();
    let store = Store::open(&data).unwrap();
    store.integrity_check().unwrap();
    let all = store.list(None).unwrap();
    assert_eq!(all.len(), 2, "no partial row");
    for r in &earlier {
        assert_eq!(
            store.get(r).unwrap().form.unwrap().contact.email,
            EMAIL,
            "earlier submissions intact"
        );
    }
    let jobs: i64 = store
        .connection()
        .query_row("SELECT count(*) FROM print_jobs", [], |r| r.get(0))
        .unwrap();
    assert_eq!(jobs, 2);
    drop(store);
    let out = run(&submit_args());
    assert!(
        out.status.success(),
        "works again once space is freed: {}",
        out.stderr_text()
    );
}

// ---------------------------------------------------------------------------------------------
// The data key as a systemd credential (LoadCredentialEncrypted=, sealed to the TPM)

#[test]
fn the_data_key_is_read_from_the_credentials_directory_and_never_written_beside_the_data() {
    let dir = TestDir::new("credential");
    // The kiosk ran with a plain key file first (how a kiosk is provisioned), then the technician
    // sealed it: only the credential remains, which systemd decrypts into a private directory.
    let reference = submit(&dir);
    let plain = dir.path().join("guichet.key");
    let credentials = TestDir::new("credentials-dir");
    let credential = credentials.path().join(guichet::privacy::CREDENTIAL_NAME);
    std::fs::copy(&plain, &credential).unwrap();
    std::fs::set_permissions(&credential, std::fs::Permissions::from_mode(0o400)).unwrap();
    std::fs::remove_file(&plain).unwrap();
    let creds = credentials.path().to_str().unwrap();
    let with_credential =
        |args: &[&str]| guichet_env(&dir, args, &[("CREDENTIALS_DIRECTORY", creds)]);

    // The sealed submission opens, a new one is sealed under the same key.
    let shown = with_credential(&["queue", "show", &reference, "--json"]);
    assert!(shown.status.success(), "{}", shown.stderr_text());
    assert!(shown.stdout_text().contains(DESCRIPTION));
    let out = with_credential(&submit_args());
    assert!(out.status.success(), "{}", out.stderr_text());
    let second = reference_of(&out);
    assert!(
        !plain.exists(),
        "no plain key file is made up beside the data while the credential is there"
    );

    // Without the credential (a shell outside the unit), the store refuses and changes nothing.
    let out = guichet(&dir, &["queue", "show", &second, "--json"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        out.stderr_text().contains("is missing"),
        "{}",
        out.stderr_text()
    );
    assert!(!plain.exists());

    // Rotation cannot rewrite a credential: refused in one line, the key unchanged.
    let before = std::fs::read(&credential).unwrap();
    let out = with_credential(&["privacy", "rotate-key"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        out.stderr_text().contains("systemd credential"),
        "{}",
        out.stderr_text()
    );
    assert_eq!(std::fs::read(&credential).unwrap(), before);

    // A CREDENTIALS_DIRECTORY without the data key (another unit's credentials) changes nothing:
    // the plain key file is used, as before.
    std::fs::copy(&credential, &plain).unwrap();
    std::fs::set_permissions(&plain, std::fs::Permissions::from_mode(0o600)).unwrap();
    let elsewhere = TestDir::new("other-credentials");
    let out = guichet_env(
        &dir,
        &["queue", "show", &second, "--json"],
        &[("CREDENTIALS_DIRECTORY", elsewhere.path().to_str().unwrap())],
    );
    assert!(out.status.success(), "{}", out.stderr_text());
}

// A `--sealed-key` kiosk image: the unit's drop-in hands over the sealed key, or, where there is
// none (the machine's TPM could not seal it), `SetCredential=guichet-data-key:not-sealed`.
#[test]
fn no_plain_key_is_made_where_the_key_is_sealed_and_without_a_sealed_key_the_plain_file_is_the_fallback()
 {
    let dir = TestDir::new("sealed-guard");
    let credstore = TestDir::new("credstore");
    let sealed = credstore.path().join("guichet-data-key.cred");
    let config = dir.path().join("kiosk.toml");
    std::fs::write(
        &config,
        format!(
            "[device]\ncode = \"LIB2\"\n[central]\nkind = \"none\"\n[printer]\nport = \"none\"\n[privacy]\nsealed_key_file = {:?}\n",
            sealed.display().to_string()
        ),
    )
    .unwrap();
    let config = config.to_str().unwrap();
    let catalog = concat!(env!("CARGO_MANIFEST_DIR"), "/src/demo/catalog/en.json");
    let import = ["--config", config, "catalog", "import", catalog];
    let plain = dir.path().join("guichet.key");
    // What systemd's fallback puts in the credentials directory when there is no sealed key.
    let fallback = TestDir::new("fallback-credentials");
    let stand_in = fallback.path().join(guichet::privacy::CREDENTIAL_NAME);
    std::fs::write(&stand_in, "not-sealed").unwrap();
    std::fs::set_permissions(&stand_in, std::fs::Permissions::from_mode(0o400)).unwrap();
    let with_fallback = [("CREDENTIALS_DIRECTORY", fallback.path().to_str().unwrap())];

    // The key is sealed (systemd-creds' file, here any bytes: only its existence counts). A
    // command run outside the kiosk's unit has no credential: refused in one line, nothing made.
    std::fs::write(&sealed, b"Whxf\x00sealed").unwrap();
    std::fs::set_permissions(&sealed, std::fs::Permissions::from_mode(0o600)).unwrap();
    for env in [&[][..], &with_fallback[..]] {
        let out = guichet_env(&dir, &import, env);
        assert_eq!(out.status.code(), Some(1), "{}", out.stderr_text());
        let said = out.stderr_text();
        assert_eq!(said.trim_end().lines().count(), 1, "one line: {said}");
        assert!(
            said.contains("sealed to this machine's TPM")
                && said.contains(&sealed.display().to_string())
                && said.contains("no plain key was made"),
            "{said}"
        );
        assert!(!plain.exists(), "no plain key beside the data");
    }

    // No sealed key (the TPM could not seal): the stand-in is no credential, and the plain 0600
    // key file is made and used, as on a machine without a TPM.
    std::fs::remove_file(&sealed).unwrap();
    let out = guichet_env(&dir, &import, &with_fallback);
    assert!(out.status.success(), "{}", out.stderr_text());
    let mode = std::fs::metadata(&plain).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    let out = guichet_env(
        &dir,
        &["--config", config, "catalog", "show", "--json"],
        &with_fallback,
    );
    assert!(out.status.success(), "{}", out.stderr_text());
    assert_eq!(std::fs::read_to_string(&stand_in).unwrap(), "not-sealed");

    // The key made then stays the key even once a sealed file appears (seal-data-key erases
    // the plain file itself when it seals it).
    let before = std::fs::read(&plain).unwrap();
    std::fs::write(&sealed, b"sealed later").unwrap();
    let out = guichet_env(
        &dir,
        &["--config", config, "catalog", "show", "--json"],
        &[],
    );
    assert!(out.status.success(), "{}", out.stderr_text());
    assert_eq!(std::fs::read(&plain).unwrap(), before);

    // A database already sealed, its plain key gone, the key sealed: the refusal names the
    // sealed key, not a missing file to restore.
    std::fs::remove_file(&plain).unwrap();
    let out = guichet_env(
        &dir,
        &["--config", config, "catalog", "show", "--json"],
        &[],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        out.stderr_text().contains("sealed to this machine's TPM"),
        "{}",
        out.stderr_text()
    );
    assert!(!plain.exists());
}
