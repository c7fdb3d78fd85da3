//! What each screen shows, computed from the flow as plain data (translated, ordered, ready to
//! render). The Slint adapter copies these into `Api` properties; tests read them directly.

use crate::catalog::Datatype;
use crate::i18n::{Arg, endonym, is_rtl};
use crate::validate::{Answer, Field, FieldError, Problem};

use super::keyboard::{self, Key, KeyboardKind};
use super::{Flow, Screen, Step, datetime};

/// Tile key for services without a group.
pub const NO_GROUP_KEY: &str = "~none";

/// A large tile.
#[derive(Debug, Clone, PartialEq)]
pub struct TileView {
    /// What `choose_tile` receives.
    pub key: String,
    /// Big text.
    pub title: String,
    /// Small text.
    pub subtitle: String,
}

/// One option of a choice question.
#[derive(Debug, Clone, PartialEq)]
pub struct ChoiceView {
    /// Value key.
    pub key: String,
    /// Shown text.
    pub label: String,
    /// Chosen.
    pub selected: bool,
}

/// How a question is answered, which decides its layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuestionKind {
    /// One line of text (Open311 `string`, the address, contact details).
    ShortText,
    /// Several lines of text (Open311 `text`, the description).
    LongText,
    /// A number (number pad).
    Number,
    /// A date and time (the picker).
    Datetime,
    /// One of a list.
    Single,
    /// Any of a list.
    Multi,
    /// Something to read, no answer.
    Info,
    /// Yes or no (contact opt-in).
    YesNo,
}

/// The question screen.
#[derive(Debug, Clone, PartialEq)]
pub struct QuestionView {
    /// How it is answered.
    pub kind: QuestionKind,
    /// The service name.
    pub caption: String,
    /// "Question 2 of 6".
    pub step_label: String,
    /// The question.
    pub title: String,
    /// A hint under it.
    pub hint: String,
    /// What was typed (or the date chosen, or the information text).
    pub value: String,
    /// The error, translated.
    pub error: String,
    /// Options for choice questions.
    pub choices: Vec<ChoiceView>,
    /// A date that may be left out: the picker offers "I'm not sure".
    pub can_skip: bool,
    /// An information page that is a safety warning (`catalog::is_urgent`): a warning sign
    /// and a title that says so.
    pub urgent: bool,
}

/// One part of the date picker.
#[derive(Debug, Clone, PartialEq)]
pub struct DatePartView {
    /// `day`, `month`, `year`, `hour`, `minute`.
    pub field: String,
    /// Translated label.
    pub label: String,
    /// Shown value.
    pub value: String,
}

/// A row of "check your answers".
#[derive(Debug, Clone, PartialEq)]
pub struct CheckRowView {
    /// The question.
    pub question: String,
    /// The answer as the resident would say it.
    pub answer: String,
    /// The step "Change" goes to, or -1 for none.
    pub step: i32,
    /// This answer must be fixed.
    pub has_error: bool,
    /// What to do about it (translated), empty when there is nothing to fix.
    pub error: String,
}

/// A line of the error summary.
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorView {
    /// "<question>: <what to do>".
    pub message: String,
    /// The step to go to.
    pub step: i32,
}

/// The error shown when "contact me?" is not answered.
pub fn choose_error() -> FieldError {
    FieldError {
        field: Field::ContactChoice,
        problem: Problem::Required,
    }
}

impl Flow {
    /// Whether the current language is written right to left.
    pub fn rtl(&self) -> bool {
        is_rtl(self.locale())
    }

    /// The welcome greeting, in the language of the moment.
    pub fn greeting(&self) -> (String, bool) {
        let locale = self.greeting_locale();
        (
            self.translations().text(locale, "welcome-touch"),
            is_rtl(locale),
        )
    }

