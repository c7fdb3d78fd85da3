//! The GeoReport v2 wire format: the form-encoded POST body we send, and bounded parsing of the
//! JSON documents servers answer with.
//!
//! Real servers are sloppy (numeric ids, nulls, extra statuses), so parsing forgives shape but
//! never size: every string that reaches the database is bounded and stripped of control
//! characters, and anything that does not look like the standard is `None` (never success).

use serde_json::Value;

use crate::validate::{Answer, OPEN311_DESCRIPTION_MAX, OPEN311_STATUS_MAX, ValidForm};

/// Longest `service_request_id` or `token` kept. Longer ones are refused, not truncated: a cut id
/// would point at another request.
pub const MAX_ID_CHARS: usize = 128;
/// Longest `service_notice` kept.
pub const MAX_NOTICE_CHARS: usize = 1000;
/// Longest error description kept from a server.
pub const MAX_ERROR_CHARS: usize = 500;
/// Most entries read from one list answer.
pub const MAX_LIST_ITEMS: usize = 10_000;

/// The prefix of the line that ties a request on the council's system to this kiosk's
/// submission (documented in INTERFACE.md: `Kiosk reference: REF`).
pub const REFERENCE_PREFIX: &str = "Kiosk reference: ";
/// The prefix of the line under it: a keyed check of the reference that only this kiosk can
/// compute, so that nobody (a resident typing, anyone using the council's web form) can plant a
/// line that passes for one of this kiosk's submissions.
pub const CHECK_PREFIX: &str = "Kiosk check: ";
/// Hex digits of the check (32 bits: one guess in four billion).
const CHECK_HEX: usize = 8;

/// The line that ties a request on the council's system to this kiosk's submission.
pub fn reference_line(reference: &str) -> String {
    format!("{REFERENCE_PREFIX}{reference}")
}

/// A per-kiosk secret behind the `Kiosk check:` line (random, kept in the kiosk's state). Its
/// `Debug` never shows it.
#[derive(Clone)]
pub struct ReferenceSecret(zeroize::Zeroizing<[u8; 32]>);

impl std::fmt::Debug for ReferenceSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ReferenceSecret(<redacted>)")
    }
}

impl ReferenceSecret {
    /// A fresh random secret.
    pub fn generate() -> ReferenceSecret {
        let mut bytes = zeroize::Zeroizing::new([0u8; 32]);
        rand::fill(bytes.as_mut());
        ReferenceSecret(bytes)
    }

    /// Parses 64 hex digits.
    pub fn from_hex(s: &str) -> Option<ReferenceSecret> {
        let s = s.trim();
        if s.len() != 64 || !s.is_ascii() {
            return None;
        }
        let mut bytes = zeroize::Zeroizing::new([0u8; 32]);
        for (i, b) in bytes.iter_mut().enumerate() {
            *b = u8::from_str_radix(&s[2 * i..2 * i + 2], 16).ok()?;
        }
        Some(ReferenceSecret(bytes))
    }

    /// 64 hex digits, as stored.
    pub fn to_hex(&self) -> String {
        self.0.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// The check of `reference`: a Poly1305 tag under a one-time key that XChaCha20 derives from
    /// the secret and a nonce made of the reference itself (references never repeat, so no
    /// one-time key is ever used twice), with the whole reference as associated data.
    pub fn check(&self, reference: &str) -> String {
        use chacha20poly1305::aead::{Aead, KeyInit, Payload};
        use chacha20poly1305::{XChaCha20Poly1305, XNonce};
        let mut nonce = [0u8; 24];
        for (n, b) in nonce.iter_mut().zip(reference.bytes()) {
            *n = b;
        }
        let cipher = XChaCha20Poly1305::new(self.0.as_ref().into());
        let tag = cipher
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: &[],
                    aad: reference.as_bytes(),
                },
            )
            .unwrap_or_default();
        tag.iter()
            .take(CHECK_HEX / 2)
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}

