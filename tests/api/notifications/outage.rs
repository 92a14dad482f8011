//! The mail server is down while cases come in, the service restarts, the mail server comes
//! back: every message arrives, exactly once.

use std::collections::BTreeSet;
use std::time::Duration;

use serde_json::{json, Value};

use super::*;
use crate::helpers::*;
use crate::mail_journey;

/// Three people who ask through the e-tjänst (Skatteverket's test numbers).
const PEOPLE: [(&str, &str, &str); 3] = [
    ("19700312-2343", "Anna Andersson", "anna@example.se"),
    ("19811120-2340", "Björn Björk", "bjorn@example.se"),
    ("19620705-2348", "Cecilia Ceder", "cecilia@example.se"),
];

fn request(personnummer: &str, name: &str, email: &str) -> Value {
    json!({
        "kind": "access",
        "subject": {"personnummer": personnummer, "name": name, "email": email},
        "identity": {"method": "e_legitimation", "assurance": "loa3", "personnummer": personnummer,
                     "provider": "bankid", "transaction_reference": "bankid-order-0002"},
        "controllers": ["kommunstyrelsen"]
    })
}

mail_journey!(
    messages_queued_while_the_mail_server_is_down_arrive_once_after_a_restart,
    |app: TestApp, smtp: SmtpServer| async move {
        let mut app = app;
        let port = smtp.port();
        smtp.stop().await;
        // Time passes for the service as it does for the test, so retries fall due.
        let _ticker = Ticker::start(&app.clock);

        app.add_controller("kommunstyrelsen", "Kommunstyrelsen")
            .await;
        let people = PEOPLE;
        let mut references = Vec::new();
        for (personnummer, name, email) in people {
            let case = app
                .create_case(&Caller::etjanst(), &request(personnummer, name, email))
                .await;
            references.push((case["reference"].as_str().unwrap().to_owned(), email));
        }

        // The sender tries, fails and keeps the messages for later.
        let items = wait_for_outbox(&app, "three receipts tried twice and pending", |items| {
            items.len() == 3
                && items
                    .iter()
                    .all(|m| m["status"] == "pending" && m["attempts"].as_i64() >= Some(2))
        })
        .await;
        for item in &items {
            assert!(
                item["last_error"].as_str().is_some_and(|e| !e.is_empty()),
                "{item}"
            );
        }
        assert!(smtp.messages().is_empty());

        // The service is restarted (stopped like a killed process, started on the same
        // database) while the mail server is still down; then the mail server comes back.
        app.restart().await;
        smtp.start_on(port).await;
        // It was down for some minutes: every retry is due (and a lease a killed sender may
        // have left behind has run out).
        app.clock.advance(chrono::Duration::minutes(5));

        let messages = wait_for_count(&smtp, 3).await;
        // Anything sent twice would arrive within this time.
        tokio::time::sleep(Duration::from_secs(2)).await;
        let messages_after = smtp.messages();
        assert_eq!(
            messages_after.len(),
            3,
            "exactly three messages: {:#?}",
            messages_after
                .iter()
                .map(|m| parse(m).subject)
                .collect::<Vec<_>>()
        );
        assert_eq!(messages.len(), 3);

        // One per case, each to its own person, each with its own Message-ID.
        let mut ids = BTreeSet::new();
        for (reference, email) in &references {
            let mails = to(&messages_after, email);
            assert_eq!(mails.len(), 1, "one receipt to {email}");
            assert!(mails[0].subject.contains(reference.as_str()));
            ids.insert(mails[0].message_id.clone());
        }
        assert_eq!(ids.len(), 3, "distinct Message-IDs: {ids:?}");

        // The new instance shows them sent, after more than one attempt.
        let items = wait_for_outbox(&app, "three receipts sent", |items| {
            items.iter().all(|m| m["status"] == "sent")
        })
        .await;
        assert_eq!(items.len(), 3);
        for item in &items {
            assert!(item["attempts"].as_i64() >= Some(2), "{item}");
            assert_eq!(item["last_error"], Value::Null, "{item}");
            assert!(item["sent_at"].is_string(), "{item}");
            let id = item["id"].as_str().unwrap();
            assert!(ids.contains(&format!("{id}@exempel.kommun.se")), "{id}");
        }
        app.handle.stop().await;
    }
);

mail_journey!(
    an_hour_without_the_mail_server_loses_no_message_and_sends_none_twice,
    settings = |s: &mut dsar::config::Settings| {
        // The production defaults: eight attempts, 30 s doubling to an hour, so the last
        // attempt falls a little over an hour after the first.
        s.email.max_attempts = 8;
        s.email.retry_base_seconds = 30;
    },
    |app: TestApp, smtp: SmtpServer| async move {
        let port = smtp.port();
        smtp.stop().await;
        app.add_controller("kommunstyrelsen", "Kommunstyrelsen")
            .await;
        let people = PEOPLE;
        for (personnummer, name, email) in people {
            app.create_case(&Caller::etjanst(), &request(personnummer, name, email))
                .await;
        }
        wait_for_outbox(&app, "three receipts tried once", |items| {
            items.len() == 3 && items.iter().all(|m| m["attempts"].as_i64() >= Some(1))
        })
        .await;

        // An hour of the service's time passes, a minute at a time, with the server gone: the
        // sender keeps trying and keeps every message.
        for _ in 0..60 {
            app.clock.advance(chrono::Duration::minutes(1));
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let items = wait_for_outbox(
            &app,
            "three receipts still pending after an hour",
            |items| {
                items.len() == 3
                    && items
                        .iter()
                        .all(|m| m["status"] == "pending" && m["attempts"].as_i64() >= Some(6))
            },
        )
        .await;
        assert!(smtp.messages().is_empty(), "{items:?}");

        // The server is back: the next attempts deliver each message once.
        smtp.start_on(port).await;
        for _ in 0..30 {
            if smtp.messages().len() >= 3 {
                break;
            }
            app.clock.advance(chrono::Duration::minutes(1));
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        wait_for_count(&smtp, 3).await;
        tokio::time::sleep(Duration::from_secs(2)).await;
        let messages = smtp.messages();
        assert_eq!(messages.len(), 3);
        for (_, _, email) in people {
            assert_eq!(to(&messages, email).len(), 1, "one receipt to {email}");
        }
        wait_for_outbox(&app, "three receipts sent", |items| {
            items.iter().all(|m| m["status"] == "sent")
        })
        .await;
        app.handle.stop().await;
    }
);
