//! Registering a new case: the rows it writes (the case, its parts, the idempotency record, the
//! running counts, the audit row, the "received" journal event and the receipt) and its gap-free
//! reference, for a batch of registrations in one transaction with one statement per table
//! (`register_all`; see `cases::registrar` for how the batches are formed).

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::intake::{NewCase, SubjectIdentity};
use super::store::{find_case, CaseRecord, CaseRow, NewEvent, PartRow};
use super::stored::{StoredRepresentative, StoredSubject};
use crate::audit::{self, AuditAction, AuditEntry};
use crate::db::schema::{case_events, case_parts, cases, controllers, idempotency_keys, outbox};
use crate::db::{
    format_reference, take_numbers, BlindIndex, DbConnection, JsonText, SealedJson, SealedText,
};
use crate::domain::case::{CaseStatus, IdentityStatus, PartStatus};
use crate::error::{AppError, AppResult, FieldError};
use crate::notify::outbox::{self as outbox_queue, NewMessage, Template};
use crate::print_queue::store::LetterRow;
use crate::print_queue::{LetterStatus, NewLetter};
use crate::stats::counts;

/// Who is creating the case, for the rows that record it.
#[derive(Debug, Clone)]
pub struct Creator {
    pub sub: String,
    pub roles: String,
    /// The municipality's name, for the receipt.
    pub organisation: String,
    /// For the audit row of the creation.
    pub request_id: Option<String>,
}

#[derive(Debug, Clone)]
pub struct IdempotencyKey {
    pub key: String,
    /// The keyed hash of the request's canonical body.
    pub request_hash: BlindIndex,
}

/// A validated request to register, with everything its transaction needs.
#[derive(Debug, Clone)]
pub struct Registration {
    pub new: NewCase,
    pub id: String,
    pub creator: Creator,
    pub now: NaiveDateTime,
    /// The year whose numbers the reference takes (the Stockholm year of registration).
    pub registration_year: i32,
    pub idempotency: Option<IdempotencyKey>,
}

/// The audit action and the case: `case.create`, or `case.create_replayed` when the same
/// Idempotency-Key and body were seen before and the case of that request is returned.
pub type Registered = (AuditAction, CaseRecord);

/// What becomes of one registration of a batch.
enum Plan {
    /// A new case.
    New,
    /// The case an earlier, committed request with the same key and body created.
    ReplayOfEarlier(String),
    /// The case a registration earlier in this batch (its index) creates, same key and body.
    ReplayInBatch(usize),
    Refused(AppError),
}

/// Registers `registrations` in the caller's transaction, with one statement per table for the
/// whole batch, and answers each one: its new case, the case an earlier request with the same
/// Idempotency-Key and body created, or the error that refuses it (the key used before with
/// another body, a controller that does not exist). Both backends register this way, SQLite
/// a batch of one per request (its writer shares the commit), PostgreSQL the requests that
/// arrived together. An `Err` (a statement failed) fails the whole batch.
pub fn register_all(
    conn: &mut DbConnection,
    registrations: &[&Registration],
) -> AppResult<Vec<AppResult<Registered>>> {
    let plans = plan(conn, registrations)?;
    let new: Vec<&Registration> = registrations
        .iter()
        .zip(&plans)
        .filter(|(_, plan)| matches!(plan, Plan::New))
        .map(|(r, _)| *r)
        .collect();
    let mut created = write_new(conn, &new)?.into_iter();

    let mut answers: Vec<Option<AppResult<Registered>>> = Vec::with_capacity(plans.len());
    let mut replays = Vec::new();
    for (registration, plan) in registrations.iter().zip(plans) {
        answers.push(Some(match plan {
            Plan::New => Ok((
                AuditAction::Create,
                created.next().expect("a record for every new registration"),
            )),
            Plan::Refused(error) => Err(error),
            Plan::ReplayOfEarlier(case_id) => {
                replays.push(replayed_audit(registration));
                Ok((
                    AuditAction::CreateReplayed,
                    find_case(conn, &case_id)?.ok_or(AppError::NotFound)?,
                ))
            }
            Plan::ReplayInBatch(first) => {
                replays.push(replayed_audit(registration));
                let record = match &answers[first] {
                    Some(Ok((_, record))) => record.clone(),
                    _ => unreachable!("a replay in the batch follows the registration it repeats"),
                };
                Ok((AuditAction::CreateReplayed, record))
            }
        }));
    }
    audit::store::append(conn, &replays)?;
    Ok(answers.into_iter().flatten().collect())
}

