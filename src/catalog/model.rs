//! The catalogue as the rest of Guichet sees it: validated, bounded, tidy Open311 services and
//! service definitions. Parsing the sloppy wire format into these types is `parse.rs`'s job.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The six Open311 attribute datatypes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Datatype {
    /// One line of text.
    String,
    /// A number.
    Number,
    /// A date and time.
    Datetime,
    /// Several lines of text.
    Text,
    /// One key from `values`.
    Singlevaluelist,
    /// Any number of keys from `values`.
    Multivaluelist,
}

impl Datatype {
    /// The Open311 spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Datatype::String => "string",
            Datatype::Number => "number",
            Datatype::Datetime => "datetime",
            Datatype::Text => "text",
            Datatype::Singlevaluelist => "singlevaluelist",
            Datatype::Multivaluelist => "multivaluelist",
        }
    }

    /// Parses the Open311 spelling (case-insensitive, as some servers capitalise).
    pub fn from_open311(s: &str) -> Option<Datatype> {
        Some(match s.trim().to_ascii_lowercase().as_str() {
            "string" => Datatype::String,
            "number" => Datatype::Number,
            "datetime" => Datatype::Datetime,
            "text" => Datatype::Text,
            "singlevaluelist" => Datatype::Singlevaluelist,
            "multivaluelist" => Datatype::Multivaluelist,
            _ => return None,
        })
    }

    /// Whether answers are keys from a list of values.
    pub fn is_list(self) -> bool {
        matches!(self, Datatype::Singlevaluelist | Datatype::Multivaluelist)
    }
}

/// How the central system handles requests for a service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum ServiceType {
    /// Answers with a request id at once.
    #[default]
    Realtime,
    /// Answers with a token, the id comes later.
    Batch,
    /// No id ever comes back.
    Blackbox,
}

/// One service of the catalogue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Service {
    /// `service_code`, always a string here even when the server sent a number.
    pub service_code: String,
    /// `service_name`.
    pub service_name: String,
    /// `description`; empty when the server sent null.
    pub description: String,
    /// Whether a service definition (attributes) exists.
    pub metadata: bool,
    /// `type`.
    #[serde(rename = "type")]
    pub service_type: ServiceType,
    /// `keywords`, split.
    pub keywords: Vec<String>,
    /// `group`; `None` when absent.
    pub group: Option<String>,
}

/// One value of a list attribute.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttributeValue {
    /// What is sent.
    pub key: String,
    /// What is shown.
    pub name: String,
}

/// One question (or, with `variable: false`, one piece of information) of a service definition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Attribute {
    /// `false`: information shown to the resident, never asked.
    pub variable: bool,
    /// `code`, the key under which the answer is sent.
    pub code: String,
    /// `datatype`.
    pub datatype: Datatype,
    /// `required`.
    pub required: bool,
    /// `datatype_description`: a hint such as "in metres".
    pub datatype_description: String,
    /// `order` (1 first).
    pub order: i64,
    /// `description`: the question itself.
    pub description: String,
    /// `values` for list datatypes.
    pub values: Vec<AttributeValue>,
    /// When to ask it (`dependencies`); always when `None`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dependencies: Option<Dependencies>,
}

/// Attribute `dependencies`, with the meaning Boston's Open311 server and its own client give
/// them (the only published meaning found): the attribute is shown only when its conditions on
/// earlier answers hold, all of them (`AND`) or any (`OR`). Serialised in that same shape, so a
/// cached or exported catalogue imports again.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dependencies {
    /// How conditions combine.
    pub clause: Clause,
    /// The conditions (at least one).
    pub conditions: Vec<Condition>,
}

/// `AND` or `OR`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Clause {
    /// Every condition holds.
    #[serde(rename = "AND")]
    And,
    /// At least one holds.
    #[serde(rename = "OR")]
    Or,
}

