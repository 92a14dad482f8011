//! Gap-free counters (the case reference numbers). The increment and the row that uses the number
//! commit in one transaction, so a rolled-back write gives its number back.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Integer};

use super::connection::DbConnection;

#[derive(QueryableByName)]
struct Counter {
    #[diesel(sql_type = BigInt)]
    last_number: i64,
}

/// Takes the next number of `year`'s sequence (1, 2, 3, ...). Must run inside the transaction of
/// the write that uses it: on PostgreSQL the counter row stays locked until that commit.
pub fn next_in_sequence(conn: &mut DbConnection, year: i32) -> QueryResult<i64> {
    const UPSERT: &str = "INSERT INTO reference_counters (year, last_number) VALUES ({p}, 1) \
         ON CONFLICT (year) DO UPDATE SET last_number = reference_counters.last_number + 1 \
         RETURNING last_number";
    let counter: Counter = match conn {
        DbConnection::Postgresql(c) => diesel::sql_query(UPSERT.replace("{p}", "$1"))
            .bind::<Integer, _>(year)
            .get_result(c)?,
        DbConnection::Sqlite(c) => diesel::sql_query(UPSERT.replace("{p}", "?"))
            .bind::<Integer, _>(year)
            .get_result(c)?,
    };
    Ok(counter.last_number)
}
