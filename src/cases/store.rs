//! Queries of the case capability. No HTTP here.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::intake::NewCase;
use crate::auth::CaseScope;
use crate::db::schema::{
    case_events, case_parts, cases, controllers, decisions, idempotency_keys, outbox,
};
use crate::db::{assign_reference, DbConnection};
use crate::domain::case::{CaseKind, CaseStatus, IdentityStatus, PartStatus};
use crate::error::{AppError, AppResult, FieldError};
use crate::notify::outbox::{self as outbox_queue, NewMessage, Template};

type Backend = <DbConnection as Connection>::Backend;

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = cases, treat_none_as_null = true)]
pub struct CaseRow {
    pub id: String,
    pub reference: String,
    pub kind: String,
    pub channel: String,
    pub status: String,
    pub received_at: NaiveDateTime,
    pub received_date: NaiveDate,
    pub deadline: NaiveDate,
    pub extended_deadline: Option<NaiveDate>,
    pub effective_deadline: NaiveDate,
    pub subject_personnummer: String,
    pub subject: String,
    pub representative_personnummer: Option<String>,
    pub representative: Option<String>,
    pub identity_status: String,
    pub identity_method: Option<String>,
    pub identity_assurance: Option<String>,
    pub identity_verified_at: Option<NaiveDateTime>,
    pub identity_verified_by: Option<String>,
    pub subject_categories: String,
    pub description: Option<String>,
    pub created_by: String,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub representative_verified_at: Option<NaiveDateTime>,
    pub representative_verified_by: Option<String>,
    pub representative_identity_method: Option<String>,
    /// JSON list of `IdentityWait`.
    pub identity_waits: String,
    pub extension_reason: Option<String>,
    pub extended_at: Option<NaiveDateTime>,
    pub extended_by: Option<String>,
    pub extension_notice_id: Option<String>,
    pub decided_at: Option<NaiveDateTime>,
    pub decided_on_time: Option<bool>,
    pub delivery_method: Option<String>,
    pub delivered_at: Option<NaiveDateTime>,
    pub closed_at: Option<NaiveDateTime>,
    pub withdrawn_at: Option<NaiveDateTime>,
    pub adjusted_deadline: NaiveDate,
    pub days_to_decision: Option<i32>,
    pub received_month: String,
    pub reduced_at: Option<NaiveDateTime>,
    pub details_purged_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = case_parts, treat_none_as_null = true)]
pub struct PartRow {
    pub case_id: String,
    pub controller_id: String,
    pub status: String,
    pub handler: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = case_events)]
pub struct EventRow {
    pub id: i64,
    pub case_id: String,
    pub at: NaiveDateTime,
    pub actor: String,
    pub roles: String,
    pub event: String,
    pub data: String,
}

#[derive(Insertable)]
#[diesel(table_name = case_events)]
pub struct NewEvent<'a> {
    pub case_id: &'a str,
    pub at: NaiveDateTime,
    pub actor: &'a str,
    pub roles: &'a str,
    pub event: &'a str,
    pub data: String,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = decisions)]
pub struct DecisionRow {
    pub case_id: String,
    pub controller_id: String,
    pub outcome: String,
    pub reasons: Option<String>,
    /// JSON list of the recipients told under Art. 19.
    pub recipients_notified: String,
    pub recipients_not_notified_reason: Option<String>,
    pub text_sv: String,
    pub decided_at: NaiveDateTime,
    pub decided_by: String,
}

/// A case with its parts and decisions: what the case views are built from.
#[derive(Debug, Clone)]
pub struct CaseRecord {
    pub case: CaseRow,
    pub parts: Vec<PartRow>,
    pub decisions: Vec<DecisionRow>,
    /// When the extension notice was delivered (from the outbox).
    pub extension_notice_sent_at: Option<NaiveDateTime>,
}

impl CaseRecord {
    pub fn controller_ids(&self) -> Vec<String> {
        self.parts.iter().map(|p| p.controller_id.clone()).collect()
    }
}

/// Who is creating the case, for the rows that record it.
pub struct Creator<'a> {
    pub sub: &'a str,
    pub roles: &'a str,
    /// The municipality's name, for the receipt.
    pub organisation: &'a str,
    /// For the audit row of the creation.
    pub request_id: Option<String>,
}

#[derive(Debug, Clone)]
pub struct IdempotencyKey {
    pub key: String,
    pub request_hash: String,
}

