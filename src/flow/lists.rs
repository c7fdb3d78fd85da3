//! The lists a resident picks from (groups of services, services) at the scale real councils
//! publish: 150 services in 20 groups, services without a group, descriptions of 1,000
//! characters. Every list ends with a "My problem is not listed" way out (to the catch-all service
//! the council configures, or advice to ask at the desk), long descriptions are clamped on tiles
//! (the full text is on the service's first page), and a list longer than a screenful can be
//! searched by keyword with the on-screen keyboard.

use super::keyboard::special;
use super::{Flow, Screen};
use crate::catalog::Service;

/// The tile key of "My problem is not listed".
pub const NOT_LISTED_KEY: &str = "~not-listed";

/// A list with more tiles than this offers keyword search (a 1024×600 screen shows about six).
pub const SEARCH_FROM: usize = 6;

/// Characters of a description on a tile; the rest is on the service's first page.
pub const TILE_TEXT_CHARS: usize = 120;

/// Most characters of a search query.
const QUERY_MAX: usize = 40;

/// `text` cut at a word boundary to at most `max` characters, on one line, with an ellipsis when
/// something was cut.
pub fn clamp_for_tile(text: &str, max: usize) -> String {
    let one_line = crate::catalog::tidy_line(text);
    if one_line.chars().count() <= max {
        return one_line;
    }
    let cut: String = one_line.chars().take(max).collect();
    let cut = match cut.rfind(' ') {
        Some(i) if i > max / 2 => &cut[..i],
        _ => cut.as_str(),
    };
    format!("{}…", cut.trim_end_matches([',', ';', ':', '.', ' ']))
}

/// Folds case and the commonest accents, so "tree" finds "Tree" and "dechets" finds "déchets".
fn fold(s: &str) -> String {
    s.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'à' | 'á' | 'â' | 'ä' | 'ã' | 'å' | 'ą' => 'a',
            'ç' | 'ć' | 'č' => 'c',
            'è' | 'é' | 'ê' | 'ë' | 'ę' | 'ě' => 'e',
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'ñ' | 'ń' => 'n',
            'ò' | 'ó' | 'ô' | 'ö' | 'õ' => 'o',
            'ù' | 'ú' | 'û' | 'ü' => 'u',
            'ł' => 'l',
            'ś' | 'š' => 's',
            'ź' | 'ż' | 'ž' => 'z',
            'ß' => 's',
            c => c,
        })
        .collect()
}

/// Whether a service matches every word of a query (in its name, keywords, group or
/// description).
pub fn matches(service: &Service, query: &str) -> bool {
    let haystack = fold(&format!(
        "{} {} {} {}",
        service.service_name,
        service.keywords.join(" "),
        service.group.as_deref().unwrap_or(""),
        service.description
    ));
    fold(query)
        .split_whitespace()
        .all(|word| haystack.contains(word))
}

impl Flow {
    /// The council's catch-all service (`ui.catch_all_service`), used by "My problem is not
    /// listed" when the catalogue has it.
    pub fn set_catch_all_service(&mut self, code: Option<String>) {
        self.catch_all = code;
    }

    /// The catch-all service, when configured and in the catalogue.
    pub fn catch_all_service(&self) -> Option<&Service> {
        self.catalog().service(self.catch_all.as_deref()?)
    }

    /// "My problem is not listed": the catch-all service, or the advice to ask at the desk.
    pub(super) fn not_listed(&mut self) {
        match self.catch_all_service().map(|s| s.service_code.clone()) {
            Some(code) => self.choose_service(&code),
            None => self.session.not_listed_advice = true,
        }
    }

    /// Whether the current list offers keyword search.
    pub fn search_available(&self) -> bool {
        self.session.screen == Screen::Services && self.group_services().len() > SEARCH_FROM
    }

    /// Opens the keyword search, or brings its keyboard back.
    pub fn open_search(&mut self) {
        self.touched();
        if self.search_available() {
            self.session.search.get_or_insert_with(String::new);
            self.session.search_typing = true;
            self.session.shift = false;
        }
    }

