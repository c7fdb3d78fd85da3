//! The kiosk's voice: espeak-ng, one child process per utterance, on a thread of its own.
//!
//! Why a process and not a library: espeak-ng's command line is in every distribution, needs no
//! build-time bindings, and a child can be killed the moment the resident acts, which is what
//! speech mode needs most (every `say` cuts off what is being said). The text goes on stdin, so
//! nothing a council or resident wrote can be read as an option. speech-dispatcher (`spd-say`)
//! would add a daemon and its own queueing for no gain on a one-app kiosk.
//!
//! The UI thread never waits for speech: [`EspeakSpeaker`] only sends commands to the thread.

use std::collections::VecDeque;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::Ordering;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Duration;

use crate::flow::speech::{Speaker, Utterance, VOLUME_DEFAULT, VOLUME_MAX};

/// The speech engine's command.
pub const ESPEAK: &str = "espeak-ng";

/// ALSA's mixer command (alsa-utils): the loudspeaker's level here, a headset's jack in
/// `runtime::headset`.
pub const AMIXER: &str = "amixer";

/// At most this many characters of one utterance are handed to the engine.
const MAX_UTTERANCE_CHARS: usize = 4000;

/// Words per minute: a little slower than espeak-ng's 175, for first-time listeners.
const WORDS_PER_MINUTE: &str = "150";

/// Why speech cannot start.
#[derive(Debug, thiserror::Error)]
pub enum SpeechError {
    /// espeak-ng is not installed or does not run.
    #[error("{ESPEAK} does not run ({0}); install the espeak-ng package for speech mode")]
    Missing(String),
    /// The loudspeaker's mixer control could not be read or set.
    #[error("the loudspeaker's mixer control {control:?}: {detail}")]
    Mixer {
        /// The control (`ui.speech_mixer_control`).
        control: String,
        /// What amixer said, or why it did not run.
        detail: String,
    },
    /// Writing a WAV file failed.
    #[error("{ESPEAK} could not write {path}: {detail}")]
    Wav {
        /// The file.
        path: String,
        /// What went wrong.
        detail: String,
    },
}

