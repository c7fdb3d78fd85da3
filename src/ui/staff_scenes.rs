//! The staff screens and "Check a request" as named scenes for `guichet screenshot` and the
//! layout test: reached through the flow with made-up staff answers (a sample staff member,
//! sample requests and health), never the database.

use crate::flow::staff::{
    HelpItem, KioskHealth, Paper, PinOutcome, PublicStatus, QueueItem, ReasonKind, RefileVisit,
    RemoteStatus, RequestState, RequestStatus, StaffNotice,
};
use crate::flow::{Flow, SaveOutcome, StaffReply};

use super::scenes::{answer_current, open_service, sample_reference};

/// The staff scenes (listed with what they show in `scenes::SCENES`).
const NAMES: &[&str] = &[
    "check-request",
    "check-request-found",
    "check-request-mistyped",
    "staff-pin",
    "staff-pin-locked",
    "staff-home",
    "staff-timeout",
    "staff-lists",
    "staff-cancel",
    "staff-refile",
    "staff-sent",
    "staff-refile-question",
    "assisted-question",
    "assisted-menu",
    "consent",
    "practice-confirmation",
];

const SAMPLE_STAFF: &str = "Amira";

fn sample_service(flow: &Flow) -> String {
    flow.catalog()
        .services
        .first()
        .map(|s| s.service_name.clone())
        .unwrap_or_default()
}

fn in_language(flow: &mut Flow, locale: &str) {
    flow.open_languages();
    flow.choose_language(locale);
}

fn sign_in(flow: &mut Flow, locale: &str) {
    flow.staff_gesture();
    in_language(flow, locale);
    flow.staff_reply(StaffReply::Unlock(PinOutcome::Accepted {
        name: SAMPLE_STAFF.into(),
    }));
    flow.staff_reply(StaffReply::Health(KioskHealth {
        central_configured: true,
        printer_configured: true,
        online: true,
        captive_portal: false,
        last_sync: Some("2026-12-01T09:41:00Z".into()),
        pending: 2,
        review: 1,
        rejected: 1,
        paper: Paper::Low,
        cover_open: Some(false),
    }));
    let service = sample_service(flow);
    flow.staff_reply(StaffReply::Lists {
        review: vec![QueueItem {
            reference: sample_reference(),
            service: service.clone(),
            kind: ReasonKind::Undecided,
            reason: "undecided for 12 h: HTTP 500 from requests.json; decide with `guichet queue resolve`".into(),
            created_at: "2026-11-30T16:05:00Z".into(),
        }],
        rejected: vec![QueueItem {
            reference: other_reference(),
            service,
            kind: ReasonKind::Refused,
            reason: "Service code not accepted".into(),
            created_at: "2026-11-30T11:20:00Z".into(),
        }],
        help: vec![HelpItem {
            id: 1,
            asked_at: "2026-12-01T10:02:00Z".into(),
        }],
    });
}

fn other_reference() -> String {
    (57..)
        .find_map(|n| crate::reference::Reference::issue("DEMO", n))
        .map(|r| r.to_string())
        .unwrap_or_default()
}

/// Walks the current (assisted or practice) session to the check page with made-up answers.
fn to_check(flow: &mut Flow, locale: &str) -> Result<(), String> {
    let catalog = flow.catalog();
    let service = catalog
        .services
        .iter()
        .min_by_key(|s| {
            catalog
                .definition(&s.service_code)
                .map_or(0, |d| d.attributes.len())
        })
        .map(|s| s.service_code.clone())
        .ok_or("the catalogue has no service")?;
    open_service(flow, locale, &service);
    for _ in 0..200 {
        if flow.current_step().is_none() {
            break;
        }
        answer_current(flow, "12 Station Road");
        flow.next();
    }
    Ok(())
}

