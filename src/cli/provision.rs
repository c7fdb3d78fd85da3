//! `guichet provision`: turns a plain machine's answers into `/etc/guichet/kiosk.toml`.
//!
//! Every configuration key has a flag, so a technician's script can provision without a
//! terminal; on a terminal, what the flags leave out is asked, with its default and one line of
//! explanation. Nothing is written until every value has passed the same checks the kiosk
//! makes when it loads the file, and the live ones a technician would otherwise discover at the
//! first resident: the URL answers as an Open311 endpoint, the printer answers a status request.
//! Then the file is replaced atomically, 0640, group `guichet` when run as root: a power cut
//! leaves the old configuration or the new one, and residents' data stays unreadable to others.
//!
//! The reuse guard: references are `CODE-NNNNN-C` with a per-code sequence held in the data dir.
//! Giving a data dir that already issued references under another code a new code is refused
//! unless `--force` (moving a disk to a new kiosk is fine; two kiosks issuing the same
//! references is not, and reusing a code on a fresh disk would restart its sequence at 1).

use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};

use clap::Args;

use super::{CliError, fail, probe};
use crate::config::{
    CentralConfig, CentralKind, Config, ConfigError, ConfigSource, DeviceConfig, FleetConfig,
    FlowControl, PrinterConfig, PrivacyConfig, SYSTEM_CONFIG_PATH, UiConfig,
};

/// The group that may read the configuration and the API key.
const CONFIG_GROUP: &str = "guichet";

/// Longest API key accepted on stdin.
const MAX_API_KEY_BYTES: usize = 4096;

