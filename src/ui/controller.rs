//! Wires the `Api` global of `ui/api.slint` to the resident [`Flow`]: every callback becomes a
//! flow method, then [`Controller::refresh`] copies the flow's views into Slint properties.
//! Database work never runs here: saves go to the [`Backend`] (the kiosk's store worker) and come
//! back as [`UiEvent`]s, drained by a timer on the UI thread.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::mpsc::Receiver;
use std::time::Duration;

use slint::{ComponentHandle, Model, ModelRc, SharedString, VecModel};

use super::backend::{Backend, UiEvent};
use super::generated::{self as g, Api, AppWindow, Theme};
use super::qr;
use super::speech::{NavKey, Silent, SpeechDriver};
use crate::flow::keyboard::Key;
use crate::flow::keyboard::KeyboardKind;
use crate::flow::speech::{Activated, Speaker, SpeechSettings};
use crate::flow::{
    ChoiceView, Confirm, DeskMode, Flow, PrintState, QuestionKind, Screen, StaffRow, TileView,
    Tool, ToolView, Toolbar,
};

/// Facts the UI shows that come from the configuration.
#[derive(Debug, Clone, Default)]
pub struct KioskFacts {
    /// Council name.
    pub council: String,
    /// Contact for residents.
    pub help_contact: String,
    /// Status URL template with `{reference}`, for the QR code.
    pub status_url: Option<String>,
}

impl KioskFacts {
    /// The facts of a configuration.
    pub fn from_config(config: &crate::config::Config) -> KioskFacts {
        KioskFacts {
            council: config.device.council.clone(),
            help_contact: config.device.help_contact.clone(),
            status_url: config.central.status_url.clone(),
        }
    }
}

/// The UI controller (lives on the UI thread).
pub struct Controller {
    flow: RefCell<Flow>,
    window: slint::Weak<AppWindow>,
    worker: Box<dyn Backend>,
    events: Receiver<UiEvent>,
    facts: KioskFacts,
    timers: RefCell<Vec<slint::Timer>>,
    /// Speech mode and keyboard navigation (`ui/speech.rs`).
    speech: RefCell<SpeechDriver>,
    /// Buttons (tools, keys, the action bar's) whose widest word is cut (`ui/cut_words.rs`).
    cut_words: RefCell<super::cut_words::CutWords>,
    /// Labels set under the least size of the text size shown (`Api.word-small`): the same
    /// record, never warned of (a small panel shrinks some at the largest size by design;
    /// ACCESSIBILITY.md 5.1.4 says which).
    small_words: RefCell<super::cut_words::CutWords>,
    /// What each list on screen was last built from (see [`Built`]).
    built: Built,
}

/// What each list the UI shows (a model: keys, tools, tiles, rows) was last built from. A model
/// set anew makes its repeater build every element again: on "Check a request" every key typed
/// rebuilt the pad's keys and the top bar's tools, laid them out and measured their words again,
/// 40 ms a key in a release build, so a scanner's 42 keys took 2.4 s to show (`guichet bench
/// keys`, BENCHMARKS.md). `refresh` builds a list only when what it is built from has changed.
#[derive(Default)]
struct Built(RefCell<std::collections::HashMap<&'static str, Box<dyn std::any::Any>>>);

impl Built {
    /// `source` when it differs from what `list` was last built from (kept for the next
    /// time), `None` when the list on screen already shows it.
    fn changed<T: PartialEq + Clone + 'static>(&self, list: &'static str, source: T) -> Option<T> {
        let mut built = self.0.borrow_mut();
        if built.get(list).and_then(|b| b.downcast_ref::<T>()) == Some(&source) {
            return None;
        }
        built.insert(list, Box::new(source.clone()));
        Some(source)
    }
}

fn model<T: Clone + 'static>(items: Vec<T>) -> ModelRc<T> {
    ModelRc::new(VecModel::from(items))
}

fn s(text: impl AsRef<str>) -> SharedString {
    SharedString::from(text.as_ref())
}

impl Controller {
    /// Installs the controller on a window: callbacks, timers, first refresh.
    pub fn install(
        app: &AppWindow,
        flow: Flow,
        worker: Box<dyn Backend>,
        events: Receiver<UiEvent>,
        facts: KioskFacts,
    ) -> Rc<Controller> {
        let controller = Rc::new(Controller {
            flow: RefCell::new(flow),
            window: app.as_weak(),
            worker,
            events,
            facts,
            timers: RefCell::new(Vec::new()),
            speech: RefCell::new(SpeechDriver::new(
                Box::new(Silent),
                SpeechSettings::default(),
            )),
            cut_words: RefCell::default(),
            small_words: RefCell::default(),
            built: Built::default(),
        });
        controller.connect(app);
        controller.start_timers();
        controller.refresh();
        controller
    }

    /// Runs `f` on the flow, hands what staff asked for to the backend, then refreshes the UI;
    /// what `f` returned.
    fn with_flow<R>(&self, f: impl FnOnce(&mut Flow) -> R) -> R {
        self.worker.touched();
        let out = f(&mut self.flow.borrow_mut());
        self.send_staff_requests();
        self.refresh();
        out
    }

    /// Hands the flow's staff requests (PIN, look-ups, actions, the end of a staff session) to
    /// the backend.
    fn send_staff_requests(&self) {
        let requests = self.flow.borrow_mut().take_requests();
        for request in requests {
            self.worker.staff(request);
        }
    }

