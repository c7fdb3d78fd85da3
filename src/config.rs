//! The kiosk's configuration: the TOML file of `INTERFACE.md`.
//!
//! Loading order: `--config PATH`, then `$GUICHET_CONFIG`, then `/etc/guichet/kiosk.toml`, then the
//! embedded demo configuration. Unknown keys and bad values are refused with the key's name and
//! what is allowed, because a technician reading the error on a kiosk's console has nothing else.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::i18n::SUPPORTED_LOCALES;

/// The configuration a kiosk runs with when nothing else is given.
pub const DEMO_CONFIG: &str = include_str!("demo/kiosk.toml");

/// The system-wide location looked at when neither `--config` nor `$GUICHET_CONFIG` is set.
pub const SYSTEM_CONFIG_PATH: &str = "/etc/guichet/kiosk.toml";

/// Serial speeds a receipt printer may be set to.
pub const ALLOWED_BAUD_RATES: &[u32] = &[2400, 4800, 9600, 19200, 38400, 57600, 115200];

/// Bounds for `ui.speech_mixer_db`: what sound cards' playback controls span (0 dB: unity).
pub const SPEECH_MIXER_DB_RANGE: std::ops::RangeInclusive<f32> = -60.0..=12.0;

/// An ALSA simple mixer control as `amixer sset` takes it: a name ("Master", "PCM",
/// "Headphone+LO") and an optional index after a comma ("Master,0"). Never read as an option,
/// nothing but the control: no leading `-`, no spaces at either end (amixer would look for
/// another name), digits only after the comma.
fn valid_mixer_control(control: &str) -> bool {
    let (name, index) = match control.rsplit_once(',') {
        Some((name, index)) => (name, Some(index)),
        None => (control, None),
    };
    control.len() <= 64
        && !name.is_empty()
        && name.trim() == name
        && !name.starts_with('-')
        && name.chars().all(|c| {
            c.is_ascii_alphanumeric() || matches!(c, ' ' | '.' | '_' | '-' | '+' | '/' | '(' | ')')
        })
        && index.is_none_or(|i| (1..=3).contains(&i.len()) && i.chars().all(|c| c.is_ascii_digit()))
}

/// Bounds for `ui.screen_width_mm`: a 5" panel to a large wall screen.
pub const SCREEN_WIDTH_MM_RANGE: std::ops::RangeInclusive<f32> = 80.0..=2000.0;

/// Bounds for `ui.blank_after_s` (0, never, aside): under a minute would blank the screen while
/// someone walks up; over a day is never.
pub const BLANK_AFTER_RANGE: std::ops::RangeInclusive<u32> = 60..=86_400;
/// Bounds for `ui.idle_timeout_s`: shorter hurries a slow reader; longer leaves data on screen.
pub const IDLE_TIMEOUT_RANGE: std::ops::RangeInclusive<u32> = 30..=1800;

/// The longest `privacy.notice` (the council's own privacy notice, shown on one screen).
const PRIVACY_NOTICE_MAX: usize = 1000;

/// Bounds for `privacy.retention_days`.
pub const RETENTION_DAYS_RANGE: std::ops::RangeInclusive<u32> = 0..=90;

/// Longest `privacy.key_file` path accepted.
pub const KEY_FILE_PATH_MAX: usize = 1024;

/// Largest configuration file accepted (a real one is well under 2 KB).
const MAX_CONFIG_BYTES: u64 = 64 * 1024;

/// The whole configuration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// This kiosk's identity and storage.
    pub device: DeviceConfig,
    /// The council's central system.
    #[serde(default)]
    pub central: CentralConfig,
    /// The receipt printer.
    #[serde(default)]
    pub printer: PrinterConfig,
    /// The resident-facing interface.
    #[serde(default)]
    pub ui: UiConfig,
    /// What is kept, and for how long (extension of INTERFACE.md).
    #[serde(default)]
    pub privacy: PrivacyConfig,
    /// Fleet monitoring: the node_exporter textfile and the heartbeat (extension).
    #[serde(default)]
    pub fleet: FleetConfig,
    /// Where "Ask for help" is announced to staff (extension).
    #[serde(default, skip_serializing_if = "HelpConfig::is_empty")]
    pub help: HelpConfig,
}

/// `[device]`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeviceConfig {
    /// 2–6 of A–Z 0–9; the prefix of every reference this kiosk issues.
    pub code: String,
    /// Human name of the site, printed on receipts.
    #[serde(default)]
    pub site: String,
    /// Where the database and print files live. `None` means the default for this config.
    #[serde(default)]
    pub data_dir: Option<PathBuf>,
    /// The council's name, shown on the confirmation screen and receipts (extension).
    #[serde(default)]
    pub council: String,
    /// How residents reach the council about a request, e.g. a phone number (extension).
    #[serde(default)]
    pub help_contact: String,
    /// When the help line answers, e.g. "Monday to Friday, 9:00 to 17:00", printed on receipts
    /// (extension).
    #[serde(default)]
    pub help_hours: String,
    /// The council's timescale: working days within which it aims to deal with a request,
    /// printed on receipts (extension, 1–365).
    #[serde(default)]
    pub response_days: Option<u32>,
    /// The council, site and help-hours texts in other languages, by UI language code, where the
    /// council has them: `[device.by_language.ar] council = "…"` (extension). A language or key
    /// left out falls back to the value above.
    #[serde(default)]
    pub by_language: std::collections::BTreeMap<String, DeviceTexts>,
}

/// `[device.by_language.LANG]`: the device's resident-facing texts in one language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct DeviceTexts {
    /// `device.council` in this language.
    #[serde(default)]
    pub council: Option<String>,
    /// `device.site` in this language.
    #[serde(default)]
    pub site: Option<String>,
    /// `device.help_hours` in this language.
    #[serde(default)]
    pub help_hours: Option<String>,
}

