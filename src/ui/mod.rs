//! The Slint touchscreen layer: a thin adapter between the resident flow (`crate::flow`) and the
//! `Api` global of `ui/api.slint`, plus the kiosk runner and headless screenshots.

pub mod controller;
pub mod generated;
pub mod kiosk;
pub mod qr;
pub mod scenes;
pub mod screenshot;
pub mod worker;

pub use controller::{Controller, KioskFacts, UiEvent};
