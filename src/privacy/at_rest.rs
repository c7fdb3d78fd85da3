//! Payloads at rest: sealing on write, opening on read, and sealing what an older version left
//! in clear.

use rusqlite::{TransactionBehavior, params};
use zeroize::Zeroizing;

use super::key::{self, DataKey, KEY_ID_STATE};
use super::seal::{self, Kind};
use crate::queue::{Store, StoreError};

/// Seals a submission's payload (clear JSON), bound to its reference.
pub fn seal_payload(key: &DataKey, reference: &str, clear: &[u8]) -> Vec<u8> {
    seal::seal(key, Kind::Payload, reference.as_bytes(), clear)
}

/// Opens a payload sealed by [`seal_payload`] for `reference`.
pub fn open_payload(
    key: &DataKey,
    reference: &str,
    stored: &[u8],
) -> Result<Zeroizing<Vec<u8>>, StoreError> {
    seal::open(key, Kind::Payload, reference.as_bytes(), stored).map_err(|e| StoreError::Corrupt {
        what: reference.to_string(),
        detail: format!("sealed personal data cannot be opened: {e}"),
    })
}

/// SQL condition for a payload that is present but not sealed (`GSP1` is the envelope's magic).
const CLEAR_PAYLOAD: &str =
    "payload IS NOT NULL AND substr(CAST(payload AS BLOB), 1, 4) != x'47535031'";

/// Records the data key's id in a database that has none yet and seals every payload still in
/// clear (written before sealing existed, or by a downgraded binary), in one transaction; then
/// vacuums so the clear bytes are gone from the file. Does nothing (and writes nothing) when
/// there is nothing to do, so opening a store stays cheap.
pub fn seal_clear_payloads(store: &mut Store) -> Result<u64, StoreError> {
    let key = store.data_key();
    let has_id = key::database_key_id(store.connection())?.is_some();
    let clear: i64 = store.connection().query_row(
        &format!("SELECT count(*) FROM submissions WHERE {CLEAR_PAYLOAD}"),
        [],
        |r| r.get(0),
    )?;
    if has_id && clear == 0 {
        return Ok(0);
    }
    let result = (|| -> Result<u64, StoreError> {
        let conn = store.connection_mut();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute(
            "INSERT INTO kiosk_state (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO NOTHING",
            params![KEY_ID_STATE, key.id().to_hex()],
        )?;
        // Another process may have recorded another key between our read and our lock.
        if key::database_key_id(&tx)? != Some(key.id()) {
            return Err(StoreError::Corrupt {
                what: "data key".into(),
                detail: "the database was given another key while opening; open it again".into(),
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
    let sealed = result.map_err(|e| match e {
        StoreError::Sqlite(e) => store.map_write_error(e),
        other => other,
    })?;
    if sealed > 0 {
        tracing::info!("sealed {sealed} payload(s) stored in clear by an earlier version");
        compact(store)?;
    }
    Ok(sealed)
}

/// Rewrites the database file without free pages and empties the WAL, so that bytes of erased or
/// re-sealed payloads no longer exist in either file. `secure_delete` already zeroes freed
/// cells; this also drops old page images from the WAL.
pub fn compact(store: &Store) -> Result<(), StoreError> {
    let conn = store.connection();
    conn.execute_batch("VACUUM;")
        .map_err(|e| store.map_write_error(e))?;
    // Best effort: a reader in another process may hold the WAL; it is then reset by a later
    // checkpoint, and its frames only hold sealed or zeroed data anyway.
    let busy: i64 = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| r.get(0))?;
    if busy != 0 {
        tracing::debug!("WAL checkpoint deferred: another connection is reading");
    }
    Ok(())
}
