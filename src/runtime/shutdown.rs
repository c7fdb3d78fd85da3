//! Stopping on SIGTERM the way closing the window stops: systemd stops the kiosk with SIGTERM
//! (then SIGKILL after the unit's stop timeout), and the default action would end the process
//! wherever it is: a receipt cut mid-line, a save in flight. Instead the signal ends the event
//! loop; `kiosk::run` then returns and drops its workers, each of which finishes what it is
//! doing (the store worker its queued saves, the print worker its current receipt, closing the
//! port) before the process exits.
//!
//! The signals are blocked in every thread and taken by one thread with `sigwait`, so no signal
//! handler runs at an arbitrary point of another thread.
//!
//! SIGURG is the kiosk unit's `WatchdogSignal=`: when systemd's watchdog fires (no rendered frame
//! in time) systemd sends it, with `KillMode=control-group`, to every process of the unit, then
//! waits up to `TimeoutAbortSec=` for them to leave before SIGKILL. Why SIGURG and not SIGTERM:
//! cage gets it too, and cage 0.1.4's SIGTERM handler is broken, whereas SIGURG's default action
//! is to ignore it (cage and `(sd-pam)` do). Nothing else sends it: the kernel sends SIGURG only
//! for out-of-band data on a socket a process claimed with `F_SETOWN`, which nothing here does.
//! The app takes it as a stop: a kiosk whose compositor stopped presenting frames, or that was
//! merely paused, finishes its work; one whose UI thread is stuck cannot leave its event loop,
//! and is killed at the bound (kiosk-image/README.md, "Watchdog").

/// The kiosk unit's `WatchdogSignal=` (see the module documentation).
pub const WATCHDOG_SIGNAL: libc::c_int = libc::SIGURG;

/// The signals that stop the kiosk.
const STOP_SIGNALS: [libc::c_int; 3] = [libc::SIGTERM, libc::SIGINT, WATCHDOG_SIGNAL];

/// Blocks SIGTERM, SIGINT and the watchdog's SIGURG in this thread and every thread it starts
/// afterwards, and starts the thread that turns them into `on_stop`. Call before starting any
/// other thread.
pub fn on_stop_signal(on_stop: impl FnOnce() + Send + 'static) {
    // SAFETY: sigset_t is plain data initialised by sigemptyset before use; pthread_sigmask and
    // sigwait only read the set and write the signal number we own.
    unsafe {
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        for signal in STOP_SIGNALS {
            libc::sigaddset(&mut set, signal);
        }
        if libc::pthread_sigmask(libc::SIG_BLOCK, &set, std::ptr::null_mut()) != 0 {
            tracing::warn!("cannot block SIGTERM: the kiosk stops without finishing its work");
            return;
        }
        let spawned = std::thread::Builder::new()
            .name("guichet-signals".into())
            .spawn(move || {
                let mut signal: libc::c_int = 0;
                if libc::sigwait(&set, &mut signal) == 0 {
                    if signal == WATCHDOG_SIGNAL {
                        tracing::warn!(
                            "signal {signal} (systemd's watchdog: no frame rendered in time): \
                             finishing current work, then stopping"
                        );
                    } else {
                        tracing::info!("signal {signal}: finishing current work, then stopping");
                    }
                    on_stop();
                }
            });
        if let Err(e) = spawned {
            tracing::warn!("cannot start the signal thread ({e}): SIGTERM is ignored");
        }
    }
}
