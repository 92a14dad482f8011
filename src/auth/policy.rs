//! Who may do what: the role table of `api.md` in one place.

use super::roles::Role;
use super::user::AuthUser;
use crate::error::AppError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    CreateCase,
    ListCases,
    ReadCase,
    SearchCases,
    ReadJournal,
    ReadAudit,
    ReadControllers,
    ManageControllers,
    ComputeDeadline,
    RecordIdentity,
    AddController,
    AssignPart,
    ExtendDeadline,
    Decide,
    Deliver,
    Close,
    Withdraw,
    ReadStats,
    ReadOutbox,
    RunRetention,
    ReadRegister,
    ManageRegister,
    RecordFindings,
    CompileExtract,
    /// The candidates from the register and the findings recorded on them.
    ReadFindings,
    /// The compiled extract, as JSON or as the letter.
    ReadExtract,
    /// The status view of the logged-in citizen's own cases.
    ReadCitizenStatus,
    /// Mark a case as concerning a person with protected identity (lifting it is admin's).
    MarkProtectedIdentity,
    /// Record an appeal's arrival and forward it to the court; read the appeals.
    HandleAppeals,
    /// The print queue: list, print and mark posted the letters to the person.
    PrintLetters,
    /// Record the municipality's diarienummer of a case.
    RegisterInDiarium,
    /// Restrict processing per activity, and lift the restriction.
    RestrictProcessing,
}

impl Action {
    pub fn allowed_roles(self) -> &'static [Role] {
        use Role::*;
        match self {
            Action::CreateCase => &[Etjanst, Kontaktcenter, Handlaggare, Admin],
            // The e-tjänst reads only the status view of the logged-in citizen's own cases.
            Action::ListCases | Action::ReadCase => &[Kontaktcenter, Handlaggare, Dpo, Admin],
            Action::ReadCitizenStatus => &[Etjanst, Admin],
            Action::SearchCases | Action::ReadJournal => &[Kontaktcenter, Handlaggare, Dpo, Admin],
            Action::ReadAudit => &[Dpo, Admin],
            Action::ReadControllers | Action::ComputeDeadline => {
                &[Etjanst, Kontaktcenter, Handlaggare, Dpo, Admin]
            }
            Action::ManageControllers => &[Admin],
            Action::RecordIdentity
            | Action::AddController
            | Action::Withdraw
            | Action::MarkProtectedIdentity
            | Action::RegisterInDiarium => &[Kontaktcenter, Handlaggare, Admin],
            // Kontaktcenter records only pickups at the desk (checked by the delivery itself).
            Action::Deliver => &[Kontaktcenter, Handlaggare, Admin],
            // The DPO monitors and advises but never decides (Art. 38(6)).
            Action::AssignPart
            | Action::ExtendDeadline
            | Action::Decide
            | Action::Close
            | Action::HandleAppeals
            | Action::PrintLetters
            | Action::RestrictProcessing => &[Handlaggare, Admin],
            Action::ReadStats => &[Dpo, Admin],
            Action::ReadOutbox | Action::RunRetention | Action::ManageRegister => &[Admin],
            Action::ReadRegister => &[Kontaktcenter, Handlaggare, Dpo, Admin],
            Action::RecordFindings | Action::CompileExtract => &[Handlaggare, Admin],
            // Neither the desk nor the e-tjänst sees what a nämnd found (domain.md §8).
            Action::ReadFindings | Action::ReadExtract => &[Handlaggare, Dpo, Admin],
        }
    }
}

impl AuthUser {
    pub fn may(&self, action: Action) -> bool {
        action
            .allowed_roles()
            .iter()
            .any(|role| self.has_role(*role))
    }

    /// 403 unless one of the user's roles allows `action`.
    pub fn require(&self, action: Action) -> Result<(), AppError> {
        if self.may(action) {
            Ok(())
        } else {
            Err(AppError::forbidden("Your roles do not allow this action."))
        }
    }

    /// Kontaktcenter, the DPO and administrators see every case.
    pub fn may_see_all_cases(&self) -> bool {
        [Role::Kontaktcenter, Role::Dpo, Role::Admin]
            .iter()
            .any(|r| self.has_role(*r))
    }

    /// May act on `controller`'s part: an administrator, or a handläggare working for it.
    pub fn acts_for(&self, controller: &str) -> bool {
        self.has_role(Role::Admin)
            || (self.has_role(Role::Handlaggare)
                && self.controllers.iter().any(|c| c == controller))
    }

    /// 403 unless the user acts for `controller` (see `acts_for`).
    pub fn require_acts_for(&self, controller: &str) -> Result<(), AppError> {
        if self.acts_for(controller) {
            Ok(())
        } else {
            Err(AppError::forbidden("You do not work for this controller."))
        }
    }

    /// Which cases this user can see at all; cases outside it are 404 (no existence leak).
    pub fn case_scope(&self) -> CaseScope {
        if self.may_see_all_cases() {
            return CaseScope::All;
        }
        CaseScope::Limited {
            controllers: if self.has_role(Role::Handlaggare) {
                self.controllers.clone()
            } else {
                Vec::new()
            },
            created_by: self.has_role(Role::Etjanst).then(|| self.sub.clone()),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CaseScope {
    All,
    /// Cases with a part for one of `controllers`, or created by `created_by`.
    Limited {
        controllers: Vec<String>,
        created_by: Option<String>,
    },
}

impl CaseScope {
    pub fn allows(&self, case_controllers: &[String], case_created_by: &str) -> bool {
        match self {
            CaseScope::All => true,
            CaseScope::Limited {
                controllers,
                created_by,
            } => {
                case_controllers.iter().any(|c| controllers.contains(c))
                    || created_by.as_deref() == Some(case_created_by)
            }
        }
    }
}
