//! The resident's journey as a plain-Rust state machine: which screen, which question, what was
//! typed, validation, the idle timeout and the wipe. The Slint layer (`crate::ui`) only renders
//! [`Flow`]'s views and forwards touches; everything here is tested without a display.
//!
//! Privacy invariant: everything a resident enters lives in [`Session`]; [`Flow::wipe`] replaces
//! the session wholesale, so nothing can be reached afterwards by "back" or otherwise.

pub(crate) mod datetime;
mod desk;
pub mod focus;
pub(crate) mod keyboard;
mod lists;
mod session;
pub mod speech;
pub mod staff;
mod steps;
mod tracker;
mod view;

use std::collections::BTreeMap;
use std::sync::Arc;

use time::{OffsetDateTime, PrimitiveDateTime, UtcOffset};

use crate::catalog::{Catalog, Datatype};
use crate::i18n::Translations;
use crate::validate::{Answer, FieldError, ValidForm, validate_form};

pub use desk::{DeskMode, HelpRowView, StaffHomeView, StaffItemView, StaffRow};
pub use lists::{NOT_LISTED_KEY, SEARCH_FROM, TILE_TEXT_CHARS, clamp_for_tile};
pub use session::{Session, scrub_form_input, scrub_valid_form};
pub use staff::{SaveMarks, StaffDesk, StaffReply, StaffRequest};
pub use steps::Step;
pub use tracker::{SessionEnd, SessionSummary};
pub use view::*;

use keyboard::{KeyboardKind, Mode, special};

/// Seconds the "do you need more time?" warning counts down before the wipe (at least 20).
pub const WARNING_SECONDS: u32 = 30;

/// Seconds each language's greeting stays on the welcome screen.
pub const GREETING_SECONDS: u32 = 3;

/// The screens of the resident flow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    /// Attract loop.
    Welcome,
    /// Choose a language.
    Language,
    /// Groups of services.
    Groups,
    /// Services in a group.
    Services,
    /// One question.
    Question,
    /// Check your answers.
    Check,
    /// Saving.
    Submitting,
    /// Saved: the reference.
    Confirmation,
    /// The save failed.
    SaveFailed,
    /// A resident checks on a request by its reference.
    CheckRequest,
    /// Staff: the PIN pad.
    StaffPin,
    /// Staff: the desk (look-up, health, actions).
    StaffHome,
    /// Staff: the review and rejected lists and the help requests.
    StaffLists,
    /// Staff: choose the service to re-file a request under.
    StaffRefile,
    /// Staff: a review item reached the council; its request number is typed here.
    StaffSent,
    /// Assisted: the visitor confirms who helped and what is sent, and sends.
    Consent,
}

impl Screen {
    /// The screens only a signed-in (or signing-in) staff member sees.
    pub fn is_staff(self) -> bool {
        matches!(
            self,
            Screen::StaffPin
                | Screen::StaffHome
                | Screen::StaffLists
                | Screen::StaffRefile
                | Screen::StaffSent
        )
    }
}

/// How a save ended, reported back by whoever ran it off the UI thread.
#[derive(Debug, Clone, PartialEq)]
pub enum SaveOutcome {
    /// Durable, with this reference.
    Saved(String),
    /// Not saved; the message id to show (e.g. `error-disk-full`).
    Failed(&'static str),
}

/// Fixed facts the flow needs.
#[derive(Debug, Clone)]
pub struct FlowSettings {
    /// Offered languages, first is the default.
    pub languages: Vec<String>,
    /// `ui.idle_timeout_s`.
    pub idle_timeout_s: u32,
    /// Local UTC offset for dates.
    pub local_offset: UtcOffset,
    /// Whether a receipt printer is configured (the confirmation then speaks of printing).
    pub has_printer: bool,
    /// Whether a central system is configured at all (else the kiosk is always "offline").
    pub has_central: bool,
    /// The council's name (who receives a resident's details), for the privacy notice.
    pub council: String,
    /// Where residents can ask (phone, desk), for the privacy notice.
    pub help_contact: String,
    /// Days personal data stays on the kiosk after the council has it (`privacy.retention_days`).
    pub retention_days: u32,
    /// The council's own privacy notice (`privacy.notice`), shown instead of the standard one.
    pub privacy_notice: Option<String>,
    /// The council's timescale in working days (`device.response_days`), said on the
    /// confirmation in the receipt's words.
    pub response_days: Option<u32>,
    /// `ui.blank_after_s`: seconds on the welcome screen without a touch before the screen
    /// blanks (0: never).
    pub blank_after_s: u32,
}

impl Default for FlowSettings {
    fn default() -> FlowSettings {
        FlowSettings {
            languages: vec!["en".into()],
            idle_timeout_s: 120,
            local_offset: UtcOffset::UTC,
            has_printer: false,
            has_central: false,
            council: String::new(),
            help_contact: String::new(),
            retention_days: 7,
            privacy_notice: None,
            response_days: None,
            blank_after_s: 0,
        }
    }
}

impl FlowSettings {
    /// The settings of a configuration (local offset read at start-up).
    pub fn from_config(config: &crate::config::Config) -> FlowSettings {
        FlowSettings {
            languages: config.ui.languages.clone(),
            idle_timeout_s: config.ui.idle_timeout_s,
            local_offset: crate::clock::local_offset(),
            has_printer: config.printer.port != "none",
            has_central: config.has_central(),
            council: config.device.council.clone(),
            help_contact: config.device.help_contact.clone(),
            retention_days: config.privacy.retention_days,
            privacy_notice: config.privacy.notice.clone(),
            response_days: config.device.response_days,
            blank_after_s: config.ui.blank_after_s,
        }
    }
}

/// The always-present controls of the top bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tool {
    /// The previous screen.
    Back,
    /// Forget everything and go back to the welcome screen.
    StartOver,
    /// Choose another language.
    Language,
    /// Cycle the three text sizes.
    TextSize,
    /// High contrast on or off.
    Contrast,
    /// Ask a member of staff to come.
    Help,
    /// Staff: end the staff session (on every staff screen).
    Lock,
    /// On a small panel: shows or hides Text size and High contrast (see [`Toolbar::drawer`]).
    Display,
    /// At the largest text size on a small panel: shows or hides the tools the bar has no room
    /// for, in the page's place (see [`Toolbar::menu`]).
    Menu,
    /// Staff helping or practising: end it, back to the desk (the assisted or practice strip's
    /// "End"; a tool of the menu where the tools are in one, see [`Flow::end_in_strip`]).
    EndVisit,
}

impl Tool {
    /// The message id of its label.
    pub fn message_id(self) -> &'static str {
        match self {
            Tool::Back => "tool-back",
            Tool::StartOver => "tool-start-over",
            Tool::Language => "tool-language",
            Tool::TextSize => "tool-text-size",
            Tool::Contrast => "tool-contrast",
            Tool::Help => "tool-help",
            Tool::Lock => "staff-lock",
            Tool::Display => "tool-display",
            Tool::Menu => "tool-menu",
            Tool::EndVisit => "tool-end-visit",
        }
    }
}

/// One control of the top bar, as shown.
#[derive(Debug, Clone, PartialEq)]
pub struct ToolView {
    /// Which control.
    pub tool: Tool,
    /// Its label in the resident's language.
    pub title: String,
    /// For toggles: whether it is on.
    pub on: bool,
}

