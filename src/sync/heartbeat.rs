//! The fleet heartbeat: for kiosks behind NAT, which the council's Prometheus cannot scrape, a
//! small status document (the facts of `guichet metrics`, as JSON) pushed to
//! `[fleet] heartbeat_url`, signed with a per-kiosk key so the council can tell its kiosks from
//! impostors.
//!
//! The signature is HMAC-SHA256 over the exact body bytes, sent as
//! `X-Guichet-Signature: sha256=<hex>` beside `X-Guichet-Device: <device code>`; the body carries
//! the device code and the time it was made, so a receiver checks the key of that device and the
//! freshness of the document. The key is 32 random bytes, hex in `guichet.heartbeat.key` in the
//! data dir (0600, created on first use); the council registers it when the kiosk is set up.
//!
//! Why here: only `sync` talks HTTP (the client is built by `sync::client`). The document itself
//! is made by the caller (`runtime::metrics`): this module signs and sends bytes, and knows
//! nothing of what they say. A heartbeat is a status, superseded by the next one: a failed push is
//! not queued, the next one (at most a minute later) carries the current state.

use std::path::{Path, PathBuf};

use url::Url;
use zeroize::Zeroizing;

use super::client::{HttpResult, Timeouts, heartbeat_client, post_json};
use crate::config::Config;

/// The key file's name in the data dir.
pub const KEY_FILE: &str = "guichet.heartbeat.key";
/// The header carrying `sha256=<hex HMAC of the body>`.
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
    /// The push failed; the next one will carry the current state.
    #[error("heartbeat to {url} not delivered: {detail}")]
    Send {
        /// Where.
        url: String,
        /// What happened.
        detail: String,
    },
}

/// The per-kiosk signing key. `Debug` never shows it.
pub struct HeartbeatKey(Zeroizing<Vec<u8>>);

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
            let key: [u8; 32] = rand::random();
            let text = Zeroizing::new(hex(&key));
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
        let key = unhex(text.trim()).ok_or_else(|| err("not 64 hex digits".into()))?;
        if key.len() != 32 {
            return Err(err("not 64 hex digits".into()));
        }
        Ok(HeartbeatKey(Zeroizing::new(key)))
    }

    /// `sha256=<hex HMAC-SHA256 of body>`.
    pub fn sign(&self, body: &[u8]) -> String {
        let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, &self.0);
        format!("sha256={}", hex(ring::hmac::sign(&key, body).as_ref()))
    }
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

/// Sends signed heartbeats to `fleet.heartbeat_url`.
#[derive(Debug)]
pub struct HeartbeatSender {
    http: reqwest::Client,
    url: Url,
    device: String,
    key: HeartbeatKey,
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
        Ok(Some(HeartbeatSender {
            http,
            url,
            device: config.device.code.clone(),
            key,
        }))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_is_created_once_private_and_signs_like_hmac_sha256() {
        let dir = crate::fsutil::test_dir("heartbeat-key");
        let path = dir.join(KEY_FILE);
        let a = HeartbeatKey::load_or_create(&path).unwrap();
        let b = HeartbeatKey::load_or_create(&path).unwrap();
        assert_eq!(a.sign(b"x"), b.sign(b"x"), "the same key on the next start");
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );
        assert_eq!(format!("{a:?}"), "HeartbeatKey(..)");
        // RFC 4231 test case 2: key "Jefe".
        let known = HeartbeatKey(Zeroizing::new(b"Jefe".to_vec()));
        assert_eq!(
            known.sign(b"what do ya want for nothing?"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        std::fs::write(&path, "zz").unwrap();
        assert!(HeartbeatKey::load_or_create(&path).is_err());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
