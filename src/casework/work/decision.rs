//! A controller's decision on its part, and the letter it sends.

use super::*;
use crate::cases::dto::DecisionMaker;
use crate::domain::decision::{Decider, DecisionGround, NotApplicableBecause, OutcomeDetails};
use crate::domain::legal_grounds::{self, LegalGround};

/// At most this many provisions on one decision.
const MAX_LEGAL_GROUNDS: usize = 10;

/// What a handläggare decides for one part.
pub struct DecisionDraft<'a> {
    pub controller: &'a str,
    pub outcome: Outcome,
    pub reasons: Option<&'a str>,
    /// Codes of the legal-grounds catalogue.
    pub legal_grounds: &'a [String],
    pub decision_maker: Option<&'a DecisionMaker>,
    pub recipients_notified: Option<Vec<String>>,
    pub recipients_not_notified_reason: Option<&'a str>,
    pub ground: Option<DecisionGround>,
    /// For `manifestly_unfounded`: the fee asked, in kronor, if one is charged.
    pub fee_sek: Option<u32>,
    /// For `forwarded`: the authority the request was sent to, and when (default today).
    pub forwarded_to: Option<&'a str>,
    pub forwarded_on: Option<NaiveDate>,
    /// For `not_applicable`: why the GDPR does not apply.
    pub not_applicable_because: Option<NotApplicableBecause>,
}

/// The highest fee a request may cost (Art. 12(5): a reasonable fee for the administrative costs).
const MAX_FEE_SEK: u32 = 100_000;

/// The provision an outcome rests on when the handläggare names none.
fn default_ground(
    outcome: Outcome,
    ground: Option<DecisionGround>,
    because: Option<NotApplicableBecause>,
) -> Option<&'static str> {
    match (outcome, ground) {
        (_, Some(DecisionGround::IdentityNotEstablished)) => Some("gdpr_12_6"),
        (Outcome::ManifestlyUnfounded, _) => Some("gdpr_12_5"),
        (Outcome::Forwarded, _) => Some("fl_4"),
        (Outcome::NotApplicable, _) => because.map(NotApplicableBecause::legal_ground),
        _ => None,
    }
}

/// The provisions named, each checked against the catalogue; a decision against the person
/// names at least one (förvaltningslagen 32 §). Some outcomes rest on a provision of their own
/// when nothing else is named (`default_ground`).
fn parse_legal_grounds(
    codes: &[String],
    outcome: Outcome,
    default: Option<&'static str>,
    errors: &mut Vec<FieldError>,
) -> Vec<&'static LegalGround> {
    let mut found: Vec<&'static LegalGround> = Vec::new();
    for (i, code) in codes.iter().enumerate() {
        match legal_grounds::find(code.trim()) {
            Some(g) if found.contains(&g) => {}
            Some(g) => found.push(g),
            None => errors.push(FieldError::new(
                format!("legal_grounds[{i}]"),
                "unknown_legal_ground",
                "Not a provision of the catalogue: see GET /api/v1/legal-grounds.",
            )),
        }
    }
    if found.len() > MAX_LEGAL_GROUNDS {
        errors.push(FieldError::new(
            "legal_grounds",
            "too_many",
            format!("At most {MAX_LEGAL_GROUNDS} provisions."),
        ));
    }
    if found.is_empty() {
        found.extend(default.and_then(legal_grounds::find));
    }
    // A request the GDPR does not apply to rests on why (asked for on its own field).
    if found.is_empty()
        && outcome.goes_against_the_person()
        && outcome != Outcome::NotApplicable
        && codes.is_empty()
    {
        errors.push(FieldError::new(
            "legal_grounds",
            "required",
            "A decision that goes against the person names the provisions applied (förvaltningslagen 32 §): codes from GET /api/v1/legal-grounds.",
        ));
    }
    found
}

/// A short line of text, or a field error.
fn short_text(field: &str, text: Option<&str>, errors: &mut Vec<FieldError>) -> Option<String> {
    let text = text.map(str::trim).filter(|t| !t.is_empty())?;
    if text.chars().count() > 200 || text.chars().any(char::is_control) {
        errors.push(FieldError::new(
            field,
            "invalid",
            "At most 200 characters of text on one line.",
        ));
        return None;
    }
    Some(text.to_owned())
}

impl Work {
    // ----- decisions -----

