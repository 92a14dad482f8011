//! Group commit: one writer thread owns a connection, gathers the writes queued by concurrent
//! requests and commits them in one transaction, each in its own savepoint. SQLite's writes all
//! go through one; on PostgreSQL one takes the appends only (see `Db::append`). A request is answered
//! only after the transaction holding its write has committed, so a 2xx still means durable, but
//! one fsync covers many requests. A write that fails rolls back its savepoint only.
//!
//! Appends (an audit row, say) skip the savepoint: they are single inserts that cannot fail
//! halfway, and at thousands of reads a second the savepoint statements would be most of the
//! writer's work. An append that fails anyway rolls back the whole batch, so nothing is
//! acknowledged that was not committed.

use std::panic::{catch_unwind, AssertUnwindSafe};

use diesel::Connection;
use tokio::sync::{mpsc, oneshot};

use super::connection::{ConnectionManager, DbConnection};
use crate::error::{AppError, AppResult};

/// Called once the batch's transaction has ended: with `Ok` after commit, or the commit's error.
type Completion = Box<dyn FnOnce(Result<(), String>) + Send>;
/// A write run inside the group transaction; `Err` from an append rolls back the whole batch.
type Job = Box<dyn FnOnce(&mut DbConnection) -> Result<Completion, BatchAbort> + Send>;
/// An append failed: the batch's transaction must roll back. Carries the append's completion.
struct BatchAbort(Completion);
/// Work that must run outside any transaction (e.g. a WAL checkpoint), between batches.
type Maintenance = Box<dyn FnOnce(&mut DbConnection) + Send>;

enum Task {
    Write(Job),
    Maintenance(Maintenance),
}

#[derive(Clone)]
pub struct Writer {
    jobs: mpsc::UnboundedSender<Task>,
}

impl Writer {
    /// Starts the writer thread on a connection of its own.
    pub fn start(
        manager: ConnectionManager,
        max_batch: usize,
    ) -> Result<Self, diesel::ConnectionError> {
        let conn = manager.establish()?;
        let (jobs, queue) = mpsc::unbounded_channel();
        std::thread::Builder::new()
            .name("dsar-db-writer".into())
            .spawn(move || run(conn, manager, queue, max_batch))
            .expect("spawn the database writer thread");
        Ok(Self { jobs })
    }

    /// Runs `write` in its own savepoint inside the next group transaction and returns its
    /// result once that transaction has committed.
    pub async fn write<T, F>(&self, write: F) -> AppResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConnection) -> AppResult<T> + Send + 'static,
    {
        let (reply, answer) = oneshot::channel::<AppResult<T>>();
        let job: Job = Box::new(move |conn: &mut DbConnection| {
            let outcome = catch_unwind(AssertUnwindSafe(|| conn.transaction(write)))
                .unwrap_or_else(|_| {
                    Err(AppError::internal(anyhow::anyhow!(
                        "a database write panicked"
                    )))
                });
            Ok(Box::new(move |commit: Result<(), String>| {
                let result = match commit {
                    Ok(()) => outcome,
                    Err(cause) => Err(AppError::internal(anyhow::anyhow!(
                        "group commit failed: {cause}"
                    ))),
                };
                let _ = reply.send(result);
            }) as Completion)
        });
        self.submit(job, answer).await
    }

    /// Runs `append` directly in the next group transaction, without a savepoint of its own,
    /// and returns once that transaction has committed. For single inserts only: if `append`
    /// fails, the whole batch rolls back and every write in it reports the failure.
    pub async fn append<F>(&self, append: F) -> AppResult<()>
    where
        F: FnOnce(&mut DbConnection) -> AppResult<()> + Send + 'static,
    {
        let (reply, answer) = oneshot::channel::<AppResult<()>>();
        let job: Job = Box::new(move |conn: &mut DbConnection| {
            let outcome = catch_unwind(AssertUnwindSafe(|| append(conn))).unwrap_or_else(|_| {
                Err(AppError::internal(anyhow::anyhow!(
                    "a database append panicked"
                )))
            });
            let failed = outcome.is_err();
            let complete: Completion = Box::new(move |commit: Result<(), String>| {
                let result = match (outcome, commit) {
                    (Err(e), _) => Err(e),
                    (Ok(()), Ok(())) => Ok(()),
                    (Ok(()), Err(cause)) => Err(AppError::internal(anyhow::anyhow!(
                        "group commit failed: {cause}"
                    ))),
                };
                let _ = reply.send(result);
            });
            if failed {
                Err(BatchAbort(complete))
            } else {
                Ok(complete)
            }
        });
        self.submit(job, answer).await
    }

    async fn submit<T>(&self, job: Job, answer: oneshot::Receiver<AppResult<T>>) -> AppResult<T> {
        self.jobs
            .send(Task::Write(job))
            .map_err(|_| AppError::internal(anyhow::anyhow!("the database writer has stopped")))?;
        answer.await.map_err(|_| {
            AppError::internal(anyhow::anyhow!("the database writer dropped a write"))
        })?
    }

    /// Runs `work` on the writer's connection between two batches, outside any transaction, so
    /// nothing else writes meanwhile (a WAL checkpoint, say).
    pub async fn maintenance<T, F>(&self, work: F) -> AppResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConnection) -> AppResult<T> + Send + 'static,
    {
        let (reply, answer) = oneshot::channel::<AppResult<T>>();
        let task: Maintenance = Box::new(move |conn: &mut DbConnection| {
            let _ = reply.send(work(conn));
        });
        self.jobs
            .send(Task::Maintenance(task))
            .map_err(|_| AppError::internal(anyhow::anyhow!("the database writer has stopped")))?;
        answer.await.map_err(|_| {
            AppError::internal(anyhow::anyhow!("the database writer dropped a task"))
        })?
    }
}

fn run(
    mut conn: DbConnection,
    manager: ConnectionManager,
    mut queue: mpsc::UnboundedReceiver<Task>,
    max_batch: usize,
) {
    while let Some(first) = queue.blocking_recv() {
        let first = match first {
            Task::Write(job) => job,
            Task::Maintenance(work) => {
                work(&mut conn);
                continue;
            }
        };
        let mut batch = vec![first];
        let mut after_batch = Vec::new();
        while batch.len() < max_batch {
            match queue.try_recv() {
                Ok(Task::Write(job)) => batch.push(job),
                Ok(Task::Maintenance(work)) => {
                    after_batch.push(work);
                    break;
                }
                Err(_) => break,
            }
        }
        let mut completions = Vec::with_capacity(batch.len());
        let committed = conn.transaction::<(), diesel::result::Error, _>(|tx| {
            let mut aborted = false;
            for job in batch.drain(..) {
                match job(tx) {
                    Ok(complete) => completions.push(complete),
                    Err(BatchAbort(complete)) => {
                        completions.push(complete);
                        aborted = true;
                    }
                }
            }
            if aborted {
                Err(diesel::result::Error::RollbackTransaction)
            } else {
                Ok(())
            }
        });
        let append_failed = matches!(committed, Err(diesel::result::Error::RollbackTransaction));
        let commit = committed.map_err(|e| e.to_string());
        if let Err(cause) = &commit {
            tracing::error!(error = %cause, append_failed, writes = completions.len(), "group commit failed");
            // The connection may be unusable (e.g. PostgreSQL restarted): open a fresh one.
            match manager.establish() {
                Ok(fresh) => conn = fresh,
                Err(e) => tracing::error!(error = %e, "cannot reopen the writer connection"),
            }
        }
        for complete in completions {
            complete(commit.clone());
        }
        for work in after_batch {
            work(&mut conn);
        }
    }
}
