//! A screenshot of the kiosk's screen on request from staff, never during a resident's session.
//!
//! Staff (over SSH, or a council's management tool) run `guichet fleet screenshot`, which drops a
//! request file in the data dir and waits. The running kiosk looks for it every
//! [`POLL_INTERVAL`] on its UI thread and answers only while the flow is between residents (the
//! welcome screen, no dialog: `Flow::between_residents`), so the picture can never hold anything
//! a resident typed; while someone is using the kiosk the request simply waits (and is dropped
//! after [`REQUEST_TTL`], so an old request never fires much later). The picture is the window's
//! own rendering (`take_snapshot`), written atomically as `screenshot.png` (0640) in the data
//! dir, and the request removed.
//!
//! Why a file and not a socket or a network endpoint: the kiosk opens no port in a public place,
//! and the data dir is already the one place the kiosk and the technician's commands share, with
//! the `guichet` user's permissions.

use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::time::Duration;

use slint::ComponentHandle;

use crate::ui::Controller;
use crate::ui::generated::AppWindow;

/// The request file's name in the data dir.
pub const REQUEST_FILE: &str = "screenshot.request";
/// The picture's name in the data dir.
pub const PICTURE_FILE: &str = "screenshot.png";
/// How often the kiosk looks for a request.
pub const POLL_INTERVAL: Duration = Duration::from_secs(2);
/// A request older than this is dropped unanswered.
pub const REQUEST_TTL: Duration = Duration::from_secs(600);

/// Starts looking for requests; the timer stops when dropped.
pub fn install(app: &AppWindow, controller: &Rc<Controller>, data_dir: PathBuf) -> slint::Timer {
    let timer = slint::Timer::default();
    let app = app.as_weak();
    let controller = Rc::downgrade(controller);
    timer.start(slint::TimerMode::Repeated, POLL_INTERVAL, move || {
        let (Some(app), Some(controller)) = (app.upgrade(), controller.upgrade()) else {
            return;
        };
        serve(&app, &controller, &data_dir);
    });
    timer
}

fn serve(app: &AppWindow, controller: &Controller, data_dir: &Path) {
    let request = data_dir.join(REQUEST_FILE);
    let Ok(meta) = std::fs::symlink_metadata(&request) else {
        return;
    };
    let age = meta
        .modified()
        .ok()
        .and_then(|t| t.elapsed().ok())
        .unwrap_or_default();
    if !meta.is_file() || age > REQUEST_TTL {
        let _ = std::fs::remove_file(&request);
        return;
    }
    // Never during a resident's session: the request waits for the welcome screen.
    if !controller.flow().between_residents() {
        return;
    }
    match capture(app, &data_dir.join(PICTURE_FILE)) {
        Ok(()) => tracing::info!("remote screenshot taken on request"),
        Err(e) => tracing::warn!("remote screenshot: {e}"),
    }
    let _ = std::fs::remove_file(&request);
}

fn capture(app: &AppWindow, out: &Path) -> Result<(), String> {
    let snapshot = app
        .window()
        .take_snapshot()
        .map_err(|e| format!("cannot render: {e}"))?;
    let image = image::RgbaImage::from_raw(
        snapshot.width(),
        snapshot.height(),
        snapshot.as_bytes().to_vec(),
    )
    .ok_or("rendered buffer has the wrong size")?;
    let mut png = Vec::new();
    image
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .map_err(|e| e.to_string())?;
    crate::fsutil::write_atomic(out, &png, 0o640, None)
        .map_err(|e| format!("{}: {e}", out.display()))
}
