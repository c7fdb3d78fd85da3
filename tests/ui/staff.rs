//! Staff at the kiosk, driven through the touchscreen like the residents' flows: the long press
//! and the PIN pad (with the lockout surviving a restart), the desk's look-up typed by a
//! keyboard-wedge scanner, reprint, review and rejected decisions, helping a visitor (with the
//! visitor's own Send), practice mode, and a resident checking a request. The real database
//! thread and the real staff API work on a real store.

use std::time::Duration;

use guichet::flow::Flow;
use guichet::queue::{ClaimMark, DeliveryUpdate, ReviewKind, State, Store};
use guichet::staff::{Desk, DeskSettings};
use i_slint_backend_testing::{ElementHandle, mock_elapsed_time};
use slint::ComponentHandle;
use slint::platform::Key;

use super::common::TestDir;
use super::{Kiosk, Rect, cut_words, rect_of, start_kiosk};

const PIN: &str = "246810";

fn add_staff(dir: &TestDir, name: &str, pin: &str) {
    let mut store = Store::open(dir.path()).unwrap();
    Desk::new(
        &mut store,
        DeskSettings {
            device_code: "LIB7".into(),
            ..DeskSettings::default()
        },
    )
    .add_staff(name, pin, "test")
    .unwrap();
}

impl Kiosk {
    /// Holds the welcome screen's top-left corner for `seconds` (mocked time).
    fn hold_corner(&self, seconds: u64) {
        self.hold_at(8.0, 8.0, seconds * 1000);
    }

    /// Types on the PIN pad by touching its digits (wherever the shuffle put them), then OK.
    fn type_pin(&self, pin: &str) {
        for d in pin.chars() {
            self.tap(&d.to_string());
        }
        self.tap_t("staff-pin-ok");
    }

    /// Lets the database thread answer until `done` holds (up to 10 s of real time).
    fn wait_until(&self, what: &str, done: impl Fn(&Kiosk) -> bool) {
        for _ in 0..1000 {
            if done(self) {
                return;
            }
            std::thread::sleep(Duration::from_millis(10));
            mock_elapsed_time(Duration::from_millis(100));
        }
        panic!(
            "{what} never happened; on screen {:?}:\n{}",
            self.screen(),
            self.all_text()
        );
    }

    fn wait_for_text(&self, label: &str) {
        self.wait_until(&format!("{label:?} on screen"), |k| k.visible(label));
    }

    fn sign_in(&self) {
        assert_eq!(self.screen(), "welcome");
        self.hold_corner(4);
        assert_eq!(self.screen(), "staff-pin");
        self.type_pin(PIN);
        self.wait_for_screen("staff-home");
    }

    /// Answers the visitor's request through the flow (GRAFFITI: no required question) up to
    /// the check page; the Send is touched by the caller.
    fn answer_to_check(&self) {
        {
            let mut f: std::cell::RefMut<'_, Flow> = self.controller.flow_mut();
            f.choose_language("en");
            f.choose_tile("Neighbourhood");
            f.choose_tile("GRAFFITI");
            for _ in 0..20 {
                if f.current_step().is_none() {
                    break;
                }
                if f.current_step() == Some(guichet::flow::Step::Address) {
                    f.set_value("1 High Street");
                }
                if f.current_step() == Some(guichet::flow::Step::ContactChoice) {
                    f.toggle_choice("no");
                }
                f.next();
            }
        }
        self.controller.refresh();
        assert_eq!(self.screen(), "check");
    }

    fn notice(&self, id: &str) -> String {
        self.t(id)
    }
}

fn state_of(dir: &TestDir, reference: &str) -> Option<State> {
    let store = Store::open(dir.path()).unwrap();
    store.lookup_row(reference).unwrap().map(|r| r.state)
}

/// Wrong PINs lock entry, and the lock is still there for a second kiosk on the same data dir.
pub fn wrong_pins_lock_and_the_lock_survives_a_restart() {
    let dir = TestDir::new("ui-staff-lock");
    add_staff(&dir, "Amira", PIN);
    let k = start_kiosk(&dir);
    // A short tap in the corner starts a resident's session like anywhere else.
    k.hold_corner(0);
    assert_eq!(k.screen(), "language");
    k.controller.flow_mut().wipe();
    k.controller.refresh();
    // Held for less than the gesture's 3 s: nothing for staff either (held 2 s and let go, it
    // would be speech mode's long press: tests/ui.rs).
    k.hold_corner(1);
    assert_ne!(k.screen(), "staff-pin");
    k.controller.flow_mut().wipe();
    k.controller.refresh();

    k.hold_corner(4);
    assert_eq!(k.screen(), "staff-pin");
    for attempt in 1..=5 {
        k.type_pin("111111");
        k.wait_until("the PIN answer", |k| {
            k.controller
                .flow()
                .desk()
                .is_some_and(|d| !d.checking && d.pin_outcome.is_some())
        });
        let message = k.api().get_pin_message().to_string();
        if attempt < 5 {
            assert!(message.contains(&(5 - attempt).to_string()), "{message}");
        }
    }
    let locked = k.api().get_pin_message().to_string();
    assert!(
        locked.starts_with("Too many wrong PINs, try again in"),
        "{locked}"
    );
    // Even the right PIN is not compared while locked.
    k.type_pin(PIN);
    k.wait_until("the PIN answer", |k| {
        k.controller.flow().desk().is_some_and(|d| !d.checking)
    });
    assert_eq!(k.screen(), "staff-pin");
    drop(k);

    // The kiosk restarts (unplugged, or systemd): the lock is in the database.
    let k = start_kiosk(&dir);
    k.sign_in_expecting_lock();
}

