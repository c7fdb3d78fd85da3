//! Telling systemd how the kiosk is doing: `READY=1` once the first frame is on screen,
//! `WATCHDOG=1` only after frames were really rendered, `STATUS=` lines a technician reads in
//! `systemctl status`, and `MAINPID=` so that stopping the service reaches the app.
//!
//! Why this is our own code and not a notify library: in the deployed unit the service's main
//! process is the compositor (`cage -- guichet kiosk`), so systemd sets `WATCHDOG_PID` to cage's
//! pid, and a library that pings only when `WATCHDOG_PID` is its own pid never pings (systemd then
//! kills a healthy kiosk every `WatchdogSec`). Here the watchdog is on when `WATCHDOG_PID` names
//! this process *or its parent* (the compositor the unit started), and the unit's
//! `NotifyAccess=all` lets systemd accept the datagrams of a child of the main process.
//!
//! Why `MAINPID=`: cage 0.1.4 (Debian 12) mishandles SIGTERM (its handler gets a wrong pointer
//! and aborts in `wl_display_terminate` now and then). Once the app has declared itself the main
//! process, the unit's `KillMode=mixed` sends SIGTERM to the app only; cage then leaves on its
//! own, cleanly, when its one client is gone.
//!
//! Why pings follow frames and not a timer: a timer on the UI thread proves only that the event
//! loop turns. [`FrameWatchdog`] asks for a redraw when a ping is due and pings after the frame
//! was rendered, so a kiosk whose screen no longer updates (stuck UI thread, a surface the
//! compositor stopped presenting) stops pinging and systemd restarts it. The Slint side of this
//! lives in `runtime::surface`; everything here is plain Rust, tested without a display.

use std::os::unix::net::{SocketAddr, UnixDatagram};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The longest `STATUS=` text sent (systemd shows one line; keep it readable).
pub const STATUS_MAX: usize = 200;

/// Why a notification could not be sent or the environment could not be used.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum NotifyError {
    /// `NOTIFY_SOCKET` is neither an absolute path nor an abstract name (`@…`), or too long.
    #[error(
        "NOTIFY_SOCKET {0:?} is not a socket address (an absolute path or @name of at most 107 bytes)"
    )]
    BadAddress(String),
    /// `WATCHDOG_USEC` is not a positive number of microseconds.
    #[error("WATCHDOG_USEC {0:?} is not a positive number of microseconds")]
    BadTimeout(String),
    /// The datagram could not be sent.
    #[error("cannot notify systemd: {0}")]
    Send(String),
}

/// A connection to systemd's notification socket (`NOTIFY_SOCKET`).
#[derive(Debug)]
pub struct Notifier {
    socket: UnixDatagram,
    address: SocketAddr,
}

impl Notifier {
    /// The notifier of this process, when started by systemd with `Type=notify`.
    pub fn from_env() -> Result<Option<Notifier>, NotifyError> {
        match std::env::var("NOTIFY_SOCKET") {
            Ok(value) if !value.is_empty() => Notifier::new(&value).map(Some),
            _ => Ok(None),
        }
    }

    /// A notifier for `address`: an absolute socket path, or `@name` for the abstract namespace.
    pub fn new(address: &str) -> Result<Notifier, NotifyError> {
        let bad = || NotifyError::BadAddress(address.chars().take(120).collect());
        if address.len() > 107 {
            return Err(bad());
        }
        let address = if let Some(name) = address.strip_prefix('@') {
            use std::os::linux::net::SocketAddrExt;
            SocketAddr::from_abstract_name(name.as_bytes()).map_err(|_| bad())?
        } else if address.starts_with('/') {
            SocketAddr::from_pathname(address).map_err(|_| bad())?
        } else {
            return Err(bad());
        };
        let socket = UnixDatagram::unbound().map_err(|e| NotifyError::Send(e.to_string()))?;
        Ok(Notifier { socket, address })
    }

    /// Sends one notification (newline-separated `KEY=value` assignments).
    pub fn send(&self, message: &str) -> Result<(), NotifyError> {
        self.socket
            .send_to_addr(message.as_bytes(), &self.address)
            .map(|_| ())
            .map_err(|e| NotifyError::Send(e.to_string()))
    }
}