/// One condition on an earlier answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Condition {
    /// The earlier attribute's code.
    pub attribute: String,
    /// The comparison.
    pub op: Op,
    /// What the answer is compared with.
    pub value: ConditionValue,
}

/// A comparison of [`Condition`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Op {
    /// The answer is the value (a multivaluelist answer: contains it; a list value: the same set).
    Eq,
    /// Not `Eq` (also when unanswered).
    Neq,
    /// The answer is one of the values (a multivaluelist answer: any of them).
    In,
    /// The answer is a number greater than the value.
    Gt,
    /// … greater or equal.
    Gte,
    /// … less.
    Lt,
    /// … less or equal.
    Lte,
}

/// The right-hand side of a [`Condition`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ConditionValue {
    /// A number.
    Number(f64),
    /// One key or text.
    One(String),
    /// Several keys.
    Many(Vec<String>),
}

impl Dependencies {
    /// Whether the attribute is shown, given the answers so far (`answer(code)`: the keys or text
    /// answered to an earlier question; empty when unanswered or not shown).
    pub fn holds(&self, answer: &dyn Fn(&str) -> Vec<String>) -> bool {
        let mut results = self
            .conditions
            .iter()
            .map(|c| c.holds(&answer(&c.attribute)));
        match self.clause {
            Clause::And => results.all(|r| r),
            Clause::Or => results.any(|r| r),
        }
    }
}

impl Condition {
    fn holds(&self, answer: &[String]) -> bool {
        let number = |s: &str| s.trim().replace(',', ".").parse::<f64>().ok();
        let compare = |f: fn(f64, f64) -> bool| {
            let target = match &self.value {
                ConditionValue::Number(n) => Some(*n),
                ConditionValue::One(s) => number(s),
                ConditionValue::Many(_) => None,
            };
            match (answer.first().and_then(|a| number(a)), target) {
                (Some(a), Some(t)) if answer.len() == 1 => f(a, t),
                _ => false,
            }
        };
        let eq = || match &self.value {
            ConditionValue::One(v) => answer.iter().any(|a| a == v),
            ConditionValue::Number(n) => answer.iter().any(|a| number(a) == Some(*n)),
            ConditionValue::Many(vs) => {
                !answer.is_empty()
                    && answer.len() == vs.len()
                    && vs.iter().all(|v| answer.contains(v))
            }
        };
        match self.op {
            Op::Eq => eq(),
            Op::Neq => !eq(),
            Op::In => match &self.value {
                ConditionValue::Many(vs) => answer.iter().any(|a| vs.contains(a)),
                _ => eq(),
            },
            Op::Gt => compare(|a, t| a > t),
            Op::Gte => compare(|a, t| a >= t),
            Op::Lt => compare(|a, t| a < t),
            Op::Lte => compare(|a, t| a <= t),
        }
    }
}

impl Attribute {
    /// What a `number` question accepts, read from its words (see `wording.rs`).
    pub fn number_rule(&self) -> super::NumberRule {
        super::NumberRule::from_text(&self.description, &self.datatype_description)
    }

    /// Whether a `datetime` question asks for a time of day too (see `wording.rs`).
    pub fn asks_for_time(&self) -> bool {
        super::asks_for_time(&self.description, &self.datatype_description)
    }

    /// The value with this key, if any.
    pub fn value(&self, key: &str) -> Option<&AttributeValue> {
        self.values.iter().find(|v| v.key == key)
    }
}

/// A service definition: the attributes of one service, sorted by `order`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ServiceDefinition {
    /// `service_code`.
    pub service_code: String,
    /// Attributes sorted by `order` (stable for equal orders).
    pub attributes: Vec<Attribute>,
}

impl ServiceDefinition {
    /// The attribute with this code, if any.
    pub fn attribute(&self, code: &str) -> Option<&Attribute> {
        self.attributes.iter().find(|a| a.code == code)
    }

    /// The attributes a resident answers (those with `variable: true`), in order.
    pub fn questions(&self) -> impl Iterator<Item = &Attribute> {
        self.attributes.iter().filter(|a| a.variable)
    }

