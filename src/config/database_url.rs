//! The backend is chosen from the URL scheme; a bare path is refused rather than silently turned
//! into a new SQLite file.

use std::fmt;

use serde::Deserialize;

#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub enum DatabaseUrl {
    /// A file path (relative to the working directory) or `:memory:`.
    Sqlite(String),
    /// The full `postgres://` or `postgresql://` URL, passed to libpq as it is.
    Postgres(String),
}

impl DatabaseUrl {
    pub fn parse(url: &str) -> Result<Self, String> {
        if let Some(path) = url.strip_prefix("sqlite://") {
            if path.is_empty() {
                return Err("sqlite:// needs a file path, e.g. sqlite://data/dsar.sqlite3".into());
            }
            Ok(DatabaseUrl::Sqlite(path.to_owned()))
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(DatabaseUrl::Postgres(url.to_owned()))
        } else {
            Err("the URL must start with sqlite:// or postgres://".into())
        }
    }

    /// The URL as it was written (a PostgreSQL URL may hold a password: never log it).
    pub fn to_url(&self) -> String {
        match self {
            DatabaseUrl::Sqlite(path) => format!("sqlite://{path}"),
            DatabaseUrl::Postgres(url) => url.clone(),
        }
    }

    pub fn backend(&self) -> Backend {
        match self {
            DatabaseUrl::Sqlite(_) => Backend::Sqlite,
            DatabaseUrl::Postgres(_) => Backend::Postgres,
        }
    }
}

impl TryFrom<String> for DatabaseUrl {
    type Error = String;

    fn try_from(url: String) -> Result<Self, String> {
        if url.is_empty() {
            return Err(
                "database.url is not set: give DSAR__DATABASE__URL=sqlite://path or postgres://..."
                    .into(),
            );
        }
        Self::parse(&url).map_err(|e| format!("database.url: {e}"))
    }
}

/// Never prints credentials.
impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DatabaseUrl::Sqlite(path) => write!(f, "sqlite://{path}"),
            DatabaseUrl::Postgres(_) => write!(f, "postgres://<redacted>"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scheme_selects_the_backend() {
        assert_eq!(
            DatabaseUrl::parse("sqlite://data/x.sqlite3").unwrap(),
            DatabaseUrl::Sqlite("data/x.sqlite3".into())
        );
        assert_eq!(
            DatabaseUrl::parse("postgres://u@h/db").unwrap().backend(),
            Backend::Postgres
        );
        assert_eq!(
            DatabaseUrl::parse("postgresql://u@h/db").unwrap().backend(),
            Backend::Postgres
        );
        assert!(DatabaseUrl::parse("data/x.sqlite3").is_err());
        assert!(DatabaseUrl::parse("sqlite://").is_err());
        assert!(DatabaseUrl::parse("mysql://h/db").is_err());
    }

    #[test]
    fn debug_hides_postgres_credentials() {
        let url = DatabaseUrl::parse("postgres://user:secret@h/db").unwrap();
        assert!(!format!("{url:?}").contains("secret"));
    }
}
