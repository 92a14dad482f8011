//! Gap-free case numbers. The counter is incremented in the transaction of the batch of cases
//! that takes the numbers (`cases::registration::register_all`, one statement per year), so a
//! rollback gives them back; the counter row stays locked until that commit.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Integer};

use super::connection::DbConnection;

#[derive(QueryableByName)]
struct LastNumber {
    #[diesel(sql_type = BigInt)]
    last_number: i64,
}

/// Takes the next `count` numbers of `year` at once and returns the first; the caller gives
/// them out in order in the same transaction (a rollback gives them all back). On PostgreSQL
/// the counter row stays locked until that transaction ends.
pub fn take_numbers(conn: &mut DbConnection, year: i32, count: i64) -> QueryResult<i64> {
    let statement = |placeholders: [&str; 2]| {
        format!(
            "INSERT INTO reference_counters (year, last_number) VALUES ({}, {})
             ON CONFLICT (year) DO UPDATE
             SET last_number = reference_counters.last_number + excluded.last_number
             RETURNING last_number",
            placeholders[0], placeholders[1]
        )
    };
    let row: LastNumber = match conn {
        DbConnection::Postgresql(c) => diesel::sql_query(statement(["$1", "$2"]))
            .bind::<Integer, _>(year)
            .bind::<BigInt, _>(count)
            .get_result(c)?,
        DbConnection::Sqlite(c) => diesel::sql_query(statement(["?", "?"]))
            .bind::<Integer, _>(year)
            .bind::<BigInt, _>(count)
            .get_result(c)?,
    };
    Ok(row.last_number - count + 1)
}

/// `DSAR-<year>-<number>`, the number with five digits at least.
pub fn format_reference(year: i32, number: i64) -> String {
    format!("DSAR-{year}-{number:05}")
}