impl Kiosk {
    fn sign_in_expecting_lock(&self) {
        self.hold_corner(4);
        assert_eq!(self.screen(), "staff-pin");
        self.type_pin(PIN);
        self.wait_until("the PIN answer", |k| {
            k.controller
                .flow()
                .desk()
                .is_some_and(|d| !d.checking && d.pin_outcome.is_some())
        });
        assert_eq!(self.screen(), "staff-pin", "still locked after a restart");
        assert!(
            self.api()
                .get_pin_message()
                .starts_with("Too many wrong PINs"),
            "{}",
            self.api().get_pin_message()
        );
    }
}

/// The desk at work: helping a visitor, look-up by a scanned QR payload, reprint, review and
/// rejected decisions, practice, lock; then a resident checks the request.
pub fn staff_help_look_up_decide_and_practise() {
    let dir = TestDir::new("ui-staff-desk");
    add_staff(&dir, "Amira", PIN);
    let k = start_kiosk(&dir);
    k.sign_in();
    assert!(
        k.visible(
            &k.tr
                .format("en", "staff-signed-in", &[("name", "Amira".into())])
        )
    );

    // --- Helping a visitor: the strip, then the visitor's consent and own Send. ---------------
    k.tap_t("staff-help-visitor");
    assert_eq!(k.screen(), "language");
    let strip =
        k.tr.format("en", "assisted-by", &[("name", "Amira".into())]);
    assert!(k.visible(&strip), "the strip is on every assisted screen");
    assert!(k.visible(&k.t("staff-end-visit")));
    k.answer_to_check();
    k.tap_t("check-submit");
    assert_eq!(
        k.screen(),
        "consent",
        "the staff member's Send only leads to the visitor's"
    );
    assert!(k.visible(&strip));
    assert!(
        !k.visible(&k.t("staff-end-visit")),
        "no staff control on the consent screen"
    );
    assert!(
        k.all_text()
            .replace(['\u{2068}', '\u{2069}'], "")
            .contains("Amira, a member of staff, helped you")
    );
    k.tap_t("consent-send");
    k.wait_for_screen("confirmation");
    let reference = k.api().get_reference().to_string();
    assert!(reference.starts_with("LIB7-"), "{reference}");
    {
        let store = Store::open(dir.path()).unwrap();
        let row = store.lookup_row(&reference).unwrap().unwrap();
        assert_eq!(row.assisted_by.as_deref(), Some("Amira"));
        assert_eq!(row.state, State::Pending, "queued for the council");
        // The receipt says who helped.
        let config = std::sync::Arc::new(guichet::config::Config::demo());
        let mut printer = guichet::printer::Printer::new(config, dir.path().to_path_buf()).unwrap();
        let bytes = printer.receipt_bytes(&store, &reference, false).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        assert!(text.contains("Amira"), "the receipt names the staff member");
    }
    k.tap_t("confirm-finish");
    assert_eq!(
        k.screen(),
        "staff-home",
        "back to the desk after the visitor"
    );

    // --- Look-up: a wedge scanner types the receipt QR's payload and Enter. ----------------
    let payload = format!("https://council.example/track/{reference}\n");
    k.type_physical(&payload);
    assert_eq!(
        k.api().get_staff_query().as_str(),
        payload.trim_end(),
        "typed into the focused field"
    );
    let found = format!("{}: {reference}", k.t("staff-reference"));
    k.wait_for_text(&found);
    let assisted = format!("{}: Amira", k.t("staff-assisted-by"));
    assert!(k.visible(&assisted));

    // --- Reprint. -------------------------------------------------------------------------
    k.tap_t("staff-reprint");
    k.wait_for_text(&k.notice("staff-done-reprint"));
    {
        let store = Store::open(dir.path()).unwrap();
        let jobs = store.print_jobs_for(&reference).unwrap();
        assert!(jobs.iter().any(|j| j.reprint), "a reprint job: {jobs:?}");
    }

    // --- Review and rejected: two requests the council did not take. -------------------------
    let (in_review, refused) = {
        let mut store = Store::open(dir.path()).unwrap();
        let form = |code: &str| guichet::validate::ValidForm {
            service_code: code.into(),
            locale: "en".into(),
            description: "Made-up request for the staff test".into(),
            location: guichet::validate::Location {
                address: "2 Station Road".into(),
                ..Default::default()
            },
            ..Default::default()
        };
        let a = store.enqueue("LIB7", &form("GRAFFITI"), None).unwrap();
        let b = store.enqueue("LIB7", &form("GRAFFITI"), None).unwrap();
        let mark = ClaimMark::new();
        let now = guichet::queue::now_rfc3339();
        let claimed = store.claim_due(&mark, &now, 10).unwrap();
        let id = |r: &guichet::reference::Reference| {
            claimed
                .iter()
                .find(|o| o.reference == r.as_str())
                .unwrap()
                .id
        };
        let mut updates = vec![
            (
                id(&a),
                DeliveryUpdate::Review {
                    kind: ReviewKind::Undecided,
                    reason: "no answer from the council for 12 hours".into(),
                },
            ),
            (
                id(&b),
                DeliveryUpdate::Rejected {
                    reason: "service_code not accepted".into(),
                    from_server: true,
                },
            ),
        ];
        // The assisted request was claimed too: give it back untouched.
        for o in &claimed {
            if o.reference == reference {
                updates.push((
                    o.id,
                    DeliveryUpdate::Retry {
                        next_attempt_at: now.clone(),
                        error: "test".into(),
                        outcome_unknown: false,
                    },
                ));
            }
        }
        store.record_outcomes(&mark.owner, &updates).unwrap();
        (a.to_string(), b.to_string())
    };
    k.api().invoke_staff_home();
    k.wait_until("the lists' counts", |k| {
        k.controller
            .flow()
            .desk()
            .is_some_and(|d| d.review.len() == 1 && d.rejected.len() == 1)
    });
    // The look-up of the refused one says why as the lists do: the category in the desk's
    // words, the server's line as it is under it.
    k.controller.flow_mut().staff_set_query(refused.as_str());
    k.api().invoke_staff_lookup();
    k.wait_until("the refused one looked up", |k| {
        k.all_text().contains(&k.t("staff-reason-refused"))
    });
    let technical = k.tr.format(
        "en",
        "staff-item-technical",
        &[("detail", "service_code not accepted".into())],
    );
    assert!(
        k.all_text().contains(&technical),
        "{technical:?} in {}",
        k.all_text()
    );
    let lists = k.controller.flow().staff_home_view().lists_label;
    k.tap(&lists);
    assert_eq!(k.screen(), "staff-lists");
    assert!(
        k.all_text()
            .contains("no answer from the council for 12 hours")
    );
    assert!(
        k.all_text().contains("service_code not accepted"),
        "the server's reason"
    );
    // Why, in the desk's language, above the technical line: the kind recorded with the review
    // (its technical line does not begin as the reconciler's do), and a refusal.
    for why in ["staff-reason-undecided", "staff-reason-refused"] {
        assert!(k.all_text().contains(&k.t(why)), "{why}: {}", k.all_text());
    }
    // Resolve the review item: send it again.
    k.tap(&format!("{} {in_review}", k.t("staff-resolve")));
    k.wait_until("the review item resolved", |k| {
        k.controller.flow().desk().and_then(|d| d.notice)
            == Some(guichet::flow::staff::StaffNotice::Resolved)
    });
    assert_eq!(state_of(&dir, &in_review), Some(State::Pending));
    // Re-file the refused one under another service: STREETLIGHT asks questions this request
    // never answered, so staff answer them on the ordinary question pages (only those), then
    // the last Continue re-files it.
    k.tap(&format!("{} {refused}", k.t("staff-refile")));
    assert_eq!(k.screen(), "staff-refile");
    k.tap("Street light not working");
    k.wait_for_screen("question");
    let banner = k.tr.format(
        "en",
        "refile-banner",
        &[("reference", refused.as_str().into())],
    );
    assert!(k.visible(&banner), "marked as staff re-filing");
    assert!(!k.visible(&k.t("tool-start-over")), "no resident controls");
    let mut asked = Vec::new();
    for _ in 0..10 {
        let step = k.controller.flow().current_step();
        let Some(guichet::flow::Step::Attribute(code)) = step else {
            break;
        };
        asked.push(code.clone());
        if code == "PROBLEM" {
            k.tap("Off at night");
        }
        k.api().invoke_next();
    }
    assert_eq!(
        asked,
        ["PROBLEM", "LAMP_NUMBER", "SINCE"],
        "only its questions"
    );
    assert_eq!(k.screen(), "staff-lists");
    k.wait_until("the rejected item re-filed", |_| {
        state_of(&dir, &refused) == Some(State::Pending)
    });
    {
        let store = Store::open(dir.path()).unwrap();
        let row = store.get(&refused).unwrap();
        assert_eq!(row.service_code, "STREETLIGHT");
        let form = row.form.unwrap();
        assert_eq!(
            form.answers.get("PROBLEM"),
            Some(&guichet::validate::Answer::Many(vec!["off".into()]))
        );
        assert_eq!(form.location.address, "2 Station Road", "the rest is kept");
    }
    // Cancelling asks first.
    k.wait_until("the lists refreshed", |k| {
        k.controller
            .flow()
            .desk()
            .is_some_and(|d| d.review.is_empty() && d.rejected.is_empty())
    });
    k.tap_t("tool-back");
    assert_eq!(k.screen(), "staff-home");

    // --- Practice: marked everywhere, saved as practice, never claimed, erased at Lock. ------
    k.tap_t("staff-practice");
    let practice = k.t("practice-banner");
    assert!(k.visible(&practice));
    k.answer_to_check();
    assert!(k.visible(&practice));
    k.tap_t("check-submit");
    k.wait_for_screen("confirmation");
    assert!(k.visible(&practice), "PRACTICE on the confirmation too");
    let practice_ref = k.api().get_reference().to_string();
    assert_eq!(state_of(&dir, &practice_ref), Some(State::Practice));
    {
        let mut store = Store::open(dir.path()).unwrap();
        let claimed = store
            .claim_due(&ClaimMark::new(), &guichet::queue::now_rfc3339(), 100)
            .unwrap();
        assert!(
            claimed.iter().all(|o| o.reference != practice_ref),
            "a practice submission is never handed to delivery"
        );
    }
    k.tap_t("confirm-finish");
    assert_eq!(k.screen(), "staff-home");
    k.tap_t("staff-lock");
    assert_eq!(k.screen(), "welcome");
    k.wait_until("the practice submission erased", |_| {
        state_of(&dir, &practice_ref).is_none()
    });

    // --- A resident checks the assisted request: status only, in their language. ------------
    // Labelled in the greeting's language of the moment, which the page then speaks.
    let greeting = k.api().get_greeting_locale().to_string();
    k.tap(&k.tr.text(&greeting, "lookup-open"));
    assert_eq!(k.locale(), greeting);
    assert_eq!(k.screen(), "check-request");
    let mut wrong = reference.clone();
    let last = wrong.pop().unwrap();
    wrong.push(if last == 'A' { 'B' } else { 'A' });
    for c in wrong.chars() {
        k.tap(&c.to_string());
    }
    k.tap_t("lookup-check");
    assert!(k.visible(&k.t("lookup-mistyped")));
    for _ in 0..wrong.len() {
        k.tap_t("lookup-delete");
    }
    for c in reference.chars() {
        k.tap(&c.to_string());
    }
    assert_eq!(k.api().get_lookup_query().as_str(), reference);
    k.tap_t("lookup-check");
    k.wait_for_text(&k.t("lookup-pending"));
    let shown = k.all_text();
    assert!(
        !shown.contains("1 High Street") && !shown.contains("Amira"),
        "{shown}"
    );
    k.tap_t("tool-back");
    assert_eq!(k.screen(), "welcome");
}

