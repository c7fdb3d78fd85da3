//! A/B updates and the database (kiosk-image/README.md, "The database across updates"): after a
//! rollback, the old binary runs on the database a newer version migrated. It opens it, without
//! migrating, when the newer version declared it readable by this one; otherwise it refuses in one
//! line and changes nothing.

use crate::common::{OutputText, TestDir, guichet};
use guichet::queue::schema::{READABLE_FROM, READABLE_FROM_KEY, known_version};

fn submit(dir: &TestDir) -> String {
    let out = guichet(
        dir,
        &[
            "submit",
            "--service",
            "PARK",
            "--answer",
            "PARK_NAME=Central Park",
            "--answer",
            "DAMAGE=Broken bench",
            "--address",
            "1 Main Street",
            "--json",
        ],
    );
    assert!(out.status.success(), "{}", out.stderr_text());
    serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()["reference"]
        .as_str()
        .unwrap()
        .to_string()
}

fn database(dir: &TestDir) -> rusqlite::Connection {
    rusqlite::Connection::open(dir.path().join("guichet.sqlite3")).unwrap()
}

fn user_version(dir: &TestDir) -> usize {
    database(dir)
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap()
}

/// What the next release's migration does: adds a column, and says which versions can read it.
fn newer_release_migrates(dir: &TestDir, readable_from: usize) {
    database(dir)
        .execute_batch(&format!(
            "ALTER TABLE submissions ADD COLUMN next_release_field TEXT DEFAULT 'x';
             PRAGMA user_version = {};
             UPDATE kiosk_state SET value = '{readable_from}' WHERE key = '{READABLE_FROM_KEY}';",
            known_version() + 1
        ))
        .unwrap();
}

#[test]
fn after_a_rollback_the_old_binary_uses_the_database_a_newer_version_migrated() {
    let dir = TestDir::new("rollback-db");
    let before = submit(&dir);
    assert_eq!(user_version(&dir), known_version());
    newer_release_migrates(&dir, READABLE_FROM);

    // The old binary (this one) lists, shows and queues as before, and migrates nothing back.
    let list = guichet(&dir, &["queue", "list", "--json"]);
    assert!(list.status.success(), "{}", list.stderr_text());
    assert!(list.stdout_text().contains(&before));
    let after = submit(&dir);
    let show = guichet(&dir, &["queue", "show", &after, "--json"]);
    assert!(show.status.success(), "{}", show.stderr_text());
    assert_eq!(user_version(&dir), known_version() + 1);
    let kept: String = database(&dir)
        .query_row(
            "SELECT next_release_field FROM submissions WHERE reference = ?1",
            [&after],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        kept, "x",
        "the newer version's column is left as it defined it"
    );
}

#[test]
fn a_database_the_old_binary_cannot_read_is_refused_in_one_line_and_left_as_it_is() {
    let dir = TestDir::new("rollback-db-refused");
    submit(&dir);
    newer_release_migrates(&dir, known_version() + 1);
    let bytes_before = std::fs::read(dir.path().join("guichet.sqlite3")).unwrap();
    let out = guichet(&dir, &["queue", "list"]);
    assert_eq!(out.status.code(), Some(1));
    let err = out.stderr_text();
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(
        err.contains("newer Guichet") && err.contains("nothing was changed"),
        "{err}"
    );
    assert_eq!(user_version(&dir), known_version() + 1);
    assert_eq!(
        std::fs::read(dir.path().join("guichet.sqlite3")).unwrap(),
        bytes_before
    );
}