/// The watchdog timeout systemd expects pings within, from `WATCHDOG_USEC` and `WATCHDOG_PID`.
///
/// `None` when there is no watchdog, or when `WATCHDOG_PID` names a process that is neither this
/// one (`own_pid`) nor its parent (`parent_pid`, the compositor started by the unit): then the
/// watchdog is somebody else's to feed.
pub fn watchdog_timeout(
    usec: Option<&str>,
    pid: Option<&str>,
    own_pid: u32,
    parent_pid: u32,
) -> Result<Option<Duration>, NotifyError> {
    let Some(usec) = usec.map(str::trim).filter(|u| !u.is_empty()) else {
        return Ok(None);
    };
    let micros: u64 = usec
        .parse()
        .ok()
        .filter(|&m| m > 0)
        .ok_or_else(|| NotifyError::BadTimeout(usec.chars().take(40).collect()))?;
    if let Some(pid) = pid.map(str::trim).filter(|p| !p.is_empty()) {
        match pid.parse::<u32>() {
            Ok(p) if p == own_pid || p == parent_pid => {}
            _ => return Ok(None),
        }
    }
    Ok(Some(Duration::from_micros(micros)))
}

/// [`watchdog_timeout`] for this process.
pub fn watchdog_timeout_from_env() -> Result<Option<Duration>, NotifyError> {
    let usec = std::env::var("WATCHDOG_USEC").ok();
    let pid = std::env::var("WATCHDOG_PID").ok();
    watchdog_timeout(
        usec.as_deref(),
        pid.as_deref(),
        std::process::id(),
        std::os::unix::process::parent_id(),
    )
}

/// What to tell systemd after a rendered frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// The first frame is on screen.
    Ready,
    /// Another frame was rendered since the last ping.
    Ping,
}

/// When to ping: a redraw is asked for when a ping is due, and the ping goes out after the frame
/// was rendered. Frames rendered for other reasons (touches, animations) count as well, at most
/// one ping per period.
#[derive(Debug, Clone)]
pub struct FrameWatchdog {
    period: Option<Duration>,
    ready_sent: bool,
    last_notice: Option<Instant>,
}

impl FrameWatchdog {
    /// Pings every `timeout / 4` while frames render (`None`: only `READY=1` is sent). A quarter
    /// leaves room for a redraw to wait for the compositor and for a busy machine.
    pub fn new(timeout: Option<Duration>) -> FrameWatchdog {
        FrameWatchdog {
            period: timeout.map(|t| (t / 4).max(Duration::from_millis(10))),
            ready_sent: false,
            last_notice: None,
        }
    }

    /// How often [`FrameWatchdog::tick`] should run, when a watchdog is on.
    pub fn period(&self) -> Option<Duration> {
        self.period
    }

    fn due(&self, now: Instant) -> bool {
        match (self.period, self.last_notice) {
            _ if !self.ready_sent => true,
            (Some(period), Some(last)) => now.saturating_duration_since(last) >= period,
            (Some(_), None) => true,
            (None, _) => false,
        }
    }

    /// Called by a periodic timer: whether to ask the window for a redraw, because a ping (or
    /// the first `READY=1`) is due and only a rendered frame may send it.
    pub fn tick(&self, now: Instant) -> bool {
        self.due(now)
    }

    /// Called once a frame was rendered: what to send, if anything.
    pub fn frame_rendered(&mut self, now: Instant) -> Option<Notice> {
        if !self.ready_sent {
            self.ready_sent = true;
            self.last_notice = Some(now);
            return Some(Notice::Ready);
        }
        if self.due(now) {
            self.last_notice = Some(now);
            return Some(Notice::Ping);
        }
        None
    }
}

/// The receipt printer, as `STATUS=` shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PrinterState {
    /// No job printed or failed yet since the start.
    #[default]
    Unknown,
    /// `printer.port = "none"`.
    NotConfigured,
    /// The last receipt printed.
    Ok,
    /// The last receipt failed: what is wrong, in one line.
    Failing(&'static str),
}

/// What the kiosk is doing, for technicians (`systemctl status guichet-kiosk`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KioskStatus {
    /// `online`, `offline`, `captive_portal` or `offline only`; `None` until the first round.
    pub link: Option<&'static str>,
    /// Submissions not yet accepted by the council.
    pub pending: Option<u64>,
    /// Submissions the council refused.
    pub rejected: Option<u64>,
    /// The printer.
    pub printer: PrinterState,
}

