//! The fleet heartbeat: for kiosks behind NAT, which the council's Prometheus cannot scrape, a
//! small status document (the facts of `guichet metrics`, as JSON) pushed to
//! `[fleet] heartbeat_url`, signed with a per-kiosk key so the council can tell its kiosks from
//! impostors.
//!
//! The signature is Ed25519 over the exact body bytes, sent as `X-Guichet-Signature:
//! ed25519=<hex>` beside `X-Guichet-Device: <device code>`; the body carries the device code and
//! the time it was made, so a receiver checks it with the public key it registered for that
//! device. Why a key pair and not a shared secret: the council registers only the public key
//! (`guichet fleet key` prints it), so a leak of the council's list lets nobody pass for a kiosk,
//! and the technician's screen never shows a secret. The private key is a 32-byte seed, hex in
//! `guichet.heartbeat.key` in the data dir (0600, created on first use, replaced by
//! `guichet fleet key --rotate`).
//!
//! Durable and retried: each document is first kept in `heartbeat-outbox/` in the data dir (one
//! file each, nothing personal in them, at most [`OUTBOX_MAX`], the oldest dropped first), then
//! sent oldest first; a failure leaves it there and the next attempt waits
//! [`RETRY_BASE`] × 2ⁿ (at most [`RETRY_CAP`]), across restarts too. It runs on the metrics
//! thread, never on the way of a save or a delivery. A late document keeps the time it was made,
//! so the council sees what the kiosk looked like while it could not reach them.
//!
//! Why here: only `sync` talks HTTP (the client is built by `sync::client`). The document itself
//! is made by the caller (`runtime::metrics`): this module signs, keeps and sends bytes, and
//! knows nothing of what they say.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use ring::signature::KeyPair;
use url::Url;
use zeroize::Zeroizing;

use super::client::{HttpResult, Timeouts, heartbeat_client, post_json};
use crate::config::Config;

/// The key file's name in the data dir.
pub const KEY_FILE: &str = "guichet.heartbeat.key";
/// The outbox folder's name in the data dir.
pub const OUTBOX_DIR: &str = "heartbeat-outbox";
/// Documents kept while the receiver cannot be reached (a day at one a minute would be 1,440;
/// the newest hour tells the story, and the current state is always the last).
pub const OUTBOX_MAX: usize = 60;
/// The first retry after a failed push; doubled after each further failure.
pub const RETRY_BASE: Duration = Duration::from_secs(2);
/// The longest wait between retries.
pub const RETRY_CAP: Duration = Duration::from_secs(300);
/// The header carrying `ed25519=<hex signature of the body>`.
pub const SIGNATURE_HEADER: &str = "x-guichet-signature";
/// The header carrying the device code.
pub const DEVICE_HEADER: &str = "x-guichet-device";

/// Why the heartbeat could not be set up or sent, in one line.
#[derive(Debug, thiserror::Error)]
pub enum HeartbeatError {
    /// The key file could not be read or created.
    #[error("heartbeat key {path}: {detail}")]
    Key {
        /// The file.
        path: PathBuf,
        /// What is wrong (never the key).
        detail: String,
    },
    /// The client could not be built.
    #[error("heartbeat: {0}")]
    Client(String),
    /// The outbox folder could not be written or read.
    #[error("heartbeat outbox: {0}")]
    Outbox(String),
    /// The push failed; the document waits in the outbox for the next attempt.
    #[error("heartbeat to {url} not delivered (kept, retried later): {detail}")]
    Send {
        /// Where.
        url: String,
        /// What happened.
        detail: String,
    },
}

/// The per-kiosk signing key (an Ed25519 key pair from its seed). `Debug` never shows it.
pub struct HeartbeatKey {
    pair: ring::signature::Ed25519KeyPair,
}

impl std::fmt::Debug for HeartbeatKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("HeartbeatKey(..)")
    }
}

