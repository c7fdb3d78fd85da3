//! `guichet kiosk`: the touchscreen app, fullscreen, with saving, printing and sync off the UI
//! thread. This is where the workers are started and their events routed to the UI.

use std::sync::mpsc::Sender;
use std::sync::{Arc, OnceLock, Weak};

use slint::ComponentHandle;

use super::store_worker::{StoreWorker, load_catalogs};
use super::watchdog::{KioskNotify, StatusBoard};
use crate::config::Config;
use crate::flow::{Flow, FlowSettings};
use crate::i18n::Translations;
use crate::queue::{Store, StoreLocation};
use crate::sync::SyncWorker;
use crate::ui::generated::AppWindow;
use crate::ui::{Controller, KioskFacts, UiEvent};

/// Why the kiosk could not run, in one line for the technician.
#[derive(Debug, thiserror::Error)]
pub enum KioskError {
    /// Neither Wayland nor X11 is available.
    #[error(
        "no display: neither WAYLAND_DISPLAY nor DISPLAY is set. Run the kiosk under cage (see kiosk-image/) or Xvfb (`xvfb-run -s '-screen 0 1920x1080x24' guichet kiosk`), or render screens without a display with `guichet screenshot`"
    )]
    NoDisplay,
    /// The windowing system refused.
    #[error("cannot open the kiosk window: {0}. Check the display, or use `guichet screenshot`")]
    Window(String),
    /// Database or catalogue trouble.
    #[error("{0}")]
    Setup(String),
}

/// Whether a display server is reachable at all (checked before Slint tries, so that a kiosk
/// started without one says so in one line instead of panicking deep in a backend).
pub fn display_available() -> bool {
    let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty());
    set("WAYLAND_DISPLAY") || set("DISPLAY")
}