/// Sorts the batch with two queries: the keys seen before, and the controllers that exist.
fn plan(conn: &mut DbConnection, registrations: &[&Registration]) -> AppResult<Vec<Plan>> {
    let earlier = earlier_requests(conn, registrations)?;
    let unknown = unknown_controllers(conn, registrations)?;
    let mut in_batch: HashMap<(&str, &str), (&BlindIndex, usize)> = HashMap::new();
    let mut plans = Vec::with_capacity(registrations.len());
    for (i, (registration, unknown)) in registrations.iter().zip(unknown).enumerate() {
        let key = registration
            .idempotency
            .as_ref()
            .map(|k| (registration.creator.sub.as_str(), k));
        // The key seen before: in a committed request, or earlier in this batch.
        let seen = key.and_then(|(actor, k)| {
            earlier
                .get(&(actor.to_owned(), k.key.clone()))
                .map(|(hash, case_id)| (hash, Plan::ReplayOfEarlier(case_id.clone())))
                .or_else(|| {
                    in_batch
                        .get(&(actor, k.key.as_str()))
                        .map(|&(hash, first)| (hash, Plan::ReplayInBatch(first)))
                })
                .map(|(hash, replay)| match *hash == k.request_hash {
                    true => replay,
                    false => Plan::Refused(key_reused()),
                })
        });
        plans.push(match (seen, unknown) {
            (Some(plan), _) => plan,
            (None, Some(error)) => Plan::Refused(error),
            (None, None) => {
                if let Some((actor, k)) = key {
                    in_batch.insert((actor, k.key.as_str()), (&k.request_hash, i));
                }
                Plan::New
            }
        });
    }
    Ok(plans)
}

fn key_reused() -> AppError {
    AppError::validation(
        "Idempotency-Key",
        "idempotency_key_reused",
        "This Idempotency-Key was used before with a different body.",
    )
}

/// The request hash and case of every key of the batch seen in an earlier, committed request.
fn earlier_requests(
    conn: &mut DbConnection,
    registrations: &[&Registration],
) -> AppResult<HashMap<(String, String), (BlindIndex, String)>> {
    let actors: Vec<&str> = registrations
        .iter()
        .filter(|r| r.idempotency.is_some())
        .map(|r| r.creator.sub.as_str())
        .collect();
    let keys: Vec<&str> = registrations
        .iter()
        .filter_map(|r| r.idempotency.as_ref().map(|k| k.key.as_str()))
        .collect();
    if keys.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(String, String, BlindIndex, String)> = idempotency_keys::table
        .filter(idempotency_keys::actor.eq_any(&actors))
        .filter(idempotency_keys::key.eq_any(&keys))
        .select((
            idempotency_keys::actor,
            idempotency_keys::key,
            idempotency_keys::request_hash,
            idempotency_keys::case_id,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(actor, key, hash, case_id)| ((actor, key), (hash, case_id)))
        .collect())
}

