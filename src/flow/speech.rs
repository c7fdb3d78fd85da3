//! Speech mode: what the kiosk says, computed from the same views the screen shows.
//!
//! A kiosk is closed functionality (EN 301 549 clause 5): a resident cannot bring a screen reader,
//! so the kiosk speaks for itself. Everything spoken is derived here, in plain Rust, from the
//! flow's views (`view.rs`), in reading order and in the displayed language, through Fluent
//! messages (`locales/*/speech.ftl`). Nothing here talks to a sound card: the UI hands the
//! utterances to a [`Speaker`] (espeak-ng in the kiosk, a [`RecordingSpeaker`] in tests), and
//! `guichet utterances` prints them.
//!
//! Navigation without sight is a linear list of every control on screen
//! ([`Flow::speech_controls`]) that the resident walks with "next", "previous" and "activate"
//! (keys or coarse screen zones, wired in `ui/speech.rs`); [`Flow::speech_activate`] does what a
//! touch on that control would.
//!
//! Privacy: what a resident typed (answers, address, contact details) is never said on the
//! loudspeaker; the word "hidden" stands in for it unless [`SpeechSettings::headset`] says the
//! sound goes to a headset or handset only. Choices from the council's lists are not personal
//! data and are spoken.

use std::sync::{Arc, Mutex};

use crate::i18n::Arg;

use super::keyboard::{KeyboardKind, special};
use super::{Confirm, Flow, PrintState, QuestionKind, Screen, Step, Tool};

/// Volume steps of speech mode; every session starts at [`VOLUME_DEFAULT`].
pub const VOLUME_MAX: u8 = 5;
/// The volume a session starts with.
pub const VOLUME_DEFAULT: u8 = 3;

/// One piece of speech and the language (voice) it is said in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Utterance {
    /// What is said.
    pub text: String,
    /// The UI language code whose voice says it (a language's own name is said in its voice).
    pub lang: String,
}

/// `text` without the invisible direction marks Fluent and the views put around arguments
/// (they mean nothing to a voice, and some engines spell them).
pub fn plain(text: &str) -> String {
    text.chars()
        .filter(|c| {
            !matches!(
                c,
                '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}'
            )
        })
        .collect()
}

/// A speech engine. Every call replaces what is being said: a resident who acts, or a new
/// screen, never waits for old speech to finish.
pub trait Speaker {
    /// Says `utterances` in order, cutting off anything still being said.
    fn say(&self, utterances: &[Utterance]);
    /// Stops speaking now.
    fn stop(&self);
    /// Sets the volume, 1..=[`VOLUME_MAX`].
    fn set_volume(&self, level: u8);
}

/// What a [`RecordingSpeaker`] was asked to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SpeechEvent {
    /// `say`.
    Say(Vec<Utterance>),
    /// `stop`.
    Stop,
    /// `set_volume`.
    Volume(u8),
}

/// A speaker that records what it is asked to say (tests, and the `utterances` command).
#[derive(Debug, Clone, Default)]
pub struct RecordingSpeaker {
    log: Arc<Mutex<Vec<SpeechEvent>>>,
}

impl RecordingSpeaker {
    /// A new, empty recording.
    pub fn new() -> RecordingSpeaker {
        RecordingSpeaker::default()
    }

    /// Everything recorded so far, and clears the record.
    pub fn take(&self) -> Vec<SpeechEvent> {
        match self.log.lock() {
            Ok(mut log) => std::mem::take(&mut *log),
            Err(poisoned) => std::mem::take(&mut *poisoned.into_inner()),
        }
    }

    /// The text of every utterance said so far, in order, and clears the record.
    pub fn take_lines(&self) -> Vec<String> {
        self.take()
            .into_iter()
            .flat_map(|e| match e {
                SpeechEvent::Say(u) => u.into_iter().map(|u| u.text).collect(),
                _ => Vec::new(),
            })
            .collect()
    }

    fn push(&self, event: SpeechEvent) {
        match self.log.lock() {
            Ok(mut log) => log.push(event),
            Err(poisoned) => poisoned.into_inner().push(event),
        }
    }
}

impl Speaker for RecordingSpeaker {
    fn say(&self, utterances: &[Utterance]) {
        self.push(SpeechEvent::Say(utterances.to_vec()));
    }
    fn stop(&self) {
        self.push(SpeechEvent::Stop);
    }
    fn set_volume(&self, level: u8) {
        self.push(SpeechEvent::Volume(level));
    }
}

/// Facts speech mode needs beyond the flow's settings.
#[derive(Debug, Clone, Default)]
pub struct SpeechSettings {
    /// Speech goes to a headset or handset only (`ui.speech_headset`): typed answers may be
    /// read back. Otherwise they are "hidden".
    pub headset: bool,
    /// A headset plugged in now, as the kiosk senses it (`runtime/headset.rs` keeps it
    /// current); `None` where nothing senses it.
    pub headset_jack: Option<std::sync::Arc<std::sync::atomic::AtomicBool>>,
    /// The site's name as printed on the receipt (`device.site`).
    pub site: String,
    /// The help desk's hours as printed on the receipt (`device.help_hours`).
    pub help_hours: String,
}

