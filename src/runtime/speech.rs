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
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Duration;

use crate::flow::speech::{Speaker, Utterance, VOLUME_DEFAULT, VOLUME_MAX};

/// The speech engine's command.
pub const ESPEAK: &str = "espeak-ng";

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
    /// Writing a WAV file failed.
    #[error("{ESPEAK} could not write {path}: {detail}")]
    Wav {
        /// The file.
        path: String,
        /// What went wrong.
        detail: String,
    },
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

/// espeak-ng's amplitude (0–200, 100 its default) for a volume step.
pub fn amplitude(level: u8) -> u32 {
    let level = u32::from(level.clamp(1, VOLUME_MAX));
    let default = u32::from(VOLUME_DEFAULT);
    // 1 → 40, default (3) → 100, 5 → 180.
    if level <= default {
        100 - (default - level) * 30
    } else {
        100 + (level - default) * 40
    }
}

fn bounded(text: &str) -> String {
    text.chars().take(MAX_UTTERANCE_CHARS).collect()
}

/// `card`: the USB headset speech must play on (`ALSA_CARD`, which alsa-lib's `default` device
/// follows; see `runtime::headset`), or the default card.
fn start(utterance: &Utterance, level: u8, card: Option<u32>) -> Option<Child> {
    let mut command = Command::new(ESPEAK);
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
        .map_err(|e| tracing::warn!("speech: cannot start {ESPEAK}: {e}"))
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
    pub fn spawn_routed(
        route: Option<super::headset::HeadsetWatch>,
    ) -> Result<EspeakSpeaker, SpeechError> {
        let status = Command::new(ESPEAK)
            .arg("--version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .map_err(|e| SpeechError::Missing(e.to_string()))?;
        if !status.success() {
            return Err(SpeechError::Missing(status.to_string()));
        }
        let (tx, rx) = mpsc::channel::<Order>();
        std::thread::Builder::new()
            .name("speech".into())
            .spawn(move || {
                let mut queue: VecDeque<Utterance> = VecDeque::new();
                let mut child: Option<Child> = None;
                let mut level = VOLUME_DEFAULT;
                let mut card = None;
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
                    if let Some(c) = child.as_mut()
                        && !matches!(c.try_wait(), Ok(None))
                    {
                        child = None;
                    }
                    if child.is_none()
                        && let Some(next) = queue.pop_front()
                    {
                        child = start(&next, level, card);
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

/// Writes `utterances` as one WAV file (for reviewers: `guichet utterances --wav`), all in the
/// voice of `lang`.
pub fn write_wav(utterances: &[Utterance], lang: &str, out: &Path) -> Result<(), SpeechError> {
    write_wav_at(utterances, lang, VOLUME_DEFAULT, out)
}

/// [`write_wav`] at a volume step (1 to [`VOLUME_MAX`]), as the kiosk speaks at that step.
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
    /// RMS level over the 20 ms windows that hold speech (louder than −50 dBFS): the pauses
    /// between words do not dilute it (in the spirit of ITU-T P.56's active speech level).
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
    let (mut sum, mut n) = (0.0, 0usize);
    for w in samples.chunks(window) {
        let ms = w.iter().map(|x| x * x).sum::<f64>() / w.len() as f64;
        if db(ms.sqrt()) > -50.0 {
            sum += ms * w.len() as f64;
            n += w.len();
        }
    }
    if n == 0 {
        return None;
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

    /// The volume steps change what espeak-ng writes, each step louder than the one before
    /// (measured on its WAV output; where espeak-ng is not installed there is nothing to
    /// measure). Prints the levels for ACCESSIBILITY.md / BENCHMARKS.md.
    #[test]
    fn each_volume_step_is_louder_than_the_one_before() {
        if Command::new(ESPEAK).arg("--version").output().is_err() {
            eprintln!("{ESPEAK} not installed: nothing to measure");
            return;
        }
        let dir = std::env::temp_dir().join(format!("guichet-loudness-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let said = [Utterance {
            text:
                "Request saved. Your reference number is L I B 7 K 4 Q. Please keep this receipt."
                    .into(),
            lang: "en".into(),
        }];
        let mut levels = Vec::new();
        for level in 1..=VOLUME_MAX {
            let out = dir.join(format!("step{level}.wav"));
            write_wav_at(&said, "en", level, &out).expect("espeak-ng writes a WAV");
            let wav = std::fs::read(&out).expect("read WAV");
            let l = loudness(&wav).expect("a 16-bit PCM WAV with speech");
            eprintln!(
                "volume step {level} (amplitude {}): active RMS {:.1} dBFS, peak {:.1} dBFS",
                amplitude(level),
                l.active_rms_dbfs,
                l.peak_dbfs
            );
            levels.push(l);
        }
        let _ = std::fs::remove_dir_all(&dir);
        for pair in levels.windows(2) {
            assert!(
                pair[1].active_rms_dbfs > pair[0].active_rms_dbfs + 1.0,
                "each step at least 1 dB louder: {levels:?}"
            );
            assert!(pair[1].peak_dbfs >= pair[0].peak_dbfs - 0.1, "{levels:?}");
        }
        assert!(levels.iter().all(|l| l.peak_dbfs <= 0.0));
        // Not a WAV, or silence: nothing measured.
        assert_eq!(loudness(b"not a wav file at all"), None);
    }

    #[test]
    fn volume_steps_map_to_amplitudes_around_the_default() {
        assert_eq!(amplitude(VOLUME_DEFAULT), 100);
        assert_eq!(amplitude(1), 40);
        assert_eq!(amplitude(VOLUME_MAX), 180);
        assert_eq!(amplitude(0), 40, "clamped");
        assert_eq!(voice("ar"), "ar");
        assert_eq!(voice("xx"), "en");
    }
}
