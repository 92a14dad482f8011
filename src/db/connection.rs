//! One connection type over both backends, and the r2d2 manager that opens the right one from
//! the URL and applies SQLite's per-connection PRAGMAs.

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::r2d2::{self, R2D2Connection};

use crate::config::DatabaseUrl;

#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Postgresql(diesel::PgConnection),
    Sqlite(diesel::SqliteConnection),
}

/// Runs `$body` with `$c` bound to the backend's own connection (`SqliteConnection` or
/// `PgConnection`). For the hottest queries only: through `DbConnection` diesel renders a
/// query's SQL text on every call, even when the prepared statement is cached, which for a wide
/// row costs more than running it.
#[macro_export]
macro_rules! on_native_connection {
    ($conn:expr, |$c:ident| $body:expr) => {
        match $conn {
            $crate::db::DbConnection::Sqlite($c) => $body,
            $crate::db::DbConnection::Postgresql($c) => $body,
        }
    };
}

#[derive(Debug, Clone)]
pub struct ConnectionManager {
    url: DatabaseUrl,
    sqlite_synchronous: String,
}

impl ConnectionManager {
    pub fn new(url: DatabaseUrl, sqlite_synchronous: &str) -> Self {
        Self {
            url,
            sqlite_synchronous: sqlite_synchronous.to_owned(),
        }
    }

    pub fn url(&self) -> &DatabaseUrl {
        &self.url
    }

    pub fn establish(&self) -> ConnectionResult<DbConnection> {
        match &self.url {
            DatabaseUrl::Postgres(url) => Ok(DbConnection::Postgresql(
                diesel::PgConnection::establish(url)?,
            )),
            DatabaseUrl::Sqlite(path) => {
                if let Some(parent) = std::path::Path::new(path).parent() {
                    if !parent.as_os_str().is_empty() && path != ":memory:" {
                        std::fs::create_dir_all(parent).map_err(|e| {
                            ConnectionError::BadConnection(format!(
                                "cannot create the database folder: {e}"
                            ))
                        })?;
                    }
                }
                let mut conn = diesel::SqliteConnection::establish(path)?;
                // WAL lets readers run beside the one writer; `synchronous=FULL` makes every
                // commit durable before it is acknowledged; `secure_delete` overwrites purged rows.
                conn.batch_execute(&format!(
                    "PRAGMA busy_timeout = 10000;
                     PRAGMA journal_mode = WAL;
                     PRAGMA synchronous = {};
                     PRAGMA foreign_keys = ON;
                     PRAGMA secure_delete = ON;",
                    self.sqlite_synchronous
                ))
                .map_err(|e| ConnectionError::BadConnection(e.to_string()))?;
                Ok(DbConnection::Sqlite(conn))
            }
        }
    }
}

impl r2d2::ManageConnection for ConnectionManager {
    type Connection = DbConnection;
    type Error = r2d2::Error;

    fn connect(&self) -> Result<DbConnection, r2d2::Error> {
        self.establish().map_err(r2d2::Error::ConnectionError)
    }

    /// Free while the database is sound; for half a minute after a connection was found lost
    /// (a restart kills every pooled connection at once), each checkout pings first, so the
    /// pool drops its dead sockets instead of failing one read with each.
    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), r2d2::Error> {
        if lost_recently() {
            return conn.ping().map_err(r2d2::Error::QueryError);
        }
        Ok(())
    }

    fn has_broken(&self, conn: &mut DbConnection) -> bool {
        std::thread::panicking() || LOST.with(|lost| lost.replace(false)) || conn.is_broken()
    }
}

thread_local! {
    /// Set when a query on this thread found its connection gone (the server restarted): the
    /// pool then drops that connection when it is handed back, instead of handing the dead
    /// socket to the next read. libpq does not reconnect by itself, and diesel's own check
    /// looks only at the transaction state.
    static LOST: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether `error` means the connection to the database is gone.
pub fn is_connection_lost(error: &diesel::result::Error) -> bool {
    use diesel::result::{DatabaseErrorKind, Error};
    matches!(
        error,
        Error::DatabaseError(
            DatabaseErrorKind::ClosedConnection | DatabaseErrorKind::UnableToSendCommand,
            _
        )
        // A transaction whose rollback failed: on a live connection that does not happen.
        | Error::BrokenTransactionManager
    )
}

/// When a connection was last found lost, in seconds since the Unix epoch (0: never).
static LOST_AT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// How long after a lost connection checkouts are pinged.
const PING_AFTER_LOSS_SECONDS: u64 = 30;

fn unix_seconds() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

fn lost_recently() -> bool {
    let at = LOST_AT.load(std::sync::atomic::Ordering::Relaxed);
    at != 0 && unix_seconds().saturating_sub(at) < PING_AFTER_LOSS_SECONDS
}

/// Whether `error` is SQLite's "database or disk is full" (SQLITE_FULL): nothing was written,
/// and a write may succeed once there is room again.
pub fn is_disk_full(error: &diesel::result::Error) -> bool {
    matches!(
        error,
        diesel::result::Error::DatabaseError(_, info) if info.message().contains("database or disk is full")
    )
}

/// Marks the connection this thread holds as lost, for `has_broken` when it is handed back, and
/// has the pool ping its other connections for a while.
pub fn mark_lost() {
    LOST.with(|lost| lost.set(true));
    LOST_AT.store(unix_seconds(), std::sync::atomic::Ordering::Relaxed);
}

pub type Pool = r2d2::Pool<ConnectionManager>;
