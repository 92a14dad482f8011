//! `dsar keys rotate`: seals every stored personal value under the current key, in chunks of
//! their own transactions, while the service keeps running. Values sealed under an older key
//! and plaintext written before values were sealed are both found; identifiers still stored
//! in clear are replaced by their keyed hash. Run it after every instance was restarted with
//! the new `encryption.current`; once it finishes, the old key can be removed.

use crate::db::reseal::{reseal_chunk, SealedColumn, Stored, SEALED_COLUMNS};
use crate::db::Db;
use crate::error::{AppError, AppResult};

/// How many rows one transaction re-seals; files are far larger, so fewer of them.
const ROWS_PER_CHUNK: i64 = 500;
const FILES_PER_CHUNK: i64 = 16;

/// Chunks in a row that found values but could write none before rotation gives up: the
/// values keep changing under it, so some instance still seals under another key.
const STALLED_CHUNKS: u32 = 5;

/// Values re-sealed in one column.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ColumnReport {
    pub table: &'static str,
    pub column: &'static str,
    pub resealed: usize,
}

/// Re-seals every column; `progress` hears of each chunk written.
pub async fn rotate(
    db: &Db,
    mut progress: impl FnMut(&SealedColumn, usize),
) -> AppResult<Vec<ColumnReport>> {
    let mut reports = Vec::with_capacity(SEALED_COLUMNS.len());
    for column in SEALED_COLUMNS {
        let limit = match column.stored {
            Stored::Bytes => FILES_PER_CHUNK,
            Stored::Text | Stored::KeyedHash => ROWS_PER_CHUNK,
        };
        let (mut resealed, mut stalled) = (0, 0);
        loop {
            let chunk = db
                .write(move |conn| reseal_chunk(conn, column, limit))
                .await?;
            if chunk.found == 0 {
                break;
            }
            resealed += chunk.resealed;
            if chunk.resealed == 0 {
                stalled += 1;
                if stalled >= STALLED_CHUNKS {
                    return Err(AppError::internal(anyhow::anyhow!(
                        "{}.{}: values keep being written under another key while they are \
                         re-sealed; restart every instance with the new encryption.current first",
                        column.table,
                        column.column
                    )));
                }
            } else {
                stalled = 0;
                progress(column, resealed);
            }
        }
        reports.push(ColumnReport {
            table: column.table,
            column: column.column,
            resealed,
        });
    }
    // The values as they were (in clear, or under the old key) must not stay behind in the
    // SQLite WAL or among PostgreSQL's dead tuples.
    if !db.maintenance(crate::db::compact_after_purge).await? {
        tracing::warn!("the WAL checkpoint after re-sealing did not complete while readers kept it busy; the old values may stay in the WAL until the next one");
    }
    Ok(reports)
}
