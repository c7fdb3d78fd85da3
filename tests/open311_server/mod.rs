//! A faithful Open311 GeoReport v2 server for tests and the drain benchmark: real HTTP/1.1 on
//! 127.0.0.1 (ephemeral port), real SQLite storage in a temporary file, the standard's endpoints
//! and error bodies, and switchable faults.
//!
//! Endpoints (under `/open311/v2/`): `services.json`, `services/{code}.json`, `POST
//! requests.json`, `GET requests.json` (`service_request_id`, `service_code`, `start_date`,
//! `end_date` ≤ 90 days, `status`; at most 1000), `requests/{id}.json`, `tokens/{token}.json`,
//! and FixMyStreet's `servicerequestupdates.json` when enabled.
//!
//! Faults are queued per route with [`Open311Server::inject`] and consumed one per request.
//!
//! Hostile behaviours seen on real servers are modes of [`ServerOptions`]: lists paged newest
//! first with the next page only in headers ([`ListMode`]), no search at all, requests listed
//! only after moderation or after a lag, requests filed under another service code, 404 with an
//! Open311 body everywhere (a wrong URL), Django REST error shapes ([`ErrorStyle`]), a bad key
//! answered with 400, descriptions cut at the server's own limit, an empty `services.json`, one
//! definition answering 404, and a `Date` header off by some time.
#![allow(dead_code)]

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::{Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// The demo catalogue the server offers (services + definitions).
pub const DEFAULT_CATALOG: &str = include_str!("../../src/demo/catalog/en.json");

/// The path prefix of the endpoint.
pub const PREFIX: &str = "/open311/v2/";

/// A misbehaviour, consumed by one request on its route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// `500` with an error body; nothing stored.
    Status500,
    /// The answer comes after this delay (a POST is stored first).
    Slow(Duration),
    /// The connection is closed after the request is read, before anything is stored.
    DropBeforeCommit,
    /// The request is stored, then the connection is closed without an answer.
    DropAfterCommit,
    /// A Wi-Fi login page answers `200 text/html`; nothing stored.
    CaptivePortal,
    /// `200 application/json` with a cut-off document (a POST is stored first).
    MalformedJson,
    /// A POST is stored only after this delay (longer than the client waits), then answered.
    SlowStore(Duration),
    /// `500` with the web framework's HTML error page; nothing stored.
    Html500,
    /// `400` with this reason in the server's error shape; nothing stored.
    Refuse(&'static str),
}

/// How `GET requests.json` searches (by service and dates) behave.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListMode {
    /// Every match, oldest first, at most 1000.
    Normal,
    /// No search: always `[]` (lookups by `service_request_id` still work).
    NoSearch,
    /// Newest first, `page_size` a page, the rest announced only in headers.
    Paged {
        /// Items per page.
        page_size: usize,
        /// How further pages are announced.
        headers: PageHeaders,
    },
    /// A request appears in searches only once a moderator published it
    /// ([`Open311Server::publish_all`]).
    Moderated,
    /// A request appears in searches only this long after it was stored.
    Lagging(Duration),
}

/// How a paged list says there is more.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageHeaders {
    /// `X-Next-Page-URL: <absolute url>` and `X-Result-Count`.
    NextPageUrl,
    /// Only `X-Result-Count: <total>`.
    ResultCount,
    /// `Link: <url>; rel="next"`.
    Link,
}

/// The shape of error bodies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorStyle {
    /// `[{"code": 400, "description": "..."}]` (the standard).
    Open311,
    /// `{"code": 400, "detail": "..."}` (Django REST framework).
    DjangoString,
    /// `{"code": 400, "detail": ["..."]}`.
    DjangoList,
}

/// Which requests a fault applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Route {
    /// `GET services.json`.
    Services,
    /// `GET services/{code}.json`.
    Definition,
    /// `POST requests.json`.
    PostRequest,
    /// `GET requests.json`.
    ListRequests,
    /// `GET requests/{id}.json`.
    GetRequest,
    /// `GET tokens/{token}.json`.
    Token,
    /// `GET servicerequestupdates.json`.
    Updates,
    /// Any route.
    Any,
    /// Anything else (404).
    Other,
}

/// How the server behaves.
#[derive(Debug, Clone)]
pub struct ServerOptions {
    /// The only `api_key` accepted on POST.
    pub api_key: String,
    /// `jurisdiction_id` required on every call, when set.
    pub jurisdiction_id: Option<String>,
    /// Most requests handled at once; more get `503` and are counted in `over_limit`.
    pub max_concurrency: usize,
    /// Service codes and request ids as JSON numbers (seen in real servers).
    pub numeric_codes: bool,
    /// POST answers with a `token`; `tokens/{token}.json` gives the id.
    pub token_mode: bool,
    /// Offer `servicerequestupdates.json`.
    pub updates_extension: bool,
    /// `{"services": [...], "definitions": {...}}`.
    pub catalog: String,
    /// How searches behave.
    pub list_mode: ListMode,
    /// Every request is filed under this (catalogue) service code, whatever was sent.
    pub file_under: Option<String>,
    /// Every route answers `404` with an Open311 error body (the kiosk has a wrong URL).
    pub all_404: bool,
    /// The shape of error bodies.
    pub error_style: ErrorStyle,
    /// The status a wrong API key gets (403 by the standard; 400 seen).
    pub bad_key_status: u16,
    /// Descriptions are cut to this many characters when stored.
    pub truncate_description: Option<usize>,
    /// `services.json` answers `200 []`.
    pub empty_services: bool,
    /// This service's definition answers 404.
    pub definition_404: Option<String>,
    /// The `Date` header is this many seconds off the real time.
    pub date_skew_s: Option<i64>,
}

