//! Turning what a central system sends into a [`Catalog`], forgiving the sloppiness real Open311
//! servers show and never refusing a whole catalogue because of one service.
//!
//! Real councils publish catalogues with a datatype outside the standard, definitions that are
//! missing or answer 404, HTML stored as escaped text, names with underscores, yes/no lists keyed
//! with booleans, and so on (the catalogues kept under `tests/fixtures/catalogs/` show each of
//! these). A kiosk that refused such a catalogue would serve nobody, so the unit of refusal is the
//! *service*: what cannot be served is left out and named with its reason ([`LeftOut`]), and the
//! document is refused only when it is unusable as a whole (not JSON, wrong shape, over the size
//! limits) or when nothing usable remains. `--strict` callers use [`parse_catalog_document`],
//! which refuses as soon as anything is left out.
//!
//! Everything is parsed through `serde_json::Value` and checked field by field: every string is
//! bounded and tidied once here ([`tidy_text`]), so screens and receipts show the same text, and
//! nothing from the network reaches the UI unchecked.

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
    /// Keywords of one service (more are ignored).
    pub const MAX_KEYWORDS: usize = 50;
    /// Characters of a code (service code, attribute code, value key).
    pub const MAX_CODE_CHARS: usize = 100;
    /// Characters of a name (service, group, value, keyword).
    pub const MAX_NAME_CHARS: usize = 200;
    /// Characters of a description (longer ones are cut, after tidying, with an ellipsis).
    pub const MAX_DESCRIPTION_CHARS: usize = 4000;
    /// Conditions in one attribute's `dependencies`.
    pub const MAX_CONDITIONS: usize = 20;
}

use limits::*;

/// Why a catalogue (or, inside a [`LeftOut`], one service) was refused.
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
    /// Every service was left out.
    #[error("none of the {offered} services can be served; {first}")]
    NothingUsable {
        /// How many services the document offered.
        offered: usize,
        /// The first service's reason, e.g. `services[0]: ...`.
        first: String,
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
    // A byte-order mark is not JSON, but editors on councils' desks write one.
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    serde_json::from_slice(bytes).map_err(|e| CatalogError::NotJson(e.to_string()))
}

/// A catalogue with what could not be served, as `catalog import`, `refresh`, `show` and `doctor`
/// report it.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    /// What will be served (its `left_out` names the rest).
    pub catalog: Catalog,
    /// The errors behind `catalog.left_out`, in the same order (for `--strict`).
    pub errors: Vec<CatalogError>,
}

impl Imported {
    /// The first reason anything was left out, as the error `--strict` refuses with.
    pub fn strict(self) -> Result<Catalog, CatalogError> {
        match self.errors.into_iter().next() {
            Some(e) => Err(e),
            None => Ok(self.catalog),
        }
    }
}

/// Parses an import file leniently: `{"services":[...],"definitions":{"CODE":{...}}}`, or a bare
/// `services.json` answer (then every `metadata: true` service lacks its definition and is left
/// out). Refuses only an unusable document or one where nothing usable remains.
pub fn import_catalog_document(bytes: &[u8]) -> Result<Imported, CatalogError> {
    let doc = parse_json(bytes)?;
    let (services_value, definitions_value) = match &doc {
        Value::Array(_) => (&doc, None),
        Value::Object(obj) => (
            obj.get("services")
                .ok_or_else(|| malformed("$", "missing \"services\""))?,
            obj.get("definitions"),
        ),
        _ => {
            return Err(malformed(
                "$",
                "expected an object with \"services\" and \"definitions\"",
            ));
        }
    };
    let list = services_from_value(services_value)?;
    let mut definitions = BTreeMap::new();
    let mut failures: BTreeMap<String, Failure> = BTreeMap::new();
    match definitions_value {
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
                let at = format!("definitions[{code:?}]");
                match definition_from_value(def, &at) {
                    Ok(parsed) if parsed.definition.service_code == *code => {
                        definitions.insert(code.clone(), parsed);
                    }
                    Ok(parsed) => {
                        let e = malformed(
                            format!("{at}.service_code"),
                            format!("is {:?}, expected {code:?}", parsed.definition.service_code),
                        );
                        failures.insert(code.clone(), Failure::from(e));
                    }
                    Err(e) => {
                        failures.insert(code.clone(), Failure::from(e));
                    }
                }
            }
        }
        Some(_) => {
            return Err(malformed(
                "definitions",
                "expected an object keyed by service code",
            ));
        }
    }
    assemble(list, definitions, failures)
}

