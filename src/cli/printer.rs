//! `guichet printer status|test|render`, `guichet receipt reprint` and `guichet bench receipt`.

use std::path::PathBuf;
use std::sync::Arc;

use clap::Subcommand;

use super::{CliError, Context, fail, print_json};
use crate::printer::transport::Destination;
use crate::printer::{PrintOutcome, Printer};

/// `guichet printer ...`
#[derive(Debug, Subcommand)]
pub enum PrinterCommand {
    /// Query the printer's real-time status.
    Status {
        /// `{"connected":bool,"paper":"ok"|"near_end"|"out"|"unknown","cover_open":bool,"error":bool}`
        #[arg(long)]
        json: bool,
    },
    /// Print a test page.
    Test,
    /// Write the receipt for REF: `.bin` = exact ESC/POS bytes, `.png` = a preview.
    Render {
        /// Reference.
        reference: String,
        /// Output file (.bin or .png).
        #[arg(long, value_parser = parse_render_path)]
        out: PathBuf,
    },
}

/// `guichet receipt ...`
#[derive(Debug, Subcommand)]
pub enum ReceiptCommand {
    /// Print the receipt again.
    Reprint {
        /// Reference.
        reference: String,
    },
}

/// A wrong extension is a usage error (exit 2), caught by clap before anything runs.
fn parse_render_path(s: &str) -> Result<PathBuf, String> {
    let path = PathBuf::from(s);
    match path.extension().and_then(|e| e.to_str()) {
        Some("bin" | "png") => Ok(path),
        _ => Err(format!(
            "{s:?}: the file name must end in .bin (ESC/POS bytes) or .png (preview)"
        )),
    }
}

fn printer(ctx: &Context) -> Result<Printer, CliError> {
    Ok(Printer::new(
        Arc::new(ctx.config.clone()),
        ctx.data_dir.clone(),
    )?)
}

/// Who is named in the audit trail for CLI actions.
fn actor() -> String {
    let user = std::env::var("SUDO_USER")
        .or_else(|_| std::env::var("USER"))
        .unwrap_or_default();
    if user.is_empty() {
        "cli".into()
    } else {
        format!("cli:{user}")
    }
}

pub(super) fn run_printer(ctx: &Context, cmd: PrinterCommand) -> Result<(), CliError> {
    match cmd {
        PrinterCommand::Status { json } => {
            let mut printer = printer(ctx)?;
            if *printer.destination() == Destination::None {
                if json {
                    print_json(&printer.last_status())?;
                }
                return fail("no printer configured (printer.port = \"none\")");
            }
            let status = printer.status();
            if json {
                print_json(&status)?;
            } else {
                println!(
                    "connected: {}, paper: {}, cover open: {}, error: {} (profile {})",
                    status.connected,
                    serde_json::to_value(status.paper)?
                        .as_str()
                        .unwrap_or("unknown"),
                    status.cover_open,
                    status.error,
                    printer.profile().name
                );
            }
            match status.problem() {
                None => Ok(()),
                Some(reason) => fail(reason.describe()),
            }
        }
        PrinterCommand::Test => {
            let mut printer = printer(ctx)?;
            printer
                .print_test_page()
                .map_err(|e| CliError(format!("test page not printed: {e}")))?;
            println!("test page sent (profile {})", printer.profile().name);
            Ok(())
        }
        PrinterCommand::Render { reference, out } => {
            let store = ctx.open_store()?;
            let mut printer = printer(ctx)?;
            let written = if out.extension().is_some_and(|e| e == "png") {
                printer
                    .receipt_preview(&store, &reference)?
                    .save(&out)
                    .map_err(|e| e.to_string())
            } else {
                let bytes = printer.receipt_bytes(&store, &reference, false)?;
                std::fs::write(&out, bytes).map_err(|e| e.to_string())
            };
            written.map_err(|e| CliError(format!("cannot write {}: {e}", out.display())))
        }
    }
}