impl Default for ServerOptions {
    fn default() -> Self {
        ServerOptions {
            api_key: "test-api-key".into(),
            jurisdiction_id: None,
            max_concurrency: 64,
            numeric_codes: false,
            token_mode: false,
            updates_extension: false,
            catalog: DEFAULT_CATALOG.into(),
            list_mode: ListMode::Normal,
            file_under: None,
            all_404: false,
            error_style: ErrorStyle::Open311,
            bad_key_status: 403,
            truncate_description: None,
            empty_services: false,
            definition_404: None,
            date_skew_s: None,
        }
    }
}

/// A request as the server stored it.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredRequest {
    /// `service_request_id`.
    pub id: i64,
    /// Token (token mode).
    pub token: Option<String>,
    /// Every form field as received, in order.
    pub form: Vec<(String, String)>,
    /// `service_code` (as sent).
    pub service_code: String,
    /// `description`.
    pub description: String,
    /// `requested_datetime`.
    pub requested_at: String,
    /// `status`.
    pub status: String,
}

impl StoredRequest {
    /// Every value of a form field.
    pub fn all(&self, key: &str) -> Vec<&str> {
        self.form
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// The single value of a form field.
    pub fn one(&self, key: &str) -> Option<&str> {
        let all = self.all(key);
        assert!(all.len() <= 1, "{key} sent {} times", all.len());
        all.first().copied()
    }
}

struct Shared {
    opts: ServerOptions,
    db: Mutex<Connection>,
    faults: Mutex<Vec<(Route, Fault, usize)>>,
    in_flight: AtomicUsize,
    peak: AtomicUsize,
    over_limit: AtomicUsize,
    hits: Mutex<HashMap<Route, usize>>,
    answers: Mutex<Vec<(Route, Vec<u8>)>>,
    services: Vec<Value>,
    definitions: BTreeMap<String, Value>,
    started: std::time::Instant,
    port: std::sync::OnceLock<u16>,
    keys_in_urls: AtomicUsize,
}

/// The running server. Dropping it stops it.
pub struct Open311Server {
    shared: Arc<Shared>,
    port: u16,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
    dir: PathBuf,
}

fn now() -> String {
    OffsetDateTime::now_utc()
        .replace_nanosecond(0)
        .unwrap()
        .format(&Rfc3339)
        .unwrap()
}

/// The server's own clock: off by `date_skew_s` when set (as its `Date` header is).
fn server_now(shared: &Shared) -> String {
    (OffsetDateTime::now_utc() + time::Duration::seconds(shared.opts.date_skew_s.unwrap_or(0)))
        .replace_nanosecond(0)
        .unwrap()
        .format(&Rfc3339)
        .unwrap()
}

impl Open311Server {
    /// Starts a server with default options.
    pub fn start() -> Open311Server {
        Open311Server::start_with(ServerOptions::default())
    }

