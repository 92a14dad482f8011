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

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), r2d2::Error> {
        conn.ping().map_err(r2d2::Error::QueryError)
    }

    fn has_broken(&self, conn: &mut DbConnection) -> bool {
        std::thread::panicking() || conn.is_broken()
    }
}

pub type Pool = r2d2::Pool<ConnectionManager>;
