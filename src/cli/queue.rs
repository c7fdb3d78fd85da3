//! `guichet queue list|show|retry|export`.

use std::io::Write;
use std::path::PathBuf;

use clap::Subcommand;

use super::{CliError, Context, print_json};
use crate::queue::State;

/// `guichet queue ...`
#[derive(Debug, Subcommand)]
pub enum QueueCommand {
    /// List submissions, newest first.
    List {
        /// Only this state: pending, accepted or rejected.
        #[arg(long)]
        state: Option<State>,
        /// A JSON array on stdout.
        #[arg(long)]
        json: bool,
    },
    /// One submission, answers included.
    Show {
        /// Reference, e.g. LIB2-00042-7.
        reference: String,
        /// One JSON document on stdout.
        #[arg(long)]
        json: bool,
    },
    /// Put a rejected submission back to pending.
    Retry {
        /// Reference.
        reference: String,
    },
    /// Write everything not yet accepted as JSON lines, sealed under the data key (for carrying
    /// on a USB stick); read it back with `guichet privacy open-export FILE`.
    Export {
        /// Output file (created with owner-only permissions).
        #[arg(long)]
        out: PathBuf,
    },
}

/// Accepts references as people type them but stores the canonical form.
fn canonical(reference: &str) -> String {
    crate::reference::Reference::parse(reference)
        .map(|r| r.to_string())
        .unwrap_or_else(|_| reference.trim().to_string())
}

pub(super) fn run(ctx: &Context, cmd: QueueCommand) -> Result<(), CliError> {
    let mut store = ctx.open_store()?;
    match cmd {
        QueueCommand::List { state, json } => {
            let rows = store.list(state)?;
            if json {
                return print_json(&rows);
            }
            if rows.is_empty() {
                println!("(no submissions)");
            }
            for r in rows {
                println!(
                    "{:<16} {:<9} {:<14} {}  {}",
                    r.reference,
                    r.state.as_str(),
                    r.service_code,
                    r.created_at,
                    r.last_error
                        .or(r.remote_id.map(|id| format!("remote id {id}")))
                        .unwrap_or_default()
                );
            }
            Ok(())
        }
        QueueCommand::Show { reference, json } => {
            let s = store.get(&canonical(&reference))?;
            if json {
                return print_json(&s);
            }
            println!("reference:    {}", s.reference);
            println!("state:        {}", s.state.as_str());
            println!("service:      {}", s.service_code);
            println!("language:     {}", s.locale);
            println!("created:      {}", s.created_at);
            if let Some(id) = &s.remote_id {
                println!("remote id:    {id}");
            }
            if let Some(status) = &s.remote_status {
                println!("status:       {status}");
            }
            if let Some(e) = &s.last_error {
                println!("last error:   {e}");
            }
            if let Some(who) = &s.assisted_by {
                println!("assisted by:  {who}");
            }
            match &s.form {
                Some(form) => {
                    for (code, answer) in &form.answers {
                        println!("answer {code}: {}", serde_json::to_string(answer)?);
                    }
                    if !form.description.is_empty() {
                        println!("description:  {}", form.description);
                    }
                    println!("address:      {}", form.location.address);
                }
                None => println!(
                    "personal data erased on {}",
                    s.erased_at.as_deref().unwrap_or("?")
                ),
            }
            for a in &s.attempt_log {
                println!("attempt {}: {} {}", a.at, a.outcome, a.detail);
            }
            Ok(())
        }
        QueueCommand::Retry { reference } => {
            let reference = canonical(&reference);
            store.retry(&reference, "cli")?;
            println!("{reference} is pending again");
            Ok(())
        }
        QueueCommand::Export { out } => {
            let submissions = store.unaccepted()?;
            // The JSON lines exist in clear only in memory; the file holds one sealed envelope.
            let mut lines = zeroize::Zeroizing::new(Vec::new());
            for s in &submissions {
                serde_json::to_writer(&mut *lines, s)?;
                lines.push(b'\n');
            }
            let sealed = crate::privacy::export::seal_export(&store.data_key(), &lines);
            let mut file = create_private(&out)?;
            file.write_all(&sealed)
                .map_err(|e| CliError(format!("cannot write {}: {e}", out.display())))?;
            file.sync_all()?;
            eprintln!(
                "exported {} submissions to {}",
                submissions.len(),
                out.display()
            );
            store.audit(
                "cli",
                "queue.export",
                None,
                &format!("{} submissions", submissions.len()),
            )?;
            Ok(())
        }
    }
}

/// Creates (or empties) a file readable by its owner only, for personal data. A symbolic link
/// is refused (it could send the data anywhere), so is anything but a regular file, and an
/// existing file is made owner-only *before* anything is written to it.
pub(super) fn create_private(path: &std::path::Path) -> Result<std::fs::File, CliError> {
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
    let cannot = |e: std::io::Error| CliError(format!("cannot write {}: {e}", path.display()));
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(false)
        .mode(0o600)
        // No following a link; no blocking on a FIFO someone left there.
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_CLOEXEC)
        .open(path)
        .map_err(|e| {
            if e.raw_os_error() == Some(libc::ELOOP) {
                CliError(format!(
                    "{} is a symbolic link: refusing to write personal data through it; give the real path",
                    path.display()
                ))
            } else {
                cannot(e)
            }
        })?;
    let meta = file.metadata().map_err(cannot)?;
    if !meta.is_file() {
        return Err(CliError(format!(
            "{} is not a regular file: refusing to write personal data into it",
            path.display()
        )));
    }
    file.set_permissions(std::fs::Permissions::from_mode(0o600))
        .map_err(cannot)?;
    file.set_len(0).map_err(cannot)?;
    Ok(file)
}
