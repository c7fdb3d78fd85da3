//! Words on the kiosk's own buttons and headings and lines on a small panel: every word of a
//! tool's title is measured (the widest, not the longest by letters, decides its size and
//! whether it is cut), a heading is set smaller rather than break a word, and typing beside or
//! under the keys on a 7" panel keeps the question's title in view above what was typed,
//! Arabic's taller lines included, with "…" where it is cut, and what was typed shows its end.

use std::sync::Arc;
use std::time::Duration;

use guichet::i18n::Translations;
use i_slint_backend_testing::{AccessibleRole, ElementHandle, mock_elapsed_time};
use slint::ComponentHandle;

use super::common::TestDir;
use super::{Kiosk, cut_words, small_words, start_kiosk, start_kiosk_translated};

/// A 7" 1024×600 panel in landscape at its real scale (154 mm wide); the window's logical size.
pub(super) fn seven_inch_landscape(k: &Kiosk) -> (f32, f32) {
    k.app.window().set_size(slint::PhysicalSize::new(1024, 600));
    let factor = guichet::ui::scale::apply(k.app.window(), 154.0);
    mock_elapsed_time(std::time::Duration::from_millis(1));
    let logical = k.app.window().size().to_logical(factor);
    (logical.width, logical.height)
}

/// A tool's title whose widest word is not its longest by letters ("Ш" against "ii" in a real
/// language; here fourteen i's against fewer W's), in the side column beside the keys on a 7"
/// panel (its room is the column's, whatever the language): twelve W's do not fit even at
/// 20 px and the button reports the word cut (measuring only the i's, it said "whole"); seven
/// fit at 20 px and are set so, whole. The measures take no part in the buttons' height.
pub(super) fn every_word_of_a_tool_is_measured_not_only_the_longest(dir: &TestDir) {
    let too_wide = "iiiiiiiiiiiiii WWWWWWWWWWWW";
    let fits_smaller = "iiiiiiiiiiiiii WWWWWWW";
    let mut tr = Translations::load().unwrap();
    tr.replace_message("en", "tool-help", too_wide).unwrap();
    tr.replace_message("en", "tool-start-over", fits_smaller)
        .unwrap();
    let k = start_kiosk_translated(dir, 0, Box::new(|_| {}), Arc::new(tr));
    seven_inch_landscape(&k);
    k.show_scene("question-string", "en");
    assert!(
        k.api().get_typing_beside(),
        "the side column beside the keys"
    );
    let tools: Vec<ElementHandle> =
        ElementHandle::find_by_element_type_name(&k.app, "ToolButton").collect();
    let titles: Vec<String> = tools
        .iter()
        .filter_map(|b| b.accessible_label().map(|l| l.to_string()))
        .collect();
    assert!(
        titles.iter().any(|t| t == too_wide) && titles.iter().any(|t| t == fits_smaller),
        "{titles:?}"
    );
    assert_eq!(
        cut_words(&k),
        vec![too_wide.to_string()],
        "only the title whose widest word cannot fit is reported cut"
    );
    let mm = guichet::ui::scale::LOGICAL_PX_PER_MM;
    for b in &tools {
        let h = b.size().height / mm;
        assert!(
            (14.95..25.0).contains(&h),
            "{:?} is {h:.1} mm high: its measure (two lines at 100 px) counted",
            b.accessible_label()
        );
    }
    k.controller.flow_mut().wipe();
    k.controller.refresh();
}

/// Typing beside the keys on a 7" panel, in every language at every text size: the question's
/// title and what was typed both show above the keys, whole, inside the window, the title
/// above the typed text and the typed text above the keys. (Arabic's lines are taller: at the
/// largest size only the typed text showed until both were set tight.) At the largest size,
/// where the question and its keys are two screens (`Flow::keys_apart`), the title is read on
/// the question's own screen and shows above the keys only when it fits whole at 33 px: there
/// what was typed must show, the title may not.
pub(super) fn typing_beside_shows_the_title_and_what_was_typed(dir: &TestDir) -> Vec<String> {
    let k = start_kiosk(dir);
    let (width, height) = seven_inch_landscape(&k);
    let mut problems = Vec::new();
    for locale in guichet::i18n::SUPPORTED_LOCALES {
        for size in 0..3 {
            {
                let mut flow = k.controller.flow_mut();
                guichet::ui::scenes::enter(&mut flow, "question-string", locale).unwrap();
                while flow.session().text_size_step != size {
                    flow.cycle_text_size();
                }
            }
            k.controller.refresh();
            mock_elapsed_time(std::time::Duration::from_millis(1));
            let at = format!("{locale} size {size}");
            assert!(k.api().get_typing_beside(), "{at}: typing beside the keys");
            let question = k.api().get_question();
            let within = |e: &ElementHandle| {
                let (p, s) = (e.absolute_position(), e.size());
                (s.height > 0.0
                    && p.y >= -0.5
                    && p.y + s.height <= height + 0.5
                    && p.x >= -0.5
                    && p.x + s.width <= width + 0.5)
                    .then_some((p.y, p.y + s.height))
            };
            let title = k
                .find(&question.title)
                .into_iter()
                .filter(|e| e.accessible_role() == Some(AccessibleRole::Text))
                .find_map(|e| within(&e));
            let typed_label = format!("{}: {}", k.tr.text(locale, "typed-so-far"), question.value);
            let typed = k.find(&typed_label).iter().find_map(within);
            let keys_top = ElementHandle::find_by_element_type_name(&k.app, "KeyButton")
                .map(|e| e.absolute_position().y)
                .fold(f32::INFINITY, f32::min);
            let apart = k.controller.flow().keys_apart();
            match (title, typed) {
                (None, Some(_)) if apart => {}
                (Some(title), Some(typed)) => {
                    if title.1 > typed.0 + 0.5 || typed.1 > keys_top + 0.5 {
                        problems.push(format!(
                            "{at}: title at y {:.0}..{:.0}, typed text {:.0}..{:.0}, keys from \
                             {keys_top:.0}: overlapping",
                            title.0, title.1, typed.0, typed.1
                        ));
                    }
                }
                (title, typed) => problems.push(format!(
                    "{at}: the title {} and the typed text {} in the window",
                    if title.is_some() { "is" } else { "is not" },
                    if typed.is_some() { "is" } else { "is not" },
                )),
            }
        }
    }
    k.controller.flow_mut().wipe();
    k.controller.refresh();
    problems
}

