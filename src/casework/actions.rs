//! The case-work commands: each says what it needs, who may do it and what it changes. The rules
//! themselves are in `work/`; `service::change` runs a command against a case.

use chrono::{DateTime, Utc};

use super::dto::{IdentityAction, Party};
use super::service::CaseChange;
use super::store::controller_name;
use super::work::{DecisionDraft, Work};
use crate::audit::AuditAction;
use crate::auth::{Action, AuthUser};
use crate::cases::store::CaseRecord;
use crate::controllers::store::ControllerRow;
use crate::db::DbConnection;
use crate::domain::case::ControllerKind;
use crate::domain::case::{DeliveryMethod, IdentityMethod};
use crate::domain::decision::{Decider, Outcome};
use crate::domain::names::ControllerId;
use crate::error::{AppError, AppResult};

/// Refuses a user who works for none of the case's controllers.
pub(crate) fn require_a_part_of_mine(work: &Work, user: &AuthUser) -> AppResult<()> {
    if work
        .record
        .parts
        .iter()
        .any(|p| user.acts_for(&p.controller_id))
    {
        Ok(())
    } else {
        Err(AppError::forbidden(
            "You do not work for any controller of this case.",
        ))
    }
}

/// Verify, ask for more information, information received, or failed.
pub struct RecordIdentity {
    pub action: IdentityAction,
    pub party: Party,
    pub method: Option<IdentityMethod>,
    pub document_type: Option<String>,
    pub note: Option<String>,
}

impl CaseChange for RecordIdentity {
    type Inputs = ();
    type Rows = ();
    const PERMISSION: Action = Action::RecordIdentity;
    const AUDIT_ACTION: AuditAction = AuditAction::Identity;

    fn load(&self, _: &mut DbConnection, _: &CaseRecord) -> AppResult<()> {
        Ok(())
    }

    fn apply(&self, work: &mut Work, user: &AuthUser, _: ()) -> AppResult<()> {
        work.identity(
            user,
            self.action,
            self.party,
            self.method,
            self.document_type.as_deref(),
            self.note.as_deref(),
        )
    }
}

/// Add a controller (nämnd) as a part of the case.
pub struct AddController {
    pub controller: ControllerId,
}

impl CaseChange for AddController {
    /// Whether the controller exists.
    type Inputs = bool;
    type Rows = ();
    const PERMISSION: Action = Action::AddController;
    const AUDIT_ACTION: AuditAction = AuditAction::AddController;

    fn load(&self, conn: &mut DbConnection, _: &CaseRecord) -> AppResult<bool> {
        Ok(controller_name(conn, self.controller.as_str())?.is_some())
    }

    fn apply(&self, work: &mut Work, _: &AuthUser, exists: bool) -> AppResult<()> {
        if !exists {
            return Err(AppError::validation(
                "controller",
                "unknown_controller",
                format!("There is no controller `{}`.", self.controller),
            ));
        }
        work.add_controller(self.controller.as_str())
    }
}

/// Assign a handläggare to a controller's part (`None`: the user takes it).
pub struct AssignPart {
    pub controller: String,
    pub handler: Option<String>,
    pub handler_name: Option<String>,
}

impl CaseChange for AssignPart {
    type Inputs = ();
    type Rows = ();
    const PERMISSION: Action = Action::AssignPart;
    const AUDIT_ACTION: AuditAction = AuditAction::Assign;

    fn authorize(&self, user: &AuthUser) -> AppResult<()> {
        user.require_acts_for(&self.controller)
    }

    fn load(&self, _: &mut DbConnection, _: &CaseRecord) -> AppResult<()> {
        Ok(())
    }

    fn apply(&self, work: &mut Work, user: &AuthUser, _: ()) -> AppResult<()> {
        match &self.handler {
            // Someone else is assigned: their name if given.
            Some(handler) => work.assign(&self.controller, handler, self.handler_name.as_deref()),
            None => work.assign(&self.controller, &user.sub, Some(&user.name)),
        }
    }
}

