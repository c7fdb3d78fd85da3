//! `guichet printer status|test|render|profiles`, `guichet receipt reprint` and
//! `guichet bench receipt`.

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
    /// The printer profiles this build knows, with their code pages, native QR and width.
    Profiles {
        /// `[{"name","description","width_dots","native_qr","code_pages":["cp437",...]}]`
        #[arg(long)]
        json: bool,
    },
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

/// One profile as `printer profiles --json` shows it: INTERFACE.md's five keys, then the
/// facts a technician needs to choose between two look-alike models (an extension: scripts that
/// read the five keys are unaffected).
#[derive(serde::Serialize)]
struct ProfileRow {
    name: &'static str,
    description: &'static str,
    width_dots: usize,
    native_qr: bool,
    code_pages: Vec<String>,
    dpi: u16,
    cutter: crate::printer::profile::Cutter,
    feed_unit: crate::printer::profile::FeedUnit,
    raster_quadruple: bool,
}

fn list_profiles(json: bool) -> Result<(), CliError> {
    use crate::printer::profile::PROFILES;
    let rows: Vec<ProfileRow> = PROFILES
        .iter()
        .map(|p| ProfileRow {
            name: p.name,
            description: p.description,
            width_dots: p.width_dots,
            native_qr: p.native_qr,
            code_pages: p.code_pages.iter().map(|(cp, _)| cp.id()).collect(),
            dpi: p.dpi,
            cutter: p.cutter,
            feed_unit: p.feed_unit,
            raster_quadruple: p.raster_quadruple,
        })
        .collect();
    if json {
        return print_json(&rows);
    }
    for r in rows {
        println!("{}: {}", r.name, r.description);
        println!(
            "    {} dots at {} dpi, {} QR, code pages: {}",
            r.width_dots,
            r.dpi,
            if r.native_qr { "native" } else { "raster" },
            r.code_pages.join(" ")
        );
        println!(
            "    cutter: {}, feed unit: {}, raster images in quadruple mode: {}",
            match r.cutter {
                crate::printer::profile::Cutter::None => "none",
                crate::printer::profile::Cutter::Partial => "partial",
            },
            match r.feed_unit {
                crate::printer::profile::FeedUnit::SetByGsP => "one dot, set by GS P",
                crate::printer::profile::FeedUnit::Dot => "one dot, fixed",
            },
            if r.raster_quadruple { "yes" } else { "no" }
        );
    }
    Ok(())
}

pub(super) fn run_printer(ctx: &Context, cmd: PrinterCommand) -> Result<(), CliError> {
    match cmd {
        PrinterCommand::Profiles { json } => list_profiles(json),
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

/// `guichet bench receipt`: bytes and wire time of a typical receipt in English, Arabic and
/// Ukrainian, for each kind of printer profile: with an Arabic code page (Arabic as text), without
/// one (Arabic drawn), and without native QR (QR drawn); plus the `default` printer with its
/// Arabic code page taken away, which is how every Arabic receipt was printed before.
pub(super) fn bench_receipt(ctx: &Context, json: bool) -> Result<(), CliError> {
    use crate::printer::compose::{BlankRows, encode, encode_with};
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
        // A fixed time, so every run measures the same text.
        submitted_at: time::macros::datetime!(2026-11-27 04:20 UTC),
        qr_payload: qr,
        qr_is_url,
        assisted_by: None,
        help_contact: non_empty(&config.device.help_contact, "0800 555 0100"),
        help_hours: config.device.help_hours.clone(),
        response_days: config.device.response_days,
        reprint: false,
        practice: false,
    };
    // Council, site and help hours in each receipt's language where the configuration has them.
    let in_language = |locale: &str, service_name: &str| ReceiptFacts {
        locale: locale.into(),
        service_name: service_name.into(),
        council: non_empty(config.device.council_in(locale), "Example City Council"),
        site: non_empty(config.device.site_in(locale), "Central Library"),
        help_hours: config.device.help_hours_in(locale).to_string(),
        ..facts.clone()
    };
    let receipts = [
        ("English", layout(&facts, &translations)),
        (
            "Arabic",
            layout(&in_language("ar", "حفرة أو طريق تالف"), &translations),
        ),
        (
            "Ukrainian",
            layout(
                &in_language("uk", "Яма або пошкоджена дорога"),
                &translations,
            ),
        ),
    ];
    let named = |name: &str| {
        Profile::named(name).ok_or_else(|| CliError(format!("no {name} profile in this build")))
    };
    let default = named("default")?;
    let without_arabic = Profile {
        name: "default without CP864",
        // A one-shot command: leaking this short list is simpler than a second static table.
        code_pages: Box::leak(
            default
                .code_pages
                .iter()
                .copied()
                .filter(|(cp, _)| *cp != crate::printer::codepage::CodePage::Cp864)
                .collect::<Vec<_>>()
                .into_boxed_slice(),
        ),
        ..default.clone()
    };
    let profiles = [
        ("Arabic code page, native QR", default.clone()),
        ("Arabic code page, raster QR", named("pos-5890")?.clone()),
        ("no Arabic code page, native QR", named("58mm")?.clone()),
        ("no Arabic code page, raster QR", named("zj-5870")?.clone()),
        ("no Arabic code page (as before)", without_arabic),
    ];
    let mut fonts = TextRenderer::new();
    // Warm up (font parsing, shaping caches) so the timings are of encoding alone.
    let _ = encode(&receipts[1].1, &profiles[3].1, &mut fonts);
    let mut rows = Vec::new();
    for (kind, profile) in &profiles {
        for (language, doc) in &receipts {
            let started = std::time::Instant::now();
            let bytes = encode(doc, profile, &mut fonts).len();
            let encode_ms = started.elapsed().as_secs_f64() * 1000.0;
            // The same receipt as the previous round sent it: blank raster rows as zero bytes (no
            // `ESC J`), the raster QR one dot per dot (no quadruple mode).
            let previous = Profile {
                raster_quadruple: false,
                ..profile.clone()
            };
            let rows_sent = encode_with(doc, &previous, &mut fonts, BlankRows::Send).len();
            // 8N1: 10 bits per byte on the wire.
            let seconds = |baud: f64| bytes as f64 * 10.0 / baud;
            rows.push(serde_json::json!({
                "receipt": language,
                "profile": profile.name,
                "kind": kind,
                "qr_payload_bytes": facts.qr_payload.len(),
                "bytes": bytes,
                "bytes_previous_round": rows_sent,
                "encode_ms": encode_ms,
                "seconds_9600": seconds(9600.0),
                "seconds_115200": seconds(115200.0),
            }));
        }
    }
    if json {
        return print_json(&rows);
    }
    println!(
        "| receipt | profile | kind | bytes | previous round | at 9600 baud | at 115200 baud | encode |"
    );
    println!("|---|---|---|---:|---:|---:|---:|---:|");
    for r in &rows {
        println!(
            "| {} | {} | {} | {} | {} | {:.2} s | {:.3} s | {:.1} ms |",
            r["receipt"].as_str().unwrap_or(""),
            r["profile"].as_str().unwrap_or(""),
            r["kind"].as_str().unwrap_or(""),
            r["bytes"],
            r["bytes_previous_round"],
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
