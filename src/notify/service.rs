//! Reading the outbox (administrators): what was sent, what waits, what failed.

use super::outbox::{self, OutboxRow};
use super::DeliveryStatus;
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
    services
        .db
        .read(move |conn| outbox::list(conn, status, before.as_deref(), limit))
        .await
}
