//! Adding to running counts: one multi-row upsert per change, in each backend's own syntax.

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

/// Adds each `(dimension, key, delta)` to its count in `shard`, in one statement. The rows are
/// taken in the order given; callers pass them sorted so concurrent changes lock in one order.
pub fn add_to_counts(
    conn: &mut DbConnection,
    shard: i32,
    deltas: &[(&str, &str, i64)],
) -> QueryResult<()> {
    if deltas.is_empty() {
        return Ok(());
    }
    let sql = |placeholder: &dyn Fn(usize) -> String| {
        let rows: Vec<String> = (0..deltas.len())
            .map(|i| {
                format!(
                    "({}, {}, {}, {})",
                    placeholder(4 * i + 1),
                    placeholder(4 * i + 2),
                    placeholder(4 * i + 3),
                    placeholder(4 * i + 4)
                )
            })
            .collect();
        format!(
            "INSERT INTO case_counts (dimension, key, shard, n) VALUES {} \
             ON CONFLICT (dimension, key, shard) DO UPDATE SET n = case_counts.n + excluded.n",
            rows.join(", ")
        )
    };
    match conn {
        DbConnection::Postgresql(c) => {
            let mut query = diesel::sql_query(sql(&|i| format!("${i}"))).into_boxed();
            for (dimension, key, delta) in deltas {
                query = query
                    .bind::<Text, _>(*dimension)
                    .bind::<Text, _>(*key)
                    .bind::<Integer, _>(shard)
                    .bind::<BigInt, _>(*delta);
            }
            query.execute(c)?;
        }
        DbConnection::Sqlite(c) => {
            let mut query = diesel::sql_query(sql(&|_| "?".to_owned())).into_boxed();
            for (dimension, key, delta) in deltas {
                query = query
                    .bind::<Text, _>(*dimension)
                    .bind::<Text, _>(*key)
                    .bind::<Integer, _>(shard)
                    .bind::<BigInt, _>(*delta);
            }
            query.execute(c)?;
        }
    }
    Ok(())
}
