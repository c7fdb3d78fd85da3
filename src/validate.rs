//! Form validation, shared by the touchscreen and `guichet submit` so that both accept exactly the
//! same submissions. Errors are data: each names the field and a [`Problem`] that the UI
//! translates (via [`Problem::message_id`]) and the CLI prints in English for technicians.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::{OffsetDateTime, PrimitiveDateTime, UtcOffset, format_description::well_known::Rfc3339};

use crate::catalog::{Attribute, Catalog, Datatype, NumberRule};

/// Longest request status kept from a council's server (Open311's `open`, `closed`, or its own
/// such as `IN_PROGRESS`): `sync::wire` reads it to this bound, the staff desk shows it to it.
pub const OPEN311_STATUS_MAX: usize = 64;
/// Open311's limit on `description`.
pub const OPEN311_DESCRIPTION_MAX: usize = 4000;
/// Room kept in `description` for the `Kiosk reference: CODE-NNNNN-C` line added when sending.
pub const REFERENCE_LINE_RESERVE: usize = 48;
/// What a resident may write in the free description.
pub const DESCRIPTION_MAX: usize = OPEN311_DESCRIPTION_MAX - REFERENCE_LINE_RESERVE;
/// A `string` attribute (one line).
pub const STRING_MAX: usize = 250;
/// A `text` attribute (several lines).
pub const TEXT_MAX: usize = 4000;
/// An address.
pub const ADDRESS_MAX: usize = 250;
/// A first or last name.
pub const NAME_MAX: usize = 100;
/// An e-mail address (RFC 5321 path limit).
pub const EMAIL_MAX: usize = 254;
/// A phone number.
pub const PHONE_MAX: usize = 30;
/// Largest magnitude of a `number` answer: beyond it, an answer is a typing accident.
pub const NUMBER_MAX_ABS: f64 = 1e12;
/// The longest council request number (`service_request_id`) staff may type, the same bound as
/// the one read from a server (`sync::wire::MAX_ID_CHARS`; a test there checks they agree).
pub const REMOTE_ID_MAX: usize = 128;

/// A council request number as staff typed it (`queue resolve --sent`, the staff desk): trimmed;
/// `None` when empty, too long or holding control characters.
pub fn remote_id(typed: &str) -> Option<String> {
    let id = typed.trim();
    if id.is_empty() || id.chars().count() > REMOTE_ID_MAX || id.chars().any(char::is_control) {
        return None;
    }
    Some(id.to_string())
}

/// A resident's answer to one attribute.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Answer {
    /// string, number, datetime, text, singlevaluelist.
    One(String),
    /// multivaluelist: the chosen keys.
    Many(Vec<String>),
}

impl Answer {
    /// Whether nothing was given.
    pub fn is_empty(&self) -> bool {
        match self {
            Answer::One(s) => s.trim().is_empty(),
            Answer::Many(v) => v.is_empty(),
        }
    }
}

/// Where the problem is.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "field", content = "code")]
pub enum Field {
    /// A service attribute, by code.
    Attribute(String),
    /// The service itself.
    Service,
    /// Free description.
    Description,
    /// Address text.
    Address,
    /// Latitude.
    Lat,
    /// Longitude.
    Long,
    /// Location as a whole (neither address nor coordinates).
    Location,
    /// First name.
    FirstName,
    /// Last name.
    LastName,
    /// E-mail.
    Email,
    /// Phone.
    Phone,
    /// Locale.
    Locale,
    /// Whether the resident wants to be contacted (asked by the touchscreen only).
    ContactChoice,
}

impl std::fmt::Display for Field {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Field::Attribute(code) => write!(f, "attribute {code}"),
            Field::Service => f.write_str("service"),
            Field::Description => f.write_str("description"),
            Field::Address => f.write_str("address"),
            Field::Lat => f.write_str("lat"),
            Field::Long => f.write_str("long"),
            Field::Location => f.write_str("location"),
            Field::FirstName => f.write_str("first name"),
            Field::LastName => f.write_str("last name"),
            Field::Email => f.write_str("email"),
            Field::Phone => f.write_str("phone"),
            Field::Locale => f.write_str("locale"),
            Field::ContactChoice => f.write_str("contact choice"),
        }
    }
}

