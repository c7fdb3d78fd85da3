//! Sizes in real millimetres. Slint's `mm` unit assumes 96 logical pixels per inch and trusts the
//! window's scale factor; a kiosk panel reports neither its size nor its density reliably (a 7"
//! 1024×600 panel is about 169 dpi, so a "15 mm" target would be 8.5 mm). With
//! `ui.screen_width_mm` the kiosk sets the scale factor from the window's width in pixels, so
//! that every `mm` in `ui/theme.slint` (targets, gaps) is a millimetre on the glass, and text
//! sizes (logical pixels) scale with it.

use slint::platform::WindowEvent;

/// Slint's logical pixels per millimetre (96 dpi).
pub const LOGICAL_PX_PER_MM: f32 = 96.0 / 25.4;

/// The scale factor that makes one Slint `mm` one real millimetre on a panel `width_px` pixels
/// and `width_mm` millimetres wide.
pub fn scale_factor(width_px: u32, width_mm: f32) -> f32 {
    if width_px == 0 || width_mm <= 0.0 {
        return 1.0;
    }
    (width_px as f32 / width_mm) / LOGICAL_PX_PER_MM
}

/// Sets `window`'s scale factor for a panel `width_mm` wide, from its current width in pixels.
/// Returns the factor (unchanged when it is already right, within 1 %).
pub fn apply(window: &slint::Window, width_mm: f32) -> f32 {
    let wanted = scale_factor(window.size().width, width_mm);
    if (window.scale_factor() - wanted).abs() > wanted * 0.01 {
        window.dispatch_event(WindowEvent::ScaleFactorChanged {
            scale_factor: wanted,
        });
        // The layout follows the new logical size at once, not at the next resize.
        window.dispatch_event(WindowEvent::Resized {
            size: window.size().to_logical(wanted),
        });
    }
    wanted
}

/// Keeps `window`'s scale right for a panel `width_mm` wide: applied now and whenever the
/// window's size changes (the compositor configures the window after it is shown).
pub fn keep(window: slint::Weak<super::generated::AppWindow>, width_mm: f32) -> slint::Timer {
    let timer = slint::Timer::default();
    timer.start(
        slint::TimerMode::Repeated,
        std::time::Duration::from_millis(500),
        move || {
            if let Some(app) = window.upgrade() {
                use slint::ComponentHandle as _;
                apply(app.window(), width_mm);
            }
        },
    );
    timer
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_seven_inch_panel_is_scaled_so_a_millimetre_is_real() {
        // 1024 px over 154 mm: 6.65 px/mm, against Slint's 3.78.
        let f = scale_factor(1024, 154.0);
        assert!((f - 1.7585).abs() < 0.001, "{f}");
        let fifteen_mm_in_px = 15.0 * LOGICAL_PX_PER_MM * f;
        assert!((fifteen_mm_in_px / (1024.0 / 154.0) - 15.0).abs() < 0.01);
        assert_eq!(scale_factor(0, 154.0), 1.0);
    }

    /// EN 301 549 5.1.4: at the largest text size, a capital H of every text size the theme
    /// has (`font-small` to `font-huge`) is at least 6.1 mm (0.7° at 50 cm) once `mm` is real;
    /// measured with the bundled font's own cap height and the theme's sizes. `font-small` at
    /// 1.5 times 20 px was 5.7 mm (the top bar's tools, captions, the staff's lines): the
    /// theme's `least-at` raises it at the largest step.
    #[test]
    fn the_largest_text_has_a_capital_h_of_at_least_6_1_mm() {
        let theme = include_str!("../../ui/theme.slint");
        let line = |name: &str| {
            theme
                .lines()
                .find_map(|l| {
                    l.trim()
                        .strip_prefix(&format!("out property <length> {name}: "))
                        .map(str::to_string)
                })
                .unwrap_or_else(|| panic!("{name} in theme.slint"))
        };
        let px = |text: &str| -> Vec<f32> {
            text.split("px")
                .filter_map(|t| t.rsplit([' ', '(']).next()?.trim().parse().ok())
                .collect()
        };
        let function = |name: &str| {
            theme
                .lines()
                .find(|l| l.contains(&format!("public pure function {name}(")))
                .unwrap_or_else(|| panic!("{name} in theme.slint"))
                .to_string()
        };
        // "scale >= 1.5 ? 33px : 20px": the largest step's least, and the others'.
        let least = px(&function("least-at"));
        assert_eq!(least.len(), 2, "{least:?}");
        let (least_largest, least_other) = (least[0], least[1]);
        let largest_scale = crate::flow::TEXT_SCALES[2];
        assert!(function("least-at").contains(&format!("scale >= {largest_scale}")));
        let font = include_bytes!("../../ui/fonts/NotoSans-Regular.ttf");
        let font = swash::FontRef::from_index(font, 0).expect("bundled font");
        let metrics = font.metrics(&[]);
        let cap = metrics.cap_height / f32::from(metrics.units_per_em);
        for name in [
            "font-small",
            "font-body",
            "font-large",
            "font-title",
            "font-huge",
        ] {
            let mut text = line(name);
            if text.contains("small-at") {
                text = function("small-at");
            }
            let base = px(&text)[0];
            let floored = text.contains("least-at");
            let at = |scale: f32, least: f32| {
                if floored {
                    (base * scale).max(least)
                } else {
                    base * scale
                }
            };
            let largest = at(largest_scale, least_largest);
            let cap_mm = largest * cap / LOGICAL_PX_PER_MM;
            assert!(
                cap_mm >= 6.1,
                "{name}: capital H {cap_mm:.2} mm at {largest} px"
            );
            // And no text under 20 px at the default size (issue 16).
            assert!(at(1.0, least_other) >= 20.0, "{name}");
        }
    }
}
