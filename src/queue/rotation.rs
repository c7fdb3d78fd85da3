//! Key rotation: every payload re-sealed under a new key in one transaction.
//!
//! 1. One IMMEDIATE transaction (the database's write lock) is begun; only then is the new key
//!    written to `<key_file>.next` (0600, fsynced), so two rotations never share `.next`. The
//!    old key stays in `key_file`.
//! 2. In that transaction every payload (and sealed server text) is opened with the old key and
//!    sealed with the new one, and the new key id is recorded. Until it commits, the database
//!    and `key_file` agree on the old key and `.next` is a harmless leftover. Opening a store
//!    never deletes `.next` (it could be a rotation's only copy of a key about to commit: that
//!    race destroyed every payload); the next rotation overwrites it.
//! 3. `.next` is renamed over `key_file`: the old key is gone. A crash between 2 and 3 is
//!    finished by the next open, which finds the database's key in `.next`.
//! 4. The file is vacuumed so old ciphertexts do not linger in free pages or the WAL.
//!
//! Other processes (the kiosk while a technician rotates) notice the new id under their own
//! write lock before sealing, and when opening a payload, and reload the key.

use rusqlite::{TransactionBehavior, params};
use serde::Serialize;

use super::audit::audit_in;
use super::sealing::{KEY_ID_STATE, load_key};
use super::{Store, StoreError};
use crate::privacy::DataKey;
use crate::privacy::at_rest::{open_payload, open_server_text, seal_payload, seal_server_text};
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
        let new = DataKey::generate();
        let key_file = self.key_file().to_path_buf();
        let next = key::next_key_path(&key_file);
        let mut wrote_next = false;

        let result = (|| -> Result<(DataKey, u64, u64), StoreError> {
            // `.next` is written only under the database's write lock: no other rotation can be
            // between writing its own `.next` and committing, so none can overwrite ours (or we
            // theirs). A rotation that committed but has not renamed its `.next` yet is finished
            // first (`load_key`), so `.next` never holds the only copy of the key the database
            // names when it is replaced.
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            let old = load_key(&tx, &self.location)?;
            key::write_key_file(&next, &new, true)?;
            wrote_next = true;
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
            // The server's sealed words about submissions follow the same key.
            let texts: Vec<(i64, String, Vec<u8>)> = tx
                .prepare(
                    "SELECT id, reference, server_text FROM submissions
                     WHERE server_text IS NOT NULL",
                )?
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                .collect::<Result<_, _>>()?;
            {
                let mut update =
                    tx.prepare("UPDATE submissions SET server_text = ?2 WHERE id = ?1")?;
                for (id, reference, stored) in &texts {
                    let resealed = open_server_text(&old, reference, stored).ok().map(|clear| {
                        seal_server_text(&new, reference, &String::from_utf8_lossy(&clear))
                    });
                    // Unreadable under the old key too: nothing worth keeping.
                    update.execute(params![id, resealed])?;
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
            Ok((old, resealed, unreadable))
        })();
        let (old, resealed, unreadable) = match result {
            Ok(counts) => counts,
            Err(e) => {
                // Nothing committed: the old key is still the database's, and the write lock
                // was ours until now, so `.next` is still our key that sealed nothing.
                if wrote_next {
                    let _ = std::fs::remove_file(&next);
                }
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
