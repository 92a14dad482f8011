//! The shapes of the extract's JSON columns: the register activity as it was when a finding was
//! recorded, and the compiled extract. Storage's own, so the API's `Activity` and `Extract`
//! may change without touching a stored row; the field names are those rows already hold.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::document::{
    Extract, ExtractActivity, ExtractAttachment, ExtractController, ExtractRecipient,
};
use crate::cases::dto::OtherIdentity;
use crate::cases::stored::StoredOtherIdentity;
use crate::domain::case::ControllerKind;
use crate::register::store::Activity;

/// What the extract copies from a register activity (Art. 15(1)(a)-(d), (g), (h), 15(2)).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActivitySnapshot {
    pub name: String,
    pub purpose: String,
    pub data_categories: Vec<String>,
    pub recipients: String,
    pub retention: String,
    pub source: String,
    pub legal_basis: String,
    pub third_country_transfer: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub automated_decision_making: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transfer_safeguards: Option<String>,
}

impl From<&Activity> for ActivitySnapshot {
    fn from(a: &Activity) -> Self {
        Self {
            name: a.name.clone(),
            purpose: a.purpose.clone(),
            data_categories: a.data_categories.clone(),
            recipients: a.recipients.clone(),
            retention: a.retention.clone(),
            source: a.source.clone(),
            legal_basis: a.legal_basis.clone(),
            third_country_transfer: a.third_country_transfer.clone(),
            automated_decision_making: a.automated_decision_making.clone(),
            transfer_safeguards: a.transfer_safeguards.clone(),
        }
    }
}

/// A document attached to a finding, as the extract stored it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredAttachment {
    pub id: String,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
}

