//! The kiosk window on its compositor: fullscreen that sticks, and the watchdog fed by frames.
//!
//! Fullscreen: a window that asks for fullscreen while it is created gets, from cage 0.1.4, a
//! first configure of 0×0 without the fullscreen state; Slint's winit adapter takes that as "not
//! fullscreen" and sends `unset_fullscreen`, and the kiosk ends up maximised. So the kiosk asks
//! winit directly, once the compositor has configured the window with a real size (and again on
//! the next configures if the request was lost, a few times at most). Slint then learns the
//! state from the compositor's answer instead of fighting it.
//!
//! A bare X server (no window manager: `xinit guichet`, or Xvfb) honours no fullscreen request
//! and sends no configure: the window keeps winit's default size in a corner, or hangs off a
//! 1024×600 panel. So after the first frame, on X11, a window that does not cover its monitor
//! is placed at the monitor's origin and given the monitor's size by the kiosk itself (under a
//! window manager the fullscreen request has already made that a no-op).
//!
//! Watchdog: a winit event filter sees every `RedrawRequested`; Slint renders right after the
//! filter returns, and a zero-delay timer then runs on the next turn of the event loop, after the
//! frame was drawn and handed to the compositor. That is where [`FrameWatchdog`] decides to send
//! `READY=1` or `WATCHDOG=1`. A timer asks for a redraw whenever a ping is due, so an idle screen
//! still renders (nearly nothing: the software renderer redraws only what changed) once per
//! period. No frame, no ping: a stuck UI thread or a surface the compositor no longer presents
//! gets the kiosk restarted. The systemd side is plain Rust in [`super::watchdog`].

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::sync::Arc;
use std::time::{Duration, Instant};

use slint::winit_030::{EventResult, WinitWindowAccessor, winit};

use super::watchdog::{FrameWatchdog, KioskNotify, Notifier, StatusBoard, datagram};

/// How many times fullscreen is asked for before the kiosk accepts what the compositor gives.
const FULLSCREEN_REQUESTS_MAX: u8 = 3;

/// How often the timer checks whether a frame is due when systemd set no watchdog: only to send
/// `READY=1` should the first frame not come by itself.
const IDLE_TICK: Duration = Duration::from_secs(1);

/// Keeps the hooks alive; drop it to remove the timer.
pub struct SurfaceHooks {
    _tick: Option<slint::Timer>,
}

struct State {
    window: slint::Weak<crate::ui::generated::AppWindow>,
    want_fullscreen: bool,
    fullscreen_requests: Cell<u8>,
    /// Whether the first frame's check that the window covers its monitor was made.
    filled: Cell<bool>,
    watchdog: RefCell<FrameWatchdog>,
    notifier: Option<Arc<Notifier>>,
    status: StatusBoard,
}

impl State {
    /// After a frame was rendered: `READY=1` / `WATCHDOG=1` when due.
    fn after_frame(&self) {
        super::metrics::frame_rendered();
        if self.want_fullscreen && !self.filled.replace(true) {
            self.fill_monitor_on_bare_x();
        }
        let notice = self.watchdog.borrow_mut().frame_rendered(Instant::now());
        if let (Some(notice), Some(notifier)) = (notice, &self.notifier)
            && let Err(e) = notifier.send(&datagram(&notice, &self.status))
        {
            tracing::warn!("{e}");
        }
    }

