//! After `email.max_attempts` a message is `failed`: listed for the administrator with the
//! error, never tried again, and counted in the DPO's digest.

use std::time::Duration;

use serde_json::{json, Value};

use super::*;
use crate::helpers::*;
use crate::mail_journey;

mail_journey!(
    a_message_that_cannot_be_delivered_ends_failed_and_is_counted_in_the_digest,
    settings = |s: &mut Settings| {
        s.email.max_attempts = 2;
        s.jobs.alerts_interval_seconds = 1;
    },
    |app: TestApp, smtp: SmtpServer| async move {
        let port = smtp.port();
        smtp.stop().await;
        let _ticker = Ticker::start(&app.clock);
        app.add_controller("kommunstyrelsen", "Kommunstyrelsen")
            .await;
        let case = app
            .create_case(
                &Caller::etjanst(),
                &json!({
                    "kind": "access",
                    "subject": {"personnummer": "19121212-1212", "name": "Tolvan Tolvansson",
                                "email": "tolvan@example.se"},
                    "identity": {"method": "e_legitimation", "assurance": "loa3", "personnummer": "19121212-1212",
                                 "provider": "bankid", "transaction_reference": "bankid-order-0003"},
                    "controllers": ["kommunstyrelsen"]
                }),
            )
            .await;

        let items = wait_for_outbox(&app, "the receipt failed", |items| {
            items.iter().any(|m| m["status"] == "failed")
        })
        .await;
        assert_eq!(items.len(), 1, "{items:#?}");
        let failed = outbox(&app, Some("failed")).await;
        assert_eq!(failed.len(), 1);
        let message = &failed[0];
        assert_eq!(message["template"], "receipt");
        assert_eq!(message["case_id"], case["id"]);
        assert_eq!(message["recipient"], "tolvan@example.se");
        assert_eq!(message["attempts"], 2);
        assert_eq!(message["sent_at"], Value::Null);
        assert!(
            message["last_error"]
                .as_str()
                .is_some_and(|e| !e.is_empty()),
            "{message}"
        );
        assert!(outbox(&app, Some("pending")).await.is_empty());
        assert!(outbox(&app, Some("sent")).await.is_empty());

        // The mail server is back; late that evening the DPO's digest counts the failure.
        smtp.start_on(port).await;
        app.clock.set(utc("2026-03-10T22:30:00Z"));
        let messages = wait_for_mail(&smtp, "the DPO's digest", |m| !to(m, DPO).is_empty()).await;
        let digest = &to(&messages, DPO)[0];
        assert_eq!(
            digest.subject,
            "Dagsöversikt 10 mars 2026: 0 försenade, 0 förfaller inom en vecka"
        );
        assert!(
            digest
                .text
                .contains("Meddelanden som inte kunnat levereras: 1"),
            "{}",
            digest.text
        );
        assert!(digest
            .html
            .contains("<p>Meddelanden som inte kunnat levereras: 1</p>"));

        // A failed message is not tried again, whatever time passes.
        app.clock.advance(chrono::Duration::hours(2));
        tokio::time::sleep(Duration::from_secs(2)).await;
        let messages = smtp.messages();
        assert!(
            to(&messages, "tolvan@example.se").is_empty(),
            "the failed receipt was sent after all"
        );
        assert_eq!(messages.len(), 1, "only the digest");
        let failed = outbox(&app, Some("failed")).await;
        assert_eq!(failed.len(), 1);
        assert_eq!(failed[0]["attempts"], 2);
    }
);

mail_journey!(
    a_refused_mailbox_is_recorded_without_the_address_the_server_echoed,
    settings = |s: &mut Settings| {
        s.email.max_attempts = 1;
    },
    |app: TestApp, _smtp: SmtpServer| async move {
        app.add_controller("kommunstyrelsen", "Kommunstyrelsen")
            .await;
        let address = format!("tolvan{}", super::smtp::UNKNOWN_DOMAIN);
        app.create_case(
            &Caller::etjanst(),
            &json!({
                "kind": "access",
                "subject": {"personnummer": "19121212-1212", "name": "Tolvan Tolvansson",
                            "email": address},
                "identity": {"method": "e_legitimation", "assurance": "loa3", "personnummer": "19121212-1212",
                             "provider": "bankid", "transaction_reference": "bankid-order-0005"},
                "controllers": ["kommunstyrelsen"]
            }),
        )
        .await;
        let items = wait_for_outbox(&app, "the receipt refused", |items| {
            items.iter().any(|m| m["status"] == "failed")
        })
        .await;
        // The server said "550 5.1.1 <tolvan@...>: Recipient address rejected"; the outbox
        // keeps what kind of failure it was, never the address it echoed.
        assert_eq!(
            items[0]["last_error"], "permanent SMTP error 550",
            "{items:?}"
        );
    }
);
