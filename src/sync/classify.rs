//! What an exchange with the server means for a submission. Every outcome falls in exactly one
//! class, and only an explicit Open311 success counts as delivered: proxies and captive portals
//! answer `200` too.
//!
//! | what happened | class |
//! |---|---|
//! | no connection made | [`PostOutcome::NotProcessed`]: retry later, no lookup needed |
//! | 2xx with `[{service_request_id or token}]` | [`PostOutcome::Accepted`] |
//! | 4xx with an error body (`[{code, description}]`, or `{code, detail}`) | [`PostOutcome::Rejected`] with the reason; the engine turns it into a rejection only when the round proved the server is the Open311 endpoint, and holds a surge of identical ones |
//! | 401/403/407, any refusal naming the API key, 429 | `NotProcessed`: the kiosk's problem or the server's load, not the resident's |
//! | 2xx/3xx/511 with a web page | `Unknown`, link: captive portal |
//! | timeout, reset, cut answer, 5xx (web page or not: a server error, never a portal), any other answer | [`PostOutcome::Unknown`]: the request may have been stored, so it is looked up before any resend |

use std::time::Duration;

use super::client::HttpResult;
use super::connectivity::LinkState;
use super::wire::{Receipt, is_key_problem, parse_errors, parse_post_answer};

/// The meaning of one `POST requests.json`.
#[derive(Debug, Clone, PartialEq)]
pub enum PostOutcome {
    /// The council has it.
    Accepted(Receipt),
    /// The council refused it, saying why.
    Rejected(String),
    /// Certainly not stored by the server: send again later.
    NotProcessed {
        /// Why (never personal data).
        detail: String,
        /// What this says about the link.
        link: LinkState,
    },
    /// Perhaps stored: reconcile before sending again.
    Unknown {
        /// Why.
        detail: String,
        /// What this says about the link.
        link: LinkState,
    },
}

/// The meaning of one GET.
#[derive(Debug, Clone, PartialEq)]
pub enum GetOutcome {
    /// A JSON document (still to be parsed for its shape).
    Document(Vec<u8>),
    /// The server answered but not with a document (error status, too large).
    Refused {
        /// HTTP status (0 when the answer was unusable rather than an error).
        status: u16,
        /// Why.
        detail: String,
    },
    /// The server was not reached, or something else answered in its place.
    Unavailable {
        /// Why.
        detail: String,
        /// Offline or captive portal.
        link: LinkState,
    },
}

/// Whether an answer looks like a web page rather than an API document.
fn looks_like_html(content_type: &str, body: &[u8]) -> bool {
    if content_type.contains("html") {
        return true;
    }
    let start = body
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(body.len());
    body[start..].starts_with(b"<")
}

fn is_json(body: &[u8]) -> bool {
    serde_json::from_slice::<serde::de::IgnoredAny>(body).is_ok()
}