impl SpeechSettings {
    /// Whether the sound goes to a headset or handset only: the technician said so
    /// (`ui.speech_headset`), or a headset is plugged in now.
    pub fn private_listening(&self) -> bool {
        self.headset
            || self
                .headset_jack
                .as_ref()
                .is_some_and(|j| j.load(std::sync::atomic::Ordering::Relaxed))
    }
}

/// One thing the resident can do on screen, in the linear order of speech mode.
#[derive(Debug, Clone, PartialEq)]
pub enum Control {
    /// The welcome screen's "touch to start".
    Start,
    /// A control of the top bar.
    Tool(Tool),
    /// "Search" on a long list.
    SearchOpen,
    /// "Show all" while searching.
    SearchClose,
    /// A language, group or service tile.
    Tile(String),
    /// An option of a choice or yes/no question.
    Choice(String),
    /// "Today", "Yesterday", "I'm not sure".
    DateQuick(&'static str),
    /// "Earlier" / "Later" on one part of a date.
    DateAdjust(String, i64),
    /// A key of the on-screen keyboard (its value).
    Key(String),
    /// "Type your answer": the keys of a question whose keys are apart (`Flow::keys_apart`).
    OpenKeys,
    /// Continue.
    Next,
    /// "Change" a row of the check page (or an error of its summary): the step.
    Change(i32),
    /// Send the request (also "Try again" after a failed save).
    Submit,
    /// "Finish" on the confirmation, "Start again" in the idle warning.
    Finish,
    /// "I need more time".
    MoreTime,
    /// The answer to "Start again?" / "Delete your answers?": true deletes.
    ConfirmAnswer(bool),
    /// "Delete my answers" after a failed save.
    DeleteAnswers,
    /// A key of "Check a request"'s reference pad (its value).
    LookupKey(String),
    /// A key of the staff PIN pad (its value; a digit is never said on the loudspeaker).
    PinKey(String),
    /// "End" on the assisted / practice strip: back to the staff desk.
    EndVisit,
    /// "Reprint receipt" for the request the staff look-up found.
    StaffReprint,
    /// "Send now".
    StaffSendNow,
    /// The review / rejected / help lists.
    StaffOpenLists,
    /// "Help a visitor".
    StaffHelpVisitor,
    /// "Practice mode".
    StaffPractice,
    /// "Done" on a help request (its id).
    StaffHelpDone(i64),
    /// "Send again" on a review item (its reference).
    StaffResolve(String),
    /// "It reached the council" on a review item (its reference).
    StaffMarkSent(String),
    /// "Re-file" on an item (its reference).
    StaffRefile(String),
    /// "Cancel request" on an item (its reference; asks first).
    StaffCancel(String),
    /// A service to re-file under (its code).
    StaffRefileTo(String),
}

/// A control as speech mode says it.
#[derive(Debug, Clone, PartialEq)]
pub struct SpokenControl {
    /// What activating it does.
    pub control: Control,
    /// What is said when it gets the focus ("Continue, button").
    pub text: String,
    /// The voice to say it in when not the resident's language (a language's own name).
    pub lang: Option<String>,
    /// Part of the top bar (focus starts after it).
    pub toolbar: bool,
}

/// What activating a control needs beyond the flow (the UI does it: it owns the workers).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Activated {
    /// The flow did everything.
    Done,
    /// Send the request: the caller runs its usual submit (the save goes to the store worker).
    Submit,
    /// A top-bar control: the caller runs its usual handler (help raises the staff flag).
    Tool(Tool),
}

impl Flow {
    fn st(&self, id: &str, args: &[(&str, Arg)]) -> String {
        self.translations().format(self.locale(), id, args)
    }

    fn say_button(&self, label: &str) -> String {
        self.st("speech-button", &[("label", Arg::from(label))])
    }

    /// `text`, or "hidden" when it is personal and may not go to the loudspeaker.
    fn private(&self, text: &str, settings: &SpeechSettings) -> String {
        if settings.private_listening() || text.trim().is_empty() {
            text.to_string()
        } else {
            self.t("speech-hidden")
        }
    }

    /// Whether the current question's typed value is the resident's own words.
    fn typed_question(&self) -> bool {
        self.current_step()
            .is_some_and(|s| self.keyboard_kind(&s) != KeyboardKind::None)
    }