/// Every page of the on-screen keyboard (its own letters, Latin letters, Symbols, and each
/// page of letters on a narrow panel) for a line and for several lines of text, and the search
/// keyboard where the demo has one, in every language on a 7" panel either way round, at the
/// default and the largest text size: no key's word is cut (each key reports a cut word as
/// the tools do; the screens the scenes show have the first page only), and at the largest
/// size none is set under 33 px (EN 301 549 5.1.4). Returns the problems.
pub(super) fn no_key_word_is_cut_on_any_keyboard_page(dir: &TestDir) -> Vec<String> {
    let mut problems = Vec::new();
    let mut with_words = 0;
    for (px, mm) in [((1024, 600), 154.0), ((600, 1024), 90.0)] {
        let k = start_kiosk(dir);
        k.app
            .window()
            .set_size(slint::PhysicalSize::new(px.0, px.1));
        guichet::ui::scale::apply(k.app.window(), mm);
        mock_elapsed_time(std::time::Duration::from_millis(1));
        for locale in guichet::i18n::SUPPORTED_LOCALES {
            for scene in ["question-string", "question-text", "services"] {
                for (mode, page, size) in ["{mode:native}", "{mode:latin}", "{mode:symbols}"]
                    .into_iter()
                    .flat_map(|m| (0..4).flat_map(move |p| [(m, p, 0), (m, p, 2)]))
                {
                    {
                        {
                            let mut flow = k.controller.flow_mut();
                            guichet::ui::scenes::enter(&mut flow, scene, locale).unwrap();
                            while flow.session().text_size_step != size {
                                flow.cycle_text_size();
                            }
                            if scene == "services" {
                                flow.open_search();
                                if !flow.session().search_typing {
                                    continue;
                                }
                            }
                            flow.key(mode);
                            for _ in 0..page {
                                flow.key("{more-letters}");
                            }
                        }
                        k.controller.refresh();
                        mock_elapsed_time(std::time::Duration::from_millis(1));
                        with_words += ElementHandle::find_by_element_type_name(&k.app, "KeyButton")
                            .filter(|key| {
                                key.accessible_label()
                                    .is_some_and(|l| l.chars().count() > 2)
                            })
                            .count();
                        for title in cut_words(&k) {
                            problems.push(format!(
                                "{scene} {locale} {mode} page {page} size {size} on a {mm} mm \
                                 panel: {title:?}: a word cut"
                            ));
                        }
                        if size == 2 {
                            for title in small_words(&k, &["KeyButton"]) {
                                problems.push(format!(
                                    "{scene} {locale} {mode} page {page} at the largest size \
                                     on a {mm} mm panel: {title:?}: set under 33 px"
                                ));
                            }
                        }
                    }
                }
            }
        }
        k.controller.flow_mut().wipe();
        k.controller.refresh();
    }
    assert!(with_words > 500, "keys with words seen: {with_words}");
    problems
}

/// The action bar's button keeps its widest word whole, fitted to the bar's width, and reports
/// a word it cannot keep whole, on a 7" panel upright (90 mm wide) at the largest text size:
/// "Finish" as nine W's is wider than the panel at the bar's size and is set smaller, whole and
/// inside the window (unfitted, the button ran past the window's side); "Send request" with a
/// word of twenty W's does not fit even at 20 px and is reported cut.
pub(super) fn an_action_bar_button_fits_its_widest_word_or_reports_it_cut(dir: &TestDir) {
    let too_wide = "Send WWWWWWWWWWWWWWWWWWWW";
    let fits_smaller = "WWWWWWWWW";
    let mut tr = Translations::load().unwrap();
    tr.replace_message("en", "check-submit", too_wide).unwrap();
    tr.replace_message("en", "confirm-finish", fits_smaller)
        .unwrap();
    let k = start_kiosk_translated(dir, 0, Box::new(|_| {}), Arc::new(tr));
    k.app.window().set_size(slint::PhysicalSize::new(600, 1024));
    let factor = guichet::ui::scale::apply(k.app.window(), 90.0);
    mock_elapsed_time(std::time::Duration::from_millis(1));
    let width = k.app.window().size().to_logical(factor).width;
    for (scene, title, cut) in [
        ("check", too_wide, true),
        ("confirmation", fits_smaller, false),
    ] {
        {
            let mut flow = k.controller.flow_mut();
            guichet::ui::scenes::enter(&mut flow, scene, "en").unwrap();
            while flow.session().text_size_step != 2 {
                flow.cycle_text_size();
            }
        }
        k.controller.refresh();
        mock_elapsed_time(std::time::Duration::from_millis(1));
        // The button (its label's text is named by its words too).
        let buttons: Vec<ElementHandle> = k
            .find(title)
            .into_iter()
            .filter(|b| b.accessible_role() == Some(AccessibleRole::Button))
            .collect();
        assert_eq!(buttons.len(), 1, "{scene}: one {title:?}");
        assert_eq!(
            cut_words(&k).contains(&title.to_string()),
            cut,
            "{scene}: {title:?} reported cut: {cut}"
        );
        if !cut {
            assert_within_width(&buttons[0], width, &format!("{scene}: {title:?}"));
        }
    }
    k.controller.flow_mut().wipe();
    k.controller.refresh();
}

/// A 7" 1024×600 panel turned upright at its real scale (90 mm wide); the window's logical
/// width and height. (Once per window: sized again, the testing backend takes the pixels for
/// logical ones.)
pub(super) fn seven_inch_upright(k: &Kiosk) -> (f32, f32) {
    k.app.window().set_size(slint::PhysicalSize::new(600, 1024));
    let factor = guichet::ui::scale::apply(k.app.window(), 90.0);
    mock_elapsed_time(std::time::Duration::from_millis(1));
    let logical = k.app.window().size().to_logical(factor);
    (logical.width, logical.height)
}

/// A page heading keeps its widest word whole, on a 7" panel upright (90 mm wide) at the
/// largest text size: a question whose title is one long word ("Straßenbeleuchtung", wider
/// than the page at the heading's 54 px) is set smaller, on one line, inside the window
/// (before, the heading broke the word in the middle: two lines at 54 px); a title with a word
/// of twenty-four W's, too wide even at 20 px, is reported cut, as a button's word is.
pub(super) fn a_heading_fits_its_widest_word_or_reports_it_cut(dir: &TestDir) {
    let fits_smaller = "Straßenbeleuchtung";
    let too_wide = "Check WWWWWWWWWWWWWWWWWWWWWWWW";
    let mut tr = Translations::load().unwrap();
    tr.replace_message("en", "contact-choice-title", fits_smaller)
        .unwrap();
    tr.replace_message("en", "check-title", too_wide).unwrap();
    let k = start_kiosk_translated(dir, 0, Box::new(|_| {}), Arc::new(tr));
    let heading = |title: &str| the_one(&k, "Heading", title);

    let (width, _) = seven_inch_upright(&k);
    k.show_largest("contact", "en");
    let h = heading(fits_smaller);
    let s = h.size();
    // A line is about 1.36 times its text's size: one line at the heading's 54 px is about
    // 73 px high; two lines at 20 px or more (the word broken) are 54 px or more.
    assert!(
        (26.0..54.0).contains(&s.height),
        "{fits_smaller:?} is {} px high: not one line of a smaller size",
        s.height
    );
    assert_within_width(&h, width, &format!("{fits_smaller:?}"));
    assert!(
        !super::cut_words(&k).contains(&fits_smaller.to_string()),
        "{fits_smaller:?} reported cut"
    );

    k.show_largest("check", "en");
    heading(too_wide);
    assert!(
        super::cut_words(&k).contains(&too_wide.to_string()),
        "{too_wide:?} not reported cut: {:?}",
        super::cut_words(&k)
    );
    k.controller.flow_mut().wipe();
    k.controller.refresh();
}