/// Arguments of `guichet provision` (one flag per configuration key).
#[derive(Debug, Args, Default)]
pub struct ProvisionArgs {
    /// device.code: 2–6 of A–Z 0–9, the prefix of every reference this kiosk issues.
    #[arg(long, value_name = "CODE")]
    pub code: Option<String>,
    /// device.site: the site's name, printed on receipts.
    #[arg(long, value_name = "NAME")]
    pub site: Option<String>,
    /// device.council: the council's name on the confirmation screen and receipts.
    #[arg(long, value_name = "NAME")]
    pub council: Option<String>,
    /// device.help_contact: how residents reach the council (e.g. a phone number).
    #[arg(long, value_name = "TEXT")]
    pub help_contact: Option<String>,
    /// device.help_hours: when the help line answers, printed on receipts.
    #[arg(long, value_name = "TEXT")]
    pub help_hours: Option<String>,
    /// device.response_days: working days the council aims to deal with a request in (1–365).
    #[arg(long, value_name = "N")]
    pub response_days: Option<u32>,
    /// device.by_language: council, site or help_hours in one language, e.g.
    /// `--by-language ar.council=مجلس` (repeat for each).
    #[arg(long, value_name = "LANG.KEY=TEXT")]
    pub by_language: Vec<String>,
    /// central.url: the council's GeoReport v2 base URL (https).
    #[arg(long, value_name = "URL", conflicts_with = "offline")]
    pub central_url: Option<String>,
    /// central.api_key_file: the file holding the API key (default /etc/guichet/api-key).
    #[arg(long, value_name = "FILE", conflicts_with = "offline")]
    pub api_key_file: Option<PathBuf>,
    /// Read the API key from stdin and write it to the API key file (0640).
    #[arg(long, conflicts_with = "offline")]
    pub api_key_stdin: bool,
    /// central.kind = "none": no central system; submissions stay on the kiosk.
    #[arg(long)]
    pub offline: bool,
    /// central.jurisdiction_id: only where one server serves several jurisdictions.
    #[arg(long, value_name = "J", conflicts_with = "offline")]
    pub jurisdiction_id: Option<String>,
    /// central.allow_insecure_http: accept a plain http:// URL (tests against a local server only).
    #[arg(long, conflicts_with = "offline")]
    pub allow_insecure_http: bool,
    /// central.extra_ca_file: a PEM CA certificate trusted beside the system's.
    #[arg(long, value_name = "FILE", conflicts_with = "offline")]
    pub extra_ca_file: Option<PathBuf>,
    /// central.sync_interval_s: seconds between sync rounds (5–3600, default 60).
    #[arg(long, value_name = "N", conflicts_with = "offline")]
    pub sync_interval_s: Option<u32>,
    /// central.status_url: where residents follow a request, with {reference} in it.
    #[arg(long, value_name = "URL")]
    pub status_url: Option<String>,
    /// printer.port: /dev/ttyUSB0, file:PATH or none.
    #[arg(long, value_name = "P")]
    pub printer_port: Option<String>,
    /// printer.baud: the printer's serial speed.
    #[arg(long, value_name = "N")]
    pub baud: Option<u32>,
    /// printer.flow_control: none, software or hardware.
    #[arg(long, value_name = "F")]
    pub flow_control: Option<String>,
    /// printer.profile: see `guichet printer profiles`.
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,
    /// ui.languages: the languages offered, first = default (e.g. en,fr,ar).
    #[arg(long, value_name = "L,L,...")]
    pub languages: Option<String>,
    /// ui.idle_timeout_s: seconds without a touch before "do you need more time?" (30–1800).
    #[arg(long, value_name = "N")]
    pub idle_timeout_s: Option<u32>,
    /// ui.catch_all_service: the service code "My problem is not listed" leads to.
    #[arg(long, value_name = "CODE")]
    pub catch_all_service: Option<String>,
    /// ui.screen_width_mm: the panel's visible width in millimetres (sizes in real mm).
    #[arg(long, value_name = "MM")]
    pub screen_width_mm: Option<f32>,
    /// ui.speech_headset: speech mode's sound goes to a headset or handset only, so typed
    /// answers may be read back.
    #[arg(long)]
    pub speech_headset: bool,
    /// ui.speech_mixer_db: the loudspeaker's mixer level in dB (-60 to 12), set when the kiosk
    /// starts; measured at installation.
    #[arg(long, value_name = "DB", allow_negative_numbers = true)]
    pub speech_mixer_db: Option<f32>,
    /// ui.speech_mixer_control: the mixer control it sets (default Master).
    #[arg(long, value_name = "NAME")]
    pub speech_mixer_control: Option<String>,
    /// ui.blank_after_s: seconds idle on the welcome screen before the screen blanks (0 never,
    /// else 60–86400; default 600).
    #[arg(long, value_name = "N")]
    pub blank_after_s: Option<u32>,
    /// ui.rotation: how the screen is mounted, 0, 90, 180 or 270 degrees clockwise.
    #[arg(long, value_name = "DEG")]
    pub rotation: Option<u16>,
    /// privacy.retention_days: days personal data is kept after acceptance (0–90, default 7).
    #[arg(long, value_name = "N")]
    pub retention_days: Option<u32>,
    /// privacy.notice: a file holding the council's own privacy notice (at most 1,000
    /// characters), shown instead of the standard one.
    #[arg(long, value_name = "FILE")]
    pub privacy_notice_file: Option<PathBuf>,
    /// privacy.key_file: the data key's file (default: guichet.key in the data dir).
    #[arg(long, value_name = "FILE")]
    pub key_file: Option<PathBuf>,
    /// privacy.sealed_key_file: where the data key sealed to the TPM is kept (default
    /// /var/lib/guichet-credstore/guichet-data-key.cred).
    #[arg(long, value_name = "FILE")]
    pub sealed_key_file: Option<PathBuf>,
    /// fleet.textfile: where the Prometheus metrics are written for node_exporter (absolute,
    /// ending in .prom; default /var/lib/prometheus/node-exporter/guichet.prom).
    #[arg(long, value_name = "PATH")]
    pub fleet_textfile: Option<PathBuf>,
    /// fleet.heartbeat_url: where the signed status heartbeat is pushed (https).
    #[arg(long, value_name = "URL")]
    pub heartbeat_url: Option<String>,
    /// help.notify_url: where "Ask for help" is announced to staff, as a JSON POST (https).
    #[arg(long, value_name = "URL")]
    pub help_notify_url: Option<String>,
    /// Where to write the configuration.
    #[arg(long, value_name = "PATH", default_value = SYSTEM_CONFIG_PATH)]
    pub out: PathBuf,
    /// The udev rule that turns touches with the picture for ui.rotation (written, or removed at 0).
    #[arg(long, value_name = "PATH", default_value = super::touch::SYSTEM_RULE_PATH)]
    pub touch_rule: PathBuf,
    /// Use the device code even though the data dir holds another code's references.
    #[arg(long)]
    pub force: bool,
}

