//! The outbox table: one row per message, written with the change that causes it.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use crate::db::schema::outbox;
use crate::db::{DbConnection, SealedJson, SealedText};
use crate::domain::code::coded_enum;
use crate::error::AppResult;

coded_enum! {
    /// The messages the service sends. Each has a Swedish template with a text and an HTML part
    /// (`templates/email/<name>/`).
    #[derive(Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum Template {
        /// Kvittens to the person: reference, kind, date of receipt, the date the answer is due.
        Receipt => "receipt",
        /// Request to the person for information to establish identity (Art. 12(6)).
        IdentityRequest => "identity_request",
        /// Extension notice to the person: the new date and the reasons (Art. 12(3)).
        ExtensionNotice => "extension_notice",
        /// Notice to the person that a decision has been made.
        DecisionNotice => "decision_notice",
        /// Notice to the person before a restriction of processing is lifted (Art. 18(3)).
        RestrictionLifting => "restriction_lifting",
        /// In place of a notice with content, to an address no verified party gave: that there
        /// is news on the reference and how to learn it, nothing of the content.
        CaseNews => "case_news",
        /// To the nämnd: a case is due in `deadline.reminder_days` days.
        DeadlineReminder => "deadline_reminder",
        /// To the nämnd and the DPO: a case is past its deadline.
        OverdueAlert => "overdue_alert",
        /// To the DPO, daily: overdue, due this week, extended, failed deliveries.
        DpoDigest => "dpo_digest",
    }
}

impl Template {
    /// Notices that tell what was decided or why: to an address no verified party gave, they go
    /// as `CaseNews` instead.
    pub fn carries_content(self) -> bool {
        matches!(
            self,
            Template::ExtensionNotice | Template::DecisionNotice | Template::RestrictionLifting
        )
    }

    /// `person` messages go to the data subject or their representative; `staff` messages to the
    /// nämnd or the DPO and never carry personal data.
    pub fn audience(self) -> Audience {
        match self {
            Template::Receipt
            | Template::IdentityRequest
            | Template::ExtensionNotice
            | Template::DecisionNotice
            | Template::RestrictionLifting
            | Template::CaseNews => Audience::Person,
            Template::DeadlineReminder | Template::OverdueAlert | Template::DpoDigest => {
                Audience::Staff
            }
        }
    }
}

coded_enum! {
    /// Who a message is for.
    #[derive(Serialize, Deserialize, utoipa::ToSchema)]
    #[serde(rename_all = "snake_case")]
    pub enum Audience {
        Person => "person",
        Staff => "staff",
    }
}

coded_enum! {
    /// Where a message is in its delivery.
    #[derive(Serialize, Deserialize, utoipa::ToSchema)]
    #[serde(rename_all = "snake_case")]
    pub enum DeliveryStatus {
        Pending => "pending",
        Sent => "sent",
        Failed => "failed",
    }
}

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
    pub template: Template,
    pub recipient: SealedText,
    pub params: SealedJson<serde_json::Value>,
    pub status: DeliveryStatus,
    pub attempts: i32,
    pub next_attempt_at: NaiveDateTime,
    pub sent_at: Option<NaiveDateTime>,
    pub last_error: Option<String>,
    pub created_at: NaiveDateTime,
    pub claimed_until: Option<NaiveDateTime>,
    pub audience: Audience,
}

/// Queues `message` in the caller's transaction; returns the message id.
pub fn enqueue(
    conn: &mut DbConnection,
    case_id: Option<&str>,
    message: &NewMessage,
    now: NaiveDateTime,
) -> AppResult<String> {
    let row = new_row(case_id, message, now);
    diesel::insert_into(outbox::table)
        .values(&row)
        .execute(conn)?;
    Ok(row.id)
}

