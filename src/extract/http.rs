//! Candidates, findings with the secrecy review, and the extract (JSON and PDF): request ->
//! command -> `extract::service` -> response.

use actix_web::{get, post, put, web, HttpRequest, HttpResponse};
use serde::Deserialize;
use tracing_actix_web::RequestId;
use utoipa::ToSchema;

use super::document::Extract;
use super::service::{self, CompileExtract, RecordFinding, Secrecy};
use super::views::CandidateView;
use crate::auth::AuthUser;
use crate::cases::access::ReadTrail;
use crate::cases::dto::CaseResponse;
use crate::casework::http::{case_target, run};
use crate::error::{AppError, AppResult};
use crate::http::JsonBody;
use crate::services::Services;

/// Activities of the case's controllers that may concern the person, ranked, each with why.
#[utoipa::path(tag = "extract", params(("id" = String, Path), ("Dsar-Read-Reason" = Option<String>, Header, description = "Why you read the case; required (else 428) for a case about a person with protected identity, kept in the audit log")), responses((status = 200, body = Vec<CandidateView>), (status = 403, body = crate::error::Problem, content_type = "application/problem+json"), (status = 404, body = crate::error::Problem, content_type = "application/problem+json"), (status = 428, body = crate::error::Problem, content_type = "application/problem+json", description = "read_reason_required")), security(("bearer" = [])))]
#[get("/cases/{id}/candidates")]
pub async fn case_candidates(
    state: web::Data<Services>,
    user: AuthUser,
    trail: ReadTrail,
    path: web::Path<uuid::Uuid>,
) -> AppResult<HttpResponse> {
    let views = service::case_candidates(&state, &user, path.into_inner(), &trail).await?;
    Ok(HttpResponse::Ok().json(views))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FindingRequest {
    /// Whether the person appears in this activity.
    pub found: bool,
    /// What was found (the copy of the data, Art. 15(3)).
    pub data: Option<String>,
    /// The secrecy review: `release` or `withhold`.
    pub secrecy: Option<String>,
    /// The OSL provision for a withheld finding, e.g. "OSL 26 kap. 1 §".
    pub secrecy_reference: Option<String>,
    /// For a guardian's request: whether secrecy towards the guardian (OSL 12 kap. 3 §) was
    /// considered. Required to release a finding to a guardian.
    pub guardian_secrecy_considered: Option<bool>,
}

/// Record what was found in an activity and the secrecy review of it.
#[utoipa::path(tag = "extract", params(("id" = String, Path), ("activity_id" = String, Path)), request_body = FindingRequest, responses((status = 200, body = CaseResponse), (status = 403, body = crate::error::Problem, content_type = "application/problem+json"), (status = 422, body = crate::error::Problem, content_type = "application/problem+json")), security(("bearer" = [])))]
#[put("/cases/{id}/findings/{activity_id}")]
pub async fn record_finding(
    state: web::Data<Services>,
    user: AuthUser,
    request: HttpRequest,
    request_id: RequestId,
    path: web::Path<(uuid::Uuid, String)>,
    body: JsonBody<FindingRequest>,
) -> AppResult<HttpResponse> {
    let (id, activity_id) = path.into_inner();
    let command = finding_command(activity_id, body.value)?;
    let target = case_target(&request, request_id, id)?;
    let case = run(&state, &user, target, command).await?;
    Ok(HttpResponse::Ok().json(case))
}

/// The request as a command, or every reason it is not one.
fn finding_command(activity_id: String, b: FindingRequest) -> AppResult<RecordFinding> {
    let secrecy = match b.secrecy.as_deref() {
        None | Some("release") => Secrecy::Release,
        Some("withhold") => Secrecy::Withhold,
        Some(_) => {
            return Err(AppError::validation(
                "secrecy",
                "unknown_value",
                "secrecy is `release` or `withhold`.",
            ))
        }
    };
    let data = b
        .data
        .map(|d| d.trim().to_owned())
        .filter(|d| !d.is_empty());
    if b.found && data.is_none() {
        return Err(AppError::validation(
            "data",
            "required",
            "Say what was found about the person.",
        ));
    }
    let secrecy_reference = b
        .secrecy_reference
        .map(|r| r.trim().to_owned())
        .filter(|r| !r.is_empty());
    if b.found && secrecy == Secrecy::Withhold && secrecy_reference.is_none() {
        return Err(AppError::validation(
            "secrecy_reference",
            "required",
            "A withheld finding needs the provision of offentlighets- och sekretesslagen, e.g. \"OSL 26 kap. 1 §\".",
        ));
    }
    Ok(RecordFinding {
        activity_id,
        found: b.found,
        data,
        secrecy,
        secrecy_reference,
        guardian_secrecy_considered: b.guardian_secrecy_considered.unwrap_or(false),
    })
}

/// Compile the extract from the released findings (409 while an identity is unverified).
#[utoipa::path(tag = "extract", params(("id" = String, Path)), responses((status = 201, body = Extract), (status = 409, body = crate::error::Problem, content_type = "application/problem+json")), security(("bearer" = [])))]
#[post("/cases/{id}/extract")]
pub async fn compile_extract(
    state: web::Data<Services>,
    user: AuthUser,
    request: HttpRequest,
    request_id: RequestId,
    path: web::Path<uuid::Uuid>,
) -> AppResult<HttpResponse> {
    let target = case_target(&request, request_id, path.into_inner())?;
    let command = CompileExtract {
        organisation: state.settings.organisation.clone(),
    };
    let extract = service::compile_extract(&state, &user, target, command).await?;
    Ok(HttpResponse::Created().json(extract))
}

fn pdf_response(bytes: Vec<u8>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/pdf")
        .insert_header((
            "Content-Disposition",
            "inline; filename=\"registerutdrag.pdf\"",
        ))
        .body(bytes)
}

fn wants_pdf(request: &HttpRequest) -> bool {
    request
        .headers()
        .get("accept")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("application/pdf"))
}

