//! `guichet utterances`: what speech mode says on a screen, one utterance a line, for tests,
//! translators and reviewers. The screens are `guichet screenshot`'s scenes (demo catalogue,
//! made-up answers, never the database); `--wav` also records them with espeak-ng, at a volume
//! step of speech mode (`--step`): what a technician plays through the kiosk's loudspeaker with
//! `aplay` to set its mixer with a sound level meter (kiosk-image/README.md, "Speech volume").

use std::path::PathBuf;

use clap::Args;

use super::{CliError, Context, fail};
use crate::flow::speech::SpeechSettings;

/// Arguments of `guichet utterances`.
#[derive(Debug, Args)]
pub struct UtterancesArgs {
    /// Screen (the names of `guichet screenshot --screen list`).
    #[arg(long)]
    pub screen: String,
    /// UI language.
    #[arg(long, default_value = "en")]
    pub locale: String,
    /// Speak as on a headset (typed answers read back) instead of the loudspeaker; default:
    /// the configuration's `ui.speech_headset`.
    #[arg(long)]
    pub headset: bool,
    /// Also write the speech to this WAV file with espeak-ng.
    #[arg(long, value_name = "FILE.wav")]
    pub wav: Option<PathBuf>,
    /// The volume step the WAV is recorded at, as speech mode speaks at it (1 to 5; 3 is where
    /// every session starts).
    #[arg(long, value_name = "1-5", default_value_t = crate::flow::speech::VOLUME_DEFAULT,
        value_parser = clap::value_parser!(u8).range(1..=i64::from(crate::flow::speech::VOLUME_MAX)),
        requires = "wav")]
    pub step: u8,
}

pub(super) fn run(ctx: &Context, args: UtterancesArgs) -> Result<(), CliError> {
    if !ctx.config.ui.languages.contains(&args.locale) {
        return fail(format!(
            "--locale {:?} is not one of this kiosk's languages {:?}",
            args.locale, ctx.config.ui.languages
        ));
    }
    let tr = std::sync::Arc::new(
        crate::i18n::Translations::load().map_err(|e| CliError(e.to_string()))?,
    );
    let mut flow = crate::flow::Flow::new(
        crate::flow::FlowSettings::from_config(&ctx.config),
        crate::catalog::demo_catalogs().into_iter().collect(),
        tr,
    );
    flow.set_catch_all_service(ctx.config.ui.catch_all_service.clone());
    crate::ui::scenes::enter(&mut flow, &args.screen, &args.locale).map_err(CliError)?;
    flow.set_print_state(crate::ui::scenes::print_state_for(&args.screen));
    let mut settings: SpeechSettings = crate::runtime::kiosk::speech_settings(&ctx.config);
    settings.headset |= args.headset;
    let utterances = flow.speech_announcement(&settings);
    for u in &utterances {
        // One utterance a line: line breaks inside catalogue text become spaces.
        println!(
            "{}",
            u.text.split_whitespace().collect::<Vec<_>>().join(" ")
        );
    }
    if let Some(out) = &args.wav {
        crate::runtime::speech::write_wav_at(&utterances, &args.locale, args.step, out)
            .map_err(|e| CliError(e.to_string()))?;
        eprintln!("wrote {}", out.display());
    }
    Ok(())
}