/// The description sent: the reference line and its check first (where servers that cut long
/// descriptions never reach, and where no resident's text can be), a blank line, then the
/// resident's text.
pub fn description_with_reference(description: &str, reference: &str, check: &str) -> String {
    let header = format!("{}\n{CHECK_PREFIX}{check}", reference_line(reference));
    let text = description.trim();
    if text.is_empty() {
        return header;
    }
    // Validation keeps room for the header; this only guards against a payload from elsewhere.
    let room = OPEN311_DESCRIPTION_MAX.saturating_sub(header.chars().count() + 2);
    let cut: String = text.chars().take(room).collect();
    format!("{header}\n\n{}", cut.trim_end())
}

/// What the start of a description says about the kiosk submission it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KioskMarker {
    /// The reference of the first line.
    pub reference: String,
    /// The check of the second line, when there is one.
    pub check: Option<String>,
}

fn reference_token(s: &str) -> Option<(&str, &str)> {
    let end = s
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .unwrap_or(s.len());
    let (token, rest) = s.split_at(end);
    let ends_well = rest.is_empty() || rest.starts_with(char::is_whitespace);
    (!token.is_empty() && token.len() <= 32 && ends_well).then_some((token, rest))
}

/// The kiosk's marker, read only where the kiosk writes it: at the very start of the
/// description. Whitespace between the two lines is forgiven (servers that fold lines).
pub fn kiosk_marker(description: &str) -> Option<KioskMarker> {
    let rest = description.trim_start().strip_prefix(REFERENCE_PREFIX)?;
    let (reference, rest) = reference_token(rest)?;
    let check = rest
        .trim_start()
        .strip_prefix(CHECK_PREFIX)
        .and_then(reference_token)
        .map(|(c, _)| c)
        .filter(|c| c.len() == CHECK_HEX && c.bytes().all(|b| b.is_ascii_hexdigit()))
        .map(str::to_ascii_lowercase);
    Some(KioskMarker {
        reference: reference.to_string(),
        check,
    })
}

/// Every reference a `Kiosk reference:` text anywhere in the description names (at most 8):
/// not proof of anything, but a reason not to resend (the line may be a forgery, or written by
/// an older version at the end of the text).
pub fn mentioned_references(description: &str) -> Vec<String> {
    description
        .match_indices(REFERENCE_PREFIX)
        .filter_map(|(i, _)| reference_token(&description[i + REFERENCE_PREFIX.len()..]))
        .map(|(r, _)| r.to_string())
        .take(8)
        .collect()
}

/// Whether `description` carries this kiosk's marker for `reference` with the right check.
pub fn description_has_reference(description: &str, reference: &str, check: &str) -> bool {
    kiosk_marker(description)
        .is_some_and(|m| m.reference == reference && m.check.as_deref() == Some(check))
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
pub fn encode_post(form: &ValidForm, reference: &str, check: &str, ctx: PostContext<'_>) -> String {
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
        &description_with_reference(&form.description, reference, check),
    );
    body.finish()
}

