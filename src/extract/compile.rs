//! Assembling the extract from a case, its findings and its controllers. Pure: everything it
//! needs is loaded before, and the result is saved by the service.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::document::{
    appeal_for, automated_decisions_sv, complaint_sv, Extract, ExtractActivity, ExtractAttachment,
    ExtractController, ExtractRecipient, RIGHTS_SV,
};
use super::store::FindingRow;
use super::Secrecy;
use crate::attachments::store::AttachmentMeta;
use crate::cases::store::CaseRecord;
use crate::config::OrganisationSettings;
use crate::controllers::store::ControllerRow;
use crate::domain::case::ControllerKind;

/// The extract of `record`: per part, the released findings with their attachments, and how
/// many were withheld.
pub fn compile(
    record: &CaseRecord,
    findings: &[FindingRow],
    attachments: &[AttachmentMeta],
    controllers: &HashMap<String, ControllerRow>,
    organisation: &OrganisationSettings,
    now: DateTime<Utc>,
) -> Extract {
    let subject = &record.case.subject;
    let sections = record
        .parts
        .iter()
        .map(|part| {
            section(
                &part.controller_id,
                findings,
                attachments,
                controllers.get(&part.controller_id),
            )
        })
        .collect::<Vec<_>>();
    let reference = record.case.reference.clone();
    Extract {
        compiled_at: now,
        date: crate::clock::local_date(now),
        organisation: organisation.name.clone(),
        organisation_contact: organisation.contact.clone(),
        dpo_email: organisation.dpo_email.clone(),
        subject: ExtractRecipient {
            name: subject.name.clone(),
            personnummer: subject.personnummer.clone(),
            other_identity: subject
                .other_identity
                .clone()
                .map(crate::cases::dto::OtherIdentity::from),
            // A protected address never goes into a letter that someone may print and post.
            address: subject
                .address
                .as_ref()
                .filter(|_| !record.case.protected_identity)
                .map(|a| vec![a.street.clone(), format!("{} {}", a.postal_code, a.city)])
                .unwrap_or_default(),
        },
        representative: record.case.representative.as_ref().map(|r| r.name.clone()),
        representative_address: record
            .case
            .representative
            .as_ref()
            .and_then(|r| r.address.as_ref())
            .filter(|_| !record.case.protected_identity)
            .map(|a| vec![a.street.clone(), format!("{} {}", a.postal_code, a.city)])
            .unwrap_or_default(),
        partial_refusal: sections.iter().any(|s| s.withheld_count > 0),
        appeal_sv: appeal_for(&sections, &reference, organisation.court()),
        automated_decisions_sv: automated_decisions_sv(&sections),
        controllers: sections,
        rights_sv: RIGHTS_SV.to_owned(),
        complaint_sv: complaint_sv(),
        reference,
    }
}

/// One controller's part of the extract.
fn section(
    controller_id: &str,
    findings: &[FindingRow],
    attachments: &[AttachmentMeta],
    controller: Option<&ControllerRow>,
) -> ExtractController {
    let mine: Vec<&FindingRow> = findings
        .iter()
        .filter(|f| f.controller_id == controller_id && f.found)
        .collect();
    let mut activities = Vec::new();
    let mut withheld_references = Vec::new();
    for finding in &mine {
        if finding.secrecy == Secrecy::Withhold {
            withheld_references.extend(finding.secrecy_reference.clone());
            continue;
        }
        let mut activity = ExtractActivity::from_register(
            finding.activity.0.clone(),
            finding.data.as_deref().unwrap_or_default().to_owned(),
        );
        activity.attachments = attachments
            .iter()
            .filter(|a| a.activity_id == finding.activity_id)
            .map(|a| ExtractAttachment {
                id: a.id.clone(),
                file_name: a.file_name.to_string(),
                content_type: a.content_type.clone(),
                size_bytes: a.size_bytes,
            })
            .collect();
        activities.push(activity);
    }
    withheld_references.sort();
    withheld_references.dedup();
    ExtractController {
        name: controller
            .map(|c| c.name.clone())
            .unwrap_or_else(|| controller_id.to_owned()),
        email: controller.and_then(|c| c.email.clone()),
        dpo_email: controller.and_then(|c| c.dpo_email.clone()),
        kind: controller.map_or(ControllerKind::Namnd, |c| c.kind),
        controller: controller_id.to_owned(),
        activities,
        withheld_count: mine
            .iter()
            .filter(|f| f.secrecy == Secrecy::Withhold)
            .count(),
        withheld_references,
    }
}
