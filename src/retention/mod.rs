//! Retention (gallring) of the service's own cases (domain.md §7), run daily and on demand,
//! with a dry run for any date. What is purged is gone for good (rows deleted; on SQLite with
//! `secure_delete` and a WAL checkpoint so the bytes are overwritten); what remains is an
//! anonymous statistics row per case and a purge log without personal data. A case with a
//! refusal keeps the decision with the identity needed to read it and loses everything else.

pub mod http;
pub mod store;

use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;

use crate::config::RetentionSettings;
use crate::domain::code::coded_enum;
use crate::domain::retention::{CountFrom, Keep, RetentionClass};
use crate::error::{AppError, AppResult};
use crate::services::Services;

/// The municipality's retention decision: per class, how long and from which event.
#[derive(Debug, Clone, Copy)]
pub struct RetentionPolicy {
    pub case_record: (Keep, CountFrom),
    pub extract: (Keep, CountFrom),
    pub request_details: (Keep, CountFrom),
    pub refusal_decision: (Keep, CountFrom),
    /// `None`: no gallringsbeslut covers them, so they are kept.
    pub granted_decision: Option<(Keep, CountFrom)>,
    pub recipient_log: Option<(Keep, CountFrom)>,
    pub journal: Option<(Keep, CountFrom)>,
}

impl RetentionPolicy {
    /// The settings are validated at start-up, so parsing cannot fail here.
    pub fn from_settings(settings: &RetentionSettings) -> Self {
        let parse = |c: &crate::config::RetentionClassSettings| {
            (
                Keep::parse(&c.keep).expect("validated retention keep"),
                CountFrom::parse(&c.from).expect("validated retention from"),
            )
        };
        RetentionPolicy {
            case_record: parse(&settings.case_record),
            extract: parse(&settings.extract),
            request_details: parse(&settings.request_details),
            refusal_decision: parse(&settings.refusal_decision),
            granted_decision: settings.granted_decision.as_ref().map(parse),
            recipient_log: settings.recipient_log.as_ref().map(parse),
            journal: settings.journal.as_ref().map(parse),
        }
    }
}

