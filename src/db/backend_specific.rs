//! The statements that differ between SQLite and PostgreSQL, each behind a name, so the rest of
//! the service never matches on the backend.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::Integer;

use super::schema::outbox;
use super::DbConnection;
use crate::error::AppResult;
use crate::notify::DeliveryStatus;

/// The ids of up to `limit` pending messages due at `now` and not leased (or whose lease ran
/// out), oldest due first. On PostgreSQL rows another instance's sender is claiming right now are
/// skipped (`FOR UPDATE SKIP LOCKED`); SQLite has one writer, so nothing can be claiming them.
pub fn due_outbox_ids(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    limit: i64,
) -> AppResult<Vec<String>> {
    let due = outbox::table
        .filter(outbox::status.eq(DeliveryStatus::Pending))
        .filter(outbox::next_attempt_at.le(now))
        .filter(
            outbox::claimed_until
                .is_null()
                .or(outbox::claimed_until.lt(now)),
        )
        .order(outbox::next_attempt_at.asc())
        .limit(limit)
        .select(outbox::id);
    Ok(match conn {
        DbConnection::Postgresql(pg) => due.for_update().skip_locked().load(pg)?,
        DbConnection::Sqlite(sqlite) => due.load(sqlite)?,
    })
}

#[derive(QueryableByName)]
struct Checkpoint {
    #[diesel(sql_type = Integer)]
    busy: i32,
}

/// On SQLite, moves the WAL into the database file and truncates it, so no copy of a purged page
/// stays in the WAL; `false` if a reader kept it from completing (the next checkpoint takes the
/// rest). PostgreSQL: nothing to do here (its dead tuples are vacuumed by the server).
pub fn checkpoint_wal(conn: &mut DbConnection) -> AppResult<bool> {
    if let DbConnection::Sqlite(sqlite) = conn {
        let result: Vec<Checkpoint> =
            diesel::sql_query("PRAGMA wal_checkpoint(TRUNCATE)").load(sqlite)?;
        return Ok(result.first().is_none_or(|r| r.busy == 0));
    }
    Ok(true)
}