    /// Questions not shown now that an answer still to come could bring in (`dependencies` on
    /// the current or a later question). While there are any, the count says "of up to N", so
    /// it never grows under the resident; once every condition is decided it is exact.
    fn questions_that_may_appear(&self, steps: &[Step], index: usize) -> usize {
        let Some(definition) = self
            .session
            .service
            .as_deref()
            .and_then(|code| self.catalog().definition(code))
        else {
            return 0;
        };
        let decided = |code: &str| {
            steps[..index]
                .iter()
                .any(|s| matches!(s, Step::Attribute(c) if c == code))
        };
        definition
            .attributes
            .iter()
            .filter(|a| a.variable)
            .filter(|a| {
                !steps
                    .iter()
                    .any(|s| matches!(s, Step::Attribute(c) if *c == a.code))
            })
            .filter(|a| {
                a.dependencies
                    .as_ref()
                    .is_some_and(|d| d.conditions.iter().any(|c| !decided(&c.attribute)))
            })
            .count()
    }

    /// "Question 3 of 5", counted so that it never jumps: information pages are not questions
    /// and carry no number; the contact details a resident chose to give are counted on their
    /// own ("Your contact details: 2 of 4"), so choosing them does not grow the total mid-way.
    fn step_label(&self, steps: &[Step], index: usize) -> String {
        let Some(step) = steps.get(index) else {
            return String::new();
        };
        let is_question =
            |s: &Step| !matches!(s, Step::Attribute(code) if !self.attribute_is_question(code));
        if !is_question(step) {
            return String::new();
        }
        let contact_start = steps
            .iter()
            .position(|s| matches!(s, Step::FirstName))
            .unwrap_or(steps.len());
        let (id, current, total) = if index >= contact_start {
            (
                "contact-step",
                index - contact_start + 1,
                steps.len() - contact_start,
            )
        } else {
            let questions = &steps[..contact_start];
            let total = questions.iter().filter(|s| is_question(s)).count();
            let hidden = self.questions_that_may_appear(steps, index);
            (
                if hidden > 0 {
                    "question-step-up-to"
                } else {
                    "question-step"
                },
                questions[..=index]
                    .iter()
                    .filter(|s| is_question(s))
                    .count(),
                total + hidden,
            )
        };
        self.translations().format(
            self.locale(),
            id,
            &[("current", Arg::from(current)), ("total", Arg::from(total))],
        )
    }

    /// Who receives a resident's details, why, how long the kiosk keeps them and where to ask:
    /// the council's own text when configured, else the standard notice in the resident's
    /// language.
    pub fn privacy_notice(&self) -> String {
        if let Some(notice) = &self.settings().privacy_notice {
            return notice.clone();
        }
        let settings = self.settings();
        let council = if settings.council.is_empty() {
            self.t("privacy-the-council")
        } else {
            settings.council.clone()
        };
        let mut text = self.translations().format(
            self.locale(),
            "privacy-notice",
            &[
                ("council", Arg::from(council.as_str())),
                ("days", Arg::from(settings.retention_days as usize)),
            ],
        );
        if !settings.help_contact.is_empty() {
            text.push(' ');
            text.push_str(&self.translations().format(
                self.locale(),
                "privacy-ask",
                &[("contact", Arg::from(settings.help_contact.as_str()))],
            ));
        }
        text
    }

    /// The council's timescale on the confirmation, in the same words as the receipt; empty
    /// when the configuration gives none.
    pub fn timescale(&self) -> String {
        match self.settings().response_days {
            Some(days) => self.translations().format(
                self.locale(),
                "receipt-timescale",
                &[("days", Arg::from(days as usize))],
            ),
            None => String::new(),
        }
    }

    /// What the kiosk is for, how long it takes and what the resident leaves with (a printed
    /// receipt, or a reference number on a kiosk without a printer), in the greeting's language
    /// (the welcome screen cycles both together).
    pub fn welcome_purpose(&self) -> String {
        let id = if self.settings.has_printer {
            "welcome-purpose"
        } else {
            "welcome-purpose-no-printer"
        };
        self.translations().text(self.greeting_locale(), id)
    }

    /// The heading of a tile page.
    pub fn page_title(&self) -> String {
        match self.session.screen {
            Screen::Language => self.t("language-title"),
            Screen::Groups => self.t("groups-title"),
            Screen::Services => match &self.session.group {
                Some(Some(g)) => g.clone(),
                _ => self.t("services-other"),
            },
            _ => String::new(),
        }
    }