/// Asks for what the flags left out, on a terminal only.
struct Prompter {
    interactive: bool,
}

impl Prompter {
    /// The flag's value, else (on a terminal) the answer to a question, else `default`;
    /// `Err` when there is no default and no terminal to ask on.
    fn text(
        &self,
        given: Option<String>,
        flag: &str,
        question: &str,
        why: &str,
        default: Option<&str>,
    ) -> Result<String, CliError> {
        if let Some(v) = given {
            return Ok(v);
        }
        if !self.interactive {
            return match default {
                Some(d) => Ok(d.to_string()),
                None => fail(format!("{flag} is required ({why})")),
            };
        }
        let mut err = std::io::stderr();
        let _ = writeln!(err, "{question}: {why}");
        match default {
            Some("") => {
                let _ = write!(err, "  (Enter: leave empty) > ");
            }
            Some(d) => {
                let _ = write!(err, "  [{d}] > ");
            }
            None => {
                let _ = write!(err, "  > ");
            }
        }
        let _ = err.flush();
        let mut line = String::new();
        let read = std::io::stdin().lock().read_line(&mut line)?;
        if read == 0 {
            return fail(format!("{flag}: no answer (end of input)"));
        }
        let answer = line.trim();
        match (answer.is_empty(), default) {
            (true, Some(d)) => Ok(d.to_string()),
            (true, None) => fail(format!("{flag} is required ({why})")),
            (false, _) => Ok(answer.to_string()),
        }
    }

    fn number(
        &self,
        given: Option<u32>,
        flag: &str,
        question: &str,
        why: &str,
        default: u32,
    ) -> Result<u32, CliError> {
        let text = self.text(
            given.map(|n| n.to_string()),
            flag,
            question,
            why,
            Some(&default.to_string()),
        )?;
        text.parse()
            .or_else(|_| fail(format!("{flag} {text:?}: a whole number")))
    }
}

/// The flag that sets a configuration key, for error messages.
fn flag_for(key: &str) -> &'static str {
    match key {
        "device.code" => "--code",
        "device.site" => "--site",
        "device.council" => "--council",
        "device.help_contact" => "--help-contact",
        "device.help_hours" => "--help-hours",
        "device.response_days" => "--response-days",
        k if k.starts_with("device.by_language") => "--by-language",
        "central.url" => "--central-url",
        "central.api_key_file" => "--api-key-file",
        "central.jurisdiction_id" => "--jurisdiction-id",
        "central.sync_interval_s" => "--sync-interval-s",
        "central.status_url" => "--status-url",
        "printer.port" => "--printer-port",
        "printer.baud" => "--baud",
        "printer.profile" => "--profile",
        "ui.languages" => "--languages",
        "ui.idle_timeout_s" => "--idle-timeout-s",
        "ui.catch_all_service" => "--catch-all-service",
        "ui.screen_width_mm" => "--screen-width-mm",
        "ui.speech_headset" => "--speech-headset",
        "ui.speech_mixer_db" => "--speech-mixer-db",
        "ui.speech_mixer_control" => "--speech-mixer-control",
        "ui.blank_after_s" => "--blank-after-s",
        "ui.rotation" => "--rotation",
        "privacy.retention_days" => "--retention-days",
        "privacy.key_file" => "--key-file",
        "privacy.sealed_key_file" => "--sealed-key-file",
        "privacy.notice" => "--privacy-notice-file",
        "fleet.textfile" => "--fleet-textfile",
        "fleet.heartbeat_url" => "--heartbeat-url",
        "help.notify_url" => "--help-notify-url",
        _ => "a value",
    }
}

