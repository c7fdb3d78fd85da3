//! A catalogue kept as a council's server serves it: a folder with `services.json` and one
//! `services/{code}.json` per service with `metadata: true` (what a capture of a GeoReport v2
//! server looks like). Read exactly as sync reads the server: a definition that is missing or
//! refused leaves only its service out.

use std::collections::BTreeMap;
use std::path::Path;

use super::parse::{
    CatalogError, Failure, Imported, assemble, limits::MAX_DOCUMENT_BYTES, parse_definition,
    parse_service_list,
};

fn read(path: &Path) -> Result<Vec<u8>, String> {
    crate::fsutil::read_bounded(path, MAX_DOCUMENT_BYTES as u64).map_err(|e| e.to_string())
}

/// Imports `dir/services.json` and `dir/services/{code}.json`.
pub fn import_catalog_dir(dir: &Path) -> Result<Imported, CatalogError> {
    let list_path = dir.join("services.json");
    let bytes = read(&list_path).map_err(|e| CatalogError::Malformed {
        at: list_path.display().to_string(),
        problem: e,
    })?;
    let list = parse_service_list(&bytes)?;
    let mut definitions = BTreeMap::new();
    let mut failures = BTreeMap::new();
    for service in list.services.iter().filter(|s| s.metadata) {
        let code = &service.service_code;
        // Codes are the server's: only plain file names are looked up.
        let plain = !code.contains(['/', '\\']) && code != "." && code != "..";
        let path = dir.join("services").join(format!("{code}.json"));
        let outcome = if !plain {
            Err(format!("{code:?} cannot be a file name"))
        } else if !path.is_file() {
            Err(format!("services/{code}.json is missing"))
        } else {
            read(&path).and_then(|b| parse_definition(&b).map_err(|e| e.to_string()))
        };
        match outcome {
            Ok(p) if p.definition.service_code == *code => {
                definitions.insert(code.clone(), p);
            }
            Ok(p) => {
                let reason = format!(
                    "services/{code}.json is for {:?}",
                    p.definition.service_code
                );
                failures.insert(code.clone(), failure(code, reason));
            }
            Err(reason) => {
                failures.insert(code.clone(), failure(code, reason));
            }
        }
    }
    assemble(list, definitions, failures)
}

fn failure(code: &str, reason: String) -> Failure {
    Failure {
        error: CatalogError::Malformed {
            at: format!("services/{code}.json"),
            problem: reason.clone(),
        },
        reason,
    }
}
