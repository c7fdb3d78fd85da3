//! Drain benchmark: N pending submissions pushed to the local Open311 test server, by the real
//! sync engine (`run_until_idle`, what `guichet sync --once` runs) and by a naive one-at-a-time
//! loop (the same engine with one request in flight and one submission per transaction).
//!
//! The server runs in this process; each drain runs in a child process (this binary again) so
//! that its peak memory (VmHWM) is its own. The server counts requests in flight and refuses
//! (503, counted) any beyond its configured concurrency.
//!
//! `cargo bench --bench sync_drain` (release), or `cargo bench --bench sync_drain --profile dev`.
//! Environment: `DRAIN_N` (default 10000), `DRAIN_NAIVE_N` (default 2000), `DRAIN_CONCURRENCY`
//! (default 8).

#[path = "../tests/open311_server/mod.rs"]
mod open311_server;

use std::collections::HashSet;
use std::time::{Duration, Instant};

use guichet::config::{Config, ConfigSource};
use guichet::queue::Store;
use guichet::sync::client::Timeouts;
use guichet::sync::{SyncEngine, SyncTuning};
use open311_server::{Open311Server, ServerOptions};

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

/// Child: enqueue N, drain them, print one JSON line.
fn drain(url: &str, n: usize, naive: bool, concurrency: usize) {
    let dir = guichet::fsutil::test_dir("drain");
    let key = dir.join("api-key");
    std::fs::write(&key, "test-api-key").unwrap();
    let text = format!(
        "[device]\ncode = \"BENCH\"\n[central]\nkind = \"open311\"\nurl = {url:?}\napi_key_file = {:?}\nallow_insecure_http = true\n",
        key.display().to_string()
    );
    let config = Config::parse(&text, &ConfigSource::Demo).unwrap();
    let data = dir.join("data");
    {
        let mut store = Store::open(&data).unwrap();
        // Setup only: the benchmark measures the drain, not N durable enqueues.
        store
            .connection()
            .pragma_update(None, "synchronous", "OFF")
            .unwrap();
        for i in 0..n {
            store
                .enqueue("BENCH", &guichet::cli::bench::bench_form(i as u64), None)
                .unwrap();
        }
    }
    let tuning = SyncTuning {
        timeouts: Timeouts {
            connect: Duration::from_secs(5),
            request: Duration::from_secs(10),
        },
        max_in_flight: if naive { 1 } else { concurrency },
        batch_size: if naive { 1 } else { 256 },
        max_batches_per_round: usize::MAX,
        ..SyncTuning::default()
    };
    let store = Store::open(&data).unwrap();
    let mut engine = SyncEngine::new(&config, store, tuning).unwrap();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let start = Instant::now();
    let report = rt.block_on(engine.run_until_idle()).unwrap();
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{}",
        serde_json::json!({
            "sent": report.sent,
            "pending": report.pending,
            "secs": secs,
            "rate": report.sent as f64 / secs,
            "peak_rss_kib": peak_rss_kib(),
        })
    );
    let _ = std::fs::remove_dir_all(&dir);
}

fn main() {
    if let Ok(url) = std::env::var("DRAIN_CHILD_URL") {
        let n = env_usize("DRAIN_CHILD_N", 0);
        let naive = std::env::var("DRAIN_CHILD_NAIVE").is_ok_and(|v| v == "1");
        drain(&url, n, naive, env_usize("DRAIN_CONCURRENCY", 8));
        return;
    }
    if std::env::args().any(|a| a == "--list") {
        return; // `cargo test --benches` asks for the list of benchmarks.
    }
    let n = env_usize("DRAIN_N", 10_000);
    let naive_n = env_usize("DRAIN_NAIVE_N", 2_000);
    let concurrency = env_usize("DRAIN_CONCURRENCY", 8);
    let profile = if cfg!(debug_assertions) {
        "dev (unoptimised)"
    } else {
        "release"
    };
    println!("sync drain benchmark, {profile} build, server concurrency limit {concurrency}");
    println!(
        "| loop | submissions | seconds | submissions/s | peak RSS (MiB) | server peak in flight | refused for concurrency |"
    );
    println!("|---|---|---|---|---|---|---|");
    for (label, count, naive) in [
        ("naive one-at-a-time", naive_n, true),
        ("sync engine", n, false),
    ] {
        let server = Open311Server::start_with(ServerOptions {
            max_concurrency: concurrency,
            ..ServerOptions::default()
        });
        let out = std::process::Command::new(std::env::current_exe().unwrap())
            .env("DRAIN_CHILD_URL", server.url())
            .env("DRAIN_CHILD_N", count.to_string())
            .env("DRAIN_CHILD_NAIVE", if naive { "1" } else { "0" })
            .env("DRAIN_CONCURRENCY", concurrency.to_string())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let result: serde_json::Value =
            serde_json::from_slice(out.stdout.split(|b| *b == b'\n').next().unwrap()).unwrap();
        // Every submission exactly once.
        let stored = server.requests();
        let refs: HashSet<String> = stored
            .iter()
            .filter_map(|r| r.description.lines().last().map(str::to_string))
            .collect();
        assert_eq!(
            stored.len(),
            count,
            "{label}: server holds {}",
            stored.len()
        );
        assert_eq!(refs.len(), count, "{label}: duplicates");
        assert_eq!(result["sent"], count as u64);
        assert_eq!(server.over_limit(), 0, "{label}: concurrency exceeded");
        println!(
            "| {label} | {count} | {:.2} | {:.0} | {:.1} | {} | {} |",
            result["secs"].as_f64().unwrap_or(0.0),
            result["rate"].as_f64().unwrap_or(0.0),
            result["peak_rss_kib"].as_f64().unwrap_or(0.0) / 1024.0,
            server.peak_concurrency(),
            server.over_limit(),
        );
    }
}
