//! The printer's real-time status (`DLE EOT n`), asked before and after every receipt.
//!
//! A reply byte has bits 1 and 4 set and bits 0 and 7 clear (`0xx1xx10`); anything else that
//! comes back (automatic status messages, XON/XOFF, a reply triggered by `10 04 n` inside image
//! data) is skipped rather than taken for an answer. No answer at all within the timeout means the
//! printer is unplugged or switched off.

use std::io::{self, Read, Write};
use std::time::{Duration, Instant};

use serde::Serialize;

use super::escpos::{StatusKind, status_request};

/// Paper supply, as `printer status --json` reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Paper {
    /// Enough paper.
    Ok,
    /// The near-end sensor fired: a few receipts left.
    NearEnd,
    /// No paper: nothing can print.
    Out,
    /// Not known (no printer, or it did not say).
    Unknown,
}

/// The printer's state. Serialises exactly as `INTERFACE.md` documents:
/// `{"connected":bool,"paper":"ok"|"near_end"|"out"|"unknown","cover_open":bool,"error":bool}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PrinterStatus {
    /// The printer answered.
    pub connected: bool,
    /// Paper supply.
    pub paper: Paper,
    /// The cover is open.
    pub cover_open: bool,
    /// An error (cutter jam, overheating, unrecoverable fault…).
    pub error: bool,
    /// The printer said it is off-line without a cause above (e.g. the feed button is held).
    #[serde(skip)]
    pub offline: bool,
}

/// Why a receipt could not be printed: stable values the touchscreen translates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FailureReason {
    /// No printer answered: unplugged, switched off, or the port does not exist.
    NotConnected,
    /// The printer answered but is off-line.
    Offline,
    /// Out of paper.
    PaperOut,
    /// The cover is open.
    CoverOpen,
    /// A printer error (cutter jam, head too hot…), or writing to it failed.
    Error,
}

impl FailureReason {
    /// One line for people (CLI, logs, `print_jobs.last_error`): what is wrong and what to do.
    pub fn describe(self) -> &'static str {
        match self {
            FailureReason::NotConnected => {
                "printer not connected: check its power and cable (printer.port)"
            }
            FailureReason::Offline => "printer off-line: check its panel lights",
            FailureReason::PaperOut => "printer out of paper: load a new roll",
            FailureReason::CoverOpen => "printer cover open: close it",
            FailureReason::Error => {
                "printer error: clear any jam, then switch the printer off and on"
            }
        }
    }

    /// The stable code stored in `print_jobs.last_error` before the description.
    pub fn code(self) -> &'static str {
        match self {
            FailureReason::NotConnected => "not_connected",
            FailureReason::Offline => "offline",
            FailureReason::PaperOut => "paper_out",
            FailureReason::CoverOpen => "cover_open",
            FailureReason::Error => "error",
        }
    }
}

impl std::fmt::Display for FailureReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.describe())
    }
}

impl PrinterStatus {
    /// Nothing answered.
    pub fn disconnected() -> PrinterStatus {
        PrinterStatus {
            connected: false,
            paper: Paper::Unknown,
            cover_open: false,
            error: false,
            offline: false,
        }
    }

    /// A sink that is always ready (the `file:` demo sink).
    pub fn always_ready() -> PrinterStatus {
        PrinterStatus {
            connected: true,
            paper: Paper::Ok,
            cover_open: false,
            error: false,
            offline: false,
        }
    }

    /// What stops printing now, if anything (the most actionable cause first).
    pub fn problem(&self) -> Option<FailureReason> {
        if !self.connected {
            Some(FailureReason::NotConnected)
        } else if self.paper == Paper::Out {
            Some(FailureReason::PaperOut)
        } else if self.cover_open {
            Some(FailureReason::CoverOpen)
        } else if self.error {
            Some(FailureReason::Error)
        } else if self.offline {
            Some(FailureReason::Offline)
        } else {
            None
        }
    }

    /// Decodes the four `DLE EOT` replies (n = 1, 2, 3, 4); `None` where a query got no answer.
    pub fn from_replies(
        printer: Option<u8>,
        offline_cause: Option<u8>,
        error_cause: Option<u8>,
        paper_sensor: Option<u8>,
    ) -> PrinterStatus {
        let Some(printer) = printer else {
            return PrinterStatus::disconnected();
        };
        let bit = |b: Option<u8>, mask: u8| b.is_some_and(|b| b & mask != 0);
        let paper_end_stop = bit(offline_cause, 0x20);
        let paper = match paper_sensor {
            _ if paper_end_stop => Paper::Out,
            Some(b) if b & 0x60 != 0 => Paper::Out,
            Some(b) if b & 0x0C != 0 => Paper::NearEnd,
            Some(_) => Paper::Ok,
            None => Paper::Unknown,
        };
        PrinterStatus {
            connected: true,
            paper,
            cover_open: bit(offline_cause, 0x04),
            error: bit(offline_cause, 0x40) || bit(error_cause, 0x08 | 0x20 | 0x40),
            offline: printer & 0x08 != 0,
        }
    }
}

