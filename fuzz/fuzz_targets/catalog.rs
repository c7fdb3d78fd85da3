//! The catalogue parser: a whole catalogue document, a `services.json` answer and a service
//! definition, as the central system (or a file on a USB stick) might send them.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(catalog) = guichet::catalog::parse_catalog_document(data) {
        // What was accepted is within the documented limits and survives a round trip.
        let again = serde_json::to_vec(&catalog).expect("a parsed catalogue serialises");
        let reparsed = guichet::catalog::parse_catalog_document(&again);
        assert!(
            reparsed.is_ok(),
            "a parsed catalogue parses again: {reparsed:?}"
        );
    }
    let _ = guichet::catalog::parse_services(data);
    let _ = guichet::catalog::parse_service_definition(data);
});