impl DeviceConfig {
    fn in_language<'a>(
        &'a self,
        locale: &str,
        pick: impl Fn(&'a DeviceTexts) -> Option<&'a String>,
        fallback: &'a str,
    ) -> &'a str {
        self.by_language
            .get(locale)
            .and_then(pick)
            .map_or(fallback, String::as_str)
    }

    /// The council's name as a resident of `locale` reads it.
    pub fn council_in(&self, locale: &str) -> &str {
        self.in_language(locale, |t| t.council.as_ref(), &self.council)
    }

    /// The site's name as a resident of `locale` reads it.
    pub fn site_in(&self, locale: &str) -> &str {
        self.in_language(locale, |t| t.site.as_ref(), &self.site)
    }

    /// The help line's hours as a resident of `locale` reads them.
    pub fn help_hours_in(&self, locale: &str) -> &str {
        self.in_language(locale, |t| t.help_hours.as_ref(), &self.help_hours)
    }
}

/// Bounds for `device.response_days`.
pub const RESPONSE_DAYS_RANGE: std::ops::RangeInclusive<u32> = 1..=365;

/// Which kind of central system the kiosk talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum CentralKind {
    /// Open311 GeoReport v2.
    Open311,
    /// Offline only: submissions stay queued for export.
    #[default]
    None,
}

/// `[central]`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct CentralConfig {
    /// `open311` or `none`.
    #[serde(default)]
    pub kind: CentralKind,
    /// Base URL of the GeoReport v2 endpoint, ending in `/`.
    #[serde(default)]
    pub url: Option<String>,
    /// File holding the API key (never the key itself, so the config can be shown safely).
    #[serde(default)]
    pub api_key_file: Option<PathBuf>,
    /// Only where one server serves several jurisdictions.
    #[serde(default)]
    pub jurisdiction_id: Option<String>,
    /// Plain `http://` is refused unless this is true (tests against a local server only).
    #[serde(default)]
    pub allow_insecure_http: bool,
    /// Extra PEM CA certificate trusted beside the system roots (extension).
    #[serde(default)]
    pub extra_ca_file: Option<PathBuf>,
    /// Seconds between background sync rounds (extension; default 60).
    #[serde(default)]
    pub sync_interval_s: Option<u32>,
    /// Where a resident can follow a request online, with `{reference}` in it (extension). When
    /// set, the receipt's QR code carries this URL instead of the bare reference.
    #[serde(default)]
    pub status_url: Option<String>,
}

/// Serial flow control between kiosk and printer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum FlowControl {
    /// No handshake.
    #[default]
    None,
    /// XON/XOFF.
    Software,
    /// RTS/CTS.
    Hardware,
}

/// `[printer]`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrinterConfig {
    /// `/dev/ttyUSB0`, `file:PATH` (relative paths are inside the data dir) or `none`.
    #[serde(default = "PrinterConfig::default_port")]
    pub port: String,
    /// Serial speed.
    #[serde(default = "PrinterConfig::default_baud")]
    pub baud: u32,
    /// Handshake.
    #[serde(default)]
    pub flow_control: FlowControl,
    /// Printer capability profile name.
    #[serde(default = "PrinterConfig::default_profile")]
    pub profile: String,
}

impl PrinterConfig {
    fn default_port() -> String {
        "none".into()
    }
    fn default_baud() -> u32 {
        19200
    }
    fn default_profile() -> String {
        "default".into()
    }
}

impl Default for PrinterConfig {
    fn default() -> Self {
        Self {
            port: Self::default_port(),
            baud: Self::default_baud(),
            flow_control: FlowControl::None,
            profile: Self::default_profile(),
        }
    }
}

/// `[ui]`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UiConfig {
    /// Languages offered, in the order shown; the first is the welcome screen's default.
    #[serde(default = "UiConfig::default_languages")]
    pub languages: Vec<String>,
    /// Seconds without a touch before the "do you need more time?" warning.
    #[serde(default = "UiConfig::default_idle_timeout")]
    pub idle_timeout_s: u32,
    /// The council's catch-all service code ("general request"): where "My problem is not
    /// listed" leads. Without it (or when the catalogue lacks it) residents are told to ask at
    /// the desk.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub catch_all_service: Option<String>,
    /// The panel's visible width in millimetres: the kiosk scales its layout so that Slint's
    /// `mm` is a real millimetre on it (touch targets ≥ 15 mm, text sizes). Without it the
    /// display's own scale factor is trusted (`mm` at 96 dpi).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub screen_width_mm: Option<f32>,
    /// Speech mode's sound goes to a headset or handset only (not a loudspeaker): typed answers
    /// and contact details may then be read back; otherwise they are said as "hidden" unless a
    /// headset is sensed in its jack (`runtime/headset.rs`). The technician's override.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub speech_headset: bool,
    /// The loudspeaker's level in dB, set on the default sound card's mixer
    /// (`speech_mixer_control`) when the kiosk starts: how loud speech mode's steps are in the
    /// room, measured at installation with a sound level meter (kiosk-image/README.md, "Speech
    /// volume"). Without it the mixer is left as ALSA set it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speech_mixer_db: Option<f32>,
    /// The mixer control `speech_mixer_db` sets; without it, `Master` (some USB sound cards have
    /// only `PCM` or `Speaker`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speech_mixer_control: Option<String>,
    /// Seconds on the welcome screen without a touch before the screen blanks (0: never). The
    /// touch that wakes it only wakes it.
    #[serde(default = "UiConfig::default_blank_after")]
    pub blank_after_s: u32,
    /// How the screen is mounted: 0, 90, 180 or 270 degrees clockwise. Applied by the kiosk's
    /// unit to cage's output (`cage -r`), so the picture and the touches turn together.
    #[serde(default)]
    pub rotation: u16,
}

