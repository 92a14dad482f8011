//! Retention queries: which cases each class purges on a date, and the purge itself.

use std::collections::HashSet;

use chrono::{NaiveDate, NaiveDateTime, TimeZone, Utc};
use diesel::prelude::*;

use super::{ClassReport, KeptBecause, KeptItem, PurgeAction, PurgeItem, RetentionPolicy};
use crate::cases::stored::{StoredRepresentative, StoredSubject, StoredWait};
use crate::clock::local_date;
use crate::config::RetentionSettings;
use crate::db::schema::{
    case_events, case_notices, case_parts, case_statistics, cases, decisions, extracts, findings,
    idempotency_keys, job_leases, letters, outbox, purge_log,
};
use crate::db::{corrupt_row, BlindIndex, DbConnection, JsonText, SealedJson, SealedText};
use crate::domain::case::{CaseKind, CaseStatus};
use crate::domain::decision::Outcome;
use crate::domain::retention::{CountFrom, Keep, RetentionClass};
use crate::error::AppResult;

/// The columns retention decides by.
#[derive(Debug, Clone, Queryable)]
struct Candidate {
    id: String,
    reference: String,
    kind: CaseKind,
    closed_at: Option<NaiveDateTime>,
    withdrawn_at: Option<NaiveDateTime>,
    decided_at: Option<NaiveDateTime>,
    delivered_at: Option<NaiveDateTime>,
    reduced_at: Option<NaiveDateTime>,
    details_purged_at: Option<NaiveDateTime>,
}

impl Candidate {
    /// The day the period counts from, in the municipality's calendar.
    fn counted_from(&self, from: CountFrom) -> Option<NaiveDate> {
        let at = match from {
            // A withdrawn request is finished when it is withdrawn.
            CountFrom::Closure => self.closed_at.or(self.withdrawn_at),
            CountFrom::Decision => self.decided_at.or(self.withdrawn_at),
            CountFrom::Delivery | CountFrom::Compilation => self.delivered_at.or(self.closed_at),
        }?;
        Some(local_date(Utc.from_utc_datetime(&at)))
    }
}

fn due(keep: Keep, counted_from: NaiveDate, as_of: NaiveDate) -> bool {
    keep.purge_on(counted_from).is_some_and(|day| day <= as_of)
}

/// What becomes of one kept element of a case whose record period has ended.
#[derive(Debug, Clone, Copy)]
enum Fate {
    /// Its class ended on the period counted from this day.
    Goes(NaiveDate),
    /// Kept under its class until this day (`None`: forever, or not yet countable).
    Until(Option<NaiveDate>),
    /// No gallringsbeslut covers it.
    NoClass,
}

fn fate(c: &Candidate, policy: Option<(Keep, CountFrom)>, as_of: NaiveDate) -> Fate {
    let Some((keep, from)) = policy else {
        return Fate::NoClass;
    };
    match c.counted_from(from) {
        Some(day) if due(keep, day, as_of) => Fate::Goes(day),
        Some(day) => Fate::Until(keep.purge_on(day)),
        None => Fate::Until(None),
    }
}

/// The elements of a case that go while others are kept.
fn push_going(
    plan: &mut Plan,
    c: &Candidate,
    elements: &[(RetentionClass, Fate)],
    item: &impl Fn(&Candidate, NaiveDate, PurgeAction) -> PurgeItem,
) {
    for (class, fate) in elements {
        let Fate::Goes(day) = fate else { continue };
        let action = match class {
            RetentionClass::RefusalDecision => PurgeAction::RefusalsDeleted,
            RetentionClass::GrantedDecision => PurgeAction::GrantedDecisionsDeleted,
            RetentionClass::RecipientLog => PurgeAction::RecipientLogCleared,
            _ => PurgeAction::JournalDeleted,
        };
        plan.items.push((*class, item(c, *day, action)));
    }
}

/// Which finished cases hold each kind of kept element.
struct CaseFacts {
    /// Cases with an appeal still open: held whole.
    appealed: HashSet<String>,
    refusals: HashSet<String>,
    granted: HashSet<String>,
    recipient_logs: HashSet<String>,
    journals: HashSet<String>,
}