pub enum CreateOutcome {
    Created(Box<CaseRecord>),
    /// The same key and body were seen before: the case that request created.
    Replayed(String),
}

/// Creates the case, its parts, its first journal event and the idempotency record in the
/// caller's transaction. The reference number is taken last, to hold the counter briefly.
pub fn create_case(
    conn: &mut DbConnection,
    new: &NewCase,
    id: String,
    creator: Creator<'_>,
    now: NaiveDateTime,
    registration_year: i32,
    idempotency: Option<IdempotencyKey>,
) -> AppResult<CreateOutcome> {
    if let Some(idempotency) = &idempotency {
        let seen: Option<(String, String)> = idempotency_keys::table
            .filter(idempotency_keys::actor.eq(creator.sub))
            .filter(idempotency_keys::key.eq(&idempotency.key))
            .select((idempotency_keys::request_hash, idempotency_keys::case_id))
            .first(conn)
            .optional()?;
        if let Some((hash, case_id)) = seen {
            return if hash == idempotency.request_hash {
                Ok(CreateOutcome::Replayed(case_id))
            } else {
                Err(AppError::validation(
                    "Idempotency-Key",
                    "idempotency_key_reused",
                    "This Idempotency-Key was used before with a different body.",
                ))
            };
        }
    }
    ensure_controllers_exist(conn, new)?;

    let row = CaseRow {
        id: id.clone(),
        // Replaced below once the number is taken; unique placeholder until then.
        reference: format!("pending-{id}"),
        kind: new.kind.as_str().to_owned(),
        channel: new.channel.as_str().to_owned(),
        status: CaseStatus::Received.as_str().to_owned(),
        received_at: new.received_at.naive_utc(),
        received_date: new.received_date,
        deadline: new.deadline,
        extended_deadline: None,
        effective_deadline: new.deadline,
        subject_personnummer: new.subject_personnummer.normalized(),
        subject: serde_json::to_string(&new.subject).map_err(AppError::internal)?,
        representative_personnummer: new.representative.as_ref().map(|r| r.personnummer.clone()),
        representative: new
            .representative
            .as_ref()
            .map(serde_json::to_string)
            .transpose()
            .map_err(AppError::internal)?,
        identity_status: match new.identity {
            Some(_) => IdentityStatus::Verified,
            None => IdentityStatus::Unverified,
        }
        .as_str()
        .to_owned(),
        identity_method: new.identity.as_ref().map(|i| i.method.as_str().to_owned()),
        identity_assurance: new.identity.as_ref().and_then(|i| i.assurance.clone()),
        identity_verified_at: new.identity.as_ref().map(|i| i.verified_at.naive_utc()),
        identity_verified_by: new.identity.as_ref().map(|i| i.verified_by.clone()),
        subject_categories: serde_json::to_string(&new.subject_categories)
            .map_err(AppError::internal)?,
        description: new.description.clone(),
        created_by: creator.sub.to_owned(),
        version: 1,
        created_at: now,
        updated_at: now,
        representative_verified_at: None,
        representative_verified_by: None,
        representative_identity_method: None,
        identity_waits: "[]".to_owned(),
        extension_reason: None,
        extended_at: None,
        extended_by: None,
        extension_notice_id: None,
        decided_at: None,
        decided_on_time: None,
        delivery_method: None,
        delivered_at: None,
        closed_at: None,
        withdrawn_at: None,
        adjusted_deadline: new.deadline,
        days_to_decision: None,
        received_month: new.received_date.format("%Y-%m").to_string(),
        reduced_at: None,
        details_purged_at: None,
    };
    diesel::insert_into(cases::table)
        .values(&row)
        .execute(conn)?;

    let parts: Vec<PartRow> = new
        .controllers
        .iter()
        .map(|controller| PartRow {
            case_id: id.clone(),
            controller_id: controller.as_str().to_owned(),
            status: PartStatus::Open.as_str().to_owned(),
            handler: None,
            created_at: now,
            updated_at: now,
        })
        .collect();
    for part in &parts {
        diesel::insert_into(case_parts::table)
            .values(part)
            .execute(conn)?;
    }
    if let Some(idempotency) = idempotency {
        diesel::insert_into(idempotency_keys::table)
            .values((
                idempotency_keys::actor.eq(creator.sub),
                idempotency_keys::key.eq(idempotency.key),
                idempotency_keys::request_hash.eq(idempotency.request_hash),
                idempotency_keys::case_id.eq(&id),
                idempotency_keys::created_at.eq(now),
            ))
            .execute(conn)?;
    }

    crate::stats::counts::record_change(
        conn,
        &[],
        &crate::stats::counts::contributions(&row, &parts),
    )?;

    let receipt_to = match &new.representative {
        Some(rep) => rep.email.as_ref().map(|email| (email, &rep.name)),
        None => new
            .subject
            .email
            .as_ref()
            .map(|email| (email, &new.subject.name)),
    };

    crate::audit::store::append(
        conn,
        &[crate::audit::AuditEntry {
            at: now,
            actor: creator.sub.to_owned(),
            roles: creator.roles.to_owned(),
            action: "case.create".to_owned(),
            case_id: Some(id.clone()),
            request_id: creator.request_id.clone(),
        }],
    )?;

    // Late, so the counter row stays locked only for the few statements before the commit.
    let reference = assign_reference(conn, &id, registration_year)?;
    let row = CaseRow {
        reference: reference.clone(),
        ..row
    };

    let event_data = serde_json::json!({
        "reference": reference,
        "kind": new.kind,
        "channel": new.channel,
        "received_date": new.received_date,
        "deadline": new.deadline,
        "controllers": new.controllers.iter().map(|c| c.as_str()).collect::<Vec<_>>(),
        "identity_verified": new.identity.is_some(),
        "receipt": if receipt_to.is_some() { "email" } else { "letter" },
    });
    diesel::insert_into(case_events::table)
        .values(NewEvent {
            case_id: &id,
            at: now,
            actor: creator.sub,
            roles: creator.roles,
            event: "received",
            data: event_data.to_string(),
        })
        .execute(conn)?;

    if let Some((email, name)) = receipt_to {
        let receipt = NewMessage {
            template: Template::Receipt,
            recipient: email.clone(),
            params: serde_json::json!({
                "reference": reference,
                "kind_sv": new.kind.swedish_label(),
                "received_date": new.received_date,
                "deadline": new.deadline,
                "recipient_name": name,
                "organisation": creator.organisation,
            }),
        };
        outbox_queue::enqueue(conn, Some(&id), &receipt, now)?;
    }

    Ok(CreateOutcome::Created(Box::new(CaseRecord {
        case: row,
        parts,
        decisions: Vec::new(),
        extension_notice_sent_at: None,
    })))
}

