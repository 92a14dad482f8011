//! Waiting for identity information (GDPR Art. 12(6)). The legal deadline stays counted from
//! receipt; with the policy `deadline.pause_while_awaiting_identity` an adjusted deadline adds
//! the days spent waiting, moved to a working day like any deadline.

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::calendar::SwedishCalendar;
use super::deadline::{first_working_day, SkippedDay};

/// One period of waiting: from the day information was asked for to the day it arrived
/// (`None` while still waiting).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct IdentityWait {
    pub from: NaiveDate,
    pub to: Option<NaiveDate>,
}

impl IdentityWait {
    /// Calendar days waited, counting an open period up to `today`.
    pub fn days(&self, today: NaiveDate) -> u64 {
        let end = self.to.unwrap_or(today);
        (end - self.from).num_days().max(0) as u64
    }
}

pub fn waiting_days(waits: &[IdentityWait], today: NaiveDate) -> u64 {
    waits.iter().map(|w| w.days(today)).sum()
}

pub fn is_waiting(waits: &[IdentityWait]) -> bool {
    waits.last().is_some_and(|w| w.to.is_none())
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Adjustment {
    pub deadline_in_force: NaiveDate,
    pub waiting_days: u64,
    /// `deadline_in_force` plus the days waited.
    pub raw_date: NaiveDate,
    pub skipped: Vec<SkippedDay>,
    pub adjusted: NaiveDate,
}

/// The deadline in force moved by the days spent waiting; unchanged when nothing was waited.
pub fn adjust(
    deadline_in_force: NaiveDate,
    waiting_days: u64,
    calendar: &SwedishCalendar,
) -> Adjustment {
    if waiting_days == 0 {
        return Adjustment {
            deadline_in_force,
            waiting_days,
            raw_date: deadline_in_force,
            skipped: Vec::new(),
            adjusted: deadline_in_force,
        };
    }
    let raw_date = deadline_in_force
        .checked_add_days(Days::new(waiting_days))
        .expect("date within range");
    let (adjusted, skipped) = first_working_day(raw_date, calendar);
    Adjustment {
        deadline_in_force,
        waiting_days,
        raw_date,
        skipped,
        adjusted,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn waiting_days_count_closed_and_open_periods() {
        let waits = [
            IdentityWait {
                from: d("2026-03-10"),
                to: Some(d("2026-03-15")),
            },
            IdentityWait {
                from: d("2026-03-20"),
                to: None,
            },
        ];
        assert_eq!(waiting_days(&waits, d("2026-03-22")), 5 + 2);
        assert!(is_waiting(&waits));
        assert!(!is_waiting(&waits[..1]));
    }

    #[test]
    fn adjusted_deadline_moves_to_a_working_day() {
        let cal = SwedishCalendar::default();
        // 2026-04-07 + 3 days = 2026-04-10 (Friday): a working day.
        assert_eq!(adjust(d("2026-04-07"), 3, &cal).adjusted, d("2026-04-10"));
        // + 4 days = Saturday 2026-04-11 -> Monday 2026-04-13.
        let a = adjust(d("2026-04-07"), 4, &cal);
        assert_eq!(a.raw_date, d("2026-04-11"));
        assert_eq!(a.adjusted, d("2026-04-13"));
        assert_eq!(a.skipped.len(), 2);
        // Nothing waited: unchanged.
        assert_eq!(adjust(d("2026-04-07"), 0, &cal).adjusted, d("2026-04-07"));
    }
}
