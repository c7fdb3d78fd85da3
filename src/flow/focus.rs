//! Which control on screen has speech mode's (or keyboard navigation's) focus: the UI draws
//! the focus ring (WCAG 2.4.7, 2.4.13) on the control whose focus id is [`Flow::focus_id`].
//! Controls of a list (tiles, choices, keys, the top bar's tools) are known by their key, which
//! the controller gives each of them ([`tile_id`], [`choice_id`], [`key_id`], [`tool_id`]): two
//! services or options with the same name are still two controls, and only the focused one
//! draws the ring. Every other control is known by its accessible label (`"label:"` and the
//! same translation the `.slint` page puts on it), unique on its screen. Kept beside
//! `speech.rs` so the linear order and the ring always agree.

use super::speech::Control;
use super::{Confirm, Flow, Screen, Tool};

/// The focus id of a language, group or service tile (its key).
pub fn tile_id(key: &str) -> String {
    format!("tile:{key}")
}

/// The focus id of an option of a choice question (its key).
pub fn choice_id(key: &str) -> String {
    format!("choice:{key}")
}

/// The focus id of a key of the keyboard, the reference pad or the PIN pad (its value; one
/// of them is on screen at a time).
pub fn key_id(value: &str) -> String {
    format!("key:{value}")
}

/// The focus id of a control of the top bar (or of the side column that stands in for it).
pub fn tool_id(tool: Tool) -> String {
    format!("tool:{}", tool.message_id())
}

impl Flow {
    /// The focus id of `control` on the current screen (see the module's doc); empty for the
    /// welcome screen's "touch anywhere".
    pub fn focus_id(&self, control: &Control) -> String {
        match control {
            Control::Start => String::new(),
            Control::Tool(tool) => tool_id(*tool),
            // One word with the confirmation's "Finish" in Arabic: its own id.
            Control::EndVisit => "end-visit".into(),
            Control::Tile(key) => tile_id(key),
            Control::Choice(key) => choice_id(key),
            Control::Key(value) | Control::LookupKey(value) | Control::PinKey(value) => {
                key_id(value)
            }
            other => format!("label:{}", self.control_label(other)),
        }
    }

    /// The accessible label of the control `control` stands for on the current screen; empty
    /// for the welcome screen's "touch anywhere" (the whole screen is that control).
    pub fn control_label(&self, control: &Control) -> String {
        let session = self.session();
        match control {
            Control::Start => String::new(),
            Control::Tool(tool) => {
                let bar = self.toolbar();
                bar.left
                    .into_iter()
                    .chain(bar.right)
                    .chain(bar.drawer)
                    .chain(bar.menu)
                    .find(|t| t.tool == *tool)
                    .map(|t| t.title)
                    .unwrap_or_default()
            }
            Control::SearchOpen => self.t("search-open"),
            Control::SearchClose => self.t("search-close"),
            Control::Tile(key) => self
                .tiles()
                .into_iter()
                .find(|t| &t.key == key)
                .map(|t| t.title)
                .unwrap_or_default(),
            Control::Choice(key) => self
                .question_view()
                .and_then(|q| q.choices.into_iter().find(|c| &c.key == key))
                .map(|c| c.label)
                .unwrap_or_default(),
            Control::DateQuick(which) => self.t(&format!("date-{which}")),
            Control::DateAdjust(field, delta) => {
                let action = self.t(if *delta < 0 {
                    "date-earlier"
                } else {
                    "date-later"
                });
                let part = self
                    .date_parts()
                    .into_iter()
                    .find(|p| &p.field == field)
                    .map(|p| p.label)
                    .unwrap_or_default();
                format!("{action}: {part}")
            }
            Control::Key(value) => self
                .keyboard()
                .1
                .into_iter()
                .flatten()
                .find(|k| &k.value == value)
                .map(|k| k.accessible)
                .unwrap_or_default(),
            Control::OpenKeys => self.t("keys-open"),
            Control::Next => self.t("continue"),
            Control::Change(step) => self
                .check_rows()
                .into_iter()
                .find(|r| r.step == *step)
                .map(|r| format!("{}: {}", self.t("check-change"), r.question))
                .unwrap_or_default(),
            Control::Submit => self.t(match session.screen {
                Screen::Consent => "consent-send",
                Screen::SaveFailed => "save-failed-retry",
                _ => "check-submit",
            }),
            Control::Finish if session.warning.is_some() => self.timeout_finish(),
            Control::Finish => self.t("confirm-finish"),
            Control::MoreTime => self.t("timeout-more"),
            Control::ConfirmAnswer(yes) => {
                let cancel = self.confirmation() == Some(Confirm::CancelRequest);
                self.t(match (cancel, yes) {
                    (true, false) => "staff-cancel-keep",
                    (true, true) => "staff-cancel-yes",
                    (false, false) => "confirm-keep",
                    (false, true) => "confirm-delete",
                })
            }
            Control::DeleteAnswers => self.t("save-failed-delete"),
            Control::LookupKey(value) => self
                .lookup_pad()
                .into_iter()
                .flatten()
                .find(|k| &k.value == value)
                .map(|k| {
                    if k.accessible.is_empty() {
                        k.label
                    } else {
                        k.accessible
                    }
                })
                .unwrap_or_default(),
            // The staff screens: the labels their .slint pages put on the controls.
            Control::PinKey(value) => self
                .pin_pad()
                .into_iter()
                .flatten()
                .find(|k| &k.value == value)
                .map(|k| k.accessible)
                .unwrap_or_default(),
            Control::EndVisit => self.t("staff-end-visit"),
            Control::StaffReprint => self.t("staff-reprint"),
            Control::StaffSendNow => self.t("staff-send-now"),
            Control::StaffOpenLists => self.staff_home_view().lists_label,
            Control::StaffHelpVisitor => self.t("staff-help-visitor"),
            Control::StaffPractice => self.t("staff-practice"),
            Control::StaffHelpDone(id) => self
                .staff_help_rows()
                .into_iter()
                .find(|h| h.id == *id)
                .map(|h| format!("{}: {}", self.t("staff-help-done"), h.text))
                .unwrap_or_default(),
            Control::StaffResolve(r) => format!("{} {r}", self.t("staff-resolve")),
            Control::StaffMarkSent(r) => format!("{} {r}", self.t("staff-resolve-sent")),
            Control::StaffRefile(r) => format!("{} {r}", self.t("staff-refile")),
            Control::StaffCancel(r) => format!("{} {r}", self.t("staff-cancel")),
            Control::StaffRefileTo(code) => self
                .refile_choices()
                .into_iter()
                .find(|c| &c.key == code)
                .map(|c| c.label)
                .unwrap_or_default(),
        }
    }
}
