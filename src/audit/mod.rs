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
        detail: None,
    }
}

/// A row about no case: an administrator's change to a controller or the register, a read of
/// the outbox.
pub fn action(
    user: &AuthUser,
    action: AuditAction,
    detail: serde_json::Value,
    at: NaiveDateTime,
    request_id: Option<String>,
) -> AuditEntry {
    AuditEntry {
        detail: Some(detail.to_string().into()),
        ..row(user, action, at, request_id)
    }
}

/// The row for a search by personnummer: always written, also when nothing matched, naming the
/// cases shown, how many matched and the keyed hash of the number (never the number itself).
pub fn search<'a>(
    user: &AuthUser,
    action: AuditAction,
    case_ids: impl IntoIterator<Item = &'a str>,
    number_hash: String,
    at: NaiveDateTime,
    request_id: Option<String>,
) -> AuditEntry {
    let ids: Vec<&str> = case_ids.into_iter().collect();
    AuditEntry {
        detail: Some(
            serde_json::json!({ "number_hash": number_hash, "matches": ids.len() })
                .to_string()
                .into(),
        ),
        case_ids: (!ids.is_empty()).then(|| ids.join(" ")),
        ..row(user, action, at, request_id)
    }
}

impl AuditEntry {
    /// The same row, also saying `detail`.
    pub fn with_detail(mut self, detail: serde_json::Value) -> Self {
        self.detail = Some(detail.to_string().into());
        self
    }
}

/// The keyed hash (HMAC-SHA-256, hex) of a normalised personnummer: the same number gives the
/// same hash under one key, so repeated searches for one person can be seen in the log, and the
/// number cannot be read back from it without the key.
pub fn number_hash(key: &str, normalized: &str) -> String {
    use hmac::{Hmac, Mac};
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(key.as_bytes())
        .expect("HMAC takes a key of any length");
    mac.update(normalized.as_bytes());
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