    /// The compositor configured the window with `size`: ask for fullscreen if it is not yet.
    fn configured(&self, window: &slint::Window, size: winit::dpi::PhysicalSize<u32>) {
        if !self.want_fullscreen || size.width == 0 || size.height == 0 {
            return;
        }
        let requests = self.fullscreen_requests.get();
        let asked = window.with_winit_window(|w| {
            if w.fullscreen().is_some() {
                return false;
            }
            if requests >= FULLSCREEN_REQUESTS_MAX {
                return false;
            }
            w.set_fullscreen(Some(winit::window::Fullscreen::Borderless(None)));
            true
        });
        if asked == Some(true) {
            self.fullscreen_requests.set(requests + 1);
            tracing::debug!(
                "fullscreen requested at {}x{} (request {})",
                size.width,
                size.height,
                requests + 1
            );
        } else if asked == Some(false) && requests > 0 {
            let fullscreen = window
                .with_winit_window(|w| w.fullscreen().is_some())
                .unwrap_or(false);
            if fullscreen {
                tracing::info!("fullscreen at {}x{}", size.width, size.height);
            } else {
                tracing::warn!(
                    "the compositor did not make the kiosk fullscreen; it is {}x{}",
                    size.width,
                    size.height
                );
            }
        }
    }

    /// On X11, a window that does not cover its monitor after the first frame: fullscreen was
    /// asked for and nobody honoured it (no window manager), so the kiosk sizes itself.
    fn fill_monitor_on_bare_x(&self) {
        if std::env::var_os("WAYLAND_DISPLAY").is_some() {
            return;
        }
        let Some(app) = self.window.upgrade() else {
            return;
        };
        use slint::ComponentHandle;
        app.window().with_winit_window(|w| {
            let Some(monitor) = w.current_monitor().or_else(|| w.primary_monitor()) else {
                return;
            };
            let (size, origin) = (monitor.size(), monitor.position());
            let outer = w.outer_position().ok();
            if w.inner_size() == size && outer.is_none_or(|p| p == origin) {
                return;
            }
            if w.fullscreen().is_none() {
                w.set_fullscreen(Some(winit::window::Fullscreen::Borderless(Some(
                    monitor.clone(),
                ))));
            }
            w.set_outer_position(origin);
            let _ = w.request_inner_size(size);
            tracing::info!(
                "filled the screen at {}x{} (no window manager made the kiosk fullscreen)",
                size.width,
                size.height
            );
        });
    }

    /// The periodic timer: ask for a frame when a ping is due.
    fn tick(&self) {
        super::watchdog::test_stall_point();
        if self.watchdog.borrow().tick(Instant::now())
            && let Some(app) = self.window.upgrade()
        {
            use slint::ComponentHandle;
            app.window().request_redraw();
        }
    }
}

/// Installs the fullscreen and watchdog hooks on the kiosk window (before `show()`).
pub fn install(
    app: &crate::ui::generated::AppWindow,
    want_fullscreen: bool,
    systemd: KioskNotify,
) -> SurfaceHooks {
    use slint::ComponentHandle;
    let KioskNotify {
        notifier,
        watchdog_timeout,
        status,
    } = systemd;
    let watchdog = FrameWatchdog::new(watchdog_timeout);
    // Ticks at half the ping period, so that pings come between one and one and a half periods
    // apart (plus the time a frame takes).
    let tick_every = watchdog.period().map_or(IDLE_TICK, |p| p / 2);
    let notifying = notifier.is_some();
    let state = Rc::new(State {
        window: app.as_weak(),
        want_fullscreen,
        fullscreen_requests: Cell::new(0),
        filled: Cell::new(false),
        watchdog: RefCell::new(watchdog),
        notifier,
        status,
    });
    let filter_state = state.clone();
    app.window().on_winit_window_event(move |window, event| {
        match event {
            winit::event::WindowEvent::RedrawRequested => {
                let state = filter_state.clone();
                slint::Timer::single_shot(Duration::ZERO, move || state.after_frame());
            }
            winit::event::WindowEvent::Resized(size) => filter_state.configured(window, *size),
            _ => {}
        }
        EventResult::Propagate
    });
    // Not started by systemd: nobody to tell, no timer.
    let tick = notifying.then(|| {
        let tick = slint::Timer::default();
        tick.start(slint::TimerMode::Repeated, tick_every, move || state.tick());
        tick
    });
    SurfaceHooks { _tick: tick }
}
