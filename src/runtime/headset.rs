//! Is a headset plugged in? Speech mode reads personal data (typed answers, contact details)
//! only into a headset or handset (EN 301 549 5.1.3.9), so the kiosk must know where its sound
//! goes. Linux tells through ALSA's jack controls: every card listed in `/proc/asound/cards`
//! has, when its codec senses the socket, a boolean control named like "Headphone Jack" or
//! "Headset Mic Jack" (interface CARD), which `amixer -c N contents` prints with its value.
//! A watcher thread asks every two seconds and keeps the answer in an `AtomicBool` that speech
//! mode reads ([`crate::flow::speech::SpeechSettings::headset_jack`]). `ui.speech_headset =
//! true` stays the technician's override (a handset wired without jack sensing): then the
//! kiosk always counts on private listening. Without ALSA, amixer or a sensing socket, the
//! answer is "no headset": personal data stays hidden.
//!
//! Some boards' sound drivers (many Arm SoC "machine" drivers) report their socket only as an
//! input device's switch, `SW_HEADPHONE_INSERT`, with no ALSA control: those are found through
//! sysfs (`/sys/class/input/eventN/device/capabilities/sw`) and read with the `EVIOCGSW`
//! ioctl on `/dev/input/eventN` (the kiosk's unit allows the input devices; its user is in the
//! `input` group). Either way counts.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// Where the watcher looks: the `/proc`, `/sys` and `/dev` roots and the `amixer` program
/// (tests give fixture directories and a fake amixer laid out like the real ones).
#[derive(Debug, Clone)]
pub struct JackSource {
    /// Holds `asound/cards`.
    pub proc_root: PathBuf,
    /// The `amixer` program.
    pub amixer: PathBuf,
    /// Holds `class/input/eventN/device/capabilities/sw`.
    pub sys_root: PathBuf,
    /// Holds `input/eventN`.
    pub dev_root: PathBuf,
}

impl Default for JackSource {
    fn default() -> JackSource {
        JackSource {
            proc_root: PathBuf::from("/proc"),
            amixer: PathBuf::from("amixer"),
            sys_root: PathBuf::from("/sys"),
            dev_root: PathBuf::from("/dev"),
        }
    }
}

/// `SW_HEADPHONE_INSERT` (linux/input-event-codes.h): set while a plug is in the socket.
const SW_HEADPHONE_INSERT: usize = 0x02;

/// Bytes of switch state asked for: `SW_MAX` is 0x10, so 17 bits; one long's worth.
const SW_BYTES: usize = 8;

/// `EVIOCGSW(len)` = `_IOC(_IOC_READ, 'E', 0x1b, len)` (linux/input.h): reads every switch's
/// state. The generic ioctl encoding, the same on x86-64 and arm64.
pub const fn eviocgsw(len: usize) -> u64 {
    (2 << 30) | ((len as u64 & 0x3fff) << 16) | ((b'E' as u64) << 8) | 0x1b
}

/// Whether a sysfs `capabilities/sw` bitmap has the headphone switch. The kernel prints the
/// bitmap as hexadecimal longs, most significant first, so the low bits are in the last word.
pub fn has_headphone_switch(bitmap: &str) -> bool {
    bitmap
        .split_whitespace()
        .last()
        .filter(|w| w.len() <= 16)
        .and_then(|w| u64::from_str_radix(w, 16).ok())
        .is_some_and(|w| w & (1 << SW_HEADPHONE_INSERT) != 0)
}

/// The input devices (`eventN`) whose switches include a headphone socket. At most 64 looked at.
pub fn headphone_switches(sys_root: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(sys_root.join("class/input")) else {
        return Vec::new();
    };
    let mut found: Vec<String> = entries
        .filter_map(Result::ok)
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|name| {
            name.strip_prefix("event").is_some_and(|n| {
                !n.is_empty() && n.len() <= 4 && n.bytes().all(|b| b.is_ascii_digit())
            })
        })
        .take(64)
        .filter(|name| {
            std::fs::read_to_string(
                sys_root
                    .join("class/input")
                    .join(name)
                    .join("device/capabilities/sw"),
            )
            .is_ok_and(|bits| has_headphone_switch(&bits))
        })
        .collect();
    found.sort();
    found
}

/// The headphone switch of one input device, read with `EVIOCGSW`; `None` when the device
/// cannot be opened or is not an input device (the ioctl fails).
pub fn headphone_switch_on(device: &Path) -> Option<bool> {
    use std::os::fd::AsRawFd as _;
    let file = std::fs::File::open(device).ok()?;
    let mut bits = [0u8; SW_BYTES];
    // SAFETY: EVIOCGSW writes at most `SW_BYTES` bytes (the length is in the request) into
    // `bits`, which lives until the call returns; the descriptor is open for the call.
    let done = unsafe {
        libc::ioctl(
            file.as_raw_fd(),
            eviocgsw(SW_BYTES) as libc::Ioctl,
            bits.as_mut_ptr(),
        )
    };
    // The kernel fills an array of longs in the machine's order: little-endian on our targets,
    // so bit n is in byte n / 8.
    (done >= 0).then(|| bits[SW_HEADPHONE_INSERT / 8] & (1 << (SW_HEADPHONE_INSERT % 8)) != 0)
}