/// The top bar in visual order: the controls at the reading start (back, start again) and at
/// the reading end (language, text size, contrast, help), already mirrored for right-to-left.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Toolbar {
    /// Left edge of the screen.
    pub left: Vec<ToolView>,
    /// Right edge of the screen.
    pub right: Vec<ToolView>,
    /// On a small panel, Text size and High contrast while "Text and contrast" is open: a row
    /// under the bar, in visual order (empty otherwise).
    pub drawer: Vec<ToolView>,
    /// At the largest text size on a small panel, while Menu is open: the tools the bar has no
    /// room for, in reading order, shown one a row in the page's place (empty otherwise;
    /// see [`Flow::tools_in_menu`]).
    pub menu: Vec<ToolView>,
}

/// What the confirmation says about the paper receipt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PrintState {
    /// Nothing to say (no printer, or not saved yet).
    #[default]
    None,
    /// The receipt is being printed.
    Printing,
    /// The receipt came out.
    Printed,
    /// The printer failed: write the reference down.
    Failed,
}

/// What the resident is asked to confirm before answers are deleted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Confirm {
    /// "Start again?" (keeps language and text size).
    StartOver,
    /// "Delete your answers?" after a failed save.
    DeleteAnswers,
    /// Staff: "Cancel this request?" (it will never be sent; its details are erased).
    CancelRequest,
}

/// The text scale of each of the three text-size steps.
pub const TEXT_SCALES: [f32; 3] = [1.0, 1.25, 1.5];

/// Under this height a landscape window types with the side column ([`Flow::typing_beside`]):
/// the top bar (18 mm), four rows of keys (68 mm), the action bar (26 mm) and a line of the
/// question need about 120 mm.
/// (`Theme.short-below` in `ui/theme.slint` is the same height.)
pub const SHORT_LANDSCAPE_MM: f32 = 120.0;

/// Under this on its short side (a 7" panel, a 10" one: 136 mm) a panel at the largest text
/// size has its tools in a menu ([`Flow::tools_in_menu`]): on a 10" panel in landscape the bar
/// took two rows whose second was cut by the page, and a question to type showed no line of
/// its title above the keys.
pub const MENU_PANEL_MM: f32 = 150.0;

/// Under this wide a window at the largest text size has its tools in a menu too, whatever
/// its height: six tools in one row at 33 px need about 420 mm in the kiosk's languages
/// (measured by the UI test: on a 17" panel, 339 mm wide, "Recommencer" and "Попросити
/// допомоги" were set under 33 px; 1024×600 at 96 dpi, 271 mm, "Language" too; a 21.5"
/// panel upright, 237 mm, most tools; at 420 mm and 476 mm none). The question and its keys
/// stay on one screen there ([`Flow::keys_apart`] is the short side's).
pub const BAR_ROW_MM: f32 = 420.0;

/// The side column's width with its gap to the keys (`Theme.side-column` + `Theme.target-gap`
/// in `ui/theme.slint`): wide enough for "Recommencer" or "Продовжити" on one line.
pub const SIDE_COLUMN_MM: f32 = 50.0;

/// The resident flow.
pub struct Flow {
    settings: FlowSettings,
    catalogs: BTreeMap<String, Catalog>,
    tr: Arc<Translations>,
    /// Everything about the current resident (wiped as a whole).
    session: Session,
    /// Whether the kiosk reached the council lately (kiosk state, not the resident's).
    online: bool,
    greeting_index: usize,
    greeting_ticks: u32,
    /// `ui.catch_all_service` (see `lists.rs`).
    catch_all: Option<String>,
    /// A staff member at the kiosk (see `staff.rs`): never outlives a wipe.
    desk: Option<StaffDesk>,
    /// What staff (or "Check a request") asked of the kiosk, for the UI to hand on.
    outbox: Vec<StaffRequest>,
    /// The screen is blanked (idle on the welcome screen); the next touch only wakes it.
    blanked: bool,
    /// How far the session on screen went (no personal data), reported when it ends.
    tracker: tracker::Tracker,
    /// Sessions ended and not yet reported ([`Flow::take_ended_sessions`]).
    ended: Vec<SessionSummary>,
    /// How many letter-key units wide the keyboard may be on this panel
    /// ([`keyboard::room`]); set by the UI from the window's width in millimetres.
    keyboard_room: f32,
    /// The window is too short for the keyboard's digit row (see [`Flow::set_window_mm`]).
    keyboard_short: bool,
    /// A short landscape window (a 7" panel): while typing, the top bar gives way to the
    /// side column (see [`Flow::typing_beside`]); the keyboard's room is what it leaves.
    keyboard_side_room: Option<f32>,
    /// A 7" panel either way round (see [`Flow::small_panel`]).
    small_panel: bool,
    /// Under [`MENU_PANEL_MM`] on its short side (a 7" or a 10" panel): at the largest text
    /// size the tools are in a menu there ([`Flow::tools_in_menu`]) and a question to type
    /// comes before its keys ([`Flow::keys_apart`]).
    menu_panel: bool,
    /// Under [`BAR_ROW_MM`] wide: at the largest text size the tools are in a menu.
    narrow_bar: bool,
    /// "Now", when fixed ([`Flow::fix_clock`]); the system's clock otherwise.
    clock: Option<OffsetDateTime>,
    /// The PIN pad's order, when fixed ([`Flow::fix_pin_pad`]); shuffled otherwise.
    pad_order: Option<[u8; 10]>,
}

impl Flow {
    /// A flow on the welcome screen. `catalogs` maps each language to its catalogue (a language
    /// without its own falls back to the first available).
    pub fn new(
        settings: FlowSettings,
        catalogs: BTreeMap<String, Catalog>,
        tr: Arc<Translations>,
    ) -> Flow {
        let locale = settings
            .languages
            .first()
            .cloned()
            .unwrap_or_else(|| "en".into());
        Flow {
            settings,
            catalogs,
            tr,
            session: Session::new(&locale),
            online: false,
            greeting_index: 0,
            greeting_ticks: 0,
            blanked: false,
            catch_all: None,
            desk: None,
            outbox: Vec::new(),
            tracker: tracker::Tracker::default(),
            ended: Vec::new(),
            keyboard_room: f32::INFINITY,
            keyboard_short: false,
            keyboard_side_room: None,
            small_panel: false,
            menu_panel: false,
            narrow_bar: false,
            clock: None,
            pad_order: None,
        }
    }

    /// Replaces the catalogues (after a refresh). The current resident keeps going with the
    /// service they chose only if it still exists; otherwise they start again at the groups.
    pub fn set_catalogs(&mut self, catalogs: BTreeMap<String, Catalog>) {
        self.catalogs = catalogs;
        if let Some(code) = &self.session.service
            && self.catalog().service(code).is_none()
        {
            self.session.service = None;
            if matches!(self.session.screen, Screen::Question | Screen::Check) {
                self.session.screen = Screen::Groups;
            }
        }
    }

    /// The settings.
    pub fn settings(&self) -> &FlowSettings {
        &self.settings
    }

    /// The translations.
    pub fn translations(&self) -> &Translations {
        &self.tr
    }

    /// The current resident's language.
    pub fn locale(&self) -> &str {
        &self.session.locale
    }

    /// Translated UI text in the current language.
    pub fn t(&self, id: &str) -> String {
        self.tr.text(&self.session.locale, id)
    }

    /// The catalogue in the current language.
    pub fn catalog(&self) -> &Catalog {
        static EMPTY: std::sync::OnceLock<Catalog> = std::sync::OnceLock::new();
        self.catalogs
            .get(&self.session.locale)
            .or_else(|| self.catalogs.get(crate::catalog::CATALOG_DEFAULT_LOCALE))
            .or_else(|| self.catalogs.values().next())
            .unwrap_or_else(|| EMPTY.get_or_init(Catalog::default))
    }

    // -----------------------------------------------------------------------------------------
    // Navigation

    /// Any touch: resets the idle countdown (but not an open warning: only "more time" does).
    pub fn touched(&mut self) {
        if self.session.warning.is_none() {
            self.session.idle_seconds = 0;
            if let Some(desk) = &mut self.desk {
                desk.idle_seconds = 0;
            }
        }
    }

