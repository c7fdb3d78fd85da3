//! Receipt printing: ESC/POS encoding, printer profiles, serial/file transport, status polling,
//! the receipt layout and the print-job worker.
//!
//! Pipeline: a print job (`print_jobs`, written with the submission) → [`receipt::ReceiptFacts`]
//! (no personal data) → [`receipt::Receipt`] blocks in the resident's language →
//! [`compose::encode`] for the configured [`profile::Profile`] (code-page text where a code page
//! fits — Arabic shaped and in visual order by [`visual`] for CP864 — raster with our own fonts
//! otherwise; native or raster QR) → [`transport::Link`] (serial
//! port, `file:` sink) with a [`status`] check before and after.
//!
//! The touchscreen uses [`worker::spawn_print_worker`]; the CLI drives [`engine::Printer`]
//! directly.

mod codepage_tables;

pub mod codepage;
pub(crate) mod compose;
pub(crate) mod engine;
pub(crate) mod escpos;
pub(crate) mod profile;
pub mod raster;
pub(crate) mod receipt;
pub mod recorded;
pub mod status;
pub(crate) mod transport;
pub(crate) mod visual;
pub mod worker;

pub use engine::{PrintEvent, PrintOutcome, Printer};
pub use status::{FailureReason, Paper, PrinterStatus};
pub use worker::{PrintWorker, spawn_print_worker};
