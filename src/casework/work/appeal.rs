//! Appeals of a part's decision: arrival with the rättidsprövning, and forwarding to the court.

use chrono::TimeZone;

use super::*;
use crate::appeals::store::AppealRow;
use crate::clock::local_date;
use crate::domain::appeal::{self, AppealStatus, NotifiedFrom};

/// At most this many documents are listed as sent to the court.
const MAX_DOCUMENTS: usize = 50;

impl Work {
    /// Records an appeal of `controller`'s decision that arrived on `received_on`, tried for
    /// time against the day the person was notified (förvaltningslagen 44-45 §§).
    pub fn receive_appeal(
        &mut self,
        user: &AuthUser,
        id: &str,
        controller: &str,
        received_on: NaiveDate,
        notified: Option<(NaiveDate, NotifiedFrom)>,
    ) -> AppResult<AppealRow> {
        self.transition(CaseAction::Appeal)?;
        let decided_on = self
            .record
            .decisions
            .iter()
            .find(|d| d.controller_id == controller)
            .map(|d| local_date(Utc.from_utc_datetime(&d.decided_at)))
            .ok_or_else(|| {
                AppError::validation(
                    "controller",
                    "not_decided",
                    "This controller has made no decision on the case to appeal.",
                )
            })?;
        let mut errors = Vec::new();
        if received_on > self.today {
            errors.push(FieldError::new(
                "received_on",
                "in_the_future",
                "received_on may not be in the future.",
            ));
        }
        if received_on < decided_on {
            errors.push(FieldError::new(
                "received_on",
                "before_decision",
                "An appeal cannot arrive before the decision it appeals.",
            ));
        }
        if let Some((day, from)) = notified {
            if from == NotifiedFrom::Given && (day < decided_on || day > self.today) {
                errors.push(FieldError::new(
                    "notified_on",
                    "invalid",
                    "The day of notification lies between the decision and today.",
                ));
            }
        }
        if !errors.is_empty() {
            return Err(AppError::Validation(errors));
        }
        let notified_on = notified.map(|(day, _)| day);
        let notified_from = notified.map_or(NotifiedFrom::Unknown, |(_, from)| from);
        let (last_day, in_time) = appeal::try_for_time(received_on, notified_on);
        let now = self.now.naive_utc();
        let row = AppealRow {
            id: id.to_owned(),
            case_id: self.record.case.id.clone(),
            controller_id: controller.to_owned(),
            received_on,
            notified_on,
            last_day,
            in_time,
            notified_from,
            status: if in_time {
                AppealStatus::Pending
            } else {
                AppealStatus::RejectedLate
            },
            forwarded_on: None,
            court: None,
            documents: SealedJson(Vec::new()),
            created_at: now,
            created_by: user.sub.clone(),
            updated_at: now,
        };
        self.event(
            "appeal_received",
            json!({
                "controller": controller,
                "appeal": row.id,
                "received_on": received_on,
                "notified_on": notified_on,
                "notified_from": notified_from,
                "last_day": last_day,
                "in_time": in_time,
                "status": row.status,
            }),
        );
        Ok(row)
    }

