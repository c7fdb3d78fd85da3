//! Test support for the printer area: an ESC/POS decoder and a fake serial printer.
#![allow(dead_code)]

pub mod decoder;
pub mod fake;
pub mod scan;
