//! The GeoReport v2 wire format: the form-encoded POST body we send, and bounded parsing of the
//! JSON documents servers answer with.
//!
//! Real servers are sloppy (numeric ids, nulls, extra statuses), so parsing forgives shape but
//! never size: every string that reaches the database is bounded and stripped of control
//! characters, and anything that does not look like the standard is `None` (never success).

use serde_json::Value;

use crate::validate::{Answer, OPEN311_DESCRIPTION_MAX, ValidForm};

/// Longest `service_request_id` or `token` kept. Longer ones are refused, not truncated: a cut id
/// would point at another request.
pub const MAX_ID_CHARS: usize = 128;
/// Longest `service_notice` kept.
pub const MAX_NOTICE_CHARS: usize = 1000;
/// Longest status kept (`open`, `closed`, or a server's own such as `IN_PROGRESS`).
pub const MAX_STATUS_CHARS: usize = 64;
/// Longest error description kept from a server.
pub const MAX_ERROR_CHARS: usize = 500;
/// Most entries read from one list answer.
pub const MAX_LIST_ITEMS: usize = 10_000;

/// The line that ties a request on the council's system to this kiosk's submission.
pub fn reference_line(reference: &str) -> String {
    format!("Kiosk reference: {reference}")
}

/// Whether `description` carries the reference line for `reference` (as a line of its own).
pub fn description_has_reference(description: &str, reference: &str) -> bool {
    let wanted = reference_line(reference);
    description.lines().any(|l| l.trim() == wanted)
}

/// The description sent: the resident's text, then the reference line.
pub fn description_with_reference(description: &str, reference: &str) -> String {
    let line = reference_line(reference);
    let text = description.trim();
    let mut out = if text.is_empty() {
        line.clone()
    } else {
        format!("{text}\n\n{line}")
    };
    // Validation keeps room for the line; this only guards against a payload from elsewhere.
    if out.chars().count() > OPEN311_DESCRIPTION_MAX {
        let keep = OPEN311_DESCRIPTION_MAX - line.chars().count() - 2;
        let cut: String = text.chars().take(keep).collect();
        out = format!("{cut}\n\n{line}");
    }
    out
}

/// What identifies this kiosk to the server in a POST.
#[derive(Clone, Copy)]
pub struct PostContext<'a> {
    /// `api_key`.
    pub api_key: &'a str,
    /// `jurisdiction_id`, when configured.
    pub jurisdiction_id: Option<&'a str>,
    /// `device_id`: the kiosk's device code.
    pub device_id: &'a str,
}

/// The `application/x-www-form-urlencoded` body of `POST requests.json` for one submission.
pub fn encode_post(form: &ValidForm, reference: &str, ctx: PostContext<'_>) -> String {
    let mut body = url::form_urlencoded::Serializer::new(String::new());
    body.append_pair("api_key", ctx.api_key);
    if let Some(j) = ctx.jurisdiction_id {
        body.append_pair("jurisdiction_id", j);
    }
    body.append_pair("service_code", &form.service_code);
    if let (Some(lat), Some(long)) = (form.location.lat, form.location.long) {
        body.append_pair("lat", &lat.to_string());
        body.append_pair("long", &long.to_string());
    }
    if !form.location.address.is_empty() {
        body.append_pair("address_string", &form.location.address);
    }
    for (code, answer) in &form.answers {
        match answer {
            Answer::One(v) => {
                body.append_pair(&format!("attribute[{code}]"), v);
            }
            Answer::Many(values) => {
                for v in values {
                    body.append_pair(&format!("attribute[{code}][]"), v);
                }
            }
        }
    }
    body.append_pair("device_id", ctx.device_id);
    let contact = &form.contact;
    for (key, value) in [
        ("email", &contact.email),
        ("first_name", &contact.first_name),
        ("last_name", &contact.last_name),
        ("phone", &contact.phone),
    ] {
        if !value.is_empty() {
            body.append_pair(key, value);
        }
    }
    body.append_pair(
        "description",
        &description_with_reference(&form.description, reference),
    );
    body.finish()
}

