//! `guichet catalog import|show`.

use std::path::PathBuf;

use clap::Subcommand;

use super::{CliError, Context, fail, print_json};
use crate::catalog::{limits::MAX_DOCUMENT_BYTES, parse_catalog_document};

/// `guichet catalog ...`
#[derive(Debug, Subcommand)]
pub enum CatalogCommand {
    /// Fetch the catalogue from the central system (the cached one stays if the new one is bad).
    Refresh,
    /// Load an Open311 catalogue file: {"services":[...],"definitions":{"CODE":{...}}}.
    Import {
        /// The file.
        file: PathBuf,
        /// Store it as the translation for this language only (default: replace the catalogue).
        #[arg(long)]
        locale: Option<String>,
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
        CatalogCommand::Refresh => super::sync::catalog_refresh(ctx),
        CatalogCommand::Import { file, locale } => {
            let bytes =
                crate::fsutil::read_bounded(&file, MAX_DOCUMENT_BYTES as u64).map_err(|e| {
                    CliError(format!(
                        "catalogue {} refused: {e}; the cached catalogue is unchanged",
                        file.display()
                    ))
                })?;
            let catalog = parse_catalog_document(&bytes).map_err(|e| {
                CliError(format!(
                    "catalogue {} refused: {e}; the cached catalogue is unchanged",
                    file.display()
                ))
            })?;
            let mut store = ctx.open_store()?;
            let source = format!("file:{}", file.display());
            match locale {
                Some(l) => {
                    if !ctx.config.ui.languages.contains(&l) {
                        return fail(format!(
                            "--locale {l:?} is not one of this kiosk's languages {:?}",
                            ctx.config.ui.languages
                        ));
                    }
                    store.save_catalogs(&[(l, catalog.clone())], &source)?
                }
                None => store.replace_catalog(&catalog, &source)?,
            }
            println!(
                "imported {} services ({} with questions)",
                catalog.services.len(),
                catalog.definitions.len()
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