/// The first serial device that looks like a receipt printer, as the default port.
fn first_serial_port() -> String {
    for prefix in ["ttyUSB", "ttyACM"] {
        for n in 0..4 {
            let path = format!("/dev/{prefix}{n}");
            if Path::new(&path).exists() {
                return path;
            }
        }
    }
    "none".into()
}

/// Gathers the configuration from the flags and, on a terminal, the answers.
fn gather(
    args: &ProvisionArgs,
    data_dir: Option<&Path>,
    ask: &Prompter,
) -> Result<Config, CliError> {
    let code = ask.text(
        args.code.clone(),
        "--code",
        "Device code",
        "2–6 of A–Z 0–9, unique in the fleet; every reference this kiosk prints starts with it",
        None,
    )?;
    let site = ask.text(
        args.site.clone(),
        "--site",
        "Site name",
        "where the kiosk stands, printed on receipts",
        None,
    )?;
    let council = ask.text(
        args.council.clone(),
        "--council",
        "Council name",
        "shown on the confirmation screen and the receipt",
        Some(""),
    )?;
    let help_contact = ask.text(
        args.help_contact.clone(),
        "--help-contact",
        "Help contact",
        "how residents reach the council about a request, e.g. a phone number",
        Some(""),
    )?;
    let central = if args.offline {
        CentralConfig {
            kind: CentralKind::None,
            status_url: args.status_url.clone(),
            ..CentralConfig::default()
        }
    } else {
        let url = ask.text(
            args.central_url.clone(),
            "--central-url (or --offline)",
            "Central system URL",
            "the council's Open311 GeoReport v2 base URL; \"none\" to keep submissions on the kiosk",
            None,
        )?;
        if url == "none" {
            CentralConfig {
                kind: CentralKind::None,
                status_url: args.status_url.clone(),
                ..CentralConfig::default()
            }
        } else {
            let key_file = ask.text(
                args.api_key_file
                    .as_ref()
                    .map(|p| p.to_string_lossy().into_owned()),
                "--api-key-file",
                "API key file",
                "the file holding the key the council issued for this kiosk",
                Some("/etc/guichet/api-key"),
            )?;
            let jurisdiction = ask.text(
                args.jurisdiction_id.clone(),
                "--jurisdiction-id",
                "Jurisdiction id",
                "only where one server serves several councils; empty otherwise",
                Some(""),
            )?;
            CentralConfig {
                kind: CentralKind::Open311,
                url: Some(url),
                api_key_file: Some(PathBuf::from(key_file)),
                jurisdiction_id: Some(jurisdiction).filter(|j| !j.is_empty()),
                allow_insecure_http: args.allow_insecure_http,
                extra_ca_file: args.extra_ca_file.clone(),
                sync_interval_s: args.sync_interval_s,
                status_url: args.status_url.clone(),
            }
        }
    };
    let port = ask.text(
        args.printer_port.clone(),
        "--printer-port",
        "Printer port",
        "the receipt printer's serial device, \"file:PATH\" to write receipts to files, or \"none\"",
        Some(&first_serial_port()),
    )?;
    let serial = port != "none" && !port.starts_with("file:");
    let ask_serial = Prompter {
        interactive: ask.interactive && serial,
    };
    let baud = ask_serial.number(
        args.baud,
        "--baud",
        "Printer speed",
        "the serial speed printed on the printer's self-test page",
        19200,
    )?;
    let flow = ask_serial.text(
        args.flow_control.clone(),
        "--flow-control",
        "Flow control",
        "none, software (XON/XOFF) or hardware (RTS/CTS), as on the self-test page",
        Some("none"),
    )?;
    let flow_control = match flow.as_str() {
        "none" => FlowControl::None,
        "software" => FlowControl::Software,
        "hardware" => FlowControl::Hardware,
        other => {
            return fail(format!(
                "--flow-control {other:?}: none, software or hardware"
            ));
        }
    };
    let profile = ask.text(
        args.profile.clone(),
        "--profile",
        "Printer profile",
        &format!(
            "the printer's capabilities, one of {}",
            crate::printer::profile::Profile::names().join(", ")
        ),
        Some("default"),
    )?;
    let languages = ask.text(
        args.languages.clone(),
        "--languages",
        "Languages",
        &format!(
            "offered on the welcome screen, first = default, from {}",
            crate::i18n::SUPPORTED_LOCALES.join(",")
        ),
        Some(&crate::i18n::SUPPORTED_LOCALES.join(",")),
    )?;
    let idle_timeout_s = ask.number(
        args.idle_timeout_s,
        "--idle-timeout-s",
        "Idle timeout",
        "seconds without a touch before the kiosk asks \"do you need more time?\"",
        120,
    )?;
    Ok(Config {
        device: DeviceConfig {
            code,
            site,
            data_dir: data_dir.map(Path::to_path_buf),
            council,
            help_contact,
            help_hours: args.help_hours.clone().unwrap_or_default(),
            response_days: args.response_days,
            by_language: by_language(&args.by_language)?,
        },
        central,
        printer: PrinterConfig {
            port,
            baud,
            flow_control,
            profile,
        },
        ui: UiConfig {
            languages: languages
                .split(',')
                .map(|l| l.trim().to_string())
                .filter(|l| !l.is_empty())
                .collect(),
            idle_timeout_s,
            catch_all_service: args.catch_all_service.clone(),
            screen_width_mm: args.screen_width_mm,
            speech_headset: args.speech_headset,
            speech_mixer_db: args.speech_mixer_db,
            speech_mixer_control: args.speech_mixer_control.clone(),
            blank_after_s: args
                .blank_after_s
                .unwrap_or(UiConfig::default().blank_after_s),
            rotation: args.rotation.unwrap_or(0),
        },
        privacy: PrivacyConfig {
            retention_days: args
                .retention_days
                .unwrap_or(PrivacyConfig::default().retention_days),
            key_file: args.key_file.clone(),
            sealed_key_file: args.sealed_key_file.clone(),
            notice: args
                .privacy_notice_file
                .as_deref()
                .map(read_notice)
                .transpose()?,
        },
        fleet: FleetConfig {
            textfile: args
                .fleet_textfile
                .clone()
                .unwrap_or_else(|| FleetConfig::default().textfile),
            heartbeat_url: args.heartbeat_url.clone(),
        },
        help: crate::config::HelpConfig {
            notify_url: args.help_notify_url.clone(),
        },
    })
}

