use actix_web::{get, web, HttpResponse};
use chrono::{DateTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::AuthUser;
use crate::error::AppResult;
use crate::http::pagination;
use crate::services::Services;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Only entries about this case id.
    pub case: Option<String>,
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEntryView {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor: String,
    pub roles: String,
    /// e.g. `case.create`, `case.read`, `case.list`, `case.search`, `case.journal`.
    pub action: String,
    /// The case read or changed; for a list or search read through `?case=`, that case.
    pub case_id: Option<String>,
    pub request_id: Option<String>,
    /// Every case a list or search showed (one entry per answer); empty otherwise.
    pub case_ids: Vec<String>,
    /// What else the entry says: for a search the keyed hash of the number searched
    /// (`number_hash`) and how many cases matched (`matches`); for a DPO's or administrator's
    /// read the other nämnders' parts shown (`other_parts`); for a refused read why (`refused`).
    #[schema(value_type = Option<Object>)]
    pub detail: Option<serde_json::Value>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditPage {
    pub items: Vec<AuditEntryView>,
    pub next_cursor: Option<String>,
}

/// The audit log, newest first (dpo, admin).
#[utoipa::path(
    tag = "audit",
    params(AuditQuery),
    responses(
        (status = 200, body = AuditPage),
        (status = 401, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/audit")]
pub async fn list_audit(
    state: web::Data<Services>,
    user: AuthUser,
    query: crate::http::Query<AuditQuery>,
) -> AppResult<HttpResponse> {
    let query = query.into_inner();
    let limit = pagination::limit(query.limit)?;
    let before: Option<i64> = query
        .cursor
        .as_deref()
        .map(pagination::decode_cursor)
        .transpose()?;
    let rows = super::service::list(&state, &user, query.case.clone(), before, limit + 1).await?;
    let has_more = rows.len() as i64 > limit;
    let items: Vec<AuditEntryView> = rows
        .into_iter()
        .take(limit as usize)
        .map(|r| AuditEntryView {
            id: r.id,
            at: Utc.from_utc_datetime(&r.at),
            actor: r.actor,
            roles: r.roles,
            action: r.action.as_str().to_owned(),
            case_id: r
                .case_id
                .or_else(|| query.case.clone().filter(|_| r.case_ids.is_some())),
            request_id: r.request_id,
            case_ids: r
                .case_ids
                .map(|ids| ids.split(' ').map(str::to_owned).collect())
                .unwrap_or_default(),
            detail: r
                .detail
                .as_deref()
                .and_then(|d| serde_json::from_str(d).ok()),
        })
        .collect();
    let next_cursor = has_more.then(|| pagination::encode_cursor(&items.last().map(|i| i.id)));
    Ok(HttpResponse::Ok().json(AuditPage { items, next_cursor }))
}
