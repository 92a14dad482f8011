//! Appeal endpoints: `POST /cases/{id}/appeals`, `POST /cases/{id}/appeals/{appeal}/forwarding`,
//! `GET /cases/{id}/appeals`.

use actix_web::{get, post, web, HttpRequest, HttpResponse};
use chrono::NaiveDate;
use serde::Deserialize;
use tracing_actix_web::RequestId;
use utoipa::ToSchema;

use super::actions::{ForwardAppeal, ReceiveAppeal, Reconsider};
use super::store::{self, Appeal};
use crate::audit::AuditAction;
use crate::auth::AuthUser;
use crate::cases::access::{part_rows_audited, ReadTrail};
use crate::casework::http::case_target;
use crate::casework::service;
use crate::domain::names::ControllerId;
use crate::error::{AppError, AppResult};
use crate::http::JsonBody;
use crate::services::Services;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AppealRequest {
    /// The controller whose decision is appealed.
    pub controller: String,
    /// The day the appeal reached the nämnd.
    pub received_on: NaiveDate,
    /// The day the person was notified of the decision. Default: the day recorded on the
    /// decision letter (`POST /letters/{id}/received`), else the day the e-mail carrying it was
    /// sent. When no day can be shown the appeal is in time (`notified_from: unknown`).
    pub notified_on: Option<NaiveDate>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ForwardingRequest {
    /// Default today.
    pub forwarded_on: Option<NaiveDate>,
    /// The documents sent with the appeal, e.g. `Överklagande`, `Beslut`, `Utredning`.
    pub documents: Vec<String>,
}

async fn appeal_of(services: &Services, case_id: uuid::Uuid, id: String) -> AppResult<Appeal> {
    let case_id = case_id.to_string();
    services
        .db
        .read(move |conn| store::find(conn, &case_id, &id))
        .await?
        .map(Appeal::from)
        .ok_or(AppError::NotFound)
}

/// An appeal of a decision arrived: tried for time against the day of notification (three
/// weeks, förvaltningslagen 44-45 §§). One in time is `pending`; a late one `rejected_late`.
#[utoipa::path(
    tag = "appeals",
    params(("id" = String, Path, description = "The case id")),
    request_body = AppealRequest,
    responses(
        (status = 201, body = Appeal),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/cases/{id}/appeals")]
pub async fn receive_appeal(
    state: web::Data<Services>,
    user: AuthUser,
    request: HttpRequest,
    request_id: RequestId,
    path: web::Path<uuid::Uuid>,
    body: JsonBody<AppealRequest>,
) -> AppResult<HttpResponse> {
    let case_id = path.into_inner();
    let b = body.value;
    let controller = ControllerId::parse(b.controller.trim())
        .map_err(|message| AppError::validation("controller", "invalid_controller", message))?;
    let id = uuid::Uuid::now_v7().to_string();
    let command = ReceiveAppeal {
        id: id.clone(),
        controller,
        received_on: b.received_on,
        notified_on: b.notified_on,
    };
    let target = case_target(&request, request_id, case_id)?;
    service::change(&state, &user, target, command).await?;
    Ok(HttpResponse::Created().json(appeal_of(&state, case_id, id).await?))
}

/// An appeal in time is sent to förvaltningsrätten with the documents (förvaltningslagen 46 §).
#[utoipa::path(
    tag = "appeals",
    params(
        ("id" = String, Path, description = "The case id"),
        ("appeal" = String, Path, description = "The appeal id"),
    ),
    request_body = ForwardingRequest,
    responses(
        (status = 200, body = Appeal),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, body = crate::error::Problem, content_type = "application/problem+json", description = "appeal_not_pending"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/cases/{id}/appeals/{appeal}/forwarding")]
pub async fn forward_appeal(
    state: web::Data<Services>,
    user: AuthUser,
    request: HttpRequest,
    request_id: RequestId,
    path: web::Path<(uuid::Uuid, uuid::Uuid)>,
    body: JsonBody<ForwardingRequest>,
) -> AppResult<HttpResponse> {
    let (case_id, appeal_id) = path.into_inner();
    let b = body.value;
    let command = ForwardAppeal {
        appeal_id: appeal_id.to_string(),
        forwarded_on: b.forwarded_on.unwrap_or_else(|| state.clock.today()),
        documents: b.documents,
    };
    let target = case_target(&request, request_id, case_id)?;
    service::change(&state, &user, target, command).await?;
    Ok(HttpResponse::Ok().json(appeal_of(&state, case_id, appeal_id.to_string()).await?))
}

/// The appeals of the case's parts the reader may see.
#[utoipa::path(
    tag = "appeals",
    params(
        ("id" = String, Path, description = "The case id"),
        ("Dsar-Read-Reason" = Option<String>, Header, description = "Required (else 428) for a case about a person with protected identity"),
    ),
    responses(
        (status = 200, body = Vec<Appeal>),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 428, body = crate::error::Problem, content_type = "application/problem+json", description = "read_reason_required"),
    ),
    security(("bearer" = []))
)]
#[get("/cases/{id}/appeals")]
pub async fn list_appeals(
    state: web::Data<Services>,
    user: AuthUser,
    trail: ReadTrail,
    path: web::Path<uuid::Uuid>,
) -> AppResult<HttpResponse> {
    let appeals: Vec<Appeal> = part_rows_audited(
        &state,
        &user,
        path.into_inner(),
        AuditAction::AppealsRead,
        &trail,
        store::of_case,
        |a| a.controller_id.as_str(),
    )
    .await?
    .into_iter()
    .map(Appeal::from)
    .collect();
    Ok(HttpResponse::Ok().json(appeals))
}

/// Omprövning (förvaltningslagen 39 §): the nämnd changes the appealed decision. The body is a
/// decision as for `POST /cases/{id}/decisions`; the old decision is kept. Granted in full, the
/// appeal lapses (`reconsidered`); otherwise it stays `pending` and goes on to the court.
#[utoipa::path(
    tag = "appeals",
    params(
        ("id" = String, Path, description = "The case id"),
        ("appeal" = String, Path, description = "The appeal id"),
    ),
    request_body = crate::casework::dto::DecisionRequest,
    responses(
        (status = 200, body = crate::cases::dto::CaseResponse),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, body = crate::error::Problem, content_type = "application/problem+json", description = "appeal_not_pending"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/cases/{id}/appeals/{appeal}/reconsideration")]
pub async fn reconsider(
    state: web::Data<Services>,
    user: AuthUser,
    request: HttpRequest,
    request_id: RequestId,
    path: web::Path<(uuid::Uuid, uuid::Uuid)>,
    body: JsonBody<crate::casework::dto::DecisionRequest>,
) -> AppResult<HttpResponse> {
    let (case_id, appeal_id) = path.into_inner();
    let decision = crate::casework::http::decide_command(body.value)?;
    let command = Reconsider {
        appeal_id: appeal_id.to_string(),
        decision,
    };
    let target = case_target(&request, request_id, case_id)?;
    let record = service::change(&state, &user, target, command).await?;
    Ok(HttpResponse::Ok().json(crate::cases::view::case_response(
        record,
        &state.view_context(),
    )))
}
