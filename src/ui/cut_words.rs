//! Cut words on the kiosk's own buttons with words: the tools (the top bar, the side bar and
//! the side column beside the keys), the keys of the on-screen keyboards and pads, and the
//! action bar's buttons (Continue, Send request, Finish...); and on the pages' headings (a
//! question's title, a group's or a service's name from the catalogue), set smaller as a
//! button's words are (`ui/pages/common.slint`). Each sets its widest word small
//! enough to stay whole, never under 20 px, and the bar takes two rows when a row is too narrow
//! even at that size (`ui/widgets/topbar.slint`); a word can still be cut on a panel or in a
//! translation nobody tried. Each button measures itself (`ui/widgets/words.slint`, one
//! component for all of them) and reports through `Api.word-cut`; this records which titles
//! are cut now (for the UI tests, which walk every scene, language and text size) and gives one
//! warning line per title for technicians when a word stays cut (not for the moment a window
//! changes size). The titles are the kiosk's own words (a key's is its label; the staff desk's
//! heading holding a name is not reported), never personal data.

use std::collections::BTreeSet;

/// Titles longer than this are shortened in the warning line (a translation, but bounded all
/// the same).
const MAX_TITLE_CHARS: usize = 60;

/// At most this many titles are remembered (six tools in a handful of languages need far
/// fewer; the bound keeps a runaway translation from growing the record).
const MAX_TITLES: usize = 256;

/// The button titles whose widest word is cut, as the buttons last reported.
#[derive(Debug, Default)]
pub struct CutWords {
    cut: BTreeSet<String>,
    /// Every title reported since the last [`CutWords::start_census`], cut or whole.
    seen: BTreeSet<String>,
    /// Cut at the last [`CutWords::tick`].
    cut_at_last_tick: BTreeSet<String>,
    warned: BTreeSet<String>,
}

impl CutWords {
    /// A button showing `title` reports its word `cut` (or whole).
    pub fn report(&mut self, title: &str, cut: bool) {
        let title: String = title.chars().take(MAX_TITLE_CHARS).collect();
        if self.seen.len() < MAX_TITLES {
            self.seen.insert(title.clone());
        }
        if !cut {
            self.cut.remove(&title);
        } else if self.cut.len() < MAX_TITLES {
            self.cut.insert(title);
        }
    }

    /// Called every second: the warning lines for technicians, once per title, for the titles
    /// cut now and at the last tick. (While the window changes size, a button may be cut for
    /// a moment before the bar takes its other form: not worth a warning.)
    pub fn tick(&mut self) -> Vec<String> {
        let mut lines = Vec::new();
        for title in self.cut.intersection(&self.cut_at_last_tick) {
            if self.warned.len() < MAX_TITLES && self.warned.insert(title.clone()) {
                lines.push(format!(
                    "a word of the button or heading {title:?} is wider than its room and is \
                     cut at this window size and text size (check ui.screen_width_mm against \
                     the panel)"
                ));
            }
        }
        self.cut_at_last_tick = self.cut.clone();
        lines
    }

    /// The titles cut now (a title shown by no button any more may linger: callers look only
    /// at the buttons on screen, or take a census first).
    pub fn cut(&self) -> Vec<String> {
        self.cut.iter().cloned().collect()
    }

    /// Forgets what was reported (not what was warned of), before every label still made is
    /// asked to report again (`Api.word-census`): a label gone (Slint tells no one when it
    /// destroys an element) then reports nothing, so what is recorded after is what the
    /// window shows now, not what it showed a moment ago.
    pub fn start_census(&mut self) {
        self.cut.clear();
        self.seen.clear();
    }

    /// Every title reported since the last census, cut or whole: the labels the window has
    /// measured (with [`CutWords::start_census`], the ones it holds now).
    pub fn seen(&self) -> Vec<String> {
        self.seen.iter().cloned().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_title_cut_for_a_second_is_recorded_warned_once_and_cleared_when_whole() {
        let mut words = CutWords::default();
        words.report("Back", false);
        words.report("Попросити допомоги", true);
        assert_eq!(words.cut(), vec!["Попросити допомоги".to_string()]);
        // Cut for a moment (a window changing size): no warning.
        words.report("Back", true);
        words.report("Back", false);
        assert!(words.tick().is_empty(), "not yet a second");
        let lines = words.tick();
        assert_eq!(lines.len(), 1, "{lines:?}");
        assert!(lines[0].contains("\"Попросити допомоги\"") && !lines[0].contains('\n'));
        // Warned once per title, however often it is cut again.
        assert!(words.tick().is_empty());
        words.report("Попросити допомоги", false);
        assert!(words.cut().is_empty());
        words.report("Попросити допомоги", true);
        words.tick();
        assert!(words.tick().is_empty());
        assert_eq!(words.cut().len(), 1);
        // Bounded.
        words.report(&"x".repeat(500), true);
        words.tick();
        let lines = words.tick();
        assert!(lines.len() == 1 && lines[0].len() < 300, "{lines:?}");
    }

    #[test]
    fn a_census_forgets_what_was_reported_but_not_what_was_warned_of() {
        let mut words = CutWords::default();
        words.report("Back", false);
        words.report("Попросити допомоги", true);
        words.tick();
        assert_eq!(words.tick().len(), 1);
        assert_eq!(words.seen().len(), 2);
        words.start_census();
        assert!(words.cut().is_empty() && words.seen().is_empty());
        // The label still shown reports again; the other is gone and says nothing.
        words.report("Попросити допомоги", true);
        assert_eq!(words.seen(), vec!["Попросити допомоги".to_string()]);
        assert_eq!(words.cut(), vec!["Попросити допомоги".to_string()]);
        words.tick();
        assert!(words.tick().is_empty(), "warned once already");
    }
}