    /// Whether what is on screen now belongs to nobody: the welcome screen, between residents
    /// (a session ends only through the wipe, so the welcome screen never shows anything a
    /// resident typed), with no dialog open. The only moment a remote screenshot may be taken.
    pub fn between_residents(&self) -> bool {
        self.session.screen == Screen::Welcome
            && self.session.warning.is_none()
            && self.session.confirm.is_none()
    }

    /// Whether the screen is blanked: the UI shows black and forwards the next touch to
    /// [`Flow::wake`] only.
    pub fn blanked(&self) -> bool {
        self.blanked
    }

    /// The touch that wakes a blanked screen: it only wakes it (never taken as a tap on what
    /// was under it), and the welcome screen's idle count starts again.
    pub fn wake(&mut self) {
        self.blanked = false;
        self.session.idle_seconds = 0;
    }

    /// Welcome → language (on a blanked screen: only wakes it).
    pub fn start(&mut self) {
        if self.blanked {
            self.wake();
            return;
        }
        self.touched();
        self.session.screen = Screen::Language;
    }

    /// Opens the language screen from anywhere, remembering where to return.
    pub fn open_languages(&mut self) {
        self.touched();
        if self.session.screen != Screen::Language {
            self.session.return_to = Some(self.session.screen);
        }
        self.session.screen = Screen::Language;
    }

    /// Picks a language; returns to where the resident was, or on to the services.
    pub fn choose_language(&mut self, locale: &str) {
        self.touched();
        if !self.settings.languages.iter().any(|l| l == locale) {
            return;
        }
        self.session.locale = locale.to_string();
        self.session.input.locale = locale.to_string();
        self.session.keyboard_mode = Mode::Native;
        self.session.keyboard_page = 0;
        self.session.screen = match self.session.return_to.take() {
            Some(Screen::Welcome) | None => Screen::Groups,
            Some(s) => s,
        };
        self.revalidate_current();
    }

    /// A tile was touched: a language, a group or a service depending on the screen.
    pub fn choose_tile(&mut self, key: &str) {
        self.touched();
        if key != lists::NOT_LISTED_KEY {
            self.session.not_listed_advice = false;
        }
        if matches!(self.session.screen, Screen::Groups) && key != lists::NOT_LISTED_KEY {
            self.close_search();
        }
        match self.session.screen {
            Screen::Groups | Screen::Services if key == lists::NOT_LISTED_KEY => self.not_listed(),
            Screen::Language => self.choose_language(key),
            Screen::Groups => {
                let group = if key == view::NO_GROUP_KEY {
                    None
                } else {
                    Some(key.to_string())
                };
                if self.catalog().groups().contains(&group) {
                    self.session.group = Some(group);
                    self.session.screen = Screen::Services;
                }
            }
            Screen::Services => self.choose_service(key),
            _ => {}
        }
    }

    /// Picks a service and starts its questions. Choosing another service drops the answers
    /// given for the previous one.
    pub fn choose_service(&mut self, code: &str) {
        self.touched();
        if self.catalog().service(code).is_none() {
            return;
        }
        if self.session.service.as_deref() != Some(code) {
            self.session.input.answers.clear();
            self.session.dates.clear();
        }
        self.session.service = Some(code.to_string());
        self.session.input.service_code = code.to_string();
        self.session.step = 0;
        self.session.returning_to_check = false;
        self.session.error = None;
        self.session.screen = Screen::Question;
        self.session.keyboard_mode = Mode::Native;
        self.session.keyboard_page = 0;
    }

    /// The steps of the chosen service, in order.
    pub fn steps(&self) -> Vec<Step> {
        if let Some(visit) = &self.session.refile {
            // Re-filing: only the new service's questions the request did not answer.
            return visit
                .questions
                .iter()
                .map(|c| Step::Attribute(c.clone()))
                .collect();
        }
        steps::steps_for(
            self.catalog(),
            self.session.service.as_deref(),
            self.session.wants_contact,
            &self.session.input.answers,
        )
    }

    /// The current step, if on a question.
    pub fn current_step(&self) -> Option<Step> {
        if self.session.screen != Screen::Question {
            return None;
        }
        self.steps().get(self.session.step).cloned()
    }

    /// "Back": one screen back; never into a previous resident's session (there is none).
    pub fn back(&mut self) {
        self.touched();
        // Where the question and its keys are two screens, Back from the keys is the question
        // (its title, hint and error whole at the largest size), not the question before.
        if self.keys_apart() && !self.keys_hidden() {
            self.session.keys_open = None;
            self.session.keyboard_mode = Mode::Native;
            self.session.keyboard_page = 0;
            return;
        }
        self.session.keys_open = None;
        self.session.error = None;
        self.session.not_listed_advice = false;
        if self.session.screen == Screen::Services && self.session.search.is_some() {
            self.close_search();
            return;
        }
        self.session.screen = match self.session.screen {
            Screen::Welcome | Screen::Language => {
                if let Some(back) = self.session.return_to.take() {
                    back
                } else {
                    Screen::Welcome
                }
            }
            Screen::Groups => Screen::Language,
            Screen::Services => Screen::Groups,
            Screen::Question if self.session.returning_to_check => {
                self.session.returning_to_check = false;
                Screen::Check
            }
            Screen::Question if self.session.step == 0 && self.session.refile.is_some() => {
                return self.abandon_refile_visit();
            }
            Screen::Question if self.session.step == 0 => Screen::Services,
            Screen::Question => {
                self.session.step -= 1;
                Screen::Question
            }
            Screen::Check => {
                self.session.step = self.steps().len().saturating_sub(1);
                Screen::Question
            }
            // After saving there is no way back into the answers.
            s @ (Screen::Submitting | Screen::Confirmation) => s,
            Screen::SaveFailed => Screen::Check,
            Screen::CheckRequest | Screen::StaffPin => {
                // Leaving "Check a request" or the PIN pad: nothing typed there stays.
                self.wipe();
                return;
            }
            Screen::StaffHome => Screen::StaffHome,
            Screen::StaffLists => Screen::StaffHome,
            Screen::StaffRefile => {
                if let Some(desk) = &mut self.desk {
                    desk.refile = None;
                }
                Screen::StaffLists
            }
            Screen::StaffSent => {
                if let Some(desk) = &mut self.desk {
                    desk.sent = None;
                    zeroize::Zeroize::zeroize(&mut desk.remote_id);
                }
                Screen::StaffLists
            }
            Screen::Consent => Screen::Check,
        };
        self.session.keyboard_mode = Mode::Native;
        self.session.keyboard_page = 0;
    }

    /// Whether "back" does something here.
    pub fn can_go_back(&self) -> bool {
        !matches!(
            self.session.screen,
            Screen::Welcome | Screen::Submitting | Screen::Confirmation | Screen::StaffHome
        )
    }

    /// "Continue" on a question: validates this step with the shared validator; on success moves
    /// on (or back to the check page when changing an answer).
    pub fn next(&mut self) {
        self.touched();
        let Some(step) = self.current_step() else {
            return;
        };
        if step == Step::ContactChoice && self.session.wants_contact.is_none() {
            self.session.error = Some(view::choose_error());
            return;
        }
        let errors = self.step_errors(&step);
        if let Some(e) = errors.first() {
            self.session.error = Some(e.clone());
            // The error is read on the question's own screen, whole, where its keys are apart
            // (above the keys it had one line at most).
            self.session.keys_open = None;
            return;
        }
        self.session.error = None;
        self.session.keys_open = None;
        self.session.keyboard_mode = Mode::Native;
        self.session.keyboard_page = 0;
        let total = self.steps().len();
        let contact_now_wanted =
            step == Step::ContactChoice && self.session.wants_contact == Some(true);
        if self.session.returning_to_check && !contact_now_wanted {
            self.session.returning_to_check = false;
            self.session.screen = Screen::Check;
            self.refresh_check_errors();
        } else if self.session.step + 1 >= total && self.session.refile.is_some() {
            self.finish_refile_visit();
        } else if self.session.step + 1 >= total {
            self.session.screen = Screen::Check;
            self.refresh_check_errors();
        } else {
            self.session.step += 1;
        }
    }