impl CaseFacts {
    /// The facts of the finished cases only: open cases are not planned, and their rows need
    /// not be read.
    fn load(conn: &mut DbConnection) -> AppResult<Self> {
        let finished = [CaseStatus::Closed, CaseStatus::Withdrawn];
        /// Case, outcome, recipients told, whether it says why none were told.
        type DecisionFacts = (String, Outcome, JsonText<Vec<String>>, bool);
        let decided: Vec<DecisionFacts> = decisions::table
            .inner_join(cases::table)
            .filter(cases::status.eq_any(finished))
            .select((
                decisions::case_id,
                decisions::outcome,
                decisions::recipients_notified,
                decisions::recipients_not_notified_reason.is_not_null(),
            ))
            .load(conn)?;
        let mut facts = CaseFacts {
            appealed: crate::appeals::store::cases_with_pending_appeals(conn)?
                .into_iter()
                .collect(),
            refusals: HashSet::new(),
            granted: HashSet::new(),
            recipient_logs: HashSet::new(),
            journals: case_events::table
                .inner_join(cases::table)
                .filter(cases::status.eq_any(finished))
                .select(case_events::case_id)
                .distinct()
                .load::<String>(conn)?
                .into_iter()
                .collect(),
        };
        for (case_id, outcome, told, not_told) in decided {
            if !told.0.is_empty() || not_told {
                facts.recipient_logs.insert(case_id.clone());
            }
            if Outcome::REFUSALS.contains(&outcome) {
                facts.refusals.insert(case_id);
            } else {
                facts.granted.insert(case_id);
            }
        }
        Ok(facts)
    }
}

/// The outcome of planning: what each class would purge, and what stays and why.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    items: Vec<(RetentionClass, PurgeItem)>,
    kept: Vec<KeptItem>,
}

impl Plan {
    pub fn kept(&self) -> &[KeptItem] {
        &self.kept
    }

    pub fn reports(&self, settings: &RetentionSettings) -> Vec<ClassReport> {
        RetentionClass::ALL
            .iter()
            .map(|class| {
                let setting = match class {
                    RetentionClass::CaseRecord => Some(&settings.case_record),
                    RetentionClass::Extract => Some(&settings.extract),
                    RetentionClass::RequestDetails => Some(&settings.request_details),
                    RetentionClass::RefusalDecision => Some(&settings.refusal_decision),
                    RetentionClass::GrantedDecision => settings.granted_decision.as_ref(),
                    RetentionClass::RecipientLog => settings.recipient_log.as_ref(),
                    RetentionClass::Journal => settings.journal.as_ref(),
                };
                let items: Vec<PurgeItem> = self
                    .items
                    .iter()
                    .filter(|(c, _)| c == class)
                    .map(|(_, item)| item.clone())
                    .collect();
                ClassReport {
                    class: *class,
                    keep: setting.map_or_else(|| "forever".to_owned(), |s| s.keep.clone()),
                    from: setting.map_or_else(|| "none".to_owned(), |s| s.from.clone()),
                    covered: setting.is_some(),
                    count: items.len(),
                    items,
                }
            })
            .collect()
    }

    pub fn into_chunks(self, size: usize) -> Vec<Vec<(RetentionClass, PurgeItem)>> {
        self.items.chunks(size).map(<[_]>::to_vec).collect()
    }
}

const DETAIL_KINDS: [CaseKind; 4] = [
    CaseKind::Rectification,
    CaseKind::Restriction,
    CaseKind::Erasure,
    CaseKind::Objection,
];

