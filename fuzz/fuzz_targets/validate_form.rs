//! The form validator with arbitrary input against the demo catalogue: any bytes become a
//! `FormInput` (service, locale, answers, free text, coordinates, contact).
#![no_main]

use std::sync::OnceLock;

use guichet::catalog::Catalog;
use guichet::validate::{Answer, FormInput, validate_form};
use libfuzzer_sys::fuzz_target;

fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| {
        guichet::catalog::demo_catalogs()
            .into_iter()
            .next()
            .map(|(_, c)| c)
            .expect("demo catalogue")
    })
}

/// Splits the input into NUL-separated fields, so the fuzzer can steer each one.
fn input(data: &[u8]) -> FormInput {
    let text = String::from_utf8_lossy(data);
    let mut fields = text.split('\0');
    let mut next = || fields.next().unwrap_or("").to_string();
    let services: Vec<&str> = catalog()
        .services
        .iter()
        .map(|s| s.service_code.as_str())
        .collect();
    let pick = next();
    let service_code = pick
        .bytes()
        .next()
        .map(|b| services[b as usize % services.len()].to_string())
        .unwrap_or(pick);
    let mut form = FormInput {
        service_code,
        locale: next(),
        description: next(),
        address: next(),
        lat: next(),
        long: next(),
        ..FormInput::default()
    };
    form.contact.first_name = next();
    form.contact.last_name = next();
    form.contact.email = next();
    form.contact.phone = next();
    // The rest: attribute answers as CODE=VALUE, a value with '|' being a multiple choice.
    for rest in fields {
        let (code, value) = rest.split_once('=').unwrap_or((rest, ""));
        let answer = if value.contains('|') {
            Answer::Many(value.split('|').map(str::to_string).collect())
        } else {
            Answer::One(value.to_string())
        };
        form.answers.insert(code.to_string(), answer);
    }
    form
}

fuzz_target!(|data: &[u8]| {
    let form = input(data);
    let locales = ["en".to_string(), "fr".to_string(), "ar".to_string()];
    let offset =
        time::UtcOffset::from_hms(data.len() as i8 % 13, 0, 0).unwrap_or(time::UtcOffset::UTC);
    if let Ok(valid) = validate_form(catalog(), &form, &locales, offset) {
        // What is accepted fits the Open311 description limit once the reference is added.
        assert!(valid.description.chars().count() <= guichet::validate::DESCRIPTION_MAX);
        assert!(valid.location.address.chars().count() <= guichet::validate::ADDRESS_MAX);
        // And its Debug never shows the resident's words.
        let shown = format!("{valid:?}");
        if valid.contact.email.len() > 3 {
            assert!(!shown.contains(&valid.contact.email));
        }
    }
});
