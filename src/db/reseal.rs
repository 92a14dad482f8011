//! Finding and re-sealing stored values that are not sealed under the current key
//! (`dsar keys rotate`, `crate::rekey`): values sealed under an older key, and plaintext
//! written before values were sealed. One chunk per call, so the service keeps running.
//!
//! The statements name tables and columns from [`SEALED_COLUMNS`] only, never input. Each
//! update is a compare-and-set on the value that was read, so a value the service changed
//! meanwhile is left as the service wrote it.

use diesel::prelude::*;
use diesel::sql_types::{Binary, Text};

use super::DbConnection;
use crate::error::{AppError, AppResult};

/// How a column's values are stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stored {
    /// `sealed:v1:...` text (`SealedText`, `SealedJson`).
    Text,
    /// The binary envelope (`SealedBytes`).
    Bytes,
    /// An identifier's keyed hash (`BlindIndex`); a plaintext identifier is hashed.
    KeyedHash,
}

/// A column holding personal data, and how its row is found again.
#[derive(Debug, Clone, Copy)]
pub struct SealedColumn {
    pub table: &'static str,
    pub column: &'static str,
    /// SQL giving the row's key as text, and a second part for two-column keys (`''` if none).
    key: (&'static str, &'static str),
    pub stored: Stored,
}

const fn col(
    table: &'static str,
    column: &'static str,
    key: (&'static str, &'static str),
    stored: Stored,
) -> SealedColumn {
    SealedColumn {
        table,
        column,
        key,
        stored,
    }
}

const ID: (&str, &str) = ("id", "''");
const BIGINT_ID: (&str, &str) = ("CAST(id AS TEXT)", "''");

/// Every column of `schema.rs` of SQL type `Sealed`, `SealedBinary` or `KeyedHash`, except
/// - `idempotency_keys.request_hash`: a keyed hash of a body the service does not keep, so an
///   old plain hash cannot be recomputed (the key expires within a day anyway);
/// - `audit_log.detail`: the audit log is append-only (a trigger refuses every update), so its
///   rows keep the key they were sealed under; a retired key stays in `encryption.keys` for as
///   long as the log holds rows sealed under it (docs/security.md).
///
/// The test below reads `schema.rs` to keep this list complete.
pub const SEALED_COLUMNS: &[SealedColumn] = &[
    col("cases", "subject", ID, Stored::Text),
    col("cases", "representative", ID, Stored::Text),
    col("cases", "description", ID, Stored::Text),
    col("cases", "extension_reason", ID, Stored::Text),
    col("cases", "subject_personnummer", ID, Stored::KeyedHash),
    col(
        "cases",
        "representative_personnummer",
        ID,
        Stored::KeyedHash,
    ),
    col("case_events", "data", BIGINT_ID, Stored::Text),
    col(
        "decisions",
        "reasons",
        ("case_id", "controller_id"),
        Stored::Text,
    ),
    col(
        "decisions",
        "recipients_not_notified_reason",
        ("case_id", "controller_id"),
        Stored::Text,
    ),
    col(
        "decisions",
        "text_sv",
        ("case_id", "controller_id"),
        Stored::Text,
    ),
    col("superseded_decisions", "reasons", ID, Stored::Text),
    col("superseded_decisions", "text_sv", ID, Stored::Text),
    col("restrictions", "reason", ID, Stored::Text),
    col("appeals", "documents", ID, Stored::Text),
    col("letters", "recipient", ID, Stored::Text),
    col("letters", "params", ID, Stored::Text),
    col("outbox", "recipient", ID, Stored::Text),
    col("outbox", "params", ID, Stored::Text),
    col("findings", "data", ("case_id", "activity_id"), Stored::Text),
    col("extracts", "content", ("case_id", "''"), Stored::Text),
    col("finding_attachments", "file_name", ID, Stored::Text),
    col("finding_attachments", "content", ID, Stored::Bytes),
];

#[derive(QueryableByName)]
struct TextCandidate {
    #[diesel(sql_type = Text)]
    k1: String,
    #[diesel(sql_type = Text)]
    k2: String,
    #[diesel(sql_type = Text)]
    v: String,
}

#[derive(QueryableByName)]
struct BytesCandidate {
    #[diesel(sql_type = Text)]
    k1: String,
    #[diesel(sql_type = Text)]
    k2: String,
    #[diesel(sql_type = Binary)]
    v: Vec<u8>,
}

/// What one chunk did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Chunk {
    /// Values found not sealed under the current key.
    pub found: usize,
    /// Of those, values written anew (the rest changed meanwhile).
    pub resealed: usize,
}

fn failed(column: &SealedColumn, e: crate::crypto::CryptoError) -> AppError {
    AppError::internal(anyhow::anyhow!(
        "{}.{}: a stored value cannot be re-sealed: {e}",
        column.table,
        column.column
    ))
}

