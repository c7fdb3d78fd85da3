//! Small filesystem helpers used across the house.
//!
//! - Reading files from outside with a hard size limit ([`read_bounded`]). The limit is enforced
//!   while reading, not with `metadata` first: a device or a FIFO reports size 0, and a file may
//!   grow in between.
//! - Free space on a filesystem ([`free_bytes`]): the one `statvfs` call (the store uses it to
//!   tell a full disk from other I/O errors, `doctor` to warn before it happens).
//! - Replacing a file atomically with a given mode and group ([`write_atomic`]): a kiosk that
//!   loses power while `provision` writes its configuration keeps either the old file or the new
//!   one, never half of each, and the file is never readable by others, not even for an instant.
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

/// The numeric id of a group in `/etc/group` (system groups such as `guichet` live there, so no
/// NSS lookup is needed), or `None` when there is no such group.
pub fn group_id(name: &str) -> Option<u32> {
    let text = read_bounded(Path::new("/etc/group"), 1024 * 1024).ok()?;
    String::from_utf8_lossy(&text).lines().find_map(|line| {
        let mut fields = line.split(':');
        (fields.next() == Some(name))
            .then(|| fields.nth(1).and_then(|gid| gid.parse().ok()))
            .flatten()
    })
}

/// Replaces `path` with `bytes` atomically: a temporary file in the same directory, created with
/// `mode` (so never more open than that), given `group` when asked, written, `fsync`ed, renamed
/// over `path`, and the directory `fsync`ed so the rename itself survives a power cut. On error
/// the temporary file is removed and `path` is untouched.
pub fn write_atomic(
    path: &Path,
    bytes: &[u8],
    mode: u32,
    group: Option<u32>,
) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a file path"))?;
    let mut tmp_name = std::ffi::OsString::from(".");
    tmp_name.push(name);
    tmp_name.push(format!(".tmp-{}", std::process::id()));
    let tmp = dir.join(tmp_name);
    let result = (|| {
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(mode)
            .open(&tmp)?;
        // The umask may have narrowed `mode`; set it exactly.
        file.set_permissions(std::fs::Permissions::from_mode(mode))?;
        if let Some(gid) = group {
            std::os::unix::fs::fchown(&file, None, Some(gid))?;
        }
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&tmp, path)?;
        std::fs::File::open(dir)?.sync_all()
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
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

    #[test]
    fn an_atomic_write_replaces_the_file_with_the_mode_asked_and_leaves_no_temporary() {
        use std::os::unix::fs::PermissionsExt;
        let dir = test_dir("atomic");
        let file = dir.join("kiosk.toml");
        std::fs::write(&file, b"old").unwrap();
        write_atomic(&file, b"new", 0o640, None).unwrap();
        assert_eq!(std::fs::read(&file).unwrap(), b"new");
        let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o640);
        let names: Vec<_> = std::fs::read_dir(&dir).unwrap().collect();
        assert_eq!(names.len(), 1, "no temporary file left behind");
        // A directory in the way: the write fails and nothing is left behind either.
        let blocked = dir.join("sub");
        std::fs::create_dir(&blocked).unwrap();
        std::fs::write(blocked.join("x"), b"").unwrap();
        assert!(write_atomic(&blocked, b"x", 0o640, None).is_err());
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 2);
        assert_eq!(group_id("no-such-group-here"), None);
        assert_eq!(group_id("root"), Some(0));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
