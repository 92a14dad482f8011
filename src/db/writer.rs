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
//!
//! A job that panics leaves diesel's transaction manager one level too deep (it has no unwind
//! guard), so the batch's "commit" would only release a savepoint. The writer therefore checks
//! the transaction depth after every job; a panic or a wrong depth poisons the batch: the
//! connection is dropped (which rolls back everything it had not committed), a fresh one is
//! opened, and every job of the batch is answered with an error.
//!
//! The queue is bounded: a write that finds it full is refused at once with 503 and
//! `Retry-After`, so overload costs neither unbounded memory nor unbounded waiting.

use std::num::NonZeroU32;
use std::panic::{catch_unwind, AssertUnwindSafe};

use diesel::connection::{Connection, TransactionManager};
use tokio::sync::{mpsc, oneshot};

use super::connection::{ConnectionManager, DbConnection};
use crate::error::{AppError, AppResult};

/// Seconds a client is asked to wait when the queue is full.
const RETRY_AFTER_SECONDS: u32 = 1;

/// How the batch's transaction ended, as each job's completion learns it.
#[derive(Debug, Clone)]
enum BatchEnd {
    Committed,
    /// Rolled back or lost; the text names the cause (never request data).
    Failed(String),
    /// The connection to the database went away (a restart) or its disk is full: nothing was
    /// committed, and the client may retry (503).
    Lost(String),
}

impl BatchEnd {
    /// How a transaction statement's failure ends the batch.
    fn of_error(error: diesel::result::Error) -> Self {
        if crate::db::is_connection_lost(&error) || crate::db::is_disk_full(&error) {
            BatchEnd::Lost(error.to_string())
        } else {
            BatchEnd::Failed(error.to_string())
        }
    }
}

/// Called once the batch's transaction has ended.
type Completion = Box<dyn FnOnce(BatchEnd) + Send>;

/// What a job tells the batch after it ran.
enum JobOutcome {
    /// Its work is done (or was rolled back to its own savepoint); answer it after the commit.
    Done(Completion),
    /// An append failed: the batch's transaction must roll back. `retryable`: it failed for
    /// want of room or of the database, so the batch's other writes may be retried too (503).
    Abort {
        complete: Completion,
        retryable: bool,
    },
}

/// A write run inside the group transaction.
type Job = Box<dyn FnOnce(&mut DbConnection) -> JobOutcome + Send>;
/// Work that must run outside any transaction (e.g. a WAL checkpoint), between batches.
type Maintenance = Box<dyn FnOnce(&mut DbConnection) + Send>;

enum Task {
    Write(Job),
    Maintenance(Maintenance),
}

#[derive(Clone)]
pub struct Writer {
    jobs: mpsc::Sender<Task>,
}

impl Writer {
    /// Starts the writer thread on a connection of its own; at most `queue` tasks wait for it.
    pub fn start(
        manager: ConnectionManager,
        max_batch: usize,
        queue: usize,
    ) -> Result<Self, diesel::ConnectionError> {
        let conn = manager.establish()?;
        let (jobs, receiver) = mpsc::channel(queue.max(1));
        std::thread::Builder::new()
            .name("dsar-db-writer".into())
            .spawn(move || run(conn, manager, receiver, max_batch))
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
            let outcome = conn.transaction(write);
            JobOutcome::Done(Box::new(move |end| {
                let _ = reply.send(match end {
                    BatchEnd::Committed => outcome,
                    BatchEnd::Failed(cause) => Err(batch_failed(cause)),
                    BatchEnd::Lost(_) => Err(AppError::Unavailable),
                });
            }))
        });
        self.submit(Task::Write(job), answer).await
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
            let outcome = append(conn);
            let failed = outcome.is_err();
            let retryable = matches!(outcome, Err(AppError::Unavailable));
            let complete: Completion = Box::new(move |end| {
                let _ = reply.send(match (outcome, end) {
                    (Err(e), _) => Err(e),
                    (Ok(()), BatchEnd::Committed) => Ok(()),
                    (Ok(()), BatchEnd::Failed(cause)) => Err(batch_failed(cause)),
                    (Ok(()), BatchEnd::Lost(_)) => Err(AppError::Unavailable),
                });
            });
            if failed {
                JobOutcome::Abort {
                    complete,
                    retryable,
                }
            } else {
                JobOutcome::Done(complete)
            }
        });
        self.submit(Task::Write(job), answer).await
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
        self.submit(Task::Maintenance(task), answer).await
    }

    /// Queues `task` if there is room (503 with `Retry-After` if not) and waits for its answer.
    /// A task whose reply is dropped unanswered (its job panicked) is an error, never a success.
    async fn submit<T>(&self, task: Task, answer: oneshot::Receiver<AppResult<T>>) -> AppResult<T> {
        self.jobs.try_send(task).map_err(|e| match e {
            mpsc::error::TrySendError::Full(_) => AppError::Overloaded {
                retry_after_seconds: RETRY_AFTER_SECONDS,
            },
            mpsc::error::TrySendError::Closed(_) => {
                AppError::internal(anyhow::anyhow!("the database writer has stopped"))
            }
        })?;
        // A reply dropped unanswered: the write did not happen (its batch could not start, or a
        // job of it panicked, which the writer logs). The caller may retry.
        answer.await.map_err(|_| {
            tracing::warn!("the database writer dropped a write unanswered");
            AppError::Unavailable
        })?
    }
}

