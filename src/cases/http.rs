//! Case endpoints: extract, call the capability, answer. No SQL here.

use actix_web::{get, post, web, HttpRequest, HttpResponse};
use sha2::{Digest, Sha256};
use tracing_actix_web::RequestId;

use super::access::{read_audited, visible_case};
use super::dto::{
    CasePage, CaseResponse, CreateCaseRequest, JournalEntry, ListCasesQuery, SearchCasesRequest,
};
use super::intake::NewCase;
use super::registration::{Creator, IdempotencyKey, Registration};
use super::store::{self, CaseCursor, CaseFilter, CaseOrder, CaseRecord};
use super::view::case_response;
use crate::app::AppState;
use crate::audit::{self, store::append as append_audit};
use crate::auth::{Action, AuthUser, Role};
use crate::domain::case::CaseStatus;
use crate::domain::personnummer::Personnummer;
use crate::error::{AppError, AppResult, FieldError};
use crate::http::{pagination, JsonBody};

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
    state: web::Data<AppState>,
    user: AuthUser,
    request: HttpRequest,
    request_id: RequestId,
    body: JsonBody<CreateCaseRequest>,
) -> AppResult<HttpResponse> {
    user.require(Action::CreateCase)?;
    let idempotency = idempotency_key(&request, &body.raw)?;
    let now = state.clock.now();
    let new = NewCase::parse(body.value, &user, now, &state.policy.calendar)
        .map_err(AppError::Validation)?;
    if user.has_role(Role::Handlaggare)
        && !user.may_see_all_cases()
        && !new
            .controllers
            .iter()
            .any(|c| user.controllers.iter().any(|mine| mine == c.as_str()))
    {
        return Err(AppError::forbidden(
            "A handläggare registers requests for one of their own controllers: include it in `controllers`.",
        ));
    }
    let registration = Registration {
        new,
        id: uuid::Uuid::now_v7().to_string(),
        creator: Creator {
            sub: user.sub.clone(),
            roles: user.roles_label(),
            organisation: state.settings.organisation.name.clone(),
            request_id: Some(request_id.to_string()),
        },
        now: now.naive_utc(),
        registration_year: chrono::Datelike::year(&crate::clock::local_date(now)),
        idempotency,
    };
    let outcome = state.registrar.register(registration).await?;
    let (action, record) = outcome;
    tracing::info!(case_id = %record.case.id, reference = %record.case.reference, action, "case registered");
    let response = case_response(record, &state.view_context())?;
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
    let request_hash = format!("{:x}", Sha256::digest(&canonical));
    Ok(Some(IdempotencyKey {
        key: key.to_owned(),
        request_hash,
    }))
}

