//! Turning what a central system sends into a [`Catalog`], forgiving the sloppiness real Open311
//! servers show (numeric codes, missing groups, keywords as one string, nulls) and refusing what
//! is malformed or too large, with an error that names the service and field.
//!
//! Everything is parsed through `serde_json::Value` and checked field by field: every string is
//! bounded, every list is bounded, and nothing from the network reaches the UI unchecked.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::model::*;

/// Limits on what a catalogue may contain. Generous for any real council, small enough that a
/// hostile or broken server cannot exhaust a kiosk's memory or screen.
pub mod limits {
    /// Bytes of one catalogue document (services list, one definition, or an import file).
    pub const MAX_DOCUMENT_BYTES: usize = 4 * 1024 * 1024;
    /// Services in a catalogue.
    pub const MAX_SERVICES: usize = 500;
    /// Attributes in one service definition.
    pub const MAX_ATTRIBUTES: usize = 100;
    /// Values of one list attribute.
    pub const MAX_VALUES: usize = 200;
    /// Keywords of one service.
    pub const MAX_KEYWORDS: usize = 50;
    /// Characters of a code (service code, attribute code, value key).
    pub const MAX_CODE_CHARS: usize = 100;
    /// Characters of a name (service, group, value, keyword).
    pub const MAX_NAME_CHARS: usize = 200;
    /// Characters of a description.
    pub const MAX_DESCRIPTION_CHARS: usize = 4000;
}

use limits::*;

/// Why a catalogue was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CatalogError {
    /// Bigger than [`limits::MAX_DOCUMENT_BYTES`].
    #[error("catalogue document is {0} bytes; at most {MAX_DOCUMENT_BYTES} are accepted")]
    TooLarge(usize),
    /// Not JSON at all.
    #[error("catalogue is not valid JSON: {0}")]
    NotJson(String),
    /// JSON of the wrong shape.
    #[error("catalogue is malformed at {at}: {problem}")]
    Malformed {
        /// Where, e.g. `services[3].service_name`.
        at: String,
        /// What is wrong.
        problem: String,
    },
    /// More entries than a limit allows.
    #[error("catalogue has too many {what} at {at}: {count}, at most {max}")]
    TooMany {
        /// Where.
        at: String,
        /// Services, attributes, values...
        what: &'static str,
        /// How many were sent.
        count: usize,
        /// The limit.
        max: usize,
    },
}

fn malformed(at: impl Into<String>, problem: impl Into<String>) -> CatalogError {
    CatalogError::Malformed {
        at: at.into(),
        problem: problem.into(),
    }
}

fn parse_json(bytes: &[u8]) -> Result<Value, CatalogError> {
    if bytes.len() > MAX_DOCUMENT_BYTES {
        return Err(CatalogError::TooLarge(bytes.len()));
    }
    serde_json::from_slice(bytes).map_err(|e| CatalogError::NotJson(e.to_string()))
}

/// Parses an import file: `{"services":[...],"definitions":{"CODE":{...}}}`.
pub fn parse_catalog_document(bytes: &[u8]) -> Result<Catalog, CatalogError> {
    let doc = parse_json(bytes)?;
    let obj = doc.as_object().ok_or_else(|| {
        malformed(
            "$",
            "expected an object with \"services\" and \"definitions\"",
        )
    })?;
    let services_value = obj
        .get("services")
        .ok_or_else(|| malformed("$", "missing \"services\""))?;
    let services = services_from_value(services_value)?;
    let mut definitions = BTreeMap::new();
    match obj.get("definitions") {
        None | Some(Value::Null) => {}
        Some(Value::Object(defs)) => {
            if defs.len() > MAX_SERVICES {
                return Err(CatalogError::TooMany {
                    at: "definitions".into(),
                    what: "definitions",
                    count: defs.len(),
                    max: MAX_SERVICES,
                });
            }
            for (code, def) in defs {
                let def = definition_from_value(def, &format!("definitions[{code:?}]"))?;
                if def.service_code != *code {
                    return Err(malformed(
                        format!("definitions[{code:?}].service_code"),
                        format!("is {:?}, expected {code:?}", def.service_code),
                    ));
                }
                definitions.insert(code.clone(), def);
            }
        }
        Some(_) => {
            return Err(malformed(
                "definitions",
                "expected an object keyed by service code",
            ));
        }
    }
    assemble(services, definitions)
}

