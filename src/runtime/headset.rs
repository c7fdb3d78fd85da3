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
//!
//! A USB headset has no jack to sense: it is a sound card of its own (driver `snd-usb-audio`,
//! "USB-Audio" in `/proc/asound/cards`) that appears when plugged in. What it is, the kernel
//! shows only in the device's USB descriptors (`/sys/class/sound/cardN/device` is its
//! AudioControl interface; the USB device above it holds `descriptors`, the raw descriptors,
//! readable by anyone): each *output terminal* of the USB Audio Class names what the sound
//! comes out of (`wTerminalType`: 0x0301 speaker, 0x0302 headphones, 0x0402 headset, …). The
//! rule, conservative on purpose: a USB card counts as private only when it has a playback
//! device and every output terminal that leaves the device is headphones (0x0302), a
//! head-mounted display's audio (0x0303), a handset (0x0401) or a headset (0x0402). A USB
//! speaker, a speakerphone, a USB sound card with a line or S/PDIF output (whatever is plugged
//! into it is unknown), a device that declares both, or descriptors that cannot be read: not
//! private. Some headsets declare a generic "speaker" terminal: those are not counted (their
//! wearer hears personal data as "hidden"), never the other way round. The product name
//! ("… Headset") is not trusted: it is free text.
//!
//! A headset counted this way must also be where the voice goes, or personal data would be
//! spoken on the loudspeaker: the watcher publishes the card ([`HeadsetWatch::usb_card`]) and
//! speech mode runs espeak-ng with `ALSA_CARD` naming it (alsa-lib's stock `default` device
//! follows `ALSA_CARD`; a kiosk with its own `/etc/asound.conf` redefining `default` must not
//! rely on this). Unplugged, the card is gone: espeak-ng then fails to open it and says
//! nothing, rather than falling back to the loudspeaker.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
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
            amixer: PathBuf::from(super::speech::AMIXER),
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
    parse_card_drivers(text)
        .into_iter()
        .map(|(n, _)| n)
        .collect()
}

/// The cards of `/proc/asound/cards` with their driver's name (" 2 [Headset        ]:
/// USB-Audio - Logitech USB Headset": card 2, "USB-Audio"). At most 32 cards; a driver name
/// longer than 32 bytes is cut.
pub fn parse_card_drivers(text: &str) -> Vec<(u32, String)> {
    text.lines()
        .take(1_000)
        .filter_map(|line| {
            let first = line.split_whitespace().next()?;
            let rest = line.trim_start().strip_prefix(first)?.trim_start();
            let after_id = rest.strip_prefix('[')?.split_once("]:")?.1.trim_start();
            let driver = after_id.split(" - ").next().unwrap_or("").trim();
            let number = first.parse::<u32>().ok().filter(|n| *n < 32)?;
            Some((number, driver.chars().take(32).collect()))
        })
        .take(32)
        .collect()
}

/// The USB Audio Class output terminal types a private listening device may have: headphones,
/// a head-mounted display's audio, a handset, a headset (USB Audio terminal types 1.0).
pub const PRIVATE_TERMINALS: [u16; 4] = [0x0302, 0x0303, 0x0401, 0x0402];

/// The `wTerminalType`s of the output terminals in raw USB descriptors (sysfs `descriptors`:
/// the device descriptor, then each configuration with its interfaces): class-specific
/// (`CS_INTERFACE`, 0x24) descriptors of subtype `OUTPUT_TERMINAL` (0x03) inside an
/// AudioControl interface (class 1, subclass 1), for USB Audio Class 1 and 2 alike. USB
/// streaming terminals (0x01xx, the way to the computer) are left out. A descriptor whose
/// length runs past the end stops the reading.
pub fn output_terminals(descriptors: &[u8]) -> Vec<u16> {
    const INTERFACE: u8 = 0x04;
    const CS_INTERFACE: u8 = 0x24;
    const OUTPUT_TERMINAL: u8 = 0x03;
    let mut found = Vec::new();
    let mut audio_control = false;
    let mut at = 0usize;
    while let Some(&length) = descriptors.get(at) {
        let length = usize::from(length);
        let Some(d) = descriptors.get(at..at + length).filter(|_| length >= 2) else {
            break;
        };
        match d[1] {
            INTERFACE if d.len() >= 9 => audio_control = d[5] == 1 && d[6] == 1,
            CS_INTERFACE if audio_control && d.len() >= 6 && d[2] == OUTPUT_TERMINAL => {
                let kind = u16::from_le_bytes([d[4], d[5]]);
                if kind >> 8 != 0x01 && found.len() < 64 {
                    found.push(kind);
                }
            }
            _ => {}
        }
        at += length;
    }
    found
}