    /// The tiles of the language, group or service page.
    pub fn tiles(&self) -> Vec<TileView> {
        let catalog = self.catalog();
        match self.session.screen {
            Screen::Language => self
                .settings()
                .languages
                .iter()
                .map(|l| TileView {
                    key: l.clone(),
                    title: endonym(l).to_string(),
                    subtitle: String::new(),
                })
                .collect(),
            Screen::Groups => {
                let mut tiles: Vec<TileView> = catalog
                    .groups()
                    .into_iter()
                    .map(|g| {
                        let names = catalog
                            .services_in_group(g.as_deref())
                            .map(|s| s.service_name.as_str())
                            .collect::<Vec<_>>()
                            .join(" · ");
                        TileView {
                            key: g.clone().unwrap_or_else(|| NO_GROUP_KEY.to_string()),
                            title: g.clone().unwrap_or_else(|| self.t("services-other")),
                            subtitle: super::clamp_for_tile(&names, super::TILE_TEXT_CHARS),
                        }
                    })
                    .collect();
                tiles.push(self.not_listed_tile());
                tiles
            }
            Screen::Services => {
                let mut tiles: Vec<TileView> = self
                    .listed_services()
                    .into_iter()
                    .map(|s| TileView {
                        key: s.service_code.clone(),
                        title: s.service_name.clone(),
                        subtitle: super::clamp_for_tile(&s.description, super::TILE_TEXT_CHARS),
                    })
                    .collect();
                tiles.push(self.not_listed_tile());
                tiles
            }
            _ => Vec::new(),
        }
    }

    /// "My problem is not listed", last on every list.
    fn not_listed_tile(&self) -> TileView {
        let subtitle = match self.catch_all_service() {
            Some(s) => self.translations().format(
                self.locale(),
                "not-listed-catch-all",
                &[("service", Arg::from(s.service_name.clone()))],
            ),
            None => self.t("not-listed-desk-hint"),
        };
        TileView {
            key: super::NOT_LISTED_KEY.to_string(),
            title: self.t("not-listed"),
            subtitle,
        }
    }

    /// A translated error message for a field error.
    pub fn error_message(&self, error: &FieldError) -> String {
        let tr = self.translations();
        match &error.problem {
            Problem::TooLong { max } => tr.format(
                self.locale(),
                error.problem.message_id(),
                &[("max", Arg::from(*max))],
            ),
            Problem::NumberRule { min, max, .. } => {
                let mut args = Vec::new();
                if let Some(lo) = min {
                    args.push(("min", Arg::from(self.local_number(*lo))));
                }
                if let Some(hi) = max {
                    args.push(("max", Arg::from(self.local_number(*hi))));
                }
                tr.format(self.locale(), error.problem.message_id(), &args)
            }
            p if error.field == Field::ContactChoice => {
                let _ = p;
                self.t("error-choose-yes-no")
            }
            p => self.t(p.message_id()),
        }
    }

    /// A number as the resident's language writes it (decimal comma outside English and Arabic,
    /// as the number pad's separator key).
    pub(super) fn local_number(&self, n: f64) -> String {
        let text = crate::validate::format_number(n);
        if matches!(self.locale(), "en" | "ar") {
            text
        } else {
            text.replace('.', ",")
        }
    }

    /// The rule of a number question said in the hint, in the error's words ("Enter a whole
    /// number from 0 to 10."): residents see the range before they type, not only after.
    fn number_rule_hint(&self, rule: crate::catalog::NumberRule) -> String {
        self.error_message(&FieldError {
            field: Field::Description,
            problem: Problem::from(rule),
        })
    }

