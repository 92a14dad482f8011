//! Assembling the extract from a case, its findings and its controllers. Pure: everything it
//! needs is loaded before, and the result is saved by the service.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::document::{
    appeal_for, complaint_sv, Extract, ExtractActivity, ExtractController, ExtractRecipient,
    AUTOMATED_DECISIONS_SV, RIGHTS_SV,
};
use super::store::FindingRow;
use super::Secrecy;
use crate::cases::store::CaseRecord;
use crate::config::OrganisationSettings;
use crate::controllers::store::ControllerRow;
use crate::domain::case::ControllerKind;

/// The extract of `record`: per part, the released findings and how many were withheld.
pub fn compile(
    record: &CaseRecord,
    findings: &[FindingRow],
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
        partial_refusal: sections.iter().any(|s| s.withheld_count > 0),
        appeal_sv: appeal_for(&sections, &reference, organisation.court()),
        controllers: sections,
        rights_sv: RIGHTS_SV.to_owned(),
        complaint_sv: complaint_sv(),
        automated_decisions_sv: AUTOMATED_DECISIONS_SV.to_owned(),
        reference,
    }
}

/// One controller's part of the extract.
fn section(
    controller_id: &str,
    findings: &[FindingRow],
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
        activities.push(ExtractActivity::from_register(
            finding.activity.0.clone(),
            finding.data.clone().unwrap_or_default(),
        ));
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