    /// "Change" on the check page: go to that step and come back after it.
    pub fn change(&mut self, step: usize) {
        self.touched();
        if step < self.steps().len() {
            self.session.step = step;
            self.session.keys_open = None;
            self.session.returning_to_check = true;
            self.session.screen = Screen::Question;
            self.session.error = self
                .session
                .check_errors
                .iter()
                .find(|e| self.step_of_field(&e.field) == Some(step))
                .cloned();
        }
    }

    /// The next resident's turn: "finish" on the confirmation, "delete my answers" after a
    /// failed save, and the idle timeout. Drops everything the resident entered; language, text
    /// size and contrast go back to defaults too, so the next resident starts fresh.
    pub fn wipe(&mut self) {
        self.end_session(false);
    }

    /// The one way a session ends. Replacing the whole session drops every answer, draft, date
    /// and reference at once. `keep_preferences` ("start again", the same resident) keeps the
    /// language, text size and contrast they chose and goes back to the groups of services.
    fn end_session(&mut self, keep_preferences: bool) {
        self.note_progress();
        let (assisted, practice) = (self.tracker.assisted, self.tracker.practice);
        if let Some(summary) = self.tracker.finish(&self.session.locale) {
            self.ended.push(summary);
        }
        if keep_preferences {
            // The same resident (and the same member of staff beside them) goes on.
            self.tracker.assisted = assisted;
            self.tracker.practice = practice;
            let old = &self.session;
            let mut fresh = Session::new(&old.locale);
            fresh.text_size_step = old.text_size_step;
            fresh.high_contrast = old.high_contrast;
            fresh.help_requested = old.help_requested;
            fresh.assisted_by = old.assisted_by.clone();
            fresh.practice = old.practice;
            fresh.help_answer = old.help_answer;
            fresh.screen = Screen::Groups;
            self.session = fresh;
        } else {
            // A wipe ends any staff session too: it never survives into a resident's.
            self.lock();
            let locale = self
                .settings
                .languages
                .first()
                .cloned()
                .unwrap_or_else(|| "en".into());
            self.session = Session::new(&locale);
        }
    }

    /// "Start again": asks first when there is something to lose ("No, keep my answers" is the
    /// big button); the answer comes back through [`Flow::confirm`].
    pub fn start_over(&mut self) {
        self.touched();
        if self.session.service.is_none() && self.session.is_blank() {
            self.end_session(true);
        } else {
            self.session.confirm = Some(Confirm::StartOver);
        }
    }

    /// "Delete my answers" after a failed save: asks first.
    pub fn delete_answers(&mut self) {
        self.touched();
        self.session.confirm = Some(Confirm::DeleteAnswers);
    }

    /// The question on screen, if the resident is being asked to confirm something.
    pub fn confirmation(&self) -> Option<Confirm> {
        if self
            .desk
            .as_ref()
            .is_some_and(|d| d.confirm_cancel.is_some())
        {
            return Some(Confirm::CancelRequest);
        }
        self.session.confirm
    }

    /// The resident's answer to [`Flow::confirmation`]: `true` deletes, `false` keeps.
    pub fn confirm(&mut self, yes: bool) {
        self.touched();
        if let Some(reference) = self.desk.as_mut().and_then(|d| d.confirm_cancel.take()) {
            if yes {
                self.staff_request(|staff| StaffRequest::Cancel { reference, staff });
            }
            return;
        }
        match self.session.confirm.take() {
            Some(Confirm::StartOver) if yes => self.end_session(true),
            Some(Confirm::DeleteAnswers) if yes => self.end_session(false),
            _ => {}
        }
    }

    /// The window's size in millimetres on this panel: a narrow one gets a compact or paged
    /// keyboard so every key stays ≥ 15 mm wide ([`keyboard::fit`]); a short one (under
    /// 170 mm: the top bar, five rows of 15 mm keys and the 20 mm action bar leave the question
    /// no line) leaves the digit row out, the digits being one tap away on the Symbols page.
    /// A landscape window under [`SHORT_LANDSCAPE_MM`] high cannot hold the top bar, four rows
    /// of keys and the action bar one above the other: there the keys share the width with
    /// the side column ([`Flow::typing_beside`]).
    pub fn set_window_mm(&mut self, width_mm: f32, height_mm: f32) {
        self.keyboard_room = keyboard::room(width_mm);
        self.keyboard_short = height_mm.is_finite() && height_mm < 170.0;
        self.keyboard_side_room =
            (height_mm.is_finite() && height_mm < SHORT_LANDSCAPE_MM && width_mm > height_mm)
                .then(|| keyboard::room(width_mm - SIDE_COLUMN_MM));
        self.small_panel = width_mm.min(height_mm) < SHORT_LANDSCAPE_MM;
        self.menu_panel = width_mm.min(height_mm) < MENU_PANEL_MM;
        self.narrow_bar = width_mm.is_finite() && width_mm < BAR_ROW_MM;
    }

    /// A panel under [`SHORT_LANDSCAPE_MM`] on its short side (a 7" panel, landscape or
    /// upright). Six tools in one row of 154 mm cut their words ("Language" does not fit a
    /// sixth even at 20 px), and the bar's two rows then left a question at the largest text
    /// size no room at all between the bar and the action bar (90 mm high). So there Text size
    /// and High contrast are one tool, "Text and contrast", which opens them in a row under the
    /// bar ([`Toolbar::drawer`]) and stand for the bar until the resident closes them or
    /// leaves the screen. In landscape the bar is a column at the reading end
    /// ([`Flow::side_bar`]): five tools of 15 mm fit its 90 mm height.
    pub fn small_panel(&self) -> bool {
        self.small_panel
    }

    /// A small panel in landscape, not typing: the bar is a column at the reading end of the
    /// screen, leaving the page the panel's whole height (under a bar of two rows and above the
    /// action bar, a question at the largest text size had none left).
    pub fn side_bar(&self) -> bool {
        self.keyboard_side_room.is_some()
            && self.session.screen != Screen::Welcome
            && !self.typing_beside()
    }

    /// "Text and contrast" is open on this screen (see [`Flow::small_panel`]).
    pub fn display_open(&self) -> bool {
        self.small_panel && self.session.display_open == Some(self.here())
    }

    /// The screen and question shown: what "Text and contrast" and Menu are opened on.
    fn here(&self) -> (Screen, usize) {
        (self.session.screen, self.session.step)
    }

    fn toggle_display(&mut self) {
        self.touched();
        self.session.display_open = (!self.display_open()).then(|| self.here());
    }

    /// The full keyboard or a number pad is up on a question in a short landscape window (a
    /// 7" panel, 90 mm high): the top bar gives way, and a column beside the keys holds Back,
    /// Start again, Ask for help and Continue (≥ 20 mm), the question's title and what was
    /// typed above the keys. Four rows of 15 mm keys (68 mm) and the 20 mm action bar under
    /// them need more than the whole panel; a number pad's four rows fitted beside the
    /// question under a one-row top bar, but not under the two rows the bar takes there so
    /// that no word of a tool is cut (`ui/widgets/topbar.slint`).
    pub fn typing_beside(&self) -> bool {
        self.keyboard_side_room.is_some() && self.typing() && !self.menu_open()
    }

