//! The extract's service: candidates from the register, findings with the secrecy review, the
//! compiled extract and its letter. Changes go through `casework::service::change`, reads through
//! the audited case read.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDateTime;

use super::compile::compile;
use super::document::Extract;
use super::store::{self, FindingRow};
use super::stored::{ActivitySnapshot, StoredExtract};
use crate::audit::AuditAction;
use crate::auth::{Action, AuthUser};
use crate::cases::access::{read_audited, require_for_case, ReadTrail};
use crate::cases::store::CaseRecord;
use crate::casework::actions::require_a_part_of_mine;
use crate::casework::service::{change, CaseChange, CaseTarget};
use crate::casework::work::Work;
use crate::config::OrganisationSettings;
use crate::controllers::store::{self as controllers, ControllerRow};
use crate::db::SealedText;
use crate::db::{DbConnection, JsonText, SealedJson};
use crate::domain::case::CaseKind;
use crate::domain::code::coded_enum;
use crate::domain::legal_basis::advise;
use crate::error::{AppError, AppResult, ConflictCode};
use crate::register::candidates::candidates;
use crate::register::store::{self as register, Activity, ActivityRow};
use crate::services::Services;

pub use super::views::{CandidateView, FindingView};

/// The activities of the case's controllers that may concern the person, ranked, with findings.
pub async fn case_candidates(
    services: &Services,
    user: &AuthUser,
    id: uuid::Uuid,
    trail: &ReadTrail,
) -> AppResult<Vec<CandidateView>> {
    require_for_case(
        services,
        user,
        Action::ReadFindings,
        id,
        AuditAction::Candidates,
        trail.request_id.clone(),
    )
    .await?;
    let record = read_audited(services, user, id, AuditAction::Candidates, trail).await?;
    // Only the activities, and so the findings, of the parts this user sees (OSL 8 kap. 1 §).
    let controllers: Vec<String> = record
        .controller_ids()
        .into_iter()
        .filter(|c| !record.sealed_parts.contains(c))
        .collect();
    let case_id = record.case.id.clone();
    let (rows, findings) = services
        .db
        .read_snapshot(move |conn| {
            Ok((
                register::of_controllers(conn, &controllers)?,
                store::findings_of(conn, &case_id)?,
            ))
        })
        .await?;
    let activities: BTreeMap<String, Activity> = rows
        .iter()
        .map(|r| {
            let a = r.to_activity();
            (a.id.clone(), a)
        })
        .collect();
    let docs: Vec<_> = activities.values().map(Activity::search_doc).collect();
    let person = &record.case.subject_categories;
    let kind = record.case.kind;
    Ok(candidates(person, &docs)
        .into_iter()
        .filter_map(|c| activities.get(&c.id).cloned().map(|activity| (c, activity)))
        .map(|(c, activity)| {
            let finding = findings
                .iter()
                .find(|f| f.activity_id == c.id)
                .map(FindingView::of);
            CandidateView {
                advice: advise(kind, &activity.legal_basis, &activity.retention),
                activity,
                score: c.score,
                reasons: c.reasons,
                matched_categories: c.matched_categories,
                finding,
            }
        })
        .collect())
}

/// The compiled extract of a case the user may see (404 before it is compiled).
pub async fn read_extract(
    services: &Services,
    user: &AuthUser,
    id: uuid::Uuid,
    trail: &ReadTrail,
) -> AppResult<Extract> {
    require_for_case(
        services,
        user,
        Action::ReadExtract,
        id,
        AuditAction::ExtractRead,
        trail.request_id.clone(),
    )
    .await?;
    let record = read_audited(services, user, id, AuditAction::ExtractRead, trail).await?;
    Ok(stored_extract(services, id).await?.only_controllers(
        |c| !record.sealed_parts.iter().any(|s| s == c),
        services.court(),
    ))
}