/// Writes the new cases with one statement per table: their numbers are taken first, one
/// statement per year, and stay locked until the commit.
fn write_new(
    conn: &mut DbConnection,
    registrations: &[&Registration],
) -> AppResult<Vec<CaseRecord>> {
    if registrations.is_empty() {
        return Ok(Vec::new());
    }
    let mut per_year: BTreeMap<i32, i64> = BTreeMap::new();
    for registration in registrations {
        *per_year.entry(registration.registration_year).or_default() += 1;
    }
    let mut next_number = BTreeMap::new();
    for (year, count) in per_year {
        next_number.insert(year, take_numbers(conn, year, count)?);
    }

    let mut drafts = Vec::with_capacity(registrations.len());
    for registration in registrations {
        let year = registration.registration_year;
        let number = next_number
            .get_mut(&year)
            .expect("a number was taken for every year");
        drafts.push(Draft::new(registration, format_reference(year, *number))?);
        *number += 1;
    }
    let rows: Vec<&CaseRow> = drafts.iter().map(|d| &d.row).collect();
    let parts: Vec<&PartRow> = drafts.iter().flat_map(|d| &d.parts).collect();
    let keys: Vec<_> = registrations
        .iter()
        .filter_map(|r| r.idempotency.as_ref().map(|key| idempotency_row(r, key)))
        .collect();
    let audit_rows: Vec<AuditEntry> = registrations.iter().map(|r| creation_audit(r)).collect();
    let events: Vec<NewEvent> = drafts.iter().map(Draft::received_event).collect();
    let receipts = drafts
        .iter()
        .filter_map(|d| {
            d.receipt().map(|message| {
                outbox_queue::new_row(Some(&d.registration.id), &message, d.registration.now)
            })
        })
        .collect::<Vec<_>>();
    let letters: Vec<LetterRow> = drafts
        .iter()
        .map(|d| LetterRow::new(&d.registration.id, &d.receipt_letter(), d.registration.now))
        .collect();
    let contributions: Vec<_> = drafts
        .iter()
        .flat_map(|d| counts::contributions(&d.row, &d.parts))
        .collect();

    // Multi-row inserts are a method of each backend's own connection.
    crate::on_native_connection!(conn, |c| {
        diesel::insert_into(cases::table).values(rows).execute(c)?;
        if !parts.is_empty() {
            diesel::insert_into(case_parts::table)
                .values(parts)
                .execute(c)?;
        }
        if !keys.is_empty() {
            diesel::insert_into(idempotency_keys::table)
                .values(keys)
                .execute(c)?;
        }
        diesel::insert_into(crate::db::schema::audit_log::table)
            .values(audit_rows)
            .execute(c)?;
        diesel::insert_into(crate::db::schema::letters::table)
            .values(letters)
            .execute(c)?;
        diesel::insert_into(case_events::table)
            .values(events)
            .execute(c)?;
        if !receipts.is_empty() {
            diesel::insert_into(outbox::table)
                .values(receipts)
                .execute(c)?;
        }
    });
    counts::record_change(conn, &[], &contributions)?;
    Ok(drafts.into_iter().map(Draft::into_record).collect())
}

/// Per registration, the validation error for the controllers it names that do not exist.
fn unknown_controllers(
    conn: &mut DbConnection,
    registrations: &[&Registration],
) -> AppResult<Vec<Option<AppError>>> {
    let wanted: Vec<&str> = registrations
        .iter()
        .flat_map(|r| r.new.controllers.iter().map(|c| c.as_str()))
        .collect();
    let known: Vec<String> = if wanted.is_empty() {
        Vec::new()
    } else {
        controllers::table
            .filter(controllers::id.eq_any(&wanted))
            .select(controllers::id)
            .load(conn)?
    };
    Ok(registrations
        .iter()
        .map(|registration| {
            let errors: Vec<FieldError> = registration
                .new
                .controllers
                .iter()
                .enumerate()
                .filter(|(_, id)| !known.iter().any(|k| k == id.as_str()))
                .map(|(i, id)| {
                    FieldError::new(
                        format!("controllers[{i}]"),
                        "unknown_controller",
                        format!("There is no controller `{}`.", id.as_str()),
                    )
                })
                .collect();
            (!errors.is_empty()).then_some(AppError::Validation(errors))
        })
        .collect())
}

#[derive(Insertable)]
#[diesel(table_name = idempotency_keys)]
struct IdempotencyRow<'a> {
    actor: &'a str,
    key: &'a str,
    request_hash: &'a BlindIndex,
    case_id: &'a str,
    created_at: NaiveDateTime,
}