/// A valid graffiti report in English, as a resident's finished form.
fn graffiti(description: &str, address: &str) -> guichet::validate::ValidForm {
    guichet::validate::ValidForm {
        service_code: "GRAFFITI".into(),
        locale: "en".into(),
        description: description.into(),
        location: guichet::validate::Location {
            address: address.into(),
            ..Default::default()
        },
        ..Default::default()
    }
}

/// A review and a rejected request of `dir`'s store (made as the sync worker would), plus a
/// request still waiting to be sent. Returns (review, rejected).
fn review_and_rejected(dir: &TestDir) -> (String, String) {
    let mut store = Store::open(dir.path()).unwrap();
    let form = graffiti("Made-up request for the staff test", "9 Mill Lane");
    let a = store.enqueue("LIB7", &form, None).unwrap().to_string();
    let b = store.enqueue("LIB7", &form, None).unwrap().to_string();
    let mark = ClaimMark::new();
    let claimed = store
        .claim_due(&mark, &guichet::queue::now_rfc3339(), 10)
        .unwrap();
    let id = |r: &str| claimed.iter().find(|o| o.reference == r).unwrap().id;
    store
        .record_outcomes(
            &mark.owner,
            &[
                (
                    id(&a),
                    DeliveryUpdate::Review {
                        kind: ReviewKind::Undecided,
                        reason: "no answer from the council for 12 hours".into(),
                    },
                ),
                (
                    id(&b),
                    DeliveryUpdate::Rejected {
                        reason: "service_code not accepted".into(),
                        from_server: true,
                    },
                ),
            ],
        )
        .unwrap();
    (a, b)
}

