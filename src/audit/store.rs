//! The append-only audit log: every read and change of a case. Rows are only ever inserted.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::AuditAction;
use crate::db::schema::audit_log;
use crate::db::{DbConnection, SealedText};
use crate::error::AppResult;

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = audit_log)]
pub struct AuditEntry {
    pub at: NaiveDateTime,
    pub actor: String,
    pub roles: String,
    pub action: AuditAction,
    pub case_id: Option<String>,
    pub request_id: Option<String>,
    /// The cases a list or search showed (space-separated ids), in one entry for the answer.
    pub case_ids: Option<String>,
    /// What else the row must say, as JSON (see `audit::Detail`).
    pub detail: Option<SealedText>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = audit_log)]
pub struct AuditRow {
    pub id: i64,
    pub at: NaiveDateTime,
    pub actor: String,
    pub roles: String,
    pub action: AuditAction,
    pub case_id: Option<String>,
    pub request_id: Option<String>,
    /// The cases a list or search showed (space-separated ids), in one entry for the answer.
    pub case_ids: Option<String>,
    /// What else the row must say, as JSON (see `audit::Detail`).
    pub detail: Option<SealedText>,
}

pub fn append(conn: &mut DbConnection, entries: &[AuditEntry]) -> AppResult<()> {
    if entries.is_empty() {
        return Ok(());
    }
    // Every read appends a row: on the backend's own connection, which inserts many rows in
    // one statement and does not render the SQL anew for each call.
    crate::on_native_connection!(conn, |c| {
        diesel::insert_into(audit_log::table)
            .values(entries)
            .execute(c)?;
    });
    Ok(())
}

/// Newest first; `before` is the id of the last row of the previous page.
pub fn list(
    conn: &mut DbConnection,
    case_id: Option<&str>,
    before: Option<i64>,
    limit: i64,
) -> AppResult<Vec<AuditRow>> {
    let mut query = audit_log::table
        .select(AuditRow::as_select())
        .into_boxed::<<DbConnection as Connection>::Backend>();
    if let Some(case_id) = case_id {
        // Ids are UUIDs, so a substring of the listed ids matches exactly one case.
        query = query.filter(
            audit_log::case_id
                .eq(case_id.to_owned())
                .or(audit_log::case_ids.like(format!("%{case_id}%"))),
        );
    }
    if let Some(before) = before {
        query = query.filter(audit_log::id.lt(before));
    }
    Ok(query.order(audit_log::id.desc()).limit(limit).load(conn)?)
}
