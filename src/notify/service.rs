//! Reading the outbox (administrators): what was sent, what waits, what failed.

use super::outbox::{self, OutboxRow};
use super::DeliveryStatus;
use serde_json::json;

use crate::audit::{self, AuditAction};
use crate::auth::{Action, AuthUser};
use crate::error::AppResult;
use crate::services::Services;

/// Messages newest first, optionally of one status, before the message id `before`.
pub async fn list_outbox(
    services: &Services,
    user: &AuthUser,
    status: Option<DeliveryStatus>,
    before: Option<String>,
    limit: i64,
) -> AppResult<Vec<OutboxRow>> {
    user.require(Action::ReadOutbox)?;
    let filter = status.map(|s| s.as_str());
    let rows = services
        .db
        .read(move |conn| outbox::list(conn, status, before.as_deref(), limit))
        .await?;
    // The outbox holds addresses and what was sent to people: every read of it is audited.
    let entry = audit::action(
        user,
        AuditAction::OutboxRead,
        json!({ "status": filter, "messages": rows.iter().map(|r| r.id.as_str()).collect::<Vec<_>>() }),
        services.clock.now().naive_utc(),
        None,
    );
    audit::service::append(services, entry).await?;
    Ok(rows)
}