impl UiConfig {
    /// The mixer control `speech_mixer_db` sets.
    pub fn speech_mixer_control(&self) -> &str {
        self.speech_mixer_control.as_deref().unwrap_or("Master")
    }
    fn default_blank_after() -> u32 {
        600
    }
    fn default_languages() -> Vec<String> {
        SUPPORTED_LOCALES.iter().map(|s| s.to_string()).collect()
    }
    fn default_idle_timeout() -> u32 {
        120
    }
}

impl Default for UiConfig {
    fn default() -> Self {
        Self {
            languages: Self::default_languages(),
            idle_timeout_s: Self::default_idle_timeout(),
            catch_all_service: None,
            screen_width_mm: None,
            speech_headset: false,
            speech_mixer_db: None,
            speech_mixer_control: None,
            blank_after_s: Self::default_blank_after(),
            rotation: 0,
        }
    }
}

/// `[privacy]` (extension of INTERFACE.md).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrivacyConfig {
    /// Days personal data is kept after the council accepted a submission.
    #[serde(default = "PrivacyConfig::default_retention")]
    pub retention_days: u32,
    /// The data key sealing personal data at rest (absolute path, mode 0600, created on first
    /// use). `None`: `guichet.key` in the data dir. Production kiosks should point it at a
    /// separate partition (see SECURITY.md).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_file: Option<PathBuf>,
    /// Where `seal-data-key` keeps the data key sealed to the TPM (absolute path; `None`:
    /// `/var/lib/guichet-credstore/guichet-data-key.cred`). Where that file exists, a command run
    /// without the credential refuses to make a new plain key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sealed_key_file: Option<PathBuf>,
    /// The council's own privacy notice, shown to residents before they give contact details
    /// (instead of the standard translated one). At most 1,000 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notice: Option<String>,
}

impl PrivacyConfig {
    fn default_retention() -> u32 {
        7
    }
}

impl Default for PrivacyConfig {
    fn default() -> Self {
        Self {
            retention_days: Self::default_retention(),
            notice: None,
            key_file: None,
            sealed_key_file: None,
        }
    }
}

/// `[fleet]` (extension of INTERFACE.md): how the council's monitoring sees this kiosk.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FleetConfig {
    /// Where the metrics are written for node_exporter's textfile collector (absolute path
    /// ending in `.prom`; written atomically through a temporary file in the same directory).
    #[serde(default = "FleetConfig::default_textfile")]
    pub textfile: PathBuf,
    /// Where the signed heartbeat is pushed on each sync round (https; none when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub heartbeat_url: Option<String>,
}

/// The default `fleet.textfile`: node_exporter's textfile directory on Debian.
pub const DEFAULT_FLEET_TEXTFILE: &str = "/var/lib/prometheus/node-exporter/guichet.prom";

/// Longest `fleet.textfile` path and `fleet.heartbeat_url` accepted.
pub const FLEET_VALUE_MAX: usize = 1024;

impl FleetConfig {
    fn default_textfile() -> PathBuf {
        PathBuf::from(DEFAULT_FLEET_TEXTFILE)
    }
}

impl Default for FleetConfig {
    fn default() -> Self {
        Self {
            textfile: Self::default_textfile(),
            heartbeat_url: None,
        }
    }
}

/// `[help]` (extension of INTERFACE.md): where "Ask for help" is announced to staff.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HelpConfig {
    /// A JSON POST goes here for each help request, retried until delivered: an ntfy topic, a
    /// Matrix or Teams webhook, a library's paging tool (https; none: residents are sent to the
    /// desk).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notify_url: Option<String>,
}

impl HelpConfig {
    fn is_empty(&self) -> bool {
        self.notify_url.is_none()
    }
}

/// Longest `help.notify_url` accepted.
pub const HELP_URL_MAX: usize = 1024;

/// Where a configuration came from; decides the default data dir.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigSource {
    /// A file on disk.
    File(PathBuf),
    /// The embedded demo configuration.
    Demo,
}

impl std::fmt::Display for ConfigSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ConfigSource::File(p) => write!(f, "{}", p.display()),
            ConfigSource::Demo => f.write_str("embedded demo configuration"),
        }
    }
}

/// A configuration that could not be used, with enough to fix it.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("cannot read config {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file is larger than any real configuration.
    #[error("config {path} is {size} bytes; a configuration is at most {MAX_CONFIG_BYTES} bytes")]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size.
        size: u64,
    },
    /// TOML syntax, an unknown key or a value of the wrong type.
    #[error("config {source_name}: {detail}")]
    Syntax {
        /// Where it came from.
        source_name: String,
        /// Line, key and what is allowed.
        detail: String,
    },
    /// A key whose value is outside what is allowed.
    #[error("config {source_name}: `{key}` = {value}: {allowed}")]
    Value {
        /// Where it came from.
        source_name: String,
        /// Dotted key name, e.g. `device.code`.
        key: String,
        /// The offending value as written.
        value: String,
        /// What would be accepted.
        allowed: String,
    },
}

impl Config {
    /// Parses and checks a configuration text.
    pub fn parse(text: &str, source: &ConfigSource) -> Result<Config, ConfigError> {
        let source_name = source.to_string();
        let config: Config = toml::from_str(text).map_err(|e| ConfigError::Syntax {
            source_name: source_name.clone(),
            detail: describe_toml_error(text, &e),
        })?;
        config.check(&source_name)?;
        Ok(config)
    }

