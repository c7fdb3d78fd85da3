//! `guichet bench ...`: measurements recorded in BENCHMARKS.md. Benchmarks live in the binary so
//! they measure exactly what ships (same database settings, same code paths).

use std::time::Instant;

use clap::Subcommand;

use super::{CliError, Context, print_json};
use crate::validate::{Answer, Contact, Location, ValidForm};

/// `guichet bench ...`
#[derive(Debug, Subcommand)]
pub enum BenchCommand {
    /// Durable enqueue latency: N submissions, each committed with synchronous=FULL.
    Enqueue {
        /// How many submissions.
        #[arg(long, default_value_t = 1000)]
        count: u64,
        /// Print "REFERENCE<TAB>N" after each commit (used by the crash test).
        #[arg(long)]
        print_references: bool,
        /// One JSON document on stdout.
        #[arg(long)]
        json: bool,
    },
    /// Start-up to first rendered frame and peak memory, with the software renderer and the
    /// demo catalogue (BENCHMARKS.md "Touchscreen"). Headless: no display needed.
    Startup {
        /// Window width.
        #[arg(long, default_value_t = 1920)]
        width: u32,
        /// Window height.
        #[arg(long, default_value_t = 1080)]
        height: u32,
        /// One JSON document on stdout.
        #[arg(long)]
        json: bool,
    },
    /// A scanner's keys on "Check a request": each key of a tracking address handled and the
    /// window drawn after it, with the software renderer (BENCHMARKS.md "Keys from a scanner").
    /// Headless: no display needed.
    Keys {
        /// Window width.
        #[arg(long, default_value_t = 1024)]
        width: u32,
        /// Window height.
        #[arg(long, default_value_t = 600)]
        height: u32,
        /// The language of the page.
        #[arg(long, default_value = "en")]
        locale: String,
        /// The text size step (0 the default, 2 the largest).
        #[arg(long, default_value_t = 0)]
        text_size: u8,
        /// How many times the address is typed (the field emptied between).
        #[arg(long, default_value_t = 20)]
        rounds: u32,
        /// One JSON document on stdout.
        #[arg(long)]
        json: bool,
    },
    /// Receipt size and time on the wire in English, Arabic and Ukrainian, for each kind of
    /// printer profile (BENCHMARKS.md "Receipts").
    Receipt {
        /// One JSON document on stdout.
        #[arg(long)]
        json: bool,
    },
}

/// The submission the enqueue benchmark (and the crash test) writes as its `n`-th: its content is
/// derived from `n`, so a reader can check that what was stored is intact.
pub fn bench_form(n: u64) -> ValidForm {
    ValidForm {
        service_code: "BULKY".into(),
        locale: "en".into(),
        answers: [
            (
                "ITEMS".to_string(),
                Answer::Many(vec!["fridge".into(), "garden".into()]),
            ),
            (
                "ITEM_COUNT".to_string(),
                Answer::One((n % 10 + 1).to_string()),
            ),
            (
                "PREFERRED_DATE".to_string(),
                Answer::One("2026-12-01T09:00:00Z".into()),
            ),
        ]
        .into(),
        description: format!("benchmark submission {n}"),
        location: Location {
            address: format!("{n} Benchmark Road"),
            lat: None,
            long: None,
        },
        contact: Contact::default(),
    }
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let idx = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[idx.min(sorted.len() - 1)]
}

