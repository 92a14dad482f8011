//! The sender: takes the messages that are due from the outbox, renders and delivers them, and
//! records the outcome. A restart resumes where it was: pending messages stay in the table, and
//! a lease that ran out (a crashed sender) makes a message due again. Failed attempts are retried
//! with exponential backoff and jitter; after `email.max_attempts` the message is `failed`.

use std::sync::Arc;

use chrono::{Duration, NaiveDateTime};
use futures_util::stream::{self, StreamExt};

use super::mailer::{build_message, Mailer};
use super::outbox::{self, OutboxRow};
use super::templates::Templates;
use crate::clock::SharedClock;
use crate::config::Settings;
use crate::db::Db;
use crate::error::AppResult;

const BATCH: i64 = 200;
const PARALLEL: usize = 16;
const LEASE_SECONDS: i64 = 120;

pub struct Sender {
    pub db: Db,
    pub mailer: Mailer,
    pub templates: Arc<Templates>,
    pub settings: Arc<Settings>,
    pub clock: SharedClock,
}

enum Outcome {
    Sent,
    Retry(String),
    /// Cannot ever succeed (a template or address error): no retries.
    Broken(String),
}

impl Sender {
    /// Sends one batch of due messages; returns how many were handled.
    pub async fn run_once(&self) -> AppResult<usize> {
        let now = self.clock.now().naive_utc();
        let lease_until = now + Duration::seconds(LEASE_SECONDS);
        let claimed = self
            .db
            .write(move |conn| outbox::claim_due(conn, now, lease_until, BATCH))
            .await?;
        if claimed.is_empty() {
            return Ok(0);
        }
        let results: Vec<(OutboxRow, Outcome)> = stream::iter(claimed)
            .map(|row| async move {
                let outcome = self.deliver(&row).await;
                (row, outcome)
            })
            .buffer_unordered(PARALLEL)
            .collect()
            .await;
        let handled = results.len();
        let done_at = self.clock.now().naive_utc();
        let max_attempts = self.settings.email.max_attempts;
        let base = self.settings.email.retry_base_seconds;
        for (row, outcome) in &results {
            match outcome {
                Outcome::Sent => {
                    tracing::info!(message_id = %row.id, template = row.template.as_str(), "message sent")
                }
                Outcome::Retry(e) | Outcome::Broken(e) => {
                    tracing::warn!(message_id = %row.id, template = row.template.as_str(), attempt = row.attempts + 1, error = %e, "message not sent")
                }
            }
        }
        self.db
            .write(move |conn| {
                for (row, outcome) in results {
                    match outcome {
                        Outcome::Sent => outbox::mark_sent(conn, &row.id, done_at)?,
                        Outcome::Broken(error) => {
                            outbox::mark_attempt_failed(conn, &row.id, &error, None)?
                        }
                        Outcome::Retry(error) => {
                            let retry_at = (row.attempts + 1 < max_attempts)
                                .then(|| retry_time(done_at, row.attempts, base, &row.id));
                            outbox::mark_attempt_failed(conn, &row.id, &error, retry_at)?
                        }
                    }
                }
                Ok(())
            })
            .await?;
        Ok(handled)
    }

    async fn deliver(&self, row: &OutboxRow) -> Outcome {
        let template = row.template;
        let rendered =
            match self
                .templates
                .render(template, &row.params, &self.settings.organisation)
            {
                Ok(rendered) => rendered,
                Err(e) => return Outcome::Broken(format!("template {}: {e}", template.as_str())),
            };
        let message = match build_message(
            &self.settings.email.from,
            &row.recipient,
            &row.id,
            &rendered,
        ) {
            Ok(message) => message,
            Err(e) => return Outcome::Broken(e),
        };
        match self.mailer.send(&row.id, message).await {
            Ok(()) => Outcome::Sent,
            Err(e) => Outcome::Retry(e),
        }
    }
}

/// `base * 2^attempts` seconds (at most an hour), plus up to 20 % jitter derived from the id, so
/// messages that failed together do not all retry in the same second.
pub fn retry_time(now: NaiveDateTime, attempts: i32, base_seconds: u64, id: &str) -> NaiveDateTime {
    let exponent = attempts.clamp(0, 16) as u32;
    let delay = (base_seconds.max(1) * 2u64.pow(exponent)).min(3_600);
    let jitter_seed = id.bytes().fold(attempts as u64, |h, b| {
        h.wrapping_mul(31).wrapping_add(b as u64)
    });
    let jitter = jitter_seed % (delay / 5 + 1);
    now + Duration::seconds((delay + jitter) as i64)
}

#[cfg(test)]
mod tests {
    use super::retry_time;

    #[test]
    fn backoff_doubles_up_to_an_hour_with_jitter() {
        let now = chrono::NaiveDate::from_ymd_opt(2026, 3, 10)
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap();
        let delay = |attempts| (retry_time(now, attempts, 30, "msg-1") - now).num_seconds();
        for (attempts, base) in [(0, 30), (1, 60), (2, 120), (3, 240)] {
            let d = delay(attempts);
            assert!(d >= base && d <= base + base / 5, "{attempts}: {d}");
        }
        assert!(delay(12) <= 3_600 + 720);
        assert!(delay(12) >= 3_600);
    }
}
