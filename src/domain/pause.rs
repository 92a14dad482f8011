//! Waiting for identity information (GDPR Art. 12(6)). The legal deadline stays counted from
//! receipt; with the policy `deadline.pause_while_awaiting_identity` an adjusted deadline adds
//! the days spent waiting to the deadline's *raw* date (before it was moved off a holiday) and
//! then moves the result to a working day like any deadline (domain.md §4: raw Saturday + 3
//! days waited is Tuesday, not Thursday).

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::calendar::SwedishCalendar;
use super::deadline::{self, first_working_day, SkippedDay, EXTENDED_MONTHS, ORDINARY_MONTHS};

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

/// The deadline in force: its raw date (one or three months from receipt) and the working day
/// it was moved to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeadlineInForce {
    pub raw: NaiveDate,
    pub due: NaiveDate,
}

impl DeadlineInForce {
    /// The stored deadline in force `due` with its raw date, recomputed from receipt.
    pub fn with_raw(received: NaiveDate, extended: bool, due: NaiveDate) -> Self {
        let months = if extended {
            EXTENDED_MONTHS
        } else {
            ORDINARY_MONTHS
        };
        DeadlineInForce {
            raw: deadline::add_months(received, months),
            due,
        }
    }

    /// The ordinary deadline, or the extended one once the deadline was extended.
    pub fn of(received: NaiveDate, extended: bool, calendar: &SwedishCalendar) -> Self {
        let months = if extended {
            EXTENDED_MONTHS
        } else {
            ORDINARY_MONTHS
        };
        let computed = deadline::compute(received, months, calendar);
        DeadlineInForce {
            raw: computed.raw_date,
            due: computed.due,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Adjustment {
    pub deadline_in_force: NaiveDate,
    /// The raw date of the deadline in force, before it was moved to a working day: the days
    /// waited are added to this date.
    pub deadline_raw_date: NaiveDate,
    pub waiting_days: u64,
    /// `deadline_raw_date` plus the days waited.
    pub raw_date: NaiveDate,
    pub skipped: Vec<SkippedDay>,
    pub adjusted: NaiveDate,
}

/// The deadline in force moved by the days spent waiting, counted from its raw date; unchanged
/// when nothing was waited.
pub fn adjust(
    in_force: DeadlineInForce,
    waiting_days: u64,
    calendar: &SwedishCalendar,
) -> Adjustment {
    if waiting_days == 0 {
        return Adjustment {
            deadline_in_force: in_force.due,
            deadline_raw_date: in_force.raw,
            waiting_days,
            raw_date: in_force.due,
            skipped: Vec::new(),
            adjusted: in_force.due,
        };
    }
    let raw_date = in_force
        .raw
        .checked_add_days(Days::new(waiting_days))
        .expect("date within range");
    let (adjusted, skipped) = first_working_day(raw_date, calendar);
    Adjustment {
        deadline_in_force: in_force.due,
        deadline_raw_date: in_force.raw,
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

    fn in_force(raw: &str, due: &str) -> DeadlineInForce {
        DeadlineInForce {
            raw: d(raw),
            due: d(due),
        }
    }

    #[test]
    fn adjusted_deadline_moves_to_a_working_day() {
        let cal = SwedishCalendar::default();
        // Received 2026-03-09: raw and due 2026-04-09 (Thursday). + 1 day = Friday.
        let plain = DeadlineInForce::of(d("2026-03-09"), false, &cal);
        assert_eq!(plain, in_force("2026-04-09", "2026-04-09"));
        assert_eq!(adjust(plain, 1, &cal).adjusted, d("2026-04-10"));
        // + 2 days = Saturday 2026-04-11 -> Monday 2026-04-13.
        let a = adjust(plain, 2, &cal);
        assert_eq!(a.raw_date, d("2026-04-11"));
        assert_eq!(a.adjusted, d("2026-04-13"));
        assert_eq!(a.skipped.len(), 2);
        // Nothing waited: unchanged.
        assert_eq!(adjust(plain, 0, &cal).adjusted, d("2026-04-09"));
    }

    /// domain.md §4: "raw Saturday + 3 days waited -> Tuesday, not Thursday".
    #[test]
    fn the_days_waited_are_added_to_the_raw_date_not_to_the_moved_one() {
        let cal = SwedishCalendar::default();
        // Received 2025-03-05: raw 2025-04-05 (Saturday), due Monday 2025-04-07.
        let saturday = DeadlineInForce::of(d("2025-03-05"), false, &cal);
        assert_eq!(saturday, in_force("2025-04-05", "2025-04-07"));
        let a = adjust(saturday, 3, &cal);
        assert_eq!(a.raw_date, d("2025-04-08"));
        assert_eq!(a.adjusted, d("2025-04-08"), "Tuesday");
        // Received 2026-03-03: raw 2026-04-03 (Långfredagen), due 2026-04-07 after Easter.
        // Two days waited reach Easter Sunday and so Tuesday, not Thursday 2026-04-09.
        let easter = DeadlineInForce::of(d("2026-03-03"), false, &cal);
        assert_eq!(easter, in_force("2026-04-03", "2026-04-07"));
        assert_eq!(adjust(easter, 2, &cal).adjusted, d("2026-04-07"));
        assert_eq!(adjust(easter, 5, &cal).adjusted, d("2026-04-08"));
        // The extended deadline counts from its own raw date: received 2025-01-31, three
        // months raw 2025-04-30 (Wednesday); 3 days waited -> Saturday 3 May -> Monday 5 May.
        let extended = DeadlineInForce::of(d("2025-01-31"), true, &cal);
        assert_eq!(extended, in_force("2025-04-30", "2025-04-30"));
        assert_eq!(adjust(extended, 3, &cal).adjusted, d("2025-05-05"));
    }
}