/// Whether output terminals of these types make a private listening device: at least one, and
/// every one of [`PRIVATE_TERMINALS`].
pub fn terminals_are_private(terminals: &[u16]) -> bool {
    !terminals.is_empty() && terminals.iter().all(|t| PRIVATE_TERMINALS.contains(t))
}

/// The raw USB descriptors of sound card `card`: `class/sound/cardN/device` is the card's USB
/// interface, the USB device above it holds `descriptors`. At most 64 KiB read.
fn usb_descriptors(sys_root: &Path, card: u32) -> Option<Vec<u8>> {
    use std::io::Read as _;
    let interface =
        std::fs::canonicalize(sys_root.join(format!("class/sound/card{card}/device"))).ok()?;
    let file = std::fs::File::open(interface.parent()?.join("descriptors")).ok()?;
    let mut bytes = Vec::new();
    file.take(64 * 1024).read_to_end(&mut bytes).ok()?;
    Some(bytes)
}

/// Whether card `card` has a playback device (`/proc/asound/cardN/pcmNp`).
fn has_playback(proc_root: &Path, card: u32) -> bool {
    std::fs::read_dir(proc_root.join(format!("asound/card{card}"))).is_ok_and(|entries| {
        entries.filter_map(Result::ok).take(64).any(|e| {
            e.file_name().to_str().is_some_and(|name| {
                name.strip_prefix("pcm")
                    .and_then(|n| n.strip_suffix('p'))
                    .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
            })
        })
    })
}