fn ensure_controllers_exist(conn: &mut DbConnection, new: &NewCase) -> AppResult<()> {
    if new.controllers.is_empty() {
        return Ok(());
    }
    let wanted: Vec<&str> = new.controllers.iter().map(|c| c.as_str()).collect();
    let known: Vec<String> = controllers::table
        .filter(controllers::id.eq_any(&wanted))
        .select(controllers::id)
        .load(conn)?;
    let errors: Vec<FieldError> = wanted
        .iter()
        .enumerate()
        .filter(|(_, id)| !known.iter().any(|k| k == *id))
        .map(|(i, id)| {
            FieldError::new(
                format!("controllers[{i}]"),
                "unknown_controller",
                format!("There is no controller `{id}`."),
            )
        })
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::Validation(errors))
    }
}

pub fn find_case(conn: &mut DbConnection, id: &str) -> AppResult<Option<CaseRecord>> {
    // The hottest read of the service, so: on the backend's own connection (see
    // `on_native_connection!`); `eq`, not `attach_parts`' `eq_any`, so the statements are
    // prepared once per connection; and `load`, not `first`, because SQLite re-prepares a
    // statement with `LIMIT ?` at every new binding.
    Ok(crate::on_native_connection!(conn, |c| {
        let Some(case) = cases::table
            .find(id)
            .select(CaseRow::as_select())
            .load(c)?
            .pop()
        else {
            return Ok(None);
        };
        let parts = case_parts::table
            .filter(case_parts::case_id.eq(id))
            .order(case_parts::controller_id)
            .select(PartRow::as_select())
            .load(c)?;
        let decisions = decisions::table
            .filter(decisions::case_id.eq(id))
            .select(DecisionRow::as_select())
            .load(c)?;
        let extension_notice_sent_at = match &case.extension_notice_id {
            Some(notice) => outbox::table
                .find(notice)
                .select(outbox::sent_at)
                .load::<Option<NaiveDateTime>>(c)?
                .pop()
                .flatten(),
            None => None,
        };
        Some(CaseRecord {
            case,
            parts,
            decisions,
            extension_notice_sent_at,
        })
    }))
}

