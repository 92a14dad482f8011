//! The cases' service: register a request, read a case, list, export and search cases, read the
//! journal. Every read of a case is audited before it is answered.

use super::access::{read_audited, require_for_case, ReadTrail};
use super::intake::NewCase;
use super::registrar::Registrar;
use super::registration::Registered;
use super::registration::{Creator, IdempotencyKey, Registration};
use super::store::{self, CaseCursor, CaseFilter, CaseOrder, CaseRecord, EventRow};
use super::visibility::CaseLens;
use crate::audit::{self, AuditAction};
use crate::auth::{Action, AuthUser, Role};
use crate::cases::dto::CreateCaseRequest;
use crate::db::BlindIndex;
use crate::domain::other_identity;
use crate::domain::personnummer::Personnummer;
use crate::error::{AppError, AppResult};
use crate::services::Services;
use actix_web::web;

/// A new request as the caller sent it.
pub struct RegisterCase {
    pub request: CreateCaseRequest,
    pub idempotency: Option<IdempotencyKey>,
    pub request_id: Option<String>,
}

/// Registers the request (or, for a replayed `Idempotency-Key`, finds the case it registered).
pub async fn register(
    services: &Services,
    registrar: &Registrar,
    user: &AuthUser,
    command: RegisterCase,
) -> AppResult<Registered> {
    user.require(Action::CreateCase)?;
    let now = services.clock.now();
    let new = NewCase::parse(
        command.request,
        user,
        now,
        &services.policy.calendar,
        services.minimum_assurance(),
    )
    .map_err(AppError::Validation)?;
    if user.has_role(Role::Handlaggare)
        && !user.may_see_all_cases()
        && !new
            .controllers
            .iter()
            .any(|c| user.controllers.iter().any(|mine| mine == c.as_str()))
    {
        return Err(AppError::forbidden(
            "A handläggare registers requests for one of their own controllers: include it in `controllers`.",
        ));
    }
    let registration = Registration {
        new,
        id: uuid::Uuid::now_v7().to_string(),
        creator: Creator {
            sub: user.sub.clone(),
            roles: user.roles_label(),
            organisation: services.settings.organisation.name.clone(),
            request_id: command.request_id,
        },
        now: now.naive_utc(),
        registration_year: chrono::Datelike::year(&crate::clock::local_date(now)),
        idempotency: command.idempotency,
    };
    let (action, record) = registrar.register(registration).await?;
    // A protected-identity case leaves no trace in the log (domain.md §8).
    if !record.case.protected_identity {
        tracing::info!(case_id = %record.case.id, reference = %record.case.reference, action = %action, "case registered");
    }
    Ok((action, CaseLens::of(user).show(record)))
}

/// One case the user may see, audited as `action` (a read, the deadline explanation...).
pub async fn read_case(
    services: &Services,
    user: &AuthUser,
    id: uuid::Uuid,
    action: AuditAction,
    trail: &ReadTrail,
) -> AppResult<CaseRecord> {
    require_for_case(
        services,
        user,
        Action::ReadCase,
        id,
        action,
        trail.request_id.clone(),
    )
    .await?;
    read_audited(services, user, id, action, trail).await
}

/// Which cases to list, in which order, from where.
pub struct ListCases {
    pub filter: CaseFilter,
    pub order: CaseOrder,
    pub after: Option<CaseCursor>,
    pub limit: i64,
}

/// A page of cases and where the next one starts.
pub struct CaseListPage {
    pub records: Vec<CaseRecord>,
    pub next: Option<CaseCursor>,
}

/// A page of the cases the user may see; every listed case is audited as read.
pub async fn list_cases(
    services: &Services,
    user: &AuthUser,
    query: ListCases,
    request_id: Option<String>,
) -> AppResult<CaseListPage> {
    user.require(Action::ListCases)?;
    let scope = user.case_scope();
    let ListCases {
        filter,
        order,
        after,
        limit,
    } = query;
    let mut records = services
        .db
        .read_snapshot(move |conn| {
            store::list_cases(conn, &filter, &scope, order, after.as_ref(), limit + 1)
        })
        .await?;
    let has_more = records.len() as i64 > limit;
    records.truncate(limit as usize);
    let next = match (has_more, records.last()) {
        (true, Some(last)) => Some(cursor_after(order, last)),
        _ => None,
    };
    let records = audit_reads(services, user, AuditAction::List, records, request_id).await?;
    Ok(CaseListPage { records, next })
}

