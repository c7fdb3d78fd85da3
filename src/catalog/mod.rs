//! The council's catalogue of services (Open311 GeoReport v2 services + service definitions):
//! the model, the forgiving-but-bounded parser, and the embedded demo catalogue.

mod dir;
mod model;
mod parse;
mod wording;

pub use dir::import_catalog_dir;
pub use model::*;
pub use parse::{
    CatalogError, Failure, Imported, ParsedDefinition, ServiceList, assemble,
    import_catalog_document, limits, parse_catalog_document, parse_definition,
    parse_service_definition, parse_service_list, parse_services, tidy_line, tidy_text,
};
pub use wording::{NumberRule, asks_for_time, format_number, is_urgent};

/// The locale key under which the central system's own (untranslated) catalogue is kept: the
/// flow falls back to it for any language without a translated copy.
pub const CATALOG_DEFAULT_LOCALE: &str = "";

/// Imports a catalogue file (`{"services", "definitions"}` or a bare `services.json` list) or a
/// folder holding `services.json` and `services/{code}.json`, as `catalog import` and
/// `screenshot --catalog` take them.
pub fn import_catalog_path(path: &std::path::Path) -> Result<Imported, String> {
    if path.is_dir() {
        return import_catalog_dir(path).map_err(|e| e.to_string());
    }
    let bytes = crate::fsutil::read_bounded(path, limits::MAX_DOCUMENT_BYTES as u64)
        .map_err(|e| e.to_string())?;
    import_catalog_document(&bytes).map_err(|e| e.to_string())
}

/// The demo catalogue, one document per UI language (same codes, translated texts).
const DEMO_CATALOGS: &[(&str, &str)] = &[
    ("en", include_str!("../demo/catalog/en.json")),
    ("fr", include_str!("../demo/catalog/fr.json")),
    ("es", include_str!("../demo/catalog/es.json")),
    ("ar", include_str!("../demo/catalog/ar.json")),
    ("uk", include_str!("../demo/catalog/uk.json")),
    ("pl", include_str!("../demo/catalog/pl.json")),
];

/// The embedded demo catalogue for every language it is translated into.
pub fn demo_catalogs() -> Vec<(String, Catalog)> {
    DEMO_CATALOGS
        .iter()
        .map(|(lang, text)| {
            // Embedded and covered by tests: a parse failure here is a build defect.
            let catalog = parse_catalog_document(text.as_bytes())
                .unwrap_or_else(|e| panic!("embedded demo catalogue {lang} is invalid: {e}"));
            (lang.to_string(), catalog)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_catalogue_covers_every_datatype_and_four_groups_in_every_language() {
        let all = demo_catalogs();
        assert_eq!(all.len(), crate::i18n::SUPPORTED_LOCALES.len());
        let (_, en) = &all[0];
        assert!(en.services.len() >= 8);
        assert!(en.groups().len() >= 4);
        let datatypes: std::collections::BTreeSet<_> = en
            .definitions
            .values()
            .flat_map(|d| d.attributes.iter().map(|a| a.datatype.as_str()))
            .collect();
        assert_eq!(datatypes.len(), 6, "{datatypes:?}");
        assert!(
            en.definitions
                .values()
                .any(|d| d.attributes.iter().any(|a| !a.variable))
        );
        for (lang, cat) in &all {
            let codes = |c: &Catalog| {
                c.services
                    .iter()
                    .map(|s| s.service_code.clone())
                    .collect::<Vec<_>>()
            };
            assert_eq!(codes(cat), codes(en), "{lang}");
            assert_eq!(cat.groups().len(), en.groups().len(), "{lang}");
            for (code, def) in &cat.definitions {
                let en_def = &en.definitions[code];
                let shape = |d: &ServiceDefinition| {
                    d.attributes
                        .iter()
                        .map(|a| {
                            (
                                a.code.clone(),
                                a.datatype,
                                a.required,
                                a.values.iter().map(|v| v.key.clone()).collect::<Vec<_>>(),
                            )
                        })
                        .collect::<Vec<_>>()
                };
                assert_eq!(shape(def), shape(en_def), "{lang} {code}");
            }
            if *lang != "en" {
                assert_ne!(cat.services[0].service_name, en.services[0].service_name);
            }
        }
    }
}
