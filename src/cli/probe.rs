//! Live checks that `provision` and `doctor` share, so that a value `provision` accepted is the
//! value `doctor` would pass, and both say the same thing about the same fault: the central
//! system (does the URL speak Open311? is the key accepted, where the server lets us tell?) and
//! the printer (does the port answer a `DLE EOT` status request?). And the reading of what the
//! last sync round learnt, which only the stored one-line error tells.

use std::sync::Arc;
use std::time::Duration;

use crate::config::{CentralConfig, Config};
use crate::printer::transport::Destination;
use crate::sync::LinkState;
use crate::sync::classify::{GetOutcome, classify_get};
use crate::sync::client::{MAX_LIST_BYTES, Open311Client, Timeouts};

/// A failed check: what was found, and what to do, each in one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// What is wrong.
    pub detail: String,
    /// What to do about it.
    pub hint: String,
}

impl Problem {
    /// A problem with its fix.
    pub fn new(detail: impl Into<String>, hint: impl Into<String>) -> Problem {
        Problem {
            detail: detail.into(),
            hint: hint.into(),
        }
    }
}

/// What the text of a transport or TLS error says about its cause.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cause {
    /// The server's certificate is "expired" or "not valid yet": usually this kiosk's clock.
    TlsClock,
    /// The server refused the API key (HTTP 401/403, or an Open311 error naming the key).
    KeyRefused,
    /// A web page answered in the server's place.
    CaptivePortal,
    /// Anything else.
    Other,
}

/// Reads the cause out of a one-line error as the client and the sync engine word it.
pub fn cause_of(detail: &str) -> Cause {
    let d = detail.to_ascii_lowercase();
    if d.contains("certificate")
        && (d.contains("expired") || d.contains("notvalidyet") || d.contains("not valid yet"))
    {
        Cause::TlsClock
    } else if d.contains("http 401") || d.contains("http 403") || d.contains("api_key") {
        Cause::KeyRefused
    } else if d.contains("captive portal") || d.contains("web page instead") {
        Cause::CaptivePortal
    } else {
        Cause::Other
    }
}

/// The fix for a fault whose cause is `cause`.
pub fn hint_for(cause: Cause) -> &'static str {
    match cause {
        Cause::TlsClock => {
            "the server's certificate looks expired or not yet valid: check this kiosk's date and time (chrony/NTP), then the server's certificate"
        }
        Cause::KeyRefused => {
            "the council's server refused the API key: put the key the council issued for this kiosk in central.api_key_file"
        }
        Cause::CaptivePortal => {
            "a login page answers instead of the server: log this kiosk's network in, or use a network without a captive portal"
        }
        Cause::Other => {
            "check the network (DNS, firewall: HTTPS out) and central.url; the queue keeps submissions meanwhile"
        }
    }
}

