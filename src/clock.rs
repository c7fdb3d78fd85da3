//! The kiosk's local UTC offset, read once at start-up.
//!
//! `time` can only read the local offset safely while the process is single-threaded, so `main`
//! calls [`init_local_offset`] before any thread starts; everything else reads the cached value.

use std::sync::OnceLock;

use time::UtcOffset;

static LOCAL_OFFSET: OnceLock<UtcOffset> = OnceLock::new();

/// Reads and caches the local offset (UTC when it cannot be determined).
pub fn init_local_offset() {
    let offset = UtcOffset::current_local_offset().unwrap_or(UtcOffset::UTC);
    let _ = LOCAL_OFFSET.set(offset);
}

/// The cached local offset (UTC before [`init_local_offset`] ran).
pub fn local_offset() -> UtcOffset {
    LOCAL_OFFSET.get().copied().unwrap_or(UtcOffset::UTC)
}
