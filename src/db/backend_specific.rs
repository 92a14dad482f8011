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

/// The tables a purge deletes from or overwrites personal data in.
const PURGED_TABLES: &str = "cases, case_events, case_parts, decisions, superseded_decisions, \
     findings, extracts, finding_attachments, letters, outbox, appeals, restrictions, \
     idempotency_keys, case_notices";

/// How often a checkpoint a reader kept from completing is tried again, and how long apart.
const CHECKPOINT_TRIES: u32 = 40;
const CHECKPOINT_PAUSE: std::time::Duration = std::time::Duration::from_millis(50);

/// After a purge, leaves no copy of the purged rows in the database's own files, outside a
/// transaction. SQLite (with `secure_delete`, which zeroes freed pages in the file): moves
/// the WAL into the database file and truncates it, trying again while a reader keeps the
/// checkpoint from completing. PostgreSQL: vacuums the purged tables, so their dead tuples are
/// removed and their space reused. `false` if the SQLite checkpoint still could not complete.
pub fn compact_after_purge(conn: &mut DbConnection) -> AppResult<bool> {
    match conn {
        DbConnection::Sqlite(sqlite) => {
            for _ in 0..CHECKPOINT_TRIES {
                let result: Vec<Checkpoint> =
                    diesel::sql_query("PRAGMA wal_checkpoint(TRUNCATE)").load(sqlite)?;
                if result.first().is_none_or(|r| r.busy == 0) {
                    return Ok(true);
                }
                std::thread::sleep(CHECKPOINT_PAUSE);
            }
            Ok(false)
        }
        DbConnection::Postgresql(pg) => {
            diesel::sql_query(format!("VACUUM {PURGED_TABLES}")).execute(pg)?;
            Ok(true)
        }
    }
}
