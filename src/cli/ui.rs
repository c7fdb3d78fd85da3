//! `guichet kiosk` and `guichet screenshot`.

use std::path::PathBuf;

use clap::Args;

use super::{CliError, Context, fail};
use crate::config::ConfigSource;

/// Arguments of `guichet kiosk`.
#[derive(Debug, Args, Default)]
pub struct KioskArgs {
    /// In a window instead of fullscreen.
    #[arg(long)]
    pub windowed: bool,
    /// Use the embedded demo catalogue when none is cached.
    #[arg(long)]
    pub demo: bool,
}

/// Arguments of `guichet screenshot`.
#[derive(Debug, Args)]
pub struct ScreenshotArgs {
    /// Screen to render (`list` prints the names).
    #[arg(long)]
    pub screen: String,
    /// UI language.
    #[arg(long, default_value = "en")]
    pub locale: String,
    /// Output PNG (required unless --screen list).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Width in pixels.
    #[arg(long, default_value_t = 1920)]
    pub width: u32,
    /// Height in pixels.
    #[arg(long, default_value_t = 1080)]
    pub height: u32,
}

pub(super) fn kiosk(ctx: &Context, args: KioskArgs) -> Result<(), CliError> {
    let demo = args.demo || ctx.source == ConfigSource::Demo;
    crate::ui::kiosk::run(&ctx.config, &ctx.data_dir, demo, args.windowed).map_err(CliError::from)
}

pub(super) fn screenshot(ctx: &Context, args: ScreenshotArgs) -> Result<(), CliError> {
    if args.screen == "list" {
        for (name, what) in crate::ui::scenes::SCENES {
            println!("{name:<28} {what}");
        }
        return Ok(());
    }
    let Some(out) = args.out else {
        return fail("--out FILE.png is required");
    };
    if !ctx.config.ui.languages.contains(&args.locale) {
        return fail(format!(
            "--locale {:?} is not one of this kiosk's languages {:?}",
            args.locale, ctx.config.ui.languages
        ));
    }
    if !(320..=4096).contains(&args.width) || !(320..=4096).contains(&args.height) {
        return fail("--width and --height must be between 320 and 4096");
    }
    // Screenshots use the embedded demo catalogue only: never a real session's data.
    let catalogs = crate::catalog::demo_catalogs().into_iter().collect();
    let renderer = crate::ui::screenshot::Renderer::new(&ctx.config, catalogs).map_err(CliError)?;
    crate::ui::screenshot::write_png(
        &renderer,
        &args.screen,
        &args.locale,
        args.width,
        args.height,
        &out,
    )
    .map_err(CliError)
}
