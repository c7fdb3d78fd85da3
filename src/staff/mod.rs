//! Assisted mode without the screens: staff accounts and their PINs, the PIN pad's lockout, and
//! the [`Desk`], everything a member of staff can do (look a request up, reprint, see the
//! kiosk's health, decide about review and rejected submissions, cancel, answer help requests,
//! help a visitor submit, practise in training mode). The touchscreen's staff pages and the CLI
//! both call it, so the screens stay thin and every action has one implementation, audited with
//! the staff member's name.
//!
//! Layer: like `sync` and `printer`, it sees `queue` and the base modules and nothing else. It
//! talks neither HTTP (help notifications are `sync::help_notify`'s) nor to the printer (a
//! reprint is a print job the printer worker picks up).
//!
//! Why a PIN alone (no name to pick first): the pad is used standing beside a visitor; a PIN
//! names its holder, so `staff add` refuses a PIN another account already has. Why a lockout
//! that survives restarts: the kiosk is in a public place and restarts are cheap (unplug it),
//! so the count of wrong PINs and the lock they earned live in the database.

mod desk;
pub mod lockout;
pub mod pin;
pub mod stats;

pub use crate::queue::{
    HelpCounts, HelpNotify, HelpRequest, Resolution, SessionOutcome, SessionRecord, StaffAccount,
    State,
};
pub use desk::{
    Desk, DeskSettings, KioskHealth, PinCheck, ProblemItem, RequestStatus, StaffSession,
    find_reference,
};
pub use lockout::LockoutPolicy;

use crate::queue::StoreError;

/// Longest staff name accepted (it is printed on receipts: "Assisted by NAME").
pub const NAME_MAX_CHARS: usize = 40;
/// Shortest PIN accepted.
pub const PIN_MIN_DIGITS: usize = 6;
/// Longest PIN accepted.
pub const PIN_MAX_DIGITS: usize = 12;

/// What can go wrong with a staff action. One clear line each, for technicians and the CLI.
#[derive(Debug, thiserror::Error)]
pub enum StaffError {
    /// The name is empty, too long, or has characters a receipt cannot carry.
    #[error(
        "staff name {0:?} is not usable: 1 to {NAME_MAX_CHARS} characters, letters, digits, spaces, '.', '-' or '_'"
    )]
    BadName(String),
    /// The PIN is not 6 to 12 digits.
    #[error("a PIN is {PIN_MIN_DIGITS} to {PIN_MAX_DIGITS} digits (0-9), nothing else")]
    BadPin,
    /// Another account already has this PIN (the PIN pad could not tell them apart).
    #[error("another staff account already has this PIN: choose another one")]
    PinInUse,
    /// An account with this name exists.
    #[error("a staff account named {0:?} already exists")]
    Exists(String),
    /// No account with this name.
    #[error("no staff account named {0:?} (see `guichet staff list`)")]
    NoSuchStaff(String),
    /// The text typed or scanned holds no valid reference.
    #[error("{0:?} holds no valid reference (CODE-NNNNN-C)")]
    NotAReference(String),
    /// The PIN could not be hashed or a stored hash is unreadable.
    #[error("PIN hashing failed: {0}")]
    Hash(String),
    /// The store refused or failed.
    #[error("{0}")]
    Store(#[from] StoreError),
}
