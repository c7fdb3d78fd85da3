//! Speech mode on the UI thread: which control has the focus, what to say after each change,
//! and what keys and coarse touch zones do. What is said comes from `flow::speech`; how it is
//! said is the [`Speaker`] the kiosk installs (espeak-ng, `runtime::speech`).
//!
//! Started without sight: a long press (2 s) anywhere on the welcome screen, or F1 on a keyboard
//! or keypad. In speech mode a transparent layer over the window turns any touch into one of
//! three gestures that need no precision (top third: previous; middle: activate; bottom third:
//! next), and keys do the same (Tab / Shift+Tab / Enter, arrows, R repeats, Escape stops, + and
//! − change the volume). Keys also move a visible focus (the caption bar) when speech is off.
//! A session's end (the welcome screen again) turns speech off and resets the volume.

use crate::flow::speech::{
    Control, Speaker, SpeechSettings, SpokenControl, Utterance, VOLUME_DEFAULT, VOLUME_MAX, plain,
};
use crate::flow::{Flow, Screen};

/// A speaker that says nothing (a kiosk without speech, the screenshot renderer).
pub struct Silent;

impl Speaker for Silent {
    fn say(&self, _: &[Utterance]) {}
    fn stop(&self) {}
    fn set_volume(&self, _: u8) {}
}

/// What a key does in speech mode (and for keyboard navigation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NavKey {
    /// F1: speech mode on or off.
    Toggle,
    /// Tab, Down, (Right in left-to-right).
    Next,
    /// Shift+Tab, Up, (Left in left-to-right).
    Previous,
    /// Enter or Space.
    Activate,
    /// R or F2: say the screen again.
    Repeat,
    /// Escape: stop speaking.
    Stop,
    /// `+`.
    Louder,
    /// `-`.
    Quieter,
}

impl NavKey {
    /// The meaning of a key as Slint reports it (`KeyEvent.text`), or None for a key that is not
    /// for navigation (it is left to the page).
    ///
    /// The one-character shortcuts (R, +, −: WCAG 2.1.4) are speech mode's own: with it off
    /// (`speech_on` false) they mean nothing, so turning speech mode off turns them off. Typed
    /// into a text field (`typing`: the reference field, from a keyboard or a scanner), they and
    /// space are characters of what is typed, never shortcuts.
    pub fn from_key(
        text: &str,
        shift: bool,
        rtl: bool,
        speech_on: bool,
        typing: bool,
    ) -> Option<NavKey> {
        use slint::platform::Key;
        let is = |k: Key| text == slint::SharedString::from(k).as_str();
        let shortcuts = speech_on && !typing;
        if is(Key::F1) {
            Some(NavKey::Toggle)
        } else if is(Key::Backtab) || (is(Key::Tab) && shift) || is(Key::UpArrow) {
            Some(NavKey::Previous)
        } else if is(Key::Tab) || is(Key::DownArrow) {
            Some(NavKey::Next)
        } else if is(Key::RightArrow) {
            Some(if rtl { NavKey::Previous } else { NavKey::Next })
        } else if is(Key::LeftArrow) {
            Some(if rtl { NavKey::Next } else { NavKey::Previous })
        } else if is(Key::Return) || text == "\r" || (text == " " && !typing) {
            Some(NavKey::Activate)
        } else if is(Key::F2) || (shortcuts && text.eq_ignore_ascii_case("r")) {
            Some(NavKey::Repeat)
        } else if is(Key::Escape) {
            Some(NavKey::Stop)
        } else if shortcuts && (text == "+" || text == "=") {
            Some(NavKey::Louder)
        } else if shortcuts && text == "-" {
            Some(NavKey::Quieter)
        } else {
            None
        }
    }
}

/// A keyboard's key that switches its layout (`{mode:symbols}`, `{mode:native}`…).
fn is_mode_key(control: &Control) -> bool {
    matches!(control, Control::Key(k) if k.starts_with("{mode:"))
}

