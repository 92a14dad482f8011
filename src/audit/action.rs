//! The audit log's actions: a closed list, so a new one is added here and nowhere else, and the
//! names in the log never drift from one call site to another.

use std::fmt;

use crate::domain::code::coded_enum;

coded_enum! {
    /// The stable name in the log is the code, e.g. `case.read`.
    pub enum AuditAction {
        Create => "case.create",
        CreateReplayed => "case.create_replayed",
        Read => "case.read",
        List => "case.list",
        Search => "case.search",
        Journal => "case.journal",
        Deadline => "case.deadline",
        ExportCsv => "case.export_csv",
        Identity => "case.identity",
        AddController => "case.add_controller",
        Assign => "case.assign",
        Extend => "case.extend",
        Decide => "case.decide",
        Deliver => "case.deliver",
        Close => "case.close",
        Withdraw => "case.withdraw",
        /// Marked as (or no longer) concerning a person with protected identity.
        ProtectedIdentity => "case.protected_identity",
        AppealReceived => "case.appeal_received",
        AppealForwarded => "case.appeal_forwarded",
        AppealsRead => "case.appeals_read",
        Reconsidered => "case.reconsidered",
        LetterRead => "case.letter_read",
        LetterPosted => "case.letter_posted",
        LetterReceived => "case.letter_received",
        LettersListed => "letters.list",
        Diarienummer => "case.diarienummer",
        DocumentsRead => "case.documents_read",
        PortabilityRead => "case.portability_read",
        RestrictionStarted => "case.restriction_started",
        RestrictionLiftNotified => "case.restriction_lift_notified",
        RestrictionLifted => "case.restriction_lifted",
        RestrictionsRead => "case.restrictions_read",
        Candidates => "case.candidates",
        Finding => "case.finding",
        AttachmentAdded => "case.attachment_added",
        AttachmentRemoved => "case.attachment_removed",
        AttachmentsRead => "case.attachments_read",
        AttachmentRead => "case.attachment_read",
        ExtractCompile => "case.extract_compile",
        ExtractRead => "case.extract_read",
        /// The e-tjänst's status view of a citizen's own cases.
        StatusView => "case.status_view",
        /// A read of an existing case the user may not make (answered 403 or 404).
        ReadRefused => "case.read_refused",
        OutboxRead => "outbox.read",
        ControllerCreate => "controller.create",
        ControllerUpdate => "controller.update",
        RegisterImport => "register.import",
        ActivityUpdate => "register.activity_update",
        ActivityDelete => "register.activity_delete",
    }
}

impl fmt::Display for AuditAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