/// Text from a server made safe to store and show: control characters removed, trimmed, at most
/// `max` characters (cut, since these are read by people).
pub fn clean_text(raw: &str, max: usize) -> String {
    raw.chars()
        .filter(|c| !c.is_control())
        .take(max)
        .collect::<String>()
        .trim()
        .to_string()
}

/// An id or token: a string or a number (some servers), non-empty, bounded, printable.
pub fn clean_id(value: Option<&Value>) -> Option<String> {
    let raw = match value? {
        Value::String(s) => s.trim().to_string(),
        Value::Number(n) => n.to_string(),
        _ => return None,
    };
    let ok = !raw.is_empty()
        && raw.chars().count() <= MAX_ID_CHARS
        && !raw.chars().any(|c| c.is_control());
    ok.then_some(raw)
}

fn clean_optional(value: Option<&Value>, max: usize) -> Option<String> {
    match value? {
        Value::String(s) => Some(clean_text(s, max)).filter(|s| !s.is_empty()),
        _ => None,
    }
}

/// What a server said when it accepted a POST.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    /// `service_request_id`.
    pub remote_id: Option<String>,
    /// `token` (batch services).
    pub token: Option<String>,
    /// `service_notice`.
    pub notice: Option<String>,
}

/// Parses the answer to `POST requests.json`: an array whose first entry has a
/// `service_request_id` or a `token`. Anything else is `None`: not proof of success.
pub fn parse_post_answer(body: &[u8]) -> Option<Receipt> {
    let value: Value = serde_json::from_slice(body).ok()?;
    let first = match &value {
        Value::Array(items) => items.first()?,
        _ => return None,
    };
    let obj = first.as_object()?;
    let receipt = Receipt {
        remote_id: clean_id(obj.get("service_request_id")),
        token: clean_id(obj.get("token")),
        notice: clean_optional(obj.get("service_notice"), MAX_NOTICE_CHARS),
    };
    (receipt.remote_id.is_some() || receipt.token.is_some()).then_some(receipt)
}

/// Parses the standard's error body `[{code, description}]` (a bare object is forgiven) into
/// one line for staff. `None` when the body is not an Open311 error.
pub fn parse_errors(body: &[u8]) -> Option<String> {
    let value: Value = serde_json::from_slice(body).ok()?;
    let items: Vec<&Value> = match &value {
        Value::Array(items) => items.iter().take(20).collect(),
        Value::Object(_) => vec![&value],
        _ => return None,
    };
    let descriptions: Vec<String> = items
        .iter()
        .filter_map(|item| {
            let obj = item.as_object()?;
            let description = clean_optional(obj.get("description"), MAX_ERROR_CHARS)?;
            let has_code = matches!(obj.get("code"), Some(Value::Number(_) | Value::String(_)));
            has_code.then_some(description)
        })
        .collect();
    if descriptions.is_empty() {
        return None;
    }
    Some(clean_text(&descriptions.join("; "), MAX_ERROR_CHARS))
}

/// One service request as `GET requests.json` / `requests/{id}.json` describe it: only what
/// sync uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteRequest {
    /// `service_request_id`.
    pub remote_id: String,
    /// `status`, bounded.
    pub status: Option<String>,
    /// `service_notice`, bounded.
    pub notice: Option<String>,
    /// The `Kiosk reference: ...` found in `description`, if any.
    pub kiosk_reference: Option<String>,
}

