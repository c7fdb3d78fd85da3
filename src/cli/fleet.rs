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
    }
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
