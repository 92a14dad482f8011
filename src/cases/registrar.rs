//! Where registrations go. On SQLite, one transaction per case through the group-commit writer,
//! which already shares one commit among concurrent writes. On PostgreSQL, concurrent
//! registrations are taken in batches and written together, one statement per table and one
//! commit for the batch: the gap-free counter row is locked once per batch instead of once per
//! case, and the statements a case costs the database are shared by the whole batch.

use diesel::Connection;
use tokio::sync::oneshot;

use super::registration::{needs_one_by_one, register, register_many, Registered, Registration};
use crate::audit::AuditAction;
use crate::db::{Backend, BatchQueue, Db, DbConnection};
use crate::error::{AppError, AppResult};

/// PostgreSQL allows 65,535 bound values per statement; a case row has 47.
const MAX_BATCH_POSTGRES: usize = 1000;

#[derive(Clone)]
pub enum Registrar {
    OneByOne(Db),
    Batched(BatchQueue<Pending>),
}

pub struct Pending {
    registration: Registration,
    reply: oneshot::Sender<AppResult<Registered>>,
}

impl Registrar {
    pub fn start(db: &Db, max_batch: usize) -> Self {
        match db.backend() {
            Backend::Sqlite => Registrar::OneByOne(db.clone()),
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
            Registrar::OneByOne(db) => {
                let attempt = || {
                    let registration = registration.clone();
                    move |conn: &mut DbConnection| register(conn, &registration)
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
                answer.await.map_err(|_| {
                    AppError::internal(anyhow::anyhow!("the intake dropped a registration"))
                })?
            }
        }
    }
}

/// Two requests with one Idempotency-Key at the same moment: the second insert of the key
/// waits for the first transaction and then fails; run it again to replay.
fn retry_as_replay(registration: &Registration, error: &AppError) -> bool {
    registration.idempotency.is_some() && error.is_unique_violation()
}

/// Registers a batch: every registration that can be written set-wise in one transaction, then
/// the rest (replays, reused keys, unknown controllers), and everything if the set-wise
/// transaction failed, one by one, so each gets its own answer.
fn register_batch(conn: &mut DbConnection, batch: Vec<Pending>) {
    let flags = if batch.len() > 1 {
        let registrations: Vec<&Registration> = batch.iter().map(|p| &p.registration).collect();
        needs_one_by_one(conn, &registrations).unwrap_or_else(|_| vec![true; batch.len()])
    } else {
        vec![true]
    };
    let (mut alone, together): (Vec<_>, Vec<_>) = batch
        .into_iter()
        .zip(flags)
        .partition(|(_, one_by_one)| *one_by_one);
    let together: Vec<Pending> = together.into_iter().map(|(p, _)| p).collect();
    if !together.is_empty() {
        let registrations: Vec<&Registration> = together.iter().map(|p| &p.registration).collect();
        match conn.transaction(|tx| register_many(tx, &registrations)) {
            Ok(records) => {
                for (pending, record) in together.into_iter().zip(records) {
                    let _ = pending.reply.send(Ok((AuditAction::Create, record)));
                }
            }
            Err(error) => {
                tracing::warn!(%error, registrations = together.len(), "a batch of registrations failed; registering them one by one");
                alone.extend(together.into_iter().map(|p| (p, true)));
            }
        }
    }
    for (pending, _) in alone {
        let registration = &pending.registration;
        let result = match conn.transaction(|tx| register(tx, registration)) {
            Err(error) if retry_as_replay(registration, &error) => {
                conn.transaction(|tx| register(tx, registration))
            }
            other => other,
        };
        let _ = pending.reply.send(result);
    }
}
