//! The kiosk's local UTC offset, read once at start-up.
//!
//! `time` can only read the local offset safely while the process is single-threaded, so `main`
//! calls [`init_local_offset`] before any thread starts; everything else reads the cached value.

use std::sync::OnceLock;

use time::UtcOffset;

static LOCAL_OFFSET: OnceLock<UtcOffset> = OnceLock::new();
static PROCESS_START: OnceLock<std::time::Instant> = OnceLock::new();

/// Marks the start of the process (called first thing in `main`), for start-up benchmarks.
pub fn mark_process_start() {
    let _ = PROCESS_START.get_or_init(std::time::Instant::now);
}

/// Time since [`mark_process_start`].
pub fn since_process_start() -> std::time::Duration {
    PROCESS_START.get_or_init(std::time::Instant::now).elapsed()
}

/// Peak resident memory of this process (`VmHWM`), in KiB, where Linux reports it.
pub fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Reads and caches the local offset (UTC when it cannot be determined).
pub fn init_local_offset() {
    let offset = UtcOffset::current_local_offset().unwrap_or(UtcOffset::UTC);
    let _ = LOCAL_OFFSET.set(offset);
}

/// The cached local offset (UTC before [`init_local_offset`] ran).
pub fn local_offset() -> UtcOffset {
    LOCAL_OFFSET.get().copied().unwrap_or(UtcOffset::UTC)
}

/// RFC 3339 in whole seconds, the one format the database and the wire use for times.
pub fn rfc3339(t: time::OffsetDateTime) -> String {
    t.replace_nanosecond(0)
        .unwrap_or(t)
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}