    fn connect(self: &Rc<Self>, app: &AppWindow) {
        let api = app.global::<Api>();
        let tr_flow = Rc::downgrade(self);
        api.on_t(move |id, locale| {
            tr_flow
                .upgrade()
                .map(|c| s(c.flow.borrow().translations().text(&locale, &id)))
                .unwrap_or_default()
        });
        api.on_words(|text| s(words_one_a_line(&text)));
        macro_rules! on {
            ($setter:ident, |$c:ident $(, $arg:ident : $ty:ty)*| $body:expr) => {{
                let weak = Rc::downgrade(self);
                api.$setter(move |$($arg: $ty),*| {
                    if let Some($c) = weak.upgrade() {
                        $body;
                    }
                });
            }};
        }
        on!(on_start, |c| c.with_flow(|f| f.start()));
        on!(on_choose_language, |c, l: SharedString| c
            .with_flow(|f| f.choose_language(&l)));
        on!(on_choose_tile, |c, k: SharedString| c
            .with_flow(|f| f.choose_tile(&k)));
        on!(on_key, |c, k: SharedString| c.with_flow(|f| f.key(&k)));
        on!(on_set_value, |c, v: SharedString| c
            .with_flow(|f| f.set_value(&v)));
        on!(on_toggle_choice, |c, k: SharedString| c
            .with_flow(|f| f.toggle_choice(&k)));
        on!(on_date_adjust, |c, p: SharedString, d: i32| c
            .with_flow(|f| f.date_adjust(&p, d as i64)));
        on!(on_date_quick, |c, w: SharedString| c
            .with_flow(|f| f.date_quick(&w)));
        on!(on_next, |c| c.with_flow(|f| f.next()));
        on!(on_change, |c, step: i32| c
            .with_flow(|f| f.change(step.max(0) as usize)));
        on!(on_submit, |c| c.submit());
        on!(on_finish, |c| c.with_flow(|f| f.finish()));
        on!(on_more_time, |c| c.with_flow(|f| f.more_time()));
        on!(on_wake, |c| c.with_flow(|f| f.wake()));
        on!(on_delete_answers, |c| c.with_flow(|f| f.delete_answers()));
        on!(on_confirm_answer, |c, yes: bool| c
            .with_flow(|f| f.confirm(yes)));
        on!(on_tool, |c, tool: g::Tool| c.tool(tool));
        on!(on_word_cut, |c, title: SharedString, cut: bool| c
            .cut_words
            .borrow_mut()
            .report(&title, cut));
        on!(on_word_small, |c, title: SharedString, small: bool| c
            .small_words
            .borrow_mut()
            .report(&title, small));
        on!(on_open_search, |c| c.with_flow(|f| f.open_search()));
        on!(on_open_keys, |c| c.with_flow(|f| f.open_keys()));
        on!(on_close_search, |c| c.with_flow(|f| f.close_search()));
        on!(on_speech_toggle, |c| c.speech_toggle());
        on!(on_speech_hold, |c| c.speech_hold());
        on!(on_speech_zone, |c, zone: i32| c.speech_zone(zone));
        let weak = Rc::downgrade(self);
        api.on_nav_key(move |text, shift, typing| {
            weak.upgrade()
                .is_some_and(|c| c.nav_key(&text, shift, typing))
        });
        on!(on_staff_gesture, |c| c.with_flow(|f| f.staff_gesture()));
        on!(on_pin_key, |c, k: SharedString| c
            .with_flow(|f| f.pin_key(&k)));
        on!(on_staff_lookup, |c| c.with_flow(|f| f.staff_lookup()));
        on!(on_staff_reprint, |c| c.with_flow(|f| f.staff_reprint()));
        on!(on_staff_send_now, |c| c.with_flow(|f| f.staff_send_now()));
        on!(on_staff_open_lists, |c| c
            .with_flow(|f| f.staff_open_lists()));
        on!(on_staff_home, |c| c.with_flow(|f| f.staff_home()));
        on!(on_staff_resolve, |c, r: SharedString| c
            .with_flow(|f| f.staff_resolve(&r)));
        on!(on_staff_refile, |c, r: SharedString| c
            .with_flow(|f| f.staff_refile(&r)));
        on!(on_staff_refile_to, |c, code: SharedString| c
            .with_flow(|f| f.staff_refile_to(&code)));
        on!(on_staff_mark_sent, |c, r: SharedString| c
            .with_flow(|f| f.staff_mark_sent(&r)));
        on!(on_staff_sent_save, |c| c.with_flow(|f| f.staff_sent_save()));
        on!(on_staff_cancel, |c, r: SharedString| c
            .with_flow(|f| f.staff_cancel(&r)));
        on!(on_staff_help_done, |c, id: i32| c
            .with_flow(|f| f.staff_help_done(i64::from(id))));
        on!(on_staff_help_visitor, |c| c
            .with_flow(|f| f.staff_help_visitor()));
        on!(on_staff_practice, |c| c.with_flow(|f| f.staff_practice()));
        on!(on_staff_lock, |c| c.with_flow(|f| f.staff_lock()));
        on!(on_staff_end_visit, |c| c.with_flow(|f| f.staff_end_visit()));
        on!(on_open_check_request, |c| c
            .with_flow(|f| f.open_check_request()));
        on!(on_lookup_key, |c, k: SharedString| c
            .with_flow(|f| f.lookup_key(&k)));
        on!(on_lookup_check, |c| c.with_flow(|f| f.lookup_check()));
        let weak = Rc::downgrade(self);
        api.on_reference_key(move |key| {
            weak.upgrade()
                .is_some_and(|c| c.with_flow(|f| f.reference_key(&key)))
        });
    }

