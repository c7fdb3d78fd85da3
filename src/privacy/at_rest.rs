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

/// Context of a submission's server text: its reference, marked so that the text can never be
/// passed off as the payload or the other way round.
fn server_text_context(reference: &str) -> Vec<u8> {
    let mut context = b"server-text\0".to_vec();
    context.extend_from_slice(reference.as_bytes());
    context
}

/// Seals what a server said about a submission (it may echo the resident's data), bound to
/// its reference.
pub fn seal_server_text(key: &DataKey, reference: &str, text: &str) -> Vec<u8> {
    seal::seal(
        key,
        Kind::Payload,
        &server_text_context(reference),
        text.as_bytes(),
    )
}

/// Opens text sealed by [`seal_server_text`] for `reference`.
pub fn open_server_text(
    key: &DataKey,
    reference: &str,
    stored: &[u8],
) -> Result<Zeroizing<Vec<u8>>, OpenError> {
    seal::open(key, Kind::Payload, &server_text_context(reference), stored)
}
