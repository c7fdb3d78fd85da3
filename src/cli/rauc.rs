//! RAUC's command line as `guichet health` uses it: `rauc status --output-format=json` to learn
//! which slot is booted and whether it is on trial, `rauc status mark-good booted` /
//! `mark-bad booted` to decide. Why the CLI and not RAUC's D-Bus API: the CLI is RAUC's stable
//! interface, talks to the RAUC service over D-Bus itself, and a faithful fake of it (a script on
//! `PATH`, `tests/fixtures/fake-rauc/`) lets the tests run the real decision without a bootloader.
//!
//! Everything RAUC prints is outside data: read up to [`MAX_OUTPUT`], within [`TIMEOUT`], and
//! parsed into the few fields used; anything else is ignored.

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The most RAUC may print for one call (a status of a few slots is about 2 KiB).
const MAX_OUTPUT: u64 = 256 * 1024;
/// How long one call may take (RAUC answers over D-Bus in well under a second).
const TIMEOUT: Duration = Duration::from_secs(60);
/// Longest slot name or status word kept.
const MAX_WORD: usize = 64;

/// What can go wrong talking to RAUC.
#[derive(Debug, thiserror::Error)]
pub enum RaucError {
    /// `rauc` could not be run at all.
    #[error("cannot run {program}: {source} (is RAUC installed? apt install rauc)")]
    Spawn {
        /// The program.
        program: String,
        /// Why.
        source: std::io::Error,
    },
    /// It ran and failed.
    #[error("`rauc {args}` failed: {stderr}")]
    Failed {
        /// The arguments.
        args: String,
        /// Its first line of errors.
        stderr: String,
    },
    /// It did not answer in time.
    #[error("`rauc {0}` did not answer within {TIMEOUT:?}")]
    Timeout(String),
    /// Its answer is not what RAUC prints.
    #[error("unexpected answer from `rauc status`: {0}")]
    Unreadable(String),
}

/// One slot of `rauc status`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Slot {
    /// RAUC's name, e.g. `rootfs.1`.
    pub name: String,
    /// Its class, e.g. `rootfs`.
    pub class: String,
    /// The bootloader's name for it, e.g. `B`.
    pub bootname: Option<String>,
    /// `booted`, `active` or `inactive`.
    pub state: String,
    /// What the bootloader says: `good`, `bad`, or nothing for slots it does not boot.
    pub boot_status: Option<String>,
}

impl Slot {
    /// The bootloader will boot it again (marked good, not on trial).
    pub fn is_good(&self) -> bool {
        self.boot_status.as_deref() == Some("good")
    }
}

/// `rauc status`, the parts used.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Status {
    /// Every slot, in RAUC's order.
    pub slots: Vec<Slot>,
}

impl Status {
    /// The slot the system runs from.
    pub fn booted(&self) -> Option<&Slot> {
        self.slots.iter().find(|s| s.state == "booted")
    }

    /// Another bootable slot of the booted one's class that the bootloader would boot: where a
    /// rollback goes.
    pub fn fallback(&self) -> Option<&Slot> {
        let booted = self.booted()?;
        self.slots.iter().find(|s| {
            s.name != booted.name && s.class == booted.class && s.bootname.is_some() && s.is_good()
        })
    }
}

/// Parses `rauc status --output-format=json`:
/// `{"booted": "A", "boot_primary": "rootfs.0", "slots": [{"rootfs.0": {"class": …, "bootname": …,
/// "state": …, "boot_status": …}}, …]}`.
pub fn parse_status(json: &str) -> Result<Status, RaucError> {
    let bad = |why: &str| RaucError::Unreadable(why.to_string());
    let value: serde_json::Value =
        serde_json::from_str(json).map_err(|e| RaucError::Unreadable(e.to_string()))?;
    let word = |v: Option<&serde_json::Value>| -> Option<String> {
        v.and_then(|v| v.as_str())
            .filter(|s| s.len() <= MAX_WORD && !s.chars().any(char::is_control))
            .map(String::from)
    };
    let mut slots = Vec::new();
    for entry in value
        .get("slots")
        .and_then(|s| s.as_array())
        .ok_or_else(|| bad("no list of slots"))?
        .iter()
        .take(64)
    {
        let map = entry
            .as_object()
            .ok_or_else(|| bad("a slot is not an object"))?;
        for (name, slot) in map.iter().take(1) {
            if name.len() > MAX_WORD || name.chars().any(char::is_control) {
                return Err(bad("a slot name is too long"));
            }
            slots.push(Slot {
                name: name.clone(),
                class: word(slot.get("class")).unwrap_or_default(),
                bootname: word(slot.get("bootname")),
                state: word(slot.get("state")).ok_or_else(|| bad("a slot has no state"))?,
                boot_status: word(slot.get("boot_status")),
            });
        }
    }
    Ok(Status { slots })
}

