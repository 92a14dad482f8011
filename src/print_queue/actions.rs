//! Marking a letter posted, and the day the person received it: case changes, journaled and
//! audited.

use chrono::NaiveDate;

use super::store::{self, LetterRow};
use super::{LetterStatus, ReceiptEvidence};
use crate::audit::AuditAction;
use crate::auth::{Action, AuthUser};
use crate::cases::store::CaseRecord;
use crate::casework::service::CaseChange;
use crate::casework::work::Work;
use crate::db::DbConnection;
use crate::error::{AppError, AppResult, ConflictCode};

/// The letter, if the case has it and the user works for its nämnd.
fn own_letter(letter: Option<LetterRow>, user: &AuthUser) -> AppResult<LetterRow> {
    let letter = letter.ok_or(AppError::NotFound)?;
    if let Some(controller) = &letter.controller_id {
        if !user.acts_for(controller) {
            return Err(AppError::forbidden(
                "You do not work for this letter's nämnd.",
            ));
        }
    }
    Ok(letter)
}

/// The letter in `record`'s case with this id.
fn letter_of_case(
    conn: &mut DbConnection,
    record: &CaseRecord,
    id: &str,
) -> AppResult<Option<LetterRow>> {
    Ok(store::find(conn, id)?.filter(|l| l.case_id == record.case.id))
}

pub struct MarkPosted {
    pub letter_id: String,
    pub posted_on: NaiveDate,
    /// The number of a rekommenderat brev.
    pub registered_number: Option<String>,
}

impl CaseChange for MarkPosted {
    type Inputs = Option<LetterRow>;
    type Rows = LetterRow;
    const PERMISSION: Action = Action::PrintLetters;
    const AUDIT_ACTION: AuditAction = AuditAction::LetterPosted;

    fn load(&self, conn: &mut DbConnection, record: &CaseRecord) -> AppResult<Option<LetterRow>> {
        letter_of_case(conn, record, &self.letter_id)
    }

    fn apply(
        &self,
        work: &mut Work,
        user: &AuthUser,
        letter: Option<LetterRow>,
    ) -> AppResult<LetterRow> {
        let mut letter = own_letter(letter, user)?;
        if letter.status != LetterStatus::ToPrint {
            return Err(AppError::Conflict {
                code: ConflictCode::LetterNotToPrint,
                detail: "Only a letter in the print queue can be marked posted.".into(),
            });
        }
        let registered_number = self
            .registered_number
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(str::to_owned);
        if registered_number.as_ref().is_some_and(|n| {
            n.chars().count() > 40
                || !n
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == ' ' || c == '-')
        }) {
            return Err(AppError::validation(
                "registered_number",
                "invalid",
                "A rekommenderat brev's number is at most 40 letters and digits.",
            ));
        }
        work.letter_posted(&letter, self.posted_on, registered_number.as_deref())?;
        letter.status = LetterStatus::Posted;
        letter.posted_on = Some(self.posted_on);
        letter.registered_number = registered_number;
        letter.posted_by = Some(user.sub.clone());
        Ok(letter)
    }

    fn write(&self, conn: &mut DbConnection, row: &LetterRow) -> AppResult<()> {
        store::update(conn, row)
    }
}

/// The day the person received a letter, as a mottagningsbevis, a handover or the person shows
/// it: for a decision letter, the day the three weeks for an appeal count from.
pub struct MarkReceived {
    pub letter_id: String,
    pub received_on: NaiveDate,
    pub evidence: ReceiptEvidence,
}

impl CaseChange for MarkReceived {
    type Inputs = Option<LetterRow>;
    type Rows = LetterRow;
    const PERMISSION: Action = Action::PrintLetters;
    const AUDIT_ACTION: AuditAction = AuditAction::LetterReceived;

    fn load(&self, conn: &mut DbConnection, record: &CaseRecord) -> AppResult<Option<LetterRow>> {
        letter_of_case(conn, record, &self.letter_id)
    }

    fn apply(
        &self,
        work: &mut Work,
        user: &AuthUser,
        letter: Option<LetterRow>,
    ) -> AppResult<LetterRow> {
        let mut letter = own_letter(letter, user)?;
        if letter.status == LetterStatus::ToPrint {
            return Err(AppError::Conflict {
                code: ConflictCode::LetterNotSent,
                detail: "A letter still in the print queue has not reached anyone: mark it posted first.".into(),
            });
        }
        work.letter_received(&letter, self.received_on, self.evidence)?;
        letter.notified_on = Some(self.received_on);
        letter.notified_evidence = Some(self.evidence);
        Ok(letter)
    }

    fn write(&self, conn: &mut DbConnection, row: &LetterRow) -> AppResult<()> {
        store::update(conn, row)
    }
}