    fn step_title(&self, step: &Step) -> String {
        match step {
            Step::Attribute(code) => self
                .attribute(code)
                .map(|a| {
                    if a.variable {
                        a.description.clone()
                    } else {
                        self.t("info-title")
                    }
                })
                .unwrap_or_default(),
            Step::Description => self.t("description-title"),
            Step::Address => self.t("address-title"),
            Step::ContactChoice => self.t("contact-choice-title"),
            Step::FirstName => self.t("first-name-title"),
            Step::LastName => self.t("last-name-title"),
            Step::Email => self.t("email-title"),
            Step::Phone => self.t("phone-title"),
        }
    }

    /// The current question, ready to show.
    pub fn question_view(&self) -> Option<QuestionView> {
        let step = self.current_step()?;
        let steps = self.steps();
        let service_name = self
            .session
            .service
            .as_deref()
            .and_then(|c| self.catalog().service(c))
            .map(|s| s.service_name.clone())
            .unwrap_or_default();
        let input = &self.session.input;
        let text_of = |s: &str| s.to_string();
        let mut view = QuestionView {
            kind: QuestionKind::ShortText,
            caption: service_name,
            step_label: self.step_label(&steps, self.session.step),
            title: self.step_title(&step),
            hint: String::new(),
            value: String::new(),
            error: self
                .session
                .error
                .as_ref()
                .map(|e| self.error_message(e))
                .unwrap_or_default(),
            choices: Vec::new(),
            can_skip: false,
            urgent: false,
        };
        match &step {
            Step::Attribute(code) => {
                let Some(a) = self.attribute(code) else {
                    return Some(view);
                };
                // Catalogues send hints as fragments ("choose all that apply"): shown as a sentence.
                view.hint = sentence_case(&a.datatype_description);
                if !a.required && a.variable {
                    view.hint = join_hint(&self.t("optional"), &view.hint);
                }
                let answer = input.answers.get(code);
                if !a.variable {
                    view.kind = QuestionKind::Info;
                    view.value = a.description.clone();
                    view.hint.clear();
                    view.urgent = crate::catalog::is_urgent(&a.description);
                    if view.urgent {
                        view.title = self.t("info-title-urgent");
                    }
                    return Some(view);
                }
                match a.datatype {
                    Datatype::String | Datatype::Text | Datatype::Number => {
                        view.kind = match a.datatype {
                            Datatype::Text => QuestionKind::LongText,
                            Datatype::Number => QuestionKind::Number,
                            _ => QuestionKind::ShortText,
                        };
                        if let Some(Answer::One(s)) = answer {
                            view.value = text_of(s);
                        }
                        if a.datatype == Datatype::Number {
                            // The range goes in the hint unless the council's own words
                            // already say it ("up to 10 items per collection").
                            let rule = a.number_rule();
                            let said = |n: f64| {
                                let n = crate::validate::format_number(n);
                                a.description.contains(&n) || a.datatype_description.contains(&n)
                            };
                            let implicit_min = |n: f64| rule.whole && n == 0.0;
                            let unsaid = rule.max.is_some_and(|n| !said(n))
                                || rule.min.is_some_and(|n| !said(n) && !implicit_min(n));
                            if unsaid {
                                view.hint = join_hint(&view.hint, &self.number_rule_hint(rule));
                            }
                        }
                    }
                    Datatype::Datetime => {
                        view.kind = QuestionKind::Datetime;
                        view.can_skip = !a.required;
                        view.value = match self.session.dates.get(code) {
                            Some(p) if p.chosen => self.format_datetime(&p.answer_text()),
                            _ => self.t("date-not-chosen"),
                        };
                    }
                    Datatype::Singlevaluelist | Datatype::Multivaluelist => {
                        let multi = a.datatype == Datatype::Multivaluelist;
                        view.kind = if multi {
                            QuestionKind::Multi
                        } else {
                            QuestionKind::Single
                        };
                        if view.hint.is_empty() || multi {
                            let extra = self.t(if multi { "choose-all" } else { "choose-one" });
                            if !view.hint.contains(&extra) && a.datatype_description.is_empty() {
                                view.hint = join_hint(&view.hint, &extra);
                            }
                        }
                        let chosen: Vec<&str> = match answer {
                            Some(Answer::One(k)) => vec![k.as_str()],
                            Some(Answer::Many(ks)) => ks.iter().map(String::as_str).collect(),
                            None => Vec::new(),
                        };
                        view.choices = a
                            .values
                            .iter()
                            .map(|v| ChoiceView {
                                key: v.key.clone(),
                                label: v.name.clone(),
                                selected: chosen.contains(&v.key.as_str()),
                            })
                            .collect();
                    }
                }
            }
            Step::Description => {
                view.kind = QuestionKind::LongText;
                view.hint = join_hint(&self.t("description-hint"), &self.t("no-personal-details"));
                view.value = text_of(&input.description);
            }
            Step::Address => {
                view.hint = self.t("address-hint");
                view.value = text_of(&input.address);
            }
            Step::ContactChoice => {
                view.kind = QuestionKind::YesNo;
                // The privacy notice comes before the first personal question (UK GDPR art. 13).
                view.hint = self.privacy_notice();
                view.choices = vec![
                    ChoiceView {
                        key: "yes".into(),
                        label: self.t("contact-yes"),
                        selected: self.session.wants_contact == Some(true),
                    },
                    ChoiceView {
                        key: "no".into(),
                        label: self.t("contact-no"),
                        selected: self.session.wants_contact == Some(false),
                    },
                ];
            }
            Step::FirstName | Step::LastName | Step::Email | Step::Phone => {
                view.hint = self.t("optional");
                view.value = text_of(match step {
                    Step::FirstName => &input.contact.first_name,
                    Step::LastName => &input.contact.last_name,
                    Step::Email => &input.contact.email,
                    _ => &input.contact.phone,
                });
                if step == Step::Phone {
                    view.kind = QuestionKind::Number;
                }
            }
        }
        Some(view)
    }

