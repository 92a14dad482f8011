//! The parts of a case: adding a controller, assigning a handläggare.

use super::*;

impl Work {
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
                ConflictCode::ControllerAlreadyPart,
                "The controller is already a part of the case.",
            ));
        }
        let now = self.now.naive_utc();
        let part = PartRow {
            case_id: self.record.case.id.clone(),
            controller_id: controller.to_owned(),
            status: PartStatus::Open,
            handler: None,
            created_at: now,
            updated_at: now,
            handler_name: None,
        };
        self.record.parts.push(part.clone());
        self.new_parts.push(part);
        self.event("controller_added", json!({ "controller": controller }));
        Ok(())
    }

    pub fn assign(
        &mut self,
        controller: &str,
        handler: &str,
        handler_name: Option<&str>,
    ) -> AppResult<()> {
        self.transition(CaseAction::Work)?;
        let now = self.now.naive_utc();
        let part = self.open_part_mut(controller)?;
        let previous = part.handler.replace(handler.to_owned());
        part.handler_name = handler_name.map(str::to_owned);
        part.updated_at = now;
        self.event(
            "handler_assigned",
            json!({ "controller": controller, "handler": handler, "previous": previous }),
        );
        Ok(())
    }
}
