//! The work done on a case, as changes to a loaded case: each action checks the state machine
//! and the rules, changes the rows in memory, and lists the journal events and messages it
//! causes. `store::save` then writes all of it in one transaction. No SQL here.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde_json::json;

use super::dto::{IdentityAction, Party};
use crate::auth::AuthUser;
use crate::cases::dto::Representative;
use crate::cases::store::{CaseRecord, DecisionRow, PartRow};
use crate::cases::stored::{stored_waits, StoredRepresentative};
use crate::cases::view;
use crate::db::{JsonText, SealedJson, SealedText};
use crate::deadlines::DeadlinePolicy;
use crate::domain::case::{
    CaseKind, CaseStatus, DeliveryMethod, IdentityMethod, IdentityStatus, PartStatus,
};
use crate::domain::deadline::{self, EXTENDED_MONTHS};
use crate::domain::decision::{requires_recipient_notification, DecisionLetter, Outcome};
use crate::domain::lifecycle::{next_status, CaseAction, LifecycleError};
use crate::domain::pause::{self, IdentityWait};
use crate::error::{AppError, AppResult, ConflictCode, FieldError};
use crate::notify::outbox::{NewMessage, Template};
use crate::print_queue::{LetterStatus, NewLetter};

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
    /// The förvaltningsrätt appealable decisions name.
    pub court: String,
    pub events: Vec<Event>,
    pub messages: Vec<NewMessage>,
    /// The letters of the messages to the person (`print_queue`).
    pub letters: Vec<NewLetter>,
    /// Index into `messages` of the extension notice, whose id the case keeps.
    pub extension_notice: Option<usize>,
    pub new_parts: Vec<PartRow>,
    pub new_decision: Option<DecisionRow>,
    version_loaded: i32,
    /// What the case added to the statistics' counts when loaded.
    counted_before: Vec<(&'static str, String)>,
}

/// A state-machine refusal as the 409 it answers.
fn lifecycle_conflict(error: LifecycleError) -> AppError {
    let code = match error {
        LifecycleError::AlreadyDecided => ConflictCode::CaseAlreadyDecided,
        LifecycleError::NotDecided => ConflictCode::CaseNotDecided,
        LifecycleError::Closed => ConflictCode::CaseClosed,
        LifecycleError::Withdrawn => ConflictCode::CaseWithdrawn,
    };
    conflict(code, format!("Not possible: {error}."))
}