/// Speech mode's state (lives in the controller, on the UI thread).
pub struct SpeechDriver {
    speaker: Box<dyn Speaker>,
    settings: SpeechSettings,
    /// Speech mode is on.
    pub on: bool,
    /// Keyboard navigation has been used this session (the focus is shown).
    pub navigating: bool,
    /// Index into the current screen's controls.
    focus: usize,
    /// The control at `focus` when it was last set: a change on the same screen that adds or
    /// removes controls before it (the "Text and contrast" drawer opening) keeps the focus on
    /// this control, not on whatever now has its index.
    focus_control: Option<Control>,
    volume: u8,
    /// What identifies the screen last announced.
    screen_key: String,
    /// The focused control's text last said (a toggled choice is said again).
    focus_text: String,
    /// The question's error last said.
    error: String,
    /// What was typed, last seen (a key press says "typed so far"; on the PIN pad, a count).
    typed: String,
    /// A staff screen's answers, last said (`Flow::speech_news`).
    news: Vec<String>,
    warning_said: Option<u32>,
}

impl SpeechDriver {
    /// A driver with `speaker`, speech mode off.
    pub fn new(speaker: Box<dyn Speaker>, settings: SpeechSettings) -> SpeechDriver {
        SpeechDriver {
            speaker,
            settings,
            on: false,
            navigating: false,
            focus: 0,
            focus_control: None,
            volume: VOLUME_DEFAULT,
            screen_key: String::new(),
            focus_text: String::new(),
            error: String::new(),
            typed: String::new(),
            news: Vec::new(),
            warning_said: None,
        }
    }

    /// The settings (headset, receipt facts).
    pub fn settings(&self) -> &SpeechSettings {
        &self.settings
    }

    fn say(&self, flow: &Flow, lines: Vec<String>, focused: Option<&SpokenControl>) {
        if !self.on {
            return;
        }
        let lang = flow.locale().to_string();
        let mut utterances: Vec<Utterance> = lines
            .into_iter()
            .filter(|l| !l.trim().is_empty())
            .map(|text| Utterance {
                text: plain(&text),
                lang: lang.clone(),
            })
            .collect();
        if let Some(c) = focused {
            utterances.push(Utterance {
                text: plain(&c.text),
                lang: c.lang.clone().unwrap_or(lang),
            });
        }
        self.speaker.say(&utterances);
    }

    /// Identifies what a screen is about, so that a new one is announced in full and a change on
    /// the same one only says what changed.
    /// A question and the screen of its keys (`Flow::keys_apart`) are two screens.
    fn screen_key(flow: &Flow) -> String {
        let s = flow.session();
        format!(
            "{:?}|{}|{}|{:?}|{:?}|{}|{}|{:?}|{}|{}|{:?}|{:?}",
            s.screen,
            s.step,
            flow.keys_hidden(),
            flow.confirmation(),
            s.warning.is_some(),
            s.search_typing,
            s.search.is_some(),
            s.group,
            s.check_errors.len(),
            flow.locale(),
            s.print_state,
            flow.help_message_id(),
        )
    }

    /// After every refresh: announces a new screen, or what changed on this one.
    pub fn after_refresh(&mut self, flow: &Flow) {
        let key = Self::screen_key(flow);
        let session = flow.session();
        if session.screen == Screen::Welcome && !self.screen_key.is_empty() {
            let was_welcome = self.screen_key.starts_with("Welcome|");
            if !was_welcome {
                // The session ended: the next resident starts with speech off and the volume
                // reset.
                self.end_session(flow);
            }
        }
        let controls = flow.speech_controls_for(self.settings.private_listening());
        if key != self.screen_key {
            self.screen_key = key;
            self.set_focus(&controls, Flow::speech_first_focus(&controls));
            self.warning_said = session.warning;
            self.announce(flow, &controls);
            return;
        }
        // The same screen with other controls around the focused one: follow the control. A
        // keyboard's mode key names the layout it switches to, so after a switch the focus is on
        // the new layout's mode key. Any other that is gone (a key whose letter changed with
        // Shift) leaves the focus at its place.
        let kept = self.focus_control.as_ref().and_then(|was| {
            controls.iter().position(|c| &c.control == was).or_else(|| {
                is_mode_key(was)
                    .then(|| controls.iter().position(|c| is_mode_key(&c.control)))
                    .flatten()
            })
        });
        self.set_focus(&controls, kept.unwrap_or(self.focus));
        let focused = controls.get(self.focus);
        let question = flow.question_view();
        let error = question
            .as_ref()
            .map(|q| q.error.clone())
            .unwrap_or_default();
        let typed = flow.speech_typed_state();
        let news = flow.speech_news();
        if let Some(remaining) = session.warning
            && remaining == 10
            && self.warning_said != Some(10)
        {
            self.warning_said = Some(10);
            self.say(flow, vec![flow.timeout_text()], focused);
        } else if error != self.error && !error.is_empty() {
            self.say(
                flow,
                vec![flow.translations().format(
                    flow.locale(),
                    "speech-error",
                    &[("message", crate::i18n::Arg::from(error.as_str()))],
                )],
                focused,
            );
        } else if typed != self.typed {
            self.say(flow, vec![flow.typed_so_far(&self.settings)], None);
        } else if news != self.news && !news.is_empty() {
            // A staff screen's answer: the PIN check, a look-up's result, a notice.
            self.say(flow, news.clone(), None);
        } else if let Some(c) = focused
            && c.text != self.focus_text
        {
            self.say(flow, Vec::new(), Some(c));
        }
        self.error = error;
        self.typed = typed;
        self.news = news;
        self.focus_text = focused.map(|c| c.text.clone()).unwrap_or_default();
    }