/// The filters of `GET /cases`, already parsed.
#[derive(Debug, Default, Clone)]
pub struct CaseFilter {
    pub statuses: Vec<CaseStatus>,
    pub kind: Option<CaseKind>,
    pub controller: Option<String>,
    /// Open and past the deadline in force on this day.
    pub overdue_on: Option<NaiveDate>,
    pub due_before: Option<NaiveDate>,
    /// Open cases due on or after this date (with `due_before`: due within a window).
    pub due_from: Option<NaiveDate>,
    pub extended: Option<bool>,
    /// The pause policy is on: overdue and due dates go by the adjusted deadline, and a case
    /// waiting for identity information is not overdue.
    pub by_adjusted_deadline: bool,
}

/// Marks a case whose latest identity wait is still open (see `IdentityWait`).
const OPEN_WAIT_MARKER: &str = "%\"to\":null%";

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum CaseCursor {
    /// Newest first: after (created_at, id).
    Created(NaiveDateTime, String),
    /// Earliest deadline first: after (effective_deadline, id).
    Deadline(NaiveDate, String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseOrder {
    NewestFirst,
    DeadlineFirst,
}

/// The cases matching `filter` that `scope` may see, as a query to page or count.
pub fn filtered<'a>(filter: &CaseFilter, scope: &CaseScope) -> cases::BoxedQuery<'a, Backend> {
    let mut query = cases::table.into_boxed::<Backend>();
    if !filter.statuses.is_empty() {
        query = query.filter(
            cases::status.eq_any(
                filter
                    .statuses
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>(),
            ),
        );
    }
    if let Some(kind) = filter.kind {
        query = query.filter(cases::kind.eq(kind.as_str()));
    }
    if let Some(controller) = &filter.controller {
        query = query.filter(
            cases::id.eq_any(
                case_parts::table
                    .filter(case_parts::controller_id.eq(controller.clone()))
                    .select(case_parts::case_id),
            ),
        );
    }
    let open: Vec<&str> = CaseStatus::OPEN.iter().map(|s| s.as_str()).collect();
    if let Some(today) = filter.overdue_on {
        query = query.filter(cases::status.eq_any(open.clone()));
        query = if filter.by_adjusted_deadline {
            query
                .filter(cases::adjusted_deadline.lt(today))
                .filter(cases::identity_waits.not_like(OPEN_WAIT_MARKER))
        } else {
            query.filter(cases::effective_deadline.lt(today))
        };
    }
    if let Some(date) = filter.due_before {
        query = query.filter(cases::status.eq_any(open.clone()));
        query = if filter.by_adjusted_deadline {
            query.filter(cases::adjusted_deadline.lt(date))
        } else {
            query.filter(cases::effective_deadline.lt(date))
        };
    }
    if let Some(date) = filter.due_from {
        query = query.filter(cases::status.eq_any(open));
        query = if filter.by_adjusted_deadline {
            query.filter(cases::adjusted_deadline.ge(date))
        } else {
            query.filter(cases::effective_deadline.ge(date))
        };
    }
    match filter.extended {
        Some(true) => query = query.filter(cases::extended_deadline.is_not_null()),
        Some(false) => query = query.filter(cases::extended_deadline.is_null()),
        None => {}
    }
    if let CaseScope::Limited {
        controllers,
        created_by,
    } = scope
    {
        let in_controllers = cases::id.eq_any(
            case_parts::table
                .filter(case_parts::controller_id.eq_any(controllers.clone()))
                .select(case_parts::case_id),
        );
        query = match created_by {
            Some(sub) => query.filter(in_controllers.or(cases::created_by.eq(sub.clone()))),
            None => query.filter(in_controllers),
        };
    }
    query
}

pub fn count_cases(
    conn: &mut DbConnection,
    filter: &CaseFilter,
    scope: &CaseScope,
) -> AppResult<i64> {
    Ok(filtered(filter, scope).count().get_result(conn)?)
}

pub fn list_cases(
    conn: &mut DbConnection,
    filter: &CaseFilter,
    scope: &CaseScope,
    order: CaseOrder,
    after: Option<&CaseCursor>,
    limit: i64,
) -> AppResult<Vec<CaseRecord>> {
    let mut query = filtered(filter, scope);
    query = match (order, after) {
        (CaseOrder::NewestFirst, Some(CaseCursor::Created(at, id))) => query.filter(
            cases::created_at
                .lt(*at)
                .or(cases::created_at.eq(*at).and(cases::id.lt(id.clone()))),
        ),
        (CaseOrder::DeadlineFirst, Some(CaseCursor::Deadline(date, id))) => query.filter(
            cases::effective_deadline
                .gt(*date)
                .or(cases::effective_deadline
                    .eq(*date)
                    .and(cases::id.gt(id.clone()))),
        ),
        (_, None) => query,
        _ => {
            return Err(AppError::validation(
                "cursor",
                "invalid",
                "The cursor belongs to another sort order.",
            ))
        }
    };
    query = match order {
        CaseOrder::NewestFirst => query.order((cases::created_at.desc(), cases::id.desc())),
        CaseOrder::DeadlineFirst => query.order((cases::effective_deadline.asc(), cases::id.asc())),
    };
    let rows = query.select(CaseRow::as_select()).limit(limit).load(conn)?;
    attach_parts(conn, rows)
}

pub const PAGE_FOR_SCANS: i64 = 5_000;

/// The next `limit` cases by id after `after_id` (`""` for the first page), for whole-table work.
pub fn find_cases_after(
    conn: &mut DbConnection,
    after_id: &str,
    limit: i64,
) -> AppResult<Vec<CaseRecord>> {
    let rows = cases::table
        .filter(cases::id.gt(after_id))
        .order(cases::id.asc())
        .limit(limit)
        .select(CaseRow::as_select())
        .load(conn)?;
    attach_parts(conn, rows)
}

/// Every case where the person is the subject, newest first (repeat requests, Art. 12(5)).
pub fn cases_of_person(conn: &mut DbConnection, personnummer: &str) -> AppResult<Vec<CaseRecord>> {
    let rows = cases::table
        .filter(cases::subject_personnummer.eq(personnummer))
        .order((cases::received_at.desc(), cases::id.desc()))
        .select(CaseRow::as_select())
        .load(conn)?;
    attach_parts(conn, rows)
}

/// Loads the parts and decisions of `rows` (two queries for the whole page).
fn attach_parts(conn: &mut DbConnection, rows: Vec<CaseRow>) -> AppResult<Vec<CaseRecord>> {
    use std::collections::HashMap;
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
    let parts: Vec<PartRow> = case_parts::table
        .filter(case_parts::case_id.eq_any(&ids))
        .order((case_parts::case_id, case_parts::controller_id))
        .select(PartRow::as_select())
        .load(conn)?;
    let decided: Vec<DecisionRow> = decisions::table
        .filter(decisions::case_id.eq_any(&ids))
        .select(DecisionRow::as_select())
        .load(conn)?;
    let notice_ids: Vec<&str> = rows
        .iter()
        .filter_map(|r| r.extension_notice_id.as_deref())
        .collect();
    let notices_sent: HashMap<String, NaiveDateTime> = if notice_ids.is_empty() {
        HashMap::new()
    } else {
        outbox::table
            .filter(outbox::id.eq_any(&notice_ids))
            .filter(outbox::sent_at.is_not_null())
            .select((outbox::id, outbox::sent_at.assume_not_null()))
            .load::<(String, NaiveDateTime)>(conn)?
            .into_iter()
            .collect()
    };
    let mut parts_by_case: HashMap<String, Vec<PartRow>> = HashMap::new();
    for part in parts {
        parts_by_case
            .entry(part.case_id.clone())
            .or_default()
            .push(part);
    }
    let mut decisions_by_case: HashMap<String, Vec<DecisionRow>> = HashMap::new();
    for decision in decided {
        decisions_by_case
            .entry(decision.case_id.clone())
            .or_default()
            .push(decision);
    }
    Ok(rows
        .into_iter()
        .map(|case| CaseRecord {
            parts: parts_by_case.remove(&case.id).unwrap_or_default(),
            decisions: decisions_by_case.remove(&case.id).unwrap_or_default(),
            extension_notice_sent_at: case
                .extension_notice_id
                .as_ref()
                .and_then(|id| notices_sent.get(id).copied()),
            case,
        })
        .collect())
}

pub fn journal(conn: &mut DbConnection, case_id: &str) -> AppResult<Vec<EventRow>> {
    Ok(case_events::table
        .filter(case_events::case_id.eq(case_id))
        .order(case_events::id.asc())
        .select(EventRow::as_select())
        .load(conn)?)
}