/// Re-seals up to `limit` values of `column` not yet sealed under the current key.
pub fn reseal_chunk(
    conn: &mut DbConnection,
    column: &SealedColumn,
    limit: i64,
) -> AppResult<Chunk> {
    let SealedColumn {
        table,
        column: name,
        key: (k1, k2),
        stored,
    } = *column;
    // Text and bytes: not starting with the current key's prefix (bound as `p(1)`, its length
    // as `p(2)`). Keyed hashes: not 64 hex digits long, so still the plain identifier.
    let select = |p: &dyn Fn(usize) -> String| {
        let condition = match stored {
            Stored::Text | Stored::Bytes => format!("{} <> substr({name}, 1, {})", p(1), p(2)),
            Stored::KeyedHash => format!("length({name}) <> 64"),
        };
        format!(
            "SELECT {k1} AS k1, {k2} AS k2, {name} AS v FROM {table} \
             WHERE {name} IS NOT NULL AND {condition} LIMIT {limit}"
        )
    };
    let update = |p: &dyn Fn(usize) -> String| {
        format!(
            "UPDATE {table} SET {name} = {} WHERE {k1} = {} AND {k2} = {} AND {name} = {}",
            p(1),
            p(2),
            p(3),
            p(4)
        )
    };
    let pg = |i: usize| format!("${i}");
    let lite = |_: usize| "?".to_owned();
    let mut chunk = Chunk::default();
    match stored {
        Stored::Text | Stored::KeyedHash => {
            let rows: Vec<TextCandidate> = if stored == Stored::Text {
                let prefix = crate::crypto::current_text_prefix().map_err(|e| failed(column, e))?;
                let len = prefix.chars().count() as i32;
                match conn {
                    DbConnection::Postgresql(c) => diesel::sql_query(select(&pg))
                        .bind::<Text, _>(&prefix)
                        .bind::<diesel::sql_types::Integer, _>(len)
                        .load(c)?,
                    DbConnection::Sqlite(c) => diesel::sql_query(select(&lite))
                        .bind::<Text, _>(&prefix)
                        .bind::<diesel::sql_types::Integer, _>(len)
                        .load(c)?,
                }
            } else {
                match conn {
                    DbConnection::Postgresql(c) => diesel::sql_query(select(&pg)).load(c)?,
                    DbConnection::Sqlite(c) => diesel::sql_query(select(&lite)).load(c)?,
                }
            };
            chunk.found = rows.len();
            for row in rows {
                let new = match stored {
                    Stored::Text => crate::crypto::reseal_text(row.v.clone()),
                    _ => crate::crypto::blind_index(&row.v),
                }
                .map_err(|e| failed(column, e))?;
                let changed = match conn {
                    DbConnection::Postgresql(c) => diesel::sql_query(update(&pg))
                        .bind::<Text, _>(&new)
                        .bind::<Text, _>(&row.k1)
                        .bind::<Text, _>(&row.k2)
                        .bind::<Text, _>(&row.v)
                        .execute(c)?,
                    DbConnection::Sqlite(c) => diesel::sql_query(update(&lite))
                        .bind::<Text, _>(&new)
                        .bind::<Text, _>(&row.k1)
                        .bind::<Text, _>(&row.k2)
                        .bind::<Text, _>(&row.v)
                        .execute(c)?,
                };
                chunk.resealed += changed;
            }
        }
        Stored::Bytes => {
            let prefix = crate::crypto::current_binary_prefix().map_err(|e| failed(column, e))?;
            let len = prefix.len() as i32;
            let rows: Vec<BytesCandidate> = match conn {
                DbConnection::Postgresql(c) => diesel::sql_query(select(&pg))
                    .bind::<Binary, _>(&prefix)
                    .bind::<diesel::sql_types::Integer, _>(len)
                    .load(c)?,
                DbConnection::Sqlite(c) => diesel::sql_query(select(&lite))
                    .bind::<Binary, _>(&prefix)
                    .bind::<diesel::sql_types::Integer, _>(len)
                    .load(c)?,
            };
            chunk.found = rows.len();
            for row in rows {
                let new =
                    crate::crypto::reseal_bytes(row.v.clone()).map_err(|e| failed(column, e))?;
                let changed = match conn {
                    DbConnection::Postgresql(c) => diesel::sql_query(update(&pg))
                        .bind::<Binary, _>(&new)
                        .bind::<Text, _>(&row.k1)
                        .bind::<Text, _>(&row.k2)
                        .bind::<Binary, _>(&row.v)
                        .execute(c)?,
                    DbConnection::Sqlite(c) => diesel::sql_query(update(&lite))
                        .bind::<Binary, _>(&new)
                        .bind::<Text, _>(&row.k1)
                        .bind::<Text, _>(&row.k2)
                        .bind::<Binary, _>(&row.v)
                        .execute(c)?,
                };
                chunk.resealed += changed;
            }
        }
    }
    Ok(chunk)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every column the schema declares sealed or hashed is re-sealed by `dsar keys rotate`.
    #[test]
    fn the_list_covers_every_sealed_column_of_the_schema() {
        let schema = include_str!("schema.rs");
        let mut declared = Vec::new();
        let mut table = "";
        for line in schema.lines() {
            let line = line.trim();
            if let Some(name) = line.strip_suffix(" {").and_then(|l| l.split(" (").next()) {
                if !name.contains(' ') && !name.is_empty() {
                    table = name;
                }
            }
            if let Some((column, ty)) = line.trim_end_matches(',').split_once(" -> ") {
                if ["Sealed", "SealedBinary", "KeyedHash"]
                    .iter()
                    .any(|t| ty == *t || ty == format!("Nullable<{t}>"))
                {
                    declared.push(format!("{table}.{column}"));
                }
            }
        }
        declared.sort();
        let mut listed: Vec<String> = SEALED_COLUMNS
            .iter()
            .map(|c| format!("{}.{}", c.table, c.column))
            .chain(["idempotency_keys.request_hash", "audit_log.detail"].map(str::to_owned))
            .collect();
        listed.sort();
        assert_eq!(declared, listed);
    }
}