/// Parses an import file strictly: refused as soon as one service cannot be served (`--strict`,
/// and the embedded demo catalogue, which must be whole).
pub fn parse_catalog_document(bytes: &[u8]) -> Result<Catalog, CatalogError> {
    import_catalog_document(bytes)?.strict()
}

/// A `services.json` answer: the services that parsed, and those left out with their reasons.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ServiceList {
    /// Services that parsed, in the server's order.
    pub services: Vec<Service>,
    /// Services that did not, with the error behind each.
    pub left_out: Vec<(LeftOut, CatalogError)>,
}

/// Parses a GeoReport v2 `services.json` answer leniently.
pub fn parse_service_list(bytes: &[u8]) -> Result<ServiceList, CatalogError> {
    services_from_value(&parse_json(bytes)?)
}

/// Parses a GeoReport v2 `services.json` answer; the services that can be served.
pub fn parse_services(bytes: &[u8]) -> Result<Vec<Service>, CatalogError> {
    Ok(parse_service_list(bytes)?.services)
}

/// A service definition and the optional questions left out of it.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedDefinition {
    /// The definition, with the questions that can be asked.
    pub definition: ServiceDefinition,
    /// Optional questions that cannot be asked (attribute code, reason).
    pub skipped: Vec<(String, String)>,
}

/// Parses a GeoReport v2 `services/{code}.json` answer, leaving out optional questions that
/// cannot be asked (see [`ParsedDefinition::skipped`]).
pub fn parse_definition(bytes: &[u8]) -> Result<ParsedDefinition, CatalogError> {
    definition_from_value(&parse_json(bytes)?, "$")
}

/// Parses a GeoReport v2 `services/{code}.json` answer.
pub fn parse_service_definition(bytes: &[u8]) -> Result<ServiceDefinition, CatalogError> {
    Ok(parse_definition(bytes)?.definition)
}

/// Why one service's definition is not available (a 404, a refused document...).
#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    /// One line for people.
    pub reason: String,
    /// The error, for `--strict`.
    pub error: CatalogError,
}

impl From<CatalogError> for Failure {
    fn from(error: CatalogError) -> Self {
        Failure {
            reason: error.to_string(),
            error,
        }
    }
}

/// Builds the catalogue from a service list and the definitions that loaded: a `metadata: true`
/// service whose definition failed (`failures`) or is missing is left out with its reason.
/// Refused only when nothing can be served.
pub fn assemble(
    list: ServiceList,
    mut definitions: BTreeMap<String, ParsedDefinition>,
    mut failures: BTreeMap<String, Failure>,
) -> Result<Imported, CatalogError> {
    let offered = list.services.len() + list.left_out.len();
    let mut left_out = Vec::new();
    let mut errors = Vec::new();
    for (l, e) in list.left_out {
        left_out.push(l);
        errors.push(e);
    }
    let mut services = Vec::with_capacity(list.services.len());
    let mut kept = BTreeMap::new();
    for s in list.services {
        if !s.metadata {
            services.push(s);
            continue;
        }
        if let Some(parsed) = definitions.remove(&s.service_code) {
            for (attribute, reason) in parsed.skipped {
                let error = malformed(
                    format!("services[{:?}].attributes[{attribute:?}]", s.service_code),
                    reason.clone(),
                );
                left_out.push(LeftOut {
                    service_code: s.service_code.clone(),
                    service_name: s.service_name.clone(),
                    attribute: Some(attribute),
                    reason,
                });
                errors.push(error);
            }
            kept.insert(s.service_code.clone(), parsed.definition);
            services.push(s);
            continue;
        }
        let failure = failures.remove(&s.service_code).unwrap_or_else(|| Failure {
            reason: "metadata: true but no service definition".into(),
            error: malformed(
                format!("services[{:?}]", s.service_code),
                "has metadata: true but no service definition",
            ),
        });
        left_out.push(LeftOut {
            service_code: s.service_code.clone(),
            service_name: s.service_name.clone(),
            attribute: None,
            reason: failure.reason,
        });
        errors.push(failure.error);
    }
    if services.is_empty() {
        let first = match (left_out.first(), errors.first()) {
            (Some(l), Some(e)) => format!("{}: {e}", l.service_code),
            _ => "the list of services is empty".to_string(),
        };
        return Err(match errors.into_iter().next() {
            // One service, one reason: say it as it is.
            Some(e) if offered == 1 => e,
            _ => CatalogError::NothingUsable { offered, first },
        });
    }
    Ok(Imported {
        catalog: Catalog {
            services,
            definitions: kept,
            left_out,
        },
        errors,
    })
}

