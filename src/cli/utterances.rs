//! `guichet utterances`: what speech mode says on a screen, one utterance a line, for tests,
//! translators and reviewers. The screens are `guichet screenshot`'s scenes (demo catalogue,
//! made-up answers, never the database); `--wav` also records them with espeak-ng.

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
        crate::runtime::speech::write_wav(&utterances, &args.locale, out)
            .map_err(|e| CliError(e.to_string()))?;
        eprintln!("wrote {}", out.display());
    }
    Ok(())
}