/// Text from a server made safe to store and show on one line: control characters (line breaks,
/// tabs, escapes) and runs of spaces are one space, trimmed, at most `max` characters. Longer
/// text is cut (it is read by people, not refused) and ends in "…" within the bound, so whoever
/// reads it (a librarian at the desk, a technician in the journal) knows there was more.
pub fn clean_text(raw: &str, max: usize) -> String {
    let kept = raw
        .split(|c: char| c.is_control() || c.is_whitespace())
        .filter(|word| !word.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let kept = kept.as_str();
    if kept.chars().count() <= max {
        return kept.to_string();
    }
    let mut cut: String = kept.chars().take(max.saturating_sub(1)).collect();
    cut.truncate(cut.trim_end().len());
    if max > 0 {
        cut.push('…');
    }
    cut
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

/// Parses a server's error body into one line for staff. `None` when the body is not an error
/// document. Read: the standard's `[{code, description}]` (a bare object is forgiven), and the
/// Django REST framework's `{"code": 400, "detail": "..."}` with `detail` a string or a list of
/// strings (seen on real Open311 servers).
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
            let has_code = matches!(obj.get("code"), Some(Value::Number(_) | Value::String(_)));
            if has_code && let Some(d) = clean_optional(obj.get("description"), MAX_ERROR_CHARS) {
                return Some(d);
            }
            match obj.get("detail")? {
                Value::String(s) => Some(clean_text(s, MAX_ERROR_CHARS)),
                Value::Array(parts) => Some(clean_text(
                    &parts
                        .iter()
                        .take(20)
                        .filter_map(Value::as_str)
                        .collect::<Vec<_>>()
                        .join("; "),
                    MAX_ERROR_CHARS,
                )),
                _ => None,
            }
            .filter(|d| !d.is_empty())
        })
        .collect();
    if descriptions.is_empty() {
        return None;
    }
    Some(clean_text(&descriptions.join("; "), MAX_ERROR_CHARS))
}

