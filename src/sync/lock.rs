//! One delivering process per data dir.
//!
//! Claims in the database say *which* process is sending a submission, but only an operating
//! system lock says whether that process is still alive. The kiosk's sync worker and
//! `guichet sync` each take an exclusive `flock` on `<data_dir>/guichet.delivery.lock` for a whole
//! round (probe, reconcile, push, pull). The kernel drops it when the process exits, however it
//! exits, so:
//!
//! - two processes never deliver at once (the second waits, or says who holds the lock);
//! - a claim whose owner does not hold the lock is an abandoned claim, whatever any clock says:
//!   leases do not depend on the wall clock being right (a kiosk without a real-time clock that
//!   sets its time after boot steps it by years).
//!
//! The file holds one line naming the holder (pid, what it is, since when) for the message the
//! second process prints; it is never trusted for anything else.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, Write};
use std::os::fd::AsRawFd;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

/// File name of the lock inside the data dir.
pub const LOCK_FILE: &str = "guichet.delivery.lock";

/// Why the lock could not be taken.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    /// Another process delivers from this data dir.
    #[error("another process is delivering from this data dir: {holder}")]
    Held {
        /// Who holds it, as that process wrote it.
        holder: String,
    },
    /// The lock file could not be opened or locked.
    #[error("delivery lock {path}: {source}")]
    Io {
        /// The lock file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

/// The held lock; dropping it releases it.
#[derive(Debug)]
pub struct DeliveryLock {
    file: File,
}

impl DeliveryLock {
    /// Takes the lock without waiting; `who` names this process for the others' messages.
    pub fn try_acquire(data_dir: &Path, who: &str) -> Result<DeliveryLock, LockError> {
        let path = data_dir.join(LOCK_FILE);
        let io = |source| LockError::Io {
            path: path.clone(),
            source,
        };
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .mode(0o600)
            .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC)
            .open(&path)
            .map_err(io)?;
        // SAFETY: flock on a file descriptor we own; no memory is shared with the kernel.
        let rc = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) };
        if rc != 0 {
            let err = std::io::Error::last_os_error();
            if err.raw_os_error() == Some(libc::EWOULDBLOCK) {
                return Err(LockError::Held {
                    holder: read_holder(&mut file),
                });
            }
            return Err(io(err));
        }
        let line = format!(
            "pid {} ({who}) since {}\n",
            std::process::id(),
            crate::queue::now_rfc3339()
        );
        // Best effort: the line only feeds other processes' messages.
        let _ = file
            .set_len(0)
            .and_then(|()| file.rewind())
            .and_then(|()| file.write_all(line.as_bytes()));
        Ok(DeliveryLock { file })
    }

    /// Whether some process holds the lock on `data_dir` now.
    #[cfg(test)]
    pub fn holder(data_dir: &Path) -> Option<String> {
        match DeliveryLock::try_acquire(data_dir, "check") {
            Err(LockError::Held { holder }) => Some(holder),
            _ => None,
        }
    }
}

impl Drop for DeliveryLock {
    fn drop(&mut self) {
        // Closing the file releases the lock too; unlocking first makes it immediate.
        // SAFETY: flock on a file descriptor we own.
        unsafe {
            libc::flock(self.file.as_raw_fd(), libc::LOCK_UN);
        }
    }
}

fn read_holder(file: &mut File) -> String {
    let mut text = String::new();
    let _ = file.rewind();
    let _ = Read::by_ref(file).take(256).read_to_string(&mut text);
    let line = crate::sync::wire::clean_text(&text, 200);
    if line.is_empty() {
        "a process that has not said who it is".into()
    } else {
        line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_holder_at_a_time_and_the_second_learns_who() {
        let dir = crate::sync::test_dir();
        let first = DeliveryLock::try_acquire(&dir, "kiosk").unwrap();
        match DeliveryLock::try_acquire(&dir, "sync") {
            Err(LockError::Held { holder }) => {
                assert!(holder.contains("(kiosk)"), "{holder}");
                assert!(holder.contains(&std::process::id().to_string()));
            }
            other => panic!("{other:?}"),
        }
        assert!(DeliveryLock::holder(&dir).is_some());
        drop(first);
        assert!(DeliveryLock::holder(&dir).is_none());
        let _second = DeliveryLock::try_acquire(&dir, "sync").unwrap();
    }
}