    /// Installs the speech engine and its settings (the kiosk: espeak-ng; tests: a recorder).
    pub fn set_speech(&self, speaker: Box<dyn Speaker>, settings: SpeechSettings) {
        *self.speech.borrow_mut() = SpeechDriver::new(speaker, settings);
        self.refresh();
    }

    /// Speech mode on or off (long press, F1).
    pub fn speech_toggle(&self) {
        {
            let flow = self.flow.borrow();
            self.speech.borrow_mut().toggle(&flow);
        }
        self.refresh();
    }

    /// Speech mode's 2 s hold: speech mode off by touch, with the focus ring and caption.
    pub fn speech_hold(&self) {
        {
            let flow = self.flow.borrow();
            self.speech.borrow_mut().end_by_touch(&flow);
        }
        self.refresh();
    }

    /// A touch in speech mode: 0 the top third (previous), 1 the middle (activate), 2 the
    /// bottom third (next).
    pub fn speech_zone(&self, zone: i32) {
        self.flow.borrow_mut().touched();
        match zone {
            0 => self.nav(NavKey::Previous),
            1 => self.nav(NavKey::Activate),
            _ => self.nav(NavKey::Next),
        }
    }

    /// A key from a keyboard or keypad; true when it was used for navigation or speech.
    /// `typing`: it was typed into a text field that has the focus (its characters are its own).
    pub fn nav_key(&self, text: &str, shift: bool, typing: bool) -> bool {
        let rtl = self.flow.borrow().rtl();
        let speech_on = self.speech.borrow().on;
        match NavKey::from_key(text, shift, rtl, speech_on, typing) {
            Some(key) => {
                // A blanked screen wakes first: F1 then starts speech on a screen that shows
                // what is said; any other speech key only wakes it, as a touch does.
                let blanked = self.flow.borrow().blanked();
                if blanked {
                    self.flow.borrow_mut().wake();
                    if key != NavKey::Toggle {
                        self.refresh();
                        return true;
                    }
                }
                self.flow.borrow_mut().touched();
                self.nav(key);
                true
            }
            None => false,
        }
    }

    fn nav(&self, key: NavKey) {
        match key {
            NavKey::Toggle => return self.speech_toggle(),
            NavKey::Activate => return self.activate_focused(),
            _ => {}
        }
        {
            let flow = self.flow.borrow();
            let mut speech = self.speech.borrow_mut();
            match key {
                NavKey::Next => speech.step(&flow, 1),
                NavKey::Previous => speech.step(&flow, -1),
                NavKey::Repeat => speech.repeat(&flow),
                NavKey::Stop => speech.stop(),
                NavKey::Louder => speech.volume(&flow, true),
                NavKey::Quieter => speech.volume(&flow, false),
                NavKey::Toggle | NavKey::Activate => {}
            }
        }
        self.refresh();
    }

    /// Does what a touch on the focused control does.
    fn activate_focused(&self) {
        let control = {
            let flow = self.flow.borrow();
            self.speech.borrow_mut().focused(&flow)
        };
        let Some(control) = control else {
            return;
        };
        let activated = self.flow.borrow_mut().speech_activate(&control);
        match activated {
            Activated::Done => {
                // What a touch would have asked of the kiosk (a PIN check, a look-up).
                self.send_staff_requests();
                self.refresh()
            }
            Activated::Submit => self.submit(),
            Activated::Tool(tool) => self.run_tool(tool),
        }
    }

