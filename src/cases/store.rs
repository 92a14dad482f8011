//! Queries of the case capability. No HTTP here.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::stored::{StoredRepresentative, StoredSubject, StoredWait};
use crate::auth::CaseScope;
use crate::db::schema::{case_events, case_parts, cases, decisions, outbox};
use crate::db::DbConnection;
use crate::db::{corrupt_row, id_in, literal_limit, BlindIndex, JsonText, SealedJson, SealedText};
use crate::domain::case::{
    CaseKind, CaseStatus, Channel, DeliveryMethod, IdentityMethod, IdentityStatus, PartStatus,
};
use crate::domain::decision::{NotApplicableBecause, Outcome};
use crate::error::{AppError, AppResult};

type Backend = <DbConnection as Connection>::Backend;

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = cases, treat_none_as_null = true)]
pub struct CaseRow {
    pub id: String,
    pub reference: String,
    pub kind: CaseKind,
    pub channel: Channel,
    pub status: CaseStatus,
    pub received_at: NaiveDateTime,
    pub received_date: NaiveDate,
    pub deadline: NaiveDate,
    pub extended_deadline: Option<NaiveDate>,
    pub effective_deadline: NaiveDate,
    /// The keyed hash of the subject's identifier (`SubjectIdentity::search_key`).
    pub subject_personnummer: BlindIndex,
    pub subject: SealedJson<StoredSubject>,
    /// The keyed hash of the representative's personnummer.
    pub representative_personnummer: Option<BlindIndex>,
    pub representative: Option<SealedJson<StoredRepresentative>>,
    pub identity_status: IdentityStatus,
    pub identity_method: Option<IdentityMethod>,
    pub identity_assurance: Option<String>,
    pub identity_verified_at: Option<NaiveDateTime>,
    pub identity_verified_by: Option<String>,
    pub subject_categories: JsonText<Vec<String>>,
    pub description: Option<SealedText>,
    pub created_by: String,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub representative_verified_at: Option<NaiveDateTime>,
    pub representative_verified_by: Option<String>,
    pub representative_identity_method: Option<IdentityMethod>,
    pub identity_waits: JsonText<Vec<StoredWait>>,
    pub extension_reason: Option<SealedText>,
    pub extended_at: Option<NaiveDateTime>,
    pub extended_by: Option<String>,
    pub extension_notice_id: Option<String>,
    pub decided_at: Option<NaiveDateTime>,
    pub decided_on_time: Option<bool>,
    pub delivery_method: Option<DeliveryMethod>,
    pub delivered_at: Option<NaiveDateTime>,
    pub closed_at: Option<NaiveDateTime>,
    pub withdrawn_at: Option<NaiveDateTime>,
    pub adjusted_deadline: NaiveDate,
    pub days_to_decision: Option<i32>,
    pub received_month: String,
    pub reduced_at: Option<NaiveDateTime>,
    pub details_purged_at: Option<NaiveDateTime>,
    /// Sekretessmarkering or skyddad folkbokföring (see `visibility`).
    pub protected_identity: bool,
    /// The municipality's own registration number, e.g. `KS 2026/123`.
    pub diarienummer: Option<String>,
    /// An objection to direct marketing: granted without assessment (Art. 21(3)).
    pub direct_marketing: bool,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = case_parts, treat_none_as_null = true)]
pub struct PartRow {
    pub case_id: String,
    pub controller_id: String,
    pub status: PartStatus,
    pub handler: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// The handläggare's name, for the letterhead.
    pub handler_name: Option<String>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = case_events)]
pub struct EventRow {
    pub id: i64,
    pub case_id: String,
    pub at: NaiveDateTime,
    pub actor: String,
    pub roles: String,
    pub event: String,
    pub data: SealedJson<serde_json::Value>,
}

#[derive(Insertable)]
#[diesel(table_name = case_events)]
pub struct NewEvent<'a> {
    pub case_id: &'a str,
    pub at: NaiveDateTime,
    pub actor: &'a str,
    pub roles: &'a str,
    pub event: &'a str,
    pub data: SealedJson<serde_json::Value>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = decisions)]