/// A question's option keeps its widest word whole beside its mark, on a 7" panel upright
/// (90 mm wide) at the largest text size, or reports it cut, as a button and a heading do: a
/// council's catalogue whose options are "Sperrmüllabholung" (set smaller, on one line, inside
/// the window) and a word of twenty-eight W's (too wide even at 20 px: reported; before, a
/// choice reported nothing and the reflow check could not see its broken word).
pub(super) fn an_option_fits_its_widest_word_or_reports_it_cut(dir: &TestDir) {
    let fits_smaller = "Sperrmüllabholung";
    let too_wide = "WWWWWWWWWWWWWWWWWWWWWWWWWWWW";
    let doc = serde_json::json!({
        "services": [{
            "service_code": "WORDS", "service_name": "Long words", "metadata": true,
            "type": "realtime", "group": null,
        }],
        "definitions": { "WORDS": { "service_code": "WORDS", "attributes": [{
            "variable": true, "code": "WHICH", "datatype": "singlevaluelist",
            "required": true, "order": 1, "description": "Which one?",
            "values": [
                { "key": "a", "name": fits_smaller },
                { "key": "b", "name": too_wide },
            ],
        }]}},
    });
    let catalog = guichet::catalog::parse_catalog_document(doc.to_string().as_bytes()).unwrap();
    let tr = Arc::new(Translations::load().unwrap());
    let flow = guichet::flow::Flow::new(
        guichet::flow::FlowSettings {
            languages: vec!["en".into()],
            local_offset: time::UtcOffset::UTC,
            ..guichet::flow::FlowSettings::default()
        },
        [(String::new(), catalog)].into_iter().collect(),
        tr.clone(),
    );
    let k = super::show_kiosk(dir, flow, tr, 1280.0, 800.0);
    // As wide as a 7" panel upright at its scale, and tall enough that every option is in
    // view (the testing backend does not find what a page has scrolled out of view).
    k.app.window().set_size(slint::PhysicalSize::new(600, 3000));
    let factor = guichet::ui::scale::apply(k.app.window(), 90.0);
    mock_elapsed_time(std::time::Duration::from_millis(1));
    let width = k.app.window().size().to_logical(factor).width;
    {
        let mut flow = k.controller.flow_mut();
        flow.start();
        flow.choose_language("en");
        flow.choose_service("WORDS");
        while flow.session().text_size_step != 2 {
            flow.cycle_text_size();
        }
    }
    k.controller.refresh();
    mock_elapsed_time(std::time::Duration::from_millis(1));
    let option = |name: &str| the_one(&k, "RadioToggle", name);
    let toggle = option(fits_smaller);
    let s = toggle.size();
    assert_within_width(&toggle, width, &format!("{fits_smaller:?}"));
    // The toggle is a 15 mm target (about 57 px here): two lines of words would make it taller.
    assert!(
        s.height < 70.0,
        "{fits_smaller:?} is {} px high: its word broken over two lines",
        s.height
    );
    option(too_wide);
    let cut = cut_words(&k);
    assert!(
        cut.contains(&too_wide.to_string()),
        "{too_wide:?} not reported cut: {cut:?}"
    );
    assert!(
        !cut.contains(&fits_smaller.to_string()),
        "{fits_smaller:?} reported cut"
    );
    k.controller.flow_mut().wipe();
    k.controller.refresh();
}