coded_enum! {
    /// What happens to a case in a run.
    #[derive(Serialize, ToSchema)]
    #[serde(rename_all = "snake_case")]
    pub enum PurgeAction {
        /// The whole case is deleted.
        Deleted => "deleted",
        /// Reduced to what is still kept (decisions, the Art. 19 log, the journal) and the
        /// identity needed to read it.
        Reduced => "reduced",
        /// A reduced case's refusal decisions go (their class ended).
        RefusalsDeleted => "refusals_deleted",
        /// A reduced case's granted decisions go.
        GrantedDecisionsDeleted => "granted_decisions_deleted",
        /// A kept decision's Art. 19 log is cleared.
        RecipientLogCleared => "recipient_log_cleared",
        /// The case's journal goes.
        JournalDeleted => "journal_deleted",
        /// The request's details (what to correct, erase or object to; notes) are cleared.
        DetailsCleared => "details_cleared",
        /// The compiled extract is deleted.
        ExtractDeleted => "extract_deleted",
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PurgeItem {
    pub case_id: String,
    pub reference: String,
    /// The day the retention period counted from (closure, delivery, ...).
    pub counted_from: NaiveDate,
    pub action: PurgeAction,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ClassReport {
    pub class: RetentionClass,
    /// As set: `forever`, `1y`, `3m`, ...; `forever` when no gallringsbeslut covers the class.
    pub keep: String,
    /// The event counted from; `none` when no gallringsbeslut covers the class.
    pub from: String,
    /// Whether the municipality has set a period for this class. What no gallringsbeslut
    /// covers is kept (arkivlagen).
    pub covered: bool,
    pub count: usize,
    pub items: Vec<PurgeItem>,
}

coded_enum! {
    /// Why something of a case whose record period has ended stays.
    #[derive(Serialize, ToSchema)]
    #[serde(rename_all = "snake_case")]
    pub enum KeptBecause {
        /// Its own class has not ended yet (`until`, or never).
        Class => "class",
        /// No gallringsbeslut covers it: an allmän handling is kept (arkivlagen).
        NoGallringsbeslut => "no_gallringsbeslut",
        /// An appeal of a decision is pending, at the nämnd or at the court: the whole case
        /// is held.
        AppealPending => "appeal_pending",
    }
}

/// Something that stays of a case whose `case_record` period has ended, and why.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct KeptItem {
    pub case_id: String,
    pub reference: String,
    pub class: RetentionClass,
    pub because: KeptBecause,
    /// The first day it may go, when its class sets one.
    pub until: Option<NaiveDate>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RetentionReport {
    pub dry_run: bool,
    pub as_of: NaiveDate,
    pub classes: Vec<ClassReport>,
    /// What stays of the cases whose record period has ended, and why.
    pub kept: Vec<KeptItem>,
}

/// Plans (and unless `dry_run`, carries out) the purge as of `as_of`. A real run is always as
/// of today: nothing may be purged before its time.
pub async fn run(
    state: &Services,
    as_of: Option<NaiveDate>,
    dry_run: bool,
) -> AppResult<RetentionReport> {
    let today = state.clock.today();
    let as_of = as_of.unwrap_or(today);
    if !dry_run && as_of != today {
        return Err(AppError::validation(
            "as_of",
            "not_allowed",
            "A real run is always as of today; use dry_run to see what any other date would purge.",
        ));
    }
    let policy = RetentionPolicy::from_settings(&state.settings.retention);
    let plan = state
        .db
        .read(move |conn| store::plan(conn, &policy, as_of))
        .await?;
    let report = RetentionReport {
        dry_run,
        as_of,
        classes: plan.reports(&state.settings.retention),
        kept: plan.kept().to_vec(),
    };
    if !dry_run {
        let now = state.clock.now().naive_utc();
        for chunk in plan.into_chunks(500) {
            state
                .db
                .write(move |conn| store::purge(conn, &chunk, now))
                .await?;
        }
        // Outside a transaction (a checkpoint cannot run inside one) and between the writer's
        // batches (so no write finds the WAL reset under it).
        state.db.maintenance(store::release_freed_space).await?;
        remove_message_files(state).await?;
        let total: usize = report.classes.iter().map(|c| c.count).sum();
        tracing::info!(as_of = %as_of, purged = total, "retention run");
    }
    Ok(report)
}

/// The file transport's copies of messages purged with their case (development only:
/// production sends over SMTP and keeps no copy).
async fn remove_message_files(state: &Services) -> AppResult<()> {
    if state.settings.email.transport != "file" {
        return Ok(());
    }
    let dir = std::path::PathBuf::from(&state.settings.email.file_dir);
    let listed = dir.clone();
    let files = actix_web::web::block(move || crate::notify::mailer::message_files(&listed))
        .await
        .map_err(AppError::internal)?
        .map_err(AppError::internal)?;
    let mut removed = 0;
    for chunk in files.chunks(500) {
        let ids = chunk.to_vec();
        let kept = state
            .db
            .read(move |conn| crate::notify::outbox::existing_ids(conn, &ids))
            .await?;
        for id in chunk.iter().filter(|id| !kept.contains(*id)) {
            removed += usize::from(crate::notify::mailer::remove_message_file(&dir, id));
        }
    }
    if removed > 0 {
        tracing::info!(removed, "message files of purged cases removed");
    }
    Ok(())
}

/// The daily run, once a day across instances.
pub async fn run_daily(state: &Services) -> AppResult<Option<RetentionReport>> {
    let today = state.clock.today();
    let now = state.clock.now().naive_utc();
    let first = state
        .db
        .write(move |conn| store::claim_day(conn, today, now))
        .await
        .or_else(|e| {
            if e.is_unique_violation() {
                Ok(false)
            } else {
                Err(e)
            }
        })?;
    if !first {
        return Ok(None);
    }
    run(state, None, false).await.map(Some)
}
