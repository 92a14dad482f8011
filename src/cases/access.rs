//! Who may see a case, and the audited read every endpoint that shows a case goes through.

use serde_json::json;

use super::store::{self, CaseRecord};
use super::visibility::CaseLens;
use crate::audit::{self, AuditAction};
use crate::auth::{Action, AuthUser};
use crate::error::{AppError, AppResult};
use crate::services::Services;

/// Loads a case the user may see; any other case is 404, whether it exists or not. A refused
/// read of a case that exists is audited.
pub async fn visible_case(
    state: &Services,
    user: &AuthUser,
    id: uuid::Uuid,
    action: AuditAction,
    request_id: Option<String>,
) -> AppResult<CaseRecord> {
    let case_id = id.to_string();
    let record = state
        .db
        .read_snapshot(move |conn| store::find_case(conn, &case_id))
        .await?
        .ok_or(AppError::NotFound)?;
    if user
        .case_scope()
        .allows(&record.controller_ids(), &record.case.created_by)
    {
        Ok(record)
    } else {
        audit_refusal(state, user, &record.case.id, action, 404, request_id).await?;
        Err(AppError::NotFound)
    }
}

/// 403 unless the user's roles allow `permission`; a refusal on a case that exists is audited
/// (a role probing a case it may not read leaves a trace).
pub async fn require_for_case(
    state: &Services,
    user: &AuthUser,
    permission: Action,
    id: uuid::Uuid,
    action: AuditAction,
    request_id: Option<String>,
) -> AppResult<()> {
    let Err(refusal) = user.require(permission) else {
        return Ok(());
    };
    let case_id = id.to_string();
    let exists = state
        .db
        .read(move |conn| store::case_exists(conn, &case_id))
        .await?;
    if exists {
        audit_refusal(state, user, &id.to_string(), action, 403, request_id).await?;
    }
    Err(refusal)
}

async fn audit_refusal(
    state: &Services,
    user: &AuthUser,
    case_id: &str,
    action: AuditAction,
    status: u16,
    request_id: Option<String>,
) -> AppResult<()> {
    let entry = audit::entry(
        user,
        AuditAction::ReadRefused,
        case_id,
        state.clock.now().naive_utc(),
        request_id,
    )
    .with_detail(json!({ "refused": action.as_str(), "status": status }));
    audit::service::append(state, entry).await
}

/// Reads a case the user may see on a pooled connection, then appends its audit row (`action`);
/// answers only after that row is committed, with the case as the user may see it
/// (`CaseLens`). A DPO's or administrator's row names the other nämnders' parts it showed. On
/// SQLite the row goes into the writer's next group commit together with other reads' rows, so
/// reads scale with the pool, not the writer.
pub async fn read_audited(
    state: &Services,
    user: &AuthUser,
    id: uuid::Uuid,
    action: AuditAction,
    request_id: Option<String>,
) -> AppResult<CaseRecord> {
    let record = visible_case(state, user, id, action, request_id.clone()).await?;
    let lens = CaseLens::of(user);
    let mut entry = audit::entry(
        user,
        action,
        &record.case.id,
        state.clock.now().naive_utc(),
        request_id,
    );
    let others = lens.others_parts_shown(user, &record);
    if !others.is_empty() {
        entry = entry.with_detail(json!({ "other_parts": others }));
    }
    audit::service::append(state, entry).await?;
    Ok(lens.show(record))
}
