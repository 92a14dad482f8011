//! Where registrations go. Both backends register through `registration::register_all`: on
//! SQLite a batch of one per request through the group-commit writer, which already shares one
//! commit among concurrent writes; on PostgreSQL the registrations that arrive together, taken
//! in batches and written with one statement per table and one commit for the batch, so the
//! gap-free counter row is locked once per batch instead of once per case.

use diesel::Connection;
use tokio::sync::oneshot;

use super::registration::{register_all, Registered, Registration};
use crate::db::{Backend, BatchQueue, Db, DbConnection};
use crate::error::{AppError, AppResult};

/// PostgreSQL allows 65,535 bound values per statement; a case row has 47.
const MAX_BATCH_POSTGRES: usize = 1000;

#[derive(Clone)]
pub enum Registrar {
    Writer(Db),
    Batched(BatchQueue<Pending>),
}

pub struct Pending {
    registration: Registration,
    reply: oneshot::Sender<AppResult<Registered>>,
}

impl Registrar {
    pub fn start(db: &Db, max_batch: usize) -> Self {
        match db.backend() {
            Backend::Sqlite => Registrar::Writer(db.clone()),
            Backend::Postgres => Registrar::Batched(BatchQueue::start(
                db,
                "dsar-intake",
                max_batch.min(MAX_BATCH_POSTGRES),
                register_batch,
            )),
        }
    }

    /// Registers the case (or replays an earlier request with the same Idempotency-Key) and
    /// answers once it is committed.
    pub async fn register(&self, registration: Registration) -> AppResult<Registered> {
        match self {
            Registrar::Writer(db) => {
                let attempt = || {
                    let registration = registration.clone();
                    move |conn: &mut DbConnection| register_one(conn, &registration)
                };
                match db.write(attempt()).await {
                    Err(error) if retry_as_replay(&registration, &error) => {
                        db.write(attempt()).await
                    }
                    other => other,
                }
            }
            Registrar::Batched(queue) => {
                let (reply, answer) = oneshot::channel();
                queue
                    .push(Pending {
                        registration,
                        reply,
                    })
                    .map_err(|_| AppError::internal(anyhow::anyhow!("the intake has stopped")))?;
                // Dropped unanswered: its batch found no database (it is down or restarting).
                // Nothing was registered; the client may retry.
                answer.await.map_err(|_| {
                    tracing::warn!("the intake dropped a registration");
                    AppError::Unavailable
                })?
            }
        }
    }
}

/// A batch of one, in the caller's transaction.
fn register_one(conn: &mut DbConnection, registration: &Registration) -> AppResult<Registered> {
    register_all(conn, &[registration])?
        .pop()
        .expect("an answer for the registration")
}

/// Two requests with one Idempotency-Key at the same moment on two instances: the second
/// insert of the key waits for the first transaction and then fails; run it again to replay.
fn retry_as_replay(registration: &Registration, error: &AppError) -> bool {
    registration.idempotency.is_some() && error.is_unique_violation()
}

/// Registers a batch in one transaction. If the transaction fails as a whole, once more when
/// another instance committed one of its keys meanwhile, and otherwise each registration alone,
/// so that one that cannot be written does not fail the others.
fn register_batch(conn: &mut DbConnection, batch: Vec<Pending>) {
    let registrations: Vec<&Registration> = batch.iter().map(|p| &p.registration).collect();
    let has_key = registrations.iter().any(|r| r.idempotency.is_some());
    let mut result = conn.transaction(|tx| register_all(tx, &registrations));
    if has_key && matches!(&result, Err(error) if error.is_unique_violation()) {
        result = conn.transaction(|tx| register_all(tx, &registrations));
    }
    match result {
        Ok(answers) => {
            for (pending, answer) in batch.into_iter().zip(answers) {
                let _ = pending.reply.send(answer);
            }
        }
        Err(error) if batch.len() > 1 => {
            tracing::warn!(%error, registrations = batch.len(), "a batch of registrations failed; registering them one by one");
            for pending in batch {
                let registration = &pending.registration;
                let result = match conn.transaction(|tx| register_one(tx, registration)) {
                    Err(error) if retry_as_replay(registration, &error) => {
                        conn.transaction(|tx| register_one(tx, registration))
                    }
                    other => other,
                };
                let _ = pending.reply.send(result);
            }
        }
        Err(error) => {
            if let Some(pending) = batch.into_iter().next() {
                let _ = pending.reply.send(Err(error));
            }
        }
    }
}