    /// The speech state (tests: focus, volume).
    pub fn speech(&self) -> std::cell::Ref<'_, SpeechDriver> {
        self.speech.borrow()
    }

    fn tool(&self, tool: g::Tool) {
        let tool = match tool {
            g::Tool::Back => Tool::Back,
            g::Tool::StartOver => Tool::StartOver,
            g::Tool::Language => Tool::Language,
            g::Tool::TextSize => Tool::TextSize,
            g::Tool::Contrast => Tool::Contrast,
            g::Tool::Help => Tool::Help,
            g::Tool::Lock => Tool::Lock,
            g::Tool::Display => Tool::Display,
            g::Tool::Menu => Tool::Menu,
            g::Tool::EndVisit => Tool::EndVisit,
        };
        self.run_tool(tool);
    }

    fn run_tool(&self, tool: Tool) {
        let mut raise_help = false;
        self.with_flow(|f| raise_help = f.tool(tool));
        if raise_help {
            let locale = self.flow.borrow().locale().to_string();
            self.worker.request_help_in(&locale);
        }
    }

    fn submit(&self) {
        self.worker.touched();
        let (form, marks) = {
            let mut flow = self.flow.borrow_mut();
            (flow.submit(), flow.save_marks())
        };
        if let Some(form) = form {
            // Helped or practising: saved with the staff name (and the practice flag), after
            // the visitor's own Send on the consent screen.
            match marks.assisted_by {
                Some(staff) => self.worker.save_assisted(
                    form,
                    super::backend::Assist {
                        staff,
                        practice: marks.practice,
                    },
                ),
                None => self.worker.save(form),
            }
        }
        self.refresh();
    }

    fn start_timers(self: &Rc<Self>) {
        let tick = slint::Timer::default();
        let weak = Rc::downgrade(self);
        tick.start(
            slint::TimerMode::Repeated,
            Duration::from_secs(1),
            move || {
                if let Some(c) = weak.upgrade() {
                    let changed = c.flow.borrow_mut().tick();
                    if changed {
                        c.refresh();
                    }
                    for line in c.cut_words.borrow_mut().tick() {
                        tracing::warn!("{line}");
                    }
                }
            },
        );
        let poll = slint::Timer::default();
        let weak = Rc::downgrade(self);
        poll.start(
            slint::TimerMode::Repeated,
            Duration::from_millis(100),
            move || {
                if let Some(c) = weak.upgrade() {
                    c.drain_events();
                }
            },
        );
        self.timers.borrow_mut().extend([tick, poll]);
    }

    /// Applies everything background workers reported.
    pub fn drain_events(&self) {
        let mut changed = false;
        while let Ok(event) = self.events.try_recv() {
            changed = true;
            match event {
                UiEvent::Saved(outcome) => self.flow.borrow_mut().saved(outcome),
                UiEvent::Printed { reference, ok } => {
                    self.flow.borrow_mut().printed(&reference, ok)
                }
                UiEvent::Online(online) => self.flow.borrow_mut().set_online(online),
                UiEvent::Catalogs(catalogs) => self.flow.borrow_mut().set_catalogs(catalogs),
                UiEvent::Staff(reply) => self.flow.borrow_mut().staff_reply(reply),
                UiEvent::HelpAnswer { delivered } => {
                    self.flow.borrow_mut().help_answered(delivered)
                }
            }
        }
        if changed {
            self.send_staff_requests();
            self.refresh();
        }
    }

    /// The window's logical width, for choosing the number of tile columns.
    fn columns(&self, app: &AppWindow) -> usize {
        let size = app.window().size().to_logical(app.window().scale_factor());
        match size.width {
            w if w >= 1400.0 => 3,
            w if w >= 700.0 => 2,
            _ => 1,
        }
    }

    /// Hands the sessions that ended to the backend (statistics). Called from every refresh,
    /// which follows every change, so the flow also sees each screen reached.
    fn report_ended_sessions(&self) {
        let ended = self.flow.borrow_mut().take_ended_sessions();
        for summary in ended {
            self.worker.session_ended(summary);
        }
    }

    /// Copies the flow's state into the UI.
    pub fn refresh(&self) {
        self.report_ended_sessions();
        let Some(app) = self.window.upgrade() else {
            return;
        };
        // Keys keep 15 mm on a small panel: the keyboard is as wide as the window.
        let size = app.window().size().to_logical(app.window().scale_factor());
        let mm = super::scale::LOGICAL_PX_PER_MM;
        self.flow
            .borrow_mut()
            .set_window_mm(size.width / mm, size.height / mm);
        let flow = self.flow.borrow();
        let session = flow.session();
        let api = app.global::<Api>();
        let theme = app.global::<Theme>();
        let rtl = flow.rtl();
        theme.set_rtl(rtl);
        theme.set_high_contrast(session.high_contrast);
        theme.set_text_scale(flow.text_scale());
        api.set_locale(s(flow.locale()));
        api.set_screen(screen(session.screen));
        api.set_council(s(&self.facts.council));
        let (greeting, greeting_rtl) = flow.greeting();
        api.set_greeting(s(greeting));
        api.set_greeting_rtl(greeting_rtl);
        api.set_welcome_purpose(s(flow.welcome_purpose()));
        api.set_timescale(s(flow.timescale()));
        api.set_confirm(match flow.confirmation() {
            None => g::ConfirmKind::None,
            Some(Confirm::StartOver) => g::ConfirmKind::StartOver,
            Some(Confirm::DeleteAnswers) => g::ConfirmKind::DeleteAnswers,
            Some(Confirm::CancelRequest) => g::ConfirmKind::CancelRequest,
        });
        api.set_can_go_back(flow.can_go_back());
        api.set_help_requested(session.help_requested);
        api.set_help_message(s(flow.help_message_id().unwrap_or("help-calling")));
        api.set_text_size_step(session.text_size_step as i32);
        api.set_typing_beside(flow.typing_beside());
        api.set_keys_hidden(flow.keys_hidden());
        api.set_keys_apart(flow.keys_apart());
        // Typing on a small panel upright: Back sits beside Continue under the keys, as it does
        // in the column beside them in landscape, so Start again and Ask for help make one
        // row of the bar in every language (with Back, French "Recommencer" and Ukrainian
        // "Попросити" took a second row, and the question's title had no line left).
        let typing_under = flow.typing_under();
        // With the tools in a menu the bar is Back and Menu: Back stays there (beside Continue
        // under the keys its words had no room at the largest size).
        let back_under = typing_under && !flow.tools_in_menu();
        api.set_typing_under(typing_under);
        api.set_side_bar(flow.side_bar());
        api.set_tools_in_menu(flow.tools_in_menu());
        let bar = (flow.toolbar(), rtl, back_under, flow.small_panel());
        if let Some((toolbar, rtl, typing_under, small_panel)) = self.built.changed("toolbar", bar)
        {
            set_toolbars(&api, toolbar, rtl, typing_under, small_panel);
        }

        api.set_page_title(s(flow.page_title()));
        let tiles = (flow.tiles(), self.columns(&app), rtl);
        if let Some((tiles, columns, rtl)) = self.built.changed("tiles", tiles) {
            api.set_tiles(model(tile_rows(tiles, columns, rtl)));
        }
        api.set_search_available(flow.search_available());
        api.set_searching(session.search.is_some());
        api.set_search_typing(session.search_typing);
        api.set_search_query(s(session.search.as_deref().unwrap_or("")));
        api.set_list_notice(s(flow.list_notice()));
        api.set_service_intro(s(flow.service_intro()));

        let question = flow.question_view();
        let (kind, rows) = flow.keyboard();
        api.set_keyboard_kind(match kind {
            KeyboardKind::None => g::KeyboardKind::None,
            KeyboardKind::Text => g::KeyboardKind::Text,
            KeyboardKind::Number | KeyboardKind::WholeNumber => g::KeyboardKind::Number,
            KeyboardKind::Phone => g::KeyboardKind::Phone,
        });
        api.set_keyboard_units(crate::flow::keyboard::units(&rows));
        if let Some(rows) = self.built.changed("keyboard", rows) {
            api.set_keyboard(key_rows(rows));
        }
        api.set_shift_active(session.shift);
        let question = self
            .built
            .changed("question", (question, flow.locale().to_string()));
        if let Some((question, _)) = question {
            api.set_question(match question {
                Some(q) => g::QuestionView {
                    kind: question_kind(q.kind),
                    caption: s(q.caption),
                    step_label: s(q.step_label),
                    title: s(q.title),
                    hint: s(q.hint),
                    value_rtl: crate::i18n::text_is_rtl(&q.value, flow.locale()),
                    caret_rtl: crate::i18n::text_runs_rtl(&q.value),
                    echo: {
                        let echo = crate::flow::TypedEcho::of(&q.value);
                        g::TypedEcho {
                            line: s(echo.line),
                            earlier: echo.earlier,
                            tails: model(echo.tails.into_iter().map(s).collect()),
                        }
                    },
                    value: s(q.value),
                    error: s(q.error),
                    can_skip: q.can_skip,
                    urgent: q.urgent,
                    choices: choice_items(q.choices),
                },
                None => g::QuestionView::default(),
            });
        }
        let date_parts = self.built.changed("date-parts", (flow.date_parts(), rtl));
        if let Some((date_parts, rtl)) = date_parts {
            let date_parts: Vec<g::DatePart> = date_parts
                .into_iter()
                .map(|p| g::DatePart {
                    field: s(p.field),
                    label: s(p.label),
                    value: s(p.value),
                })
                .collect();
            // In reading order for the picker's list (one part a row, narrow portrait windows);
            // side by side, day on the right and minutes on the left in a right-to-left language.
            api.set_date_parts_in_order(model(date_parts.clone()));
            let mut side_by_side = date_parts;
            if rtl {
                side_by_side.reverse();
            }
            api.set_date_parts(model(side_by_side));
        }
        if let Some(rows) = self.built.changed("check-rows", flow.check_rows()) {
            api.set_check_rows(model(
                rows.into_iter()
                    .map(|r| g::CheckRow {
                        question: s(r.question),
                        answer: s(r.answer),
                        step: r.step,
                        has_error: r.has_error,
                        error: s(r.error),
                    })
                    .collect(),
            ));
        }
        if let Some(errors) = self.built.changed("errors", flow.error_summary()) {
            api.set_errors(model(
                errors
                    .into_iter()
                    .map(|e| g::ErrorItem {
                        message: s(e.message),
                        step: e.step,
                    })
                    .collect(),
            ));
        }
        let reference = session.reference.clone().unwrap_or_default();
        if api.get_reference().as_str() != reference {
            api.set_qr_code(if reference.is_empty() {
                slint::Image::default()
            } else {
                qr::qr_image(&qr::payload(&reference, self.facts.status_url.as_deref()))
            });
        }
        api.set_reference(s(&reference));
        api.set_offline(flow.offline());
        api.set_print_state(match session.print_state {
            PrintState::None => g::PrintState::None,
            PrintState::Printing => g::PrintState::Printing,
            PrintState::Printed => g::PrintState::Printed,
            PrintState::Failed => g::PrintState::Failed,
        });
        api.set_contact_line(if self.facts.help_contact.is_empty() {
            SharedString::default()
        } else {
            s(flow.translations().format(
                flow.locale(),
                "confirm-contact",
                &[(
                    "contact",
                    crate::i18n::Arg::from(self.facts.help_contact.as_str()),
                )],
            ))
        });
        api.set_save_error(s(session
            .save_error
            .map(|id| flow.t(id))
            .unwrap_or_default()));
        api.set_timeout_warning(session.warning.is_some());
        api.set_blanked(flow.blanked());
        api.set_timeout_text(s(flow.timeout_text()));
        api.set_timeout_finish(s(flow.timeout_finish()));
        let mut speech = self.speech.borrow_mut();
        speech.after_refresh(&flow);
        api.set_speech_on(speech.on);
        api.set_speech_caption(s(speech.caption(&flow)));
        api.set_focus_id(s(speech.focus_id(&flow)));
        api.set_speech_hint(s(flow
            .translations()
            .text(flow.greeting_locale(), "speech-welcome-hint")));
        self.refresh_staff(&api, &flow);
    }

    /// The staff screens, the assisted / practice strip and "Check a request".
    fn refresh_staff(&self, api: &Api<'_>, flow: &Flow) {
        let session = flow.session();
        api.set_greeting_locale(s(flow.greeting_locale()));
        api.set_desk_mode(match flow.desk_mode() {
            DeskMode::Resident => g::DeskMode::Resident,
            DeskMode::Assisted(_) => g::DeskMode::Assisted,
            DeskMode::Practice => g::DeskMode::Practice,
        });
        api.set_mode_banner(s(flow.mode_banner()));
        // The visitor decides on the consent screen: no staff control there; in the menu where
        // the tools are in one.
        api.set_show_staff_controls(flow.end_in_strip());
        if let Some(pad) = self.built.changed("pin-pad", flow.pin_pad()) {
            api.set_pin_pad(key_rows(pad));
        }
        api.set_pin_dots(s(flow.pin_dots()));
        api.set_pin_message(s(flow.pin_message()));
        api.set_pin_problem(flow.desk().is_some_and(|d| d.pin_outcome.is_some()));
        let home = flow.staff_home_view();
        api.set_staff_signed_in(s(&home.signed_in));
        if api.get_staff_query().as_str() != home.query {
            api.set_staff_query(s(&home.query));
        }
        if let Some(rows) = self.built.changed("staff-found", home.lookup) {
            api.set_staff_found(info_rows(rows));
        }
        api.set_staff_can_reprint(home.can_reprint);
        if let Some(rows) = self.built.changed("staff-health", home.health) {
            api.set_staff_health(info_rows(rows));
        }
        api.set_staff_notice(s(&home.notice));
        api.set_staff_lists_label(s(&home.lists_label));
        if let Some(items) = self.built.changed("staff-items", flow.staff_items()) {
            api.set_staff_items(model(
                items
                    .into_iter()
                    .map(|i| g::StaffItem {
                        reference: s(i.reference),
                        title: s(i.title),
                        detail: s(i.detail),
                        review: i.review,
                    })
                    .collect(),
            ));
        }
        if let Some(rows) = self.built.changed("staff-help", flow.staff_help_rows()) {
            api.set_staff_help(model(
                rows.into_iter()
                    .map(|h| g::HelpRow {
                        id: i32::try_from(h.id).unwrap_or(i32::MAX),
                        text: s(h.text),
                    })
                    .collect(),
            ));
        }
        api.set_refile_reference(s(flow.refile_reference()));
        if let Some(choices) = self.built.changed("refile-choices", flow.refile_choices()) {
            api.set_refile_choices(choice_items(choices));
        }
        api.set_consent_text(s(flow.consent_text()));
        if api.get_lookup_query().as_str() != session.lookup {
            api.set_lookup_query(s(&session.lookup));
        }
        if let Some(pad) = self.built.changed("lookup-pad", flow.lookup_pad()) {
            api.set_lookup_pad(key_rows(pad));
        }
        api.set_sent_reference(s(flow.sent_reference()));
        let number = flow.sent_number();
        if api.get_sent_number().as_str() != number {
            api.set_sent_number(s(&number));
        }
        // The one reference field on screen: its caret at the reading start of what it holds.
        let field = match session.screen {
            Screen::StaffHome => home.query.clone(),
            Screen::StaffSent => number,
            _ => session.lookup.clone(),
        };
        api.set_field_rtl(crate::i18n::text_is_rtl(&field, flow.locale()));
        api.set_field_runs_rtl(crate::i18n::text_runs_rtl(&field));
        let (lines, problem) = flow.lookup_lines();
        if let Some(lines) = self.built.changed("lookup-lines", lines) {
            api.set_lookup_lines(model(lines.into_iter().map(s).collect()));
        }
        api.set_lookup_problem(problem);
    }

    /// Test and screenshot access to the flow.
    pub fn flow(&self) -> std::cell::Ref<'_, Flow> {
        self.flow.borrow()
    }

    /// Test and screenshot access to the flow, mutably (refresh afterwards).
    pub fn flow_mut(&self) -> std::cell::RefMut<'_, Flow> {
        self.flow.borrow_mut()
    }

    /// The titles of the buttons (tools, keys, the action bar's) whose widest word is cut now,
    /// as the buttons reported them (a title no button shows any more may linger).
    pub fn cut_words(&self) -> Vec<String> {
        self.cut_words.borrow().cut()
    }

    /// The titles of the labels set under the least size of the text size shown
    /// (`Theme.least-at`), as they reported it (as [`Controller::cut_words`], a title no label
    /// shows any more may linger).
    pub fn small_words(&self) -> Vec<String> {
        self.small_words.borrow().cut()
    }

    /// Asks every measured label the window holds now to report again, after forgetting what
    /// was reported (`CutWords::start_census`): the reports then come from the labels made, not
    /// from ones shown a moment ago. The reports arrive when Slint next runs its change
    /// handlers (the event loop; in tests, `mock_elapsed_time`).
    pub fn start_word_census(&self) {
        self.cut_words.borrow_mut().start_census();
        self.small_words.borrow_mut().start_census();
        if let Some(window) = self.window.upgrade() {
            let api = window.global::<g::Api>();
            api.set_word_census(api.get_word_census().wrapping_add(1));
        }
    }

    /// The titles of the measured labels that reported their size since the last census
    /// (every measured label reports its size when made).
    pub fn measured_words(&self) -> Vec<String> {
        self.small_words.borrow().seen()
    }

    /// Sets the receipt state shown on the confirmation (screenshots and tests).
    pub fn set_print_state(&self, state: PrintState) {
        self.flow.borrow_mut().set_print_state(state);
        self.refresh();
    }
}