/// Parses a GeoReport v2 `services.json` answer.
pub fn parse_services(bytes: &[u8]) -> Result<Vec<Service>, CatalogError> {
    services_from_value(&parse_json(bytes)?)
}

/// Parses a GeoReport v2 `services/{code}.json` answer.
pub fn parse_service_definition(bytes: &[u8]) -> Result<ServiceDefinition, CatalogError> {
    definition_from_value(&parse_json(bytes)?, "$")
}

/// Checks that services and definitions agree, and builds the catalogue.
pub fn assemble(
    services: Vec<Service>,
    definitions: BTreeMap<String, ServiceDefinition>,
) -> Result<Catalog, CatalogError> {
    for s in &services {
        if s.metadata && !definitions.contains_key(&s.service_code) {
            return Err(malformed(
                format!("services[{:?}]", s.service_code),
                "has metadata: true but no service definition",
            ));
        }
    }
    // Definitions of services that are not offered are dropped: they cannot be reached.
    let definitions = definitions
        .into_iter()
        .filter(|(code, _)| {
            services
                .iter()
                .any(|s| &s.service_code == code && s.metadata)
        })
        .collect();
    Ok(Catalog {
        services,
        definitions,
    })
}

fn services_from_value(value: &Value) -> Result<Vec<Service>, CatalogError> {
    let list = value
        .as_array()
        .ok_or_else(|| malformed("services", "expected a JSON array of services"))?;
    if list.len() > MAX_SERVICES {
        return Err(CatalogError::TooMany {
            at: "services".into(),
            what: "services",
            count: list.len(),
            max: MAX_SERVICES,
        });
    }
    let mut seen = BTreeSet::new();
    let mut services = Vec::with_capacity(list.len());
    for (i, item) in list.iter().enumerate() {
        let at = format!("services[{i}]");
        let service = service_from_value(item, &at)?;
        if !seen.insert(service.service_code.clone()) {
            return Err(malformed(
                at,
                format!("service_code {:?} appears twice", service.service_code),
            ));
        }
        services.push(service);
    }
    Ok(services)
}

fn service_from_value(value: &Value, at: &str) -> Result<Service, CatalogError> {
    let obj = value
        .as_object()
        .ok_or_else(|| malformed(at, "expected an object"))?;
    let service_code = code_field(obj.get("service_code"), &format!("{at}.service_code"))?;
    let service_name = required_text(
        obj.get("service_name"),
        &format!("{at}.service_name"),
        MAX_NAME_CHARS,
        false,
    )?;
    let description = optional_text(
        obj.get("description"),
        &format!("{at}.description"),
        MAX_DESCRIPTION_CHARS,
        true,
    )?;
    let metadata = bool_field(obj.get("metadata"), &format!("{at}.metadata"))?;
    let service_type = match obj.get("type") {
        None | Some(Value::Null) => ServiceType::Realtime,
        Some(Value::String(s)) => match s.trim().to_ascii_lowercase().as_str() {
            "realtime" | "" => ServiceType::Realtime,
            "batch" => ServiceType::Batch,
            "blackbox" => ServiceType::Blackbox,
            other => {
                return Err(malformed(
                    format!("{at}.type"),
                    format!("{other:?} is not realtime, batch or blackbox"),
                ));
            }
        },
        Some(_) => return Err(malformed(format!("{at}.type"), "expected a string")),
    };
    let keywords = keywords_field(obj.get("keywords"), &format!("{at}.keywords"))?;
    let group = optional_text(
        obj.get("group"),
        &format!("{at}.group"),
        MAX_NAME_CHARS,
        false,
    )?;
    Ok(Service {
        service_code,
        service_name,
        description,
        metadata,
        service_type,
        keywords,
        group: Some(group).filter(|g| !g.is_empty()),
    })
}