    /// A reference said character by character ("L I B 7, dash, 0 0 0 4 2, dash, 7") so that
    /// it can be written down from hearing it.
    pub fn spell_reference(&self, reference: &str) -> String {
        let dash = format!(", {}, ", self.t("speech-dash"));
        reference
            .split('-')
            .map(|part| {
                part.chars()
                    .map(|c| c.to_string())
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect::<Vec<_>>()
            .join(&dash)
    }

    /// What speech mode says when a screen (or an overlay) appears, in reading order, before
    /// the focused control: title, hints, errors, values, and on the confirmation everything
    /// the receipt says.
    pub fn speech_screen(&self, settings: &SpeechSettings) -> Vec<String> {
        let mut lines = Vec::new();
        let mut push = |s: String| {
            if !s.trim().is_empty() {
                lines.push(s);
            }
        };
        if self.session.warning.is_some() {
            push(self.t("timeout-title"));
            push(self.timeout_text());
            return lines;
        }
        if let Some(confirm) = self.confirmation() {
            let (title, body) = match confirm {
                Confirm::StartOver => ("confirm-start-over-title", "confirm-start-over-body"),
                Confirm::DeleteAnswers => ("confirm-delete-title", "confirm-delete-body"),
                Confirm::CancelRequest => ("staff-cancel-title", "staff-cancel-body"),
            };
            push(self.t(title));
            push(self.t(body));
            return lines;
        }
        if self.session.screen != Screen::Welcome {
            // "Assisted by NAME" / "PRACTICE: nothing is sent", as on every such screen.
            push(self.mode_banner());
        }
        if self.session.screen != Screen::Welcome
            && let Some(id) = self.help_message_id()
        {
            push(self.t(id));
        }
        if self.menu_open() {
            // The menu stands in the page's place (`Flow::tools_in_menu`): what is said is its
            // name, and its tools are the controls; the page under it is not shown.
            push(self.t("tool-menu"));
            return lines;
        }
        match self.session.screen {
            Screen::Welcome => {
                push(self.settings().council.clone());
                push(self.t("welcome-touch"));
                push(self.t("welcome-purpose"));
                push(self.t("speech-how-to"));
            }
            Screen::Language | Screen::Groups | Screen::Services => {
                push(self.page_title());
                push(self.list_notice());
                if let Some(query) = &self.session.search {
                    push(self.st(
                        "speech-search-query",
                        &[("query", Arg::from(query.as_str()))],
                    ));
                }
                let count = self.tiles().len();
                push(self.st("speech-choices-count", &[("count", Arg::from(count))]));
            }
            Screen::Question => {
                let Some(q) = self.question_view() else {
                    return lines;
                };
                push(q.step_label.clone());
                push(q.caption.clone());
                push(self.service_intro());
                push(q.title.clone());
                push(q.hint.clone());
                if !q.error.is_empty() {
                    push(self.st("speech-error", &[("message", Arg::from(q.error.as_str()))]));
                }
                match q.kind {
                    QuestionKind::Info => push(q.value.clone()),
                    QuestionKind::ShortText | QuestionKind::LongText | QuestionKind::Number => {
                        push(self.typed_so_far(settings))
                    }
                    QuestionKind::Datetime => {
                        push(self.st("speech-date", &[("date", Arg::from(q.value.as_str()))]))
                    }
                    QuestionKind::Single | QuestionKind::Multi | QuestionKind::YesNo => {
                        let chosen: Vec<&str> = q
                            .choices
                            .iter()
                            .filter(|c| c.selected)
                            .map(|c| c.label.as_str())
                            .collect();
                        push(self.st(
                            "speech-choices-count",
                            &[("count", Arg::from(q.choices.len()))],
                        ));
                        if !chosen.is_empty() {
                            push(self.st(
                                "speech-chosen",
                                &[("choices", Arg::from(chosen.join(", ")))],
                            ));
                        }
                    }
                }
            }
            // The visitor's own Send after a member of staff helped (assisted mode).
            Screen::Consent => {
                push(self.t("consent-title"));
                push(self.consent_text());
            }
            // A resident checking on a request: what was typed and what the council said.
            Screen::CheckRequest => {
                push(self.t("lookup-title"));
                push(self.t("lookup-hint"));
                if !self.session.lookup.is_empty() {
                    // A reference is not personal: spelled out, as on the confirmation.
                    push(format!(
                        "{}: {}",
                        self.t("typed-so-far"),
                        self.spell_reference(&self.session.lookup)
                    ));
                }
                for line in self.lookup_lines().0 {
                    push(line);
                }
            }
            // Staff screens in reading order, like the residents' (a PIN is never said: only
            // how many digits were typed).
            Screen::StaffPin => {
                push(self.t("staff-pin-title"));
                push(self.pin_message());
                push(self.typed_so_far(settings));
            }
            Screen::StaffHome => {
                let home = self.staff_home_view();
                push(home.signed_in.clone());
                push(home.notice.clone());
                push(self.t("staff-lookup-label"));
                push(self.typed_so_far(settings));
                for row in &home.lookup {
                    push(self.speech_row(row));
                }
                push(self.t("staff-health-title"));
                for row in &home.health {
                    push(self.speech_row(row));
                }
            }
            Screen::StaffLists => {
                push(self.staff_home_view().notice);
                push(self.t("staff-help-title"));
                let help = self.staff_help_rows();
                if help.is_empty() {
                    push(self.t("staff-help-none"));
                }
                for h in help {
                    push(h.text);
                }
                push(self.t("staff-lists-title"));
                let items = self.staff_items();
                if items.is_empty() {
                    push(self.t("staff-lists-none"));
                }
                for item in items {
                    push(item.title);
                    push(item.detail);
                }
            }
            Screen::StaffRefile => {
                push(format!(
                    "{} {}",
                    self.t("staff-refile-title"),
                    self.spell_reference(&self.refile_reference())
                ));
                push(self.t("staff-refile-hint"));
            }
            Screen::StaffSent => {
                push(format!(
                    "{} {}",
                    self.t("staff-sent-title"),
                    self.spell_reference(&self.sent_reference())
                ));
                push(self.t("staff-sent-hint"));
                push(self.typed_so_far(settings));
                push(self.staff_home_view().notice);
            }
            Screen::Check => {
                push(self.t("check-title"));
                let errors = self.error_summary();
                if !errors.is_empty() {
                    push(self.t("error-summary-title"));
                    for e in errors {
                        push(self.st("speech-error", &[("message", Arg::from(e.message))]));
                    }
                }
                let steps = self.steps();
                for row in self.check_rows() {
                    let personal = row.step >= 0
                        && steps.get(row.step as usize).is_some_and(|s| {
                            *s != Step::ContactChoice && self.keyboard_kind(s) != KeyboardKind::None
                        })
                        && row.answer != self.t("check-not-answered");
                    let answer = if personal {
                        self.private(&row.answer, settings)
                    } else {
                        row.answer.clone()
                    };
                    push(self.st(
                        "speech-check-row",
                        &[
                            ("question", Arg::from(row.question.as_str())),
                            ("answer", Arg::from(answer)),
                        ],
                    ));
                    if row.has_error {
                        push(self.st("speech-error", &[("message", Arg::from(row.error))]));
                    }
                }
            }
            Screen::Submitting => push(self.t("submitting")),
            Screen::Confirmation => lines.extend(self.speech_receipt(settings)),
            Screen::SaveFailed => {
                push(self.t("save-failed-title"));
                if let Some(id) = self.session.save_error {
                    push(self.t(id));
                }
            }
        }
        lines
    }

    /// "Typed so far: …" for the current question, hidden on the loudspeaker; on the PIN pad
    /// only how many digits were typed; a reference or council number spelled out (not
    /// personal, as on the confirmation).
    pub fn typed_so_far(&self, settings: &SpeechSettings) -> String {
        let field = match self.session.screen {
            Screen::StaffPin => {
                let count = self.desk().map_or(0, |d| d.pin.chars().count());
                return self.st("speech-pin-entered", &[("count", Arg::from(count))]);
            }
            Screen::StaffHome => Some(self.staff_home_view().query),
            Screen::StaffSent => Some(self.sent_number()),
            Screen::CheckRequest => Some(self.session.lookup.clone()),
            _ => None,
        };
        if let Some(field) = field {
            let value = if field.is_empty() {
                self.t("speech-empty")
            } else {
                self.spell_reference(&field)
            };
            return format!("{}: {value}", self.t("typed-so-far"));
        }
        let value = self.question_view().map(|q| q.value).unwrap_or_default();
        let value = if value.is_empty() {
            self.t("speech-empty")
        } else if self.typed_question() {
            self.private(&value, settings)
        } else {
            value
        };
        format!("{}: {value}", self.t("typed-so-far"))
    }

    /// What the field on screen holds, for the UI to notice typing (a key press says
    /// [`Flow::typed_so_far`]). On the PIN pad only the number of digits: never the PIN.
    pub fn speech_typed_state(&self) -> String {
        match self.session.screen {
            Screen::Question => self.question_view().map(|q| q.value).unwrap_or_default(),
            Screen::StaffPin => self.desk().map_or(0, |d| d.pin.chars().count()).to_string(),
            Screen::StaffHome => self.staff_home_view().query,
            Screen::StaffSent => self.sent_number(),
            Screen::CheckRequest => self.session.lookup.clone(),
            _ => String::new(),
        }
    }

    /// What the kiosk answered on a staff screen since it appeared (the PIN check, a look-up's
    /// result, an action's notice), said when it changes.
    pub fn speech_news(&self) -> Vec<String> {
        let notice = || {
            let n = self.staff_home_view().notice;
            if n.is_empty() { Vec::new() } else { vec![n] }
        };
        match self.session.screen {
            Screen::StaffPin => {
                let pending = self
                    .desk()
                    .is_some_and(|d| d.checking || d.pin_outcome.is_some());
                if pending {
                    vec![self.pin_message()]
                } else {
                    Vec::new()
                }
            }
            Screen::StaffHome => {
                let home = self.staff_home_view();
                let mut lines: Vec<String> =
                    home.lookup.iter().map(|r| self.speech_row(r)).collect();
                if !home.notice.is_empty() {
                    lines.push(home.notice);
                }
                lines
            }
            Screen::StaffLists | Screen::StaffSent => notice(),
            _ => Vec::new(),
        }
    }

    /// A labelled line of the staff desk, with "needs attention" said, not only shown.
    fn speech_row(&self, row: &super::StaffRow) -> String {
        let line = self.st(
            "speech-check-row",
            &[
                ("question", Arg::from(row.label.as_str())),
                ("answer", Arg::from(row.value.as_str())),
            ],
        );
        if row.warn {
            self.st("speech-attention", &[("line", Arg::from(line))])
        } else {
            line
        }
    }

    /// The digit-and-letter pad's keys as speech says them, wherever it is shown (a resident's
    /// "Check a request", the staff home's look-up, the council number's page): one pad
    /// (`pages/lookup.slint`), one way of saying it — OK as a button, the others as keys.
    fn lookup_pad_spoken(&self) -> Vec<(Control, String)> {
        self.lookup_pad()
            .into_iter()
            .flatten()
            .map(|key| {
                let label = if key.accessible.is_empty() {
                    key.label.as_str()
                } else {
                    key.accessible.as_str()
                };
                let text = if key.value == super::staff::pad::OK {
                    self.say_button(label)
                } else {
                    self.st("speech-key", &[("label", Arg::from(label))])
                };
                (Control::LookupKey(key.value), text)
            })
            .collect()
    }

    /// The staff screens' controls after the top bar, in reading order.
    fn staff_controls(&self, out: &mut Vec<SpokenControl>, settings_headset: bool) {
        let mut add = |control: Control, text: String| {
            out.push(SpokenControl {
                control,
                text,
                lang: None,
                toolbar: false,
            })
        };
        match self.session.screen {
            Screen::StaffPin => {
                let keys: Vec<_> = self.pin_pad().into_iter().flatten().collect();
                let digits = keys.iter().filter(|k| k.value.len() == 1).count();
                let mut position = 0usize;
                for key in keys {
                    let text = if key.value.len() == 1 {
                        position += 1;
                        if settings_headset {
                            self.st("speech-key", &[("label", Arg::from(key.label.as_str()))])
                        } else {
                            // Where the digits are is shuffled, so a position says nothing.
                            self.st(
                                "speech-pin-digit",
                                &[
                                    ("position", Arg::from(position)),
                                    ("count", Arg::from(digits)),
                                ],
                            )
                        }
                    } else {
                        self.say_button(&key.accessible)
                    };
                    add(Control::PinKey(key.value), text);
                }
            }
            Screen::StaffHome => {
                let home = self.staff_home_view();
                if home.can_reprint {
                    add(
                        Control::StaffReprint,
                        self.say_button(&self.t("staff-reprint")),
                    );
                }
                add(
                    Control::StaffSendNow,
                    self.say_button(&self.t("staff-send-now")),
                );
                for (control, text) in self.lookup_pad_spoken() {
                    add(control, text);
                }
                add(
                    Control::StaffOpenLists,
                    self.say_button(&home.lists_label.replace('\n', ". ")),
                );
                add(
                    Control::StaffHelpVisitor,
                    self.say_button(&self.t("staff-help-visitor")),
                );
                add(
                    Control::StaffPractice,
                    self.say_button(&self.t("staff-practice")),
                );
            }
            Screen::StaffLists => {
                for h in self.staff_help_rows() {
                    let label = format!("{}: {}", self.t("staff-help-done"), h.text);
                    add(Control::StaffHelpDone(h.id), self.say_button(&label));
                }
                for item in self.staff_items() {
                    let spelled = self.spell_reference(&item.reference);
                    let label = |id: &str| format!("{} {spelled}", self.t(id));
                    if item.review {
                        add(
                            Control::StaffResolve(item.reference.clone()),
                            self.say_button(&label("staff-resolve")),
                        );
                        add(
                            Control::StaffMarkSent(item.reference.clone()),
                            self.say_button(&label("staff-resolve-sent")),
                        );
                    }
                    add(
                        Control::StaffRefile(item.reference.clone()),
                        self.say_button(&label("staff-refile")),
                    );
                    add(
                        Control::StaffCancel(item.reference.clone()),
                        self.say_button(&label("staff-cancel")),
                    );
                }
            }
            Screen::StaffRefile => {
                for c in self.refile_choices() {
                    add(Control::StaffRefileTo(c.key), self.say_button(&c.label));
                }
            }
            Screen::StaffSent => {
                for (control, text) in self.lookup_pad_spoken() {
                    add(control, text);
                }
            }
            _ => {}
        }
    }

    /// The confirmation read aloud: everything the screen and the paper receipt say, the
    /// reference spelled out and said twice (EN 301 549 5.1.3.16: receipts).
    fn speech_receipt(&self, settings: &SpeechSettings) -> Vec<String> {
        let mut lines = Vec::new();
        if self.session.practice {
            // Practice: what the screen says, with no reference to take away.
            lines.push(self.t("confirm-practice-title"));
            lines.push(self.t("confirm-practice"));
            match self.session.print_state {
                PrintState::Failed => lines.push(self.t("confirm-print-failed")),
                PrintState::Printed => lines.push(self.t("confirm-printed")),
                PrintState::Printing => lines.push(self.t("confirm-printing")),
                PrintState::None => {}
            }
            return lines;
        }
        let reference = self.session.reference.clone().unwrap_or_default();
        let spelled = self.spell_reference(&reference);
        lines.push(self.t("confirm-title"));
        lines.push(self.st(
            "speech-reference",
            &[("reference", Arg::from(spelled.as_str()))],
        ));
        lines.push(match self.session.print_state {
            PrintState::Failed => self.t("confirm-print-failed"),
            PrintState::Printed => self.t("confirm-printed"),
            PrintState::Printing => self.t("confirm-printing"),
            PrintState::None => self.t("confirm-no-printer"),
        });
        lines.push(self.t(if self.offline() {
            "confirm-offline"
        } else {
            "confirm-online"
        }));
        lines.push(self.t("speech-receipt-says"));
        let council = &self.settings().council;
        if !council.is_empty() {
            lines.push(council.clone());
        }
        if !settings.site.is_empty() {
            lines.push(settings.site.clone());
        }
        if let Some(service) = self
            .session
            .service
            .as_deref()
            .and_then(|c| self.catalog().service(c))
        {
            lines.push(self.st(
                "receipt-service",
                &[("service", Arg::from(service.service_name.as_str()))],
            ));
        }
        // The receipt's date line, written as on paper in the displayed language.
        if let Some(at) = self.session.saved_at {
            lines.push(self.st(
                "receipt-date",
                &[(
                    "datetime",
                    Arg::from(self.translations().datetime(self.locale(), at)),
                )],
            ));
        }
        lines.push(self.st(
            "speech-reference",
            &[("reference", Arg::from(spelled.as_str()))],
        ));
        // The QR code, described (it holds the reference).
        lines.push(self.t("confirm-qr-caption"));
        lines.push(self.t("confirm-next-title"));
        lines.push(self.t("confirm-next"));
        let timescale = self.timescale();
        if !timescale.is_empty() {
            lines.push(timescale);
        }
        let contact = &self.settings().help_contact;
        if !contact.is_empty() {
            lines.push(self.st(
                "confirm-contact",
                &[("contact", Arg::from(contact.as_str()))],
            ));
        }
        if !settings.help_hours.is_empty() {
            lines.push(self.st(
                "receipt-help-hours",
                &[("hours", Arg::from(settings.help_hours.as_str()))],
            ));
        }
        lines.push(self.t("receipt-keep"));
        lines
    }

    /// Every control on screen in speech mode's linear order: the top bar in reading order,
    /// then the page from top to bottom, the page's main action last.
    pub fn speech_controls(&self) -> Vec<SpokenControl> {
        self.speech_controls_for(false)
    }

    /// [`Flow::speech_controls`] for a headset (`true`: the PIN pad's digits may be said) or the
    /// loudspeaker (`false`: they never are).
    pub fn speech_controls_for(&self, headset: bool) -> Vec<SpokenControl> {
        let mut out = Vec::new();
        let mut add = |control: Control, text: String| {
            out.push(SpokenControl {
                toolbar: matches!(control, Control::Tool(_)),
                control,
                text,
                lang: None,
            })
        };
        if self.session.warning.is_some() {
            add(Control::MoreTime, self.say_button(&self.t("timeout-more")));
            add(Control::Finish, self.say_button(&self.timeout_finish()));
            return out;
        }
        if let Some(confirm) = self.confirmation() {
            let (keep, yes) = match confirm {
                Confirm::CancelRequest => ("staff-cancel-keep", "staff-cancel-yes"),
                Confirm::StartOver | Confirm::DeleteAnswers => ("confirm-keep", "confirm-delete"),
            };
            add(
                Control::ConfirmAnswer(false),
                self.say_button(&self.t(keep)),
            );
            add(Control::ConfirmAnswer(true), self.say_button(&self.t(yes)));
            return out;
        }
        if self.session.screen == Screen::Welcome {
            add(Control::Start, self.say_button(&self.t("welcome-touch")));
            return out;
        }
        // The top bar in reading order (the toolbar view is in visual order).
        let bar = self.toolbar();
        let mut tools: Vec<_> = bar.left.into_iter().chain(bar.right).collect();
        let mut drawer = bar.drawer;
        if self.rtl() {
            tools.reverse();
            drawer.reverse();
        }
        let menu_open = !bar.menu.is_empty();
        // Text size and High contrast follow "Text and contrast" when it is open: the row under
        // the bar comes after the bar's tools. The menu (already in reading order) stands for
        // the page while it is open.
        let bar_len = tools.len() + drawer.len();
        for tool in tools.into_iter().chain(drawer).chain(bar.menu) {
            let text = match tool.tool {
                Tool::TextSize | Tool::Contrast | Tool::Help | Tool::Display | Tool::Menu => self
                    .st(
                        if tool.on {
                            "speech-on-state"
                        } else {
                            "speech-off-state"
                        },
                        &[("label", Arg::from(tool.title.as_str()))],
                    ),
                _ => self.say_button(&tool.title),
            };
            add(Control::Tool(tool.tool), text);
        }
        if menu_open {
            // The menu is the page: the focus starts on its first tool.
            for c in out.iter_mut().skip(bar_len) {
                c.toolbar = false;
            }
            return out;
        }
        // The strip's "End" (assisted or practice), where the staff member may use it (in
        // the menu, with the other tools, where they are in one).
        if self.end_in_strip() {
            add(
                Control::EndVisit,
                self.say_button(&self.t("staff-end-visit")),
            );
        }
        match self.session.screen {
            Screen::Welcome => {}
            Screen::Language | Screen::Groups | Screen::Services => {
                if self.search_available() {
                    if self.session.search.is_some() {
                        add(
                            Control::SearchClose,
                            self.say_button(&self.t("search-close")),
                        );
                    } else {
                        add(Control::SearchOpen, self.say_button(&self.t("search-open")));
                    }
                }
                if self.session.search_typing {
                    self.add_keys(&mut out);
                    return out;
                }
                let tiles = self.tiles();
                let count = tiles.len();
                for (i, tile) in tiles.into_iter().enumerate() {
                    let label = if tile.subtitle.trim().is_empty() {
                        tile.title.clone()
                    } else {
                        format!("{}. {}", tile.title, tile.subtitle)
                    };
                    // The message puts its own full stop after the label.
                    let label = label.trim_end_matches(['.', '…', ' ']).to_string();
                    let text = self.st(
                        "speech-tile",
                        &[
                            ("label", Arg::from(label)),
                            ("position", Arg::from(i + 1)),
                            ("count", Arg::from(count)),
                        ],
                    );
                    let lang = (self.session.screen == Screen::Language).then(|| tile.key.clone());
                    out.push(SpokenControl {
                        control: Control::Tile(tile.key),
                        text,
                        lang,
                        toolbar: false,
                    });
                }
            }
            Screen::Question => {
                let Some(q) = self.question_view() else {
                    return out;
                };
                let count = q.choices.len();
                for (i, c) in q.choices.iter().enumerate() {
                    let text = self.st(
                        if c.selected {
                            "speech-selected"
                        } else {
                            "speech-not-selected"
                        },
                        &[
                            ("label", Arg::from(c.label.as_str())),
                            ("position", Arg::from(i + 1)),
                            ("count", Arg::from(count)),
                        ],
                    );
                    out.push(SpokenControl {
                        control: Control::Choice(c.key.clone()),
                        text,
                        lang: None,
                        toolbar: false,
                    });
                }
                if q.kind == QuestionKind::Datetime {
                    let mut quick = vec![("today", "date-today"), ("yesterday", "date-yesterday")];
                    if q.can_skip {
                        quick.push(("unsure", "date-unsure"));
                    }
                    for (which, id) in quick {
                        out.push(SpokenControl {
                            control: Control::DateQuick(which),
                            text: self.say_button(&self.t(id)),
                            lang: None,
                            toolbar: false,
                        });
                    }
                    for part in self.date_parts() {
                        for (delta, id) in [(-1, "date-earlier"), (1, "date-later")] {
                            let text = self.st(
                                "speech-date-part",
                                &[
                                    ("action", Arg::from(self.t(id))),
                                    ("part", Arg::from(part.label.as_str())),
                                    ("value", Arg::from(part.value.as_str())),
                                ],
                            );
                            out.push(SpokenControl {
                                control: Control::DateAdjust(part.field.clone(), delta),
                                text,
                                lang: None,
                                toolbar: false,
                            });
                        }
                    }
                }
                // The keys first (the keyboard is under the field), then Continue in the
                // action bar, with or without a keyboard; where the keys are a screen of their
                // own and not open, "Type your answer" before Continue, as the bar has them.
                self.add_keys(&mut out);
                if self.keys_hidden() {
                    out.push(SpokenControl {
                        control: Control::OpenKeys,
                        text: self.say_button(&self.t("keys-open")),
                        lang: None,
                        toolbar: false,
                    });
                }
                out.push(SpokenControl {
                    control: Control::Next,
                    text: self.say_button(&self.t("continue")),
                    lang: None,
                    toolbar: false,
                });
            }
            Screen::Check => {
                for row in self.check_rows().into_iter().filter(|r| r.step >= 0) {
                    out.push(SpokenControl {
                        control: Control::Change(row.step),
                        text: self.st(
                            "speech-change",
                            &[("question", Arg::from(row.question.as_str()))],
                        ),
                        lang: None,
                        toolbar: false,
                    });
                }
                out.push(SpokenControl {
                    control: Control::Submit,
                    text: self.say_button(&self.t("check-submit")),
                    lang: None,
                    toolbar: false,
                });
            }
            Screen::Consent => out.push(SpokenControl {
                control: Control::Submit,
                text: self.say_button(&self.t("consent-send")),
                lang: None,
                toolbar: false,
            }),
            // The pad's last key is "Check" (there is no other button).
            Screen::CheckRequest => {
                for (control, text) in self.lookup_pad_spoken() {
                    out.push(SpokenControl {
                        control,
                        text,
                        lang: None,
                        toolbar: false,
                    });
                }
            }
            Screen::StaffPin
            | Screen::StaffHome
            | Screen::StaffLists
            | Screen::StaffRefile
            | Screen::StaffSent => self.staff_controls(&mut out, headset),
            Screen::Submitting => {}
            Screen::Confirmation => out.push(SpokenControl {
                control: Control::Finish,
                text: self.say_button(&self.t("confirm-finish")),
                lang: None,
                toolbar: false,
            }),
            Screen::SaveFailed => {
                out.push(SpokenControl {
                    control: Control::Submit,
                    text: self.say_button(&self.t("save-failed-retry")),
                    lang: None,
                    toolbar: false,
                });
                out.push(SpokenControl {
                    control: Control::DeleteAnswers,
                    text: self.say_button(&self.t("save-failed-delete")),
                    lang: None,
                    toolbar: false,
                });
            }
        }
        out
    }

    fn add_keys(&self, out: &mut Vec<SpokenControl>) {
        let (_, rows) = self.keyboard();
        for key in rows.into_iter().flatten() {
            let text = if key.value == special::CONTINUE {
                self.say_button(&key.accessible)
            } else {
                self.st(
                    "speech-key",
                    &[("label", Arg::from(key.accessible.as_str()))],
                )
            };
            out.push(SpokenControl {
                control: Control::Key(key.value),
                text,
                lang: None,
                toolbar: false,
            });
        }
    }

    /// What speech mode says when this screen appears: the screen in reading order, then the
    /// control that has the focus. `guichet utterances` prints exactly this.
    pub fn speech_announcement(&self, settings: &SpeechSettings) -> Vec<Utterance> {
        let lang = self.locale().to_string();
        let mut out: Vec<Utterance> = self
            .speech_screen(settings)
            .into_iter()
            .map(|text| Utterance {
                text: plain(&text),
                lang: lang.clone(),
            })
            .collect();
        let controls = self.speech_controls_for(settings.private_listening());
        if let Some(c) = controls.get(Flow::speech_first_focus(&controls)) {
            out.push(Utterance {
                text: plain(&c.text),
                lang: c.lang.clone().unwrap_or(lang),
            });
        }
        out
    }

    /// Where the focus starts on a new screen: the first control of the page itself (the top
    /// bar is still reachable with "previous").
    pub fn speech_first_focus(controls: &[SpokenControl]) -> usize {
        controls.iter().position(|c| !c.toolbar).unwrap_or(0)
    }

    /// Does what a touch on `control` does. Sending and the top bar are left to the caller,
    /// which owns the store worker and the staff flag.
    pub fn speech_activate(&mut self, control: &Control) -> Activated {
        match control {
            Control::Start => self.start(),
            Control::Tool(tool) => return Activated::Tool(*tool),
            Control::SearchOpen => self.open_search(),
            Control::SearchClose => self.close_search(),
            Control::Tile(key) => self.choose_tile(key),
            Control::Choice(key) => self.toggle_choice(key),
            Control::DateQuick(which) => self.date_quick(which),
            Control::DateAdjust(part, delta) => self.date_adjust(part, *delta),
            Control::Key(value) => self.key(value),
            Control::OpenKeys => self.open_keys(),
            Control::Next => self.next(),
            Control::Change(step) => self.change((*step).max(0) as usize),
            Control::Submit => return Activated::Submit,
            // After helping or practising, back to the desk (as the touch does).
            Control::Finish => self.finish(),
            Control::MoreTime => self.more_time(),
            Control::ConfirmAnswer(yes) => self.confirm(*yes),
            Control::DeleteAnswers => self.delete_answers(),
            Control::LookupKey(value) => self.lookup_key(value),
            Control::PinKey(value) => self.pin_key(value),
            Control::EndVisit => self.staff_end_visit(),
            Control::StaffReprint => self.staff_reprint(),
            Control::StaffSendNow => self.staff_send_now(),
            Control::StaffOpenLists => self.staff_open_lists(),
            Control::StaffHelpVisitor => self.staff_help_visitor(),
            Control::StaffPractice => self.staff_practice(),
            Control::StaffHelpDone(id) => self.staff_help_done(*id),
            Control::StaffResolve(reference) => self.staff_resolve(reference),
            Control::StaffMarkSent(reference) => self.staff_mark_sent(reference),
            Control::StaffRefile(reference) => self.staff_refile(reference),
            Control::StaffCancel(reference) => self.staff_cancel(reference),
            Control::StaffRefileTo(code) => self.staff_refile_to(code),
        }
        Activated::Done
    }
}
