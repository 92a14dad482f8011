//! Notifications over a real SMTP server started by the tests: delivery, outages and restarts,
//! the failure state, staff reminders and alerts, the DPO's digest, several instances, and
//! snapshots of every template.

mod delivery;
mod failure;
mod instances;
mod outage;
pub mod smtp;
mod staff;
mod templates;
mod unverified;

use std::time::{Duration, Instant};

use dsar::clock::FixedClock;
use dsar::config::Settings;
use mail_parser::{MessageParser, PartType};
use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::{Caller, TestApp};
use smtp::{Received, SmtpServer};

/// Runs a journey on both backends with a test SMTP server and the jobs on:
/// `mail_journey!(name, settings = |s: &mut Settings| ..., |app, smtp| async move { ... })`.
/// The app sends to the server (see [`mail_settings`]); `settings` changes more.
#[macro_export]
macro_rules! mail_journey {
    ($name:ident, settings = $adjust:expr, $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn sqlite() {
                let smtp = $crate::notifications::smtp::SmtpServer::start().await;
                let port = smtp.port();
                let app = $crate::helpers::spawn_app_with(
                    $crate::helpers::Backend::Sqlite,
                    |s: &mut dsar::config::Settings| {
                        $crate::notifications::mail_settings(s, port);
                        ($adjust)(s);
                    },
                )
                .await;
                ($body)(app, smtp).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn postgres() {
                let smtp = $crate::notifications::smtp::SmtpServer::start().await;
                let port = smtp.port();
                let Some(app) =
                    $crate::helpers::spawn_postgres_app_with(|s: &mut dsar::config::Settings| {
                        $crate::notifications::mail_settings(s, port);
                        ($adjust)(s);
                    })
                    .await
                else {
                    return;
                };
                ($body)(app, smtp).await;
            }
        }
    };
    ($name:ident, $body:expr) => {
        $crate::mail_journey!($name, settings = |_: &mut dsar::config::Settings| {}, $body);
    };
}

/// SMTP without TLS to the test server on `port`; the jobs on, the sender looking every 50 ms,
/// retries after a second; reminders looked for once at start (tests that need them more often
/// say so) and the digest not before 23:00, so no test gets a message it did not ask for. The
/// daily retention run is off here (hour 24 never comes): it is the subject of `retention.rs`,
/// which also checks that a run does not disturb the requests around it.
pub fn mail_settings(settings: &mut Settings, port: u16) {
    settings.email.transport = "smtp".into();
    settings.email.smtp_host = "127.0.0.1".into();
    settings.email.smtp_port = port;
    settings.email.smtp_tls = "none".into();
    settings.email.smtp_user = None;
    settings.email.smtp_password = None;
    settings.email.retry_base_seconds = 1;
    settings.jobs.enabled = true;
    settings.jobs.sender_interval_ms = 50;
    settings.jobs.alerts_interval_seconds = 3600;
    settings.jobs.digest_hour = 23;
    settings.jobs.retention_hour = 24;
}

/// The service's DPO address (`organisation.dpo_email` in the test settings).
pub const DPO: &str = "dataskyddsombud@exempel.kommun.se";

