//! Gap-free case numbers. The counter is incremented in the transaction of the case that takes
//! the number, so a rolled-back case gives its number back; the counter row stays locked until
//! that commit, which is why the number is taken as the last step of the transaction.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Integer, Text};

use super::connection::DbConnection;

#[derive(QueryableByName)]
struct Reference {
    #[diesel(sql_type = Text)]
    reference: String,
}

/// Takes the next number of `year` and sets the case's reference to `DSAR-<year>-<number>`
/// (five digits at least); returns the reference.
pub fn assign_reference(conn: &mut DbConnection, case_id: &str, year: i32) -> QueryResult<String> {
    match conn {
        // One round trip while the counter row is locked.
        DbConnection::Postgresql(c) => {
            let row: Reference = diesel::sql_query(
                "WITH n AS (
                     INSERT INTO reference_counters (year, last_number) VALUES ($1, 1)
                     ON CONFLICT (year) DO UPDATE SET last_number = reference_counters.last_number + 1
                     RETURNING last_number)
                 UPDATE cases SET reference = 'DSAR-' || $1 || '-' || lpad(n.last_number::text, greatest(5, length(n.last_number::text)), '0')
                 FROM n WHERE cases.id = $2
                 RETURNING cases.reference",
            )
            .bind::<Integer, _>(year)
            .bind::<Text, _>(case_id)
            .get_result(c)?;
            Ok(row.reference)
        }
        // SQLite has no INSERT inside WITH; its single writer holds no lock anyone waits for.
        DbConnection::Sqlite(c) => {
            let row: Reference = diesel::sql_query(
                "INSERT INTO reference_counters (year, last_number) VALUES (?, 1)
                 ON CONFLICT (year) DO UPDATE SET last_number = reference_counters.last_number + 1
                 RETURNING 'DSAR-' || year || '-' || substr('0000' || last_number, -max(5, length(last_number))) AS reference",
            )
            .bind::<Integer, _>(year)
            .get_result(c)?;
            diesel::sql_query("UPDATE cases SET reference = ? WHERE id = ?")
                .bind::<Text, _>(&row.reference)
                .bind::<Text, _>(case_id)
                .execute(c)?;
            Ok(row.reference)
        }
    }
}

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

/// `DSAR-<year>-<number>`, the number with five digits at least (as `assign_reference` writes).
pub fn format_reference(year: i32, number: i64) -> String {
    format!("DSAR-{year}-{number:05}")
}