impl HeartbeatKey {
    /// Reads the key at `path`, creating it (0600) when absent.
    pub fn load_or_create(path: &Path) -> Result<HeartbeatKey, HeartbeatError> {
        let err = |detail: String| HeartbeatError::Key {
            path: path.to_path_buf(),
            detail,
        };
        if !path.exists() {
            use std::io::Write;
            use std::os::unix::fs::OpenOptionsExt;
            let text = Zeroizing::new(hex(&new_seed()[..]));
            // `create_new`: two processes starting at once cannot overwrite each other's key.
            match std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(0o600)
                .open(path)
            {
                Ok(mut file) => {
                    file.write_all(text.as_bytes())
                        .and_then(|()| file.sync_all())
                        .map_err(|e| err(e.to_string()))?;
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
                Err(e) => return Err(err(e.to_string())),
            }
        }
        let bytes =
            Zeroizing::new(crate::fsutil::read_bounded(path, 256).map_err(|e| err(e.to_string()))?);
        let text = std::str::from_utf8(&bytes).map_err(|_| err("not hex text".into()))?;
        let seed =
            Zeroizing::new(unhex(text.trim()).ok_or_else(|| err("not 64 hex digits".into()))?);
        HeartbeatKey::from_seed(&seed).ok_or_else(|| err("not 64 hex digits".into()))
    }

    /// Replaces the key at `path` with a new one (atomically, 0600) and returns it. The old key
    /// is gone: the council must register the new public key (documents still waiting in the
    /// outbox are signed with the new key when they are sent).
    pub fn rotate(path: &Path) -> Result<HeartbeatKey, HeartbeatError> {
        let text = Zeroizing::new(hex(&new_seed()[..]));
        crate::fsutil::write_atomic(path, text.as_bytes(), 0o600, None).map_err(|e| {
            HeartbeatError::Key {
                path: path.to_path_buf(),
                detail: e.to_string(),
            }
        })?;
        HeartbeatKey::load_or_create(path)
    }

    fn from_seed(seed: &[u8]) -> Option<HeartbeatKey> {
        if seed.len() != 32 {
            return None;
        }
        ring::signature::Ed25519KeyPair::from_seed_unchecked(seed)
            .ok()
            .map(|pair| HeartbeatKey { pair })
    }

    /// `ed25519=<hex Ed25519 signature of body>`.
    pub fn sign(&self, body: &[u8]) -> String {
        format!("ed25519={}", hex(self.pair.sign(body).as_ref()))
    }

    /// The public key, hex (64 digits): what the council registers for this kiosk.
    pub fn public_hex(&self) -> String {
        hex(self.pair.public_key().as_ref())
    }
}

fn new_seed() -> Zeroizing<[u8; 32]> {
    Zeroizing::new(rand::random())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) || !text.is_ascii() {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).ok())
        .collect()
}

/// Keeps and sends signed heartbeats to `fleet.heartbeat_url`.
#[derive(Debug)]
pub struct HeartbeatSender {
    http: reqwest::Client,
    url: Url,
    device: String,
    key: HeartbeatKey,
    outbox: PathBuf,
    /// Failed attempts in a row, and when the next one is due.
    failures: u32,
    retry_at: Option<Instant>,
    /// Tells the file names of documents kept in the same second apart.
    sequence: u32,
}

/// What [`HeartbeatSender::deliver`] did.
#[derive(Debug, PartialEq, Eq)]
pub enum Delivery {
    /// Every waiting document was delivered (how many).
    Delivered(usize),
    /// A retry is not due yet.
    NotDue,
}

impl HeartbeatSender {
    /// `None` when no `fleet.heartbeat_url` is set.
    pub fn new(
        config: &Config,
        data_dir: &Path,
    ) -> Result<Option<HeartbeatSender>, HeartbeatError> {
        let Some(url_text) = &config.fleet.heartbeat_url else {
            return Ok(None);
        };
        // Checked at config load; checked again for a config built another way.
        let url = Url::parse(url_text)
            .ok()
            .filter(|u| u.scheme() == "https" || config.central.allow_insecure_http)
            .ok_or_else(|| HeartbeatError::Client(format!("fleet.heartbeat_url {url_text:?}")))?;
        let timeouts = Timeouts {
            connect: std::time::Duration::from_secs(10),
            request: std::time::Duration::from_secs(15),
        };
        let http = heartbeat_client(&config.central, timeouts)
            .map_err(|e| HeartbeatError::Client(e.to_string()))?;
        let key = HeartbeatKey::load_or_create(&data_dir.join(KEY_FILE))?;
        let outbox = data_dir.join(OUTBOX_DIR);
        {
            use std::os::unix::fs::DirBuilderExt;
            std::fs::DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(&outbox)
                .map_err(|e| HeartbeatError::Outbox(format!("{}: {e}", outbox.display())))?;
        }
        Ok(Some(HeartbeatSender {
            http,
            url,
            device: config.device.code.clone(),
            key,
            outbox,
            failures: 0,
            retry_at: None,
            sequence: 0,
        }))
    }

