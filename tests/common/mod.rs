//! Helpers shared by the integration test binaries.
#![allow(dead_code)]

pub mod prom;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A fresh temporary directory, removed when dropped.
pub struct TestDir(PathBuf);

impl TestDir {
    /// A new empty directory whose name includes `label`.
    pub fn new(label: &str) -> TestDir {
        TestDir(guichet::fsutil::test_dir(&format!("test-{label}")))
    }

    /// Its path.
    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TestDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The real `guichet` binary with an isolated environment and `--data-dir` set to `dir`.
pub fn command(dir: &TestDir) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_guichet"));
    cmd.env_remove("GUICHET_CONFIG")
        .env("HOME", dir.path())
        .env("XDG_DATA_HOME", dir.path().join("xdg"))
        .env("GUICHET_LOG", "warn")
        .arg("--data-dir")
        .arg(dir.path());
    cmd
}

/// Runs `guichet ARGS` to completion.
pub fn guichet(dir: &TestDir, args: &[&str]) -> Output {
    guichet_env(dir, args, &[])
}

/// Runs `guichet ARGS` with extra environment variables.
pub fn guichet_env(dir: &TestDir, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = command(dir);
    cmd.args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

/// Queues a demo GRAFFITI report ("tag" at 1,1) with `guichet [GLOBAL...] submit`, as the
/// touchscreen would, and returns its reference.
pub fn submit_graffiti(dir: &TestDir, global: &[&str]) -> String {
    let mut args = global.to_vec();
    args.extend([
        "submit",
        "--service",
        "GRAFFITI",
        "--description",
        "tag",
        "--lat",
        "1",
        "--long",
        "1",
    ]);
    let out = guichet(dir, &args);
    assert!(out.status.success(), "{}", out.stderr_text());
    out.stdout_text().trim().to_string()
}

/// Text helpers on process output.
pub trait OutputText {
    /// stdout as text.
    fn stdout_text(&self) -> String;
    /// stderr as text.
    fn stderr_text(&self) -> String;
}

impl OutputText for Output {
    fn stdout_text(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }
    fn stderr_text(&self) -> String {
        String::from_utf8_lossy(&self.stderr).into_owned()
    }
}