fn services_from_value(value: &Value) -> Result<ServiceList, CatalogError> {
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
    let mut out = ServiceList::default();
    for (i, item) in list.iter().enumerate() {
        let at = format!("services[{i}]");
        let parsed = service_from_value(item, &at).and_then(|s| {
            if seen.insert(s.service_code.clone()) {
                Ok(s)
            } else {
                Err(malformed(
                    &at,
                    format!("service_code {:?} appears twice", s.service_code),
                ))
            }
        });
        match parsed {
            Ok(s) => out.services.push(s),
            Err(e) => out.left_out.push((left_out_of(item, &at, &e), e)),
        }
    }
    Ok(out)
}

/// Names a service that could not be parsed as well as its remains allow.
fn left_out_of(item: &Value, at: &str, error: &CatalogError) -> LeftOut {
    let field = |key: &str| {
        let raw = match item.get(key) {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Number(n)) => n.to_string(),
            _ => String::new(),
        };
        clamp_chars(&tidy_line(&raw), 100)
    };
    let code = field("service_code");
    LeftOut {
        service_code: if code.is_empty() {
            at.to_string()
        } else {
            code
        },
        service_name: field("service_name"),
        attribute: None,
        reason: error.to_string(),
    }
}

fn service_from_value(value: &Value, at: &str) -> Result<Service, CatalogError> {
    let obj = value
        .as_object()
        .ok_or_else(|| malformed(at, "expected an object"))?;
    let service_code = code_field(obj.get("service_code"), &format!("{at}.service_code"))?;
    let service_name = name_field(obj.get("service_name"), &format!("{at}.service_name"))?;
    if service_name.is_empty() {
        return Err(malformed(format!("{at}.service_name"), "missing or empty"));
    }
    let description = description_field(obj.get("description"), &format!("{at}.description"))?;
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
    let keywords = keywords_field(obj.get("keywords"));
    let group = name_field(obj.get("group"), &format!("{at}.group"))?;
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

fn definition_from_value(value: &Value, at: &str) -> Result<ParsedDefinition, CatalogError> {
    let obj = value
        .as_object()
        .ok_or_else(|| malformed(at, "expected a service definition object"))?;
    let service_code = code_field(obj.get("service_code"), &format!("{at}.service_code"))?;
    let attrs: &[Value] = match obj.get("attributes") {
        None | Some(Value::Null) => &[],
        Some(Value::Array(a)) => a,
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
    let mut attributes: Vec<Attribute> = Vec::with_capacity(attrs.len());
    let mut raw_dependencies: Vec<Option<&Value>> = Vec::with_capacity(attrs.len());
    let mut skipped = Vec::new();
    for (i, a) in attrs.iter().enumerate() {
        let at = format!("{at}.attributes[{i}]");
        let attribute = match attribute_from_value(a, &at) {
            Ok(a) => a,
            Err(e) => {
                // An optional question the kiosk cannot ask is left out; the service can still be
                // reported without it. A required one leaves the whole service out.
                let optional = a
                    .get("required")
                    .is_some_and(|r| bool_field(Some(r), "").ok() == Some(false))
                    || a.get("required").is_none_or(Value::is_null);
                let code = a.get("code").and_then(|c| code_field(Some(c), "").ok());
                match code {
                    Some(code) if optional && !attributes.iter().any(|x| x.code == code) => {
                        skipped.push((code, e.to_string()));
                        continue;
                    }
                    _ => return Err(e),
                }
            }
        };
        if attributes.iter().any(|x| x.code == attribute.code) {
            return Err(malformed(
                at,
                format!("attribute code {:?} appears twice", attribute.code),
            ));
        }
        raw_dependencies.push(a.get("dependencies"));
        attributes.push(attribute);
    }
    // Conditions may only look at questions asked before (by `order`); anything else, or a
    // shape whose meaning is not the published one, is ignored and the question always asked.
    let mut order: Vec<usize> = (0..attributes.len()).collect();
    order.sort_by_key(|&i| attributes[i].order);
    let mut earlier: BTreeMap<String, Attribute> = BTreeMap::new();
    for &i in &order {
        let dependencies = raw_dependencies[i].and_then(|v| dependencies_from_value(v, &earlier));
        attributes[i].dependencies = dependencies;
        earlier.insert(attributes[i].code.clone(), attributes[i].clone());
    }
    attributes.sort_by_key(|a| a.order);
    Ok(ParsedDefinition {
        definition: ServiceDefinition {
            service_code,
            attributes,
        },
        skipped,
    })
}

fn attribute_from_value(value: &Value, at: &str) -> Result<Attribute, CatalogError> {
    let obj = value
        .as_object()
        .ok_or_else(|| malformed(at, "expected an attribute object"))?;
    let code = code_field(obj.get("code"), &format!("{at}.code"))?;
    // `informational` (seen in Boston's catalogue) is a read-only note: it becomes an
    // information page, exactly like `variable: false`.
    let (datatype, informational) = match obj.get("datatype") {
        Some(Value::String(s)) if s.trim().eq_ignore_ascii_case("informational") => {
            (Datatype::Text, true)
        }
        Some(Value::String(s)) => (
            Datatype::from_open311(s).ok_or_else(|| {
                malformed(
                    format!("{at}.datatype"),
                    format!(
                        "{s:?} is not one of string, number, datetime, text, singlevaluelist, multivaluelist, informational"
                    ),
                )
            })?,
            false,
        ),
        // A note needs no datatype.
        None | Some(Value::Null) if matches!(obj.get("variable"), Some(Value::Bool(false))) => {
            (Datatype::Text, true)
        }
        _ => return Err(malformed(format!("{at}.datatype"), "missing or not a string")),
    };
    // `variable` defaults to true: an attribute is a question unless the server says otherwise.
    let variable = !informational
        && match obj.get("variable") {
            None | Some(Value::Null) => true,
            v => bool_field(v, &format!("{at}.variable"))?,
        };
    let required = variable && bool_field(obj.get("required"), &format!("{at}.required"))?;
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
    let description = description_field(obj.get("description"), &format!("{at}.description"))?;
    // Some servers leave the question text empty; fall back to the code so the resident still
    // sees something. An empty note has nothing to say and is shown as nothing at all.
    let description = if description.is_empty() && variable {
        tidy_line(&code.replace('_', " "))
    } else {
        description
    };
    let values = if variable {
        values_field(obj.get("values"), &format!("{at}.values"))?
    } else {
        // Notes have no values; servers send `[]`, `""`, a number...: ignored.
        Vec::new()
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
        dependencies: None,
    })
}

fn values_field(value: Option<&Value>, at: &str) -> Result<Vec<AttributeValue>, CatalogError> {
    let list = match value {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Array(list)) => list,
        Some(_) => return Err(malformed(at, "expected an array")),
    };
    if list.len() > MAX_VALUES {
        return Err(CatalogError::TooMany {
            at: at.into(),
            what: "values",
            count: list.len(),
            max: MAX_VALUES,
        });
    }
    let mut values: Vec<AttributeValue> = Vec::with_capacity(list.len());
    for (j, v) in list.iter().enumerate() {
        let vat = format!("{at}[{j}]");
        let vobj = v
            .as_object()
            .ok_or_else(|| malformed(&vat, "expected {key, name}"))?;
        // A yes/no list keyed with JSON booleans (`true`/`false`) is still a list of keys.
        let key = match vobj.get("key") {
            Some(Value::Bool(b)) => b.to_string(),
            other => code_field(other, &format!("{vat}.key"))?,
        };
        let name = name_field(vobj.get("name"), &format!("{vat}.name"))?;
        if values.iter().any(|x| x.key == key) {
            // The same key twice is the same answer: the first name is kept.
            continue;
        }
        let name = if name.is_empty() { key.clone() } else { name };
        values.push(AttributeValue { key, name });
    }
    Ok(values)
}

