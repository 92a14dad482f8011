//! A controller's decision on its part, and the letter it sends.

use super::*;
use crate::domain::decision::Decider;
use crate::domain::decision::DecisionGround;

impl Work {
    // ----- decisions -----

    #[allow(clippy::too_many_arguments)]
    pub fn decide(
        &mut self,
        user: &AuthUser,
        controller: &str,
        decider: Decider<'_>,
        outcome: Outcome,
        reasons: Option<&str>,
        recipients_notified: Option<Vec<String>>,
        recipients_not_notified_reason: Option<&str>,
        ground: Option<DecisionGround>,
    ) -> AppResult<()> {
        let kind = self.kind();
        next_status(
            self.status(),
            CaseAction::Decide {
                all_parts_decided: false,
            },
        )
        .map_err(lifecycle_conflict)?;
        // Nothing is decided on the merits, nor sent, before we know who asked (domain.md §3).
        match ground {
            None => self.ensure_identities_verified()?,
            Some(DecisionGround::IdentityNotEstablished) => {
                if outcome != Outcome::Refused {
                    return Err(AppError::validation(
                        "ground",
                        "refusal_only",
                        "identity_not_established is a ground for refusing: use outcome `refused`.",
                    ));
                }
                if self.ensure_identities_verified().is_ok() {
                    return Err(AppError::validation(
                        "ground",
                        "identity_verified",
                        "The identities are verified: decide on the merits of the request.",
                    ));
                }
            }
        }
        let mut errors = Vec::new();
        let reasons = optional_text("reasons", reasons)?;
        if outcome.needs_reasons() && reasons.is_none() {
            errors.push(FieldError::new(
                "reasons",
                "required",
                "A decision that does not grant everything asked for must give its reasons (Art. 12(4), förvaltningslagen 32 §).",
            ));
        }
        let not_told = optional_text(
            "recipients_not_notified_reason",
            recipients_not_notified_reason,
        )?;
        let recipients: Vec<String> = recipients_notified
            .unwrap_or_default()
            .into_iter()
            .map(|r| r.trim().to_owned())
            .filter(|r| !r.is_empty())
            .collect();
        if requires_recipient_notification(kind, outcome)
            && recipients.is_empty()
            && not_told.is_none()
        {
            errors.push(FieldError::new(
                "recipients_notified",
                "required",
                "A granted rectification or erasure names the recipients told (Art. 19), or gives \
                 `recipients_not_notified_reason`.",
            ));
        }
        if !errors.is_empty() {
            return Err(AppError::Validation(errors));
        }
        let now = self.now.naive_utc();
        let part = self.open_part_mut(controller)?;
        part.status = PartStatus::Decided;
        part.updated_at = now;
        if part.handler.is_none() {
            part.handler = Some(user.sub.clone());
        }
        let all_parts_decided = self
            .record
            .parts
            .iter()
            .all(|p| p.status == PartStatus::Decided);
        self.transition(CaseAction::Decide { all_parts_decided })?;

        let letter = DecisionLetter {
            organisation: &self.organisation,
            decider,
            court: &self.court,
            reference: &self.record.case.reference,
            decided_on: self.today,
            kind,
            outcome,
            reasons: reasons.as_deref(),
            recipients_notified: &recipients,
            recipients_not_notified_reason: not_told.as_deref(),
        };
        let (text_sv, verdict_sv) = (letter.text_sv(), letter.verdict_sv());
        let decision = DecisionRow {
            case_id: self.record.case.id.clone(),
            controller_id: controller.to_owned(),
            outcome,
            reasons: reasons.clone(),
            recipients_notified: JsonText(recipients.clone()),
            recipients_not_notified_reason: not_told.clone(),
            text_sv: text_sv.clone(),
            decided_at: now,
            decided_by: user.sub.clone(),
        };
        self.record.decisions.push(decision.clone());
        self.new_decision = Some(decision);

        if all_parts_decided {
            let case = &mut self.record.case;
            case.decided_at = Some(now);
            // On time is judged by the legal deadline in force (the extended one if extended).
            case.decided_on_time = Some(self.today <= case.effective_deadline);
            case.days_to_decision = Some((self.today - case.received_date).num_days() as i32);
        }
        let by_email = self.message_person(
            Template::DecisionNotice,
            json!({
                "controller_name": decider.name,
                "outcome_sv": outcome.swedish_label(),
                "verdict_sv": verdict_sv,
                "decision_text": text_sv,
            }),
        )?;
        let mut data = json!({
                "controller": controller,
                "outcome": outcome,
                "recipients_notified": recipients,
                "recipients_not_notified_reason": not_told,
                "case_decided": all_parts_decided,
                "notice": if by_email { "email" } else { "letter" },
        });
        if let Some(ground) = ground {
            data["ground"] = json!(ground);
        }
        self.event("decided", data);
        Ok(())
    }
}