/// The outbox row that queues `message`, due at once; for callers that insert many rows in
/// one statement.
pub fn new_row(case_id: Option<&str>, message: &NewMessage, now: NaiveDateTime) -> OutboxRow {
    OutboxRow {
        id: uuid::Uuid::now_v7().to_string(),
        case_id: case_id.map(str::to_owned),
        template: message.template,
        recipient: SealedText(message.recipient.clone()),
        params: SealedJson(message.params.clone()),
        status: DeliveryStatus::Pending,
        attempts: 0,
        next_attempt_at: now,
        sent_at: None,
        last_error: None,
        created_at: now,
        claimed_until: None,
        audience: message.template.audience(),
    }
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

/// Leases up to `limit` messages that are due to this sender until `lease_until`: pending, due,
/// and not leased by another sender (or its lease ran out, e.g. it crashed).
pub fn claim_due(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    lease_until: NaiveDateTime,
    limit: i64,
) -> AppResult<Vec<OutboxRow>> {
    let ids = crate::db::due_outbox_ids(conn, now, limit)?;
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    diesel::update(outbox::table.filter(outbox::id.eq_any(&ids)))
        .set(outbox::claimed_until.eq(Some(lease_until)))
        .execute(conn)?;
    Ok(outbox::table
        .filter(outbox::id.eq_any(&ids))
        .select(OutboxRow::as_select())
        .load(conn)?)
}

pub fn mark_sent(conn: &mut DbConnection, id: &str, at: NaiveDateTime) -> AppResult<()> {
    diesel::update(outbox::table.find(id))
        .set((
            outbox::status.eq(DeliveryStatus::Sent),
            outbox::sent_at.eq(Some(at)),
            outbox::claimed_until.eq(None::<NaiveDateTime>),
            outbox::attempts.eq(outbox::attempts + 1),
            outbox::last_error.eq(None::<String>),
        ))
        .execute(conn)?;
    Ok(())
}

/// Records a failed attempt: retried at `retry_at`, or `failed` for good when `retry_at` is None.
pub fn mark_attempt_failed(
    conn: &mut DbConnection,
    id: &str,
    error: &str,
    retry_at: Option<NaiveDateTime>,
) -> AppResult<()> {
    let error: String = error.chars().take(500).collect();
    diesel::update(outbox::table.find(id))
        .set((
            outbox::status.eq(if retry_at.is_some() {
                DeliveryStatus::Pending
            } else {
                DeliveryStatus::Failed
            }),
            outbox::attempts.eq(outbox::attempts + 1),
            outbox::last_error.eq(Some(error)),
            outbox::claimed_until.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)?;
    if let Some(at) = retry_at {
        diesel::update(outbox::table.find(id))
            .set(outbox::next_attempt_at.eq(at))
            .execute(conn)?;
    }
    Ok(())
}

pub fn count_failed(conn: &mut DbConnection) -> AppResult<i64> {
    Ok(outbox::table
        .filter(outbox::status.eq(DeliveryStatus::Failed))
        .count()
        .get_result(conn)?)
}

/// Newest first, for the administrator's view.
pub fn list(
    conn: &mut DbConnection,
    status: Option<DeliveryStatus>,
    before: Option<&str>,
    limit: i64,
) -> AppResult<Vec<OutboxRow>> {
    let mut query = outbox::table
        .select(OutboxRow::as_select())
        .into_boxed::<<DbConnection as Connection>::Backend>();
    if let Some(status) = status {
        query = query.filter(outbox::status.eq(status));
    }
    if let Some(before) = before {
        query = query.filter(outbox::id.lt(before.to_owned()));
    }
    Ok(query.order(outbox::id.desc()).limit(limit).load(conn)?)
}

/// Which of `ids` still have an outbox row.
pub fn existing_ids(
    conn: &mut DbConnection,
    ids: &[String],
) -> AppResult<std::collections::HashSet<String>> {
    Ok(outbox::table
        .filter(outbox::id.eq_any(ids))
        .select(outbox::id)
        .load::<String>(conn)?
        .into_iter()
        .collect())
}