/// The extract as the Swedish PDF letter.
pub async fn extract_letter(
    services: &Services,
    user: &AuthUser,
    id: uuid::Uuid,
    trail: &ReadTrail,
) -> AppResult<Vec<u8>> {
    let extract = read_extract(services, user, id, trail).await?;
    // The copies of documents go with the extract, embedded in its PDF; exactly those it was
    // compiled with.
    let listed: Vec<String> = extract
        .controllers
        .iter()
        .flat_map(|c| &c.activities)
        .flat_map(|a| &a.attachments)
        .map(|a| a.id.clone())
        .collect();
    let case_id = id.to_string();
    let files = if listed.is_empty() {
        Vec::new()
    } else {
        let wanted = listed.clone();
        services
            .db
            .read(move |conn| crate::attachments::store::with_content(conn, &case_id, &wanted))
            .await?
    };
    if files.len() != listed.len() {
        return Err(AppError::Conflict {
            code: ConflictCode::ExtractOutOfDate,
            detail: "An attachment the extract lists was removed: compile the extract again."
                .into(),
        });
    }
    let embedded: Vec<crate::letters::pdf::EmbeddedDocument> = files
        .into_iter()
        .map(|f| crate::letters::pdf::EmbeddedDocument {
            file_name: f.file_name.into_inner(),
            content_type: f.content_type,
            content: f.content.into_inner(),
        })
        .collect();
    actix_web::web::block(move || {
        crate::letters::pdf::render_with_documents(&extract.letter(), &embedded)
    })
    .await
    .map_err(AppError::internal)?
    .map_err(AppError::internal)
}

/// Compiles the extract (a case change) and answers with it as stored.
pub async fn compile_extract(
    services: &Services,
    user: &AuthUser,
    target: CaseTarget,
    command: CompileExtract,
) -> AppResult<Extract> {
    let id = target.id;
    let record = change(services, user, target, command).await?;
    Ok(stored_extract(services, id).await?.only_controllers(
        |c| !record.sealed_parts.iter().any(|s| s == c),
        services.court(),
    ))
}

/// The extract as stored (404 before it is compiled); one that does not decode is an error
/// logged with the case id.
async fn stored_extract(services: &Services, id: uuid::Uuid) -> AppResult<Extract> {
    let case_id = id.to_string();
    let (content, _) = services
        .db
        .read(move |conn| store::extract_of(conn, &case_id))
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Extract::from(content.into_inner()))
}

coded_enum! {
    /// The secrecy review of a finding.
    pub enum Secrecy {
        Release => "release",
        Withhold => "withhold",
    }
}

/// What was found in one activity, and the secrecy review of it.
pub struct RecordFinding {
    pub activity_id: String,
    pub found: bool,
    pub data: Option<String>,
    pub secrecy: Secrecy,
    pub secrecy_reference: Option<String>,
    pub guardian_secrecy_considered: bool,
}

impl CaseChange for RecordFinding {
    /// The activity, if the register has it.
    type Inputs = Option<ActivityRow>;
    type Rows = FindingRow;
    const PERMISSION: Action = Action::RecordFindings;
    const AUDIT_ACTION: AuditAction = AuditAction::Finding;

    fn load(&self, conn: &mut DbConnection, _: &CaseRecord) -> AppResult<Option<ActivityRow>> {
        register::find(conn, &self.activity_id)
    }

    fn apply(
        &self,
        work: &mut Work,
        user: &AuthUser,
        activity: Option<ActivityRow>,
    ) -> AppResult<FindingRow> {
        let activity = register::known(activity)?;
        if !work
            .record
            .parts
            .iter()
            .any(|p| p.controller_id == activity.controller_id)
        {
            return Err(AppError::validation(
                "activity_id",
                "not_a_part",
                "The activity belongs to a controller that is not a part of this case.",
            ));
        }
        if !user.acts_for(&activity.controller_id) {
            return Err(AppError::forbidden(
                "You do not work for this activity's controller.",
            ));
        }
        let guardian = work.is_guardian_request()?;
        if guardian
            && self.found
            && self.secrecy == Secrecy::Release
            && !self.guardian_secrecy_considered
        {
            return Err(AppError::validation(
                "guardian_secrecy_considered",
                "required",
                "The request is made by a guardian: confirm that secrecy towards the guardian (OSL 12 kap. 3 §) \
                 has been considered before releasing the finding.",
            ));
        }
        // The extract and the decision can never disagree (domain.md §6a): withholding makes
        // the part a partial refusal, which a decision granting in full is not.
        if self.found && self.secrecy == Secrecy::Withhold {
            let granted_in_full = work.record.decisions.iter().any(|d| {
                d.controller_id == activity.controller_id
                    && d.outcome == crate::domain::decision::Outcome::Granted
            });
            if granted_in_full {
                return Err(AppError::Conflict {
                    code: crate::error::ConflictCode::WithheldAfterGrant,
                    detail: "The nämnd has granted the request in full: withholding a finding now would make the extract a partial refusal the decision does not say.".into(),
                });
            }
        }
        let snapshot = activity.to_activity();
        work.record_work(
            "finding_recorded",
            serde_json::json!({ "activity": activity.name, "controller": activity.controller_id,
                                "found": self.found, "secrecy": self.secrecy.as_str(),
                                "secrecy_reference": self.secrecy_reference }),
        )?;
        Ok(FindingRow {
            case_id: work.record.case.id.clone(),
            activity_id: activity.id.clone(),
            controller_id: activity.controller_id.clone(),
            found: self.found,
            data: self.data.clone().map(SealedText),
            secrecy: self.secrecy,
            secrecy_reference: self.secrecy_reference.clone(),
            guardian_secrecy_considered: self.guardian_secrecy_considered,
            activity: JsonText(ActivitySnapshot::from(&snapshot)),
            reviewed_by: user.sub.clone(),
            reviewed_at: work.now.naive_utc(),
        })
    }

