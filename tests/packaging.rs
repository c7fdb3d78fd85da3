//! Packaging: the Debian package as a technician's `apt install ./guichet.deb` sees it. Built
//! once from the binary these tests run (`packaging/build-deb --profile dev --fast`: the same
//! package as a release build, only the binary is slower), then:
//! - its control data: dependencies (cage, Noto fonts, CA certificates), maintainer scripts;
//! - its file list and modes, and the unit being kiosk-image's with the package's paths;
//! - `systemd-analyze verify` on the unit with the package's drop-in;
//! - installed into a throw-away root (`dpkg --root` with chrootless maintainer scripts, which
//!   honour `DPKG_ROOT`): the `guichet` user, the folders' owner and mode, the unit enabled;
//!   purged: the data dir kept unless the technician asked, everything else gone.
//!
//! Needs cargo-deb, dpkg and systemd-analyze (CI installs them: see `.ci/run`); as a non-root
//! user, fakeroot.

mod common;

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use common::{OutputText, TestDir};

const ROOT_DIR: &str = env!("CARGO_MANIFEST_DIR");
const UNIT: &str = "usr/lib/systemd/system/guichet-kiosk.service";
const DROP_IN: &str = "usr/lib/systemd/system/guichet-kiosk.service.d/10-package.conf";
const OUT_OF_ORDER: &str = "usr/lib/systemd/system/guichet-out-of-order.service";

fn run(cmd: &mut Command) -> Output {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("{cmd:?}: {e} (is it installed? see .ci/run)"));
    assert!(
        out.status.success(),
        "{cmd:?}: {}{}",
        out.stdout_text(),
        out.stderr_text()
    );
    out
}

/// The package, built once for all tests of this binary.
fn deb() -> &'static Path {
    static DEB: OnceLock<PathBuf> = OnceLock::new();
    DEB.get_or_init(|| {
        let out = run(Command::new(format!("{ROOT_DIR}/packaging/build-deb"))
            .args(["--profile", "dev", "--fast"])
            .current_dir(ROOT_DIR));
        let path = PathBuf::from(out.stdout_text().trim().lines().last().unwrap_or(""));
        assert!(path.is_file(), "build-deb printed {path:?}");
        path
    })
}

fn field<'a>(control: &'a str, name: &str) -> &'a str {
    control
        .lines()
        .find_map(|l| l.trim().strip_prefix(&format!("{name}: ")))
        .unwrap_or_else(|| panic!("no {name} in {control}"))
}

#[test]
fn the_package_declares_its_dependencies_and_maintainer_scripts() {
    let info = run(Command::new("dpkg-deb").arg("--info").arg(deb())).stdout_text();
    assert_eq!(field(&info, "Package"), "guichet");
    let depends: Vec<&str> = field(&info, "Depends")
        .split(',')
        .map(|d| d.split_whitespace().next().unwrap_or(""))
        .collect();
    for needed in [
        "cage",
        "fonts-noto-core",
        "ca-certificates",
        "passwd",
        "libc6",
    ] {
        assert!(
            depends.contains(&needed),
            "Depends lacks {needed}: {depends:?}"
        );
    }
    assert!(field(&info, "Recommends").contains("chrony"));

    let dir = TestDir::new("deb-control");
    run(Command::new("dpkg-deb")
        .arg("--control")
        .arg(deb())
        .arg(dir.path()));
    for script in ["postinst", "postrm"] {
        let path = dir.path().join(script);
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(
            std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o755,
            "{script}"
        );
        assert!(
            text.starts_with("#!/bin/sh\n") && text.contains("set -e"),
            "{script}"
        );
        assert!(
            !text.contains("#DEBHELPER#"),
            "{script}: snippets filled in"
        );
        run(Command::new("sh").arg("-n").arg(&path));
    }
    let postinst = std::fs::read_to_string(dir.path().join("postinst")).unwrap();
    assert!(postinst.contains("deb-systemd-helper enable guichet-kiosk.service"));
    assert!(
        !postinst.contains("systemctl start") && !postinst.contains("deb-systemd-invoke start"),
        "installing never takes the screen: the next boot starts the kiosk"
    );
}