/// Asks `services.json` at the configured URL through the sync client: `Ok` with the number of
/// services when the server answers as an Open311 endpoint.
///
/// GeoReport v2 checks the API key only when a request is submitted, and a test submission
/// would be a real request in the council's system, so the key is only checked where a server
/// already demands it for reading: when the plain GET is refused with 401/403, it is asked
/// again with `api_key`, and that answer tells whether the key is accepted.
pub fn central(central: &CentralConfig) -> Result<String, Problem> {
    // Short timeouts: a technician is waiting.
    let timeouts = Timeouts {
        connect: Duration::from_secs(5),
        request: Duration::from_secs(10),
    };
    let client = Open311Client::new(central, timeouts).map_err(|e| {
        Problem::new(
            e.to_string(),
            "fix central.url / central.api_key_file (see `guichet provision --help`)",
        )
    })?;
    let url = client.base().to_string();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Problem::new(e.to_string(), "the system refuses threads or sockets"))?;
    let mut key_note = "";
    let mut outcome = classify_get(rt.block_on(client.get("services.json", &[], MAX_LIST_BYTES)));
    if matches!(
        outcome,
        GetOutcome::Refused {
            status: 401 | 403,
            ..
        }
    ) {
        let key = client.api_key().expose().to_string();
        outcome = classify_get(rt.block_on(client.get(
            "services.json",
            &[("api_key", &key)],
            MAX_LIST_BYTES,
        )));
        key_note = ", API key accepted";
    }
    match outcome {
        GetOutcome::Document(doc) => match crate::catalog::parse_service_list(&doc) {
            Ok(list) if list.services.is_empty() && list.left_out.is_empty() => Err(Problem::new(
                format!("{url}services.json lists no services"),
                "check central.jurisdiction_id (a server for several councils lists nothing without the right one)",
            )),
            Ok(list) if list.left_out.is_empty() => Ok(format!(
                "{url} answers as Open311 with {} services{key_note}",
                list.services.len()
            )),
            Ok(list) => Ok(format!(
                "{url} answers as Open311 with {} services ({} of them unusable, left out){key_note}",
                list.services.len() + list.left_out.len(),
                list.left_out.len()
            )),
            Err(e) => Err(Problem::new(
                format!("{url}services.json is not an Open311 service list ({e})"),
                "check central.url: the GeoReport v2 base URL, usually ending in /v2/",
            )),
        },
        GetOutcome::Unavailable {
            detail,
            link: LinkState::CaptivePortal,
        } => Err(Problem::new(
            format!("captive portal: a web page answers instead of {url} ({detail})"),
            hint_for(Cause::CaptivePortal),
        )),
        GetOutcome::Unavailable { detail, .. } => Err(Problem::new(
            format!("offline: {url} not reached ({detail})"),
            hint_for(cause_of(&detail)),
        )),
        GetOutcome::Refused {
            status: 401 | 403,
            detail,
        } => Err(Problem::new(
            format!("{url}services.json answered {detail}"),
            hint_for(Cause::KeyRefused),
        )),
        GetOutcome::Refused {
            status: 404,
            detail,
        } => Err(Problem::new(
            format!("{url}services.json answered {detail}"),
            "check central.url: no Open311 endpoint at that path",
        )),
        GetOutcome::Refused { detail, .. } => Err(Problem::new(
            format!("{url}services.json answered {detail}"),
            "check central.url and central.jurisdiction_id; if they are right, ask the council whether their server is down",
        )),
    }
}

/// A printer check that failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrinterProblem {
    /// What and what to do.
    pub problem: Problem,
    /// Nothing answered the status request (as opposed to a printer saying it cannot print).
    pub not_connected: bool,
}

/// Asks the configured printer for its status (`DLE EOT`) through the printer engine: `Ok` with
/// what it said when it answers, including paper warnings; `Err` when it does not answer or
/// cannot print.
pub fn printer(config: &Config, data_dir: &std::path::Path) -> Result<String, PrinterProblem> {
    let mut printer = crate::printer::Printer::new(Arc::new(config.clone()), data_dir.into())
        .map_err(|e| PrinterProblem {
            problem: Problem::new(
                e.to_string(),
                "set printer.profile to one of `guichet printer profiles`",
            ),
            not_connected: false,
        })?;
    let profile = printer.profile().name;
    let port = match printer.destination() {
        Destination::None => return Ok("no printer configured (printer.port = \"none\")".into()),
        Destination::Directory(dir) => {
            return Ok(format!("file sink {} (profile {profile})", dir.display()));
        }
        Destination::Serial { path, .. } => path.clone(),
    };
    let status = printer.status();
    if let Some(reason) = status.problem() {
        let hint = match reason {
            crate::printer::FailureReason::NotConnected => {
                "check the printer's power and cable, printer.port (ls /dev/ttyUSB* /dev/ttyACM*) and printer.baud (the printer's self-test page shows it)"
            }
            crate::printer::FailureReason::PaperOut => "load a new paper roll",
            crate::printer::FailureReason::CoverOpen => "close the printer's cover",
            _ => "switch the printer off and on; clear any paper jam",
        };
        return Err(PrinterProblem {
            problem: Problem::new(format!("{port}: {}", reason.describe()), hint),
            not_connected: reason == crate::printer::FailureReason::NotConnected,
        });
    }
    if status.paper == crate::printer::Paper::NearEnd {
        return Ok(format!(
            "{port}: answers, ready; paper near end: load a new roll soon (profile {profile})"
        ));
    }
    Ok(format!("{port}: answers, ready (profile {profile})"))
}