/// The extract as JSON, or as the Swedish PDF letter with `Accept: application/pdf`.
#[utoipa::path(tag = "extract", params(("id" = String, Path), ("Dsar-Read-Reason" = Option<String>, Header, description = "Why you read the case; required (else 428) for a case about a person with protected identity, kept in the audit log")), responses((status = 200, body = Extract), (status = 403, body = crate::error::Problem, content_type = "application/problem+json"), (status = 404, body = crate::error::Problem, content_type = "application/problem+json"), (status = 428, body = crate::error::Problem, content_type = "application/problem+json", description = "read_reason_required")), security(("bearer" = [])))]
#[get("/cases/{id}/extract")]
pub async fn get_extract(
    state: web::Data<Services>,
    user: AuthUser,
    request: HttpRequest,
    trail: ReadTrail,
    path: web::Path<uuid::Uuid>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    if wants_pdf(&request) {
        let bytes = service::extract_letter(&state, &user, id, &trail).await?;
        return Ok(pdf_response(bytes));
    }
    let extract = service::read_extract(&state, &user, id, &trail).await?;
    Ok(HttpResponse::Ok().json(extract))
}

/// The extract as the Swedish PDF letter.
#[utoipa::path(tag = "extract", params(("id" = String, Path), ("Dsar-Read-Reason" = Option<String>, Header, description = "Why you read the case; required (else 428) for a case about a person with protected identity, kept in the audit log")), responses((status = 200, content_type = "application/pdf", description = "The letter"), (status = 403, body = crate::error::Problem, content_type = "application/problem+json"), (status = 404, body = crate::error::Problem, content_type = "application/problem+json"), (status = 428, body = crate::error::Problem, content_type = "application/problem+json", description = "read_reason_required")), security(("bearer" = [])))]
#[get("/cases/{id}/extract.pdf")]
pub async fn get_extract_pdf(
    state: web::Data<Services>,
    user: AuthUser,
    trail: ReadTrail,
    path: web::Path<uuid::Uuid>,
) -> AppResult<HttpResponse> {
    let bytes = service::extract_letter(&state, &user, path.into_inner(), &trail).await?;
    Ok(pdf_response(bytes))
}

/// The data for a portability request (Art. 20): released findings of activities processed on
/// consent or contract, as JSON, or as CSV with `?format=csv`.
#[utoipa::path(
    tag = "extract",
    params(
        ("id" = String, Path),
        ("format" = Option<String>, Query, description = "`csv` for CSV; JSON otherwise"),
        ("Dsar-Read-Reason" = Option<String>, Header, description = "Required (else 428) for a case about a person with protected identity"),
    ),
    responses(
        (status = 200, body = Vec<super::portability::PortableItem>),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, body = crate::error::Problem, content_type = "application/problem+json", description = "not_a_portability_request"),
        (status = 428, body = crate::error::Problem, content_type = "application/problem+json", description = "read_reason_required"),
    ),
    security(("bearer" = []))
)]
#[get("/cases/{id}/portability")]
pub async fn portability(
    state: web::Data<Services>,
    user: AuthUser,
    request: HttpRequest,
    trail: ReadTrail,
    path: web::Path<uuid::Uuid>,
) -> AppResult<HttpResponse> {
    let items = service::portable_data(&state, &user, path.into_inner(), &trail).await?;
    if request.query_string().split('&').any(|p| p == "format=csv") {
        let bytes = super::portability::csv(&items).map_err(AppError::internal)?;
        return Ok(HttpResponse::Ok()
            .content_type("text/csv; charset=utf-8")
            .insert_header((
                "Content-Disposition",
                "attachment; filename=\"dataportabilitet.csv\"",
            ))
            .body(bytes));
    }
    Ok(HttpResponse::Ok().json(items))
}