#[test]
fn the_package_holds_the_binary_the_unit_and_the_default_config_with_their_modes() {
    let contents = run(Command::new("dpkg-deb").arg("--contents").arg(deb())).stdout_text();
    let entry = |path: &str| -> (String, String) {
        let line = contents
            .lines()
            .find(|l| l.ends_with(&format!("./{path}")))
            .unwrap_or_else(|| panic!("{path} not in the package:\n{contents}"));
        let mut f = line.split_whitespace();
        (f.next().unwrap().into(), f.next().unwrap().into())
    };
    assert_eq!(
        entry("usr/bin/guichet"),
        ("-rwxr-xr-x".into(), "0/0".into())
    );
    for file in [
        UNIT,
        DROP_IN,
        OUT_OF_ORDER,
        "usr/share/guichet/kiosk.toml.example",
        "usr/share/doc/guichet/copyright",
    ] {
        assert_eq!(entry(file), ("-rw-r--r--".into(), "0/0".into()), "{file}");
    }
    assert!(
        !contents.contains("./usr/local/") && !contents.contains("./etc/guichet/kiosk.toml"),
        "nothing in /usr/local; the configuration is provision's, not a conffile"
    );

    // The unit is kiosk-image's, with the package's path for the binary.
    let dir = TestDir::new("deb-files");
    run(Command::new("dpkg-deb")
        .arg("-x")
        .arg(deb())
        .arg(dir.path()));
    let unit = std::fs::read_to_string(dir.path().join(UNIT)).unwrap();
    let source =
        std::fs::read_to_string(format!("{ROOT_DIR}/kiosk-image/guichet-kiosk.service")).unwrap();
    assert_eq!(
        unit,
        source.replace("/usr/local/bin/guichet", "/usr/bin/guichet")
    );
    assert!(unit.contains("/usr/bin/guichet launch kiosk"));
    let out_of_order = std::fs::read_to_string(dir.path().join(OUT_OF_ORDER)).unwrap();
    let source = std::fs::read_to_string(format!(
        "{ROOT_DIR}/kiosk-image/guichet-out-of-order.service"
    ))
    .unwrap();
    assert_eq!(
        out_of_order,
        source.replace("/usr/local/bin/guichet", "/usr/bin/guichet")
    );
    assert!(out_of_order.contains("/usr/bin/guichet launch out-of-order"));
    let drop_in = std::fs::read_to_string(dir.path().join(DROP_IN)).unwrap();
    assert!(drop_in.contains("OnFailure=guichet-out-of-order.service"));
    // The default configuration is a valid one.
    guichet::config::Config::load_file(&dir.path().join("usr/share/guichet/kiosk.toml.example"))
        .unwrap();
}

/// `systemd-analyze verify` on the packaged unit with its drop-in, pointing at this build's
/// binary (verify checks that the commands exist); any warning fails.
#[test]
fn systemd_analyze_verifies_the_packaged_unit_and_drop_in() {
    let files = TestDir::new("deb-verify-src");
    run(Command::new("dpkg-deb")
        .arg("-x")
        .arg(deb())
        .arg(files.path()));
    let dir = TestDir::new("deb-verify");
    let unit = dir.path().join("guichet-kiosk.service");
    let text = std::fs::read_to_string(files.path().join(UNIT)).unwrap();
    std::fs::write(
        &unit,
        text.replace("/usr/bin/guichet", env!("CARGO_BIN_EXE_guichet")),
    )
    .unwrap();
    std::fs::create_dir(dir.path().join("guichet-kiosk.service.d")).unwrap();
    let drop_in = dir.path().join("guichet-kiosk.service.d/10-package.conf");
    std::fs::copy(files.path().join(DROP_IN), &drop_in).unwrap();
    // The out-of-order screen the drop-in's OnFailure= starts, beside it (verify finds it there).
    let out_of_order = dir.path().join("guichet-out-of-order.service");
    let text = std::fs::read_to_string(files.path().join(OUT_OF_ORDER)).unwrap();
    std::fs::write(
        &out_of_order,
        text.replace("/usr/bin/guichet", env!("CARGO_BIN_EXE_guichet")),
    )
    .unwrap();
    let verify = |unit: &Path| {
        Command::new("systemd-analyze")
            .arg("verify")
            .arg(unit)
            .output()
            .expect("systemd-analyze (apt-get install systemd)")
    };
    for unit in [&unit, &out_of_order] {
        let out = verify(unit);
        assert!(
            out.status.success() && out.stderr.is_empty(),
            "systemd-analyze verify {}: {}",
            unit.display(),
            out.stderr_text()
        );
    }
    // The drop-in is really read: a bad value in it is reported.
    let mut broken = std::fs::read_to_string(&drop_in).unwrap();
    broken.push_str("StartLimitBurst=many\n");
    std::fs::write(&drop_in, broken).unwrap();
    let out = verify(&unit);
    assert!(
        out.stderr_text().contains("10-package.conf"),
        "{}",
        out.stderr_text()
    );
}

/// A throw-away root holding just what dpkg and the maintainer scripts read.
fn throwaway_root(dir: &Path) {
    for d in ["etc", "var/lib/dpkg/info", "var/lib/dpkg/updates"] {
        std::fs::create_dir_all(dir.join(d)).unwrap();
    }
    for (file, text) in [
        ("var/lib/dpkg/status", ""),
        ("var/lib/dpkg/available", ""),
        ("etc/passwd", "root:x:0:0:root:/root:/bin/sh\n"),
        ("etc/shadow", "root:*:19000:0:99999:7:::\n"),
        ("etc/group", "root:x:0:\ndialout:x:20:\nvideo:x:44:\n"),
        ("etc/gshadow", "root:*::\ndialout:*::\nvideo:*::\n"),
    ] {
        std::fs::write(dir.join(file), text).unwrap();
    }
}