fn screen(screen: Screen) -> g::Screen {
    match screen {
        Screen::Welcome => g::Screen::Welcome,
        Screen::Language => g::Screen::Language,
        Screen::Groups => g::Screen::Groups,
        Screen::Services => g::Screen::Services,
        Screen::Question => g::Screen::Question,
        Screen::Check => g::Screen::Check,
        Screen::Submitting => g::Screen::Submitting,
        Screen::Confirmation => g::Screen::Confirmation,
        Screen::SaveFailed => g::Screen::SaveFailed,
        Screen::CheckRequest => g::Screen::CheckRequest,
        Screen::StaffPin => g::Screen::StaffPin,
        Screen::StaffHome => g::Screen::StaffHome,
        Screen::StaffLists => g::Screen::StaffLists,
        Screen::StaffRefile => g::Screen::StaffRefile,
        Screen::StaffSent => g::Screen::StaffSent,
        Screen::Consent => g::Screen::Consent,
    }
}

/// The top bar's tools, in each of its forms (one row, two rows on a narrow window, the side
/// column or bar, and the tools under the keys), from the flow's toolbar.
fn set_toolbars(
    api: &Api<'_>,
    mut toolbar: Toolbar,
    rtl: bool,
    typing_under: bool,
    small_panel: bool,
) {
    // The side column (typing beside the keys) or the side bar (a small landscape panel):
    // the bar's tools read top to bottom, then those "Text and contrast" opened.
    let mut side: Vec<ToolView> = toolbar.left.iter().chain(&toolbar.right).cloned().collect();
    let mut opened = toolbar.drawer.clone();
    if rtl {
        side.reverse();
        opened.reverse();
    }
    side.extend(opened);
    let mut back_below = Vec::new();
    if typing_under {
        for side in [&mut toolbar.left, &mut toolbar.right] {
            back_below.extend(side.iter().filter(|t| t.tool == Tool::Back).cloned());
            side.retain(|t| t.tool != Tool::Back);
        }
    }
    api.set_typing_back(model(back_below.into_iter().map(tool_item).collect()));
    api.set_side_tools(model(side.into_iter().map(tool_item).collect()));
    // A narrow window's two rows: the ways out (Back, Start again, and the staff's Lock)
    // on the first, at the start and the end of the reading line; the other tools on the
    // second (five there left Ukrainian "Заблокувати" no room at 600 px). On a small panel
    // (a 7" panel upright) a second form has Ask for help on the first row too, so the
    // second holds two tools, not three in rows of two (the bar took three rows, a third of
    // the panel's height); typing there, it is the bar's only row
    // (`Flow::typing_on_small_panel`). The bar takes that form when the first row's words
    // fit at 20 px (measured: French "Recommencer" does not beside "Demander de l'aide").
    let items = |tools: &[ToolView], keep: &dyn Fn(&ToolView) -> bool| {
        model(
            tools
                .iter()
                .filter(|t| keep(t))
                .cloned()
                .map(tool_item)
                .collect(),
        )
    };
    let all: Vec<ToolView> = toolbar.left.iter().chain(&toolbar.right).cloned().collect();
    let split = |first: &dyn Fn(&ToolView) -> bool| {
        let second: Vec<ToolView> = all.iter().filter(|t| !first(t)).cloned().collect();
        (
            items(&toolbar.left, first),
            items(&toolbar.right, first),
            items(&second, &|_| true),
        )
    };
    // (Menu, where the bar is Back and Menu, keeps both on one row: `Flow::tools_in_menu`.)
    let way_out = |t: &ToolView| {
        matches!(
            t.tool,
            Tool::Back | Tool::StartOver | Tool::Lock | Tool::Menu
        )
    };
    let (left, right, second) = split(&way_out);
    api.set_toolbar_narrow_left(left);
    api.set_toolbar_narrow_right(right);
    api.set_toolbar_narrow_second(second);
    let (left, right, second) = if small_panel {
        split(&|t: &ToolView| way_out(t) || t.tool == Tool::Help)
    } else {
        (model(Vec::new()), model(Vec::new()), model(Vec::new()))
    };
    api.set_toolbar_help_up_left(left);
    api.set_toolbar_help_up_right(right);
    api.set_toolbar_help_up_second(second);
    api.set_toolbar_left(model(toolbar.left.into_iter().map(tool_item).collect()));
    api.set_toolbar_right(model(toolbar.right.into_iter().map(tool_item).collect()));
    api.set_toolbar_drawer(model(toolbar.drawer.into_iter().map(tool_item).collect()));
    api.set_menu_open(!toolbar.menu.is_empty());
    api.set_menu_tools(model(toolbar.menu.into_iter().map(tool_item).collect()));
}

