//! The case's documents as allmänna handlingar (OSL 5 kap. 1 §, domain.md §9): the request, the
//! identity evidence, the decisions, the letters, the extract with the copies of documents
//! attached to its findings, and the appeals, each with its date, as far as the reader may see
//! them.

use chrono::{DateTime, TimeZone, Utc};
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use super::access::{read_audited, require_for_case, ReadTrail};
use crate::audit::AuditAction;
use crate::auth::{Action, AuthUser};
use crate::db::schema::extracts;
use crate::error::AppResult;
use crate::services::Services;

/// One document of the case.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CaseDocument {
    /// `request`, `identity_evidence`, `decision`, `letter`, `extract`, `attachment`, `appeal`,
    /// `superseded_decision`.
    pub kind: &'static str,
    /// What it is, in Swedish.
    pub title_sv: String,
    pub at: DateTime<Utc>,
    /// The nämnd it belongs to, if one.
    pub controller: Option<String>,
}

pub async fn documents(
    services: &Services,
    user: &AuthUser,
    id: uuid::Uuid,
    trail: &ReadTrail,
) -> AppResult<Vec<CaseDocument>> {
    require_for_case(
        services,
        user,
        Action::ReadJournal,
        id,
        AuditAction::DocumentsRead,
        trail.request_id.clone(),
    )
    .await?;
    let record = read_audited(services, user, id, AuditAction::DocumentsRead, trail).await?;
    let case_id = record.case.id.clone();
    let (letters, appeals, extract, superseded, attachments) = services
        .db
        .read_snapshot(move |conn| {
            let letters = crate::print_queue::store::of_case(conn, &case_id)?;
            let appeals = crate::appeals::store::of_case(conn, &case_id)?;
            let extract: Option<chrono::NaiveDateTime> = extracts::table
                .find(&case_id)
                .select(extracts::compiled_at)
                .first(conn)
                .optional()?;
            let superseded = crate::appeals::store::superseded_of(conn, &case_id)?;
            let attachments = crate::attachments::store::of_case(conn, &case_id)?;
            Ok((letters, appeals, extract, superseded, attachments))
        })
        .await?;
    let utc = |at: chrono::NaiveDateTime| Utc.from_utc_datetime(&at);
    let day = |d: chrono::NaiveDate| Utc.from_utc_datetime(&d.and_time(chrono::NaiveTime::MIN));
    let sees = |controller: &Option<String>| {
        controller
            .as_ref()
            .is_none_or(|c| !record.sealed_parts.contains(c))
    };
    let case = &record.case;
    let mut documents = vec![CaseDocument {
        kind: "request",
        title_sv: format!(
            "Begäran om {} ({})",
            case.kind.swedish_label(),
            case.channel.swedish_label()
        ),
        at: utc(case.received_at),
        controller: None,
    }];
    if let (Some(method), Some(at)) = (case.identity_method, case.identity_verified_at) {
        documents.push(CaseDocument {
            kind: "identity_evidence",
            title_sv: format!("Identitetskontroll: {}", method.swedish_label()),
            at: utc(at),
            controller: None,
        });
    }
    if let (Some(method), Some(at)) = (
        case.representative_identity_method,
        case.representative_verified_at,
    ) {
        documents.push(CaseDocument {
            kind: "identity_evidence",
            title_sv: format!("Ombudets identitetskontroll: {}", method.swedish_label()),
            at: utc(at),
            controller: None,
        });
    }
    for decision in &record.decisions {
        documents.push(CaseDocument {
            kind: "decision",
            title_sv: format!("Beslut: {}", decision.outcome.swedish_label()),
            at: utc(decision.decided_at),
            controller: Some(decision.controller_id.clone()),
        });
    }
    for letter in letters.into_iter().filter(|l| sees(&l.controller_id)) {
        documents.push(CaseDocument {
            kind: "letter",
            title_sv: format!("Brev: {}", letter_title(letter.template)),
            at: utc(letter.created_at),
            controller: letter.controller_id,
        });
    }
    if let Some(at) = extract {
        documents.push(CaseDocument {
            kind: "extract",
            title_sv: "Registerutdrag".to_owned(),
            at: utc(at),
            controller: None,
        });
    }
    for attachment in attachments
        .into_iter()
        .filter(|a| sees(&Some(a.controller_id.clone())))
    {
        documents.push(CaseDocument {
            kind: "attachment",
            title_sv: format!("Kopia till registerutdraget: {}", attachment.file_name),
            at: utc(attachment.created_at),
            controller: Some(attachment.controller_id),
        });
    }
    for appeal in appeals
        .into_iter()
        .filter(|a| sees(&Some(a.controller_id.clone())))
    {
        documents.push(CaseDocument {
            kind: "appeal",
            title_sv: "Överklagande".to_owned(),
            at: day(appeal.received_on),
            controller: Some(appeal.controller_id),
        });
    }
    for old in superseded
        .into_iter()
        .filter(|d| sees(&Some(d.controller.clone())))
    {
        documents.push(CaseDocument {
            kind: "superseded_decision",
            title_sv: format!(
                "Beslut som ändrats vid omprövning: {}",
                old.outcome.swedish_label()
            ),
            at: utc(old.decided_at),
            controller: Some(old.controller),
        });
    }
    documents.sort_by_key(|d| d.at);
    Ok(documents)
}

fn letter_title(template: crate::notify::outbox::Template) -> &'static str {
    use crate::notify::outbox::Template;
    match template {
        Template::Receipt => "mottagningsbevis",
        Template::IdentityRequest => "begäran om komplettering för identitet",
        Template::ExtensionNotice => "besked om förlängd tid",
        Template::DecisionNotice => "beslut",
        Template::RestrictionLifting => "besked om att begränsningen hävs",
        _ => "meddelande",
    }
}