pub struct DecisionRow {
    pub case_id: String,
    pub controller_id: String,
    pub outcome: Outcome,
    pub reasons: Option<SealedText>,
    /// The recipients told under Art. 19.
    pub recipients_notified: JsonText<Vec<String>>,
    pub recipients_not_notified_reason: Option<SealedText>,
    pub text_sv: SealedText,
    pub decided_at: NaiveDateTime,
    pub decided_by: String,
    /// Codes of `domain::legal_grounds::CATALOGUE`.
    pub legal_grounds: JsonText<Vec<String>>,
    pub decision_maker_name: Option<String>,
    pub decision_maker_title: Option<String>,
    /// The point of the delegationsordning the decision was made under.
    pub delegation: Option<String>,
    /// The fee asked for a manifestly unfounded or excessive request, in kronor.
    pub fee_sek: Option<i32>,
    pub forwarded_to: Option<String>,
    pub forwarded_on: Option<NaiveDate>,
    pub not_applicable_because: Option<NotApplicableBecause>,
}

/// A case with its parts and decisions: what the case views are built from.
#[derive(Debug, Clone)]
pub struct CaseRecord {
    pub case: CaseRow,
    pub parts: Vec<PartRow>,
    pub decisions: Vec<DecisionRow>,
    /// When the extension notice was delivered (from the outbox).
    pub extension_notice_sent_at: Option<NaiveDateTime>,
    /// The parts this reader sees only as controller, status and decided day (see
    /// `visibility::CaseLens`); empty as loaded.
    pub sealed_parts: Vec<String>,
    /// When each sealed part decided (its decision row is not in `decisions`).
    pub sealed_decisions: Vec<(String, NaiveDateTime)>,
    /// The address and contact data of a protected-identity case were removed for this reader.
    pub contact_sealed: bool,
}

impl CaseRecord {
    pub fn controller_ids(&self) -> Vec<String> {
        self.parts.iter().map(|p| p.controller_id.clone()).collect()
    }
}

/// The case with `id`; a stored row that does not decode is an error logged with the id.
pub fn find_case(conn: &mut DbConnection, id: &str) -> AppResult<Option<CaseRecord>> {
    load_case(conn, id).map_err(corrupt_row("cases", id))
}

fn load_case(conn: &mut DbConnection, id: &str) -> QueryResult<Option<CaseRecord>> {
    // The hottest read of the service, so: on the backend's own connection (see
    // `on_native_connection!`); `eq`, not `attach_parts`' `id_in` list, so the statements are
    // prepared once per connection; and `load`, not `first`, because SQLite re-prepares a
    // statement with `LIMIT ?` at every new binding. Parts are sorted here, not by `ORDER BY`:
    // on an analyzed database SQLite built with STAT4 prepared that statement again at every
    // call (see `.cargo/config.toml`), and sorting a handful of rows costs nothing.
    Ok(crate::on_native_connection!(conn, |c| {
        let Some(case) = cases::table
            .find(id)
            .select(CaseRow::as_select())
            .load(c)?
            .pop()
        else {
            return Ok(None);
        };
        let mut parts: Vec<PartRow> = case_parts::table
            .filter(case_parts::case_id.eq(id))
            .select(PartRow::as_select())
            .load(c)?;
        parts.sort_unstable_by(|a, b| a.controller_id.cmp(&b.controller_id));
        let decisions = decisions::table
            .filter(decisions::case_id.eq(id))
            .select(DecisionRow::as_select())
            .load(c)?;
        let extension_notice_sent_at = match &case.extension_notice_id {
            Some(notice) => outbox::table
                .find(notice)
                .select(outbox::sent_at)
                .load::<Option<NaiveDateTime>>(c)?
                .pop()
                .flatten(),
            None => None,
        };
        Some(CaseRecord {
            case,
            parts,
            decisions,
            extension_notice_sent_at,
            sealed_parts: Vec::new(),
            sealed_decisions: Vec::new(),
            contact_sealed: false,
        })
    }))
}

/// The filters of `GET /cases`, already parsed.
#[derive(Debug, Default, Clone)]
pub struct CaseFilter {
    pub statuses: Vec<CaseStatus>,
    pub kind: Option<CaseKind>,
    pub controller: Option<String>,
    /// Open and past the deadline in force on this day.
    pub overdue_on: Option<NaiveDate>,
    pub due_before: Option<NaiveDate>,
    /// Open cases due on or after this date (with `due_before`: due within a window).
    pub due_from: Option<NaiveDate>,
    pub extended: Option<bool>,
    /// The pause policy is on: overdue and due dates go by the adjusted deadline, and a case
    /// waiting for identity information is not overdue.
    pub by_adjusted_deadline: bool,
}