    /// Starts a server.
    pub fn start_with(opts: ServerOptions) -> Open311Server {
        let dir = guichet::fsutil::test_dir("open311");
        let db = Connection::open(dir.join("open311.sqlite3")).unwrap();
        db.pragma_update(None, "journal_mode", "WAL").unwrap();
        db.pragma_update(None, "synchronous", "NORMAL").unwrap();
        db.execute_batch(
            "CREATE TABLE requests (
                id INTEGER PRIMARY KEY, token TEXT, service_code TEXT NOT NULL,
                description TEXT NOT NULL, address TEXT, lat REAL, long REAL,
                form TEXT NOT NULL, status TEXT NOT NULL, service_notice TEXT,
                requested_at TEXT NOT NULL, updated_at TEXT NOT NULL,
                published INTEGER NOT NULL DEFAULT 0, stored_mono_ms INTEGER NOT NULL DEFAULT 0);
             CREATE TABLE updates (
                id INTEGER PRIMARY KEY, request_id INTEGER NOT NULL, status TEXT NOT NULL,
                description TEXT NOT NULL, at TEXT NOT NULL);",
        )
        .unwrap();
        let catalog: Value = serde_json::from_str(&opts.catalog).unwrap();
        let services = catalog["services"].as_array().cloned().unwrap_or_default();
        let definitions = catalog["definitions"]
            .as_object()
            .map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
            .unwrap_or_default();
        let shared = Arc::new(Shared {
            opts,
            db: Mutex::new(db),
            faults: Mutex::new(Vec::new()),
            in_flight: AtomicUsize::new(0),
            peak: AtomicUsize::new(0),
            over_limit: AtomicUsize::new(0),
            hits: Mutex::new(HashMap::new()),
            answers: Mutex::new(Vec::new()),
            services,
            definitions,
            started: std::time::Instant::now(),
            keys_in_urls: AtomicUsize::new(0),
            port: std::sync::OnceLock::new(),
        });
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let port = listener.local_addr().unwrap().port();
        let _ = shared.port.set(port);
        let (stop, mut stop_rx) = tokio::sync::oneshot::channel::<()>();
        let thread_shared = shared.clone();
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).unwrap();
                loop {
                    tokio::select! {
                        accepted = listener.accept() => {
                            let Ok((stream, _)) = accepted else { continue };
                            let _ = stream.set_nodelay(true);
                            let shared = thread_shared.clone();
                            tokio::spawn(async move {
                                let service = service_fn(move |req| handle(shared.clone(), req));
                                let _ = http1::Builder::new()
                                    .serve_connection(TokioIo::new(stream), service)
                                    .await;
                            });
                        }
                        _ = &mut stop_rx => break,
                    }
                }
            });
            rt.shutdown_timeout(Duration::from_millis(100));
        });
        Open311Server {
            shared,
            port,
            stop: Some(stop),
            thread: Some(thread),
            dir,
        }
    }

    /// The GeoReport v2 base URL (ends in `/`).
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}{PREFIX}", self.port)
    }

    /// The port.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The next `times` requests on `route` suffer `fault` (`usize::MAX`: until cleared).
    pub fn inject(&self, route: Route, fault: Fault, times: usize) {
        self.shared
            .faults
            .lock()
            .unwrap()
            .push((route, fault, times));
    }

    /// Removes every pending fault.
    pub fn clear_faults(&self) {
        self.shared.faults.lock().unwrap().clear();
    }

    /// Everything stored, in id order.
    pub fn requests(&self) -> Vec<StoredRequest> {
        let db = self.shared.db.lock().unwrap();
        let mut stmt = db
            .prepare(
                "SELECT id, token, form, service_code, description, requested_at, status
                 FROM requests ORDER BY id",
            )
            .unwrap();
        stmt.query_map([], |r| {
            let form: String = r.get(2)?;
            Ok(StoredRequest {
                id: r.get(0)?,
                token: r.get(1)?,
                form: serde_json::from_str(&form).unwrap(),
                service_code: r.get(3)?,
                description: r.get(4)?,
                requested_at: r.get(5)?,
                status: r.get(6)?,
            })
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
    }

    /// Requests carrying `Kiosk reference: REF` (the line the kiosk sends, wherever it is, as
    /// sent: a truncating server still has it in the form).
    pub fn with_reference(&self, reference: &str) -> Vec<StoredRequest> {
        let line = format!("Kiosk reference: {reference}");
        self.requests()
            .into_iter()
            .filter(|r| {
                let sent = r.one("description").unwrap_or(&r.description).to_string();
                sent.lines().any(|l| l.trim() == line)
            })
            .collect()
    }

    /// Changes a request's status, as council staff would, logging an update.
    pub fn set_status(&self, id: i64, status: &str) {
        let db = self.shared.db.lock().unwrap();
        let at = now();
        db.execute(
            "UPDATE requests SET status = ?2, updated_at = ?3 WHERE id = ?1",
            params![id, status, at],
        )
        .unwrap();
        db.execute(
            "INSERT INTO updates (request_id, status, description, at) VALUES (?1, ?2, '', ?3)",
            params![id, status, at],
        )
        .unwrap();
    }

    /// Requests whose URL carried an `api_key` (it belongs in POST bodies only).
    pub fn keys_in_urls(&self) -> usize {
        self.shared.keys_in_urls.load(Ordering::SeqCst)
    }

    /// Stores `n` requests for `service_code` from someone else (the council's web form), now.
    pub fn seed_requests(&self, service_code: &str, n: usize) {
        let db = self.shared.db.lock().unwrap();
        let at = server_now(&self.shared);
        for i in 0..n {
            db.execute(
                "INSERT INTO requests (service_code, description, address, form, status,
                                       requested_at, updated_at, published, stored_mono_ms)
                 VALUES (?1, ?2, 'somewhere', '[]', 'open', ?3, ?3, 1, 0)",
                params![service_code, format!("reported on the web site, {i}"), at],
            )
            .unwrap();
        }
    }

    /// Stores a request as the council's web form would, with this description, now.
    pub fn plant(&self, service_code: &str, description: &str) -> i64 {
        let db = self.shared.db.lock().unwrap();
        let at = server_now(&self.shared);
        db.execute(
            "INSERT INTO requests (service_code, description, address, form, status,
                                   requested_at, updated_at, published, stored_mono_ms)
             VALUES (?1, ?2, 'somewhere', '[]', 'open', ?3, ?3, 1, 0)",
            params![service_code, description, at],
        )
        .unwrap();
        db.last_insert_rowid()
    }

    /// Publishes every request (moderation mode): searches list them from now on.
    pub fn publish_all(&self) {
        let db = self.shared.db.lock().unwrap();
        db.execute("UPDATE requests SET published = 1", []).unwrap();
    }

    /// The most requests ever handled at once.
    pub fn peak_concurrency(&self) -> usize {
        self.shared.peak.load(Ordering::SeqCst)
    }

    /// Requests refused because the concurrency limit was exceeded.
    pub fn over_limit(&self) -> usize {
        self.shared.over_limit.load(Ordering::SeqCst)
    }

    /// Requests received on a route (faulted ones included).
    pub fn hits(&self, route: Route) -> usize {
        *self.shared.hits.lock().unwrap().get(&route).unwrap_or(&0)
    }

    /// The last answers (at most 200) the server gave with status 200, by route.
    pub fn answers(&self, route: Route) -> Vec<Value> {
        self.shared
            .answers
            .lock()
            .unwrap()
            .iter()
            .filter(|(r, _)| *r == route)
            .filter_map(|(_, body)| serde_json::from_slice(body).ok())
            .collect()
    }
}

