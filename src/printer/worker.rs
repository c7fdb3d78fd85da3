//! The background print worker the touchscreen starts: one std thread with its own [`Store`]
//! connection and [`Printer`], printing pending receipts as they come and retrying them when the
//! printer comes back.
//!
//! The UI's whole surface is [`spawn_print_worker`], [`PrintWorker::wake`] (call it right after
//! `Store::enqueue`), [`PrintWorker::status`] (last known, never blocks on the port) and the
//! [`PrintEvent`]s delivered to the callback (on the worker thread: hop to the UI thread there,
//! e.g. with `slint::invoke_from_event_loop`). Dropping the worker stops it.

use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::Duration;

use super::engine::{PrintEvent, Printer};
use super::status::PrinterStatus;
use crate::config::Config;
use crate::queue::Store;
use crate::queue::StoreLocation;

/// While receipts wait for the printer, look again this often.
pub const RETRY_INTERVAL: Duration = Duration::from_secs(3);
/// With nothing to print, refresh the status this often (for the UI's "printer ready" light).
pub const IDLE_POLL_INTERVAL: Duration = Duration::from_secs(30);

enum Message {
    Wake,
    Stop,
}

/// Handle on the running worker. Dropping it stops the thread (after the job in progress).
pub struct PrintWorker {
    sender: mpsc::Sender<Message>,
    status: Arc<Mutex<PrinterStatus>>,
    thread: Option<JoinHandle<()>>,
}

/// Starts the worker. `on_event` is called on the worker thread for each job's outcome.
pub fn spawn_print_worker(
    config: Arc<Config>,
    location: StoreLocation,
    on_event: impl Fn(PrintEvent) + Send + 'static,
) -> PrintWorker {
    let (sender, receiver) = mpsc::channel();
    let status = Arc::new(Mutex::new(PrinterStatus::disconnected()));
    let shared = Arc::clone(&status);
    let thread = std::thread::Builder::new()
        .name("guichet-printer".into())
        .spawn(move || run(config, location, receiver, shared, on_event));
    let thread = match thread {
        Ok(handle) => Some(handle),
        Err(e) => {
            tracing::error!("cannot start the print worker: {e}");
            None
        }
    };
    PrintWorker {
        sender,
        status,
        thread,
    }
}

impl PrintWorker {
    /// Print pending receipts now rather than at the next poll.
    pub fn wake(&self) {
        let _ = self.sender.send(Message::Wake);
    }

    /// The printer's status as last seen by the worker.
    pub fn status(&self) -> PrinterStatus {
        *self.status.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Drop for PrintWorker {
    fn drop(&mut self) {
        let _ = self.sender.send(Message::Stop);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn run(
    config: Arc<Config>,
    location: StoreLocation,
    receiver: mpsc::Receiver<Message>,
    status: Arc<Mutex<PrinterStatus>>,
    on_event: impl Fn(PrintEvent),
) {
    let mut printer = match Printer::new(Arc::clone(&config), location.data_dir.clone()) {
        Ok(p) => p,
        Err(e) => {
            // A kiosk with a misspelt profile still prints, with the 80 mm Epson defaults.
            tracing::error!("{e}; printing with the default profile");
            let mut fallback = (*config).clone();
            fallback.printer.profile = "default".into();
            match Printer::new(Arc::new(fallback), location.data_dir.clone()) {
                Ok(p) => p,
                Err(e) => {
                    tracing::error!("print worker cannot start: {e}");
                    return;
                }
            }
        }
    };
    let observed = Arc::clone(&status);
    printer.observe_status(move |now| {
        *observed.lock().unwrap_or_else(PoisonError::into_inner) = now;
    });
    let mut store: Option<Store> = None;
    loop {
        let mut waiting = false;
        if store.is_none() {
            store = Store::open_at(&location)
                .map_err(|e| tracing::error!("print worker cannot open the queue: {e}"))
                .ok();
        }
        if let Some(s) = &store {
            let mut emit = |event: PrintEvent| on_event(event);
            match printer.print_pending(s, &mut emit) {
                Ok(_) => {
                    waiting = s
                        .pending_print_jobs()
                        .map(|j| !j.is_empty())
                        .unwrap_or(true);
                }
                Err(e) => {
                    tracing::error!("print worker: {e}");
                    store = None;
                    waiting = true;
                }
            }
        }
        let pause = if waiting {
            RETRY_INTERVAL
        } else {
            IDLE_POLL_INTERVAL
        };
        match receiver.recv_timeout(pause) {
            Ok(Message::Wake) | Err(RecvTimeoutError::Timeout) => {}
            Ok(Message::Stop) | Err(RecvTimeoutError::Disconnected) => return,
        }
        // Several wakes while busy mean one more round, not several.
        while let Ok(message) = receiver.try_recv() {
            if let Message::Stop = message {
                return;
            }
        }
    }
}