/// Typing on a 7" panel upright at the middle text size, a question's title too long for the
/// room above what was typed shows its first lines, whole, in that room, with "…" at the end
/// of the last (its right end in English, its left in Arabic; before, nothing said there was
/// more), while its accessible label and what speech mode says are the whole title. Its lines
/// leave the "…" its room. At the largest size, where the question and its keys are two
/// screens (`Flow::keys_apart`), nothing above the keys is set under 33 px: upright the title's
/// first line is there at 33 px with its "…" (it was read whole on the screen before), in
/// landscape no line of it (there is room for one line only: what was typed); what was typed
/// is at 33 px or more (it was at 20–22 px).
pub(super) fn a_title_cut_above_the_keys_says_so(dir: &TestDir) {
    let titles = [
        (
            "en",
            "Where exactly is the problem: which street, which house number, near which shop, \
             school or bus stop, and on which side of the road?",
        ),
        (
            "ar",
            "أين المشكلة بالضبط: في أي شارع، وعند أي رقم منزل، وبالقرب من أي متجر أو مدرسة أو \
             موقف حافلات، وعلى أي جانب من الطريق؟",
        ),
    ]
    .map(|(locale, sentence)| (locale, [sentence; 4].join(" ")));
    let mut tr = Translations::load().unwrap();
    for (locale, title) in &titles {
        tr.replace_message(locale, "address-title", title).unwrap();
    }
    let tr = Arc::new(tr);
    let k = start_kiosk_translated(dir, 0, Box::new(|_| {}), tr.clone());
    let (width, height) = seven_inch_upright(&k);
    let settings = guichet::flow::speech::SpeechSettings {
        headset: false,
        site: "Test Library".into(),
        help_hours: String::new(),
        headset_jack: None,
    };
    for (locale, title) in &titles {
        k.show_scene_at("address", locale, Some(1));
        assert!(
            k.controller.flow().typing_on_small_panel(),
            "{locale}: typing under the title"
        );
        let shown: Vec<ElementHandle> =
            ElementHandle::find_by_element_type_name(&k.app, "FittedLines")
                .filter(|e| e.is_valid() && e.accessible_label().is_some_and(|l| l == title))
                .collect();
        assert_eq!(
            shown.len(),
            1,
            "{locale}: the title above the keys, labelled whole"
        );
        let (p, s) = (shown[0].absolute_position(), shown[0].size());
        let typed_top = ElementHandle::find_by_element_type_name(&k.app, "TypedSoFar")
            .filter(|e| e.is_valid())
            .map(|e| e.absolute_position().y)
            .fold(height, f32::min);
        // At least a line at 20 px (27 px; Arabic's are taller), inside the window and above
        // the typed text; and far fewer than the title's lines (about 15 at 20 px on the
        // page's 80 mm): cut.
        assert!(
            s.height >= 26.0 && s.height <= 6.0 * 34.0,
            "{locale}: the title's lines are {} px high",
            s.height
        );
        assert!(
            p.y >= 0.0
                && p.y + s.height <= typed_top + 0.5
                && p.x >= -0.5
                && p.x + s.width <= width + 0.5,
            "{locale}: the title at {p:?} {s:?}, the typed text from {typed_top}"
        );
        // `CutLines` also sets the focus caption: the title's sign is the one inside its box.
        let cues: Vec<ElementHandle> = ElementHandle::find_by_element_id(&k.app, "CutLines::cue")
            .filter(|e| {
                let q = e.absolute_position();
                e.is_valid()
                    && q.x >= p.x - 0.5
                    && q.x <= p.x + s.width + 0.5
                    && q.y >= p.y - 0.5
                    && q.y <= p.y + s.height + 0.5
            })
            .collect();
        assert_eq!(cues.len(), 1, "{locale}: one \"…\" where the title is cut");
        let (cp, cs) = (cues[0].absolute_position(), cues[0].size());
        assert!(
            cs.width > 0.0 && (cp.y + cs.height - (p.y + s.height)).abs() < 0.5,
            "{locale}: the \"…\" at {cp:?} {cs:?}, not on the last line of the title at {p:?} {s:?}"
        );
        let at_end = if *locale == "ar" {
            (cp.x - p.x).abs() < 0.5
        } else {
            (cp.x + cs.width - (p.x + s.width)).abs() < 0.5
        };
        assert!(
            at_end,
            "{locale}: the \"…\" at x {}..{}, not at the end of the title's lines at x {}..{}",
            cp.x,
            cp.x + cs.width,
            p.x,
            p.x + s.width
        );
        let said = k.controller.flow().speech_screen(&settings);
        let whole = guichet::flow::speech::plain(title);
        assert!(
            said.iter().any(|line| line.contains(&whole)),
            "{locale}: the whole title is spoken: {said:?}"
        );
    }
    // At the largest size, the keys' screen: upright a line of the title at 33 px (45 px high)
    // and its "…", in landscape no line of it and no "…"; what was typed in a box at least a
    // 33 px line high, either way round.
    for upright in [true, false] {
        // A kiosk of its own for each way round, as a kiosk is set up once.
        let k = start_kiosk_translated(dir, 0, Box::new(|_| {}), tr.clone());
        let (w, h) = if upright { (600, 1024) } else { (1024, 600) };
        k.app.window().set_size(slint::PhysicalSize::new(w, h));
        guichet::ui::scale::apply(k.app.window(), if upright { 90.0 } else { 154.0 });
        mock_elapsed_time(std::time::Duration::from_millis(1));
        for (locale, title) in &titles {
            k.show_largest("address", locale);
            let flow = k.controller.flow();
            assert!(
                flow.keys_apart() && !flow.keys_hidden(),
                "{locale}: the keys' screen"
            );
            drop(flow);
            let title_lines: Vec<f32> =
                ElementHandle::find_by_element_type_name(&k.app, "FittedLines")
                    .filter(|e| e.is_valid() && e.accessible_label().is_some_and(|l| l == *title))
                    .map(|e| e.size().height)
                    .filter(|h| *h > 0.5)
                    .collect();
            let cues = ElementHandle::find_by_element_id(&k.app, "CutLines::cue")
                .filter(|e| e.is_valid() && e.size().width > 0.0)
                .count();
            if upright {
                assert!(
                    title_lines.len() == 1 && title_lines[0] >= 45.0 && cues == 1,
                    "{locale} upright: the title's lines above the keys {title_lines:?} px \
                     high, {cues} \"…\""
                );
            } else {
                assert!(
                    title_lines.is_empty() && cues == 0,
                    "{locale} landscape: the title's lines above the keys {title_lines:?}, \
                     {cues} \"…\""
                );
            }
            let typed: Vec<f32> = ElementHandle::find_by_element_type_name(&k.app, "TypedSoFar")
                .filter(|e| e.is_valid())
                .map(|e| e.size().height)
                .collect();
            // A line at 33 px is 45 px high in the Latin font, more in the Arabic one, and the
            // box adds 1 mm above and below (its border inside it): 52 px at least (at 22 px
            // it was 38 px).
            assert!(
                !typed.is_empty() && typed.iter().all(|h| *h >= 50.0),
                "{locale} upright {upright}: what was typed in boxes {typed:?} px high"
            );
        }
    }
    // A title that fits whole has none (at the middle size: at the largest it is set at 33 px,
    // and cut).
    k.show_scene_at("question-string", "en", Some(1));
    assert!(k.controller.flow().typing_on_small_panel());
    assert_eq!(
        ElementHandle::find_by_element_id(&k.app, "CutLines::cue")
            .filter(|e| e.is_valid())
            .count(),
        0,
        "a \"…\" under a title that fits"
    );
    k.controller.flow_mut().wipe();
    k.controller.refresh();
}

/// At the largest text size on a 7" panel, either way round, in English and Arabic, a question
/// to type comes before its keys (`Flow::keys_apart`), by touch: no key on the question's own
/// screen, "Type your answer" in the action bar and Continue after it in reading order (in the
/// side bar at the reading end in landscape, under it upright); a touch on "Type your answer"
/// (a pointer press at its centre, not the accessible action) brings the keys, and Continue in
/// the column beside them or under them; Back closes them on the same question, what was
/// typed kept; a touch on the answer's box brings them back.
pub(super) fn the_question_comes_before_its_keys_by_touch(dir: &TestDir) {
    let keys = |k: &Kiosk| {
        ElementHandle::find_by_element_type_name(&k.app, "KeyButton")
            .filter(|e| e.is_valid())
            .count()
    };
    let centre = |e: &ElementHandle| {
        let (p, s) = (e.absolute_position(), e.size());
        (p.x + s.width / 2.0, p.y + s.height / 2.0)
    };
    for upright in [false, true] {
        // A kiosk of its own for each way round, as a kiosk is set up once.
        let k = start_kiosk(dir);
        let (w, h, mm) = if upright {
            (600, 1024, 90.0)
        } else {
            (1024, 600, 154.0)
        };
        k.app.window().set_size(slint::PhysicalSize::new(w, h));
        let factor = guichet::ui::scale::apply(k.app.window(), mm);
        mock_elapsed_time(std::time::Duration::from_millis(1));
        let width = k.app.window().size().to_logical(factor).width;
        for locale in ["en", "ar"] {
            let at = format!("{locale} upright {upright}");
            k.show_largest("question-before-keys", locale);
            let step = k.controller.flow().session().step;
            assert!(
                k.controller.flow().keys_hidden(),
                "{at}: the question first"
            );
            assert_eq!(keys(&k), 0, "{at}: no key on the question's own screen");
            let type_answer = the_one(&k, "Button", &k.t("keys-open"));
            let cont = the_one(&k, "Button", &k.t("continue"));
            let (tp, ts) = (type_answer.absolute_position(), type_answer.size());
            let cp = cont.absolute_position();
            assert_within_width(&type_answer, width, &format!("{at}: Type your answer"));
            if upright {
                assert!(
                    cp.y >= tp.y + ts.height,
                    "{at}: Continue under Type your answer"
                );
            } else {
                // The side bar at the reading end: the right in English, the left in Arabic.
                let beside = if locale == "ar" {
                    cp.x + cont.size().width <= tp.x
                } else {
                    cp.x >= tp.x + ts.width
                };
                assert!(beside, "{at}: Continue in the side bar at the reading end");
            }
            let (x, y) = centre(&type_answer);
            k.hold_at(x, y, 100);
            mock_elapsed_time(std::time::Duration::from_millis(1));
            {
                let flow = k.controller.flow();
                assert!(
                    !flow.keys_hidden(),
                    "{at}: Type your answer opened the keys"
                );
                assert!(flow.typing_beside() != upright && flow.typing_on_small_panel());
            }
            assert!(keys(&k) > 10, "{at}: the keys are up");
            assert!(
                !k.visible(&k.t("keys-open")),
                "{at}: no Type your answer over the keys"
            );
            let _ = the_one(&k, "Button", &k.t("continue"));
            let before = k.controller.flow().question_view().unwrap().value;
            k.type_keys(if locale == "ar" { "س" } else { "x" });
            k.tap(&k.t("tool-back"));
            mock_elapsed_time(std::time::Duration::from_millis(1));
            {
                let flow = k.controller.flow();
                assert!(
                    flow.keys_hidden() && flow.session().step == step,
                    "{at}: Back closed the keys on the same question"
                );
                let value = flow.question_view().unwrap().value;
                assert!(
                    value.len() > before.len(),
                    "{at}: {value:?} kept what was typed"
                );
            }
            assert_eq!(keys(&k), 0, "{at}: Back took the keys away");
            // The answer's box, scrolled into view under the question's title.
            k.scroll_to_end(10);
            let field = ElementHandle::find_by_element_type_name(&k.app, "Field")
                .find(|e| e.is_valid())
                .expect("the answer's box");
            let (x, y) = centre(&field);
            k.hold_at(x, y, 100);
            mock_elapsed_time(std::time::Duration::from_millis(1));
            assert!(
                !k.controller.flow().keys_hidden() && keys(&k) > 10,
                "{at}: a touch on the answer's box opened the keys"
            );
        }
        k.controller.flow_mut().wipe();
        k.controller.refresh();
    }
}