    /// Closes the search and shows the whole list again.
    pub fn close_search(&mut self) {
        self.touched();
        self.session.not_listed_advice = false;
        self.session.search_typing = false;
        if let Some(mut q) = self.session.search.take() {
            zeroize::Zeroize::zeroize(&mut q);
        }
    }

    /// Typing into the search. Returns false when the search is not open.
    pub(super) fn search_key(&mut self, value: &str) -> bool {
        if self.session.screen != Screen::Services || !self.session.search_typing {
            return false;
        }
        let shift = self.session.shift;
        let Some(query) = self.session.search.as_mut() else {
            return false;
        };
        match value {
            special::CONTINUE | special::NEWLINE => {
                if query.trim().is_empty() {
                    self.close_search();
                } else {
                    self.session.search_typing = false;
                }
            }
            special::SHIFT => self.session.shift = !shift,
            special::MORE_LETTERS => self.session.keyboard_page += 1,
            special::MODE_NATIVE => self.session.keyboard_mode = super::keyboard::Mode::Native,
            special::MODE_LATIN => self.session.keyboard_mode = super::keyboard::Mode::Latin,
            special::MODE_SYMBOLS => self.session.keyboard_mode = super::keyboard::Mode::Symbols,
            special::BACKSPACE => {
                query.pop();
            }
            special::SPACE if query.chars().count() < QUERY_MAX => query.push(' '),
            typed if typed.chars().count() == 1 && query.chars().count() < QUERY_MAX => {
                query.push_str(typed);
                self.session.shift = false;
            }
            _ => {}
        }
        true
    }

    /// The services of the group being browsed, in catalogue order.
    pub(super) fn group_services(&self) -> Vec<&Service> {
        let group = self.session.group.clone().flatten();
        let catalog = self.catalog();
        catalog
            .services
            .iter()
            .filter(|s| s.group == group)
            .collect()
    }

    /// The services the services page lists: the group's, filtered by the search query.
    pub(super) fn listed_services(&self) -> Vec<&Service> {
        let query = self.session.search.as_deref().unwrap_or("").trim();
        self.group_services()
            .into_iter()
            .filter(|s| query.is_empty() || matches(s, query))
            .collect()
    }

    /// The advice shown on a list page, if any ("ask at the desk", "nothing found").
    pub fn list_notice(&self) -> String {
        if !matches!(self.session.screen, Screen::Groups | Screen::Services) {
            return String::new();
        }
        if self.session.not_listed_advice {
            return self.t("not-listed-ask-desk");
        }
        if self.session.screen == Screen::Services
            && self
                .session
                .search
                .as_deref()
                .is_some_and(|q| !q.trim().is_empty())
            && self.listed_services().is_empty()
        {
            return self.t("search-nothing-found");
        }
        String::new()
    }

    /// The chosen service's full description, shown on its first page (tiles show a clamped
    /// one). Empty elsewhere.
    pub fn service_intro(&self) -> String {
        if self.session.screen != Screen::Question || self.session.step != 0 {
            return String::new();
        }
        self.session
            .service
            .as_deref()
            .and_then(|c| self.catalog().service(c))
            .map(|s| s.description.clone())
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiles_clamp_at_a_word_and_search_folds_case_and_accents() {
        let long = "Report a bird infestation in a public place. You should see a lot of bird droppings in the area.";
        let c = clamp_for_tile(long, 40);
        assert!(c.ends_with('…') && c.chars().count() <= 41, "{c}");
        assert_eq!(c, "Report a bird infestation in a public…");
        assert_eq!(clamp_for_tile("Short\nline", 40), "Short line");
        let s = Service {
            service_code: "X".into(),
            service_name: "Déchets sauvages".into(),
            description: String::new(),
            metadata: false,
            service_type: Default::default(),
            keywords: vec!["dépôt".into()],
            group: Some("Propreté".into()),
        };
        assert!(matches(&s, "dechets"));
        assert!(matches(&s, "DEPOT proprete"));
        assert!(!matches(&s, "graffiti"));
    }
}