    /// The keyboard to show with the current question.
    pub fn keyboard(&self) -> (KeyboardKind, Vec<Vec<Key>>) {
        if self.session.screen == Screen::Services && self.session.search_typing {
            let rows = keyboard::layout(
                KeyboardKind::Text,
                self.locale(),
                self.session.keyboard_mode,
                self.session.shift,
                false,
            );
            let mut rows = rows;
            // Keywords need no digit row, and the list of what was found needs the room.
            if rows.first().is_some_and(|r| {
                r.iter()
                    .all(|k| k.value.chars().all(|c| c.is_ascii_digit()))
            }) {
                rows.remove(0);
            }
            // Done closes the keyboard and shows what was found.
            if let Some(last) = rows.last_mut() {
                last.push(keyboard::done_key());
            }
            let rows = keyboard::fit(
                rows,
                self.keyboard_room,
                self.session.keyboard_page,
                self.largest_text(),
            );
            let rows = self.label_keys(rows);
            return (KeyboardKind::Text, rows);
        }
        let Some(step) = self.current_step() else {
            return (KeyboardKind::None, Vec::new());
        };
        if self.keys_hidden() {
            return (KeyboardKind::None, Vec::new());
        }
        let kind = self.keyboard_kind(&step);
        let multiline = matches!(
            self.question_view().map(|q| q.kind),
            Some(QuestionKind::LongText)
        );
        let mode = if step == Step::Email
            && self.session.keyboard_mode == keyboard::Mode::Native
            && matches!(self.locale(), "ar" | "uk")
        {
            // E-mail addresses are written in Latin letters.
            keyboard::Mode::Latin
        } else {
            self.session.keyboard_mode
        };
        let mut rows = keyboard::layout(kind, self.locale(), mode, self.session.shift, multiline);
        if self.keyboard_short && kind == KeyboardKind::Text && mode != keyboard::Mode::Symbols {
            rows.remove(0); // the digit row (see `set_window_mm`)
        }
        let rows = match kind {
            KeyboardKind::Text => {
                let room = match self.keyboard_side_room {
                    Some(room) if self.typing_beside() => room,
                    _ => self.keyboard_room,
                };
                keyboard::fit(rows, room, self.session.keyboard_page, self.largest_text())
            }
            _ if self.largest_text() => keyboard::widen_pad(kind, rows),
            _ => rows,
        };
        (kind, self.label_keys(rows))
    }

