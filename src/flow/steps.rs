//! The questions of a service, in order: its attributes (information ones included, shown as
//! an information page), then more details, where, and optional contact details.

use std::collections::BTreeMap;

use crate::catalog::{Catalog, Datatype};
use crate::validate::{self, Answer, Field};

/// One screen of questions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// A catalogue attribute (a question, or information when `variable: false`).
    Attribute(String),
    /// Optional free description.
    Description,
    /// Where the problem is.
    Address,
    /// "Would you like the council to contact you?"
    ContactChoice,
    /// First name.
    FirstName,
    /// Last name.
    LastName,
    /// E-mail.
    Email,
    /// Phone.
    Phone,
}

/// The steps for a service. An attribute with `dependencies` is a step only while its condition
/// holds on the answers so far (conditions look at earlier questions only, so the steps before
/// the current one never change under the resident).
pub fn steps_for(
    catalog: &Catalog,
    service: Option<&str>,
    wants_contact: Option<bool>,
    answers: &BTreeMap<String, Answer>,
) -> Vec<Step> {
    let Some(code) = service else {
        return Vec::new();
    };
    let mut steps: Vec<Step> = catalog
        .definition(code)
        .map(|d| {
            validate::shown_attributes(d, answers)
                .into_iter()
                .map(|c| Step::Attribute(c.to_string()))
                .collect()
        })
        .unwrap_or_default();
    steps.extend([Step::Description, Step::Address, Step::ContactChoice]);
    if wants_contact == Some(true) {
        steps.extend([Step::FirstName, Step::LastName, Step::Email, Step::Phone]);
    }
    steps
}

/// The validator fields a step answers.
pub fn fields_of(step: &Step) -> Vec<Field> {
    match step {
        Step::Attribute(code) => vec![Field::Attribute(code.clone())],
        Step::Description => vec![Field::Description],
        Step::Address => vec![Field::Address, Field::Location, Field::Lat, Field::Long],
        Step::ContactChoice => vec![Field::ContactChoice],
        Step::FirstName => vec![Field::FirstName],
        Step::LastName => vec![Field::LastName],
        Step::Email => vec![Field::Email],
        Step::Phone => vec![Field::Phone],
    }
}

/// The most characters the keyboard lets a resident type on a step.
pub fn max_chars(step: &Step, datatype: Option<Datatype>) -> usize {
    match step {
        Step::Attribute(_) => match datatype {
            Some(Datatype::Text) => validate::TEXT_MAX,
            Some(Datatype::Number) => 20,
            _ => validate::STRING_MAX,
        },
        Step::Description => validate::DESCRIPTION_MAX,
        Step::Address => validate::ADDRESS_MAX,
        Step::FirstName | Step::LastName => validate::NAME_MAX,
        Step::Email => validate::EMAIL_MAX,
        Step::Phone => validate::PHONE_MAX,
        Step::ContactChoice => 0,
    }
}
