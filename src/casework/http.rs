//! Case-work endpoints: identity, parts, extension, decisions, delivery, closure, withdrawal,
//! and the explanation of a case's deadlines.

use actix_web::{get, post, web, HttpRequest, HttpResponse};
use tracing_actix_web::RequestId;

use super::actions::{
    AddController, AssignPart, CloseCase, Decide, ExtendDeadline, RecordDelivery, RecordIdentity,
    SetDiarienummer, SetProtectedIdentity, Withdraw,
};
use super::dto::{
    AddControllerRequest, AssignRequest, CaseDeadlineExplanation, DecisionRequest, DeliveryRequest,
    DiarienummerRequest, ExtensionExplanation, ExtensionRequest, IdentityRequest,
    ProtectedIdentityRequest, WithdrawRequest,
};
use super::service::{self, CaseChange, CaseTarget};
use crate::audit::AuditAction;
use crate::auth::AuthUser;
use crate::cases::dto::CaseResponse;
use crate::cases::view::{case_response, deadlines_of, identity_waits, utc};
use crate::deadlines::explain;
use crate::domain::deadline::{compute, EXTENDED_MONTHS};
use crate::domain::names::ControllerId;
use crate::domain::pause;
use crate::error::{AppError, AppResult};
use crate::http::JsonBody;
use crate::services::Services;

/// The case a request names, with its `If-Match` version and request id.
pub(crate) fn case_target(
    request: &HttpRequest,
    request_id: RequestId,
    id: uuid::Uuid,
) -> AppResult<CaseTarget> {
    Ok(CaseTarget {
        id,
        if_match: if_match_version(request)?,
        request_id: Some(request_id.to_string()),
    })
}

/// Runs a case-work command on the case the request names and answers with the changed case.
pub(crate) async fn run<C: CaseChange>(
    state: &Services,
    user: &AuthUser,
    target: CaseTarget,
    command: C,
) -> AppResult<CaseResponse> {
    let record = service::change(state, user, target, command).await?;
    Ok(case_response(record, &state.view_context()))
}

/// `If-Match: 3` or `If-Match: "3"`: act only if the case still has that version.
fn if_match_version(request: &HttpRequest) -> AppResult<Option<i32>> {
    let Some(value) = request.headers().get("If-Match") else {
        return Ok(None);
    };
    value
        .to_str()
        .ok()
        .map(|v| v.trim().trim_start_matches("W/").trim_matches('"'))
        .and_then(|v| v.parse().ok())
        .map(Some)
        .ok_or_else(|| {
            AppError::validation("If-Match", "invalid", "If-Match is the case's `version`.")
        })
}

fn controller_id(field: &str, text: &str) -> AppResult<ControllerId> {
    ControllerId::parse(text.trim())
        .map_err(|message| AppError::validation(field, "invalid_controller", message))
}

