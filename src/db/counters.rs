//! Adding to a running count: an upsert, in each backend's own syntax.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Integer, Text};

use super::connection::DbConnection;

/// Shards per count on PostgreSQL; SQLite has one writer and uses shard 0 only.
const POSTGRES_SHARDS: u128 = 16;

/// The shard this transaction adds to.
pub fn pick_shard(conn: &DbConnection) -> i32 {
    match conn {
        DbConnection::Sqlite(_) => 0,
        DbConnection::Postgresql(_) => (uuid::Uuid::new_v4().as_u128() % POSTGRES_SHARDS) as i32,
    }
}

pub fn add_to_count(
    conn: &mut DbConnection,
    dimension: &str,
    key: &str,
    shard: i32,
    delta: i64,
) -> QueryResult<()> {
    const UPSERT: &str =
        "INSERT INTO case_counts (dimension, key, shard, n) VALUES ({1}, {2}, {3}, {4}) \
         ON CONFLICT (dimension, key, shard) DO UPDATE SET n = case_counts.n + excluded.n";
    let sql = |placeholders: [&str; 4]| {
        placeholders
            .iter()
            .enumerate()
            .fold(UPSERT.to_owned(), |sql, (i, p)| {
                sql.replace(&format!("{{{}}}", i + 1), p)
            })
    };
    match conn {
        DbConnection::Postgresql(c) => diesel::sql_query(sql(["$1", "$2", "$3", "$4"]))
            .bind::<Text, _>(dimension)
            .bind::<Text, _>(key)
            .bind::<Integer, _>(shard)
            .bind::<BigInt, _>(delta)
            .execute(c)?,
        DbConnection::Sqlite(c) => diesel::sql_query(sql(["?", "?", "?", "?"]))
            .bind::<Text, _>(dimension)
            .bind::<Text, _>(key)
            .bind::<Integer, _>(shard)
            .bind::<BigInt, _>(delta)
            .execute(c)?,
    };
    Ok(())
}
