//! The focused control is in view (WCAG 2.4.11, focus not obscured): not hidden by the caption
//! bar, which shows the focused control's words while navigating by keys or in speech mode and
//! has room of its own at the bottom of the page column (`caption-room` in `ui/app.slint`), so
//! the bars, the action bar, the keys and the side columns are never under it; and a control
//! inside a page that scrolls is scrolled into view when it gets the focus (`Scrolling` in
//! `ui/pages/common.slint`, told where the ring is by `FocusView` in `ui/widgets/focus.slint`):
//! its ring whole inside the page's view, above the "More below" strip. Walked with Tab over
//! every control of every scene in English and Arabic at the largest text size on a 7" panel at
//! its scale, in landscape (582×341 px) and upright (341×582 px), where room is shortest; each
//! focus must come to rest within a frame. Also here: scrolling by touch is not undone by the
//! focus, the caption bar keeps its words whole inside it, and the first Tab lands on the
//! screen's first control.
//!
//! The testing backend does not find an element clipped wholly out of view: a focused control
//! (one with a focus id) whose ring is not found is reported as out of view.

use i_slint_backend_testing::{ElementHandle, mock_elapsed_time};
use slint::ComponentHandle;

use super::common::TestDir;
use super::{Kiosk, Rect, clip, press, rect_of, start_kiosk};

/// What is wrong with where the focused control is, if anything: the one focus ring on screen
/// (drawn 6 px outside its control) against the view of every page that scrolls holding it,
/// the window and the caption bar.
fn focus_problem(k: &Kiosk, width: f32, height: f32) -> Option<String> {
    let rings: Vec<ElementHandle> =
        ElementHandle::find_by_element_type_name(&k.app, "FocusRingShape").collect();
    let ring = match rings.as_slice() {
        // A control drawn without a ring (the welcome screen's whole-screen "start", which has
        // no focus id), or one whose ring is clipped wholly out of view.
        [] if k.api().get_focus_id().is_empty() => return None,
        [] => {
            return Some(format!(
                "no focus ring in view for {:?}",
                k.api().get_focus_id()
            ));
        }
        [ring] => rect_of(ring),
        _ => return Some(format!("{} focus rings", rings.len())),
    };
    // The view of each page that scrolls holding the ring: its Flickable, as high as the page
    // less the "More below" strip. What of the control shows there is what the window and the
    // caption bar are checked against (all of it but for a control taller than the view).
    let mut control = (ring.0 + 6.0, ring.1 + 6.0, ring.2 - 12.0, ring.3 - 12.0);
    for page in ElementHandle::find_by_element_type_name(&k.app, "Scrolling") {
        let holds = page
            .query_descendants()
            .match_type_name("FocusRingShape")
            .find_first()
            .is_some();
        let view = page
            .query_descendants()
            .match_id("Scrolling::flick")
            .find_first();
        if let (true, Some(view)) = (holds, view) {
            let view = rect_of(&view);
            // A control taller than the view shows its top, and fills the view below it.
            let tall_and_top_shown = ring.3 > view.3
                && ring.1 >= view.1 - 0.5
                && ring.1 + ring.3 >= view.1 + view.3 - 0.5;
            if !inside(ring, view) && !tall_and_top_shown {
                return Some(format!(
                    "the ring at {ring:?} is not wholly in its page's view at {view:?}"
                ));
            }
            control = clip(control, view);
        }
    }
    let (x, y, w, h) = control;
    if y < -0.5 || y + h > height + 0.5 || x < -0.5 || x + w > width + 0.5 {
        return Some(format!(
            "the control at {:?} is outside the window",
            (x, y, w, h)
        ));
    }
    // What lies over pages: the caption bar, and what a page lays over its view's top (a
    // reference field's echo, above its pad).
    for (type_name, what) in [
        ("FocusCaption", "the caption bar"),
        ("ReferenceEcho", "the reference's echo"),
    ] {
        if let Some(over) = ElementHandle::find_by_element_type_name(&k.app, type_name).next() {
            let c = rect_of(&over);
            let under = clip((x, y, w, h), c);
            if under.2 > 0.5 && under.3 > 0.5 {
                return Some(format!(
                    "the control at {:?} is under {what} at {c:?}",
                    (x, y, w, h)
                ));
            }
        }
    }
    None
}