/// Runs `rauc ARGS` with a bounded output and a timeout; its stdout on success.
fn run(args: &[&str]) -> Result<String, RaucError> {
    let program = "rauc";
    let joined = args.join(" ");
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|source| RaucError::Spawn {
            program: program.into(),
            source,
        })?;
    let reader = |pipe: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            if let Some(pipe) = pipe {
                let _ = pipe.take(MAX_OUTPUT).read_to_end(&mut bytes);
            }
            String::from_utf8_lossy(&bytes).into_owned()
        })
    };
    let stdout = reader(
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let stderr = reader(
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let start = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if start.elapsed() < TIMEOUT => std::thread::sleep(Duration::from_millis(20)),
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(RaucError::Timeout(joined));
            }
        }
    };
    let out = stdout.join().unwrap_or_default();
    let err = stderr.join().unwrap_or_default();
    if !status.success() {
        let line = err
            .lines()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("no message")
            .chars()
            .filter(|c| !c.is_control())
            .take(200)
            .collect();
        return Err(RaucError::Failed {
            args: joined,
            stderr: line,
        });
    }
    Ok(out)
}

/// `rauc status --output-format=json`.
pub fn status() -> Result<Status, RaucError> {
    parse_status(&run(&["status", "--output-format=json"])?)
}

/// `rauc status mark-good booted` (`good`) or `mark-bad booted`.
pub fn mark_booted(good: bool) -> Result<(), RaucError> {
    let verb = if good { "mark-good" } else { "mark-bad" };
    run(&["status", verb, "booted"]).map(|_| ())
}

/// Whether `program` can be found on `PATH` (to say clearly that RAUC is not installed).
pub fn installed() -> bool {
    std::env::var_os("PATH").is_some_and(|path| {
        std::env::split_paths(&path).any(|dir| Path::new(&dir).join("rauc").is_file())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What RAUC 1.8 prints on a kiosk booted into slot B on trial (GRUB backend: B_TRY=1).
    const ON_TRIAL: &str = r#"{"compatible":"guichet-kiosk-amd64","variant":"","booted":"B",
      "boot_primary":"rootfs.0","slots":[
      {"rootfs.0":{"class":"rootfs","device":"/dev/disk/by-partlabel/root-a","type":"ext4",
        "bootname":"A","state":"inactive","parent":null,"mountpoint":null,"boot_status":"good"}},
      {"rootfs.1":{"class":"rootfs","device":"/dev/disk/by-partlabel/root-b","type":"ext4",
        "bootname":"B","state":"booted","parent":null,"mountpoint":"/","boot_status":"bad"}},
      {"efi.0":{"class":"efi","device":"/dev/disk/by-partlabel/esp","type":"vfat",
        "bootname":null,"state":"inactive","parent":null,"mountpoint":null,"boot_status":null}}]}"#;

    #[test]
    fn the_booted_slot_and_where_a_rollback_goes() {
        let status = parse_status(ON_TRIAL).unwrap();
        let booted = status.booted().unwrap();
        assert_eq!(
            (booted.name.as_str(), booted.is_good()),
            ("rootfs.1", false)
        );
        assert_eq!(status.fallback().unwrap().name, "rootfs.0");
        let no_fallback = ON_TRIAL.replacen(r#""boot_status":"good""#, r#""boot_status":"bad""#, 1);
        assert!(parse_status(&no_fallback).unwrap().fallback().is_none());
    }

    #[test]
    fn unexpected_answers_are_refused_not_guessed() {
        for text in ["", "[]", r#"{"slots": 3}"#, r#"{"slots": [{"a": {}}]}"#] {
            assert!(parse_status(text).is_err(), "{text}");
        }
        let long = format!(
            r#"{{"slots": [{{"{}": {{"state": "booted"}}}}]}}"#,
            "x".repeat(100)
        );
        assert!(parse_status(&long).is_err());
    }
}
