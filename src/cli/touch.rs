//! Touch turned with the picture: the udev rule that gives touchscreens libinput's calibration
//! matrix for `ui.rotation`, written by `guichet provision` and `guichet touch-rule`, checked by
//! `guichet launch`.
//!
//! Why a udev rule: `guichet launch` turns the *picture* with cage's `-r`, but wlroots 0.15
//! (Debian 12's cage 0.1.4) maps a touchscreen's absolute coordinates onto the whole output
//! layout without the output's transform, so on a screen mounted at 90° a finger at the top left
//! of the picture lands somewhere else. libinput turns the coordinates itself when the device
//! carries `LIBINPUT_CALIBRATION_MATRIX` (read when the device is added, i.e. when the kiosk's
//! compositor starts): the matrix `[a b c; d e f]` maps the panel's own normalised coordinates
//! `(x, y)` to `(a·x + b·y + c, d·x + e·y + f)`, and libinput's documentation ("Static device
//! configuration via udev") gives the ones for 90°, 180° and 270° clockwise, used here as they
//! are. A panel that the compositor already turns (one mapped to its output, which newer wlroots
//! rotates) would be turned twice: then remove the rule and set `ui.rotation` for the picture only.
//!
//! The file is ours (a fixed name in `/etc/udev/rules.d`): it is replaced whole, atomically, and
//! removed at rotation 0, so the rule always says what the configuration says.

use std::path::{Path, PathBuf};

use clap::Args;

use super::CliError;

/// Where the rule lives on a kiosk.
pub const SYSTEM_RULE_PATH: &str = "/etc/udev/rules.d/99-guichet-touch.rules";

/// Where it lives on a kiosk whose `/etc` is read-only (the A/B image): udev also reads
/// `/run/udev/rules.d`, and a rule of the same name in `/etc` takes precedence over it.
pub const RUNTIME_RULE_PATH: &str = "/run/udev/rules.d/99-guichet-touch.rules";

/// The rule file udev uses of ours: the one in `/etc` if there is one, else the one in `/run`
/// (the system path when there is neither).
pub fn effective_rule_path() -> PathBuf {
    [SYSTEM_RULE_PATH, RUNTIME_RULE_PATH]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
        .unwrap_or_else(|| PathBuf::from(SYSTEM_RULE_PATH))
}

/// libinput's calibration matrix (its first two rows) for a picture turned `rotation` degrees
/// clockwise, as libinput's documentation lists them; `None` for 0 (no rule) and for anything
/// that is not a quarter turn.
pub fn calibration_matrix(rotation: u16) -> Option<[i8; 6]> {
    match rotation {
        90 => Some([0, -1, 1, 1, 0, 0]),
        180 => Some([-1, 0, 1, 0, -1, 1]),
        270 => Some([0, 1, 0, -1, 0, 1]),
        _ => None,
    }
}

/// Applies a calibration matrix to the panel's normalised coordinates, as libinput does.
#[cfg(test)]
fn calibrate(matrix: &[i8; 6], x: f64, y: f64) -> (f64, f64) {
    let m = matrix.map(f64::from);
    (m[0] * x + m[1] * y + m[2], m[3] * x + m[4] * y + m[5])
}

/// The rule's text for `rotation`, or `None` when there should be no rule (0°).
pub fn rule_text(rotation: u16) -> Option<String> {
    let matrix = calibration_matrix(rotation)?;
    let values = matrix.map(|v| v.to_string()).join(" ");
    Some(format!(
        "# Written by guichet for ui.rotation = {rotation}: touchscreens turned with the picture\n\
         # (libinput's calibration matrix for {rotation} degrees clockwise). Rewritten by\n\
         # `guichet provision` and `guichet touch-rule`, removed at rotation 0: do not edit.\n\
         ACTION==\"add|change\", SUBSYSTEM==\"input\", KERNEL==\"event*\", \
         ENV{{ID_INPUT_TOUCHSCREEN}}==\"1\", ENV{{LIBINPUT_CALIBRATION_MATRIX}}=\"{values}\"\n"
    ))
}

/// What [`sync_rule`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuleChange {
    /// The file already said what the configuration says (or there is none at 0°).
    Unchanged,
    /// Written for this rotation.
    Written(u16),
    /// Removed (rotation 0).
    Removed,
}

/// Whether the rule at `path` is what `rotation` calls for.
pub fn rule_matches(path: &Path, rotation: u16) -> Result<bool, CliError> {
    let current = read_rule(path)?;
    Ok(current == rule_text(rotation))
}

