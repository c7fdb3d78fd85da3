//! What the kiosk keeps about residents, how it is protected, and when it is forgotten.
//!
//! - [`key`]: the data key, a 0600 file outside the database (`privacy.key_file`, by default
//!   `<data_dir>/guichet.key`), created on first use; rotation re-seals every payload under a new
//!   key in one transaction and keeps the old key until that transaction has committed.
//! - [`seal`]: XChaCha20-Poly1305 envelopes. A submission's payload is sealed with its reference
//!   as associated data, so a row's ciphertext cannot be moved to another row; `queue export`
//!   files are sealed as a whole.
//! - [`retention`]: personal data is erased once the council accepted a submission and
//!   `privacy.retention_days` have passed; the file is then vacuumed so the bytes are gone.
//!
//! Invariant: a payload is sealed before it is written and opened only in memory; the database
//! file (and its WAL) never holds a resident's answers, address or contact in clear.

pub mod at_rest;
pub mod export;
pub mod key;
pub mod retention;
pub mod rotate;
pub mod seal;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

pub use key::{DataKey, KeyError, KeyId};
pub use retention::{Erasure, erase_expired};
pub use rotate::{Rotation, rotate_key};

/// Name of the key file in the data dir when `privacy.key_file` is not set.
pub const DEFAULT_KEY_FILE: &str = "guichet.key";

/// The configured key file, set once at startup from `privacy.key_file`.
static CONFIGURED_KEY_FILE: OnceLock<PathBuf> = OnceLock::new();

/// Makes every [`crate::queue::Store`] this process opens use `path` as its data key. Called once
/// by the command line after loading the configuration: the store is opened from many places
/// (kiosk, workers, commands) that only know the data dir. A second call with another path is
/// ignored and reported, because one process must never seal under two keys.
pub fn use_key_file(path: PathBuf) {
    if let Err(path) = CONFIGURED_KEY_FILE.set(path)
        && CONFIGURED_KEY_FILE.get() != Some(&path)
    {
        tracing::warn!("key file already chosen for this process; ignoring a second one");
    }
}

/// The key file for a database in `data_dir`: `privacy.key_file` if configured, else
/// `<data_dir>/guichet.key`.
pub fn key_file_for(data_dir: &Path) -> PathBuf {
    CONFIGURED_KEY_FILE
        .get()
        .cloned()
        .unwrap_or_else(|| data_dir.join(DEFAULT_KEY_FILE))
}

/// A fresh directory under the system temp dir, unique per test.
#[cfg(test)]
pub(crate) fn test_dir() -> PathBuf {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    let dir = std::env::temp_dir().join(format!(
        "guichet-privacy-unit-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}
