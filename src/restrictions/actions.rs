//! The restriction commands: start, tell the person it will be lifted, lift.

use chrono::NaiveDate;

use super::store::{self, RestrictionRow};
use crate::audit::AuditAction;
use crate::auth::{Action, AuthUser};
use crate::cases::store::CaseRecord;
use crate::casework::service::CaseChange;
use crate::casework::work::Work;
use crate::db::DbConnection;
use crate::error::{AppError, AppResult};
use crate::register::store::{self as register, ActivityRow};

pub struct StartRestriction {
    pub id: String,
    pub activity_id: String,
    pub reason: String,
    pub started_on: NaiveDate,
}

impl CaseChange for StartRestriction {
    type Inputs = Option<ActivityRow>;
    type Rows = RestrictionRow;
    const PERMISSION: Action = Action::RestrictProcessing;
    const AUDIT_ACTION: AuditAction = AuditAction::RestrictionStarted;

    fn load(&self, conn: &mut DbConnection, _: &CaseRecord) -> AppResult<Option<ActivityRow>> {
        register::find(conn, &self.activity_id)
    }

    fn apply(
        &self,
        work: &mut Work,
        user: &AuthUser,
        activity: Option<ActivityRow>,
    ) -> AppResult<RestrictionRow> {
        let activity = register::known(activity)?;
        user.require_acts_for(&activity.controller_id)?;
        work.start_restriction(
            user,
            &self.id,
            &activity.controller_id,
            &activity.id,
            &activity.name,
            &self.reason,
            self.started_on,
        )
    }

    fn write(&self, conn: &mut DbConnection, row: &RestrictionRow) -> AppResult<()> {
        store::insert(conn, row)
    }
}

/// Tell the person the restriction will be lifted, and when (Art. 18(3)).
pub struct NotifyLifting {
    pub restriction_id: String,
    pub lift_on: NaiveDate,
}

impl CaseChange for NotifyLifting {
    /// The restriction, and its controller's name for the notice.
    type Inputs = (Option<RestrictionRow>, Option<String>);
    type Rows = RestrictionRow;
    const PERMISSION: Action = Action::RestrictProcessing;
    const AUDIT_ACTION: AuditAction = AuditAction::RestrictionLiftNotified;

    fn load(
        &self,
        conn: &mut DbConnection,
        record: &CaseRecord,
    ) -> AppResult<(Option<RestrictionRow>, Option<String>)> {
        let row = store::find(conn, &record.case.id, &self.restriction_id)?;
        let name = match &row {
            Some(r) => crate::casework::store::controller_name(conn, &r.controller_id)?,
            None => None,
        };
        Ok((row, name))
    }

    fn apply(
        &self,
        work: &mut Work,
        user: &AuthUser,
        (row, name): (Option<RestrictionRow>, Option<String>),
    ) -> AppResult<RestrictionRow> {
        let row = row.ok_or(AppError::NotFound)?;
        user.require_acts_for(&row.controller_id)?;
        let name = name.unwrap_or_else(|| row.controller_id.clone());
        work.notify_lifting(row, &name, self.lift_on)
    }

    fn write(&self, conn: &mut DbConnection, row: &RestrictionRow) -> AppResult<()> {
        store::update(conn, row)
    }
}

/// Lift the restriction, on or after the day the person was told.
pub struct LiftRestriction {
    pub restriction_id: String,
}

impl CaseChange for LiftRestriction {
    type Inputs = Option<RestrictionRow>;
    type Rows = RestrictionRow;
    const PERMISSION: Action = Action::RestrictProcessing;
    const AUDIT_ACTION: AuditAction = AuditAction::RestrictionLifted;

    fn load(
        &self,
        conn: &mut DbConnection,
        record: &CaseRecord,
    ) -> AppResult<Option<RestrictionRow>> {
        store::find(conn, &record.case.id, &self.restriction_id)
    }

    fn apply(
        &self,
        work: &mut Work,
        user: &AuthUser,
        row: Option<RestrictionRow>,
    ) -> AppResult<RestrictionRow> {
        let row = row.ok_or(AppError::NotFound)?;
        user.require_acts_for(&row.controller_id)?;
        work.lift_restriction(row)
    }

    fn write(&self, conn: &mut DbConnection, row: &RestrictionRow) -> AppResult<()> {
        store::update(conn, row)
    }
}