    /// Translates the special keys' names and shows them on the keys: a word ("Space",
    /// "Delete") is understood where a symbol (␣ ⌫) is not, and the visible label is then the
    /// spoken one (WCAG 2.5.3).
    fn label_keys(&self, mut rows: Vec<Vec<Key>>) -> Vec<Vec<Key>> {
        for key in rows.iter_mut().flatten() {
            if let Some(id) = keyboard::short_message_id(&key.accessible) {
                key.short = self.t(&id);
            }
            if key.value == keyboard::special::MORE_LETTERS {
                // "More letters 1/2": which page is up, in words and numbers.
                key.accessible = format!("{} {}", self.t(&key.accessible), key.label);
                key.label = key.accessible.clone();
            } else if key.value.starts_with('{') {
                key.accessible = self.t(&key.accessible);
                key.label = key.accessible.clone();
            }
        }
        rows
    }

    /// The parts of the date picker for the current question.
    pub fn date_parts(&self) -> Vec<DatePartView> {
        let Some(Step::Attribute(code)) = self.current_step() else {
            return Vec::new();
        };
        let picker = self.session.dates.get(&code).copied().unwrap_or_else(|| {
            datetime::DatePicker::new(self.now_local(), self.date_wants_time(&code))
        });
        let v = picker.value;
        picker
            .parts()
            .iter()
            .map(|part| DatePartView {
                field: part.to_string(),
                label: self.t(&format!("date-{part}")),
                value: match *part {
                    "day" => v.day().to_string(),
                    "month" => self.t(&format!("month-{}", v.month() as u8)),
                    "year" => v.year().to_string(),
                    "hour" => format!("{:02}", v.hour()),
                    _ => format!("{:02}", v.minute()),
                },
            })
            .collect()
    }

    /// A date and time as a resident reads it: "27 November 2026, 14:30".
    pub fn format_datetime(&self, answer: &str) -> String {
        match datetime::parse_answer(answer) {
            Some(v) if datetime::is_date_only(answer) => {
                self.translations().date(self.locale(), v.date())
            }
            Some(v) => self.translations().datetime(self.locale(), v),
            None => answer.to_string(),
        }
    }

    fn answer_text(&self, step: &Step) -> String {
        let input = &self.session.input;
        let text = match step {
            Step::Attribute(code) => {
                let Some(a) = self.attribute(code) else {
                    return String::new();
                };
                match (a.datatype, input.answers.get(code)) {
                    (_, None) => String::new(),
                    (Datatype::Datetime, Some(Answer::One(s))) if !s.is_empty() => {
                        self.format_datetime(s)
                    }
                    (_, Some(Answer::One(s))) => a
                        .value(s)
                        .map(|v| v.name.clone())
                        .unwrap_or_else(|| s.clone()),
                    (_, Some(Answer::Many(keys))) => keys
                        .iter()
                        .map(|k| {
                            a.value(k)
                                .map(|v| v.name.clone())
                                .unwrap_or_else(|| k.clone())
                        })
                        .collect::<Vec<_>>()
                        .join(", "),
                }
            }
            Step::Description => input.description.clone(),
            Step::Address => input.address.clone(),
            Step::ContactChoice => String::new(),
            Step::FirstName => input.contact.first_name.clone(),
            Step::LastName => input.contact.last_name.clone(),
            Step::Email => input.contact.email.clone(),
            Step::Phone => input.contact.phone.clone(),
        };
        if text.trim().is_empty() {
            self.t("check-not-answered")
        } else {
            text
        }
    }