    /// A keyboard or number pad is up on a question (whatever the panel).
    fn typing(&self) -> bool {
        self.typed_step() && !self.keys_hidden()
    }

    /// The question on screen is answered with a keyboard or number pad.
    fn typed_step(&self) -> bool {
        self.current_step()
            .is_some_and(|step| self.keyboard_kind(&step) != KeyboardKind::None)
    }

    /// At the largest text size on a small panel ([`Flow::tools_in_menu`]) a question to type
    /// and its keys are two screens: first the question, its hint, its error and the answer so
    /// far at full size with "Type your answer" ([`Flow::open_keys`]), then the keys with what
    /// is typed above them and Continue beside them; Back from the keys is the question again,
    /// and an error sent back by Continue is shown there. EN 301 549 5.1.4 asks for every
    /// text at a capital H of 6.1 mm (33 px on a 7" panel): above four rows of 15 mm keys a
    /// 90 mm panel had room for the title and the typed line at 22 px, one line each, cut
    /// with "…" (a French number error was never read whole). The keyboard's own precedent is
    /// Android's full-screen editing in landscape. Smaller sizes keep both on one screen.
    pub fn keys_apart(&self) -> bool {
        self.menu_panel && self.largest_text() && self.typed_step()
    }

    /// The question's own screen where its keys are apart ([`Flow::keys_apart`]): no keys
    /// until "Type your answer".
    pub fn keys_hidden(&self) -> bool {
        self.keys_apart() && self.session.keys_open != Some(self.here())
    }

    /// "Type your answer" (or a touch on the answer's box): the keys of this question. Kept
    /// for the question whatever the size, so that a text size chosen later finds them open.
    pub fn open_keys(&mut self) {
        if self.typed_step() {
            self.touched();
            self.session.keys_open = Some(self.here());
            self.session.menu_open = None;
        }
    }

    /// Typing on a small panel, either way round: the bar keeps only what takes the resident
    /// away or brings help (Back, Start again, Ask for help; Lock for staff). In landscape they
    /// go to the column beside the keys ([`Flow::typing_beside`]); upright (90 mm wide, 154 mm
    /// high) they make one row: the bar's three rows, four rows of 15 mm keys and the 20 mm
    /// action bar left the question no line at all, and the cue "More below" sat over the
    /// bar. Language and Text and contrast are back as soon as the keys are down (the next
    /// screen, or Back).
    pub fn typing_on_small_panel(&self) -> bool {
        self.small_panel && self.typing() && !self.menu_open()
    }

    /// The keys are up under the question's first lines and what was typed, Continue under
    /// them (`TypingUnder` in `ui/pages/question.slint`): typing on a small panel upright, and
    /// the keys' own screen where they are apart from the question ([`Flow::keys_apart`]) on
    /// a larger panel (a 10" one at the largest size), where the page over the keys had room
    /// for "More below" only and the question's title was never in view.
    pub fn typing_under(&self) -> bool {
        (self.small_panel || self.keys_apart())
            && self.typing()
            && !self.menu_open()
            && !self.typing_beside()
    }

    /// At the largest text size on a small panel the bar holds Back and Menu only, and Menu
    /// opens the other tools (Start again, Language, Text size, High contrast, Ask for help,
    /// Lock) one a row in the page's place. EN 301 549 5.1.4 asks, in the largest text mode,
    /// for every text needed to use the kiosk with a capital H of 6.1 mm (33 px here): five
    /// tools in the side bar's 90 mm, or three in a row of an upright panel's 90 mm, only fitted
    /// at 20–24 px ("Попросити допомоги", "Recommencer"). And on a 10" panel ([`MENU_PANEL_MM`]):
    /// six tools in a row of 217 mm at 33 px took two rows, the second cut by the page, and a
    /// question to type had no line above its keys. And on any window under [`BAR_ROW_MM`]
    /// wide, whose one row of six tools set some under 33 px. Smaller sizes, and wider
    /// windows, keep every tool in view.
    pub fn tools_in_menu(&self) -> bool {
        (self.menu_panel || self.narrow_bar) && self.largest_text()
    }

    /// The resident chose the largest text size, where EN 301 549 5.1.4 asks every text
    /// needed at a capital H of 6.1 mm (33 px once `ui.screen_width_mm` is set).
    pub fn largest_text(&self) -> bool {
        usize::from(self.session.text_size_step) + 1 >= TEXT_SCALES.len()
    }

    /// Menu is open on this screen and question (see [`Flow::tools_in_menu`]): closed by
    /// leaving them, by the same tool, or by a tool of the menu that leaves the page.
    pub fn menu_open(&self) -> bool {
        self.tools_in_menu() && self.session.menu_open == Some(self.here())
    }

    fn toggle_menu(&mut self) {
        self.touched();
        self.session.menu_open = (!self.menu_open()).then(|| self.here());
    }

    // -----------------------------------------------------------------------------------------
    // Answering

    /// A key of the on-screen keyboard (or number pad).
    pub fn key(&mut self, value: &str) {
        self.touched();
        if self.search_key(value) {
            return;
        }
        let Some(step) = self.current_step() else {
            return;
        };
        match value {
            special::CONTINUE => {
                self.next();
                return;
            }
            special::SHIFT => {
                self.session.shift = !self.session.shift;
                return;
            }
            special::MODE_NATIVE => {
                self.session.keyboard_mode = Mode::Native;
                self.session.keyboard_page = 0;
                return;
            }
            special::MORE_LETTERS => {
                self.session.keyboard_page += 1;
                return;
            }
            special::MODE_LATIN => {
                self.session.keyboard_mode = Mode::Latin;
                self.session.keyboard_page = 0;
                return;
            }
            special::MODE_SYMBOLS => {
                self.session.keyboard_mode = Mode::Symbols;
                self.session.keyboard_page = 0;
                return;
            }
            _ => {}
        }
        let max = steps::max_chars(&step, self.step_datatype(&step));
        let multiline = self.is_multiline(&step);
        let shift = std::mem::take(&mut self.session.shift);
        let Some(text) = self.text_target(&step) else {
            return;
        };
        match value {
            special::BACKSPACE => {
                text.pop();
            }
            special::SPACE => text.push(' '),
            special::NEWLINE if multiline => text.push('\n'),
            special::NEWLINE => {}
            typed => {
                let typed = if shift {
                    typed.to_uppercase()
                } else {
                    typed.to_string()
                };
                text.push_str(&typed);
            }
        }
        // The keyboard never lets a text grow past its limit: the resident sees it stop.
        if text.chars().count() > max {
            *text = text.chars().take(max).collect();
        }
        self.revalidate_current();
    }

    /// The whole value at once (assistive technology, or a test typing a word).
    pub fn set_value(&mut self, value: &str) {
        self.touched();
        let Some(step) = self.current_step() else {
            return;
        };
        if let Some(text) = self.text_target(&step) {
            *text = value.to_string();
        }
    }

