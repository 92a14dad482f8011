//! Reminders to the nämnd before a deadline, alerts when a case is late, and the DPO's daily
//! digest. Each reminder and alert is sent once, and one digest a day, whichever instance makes
//! it: the notice row and the message are written in one transaction, and the notice's primary
//! key refuses a second one. Staff messages carry reference, kind, controller and dates only.

use std::collections::{HashMap, HashSet};

use chrono::{Days, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde_json::json;

use super::outbox::{self, NewMessage, Template};
use crate::auth::CaseScope;
use crate::cases::store::{list_cases, CaseCursor, CaseFilter, CaseOrder, CaseRecord};
use crate::cases::view::deadlines_of;
use crate::db::schema::{case_notices, controllers, digests};
use crate::db::{id_in, DbConnection};
use crate::domain::case::{CaseStatus, PartStatus};
use crate::error::AppResult;
use crate::services::Services;

/// Open cases per page of the reminder job and the digest.
const PAGE: i64 = 500;

/// One page of the open cases matching `filter`, earliest deadline first, after `after`; and
/// the cursor of the next page when there may be one.
fn open_cases_page(
    conn: &mut DbConnection,
    filter: &CaseFilter,
    after: Option<&CaseCursor>,
) -> AppResult<(Vec<CaseRecord>, Option<CaseCursor>)> {
    let page = list_cases(
        conn,
        filter,
        &CaseScope::All,
        CaseOrder::DeadlineFirst,
        after,
        PAGE,
    )?;
    let next = match page.last() {
        Some(last) if page.len() as i64 == PAGE => Some(CaseCursor::Deadline(
            last.case.effective_deadline,
            last.case.id.clone(),
        )),
        _ => None,
    };
    Ok((page, next))
}

/// Every open case matching `filter`, earliest deadline first.
fn open_cases(conn: &mut DbConnection, filter: &CaseFilter) -> AppResult<Vec<CaseRecord>> {
    let mut all = Vec::new();
    let mut after: Option<CaseCursor> = None;
    loop {
        let (page, next) = open_cases_page(conn, filter, after.as_ref())?;
        all.extend(page);
        match next {
            Some(cursor) => after = Some(cursor),
            None => return Ok(all),
        }
    }
}

/// The controllers' names and mailboxes, by id.
fn controller_mailboxes(
    conn: &mut DbConnection,
) -> AppResult<HashMap<String, (String, Option<String>)>> {
    Ok(controllers::table
        .select((controllers::id, controllers::name, controllers::email))
        .load::<(String, String, Option<String>)>(conn)?
        .into_iter()
        .map(|(id, name, email)| (id, (name, email)))
        .collect())
}

/// The notices already given, by case id, for the cases of `records`.
type NoticesGiven = HashMap<String, HashSet<String>>;

fn notices_given(conn: &mut DbConnection, records: &[CaseRecord]) -> AppResult<NoticesGiven> {
    let mut given = NoticesGiven::new();
    if records.is_empty() {
        return Ok(given);
    }
    let rows = case_notices::table
        .filter(id_in(
            case_notices::case_id,
            records.iter().map(|r| r.case.id.as_str()),
        ))
        .select((case_notices::case_id, case_notices::notice))
        .load::<(String, String)>(conn)?;
    for (case_id, notice) in rows {
        given.entry(case_id).or_default().insert(notice);
    }
    Ok(given)
}

/// Writes the notice and its message unless the notice was already given; `true` if queued.
fn notify_once(
    conn: &mut DbConnection,
    case_id: &str,
    notice: &str,
    message: &NewMessage,
    now: NaiveDateTime,
) -> AppResult<bool> {
    let given: i64 = case_notices::table
        .filter(case_notices::case_id.eq(case_id))
        .filter(case_notices::notice.eq(notice))
        .count()
        .get_result(conn)?;
    if given > 0 {
        return Ok(false);
    }
    diesel::insert_into(case_notices::table)
        .values((
            case_notices::case_id.eq(case_id),
            case_notices::notice.eq(notice),
            case_notices::sent_at.eq(now),
        ))
        .execute(conn)?;
    outbox::enqueue(conn, Some(case_id), message, now)?;
    Ok(true)
}

fn kind_sv(record: &CaseRecord) -> &'static str {
    record.case.kind.swedish_label()
}

