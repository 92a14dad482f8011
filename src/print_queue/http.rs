//! The print queue: `GET /letters?status=to_print`, `GET /letters/{id}.pdf`,
//! `POST /letters/{id}/posted`, `POST /letters/{id}/received`.

use actix_web::{get, post, web, HttpRequest, HttpResponse};
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use tracing_actix_web::RequestId;
use utoipa::{IntoParams, ToSchema};

use super::actions::{MarkPosted, MarkReceived};
use super::render::{letter, Letterhead};
use super::store::{self, LetterRow};
use super::{LetterStatus, ReceiptEvidence};
use crate::audit::{self, AuditAction};
use crate::auth::{Action, AuthUser};
use crate::cases::access::{read_audited, ReadTrail};
use crate::casework::http::case_target;
use crate::casework::service;
use crate::error::{AppError, AppResult};
use crate::http::{JsonBody, Query};
use crate::services::Services;

/// A letter to the person, as the print queue lists it (no address: that is in the PDF).
#[derive(Debug, Serialize, ToSchema)]
pub struct LetterView {
    pub id: String,
    pub case_id: String,
    pub reference: String,
    /// The nämnd whose letter it is; none for the case's own (the receipt, an extension).
    pub controller: Option<String>,
    /// Which message: `receipt`, `identity_request`, `extension_notice`, `decision_notice`.
    pub template: String,
    pub status: LetterStatus,
    pub created_at: DateTime<Utc>,
    pub posted_on: Option<NaiveDate>,
    pub registered_number: Option<String>,
    /// The day the person received it, when recorded: for a decision letter the day the three
    /// weeks for an appeal count from.
    pub received_on: Option<NaiveDate>,
    pub receipt_evidence: Option<ReceiptEvidence>,
}

impl LetterView {
    fn of(row: LetterRow, reference: String) -> Self {
        LetterView {
            id: row.id,
            case_id: row.case_id,
            reference,
            controller: row.controller_id,
            template: row.template.as_str().to_owned(),
            status: row.status,
            created_at: Utc.from_utc_datetime(&row.created_at),
            posted_on: row.posted_on,
            registered_number: row.registered_number,
            received_on: row.notified_on,
            receipt_evidence: row.notified_evidence,
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LettersQuery {
    /// `to_print` (the print queue), `emailed` or `posted`; all when left out.
    pub status: Option<LetterStatus>,
    /// At most this many letters (1-500, default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    /// The `next_cursor` of the page before.
    pub cursor: Option<String>,
}

/// One page of letters, oldest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct LetterPage {
    pub items: Vec<LetterView>,
    /// Pass as `?cursor=` for the next page; null on the last page.
    pub next_cursor: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PostedRequest {
    /// Default today.
    pub posted_on: Option<NaiveDate>,
    /// The number of a rekommenderat brev.
    pub registered_number: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReceivedRequest {
    /// The day the person received the letter. Default today.
    pub received_on: Option<NaiveDate>,
    /// How that day is known.
    pub evidence: ReceiptEvidence,
}

/// The letters of the cases and parts the user works on, oldest first.
#[utoipa::path(
    tag = "letters",
    params(LettersQuery),
    responses(
        (status = 200, body = LetterPage),
        (status = 401, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json", description = "limit or cursor"),
    ),
    security(("bearer" = []))
)]
#[get("/letters")]
pub async fn list_letters(
    state: web::Data<Services>,
    user: AuthUser,
    request_id: RequestId,
    query: Query<LettersQuery>,
) -> AppResult<HttpResponse> {
    user.require(Action::PrintLetters)?;
    let query = query.into_inner();
    let status = query.status;
    let limit = crate::http::pagination::limit(query.limit)?;
    let after: Option<(chrono::NaiveDateTime, String)> = query
        .cursor
        .as_deref()
        .map(crate::http::pagination::decode_cursor)
        .transpose()?;
    // A handläggare prints the letters of their own nämnders' parts, and the case's own
    // letters (receipt, extension) of cases they have a part of; an administrator all.
    let mine = (!user.has_role(crate::auth::Role::Admin)).then(|| user.controllers.clone());
    let rows = state
        .db
        .read(move |conn| store::list(conn, status, mine.as_deref(), after, limit + 1))
        .await?;
    let more = rows.len() as i64 > limit;
    let rows: Vec<_> = rows.into_iter().take(limit as usize).collect();
    let next_cursor = more
        .then(|| rows.last())
        .flatten()
        .map(|(row, _)| crate::http::pagination::encode_cursor(&(row.created_at, &row.id)));
    let views: Vec<LetterView> = rows
        .into_iter()
        .map(|(row, reference)| LetterView::of(row, reference))
        .collect();
    let entry = audit::entry(
        &user,
        AuditAction::LettersListed,
        "",
        state.clock.now().naive_utc(),
        Some(request_id.to_string()),
    );
    let ids: Vec<&str> = views.iter().map(|v| v.case_id.as_str()).collect();
    let entry = audit::AuditEntry {
        case_id: None,
        case_ids: (!ids.is_empty()).then(|| ids.join(" ")),
        ..entry
    };
    audit::service::append(&state, entry).await?;
    Ok(HttpResponse::Ok().json(LetterPage {
        items: views,
        next_cursor,
    }))
}

/// The letter as the PDF to print: the nämnd's letterhead, the date, the reference, the
/// handläggare, the person's address (or Skatteverket's förmedlingsuppdrag), the message.
#[utoipa::path(
    tag = "letters",
    params(
        ("id" = String, Path, description = "The letter id"),
        ("Dsar-Read-Reason" = Option<String>, Header, description = "Required (else 428) for a case about a person with protected identity"),
    ),
    responses(
        (status = 200, content_type = "application/pdf", description = "The letter"),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 428, body = crate::error::Problem, content_type = "application/problem+json", description = "read_reason_required"),
    ),
    security(("bearer" = []))
)]
#[get("/letters/{id}.pdf")]
pub async fn letter_pdf(
    state: web::Data<Services>,
    user: AuthUser,
    trail: ReadTrail,
    path: web::Path<uuid::Uuid>,
) -> AppResult<HttpResponse> {
    user.require(Action::PrintLetters)?;
    let id = path.into_inner().to_string();
    let row = state
        .db
        .read(move |conn| store::find(conn, &id))
        .await?
        .ok_or(AppError::NotFound)?;
    let case_id: uuid::Uuid = row.case_id.parse().map_err(AppError::internal)?;
    let record = read_audited(&state, &user, case_id, AuditAction::LetterRead, &trail).await?;
    if let Some(controller) = &row.controller_id {
        if record.sealed_parts.contains(controller) {
            return Err(AppError::NotFound);
        }
    }
    let controller = match row.controller_id.clone() {
        Some(c) => {
            state
                .db
                .read(move |conn| crate::controllers::store::find(conn, &c))
                .await?
        }
        None => None,
    };
    let handler = record
        .parts
        .iter()
        .find(|p| Some(&p.controller_id) == row.controller_id.as_ref())
        .and_then(|p| p.handler_name.clone().or_else(|| p.handler.clone()));
    let head = Letterhead {
        organisation: &state.settings.organisation,
        controller: controller
            .as_ref()
            .map(|c| (c.name.as_str(), c.postal_address.as_deref())),
        handler: handler.as_deref(),
        reference: &record.case.reference,
        diarienummer: record.case.diarienummer.as_deref(),
        date: crate::clock::local_date(Utc.from_utc_datetime(&row.created_at)),
    };
    let letter = letter(&row, &head)?;
    let bytes = actix_web::web::block(move || crate::letters::pdf::render(&letter))
        .await
        .map_err(AppError::internal)?
        .map_err(AppError::internal)?;
    Ok(HttpResponse::Ok()
        .content_type("application/pdf")
        .body(bytes))
}