fn batch_failed(cause: String) -> AppError {
    AppError::internal(anyhow::anyhow!("group commit failed: {cause}"))
}

fn run(
    mut conn: DbConnection,
    manager: ConnectionManager,
    mut queue: mpsc::Receiver<Task>,
    max_batch: usize,
) {
    while let Some(first) = queue.blocking_recv() {
        let first = match first {
            Task::Write(job) => job,
            Task::Maintenance(work) => {
                run_maintenance(&mut conn, &manager, work);
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
        let (completions, end) = match start_batch(&mut conn, batch) {
            Ok(started) => run_batch(&mut conn, started),
            // The batch could not begin: none of its jobs ran. On a connection the database
            // dropped (a restart), a fresh one may take them.
            Err((unrun, cause)) => {
                tracing::warn!(error = %cause, "the writer connection is lost; reopening it");
                reopen(&mut conn, &manager);
                match start_batch(&mut conn, unrun) {
                    Ok(started) => run_batch(&mut conn, started),
                    // Dropped unanswered: their callers get 503.
                    Err((_, cause)) => (Vec::new(), BatchEnd::Lost(cause)),
                }
            }
        };
        if let BatchEnd::Failed(cause) | BatchEnd::Lost(cause) = &end {
            tracing::error!(error = %cause, writes = completions.len(), "group commit failed");
            // Dropping the connection rolls back whatever it had not committed; the fresh one
            // starts with a sound transaction manager (and works again after a server restart).
            reopen(&mut conn, &manager);
        }
        for complete in completions {
            complete(end.clone());
        }
        for work in after_batch {
            run_maintenance(&mut conn, &manager, work);
        }
    }
}

/// Why a batch stopped before its commit.
enum Failure {
    Failed(String),
    Lost(String),
}

/// A batch whose transaction has begun.
struct Started(Vec<Job>);

/// Begins the batch's transaction, or hands the jobs back, none of them run, with the cause. A
/// connection left inside a transaction (its reopening failed) takes no batch.
fn start_batch(conn: &mut DbConnection, batch: Vec<Job>) -> Result<Started, (Vec<Job>, String)> {
    if transaction_depth(conn).is_some() {
        return Err((batch, "the writer connection is not usable".into()));
    }
    match Manager::begin_transaction(conn) {
        Ok(()) => Ok(Started(batch)),
        Err(e) => Err((batch, e.to_string())),
    }
}

/// Runs the jobs of one begun batch and commits it unless a job aborted it, panicked or left the
/// transaction at another depth than it found it.
fn run_batch(conn: &mut DbConnection, Started(batch): Started) -> (Vec<Completion>, BatchEnd) {
    let mut completions = Vec::with_capacity(batch.len());
    let mut failure = None;
    let mut jobs = batch.into_iter();
    for job in jobs.by_ref() {
        match catch_unwind(AssertUnwindSafe(|| job(conn))) {
            Ok(JobOutcome::Done(complete)) => completions.push(complete),
            Ok(JobOutcome::Abort {
                complete,
                retryable,
            }) => {
                completions.push(complete);
                failure = Some(if retryable {
                    Failure::Lost("an append found no room or no database".to_owned())
                } else {
                    Failure::Failed("an append failed; the batch was rolled back".to_owned())
                });
            }
            // The job's reply went down with it: its caller gets "dropped unanswered".
            Err(_) => {
                failure = Some(Failure::Failed(
                    "a write panicked; the batch was rolled back".to_owned(),
                ))
            }
        }
        if failure.is_none() && transaction_depth(conn) != Some(ONE) {
            failure = Some(Failure::Failed(
                "a write left the transaction unbalanced".to_owned(),
            ));
        }
        if failure.is_some() {
            break;
        }
    }
    // Jobs after a failure do not run; dropping them drops their replies, so their callers
    // get an error too.
    drop(jobs);
    let end = match failure {
        // The connection is replaced by the caller; no statement is trusted on it any more.
        Some(Failure::Failed(cause)) => BatchEnd::Failed(cause),
        Some(Failure::Lost(cause)) => BatchEnd::Lost(cause),
        None => match Manager::commit_transaction(conn) {
            Ok(()) => BatchEnd::Committed,
            Err(e) => BatchEnd::of_error(e),
        },
    };
    (completions, end)
}

type Manager = <DbConnection as Connection>::TransactionManager;

const ONE: NonZeroU32 = NonZeroU32::MIN;

fn transaction_depth(conn: &mut DbConnection) -> Option<NonZeroU32> {
    Manager::transaction_manager_status_mut(conn)
        .transaction_depth()
        .ok()
        .flatten()
}

/// Maintenance runs outside a transaction; if it panics, the connection is replaced.
fn run_maintenance(conn: &mut DbConnection, manager: &ConnectionManager, work: Maintenance) {
    let sound = catch_unwind(AssertUnwindSafe(|| work(conn))).is_ok();
    if !sound || transaction_depth(conn).is_some() {
        tracing::error!("maintenance on the writer connection failed; reopening it");
        reopen(conn, manager);
    }
}

fn reopen(conn: &mut DbConnection, manager: &ConnectionManager) {
    match manager.establish() {
        Ok(fresh) => *conn = fresh,
        Err(e) => tracing::error!(error = %e, "cannot reopen the writer connection"),
    }
}

#[cfg(test)]
mod tests {
    //! The writer's promises, on a real SQLite file: a panicking write takes its whole batch down
    //! with an error for every job in it, later writes commit, and a reopened database holds
    //! exactly what was acknowledged; a full queue refuses at once instead of growing.

    use std::sync::mpsc as std_mpsc;

    use diesel::connection::SimpleConnection;
    use diesel::prelude::*;
    use diesel::sql_types::BigInt;

    use super::*;
    use crate::config::DatabaseUrl;

    #[derive(QueryableByName)]
    struct Value {
        #[diesel(sql_type = BigInt)]
        v: i64,
    }

    fn manager() -> (ConnectionManager, std::path::PathBuf) {
        let path =
            std::env::temp_dir().join(format!("dsar-writer-{}.sqlite3", uuid::Uuid::new_v4()));
        let url = DatabaseUrl::parse(&format!("sqlite://{}", path.display())).unwrap();
        let manager = ConnectionManager::new(url, "full");
        manager
            .establish()
            .unwrap()
            .batch_execute("CREATE TABLE t (v BIGINT NOT NULL)")
            .unwrap();
        (manager, path)
    }

    fn insert(v: i64) -> impl FnOnce(&mut DbConnection) -> AppResult<()> + Send + 'static {
        move |conn| {
            diesel::sql_query(format!("INSERT INTO t (v) VALUES ({v})")).execute(conn)?;
            Ok(())
        }
    }

    /// What a fresh connection (a restarted service) finds in the file.
    fn stored(manager: &ConnectionManager) -> Vec<i64> {
        let mut conn = manager.establish().unwrap();
        diesel::sql_query("SELECT v FROM t ORDER BY v")
            .load::<Value>(&mut conn)
            .unwrap()
            .into_iter()
            .map(|r| r.v)
            .collect()
    }

    /// Holds the writer thread in a maintenance task until the returned sender is used.
    async fn hold(writer: &Writer) -> std_mpsc::Sender<()> {
        let (release, wait) = std_mpsc::channel::<()>();
        let (started, running) = oneshot::channel();
        let held = writer.clone();
        tokio::spawn(async move {
            held.maintenance(move |_| {
                let _ = started.send(());
                let _ = wait.recv();
                Ok(())
            })
            .await
        });
        running.await.unwrap();
        release
    }

    async fn until_queued(writer: &Writer, capacity: usize, queued: usize) {
        while writer.jobs.capacity() != capacity - queued {
            tokio::task::yield_now().await;
        }
    }

    #[tokio::test]
    async fn a_panicking_write_fails_its_batch_and_later_writes_commit() {
        let (manager, path) = manager();
        let writer = Writer::start(manager.clone(), 16, 16).unwrap();
        writer.write(insert(1)).await.unwrap();

        let release = hold(&writer).await;
        let before = tokio::spawn({
            let w = writer.clone();
            async move { w.write(insert(2)).await }
        });
        until_queued(&writer, 16, 1).await;
        let panics = tokio::spawn({
            let w = writer.clone();
            async move {
                w.write(|conn| -> AppResult<()> {
                    insert(3)(conn)?;
                    panic!("a bug in a write");
                })
                .await
            }
        });
        until_queued(&writer, 16, 2).await;
        let after = tokio::spawn({
            let w = writer.clone();
            async move { w.append(insert(4)).await }
        });
        until_queued(&writer, 16, 3).await;
        release.send(()).unwrap();

        assert!(
            before.await.unwrap().is_err(),
            "a batch-mate before the panic"
        );
        assert!(panics.await.unwrap().is_err(), "the panicking write");
        assert!(
            after.await.unwrap().is_err(),
            "a batch-mate after the panic"
        );

        writer
            .write(insert(5))
            .await
            .expect("the next write commits");
        writer.append(insert(6)).await.expect("and the next append");
        assert_eq!(
            stored(&manager),
            vec![1, 5, 6],
            "exactly what was acknowledged"
        );
        let _ = std::fs::remove_file(path);
    }

    #[tokio::test]
    async fn a_failing_write_rolls_back_alone() {
        let (manager, path) = manager();
        let writer = Writer::start(manager.clone(), 16, 16).unwrap();
        let release = hold(&writer).await;
        let ok = tokio::spawn({
            let w = writer.clone();
            async move { w.write(insert(1)).await }
        });
        until_queued(&writer, 16, 1).await;
        let fails = tokio::spawn({
            let w = writer.clone();
            async move {
                w.write(|conn| -> AppResult<()> {
                    insert(2)(conn)?;
                    Err(AppError::NotFound)
                })
                .await
            }
        });
        until_queued(&writer, 16, 2).await;
        release.send(()).unwrap();
        ok.await.unwrap().expect("its batch-mate commits");
        assert!(matches!(fails.await.unwrap(), Err(AppError::NotFound)));
        assert_eq!(stored(&manager), vec![1]);
        let _ = std::fs::remove_file(path);
    }

    #[tokio::test]
    async fn a_full_queue_refuses_with_retry_after_and_keeps_what_it_took() {
        let (manager, path) = manager();
        let writer = Writer::start(manager.clone(), 16, 2).unwrap();
        let release = hold(&writer).await;
        let queued: Vec<_> = (1..=2)
            .map(|v| {
                let w = writer.clone();
                tokio::spawn(async move { w.write(insert(v)).await })
            })
            .collect();
        until_queued(&writer, 2, 2).await;

        for v in 3..=50 {
            let refused = writer.write(insert(v)).await.unwrap_err();
            assert!(
                matches!(refused, AppError::Overloaded { .. }),
                "{refused:?}"
            );
        }
        let response = actix_web::ResponseError::error_response(&AppError::Overloaded {
            retry_after_seconds: RETRY_AFTER_SECONDS,
        });
        assert_eq!(response.status(), 503);
        assert_eq!(response.headers().get("retry-after").unwrap(), "1");

        release.send(()).unwrap();
        for write in queued {
            write.await.unwrap().expect("a queued write commits");
        }
        writer.write(insert(51)).await.expect("room again");
        assert_eq!(stored(&manager), vec![1, 2, 51]);
        let _ = std::fs::remove_file(path);
    }
}