/// `dependencies` as Boston's Open311 server publishes them and its own client reads them:
/// `{"clause": "AND"|"OR", "conditions": [{"attribute", "op", "value"}]}` with `op` one of `eq`,
/// `neq`, `in`, `gt`, `gte`, `lt`, `lte`. `None` (the question is always asked) for anything
/// else, and for conditions on questions that do not come before this one.
fn dependencies_from_value(
    value: &Value,
    earlier: &BTreeMap<String, Attribute>,
) -> Option<Dependencies> {
    let obj = value.as_object()?;
    let clause = match obj.get("clause") {
        Some(Value::String(s)) if s.eq_ignore_ascii_case("and") => Clause::And,
        Some(Value::String(s)) if s.eq_ignore_ascii_case("or") => Clause::Or,
        None | Some(Value::Null) => Clause::And,
        _ => return None,
    };
    let list = obj.get("conditions")?.as_array()?;
    if list.is_empty() || list.len() > MAX_CONDITIONS {
        return None;
    }
    let mut conditions = Vec::with_capacity(list.len());
    for c in list {
        let c = c.as_object()?;
        let attribute = code_field(c.get("attribute"), "").ok()?;
        earlier.get(&attribute).filter(|a| a.variable)?;
        let op = match c.get("op")?.as_str()?.trim().to_ascii_lowercase().as_str() {
            "eq" => Op::Eq,
            "neq" => Op::Neq,
            "in" => Op::In,
            "gt" => Op::Gt,
            "gte" => Op::Gte,
            "lt" => Op::Lt,
            "lte" => Op::Lte,
            _ => return None,
        };
        let scalar = |v: &Value| match v {
            Value::String(s) => Some(clamp_chars(s.trim(), MAX_CODE_CHARS)),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        };
        let value = match c.get("value")? {
            Value::Array(items) if items.len() <= MAX_VALUES => {
                ConditionValue::Many(items.iter().map(scalar).collect::<Option<Vec<_>>>()?)
            }
            Value::Number(n) => ConditionValue::Number(n.as_f64()?),
            v => ConditionValue::One(scalar(v)?),
        };
        conditions.push(Condition {
            attribute,
            op,
            value,
        });
    }
    Some(Dependencies { clause, conditions })
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
        // Seen in the wild: "true"/"false" as strings, and 0/1.
        Some(Value::String(s)) if s.trim().eq_ignore_ascii_case("true") => Ok(true),
        Some(Value::String(s)) if s.trim().eq_ignore_ascii_case("false") => Ok(false),
        Some(Value::Number(n)) if n.as_u64() == Some(1) => Ok(true),
        Some(Value::Number(n)) if n.as_u64() == Some(0) => Ok(false),
        Some(_) => Err(malformed(at, "expected true or false")),
    }
}

