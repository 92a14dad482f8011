//! Findings and extracts.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::stored::{ActivitySnapshot, StoredExtract};
use super::Secrecy;
use crate::db::schema::{extracts, findings};
use crate::db::{corrupt_row, DbConnection, JsonText, SealedJson, SealedText};
use crate::error::AppResult;

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = findings, treat_none_as_null = true)]
pub struct FindingRow {
    pub case_id: String,
    pub activity_id: String,
    pub controller_id: String,
    pub found: bool,
    pub data: Option<SealedText>,
    pub secrecy: Secrecy,
    pub secrecy_reference: Option<String>,
    pub guardian_secrecy_considered: bool,
    /// The activity as it was in the register when the finding was recorded.
    pub activity: JsonText<ActivitySnapshot>,
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
    findings::table
        .filter(findings::case_id.eq(case_id))
        .order((findings::controller_id, findings::reviewed_at))
        .select(FindingRow::as_select())
        .load(conn)
        .map_err(corrupt_row("findings of case", case_id))
}

pub fn save_extract(
    conn: &mut DbConnection,
    case_id: &str,
    content: &SealedJson<StoredExtract>,
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

/// The extract and when it was compiled.
pub fn extract_of(
    conn: &mut DbConnection,
    case_id: &str,
) -> AppResult<Option<(SealedJson<StoredExtract>, NaiveDateTime)>> {
    extracts::table
        .find(case_id)
        .select((extracts::content, extracts::compiled_at))
        .first(conn)
        .optional()
        .map_err(corrupt_row("extracts", case_id))
}

/// How many of `controller`'s findings on the case were found and withheld.
pub fn withheld_count(conn: &mut DbConnection, case_id: &str, controller: &str) -> AppResult<i64> {
    use crate::db::schema::findings;
    Ok(findings::table
        .filter(findings::case_id.eq(case_id))
        .filter(findings::controller_id.eq(controller))
        .filter(findings::found.eq(true))
        .filter(findings::secrecy.eq(super::Secrecy::Withhold))
        .count()
        .get_result(conn)?)
}
