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

use super::audit::audit_in;
use super::sealing::{KEY_ID_STATE, database_key_id};
use super::{Store, StoreError};
use crate::privacy::DataKey;
use crate::privacy::at_rest::{open_payload, seal_payload};
use crate::privacy::key;

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

impl Store {
    /// Rotates the data key of this store (see the module documentation). Audited with `actor`.
    pub fn rotate_key(&mut self, actor: &str) -> Result<Rotation, StoreError> {
        self.reload_key()?;
        let old = self.data_key();
        let new = DataKey::generate();
        let key_file = self.key_file().to_path_buf();
        let next = key::next_key_path(&key_file);
        key::write_key_file(&next, &new, true)?;

        let result = (|| -> Result<(u64, u64), StoreError> {
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            if database_key_id(&tx)? != Some(old.id()) {
                return Err(StoreError::Corrupt {
                    what: "data key".into(),
                    detail: "another process rotated the key meanwhile; nothing was changed".into(),
                });
            }
            let rows: Vec<(i64, String, Vec<u8>)> = tx
                .prepare(
                    "SELECT id, reference, payload FROM submissions WHERE payload IS NOT NULL",
                )?
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
            audit_in(
                &tx,
                actor,
                "privacy.rotate-key",
                None,
                &format!("key {} -> {}, {resealed} re-sealed", old.id(), new.id()),
            )?;
            tx.commit()?;
            Ok((resealed, unreadable))
        })();
        let (resealed, unreadable) = match result {
            Ok(counts) => counts,
            Err(e) => {
                // Nothing committed: the old key is still the database's; drop the new one.
                let _ = std::fs::remove_file(&next);
                return self.map_store_error(Err(e));
            }
        };
        // Committed: finishing the rename is what the next open would do if we stopped here.
        self.reload_key()?;
        self.compact()?;
        tracing::info!("data key rotated: {} -> {}", old.id(), new.id());
        Ok(Rotation {
            old_key_id: old.id().to_hex(),
            new_key_id: new.id().to_hex(),
            resealed,
            unreadable,
        })
    }
}
