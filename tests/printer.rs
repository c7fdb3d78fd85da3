//! Receipts: what goes down a real (pseudo-terminal) serial line to a test printer that decodes
//! it and answers status queries; paper-out and unplugged printers; retries; reprints; and the
//! `file:` sink through the real binary.

mod common;
mod printer_support;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc;
use std::time::Duration;

use common::{OutputText, TestDir, guichet};
use guichet::config::{Config, ConfigSource};
use guichet::printer::{FailureReason, Paper, PrintEvent, PrintOutcome, Printer};
use guichet::queue::JobState;
use guichet::queue::Store;
use guichet::validate::{Answer, Contact, Location, ValidForm};
use printer_support::decoder::{Cmd, Decoded, Decoder, logical_text, printed_image};
use printer_support::fake::{FakePrinter, Mode};

/// Strings from the resident's form: none may ever reach the paper.
const PERSONAL: &[&str] = &[
    "SECRET-DESCRIPTION",
    "12 Secret Street",
    "Ann",
    "Lovelace",
    "ann@example.org",
    "07700900123",
];

fn form(locale: &str) -> ValidForm {
    ValidForm {
        service_code: "POTHOLE".into(),
        locale: locale.into(),
        answers: [("SIZE".to_string(), Answer::One("large".into()))].into(),
        description: "SECRET-DESCRIPTION".into(),
        location: Location {
            address: "12 Secret Street".into(),
            lat: None,
            long: None,
        },
        contact: Contact {
            first_name: "Ann".into(),
            last_name: "Lovelace".into(),
            email: "ann@example.org".into(),
            phone: "07700900123".into(),
        },
    }
}

fn serial_config(dir: &Path, port: &Path) -> (PathBuf, Config) {
    let text = format!(
        r#"
[device]
code = "LIB2"
site = "Central Library"
council = "Example Council"
help_contact = "0800 555 0100"
help_hours = "Monday to Friday, 9:00-17:00"
response_days = 10
data_dir = "{}"
[device.by_language.fr]
council = "Mairie d'Exemple"
help_hours = "du lundi au vendredi, 9 h - 17 h"
[central]
kind = "none"
status_url = "https://council.example/track/{{reference}}"
[printer]
port = "{}"
baud = 9600
flow_control = "none"
profile = "default"
"#,
        dir.display(),
        port.display()
    );
    let path = dir.join("kiosk.toml");
    std::fs::write(&path, &text).unwrap();
    let config = Config::parse(&text, &ConfigSource::File(path.clone())).unwrap();
    (path, config)
}

fn collect(printer: &mut Printer, store: &Store) -> Vec<PrintEvent> {
    let mut events = Vec::new();
    printer
        .print_pending(store, &mut |e| events.push(e))
        .unwrap();
    events
}

fn printed(reference: &str) -> PrintEvent {
    PrintEvent {
        reference: reference.into(),
        outcome: PrintOutcome::Printed,
    }
}

fn failed(reference: &str, reason: FailureReason) -> PrintEvent {
    PrintEvent {
        reference: reference.into(),
        outcome: PrintOutcome::Failed { reason },
    }
}

fn status_queries(cmds: &[Cmd]) -> Vec<usize> {
    cmds.iter()
        .enumerate()
        .filter(|(_, c)| matches!(c, Cmd::StatusQuery(_)))
        .map(|(i, _)| i)
        .collect()
}