/// Tab through every control of every screen (one lap) on a panel of `pixels` (width, height)
/// `width_mm` wide at its real scale; returns the number of controls looked at and pushes what
/// is wrong to `problems`.
pub(super) fn every_focused_control_is_in_view(
    dir: &TestDir,
    pixels: (u32, u32),
    width_mm: f32,
    problems: &mut Vec<String>,
) -> usize {
    let mut looked = 0;
    let k = start_kiosk(dir);
    k.app
        .window()
        .set_size(slint::PhysicalSize::new(pixels.0, pixels.1));
    let factor = guichet::ui::scale::apply(k.app.window(), width_mm);
    mock_elapsed_time(std::time::Duration::from_millis(1));
    let logical = k.app.window().size().to_logical(factor);
    let (w, h) = (logical.width, logical.height);
    // Each scene in English and Arabic only (entering every language at every size, as
    // `each_screen` does, took most of the time), at the largest text size (the welcome screen
    // too: a resident who chose it and went back sees it there, at the largest size that fits).
    for (scene, _) in guichet::ui::scenes::SCENES {
        for locale in ["en", "ar"] {
            {
                let mut flow = k.controller.flow_mut();
                guichet::ui::scenes::enter(&mut flow, scene, locale).unwrap();
                while flow.session().text_size_step != 2 {
                    flow.cycle_text_size();
                }
            }
            k.controller
                .set_print_state(guichet::ui::scenes::print_state_for(scene));
            k.controller.refresh();
            let controls = k.controller.flow().speech_controls().len();
            for _ in 0..controls {
                press(&k, slint::platform::Key::Tab);
                settle();
                looked += 1;
                // At rest: no change handler left to run (a page and its ring that moved each
                // other for ever kept the kiosk's event loop busy).
                if i_slint_core::properties::ChangeTracker::run_change_handlers_once() {
                    problems.push(format!(
                        "{scene} {locale} {:?}: still changing after a frame",
                        k.api().get_focus_id()
                    ));
                }
                if let Some(problem) = focus_problem(&k, w, h) {
                    let words =
                        guichet::flow::speech::plain(&k.api().get_speech_caption()).to_string();
                    problems.push(format!("{scene} {locale} at {w}×{h}: {words:?}: {problem}"));
                }
            }
        }
    }
    k.controller.flow_mut().wipe();
    k.controller.refresh();
    looked
}

/// The one focus ring in view, if any.
fn ring_in_view(k: &Kiosk) -> Option<Rect> {
    let rings: Vec<ElementHandle> =
        ElementHandle::find_by_element_type_name(&k.app, "FocusRingShape").collect();
    assert!(rings.len() <= 1, "{} focus rings", rings.len());
    rings.first().map(rect_of)
}

/// A frame: the change handlers that size words, then the ring's report and the page's move
/// (run again, as the kiosk's event loop runs them before drawing).
fn settle() {
    for _ in 0..2 {
        mock_elapsed_time(std::time::Duration::ZERO);
    }
}

/// `a` lies within `b` (half a pixel either way).
fn inside(a: Rect, b: Rect) -> bool {
    a.0 >= b.0 - 0.5
        && a.1 >= b.1 - 0.5
        && a.0 + a.2 <= b.0 + b.2 + 0.5
        && a.1 + a.3 <= b.1 + b.3 + 0.5
}

