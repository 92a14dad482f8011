//! Queries of letters. No HTTP here.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::{LetterStatus, NewLetter, ReceiptEvidence};
use crate::db::schema::{case_parts, cases, letters};
use crate::db::{DbConnection, SealedJson};
use crate::error::AppResult;
use crate::notify::outbox::Template;

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = letters, treat_none_as_null = true)]
pub struct LetterRow {
    pub id: String,
    pub case_id: String,
    pub controller_id: Option<String>,
    pub template: Template,
    pub recipient: SealedJson<Vec<String>>,
    pub params: SealedJson<serde_json::Value>,
    pub status: LetterStatus,
    pub created_at: NaiveDateTime,
    pub posted_on: Option<NaiveDate>,
    pub registered_number: Option<String>,
    pub posted_by: Option<String>,
    /// The day the person received it, when recorded.
    pub notified_on: Option<NaiveDate>,
    pub notified_evidence: Option<ReceiptEvidence>,
}

impl LetterRow {
    pub fn new(case_id: &str, letter: &NewLetter, now: NaiveDateTime) -> Self {
        LetterRow {
            id: uuid::Uuid::now_v7().to_string(),
            case_id: case_id.to_owned(),
            controller_id: letter.controller.clone(),
            template: letter.template,
            recipient: SealedJson(letter.recipient.clone()),
            params: SealedJson(letter.params.clone()),
            status: letter.status,
            created_at: now,
            posted_on: None,
            registered_number: None,
            posted_by: None,
            notified_on: None,
            notified_evidence: None,
        }
    }
}

pub fn insert_all(conn: &mut DbConnection, rows: &[LetterRow]) -> AppResult<()> {
    // One statement per letter: the connection serves both backends, which share no
    // multi-row insert (and a change writes one or two letters).
    for row in rows {
        diesel::insert_into(letters::table)
            .values(row)
            .execute(conn)?;
    }
    Ok(())
}

pub fn find(conn: &mut DbConnection, id: &str) -> AppResult<Option<LetterRow>> {
    Ok(letters::table
        .find(id)
        .select(LetterRow::as_select())
        .first(conn)
        .optional()?)
}

/// Letters with `status` (all when `None`), oldest first after the `after` key (created_at,
/// id), with their case's reference. With
/// `controllers`, only those nämnders' letters and the case letters (no nämnd) of cases they
/// have a part of; every letter with `None` (an administrator).
pub fn list(
    conn: &mut DbConnection,
    status: Option<LetterStatus>,
    controllers: Option<&[String]>,
    after: Option<(NaiveDateTime, String)>,
    limit: i64,
) -> AppResult<Vec<(LetterRow, String)>> {
    let mut query = letters::table
        .inner_join(cases::table)
        .select((LetterRow::as_select(), cases::reference))
        .order((letters::created_at, letters::id))
        .limit(limit)
        .into_boxed();
    if let Some(status) = status {
        query = query.filter(letters::status.eq(status));
    }
    if let Some((at, id)) = after {
        query = query.filter(
            letters::created_at
                .gt(at)
                .or(letters::created_at.eq(at).and(letters::id.gt(id))),
        );
    }
    if let Some(mine) = controllers {
        let cases_of_mine = case_parts::table
            .filter(case_parts::controller_id.eq_any(mine))
            .select(case_parts::case_id);
        query = query.filter(
            letters::controller_id
                .eq_any(mine)
                .or(letters::controller_id
                    .is_null()
                    .and(letters::case_id.eq_any(cases_of_mine))),
        );
    }
    Ok(query.load(conn)?)
}

pub fn update(conn: &mut DbConnection, row: &LetterRow) -> AppResult<()> {
    diesel::update(letters::table.find(&row.id))
        .set(row)
        .execute(conn)?;
    Ok(())
}

/// The letters of one case, oldest first.
pub fn of_case(conn: &mut DbConnection, case_id: &str) -> AppResult<Vec<LetterRow>> {
    Ok(letters::table
        .filter(letters::case_id.eq(case_id))
        .order((letters::created_at, letters::id))
        .select(LetterRow::as_select())
        .load(conn)?)
}