/// Everything over pseudo-terminals runs in this one test: `TTYPort::pair` is not thread-safe.
#[test]
fn receipts_over_a_serial_line() {
    let dir = TestDir::new("serial");
    let port = dir.path().join("ttyPRINTER");
    let (config_path, config) = serial_config(dir.path(), &port);
    let config = Arc::new(config);
    let mut store = Store::open(dir.path()).unwrap();
    store.ensure_demo_catalog().unwrap();
    let mut printer = Printer::new(config.clone(), dir.path().to_path_buf()).unwrap();

    // --- A ready printer prints the receipt: text, large reference, QR payload, cut. ---------
    let fake = FakePrinter::plug_in(&port, Mode::Ready);
    let first = store
        .enqueue("LIB2", &form("fr"), Some("alice"))
        .unwrap()
        .as_str()
        .to_string();
    assert_eq!(collect(&mut printer, &store), [printed(&first)]);
    fake.wait_for(Duration::from_secs(5), "the cut", |c| c.cuts() == 1);
    let got = fake.received();
    assert!(
        got.unknown().is_empty(),
        "unexpected commands {:?}",
        got.unknown()
    );
    // Paragraphs wrap at spaces: read them as one text.
    let text = got.text().replace('\n', " ");
    for expected in [
        // The council's French name, the site's only name.
        "Mairie d'Exemple",
        "Central Library",
        "Demande enregistrée",
        "Horaires : du lundi au vendredi, 9 h - 17 h",
        "La mairie s'engage à traiter votre demande sous 10 jours ouvrés.",
        "Service : Nid-de-poule ou route abîmée",
        "Avec l'aide de alice",
        "Si vous avez une question, appelez le 0800 555 0100.",
        "Votre numéro de référence",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} not printed in:\n{text}"
        );
    }
    let reference_line = got
        .lines()
        .into_iter()
        .find(|l| l.text == first)
        .expect("the reference on its own line");
    assert_eq!(
        (
            reference_line.width,
            reference_line.height,
            reference_line.bold,
            reference_line.align
        ),
        (2, 2, true, 1),
        "the reference is large, bold and centred"
    );
    assert_eq!(
        got.qr_payloads(),
        [format!("https://council.example/track/{first}")]
    );
    assert!(got.contains(&Cmd::QrModel(50)) && got.contains(&Cmd::QrPrint));
    let raw = String::from_utf8_lossy(&fake.raw()).into_owned();
    for secret in PERSONAL {
        assert!(!raw.contains(secret), "personal data {secret:?} was sent");
    }
    // Status asked before anything is printed and again after the cut.
    let queries = status_queries(&got);
    let init = got.iter().position(|c| *c == Cmd::Init).unwrap();
    let cut = got.iter().position(|c| matches!(c, Cmd::Cut(_))).unwrap();
    assert!(queries.iter().any(|&q| q < init), "status before the job");
    assert!(queries.iter().any(|&q| q > cut), "status after the job");
    assert_eq!(
        store.print_jobs_for(&first).unwrap()[0].state,
        JobState::Printed
    );
    assert_eq!(printer.last_status().paper, Paper::Ok);

    // --- Paper out: nothing is sent, the job waits, and prints once paper is loaded. ----------
    fake.clear();
    fake.set_mode(Mode::PaperOut);
    let second = store
        .enqueue("LIB2", &form("en"), None)
        .unwrap()
        .as_str()
        .to_string();
    assert_eq!(
        collect(&mut printer, &store),
        [failed(&second, FailureReason::PaperOut)]
    );
    let status = printer.status();
    assert_eq!(
        serde_json::to_value(status).unwrap(),
        serde_json::json!({"connected": true, "paper": "out", "cover_open": false, "error": false})
    );
    // Still out: the job is not reported again, nor counted again.
    assert_eq!(collect(&mut printer, &store), []);
    let job = &store.print_jobs_for(&second).unwrap()[0];
    assert_eq!((job.state, job.attempts), (JobState::Pending, 1));
    assert!(job.last_error.as_deref().unwrap().starts_with("paper_out"));
    assert!(
        fake.received().qr_payloads().is_empty(),
        "nothing printed without paper"
    );
    fake.set_mode(Mode::Ready);
    assert_eq!(collect(&mut printer, &store), [printed(&second)]);
    fake.wait_for(Duration::from_secs(5), "the retried receipt", |c| {
        c.cuts() == 1
    });
    assert_eq!(
        fake.received().qr_payloads(),
        [format!("https://council.example/track/{second}")],
        "printed exactly once"
    );
    let english = fake.received().text().replace('\n', " ");
    assert!(english.contains("Request saved"), "in English this time");
    assert!(
        english.contains("Example Council") && english.contains("Opening hours: Monday to Friday"),
        "{english}"
    );

    // --- Cover open and near-end are told apart; near-end still prints. -----------------------
    fake.set_mode(Mode::CoverOpen);
    let s = printer.status();
    assert!(s.cover_open && s.problem() == Some(FailureReason::CoverOpen));
    fake.set_mode(Mode::NearEnd);
    assert_eq!(printer.status().paper, Paper::NearEnd);
    assert_eq!(printer.status().problem(), None);
    // The binary reports the same, and exits 1 while the cover is open.
    fake.set_mode(Mode::CoverOpen);
    let out = guichet_with_config(&dir, &config_path, &["printer", "status", "--json"]);
    assert_eq!(out.status.code(), Some(1), "{}", out.stderr_text());
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        json,
        serde_json::json!({"connected": true, "paper": "ok", "cover_open": true, "error": false})
    );
    assert!(
        out.stderr_text().contains("cover open"),
        "{}",
        out.stderr_text()
    );
    assert_eq!(out.stderr_text().trim().lines().count(), 1);
    let out = guichet_with_config(&dir, &config_path, &["doctor", "--json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let check = json["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "printer")
        .unwrap()
        .clone();
    assert_eq!(check["ok"], false, "{check}");
    assert!(
        check["detail"].as_str().unwrap().contains("cover open"),
        "{check}"
    );
    assert_eq!(out.status.code(), Some(1));

    // --- A printer that does not answer (switched off) is not connected. ----------------------
    fake.set_mode(Mode::Silent);
    let third = store
        .enqueue("LIB2", &form("en"), None)
        .unwrap()
        .as_str()
        .to_string();
    assert_eq!(
        collect(&mut printer, &store),
        [failed(&third, FailureReason::NotConnected)]
    );
    assert!(!printer.last_status().connected);
    assert_eq!(printer.last_status().paper, Paper::Unknown);
    fake.set_mode(Mode::Ready);
    fake.clear();
    assert_eq!(collect(&mut printer, &store), [printed(&third)]);

    // --- Unplugged: the port is gone. The worker reports it, then prints when plugged back. ---
    fake.unplug();
    assert!(!port.exists());
    let (tx, rx) = mpsc::channel();
    let worker = guichet::printer::spawn_print_worker(
        config.clone(),
        guichet::queue::StoreLocation::in_dir(dir.path()),
        move |e| {
            let _ = tx.send(e);
        },
    );
    let fourth = store
        .enqueue("LIB2", &form("pl"), None)
        .unwrap()
        .as_str()
        .to_string();
    worker.wake();
    let event = rx.recv_timeout(Duration::from_secs(10)).expect("an event");
    assert_eq!(event, failed(&fourth, FailureReason::NotConnected));
    assert!(!worker.status().connected);
    let job = &store.print_jobs_for(&fourth).unwrap()[0];
    assert_eq!(
        job.state,
        JobState::Pending,
        "kept for when the printer is back"
    );

    let fake = FakePrinter::plug_in(&port, Mode::Ready);
    // No wake: the worker's own retry finds the printer again.
    let event = rx
        .recv_timeout(guichet::printer::worker::RETRY_INTERVAL * 4)
        .expect("printed after replug");
    assert_eq!(event, printed(&fourth));
    fake.wait_for(Duration::from_secs(5), "the receipt after replug", |c| {
        c.cuts() == 1
    });
    let got = fake.received();
    assert_eq!(
        got.qr_payloads(),
        [format!("https://council.example/track/{fourth}")]
    );
    assert!(got.text().contains("Zgłoszenie zapisane"), "{}", got.text());
    // Polish is sent as text in CP852 (ESC t 18), not as an image.
    assert!(got.contains(&Cmd::CodePage(18)));
    assert!(worker.status().connected);
    assert!(rx.try_recv().is_err(), "one event per job");
    drop(worker);

    // --- A staff reprint: a new job, audited, printed as a copy. ------------------------------
    fake.clear();
    let job = store.request_reprint(&first, "staff:bob").unwrap();
    assert_eq!(
        printer.print_job_now(&store, job).unwrap(),
        PrintOutcome::Printed
    );
    fake.wait_for(Duration::from_secs(5), "the reprint", |c| c.cuts() == 1);
    let got = fake.received();
    assert!(got.text().contains("DUPLICATA"), "{}", got.text());
    assert_eq!(
        got.qr_payloads(),
        [format!("https://council.example/track/{first}")]
    );
    let jobs = store.print_jobs_for(&first).unwrap();
    assert_eq!(jobs.len(), 2);
    assert!(jobs[1].reprint && jobs[1].state == JobState::Printed);
    let audits: i64 = store
        .connection()
        .query_row(
            "SELECT count(*) FROM audit WHERE action = 'receipt.reprint' AND reference = ?1 AND actor = 'staff:bob'",
            [&first],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(audits, 1);

    // --- `receipt reprint` through the binary while the printer is out of paper: queued. ------
    fake.set_mode(Mode::PaperOut);
    let out = guichet_with_config(&dir, &config_path, &["receipt", "reprint", &second]);
    assert_eq!(out.status.code(), Some(1));
    let err = out.stderr_text();
    assert!(err.contains("queued") && err.contains("paper"), "{err}");
    let jobs = store.print_jobs_for(&second).unwrap();
    assert_eq!(jobs.last().unwrap().state, JobState::Pending);
    fake.set_mode(Mode::Ready);
    let out = guichet_with_config(&dir, &config_path, &["printer", "test"]);
    assert!(out.status.success(), "{}", out.stderr_text());
    drop(fake);
}

fn guichet_with_config(dir: &TestDir, config: &Path, args: &[&str]) -> std::process::Output {
    let mut full = vec!["--config", config.to_str().unwrap()];
    full.extend_from_slice(args);
    guichet(dir, &full)
}

/// `guichet [--config CONFIG] printer render REF --out NAME.bin`, then the decoded commands
/// (the exact bytes the printer would get). Returns the commands and the file's size.
fn render_and_decode(
    dir: &TestDir,
    config: Option<&Path>,
    reference: &str,
    name: &str,
) -> (Vec<Cmd>, u64) {
    let bin = dir.path().join(name);
    let args = [
        "printer",
        "render",
        reference,
        "--out",
        bin.to_str().unwrap(),
    ];
    let out = match config {
        Some(config) => guichet_with_config(dir, config, &args),
        None => guichet(dir, &args),
    };
    assert!(out.status.success(), "{}", out.stderr_text());
    let bytes = std::fs::read(&bin).unwrap();
    (Decoder::decode_all(&bytes), bytes.len() as u64)
}

fn submit(dir: &TestDir, locale: &str) -> String {
    let out = guichet(
        dir,
        &[
            "submit",
            "--service",
            "POTHOLE",
            "--answer",
            "SIZE=large",
            "--address",
            "12 Secret Street",
            "--email",
            "ann@example.org",
            "--locale",
            locale,
        ],
    );
    assert!(out.status.success(), "{}", out.stderr_text());
    out.stdout_text().trim().to_string()
}

#[test]
fn file_sink_render_and_reprint_through_the_binary() {
    let dir = TestDir::new("filesink");
    let reference = submit(&dir, "en");

    // .bin: exactly what the printer would get.
    let (cmds, _) = render_and_decode(&dir, None, &reference, "r.bin");
    let bin = dir.path().join("r.bin");
    assert!(cmds.unknown().is_empty(), "{:?}", cmds.unknown());
    assert_eq!(
        cmds.qr_payloads(),
        std::slice::from_ref(&reference),
        "demo: no status URL"
    );
    assert_eq!(cmds.cuts(), 1);
    let text = cmds.text();
    for expected in [
        "Demo City Council",
        "Demo Library",
        "Service: Pothole or damaged road",
    ] {
        assert!(text.contains(expected), "{expected:?} in {text}");
    }
    assert!(!text.contains("Secret") && !text.contains("ann@"), "{text}");
    assert!(cmds.rasters().is_empty(), "English needs no images");
    let size = std::fs::metadata(&bin).unwrap().len();
    assert!(
        size < 2048,
        "a Latin receipt with native QR is under 2 KB: {size}"
    );

    // .png: a preview one pixel per dot of the 80 mm paper.
    let png = dir.path().join("r.png");
    let out = guichet(
        &dir,
        &[
            "printer",
            "render",
            &reference,
            "--out",
            png.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", out.stderr_text());
    let image = image::open(&png).unwrap().to_luma8();
    assert_eq!(image.width(), 576);
    assert!(image.height() > 600);

    // The profiles a technician can pick from: INTERFACE.md's five keys, and the extension's
    // four (resolution, cutter, feed unit, quadruple raster), per profile.
    let out = guichet(&dir, &["printer", "profiles", "--json"]);
    assert!(out.status.success(), "{}", out.stderr_text());
    let profiles: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let profile = |name: &str| {
        profiles
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == name)
            .unwrap()
            .clone()
    };
    let default = profile("default");
    let mut keys: Vec<&String> = default.as_object().unwrap().keys().collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "code_pages",
            "cutter",
            "description",
            "dpi",
            "feed_unit",
            "name",
            "native_qr",
            "raster_quadruple",
            "width_dots"
        ]
    );
    let facts = |p: &serde_json::Value| {
        (
            p["dpi"].as_u64(),
            p["cutter"].as_str().map(str::to_owned),
            p["feed_unit"].as_str().map(str::to_owned),
            p["raster_quadruple"].as_bool(),
        )
    };
    assert_eq!(
        facts(&default),
        (
            Some(203),
            Some("partial".into()),
            Some("set_by_gs_p".into()),
            Some(true)
        )
    );
    assert_eq!(
        facts(&profile("pos-5890")),
        (
            Some(203),
            Some("none".into()),
            Some("dot".into()),
            Some(true)
        )
    );
    assert_eq!(
        (
            default["width_dots"].as_u64(),
            default["native_qr"].as_bool()
        ),
        (Some(576), Some(true))
    );
    let pages: Vec<&str> = default["code_pages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap())
        .collect();
    assert!(
        pages.contains(&"cp437") && pages.contains(&"cp864"),
        "{pages:?}"
    );
    assert!(!pages.contains(&"cp1256"), "unshaped Arabic is never sent");
    let out = guichet(&dir, &["printer", "profiles"]);
    assert!(out.status.success() && out.stdout_text().contains("pos-5890"));
    assert!(
        out.stdout_text()
            .contains("cutter: none, feed unit: one dot, fixed"),
        "{}",
        out.stdout_text()
    );

    // Wrong extension: usage error. Unknown reference: one line, exit 1.
    let out = guichet(&dir, &["printer", "render", &reference, "--out", "r.txt"]);
    assert_eq!(out.status.code(), Some(2));
    let out = guichet(
        &dir,
        &["printer", "render", "DEMO-99999-Z", "--out", "x.bin"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(out.stderr_text().trim().lines().count(), 1);
    assert!(
        out.stderr_text().contains("DEMO-99999-Z"),
        "{}",
        out.stderr_text()
    );

    // The file sink is always ready.
    let out = guichet(&dir, &["printer", "status", "--json"]);
    assert!(out.status.success(), "{}", out.stderr_text());
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        json,
        serde_json::json!({"connected": true, "paper": "ok", "cover_open": false, "error": false})
    );

    // Reprint: a new file holding the receipt marked as a copy, and an audit row.
    let out = guichet(&dir, &["receipt", "reprint", &reference]);
    assert!(out.status.success(), "{}", out.stderr_text());
    let receipts: Vec<PathBuf> = std::fs::read_dir(dir.path().join("receipts"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "bin"))
        .collect();
    assert_eq!(receipts.len(), 1, "{receipts:?}");
    let name = receipts[0]
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    assert!(name.starts_with(&format!("{reference}-")), "{name}");
    let cmds = Decoder::decode_all(&std::fs::read(&receipts[0]).unwrap());
    assert!(cmds.text().starts_with("COPY"), "{}", cmds.text());
    let store = Store::open(dir.path()).unwrap();
    let audits: i64 = store
        .connection()
        .query_row(
            "SELECT count(*) FROM audit WHERE action = 'receipt.reprint' AND reference = ?1",
            [&reference],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(audits, 1);
    let out = guichet(&dir, &["receipt", "reprint", "DEMO-99999-Z"]);
    assert_eq!(out.status.code(), Some(1));
}

fn without_isolation_marks(s: String) -> String {
    s.replace(['\u{2068}', '\u{2069}'], "")
}

#[test]
fn arabic_is_code_page_text_in_visual_order_where_the_printer_has_cp864() {
    let dir = TestDir::new("scripts");
    let arabic = submit(&dir, "ar");
    let tr = guichet::i18n::Translations::load().unwrap();
    let (cmds, bytes) = render_and_decode(&dir, None, &arabic, "ar.bin");
    assert!(cmds.unknown().is_empty(), "{:?}", cmds.unknown());
    // The default profile (80 mm, TM-T20II-class) has PC864, Epson's page 37: no image at all.
    assert!(cmds.rasters().is_empty(), "{} images", cmds.rasters().len());
    assert!(cmds.contains(&Cmd::CodePage(37)));
    assert!(
        bytes <= 3 * 1024,
        "an Arabic receipt as text: {bytes} bytes"
    );
    assert_eq!(cmds.qr_payloads(), std::slice::from_ref(&arabic));

    // Decoded as a person reads it (shaping and visual order undone), every line says what the
    // resident saw on the screen.
    let arabic_lines: Vec<_> = cmds
        .lines()
        .into_iter()
        .filter(|l| l.code_page == 37)
        .collect();
    let read: Vec<String> = arabic_lines.iter().map(|l| logical_text(&l.text)).collect();
    assert!(
        !read.iter().any(|l| l.contains(char::REPLACEMENT_CHARACTER)),
        "{read:?}"
    );
    let all = read.join(" ");
    let service = tr.format(
        "ar",
        "receipt-service",
        &[("service", guichet::i18n::Arg::from("حفرة أو طريق تالف"))],
    );
    for expected in [
        tr.text("ar", "confirm-title"),
        tr.text("ar", "confirm-reference"),
        tr.text("ar", "confirm-next-title"),
        tr.text("ar", "confirm-next"),
        tr.text("ar", "receipt-scan-reference"),
        tr.text("ar", "receipt-keep"),
        without_isolation_marks(service.clone()),
        without_isolation_marks(tr.format(
            "ar",
            "confirm-contact",
            &[("contact", guichet::i18n::Arg::from("0800 555 0100"))],
        )),
    ] {
        assert!(all.contains(&expected), "{expected:?} not in {read:#?}");
    }
    assert!(all.contains("التاريخ: ") && all.contains("الساعة"), "{all}");

    // The visual order is right to left: the printer prints the heading's last letter first
    // (leftmost) and its first letter last (rightmost), in their final and initial shapes.
    let heading = tr.text("ar", "confirm-title");
    let at = read.iter().position(|l| *l == heading).unwrap();
    let printed: Vec<char> = arabic_lines[at].text.chars().collect();
    let letter = |c: char| logical_text(&c.to_string());
    assert_eq!(
        letter(printed[0]),
        heading.chars().last().unwrap().to_string()
    );
    assert_eq!(
        letter(*printed.last().unwrap()),
        heading.chars().next().unwrap().to_string()
    );
    assert_ne!(
        printed[0],
        heading.chars().last().unwrap(),
        "sent as a presentation form (shaped), not as the abstract letter"
    );
    assert_eq!((arabic_lines[at].align, arabic_lines[at].bold), (1, true));
    // Paragraphs that start at the start of the line sit at the right edge: ESC a 2.
    let service_line = read
        .iter()
        .position(|l| *l == without_isolation_marks(service.clone()))
        .unwrap();
    assert_eq!(arabic_lines[service_line].align, 2);
    // The reference stays Latin and large.
    assert!(
        cmds.lines()
            .iter()
            .any(|l| l.text == arabic && l.width == 2)
    );

    // A printer without an Arabic code page gets the same receipt drawn, right-aligned.
    let config = dir.path().join("zj.toml");
    std::fs::write(
        &config,
        "[device]\ncode = \"DEMO\"\nsite = \"Demo Library\"\n[printer]\nport = \"file:receipts\"\nprofile = \"zj-5870\"\n",
    )
    .unwrap();
    let (cmds, _) = render_and_decode(&dir, Some(&config), &arabic, "ar-zj.bin");
    assert!(cmds.unknown().is_empty(), "{:?}", cmds.unknown());
    assert!(!cmds.contains(&Cmd::CodePage(37)));
    assert!(cmds.rasters().len() >= 6, "{} images", cmds.rasters().len());
    assert!(cmds.rasters().iter().all(|(w, _, _)| *w <= 384 / 8));
    let right_aligned = cmds
        .iter()
        .filter(|c| matches!(c, Cmd::Raster { align: 2, .. }))
        .count();
    assert!(right_aligned >= 3, "{right_aligned} right-aligned images");
    assert!(
        !cmds
            .iter()
            .any(|c| matches!(c, Cmd::Raster { align: 0, .. })),
        "no Arabic paragraph on the left"
    );
    assert!(
        !cmds.text().contains(char::REPLACEMENT_CHARACTER),
        "no Arabic sent as code-page text: {}",
        cmds.text()
    );
    // Blank rows are fed, not sent: the line spacing goes as ESC J, and no image starts or ends
    // with a blank row (a feed costs 3 bytes, a blank row as wide as any of these images more).
    // The ZJ-5870's ESC J feeds dots by its manual, which lists no GS P: none is sent.
    assert!(
        cmds.iter().any(|c| matches!(c, Cmd::DotFeed(n) if *n > 0)),
        "ESC J between drawn lines"
    );
    assert!(!cmds.iter().any(|c| matches!(c, Cmd::MotionUnits(..))));
    // An Epson-class printer's default feed unit depends on the model (1/360 inch on the
    // TM-T88 family): the unit is set to one dot (GS P 203 203) before the first image.
    let epson = dir.path().join("58mm.toml");
    std::fs::write(
        &epson,
        std::fs::read_to_string(&config)
            .unwrap()
            .replace("zj-5870", "58mm"),
    )
    .unwrap();
    let (epson_cmds, _) = render_and_decode(&dir, Some(&epson), &arabic, "ar-58.bin");
    let first_image = epson_cmds
        .iter()
        .position(|c| matches!(c, Cmd::Raster { .. }))
        .unwrap();
    let units = epson_cmds
        .iter()
        .position(|c| *c == Cmd::MotionUnits(203, 203))
        .expect("GS P 203 203");
    assert!(units < first_image);
    assert!(
        epson_cmds
            .iter()
            .any(|c| matches!(c, Cmd::DotFeed(n) if *n > 0))
    );
    for (width_bytes, height, data) in cmds.rasters() {
        let blank = |row: usize| {
            data[row * width_bytes..(row + 1) * width_bytes]
                .iter()
                .all(|&b| b == 0)
        };
        if width_bytes > 3 {
            assert!(
                !blank(0) && !blank(height - 1),
                "{width_bytes}x{height} image sent with blank edge rows"
            );
        }
    }

    let ukrainian = submit(&dir, "uk");
    let (cmds, _) = render_and_decode(&dir, None, &ukrainian, "uk.bin");
    assert!(
        cmds.rasters().is_empty(),
        "the default profile has CP866/CP1251"
    );
    assert!(
        cmds.text().contains("Послуга: Яма або пошкоджена дорога"),
        "{}",
        cmds.text()
    );
    assert!(
        cmds.text()
            .replace('\n', " ")
            .contains("Якщо у вас є запитання, телефонуйте за номером 0800 555 0100."),
        "{}",
        cmds.text()
    );
}

#[test]
fn a_printer_without_native_qr_gets_the_qr_as_an_image() {
    let dir = TestDir::new("noqr");
    let reference = submit(&dir, "uk");
    let config = dir.path().join("zj.toml");
    std::fs::write(
        &config,
        "[device]\ncode = \"DEMO\"\nsite = \"Demo Library\"\n[printer]\nport = \"file:receipts\"\nprofile = \"zj-5870\"\n",
    )
    .unwrap();
    let (cmds, _) = render_and_decode(&dir, Some(&config), &reference, "zj.bin");
    assert!(cmds.qr_payloads().is_empty(), "no GS ( k on this printer");
    assert_eq!(cmds.cuts(), 0, "no cutter");
    // The QR image is exactly the code for the reference, centred, at 4 dots (0.5 mm) a module:
    // sent as 2 dots a module in quadruple mode (GS v 0 m = 3: each dot printed 2 × 2), a
    // quarter of the bytes. No quiet-zone pixels: the blank paper around it is the quiet zone.
    let expected = guichet::printer::raster::qr_bitmap(reference.as_bytes(), 2, 0).unwrap();
    let qr = cmds
        .iter()
        .find_map(|c| match c {
            Cmd::Raster {
                width_bytes,
                height,
                data,
                scale,
                align: 1,
            } => Some((*width_bytes, *height, data.clone(), *scale)),
            _ => None,
        })
        .expect("a centred raster QR");
    assert_eq!(qr.3, 2, "quadruple mode");
    assert_eq!((qr.0, qr.1), (expected.width_bytes(), expected.height()));
    assert_eq!(qr.2, expected.rows_bytes(0, expected.height()));
    let printed = printed_image(qr.0, qr.1, &qr.2, qr.3);
    assert_eq!(
        printed.crop(0, 0, expected.width() * 2, printed.height()),
        guichet::printer::raster::qr_bitmap(reference.as_bytes(), 4, 0).unwrap(),
        "printed dot for dot as the 4-dot code"
    );
    let at = cmds
        .iter()
        .position(|c| matches!(c, Cmd::Raster { align: 1, data, .. } if *data == qr.2))
        .unwrap();
    assert!(
        matches!(cmds[at - 1], Cmd::Feed(n) if n >= 1)
            && matches!(cmds[at + 1], Cmd::Feed(n) if n >= 1),
        "a fed line (30 dots, more than the 4-module quiet zone) above and below the code"
    );
    // This printer's ESC J feeds dots by its manual: no GS P, which it does not list.
    assert!(
        !cmds.iter().any(|c| matches!(c, Cmd::MotionUnits(..))),
        "no GS P for the ZJ-5870"
    );
    assert!(cmds.iter().any(|c| matches!(c, Cmd::DotFeed(_))));
    // Ukrainian lines with і are drawn: this printer has CP866 but not CP1251.
    assert!(cmds.rasters().len() > 1);
    for raster in cmds.rasters() {
        assert!(raster.0 * 8 <= 384, "fits 58 mm paper");
    }
    // An unknown profile is named with the known ones.
    std::fs::write(
        &config,
        "[device]\ncode = \"DEMO\"\n[printer]\nport = \"file:receipts\"\nprofile = \"tm-9000\"\n",
    )
    .unwrap();
    let out = guichet_with_config(
        &dir,
        &config,
        &["printer", "render", &reference, "--out", "x.bin"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stderr_text().contains("tm-9000") && out.stderr_text().contains("zj-5870"));
}

#[test]
fn metrics_show_paper_out_and_the_print_queue_until_the_receipt_prints() {
    let dir = TestDir::new("metrics-paper");
    let port = dir.path().join("ttyPRINTER");
    let (config_path, config) = serial_config(dir.path(), &port);
    let mut store = Store::open(dir.path()).unwrap();
    store.ensure_demo_catalog().unwrap();
    let mut printer = Printer::new(Arc::new(config), dir.path().to_path_buf()).unwrap();
    let metrics = || {
        let out = guichet_with_config(&dir, &config_path, &["metrics", "--out", "-"]);
        assert!(out.status.success(), "{}", out.stderr_text());
        common::prom::parse(&out.stdout_text())
    };
    let problem =
        |m: &common::prom::Metrics, p| m.value("guichet_printer_problem", &[("problem", p)]);

    let fake = FakePrinter::plug_in(&port, Mode::PaperOut);
    let reference = store
        .enqueue("LIB2", &form("en"), None)
        .unwrap()
        .as_str()
        .to_string();
    let waiting = metrics();
    assert_eq!(waiting.value("guichet_printer_configured", &[]), 1.0);
    assert_eq!(waiting.value("guichet_print_queue_jobs", &[]), 1.0);
    assert_eq!(problem(&waiting, "paper_out"), 0.0, "not tried yet");

    assert_eq!(
        collect(&mut printer, &store),
        [failed(&reference, FailureReason::PaperOut)]
    );
    let out_of_paper = metrics();
    assert_eq!(
        problem(&out_of_paper, "paper_out"),
        1.0,
        "paper out on the printer"
    );
    assert_eq!(problem(&out_of_paper, "cover_open"), 0.0);
    assert_eq!(out_of_paper.value("guichet_print_queue_jobs", &[]), 1.0);
    for secret in PERSONAL {
        assert!(!out_of_paper.text.contains(secret));
    }
    assert!(!out_of_paper.text.contains(&reference));

    fake.set_mode(Mode::Ready);
    assert_eq!(collect(&mut printer, &store), [printed(&reference)]);
    let printed_now = metrics();
    assert_eq!(
        problem(&printed_now, "paper_out"),
        0.0,
        "paper loaded, receipt printed"
    );
    assert_eq!(printed_now.value("guichet_print_queue_jobs", &[]), 0.0);

    // The printer's own sensors, as the print worker last saw them (one-hot paper state).
    let paper =
        |m: &common::prom::Metrics, state| m.value("guichet_printer_paper", &[("state", state)]);
    assert_eq!(
        paper(&out_of_paper, "out"),
        1.0,
        "paper out, from DLE EOT 4"
    );
    assert_eq!(paper(&printed_now, "ok"), 1.0);
    assert_eq!(paper(&printed_now, "out"), 0.0);
    assert_eq!(printed_now.value("guichet_printer_reachable", &[]), 1.0);
    fake.set_mode(Mode::NearEnd);
    assert_eq!(collect(&mut printer, &store), []);
    let near_end = metrics();
    assert_eq!(paper(&near_end, "near_end"), 1.0, "a few receipts left");
    assert_eq!(paper(&near_end, "ok"), 0.0);
    // `guichet status` says what the shipped rules would raise from the same sensor.
    let out = guichet_with_config(&dir, &config_path, &["status", "--json"]);
    assert!(out.status.success(), "{}", out.stderr_text());
    let status: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        status["alerts"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["alert"] == "GuichetPaperNearEnd"),
        "{status}"
    );
    assert!(
        near_end.value("guichet_printer_status_changed_timestamp_seconds", &[])
            >= printed_now.value("guichet_printer_status_changed_timestamp_seconds", &[])
    );
    fake.set_mode(Mode::CoverOpen);
    assert_eq!(collect(&mut printer, &store), []);
    let cover = metrics();
    assert_eq!(cover.value("guichet_printer_cover_open", &[]), 1.0);
    assert_eq!(near_end.value("guichet_printer_cover_open", &[]), 0.0);
    fake.set_mode(Mode::Silent);
    assert_eq!(collect(&mut printer, &store), []);
    let silent = metrics();
    assert_eq!(
        silent.value("guichet_printer_reachable", &[]),
        0.0,
        "no answer"
    );
    assert_eq!(paper(&silent, "unknown"), 1.0);
    drop(fake);
}

#[test]
fn assisted_and_practice_receipts_say_so_in_the_bytes() {
    let dir = TestDir::new("assisted-receipt");
    // The binary seeds the demo catalogue (service names) and the data key first.
    let plain = submit(&dir, "en");
    let mut store = Store::open(dir.path()).unwrap();
    let form = form("en");
    let assisted = store
        .enqueue_marked(
            "DEMO",
            &form,
            &guichet::queue::SubmissionMarks {
                assisted_by: Some("Chloé".into()),
                practice: false,
            },
        )
        .unwrap()
        .to_string();
    let practice = store
        .enqueue_marked(
            "DEMO",
            &form,
            &guichet::queue::SubmissionMarks {
                assisted_by: Some("Chloé".into()),
                practice: true,
            },
        )
        .unwrap()
        .to_string();
    drop(store);
    let text =
        |reference: &str, name: &str| render_and_decode(&dir, None, reference, name).0.text();
    let a = text(&assisted, "a.bin");
    assert!(a.contains("Assisted by Chloé"), "{a}");
    assert!(!a.contains("PRACTICE"), "{a}");
    let p = text(&practice, "p.bin");
    assert!(p.contains("Assisted by Chloé"), "{p}");
    assert_eq!(p.matches("PRACTICE").count(), 2, "top and bottom: {p}");
    assert!(p.contains("not sent to the council"), "{p}");
    let n = text(&plain, "n.bin");
    assert!(!n.contains("Assisted by") && !n.contains("PRACTICE"), "{n}");
}

/// The raster QR's module size is chosen on evidence: the code a receipt really carries (the
/// status URL of `central.status_url`, 42 bytes) taken from the bytes sent to a printer without
/// native QR, printed with a thermal head's dot gain and photographed by a phone's camera
/// (`printer_support::scan`), then read by a real decoder, in every combination of the conditions
/// a receipt meets. 4 dots a module decodes in all of them (at most two of the harshest are let
/// go: rqrr is stricter than a phone's scanner); 3 dots, the next size down, fails in several
/// (9 of 48 for this payload, 15 of 48 for another).
#[test]
fn the_raster_qr_scans_after_a_thermal_print_and_a_phone_photo() {
    use printer_support::scan::{field_conditions, scan};
    let dir = TestDir::new("qr-scan");
    let reference = submit(&dir, "en");
    let config = dir.path().join("zj.toml");
    std::fs::write(
        &config,
        "[device]\ncode = \"DEMO\"\nsite = \"Demo Library\"\n[central]\nkind = \"none\"\n\
         status_url = \"https://311.example.org/track/{reference}\"\n[printer]\n\
         port = \"file:receipts\"\nprofile = \"zj-5870\"\n",
    )
    .unwrap();
    let (cmds, _) = render_and_decode(&dir, Some(&config), &reference, "qr.bin");
    let payload = format!("https://311.example.org/track/{reference}");
    let printed = cmds
        .iter()
        .find_map(|c| match c {
            Cmd::Raster {
                width_bytes,
                height,
                data,
                scale,
                align: 1,
            } => Some(printed_image(*width_bytes, *height, data, *scale)),
            _ => None,
        })
        .expect("a centred raster QR");
    let conditions = field_conditions(203.0);
    let decoded = |image: &guichet::printer::raster::Bitmap| {
        conditions
            .iter()
            .filter(|c| scan(image, c).as_deref() == Some(payload.as_str()))
            .count()
    };
    let sent = decoded(&printed);
    let three = decoded(&guichet::printer::raster::qr_bitmap(payload.as_bytes(), 3, 0).unwrap());
    eprintln!(
        "decoded: 4 dots {sent}/{n}, 3 dots {three}/{n}",
        n = conditions.len()
    );
    assert!(
        sent + 2 >= conditions.len(),
        "the code sent decodes in {sent} of {} conditions",
        conditions.len()
    );
    assert!(
        three + 5 <= conditions.len(),
        "3 dots decodes in {three} of {}: the evidence for 4 is gone",
        conditions.len()
    );
}

/// Hebrew and Greek go as code-page text where the profile has their pages (CP862, CP737), read
/// back by the fake printer's decoder: the technician's test page prints a line in every code
/// page of the profile. Hebrew is sent in visual order (the printer prints left to right), so the
/// word comes out reversed in the bytes and reads right to left on paper; Greek as it is.
#[test]
fn hebrew_and_greek_are_code_page_text_on_the_test_page() {
    let dir = TestDir::new("scripts-he-el");
    let config = dir.path().join("kiosk.toml");
    std::fs::write(
        &config,
        "[device]\ncode = \"DEMO\"\nsite = \"Demo Library\"\n[printer]\nport = \"file:receipts\"\nprofile = \"default\"\n",
    )
    .unwrap();
    let out = guichet_with_config(&dir, &config, &["printer", "test"]);
    assert!(out.status.success(), "{}", out.stderr_text());
    let page = std::fs::read_dir(dir.path().join("receipts"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("test-")
        })
        .expect("the test page in the file sink");
    let cmds = Decoder::decode_all(&std::fs::read(page).unwrap());
    assert!(cmds.unknown().is_empty(), "{:?}", cmds.unknown());
    assert!(cmds.rasters().is_empty(), "nothing drawn on this profile");
    let lines = cmds.lines();
    let line_in = |page: u8, starting: &str| {
        lines
            .iter()
            .find(|l| l.code_page == page && l.text.starts_with(starting))
            .unwrap_or_else(|| panic!("no {starting} line in page {page}: {lines:#?}"))
            .clone()
    };
    // CP862 (ESC t 36): shin lamed vav final-mem, sent final-mem first.
    let hebrew = line_in(36, "CP862 (36): ");
    let printed: String = hebrew.text["CP862 (36): ".len()..].to_string();
    assert_eq!(
        printed, "םולש",
        "visual order: the last letter printed leftmost"
    );
    assert_eq!(printed.chars().rev().collect::<String>(), "שלום");
    assert_eq!(
        &hebrew.bytes[hebrew.bytes.len() - 4..],
        &[0x8D, 0x85, 0x8C, 0x99]
    );
    // CP737 (ESC t 14) holds Greek; the CP1253 sample goes in the first page that holds it too.
    assert_eq!(line_in(14, "CP737 (14): ").text, "CP737 (14): Ελληνικά");
    assert_eq!(line_in(14, "CP1253 (47): ").text, "CP1253 (47): Ελληνικά");
}