    /// Reads and checks a configuration file.
    pub fn load_file(path: &Path) -> Result<Config, ConfigError> {
        let read_err = |source| ConfigError::Read {
            path: path.to_path_buf(),
            source,
        };
        // Bounded by reading, not by `metadata`: a device or a FIFO reports size 0, and a file
        // may grow between the two calls.
        use std::io::Read;
        let mut bytes = Vec::new();
        std::fs::File::open(path)
            .map_err(read_err)?
            .take(MAX_CONFIG_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(read_err)?;
        let size = bytes.len() as u64;
        if size > MAX_CONFIG_BYTES {
            return Err(ConfigError::TooLarge {
                path: path.to_path_buf(),
                size,
            });
        }
        let text = String::from_utf8(bytes).map_err(|e| {
            read_err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                e.utf8_error(),
            ))
        })?;
        Config::parse(&text, &ConfigSource::File(path.to_path_buf()))
    }

    /// The embedded demo configuration.
    pub fn demo() -> Config {
        // The demo text is part of the binary and covered by a unit test, so it always parses.
        Config::parse(DEMO_CONFIG, &ConfigSource::Demo).expect("embedded demo config is valid")
    }

    /// Finds and loads the configuration following the documented order.
    pub fn locate(explicit: Option<&Path>) -> Result<(Config, ConfigSource), ConfigError> {
        if let Some(path) = explicit {
            return Ok((Config::load_file(path)?, ConfigSource::File(path.into())));
        }
        if let Some(env) = std::env::var_os("GUICHET_CONFIG").filter(|v| !v.is_empty()) {
            let path = PathBuf::from(env);
            return Ok((Config::load_file(&path)?, ConfigSource::File(path)));
        }
        let system = Path::new(SYSTEM_CONFIG_PATH);
        if system.exists() {
            return Ok((
                Config::load_file(system)?,
                ConfigSource::File(system.into()),
            ));
        }
        Ok((Config::demo(), ConfigSource::Demo))
    }

    /// Whether this configuration talks to a central system.
    pub fn has_central(&self) -> bool {
        self.central.kind == CentralKind::Open311
    }

    fn check(&self, source_name: &str) -> Result<(), ConfigError> {
        let bad = |key: &str, value: String, allowed: &str| ConfigError::Value {
            source_name: source_name.to_string(),
            key: key.to_string(),
            value,
            allowed: allowed.to_string(),
        };
        if !is_valid_device_code(&self.device.code) {
            return Err(bad(
                "device.code",
                quoted(&self.device.code),
                "2 to 6 characters, each A-Z or 0-9",
            ));
        }
        if self.device.site.chars().count() > 80 || self.device.site.chars().any(char::is_control) {
            return Err(bad(
                "device.site",
                quoted(&self.device.site),
                "at most 80 characters, no control characters",
            ));
        }
        let mut texts = vec![
            ("device.council".to_string(), &self.device.council, 80),
            (
                "device.help_contact".to_string(),
                &self.device.help_contact,
                120,
            ),
            (
                "device.help_hours".to_string(),
                &self.device.help_hours,
                120,
            ),
        ];
        for (lang, t) in &self.device.by_language {
            if !SUPPORTED_LOCALES.contains(&lang.as_str()) {
                return Err(bad(
                    &format!("device.by_language.{lang}"),
                    quoted(lang),
                    &format!("one of {SUPPORTED_LOCALES:?}"),
                ));
            }
            for (key, value, max) in [
                ("council", &t.council, 80),
                ("site", &t.site, 80),
                ("help_hours", &t.help_hours, 120),
            ] {
                if let Some(value) = value {
                    texts.push((format!("device.by_language.{lang}.{key}"), value, max));
                }
            }
        }
        for (key, value, max) in texts {
            if value.chars().count() > max || value.chars().any(char::is_control) {
                return Err(bad(
                    &key,
                    quoted(value),
                    &format!("at most {max} characters, no control characters"),
                ));
            }
        }
        if let Some(days) = self.device.response_days
            && !RESPONSE_DAYS_RANGE.contains(&days)
        {
            return Err(bad(
                "device.response_days",
                days.to_string(),
                &format!(
                    "{} to {} working days",
                    RESPONSE_DAYS_RANGE.start(),
                    RESPONSE_DAYS_RANGE.end()
                ),
            ));
        }
        self.check_central(&bad)?;
        self.check_fleet(&bad)?;
        self.check_help(&bad)?;
        let port = &self.printer.port;
        if port.is_empty() || port.chars().any(char::is_control) {
            return Err(bad(
                "printer.port",
                quoted(port),
                "a serial device such as \"/dev/ttyUSB0\", \"file:PATH\" or \"none\"",
            ));
        }
        if !ALLOWED_BAUD_RATES.contains(&self.printer.baud) {
            return Err(bad(
                "printer.baud",
                self.printer.baud.to_string(),
                &format!("one of {ALLOWED_BAUD_RATES:?}"),
            ));
        }
        if self.printer.profile.is_empty() || self.printer.profile.len() > 64 {
            return Err(bad(
                "printer.profile",
                quoted(&self.printer.profile),
                "a printer profile name (see `guichet printer status`)",
            ));
        }
        if let Some(code) = &self.ui.catch_all_service
            && (code.trim().is_empty()
                || code.chars().count() > crate::catalog::limits::MAX_CODE_CHARS
                || code.chars().any(char::is_control))
        {
            return Err(bad(
                "ui.catch_all_service",
                quoted(code),
                "a service code from the catalogue (at most 100 printable characters)",
            ));
        }
        if let Some(mm) = self.ui.screen_width_mm
            && !(SCREEN_WIDTH_MM_RANGE.contains(&mm))
        {
            return Err(bad(
                "ui.screen_width_mm",
                mm.to_string(),
                &format!(
                    "the panel's visible width in millimetres, from {} to {}",
                    SCREEN_WIDTH_MM_RANGE.start(),
                    SCREEN_WIDTH_MM_RANGE.end()
                ),
            ));
        }
        if let Some(db) = self.ui.speech_mixer_db
            && !(SPEECH_MIXER_DB_RANGE.contains(&db))
        {
            return Err(bad(
                "ui.speech_mixer_db",
                db.to_string(),
                &format!(
                    "the loudspeaker's mixer level in dB, from {} to {}",
                    SPEECH_MIXER_DB_RANGE.start(),
                    SPEECH_MIXER_DB_RANGE.end()
                ),
            ));
        }
        if let Some(control) = &self.ui.speech_mixer_control
            && !valid_mixer_control(control)
        {
            return Err(bad(
                "ui.speech_mixer_control",
                quoted(control),
                "an ALSA mixer control as `amixer scontrols` names it, such as \"Master\", \"PCM\" or \"Speaker\", optionally with its index (\"Master,0\"); at most 64 characters",
            ));
        }
        if self.ui.languages.is_empty() {
            return Err(bad(
                "ui.languages",
                "[]".into(),
                &format!("a non-empty list drawn from {SUPPORTED_LOCALES:?}"),
            ));
        }
        for (i, lang) in self.ui.languages.iter().enumerate() {
            if !SUPPORTED_LOCALES.contains(&lang.as_str()) {
                return Err(bad(
                    "ui.languages",
                    quoted(lang),
                    &format!("each language one of {SUPPORTED_LOCALES:?}"),
                ));
            }
            if self.ui.languages[..i].contains(lang) {
                return Err(bad(
                    "ui.languages",
                    quoted(lang),
                    "each language listed once",
                ));
            }
        }
        if !IDLE_TIMEOUT_RANGE.contains(&self.ui.idle_timeout_s) {
            return Err(bad(
                "ui.idle_timeout_s",
                self.ui.idle_timeout_s.to_string(),
                &format!(
                    "a number of seconds from {} to {}",
                    IDLE_TIMEOUT_RANGE.start(),
                    IDLE_TIMEOUT_RANGE.end()
                ),
            ));
        }
        if self.ui.blank_after_s != 0 && !BLANK_AFTER_RANGE.contains(&self.ui.blank_after_s) {
            return Err(bad(
                "ui.blank_after_s",
                self.ui.blank_after_s.to_string(),
                &format!(
                    "0 (never) or a number of seconds from {} to {}",
                    BLANK_AFTER_RANGE.start(),
                    BLANK_AFTER_RANGE.end()
                ),
            ));
        }
        if ![0, 90, 180, 270].contains(&self.ui.rotation) {
            return Err(bad(
                "ui.rotation",
                self.ui.rotation.to_string(),
                "0, 90, 180 or 270 (degrees clockwise)",
            ));
        }
        if !RETENTION_DAYS_RANGE.contains(&self.privacy.retention_days) {
            return Err(bad(
                "privacy.retention_days",
                self.privacy.retention_days.to_string(),
                &format!(
                    "a number of days from {} to {}",
                    RETENTION_DAYS_RANGE.start(),
                    RETENTION_DAYS_RANGE.end()
                ),
            ));
        }
        let key_files = [
            ("privacy.key_file", &self.privacy.key_file),
            ("privacy.sealed_key_file", &self.privacy.sealed_key_file),
        ];
        for (name, path) in key_files {
            let Some(path) = path else { continue };
            let text = path.to_string_lossy();
            if !path.is_absolute()
                || text.len() > KEY_FILE_PATH_MAX
                || text.chars().any(char::is_control)
                || path.file_name().is_none()
                || text.ends_with('/')
            {
                return Err(bad(
                    name,
                    quoted(&text),
                    &format!(
                        "an absolute file path of at most {KEY_FILE_PATH_MAX} bytes, such as \"/etc/guichet/data.key\""
                    ),
                ));
            }
        }
        if let Some(notice) = &self.privacy.notice
            && (notice.trim().is_empty()
                || notice.chars().count() > PRIVACY_NOTICE_MAX
                || notice.chars().any(|c| c.is_control() && c != '\n'))
        {
            return Err(bad(
                "privacy.notice",
                quoted(notice),
                &format!(
                    "the council's privacy notice: text of 1 to {PRIVACY_NOTICE_MAX} characters"
                ),
            ));
        }
        Ok(())
    }

    fn check_fleet(
        &self,
        bad: &dyn Fn(&str, String, &str) -> ConfigError,
    ) -> Result<(), ConfigError> {
        let fleet = &self.fleet;
        let text = fleet.textfile.to_string_lossy();
        // node_exporter reads only `*.prom` files of its directory.
        if !fleet.textfile.is_absolute()
            || text.len() > FLEET_VALUE_MAX
            || text.chars().any(char::is_control)
            || fleet.textfile.extension().is_none_or(|e| e != "prom")
        {
            return Err(bad(
                "fleet.textfile",
                quoted(&text),
                &format!(
                    "an absolute path ending in .prom, of at most {FLEET_VALUE_MAX} bytes, such as \"{DEFAULT_FLEET_TEXTFILE}\""
                ),
            ));
        }
        if let Some(url_text) = &fleet.heartbeat_url {
            let scheme_ok = url::Url::parse(url_text).is_ok_and(|u| {
                u.has_host()
                    && (u.scheme() == "https"
                        || (u.scheme() == "http" && self.central.allow_insecure_http))
            });
            if !scheme_ok
                || url_text.len() > FLEET_VALUE_MAX
                || url_text.chars().any(char::is_control)
            {
                return Err(bad(
                    "fleet.heartbeat_url",
                    quoted(url_text),
                    &format!(
                        "an https:// URL of at most {FLEET_VALUE_MAX} bytes (plain http only with central.allow_insecure_http = true, for tests)"
                    ),
                ));
            }
        }
        Ok(())
    }

    fn check_help(
        &self,
        bad: &dyn Fn(&str, String, &str) -> ConfigError,
    ) -> Result<(), ConfigError> {
        if let Some(url_text) = &self.help.notify_url {
            let scheme_ok = url::Url::parse(url_text).is_ok_and(|u| {
                u.has_host()
                    && (u.scheme() == "https"
                        || (u.scheme() == "http" && self.central.allow_insecure_http))
            });
            if !scheme_ok || url_text.len() > HELP_URL_MAX || url_text.chars().any(char::is_control)
            {
                return Err(bad(
                    "help.notify_url",
                    quoted(url_text),
                    &format!(
                        "an https:// URL of at most {HELP_URL_MAX} bytes (plain http only with central.allow_insecure_http = true, for tests)"
                    ),
                ));
            }
        }
        Ok(())
    }

    /// The data key file for a database in `data_dir` (see [`PrivacyConfig::key_file`]).
    pub fn key_file(&self, data_dir: &Path) -> PathBuf {
        self.privacy
            .key_file
            .clone()
            .unwrap_or_else(|| data_dir.join(crate::privacy::DEFAULT_KEY_FILE))
    }

    /// Where the data key may be sealed to the TPM (see [`PrivacyConfig::sealed_key_file`]).
    pub fn sealed_key_file(&self) -> PathBuf {
        self.privacy
            .sealed_key_file
            .clone()
            .unwrap_or_else(|| PathBuf::from(crate::privacy::key::DEFAULT_SEALED_KEY_FILE))
    }

    fn check_central(
        &self,
        bad: &dyn Fn(&str, String, &str) -> ConfigError,
    ) -> Result<(), ConfigError> {
        let central = &self.central;
        if let Some(j) = &central.jurisdiction_id
            && (j.is_empty() || j.len() > 200 || j.chars().any(char::is_control))
        {
            return Err(bad(
                "central.jurisdiction_id",
                quoted(j),
                "1 to 200 printable characters",
            ));
        }
        if let Some(s) = central.sync_interval_s
            && !(5..=3600).contains(&s)
        {
            return Err(bad(
                "central.sync_interval_s",
                s.to_string(),
                "a number of seconds from 5 to 3600",
            ));
        }
        if let Some(template) = &central.status_url {
            let sample = template.replace("{reference}", "LIB2-00001-X");
            let parsed = url::Url::parse(&sample);
            if !template.contains("{reference}")
                || template.len() > 200
                || !parsed.is_ok_and(|u| u.scheme() == "https" || u.scheme() == "http")
            {
                return Err(bad(
                    "central.status_url",
                    quoted(template),
                    "an http(s) URL of at most 200 characters containing {reference}",
                ));
            }
        }
        if central.kind == CentralKind::None {
            return Ok(());
        }
        let Some(url_text) = &central.url else {
            return Err(bad(
                "central.url",
                "(missing)".into(),
                "required when central.kind = \"open311\": the GeoReport v2 base URL",
            ));
        };
        let url = url::Url::parse(url_text).map_err(|e| {
            bad(
                "central.url",
                quoted(url_text),
                &format!("an absolute URL ({e})"),
            )
        })?;
        match url.scheme() {
            "https" => {}
            "http" if central.allow_insecure_http => {}
            "http" => {
                return Err(bad(
                    "central.url",
                    quoted(url_text),
                    "an https:// URL (plain http is only allowed with central.allow_insecure_http = true, for tests)",
                ));
            }
            _ => {
                return Err(bad("central.url", quoted(url_text), "an https:// URL"));
            }
        }
        if central.api_key_file.is_none() {
            return Err(bad(
                "central.api_key_file",
                "(missing)".into(),
                "required when central.kind = \"open311\": a file holding the API key",
            ));
        }
        Ok(())
    }

    /// The data directory: an explicit override, else `device.data_dir`, else the default for
    /// where the configuration came from.
    pub fn data_dir(&self, override_dir: Option<&Path>, source: &ConfigSource) -> PathBuf {
        if let Some(dir) = override_dir {
            return dir.to_path_buf();
        }
        if let Some(dir) = &self.device.data_dir {
            return dir.clone();
        }
        match source {
            ConfigSource::File(_) => PathBuf::from("/var/lib/guichet"),
            ConfigSource::Demo => user_data_dir().join("guichet"),
        }
    }
}