/// Keywords help search only: whatever cannot be used (a non-string, a keyword cut off at the
/// server's 255-character limit beyond ours) is dropped rather than costing the service.
fn keywords_field(value: Option<&Value>) -> Vec<String> {
    let raw: Vec<String> = match value {
        Some(Value::String(s)) => s.split(',').map(str::to_string).collect(),
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    };
    let mut keywords: Vec<String> = Vec::new();
    for k in raw {
        let k = tidy_line(&k);
        if !k.is_empty() && k.chars().count() <= MAX_NAME_CHARS && !keywords.contains(&k) {
            keywords.push(k);
        }
        if keywords.len() == MAX_KEYWORDS {
            break;
        }
    }
    keywords
}

/// A name (service, group, value): one line, tidied, underscores as spaces, bounded.
fn name_field(value: Option<&Value>, at: &str) -> Result<String, CatalogError> {
    let name = optional_text(value, at, usize::MAX, false)?;
    let name = if name.contains('_') {
        tidy_line(&name.replace('_', " "))
    } else {
        name
    };
    let count = name.chars().count();
    if count > MAX_NAME_CHARS {
        return Err(malformed(
            at,
            format!("{count} characters; at most {MAX_NAME_CHARS} are accepted"),
        ));
    }
    Ok(name)
}