/// Whether any input device's headphone switch says a plug is in.
pub fn switch_plugged(source: &JackSource) -> bool {
    headphone_switches(&source.sys_root)
        .iter()
        .any(|name| headphone_switch_on(&source.dev_root.join("input").join(name)) == Some(true))
}

/// The card numbers in `/proc/asound/cards` (" 0 [PCH            ]: HDA-Intel - …" lines;
/// the description's second line starts with spaces and no number). At most 32 cards.
pub fn parse_cards(text: &str) -> Vec<u32> {
    text.lines()
        .filter_map(|line| {
            let first = line.split_whitespace().next()?;
            let rest = line.trim_start().strip_prefix(first)?;
            if !rest.trim_start().starts_with('[') {
                return None;
            }
            first.parse::<u32>().ok().filter(|n| *n < 32)
        })
        .take(32)
        .collect()
}

/// Whether `amixer contents` output shows a headphone or headset jack that is plugged in:
/// a `name='…Jack'` control whose name mentions Headphone or Headset, followed by its
/// `: values=on` line. `None` when the card senses no such jack.
pub fn parse_jacks(text: &str) -> Option<bool> {
    let mut sensed = None;
    let mut in_jack = false;
    for line in text.lines().take(10_000) {
        let line = line.trim();
        if line.starts_with("numid=") {
            let name = line
                .split("name='")
                .nth(1)
                .and_then(|n| n.split('\'').next())
                .unwrap_or("");
            in_jack =
                name.ends_with("Jack") && (name.contains("Headphone") || name.contains("Headset"));
        } else if in_jack && let Some(values) = line.strip_prefix(": values=") {
            let on = values.split(',').any(|v| v.trim() == "on");
            sensed = Some(sensed.unwrap_or(false) || on);
            in_jack = false;
        }
    }
    sensed
}

/// Asks every card once, then every input device with a headphone switch: true when any
/// senses a plugged headphone or headset.
pub fn headset_plugged(source: &JackSource) -> bool {
    alsa_jack_plugged(source) || switch_plugged(source)
}

