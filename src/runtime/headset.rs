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

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// Where the watcher looks: the `/proc` root and the `amixer` program (tests give a fixture
/// directory and a fake amixer laid out like the real ones).
#[derive(Debug, Clone)]
pub struct JackSource {
    /// Holds `asound/cards`.
    pub proc_root: PathBuf,
    /// The `amixer` program.
    pub amixer: PathBuf,
}

impl Default for JackSource {
    fn default() -> JackSource {
        JackSource {
            proc_root: PathBuf::from("/proc"),
            amixer: PathBuf::from("amixer"),
        }
    }
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

/// Asks every card once: true when any senses a plugged headphone or headset.
pub fn headset_plugged(source: &JackSource) -> bool {
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
            proc_root: dir.clone(),
            amixer: dir.join("no-such-amixer"),
        };
        assert!(!headset_plugged(&none));
        assert_eq!(
            parse_jacks("numid=1,iface=CARD,name='Headset Jack'\n  : values=on\n"),
            Some(true)
        );
        assert_eq!(parse_jacks(HDMI), None);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
