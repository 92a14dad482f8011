//! Queries of appeals. No HTTP here.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::schema::{appeals, letters, outbox, superseded_decisions};
use crate::db::{DbConnection, SealedJson, SealedText};
use crate::domain::appeal::{AppealStatus, NotifiedFrom};
use crate::error::AppResult;
use crate::notify::outbox::Template;
use crate::print_queue::LetterStatus;

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = appeals, treat_none_as_null = true)]
pub struct AppealRow {
    pub id: String,
    pub case_id: String,
    pub controller_id: String,
    pub received_on: NaiveDate,
    pub notified_on: Option<NaiveDate>,
    pub last_day: Option<NaiveDate>,
    pub in_time: bool,
    pub status: AppealStatus,
    pub forwarded_on: Option<NaiveDate>,
    pub court: Option<String>,
    /// The documents sent to the court with the appeal.
    pub documents: SealedJson<Vec<String>>,
    pub created_at: NaiveDateTime,
    pub created_by: String,
    pub updated_at: NaiveDateTime,
    pub notified_from: NotifiedFrom,
}

/// An appeal as the API shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Appeal {
    pub id: String,
    pub controller: String,
    pub received_on: NaiveDate,
    /// The day the person was notified of the decision: the three weeks count from it. None
    /// when no day can be shown; the appeal is then in time.
    pub notified_on: Option<NaiveDate>,
    /// Where that day comes from.
    pub notified_from: NotifiedFrom,
    /// The last day the appeal could arrive (förvaltningslagen 44 §), when the day of
    /// notification is known.
    pub last_day: Option<NaiveDate>,
    pub in_time: bool,
    pub status: AppealStatus,
    pub forwarded_on: Option<NaiveDate>,
    pub court: Option<String>,
    pub documents: Vec<String>,
}

impl From<AppealRow> for Appeal {
    fn from(row: AppealRow) -> Self {
        Appeal {
            id: row.id,
            controller: row.controller_id,
            received_on: row.received_on,
            notified_on: row.notified_on,
            notified_from: row.notified_from,
            last_day: row.last_day,
            in_time: row.in_time,
            status: row.status,
            forwarded_on: row.forwarded_on,
            court: row.court,
            documents: row.documents.0,
        }
    }
}

pub fn of_case(conn: &mut DbConnection, case_id: &str) -> AppResult<Vec<AppealRow>> {
    Ok(appeals::table
        .filter(appeals::case_id.eq(case_id))
        .order((appeals::created_at, appeals::id))
        .select(AppealRow::as_select())
        .load(conn)?)
}

pub fn find(conn: &mut DbConnection, case_id: &str, id: &str) -> AppResult<Option<AppealRow>> {
    Ok(appeals::table
        .filter(appeals::case_id.eq(case_id))
        .filter(appeals::id.eq(id))
        .select(AppealRow::as_select())
        .first(conn)
        .optional()?)
}

/// When the person was notified of `controller`'s latest decision letter, as far as the case
/// shows it: the day recorded on the letter (a mottagningsbevis, a handover), else the day the
/// e-mail carrying it reached the person's mail server. A posted letter with no recorded
/// receipt, or an e-mail not yet sent, shows no day.
pub fn decision_notified(
    conn: &mut DbConnection,
    case_id: &str,
    controller: &str,
) -> AppResult<Option<(NaiveDate, NotifiedFrom)>> {
    let letter: Option<(NaiveDateTime, Option<NaiveDate>, LetterStatus)> = letters::table
        .filter(letters::case_id.eq(case_id))
        .filter(letters::controller_id.eq(controller))
        .filter(letters::template.eq(Template::DecisionNotice))
        .order((letters::created_at.desc(), letters::id.desc()))
        .select((letters::created_at, letters::notified_on, letters::status))
        .first(conn)
        .optional()?;
    let Some((written_at, notified_on, status)) = letter else {
        return Ok(None);
    };
    if let Some(day) = notified_on {
        return Ok(Some((day, NotifiedFrom::LetterReceived)));
    }
    if status != LetterStatus::Emailed {
        return Ok(None);
    }
    // The e-mail is written in the same change as its letter, so at the same instant.
    let sent: Option<Option<NaiveDateTime>> = outbox::table
        .filter(outbox::case_id.eq(case_id))
        .filter(outbox::template.eq(Template::DecisionNotice))
        .filter(outbox::created_at.eq(written_at))
        .select(outbox::sent_at)
        .first(conn)
        .optional()?;
    Ok(sent.flatten().map(|at| {
        let day = crate::clock::local_date(chrono::TimeZone::from_utc_datetime(&chrono::Utc, &at));
        (day, NotifiedFrom::Email)
    }))
}

pub fn insert(conn: &mut DbConnection, row: &AppealRow) -> AppResult<()> {
    diesel::insert_into(appeals::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

pub fn update(conn: &mut DbConnection, row: &AppealRow) -> AppResult<()> {
    diesel::update(appeals::table.find(&row.id))
        .set(row)
        .execute(conn)?;
    Ok(())
}

/// The cases with an appeal still open, at the nämnd or at the court.
pub fn cases_with_pending_appeals(conn: &mut DbConnection) -> AppResult<Vec<String>> {
    let open: Vec<AppealStatus> = AppealStatus::ALL
        .into_iter()
        .filter(|s| s.is_pending())
        .collect();
    Ok(appeals::table
        .filter(appeals::status.eq_any(open))
        .select(appeals::case_id)
        .distinct()
        .load(conn)?)
}

/// Keeps a decision an omprövning replaced (förvaltningslagen 39 §).
pub fn keep_superseded(
    conn: &mut DbConnection,
    old: &crate::cases::store::DecisionRow,
    appeal_id: &str,
    at: NaiveDateTime,
) -> AppResult<()> {
    diesel::insert_into(superseded_decisions::table)
        .values((
            superseded_decisions::id.eq(uuid::Uuid::now_v7().to_string()),
            superseded_decisions::case_id.eq(&old.case_id),
            superseded_decisions::controller_id.eq(&old.controller_id),
            superseded_decisions::outcome.eq(old.outcome),
            superseded_decisions::reasons.eq(&old.reasons),
            superseded_decisions::text_sv.eq(&old.text_sv),
            superseded_decisions::decided_at.eq(old.decided_at),
            superseded_decisions::decided_by.eq(&old.decided_by),
            superseded_decisions::superseded_at.eq(at),
            superseded_decisions::appeal_id.eq(appeal_id),
        ))
        .execute(conn)?;
    Ok(())
}

/// A decision an omprövning replaced, as the API shows it.
#[derive(Debug, Clone, Serialize, ToSchema, Queryable)]
pub struct SupersededDecision {
    pub controller: String,
    pub outcome: crate::domain::decision::Outcome,
    #[serde(serialize_with = "crate::db::stored::serialize_sealed_text")]
    #[schema(value_type = String)]
    pub text_sv: SealedText,
    pub decided_at: NaiveDateTime,
    pub superseded_at: NaiveDateTime,
    pub appeal_id: String,
}

pub fn superseded_of(conn: &mut DbConnection, case_id: &str) -> AppResult<Vec<SupersededDecision>> {
    Ok(superseded_decisions::table
        .filter(superseded_decisions::case_id.eq(case_id))
        .order(superseded_decisions::superseded_at)
        .select((
            superseded_decisions::controller_id,
            superseded_decisions::outcome,
            superseded_decisions::text_sv,
            superseded_decisions::decided_at,
            superseded_decisions::superseded_at,
            superseded_decisions::appeal_id,
        ))
        .load(conn)?)
}
