//! The touchscreen, driven like a person through Slint's testing backend: elements are found by
//! their accessible labels (in the resident's language) and activated as assistive technology
//! would. The real database thread saves into a real SQLite file.
//!
//! The testing backend can be initialised once per process, so the flows run inside one test.

mod common;
#[path = "ui/focus.rs"]
mod focus;
mod open311_server;
#[path = "ui/staff.rs"]
mod staff;
#[path = "ui/words.rs"]
mod words;

use std::sync::Arc;
use std::time::Duration;

use common::TestDir;
use guichet::catalog::Catalog;
use guichet::flow::{Flow, FlowSettings, WARNING_SECONDS};
use guichet::i18n::{Arg, Translations};
use guichet::queue::{State, Store};
use guichet::runtime::StoreWorker;
use guichet::ui::generated::{Api, AppWindow, KeyboardKind, QuestionKind, Screen};
use guichet::ui::{Controller, KioskFacts};
use guichet::validate::Answer;
use i_slint_backend_testing::{ElementHandle, ElementRoot, mock_elapsed_time};
use slint::{ComponentHandle, Model};

struct Kiosk {
    app: AppWindow,
    controller: std::rc::Rc<Controller>,
    tr: Arc<Translations>,
}

impl Kiosk {
    fn api(&self) -> Api<'_> {
        self.app.global::<Api>()
    }

    /// Shows screenshot scene `scene` in `locale` as `guichet screenshot` does (with its
    /// printer state), laid out.
    fn show_scene(&self, scene: &str, locale: &str) {
        self.show_scene_at(scene, locale, None);
    }

    /// Scene `scene` in `locale` at the largest text size, laid out.
    fn show_largest(&self, scene: &str, locale: &str) {
        self.show_scene_at(scene, locale, Some(2));
    }

    /// Scene `scene` in `locale` at text size `step` (the scene's own when `None`), laid out.
    fn show_scene_at(&self, scene: &str, locale: &str, step: Option<u8>) {
        {
            let mut flow = self.controller.flow_mut();
            guichet::ui::scenes::enter(&mut flow, scene, locale).unwrap();
            if let Some(step) = step {
                while flow.session().text_size_step != step {
                    flow.cycle_text_size();
                }
            }
        }
        self.controller
            .set_print_state(guichet::ui::scenes::print_state_for(scene));
        mock_elapsed_time(Duration::from_millis(1));
    }

    /// Speech mode's engine replaced by a recorder, on the loudspeaker (no headset), at the
    /// "Test Library" site: what the tests assert on.
    fn record_speech(&self) -> guichet::flow::speech::RecordingSpeaker {
        use guichet::flow::speech::{RecordingSpeaker, SpeechSettings};
        let speaker = RecordingSpeaker::new();
        self.controller.set_speech(
            Box::new(speaker.clone()),
            SpeechSettings {
                headset: false,
                site: "Test Library".into(),
                help_hours: String::new(),
                headset_jack: None,
            },
        );
        speaker
    }

    /// The page Slint shows, by the name `guichet screenshot` uses.
    fn screen(&self) -> String {
        match self.api().get_screen() {
            Screen::Welcome => "welcome",
            Screen::Language => "language",
            Screen::Groups => "groups",
            Screen::Services => "services",
            Screen::Question => "question",
            Screen::Check => "check",
            Screen::Submitting => "submitting",
            Screen::Confirmation => "confirmation",
            Screen::SaveFailed => "save-failed",
            Screen::CheckRequest => "check-request",
            Screen::StaffPin => "staff-pin",
            Screen::StaffHome => "staff-home",
            Screen::StaffLists => "staff-lists",
            Screen::StaffRefile => "staff-refile",
            Screen::StaffSent => "staff-sent",
            Screen::Consent => "consent",
        }
        .to_string()
    }

    fn locale(&self) -> String {
        self.api().get_locale().to_string()
    }

    fn t(&self, id: &str) -> String {
        self.tr.text(&self.locale(), id)
    }

    fn find(&self, label: &str) -> Vec<ElementHandle> {
        ElementHandle::find_by_accessible_label(&self.app, label)
            .filter(|e| e.is_valid())
            .collect()
    }

    /// Touches the element with this accessible label (exactly one must be on screen).
    /// Presses at (`x`, `y`) in the window, holds for `millis` of mocked time (in steps of
    /// 100 ms, so timers on the way fire), and lets go: a tap, a long tap or a hold.
    fn hold_at(&self, x: f32, y: f32, millis: u64) {
        use slint::platform::{PointerEventButton, WindowEvent};
        let position = slint::LogicalPosition::new(x, y);
        let window = self.app.window();
        window.dispatch_event(WindowEvent::PointerPressed {
            position,
            button: PointerEventButton::Left,
        });
        for _ in 0..millis / 100 {
            mock_elapsed_time(Duration::from_millis(100));
        }
        window.dispatch_event(WindowEvent::PointerReleased {
            position,
            button: PointerEventButton::Left,
        });
    }

    fn tap(&self, label: &str) {
        let found = self.find(label);
        assert!(
            !found.is_empty(),
            "nothing labelled {label:?} on screen {:?}; on screen:\n{}",
            self.screen(),
            self.all_text()
        );
        found[0].invoke_accessible_default_action();
    }

    /// Touches the welcome screen where it says so, in the language its greeting is in now
    /// (it turns through the kiosk's languages every few seconds of the mocked clock, which
    /// every test before this one moved on).
    fn tap_welcome(&self) {
        let locale = self.api().get_greeting_locale().to_string();
        self.tap(&self.tr.text(&locale, "welcome-touch"));
    }

    fn tap_t(&self, id: &str) {
        let label = self.t(id);
        self.tap(&label);
    }

    fn visible(&self, label: &str) -> bool {
        !self.find(label).is_empty()
    }

    /// Touches "More below" until the page's end is in view (at most `most` times); returns
    /// how many times it did.
    fn scroll_to_end(&self, most: usize) -> usize {
        let more = self.t("more-below");
        let mut steps = 0;
        while steps < most
            && let Some(cue) = self.find(&more).first()
        {
            cue.invoke_accessible_default_action();
            mock_elapsed_time(Duration::from_millis(1));
            steps += 1;
        }
        steps
    }

    /// Types like a keyboard (or a scanner) into the focused field; `\n` is Enter.
    fn type_physical(&self, text: &str) {
        for c in text.chars() {
            if c == '\n' {
                press(self, slint::platform::Key::Return);
            } else {
                press(self, c.to_string());
            }
        }
    }

    fn type_keys(&self, text: &str) {
        for c in text.chars() {
            if c == ' ' {
                self.tap_t("keyboard-space");
            } else {
                self.tap(&c.to_string());
            }
        }
    }

    /// Lets time pass (mocked) while the real database thread works.
    fn wait_for_screen(&self, screen: &str) {
        // Up to 10 s of real time for the database thread, however loaded the machine.
        for _ in 0..1000 {
            if self.screen() == screen {
                return;
            }
            std::thread::sleep(Duration::from_millis(10));
            mock_elapsed_time(Duration::from_millis(100));
        }
        panic!("screen {screen:?} never came; still on {:?}", self.screen());
    }

    /// Every accessible label and value on screen (to look for leftover personal data).
    fn all_text(&self) -> String {
        let mut out = String::new();
        self.app.root_element().visit_descendants(|e| {
            if let Some(l) = e.accessible_label() {
                out.push_str(&l);
                out.push('\n');
            }
            if let Some(v) = e.accessible_value() {
                out.push_str(&v);
                out.push('\n');
            }
            std::ops::ControlFlow::<()>::Continue(())
        });
        out
    }
}

fn start_kiosk(dir: &TestDir) -> Kiosk {
    start_kiosk_with(dir, 0, Box::new(|_| {}))
}

/// [`start_kiosk`] with screen blanking after `blank_after_s` (0: never) and `on_saved` called
/// by the database thread after each save and each staff "Send now" or reprint (the kiosk
/// wakes its printer and sync there).
fn start_kiosk_with(
    dir: &TestDir,
    blank_after_s: u32,
    on_saved: guichet::runtime::OnSaved,
) -> Kiosk {
    let tr = Arc::new(Translations::load().unwrap());
    start_kiosk_translated(dir, blank_after_s, on_saved, tr)
}

/// [`start_kiosk_with`] speaking `tr` (words tried before they are bundled).
fn start_kiosk_translated(
    dir: &TestDir,
    blank_after_s: u32,
    on_saved: guichet::runtime::OnSaved,
    tr: Arc<Translations>,
) -> Kiosk {
    let mut store = Store::open(dir.path()).unwrap();
    store.ensure_demo_catalog().unwrap();
    let languages: Vec<String> = guichet::i18n::SUPPORTED_LOCALES
        .iter()
        .map(|s| s.to_string())
        .collect();
    let catalogs: std::collections::BTreeMap<String, Catalog> =
        guichet::runtime::load_catalogs(&store, &languages).unwrap();
    drop(store);
    let flow = Flow::new(
        FlowSettings {
            languages,
            idle_timeout_s: 120,
            local_offset: time::UtcOffset::UTC,
            has_printer: false,
            has_central: false,
            council: "Test Council".into(),
            help_contact: "0800 000 000".into(),
            retention_days: 7,
            privacy_notice: None,
            response_days: None,
            blank_after_s,
        },
        catalogs,
        tr.clone(),
    );
    // Tall enough that no page needs scrolling: the element tree only holds what is in view.
    show_kiosk_with(dir, flow, tr, (1280.0, 4000.0), on_saved)
}

/// A window of `width`×`height` showing `flow`, saving into a real store in `dir`.
fn show_kiosk(dir: &TestDir, flow: Flow, tr: Arc<Translations>, width: f32, height: f32) -> Kiosk {
    show_kiosk_with(dir, flow, tr, (width, height), Box::new(|_| {}))
}

fn show_kiosk_with(
    dir: &TestDir,
    flow: Flow,
    tr: Arc<Translations>,
    (width, height): (f32, f32),
    on_saved: guichet::runtime::OnSaved,
) -> Kiosk {
    let app = AppWindow::new().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let worker = StoreWorker::spawn(
        guichet::queue::StoreLocation::in_dir(dir.path()),
        "LIB7".into(),
        tx,
        on_saved,
    );
    let facts = KioskFacts {
        council: "Test Council".into(),
        help_contact: "0800 000 000".into(),
        status_url: None,
    };
    let controller = Controller::install(&app, flow, Box::new(worker), rx, facts);
    app.window()
        .set_size(slint::LogicalSize::new(width, height));
    app.show().unwrap();
    Kiosk {
        app,
        controller,
        tr,
    }
}

#[test]
fn touchscreen_flows() {
    i_slint_backend_testing::init_integration_test_with_mock_time();
    staff::wrong_pins_lock_and_the_lock_survives_a_restart();
    staff::staff_help_look_up_decide_and_practise();
    staff::desk_pad_sent_cancel_help_and_send_now();
    staff::staff_wake_a_blanked_screen_then_hold_the_corner();
    staff::staff_screens_by_speech();
    staff::the_desk_warns_before_it_locks();
    let dir = TestDir::new("ui");
    let problems = staff::the_desk_reads_well_at_the_largest_size_on_small_panels(&dir);
    assert!(
        problems.is_empty(),
        "{} problems on the staff desk at the largest size on small panels:\n{}",
        problems.len(),
        problems.join("\n")
    );
    every_control_has_role_label_and_value(&start_kiosk(&dir));
    let kiosk = start_kiosk(&dir);
    // A 10.1" 1280×800 panel (217 mm): every target ≥ 15 mm, 2 mm apart, none cut off, the
    // keyboard's letter keys included (a compact keyboard: `flow::keyboard::fit`); every
    // question's 20 mm Continue in view, the keyboard up or not.
    let problems = every_target_is_15_mm_on_a_real_panel(&dir, (1280, 800), 217.0, 15.0, true);
    assert!(
        problems.is_empty(),
        "10.1-inch panel:\n{}",
        problems.join("\n")
    );
    // A 7" 1024×600 panel (154 mm, 90 mm high): the same, letter keys included (a paged
    // keyboard: part of a row of letters and a "More letters" key), the date picker, and
    // Continue while typing, at the largest text size too ("question-text-large"): there the
    // top bar gives way to the side column beside the keys or the number pad
    // (`Flow::typing_beside`).
    let problems = every_target_is_15_mm_on_a_real_panel(&dir, (1024, 600), 154.0, 15.0, true);
    assert!(
        problems.is_empty(),
        "7-inch panel:\n{}",
        problems.join("\n")
    );
    // The same 7" panel turned upright (600×1024, 90 mm wide): the same checks.
    let problems = every_target_is_15_mm_on_a_real_panel(&dir, (600, 1024), 90.0, 15.0, true);
    assert!(
        problems.is_empty(),
        "7-inch panel upright:\n{}",
        problems.join("\n")
    );
    words::every_word_of_a_tool_is_measured_not_only_the_longest(&dir);
    words::an_action_bar_button_fits_its_widest_word_or_reports_it_cut(&dir);
    words::a_heading_fits_its_widest_word_or_reports_it_cut(&dir);
    words::an_option_fits_its_widest_word_or_reports_it_cut(&dir);
    words::a_title_cut_above_the_keys_says_so(&dir);
    words::the_question_comes_before_its_keys_by_touch(&dir);
    words::a_long_typed_value_shows_its_end(&dir);
    words::the_welcome_screen_is_whole_at_every_text_size(&dir);
    words::the_reference_typed_stays_in_sight_above_the_pad(&dir);
    words::typing_brings_the_field_into_view(&dir);
    words::a_long_reference_shows_its_end(&dir);
    words::keys_under_a_question_over_the_page_are_not_typed(&dir);
    let problems = words::no_key_word_is_cut_on_any_keyboard_page(&dir);
    assert!(
        problems.is_empty(),
        "words on keys on a 7-inch panel:\n{}",
        problems.join("\n")
    );
    let problems = words::typing_beside_shows_the_title_and_what_was_typed(&dir);
    assert!(
        problems.is_empty(),
        "typing beside the keys on a 7-inch panel:\n{}",
        problems.join("\n")
    );
    let touched_from = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    a_resident_reading_arabic_sends_a_request(&kiosk, &dir);
    assert!(
        guichet::runtime::ops_metrics::last_interaction() >= touched_from,
        "touches reach the fleet metrics' last interaction through the backend"
    );
    the_idle_timeout_wipes_everything_mid_form(&kiosk);
    start_again_asks_first_and_keeps_language_and_text_size(&kiosk);
    asking_for_help_is_honest_and_sessions_are_counted(&kiosk, &dir);
    every_screen_fits_a_small_panel_or_says_there_is_more(&dir);
    drop(kiosk);
    for locale in ["en", "ar"] {
        speech_mode_walks_the_whole_flow_without_sight(&dir, locale);
    }
    speech_mode_is_worked_by_three_touch_zones(&dir);
    the_screen_blanks_on_the_welcome_screen_and_the_waking_touch_only_wakes(&dir);
    the_focus_ring_marks_one_of_two_same_named_services(&dir);
    // A 7" panel (154 mm × 90 mm) in landscape, then upright.
    for (pixels, width_mm) in [((1024, 600), 154.0), ((600, 1024), 90.0)] {
        let mut problems = Vec::new();
        let looked = focus::every_focused_control_is_in_view(&dir, pixels, width_mm, &mut problems);
        assert!(looked > 500, "{looked} controls looked at");
        assert!(
            problems.is_empty(),
            "{} focused controls out of their page's view, outside the window or under the caption bar:\n{}",
            problems.len(),
            problems.join("\n")
        );
    }
    focus::scrolling_by_touch_is_not_undone_by_the_focus(&dir);
    focus::the_caption_keeps_whole_words_inside_its_bar(&dir);
    focus::the_first_tab_lands_on_the_first_control(&dir);
    focus::keys_reach_the_menu_and_the_page_after_it(&dir);
    for (w, h) in [(1024.0, 600.0), (1920.0, 1080.0)] {
        for (catch_all, locale) in [(None, "en"), (Some("S000"), "ar")] {
            a_long_catalogue_hides_nothing(&dir, w, h, catch_all, locale);
        }
    }
}

