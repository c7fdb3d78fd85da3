//! The plain service screen shown when the kiosk keeps failing: systemd's start limit tripped,
//! and the kiosk unit's `OnFailure=` started `guichet-out-of-order.service`, which runs cage with
//! `guichet out-of-order`. It says "This kiosk is out of order. Please ask at the desk." in each
//! of the kiosk's languages (its own script and direction), and the help contact.
//!
//! Why a screen of its own and not the kiosk in a degraded mode: whatever made the kiosk fail
//! (a broken database, a missing catalogue, a crash in a worker) must not be able to stop this
//! one. It opens no database, no printer and no network, and reads only the configuration (for
//! the languages and the help contact) and the bundled translations; a configuration that does
//! not load falls back to the demo one's languages.

use std::rc::Rc;

use slint::{ComponentHandle, ModelRc, SharedString, VecModel};

use super::generated::{OutOfOrderLine, OutOfOrderWindow};
use crate::config::Config;
use crate::i18n::{Arg, Translations, is_rtl};

/// The screen's lines: per language, the notice (strong) and "please ask at the desk"; then the
/// help contact, in the first language, when the configuration has one.
pub fn lines(config: &Config, tr: &Translations) -> Vec<(String, bool, bool)> {
    let mut out = Vec::new();
    for lang in &config.ui.languages {
        let rtl = is_rtl(lang);
        out.push((tr.text(lang, "out-of-order"), rtl, true));
        out.push((tr.text(lang, "out-of-order-ask"), rtl, false));
    }
    let contact = config.device.help_contact.trim();
    if !contact.is_empty() {
        let lang = config.ui.languages.first().map_or("en", String::as_str);
        out.push((
            tr.format(
                lang,
                "out-of-order-contact",
                &[("contact", Arg::Str(contact.to_string()))],
            ),
            is_rtl(lang),
            false,
        ));
    }
    out
}

/// The window, filled for `config`.
pub fn window(config: &Config) -> Result<OutOfOrderWindow, String> {
    let tr = Translations::load().map_err(|e| e.to_string())?;
    let window = OutOfOrderWindow::new().map_err(|e| format!("cannot open the screen: {e}"))?;
    let model: Vec<OutOfOrderLine> = lines(config, &tr)
        .into_iter()
        .map(|(text, rtl, strong)| OutOfOrderLine {
            text: SharedString::from(text),
            rtl,
            strong,
        })
        .collect();
    window.set_lines(ModelRc::from(Rc::new(VecModel::from(model))));
    Ok(window)
}

/// Shows the screen until the process is stopped (systemd stops it when the kiosk starts again).
pub fn run(config: &Config) -> Result<(), String> {
    let window = window(config)?;
    window
        .run()
        .map_err(|e| format!("cannot show the screen: {e}"))
}

/// Renders the screen to a PNG without a display (documentation, tests).
pub fn write_png(
    config: &Config,
    width: u32,
    height: u32,
    out: &std::path::Path,
) -> Result<(), String> {
    let (software, _clock) = super::screenshot::headless_window()?;
    let window = window(config)?;
    software.set_size(slint::PhysicalSize::new(width, height));
    window
        .show()
        .map_err(|e| format!("cannot show the screen: {e}"))?;
    slint::platform::update_timers_and_animations();
    let snapshot = window
        .window()
        .take_snapshot()
        .map_err(|e| format!("cannot render: {e}"))?;
    let image = image::RgbaImage::from_raw(
        snapshot.width(),
        snapshot.height(),
        snapshot.as_bytes().to_vec(),
    )
    .ok_or_else(|| "rendered buffer has the wrong size".to_string())?;
    image
        .save_with_format(out, image::ImageFormat::Png)
        .map_err(|e| format!("cannot write {}: {e}", out.display()))
}