/// The privacy notice's text from its file (bounded: the configuration checks its length).
fn read_notice(path: &Path) -> Result<String, CliError> {
    let bytes = crate::fsutil::read_bounded(path, 16 * 1024).map_err(|e| {
        CliError(format!(
            "--privacy-notice-file {}: {e}; nothing written",
            path.display()
        ))
    })?;
    let text = String::from_utf8(bytes).map_err(|_| {
        CliError(format!(
            "--privacy-notice-file {}: not UTF-8 text; nothing written",
            path.display()
        ))
    })?;
    Ok(text.trim().to_string())
}

/// `LANG.KEY=TEXT` flags as `[device.by_language.LANG]` tables (the values are checked with the
/// rest of the configuration).
fn by_language(
    given: &[String],
) -> Result<std::collections::BTreeMap<String, crate::config::DeviceTexts>, CliError> {
    let mut tables = std::collections::BTreeMap::<String, crate::config::DeviceTexts>::new();
    for item in given {
        let parsed = item
            .split_once('=')
            .and_then(|(key, text)| key.split_once('.').map(|(lang, key)| (lang, key, text)));
        let Some((lang, key, text)) = parsed else {
            return fail(format!(
                "--by-language {item:?}: LANG.KEY=TEXT, KEY one of council, site, help_hours; nothing written"
            ));
        };
        let table = tables.entry(lang.to_string()).or_default();
        let slot = match key {
            "council" => &mut table.council,
            "site" => &mut table.site,
            "help_hours" => &mut table.help_hours,
            _ => {
                return fail(format!(
                    "--by-language {item:?}: KEY is council, site or help_hours; nothing written"
                ));
            }
        };
        *slot = Some(text.to_string());
    }
    Ok(tables)
}