/// Classifies the result of a POST.
pub fn classify_post(result: HttpResult) -> PostOutcome {
    let (status, content_type, body, too_large) = match result {
        HttpResult::NotConnected(detail) => {
            return PostOutcome::NotProcessed {
                detail,
                link: LinkState::Offline,
            };
        }
        HttpResult::Broken(detail) => {
            return PostOutcome::Unknown {
                detail,
                link: LinkState::Offline,
            };
        }
        HttpResult::Answer {
            status,
            content_type,
            body,
            too_large,
            ..
        } => (status, content_type, body, too_large),
    };
    let html = looks_like_html(&content_type, &body);
    // A web page in place of a 2xx/3xx is a portal; a server error with a web page is the
    // server's own error page.
    let unknown = |detail: String| PostOutcome::Unknown {
        detail,
        link: if html && status < 400 {
            LinkState::CaptivePortal
        } else {
            LinkState::Online
        },
    };
    if too_large {
        return unknown(format!("HTTP {status}: answer larger than allowed"));
    }
    match status {
        200..=299 => match parse_post_answer(&body) {
            Some(receipt) => PostOutcome::Accepted(receipt),
            None if html => PostOutcome::Unknown {
                detail: format!("HTTP {status}: a web page instead of an Open311 answer"),
                link: LinkState::CaptivePortal,
            },
            None => unknown(format!("HTTP {status}: not an Open311 answer")),
        },
        300..=399 | 511 => PostOutcome::Unknown {
            detail: format!("HTTP {status}: redirected (captive portal?)"),
            link: LinkState::CaptivePortal,
        },
        // Only a refusal's reason comes from the server, and it is sealed with the submission
        // (it may echo what the resident typed); the other details are our own words.
        401 | 403 | 407 => match parse_errors(&body) {
            Some(_) => PostOutcome::NotProcessed {
                detail: format!("HTTP {status}: API key refused"),
                link: LinkState::Online,
            },
            None => unknown(format!("HTTP {status}: not an Open311 answer")),
        },
        429 => PostOutcome::NotProcessed {
            detail: "HTTP 429: server busy".into(),
            link: LinkState::Online,
        },
        400..=499 => match parse_errors(&body) {
            Some(reason) if is_key_problem(&reason) => PostOutcome::NotProcessed {
                detail: format!("HTTP {status}: API key refused"),
                link: LinkState::Online,
            },
            Some(reason) => PostOutcome::Rejected(reason),
            None => unknown(format!("HTTP {status}: not an Open311 error")),
        },
        _ if html => unknown(format!("HTTP {status}: server error (a web page)")),
        _ => unknown(format!("HTTP {status}: server error")),
    }
}

/// Classifies the result of a GET.
pub fn classify_get(result: HttpResult) -> GetOutcome {
    let (status, content_type, body, too_large) = match result {
        HttpResult::NotConnected(detail) | HttpResult::Broken(detail) => {
            return GetOutcome::Unavailable {
                detail,
                link: LinkState::Offline,
            };
        }
        HttpResult::Answer {
            status,
            content_type,
            body,
            too_large,
            ..
        } => (status, content_type, body, too_large),
    };
    let html = looks_like_html(&content_type, &body);
    match status {
        200..=299 if too_large => GetOutcome::Refused {
            status: 0,
            detail: format!("HTTP {status}: answer larger than allowed"),
        },
        200..=299 if html => GetOutcome::Unavailable {
            detail: format!("HTTP {status}: a web page instead of an Open311 answer"),
            link: LinkState::CaptivePortal,
        },
        200..=299 if is_json(&body) => GetOutcome::Document(body),
        200..=299 => GetOutcome::Refused {
            status: 0,
            detail: format!("HTTP {status}: malformed JSON"),
        },
        300..=399 | 511 => GetOutcome::Unavailable {
            detail: format!("HTTP {status}: redirected (captive portal?)"),
            link: LinkState::CaptivePortal,
        },
        _ => GetOutcome::Refused {
            status,
            detail: format!(
                "HTTP {status}: {}",
                parse_errors(&body).unwrap_or_else(|| if status >= 500 {
                    "server error".into()
                } else {
                    "no Open311 error body".into()
                })
            ),
        },
    }
}