/// The one element of type `type_name` labelled `label` on screen (asserted: exactly one).
fn the_one(k: &Kiosk, type_name: &str, label: &str) -> ElementHandle {
    let found: Vec<ElementHandle> = ElementHandle::find_by_element_type_name(&k.app, type_name)
        .filter(|e| e.is_valid() && e.accessible_label().is_some_and(|l| l == label))
        .collect();
    assert_eq!(found.len(), 1, "one {type_name} {label:?}");
    found.into_iter().next().unwrap()
}

/// Asserts that `e` lies within a window `width` wide, across neither side (`what` names it).
fn assert_within_width(e: &ElementHandle, width: f32, what: &str) {
    let (p, s) = (e.absolute_position(), e.size());
    assert!(
        p.x >= -0.5 && p.x + s.width <= width + 0.5,
        "{what} at x {}..{} in a window {width} wide",
        p.x,
        p.x + s.width
    );
}

/// Typing on a 7" panel upright at the largest text size, a value longer than the box above the
/// keys shows its end, in whole words: "…" at the text's start side (the left of a left-to-right
/// text, the right of a right-to-left one), then the longest of the line's word-ends that fits,
/// caret and all, inside the box (before, Slint's `elide` kept "12 Station Road..." and hid what
/// was just typed and the caret). After a "New line" the box shows the line being typed behind
/// "…", one line high (before, it grew a line a line typed). Its accessible label is the whole
/// value; a value that fits has no "…".
pub(super) fn a_long_typed_value_shows_its_end(dir: &TestDir) {
    let k = start_kiosk(dir);
    let (width, _) = seven_inch_upright(&k);
    // The "…" and the ends drawn (x, width), narrowest first, for `value` on `scene`.
    let show = |scene: &str, locale: &str, value: &str| {
        k.show_largest(scene, locale);
        assert!(
            k.controller.flow().typing_on_small_panel(),
            "{locale} {scene}: typing"
        );
        k.controller.flow_mut().set_value(value);
        k.controller.refresh();
        mock_elapsed_time(std::time::Duration::from_millis(1));
        let label = format!("{}: {value}", k.tr.text(locale, "typed-so-far"));
        let typed = the_one(&k, "TypedSoFar", &label);
        assert_within_width(&typed, width, &format!("{locale}: the typed value"));
        let cues: Vec<(f32, f32)> = ElementHandle::find_by_element_id(&k.app, "TypedSoFar::cue")
            .filter(|e| e.is_valid() && e.computed_opacity() > 0.0)
            .map(|e| (e.absolute_position().x, e.size().width))
            .collect();
        let mut shown: Vec<(f32, f32)> =
            ElementHandle::find_by_element_id(&k.app, "TypedSoFar::end")
                .filter(|e| e.is_valid() && e.computed_opacity() > 0.0)
                .map(|e| (e.absolute_position().x, e.size().width))
                .collect();
        shown.sort_by(|a, b| a.1.total_cmp(&b.1));
        (typed, cues, shown)
    };
    for (locale, value, rtl) in [
        ("en", "12 Station Road, flat 3", false),
        ("ar", "شارع المحطة رقم ١٢ الطابق الثالث", true),
    ] {
        let (typed, cues, shown) = show("address", locale, value);
        assert_eq!(k.api().get_question().value_rtl, rtl, "{locale}: {value:?}");
        assert_eq!(k.api().get_question().caret_rtl, rtl, "{locale}: {value:?}");
        let tails = guichet::flow::TypedEcho::of(value).tails;
        let (bp, bs) = (typed.absolute_position(), typed.size());
        assert_eq!(cues.len(), 1, "{locale}: one \"…\" before {value:?}");
        let (cx, cw) = cues[0];
        // The longest that fits is drawn over the shorter ones; the next longer does not fit.
        assert!(
            shown.len() >= 2 && shown.len() < tails.len(),
            "{locale}: {} of the ends {tails:?} fit",
            shown.len()
        );
        let (x, w) = shown[shown.len() - 1];
        let inside = if rtl {
            cx + cw >= bp.x + bs.width - 20.0 && x >= bp.x && x + w <= cx + 0.5
        } else {
            cx <= bp.x + 20.0 && x >= cx + cw - 0.5 && x + w <= bp.x + bs.width
        };
        assert!(
            inside,
            "{locale}: the box at x {}..{}, \"…\" at {cx}..{}, the end shown at {x}..{}",
            bp.x,
            bp.x + bs.width,
            cx + cw,
            x + w
        );
        // Short again: whole, no "…".
        let short: String = value.chars().take(4).collect();
        let (_, cues, _) = show("address", locale, &short);
        assert!(
            cues.is_empty(),
            "{locale}: a \"…\" before {short:?}, which fits"
        );
    }
    // "New line" on a question of several lines: one line high, the line being typed whole
    // behind "…"; a new line begun, "…" and the caret.
    let (one, _, _) = show("question-text", "en", "Swing broken");
    let one_high = one.size().height;
    for (value, ends) in [("Swing broken\nnear the gate", 3), ("Swing broken\n", 0)] {
        let (typed, cues, shown) = show("question-text", "en", value);
        assert!(
            (typed.size().height - one_high).abs() < 0.5,
            "{value:?}: the box {} high, one line {one_high}",
            typed.size().height
        );
        assert_eq!(
            cues.len(),
            1,
            "{value:?}: \"…\" before the line being typed"
        );
        assert_eq!(shown.len(), ends, "{value:?}: the line being typed, whole");
    }
    // Digits alone in Arabic: set at the right, but they run left to right, so their caret is
    // the one drawn at its cell's left, touching their end (it was drawn a space away).
    k.show_largest("question-number", "ar");
    k.controller.flow_mut().set_value("12");
    k.controller.refresh();
    let q = k.api().get_question();
    assert!(q.value_rtl && !q.caret_rtl, "digits in Arabic");
    k.controller.flow_mut().wipe();
    k.controller.refresh();
}