/// `$XDG_DATA_HOME`, else `~/.local/share`, else the current directory.
fn user_data_dir() -> PathBuf {
    if let Some(x) = std::env::var_os("XDG_DATA_HOME").filter(|v| !v.is_empty()) {
        return PathBuf::from(x);
    }
    if let Some(home) = std::env::var_os("HOME").filter(|v| !v.is_empty()) {
        return PathBuf::from(home).join(".local/share");
    }
    PathBuf::from(".")
}

/// 2–6 characters, each `A-Z` or `0-9`.
pub fn is_valid_device_code(code: &str) -> bool {
    (2..=6).contains(&code.len())
        && code
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

fn quoted(s: &str) -> String {
    let shown: String = s.chars().take(60).collect();
    format!("{shown:?}")
}

/// Turns a TOML error into "line N, `key`: message" — one line a technician can act on.
fn describe_toml_error(text: &str, err: &toml::de::Error) -> String {
    let message = err.message().trim().replace('\n', " ");
    match err.span() {
        Some(span) => {
            let line = text[..span.start.min(text.len())].matches('\n').count() + 1;
            let snippet: String = text
                .get(span.clone())
                .unwrap_or("")
                .chars()
                .take(60)
                .collect();
            let table = enclosing_table(text, span.start);
            if snippet.is_empty() {
                format!("line {line}: {message}")
            } else if let Some(table) = table {
                format!("line {line}, `{snippet}` in [{table}]: {message}")
            } else {
                format!("line {line}, `{snippet}`: {message}")
            }
        }
        None => message,
    }
}

/// The `[table]` header above a byte offset, if any.
fn enclosing_table(text: &str, offset: usize) -> Option<String> {
    text[..offset.min(text.len())]
        .lines()
        .rev()
        .map(str::trim)
        .find(|l| l.starts_with('[') && l.ends_with(']'))
        .map(|l| l.trim_matches(|c| c == '[' || c == ']').to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, ConfigError> {
        Config::parse(text, &ConfigSource::File("test.toml".into()))
    }

    #[test]
    fn demo_config_is_valid_and_offline() {
        let c = Config::demo();
        assert_eq!(c.central.kind, CentralKind::None);
        assert!(is_valid_device_code(&c.device.code));
    }

    #[test]
    fn interface_example_parses() {
        let c = parse(
            r#"
[device]
code = "LIB2"
site = "Central Library"
data_dir = "/var/lib/guichet"
[central]
kind = "open311"
url = "https://311.example.org/open311/v2/"
api_key_file = "/etc/guichet/api-key"
jurisdiction_id = "example.org"
allow_insecure_http = false
[printer]
port = "/dev/ttyUSB0"
baud = 19200
flow_control = "none"
profile = "default"
[ui]
languages = ["en", "fr", "es", "ar", "uk", "pl"]
idle_timeout_s = 120
"#,
        )
        .unwrap();
        assert_eq!(c.device.code, "LIB2");
        assert_eq!(c.printer.flow_control, FlowControl::None);
        assert!(c.has_central());
    }

    #[test]
    fn unknown_key_is_named_with_allowed_keys() {
        let err = parse("[device]\ncode = \"AB\"\ncolour = \"red\"\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("line 3"), "{err}");
        assert!(err.contains("colour"), "{err}");
        assert!(err.contains("[device]"), "{err}");
        assert!(err.contains("data_dir"), "names the allowed keys: {err}");
    }

    #[test]
    fn mixer_controls_are_names_amixer_takes_as_they_are() {
        for good in [
            "Master",
            "PCM",
            "Speaker",
            "Master,0",
            "Headphone+LO",
            "Line Out",
            "Mic (Front)",
        ] {
            assert!(valid_mixer_control(good), "{good:?}");
        }
        for bad in [
            "",
            "-q",
            " Master",
            "Master ",
            "Master,",
            "Master,x",
            ",0",
            "Master,0000",
            "Master;x",
            "Mas\nter",
        ] {
            assert!(!valid_mixer_control(bad), "{bad:?}");
        }
        assert!(!valid_mixer_control(&"M".repeat(65)));
    }

    #[test]
    fn bad_values_name_key_and_allowed() {
        let cases = [
            ("[device]\ncode = \"lib\"\n", "device.code", "A-Z"),
            (
                "[device]\ncode = \"AB\"\n[printer]\nbaud = 1234\n",
                "printer.baud",
                "9600",
            ),
            (
                "[device]\ncode = \"AB\"\n[ui]\nscreen_width_mm = 5.0\n",
                "ui.screen_width_mm",
                "millimetres",
            ),
            (
                "[device]\ncode = \"AB\"\n[ui]\nspeech_mixer_db = 20.0\n",
                "ui.speech_mixer_db",
                "-60 to 12",
            ),
            (
                "[device]\ncode = \"AB\"\n[ui]\nspeech_mixer_db = nan\n",
                "ui.speech_mixer_db",
                "in dB",
            ),
            (
                "[device]\ncode = \"AB\"\n[ui]\nspeech_mixer_control = \"-q Master\"\n",
                "ui.speech_mixer_control",
                "Master",
            ),
            (
                "[device]\ncode = \"AB\"\n[ui]\nspeech_mixer_control = \"Master; reboot\"\n",
                "ui.speech_mixer_control",
                "PCM",
            ),
            (
                "[device]\ncode = \"AB\"\n[ui]\nspeech_mixer_control = \"Master,x\"\n",
                "ui.speech_mixer_control",
                "Master,0",
            ),
            (
                "[device]\ncode = \"AB\"\n[ui]\nspeech_mixer_control = \"Master \"\n",
                "ui.speech_mixer_control",
                "scontrols",
            ),
            (
                "[device]\ncode = \"AB\"\n[ui]\nlanguages = [\"xx\"]\n",
                "ui.languages",
                "\"en\"",
            ),
            (
                "[device]\ncode = \"AB\"\n[ui]\nidle_timeout_s = 5\n",
                "ui.idle_timeout_s",
                "30",
            ),
            (
                "[device]\ncode = \"AB\"\n[central]\nkind = \"open311\"\nurl = \"http://x/\"\napi_key_file = \"/k\"\n",
                "central.url",
                "https",
            ),
            (
                "[device]\ncode = \"AB\"\n[central]\nkind = \"open311\"\n",
                "central.url",
                "required",
            ),
            (
                "[device]\ncode = \"AB\"\n[ui]\ncatch_all_service = \" \"\n",
                "ui.catch_all_service",
                "service code",
            ),
        ];
        for (text, key, allowed) in cases {
            let err = parse(text).unwrap_err().to_string();
            assert!(err.contains(key), "{text}: {err}");
            assert!(err.contains(allowed), "{text}: {err}");
        }
    }

    #[test]
    fn device_texts_per_language_fall_back_to_the_plain_ones() {
        let c = parse(
            "[device]\ncode = \"AB\"\ncouncil = \"Example Council\"\nsite = \"Library\"\nhelp_hours = \"Mon-Fri 9-17\"\nresponse_days = 10\n[device.by_language.ar]\ncouncil = \"مجلس المثال\"\n",
        )
        .unwrap();
        assert_eq!(c.device.council_in("ar"), "مجلس المثال");
        assert_eq!(c.device.council_in("fr"), "Example Council");
        assert_eq!(c.device.site_in("ar"), "Library");
        assert_eq!(c.device.help_hours_in("uk"), "Mon-Fri 9-17");
        assert_eq!(c.device.response_days, Some(10));
        for (text, key) in [
            (
                "[device]\ncode = \"AB\"\n[device.by_language.xx]\nsite = \"S\"\n",
                "device.by_language.xx",
            ),
            (
                "[device]\ncode = \"AB\"\n[device.by_language.fr]\nsite = \"a\\nb\"\n",
                "device.by_language.fr.site",
            ),
            (
                "[device]\ncode = \"AB\"\nresponse_days = 0\n",
                "device.response_days",
            ),
        ] {
            let err = parse(text).unwrap_err().to_string();
            assert!(err.contains(key), "{text}: {err}");
        }
    }

    #[test]
    fn a_catch_all_service_is_optional() {
        let c =
            parse("[device]\ncode = \"AB\"\n[ui]\ncatch_all_service = \"BOS311GEN\"\n").unwrap();
        assert_eq!(c.ui.catch_all_service.as_deref(), Some("BOS311GEN"));
        assert_eq!(
            parse("[device]\ncode = \"AB\"\n")
                .unwrap()
                .ui
                .catch_all_service,
            None
        );
    }

    #[test]
    fn bad_enum_value_lists_variants() {
        let err = parse("[device]\ncode = \"AB\"\n[printer]\nflow_control = \"rts\"\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("flow_control") || err.contains("rts"), "{err}");
        assert!(
            err.contains("software") && err.contains("hardware"),
            "{err}"
        );
    }

    #[test]
    fn insecure_http_allowed_only_when_asked() {
        let text = "[device]\ncode = \"AB\"\n[central]\nkind = \"open311\"\nurl = \"http://127.0.0.1:1/\"\napi_key_file = \"/k\"\nallow_insecure_http = true\n";
        assert!(parse(text).is_ok());
    }

    #[test]
    fn data_dir_precedence() {
        let c = Config::demo();
        assert_eq!(
            c.data_dir(Some(Path::new("/x")), &ConfigSource::Demo),
            PathBuf::from("/x")
        );
        let f = parse("[device]\ncode = \"AB\"\n").unwrap();
        assert_eq!(
            f.data_dir(None, &ConfigSource::File("a".into())),
            PathBuf::from("/var/lib/guichet")
        );
    }

    #[test]
    fn privacy_key_file_defaults_to_the_data_dir_and_must_be_absolute() {
        let c = parse("[device]\ncode = \"AB\"\n").unwrap();
        assert_eq!(c.privacy.key_file, None);
        assert_eq!(
            c.key_file(Path::new("/var/lib/guichet")),
            PathBuf::from("/var/lib/guichet/guichet.key")
        );
        let c = parse("[device]\ncode = \"AB\"\n[privacy]\nkey_file = \"/etc/guichet/data.key\"\n")
            .unwrap();
        assert_eq!(
            c.key_file(Path::new("/var/lib/guichet")),
            PathBuf::from("/etc/guichet/data.key")
        );
        for bad in ["data.key", "", "/etc/guichet/", "/etc/gui\\u0007chet/k"] {
            let text = format!("[device]\ncode = \"AB\"\n[privacy]\nkey_file = \"{bad}\"\n");
            let err = parse(&text).unwrap_err().to_string();
            assert!(err.contains("privacy.key_file"), "{bad:?}: {err}");
        }
        let long = format!("/{}", "k".repeat(KEY_FILE_PATH_MAX));
        let text = format!("[device]\ncode = \"AB\"\n[privacy]\nkey_file = \"{long}\"\n");
        assert!(parse(&text).is_err());
    }

    #[test]
    fn the_councils_privacy_notice_is_bounded_text() {
        let c =
            parse("[device]\ncode = \"AB\"\n[privacy]\nnotice = \"We keep it safe.\"\n").unwrap();
        assert_eq!(c.privacy.notice.as_deref(), Some("We keep it safe."));
        let long = "x".repeat(PRIVACY_NOTICE_MAX + 1);
        for bad in ["", "   ", long.as_str(), "bell\\u0007"] {
            let text = format!("[device]\ncode = \"AB\"\n[privacy]\nnotice = \"{bad}\"\n");
            let err = parse(&text).unwrap_err().to_string();
            assert!(err.contains("privacy.notice"), "{bad:?}: {err}");
        }
    }

    #[test]
    fn fleet_textfile_and_heartbeat_url_are_checked() {
        let c = parse("[device]\ncode = \"AB\"\n").unwrap();
        assert_eq!(c.fleet.textfile, PathBuf::from(DEFAULT_FLEET_TEXTFILE));
        assert_eq!(c.fleet.heartbeat_url, None);
        let c = parse(
            "[device]\ncode = \"AB\"\n[fleet]\ntextfile = \"/run/guichet/kiosk.prom\"\nheartbeat_url = \"https://fleet.example.org/hb\"\n",
        )
        .unwrap();
        assert_eq!(c.fleet.textfile, PathBuf::from("/run/guichet/kiosk.prom"));
        for (fleet, key) in [
            ("textfile = \"guichet.prom\"", "fleet.textfile"),
            ("textfile = \"/var/lib/guichet.txt\"", "fleet.textfile"),
            (
                "heartbeat_url = \"http://fleet.example.org/\"",
                "fleet.heartbeat_url",
            ),
            ("heartbeat_url = \"not a url\"", "fleet.heartbeat_url"),
            ("colour = \"red\"", "colour"),
        ] {
            let text = format!("[device]\ncode = \"AB\"\n[fleet]\n{fleet}\n");
            let err = parse(&text).unwrap_err().to_string();
            assert!(err.contains(key), "{fleet}: {err}");
        }
        let long = format!("https://x.example/{}", "a".repeat(FLEET_VALUE_MAX));
        let text = format!("[device]\ncode = \"AB\"\n[fleet]\nheartbeat_url = \"{long}\"\n");
        assert!(parse(&text).is_err());
    }

    #[test]
    fn an_endless_config_file_is_refused_without_reading_it_all() {
        // /dev/zero reports 0 bytes to `metadata` and never ends.
        let err = Config::load_file(Path::new("/dev/zero")).unwrap_err();
        assert!(matches!(err, ConfigError::TooLarge { .. }), "{err}");
    }
}