/// Reminders for open parts due within `deadline.reminder_days`, and alerts for late cases.
pub async fn send_reminders_and_alerts(state: &Services) -> AppResult<usize> {
    let context = state.view_context();
    let today = context.today;
    let reminder_days = state.settings.deadline.reminder_days;
    let dpo_email = state.settings.organisation.dpo_email.clone();
    let by_adjusted_deadline = state.policy.pause_while_awaiting_identity;
    let open = CaseFilter {
        statuses: CaseStatus::OPEN.to_vec(),
        by_adjusted_deadline,
        ..Default::default()
    };
    let due_soon_filter = CaseFilter {
        due_from: Some(today),
        due_before: today.checked_add_days(Days::new(u64::from(reminder_days) + 1)),
        ..open.clone()
    };
    let overdue_filter = CaseFilter {
        overdue_on: Some(today),
        ..open
    };
    let mut queued = 0;
    let now = state.clock.now().naive_utc();
    let mailboxes = state.db.read(controller_mailboxes).await?;
    // Page by page, so that a backlog of thousands of late cases is never in memory at once.
    for (filter, late) in [(due_soon_filter, false), (overdue_filter, true)] {
        let mut after: Option<CaseCursor> = None;
        loop {
            let (page_filter, page_after) = (filter.clone(), after.take());
            // With each page, what was already sent for its cases: a case with nothing new
            // costs no write.
            let (page, next, given) = state
                .db
                .read(move |conn| {
                    let (page, next) = open_cases_page(conn, &page_filter, page_after.as_ref())?;
                    let given = notices_given(conn, &page)?;
                    Ok((page, next, given))
                })
                .await?;
            let sent = Sent {
                given: &given,
                mailboxes: &mailboxes,
                dpo_email: &dpo_email,
            };
            queued += remind_or_alert(state, page, late, today, now, sent).await?;
            match next {
                Some(cursor) => after = Some(cursor),
                None => break,
            }
        }
    }
    Ok(queued)
}

/// What a page's messages depend on besides the cases: what was already sent and where mail goes.
#[derive(Clone, Copy)]
struct Sent<'a> {
    given: &'a NoticesGiven,
    mailboxes: &'a HashMap<String, (String, Option<String>)>,
    dpo_email: &'a str,
}

/// Queues the reminders (or, for `late` cases, the alerts to the controllers and the DPO) of
/// `records` that were not sent before; returns how many.
async fn remind_or_alert(
    state: &Services,
    records: Vec<CaseRecord>,
    late: bool,
    today: NaiveDate,
    now: chrono::NaiveDateTime,
    sent: Sent<'_>,
) -> AppResult<usize> {
    let context = state.view_context();
    let mut queued = 0;
    for record in records {
        let deadlines = deadlines_of(&record, &context);
        if late && !deadlines.overdue(true, today) {
            continue;
        }
        let given = sent.given.get(&record.case.id);
        let new: Vec<(String, NewMessage)> = notices_of(
            &record,
            deadlines.governing(),
            late,
            today,
            sent.mailboxes,
            sent.dpo_email,
        )
        .into_iter()
        .filter(|(notice, _)| !given.is_some_and(|g| g.contains(notice)))
        .collect();
        if new.is_empty() {
            continue;
        }
        let case_id = record.case.id;
        queued += state
            .db
            .write(move |conn| {
                let mut queued = 0;
                for (notice, message) in &new {
                    queued += usize::from(notify_once(conn, &case_id, notice, message, now)?);
                }
                Ok(queued)
            })
            .await
            .or_else(|e| {
                if e.is_unique_violation() {
                    Ok(0)
                } else {
                    Err(e)
                }
            })?;
    }
    Ok(queued)
}

