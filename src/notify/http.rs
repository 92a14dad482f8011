use actix_web::{get, web, HttpResponse};
use chrono::{DateTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::DeliveryStatus;
use crate::auth::AuthUser;
use crate::error::{AppError, AppResult};
use crate::http::{pagination, Query};
use crate::services::Services;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OutboxQuery {
    /// `pending`, `sent` or `failed`.
    pub status: Option<String>,
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

/// A message and its delivery state. The recipient's address is shown to the administrator,
/// who runs the mail delivery; the message content is not.
#[derive(Debug, Serialize, ToSchema)]
pub struct OutboxMessage {
    pub id: String,
    pub case_id: Option<String>,
    pub template: String,
    /// `person` or `staff`.
    pub audience: String,
    pub recipient: String,
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OutboxPage {
    pub items: Vec<OutboxMessage>,
    pub next_cursor: Option<String>,
}

/// Notifications and their delivery state, newest first (admin).
#[utoipa::path(
    tag = "monitoring",
    params(OutboxQuery),
    responses((status = 200, body = OutboxPage), (status = 403, body = crate::error::Problem, content_type = "application/problem+json")),
    security(("bearer" = []))
)]
#[get("/outbox")]
pub async fn list_outbox(
    state: web::Data<Services>,
    user: AuthUser,
    query: Query<OutboxQuery>,
) -> AppResult<HttpResponse> {
    let query = query.into_inner();
    let status = query
        .status
        .as_deref()
        .map(|s| {
            DeliveryStatus::parse(s).ok_or_else(|| {
                AppError::validation(
                    "status",
                    "unknown_value",
                    "status is pending, sent or failed.",
                )
            })
        })
        .transpose()?;
    let limit = pagination::limit(query.limit)?;
    let before: Option<String> = query
        .cursor
        .as_deref()
        .map(pagination::decode_cursor)
        .transpose()?;
    let rows = super::service::list_outbox(&state, &user, status, before, limit + 1).await?;
    let has_more = rows.len() as i64 > limit;
    let items: Vec<OutboxMessage> = rows
        .into_iter()
        .take(limit as usize)
        .map(|r| OutboxMessage {
            id: r.id,
            case_id: r.case_id,
            template: r.template.as_str().to_owned(),
            audience: r.audience.as_str().to_owned(),
            recipient: r.recipient.into_inner(),
            status: r.status.as_str().to_owned(),
            attempts: r.attempts,
            next_attempt_at: Utc.from_utc_datetime(&r.next_attempt_at),
            sent_at: r.sent_at.map(|t| Utc.from_utc_datetime(&t)),
            last_error: r.last_error,
            created_at: Utc.from_utc_datetime(&r.created_at),
        })
        .collect();
    let next_cursor = match (has_more, items.last()) {
        (true, Some(last)) => Some(pagination::encode_cursor(&last.id)),
        _ => None,
    };
    Ok(HttpResponse::Ok().json(OutboxPage { items, next_cursor }))
}
