//! Findings and extracts.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::{extracts, findings};
use crate::db::DbConnection;
use crate::error::AppResult;

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = findings, treat_none_as_null = true)]
pub struct FindingRow {
    pub case_id: String,
    pub activity_id: String,
    pub controller_id: String,
    pub found: bool,
    pub data: Option<String>,
    /// `release` or `withhold`
    pub secrecy: String,
    pub secrecy_reference: Option<String>,
    pub guardian_secrecy_considered: bool,
    /// The activity as it was in the register (JSON `Activity`).
    pub activity: String,
    pub reviewed_by: String,
    pub reviewed_at: NaiveDateTime,
}

pub fn save_finding(conn: &mut DbConnection, row: &FindingRow) -> AppResult<()> {
    let updated = diesel::update(
        findings::table
            .filter(findings::case_id.eq(&row.case_id))
            .filter(findings::activity_id.eq(&row.activity_id)),
    )
    .set(row)
    .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(findings::table)
            .values(row)
            .execute(conn)?;
    }
    Ok(())
}

pub fn findings_of(conn: &mut DbConnection, case_id: &str) -> AppResult<Vec<FindingRow>> {
    Ok(findings::table
        .filter(findings::case_id.eq(case_id))
        .order((findings::controller_id, findings::reviewed_at))
        .select(FindingRow::as_select())
        .load(conn)?)
}

pub fn save_extract(
    conn: &mut DbConnection,
    case_id: &str,
    content: &str,
    at: NaiveDateTime,
    by: &str,
) -> AppResult<()> {
    diesel::delete(extracts::table.find(case_id)).execute(conn)?;
    diesel::insert_into(extracts::table)
        .values((
            extracts::case_id.eq(case_id),
            extracts::content.eq(content),
            extracts::compiled_at.eq(at),
            extracts::compiled_by.eq(by),
        ))
        .execute(conn)?;
    Ok(())
}

/// The extract's JSON and when it was compiled.
pub fn extract_of(
    conn: &mut DbConnection,
    case_id: &str,
) -> AppResult<Option<(String, NaiveDateTime)>> {
    Ok(extracts::table
        .find(case_id)
        .select((extracts::content, extracts::compiled_at))
        .first(conn)
        .optional()?)
}
