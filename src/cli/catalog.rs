//! `guichet catalog import|refresh|show`. A catalogue is never refused whole because of one
//! service: each command says how many services were imported of how many offered and names what
//! was left out, and exits 0 when something usable was imported (`--strict` refuses instead).

use std::path::PathBuf;

use clap::Subcommand;

use super::{CliError, Context, fail, print_json};
use crate::catalog::{Catalog, import_catalog_path};

/// `guichet catalog ...`
#[derive(Debug, Subcommand)]
pub enum CatalogCommand {
    /// Fetch the catalogue from the central system (the cached one stays if the new one is bad).
    Refresh {
        /// Keep the cached catalogue when any service would be left out.
        #[arg(long)]
        strict: bool,
        /// One JSON document on stdout: {"updated", "imported", "offered", "left_out"}.
        #[arg(long)]
        json: bool,
    },
    /// Load an Open311 catalogue file: {"services":[...],"definitions":{"CODE":{...}}}, a bare
    /// services.json list, or a folder with services.json and services/{code}.json.
    Import {
        /// The file.
        file: PathBuf,
        /// Store it as the translation for this language only (default: replace the catalogue).
        #[arg(long)]
        locale: Option<String>,
        /// Refuse the file when any service would be left out.
        #[arg(long)]
        strict: bool,
        /// Only check the file (and `--locale` against the configuration): nothing is stored,
        /// the data is not opened. The on-site setup checks every catalogue so before it
        /// installs anything.
        #[arg(long)]
        check: bool,
        /// One JSON document on stdout: {"imported", "offered", "left_out"}.
        #[arg(long)]
        json: bool,
    },
    /// Print the cached catalogue.
    Show {
        /// The language to show (default: the kiosk's first language).
        #[arg(long)]
        locale: Option<String>,
        /// One JSON document on stdout, in the import format.
        #[arg(long)]
        json: bool,
    },
}

pub(super) fn run(ctx: &Context, cmd: CatalogCommand) -> Result<(), CliError> {
    match cmd {
        CatalogCommand::Refresh { strict, json } => catalog_refresh(ctx, strict, json),
        CatalogCommand::Import {
            file,
            locale,
            strict,
            check,
            json,
        } => {
            let refused = |e: &dyn std::fmt::Display| {
                CliError(format!(
                    "catalogue {} refused: {e}; the cached catalogue is unchanged",
                    file.display()
                ))
            };
            let imported = import_catalog_path(&file).map_err(|e| refused(&e))?;
            if strict && !imported.catalog.left_out.is_empty() {
                return Err(refused(&format_args!(
                    "--strict and {}",
                    imported.catalog.summary()
                )));
            }
            let catalog = imported.catalog;
            if let Some(l) = &locale
                && !ctx.config.ui.languages.contains(l)
            {
                return fail(format!(
                    "--locale {l:?} is not one of this kiosk's languages {:?}",
                    ctx.config.ui.languages
                ));
            }
            if !check {
                let mut store = ctx.open_store()?;
                let source = format!("file:{}", file.display());
                match locale {
                    Some(l) => store.save_catalogs(&[(l, catalog.clone())], &source)?,
                    None => store.replace_catalog(&catalog, &source)?,
                }
            }
            if json {
                return print_json(&report_json(&catalog));
            }
            println!(
                "{} {} of {} services ({} with questions){}",
                if check { "would import" } else { "imported" },
                catalog.services.len(),
                catalog.offered(),
                catalog.definitions.len(),
                catalog.left_out_text()
            );
            Ok(())
        }
        CatalogCommand::Show { locale, json } => {
            let store = ctx.open_store()?;
            let locale = locale.unwrap_or_else(|| ctx.config.ui.languages[0].clone());
            let Some(catalog) = store.catalog_for(&locale)? else {
                return fail(
                    "no catalogue is cached: run `guichet catalog refresh` or `guichet catalog import FILE`",
                );
            };
            if json {
                return print_json(&catalog);
            }
            println!("imported {}", catalog.summary());
            for group in catalog.groups() {
                println!("{}", group.as_deref().unwrap_or("(no group)"));
                for s in catalog.services_in_group(group.as_deref()) {
                    let questions = catalog
                        .definition(&s.service_code)
                        .map_or(0, |d| d.questions().count());
                    println!(
                        "  {:<14} {}  ({questions} questions)",
                        s.service_code, s.service_name
                    );
                }
            }
            Ok(())
        }
    }
}

/// What `import --json` and `refresh --json` print about a catalogue.
pub(super) fn report_json(catalog: &Catalog) -> serde_json::Value {
    serde_json::json!({
        "imported": catalog.services.len(),
        "offered": catalog.offered(),
        "left_out": catalog.left_out,
    })
}

/// `guichet catalog refresh [--strict] [--json]`: one sync engine's catalogue pull, reported
/// like an import.
pub(super) fn catalog_refresh(ctx: &Context, strict: bool, json: bool) -> Result<(), CliError> {
    let mut engine = super::sync::engine(ctx)?;
    let before = engine.store().catalog_snapshot()?;
    let rt = super::sync::runtime()?;
    let updated = rt
        .block_on(engine.refresh_catalog_now())
        .map_err(CliError)?;
    let catalog = engine
        .store()
        .catalog_for(crate::queue::CATALOG_DEFAULT_LOCALE)?
        .unwrap_or_default();
    if strict && updated && !catalog.left_out.is_empty() {
        engine.store().restore_catalog_snapshot(&before)?;
        return fail(format!(
            "catalogue refused: --strict and {}; the cached catalogue is unchanged",
            catalog.summary()
        ));
    }
    if json {
        let mut report = report_json(&catalog);
        report["updated"] = serde_json::Value::Bool(updated);
        return print_json(&report);
    }
    // "catalogue updated: N services" is what scripts have read since the first version.
    println!(
        "catalogue {}: {} services (imported {})",
        if updated { "updated" } else { "unchanged" },
        catalog.services.len(),
        catalog.summary()
    );
    Ok(())
}