/// A question's choices, or the services a request can be re-filed under.
fn choice_items(choices: Vec<ChoiceView>) -> ModelRc<g::Choice> {
    model(
        choices
            .into_iter()
            .map(|c| g::Choice {
                focus_id: s(crate::flow::focus::choice_id(&c.key)),
                key: s(c.key),
                label: s(c.label),
                selected: c.selected,
            })
            .collect(),
    )
}

fn key_rows(rows: Vec<Vec<Key>>) -> ModelRc<g::KeyRow> {
    let key = |k: &Key| g::Key {
        focus_id: s(crate::flow::focus::key_id(&k.value)),
        words: s(words_one_a_line(&k.label)),
        short_words: s(words_one_a_line(&k.short)),
        short: s(&k.short),
        label: s(&k.label),
        value: s(&k.value),
        width: k.width,
        accessible: s(&k.accessible),
    };
    model(
        rows.into_iter()
            .map(|r| {
                // Halves for a row whose words need two (the first half the larger).
                let (first, second) = r.split_at(r.len().div_ceil(2));
                g::KeyRow {
                    keys: model(r.iter().map(key).collect()),
                    first: model(first.iter().map(key).collect()),
                    second: model(second.iter().map(key).collect()),
                }
            })
            .collect(),
    )
}