/// Capped exponential backoff with jitter: about `base · 2^(attempts-1)`, at most `cap`, drawn
/// from its upper half so that 200 kiosks coming back online do not all retry in step.
pub fn backoff(attempts: i64, base: Duration, cap: Duration) -> Duration {
    let exp = attempts.clamp(1, 30) as u32 - 1;
    let full = base.saturating_mul(2u32.saturating_pow(exp)).min(cap);
    full.mul_f64(0.5 + rand::random::<f64>() * 0.5)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(status: u16, content_type: &str, body: &str) -> HttpResult {
        HttpResult::Answer {
            status,
            content_type: content_type.into(),
            body: body.as_bytes().to_vec(),
            too_large: false,
            headers: Default::default(),
        }
    }

    #[test]
    fn only_an_open311_success_is_success() {
        assert!(matches!(
            classify_post(answer(
                201,
                "application/json",
                r#"[{"service_request_id":"1"}]"#
            )),
            PostOutcome::Accepted(_)
        ));
        assert!(matches!(
            classify_post(answer(200, "text/html", "<html>Library Wi-Fi login</html>")),
            PostOutcome::Unknown {
                link: LinkState::CaptivePortal,
                ..
            }
        ));
        assert!(matches!(
            classify_post(answer(200, "application/json", "[{\"service_request_id\":")),
            PostOutcome::Unknown {
                link: LinkState::Online,
                ..
            }
        ));
        assert!(matches!(
            classify_post(answer(302, "", "")),
            PostOutcome::Unknown {
                link: LinkState::CaptivePortal,
                ..
            }
        ));
    }

    #[test]
    fn errors_are_classified() {
        assert_eq!(
            classify_post(answer(
                400,
                "application/json",
                r#"[{"code":400,"description":"bad service_code"}]"#
            )),
            PostOutcome::Rejected("bad service_code".into())
        );
        assert!(matches!(
            classify_post(answer(
                403,
                "application/json",
                r#"[{"code":403,"description":"Invalid api_key"}]"#
            )),
            PostOutcome::NotProcessed { .. }
        ));
        assert!(matches!(
            classify_post(answer(404, "text/html", "<h1>Not found</h1>")),
            PostOutcome::Unknown { .. }
        ));
        assert!(matches!(
            classify_post(answer(500, "application/json", "[]")),
            PostOutcome::Unknown { .. }
        ));
        assert!(matches!(
            classify_post(HttpResult::NotConnected("refused".into())),
            PostOutcome::NotProcessed {
                link: LinkState::Offline,
                ..
            }
        ));
        assert!(matches!(
            classify_post(HttpResult::Broken("timed out".into())),
            PostOutcome::Unknown {
                link: LinkState::Offline,
                ..
            }
        ));
        assert!(matches!(
            classify_get(answer(200, "application/json", "{oops")),
            GetOutcome::Refused { status: 0, .. }
        ));
        assert!(matches!(
            classify_get(answer(200, "text/html", "<html/>")),
            GetOutcome::Unavailable {
                link: LinkState::CaptivePortal,
                ..
            }
        ));
    }

    #[test]
    fn common_error_shapes_and_server_errors_are_told_apart() {
        assert_eq!(
            classify_post(answer(
                400,
                "application/json",
                r#"{"code":400,"detail":["email is not valid"]}"#
            )),
            PostOutcome::Rejected("email is not valid".into())
        );
        assert!(matches!(
            classify_post(answer(
                400,
                "application/json",
                r#"{"code":400,"detail":"Invalid api_key"}"#
            )),
            PostOutcome::NotProcessed { .. }
        ));
        // A server's own error page is not a captive portal.
        assert!(matches!(
            classify_post(answer(500, "text/html", "<html>Server Error (500)</html>")),
            PostOutcome::Unknown {
                link: LinkState::Online,
                ..
            }
        ));
        assert!(matches!(
            classify_get(answer(500, "text/html", "<html>Server Error (500)</html>")),
            GetOutcome::Refused { status: 500, .. }
        ));
    }

    #[test]
    fn backoff_grows_is_capped_and_jittered() {
        let base = Duration::from_secs(10);
        let cap = Duration::from_secs(900);
        for attempts in 1..40 {
            let d = backoff(attempts, base, cap);
            let full = base
                .saturating_mul(2u32.saturating_pow(attempts.clamp(1, 30) as u32 - 1))
                .min(cap);
            assert!(d >= full / 2 && d <= full, "{attempts}: {d:?}");
        }
        assert!(backoff(100, base, cap) <= cap);
    }
}
