//! Case endpoints: request -> command -> `cases::service` -> response.

use actix_web::{get, post, web, HttpRequest, HttpResponse};
use futures_util::StreamExt;
use tracing_actix_web::RequestId;

use super::access::ReadTrail;
use super::dto::{
    CasePage, CaseResponse, CaseStatusPage, CitizenCasesRequest, CreateCaseRequest, JournalEntry,
    ListCasesQuery, SearchCasesRequest,
};
use super::registrar::Registrar;
use super::registration::IdempotencyKey;
use super::service::{self, ListCases, RegisterCase};
use super::store::{CaseCursor, CaseFilter, CaseOrder};
use super::view::{case_response, status_view};
use crate::audit::AuditAction;
use crate::auth::AuthUser;
use crate::domain::case::CaseStatus;
use crate::error::{AppError, AppResult, FieldError};
use crate::http::{pagination, JsonBody};
use crate::services::Services;

const IDEMPOTENCY_HEADER: &str = "Idempotency-Key";

/// Register a request (e-tjänst, Kontaktcenter, handläggare, admin).
#[utoipa::path(
    tag = "cases",
    request_body = CreateCaseRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "Retries with the same key and body return the first case")),
    responses(
        (status = 201, body = CaseResponse, description = "The case was registered (or, for a retried Idempotency-Key, had been)"),
        (status = 400, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 401, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 413, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/cases")]
pub async fn create_case(
    state: web::Data<Services>,
    registrar: web::Data<Registrar>,
    user: AuthUser,
    request: HttpRequest,
    request_id: RequestId,
    body: JsonBody<CreateCaseRequest>,
) -> AppResult<HttpResponse> {
    let command = RegisterCase {
        idempotency: idempotency_key(&request, &body.raw)?,
        request: body.value,
        request_id: Some(request_id.to_string()),
    };
    let (_, record) = service::register(&state, &registrar, &user, command).await?;
    let response = case_response(record, &state.view_context());
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/cases/{}", response.id)))
        .json(response))
}

fn idempotency_key(
    request: &HttpRequest,
    raw: &serde_json::Value,
) -> AppResult<Option<IdempotencyKey>> {
    let Some(value) = request.headers().get(IDEMPOTENCY_HEADER) else {
        return Ok(None);
    };
    let key = value
        .to_str()
        .ok()
        .map(str::trim)
        .filter(|k| !k.is_empty() && k.len() <= 200)
        .ok_or_else(|| {
            AppError::validation(
                IDEMPOTENCY_HEADER,
                "invalid",
                "An Idempotency-Key is 1-200 visible characters.",
            )
        })?;
    // serde_json's maps are sorted, so the same JSON in another key order hashes the same.
    let canonical = serde_json::to_vec(raw).map_err(AppError::internal)?;
    let request_hash = crate::db::BlindIndex::of_request(&canonical)?;
    Ok(Some(IdempotencyKey {
        key: key.to_owned(),
        request_hash,
    }))
}

/// One case.
#[utoipa::path(
    tag = "cases",
    params(("id" = String, Path, description = "The case id (UUID)"), ("Dsar-Read-Reason" = Option<String>, Header, description = "Why you read the case; required (else 428) for a case about a person with protected identity, kept in the audit log")),
    responses(
        (status = 200, body = CaseResponse),
        (status = 401, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 428, body = crate::error::Problem, content_type = "application/problem+json", description = "read_reason_required"),
    ),
    security(("bearer" = []))
)]
#[get("/cases/{id}")]
pub async fn get_case(
    state: web::Data<Services>,
    user: AuthUser,
    trail: ReadTrail,
    path: web::Path<uuid::Uuid>,
) -> AppResult<HttpResponse> {
    let record =
        service::read_case(&state, &user, path.into_inner(), AuditAction::Read, &trail).await?;
    Ok(HttpResponse::Ok().json(case_response(record, &state.view_context())))
}

