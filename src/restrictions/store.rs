//! Queries of restrictions. No HTTP here.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::schema::restrictions;
use crate::db::{DbConnection, SealedText};
use crate::error::AppResult;

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = restrictions, treat_none_as_null = true)]
pub struct RestrictionRow {
    pub id: String,
    pub case_id: String,
    pub controller_id: String,
    pub activity_id: String,
    pub activity_name: String,
    pub started_on: NaiveDate,
    pub reason: SealedText,
    pub interim: bool,
    pub lift_notified_on: Option<NaiveDate>,
    pub lift_on: Option<NaiveDate>,
    pub lifted_on: Option<NaiveDate>,
    pub created_at: NaiveDateTime,
    pub created_by: String,
}

/// A restriction as the API shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Restriction {
    pub id: String,
    pub controller: String,
    pub activity_id: String,
    pub activity: String,
    pub started_on: NaiveDate,
    pub reason: String,
    /// While an objection or a rectification is assessed (Art. 18(1)(a), (d)).
    pub interim: bool,
    /// When the person was told it will be lifted, and on which day (Art. 18(3)).
    pub lift_notified_on: Option<NaiveDate>,
    pub lift_on: Option<NaiveDate>,
    pub lifted_on: Option<NaiveDate>,
    /// In force: not yet lifted.
    pub in_force: bool,
}

impl From<RestrictionRow> for Restriction {
    fn from(r: RestrictionRow) -> Self {
        Restriction {
            in_force: r.lifted_on.is_none(),
            id: r.id,
            controller: r.controller_id,
            activity_id: r.activity_id,
            activity: r.activity_name,
            started_on: r.started_on,
            reason: r.reason.into_inner(),
            interim: r.interim,
            lift_notified_on: r.lift_notified_on,
            lift_on: r.lift_on,
            lifted_on: r.lifted_on,
        }
    }
}

pub fn of_case(conn: &mut DbConnection, case_id: &str) -> AppResult<Vec<RestrictionRow>> {
    Ok(restrictions::table
        .filter(restrictions::case_id.eq(case_id))
        .order((restrictions::created_at, restrictions::id))
        .select(RestrictionRow::as_select())
        .load(conn)?)
}

pub fn find(conn: &mut DbConnection, case_id: &str, id: &str) -> AppResult<Option<RestrictionRow>> {
    Ok(restrictions::table
        .filter(restrictions::case_id.eq(case_id))
        .filter(restrictions::id.eq(id))
        .select(RestrictionRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn insert(conn: &mut DbConnection, row: &RestrictionRow) -> AppResult<()> {
    diesel::insert_into(restrictions::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

pub fn update(conn: &mut DbConnection, row: &RestrictionRow) -> AppResult<()> {
    diesel::update(restrictions::table.find(&row.id))
        .set(row)
        .execute(conn)?;
    Ok(())
}