pub(super) fn run(ctx: &Context, cmd: BenchCommand) -> Result<(), CliError> {
    match cmd {
        BenchCommand::Receipt { json } => super::printer::bench_receipt(ctx, json),
        BenchCommand::Startup {
            width,
            height,
            json,
        } => {
            let catalogs = crate::catalog::demo_catalogs().into_iter().collect();
            let renderer =
                crate::ui::screenshot::Renderer::new(&ctx.config, catalogs).map_err(CliError)?;
            renderer
                .render("welcome", "en", width, height)
                .map_err(CliError)?;
            let first_frame_ms = crate::clock::since_process_start().as_secs_f64() * 1000.0;
            // A resident's whole journey, to see memory with every page built once.
            for (scene, _) in crate::ui::scenes::SCENES {
                renderer
                    .render(scene, "ar", width, height)
                    .map_err(CliError)?;
            }
            let report = serde_json::json!({
                "width": width,
                "height": height,
                "first_frame_ms": first_frame_ms,
                "peak_rss_mb": crate::clock::peak_rss_kib().map(|k| k as f64 / 1024.0),
            });
            if json {
                print_json(&report)
            } else {
                println!("{report}");
                Ok(())
            }
        }
        BenchCommand::Keys {
            width,
            height,
            locale,
            text_size,
            rounds,
            json,
        } => bench_keys(ctx, (width, height), &locale, text_size, rounds, json),
        BenchCommand::Enqueue {
            count,
            print_references,
            json,
        } => {
            use std::io::Write;
            let mut store = crate::queue::Store::open_at(&ctx.store)?;
            let mut latencies = Vec::with_capacity(count.min(1_000_000) as usize);
            let stdout = std::io::stdout();
            let started = Instant::now();
            for n in 0..count {
                let form = bench_form(n);
                let t = Instant::now();
                let reference = store.enqueue(&ctx.config.device.code, &form, None)?;
                latencies.push(t.elapsed().as_secs_f64() * 1000.0);
                if print_references {
                    let mut out = stdout.lock();
                    writeln!(out, "{reference}\t{n}")?;
                    out.flush()?;
                }
            }
            let total = started.elapsed().as_secs_f64();
            latencies.sort_by(f64::total_cmp);
            let report = serde_json::json!({
                "count": count,
                "p50_ms": percentile(&latencies, 0.50),
                "p99_ms": percentile(&latencies, 0.99),
                "max_ms": latencies.last().copied().unwrap_or(0.0),
                "per_second": count as f64 / total.max(1e-9),
            });
            if json {
                print_json(&report)
            } else if !print_references {
                println!(
                    "enqueue x{count}: p50 {:.2} ms, p99 {:.2} ms, {:.0}/s",
                    report["p50_ms"].as_f64().unwrap_or(0.0),
                    report["p99_ms"].as_f64().unwrap_or(0.0),
                    report["per_second"].as_f64().unwrap_or(0.0)
                );
                Ok(())
            } else {
                Ok(())
            }
        }
    }
}

/// What a handheld scanner types for a receipt's QR code: the tracking address with the
/// reference in it (42 characters), then Enter.
const SCANNED: &str = "https://council.example/track/DEMO-00042-V";

/// `guichet bench keys`: the scanner's keys one by one, as the kiosk receives them, on the
/// "Check a request" page (emptied first); each round types the address, checks that the field holds it whole
/// (a key lost is an error, not a fast key), then empties the field with Backspace.
fn bench_keys(
    ctx: &Context,
    (width, height): (u32, u32),
    locale: &str,
    text_size: u8,
    rounds: u32,
    json: bool,
) -> Result<(), CliError> {
    let catalogs = crate::catalog::demo_catalogs().into_iter().collect();
    let mut renderer =
        crate::ui::screenshot::Renderer::new(&ctx.config, catalogs).map_err(CliError)?;
    renderer.text_size = Some(text_size.min(2));
    renderer
        .render("check-request", locale, width, height)
        .map_err(CliError)?;
    // The scene shows a reference being typed: the field is emptied first.
    let shown = renderer.flow().session().lookup.chars().count();
    for _ in 0..shown {
        renderer.key("\u{8}").map_err(CliError)?;
    }
    let (mut handled, mut drawn, mut scans) = (Vec::new(), Vec::new(), Vec::new());
    let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
    for _ in 0..rounds.max(1) {
        let started = Instant::now();
        for ch in SCANNED.chars() {
            let (h, d) = renderer.key(&ch.to_string()).map_err(CliError)?;
            handled.push(ms(h));
            drawn.push(ms(d));
        }
        scans.push(ms(started.elapsed()));
        let typed = renderer.flow().session().lookup.clone();
        if typed != SCANNED {
            return Err(CliError(format!(
                "the field holds {} characters, not the {} typed: keys were lost",
                typed.chars().count(),
                SCANNED.chars().count()
            )));
        }
        for _ in SCANNED.chars() {
            renderer.key("\u{8}").map_err(CliError)?;
        }
        if !renderer.flow().session().lookup.is_empty() {
            return Err(CliError("Backspace did not empty the field".into()));
        }
    }
    for v in [&mut handled, &mut drawn, &mut scans] {
        v.sort_by(f64::total_cmp);
    }
    let summary = |v: &[f64]| {
        serde_json::json!({
            "p50_ms": percentile(v, 0.50),
            "p99_ms": percentile(v, 0.99),
            "max_ms": v.last().copied().unwrap_or(0.0),
        })
    };
    let report = serde_json::json!({
        "width": width,
        "height": height,
        "locale": locale,
        "text_size": text_size.min(2),
        "keys_per_scan": SCANNED.chars().count(),
        "rounds": rounds.max(1),
        "key_handled": summary(&handled),
        "window_drawn": summary(&drawn),
        "scan_shown": summary(&scans),
    });
    if json {
        print_json(&report)
    } else {
        println!("{report}");
        Ok(())
    }
}