/// A description: several lines, tidied, cut at [`limits::MAX_DESCRIPTION_CHARS`].
fn description_field(value: Option<&Value>, at: &str) -> Result<String, CatalogError> {
    let text = optional_text(value, at, usize::MAX, true)?;
    if text.chars().count() > MAX_DESCRIPTION_CHARS {
        let mut cut = clamp_chars(&text, MAX_DESCRIPTION_CHARS - 1);
        cut.push('…');
        return Ok(cut);
    }
    Ok(text)
}

/// A display text: null → empty, numbers accepted, tidied, bounded.
fn optional_text(
    value: Option<&Value>,
    at: &str,
    max: usize,
    multiline: bool,
) -> Result<String, CatalogError> {
    let raw = match value {
        None | Some(Value::Null) => return Ok(String::new()),
        Some(Value::String(s)) => s.as_str(),
        Some(Value::Number(n)) => return Ok(n.to_string()),
        Some(_) => return Err(malformed(at, "expected a string")),
    };
    // Far beyond any limit: refuse before tidying (the document limit bounds this anyway).
    if raw.len() > MAX_DOCUMENT_BYTES {
        return Err(malformed(at, "too long"));
    }
    let text = if multiline {
        tidy_text(raw)
    } else {
        tidy_line(raw)
    };
    let count = text.chars().count();
    if count > max {
        return Err(malformed(
            at,
            format!("{count} characters; at most {max} are accepted"),
        ));
    }
    Ok(text)
}

fn clamp_chars(s: &str, max: usize) -> String {
    s.chars().take(max).collect()
}