/// Scrolling by touch is never undone by the focus: with a service focused by keys at the top
/// of the services page on a 7" panel upright at the largest size, a drag and then "More below"
/// move the page and it stays where the resident put it, its focused service out of view; the
/// next service focused by keys is scrolled into view again.
pub(super) fn scrolling_by_touch_is_not_undone_by_the_focus(dir: &TestDir) {
    let k = start_kiosk(dir);
    k.app
        .window()
        .set_size(slint::LogicalSize::new(341.0, 582.0));
    k.show_largest("services", "en");
    k.controller.refresh();
    for _ in 0..50 {
        if k.api().get_focus_id().starts_with("tile:") {
            break;
        }
        press(&k, slint::platform::Key::Tab);
        settle();
    }
    let focused = k.api().get_focus_id().to_string();
    assert!(
        focused.starts_with("tile:"),
        "a service has the focus: {focused:?}"
    );
    assert_eq!(focus_problem(&k, 341.0, 582.0), None, "{focused} in view");
    let at_first = ring_in_view(&k).expect("the focused service's ring is in view");

    // A drag up by 120 px: the page follows the finger, and stays.
    let page = ElementHandle::find_by_element_type_name(&k.app, "Scrolling")
        .find(|s| {
            s.query_descendants()
                .match_type_name("FocusRingShape")
                .find_first()
                .is_some()
        })
        .expect("the services page scrolls");
    let view = rect_of(&page);
    let (x, y) = (view.0 + view.2 / 2.0, view.1 + view.3 * 0.6);
    let window = k.app.window();
    let button = slint::platform::PointerEventButton::Left;
    window.dispatch_event(slint::platform::WindowEvent::PointerPressed {
        position: slint::LogicalPosition::new(x, y),
        button,
    });
    for step in 1..=12 {
        mock_elapsed_time(std::time::Duration::from_millis(16));
        window.dispatch_event(slint::platform::WindowEvent::PointerMoved {
            position: slint::LogicalPosition::new(x, y - 10.0 * step as f32),
        });
    }
    window.dispatch_event(slint::platform::WindowEvent::PointerReleased {
        position: slint::LogicalPosition::new(x, y - 120.0),
        button,
    });
    for _ in 0..20 {
        mock_elapsed_time(std::time::Duration::from_millis(100));
    }
    let dragged = ring_in_view(&k);
    assert!(
        dragged.is_none_or(|r| r.1 < at_first.1 - 60.0),
        "after a drag the page stays moved: the ring was at {at_first:?}, is at {dragged:?}"
    );
    for _ in 0..5 {
        mock_elapsed_time(std::time::Duration::from_millis(100));
    }
    assert_eq!(ring_in_view(&k), dragged, "nothing brings the page back");

    // "More below": the page moves up by most of a screen, and stays.
    k.tap_t("more-below");
    settle();
    let moved = ring_in_view(&k);
    assert!(
        moved.is_none_or(|r| dragged.is_some_and(|d| r.1 < d.1 - 100.0)),
        "after \"More below\" the page stays moved: the ring was at {dragged:?}, is at {moved:?}"
    );
    for _ in 0..5 {
        mock_elapsed_time(std::time::Duration::from_millis(100));
    }
    assert_eq!(ring_in_view(&k), moved, "nothing brings the page back");

    // The next service by keys: scrolled into view.
    press(&k, slint::platform::Key::Tab);
    settle();
    let next = k.api().get_focus_id().to_string();
    assert_ne!(next, focused);
    assert_eq!(focus_problem(&k, 341.0, 582.0), None, "{next} in view");
    k.controller.flow_mut().wipe();
    k.controller.refresh();
}

/// The caption bar keeps its words inside it, whole: on a 7" panel upright, a service's caption
/// (its name, its description, "Button, 1 of 8") is longer than the bar, and shows whole words
/// only, its first line, with "…" at its reading end (the left in Arabic) and the words clear of
/// it; a tool's short caption shows whole with no sign. In English and Arabic (Slint's own
/// `elide` ran an Arabic caption out of the bar on the left, through its border).
pub(super) fn the_caption_keeps_whole_words_inside_its_bar(dir: &TestDir) {
    let k = start_kiosk(dir);
    k.app
        .window()
        .set_size(slint::LogicalSize::new(341.0, 582.0));
    let one = |id: &str| {
        ElementHandle::find_by_element_id(&k.app, id)
            .next()
            .map(|e| rect_of(&e))
    };
    for locale in ["en", "ar"] {
        k.show_scene_at("services", locale, None);
        k.controller.refresh();
        let rtl = locale == "ar";
        let (mut cut_tiles, mut whole) = (0, 0);
        let controls = k.controller.flow().speech_controls().len();
        for _ in 0..controls {
            press(&k, slint::platform::Key::Tab);
            settle();
            let focus = k.api().get_focus_id().to_string();
            let words = guichet::flow::speech::plain(&k.api().get_speech_caption()).to_string();
            let place = format!("{locale} {focus:?} {words:?}");
            let bar = ElementHandle::find_by_element_type_name(&k.app, "FocusCaption")
                .next()
                .map(|e| rect_of(&e))
                .unwrap_or_else(|| panic!("{place}: no caption bar"));
            let line = one("FocusCaption::line").unwrap_or_else(|| panic!("{place}: no line"));
            // `CutLines` also sets a question's title: the caption's are the ones that start
            // inside its line.
            let in_line = |id: &str| {
                ElementHandle::find_by_element_id(&k.app, id)
                    .filter(|e| e.is_valid())
                    .map(|e| rect_of(&e))
                    .find(|r| inside((r.0, r.1, 0.0, 0.0), line))
            };
            let label = in_line("CutLines::label").unwrap_or_else(|| panic!("{place}: no words"));
            assert!(
                inside(line, (bar.0 + 3.0, bar.1 + 3.0, bar.2 - 6.0, bar.3 - 6.0)),
                "{place}: the line {line:?} is inside the bar {bar:?}, clear of its border"
            );
            match in_line("CutLines::cue") {
                Some(cue) => {
                    // Cut: the words wrapped to whole lines, the first shown, the sign at the
                    // line's reading end and the words clear of it.
                    assert!(
                        label.3 > line.3 + 1.0,
                        "{place}: cut, so wrapped: {label:?} in {line:?}"
                    );
                    assert!(
                        inside(cue, line),
                        "{place}: the sign {cue:?} in the line {line:?}"
                    );
                    if rtl {
                        assert!(
                            (cue.0 - line.0).abs() < 0.5,
                            "{place}: the sign on the left"
                        );
                        assert!(label.0 >= cue.0 + cue.2, "{place}: words clear of the sign");
                    } else {
                        assert!(
                            (cue.0 + cue.2 - line.0 - line.2).abs() < 0.5,
                            "{place}: the sign on the right"
                        );
                        assert!(
                            label.0 + label.2 <= cue.0,
                            "{place}: words clear of the sign"
                        );
                    }
                    cut_tiles += usize::from(focus.starts_with("tile:"));
                }
                None => {
                    assert!(
                        !focus.starts_with("tile:"),
                        "{place}: a service's caption is longer than the bar, and says so"
                    );
                    assert!(
                        (label.3 - line.3).abs() < 1.0 && (label.2 - line.2).abs() < 0.5,
                        "{place}: whole on one line, as wide as the line: {label:?} in {line:?}"
                    );
                    whole += 1;
                }
            }
        }
        assert!(
            cut_tiles >= 3,
            "{locale}: {cut_tiles} services' captions cut"
        );
        assert!(whole >= 1, "{locale}: {whole} captions whole");
    }
    k.controller.flow_mut().wipe();
    k.controller.refresh();
}