/// Whether espeak-ng speaks `lang` with the voice the kiosk uses for it ([`voice`]): one word,
/// synthesised and thrown away (`guichet doctor`). `Err`: espeak-ng does not run at all.
pub fn speaks(lang: &str) -> Result<bool, SpeechError> {
    let status = Command::new(ESPEAK)
        .args(["-v", voice(lang), "--stdout", "1"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map_err(|e| SpeechError::Missing(e.to_string()))?;
    Ok(status.success())
}

/// espeak-ng's first line of `--version` ("eSpeak NG text-to-speech: 1.51 …"), bounded: that it
/// runs at all (the kiosk's speaker starts only then; `guichet doctor` says which).
pub fn version() -> Result<String, SpeechError> {
    let out = Command::new(ESPEAK)
        .arg("--version")
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .map_err(|e| SpeechError::Missing(e.to_string()))?;
    if !out.status.success() {
        return Err(SpeechError::Missing(out.status.to_string()));
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let first = text.lines().next().unwrap_or("").trim();
    // "eSpeak NG text-to-speech: 1.51  Data at: …": the name and number only.
    let first = first.split("  ").next().unwrap_or(first);
    Ok(first.chars().take(80).collect())
}

/// espeak-ng's voice for a UI language.
pub fn voice(lang: &str) -> &'static str {
    match lang {
        "fr" => "fr",
        "es" => "es",
        "ar" => "ar",
        "uk" => "uk",
        "pl" => "pl",
        _ => "en",
    }
}

/// espeak-ng's amplitude for each volume step, 1 to [`VOLUME_MAX`] (espeak-ng takes 0–200, 100
/// its own default; its output follows it roughly in proportion, in coarse steps at the low end:
/// 8 and 9, 11 and 12 give the same level).
///
/// Measured on espeak-ng 1.51 (BENCHMARKS.md), the steps are 6.7, 4.6, 4.1 and 4.6 dB apart, so
/// the five span 20 dB and the fourth is 15.4 dB above the first (EN 301 549 8.2.1: a range of at
/// least 18 dB, and a step at least 12 dB above the lowest). The loudest stays under full scale
/// in every kiosk language: at 100, Spanish and Polish reached −0.04 dBFS, and above it
/// espeak-ng's loudest syllables were squashed against full scale (at 140, hundreds of samples
/// in a confirmation's reading): distortion exactly where a resident who hears less asks for
/// more. How loud the default step is at the resident's ear is set on the system's mixer at
/// installation (`ui.speech_mixer_db`; kiosk-image/README.md, "Speech volume"), measured on
/// `guichet utterances --wav` played with `aplay`.
pub const AMPLITUDES: [u32; VOLUME_MAX as usize] = [10, 19, 30, 48, 80];

/// espeak-ng's amplitude for a volume step ([`AMPLITUDES`]; out of range: the nearest step).
pub fn amplitude(level: u8) -> u32 {
    AMPLITUDES[usize::from(level.clamp(1, VOLUME_MAX)) - 1]
}

/// Sets the default sound card's mixer `control` to `db` (`ui.speech_mixer_db`) with `amixer`,
/// when the kiosk starts: how loud speech mode is in the room is the mixer's level plus the
/// step's [`AMPLITUDES`], and the mixer's is measured at installation. The control's name is
/// checked by the configuration (never an option: it comes after `--`).
pub fn set_mixer(amixer: &Path, control: &str, db: f32) -> Result<(), SpeechError> {
    run_amixer(amixer, control, &["sset", control, &format!("{db:.1}dB")])
}

/// Whether the default sound card has the mixer `control` (`guichet doctor`), as
/// [`set_mixer`] would find it.
pub fn check_mixer(amixer: &Path, control: &str) -> Result<(), SpeechError> {
    run_amixer(amixer, control, &["sget", control])
}

/// How long amixer may take before it is given up (and killed): a sound card's driver that
/// hangs must not hang the kiosk's mixer thread or a technician's `doctor` for ever.
const AMIXER_DEADLINE: Duration = Duration::from_secs(5);

/// One `amixer -q -- ARGS…` on the default card; its refusal in its own words.
fn run_amixer(amixer: &Path, control: &str, args: &[&str]) -> Result<(), SpeechError> {
    run_amixer_within(amixer, control, args, AMIXER_DEADLINE)
}

fn run_amixer_within(
    amixer: &Path,
    control: &str,
    args: &[&str],
    deadline: Duration,
) -> Result<(), SpeechError> {
    use std::io::Read as _;
    let err = |detail: String| SpeechError::Mixer {
        control: control.to_string(),
        detail,
    };
    let mut child = Command::new(amixer)
        .args(["-q", "--"])
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| err(format!("{}: {e}", amixer.display())))?;
    let started = std::time::Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() < deadline => {
                std::thread::sleep(Duration::from_millis(20))
            }
            Ok(None) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(err(format!(
                    "amixer did not answer within {} s",
                    deadline.as_secs_f32()
                )));
            }
            Err(e) => return Err(err(e.to_string())),
        }
    };
    if !status.success() {
        // amixer's own last word (alsa-lib's lines come before it, e.g. "amixer: Mixer attach
        // default error: No such file or directory" where there is no sound card). It has
        // exited: its few lines are all in the pipe.
        let mut said = String::new();
        if let Some(mut stderr) = child.stderr.take() {
            let _ = stderr.by_ref().take(64 * 1024).read_to_string(&mut said);
        }
        let lines: Vec<&str> = said.lines().filter(|l| !l.trim().is_empty()).collect();
        let last = lines
            .iter()
            .rev()
            .find(|l| l.starts_with("amixer:"))
            .or(lines.last())
            .copied()
            .unwrap_or("failed");
        return Err(err(last.chars().take(200).collect()));
    }
    Ok(())
}

fn bounded(text: &str) -> String {
    text.chars().take(MAX_UTTERANCE_CHARS).collect()
}

