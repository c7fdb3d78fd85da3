//! PINs: the accepted shape (6 to 12 digits) and their argon2id hashes (PHC strings, a random
//! 16-byte salt each, the crate's default cost: 19 MiB, 2 passes). The PIN itself is never
//! stored, logged or audited.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use zeroize::Zeroizing;

use super::{PIN_MAX_DIGITS, PIN_MIN_DIGITS, StaffError};

/// The PIN with surrounding whitespace (a newline from stdin) removed, if it has the accepted
/// shape.
pub fn normalise(pin: &str) -> Result<Zeroizing<String>, StaffError> {
    let pin = pin.trim();
    if (PIN_MIN_DIGITS..=PIN_MAX_DIGITS).contains(&pin.len())
        && pin.bytes().all(|b| b.is_ascii_digit())
    {
        Ok(Zeroizing::new(pin.to_string()))
    } else {
        Err(StaffError::BadPin)
    }
}

/// The argon2id PHC string of `pin` (already [`normalise`]d).
pub fn hash(pin: &str) -> Result<String, StaffError> {
    let salt_bytes: [u8; 16] = rand::random();
    let salt = SaltString::encode_b64(&salt_bytes).map_err(|e| StaffError::Hash(e.to_string()))?;
    Argon2::default()
        .hash_password(pin.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| StaffError::Hash(e.to_string()))
}

/// Whether `pin` matches the PHC string `stored`. An unreadable stored hash matches nothing
/// (and is logged without the PIN).
pub fn matches(pin: &str, stored: &str) -> bool {
    match PasswordHash::new(stored) {
        Ok(parsed) => Argon2::default()
            .verify_password(pin.as_bytes(), &parsed)
            .is_ok(),
        Err(e) => {
            tracing::error!("a stored staff PIN hash is unreadable: {e}");
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pins_are_six_to_twelve_digits_and_hash_as_argon2id_with_a_salt_each() {
        assert_eq!(normalise(" 123456\n").unwrap().as_str(), "123456");
        for bad in ["12345", "1234567890123", "12345a", "", "١٢٣٤٥٦"] {
            assert!(normalise(bad).is_err(), "{bad:?}");
        }
        let a = hash("123456").unwrap();
        let b = hash("123456").unwrap();
        assert!(a.starts_with("$argon2id$"), "{a}");
        assert_ne!(a, b, "salted");
        assert!(!a.contains("123456"));
        assert!(matches("123456", &a) && matches("123456", &b));
        assert!(!matches("654321", &a));
        assert!(!matches("123456", "not a hash"));
    }
}
