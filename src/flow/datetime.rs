//! The date-and-time picker's state: chosen with "earlier"/"later" buttons, never typed.

use time::{Date, Duration, Month, PrimitiveDateTime, Time};

/// Minutes move in quarter hours: a resident rarely knows the minute, and four taps make an
/// hour.
pub const MINUTE_STEP: i64 = 15;

/// A date and time being chosen. Starts at "now" (rounded) but counts as an answer only once
/// the resident touched it, so a required date cannot be sent by accident.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DatePicker {
    /// The date and time shown.
    pub value: PrimitiveDateTime,
    /// Whether the question asks for a time of day (`catalog::asks_for_time`); without one the
    /// picker shows and sends the date only.
    pub with_time: bool,
    /// Whether the resident has chosen (touched) it.
    pub chosen: bool,
}

/// The parts shown with their own buttons.
pub const PARTS: [&str; 5] = ["day", "month", "year", "hour", "minute"];

impl DatePicker {
    /// A picker showing `now`, rounded down to the minute step (midnight for a date only).
    pub fn new(now: PrimitiveDateTime, with_time: bool) -> DatePicker {
        let minute = now.minute() as i64 / MINUTE_STEP * MINUTE_STEP;
        let value = if with_time {
            now.replace_second(0)
                .and_then(|v| v.replace_nanosecond(0))
                .and_then(|v| v.replace_minute(minute as u8))
                .unwrap_or(now)
        } else {
            now.date().midnight()
        };
        DatePicker {
            value,
            with_time,
            chosen: false,
        }
    }

    /// The parts this picker shows.
    pub fn parts(&self) -> &'static [&'static str] {
        if self.with_time { &PARTS } else { &PARTS[..3] }
    }

    /// Moves one part by `delta` steps; days and months clamp to real dates.
    pub fn adjust(&mut self, part: &str, delta: i64) {
        let v = self.value;
        self.value = match part {
            "day" => v.saturating_add(Duration::days(delta)),
            "hour" if self.with_time => v.saturating_add(Duration::hours(delta)),
            "minute" if self.with_time => v.saturating_add(Duration::minutes(delta * MINUTE_STEP)),
            "month" => {
                let months = v.year() as i64 * 12 + v.month() as i64 - 1 + delta;
                with_year_month(
                    v,
                    (months.div_euclid(12)) as i32,
                    (months.rem_euclid(12) + 1) as u8,
                )
            }
            "year" => with_year_month(v, v.year() + delta as i32, v.month() as u8),
            _ => return,
        };
        self.chosen = true;
    }

    /// Sets the date to `today` minus `days_ago`, keeping the time.
    pub fn quick(&mut self, today: Date, days_ago: i64) {
        let date = today.saturating_sub(Duration::days(days_ago));
        self.value = PrimitiveDateTime::new(date, self.value.time());
        self.chosen = true;
    }

    /// The text given to the validator: `YYYY-MM-DD HH:MM` in local time, or `YYYY-MM-DD`.
    pub fn answer_text(&self) -> String {
        let v = self.value;
        if !self.with_time {
            return format!("{:04}-{:02}-{:02}", v.year(), v.month() as u8, v.day());
        }
        format!(
            "{:04}-{:02}-{:02} {:02}:{:02}",
            v.year(),
            v.month() as u8,
            v.day(),
            v.hour(),
            v.minute()
        )
    }
}

fn with_year_month(v: PrimitiveDateTime, year: i32, month: u8) -> PrimitiveDateTime {
    let Ok(month) = Month::try_from(month) else {
        return v;
    };
    let last_day = time::util::days_in_month(month, year);
    let day = v.day().min(last_day);
    Date::from_calendar_date(year, month, day)
        .map(|d| PrimitiveDateTime::new(d, v.time()))
        .unwrap_or(v)
}

/// Whether an answer is a date only (`YYYY-MM-DD`).
pub fn is_date_only(text: &str) -> bool {
    let day = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(text, &day).is_ok()
}

/// Parses the validator's `YYYY-MM-DD HH:MM`, `YYYY-MM-DD` (or RFC 3339) back into a picker
/// value.
pub fn parse_answer(text: &str) -> Option<PrimitiveDateTime> {
    let fmt = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]");
    let day = time::macros::format_description!("[year]-[month]-[day]");
    if let Ok(d) = Date::parse(text, &day) {
        return Some(d.midnight());
    }
    PrimitiveDateTime::parse(text, &fmt).ok().or_else(|| {
        time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
            .ok()
            .map(|d| {
                PrimitiveDateTime::new(
                    d.date(),
                    Time::from_hms(d.hour(), d.minute(), 0).unwrap_or(d.time()),
                )
            })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn adjusting_parts_stays_on_real_dates() {
        let mut p = DatePicker::new(datetime!(2026-01-31 14:37:12), true);
        assert_eq!(p.value, datetime!(2026-01-31 14:30));
        assert!(!p.chosen);
        p.adjust("month", 1);
        assert_eq!(
            p.value,
            datetime!(2026-02-28 14:30),
            "31 Jan + 1 month clamps"
        );
        assert!(p.chosen);
        p.adjust("month", -3);
        assert_eq!(p.value, datetime!(2025-11-28 14:30));
        p.adjust("minute", 6);
        assert_eq!(p.value, datetime!(2025-11-28 16:00));
        p.adjust("day", 3);
        assert_eq!(p.value, datetime!(2025-12-01 16:00));
        p.adjust("year", 1);
        assert_eq!(p.answer_text(), "2026-12-01 16:00");
        assert_eq!(parse_answer(&p.answer_text()), Some(p.value));
        p.quick(time::macros::date!(2026 - 11 - 27), 1);
        assert_eq!(p.answer_text(), "2026-11-26 16:00");
    }

    #[test]
    fn a_date_only_picker_has_no_time_parts_and_sends_the_day() {
        let mut p = DatePicker::new(datetime!(2026-01-31 14:37:12), false);
        assert_eq!(p.parts(), &["day", "month", "year"]);
        assert_eq!(p.answer_text(), "2026-01-31");
        p.adjust("minute", 3);
        p.adjust("hour", 3);
        assert_eq!(p.answer_text(), "2026-01-31", "no hidden time moves");
        p.adjust("day", 1);
        assert_eq!(p.answer_text(), "2026-02-01");
        assert!(is_date_only(&p.answer_text()));
        assert_eq!(
            parse_answer("2026-02-01"),
            Some(datetime!(2026-02-01 00:00))
        );
    }
}