/// Drives `flow` into a staff scene; `None` when `scene` is not one of them.
pub fn enter(flow: &mut Flow, scene: &str, locale: &str) -> Option<Result<(), String>> {
    if !NAMES.contains(&scene) {
        return None;
    }
    let result = (|| {
        match scene {
            "check-request" | "check-request-found" | "check-request-mistyped" => {
                flow.open_check_request();
                in_language(flow, locale);
                let reference = sample_reference();
                match scene {
                    "check-request" => flow.lookup_set(&reference[..7]),
                    "check-request-found" => {
                        flow.lookup_set(&reference);
                        flow.lookup_check();
                        flow.staff_reply(StaffReply::PublicLookup(Some(PublicStatus {
                            reference,
                            state: RequestState::Accepted,
                            remote: Some(RemoteStatus::Open),
                            updated_at: Some("2026-12-01T08:30:00Z".into()),
                        })));
                    }
                    _ => {
                        // The last character changed: the check character catches it.
                        let mut wrong = reference.clone();
                        let last = if wrong.ends_with('A') { 'B' } else { 'A' };
                        wrong.pop();
                        wrong.push(last);
                        flow.lookup_set(&wrong);
                        flow.lookup_check();
                    }
                }
            }
            "staff-pin" => {
                flow.staff_gesture();
                in_language(flow, locale);
                for d in ["1", "2", "3"] {
                    flow.pin_key(d);
                }
            }
            "staff-pin-locked" => {
                flow.staff_gesture();
                in_language(flow, locale);
                flow.staff_reply(StaffReply::Unlock(PinOutcome::Locked { minutes: 5 }));
            }
            "staff-home" => {
                sign_in(flow, locale);
                let reference = sample_reference();
                flow.staff_set_query(&reference);
                flow.staff_lookup();
                flow.staff_reply(StaffReply::Lookup(Some(RequestStatus {
                    reference,
                    service: sample_service(flow),
                    state: RequestState::Accepted,
                    remote_id: Some("4711".into()),
                    remote_status: Some("open".into()),
                    remote_updated: Some("2026-12-01T08:30:00Z".into()),
                    reason: None,
                    kind: None,
                    assisted_by: Some(SAMPLE_STAFF.into()),
                })));
                flow.staff_reply(StaffReply::Done(StaffNotice::Reprinted));
            }
            "staff-timeout" => {
                sign_in(flow, locale);
                let warned = crate::flow::staff::STAFF_IDLE_SECONDS
                    - crate::flow::staff::STAFF_WARNING_SECONDS;
                for _ in 0..warned + 5 {
                    flow.tick();
                }
            }
            "staff-lists" | "staff-cancel" | "staff-refile" => {
                sign_in(flow, locale);
                flow.staff_open_lists();
                match scene {
                    "staff-cancel" => flow.staff_cancel(&other_reference()),
                    "staff-refile" => flow.staff_refile(&other_reference()),
                    _ => {}
                }
            }
            "staff-sent" => {
                sign_in(flow, locale);
                flow.staff_open_lists();
                flow.staff_mark_sent(&sample_reference());
                for k in ["4", "7", "1", "1"] {
                    flow.lookup_key(k);
                }
            }
            "staff-refile-question" => {
                sign_in(flow, locale);
                flow.staff_open_lists();
                let catalog = flow.catalog();
                let (service, questions) = catalog
                    .services
                    .iter()
                    .filter_map(|s| {
                        let d = catalog.definition(&s.service_code)?;
                        let asked: Vec<String> = d
                            .attributes
                            .iter()
                            .filter(|a| a.variable && a.required)
                            .map(|a| a.code.clone())
                            .collect();
                        (!asked.is_empty()).then(|| (s.service_code.clone(), asked))
                    })
                    .next()
                    .ok_or("no service with a required question")?;
                flow.staff_reply(StaffReply::RefileQuestions(RefileVisit {
                    reference: other_reference(),
                    service,
                    questions,
                }));
            }
            "assisted-question" | "assisted-menu" => {
                sign_in(flow, locale);
                flow.staff_help_visitor();
                flow.choose_language(locale);
                let catalog = flow.catalog();
                let service = catalog
                    .services
                    .iter()
                    .find(|s| {
                        catalog
                            .definition(&s.service_code)
                            .is_some_and(|d| d.attributes.iter().any(|a| a.variable))
                    })
                    .or(catalog.services.first())
                    .map(|s| s.service_code.clone())
                    .ok_or("the catalogue has no service")?;
                open_service(flow, locale, &service);
                answer_current(flow, "12 Station Road");
                // End is the menu's last tool there (`Flow::end_in_strip`).
                if scene == "assisted-menu" {
                    super::scenes::largest_on_small_panel(flow);
                    flow.tool(crate::flow::Tool::Menu);
                }
            }
            "consent" => {
                sign_in(flow, locale);
                flow.staff_help_visitor();
                to_check(flow, locale)?;
                let _ = flow.submit();
            }
            _ => {
                // practice-confirmation
                sign_in(flow, locale);
                flow.staff_practice();
                to_check(flow, locale)?;
                let _ = flow.submit();
                flow.saved(SaveOutcome::Saved(sample_reference()));
            }
        }
        Ok(())
    })();
    // Screenshots ask nothing of a kiosk.
    flow.take_requests();
    Some(result)
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_staff_scene_is_listed() {
        for name in super::NAMES {
            assert!(
                super::super::scenes::SCENES.iter().any(|(n, _)| n == name),
                "{name} missing from SCENES"
            );
        }
    }
}
