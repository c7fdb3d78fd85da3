//! Reference numbers: `CODE-NNNNN-C`.
//!
//! The check character is a weighted sum modulo 37 (a prime) over the characters of
//! `CODE` and `NNNNN`, with weights 1, 2, 3, … Because 37 is prime and every weight and every
//! difference of two weights is non-zero modulo 37, any single substitution and any swap of two
//! adjacent characters changes the sum. A sum of 36 has no character in `0-9A-Z`; the queue simply
//! skips sequence numbers whose check value would be 36 (see [`Reference::issue`]), so every
//! reference stays readable and typable on any keyboard.

use std::fmt;

const ALPHABET: &[u8; 36] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

/// The smallest number of sequence digits shown (zero-padded).
pub const SEQUENCE_DIGITS: usize = 5;

/// A kiosk reference number.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Reference(String);

/// Why a text is not a reference.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReferenceError {
    /// Not of the form CODE-NNNNN-C.
    #[error("{0:?} is not a reference (expected CODE-NNNNN-C, e.g. LIB2-00042-7)")]
    Malformed(String),
    /// Well-formed but the check character does not match: a typing mistake.
    #[error("{0:?} has a wrong check character: probably mistyped")]
    BadCheck(String),
}

fn value_of(c: u8) -> Option<u32> {
    ALPHABET.iter().position(|&a| a == c).map(|p| p as u32)
}

/// The weighted sum modulo 37 of the code and sequence characters.
fn check_value(code: &str, sequence: &str) -> Option<u32> {
    let mut sum = 0u32;
    for (i, c) in code.bytes().chain(sequence.bytes()).enumerate() {
        sum = (sum + (i as u32 + 1) * value_of(c)?) % 37;
    }
    Some(sum)
}

impl Reference {
    /// Builds the reference for a device code and sequence number, or `None` when that sequence
    /// number's check value has no character (the caller takes the next number).
    pub fn issue(device_code: &str, sequence: u64) -> Option<Reference> {
        let seq = format!("{sequence:0SEQUENCE_DIGITS$}");
        let check = check_value(device_code, &seq)?;
        let c = *ALPHABET.get(check as usize)? as char;
        Some(Reference(format!("{device_code}-{seq}-{c}")))
    }

    /// Parses and verifies a reference typed by a person (case and surrounding spaces forgiven).
    pub fn parse(text: &str) -> Result<Reference, ReferenceError> {
        let normal = text.trim().to_ascii_uppercase();
        let malformed = || ReferenceError::Malformed(text.chars().take(40).collect());
        let mut parts = normal.split('-');
        let (Some(code), Some(seq), Some(check), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(malformed());
        };
        if !crate::config::is_valid_device_code(code)
            || seq.len() < SEQUENCE_DIGITS
            || seq.len() > 19
            || !seq.bytes().all(|b| b.is_ascii_digit())
            || check.len() != 1
        {
            return Err(malformed());
        }
        let expected = check_value(code, seq).ok_or_else(malformed)?;
        if value_of(check.as_bytes()[0]) != Some(expected) {
            return Err(ReferenceError::BadCheck(normal));
        }
        Ok(Reference(normal))
    }

    /// The text form.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The device code part.
    pub fn device_code(&self) -> &str {
        self.0.split('-').next().unwrap_or_default()
    }
}

impl fmt::Display for Reference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issued_references_parse_back() {
        let mut issued = 0;
        for seq in 1..2000 {
            if let Some(r) = Reference::issue("LIB2", seq) {
                assert_eq!(Reference::parse(r.as_str()).unwrap(), r);
                assert_eq!(r.device_code(), "LIB2");
                issued += 1;
            }
        }
        // About one number in 37 is skipped.
        assert!(issued > 1900, "{issued}");
        let r = Reference::issue("LIB2", 42)
            .or_else(|| Reference::issue("LIB2", 43))
            .unwrap();
        assert!(r.as_str().starts_with("LIB2-0004"));
        assert_eq!(Reference::parse(&r.as_str().to_lowercase()).unwrap(), r);
    }

    #[test]
    fn every_single_substitution_and_adjacent_swap_is_detected() {
        for seq in [1u64, 7, 42, 999, 12345, 99999, 123456] {
            let Some(r) = Reference::issue("AB12C", seq) else {
                continue;
            };
            let text = r.as_str().as_bytes().to_vec();
            for i in 0..text.len() {
                if text[i] == b'-' {
                    continue;
                }
                for &c in ALPHABET.iter() {
                    if c == text[i] {
                        continue;
                    }
                    let mut t = text.clone();
                    t[i] = c;
                    let s = String::from_utf8(t).unwrap();
                    assert!(Reference::parse(&s).is_err(), "substitution {s} accepted");
                }
                if i + 1 < text.len() && text[i + 1] != b'-' && text[i] != text[i + 1] {
                    let mut t = text.clone();
                    t.swap(i, i + 1);
                    let s = String::from_utf8(t).unwrap();
                    assert!(Reference::parse(&s).is_err(), "swap {s} accepted");
                }
            }
        }
    }

    #[test]
    fn malformed_references_are_refused() {
        for bad in [
            "",
            "LIB2",
            "LIB2-123-4",
            "lib2-00001",
            "LIB2-0000A-1",
            "TOOLONGX-00001-1",
        ] {
            assert!(
                matches!(Reference::parse(bad), Err(ReferenceError::Malformed(_))),
                "{bad}"
            );
        }
    }
}
