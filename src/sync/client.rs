//! The HTTP side of Open311: one `reqwest` client (rustls, system roots plus an optional extra CA,
//! no redirects, connect and total timeouts) and bounded reads of every answer.
//!
//! This module reports what happened on the wire ([`HttpResult`]) without judging it; deciding
//! what an answer means is `classify`'s job.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use url::Url;

use crate::config::{CentralConfig, CentralKind};

/// Largest catalogue or request-list answer read (bytes).
pub const MAX_LIST_BYTES: usize = 4 * 1024 * 1024;
/// Largest answer read for anything else (bytes).
pub const MAX_SMALL_BYTES: usize = 256 * 1024;
/// Largest API key or extra CA file read.
const MAX_SECRET_FILE_BYTES: u64 = 64 * 1024;

/// Connect and total timeouts for one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// TCP + TLS connection.
    pub connect: Duration,
    /// The whole exchange, answer included.
    pub request: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            connect: Duration::from_secs(10),
            request: Duration::from_secs(30),
        }
    }
}

/// Why a client could not be built (configuration problems, each naming what to fix).
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// `central.kind = "none"`.
    #[error("no central system is configured (central.kind = \"none\")")]
    NotConfigured,
    /// `central.url` missing or not a URL.
    #[error("central.url {0:?} is not a usable GeoReport v2 base URL")]
    BadUrl(String),
    /// Plain http without `allow_insecure_http`.
    #[error(
        "central.url {0:?} is plain http: use https (http only with central.allow_insecure_http = true, for tests)"
    )]
    InsecureHttp(String),
    /// The API key file is missing, unreadable, empty or odd.
    #[error("API key file {path}: {detail}")]
    ApiKey {
        /// The file.
        path: String,
        /// What is wrong (never the key).
        detail: String,
    },
    /// The extra CA file could not be used.
    #[error("central.extra_ca_file {path}: {detail}")]
    ExtraCa {
        /// The file.
        path: String,
        /// What is wrong.
        detail: String,
    },
    /// The TLS/HTTP stack refused the settings.
    #[error("cannot set up HTTPS: {0}")]
    Build(String),
}

/// The API key. Its `Debug` never shows it, so no log line or error can leak it.
#[derive(Clone)]
pub struct ApiKey(Arc<str>);

impl ApiKey {
    /// Reads the key from its file: one line, trimmed, printable.
    pub fn read(path: &Path) -> Result<ApiKey, ClientError> {
        let err = |detail: String| ClientError::ApiKey {
            path: path.display().to_string(),
            detail,
        };
        let bytes = crate::fsutil::read_bounded(path, MAX_SECRET_FILE_BYTES)
            .map_err(|e| err(e.to_string()))?;
        let text = String::from_utf8(bytes).map_err(|_| err("is not UTF-8 text".into()))?;
        let key = text.trim();
        if key.is_empty() {
            return Err(err("is empty".into()));
        }
        if key.len() > 512 || key.chars().any(char::is_control) {
            return Err(err(
                "must hold one line of at most 512 printable characters".into(),
            ));
        }
        Ok(ApiKey(key.into()))
    }

    /// The key itself, only for the POST body.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ApiKey(<redacted>)")
    }
}

/// What happened on the wire, before any judgement.
#[derive(Debug, Clone, PartialEq)]
pub enum HttpResult {
    /// No connection was made: the request certainly did not reach the server.
    NotConnected(String),
    /// The exchange broke after the connection was made (timeout, reset, cut answer): the
    /// request may have reached the server.
    Broken(String),
    /// An answer, read up to its cap.
    Answer {
        /// HTTP status.
        status: u16,
        /// `Content-Type`, lower-cased (empty when absent).
        content_type: String,
        /// Body (at most the cap).
        body: Vec<u8>,
        /// The body was larger than the cap and was not read in full.
        too_large: bool,
        /// The headers sync reads.
        headers: AnswerHeaders,
    },
}

