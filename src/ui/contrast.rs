//! Colour contrast of the theme (WCAG 2.2: 1.4.3 text ≥ 4.5:1, 1.4.11 control boundaries and
//! states ≥ 3:1), checked on the colours `ui/theme.slint` actually declares, in both themes. A
//! colour added to the theme and used for text or an outline is added to a pair here.

/// WCAG relative luminance of an sRGB colour.
pub fn luminance(rgb: [u8; 3]) -> f64 {
    let channel = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(rgb[0]) + 0.7152 * channel(rgb[1]) + 0.0722 * channel(rgb[2])
}

/// WCAG contrast ratio of two colours (1 to 21).
pub fn ratio(a: [u8; 3], b: [u8; 3]) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    let (hi, lo) = if la > lb { (la, lb) } else { (lb, la) };
    (hi + 0.05) / (lo + 0.05)
}

/// `#rrggbb` (no alpha) as RGB.
pub fn parse_hex(text: &str) -> Option<[u8; 3]> {
    let hex = text.strip_prefix('#')?;
    if hex.len() != 6 {
        return None;
    }
    let byte = |i: usize| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok();
    Some([byte(0)?, byte(2)?, byte(4)?])
}

/// Every opaque colour of `theme.slint`: name → (normal, high contrast). A line reads
/// `out property <color> NAME: high-contrast ? #HC : #NORMAL;` or `... NAME: #ONE;`.
pub fn theme_colours(source: &str) -> std::collections::BTreeMap<String, ([u8; 3], [u8; 3])> {
    let mut out = std::collections::BTreeMap::new();
    for line in source.lines() {
        let Some(rest) = line.trim().strip_prefix("out property <color> ") else {
            continue;
        };
        let Some((name, value)) = rest.split_once(':') else {
            continue;
        };
        let value = value.trim().trim_end_matches(';');
        let colours: Vec<[u8; 3]> = value
            .split(|c: char| c.is_whitespace() || c == '?' || c == ':')
            .filter_map(parse_hex)
            .collect();
        match colours.as_slice() {
            [hc, normal] => out.insert(name.trim().to_string(), (*normal, *hc)),
            [one] => out.insert(name.trim().to_string(), (*one, *one)),
            _ => None,
        };
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Text on its background: every combination the .slint files use.
    const TEXT_PAIRS: &[(&str, &str)] = &[
        ("text", "background"),
        ("text", "page-alt"),
        ("secondary-text", "background"),
        ("secondary-text", "page-alt"),
        ("link", "background"),
        ("error", "background"),
        ("on-primary", "primary"),
        ("on-primary", "primary-pressed"),
        ("on-secondary", "secondary-button"),
        ("on-secondary", "secondary-pressed"),
        ("on-selected", "selected"),
        ("on-selected", "primary-pressed"),
        ("on-bar", "bar"),
        ("bar", "on-bar"),
        ("on-panel", "panel"),
        ("panel", "on-panel"),
        ("on-notice", "notice"),
        ("text", "notice"),
        ("text", "staff-panel"),
        ("secondary-text", "staff-panel"),
        ("error-on-grey", "staff-panel"),
        ("error-on-grey", "page-alt"),
        ("error-on-grey", "background"),
        ("on-assisted", "assisted"),
        ("on-practice", "practice"),
        ("notice", "on-notice"),
    ];

    /// Backgrounds that hold no text and no control's outline: lines, bars and the dimming
    /// behind a dialog (the dialog's own box is `background`).
    const NO_TEXT_ON: &[(&str, &str)] = &[
        ("soft-border", "a one-pixel rule between rows"),
        ("error", "the bar beside a field or row with an error"),
        (
            "overlay",
            "the dimming behind the idle warning and the print dialog",
        ),
        (
            "secondary-text",
            "the scroll bar's thumb (a boundary: on page-alt)",
        ),
        ("qr-background", "the QR code's quiet zone"),
    ];

    /// Outlines and state indicators against what surrounds them.
    const BOUNDARY_PAIRS: &[(&str, &str)] = &[
        ("border", "background"),
        ("border", "page-alt"),
        ("key-border", "page-alt"),
        ("key-border", "secondary-button"),
        ("selected", "background"),
        ("error", "background"),
        ("primary", "background"),
        ("on-bar", "bar"),
        ("secondary-text", "page-alt"),
        ("on-panel", "panel"),
        ("border", "notice"),
    ];

    fn theme() -> std::collections::BTreeMap<String, ([u8; 3], [u8; 3])> {
        theme_colours(include_str!("../../ui/theme.slint"))
    }

    #[test]
    fn the_ratio_matches_wcags_examples() {
        assert!((ratio([0, 0, 0], [255, 255, 255]) - 21.0).abs() < 0.01);
        // GOV.UK's grey text on white is 7.0:1.
        let grey = ratio(parse_hex("#505a5f").unwrap(), [255, 255, 255]);
        assert!((grey - 7.0).abs() < 0.1, "{grey}");
        assert_eq!(parse_hex("#0b0c0ccc"), None);
    }

    #[test]
    fn every_text_pair_and_boundary_meets_wcag_in_both_themes() {
        let colours = theme();
        assert!(colours.len() > 20, "theme.slint parsed: {colours:?}");
        let mut problems = Vec::new();
        for (pairs, minimum) in [(TEXT_PAIRS, 4.5), (BOUNDARY_PAIRS, 3.0)] {
            for (fg, bg) in pairs {
                let (Some(f), Some(b)) = (colours.get(*fg), colours.get(*bg)) else {
                    problems.push(format!("{fg} or {bg} is not an opaque theme colour"));
                    continue;
                };
                for (theme, f, b) in [("normal", f.0, b.0), ("high contrast", f.1, b.1)] {
                    let r = ratio(f, b);
                    if r < minimum {
                        problems.push(format!("{theme}: {fg} on {bg} is {r:.2}:1 < {minimum}:1"));
                    }
                }
            }
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    /// The focus ring's two tones: on every background a control sits on, in both themes, one
    /// of them is ≥ 3:1 against it, and they are ≥ 3:1 against each other (WCAG 1.4.11 and
    /// 2.4.13: the ring's change of colour is visible wherever it is drawn).
    #[test]
    fn the_focus_ring_shows_on_every_background() {
        let colours = theme();
        let (outer, inner) = (colours["focus"], colours["on-focus"]);
        let mut problems = Vec::new();
        for bg in [
            "background",
            "page-alt",
            "bar",
            "panel",
            "notice",
            "primary",
            "selected",
            "secondary-button",
            "on-bar",
        ] {
            let b = colours[bg];
            for (theme, o, i, b) in [
                ("normal", outer.0, inner.0, b.0),
                ("high contrast", outer.1, inner.1, b.1),
            ] {
                let best = ratio(o, b).max(ratio(i, b));
                if best < 3.0 {
                    problems.push(format!("{theme}: ring on {bg} is {best:.2}:1"));
                }
                assert!(ratio(o, i) >= 3.0);
            }
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    /// Every background the .slint files paint is in a pair above, or said to hold no text:
    /// the pairs are kept by hand, and a panel added without its pair went untested (the
    /// health panel's warnings, red on grey at 4.34:1, until 2026-12-04).
    #[test]
    fn every_background_the_ui_paints_is_checked() {
        let colours = theme();
        let checked: std::collections::BTreeSet<&str> = TEXT_PAIRS
            .iter()
            .chain(BOUNDARY_PAIRS)
            .map(|(_, bg)| *bg)
            .chain(NO_TEXT_ON.iter().map(|(bg, _)| *bg))
            .collect();
        let mut files = vec![std::path::PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/ui"
        ))];
        let mut unchecked = std::collections::BTreeSet::new();
        let mut painted = 0;
        while let Some(path) = files.pop() {
            if path.is_dir() {
                files.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
                continue;
            }
            if path.extension().is_none_or(|e| e != "slint") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            for line in text.lines() {
                let Some((_, value)) = line.split_once("background:") else {
                    continue;
                };
                for name in value.split("Theme.").skip(1) {
                    let name: String = name
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
                        .collect();
                    if colours.contains_key(&name) {
                        painted += 1;
                        if !checked.contains(name.as_str()) {
                            unchecked.insert(format!("{name} ({})", path.display()));
                        }
                    }
                }
            }
        }
        assert!(painted > 40, "backgrounds found in ui/: {painted}");
        assert!(
            unchecked.is_empty(),
            "backgrounds with no pair: {unchecked:?}"
        );
    }

    #[test]
    fn the_old_key_outline_would_have_failed() {
        // Keys used to be outlined in soft-border: 1.86:1 against the keyboard (issue 16).
        let colours = theme();
        let r = ratio(colours["soft-border"].0, colours["page-alt"].0);
        assert!(r < 3.0, "{r}");
    }
}