/// Extend the deadline by two further months (Art. 12(3)).
pub struct ExtendDeadline {
    pub reason: String,
}

impl CaseChange for ExtendDeadline {
    type Inputs = ();
    type Rows = ();
    const PERMISSION: Action = Action::ExtendDeadline;
    const AUDIT_ACTION: AuditAction = AuditAction::Extend;

    fn load(&self, _: &mut DbConnection, _: &CaseRecord) -> AppResult<()> {
        Ok(())
    }

    fn apply(&self, work: &mut Work, user: &AuthUser, _: ()) -> AppResult<()> {
        require_a_part_of_mine(work, user)?;
        work.extend(user, &self.reason)
    }
}

/// A controller's decision on its part.
pub struct Decide {
    pub controller: ControllerId,
    pub outcome: Outcome,
    pub reasons: Option<String>,
    pub recipients_notified: Option<Vec<String>>,
    pub recipients_not_notified_reason: Option<String>,
    pub ground: Option<crate::domain::decision::DecisionGround>,
    pub legal_grounds: Vec<String>,
    pub decision_maker: Option<crate::cases::dto::DecisionMaker>,
    pub fee_sek: Option<u32>,
    pub forwarded_to: Option<String>,
    pub forwarded_on: Option<chrono::NaiveDate>,
    pub not_applicable_because: Option<crate::domain::decision::NotApplicableBecause>,
}

impl CaseChange for Decide {
    /// The controller, for the decision letter, and how many of its findings were withheld.
    type Inputs = (Option<ControllerRow>, i64);
    type Rows = ();
    const PERMISSION: Action = Action::Decide;
    const AUDIT_ACTION: AuditAction = AuditAction::Decide;

    fn authorize(&self, user: &AuthUser) -> AppResult<()> {
        if user.acts_for(self.controller.as_str()) {
            Ok(())
        } else {
            Err(AppError::forbidden(
                "You do not decide for this controller.",
            ))
        }
    }

    fn load(
        &self,
        conn: &mut DbConnection,
        record: &CaseRecord,
    ) -> AppResult<(Option<ControllerRow>, i64)> {
        Ok((
            crate::controllers::store::find(conn, self.controller.as_str())?,
            crate::extract::store::withheld_count(conn, &record.case.id, self.controller.as_str())?,
        ))
    }

    fn apply(
        &self,
        work: &mut Work,
        user: &AuthUser,
        (controller, withheld): (Option<ControllerRow>, i64),
    ) -> AppResult<()> {
        self.check_withheld(withheld)?;
        let id = self.controller.to_string();
        let decider = self.decider(&id, controller.as_ref());
        work.decide(user, decider, self.draft())
    }
}

impl Decide {
    /// The extract and the decision can never disagree (domain.md §6a).
    pub(crate) fn check_withheld(&self, withheld: i64) -> AppResult<()> {
        if withheld > 0 && self.outcome == Outcome::Granted {
            return Err(AppError::Conflict {
                code: crate::error::ConflictCode::WithheldFindings,
                detail: format!(
                    "{withheld} finding(s) of this nämnd were withheld after the secrecy review: the decision is partially_granted (or refused), with the provisions applied."
                ),
            });
        }
        Ok(())
    }

    /// Who decides, as the letter names them.
    pub(crate) fn decider<'a>(
        &self,
        id: &'a str,
        controller: Option<&'a ControllerRow>,
    ) -> Decider<'a> {
        Decider {
            name: controller.map_or(id, |c| c.name.as_str()),
            kind: controller.map_or(ControllerKind::Namnd, |c| c.kind),
            postal_address: controller.and_then(|c| c.postal_address.as_deref()),
        }
    }

    pub(crate) fn draft(&self) -> DecisionDraft<'_> {
        DecisionDraft {
            controller: self.controller.as_str(),
            outcome: self.outcome,
            reasons: self.reasons.as_deref(),
            legal_grounds: &self.legal_grounds,
            decision_maker: self.decision_maker.as_ref(),
            recipients_notified: self.recipients_notified.clone(),
            recipients_not_notified_reason: self.recipients_not_notified_reason.as_deref(),
            ground: self.ground,
            fee_sek: self.fee_sek,
            forwarded_to: self.forwarded_to.as_deref(),
            forwarded_on: self.forwarded_on,
            not_applicable_because: self.not_applicable_because,
        }
    }
}

