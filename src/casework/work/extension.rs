//! Extending the deadline (Art. 12(3)).

use super::*;

impl Work {
    // ----- deadline -----

    /// Once, before the original deadline, with a reason; the person is told (Art. 12(3)).
    pub fn extend(&mut self, user: &AuthUser, reason: &str) -> AppResult<()> {
        self.transition(CaseAction::Work)?;
        let reason = required_text("reason", Some(reason), "The reason for the extension")?;
        let case = &self.record.case;
        if case.extended_deadline.is_some() {
            return Err(conflict(
                ConflictCode::AlreadyExtended,
                "The deadline can be extended only once.",
            ));
        }
        if self.today > case.deadline {
            return Err(conflict(
                ConflictCode::ExtensionTooLate,
                format!(
                    "The deadline {} has passed: an extension must be decided and the person told within the first month.",
                    case.deadline
                ),
            ));
        }
        if !self.person_reachable() {
            // Art. 12(3): the person must be told of the extension within the first month.
            return Err(conflict(
                ConflictCode::ExtensionNoticeImpossible,
                "Neither an e-mail address nor a postal address is known: the extension notice cannot reach the person. Record an address first.",
            ));
        }
        let case = &self.record.case;
        let extended =
            deadline::compute(case.received_date, EXTENDED_MONTHS, &self.policy.calendar).due;
        let original = case.deadline;
        let case = &mut self.record.case;
        case.extended_deadline = Some(extended);
        case.effective_deadline = extended;
        case.extension_reason = Some(SealedText(reason.clone()));
        case.extended_at = Some(self.now.naive_utc());
        case.extended_by = Some(user.sub.clone());
        self.refresh_adjusted_deadline();
        let by_email = self.message_person(
            Template::ExtensionNotice,
            json!({ "deadline": original, "extended_deadline": extended, "reason": reason }),
            None,
        )?;
        if by_email {
            self.extension_notice = Some(self.messages.len() - 1);
        }
        self.event(
            "deadline_extended",
            json!({
                "deadline": original,
                "extended_deadline": extended,
                "reason": reason,
                "notice": if by_email { "email" } else { "letter" },
            }),
        );
        Ok(())
    }
}
