//! The audit log's actions: a closed list, so a new one is added here and nowhere else, and the
//! names in the log never drift from one call site to another.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, diesel::AsExpression, diesel::FromSqlRow)]
#[diesel(sql_type = diesel::sql_types::Text)]
pub enum AuditAction {
    Create,
    CreateReplayed,
    Read,
    List,
    Search,
    Journal,
    Deadline,
    ExportCsv,
    Identity,
    AddController,
    Assign,
    Extend,
    Decide,
    Deliver,
    Close,
    Withdraw,
    Candidates,
    Finding,
    ExtractCompile,
    ExtractRead,
}

impl AuditAction {
    pub const ALL: [AuditAction; 20] = [
        AuditAction::Create,
        AuditAction::CreateReplayed,
        AuditAction::Read,
        AuditAction::List,
        AuditAction::Search,
        AuditAction::Journal,
        AuditAction::Deadline,
        AuditAction::ExportCsv,
        AuditAction::Identity,
        AuditAction::AddController,
        AuditAction::Assign,
        AuditAction::Extend,
        AuditAction::Decide,
        AuditAction::Deliver,
        AuditAction::Close,
        AuditAction::Withdraw,
        AuditAction::Candidates,
        AuditAction::Finding,
        AuditAction::ExtractCompile,
        AuditAction::ExtractRead,
    ];

    /// The stable name in the log, e.g. `case.read`.
    pub fn as_str(self) -> &'static str {
        match self {
            AuditAction::Create => "case.create",
            AuditAction::CreateReplayed => "case.create_replayed",
            AuditAction::Read => "case.read",
            AuditAction::List => "case.list",
            AuditAction::Search => "case.search",
            AuditAction::Journal => "case.journal",
            AuditAction::Deadline => "case.deadline",
            AuditAction::ExportCsv => "case.export_csv",
            AuditAction::Identity => "case.identity",
            AuditAction::AddController => "case.add_controller",
            AuditAction::Assign => "case.assign",
            AuditAction::Extend => "case.extend",
            AuditAction::Decide => "case.decide",
            AuditAction::Deliver => "case.deliver",
            AuditAction::Close => "case.close",
            AuditAction::Withdraw => "case.withdraw",
            AuditAction::Candidates => "case.candidates",
            AuditAction::Finding => "case.finding",
            AuditAction::ExtractCompile => "case.extract_compile",
            AuditAction::ExtractRead => "case.extract_read",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == name)
    }
}

impl fmt::Display for AuditAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
