//! `POST /cases/{id}/findings/{activity_id}/attachments`, `GET /cases/{id}/attachments`,
//! `GET /cases/{id}/attachments/{attachment}`, `DELETE /cases/{id}/attachments/{attachment}`.
//!
//! The upload's body is the file itself, with its `Content-Type`, and its name in
//! `Content-Disposition` (a file name can hold personal data, so it never goes in the URL).

use actix_web::http::header::{self, ContentDisposition, DispositionParam, DispositionType};
use actix_web::{delete, get, post, web, HttpRequest, HttpResponse};
use chrono::{DateTime, TimeZone, Utc};
use futures_util::StreamExt;
use serde::Serialize;
use tracing_actix_web::RequestId;
use utoipa::ToSchema;

use super::actions::{AddAttachment, RemoveAttachment};
use super::store::{self, AttachmentMeta};
use super::{check, MAX_ATTACHMENT_BYTES};
use crate::audit::AuditAction;
use crate::auth::{Action, AuthUser};
use crate::cases::access::{read_audited, require_for_case, ReadTrail};
use crate::casework::http::case_target;
use crate::casework::service;
use crate::error::{AppError, AppResult};
use crate::services::Services;

/// An attachment of a finding, without its content.
#[derive(Debug, Serialize, ToSchema)]
pub struct AttachmentView {
    pub id: String,
    pub activity_id: String,
    pub controller: String,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    /// Hex SHA-256 of the content.
    pub sha256: String,
    pub created_at: DateTime<Utc>,
}

impl From<AttachmentMeta> for AttachmentView {
    fn from(m: AttachmentMeta) -> Self {
        AttachmentView {
            id: m.id,
            activity_id: m.activity_id,
            controller: m.controller_id,
            file_name: m.file_name.into_inner(),
            content_type: m.content_type,
            size_bytes: m.size_bytes,
            sha256: m.sha256,
            created_at: Utc.from_utc_datetime(&m.created_at),
        }
    }
}

/// Attach a copy of a document that holds what was found in the activity (a PDF, PNG, JPEG or
/// text file of at most 5 MB; at most 10 per finding). Body: the file; `Content-Type` its
/// type; `Content-Disposition: attachment; filename*=UTF-8''...` its name.
#[utoipa::path(
    tag = "extract",
    params(
        ("id" = String, Path),
        ("activity_id" = String, Path),
        ("Content-Disposition" = String, Header, description = "attachment; filename*=UTF-8''journalanteckning.pdf"),
    ),
    request_body(
        description = "The file, as it is",
        content(
            (Vec<u8> = "application/pdf"),
            (Vec<u8> = "image/png"),
            (Vec<u8> = "image/jpeg"),
            (String = "text/plain"),
        )
    ),
    responses(
        (status = 201, body = AttachmentView),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, body = crate::error::Problem, content_type = "application/problem+json", description = "no_finding"),
        (status = 413, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/cases/{id}/findings/{activity_id}/attachments")]
pub async fn add_attachment(
    state: web::Data<Services>,
    user: AuthUser,
    request: HttpRequest,
    request_id: RequestId,
    path: web::Path<(uuid::Uuid, String)>,
    mut payload: web::Payload,
) -> AppResult<HttpResponse> {
    user.require(Action::RecordFindings)?;
    let (case_id, activity_id) = path.into_inner();
    let mut content = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|_| AppError::MalformedJson {
            detail: "The file could not be read.".into(),
        })?;
        if content.len() + chunk.len() > MAX_ATTACHMENT_BYTES {
            return Err(AppError::PayloadTooLarge {
                limit: MAX_ATTACHMENT_BYTES,
            });
        }
        content.extend_from_slice(&chunk);
    }
    let file_name = file_name(&request);
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    let file = check(file_name.as_deref(), content_type, &content).map_err(AppError::Validation)?;
    let id = uuid::Uuid::now_v7().to_string();
    let command = AddAttachment {
        id: id.clone(),
        activity_id,
        file,
        content: content.to_vec(),
    };
    let target = case_target(&request, request_id, case_id)?;
    service::change(&state, &user, target, command).await?;
    let case = case_id.to_string();
    let meta = state
        .db
        .read(move |conn| store::find_meta(conn, &case, &id))
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(HttpResponse::Created().json(AttachmentView::from(meta)))
}