impl KioskStatus {
    /// The `STATUS=` text: one line, bounded.
    pub fn line(&self) -> String {
        let mut parts = vec![
            self.link
                .unwrap_or("connection not checked yet")
                .to_string(),
        ];
        match (self.pending, self.rejected) {
            (Some(p), Some(r)) => parts.push(format!("{p} pending, {r} rejected")),
            (Some(p), None) => parts.push(format!("{p} pending")),
            _ => {}
        }
        parts.push(match self.printer {
            PrinterState::Unknown => "printer not used yet".to_string(),
            PrinterState::NotConfigured => "no printer configured".to_string(),
            PrinterState::Ok => "printer ok".to_string(),
            PrinterState::Failing(why) => why.to_string(),
        });
        let mut line = parts.join("; ");
        line.retain(|c| c != '\n' && c != '\r');
        if line.len() > STATUS_MAX {
            let mut cut = STATUS_MAX;
            while !line.is_char_boundary(cut) {
                cut -= 1;
            }
            line.truncate(cut);
        }
        line
    }
}

/// The status, shared by the workers that learn about it; sends `STATUS=` whenever the line
/// changes. Cheap to clone; does nothing when not run by systemd.
#[derive(Debug, Clone)]
pub struct StatusBoard {
    inner: Arc<Mutex<(KioskStatus, String)>>,
    notifier: Option<Arc<Notifier>>,
}

impl StatusBoard {
    /// A board that notifies through `notifier` (if any), starting from `initial`.
    pub fn new(notifier: Option<Arc<Notifier>>, initial: KioskStatus) -> StatusBoard {
        let line = initial.line();
        StatusBoard {
            inner: Arc::new(Mutex::new((initial, line))),
            notifier,
        }
    }

    /// The current line.
    pub fn line(&self) -> String {
        match self.inner.lock() {
            Ok(guard) => guard.1.clone(),
            Err(poisoned) => poisoned.into_inner().1.clone(),
        }
    }

    /// Changes the status; sends the new line if it differs.
    pub fn update(&self, change: impl FnOnce(&mut KioskStatus)) {
        let mut guard = match self.inner.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        change(&mut guard.0);
        let line = guard.0.line();
        if line == guard.1 {
            return;
        }
        guard.1 = line;
        if let Some(notifier) = &self.notifier
            && let Err(e) = notifier.send(&format!("STATUS={}", guard.1))
        {
            tracing::debug!("{e}");
        }
    }
}

impl StatusBoard {
    /// A sync round's news: link, pending and rejected counts.
    pub fn sync_round(&self, connectivity: &crate::sync::Connectivity) {
        self.update(|s| {
            s.link = Some(if connectivity.central_configured {
                connectivity.link.as_str()
            } else {
                "offline only"
            });
            s.pending = Some(connectivity.pending);
            s.rejected = Some(connectivity.rejected);
        });
    }

    /// A receipt's fate.
    pub fn printed(&self, outcome: &crate::printer::PrintOutcome) {
        use crate::printer::PrintOutcome;
        self.update(|s| {
            s.printer = match outcome {
                PrintOutcome::Printed => PrinterState::Ok,
                PrintOutcome::Failed { reason } => PrinterState::Failing(reason.describe()),
                PrintOutcome::Skipped => PrinterState::NotConfigured,
            }
        });
    }
}

/// What the kiosk's wiring gets from this module: the notify socket (when started by systemd),
/// the watchdog timeout (when systemd set one for us), and the status board the workers update.
#[derive(Debug, Clone)]
pub struct KioskNotify {
    /// `NOTIFY_SOCKET`, if set and usable.
    pub notifier: Option<Arc<Notifier>>,
    /// The watchdog timeout, if this process is to feed it.
    pub watchdog_timeout: Option<Duration>,
    /// `STATUS=`.
    pub status: StatusBoard,
}

impl KioskNotify {
    /// From the environment systemd sets; sends `MAINPID=` at once. Problems are logged, never
    /// fatal: a kiosk without systemd's notifications still serves residents.
    pub fn from_env(config: &crate::config::Config) -> KioskNotify {
        let notifier = Notifier::from_env()
            .unwrap_or_else(|e| {
                tracing::warn!("{e}");
                None
            })
            .map(Arc::new);
        if let Some(notifier) = &notifier {
            // Before anything else: from now on a stop's SIGTERM comes to us, not to cage.
            if let Err(e) = notifier.send(&main_pid_datagram()) {
                tracing::warn!("{e}");
            }
        }
        let watchdog_timeout = watchdog_timeout_from_env().unwrap_or_else(|e| {
            tracing::warn!("{e}");
            None
        });
        let initial = KioskStatus {
            printer: if config.printer.port == "none" {
                PrinterState::NotConfigured
            } else {
                PrinterState::Unknown
            },
            ..KioskStatus::default()
        };
        KioskNotify {
            status: StatusBoard::new(notifier.clone(), initial),
            notifier,
            watchdog_timeout,
        }
    }
}

