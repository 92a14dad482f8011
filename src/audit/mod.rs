//! The audit log: who read or changed which case, when. Append only; no endpoint changes it.

mod action;
pub mod http;
pub mod service;
pub mod store;

use chrono::NaiveDateTime;

pub use action::AuditAction;
pub use store::AuditEntry;

use crate::auth::AuthUser;

/// The audit row for `user` doing `action` on one case.
pub fn entry(
    user: &AuthUser,
    action: AuditAction,
    case_id: &str,
    at: NaiveDateTime,
    request_id: Option<String>,
) -> AuditEntry {
    AuditEntry {
        case_id: Some(case_id.to_owned()),
        ..row(user, action, at, request_id)
    }
}

/// The one audit row for `user` being shown the cases `case_ids` in one answer (a list or a
/// search): it names every case, so each case's log shows the read.
pub fn listing<'a>(
    user: &AuthUser,
    action: AuditAction,
    case_ids: impl IntoIterator<Item = &'a str>,
    at: NaiveDateTime,
    request_id: Option<String>,
) -> Option<AuditEntry> {
    let ids: Vec<&str> = case_ids.into_iter().collect();
    (!ids.is_empty()).then(|| AuditEntry {
        case_ids: Some(ids.join(" ")),
        ..row(user, action, at, request_id)
    })
}

fn row(
    user: &AuthUser,
    action: AuditAction,
    at: NaiveDateTime,
    request_id: Option<String>,
) -> AuditEntry {
    AuditEntry {
        at,
        actor: user.sub.clone(),
        roles: user.roles_label(),
        action,
        case_id: None,
        request_id,
        case_ids: None,
    }
}
