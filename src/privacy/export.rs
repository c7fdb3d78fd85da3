//! `queue export` files: the JSON lines sealed as one envelope under the data key, so a USB
//! stick that goes missing reveals nothing. They open with the key that sealed them — on this
//! kiosk (`guichet privacy open-export`), or wherever a copy of that key is kept — and not after
//! that key has been rotated away: open (or deliver) an export before rotating.

use zeroize::Zeroizing;

use super::key::DataKey;
use super::seal::{self, Kind, OpenError};

/// Associated data of every export (exports are not bound to a row).
const CONTEXT: &[u8] = b"guichet queue export v1";

/// Largest export file `open-export` reads: far above any real queue (a submission's payload is
/// at most a few tens of KB), and a bound on what a hostile file can make us allocate.
pub const MAX_EXPORT_BYTES: u64 = 512 * 1024 * 1024;

/// Seals the JSON lines of an export.
pub fn seal_export(key: &DataKey, lines: &[u8]) -> Vec<u8> {
    seal::seal(key, Kind::Export, CONTEXT, lines)
}

/// Opens an export sealed by [`seal_export`].
pub fn open_export(key: &DataKey, sealed: &[u8]) -> Result<Zeroizing<Vec<u8>>, OpenError> {
    seal::open(key, Kind::Export, CONTEXT, sealed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_export_opens_with_its_key_only() {
        let key = DataKey::generate();
        let sealed = seal_export(&key, b"{\"reference\":\"LIB2-00001-A\"}\n");
        assert!(!sealed.windows(4).any(|w| w == b"LIB2"));
        assert_eq!(
            open_export(&key, &sealed).unwrap().as_slice(),
            b"{\"reference\":\"LIB2-00001-A\"}\n"
        );
        assert!(open_export(&DataKey::generate(), &sealed).is_err());
        let payload = seal::seal(&key, Kind::Payload, CONTEXT, b"x");
        assert_eq!(
            open_export(&key, &payload),
            Err(OpenError::NotSealed(Kind::Export))
        );
    }
}
