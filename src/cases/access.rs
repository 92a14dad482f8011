//! Who may see a case, and the audited read every endpoint that shows a case goes through.

use super::store::{self, CaseRecord};
use crate::audit;
use crate::auth::AuthUser;
use crate::error::{AppError, AppResult};
use crate::services::Services;

/// Loads a case the user may see; any other case is 404, whether it exists or not.
pub async fn visible_case(
    state: &Services,
    user: &AuthUser,
    id: uuid::Uuid,
) -> AppResult<CaseRecord> {
    let id = id.to_string();
    let record = state
        .db
        .read_snapshot(move |conn| store::find_case(conn, &id))
        .await?
        .ok_or(AppError::NotFound)?;
    if user
        .case_scope()
        .allows(&record.controller_ids(), &record.case.created_by)
    {
        Ok(record)
    } else {
        Err(AppError::NotFound)
    }
}

/// Reads a case the user may see on a pooled connection, then appends its audit row (`action`);
/// answers only after that row is committed. On SQLite the row goes into the writer's next group
/// commit together with other reads' rows, so reads scale with the pool, not the writer.
pub async fn read_audited(
    state: &Services,
    user: &AuthUser,
    id: uuid::Uuid,
    action: crate::audit::AuditAction,
    request_id: Option<String>,
) -> AppResult<CaseRecord> {
    let record = visible_case(state, user, id).await?;
    let entry = audit::entry(
        user,
        action,
        &record.case.id,
        state.clock.now().naive_utc(),
        request_id,
    );
    state
        .db
        .append(move |conn| audit::store::append(conn, &[entry]))
        .await?;
    Ok(record)
}
