//! The configuration loader: any text as a `kiosk.toml`.
#![no_main]

use guichet::config::{Config, ConfigSource};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let source = ConfigSource::File("fuzz.toml".into());
    if let Ok(config) = Config::parse(text, &source) {
        // An accepted configuration is one the kiosk can write back and read again.
        let again = toml::to_string(&config).expect("a parsed config serialises");
        let reparsed = Config::parse(&again, &source);
        assert!(reparsed.is_ok(), "{again}\n{:?}", reparsed.err());
        let _ = config.data_dir(None, &source);
    }
});