fn idempotency_row<'a>(
    registration: &'a Registration,
    idempotency: &'a IdempotencyKey,
) -> IdempotencyRow<'a> {
    IdempotencyRow {
        actor: &registration.creator.sub,
        key: &idempotency.key,
        request_hash: &idempotency.request_hash,
        case_id: &registration.id,
        created_at: registration.now,
    }
}

fn replayed_audit(registration: &Registration) -> AuditEntry {
    AuditEntry {
        action: AuditAction::CreateReplayed,
        ..creation_audit(registration)
    }
}

fn creation_audit(registration: &Registration) -> AuditEntry {
    AuditEntry {
        at: registration.now,
        actor: registration.creator.sub.clone(),
        roles: registration.creator.roles.clone(),
        action: AuditAction::Create,
        case_id: Some(registration.id.clone()),
        request_id: registration.creator.request_id.clone(),
        case_ids: None,
        detail: None,
    }
}

/// The rows of one new case, built before they are written.
struct Draft<'a> {
    registration: &'a Registration,
    row: CaseRow,
    parts: Vec<PartRow>,
}

impl<'a> Draft<'a> {
    fn new(registration: &'a Registration, reference: String) -> AppResult<Self> {
        let (new, id, now) = (&registration.new, &registration.id, registration.now);
        let row = CaseRow {
            id: id.clone(),
            reference,
            kind: new.kind,
            channel: new.channel,
            status: CaseStatus::Received,
            received_at: new.received_at.naive_utc(),
            received_date: new.received_date,
            deadline: new.deadline,
            extended_deadline: None,
            effective_deadline: new.deadline,
            subject_personnummer: BlindIndex::of(&new.subject_identity.search_key())?,
            subject: SealedJson(StoredSubject::from(&new.subject)),
            representative_personnummer: new
                .representative
                .as_ref()
                .map(|r| BlindIndex::of(&r.personnummer))
                .transpose()?,
            representative: new
                .representative
                .as_ref()
                .map(|r| SealedJson(StoredRepresentative::from(r))),
            identity_status: match new.identity {
                Some(_) => IdentityStatus::Verified,
                None => IdentityStatus::Unverified,
            },
            identity_method: new.identity.as_ref().map(|i| i.method),
            identity_assurance: new.identity.as_ref().and_then(|i| i.assurance.clone()),
            identity_verified_at: new.identity.as_ref().map(|i| i.verified_at.naive_utc()),
            identity_verified_by: new.identity.as_ref().map(|i| i.verified_by.clone()),
            subject_categories: JsonText(new.subject_categories.clone()),
            description: new.description.clone().map(SealedText),
            created_by: registration.creator.sub.clone(),
            version: 1,
            created_at: now,
            updated_at: now,
            representative_verified_at: new
                .representative
                .as_ref()
                .and_then(|r| r.verified_at)
                .map(|at| at.naive_utc()),
            representative_verified_by: new
                .representative
                .as_ref()
                .filter(|r| r.verified_at.is_some())
                .map(|_| registration.creator.sub.clone()),
            representative_identity_method: new
                .representative
                .as_ref()
                .and_then(|r| r.identity_method),
            identity_waits: JsonText(Vec::new()),
            extension_reason: None,
            extended_at: None,
            extended_by: None,
            extension_notice_id: None,
            decided_at: None,
            decided_on_time: None,
            delivery_method: None,
            delivered_at: None,
            closed_at: None,
            withdrawn_at: None,
            adjusted_deadline: new.deadline,
            days_to_decision: None,
            received_month: new.received_date.format("%Y-%m").to_string(),
            reduced_at: None,
            details_purged_at: None,
            protected_identity: new.protected_identity,
            diarienummer: new.diarienummer.clone(),
            direct_marketing: new.direct_marketing,
        };
        let parts = new
            .controllers
            .iter()
            .map(|controller| PartRow {
                case_id: id.clone(),
                controller_id: controller.as_str().to_owned(),
                status: PartStatus::Open,
                handler: None,
                created_at: now,
                updated_at: now,
                handler_name: None,
            })
            .collect();
        Ok(Self {
            registration,
            row,
            parts,
        })
    }