    /// The codes of the attributes (questions and information) shown for these answers, in
    /// order: those without `dependencies`, and those whose conditions hold on the answers to
    /// questions that are themselves shown (conditions only look at earlier questions).
    pub fn shown(&self, answer: &dyn Fn(&str) -> Vec<String>) -> Vec<&str> {
        let mut shown: Vec<&str> = Vec::with_capacity(self.attributes.len());
        for a in &self.attributes {
            let visible = match &a.dependencies {
                None => true,
                Some(d) => d.holds(&|code: &str| {
                    if shown.contains(&code) {
                        answer(code)
                    } else {
                        Vec::new()
                    }
                }),
            };
            if visible {
                shown.push(&a.code);
            }
        }
        shown
    }
}

/// A service (or one optional question of it) the kiosk cannot serve, and why: what `catalog
/// import`, `refresh`, `show` and `doctor` name after "left out:".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeftOut {
    /// The service's code (or its place in the list when it had none).
    pub service_code: String,
    /// Its name, when it had one.
    pub service_name: String,
    /// `Some(code)` when only this optional question was left out and the service is served.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attribute: Option<String>,
    /// Why, in one line.
    pub reason: String,
}

/// A whole catalogue: services and their definitions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Catalog {
    /// Services in the server's order.
    pub services: Vec<Service>,
    /// Definitions by service code (only for services with `metadata: true`).
    pub definitions: BTreeMap<String, ServiceDefinition>,
    /// What the source offered but cannot be served, with reasons.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub left_out: Vec<LeftOut>,
}

impl Catalog {
    /// The service with this code, if any.
    pub fn service(&self, code: &str) -> Option<&Service> {
        self.services.iter().find(|s| s.service_code == code)
    }

    /// The definition for a service; an empty one for services without metadata.
    pub fn definition(&self, code: &str) -> Option<&ServiceDefinition> {
        self.definitions.get(code)
    }

    /// Group names in first-seen order; services without a group fall under `None`, listed last.
    pub fn groups(&self) -> Vec<Option<String>> {
        let mut groups: Vec<Option<String>> = Vec::new();
        for s in &self.services {
            if s.group.is_some() && !groups.contains(&s.group) {
                groups.push(s.group.clone());
            }
        }
        if self.services.iter().any(|s| s.group.is_none()) {
            groups.push(None);
        }
        groups
    }

    /// How many services the source offered: those served and those left out.
    pub fn offered(&self) -> usize {
        self.services.len()
            + self
                .left_out
                .iter()
                .filter(|l| l.attribute.is_none())
                .count()
    }

    /// "104 of 118 services; left out: CODE “name” (reason), …": one line for technicians, as
    /// `catalog import`, `refresh`, `show` and `doctor` print it after "imported".
    pub fn summary(&self) -> String {
        format!(
            "{} of {} services{}",
            self.services.len(),
            self.offered(),
            self.left_out_text()
        )
    }

    /// "; left out: CODE “name” (reason), …", or nothing when everything is served.
    pub fn left_out_text(&self) -> String {
        if self.left_out.is_empty() {
            return String::new();
        }
        let items: Vec<String> = self
            .left_out
            .iter()
            .map(|l| {
                let what = match &l.attribute {
                    Some(a) => format!("{} question {a}", l.service_code),
                    None if l.service_name.is_empty() => l.service_code.clone(),
                    None => format!("{} \u{201c}{}\u{201d}", l.service_code, l.service_name),
                };
                format!("{what} ({})", l.reason)
            })
            .collect();
        format!("; left out: {}", items.join(", "))
    }

    /// Services in one group, in catalogue order.
    pub fn services_in_group<'a>(
        &'a self,
        group: Option<&'a str>,
    ) -> impl Iterator<Item = &'a Service> + 'a {
        self.services
            .iter()
            .filter(move |s| s.group.as_deref() == group)
    }
}