    /// Toggles a choice (single choice: selects it; multiple: adds or removes it).
    pub fn toggle_choice(&mut self, key: &str) {
        self.touched();
        let Some(step) = self.current_step() else {
            return;
        };
        match &step {
            Step::ContactChoice => {
                self.session.wants_contact = match key {
                    "yes" => Some(true),
                    "no" => Some(false),
                    _ => self.session.wants_contact,
                };
                if self.session.wants_contact == Some(false) {
                    self.session.input.contact = Default::default();
                }
            }
            Step::Attribute(code) => {
                let Some(attribute) = self
                    .catalog()
                    .definition(self.session.service.as_deref().unwrap_or(""))
                    .and_then(|d| d.attribute(code))
                    .cloned()
                else {
                    return;
                };
                if attribute.value(key).is_none() {
                    return;
                }
                let answers = &mut self.session.input.answers;
                match attribute.datatype {
                    Datatype::Singlevaluelist => {
                        answers.insert(code.clone(), Answer::One(key.to_string()));
                    }
                    Datatype::Multivaluelist => {
                        let entry = answers
                            .entry(code.clone())
                            .or_insert(Answer::Many(Vec::new()));
                        if let Answer::Many(keys) = entry {
                            if let Some(i) = keys.iter().position(|k| k == key) {
                                keys.remove(i);
                            } else {
                                keys.push(key.to_string());
                            }
                        }
                    }
                    _ => {}
                }
            }
            _ => {}
        }
        self.revalidate_current();
    }

    /// Moves one part of the date picker.
    pub fn date_adjust(&mut self, part: &str, delta: i64) {
        self.touched();
        self.change_date(|picker, _| picker.adjust(part, delta));
    }

    /// "Today" / "Yesterday" on the date picker.
    pub fn date_quick(&mut self, which: &str) {
        self.touched();
        let days_ago = match which {
            "today" => 0,
            "yesterday" => 1,
            "unsure" => {
                // "I'm not sure" (optional dates only): no date is sent, and the resident moves on.
                if let Some(Step::Attribute(code)) = self.current_step()
                    && self.date_is_optional(&code)
                {
                    self.session.dates.remove(&code);
                    self.session.input.answers.remove(&code);
                    self.next();
                }
                return;
            }
            _ => return,
        };
        self.change_date(|picker, now| picker.quick(now.date(), days_ago));
    }

    /// Applies `change` to the current question's date picker (created at "now" on first use)
    /// and records the picked date as the answer.
    fn change_date(&mut self, change: impl FnOnce(&mut datetime::DatePicker, PrimitiveDateTime)) {
        let now = self.now_local();
        let Some(Step::Attribute(code)) = self.current_step() else {
            return;
        };
        let with_time = self.date_wants_time(&code);
        let picker = self
            .session
            .dates
            .entry(code.clone())
            .or_insert_with(|| datetime::DatePicker::new(now, with_time));
        change(picker, now);
        let text = picker.answer_text();
        self.session.input.answers.insert(code, Answer::One(text));
        self.revalidate_current();
    }

    /// Whether the date question `code` asks for a time of day too (else: the day only).
    pub fn date_wants_time(&self, code: &str) -> bool {
        self.attribute(code).is_some_and(|a| a.asks_for_time())
    }

    /// Whether the date question `code` may be left unanswered ("I'm not sure" is offered).
    pub fn date_is_optional(&self, code: &str) -> bool {
        self.attribute(code)
            .is_some_and(|a| a.datatype == Datatype::Datetime && !a.required)
    }

    /// The local time now (the picker's starting point, the time a request was saved).
    pub fn now_local(&self) -> PrimitiveDateTime {
        let now = self
            .clock
            .unwrap_or_else(OffsetDateTime::now_utc)
            .to_offset(self.settings.local_offset);
        PrimitiveDateTime::new(now.date(), now.time())
    }

    /// Fixes "now" at `at` for this flow: the scenes `guichet screenshot` draws (and
    /// `docs/screens`) show the same dates whatever the day they are drawn. A kiosk never
    /// calls it.
    pub fn fix_clock(&mut self, at: OffsetDateTime) {
        self.clock = Some(at);
    }

    /// The welcome screen's greeting back at the first language, as after starting (the
    /// scenes draw it so, however long the kiosk has been on the welcome screen).
    pub fn restart_greeting(&mut self) {
        self.greeting_index = 0;
        self.greeting_ticks = 0;
    }

    // -----------------------------------------------------------------------------------------
    // Submitting

    /// "Send": validates everything. On success returns the form to save (off the UI thread) and
    /// shows "saving"; on failure stays on the check page with the error summary.
    pub fn submit(&mut self) -> Option<ValidForm> {
        self.touched();
        if !matches!(
            self.session.screen,
            Screen::Check | Screen::SaveFailed | Screen::Consent
        ) {
            return None;
        }
        match self.validate_all() {
            // Assisted: the visitor sees who helped and what is sent, and gives the Send.
            Ok(_)
                if self.session.assisted_by.is_some() && self.session.screen != Screen::Consent =>
            {
                self.session.check_errors.clear();
                self.session.screen = Screen::Consent;
                None
            }
            Ok(form) => {
                self.session.check_errors.clear();
                self.session.screen = Screen::Submitting;
                Some(form)
            }
            Err(errors) => {
                self.session.check_errors = errors;
                self.session.screen = Screen::Check;
                None
            }
        }
    }

    /// The save finished. On success the answers are dropped at once: only the reference stays
    /// on screen until the resident finishes or the timeout wipes it.
    pub fn saved(&mut self, outcome: SaveOutcome) {
        if self.session.screen != Screen::Submitting {
            // The resident (or the timeout) already moved on; nothing to show.
            return;
        }
        match outcome {
            SaveOutcome::Saved(reference) => {
                let service = self.session.service.clone();
                let locale = self.session.locale.clone();
                let (contrast, size) = (self.session.high_contrast, self.session.text_size_step);
                let help = self.session.help_requested;
                let assisted_by = self.session.assisted_by.take();
                let practice = self.session.practice;
                let help_answer = self.session.help_answer;
                self.note_progress();
                self.tracker.completed = true;
                self.session = Session::new(&locale);
                self.session.assisted_by = assisted_by;
                self.session.practice = practice;
                self.session.service = service;
                self.session.high_contrast = contrast;
                self.session.text_size_step = size;
                self.session.help_requested = help;
                self.session.help_answer = help_answer;
                self.session.reference = Some(reference);
                self.session.saved_at = Some(self.now_local());
                self.session.print_state = if self.settings.has_printer {
                    PrintState::Printing
                } else {
                    PrintState::None
                };
                self.session.screen = Screen::Confirmation;
            }
            SaveOutcome::Failed(message_id) => {
                self.session.save_error = Some(message_id);
                self.session.screen = Screen::SaveFailed;
            }
        }
    }

    /// The current resident's session (read-only: every change goes through the flow).
    pub fn session(&self) -> &Session {
        &self.session
    }

    fn validate_all(&self) -> Result<ValidForm, Vec<FieldError>> {
        validate_form(
            self.catalog(),
            &self.session.input,
            &self.settings.languages,
            self.settings.local_offset,
        )
    }

    fn refresh_check_errors(&mut self) {
        // Errors are shown on the check page only after a send attempt, but fixed ones vanish.
        if !self.session.check_errors.is_empty() {
            self.session.check_errors = self.validate_all().err().unwrap_or_default();
        }
    }

    fn step_errors(&self, step: &Step) -> Vec<FieldError> {
        let fields = steps::fields_of(step);
        match self.validate_all() {
            Ok(_) => Vec::new(),
            Err(errors) => errors
                .into_iter()
                .filter(|e| fields.contains(&e.field))
                .collect(),
        }
    }

    /// Re-checks the current step only while an error is shown, so a fixed answer clears its
    /// message as the resident types, but no error appears before they press Continue.
    fn revalidate_current(&mut self) {
        if let Some(step) = self.current_step()
            && self.session.error.is_some()
        {
            self.session.error = self.step_errors(&step).into_iter().next();
        }
    }

    /// Which step a field is asked on.
    pub fn step_of_field(&self, field: &crate::validate::Field) -> Option<usize> {
        self.steps()
            .iter()
            .position(|s| steps::fields_of(s).contains(field))
    }