/// The welcome screen does not scroll (it is one big "start" button). A resident who chose a
/// larger text size and went back to it sees it at that size where the whole screen fits, else
/// at the largest smaller size that does, and always whole: "Check a request" inside the window
/// (at 1024×600 in French at either larger size, the words ran off the bottom and the button
/// with them). As the greeting turns through the languages, the smallest size one of them
/// needed stays. Measured on the speech hint's lines (one line at 1920 px wide) and the button.
pub(super) fn the_welcome_screen_is_whole_at_every_text_size(dir: &TestDir) {
    let k = start_kiosk(dir);
    // The hint's and the button's heights, and the button's bottom, at text size `step`.
    let measure = |locale: &str, step: u8, (width, height): (f32, f32)| -> (f32, f32) {
        k.app
            .window()
            .set_size(slint::LogicalSize::new(width, height));
        k.show_scene_at("welcome", locale, Some(step));
        let hint = k.find(&k.tr.text(locale, "speech-welcome-hint"));
        let button: Vec<ElementHandle> = k
            .find(&k.tr.text(locale, "lookup-open"))
            .into_iter()
            .filter(|e| e.accessible_role() == Some(AccessibleRole::Button))
            .collect();
        assert_eq!(
            (hint.len(), button.len()),
            (1, 1),
            "{locale} size {step}: one hint and one \"Check a request\" on screen"
        );
        let (p, s) = (button[0].absolute_position(), button[0].size());
        assert!(
            p.y >= 0.0 && p.y + s.height <= height + 0.5 && s.height > 0.0,
            "{locale} size {step} at {width}×{height}: \"Check a request\" at y {}..{}",
            p.y,
            p.y + s.height
        );
        let (hp, hs) = (hint[0].absolute_position(), hint[0].size());
        assert!(
            hp.y >= 0.0 && hp.y + hs.height <= p.y,
            "{locale} size {step} at {width}×{height}: the hint at y {}..{}, above the button",
            hp.y,
            hp.y + hs.height
        );
        (hs.height, p.y + s.height)
    };
    // Room enough: the resident's size (the hint's one line half as tall again at the largest).
    let wide = (1920.0, 1080.0);
    let (default, _) = measure("en", 0, wide);
    let (largest, _) = measure("en", 2, wide);
    assert!(
        (largest / default - 1.5).abs() < 0.1,
        "at 1920×1080 the largest size is kept: the hint {largest} px high, {default} at the default"
    );
    // 1024×600: in Arabic the next size fits, and is kept (taller than at the default).
    let small = (1024.0, 600.0);
    let (ar_default, _) = measure("ar", 0, small);
    let (larger, _) = measure("ar", 1, small);
    assert!(
        larger > ar_default * 1.1,
        "ar size 1 at 1024×600: the hint {larger} px high, {ar_default} at the default"
    );
    // In French neither larger size fits, so both are drawn at the default, whole.
    let (default, _) = measure("fr", 0, small);
    for step in [1, 2] {
        let (hint, _) = measure("fr", step, small);
        assert!(
            (hint - default).abs() < 0.5,
            "fr size {step} at 1024×600: the hint {hint} px high, {default} at the default"
        );
    }
    // The greeting turns through the kiosk's languages: once French needed the default, Arabic
    // comes back at it too (the screen does not grow and shrink with each greeting).
    let (again, _) = measure("ar", 1, small);
    assert!(
        (again - ar_default).abs() < 0.5,
        "ar size 1 at 1024×600 after French: the hint {again} px high, {ar_default} at the default"
    );
    k.controller.flow_mut().wipe();
    k.controller.refresh();
}

/// A page with the digit-and-letter pad under a reference field: its scene, the field's label,
/// the pad's last key, what the field holds, and the lines said under the field after that key.
struct PadPage {
    scene: &'static str,
    field: &'static str,
    last_key: &'static str,
    query: fn(&Kiosk) -> String,
    answer: fn(&Kiosk) -> Vec<String>,
}

/// The three pages with the pad: the resident's "Check a request" (the answer's lines), the
/// staff desk's look-up (what was found) and a council's number (the notice under the field,
/// after a Save with the field emptied).
fn pad_pages() -> [PadPage; 3] {
    [
        PadPage {
            scene: "check-request",
            field: "lookup-field",
            last_key: "lookup-check",
            query: |k| k.api().get_lookup_query().to_string(),
            answer: |k| {
                slint::Model::iter(&k.api().get_lookup_lines())
                    .map(|l| l.to_string())
                    .collect()
            },
        },
        PadPage {
            scene: "staff-home",
            field: "staff-lookup-label",
            last_key: "staff-lookup",
            query: |k| k.api().get_staff_query().to_string(),
            answer: |k| {
                slint::Model::iter(&k.api().get_staff_found())
                    .map(|r| format!("{}: {}", r.label, r.value))
                    .collect()
            },
        },
        PadPage {
            scene: "staff-sent",
            field: "staff-sent-field",
            last_key: "staff-sent-save",
            query: |k| k.api().get_sent_number().to_string(),
            answer: |k| {
                let notice = k.api().get_staff_notice();
                (!notice.is_empty())
                    .then(|| notice.to_string())
                    .into_iter()
                    .collect()
            },
        },
    ]
}

/// Whether `e` lies whole inside the window's height.
fn whole_in_height(e: &ElementHandle, height: f32) -> bool {
    let (p, s) = (e.absolute_position(), e.size());
    s.height > 0.0 && p.y >= -0.5 && p.y + s.height <= height + 0.5
}

