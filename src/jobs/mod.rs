//! Background jobs inside `serve` (off with `jobs.enabled = false`): the outbox sender, the
//! reminders and overdue alerts, the DPO's daily digest and the daily retention run. With several
//! instances on one PostgreSQL each job's effect happens once: the sender leases messages
//! (`FOR UPDATE SKIP LOCKED`), reminders and digests are guarded by primary keys, and retention
//! takes a lease.

use std::sync::Arc;
use std::time::Duration;

use actix_web::web;
use chrono::Timelike;

use crate::notify::alerts;
use crate::notify::mailer::Mailer;
use crate::notify::sender::Sender;
use crate::notify::templates::Templates;
use crate::services::Services;

/// Starts the jobs on the current Tokio runtime; they run until aborted or the process ends.
pub fn spawn(state: web::Data<Services>) -> anyhow::Result<Vec<tokio::task::AbortHandle>> {
    let sender = Sender {
        db: state.db.clone(),
        mailer: Mailer::from_settings(&state.settings.email)?,
        templates: Arc::new(Templates::new()),
        settings: state.settings.clone(),
        clock: state.clock.clone(),
    };
    let interval = Duration::from_millis(state.settings.jobs.sender_interval_ms.max(10));
    let sender_task = tokio::spawn(async move {
        loop {
            match sender.run_once().await {
                // A full batch: more may be waiting.
                Ok(n) if n > 0 => continue,
                Ok(_) => {}
                Err(e) => tracing::error!(error = %e, "outbox sender failed"),
            }
            tokio::time::sleep(interval).await;
        }
    });

    let alerts_state = state.clone();
    let alerts_interval = Duration::from_secs(state.settings.jobs.alerts_interval_seconds.max(1));
    let alerts_task = tokio::spawn(async move {
        loop {
            if let Err(e) = alerts::send_reminders_and_alerts(&alerts_state).await {
                tracing::error!(error = %e, "reminders and alerts failed");
            }
            let now = alerts_state
                .clock
                .now()
                .with_timezone(&chrono_tz::Europe::Stockholm);
            if now.hour() >= alerts_state.settings.jobs.digest_hour {
                if let Err(e) = alerts::send_daily_digest(&alerts_state, now.date_naive()).await {
                    tracing::error!(error = %e, "daily digest failed");
                }
            }
            if now.hour() >= alerts_state.settings.jobs.retention_hour {
                if let Err(e) = crate::retention::run_daily(&alerts_state).await {
                    tracing::error!(error = %e, "retention run failed");
                }
            }
            tokio::time::sleep(alerts_interval).await;
        }
    });
    Ok(vec![sender_task.abort_handle(), alerts_task.abort_handle()])
}