    fn write(&self, conn: &mut DbConnection, finding: &FindingRow) -> AppResult<()> {
        store::save_finding(conn, finding)
    }
}

/// Compile the extract from the released findings, in the name of `organisation`.
pub struct CompileExtract {
    pub organisation: OrganisationSettings,
}

/// The compiled extract as it is stored.
pub struct CompiledExtract {
    case_id: String,
    content: SealedJson<StoredExtract>,
    at: NaiveDateTime,
    by: String,
}

impl CaseChange for CompileExtract {
    type Inputs = (
        Vec<FindingRow>,
        Vec<crate::attachments::store::AttachmentMeta>,
        HashMap<String, ControllerRow>,
    );
    type Rows = CompiledExtract;
    const PERMISSION: Action = Action::CompileExtract;
    const AUDIT_ACTION: AuditAction = AuditAction::ExtractCompile;

    fn load(&self, conn: &mut DbConnection, record: &CaseRecord) -> AppResult<Self::Inputs> {
        let findings = store::findings_of(conn, &record.case.id)?;
        let attachments = crate::attachments::store::of_case(conn, &record.case.id)?;
        let mut rows = HashMap::new();
        for id in record.controller_ids() {
            if let Some(row) = controllers::find(conn, &id)? {
                rows.insert(id, row);
            }
        }
        Ok((findings, attachments, rows))
    }

    fn apply(
        &self,
        work: &mut Work,
        user: &AuthUser,
        (findings, attachments, controllers): Self::Inputs,
    ) -> AppResult<CompiledExtract> {
        if work.record.case.kind != CaseKind::Access {
            return Err(AppError::Conflict {
                code: ConflictCode::NotAnAccessRequest,
                detail: "An extract answers an access request (registerutdrag).".into(),
            });
        }
        require_a_part_of_mine(work, user)?;
        work.ensure_identities_verified()?;
        let extract = compile(
            &work.record,
            &findings,
            &attachments,
            &controllers,
            &self.organisation,
            work.now,
        );
        let released: usize = extract.controllers.iter().map(|c| c.activities.len()).sum();
        let withheld: usize = extract.controllers.iter().map(|c| c.withheld_count).sum();
        work.record_work(
            "extract_compiled",
            serde_json::json!({ "released": released, "withheld": withheld }),
        )?;
        Ok(CompiledExtract {
            case_id: work.record.case.id.clone(),
            content: SealedJson(StoredExtract::from(&extract)),
            at: work.now.naive_utc(),
            by: user.sub.clone(),
        })
    }

    fn write(&self, conn: &mut DbConnection, extract: &CompiledExtract) -> AppResult<()> {
        store::save_extract(
            conn,
            &extract.case_id,
            &extract.content,
            extract.at,
            &extract.by,
        )
    }
}

/// The portable data of a portability request (Art. 20), as far as the reader sees its parts.
pub async fn portable_data(
    services: &Services,
    user: &AuthUser,
    id: uuid::Uuid,
    trail: &ReadTrail,
) -> AppResult<Vec<super::portability::PortableItem>> {
    require_for_case(
        services,
        user,
        Action::ReadExtract,
        id,
        AuditAction::PortabilityRead,
        trail.request_id.clone(),
    )
    .await?;
    let record = read_audited(services, user, id, AuditAction::PortabilityRead, trail).await?;
    if record.case.kind != crate::domain::case::CaseKind::Portability {
        return Err(AppError::Conflict {
            code: crate::error::ConflictCode::NotAPortabilityRequest,
            detail:
                "Only a portability request (kind `portability`) is answered with portable data."
                    .into(),
        });
    }
    let case_id = record.case.id.clone();
    let findings = services
        .db
        .read(move |conn| store::findings_of(conn, &case_id))
        .await?;
    Ok(super::portability::portable(&findings, |c| {
        !record.sealed_parts.iter().any(|s| s == c)
    }))
}