/// The case's documents as allmänna handlingar, with their dates: the request, the identity
/// evidence, the decisions, the letters, the extract and the appeals (OSL 5 kap. 1 §).
#[utoipa::path(
    tag = "cases",
    params(
        ("id" = String, Path, description = "The case id (UUID)"),
        ("Dsar-Read-Reason" = Option<String>, Header, description = "Required (else 428) for a case about a person with protected identity"),
    ),
    responses(
        (status = 200, body = Vec<super::documents::CaseDocument>),
        (status = 401, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 428, body = crate::error::Problem, content_type = "application/problem+json", description = "read_reason_required"),
    ),
    security(("bearer" = []))
)]
#[get("/cases/{id}/documents")]
pub async fn case_documents(
    state: web::Data<Services>,
    user: AuthUser,
    trail: ReadTrail,
    path: web::Path<uuid::Uuid>,
) -> AppResult<HttpResponse> {
    let documents = super::documents::documents(&state, &user, path.into_inner(), &trail).await?;
    Ok(HttpResponse::Ok().json(documents))
}

/// Cases, newest first or by deadline, with filters.
#[utoipa::path(
    tag = "cases",
    params(ListCasesQuery),
    responses(
        (status = 200, body = CasePage),
        (status = 401, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/cases")]
pub async fn list_cases(
    state: web::Data<Services>,
    user: AuthUser,
    request_id: RequestId,
    query: crate::http::Query<ListCasesQuery>,
) -> AppResult<HttpResponse> {
    let query = query.into_inner();
    let limit = pagination::limit(query.limit)?;
    let context = state.view_context();
    let today = context.today;
    let order = match query.sort.as_deref() {
        None | Some("newest") => CaseOrder::NewestFirst,
        Some("deadline") => CaseOrder::DeadlineFirst,
        Some(_) => {
            return Err(AppError::validation(
                "sort",
                "unknown_value",
                "sort is `deadline` or `newest`.",
            ));
        }
    };
    let after: Option<CaseCursor> = query
        .cursor
        .as_deref()
        .map(pagination::decode_cursor)
        .transpose()?;
    let filter = CaseFilter {
        statuses: parse_statuses(query.status.as_deref())?,
        kind: query.kind,
        controller: query.controller,
        overdue_on: query.overdue.unwrap_or(false).then_some(today),
        due_before: query.due_before,
        due_from: None,
        extended: query.extended,
        by_adjusted_deadline: state.policy.pause_while_awaiting_identity,
    };
    let request_id = Some(request_id.to_string());
    if let Some(format) = query.format.as_deref() {
        if format != "csv" {
            return Err(AppError::validation(
                "format",
                "unknown_value",
                "format is `csv` (or omit it for JSON).",
            ));
        }
        let pages = service::export_cases(state.clone(), user, filter, order, request_id)?;
        let header = futures_util::stream::once(async {
            Ok::<_, AppError>(web::Bytes::from(super::csv::header()))
        });
        let rows = pages.map(move |page| {
            page.map(|records| {
                let cases: Vec<_> = records
                    .into_iter()
                    .map(|r| case_response(r, &context))
                    .collect();
                web::Bytes::from(super::csv::rows(&cases))
            })
        });
        return Ok(HttpResponse::Ok()
            .content_type("text/csv; charset=utf-8")
            .insert_header((
                "Content-Disposition",
                "attachment; filename=\"arenden.csv\"",
            ))
            .streaming(header.chain(rows)));
    }
    let query = ListCases {
        filter,
        order,
        after,
        limit,
    };
    let page = service::list_cases(&state, &user, query, request_id).await?;
    let next_cursor = page.next.as_ref().map(pagination::encode_cursor);
    let items = page
        .records
        .into_iter()
        .map(|r| case_response(r, &context))
        .collect::<Vec<_>>();
    Ok(HttpResponse::Ok().json(CasePage { items, next_cursor }))
}

fn parse_statuses(text: Option<&str>) -> AppResult<Vec<CaseStatus>> {
    let Some(text) = text else {
        return Ok(Vec::new());
    };
    text.split(',')
        .map(|s| {
            CaseStatus::parse(s.trim()).ok_or_else(|| {
                AppError::Validation(vec![FieldError::new(
                    "status",
                    "unknown_value",
                    "status is one or more of received, in_progress, decided, closed, withdrawn.",
                )])
            })
        })
        .collect()
}

/// All cases of one person (repeat requests, Art. 12(5)); the personnummer goes in the body, never the URL.
#[utoipa::path(
    tag = "cases",
    request_body = SearchCasesRequest,
    responses(
        (status = 200, body = CasePage),
        (status = 401, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/cases/search")]
pub async fn search_cases(
    state: web::Data<Services>,
    user: AuthUser,
    request_id: RequestId,
    body: JsonBody<SearchCasesRequest>,
) -> AppResult<HttpResponse> {
    let context = state.view_context();
    let request_id = Some(request_id.to_string());
    let person = match body.value {
        SearchCasesRequest {
            personnummer: Some(number),
            other_identifier: None,
        } => service::PersonQuery::Personnummer(number),
        SearchCasesRequest {
            personnummer: None,
            other_identifier: Some(identifier),
        } => service::PersonQuery::OtherIdentifier(identifier),
        _ => {
            return Err(AppError::validation(
                "personnummer",
                "one_of",
                "Search by `personnummer` or by `other_identifier`: give exactly one.",
            ))
        }
    };
    let records = service::search_cases(&state, &user, person, request_id).await?;
    let items = records
        .into_iter()
        .map(|r| case_response(r, &context))
        .collect::<Vec<_>>();
    Ok(HttpResponse::Ok().json(CasePage {
        items,
        next_cursor: None,
    }))
}

/// The e-tjänst's status view of the logged-in citizen's own cases (as subject or
/// representative); the number goes in the body, never the URL. A number with no cases answers
/// an empty list.
#[utoipa::path(
    tag = "cases",
    request_body = CitizenCasesRequest,
    responses(
        (status = 200, body = CaseStatusPage),
        (status = 400, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 401, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/citizen/cases")]
pub async fn citizen_cases(
    state: web::Data<Services>,
    user: AuthUser,
    request_id: RequestId,
    body: JsonBody<CitizenCasesRequest>,
) -> AppResult<HttpResponse> {
    let request = body.value;
    let records = service::citizen_cases(
        &state,
        &user,
        &request.personnummer,
        request.reference.clone(),
        Some(request_id.to_string()),
    )
    .await?;
    let items = records.iter().map(status_view).collect();
    Ok(HttpResponse::Ok().json(CaseStatusPage { items }))
}

/// The case's events, oldest first.
#[utoipa::path(
    tag = "cases",
    params(("id" = String, Path, description = "The case id (UUID)"), ("Dsar-Read-Reason" = Option<String>, Header, description = "Why you read the case; required (else 428) for a case about a person with protected identity, kept in the audit log")),
    responses(
        (status = 200, body = Vec<JournalEntry>),
        (status = 401, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 428, body = crate::error::Problem, content_type = "application/problem+json", description = "read_reason_required"),
    ),
    security(("bearer" = []))
)]
#[get("/cases/{id}/journal")]
pub async fn case_journal(
    state: web::Data<Services>,
    user: AuthUser,
    trail: ReadTrail,
    path: web::Path<uuid::Uuid>,
) -> AppResult<HttpResponse> {
    let events = service::journal(&state, &user, path.into_inner(), &trail).await?;
    let entries: Vec<JournalEntry> = events
        .into_iter()
        .map(|e| JournalEntry {
            at: chrono::TimeZone::from_utc_datetime(&chrono::Utc, &e.at),
            actor: e.actor,
            roles: e.roles,
            event: e.event,
            data: e.data.into_inner(),
        })
        .collect();
    Ok(HttpResponse::Ok().json(entries))
}
