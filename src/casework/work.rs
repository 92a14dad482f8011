//! The work done on a case, as changes to a loaded case: each action checks the state machine
//! and the rules, changes the rows in memory, and lists the journal events and messages it
//! causes. `store::save` then writes all of it in one transaction. No SQL here.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde_json::json;

use super::dto::{IdentityAction, Party};
use crate::auth::AuthUser;
use crate::cases::dto::{Representative, Subject};
use crate::cases::store::{CaseRecord, DecisionRow, PartRow};
use crate::cases::view;
use crate::deadlines::DeadlinePolicy;
use crate::domain::case::{
    CaseKind, CaseStatus, DeliveryMethod, IdentityMethod, IdentityStatus, PartStatus,
};
use crate::domain::deadline::{self, EXTENDED_MONTHS};
use crate::domain::decision::{requires_recipient_notification, DecisionLetter, Outcome};
use crate::domain::lifecycle::{next_status, CaseAction};
use crate::domain::pause::{self, IdentityWait};
use crate::error::{AppError, AppResult, FieldError};
use crate::notify::outbox::{NewMessage, Template};

const MAX_TEXT: usize = 10_000;

/// A journal entry to write.
#[derive(Debug, Clone)]
pub struct Event {
    pub name: &'static str,
    pub data: serde_json::Value,
}

/// A loaded case being changed, with everything the change causes.
pub struct Work {
    pub record: CaseRecord,
    pub now: DateTime<Utc>,
    pub today: NaiveDate,
    pub policy: DeadlinePolicy,
    pub organisation: String,
    pub events: Vec<Event>,
    pub messages: Vec<NewMessage>,
    /// Index into `messages` of the extension notice, whose id the case keeps.
    pub extension_notice: Option<usize>,
    pub new_parts: Vec<PartRow>,
    pub new_decision: Option<DecisionRow>,
    version_loaded: i32,
    /// What the case added to the statistics' counts when loaded.
    counted_before: Vec<(&'static str, String)>,
}

fn conflict(code: &'static str, detail: impl Into<String>) -> AppError {
    AppError::Conflict {
        code,
        detail: detail.into(),
    }
}

fn required_text(field: &str, text: Option<&str>, what: &str) -> AppResult<String> {
    let text = text.map(str::trim).unwrap_or_default();
    if text.is_empty() {
        return Err(AppError::validation(
            field,
            "required",
            format!("{what} is required."),
        ));
    }
    if text.chars().count() > MAX_TEXT {
        return Err(AppError::validation(
            field,
            "too_long",
            format!("At most {MAX_TEXT} characters."),
        ));
    }
    Ok(text.to_owned())
}

fn optional_text(field: &str, text: Option<&str>) -> AppResult<Option<String>> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        Some(t) if t.chars().count() > MAX_TEXT => Err(AppError::validation(
            field,
            "too_long",
            format!("At most {MAX_TEXT} characters."),
        )),
        other => Ok(other.map(str::to_owned)),
    }
}

impl Work {
    pub fn new(
        record: CaseRecord,
        now: DateTime<Utc>,
        policy: DeadlinePolicy,
        organisation: &str,
    ) -> Self {
        let version_loaded = record.case.version;
        let counted_before = crate::stats::counts::contributions(&record.case, &record.parts);
        Work {
            record,
            now,
            today: crate::clock::local_date(now),
            policy,
            organisation: organisation.to_owned(),
            events: Vec::new(),
            messages: Vec::new(),
            extension_notice: None,
            new_parts: Vec::new(),
            new_decision: None,
            version_loaded,
            counted_before,
        }
    }

    /// The version the case had when loaded: the update succeeds only if it still has it.
    pub fn version_loaded(&self) -> i32 {
        self.version_loaded
    }

