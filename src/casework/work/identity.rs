//! Identity work on a case: verification, requests for information, the releases it gates.

use super::*;

impl Work {
    // ----- identity -----

    pub fn identity(
        &mut self,
        user: &AuthUser,
        action: IdentityAction,
        party: Party,
        method: Option<IdentityMethod>,
        document_type: Option<&str>,
        note: Option<&str>,
    ) -> AppResult<()> {
        self.transition(CaseAction::Identity)?;
        let note = optional_text("note", note)?;
        let mut representative = self.representative();
        if party == Party::Representative && representative.is_none() {
            return Err(AppError::validation(
                "party",
                "no_representative",
                "The case has no representative.",
            ));
        }
        let current = match (&party, &representative) {
            (Party::Representative, Some(rep)) => rep.identity_status,
            _ => self.record.case.identity_status,
        };
        if current == IdentityStatus::Verified && action != IdentityAction::Verify {
            return Err(conflict(
                ConflictCode::IdentityAlreadyVerified,
                "The identity is already verified.",
            ));
        }
        let mut waits = self.waits();
        let waiting = pause::is_waiting(&waits);
        let mut notice = None;
        let close_wait = |waits: &mut Vec<IdentityWait>, today: NaiveDate| {
            if let Some(last) = waits.last_mut().filter(|w| w.to.is_none()) {
                last.to = Some(today);
            }
        };
        let new_status = match action {
            IdentityAction::Verify => {
                let method = method.ok_or_else(|| {
                    AppError::validation(
                        "method",
                        "required",
                        "Say how the identity was established.",
                    )
                })?;
                if method == IdentityMethod::RegisteredLetter {
                    return Err(AppError::validation(
                        "method",
                        "not_allowed",
                        "A registered letter is a way of delivering, not of establishing identity.",
                    ));
                }
                if method == IdentityMethod::ELegitimation
                    && !user.has_role(crate::auth::Role::Admin)
                {
                    // Staff record what they checked; e-legitimation is asserted by the e-tjänst.
                    return Err(AppError::validation(
                        "method",
                        "not_allowed",
                        "Staff record an ID document or a signed form; an e-legitimation comes from the e-tjänst.",
                    ));
                }
                // A person without a Swedish number has no Swedish e-legitimation: someone checks
                // their document by hand, and which document it was is recorded.
                let without_number =
                    party == Party::Subject && self.record.case.subject.0.other_identity.is_some();
                let document = optional_text("document_type", document_type)?;
                if without_number {
                    if method == IdentityMethod::ELegitimation {
                        return Err(AppError::validation(
                            "method",
                            "not_allowed",
                            "A person without a Swedish number is verified by hand: an ID document or a signed form.",
                        ));
                    }
                    if document.is_none() {
                        return Err(AppError::validation(
                            "document_type",
                            "required",
                            "Name the identity document checked (e.g. `pass`, `nationellt id-kort`).",
                        ));
                    }
                }
                close_wait(&mut waits, self.today);
                let detail = match method {
                    IdentityMethod::IdDocument => document,
                    _ if without_number => document,
                    _ => None,
                };
                match party {
                    Party::Subject => {
                        let case = &mut self.record.case;
                        case.identity_method = Some(method);
                        case.identity_assurance = detail;
                        case.identity_verified_at = Some(self.now.naive_utc());
                        case.identity_verified_by = Some(user.sub.clone());
                    }
                    Party::Representative => {
                        let case = &mut self.record.case;
                        case.representative_identity_method = Some(method);
                        case.representative_verified_at = Some(self.now.naive_utc());
                        case.representative_verified_by = Some(user.sub.clone());
                        if let Some(rep) = representative.as_mut() {
                            rep.identity_method = Some(method);
                            rep.verified_at = Some(self.now);
                        }
                    }
                }
                IdentityStatus::Verified
            }
            IdentityAction::RequestInformation => {
                if waiting {
                    return Err(conflict(
                        ConflictCode::AlreadyAwaitingInformation,
                        "Information has already been asked for.",
                    ));
                }
                waits.push(IdentityWait {
                    from: self.today,
                    to: None,
                });
                let by_email = self.message_person(
                    Template::IdentityRequest,
                    json!({ "note": note.clone().unwrap_or_default() }),
                    None,
                )?;
                notice = Some(if by_email { "email" } else { "letter" });
                IdentityStatus::AwaitingInformation
            }
            IdentityAction::InformationReceived => {
                if !waiting {
                    return Err(conflict(
                        ConflictCode::NotAwaitingInformation,
                        "No information has been asked for.",
                    ));
                }
                close_wait(&mut waits, self.today);
                IdentityStatus::Unverified
            }
            IdentityAction::Fail => {
                close_wait(&mut waits, self.today);
                IdentityStatus::Failed
            }
        };
        match party {
            Party::Subject => self.record.case.identity_status = new_status,
            Party::Representative => {
                if let Some(rep) = representative.as_mut() {
                    rep.identity_status = new_status;
                }
                self.record.case.representative = representative
                    .as_ref()
                    .map(|r| SealedJson(StoredRepresentative::from(r)));
            }
        }
        self.set_waits(&waits);
        let name = match action {
            IdentityAction::Verify => "identity_verified",
            IdentityAction::RequestInformation => "identity_information_requested",
            IdentityAction::InformationReceived => "identity_information_received",
            IdentityAction::Fail => "identity_failed",
        };
        self.event(
            name,
            json!({ "party": party, "method": method, "status": new_status, "note": note, "notice": notice }),
        );
        Ok(())
    }

    /// Preparing the answer in another capability (findings, the extract): allowed until the
    /// case is closed; journals `event`.
    pub fn record_work(&mut self, event: &'static str, data: serde_json::Value) -> AppResult<()> {
        self.transition(CaseAction::Answer)?;
        self.event(event, data);
        Ok(())
    }

    /// Identities that must be verified before anything is released.
    pub fn ensure_identities_verified(&self) -> AppResult<()> {
        if self.record.case.identity_status != IdentityStatus::Verified {
            return Err(conflict(
                ConflictCode::IdentityUnverified,
                "The person's identity is not verified: nothing can be released.",
            ));
        }
        if let Some(rep) = self.representative() {
            if rep.identity_status != IdentityStatus::Verified {
                return Err(conflict(
                    ConflictCode::RepresentativeUnverified,
                    "The representative's identity is not verified: nothing can be released.",
                ));
            }
        }
        Ok(())
    }

    pub fn is_guardian_request(&self) -> AppResult<bool> {
        Ok(self
            .representative()
            .is_some_and(|r| r.kind == crate::domain::case::RepresentativeKind::Guardian))
    }
}