/// An activity of the extract: the register's texts and what was found in it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredExtractActivity {
    #[serde(flatten)]
    pub activity: ActivitySnapshot,
    pub data_found: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<StoredAttachment>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredExtractController {
    pub controller: String,
    pub name: String,
    #[serde(default = "namnd")]
    pub kind: ControllerKind,
    pub email: Option<String>,
    pub dpo_email: Option<String>,
    pub activities: Vec<StoredExtractActivity>,
    pub withheld_count: usize,
    pub withheld_references: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredRecipient {
    pub name: String,
    pub personnummer: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub other_identity: Option<StoredOtherIdentity>,
    pub address: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredExtract {
    pub reference: String,
    pub compiled_at: DateTime<Utc>,
    pub date: NaiveDate,
    pub organisation: String,
    pub organisation_contact: String,
    pub dpo_email: String,
    pub subject: StoredRecipient,
    pub representative: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub representative_address: Vec<String>,
    pub controllers: Vec<StoredExtractController>,
    pub partial_refusal: bool,
    pub rights_sv: String,
    pub complaint_sv: String,
    pub automated_decisions_sv: String,
    pub appeal_sv: Option<String>,
}

impl From<&ExtractActivity> for StoredExtractActivity {
    fn from(a: &ExtractActivity) -> Self {
        Self {
            activity: ActivitySnapshot {
                name: a.name.clone(),
                purpose: a.purpose.clone(),
                data_categories: a.data_categories.clone(),
                recipients: a.recipients.clone(),
                retention: a.retention.clone(),
                source: a.source.clone(),
                legal_basis: a.legal_basis.clone(),
                third_country_transfer: a.third_country_transfer.clone(),
                automated_decision_making: a.automated_decision_making.clone(),
                transfer_safeguards: a.transfer_safeguards.clone(),
            },
            data_found: a.data_found.clone(),
            attachments: a
                .attachments
                .iter()
                .map(|x| StoredAttachment {
                    id: x.id.clone(),
                    file_name: x.file_name.clone(),
                    content_type: x.content_type.clone(),
                    size_bytes: x.size_bytes,
                })
                .collect(),
        }
    }
}

impl From<StoredExtractActivity> for ExtractActivity {
    fn from(stored: StoredExtractActivity) -> Self {
        let mut activity = ExtractActivity::from_register(stored.activity, stored.data_found);
        activity.attachments = stored
            .attachments
            .into_iter()
            .map(|x| ExtractAttachment {
                id: x.id,
                file_name: x.file_name,
                content_type: x.content_type,
                size_bytes: x.size_bytes,
            })
            .collect();
        activity
    }
}

impl ExtractActivity {
    /// The extract's activity from the register's texts and what was found.
    pub fn from_register(a: ActivitySnapshot, data_found: String) -> Self {
        Self {
            name: a.name,
            purpose: a.purpose,
            data_categories: a.data_categories,
            recipients: a.recipients,
            retention: a.retention,
            source: a.source,
            legal_basis: a.legal_basis,
            third_country_transfer: a.third_country_transfer,
            automated_decision_making: a.automated_decision_making,
            transfer_safeguards: a.transfer_safeguards,
            data_found,
            attachments: Vec::new(),
        }
    }
}

impl From<&ExtractController> for StoredExtractController {
    fn from(c: &ExtractController) -> Self {
        Self {
            controller: c.controller.clone(),
            name: c.name.clone(),
            kind: c.kind,
            email: c.email.clone(),
            dpo_email: c.dpo_email.clone(),
            activities: c.activities.iter().map(Into::into).collect(),
            withheld_count: c.withheld_count,
            withheld_references: c.withheld_references.clone(),
        }
    }
}

impl From<StoredExtractController> for ExtractController {
    fn from(c: StoredExtractController) -> Self {
        Self {
            controller: c.controller,
            name: c.name,
            kind: c.kind,
            email: c.email,
            dpo_email: c.dpo_email,
            activities: c.activities.into_iter().map(Into::into).collect(),
            withheld_count: c.withheld_count,
            withheld_references: c.withheld_references,
        }
    }
}

/// Extracts stored before controllers had a kind were all compiled for nämnder.
fn namnd() -> ControllerKind {
    ControllerKind::Namnd
}

impl From<&Extract> for StoredExtract {
    fn from(e: &Extract) -> Self {
        Self {
            reference: e.reference.clone(),
            compiled_at: e.compiled_at,
            date: e.date,
            organisation: e.organisation.clone(),
            organisation_contact: e.organisation_contact.clone(),
            dpo_email: e.dpo_email.clone(),
            subject: StoredRecipient {
                name: e.subject.name.clone(),
                personnummer: e.subject.personnummer.clone(),
                other_identity: e
                    .subject
                    .other_identity
                    .as_ref()
                    .map(StoredOtherIdentity::from),
                address: e.subject.address.clone(),
            },
            representative: e.representative.clone(),
            representative_address: e.representative_address.clone(),
            controllers: e.controllers.iter().map(Into::into).collect(),
            partial_refusal: e.partial_refusal,
            rights_sv: e.rights_sv.clone(),
            complaint_sv: e.complaint_sv.clone(),
            automated_decisions_sv: e.automated_decisions_sv.clone(),
            appeal_sv: e.appeal_sv.clone(),
        }
    }
}

impl From<StoredExtract> for Extract {
    fn from(e: StoredExtract) -> Self {
        Self {
            reference: e.reference,
            compiled_at: e.compiled_at,
            date: e.date,
            organisation: e.organisation,
            organisation_contact: e.organisation_contact,
            dpo_email: e.dpo_email,
            subject: ExtractRecipient {
                name: e.subject.name,
                personnummer: e.subject.personnummer,
                other_identity: e.subject.other_identity.map(OtherIdentity::from),
                address: e.subject.address,
            },
            representative: e.representative,
            representative_address: e.representative_address,
            controllers: e.controllers.into_iter().map(Into::into).collect(),
            partial_refusal: e.partial_refusal,
            rights_sv: e.rights_sv,
            complaint_sv: e.complaint_sv,
            automated_decisions_sv: e.automated_decisions_sv,
            appeal_sv: e.appeal_sv,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stored_extract_activity_keeps_its_flat_field_names() {
        let flat = serde_json::json!({
            "name": "Försörjningsstöd", "purpose": "Handläggning", "data_categories": ["Namn"],
            "recipients": "Ingen", "retention": "5 år", "source": "Den sökande",
            "legal_basis": "Myndighetsutövning", "third_country_transfer": "Nej",
            "data_found": "Ansökan 2025"
        });
        let stored: StoredExtractActivity = serde_json::from_value(flat.clone()).unwrap();
        assert_eq!(stored.data_found, "Ansökan 2025");
        assert_eq!(serde_json::to_value(&stored).unwrap(), flat);
    }

    /// A finding recorded before the snapshot had a type of its own held the whole API
    /// activity: it still decodes.
    #[test]
    fn a_snapshot_reads_a_finding_that_holds_the_whole_activity() {
        let old = serde_json::json!({
            "id": "a1", "controller": "socialnamnden", "name": "Försörjningsstöd",
            "purpose": "Handläggning", "subject_categories": ["Sökande"],
            "data_categories": ["Namn", "Personnummer"], "legal_basis": "Myndighetsutövning",
            "retention": "5 år", "recipients": "Försäkringskassan", "source": "Den sökande",
            "third_country_transfer": "Nej", "system": null, "extra": []
        });
        let snapshot: ActivitySnapshot = serde_json::from_value(old).unwrap();
        assert_eq!(snapshot.name, "Försörjningsstöd");
        assert_eq!(snapshot.data_categories, ["Namn", "Personnummer"]);
    }
}
