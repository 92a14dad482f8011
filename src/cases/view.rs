//! Builds the `Case` response from stored rows and today's date.

use chrono::{NaiveDate, NaiveDateTime, TimeZone, Utc};

use super::dto::{CaseResponse, Identity, Part, Representative, Subject};
use super::store::CaseRecord;
use crate::domain::case::{CaseKind, CaseStatus, Channel, IdentityMethod, IdentityStatus, PartStatus};
use crate::error::{AppError, AppResult};

fn utc(at: NaiveDateTime) -> chrono::DateTime<Utc> {
    Utc.from_utc_datetime(&at)
}

fn corrupt(what: &str) -> AppError {
    AppError::internal(anyhow::anyhow!("stored case has an invalid {what}"))
}

pub fn case_response(record: CaseRecord, today: NaiveDate) -> AppResult<CaseResponse> {
    let CaseRecord { case, parts } = record;
    let status = CaseStatus::parse(&case.status).ok_or_else(|| corrupt("status"))?;
    let open = status.is_open();
    let subject: Subject = serde_json::from_str(&case.subject).map_err(|_| corrupt("subject"))?;
    let representative: Option<Representative> = case
        .representative
        .as_deref()
        .map(serde_json::from_str)
        .transpose()
        .map_err(|_| corrupt("representative"))?;
    let parts = parts
        .into_iter()
        .map(|p| {
            Ok(Part {
                status: PartStatus::parse(&p.status).ok_or_else(|| corrupt("part status"))?,
                controller: p.controller_id,
                handler: p.handler,
                decision: None,
            })
        })
        .collect::<AppResult<Vec<_>>>()?;
    Ok(CaseResponse {
        kind: CaseKind::parse(&case.kind).ok_or_else(|| corrupt("kind"))?,
        channel: Channel::parse(&case.channel).ok_or_else(|| corrupt("channel"))?,
        status,
        received_at: utc(case.received_at),
        received_date: case.received_date,
        deadline: case.deadline,
        extended_deadline: case.extended_deadline,
        adjusted_deadline: None,
        days_left: open.then(|| (case.effective_deadline - today).num_days()),
        overdue: open && today > case.effective_deadline,
        identity: Identity {
            status: IdentityStatus::parse(&case.identity_status).ok_or_else(|| corrupt("identity status"))?,
            method: case.identity_method.as_deref().and_then(IdentityMethod::parse),
            assurance: case.identity_assurance,
            verified_at: case.identity_verified_at.map(utc),
        },
        subject,
        representative,
        parts,
        subject_categories: serde_json::from_str(&case.subject_categories).map_err(|_| corrupt("categories"))?,
        description: case.description,
        created_at: utc(case.created_at),
        updated_at: utc(case.updated_at),
        id: case.id,
        reference: case.reference,
    })
}