fn info_rows(rows: Vec<StaffRow>) -> ModelRc<g::InfoRow> {
    model(
        rows.into_iter()
            .map(|r| g::InfoRow {
                label: s(r.label),
                value: s(r.value),
                warn: r.warn,
            })
            .collect(),
    )
}

fn question_kind(kind: QuestionKind) -> g::QuestionKind {
    match kind {
        QuestionKind::ShortText => g::QuestionKind::ShortText,
        QuestionKind::LongText => g::QuestionKind::LongText,
        QuestionKind::Number => g::QuestionKind::Number,
        QuestionKind::Datetime => g::QuestionKind::Datetime,
        QuestionKind::Single => g::QuestionKind::Single,
        QuestionKind::Multi => g::QuestionKind::Multi,
        QuestionKind::Info => g::QuestionKind::Info,
        QuestionKind::YesNo => g::QuestionKind::YesNo,
    }
}

fn tool_item(view: ToolView) -> g::ToolItem {
    g::ToolItem {
        focus_id: s(crate::flow::focus::tool_id(view.tool)),
        tool: match view.tool {
            Tool::Back => g::Tool::Back,
            Tool::StartOver => g::Tool::StartOver,
            Tool::Language => g::Tool::Language,
            Tool::TextSize => g::Tool::TextSize,
            Tool::Contrast => g::Tool::Contrast,
            Tool::Help => g::Tool::Help,
            Tool::Lock => g::Tool::Lock,
            Tool::Display => g::Tool::Display,
            Tool::Menu => g::Tool::Menu,
            Tool::EndVisit => g::Tool::EndVisit,
        },
        words: s(words_one_a_line(&view.title)),
        title: s(view.title),
        on: view.on,
    }
}

