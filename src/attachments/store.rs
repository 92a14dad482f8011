//! Queries of findings' attachments. No HTTP here. The content is read only where it is sent:
//! a download, or the extract's PDF.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::finding_attachments;
use crate::db::{DbConnection, SealedBytes, SealedText};
use crate::error::AppResult;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = finding_attachments)]
pub struct AttachmentRow {
    pub id: String,
    pub case_id: String,
    pub activity_id: String,
    pub controller_id: String,
    pub file_name: SealedText,
    pub content_type: String,
    pub size_bytes: i64,
    /// Hex SHA-256 of the content: the extract names exactly the file it was compiled with.
    pub sha256: String,
    pub content: SealedBytes,
    pub created_at: NaiveDateTime,
    pub created_by: String,
}

/// An attachment without its content.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = finding_attachments)]
pub struct AttachmentMeta {
    pub id: String,
    pub case_id: String,
    pub activity_id: String,
    pub controller_id: String,
    pub file_name: SealedText,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub created_at: NaiveDateTime,
    pub created_by: String,
}

pub fn insert(conn: &mut DbConnection, row: &AttachmentRow) -> AppResult<()> {
    diesel::insert_into(finding_attachments::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

pub fn delete(conn: &mut DbConnection, id: &str) -> AppResult<()> {
    diesel::delete(finding_attachments::table.find(id)).execute(conn)?;
    Ok(())
}

/// The attachments of a case, without content, oldest first.
pub fn of_case(conn: &mut DbConnection, case_id: &str) -> AppResult<Vec<AttachmentMeta>> {
    Ok(finding_attachments::table
        .filter(finding_attachments::case_id.eq(case_id))
        .order((finding_attachments::created_at, finding_attachments::id))
        .select(AttachmentMeta::as_select())
        .load(conn)?)
}

pub fn find_meta(
    conn: &mut DbConnection,
    case_id: &str,
    id: &str,
) -> AppResult<Option<AttachmentMeta>> {
    Ok(finding_attachments::table
        .filter(finding_attachments::case_id.eq(case_id))
        .filter(finding_attachments::id.eq(id))
        .select(AttachmentMeta::as_select())
        .first(conn)
        .optional()?)
}

/// Attachments of the case with their content: those with `ids`.
pub fn with_content(
    conn: &mut DbConnection,
    case_id: &str,
    ids: &[String],
) -> AppResult<Vec<AttachmentRow>> {
    Ok(finding_attachments::table
        .filter(finding_attachments::case_id.eq(case_id))
        .filter(finding_attachments::id.eq_any(ids))
        .select(AttachmentRow::as_select())
        .load(conn)?)
}

/// How many attachments one finding carries.
pub fn count_of_finding(
    conn: &mut DbConnection,
    case_id: &str,
    activity_id: &str,
) -> AppResult<i64> {
    Ok(finding_attachments::table
        .filter(finding_attachments::case_id.eq(case_id))
        .filter(finding_attachments::activity_id.eq(activity_id))
        .count()
        .get_result(conn)?)
}

/// Removes every attachment of a case: retention purges them with the extract.
pub fn delete_of_case(conn: &mut DbConnection, case_id: &str) -> AppResult<usize> {
    Ok(
        diesel::delete(finding_attachments::table.filter(finding_attachments::case_id.eq(case_id)))
            .execute(conn)?,
    )
}
