//! Payloads at rest: a submission's answers sealed under the data key, bound to its reference so
//! a ciphertext cannot be moved to another row. The store (`queue`) calls these inside its
//! transactions; nothing here touches the database.

use zeroize::Zeroizing;

use super::key::DataKey;
use super::seal::{self, Kind, OpenError};

/// Seals a submission's payload (clear JSON), bound to its reference.
pub fn seal_payload(key: &DataKey, reference: &str, clear: &[u8]) -> Vec<u8> {
    seal::seal(key, Kind::Payload, reference.as_bytes(), clear)
}

/// Opens a payload sealed by [`seal_payload`] for `reference`.
pub fn open_payload(
    key: &DataKey,
    reference: &str,
    stored: &[u8],
) -> Result<Zeroizing<Vec<u8>>, OpenError> {
    seal::open(key, Kind::Payload, reference.as_bytes(), stored)
}