fn start_again_asks_first_and_keeps_language_and_text_size(k: &Kiosk) {
    k.controller.flow_mut().wipe();
    k.controller.refresh();
    k.tap_welcome();
    k.tap("العربية");
    k.tap_t("tool-text-size");
    let bin = k
        .controller
        .flow()
        .catalog()
        .service("MISSEDBIN")
        .unwrap()
        .clone();
    k.tap(bin.group.as_deref().unwrap());
    k.tap(&bin.service_name);
    let first_choice = k.api().get_question().choices.iter().next().unwrap();
    k.tap(&first_choice.label);
    assert_eq!(k.screen(), "question");

    // One tap on "start again" deletes nothing: it asks, and keeping is the big button.
    k.tap_t("tool-start-over");
    assert!(k.visible(&k.t("confirm-start-over-title")));
    k.tap_t("confirm-keep");
    assert!(!k.visible(&k.t("confirm-start-over-title")));
    assert_eq!(k.screen(), "question");
    assert!(
        k.api().get_question().choices.iter().any(|c| c.selected),
        "the answer is still there"
    );

    // "Yes, delete my answers": a fresh start in the same language and text size.
    k.tap_t("tool-start-over");
    k.tap_t("confirm-delete");
    assert_eq!(k.screen(), "groups");
    assert_eq!(k.locale(), "ar");
    assert_eq!(k.api().get_text_size_step(), 1);
    assert!(k.controller.flow().session().is_blank());
    // The next resident's finish resets everything.
    k.controller.flow_mut().wipe();
    k.controller.refresh();
}