/// What is wrong with a field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "problem")]
pub enum Problem {
    /// Required and empty.
    Required,
    /// Longer than allowed.
    TooLong {
        /// Characters allowed.
        max: usize,
    },
    /// Contains control characters.
    ControlCharacters,
    /// Not a number.
    NotANumber,
    /// A number too large to be meant.
    NumberOutOfRange,
    /// Not a number the question accepts: the catalogue's words ask for a whole number or a
    /// range (`catalog::NumberRule`), named in the message.
    NumberRule {
        /// Whole numbers only.
        whole: bool,
        /// Smallest accepted, if said.
        min: Option<f64>,
        /// Largest accepted, if said.
        max: Option<f64>,
    },
    /// Not a date and time.
    NotADatetime,
    /// A key not in the attribute's values.
    UnknownChoice {
        /// The key given.
        key: String,
    },
    /// More than one key for a single-choice attribute.
    OnlyOneChoice,
    /// The same key twice.
    DuplicateChoice,
    /// The attribute does not exist or is information only.
    UnknownAttribute,
    /// No such service.
    UnknownService,
    /// Neither an address nor coordinates.
    LocationMissing,
    /// Latitude or longitude outside its range, or only one of the two.
    BadCoordinate,
    /// Not an e-mail address.
    BadEmail,
    /// Not a phone number.
    BadPhone,
    /// A locale the kiosk does not offer.
    UnknownLocale,
}

impl From<NumberRule> for Problem {
    /// An answer the rule refuses.
    fn from(rule: NumberRule) -> Problem {
        Problem::NumberRule {
            whole: rule.whole,
            min: rule.min,
            max: rule.max,
        }
    }
}

impl Problem {
    /// The Fluent message id the UI shows for this problem (arguments: `max`).
    pub fn message_id(&self) -> &'static str {
        match self {
            Problem::Required => "error-required",
            Problem::TooLong { .. } => "error-too-long",
            Problem::ControlCharacters => "error-control-characters",
            Problem::NotANumber => "error-not-a-number",
            Problem::NumberOutOfRange => "error-number-out-of-range",
            Problem::NumberRule { whole, min, max } => match (whole, min, max) {
                (true, Some(_), Some(_)) => "error-whole-between",
                (true, _, _) => "error-whole-number",
                (false, Some(_), Some(_)) => "error-number-between",
                (false, _, Some(_)) => "error-number-at-most",
                (false, _, None) => "error-not-a-number",
            },
            Problem::NotADatetime => "error-not-a-datetime",
            Problem::UnknownChoice { .. } | Problem::DuplicateChoice | Problem::OnlyOneChoice => {
                "error-choice"
            }
            Problem::UnknownAttribute | Problem::UnknownService | Problem::UnknownLocale => {
                "error-unknown"
            }
            Problem::LocationMissing => "error-location-missing",
            Problem::BadCoordinate => "error-bad-coordinate",
            Problem::BadEmail => "error-bad-email",
            Problem::BadPhone => "error-bad-phone",
        }
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Problem::Required => f.write_str("is required"),
            Problem::TooLong { max } => write!(f, "is longer than {max} characters"),
            Problem::ControlCharacters => f.write_str("contains control characters"),
            Problem::NotANumber => f.write_str("is not a number"),
            Problem::NumberOutOfRange => {
                write!(f, "is out of range (at most {NUMBER_MAX_ABS:e} in size)")
            }
            Problem::NumberRule { whole, min, max } => {
                f.write_str(if *whole {
                    "must be a whole number"
                } else {
                    "must be a number"
                })?;
                match (min, max) {
                    (Some(lo), Some(hi)) => {
                        write!(f, " from {} to {}", format_number(*lo), format_number(*hi))
                    }
                    (None, Some(hi)) => write!(f, " no larger than {}", format_number(*hi)),
                    (Some(lo), None) => write!(f, " of at least {}", format_number(*lo)),
                    (None, None) => Ok(()),
                }
            }
            Problem::NotADatetime => f.write_str(
                "is not a date and time (use RFC 3339, e.g. 2026-11-27T14:30:00+01:00, or YYYY-MM-DD HH:MM)",
            ),
            Problem::UnknownChoice { key } => write!(f, "has no choice {key:?}"),
            Problem::OnlyOneChoice => f.write_str("takes only one choice"),
            Problem::DuplicateChoice => f.write_str("lists the same choice twice"),
            Problem::UnknownAttribute => f.write_str("is not a question of this service"),
            Problem::UnknownService => f.write_str("is not in the catalogue"),
            Problem::LocationMissing => f.write_str("is missing: give an address or lat and long"),
            Problem::BadCoordinate => {
                f.write_str("needs both lat (-90..90) and long (-180..180) as decimal degrees")
            }
            Problem::BadEmail => f.write_str("is not an e-mail address"),
            Problem::BadPhone => f.write_str("is not a phone number (digits, spaces, + - ( ) only)"),
            Problem::UnknownLocale => f.write_str("is not one of this kiosk's languages"),
        }
    }
}

