//! The running counts behind the statistics. A case contributes a set of (dimension, key)
//! entries; a change adds what the case contributes now and subtracts what it contributed
//! before, so every kind of change keeps the counts right by the same rule.

use std::collections::BTreeMap;

use diesel::prelude::*;

use crate::cases::store::{CaseRow, PartRow};
use crate::clock::local_date;
use crate::db::schema::case_counts;
use crate::db::{add_to_counts, pick_shard, DbConnection};
use crate::error::AppResult;

pub const STATUS: &str = "status";
pub const KIND: &str = "kind";
pub const RECEIVED_MONTH: &str = "received_month";
/// `controller|part status`
pub const PART: &str = "part";
/// `decided month|days from receipt to decision|1 if on time else 0`
pub const DECIDED: &str = "decided";

/// What one case adds to the counts.
pub fn contributions(case: &CaseRow, parts: &[PartRow]) -> Vec<(&'static str, String)> {
    let mut entries = vec![
        (STATUS, case.status.as_str().to_owned()),
        (KIND, case.kind.as_str().to_owned()),
        (RECEIVED_MONTH, case.received_month.clone()),
    ];
    entries.extend(
        parts
            .iter()
            .map(|p| (PART, format!("{}|{}", p.controller_id, p.status.as_str()))),
    );
    if let (Some(decided_at), Some(days)) = (case.decided_at, case.days_to_decision) {
        let month = local_date(chrono::TimeZone::from_utc_datetime(
            &chrono::Utc,
            &decided_at,
        ))
        .format("%Y-%m");
        let on_time = u8::from(case.decided_on_time.unwrap_or(false));
        entries.push((DECIDED, format!("{month}|{days}|{on_time}")));
    }
    entries
}

/// Adds `after`'s contributions and subtracts `before`'s, in the caller's transaction.
pub fn record_change(
    conn: &mut DbConnection,
    before: &[(&'static str, String)],
    after: &[(&'static str, String)],
) -> AppResult<()> {
    let mut delta: BTreeMap<(&str, &str), i64> = BTreeMap::new();
    for (dimension, key) in after {
        *delta.entry((dimension, key.as_str())).or_default() += 1;
    }
    for (dimension, key) in before {
        *delta.entry((dimension, key.as_str())).or_default() -= 1;
    }
    let changes: Vec<(&str, &str, i64)> = delta
        .into_iter()
        .filter(|(_, n)| *n != 0)
        .map(|((dimension, key), n)| (dimension, key, n))
        .collect();
    let shard = pick_shard(conn);
    add_to_counts(conn, shard, &changes)?;
    Ok(())
}

/// Every count, by dimension.
pub fn load(conn: &mut DbConnection) -> AppResult<BTreeMap<String, Vec<(String, i64)>>> {
    let rows: Vec<(String, String, i64)> = case_counts::table
        .select((case_counts::dimension, case_counts::key, case_counts::n))
        .load(conn)?;
    let mut totals: BTreeMap<(String, String), i64> = BTreeMap::new();
    for (dimension, key, n) in rows {
        *totals.entry((dimension, key)).or_default() += n;
    }
    let mut by_dimension: BTreeMap<String, Vec<(String, i64)>> = BTreeMap::new();
    for ((dimension, key), n) in totals.into_iter().filter(|(_, n)| *n != 0) {
        by_dimension.entry(dimension).or_default().push((key, n));
    }
    Ok(by_dimension)
}

/// Recounts everything from the cases as they are now (for data loaded outside the service).
/// Cases already purged by retention are no longer there to count, so this is not for a
/// database that has purged cases.
pub fn rebuild(conn: &mut DbConnection) -> AppResult<()> {
    use crate::cases::store::{find_cases_after, PAGE_FOR_SCANS};
    diesel::delete(case_counts::table).execute(conn)?;
    let mut totals: BTreeMap<(&'static str, String), i64> = BTreeMap::new();
    let mut after = String::new();
    loop {
        let page = find_cases_after(conn, &after, PAGE_FOR_SCANS)?;
        let Some(last) = page.last() else { break };
        after = last.case.id.clone();
        for record in &page {
            for entry in contributions(&record.case, &record.parts) {
                *totals.entry(entry).or_default() += 1;
            }
        }
    }
    let rows: Vec<(&str, &str, i64)> = totals
        .iter()
        .map(|((d, k), n)| (*d, k.as_str(), *n))
        .collect();
    for chunk in rows.chunks(200) {
        add_to_counts(conn, 0, chunk)?;
    }
    Ok(())
}