/// `card`: the USB headset speech must play on (`ALSA_CARD`, which alsa-lib's `default` device
/// follows; see `runtime::headset`), or the default card.
fn start(program: &Path, utterance: &Utterance, level: u8, card: Option<u32>) -> Option<Child> {
    let mut command = Command::new(program);
    if let Some(card) = card {
        command.env("ALSA_CARD", card.to_string());
    }
    let mut child = command
        .args(["-v", voice(&utterance.lang)])
        .args(["-a", &amplitude(level).to_string()])
        .args(["-s", WORDS_PER_MINUTE, "--stdin"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| tracing::warn!("speech: cannot start {}: {e}", program.display()))
        .ok()?;
    if let Some(mut stdin) = child.stdin.take() {
        // A broken pipe only means espeak-ng already exited; nothing to do about it.
        let _ = stdin.write_all(bounded(&utterance.text).as_bytes());
    }
    Some(child)
}

fn cut(child: &mut Option<Child>) {
    if let Some(mut c) = child.take() {
        let _ = c.kill();
        let _ = c.wait();
    }
}

enum Order {
    Say(Vec<Utterance>),
    Stop,
    Volume(u8),
}

/// espeak-ng behind a thread; dropping it stops speech and ends the thread.
pub struct EspeakSpeaker {
    tx: mpsc::Sender<Order>,
}

impl EspeakSpeaker {
    /// Checks that espeak-ng runs, then starts the speech thread (on the default card).
    pub fn spawn() -> Result<EspeakSpeaker, SpeechError> {
        EspeakSpeaker::spawn_routed(None)
    }

    /// [`EspeakSpeaker::spawn`], playing on the USB headset `route` names while it names one.
    /// The card is taken when the utterances arrive, for all of them: speech composed for a
    /// headset never moves to the loudspeaker half-way.
    ///
    /// Speech composed while `route` said "private" (it may hold personal data) is cut when
    /// the headset goes: a headphone jack hands the sound back to the loudspeaker, and the rest
    /// of it would be heard there. The resident's next action is spoken as for the loudspeaker
    /// (no personal data); the watcher looks every 2 s, so up to that much may still play
    /// after the plug is pulled.
    pub fn spawn_routed(
        route: Option<super::headset::HeadsetWatch>,
    ) -> Result<EspeakSpeaker, SpeechError> {
        version()?;
        EspeakSpeaker::spawn_program(PathBuf::from(ESPEAK), route)
    }

    /// The speech thread, running `program` (espeak-ng, or a test's stand-in) per utterance.
    fn spawn_program(
        program: PathBuf,
        route: Option<super::headset::HeadsetWatch>,
    ) -> Result<EspeakSpeaker, SpeechError> {
        let private_now = move |route: &Option<super::headset::HeadsetWatch>| {
            route
                .as_ref()
                .is_some_and(|r| r.private.load(Ordering::SeqCst))
        };
        let (tx, rx) = mpsc::channel::<Order>();
        std::thread::Builder::new()
            .name("speech".into())
            .spawn(move || {
                let mut queue: VecDeque<Utterance> = VecDeque::new();
                let mut child: Option<Child> = None;
                let mut level = VOLUME_DEFAULT;
                let mut card = None;
                // What is being said was composed for a headset.
                let mut private = false;
                loop {
                    let busy = child.is_some() || !queue.is_empty();
                    let command = if busy {
                        rx.recv_timeout(Duration::from_millis(30))
                    } else {
                        rx.recv().map_err(|_| RecvTimeoutError::Disconnected)
                    };
                    match command {
                        Ok(Order::Say(utterances)) => {
                            cut(&mut child);
                            card = route.as_ref().and_then(super::headset::HeadsetWatch::card);
                            private = private_now(&route);
                            queue = utterances.into();
                        }
                        Ok(Order::Stop) => {
                            cut(&mut child);
                            queue.clear();
                        }
                        Ok(Order::Volume(v)) => level = v,
                        Err(RecvTimeoutError::Timeout) => {}
                        Err(RecvTimeoutError::Disconnected) => {
                            cut(&mut child);
                            return;
                        }
                    }
                    if private && !private_now(&route) {
                        // The headset was unplugged: nothing more of it on the loudspeaker.
                        cut(&mut child);
                        queue.clear();
                        private = false;
                    }
                    if let Some(c) = child.as_mut()
                        && !matches!(c.try_wait(), Ok(None))
                    {
                        child = None;
                    }
                    if child.is_none()
                        && let Some(next) = queue.pop_front()
                    {
                        child = start(&program, &next, level, card);
                    }
                }
            })
            .map_err(|e| SpeechError::Missing(e.to_string()))?;
        Ok(EspeakSpeaker { tx })
    }
}

impl Speaker for EspeakSpeaker {
    fn say(&self, utterances: &[Utterance]) {
        let _ = self.tx.send(Order::Say(utterances.to_vec()));
    }
    fn stop(&self) {
        let _ = self.tx.send(Order::Stop);
    }
    fn set_volume(&self, level: u8) {
        let _ = self.tx.send(Order::Volume(level));
    }
}

/// Writes `utterances` as one WAV file, all in the voice of `lang`, at a volume step (1 to
/// [`VOLUME_MAX`]) as the kiosk speaks at that step: for reviewers, and for the technician's
/// sound level meter (`guichet utterances --wav … --step N`).
pub fn write_wav_at(
    utterances: &[Utterance],
    lang: &str,
    level: u8,
    out: &Path,
) -> Result<(), SpeechError> {
    let text: Vec<String> = utterances.iter().map(|u| bounded(&u.text)).collect();
    let err = |detail: String| SpeechError::Wav {
        path: out.display().to_string(),
        detail,
    };
    let mut child = Command::new(ESPEAK)
        .args(["-v", voice(lang), "-s", WORDS_PER_MINUTE])
        .args(["-a", &amplitude(level).to_string(), "--stdin", "-w"])
        .arg(out)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| SpeechError::Missing(e.to_string()))?;
    if let Some(mut stdin) = child.stdin.take() {
        // One utterance a paragraph: espeak-ng pauses between them.
        stdin
            .write_all(text.join("\n\n").as_bytes())
            .map_err(|e| err(e.to_string()))?;
    }
    let output = child.wait_with_output().map_err(|e| err(e.to_string()))?;
    if !output.status.success() {
        let detail = String::from_utf8_lossy(&output.stderr);
        return Err(err(detail.lines().next().unwrap_or("failed").to_string()));
    }
    Ok(())
}