/// One invalid field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, thiserror::Error)]
#[error("{field} {problem}")]
pub struct FieldError {
    /// Which field.
    pub field: Field,
    /// What is wrong.
    #[serde(flatten)]
    pub problem: Problem,
}

impl FieldError {
    fn new(field: Field, problem: Problem) -> Self {
        Self { field, problem }
    }
}

/// Where the problem is reported.
#[derive(Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Location {
    /// Free address text.
    pub address: String,
    /// Latitude, decimal degrees.
    pub lat: Option<f64>,
    /// Longitude, decimal degrees.
    pub long: Option<f64>,
}

/// Optional contact details.
#[derive(Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Contact {
    /// First name.
    pub first_name: String,
    /// Last name.
    pub last_name: String,
    /// E-mail.
    pub email: String,
    /// Phone.
    pub phone: String,
}

impl Contact {
    /// Whether no contact detail was given.
    pub fn is_empty(&self) -> bool {
        self.first_name.is_empty()
            && self.last_name.is_empty()
            && self.email.is_empty()
            && self.phone.is_empty()
    }
}

/// Everything a resident (or `guichet submit`) gives, before validation.
#[derive(Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct FormInput {
    /// Service code.
    pub service_code: String,
    /// UI language.
    pub locale: String,
    /// Answers by attribute code.
    pub answers: BTreeMap<String, Answer>,
    /// Free description.
    pub description: String,
    /// Address text.
    pub address: String,
    /// Latitude as typed.
    pub lat: String,
    /// Longitude as typed.
    pub long: String,
    /// Contact details.
    pub contact: Contact,
}

/// The attributes of `definition` shown for these answers (see
/// `ServiceDefinition::shown`), in order: the touchscreen's steps and what validation requires.
pub fn shown_attributes<'a>(
    definition: &'a crate::catalog::ServiceDefinition,
    answers: &BTreeMap<String, Answer>,
) -> Vec<&'a str> {
    definition.shown(&|code: &str| match answers.get(code) {
        Some(Answer::One(s)) if !s.trim().is_empty() => vec![s.trim().to_string()],
        Some(Answer::Many(keys)) => keys.clone(),
        _ => Vec::new(),
    })
}

/// A validated submission's content, normalised (trimmed text, canonical numbers and dates).
#[derive(Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ValidForm {
    /// Service code.
    pub service_code: String,
    /// UI language.
    pub locale: String,
    /// Answers by attribute code, only non-empty ones.
    pub answers: BTreeMap<String, Answer>,
    /// Free description.
    pub description: String,
    /// Location.
    pub location: Location,
    /// Contact details.
    pub contact: Contact,
}

// Debug for the types that hold a resident's words: `{:?}` ends up in logs, panic messages and
// failed assertions, so it shows the shape (which fields, how long) and never the content.

/// How a redacted text shows in `Debug`: its length only.
struct Redacted<'a>(&'a str);

impl std::fmt::Debug for Redacted<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "<{} chars>", self.0.chars().count())
    }
}

impl std::fmt::Debug for Answer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Answer::One(s) => f.debug_tuple("One").field(&Redacted(s)).finish(),
            Answer::Many(v) => write!(f, "Many(<{} choices>)", v.len()),
        }
    }
}

impl std::fmt::Debug for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Location")
            .field("address", &Redacted(&self.address))
            .field("lat", &self.lat.map(|_| "<redacted>"))
            .field("long", &self.long.map(|_| "<redacted>"))
            .finish()
    }
}

impl std::fmt::Debug for Contact {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Contact")
            .field("first_name", &Redacted(&self.first_name))
            .field("last_name", &Redacted(&self.last_name))
            .field("email", &Redacted(&self.email))
            .field("phone", &Redacted(&self.phone))
            .finish()
    }
}