    pub fn counted_before(&self) -> &[(&'static str, String)] {
        &self.counted_before
    }

    fn status(&self) -> AppResult<CaseStatus> {
        CaseStatus::parse(&self.record.case.status)
            .ok_or_else(|| AppError::internal(anyhow::anyhow!("stored case has an invalid status")))
    }

    fn kind(&self) -> AppResult<CaseKind> {
        CaseKind::parse(&self.record.case.kind)
            .ok_or_else(|| AppError::internal(anyhow::anyhow!("stored case has an invalid kind")))
    }

    /// Moves the case through the state machine or refuses with 409.
    fn transition(&mut self, action: CaseAction) -> AppResult<()> {
        let next = next_status(self.status()?, action)
            .map_err(|e| conflict(e.code(), format!("Not possible: {e}.")))?;
        self.record.case.status = next.as_str().to_owned();
        Ok(())
    }

    fn waits(&self) -> AppResult<Vec<IdentityWait>> {
        view::identity_waits(&self.record.case.identity_waits)
    }

    fn set_waits(&mut self, waits: &[IdentityWait]) -> AppResult<()> {
        self.record.case.identity_waits =
            serde_json::to_string(waits).map_err(AppError::internal)?;
        self.refresh_adjusted_deadline()
    }

    /// Keeps the stored adjusted deadline (used by the overdue lists) in step: the deadline in
    /// force plus the days of every finished wait.
    fn refresh_adjusted_deadline(&mut self) -> AppResult<()> {
        let finished: Vec<IdentityWait> = self
            .waits()?
            .into_iter()
            .filter(|w| w.to.is_some())
            .collect();
        let days = pause::waiting_days(&finished, self.today);
        self.record.case.adjusted_deadline = pause::adjust(
            self.record.case.effective_deadline,
            days,
            &self.policy.calendar,
        )
        .adjusted;
        Ok(())
    }

    fn representative(&self) -> AppResult<Option<Representative>> {
        view::representative(self.record.case.representative.as_deref())
    }

    /// Where messages to the person go: the representative's address if there is one, else
    /// the person's own; with no address the letter goes by post.
    fn person_address(&self) -> AppResult<Option<(String, String)>> {
        if let Some(rep) = self.representative()? {
            if let Some(email) = rep.email {
                return Ok(Some((email, rep.name)));
            }
        }
        let subject: Subject =
            serde_json::from_str(&self.record.case.subject).map_err(AppError::internal)?;
        Ok(subject.email.map(|email| (email, subject.name)))
    }

    /// Queues a message to the person; returns whether it goes by e-mail.
    fn message_person(
        &mut self,
        template: Template,
        mut params: serde_json::Value,
    ) -> AppResult<bool> {
        let Some((email, name)) = self.person_address()? else {
            return Ok(false);
        };
        let kind = self.kind()?;
        if let Some(map) = params.as_object_mut() {
            map.insert("reference".into(), json!(self.record.case.reference));
            map.insert("kind_sv".into(), json!(kind.swedish_label()));
            map.insert("recipient_name".into(), json!(name));
            map.insert("organisation".into(), json!(self.organisation));
        }
        self.messages.push(NewMessage {
            template,
            recipient: email,
            params,
        });
        Ok(true)
    }

    fn event(&mut self, name: &'static str, data: serde_json::Value) {
        self.events.push(Event { name, data });
    }

    fn part_mut(&mut self, controller: &str) -> AppResult<&mut PartRow> {
        self.record
            .parts
            .iter_mut()
            .find(|p| p.controller_id == controller)
            .ok_or_else(|| {
                AppError::validation(
                    "controller",
                    "not_a_part",
                    "This controller is not a part of the case.",
                )
            })
    }

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
        let mut representative = self.representative()?;
        if party == Party::Representative && representative.is_none() {
            return Err(AppError::validation(
                "party",
                "no_representative",
                "The case has no representative.",
            ));
        }
        let current = match (&party, &representative) {
            (Party::Representative, Some(rep)) => rep.identity_status,
            _ => IdentityStatus::parse(&self.record.case.identity_status)
                .unwrap_or(IdentityStatus::Unverified),
        };
        if current == IdentityStatus::Verified && action != IdentityAction::Verify {
            return Err(conflict(
                "identity_already_verified",
                "The identity is already verified.",
            ));
        }
        let mut waits = self.waits()?;
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
                close_wait(&mut waits, self.today);
                let detail = match method {
                    IdentityMethod::IdDocument => optional_text("document_type", document_type)?,
                    _ => None,
                };
                match party {
                    Party::Subject => {
                        let case = &mut self.record.case;
                        case.identity_method = Some(method.as_str().to_owned());
                        case.identity_assurance = detail;
                        case.identity_verified_at = Some(self.now.naive_utc());
                        case.identity_verified_by = Some(user.sub.clone());
                    }
                    Party::Representative => {
                        let case = &mut self.record.case;
                        case.representative_identity_method = Some(method.as_str().to_owned());
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
                        "already_awaiting_information",
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
                )?;
                notice = Some(if by_email { "email" } else { "letter" });
                IdentityStatus::AwaitingInformation
            }
            IdentityAction::InformationReceived => {
                if !waiting {
                    return Err(conflict(
                        "not_awaiting_information",
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
            Party::Subject => self.record.case.identity_status = new_status.as_str().to_owned(),
            Party::Representative => {
                if let Some(rep) = representative.as_mut() {
                    rep.identity_status = new_status;
                }
                self.record.case.representative = representative
                    .as_ref()
                    .map(serde_json::to_string)
                    .transpose()
                    .map_err(AppError::internal)?;
            }
        }
        self.set_waits(&waits)?;
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
        if IdentityStatus::parse(&self.record.case.identity_status)
            != Some(IdentityStatus::Verified)
        {
            return Err(conflict(
                "identity_unverified",
                "The person's identity is not verified: nothing can be released.",
            ));
        }
        if let Some(rep) = self.representative()? {
            if rep.identity_status != IdentityStatus::Verified {
                return Err(conflict(
                    "representative_unverified",
                    "The representative's identity is not verified: nothing can be released.",
                ));
            }
        }
        Ok(())
    }

    pub fn is_guardian_request(&self) -> AppResult<bool> {
        Ok(self
            .representative()?
            .is_some_and(|r| r.kind == crate::domain::case::RepresentativeKind::Guardian))
    }

    // ----- parts -----

    pub fn add_controller(&mut self, controller: &str) -> AppResult<()> {
        self.transition(CaseAction::Work)?;
        if self
            .record
            .parts
            .iter()
            .any(|p| p.controller_id == controller)
        {
            return Err(conflict(
                "controller_already_part",
                "The controller is already a part of the case.",
            ));
        }
        let now = self.now.naive_utc();
        let part = PartRow {
            case_id: self.record.case.id.clone(),
            controller_id: controller.to_owned(),
            status: PartStatus::Open.as_str().to_owned(),
            handler: None,
            created_at: now,
            updated_at: now,
        };
        self.record.parts.push(part.clone());
        self.new_parts.push(part);
        self.event("controller_added", json!({ "controller": controller }));
        Ok(())
    }

    pub fn assign(&mut self, controller: &str, handler: &str) -> AppResult<()> {
        self.transition(CaseAction::Work)?;
        let now = self.now.naive_utc();
        let part = self.part_mut(controller)?;
        if part.status == PartStatus::Decided.as_str() {
            return Err(conflict(
                "part_already_decided",
                "This controller has already decided.",
            ));
        }
        let previous = part.handler.replace(handler.to_owned());
        part.updated_at = now;
        self.event(
            "handler_assigned",
            json!({ "controller": controller, "handler": handler, "previous": previous }),
        );
        Ok(())
    }

    // ----- deadline -----

    /// Once, before the original deadline, with a reason; the person is told (Art. 12(3)).
    pub fn extend(&mut self, user: &AuthUser, reason: &str) -> AppResult<()> {
        self.transition(CaseAction::Work)?;
        let reason = required_text("reason", Some(reason), "The reason for the extension")?;
        let case = &self.record.case;
        if case.extended_deadline.is_some() {
            return Err(conflict(
                "already_extended",
                "The deadline can be extended only once.",
            ));
        }
        if self.today > case.deadline {
            return Err(conflict(
                "extension_too_late",
                format!(
                    "The deadline {} has passed: an extension must be decided and the person told within the first month.",
                    case.deadline
                ),
            ));
        }
        let extended =
            deadline::compute(case.received_date, EXTENDED_MONTHS, &self.policy.calendar).due;
        let original = case.deadline;
        let case = &mut self.record.case;
        case.extended_deadline = Some(extended);
        case.effective_deadline = extended;
        case.extension_reason = Some(reason.clone());
        case.extended_at = Some(self.now.naive_utc());
        case.extended_by = Some(user.sub.clone());
        self.refresh_adjusted_deadline()?;
        let by_email = self.message_person(
            Template::ExtensionNotice,
            json!({ "deadline": original, "extended_deadline": extended, "reason": reason }),
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

    // ----- decisions -----

    #[allow(clippy::too_many_arguments)]
    pub fn decide(
        &mut self,
        user: &AuthUser,
        controller: &str,
        controller_name: &str,
        outcome: Outcome,
        reasons: Option<&str>,
        recipients_notified: Option<Vec<String>>,
        recipients_not_notified_reason: Option<&str>,
    ) -> AppResult<()> {
        let kind = self.kind()?;
        next_status(
            self.status()?,
            CaseAction::Decide {
                all_parts_decided: false,
            },
        )
        .map_err(|e| conflict(e.code(), format!("Not possible: {e}.")))?;
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
        let part = self.part_mut(controller)?;
        if part.status == PartStatus::Decided.as_str() {
            return Err(conflict(
                "part_already_decided",
                "This controller has already decided.",
            ));
        }
        part.status = PartStatus::Decided.as_str().to_owned();
        part.updated_at = now;
        if part.handler.is_none() {
            part.handler = Some(user.sub.clone());
        }
        let all_parts_decided = self
            .record
            .parts
            .iter()
            .all(|p| p.status == PartStatus::Decided.as_str());
        self.transition(CaseAction::Decide { all_parts_decided })?;

        let text_sv = DecisionLetter {
            organisation: &self.organisation,
            controller_name,
            reference: &self.record.case.reference,
            decided_on: self.today,
            kind,
            outcome,
            reasons: reasons.as_deref(),
            recipients_notified: &recipients,
            recipients_not_notified_reason: not_told.as_deref(),
        }
        .text_sv();
        let decision = DecisionRow {
            case_id: self.record.case.id.clone(),
            controller_id: controller.to_owned(),
            outcome: outcome.as_str().to_owned(),
            reasons: reasons.clone(),
            recipients_notified: serde_json::to_string(&recipients).map_err(AppError::internal)?,
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
                "controller_name": controller_name,
                "outcome_sv": outcome.swedish_label(),
                "decision_text": text_sv,
            }),
        )?;
        self.event(
            "decided",
            json!({
                "controller": controller,
                "outcome": outcome,
                "recipients_notified": recipients,
                "recipients_not_notified_reason": not_told,
                "case_decided": all_parts_decided,
                "notice": if by_email { "email" } else { "letter" },
            }),
        );
        Ok(())
    }

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
                "already_delivered",
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
        if self.kind()? == CaseKind::Access && !extract_compiled {
            return Err(conflict(
                "extract_missing",
                "An access request is answered with the extract: compile it before recording the delivery.",
            ));
        }
        if method == DeliveryMethod::RegisteredLetter {
            let subject: Subject =
                serde_json::from_str(&self.record.case.subject).map_err(AppError::internal)?;
            if subject.address.is_none() {
                return Err(conflict(
                    "address_missing",
                    "A registered letter goes to the folkbokföringsadress, and the case has none.",
                ));
            }
        }
        let case = &mut self.record.case;
        case.delivery_method = Some(method.as_str().to_owned());
        case.delivered_at = Some(delivered_at.naive_utc());
        self.event(
            "delivered",
            json!({ "method": method, "delivered_at": delivered_at }),
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
            .filter(|p| p.status == PartStatus::Open.as_str())
        {
            part.status = PartStatus::Withdrawn.as_str().to_owned();
            part.updated_at = now;
        }
        self.record.case.withdrawn_at = Some(now);
        self.event("withdrawn", json!({ "note": note }));
        Ok(())
    }

    /// Stamps the change: a new version and the update time.
    pub fn finish(&mut self) -> NaiveDateTime {
        let now = self.now.naive_utc();
        self.record.case.version = self.version_loaded + 1;
        self.record.case.updated_at = now;
        now
    }
}