/// The datagram for `notice`: `READY=1` carries the status line.
pub fn datagram(notice: &Notice, status: &StatusBoard) -> String {
    match notice {
        Notice::Ready => format!("READY=1\nSTATUS={}", status.line()),
        Notice::Ping => "WATCHDOG=1".to_string(),
    }
}

/// For a screen other than the kiosk run under cage (the out-of-order screen): sends `MAINPID=`
/// when started by systemd, so that its unit's stop reaches this process and not cage. Problems
/// are logged, never fatal.
pub fn declare_main_process() {
    match Notifier::from_env() {
        Ok(Some(notifier)) => {
            if let Err(e) = notifier.send(&main_pid_datagram()) {
                tracing::warn!("{e}");
            }
        }
        Ok(None) => {}
        Err(e) => tracing::warn!("{e}"),
    }
}

/// The datagram that makes this process the service's main process (`MAINPID=`), sent as soon
/// as the kiosk starts so that a stop's SIGTERM reaches the app and not cage (see the module
/// documentation). A no-op for systemd when the app already is the main process.
pub fn main_pid_datagram() -> String {
    format!("MAINPID={}", std::process::id())
}

/// A test-only way to stall the UI thread, so that a test can show that a live process with a
/// frozen screen stops feeding the watchdog: while the file named by `GUICHET_TEST_STALL_FILE`
/// exists, the UI thread sleeps (it writes `stalled` into the file first, so the test knows when
/// the stall began). Compiled into debug builds only (the ones tests run); release builds, the
/// ones kiosks run, do not have it.
#[cfg(debug_assertions)]
pub fn test_stall_point() {
    let Some(path) = std::env::var_os("GUICHET_TEST_STALL_FILE") else {
        return;
    };
    let path = std::path::PathBuf::from(path);
    if path.exists() {
        let _ = std::fs::write(&path, b"stalled");
    }
    while path.exists() {
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Release builds: nothing.
#[cfg(not(debug_assertions))]
pub fn test_stall_point() {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn watchdog_is_fed_when_watchdog_pid_is_us_or_our_parent_compositor() {
        let t = |usec, pid| watchdog_timeout(usec, pid, 200, 100);
        assert_eq!(
            t(Some("30000000"), Some("200")),
            Ok(Some(Duration::from_secs(30)))
        );
        // cage is the unit's main process: WATCHDOG_PID names our parent.
        assert_eq!(
            t(Some("30000000"), Some("100")),
            Ok(Some(Duration::from_secs(30)))
        );
        assert_eq!(t(Some("30000000"), None), Ok(Some(Duration::from_secs(30))));
        // Somebody else's watchdog.
        assert_eq!(t(Some("30000000"), Some("300")), Ok(None));
        assert_eq!(t(Some("30000000"), Some("x")), Ok(None));
        assert_eq!(t(None, Some("200")), Ok(None));
        assert_eq!(t(Some(""), None), Ok(None));
        assert!(matches!(
            t(Some("0"), None),
            Err(NotifyError::BadTimeout(_))
        ));
        assert!(matches!(
            t(Some("-5"), None),
            Err(NotifyError::BadTimeout(_))
        ));
    }

    #[test]
    fn ready_after_the_first_frame_then_one_ping_per_period_of_rendered_frames() {
        let start = Instant::now();
        let at = |ms| start + Duration::from_millis(ms);
        let mut wd = FrameWatchdog::new(Some(Duration::from_millis(4000)));
        assert_eq!(wd.period(), Some(Duration::from_millis(1000)));
        // Before the first frame, a redraw is always wanted and READY comes with the frame.
        assert!(wd.tick(at(0)));
        assert_eq!(wd.frame_rendered(at(10)), Some(Notice::Ready));
        // Frames within the period send nothing, and no redraw is asked for.
        assert!(!wd.tick(at(500)));
        assert_eq!(wd.frame_rendered(at(600)), None);
        // A ping is due: the tick asks for a frame, the frame sends the ping.
        assert!(wd.tick(at(1010)));
        assert_eq!(wd.frame_rendered(at(1020)), Some(Notice::Ping));
        assert!(!wd.tick(at(1500)));
        // No frame, no ping, however many ticks pass (a stalled screen).
        assert!(wd.tick(at(5000)));
        assert!(wd.tick(at(9000)));
        assert_eq!(wd.frame_rendered(at(9100)), Some(Notice::Ping));
    }

    #[test]
    fn without_a_watchdog_only_ready_is_sent() {
        let start = Instant::now();
        let mut wd = FrameWatchdog::new(None);
        assert_eq!(wd.period(), None);
        assert!(wd.tick(start));
        assert_eq!(wd.frame_rendered(start), Some(Notice::Ready));
        assert!(!wd.tick(start + Duration::from_secs(3600)));
        assert_eq!(wd.frame_rendered(start + Duration::from_secs(3600)), None);
    }

    #[test]
    fn status_line_says_link_queue_and_printer_in_one_bounded_line() {
        let mut s = KioskStatus::default();
        assert_eq!(s.line(), "connection not checked yet; printer not used yet");
        s.link = Some("online");
        s.pending = Some(3);
        s.rejected = Some(1);
        s.printer = PrinterState::Failing("printer out of paper: load a new roll");
        assert_eq!(
            s.line(),
            "online; 3 pending, 1 rejected; printer out of paper: load a new roll"
        );
        s.printer = PrinterState::Failing("a\nb");
        assert!(!s.line().contains('\n'));
        s.printer = PrinterState::Failing(
            "ééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééé",
        );
        assert!(s.line().len() <= STATUS_MAX);
    }

    fn listener(dir: &std::path::Path) -> (UnixDatagram, String) {
        let path = dir.join("notify.sock");
        let socket = UnixDatagram::bind(&path).unwrap();
        socket
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        (socket, path.to_str().unwrap().to_string())
    }

    fn receive(socket: &UnixDatagram) -> String {
        let mut buf = [0u8; 512];
        let n = socket.recv(&mut buf).unwrap();
        String::from_utf8_lossy(&buf[..n]).into_owned()
    }

    #[test]
    fn notifications_reach_a_listening_socket_path_and_status_only_when_it_changes() {
        let dir = crate::fsutil::test_dir("watchdog");
        let (socket, address) = listener(&dir);
        let notifier = Arc::new(Notifier::new(&address).unwrap());
        let board = StatusBoard::new(
            Some(notifier.clone()),
            KioskStatus {
                printer: PrinterState::NotConfigured,
                ..KioskStatus::default()
            },
        );
        notifier.send(&main_pid_datagram()).unwrap();
        assert_eq!(receive(&socket), format!("MAINPID={}", std::process::id()));
        notifier.send(&datagram(&Notice::Ready, &board)).unwrap();
        assert_eq!(
            receive(&socket),
            "READY=1\nSTATUS=connection not checked yet; no printer configured"
        );
        board.update(|s| {
            s.link = Some("offline");
            s.pending = Some(2);
        });
        assert_eq!(
            receive(&socket),
            "STATUS=offline; 2 pending; no printer configured"
        );
        // Same line: nothing sent; the next datagram is the ping.
        board.update(|s| s.pending = Some(2));
        notifier.send(&datagram(&Notice::Ping, &board)).unwrap();
        assert_eq!(receive(&socket), "WATCHDOG=1");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn abstract_socket_names_work_and_bad_addresses_are_refused() {
        use std::os::linux::net::SocketAddrExt;
        let name = format!("guichet-watchdog-test-{}", std::process::id());
        let addr = SocketAddr::from_abstract_name(name.as_bytes()).unwrap();
        let socket = UnixDatagram::bind_addr(&addr).unwrap();
        socket
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        Notifier::new(&format!("@{name}"))
            .unwrap()
            .send("WATCHDOG=1")
            .unwrap();
        assert_eq!(receive(&socket), "WATCHDOG=1");
        for bad in ["relative/path", "", &format!("/{}", "x".repeat(200))] {
            assert!(matches!(
                Notifier::new(bad),
                Err(NotifyError::BadAddress(_))
            ));
        }
        // Nobody listening: an error, not a panic.
        let gone = Notifier::new("/nonexistent/guichet/notify.sock").unwrap();
        assert!(matches!(gone.send("WATCHDOG=1"), Err(NotifyError::Send(_))));
    }
}
