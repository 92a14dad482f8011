//! Who may see a case, and the audited read every endpoint that shows a case goes through.

use serde_json::json;

use super::store::{self, CaseRecord};
use super::visibility::CaseLens;
use crate::audit::{self, AuditAction};
use crate::auth::{Action, AuthUser};
use crate::error::{AppError, AppResult};
use crate::services::Services;

/// What a read of one case is audited with: the request, and the reason the reader gave
/// (required for a case about a person with protected identity).
#[derive(Debug, Clone, Default)]
pub struct ReadTrail {
    pub request_id: Option<String>,
    pub reason: Option<String>,
}

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
/// (`CaseLens`). A DPO's or administrator's row names the other nämnders' parts it showed. A
/// case about a person with protected identity is read only with a reason, which its row
/// keeps; without one the read is refused (428) and that is audited. On SQLite the row goes
/// into the writer's next group commit together with other reads' rows, so reads scale with
/// the pool, not the writer.
pub async fn read_audited(
    state: &Services,
    user: &AuthUser,
    id: uuid::Uuid,
    action: AuditAction,
    trail: &ReadTrail,
) -> AppResult<CaseRecord> {
    let request_id = trail.request_id.clone();
    let record = visible_case(state, user, id, action, request_id.clone()).await?;
    let protected = record.case.protected_identity;
    if protected && trail.reason.is_none() {
        audit_refusal(state, user, &record.case.id, action, 428, request_id).await?;
        return Err(AppError::ReadReasonRequired);
    }
    let lens = CaseLens::of(user);
    let mut entry = audit::entry(
        user,
        action,
        &record.case.id,
        state.clock.now().naive_utc(),
        request_id,
    );
    let others = lens.others_parts_shown(user, &record);
    let mut detail = serde_json::Map::new();
    if !others.is_empty() {
        detail.insert("other_parts".into(), json!(others));
    }
    if protected {
        detail.insert("protected_identity".into(), json!(true));
        detail.insert("reason".into(), json!(trail.reason));
    }
    if !detail.is_empty() {
        entry = entry.with_detail(serde_json::Value::Object(detail));
    }
    audit::service::append(state, entry).await?;
    Ok(lens.show(record))
}

/// The rows of one case that belong to its parts (appeals, restrictions...), read for `user`
/// as one audited read of the case (`action`): another nämnd's rows are left out, as its part
/// is (OSL 8 kap. 1 §). `load` reads the case's rows; `controller` says whose a row is.
pub async fn part_rows_audited<T: Send + 'static>(
    state: &Services,
    user: &AuthUser,
    id: uuid::Uuid,
    action: AuditAction,
    trail: &ReadTrail,
    load: fn(&mut crate::db::DbConnection, &str) -> AppResult<Vec<T>>,
    controller: fn(&T) -> &str,
) -> AppResult<Vec<T>> {
    require_for_case(
        state,
        user,
        crate::auth::Action::ReadCase,
        id,
        action,
        trail.request_id.clone(),
    )
    .await?;
    let record = read_audited(state, user, id, action, trail).await?;
    let case_id = record.case.id.clone();
    let rows = state.db.read(move |conn| load(conn, &case_id)).await?;
    Ok(rows
        .into_iter()
        .filter(|row| !record.sealed_parts.iter().any(|s| s == controller(row)))
        .collect())
}
