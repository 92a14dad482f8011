//! Restriction of processing per activity (Art. 18), and its lifting after notice (18(3)).

use super::*;
use crate::restrictions::store::RestrictionRow;

impl Work {
    /// Restricts the processing of the person's data in one activity of a controller of the
    /// case: for a restriction request, or as an interim measure while an objection or a
    /// contested rectification is assessed.
    #[allow(clippy::too_many_arguments)]
    pub fn start_restriction(
        &mut self,
        user: &AuthUser,
        id: &str,
        controller: &str,
        activity_id: &str,
        activity_name: &str,
        reason: &str,
        started_on: NaiveDate,
    ) -> AppResult<RestrictionRow> {
        self.transition(CaseAction::Restriction)?;
        let interim = match self.kind() {
            CaseKind::Restriction => false,
            CaseKind::Objection | CaseKind::Rectification => true,
            _ => {
                return Err(conflict(
                    ConflictCode::RestrictionNotInForce,
                    "Processing is restricted for a restriction request, or while an objection or a rectification is assessed (Art. 18(1)).",
                ))
            }
        };
        if !self
            .record
            .parts
            .iter()
            .any(|p| p.controller_id == controller)
        {
            return Err(AppError::validation(
                "activity_id",
                "not_a_part",
                "The activity belongs to a controller that is not a part of this case.",
            ));
        }
        let reason = required_text("reason", Some(reason), "Why the processing is restricted")?;
        if started_on > self.today {
            return Err(AppError::validation(
                "started_on",
                "in_the_future",
                "started_on may not be in the future.",
            ));
        }
        let row = RestrictionRow {
            id: id.to_owned(),
            case_id: self.record.case.id.clone(),
            controller_id: controller.to_owned(),
            activity_id: activity_id.to_owned(),
            activity_name: activity_name.to_owned(),
            started_on,
            reason: SealedText(reason.clone()),
            interim,
            lift_notified_on: None,
            lift_on: None,
            lifted_on: None,
            created_at: self.now.naive_utc(),
            created_by: user.sub.clone(),
        };
        self.event(
            "restriction_started",
            json!({ "controller": controller, "restriction": id, "activity": activity_name,
                    "started_on": started_on, "interim": interim, "reason": reason }),
        );
        Ok(row)
    }

    /// Tells the person that the restriction will be lifted on `lift_on` (Art. 18(3)).
    pub fn notify_lifting(
        &mut self,
        mut row: RestrictionRow,
        controller_name: &str,
        lift_on: NaiveDate,
    ) -> AppResult<RestrictionRow> {
        self.transition(CaseAction::Restriction)?;
        if row.lifted_on.is_some() {
            return Err(conflict(
                ConflictCode::RestrictionNotInForce,
                "The restriction has already been lifted.",
            ));
        }
        if lift_on <= self.today {
            return Err(AppError::validation(
                "lift_on",
                "not_after_notice",
                "The person is told before the restriction is lifted: lift_on is a day after today.",
            ));
        }
        let by_email = self.message_person(
            Template::RestrictionLifting,
            json!({ "activity": row.activity_name, "controller_name": controller_name,
                    "started_on": row.started_on, "lift_on": lift_on }),
            Some(&row.controller_id),
        )?;
        row.lift_notified_on = Some(self.today);
        row.lift_on = Some(lift_on);
        self.event(
            "restriction_lift_notified",
            json!({ "controller": row.controller_id, "restriction": row.id, "lift_on": lift_on,
                    "notice": if by_email { "email" } else { "letter" } }),
        );
        Ok(row)
    }

    /// Lifts the restriction on or after the day the person was told.
    pub fn lift_restriction(&mut self, mut row: RestrictionRow) -> AppResult<RestrictionRow> {
        self.transition(CaseAction::Restriction)?;
        if row.lifted_on.is_some() {
            return Err(conflict(
                ConflictCode::RestrictionNotInForce,
                "The restriction has already been lifted.",
            ));
        }
        match row.lift_on {
            None => {
                return Err(conflict(
                    ConflictCode::LiftNotNotified,
                    "Tell the person first (Art. 18(3)): POST .../lift-notice with the day it will be lifted.",
                ))
            }
            Some(day) if self.today < day => {
                return Err(conflict(
                    ConflictCode::LiftNotNotified,
                    format!("The person was told it will be lifted on {day}: not before."),
                ))
            }
            Some(_) => {}
        }
        row.lifted_on = Some(self.today);
        self.event(
            "restriction_lifted",
            json!({ "controller": row.controller_id, "restriction": row.id, "lifted_on": self.today }),
        );
        Ok(row)
    }
}
