//! Queries of the register: activities per controller, replaced whole on import.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::search::SearchDoc;
use crate::db::schema::{activities, register_version};
use crate::db::{DbConnection, JsonText};
use crate::error::AppResult;

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = activities, treat_none_as_null = true)]
pub struct ActivityRow {
    pub id: String,
    pub controller_id: String,
    pub position: i32,
    pub name: String,
    pub purpose: String,
    pub subject_categories: JsonText<Vec<String>>,
    pub data_categories: JsonText<Vec<String>>,
    pub legal_basis: String,
    pub retention: String,
    pub recipients: String,
    pub source: String,
    pub third_country_transfer: String,
    pub system: Option<String>,
    pub extra: JsonText<Vec<(String, String)>>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub automated_decision_making: Option<String>,
    pub transfer_safeguards: Option<String>,
}

/// An activity as the API shows it (the columns of the register).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct Activity {
    pub id: String,
    pub controller: String,
    /// Behandlingsaktivitet
    pub name: String,
    /// Ändamål med behandlingen (Art. 15(1)(a))
    pub purpose: String,
    /// Kategorier av registrerade
    pub subject_categories: Vec<String>,
    /// Kategorier av personuppgifter (Art. 15(1)(b))
    pub data_categories: Vec<String>,
    /// Rättslig grund
    pub legal_basis: String,
    /// Lagringstid (Art. 15(1)(d))
    pub retention: String,
    /// Mottagare (Art. 15(1)(c))
    pub recipients: String,
    /// Källa som personuppgifter samlas in från (Art. 15(1)(g))
    pub source: String,
    /// Överföring tredje land
    pub third_country_transfer: String,
    pub system: Option<String>,
    /// Automatiserat beslutsfattande (Art. 15(1)(h)): whether the activity decides about people
    /// by automated means, including profiling, the logic and the consequences. None: the
    /// register names none.
    pub automated_decision_making: Option<String>,
    /// Skyddsåtgärder vid överföring till tredje land (Art. 15(2), Art. 46).
    pub transfer_safeguards: Option<String>,
    /// Columns of the imported file the service does not know, kept as they were: each a pair
    /// `[column title, value]`.
    #[schema(value_type = Vec<Vec<String>>)]
    pub extra: Vec<(String, String)>,
}

impl ActivityRow {
    pub fn to_activity(&self) -> Activity {
        Activity {
            id: self.id.clone(),
            controller: self.controller_id.clone(),
            name: self.name.clone(),
            purpose: self.purpose.clone(),
            subject_categories: self.subject_categories.0.clone(),
            data_categories: self.data_categories.0.clone(),
            legal_basis: self.legal_basis.clone(),
            retention: self.retention.clone(),
            recipients: self.recipients.clone(),
            source: self.source.clone(),
            third_country_transfer: self.third_country_transfer.clone(),
            system: self.system.clone(),
            automated_decision_making: self.automated_decision_making.clone(),
            transfer_safeguards: self.transfer_safeguards.clone(),
            extra: self.extra.0.clone(),
        }
    }
}

impl Activity {
    pub fn search_doc(&self) -> SearchDoc {
        SearchDoc {
            id: self.id.clone(),
            controller: self.controller.clone(),
            name: self.name.clone(),
            purpose: self.purpose.clone(),
            subject_categories: self.subject_categories.clone(),
            data_categories: self.data_categories.clone(),
            legal_basis: self.legal_basis.clone(),
        }
    }
}

fn bump_version(conn: &mut DbConnection) -> AppResult<()> {
    diesel::update(register_version::table.find(1))
        .set(register_version::version.eq(register_version::version + 1))
        .execute(conn)?;
    Ok(())
}

pub fn version(conn: &mut DbConnection) -> AppResult<i64> {
    Ok(register_version::table
        .find(1)
        .select(register_version::version)
        .first(conn)?)
}

/// Replaces `controller`'s activities with `rows`, in the caller's transaction.
pub fn replace(conn: &mut DbConnection, controller: &str, rows: &[ActivityRow]) -> AppResult<()> {
    diesel::delete(activities::table.filter(activities::controller_id.eq(controller)))
        .execute(conn)?;
    for row in rows {
        diesel::insert_into(activities::table)
            .values(row)
            .execute(conn)?;
    }
    bump_version(conn)
}

pub fn all(conn: &mut DbConnection) -> AppResult<Vec<ActivityRow>> {
    Ok(activities::table
        .order((activities::controller_id, activities::position))
        .select(ActivityRow::as_select())
        .load(conn)?)
}

pub fn of_controllers(
    conn: &mut DbConnection,
    controllers: &[String],
) -> AppResult<Vec<ActivityRow>> {
    Ok(activities::table
        .filter(activities::controller_id.eq_any(controllers))
        .order((activities::controller_id, activities::position))
        .select(ActivityRow::as_select())
        .load(conn)?)
}

pub fn find(conn: &mut DbConnection, id: &str) -> AppResult<Option<ActivityRow>> {
    Ok(activities::table
        .find(id)
        .select(ActivityRow::as_select())
        .first(conn)
        .optional()?)
}

/// The activity a request named, or the field error saying the register has none such.
pub fn known(activity: Option<ActivityRow>) -> AppResult<ActivityRow> {
    activity.ok_or_else(|| {
        crate::error::AppError::validation(
            "activity_id",
            "unknown_activity",
            "There is no such activity in the register.",
        )
    })
}

pub fn update(conn: &mut DbConnection, row: &ActivityRow) -> AppResult<bool> {
    let n = diesel::update(activities::table.find(&row.id))
        .set(row)
        .execute(conn)?;
    bump_version(conn)?;
    Ok(n > 0)
}

pub fn delete(conn: &mut DbConnection, id: &str) -> AppResult<bool> {
    let n = diesel::delete(activities::table.find(id)).execute(conn)?;
    bump_version(conn)?;
    Ok(n > 0)
}