/// The first Tab shows the focus on the screen's first control after the bar (the first
/// language), not on the one after it; the next Tab moves on. Shift+Tab first goes the other
/// way, to the control before it.
pub(super) fn the_first_tab_lands_on_the_first_control(dir: &TestDir) {
    for (key, first) in [
        (slint::platform::Key::Tab, "tile:en"),
        (slint::platform::Key::Backtab, ""),
    ] {
        let k = start_kiosk(dir);
        k.show_scene_at("language", "en", None);
        k.controller.refresh();
        assert_eq!(k.api().get_focus_id(), "", "no focus shown before a key");
        press(&k, key);
        settle();
        let focus = k.api().get_focus_id().to_string();
        if first.is_empty() {
            assert!(
                !focus.is_empty() && focus != "tile:en" && focus != "tile:fr",
                "Shift+Tab first: the control before the first language, not {focus:?}"
            );
        } else {
            assert_eq!(focus, first, "the first Tab: the first language");
            press(&k, slint::platform::Key::Tab);
            settle();
            assert_eq!(
                k.api().get_focus_id(),
                "tile:fr",
                "the second Tab: the second"
            );
        }
        k.controller.flow_mut().wipe();
        k.controller.refresh();
    }
}

/// Keys keep working when Menu opens and closes by keys, at the largest size on a 7" panel
/// (`Flow::tools_in_menu`): the page, with what held the keys (`ReferenceKeys` on "Check a
/// request", in speech mode there), goes while the menu stands in its place, and comes back
/// after it.
pub(super) fn keys_reach_the_menu_and_the_page_after_it(dir: &TestDir) {
    use slint::platform::Key;
    for scene in ["question-single", "check-request"] {
        let k = start_kiosk(dir);
        super::words::seven_inch_landscape(&k);
        k.show_largest(scene, "en");
        k.controller.refresh();
        // On "Check a request" Enter checks what was typed (a scanner's Enter) unless in
        // speech mode, where the keys walk the controls.
        if scene == "check-request" {
            press(&k, Key::F1);
            settle();
            assert!(k.api().get_speech_on(), "F1 starts speech mode");
        }
        // Back from the page's first control: the bar comes before it, Menu last.
        let mut on_menu = false;
        for _ in 0..40 {
            press(&k, Key::Backtab);
            settle();
            if k.api().get_focus_id() == "tool:tool-menu" {
                on_menu = true;
                break;
            }
        }
        assert!(
            on_menu,
            "{scene}: Tab reaches Menu (at {:?})",
            k.api().get_focus_id()
        );
        press(&k, Key::Return);
        settle();
        assert!(k.controller.flow().menu_open(), "{scene}: Enter opened it");
        let first = guichet::flow::focus::tool_id(k.controller.flow().toolbar().menu[0].tool);
        press(&k, Key::Tab);
        settle();
        assert_eq!(
            k.api().get_focus_id().as_str(),
            first,
            "{scene}: Tab goes on into the menu"
        );
        press(&k, Key::Backtab);
        settle();
        press(&k, Key::Return);
        settle();
        assert!(!k.controller.flow().menu_open(), "{scene}: Enter closed it");
        press(&k, Key::Tab);
        settle();
        let id = k.api().get_focus_id().to_string();
        assert!(
            !id.is_empty() && id != "tool:tool-menu" && !id.starts_with("tool:"),
            "{scene}: Tab goes on to the page: {id:?}"
        );
        k.controller.flow_mut().wipe();
        k.controller.refresh();
    }
}
