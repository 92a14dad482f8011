//! Delivery of the answer, closure and withdrawal.

use super::*;

impl Work {
    // ----- delivery, closure, withdrawal -----

    /// Records that the answer reached the person. Nothing is released to an unverified
    /// identity: the subject, and the representative if there is one, must be verified.
    pub fn deliver(
        &mut self,
        user: &AuthUser,
        method: DeliveryMethod,
        delivered_at: Option<DateTime<Utc>>,
        extract_compiled: bool,
    ) -> AppResult<()> {
        if user.has_role(crate::auth::Role::Kontaktcenter)
            && !user.has_role(crate::auth::Role::Handlaggare)
            && !user.has_role(crate::auth::Role::Admin)
            && method != DeliveryMethod::Pickup
        {
            return Err(AppError::forbidden(
                "Kontaktcenter records deliveries picked up at the desk.",
            ));
        }
        self.transition(CaseAction::Deliver)?;
        if self.record.case.delivered_at.is_some() {
            return Err(conflict(
                ConflictCode::AlreadyDelivered,
                "The delivery has already been recorded.",
            ));
        }
        let delivered_at = delivered_at.unwrap_or(self.now);
        if delivered_at > self.now {
            return Err(AppError::validation(
                "delivered_at",
                "in_the_future",
                "delivered_at may not be in the future.",
            ));
        }
        self.ensure_identities_verified()?;
        if self.kind() == CaseKind::Access && !extract_compiled {
            return Err(conflict(
                ConflictCode::ExtractMissing,
                "An access request is answered with the extract: compile it before recording the delivery.",
            ));
        }
        let protected = self.record.case.protected_identity;
        if protected
            && !matches!(
                method,
                DeliveryMethod::Pickup | DeliveryMethod::SkatteverketForwarding
            )
        {
            // The person's address is protected: the answer is collected, or Skatteverket
            // forwards the letter (förmedlingsuppdrag) without anyone here learning where.
            return Err(AppError::validation(
                "method",
                "protected_identity",
                "The person has protected identity: the answer is picked up or sent through Skatteverket's förmedlingsuppdrag (`pickup` or `skatteverket_forwarding`).",
            ));
        }
        if method == DeliveryMethod::SkatteverketForwarding && !protected {
            return Err(AppError::validation(
                "method",
                "not_protected",
                "Skatteverket forwards letters only to people with protected identity; send a registered letter instead.",
            ));
        }
        if method == DeliveryMethod::RegisteredLetter && self.record.case.subject.address.is_none()
        {
            return Err(conflict(
                ConflictCode::AddressMissing,
                "A registered letter goes to the folkbokföringsadress, and the case has none.",
            ));
        }
        let case = &mut self.record.case;
        case.delivery_method = Some(method);
        case.delivered_at = Some(delivered_at.naive_utc());
        self.event(
            "delivered",
            json!({ "method": method, "delivered_at": delivered_at }),
        );
        Ok(())
    }

    /// Marks (or unmarks) the person as having protected identity. Allowed until the case is
    /// closed, like identity work; the journal says it happened and nothing more.
    pub fn set_protected_identity(&mut self, protected: bool) -> AppResult<()> {
        self.transition(CaseAction::Identity)?;
        if self.record.case.protected_identity == protected {
            return Ok(());
        }
        self.record.case.protected_identity = protected;
        self.event(
            "protected_identity_changed",
            json!({ "protected_identity": protected }),
        );
        Ok(())
    }

    /// Records (or corrects) the municipality's diarienummer, also after the decision.
    pub fn set_diarienummer(&mut self, text: &str) -> AppResult<()> {
        let mut errors = Vec::new();
        let diarienummer = crate::cases::intake::parse_diarienummer(text, &mut errors);
        if !errors.is_empty() {
            return Err(AppError::Validation(errors));
        }
        let Some(diarienummer) = diarienummer else {
            return Err(AppError::validation(
                "diarienummer",
                "required",
                "Give the diarienummer, e.g. `KS 2026/123`.",
            ));
        };
        if self.record.case.status == CaseStatus::Withdrawn {
            return Err(conflict(
                ConflictCode::CaseWithdrawn,
                "The request was withdrawn.",
            ));
        }
        let previous = self.record.case.diarienummer.replace(diarienummer.clone());
        self.event(
            "diarienummer_set",
            json!({ "diarienummer": diarienummer, "previous": previous }),
        );
        Ok(())
    }

    pub fn close(&mut self) -> AppResult<()> {
        self.transition(CaseAction::Close)?;
        self.record.case.closed_at = Some(self.now.naive_utc());
        self.event("closed", json!({}));
        Ok(())
    }

    pub fn withdraw(&mut self, note: Option<&str>) -> AppResult<()> {
        self.transition(CaseAction::Withdraw)?;
        let note = optional_text("note", note)?;
        let now = self.now.naive_utc();
        for part in self
            .record
            .parts
            .iter_mut()
            .filter(|p| p.status == PartStatus::Open)
        {
            part.status = PartStatus::Withdrawn;
            part.updated_at = now;
        }
        self.record.case.withdrawn_at = Some(now);
        self.event("withdrawn", json!({ "note": note }));
        Ok(())
    }
}

impl Work {
    /// A letter of the print queue was posted: the journal says which, when, and how.
    pub fn letter_posted(
        &mut self,
        letter: &crate::print_queue::store::LetterRow,
        posted_on: NaiveDate,
        registered_number: Option<&str>,
    ) -> AppResult<()> {
        if posted_on > self.today || posted_on < letter.created_at.date() {
            return Err(AppError::validation(
                "posted_on",
                "invalid",
                "A letter is posted between the day it was written and today.",
            ));
        }
        self.event(
            "letter_posted",
            json!({
                "letter": letter.id,
                "template": letter.template,
                "controller": letter.controller_id,
                "posted_on": posted_on,
                "registered": registered_number.is_some(),
                "registered_number": registered_number,
            }),
        );
        Ok(())
    }

    /// Records the day the person received a sent letter (domain.md §9).
    pub fn letter_received(
        &mut self,
        letter: &crate::print_queue::store::LetterRow,
        received_on: NaiveDate,
        evidence: crate::print_queue::ReceiptEvidence,
    ) -> AppResult<()> {
        let sent_on = letter.posted_on.unwrap_or(letter.created_at.date());
        if received_on > self.today || received_on < sent_on {
            return Err(AppError::validation(
                "received_on",
                "invalid",
                "A letter is received between the day it was sent and today.",
            ));
        }
        self.event(
            "letter_received",
            json!({
                "letter": letter.id,
                "template": letter.template,
                "controller": letter.controller_id,
                "received_on": received_on,
                "evidence": evidence,
            }),
        );
        Ok(())
    }
}
