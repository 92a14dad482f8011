//! Case-work endpoints: identity, parts, extension, decisions, delivery, closure, withdrawal,
//! and the explanation of a case's deadlines.

use actix_web::{get, post, web, HttpRequest, HttpResponse};
use tracing_actix_web::RequestId;

use super::dto::{
    AddControllerRequest, AssignRequest, CaseDeadlineExplanation, DecisionRequest, DeliveryRequest,
    ExtensionExplanation, ExtensionRequest, IdentityRequest, WithdrawRequest,
};
use super::store::{self, Actor};
use super::work::Work;
use crate::app::AppState;
use crate::auth::{Action, AuthUser};
use crate::cases::access::read_audited;
use crate::cases::dto::CaseResponse;
use crate::cases::store::find_case;
use crate::cases::view::{case_response, deadlines_of, identity_waits, utc};
use crate::db::DbConnection;
use crate::deadlines::explain;
use crate::domain::deadline::{compute, EXTENDED_MONTHS};
use crate::domain::names::ControllerId;
use crate::domain::pause;
use crate::error::{AppError, AppResult};
use crate::http::JsonBody;

/// Loads the case, checks visibility and `If-Match`, applies `change`, and saves it all in one
/// group commit; answers with the changed case.
pub(crate) async fn change_case<F>(
    state: &AppState,
    user: &AuthUser,
    request: &HttpRequest,
    request_id: RequestId,
    id: uuid::Uuid,
    action: &'static str,
    change: F,
) -> AppResult<CaseResponse>
where
    F: FnOnce(&mut Work, &mut DbConnection) -> AppResult<()> + Send + 'static,
{
    let if_match = if_match_version(request)?;
    let scope = user.case_scope();
    let roles = user.roles_label();
    let sub = user.sub.clone();
    let now = state.clock.now();
    let policy = state.policy;
    let organisation = state.settings.organisation.name.clone();
    let id = id.to_string();
    let request_id = Some(request_id.to_string());
    let record = state
        .db
        .write(move |conn| {
            let record = find_case(conn, &id)?.ok_or(AppError::NotFound)?;
            if !scope.allows(&record.controller_ids(), &record.case.created_by) {
                return Err(AppError::NotFound);
            }
            if if_match.is_some_and(|v| v != record.case.version) {
                return Err(AppError::Conflict {
                    code: "version_mismatch",
                    detail: "The case has changed since you loaded it (If-Match); load it again."
                        .into(),
                });
            }
            let mut work = Work::new(record, now, policy, &organisation);
            change(&mut work, conn)?;
            store::save(
                conn,
                &mut work,
                &Actor {
                    sub: &sub,
                    roles: &roles,
                    request_id,
                },
                action,
            )?;
            Ok(work.record)
        })
        .await?;
    tracing::info!(case_id = %record.case.id, reference = %record.case.reference, action, "case changed");
    case_response(record, &state.view_context())
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
    state: web::Data<AppState>,
    user: AuthUser,
    request: HttpRequest,
    request_id: RequestId,
    path: web::Path<uuid::Uuid>,
    body: JsonBody<IdentityRequest>,
) -> AppResult<HttpResponse> {
    user.require(Action::RecordIdentity)?;
    let b = body.value;
    let actor = user.clone();
    let case = change_case(
        &state,
        &user,
        &request,
        request_id,
        path.into_inner(),
        "case.identity",
        move |work, _| {
            work.identity(
                &actor,
                b.action,
                b.party,
                b.method,
                b.document_type.as_deref(),
                b.note.as_deref(),
            )
        },
    )
    .await?;
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
    state: web::Data<AppState>,
    user: AuthUser,
    request: HttpRequest,
    request_id: RequestId,
    path: web::Path<uuid::Uuid>,
    body: JsonBody<AddControllerRequest>,
) -> AppResult<HttpResponse> {
    user.require(Action::AddController)?;
    let controller = controller_id("controller", &body.value.controller)?;
    let case = change_case(
        &state,
        &user,
        &request,
        request_id,
        path.into_inner(),
        "case.add_controller",
        move |work, conn| {
            if store::controller_name(conn, controller.as_str())?.is_none() {
                return Err(AppError::validation(
                    "controller",
                    "unknown_controller",
                    format!("There is no controller `{controller}`."),
                ));
            }
            work.add_controller(controller.as_str())
        },
    )
    .await?;
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
    state: web::Data<AppState>,
    user: AuthUser,
    request: HttpRequest,
    request_id: RequestId,
    path: web::Path<(uuid::Uuid, String)>,
    body: JsonBody<AssignRequest>,
) -> AppResult<HttpResponse> {
    user.require(Action::AssignPart)?;
    let (id, controller) = path.into_inner();
    if !user.acts_for(&controller) {
        return Err(AppError::forbidden("You do not work for this controller."));
    }
    let handler = match body.value.handler.as_deref().map(str::trim) {
        Some("") => {
            return Err(AppError::validation(
                "handler",
                "required",
                "Name the handläggare, or omit to take it.",
            ))
        }
        Some(h) => h.to_owned(),
        None => user.sub.clone(),
    };
    let case = change_case(
        &state,
        &user,
        &request,
        request_id,
        id,
        "case.assign",
        move |work, _| work.assign(&controller, &handler),
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
    state: web::Data<AppState>,
    user: AuthUser,
    request: HttpRequest,
    request_id: RequestId,
    path: web::Path<uuid::Uuid>,
    body: JsonBody<ExtensionRequest>,
) -> AppResult<HttpResponse> {
    user.require(Action::ExtendDeadline)?;
    let reason = body.value.reason;
    let actor = user.clone();
    let case = change_case(
        &state,
        &user,
        &request,
        request_id,
        path.into_inner(),
        "case.extend",
        move |work, _| {
            if !work
                .record
                .parts
                .iter()
                .any(|p| actor.acts_for(&p.controller_id))
            {
                return Err(AppError::forbidden(
                    "You do not work for any controller of this case.",
                ));
            }
            work.extend(&actor, &reason)
        },
    )
    .await?;
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
        (status = 409, body = crate::error::Problem, content_type = "application/problem+json", description = "part_already_decided, case_closed, ..."),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/cases/{id}/decisions")]
pub async fn decide(
    state: web::Data<AppState>,
    user: AuthUser,
    request: HttpRequest,
    request_id: RequestId,
    path: web::Path<uuid::Uuid>,
    body: JsonBody<DecisionRequest>,
) -> AppResult<HttpResponse> {
    user.require(Action::Decide)?;
    let b = body.value;
    let controller = controller_id("controller", &b.controller)?;
    if !user.acts_for(controller.as_str()) {
        return Err(AppError::forbidden(
            "You do not decide for this controller.",
        ));
    }
    let actor = user.clone();
    let case = change_case(
        &state,
        &user,
        &request,
        request_id,
        path.into_inner(),
        "case.decide",
        move |work, conn| {
            let name = store::controller_name(conn, controller.as_str())?
                .unwrap_or_else(|| controller.to_string());
            work.decide(
                &actor,
                controller.as_str(),
                &name,
                b.outcome,
                b.reasons.as_deref(),
                b.recipients_notified,
                b.recipients_not_notified_reason.as_deref(),
            )
        },
    )
    .await?;
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
    state: web::Data<AppState>,
    user: AuthUser,
    request: HttpRequest,
    request_id: RequestId,
    path: web::Path<uuid::Uuid>,
    body: JsonBody<DeliveryRequest>,
) -> AppResult<HttpResponse> {
    user.require(Action::Deliver)?;
    let b = body.value;
    let actor = user.clone();
    let case = change_case(
        &state,
        &user,
        &request,
        request_id,
        path.into_inner(),
        "case.deliver",
        move |work, conn| {
            let extract_compiled =
                crate::extract::store::extract_of(conn, &work.record.case.id)?.is_some();
            work.deliver(&actor, b.method, b.delivered_at, extract_compiled)
        },
    )
    .await?;
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
    state: web::Data<AppState>,
    user: AuthUser,
    request: HttpRequest,
    request_id: RequestId,
    path: web::Path<uuid::Uuid>,
) -> AppResult<HttpResponse> {
    user.require(Action::Close)?;
    let case = change_case(
        &state,
        &user,
        &request,
        request_id,
        path.into_inner(),
        "case.close",
        |work, _| work.close(),
    )
    .await?;
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
    state: web::Data<AppState>,
    user: AuthUser,
    request: HttpRequest,
    request_id: RequestId,
    path: web::Path<uuid::Uuid>,
    body: JsonBody<WithdrawRequest>,
) -> AppResult<HttpResponse> {
    user.require(Action::Withdraw)?;
    let note = body.value.note;
    let case = change_case(
        &state,
        &user,
        &request,
        request_id,
        path.into_inner(),
        "case.withdraw",
        move |work, _| work.withdraw(note.as_deref()),
    )
    .await?;
    Ok(HttpResponse::Ok().json(case))
}

/// Every date of the case explained: receipt, raw date, skipped days, extension, pause.
#[utoipa::path(
    tag = "case work",
    params(("id" = String, Path, description = "The case id")),
    responses(
        (status = 200, body = CaseDeadlineExplanation),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/cases/{id}/deadline")]
pub async fn case_deadline(
    state: web::Data<AppState>,
    user: AuthUser,
    request_id: RequestId,
    path: web::Path<uuid::Uuid>,
) -> AppResult<HttpResponse> {
    user.require(Action::ReadCase)?;
    let record = read_audited(
        &state,
        &user,
        path.into_inner(),
        "case.deadline",
        request_id,
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
                reason: reason.clone(),
                decided_at: utc(at),
                extended_deadline: extended,
                steps,
            })
        }
        _ => None,
    };
    let waits = identity_waits(&case.identity_waits)?;
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
            case.effective_deadline,
            pause::waiting_days(&waits, context.today),
            &policy.calendar,
        )
    });
    if let Some(a) = adjustment.as_ref().filter(|a| a.waiting_days > 0) {
        text_sv.push(format!(
            "Enligt kommunens riktlinje läggs väntetiden till: {} + {} dagar = {}{}. Den lagstadgade fristen är fortfarande {}.",
            a.deadline_in_force,
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
    let governing = deadlines_of(&record, &context)?.governing();
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
