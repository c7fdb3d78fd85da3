//! Help that really comes: each "Ask for help" (a `help_requests` row, written first) is
//! announced to staff with a small JSON POST to `[help] notify_url` (an ntfy topic, a Matrix or
//! Teams webhook, a library's paging tool all take a JSON body), at once and then again with a
//! growing delay until it is delivered or staff marked the request done. The next try's time is
//! in the row, so a restart picks pending notifications up where they were.
//!
//! The body says which kiosk, where, when, and the request's number: nothing about the
//! resident. A POST whose answer was lost is sent again (a missing ping leaves a resident
//! waiting), so every POST of one request carries the same key, as the `Idempotency-Key` header
//! and the body's `id` ([`HelpSender::key`]): a receiving tool that keeps the keys it saw drops
//! the repeat.
//!
//! A request is announced for [`MAX_AGE`] only: a ping half an hour late sends staff to a
//! resident who has gone. After that it is no longer POSTed (logged once, its last error
//! [`crate::queue::HELP_TOO_OLD`]) and stays open on the staff desk until marked done.
//!
//! The UI learns the outcome through the callback: the first attempt's result (the resident
//! sees "Staff have been told" or "Please ask at the desk"), then any later delivery.

use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::time::Duration;

use time::OffsetDateTime;
use url::Url;

use super::client::{HttpResult, Timeouts, heartbeat_client, post_json};
use crate::config::Config;
use crate::queue::{HelpRequest, Store, StoreLocation};

/// The first retry's delay; each next one doubles, up to [`MAX_RETRY`].
pub const FIRST_RETRY: Duration = Duration::from_secs(10);
/// The longest wait between two attempts.
pub const MAX_RETRY: Duration = Duration::from_secs(300);

/// How long a help request is announced for; older ones stay on the staff desk only.
pub const MAX_AGE: Duration = Duration::from_secs(30 * 60);

/// The oldest `requested_at` still announced at `now` (RFC 3339).
pub fn announced_since(now: OffsetDateTime) -> String {
    crate::clock::rfc3339(now - time::Duration::try_from(MAX_AGE).unwrap_or(time::Duration::HOUR))
}

/// Why the notifier could not be set up (a configuration problem, in one line).
#[derive(Debug, thiserror::Error)]
pub enum HelpNotifyError {
    /// The URL or the TLS setup is unusable.
    #[error("help.notify_url: {0}")]
    Client(String),
}

/// Called with (help request id, delivered) after a request's first attempt, and again when a
/// retry delivers it.
pub type OnHelpOutcome = Box<dyn Fn(i64, bool) + Send>;

/// Sends help notifications (one per request) to `[help] notify_url`.
pub struct HelpSender {
    http: reqwest::Client,
    url: Url,
    device: String,
    site: String,
}

impl std::fmt::Debug for HelpSender {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HelpSender")
            .field("device", &self.device)
            .finish()
    }
}

impl HelpSender {
    /// `None` when no `[help] notify_url` is set. The client has sync's TLS and no-redirect
    /// rules; plain http only with `central.allow_insecure_http`.
    pub fn new(config: &Config) -> Result<Option<HelpSender>, HelpNotifyError> {
        let Some(url_text) = &config.help.notify_url else {
            return Ok(None);
        };
        let url = Url::parse(url_text)
            .ok()
            .filter(|u| u.scheme() == "https" || config.central.allow_insecure_http)
            .ok_or_else(|| HelpNotifyError::Client(format!("{url_text:?} is not usable")))?;
        let timeouts = Timeouts {
            connect: Duration::from_secs(5),
            request: Duration::from_secs(10),
        };
        let http = heartbeat_client(&config.central, timeouts)
            .map_err(|e| HelpNotifyError::Client(e.to_string()))?;
        Ok(Some(HelpSender {
            http,
            url,
            device: config.device.code.clone(),
            site: config.device.site.clone(),
        }))
    }

    /// The request's stable key, the same on every POST of it (`Idempotency-Key` header, the
    /// body's `id`): the kiosk, the row and when it was asked, so it never repeats for another
    /// request, on this kiosk or another, even after the database was replaced.
    pub fn key(&self, request: &HelpRequest) -> String {
        let asked: String = request
            .requested_at
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .take(32)
            .collect();
        format!("guichet-help-{}-{}-{asked}", self.device, request.id)
    }

    /// The JSON body for one request: kiosk, site, time, id, its stable key, and a sentence
    /// for chat tools (`text` for Teams/Slack-style webhooks, `message` for ntfy and others).
    pub fn body(&self, request: &HelpRequest) -> Vec<u8> {
        let sentence = format!(
            "A resident at {} (kiosk {}) asked for help at {} (request {}).",
            if self.site.is_empty() {
                "the kiosk"
            } else {
                &self.site
            },
            self.device,
            request.requested_at,
            request.id
        );
        serde_json::to_vec(&serde_json::json!({
            "kiosk": self.device,
            "site": self.site,
            "requested_at": request.requested_at,
            "help_request": request.id,
            "id": self.key(request),
            "text": sentence,
            "message": sentence,
        }))
        .unwrap_or_default()
    }

    /// One POST: a 2xx answer is delivered; anything else is the one-line reason.
    pub async fn send(&self, request: &HelpRequest) -> Result<(), String> {
        let key = [("Idempotency-Key", self.key(request))];
        match post_json(&self.http, self.url.clone(), self.body(request), &key).await {
            HttpResult::Answer { status, .. } if (200..300).contains(&status) => Ok(()),
            HttpResult::Answer { status, .. } => Err(format!("HTTP {status}")),
            HttpResult::NotConnected(e) | HttpResult::Broken(e) => Err(e),
        }
    }
}