    fn is_multiline(&self, step: &Step) -> bool {
        match step {
            Step::Description => true,
            Step::Attribute(code) => self.attribute_datatype(code) == Some(Datatype::Text),
            _ => false,
        }
    }

    fn step_datatype(&self, step: &Step) -> Option<Datatype> {
        match step {
            Step::Attribute(code) => self.attribute_datatype(code),
            _ => None,
        }
    }

    pub(crate) fn attribute_is_question(&self, code: &str) -> bool {
        self.attribute(code).is_some_and(|a| a.variable)
    }

    fn attribute_datatype(&self, code: &str) -> Option<Datatype> {
        self.attribute(code).map(|a| a.datatype)
    }

    /// The chosen service's attribute `code`: the one lookup every question goes through.
    fn attribute(&self, code: &str) -> Option<&crate::catalog::Attribute> {
        self.catalog()
            .definition(self.session.service.as_deref()?)?
            .attribute(code)
    }

    /// The keyboard a step needs.
    pub fn keyboard_kind(&self, step: &Step) -> KeyboardKind {
        match step {
            Step::Attribute(code) if !self.attribute_is_question(code) => KeyboardKind::None,
            Step::Attribute(code) => match self.attribute_datatype(code) {
                Some(Datatype::String | Datatype::Text) => KeyboardKind::Text,
                Some(Datatype::Number) => match self.attribute(code) {
                    Some(a) if a.number_rule().whole => KeyboardKind::WholeNumber,
                    _ => KeyboardKind::Number,
                },
                _ => KeyboardKind::None,
            },
            Step::Description | Step::Address | Step::FirstName | Step::LastName | Step::Email => {
                KeyboardKind::Text
            }
            Step::Phone => KeyboardKind::Phone,
            Step::ContactChoice => KeyboardKind::None,
        }
    }

    /// The text a typing step edits.
    fn text_target(&mut self, step: &Step) -> Option<&mut String> {
        let typed = self.keyboard_kind(step) != KeyboardKind::None;
        let input = &mut self.session.input;
        match step {
            Step::Attribute(code) if typed => {
                let entry = input
                    .answers
                    .entry(code.clone())
                    .or_insert_with(|| Answer::One(String::new()));
                match entry {
                    Answer::One(s) => Some(s),
                    Answer::Many(_) => None,
                }
            }
            Step::Attribute(_) | Step::ContactChoice => None,
            Step::Description => Some(&mut input.description),
            Step::Address => Some(&mut input.address),
            Step::FirstName => Some(&mut input.contact.first_name),
            Step::LastName => Some(&mut input.contact.last_name),
            Step::Email => Some(&mut input.contact.email),
            Step::Phone => Some(&mut input.contact.phone),
        }
    }

    // -----------------------------------------------------------------------------------------
    // Controls always on screen

    /// Cycles the three text sizes.
    pub fn cycle_text_size(&mut self) {
        self.touched();
        self.session.text_size_step = (self.session.text_size_step + 1) % 3;
    }

    /// Toggles high contrast.
    pub fn toggle_contrast(&mut self) {
        self.touched();
        self.session.high_contrast = !self.session.high_contrast;
    }

    /// The text scale of the chosen text size.
    pub fn text_scale(&self) -> f32 {
        TEXT_SCALES[usize::from(self.session.text_size_step).min(TEXT_SCALES.len() - 1)]
    }

    /// The top bar, in visual order. "Back" only where going back is possible; "start again"
    /// not on the welcome screen and not while saving (the resident would leave without seeing
    /// the reference of a request that is being saved anyway).
    pub fn toolbar(&self) -> Toolbar {
        let tool = |tool: Tool, on: bool| ToolView {
            tool,
            title: self.t(tool.message_id()),
            on,
        };
        let mut start = Vec::new();
        if self.can_go_back() {
            start.push(tool(Tool::Back, false));
        }
        // "Start again" sits with the other controls at the far side, away from "Back".
        let mut end = Vec::new();
        // Re-filing on the question pages is staff work too: no "start again", no help.
        let staff = self.session.screen.is_staff() || self.session.refile.is_some();
        if !staff
            && !matches!(
                self.session.screen,
                Screen::Welcome | Screen::Submitting | Screen::CheckRequest | Screen::Consent
            )
        {
            // Not on the visitor's consent either (GOV.UK's "declaration" page: the Send, and a
            // back link to the answers): starting again there is the staff member's decision.
            end.push(tool(Tool::StartOver, false));
        }
        end.push(tool(Tool::Language, false));
        let display = [
            tool(Tool::TextSize, self.session.text_size_step > 0),
            tool(Tool::Contrast, self.session.high_contrast),
        ];
        if self.tools_in_menu() {
            return self.menu_toolbar(start, end, display);
        }
        if self.display_open() {
            // Open, it stands for the bar until closed: a 7" panel has no room for both.
            return Toolbar {
                left: Vec::new(),
                right: vec![tool(Tool::Display, true)],
                drawer: if self.rtl() {
                    display.into_iter().rev().collect()
                } else {
                    display.into()
                },
                menu: Vec::new(),
            };
        } else if self.small_panel {
            end.push(tool(Tool::Display, false));
        } else {
            end.extend(display);
        }
        self.push_help_or_lock(&mut end);
        // Typing on a small panel: only what takes the resident away or brings help.
        if self.typing_on_small_panel() {
            end.retain(|t| matches!(t.tool, Tool::StartOver | Tool::Help | Tool::Lock));
        }
        // Closed, "Text and contrast" (or a large panel) has nothing under the bar.
        if self.rtl() {
            start.reverse();
            end.reverse();
            Toolbar {
                left: end,
                right: start,
                drawer: Vec::new(),
                menu: Vec::new(),
            }
        } else {
            Toolbar {
                left: start,
                right: end,
                drawer: Vec::new(),
                menu: Vec::new(),
            }
        }
    }

    /// Ask for help (for residents) or Lock (for staff signed in) at the end of the bar.
    fn push_help_or_lock(&self, end: &mut Vec<ToolView>) {
        let staff = self.session.screen.is_staff() || self.session.refile.is_some();
        // Staff have no one to call; an assisted visitor has someone beside them.
        if !staff && self.session.assisted_by.is_none() && !self.session.practice {
            end.push(ToolView {
                tool: Tool::Help,
                title: self.t(Tool::Help.message_id()),
                on: self.session.help_requested,
            });
        }
        // "Lock" is always in reach on the staff screens (not on the PIN pad: nobody is in).
        if staff && self.staff_signed_in() {
            end.push(ToolView {
                tool: Tool::Lock,
                title: self.t(Tool::Lock.message_id()),
                on: false,
            });
        }
    }

    /// The bar at the largest text size on a small panel ([`Flow::tools_in_menu`]): Back (where
    /// going back is possible) and Menu, in visual order; while Menu is open, the rest in
    /// reading order in [`Toolbar::menu`]: Start again and Language (`end`, as the full bar has
    /// them), Text size and High contrast as tools of their own (the menu has room for both),
    /// then Ask for help or Lock, and staff's End when helping or practising.
    fn menu_toolbar(
        &self,
        mut start: Vec<ToolView>,
        mut end: Vec<ToolView>,
        display: [ToolView; 2],
    ) -> Toolbar {
        let open = self.menu_open();
        let menu = if open {
            end.extend(display);
            self.push_help_or_lock(&mut end);
            // The strip's "End" last: the strip then has the panel's width for its words.
            if self.show_staff_controls() {
                end.push(ToolView {
                    tool: Tool::EndVisit,
                    title: self.t(Tool::EndVisit.message_id()),
                    on: false,
                });
            }
            end
        } else {
            Vec::new()
        };
        let mut bar_end = vec![ToolView {
            tool: Tool::Menu,
            title: self.t(Tool::Menu.message_id()),
            on: open,
        }];
        if self.rtl() {
            start.reverse();
            bar_end.reverse();
            std::mem::swap(&mut start, &mut bar_end);
        }
        Toolbar {
            left: start,
            right: bar_end,
            drawer: Vec::new(),
            menu,
        }
    }