fn kiosk_reference_in(description: &str) -> Option<String> {
    description.lines().find_map(|l| {
        let rest = l.trim().strip_prefix("Kiosk reference: ")?;
        let r = rest.trim();
        (r.len() <= 32 && r.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
            .then(|| r.to_string())
    })
}

/// Parses a list of service requests (`requests.json`, or `requests/{id}.json` which is a list of
/// one). Entries without a usable id are skipped; `None` when the document is not a list.
pub fn parse_requests(body: &[u8]) -> Option<Vec<RemoteRequest>> {
    let value: Value = serde_json::from_slice(body).ok()?;
    let items = match &value {
        Value::Array(items) => items,
        // Some servers wrap the list; forgive it.
        Value::Object(o) => o.get("service_requests")?.as_array()?,
        _ => return None,
    };
    Some(
        items
            .iter()
            .take(MAX_LIST_ITEMS)
            .filter_map(|item| {
                let obj = item.as_object()?;
                Some(RemoteRequest {
                    remote_id: clean_id(obj.get("service_request_id"))?,
                    status: clean_optional(obj.get("status"), MAX_STATUS_CHARS),
                    notice: clean_optional(obj.get("service_notice"), MAX_NOTICE_CHARS),
                    kiosk_reference: obj
                        .get("description")
                        .and_then(Value::as_str)
                        .and_then(kiosk_reference_in),
                })
            })
            .collect(),
    )
}

/// Parses `tokens/{token}.json`: the `service_request_id` once the server has created the
/// request. `Some(None)` means "valid answer, not yet"; `None` means not an Open311 answer.
pub fn parse_token_answer(body: &[u8]) -> Option<Option<String>> {
    let value: Value = serde_json::from_slice(body).ok()?;
    let obj = match &value {
        Value::Array(items) => match items.first() {
            Some(first) => first.as_object()?,
            None => return Some(None),
        },
        Value::Object(o) => o,
        _ => return None,
    };
    Some(clean_id(obj.get("service_request_id")))
}

/// One status change from the `servicerequestupdates` extension (FixMyStreet).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteUpdate {
    /// `service_request_id`.
    pub remote_id: String,
    /// `status`, bounded.
    pub status: String,
    /// `updated_datetime` as sent (used only for ordering).
    pub updated_at: String,
}

/// Parses `servicerequestupdates.json`: a list (or `{"service_request_updates": [...]}`).
pub fn parse_updates(body: &[u8]) -> Option<Vec<RemoteUpdate>> {
    let value: Value = serde_json::from_slice(body).ok()?;
    let items = match &value {
        Value::Array(items) => items,
        Value::Object(o) => o.get("service_request_updates")?.as_array()?,
        _ => return None,
    };
    let mut updates: Vec<RemoteUpdate> = items
        .iter()
        .take(MAX_LIST_ITEMS)
        .filter_map(|item| {
            let obj = item.as_object()?;
            Some(RemoteUpdate {
                remote_id: clean_id(obj.get("service_request_id"))?,
                status: clean_optional(obj.get("status"), MAX_STATUS_CHARS)?,
                updated_at: clean_optional(obj.get("updated_datetime"), 64).unwrap_or_default(),
            })
        })
        .collect();
    updates.sort_by(|a, b| a.updated_at.cmp(&b.updated_at));
    Some(updates)
}

