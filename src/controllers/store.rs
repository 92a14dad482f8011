use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::controllers;
use crate::db::DbConnection;
use crate::domain::case::ControllerKind;
use crate::error::AppResult;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = controllers)]
pub struct ControllerRow {
    pub id: String,
    pub name: String,
    pub email: Option<String>,
    pub dpo_email: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub kind: ControllerKind,
    /// Where letters come from and an appeal is sent, as lines.
    pub postal_address: Option<String>,
}

pub fn list(conn: &mut DbConnection) -> AppResult<Vec<ControllerRow>> {
    Ok(controllers::table
        .order(controllers::id)
        .select(ControllerRow::as_select())
        .load(conn)?)
}

pub fn find(conn: &mut DbConnection, id: &str) -> AppResult<Option<ControllerRow>> {
    Ok(controllers::table
        .find(id)
        .select(ControllerRow::as_select())
        .first(conn)
        .optional()?)
}

/// Inserts a new controller; `false` when the id is taken.
pub fn insert(conn: &mut DbConnection, row: &ControllerRow) -> AppResult<bool> {
    if find(conn, &row.id)?.is_some() {
        return Ok(false);
    }
    diesel::insert_into(controllers::table)
        .values(row)
        .execute(conn)?;
    Ok(true)
}

/// What an update changes.
pub struct ControllerChange<'a> {
    pub name: &'a str,
    pub email: Option<&'a str>,
    pub dpo_email: Option<&'a str>,
    /// Unchanged when `None`.
    pub kind: Option<ControllerKind>,
    pub postal_address: Option<&'a str>,
}

/// Updates name, kind and contacts; `None` when there is no such controller.
pub fn update(
    conn: &mut DbConnection,
    id: &str,
    change: &ControllerChange<'_>,
    now: NaiveDateTime,
) -> AppResult<Option<ControllerRow>> {
    let changed = diesel::update(controllers::table.find(id))
        .set((
            controllers::name.eq(change.name),
            controllers::email.eq(change.email),
            controllers::dpo_email.eq(change.dpo_email),
            controllers::postal_address.eq(change.postal_address),
            controllers::updated_at.eq(now),
        ))
        .execute(conn)?;
    if let (Some(kind), true) = (change.kind, changed > 0) {
        diesel::update(controllers::table.find(id))
            .set(controllers::kind.eq(kind))
            .execute(conn)?;
    }
    if changed == 0 {
        return Ok(None);
    }
    find(conn, id)
}
