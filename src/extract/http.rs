//! Candidates, findings with the secrecy review, and the extract (JSON and PDF).

use std::collections::BTreeMap;

use actix_web::{get, post, put, web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use tracing_actix_web::RequestId;
use utoipa::ToSchema;

use super::document::{
    appeal_for, complaint_sv, Extract, ExtractActivity, ExtractController, ExtractRecipient,
};
use super::store::{self, FindingRow};
use crate::app::AppState;
use crate::auth::{Action, AuthUser};
use crate::cases::access::read_audited;
use crate::cases::dto::{CaseResponse, Subject};
use crate::cases::view::representative;
use crate::casework::http::change_case;
use crate::controllers::store as controllers;
use crate::domain::case::CaseKind;
use crate::domain::legal_basis::{advise, Advice};
use crate::error::{AppError, AppResult};
use crate::http::JsonBody;
use crate::register::candidates::candidates;
use crate::register::store::{self as register, Activity, ActivityRow};

#[derive(Debug, Serialize, ToSchema)]
pub struct CandidateView {
    pub activity: Activity,
    pub score: f64,
    /// Why this activity may concern the person, in Swedish.
    pub reasons: Vec<String>,
    pub matched_categories: Vec<String>,
    /// For rectification, erasure, objection and portability: the likely outcome from the
    /// activity's legal basis, as advice (a person decides).
    #[schema(value_type = Option<Object>)]
    pub advice: Option<Advice>,
    /// The finding already recorded for this activity, if any.
    pub finding: Option<FindingView>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FindingView {
    pub activity_id: String,
    pub activity_name: String,
    pub controller: String,
    pub found: bool,
    pub data: Option<String>,
    pub secrecy: String,
    pub secrecy_reference: Option<String>,
    pub guardian_secrecy_considered: bool,
    pub reviewed_by: String,
}

fn finding_view(row: &FindingRow) -> AppResult<FindingView> {
    let activity: Activity = serde_json::from_str(&row.activity).map_err(AppError::internal)?;
    Ok(FindingView {
        activity_id: row.activity_id.clone(),
        activity_name: activity.name,
        controller: row.controller_id.clone(),
        found: row.found,
        data: row.data.clone(),
        secrecy: row.secrecy.clone(),
        secrecy_reference: row.secrecy_reference.clone(),
        guardian_secrecy_considered: row.guardian_secrecy_considered,
        reviewed_by: row.reviewed_by.clone(),
    })
}

/// Activities of the case's controllers that may concern the person, ranked, each with why.
#[utoipa::path(tag = "extract", params(("id" = String, Path)), responses((status = 200, body = Vec<CandidateView>), (status = 404, body = crate::error::Problem, content_type = "application/problem+json")), security(("bearer" = [])))]
#[get("/cases/{id}/candidates")]
pub async fn case_candidates(
    state: web::Data<AppState>,
    user: AuthUser,
    request_id: RequestId,
    path: web::Path<uuid::Uuid>,
) -> AppResult<HttpResponse> {
    user.require(Action::RecordFindings)?;
    let record = read_audited(
        &state,
        &user,
        path.into_inner(),
        "case.candidates",
        request_id,
    )
    .await?;
    let controllers = record.controller_ids();
    let case_id = record.case.id.clone();
    let (rows, findings) = state
        .db
        .read(move |conn| {
            Ok((
                register::of_controllers(conn, &controllers)?,
                store::findings_of(conn, &case_id)?,
            ))
        })
        .await?;
    let activities: BTreeMap<String, Activity> = rows
        .iter()
        .map(|r| r.to_activity().map(|a| (a.id.clone(), a)))
        .collect::<AppResult<_>>()?;
    let docs: Vec<_> = activities.values().map(Activity::search_doc).collect();
    let person: Vec<String> =
        serde_json::from_str(&record.case.subject_categories).map_err(AppError::internal)?;
    let kind = CaseKind::parse(&record.case.kind);
    let views = candidates(&person, &docs)
        .into_iter()
        .filter_map(|c| {
            let activity = activities.get(&c.id)?.clone();
            let finding = findings
                .iter()
                .find(|f| f.activity_id == c.id)
                .map(finding_view)
                .transpose()
                .ok()?;
            Some(CandidateView {
                advice: kind.and_then(|k| advise(k, &activity.legal_basis, &activity.retention)),
                activity,
                score: c.score,
                reasons: c.reasons,
                matched_categories: c.matched_categories,
                finding,
            })
        })
        .collect::<Vec<_>>();
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
    state: web::Data<AppState>,
    user: AuthUser,
    request: HttpRequest,
    request_id: RequestId,
    path: web::Path<(uuid::Uuid, String)>,
    body: JsonBody<FindingRequest>,
) -> AppResult<HttpResponse> {
    user.require(Action::RecordFindings)?;
    let (id, activity_id) = path.into_inner();
    let b = body.value;
    let secrecy = b.secrecy.as_deref().unwrap_or("release").to_owned();
    if !matches!(secrecy.as_str(), "release" | "withhold") {
        return Err(AppError::validation(
            "secrecy",
            "unknown_value",
            "secrecy is `release` or `withhold`.",
        ));
    }
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
    let reference = b
        .secrecy_reference
        .map(|r| r.trim().to_owned())
        .filter(|r| !r.is_empty());
    if b.found && secrecy == "withhold" && reference.is_none() {
        return Err(AppError::validation(
            "secrecy_reference",
            "required",
            "A withheld finding needs the provision of offentlighets- och sekretesslagen, e.g. \"OSL 26 kap. 1 §\".",
        ));
    }
    let actor = user.clone();
    let now = state.clock.now().naive_utc();
    let case = change_case(&state, &user, &request, request_id, id, "case.finding", move |work, conn| {
        let activity = register::find(conn, &activity_id)?.ok_or_else(|| {
            AppError::validation("activity_id", "unknown_activity", "There is no such activity in the register.")
        })?;
        if !work.record.parts.iter().any(|p| p.controller_id == activity.controller_id) {
            return Err(AppError::validation(
                "activity_id",
                "not_a_part",
                "The activity belongs to a controller that is not a part of this case.",
            ));
        }
        if !actor.acts_for(&activity.controller_id) {
            return Err(AppError::forbidden("You do not work for this activity's controller."));
        }
        let guardian = work.is_guardian_request()?;
        let considered = b.guardian_secrecy_considered.unwrap_or(false);
        if guardian && b.found && secrecy == "release" && !considered {
            return Err(AppError::validation(
                "guardian_secrecy_considered",
                "required",
                "The request is made by a guardian: confirm that secrecy towards the guardian (OSL 12 kap. 3 §) \
                 has been considered before releasing the finding.",
            ));
        }
        let snapshot = ActivityRow::to_activity(&activity)?;
        store::save_finding(
            conn,
            &FindingRow {
                case_id: work.record.case.id.clone(),
                activity_id: activity.id.clone(),
                controller_id: activity.controller_id.clone(),
                found: b.found,
                data: data.clone(),
                secrecy: secrecy.clone(),
                secrecy_reference: reference.clone(),
                guardian_secrecy_considered: considered,
                activity: serde_json::to_string(&snapshot).map_err(AppError::internal)?,
                reviewed_by: actor.sub.clone(),
                reviewed_at: now,
            },
        )?;
        work.record_work(
            "finding_recorded",
            serde_json::json!({ "activity": activity.name, "controller": activity.controller_id,
                                "found": b.found, "secrecy": secrecy, "secrecy_reference": reference }),
        )
    })
    .await?;
    Ok(HttpResponse::Ok().json(case))
}

/// Compile the extract from the released findings (409 while an identity is unverified).
#[utoipa::path(tag = "extract", params(("id" = String, Path)), responses((status = 201, body = Extract), (status = 409, body = crate::error::Problem, content_type = "application/problem+json")), security(("bearer" = [])))]
#[post("/cases/{id}/extract")]
pub async fn compile_extract(
    state: web::Data<AppState>,
    user: AuthUser,
    request: HttpRequest,
    request_id: RequestId,
    path: web::Path<uuid::Uuid>,
) -> AppResult<HttpResponse> {
    user.require(Action::CompileExtract)?;
    let now = state.clock.now();
    let settings = state.settings.clone();
    let actor = user.clone();
    let id = path.into_inner();
    change_case(
        &state,
        &user,
        &request,
        request_id,
        id,
        "case.extract_compile",
        move |work, conn| {
            if CaseKind::parse(&work.record.case.kind) != Some(CaseKind::Access) {
                return Err(AppError::Conflict {
                    code: "not_an_access_request",
                    detail: "An extract answers an access request (registerutdrag).".into(),
                });
            }
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
            work.ensure_identities_verified()?;
            let findings = store::findings_of(conn, &work.record.case.id)?;
            let subject: Subject =
                serde_json::from_str(&work.record.case.subject).map_err(AppError::internal)?;
            let mut sections = Vec::new();
            for part in &work.record.parts {
                let controller = controllers::find(conn, &part.controller_id)?;
                let mine: Vec<&FindingRow> = findings
                    .iter()
                    .filter(|f| f.controller_id == part.controller_id && f.found)
                    .collect();
                let mut activities = Vec::new();
                let mut withheld_references = Vec::new();
                for finding in &mine {
                    let activity: Activity =
                        serde_json::from_str(&finding.activity).map_err(AppError::internal)?;
                    if finding.secrecy == "withhold" {
                        withheld_references.extend(finding.secrecy_reference.clone());
                        continue;
                    }
                    activities.push(ExtractActivity {
                        name: activity.name,
                        purpose: activity.purpose,
                        data_categories: activity.data_categories,
                        recipients: activity.recipients,
                        retention: activity.retention,
                        source: activity.source,
                        legal_basis: activity.legal_basis,
                        third_country_transfer: activity.third_country_transfer,
                        data_found: finding.data.clone().unwrap_or_default(),
                    });
                }
                let withheld_count = mine.iter().filter(|f| f.secrecy == "withhold").count();
                withheld_references.sort();
                withheld_references.dedup();
                sections.push(ExtractController {
                    name: controller
                        .as_ref()
                        .map(|c| c.name.clone())
                        .unwrap_or_else(|| part.controller_id.clone()),
                    email: controller.as_ref().and_then(|c| c.email.clone()),
                    dpo_email: controller.as_ref().and_then(|c| c.dpo_email.clone()),
                    controller: part.controller_id.clone(),
                    activities,
                    withheld_count,
                    withheld_references,
                });
            }
            let reference = work.record.case.reference.clone();
            let extract = Extract {
                compiled_at: now,
                date: crate::clock::local_date(now),
                organisation: settings.organisation.name.clone(),
                organisation_contact: settings.organisation.contact.clone(),
                dpo_email: settings.organisation.dpo_email.clone(),
                subject: ExtractRecipient {
                    name: subject.name.clone(),
                    personnummer: subject.personnummer.clone(),
                    address: subject
                        .address
                        .map(|a| vec![a.street, format!("{} {}", a.postal_code, a.city)])
                        .unwrap_or_default(),
                },
                representative: representative(work.record.case.representative.as_deref())?
                    .map(|r| r.name),
                partial_refusal: sections.iter().any(|s| s.withheld_count > 0),
                appeal_sv: appeal_for(&sections, &reference),
                controllers: sections,
                rights_sv: super::document::RIGHTS_SV.to_owned(),
                complaint_sv: complaint_sv(),
                automated_decisions_sv: super::document::AUTOMATED_DECISIONS_SV.to_owned(),
                reference,
            };
            let released: usize = extract.controllers.iter().map(|c| c.activities.len()).sum();
            let withheld: usize = extract.controllers.iter().map(|c| c.withheld_count).sum();
            store::save_extract(
                conn,
                &work.record.case.id,
                &serde_json::to_string(&extract).map_err(AppError::internal)?,
                now.naive_utc(),
                &actor.sub,
            )?;
            work.record_work(
                "extract_compiled",
                serde_json::json!({ "released": released, "withheld": withheld }),
            )
        },
    )
    .await?;
    let mut response = extract_response(&state, id, false).await?;
    *response.status_mut() = actix_web::http::StatusCode::CREATED;
    Ok(response)
}

async fn extract_response(state: &AppState, id: uuid::Uuid, pdf: bool) -> AppResult<HttpResponse> {
    let case_id = id.to_string();
    let (content, _) = state
        .db
        .read(move |conn| store::extract_of(conn, &case_id))
        .await?
        .ok_or(AppError::NotFound)?;
    let extract: Extract = serde_json::from_str(&content).map_err(AppError::internal)?;
    if pdf {
        let bytes = actix_web::web::block(move || crate::letters::pdf::render(&extract.letter()))
            .await
            .map_err(AppError::internal)?
            .map_err(AppError::internal)?;
        Ok(HttpResponse::Ok()
            .content_type("application/pdf")
            .insert_header((
                "Content-Disposition",
                "inline; filename=\"registerutdrag.pdf\"",
            ))
            .body(bytes))
    } else {
        Ok(HttpResponse::Ok().json(extract))
    }
}

fn wants_pdf(request: &HttpRequest) -> bool {
    request
        .headers()
        .get("accept")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("application/pdf"))
}

/// The extract as JSON, or as the Swedish PDF letter with `Accept: application/pdf`.
#[utoipa::path(tag = "extract", params(("id" = String, Path)), responses((status = 200, body = Extract), (status = 404, body = crate::error::Problem, content_type = "application/problem+json")), security(("bearer" = [])))]
#[get("/cases/{id}/extract")]
pub async fn get_extract(
    state: web::Data<AppState>,
    user: AuthUser,
    request: HttpRequest,
    request_id: RequestId,
    path: web::Path<uuid::Uuid>,
) -> AppResult<HttpResponse> {
    user.require(Action::ReadCase)?;
    let id = path.into_inner();
    read_audited(&state, &user, id, "case.extract_read", request_id).await?;
    extract_response(&state, id, wants_pdf(&request)).await
}

/// The extract as the Swedish PDF letter.
#[utoipa::path(tag = "extract", params(("id" = String, Path)), responses((status = 200, content_type = "application/pdf", description = "The letter"), (status = 404, body = crate::error::Problem, content_type = "application/problem+json")), security(("bearer" = [])))]
#[get("/cases/{id}/extract.pdf")]
pub async fn get_extract_pdf(
    state: web::Data<AppState>,
    user: AuthUser,
    request_id: RequestId,
    path: web::Path<uuid::Uuid>,
) -> AppResult<HttpResponse> {
    user.require(Action::ReadCase)?;
    let id = path.into_inner();
    read_audited(&state, &user, id, "case.extract_read", request_id).await?;
    extract_response(&state, id, true).await
}