/// The first sound card that is a USB headset by the rule of the module documentation: driver
/// "USB-Audio", a playback device, and output terminals all of a private kind.
pub fn usb_headset_card(source: &JackSource) -> Option<u32> {
    let cards = std::fs::read_to_string(source.proc_root.join("asound/cards")).ok()?;
    parse_card_drivers(&cards)
        .into_iter()
        .filter(|(_, driver)| driver == "USB-Audio")
        .map(|(card, _)| card)
        .find(|&card| {
            has_playback(&source.proc_root, card)
                && usb_descriptors(&source.sys_root, card)
                    .is_some_and(|d| terminals_are_private(&output_terminals(&d)))
        })
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

/// Asks every card once, then every input device with a headphone switch, then looks for a
/// USB headset: true when any senses a plugged headphone or headset.
pub fn headset_plugged(source: &JackSource) -> bool {
    sense(source).0
}

/// What the watcher publishes: private listening, and the USB headset's card when that is what
/// makes it private (the card speech must then play on).
fn sense(source: &JackSource) -> (bool, Option<u32>) {
    if let Some(card) = usb_headset_card(source) {
        return (true, Some(card));
    }
    (alsa_jack_plugged(source) || switch_plugged(source), None)
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

/// [`HeadsetWatch::usb_card`] when no USB headset is counted: speech plays on the default card.
pub const NO_CARD: u32 = u32::MAX;

/// What the watcher keeps up to date.
#[derive(Debug, Clone)]
pub struct HeadsetWatch {
    /// Private listening: personal data may be spoken.
    pub private: Arc<AtomicBool>,
    /// The USB headset's ALSA card speech must play on, or [`NO_CARD`].
    pub usb_card: Arc<AtomicU32>,
}

impl HeadsetWatch {
    /// The card speech must play on now, if a USB headset is counted.
    pub fn card(&self) -> Option<u32> {
        Some(self.usb_card.load(Ordering::SeqCst)).filter(|&c| c != NO_CARD)
    }
}

/// Stores what was sensed in an order that never shows "private" with the voice elsewhere: a
/// card is published before the flag is raised; when the headset goes, the flag is lowered at
/// once but the card is taken back only at the next look, so that speech composed as private
/// just before still goes to the (now missing) card, where it is not heard, and never to the
/// loudspeaker.
fn publish(watch: &HeadsetWatch, (private, card): (bool, Option<u32>)) {
    if private {
        watch
            .usb_card
            .store(card.unwrap_or(NO_CARD), Ordering::SeqCst);
        watch.private.store(true, Ordering::SeqCst);
    } else if !watch.private.swap(false, Ordering::SeqCst) {
        watch.usb_card.store(NO_CARD, Ordering::SeqCst);
    }
}

/// Starts the watcher: the flag follows the jack every `every` (the kiosk uses 2 s).
pub fn watch(source: JackSource, every: Duration) -> Arc<AtomicBool> {
    watch_headset(source, every).private
}

/// Starts the watcher: private listening and the USB headset's card, asked every `every`.
pub fn watch_headset(source: JackSource, every: Duration) -> HeadsetWatch {
    let watch = HeadsetWatch {
        private: Arc::new(AtomicBool::new(false)),
        usb_card: Arc::new(AtomicU32::new(NO_CARD)),
    };
    publish(&watch, sense(&source));
    // The thread ends once nobody reads the flag any more.
    let (weak, usb_card) = (Arc::downgrade(&watch.private), Arc::clone(&watch.usb_card));
    let spawned = std::thread::Builder::new()
        .name("headset".into())
        .spawn(move || {
            loop {
                std::thread::sleep(every);
                let Some(private) = weak.upgrade() else {
                    return;
                };
                let usb_card = Arc::clone(&usb_card);
                publish(&HeadsetWatch { private, usb_card }, sense(&source));
            }
        });
    if let Err(e) = spawned {
        tracing::warn!("headset detection unavailable: {e}");
    }
    watch
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

    /// Raw USB descriptors as sysfs `descriptors` holds them for a USB Audio Class 1 device:
    /// the device, one configuration, its AudioControl interface (header, a USB streaming input
    /// terminal, one output terminal of each of `outputs`, and the microphone's way to the
    /// computer: an output terminal of type USB streaming), then a streaming interface whose
    /// class-specific descriptor of subtype 3 is a format, not a terminal.
    fn usb_audio_descriptors(outputs: &[u16]) -> Vec<u8> {
        let mut d = vec![
            18, 1, 0x00, 0x02, 0, 0, 0, 64, 0x6d, 0x04, 0x44, 0x0a, 0, 1, 1, 2, 3, 1,
        ];
        d.extend([9, 2, 0, 0, 2, 1, 0, 0x80, 50]);
        d.extend([9, 4, 0, 0, 0, 1, 1, 0, 0]);
        d.extend([9, 0x24, 1, 0x00, 0x01, 0x40, 0, 1, 1]);
        d.extend([12, 0x24, 2, 1, 0x01, 0x01, 0, 2, 3, 0, 0, 0]);
        for (i, kind) in outputs.iter().enumerate() {
            let [lo, hi] = kind.to_le_bytes();
            d.extend([9, 0x24, 3, 3 + i as u8, lo, hi, 0, 1, 0]);
        }
        d.extend([9, 0x24, 3, 9, 0x01, 0x01, 0, 4, 0]);
        d.extend([9, 4, 1, 0, 0, 1, 2, 0, 0]);
        d.extend([7, 0x24, 3, 0x01, 0x03, 0, 0]);
        d
    }

    #[test]
    fn usb_output_terminals_are_read_from_raw_descriptors() {
        assert_eq!(
            output_terminals(&usb_audio_descriptors(&[0x0402])),
            vec![0x0402]
        );
        assert_eq!(
            output_terminals(&usb_audio_descriptors(&[0x0302, 0x0301])),
            vec![0x0302, 0x0301]
        );
        assert_eq!(
            output_terminals(&usb_audio_descriptors(&[])),
            Vec::<u16>::new()
        );
        // Cut short, a zero length, nothing: read up to there, never past the end.
        let whole = usb_audio_descriptors(&[0x0402]);
        assert_eq!(
            output_terminals(&whole[..whole.len() - 30]),
            Vec::<u16>::new()
        );
        assert_eq!(output_terminals(&[0, 0, 0]), Vec::<u16>::new());
        assert_eq!(output_terminals(&[]), Vec::<u16>::new());
        assert_eq!(output_terminals(&[255; 4]), Vec::<u16>::new());
        // The rule: every way out private, and at least one.
        assert!(terminals_are_private(&[0x0402]));
        assert!(terminals_are_private(&[0x0302, 0x0401]));
        for not_private in [
            &[][..],
            &[0x0301],         // speaker
            &[0x0302, 0x0301], // headphones and a speaker
            &[0x0403],         // speakerphone
            &[0x0603],         // line connector: whatever is plugged in is unknown
            &[0x0605],         // S/PDIF
        ] {
            assert!(!terminals_are_private(not_private), "{not_private:x?}");
        }
        assert_eq!(
            parse_card_drivers(USB_CARDS),
            vec![
                (0, "HDA-Intel".to_string()),
                (1, "USB-Audio".to_string()),
                (2, "USB-Audio".to_string()),
                (3, "USB-Audio".to_string()),
            ]
        );
    }

    /// `/proc/asound/cards` with the PC's own codec and three USB devices.
    const USB_CARDS: &str = " 0 [PCH            ]: HDA-Intel - HDA Intel PCH
                      HDA Intel PCH at 0xf7e10000 irq 32
 1 [Headset        ]: USB-Audio - Logitech USB Headset
                      Logitech Logitech USB Headset at usb-0000:00:14.0-2, full speed
 2 [Speaker        ]: USB-Audio - USB Speaker
                      Generic USB Speaker at usb-0000:00:14.0-3, full speed
 3 [Microphone     ]: USB-Audio - USB Headset Mic
                      Generic USB Headset Mic at usb-0000:00:14.0-4, full speed
";

    /// A `/proc` and `/sys` laid out as the kernel does for these cards: `asound/cardN/pcm0p`
    /// for a playback device, `class/sound/cardN/device` a relative link to the card's USB
    /// interface, `descriptors` in the USB device above it.
    fn usb_fixture(dir: &Path, cards: &str, devices: &[(u32, &str, &[u16], bool)]) -> JackSource {
        let _ = std::fs::remove_dir_all(dir);
        std::fs::create_dir_all(dir.join("proc/asound")).expect("proc");
        std::fs::write(dir.join("proc/asound/cards"), cards).expect("cards");
        for (card, port, outputs, playback) in devices {
            let pcm = if *playback { "pcm0p" } else { "pcm0c" };
            std::fs::create_dir_all(dir.join(format!("proc/asound/card{card}/{pcm}")))
                .expect("pcm");
            let usb = format!("devices/pci0000:00/0000:00:14.0/usb1/1-{port}");
            let interface = dir.join(format!("sys/{usb}/1-{port}:1.0"));
            std::fs::create_dir_all(&interface).expect("interface");
            std::fs::write(
                dir.join(format!("sys/{usb}/descriptors")),
                usb_audio_descriptors(outputs),
            )
            .expect("descriptors");
            let class = dir.join(format!("sys/class/sound/card{card}"));
            std::fs::create_dir_all(&class).expect("class");
            std::os::unix::fs::symlink(
                format!("../../../{usb}/1-{port}:1.0"),
                class.join("device"),
            )
            .expect("link");
        }
        JackSource {
            proc_root: dir.join("proc"),
            amixer: dir.join("no-such-amixer"),
            sys_root: dir.join("sys"),
            dev_root: dir.join("dev"),
        }
    }

    #[test]
    fn a_usb_headset_counts_and_carries_the_voice_but_a_usb_speaker_never_does() {
        let dir = std::env::temp_dir().join(format!("guichet-usb-{}", std::process::id()));
        // A headset (its output a headset terminal), a speaker, and a headset whose card only
        // records (its playback not a sound card device here).
        let source = usb_fixture(
            &dir,
            USB_CARDS,
            &[
                (1, "2", &[0x0402], true),
                (2, "3", &[0x0301], true),
                (3, "4", &[0x0402], false),
            ],
        );
        assert_eq!(usb_headset_card(&source), Some(1));
        assert!(headset_plugged(&source));
        let watch = watch_headset(source.clone(), Duration::from_secs(3600));
        assert!(watch.private.load(Ordering::SeqCst));
        assert_eq!(watch.card(), Some(1), "speech plays on the headset");

        // Only the speaker and the recording-only one: nothing private, the default card.
        let cards: String = USB_CARDS
            .lines()
            .filter(|l| !l.contains("[Headset") && !l.contains("Logitech"))
            .map(|l| format!("{l}\n"))
            .collect();
        let speaker_only = |dir: &Path| {
            usb_fixture(
                dir,
                &cards,
                &[(2, "3", &[0x0301], true), (3, "4", &[0x0402], false)],
            )
        };
        let headset = |dir: &Path| usb_fixture(dir, USB_CARDS, &[(1, "2", &[0x0402], true)]);
        assert_eq!(usb_headset_card(&speaker_only(&dir)), None);
        assert_eq!(parse_card_drivers(&cards).len(), 3);
        assert!(!headset_plugged(&speaker_only(&dir)));
        // A device that declares headphones and a speaker: not private.
        let both = usb_fixture(&dir, USB_CARDS, &[(1, "2", &[0x0302, 0x0301], true)]);
        assert_eq!(usb_headset_card(&both), None);
        // A name that says "Headset" is not trusted: the HDA card is not USB, and a USB card
        // without readable descriptors is not private.
        let unreadable = usb_fixture(&dir, USB_CARDS, &[]);
        assert_eq!(usb_headset_card(&unreadable), None);

        // Unplugged: the flag drops at once; the card is taken back only at the next look, so
        // that speech composed as private just before never reaches the loudspeaker.
        let unplugged = speaker_only(&dir);
        publish(&watch, sense(&unplugged));
        assert!(!watch.private.load(Ordering::SeqCst));
        assert_eq!(watch.card(), Some(1));
        publish(&watch, sense(&unplugged));
        assert_eq!(watch.card(), None);
        // Plugged again: the card first, then the flag.
        publish(&watch, sense(&headset(&dir)));
        assert!(watch.private.load(Ordering::SeqCst));
        assert_eq!(watch.card(), Some(1));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
