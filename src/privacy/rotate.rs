//! Key rotation: every payload re-sealed under a new key in one transaction.
//!
//! 1. The new key is written to `<key_file>.next` (0600, fsynced). The old key stays in
//!    `key_file`.
//! 2. One IMMEDIATE transaction opens every payload with the old key, seals it with the new one,
//!    and records the new key id. Until it commits, the database and `key_file` agree on the
//!    old key and `.next` is a harmless leftover (removed on the next open).
//! 3. `.next` is renamed over `key_file`: the old key is gone. A crash between 2 and 3 is
//!    finished by the next open, which finds the database's key in `.next`.
//! 4. The file is vacuumed so old ciphertexts do not linger in free pages or the WAL.
//!
//! Other processes (the kiosk while a technician rotates) notice the new id under their own
//! write lock before sealing, and when opening a payload, and reload the key.

use rusqlite::{TransactionBehavior, params};
use serde::Serialize;

use super::at_rest::{compact, open_payload, seal_payload};
use super::key::{self, DataKey, KEY_ID_STATE};
use crate::queue::{Store, StoreError, now_rfc3339};

/// What a rotation did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rotation {
    /// The retired key's id (hex).
    pub old_key_id: String,
    /// The new key's id (hex).
    pub new_key_id: String,
    /// Payloads re-sealed.
    pub resealed: u64,
    /// Payloads that could not be opened with the old key either (altered or moved rows); left
    /// as they were, and counted so that staff know.
    pub unreadable: u64,
}

/// Rotates the data key of `store` (see the module documentation). Audited with `actor`.
pub fn rotate_key(store: &mut Store, actor: &str) -> Result<Rotation, StoreError> {
    store.reload_key()?;
    let old = store.data_key();
    let new = DataKey::generate();
    let key_file = store.key_file().to_path_buf();
    let next = key::next_key_path(&key_file);
    key::write_key_file(&next, &new, true)?;

    let result = (|| -> Result<(u64, u64), StoreError> {
        let conn = store.connection_mut();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        if key::database_key_id(&tx)? != Some(old.id()) {
            return Err(StoreError::Corrupt {
                what: "data key".into(),
                detail: "another process rotated the key meanwhile; nothing was changed".into(),
            });
        }
        let rows: Vec<(i64, String, Vec<u8>)> = tx
            .prepare("SELECT id, reference, payload FROM submissions WHERE payload IS NOT NULL")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<Result<_, _>>()?;
        let (mut resealed, mut unreadable) = (0, 0);
        {
            let mut update = tx.prepare("UPDATE submissions SET payload = ?2 WHERE id = ?1")?;
            for (id, reference, stored) in &rows {
                match open_payload(&old, reference, stored) {
                    Ok(clear) => {
                        update.execute(params![id, seal_payload(&new, reference, &clear)])?;
                        resealed += 1;
                    }
                    Err(e) => {
                        tracing::warn!("key rotation: {reference} left as it was: {e}");
                        unreadable += 1;
                    }
                }
            }
        }
        tx.execute(
            "UPDATE kiosk_state SET value = ?2 WHERE key = ?1",
            params![KEY_ID_STATE, new.id().to_hex()],
        )?;
        tx.execute(
            "INSERT INTO audit (at, actor, action, reference, detail)
             VALUES (?1, ?2, 'privacy.rotate-key', NULL, ?3)",
            params![
                now_rfc3339(),
                actor,
                format!("key {} -> {}, {resealed} re-sealed", old.id(), new.id())
            ],
        )?;
        tx.commit()?;
        Ok((resealed, unreadable))
    })();
    let (resealed, unreadable) = match result {
        Ok(counts) => counts,
        Err(e) => {
            // Nothing committed: the old key is still the database's; drop the new one.
            let _ = std::fs::remove_file(&next);
            return Err(match e {
                StoreError::Sqlite(e) => store.map_write_error(e),
                other => other,
            });
        }
    };
    // Committed: finishing the rename is what the next open would do if we stopped here.
    store.reload_key()?;
    compact(store)?;
    tracing::info!("data key rotated: {} -> {}", old.id(), new.id());
    Ok(Rotation {
        old_key_id: old.id().to_hex(),
        new_key_id: new.id().to_hex(),
        resealed,
        unreadable,
    })
}
