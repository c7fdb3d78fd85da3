//! Guichet: a self-service kiosk for a council's services.
//!
//! See `ARCHITECTURE.md` for the map. In short: [`config`] loads the TOML configuration,
//! [`catalog`] models and parses the Open311 catalogue, [`validate`] checks answers for both the
//! touchscreen and the CLI, [`queue`] is the durable SQLite store, [`reference`] issues reference
//! numbers, [`i18n`] translates, and [`cli`] is the command line of `INTERFACE.md`.

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
pub mod sync;
pub mod ui;
pub mod validate;
