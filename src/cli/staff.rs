//! `guichet staff add NAME | list [--json] | remove NAME`: the accounts of assisted mode's PIN
//! pad (`crate::staff`); `staff help-requests [--json]` and `staff help-done ID --as NAME`: residents'
//! help requests. The PIN is read from stdin (one line; asked twice without echo on a
//! terminal), never from the command line where `ps` and shell history would keep it.

use std::io::{BufRead, IsTerminal, Read, Write};

use clap::Subcommand;
use zeroize::Zeroizing;

use super::{CliError, Context, print_json};
use crate::staff::{Desk, DeskSettings, StaffSession};

/// `guichet staff ...`
#[derive(Debug, Subcommand)]
pub enum StaffCommand {
    /// Add an account; its PIN (6 to 12 digits, unlike any other account's) is read from stdin.
    Add {
        /// The name printed on receipts ("Assisted by NAME") and audited.
        name: String,
    },
    /// List the accounts (never their PINs).
    List {
        /// A JSON array `[{"name","created_at"}]` on stdout.
        #[arg(long)]
        json: bool,
    },
    /// Remove an account.
    Remove {
        /// The account's name.
        name: String,
    },
    /// Help requests from residents that staff have not marked done, oldest first.
    HelpRequests {
        /// A JSON array on stdout.
        #[arg(long)]
        json: bool,
    },
    /// Mark a help request done (who came is recorded and audited).
    HelpDone {
        /// The request's id (`guichet staff help-requests`).
        id: i64,
        /// The staff member who came.
        #[arg(long = "as", value_name = "NAME")]
        by: String,
    },
}

/// Longest line read as a PIN.
const PIN_LINE_MAX: u64 = 64;

/// Turns terminal echo off while it lives (a PIN typed on a terminal is not shown).
struct NoEcho(Option<libc::termios>);

impl NoEcho {
    fn new() -> NoEcho {
        // SAFETY: tcgetattr/tcsetattr on fd 0 with a zeroed, then filled, termios.
        unsafe {
            let mut t: libc::termios = std::mem::zeroed();
            if libc::tcgetattr(0, &mut t) != 0 {
                return NoEcho(None);
            }
            let saved = t;
            t.c_lflag &= !libc::ECHO;
            if libc::tcsetattr(0, libc::TCSANOW, &t) != 0 {
                return NoEcho(None);
            }
            NoEcho(Some(saved))
        }
    }
}

impl Drop for NoEcho {
    fn drop(&mut self) {
        if let Some(saved) = &self.0 {
            // SAFETY: restores the attributes read in `new`.
            unsafe {
                libc::tcsetattr(0, libc::TCSANOW, saved);
            }
            eprintln!();
        }
    }
}

fn read_pin_line(prompt: Option<&str>) -> Result<Zeroizing<String>, CliError> {
    let _echo = prompt.map(|p| {
        eprint!("{p}");
        let _ = std::io::stderr().flush();
        NoEcho::new()
    });
    let mut line = Zeroizing::new(String::new());
    std::io::stdin()
        .lock()
        .take(PIN_LINE_MAX)
        .read_line(&mut line)
        .map_err(|e| CliError(format!("cannot read the PIN from stdin: {e}")))?;
    Ok(line)
}

fn read_pin() -> Result<Zeroizing<String>, CliError> {
    if std::io::stdin().is_terminal() {
        let pin = read_pin_line(Some("PIN (6 to 12 digits): "))?;
        let again = read_pin_line(Some("The same PIN again: "))?;
        if pin.trim() != again.trim() {
            return super::fail("the two PINs differ: nothing was added");
        }
        Ok(pin)
    } else {
        read_pin_line(None)
    }
}

pub(super) fn run(ctx: &Context, cmd: StaffCommand) -> Result<(), CliError> {
    let mut store = ctx.open_store()?;
    let mut desk = Desk::new(&mut store, DeskSettings::from_config(&ctx.config));
    match cmd {
        StaffCommand::Add { name } => {
            let pin = read_pin()?;
            desk.add_staff(&name, &pin, "cli")?;
            eprintln!("staff account {:?} added", name.trim());
            Ok(())
        }
        StaffCommand::List { json } => {
            let accounts = desk.list_staff()?;
            if json {
                print_json(&accounts)
            } else {
                if accounts.is_empty() {
                    println!("no staff accounts: add one with `guichet staff add NAME`");
                }
                for a in accounts {
                    println!("{:<40} added {}", a.name, a.created_at);
                }
                Ok(())
            }
        }
        StaffCommand::Remove { name } => {
            desk.remove_staff(&name, "cli")?;
            eprintln!("staff account {:?} removed", name.trim());
            Ok(())
        }
        StaffCommand::HelpRequests { json } => {
            let open = desk.open_help_requests()?;
            if json {
                return print_json(&open);
            }
            if open.is_empty() {
                println!("no open help requests");
            }
            for h in open {
                println!(
                    "{:>6}  asked {}  staff {}",
                    h.id,
                    h.requested_at,
                    h.notify.as_str()
                );
            }
            Ok(())
        }
        StaffCommand::HelpDone { id, by } => {
            let name = by.trim();
            if !desk.list_staff()?.iter().any(|a| a.name == name) {
                return Err(crate::staff::StaffError::NoSuchStaff(name.to_string()).into());
            }
            desk.help_done(&StaffSession::for_cli(name), id)?;
            eprintln!("help request {id} marked done by {name}");
            Ok(())
        }
    }
}