/// Every matching case, for the CSV export; audited as one entry naming every exported case.
/// Every case the filter selects, as a stream of pages of [`EXPORT_PAGE`]: one page in memory
/// at a time, each audited (committed) before it is handed on, so what reaches the reader was
/// logged first. The permission is checked before the stream starts.
pub fn export_cases(
    services: web::Data<Services>,
    user: AuthUser,
    filter: CaseFilter,
    order: CaseOrder,
    request_id: Option<String>,
) -> AppResult<impl futures_util::Stream<Item = AppResult<Vec<CaseRecord>>>> {
    user.require(Action::ListCases)?;
    services.user_rates.export(&user)?;
    let scope = user.case_scope();
    // The state between pages: the key to continue after, or None once the last page is out.
    let start = Some(None::<CaseCursor>);
    Ok(futures_util::stream::unfold(start, move |state| {
        let (services, user, filter, scope, request_id) = (
            services.clone(),
            user.clone(),
            filter.clone(),
            scope.clone(),
            request_id.clone(),
        );
        async move {
            let after = state?;
            let page = async {
                let records = services
                    .db
                    .read(move |conn| {
                        store::list_cases(conn, &filter, &scope, order, after.as_ref(), EXPORT_PAGE)
                    })
                    .await?;
                let next = ((records.len() as i64) == EXPORT_PAGE)
                    .then(|| records.last().map(|last| cursor_after(order, last)))
                    .flatten();
                let shown = audit_reads(
                    &services,
                    &user,
                    AuditAction::ExportCsv,
                    records,
                    request_id,
                )
                .await?;
                Ok::<_, AppError>((shown, next))
            }
            .await;
            match page {
                Ok((shown, next)) => Some((Ok(shown), next.map(Some))),
                // The answer has started: an error ends it (the reader sees a cut-off file).
                Err(error) => Some((Err(error), None)),
            }
        }
    }))
}

/// How many cases one page of the CSV export reads and audits.
pub const EXPORT_PAGE: i64 = 1000;

/// Whom a search looks for: a Swedish number, or the number of another identity document.
#[derive(Debug, Clone)]
pub enum PersonQuery {
    Personnummer(String),
    OtherIdentifier(String),
}

impl PersonQuery {
    /// The stored search key (`cases.subject_personnummer`), or the field error.
    fn key(&self, today: chrono::NaiveDate) -> AppResult<String> {
        match self {
            PersonQuery::Personnummer(text) => Personnummer::parse(text, today)
                .map(|p| p.normalized())
                .map_err(|e| AppError::validation("personnummer", e.code(), e.to_string())),
            PersonQuery::OtherIdentifier(text) => other_identity::fold_identifier(text)
                .map(|folded| other_identity::key_of(&folded))
                .map_err(|e| AppError::validation("other_identifier", e.code(), e.to_string())),
        }
    }
}

/// All cases of one person the user may see (repeat requests, Art. 12(5)). A
/// protected-identity case is listed without its contact data.
pub async fn search_cases(
    services: &Services,
    user: &AuthUser,
    person: PersonQuery,
    request_id: Option<String>,
) -> AppResult<Vec<CaseRecord>> {
    user.require(Action::SearchCases)?;
    services.user_rates.search(user)?;
    let key = person.key(services.clock.today())?;
    let number_hash = hash_of(services, &key);
    let stored_key = BlindIndex::of(&key)?;
    let scope = user.case_scope();
    let records: Vec<CaseRecord> = services
        .db
        .read(move |conn| store::cases_of_person(conn, &stored_key))
        .await?
        .into_iter()
        .filter(|r| scope.allows(&r.controller_ids(), &r.case.created_by))
        .collect();
    let lens = CaseLens::of(user);
    let entry = audit::search(
        user,
        AuditAction::Search,
        records.iter().map(|r| r.case.id.as_str()),
        number_hash,
        services.clock.now().naive_utc(),
        request_id,
    );
    let entry = with_other_parts(entry, &lens, user, &records);
    audit::service::append(services, entry).await?;
    Ok(records.into_iter().map(|r| lens.show_listed(r)).collect())
}

