//! Writing a case change: the case row (only if nobody changed it since it was loaded), new
//! parts, the decision, queued messages, journal events and the audit row, in one transaction.

use diesel::prelude::*;

use super::work::Work;
use crate::audit::{self, AuditEntry};
use crate::cases::store::{NewEvent, PartRow};
use crate::db::schema::{case_events, case_parts, cases, controllers, decisions};
use crate::db::{DbConnection, SealedJson};
use crate::error::{AppError, AppResult, ConflictCode};
use crate::notify::outbox;

pub struct Actor<'a> {
    pub sub: &'a str,
    pub roles: &'a str,
    pub request_id: Option<String>,
}

pub fn controller_name(conn: &mut DbConnection, id: &str) -> AppResult<Option<String>> {
    Ok(controllers::table
        .find(id)
        .select(controllers::name)
        .first(conn)
        .optional()?)
}

pub fn save(
    conn: &mut DbConnection,
    work: &mut Work,
    actor: &Actor<'_>,
    action: crate::audit::AuditAction,
) -> AppResult<()> {
    let now = work.finish();
    let case_id = work.record.case.id.clone();

    for (i, message) in work.messages.iter().enumerate() {
        let id = outbox::enqueue(conn, Some(&case_id), message, now)?;
        if work.extension_notice == Some(i) {
            work.record.case.extension_notice_id = Some(id);
        }
    }

    let updated = diesel::update(
        cases::table
            .filter(cases::id.eq(&case_id))
            .filter(cases::version.eq(work.version_loaded())),
    )
    .set(&work.record.case)
    .execute(conn)?;
    if updated == 0 {
        return Err(AppError::Conflict {
            code: ConflictCode::ConcurrentModification,
            detail: "Someone else changed the case at the same time; load it again and retry."
                .into(),
        });
    }

    let new_parts: Vec<&PartRow> = work.new_parts.iter().collect();
    for part in &work.record.parts {
        if new_parts
            .iter()
            .any(|p| p.controller_id == part.controller_id)
        {
            diesel::insert_into(case_parts::table)
                .values(part)
                .execute(conn)?;
        } else {
            diesel::update(
                case_parts::table
                    .filter(case_parts::case_id.eq(&part.case_id))
                    .filter(case_parts::controller_id.eq(&part.controller_id)),
            )
            .set(part)
            .execute(conn)?;
        }
    }
    crate::stats::counts::record_change(
        conn,
        work.counted_before(),
        &crate::stats::counts::contributions(&work.record.case, &work.record.parts),
    )?;
    if let Some(decision) = &work.new_decision {
        // An omprövning replaces the part's decision (the old one is kept apart, see
        // `appeals::actions::Reconsider`); otherwise there is none to replace.
        diesel::delete(
            decisions::table
                .filter(decisions::case_id.eq(&decision.case_id))
                .filter(decisions::controller_id.eq(&decision.controller_id)),
        )
        .execute(conn)?;
        diesel::insert_into(decisions::table)
            .values(decision)
            .execute(conn)?;
    }
    let letters: Vec<crate::print_queue::store::LetterRow> = work
        .letters
        .iter()
        .map(|letter| crate::print_queue::store::LetterRow::new(&case_id, letter, now))
        .collect();
    crate::print_queue::store::insert_all(conn, &letters)?;
    for event in &work.events {
        diesel::insert_into(case_events::table)
            .values(NewEvent {
                case_id: &case_id,
                at: now,
                actor: actor.sub,
                roles: actor.roles,
                event: event.name,
                data: SealedJson(event.data.clone()),
            })
            .execute(conn)?;
    }
    audit::store::append(
        conn,
        &[AuditEntry {
            at: now,
            actor: actor.sub.to_owned(),
            roles: actor.roles.to_owned(),
            action,
            case_id: Some(case_id),
            request_id: actor.request_id.clone(),
            case_ids: None,
            detail: None,
        }],
    )
}