/// How loud a recording is, in dB relative to digital full scale (0 dBFS: the loudest a
/// 16-bit sample can be).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Loudness {
    /// RMS level over the 20 ms windows that hold speech (within 40 dB of the loudest window):
    /// the pauses between words do not dilute it (in the spirit of ITU-T P.56's active speech
    /// level). The threshold follows the recording's own level, so the same speech at another
    /// gain is measured over the same windows, and two steps differ by exactly their gain.
    pub active_rms_dbfs: f64,
    /// The loudest sample.
    pub peak_dbfs: f64,
}

/// The loudness of a 16-bit PCM WAV file (espeak-ng writes mono 22 050 Hz); `None` when it is
/// not one or holds no speech.
pub fn loudness(wav: &[u8]) -> Option<Loudness> {
    if wav.get(0..4)? != b"RIFF" || wav.get(8..12)? != b"WAVE" {
        return None;
    }
    let (mut at, mut rate, mut bits, mut data) = (12usize, 0u32, 0u16, None);
    while at + 8 <= wav.len() {
        let id = &wav[at..at + 4];
        let size = u32::from_le_bytes(wav[at + 4..at + 8].try_into().ok()?) as usize;
        let body = wav.get(at + 8..(at + 8).saturating_add(size).min(wav.len()))?;
        match id {
            b"fmt " if body.len() >= 16 => {
                rate = u32::from_le_bytes(body[4..8].try_into().ok()?);
                bits = u16::from_le_bytes(body[14..16].try_into().ok()?);
            }
            b"data" => data = Some(body),
            _ => {}
        }
        at = at.saturating_add(8).saturating_add(size + size % 2);
    }
    let data = data?;
    if bits != 16 || rate == 0 {
        return None;
    }
    let samples: Vec<f64> = data
        .chunks_exact(2)
        .map(|b| f64::from(i16::from_le_bytes([b[0], b[1]])) / 32768.0)
        .collect();
    let db = |x: f64| 20.0 * x.max(1e-9).log10();
    let window = (rate as usize / 50).max(1);
    let windows: Vec<(f64, usize)> = samples
        .chunks(window)
        .map(|w| {
            (
                w.iter().map(|x| x * x).sum::<f64>() / w.len() as f64,
                w.len(),
            )
        })
        .collect();
    let loudest = windows.iter().fold(0.0f64, |m, w| m.max(w.0));
    if loudest <= 0.0 {
        return None;
    }
    // 40 dB under the loudest window, in mean squares.
    let threshold = loudest * 1e-4;
    let (mut sum, mut n) = (0.0, 0usize);
    for (ms, len) in windows {
        if ms >= threshold {
            sum += ms * len as f64;
            n += len;
        }
    }
    let peak = samples.iter().fold(0.0f64, |m, x| m.max(x.abs()));
    Some(Loudness {
        active_rms_dbfs: db((sum / n as f64).sqrt()),
        peak_dbfs: db(peak),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The volume steps change what espeak-ng writes, each clearly louder (≥ 3.5 dB; about 4.5
    /// designed): 18 dB or more from the first to the last, the fourth at least 12 dB over the
    /// first (EN 301 549 8.2.1); and the loudest step stays under full scale in every kiosk
    /// language, on the confirmation's whole reading (its loudest syllables are not squashed). Measured on espeak-ng's WAV output; where espeak-ng is
    /// not installed there is nothing to measure. Prints the levels for BENCHMARKS.md.
    #[test]
    fn each_volume_step_is_louder_than_the_one_before() {
        if Command::new(ESPEAK).arg("--version").output().is_err() {
            eprintln!("{ESPEAK} not installed: nothing to measure");
            return;
        }
        let dir = std::env::temp_dir().join(format!("guichet-loudness-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let measure = |said: &[Utterance], lang: &str, level: u8| {
            let out = dir.join(format!("{lang}-step{level}.wav"));
            write_wav_at(said, lang, level, &out).expect("espeak-ng writes a WAV");
            let wav = std::fs::read(&out).expect("read WAV");
            loudness(&wav).expect("a 16-bit PCM WAV with speech")
        };
        let said = [Utterance {
            text:
                "Request saved. Your reference number is L I B 7 K 4 Q. Please keep this receipt."
                    .into(),
            lang: "en".into(),
        }];
        let mut levels = Vec::new();
        for level in 1..=VOLUME_MAX {
            let l = measure(&said, "en", level);
            eprintln!(
                "volume step {level} (amplitude {}): active RMS {:.1} dBFS, peak {:.1} dBFS",
                amplitude(level),
                l.active_rms_dbfs,
                l.peak_dbfs
            );
            levels.push(l);
        }
        for pair in levels.windows(2) {
            let gain = pair[1].active_rms_dbfs - pair[0].active_rms_dbfs;
            assert!(
                gain >= 3.5,
                "each step at least 3.5 dB over the one before: {gain:.2} dB in {levels:?}"
            );
        }
        let rms = |step: u8| levels[usize::from(step) - 1].active_rms_dbfs;
        assert!(
            rms(VOLUME_MAX) - rms(1) >= 18.0,
            "an 18 dB range: {levels:?}"
        );
        assert!(
            rms(4) - rms(1) >= 12.0,
            "a step 12 dB over the lowest: {levels:?}"
        );

        // The loudest step, on the confirmation in each language.
        for locale in crate::i18n::SUPPORTED_LOCALES {
            let mut flow = crate::flow::tests::flow();
            crate::ui::scenes::enter(&mut flow, "confirmation", locale).expect("the scene");
            let said = flow.speech_announcement(&crate::flow::speech::SpeechSettings::default());
            let l = measure(&said, locale, VOLUME_MAX);
            eprintln!(
                "{locale}, the confirmation at step {VOLUME_MAX}: active RMS {:.1} dBFS, peak {:.2} dBFS",
                l.active_rms_dbfs, l.peak_dbfs
            );
            assert!(
                l.peak_dbfs < -0.5,
                "{locale}: the loudest step reaches full scale: {l:?}"
            );
        }
        let _ = std::fs::remove_dir_all(&dir);
        // Not a WAV, or silence: nothing measured.
        assert_eq!(loudness(b"not a wav file at all"), None);
    }

    /// The mixer level goes to amixer as one `sset` of the configured control, after `--` (a
    /// negative level is not an option); amixer's refusal comes back with its words.
    #[test]
    fn the_mixer_level_is_set_with_amixer_and_a_refusal_is_told() {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = std::env::temp_dir().join(format!("guichet-mixer-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let log = dir.join("args");
        let fake = dir.join("amixer");
        std::fs::write(
            &fake,
            format!(
                "#!/bin/sh\nprintf '%s\\n' \"$@\" > '{}'\n[ \"$4\" = Nope ] && {{ echo \"ALSA lib control.c: noise\" >&2; echo \"amixer: Unable to find simple control 'Nope',0\" >&2; echo >&2; exit 1; }}\nexit 0\n",
                log.display()
            ),
        )
        .expect("fake amixer");
        std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).expect("chmod");

        set_mixer(&fake, "Master", -6.0).expect("set");
        let args = std::fs::read_to_string(&log).expect("amixer ran");
        assert_eq!(
            args.lines().collect::<Vec<_>>(),
            ["-q", "--", "sset", "Master", "-6.0dB"]
        );

        let e = set_mixer(&fake, "Nope", 3.5).unwrap_err().to_string();
        assert!(
            e.contains("\"Nope\"") && e.contains("Unable to find simple control"),
            "{e}"
        );
        // A hung driver: given up at the deadline.
        let slow = dir.join("slow-amixer");
        std::fs::write(&slow, "#!/bin/sh\nexec sleep 30\n").expect("slow amixer");
        std::fs::set_permissions(&slow, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        let started = std::time::Instant::now();
        let e = run_amixer_within(
            &slow,
            "Master",
            &["sget", "Master"],
            Duration::from_millis(300),
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("did not answer"), "{e}");
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "killed, not waited for"
        );
        let e = set_mixer(&dir.join("absent"), "Master", 0.0)
            .unwrap_err()
            .to_string();
        assert!(e.contains("absent"), "{e}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// A headset unplugged while speech composed for it plays: the utterance under way is cut
    /// and the rest is not started (personal data is not heard from the loudspeaker a jack
    /// hands the sound back to). With the headset in, the same speech plays to its end.
    #[test]
    fn speech_for_a_headset_stops_when_it_is_unplugged() {
        use std::os::unix::fs::PermissionsExt as _;
        use std::sync::Arc;
        use std::sync::atomic::{AtomicBool, AtomicU32};
        let dir = std::env::temp_dir().join(format!("guichet-unplug-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let log = dir.join("said");
        let fake = dir.join("espeak-ng");
        // Says each utterance for a second: its start and its end logged.
        std::fs::write(
            &fake,
            format!(
                "#!/bin/sh\ntext=$(cat)\necho \"start $text\" >> '{log}'\nsleep 1\necho \"end $text\" >> '{log}'\n",
                log = log.display()
            ),
        )
        .expect("fake espeak-ng");
        std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        let said = || std::fs::read_to_string(&log).unwrap_or_default();
        let wait_for = |line: &str| {
            let deadline = std::time::Instant::now() + Duration::from_secs(10);
            while !said().contains(line) {
                assert!(
                    std::time::Instant::now() < deadline,
                    "never: {line}; {}",
                    said()
                );
                std::thread::sleep(Duration::from_millis(20));
            }
        };
        let utterances = |first: &str| {
            [first, "Postcode: AB1 2CD"].map(|text| Utterance {
                text: text.into(),
                lang: "en".into(),
            })
        };
        let route = super::super::headset::HeadsetWatch {
            private: Arc::new(AtomicBool::new(true)),
            usb_card: Arc::new(AtomicU32::new(super::super::headset::NO_CARD)),
        };
        let speaker =
            EspeakSpeaker::spawn_program(fake.clone(), Some(route.clone())).expect("thread");

        // Plugged in throughout: both said whole.
        speaker.say(&utterances("Name: Ada Lovelace"));
        wait_for("end Postcode: AB1 2CD");
        assert!(said().contains("end Name: Ada Lovelace"), "{}", said());

        // Unplugged while the first is said.
        std::fs::remove_file(&log).expect("log");
        speaker.say(&utterances("Name: Grace Hopper"));
        wait_for("start Name: Grace Hopper");
        route.private.store(false, Ordering::SeqCst);
        std::thread::sleep(Duration::from_millis(1800));
        let heard = said();
        assert!(!heard.contains("end Name: Grace Hopper"), "{heard}");
        assert!(!heard.contains("Postcode"), "{heard}");

        // Speech composed for the loudspeaker is not cut by the headset staying out.
        speaker.say(&utterances("Step 2 of 5"));
        wait_for("end Postcode: AB1 2CD");
        drop(speaker);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn volume_steps_map_to_their_amplitudes() {
        assert_eq!(amplitude(1), 10);
        assert_eq!(amplitude(VOLUME_DEFAULT), 30);
        assert_eq!(amplitude(VOLUME_MAX), 80);
        assert_eq!(amplitude(0), 10, "clamped");
        assert_eq!(amplitude(VOLUME_MAX + 1), 80, "clamped");
        assert_eq!(voice("ar"), "ar");
        assert_eq!(voice("xx"), "en");
    }
}