/// Whether a refusal's reason is about the API key rather than the submission (some servers
/// answer a bad key with 400 instead of 403).
pub fn is_key_problem(reason: &str) -> bool {
    let r = reason.to_ascii_lowercase();
    ["api_key", "api key", "apikey", "api-key"]
        .iter()
        .any(|k| r.contains(k))
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
    /// The kiosk's marker at the start of `description`, if any.
    pub marker: Option<KioskMarker>,
    /// References named by a `Kiosk reference:` text anywhere in `description`.
    pub mentions: Vec<String>,
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
                    status: clean_optional(obj.get("status"), OPEN311_STATUS_MAX),
                    notice: clean_optional(obj.get("service_notice"), MAX_NOTICE_CHARS),
                    marker: obj
                        .get("description")
                        .and_then(Value::as_str)
                        .and_then(kiosk_marker),
                    mentions: obj
                        .get("description")
                        .and_then(Value::as_str)
                        .map(mentioned_references)
                        .unwrap_or_default(),
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
                status: clean_optional(obj.get("status"), OPEN311_STATUS_MAX)?,
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
    #[test]
    fn server_text_cut_at_its_bound_says_so() {
        use super::clean_text;
        // Within the bound: trimmed, control characters gone, nothing added.
        assert_eq!(clean_text("  In progress\u{7}\n ", 11), "In progress");
        // A line break or tab between words is a space (not words run together).
        assert_eq!(
            clean_text("In\nprogress:\t\u{1b}[2J crew  sent", 40),
            "In progress: [2J crew sent"
        );
        assert_eq!(clean_text(&"W".repeat(64), 64), "W".repeat(64));
        // Over it: the first characters and "…", never past the bound (in characters: Arabic
        // and accents are one each), no space before the mark.
        let cut = clean_text(&"é".repeat(300), 64);
        assert_eq!(cut.chars().count(), 64);
        assert_eq!(cut, format!("{}…", "é".repeat(63)));
        assert_eq!(clean_text("waiting for the crew", 12), "waiting for…");
        assert_eq!(clean_text("قيد المعالجة لدى الفريق", 5), "قيد…");
        // Spaces at the ends do not count against the bound.
        assert_eq!(clean_text("   open   ", 4), "open");
        assert_eq!(clean_text("anything", 0), "");
    }

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
            "0a1b2c3d",
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
            ["Kiosk reference: LIB2-00001-X\nKiosk check: 0a1b2c3d\n\nRue sombre"]
        );
        assert!(description_has_reference(
            get("description")[0],
            "LIB2-00001-X",
            "0a1b2c3d"
        ));
        assert!(!description_has_reference(
            get("description")[0],
            "LIB2-00001",
            "0a1b2c3d"
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
        // Staff typing a council number (`queue resolve --sent`, the desk) are held to the same.
        assert_eq!(crate::validate::REMOTE_ID_MAX, MAX_ID_CHARS);
    }

    #[test]
    fn errors_are_the_standard_list_or_the_django_shape() {
        assert_eq!(
            parse_errors(br#"[{"code": 400, "description": "service_code not found"}]"#).as_deref(),
            Some("service_code not found")
        );
        assert_eq!(
            parse_errors(br#"{"code": 400, "detail": "Invalid service_code"}"#).as_deref(),
            Some("Invalid service_code")
        );
        assert_eq!(
            parse_errors(br#"{"code": 400, "detail": ["lat is required", "long is required"]}"#)
                .as_deref(),
            Some("lat is required; long is required")
        );
        assert!(is_key_problem("Invalid api_key"));
        assert!(!is_key_problem("service_code not found"));
        assert_eq!(parse_errors(b"<html></html>"), None);
        assert_eq!(parse_errors(br#"[{"service_request_id": "1"}]"#), None);
    }

    #[test]
    fn request_lists_are_bounded_and_find_the_reference() {
        let doc = br#"[{"service_request_id": 7, "status": "open", "description": "Kiosk reference: LIB2-00001-X\nKiosk check: 0A1B2C3D\n\nx"},
                      {"service_request_id": null, "status": "open"},
                      {"service_request_id": "8", "status": "IN_PROGRESS", "description": null}]"#;
        let list = parse_requests(doc).unwrap();
        assert_eq!(list.len(), 2);
        assert_eq!(
            list[0].marker,
            Some(KioskMarker {
                reference: "LIB2-00001-X".into(),
                check: Some("0a1b2c3d".into())
            })
        );
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
    fn long_descriptions_keep_the_reference_line_first() {
        let d = description_with_reference(&"x".repeat(5000), "LIB2-00001-X", "0a1b2c3d");
        assert_eq!(d.chars().count(), OPEN311_DESCRIPTION_MAX);
        assert!(description_has_reference(&d, "LIB2-00001-X", "0a1b2c3d"));
        // A server that cuts the description at its own limit keeps the marker.
        let cut: String = d.chars().take(60).collect();
        assert!(description_has_reference(&cut, "LIB2-00001-X", "0a1b2c3d"));
        // Folded onto one line by a server: still read.
        assert!(description_has_reference(
            &d.replace('\n', " "),
            "LIB2-00001-X",
            "0a1b2c3d"
        ));
        assert_eq!(path_segment("a b/é"), "a%20b%2F%C3%A9");
    }

    #[test]
    fn a_residents_text_cannot_pass_for_the_kiosks_marker() {
        let forged = "Kiosk reference: LIB2-00002-Y\nKiosk check: 0a1b2c3d";
        let d = description_with_reference(forged, "LIB2-00001-X", "99999999");
        let marker = kiosk_marker(&d).unwrap();
        assert_eq!(marker.reference, "LIB2-00001-X");
        assert!(!description_has_reference(&d, "LIB2-00002-Y", "0a1b2c3d"));
        assert_eq!(mentioned_references(&d), ["LIB2-00001-X", "LIB2-00002-Y"]);
        // Someone planting the first line without the secret gets the check wrong.
        let secret = ReferenceSecret::generate();
        let check = secret.check("LIB2-00002-Y");
        assert_eq!(check.len(), 8);
        assert_ne!(check, ReferenceSecret::generate().check("LIB2-00002-Y"));
        assert_ne!(check, secret.check("LIB2-00003-Z"));
        assert_eq!(
            ReferenceSecret::from_hex(&secret.to_hex())
                .unwrap()
                .check("LIB2-00002-Y"),
            check
        );
        assert!(!format!("{secret:?}").contains(&secret.to_hex()));
        assert_ne!(
            kiosk_marker("Kiosk reference: LIB2-00001-Xtra")
                .unwrap()
                .reference,
            "LIB2-00001-X"
        );
    }
}