/// The answer reached the person.
pub struct RecordDelivery {
    pub method: DeliveryMethod,
    pub delivered_at: Option<DateTime<Utc>>,
}

impl CaseChange for RecordDelivery {
    /// Whether the extract has been compiled.
    type Inputs = bool;
    type Rows = ();
    const PERMISSION: Action = Action::Deliver;
    const AUDIT_ACTION: AuditAction = AuditAction::Deliver;

    fn load(&self, conn: &mut DbConnection, record: &CaseRecord) -> AppResult<bool> {
        Ok(crate::extract::store::extract_of(conn, &record.case.id)?.is_some())
    }

    fn apply(&self, work: &mut Work, user: &AuthUser, compiled: bool) -> AppResult<()> {
        work.deliver(user, self.method, self.delivered_at, compiled)
    }
}

/// Close a decided case.
pub struct CloseCase;

impl CaseChange for CloseCase {
    type Inputs = ();
    type Rows = ();
    const PERMISSION: Action = Action::Close;
    const AUDIT_ACTION: AuditAction = AuditAction::Close;

    fn load(&self, _: &mut DbConnection, _: &CaseRecord) -> AppResult<()> {
        Ok(())
    }

    fn apply(&self, work: &mut Work, _: &AuthUser, _: ()) -> AppResult<()> {
        work.close()
    }
}

/// The person withdrew the request.
pub struct Withdraw {
    pub note: Option<String>,
}

impl CaseChange for Withdraw {
    type Inputs = ();
    type Rows = ();
    const PERMISSION: Action = Action::Withdraw;
    const AUDIT_ACTION: AuditAction = AuditAction::Withdraw;

    fn load(&self, _: &mut DbConnection, _: &CaseRecord) -> AppResult<()> {
        Ok(())
    }

    fn apply(&self, work: &mut Work, _: &AuthUser, _: ()) -> AppResult<()> {
        work.withdraw(self.note.as_deref())
    }
}

/// Record the municipality's diarienummer of the case.
pub struct SetDiarienummer {
    pub diarienummer: String,
}

impl CaseChange for SetDiarienummer {
    type Inputs = ();
    type Rows = ();
    const PERMISSION: Action = Action::RegisterInDiarium;
    const AUDIT_ACTION: AuditAction = AuditAction::Diarienummer;

    fn load(&self, _: &mut DbConnection, _: &CaseRecord) -> AppResult<()> {
        Ok(())
    }

    fn apply(&self, work: &mut Work, _: &AuthUser, _: ()) -> AppResult<()> {
        work.set_diarienummer(&self.diarienummer)
    }
}

/// Mark the case as concerning a person with sekretessmarkering or skyddad folkbokföring, or
/// lift the mark.
pub struct SetProtectedIdentity {
    pub protected: bool,
}

impl CaseChange for SetProtectedIdentity {
    type Inputs = ();
    type Rows = ();
    const PERMISSION: Action = Action::MarkProtectedIdentity;
    const AUDIT_ACTION: AuditAction = AuditAction::ProtectedIdentity;

    fn authorize(&self, user: &AuthUser) -> AppResult<()> {
        // Lifting the protection exposes the person's address to more staff: an
        // administrator does it, on Skatteverket's word.
        if !self.protected && !user.has_role(crate::auth::Role::Admin) {
            return Err(AppError::forbidden(
                "Only an administrator may lift the protected identity of a case.",
            ));
        }
        Ok(())
    }

    fn load(&self, _: &mut DbConnection, _: &CaseRecord) -> AppResult<()> {
        Ok(())
    }

    fn apply(&self, work: &mut Work, _: &AuthUser, _: ()) -> AppResult<()> {
        work.set_protected_identity(self.protected)
    }
}