impl Drop for Open311Server {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

type Answer = Response<Full<Bytes>>;

/// Returned to hyper to close the connection without an answer.
#[derive(Debug)]
struct Dropped;
impl std::fmt::Display for Dropped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped on purpose")
    }
}
impl std::error::Error for Dropped {}

struct InFlight<'a>(&'a AtomicUsize);
impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

fn json_answer(status: StatusCode, value: &Value) -> Answer {
    Response::builder()
        .status(status)
        .header("content-type", "application/json; charset=utf-8")
        .body(Full::new(Bytes::from(value.to_string())))
        .unwrap()
}

fn error(shared: &Shared, status: StatusCode, description: &str) -> Answer {
    let code = status.as_u16();
    let body = match shared.opts.error_style {
        ErrorStyle::Open311 => json!([{"code": code, "description": description}]),
        ErrorStyle::DjangoString => json!({"code": code, "detail": description}),
        ErrorStyle::DjangoList => json!({"code": code, "detail": [description]}),
    };
    json_answer(status, &body)
}

/// Milliseconds since the server started (for the lagging search).
fn mono_ms(shared: &Shared) -> i64 {
    shared.started.elapsed().as_millis() as i64
}

/// An HTTP date (`Tue, 01 Dec 2026 10:16:59 GMT`).
fn http_date(at: OffsetDateTime) -> String {
    const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    format!(
        "{}, {:02} {} {} {:02}:{:02}:{:02} GMT",
        DAYS[at.weekday().number_days_from_monday() as usize],
        at.day(),
        MONTHS[u8::from(at.month()) as usize - 1],
        at.year(),
        at.hour(),
        at.minute(),
        at.second()
    )
}

fn route_of(method: &Method, path: &str) -> Route {
    match (method, path) {
        (&Method::GET, "services.json") => Route::Services,
        (&Method::GET, p) if p.starts_with("services/") && p.ends_with(".json") => {
            Route::Definition
        }
        (&Method::POST, "requests.json") => Route::PostRequest,
        (&Method::GET, "requests.json") => Route::ListRequests,
        (&Method::GET, p) if p.starts_with("requests/") && p.ends_with(".json") => {
            Route::GetRequest
        }
        (&Method::GET, p) if p.starts_with("tokens/") && p.ends_with(".json") => Route::Token,
        (&Method::GET, "servicerequestupdates.json") => Route::Updates,
        _ => Route::Other,
    }
}

fn take_fault(shared: &Shared, route: Route) -> Option<Fault> {
    let mut faults = shared.faults.lock().unwrap();
    let i = faults
        .iter()
        .position(|(r, _, n)| (*r == route || *r == Route::Any) && *n > 0)?;
    let fault = faults[i].1;
    if faults[i].2 != usize::MAX {
        faults[i].2 -= 1;
    }
    if faults[i].2 == 0 {
        faults.remove(i);
    }
    Some(fault)
}