/// The configuration as the file will hold it, checked exactly as the kiosk will load it.
fn render(config: &Config) -> Result<String, CliError> {
    let body = toml::to_string(config).map_err(|e| CliError(format!("cannot write TOML: {e}")))?;
    let text = format!(
        "# Written by `guichet provision` (version {}). Keys: see the project's INTERFACE.md;\n# check with `guichet doctor` after any change.\n{body}",
        env!("CARGO_PKG_VERSION")
    );
    match Config::parse(&text, &ConfigSource::File("provision".into())) {
        Ok(_) => Ok(text),
        Err(ConfigError::Value {
            key,
            value,
            allowed,
            ..
        }) => fail(format!(
            "{} {value}: {allowed}; nothing written",
            flag_for(&key)
        )),
        Err(e) => fail(format!("{e}; nothing written")),
    }
}

/// Refuses a code whose data dir already issued references under another code.
fn reuse_guard(code: &str, data_dir: &Path, force: bool) -> Result<(), CliError> {
    let codes = crate::queue::issued_device_codes(data_dir).map_err(|e| {
        CliError(format!(
            "cannot read the existing database in {}: {e}; nothing written",
            data_dir.display()
        ))
    })?;
    let others: Vec<&str> = codes
        .iter()
        .map(String::as_str)
        .filter(|c| *c != code)
        .collect();
    if others.is_empty() || force {
        return Ok(());
    }
    fail(format!(
        "the data dir {} already holds references of device {}: give this kiosk that code, or another data dir, or --force if {code} is truly new to the fleet and {} will never issue again; nothing written",
        data_dir.display(),
        others.join(", "),
        others.join(", ")
    ))
}

/// Reads the API key from stdin: one line, printable, bounded.
fn read_api_key() -> Result<String, CliError> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::io::stdin()
        .lock()
        .take(MAX_API_KEY_BYTES as u64 + 1)
        .read_to_end(&mut bytes)?;
    let text = String::from_utf8(bytes)
        .or_else(|_| fail("--api-key-stdin: the key is not UTF-8 text; nothing written"))?;
    let key = text.trim();
    if key.is_empty() || key.len() > MAX_API_KEY_BYTES || key.chars().any(char::is_control) {
        return fail(format!(
            "--api-key-stdin: the key must be one line of 1 to {MAX_API_KEY_BYTES} printable characters; nothing written"
        ));
    }
    Ok(key.to_string())
}

/// The group files are given when run as root and a `guichet` group exists.
fn file_group() -> Option<u32> {
    // SAFETY: geteuid has no preconditions and cannot fail.
    let root = unsafe { libc::geteuid() } == 0;
    root.then(|| crate::fsutil::group_id(CONFIG_GROUP))
        .flatten()
}

fn ensure_parent(path: &Path, group: Option<u32>) -> Result<(), CliError> {
    use std::os::unix::fs::DirBuilderExt;
    let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) else {
        return Ok(());
    };
    if dir.exists() {
        return Ok(());
    }
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o750)
        .create(dir)
        .map_err(|e| CliError(format!("cannot create {}: {e}", dir.display())))?;
    if let Some(gid) = group {
        std::os::unix::fs::chown(dir, None, Some(gid))?;
    }
    Ok(())
}

