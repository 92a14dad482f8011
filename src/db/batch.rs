//! A queue whose jobs one thread takes in batches, with a pooled connection: for writes that
//! cost the database far less done set-wise than one request at a time (PostgreSQL's intake,
//! `cases::registrar`). Each job carries its own way to answer; a job dropped unanswered (the
//! pool gave no connection) is seen by its sender as a dropped reply.

use tokio::sync::mpsc;

use super::{Db, DbConnection};

pub struct BatchQueue<J> {
    jobs: mpsc::UnboundedSender<J>,
}

impl<J> Clone for BatchQueue<J> {
    fn clone(&self) -> Self {
        Self {
            jobs: self.jobs.clone(),
        }
    }
}

impl<J: Send + 'static> BatchQueue<J> {
    /// Starts the thread `name`: it waits for a job, takes every job queued behind it (up to
    /// `max_batch`) and hands them to `handle` on one pooled connection. While `handle` runs,
    /// new jobs queue up, so batches grow with the load by themselves. The thread ends when
    /// the last clone of the queue is dropped.
    pub fn start<H>(db: &Db, name: &str, max_batch: usize, mut handle: H) -> Self
    where
        H: FnMut(&mut DbConnection, Vec<J>) + Send + 'static,
    {
        let (jobs, mut queue) = mpsc::unbounded_channel::<J>();
        let pool = db.pool.clone();
        std::thread::Builder::new()
            .name(name.to_owned())
            .spawn(move || {
                while let Some(first) = queue.blocking_recv() {
                    let mut batch = vec![first];
                    while batch.len() < max_batch {
                        match queue.try_recv() {
                            Ok(job) => batch.push(job),
                            Err(_) => break,
                        }
                    }
                    match pool.get() {
                        Ok(mut conn) => handle(&mut conn, batch),
                        Err(e) => {
                            tracing::error!(error = %e, jobs = batch.len(), "no database connection for a batch");
                        }
                    }
                }
            })
            .expect("spawn a batch thread");
        Self { jobs }
    }

    /// Queues `job`; gives it back if the thread has stopped.
    pub fn push(&self, job: J) -> Result<(), J> {
        self.jobs.send(job).map_err(|e| e.0)
    }
}
