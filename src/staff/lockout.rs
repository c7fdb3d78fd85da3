//! The PIN pad's lockout policy: every fifth wrong PIN in a row locks entry, for 30 s the first
//! time and twice as long each time after, up to an hour. A right PIN clears it all. The state
//! is a row of the database (`queue::LockoutRow`), so pulling the plug does not reset it.

use time::{Duration, OffsetDateTime};

use crate::queue::LockoutRow;

/// How many wrong PINs, and how long a lock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LockoutPolicy {
    /// Wrong PINs in a row that earn a lock.
    pub failures_per_lock: u32,
    /// The first lock's length.
    pub first_lock: Duration,
    /// The longest lock.
    pub max_lock: Duration,
}

impl Default for LockoutPolicy {
    fn default() -> Self {
        LockoutPolicy {
            failures_per_lock: 5,
            first_lock: Duration::seconds(30),
            max_lock: Duration::hours(1),
        }
    }
}

impl LockoutPolicy {
    /// The length of the `n`th lock (1-based): doubling, capped.
    pub fn lock_length(&self, n: u32) -> Duration {
        let doublings = n.saturating_sub(1).min(20);
        let seconds = self
            .first_lock
            .whole_seconds()
            .saturating_mul(1i64 << doublings);
        Duration::seconds(seconds).min(self.max_lock)
    }

    /// When the lock in `row` ends, if it is still in force at `now`.
    pub fn locked_until(&self, row: &LockoutRow, now: OffsetDateTime) -> Option<OffsetDateTime> {
        let until = row.locked_until.as_deref().and_then(|t| {
            OffsetDateTime::parse(t, &time::format_description::well_known::Rfc3339).ok()
        })?;
        // A lock never lasts longer than the policy allows, even if the clock was set back.
        let until = until.min(now + self.max_lock);
        (until > now).then_some(until)
    }

    /// The state after one more wrong PIN at `now`.
    pub fn after_failure(&self, row: &LockoutRow, now: OffsetDateTime) -> LockoutRow {
        let failures = row.failures.saturating_add(1);
        let mut next = LockoutRow {
            failures,
            locks: row.locks,
            locked_until: row.locked_until.clone(),
        };
        if failures.is_multiple_of(self.failures_per_lock.max(1)) {
            next.locks = row.locks.saturating_add(1);
            next.locked_until = Some(crate::clock::rfc3339(now + self.lock_length(next.locks)));
        }
        next
    }

    /// Wrong PINs left before the next lock.
    pub fn attempts_left(&self, row: &LockoutRow) -> u32 {
        let per = self.failures_per_lock.max(1);
        per - row.failures % per
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_fifth_wrong_pin_locks_for_longer_up_to_an_hour() {
        let p = LockoutPolicy::default();
        assert_eq!(p.lock_length(1), Duration::seconds(30));
        assert_eq!(p.lock_length(2), Duration::seconds(60));
        assert_eq!(p.lock_length(8), Duration::hours(1));
        assert_eq!(p.lock_length(500), Duration::hours(1));
        let now = OffsetDateTime::from_unix_timestamp(1_800_000_000).unwrap();
        let mut row = LockoutRow::default();
        for i in 1..5 {
            row = p.after_failure(&row, now);
            assert_eq!(p.locked_until(&row, now), None, "{i}");
            assert_eq!(p.attempts_left(&row), 5 - i);
        }
        row = p.after_failure(&row, now);
        assert_eq!(p.locked_until(&row, now), Some(now + Duration::seconds(30)));
        let later = now + Duration::seconds(31);
        assert_eq!(p.locked_until(&row, later), None);
        for _ in 0..5 {
            row = p.after_failure(&row, later);
        }
        assert_eq!(row.locks, 2);
        assert_eq!(
            p.locked_until(&row, later),
            Some(later + Duration::seconds(60))
        );
    }
}