/// The few headers sync reads from an answer, bounded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AnswerHeaders {
    /// `Date`, as sent (to notice a kiosk clock that is wrong).
    pub date: Option<String>,
    /// `X-Next-Page-URL` or `Link: <...>; rel="next"`: the list goes on there.
    pub next_page: Option<String>,
    /// `X-Result-Count` / `X-Total-Count`: how many items the whole list holds.
    pub result_count: Option<u64>,
}

impl AnswerHeaders {
    fn read(headers: &reqwest::header::HeaderMap) -> AnswerHeaders {
        let text = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .filter(|v| v.len() <= 2048)
                .map(|v| v.trim().to_string())
        };
        let link_next = headers
            .get_all(reqwest::header::LINK)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .filter(|v| v.len() <= 4096)
            .flat_map(|v| v.split(','))
            .find_map(|part| {
                let (target, params) = part.split_once(';')?;
                let is_next = params.split(';').any(|p| {
                    let p = p.trim().to_ascii_lowercase().replace(' ', "");
                    p == "rel=next" || p == "rel=\"next\""
                });
                let target = target.trim().strip_prefix('<')?.strip_suffix('>')?;
                is_next.then(|| target.to_string())
            });
        AnswerHeaders {
            date: text("date"),
            next_page: text("x-next-page-url")
                .filter(|v| !v.is_empty())
                .or(link_next),
            result_count: text("x-result-count")
                .or_else(|| text("x-total-count"))
                .and_then(|v| v.parse().ok()),
        }
    }
}

/// A GeoReport v2 client for one central system.
#[derive(Clone, Debug)]
pub struct Open311Client {
    http: reqwest::Client,
    base: Url,
    api_key: ApiKey,
    jurisdiction_id: Option<String>,
}

impl Open311Client {
    /// Builds the client from `[central]`. Enforces https unless `allow_insecure_http`, even if
    /// the configuration was not loaded through `Config::load_file`.
    pub fn new(central: &CentralConfig, timeouts: Timeouts) -> Result<Open311Client, ClientError> {
        if central.kind != CentralKind::Open311 {
            return Err(ClientError::NotConfigured);
        }
        let url_text = central.url.clone().unwrap_or_default();
        let mut base = Url::parse(&url_text).map_err(|_| ClientError::BadUrl(url_text.clone()))?;
        match base.scheme() {
            "https" => {}
            "http" if central.allow_insecure_http => {}
            "http" => return Err(ClientError::InsecureHttp(url_text)),
            _ => return Err(ClientError::BadUrl(url_text)),
        }
        if base.cannot_be_a_base() || base.query().is_some() {
            return Err(ClientError::BadUrl(url_text));
        }
        // `join` replaces the last segment unless the path ends in '/'.
        if !base.path().ends_with('/') {
            let path = format!("{}/", base.path());
            base.set_path(&path);
        }
        let key_file = central
            .api_key_file
            .as_deref()
            .ok_or_else(|| ClientError::ApiKey {
                path: "(central.api_key_file not set)".into(),
                detail: "required when central.kind = \"open311\"".into(),
            })?;
        let api_key = ApiKey::read(key_file)?;
        let mut builder = reqwest::Client::builder()
            .use_rustls_tls()
            .tls_built_in_native_certs(true)
            .https_only(!central.allow_insecure_http)
            // A redirect is how captive portals answer; following it would fetch their page.
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(timeouts.connect)
            .timeout(timeouts.request)
            .pool_idle_timeout(Duration::from_secs(30))
            .user_agent(concat!("guichet/", env!("CARGO_PKG_VERSION")));
        if let Some(ca_path) = &central.extra_ca_file {
            for cert in read_extra_ca(ca_path)? {
                builder = builder.add_root_certificate(cert);
            }
        }
        let http = builder
            .build()
            .map_err(|e| ClientError::Build(e.to_string()))?;
        Ok(Open311Client {
            http,
            base,
            api_key,
            jurisdiction_id: central.jurisdiction_id.clone(),
        })
    }

    /// The API key, for building POST bodies.
    pub fn api_key(&self) -> &ApiKey {
        &self.api_key
    }

