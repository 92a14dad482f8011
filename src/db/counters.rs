//! Adding to a running count: an upsert, in each backend's own syntax.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};

use super::connection::DbConnection;

pub fn add_to_count(
    conn: &mut DbConnection,
    dimension: &str,
    key: &str,
    delta: i64,
) -> QueryResult<()> {
    const UPSERT: &str = "INSERT INTO case_counts (dimension, key, n) VALUES ({1}, {2}, {3}) \
         ON CONFLICT (dimension, key) DO UPDATE SET n = case_counts.n + excluded.n";
    match conn {
        DbConnection::Postgresql(c) => diesel::sql_query(
            UPSERT
                .replace("{1}", "$1")
                .replace("{2}", "$2")
                .replace("{3}", "$3"),
        )
        .bind::<Text, _>(dimension)
        .bind::<Text, _>(key)
        .bind::<BigInt, _>(delta)
        .execute(c)?,
        DbConnection::Sqlite(c) => diesel::sql_query(
            UPSERT
                .replace("{1}", "?")
                .replace("{2}", "?")
                .replace("{3}", "?"),
        )
        .bind::<Text, _>(dimension)
        .bind::<Text, _>(key)
        .bind::<BigInt, _>(delta)
        .execute(c)?,
    };
    Ok(())
}