fn read_rule(path: &Path) -> Result<Option<String>, CliError> {
    use crate::fsutil::BoundedReadError;
    match crate::fsutil::read_bounded(path, 64 * 1024) {
        // Not UTF-8: not ours, so it does not match and is replaced.
        Ok(bytes) => Ok(Some(String::from_utf8_lossy(&bytes).into_owned())),
        Err(BoundedReadError::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(CliError(format!("cannot read {}: {e}", path.display()))),
    }
}

/// Makes the rule at `path` say what `rotation` calls for: written atomically (0644), or
/// removed at 0°.
pub fn sync_rule(path: &Path, rotation: u16) -> Result<RuleChange, CliError> {
    if rule_matches(path, rotation)? {
        return Ok(RuleChange::Unchanged);
    }
    match rule_text(rotation) {
        Some(text) => {
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)
                    .map_err(|e| CliError(format!("cannot create {}: {e}", parent.display())))?;
            }
            crate::fsutil::write_atomic(path, text.as_bytes(), 0o644, None)
                .map_err(|e| CliError(format!("cannot write {}: {e}", path.display())))?;
            Ok(RuleChange::Written(rotation))
        }
        None => {
            std::fs::remove_file(path)
                .map_err(|e| CliError(format!("cannot remove {}: {e}", path.display())))?;
            Ok(RuleChange::Removed)
        }
    }
}

/// Syncs the rule and says so on stderr; on the kiosk's own rule file, as root, udev reloads
/// its rules so that the next start of the kiosk (or a reboot) sees the new matrix.
pub fn sync_and_report(path: &Path, rotation: u16) -> Result<(), CliError> {
    let change = sync_rule(path, rotation)?;
    match change {
        RuleChange::Unchanged => return Ok(()),
        RuleChange::Written(r) => eprintln!(
            "wrote {}: touch turned {r}° with the picture (from the next start of the kiosk)",
            path.display()
        ),
        RuleChange::Removed => eprintln!("removed {} (rotation 0)", path.display()),
    }
    // SAFETY: geteuid has no preconditions.
    let root = unsafe { libc::geteuid() } == 0;
    if root && (path == Path::new(SYSTEM_RULE_PATH) || path == Path::new(RUNTIME_RULE_PATH)) {
        let reloaded = std::process::Command::new("udevadm")
            .args(["control", "--reload"])
            .status()
            .is_ok_and(|s| s.success())
            && std::process::Command::new("udevadm")
                .args(["trigger", "--subsystem-match=input", "--action=change"])
                .status()
                .is_ok_and(|s| s.success());
        if !reloaded {
            eprintln!("udev did not reload its rules: the new rule applies after a reboot");
        }
    }
    Ok(())
}

/// Arguments of `guichet touch-rule`.
#[derive(Debug, Args)]
pub struct TouchRuleArgs {
    /// The rule file (default /etc/udev/rules.d/99-guichet-touch.rules; where /etc is
    /// read-only, such as the A/B image's root, /run/udev/rules.d/99-guichet-touch.rules written
    /// at every boot). `--check` without it checks the one udev uses.
    #[arg(long, value_name = "PATH")]
    pub rule: Option<PathBuf>,
    /// Only compare: exit 1 when the rule does not match ui.rotation.
    #[arg(long)]
    pub check: bool,
}

/// Runs `guichet touch-rule`.
pub fn run(rotation: u16, args: TouchRuleArgs) -> Result<(), CliError> {
    if args.check {
        let rule = args.rule.unwrap_or_else(effective_rule_path);
        return if rule_matches(&rule, rotation)? {
            println!("{}: matches ui.rotation = {rotation}", rule.display());
            Ok(())
        } else {
            super::fail(format!(
                "{} does not match ui.rotation = {rotation}: touches land away from the \
                 finger; run `sudo guichet touch-rule`",
                rule.display()
            ))
        };
    }
    let rule = args.rule.unwrap_or_else(|| PathBuf::from(SYSTEM_RULE_PATH));
    sync_and_report(&rule, rotation)?;
    println!(
        "{}: ui.rotation = {rotation}, {}",
        rule.display(),
        if rotation == 0 {
            "no rule needed"
        } else {
            "touch turned with the picture"
        }
    );
    Ok(())
}

