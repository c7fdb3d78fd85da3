//! Guichet: a self-service kiosk for a council's services.
//!
//! See `ARCHITECTURE.md` for the map and the layers (kept by `tests/architecture/layering.rs`).
//! From the bottom up:
//!
//! - base: [`fsutil`] (bounded reads, free space, test dirs), [`clock`] (local offset, RFC 3339),
//!   [`config`] (the TOML configuration), [`reference`] (reference numbers), [`catalog`] (the
//!   Open311 catalogue model and parser), [`validate`] (answers, for touchscreen and CLI alike),
//!   [`i18n`] (Fluent translations), [`privacy`] (the data key and sealed envelopes);
//! - [`queue`]: the durable SQLite store; every SQL statement and row type lives here;
//! - [`sync`] (delivery to the council's Open311 server) and [`printer`] (ESC/POS receipts),
//!   which never see each other;
//! - [`flow`]: the resident's journey as a plain state machine, tested without a display;
//! - [`ui`]: the Slint layer, which shows the flow and forwards touches;
//! - [`runtime`] (the kiosk's wiring: workers and events) and [`cli`] (the command line of
//!   `INTERFACE.md`), which see everything.

#![warn(missing_docs)]

pub mod catalog;
pub mod cli;
pub mod clock;
pub mod config;
pub mod flow;
pub mod fsutil;
pub mod i18n;
pub mod printer;
pub mod privacy;
pub mod queue;
pub mod reference;
pub mod runtime;
pub mod staff;
pub mod sync;
pub mod ui;
pub mod validate;
