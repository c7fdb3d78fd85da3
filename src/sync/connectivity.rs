//! What the UI and `guichet doctor` know about the link to the council: online, offline or behind
//! a captive portal, when a sync last succeeded, and how many submissions wait.
//!
//! Stored in the `kiosk_state` table under the keys of [`keys`], written by the sync engine after
//! every round, so any process (the kiosk, `doctor`, a technician's `sqlite3`) reads the same
//! picture. Counts are read live from the queue.

use serde::{Deserialize, Serialize};

use crate::queue::{State, Store, StoreError};

/// `kiosk_state` keys written by sync.
pub mod keys {
    /// `open311` | `none`: whether a central system is configured.
    pub const CENTRAL: &str = "sync.central";
    /// `online` | `offline` | `captive_portal`: what the last round found.
    pub const LINK: &str = "sync.link";
    /// RFC 3339: the last round that reached the council's Open311 server.
    pub const LAST_SUCCESS_AT: &str = "sync.last_success_at";
    /// RFC 3339: the last round, successful or not.
    pub const LAST_CHECKED_AT: &str = "sync.last_checked_at";
    /// One line for technicians: the last problem met (empty when the last round was clean).
    pub const LAST_ERROR: &str = "sync.last_error";
    /// RFC 3339: when the catalogue was last checked against the server.
    pub const CATALOG_CHECKED_AT: &str = "sync.catalog_checked_at";
    /// `present` | `absent`: whether the server has the `servicerequestupdates` extension.
    pub const UPDATES_EXTENSION: &str = "sync.updates_extension";
    /// RFC 3339: the `end_date` of the last `servicerequestupdates` query.
    pub const UPDATES_SINCE: &str = "sync.updates_since";
    /// Seconds the server's clock (its `Date` header) is ahead of the kiosk's (negative: behind).
    pub const CLOCK_SKEW_S: &str = "sync.clock_skew_s";
    /// Something staff must act on, said loudly by `sync`, `doctor` and the UI's status (a surge
    /// of identical refusals, a refused API key); empty when there is none.
    pub const ALERT: &str = "sync.alert";
}

/// The state of the link to the council.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum LinkState {
    /// The council's server answered as an Open311 server.
    Online,
    /// Not reached (or no central system is configured).
    #[default]
    Offline,
    /// Something answered in its place with a web page: usually a Wi-Fi login page.
    CaptivePortal,
}

impl LinkState {
    /// The stored spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            LinkState::Online => "online",
            LinkState::Offline => "offline",
            LinkState::CaptivePortal => "captive_portal",
        }
    }

    fn parse(s: &str) -> LinkState {
        match s {
            "online" => LinkState::Online,
            "captive_portal" => LinkState::CaptivePortal,
            _ => LinkState::Offline,
        }
    }
}

/// A snapshot of connectivity and queue counts, for the UI's status line and `doctor`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Connectivity {
    /// Whether a central system is configured at all (`central.kind = "open311"`).
    pub central_configured: bool,
    /// What the last sync round found.
    pub link: LinkState,
    /// The last round that reached the server, RFC 3339.
    pub last_success_at: Option<String>,
    /// The last round, RFC 3339.
    pub last_checked_at: Option<String>,
    /// The last problem met, for technicians.
    pub last_error: Option<String>,
    /// Submissions waiting to be accepted.
    pub pending: u64,
    /// Submissions the council refused (staff can retry them).
    pub rejected: u64,
    /// Submissions whose delivery staff must decide (`queue resolve`).
    pub review: u64,
    /// Something staff must act on.
    pub alert: Option<String>,
}

impl Connectivity {
    /// Reads the stored state and live counts.
    pub fn load(store: &Store) -> Result<Connectivity, StoreError> {
        let central_configured = store.state_value(keys::CENTRAL)?.as_deref() == Some("open311");
        Ok(Connectivity {
            central_configured,
            link: store
                .state_value(keys::LINK)?
                .map(|s| LinkState::parse(&s))
                .unwrap_or_default(),
            last_success_at: store.state_value(keys::LAST_SUCCESS_AT)?,
            last_checked_at: store.state_value(keys::LAST_CHECKED_AT)?,
            last_error: store
                .state_value(keys::LAST_ERROR)?
                .filter(|e| !e.is_empty()),
            pending: store.count(State::Pending)?,
            rejected: store.count(State::Rejected)?,
            review: store.count(State::Review)?,
            alert: store.state_value(keys::ALERT)?.filter(|a| !a.is_empty()),
        })
    }

    /// Records the outcome of a round.
    pub fn save_round(
        store: &Store,
        central_configured: bool,
        link: LinkState,
        error: Option<&str>,
    ) -> Result<(), StoreError> {
        let now = crate::queue::now_rfc3339();
        store.set_state_value(
            keys::CENTRAL,
            if central_configured {
                "open311"
            } else {
                "none"
            },
        )?;
        store.set_state_value(keys::LINK, link.as_str())?;
        store.set_state_value(keys::LAST_CHECKED_AT, &now)?;
        store.set_state_value(keys::LAST_ERROR, error.unwrap_or(""))?;
        if link == LinkState::Online && error.is_none() {
            store.set_state_value(keys::LAST_SUCCESS_AT, &now)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_round_is_saved_and_read_back() {
        let store = Store::open(&crate::sync::test_dir()).unwrap();
        let fresh = Connectivity::load(&store).unwrap();
        assert_eq!(fresh.link, LinkState::Offline);
        assert!(fresh.last_success_at.is_none());
        Connectivity::save_round(&store, true, LinkState::Online, None).unwrap();
        let c = Connectivity::load(&store).unwrap();
        assert_eq!(c.link, LinkState::Online);
        assert!(c.central_configured);
        assert!(c.last_success_at.is_some());
        Connectivity::save_round(&store, true, LinkState::CaptivePortal, Some("login page"))
            .unwrap();
        let c2 = Connectivity::load(&store).unwrap();
        assert_eq!(c2.link, LinkState::CaptivePortal);
        assert_eq!(c2.last_error.as_deref(), Some("login page"));
        assert_eq!(c2.last_success_at, c.last_success_at);
    }
}