impl std::fmt::Debug for FormInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FormInput")
            .field("service_code", &self.service_code)
            .field("locale", &self.locale)
            .field("answers", &self.answers)
            .field("description", &Redacted(&self.description))
            .field("address", &Redacted(&self.address))
            .field("lat", &Redacted(&self.lat))
            .field("long", &Redacted(&self.long))
            .field("contact", &self.contact)
            .finish()
    }
}

impl std::fmt::Debug for ValidForm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ValidForm")
            .field("service_code", &self.service_code)
            .field("locale", &self.locale)
            .field("answers", &self.answers)
            .field("description", &Redacted(&self.description))
            .field("location", &self.location)
            .field("contact", &self.contact)
            .finish()
    }
}

/// Checks text length and characters; trims.
fn check_text(raw: &str, max: usize, multiline: bool) -> Result<String, Problem> {
    let text = raw.trim();
    let bad_control = text
        .chars()
        .any(|c| c.is_control() && !(multiline && (c == '\n' || c == '\r' || c == '\t')));
    if bad_control {
        return Err(Problem::ControlCharacters);
    }
    if text.chars().count() > max {
        return Err(Problem::TooLong { max });
    }
    // Normalise line endings so that what is sent is what was checked.
    Ok(if multiline {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text.to_string()
    })
}

/// Parses a number as a resident types it: `3`, `-2.5`, `3,5` (decimal comma), `1 000`.
pub fn parse_number(raw: &str) -> Result<f64, Problem> {
    let cleaned: String = raw
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}'))
        .map(|c| if c == ',' { '.' } else { c })
        .collect();
    if cleaned.is_empty()
        || !cleaned
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+'))
    {
        return Err(Problem::NotANumber);
    }
    let n: f64 = cleaned.parse().map_err(|_| Problem::NotANumber)?;
    if !n.is_finite() || n.abs() > NUMBER_MAX_ABS {
        return Err(Problem::NumberOutOfRange);
    }
    Ok(n)
}

/// Canonical text of a number (kept here for the callers that validate; it lives with the
/// catalogue's wording, which also needs it and sits below this module).
pub use crate::catalog::format_number;

/// Parses a date and time: RFC 3339 with a zone, or `YYYY-MM-DD[ HH:MM[:SS]]` in local time
/// (`local_offset`). Returns RFC 3339.
pub fn parse_datetime(raw: &str, local_offset: UtcOffset) -> Result<String, Problem> {
    let text = raw.trim();
    if let Ok(dt) = OffsetDateTime::parse(text, &Rfc3339) {
        return dt.format(&Rfc3339).map_err(|_| Problem::NotADatetime);
    }
    let naive = text.replace('T', " ");
    let formats: [&[time::format_description::BorrowedFormatItem<'_>]; 3] = [
        time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]:[second]"),
        time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]"),
        time::macros::format_description!("[year]-[month]-[day]"),
    ];
    for (i, format) in formats.iter().enumerate() {
        let parsed = if i == 2 {
            time::Date::parse(&naive, format).map(|d| d.midnight())
        } else {
            PrimitiveDateTime::parse(&naive, format)
        };
        if let Ok(dt) = parsed {
            return dt
                .assume_offset(local_offset)
                .format(&Rfc3339)
                .map_err(|_| Problem::NotADatetime);
        }
    }
    Err(Problem::NotADatetime)
}