/// For `guichet launch`: one line on stderr (the journal) when the rule does not match, so a
/// technician reading why touches miss finds the fix. Never stops the kiosk.
pub fn warn_if_stale(rotation: u16) {
    let path = effective_rule_path();
    if let Ok(false) = rule_matches(&path, rotation) {
        eprintln!(
            "warning: {} does not match ui.rotation = {rotation}: touches will land away from \
             the finger until `sudo guichet touch-rule` is run and the kiosk restarted",
            path.display()
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Where a point of the panel (its own normalised coordinates: x to the right, y down, as
    /// it reports touches) is seen by someone in front of a panel mounted `rotation` degrees
    /// clockwise. Turning a unit square a quarter clockwise takes (x, y) to (1 − y, x).
    fn seen_at(rotation: u16, (mut x, mut y): (f64, f64)) -> (f64, f64) {
        for _ in 0..rotation / 90 {
            (x, y) = (1.0 - y, x);
        }
        (x, y)
    }

    /// The panel point under the finger at `seen` (the inverse of [`seen_at`]).
    fn panel_point(rotation: u16, (mut x, mut y): (f64, f64)) -> (f64, f64) {
        for _ in 0..rotation / 90 {
            (x, y) = (y, 1.0 - x);
        }
        (x, y)
    }

    #[test]
    fn each_corner_of_the_turned_picture_lands_under_the_finger() {
        // cage -r turns the output so that the picture is upright for the person in front of the
        // panel: the picture's corner (px, py) is shown where that person sees (px, py). The
        // finger touches there; the panel reports its own coordinates for that spot; wlroots
        // maps them unturned onto the picture; the matrix must bring them back to (px, py).
        let corners = [(0.0, 0.0), (1.0, 0.0), (0.0, 1.0), (1.0, 1.0), (0.25, 0.75)];
        for rotation in [0, 90, 180, 270] {
            let identity = [1, 0, 0, 0, 1, 0];
            let matrix = calibration_matrix(rotation).unwrap_or(identity);
            for corner in corners {
                let touched = panel_point(rotation, corner);
                assert_eq!(
                    seen_at(rotation, touched),
                    corner,
                    "the model is consistent"
                );
                let (x, y) = calibrate(&matrix, touched.0, touched.1);
                assert!(
                    (x - corner.0).abs() < 1e-9 && (y - corner.1).abs() < 1e-9,
                    "{rotation}°: the finger at {corner:?} lands at ({x}, {y})"
                );
            }
            // Without the matrix a turned panel misses the top-left corner.
            if rotation != 0 {
                let touched = panel_point(rotation, (0.0, 0.0));
                assert_ne!(calibrate(&identity, touched.0, touched.1), (0.0, 0.0));
            }
        }
    }

    #[test]
    fn matrices_are_libinputs_documented_ones_and_none_at_zero() {
        let text = |r| rule_text(r).unwrap();
        assert!(text(90).contains("LIBINPUT_CALIBRATION_MATRIX}=\"0 -1 1 1 0 0\""));
        assert!(text(180).contains("LIBINPUT_CALIBRATION_MATRIX}=\"-1 0 1 0 -1 1\""));
        assert!(text(270).contains("LIBINPUT_CALIBRATION_MATRIX}=\"0 1 0 -1 0 1\""));
        assert!(text(90).contains("ENV{ID_INPUT_TOUCHSCREEN}==\"1\""));
        assert_eq!(rule_text(0), None);
        assert_eq!(rule_text(45), None);
    }

    #[test]
    fn the_rule_is_written_replaced_and_removed_with_the_rotation() {
        let dir = crate::fsutil::test_dir("touch-rule");
        let path = dir.join("rules.d/99-guichet-touch.rules");
        assert_eq!(sync_rule(&path, 0).unwrap(), RuleChange::Unchanged);
        assert!(!path.exists());
        assert_eq!(sync_rule(&path, 90).unwrap(), RuleChange::Written(90));
        assert_eq!(std::fs::read_to_string(&path).unwrap(), text_of(90));
        assert_eq!(sync_rule(&path, 90).unwrap(), RuleChange::Unchanged);
        assert_eq!(sync_rule(&path, 270).unwrap(), RuleChange::Written(270));
        assert!(rule_matches(&path, 270).unwrap() && !rule_matches(&path, 90).unwrap());
        assert_eq!(sync_rule(&path, 0).unwrap(), RuleChange::Removed);
        assert!(!path.exists());
        assert!(rule_matches(&path, 0).unwrap());
    }

    fn text_of(rotation: u16) -> String {
        rule_text(rotation).unwrap()
    }
}