pub(super) fn run_receipt(ctx: &Context, cmd: ReceiptCommand) -> Result<(), CliError> {
    match cmd {
        ReceiptCommand::Reprint { reference } => {
            let mut store = ctx.open_store()?;
            let mut printer = printer(ctx)?;
            let job = store.request_reprint(&reference, &actor())?;
            match printer.print_job_now(&store, job)? {
                PrintOutcome::Printed => {
                    println!("receipt for {reference} printed");
                    Ok(())
                }
                PrintOutcome::Skipped => fail(format!(
                    "no printer configured (printer.port = \"none\"): give the resident the reference {reference}"
                )),
                PrintOutcome::Failed { reason } => fail(format!(
                    "receipt for {reference} not printed yet ({reason}); it is queued and prints when the printer is ready"
                )),
            }
        }
    }
}

/// `guichet bench receipt`: bytes and wire time of a typical Latin-script receipt, native QR
/// against raster QR.
pub(super) fn bench_receipt(ctx: &Context, json: bool) -> Result<(), CliError> {
    use crate::printer::compose::encode;
    use crate::printer::profile::Profile;
    use crate::printer::raster::TextRenderer;
    use crate::printer::receipt::{ReceiptFacts, layout, qr_payload};
    let translations = crate::i18n::Translations::load()?;
    let config = &ctx.config;
    let reference = "LIB2-00042-K";
    let (qr, qr_is_url) = qr_payload(config, reference);
    let facts = ReceiptFacts {
        reference: reference.into(),
        locale: "en".into(),
        council: non_empty(&config.device.council, "Example City Council"),
        site: non_empty(&config.device.site, "Central Library"),
        service_name: "Pothole or damaged road".into(),
        submitted_at: time::OffsetDateTime::now_utc(),
        qr_payload: qr,
        qr_is_url,
        assisted_by: None,
        help_contact: non_empty(&config.device.help_contact, "0800 555 0100"),
        reprint: false,
    };
    let doc = layout(&facts, &translations);
    // For comparison: the same receipt in Arabic, whose paragraphs must be sent as images.
    let arabic = layout(
        &ReceiptFacts {
            locale: "ar".into(),
            service_name: "حفرة أو طريق تالف".into(),
            ..facts.clone()
        },
        &translations,
    );
    let native = Profile::named("default").ok_or_else(|| CliError("no default profile".into()))?;
    // The same printer and receipt, with the QR code sent as an image instead.
    let raster = Profile {
        native_qr: false,
        ..native.clone()
    };
    let mut fonts = TextRenderer::new();
    // Warm up (font parsing, shaping caches) so the timings are of encoding alone.
    let _ = encode(&arabic, native, &mut fonts);
    let mut rows = Vec::new();
    for (label, profile, doc) in [
        ("Latin, native QR", native, &doc),
        ("Latin, raster QR", &raster, &doc),
        ("Arabic, native QR", native, &arabic),
    ] {
        let started = std::time::Instant::now();
        let bytes = encode(doc, profile, &mut fonts).len();
        let encode_ms = started.elapsed().as_secs_f64() * 1000.0;
        // 8N1: 10 bits per byte on the wire.
        let seconds = |baud: f64| bytes as f64 * 10.0 / baud;
        rows.push(serde_json::json!({
            "receipt": label,
            "profile": profile.name,
            "qr_payload_bytes": facts.qr_payload.len(),
            "bytes": bytes,
            "encode_ms": encode_ms,
            "seconds_9600": seconds(9600.0),
            "seconds_115200": seconds(115200.0),
        }));
    }
    if json {
        return print_json(&rows);
    }
    println!("| receipt | profile | bytes | at 9600 baud | at 115200 baud | encode |");
    println!("|---|---|---:|---:|---:|---:|");
    for r in &rows {
        println!(
            "| {} | {} | {} | {:.2} s | {:.3} s | {:.1} ms |",
            r["receipt"].as_str().unwrap_or(""),
            r["profile"].as_str().unwrap_or(""),
            r["bytes"],
            r["seconds_9600"].as_f64().unwrap_or(0.0),
            r["seconds_115200"].as_f64().unwrap_or(0.0),
            r["encode_ms"].as_f64().unwrap_or(0.0),
        );
    }
    Ok(())
}

fn non_empty(value: &str, default: &str) -> String {
    if value.is_empty() {
        default.into()
    } else {
        value.into()
    }
}
