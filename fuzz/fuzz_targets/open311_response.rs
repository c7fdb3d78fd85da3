//! Every parser of an Open311 server's answers (`sync::wire`).
#![no_main]

use guichet::sync::wire;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Some(receipt) = wire::parse_post_answer(data) {
        // Ids and tokens are bounded whatever the server sends.
        assert!(receipt.remote_id.as_deref().map_or(0, str::len) <= 128);
        assert!(receipt.token.as_deref().map_or(0, str::len) <= 128);
    }
    let _ = wire::parse_errors(data);
    let _ = wire::parse_requests(data);
    let _ = wire::parse_token_answer(data);
    let _ = wire::parse_updates(data);
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = wire::clean_text(text, 500);
        let _ = wire::path_segment(text);
        let _ = wire::description_has_reference(text, "LIB2-00001-A", "0a1b2c3d");
        // The marker is read only at the start, bounded, whatever the description holds.
        if let Some(marker) = wire::kiosk_marker(text) {
            assert!(marker.reference.len() <= 32);
            assert!(marker.check.as_deref().map_or(0, str::len) <= 8);
        }
        assert!(wire::mentioned_references(text).len() <= 8);
    }
});