    /// Puts the focus on `controls[index]` (the last one when past the end) and remembers which
    /// control that is.
    fn set_focus(&mut self, controls: &[SpokenControl], index: usize) {
        self.focus = index.min(controls.len().saturating_sub(1));
        self.focus_control = controls.get(self.focus).map(|c| c.control.clone());
    }

    fn announce(&mut self, flow: &Flow, controls: &[SpokenControl]) {
        let focused = controls.get(self.focus);
        self.say(flow, flow.speech_screen(&self.settings), focused);
        let question = flow.question_view();
        self.error = question
            .as_ref()
            .map(|q| q.error.clone())
            .unwrap_or_default();
        self.typed = flow.speech_typed_state();
        self.news = flow.speech_news();
        self.focus_text = focused.map(|c| c.text.clone()).unwrap_or_default();
    }

    fn end_session(&mut self, flow: &Flow) {
        if self.on {
            self.say(flow, vec![flow.t("speech-stopped")], None);
        }
        self.on = false;
        self.navigating = false;
        if self.volume != VOLUME_DEFAULT {
            self.volume = VOLUME_DEFAULT;
            self.speaker.set_volume(VOLUME_DEFAULT);
        }
    }

    /// Speech mode on or off (long press, F1).
    pub fn toggle(&mut self, flow: &Flow) {
        if self.on {
            // Said last: it replaces whatever was being said.
            self.say(flow, vec![flow.t("speech-stopped")], None);
            self.on = false;
        } else {
            self.on = true;
            self.navigating = true;
            let controls = flow.speech_controls_for(self.settings.private_listening());
            self.screen_key = Self::screen_key(flow);
            self.set_focus(&controls, Flow::speech_first_focus(&controls));
            let mut lines = vec![flow.t("speech-started")];
            if flow.session().screen != Screen::Welcome {
                // The welcome screen's own reading already explains the keys and zones.
                lines.push(flow.t("speech-how-to"));
            }
            lines.extend(flow.speech_screen(&self.settings));
            self.say(flow, lines, controls.get(self.focus));
            self.focus_text = controls
                .get(self.focus)
                .map(|c| c.text.clone())
                .unwrap_or_default();
        }
    }

    /// Speech mode ended by its touch layer's hold: a resident who works the screen by touch
    /// has no use for the focus ring and the caption bar, which keep their room on every page
    /// until the session ends otherwise. F1 (`toggle`) leaves them on: its keys still navigate.
    pub fn end_by_touch(&mut self, flow: &Flow) {
        if self.on {
            self.toggle(flow);
        }
        self.navigating = false;
    }

    /// Moves the focus by `delta` (wrapping) and says the control.
    ///
    /// The first Next of keyboard navigation, with no focus shown yet, shows it where the screen
    /// starts it (its first control after the bar) instead of moving past it: the first Tab
    /// on the language screen lands on its first language, not its second.
    pub fn step(&mut self, flow: &Flow, delta: isize) {
        let shown = self.on || self.navigating;
        self.navigating = true;
        let controls = flow.speech_controls_for(self.settings.private_listening());
        if controls.is_empty() {
            return;
        }
        let n = controls.len() as isize;
        let delta = if !shown && delta > 0 { 0 } else { delta };
        self.set_focus(
            &controls,
            (self.focus as isize + delta).rem_euclid(n) as usize,
        );
        let c = &controls[self.focus];
        self.focus_text = c.text.clone();
        self.say(flow, Vec::new(), Some(c));
    }