/// "Ask for help" on a kiosk with no `[help] notify_url`: the resident is never told staff are
/// coming, but to ask at the desk, in their language. The sessions of the walks above reached
/// the store (no personal data) for `guichet stats`.
fn asking_for_help_is_honest_and_sessions_are_counted(k: &Kiosk, dir: &TestDir) {
    k.controller.flow_mut().wipe();
    k.controller.refresh();
    k.tap_welcome();
    k.tap("Français");
    k.tap_t("tool-help");
    assert!(k.visible(&k.t("help-calling")), "{}", k.all_text());
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while k.api().get_help_message() != "help-ask-desk" && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
        k.controller.drain_events();
    }
    assert!(k.visible(&k.t("help-ask-desk")), "{}", k.all_text());
    assert!(!k.visible(&k.t("help-told")));
    assert!(k.t("help-ask-desk").contains("accueil"), "in French");
    k.controller.flow_mut().wipe();
    k.controller.refresh();

    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let sessions = loop {
        let store = Store::open(dir.path()).unwrap();
        let sessions = store.sessions_between("0", "9").unwrap();
        let open = store.open_help_requests().unwrap();
        if (sessions.iter().any(|s| s.locale == "fr") && !open.is_empty())
            || std::time::Instant::now() > deadline
        {
            assert_eq!(open.len(), 1, "the help request is saved");
            assert_eq!(open[0].locale, "fr", "with the language on screen");
            break sessions;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    use guichet::queue::SessionOutcome;
    assert!(
        sessions
            .iter()
            .any(|s| s.locale == "ar" && s.outcome == SessionOutcome::Completed),
        "{sessions:?}"
    );
    assert!(
        sessions
            .iter()
            .any(|s| s.outcome == SessionOutcome::TimedOut),
        "{sessions:?}"
    );
    assert!(
        sessions
            .iter()
            .any(|s| s.locale == "fr" && s.outcome == SessionOutcome::Abandoned),
        "{sessions:?}"
    );
}

/// Every screen of the demo, in every language, at every text size, on a 1024×600 panel (and
/// 600×1024, 1920×1080 and a 7" panel in landscape): each control and line of text lies inside
/// the window, or inside a scrolling area whose "More below" cue is showing, and nothing is
/// drawn over a control it is not part of ([`overlaps`]). Measured on the laid-out element
/// tree, not on pixels.
///
/// And no word of a button with words is cut: the tools (the top bar's buttons, the side
/// column's beside the keys), the keys ("Space", "Delete", "Capital letter"... in the
/// resident's language), the action bar's buttons (Continue, Send request, Finish...) and the
/// pages' headings. Each measures its widest word at its label's size and reports a cut word
/// to Rust (`Api.word-cut`, the same report that warns technicians, `ui/widgets/words.slint`),
/// here at 1024×600 and 600×1024 at 96 dpi, on a real 7" 1024×600 panel (154 mm:
/// `ui.screen_width_mm`) either way round, on a 10" 1280×800 panel (217 mm), at 1024×600 taken
/// as 271 mm and on a 21.5" 1920×1080 panel (476 mm); on those at the largest size no word a
/// resident reads or touches is set under 33 px.
fn every_screen_fits_a_small_panel_or_says_there_is_more(dir: &TestDir) {
    let mut problems = Vec::new();
    let mut checked = 0;
    checked += screens_fit(dir, 1024.0, 600.0, &mut problems);
    // A narrow portrait window: the confirmation stacks its code under the reference, the date
    // picker gives each part a row; the staff desk puts its PIN pad under the PIN, its health
    // under the look-up and each of its buttons on a row of its own.
    let portrait = screens_fit(dir, 600.0, 1024.0, &mut problems);
    assert!(
        checked > 300 && portrait > 250,
        "{checked} and {portrait} screens"
    );
    // A 1920×1080 screen: the staff desk's look-up and health side by side above the pad (the
    // health panel's lines measured wider than drawn put the pad over its "Send now").
    let wide = screens_fit(dir, 1920.0, 1080.0, &mut problems);
    assert!(wide > 300, "{wide} screens at 1920×1080");
    // A real 7" panel in landscape (154 mm × 90 mm: 582×341 px at its scale): the bar is a
    // column beside the page, the welcome screen puts its words and "Check a request" side by
    // side, the PIN page and "could not save" scroll, a heading word wider than the page is set
    // smaller (breaking, and reported cut, only if it is wider even at 20 px), the practice
    // confirmation's box measures its lines at its own width (measured at a wider line, it was
    // a line short and the page showed no "More below" cue).
    let landscape = screens_fit(dir, 582.0, 341.0, &mut problems);
    assert!(landscape > 300, "{landscape} screens on a 7-inch panel");
    // The same panel upright (90 mm × 154 mm: 341×582 px at its scale): a choice's words are set
    // small enough to keep its widest word whole beside its mark ("електроприлади" at the
    // largest size made the toggle wider than the page); a scrolled page's content is anchored
    // at the window's side rather than centred on its widest line (the whole question, or the
    // staff desk's "Signed in", ran past the window's right side); on the staff lists "Done"
    // sits under a help request's words.
    let upright = screens_fit(dir, 341.0, 582.0, &mut problems);
    assert!(upright > 300, "{upright} screens on a 7-inch panel upright");
    let seven = words_whole_on_a_real_panel(dir, (1024, 600), 154.0, &mut problems);
    assert!(seven > 300, "{seven} screens on a 7-inch panel");
    // The same panel turned upright: 90 mm wide.
    let upright = words_whole_on_a_real_panel(dir, (600, 1024), 90.0, &mut problems);
    assert!(upright > 300, "{upright} screens on a 7-inch panel upright");
    // A 10" panel (1280×800, 217 mm), whose tools are in a menu at the largest size too.
    let ten = words_whole_on_a_real_panel(dir, (1280, 800), 217.0, &mut problems);
    assert!(ten > 300, "{ten} screens on a 10-inch panel");
    // 1024×600 at 96 dpi (271 mm wide, what the kiosk assumes without `ui.screen_width_mm`),
    // whose tools are in a menu at the largest size for its width (`flow::BAR_ROW_MM`: in one
    // row "Language" and "Recommencer" were set under 33 px), and a 21.5" panel (476 mm),
    // whose six tools keep one row at 33 px.
    let plain = words_whole_on_a_real_panel(dir, (1024, 600), 271.0, &mut problems);
    let large = words_whole_on_a_real_panel(dir, (1920, 1080), 476.0, &mut problems);
    assert!(plain > 300 && large > 300, "{plain} and {large} screens");
    the_question_is_in_view_on_a_7_inch_panel_at_the_largest_size(dir);
    the_question_is_in_view_on_a_7_inch_panel_upright(dir, &mut problems);
    a_question_over_the_page_keeps_its_answers_in_view(dir, &mut problems);
    problems.extend(every_page_holds_what_it_draws(dir));
    assert!(
        problems.is_empty(),
        "{} problems on a 1024×600 panel, a 600×1024 or 1920×1080 window or a 7-inch panel either way round:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// On a real 7" panel in landscape (154 mm × 90 mm) at the largest text size, each question
/// (not typed: typing has its own side column) shows a whole line of its title in view, above
/// the "More below" cue: the bar is a column beside the page (`Flow::side_bar`) and the short
/// page's caption is "Question 2 of 5" alone. Under the bar's two rows, the caption and the cue
/// left a question's title no room at all.
fn the_question_is_in_view_on_a_7_inch_panel_at_the_largest_size(dir: &TestDir) {
    let k = start_kiosk(dir);
    k.app.window().set_size(slint::PhysicalSize::new(1024, 600));
    guichet::ui::scale::apply(k.app.window(), 154.0);
    mock_elapsed_time(Duration::from_millis(1));
    let height = k.app.window().size().height as f32 / k.app.window().scale_factor();
    let mut seen = 0;
    for scene in [
        "question-single",
        "question-multi",
        "question-date",
        "contact",
    ] {
        for locale in guichet::i18n::SUPPORTED_LOCALES {
            let title = {
                let mut flow = k.controller.flow_mut();
                guichet::ui::scenes::enter(&mut flow, scene, locale).unwrap();
                while flow.session().text_size_step != 2 {
                    flow.cycle_text_size();
                }
                flow.question_view().expect("a question").title
            };
            k.controller.refresh();
            mock_elapsed_time(Duration::from_millis(1));
            assert!(
                k.controller.flow().side_bar(),
                "{scene} {locale}: the side bar"
            );
            let bottom = k
                .find(&k.tr.text(locale, "more-below"))
                .first()
                .map(|cue| cue.absolute_position().y)
                .unwrap_or(height);
            let tops: Vec<f32> = k
                .find(&title)
                .iter()
                .map(|e| e.absolute_position().y)
                .collect();
            assert!(
                // A whole line of it: the title's size at the largest text size (36 px × 1.5).
                tops.iter().any(|y| *y >= 0.0 && y + 54.0 <= bottom),
                "{scene} {locale}: the question's title {title:?} at {tops:?}, not above {bottom}"
            );
            seen += 1;
        }
    }
    assert_eq!(seen, 4 * guichet::i18n::SUPPORTED_LOCALES.len());
    k.controller.flow_mut().wipe();
    k.controller.refresh();
}

/// A question asked over the page keeps its two answers whole in the window, not under the
/// "More below" cue, at the largest text size on a 7" panel either way round, in every
/// language: the idle warning ("I need more time", "Start again" or the desk's "Lock now"),
/// whose seconds run while the resident looks, "Start again?" and the desk's "Cancel this
/// request?". In the box's scrolled content they lay below the heading and the text (at the
/// largest size in landscape "I need more time" was wholly out of view until scrolled to). The
/// question's first line is in view above its cue too.
/// Adds what it finds to `problems`.
fn a_question_over_the_page_keeps_its_answers_in_view(dir: &TestDir, problems: &mut Vec<String>) {
    let mut seen = 0;
    type Panel = fn(&Kiosk) -> (f32, f32);
    let panels: [(&str, Panel); 2] = [
        ("1024×600", words::seven_inch_landscape),
        ("600×1024", words::seven_inch_upright),
    ];
    for (panel, seven_inch) in panels {
        // A kiosk each: the same scale either way round, and a window resized at an unchanged
        // scale keeps its old logical size in the testing backend.
        let k = start_kiosk(dir);
        let (w, h) = seven_inch(&k);
        for (scene, title, answers) in [
            ("timeout", "timeout-title", ["timeout-more", ""]),
            ("staff-timeout", "timeout-title", ["timeout-more", ""]),
            (
                "start-again",
                "confirm-start-over-title",
                ["confirm-keep", "confirm-delete"],
            ),
            (
                "staff-cancel",
                "staff-cancel-title",
                ["staff-cancel-keep", "staff-cancel-yes"],
            ),
        ] {
            for locale in guichet::i18n::SUPPORTED_LOCALES {
                k.show_largest(scene, locale);
                let finish = k.controller.flow().timeout_finish();
                let at = format!("{scene} {locale} {panel}");
                // The idle warning's second answer is the flow's ("Start again", "Lock now").
                let answers = answers.map(|id| {
                    if id.is_empty() {
                        finish.clone()
                    } else {
                        k.tr.text(locale, id)
                    }
                });
                let rect = |e: &ElementHandle| {
                    let (p, s) = (e.absolute_position(), e.size());
                    (p.x, p.y, p.x + s.width, p.y + s.height)
                };
                // The dialog's own cue: the page's under the overlay does not count.
                let title = k.tr.text(locale, title);
                let Some(dialog) = k.find(&title).into_iter().find(|e| {
                    e.accessible_role() == Some(i_slint_backend_testing::AccessibleRole::Groupbox)
                }) else {
                    problems.push(format!("{at}: no dialog"));
                    continue;
                };
                let within = |label: String| {
                    dialog
                        .query_descendants()
                        .match_predicate(move |e| {
                            e.is_valid() && e.accessible_label().as_deref() == Some(label.as_str())
                        })
                        .find_all()
                };
                let cues: Vec<_> = within(k.tr.text(locale, "more-below"))
                    .iter()
                    .map(rect)
                    .collect();
                for label in answers {
                    // In the dialog; else (inside the dialog's scrolled content, which a
                    // search from the dialog does not reach) the one control so named.
                    let found = within(label.clone()).first().map(rect).or({
                        let buttons: Vec<_> = k
                            .find(&label)
                            .into_iter()
                            .filter(|e| {
                                e.accessible_role()
                                    == Some(i_slint_backend_testing::AccessibleRole::Button)
                            })
                            .collect();
                        match buttons.as_slice() {
                            [one] => Some(rect(one)),
                            _ => None,
                        }
                    });
                    let Some(button) = found else {
                        problems.push(format!("{at}: no {label:?} in the dialog"));
                        continue;
                    };
                    let (x0, y0, x1, y1) = button;
                    if x0 < -0.5 || y0 < -0.5 || x1 > w + 0.5 || y1 > h + 0.5 {
                        problems.push(format!(
                            "{at}: {label:?} at {button:?} is not whole in the {w}×{h} window"
                        ));
                    }
                    for cue in &cues {
                        let apart = cue.2 <= x0 || x1 <= cue.0 || cue.3 <= y0 || y1 <= cue.1;
                        if !apart {
                            problems.push(format!(
                                "{at}: {label:?} at {button:?} under the cue at {cue:?}"
                            ));
                        }
                    }
                }
                // And the question's first line in view above the cue: a line at 33 px (45 px
                // high) at least. Upright, the Ukrainian and Polish answers at body size took
                // four lines each, and the title "Почати знову?" had a sliver of view left.
                let frame = rect(&dialog);
                let heading = k
                    .find(&title)
                    .into_iter()
                    .filter(|e| {
                        e.accessible_role() == Some(i_slint_backend_testing::AccessibleRole::Text)
                    })
                    .map(|e| rect(&e))
                    .find(|r| r.0 >= frame.0 - 0.5 && r.2 <= frame.2 + 0.5);
                match heading {
                    None => problems.push(format!("{at}: no title in the dialog")),
                    Some(r) => {
                        let view_end = cues.iter().map(|c| c.1).fold(frame.3, f32::min);
                        if r.1 < frame.1 - 0.5 || r.1 + 45.0 > view_end + 0.5 {
                            problems.push(format!(
                                "{at}: the title at {r:?}, its first line not in view above \
                                 {view_end} in the dialog at {frame:?}"
                            ));
                        }
                    }
                }
                seen += 1;
            }
        }
        k.controller.flow_mut().wipe();
        k.controller.refresh();
    }
    assert_eq!(seen, 2 * 4 * guichet::i18n::SUPPORTED_LOCALES.len());
}

/// On a real 7" panel upright (90 mm × 154 mm) at the largest text size, each question shows
/// a line of its title, whole, between the bar and what is under it. Typed ones
/// (`Flow::typing_on_small_panel`): the bar is one row (Back and Menu: `Flow::tools_in_menu`),
/// the title sits above what was typed. With the bar's three rows, the four rows of keys and
/// the action bar, no word of the question was in view, and the "More below" cue lay over the
/// bar; not typed: the bar takes two rows (Ask for help on the first where its words fit), and
/// the cue is under the bar, never over it. Adds what it finds to `problems`.
fn the_question_is_in_view_on_a_7_inch_panel_upright(dir: &TestDir, problems: &mut Vec<String>) {
    let k = start_kiosk(dir);
    k.app.window().set_size(slint::PhysicalSize::new(600, 1024));
    guichet::ui::scale::apply(k.app.window(), 90.0);
    mock_elapsed_time(Duration::from_millis(1));
    let height = k.app.window().size().height as f32 / k.app.window().scale_factor();
    let mut seen = 0;
    for scene in [
        "question-single",
        "question-date",
        "contact",
        "question-string",
        "question-text",
        "question-number",
    ] {
        for locale in guichet::i18n::SUPPORTED_LOCALES {
            let (title, typing) = {
                let mut flow = k.controller.flow_mut();
                guichet::ui::scenes::enter(&mut flow, scene, locale).unwrap();
                while flow.session().text_size_step != 2 {
                    flow.cycle_text_size();
                }
                let title = flow.question_view().expect("a question").title;
                (title, flow.typing_on_small_panel())
            };
            k.controller.refresh();
            mock_elapsed_time(Duration::from_millis(1));
            let at = format!("{scene} {locale}");
            seen += 1;
            let typed_scene = matches!(
                scene,
                "question-string" | "question-text" | "question-number"
            );
            if typing != typed_scene {
                problems.push(format!("{at}: typing on a small panel is {typing}"));
                continue;
            }
            // The bar: the tool buttons in the window's top half (Back under the keys is not).
            let bar: Vec<(f32, f32)> =
                ElementHandle::find_by_element_type_name(&k.app, "ToolButton")
                    .filter(|b| b.is_valid())
                    .map(|b| (b.absolute_position().y, b.size().height))
                    .filter(|(y, _)| *y < height / 2.0)
                    .collect();
            let bar_bottom = bar.iter().map(|(y, h)| y + h).fold(0.0, f32::max);
            let rows = {
                let mut tops: Vec<i32> = bar.iter().map(|(y, _)| y.round() as i32).collect();
                tops.sort();
                tops.dedup();
                tops.len()
            };
            let below = if typing {
                if rows != 1 {
                    problems.push(format!("{at}: typing, the bar has {rows} rows"));
                }
                // At the largest size the bar is Back and Menu (`Flow::tools_in_menu`): Back
                // stays in it (beside Continue under the keys its words had no room).
                if k.find(&k.tr.text(locale, "tool-back"))
                    .iter()
                    .all(|b| b.absolute_position().y > height / 2.0)
                {
                    problems.push(format!("{at}: typing, Back is not in the bar"));
                }
                // What was typed: the title is above it.
                let typed = k.tr.text(locale, "typed-so-far");
                ElementHandle::find_by_element_type_name(&k.app, "TypedSoFar")
                    .filter(|e| e.is_valid())
                    .filter(|e| {
                        e.accessible_label()
                            .is_some_and(|l| l.starts_with(typed.as_str()))
                    })
                    .map(|e| e.absolute_position().y)
                    .fold(height, f32::min)
            } else {
                let cue = k
                    .find(&k.tr.text(locale, "more-below"))
                    .first()
                    .map(|cue| cue.absolute_position().y);
                if let Some(cue) = cue.filter(|y| *y < bar_bottom) {
                    problems.push(format!(
                        "{at}: the cue at {cue} over the bar (to {bar_bottom})"
                    ));
                }
                cue.unwrap_or(height)
            };
            // A whole line of it at the smallest text it may take (20 px: a line is 27 px).
            let in_view = k.find(&title).iter().any(|e| {
                let y = e.absolute_position().y;
                let h = e.size().height;
                h >= 27.0 && y >= bar_bottom - 0.5 && y + 27.0 <= below + 0.5
            });
            if !in_view {
                let found: Vec<(f32, f32)> = k
                    .find(&title)
                    .iter()
                    .map(|e| (e.absolute_position().y, e.size().height))
                    .collect();
                problems.push(format!(
                    "{at}: no line of the title {title:?} between the bar ({bar_bottom}) and {below}: {found:?}"
                ));
            }
        }
    }
    assert_eq!(seen, 6 * guichet::i18n::SUPPORTED_LOCALES.len());
    k.controller.flow_mut().wipe();
    k.controller.refresh();
}

/// Every scene in every language at every text size (the welcome screen too: it has no tools
/// to change the size, but a resident who chose a larger one and went back sees it there), with
/// `k`'s window as it is: calls `check` on each.
fn each_screen(k: &Kiosk, mut check: impl FnMut(&str, &str, u8)) {
    for (scene, _) in guichet::ui::scenes::SCENES {
        for locale in guichet::i18n::SUPPORTED_LOCALES {
            for size in 0..3 {
                {
                    let mut flow = k.controller.flow_mut();
                    guichet::ui::scenes::enter(&mut flow, scene, locale).unwrap();
                    let already = flow.session().text_size_step;
                    while flow.session().text_size_step != (already + size) % 3 {
                        flow.cycle_text_size();
                    }
                }
                k.controller
                    .set_print_state(guichet::ui::scenes::print_state_for(scene));
                check(scene, locale, size);
            }
        }
    }
}

/// Every measured label the window holds reports again (`Controller::start_word_census`), after
/// the change handlers run, as the event loop runs them before drawing: what is recorded is
/// then the window's now, not a label's made and gone a moment ago.
fn word_census(k: &Kiosk) {
    mock_elapsed_time(Duration::ZERO);
    k.controller.start_word_census();
    mock_elapsed_time(Duration::ZERO);
}

/// The buttons with words on screen (tools, keys, the action bar's) whose widest word is cut,
/// as they reported it to Rust on a census.
fn cut_words(k: &Kiosk) -> Vec<String> {
    word_census(k);
    reported_on_screen(k, WORD_BUTTONS, k.controller.cut_words())
}

/// The labels of the element types `types` on screen set under the least size of the text size
/// shown (`Theme.least-at`), as they reported it to Rust on a census.
fn small_words(k: &Kiosk, types: &[&str]) -> Vec<String> {
    word_census(k);
    reported_on_screen(k, types, k.controller.small_words())
}

/// Of the titles `reported` by the labels the window holds, those that a label of the element
/// types `types` on screen shows (a label scrolled out of view, or of another type, reports
/// too).
fn reported_on_screen(k: &Kiosk, types: &[&str], reported: Vec<String>) -> Vec<String> {
    let on_screen = labels_of(k, types);
    reported
        .into_iter()
        .filter(|title| on_screen.contains(title))
        .collect()
}

/// The accessible labels of the elements of the types `types` on screen.
fn labels_of(k: &Kiosk, types: &[&str]) -> Vec<String> {
    types
        .iter()
        .flat_map(|name| ElementHandle::find_by_element_type_name(&k.app, name))
        .filter_map(|b| b.accessible_label().map(|l| l.to_string()))
        .collect()
}

/// The accessible labels of the keys on screen.
fn key_titles(k: &Kiosk) -> Vec<String> {
    labels_of(k, &["KeyButton"])
}

/// The controls that keep their words whole and report a cut one: tools, keys and buttons (the
/// action bar's among them; the others report nothing), a question's options, and the pages'
/// headings.
const WORD_BUTTONS: &[&str] = &[
    "ToolButton",
    "KeyButton",
    "Button",
    "RadioToggle",
    "CheckToggle",
    "Heading",
];

/// No word cut on a tool, a key or an action bar's button on any screen on a real panel `px`
/// pixels and `panel_mm` wide (the scale `ui.screen_width_mm` sets); returns how many screens
/// it looked at.
fn words_whole_on_a_real_panel(
    dir: &TestDir,
    px: (u32, u32),
    panel_mm: f32,
    problems: &mut Vec<String>,
) -> usize {
    let k = start_kiosk(dir);
    k.app
        .window()
        .set_size(slint::PhysicalSize::new(px.0, px.1));
    let factor = guichet::ui::scale::apply(k.app.window(), panel_mm);
    mock_elapsed_time(Duration::from_millis(1));
    let mut checked = 0;
    let (mut buttons, mut keys) = (0, 0);
    let (mut in_menu_mode, mut menu_rows, mut banners) = (0, 0, 0);
    // Word keys seen at the largest size (each one set under 33 px is a problem, above).
    let mut word_keys = 0;
    let mut word_keys_seen = std::collections::BTreeSet::new();
    each_screen(&k, |scene, locale, size| {
        buttons += ElementHandle::find_by_element_type_name(&k.app, "ToolButton").count();
        keys += ElementHandle::find_by_element_type_name(&k.app, "KeyButton").count();
        for title in cut_words(&k) {
            problems.push(format!(
                "{scene} {locale} size {size} on a {panel_mm} mm panel (scale {factor:.2}): \
                 {title:?}: a word cut"
            ));
        }
        // At the largest size no tool (where they are in a menu, Back and Menu and the
        // menu's rows) is set under 33 px (a capital H of 6.1 mm, EN 301 549 5.1.4). Every
        // label reports its size on a census, the menu's rows below the fold too (the
        // search finds only those in view), so the titles are the flow's.
        word_census(&k);
        let in_menu = k.controller.flow_mut().tools_in_menu();
        let largest = k.controller.flow_mut().largest_text();
        if largest {
            if in_menu {
                in_menu_mode += 1;
            }
            banners += labels_of(&k, &["ModeBanner"]).len();
            let bar = k.controller.flow_mut().toolbar();
            let shown: Vec<String> = bar
                .left
                .iter()
                .chain(&bar.right)
                .chain(&bar.menu)
                .map(|t| t.title.clone())
                .collect();
            let small = k.controller.small_words();
            for title in shown.iter().filter(|t| small.contains(t)) {
                problems.push(format!(
                    "{scene} {locale} at the largest size on a {panel_mm} mm panel: \
                     {title:?}: a tool set under 33 px"
                ));
            }
            // Nor any other label with words a resident reads or touches: the pages'
            // headings, a question's options, the action bars' and the dialogs' buttons, the
            // keys' letters, digits and words (Delete, Shift, More letters, Symbols, Space, on
            // every page and pad: `keyboard::fit` and `KeyRowView` give them the room), the
            // assisted or practice strip's words (their End is a tool of the menu here,
            // checked above).
            let keys = key_titles(&k);
            for title in keys.iter().filter(|t| t.chars().count() > 2) {
                word_keys += 1;
                word_keys_seen.insert((locale.to_string(), title.clone()));
            }
            for title in small_words(
                &k,
                &[
                    "Button",
                    "RadioToggle",
                    "CheckToggle",
                    "Heading",
                    "KeyButton",
                    "ModeBanner",
                ],
            ) {
                // Continue in the side column is at 33 px in every language (since its words
                // went from "Continuer", "Continuar", "Продовжити" to "Suivant", "Siguiente",
                // "Далі", and its padding to 1 mm), and the Arabic re-filing strip since it
                // says "نقل REF" there (its one line "إعادة تصنيف REF" was about 29 px in
                // landscape, and two lines at 33 px left the page no room): none is excused.
                let what = if keys.contains(&title) {
                    "a key"
                } else {
                    "a label"
                };
                problems.push(format!(
                    "{scene} {locale} at the largest size on a {panel_mm} mm panel: \
                     {what} {title:?}: set under 33 px"
                ));
            }
            if !bar.menu.is_empty() {
                assert!(
                    ElementHandle::find_by_element_type_name(&k.app, "MenuRow").count() > 0,
                    "{scene} {locale}: the menu is drawn"
                );
                menu_rows += bar.menu.len();
            }
        }
        checked += 1;
    });
    // A panel under 150 mm on its short side or 420 mm wide has its tools in a menu at the
    // largest size (`flow::MENU_PANEL_MM`, `BAR_ROW_MM`).
    let short_mm = panel_mm * px.0.min(px.1) as f32 / px.0 as f32;
    let menu_panel =
        short_mm < guichet::flow::MENU_PANEL_MM || panel_mm < guichet::flow::BAR_ROW_MM;
    assert!(
        (!menu_panel || (in_menu_mode > 50 && menu_rows >= 6 * 5)) && banners >= 6 * 2,
        "screens with the tools in a menu: {in_menu_mode}, menu rows seen: {menu_rows}, \
         assisted or practice strips: {banners}"
    );
    // Every special key's name in every language was seen (their words are what the check
    // above is about): Delete, Space, Shift, More letters and Symbols on the first page of
    // letters and on the pads. The other pages (Symbols, Latin letters, New line, more
    // letters) are checked at the largest size by `no_key_word_is_cut_on_any_keyboard_page`.
    let seen = |locale: &str, id: &str| {
        let name = k.tr.text(locale, id);
        word_keys_seen
            .iter()
            .any(|(l, title)| l == locale && title.starts_with(&name))
    };
    for locale in guichet::i18n::SUPPORTED_LOCALES {
        for id in [
            "keyboard-backspace",
            "keyboard-space",
            "keyboard-more-letters",
            "keyboard-symbols",
        ] {
            // A panel over 200 mm wide has its letters on one page in some languages (a 10"
            // one in English, French and Spanish), with no "More letters".
            if id == "keyboard-more-letters" && panel_mm > 200.0 {
                continue;
            }
            assert!(
                seen(locale, id),
                "{locale} {id} seen on a {panel_mm} mm panel at the largest size"
            );
        }
        if *locale != "ar" {
            assert!(seen(locale, "keyboard-shift"), "{locale} Shift seen");
        }
    }
    assert!(
        word_keys > 100,
        "word keys seen at the largest size on a {panel_mm} mm panel: {word_keys}"
    );
    assert!(
        buttons > checked && keys > checked,
        "tool buttons seen: {buttons}, keys: {keys}"
    );
    k.controller.flow_mut().wipe();
    k.controller.refresh();
    checked
}

/// [`every_screen_fits_a_small_panel_or_says_there_is_more`] at one window size; returns how
/// many screens it measured.
fn screens_fit(dir: &TestDir, width: f32, height: f32, problems: &mut Vec<String>) -> usize {
    let k = start_kiosk(dir);
    k.app
        .window()
        .set_size(slint::LogicalSize::new(width, height));
    mock_elapsed_time(Duration::from_millis(1));
    let mut checked = 0;
    // The welcome screen at every size too: it does not scroll, and at a larger size its words
    // ran off the bottom with "Check a request" (now drawn at the largest size that fits).
    each_screen(&k, |scene, locale, size| {
        for title in cut_words(&k) {
            problems.push(format!(
                "{scene} {locale} size {size} at {width}×{height}: {title:?}: a word cut"
            ));
        }
        let more = k.tr.text(locale, "more-below");
        let cue = !k.find(&more).is_empty();
        let areas: Vec<(f32, f32, f32, f32)> =
            ElementHandle::find_by_element_type_name(&k.app, "Scrolling")
                .map(|e| {
                    let (p, s) = (e.absolute_position(), e.size());
                    (p.x, p.y, s.width, s.height)
                })
                .collect();
        k.app.root_element().visit_descendants(|e| {
                    let label = e.accessible_label().unwrap_or_default();
                    if label.is_empty() || e.accessible_role().is_none() {
                        return std::ops::ControlFlow::<()>::Continue(());
                    }
                    let (p, s) = (e.absolute_position(), e.size());
                    let (x, y, w, h) = (p.x, p.y, s.width, s.height);
                    if w <= 0.0 || h <= 0.0 {
                        return std::ops::ControlFlow::Continue(());
                    }
                    let place = format!(
                        "{scene} {locale} size {size} at {width}×{height}: {label:?} at x {x:.0}..{:.0}, y {y:.0}..{:.0}",
                        x + w,
                        y + h
                    );
                    if x < -1.0 || x + w > width + 1.0 {
                        problems.push(format!("{place}: beyond the window's sides"));
                        return std::ops::ControlFlow::Continue(());
                    }
                    // Below the window: only acceptable inside a scrolling area that says so.
                    // (A scrolling area whose content is taller than itself shows the cue, so
                    // what it clips inside the window is covered by the same rule.)
                    let scrolled = areas
                        .iter()
                        .any(|(ax, ay, aw, _)| x >= ax - 1.0 && x + w <= ax + aw + 1.0 && y >= ay - 1.0);
                    if y + h > height + 1.0 && !(scrolled && cue) {
                        problems.push(format!("{place}: below the window with no cue"));
                    }
                    std::ops::ControlFlow::Continue(())
                });
        for pair in overlaps(&k) {
            problems.push(format!(
                "{scene} {locale} size {size} at {width}×{height}: {pair}"
            ));
        }
        checked += 1;
    });
    k.controller.flow_mut().wipe();
    k.controller.refresh();
    checked
}

/// A page that scrolls reaches all it draws: scrolled to its end ("More below" gone), nothing
/// drawn in it lies below its view. A page scrolls as far as its content's preferred height,
/// and a wrapped text measured at its one-line width (a text in a layout, its width not set)
/// made that shorter than what is drawn: the staff desk's pad's last row half cut, the check
/// page's last "Change", the confirmation's contact line and the consent page's last answer
/// out of reach, on a 7" panel at the largest size. Every scene in English and Arabic at the
/// largest size on a 7" panel either way round, stepped down with "More below" (the testing
/// backend does not see what a page clips away wholly, but it sees the layouts that hold it);
/// returns one line a problem.
fn every_page_holds_what_it_draws(dir: &TestDir) -> Vec<String> {
    let k = start_kiosk(dir);
    let mut problems = Vec::new();
    let mut scrolled = 0;
    for (width, height) in [(582.0, 341.0), (341.0, 582.0)] {
        k.app
            .window()
            .set_size(slint::LogicalSize::new(width, height));
        for (scene, _) in guichet::ui::scenes::SCENES {
            if *scene == "welcome" {
                continue;
            }
            for locale in ["en", "ar"] {
                k.show_largest(scene, locale);
                let place = format!("{scene} {locale} at {width}×{height}, largest");
                let steps = k.scroll_to_end(60);
                if steps == 60 && k.visible(&k.t("more-below")) {
                    problems.push(format!("{place}: still \"More below\" after {steps} steps"));
                }
                scrolled += usize::from(steps > 0);
                for page in ElementHandle::find_by_element_type_name(&k.app, "Scrolling") {
                    let Some(view) = page
                        .query_descendants()
                        .match_id("Scrolling::flick")
                        .find_first()
                    else {
                        continue;
                    };
                    let end = view.absolute_position().y + view.size().height;
                    let lowest = view
                        .query_descendants()
                        .find_all()
                        .into_iter()
                        .map(|e| e.absolute_position().y + e.size().height)
                        .fold(f32::MIN, f32::max);
                    if lowest > end + 0.5 {
                        problems.push(format!(
                            "{place}: scrolled to its end, the page draws {:.0} px below its view",
                            lowest - end
                        ));
                    }
                }
            }
        }
    }
    assert!(scrolled > 60, "{scrolled} pages scrolled");
    k.controller.flow_mut().wipe();
    k.controller.refresh();
    problems
}

/// A named element as drawn: its words, whether it is a control (not text), its rectangle
/// in the window, and (for a control) the rectangles of what it is made of.
struct Drawn {
    label: String,
    control: bool,
    /// As laid out, and the part of it in view.
    laid: Rect,
    rect: Rect,
    parts: Vec<Rect>,
}

/// x, y, width, height in logical pixels.
type Rect = (f32, f32, f32, f32);

fn rect_of(e: &ElementHandle) -> Rect {
    let (p, s) = (e.absolute_position(), e.size());
    (p.x, p.y, s.width, s.height)
}

fn same_rect(a: Rect, b: Rect) -> bool {
    (a.0 - b.0).abs() < 0.05
        && (a.1 - b.1).abs() < 0.05
        && (a.2 - b.2).abs() < 0.05
        && (a.3 - b.3).abs() < 0.05
}

/// The part of `a` inside `b` (width or height 0 or less: none).
fn clip(a: Rect, b: Rect) -> Rect {
    let (x, y) = (a.0.max(b.0), a.1.max(b.1));
    let (right, bottom) = ((a.0 + a.2).min(b.0 + b.2), (a.1 + a.3).min(b.1 + b.3));
    (x, y, right - x, bottom - y)
}

/// Nothing drawn over anything: every visible, named control or line of text that lies over a
/// visible control it is not part of (a button under a panel whose measure came out short, two
/// buttons' rectangles crossing). What is part of a control (a button's own words) and what a
/// scrolling area clips away (a page scrolled under the keys below it, under the "More below"
/// strip) are not drawn over anything; with a dialog up, only the dialog counts (the page under
/// it is meant to be covered). Returns one line a pair.
fn overlaps(k: &Kiosk) -> Vec<String> {
    use i_slint_backend_testing::AccessibleRole as R;
    let window = {
        let s = k.app.root_element().size();
        (0.0, 0.0, s.width, s.height)
    };
    let dialog = ["ConfirmOverlay", "TimeoutOverlay"]
        .iter()
        .find_map(|name| ElementHandle::find_by_element_type_name(&k.app, name).next());
    let root = dialog.unwrap_or_else(|| k.app.root_element());
    // Each scrolling area's view, with what it holds: what lies outside its view is not drawn.
    let views: Vec<(Rect, Vec<(String, Rect)>)> =
        ElementHandle::find_by_element_type_name(&k.app, "Flickable")
            .map(|f| {
                let held = f
                    .query_descendants()
                    .find_all()
                    .iter()
                    .map(|e| {
                        (
                            e.accessible_label().unwrap_or_default().to_string(),
                            rect_of(e),
                        )
                    })
                    .collect();
                (rect_of(&f), held)
            })
            .collect();
    let mut drawn: Vec<Drawn> = Vec::new();
    root.visit_descendants(|e| {
        let label = e.accessible_label().unwrap_or_default().to_string();
        let role = e.accessible_role().unwrap_or(R::None);
        if label.trim().is_empty()
            || matches!(role, R::None | R::Groupbox)
            || e.computed_opacity() <= 0.0
        {
            return std::ops::ControlFlow::<()>::Continue(());
        }
        let laid = rect_of(&e);
        if drawn
            .iter()
            .any(|d| d.label == label && same_rect(d.laid, laid))
        {
            return std::ops::ControlFlow::Continue(()); // one item seen as two elements
        }
        let mut rect = clip(laid, window);
        for (view, held) in &views {
            if held.iter().any(|(l, r)| *l == label && same_rect(*r, laid)) {
                rect = clip(rect, *view);
            }
        }
        if rect.2 <= 0.5 || rect.3 <= 0.5 {
            return std::ops::ControlFlow::Continue(());
        }
        let control = role != R::Text;
        let parts = if control {
            e.query_descendants()
                .find_all()
                .iter()
                .map(rect_of)
                .collect()
        } else {
            Vec::new()
        };
        drawn.push(Drawn {
            label,
            control,
            laid,
            rect,
            parts,
        });
        std::ops::ControlFlow::Continue(())
    });
    let part_of = |a: &Drawn, b: &Drawn| b.parts.iter().any(|r| same_rect(*r, a.laid));
    // A control's own words are measured with it: a key over a button is one pair, not also
    // the key's label over the button's.
    // (A control's parts include what has its own rectangle: of two named controls each part
    // of the other, the first is kept.)
    let drawn: Vec<&Drawn> = drawn
        .iter()
        .enumerate()
        .filter(|(i, a)| {
            !drawn
                .iter()
                .enumerate()
                .any(|(j, b)| j != *i && b.control && part_of(a, b) && !(j > *i && part_of(b, a)))
        })
        .map(|(_, a)| a)
        .collect();
    let mut found = Vec::new();
    for (i, a) in drawn.iter().enumerate() {
        for b in &drawn[i + 1..] {
            if !(a.control || b.control) || part_of(a, b) || part_of(b, a) {
                continue;
            }
            let over = clip(a.rect, b.rect);
            // More than a pixel each way: rounding puts neighbours a fraction into each other.
            if over.2 > 1.0 && over.3 > 1.0 {
                let show = |d: &Drawn| {
                    format!(
                        "{:?} (x {:.0}..{:.0}, y {:.0}..{:.0})",
                        d.label,
                        d.rect.0,
                        d.rect.0 + d.rect.2,
                        d.rect.1,
                        d.rect.1 + d.rect.3
                    )
                };
                found.push(format!("{} drawn over {}", show(b), show(a)));
            }
        }
    }
    found
}

/// Two services with the same name in one group (a council's catalogue may well have them):
/// keyboard navigation's focus on the second draws one focus ring, round the second only
/// (the ring follows the focused control's key, not its words).
fn the_focus_ring_marks_one_of_two_same_named_services(dir: &TestDir) {
    let doc = serde_json::json!({ "services": [
        { "service_code": "B1", "service_name": "Bench", "group": "Parks", "description": "In a park" },
        { "service_code": "B2", "service_name": "Bench", "group": "Parks", "description": "On a street" },
        { "service_code": "S1", "service_name": "Swings", "group": "Parks", "description": "Playground" },
    ]});
    let catalog = guichet::catalog::parse_catalog_document(doc.to_string().as_bytes()).unwrap();
    let tr = Arc::new(Translations::load().unwrap());
    let mut flow = Flow::new(
        FlowSettings {
            languages: vec!["en".into()],
            idle_timeout_s: 120,
            local_offset: time::UtcOffset::UTC,
            ..FlowSettings::default()
        },
        [(String::new(), catalog)].into_iter().collect(),
        tr.clone(),
    );
    flow.start();
    flow.choose_language("en");
    if flow.session().screen == guichet::flow::Screen::Groups {
        flow.choose_tile("Parks");
    }
    let k = show_kiosk(dir, flow, tr, 1280.0, 4000.0);
    k.controller.refresh();
    assert_eq!(k.screen(), "services");
    let benches = || -> Vec<ElementHandle> {
        k.find("Bench")
            .into_iter()
            .filter(|e| {
                e.accessible_role() == Some(i_slint_backend_testing::AccessibleRole::Button)
            })
            .collect()
    };
    assert_eq!(benches().len(), 2, "two tiles with the same name");
    let mut found = false;
    for _ in 0..40 {
        press(&k, slint::platform::Key::Tab);
        let caption = guichet::flow::speech::plain(&k.api().get_speech_caption());
        if caption.contains("Bench") && caption.contains("On a street") {
            found = true;
            break;
        }
    }
    assert!(found, "keyboard navigation reaches the second Bench");
    let rings: Vec<_> =
        ElementHandle::find_by_element_type_name(&k.app, "FocusRingShape").collect();
    assert_eq!(rings.len(), 1, "one focus ring, not one on each Bench");
    let second = benches()
        .into_iter()
        .find(|e| e.accessible_description().as_deref() == Some("On a street"))
        .unwrap();
    let (ring, tile) = (rings[0].absolute_position(), second.absolute_position());
    assert!(
        (ring.x - (tile.x - 6.0)).abs() < 1.0 && (ring.y - (tile.y - 6.0)).abs() < 1.0,
        "the ring is round the focused Bench: {ring:?} vs {tile:?}"
    );
    k.controller.flow_mut().wipe();
    k.controller.refresh();
}

/// 150 services in 20 groups (and some without a group), as real councils publish them.
fn long_catalogue() -> Catalog {
    let mut services = Vec::new();
    for i in 0..150 {
        let group = if i % 15 == 14 {
            serde_json::Value::Null
        } else {
            serde_json::Value::String(format!("Department {:02}", i % 20))
        };
        let name = match i {
            0 => "General enquiry".to_string(),
            20 => "Fallen tree".to_string(),
            _ => format!("Service number {i}"),
        };
        services.push(serde_json::json!({
            "service_code": format!("S{i:03}"), "service_name": name, "group": group,
            "description": "A description as long as councils write them. ".repeat(20),
            "keywords": if i == 40 { "fallen branch, limb" } else { "" },
        }));
    }
    // One group with many services: more than a screenful, searchable.
    for i in 150..170 {
        services.push(serde_json::json!({
            "service_code": format!("S{i:03}"), "service_name": format!("Street item {i}"), "group": "Department 00",
        }));
    }
    let doc = serde_json::json!({ "services": services });
    guichet::catalog::parse_catalog_document(doc.to_string().as_bytes()).unwrap()
}

/// The last tile of a list can always be brought into view with the "more below" cue, and
/// every list ends with "My problem is not listed".
fn a_long_catalogue_hides_nothing(
    dir: &TestDir,
    width: f32,
    height: f32,
    catch_all: Option<&str>,
    locale: &str,
) {
    let tr = Arc::new(Translations::load().unwrap());
    let mut flow = Flow::new(
        FlowSettings {
            languages: vec!["en".into(), "ar".into()],
            idle_timeout_s: 120,
            local_offset: time::UtcOffset::UTC,
            ..FlowSettings::default()
        },
        [(String::new(), long_catalogue())].into_iter().collect(),
        tr.clone(),
    );
    flow.set_catch_all_service(catch_all.map(str::to_string));
    let k = show_kiosk(dir, flow, tr, width, height);
    // Change handlers (a new list starts at its top) run as the event loop turns.
    let settle = || mock_elapsed_time(Duration::from_millis(1));
    let in_view = |label: &str| {
        settle();
        // While there is more, the list ends above the strip that holds the "more below" cue
        // (1 mm above the cue).
        let bottom = k
            .find(&k.t("more-below"))
            .iter()
            .map(|cue| cue.absolute_position().y - 96.0 / 25.4)
            .fold(height, f32::min);
        k.find(label).iter().any(|e| {
            let (p, s) = (e.absolute_position(), e.size());
            p.y >= 0.0 && p.y + s.height <= bottom + 0.5 && s.height > 0.0
        })
    };
    // Scrolls with the cue until `label` is in view (the element tree holds only what is in
    // view); the cue disappears at the end.
    let scroll = |label: &str, cue: &str| {
        let more = k.t(cue);
        for _ in 0..100 {
            if in_view(label) {
                return;
            }
            assert!(
                k.visible(&more),
                "{label:?} is hidden and no cue says so ({width}x{height})"
            );
            k.tap(&more);
        }
        panic!("{label:?} never came into view");
    };
    let scroll_to = |label: &str| scroll(label, "more-below");
    {
        k.tap_welcome();
        k.tap(guichet::i18n::endonym(locale));
        assert_eq!(k.screen(), "groups");
        let not_listed = k.t("not-listed");
        let other = k.t("services-other");
        assert!(in_view("Department 00"), "the first group is in view");
        assert!(
            k.visible(&k.t("more-below")),
            "{width}x{height}: 21 groups do not fit"
        );
        scroll_to(&other);
        scroll_to(&not_listed);
        assert!(
            !k.visible(&k.t("more-below")),
            "{width}x{height} {locale}: at the end, no more cue"
        );
        // Another page starts at its top: back to the languages and in again.
        k.tap_t("tool-back");
        settle();
        k.tap(guichet::i18n::endonym(locale));
        assert!(
            in_view("Department 00"),
            "a list shown again starts at its top"
        );

        // The long group: searchable, and its last service reachable.
        k.tap("Department 00");
        assert_eq!(k.screen(), "services");
        scroll_to("Street item 169");
        scroll_to(&not_listed);
        k.tap_t("search-open");
        k.type_keys(if locale == "ar" { "" } else { "fallen" });
        if locale == "en" {
            settle();
            assert!(
                k.visible("Fallen tree"),
                "{:?} {}",
                k.api().get_search_query(),
                k.all_text()
            );
            assert!(k.visible("Service number 40"), "found by its keywords");
            assert!(!k.visible("Street item 150"), "filtered");
            k.tap_t("search-done");
            assert!(in_view("Fallen tree"));
            k.type_keys("");
            k.tap_t("search-close");
            assert!(
                in_view("General enquiry"),
                "the whole list again, from its top"
            );
            scroll_to("Street item 150");
        } else {
            k.tap_t("search-close");
        }
        // "My problem is not listed": the catch-all service, or the advice to ask at the desk.
        scroll_to(&not_listed);
        k.tap(&not_listed);
        match catch_all {
            Some(_) => {
                assert_eq!(k.screen(), "question");
                assert!(k.api().get_question().caption.contains("General enquiry"));
            }
            None => {
                assert_eq!(k.screen(), "services");
                assert!(k.visible(&k.t("not-listed-ask-desk")));
            }
        }
    }
}

fn a_resident_reading_arabic_sends_a_request(k: &Kiosk, dir: &TestDir) {
    assert_eq!(k.screen(), "welcome");
    k.tap_welcome();
    assert_eq!(k.screen(), "language");
    k.tap("العربية");
    assert_eq!(k.locale(), "ar");
    assert!(k.app.global::<guichet::ui::generated::Theme>().get_rtl());
    // Groups and services, by their Arabic names from the catalogue.
    let ar: Catalog = guichet::catalog::demo_catalogs()
        .into_iter()
        .find(|(l, _)| l == "ar")
        .unwrap()
        .1;
    let bulky = ar.service("BULKY").unwrap().clone();
    k.tap(bulky.group.as_deref().unwrap());
    k.tap(&bulky.service_name);
    assert_eq!(k.screen(), "question");
    let def = ar.definition("BULKY").unwrap();
    let name_of = |code: &str, key: &str| {
        def.attribute(code)
            .unwrap()
            .value(key)
            .unwrap()
            .name
            .clone()
    };

    // Multiple choice: Continue without choosing shows the translated error next to the field.
    k.tap_t("continue");
    assert!(k.visible(&k.t("error-required")), "required error shown");
    k.tap(&name_of("ITEMS", "fridge"));
    assert!(
        !k.visible(&k.t("error-required")),
        "error clears once answered"
    );
    k.tap(&name_of("ITEMS", "furniture"));
    k.tap_t("continue");

    // "How many items?" (up to 10): a digits-only pad, the range in the error; fixed.
    assert_eq!(k.api().get_keyboard_kind(), KeyboardKind::Number);
    assert!(
        !k.visible("-") && !k.visible("."),
        "a count pad offers no - or ."
    );
    k.tap("1");
    k.tap("1");
    k.tap_t("continue");
    let range = k.tr.format(
        &k.locale(),
        "error-whole-between",
        &[("min", Arg::from("0")), ("max", Arg::from("10"))],
    );
    assert!(k.visible(&range), "{range} on screen:\n{}", k.all_text());
    k.tap_t("keyboard-backspace");
    k.tap_t("keyboard-backspace");
    k.tap("3");
    k.tap_t("continue");

    // Date picker: no typing.
    assert_eq!(k.api().get_question().kind, QuestionKind::Datetime);
    k.tap_t("date-today");
    let later_day = format!("{}: {}", k.t("date-later"), k.t("date-day"));
    k.tap(&later_day);
    k.tap_t("continue");

    // Multi-line text with the Arabic keyboard.
    assert_eq!(k.api().get_question().kind, QuestionKind::LongText);
    k.type_keys("درج ضيق");
    assert_eq!(k.api().get_question().value, "درج ضيق");
    k.tap_t("continue");

    // Information from the council: read, then continue.
    assert_eq!(k.api().get_question().kind, QuestionKind::Info);
    k.tap_t("continue");
    // Description (optional).
    k.tap_t("continue");
    // Address: set as assistive technology would, on the field labelled with the question.
    let field = k.find(&k.t("address-title"));
    let input = field
        .iter()
        .find(|e| e.accessible_role() == Some(i_slint_backend_testing::AccessibleRole::TextInput))
        .expect("address field");
    input.set_accessible_value("شارع المحطة 12");
    k.tap_t("continue");
    // Contact: before any personal question, the privacy notice says who receives the details,
    // how long the kiosk keeps them and where to ask, in the resident's language.
    let notice = k.api().get_question().hint.to_string();
    assert!(notice.contains("Test Council"), "{notice}");
    assert!(notice.contains("0800 000 000"), "{notice}");
    assert!(k.visible(&notice), "the notice is on screen");
    k.tap_t("contact-no");
    k.tap_t("continue");

    // Check answers, change one, come back, send.
    assert_eq!(k.screen(), "check");
    let rows = guichet::ui::controller::rows(&k.api().get_check_rows());
    assert!(rows.iter().any(|r| r.answer == "3"));
    let change_count = format!(
        "{}: {}",
        k.t("check-change"),
        def.attribute("ITEM_COUNT").unwrap().description
    );
    k.tap(&change_count);
    assert_eq!(k.screen(), "question");
    k.tap_t("keyboard-backspace");
    k.tap("4");
    k.tap_t("continue");
    assert_eq!(
        k.screen(),
        "check",
        "Continue after Change returns to the check page"
    );
    k.tap_t("check-submit");
    k.wait_for_screen("confirmation");

    let reference = k.api().get_reference().to_string();
    assert!(reference.starts_with("LIB7-"), "{reference}");
    assert!(k.visible(&format!("{} {reference}", k.t("confirm-reference"))));
    assert!(k.visible(&k.t("confirm-offline")), "honest offline line");
    assert!(!k.api().get_can_go_back());

    // The submission is in the SQLite queue with the right answers and locale.
    let store = Store::open(dir.path()).unwrap();
    let saved = store.get(&reference).unwrap();
    assert_eq!(saved.state, State::Pending);
    assert_eq!(saved.locale, "ar");
    assert_eq!(saved.service_code, "BULKY");
    let form = saved.form.unwrap();
    assert_eq!(
        form.answers["ITEMS"],
        Answer::Many(vec!["fridge".into(), "furniture".into()])
    );
    assert_eq!(form.answers["ITEM_COUNT"], Answer::One("4".into()));
    assert_eq!(form.answers["ACCESS"], Answer::One("درج ضيق".into()));
    assert!(
        matches!(&form.answers["PREFERRED_DATE"], Answer::One(d) if d.ends_with('Z') || d.contains('+'))
    );
    assert_eq!(form.location.address, "شارع المحطة 12");
    assert!(form.contact.is_empty());

    k.tap_t("confirm-finish");
    assert_eq!(k.screen(), "welcome");
    assert_eq!(k.locale(), "en");
}

fn the_idle_timeout_wipes_everything_mid_form(k: &Kiosk) {
    k.tap_welcome();
    k.tap("English");
    let en: Catalog = guichet::catalog::demo_catalogs().remove(0).1;
    let park = en.service("PARK").unwrap().clone();
    k.tap(park.group.as_deref().unwrap());
    k.tap(&park.service_name);
    k.type_keys("secret garden");
    assert_eq!(k.api().get_question().value, "secret garden");

    // Idle for the configured 120 s: the warning comes, with a countdown and "more time".
    for _ in 0..119 {
        mock_elapsed_time(Duration::from_secs(1));
    }
    assert!(!k.api().get_timeout_warning());
    mock_elapsed_time(Duration::from_secs(1));
    assert!(k.api().get_timeout_warning());
    assert!(
        k.api()
            .get_timeout_text()
            .contains(&WARNING_SECONDS.to_string())
    );
    // "More time" can be had again and again.
    for _ in 0..11 {
        k.tap_t("timeout-more");
        assert!(!k.api().get_timeout_warning());
        for _ in 0..120 {
            mock_elapsed_time(Duration::from_secs(1));
        }
        assert!(k.api().get_timeout_warning());
    }
    assert_eq!(
        k.api().get_question().value,
        "secret garden",
        "nothing lost while extending"
    );

    // Then nobody answers: everything is wiped and the welcome screen returns.
    for _ in 0..WARNING_SECONDS {
        mock_elapsed_time(Duration::from_secs(1));
    }
    assert_eq!(k.screen(), "welcome");
    assert!(!k.api().get_timeout_warning());
    assert!(k.controller.flow().session().is_blank());
    assert_eq!(k.api().get_question().value, "");
    assert!(
        !k.all_text().contains("secret garden"),
        "no trace in any UI element"
    );

    // The next resident cannot get back to it, by back or by going to the same service.
    k.tap_welcome();
    k.tap_t("tool-back");
    k.tap_welcome();
    k.tap("English");
    k.tap(park.group.as_deref().unwrap());
    k.tap(&park.service_name);
    assert_eq!(k.api().get_question().value, "");
    assert!(!k.all_text().contains("secret"));
}

/// Without a display the kiosk says so in one line, points to the alternatives, and exits 1
/// without panicking.
#[test]
fn kiosk_without_a_display_explains_in_one_line() {
    let dir = TestDir::new("nodisplay");
    let out = common::command(&dir)
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .env("RUST_BACKTRACE", "0")
        .arg("kiosk")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    assert!(stderr.contains("no display"), "{stderr}");
    assert!(stderr.contains("guichet screenshot"), "{stderr}");
    assert!(
        stderr.contains("Xvfb") && stderr.contains("cage"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"));
}

/// `guichet screenshot` renders a real PNG of the requested size without any display.
#[test]
fn screenshot_renders_a_png_headlessly() {
    let dir = TestDir::new("screenshot");
    let img = screenshot_png(
        &dir,
        &[
            "--screen", "check", "--locale", "ar", "--width", "1024", "--height", "600",
        ],
    );
    assert_eq!((img.width(), img.height()), (1024, 600));
    // Not blank: the top bar is dark, the page is white.
    let dark = img.pixels().filter(|p| p.0[0] < 40).count();
    let light = img.pixels().filter(|p| p.0[0] > 240).count();
    assert!(
        dark > 10_000 && light > 100_000,
        "dark {dark}, light {light}"
    );
    let bad = common::command(&dir)
        .args(["screenshot", "--screen", "nope", "--out"])
        .arg(dir.path().join("x.png"))
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("question-multi"));
}

/// `guichet screenshot ARGS --out F` with no display, which must succeed; F's picture.
fn screenshot_png(dir: &TestDir, args: &[&str]) -> image::RgbaImage {
    let out_file = dir.path().join("screenshot.png");
    let out = common::command(dir)
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .arg("screenshot")
        .args(args)
        .arg("--out")
        .arg(&out_file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    image::open(&out_file).unwrap().to_rgba8()
}

/// A reference is shown whole in its field: set smaller until it fits (never under 20 px), with
/// the caret at its end. At the largest text size on a 7" panel upright (90 mm), "Check a
/// request" showed "DEMO-000" of "DEMO-00042-V": the field held the title's size and its caret
/// at the start. Counted on the drawn picture: the glyphs inside the field's blue (focused)
/// border, each a run of columns with ink, one a character of the scene's reference.
#[test]
fn a_reference_is_shown_whole_in_its_field_on_a_small_panel() {
    let dir = TestDir::new("screenshot-reference");
    for locale in ["ar", "en"] {
        let img = screenshot_png(
            &dir,
            &[
                "--screen",
                "check-request-found",
                "--locale",
                locale,
                "--width",
                "600",
                "--height",
                "1024",
                "--text-size",
                "2",
                "--screen-width-mm",
                "90",
            ],
        );
        let (w, h) = (img.width(), img.height());
        // Theme.selected (#1d70b8), the focused field's border.
        let blue = |x: u32, y: u32| {
            let p = img.get_pixel(x, y).0;
            p[0].abs_diff(0x1d) < 24 && p[1].abs_diff(0x70) < 24 && p[2].abs_diff(0xb8) < 24
        };
        // The border's top and bottom: rows more than half blue, the first two runs of them
        // (the "More below" button under the page is blue too).
        let rows: Vec<u32> = (0..h)
            .filter(|&y| (0..w).filter(|&x| blue(x, y)).count() > w as usize / 2)
            .collect();
        let second = rows.windows(2).position(|p| p[1] > p[0] + 1).map(|i| i + 1);
        let Some(second) = second else {
            panic!("{locale}: the field's border is not drawn (blue rows {rows:?})");
        };
        let ends = rows[second..]
            .windows(2)
            .position(|p| p[1] > p[0] + 1)
            .map_or(rows.len(), |i| second + i + 1);
        let rows = &rows[..ends];
        let (top, bottom) = (rows[0], rows[rows.len() - 1]);
        let row = (top + bottom) / 2;
        let sides: Vec<u32> = (0..w).filter(|&x| blue(x, row)).collect();
        assert!(sides.len() >= 2, "{locale}: the field's sides");
        let (left, right) = (sides[0], sides[sides.len() - 1]);
        // Inside the border (and clear of it by 2 px): columns with ink (the text is #0b0c0c).
        let inner_top = rows
            .iter()
            .take_while(|&&y| y < row)
            .last()
            .copied()
            .unwrap_or(top);
        let inner_bottom = rows.iter().find(|&&y| y > row).copied().unwrap_or(bottom);
        let inked: Vec<bool> = (left..=right)
            .map(|x| {
                (inner_top + 3..inner_bottom.saturating_sub(2)).any(|y| {
                    let p = img.get_pixel(x, y).0;
                    p[0] < 110 && p[1] < 110 && p[2] < 110
                })
            })
            .collect();
        // Runs of inked columns.
        let mut runs: Vec<(usize, usize)> = Vec::new();
        let mut start = None;
        for (x, ink) in inked.iter().chain([&false]).enumerate() {
            match (start, *ink) {
                (None, true) => start = Some(x),
                (Some(s), false) => {
                    runs.push((s, x - s));
                    start = None;
                }
                _ => {}
            }
        }
        // The glyphs, then the caret after the last (the pad types at the end; it stood
        // before the first), thinner than any glyph (the dash included).
        let Some((&caret, glyphs)) = runs.split_last() else {
            panic!("{locale}: nothing drawn in the field between x {left} and {right}");
        };
        assert_eq!(
            glyphs.len(),
            "DEMO-00042-V".len(),
            "{locale}: glyphs and the caret in the field between x {left} and {right}, rows \
             {inner_top}..{inner_bottom}: {runs:?}"
        );
        let thinnest = glyphs.iter().map(|r| r.1).min().unwrap_or(0);
        assert!(
            caret.1 * 2 <= thinnest,
            "{locale}: the caret {caret:?} after the glyphs {glyphs:?}"
        );
    }
}

/// A scene is the same picture however and whenever it is drawn: among all the screens in one
/// run, or alone in a run of its own. The welcome screen (its greeting rotates on a kiosk), a
/// date picker (its "today"), a text field (its caret blinks on Slint's time), the PIN pad (a
/// kiosk shuffles it) and the confirmation (the time it was saved) were each different from one
/// run to the next, so `docs/screens` could not be regenerated without noise.
#[test]
fn a_scene_is_the_same_picture_every_time_it_is_drawn() {
    let dir = TestDir::new("screenshot-same");
    // `guichet screenshot` with no display, `args` and `--out out`; it must succeed.
    let screenshot = |args: &[&str], out: &std::path::Path| {
        let run = common::command(&dir)
            .env_remove("DISPLAY")
            .env_remove("WAYLAND_DISPLAY")
            .arg("screenshot")
            .args(args)
            .args(["--locale", "ar", "--sizes", "600x1024", "--out"])
            .arg(out)
            .output()
            .unwrap();
        assert!(
            run.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&run.stderr)
        );
    };
    let all = dir.path().join("all");
    screenshot(&["--screen", "all"], &all);
    for scene in [
        "welcome",
        "question-date",
        "question-string",
        "staff-pin",
        "confirmation",
    ] {
        let alone = dir.path().join(format!("{scene}.png"));
        screenshot(&["--screen", scene], &alone);
        let in_all = std::fs::read(all.join(format!("{scene}-ar-600x1024.png"))).unwrap();
        assert!(
            std::fs::read(&alone).unwrap() == in_all,
            "{scene}: drawn alone, not the picture drawn among all the screens"
        );
    }
}

/// `guichet screenshot --catalog` renders a council's own catalogue (here Boston's, as captured
/// from its server), never the database, and says which screens that catalogue cannot show.
#[test]
fn screenshot_renders_a_councils_own_catalogue() {
    let dir = TestDir::new("screenshot-catalog");
    let boston =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/catalogs/boston");
    let out_dir = dir.path().join("shots");
    let out = common::command(&dir)
        .args([
            "screenshot",
            "--screen",
            "all",
            "--locale",
            "en,ar",
            "--sizes",
            "1024x600",
            "--catalog",
        ])
        .arg(&boston)
        .arg("--out")
        .arg(&out_dir)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("15 of 118 services; left out: ABNDBIKE"),
        "{stderr}"
    );
    assert!(
        stderr.contains("question-datetime: skipped: the catalogue has no question for the \"question-datetime\" screen"),
        "{stderr}"
    );
    for name in [
        "groups-ar-1024x600.png",
        "services-en-1024x600.png",
        "question-single-en-1024x600.png",
        "question-info-ar-1024x600.png",
        "check-en-1024x600.png",
    ] {
        let img = image::open(out_dir.join(name)).unwrap().to_rgba8();
        assert_eq!((img.width(), img.height()), (1024, 600), "{name}");
    }
    assert!(
        !dir.path().join(guichet::queue::DATABASE_FILE).exists(),
        "the database is never opened"
    );
}

/// Presses and releases a key, as a keyboard, keypad or headset button would.
fn press(k: &Kiosk, key: impl Into<slint::SharedString>) {
    let text: slint::SharedString = key.into();
    let window = k.app.window();
    window.dispatch_event(slint::platform::WindowEvent::KeyPressed { text: text.clone() });
    window.dispatch_event(slint::platform::WindowEvent::KeyReleased { text });
}

/// Presses Tab until the focused control's words contain `words` (at most one lap).
fn focus_on(k: &Kiosk, words: &str) {
    for _ in 0..200 {
        if guichet::flow::speech::plain(&k.api().get_speech_caption()).contains(words) {
            return;
        }
        press(k, slint::platform::Key::Tab);
    }
    panic!(
        "no control saying {words:?} on {:?}; the controls:\n{:#?}",
        k.screen(),
        k.controller.flow().speech_controls()
    );
}

/// The text of every utterance in `events`.
fn lines_of(events: &[guichet::flow::speech::SpeechEvent]) -> Vec<String> {
    events
        .iter()
        .flat_map(|e| match e {
            guichet::flow::speech::SpeechEvent::Say(u) => {
                u.iter().map(|u| u.text.clone()).collect()
            }
            _ => Vec::new(),
        })
        .collect()
}

/// Asserts that each of `expected` is said, in this order (other lines may come between).
fn said_in_order(lines: &[String], expected: &[String]) {
    let mut at = 0;
    for want in expected {
        match lines[at..].iter().position(|l| l.contains(want.as_str())) {
            Some(i) => at += i + 1,
            None => panic!(
                "{want:?} was not said after line {at}; everything said:\n{}",
                lines.join("\n")
            ),
        }
    }
}

/// A resident who cannot see the screen: speech mode started by a long press on the welcome
/// screen (English) or F1 (Arabic), then only Tab / Shift+Tab / Enter and the volume keys, all the
/// way to the spoken receipt. Asserted on the text handed to the speech engine.
fn speech_mode_walks_the_whole_flow_without_sight(dir: &TestDir, locale: &str) {
    use guichet::flow::speech::{SpeechEvent, VOLUME_DEFAULT};
    use slint::platform::Key;

    let k = start_kiosk(dir);
    let speaker = k.record_speech();
    let tr = |id: &str| guichet::flow::speech::plain(&k.tr.text(locale, id));
    let en = |id: &str| k.tr.text("en", id);
    let spoken = |id: &str, label: &str| {
        guichet::flow::speech::plain(&k.tr.format(
            locale,
            id,
            &[("label", guichet::i18n::Arg::from(label))],
        ))
    };
    assert_eq!(k.screen(), "welcome");
    assert!(
        k.visible(&en("speech-welcome-hint")),
        "the welcome screen says how"
    );

    if locale == "en" {
        // A long press anywhere (held 2.5 s, mocked time) starts speech, not the form.
        k.hold_at(300.0, 300.0, 2500);
        assert_eq!(
            k.screen(),
            "welcome",
            "a long press does not start the form"
        );
    } else {
        press(&k, Key::F1);
    }
    assert!(k.api().get_speech_on(), "speech mode is on");
    let mut said = speaker.take_lines();
    said_in_order(
        &said,
        &[
            en("speech-started"),
            en("welcome-touch"),
            en("speech-how-to"),
            format!("{}, button", en("welcome-touch")),
        ],
    );

    // Enter: the language page, each language said in its own voice.
    press(&k, Key::Return);
    assert_eq!(k.screen(), "language");
    focus_on(&k, guichet::i18n::endonym(locale));
    let events = speaker.take();
    said.extend(lines_of(&events));
    let voice = events.iter().rev().find_map(|e| match e {
        SpeechEvent::Say(u) => u.last().map(|u| u.lang.clone()),
        _ => None,
    });
    assert_eq!(voice.as_deref(), Some(locale), "{events:?}");
    press(&k, Key::Return);
    assert_eq!(k.screen(), "groups");
    assert_eq!(k.locale(), locale);

    // Louder, for the rest of this session only.
    press(&k, "+");
    let events = speaker.take();
    said.extend(lines_of(&events));
    assert!(events.contains(&SpeechEvent::Volume(VOLUME_DEFAULT + 1)));

    let bin = k
        .controller
        .flow()
        .catalog()
        .service("MISSEDBIN")
        .unwrap()
        .clone();
    let group = bin.group.clone().unwrap();
    focus_on(&k, &group);
    press(&k, Key::Return);
    focus_on(&k, &bin.service_name);
    press(&k, Key::Return);
    assert_eq!(k.screen(), "question");
    said.extend(speaker.take_lines());
    let choices: Vec<_> = k.api().get_question().choices.iter().collect();
    let title = k.api().get_question().title.to_string();
    said_in_order(
        &said,
        &[
            tr("groups-title"),
            group.clone(),
            title.clone(),
            tr("choose-one"),
            choices[0].label.to_string(),
        ],
    );

    // Continue before choosing: the error is spoken.
    focus_on(&k, &tr("continue"));
    press(&k, Key::Return);
    let lines = speaker.take_lines();
    assert!(
        lines
            .iter()
            .any(|l| l.contains(&guichet::flow::speech::plain(&k.api().get_question().error))),
        "the error is said: {lines:?}"
    );
    // Shift+Tab back to a choice; choosing it says its new state.
    focus_on(&k, &choices[1].label);
    press(&k, Key::Return);
    let lines = speaker.take_lines();
    let selected = guichet::flow::speech::plain(&k.tr.format(
        locale,
        "speech-selected",
        &[
            ("label", guichet::i18n::Arg::from(choices[1].label.as_str())),
            ("position", guichet::i18n::Arg::from(2usize)),
            ("count", guichet::i18n::Arg::from(choices.len())),
        ],
    ));
    assert!(
        lines.contains(&selected),
        "the choice is said selected: {lines:?}"
    );
    press(&k, Key::Backtab);
    press(&k, Key::Tab);
    focus_on(&k, &tr("continue"));
    press(&k, Key::Return);

    // The date: "Today", then Continue.
    said.extend(speaker.take_lines());
    focus_on(&k, &tr("date-today"));
    // The focused control itself carries the focus ring, 6 px round it (WCAG 2.4.7, 2.4.13).
    let rings: Vec<_> =
        ElementHandle::find_by_element_type_name(&k.app, "FocusRingShape").collect();
    assert_eq!(rings.len(), 1, "one focus ring on screen");
    let today = &k.find(&k.tr.text(locale, "date-today"))[0];
    let (ring, button) = (rings[0].absolute_position(), today.absolute_position());
    assert!(
        (ring.x - (button.x - 6.0)).abs() < 1.0 && (ring.y - (button.y - 6.0)).abs() < 1.0,
        "the ring is round the focused button: {ring:?} vs {button:?}"
    );
    assert!((rings[0].size().width - today.size().width - 12.0).abs() < 1.0);
    press(&k, Key::Return);
    focus_on(&k, &tr("continue"));
    press(&k, Key::Return);
    // The description (optional): the keys, then Continue in the action bar.
    said.extend(speaker.take_lines());
    let continue_key = spoken("speech-button", &tr("continue"));
    focus_on(&k, &continue_key);
    press(&k, Key::Return);
    assert_eq!(
        k.api().get_question().title.to_string(),
        k.tr.text(locale, "address-title")
    );

    // The address, typed key by key: on the loudspeaker, what is typed is "hidden".
    said.extend(speaker.take_lines());
    let letter = k.controller.flow().keyboard().1[1][0].clone();
    focus_on(&k, &spoken("speech-key", &letter.accessible));
    press(&k, Key::Return);
    press(&k, Key::Return);
    let lines = speaker.take_lines();
    let hidden = format!("{}: {}", tr("typed-so-far"), tr("speech-hidden"));
    assert!(lines.contains(&hidden), "{lines:?}");
    // Kept for the check below: what was said as the keys were pressed is where a typed
    // letter would leak first.
    said.extend(lines);
    let typed = k.api().get_question().value.to_string();
    assert_eq!(typed.chars().count(), 2);
    focus_on(&k, &continue_key);
    press(&k, Key::Return);

    // Contact: "No, thank you", Continue.
    focus_on(&k, &tr("contact-no"));
    press(&k, Key::Return);
    focus_on(&k, &tr("continue"));
    press(&k, Key::Return);
    assert_eq!(k.screen(), "check");
    said.extend(speaker.take_lines());
    said_in_order(
        &said,
        &[
            tr("date-today"),
            tr("address-title"),
            tr("check-title"),
            format!("{}: {}", tr("address-title"), tr("speech-hidden")),
        ],
    );
    assert!(
        !said.iter().any(|l| l.contains(&typed)),
        "the typed address never reaches the loudspeaker"
    );

    // Send; the confirmation reads the receipt, the reference spelled out.
    focus_on(&k, &tr("check-submit"));
    press(&k, Key::Return);
    k.wait_for_screen("confirmation");
    let reference = k.api().get_reference().to_string();
    let spelled = k.controller.flow().spell_reference(&reference);
    assert!(spelled.starts_with("L I B 7"), "{spelled}");
    // The receipt's date line, as printed, in the displayed language.
    let saved_at = k.controller.flow().session().saved_at.expect("saved at");
    let date_line = guichet::flow::speech::plain(&k.tr.format(
        locale,
        "receipt-date",
        &[("datetime", Arg::from(k.tr.datetime(locale, saved_at)))],
    ));
    said.extend(speaker.take_lines());
    said_in_order(
        &said,
        &[
            tr("confirm-title"),
            spelled.clone(),
            tr("speech-receipt-says"),
            "Test Council".into(),
            "Test Library".into(),
            bin.service_name.clone(),
            date_line,
            spelled.clone(),
            tr("confirm-next-title"),
            tr("receipt-keep"),
            spoken("speech-button", &tr("confirm-finish")),
        ],
    );

    // Finish: the next resident starts with speech off and the volume reset.
    focus_on(&k, &tr("confirm-finish"));
    press(&k, Key::Return);
    assert_eq!(k.screen(), "welcome");
    assert!(!k.api().get_speech_on());
    let events = speaker.take();
    assert!(
        events.contains(&SpeechEvent::Volume(VOLUME_DEFAULT)),
        "{events:?}"
    );
    assert_eq!(k.controller.speech().volume_level(), VOLUME_DEFAULT);

    // The idle warning is spoken too.
    press(&k, Key::F1);
    press(&k, Key::Return);
    speaker.take();
    for _ in 0..125 {
        mock_elapsed_time(Duration::from_secs(1));
    }
    let lines = speaker.take_lines();
    // (a new session: the first language again)
    said_in_order(&lines, &[en("timeout-title"), en("timeout-more")]);
    k.controller.flow_mut().wipe();
    k.controller.refresh();
}

/// A laid-out control: its label, role and rectangle in logical pixels.
struct Target {
    label: String,
    x: f32,
    y: f32,
    w: f32,
    h: f32,
    window_width: f32,
    /// A key of the on-screen keyboard.
    key: bool,
}

fn is_target(role: i_slint_backend_testing::AccessibleRole) -> bool {
    use i_slint_backend_testing::AccessibleRole as R;
    matches!(role, R::Button | R::Checkbox | R::RadioButton)
}

/// The touch targets in view in a `width`×`height` logical window: with a dialog open only
/// the dialog's (the page under it takes no touch); a target scrolled partly out of its
/// scrolling area is left out (it is reached by scrolling). Keys of the on-screen keyboard are
/// marked.
fn targets_in_view(k: &Kiosk, width: f32, height: f32) -> Vec<Target> {
    let rect = |e: &ElementHandle| {
        let (p, s) = (e.absolute_position(), e.size());
        (p.x, p.y, s.width, s.height)
    };
    let keys: Vec<_> = ElementHandle::find_by_element_type_name(&k.app, "KeyButton")
        .map(|e| rect(&e))
        .collect();
    let areas: Vec<_> = ElementHandle::find_by_element_type_name(&k.app, "Scrolling")
        .map(|e| rect(&e))
        .collect();
    let dialog = ["ConfirmOverlay", "TimeoutOverlay"]
        .iter()
        .find_map(|name| ElementHandle::find_by_element_type_name(&k.app, name).next());
    let candidates: Vec<ElementHandle> = match &dialog {
        Some(d) => d
            .query_descendants()
            .match_predicate(|e| e.accessible_role().is_some_and(is_target))
            .find_all(),
        None => k
            .app
            .root_element()
            .query_descendants()
            .match_predicate(|e| e.accessible_role().is_some_and(is_target))
            .find_all(),
    };
    let mut out = Vec::new();
    for e in candidates {
        let (x, y, w, h) = rect(&e);
        // In view, or cut off at a side (reported): what is below the window scrolls
        // (`every_screen_fits_a_small_panel_or_says_there_is_more`).
        let visible =
            w > 0.0 && h > 0.0 && y >= -0.5 && y + h <= height + 0.5 && x < width && x + w > 0.0;
        let clipped = areas.iter().any(|(ax, ay, aw, ah)| {
            x >= ax - 1.0
                && x + w <= ax + aw + 1.0
                && y >= ay - 1.0
                && y < ay + ah
                && y + h > ay + ah + 0.5
        });
        if !visible || clipped {
            continue;
        }
        out.push(Target {
            label: e.accessible_label().unwrap_or_default().to_string(),
            x,
            y,
            w,
            h,
            window_width: width,
            key: keys
                .iter()
                .any(|r| (r.0 - x).abs() < 0.5 && (r.1 - y).abs() < 0.5),
        });
    }
    out
}

/// Every target ≥ `min_mm` (keys of the on-screen keyboard ≥ `key_mm`) on both sides and,
/// when `gap_mm` is given, that far from every other one; with `sides`, none cut off at a side. "More below" floats over the page on
/// purpose and is left out of the gaps.
fn size_problems(
    targets: &[Target],
    min_mm: f32,
    key_mm: f32,
    gap_mm: Option<f32>,
    sides: bool,
) -> Vec<String> {
    let mm = guichet::ui::scale::LOGICAL_PX_PER_MM;
    let mut problems = Vec::new();
    for t in targets {
        if sides && (t.x < -0.5 || t.x + t.w > t.window_width + 0.5) {
            problems.push(format!("{:?} is cut off at the side", t.label));
        }
        let least = if t.key { key_mm } else { min_mm };
        let (w, h) = (t.w / mm, t.h / mm);
        if w < least - 0.05 || h < least - 0.05 {
            problems.push(format!("{:?} is {w:.1}×{h:.1} mm", t.label));
        }
    }
    let Some(gap_mm) = gap_mm else {
        return problems;
    };
    let cue = |t: &Target| t.label == "More below" || t.label == "المزيد في الأسفل";
    for (i, a) in targets.iter().enumerate() {
        for b in &targets[i + 1..] {
            if cue(a) || cue(b) {
                continue;
            }
            let dx = (b.x - (a.x + a.w)).max(a.x - (b.x + b.w));
            let dy = (b.y - (a.y + a.h)).max(a.y - (b.y + b.h));
            if dx < 0.0 && dy < 0.0 {
                continue; // one inside the other (a row and its own button)
            }
            let gap = dx.max(dy) / mm;
            if gap < gap_mm - 0.05 {
                problems.push(format!(
                    "{:?} and {:?} are {gap:.1} mm apart",
                    a.label, b.label
                ));
            }
        }
    }
    problems
}

/// On a real panel size (`ui.screen_width_mm` sets the scale), every touch target in view on
/// every screen is ≥ 15 mm with ≥ 2 mm between targets; primary actions ≥ 20 mm high.
fn every_target_is_15_mm_on_a_real_panel(
    dir: &TestDir,
    px: (u32, u32),
    panel_mm: f32,
    key_mm: f32,
    sides: bool,
) -> Vec<String> {
    let k = start_kiosk(dir);
    k.app
        .window()
        .set_size(slint::PhysicalSize::new(px.0, px.1));
    let factor = guichet::ui::scale::apply(k.app.window(), panel_mm);
    assert!(
        (k.app.window().scale_factor() - factor).abs() < 0.01,
        "scale applied"
    );
    let logical = k.app.window().size().to_logical(factor);
    let root = k.app.root_element().size();
    assert!(
        (root.width - logical.width).abs() < 1.0,
        "the layout follows the scale: {root:?}"
    );
    let mut problems = Vec::new();
    let mut screens = 0;
    for (scene, _) in guichet::ui::scenes::SCENES {
        for locale in ["en", "ar"] {
            k.show_scene(scene, locale);
            let targets = targets_in_view(&k, logical.width, logical.height);
            for p in size_problems(&targets, 15.0, key_mm, Some(2.0), sides) {
                problems.push(format!("{scene} {locale}: {p}"));
            }
            // A question's Continue is in the action bar (beside the keys on a short panel), in
            // view and ≥ 20 mm high, with or without the keyboard up.
            // (Not under a dialog: then only the dialog's buttons take a touch; nor with the
            // menu open, which stands in the page's place.)
            let dialog = k.api().get_confirm() != guichet::ui::generated::ConfirmKind::None
                || k.api().get_timeout_warning()
                || k.api().get_menu_open();
            if k.api().get_screen() == Screen::Question && !dialog {
                let label = k.tr.text(locale, "continue");
                let mm = guichet::ui::scale::LOGICAL_PX_PER_MM;
                if !targets
                    .iter()
                    .any(|t| t.label == label && !t.key && t.h / mm >= 19.95)
                {
                    problems.push(format!("{scene} {locale}: no 20 mm Continue in view"));
                }
            }
            screens += 1;
        }
    }
    assert!(screens > 40);
    k.controller.flow_mut().wipe();
    k.controller.refresh();
    problems
}

/// Every control on every screen tells assistive technology what it is (role), what it is
/// called (label) and, for toggles and fields, its state or value; every touch area belongs to
/// such a control.
fn every_control_has_role_label_and_value(k: &Kiosk) {
    use i_slint_backend_testing::AccessibleRole as R;
    let mut problems = Vec::new();
    let mut controls = 0;
    for (scene, _) in guichet::ui::scenes::SCENES {
        for locale in ["en", "ar"] {
            k.show_scene(scene, locale);
            let mut rects = Vec::new();
            k.app.root_element().visit_descendants(|e| {
                let Some(role) = e.accessible_role() else {
                    return std::ops::ControlFlow::<()>::Continue(());
                };
                let label = e.accessible_label().unwrap_or_default();
                let place = format!("{scene} {locale}: {role:?} {label:?}");
                if matches!(
                    role,
                    R::Button | R::Checkbox | R::RadioButton | R::TextInput
                ) {
                    controls += 1;
                    let (p, s) = (e.absolute_position(), e.size());
                    rects.push((p.x, p.y, s.width, s.height));
                    if label.trim().is_empty() {
                        problems.push(format!("{place}: no label"));
                    }
                }
                if matches!(role, R::Checkbox | R::RadioButton) && e.accessible_checked().is_none()
                {
                    problems.push(format!("{place}: no checked state"));
                }
                if role == R::TextInput && e.accessible_value().is_none() {
                    problems.push(format!("{place}: no value"));
                }
                std::ops::ControlFlow::Continue(())
            });
            let window = k
                .app
                .window()
                .size()
                .to_logical(k.app.window().scale_factor());
            for touch in ElementHandle::find_by_element_type_name(&k.app, "TouchArea") {
                let (p, s) = (touch.absolute_position(), touch.size());
                // A dialog's full-window touch area only keeps touches off the page below.
                let blocker = s.width >= window.width - 1.0 && s.height >= window.height - 1.0;
                if s.width <= 0.0 || s.height <= 0.0 || blocker {
                    continue;
                }
                let covered = rects.iter().any(|(x, y, w, h)| {
                    p.x >= x - 1.0
                        && p.y >= y - 1.0
                        && p.x + s.width <= x + w + 1.0
                        && p.y + s.height <= y + h + 1.0
                });
                if !covered {
                    problems.push(format!(
                        "{scene} {locale}: a touch area at {:.0},{:.0} ({:.0}×{:.0}) belongs to no accessible control",
                        p.x, p.y, s.width, s.height
                    ));
                }
            }
        }
    }
    assert!(controls > 300, "{controls} controls");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    k.controller.flow_mut().wipe();
    k.controller.refresh();
}

/// `guichet utterances` prints what speech mode says on a screen, one utterance a line: the
/// confirmation in Arabic reads the receipt with the reference spelled out, and the address a
/// resident typed is "hidden" on the loudspeaker but read back with `--headset`. With espeak-ng
/// installed, `--wav` records it as speech (not silence), at the volume step `--step` asks.
#[test]
fn utterances_prints_what_speech_mode_says() {
    let dir = TestDir::new("utterances");
    let run = |args: &[&str]| {
        let out = common::command(&dir)
            .arg("utterances")
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let tr = Translations::load().unwrap();
    let confirmation = run(&["--screen", "confirmation", "--locale", "ar"]);
    let lines: Vec<&str> = confirmation.lines().collect();
    assert_eq!(
        lines[0],
        guichet::flow::speech::plain(&tr.text("ar", "confirm-title"))
    );
    let dash = tr.text("ar", "speech-dash");
    let spelled = lines
        .iter()
        .filter(|l| l.contains(&format!(", {dash}, ")))
        .count();
    assert_eq!(
        spelled, 2,
        "the reference is said twice, spelled: {confirmation}"
    );
    assert!(
        lines.contains(&tr.text("ar", "receipt-keep").as_str()),
        "{confirmation}"
    );
    assert!(
        !confirmation.contains('\u{2068}'),
        "no direction marks reach the voice"
    );

    let hidden = run(&["--screen", "check", "--locale", "en"]);
    assert!(hidden.contains("Where is it?: hidden"), "{hidden}");
    assert!(!hidden.contains("12 Station Road"), "{hidden}");
    let headset = run(&["--screen", "check", "--locale", "en", "--headset"]);
    assert!(
        headset.contains("Where is it?: 12 Station Road"),
        "{headset}"
    );

    // The menu (the tools at the largest size on a 7" panel) is said as the screen shows it:
    // its name, then its first tool, not the question under it.
    let menu = run(&["--screen", "menu", "--locale", "en"]);
    let menu_lines: Vec<&str> = menu.lines().collect();
    assert_eq!(
        menu_lines.first(),
        Some(&tr.text("en", "tool-menu").as_str()),
        "{menu}"
    );
    assert_eq!(menu_lines.len(), 2, "the name and the first tool: {menu}");
    assert!(
        menu_lines[1].contains(&tr.text("en", "tool-start-over")),
        "{menu}"
    );
    let question = run(&["--screen", "question-single", "--locale", "en"]);
    let title = question
        .lines()
        .find(|l| l.ends_with('?'))
        .unwrap_or_default();
    assert!(!title.is_empty() && !menu.contains(title), "{menu}");

    let bad = common::command(&dir)
        .args(["utterances", "--screen", "nope"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(1));

    let espeak = std::process::Command::new("espeak-ng")
        .arg("--version")
        .output();
    if espeak.is_ok_and(|o| o.status.success()) {
        let wav = dir.path().join("confirmation.wav");
        run(&[
            "--screen",
            "confirmation",
            "--locale",
            "en",
            "--wav",
            wav.to_str().unwrap(),
        ]);
        let bytes = std::fs::read(&wav).unwrap();
        assert_eq!(&bytes[..4], b"RIFF");
        // 16-bit mono samples after the 44-byte header: at least 20 s, and speech in a good
        // share of 20 ms windows: within 30 dB of the loudest (a level that follows the volume
        // step), which itself is well above silence.
        let samples: Vec<i16> = bytes[44..]
            .chunks_exact(2)
            .map(|b| i16::from_le_bytes([b[0], b[1]]))
            .collect();
        assert!(samples.len() > 22_050 * 20, "{} samples", samples.len());
        let windows: Vec<f64> = samples
            .chunks(441)
            .map(|w| (w.iter().map(|&s| f64::from(s).powi(2)).sum::<f64>() / w.len() as f64).sqrt())
            .collect();
        let loudest = windows.iter().copied().fold(0.0, f64::max);
        assert!(loudest > 1000.0, "the loudest 20 ms: {loudest:.0}");
        let voiced = windows.iter().filter(|&&rms| rms > loudest / 31.6).count() as f64
            / windows.len() as f64;
        assert!(voiced > 0.5, "voiced share {voiced:.2}");
        // At the quietest and the loudest volume step (what a technician plays to set the
        // mixer): 18 dB or more apart, the loudest under full scale.
        let at = |step: &str| {
            let wav = dir.path().join(format!("step{step}.wav"));
            run(&[
                "--screen",
                "confirmation",
                "--locale",
                "es",
                "--wav",
                wav.to_str().unwrap(),
                "--step",
                step,
            ]);
            guichet::runtime::speech::loudness(&std::fs::read(&wav).unwrap()).unwrap()
        };
        let (quiet, loud) = (at("1"), at("5"));
        assert!(
            loud.active_rms_dbfs - quiet.active_rms_dbfs >= 18.0 && loud.peak_dbfs < -0.5,
            "{quiet:?} {loud:?}"
        );
        let refused = common::command(&dir)
            .args([
                "utterances",
                "--screen",
                "confirmation",
                "--step",
                "6",
                "--wav",
            ])
            .arg(dir.path().join("six.wav"))
            .output()
            .unwrap();
        assert_eq!(refused.status.code(), Some(2), "a step past the last");
    } else {
        eprintln!("espeak-ng not installed: the WAV recording is not checked");
    }
}

/// The "out of order" screen systemd shows once the kiosk's start limit tripped: rendered
/// without a display, in each of the kiosk's languages with the help contact; without a display
/// and without `--screenshot` it says so in one line; a configuration that does not load still
/// gives the screen (the demo's languages).
#[test]
fn the_out_of_order_screen_renders_in_the_kiosks_languages() {
    let dir = TestDir::new("out-of-order");
    let config = dir.path().join("kiosk.toml");
    std::fs::write(
        &config,
        "[device]\ncode = \"LIB2\"\nhelp_contact = \"0800 555 0100\"\n[ui]\nlanguages = [\"en\", \"ar\", \"fr\", \"es\", \"uk\", \"pl\"]\n",
    )
    .unwrap();
    let png = dir.path().join("out-of-order.png");
    let out = common::command(&dir)
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .arg("--config")
        .arg(&config)
        .args([
            "out-of-order",
            "--width",
            "1024",
            "--height",
            "600",
            "--screenshot",
        ])
        .arg(&png)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let img = image::open(&png).unwrap().to_rgba8();
    assert_eq!((img.width(), img.height()), (1024, 600));
    // A dark screen with light text on it, in the middle band, nothing at the very edges.
    let light = |p: &image::Rgba<u8>| p.0[0] > 200 && p.0[1] > 200;
    let lit = img.pixels().filter(|p| light(p)).count();
    let total = (img.width() * img.height()) as usize;
    assert!(lit > 2_000 && lit < total / 4, "{lit} light pixels");
    let lit_row = |y: u32| (0..img.width()).any(|x| light(img.get_pixel(x, y)));
    let rows: Vec<bool> = (0..img.height()).map(lit_row).collect();
    assert!(
        !rows[..5].contains(&true) && !rows[rows.len() - 5..].contains(&true),
        "a dark margin above and below: nothing cut off"
    );
    // Every line is there: 6 languages × 2 lines and the contact, each a band of text.
    let bands = rows.windows(2).filter(|w| !w[0] && w[1]).count();
    assert!(bands >= 13, "{bands} lines of text");

    let tr = Translations::load().unwrap();
    let cfg = guichet::config::Config::load_file(&config).unwrap();
    let lines = guichet::ui::out_of_order::lines(&cfg, &tr);
    let texts: Vec<&str> = lines.iter().map(|(t, _, _)| t.as_str()).collect();
    assert_eq!(texts[0], tr.text("en", "out-of-order"));
    assert_eq!(texts[1], tr.text("en", "out-of-order-ask"));
    assert_eq!(texts[2], tr.text("ar", "out-of-order"));
    assert!(lines[2].1, "Arabic is right to left");
    assert!(texts[12].contains("0800 555 0100"), "{texts:?}");

    let no_display = common::command(&dir)
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .arg("out-of-order")
        .output()
        .unwrap();
    assert_eq!(no_display.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&no_display.stderr)
            .trim()
            .lines()
            .count(),
        1
    );

    std::fs::write(&config, "[device]\ncode = \"lowercase is refused\"\n").unwrap();
    let broken = common::command(&dir)
        .arg("--config")
        .arg(&config)
        .args(["out-of-order", "--screenshot"])
        .arg(&png)
        .output()
        .unwrap();
    assert!(
        broken.status.success(),
        "{}",
        String::from_utf8_lossy(&broken.stderr)
    );
}

/// Screen blanking through the touchscreen: after `ui.blank_after_s` idle on the welcome screen
/// everything is black; the first touch (wherever it lands) only wakes the screen, the next one
/// is a tap again. Never during a session.
fn the_screen_blanks_on_the_welcome_screen_and_the_waking_touch_only_wakes(dir: &TestDir) {
    let tr = Arc::new(Translations::load().unwrap());
    let mut store = Store::open(dir.path()).unwrap();
    store.ensure_demo_catalog().unwrap();
    let languages = vec!["en".to_string(), "ar".to_string()];
    let catalogs = guichet::runtime::load_catalogs(&store, &languages).unwrap();
    drop(store);
    let flow = Flow::new(
        FlowSettings {
            languages,
            idle_timeout_s: 120,
            blank_after_s: 60,
            ..FlowSettings::default()
        },
        catalogs,
        tr.clone(),
    );
    let k = show_kiosk(dir, flow, tr, 1280.0, 4000.0);
    let wake = k.tr.text("en", "screen-wake");
    for _ in 0..59 {
        mock_elapsed_time(Duration::from_secs(1));
    }
    assert!(!k.api().get_blanked());
    mock_elapsed_time(Duration::from_secs(1));
    assert!(k.api().get_blanked(), "60 s idle on the welcome screen");
    assert!(k.visible(&wake));
    // The waking touch: the screen comes back on the welcome screen, nothing was tapped.
    k.tap(&wake);
    assert!(!k.api().get_blanked());
    assert_eq!(k.screen(), "welcome");
    assert!(!k.visible(&wake));
    // The greeting cycles through the kiosk's languages: touch it in whichever it shows now.
    let start = ["en", "ar"]
        .map(|l| k.tr.text(l, "welcome-touch"))
        .into_iter()
        .find(|label| k.visible(label))
        .expect("touch to start, in some language");
    k.tap(&start);
    assert_eq!(k.screen(), "language", "the next touch is a tap again");
    // A resident reading for longer than that is never blanked.
    for _ in 0..90 {
        mock_elapsed_time(Duration::from_secs(1));
    }
    assert!(!k.api().get_blanked());

    // Blanked again: a speech key wakes the screen first. Tab only wakes it (as a touch
    // does); F1 wakes it and starts speech on a screen that shows what is said.
    let blank = || {
        k.controller.flow_mut().wipe();
        k.controller.refresh();
        for _ in 0..60 {
            mock_elapsed_time(Duration::from_secs(1));
        }
        assert!(k.api().get_blanked());
    };
    blank();
    press(&k, slint::platform::Key::Tab);
    assert!(!k.api().get_blanked(), "Tab wakes the screen");
    assert!(!k.api().get_speech_on());
    blank();
    press(&k, slint::platform::Key::F1);
    assert!(!k.api().get_blanked(), "F1 wakes the screen first");
    assert!(k.api().get_speech_on(), "then starts speech");
    press(&k, slint::platform::Key::F1);
    assert!(!k.api().get_speech_on());

    // The staff corner: held 2.5 s and let go before the staff threshold (3 s), it is speech
    // mode's long press; held 3.5 s, it is the staff gesture and speech stays off.
    let hold_corner = |millis: u64| k.hold_at(8.0, 8.0, millis);
    hold_corner(2500);
    assert_eq!(k.screen(), "welcome", "not the form, not the PIN pad");
    assert!(
        k.api().get_speech_on(),
        "a 2.5 s hold in the corner starts speech"
    );
    press(&k, slint::platform::Key::F1);
    assert!(!k.api().get_speech_on());
    hold_corner(3500);
    assert_eq!(k.screen(), "staff-pin", "a 3.5 s hold is the staff gesture");
    assert!(!k.api().get_speech_on(), "and does not start speech");
    // A short tap in the corner starts like anywhere else.
    k.controller.flow_mut().wipe();
    k.controller.refresh();
    hold_corner(200);
    assert_eq!(k.screen(), "language");
}

/// Speech mode's three touch zones (`SpeechLayer`): a tap in the bottom third says the next
/// control, in the top third the previous one, in the middle it activates the focused one; a
/// tap counts whether short or long (1.5 s here); a 2.5 s hold ends speech mode and activates
/// nothing. Where the finger lands on the screen does not matter beyond its third.
fn speech_mode_is_worked_by_three_touch_zones(dir: &TestDir) {
    let k = start_kiosk(dir);
    k.controller.flow_mut().wipe();
    k.controller.refresh();
    press(&k, slint::platform::Key::F1);
    assert!(k.api().get_speech_on(), "F1 starts speech mode");
    let window = k.app.window();
    let size = window.size().to_logical(window.scale_factor());
    let touch = |third: f32, x: f32, millis: u64| {
        k.hold_at(size.width * x, size.height * third, millis);
        k.api().get_speech_caption().to_string()
    };
    let (top, middle, bottom) = (1.0 / 6.0, 0.5, 5.0 / 6.0);
    // The welcome screen's focus starts on "Touch the screen to start": the middle starts.
    touch(middle, 0.5, 0);
    assert_eq!(
        k.screen(),
        "language",
        "the middle activates the focused control"
    );
    assert!(
        k.api().get_speech_on(),
        "speech mode goes on to the next screen"
    );
    let first = k.api().get_speech_caption().to_string();
    let second = touch(bottom, 0.2, 0);
    assert_ne!(second, first, "the bottom third says the next control");
    let third = touch(bottom, 0.9, 1500);
    assert_ne!(third, second, "a long tap (1.5 s) is a tap");
    assert_ne!(third, first);
    assert_eq!(
        touch(top, 0.1, 0),
        second,
        "the top third says the previous one"
    );
    assert_eq!(k.screen(), "language", "moving the focus activates nothing");
    assert!(k.api().get_speech_on());
    touch(middle, 0.5, 2500);
    assert!(!k.api().get_speech_on(), "a 2 s hold ends speech mode");
    assert_eq!(k.screen(), "language", "and activates nothing");
    assert_eq!(k.api().get_speech_caption(), "", "nor leaves a caption");
}