async fn handle(shared: Arc<Shared>, req: Request<Incoming>) -> Result<Answer, Dropped> {
    let current = shared.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
    let _guard = InFlight(&shared.in_flight);
    shared.peak.fetch_max(current, Ordering::SeqCst);
    let method = req.method().clone();
    let path = req
        .uri()
        .path()
        .strip_prefix(PREFIX)
        .unwrap_or("")
        .to_string();
    let query: Vec<(String, String)> = req
        .uri()
        .query()
        .map(|q| {
            url::form_urlencoded::parse(q.as_bytes())
                .into_owned()
                .collect()
        })
        .unwrap_or_default();
    let route = route_of(&method, &path);
    *shared.hits.lock().unwrap().entry(route).or_insert(0) += 1;
    if query.iter().any(|(k, _)| k == "api_key") {
        shared.keys_in_urls.fetch_add(1, Ordering::SeqCst);
    }
    let body = match Limited::new(req.into_body(), 1 << 20).collect().await {
        Ok(b) => b.to_bytes(),
        Err(_) => {
            return Ok(error(
                &shared,
                StatusCode::PAYLOAD_TOO_LARGE,
                "request too large",
            ));
        }
    };
    if current > shared.opts.max_concurrency {
        shared.over_limit.fetch_add(1, Ordering::SeqCst);
        return Ok(error(
            &shared,
            StatusCode::SERVICE_UNAVAILABLE,
            "too many concurrent requests",
        ));
    }
    if shared.opts.all_404 {
        return Ok(with_date(
            &shared,
            error(&shared, StatusCode::NOT_FOUND, "Not found."),
        ));
    }
    let fault = take_fault(&shared, route);
    match fault {
        Some(Fault::Html500) => {
            return Ok(Response::builder()
                .status(500)
                .header("content-type", "text/html; charset=utf-8")
                .body(Full::new(Bytes::from_static(
                    b"<!doctype html><html><head><title>Server Error (500)</title></head><body><h1>Server Error (500)</h1></body></html>",
                )))
                .unwrap());
        }
        Some(Fault::Refuse(reason)) => {
            return Ok(error(&shared, StatusCode::BAD_REQUEST, reason));
        }

        Some(Fault::CaptivePortal) => {
            return Ok(Response::builder()
                .status(200)
                .header("content-type", "text/html")
                .body(Full::new(Bytes::from_static(
                    b"<!DOCTYPE html><html><body><h1>Library Wi-Fi</h1><form>Accept the terms</form></body></html>",
                )))
                .unwrap());
        }
        Some(Fault::Status500) => {
            return Ok(error(
                &shared,
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal error",
            ));
        }
        Some(Fault::DropBeforeCommit) => return Err(Dropped),
        _ => {}
    }
    let query_value = |k: &str| {
        query
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.as_str())
    };
    if let Some(j) = &shared.opts.jurisdiction_id {
        let sent = if route == Route::PostRequest {
            url::form_urlencoded::parse(&body)
                .find(|(k, _)| k == "jurisdiction_id")
                .map(|(_, v)| v.into_owned())
        } else {
            query_value("jurisdiction_id").map(str::to_string)
        };
        if sent.as_deref() != Some(j.as_str()) {
            return Ok(error(
                &shared,
                StatusCode::BAD_REQUEST,
                "jurisdiction_id not found",
            ));
        }
    }
    let answer = match route {
        Route::Services => services(&shared),
        Route::Definition => definition(&shared, &path),
        Route::PostRequest => match fault {
            // Stored after the delay even if the client has given up and hung up meanwhile
            // (a detached task, as a server's worker finishing its job).
            Some(Fault::SlowStore(d)) => {
                let (task_shared, task_body) = (shared.clone(), body.clone());
                tokio::spawn(async move {
                    tokio::time::sleep(d).await;
                    post_request(&task_shared, &task_body)
                })
                .await
                .unwrap()
            }
            _ => post_request(&shared, &body),
        },
        Route::ListRequests => list_requests(&shared, &query_value, &query),
        Route::GetRequest => one_request(&shared, &path),
        Route::Token => token(&shared, &path),
        Route::Updates => updates(&shared, &query_value),
        Route::Any | Route::Other => error(&shared, StatusCode::NOT_FOUND, "no such endpoint"),
    };
    match fault {
        Some(Fault::DropAfterCommit) => return Err(Dropped),
        Some(Fault::Slow(d)) => tokio::time::sleep(d).await,
        Some(Fault::MalformedJson) => {
            return Ok(Response::builder()
                .status(200)
                .header("content-type", "application/json")
                .body(Full::new(Bytes::from_static(b"[{\"service_request_id\": ")))
                .unwrap());
        }
        _ => {}
    }
    let answer = with_date(&shared, answer);
    if answer.status() == StatusCode::OK {
        // Full<Bytes> is cheap to clone; read it back for the record.
        let collected = futures_bytes(answer.body().clone()).await;
        let mut answers = shared.answers.lock().unwrap();
        if answers.len() >= 200 {
            answers.remove(0);
        }
        answers.push((route, collected));
    }
    Ok(answer)
}

/// Sets the `Date` header off by the configured skew.
fn with_date(shared: &Shared, mut answer: Answer) -> Answer {
    if let Some(skew) = shared.opts.date_skew_s {
        let at = OffsetDateTime::now_utc() + time::Duration::seconds(skew);
        answer
            .headers_mut()
            .insert("date", http_date(at).parse().unwrap());
    }
    answer
}

async fn futures_bytes(body: Full<Bytes>) -> Vec<u8> {
    body.collect()
        .await
        .map(|c| c.to_bytes().to_vec())
        .unwrap_or_default()
}

/// The server's code for a catalogue code (numeric mode: 37, 38...).
fn wire_code(shared: &Shared, code: &str) -> Value {
    if shared.opts.numeric_codes {
        let i = shared
            .services
            .iter()
            .position(|s| s["service_code"] == code)
            .unwrap_or(0);
        json!(37 + i)
    } else {
        json!(code)
    }
}