/// Runs the kiosk until the window closes.
pub fn run(
    config: &Config,
    location: &StoreLocation,
    demo: bool,
    windowed: bool,
) -> Result<(), KioskError> {
    if !display_available() {
        return Err(KioskError::NoDisplay);
    }
    // systemd: MAINPID= now, READY=1 and pings once frames render, STATUS= from the workers.
    let systemd = KioskNotify::from_env(config);
    // Before any worker thread starts, so that they all leave SIGTERM to this one.
    let stopping = systemd.notifier.clone();
    super::shutdown::on_stop_signal(move || {
        if let Some(notifier) = &stopping {
            let _ = notifier.send("STOPPING=1");
        }
        let _ = slint::invoke_from_event_loop(|| {
            let _ = slint::quit_event_loop();
        });
    });
    let setup = |e: crate::queue::StoreError| KioskError::Setup(e.to_string());
    let mut store = Store::open_at(location).map_err(setup)?;
    // Counted for `guichet status`: several starts in one boot mean the kiosk keeps restarting.
    if let Err(e) = store.record_start(&crate::queue::current_boot_id()) {
        tracing::warn!("kiosk start not recorded: {e}");
    }
    // A staff session never outlives the process: practice left by one that ended in a crash
    // or a power cut is erased now, as "Lock" would have.
    match store.delete_practice("kiosk") {
        Ok(0) => {}
        Ok(n) => tracing::info!("erased {n} practice submission(s) left by an ended staff session"),
        Err(e) => tracing::warn!("practice submissions not erased: {e}"),
    }
    if demo {
        store.ensure_demo_catalog().map_err(setup)?;
    }
    let catalogs = load_catalogs(&store, &config.ui.languages).map_err(setup)?;
    if catalogs.is_empty() {
        return Err(KioskError::Setup(
            "no catalogue is cached: run `guichet catalog refresh` or `guichet catalog import FILE` (or start with --demo)".into(),
        ));
    }
    drop(store);
    let tr = Arc::new(Translations::load().map_err(|e| KioskError::Setup(e.to_string()))?);
    let app = AppWindow::new().map_err(|e| KioskError::Window(e.to_string()))?;
    let mut flow = Flow::new(FlowSettings::from_config(config), catalogs, tr);
    flow.set_catch_all_service(config.ui.catch_all_service.clone());
    let (tx, rx) = std::sync::mpsc::channel();
    let printer = Arc::new(spawn_printer(
        config,
        location,
        tx.clone(),
        systemd.status.clone(),
    ));
    // Weak links between the workers, so that dropping `run`'s handles stops them all.
    let sync_link: Arc<OnceLock<Weak<SyncWorker>>> = Arc::new(OnceLock::new());
    let (wake_printer, wake_sync) = (printer.clone(), Arc::clone(&sync_link));
    // "Ask for help": announced at `[help] notify_url`; the resident is told what happened.
    let help_events = tx.clone();
    let help = crate::sync::HelpNotifier::spawn(
        config,
        location.clone(),
        Box::new(move |_id, delivered| {
            let _ = help_events.send(UiEvent::HelpAnswer { delivered });
        }),
    )
    .unwrap_or_else(|e| {
        tracing::error!("{e}: residents asking for help are sent to the desk");
        None
    });
    let worker = Arc::new(StoreWorker::spawn_with_help(
        location.clone(),
        crate::staff::DeskSettings::from_config(config),
        tx.clone(),
        // A new submission: print its receipt and send it now rather than at the next round.
        Box::new(move |_reference| {
            wake_printer.wake();
            if let Some(sync) = wake_sync.get().and_then(Weak::upgrade) {
                sync.sync_now();
            }
        }),
        help,
    ));
    // Fleet metrics: the node_exporter textfile, every minute and after each sync round.
    let metrics = super::metrics::spawn_refresher(Arc::new(config.clone()), location.clone());
    let sync = Arc::new(spawn_sync(
        config,
        location,
        tx,
        Arc::downgrade(&worker),
        systemd.status.clone(),
        metrics.handle(),
    ));
    let _ = sync_link.set(Arc::downgrade(&sync));
    let facts = KioskFacts::from_config(config);
    let controller = Controller::install(&app, flow, Box::new(Arc::clone(&worker)), rx, facts);
    // The loudspeaker's level, as measured at installation: on a thread of its own, so that an
    // amixer that hangs never holds up the first frame (and READY=1).
    if let Some(db) = config.ui.speech_mixer_db {
        let control = config.ui.speech_mixer_control().to_string();
        let spawned = std::thread::Builder::new()
            .name("mixer".into())
            .spawn(move || {
                match super::speech::set_mixer(
                    std::path::Path::new(super::speech::AMIXER),
                    &control,
                    db,
                ) {
                    Ok(()) => {
                        tracing::info!("speech: the loudspeaker's {control} set to {db:.1} dB")
                    }
                    Err(e) => tracing::warn!(
                        "speech: {e}; check ui.speech_mixer_control against `amixer scontrols`"
                    ),
                }
            });
        if let Err(e) = spawned {
            tracing::warn!("speech: the mixer level was not set: {e}");
        }
    }
    // Speech mode's voice (ui/speech.rs starts it); without espeak-ng the kiosk stays silent.
    // The technician's override needs no sensing; otherwise the jack, or a USB headset (which
    // the voice then plays on), decides.
    let headset = (!config.ui.speech_headset).then(|| {
        super::headset::watch_headset(
            super::headset::JackSource::default(),
            std::time::Duration::from_secs(2),
        )
    });
    match super::speech::EspeakSpeaker::spawn_routed(headset.clone()) {
        Ok(speaker) => {
            let mut settings = speech_settings(config);
            settings.headset_jack = headset.map(|h| h.private);
            controller.set_speech(Box::new(speaker), settings)
        }
        Err(e) => tracing::warn!("speech mode unavailable: {e}"),
    }
    // Real millimetres on the configured panel (ui/scale.rs).
    let _scale = config
        .ui
        .screen_width_mm
        .map(|mm| crate::ui::scale::keep(app.as_weak(), mm));
    // Staff's `guichet fleet screenshot`: answered only between residents.
    let _screenshots =
        super::remote_screenshot::install(&app, &controller, location.data_dir.clone());
    // Fullscreen once the compositor has configured the window; READY=1 and watchdog pings
    // after rendered frames.
    let _surface = super::surface::install(&app, !windowed, systemd);
    // Receipts left over from before a restart print now.
    printer.wake();
    app.show().map_err(|e| KioskError::Window(e.to_string()))?;
    if std::env::var_os("GUICHET_BENCH_FIRST_FRAME").is_some() {
        bench_first_frame(&app);
    }
    slint::run_event_loop().map_err(|e| KioskError::Window(e.to_string()))?;
    Ok(())
}