    /// `jurisdiction_id`, when configured.
    pub fn jurisdiction_id(&self) -> Option<&str> {
        self.jurisdiction_id.as_deref()
    }

    /// The base URL (ends in `/`).
    pub fn base(&self) -> &Url {
        &self.base
    }

    fn url(&self, path: &str) -> Result<Url, String> {
        self.base
            .join(path)
            .map_err(|e| format!("cannot build URL for {path}: {e}"))
    }

    /// `GET {base}{path}?query` (plus `jurisdiction_id`), reading at most `cap` bytes.
    pub async fn get(&self, path: &str, query: &[(&str, &str)], cap: usize) -> HttpResult {
        let mut url = match self.url(path) {
            Ok(u) => u,
            Err(e) => return HttpResult::NotConnected(e),
        };
        {
            let mut pairs = url.query_pairs_mut();
            if let Some(j) = &self.jurisdiction_id {
                pairs.append_pair("jurisdiction_id", j);
            }
            // The key goes in POST bodies only: a query string lands in access logs and proxies.
            for (k, v) in query.iter().filter(|(k, _)| *k != "api_key") {
                pairs.append_pair(k, v);
            }
        }
        if url.query() == Some("") {
            url.set_query(None);
        }
        let request = self
            .http
            .get(url)
            .header(reqwest::header::ACCEPT, "application/json");
        exchange(request, cap).await
    }

    /// `GET` of a next-page URL a server gave, only when it is on the same origin as the base
    /// URL (never anywhere else, and never with the API key). `None` when it is elsewhere.
    pub async fn get_next_page(&self, next: &str, cap: usize) -> Option<HttpResult> {
        let url = self.base.join(next).ok()?;
        if url.origin() != self.base.origin() {
            return None;
        }
        let request = self
            .http
            .get(url)
            .header(reqwest::header::ACCEPT, "application/json");
        Some(exchange(request, cap).await)
    }

    /// `POST {base}requests.json` with a form-encoded body (which holds the API key).
    pub async fn post_request(&self, body: String) -> HttpResult {
        let url = match self.url("requests.json") {
            Ok(u) => u,
            Err(e) => return HttpResult::NotConnected(e),
        };
        let request = self
            .http
            .post(url)
            .header(
                reqwest::header::CONTENT_TYPE,
                "application/x-www-form-urlencoded",
            )
            .header(reqwest::header::ACCEPT, "application/json")
            .body(body);
        exchange(request, MAX_SMALL_BYTES).await
    }
}

/// The HTTP client for the fleet heartbeat (`sync::heartbeat`): the same TLS, redirect and
/// timeout rules as the Open311 client; plain http only with `central.allow_insecure_http`.
pub fn heartbeat_client(
    central: &CentralConfig,
    timeouts: Timeouts,
) -> Result<reqwest::Client, ClientError> {
    let mut builder = reqwest::Client::builder()
        .use_rustls_tls()
        .tls_built_in_native_certs(true)
        .https_only(!central.allow_insecure_http)
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(timeouts.connect)
        .timeout(timeouts.request)
        .user_agent(concat!("guichet/", env!("CARGO_PKG_VERSION")));
    if let Some(ca_path) = &central.extra_ca_file {
        for cert in read_extra_ca(ca_path)? {
            builder = builder.add_root_certificate(cert);
        }
    }
    builder
        .build()
        .map_err(|e| ClientError::Build(e.to_string()))
}