/// One case.
#[utoipa::path(
    tag = "cases",
    params(("id" = String, Path, description = "The case id (UUID)")),
    responses(
        (status = 200, body = CaseResponse),
        (status = 401, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/cases/{id}")]
pub async fn get_case(
    state: web::Data<AppState>,
    user: AuthUser,
    request_id: RequestId,
    path: web::Path<uuid::Uuid>,
) -> AppResult<HttpResponse> {
    user.require(Action::ReadCase)?;
    let record = read_audited(&state, &user, path.into_inner(), "case.read", request_id).await?;
    Ok(HttpResponse::Ok().json(case_response(record, &state.view_context())?))
}

/// Writes one audit row per case read, and answers only after they are committed.
async fn audit_reads(
    state: &AppState,
    user: &AuthUser,
    action: &str,
    records: &[&CaseRecord],
    request_id: RequestId,
) -> AppResult<()> {
    let entries = audit::entries(
        user,
        action,
        records.iter().map(|r| r.case.id.as_str()),
        state.clock.now().naive_utc(),
        Some(request_id.to_string()),
    );
    if entries.is_empty() {
        return Ok(());
    }
    state
        .db
        .append(move |conn| append_audit(conn, &entries))
        .await
}

/// Cases, newest first or by deadline, with filters.
#[utoipa::path(
    tag = "cases",
    params(ListCasesQuery),
    responses(
        (status = 200, body = CasePage),
        (status = 401, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/cases")]
pub async fn list_cases(
    state: web::Data<AppState>,
    user: AuthUser,
    request_id: RequestId,
    query: crate::http::Query<ListCasesQuery>,
) -> AppResult<HttpResponse> {
    user.require(Action::ListCases)?;
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
    let scope = user.case_scope();
    if let Some(format) = query.format.as_deref() {
        if format != "csv" {
            return Err(AppError::validation(
                "format",
                "unknown_value",
                "format is `csv` (or omit it for JSON).",
            ));
        }
        return export_csv(&state, &user, filter, scope, order, request_id).await;
    }
    let mut records = state
        .db
        .read(move |conn| {
            store::list_cases(conn, &filter, &scope, order, after.as_ref(), limit + 1)
        })
        .await?;
    let has_more = records.len() as i64 > limit;
    records.truncate(limit as usize);
    let next_cursor = match (has_more, records.last()) {
        (true, Some(last)) => Some(pagination::encode_cursor(&cursor_after(order, last))),
        _ => None,
    };
    audit_reads(
        &state,
        &user,
        "case.list",
        &records.iter().collect::<Vec<_>>(),
        request_id,
    )
    .await?;
    let items = records
        .into_iter()
        .map(|r| case_response(r, &context))
        .collect::<AppResult<Vec<_>>>()?;
    Ok(HttpResponse::Ok().json(CasePage { items, next_cursor }))
}

fn cursor_after(order: CaseOrder, last: &CaseRecord) -> CaseCursor {
    match order {
        CaseOrder::NewestFirst => CaseCursor::Created(last.case.created_at, last.case.id.clone()),
        CaseOrder::DeadlineFirst => {
            CaseCursor::Deadline(last.case.effective_deadline, last.case.id.clone())
        }
    }
}

/// Every matching case as CSV for Excel. The file carries no personal data, so the export is
/// audited as one entry with the number of cases rather than one read per case.
async fn export_csv(
    state: &AppState,
    user: &AuthUser,
    filter: CaseFilter,
    scope: crate::auth::CaseScope,
    order: CaseOrder,
    request_id: RequestId,
) -> AppResult<HttpResponse> {
    const PAGE: i64 = 1000;
    let records = state
        .db
        .read(move |conn| {
            let mut all = Vec::new();
            let mut after = None;
            loop {
                let page = store::list_cases(conn, &filter, &scope, order, after.as_ref(), PAGE)?;
                let done = (page.len() as i64) < PAGE;
                after = page.last().map(|last| cursor_after(order, last));
                all.extend(page);
                if done {
                    return Ok(all);
                }
            }
        })
        .await?;
    let context = state.view_context();
    let count = records.len();
    let cases = records
        .into_iter()
        .map(|r| case_response(r, &context))
        .collect::<AppResult<Vec<_>>>()?;
    let entry = audit::AuditEntry {
        at: state.clock.now().naive_utc(),
        actor: user.sub.clone(),
        roles: user.roles_label(),
        action: format!("case.export_csv:{count}"),
        case_id: None,
        request_id: Some(request_id.to_string()),
    };
    state
        .db
        .append(move |conn| append_audit(conn, &[entry]))
        .await?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            "Content-Disposition",
            "attachment; filename=\"arenden.csv\"",
        ))
        .body(super::csv::render(&cases)))
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
    state: web::Data<AppState>,
    user: AuthUser,
    request_id: RequestId,
    body: JsonBody<SearchCasesRequest>,
) -> AppResult<HttpResponse> {
    user.require(Action::SearchCases)?;
    let context = state.view_context();
    let personnummer = Personnummer::parse(&body.value.personnummer, context.today)
        .map_err(|e| AppError::validation("personnummer", e.code(), e.to_string()))?
        .normalized();
    let scope = user.case_scope();
    let records: Vec<CaseRecord> = state
        .db
        .read(move |conn| store::cases_of_person(conn, &personnummer))
        .await?
        .into_iter()
        .filter(|r| scope.allows(&r.controller_ids(), &r.case.created_by))
        .collect();
    audit_reads(
        &state,
        &user,
        "case.search",
        &records.iter().collect::<Vec<_>>(),
        request_id,
    )
    .await?;
    let items = records
        .into_iter()
        .map(|r| case_response(r, &context))
        .collect::<AppResult<Vec<_>>>()?;
    Ok(HttpResponse::Ok().json(CasePage {
        items,
        next_cursor: None,
    }))
}

/// The case's events, oldest first.
#[utoipa::path(
    tag = "cases",
    params(("id" = String, Path, description = "The case id (UUID)")),
    responses(
        (status = 200, body = Vec<JournalEntry>),
        (status = 401, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/cases/{id}/journal")]
pub async fn case_journal(
    state: web::Data<AppState>,
    user: AuthUser,
    request_id: RequestId,
    path: web::Path<uuid::Uuid>,
) -> AppResult<HttpResponse> {
    user.require(Action::ReadJournal)?;
    let record = visible_case(&state, &user, path.into_inner()).await?;
    let case_id = record.case.id.clone();
    let events = state
        .db
        .read(move |conn| store::journal(conn, &case_id))
        .await?;
    audit_reads(&state, &user, "case.journal", &[&record], request_id).await?;
    let entries: Vec<JournalEntry> = events
        .into_iter()
        .map(|e| JournalEntry {
            at: chrono::TimeZone::from_utc_datetime(&chrono::Utc, &e.at),
            actor: e.actor,
            roles: e.roles,
            event: e.event,
            data: serde_json::from_str(&e.data).unwrap_or(serde_json::Value::Null),
        })
        .collect();
    Ok(HttpResponse::Ok().json(entries))
}