/// One line of text: [`tidy_text`] with line breaks as spaces.
pub fn tidy_line(raw: &str) -> String {
    let text = tidy_text(raw);
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Text as residents should read it, on screens and receipts alike: HTML entities decoded (also
/// when the HTML itself was stored escaped, `&lt;br&gt;`), `<br>` and paragraph ends as line
/// breaks, other tags dropped, CRLF and stray CR as line breaks, tabs and runs of spaces as one
/// space, at most one blank line in a row, no spaces at line ends, trimmed. Control characters
/// and bidi embeddings/overrides are removed (a hostile name could otherwise display as something
/// else; isolates are kept: they only protect a run's own order).
pub fn tidy_text(raw: &str) -> String {
    // Entities, then tags, until nothing changes: `&amp;lt;br&amp;gt;` was seen, and tidying
    // what was tidied must change nothing (a cached catalogue is parsed again). Nesting beyond a
    // few levels is not text anyone wrote: its markup characters are dropped.
    let mut text = raw.to_string();
    let mut settled = false;
    for _ in 0..4 {
        let next = strip_tags(&decode_entities(&text));
        if next == text {
            settled = true;
            break;
        }
        text = next;
    }
    if !settled {
        text.retain(|c| !matches!(c, '&' | '<' | '>'));
    }
    let mut lines: Vec<String> = Vec::new();
    for line in text.replace("\r\n", "\n").replace('\r', "\n").split('\n') {
        let mut clean = String::with_capacity(line.len());
        let mut space = false;
        for c in line.chars() {
            let c = match c {
                '\t' | '\u{A0}' | '\u{2028}' | '\u{2029}' => ' ',
                '\u{202A}'..='\u{202E}' | '\u{FEFF}' => continue,
                c if c.is_control() => continue,
                c => c,
            };
            if c == ' ' {
                space = true;
                continue;
            }
            if space && !clean.is_empty() {
                clean.push(' ');
            }
            space = false;
            clean.push(c);
        }
        let blank = clean.is_empty();
        if blank && lines.last().is_none_or(String::is_empty) {
            continue;
        }
        lines.push(clean);
    }
    while lines.last().is_some_and(String::is_empty) {
        lines.pop();
    }
    lines.join("\n")
}

/// Replaces `<br>` (any spelling) and `</p>`/`<p>` with line breaks and drops other tags. Only
/// what looks like a tag is touched: `<` followed by a letter, `/` or `!`, closed by `>` within
/// 200 characters, so "5 < 6" survives.
fn strip_tags(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let looks_like_tag = after
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '/' || c == '!');
        let end = after
            .char_indices()
            .take(200)
            .find(|&(_, c)| c == '>' || c == '<')
            .filter(|&(_, c)| c == '>')
            .map(|(i, _)| i);
        match (looks_like_tag, end) {
            (true, Some(end)) => {
                let name: String = after[..end]
                    .trim_start_matches('/')
                    .chars()
                    .take_while(char::is_ascii_alphanumeric)
                    .collect::<String>()
                    .to_ascii_lowercase();
                match name.as_str() {
                    "br" => out.push('\n'),
                    "p" | "div" | "li" | "ul" | "ol" | "tr" | "h1" | "h2" | "h3" | "h4" => {
                        out.push_str("\n\n")
                    }
                    _ => {}
                }
                rest = &after[end + 1..];
            }
            _ => {
                out.push('<');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Decodes the HTML entities catalogues contain: the XML five, `&nbsp;`, a few common named
/// ones, and numeric ones (`&#39;`, `&#x2019;`). Unknown or malformed ones stay as they are.
fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find('&') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let end = after
            .char_indices()
            .take(12)
            .find(|&(_, c)| c == ';')
            .map(|(i, _)| i);
        let decoded = end.and_then(|end| {
            let name = &after[..end];
            let c = match name {
                "lt" => '<',
                "gt" => '>',
                "amp" => '&',
                "quot" => '"',
                "apos" => '\'',
                "nbsp" => ' ',
                "ndash" => '–',
                "mdash" => '—',
                "lsquo" => '‘',
                "rsquo" => '’',
                "ldquo" => '“',
                "rdquo" => '”',
                "hellip" => '…',
                "euro" => '€',
                "copy" => '©',
                "eacute" => 'é',
                "egrave" => 'è',
                "agrave" => 'à',
                "ccedil" => 'ç',
                "uuml" => 'ü',
                "ouml" => 'ö',
                "auml" => 'ä',
                "Uuml" => 'Ü',
                "Ouml" => 'Ö',
                "Auml" => 'Ä',
                "szlig" => 'ß',
                _ => {
                    let n = if let Some(hex) =
                        name.strip_prefix("#x").or_else(|| name.strip_prefix("#X"))
                    {
                        u32::from_str_radix(hex, 16).ok()?
                    } else {
                        name.strip_prefix('#')?.parse::<u32>().ok()?
                    };
                    char::from_u32(n).filter(|c| *c != '\0')?
                }
            };
            Some((c, end))
        });
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &after[end + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tidy_decodes_escaped_html_and_normalises_lines() {
        assert_eq!(
            tidy_text(
                "Call us.&lt;br&gt;&lt;br&gt;Open 9&amp;ndash;5.&lt;br /&gt;\r\n\r\n\r\n<b>Thanks</b>\n"
            ),
            "Call us.\n\nOpen 9–5.\n\nThanks"
        );
        assert_eq!(
            tidy_text("It&#39;s &quot;here&quot;&#x2019;"),
            "It's \"here\"’"
        );
        assert_eq!(
            tidy_text("5 < 6 and 7 > 3 &unknown; & co"),
            "5 < 6 and 7 > 3 &unknown; & co"
        );
        assert_eq!(tidy_text("a\t\tb   c  \n  \n\n d"), "a b c\n\nd");
        assert_eq!(tidy_text("<p>One</p><p>Two</p>"), "One\n\nTwo");
        assert_eq!(
            tidy_text("\u{202E}evil\u{2067}ok\u{2069}"),
            "evil\u{2067}ok\u{2069}"
        );
        assert_eq!(tidy_line("Cans left\r\nout"), "Cans left out");
        // Idempotent on what it produced, however deep the escaping.
        for raw in [
            "x&lt;br&gt;y &amp;amp; z",
            "&amp;amp;lt;b&amp;amp;gt;",
            "&amp;amp;amp;amp;amp;lt;i&amp;amp;amp;amp;amp;gt;deep",
            "a <b >c< d",
        ] {
            let once = tidy_text(raw);
            assert_eq!(tidy_text(&once), once, "{raw:?}");
        }
    }

    #[test]
    fn names_lose_underscores_and_keywords_cut_off_are_kept_or_dropped() {
        let s = service_from_value(
            &serde_json::json!({
                "service_code": "001", "service_name": "Cans_Left_Out_24x7",
                "group": "Street_Cleaning", "keywords": format!("bins, cans, {}", "x".repeat(250)),
            }),
            "s",
        )
        .unwrap();
        assert_eq!(s.service_name, "Cans Left Out 24x7");
        assert_eq!(s.group.as_deref(), Some("Street Cleaning"));
        assert_eq!(s.keywords, ["bins", "cans"]);
        assert_eq!(s.service_code, "001", "zero padding kept");
    }

    #[test]
    fn informational_and_notes_without_values_are_information_pages() {
        let d = definition_from_value(
            &serde_json::json!({"service_code": "A", "attributes": [
                {"code": "N", "datatype": "informational", "variable": false, "description": "Bags &lt;br&gt;max 50 lbs", "required": true},
                {"code": "M", "variable": false, "description": "Note", "values": ""},
                {"code": "Y", "datatype": "singlevaluelist", "required": true, "description": "Safe?",
                 "values": [{"key": true, "name": "Yes"}, {"key": "FALSE", "name": "No"}]},
            ]}),
            "$",
        )
        .unwrap()
        .definition;
        let n = d.attribute("N").unwrap();
        assert!(!n.variable && !n.required);
        assert_eq!(n.description, "Bags\nmax 50 lbs");
        assert!(!d.attribute("M").unwrap().variable);
        let keys: Vec<_> = d
            .attribute("Y")
            .unwrap()
            .values
            .iter()
            .map(|v| v.key.as_str())
            .collect();
        assert_eq!(keys, ["true", "FALSE"]);
    }

    #[test]
    fn an_optional_question_that_cannot_be_asked_is_skipped_a_required_one_costs_the_service() {
        let doc = |required: bool| {
            serde_json::json!({"service_code": "A", "attributes": [
                {"code": "OK", "datatype": "string", "description": "Where?"},
                {"code": "X", "datatype": "boolean", "required": required, "description": "?"},
            ]})
        };
        let p = definition_from_value(&doc(false), "$").unwrap();
        assert_eq!(p.definition.attributes.len(), 1);
        assert_eq!(p.skipped[0].0, "X");
        assert!(p.skipped[0].1.contains("\"boolean\""), "{:?}", p.skipped);
        let e = definition_from_value(&doc(true), "$").unwrap_err();
        assert!(e.to_string().contains("attributes[1].datatype"), "{e}");
    }

    #[test]
    fn dependencies_keep_their_published_meaning_or_are_ignored() {
        let d = definition_from_value(
            &serde_json::json!({"service_code": "A", "attributes": [
                {"code": "KIND", "datatype": "singlevaluelist", "order": 1, "description": "Kind",
                 "values": [{"key": "Trash", "name": "Trash"}, {"key": "Other", "name": "Other"}]},
                {"code": "WHAT", "datatype": "string", "order": 2, "description": "Which?",
                 "dependencies": {"clause": "OR", "conditions": [{"attribute": "KIND", "op": "eq", "value": "Other"}]}},
                {"code": "LATER", "datatype": "string", "order": 3, "description": "?",
                 "dependencies": {"clause": "OR", "conditions": [{"attribute": "LAST", "op": "eq", "value": "x"}]}},
                {"code": "ODD", "datatype": "string", "order": 4, "description": "?",
                 "dependencies": {"clause": "XOR", "conditions": [{"attribute": "KIND", "op": "eq", "value": "x"}]}},
                {"code": "LAST", "datatype": "string", "order": 5, "description": "?"},
            ]}),
            "$",
        )
        .unwrap()
        .definition;
        let what = d.attribute("WHAT").unwrap().dependencies.clone().unwrap();
        assert_eq!(what.clause, Clause::Or);
        assert_eq!(what.conditions[0].attribute, "KIND");
        assert!(
            d.attribute("LATER").unwrap().dependencies.is_none(),
            "a later question"
        );
        assert!(
            d.attribute("ODD").unwrap().dependencies.is_none(),
            "unknown clause"
        );
    }
}
