//! The focused control is not hidden by the caption bar (WCAG 2.4.11, focus not obscured): the
//! bar that shows the focused control's words while navigating by keys or in speech mode has
//! room of its own at the bottom of the page column (`caption-room` in `ui/app.slint`), so the
//! bars, the action bar, the keys and the side columns are never under it. Walked with Tab over
//! every control of every scene in English and Arabic at the largest text size on a 7" panel in
//! landscape at its scale (582×341 px), where room is shortest.
//!
//! Controls inside a page that scrolls are not checked here: the page is not scrolled to the
//! focused control (ACCESSIBILITY.md, 2.4.11), and the testing backend does not find a ring
//! that is scrolled out of view.

use i_slint_backend_testing::{ElementHandle, mock_elapsed_time};
use slint::ComponentHandle;

use super::common::TestDir;
use super::{Kiosk, clip, each_screen, press, rect_of, start_kiosk};

/// What is wrong with where the focused control is, if anything: the one focus ring on screen
/// (drawn 6 px outside its control) against the window and the caption bar; None for a control
/// in a page that scrolls (see the module's docs).
fn focus_problem(k: &Kiosk, width: f32, height: f32) -> Option<String> {
    let rings: Vec<ElementHandle> =
        ElementHandle::find_by_element_type_name(&k.app, "FocusRingShape").collect();
    let ring = match rings.as_slice() {
        // A control drawn without a ring (the welcome screen's whole-screen "start").
        [] => return None,
        [ring] => rect_of(ring),
        _ => return Some(format!("{} focus rings", rings.len())),
    };
    let (x, y, w, h) = (ring.0 + 6.0, ring.1 + 6.0, ring.2 - 12.0, ring.3 - 12.0);
    let in_a_page = ElementHandle::find_by_element_type_name(&k.app, "Scrolling").any(|s| {
        s.query_descendants()
            .match_type_name("FocusRingShape")
            .find_first()
            .is_some()
    });
    if in_a_page {
        return None;
    }
    if y < -0.5 || y + h > height + 0.5 || x < -0.5 || x + w > width + 0.5 {
        return Some(format!(
            "the control at {:?} is outside the window",
            (x, y, w, h)
        ));
    }
    if let Some(caption) = ElementHandle::find_by_element_type_name(&k.app, "FocusCaption").next() {
        let c = rect_of(&caption);
        let under = clip((x, y, w, h), c);
        if under.2 > 0.5 && under.3 > 0.5 {
            return Some(format!(
                "the control at {:?} is under the caption bar at {c:?}",
                (x, y, w, h)
            ));
        }
    }
    None
}

/// Tab through every control of every screen (one lap); returns the number of controls looked
/// at and pushes what is wrong to `problems`.
pub(super) fn no_focused_control_is_under_the_caption_bar(
    dir: &TestDir,
    problems: &mut Vec<String>,
) -> usize {
    let mut looked = 0;
    let k = start_kiosk(dir);
    k.app.window().set_size(slint::PhysicalSize::new(1024, 600));
    let factor = guichet::ui::scale::apply(k.app.window(), 154.0);
    mock_elapsed_time(std::time::Duration::from_millis(1));
    let logical = k.app.window().size().to_logical(factor);
    let (w, h) = (logical.width, logical.height);
    each_screen(&k, |scene, locale, size| {
        if !["en", "ar"].contains(&locale) || (size != 2 && scene != "welcome") {
            return;
        }
        k.controller.refresh();
        let controls = k.controller.flow().speech_controls().len();
        for _ in 0..controls {
            press(&k, slint::platform::Key::Tab);
            mock_elapsed_time(std::time::Duration::ZERO);
            looked += 1;
            if let Some(problem) = focus_problem(&k, w, h) {
                let words = guichet::flow::speech::plain(&k.api().get_speech_caption()).to_string();
                problems.push(format!(
                    "{scene} {locale} size {size} at {w}×{h}: {words:?}: {problem}"
                ));
            }
        }
    });
    k.controller.flow_mut().wipe();
    k.controller.refresh();
    looked
}
