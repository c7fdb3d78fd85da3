//! The store's side of sealing at rest: which key the database is sealed under (its id in
//! `kiosk_state`), opening a row's payload with reload-on-rotation, sealing what an older version
//! left in clear, and compacting the file so that erased or re-sealed bytes are gone.
//!
//! The cryptography and the key file live in [`crate::privacy`]; every SQL statement about them
//! lives here.

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use zeroize::Zeroizing;

use super::{Store, StoreError};
use crate::privacy::at_rest::{open_payload, seal_payload};
use crate::privacy::seal::{Kind, key_id_of};
use crate::privacy::{DataKey, KeyId};

/// `kiosk_state` key holding the id of the key the payloads are sealed under.
pub const KEY_ID_STATE: &str = "privacy.key_id";

/// SQL condition for a payload that is present but not sealed (`GSP1` is the envelope's magic).
const CLEAR_PAYLOAD: &str =
    "payload IS NOT NULL AND substr(CAST(payload AS BLOB), 1, 4) != x'47535031'";

/// The key id the database's payloads are sealed under, if it has one yet.
pub(crate) fn database_key_id(conn: &Connection) -> Result<Option<KeyId>, StoreError> {
    let stored: Option<String> = conn
        .query_row(
            "SELECT value FROM kiosk_state WHERE key = ?1",
            [KEY_ID_STATE],
            |r| r.get(0),
        )
        .optional()?;
    Ok(stored.as_deref().and_then(KeyId::from_hex))
}

/// The key for the database on `conn` (see [`crate::privacy::key::load_for_id`]).
pub(crate) fn load_key(
    conn: &Connection,
    location: &super::StoreLocation,
) -> Result<DataKey, StoreError> {
    use crate::privacy::KeyError;
    // A rotation in another process may commit and rename between our reads of the database
    // and the files: read both again before calling the key missing.
    let mut tries = 0;
    loop {
        match crate::privacy::key::load_for_id(
            database_key_id(conn)?,
            &location.key_file,
            location.sealed_key_file.as_deref(),
        ) {
            Err(KeyError::Mismatch { .. } | KeyError::Missing { .. }) if tries < 5 => {
                tries += 1;
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
            other => return Ok(other?),
        }
    }
}

/// Why a row's payload could not be opened, as staff read it.
pub(crate) fn unreadable(reference: &str, e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt {
        what: reference.to_string(),
        detail: format!("sealed personal data cannot be opened: {e}"),
    }
}

impl Store {
    /// The key payloads are sealed under (as this store last knew it).
    pub(crate) fn data_key(&self) -> DataKey {
        self.key.borrow().clone()
    }

    /// Adopts the database's current key (after this process or another rotated it).
    pub(crate) fn reload_key(&self) -> Result<(), StoreError> {
        let key = load_key(&self.conn, &self.location)?;
        *self.key.borrow_mut() = key;
        Ok(())
    }

    /// Opens a stored payload of `reference`; a payload sealed under a key this store does not
    /// hold yet (another process rotated it) makes it reload the key once.
    pub(crate) fn open_payload(
        &self,
        reference: &str,
        stored: &[u8],
    ) -> Result<Zeroizing<Vec<u8>>, StoreError> {
        let needs_reload =
            key_id_of(Kind::Payload, stored).is_some_and(|id| id != self.key.borrow().id());
        if needs_reload {
            self.reload_key()?;
        }
        open_payload(&self.key.borrow(), reference, stored).map_err(|e| unreadable(reference, e))
    }

    /// Records the data key's id in a database that has none yet and seals every payload still
    /// in clear (written before sealing existed, or by a downgraded binary), in one transaction;
    /// then vacuums so the clear bytes are gone from the file. Does nothing (and writes nothing)
    /// when there is nothing to do, so opening a store stays cheap.
    pub(crate) fn seal_clear_payloads(&mut self) -> Result<u64, StoreError> {
        let key = self.data_key();
        let has_id = database_key_id(&self.conn)?.is_some();
        let clear: i64 = self.conn.query_row(
            &format!("SELECT count(*) FROM submissions WHERE {CLEAR_PAYLOAD}"),
            [],
            |r| r.get(0),
        )?;
        if has_id && clear == 0 {
            return Ok(0);
        }
        let result = (|| -> Result<u64, StoreError> {
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            tx.execute(
                "INSERT INTO kiosk_state (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO NOTHING",
                params![KEY_ID_STATE, key.id().to_hex()],
            )?;
            // Another process may have recorded another key between our read and our lock.
            if database_key_id(&tx)? != Some(key.id()) {
                return Err(StoreError::Corrupt {
                    what: "data key".into(),
                    detail: "the database was given another key while opening; open it again"
                        .into(),
                });
            }
            let rows: Vec<(i64, String, Vec<u8>)> = tx
                .prepare(&format!(
                    "SELECT id, reference, payload FROM submissions WHERE {CLEAR_PAYLOAD}"
                ))?
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                .collect::<Result<_, _>>()?;
            {
                let mut update = tx.prepare("UPDATE submissions SET payload = ?2 WHERE id = ?1")?;
                for (id, reference, clear) in &rows {
                    let clear = Zeroizing::new(clear.clone());
                    update.execute(params![id, seal_payload(&key, reference, &clear)])?;
                }
            }
            tx.commit()?;
            Ok(rows.len() as u64)
        })();
        let sealed = self.map_store_error(result)?;
        if sealed > 0 {
            tracing::info!("sealed {sealed} payload(s) stored in clear by an earlier version");
            self.compact()?;
        }
        Ok(sealed)
    }

    /// Rewrites the database file without free pages and empties the WAL, so that bytes of
    /// erased or re-sealed payloads no longer exist in either file. `secure_delete` already
    /// zeroes freed cells; this also drops old page images from the WAL.
    pub(crate) fn compact(&self) -> Result<(), StoreError> {
        self.conn
            .execute_batch("VACUUM;")
            .map_err(|e| self.map_write_error(e))?;
        // Best effort: a reader in another process may hold the WAL; it is then reset by a later
        // checkpoint, and its frames only hold sealed or zeroed data anyway.
        let busy: i64 = self
            .conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| r.get(0))?;
        if busy != 0 {
            tracing::debug!("WAL checkpoint deferred: another connection is reading");
        }
        Ok(())
    }
}