/// Decides, for every finished case, what each class purges on `as_of`.
pub fn plan(
    conn: &mut DbConnection,
    policy: &RetentionPolicy,
    as_of: NaiveDate,
) -> AppResult<Plan> {
    let finished = [CaseStatus::Closed, CaseStatus::Withdrawn];
    let candidates: Vec<Candidate> = cases::table
        .filter(cases::status.eq_any(finished))
        .order(cases::id)
        .select((
            cases::id,
            cases::reference,
            cases::kind,
            cases::closed_at,
            cases::withdrawn_at,
            cases::decided_at,
            cases::delivered_at,
            cases::reduced_at,
            cases::details_purged_at,
        ))
        .load(conn)?;
    let facts = CaseFacts::load(conn)?;
    // Compiled extracts: counted from delivery, or from compilation if never delivered.
    let compiled: Vec<(String, String, NaiveDateTime, Option<NaiveDateTime>)> = extracts::table
        .inner_join(cases::table.on(cases::id.eq(extracts::case_id)))
        .select((
            cases::id,
            cases::reference,
            extracts::compiled_at,
            cases::delivered_at,
        ))
        .load(conn)?;

    let mut plan = Plan::default();
    let item = |c: &Candidate, counted_from, action| PurgeItem {
        case_id: c.id.clone(),
        reference: c.reference.clone(),
        counted_from,
        action,
    };
    for c in &candidates {
        if facts.appealed.contains(&c.id) {
            plan.kept.push(KeptItem {
                case_id: c.id.clone(),
                reference: c.reference.clone(),
                class: RetentionClass::CaseRecord,
                because: KeptBecause::AppealPending,
                until: None,
            });
            continue;
        }
        let (keep, from) = policy.case_record;
        let record_ended = c.counted_from(from).filter(|d| due(keep, *d, as_of));
        if c.reduced_at.is_none() && record_ended.is_none() {
            let is_detail_kind = DETAIL_KINDS.contains(&c.kind);
            let (keep, from) = policy.request_details;
            if is_detail_kind && c.details_purged_at.is_none() {
                if let Some(day) = c.counted_from(from).filter(|d| due(keep, *d, as_of)) {
                    plan.items.push((
                        RetentionClass::RequestDetails,
                        item(c, day, PurgeAction::DetailsCleared),
                    ));
                }
            }
            continue;
        }
        // The record period has ended: the case goes, except what is still kept (domain.md §7).
        let elements: Vec<(RetentionClass, Fate)> = [
            (
                RetentionClass::RefusalDecision,
                facts.refusals.contains(&c.id),
                Some(policy.refusal_decision),
            ),
            (
                RetentionClass::GrantedDecision,
                facts.granted.contains(&c.id),
                policy.granted_decision,
            ),
            (
                RetentionClass::RecipientLog,
                facts.recipient_logs.contains(&c.id),
                policy.recipient_log,
            ),
            (
                RetentionClass::Journal,
                facts.journals.contains(&c.id),
                policy.journal,
            ),
        ]
        .into_iter()
        .filter(|(_, present, _)| *present)
        .map(|(class, _, policy)| (class, fate(c, policy, as_of)))
        .collect();
        let kept_any = elements
            .iter()
            .any(|(_, fate)| !matches!(fate, Fate::Goes(_)));
        for (class, fate) in &elements {
            let (because, until) = match fate {
                Fate::Goes(_) => continue,
                Fate::Until(until) => (KeptBecause::Class, *until),
                Fate::NoClass => (KeptBecause::NoGallringsbeslut, None),
            };
            plan.kept.push(KeptItem {
                case_id: c.id.clone(),
                reference: c.reference.clone(),
                class: *class,
                because,
                until,
            });
        }
        match (c.reduced_at, record_ended, kept_any) {
            (None, Some(day), false) => plan.items.push((
                RetentionClass::CaseRecord,
                item(c, day, PurgeAction::Deleted),
            )),
            (None, Some(day), true) => {
                plan.items.push((
                    RetentionClass::CaseRecord,
                    item(c, day, PurgeAction::Reduced),
                ));
                push_going(&mut plan, c, &elements, &item);
            }
            (Some(_), _, false) => {
                // The last thing kept has gone: the reduced case goes with it.
                let (class, day) = elements
                    .iter()
                    .find_map(|(class, fate)| match fate {
                        Fate::Goes(day) => Some((*class, *day)),
                        _ => None,
                    })
                    .unwrap_or((RetentionClass::CaseRecord, record_ended.unwrap_or(as_of)));
                plan.items.push((class, item(c, day, PurgeAction::Deleted)));
            }
            (Some(_), _, true) => push_going(&mut plan, c, &elements, &item),
            (None, None, _) => unreachable!("handled above"),
        }
    }
    let deleted: HashSet<&str> = plan
        .items
        .iter()
        .filter(|(class, _)| *class == RetentionClass::CaseRecord)
        .map(|(_, item)| item.case_id.as_str())
        .chain(facts.appealed.iter().map(String::as_str))
        .collect();
    let (keep, from) = policy.extract;
    let mut extract_items = Vec::new();
    for (id, reference, compiled_at, delivered_at) in compiled {
        if deleted.contains(id.as_str()) {
            continue;
        }
        let at = match from {
            CountFrom::Compilation => compiled_at,
            _ => delivered_at.unwrap_or(compiled_at),
        };
        let day = local_date(Utc.from_utc_datetime(&at));
        if due(keep, day, as_of) {
            extract_items.push((
                RetentionClass::Extract,
                PurgeItem {
                    case_id: id,
                    reference,
                    counted_from: day,
                    action: PurgeAction::ExtractDeleted,
                },
            ));
        }
    }
    plan.items.extend(extract_items);
    Ok(plan)
}

