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
use crate::flow::{Flow, SaveOutcome, Screen, TileView};

/// Facts the UI shows that come from the configuration.
#[derive(Debug, Clone, Default)]
pub struct KioskFacts {
    /// Council name.
    pub council: String,
    /// Contact for residents.
    pub help_contact: String,
    /// Status URL template with `{reference}`, for the QR code.
    pub status_url: Option<String>,
    /// Whether a receipt printer is configured.
    pub has_printer: bool,
    /// Whether a central system is configured at all.
    pub has_central: bool,
}

impl KioskFacts {
    /// The facts of a configuration.
    pub fn from_config(config: &crate::config::Config) -> KioskFacts {
        KioskFacts {
            council: config.device.council.clone(),
            help_contact: config.device.help_contact.clone(),
            status_url: config.central.status_url.clone(),
            has_printer: config.printer.port != "none",
            has_central: config.has_central(),
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
    online: RefCell<bool>,
    print_state: RefCell<&'static str>,
    timers: RefCell<Vec<slint::Timer>>,
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
            online: RefCell::new(false),
            print_state: RefCell::new("none"),
            timers: RefCell::new(Vec::new()),
        });
        controller.connect(app);
        controller.start_timers();
        controller.refresh();
        controller
    }

    /// Runs `f` on the flow, then refreshes the UI.
    fn with_flow(&self, f: impl FnOnce(&mut Flow)) {
        f(&mut self.flow.borrow_mut());
        self.refresh();
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
        on!(on_open_languages, |c| c.with_flow(|f| f.open_languages()));
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
        on!(on_back, |c| c.with_flow(|f| f.back()));
        on!(on_start_over, |c| c.with_flow(|f| f.start_over()));
        on!(on_change, |c, step: i32| c
            .with_flow(|f| f.change(step.max(0) as usize)));
        on!(on_submit, |c| c.submit());
        on!(on_finish, |c| c.with_flow(|f| f.finish()));
        on!(on_more_time, |c| c.with_flow(|f| f.more_time()));
        on!(on_tool, |c, id: SharedString| c.tool(&id));
    }

    fn tool(&self, id: &str) {
        let mut raise_help = false;
        self.with_flow(|f| match id {
            "back" => f.back(),
            "start-over" => f.start_over(),
            "language" => f.open_languages(),
            "text-size" => f.cycle_text_size(),
            "contrast" => f.toggle_contrast(),
            "help" => raise_help = f.ask_for_help(),
            _ => {}
        });
        if raise_help {
            self.worker.request_help();
        }
    }

    fn submit(&self) {
        let form = self.flow.borrow_mut().submit();
        if let Some(form) = form {
            *self.print_state.borrow_mut() = "none";
            self.worker.save(form);
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
                UiEvent::Saved(outcome) => {
                    if matches!(outcome, SaveOutcome::Saved(_)) {
                        *self.print_state.borrow_mut() = if self.facts.has_printer {
                            "printing"
                        } else {
                            "none"
                        };
                    }
                    self.flow.borrow_mut().saved(outcome);
                }
                UiEvent::Printed { reference, ok } => {
                    if self.flow.borrow().session.reference.as_deref() == Some(reference.as_str()) {
                        *self.print_state.borrow_mut() = if ok { "printed" } else { "failed" };
                    }
                }
                UiEvent::Online(online) => *self.online.borrow_mut() = online,
                UiEvent::Catalogs(catalogs) => self.flow.borrow_mut().set_catalogs(catalogs),
            }
        }
        if changed {
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

    /// Copies the flow's state into the UI.
    pub fn refresh(&self) {
        let Some(app) = self.window.upgrade() else {
            return;
        };
        let flow = self.flow.borrow();
        let session = &flow.session;
        let api = app.global::<Api>();
        let theme = app.global::<Theme>();
        let rtl = flow.rtl();
        theme.set_rtl(rtl);
        theme.set_high_contrast(session.high_contrast);
        theme.set_text_scale([1.0, 1.25, 1.5][session.text_size_step.min(2) as usize]);
        api.set_locale(s(flow.locale()));
        api.set_screen(s(session.screen.name()));
        api.set_council(s(&self.facts.council));
        let (greeting, greeting_rtl) = flow.greeting();
        api.set_greeting(s(greeting));
        api.set_greeting_rtl(greeting_rtl);
        api.set_can_go_back(flow.can_go_back());
        api.set_help_requested(session.help_requested);
        api.set_text_size_step(session.text_size_step as i32);
        self.refresh_toolbar(&api, &flow, rtl);

        api.set_page_title(s(flow.page_title()));
        api.set_tiles(model(tile_rows(flow.tiles(), self.columns(&app), rtl)));

        let question = flow.question_view();
        let (kind, rows) = flow.keyboard();
        api.set_keyboard_kind(s(match kind {
            crate::flow::keyboard::KeyboardKind::None => "none",
            crate::flow::keyboard::KeyboardKind::Text => "text",
            crate::flow::keyboard::KeyboardKind::Number => "number",
            crate::flow::keyboard::KeyboardKind::Phone => "phone",
        }));
        api.set_keyboard_units(crate::flow::keyboard::units(&rows));
        api.set_keyboard(model(
            rows.into_iter()
                .map(|r| g::KeyRow {
                    keys: model(
                        r.into_iter()
                            .map(|k| g::Key {
                                label: s(k.label),
                                value: s(k.value),
                                width: k.width,
                                accessible: s(k.accessible),
                            })
                            .collect(),
                    ),
                })
                .collect(),
        ));
        api.set_shift_active(session.shift);
        api.set_question(match question {
            Some(q) => g::QuestionView {
                kind: s(q.kind),
                caption: s(q.caption),
                step_label: s(q.step_label),
                title: s(q.title),
                hint: s(q.hint),
                value: s(q.value),
                error: s(q.error),
                choices: model(
                    q.choices
                        .into_iter()
                        .map(|c| g::Choice {
                            key: s(c.key),
                            label: s(c.label),
                            selected: c.selected,
                        })
                        .collect(),
                ),
            },
            None => g::QuestionView::default(),
        });
        let mut date_parts = flow.date_parts();
        if rtl {
            // Day on the right, minutes on the left: read in the resident's direction.
            date_parts.reverse();
        }
        api.set_date_parts(model(
            date_parts
                .into_iter()
                .map(|p| g::DatePart {
                    field: s(p.field),
                    label: s(p.label),
                    value: s(p.value),
                })
                .collect(),
        ));
        api.set_check_rows(model(
            flow.check_rows()
                .into_iter()
                .map(|r| g::CheckRow {
                    question: s(r.question),
                    answer: s(r.answer),
                    step: r.step,
                    has_error: r.has_error,
                })
                .collect(),
        ));
        api.set_errors(model(
            flow.error_summary()
                .into_iter()
                .map(|e| g::ErrorItem {
                    message: s(e.message),
                    step: e.step,
                })
                .collect(),
        ));
        let reference = session.reference.clone().unwrap_or_default();
        if api.get_reference().as_str() != reference {
            api.set_qr_code(if reference.is_empty() {
                slint::Image::default()
            } else {
                qr::qr_image(&qr::payload(&reference, self.facts.status_url.as_deref()))
            });
        }
        api.set_reference(s(&reference));
        api.set_offline(!self.facts.has_central || !*self.online.borrow());
        api.set_print_state(s(*self.print_state.borrow()));
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
        api.set_timeout_text(s(flow.timeout_text()));
    }

    fn refresh_toolbar(&self, api: &Api, flow: &Flow, rtl: bool) {
        let session = &flow.session;
        let tool = |key: &str, on: bool| g::Tile {
            key: s(key),
            title: s(flow.t(&format!("tool-{key}"))),
            subtitle: s(if on { "on" } else { "" }),
        };
        let mut start = Vec::new();
        if flow.can_go_back() {
            start.push(tool("back", false));
        }
        // Not while saving: the resident would leave without seeing the reference of a request
        // that is being saved anyway.
        if !matches!(session.screen, Screen::Welcome | Screen::Submitting) {
            start.push(tool("start-over", false));
        }
        let mut end = vec![
            tool("language", false),
            tool("text-size", session.text_size_step > 0),
            tool("contrast", session.high_contrast),
            tool("help", session.help_requested),
        ];
        if rtl {
            start.reverse();
            end.reverse();
            std::mem::swap(&mut start, &mut end);
        }
        api.set_toolbar_start(model(start));
        api.set_toolbar_end(model(end));
    }

    /// Test and screenshot access to the flow.
    pub fn flow(&self) -> std::cell::Ref<'_, Flow> {
        self.flow.borrow()
    }

    /// Test and screenshot access to the flow, mutably (refresh afterwards).
    pub fn flow_mut(&self) -> std::cell::RefMut<'_, Flow> {
        self.flow.borrow_mut()
    }

    /// Marks the kiosk online or offline (from the sync worker).
    pub fn set_online(&self, online: bool) {
        *self.online.borrow_mut() = online;
        self.refresh();
    }

    /// Sets the receipt state shown on the confirmation (screenshots and tests).
    pub fn set_print_state(&self, state: &'static str) {
        *self.print_state.borrow_mut() = state;
        self.refresh();
    }
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
