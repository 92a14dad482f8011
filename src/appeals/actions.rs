//! The appeal commands: what each needs, who may do it, what it writes. The rules are in
//! `casework::work::appeal`.

use chrono::NaiveDate;

use super::store::{self, AppealRow};
use crate::audit::AuditAction;
use crate::auth::{Action, AuthUser};
use crate::cases::store::CaseRecord;
use crate::casework::service::CaseChange;
use crate::casework::work::Work;
use crate::db::DbConnection;
use crate::domain::appeal::NotifiedFrom;
use crate::domain::names::ControllerId;
use crate::error::{AppError, AppResult};

/// An appeal of a controller's decision arrived.
pub struct ReceiveAppeal {
    /// Chosen by the caller, so the appeal can be read back once recorded.
    pub id: String,
    pub controller: ControllerId,
    pub received_on: NaiveDate,
    /// The day the person was notified; default: the day recorded on the decision letter, or
    /// the day the e-mail carrying it was sent.
    pub notified_on: Option<NaiveDate>,
}

impl CaseChange for ReceiveAppeal {
    /// The day the person was notified of the controller's decision, as the case shows it.
    type Inputs = Option<(NaiveDate, NotifiedFrom)>;
    type Rows = AppealRow;
    const PERMISSION: Action = Action::HandleAppeals;
    const AUDIT_ACTION: AuditAction = AuditAction::AppealReceived;

    fn authorize(&self, user: &AuthUser) -> AppResult<()> {
        user.require_acts_for(self.controller.as_str())
    }

    fn load(&self, conn: &mut DbConnection, record: &CaseRecord) -> AppResult<Self::Inputs> {
        store::decision_notified(conn, &record.case.id, self.controller.as_str())
    }

    fn apply(
        &self,
        work: &mut Work,
        user: &AuthUser,
        recorded: Self::Inputs,
    ) -> AppResult<AppealRow> {
        let notified = match self.notified_on {
            Some(day) => Some((day, NotifiedFrom::Given)),
            None => recorded,
        };
        work.receive_appeal(
            user,
            &self.id,
            self.controller.as_str(),
            self.received_on,
            notified,
        )
    }

    fn write(&self, conn: &mut DbConnection, row: &AppealRow) -> AppResult<()> {
        store::insert(conn, row)
    }
}

/// An appeal in time is sent to förvaltningsrätten with the documents of the case.
pub struct ForwardAppeal {
    pub appeal_id: String,
    pub forwarded_on: NaiveDate,
    pub documents: Vec<String>,
}

impl CaseChange for ForwardAppeal {
    /// The appeal, if the case has it.
    type Inputs = Option<AppealRow>;
    type Rows = AppealRow;
    const PERMISSION: Action = Action::HandleAppeals;
    const AUDIT_ACTION: AuditAction = AuditAction::AppealForwarded;

    fn load(&self, conn: &mut DbConnection, record: &CaseRecord) -> AppResult<Option<AppealRow>> {
        store::find(conn, &record.case.id, &self.appeal_id)
    }

    fn apply(
        &self,
        work: &mut Work,
        user: &AuthUser,
        appeal: Option<AppealRow>,
    ) -> AppResult<AppealRow> {
        let appeal = appeal.ok_or(AppError::NotFound)?;
        user.require_acts_for(&appeal.controller_id)?;
        work.forward_appeal(appeal, self.forwarded_on, &self.documents)
    }

    fn write(&self, conn: &mut DbConnection, row: &AppealRow) -> AppResult<()> {
        store::update(conn, row)
    }
}

/// Omprövning: the nämnd replaces its appealed decision with a new one (förvaltningslagen 39 §).
pub struct Reconsider {
    pub appeal_id: String,
    pub decision: crate::casework::actions::Decide,
}

impl CaseChange for Reconsider {
    /// The appeal, and what a decision of the appealed nämnd needs (its row, withheld findings).
    type Inputs = (
        Option<AppealRow>,
        Option<crate::controllers::store::ControllerRow>,
        i64,
    );
    /// The appeal as changed, the decision it replaced, and when.
    type Rows = (
        AppealRow,
        crate::cases::store::DecisionRow,
        chrono::NaiveDateTime,
    );
    const PERMISSION: Action = Action::HandleAppeals;
    const AUDIT_ACTION: AuditAction = AuditAction::Reconsidered;

    fn authorize(&self, user: &AuthUser) -> AppResult<()> {
        self.decision.authorize(user)
    }

    fn load(&self, conn: &mut DbConnection, record: &CaseRecord) -> AppResult<Self::Inputs> {
        let appeal = store::find(conn, &record.case.id, &self.appeal_id)?;
        let (controller, withheld) = self.decision.load(conn, record)?;
        Ok((appeal, controller, withheld))
    }

    fn apply(
        &self,
        work: &mut Work,
        user: &AuthUser,
        inputs: Self::Inputs,
    ) -> AppResult<Self::Rows> {
        let (appeal, controller, withheld) = inputs;
        let appeal = appeal.ok_or(AppError::NotFound)?;
        let d = &self.decision;
        d.check_withheld(withheld)?;
        let id = d.controller.to_string();
        let decider = d.decider(&id, controller.as_ref());
        let (appeal, old) = work.reconsider(user, appeal, decider, d.draft())?;
        Ok((appeal, old, work.now.naive_utc()))
    }

    fn write(&self, conn: &mut DbConnection, (appeal, old, at): &Self::Rows) -> AppResult<()> {
        store::update(conn, appeal)?;
        store::keep_superseded(conn, old, &appeal.id, *at)
    }
}