/// Whether any sound card's jack controls say a headphone or headset is plugged in.
pub fn alsa_jack_plugged(source: &JackSource) -> bool {
    let cards = std::fs::read_to_string(source.proc_root.join("asound/cards"))
        .map(|t| parse_cards(&t))
        .unwrap_or_default();
    cards.into_iter().any(|card| {
        std::process::Command::new(&source.amixer)
            .args(["-c", &card.to_string(), "contents"])
            .stdin(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .output()
            .ok()
            .filter(|o| o.status.success())
            .and_then(|o| parse_jacks(&String::from_utf8_lossy(&o.stdout)))
            .unwrap_or(false)
    })
}

/// Starts the watcher: the flag follows the jack every `every` (the kiosk uses 2 s).
pub fn watch(source: JackSource, every: Duration) -> Arc<AtomicBool> {
    let flag = Arc::new(AtomicBool::new(headset_plugged(&source)));
    let weak = Arc::downgrade(&flag);
    let spawned = std::thread::Builder::new()
        .name("headset".into())
        .spawn(move || {
            loop {
                std::thread::sleep(every);
                let Some(flag) = weak.upgrade() else {
                    return;
                };
                flag.store(headset_plugged(&source), Ordering::Relaxed);
            }
        });
    if let Err(e) = spawned {
        tracing::warn!("headset detection unavailable: {e}");
    }
    flag
}

/// The path of a fake `amixer` for tests: a shell script printing `fixture/amixer-cN.txt`.
#[cfg(test)]
fn fake_amixer(dir: &std::path::Path) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let path = dir.join("amixer");
    std::fs::write(
        &path,
        format!(
            "#!/bin/sh\n# amixer -c N contents\ncat \"{}/amixer-c$2.txt\" 2>/dev/null || {{ echo \"amixer: Control hw:$2 open error\" >&2; exit 1; }}\n",
            dir.display()
        ),
    )
    .expect("write fake amixer");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `/proc/asound/cards` of a kiosk PC with HDMI audio (card 0) and an HDA codec (card 1).
    const CARDS: &str = " 0 [HDMI           ]: HDA-Intel - HDA Intel HDMI
                      HDA Intel HDMI at 0xf7e14000 irq 33
 1 [PCH            ]: HDA-Intel - HDA Intel PCH
                      HDA Intel PCH at 0xf7e10000 irq 32
";

    /// `amixer -c 1 contents` on a Realtek ALC codec (trimmed), the headphone jack `state`.
    fn pch(state: &str) -> String {
        format!(
            "numid=14,iface=CARD,name='Front Headphone Jack'
  ; type=BOOLEAN,access=r-------,values=1
  : values={state}
numid=13,iface=CARD,name='Mic Jack'
  ; type=BOOLEAN,access=r-------,values=1
  : values=on
numid=2,iface=MIXER,name='Headphone Playback Switch'
  ; type=BOOLEAN,access=rw------,values=2
  : values=on,on
numid=15,iface=CARD,name='Speaker Phantom Jack'
  ; type=BOOLEAN,access=r-------,values=1
  : values=on
"
        )
    }

    const HDMI: &str = "numid=5,iface=CARD,name='HDMI/DP,pcm=3 Jack'
  ; type=BOOLEAN,access=r-------,values=1
  : values=on
";

    #[test]
    fn a_plugged_headphone_jack_is_found_through_proc_and_amixer() {
        let dir = std::env::temp_dir().join(format!("guichet-headset-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("asound")).expect("fixture dir");
        std::fs::write(dir.join("asound/cards"), CARDS).expect("cards");
        std::fs::write(dir.join("amixer-c0.txt"), HDMI).expect("card 0");
        let source = JackSource {
            proc_root: dir.clone(),
            amixer: fake_amixer(&dir),
            sys_root: dir.join("sys"),
            dev_root: dir.join("dev"),
        };
        assert_eq!(parse_cards(CARDS), vec![0, 1]);
        // Card 1 unplugged: the mic jack and the "Headphone Playback Switch" mixer control
        // being on do not count, nor the HDMI jack.
        std::fs::write(dir.join("amixer-c1.txt"), pch("off")).expect("card 1");
        assert!(!headset_plugged(&source));
        std::fs::write(dir.join("amixer-c1.txt"), pch("on")).expect("card 1");
        assert!(headset_plugged(&source));
        // The watcher follows the socket.
        let flag = watch(source.clone(), Duration::from_millis(20));
        assert!(flag.load(Ordering::Relaxed));
        std::fs::write(dir.join("amixer-c1.txt"), pch("off")).expect("card 1");
        let unplugged = (0..200).any(|_| {
            std::thread::sleep(Duration::from_millis(10));
            !flag.load(Ordering::Relaxed)
        });
        assert!(unplugged, "the watcher saw the headset unplugged");
        // No sound card, or no amixer: no headset (personal data stays hidden).
        std::fs::remove_file(dir.join("asound/cards")).expect("rm");
        assert!(!headset_plugged(&source));
        let none = JackSource {
            amixer: dir.join("no-such-amixer"),
            ..source.clone()
        };
        assert!(!headset_plugged(&none));
        assert_eq!(
            parse_jacks("numid=1,iface=CARD,name='Headset Jack'\n  : values=on\n"),
            Some(true)
        );
        assert_eq!(parse_jacks(HDMI), None);
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// An input device that reports a headphone socket, as a board's sound driver without ALSA
    /// jack controls does: found through sysfs (a fixture laid out like `/sys/class/input`),
    /// and its state asked with EVIOCGSW. No input device can be made here (no /dev/input, no
    /// uinput), so the ioctl is run on files that are not input devices: it must fail and count
    /// as "no headset", never as plugged.
    #[test]
    fn input_devices_with_a_headphone_switch_are_found_and_asked() {
        let dir = std::env::temp_dir().join(format!("guichet-switch-{}", std::process::id()));
        let class = dir.join("sys/class/input");
        for (name, sw) in [
            ("event0", "0\n"),      // a keyboard: no switches
            ("event4", "1\n"),      // a laptop lid (SW_LID)
            ("event5", "14\n"),     // "Headphone Jack" + "Mic Jack" (bits 2 and 4)
            ("event17", "0 0 4\n"), // a long bitmap: the low word last
            ("mouse0", "4\n"),      // not an event node
        ] {
            std::fs::create_dir_all(class.join(name).join("device/capabilities")).expect("fixture");
            std::fs::write(class.join(name).join("device/capabilities/sw"), sw).expect("sw");
        }
        assert_eq!(
            headphone_switches(&dir.join("sys")),
            vec!["event17", "event5"]
        );
        assert!(has_headphone_switch("fff4"));
        assert!(!has_headphone_switch("3"));
        assert!(!has_headphone_switch("zz"));
        assert!(!has_headphone_switch(""));
        // linux/input.h's EVIOCGSW(8), as the C headers compute it.
        assert_eq!(eviocgsw(8), 0x8008_451b);
        // The device nodes: a plain file (the ioctl fails: ENOTTY) and none at all.
        std::fs::create_dir_all(dir.join("dev/input")).expect("dev");
        std::fs::write(dir.join("dev/input/event5"), [0xffu8; 8]).expect("node");
        assert_eq!(headphone_switch_on(&dir.join("dev/input/event5")), None);
        assert_eq!(headphone_switch_on(&dir.join("dev/input/event17")), None);
        assert_eq!(headphone_switch_on(Path::new("/dev/null")), None);
        let source = JackSource {
            proc_root: dir.join("proc"),
            amixer: dir.join("no-such-amixer"),
            sys_root: dir.join("sys"),
            dev_root: dir.join("dev"),
        };
        assert!(!switch_plugged(&source));
        assert!(!headset_plugged(&source));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