/// Waits until `done` holds for the messages received, polling every 50 ms; after 30 s the test
/// fails saying what it waited for (a bound against hanging, not a performance requirement).
pub async fn wait_for_mail(
    smtp: &SmtpServer,
    what: &str,
    done: impl Fn(&[Received]) -> bool,
) -> Vec<Received> {
    let start = Instant::now();
    loop {
        let messages = smtp.messages();
        if done(&messages) {
            return messages;
        }
        if start.elapsed() > Duration::from_secs(30) {
            let summary: Vec<String> = messages
                .iter()
                .map(|m| format!("{:?} {}", m.rcpt_to, parse(m).subject))
                .collect();
            panic!(
                "waited 30 s for {what}; the SMTP server received {} message(s): {summary:#?}",
                messages.len()
            );
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Waits until at least `n` messages arrived.
pub async fn wait_for_count(smtp: &SmtpServer, n: usize) -> Vec<Received> {
    wait_for_mail(smtp, &format!("{n} message(s)"), |m| m.len() >= n).await
}

/// Waits until `done` holds for the outbox as the administrator lists it, polling every 50 ms,
/// failing after 30 s with the last listing.
pub async fn wait_for_outbox(
    app: &TestApp,
    what: &str,
    done: impl Fn(&[Value]) -> bool,
) -> Vec<Value> {
    let start = Instant::now();
    loop {
        let items = outbox(app, None).await;
        if done(&items) {
            return items;
        }
        if start.elapsed() > Duration::from_secs(30) {
            panic!("waited 30 s for {what}; the outbox: {items:#?}");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// `GET /api/v1/outbox` as the administrator, optionally by status.
pub async fn outbox(app: &TestApp, status: Option<&str>) -> Vec<Value> {
    let path = match status {
        Some(status) => format!("/api/v1/outbox?status={status}&limit=500"),
        None => "/api/v1/outbox?limit=500".to_string(),
    };
    let response = app.get(&Caller::admin(), &path).await;
    let code = response.status();
    let body: Value = response.json().await.expect("json");
    assert_eq!(code, StatusCode::OK, "GET {path}: {body}");
    body["items"].as_array().expect("items").clone()
}

/// A received message, decoded.
#[derive(Debug, Clone)]
pub struct Mail {
    pub rcpt_to: Vec<String>,
    /// The `To` header's address.
    pub to: String,
    /// The decoded subject.
    pub subject: String,
    /// The `Subject` header as it was on the wire (folded lines joined).
    pub raw_subject: String,
    pub message_id: String,
    /// The text/plain part, decoded.
    pub text: String,
    /// The text/html part, decoded.
    pub html: String,
    /// The whole message as received.
    pub raw: String,
}

impl Mail {
    /// Everything a reader could see: headers, both parts decoded, and the raw message.
    pub fn everything(&self) -> String {
        format!(
            "{}\n{}\n{}\n{}\n{}",
            self.to, self.subject, self.text, self.html, self.raw
        )
    }
}

pub fn parse(received: &Received) -> Mail {
    let message = MessageParser::default()
        .parse(&received.data)
        .unwrap_or_else(|| panic!("an unreadable message: {}", received.raw()));
    let part_text = |html: bool| -> String {
        let found: Vec<String> = message
            .parts
            .iter()
            .filter_map(|p| match (&p.body, html) {
                (PartType::Text(text), false) => Some(text.to_string()),
                (PartType::Html(text), true) => Some(text.to_string()),
                _ => None,
            })
            .collect();
        assert_eq!(
            found.len(),
            1,
            "one {} part expected in {}",
            if html { "html" } else { "text" },
            received.raw()
        );
        found.into_iter().next().unwrap_or_default()
    };
    let raw = received.raw();
    let raw_subject = raw_header(&raw, "Subject").unwrap_or_default();
    Mail {
        rcpt_to: received.rcpt_to.clone(),
        to: message
            .to()
            .and_then(|a| a.first())
            .and_then(|a| a.address())
            .unwrap_or_default()
            .to_owned(),
        subject: message.subject().unwrap_or_default().to_owned(),
        raw_subject,
        message_id: message.message_id().unwrap_or_default().to_owned(),
        text: part_text(false),
        html: part_text(true),
        raw,
    }
}

/// A header's value as on the wire, its folded lines joined.
fn raw_header(raw: &str, name: &str) -> Option<String> {
    let head = raw.split("\r\n\r\n").next()?;
    let mut value: Option<String> = None;
    for line in head.split("\r\n") {
        match &mut value {
            Some(v) if line.starts_with([' ', '\t']) => v.push_str(line),
            Some(_) => break,
            None => {
                if let Some((header, rest)) = line.split_once(':') {
                    if header.eq_ignore_ascii_case(name) {
                        value = Some(rest.to_owned());
                    }
                }
            }
        }
    }
    value
}

/// The messages addressed to `recipient`, decoded.
pub fn to(messages: &[Received], recipient: &str) -> Vec<Mail> {
    messages
        .iter()
        .filter(|m| m.rcpt_to.iter().any(|r| r == recipient))
        .map(parse)
        .collect()
}

/// Makes the service's clock run with real time (from wherever it is set), so retries fall
/// due; stops when dropped.
pub struct Ticker(tokio::task::JoinHandle<()>);

impl Ticker {
    pub fn start(clock: &FixedClock) -> Ticker {
        let clock = clock.clone();
        Ticker(tokio::spawn(async move {
            let mut last = Instant::now();
            loop {
                tokio::time::sleep(Duration::from_millis(50)).await;
                let now = Instant::now();
                clock.advance(chrono::Duration::from_std(now - last).expect("duration"));
                last = now;
            }
        }))
    }
}

impl Drop for Ticker {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// The forms a personnummer can be written in: `19121212-1212` as 12 digits, 10 digits, with and
/// without the dash.
pub fn personnummer_forms(personnummer: &str) -> Vec<String> {
    let digits: String = personnummer.chars().filter(char::is_ascii_digit).collect();
    let short = &digits[2..];
    vec![
        digits.clone(),
        short.to_owned(),
        format!("{}-{}", &digits[..8], &digits[8..]),
        format!("{}-{}", &short[..6], &short[6..]),
    ]
}

/// Asserts that none of `secrets` occurs in the message (decoded or raw).
pub fn assert_free_of(mail: &Mail, secrets: &[String]) {
    let everything = mail.everything();
    for secret in secrets {
        assert!(
            !everything.contains(secret.as_str()),
            "the message to {} ({}) contains {secret:?}:\n{everything}",
            mail.to,
            mail.subject
        );
    }
}
