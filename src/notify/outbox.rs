//! The outbox table: one row per message, written with the change that causes it.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use crate::db::schema::outbox;
use crate::db::DbConnection;
use crate::error::{AppError, AppResult};

/// The messages the service sends. Each has a Swedish template with a text and an HTML part.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Template {
    /// Kvittens to the person: reference, kind, date of receipt, the date the answer is due.
    Receipt,
    /// Request to the person for information to establish identity (Art. 12(6)).
    IdentityRequest,
    /// Extension notice to the person: the new date and the reasons (Art. 12(3)).
    ExtensionNotice,
    /// Notice to the person that a decision has been made.
    DecisionNotice,
}

impl Template {
    pub fn as_str(self) -> &'static str {
        match self {
            Template::Receipt => "receipt",
            Template::IdentityRequest => "identity_request",
            Template::ExtensionNotice => "extension_notice",
            Template::DecisionNotice => "decision_notice",
        }
    }
}

pub const PENDING: &str = "pending";

/// A message to queue: template, recipient address and the template's values.
#[derive(Debug, Clone)]
pub struct NewMessage {
    pub template: Template,
    pub recipient: String,
    pub params: serde_json::Value,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = outbox)]
pub struct OutboxRow {
    pub id: String,
    pub case_id: Option<String>,
    pub template: String,
    pub recipient: String,
    pub params: String,
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: NaiveDateTime,
    pub sent_at: Option<NaiveDateTime>,
    pub last_error: Option<String>,
    pub created_at: NaiveDateTime,
}

/// Queues `message` in the caller's transaction; returns the message id.
pub fn enqueue(
    conn: &mut DbConnection,
    case_id: Option<&str>,
    message: &NewMessage,
    now: NaiveDateTime,
) -> AppResult<String> {
    let id = uuid::Uuid::now_v7().to_string();
    let row = OutboxRow {
        id: id.clone(),
        case_id: case_id.map(str::to_owned),
        template: message.template.as_str().to_owned(),
        recipient: message.recipient.clone(),
        params: serde_json::to_string(&message.params).map_err(AppError::internal)?,
        status: PENDING.to_owned(),
        attempts: 0,
        next_attempt_at: now,
        sent_at: None,
        last_error: None,
        created_at: now,
    };
    diesel::insert_into(outbox::table)
        .values(&row)
        .execute(conn)?;
    Ok(id)
}

/// When a message was delivered, if it was.
pub fn sent_at(conn: &mut DbConnection, id: &str) -> AppResult<Option<NaiveDateTime>> {
    Ok(outbox::table
        .find(id)
        .select(outbox::sent_at)
        .first::<Option<NaiveDateTime>>(conn)
        .optional()?
        .flatten())
}