/// `POST url` of a JSON body with extra headers (the heartbeat's device and signature).
pub async fn post_json(
    http: &reqwest::Client,
    url: Url,
    body: Vec<u8>,
    headers: &[(&'static str, String)],
) -> HttpResult {
    let mut request = http
        .post(url)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .body(body);
    for (name, value) in headers {
        request = request.header(*name, value.as_str());
    }
    exchange(request, MAX_SMALL_BYTES).await
}

fn read_extra_ca(path: &Path) -> Result<Vec<reqwest::Certificate>, ClientError> {
    let err = |detail: String| ClientError::ExtraCa {
        path: path.display().to_string(),
        detail,
    };
    let pem = crate::fsutil::read_bounded(path, MAX_SECRET_FILE_BYTES * 16)
        .map_err(|e| err(e.to_string()))?;
    let certs = reqwest::Certificate::from_pem_bundle(&pem)
        .map_err(|e| err(format!("not a PEM certificate bundle: {e}")))?;
    if certs.is_empty() {
        return Err(err("holds no PEM certificate".into()));
    }
    Ok(certs)
}

/// Describes a transport error without its URL (which may carry query data).
fn describe(e: &reqwest::Error) -> String {
    let kind = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "cannot connect"
    } else if e.is_body() || e.is_decode() {
        "answer cut off"
    } else {
        "connection failed"
    };
    let mut detail = kind.to_string();
    let mut source = std::error::Error::source(e);
    // The innermost cause says what actually happened (refused, reset, certificate...).
    while let Some(s) = source {
        detail = format!("{kind}: {s}");
        source = s.source();
    }
    crate::sync::wire::clean_text(&detail, 300)
}

async fn exchange(request: reqwest::RequestBuilder, cap: usize) -> HttpResult {
    let mut response = match request.send().await {
        Ok(r) => r,
        Err(e) if e.is_connect() => return HttpResult::NotConnected(describe(&e)),
        Err(e) => return HttpResult::Broken(describe(&e)),
    };
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let headers = AnswerHeaders::read(response.headers());
    let declared_too_large = response.content_length().is_some_and(|n| n > cap as u64);
    let mut body = Vec::new();
    let mut too_large = declared_too_large;
    while !too_large {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                if body.len() + chunk.len() > cap {
                    too_large = true;
                } else {
                    body.extend_from_slice(&chunk);
                }
            }
            Ok(None) => break,
            Err(e) => return HttpResult::Broken(describe(&e)),
        }
    }
    HttpResult::Answer {
        status,
        content_type,
        body,
        too_large,
        headers,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn central(url: &str, insecure: bool, key: Option<&Path>) -> CentralConfig {
        CentralConfig {
            kind: CentralKind::Open311,
            url: Some(url.into()),
            api_key_file: key.map(Path::to_path_buf),
            allow_insecure_http: insecure,
            ..CentralConfig::default()
        }
    }

    #[test]
    fn plain_http_is_refused_unless_allowed_and_the_key_never_shows() {
        let dir = crate::sync::test_dir();
        let key = dir.join("key");
        std::fs::write(&key, "s3cret-key\n").unwrap();
        let err = Open311Client::new(
            &central("http://127.0.0.1:1/v2", false, Some(&key)),
            Timeouts::default(),
        )
        .unwrap_err();
        assert!(matches!(err, ClientError::InsecureHttp(_)), "{err}");
        let client = Open311Client::new(
            &central("http://127.0.0.1:1/v2", true, Some(&key)),
            Timeouts::default(),
        )
        .unwrap();
        assert_eq!(client.base().as_str(), "http://127.0.0.1:1/v2/");
        assert_eq!(client.api_key().expose(), "s3cret-key");
        assert!(!format!("{client:?}").contains("s3cret"));
        std::fs::write(&key, "").unwrap();
        let err = Open311Client::new(
            &central("https://x.example/", false, Some(&key)),
            Timeouts::default(),
        )
        .unwrap_err();
        assert!(err.to_string().contains("is empty"), "{err}");
    }

    #[test]
    fn an_unusable_extra_ca_is_named() {
        let dir = crate::sync::test_dir();
        let key = dir.join("key");
        std::fs::write(&key, "k").unwrap();
        let ca = dir.join("ca.pem");
        std::fs::write(&ca, "not a certificate").unwrap();
        let mut c = central("https://x.example/", false, Some(&key));
        c.extra_ca_file = Some(ca);
        let err = Open311Client::new(&c, Timeouts::default()).unwrap_err();
        assert!(matches!(err, ClientError::ExtraCa { .. }), "{err}");
    }
}