/// Validates one answer against its attribute; returns the normalised answer.
pub fn validate_answer(
    attribute: &Attribute,
    answer: &Answer,
    local_offset: UtcOffset,
) -> Result<Answer, Problem> {
    if !attribute.variable {
        return Err(Problem::UnknownAttribute);
    }
    match (attribute.datatype, answer) {
        (Datatype::Multivaluelist, Answer::Many(keys)) => {
            let mut seen = Vec::with_capacity(keys.len());
            for key in keys {
                let key = key.trim();
                if attribute.value(key).is_none() {
                    return Err(Problem::UnknownChoice {
                        key: key.chars().take(60).collect(),
                    });
                }
                if seen.iter().any(|k: &String| k == key) {
                    return Err(Problem::DuplicateChoice);
                }
                seen.push(key.to_string());
            }
            Ok(Answer::Many(seen))
        }
        (Datatype::Multivaluelist, Answer::One(key)) => {
            validate_answer(attribute, &Answer::Many(vec![key.clone()]), local_offset)
        }
        (_, Answer::Many(keys)) if keys.len() == 1 => {
            validate_answer(attribute, &Answer::One(keys[0].clone()), local_offset)
        }
        (_, Answer::Many(_)) => Err(Problem::OnlyOneChoice),
        (Datatype::Singlevaluelist, Answer::One(key)) => {
            let key = key.trim();
            match attribute.value(key) {
                Some(v) => Ok(Answer::One(v.key.clone())),
                None => Err(Problem::UnknownChoice {
                    key: key.chars().take(60).collect(),
                }),
            }
        }
        (Datatype::Number, Answer::One(raw)) => {
            let rule = attribute.number_rule();
            let refused = || Problem::from(rule);
            let n = match parse_number(raw) {
                Err(Problem::NotANumber) if rule != NumberRule::default() => Err(refused()),
                other => other,
            }?;
            if !rule.accepts(n) {
                return Err(refused());
            }
            Ok(Answer::One(format_number(n)))
        }
        (Datatype::Datetime, Answer::One(raw)) => {
            Ok(Answer::One(parse_datetime(raw, local_offset)?))
        }
        (Datatype::String, Answer::One(raw)) => {
            Ok(Answer::One(check_text(raw, STRING_MAX, false)?))
        }
        (Datatype::Text, Answer::One(raw)) => Ok(Answer::One(check_text(raw, TEXT_MAX, true)?)),
    }
}

/// Validates a whole form against the catalogue. All problems are reported, in field order, so
/// an error summary can list them together.
pub fn validate_form(
    catalog: &Catalog,
    input: &FormInput,
    offered_locales: &[String],
    local_offset: UtcOffset,
) -> Result<ValidForm, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut out = ValidForm {
        service_code: input.service_code.clone(),
        locale: input.locale.clone(),
        ..ValidForm::default()
    };
    if !offered_locales.contains(&input.locale) {
        errors.push(FieldError::new(Field::Locale, Problem::UnknownLocale));
    }
    let Some(service) = catalog.service(&input.service_code) else {
        errors.push(FieldError::new(Field::Service, Problem::UnknownService));
        return Err(errors);
    };
    let definition = catalog.definition(&service.service_code);
    for code in input.answers.keys() {
        let known = definition
            .and_then(|d| d.attribute(code))
            .is_some_and(|a| a.variable);
        if !known {
            errors.push(FieldError::new(
                Field::Attribute(code.chars().take(100).collect()),
                Problem::UnknownAttribute,
            ));
        }
    }
    let shown = definition
        .map(|d| shown_attributes(d, &input.answers))
        .unwrap_or_default();
    // A question hidden by its `dependencies` is neither required nor sent, even if it was
    // answered before an earlier answer changed.
    for attribute in definition
        .into_iter()
        .flat_map(|d| d.questions())
        .filter(|a| shown.contains(&a.code.as_str()))
    {
        match input.answers.get(&attribute.code) {
            Some(answer) if !answer.is_empty() => {
                match validate_answer(attribute, answer, local_offset) {
                    Ok(a) => {
                        out.answers.insert(attribute.code.clone(), a);
                    }
                    Err(p) => {
                        errors.push(FieldError::new(Field::Attribute(attribute.code.clone()), p))
                    }
                }
            }
            _ if attribute.required => errors.push(FieldError::new(
                Field::Attribute(attribute.code.clone()),
                Problem::Required,
            )),
            _ => {}
        }
    }
    let mut text = |field: Field, raw: &str, max: usize, multiline: bool| match check_text(
        raw, max, multiline,
    ) {
        Ok(t) => t,
        Err(p) => {
            errors.push(FieldError::new(field, p));
            String::new()
        }
    };
    out.description = text(
        Field::Description,
        &input.description,
        DESCRIPTION_MAX,
        true,
    );
    out.location.address = text(Field::Address, &input.address, ADDRESS_MAX, false);
    out.contact.first_name = text(Field::FirstName, &input.contact.first_name, NAME_MAX, false);
    out.contact.last_name = text(Field::LastName, &input.contact.last_name, NAME_MAX, false);
    out.contact.email = text(Field::Email, &input.contact.email, EMAIL_MAX, false);
    out.contact.phone = text(Field::Phone, &input.contact.phone, PHONE_MAX, false);
    if !out.contact.email.is_empty() && !looks_like_email(&out.contact.email) {
        errors.push(FieldError::new(Field::Email, Problem::BadEmail));
    }
    if !out.contact.phone.is_empty() && !looks_like_phone(&out.contact.phone) {
        errors.push(FieldError::new(Field::Phone, Problem::BadPhone));
    }
    match coordinates(&input.lat, &input.long) {
        Ok((lat, long)) => {
            out.location.lat = lat;
            out.location.long = long;
        }
        Err(e) => errors.push(e),
    }
    if out.location.address.is_empty()
        && out.location.lat.is_none()
        && !errors.iter().any(|e| e.field == Field::Address)
    {
        errors.push(FieldError::new(Field::Location, Problem::LocationMissing));
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

type LatLong = (Option<f64>, Option<f64>);

fn coordinates(lat: &str, long: &str) -> Result<LatLong, FieldError> {
    let (lat, long) = (lat.trim(), long.trim());
    if lat.is_empty() && long.is_empty() {
        return Ok((None, None));
    }
    let parse = |raw: &str, field: Field, limit: f64| {
        raw.parse::<f64>()
            .ok()
            .filter(|v| v.is_finite() && v.abs() <= limit)
            .ok_or(FieldError::new(field, Problem::BadCoordinate))
    };
    Ok((
        Some(parse(lat, Field::Lat, 90.0)?),
        Some(parse(long, Field::Long, 180.0)?),
    ))
}

/// A deliberately loose check: one `@`, something on both sides, a dot in the domain, no spaces.
/// The council's system sends the real confirmation; this only catches slips of the finger.
fn looks_like_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && !s.chars().any(char::is_whitespace)
}

