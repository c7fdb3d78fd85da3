//! Small filesystem helpers used across the house.
//!
//! - Reading files from outside with a hard size limit ([`read_bounded`]). The limit is enforced
//!   while reading, not with `metadata` first: a device or a FIFO reports size 0, and a file may
//!   grow in between.
//! - Free space on a filesystem ([`free_bytes`]): the one `statvfs` call (the store uses it to
//!   tell a full disk from other I/O errors, `doctor` to warn before it happens).
//! - [`test_dir`]: a fresh directory per test, for unit and integration tests alike.

use std::io::Read;
use std::path::Path;

/// Why a bounded read failed.
#[derive(Debug, thiserror::Error)]
pub enum BoundedReadError {
    /// Opening or reading failed.
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// More than the limit.
    #[error("larger than {limit} bytes")]
    TooLarge {
        /// The limit in bytes.
        limit: u64,
    },
}

/// Reads at most `limit` bytes of `path`; a longer file is an error, never a truncated read.
pub fn read_bounded(path: &Path, limit: u64) -> Result<Vec<u8>, BoundedReadError> {
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(limit + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(BoundedReadError::TooLarge { limit });
    }
    Ok(bytes)
}

/// Free bytes available to this user on the filesystem holding `path`.
pub fn free_bytes(path: &Path) -> std::io::Result<u64> {
    use std::os::unix::ffi::OsStrExt;
    let c_path = std::ffi::CString::new(path.as_os_str().as_bytes())
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))?;
    // SAFETY: statvfs only writes into the zeroed struct we own, and reads a valid C string.
    let mut stat: libc::statvfs = unsafe { std::mem::zeroed() };
    let rc = unsafe { libc::statvfs(c_path.as_ptr(), &mut stat) };
    if rc != 0 {
        return Err(std::io::Error::last_os_error());
    }
    Ok((stat.f_bavail as u64).saturating_mul(stat.f_frsize as u64))
}

/// A fresh, empty directory under the system temp dir, unique per call in this process:
/// `<tmp>/guichet-<tag>-<pid>-<n>`.
#[cfg(any(test, feature = "test-support"))]
pub fn test_dir(tag: &str) -> std::path::PathBuf {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    let dir = std::env::temp_dir().join(format!(
        "guichet-{tag}-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    if let Err(e) = std::fs::create_dir_all(&dir) {
        panic!("cannot create test directory {}: {e}", dir.display());
    }
    dir
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_up_to_the_limit_and_refuses_more_even_from_an_endless_device() {
        let dir = test_dir("fsutil");
        let file = dir.join("f");
        std::fs::write(&file, b"12345").unwrap();
        assert_eq!(read_bounded(&file, 5).unwrap(), b"12345");
        assert!(matches!(
            read_bounded(&file, 4),
            Err(BoundedReadError::TooLarge { limit: 4 })
        ));
        assert!(matches!(
            read_bounded(Path::new("/dev/zero"), 1024),
            Err(BoundedReadError::TooLarge { .. })
        ));
        assert!(matches!(
            read_bounded(&dir.join("missing"), 4),
            Err(BoundedReadError::Io(_))
        ));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