/// Runs `guichet provision`; `data_dir` is the global `--data-dir`.
pub(super) fn run(args: ProvisionArgs, data_dir: Option<&Path>) -> Result<(), CliError> {
    let interactive = std::io::stdin().is_terminal() && !args.api_key_stdin;
    let ask = Prompter { interactive };
    let config = gather(&args, data_dir, &ask)?;
    let text = render(&config)?;
    if crate::printer::profile::Profile::named(&config.printer.profile).is_none() {
        return fail(format!(
            "--profile {:?}: one of {}; nothing written",
            config.printer.profile,
            crate::printer::profile::Profile::names().join(", ")
        ));
    }
    let effective_dir = config.data_dir(data_dir, &ConfigSource::File(args.out.clone()));
    reuse_guard(&config.device.code, &effective_dir, args.force)?;

    let group = file_group();
    // The API key: from stdin into a private temporary file for the check, else the file given.
    let mut staged_key: Option<(PathBuf, PathBuf, String)> = None;
    let mut probe_central = config.central.clone();
    let target = config
        .central
        .api_key_file
        .clone()
        .unwrap_or_else(|| PathBuf::from("/etc/guichet/api-key"));
    let ask_key = interactive && !target.exists();
    if config.has_central() && (args.api_key_stdin || ask_key) {
        let key = if args.api_key_stdin {
            read_api_key()?
        } else {
            let key = ask.text(
                None,
                "--api-key-stdin",
                "API key",
                &format!(
                    "the key the council issued for this kiosk, to be kept in {} (0640)",
                    target.display()
                ),
                None,
            )?;
            if key.chars().any(char::is_control) || key.len() > MAX_API_KEY_BYTES {
                return fail(
                    "the API key must be one line of printable characters; nothing written",
                );
            }
            key
        };
        let scratch =
            std::env::temp_dir().join(format!("guichet-provision-{}.key", std::process::id()));
        crate::fsutil::write_atomic(&scratch, format!("{key}\n").as_bytes(), 0o600, None)?;
        probe_central.api_key_file = Some(scratch.clone());
        staged_key = Some((scratch, target, key));
    }
    let result = (|| {
        if config.has_central() {
            let found = probe::central(&probe_central).map_err(|p| {
                CliError(format!(
                    "--central-url: {} ({}); nothing written",
                    p.detail, p.hint
                ))
            })?;
            eprintln!("central: {found}");
        }
        match probe::printer(&config, &effective_dir) {
            Ok(found) => eprintln!("printer: {found}"),
            Err(p) if p.not_connected => {
                return fail(format!(
                    "--printer-port: {} ({}); nothing written",
                    p.problem.detail, p.problem.hint
                ));
            }
            // It answered: a missing paper roll is not a reason to refuse the configuration.
            Err(p) => eprintln!("printer: {} ({})", p.problem.detail, p.problem.hint),
        }
        Ok(())
    })();
    if let Some((scratch, ..)) = &staged_key {
        let _ = std::fs::remove_file(scratch);
    }
    result?;

    // Everything checked: write the key, then the configuration that names it.
    if let Some((_, target, key)) = &staged_key {
        ensure_parent(target, group)?;
        crate::fsutil::write_atomic(target, format!("{key}\n").as_bytes(), 0o640, group)
            .map_err(|e| CliError(format!("cannot write {}: {e}", target.display())))?;
        eprintln!("wrote {} (0640)", target.display());
    } else if let Some(key_file) = config
        .central
        .api_key_file
        .as_ref()
        .filter(|_| config.has_central())
    {
        tighten(key_file, group)?;
    }
    ensure_parent(&args.out, group)?;
    crate::fsutil::write_atomic(&args.out, text.as_bytes(), 0o640, group)
        .map_err(|e| CliError(format!("cannot write {}: {e}", args.out.display())))?;
    // Touch turned with the picture (cage turns only the picture): the udev rule follows. The
    // configuration is written and good whatever happens here (e.g. a read-only /etc): say what
    // to do instead of failing.
    if let Err(e) = super::touch::sync_and_report(&args.touch_rule, config.ui.rotation) {
        eprintln!(
            "touch rule not written ({}): touches on a turned screen will land away from the \
             finger; see `guichet touch-rule --help`",
            e.0
        );
    }
    println!(
        "wrote {} for device {} ({}); next: `guichet doctor`, then reboot",
        args.out.display(),
        config.device.code,
        config.device.site
    );
    Ok(())
}

/// An existing API key file readable by others is narrowed to 0640 (and group `guichet`).
fn tighten(path: &Path, group: Option<u32>) -> Result<(), CliError> {
    use std::os::unix::fs::PermissionsExt;
    let meta = std::fs::metadata(path)
        .map_err(|e| CliError(format!("--api-key-file {}: {e}", path.display())))?;
    if meta.permissions().mode() & 0o137 != 0 {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o640))?;
        eprintln!("{}: permissions narrowed to 0640", path.display());
    }
    if let Some(gid) = group {
        std::os::unix::fs::chown(path, None, Some(gid))?;
    }
    Ok(())
}
