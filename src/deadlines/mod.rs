//! The deadline calculator: what a request received on a given day is due, with every step
//! explained. Used by `GET /api/v1/deadline` and `dsar deadline DATE`.

pub mod http;

use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::calendar::SwedishCalendar;
use crate::domain::deadline::{compute, Step, EXTENDED_MONTHS, ORDINARY_MONTHS};

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DeadlineExplanation {
    pub received: NaiveDate,
    /// One month from receipt, moved to the next working day.
    pub deadline: NaiveDate,
    /// Three months from receipt (if extended), moved to the next working day.
    pub extended_deadline: NaiveDate,
    /// Whether midsommarafton, julafton and nyårsafton counted as holidays (policy setting).
    pub eves_are_holidays: bool,
    /// How `deadline` was reached, in Swedish and as data.
    pub steps: Vec<Step>,
    /// How `extended_deadline` was reached.
    pub extended_steps: Vec<Step>,
}

pub fn explain(received: NaiveDate, calendar: &SwedishCalendar) -> DeadlineExplanation {
    let ordinary = compute(received, ORDINARY_MONTHS, calendar);
    let extended = compute(received, EXTENDED_MONTHS, calendar);
    DeadlineExplanation {
        received,
        deadline: ordinary.due,
        extended_deadline: extended.due,
        eves_are_holidays: calendar.eves_are_holidays,
        steps: ordinary.steps(),
        extended_steps: extended.steps(),
    }
}

impl DeadlineExplanation {
    /// The explanation as plain Swedish text, for the command line.
    pub fn to_text(&self) -> String {
        let mut text = format!(
            "Mottagen: {}\nSista dag för svar: {}\nSista dag vid förlängning: {}\n\nSå räknades fristen:\n",
            self.received, self.deadline, self.extended_deadline
        );
        for step in &self.steps {
            text.push_str(&format!("  - {}\n", step.text_sv));
        }
        text.push_str("\nVid förlängning med ytterligare två månader:\n");
        for step in &self.extended_steps {
            text.push_str(&format!("  - {}\n", step.text_sv));
        }
        text
    }
}

/// The deadline rules a case is judged by: the calendar and the pause policy.
#[derive(Debug, Clone, Copy, Default)]
pub struct DeadlinePolicy {
    pub calendar: SwedishCalendar,
    /// `deadline.pause_while_awaiting_identity`: show (and alert by) a deadline that adds the
    /// days spent waiting for identity information.
    pub pause_while_awaiting_identity: bool,
}

/// A case's deadlines on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CaseDeadlines {
    /// The legal deadline in force: the extended one if extended, else the ordinary one.
    pub legal: NaiveDate,
    /// With the pause policy on: the raw date of `legal` plus the days spent waiting for
    /// identity information, moved to a working day.
    pub adjusted: Option<NaiveDate>,
    /// Waiting for identity information right now.
    pub waiting: bool,
}

impl CaseDeadlines {
    pub fn of(
        deadline_in_force: crate::domain::pause::DeadlineInForce,
        waits: &[crate::domain::pause::IdentityWait],
        today: NaiveDate,
        policy: &DeadlinePolicy,
    ) -> Self {
        use crate::domain::pause;
        CaseDeadlines {
            legal: deadline_in_force.due,
            adjusted: policy.pause_while_awaiting_identity.then(|| {
                pause::adjust(
                    deadline_in_force,
                    pause::waiting_days(waits, today),
                    &policy.calendar,
                )
                .adjusted
            }),
            waiting: pause::is_waiting(waits),
        }
    }

    /// The date alerts and the overdue lists go by: the adjusted one when the policy is on.
    pub fn governing(&self) -> NaiveDate {
        self.adjusted.unwrap_or(self.legal)
    }

    /// Open and past the governing deadline; with the pause policy on, never while waiting.
    pub fn overdue(&self, open: bool, today: NaiveDate) -> bool {
        open && today > self.governing() && !(self.adjusted.is_some() && self.waiting)
    }
}
