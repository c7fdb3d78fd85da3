//! How far each resident session went, for the council's numbers (`guichet stats`, the
//! `guichet_sessions_total` metric): how long, which language and service, assisted or not, how
//! it ended and the furthest step reached. Kept beside the [`super::Session`], not in it: it
//! holds nothing the resident typed, and it outlives the session just long enough to be
//! reported ([`super::Flow::take_ended_sessions`]).

/// How a resident session ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionEnd {
    /// A submission was saved.
    Completed,
    /// "Start again", "delete my answers", or "finish" without a save.
    Abandoned,
    /// The idle timeout ended it.
    TimedOut,
}

/// One ended resident session: no answers, no reference, no name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionSummary {
    /// The language it ended in.
    pub locale: String,
    /// The service chosen last, if any.
    pub service_code: Option<String>,
    /// How it ended.
    pub outcome: SessionEnd,
    /// The furthest step reached: 0 before a question, `n` for the `n`th question, the number
    /// of questions + 1 for the check page, + 2 once submitted.
    pub step: u32,
    /// Seconds from leaving the welcome screen to the end (counted by the 1 s tick).
    pub duration_s: u32,
    /// A member of staff helped (assisted mode).
    pub assisted: bool,
    /// Training mode (left out of the statistics).
    pub practice: bool,
}

/// The running count for the session on screen.
#[derive(Debug, Clone, Default)]
pub(crate) struct Tracker {
    pub(crate) started: bool,
    pub(crate) seconds: u32,
    pub(crate) step: u32,
    pub(crate) service_code: Option<String>,
    pub(crate) completed: bool,
    pub(crate) timed_out: bool,
    pub(crate) assisted: bool,
    pub(crate) practice: bool,
}

impl Tracker {
    /// The summary of the session that just ended (`None` if it never left the welcome
    /// screen), and a fresh tracker in its place.
    pub(crate) fn finish(&mut self, locale: &str) -> Option<SessionSummary> {
        let t = std::mem::take(self);
        t.started.then(|| SessionSummary {
            locale: locale.to_string(),
            service_code: t.service_code,
            outcome: if t.completed {
                SessionEnd::Completed
            } else if t.timed_out {
                SessionEnd::TimedOut
            } else {
                SessionEnd::Abandoned
            },
            step: t.step,
            duration_s: t.seconds,
            assisted: t.assisted,
            practice: t.practice,
        })
    }
}