/// What speech mode needs from the configuration.
pub(crate) fn speech_settings(config: &Config) -> crate::flow::speech::SpeechSettings {
    crate::flow::speech::SpeechSettings {
        headset: config.ui.speech_headset,
        headset_jack: None,
        site: config.device.site.clone(),
        help_hours: config.device.help_hours.clone(),
    }
}

/// The sync worker (a no-op reporting "offline only" when no central system is configured),
/// reporting connectivity to the UI and asking the store worker to reload catalogues.
fn spawn_sync(
    config: &Config,
    location: &StoreLocation,
    events: Sender<UiEvent>,
    store: Weak<StoreWorker>,
    status: StatusBoard,
    metrics: super::metrics::RefreshNow,
) -> SyncWorker {
    let events = std::sync::Mutex::new(events);
    let languages = config.ui.languages.clone();
    crate::sync::spawn_sync_worker(Arc::new(config.clone()), location.clone(), move |event| {
        let online = event.connectivity.link == crate::sync::LinkState::Online;
        status.sync_round(&event.connectivity);
        metrics.refresh();
        if let Ok(tx) = events.lock() {
            let _ = tx.send(UiEvent::Online(online));
        }
        if event.catalog_updated
            && let Some(store) = store.upgrade()
        {
            store.reload_catalogs(languages.clone());
        }
    })
}

/// The receipt printer's worker, reporting outcomes to the UI thread.
fn spawn_printer(
    config: &Config,
    location: &StoreLocation,
    events: Sender<UiEvent>,
    status: StatusBoard,
) -> crate::printer::PrintWorker {
    use crate::printer::PrintOutcome;
    let events = std::sync::Mutex::new(events);
    crate::printer::spawn_print_worker(Arc::new(config.clone()), location.clone(), move |event| {
        status.printed(&event.outcome);
        let ok = match event.outcome {
            PrintOutcome::Printed => true,
            PrintOutcome::Failed { .. } => false,
            PrintOutcome::Skipped => return,
        };
        if let Ok(tx) = events.lock() {
            let _ = tx.send(UiEvent::Printed {
                reference: event.reference,
                ok,
            });
        }
    })
}

/// Start-up benchmark: prints time to the first rendered frame and peak memory, then quits.
/// Renderers that report frames are timed exactly; the software renderer does not, so the
/// first event-loop turn after showing the window is used, and memory is read a second later
/// when the window has surely been drawn.
fn bench_first_frame(app: &AppWindow) {
    let report = |label: &str| {
        println!(
            "{}",
            serde_json::json!({
                "event": label,
                "since_start_ms": crate::clock::since_process_start().as_secs_f64() * 1000.0,
                "peak_rss_mb": crate::clock::peak_rss_kib().map(|k| k as f64 / 1024.0),
            })
        );
    };
    let exact = app.window().set_rendering_notifier(move |state, _| {
        if matches!(state, slint::RenderingState::AfterRendering) {
            report("first_frame");
        }
    });
    if exact.is_err() {
        slint::Timer::single_shot(std::time::Duration::ZERO, move || {
            report("event_loop_running")
        });
    }
    slint::Timer::single_shot(std::time::Duration::from_secs(1), move || {
        report("after_1s");
        let _ = slint::quit_event_loop();
    });
}
