//! The one way a case is changed, whoever asks (the API, the staff pages, the command line):
//! check the permission, load the case and what the change reads in one snapshot on the pool,
//! apply the change to the loaded case in memory, then hand only the write to the database's
//! writer. The write succeeds only if the case still has the version that was loaded; if someone
//! changed it meanwhile, the change is applied again to the fresh case (unless the caller pinned a
//! version with `If-Match`, which then no longer holds).

use std::sync::Arc;

use super::store::{self, Actor};
use super::work::Work;
use crate::audit::AuditAction;
use crate::auth::{Action, AuthUser};
use crate::cases::store::{find_case, CaseRecord};
use crate::db::DbConnection;
use crate::error::{AppError, AppResult, ConflictCode};
use crate::services::Services;

/// How often a change is applied anew when concurrent changes keep winning the race.
const MAX_ATTEMPTS: usize = 5;

/// Which case, and the version the caller saw (from `If-Match`), if they named one.
#[derive(Debug, Clone)]
pub struct CaseTarget {
    pub id: uuid::Uuid,
    pub if_match: Option<i32>,
    pub request_id: Option<String>,
}

/// One kind of change to a case (decide, extend, record a finding...).
pub trait CaseChange: Send + Sync + 'static {
    /// What the change reads besides the case, loaded in the same snapshot.
    type Inputs: Send + 'static;
    /// Rows the change writes besides the case itself, in the same transaction.
    type Rows: Send + 'static;

    /// The permission of `auth::policy` the change needs.
    const PERMISSION: Action;
    /// The audit log's name for the change.
    const AUDIT_ACTION: AuditAction;

    /// Checks that need only the user and the command (which controller they act for...).
    fn authorize(&self, _user: &AuthUser) -> AppResult<()> {
        Ok(())
    }

    /// Reads what `apply` needs besides the case (read-only; runs on a pooled connection).
    fn load(&self, conn: &mut DbConnection, record: &CaseRecord) -> AppResult<Self::Inputs>;

    /// Changes the loaded case in memory and says which other rows to write.
    fn apply(
        &self,
        work: &mut Work,
        user: &AuthUser,
        inputs: Self::Inputs,
    ) -> AppResult<Self::Rows>;

    /// Writes the other rows (runs on the writer, inside the case's transaction).
    fn write(&self, _conn: &mut DbConnection, _rows: &Self::Rows) -> AppResult<()> {
        Ok(())
    }
}

/// Applies `change` to the case and saves it; answers with the changed case once committed, as
/// the user may see it.
pub async fn change<C: CaseChange>(
    services: &Services,
    user: &AuthUser,
    target: CaseTarget,
    change: C,
) -> AppResult<CaseRecord> {
    user.require(C::PERMISSION)?;
    change.authorize(user)?;
    let change = Arc::new(change);
    let mut attempt = 1;
    loop {
        let outcome = attempt_change(services, user, &target, change.clone()).await;
        match outcome {
            Err(AppError::Conflict {
                code: ConflictCode::ConcurrentModification,
                ..
            }) if target.if_match.is_some() => return Err(version_mismatch()),
            Err(AppError::Conflict {
                code: ConflictCode::ConcurrentModification,
                ..
            }) if attempt < MAX_ATTEMPTS => attempt += 1,
            Ok(record) => {
                // A protected-identity case leaves no trace in the log (domain.md §8).
                if !record.case.protected_identity {
                    tracing::info!(case_id = %record.case.id, reference = %record.case.reference, action = C::AUDIT_ACTION.as_str(), "case changed");
                }
                return Ok(crate::cases::visibility::CaseLens::of(user).show(record));
            }
            Err(e) => return Err(e),
        }
    }
}

async fn attempt_change<C: CaseChange>(
    services: &Services,
    user: &AuthUser,
    target: &CaseTarget,
    change: Arc<C>,
) -> AppResult<CaseRecord> {
    let now = services.clock.now();
    let id = target.id.to_string();
    let scope = user.case_scope();
    let if_match = target.if_match;
    let loader = change.clone();
    let (record, inputs) = services
        .db
        .read_snapshot(move |conn| {
            let record = find_case(conn, &id)?.ok_or(AppError::NotFound)?;
            if !scope.allows(&record.controller_ids(), &record.case.created_by) {
                return Err(AppError::NotFound);
            }
            if if_match.is_some_and(|v| v != record.case.version) {
                return Err(version_mismatch());
            }
            let inputs = loader.load(conn, &record)?;
            Ok((record, inputs))
        })
        .await?;
    let mut work = Work::new(
        record,
        now,
        services.policy,
        &services.settings.organisation,
    );
    let rows = change.apply(&mut work, user, inputs)?;
    let sub = user.sub.clone();
    let roles = user.roles_label();
    let request_id = target.request_id.clone();
    services
        .db
        .write(move |conn| {
            let actor = Actor {
                sub: &sub,
                roles: &roles,
                request_id,
            };
            store::save(conn, &mut work, &actor, C::AUDIT_ACTION)?;
            change.write(conn, &rows)?;
            Ok(work.record)
        })
        .await
}

fn version_mismatch() -> AppError {
    AppError::Conflict {
        code: ConflictCode::VersionMismatch,
        detail: "The case has changed since you loaded it (If-Match); load it again.".into(),
    }
}
