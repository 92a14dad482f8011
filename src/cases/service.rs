//! The cases' service: register a request, read a case, list, export and search cases, read the
//! journal. Every read of a case is audited before it is answered.

use super::access::read_audited;
use super::intake::NewCase;
use super::registrar::Registrar;
use super::registration::Registered;
use super::registration::{Creator, IdempotencyKey, Registration};
use super::store::{self, CaseCursor, CaseFilter, CaseOrder, CaseRecord, EventRow};
use crate::audit::{self, store::append as append_audit, AuditAction};
use crate::auth::{Action, AuthUser, Role};
use crate::cases::dto::CreateCaseRequest;
use crate::domain::personnummer::Personnummer;
use crate::error::{AppError, AppResult};
use crate::services::Services;

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
    let new = NewCase::parse(command.request, user, now, &services.policy.calendar)
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
    tracing::info!(case_id = %record.case.id, reference = %record.case.reference, action = %action, "case registered");
    Ok((action, record))
}

/// One case the user may see, audited as `action` (a read, the deadline explanation...).
pub async fn read_case(
    services: &Services,
    user: &AuthUser,
    id: uuid::Uuid,
    action: AuditAction,
    request_id: Option<String>,
) -> AppResult<CaseRecord> {
    user.require(Action::ReadCase)?;
    read_audited(services, user, id, action, request_id).await
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
    audit_reads(services, user, AuditAction::List, &records, request_id).await?;
    Ok(CaseListPage { records, next })
}

/// Every matching case, for the CSV export; audited as one entry naming every exported case.
pub async fn export_cases(
    services: &Services,
    user: &AuthUser,
    filter: CaseFilter,
    order: CaseOrder,
    request_id: Option<String>,
) -> AppResult<Vec<CaseRecord>> {
    const PAGE: i64 = 1000;
    user.require(Action::ListCases)?;
    let scope = user.case_scope();
    let records = services
        .db
        .read_snapshot(move |conn| {
            let mut all = Vec::new();
            let mut after = None;
            loop {
                let page = store::list_cases(conn, &filter, &scope, order, after.as_ref(), PAGE)?;
                let done = (page.len() as i64) < PAGE;
                after = page.last().map(|last| cursor_after(order, last));
                all.extend(page);
                if done {
                    return Ok(all);
                }
            }
        })
        .await?;
    audit_reads(services, user, AuditAction::ExportCsv, &records, request_id).await?;
    Ok(records)
}

/// All cases of one person the user may see (repeat requests, Art. 12(5)).
pub async fn search_cases(
    services: &Services,
    user: &AuthUser,
    personnummer: &str,
    request_id: Option<String>,
) -> AppResult<Vec<CaseRecord>> {
    user.require(Action::SearchCases)?;
    let personnummer = Personnummer::parse(personnummer, services.clock.today())
        .map_err(|e| AppError::validation("personnummer", e.code(), e.to_string()))?
        .normalized();
    let scope = user.case_scope();
    let records: Vec<CaseRecord> = services
        .db
        .read(move |conn| store::cases_of_person(conn, &personnummer))
        .await?
        .into_iter()
        .filter(|r| scope.allows(&r.controller_ids(), &r.case.created_by))
        .collect();
    audit_reads(services, user, AuditAction::Search, &records, request_id).await?;
    Ok(records)
}

/// The case's events, oldest first.
pub async fn journal(
    services: &Services,
    user: &AuthUser,
    id: uuid::Uuid,
    request_id: Option<String>,
) -> AppResult<Vec<EventRow>> {
    user.require(Action::ReadJournal)?;
    let record = read_audited(services, user, id, AuditAction::Journal, request_id).await?;
    let case_id = record.case.id;
    services
        .db
        .read(move |conn| store::journal(conn, &case_id))
        .await
}

fn cursor_after(order: CaseOrder, last: &CaseRecord) -> CaseCursor {
    match order {
        CaseOrder::NewestFirst => CaseCursor::Created(last.case.created_at, last.case.id.clone()),
        CaseOrder::DeadlineFirst => {
            CaseCursor::Deadline(last.case.effective_deadline, last.case.id.clone())
        }
    }
}

/// Writes one audit row naming every case shown, and answers only after it is committed.
async fn audit_reads(
    services: &Services,
    user: &AuthUser,
    action: AuditAction,
    records: &[CaseRecord],
    request_id: Option<String>,
) -> AppResult<()> {
    let Some(entry) = audit::listing(
        user,
        action,
        records.iter().map(|r| r.case.id.as_str()),
        services.clock.now().naive_utc(),
        request_id,
    ) else {
        return Ok(());
    };
    services
        .db
        .append(move |conn| append_audit(conn, &[entry]))
        .await
}