/// The words of `text`, one a line: what a label must keep whole. A no-wrap text of them is as
/// wide as its widest word, which is what a button measures (by letters, a short word of wide
/// letters — "Ш" against "ii" — would be missed). A no-break space joins what it stands
/// between into one word, as the line breaker keeps it (French typography sets one before "?",
/// ":", "!" and ";", and a council's catalogue may): a label sized for the word alone would
/// break the pair at its side.
fn words_one_a_line(text: &str) -> String {
    text.split(|c: char| c.is_whitespace() && !matches!(c, '\u{a0}' | '\u{202f}' | '\u{2007}'))
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Chunks tiles into rows of `columns`, padding the last row with invisible tiles so every tile
/// has the same width, and mirrors each row for right-to-left languages.
pub fn tile_rows(tiles: Vec<TileView>, columns: usize, rtl: bool) -> Vec<g::TileRow> {
    let columns = columns.max(1);
    tiles
        .chunks(columns)
        .map(|chunk| {
            let mut row: Vec<g::Tile> = chunk
                .iter()
                .map(|t| g::Tile {
                    focus_id: s(crate::flow::focus::tile_id(&t.key)),
                    key: s(&t.key),
                    title: s(&t.title),
                    subtitle: s(&t.subtitle),
                })
                .collect();
            while row.len() < columns {
                row.push(g::Tile::default());
            }
            if rtl {
                row.reverse();
            }
            g::TileRow { tiles: model(row) }
        })
        .collect()
}

/// Reads a model's rows (tests).
pub fn rows<T: Clone + 'static>(m: &ModelRc<T>) -> Vec<T> {
    m.iter().collect()
}

#[cfg(test)]
mod tests {
    use super::words_one_a_line;

    #[test]
    fn a_no_break_space_keeps_its_words_together() {
        assert_eq!(words_one_a_line("Start  again\tnow"), "Start\nagain\nnow");
        // French with the no-break space its typography asks for (a council's catalogue): one
        // word, as the line breaker keeps it, so a label is sized for "demande ?" whole.
        assert_eq!(
            words_one_a_line("Annuler cette demande\u{a0}?"),
            "Annuler\ncette\ndemande\u{a0}?"
        );
        assert_eq!(
            words_one_a_line("a\u{202f}:\u{2007}b c"),
            "a\u{202f}:\u{2007}b\nc"
        );
    }
}
