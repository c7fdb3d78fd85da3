//! `guichet fleet screenshot [--out FILE] [--wait S]`: asks the running kiosk for a picture of
//! its screen, which it takes only between residents (see `runtime::remote_screenshot`).
//!
//! `guichet fleet key [--rotate] [--json]`: the heartbeat key's public half, which the council
//! registers for this kiosk so that its receiver can tell the kiosk's heartbeats from an
//! impostor's (see `sync::heartbeat` and SECURITY.md). The key is made on first use; `--rotate`
//! replaces it (the council must then register the new public key).
//!
//! Why a command of its own: a technician registering a kiosk must read the key without reading
//! files in the data dir, and must never be shown anything secret — only the public key is
//! printed.

use clap::Subcommand;

use super::{CliError, Context, print_json};
use crate::sync::heartbeat::{HeartbeatKey, KEY_FILE};

/// `guichet fleet …`.
#[derive(Debug, Subcommand)]
pub enum FleetCommand {
    /// Ask the running kiosk for a screenshot; it answers only between residents (welcome
    /// screen), never during a session.
    Screenshot {
        /// Copy the picture here (default: print where the kiosk wrote it).
        #[arg(long, value_name = "FILE.png")]
        out: Option<std::path::PathBuf>,
        /// Seconds to wait for the kiosk (1–600).
        #[arg(long, default_value_t = 30)]
        wait: u64,
    },
    /// The heartbeat key's public half, to register with the council (made on first use).
    Key {
        /// Replace the key with a new one first (register the new public key afterwards).
        #[arg(long)]
        rotate: bool,
        /// One JSON document on stdout.
        #[arg(long)]
        json: bool,
    },
}

/// Runs `guichet fleet …`.
pub fn run(ctx: &Context, cmd: FleetCommand) -> Result<(), CliError> {
    match cmd {
        FleetCommand::Key { rotate, json } => key(ctx, rotate, json),
        FleetCommand::Screenshot { out, wait } => screenshot(ctx, out, wait),
    }
}

fn screenshot(ctx: &Context, out: Option<std::path::PathBuf>, wait: u64) -> Result<(), CliError> {
    use crate::runtime::remote_screenshot::{PICTURE_FILE, REQUEST_FILE, REQUEST_TTL};
    if !(1..=600).contains(&wait) {
        return super::fail("--wait: from 1 to 600 seconds");
    }
    let request = ctx.data_dir.join(REQUEST_FILE);
    let picture = ctx.data_dir.join(PICTURE_FILE);
    let asked = std::time::SystemTime::now();
    let previous = std::fs::metadata(&picture).and_then(|m| m.modified()).ok();
    crate::fsutil::write_atomic(
        &request,
        crate::clock::rfc3339(time::OffsetDateTime::now_utc()).as_bytes(),
        0o640,
        None,
    )
    .map_err(|e| CliError(format!("cannot ask the kiosk ({}): {e}", request.display())))?;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(wait);
    loop {
        let taken = std::fs::metadata(&picture)
            .and_then(|m| m.modified())
            .ok()
            .filter(|t| Some(*t) != previous && *t >= asked - std::time::Duration::from_secs(1));
        if taken.is_some() && !request.exists() {
            break;
        }
        if std::time::Instant::now() >= deadline {
            return super::fail(format!(
                "no screenshot within {wait} s: the kiosk is not running, or a resident is using it (it answers only on the welcome screen; the request stays {} minutes)",
                REQUEST_TTL.as_secs() / 60
            ));
        }
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    match out {
        Some(out) => {
            std::fs::copy(&picture, &out)
                .map_err(|e| CliError(format!("cannot write {}: {e}", out.display())))?;
            println!("{}", out.display());
        }
        None => println!("{}", picture.display()),
    }
    Ok(())
}

fn key(ctx: &Context, rotate: bool, json: bool) -> Result<(), CliError> {
    let path = ctx.data_dir.join(KEY_FILE);
    if !ctx.data_dir.is_dir() {
        return super::fail(format!(
            "data dir {} does not exist: run `guichet provision` first (or pass --data-dir)",
            ctx.data_dir.display()
        ));
    }
    let key = if rotate {
        HeartbeatKey::rotate(&path)?
    } else {
        HeartbeatKey::load_or_create(&path)?
    };
    let public = key.public_hex();
    if json {
        return print_json(&serde_json::json!({
            "device": ctx.config.device.code,
            "algorithm": "ed25519",
            "public_key": public,
            "rotated": rotate,
        }));
    }
    println!("device:     {}", ctx.config.device.code);
    println!("algorithm:  ed25519");
    println!("public key: {public}");
    if rotate {
        println!("rotated: register this new public key with the council's heartbeat receiver");
    } else {
        println!("register this public key for the device with the council's heartbeat receiver");
    }
    Ok(())
}
