//! `guichet privacy rotate-key|purge|open-export`: the operator's handles on personal data at
//! rest (see SECURITY.md).

use std::io::{Read, Write};
use std::path::PathBuf;

use clap::Subcommand;

use super::{CliError, Context, fail, print_json};
use crate::privacy::export::{MAX_EXPORT_BYTES, open_export};
use crate::privacy::seal::{Kind, key_id_of};

/// `guichet privacy ...`
#[derive(Debug, Subcommand)]
pub enum PrivacyCommand {
    /// Re-seal every stored payload under a new data key, in one transaction, then retire the
    /// old key. Exports sealed under the old key can no longer be opened.
    RotateKey {
        /// One JSON document on stdout.
        #[arg(long)]
        json: bool,
    },
    /// Erase now the personal data whose retention has passed (this also runs after every sync).
    Purge {
        /// One JSON document on stdout.
        #[arg(long)]
        json: bool,
    },
    /// Print the JSON lines of a sealed `queue export` file (sealed under this kiosk's key).
    OpenExport {
        /// The file written by `guichet queue export`.
        file: PathBuf,
        /// Write the JSON lines to this file (owner-only) instead of stdout.
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

pub(super) fn run(ctx: &Context, cmd: PrivacyCommand) -> Result<(), CliError> {
    if matches!(cmd, PrivacyCommand::RotateKey { .. })
        && crate::privacy::key::is_credential(&ctx.store.key_file)
    {
        return Err(CliError(
            "the data key is a systemd credential sealed to this machine's TPM, which cannot be rewritten in place: follow \"Rotating a sealed key\" in kiosk-image/README.md (nothing was changed)".into(),
        ));
    }
    let mut store = ctx.open_store()?;
    match cmd {
        PrivacyCommand::RotateKey { json } => {
            let rotation = store.rotate_key("cli")?;
            if json {
                return print_json(&rotation);
            }
            println!(
                "data key rotated: {} -> {} ({} payload(s) re-sealed)",
                rotation.old_key_id, rotation.new_key_id, rotation.resealed
            );
            if rotation.unreadable > 0 {
                eprintln!(
                    "guichet: {} payload(s) could not be opened with the old key either and were left as they were",
                    rotation.unreadable
                );
            }
            Ok(())
        }
        PrivacyCommand::Purge { json } => {
            let erasure = store.erase_expired(
                ctx.config.privacy.retention_days,
                time::OffsetDateTime::now_utc(),
            )?;
            if json {
                return print_json(&erasure);
            }
            println!(
                "erased the personal data of {} submission(s) accepted {}+ days ago",
                erasure.erased, ctx.config.privacy.retention_days
            );
            Ok(())
        }
        PrivacyCommand::OpenExport { file, out } => {
            let cannot =
                |e: std::io::Error| CliError(format!("cannot read {}: {e}", file.display()));
            let mut sealed = Vec::new();
            std::fs::File::open(&file)
                .map_err(cannot)?
                .take(MAX_EXPORT_BYTES + 1)
                .read_to_end(&mut sealed)
                .map_err(cannot)?;
            if sealed.len() as u64 > MAX_EXPORT_BYTES {
                return fail(format!(
                    "{} is larger than any export ({MAX_EXPORT_BYTES} bytes)",
                    file.display()
                ));
            }
            let Some(id) = key_id_of(Kind::Export, &sealed) else {
                return fail(format!(
                    "{} is not a sealed export written by `guichet queue export`",
                    file.display()
                ));
            };
            let key = store.data_key();
            if id != key.id() {
                return fail(format!(
                    "{} was sealed under data key {id}, but this kiosk's key is {}: it was rotated since, or the export comes from another kiosk",
                    file.display(),
                    key.id()
                ));
            }
            let lines = open_export(&key, &sealed)
                .map_err(|e| CliError(format!("{} cannot be opened: {e}", file.display())))?;
            match out {
                Some(out) => {
                    let mut f = super::queue::create_private(&out)?;
                    f.write_all(&lines)?;
                    f.sync_all()?;
                }
                None => std::io::stdout().lock().write_all(&lines)?,
            }
            store.audit("cli", "privacy.open-export", None, "")?;
            Ok(())
        }
    }
}