/// The desk's own controls, end to end against real parts: the look-up typed on the desk's
/// pad, "It reached the council" with the council's number typed on screen, cancelling a
/// rejected request (personal data erased, row kept, audited), a help request marked done, and
/// "Send now" waking a real sync worker that delivers the waiting request to the Open311 test
/// server exactly once.
pub fn desk_pad_sent_cancel_help_and_send_now() {
    use super::open311_server::Open311Server;
    let dir = TestDir::new("ui-staff-desk-actions");
    add_staff(&dir, "Amira", PIN);
    let (in_review, refused) = review_and_rejected(&dir);

    // A real sync worker on the same data dir, going round only when woken (its own rounds are
    // an hour apart), as the kiosk's `sync_now` does after a save or a "Send now".
    let server = Open311Server::start();
    let key = dir.path().join("api-key");
    std::fs::write(&key, "test-api-key\n").unwrap();
    let text = format!(
        "[device]\ncode = \"LIB7\"\ndata_dir = {:?}\n[central]\nkind = \"open311\"\nurl = {:?}\napi_key_file = {:?}\nallow_insecure_http = true\n[printer]\nport = \"none\"\n",
        dir.path().display().to_string(),
        server.url(),
        key.display().to_string()
    );
    let config = guichet::config::Config::parse(
        &text,
        &guichet::config::ConfigSource::File(dir.path().join("kiosk.toml")),
    )
    .unwrap();
    let tuning = guichet::sync::SyncTuning {
        round_interval: Duration::from_secs(3600),
        ..Default::default()
    };
    let sync = std::sync::Arc::new(guichet::sync::spawn_sync_worker_with(
        std::sync::Arc::new(config),
        guichet::queue::StoreLocation::in_dir(dir.path()),
        tuning,
        |_| {},
    ));
    // Its first round (at start) has been: nothing was waiting then.
    let checked = || {
        Store::open(dir.path())
            .unwrap()
            .state_value("sync.last_checked_at")
            .unwrap()
            .is_some()
    };
    for _ in 0..500 {
        if checked() {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(checked(), "the sync worker's first round");
    let waiting = {
        let mut store = Store::open(dir.path()).unwrap();
        let form = graffiti("Waiting for Send now", "3 Church Street");
        store.enqueue("LIB7", &form, None).unwrap().to_string()
    };
    let wake = std::sync::Arc::clone(&sync);
    let k = super::start_kiosk_with(&dir, 0, Box::new(move |_| wake.sync_now()));
    k.sign_in();

    // --- Health says what this kiosk has, and has not. --------------------------------------
    k.wait_for_text(&format!(
        "{}: {}",
        k.t("staff-health-printer"),
        k.t("staff-no-printer")
    ));
    assert!(k.visible(&format!(
        "{}: {}",
        k.t("staff-health-online"),
        k.t("staff-no-council")
    )));

    // --- The look-up typed on the desk's own pad (no scanner, no keyboard). -----------------
    for c in waiting.chars() {
        k.tap(&c.to_string());
    }
    assert_eq!(k.api().get_staff_query().as_str(), waiting);
    k.tap_t("staff-lookup");
    k.wait_for_text(&format!("{}: {waiting}", k.t("staff-reference")));

    // --- "It reached the council", with the council's number typed on screen. -----------------
    k.wait_until("the lists", |k| {
        k.controller
            .flow()
            .desk()
            .is_some_and(|d| d.review.len() == 1 && d.rejected.len() == 1)
    });
    let lists = k.controller.flow().staff_home_view().lists_label;
    k.tap(&lists);
    k.tap(&format!("{} {in_review}", k.t("staff-resolve-sent")));
    assert_eq!(k.screen(), "staff-sent");
    // Save with nothing typed: refused on the spot, nothing sent.
    k.tap_t("staff-sent-save");
    assert_eq!(k.screen(), "staff-sent");
    assert!(k.visible(&k.t("staff-sent-missing")));
    for c in "4711".chars() {
        k.tap(&c.to_string());
    }
    k.tap_t("staff-sent-save");
    assert_eq!(k.screen(), "staff-lists");
    k.wait_until("the review item resolved as sent", |_| {
        state_of(&dir, &in_review) == Some(State::Accepted)
    });
    {
        let store = Store::open(dir.path()).unwrap();
        let row = store.get(&in_review).unwrap();
        assert_eq!(row.remote_id.as_deref(), Some("4711"));
        let lines = store.audit_lines(100).unwrap();
        assert!(
            lines.iter().any(|l| l.actor == "Amira"
                && l.action == "queue.resolve"
                && l.reference.as_deref() == Some(in_review.as_str())
                && l.detail.contains("4711")),
            "audited with the staff name: {lines:?}"
        );
    }

    // --- Cancel the refused request: asked first, then erased, the row and an audit line kept.
    k.tap(&format!("{} {refused}", k.t("staff-cancel")));
    k.tap_t("staff-cancel-yes");
    k.wait_until("the refused request cancelled", |_| {
        state_of(&dir, &refused) == Some(State::Cancelled)
    });
    {
        let store = Store::open(dir.path()).unwrap();
        let row = store.get(&refused).unwrap();
        assert!(row.form.is_none(), "its personal data is erased");
        let lines = store.audit_lines(100).unwrap();
        assert!(
            lines.iter().any(|l| l.actor == "Amira"
                && l.action == "queue.cancel"
                && l.reference.as_deref() == Some(refused.as_str())),
            "{lines:?}"
        );
        assert!(lines.iter().all(|l| !l.detail.contains("9 Mill Lane")));
    }

    // --- A help request, marked done from the desk. ------------------------------------------
    let help = {
        let mut store = Store::open(dir.path()).unwrap();
        store
            .insert_help_request("en", guichet::queue::HelpNotify::Unconfigured)
            .unwrap()
    };
    k.api().invoke_staff_open_lists();
    k.wait_until("the help request listed", |k| {
        k.controller
            .flow()
            .desk()
            .is_some_and(|d| d.help.len() == 1)
    });
    let asked = k.controller.flow().staff_help_rows()[0].text.clone();
    let done = format!("{}: {asked}", k.t("staff-help-done"));
    // "Done" is a button of its own size, the request's words take the rest of the row.
    let window = k
        .app
        .window()
        .size()
        .to_logical(k.app.window().scale_factor());
    let width = k.find(&done)[0].size().width;
    assert!(
        width < window.width * 0.25,
        "Done is {width} px wide in a {} px window",
        window.width
    );
    k.tap(&done);
    k.wait_until("the help request done", |_| {
        let store = Store::open(dir.path()).unwrap();
        store
            .help_request(help)
            .unwrap()
            .is_some_and(|h| h.done_by.as_deref() == Some("Amira"))
    });
    k.wait_for_text(&k.t("staff-done-help"));

    // --- "Send now": the waiting request reaches the council once. ---------------------------
    assert!(
        server.with_reference(&waiting).is_empty(),
        "not sent before Send now"
    );
    k.tap_t("tool-back");
    assert_eq!(k.screen(), "staff-home");
    k.tap_t("staff-send-now");
    k.wait_until("the waiting request delivered", |_| {
        state_of(&dir, &waiting) == Some(State::Accepted)
    });
    k.tap_t("staff-send-now");
    k.wait_for_text(&k.t("staff-done-send-now"));
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(server.with_reference(&waiting).len(), 1, "delivered once");
    k.tap_t("staff-lock");
    drop(k);
    drop(sync);
}

/// With screen blanking on, the screen goes black on the welcome screen; a touch only wakes it,
/// and then staff can hold the corner to reach the PIN pad.
pub fn staff_wake_a_blanked_screen_then_hold_the_corner() {
    let dir = TestDir::new("ui-staff-blanked");
    add_staff(&dir, "Amira", PIN);
    let k = super::start_kiosk_with(&dir, 30, Box::new(|_| {}));
    for _ in 0..35 {
        mock_elapsed_time(Duration::from_secs(1));
    }
    assert!(k.api().get_blanked(), "blanked after 30 s");
    // Holding the corner of a black screen only wakes it.
    k.hold_corner(4);
    assert!(!k.api().get_blanked());
    assert_eq!(k.screen(), "welcome", "the waking touch does nothing else");
    k.hold_corner(4);
    assert_eq!(k.screen(), "staff-pin");
    k.type_pin(PIN);
    k.wait_for_screen("staff-home");
}

/// Speech mode on the staff screens: the PIN typed without sight (Tab to a key, Enter), the
/// loudspeaker never saying a digit, then the desk read in reading order.
pub fn staff_screens_by_speech() {
    use guichet::flow::speech::{Control, plain};
    let dir = TestDir::new("ui-staff-speech");
    add_staff(&dir, "Amira", PIN);
    let k = start_kiosk(&dir);
    let speaker = k.record_speech();
    k.hold_corner(4);
    assert_eq!(k.screen(), "staff-pin");
    super::press(&k, Key::F1);
    for d in PIN.chars() {
        // Where this digit's key is today, counted among the digit keys.
        let position = k
            .controller
            .flow()
            .speech_controls()
            .iter()
            .filter(|c| matches!(&c.control, Control::PinKey(v) if v.len() == 1))
            .position(|c| c.control == Control::PinKey(d.to_string()))
            .unwrap()
            + 1;
        super::focus_on(&k, &format!("Digit key {position} of 10"));
        super::press(&k, Key::Return);
    }
    assert_eq!(k.controller.flow().desk().unwrap().pin.len(), PIN.len());
    super::focus_on(&k, "OK, button");
    super::press(&k, Key::Return);
    k.wait_for_screen("staff-home");
    k.wait_for_text(&format!(
        "{}: {}",
        k.t("staff-health-printer"),
        k.t("staff-no-printer")
    ));
    let lines: Vec<String> = speaker.take_lines().iter().map(|l| plain(l)).collect();
    let all = lines.join("\n");
    assert!(all.contains("Digit entered. One digit."), "{all}");
    assert!(all.contains("Digit entered. 6 digits."), "{all}");
    for d in '0'..='9' {
        assert!(
            !lines.iter().any(|l| l.starts_with(&format!("{d}, key"))),
            "a digit said aloud: {all}"
        );
    }
    assert!(!all.contains(PIN));
    super::said_in_order(
        &lines,
        &[
            "Signed in: Amira".to_string(),
            k.t("staff-lookup-label"),
            k.t("staff-health-title"),
        ],
    );
    // The desk's controls by speech: Send now, then the pad, then the lists.
    super::focus_on(&k, &plain(&k.t("staff-send-now")));
    super::press(&k, Key::Return);
    k.wait_until("Send now said", |k| {
        k.controller.flow().desk().and_then(|d| d.notice)
            == Some(guichet::flow::staff::StaffNotice::SendingNow)
    });
    mock_elapsed_time(Duration::from_millis(100));
    let news: Vec<String> = speaker.take_lines().iter().map(|l| plain(l)).collect();
    assert!(
        news.iter().any(|l| l.contains(&k.t("staff-done-send-now"))),
        "{news:?}"
    );
    // Typed into the look-up's field in speech mode (a keyboard, a scanner): R, +, − and space
    // are characters of what is typed, not speech mode's shortcuts (WCAG 2.1.4).
    speaker.take();
    k.type_physical("R-7 +R");
    assert_eq!(k.api().get_staff_query().as_str(), "R-7 +R");
    let events = speaker.take();
    assert!(
        !events
            .iter()
            .any(|e| matches!(e, guichet::flow::speech::SpeechEvent::Volume(_))),
        "no volume change: {events:?}"
    );
    assert_eq!(
        k.controller.speech().volume_level(),
        guichet::flow::speech::VOLUME_DEFAULT
    );
    super::press(&k, Key::F1);
    k.tap_t("staff-lock");
}

/// Opens staff scene `scene` in `locale` at the largest text size in a `width`×`height` window,
/// its page made anew (another page shown first if it is up), as when staff open it: the
/// look-up's field is focused then.
fn open_largest(k: &Kiosk, scene: &str, locale: &str, (width, height): (f32, f32)) {
    k.app
        .window()
        .set_size(slint::LogicalSize::new(width, height));
    if k.screen() == scene {
        k.show_scene("welcome", locale);
        let _ = k.all_text();
    }
    k.show_largest(scene, locale);
}

/// The staff desk at the largest text size on a 7" panel upright (90 mm × 154 mm: 341×582 px
/// at its scale), in landscape (582×341), on a 10" panel in landscape (217 mm × 136 mm:
/// 820×513) and at 1024×600 (96 dpi), in every language, on the
/// staff scenes with labelled lines or a pad (the desk, the PIN pad, the council number, a
/// resident's "Check a request"):
/// - the desk opens with its heading ("Signed in") in view, though the look-up's field, focused
///   on entry, is below it (Slint scrolls a focused item into view: it took the heading out);
/// - each labelled line (health, a look-up's result) has its label on one line beside its
///   value, or above the value: never wrapped into a narrow column ("Refere|nce" at 38 % of a
///   7" panel; Arabic health labels at 1024×600);
/// - a reference (`DEMO-00042-V`) is on one line, never broken at its hyphen: its value is no
///   taller than one line of a label;
/// - the pads' keys show words ("Delete", never "⌫"), the words they are said with, none cut.
///
/// Rows and keys are measured in a window as wide and taller (they reflow by width alone; the
/// testing backend's queries skip what a scrolled page clips). Returns one line a problem.
pub fn the_desk_reads_well_at_the_largest_size_on_small_panels(dir: &TestDir) -> Vec<String> {
    let k = start_kiosk(dir);
    let mut problems = Vec::new();
    let scenes = ["staff-home", "staff-pin", "staff-sent", "check-request"];
    let (mut rows_seen, mut references, mut word_keys, mut desk_actions) = (0, 0, 0, 0);
    for locale in guichet::i18n::SUPPORTED_LOCALES {
        for (width, height) in [
            (341.0, 582.0),
            (582.0, 341.0),
            (820.0, 513.0),
            (1024.0, 600.0),
        ] {
            // The heading in view when the desk opens.
            open_largest(&k, "staff-home", locale, (width, height));
            let place = format!("staff-home {locale} at {width}×{height}, largest");
            let signed_in = k.api().get_staff_signed_in().to_string();
            let area: Option<Rect> = ElementHandle::find_by_element_type_name(&k.app, "Scrolling")
                .next()
                .map(|e| rect_of(&e));
            match (k.find(&signed_in).first().map(rect_of), area) {
                (Some(h), Some(a)) if h.1 >= a.1 - 1.0 && h.1 + h.3 <= a.1 + a.3 + 1.0 => {}
                (heading, _) => problems.push(format!(
                    "{place}: {signed_in:?} not in view when the desk opens (at {heading:?}, page {area:?})"
                )),
            }
            // On a 7" panel either way round, on a 10" one and at 1024×600 in landscape (every
            // page under 200 mm high) the desk's actions are rows of the page (`DeskActions`):
            // their words at 33 px (EN 301 549 5.1.4), none set smaller or cut to stay whole
            // (on the 10" panel the third of three at the foot ran past the window's side).
            // Every measured label the window holds reports again on a census, those below the
            // fold too (the search finds only what is in view): the titles are the desk's own,
            // and an action not measured at all (a plain button) is found missing.
            super::word_census(&k);
            let actions = [
                k.api().get_staff_lists_label().to_string(),
                k.t("staff-help-visitor"),
                k.t("staff-practice"),
            ];
            let (measured, small, cut) = (
                k.controller.measured_words(),
                k.controller.small_words(),
                k.controller.cut_words(),
            );
            for title in actions.iter().filter(|t| !measured.contains(t)) {
                problems.push(format!("{place}: the desk's action {title:?} not measured"));
            }
            for title in actions.iter().filter(|t| small.contains(t)) {
                problems.push(format!(
                    "{place}: the desk's action {title:?} set under 33 px"
                ));
            }
            for title in actions.iter().filter(|t| cut.contains(t)) {
                problems.push(format!("{place}: the desk's action {title:?} cut"));
            }
            desk_actions += actions.len();
            for scene in &scenes {
                open_largest(&k, scene, locale, (width, 4000.0));
                let place = format!("{scene} {locale} at {width} px wide, largest");
                // Labelled lines: a label and its value, a row each, in order.
                let labels: Vec<(String, Rect)> =
                    ElementHandle::find_by_element_type_name(&k.app, "InfoLine")
                        .map(|e| {
                            let text = e.accessible_label().unwrap_or_default().to_string();
                            (text.trim_start_matches("! ").to_string(), rect_of(&e))
                        })
                        .collect();
                let values: Vec<(String, Rect)> =
                    ElementHandle::find_by_element_type_name(&k.app, "InfoValue")
                        .map(|e| {
                            (
                                e.accessible_label().unwrap_or_default().to_string(),
                                rect_of(&e),
                            )
                        })
                        .collect();
                assert_eq!(labels.len(), values.len(), "{place}: {labels:?} {values:?}");
                let one_line = labels.iter().map(|(_, r)| r.3).fold(f32::MAX, f32::min);
                for ((label, l), (value, v)) in labels.iter().zip(&values) {
                    assert!(
                        value.starts_with(&format!("{label}: ")),
                        "{place}: {label:?} / {value:?}"
                    );
                    rows_seen += 1;
                    let stacked = l.1 + l.3 <= v.1 + 1.0;
                    if !stacked && l.3 > 1.5 * one_line {
                        problems.push(format!(
                            "{place}: the label {label:?} wraps beside its value ({:.0} px wide, {:.0} px high; one line {one_line:.0})",
                            l.2, l.3
                        ));
                    }
                    if *label == k.tr.text(locale, "staff-reference") {
                        references += 1;
                        if v.3 > 1.5 * one_line {
                            problems.push(format!(
                                "{place}: {value:?} is not on one line ({:.0} px wide, {:.0} px high; one line {one_line:.0})",
                                v.2, v.3
                            ));
                        }
                    }
                }
                // The pads' keys in words, as they are said, none cut.
                for key in ElementHandle::find_by_element_type_name(&k.app, "KeyButton") {
                    let said = key.accessible_label().unwrap_or_default().to_string();
                    if said.chars().count() <= 1 {
                        continue;
                    }
                    word_keys += 1;
                    let shown: Vec<String> = key
                        .query_descendants()
                        .match_predicate(|e| {
                            e.accessible_role()
                                == Some(i_slint_backend_testing::AccessibleRole::Text)
                        })
                        .find_all()
                        .iter()
                        .filter_map(|e| e.accessible_label().map(|l| l.to_string()))
                        .collect();
                    if !shown.contains(&said) {
                        problems.push(format!("{place}: the key said {said:?} shows {shown:?}"));
                    }
                }
                for title in cut_words(&k) {
                    problems.push(format!("{place}: {title:?}: a word cut"));
                }
            }
        }
    }
    assert!(
        rows_seen > 100 && references >= 18 && word_keys > 100 && desk_actions == 72,
        "{rows_seen} labelled lines, {references} references, {word_keys} keys with words, \
         {desk_actions} desk actions seen"
    );
    k.controller.flow_mut().wipe();
    k.controller.refresh();
    problems
}

/// The desk's idle lock is warned of (WCAG 2.2.1): 40 s after the last touch the idle warning
/// counts down the last 20 s with "I need more time" and "Lock now"; more time keeps the desk
/// open, "Lock now" locks it, and unanswered it locks a minute after the last touch.
pub fn the_desk_warns_before_it_locks() {
    let dir = TestDir::new("ui-staff-idle");
    add_staff(&dir, "Amira", PIN);
    let k = start_kiosk(&dir);
    let idle = |seconds: u32| {
        for _ in 0..seconds {
            mock_elapsed_time(Duration::from_secs(1));
        }
    };
    k.sign_in();
    idle(39);
    assert!(!k.api().get_timeout_warning(), "not yet");
    idle(1);
    assert!(k.api().get_timeout_warning(), "warned 20 s before the lock");
    assert!(k.visible(&k.t("timeout-title")), "{}", k.all_text());
    assert!(
        k.api().get_timeout_text().contains("20"),
        "{}",
        k.api().get_timeout_text()
    );
    assert!(k.visible(&k.t("timeout-lock")), "{}", k.all_text());
    idle(5);
    k.tap_t("timeout-more");
    assert!(!k.api().get_timeout_warning());
    assert_eq!(k.screen(), "staff-home", "the desk stays open");
    idle(39);
    assert!(!k.api().get_timeout_warning(), "the whole minute again");
    idle(1);
    assert!(k.api().get_timeout_warning());
    k.tap_t("timeout-lock");
    assert_eq!(k.screen(), "welcome", "Lock now locks");
    assert!(!k.api().get_timeout_warning());
    assert!(k.controller.flow_mut().desk().is_none());
    // Nobody answers: locked a minute after the last touch.
    k.sign_in();
    idle(59);
    assert_eq!(k.screen(), "staff-home");
    idle(1);
    assert_eq!(k.screen(), "welcome");
    assert!(!k.api().get_timeout_warning());
}
