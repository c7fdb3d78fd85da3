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
}

impl Attribute {
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
}

/// A whole catalogue: services and their definitions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Catalog {
    /// Services in the server's order.
    pub services: Vec<Service>,
    /// Definitions by service code (only for services with `metadata: true`).
    pub definitions: BTreeMap<String, ServiceDefinition>,
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