/// Percent-encodes one URL path segment (a service code, id or token from the server).
pub fn path_segment(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for b in raw.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::{Contact, Location};

    fn decode(body: &str) -> Vec<(String, String)> {
        url::form_urlencoded::parse(body.as_bytes())
            .into_owned()
            .collect()
    }

    #[test]
    fn post_body_follows_georeport_v2() {
        let form = ValidForm {
            service_code: "STREETLIGHT".into(),
            locale: "fr".into(),
            answers: [
                (
                    "PROBLEM".to_string(),
                    Answer::Many(vec!["off".into(), "flicker".into()]),
                ),
                ("LAMP_NUMBER".to_string(), Answer::One("A&12 =".into())),
            ]
            .into(),
            description: "Rue sombre".into(),
            location: Location {
                address: "1 rue Haute".into(),
                lat: Some(48.85),
                long: Some(2.35),
            },
            contact: Contact {
                first_name: "Zoé".into(),
                email: "z@example.org".into(),
                ..Contact::default()
            },
        };
        let body = encode_post(
            &form,
            "LIB2-00001-X",
            PostContext {
                api_key: "k",
                jurisdiction_id: Some("example.org"),
                device_id: "LIB2",
            },
        );
        let pairs = decode(&body);
        let get = |k: &str| {
            pairs
                .iter()
                .filter(|(key, _)| key == k)
                .map(|(_, v)| v.as_str())
                .collect::<Vec<_>>()
        };
        assert_eq!(get("api_key"), ["k"]);
        assert_eq!(get("jurisdiction_id"), ["example.org"]);
        assert_eq!(get("service_code"), ["STREETLIGHT"]);
        assert_eq!(get("attribute[PROBLEM][]"), ["off", "flicker"]);
        assert_eq!(get("attribute[LAMP_NUMBER]"), ["A&12 ="]);
        assert_eq!(get("lat"), ["48.85"]);
        assert_eq!(get("long"), ["2.35"]);
        assert_eq!(get("address_string"), ["1 rue Haute"]);
        assert_eq!(get("device_id"), ["LIB2"]);
        assert_eq!(get("first_name"), ["Zoé"]);
        assert_eq!(get("email"), ["z@example.org"]);
        assert!(get("phone").is_empty() && get("last_name").is_empty());
        assert_eq!(
            get("description"),
            ["Rue sombre\n\nKiosk reference: LIB2-00001-X"]
        );
        assert!(description_has_reference(
            get("description")[0],
            "LIB2-00001-X"
        ));
        assert!(!description_has_reference(
            get("description")[0],
            "LIB2-00001"
        ));
    }

    #[test]
    fn a_post_answer_needs_an_id_or_token() {
        let r =
            parse_post_answer(br#"[{"service_request_id": 293944, "service_notice": "ok\u0007"}]"#)
                .unwrap();
        assert_eq!(r.remote_id.as_deref(), Some("293944"));
        assert_eq!(r.notice.as_deref(), Some("ok"));
        assert_eq!(
            parse_post_answer(br#"[{"token": "abc"}]"#)
                .unwrap()
                .token
                .as_deref(),
            Some("abc")
        );
        for bad in [
            &b"[]"[..],
            b"[{}]",
            b"[{\"service_notice\": \"x\"}]",
            b"<html>login</html>",
            b"{\"service_request_id\": 1}",
            b"[{\"service_request_id\": \"\"}]",
        ] {
            assert_eq!(
                parse_post_answer(bad),
                None,
                "{}",
                String::from_utf8_lossy(bad)
            );
        }
        let long = format!(
            r#"[{{"service_request_id": "{}"}}]"#,
            "9".repeat(MAX_ID_CHARS + 1)
        );
        assert_eq!(parse_post_answer(long.as_bytes()), None);
    }

    #[test]
    fn errors_are_the_standard_list() {
        assert_eq!(
            parse_errors(br#"[{"code": 400, "description": "service_code not found"}]"#).as_deref(),
            Some("service_code not found")
        );
        assert_eq!(parse_errors(b"<html></html>"), None);
        assert_eq!(parse_errors(br#"[{"service_request_id": "1"}]"#), None);
    }

    #[test]
    fn request_lists_are_bounded_and_find_the_reference() {
        let doc = br#"[{"service_request_id": 7, "status": "open", "description": "x\n\nKiosk reference: LIB2-00001-X"},
                      {"service_request_id": null, "status": "open"},
                      {"service_request_id": "8", "status": "IN_PROGRESS", "description": null}]"#;
        let list = parse_requests(doc).unwrap();
        assert_eq!(list.len(), 2);
        assert_eq!(list[0].kiosk_reference.as_deref(), Some("LIB2-00001-X"));
        assert_eq!(list[1].status.as_deref(), Some("IN_PROGRESS"));
        assert_eq!(parse_requests(b"{}"), None);
        assert_eq!(parse_token_answer(br#"[{"token": "t"}]"#), Some(None));
        assert_eq!(
            parse_token_answer(br#"[{"token": "t", "service_request_id": 5}]"#),
            Some(Some("5".into()))
        );
        let updates = parse_updates(
            br#"{"service_request_updates": [{"service_request_id": 5, "status": "closed", "updated_datetime": "2026-01-02T00:00:00Z"},
                                             {"service_request_id": 5, "status": "open", "updated_datetime": "2026-01-01T00:00:00Z"}]}"#,
        )
        .unwrap();
        assert_eq!(updates.last().unwrap().status, "closed");
    }

    #[test]
    fn long_descriptions_keep_the_reference_line() {
        let d = description_with_reference(&"x".repeat(5000), "LIB2-00001-X");
        assert_eq!(d.chars().count(), OPEN311_DESCRIPTION_MAX);
        assert!(description_has_reference(&d, "LIB2-00001-X"));
        assert_eq!(path_segment("a b/é"), "a%20b%2F%C3%A9");
    }
}