/// The catalogue code for a code as sent on the wire.
fn catalog_code(shared: &Shared, sent: &str) -> Option<String> {
    shared.services.iter().find_map(|s| {
        let code = s["service_code"].as_str()?;
        let wire = wire_code(shared, code);
        let matches = match &wire {
            Value::String(w) => w == sent,
            other => other.as_u64().is_some() && sent.parse::<u64>().ok() == other.as_u64(),
        };
        matches.then(|| code.to_string())
    })
}

fn services(shared: &Shared) -> Answer {
    if shared.opts.empty_services {
        return json_answer(StatusCode::OK, &json!([]));
    }
    let list: Vec<Value> = shared
        .services
        .iter()
        .map(|s| {
            let code = s["service_code"].as_str().unwrap_or_default();
            let keywords = s["keywords"]
                .as_array()
                .map(|k| {
                    k.iter()
                        .filter_map(Value::as_str)
                        .collect::<Vec<_>>()
                        .join(",")
                })
                .unwrap_or_default();
            json!({
                "service_code": wire_code(shared, code),
                "service_name": s["service_name"],
                "description": s["description"],
                "metadata": s["metadata"],
                "type": s["type"],
                "keywords": keywords,
                "group": s["group"],
            })
        })
        .collect();
    json_answer(StatusCode::OK, &Value::Array(list))
}

fn definition(shared: &Shared, path: &str) -> Answer {
    let sent = path
        .trim_start_matches("services/")
        .trim_end_matches(".json");
    let sent = percent_decode(sent);
    let Some(code) = catalog_code(shared, &sent) else {
        return error(shared, StatusCode::NOT_FOUND, "service_code not found");
    };
    if shared.opts.definition_404.as_deref() == Some(code.as_str()) {
        return error(
            shared,
            StatusCode::NOT_FOUND,
            "service definition not found",
        );
    }
    let Some(def) = shared.definitions.get(&code) else {
        return error(shared, StatusCode::NOT_FOUND, "service has no definition");
    };
    let mut def = def.clone();
    def["service_code"] = wire_code(shared, &code);
    json_answer(StatusCode::OK, &def)
}

fn percent_decode(s: &str) -> String {
    url::form_urlencoded::parse(format!("x={}", s.replace('+', "%2B")).as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

/// Checks a POST as a strict council server would, then stores it.
fn post_request(shared: &Shared, body: &[u8]) -> Answer {
    let form: Vec<(String, String)> = url::form_urlencoded::parse(body).into_owned().collect();
    let get = |k: &str| {
        form.iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.as_str())
    };
    if get("api_key") != Some(shared.opts.api_key.as_str()) {
        let status = StatusCode::from_u16(shared.opts.bad_key_status).unwrap();
        return error(shared, status, "Invalid api_key");
    }
    let Some(sent_code) = get("service_code") else {
        return error(shared, StatusCode::BAD_REQUEST, "service_code is required");
    };
    let Some(code) = catalog_code(shared, sent_code) else {
        return error(
            shared,
            StatusCode::BAD_REQUEST,
            &format!("Service code {sent_code} is not a valid service"),
        );
    };
    let lat = get("lat").map(str::parse::<f64>);
    let long = get("long").map(str::parse::<f64>);
    let has_coordinates = matches!((&lat, &long), (Some(Ok(_)), Some(Ok(_))));
    if !has_coordinates && get("address_string").is_none() && get("address_id").is_none() {
        return error(
            shared,
            StatusCode::BAD_REQUEST,
            "A location is required: lat and long, address_string or address_id",
        );
    }
    let description = get("description").unwrap_or_default();
    if description.chars().count() > 4000 {
        return error(
            shared,
            StatusCode::BAD_REQUEST,
            "description is longer than 4000 characters",
        );
    }
    if let Some(def) = shared.definitions.get(&code)
        && let Some(problem) = check_attributes(def, &form)
    {
        return error(shared, StatusCode::BAD_REQUEST, &problem);
    }
    let at = server_now(shared);
    let code = shared.opts.file_under.clone().unwrap_or(code);
    let description: String = match shared.opts.truncate_description {
        Some(n) => description.chars().take(n).collect(),
        None => description.to_string(),
    };
    let db = shared.db.lock().unwrap();
    db.execute(
        "INSERT INTO requests (service_code, description, address, lat, long, form, status,
                               service_notice, requested_at, updated_at, stored_mono_ms)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'open', 'The council will review your report.', ?7, ?7, ?8)",
        params![
            code,
            description,
            get("address_string"),
            lat.and_then(Result::ok),
            long.and_then(Result::ok),
            serde_json::to_string(&form).unwrap(),
            at,
            mono_ms(shared)
        ],
    )
    .unwrap();
    let id = db.last_insert_rowid();
    let token = format!("tok-{id:06}");
    db.execute(
        "UPDATE requests SET token = ?2 WHERE id = ?1",
        params![id, token],
    )
    .unwrap();
    let answer = if shared.opts.token_mode {
        json!([{"token": token, "service_notice": "Queued for processing."}])
    } else {
        json!([{"service_request_id": wire_id(shared, id), "service_notice": "The council will review your report."}])
    };
    json_answer(StatusCode::OK, &answer)
}