    /// The focused control, to activate.
    pub fn focused(&mut self, flow: &Flow) -> Option<Control> {
        self.navigating = true;
        flow.speech_controls_for(self.settings.private_listening())
            .get(self.focus)
            .map(|c| c.control.clone())
    }

    /// Says the whole screen again.
    pub fn repeat(&mut self, flow: &Flow) {
        let controls = flow.speech_controls_for(self.settings.private_listening());
        self.say(
            flow,
            flow.speech_screen(&self.settings),
            controls.get(self.focus),
        );
    }

    /// Stops speaking now (speech mode stays on).
    pub fn stop(&self) {
        if self.on {
            self.speaker.stop();
        }
    }

    /// One volume step up or down, said at the new level.
    pub fn volume(&mut self, flow: &Flow, up: bool) {
        if !self.on {
            return;
        }
        self.volume = if up {
            (self.volume + 1).min(VOLUME_MAX)
        } else {
            self.volume.saturating_sub(1).max(1)
        };
        self.speaker.set_volume(self.volume);
        self.say(
            flow,
            vec![flow.translations().format(
                flow.locale(),
                "speech-volume",
                &[
                    ("level", crate::i18n::Arg::from(self.volume as usize)),
                    ("max", crate::i18n::Arg::from(VOLUME_MAX as usize)),
                ],
            )],
            None,
        );
    }

    /// The current volume step.
    pub fn volume_level(&self) -> u8 {
        self.volume
    }

    /// The focus id of the focused control, which draws the focus ring (`Flow::focus_id`;
    /// empty when neither speech mode nor keyboard navigation is on).
    pub fn focus_id(&self, flow: &Flow) -> String {
        if !(self.on || self.navigating) {
            return String::new();
        }
        flow.speech_controls()
            .get(self.focus)
            .map(|c| flow.focus_id(&c.control))
            .unwrap_or_default()
    }

