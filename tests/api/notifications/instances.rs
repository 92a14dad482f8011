//! Two instances of the service on one PostgreSQL, both running the jobs: every reminder, every
//! overdue alert and the digest is sent once, and every message delivered once.

use std::collections::BTreeMap;
use std::time::Duration;

use serde_json::json;

use super::*;
use crate::helpers::*;

const SOCIAL: &str = "socialnamnden@exempel.kommun.se";
const KS: &str = "kommunstyrelsen@exempel.kommun.se";

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_instances_on_one_postgresql_send_each_reminder_alert_and_digest_once() {
    let smtp = SmtpServer::start().await;
    let port = smtp.port();
    let Some(app) = spawn_postgres_app_with(|s: &mut Settings| {
        mail_settings(s, port);
        s.deadline.reminder_days = 5;
        s.jobs.alerts_interval_seconds = 1;
        s.jobs.sender_interval_ms = 20;
    })
    .await
    else {
        return;
    };
    let b = spawn_instance(&app.settings, &app.clock).await;

    add_controller_with_email(&app, "socialnamnden", "Socialnämnden", SOCIAL).await;
    add_controller_with_email(&app, "kommunstyrelsen", "Kommunstyrelsen", KS).await;
    let kc = Caller::kontaktcenter();
    let people = [
        "19700312-2343",
        "19811120-2340",
        "19620705-2348",
        "19930214-2345",
        "19750930-2340",
        "19880606-2348",
        "19551111-2343",
        "19990101-2345",
    ];
    // Today is 2026-03-10. Five cases late (received in January and early February), three due
    // within five days; created through both instances while both run their jobs.
    let received = [
        ("2026-01-12T09:00:00Z", "kommunstyrelsen"),
        ("2026-01-20T09:00:00Z", "kommunstyrelsen"),
        ("2026-01-27T09:00:00Z", "socialnamnden"),
        ("2026-02-02T09:00:00Z", "kommunstyrelsen"),
        ("2026-02-05T09:00:00Z", "socialnamnden"),
        ("2026-02-11T09:00:00Z", "socialnamnden"),
        ("2026-02-12T09:00:00Z", "kommunstyrelsen"),
        ("2026-02-13T09:00:00Z", "socialnamnden"),
    ];
    let mut expected: BTreeMap<(String, String), usize> = BTreeMap::new();
    let mut late = 0;
    let mut soon = 0;
    for (i, ((received_at, controller), personnummer)) in received.iter().zip(people).enumerate() {
        let body = json!({
            "kind": "access",
            "channel": "letter",
            "received_at": received_at,
            "subject": {"personnummer": personnummer, "name": "Test Testsson"},
            "controllers": [controller],
        });
        let case = if i % 2 == 0 {
            app.create_case(&kc, &body).await
        } else {
            let request = app
                .request_at(
                    &b.address,
                    reqwest::Method::POST,
                    "/api/v1/cases",
                    Some(&kc),
                )
                .json(&body);
            let response = app.send(request).await;
            assert_eq!(response.status(), reqwest::StatusCode::CREATED);
            response.json().await.expect("json")
        };
        let reference = case["reference"].as_str().unwrap().to_owned();
        let deadline = case["deadline"].as_str().unwrap().to_owned();
        let deadline_sv = dsar::domain::swedish::date_sv(deadline.parse().unwrap());
        let email = if *controller == "socialnamnden" {
            SOCIAL
        } else {
            KS
        };
        if deadline.as_str() < "2026-03-10" {
            late += 1;
            let subject = format!("Försenat: {reference} skulle ha besvarats senast {deadline_sv}");
            expected.insert((email.to_owned(), subject.clone()), 1);
            expected.insert((DPO.to_owned(), subject), 1);
        } else {
            assert!(deadline.as_str() <= "2026-03-15", "{deadline}");
            soon += 1;
            let subject = format!("Påminnelse: {reference} ska besvaras senast {deadline_sv}");
            expected.insert((email.to_owned(), subject), 1);
        }
    }
    assert_eq!((late, soon), (5, 3));

    let count = |messages: &[Received]| -> BTreeMap<(String, String), usize> {
        let mut counts = BTreeMap::new();
        for mail in messages.iter().map(parse) {
            *counts.entry((mail.to, mail.subject)).or_default() += 1;
        }
        counts
    };
    let total = expected.len();
    wait_for_count(&smtp, total).await;
    // Several more rounds of both instances' jobs.
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(count(&smtp.messages()), expected);

    // The digest, late in the evening: once, though both instances make it.
    app.clock.set(utc("2026-03-10T22:30:00Z"));
    expected.insert(
        (
            DPO.to_owned(),
            "Dagsöversikt 10 mars 2026: 5 försenade, 3 förfaller inom en vecka".to_owned(),
        ),
        1,
    );
    wait_for_count(&smtp, total + 1).await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    let messages = smtp.messages();
    assert_eq!(count(&messages), expected);

    // Every message delivered once, by one instance or the other.
    let mut ids: Vec<String> = messages.iter().map(|m| parse(m).message_id).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), messages.len());
    // A message is marked sent just after the SMTP server took it: wait for the last mark.
    let mut items = outbox(&app, Some("sent")).await;
    for _ in 0..100 {
        if items.len() >= messages.len() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        items = outbox(&app, Some("sent")).await;
    }
    assert_eq!(items.len(), messages.len());
    assert!(items.iter().all(|m| m["attempts"] == 1), "{items:#?}");

    b.handle.stop().await;
    app.handle.stop().await;
}