    /// Sends an appeal in time to förvaltningsrätten with the documents of the case
    /// (förvaltningslagen 46 §).
    pub fn forward_appeal(
        &mut self,
        mut appeal: AppealRow,
        forwarded_on: NaiveDate,
        documents: &[String],
    ) -> AppResult<AppealRow> {
        self.transition(CaseAction::Appeal)?;
        if appeal.status != AppealStatus::Pending {
            return Err(conflict(
                ConflictCode::AppealNotPending,
                "Only an appeal in time that is still with the nämnd can be forwarded to the court.",
            ));
        }
        let mut errors = Vec::new();
        if forwarded_on > self.today || forwarded_on < appeal.received_on {
            errors.push(FieldError::new(
                "forwarded_on",
                "invalid",
                "The appeal is forwarded between its arrival and today.",
            ));
        }
        let documents: Vec<String> = documents
            .iter()
            .map(|d| d.trim().to_owned())
            .filter(|d| !d.is_empty())
            .collect();
        if documents.is_empty() {
            errors.push(FieldError::new(
                "documents",
                "required",
                "List the documents sent with the appeal (the appeal, the decision, the investigation).",
            ));
        } else if documents.len() > MAX_DOCUMENTS
            || documents
                .iter()
                .any(|d| d.chars().count() > 200 || d.chars().any(char::is_control))
        {
            errors.push(FieldError::new(
                "documents",
                "invalid",
                format!("At most {MAX_DOCUMENTS} documents, each named in at most 200 characters."),
            ));
        }
        if !errors.is_empty() {
            return Err(AppError::Validation(errors));
        }
        appeal.status = AppealStatus::ForwardedToCourt;
        appeal.forwarded_on = Some(forwarded_on);
        appeal.court = Some(self.court.clone());
        appeal.documents = SealedJson(documents.clone());
        appeal.updated_at = self.now.naive_utc();
        self.event(
            "appeal_forwarded",
            json!({
                "controller": appeal.controller_id,
                "appeal": appeal.id,
                "forwarded_on": forwarded_on,
                "court": self.court,
                "documents": documents,
            }),
        );
        Ok(appeal)
    }
}

impl Work {
    /// Omprövning (förvaltningslagen 39 §): the nämnd replaces its decision on the appealed
    /// part with a new one. The old decision is returned to be kept; the case keeps its status
    /// and its first decision date. If the new decision grants the request in full the appeal
    /// lapses (`reconsidered`); otherwise it stays pending and goes on to the court, where it
    /// concerns the new decision (FL 46 §).
    pub fn reconsider(
        &mut self,
        user: &AuthUser,
        mut appeal: AppealRow,
        decider: crate::domain::decision::Decider<'_>,
        draft: super::DecisionDraft<'_>,
    ) -> AppResult<(AppealRow, DecisionRow)> {
        self.transition(CaseAction::Appeal)?;
        if appeal.status != AppealStatus::Pending {
            return Err(conflict(
                ConflictCode::AppealNotPending,
                "Only an appeal in time that is still with the nämnd can lead to an omprövning.",
            ));
        }
        if draft.controller != appeal.controller_id {
            return Err(AppError::validation(
                "controller",
                "not_the_appealed_part",
                "The omprövning concerns the decision of the nämnd that was appealed.",
            ));
        }
        let position = self
            .record
            .decisions
            .iter()
            .position(|d| d.controller_id == appeal.controller_id)
            .ok_or_else(|| {
                AppError::validation(
                    "controller",
                    "not_decided",
                    "There is no decision to change.",
                )
            })?;
        let old = self.record.decisions.remove(position);
        let status = self.record.case.status;
        let (decided_at, on_time, days) = (
            self.record.case.decided_at,
            self.record.case.decided_on_time,
            self.record.case.days_to_decision,
        );
        if let Some(part) = self
            .record
            .parts
            .iter_mut()
            .find(|p| p.controller_id == appeal.controller_id)
        {
            part.status = PartStatus::Open;
        }
        // Decide again as if the part were open, then put the case back where it was.
        self.record.case.status = CaseStatus::InProgress;
        let granted = draft.outcome == Outcome::Granted;
        self.decide(user, decider, draft)?;
        let case = &mut self.record.case;
        case.status = status;
        case.decided_at = decided_at;
        case.decided_on_time = on_time;
        case.days_to_decision = days;
        if granted {
            appeal.status = AppealStatus::Reconsidered;
        }
        appeal.updated_at = self.now.naive_utc();
        self.event(
            "decision_reconsidered",
            json!({
                "controller": appeal.controller_id,
                "appeal": appeal.id,
                "previous_outcome": old.outcome,
                "appeal_status": appeal.status,
            }),
        );
        Ok((appeal, old))
    }
}