    /// What the caption bar shows: the focused control's words, while navigating.
    pub fn caption(&self, flow: &Flow) -> String {
        if !(self.on || self.navigating) {
            return String::new();
        }
        flow.speech_controls_for(self.settings.private_listening())
            .get(self.focus)
            .map(|c| c.text.clone())
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flow::speech::RecordingSpeaker;
    use crate::flow::{Screen, Tool};

    /// The focused control, as the ring and the caption show it.
    fn focused(d: &SpeechDriver, f: &Flow) -> Option<Control> {
        f.speech_controls().get(d.focus).map(|c| c.control.clone())
    }

    /// Steps by `delta` until `control` has the focus (asserted: within one round).
    fn step_to(d: &mut SpeechDriver, f: &Flow, control: &Control, delta: isize) {
        for _ in 0..=f.speech_controls().len() {
            if focused(d, f).as_ref() == Some(control) {
                return;
            }
            d.step(f, delta);
        }
        panic!(
            "{control:?} is not among the {} controls",
            f.speech_controls().len()
        );
    }

    /// Speech mode on for `f`'s screen, its words recorded.
    fn speech_on(f: &Flow) -> (RecordingSpeaker, SpeechDriver) {
        let speaker = RecordingSpeaker::new();
        let mut d = SpeechDriver::new(Box::new(speaker.clone()), SpeechSettings::default());
        d.after_refresh(f);
        d.toggle(f);
        (speaker, d)
    }

    /// Steps to `tool` in the bar and opens it by keys: the tool keeps the focus and only its
    /// new state is said ("<label>, button, on", `label` its message).
    fn opened_by_keys_says_on(
        d: &mut SpeechDriver,
        f: &mut Flow,
        speaker: &RecordingSpeaker,
        tool: Tool,
        label: &str,
    ) {
        step_to(d, f, &Control::Tool(tool), -1);
        speaker.take();
        assert_eq!(d.focused(f), Some(Control::Tool(tool)));
        f.tool(tool);
        d.after_refresh(f);
        assert_eq!(focused(d, f), Some(Control::Tool(tool)));
        let on = f.translations().format(
            "en",
            "speech-on-state",
            &[("label", crate::i18n::Arg::from(f.t(label)))],
        );
        assert_eq!(speaker.take_lines(), vec![plain(&on)]);
    }

    #[test]
    fn the_focus_stays_on_its_control_when_the_text_and_contrast_drawer_opens_or_closes() {
        let mut f = crate::flow::tests::flow();
        // A 7" panel in landscape: Text size and High contrast sit behind "Text and contrast",
        // whose drawer takes the bar's place, so the controls before the tiles change in number.
        f.set_window_mm(154.0, 90.0);
        f.start();
        f.choose_language("en");
        assert_eq!(f.session().screen, Screen::Groups);
        let (speaker, mut d) = speech_on(&f);
        // Onto the third group by keys.
        let third = f.tiles()[2].key.clone();
        step_to(&mut d, &f, &Control::Tile(third.clone()), 1);
        let before = f.speech_controls().len();
        speaker.take();

        // A touch on the tool (not the focused control) opens the drawer.
        f.tool(Tool::Display);
        d.after_refresh(&f);
        assert_ne!(
            f.speech_controls().len(),
            before,
            "the drawer changes the list"
        );
        assert_eq!(focused(&d, &f), Some(Control::Tile(third.clone())));
        assert!(
            d.focus_id(&f).contains(&third),
            "the ring: {}",
            d.focus_id(&f)
        );
        assert_eq!(
            speaker.take_lines(),
            Vec::<String>::new(),
            "nothing new to say"
        );

        // Closed again: still the same tile.
        f.tool(Tool::Display);
        d.after_refresh(&f);
        assert_eq!(focused(&d, &f), Some(Control::Tile(third.clone())));

        // By keys: the tool itself keeps the focus, says its new state, and Next goes into the
        // drawer it opened.
        opened_by_keys_says_on(&mut d, &mut f, &speaker, Tool::Display, "tool-display");
        d.step(&f, 1);
        assert_eq!(focused(&d, &f), Some(Control::Tool(Tool::TextSize)));
    }

    #[test]
    fn menu_opened_by_keys_says_its_state_and_next_goes_into_it() {
        let mut f = crate::flow::tests::flow();
        // A 7" panel in landscape at the largest size: the bar is Back and Menu.
        f.set_window_mm(154.0, 90.0);
        f.start();
        f.choose_language("en");
        f.cycle_text_size();
        f.cycle_text_size();
        assert!(f.tools_in_menu());
        let (speaker, mut d) = speech_on(&f);
        opened_by_keys_says_on(&mut d, &mut f, &speaker, Tool::Menu, "tool-menu");
        d.step(&f, 1);
        assert_eq!(focused(&d, &f), Some(Control::Tool(Tool::StartOver)));
        assert!(
            !f.speech_controls()
                .iter()
                .any(|c| matches!(c.control, Control::Tile(_))),
            "the page's tiles are not walked while the menu stands for the page"
        );
        // Closed from the menu's tool: the tiles are back, the focus on Menu.
        step_to(&mut d, &f, &Control::Tool(Tool::Menu), -1);
        f.tool(Tool::Menu);
        d.after_refresh(&f);
        assert_eq!(focused(&d, &f), Some(Control::Tool(Tool::Menu)));
        d.step(&f, 1);
        assert!(matches!(focused(&d, &f), Some(Control::Tile(_))));
    }

    #[test]
    fn the_keys_screen_is_announced_as_a_screen_and_back_says_the_question_again() {
        let mut f = crate::flow::tests::flow();
        // A 7" panel in landscape at the largest size: a question to type comes before its
        // keys (`Flow::keys_apart`).
        f.set_window_mm(154.0, 90.0);
        crate::flow::tests::to_service(&mut f, "en", "PARK");
        f.cycle_text_size();
        f.cycle_text_size();
        assert!(f.keys_hidden());
        let (speaker, mut d) = speech_on(&f);
        let title = f.question_view().unwrap().title;
        step_to(&mut d, &f, &Control::OpenKeys, 1);
        speaker.take();
        // "Type your answer": the keys' screen, said as a screen (the question, what was typed
        // so far), the focus on its first control after the bar, a key.
        f.speech_activate(&Control::OpenKeys);
        d.after_refresh(&f);
        let said = speaker.take_lines();
        assert!(said.contains(&plain(&title)), "{said:?}");
        assert!(matches!(focused(&d, &f), Some(Control::Key(_))), "{said:?}");
        assert_eq!(
            said.last(),
            Some(&plain(&f.speech_controls()[d.focus].text))
        );
        // Back: the question's own screen again, said again, "Type your answer" in reach.
        f.tool(Tool::Back);
        d.after_refresh(&f);
        let said = speaker.take_lines();
        assert!(f.keys_hidden() && said.contains(&plain(&title)), "{said:?}");
        assert!(
            f.speech_controls()
                .iter()
                .any(|c| c.control == Control::OpenKeys)
        );
    }

    #[test]
    fn a_control_that_goes_keeps_the_focus_at_its_place_or_the_last() {
        let mut f = crate::flow::tests::flow();
        f.set_window_mm(154.0, 90.0);
        f.start();
        f.choose_language("en");
        let mut d = SpeechDriver::new(Box::new(Silent), SpeechSettings::default());
        d.after_refresh(&f);
        f.tool(Tool::Display);
        d.after_refresh(&f);
        // High contrast, in the drawer, has the focus; closing the drawer takes it away.
        step_to(&mut d, &f, &Control::Tool(Tool::Contrast), 1);
        let at = d.focus;
        f.tool(Tool::Display);
        d.after_refresh(&f);
        assert_eq!(d.focus, at.min(f.speech_controls().len() - 1));
        assert!(focused(&d, &f).is_some());
    }

    #[test]
    fn the_one_character_shortcuts_are_speech_modes_own() {
        use slint::platform::Key;
        let key = |k: Key| slint::SharedString::from(k).to_string();
        for on in [false, true] {
            for (text, meant) in [
                ("r", NavKey::Repeat),
                ("R", NavKey::Repeat),
                ("+", NavKey::Louder),
                ("=", NavKey::Louder),
                ("-", NavKey::Quieter),
            ] {
                let got = NavKey::from_key(text, false, false, on, false);
                assert_eq!(got, on.then_some(meant), "{text:?}, speech mode on: {on}");
            }
            // Keys that are not characters work either way.
            assert_eq!(
                NavKey::from_key(&key(Key::F1), false, false, on, false),
                Some(NavKey::Toggle)
            );
            assert_eq!(
                NavKey::from_key(&key(Key::F2), false, false, on, false),
                Some(NavKey::Repeat)
            );
            assert_eq!(
                NavKey::from_key(&key(Key::Tab), false, false, on, false),
                Some(NavKey::Next)
            );
            assert_eq!(
                NavKey::from_key(&key(Key::RightArrow), false, true, on, false),
                Some(NavKey::Previous),
                "right to left"
            );
            // Typed into the reference field (a keyboard, a scanner), characters are its own,
            // space too; Tab and Enter still walk and act.
            for text in ["r", "R", "+", "=", "-", " ", "7"] {
                assert_eq!(
                    NavKey::from_key(text, false, false, on, true),
                    None,
                    "{text:?}"
                );
            }
            assert_eq!(
                NavKey::from_key(&key(Key::Tab), false, false, on, true),
                Some(NavKey::Next)
            );
            assert_eq!(
                NavKey::from_key(&key(Key::Return), false, false, on, true),
                Some(NavKey::Activate)
            );
        }
        assert_eq!(
            NavKey::from_key(" ", false, false, true, false),
            Some(NavKey::Activate),
            "space activates outside a field"
        );
    }

    /// A keyboard's mode key ("?123") switches the layout, and the key that switches back takes
    /// its place: the focus goes there, not to whatever key now has the old index.
    #[test]
    fn the_focus_follows_a_keyboards_mode_key_to_the_new_layout() {
        use crate::flow::keyboard::special;
        let mut f = crate::flow::tests::flow();
        crate::ui::scenes::enter(&mut f, "question-string", "en").expect("the scene");
        let mut d = SpeechDriver::new(Box::new(Silent), SpeechSettings::default());
        d.after_refresh(&f);
        d.toggle(&f);
        let symbols = Control::Key(special::MODE_SYMBOLS.into());
        step_to(&mut d, &f, &symbols, 1);
        let before = d.focus;
        f.key(special::MODE_SYMBOLS);
        d.after_refresh(&f);
        let now = focused(&d, &f);
        assert!(
            now.as_ref().is_some_and(is_mode_key) && now != Some(symbols.clone()),
            "the new layout's mode key, not {now:?} (was at {before})"
        );
        // And back.
        let back = now.unwrap_or(symbols);
        if let Control::Key(k) = &back {
            f.key(k);
        }
        d.after_refresh(&f);
        assert_eq!(
            focused(&d, &f),
            Some(Control::Key(special::MODE_SYMBOLS.into()))
        );
    }
}
