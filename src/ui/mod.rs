//! The Slint touchscreen layer: a thin adapter between the resident flow (`crate::flow`) and the
//! `Api` global of `ui/api.slint`, plus headless screenshots. It shows and forwards touches;
//! the kiosk's wiring (workers, events) is `crate::runtime`.

pub(crate) mod backend;
pub mod contrast;
pub mod controller;
pub mod cut_words;
pub mod generated;
pub mod out_of_order;
pub(crate) mod qr;
pub mod scale;
pub mod scenes;
pub(crate) mod screenshot;
pub mod speech;
mod staff_scenes;

pub use backend::{Assist, Backend, Disconnected, UiEvent};
pub use controller::{Controller, KioskFacts};
