//! What the kiosk keeps about residents, how it is protected, and when it is forgotten.
//!
//! - [`key`]: the data key, a 0600 file outside the database (`privacy.key_file`, by default
//!   `<data_dir>/guichet.key`), created on first use; rotation re-seals every payload under a new
//!   key in one transaction and keeps the old key until that transaction has committed.
//! - [`seal`]: XChaCha20-Poly1305 envelopes. A submission's payload is sealed with its reference
//!   as associated data, so a row's ciphertext cannot be moved to another row; `queue export`
//!   files are sealed as a whole.
//! - [`at_rest`]: a submission's payload sealed and opened, bound to its reference.
//! - [`export`]: `queue export` files, sealed as a whole.
//!
//! Everything that touches the database (recording the key id, sealing rows, rotation,
//! retention) is the store's: `src/queue/sealing.rs`, `rotation.rs`, `retention.rs`. This module
//! imports nothing from `queue`.
//!
//! Invariant: a payload is sealed before it is written and opened only in memory; the database
//! file (and its WAL) never holds a resident's answers, address or contact in clear.

pub(crate) mod at_rest;
pub(crate) mod export;
pub(crate) mod key;
pub(crate) mod seal;

pub use key::{CREDENTIAL_NAME, DataKey, KeyError, KeyId, NOT_SEALED, credential_key_file};

/// Name of the key file in the data dir when `privacy.key_file` is not set.
pub const DEFAULT_KEY_FILE: &str = "guichet.key";

#[cfg(test)]
pub(crate) fn test_dir() -> std::path::PathBuf {
    crate::fsutil::test_dir("privacy-unit")
}