/// Marks a case whose latest identity wait is still open (see `StoredWait`).
const OPEN_WAIT_MARKER: &str = "%\"to\":null%";

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum CaseCursor {
    /// Newest first: after (created_at, id).
    Created(NaiveDateTime, String),
    /// Earliest deadline first: after (effective_deadline, id).
    Deadline(NaiveDate, String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseOrder {
    NewestFirst,
    DeadlineFirst,
}

/// The cases matching `filter` that `scope` may see, as a query to page or count.
pub fn filtered<'a>(filter: &CaseFilter, scope: &CaseScope) -> cases::BoxedQuery<'a, Backend> {
    let mut query = cases::table.into_boxed::<Backend>();
    if !filter.statuses.is_empty() {
        query = query.filter(cases::status.eq_any(filter.statuses.clone()));
    }
    if let Some(kind) = filter.kind {
        query = query.filter(cases::kind.eq(kind));
    }
    if let Some(controller) = &filter.controller {
        query = query.filter(
            cases::id.eq_any(
                case_parts::table
                    .filter(case_parts::controller_id.eq(controller.clone()))
                    .select(case_parts::case_id),
            ),
        );
    }
    let open = CaseStatus::OPEN;
    if let Some(today) = filter.overdue_on {
        query = query.filter(cases::status.eq_any(open));
        query = if filter.by_adjusted_deadline {
            query
                .filter(cases::adjusted_deadline.lt(today))
                .filter(cases::identity_waits.not_like(OPEN_WAIT_MARKER))
        } else {
            query.filter(cases::effective_deadline.lt(today))
        };
    }
    if let Some(date) = filter.due_before {
        query = query.filter(cases::status.eq_any(open));
        query = if filter.by_adjusted_deadline {
            query.filter(cases::adjusted_deadline.lt(date))
        } else {
            query.filter(cases::effective_deadline.lt(date))
        };
    }
    if let Some(date) = filter.due_from {
        query = query.filter(cases::status.eq_any(open));
        query = if filter.by_adjusted_deadline {
            query.filter(cases::adjusted_deadline.ge(date))
        } else {
            query.filter(cases::effective_deadline.ge(date))
        };
    }
    match filter.extended {
        Some(true) => query = query.filter(cases::extended_deadline.is_not_null()),
        Some(false) => query = query.filter(cases::extended_deadline.is_null()),
        None => {}
    }
    if let CaseScope::Limited {
        controllers,
        created_by,
    } = scope
    {
        let in_controllers = cases::id.eq_any(
            case_parts::table
                .filter(case_parts::controller_id.eq_any(controllers.clone()))
                .select(case_parts::case_id),
        );
        query = match created_by {
            Some(sub) => query.filter(in_controllers.or(cases::created_by.eq(sub.clone()))),
            None => query.filter(in_controllers),
        };
    }
    query
}

pub fn count_cases(
    conn: &mut DbConnection,
    filter: &CaseFilter,
    scope: &CaseScope,
) -> AppResult<i64> {
    Ok(filtered(filter, scope).count().get_result(conn)?)
}

pub fn list_cases(
    conn: &mut DbConnection,
    filter: &CaseFilter,
    scope: &CaseScope,
    order: CaseOrder,
    after: Option<&CaseCursor>,
    limit: i64,
) -> AppResult<Vec<CaseRecord>> {
    let mut query = filtered(filter, scope);
    query = match (order, after) {
        (CaseOrder::NewestFirst, Some(CaseCursor::Created(at, id))) => query.filter(
            cases::created_at
                .lt(*at)
                .or(cases::created_at.eq(*at).and(cases::id.lt(id.clone()))),
        ),
        (CaseOrder::DeadlineFirst, Some(CaseCursor::Deadline(date, id))) => query.filter(
            cases::effective_deadline
                .gt(*date)
                .or(cases::effective_deadline
                    .eq(*date)
                    .and(cases::id.gt(id.clone()))),
        ),
        (_, None) => query,
        _ => {
            return Err(AppError::validation(
                "cursor",
                "invalid",
                "The cursor belongs to another sort order.",
            ))
        }
    };
    query = match order {
        CaseOrder::NewestFirst => query.order((cases::created_at.desc(), cases::id.desc())),
        CaseOrder::DeadlineFirst => query.order((cases::effective_deadline.asc(), cases::id.asc())),
    };
    let rows = literal_limit(query.select(CaseRow::as_select()), limit).load(conn)?;
    attach_parts(conn, rows)
}

pub const PAGE_FOR_SCANS: i64 = 5_000;

/// The next `limit` cases by id after `after_id` (`""` for the first page), for whole-table work.
pub fn find_cases_after(
    conn: &mut DbConnection,
    after_id: &str,
    limit: i64,
) -> AppResult<Vec<CaseRecord>> {
    let rows = literal_limit(
        cases::table
            .filter(cases::id.gt(after_id))
            .order(cases::id.asc())
            .select(CaseRow::as_select()),
        limit,
    )
    .load(conn)?;
    attach_parts(conn, rows)
}

/// Whether a case with this id exists (to audit a refused read of it).
pub fn case_exists(conn: &mut DbConnection, id: &str) -> AppResult<bool> {
    Ok(diesel::select(diesel::dsl::exists(cases::table.find(id))).get_result(conn)?)
}

/// Every case where the person is the subject or the representative, newest first (the
/// e-tjänst's status view of the logged-in citizen's own requests).
pub fn cases_of_citizen(
    conn: &mut DbConnection,
    personnummer: &BlindIndex,
) -> AppResult<Vec<CaseRecord>> {
    let rows = cases::table
        .filter(
            cases::subject_personnummer
                .eq(personnummer)
                .or(cases::representative_personnummer.eq(personnummer)),
        )
        .order((cases::received_at.desc(), cases::id.desc()))
        .select(CaseRow::as_select())
        .load(conn)?;
    attach_parts(conn, rows)
}

/// Every case where the person is the subject, newest first (repeat requests, Art. 12(5)).
pub fn cases_of_person(
    conn: &mut DbConnection,
    personnummer: &BlindIndex,
) -> AppResult<Vec<CaseRecord>> {
    let rows = cases::table
        .filter(cases::subject_personnummer.eq(personnummer))
        .order((cases::received_at.desc(), cases::id.desc()))
        .select(CaseRow::as_select())
        .load(conn)?;
    attach_parts(conn, rows)
}

/// Loads the parts and decisions of `rows` (two queries for the whole page).
fn attach_parts(conn: &mut DbConnection, rows: Vec<CaseRow>) -> AppResult<Vec<CaseRecord>> {
    use std::collections::HashMap;
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let ids = || rows.iter().map(|r| r.id.as_str());
    // Sorted here, not by the database, as in `load_case`.
    let mut parts: Vec<PartRow> = case_parts::table
        .filter(id_in(case_parts::case_id, ids()))
        .select(PartRow::as_select())
        .load(conn)?;
    parts.sort_unstable_by(|a, b| a.controller_id.cmp(&b.controller_id));
    let decided: Vec<DecisionRow> = decisions::table
        .filter(id_in(decisions::case_id, ids()))
        .select(DecisionRow::as_select())
        .load(conn)?;
    let notice_ids: Vec<&str> = rows
        .iter()
        .filter_map(|r| r.extension_notice_id.as_deref())
        .collect();
    let notices_sent: HashMap<String, NaiveDateTime> = if notice_ids.is_empty() {
        HashMap::new()
    } else {
        outbox::table
            .filter(id_in(outbox::id, notice_ids))
            .filter(outbox::sent_at.is_not_null())
            .select((outbox::id, outbox::sent_at.assume_not_null()))
            .load::<(String, NaiveDateTime)>(conn)?
            .into_iter()
            .collect()
    };
    let mut parts_by_case: HashMap<String, Vec<PartRow>> = HashMap::new();
    for part in parts {
        parts_by_case
            .entry(part.case_id.clone())
            .or_default()
            .push(part);
    }
    let mut decisions_by_case: HashMap<String, Vec<DecisionRow>> = HashMap::new();
    for decision in decided {
        decisions_by_case
            .entry(decision.case_id.clone())
            .or_default()
            .push(decision);
    }
    Ok(rows
        .into_iter()
        .map(|case| CaseRecord {
            parts: parts_by_case.remove(&case.id).unwrap_or_default(),
            decisions: decisions_by_case.remove(&case.id).unwrap_or_default(),
            extension_notice_sent_at: case
                .extension_notice_id
                .as_ref()
                .and_then(|id| notices_sent.get(id).copied()),
            case,
            sealed_parts: Vec::new(),
            sealed_decisions: Vec::new(),
            contact_sealed: false,
        })
        .collect())
}

pub fn journal(conn: &mut DbConnection, case_id: &str) -> AppResult<Vec<EventRow>> {
    Ok(case_events::table
        .filter(case_events::case_id.eq(case_id))
        .order(case_events::id.asc())
        .select(EventRow::as_select())
        .load(conn)?)
}