/// The pages with the pad on a 7" panel upright at the largest size: the pad is taller than
/// the screen, and a resident (or staff) typing on its lower keys saw neither the field nor
/// what they typed (the field under the top bar). While less than a quarter of the field
/// shows, what it holds stays at the top of the page (`ReferenceEcho`, drawn like the field, a
/// button whose value is the field's); a touch on it scrolls back to the field. The pad's last
/// key ("Check", "Look up", "Save") goes back to the field, under which the answer is written,
/// every time (the same answer again too). "Check a request", the staff look-up and a
/// council's number, in English and Arabic.
pub(super) fn the_reference_typed_stays_in_sight_above_the_pad(dir: &TestDir) {
    let k = start_kiosk(dir);
    let (width, height) = seven_inch_upright(&k);
    let in_window = |e: &ElementHandle| whole_in_height(e, height);
    for page in pad_pages() {
        for locale in ["en", "ar"] {
            let at = format!("{} in {locale}", page.scene);
            k.show_largest(page.scene, locale);
            if page.scene == "staff-sent" {
                // Emptied on the pad: Save then says what is missing under the field.
                for _ in 0..(page.query)(&k).chars().count() {
                    k.controller.flow_mut().lookup_key("{backspace}");
                }
                k.controller.refresh();
                mock_elapsed_time(Duration::from_millis(1));
            } else {
                assert!(
                    !(page.query)(&k).is_empty(),
                    "{at}: the scene has a reference typed"
                );
            }
            let label = k.t(page.field);
            let echoes = || -> Vec<ElementHandle> {
                k.find(&label)
                    .into_iter()
                    .filter(|e| e.accessible_role() == Some(AccessibleRole::Button))
                    .collect()
            };
            let field = || -> Option<ElementHandle> {
                let mut found: Vec<ElementHandle> = k
                    .find(&label)
                    .into_iter()
                    .filter(|e| e.accessible_role() == Some(AccessibleRole::TextInput))
                    .collect();
                (found.len() == 1).then(|| found.remove(0))
            };
            let field_in_view = || field().is_some_and(|f| in_window(&f));
            // The page opens at its top (its title in view; the field lower, at this size
            // partly or wholly out of view): no echo.
            assert!(echoes().is_empty(), "{at}: the page at its top, no echo");
            // To the pad's end, as a resident does.
            let steps = k.scroll_to_end(30);
            assert!(
                steps > 0 && steps < 30,
                "{at}: the page scrolls at this size, and ends"
            );
            assert!(
                !field_in_view(),
                "{at}: the field out of view at the pad's end"
            );
            let echo = echoes();
            assert_eq!(echo.len(), 1, "{at}: one echo at the pad's end");
            assert_eq!(
                echo[0]
                    .accessible_value()
                    .map(|v| v.to_string())
                    .unwrap_or_default(),
                (page.query)(&k),
                "{at}: the echo's value is the field's"
            );
            let (p, s) = (echo[0].absolute_position(), echo[0].size());
            let last_key = k
                .find(&k.t(page.last_key))
                .into_iter()
                .find(|e| e.accessible_role() == Some(AccessibleRole::Button))
                .expect("the pad's last key in view");
            let c = last_key.absolute_position();
            assert!(
                p.y >= 0.0 && p.y + s.height <= c.y && p.x >= -0.5 && p.x + s.width <= width + 0.5,
                "{at}: the echo at {p:?} {s:?} above the pad's last key at y {} in {width}×{height}",
                c.y
            );
            // A touch on the echo: back to the field.
            echo[0].invoke_accessible_default_action();
            mock_elapsed_time(Duration::from_millis(1));
            assert!(echoes().is_empty(), "{at}: back at the field, no echo");
            assert!(field_in_view(), "{at}: the field in view again");
            // To the end again, and the pad's last key, twice (the second time the answer may
            // be the same): back to the field and its answer, in view, each time.
            for time in 1..=2 {
                k.scroll_to_end(30);
                assert_eq!(echoes().len(), 1, "{at}: the echo at the end ({time})");
                k.tap_t(page.last_key);
                // Two frames: what the key changed above the field (the desk's notice) is laid
                // out over both.
                mock_elapsed_time(Duration::from_millis(16));
                mock_elapsed_time(Duration::from_millis(16));
                assert!(
                    echoes().is_empty(),
                    "{at}: after the last key ({time}), no echo"
                );
                assert!(
                    field_in_view(),
                    "{at}: after the last key ({time}), the field in view"
                );
                let answer = (page.answer)(&k);
                let first = answer
                    .first()
                    .unwrap_or_else(|| panic!("{at}: an answer after the last key ({time})"));
                assert!(
                    k.find(first).iter().any(&in_window),
                    "{at}: the answer {first:?} in view under the field after the last key ({time})"
                );
            }
            // Away, so the next opens its page afresh (and the kiosk is left as it was found).
            k.controller.flow_mut().wipe();
            k.controller.refresh();
            mock_elapsed_time(Duration::from_millis(1));
        }
    }
}

/// A keyboard or a scanner typing into a pad page's field brings the field into view, as every
/// editor keeps its caret in view, and keeps it there: the page does not follow the focus ring
/// away from it (on the desk, the key that clears the last look-up takes "Reprint receipt"
/// away, and the focus moves from it to "Send now", lower in the page: `Scrolling.typing-hold`).
/// On a 7" panel upright at the largest size a page may open at its title with the field partly
/// or wholly below the view ("Check a request"), and what a scanner typed there was not seen
/// until its Enter. "Check a request", the
/// staff look-up and a council's number, in English and Arabic.
pub(super) fn typing_brings_the_field_into_view(dir: &TestDir) {
    let k = start_kiosk(dir);
    let (_, height) = seven_inch_upright(&k);
    let _speaker = k.record_speech();
    let mut opened_below = Vec::new();
    for page in pad_pages() {
        for locale in ["en", "ar"] {
            let at = format!("{} in {locale}", page.scene);
            k.show_largest(page.scene, locale);
            let label = k.t(page.field);
            let field = || {
                k.find(&label)
                    .into_iter()
                    .find(|e| e.accessible_role() == Some(AccessibleRole::TextInput))
            };
            // Types `keys`: each is in the field, and the field whole in view (`when`);
            // returns how many characters the field held before.
            let type_into_view = |keys: &str, when: &str| -> usize {
                let before = (page.query)(&k);
                k.type_physical(keys);
                mock_elapsed_time(Duration::from_millis(16));
                let after = (page.query)(&k);
                assert_eq!(
                    after.chars().count(),
                    before.chars().count() + keys.chars().count(),
                    "{at}: {keys:?} typed into the field {when} ({before:?}, then {after:?})"
                );
                let shown = field();
                assert!(
                    shown.as_ref().is_some_and(|f| whole_in_height(f, height)),
                    "{at}: the field whole in view after typing into it {when}: {:?}",
                    shown.map(|f| (f.absolute_position(), f.size()))
                );
                before.chars().count()
            };
            // The page opens at its top; where the field is not whole in view there, a key
            // typed brings it into view.
            if !field().is_some_and(|f| whole_in_height(&f, height)) {
                opened_below.push(at.clone());
                type_into_view("7", "below the view");
            }
            // F1 turns speech mode on and off here too, as on every page (the page's keys
            // have the focus, not the window's).
            for on in [true, false] {
                super::press(&k, slint::platform::Key::F1);
                assert_eq!(k.api().get_speech_on(), on, "{at}: F1");
            }
            // To the pad's end, the field out of view above: a scan there is typed whole, and
            // its Enter acts (before, Slint took the focus from the field out of view at the
            // scan's first key, and dropped every key).
            k.scroll_to_end(30);
            assert!(
                field().is_none(),
                "{at}: the field out of view at the pad's end"
            );
            let before = type_into_view("8X", "above the view, at the pad's end");
            k.type_physical("\u{8}");
            assert_eq!(
                (page.query)(&k).chars().count(),
                before + 1,
                "{at}: Backspace took one away"
            );
            k.type_physical("\n");
            mock_elapsed_time(Duration::from_millis(16));
            mock_elapsed_time(Duration::from_millis(16));
            // Enter acted: an answer under the field, or (a council's number saved) the lists.
            let answer = (page.answer)(&k);
            assert!(
                !answer.is_empty() || (page.scene == "staff-sent" && k.screen() == "staff-lists"),
                "{at}: Enter acted; on screen {}",
                k.screen()
            );
            k.controller.flow_mut().wipe();
            k.controller.refresh();
            mock_elapsed_time(Duration::from_millis(1));
        }
    }
    // "Check a request" opens with its field below the view. (The desk did too, its notice
    // above the field, while its actions stood at the page's foot; at the largest size they
    // are rows of the page under the field, which is in view when the desk opens, and the
    // desk's field is typed into from out of view at the pad's end above.)
    assert!(
        opened_below.iter().any(|o| o == "check-request in en"),
        "check-request in en opens with the field out of view (those that did: {opened_below:?})"
    );
}

