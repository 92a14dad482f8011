//! Reading the audit log (the DPO and administrators).

use super::store::{self, AuditRow};
use crate::auth::{Action, AuthUser};
use crate::error::AppResult;
use crate::services::Services;

/// Entries newest first, optionally about one case, before the entry id `before`.
pub async fn list(
    services: &Services,
    user: &AuthUser,
    case_id: Option<String>,
    before: Option<i64>,
    limit: i64,
) -> AppResult<Vec<AuditRow>> {
    user.require(Action::ReadAudit)?;
    services
        .db
        .read(move |conn| store::list(conn, case_id.as_deref(), before, limit))
        .await
}

/// Appends one row and returns once it is committed: a read is answered only after its audit
/// row is durable.
pub async fn append(services: &Services, entry: super::AuditEntry) -> AppResult<()> {
    services
        .db
        .append(move |conn| store::append(conn, &[entry]))
        .await
}