/// The letter was printed and posted (a rekommenderat brev with its number).
#[utoipa::path(
    tag = "letters",
    params(("id" = String, Path, description = "The letter id")),
    request_body = PostedRequest,
    responses(
        (status = 200, body = LetterView),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, body = crate::error::Problem, content_type = "application/problem+json", description = "letter_not_to_print"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/letters/{id}/posted")]
pub async fn mark_posted(
    state: web::Data<Services>,
    user: AuthUser,
    request: HttpRequest,
    request_id: RequestId,
    path: web::Path<uuid::Uuid>,
    body: JsonBody<PostedRequest>,
) -> AppResult<HttpResponse> {
    user.require(Action::PrintLetters)?;
    let letter_id = path.into_inner().to_string();
    let b = body.value;
    let command = MarkPosted {
        letter_id: letter_id.clone(),
        posted_on: b.posted_on.unwrap_or_else(|| state.clock.today()),
        registered_number: b.registered_number,
    };
    change_letter(&state, &user, &request, request_id, letter_id, command).await
}

/// The day the person received a sent letter: a mottagningsbevis came back, a rekommenderat brev
/// was handed over, it was handed over at the desk, or the person said so. For a decision
/// letter it starts the three weeks for an appeal (förvaltningslagen 44 §).
#[utoipa::path(
    tag = "letters",
    params(("id" = String, Path, description = "The letter id")),
    request_body = ReceivedRequest,
    responses(
        (status = 200, body = LetterView),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, body = crate::error::Problem, content_type = "application/problem+json", description = "letter_not_sent"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/letters/{id}/received")]
pub async fn mark_received(
    state: web::Data<Services>,
    user: AuthUser,
    request: HttpRequest,
    request_id: RequestId,
    path: web::Path<uuid::Uuid>,
    body: JsonBody<ReceivedRequest>,
) -> AppResult<HttpResponse> {
    user.require(Action::PrintLetters)?;
    let letter_id = path.into_inner().to_string();
    let b = body.value;
    let command = MarkReceived {
        letter_id: letter_id.clone(),
        received_on: b.received_on.unwrap_or_else(|| state.clock.today()),
        evidence: b.evidence,
    };
    change_letter(&state, &user, &request, request_id, letter_id, command).await
}

/// Runs a change of one letter as a change of its case, and answers with the letter as changed.
async fn change_letter<C: service::CaseChange>(
    state: &Services,
    user: &AuthUser,
    request: &HttpRequest,
    request_id: RequestId,
    letter_id: String,
    command: C,
) -> AppResult<HttpResponse> {
    let lookup = letter_id.clone();
    let row = state
        .db
        .read(move |conn| store::find(conn, &lookup))
        .await?
        .ok_or(AppError::NotFound)?;
    let case_id: uuid::Uuid = row.case_id.parse().map_err(AppError::internal)?;
    let target = case_target(request, request_id, case_id)?;
    let record = service::change(state, user, target, command).await?;
    let updated = state
        .db
        .read(move |conn| store::find(conn, &letter_id))
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(HttpResponse::Ok().json(LetterView::of(updated, record.case.reference)))
}
