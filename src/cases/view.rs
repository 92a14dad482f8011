//! Builds the `Case` response from stored rows, today's date and the deadline policy.

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};

use super::dto::{
    CaseResponse, Decision, Delivery, Extension, Identity, Part, Representative, Subject,
};
use super::store::{CaseRecord, DecisionRow};
use crate::deadlines::{CaseDeadlines, DeadlinePolicy};
use crate::domain::case::{
    CaseKind, CaseStatus, Channel, DeliveryMethod, IdentityMethod, IdentityStatus, PartStatus,
};
use crate::domain::decision::Outcome;
use crate::domain::pause::IdentityWait;
use crate::error::{AppError, AppResult};

pub fn utc(at: NaiveDateTime) -> DateTime<Utc> {
    Utc.from_utc_datetime(&at)
}

fn corrupt(what: &str) -> AppError {
    AppError::internal(anyhow::anyhow!("stored case has an invalid {what}"))
}

/// What a case response depends on besides the stored rows.
#[derive(Debug, Clone, Copy)]
pub struct ViewContext {
    pub today: NaiveDate,
    pub policy: DeadlinePolicy,
}

pub fn identity_waits(stored: &str) -> AppResult<Vec<IdentityWait>> {
    serde_json::from_str(stored).map_err(|_| corrupt("identity waits"))
}

pub fn representative(stored: Option<&str>) -> AppResult<Option<Representative>> {
    stored
        .map(serde_json::from_str)
        .transpose()
        .map_err(|_| corrupt("representative"))
}

pub fn deadlines_of(record: &CaseRecord, context: &ViewContext) -> AppResult<CaseDeadlines> {
    Ok(CaseDeadlines::of(
        record.case.effective_deadline,
        &identity_waits(&record.case.identity_waits)?,
        context.today,
        &context.policy,
    ))
}

fn decision(row: &DecisionRow) -> AppResult<Decision> {
    Ok(Decision {
        outcome: Outcome::parse(&row.outcome).ok_or_else(|| corrupt("decision outcome"))?,
        reasons: row.reasons.clone(),
        recipients_notified: serde_json::from_str(&row.recipients_notified)
            .map_err(|_| corrupt("recipients"))?,
        recipients_not_notified_reason: row.recipients_not_notified_reason.clone(),
        text_sv: row.text_sv.clone(),
        decided_at: utc(row.decided_at),
        decided_by: row.decided_by.clone(),
    })
}

pub fn case_response(record: CaseRecord, context: &ViewContext) -> AppResult<CaseResponse> {
    let deadlines = deadlines_of(&record, context)?;
    let CaseRecord {
        case,
        parts,
        decisions,
        extension_notice_sent_at,
    } = record;
    let status = CaseStatus::parse(&case.status).ok_or_else(|| corrupt("status"))?;
    let open = status.is_open();
    let subject: Subject = serde_json::from_str(&case.subject).map_err(|_| corrupt("subject"))?;
    let parts = parts
        .into_iter()
        .map(|p| {
            let decision = decisions
                .iter()
                .find(|d| d.controller_id == p.controller_id)
                .map(decision)
                .transpose()?;
            Ok(Part {
                status: PartStatus::parse(&p.status).ok_or_else(|| corrupt("part status"))?,
                controller: p.controller_id,
                handler: p.handler,
                decision,
            })
        })
        .collect::<AppResult<Vec<_>>>()?;
    let extension = match (&case.extension_reason, case.extended_at, &case.extended_by) {
        (Some(reason), Some(at), Some(by)) => Some(Extension {
            reason: reason.clone(),
            decided_at: utc(at),
            decided_by: by.clone(),
            notice_sent_at: extension_notice_sent_at.map(utc),
        }),
        _ => None,
    };
    let delivery = match (&case.delivery_method, case.delivered_at) {
        (Some(method), Some(at)) => Some(Delivery {
            method: DeliveryMethod::parse(method).ok_or_else(|| corrupt("delivery method"))?,
            delivered_at: utc(at),
        }),
        _ => None,
    };
    Ok(CaseResponse {
        kind: CaseKind::parse(&case.kind).ok_or_else(|| corrupt("kind"))?,
        channel: Channel::parse(&case.channel).ok_or_else(|| corrupt("channel"))?,
        status,
        received_at: utc(case.received_at),
        received_date: case.received_date,
        deadline: case.deadline,
        extended_deadline: case.extended_deadline,
        adjusted_deadline: deadlines.adjusted,
        days_left: open.then(|| (deadlines.governing() - context.today).num_days()),
        overdue: deadlines.overdue(open, context.today),
        identity: Identity {
            status: IdentityStatus::parse(&case.identity_status)
                .ok_or_else(|| corrupt("identity status"))?,
            method: case
                .identity_method
                .as_deref()
                .and_then(IdentityMethod::parse),
            assurance: case.identity_assurance,
            verified_at: case.identity_verified_at.map(utc),
            verified_by: case.identity_verified_by,
            waits: identity_waits(&case.identity_waits)?,
        },
        subject,
        representative: representative(case.representative.as_deref())?,
        parts,
        subject_categories: serde_json::from_str(&case.subject_categories)
            .map_err(|_| corrupt("categories"))?,
        description: case.description,
        extension,
        decided_at: case.decided_at.map(utc),
        delivery,
        closed_at: case.closed_at.map(utc),
        withdrawn_at: case.withdrawn_at.map(utc),
        version: case.version,
        created_at: utc(case.created_at),
        updated_at: utc(case.updated_at),
        id: case.id,
        reference: case.reference,
    })
}