/// Identity work: verify, request information (pauses the adjusted deadline), information received, fail.
#[utoipa::path(
    tag = "case work",
    params(("id" = String, Path, description = "The case id")),
    request_body = IdentityRequest,
    responses(
        (status = 200, body = CaseResponse),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/cases/{id}/identity")]
pub async fn identity(
    state: web::Data<Services>,
    user: AuthUser,
    request: HttpRequest,
    request_id: RequestId,
    path: web::Path<uuid::Uuid>,
    body: JsonBody<IdentityRequest>,
) -> AppResult<HttpResponse> {
    let b = body.value;
    let command = RecordIdentity {
        action: b.action,
        party: b.party,
        method: b.method,
        document_type: b.document_type,
        note: b.note,
    };
    let target = case_target(&request, request_id, path.into_inner())?;
    let case = run(&state, &user, target, command).await?;
    Ok(HttpResponse::Ok().json(case))
}

/// Add a controller (nämnd) as a part of the case.
#[utoipa::path(
    tag = "case work",
    params(("id" = String, Path, description = "The case id")),
    request_body = AddControllerRequest,
    responses(
        (status = 200, body = CaseResponse),
        (status = 409, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/cases/{id}/controllers")]
pub async fn add_controller(
    state: web::Data<Services>,
    user: AuthUser,
    request: HttpRequest,
    request_id: RequestId,
    path: web::Path<uuid::Uuid>,
    body: JsonBody<AddControllerRequest>,
) -> AppResult<HttpResponse> {
    let controller = controller_id("controller", &body.value.controller)?;
    let target = case_target(&request, request_id, path.into_inner())?;
    let case = run(&state, &user, target, AddController { controller }).await?;
    Ok(HttpResponse::Ok().json(case))
}

/// Assign a handläggare to a controller's part, or take it yourself.
#[utoipa::path(
    tag = "case work",
    params(("id" = String, Path, description = "The case id"), ("controller" = String, Path)),
    request_body = AssignRequest,
    responses(
        (status = 200, body = CaseResponse),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/cases/{id}/parts/{controller}/assign")]
pub async fn assign(
    state: web::Data<Services>,
    user: AuthUser,
    request: HttpRequest,
    request_id: RequestId,
    path: web::Path<(uuid::Uuid, String)>,
    body: JsonBody<AssignRequest>,
) -> AppResult<HttpResponse> {
    let (id, controller) = path.into_inner();
    let handler = match body.value.handler.as_deref().map(str::trim) {
        Some("") => {
            return Err(AppError::validation(
                "handler",
                "required",
                "Name the handläggare, or omit to take it.",
            ))
        }
        other => other.map(str::to_owned),
    };
    if body
        .value
        .handler_name
        .as_deref()
        .is_some_and(|n| n.chars().count() > 200)
    {
        return Err(AppError::validation(
            "handler_name",
            "too_long",
            "A name is at most 200 characters.",
        ));
    }
    let target = case_target(&request, request_id, id)?;
    let case = run(
        &state,
        &user,
        target,
        AssignPart {
            controller,
            handler,
            handler_name: body
                .value
                .handler_name
                .as_deref()
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .map(str::to_owned),
        },
    )
    .await?;
    Ok(HttpResponse::Ok().json(case))
}

/// Extend the deadline by two further months: once, before the deadline, with a reason; the notice to the person is queued.
#[utoipa::path(
    tag = "case work",
    params(("id" = String, Path, description = "The case id")),
    request_body = ExtensionRequest,
    responses(
        (status = 200, body = CaseResponse),
        (status = 409, body = crate::error::Problem, content_type = "application/problem+json", description = "already_extended or extension_too_late"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/cases/{id}/extension")]
pub async fn extend(
    state: web::Data<Services>,
    user: AuthUser,
    request: HttpRequest,
    request_id: RequestId,
    path: web::Path<uuid::Uuid>,
    body: JsonBody<ExtensionRequest>,
) -> AppResult<HttpResponse> {
    let command = ExtendDeadline {
        reason: body.value.reason,
    };
    let target = case_target(&request, request_id, path.into_inner())?;
    let case = run(&state, &user, target, command).await?;
    Ok(HttpResponse::Ok().json(case))
}

/// A controller's decision on its part: granted, partially granted or refused, with reasons,
/// Art. 19 recipients, and the IMY and appeal information in the decision text.
#[utoipa::path(
    tag = "case work",
    params(("id" = String, Path, description = "The case id")),
    request_body = DecisionRequest,
    responses(
        (status = 201, body = CaseResponse),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, body = crate::error::Problem, content_type = "application/problem+json", description = "identity_unverified, representative_unverified, part_already_decided, case_closed, ..."),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/cases/{id}/decisions")]
pub async fn decide(
    state: web::Data<Services>,
    user: AuthUser,
    request: HttpRequest,
    request_id: RequestId,
    path: web::Path<uuid::Uuid>,
    body: JsonBody<DecisionRequest>,
) -> AppResult<HttpResponse> {
    let command = decide_command(body.value)?;
    let target = case_target(&request, request_id, path.into_inner())?;
    let case = run(&state, &user, target, command).await?;
    Ok(HttpResponse::Created().json(case))
}

/// Record that the answer reached the person: registered letter, pickup at Kontaktcenter or digital mailbox.
#[utoipa::path(
    tag = "case work",
    params(("id" = String, Path, description = "The case id")),
    request_body = DeliveryRequest,
    responses(
        (status = 200, body = CaseResponse),
        (status = 409, body = crate::error::Problem, content_type = "application/problem+json", description = "identity_unverified, case_not_decided, ..."),
    ),
    security(("bearer" = []))
)]
#[post("/cases/{id}/delivery")]
pub async fn deliver(
    state: web::Data<Services>,
    user: AuthUser,
    request: HttpRequest,
    request_id: RequestId,
    path: web::Path<uuid::Uuid>,
    body: JsonBody<DeliveryRequest>,
) -> AppResult<HttpResponse> {
    let command = RecordDelivery {
        method: body.value.method,
        delivered_at: body.value.delivered_at,
    };
    let target = case_target(&request, request_id, path.into_inner())?;
    let case = run(&state, &user, target, command).await?;
    Ok(HttpResponse::Ok().json(case))
}

/// Close a decided case.
#[utoipa::path(
    tag = "case work",
    params(("id" = String, Path, description = "The case id")),
    responses(
        (status = 200, body = CaseResponse),
        (status = 409, body = crate::error::Problem, content_type = "application/problem+json", description = "case_not_decided"),
    ),
    security(("bearer" = []))
)]
#[post("/cases/{id}/close")]
pub async fn close(
    state: web::Data<Services>,
    user: AuthUser,
    request: HttpRequest,
    request_id: RequestId,
    path: web::Path<uuid::Uuid>,
) -> AppResult<HttpResponse> {
    let target = case_target(&request, request_id, path.into_inner())?;
    let case = run(&state, &user, target, CloseCase).await?;
    Ok(HttpResponse::Ok().json(case))
}

/// The person withdrew the request.
#[utoipa::path(
    tag = "case work",
    params(("id" = String, Path, description = "The case id")),
    request_body = WithdrawRequest,
    responses(
        (status = 200, body = CaseResponse),
        (status = 409, body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/cases/{id}/withdraw")]
pub async fn withdraw(
    state: web::Data<Services>,
    user: AuthUser,
    request: HttpRequest,
    request_id: RequestId,
    path: web::Path<uuid::Uuid>,
    body: JsonBody<WithdrawRequest>,
) -> AppResult<HttpResponse> {
    let command = Withdraw {
        note: body.value.note,
    };
    let target = case_target(&request, request_id, path.into_inner())?;
    let case = run(&state, &user, target, command).await?;
    Ok(HttpResponse::Ok().json(case))
}

/// The decision command a request describes.
pub(crate) fn decide_command(b: DecisionRequest) -> AppResult<Decide> {
    Ok(Decide {
        controller: controller_id("controller", &b.controller)?,
        outcome: b.outcome,
        reasons: b.reasons,
        recipients_notified: b.recipients_notified,
        recipients_not_notified_reason: b.recipients_not_notified_reason,
        ground: b.ground,
        legal_grounds: b.legal_grounds,
        decision_maker: b.decision_maker,
        fee_sek: b.fee_sek,
        forwarded_to: b.forwarded_to,
        forwarded_on: b.forwarded_on,
        not_applicable_because: b.not_applicable_because,
    })
}

/// Record the municipality's diarienummer of the case (OSL 5 kap. 1 §); it is printed on every
/// letter from then on.
#[utoipa::path(
    tag = "case work",
    params(("id" = String, Path, description = "The case id")),
    request_body = DiarienummerRequest,
    responses(
        (status = 200, body = CaseResponse),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/cases/{id}/diarienummer")]
pub async fn diarienummer(
    state: web::Data<Services>,
    user: AuthUser,
    request: HttpRequest,
    request_id: RequestId,
    path: web::Path<uuid::Uuid>,
    body: JsonBody<DiarienummerRequest>,
) -> AppResult<HttpResponse> {
    let command = SetDiarienummer {
        diarienummer: body.value.diarienummer,
    };
    let target = case_target(&request, request_id, path.into_inner())?;
    let case = run(&state, &user, target, command).await?;
    Ok(HttpResponse::Ok().json(case))
}

/// Mark the case as concerning a person with sekretessmarkering or skyddad folkbokföring (or,
/// as an administrator, lift the mark). From then on contact data is shown only to the
/// handläggare assigned to a part and to administrators, e-mails carry only the reference, the
/// answer is picked up or sent through Skatteverket, and every read needs `Dsar-Read-Reason`.
#[utoipa::path(
    tag = "case work",
    params(("id" = String, Path, description = "The case id")),
    request_body = ProtectedIdentityRequest,
    responses(
        (status = 200, body = CaseResponse),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/cases/{id}/protected-identity")]
pub async fn protected_identity(
    state: web::Data<Services>,
    user: AuthUser,
    request: HttpRequest,
    request_id: RequestId,
    path: web::Path<uuid::Uuid>,
    body: JsonBody<ProtectedIdentityRequest>,
) -> AppResult<HttpResponse> {
    let command = SetProtectedIdentity {
        protected: body.value.protected_identity,
    };
    let target = case_target(&request, request_id, path.into_inner())?;
    let case = run(&state, &user, target, command).await?;
    Ok(HttpResponse::Ok().json(case))
}

/// The provisions a decision can name in `legal_grounds`: OSL chapters in use in a kommun,
/// the GDPR articles that limit the rights, dataskyddslagen 5 kap. 1-2 §§ and arkivlagen.
#[utoipa::path(
    tag = "case work",
    responses(
        (status = 200, body = Vec<crate::domain::legal_grounds::LegalGround>),
        (status = 401, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/legal-grounds")]
pub async fn legal_grounds(user: AuthUser) -> AppResult<HttpResponse> {
    user.require(crate::auth::Action::ReadControllers)?;
    Ok(HttpResponse::Ok().json(crate::domain::legal_grounds::CATALOGUE))
}

/// Every date of the case explained: receipt, raw date, skipped days, extension, pause.
#[utoipa::path(
    tag = "case work",
    params(("id" = String, Path, description = "The case id"), ("Dsar-Read-Reason" = Option<String>, Header, description = "Why you read the case; required (else 428) for a case about a person with protected identity, kept in the audit log")),
    responses(
        (status = 200, body = CaseDeadlineExplanation),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 428, body = crate::error::Problem, content_type = "application/problem+json", description = "read_reason_required"),
    ),
    security(("bearer" = []))
)]
#[get("/cases/{id}/deadline")]
pub async fn case_deadline(
    state: web::Data<Services>,
    user: AuthUser,
    trail: crate::cases::access::ReadTrail,
    path: web::Path<uuid::Uuid>,
) -> AppResult<HttpResponse> {
    let record = crate::cases::service::read_case(
        &state,
        &user,
        path.into_inner(),
        AuditAction::Deadline,
        &trail,
    )
    .await?;
    let context = state.view_context();
    let policy = context.policy;
    let case = &record.case;
    let computation = explain(case.received_date, &policy.calendar);
    let mut text_sv: Vec<String> = computation
        .steps
        .iter()
        .map(|s| s.text_sv.clone())
        .collect();
    let extension = match (
        &case.extension_reason,
        case.extended_at,
        case.extended_deadline,
    ) {
        (Some(reason), Some(at), Some(extended)) => {
            let steps = compute(case.received_date, EXTENDED_MONTHS, &policy.calendar).steps();
            text_sv.push(format!(
                "Fristen förlängdes {} med ytterligare två månader (artikel 12.3 i dataskyddsförordningen). Skäl: {reason}",
                crate::clock::local_date(utc(at))
            ));
            text_sv.extend(steps.iter().map(|s| s.text_sv.clone()));
            Some(ExtensionExplanation {
                reason: reason.to_string(),
                decided_at: utc(at),
                extended_deadline: extended,
                steps,
            })
        }
        _ => None,
    };
    let waits = identity_waits(case);
    for wait in &waits {
        text_sv.push(match wait.to {
            Some(to) => format!(
                "Komplettering för att fastställa identiteten begärdes {} och kom in {} ({} dagar).",
                wait.from,
                to,
                wait.days(context.today)
            ),
            None => format!(
                "Komplettering för att fastställa identiteten begärdes {} och har inte kommit in ({} dagar hittills).",
                wait.from,
                wait.days(context.today)
            ),
        });
    }
    let adjustment = policy.pause_while_awaiting_identity.then(|| {
        pause::adjust(
            crate::cases::view::deadline_in_force(case),
            pause::waiting_days(&waits, context.today),
            &policy.calendar,
        )
    });
    if let Some(a) = adjustment.as_ref().filter(|a| a.waiting_days > 0) {
        text_sv.push(format!(
            "Enligt kommunens riktlinje läggs väntetiden till fristens ursprungliga slutdag: {} + {} dagar = {}{}. Den lagstadgade fristen är fortfarande {}.",
            a.deadline_raw_date,
            a.waiting_days,
            a.raw_date,
            if a.adjusted != a.raw_date {
                format!(", som inte är en arbetsdag, så den justerade fristen blir {}", a.adjusted)
            } else {
                String::new()
            },
            a.deadline_in_force
        ));
    }
    let governing = deadlines_of(&record, &context).governing();
    Ok(HttpResponse::Ok().json(CaseDeadlineExplanation {
        reference: case.reference.clone(),
        computation,
        extension,
        deadline_in_force: case.effective_deadline,
        pause_policy: policy.pause_while_awaiting_identity,
        identity_waits: waits,
        adjustment,
        governing_deadline: governing,
        text_sv,
    }))
}