    /// The rows of "check your answers".
    pub fn check_rows(&self) -> Vec<CheckRowView> {
        let mut rows = Vec::new();
        if let Some(service) = self
            .session
            .service
            .as_deref()
            .and_then(|c| self.catalog().service(c))
        {
            rows.push(CheckRowView {
                question: self.t("check-service"),
                answer: service.service_name.clone(),
                step: -1,
                has_error: false,
                error: String::new(),
            });
        }
        let errors = &self.session.check_errors;
        for (i, step) in self.steps().iter().enumerate() {
            let is_info = matches!(step, Step::Attribute(c) if self.attribute(c).is_some_and(|a| !a.variable));
            if is_info {
                continue;
            }
            let (question, answer) = if *step == Step::ContactChoice {
                let answer = if self.session.wants_contact == Some(true) {
                    self.t("contact-yes")
                } else {
                    self.t("check-contact-none")
                };
                (self.t("check-contact"), answer)
            } else {
                (self.step_title(step), self.answer_text(step))
            };
            let fields = super::steps::fields_of(step);
            let error = errors
                .iter()
                .find(|e| fields.contains(&e.field))
                .map(|e| self.error_message(e));
            rows.push(CheckRowView {
                question,
                answer,
                step: i as i32,
                has_error: error.is_some(),
                error: error.unwrap_or_default(),
            });
        }
        rows
    }

    /// The error summary of the check page (after a send attempt).
    pub fn error_summary(&self) -> Vec<ErrorView> {
        self.session
            .check_errors
            .iter()
            .map(|e| {
                let step = self.step_of_field(&e.field);
                let question = step
                    .and_then(|i| self.steps().get(i).cloned())
                    .map(|s| self.step_title(&s))
                    .unwrap_or_default();
                ErrorView {
                    message: if question.is_empty() {
                        self.error_message(e)
                    } else {
                        format!("{question} — {}", self.error_message(e))
                    },
                    step: step.map_or(-1, |i| i as i32),
                }
            })
            .collect()
    }

    /// The idle warning's second button: "Start again" for a resident (the answers go), "Lock
    /// now" on a staff screen, "Close now" on the PIN pad (nobody is signed in to lock).
    pub fn timeout_finish(&self) -> String {
        self.t(match self.idle_end() {
            IdleEnd::Answers => "timeout-finish",
            IdleEnd::Desk => "timeout-lock",
            IdleEnd::PinPad => "timeout-close",
        })
    }

    /// The idle warning's text with the seconds left: the answers to be cleared, on a staff
    /// screen the desk to be locked, on the PIN pad the pad to be closed.
    pub fn timeout_text(&self) -> String {
        let id = match self.idle_end() {
            IdleEnd::Answers => "timeout-body",
            IdleEnd::Desk => "timeout-staff-body",
            IdleEnd::PinPad => "timeout-pin-body",
        };
        self.translations().format(
            self.locale(),
            id,
            &[(
                "seconds",
                Arg::from(self.session.warning.unwrap_or(0) as i64),
            )],
        )
    }

    /// What the idle timeout ends on this screen.
    fn idle_end(&self) -> IdleEnd {
        if !self.session.screen.is_staff() {
            IdleEnd::Answers
        } else if self.staff_signed_in() {
            IdleEnd::Desk
        } else {
            IdleEnd::PinPad
        }
    }
}

/// `text` with its first letter capitalised (for the scripts that have capitals; Arabic is
/// unchanged).
fn sentence_case(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// How many of a line's last words [`TypedEcho::tails`] offers: more than one line of the box
/// beside the keys holds at the largest size on the narrowest panel (about 15 characters).
pub const TYPED_TAILS_MAX: usize = 8;

/// What was typed, for the one-line box above or beside the keys (the field itself may be out
/// of view): the line being typed (after the last "New line"), whether lines come before it,
/// and the line's ends that begin at a word, shortest first, the line itself last. Slint shows
/// the line whole when it fits and no line comes before; otherwise "…" and the longest end that
/// fits: what was just typed, in whole words, the caret after it. A "New line" leaves the box
/// with "…" and the caret: a new line begun. (Before, each line typed made the box a line
/// taller, and on a 7" panel the question's title gave way to it.) Slint cannot split a string
/// itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypedEcho {
    /// The line being typed.
    pub line: String,
    /// Lines come before it.
    pub earlier: bool,
    /// Its ends that begin at a word, shortest first, the line itself last; the last
    /// [`TYPED_TAILS_MAX`] words' at most.
    pub tails: Vec<String>,
}