fn definition_from_value(value: &Value, at: &str) -> Result<ServiceDefinition, CatalogError> {
    let obj = value
        .as_object()
        .ok_or_else(|| malformed(at, "expected a service definition object"))?;
    let service_code = code_field(obj.get("service_code"), &format!("{at}.service_code"))?;
    let attrs = match obj.get("attributes") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(a)) => a.clone(),
        Some(_) => return Err(malformed(format!("{at}.attributes"), "expected an array")),
    };
    if attrs.len() > MAX_ATTRIBUTES {
        return Err(CatalogError::TooMany {
            at: format!("{at}.attributes"),
            what: "attributes",
            count: attrs.len(),
            max: MAX_ATTRIBUTES,
        });
    }
    let mut attributes = Vec::with_capacity(attrs.len());
    let mut seen = BTreeSet::new();
    for (i, a) in attrs.iter().enumerate() {
        let at = format!("{at}.attributes[{i}]");
        let attribute = attribute_from_value(a, &at)?;
        if !seen.insert(attribute.code.clone()) {
            return Err(malformed(
                at,
                format!("attribute code {:?} appears twice", attribute.code),
            ));
        }
        attributes.push(attribute);
    }
    attributes.sort_by_key(|a| a.order);
    Ok(ServiceDefinition {
        service_code,
        attributes,
    })
}

fn attribute_from_value(value: &Value, at: &str) -> Result<Attribute, CatalogError> {
    let obj = value
        .as_object()
        .ok_or_else(|| malformed(at, "expected an attribute object"))?;
    let code = code_field(obj.get("code"), &format!("{at}.code"))?;
    let datatype = match obj.get("datatype") {
        Some(Value::String(s)) => Datatype::from_open311(s).ok_or_else(|| {
            malformed(
                format!("{at}.datatype"),
                format!(
                    "{s:?} is not one of string, number, datetime, text, singlevaluelist, multivaluelist"
                ),
            )
        })?,
        _ => return Err(malformed(format!("{at}.datatype"), "missing or not a string")),
    };
    // `variable` defaults to true: an attribute is a question unless the server says otherwise.
    let variable = match obj.get("variable") {
        None | Some(Value::Null) => true,
        v => bool_field(v, &format!("{at}.variable"))?,
    };
    let required = bool_field(obj.get("required"), &format!("{at}.required"))?;
    let datatype_description = optional_text(
        obj.get("datatype_description"),
        &format!("{at}.datatype_description"),
        MAX_NAME_CHARS,
        false,
    )?;
    let order = match obj.get("order") {
        None | Some(Value::Null) => i64::MAX,
        Some(Value::Number(n)) => n
            .as_i64()
            .or_else(|| n.as_f64().map(|f| f as i64))
            .unwrap_or(i64::MAX),
        Some(Value::String(s)) => s
            .trim()
            .parse()
            .map_err(|_| malformed(format!("{at}.order"), format!("{s:?} is not a number")))?,
        Some(_) => return Err(malformed(format!("{at}.order"), "expected a number")),
    };
    let description = required_text(
        obj.get("description"),
        &format!("{at}.description"),
        MAX_DESCRIPTION_CHARS,
        true,
    )
    .or_else(|e| {
        // Some servers leave the question text empty; fall back to the code so the resident
        // still sees something, rather than refusing the whole catalogue.
        if matches!(obj.get("description"), None | Some(Value::Null)) {
            Ok(code.clone())
        } else {
            Err(e)
        }
    })?;
    let values = match obj.get("values") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(list)) => {
            if list.len() > MAX_VALUES {
                return Err(CatalogError::TooMany {
                    at: format!("{at}.values"),
                    what: "values",
                    count: list.len(),
                    max: MAX_VALUES,
                });
            }
            let mut values = Vec::with_capacity(list.len());
            for (j, v) in list.iter().enumerate() {
                let vat = format!("{at}.values[{j}]");
                let vobj = v
                    .as_object()
                    .ok_or_else(|| malformed(&vat, "expected {key, name}"))?;
                let key = code_field(vobj.get("key"), &format!("{vat}.key"))?;
                let name = optional_text(
                    vobj.get("name"),
                    &format!("{vat}.name"),
                    MAX_NAME_CHARS,
                    false,
                )?;
                if values.iter().any(|x: &AttributeValue| x.key == key) {
                    return Err(malformed(vat, format!("value key {key:?} appears twice")));
                }
                let name = if name.is_empty() { key.clone() } else { name };
                values.push(AttributeValue { key, name });
            }
            values
        }
        Some(_) => return Err(malformed(format!("{at}.values"), "expected an array")),
    };
    if variable && datatype.is_list() && values.is_empty() {
        return Err(malformed(
            format!("{at}.values"),
            format!("a {} needs at least one value", datatype.as_str()),
        ));
    }
    Ok(Attribute {
        variable,
        code,
        datatype,
        required,
        datatype_description,
        order,
        description,
        values,
    })
}