fn conflict(code: ConflictCode, detail: impl Into<String>) -> AppError {
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
        organisation: &crate::config::OrganisationSettings,
    ) -> Self {
        let version_loaded = record.case.version;
        let counted_before = crate::stats::counts::contributions(&record.case, &record.parts);
        Work {
            record,
            now,
            today: crate::clock::local_date(now),
            policy,
            organisation: organisation.name.clone(),
            court: organisation.court().to_owned(),
            events: Vec::new(),
            messages: Vec::new(),
            letters: Vec::new(),
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

    fn status(&self) -> CaseStatus {
        self.record.case.status
    }

    fn kind(&self) -> CaseKind {
        self.record.case.kind
    }

    /// Moves the case through the state machine or refuses with 409.
    fn transition(&mut self, action: CaseAction) -> AppResult<()> {
        let next = next_status(self.status(), action).map_err(lifecycle_conflict)?;
        self.record.case.status = next;
        Ok(())
    }

    fn waits(&self) -> Vec<IdentityWait> {
        view::identity_waits(&self.record.case)
    }

    fn set_waits(&mut self, waits: &[IdentityWait]) {
        self.record.case.identity_waits = JsonText(stored_waits(waits));
        self.refresh_adjusted_deadline();
    }

    /// Keeps the stored adjusted deadline (used by the overdue lists) in step: the deadline in
    /// force plus the days of every finished wait.
    fn refresh_adjusted_deadline(&mut self) {
        let finished: Vec<IdentityWait> = self
            .waits()
            .into_iter()
            .filter(|w| w.to.is_some())
            .collect();
        let days = pause::waiting_days(&finished, self.today);
        self.record.case.adjusted_deadline = pause::adjust(
            view::deadline_in_force(&self.record.case),
            days,
            &self.policy.calendar,
        )
        .adjusted;
    }

    fn representative(&self) -> Option<Representative> {
        view::representative(&self.record.case)
    }

    /// Where messages to the person go: the representative's address if there is one, else
    /// the person's own; with no address the letter goes by post.
    /// Where a message to the person goes, to whom, and whether that party's identity is
    /// verified (only then has anyone checked that the address is theirs).
    fn person_address(&self) -> Option<(String, String, bool)> {
        if let Some(rep) = self.representative() {
            if let Some(email) = rep.email {
                let verified = rep.identity_status == IdentityStatus::Verified;
                return Some((email, rep.name, verified));
            }
        }
        let subject = &self.record.case.subject;
        let verified = self.record.case.identity_status == IdentityStatus::Verified;
        subject
            .email
            .clone()
            .map(|email| (email, subject.name.clone(), verified))
    }

    /// Who a letter to the person is addressed to (`print_queue::recipient_lines`).
    fn letter_recipient(&self) -> Vec<String> {
        let subject = &self.record.case.subject.0;
        let representative = self.representative();
        crate::print_queue::recipient_lines(
            &subject.name,
            subject
                .address
                .as_ref()
                .map(|a| (a.street.as_str(), a.postal_code.as_str(), a.city.as_str())),
            representative.as_ref().map(|r| {
                (
                    r.name.as_str(),
                    r.address
                        .as_ref()
                        .map(|a| (a.street.as_str(), a.postal_code.as_str(), a.city.as_str())),
                )
            }),
            self.record.case.protected_identity,
        )
    }

    /// Whether anything can reach the person: an e-mail address, a postal address, or
    /// Skatteverket's förmedlingsuppdrag.
    fn person_reachable(&self) -> bool {
        self.person_address().is_some()
            || self.record.case.protected_identity
            || match self.representative() {
                Some(representative) => representative.address.is_some(),
                None => self.record.case.subject.0.address.is_some(),
            }
    }

    /// Queues a message to the person and its letter; returns whether an e-mail goes. The
    /// letter always holds the content: when the e-mail carries it, the letter is `emailed`;
    /// otherwise it waits in the print queue (domain.md §9).
    fn message_person(
        &mut self,
        template: Template,
        mut params: serde_json::Value,
        controller: Option<&str>,
    ) -> AppResult<bool> {
        let address = self.person_address();
        let kind = self.kind();
        let name = address.as_ref().map_or_else(
            || {
                self.representative()
                    .map_or_else(|| self.record.case.subject.0.name.clone(), |r| r.name)
            },
            |(_, name, _)| name.clone(),
        );
        if let Some(map) = params.as_object_mut() {
            map.insert("reference".into(), json!(self.record.case.reference));
            map.insert("kind_sv".into(), json!(kind.swedish_label()));
            map.insert("request_sv".into(), json!(kind.request_sv()));
            map.insert("recipient_name".into(), json!(name));
            map.insert("organisation".into(), json!(self.organisation));
        }
        let email_carries_content = match &address {
            None => false,
            // Nobody has checked that this address belongs to the person (domain.md §3), or
            // the person's identity is protected: nothing but the reference goes by e-mail.
            Some((_, _, verified)) => {
                !self.record.case.protected_identity && (*verified || !template.carries_content())
            }
        };
        self.letters.push(NewLetter {
            template,
            controller: controller.map(str::to_owned),
            recipient: self.letter_recipient(),
            params: params.clone(),
            status: if email_carries_content {
                LetterStatus::Emailed
            } else {
                LetterStatus::ToPrint
            },
        });
        let Some((email, _, _)) = address else {
            return Ok(false);
        };
        self.messages.push(if email_carries_content {
            NewMessage {
                template,
                recipient: email,
                params,
            }
        } else {
            NewMessage {
                template: Template::CaseNews,
                recipient: email,
                params: json!({ "reference": self.record.case.reference }),
            }
        });
        Ok(true)
    }

    fn event(&mut self, name: &'static str, data: serde_json::Value) {
        self.events.push(Event { name, data });
    }

    /// The controller's part, if it has not decided yet.
    fn open_part_mut(&mut self, controller: &str) -> AppResult<&mut PartRow> {
        let part = self.part_mut(controller)?;
        if part.status == PartStatus::Decided {
            return Err(conflict(
                ConflictCode::PartAlreadyDecided,
                "This controller has already decided.",
            ));
        }
        Ok(part)
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

    /// Stamps the change: a new version and the update time.
    pub fn finish(&mut self) -> NaiveDateTime {
        let now = self.now.naive_utc();
        self.record.case.version = self.version_loaded + 1;
        self.record.case.updated_at = now;
        now
    }
}

mod appeal;
mod decision;
mod restriction;
pub use decision::DecisionDraft;
mod delivery;
mod extension;
mod identity;
mod parts;
