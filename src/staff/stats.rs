//! `guichet stats`: the numbers for the council's budget case, per day (in the kiosk's local
//! time): resident sessions by service, language, assisted or not, how they ended and at which
//! step, time spent; help requests and how long until staff marked them done. Built from the
//! `sessions` and `help_requests` rows only, which hold no answers, references or names; practice
//! sessions are left out.

use std::collections::BTreeMap;

use time::format_description::well_known::Rfc3339;
use time::{Date, OffsetDateTime, UtcOffset};

use crate::queue::{HelpRequest, SessionRecord, Store};

use super::StaffError;

/// The CSV's header line (without the line end).
pub const CSV_HEADER: &str = "date,kind,service,language,assisted,outcome,step,count,total_seconds,average_seconds,average_minutes_until_done";

/// One line of the statistics.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct StatsRow {
    /// `YYYY-MM-DD`, local time.
    pub date: String,
    /// `session` or `help`.
    pub kind: &'static str,
    /// The service code (sessions; empty when none was chosen, and for help).
    pub service: String,
    /// The language.
    pub language: String,
    /// `yes`/`no` (sessions; empty for help).
    pub assisted: String,
    /// Sessions: `completed`, `abandoned`, `timed_out`; help: `done` or `open`.
    pub outcome: String,
    /// The furthest step reached (sessions; empty for help).
    pub step: String,
    /// How many.
    pub count: u64,
    /// Seconds spent in all of them (sessions).
    pub total_seconds: Option<u64>,
    /// Their average (sessions).
    pub average_seconds: Option<u64>,
    /// Help requests marked done: average minutes from the request to "done".
    pub average_minutes_until_done: Option<u64>,
}

impl StatsRow {
    /// The CSV line (fields are fixed words, codes and numbers; a service code with a comma or
    /// quote is quoted).
    pub fn csv(&self) -> String {
        let opt = |v: Option<u64>| v.map(|n| n.to_string()).unwrap_or_default();
        [
            self.date.clone(),
            self.kind.to_string(),
            csv_field(&self.service),
            csv_field(&self.language),
            self.assisted.clone(),
            self.outcome.clone(),
            self.step.clone(),
            self.count.to_string(),
            opt(self.total_seconds),
            opt(self.average_seconds),
            opt(self.average_minutes_until_done),
        ]
        .join(",")
    }
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// The whole CSV document for `rows`.
pub fn to_csv(rows: &[StatsRow]) -> String {
    let mut out = String::from(CSV_HEADER);
    out.push('\n');
    for r in rows {
        out.push_str(&r.csv());
        out.push('\n');
    }
    out
}

fn local_day(rfc3339: &str, offset: UtcOffset) -> Option<Date> {
    OffsetDateTime::parse(rfc3339, &Rfc3339)
        .ok()
        .map(|t| t.to_offset(offset).date())
}

/// The UTC RFC 3339 instant where local day `d` starts.
fn day_start(d: Date, offset: UtcOffset) -> String {
    crate::clock::rfc3339(d.midnight().assume_offset(offset).to_offset(UtcOffset::UTC))
}

/// Statistics from `from` to `to` (local days, both included; `None`: from the first record /
/// to today), read from the store.
pub fn gather(
    store: &Store,
    from: Option<Date>,
    to: Option<Date>,
    offset: UtcOffset,
) -> Result<Vec<StatsRow>, StaffError> {
    let start = from.map_or_else(|| "0000".to_string(), |d| day_start(d, offset));
    let end = match to {
        Some(d) => d
            .next_day()
            .map_or_else(|| "9999".to_string(), |n| day_start(n, offset)),
        None => "9999".to_string(),
    };
    let sessions = store.sessions_between(&start, &end)?;
    let helps = store.help_requests_between(&start, &end)?;
    Ok(compute(&sessions, &helps, offset))
}

/// Groups sessions and help requests into rows, ordered by day, then kind, then the other
/// columns.
pub fn compute(
    sessions: &[SessionRecord],
    helps: &[HelpRequest],
    offset: UtcOffset,
) -> Vec<StatsRow> {
    type Key = (Date, String, String, bool, &'static str, u32);
    let mut groups: BTreeMap<Key, (u64, u64)> = BTreeMap::new();
    for s in sessions.iter().filter(|s| !s.practice) {
        let Some(day) = local_day(&s.started_at, offset) else {
            continue;
        };
        let key = (
            day,
            s.service_code.clone().unwrap_or_default(),
            s.locale.clone(),
            s.assisted,
            s.outcome.as_str(),
            s.step,
        );
        let slot = groups.entry(key).or_default();
        slot.0 += 1;
        slot.1 += s.duration_s;
    }
    let mut rows: Vec<(Date, StatsRow)> = groups
        .into_iter()
        .map(
            |((day, service, language, assisted, outcome, step), (n, secs))| {
                (
                    day,
                    StatsRow {
                        date: day.to_string(),
                        kind: "session",
                        service,
                        language,
                        assisted: if assisted { "yes" } else { "no" }.into(),
                        outcome: outcome.into(),
                        step: step.to_string(),
                        count: n,
                        total_seconds: Some(secs),
                        average_seconds: Some(secs / n.max(1)),
                        average_minutes_until_done: None,
                    },
                )
            },
        )
        .collect();
    let mut help_groups: BTreeMap<(Date, String, bool), (u64, u64)> = BTreeMap::new();
    for h in helps {
        let Some(day) = local_day(&h.requested_at, offset) else {
            continue;
        };
        let waited = h.done_at.as_deref().and_then(|done| {
            let a = OffsetDateTime::parse(&h.requested_at, &Rfc3339).ok()?;
            let b = OffsetDateTime::parse(done, &Rfc3339).ok()?;
            Some((b - a).whole_seconds().max(0) as u64)
        });
        let slot = help_groups
            .entry((day, h.locale.clone(), h.done_at.is_some()))
            .or_default();
        slot.0 += 1;
        slot.1 += waited.unwrap_or(0);
    }
    rows.extend(
        help_groups
            .into_iter()
            .map(|((day, language, done), (n, waited))| {
                (
                    day,
                    StatsRow {
                        date: day.to_string(),
                        kind: "help",
                        service: String::new(),
                        language,
                        assisted: String::new(),
                        outcome: if done { "done" } else { "open" }.into(),
                        step: String::new(),
                        count: n,
                        total_seconds: None,
                        average_seconds: None,
                        // Rounded to the nearest minute.
                        average_minutes_until_done: done.then(|| (waited / n.max(1) + 30) / 60),
                    },
                )
            }),
    );
    // Stable: sessions before help within a day, each group already in key order.
    rows.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.kind.cmp(b.1.kind).reverse()));
    rows.into_iter().map(|(_, r)| r).collect()
}
