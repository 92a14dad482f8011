//! Restriction endpoints: `POST /cases/{id}/restrictions`, `.../{r}/lift-notice`,
//! `.../{r}/lift`, `GET /cases/{id}/restrictions`.

use actix_web::{get, post, web, HttpRequest, HttpResponse};
use chrono::NaiveDate;
use serde::Deserialize;
use tracing_actix_web::RequestId;
use utoipa::ToSchema;

use super::actions::{LiftRestriction, NotifyLifting, StartRestriction};
use super::store::{self, Restriction};
use crate::audit::AuditAction;
use crate::auth::AuthUser;
use crate::cases::access::{part_rows_audited, ReadTrail};
use crate::casework::http::case_target;
use crate::casework::service;
use crate::error::{AppError, AppResult};
use crate::http::JsonBody;
use crate::services::Services;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RestrictionRequest {
    /// The register activity whose processing of the person's data is restricted.
    pub activity_id: String,
    pub reason: String,
    /// Default today.
    pub started_on: Option<NaiveDate>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LiftNoticeRequest {
    /// The day it will be lifted: after today (Art. 18(3): the person is told before).
    pub lift_on: NaiveDate,
}

async fn restriction_of(
    services: &Services,
    case: uuid::Uuid,
    id: String,
) -> AppResult<Restriction> {
    let case = case.to_string();
    services
        .db
        .read(move |conn| store::find(conn, &case, &id))
        .await?
        .map(Restriction::from)
        .ok_or(AppError::NotFound)
}

/// Restrict the processing of the person's data in one activity (Art. 18): for a restriction
/// request, or interim while an objection or a rectification is assessed.
#[utoipa::path(tag = "restrictions", params(("id" = String, Path)), request_body = RestrictionRequest,
    responses((status = 201, body = Restriction),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[post("/cases/{id}/restrictions")]
pub async fn start_restriction(
    state: web::Data<Services>,
    user: AuthUser,
    request: HttpRequest,
    request_id: RequestId,
    path: web::Path<uuid::Uuid>,
    body: JsonBody<RestrictionRequest>,
) -> AppResult<HttpResponse> {
    let case = path.into_inner();
    let b = body.value;
    let id = uuid::Uuid::now_v7().to_string();
    let command = StartRestriction {
        id: id.clone(),
        activity_id: b.activity_id,
        reason: b.reason,
        started_on: b.started_on.unwrap_or_else(|| state.clock.today()),
    };
    service::change(
        &state,
        &user,
        case_target(&request, request_id, case)?,
        command,
    )
    .await?;
    Ok(HttpResponse::Created().json(restriction_of(&state, case, id).await?))
}

/// Tell the person the restriction will be lifted, and on which day (Art. 18(3)).
#[utoipa::path(tag = "restrictions", params(("id" = String, Path), ("restriction" = String, Path)),
    request_body = LiftNoticeRequest,
    responses((status = 200, body = Restriction),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[post("/cases/{id}/restrictions/{restriction}/lift-notice")]
pub async fn lift_notice(
    state: web::Data<Services>,
    user: AuthUser,
    request: HttpRequest,
    request_id: RequestId,
    path: web::Path<(uuid::Uuid, uuid::Uuid)>,
    body: JsonBody<LiftNoticeRequest>,
) -> AppResult<HttpResponse> {
    let (case, restriction) = path.into_inner();
    let command = NotifyLifting {
        restriction_id: restriction.to_string(),
        lift_on: body.value.lift_on,
    };
    service::change(
        &state,
        &user,
        case_target(&request, request_id, case)?,
        command,
    )
    .await?;
    Ok(HttpResponse::Ok().json(restriction_of(&state, case, restriction.to_string()).await?))
}

/// Lift the restriction, on or after the day the person was told (409 `lift_not_notified`).
#[utoipa::path(tag = "restrictions", params(("id" = String, Path), ("restriction" = String, Path)),
    responses((status = 200, body = Restriction),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, body = crate::error::Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[post("/cases/{id}/restrictions/{restriction}/lift")]
pub async fn lift(
    state: web::Data<Services>,
    user: AuthUser,
    request: HttpRequest,
    request_id: RequestId,
    path: web::Path<(uuid::Uuid, uuid::Uuid)>,
) -> AppResult<HttpResponse> {
    let (case, restriction) = path.into_inner();
    let command = LiftRestriction {
        restriction_id: restriction.to_string(),
    };
    service::change(
        &state,
        &user,
        case_target(&request, request_id, case)?,
        command,
    )
    .await?;
    Ok(HttpResponse::Ok().json(restriction_of(&state, case, restriction.to_string()).await?))
}

/// The restrictions of the parts the reader sees, in force and lifted.
#[utoipa::path(tag = "restrictions", params(("id" = String, Path),
        ("Dsar-Read-Reason" = Option<String>, Header, description = "Required (else 428) for a case about a person with protected identity")),
    responses((status = 200, body = Vec<Restriction>),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 428, body = crate::error::Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[get("/cases/{id}/restrictions")]
pub async fn list_restrictions(
    state: web::Data<Services>,
    user: AuthUser,
    trail: ReadTrail,
    path: web::Path<uuid::Uuid>,
) -> AppResult<HttpResponse> {
    let visible: Vec<Restriction> = part_rows_audited(
        &state,
        &user,
        path.into_inner(),
        AuditAction::RestrictionsRead,
        &trail,
        store::of_case,
        |r| r.controller_id.as_str(),
    )
    .await?
    .into_iter()
    .map(Restriction::from)
    .collect();
    Ok(HttpResponse::Ok().json(visible))
}
