//! Attaching a document to a finding, and removing it: case changes, journaled and audited.

use sha2::{Digest, Sha256};

use super::store::{self, AttachmentMeta, AttachmentRow};
use super::{CheckedFile, MAX_PER_FINDING};
use crate::audit::AuditAction;
use crate::auth::{Action, AuthUser};
use crate::cases::store::CaseRecord;
use crate::casework::service::CaseChange;
use crate::casework::work::Work;
use crate::db::DbConnection;
use crate::error::{AppError, AppResult, ConflictCode};
use crate::extract::store::FindingRow;

/// A copy of a document that holds the data found in one activity.
pub struct AddAttachment {
    /// Chosen by the caller, so the attachment can be read back once recorded.
    pub id: String,
    pub activity_id: String,
    pub file: CheckedFile,
    pub content: Vec<u8>,
}

impl CaseChange for AddAttachment {
    /// The finding in the activity, and how many attachments it has.
    type Inputs = (Option<FindingRow>, i64);
    type Rows = AttachmentRow;
    const PERMISSION: Action = Action::RecordFindings;
    const AUDIT_ACTION: AuditAction = AuditAction::AttachmentAdded;

    fn load(&self, conn: &mut DbConnection, record: &CaseRecord) -> AppResult<Self::Inputs> {
        let finding = crate::extract::store::findings_of(conn, &record.case.id)?
            .into_iter()
            .find(|f| f.activity_id == self.activity_id);
        let count = store::count_of_finding(conn, &record.case.id, &self.activity_id)?;
        Ok((finding, count))
    }

    fn apply(
        &self,
        work: &mut Work,
        user: &AuthUser,
        (finding, count): Self::Inputs,
    ) -> AppResult<AttachmentRow> {
        let finding = finding.filter(|f| f.found).ok_or_else(|| AppError::Conflict {
            code: ConflictCode::NoFinding,
            detail: "Record what was found in the activity before attaching the documents that hold it.".into(),
        })?;
        if !user.acts_for(&finding.controller_id) {
            return Err(AppError::forbidden(
                "You do not work for this activity's controller.",
            ));
        }
        if count >= MAX_PER_FINDING {
            return Err(AppError::validation(
                "content",
                "too_many",
                "A finding carries at most 10 attachments.",
            ));
        }
        work.record_work(
            "attachment_added",
            serde_json::json!({
                "controller": finding.controller_id,
                "activity": finding.activity.0.name,
                "attachment": self.id,
                "content_type": self.file.content_type,
                "size_bytes": self.content.len(),
            }),
        )?;
        Ok(AttachmentRow {
            id: self.id.clone(),
            case_id: work.record.case.id.clone(),
            activity_id: finding.activity_id.clone(),
            controller_id: finding.controller_id.clone(),
            file_name: self.file.file_name.clone().into(),
            content_type: self.file.content_type.to_owned(),
            size_bytes: self.content.len() as i64,
            sha256: format!("{:x}", Sha256::digest(&self.content)),
            content: crate::db::SealedBytes(self.content.clone()),
            created_at: work.now.naive_utc(),
            created_by: user.sub.clone(),
        })
    }

    fn write(&self, conn: &mut DbConnection, row: &AttachmentRow) -> AppResult<()> {
        store::insert(conn, row)
    }
}

/// An attachment taken off its finding (a wrong file, a document that does not hold the data).
pub struct RemoveAttachment {
    pub id: String,
}

impl CaseChange for RemoveAttachment {
    type Inputs = Option<AttachmentMeta>;
    type Rows = String;
    const PERMISSION: Action = Action::RecordFindings;
    const AUDIT_ACTION: AuditAction = AuditAction::AttachmentRemoved;

    fn load(&self, conn: &mut DbConnection, record: &CaseRecord) -> AppResult<Self::Inputs> {
        store::find_meta(conn, &record.case.id, &self.id)
    }

    fn apply(
        &self,
        work: &mut Work,
        user: &AuthUser,
        attachment: Self::Inputs,
    ) -> AppResult<String> {
        let attachment = attachment.ok_or(AppError::NotFound)?;
        if !user.acts_for(&attachment.controller_id) {
            // Another nämnd's attachment is secret (OSL 8 kap. 1 §): as if it did not exist.
            return Err(AppError::NotFound);
        }
        work.record_work(
            "attachment_removed",
            serde_json::json!({
                "controller": attachment.controller_id,
                "attachment": attachment.id,
            }),
        )?;
        Ok(attachment.id)
    }

    fn write(&self, conn: &mut DbConnection, id: &String) -> AppResult<()> {
        store::delete(conn, id)
    }
}
