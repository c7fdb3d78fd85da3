//! Sealed envelopes: XChaCha20-Poly1305 (192-bit random nonces, so random nonces never collide
//! in practice) under the data key.
//!
//! Layout: `magic (4) | key id (8) | nonce (24) | ciphertext + tag (16)`. The associated data is
//! the magic, the key id and a context: a payload's context is its submission's reference, so a
//! ciphertext copied into another row (or an export passed off as a payload) fails to open.

use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use zeroize::Zeroizing;

use super::key::{DataKey, KeyId};

/// What an envelope holds; each kind has its own magic, so one can never open as the other.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A submission's payload in the queue (context: its reference).
    Payload,
    /// A `queue export` file.
    Export,
}

impl Kind {
    fn magic(self) -> &'static [u8; 4] {
        match self {
            Kind::Payload => b"GSP1",
            Kind::Export => b"GSX1",
        }
    }
}

const ID_LEN: usize = 8;
const NONCE_LEN: usize = 24;
const TAG_LEN: usize = 16;
/// Bytes an envelope adds to its plaintext.
pub const OVERHEAD: usize = 4 + ID_LEN + NONCE_LEN + TAG_LEN;

/// Why an envelope could not be opened.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OpenError {
    /// Not an envelope of this kind.
    #[error("not a sealed {0:?}")]
    NotSealed(Kind),
    /// Sealed under another key than the one given.
    #[error("sealed under key {found}, not the current data key {current}")]
    OtherKey {
        /// The envelope's key.
        found: KeyId,
        /// The key tried.
        current: KeyId,
    },
    /// Tampered with, truncated, or moved to another row.
    #[error("it fails authentication (altered, truncated, or moved from another record)")]
    Forged,
}

/// Whether `bytes` look like an envelope of `kind` (by magic only).
pub fn is_sealed(kind: Kind, bytes: &[u8]) -> bool {
    bytes.starts_with(kind.magic())
}

/// The key id an envelope of `kind` says it was sealed under.
pub fn key_id_of(kind: Kind, bytes: &[u8]) -> Option<KeyId> {
    if !is_sealed(kind, bytes) || bytes.len() < OVERHEAD {
        return None;
    }
    let mut id = [0u8; ID_LEN];
    id.copy_from_slice(&bytes[4..4 + ID_LEN]);
    Some(KeyId(id))
}

fn associated_data(kind: Kind, id: KeyId, context: &[u8]) -> Vec<u8> {
    let mut ad = Vec::with_capacity(4 + ID_LEN + context.len());
    ad.extend_from_slice(kind.magic());
    ad.extend_from_slice(&id.0);
    ad.extend_from_slice(context);
    ad
}

/// Seals `plaintext` under `key`, bound to `context`.
pub fn seal(key: &DataKey, kind: Kind, context: &[u8], plaintext: &[u8]) -> Vec<u8> {
    let cipher = XChaCha20Poly1305::new(key.bytes().into());
    let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
    let ad = associated_data(kind, key.id(), context);
    // Encryption into a Vec cannot fail for inputs under 256 GiB; a failure here would be a bug
    // in the cipher crate, and sealing must never fall back to writing clear text.
    let ciphertext = cipher
        .encrypt(
            &nonce,
            Payload {
                msg: plaintext,
                aad: &ad,
            },
        )
        .expect("XChaCha20-Poly1305 encryption of an in-memory buffer");
    let mut out = Vec::with_capacity(OVERHEAD + plaintext.len());
    out.extend_from_slice(kind.magic());
    out.extend_from_slice(&key.id().0);
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&ciphertext);
    out
}

/// Opens an envelope sealed by [`seal`] with the same key, kind and context. The plaintext is
/// wiped from memory when dropped.
pub fn open(
    key: &DataKey,
    kind: Kind,
    context: &[u8],
    sealed: &[u8],
) -> Result<Zeroizing<Vec<u8>>, OpenError> {
    let found = key_id_of(kind, sealed).ok_or(OpenError::NotSealed(kind))?;
    if found != key.id() {
        return Err(OpenError::OtherKey {
            found,
            current: key.id(),
        });
    }
    let nonce = XNonce::from_slice(&sealed[4 + ID_LEN..4 + ID_LEN + NONCE_LEN]);
    let cipher = XChaCha20Poly1305::new(key.bytes().into());
    let ad = associated_data(kind, found, context);
    cipher
        .decrypt(
            nonce,
            Payload {
                msg: &sealed[4 + ID_LEN + NONCE_LEN..],
                aad: &ad,
            },
        )
        .map(Zeroizing::new)
        .map_err(|_| OpenError::Forged)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_payload_opens_only_with_its_key_kind_and_reference() {
        let key = DataKey::generate();
        let text = br#"{"contact":{"email":"ada@example.org"}}"#;
        let sealed = seal(&key, Kind::Payload, b"LIB2-00001-A", text);
        assert_eq!(sealed.len(), text.len() + OVERHEAD);
        assert!(!sealed.windows(3).any(|w| w == b"ada"), "no clear text");
        assert_eq!(
            open(&key, Kind::Payload, b"LIB2-00001-A", &sealed)
                .unwrap()
                .as_slice(),
            text
        );
        // Moved to another row.
        assert_eq!(
            open(&key, Kind::Payload, b"LIB2-00002-B", &sealed),
            Err(OpenError::Forged)
        );
        // Read as another kind.
        assert_eq!(
            open(&key, Kind::Export, b"LIB2-00001-A", &sealed),
            Err(OpenError::NotSealed(Kind::Export))
        );
        // Another key.
        let other = DataKey::generate();
        assert!(matches!(
            open(&other, Kind::Payload, b"LIB2-00001-A", &sealed),
            Err(OpenError::OtherKey { .. })
        ));
        // Any flipped bit, anywhere after the magic and id.
        for i in 12..sealed.len() {
            let mut bad = sealed.clone();
            bad[i] ^= 0x01;
            assert_eq!(
                open(&key, Kind::Payload, b"LIB2-00001-A", &bad),
                Err(OpenError::Forged),
                "byte {i}"
            );
        }
        // Truncated.
        assert!(
            open(
                &key,
                Kind::Payload,
                b"LIB2-00001-A",
                &sealed[..OVERHEAD - 1]
            )
            .is_err()
        );
        assert!(open(&key, Kind::Payload, b"LIB2-00001-A", b"{").is_err());
    }

    #[test]
    fn two_seals_of_the_same_text_differ() {
        let key = DataKey::generate();
        let a = seal(&key, Kind::Export, b"", b"same");
        let b = seal(&key, Kind::Export, b"", b"same");
        assert_ne!(a, b, "fresh nonce each time");
    }
}