    /// Where the receipt goes: the representative's e-mail when there is a representative,
    /// else the subject's; none means a letter.
    fn receipt_to(&self) -> Option<(&String, &String)> {
        let new = &self.registration.new;
        match &new.representative {
            Some(rep) => rep.email.as_ref().map(|email| (email, &rep.name)),
            None => new
                .subject
                .email
                .as_ref()
                .map(|email| (email, &new.subject.name)),
        }
    }

    fn received_event(&self) -> NewEvent<'_> {
        let (new, creator) = (&self.registration.new, &self.registration.creator);
        let mut data = serde_json::json!({
            "reference": self.row.reference,
            "kind": new.kind,
            "channel": new.channel,
            "received_date": new.received_date,
            "deadline": new.deadline,
            "controllers": new.controllers.iter().map(|c| c.as_str()).collect::<Vec<_>>(),
            "identity_verified": new.identity.is_some(),
            "protected_identity": new.protected_identity,
            "subject_identified_by": match new.subject_identity {
                SubjectIdentity::Number(_) => "personnummer",
                SubjectIdentity::Other(_) => "other_identity",
            },
            "receipt": if self.receipt_to().is_some() { "email" } else { "letter" },
        });
        if let Some(evidence) = &new.identity_evidence {
            data["identity_assertion"] = evidence.clone();
        }
        NewEvent {
            case_id: &self.registration.id,
            at: self.registration.now,
            actor: &creator.sub,
            roles: &creator.roles,
            event: "received",
            data: SealedJson(data),
        }
    }

    /// The receipt as a letter: the document of record when the e-mail carries it, in the
    /// print queue when there is no e-mail or the identity is protected.
    fn receipt_letter(&self) -> NewLetter {
        let new = &self.registration.new;
        fn lines(a: &crate::cases::dto::Address) -> (&str, &str, &str) {
            (a.street.as_str(), a.postal_code.as_str(), a.city.as_str())
        }
        let representative = new
            .representative
            .as_ref()
            .map(|r| (r.name.as_str(), r.address.as_ref().map(lines)));
        let name = representative
            .map_or(new.subject.name.as_str(), |(n, _)| n)
            .to_owned();
        let recipient = crate::print_queue::recipient_lines(
            &new.subject.name,
            new.subject.address.as_ref().map(lines),
            representative,
            new.protected_identity,
        );
        let emailed = self.receipt_to().is_some() && !new.protected_identity;
        NewLetter {
            template: Template::Receipt,
            controller: None,
            recipient,
            params: serde_json::json!({
                "reference": self.row.reference,
                "kind_sv": new.kind.swedish_label(),
                "request_sv": new.kind.request_sv(),
                "received_date": new.received_date,
                "deadline": new.deadline,
                "recipient_name": name,
                "organisation": self.registration.creator.organisation,
            }),
            status: if emailed {
                LetterStatus::Emailed
            } else {
                LetterStatus::ToPrint
            },
        }
    }

    fn receipt(&self) -> Option<NewMessage> {
        let new = &self.registration.new;
        if new.protected_identity {
            // Nothing but the reference goes by e-mail to a person with protected identity.
            return self.receipt_to().map(|(email, _)| NewMessage {
                template: Template::CaseNews,
                recipient: email.clone(),
                params: serde_json::json!({ "reference": self.row.reference }),
            });
        }
        self.receipt_to().map(|(email, name)| NewMessage {
            template: Template::Receipt,
            recipient: email.clone(),
            params: serde_json::json!({
                "reference": self.row.reference,
                "kind_sv": new.kind.swedish_label(),
                "request_sv": new.kind.request_sv(),
                "received_date": new.received_date,
                "deadline": new.deadline,
                "recipient_name": name,
                "organisation": self.registration.creator.organisation,
            }),
        })
    }

    fn into_record(self) -> CaseRecord {
        CaseRecord {
            case: self.row,
            parts: self.parts,
            decisions: Vec::new(),
            extension_notice_sent_at: None,
            sealed_parts: Vec::new(),
            sealed_decisions: Vec::new(),
            contact_sealed: false,
        }
    }
}