    /// A control of the top bar was touched. Returns true when staff should be called (the
    /// first "ask for help" of a session).
    pub fn tool(&mut self, tool: Tool) -> bool {
        // A tool of the menu other than Text size and High contrast (which stay for the next
        // tap, as their drawer does) closes it: "Start again?" then asks over the page, the
        // answer to Ask for help shows on it, and Language comes back to the page itself.
        if !matches!(tool, Tool::TextSize | Tool::Contrast | Tool::Menu) {
            self.session.menu_open = None;
        }
        match tool {
            Tool::Back => self.back(),
            Tool::StartOver => self.start_over(),
            Tool::Language => self.open_languages(),
            Tool::TextSize => self.cycle_text_size(),
            Tool::Contrast => self.toggle_contrast(),
            Tool::Help => return self.ask_for_help(),
            Tool::Lock => self.staff_lock(),
            Tool::Display => self.toggle_display(),
            Tool::Menu => self.toggle_menu(),
            Tool::EndVisit => {
                if self.show_staff_controls() {
                    self.staff_end_visit();
                }
            }
        }
        false
    }

    /// The receipt of `reference` printed (`ok`) or failed. Ignored when the resident on
    /// screen is not the one it belongs to.
    pub fn printed(&mut self, reference: &str, ok: bool) {
        if self.session.reference.as_deref() == Some(reference) {
            self.session.print_state = if ok {
                PrintState::Printed
            } else {
                PrintState::Failed
            };
        }
    }

    /// Sets the receipt state shown on the confirmation (screenshots and tests).
    pub fn set_print_state(&mut self, state: PrintState) {
        self.session.print_state = state;
    }

    /// Whether the kiosk reached the council lately (from the sync worker).
    pub fn set_online(&mut self, online: bool) {
        self.online = online;
    }

    /// Whether to tell the resident their request will be sent later.
    pub fn offline(&self) -> bool {
        !self.settings.has_central || !self.online
    }

    /// "Ask for help": shows the resident that staff are being called. Returns true the first
    /// time, when the caller should ask the backend to tell staff; what happened comes back
    /// through [`Flow::help_answered`].
    pub fn ask_for_help(&mut self) -> bool {
        self.touched();
        !std::mem::replace(&mut self.session.help_requested, true)
    }

    /// Whether staff were told of the help request (`delivered`), or could not be (the
    /// resident is sent to the desk). A later delivery (a retry) upgrades "ask at the desk" to
    /// "told"; nothing downgrades "told". Ignored when the resident on screen did not ask.
    pub fn help_answered(&mut self, delivered: bool) {
        if self.session.help_requested && self.session.help_answer != Some(true) {
            self.session.help_answer = Some(delivered);
        }
    }

    /// The message shown about help, if the resident asked: being called, told, or "please ask
    /// at the desk". Honest: "told" only once a notification was delivered.
    pub fn help_message_id(&self) -> Option<&'static str> {
        if !self.session.help_requested {
            return None;
        }
        Some(match self.session.help_answer {
            None => "help-calling",
            Some(true) => "help-told",
            Some(false) => "help-ask-desk",
        })
    }

    /// Marks the session on screen as assisted by staff and/or practice (training mode), for
    /// its statistics. Kept through "start again" (same visitor), cleared by a wipe.
    pub fn mark_session(&mut self, assisted: bool, practice: bool) {
        self.tracker.started = true;
        self.tracker.assisted = assisted;
        self.tracker.practice = practice;
    }

    /// Sessions that ended since the last call (oldest first), for the backend to record.
    /// Also notes how far the session on screen got: the controller calls it after every
    /// change, so each screen reached is seen.
    pub fn take_ended_sessions(&mut self) -> Vec<SessionSummary> {
        self.note_progress();
        std::mem::take(&mut self.ended)
    }

    /// Records the furthest step of the session on screen.
    fn note_progress(&mut self) {
        let screen = self.session.screen;
        // Staff screens and "Check a request" are not a resident's request session.
        if matches!(screen, Screen::Welcome | Screen::CheckRequest) || screen.is_staff() {
            return;
        }
        self.tracker.started = true;
        if let Some(code) = &self.session.service {
            self.tracker.service_code = Some(code.clone());
        }
        let questions = || self.steps().len() as u32;
        let step = match screen {
            Screen::Question => self.session.step as u32 + 1,
            Screen::Check => questions() + 1,
            Screen::Submitting | Screen::Confirmation | Screen::SaveFailed => questions() + 2,
            _ => 0,
        };
        self.tracker.step = self.tracker.step.max(step);
    }

    // -----------------------------------------------------------------------------------------
    // Time

    /// One second passed. Returns true when something visible changed.
    pub fn tick(&mut self) -> bool {
        if self.session.screen == Screen::Welcome {
            // Screen blanking: only on the welcome screen (never during a resident's session),
            // after `ui.blank_after_s` without a touch. A blanked screen changes nothing.
            if self.blanked {
                return false;
            }
            self.session.idle_seconds += 1;
            if self.settings.blank_after_s > 0
                && self.session.idle_seconds >= self.settings.blank_after_s
            {
                self.blanked = true;
                return true;
            }
            self.greeting_ticks += 1;
            if self.greeting_ticks >= GREETING_SECONDS {
                self.greeting_ticks = 0;
                self.greeting_index =
                    (self.greeting_index + 1) % self.settings.languages.len().max(1);
                return true;
            }
            return false;
        }
        if self.session.screen.is_staff() {
            // Staff screens lock on their own, shorter timeout, warned as a resident's is (the
            // same overlay: "I need more time", or "Lock now"), the lock a minute after the
            // last touch all the same.
            let Some(desk) = &mut self.desk else {
                self.wipe();
                return true;
            };
            if let Some(remaining) = self.session.warning {
                if remaining <= 1 {
                    self.wipe();
                } else {
                    self.session.warning = Some(remaining - 1);
                }
                return true;
            }
            desk.idle_seconds += 1;
            if desk.idle_seconds >= staff::STAFF_IDLE_SECONDS - staff::STAFF_WARNING_SECONDS {
                self.session.warning = Some(staff::STAFF_WARNING_SECONDS);
                return true;
            }
            return false;
        }
        self.tracker.started = true;
        self.tracker.seconds = self.tracker.seconds.saturating_add(1);
        if let Some(remaining) = self.session.warning {
            if remaining <= 1 {
                self.tracker.timed_out = true;
                self.wipe();
            } else {
                self.session.warning = Some(remaining - 1);
            }
            return true;
        }
        self.session.idle_seconds += 1;
        if self.session.idle_seconds >= self.settings.idle_timeout_s {
            self.session.warning = Some(WARNING_SECONDS);
            return true;
        }
        false
    }

    /// "I need more time": closes the warning and restarts the idle countdown. Unlimited.
    pub fn more_time(&mut self) {
        self.session.warning = None;
        self.session.idle_seconds = 0;
        if self.session.screen.is_staff() {
            // The desk's own countdown; a resident's session counts no staff extensions.
            if let Some(desk) = &mut self.desk {
                desk.idle_seconds = 0;
            }
            return;
        }
        self.session.extensions += 1;
    }

    /// The language whose greeting the welcome screen shows now.
    pub fn greeting_locale(&self) -> &str {
        self.settings
            .languages
            .get(self.greeting_index)
            .map(String::as_str)
            .unwrap_or("en")
    }
}

#[cfg(test)]
pub(crate) mod tests;