fn wire_id(shared: &Shared, id: i64) -> Value {
    if shared.opts.numeric_codes {
        json!(id)
    } else {
        json!(id.to_string())
    }
}

fn check_attributes(def: &Value, form: &[(String, String)]) -> Option<String> {
    for attr in def["attributes"].as_array()? {
        if attr["variable"] == false {
            continue;
        }
        let code = attr["code"].as_str()?;
        let multi = attr["datatype"] == "multivaluelist";
        let key = if multi {
            format!("attribute[{code}][]")
        } else {
            format!("attribute[{code}]")
        };
        let values: Vec<&str> = form
            .iter()
            .filter(|(k, _)| *k == key)
            .map(|(_, v)| v.as_str())
            .collect();
        let wrong_form = if multi {
            format!("attribute[{code}]")
        } else {
            format!("attribute[{code}][]")
        };
        if form.iter().any(|(k, _)| *k == wrong_form) {
            return Some(format!("attribute {code} sent in the wrong form"));
        }
        if attr["required"] == true && values.is_empty() {
            return Some(format!("attribute {code} is required"));
        }
        if !multi && values.len() > 1 {
            return Some(format!("attribute {code} takes one value"));
        }
        if let Some(allowed) = attr["values"].as_array().filter(|v| !v.is_empty()) {
            for v in &values {
                if !allowed.iter().any(|a| a["key"] == *v) {
                    return Some(format!("attribute {code} has no value {v}"));
                }
            }
        }
    }
    None
}

fn render(shared: &Shared, row: &rusqlite::Row<'_>) -> rusqlite::Result<Value> {
    let id: i64 = row.get(0)?;
    let code: String = row.get(1)?;
    let name = shared
        .services
        .iter()
        .find(|s| s["service_code"] == code.as_str())
        .map(|s| s["service_name"].clone())
        .unwrap_or(Value::Null);
    Ok(json!({
        "service_request_id": wire_id(shared, id),
        "status": row.get::<_, String>(2)?,
        "status_notes": null,
        "service_name": name,
        "service_code": wire_code(shared, &code),
        "description": row.get::<_, String>(3)?,
        "agency_responsible": null,
        "service_notice": row.get::<_, Option<String>>(4)?,
        "requested_datetime": row.get::<_, String>(5)?,
        "updated_datetime": row.get::<_, String>(6)?,
        "expected_datetime": null,
        "address": row.get::<_, Option<String>>(7)?,
        "address_id": null,
        "zipcode": null,
        "lat": row.get::<_, Option<f64>>(8)?,
        "long": row.get::<_, Option<f64>>(9)?,
        "media_url": null,
    }))
}

const COLUMNS: &str = "id, service_code, status, description, service_notice, requested_at,
                       updated_at, address, lat, long";