impl TypedEcho {
    /// The echo of `value`.
    pub fn of(value: &str) -> TypedEcho {
        let (earlier, line) = match value.rfind('\n') {
            Some(at) => (true, &value[at + 1..]),
            None => (false, value),
        };
        let mut starts: Vec<usize> = line
            .char_indices()
            .zip(line.chars().skip(1))
            .filter(|((_, c), next)| c.is_whitespace() && !next.is_whitespace())
            .map(|((i, c), _)| i + c.len_utf8())
            .collect();
        let first_word = line.find(|c: char| !c.is_whitespace());
        if let Some(first) = first_word.filter(|&i| i > 0) {
            // Spaces before the first word are not an end of their own.
            starts.retain(|&i| i != first);
        }
        starts.insert(0, 0);
        starts.reverse();
        starts.truncate(TYPED_TAILS_MAX);
        let tails = if line.is_empty() {
            Vec::new()
        } else {
            starts.into_iter().map(|i| line[i..].to_string()).collect()
        };
        TypedEcho {
            line: line.to_string(),
            earlier,
            tails,
        }
    }
}

fn join_hint(a: &str, b: &str) -> String {
    match (a.is_empty(), b.is_empty()) {
        (true, _) => b.to_string(),
        (_, true) => a.to_string(),
        _ => format!("{a} — {b}"),
    }
}

/// What the idle timeout ends: a resident's answers, the staff desk (locked), or the PIN pad
/// (closed: nobody is signed in).
enum IdleEnd {
    Answers,
    Desk,
    PinPad,
}

#[cfg(test)]
mod tests {
    use super::{TYPED_TAILS_MAX, TypedEcho, sentence_case};

    #[test]
    fn the_echo_of_what_was_typed_is_its_last_line_and_its_ends() {
        let echo = TypedEcho::of("12 Station Road, flat 3");
        assert_eq!(echo.line, "12 Station Road, flat 3");
        assert!(!echo.earlier);
        assert_eq!(
            echo.tails,
            [
                "3",
                "flat 3",
                "Road, flat 3",
                "Station Road, flat 3",
                "12 Station Road, flat 3"
            ]
        );
        // Spaces typed last stay (the caret goes after them); runs of spaces are one break;
        // spaces before the first word are no end of their own.
        assert_eq!(
            TypedEcho::of("12  Station ").tails,
            ["Station ", "12  Station "]
        );
        assert_eq!(TypedEcho::of(" leading").tails, [" leading"]);
        assert_eq!(
            TypedEcho::of("someone@example.org").tails,
            ["someone@example.org"]
        );
        assert!(TypedEcho::of("").tails.is_empty());
        // "New line": the line being typed, lines before it.
        let echo = TypedEcho::of("Swing broken\nnear the gate");
        assert_eq!((echo.line.as_str(), echo.earlier), ("near the gate", true));
        assert_eq!(echo.tails, ["gate", "the gate", "near the gate"]);
        let echo = TypedEcho::of("Swing broken\n");
        assert_eq!((echo.line.as_str(), echo.earlier), ("", true));
        assert!(echo.tails.is_empty());
        // Right to left and multi-byte letters: cut at characters, never inside one.
        assert_eq!(
            TypedEcho::of("شارع المحطة ١٢").tails,
            ["١٢", "المحطة ١٢", "شارع المحطة ١٢"]
        );
        // At most the last words.
        let long = vec!["w"; 20].join(" ");
        let tails = TypedEcho::of(&long).tails;
        assert_eq!(tails.len(), TYPED_TAILS_MAX);
        assert_eq!(tails.last().map(|t| t.len()), Some(2 * TYPED_TAILS_MAX - 1));
    }

    #[test]
    fn catalogue_hints_read_as_sentences() {
        assert_eq!(
            sentence_case("choose all that apply"),
            "Choose all that apply"
        );
        assert_eq!(sentence_case("élément"), "Élément");
        assert_eq!(sentence_case("اختر"), "اختر");
        assert_eq!(sentence_case(""), "");
    }
}