/// Whether `b` has the fixed bits of a `DLE EOT` reply.
pub fn is_status_reply(b: u8) -> bool {
    b & 0x93 == 0x12
}

/// Sends `DLE EOT n` and waits up to `timeout` for its reply, skipping bytes that are not one.
/// `Ok(None)`: no reply in time. The port's own read timeout should be short (it bounds each
/// wait inside the loop).
pub fn query<P: Read + Write + ?Sized>(
    port: &mut P,
    kind: StatusKind,
    timeout: Duration,
) -> io::Result<Option<u8>> {
    port.write_all(&status_request(kind))?;
    port.flush()?;
    let deadline = Instant::now() + timeout;
    let mut byte = [0u8; 1];
    while Instant::now() < deadline {
        match port.read(&mut byte) {
            Ok(1) if is_status_reply(byte[0]) => return Ok(Some(byte[0])),
            Ok(1) => continue,
            Ok(_) => std::thread::sleep(Duration::from_millis(10)),
            Err(e) if e.kind() == io::ErrorKind::TimedOut => {}
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                std::thread::sleep(Duration::from_millis(10))
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(None)
}

/// Asks all four statuses. An I/O error (port gone) or no answer reads as disconnected.
pub fn read_status<P: Read + Write + ?Sized>(port: &mut P, timeout: Duration) -> PrinterStatus {
    let mut ask = |kind| query(port, kind, timeout);
    let Ok(Some(printer)) = ask(StatusKind::Printer) else {
        return PrinterStatus::disconnected();
    };
    let offline_cause = ask(StatusKind::OfflineCause).ok().flatten();
    let error_cause = ask(StatusKind::ErrorCause).ok().flatten();
    let paper_sensor = ask(StatusKind::PaperSensor).ok().flatten();
    PrinterStatus::from_replies(Some(printer), offline_cause, error_cause, paper_sensor)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_shape_is_the_documented_one() {
        let s = PrinterStatus::from_replies(Some(0x16), Some(0x12), Some(0x12), Some(0x12 | 0x0C));
        assert_eq!(
            serde_json::to_value(s).unwrap(),
            serde_json::json!({"connected": true, "paper": "near_end", "cover_open": false, "error": false})
        );
        assert_eq!(
            serde_json::to_value(PrinterStatus::disconnected()).unwrap(),
            serde_json::json!({"connected": false, "paper": "unknown", "cover_open": false, "error": false})
        );
    }

    #[test]
    fn reply_bits_map_to_causes() {
        let ok = PrinterStatus::from_replies(Some(0x12), Some(0x12), Some(0x12), Some(0x12));
        assert_eq!(ok.problem(), None);
        assert_eq!(ok.paper, Paper::Ok);
        let out = PrinterStatus::from_replies(Some(0x1A), Some(0x32), Some(0x12), Some(0x72));
        assert_eq!(out.paper, Paper::Out);
        assert_eq!(out.problem(), Some(FailureReason::PaperOut));
        let cover = PrinterStatus::from_replies(Some(0x1A), Some(0x16), Some(0x12), Some(0x12));
        assert_eq!(cover.problem(), Some(FailureReason::CoverOpen));
        let cutter = PrinterStatus::from_replies(Some(0x1A), Some(0x52), Some(0x1A), Some(0x12));
        assert_eq!(cutter.problem(), Some(FailureReason::Error));
        let offline = PrinterStatus::from_replies(Some(0x1A), Some(0x12), Some(0x12), Some(0x12));
        assert_eq!(offline.problem(), Some(FailureReason::Offline));
        let gone = PrinterStatus::from_replies(None, None, None, None);
        assert_eq!(gone.problem(), Some(FailureReason::NotConnected));
    }

    /// A port whose reads return queued bytes, then time out.
    struct Scripted {
        replies: std::collections::VecDeque<u8>,
        written: Vec<u8>,
    }
    impl Read for Scripted {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            match self.replies.pop_front() {
                Some(b) => {
                    buf[0] = b;
                    Ok(1)
                }
                None => Err(io::ErrorKind::TimedOut.into()),
            }
        }
    }
    impl Write for Scripted {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.written.extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn stray_bytes_are_not_taken_for_a_reply() {
        // An automatic status message (0xx1xx00) and an XOFF before the real reply.
        let mut port = Scripted {
            replies: [0x10, 0x00, 0x00, 0x00, 0x13, 0x16].into(),
            written: Vec::new(),
        };
        let reply = query(&mut port, StatusKind::Printer, Duration::from_millis(200)).unwrap();
        assert_eq!(reply, Some(0x16));
        assert_eq!(port.written, [0x10, 0x04, 0x01]);
    }

    #[test]
    fn silence_means_disconnected() {
        let mut port = Scripted {
            replies: Default::default(),
            written: Vec::new(),
        };
        let s = read_status(&mut port, Duration::from_millis(50));
        assert_eq!(s, PrinterStatus::disconnected());
    }
}