fn list_requests<'a>(
    shared: &Shared,
    q: &dyn Fn(&str) -> Option<&'a str>,
    query: &[(String, String)],
) -> Answer {
    let db = shared.db.lock().unwrap();
    let mut out = Vec::new();
    if let Some(ids) = q("service_request_id") {
        for id in ids.split(',') {
            let Ok(id) = id.trim().parse::<i64>() else {
                continue;
            };
            let row = db
                .query_row(
                    &format!("SELECT {COLUMNS} FROM requests WHERE id = ?1"),
                    [id],
                    |r| render(shared, r),
                )
                .optional()
                .unwrap();
            out.extend(row);
        }
        return json_answer(StatusCode::OK, &Value::Array(out));
    }
    let parse = |s: Option<&str>| s.and_then(|s| OffsetDateTime::parse(s, &Rfc3339).ok());
    let end = parse(q("end_date")).unwrap_or_else(OffsetDateTime::now_utc);
    let start = parse(q("start_date")).unwrap_or(end - time::Duration::days(90));
    if end - start > time::Duration::days(90) || start > end {
        return error(
            shared,
            StatusCode::BAD_REQUEST,
            "start_date and end_date may not span more than 90 days",
        );
    }
    let code = match q("service_code") {
        Some(sent) => match catalog_code(shared, sent) {
            Some(c) => Some(c),
            None => return json_answer(StatusCode::OK, &json!([])),
        },
        None => None,
    };
    if shared.opts.list_mode == ListMode::NoSearch {
        return json_answer(StatusCode::OK, &json!([]));
    }
    let newest_first = matches!(shared.opts.list_mode, ListMode::Paged { .. });
    let mut stmt = db
        .prepare(&format!(
            "SELECT {COLUMNS}, published, stored_mono_ms FROM requests
             WHERE (?1 IS NULL OR service_code = ?1) AND (?2 IS NULL OR status = ?2)
             ORDER BY id {}",
            if newest_first { "DESC" } else { "ASC" }
        ))
        .unwrap();
    let rows = stmt
        .query_map(params![code, q("status")], |r| {
            let requested: String = r.get(5)?;
            let published: bool = r.get::<_, i64>(10)? == 1;
            let stored: i64 = r.get(11)?;
            Ok((requested, published, stored, render(shared, r)?))
        })
        .unwrap();
    let now_ms = mono_ms(shared);
    for row in rows {
        let (requested, published, stored, value) = row.unwrap();
        let Ok(at) = OffsetDateTime::parse(&requested, &Rfc3339) else {
            continue;
        };
        let visible = match shared.opts.list_mode {
            ListMode::Moderated => published,
            ListMode::Lagging(lag) => now_ms - stored >= lag.as_millis() as i64,
            _ => true,
        };
        if visible && at >= start && at <= end {
            out.push(value);
        }
    }
    let ListMode::Paged { page_size, headers } = shared.opts.list_mode else {
        out.truncate(1000);
        return json_answer(StatusCode::OK, &Value::Array(out));
    };
    let total = out.len();
    let page: usize = q("page").and_then(|p| p.parse().ok()).unwrap_or(1).max(1);
    let items: Vec<Value> = out
        .into_iter()
        .skip((page - 1) * page_size)
        .take(page_size)
        .collect();
    let mut answer = json_answer(StatusCode::OK, &Value::Array(items));
    let more = page * page_size < total;
    let next = {
        let mut url = url::Url::parse(&format!(
            "http://127.0.0.1:{}{PREFIX}requests.json",
            shared.port.get().copied().unwrap_or(0)
        ))
        .unwrap();
        {
            let mut pairs = url.query_pairs_mut();
            for (k, v) in query.iter().filter(|(k, _)| k != "page") {
                pairs.append_pair(k, v);
            }
            pairs.append_pair("page", &(page + 1).to_string());
        }
        url.to_string()
    };
    let h = answer.headers_mut();
    match headers {
        PageHeaders::NextPageUrl => {
            h.insert("x-result-count", total.to_string().parse().unwrap());
            if more {
                h.insert("x-next-page-url", next.parse().unwrap());
            }
        }
        PageHeaders::ResultCount => {
            h.insert("x-result-count", total.to_string().parse().unwrap());
        }
        PageHeaders::Link => {
            if more {
                h.insert("link", format!("<{next}>; rel=\"next\"").parse().unwrap());
            }
        }
    }
    answer
}

fn one_request(shared: &Shared, path: &str) -> Answer {
    let id = path
        .trim_start_matches("requests/")
        .trim_end_matches(".json");
    let Ok(id) = id.parse::<i64>() else {
        return error(
            shared,
            StatusCode::NOT_FOUND,
            "service_request_id not found",
        );
    };
    let db = shared.db.lock().unwrap();
    let row = db
        .query_row(
            &format!("SELECT {COLUMNS} FROM requests WHERE id = ?1"),
            [id],
            |r| render(shared, r),
        )
        .optional()
        .unwrap();
    match row {
        Some(v) => json_answer(StatusCode::OK, &json!([v])),
        None => error(
            shared,
            StatusCode::NOT_FOUND,
            "service_request_id not found",
        ),
    }
}

fn token(shared: &Shared, path: &str) -> Answer {
    let token = percent_decode(path.trim_start_matches("tokens/").trim_end_matches(".json"));
    let db = shared.db.lock().unwrap();
    let id: Option<i64> = db
        .query_row("SELECT id FROM requests WHERE token = ?1", [&token], |r| {
            r.get(0)
        })
        .optional()
        .unwrap();
    match id {
        Some(id) => json_answer(
            StatusCode::OK,
            &json!([{"service_request_id": wire_id(shared, id), "token": token}]),
        ),
        None => error(shared, StatusCode::NOT_FOUND, "token not found"),
    }
}

fn updates<'a>(shared: &Shared, q: &dyn Fn(&str) -> Option<&'a str>) -> Answer {
    if !shared.opts.updates_extension {
        return error(shared, StatusCode::NOT_FOUND, "no such endpoint");
    }
    let start = q("start_date").unwrap_or("").to_string();
    let end = q("end_date").map_or_else(now, str::to_string);
    let db = shared.db.lock().unwrap();
    let mut stmt = db
        .prepare(
            "SELECT id, request_id, status, description, at FROM updates
             WHERE at >= ?1 AND at <= ?2 ORDER BY id",
        )
        .unwrap();
    let list: Vec<Value> = stmt
        .query_map(params![start, end], |r| {
            Ok(json!({
                "update_id": r.get::<_, i64>(0)?.to_string(),
                "service_request_id": wire_id(shared, r.get(1)?),
                "status": r.get::<_, String>(2)?,
                "description": r.get::<_, String>(3)?,
                "updated_datetime": r.get::<_, String>(4)?,
                "media_url": null,
            }))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    json_answer(StatusCode::OK, &json!({"service_request_updates": list}))
}
