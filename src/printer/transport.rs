//! Getting bytes to the printer: a serial port (`serialport`, 8N1, flow control from the config),
//! a `file:` sink that writes each receipt to its own file (the demo, and technicians without a
//! printer), or nothing at all (`none`).
//!
//! The port is opened for one batch of work and closed again, exclusively: a USB adapter that was
//! unplugged and plugged back is found again, and `guichet receipt reprint` cannot interleave its
//! bytes with the kiosk's.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serialport::{ClearBuffer, SerialPort};

use super::status::{FailureReason, PrinterStatus, read_status};
use crate::config::{FlowControl, PrinterConfig};

/// How long each `DLE EOT` query waits for its reply. Printers answer within milliseconds even
/// when busy; a quarter second is generous and keeps a missing printer from stalling the kiosk.
const STATUS_TIMEOUT: Duration = Duration::from_millis(250);
/// Each read inside a status query waits at most this long.
const READ_SLICE: Duration = Duration::from_millis(50);
/// Extra time allowed beyond the wire time of a receipt (printer busy cutting, flow control).
const WRITE_SLACK: Duration = Duration::from_secs(5);

/// Where receipts go, from `printer.port`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    /// `none`: no printer; jobs are marked skipped.
    None,
    /// `file:PATH`: one file per receipt in this directory (relative paths are in the data dir).
    Directory(PathBuf),
    /// A serial device.
    Serial {
        /// e.g. `/dev/ttyUSB0`.
        path: String,
        /// Speed.
        baud: u32,
        /// Handshake.
        flow_control: FlowControl,
    },
}

impl Destination {
    /// Reads `[printer]`.
    pub fn from_config(printer: &PrinterConfig, data_dir: &Path) -> Destination {
        if printer.port == "none" {
            Destination::None
        } else if let Some(path) = printer.port.strip_prefix("file:") {
            Destination::Directory(data_dir.join(path))
        } else {
            Destination::Serial {
                path: printer.port.clone(),
                baud: printer.baud,
                flow_control: printer.flow_control,
            }
        }
    }
}

/// The printer could not be reached.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{detail}")]
pub struct Unavailable {
    /// The stable reason.
    pub reason: FailureReason,
    /// What happened, for technicians.
    pub detail: String,
}

/// An open destination.
pub enum Link {
    /// A directory receiving one file per receipt.
    Directory(PathBuf),
    /// An open serial port.
    Serial {
        /// The port.
        port: Box<dyn SerialPort>,
        /// Its speed, to size write timeouts.
        baud: u32,
    },
}

impl Link {
    /// Opens `destination`. `Ok(None)` for `none`.
    pub fn open(destination: &Destination) -> Result<Option<Link>, Unavailable> {
        match destination {
            Destination::None => Ok(None),
            Destination::Directory(dir) => {
                std::fs::create_dir_all(dir).map_err(|e| Unavailable {
                    reason: FailureReason::Error,
                    detail: format!("cannot create receipt directory {}: {e}", dir.display()),
                })?;
                Ok(Some(Link::Directory(dir.clone())))
            }
            Destination::Serial {
                path,
                baud,
                flow_control,
            } => {
                let flow = match flow_control {
                    FlowControl::None => serialport::FlowControl::None,
                    FlowControl::Software => serialport::FlowControl::Software,
                    FlowControl::Hardware => serialport::FlowControl::Hardware,
                };
                let port = serialport::new(path.as_str(), *baud)
                    .data_bits(serialport::DataBits::Eight)
                    .parity(serialport::Parity::None)
                    .stop_bits(serialport::StopBits::One)
                    .flow_control(flow)
                    .timeout(READ_SLICE)
                    .open()
                    .map_err(|e| Unavailable {
                        reason: FailureReason::NotConnected,
                        detail: format!("cannot open printer port {path}: {e}"),
                    })?;
                // Replies left over from an earlier session must not be read as answers.
                let _ = port.clear(ClearBuffer::All);
                Ok(Some(Link::Serial { port, baud: *baud }))
            }
        }
    }

    /// The printer's status now (a file sink is always ready).
    pub fn status(&mut self) -> PrinterStatus {
        match self {
            Link::Directory(_) => PrinterStatus::always_ready(),
            Link::Serial { port, .. } => {
                let _ = port.clear(ClearBuffer::Input);
                read_status(port.as_mut(), STATUS_TIMEOUT)
            }
        }
    }

    /// Sends one receipt. `name` (e.g. `LIB2-00042-K-7`) names the file for a file sink; the
    /// file appears complete or not at all.
    pub fn send(&mut self, bytes: &[u8], name: &str) -> Result<(), Unavailable> {
        match self {
            Link::Directory(dir) => {
                let file = dir.join(format!("{name}.bin"));
                let temp = dir.join(format!(".{name}.bin.partial"));
                let write = || -> std::io::Result<()> {
                    let mut f = std::fs::File::create(&temp)?;
                    f.write_all(bytes)?;
                    f.sync_all()?;
                    std::fs::rename(&temp, &file)
                };
                write().map_err(|e| Unavailable {
                    reason: FailureReason::Error,
                    detail: format!("cannot write {}: {e}", file.display()),
                })
            }
            Link::Serial { port, baud } => {
                // 8N1: ten bits on the wire per byte.
                let wire = Duration::from_secs_f64(bytes.len() as f64 * 10.0 / f64::from(*baud));
                let _ = port.set_timeout(wire * 2 + WRITE_SLACK);
                let result = port.write_all(bytes).and_then(|()| port.flush());
                let _ = port.set_timeout(READ_SLICE);
                result.map_err(|e| Unavailable {
                    reason: if e.kind() == std::io::ErrorKind::TimedOut {
                        // The printer stopped taking data (flow control held): it is not ready.
                        FailureReason::Error
                    } else {
                        FailureReason::NotConnected
                    },
                    detail: format!("writing to the printer failed: {e}"),
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn destination_follows_the_port_setting() {
        let dir = Path::new("/data");
        let mut p = PrinterConfig::default();
        assert_eq!(Destination::from_config(&p, dir), Destination::None);
        p.port = "file:receipts".into();
        assert_eq!(
            Destination::from_config(&p, dir),
            Destination::Directory("/data/receipts".into())
        );
        p.port = "file:/tmp/r".into();
        assert_eq!(
            Destination::from_config(&p, dir),
            Destination::Directory("/tmp/r".into())
        );
        p.port = "/dev/ttyUSB0".into();
        assert!(matches!(
            Destination::from_config(&p, dir),
            Destination::Serial { baud: 19200, .. }
        ));
    }

    #[test]
    fn a_missing_serial_port_is_not_connected() {
        let d = Destination::Serial {
            path: "/dev/guichet-no-such-port".into(),
            baud: 9600,
            flow_control: FlowControl::None,
        };
        let err = Link::open(&d).err().unwrap();
        assert_eq!(err.reason, FailureReason::NotConnected);
        assert!(err.detail.contains("/dev/guichet-no-such-port"), "{err}");
    }
}
