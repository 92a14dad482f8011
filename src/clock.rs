//! Time is injected: the service asks a [`Clock`] for "now", so tests can set the date and domain
//! rules never read the system time themselves.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Europe::Stockholm;

pub trait Clock: Send + Sync + 'static {
    fn now(&self) -> DateTime<Utc>;

    /// Today in the municipality's calendar (Europe/Stockholm).
    fn today(&self) -> NaiveDate {
        local_date(self.now())
    }
}

/// The calendar date in Europe/Stockholm of an instant: a request received at 00:30 local time on
/// the 5th is received on the 5th, whatever the UTC date.
pub fn local_date(instant: DateTime<Utc>) -> NaiveDate {
    instant.with_timezone(&Stockholm).date_naive()
}

#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that stands still until it is moved; for tests and for the CLI's `--as-of`.
#[derive(Debug, Clone)]
pub struct FixedClock(Arc<Mutex<DateTime<Utc>>>);

impl FixedClock {
    pub fn new(now: DateTime<Utc>) -> Self {
        Self(Arc::new(Mutex::new(now)))
    }

    pub fn set(&self, now: DateTime<Utc>) {
        *self.0.lock().expect("clock lock") = now;
    }

    pub fn advance(&self, by: chrono::Duration) {
        let mut now = self.0.lock().expect("clock lock");
        *now += by;
    }
}

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().expect("clock lock")
    }
}

pub type SharedClock = Arc<dyn Clock>;

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn local_date_follows_stockholm_not_utc() {
        // 2026-03-04 23:30 UTC is 00:30 on the 5th in Stockholm (CET, UTC+1).
        let instant = Utc.with_ymd_and_hms(2026, 3, 4, 23, 30, 0).unwrap();
        assert_eq!(
            local_date(instant),
            NaiveDate::from_ymd_opt(2026, 3, 5).unwrap()
        );
        // In summer time (CEST, UTC+2) 22:30 UTC is already the next day.
        let summer = Utc.with_ymd_and_hms(2026, 7, 4, 22, 30, 0).unwrap();
        assert_eq!(
            local_date(summer),
            NaiveDate::from_ymd_opt(2026, 7, 5).unwrap()
        );
        let before = Utc.with_ymd_and_hms(2026, 7, 4, 21, 59, 0).unwrap();
        assert_eq!(
            local_date(before),
            NaiveDate::from_ymd_opt(2026, 7, 4).unwrap()
        );
    }
}