/// `dpkg --root=ROOT ARGS` with chrootless maintainer scripts; under fakeroot unless root.
fn dpkg(root: &Path, args: &[&str]) -> Output {
    // SAFETY: geteuid has no preconditions.
    let is_root = unsafe { libc::geteuid() } == 0;
    let mut cmd = if is_root {
        Command::new("dpkg")
    } else {
        let mut c = Command::new("fakeroot");
        c.arg("dpkg");
        c
    };
    cmd.arg(format!("--root={}", root.display()))
        .args([
            "--force-script-chrootless",
            "--force-depends",
            "--force-unsafe-io",
            "--log=/dev/null",
        ])
        .args(args);
    run(&mut cmd)
}

fn passwd_entry(root: &Path, db: &str, name: &str) -> Option<Vec<String>> {
    std::fs::read_to_string(root.join("etc").join(db))
        .unwrap()
        .lines()
        .map(|l| l.split(':').map(String::from).collect::<Vec<_>>())
        .find(|f| f[0] == name)
}

#[test]
fn it_installs_and_purges_cleanly_in_a_throwaway_root_keeping_data_unless_asked() {
    let dir = TestDir::new("deb-root");
    let root = dir.path();
    throwaway_root(root);
    let deb = deb().to_str().unwrap();
    let is_root = unsafe { libc::geteuid() } == 0;

    let installed = dpkg(root, &["-i", deb]);
    assert!(
        installed.stderr_text().contains("guichet provision"),
        "{}",
        installed.stderr_text()
    );
    let user = passwd_entry(root, "passwd", "guichet").expect("guichet user created");
    assert_eq!(user[5], "/var/lib/guichet");
    assert_eq!(user[6], "/usr/sbin/nologin");
    let group = passwd_entry(root, "group", "guichet").expect("guichet group created");
    assert_eq!(user[3], group[2], "its primary group");
    let dialout = passwd_entry(root, "group", "dialout").unwrap();
    assert!(
        dialout[3].split(',').any(|m| m == "guichet"),
        "serial printers: {dialout:?}"
    );
    let data = root.join("var/lib/guichet");
    let etc = root.join("etc/guichet");
    let meta = std::fs::metadata(&data).unwrap();
    assert_eq!(meta.permissions().mode() & 0o7777, 0o700);
    let etc_meta = std::fs::metadata(&etc).unwrap();
    assert_eq!(etc_meta.permissions().mode() & 0o7777, 0o750);
    if is_root {
        assert_eq!(meta.uid().to_string(), user[2], "owned by guichet");
        assert_eq!(
            etc_meta.gid().to_string(),
            group[2],
            "group guichet reads /etc/guichet"
        );
    }
    let wants = root.join("etc/systemd/system/graphical.target.wants/guichet-kiosk.service");
    assert!(wants.symlink_metadata().is_ok(), "the unit is enabled");
    let version = run(Command::new(root.join("usr/bin/guichet")).arg("--version"));
    assert!(version.stdout_text().contains(env!("CARGO_PKG_VERSION")));

    // Reinstalling (an upgrade) keeps everything in place.
    dpkg(root, &["-i", deb]);
    assert!(passwd_entry(root, "passwd", "guichet").is_some());

    // The kiosk ran: configuration, key and data exist. Purge keeps the data only.
    std::fs::write(etc.join("kiosk.toml"), "[device]\ncode = \"LIB2\"\n").unwrap();
    std::fs::write(etc.join("api-key"), "k\n").unwrap();
    std::fs::write(data.join("guichet.sqlite3"), "queued submissions").unwrap();
    let purged = dpkg(root, &["--purge", "guichet"]);
    assert!(
        purged.stderr_text().contains("kept /var/lib/guichet"),
        "{}",
        purged.stderr_text()
    );
    assert!(!root.join("usr/bin/guichet").exists());
    assert!(!root.join(UNIT).exists() && !root.join(DROP_IN).exists());
    assert!(
        wants.symlink_metadata().is_err(),
        "the unit's links are gone"
    );
    assert!(!etc.exists(), "configuration and API key removed");
    assert_eq!(
        std::fs::read_to_string(data.join("guichet.sqlite3")).unwrap(),
        "queued submissions"
    );
    let status = std::fs::read_to_string(root.join("var/lib/dpkg/status")).unwrap();
    assert!(!status.contains("Package: guichet"), "{status}");

    // Asked for: the data goes too.
    dpkg(root, &["-i", deb]);
    std::fs::write(root.join("etc/guichet/purge-data"), "").unwrap();
    dpkg(root, &["--purge", "guichet"]);
    assert!(!data.exists(), "data dir erased on request");
    assert!(!root.join("etc/guichet").exists());
}