    /// Keeps one document (the exact bytes that will be signed) in the outbox, dropping the
    /// oldest beyond [`OUTBOX_MAX`].
    pub fn keep(&mut self, body: &[u8]) -> Result<(), HeartbeatError> {
        let outbox_err = |e: std::io::Error| HeartbeatError::Outbox(e.to_string());
        self.sequence = self.sequence.wrapping_add(1);
        let now = time::OffsetDateTime::now_utc();
        // Sorted by name = sorted by time: zero-padded nanoseconds, then a sequence number.
        let name = format!(
            "{:020}-{:010}.json",
            now.unix_timestamp_nanos().max(0),
            self.sequence
        );
        crate::fsutil::write_atomic(&self.outbox.join(name), body, 0o600, None)
            .map_err(outbox_err)?;
        let waiting = self.waiting().map_err(outbox_err)?;
        for old in waiting
            .iter()
            .take(waiting.len().saturating_sub(OUTBOX_MAX))
        {
            let _ = std::fs::remove_file(old);
        }
        Ok(())
    }

    /// The documents waiting, oldest first.
    pub fn waiting(&self) -> std::io::Result<Vec<PathBuf>> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&self.outbox)?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| {
                p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.ends_with(".json") && !n.starts_with('.'))
            })
            .collect();
        files.sort();
        Ok(files)
    }

    /// How long until the next retry is due (`None`: nothing to retry, or due now).
    pub fn retry_in(&self) -> Option<Duration> {
        self.retry_at
            .map(|at| at.saturating_duration_since(Instant::now()))
            .filter(|d| !d.is_zero())
    }

    /// Sends the waiting documents, oldest first, each deleted once the receiver took it. On a
    /// failure the rest wait for the next attempt, [`RETRY_BASE`] × 2ⁿ later.
    pub async fn deliver(&mut self) -> Result<Delivery, HeartbeatError> {
        if self.retry_in().is_some() {
            return Ok(Delivery::NotDue);
        }
        let waiting = self
            .waiting()
            .map_err(|e| HeartbeatError::Outbox(e.to_string()))?;
        let mut delivered = 0;
        for path in waiting {
            // A file that went away (or was mangled) is not worth a retry loop: skipped.
            let Ok(body) = crate::fsutil::read_bounded(&path, MAX_DOCUMENT) else {
                let _ = std::fs::remove_file(&path);
                continue;
            };
            if let Err(e) = self.push(body).await {
                self.failures = self.failures.saturating_add(1);
                let wait = RETRY_BASE
                    .saturating_mul(1 << self.failures.saturating_sub(1).min(16))
                    .min(RETRY_CAP);
                self.retry_at = Some(Instant::now() + wait);
                return Err(e);
            }
            let _ = std::fs::remove_file(&path);
            delivered += 1;
        }
        self.failures = 0;
        self.retry_at = None;
        Ok(Delivery::Delivered(delivered))
    }

    /// Pushes one document (the exact bytes signed). A 2xx answer is success.
    pub async fn push(&self, body: Vec<u8>) -> Result<(), HeartbeatError> {
        let headers = [
            (SIGNATURE_HEADER, self.key.sign(&body)),
            (DEVICE_HEADER, self.device.clone()),
        ];
        let fail = |detail: String| HeartbeatError::Send {
            url: self.url.to_string(),
            detail,
        };
        match post_json(&self.http, self.url.clone(), body, &headers).await {
            HttpResult::Answer { status, .. } if (200..300).contains(&status) => Ok(()),
            HttpResult::Answer { status, .. } => Err(fail(format!("HTTP {status}"))),
            HttpResult::NotConnected(e) | HttpResult::Broken(e) => Err(fail(e)),
        }
    }
}

/// The largest document read back from the outbox (the kiosk's own are about 1 KB).
const MAX_DOCUMENT: u64 = 64 * 1024;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_is_created_once_private_signs_with_ed25519_and_rotates() {
        let dir = crate::fsutil::test_dir("heartbeat-key");
        let path = dir.join(KEY_FILE);
        let a = HeartbeatKey::load_or_create(&path).unwrap();
        let b = HeartbeatKey::load_or_create(&path).unwrap();
        assert_eq!(
            a.public_hex(),
            b.public_hex(),
            "the same key on the next start"
        );
        assert_eq!(a.public_hex().len(), 64);
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );
        assert_eq!(format!("{a:?}"), "HeartbeatKey(..)");
        // RFC 8032 test 1: the empty message under this seed.
        let known = HeartbeatKey::from_seed(
            &unhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60").unwrap(),
        )
        .unwrap();
        assert_eq!(
            known.public_hex(),
            "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"
        );
        assert_eq!(
            known.sign(b""),
            "ed25519=e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
        );
        let rotated = HeartbeatKey::rotate(&path).unwrap();
        assert_ne!(rotated.public_hex(), a.public_hex());
        assert_eq!(
            HeartbeatKey::load_or_create(&path).unwrap().public_hex(),
            rotated.public_hex()
        );
        assert_eq!(
            std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );
        std::fs::write(&path, "zz").unwrap();
        assert!(HeartbeatKey::load_or_create(&path).is_err());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