/// A reference too long for its field even at 20 px (a scanner's address typed into "Check a
/// request" on a 7" panel upright at the largest size) shows its end, with the caret, and "…"
/// before it at the field's left (before, the field scrolled with no mark that its start was
/// cut). Short again, no "…".
pub(super) fn a_long_reference_shows_its_end(dir: &TestDir) {
    let k = start_kiosk(dir);
    let (width, _) = seven_inch_upright(&k);
    let shown = |id: &str| -> Vec<(f32, f32)> {
        ElementHandle::find_by_element_id(&k.app, id)
            .filter(|e| e.is_valid() && e.computed_opacity() > 0.0)
            .map(|e| (e.absolute_position().x, e.size().width))
            .collect()
    };
    for locale in ["en", "ar"] {
        k.show_largest("check-request", locale);
        for _ in 0..k.api().get_lookup_query().chars().count() {
            k.type_physical("\u{8}");
        }
        k.type_physical("https://council.example/track/DEMO-00042-V");
        mock_elapsed_time(Duration::from_millis(16));
        let cue = shown("ReferenceLine::cue");
        let window = shown("ReferenceLine::window");
        let line = shown("ReferenceLine::line");
        assert_eq!(cue.len(), 1, "{locale}: one \"…\"");
        assert_eq!((window.len(), line.len()), (1, 1), "{locale}: one line");
        let ((cx, cw), (wx, ww), (lx, lw)) = (cue[0], window[0], line[0]);
        assert!(
            cx < wx && cx + cw <= wx + 0.5 && wx + ww <= width,
            "{locale}: \"…\" at {cx}+{cw} before the text's window at {wx}+{ww}"
        );
        assert!(
            lx < wx && (lx + lw - (wx + ww)).abs() < 0.5,
            "{locale}: the line at {lx}+{lw}, its end at the window's, {wx}+{ww}"
        );
        for _ in 0.."/track/DEMO-00042-V".len() {
            k.type_physical("\u{8}");
        }
        mock_elapsed_time(Duration::from_millis(16));
        assert_eq!(k.api().get_lookup_query(), "https://council.example");
        let (line, window) = (shown("ReferenceLine::line"), shown("ReferenceLine::window"));
        assert!(
            shown("ReferenceLine::cue").is_empty()
                && line.len() == 1
                && window.len() == 1
                && line[0].0 >= window[0].0
                && line[0].0 + line[0].1 <= window[0].0 + window[0].1 + 0.5,
            "{locale}: short again, whole in its window ({line:?} in {window:?}), no \"…\""
        );
        k.controller.flow_mut().wipe();
        k.controller.refresh();
        mock_elapsed_time(Duration::from_millis(1));
    }
}

/// Keys from a keyboard or a scanner while a question is over a pad page (the idle warning)
/// answer it or do nothing: no character is typed into the reference field under it, and
/// Enter answers the question (its first answer, where the focus starts: "I need more time")
/// rather than check or look up behind it. Then the keys type again.
pub(super) fn keys_under_a_question_over_the_page_are_not_typed(dir: &TestDir) {
    let k = start_kiosk(dir);
    for page in pad_pages() {
        for locale in ["en", "ar"] {
            let at = format!("{} in {locale}", page.scene);
            k.show_scene_at(page.scene, locale, None);
            let before = (page.query)(&k).chars().count();
            k.type_physical("7");
            mock_elapsed_time(Duration::from_millis(16));
            assert_eq!(
                (page.query)(&k).chars().count(),
                before + 1,
                "{at}: typed before the warning"
            );
            for _ in 0..1000 {
                if k.controller.flow().session().warning.is_some() {
                    break;
                }
                k.controller.flow_mut().tick();
            }
            k.controller.refresh();
            mock_elapsed_time(Duration::from_millis(16));
            assert!(k.api().get_timeout_warning(), "{at}: the warning");
            let (query, answer, screen) = ((page.query)(&k), (page.answer)(&k), k.screen());
            k.type_physical("8X");
            mock_elapsed_time(Duration::from_millis(16));
            assert_eq!(
                (page.query)(&k),
                query,
                "{at}: nothing typed under the warning"
            );
            assert!(k.api().get_timeout_warning(), "{at}: still asked");
            k.type_physical("\n");
            mock_elapsed_time(Duration::from_millis(16));
            std::thread::sleep(Duration::from_millis(50));
            mock_elapsed_time(Duration::from_millis(16));
            assert!(
                !k.api().get_timeout_warning(),
                "{at}: Enter answered \"I need more time\""
            );
            assert_eq!(k.screen(), screen, "{at}: the same page");
            assert_eq!((page.query)(&k), query, "{at}: Enter typed nothing");
            assert_eq!(
                (page.answer)(&k),
                answer,
                "{at}: Enter did not check or look up behind the warning"
            );
            k.type_physical("9");
            mock_elapsed_time(Duration::from_millis(16));
            assert_eq!(
                (page.query)(&k).chars().count(),
                query.chars().count() + 1,
                "{at}: typed again after more time"
            );
        }
    }
    k.controller.flow_mut().wipe();
    k.controller.refresh();
}