    pub fn decide(
        &mut self,
        user: &AuthUser,
        decider: Decider<'_>,
        draft: DecisionDraft<'_>,
    ) -> AppResult<()> {
        let DecisionDraft {
            controller,
            outcome,
            reasons,
            legal_grounds: codes,
            decision_maker,
            recipients_notified,
            recipients_not_notified_reason,
            ground,
            fee_sek,
            forwarded_to,
            forwarded_on,
            not_applicable_because,
        } = draft;
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
        // An objection to direct marketing is absolute: the processing stops (Art. 21(3)).
        if self.record.case.direct_marketing
            && !matches!(outcome, Outcome::Granted | Outcome::Forwarded)
        {
            return Err(AppError::validation(
                "outcome",
                "direct_marketing_absolute",
                "An objection to direct marketing is granted without assessment (Art. 21(3)): the outcome is `granted`.",
            ));
        }
        let mut errors = Vec::new();
        let forwarded_to = short_text("forwarded_to", forwarded_to, &mut errors);
        let forwarded_on = match (outcome, forwarded_on) {
            (Outcome::Forwarded, Some(day)) if day > self.today => {
                errors.push(FieldError::new(
                    "forwarded_on",
                    "in_the_future",
                    "forwarded_on may not be in the future.",
                ));
                None
            }
            (Outcome::Forwarded, day) => Some(day.unwrap_or(self.today)),
            (_, _) => None,
        };
        let details = self.outcome_details(
            outcome,
            fee_sek,
            forwarded_to.as_deref(),
            not_applicable_because,
            &mut errors,
        );
        let grounds = parse_legal_grounds(
            codes,
            outcome,
            default_ground(outcome, ground, not_applicable_because),
            &mut errors,
        );
        let maker_name = short_text(
            "decision_maker.name",
            decision_maker.and_then(|m| m.name.as_deref()),
            &mut errors,
        )
        .unwrap_or_else(|| user.name.clone());
        let maker_title = short_text(
            "decision_maker.title",
            decision_maker.and_then(|m| m.title.as_deref()),
            &mut errors,
        );
        let delegation = short_text(
            "decision_maker.delegation",
            decision_maker.and_then(|m| m.delegation.as_deref()),
            &mut errors,
        );
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
            part.handler_name = Some(user.name.clone());
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
            diarienummer: self.record.case.diarienummer.as_deref(),
            decided_on: self.today,
            kind,
            outcome,
            details: OutcomeDetails {
                forwarded_on,
                ..details
            },
            reasons: reasons.as_deref(),
            legal_grounds: &grounds,
            decision_maker: crate::domain::decision::DecisionMakerText {
                name: &maker_name,
                title: maker_title.as_deref(),
                delegation: delegation.as_deref(),
            },
            recipients_notified: &recipients,
            recipients_not_notified_reason: not_told.as_deref(),
        };
        let (text_sv, verdict_sv) = (letter.text_sv(), letter.verdict_sv());
        let decision = DecisionRow {
            case_id: self.record.case.id.clone(),
            controller_id: controller.to_owned(),
            outcome,
            reasons: reasons.clone().map(SealedText),
            recipients_notified: JsonText(recipients.clone()),
            recipients_not_notified_reason: not_told.clone().map(SealedText),
            text_sv: SealedText(text_sv.clone()),
            decided_at: now,
            decided_by: user.sub.clone(),
            legal_grounds: JsonText(grounds.iter().map(|g| g.code.to_owned()).collect()),
            decision_maker_name: Some(maker_name.clone()),
            decision_maker_title: maker_title.clone(),
            delegation: delegation.clone(),
            fee_sek: details.fee_sek.map(|f| f as i32),
            forwarded_to: forwarded_to.clone(),
            forwarded_on,
            not_applicable_because: details.not_applicable_because,
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
            Some(controller),
        )?;
        let mut data = json!({
                "controller": controller,
                "outcome": outcome,
                "legal_grounds": grounds.iter().map(|g| g.code).collect::<Vec<_>>(),
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

impl Work {
    /// What each outcome must and may carry; a detail given for another outcome is refused.
    fn outcome_details<'a>(
        &self,
        outcome: Outcome,
        fee_sek: Option<u32>,
        forwarded_to: Option<&'a str>,
        because: Option<NotApplicableBecause>,
        errors: &mut Vec<FieldError>,
    ) -> OutcomeDetails<'a> {
        let only_for = |field: &str, which: &str, errors: &mut Vec<FieldError>| {
            errors.push(FieldError::new(
                field,
                "not_allowed",
                format!("{field} belongs to a decision with outcome `{which}`."),
            ))
        };
        match (outcome, fee_sek) {
            (Outcome::ManifestlyUnfounded, Some(fee)) if fee == 0 || fee > MAX_FEE_SEK => {
                errors.push(FieldError::new(
                    "fee_sek",
                    "invalid",
                    format!("A fee is 1-{MAX_FEE_SEK} kronor, for the administrative costs only (Art. 12(5))."),
                ))
            }
            (Outcome::ManifestlyUnfounded, _) | (_, None) => {}
            (_, Some(_)) => only_for("fee_sek", "manifestly_unfounded", errors),
        }
        match (outcome, forwarded_to) {
            (Outcome::Forwarded, None) => errors.push(FieldError::new(
                "forwarded_to",
                "required",
                "Name the authority the request was sent to (e.g. Region Stockholm).",
            )),
            (Outcome::Forwarded, Some(_)) | (_, None) => {}
            (_, Some(_)) => only_for("forwarded_to", "forwarded", errors),
        }
        match (outcome, because) {
            (Outcome::NotApplicable, None) => errors.push(FieldError::new(
                "not_applicable_because",
                "required",
                "Say why the GDPR does not apply: `deceased` or `not_personal_data`.",
            )),
            (Outcome::NotApplicable, Some(_)) | (_, None) => {}
            (_, Some(_)) => only_for("not_applicable_because", "not_applicable", errors),
        }
        OutcomeDetails {
            fee_sek: fee_sek.filter(|_| outcome == Outcome::ManifestlyUnfounded),
            forwarded_to: forwarded_to.filter(|_| outcome == Outcome::Forwarded),
            forwarded_on: None,
            not_applicable_because: because.filter(|_| outcome == Outcome::NotApplicable),
        }
    }
}