/// The file name of `Content-Disposition`, `filename*` (RFC 8187, UTF-8) before `filename`.
fn file_name(request: &HttpRequest) -> Option<String> {
    let value = request.headers().get(header::CONTENT_DISPOSITION)?;
    let disposition = ContentDisposition::from_raw(value).ok()?;
    if let Some(ext) = disposition.get_filename_ext() {
        if let Ok(name) = String::from_utf8(ext.value.clone()) {
            return Some(name);
        }
    }
    disposition.get_filename().map(str::to_owned)
}

/// The attachments of the case's findings, of the parts the reader sees.
#[utoipa::path(
    tag = "extract",
    params(("id" = String, Path)),
    responses(
        (status = 200, body = Vec<AttachmentView>),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 428, body = crate::error::Problem, content_type = "application/problem+json", description = "read_reason_required"),
    ),
    security(("bearer" = []))
)]
#[get("/cases/{id}/attachments")]
pub async fn list_attachments(
    state: web::Data<Services>,
    user: AuthUser,
    trail: ReadTrail,
    path: web::Path<uuid::Uuid>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let metas =
        visible_attachments(&state, &user, id, AuditAction::AttachmentsRead, &trail).await?;
    let views: Vec<AttachmentView> = metas.into_iter().map(Into::into).collect();
    Ok(HttpResponse::Ok().json(views))
}

/// One attachment's file, as it was attached.
#[utoipa::path(
    tag = "extract",
    params(("id" = String, Path), ("attachment" = String, Path)),
    responses(
        (status = 200, description = "The file, with its own Content-Type"),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 428, body = crate::error::Problem, content_type = "application/problem+json", description = "read_reason_required"),
    ),
    security(("bearer" = []))
)]
#[get("/cases/{id}/attachments/{attachment}")]
pub async fn get_attachment(
    state: web::Data<Services>,
    user: AuthUser,
    trail: ReadTrail,
    path: web::Path<(uuid::Uuid, uuid::Uuid)>,
) -> AppResult<HttpResponse> {
    let (id, attachment) = path.into_inner();
    let attachment = attachment.to_string();
    let visible =
        visible_attachments(&state, &user, id, AuditAction::AttachmentRead, &trail).await?;
    if !visible.iter().any(|m| m.id == attachment) {
        return Err(AppError::NotFound);
    }
    let case = id.to_string();
    let row = state
        .db
        .read(move |conn| store::with_content(conn, &case, &[attachment]))
        .await?
        .pop()
        .ok_or(AppError::NotFound)?;
    let disposition = ContentDisposition {
        disposition: DispositionType::Attachment,
        parameters: vec![DispositionParam::FilenameExt(header::ExtendedValue {
            charset: header::Charset::Ext("UTF-8".into()),
            language_tag: None,
            value: row.file_name.into_inner().into_bytes(),
        })],
    };
    Ok(HttpResponse::Ok()
        .content_type(row.content_type)
        .insert_header(disposition)
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header(("X-Content-Type-Options", "nosniff"))
        .body(row.content.into_inner()))
}

/// Take an attachment off its finding.
#[utoipa::path(
    tag = "extract",
    params(("id" = String, Path), ("attachment" = String, Path)),
    responses(
        (status = 204),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[delete("/cases/{id}/attachments/{attachment}")]
pub async fn remove_attachment(
    state: web::Data<Services>,
    user: AuthUser,
    request: HttpRequest,
    request_id: RequestId,
    path: web::Path<(uuid::Uuid, uuid::Uuid)>,
) -> AppResult<HttpResponse> {
    let (id, attachment) = path.into_inner();
    let command = RemoveAttachment {
        id: attachment.to_string(),
    };
    let target = case_target(&request, request_id, id)?;
    service::change(&state, &user, target, command).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The attachments of the parts `user` sees, after the audited read of the case.
async fn visible_attachments(
    state: &Services,
    user: &AuthUser,
    id: uuid::Uuid,
    action: AuditAction,
    trail: &ReadTrail,
) -> AppResult<Vec<AttachmentMeta>> {
    require_for_case(
        state,
        user,
        Action::ReadFindings,
        id,
        action,
        trail.request_id.clone(),
    )
    .await?;
    let record = read_audited(state, user, id, action, trail).await?;
    let case = record.case.id.clone();
    let metas = state
        .db
        .read(move |conn| store::of_case(conn, &case))
        .await?;
    Ok(metas
        .into_iter()
        .filter(|m| !record.sealed_parts.contains(&m.controller_id))
        .collect())
}
