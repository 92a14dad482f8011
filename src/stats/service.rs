//! The DPO's statistics, from the running counts kept with every change and a few counts of
//! open cases.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;

use super::{counts, store};
use crate::auth::{Action, AuthUser, CaseScope};
use crate::cases::store::{count_cases, CaseFilter};
use crate::domain::case::{CaseStatus, PartStatus};
use crate::error::AppResult;
use crate::services::Services;

#[derive(Debug, Serialize, ToSchema)]
pub struct ControllerCounts {
    pub controller: String,
    pub open: i64,
    pub decided: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MonthCount {
    /// `YYYY-MM`
    pub month: String,
    pub received: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Timeliness {
    /// Cases decided in the window.
    pub decided: i64,
    pub decided_on_time: i64,
    /// Share decided by the legal deadline in force (0..1); null when none was decided.
    pub on_time_share: Option<f64>,
    /// Median whole days from receipt to decision; null when none was decided.
    pub median_days_to_decision: Option<f64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Stats {
    /// The day the counts are for (Stockholm).
    pub as_of: NaiveDate,
    pub by_status: BTreeMap<String, i64>,
    pub by_kind: BTreeMap<String, i64>,
    pub by_controller: Vec<ControllerCounts>,
    pub open: i64,
    /// Open and past the deadline (the adjusted one when the pause policy is on).
    pub overdue: i64,
    /// Open and due today or within the next 7 days.
    pub due_within_7_days: i64,
    /// Open cases whose deadline was extended.
    pub extended: i64,
    /// Cases decided in the last twelve calendar months (from `window_start`).
    pub last_12_months: Timeliness,
    pub window_start: NaiveDate,
    /// Received per month over the last twelve months, oldest first, months without cases included.
    pub received_per_month: Vec<MonthCount>,
    /// Messages the outbox gave up on after every attempt (see `GET /api/v1/outbox?status=failed`).
    pub failed_notifications: i64,
}

/// The statistics as of today.
pub async fn stats(services: &Services, user: &AuthUser) -> AppResult<Stats> {
    user.require(Action::ReadStats)?;
    let today = services.clock.today();
    let open_filter = CaseFilter {
        statuses: CaseStatus::OPEN.to_vec(),
        by_adjusted_deadline: services.policy.pause_while_awaiting_identity,
        ..Default::default()
    };
    let (mut counts, overdue, due_within_7_days, extended, failed_notifications) = services
        .db
        .read(move |conn| {
            let all = CaseScope::All;
            let overdue = count_cases(
                conn,
                &CaseFilter {
                    overdue_on: Some(today),
                    ..open_filter.clone()
                },
                &all,
            )?;
            let due_within_7_days = count_cases(
                conn,
                &CaseFilter {
                    due_from: Some(today),
                    due_before: today.checked_add_days(chrono::Days::new(8)),
                    ..open_filter.clone()
                },
                &all,
            )?;
            let extended = count_cases(
                conn,
                &CaseFilter {
                    extended: Some(true),
                    ..open_filter.clone()
                },
                &all,
            )?;
            Ok((
                counts::load(conn)?,
                overdue,
                due_within_7_days,
                extended,
                crate::notify::outbox::count_failed(conn)?,
            ))
        })
        .await?;
    let mut take = |dimension: &str| counts.remove(dimension).unwrap_or_default();
    let by_status: BTreeMap<String, i64> = take(counts::STATUS).into_iter().collect();
    let by_kind: BTreeMap<String, i64> = take(counts::KIND).into_iter().collect();

    let mut by_controller: BTreeMap<String, ControllerCounts> = BTreeMap::new();
    for (key, n) in take(counts::PART) {
        let Some((controller, status)) = key.rsplit_once('|') else {
            continue;
        };
        let entry = by_controller
            .entry(controller.to_owned())
            .or_insert(ControllerCounts {
                controller: controller.to_owned(),
                open: 0,
                decided: 0,
            });
        match PartStatus::parse(status) {
            Some(PartStatus::Decided) => entry.decided += n,
            Some(PartStatus::Open) => entry.open += n,
            _ => {}
        }
    }

    let window_start = store::first_of_window(today);
    let first_month = window_start.format("%Y-%m").to_string();
    let mut histogram: BTreeMap<i32, i64> = BTreeMap::new();
    let (mut decided, mut decided_on_time) = (0, 0);
    for (key, n) in take(counts::DECIDED) {
        let mut fields = key.split('|');
        let (Some(month), Some(days), Some(on_time)) =
            (fields.next(), fields.next(), fields.next())
        else {
            continue;
        };
        if month < first_month.as_str() {
            continue;
        }
        decided += n;
        if on_time == "1" {
            decided_on_time += n;
        }
        if let Ok(days) = days.parse() {
            *histogram.entry(days).or_default() += n;
        }
    }

    let mut received: BTreeMap<String, i64> = take(counts::RECEIVED_MONTH).into_iter().collect();
    let mut received_per_month = Vec::new();
    let mut month = window_start;
    while month <= today {
        let key = month.format("%Y-%m").to_string();
        received_per_month.push(MonthCount {
            received: received.remove(&key).unwrap_or(0),
            month: key,
        });
        month = month
            .checked_add_months(chrono::Months::new(1))
            .expect("date in range");
    }

    let open = CaseStatus::OPEN
        .iter()
        .map(|s| by_status.get(s.as_str()).copied().unwrap_or(0))
        .sum();
    Ok(Stats {
        as_of: today,
        by_status,
        by_kind,
        by_controller: by_controller.into_values().collect(),
        open,
        overdue,
        due_within_7_days,
        extended,
        last_12_months: Timeliness {
            decided,
            decided_on_time,
            on_time_share: (decided > 0).then(|| decided_on_time as f64 / decided as f64),
            median_days_to_decision: store::median(&histogram.into_iter().collect::<Vec<_>>()),
        },
        window_start,
        received_per_month,
        failed_notifications,
    })
}
