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
    /// Screen to render (`list` prints the names; `all` renders every one into the --out directory).
    #[arg(long)]
    pub screen: String,
    /// UI language; with --screen all, a comma-separated list (e.g. en,ar).
    #[arg(long, default_value = "en")]
    pub locale: String,
    /// Output PNG, or a directory with --screen all.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// With --screen all: sizes to render, e.g. 1920x1080,1024x600 (default: --width x --height).
    #[arg(long, value_delimiter = ',')]
    pub sizes: Vec<String>,
    /// Width in pixels.
    #[arg(long, default_value_t = 1920)]
    pub width: u32,
    /// Height in pixels.
    #[arg(long, default_value_t = 1080)]
    pub height: u32,
    /// Render with this catalogue (what `catalog import` takes: a file, or a folder with
    /// services.json and services/{code}.json) instead of the demo one, so a council sees its
    /// own catalogue before deploying.
    #[arg(long)]
    pub catalog: Option<PathBuf>,
    /// Text size step: 0 the default, 1 larger, 2 the largest (what "Text size" cycles
    /// through); without it, each scene's own (the default, or the largest for the "-large"
    /// scenes).
    #[arg(long)]
    pub text_size: Option<u8>,
    /// Draw in real millimetres for a panel this many millimetres wide (as
    /// `ui.screen_width_mm` does; overrides it): e.g. 154 for a 7" 1024x600 panel.
    #[arg(long)]
    pub screen_width_mm: Option<f32>,
}

pub(super) fn kiosk(ctx: &Context, args: KioskArgs) -> Result<(), CliError> {
    let demo = args.demo || ctx.source == ConfigSource::Demo;
    crate::runtime::kiosk::run(&ctx.config, &ctx.store, demo, args.windowed).map_err(CliError::from)
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
    let locales: Vec<&str> = args.locale.split(',').map(str::trim).collect();
    for locale in &locales {
        if !ctx.config.ui.languages.iter().any(|l| l == locale) {
            return fail(format!(
                "--locale {locale:?} is not one of this kiosk's languages {:?}",
                ctx.config.ui.languages
            ));
        }
    }
    let mut sizes = Vec::new();
    for size in &args.sizes {
        let parsed = size.split_once('x').and_then(|(w, h)| {
            Some((w.trim().parse::<u32>().ok()?, h.trim().parse::<u32>().ok()?))
        });
        match parsed {
            Some(wh) => sizes.push(wh),
            None => {
                return fail(format!(
                    "--sizes {size:?}: expected WIDTHxHEIGHT, e.g. 1024x600"
                ));
            }
        }
    }
    if sizes.is_empty() {
        sizes.push((args.width, args.height));
    }
    if sizes
        .iter()
        .any(|(w, h)| !(320..=4096).contains(w) || !(320..=4096).contains(h))
    {
        return fail("sizes must be between 320 and 4096 pixels");
    }
    if args.text_size.is_some_and(|step| step > 2) {
        return fail("--text-size is 0 (the default), 1 or 2 (the largest)");
    }
    if let Some(mm) = args.screen_width_mm
        && !crate::config::SCREEN_WIDTH_MM_RANGE.contains(&mm)
    {
        return fail(format!(
            "--screen-width-mm {mm}: the panel's visible width in millimetres, from {} to {}",
            crate::config::SCREEN_WIDTH_MM_RANGE.start(),
            crate::config::SCREEN_WIDTH_MM_RANGE.end()
        ));
    }
    // Screenshots use the embedded demo catalogue or the council's file, and made-up answers:
    // never the database, never a real session's data.
    let catalogs = match &args.catalog {
        None => crate::catalog::demo_catalogs().into_iter().collect(),
        Some(file) => {
            let imported = crate::catalog::import_catalog_path(file)
                .map_err(|e| CliError(format!("catalogue {} refused: {e}", file.display())))?;
            eprintln!(
                "catalogue {}: {}",
                file.display(),
                imported.catalog.summary()
            );
            std::collections::BTreeMap::from([(
                crate::catalog::CATALOG_DEFAULT_LOCALE.to_string(),
                imported.catalog,
            )])
        }
    };
    let mut config = ctx.config.clone();
    if args.screen_width_mm.is_some() {
        config.ui.screen_width_mm = args.screen_width_mm;
    }
    let mut renderer = crate::ui::screenshot::Renderer::new(&config, catalogs).map_err(CliError)?;
    renderer.text_size = args.text_size;
    if args.screen != "all" {
        if locales.len() != 1 || sizes.len() != 1 {
            return fail("one --locale and one size per screenshot (or use --screen all)");
        }
        let (w, h) = sizes[0];
        return crate::ui::screenshot::write_png(&renderer, &args.screen, locales[0], w, h, &out)
            .map_err(CliError);
    }
    std::fs::create_dir_all(&out)
        .map_err(|e| CliError(format!("cannot create {}: {e}", out.display())))?;
    let mut count = 0;
    for (scene, _) in crate::ui::scenes::SCENES {
        for locale in &locales {
            for (w, h) in &sizes {
                let file = out.join(format!("{scene}-{locale}-{w}x{h}.png"));
                match crate::ui::screenshot::write_png(&renderer, scene, locale, *w, *h, &file) {
                    Ok(()) => count += 1,
                    // A council's catalogue may have no question of some kind: say so, go on.
                    Err(e) if args.catalog.is_some() && e.contains("the catalogue has no") => {
                        eprintln!("{scene}: skipped: {e}");
                    }
                    Err(e) => return Err(CliError(e)),
                }
            }
        }
    }
    eprintln!("wrote {count} screenshots to {}", out.display());
    Ok(())
}