/// The e-tjänst's status view: every case of the logged-in citizen, as subject or as
/// representative. The number comes from the e-tjänst's login of the person, in the body of a
/// POST. Whether or not the person has cases, the answer costs one read and one audit row, so
/// its time does not tell whether a number has cases.
pub async fn citizen_cases(
    services: &Services,
    user: &AuthUser,
    personnummer: &str,
    reference: Option<String>,
    request_id: Option<String>,
) -> AppResult<Vec<CaseRecord>> {
    user.require(Action::ReadCitizenStatus)?;
    let personnummer = Personnummer::parse(personnummer, services.clock.today())
        .map_err(|e| AppError::validation("personnummer", e.code(), e.to_string()))?
        .normalized();
    let number_hash = hash_of(services, &personnummer);
    let stored_key = BlindIndex::of(&personnummer)?;
    let records = services
        .db
        .read(move |conn| store::cases_of_citizen(conn, &stored_key))
        .await?
        .into_iter()
        .filter(|r| {
            reference
                .as_deref()
                .is_none_or(|wanted| r.case.reference == wanted.trim())
        })
        .collect::<Vec<_>>();
    let entry = audit::search(
        user,
        AuditAction::StatusView,
        records.iter().map(|r| r.case.id.as_str()),
        number_hash,
        services.clock.now().naive_utc(),
        request_id,
    );
    audit::service::append(services, entry).await?;
    let lens = CaseLens::of(user);
    Ok(records.into_iter().map(|r| lens.show_listed(r)).collect())
}

fn hash_of(services: &Services, normalized: &str) -> String {
    audit::number_hash(
        services
            .settings
            .audit
            .hash_key
            .as_deref()
            .unwrap_or_default(),
        normalized,
    )
}

/// A DPO's or administrator's audit row also names the other nämnders' parts it showed.
fn with_other_parts(
    entry: audit::AuditEntry,
    lens: &CaseLens,
    user: &AuthUser,
    records: &[CaseRecord],
) -> audit::AuditEntry {
    let mut others: Vec<String> = records
        .iter()
        .flat_map(|r| lens.others_parts_shown(user, r))
        .collect();
    others.sort_unstable();
    others.dedup();
    if others.is_empty() {
        return entry;
    }
    // Keep what the row already says (a search's hash and count) and add the parts.
    let mut detail = entry
        .detail
        .as_deref()
        .and_then(|d| serde_json::from_str::<serde_json::Value>(d).ok())
        .unwrap_or_else(|| serde_json::json!({}));
    detail["other_parts"] = serde_json::json!(others);
    entry.with_detail(detail)
}

/// The case's events, oldest first.
pub async fn journal(
    services: &Services,
    user: &AuthUser,
    id: uuid::Uuid,
    trail: &ReadTrail,
) -> AppResult<Vec<EventRow>> {
    require_for_case(
        services,
        user,
        Action::ReadJournal,
        id,
        AuditAction::Journal,
        trail.request_id.clone(),
    )
    .await?;
    let record = read_audited(services, user, id, AuditAction::Journal, trail).await?;
    let case_id = record.case.id;
    let events = services
        .db
        .read(move |conn| store::journal(conn, &case_id))
        .await?;
    Ok(CaseLens::of(user).journal(events))
}

fn cursor_after(order: CaseOrder, last: &CaseRecord) -> CaseCursor {
    match order {
        CaseOrder::NewestFirst => CaseCursor::Created(last.case.created_at, last.case.id.clone()),
        CaseOrder::DeadlineFirst => {
            CaseCursor::Deadline(last.case.effective_deadline, last.case.id.clone())
        }
    }
}

/// Writes one audit row naming every case shown, and answers only after it is committed, with
/// the cases as the user may see them.
async fn audit_reads(
    services: &Services,
    user: &AuthUser,
    action: AuditAction,
    records: Vec<CaseRecord>,
    request_id: Option<String>,
) -> AppResult<Vec<CaseRecord>> {
    let lens = CaseLens::of(user);
    if let Some(entry) = audit::listing(
        user,
        action,
        records.iter().map(|r| r.case.id.as_str()),
        services.clock.now().naive_utc(),
        request_id,
    ) {
        let entry = with_other_parts(entry, &lens, user, &records);
        audit::service::append(services, entry).await?;
    }
    Ok(records.into_iter().map(|r| lens.show_listed(r)).collect())
}
