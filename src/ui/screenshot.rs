//! `guichet screenshot`: renders one scene to PNG with Slint's software renderer, no display
//! needed. Uses its own platform (a `MinimalSoftwareWindow`), so it runs on a bare server.

use std::cell::Cell;
use std::collections::BTreeMap;
use std::path::Path;
use std::rc::Rc;
use std::sync::Arc;
use std::time::{Duration, Instant};

use slint::platform::software_renderer::{MinimalSoftwareWindow, RepaintBufferType};
use slint::platform::{Platform, WindowAdapter, WindowEvent};
use slint::{ComponentHandle, PhysicalSize, PlatformError};

use super::controller::{Controller, KioskFacts};
use super::generated::AppWindow;
use super::scenes;
use crate::catalog::Catalog;
use crate::config::Config;
use crate::flow::{Flow, FlowSettings};
use crate::i18n::Translations;

struct HeadlessPlatform {
    window: Rc<MinimalSoftwareWindow>,
    clock: SceneClock,
}

impl Platform for HeadlessPlatform {
    fn create_window_adapter(&self) -> Result<Rc<dyn WindowAdapter>, PlatformError> {
        Ok(self.window.clone())
    }

    fn duration_since_start(&self) -> Duration {
        self.clock.0.get()
    }
}

/// Slint's time in the headless renderer: it moves only when the renderer moves it, by the
/// same step before each render, so a text field's caret (which blinks on Slint's time) is
/// drawn the same however long the renders before it took.
#[derive(Clone, Default)]
pub(crate) struct SceneClock(Rc<Cell<Duration>>);

impl SceneClock {
    /// Time between entering a scene and drawing it: short of the caret's first blink.
    const STEP: Duration = Duration::from_millis(100);

    fn advance(&self) {
        self.0.set(self.0.get() + Self::STEP);
    }
}

/// Makes Slint render into one software window with no display (once per process: Slint's
/// platform is set once). Also used by the out-of-order screen's `--screenshot`.
pub(crate) fn headless_window() -> Result<(Rc<MinimalSoftwareWindow>, SceneClock), String> {
    let window = MinimalSoftwareWindow::new(RepaintBufferType::NewBuffer);
    let clock = SceneClock::default();
    slint::platform::set_platform(Box::new(HeadlessPlatform {
        window: window.clone(),
        clock: clock.clone(),
    }))
    .map_err(|e| format!("cannot start the headless renderer: {e}"))?;
    Ok((window, clock))
}

/// A headless renderer: one per process (Slint's platform is set once).
pub struct Renderer {
    window: Rc<MinimalSoftwareWindow>,
    clock: SceneClock,
    app: AppWindow,
    controller: Rc<Controller>,
    /// `ui.screen_width_mm`: when set, screens are drawn in real millimetres, as the kiosk
    /// draws them on that panel (the width of each rendered size is the panel's width).
    panel_mm: Option<f32>,
    /// The text size step to draw at (0 the default, 2 the largest); `None`: each scene's own.
    pub text_size: Option<u8>,
}

impl Renderer {
    /// Sets up the headless platform and the UI with the demo catalogues (or the given ones).
    pub fn new(config: &Config, catalogs: BTreeMap<String, Catalog>) -> Result<Renderer, String> {
        let (window, clock) = headless_window()?;
        let app = AppWindow::new().map_err(|e| format!("cannot create the UI: {e}"))?;
        let tr = Arc::new(Translations::load().map_err(|e| e.to_string())?);
        let mut flow = Flow::new(FlowSettings::from_config(config), catalogs, tr);
        flow.set_catch_all_service(config.ui.catch_all_service.clone());
        let (tx, rx) = std::sync::mpsc::channel();
        let worker = Box::new(super::Disconnected::new(tx));
        let facts = KioskFacts::from_config(config);
        let controller = Controller::install(&app, flow, worker, rx, facts);
        app.show().map_err(|e| format!("cannot show the UI: {e}"))?;
        Ok(Renderer {
            window,
            clock,
            app,
            controller,
            panel_mm: config.ui.screen_width_mm,
            text_size: None,
        })
    }

    /// Renders `scene` in `locale` at `width`×`height` to an RGBA image.
    pub fn render(
        &self,
        scene: &str,
        locale: &str,
        width: u32,
        height: u32,
    ) -> Result<image::RgbaImage, String> {
        self.window.set_size(PhysicalSize::new(width, height));
        if let Some(mm) = self.panel_mm {
            super::scale::apply(self.app.window(), mm);
        }
        {
            let mut flow = self.controller.flow_mut();
            scenes::enter(&mut flow, scene, locale)?;
            if let Some(step) = self.text_size {
                // Three steps in a cycle: at most two presses reach any of them.
                for _ in 0..3 {
                    if flow.session().text_size_step == step {
                        break;
                    }
                    flow.cycle_text_size();
                }
            }
        }
        self.controller
            .set_print_state(scenes::print_state_for(scene));
        self.controller.refresh();
        self.clock.advance();
        slint::platform::update_timers_and_animations();
        let snapshot = self
            .app
            .window()
            .take_snapshot()
            .map_err(|e| format!("cannot render: {e}"))?;
        image::RgbaImage::from_raw(
            snapshot.width(),
            snapshot.height(),
            snapshot.as_bytes().to_vec(),
        )
        .ok_or_else(|| "rendered buffer has the wrong size".to_string())
    }
}

impl Renderer {
    /// One key from a keyboard or a scanner, pressed and released in the scene showing, then
    /// the whole window drawn, as the kiosk does for each key (`guichet bench keys`). Returns
    /// the time to handle the key (Slint's dispatch, the page's key catcher, the flow, the
    /// views set) and the time to draw the window after it.
    pub fn key(&self, text: &str) -> Result<(Duration, Duration), String> {
        let window = self.app.window();
        let started = Instant::now();
        window.dispatch_event(WindowEvent::KeyPressed { text: text.into() });
        window.dispatch_event(WindowEvent::KeyReleased { text: text.into() });
        slint::platform::update_timers_and_animations();
        let handled = started.elapsed();
        let started = Instant::now();
        window
            .take_snapshot()
            .map_err(|e| format!("cannot render: {e}"))?;
        Ok((handled, started.elapsed()))
    }

    /// The flow behind the scenes (what a key typed, for the bench to check).
    pub fn flow(&self) -> std::cell::Ref<'_, Flow> {
        self.controller.flow()
    }
}

/// Renders and writes one PNG.
pub fn write_png(
    renderer: &Renderer,
    scene: &str,
    locale: &str,
    width: u32,
    height: u32,
    out: &Path,
) -> Result<(), String> {
    let img = renderer.render(scene, locale, width, height)?;
    img.save_with_format(out, image::ImageFormat::Png)
        .map_err(|e| format!("cannot write {}: {e}", out.display()))
}
