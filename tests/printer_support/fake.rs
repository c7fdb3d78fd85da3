//! A test printer on the master side of a pseudo-terminal pair: it decodes everything the kiosk
//! sends and answers `DLE EOT` queries like an Epson printer would, in whatever state the test
//! puts it (ready, paper out, cover open, or silent like a printer that is switched off).
//!
//! The kiosk opens the slave side by path, as it would `/dev/ttyUSB0`; the test points a symlink
//! at it, so "unplugging" is removing the symlink and dropping the master, and "plugging back" is a
//! new pair behind the same symlink.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use serialport::{SerialPort, TTYPort};

use super::decoder::{Cmd, Decoder};

/// What the fake printer says about itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Everything fine.
    Ready,
    /// Paper roll nearly empty (still prints).
    NearEnd,
    /// No paper.
    PaperOut,
    /// Cover open.
    CoverOpen,
    /// Powered off: takes bytes, answers nothing.
    Silent,
}

#[derive(Default)]
struct Shared {
    received: Vec<Cmd>,
    raw: Vec<u8>,
}

/// A running fake printer.
pub struct FakePrinter {
    mode: Arc<Mutex<Mode>>,
    shared: Arc<Mutex<Shared>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
    link: PathBuf,
}

fn reply(mode: Mode, n: u8) -> u8 {
    let (offline, cover, paper_stop, near, out) = match mode {
        Mode::Ready | Mode::Silent => (false, false, false, false, false),
        Mode::NearEnd => (false, false, false, true, false),
        Mode::PaperOut => (true, false, true, true, true),
        Mode::CoverOpen => (true, true, false, false, false),
    };
    let bit = |on: bool, b: u8| if on { b } else { 0 };
    0x12 | match n {
        1 => bit(offline, 0x08),
        2 => bit(cover, 0x04) | bit(paper_stop, 0x20),
        3 => 0,
        4 => bit(near, 0x0C) | bit(out, 0x60),
        _ => 0,
    }
}

impl FakePrinter {
    /// Opens a new pseudo-terminal pair, points `link` at its slave side and starts answering.
    pub fn plug_in(link: &Path, mode: Mode) -> FakePrinter {
        let (mut master, slave) = TTYPort::pair().expect("pseudo-terminal pair");
        let slave_path = slave.name().expect("slave has a path");
        // The kiosk opens the slave by path itself, like a real device.
        drop(slave);
        let _ = std::fs::remove_file(link);
        std::os::unix::fs::symlink(&slave_path, link).expect("symlink to the slave");
        master
            .set_timeout(Duration::from_millis(20))
            .expect("timeout");
        let mode = Arc::new(Mutex::new(mode));
        let shared = Arc::new(Mutex::new(Shared::default()));
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let (mode, shared, stop) = (mode.clone(), shared.clone(), stop.clone());
            std::thread::spawn(move || {
                let mut decoder = Decoder::new();
                let mut buf = [0u8; 4096];
                while !stop.load(Ordering::SeqCst) {
                    let n = match master.read(&mut buf) {
                        Ok(n) => n,
                        // EIO while no one has the slave open; timeouts while idle.
                        Err(_) => {
                            std::thread::sleep(Duration::from_millis(5));
                            continue;
                        }
                    };
                    let cmds = decoder.feed(&buf[..n]);
                    let current = *mode.lock().unwrap();
                    for cmd in &cmds {
                        if let Cmd::StatusQuery(q) = cmd
                            && current != Mode::Silent
                        {
                            let _ = master.write_all(&[reply(current, *q)]);
                        }
                    }
                    let mut s = shared.lock().unwrap();
                    s.raw.extend_from_slice(&buf[..n]);
                    s.received.extend(cmds);
                }
                // Dropping the master here is the cable being pulled.
            })
        };
        FakePrinter {
            mode,
            shared,
            stop,
            thread: Some(thread),
            link: link.to_path_buf(),
        }
    }

    /// Changes what it answers.
    pub fn set_mode(&self, mode: Mode) {
        *self.mode.lock().unwrap() = mode;
    }

    /// Everything decoded so far, status queries included.
    pub fn received(&self) -> Vec<Cmd> {
        self.shared.lock().unwrap().received.clone()
    }

    /// Every byte received so far.
    pub fn raw(&self) -> Vec<u8> {
        self.shared.lock().unwrap().raw.clone()
    }

    /// Forgets what was received (between scenarios).
    pub fn clear(&self) {
        let mut s = self.shared.lock().unwrap();
        s.received.clear();
        s.raw.clear();
    }

    /// Waits until `pred` holds for what was received, or panics after `timeout`.
    pub fn wait_for(&self, timeout: Duration, what: &str, pred: impl Fn(&[Cmd]) -> bool) {
        let deadline = Instant::now() + timeout;
        while Instant::now() < deadline {
            if pred(&self.received()) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("fake printer: timed out waiting for {what}");
    }

    /// Pulls the cable: the port disappears.
    pub fn unplug(mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
        let _ = std::fs::remove_file(&self.link);
    }
}

impl Drop for FakePrinter {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
