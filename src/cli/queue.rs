//! `guichet queue list|show|retry|resolve|refile|cancel|export`.

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
        /// Only this state: pending, accepted, rejected, review, cancelled or practice.
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
    /// Put a rejected submission back to pending (or all of them with --all-rejected).
    Retry {
        /// Reference.
        #[arg(
            required_unless_present = "all_rejected",
            conflicts_with = "all_rejected"
        )]
        reference: Option<String>,
        /// Every rejected submission.
        #[arg(long)]
        all_rejected: bool,
        /// With --all-rejected: only those refused at or after this time (RFC 3339).
        #[arg(long, requires = "all_rejected")]
        since: Option<String>,
    },
    /// Decide a submission in review: the server has it (--sent ID), or send it again.
    Resolve {
        /// Reference.
        reference: String,
        /// It is on the council's server with this service_request_id.
        #[arg(long, conflicts_with = "resend", required_unless_present = "resend")]
        sent: Option<String>,
        /// It is not on the server: send it again.
        #[arg(long)]
        resend: bool,
    },
    /// Re-file a rejected submission under another service of the cached catalogue (its
    /// description, location and contact are kept; answers are given again).
    Refile {
        /// Reference.
        reference: String,
        /// The service to file it under.
        #[arg(long)]
        service: String,
        /// An answer for the new service (repeat for each; a multivaluelist repeats the code).
        #[arg(long = "answer", value_name = "CODE=VALUE")]
        answers: Vec<String>,
    },
    /// Cancel a pending (not being delivered), review or rejected submission: its personal
    /// data is erased, it is kept as `cancelled` (audited) and never sent.
    Cancel {
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
            if let Some(text) = store.server_text(&s.reference)? {
                println!("server said:  {text}");
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
        QueueCommand::Retry {
            reference,
            all_rejected,
            since,
        } => {
            if all_rejected {
                if let Some(since) = &since
                    && time::OffsetDateTime::parse(
                        since,
                        &time::format_description::well_known::Rfc3339,
                    )
                    .is_err()
                {
                    return super::fail(format!(
                        "--since {since:?} is not an RFC 3339 time (e.g. 2026-12-01T09:00:00Z)"
                    ));
                }
                let since = since.map(|s| {
                    time::OffsetDateTime::parse(&s, &time::format_description::well_known::Rfc3339)
                        .map(crate::clock::rfc3339)
                        .unwrap_or(s)
                });
                let n = store.retry_all_rejected(since.as_deref(), "cli")?;
                println!("{n} rejected submission(s) are pending again");
                return Ok(());
            }
            let reference = canonical(reference.as_deref().unwrap_or_default());
            store.retry(&reference, "cli")?;
            println!("{reference} is pending again");
            Ok(())
        }
        QueueCommand::Resolve {
            reference,
            sent,
            resend,
        } => {
            let reference = canonical(&reference);
            let resolution = match (sent, resend) {
                (Some(id), _) => match crate::queue::Resolution::sent(&id) {
                    Some(sent) => sent,
                    None => return super::fail("--sent needs the council's service_request_id"),
                },
                (None, _) => crate::queue::Resolution::Resend,
            };
            store.resolve(&reference, &resolution, "cli")?;
            match resolution {
                crate::queue::Resolution::Sent(id) => {
                    println!("{reference} is accepted (service_request_id {id})")
                }
                crate::queue::Resolution::Resend => {
                    println!("{reference} will be sent again at the next sync")
                }
            }
            Ok(())
        }
        QueueCommand::Refile {
            reference,
            service,
            answers,
        } => {
            let reference = canonical(&reference);
            let current = store.get(&reference)?;
            let Some(old) = current.form else {
                return super::fail(format!(
                    "{reference}: its personal data was erased; it cannot be re-filed"
                ));
            };
            let Some(catalog) = store.catalog_for(&old.locale)? else {
                return super::fail("no catalogue is cached: run `guichet catalog refresh`");
            };
            let form = super::submit::revalidate(ctx, &catalog, &old, &service, &answers)?;
            store.refile(&reference, &form, "cli")?;
            println!("{reference} is re-filed under {service} and pending again");
            Ok(())
        }
        QueueCommand::Cancel { reference } => {
            let reference = canonical(&reference);
            store.cancel_submission(&reference, "cli")?;
            println!(
                "{reference} is cancelled: its personal data is erased and it will not be sent"
            );
            Ok(())
        }
        QueueCommand::Export { out } => {
            let (submissions, skipped) = store.unaccepted_readable()?;
            for (reference, why) in &skipped {
                eprintln!("guichet: {reference} left out of the export: {why}");
            }
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
                &format!(
                    "{} submissions, {} unreadable left out",
                    submissions.len(),
                    skipped.len()
                ),
            )?;
            if !skipped.is_empty() {
                return super::fail(format!(
                    "{} submission(s) could not be opened and were left out: {} (the rest is exported)",
                    skipped.len(),
                    skipped
                        .iter()
                        .map(|(r, _)| r.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
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