/// Carries out one chunk of the plan in the caller's transaction.
pub fn purge(
    conn: &mut DbConnection,
    items: &[(RetentionClass, PurgeItem)],
    now: NaiveDateTime,
) -> AppResult<()> {
    // Whole cases go set-wise: a few statements per chunk rather than per case.
    let deleted: Vec<&str> = items
        .iter()
        .filter(|(_, item)| item.action == PurgeAction::Deleted)
        .map(|(_, item)| item.case_id.as_str())
        .collect();
    let record_deleted: Vec<&str> = items
        .iter()
        .filter(|(class, item)| {
            *class == RetentionClass::CaseRecord && item.action == PurgeAction::Deleted
        })
        .map(|(_, item)| item.case_id.as_str())
        .collect();
    keep_statistics(conn, &record_deleted, now)?;
    if !deleted.is_empty() {
        diesel::delete(outbox::table.filter(outbox::case_id.eq_any(&deleted))).execute(conn)?;
        diesel::delete(cases::table.filter(cases::id.eq_any(&deleted))).execute(conn)?;
    }
    for (class, item) in items {
        let id = item.case_id.as_str();
        match item.action {
            PurgeAction::Deleted => {}
            PurgeAction::Reduced => {
                keep_statistics(conn, &[id], now)?;
                reduce(conn, id, now)?;
            }
            PurgeAction::RefusalsDeleted => {
                diesel::delete(
                    decisions::table
                        .filter(decisions::case_id.eq(id))
                        .filter(decisions::outcome.eq_any(Outcome::REFUSALS)),
                )
                .execute(conn)?;
            }
            PurgeAction::GrantedDecisionsDeleted => {
                diesel::delete(
                    decisions::table
                        .filter(decisions::case_id.eq(id))
                        .filter(decisions::outcome.ne_all(Outcome::REFUSALS)),
                )
                .execute(conn)?;
            }
            PurgeAction::RecipientLogCleared => {
                diesel::update(decisions::table.filter(decisions::case_id.eq(id)))
                    .set((
                        decisions::recipients_notified.eq(JsonText(Vec::<String>::new())),
                        decisions::recipients_not_notified_reason.eq(None::<SealedText>),
                    ))
                    .execute(conn)?;
            }
            PurgeAction::JournalDeleted => {
                diesel::delete(case_events::table.filter(case_events::case_id.eq(id)))
                    .execute(conn)?;
            }
            PurgeAction::DetailsCleared => clear_details(conn, id, now)?,
            PurgeAction::ExtractDeleted => {
                // The compiled extract, the findings it was made from and their attachments.
                diesel::delete(extracts::table.filter(extracts::case_id.eq(id))).execute(conn)?;
                diesel::delete(findings::table.filter(findings::case_id.eq(id))).execute(conn)?;
                crate::attachments::store::delete_of_case(conn, id)?;
            }
        }
        diesel::insert_into(purge_log::table)
            .values((
                purge_log::run_at.eq(now),
                purge_log::class.eq(class),
                purge_log::reference.eq(&item.reference),
                purge_log::counted_from.eq(item.counted_from),
                purge_log::action.eq(item.action),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// The anonymous rows that keep purged cases in the statistics.
fn keep_statistics(conn: &mut DbConnection, ids: &[&str], now: NaiveDateTime) -> AppResult<()> {
    if ids.is_empty() {
        return Ok(());
    }
    type Row = (
        String,
        CaseKind,
        NaiveDate,
        Option<NaiveDateTime>,
        Option<bool>,
    );
    let rows: Vec<Row> = cases::table
        .filter(cases::id.eq_any(ids))
        .select((
            cases::id,
            cases::kind,
            cases::received_date,
            cases::decided_at,
            cases::decided_on_time,
        ))
        .load(conn)?;
    let parts: Vec<(String, String)> = case_parts::table
        .filter(case_parts::case_id.eq_any(ids))
        .select((case_parts::case_id, case_parts::controller_id))
        .load(conn)?;
    for (id, kind, received_date, decided_at, on_time) in rows {
        let controllers: Vec<&str> = parts
            .iter()
            .filter(|(case_id, _)| *case_id == id)
            .map(|(_, controller)| controller.as_str())
            .collect();
        diesel::insert_into(case_statistics::table)
            .values((
                case_statistics::id.eq(uuid::Uuid::now_v7().to_string()),
                case_statistics::kind.eq(kind),
                case_statistics::controllers.eq(controllers.join(",")),
                case_statistics::received_date.eq(received_date),
                case_statistics::decided_date
                    .eq(decided_at.map(|t| local_date(Utc.from_utc_datetime(&t)))),
                case_statistics::on_time.eq(on_time),
                case_statistics::purged_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Keeps the decisions, the Art. 19 log and the journal (each of which then goes when its own
/// class ends, in items of the same plan) and the person's personnummer and name to read them
/// by; everything else of the case goes.
fn reduce(conn: &mut DbConnection, id: &str, now: NaiveDateTime) -> AppResult<()> {
    // The journal stays: what the person asked to have corrected or erased goes from it first,
    // if its own (shorter) period has not already taken it.
    let details_purged: Option<NaiveDateTime> = cases::table
        .find(id)
        .select(cases::details_purged_at)
        .first(conn)?;
    if details_purged.is_none() {
        clear_details(conn, id, now)?;
    }
    diesel::delete(outbox::table.filter(outbox::case_id.eq(id))).execute(conn)?;
    diesel::delete(extracts::table.filter(extracts::case_id.eq(id))).execute(conn)?;
    diesel::delete(findings::table.filter(findings::case_id.eq(id))).execute(conn)?;
    crate::attachments::store::delete_of_case(conn, id)?;
    diesel::delete(idempotency_keys::table.filter(idempotency_keys::case_id.eq(id)))
        .execute(conn)?;
    diesel::delete(case_notices::table.filter(case_notices::case_id.eq(id))).execute(conn)?;
    // The letters carried the address and the content; the decisions that stay have their text.
    diesel::delete(letters::table.filter(letters::case_id.eq(id))).execute(conn)?;
    let subject: SealedJson<StoredSubject> = cases::table
        .find(id)
        .select(cases::subject)
        .first(conn)
        .map_err(corrupt_row("cases", id))?;
    let identity_only = SealedJson(StoredSubject {
        address: None,
        email: None,
        phone: None,
        ..subject.into_inner()
    });
    diesel::update(cases::table.find(id))
        .set((
            cases::subject.eq(identity_only),
            cases::representative.eq(None::<SealedJson<StoredRepresentative>>),
            cases::representative_personnummer.eq(None::<BlindIndex>),
            cases::description.eq(None::<SealedText>),
            cases::subject_categories.eq(JsonText(Vec::<String>::new())),
            cases::identity_waits.eq(JsonText(Vec::<StoredWait>::new())),
            cases::extension_reason.eq(None::<SealedText>),
            cases::identity_assurance.eq(None::<String>),
            cases::reduced_at.eq(Some(now)),
            cases::details_purged_at.eq(Some(now)),
        ))
        .execute(conn)?;
    Ok(())
}

/// Clears what the person asked to have corrected, erased or objected to, and the notes.
fn clear_details(conn: &mut DbConnection, id: &str, now: NaiveDateTime) -> AppResult<()> {
    diesel::update(cases::table.find(id))
        .set((
            cases::description.eq(None::<SealedText>),
            cases::details_purged_at.eq(Some(now)),
        ))
        .execute(conn)?;
    diesel::update(
        case_events::table
            .filter(case_events::case_id.eq(id))
            .filter(case_events::event.ne("received")),
    )
    .set(case_events::data.eq(SealedJson(serde_json::json!({}))))
    .execute(conn)?;
    // Messages already delivered carried the same details.
    diesel::delete(
        outbox::table
            .filter(outbox::case_id.eq(id))
            .filter(outbox::status.ne(crate::notify::DeliveryStatus::Pending)),
    )
    .execute(conn)?;
    Ok(())
}

/// After a purge: no copy of a purged row stays in the SQLite WAL or among PostgreSQL's dead
/// tuples (see `db::compact_after_purge`).
pub fn release_freed_space(conn: &mut DbConnection) -> AppResult<()> {
    if !crate::db::compact_after_purge(conn)? {
        tracing::warn!("the WAL checkpoint after a purge did not complete while readers kept it busy; purged pages may stay in the WAL until the next one");
    }
    Ok(())
}

/// Marks today's daily run as taken; `false` if another instance took it.
pub fn claim_day(conn: &mut DbConnection, day: NaiveDate, now: NaiveDateTime) -> AppResult<bool> {
    let name = format!("retention:{day}");
    let taken: i64 = job_leases::table
        .filter(job_leases::name.eq(&name))
        .count()
        .get_result(conn)?;
    if taken > 0 {
        return Ok(false);
    }
    diesel::insert_into(job_leases::table)
        .values((
            job_leases::name.eq(name),
            job_leases::holder.eq(std::process::id().to_string()),
            job_leases::until.eq(now),
        ))
        .execute(conn)?;
    Ok(true)
}