/// The delay before attempt `n + 1` after `n` failed attempts.
pub fn retry_delay(failed_attempts: i64) -> Duration {
    let doublings = failed_attempts.saturating_sub(1).clamp(0, 16) as u32;
    FIRST_RETRY.saturating_mul(1u32 << doublings).min(MAX_RETRY)
}

/// Sends every notification due at `now` once, records each outcome, and returns
/// `(id, delivered, first attempt)` for each.
pub async fn deliver_due(
    store: &mut Store,
    sender: &HelpSender,
    now: OffsetDateTime,
) -> Vec<(i64, bool, bool)> {
    let since = announced_since(now);
    match store.expire_help_notifications(&since) {
        Ok(ids) => {
            for id in ids {
                tracing::warn!(
                    help_request = id,
                    "help request older than {} minutes: no longer announced, still open on the staff desk",
                    MAX_AGE.as_secs() / 60
                );
            }
        }
        Err(e) => tracing::error!("old help notifications not set aside: {e}"),
    }
    let due = match store.due_help_notifications(&crate::clock::rfc3339(now), &since) {
        Ok(due) => due,
        Err(e) => {
            tracing::error!("help notifications not read: {e}");
            return Vec::new();
        }
    };
    let mut out = Vec::with_capacity(due.len());
    for request in due {
        let first = request.attempts == 0;
        let outcome = sender.send(&request).await;
        let recorded = match &outcome {
            Ok(()) => {
                tracing::info!(
                    help_request = request.id,
                    "staff were told of a help request"
                );
                store.record_help_notification(request.id, Ok(()))
            }
            Err(why) => {
                let retry_at = now
                    + time::Duration::try_from(retry_delay(request.attempts + 1))
                        .unwrap_or(time::Duration::MINUTE);
                tracing::warn!(
                    help_request = request.id,
                    "help notification failed (retried at {}): {why}",
                    crate::clock::rfc3339(retry_at)
                );
                let why = super::wire::clean_text(why, 200);
                store.record_help_notification(
                    request.id,
                    Err((&why, &crate::clock::rfc3339(retry_at))),
                )
            }
        };
        if let Err(e) = recorded {
            tracing::error!("help notification outcome not recorded: {e}");
        }
        out.push((request.id, outcome.is_ok(), first));
    }
    out
}

/// Handle to the notifier thread. Dropping it lets the thread stop after the attempt in flight,
/// without waiting for it: a stopping kiosk is not held up by a slow endpoint (the request is
/// durable and is sent again on the next start).
pub struct HelpNotifier {
    wake: Sender<i64>,
}

impl std::fmt::Debug for HelpNotifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("HelpNotifier")
    }
}

impl HelpNotifier {
    /// Starts the notifier when `[help] notify_url` is set (`Ok(None)` otherwise). It opens its
    /// own store connection, sends what was left pending before a restart, then waits for new
    /// requests ([`HelpNotifier::notify`]) and retries.
    pub fn spawn(
        config: &Config,
        location: StoreLocation,
        on_outcome: OnHelpOutcome,
    ) -> Result<Option<HelpNotifier>, HelpNotifyError> {
        let Some(sender) = HelpSender::new(config)? else {
            return Ok(None);
        };
        let (wake, inbox) = channel::<i64>();
        std::thread::Builder::new()
            .name("guichet-help".into())
            .spawn(move || run(sender, location, inbox, on_outcome))
            .map_err(|e| HelpNotifyError::Client(format!("cannot start its thread: {e}")))?;
        Ok(Some(HelpNotifier { wake }))
    }

    /// A new help request (already saved with `notify = pending`): send it now.
    pub fn notify(&self, id: i64) {
        let _ = self.wake.send(id);
    }
}

fn run(
    sender: HelpSender,
    location: StoreLocation,
    inbox: Receiver<i64>,
    on_outcome: OnHelpOutcome,
) {
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            tracing::error!("help notifier not started: {e}");
            return;
        }
    };
    let mut store = match Store::open_at(&location) {
        Ok(s) => s,
        Err(e) => {
            tracing::error!("help notifier: database unavailable: {e}");
            // Tell the UI about each request it will never send.
            for id in inbox {
                on_outcome(id, false);
            }
            return;
        }
    };
    loop {
        let now = OffsetDateTime::now_utc();
        for (id, delivered, first) in runtime.block_on(deliver_due(&mut store, &sender, now)) {
            if first || delivered {
                on_outcome(id, delivered);
            }
        }
        let wait = match store.next_help_notification_at(&announced_since(now)) {
            Ok(Some(next)) => {
                OffsetDateTime::parse(&next, &time::format_description::well_known::Rfc3339)
                    .map(|t| {
                        let left =
                            (t - OffsetDateTime::now_utc()).whole_milliseconds().max(0) as u64;
                        Duration::from_millis(left).clamp(Duration::from_millis(200), MAX_RETRY)
                    })
                    .unwrap_or(MAX_RETRY)
            }
            Ok(None) => MAX_RETRY,
            Err(e) => {
                tracing::warn!("help notifier: {e}");
                MAX_RETRY
            }
        };
        match inbox.recv_timeout(wait) {
            Ok(_) | Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_from_ten_seconds_to_five_minutes() {
        assert_eq!(retry_delay(1), Duration::from_secs(10));
        assert_eq!(retry_delay(2), Duration::from_secs(20));
        assert_eq!(retry_delay(5), Duration::from_secs(160));
        assert_eq!(retry_delay(6), MAX_RETRY);
        assert_eq!(retry_delay(1000), MAX_RETRY);
    }
}