/// The notices `record` is due, each with its message: per open part a reminder before
/// `deadline` (or an alert when `late`), and for a late case one alert to the DPO.
fn notices_of(
    record: &CaseRecord,
    deadline: NaiveDate,
    late: bool,
    today: NaiveDate,
    mailboxes: &HashMap<String, (String, Option<String>)>,
    dpo_email: &str,
) -> Vec<(String, NewMessage)> {
    let kind = kind_sv(record);
    let mut notices = Vec::new();
    for part in record.parts.iter().filter(|p| p.status == PartStatus::Open) {
        let Some((name, Some(email))) = mailboxes.get(&part.controller_id) else {
            // The controller is named, never the case: a protected-identity case leaves no trace.
            tracing::warn!(controller = %part.controller_id, "controller has no mailbox configured for reminders");
            continue;
        };
        let (template, notice, params) = if late {
            (
                Template::OverdueAlert,
                format!("overdue:{}:{deadline}", part.controller_id),
                json!({ "reference": record.case.reference, "kind_sv": kind, "controller": name,
                        "deadline": deadline, "days_overdue": (today - deadline).num_days() }),
            )
        } else {
            (
                Template::DeadlineReminder,
                // Per deadline: an extension gets its own reminder.
                format!("reminder:{}:{deadline}", part.controller_id),
                json!({ "reference": record.case.reference, "kind_sv": kind, "controller": name,
                        "deadline": deadline, "days_left": (deadline - today).num_days() }),
            )
        };
        let message = NewMessage {
            template,
            recipient: email.clone(),
            params,
        };
        notices.push((notice, message));
    }
    if late {
        let controllers: Vec<&str> = record
            .parts
            .iter()
            .map(|p| p.controller_id.as_str())
            .collect();
        let message = NewMessage {
            template: Template::OverdueAlert,
            recipient: dpo_email.to_owned(),
            params: json!({ "reference": record.case.reference, "kind_sv": kind,
                            "controller": controllers.join(", "), "deadline": deadline,
                            "days_overdue": (today - deadline).num_days() }),
        };
        notices.push((format!("overdue:dpo:{deadline}"), message));
    }
    notices
}

/// The DPO's digest for `day`, once: overdue, due this week, extended, failed deliveries.
pub async fn send_daily_digest(state: &Services, day: NaiveDate) -> AppResult<bool> {
    let context = state.view_context();
    let by_adjusted_deadline = state.policy.pause_while_awaiting_identity;
    let open = CaseFilter {
        statuses: CaseStatus::OPEN.to_vec(),
        by_adjusted_deadline,
        ..Default::default()
    };
    let filters = [
        CaseFilter {
            overdue_on: Some(day),
            ..open.clone()
        },
        CaseFilter {
            due_from: Some(day),
            due_before: day.checked_add_days(Days::new(8)),
            ..open.clone()
        },
        CaseFilter {
            extended: Some(true),
            ..open
        },
    ];
    let (lists, failed) = state
        .db
        .read(move |conn| {
            let lists = filters
                .iter()
                .map(|f| open_cases(conn, f))
                .collect::<AppResult<Vec<_>>>()?;
            Ok((lists, outbox::count_failed(conn)?))
        })
        .await?;
    let summarise = |records: &Vec<CaseRecord>| -> AppResult<Vec<serde_json::Value>> {
        records
            .iter()
            .map(|r| {
                Ok(json!({
                    "reference": r.case.reference,
                    "kind_sv": kind_sv(r),
                    "controllers": r.parts.iter().map(|p| p.controller_id.as_str()).collect::<Vec<_>>().join(", "),
                    "deadline": deadlines_of(r, &context).governing(),
                }))
            })
            .collect()
    };
    let params = json!({
        "day": day,
        "overdue": summarise(&lists[0])?,
        "due_this_week": summarise(&lists[1])?,
        "extended": summarise(&lists[2])?,
        "failed_deliveries": failed,
    });
    let message = NewMessage {
        template: Template::DpoDigest,
        recipient: state.settings.organisation.dpo_email.clone(),
        params,
    };
    let now = state.clock.now().naive_utc();
    state
        .db
        .write(move |conn| {
            let done: i64 = digests::table
                .filter(digests::day.eq(day))
                .count()
                .get_result(conn)?;
            if done > 0 {
                return Ok(false);
            }
            diesel::insert_into(digests::table)
                .values((digests::day.eq(day), digests::created_at.eq(now)))
                .execute(conn)?;
            outbox::enqueue(conn, None, &message, now)?;
            Ok(true)
        })
        .await
        .or_else(|e| {
            if e.is_unique_violation() {
                Ok(false)
            } else {
                Err(e)
            }
        })
}
