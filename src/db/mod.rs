//! Storage on SQLite (embedded default) and PostgreSQL through one diesel connection type.
//! Backend-specific SQL lives only in this folder.

mod backend_specific;
mod batch;
mod connection;
mod counters;
mod migrations;
mod query;
pub mod reseal;
pub mod schema;
mod sequence;
pub mod stored;
mod writer;

use std::time::Duration;

use diesel::Connection;

pub use crate::config::{Backend, DatabaseUrl};
pub use backend_specific::{compact_after_purge, due_outbox_ids};
pub use batch::BatchQueue;
pub use connection::{is_connection_lost, is_disk_full, mark_lost};
pub use connection::{ConnectionManager, DbConnection, Pool};
pub use counters::{add_to_counts, pick_shard};
pub use query::{id_in, literal_limit};
pub use sequence::{format_reference, take_numbers};
pub use stored::{corrupt_row, BlindIndex, JsonText, SealedBytes, SealedJson, SealedText};
pub use writer::Writer;

use crate::config::{DatabaseSettings, EncryptionSettings};
use crate::error::{AppError, AppResult};

/// The database as the rest of the service sees it: reads on a pool; writes through the
/// group-commit writer on SQLite (one writer, one fsync for many requests), and in a
/// transaction of their own on a pooled connection on PostgreSQL (which commits concurrent
/// transactions together by itself).
#[derive(Clone)]
pub struct Db {
    pool: Pool,
    writer: Option<Writer>,
    /// Group commit for appends (audit rows of reads): the writer itself on SQLite; on
    /// PostgreSQL a writer of its own that takes only appends, so a read costs one shared
    /// commit instead of a transaction of its own.
    appender: Writer,
    backend: Backend,
}

impl Db {
    /// Installs the key ring personal data is sealed under (`crate::crypto`), opens the pool
    /// and the writer; runs the pending migrations first when `migrate` is set.
    pub fn open(
        settings: &DatabaseSettings,
        encryption: &EncryptionSettings,
        migrate: bool,
    ) -> anyhow::Result<Self> {
        crate::crypto::install(encryption.key_ring()?)?;
        let url = configured_url(settings)?;
        let manager = ConnectionManager::new(url.clone(), &settings.sqlite_synchronous);
        if migrate {
            let mut conn = manager.establish()?;
            let applied = migrations::run_pending(&mut conn)?;
            if !applied.is_empty() {
                tracing::info!(count = applied.len(), "applied database migrations");
            }
        }
        let pool = Pool::builder()
            .max_size(settings.pool_size)
            // While the database is down a read waits this long for a connection, then 503.
            .connection_timeout(Duration::from_secs(5))
            // `is_valid` pings only after a connection was found lost (see `connection.rs`):
            // a ping per checkout would double the statements of every read.
            .test_on_check_out(true)
            .build(manager.clone())?;
        let (writer, appender) = match url.backend() {
            Backend::Sqlite => {
                let writer = Writer::start(manager, settings.max_batch, settings.writer_queue)?;
                (Some(writer.clone()), writer)
            }
            Backend::Postgres => (
                None,
                Writer::start(manager, settings.max_batch, settings.writer_queue)?,
            ),
        };
        Ok(Self {
            pool,
            writer,
            appender,
            backend: url.backend(),
        })
    }

    /// Applies the pending migrations (the `dsar migrate` command).
    pub fn migrate(settings: &DatabaseSettings) -> anyhow::Result<Vec<String>> {
        let url = configured_url(settings)?;
        let mut conn = ConnectionManager::new(url, &settings.sqlite_synchronous).establish()?;
        migrations::run_pending(&mut conn)
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Runs a read on a pooled connection off the async workers.
    pub async fn read<T, F>(&self, read: F) -> AppResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConnection) -> AppResult<T> + Send + 'static,
    {
        let pool = self.pool.clone();
        actix_web::web::block(move || {
            let mut conn = pool.get()?;
            read(&mut conn)
        })
        .await
        .map_err(AppError::internal)?
    }

    /// Runs a read of several statements in one transaction, so they all see one state of the
    /// database. On SQLite this also means one check of the WAL per read instead of one per
    /// statement: each check that finds new commits empties the connection's page cache.
    pub async fn read_snapshot<T, F>(&self, read: F) -> AppResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConnection) -> AppResult<T> + Send + 'static,
    {
        self.read(|conn| conn.transaction(read)).await
    }

    /// Runs a write atomically and returns after it is committed.
    pub async fn write<T, F>(&self, write: F) -> AppResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConnection) -> AppResult<T> + Send + 'static,
    {
        match &self.writer {
            Some(writer) => writer.write(write).await,
            None => {
                let pool = self.pool.clone();
                actix_web::web::block(move || {
                    let mut conn = pool.get()?;
                    let conn: &mut DbConnection = &mut conn;
                    conn.transaction(write)
                })
                .await
                .map_err(AppError::internal)?
            }
        }
    }

    /// Appends rows that need no savepoint of their own (audit rows of a read) and returns after
    /// they are committed, in the appender's next group commit. `append` must be a single
    /// insert; see `Writer::append`.
    pub async fn append<F>(&self, append: F) -> AppResult<()>
    where
        F: FnOnce(&mut DbConnection) -> AppResult<()> + Send + 'static,
    {
        self.appender.append(append).await
    }

    /// Runs `work` outside any transaction while nothing else writes: on SQLite between two
    /// group commits of the writer; on PostgreSQL on a pooled connection.
    pub async fn maintenance<T, F>(&self, work: F) -> AppResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConnection) -> AppResult<T> + Send + 'static,
    {
        match &self.writer {
            Some(writer) => writer.maintenance(work).await,
            None => self.read(work).await,
        }
    }

    /// For readiness: can a pooled connection answer a query?
    pub async fn ping(&self) -> AppResult<()> {
        self.read(|conn| {
            use diesel::r2d2::R2D2Connection;
            conn.ping().map_err(|_| AppError::Unavailable)
        })
        .await
    }
}

fn configured_url(settings: &DatabaseSettings) -> anyhow::Result<DatabaseUrl> {
    settings
        .url
        .clone()
        .ok_or_else(|| anyhow::anyhow!("database.url is not set"))
}