/// A code: a non-empty string or an integer (servers send `37` for `"37"`), bounded, printable.
fn code_field(value: Option<&Value>, at: &str) -> Result<String, CatalogError> {
    let code = match value {
        Some(Value::String(s)) => s.trim().to_string(),
        Some(Value::Number(n)) if n.is_i64() || n.is_u64() => n.to_string(),
        Some(Value::Number(_)) => {
            return Err(malformed(at, "a code must be a whole number or a string"));
        }
        None | Some(Value::Null) => return Err(malformed(at, "missing")),
        Some(_) => return Err(malformed(at, "expected a string")),
    };
    if code.is_empty() {
        return Err(malformed(at, "is empty"));
    }
    if code.chars().count() > MAX_CODE_CHARS {
        return Err(malformed(
            at,
            format!("longer than {MAX_CODE_CHARS} characters"),
        ));
    }
    if code.chars().any(char::is_control) {
        return Err(malformed(at, "contains control characters"));
    }
    Ok(code)
}

fn bool_field(value: Option<&Value>, at: &str) -> Result<bool, CatalogError> {
    match value {
        None | Some(Value::Null) => Ok(false),
        Some(Value::Bool(b)) => Ok(*b),
        // Seen in the wild: "true"/"false" as strings.
        Some(Value::String(s)) if s.eq_ignore_ascii_case("true") => Ok(true),
        Some(Value::String(s)) if s.eq_ignore_ascii_case("false") => Ok(false),
        Some(_) => Err(malformed(at, "expected true or false")),
    }
}

fn keywords_field(value: Option<&Value>, at: &str) -> Result<Vec<String>, CatalogError> {
    let raw: Vec<String> = match value {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::String(s)) => s.split(',').map(str::to_string).collect(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| match v {
                Value::String(s) => Ok(s.clone()),
                _ => Err(malformed(at, "keywords must be strings")),
            })
            .collect::<Result<_, _>>()?,
        Some(_) => return Err(malformed(at, "expected a string or a list of strings")),
    };
    let keywords: Vec<String> = raw
        .iter()
        .map(|k| tidy(k, false))
        .filter(|k| !k.is_empty())
        .collect();
    if keywords.len() > MAX_KEYWORDS {
        return Err(CatalogError::TooMany {
            at: at.into(),
            what: "keywords",
            count: keywords.len(),
            max: MAX_KEYWORDS,
        });
    }
    if let Some(k) = keywords.iter().find(|k| k.chars().count() > MAX_NAME_CHARS) {
        return Err(malformed(
            at,
            format!(
                "keyword of {} characters; at most {MAX_NAME_CHARS}",
                k.chars().count()
            ),
        ));
    }
    Ok(keywords)
}

fn required_text(
    value: Option<&Value>,
    at: &str,
    max: usize,
    multiline: bool,
) -> Result<String, CatalogError> {
    let text = optional_text(value, at, max, multiline)?;
    if text.is_empty() {
        return Err(malformed(at, "missing or empty"));
    }
    Ok(text)
}

/// A display text: null → empty, numbers accepted, bounded, control characters removed.
fn optional_text(
    value: Option<&Value>,
    at: &str,
    max: usize,
    multiline: bool,
) -> Result<String, CatalogError> {
    let raw = match value {
        None | Some(Value::Null) => return Ok(String::new()),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        Some(_) => return Err(malformed(at, "expected a string")),
    };
    let text = tidy(&raw, multiline);
    let count = text.chars().count();
    if count > max {
        return Err(malformed(
            at,
            format!("{count} characters; at most {max} are accepted"),
        ));
    }
    Ok(text)
}

/// Trims, drops control characters (keeping newlines in multi-line texts) and collapses the
/// stray `\r` and tabs servers leave in.
fn tidy(raw: &str, multiline: bool) -> String {
    let cleaned: String = raw
        .chars()
        .filter_map(|c| match c {
            '\n' if multiline => Some('\n'),
            '\n' | '\t' => Some(' '),
            c if c.is_control() => None,
            // Bidi embeddings and overrides could make a hostile name display as something
            // else. Isolates (U+2066–U+2069) are kept: they only protect a run's own order, such
            // as a phone number inside Arabic text, and end with the paragraph.
            '\u{202A}'..='\u{202E}' => None,
            c => Some(c),
        })
        .collect();
    cleaned.trim().to_string()
}