fn looks_like_phone(s: &str) -> bool {
    let digits = s.chars().filter(char::is_ascii_digit).count();
    digits >= 3
        && s.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '-' | '(' | ')' | '.'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::demo_catalogs;

    fn demo() -> Catalog {
        demo_catalogs().remove(0).1
    }

    fn locales() -> Vec<String> {
        vec!["en".into(), "ar".into()]
    }

    fn form(service: &str) -> FormInput {
        FormInput {
            service_code: service.into(),
            locale: "en".into(),
            address: "1 High Street".into(),
            ..FormInput::default()
        }
    }

    fn errors_of(input: &FormInput) -> Vec<FieldError> {
        validate_form(&demo(), input, &locales(), UtcOffset::UTC).unwrap_err()
    }

    #[test]
    fn a_count_question_refuses_fractions_and_numbers_beyond_its_range() {
        let catalog = demo();
        let attribute = catalog
            .definition("BULKY")
            .and_then(|d| d.attribute("ITEM_COUNT"))
            .expect("demo ITEM_COUNT");
        let count = Problem::NumberRule {
            whole: true,
            min: Some(0.0),
            max: Some(10.0),
        };
        for refused in ["2.5", "11", "-1", "lots"] {
            assert_eq!(
                validate_answer(attribute, &Answer::One(refused.into()), UtcOffset::UTC),
                Err(count.clone()),
                "{refused}"
            );
        }
        assert_eq!(
            validate_answer(attribute, &Answer::One("10".into()), UtcOffset::UTC),
            Ok(Answer::One("10".into()))
        );
        assert_eq!(count.to_string(), "must be a whole number from 0 to 10");
    }

    #[test]
    fn numbers_are_parsed_as_residents_type_them() {
        assert_eq!(parse_number("3").unwrap(), 3.0);
        assert_eq!(parse_number(" 3,5 ").unwrap(), 3.5);
        assert_eq!(parse_number("1 000").unwrap(), 1000.0);
        assert_eq!(parse_number("-2.25").unwrap(), -2.25);
        assert_eq!(parse_number("abc"), Err(Problem::NotANumber));
        assert_eq!(parse_number("1e5"), Err(Problem::NotANumber));
        assert_eq!(parse_number(""), Err(Problem::NotANumber));
        assert_eq!(parse_number("NaN"), Err(Problem::NotANumber));
        assert_eq!(
            parse_number("99999999999999"),
            Err(Problem::NumberOutOfRange)
        );
        assert_eq!(format_number(3.0), "3");
        assert_eq!(format_number(3.5), "3.5");
    }

    #[test]
    fn datetimes_accept_rfc3339_and_local_forms() {
        let paris = UtcOffset::from_hms(1, 0, 0).unwrap();
        assert_eq!(
            parse_datetime("2026-11-27T14:30:00Z", paris).unwrap(),
            "2026-11-27T14:30:00Z"
        );
        assert_eq!(
            parse_datetime("2026-11-27 14:30", paris).unwrap(),
            "2026-11-27T14:30:00+01:00"
        );
        assert_eq!(
            parse_datetime("2026-11-27", paris).unwrap(),
            "2026-11-27T00:00:00+01:00"
        );
        assert_eq!(
            parse_datetime("27/11/2026", paris),
            Err(Problem::NotADatetime)
        );
        assert_eq!(
            parse_datetime("2026-02-30", paris),
            Err(Problem::NotADatetime)
        );
    }

    #[test]
    fn every_datatype_is_validated_and_normalised() {
        let mut input = form("BULKY");
        input.answers.insert(
            "ITEMS".into(),
            Answer::Many(vec!["fridge".into(), "garden".into()]),
        );
        input
            .answers
            .insert("ITEM_COUNT".into(), Answer::One("2,0".into()));
        input
            .answers
            .insert("PREFERRED_DATE".into(), Answer::One("2026-12-01".into()));
        input.answers.insert(
            "ACCESS".into(),
            Answer::One("  Third floor\r\nno lift ".into()),
        );
        let valid = validate_form(&demo(), &input, &locales(), UtcOffset::UTC).unwrap();
        assert_eq!(valid.answers["ITEM_COUNT"], Answer::One("2".into()));
        assert_eq!(
            valid.answers["PREFERRED_DATE"],
            Answer::One("2026-12-01T00:00:00Z".into())
        );
        assert_eq!(
            valid.answers["ACCESS"],
            Answer::One("Third floor\nno lift".into())
        );

        let mut input = form("POTHOLE");
        input
            .answers
            .insert("SIZE".into(), Answer::One("large".into()));
        let valid = validate_form(&demo(), &input, &locales(), UtcOffset::UTC).unwrap();
        assert_eq!(valid.answers["SIZE"], Answer::One("large".into()));

        let mut input = form("STREETLIGHT");
        input
            .answers
            .insert("PROBLEM".into(), Answer::Many(vec!["off".into()]));
        input
            .answers
            .insert("LAMP_NUMBER".into(), Answer::One(" A12 ".into()));
        let valid = validate_form(&demo(), &input, &locales(), UtcOffset::UTC).unwrap();
        assert_eq!(valid.answers["LAMP_NUMBER"], Answer::One("A12".into()));
    }

    #[test]
    fn refused_input_names_field_and_problem() {
        let mut input = form("BULKY");
        input
            .answers
            .insert("ITEMS".into(), Answer::Many(vec!["piano".into()]));
        input
            .answers
            .insert("ITEM_COUNT".into(), Answer::One("lots".into()));
        input
            .answers
            .insert("PREFERRED_DATE".into(), Answer::One("tomorrow".into()));
        input
            .answers
            .insert("ACCESS".into(), Answer::One("a".repeat(TEXT_MAX + 1)));
        input.answers.insert("NOPE".into(), Answer::One("x".into()));
        input.contact.email = "not-an-email".into();
        input.contact.phone = "call me".into();
        input.description = "bell\u{7}".into();
        let errors = errors_of(&input);
        let has = |field: Field, problem: Problem| {
            assert!(
                errors.contains(&FieldError::new(field.clone(), problem.clone())),
                "{field:?} {problem:?} in {errors:?}"
            )
        };
        has(
            Field::Attribute("ITEMS".into()),
            Problem::UnknownChoice {
                key: "piano".into(),
            },
        );
        // "How many items?" with "up to 10" in its hint: a count from 0 to 10.
        has(
            Field::Attribute("ITEM_COUNT".into()),
            Problem::NumberRule {
                whole: true,
                min: Some(0.0),
                max: Some(10.0),
            },
        );
        has(
            Field::Attribute("PREFERRED_DATE".into()),
            Problem::NotADatetime,
        );
        has(
            Field::Attribute("ACCESS".into()),
            Problem::TooLong { max: TEXT_MAX },
        );
        has(Field::Attribute("NOPE".into()), Problem::UnknownAttribute);
        has(Field::Email, Problem::BadEmail);
        has(Field::Phone, Problem::BadPhone);
        has(Field::Description, Problem::ControlCharacters);
        assert_eq!(
            errors[0].to_string(),
            "attribute NOPE is not a question of this service"
        );
    }

    #[test]
    fn required_fields_and_location_are_enforced() {
        let mut input = form("MISSEDBIN");
        input.address.clear();
        let errors = errors_of(&input);
        assert!(errors.contains(&FieldError::new(
            Field::Attribute("BIN_TYPE".into()),
            Problem::Required
        )));
        assert!(errors.contains(&FieldError::new(Field::Location, Problem::LocationMissing)));
        let mut input = form("GRAFFITI");
        input.address.clear();
        input.lat = "51.5".into();
        input.long = "-0.12".into();
        let valid = validate_form(&demo(), &input, &locales(), UtcOffset::UTC).unwrap();
        assert_eq!(valid.location.lat, Some(51.5));
        input.long = "200".into();
        assert!(errors_of(&input).contains(&FieldError::new(Field::Long, Problem::BadCoordinate)));
    }

    #[test]
    fn single_choice_refuses_two_and_information_is_never_an_answer() {
        let mut input = form("POTHOLE");
        input.answers.insert(
            "SIZE".into(),
            Answer::Many(vec!["small".into(), "large".into()]),
        );
        input
            .answers
            .insert("POTHOLE_DANGER_INFO".into(), Answer::One("x".into()));
        let errors = errors_of(&input);
        assert!(errors.contains(&FieldError::new(
            Field::Attribute("SIZE".into()),
            Problem::OnlyOneChoice
        )));
        assert!(errors.contains(&FieldError::new(
            Field::Attribute("POTHOLE_DANGER_INFO".into()),
            Problem::UnknownAttribute
        )));
    }

    #[test]
    fn unknown_service_and_locale_are_refused() {
        let mut input = form("NOPE");
        input.locale = "de".into();
        let errors = errors_of(&input);
        assert!(errors.contains(&FieldError::new(Field::Service, Problem::UnknownService)));
        assert!(errors.contains(&FieldError::new(Field::Locale, Problem::UnknownLocale)));
    }

    #[test]
    fn description_leaves_room_for_the_reference_line() {
        let mut input = form("GRAFFITI");
        input.description = "x".repeat(DESCRIPTION_MAX);
        assert!(validate_form(&demo(), &input, &locales(), UtcOffset::UTC).is_ok());
        input.description.push('x');
        assert!(errors_of(&input).contains(&FieldError::new(
            Field::Description,
            Problem::TooLong {
                max: DESCRIPTION_MAX
            }
        )));
    }

    #[test]
    fn debug_output_never_shows_what_a_resident_typed() {
        let contact = Contact {
            first_name: "Zebulon".into(),
            last_name: "Quaxley".into(),
            email: "zq@secret.example".into(),
            phone: "+44 7700 900123".into(),
        };
        let input = FormInput {
            service_code: "POTHOLE".into(),
            locale: "en".into(),
            answers: [("SIZE".to_string(), Answer::One("Xylophone".into()))].into(),
            description: "Behind the vicarage".into(),
            address: "17 Secret Row".into(),
            lat: "51.123".into(),
            long: "-0.456".into(),
            contact: contact.clone(),
        };
        let form = ValidForm {
            service_code: "POTHOLE".into(),
            locale: "en".into(),
            answers: [("ITEMS".to_string(), Answer::Many(vec!["Xylophone".into()]))].into(),
            description: "Behind the vicarage".into(),
            location: Location {
                address: "17 Secret Row".into(),
                lat: Some(51.123),
                long: Some(-0.456),
            },
            contact,
        };
        let shown = format!("{input:?} {form:?} {input:#?} {form:#?}");
        for secret in [
            "Zebulon",
            "Quaxley",
            "zq@secret",
            "7700",
            "Xylophone",
            "vicarage",
            "Secret Row",
            "51.123",
            "0.456",
        ] {
            assert!(!shown.contains(secret), "{secret} in {shown}");
        }
        assert!(
            shown.contains("POTHOLE") && shown.contains("SIZE"),
            "{shown}"
        );
    }
}
