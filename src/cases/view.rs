//! Builds the `Case` response from stored rows, today's date and the deadline policy.

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};

use super::dto::{
    CaseResponse, CaseStatusView, Decision, DecisionMaker, Delivery, Extension, Identity, Part,
    PartStatusView, Representative, Subject,
};
use super::store::{CaseRecord, CaseRow, DecisionRow};
use super::stored::waits_of;
use crate::db::SealedText;
use crate::deadlines::{CaseDeadlines, DeadlinePolicy};
use crate::domain::pause::{DeadlineInForce, IdentityWait};

pub fn utc(at: NaiveDateTime) -> DateTime<Utc> {
    Utc.from_utc_datetime(&at)
}

/// What a case response depends on besides the stored rows.
#[derive(Debug, Clone, Copy)]
pub struct ViewContext {
    pub today: NaiveDate,
    pub policy: DeadlinePolicy,
}

pub fn identity_waits(case: &CaseRow) -> Vec<IdentityWait> {
    waits_of(&case.identity_waits)
}

pub fn representative(case: &CaseRow) -> Option<Representative> {
    case.representative
        .as_ref()
        .map(|r| Representative::from(r.0.clone()))
}

pub fn subject(case: &CaseRow) -> Subject {
    Subject::from(case.subject.0.clone())
}

/// The deadline in force as stored, with its raw date (what a pause is added to).
pub fn deadline_in_force(case: &CaseRow) -> DeadlineInForce {
    DeadlineInForce::with_raw(
        case.received_date,
        case.extended_deadline.is_some(),
        case.effective_deadline,
    )
}

pub fn deadlines_of(record: &CaseRecord, context: &ViewContext) -> CaseDeadlines {
    CaseDeadlines::of(
        deadline_in_force(&record.case),
        &identity_waits(&record.case),
        context.today,
        &context.policy,
    )
}

fn decision(row: &DecisionRow) -> Decision {
    Decision {
        outcome: row.outcome,
        reasons: row.reasons.clone().map(SealedText::into_inner),
        recipients_notified: row.recipients_notified.0.clone(),
        recipients_not_notified_reason: row
            .recipients_not_notified_reason
            .clone()
            .map(SealedText::into_inner),
        text_sv: row.text_sv.to_string(),
        decided_at: utc(row.decided_at),
        decided_by: row.decided_by.clone(),
        // Codes are checked against the catalogue when the decision is made.
        legal_grounds: row
            .legal_grounds
            .0
            .iter()
            .filter_map(|code| crate::domain::legal_grounds::find(code).copied())
            .collect(),
        decision_maker: DecisionMaker {
            name: row.decision_maker_name.clone(),
            title: row.decision_maker_title.clone(),
            delegation: row.delegation.clone(),
        },
        fee_sek: row.fee_sek,
        forwarded_to: row.forwarded_to.clone(),
        forwarded_on: row.forwarded_on,
        not_applicable_because: row.not_applicable_because,
    }
}

pub fn case_response(record: CaseRecord, context: &ViewContext) -> CaseResponse {
    let deadlines = deadlines_of(&record, context);
    let subject = subject(&record.case);
    let representative = representative(&record.case);
    let waits = identity_waits(&record.case);
    let CaseRecord {
        case,
        parts,
        decisions,
        extension_notice_sent_at,
        sealed_parts,
        sealed_decisions,
        contact_sealed,
    } = record;
    let status = case.status;
    let open = status.is_open();
    let parts = parts
        .into_iter()
        .map(|p| {
            let decision = decisions
                .iter()
                .find(|d| d.controller_id == p.controller_id)
                .map(decision);
            let decided_at = decision.as_ref().map(|d| d.decided_at).or_else(|| {
                sealed_decisions
                    .iter()
                    .find(|(c, _)| *c == p.controller_id)
                    .map(|(_, at)| utc(*at))
            });
            Part {
                status: p.status,
                restricted: sealed_parts.contains(&p.controller_id),
                controller: p.controller_id,
                handler: p.handler,
                handler_name: p.handler_name,
                decision,
                decided_at,
            }
        })
        .collect();
    let extension = match (&case.extension_reason, case.extended_at, &case.extended_by) {
        (Some(reason), Some(at), Some(by)) => Some(Extension {
            reason: reason.to_string(),
            decided_at: utc(at),
            decided_by: by.clone(),
            notice_sent_at: extension_notice_sent_at.map(utc),
        }),
        _ => None,
    };
    let delivery = match (case.delivery_method, case.delivered_at) {
        (Some(method), Some(at)) => Some(Delivery {
            method,
            delivered_at: utc(at),
        }),
        _ => None,
    };
    CaseResponse {
        kind: case.kind,
        channel: case.channel,
        status,
        received_at: utc(case.received_at),
        received_date: case.received_date,
        deadline: case.deadline,
        extended_deadline: case.extended_deadline,
        adjusted_deadline: deadlines.adjusted,
        days_left: open.then(|| (deadlines.governing() - context.today).num_days()),
        overdue: deadlines.overdue(open, context.today),
        identity: Identity {
            status: case.identity_status,
            method: case.identity_method,
            assurance: case.identity_assurance,
            verified_at: case.identity_verified_at.map(utc),
            verified_by: case.identity_verified_by,
            waits,
        },
        subject,
        representative,
        parts,
        subject_categories: case.subject_categories.into_inner(),
        description: case.description.map(SealedText::into_inner),
        protected_identity: case.protected_identity,
        diarienummer: case.diarienummer.clone(),
        direct_marketing: case.direct_marketing,
        contact_restricted: contact_sealed,
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
    }
}

/// The e-tjänst's status view of a case: where it stands, nothing of what was found or why.
pub fn status_view(record: &CaseRecord) -> CaseStatusView {
    use crate::domain::case::IdentityStatus::AwaitingInformation;
    let case = &record.case;
    let decided_on = |controller: &str| {
        record
            .decisions
            .iter()
            .find(|d| d.controller_id == controller)
            .map(|d| d.decided_at)
            .or_else(|| {
                record
                    .sealed_decisions
                    .iter()
                    .find(|(c, _)| c == controller)
                    .map(|(_, at)| *at)
            })
            .map(|at| crate::clock::local_date(utc(at)))
    };
    CaseStatusView {
        reference: case.reference.clone(),
        kind: case.kind,
        status: case.status,
        received_date: case.received_date,
        deadline: case.deadline,
        extended_deadline: case.extended_deadline,
        extended: case.extended_deadline.is_some(),
        awaiting_identity_information: case.identity_status == AwaitingInformation
            || representative(case).is_some_and(|r| r.identity_status == AwaitingInformation),
        parts: record
            .parts
            .iter()
            .map(|p| PartStatusView {
                controller: p.controller_id.clone(),
                status: p.status,
                decided_date: decided_on(&p.controller_id),
            })
            .collect(),
    }
}
