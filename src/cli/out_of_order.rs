//! `guichet out-of-order [--screenshot FILE.png [--width W --height H]]`: the plain service screen
//! `guichet-out-of-order.service` shows under cage once the kiosk's start limit tripped (see
//! `ui::out_of_order`). It needs only a configuration that loads, and falls back to the demo
//! configuration's languages when it does not: the screen must come up whatever broke the kiosk.

use std::path::PathBuf;

use clap::Args;

use super::{CliError, fail};
use crate::config::Config;

/// Arguments of `guichet out-of-order`.
#[derive(Debug, Args)]
pub struct OutOfOrderArgs {
    /// Render the screen to this PNG without a display, then exit.
    #[arg(long, value_name = "FILE.png")]
    pub screenshot: Option<PathBuf>,
    /// Width of the screenshot in pixels.
    #[arg(long, default_value_t = 1280)]
    pub width: u32,
    /// Height of the screenshot in pixels.
    #[arg(long, default_value_t = 800)]
    pub height: u32,
}

/// Runs `guichet out-of-order` with the configuration found (or the demo one).
pub fn run(config: Option<Config>, args: OutOfOrderArgs) -> Result<(), CliError> {
    let config = config.unwrap_or_else(Config::demo);
    if let Some(out) = args.screenshot {
        if !(200..=8192).contains(&args.width) || !(200..=8192).contains(&args.height) {
            return fail("--width and --height: from 200 to 8192 pixels");
        }
        return crate::ui::out_of_order::write_png(&config, args.width, args.height, &out)
            .map_err(CliError);
    }
    if !crate::runtime::display_available() {
        return Err(crate::runtime::KioskError::NoDisplay.into());
    }
    // Stopped the way the kiosk is (kiosk-image/README.md, "Stop"): the unit's ExecStop= sends
    // SIGTERM to this process, which claims the main process for it with MAINPID= (cage's own
    // SIGTERM handler is broken); the screen then leaves its event loop and cage follows.
    crate::runtime::watchdog::declare_main_process();
    crate::runtime::shutdown::on_stop_signal(|| {
        let _ = slint::invoke_from_event_loop(|| {
            let _ = slint::quit_event_loop();
        });
    });
    crate::ui::out_of_order::run(&config).map_err(CliError)
}
