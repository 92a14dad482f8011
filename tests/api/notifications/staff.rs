//! Reminders to the nämnd before a deadline, alerts to the nämnd and the DPO after it, and the
//! DPO's daily digest: each once, and with the reference, kind, controller and dates only.

use std::time::Duration;

use serde_json::{json, Value};

use super::*;
use crate::helpers::*;
use crate::mail_journey;

const SOCIAL: &str = "socialnamnden@exempel.kommun.se";
const KS: &str = "kommunstyrelsen@exempel.kommun.se";

/// A person whose request the staff messages must say nothing about.
struct Person {
    personnummer: &'static str,
    name: &'static str,
    email: &'static str,
    street: &'static str,
    description: &'static str,
}

const PEOPLE: [Person; 3] = [
    Person {
        personnummer: "19700312-2343",
        name: "Vera Varsam",
        email: "vera.varsam@example.se",
        street: "Hemliga gränd 3",
        description: "Uppgifter om min hemtjänst HEMLIG-BESKRIVNING-1",
    },
    Person {
        personnummer: "19811120-2340",
        name: "Olle Sensson",
        email: "olle.sensson@example.se",
        street: "Dolda vägen 7",
        description: "Min skolgång HEMLIG-BESKRIVNING-2",
    },
    Person {
        personnummer: "19620705-2348",
        name: "Tyra Tidig",
        email: "tyra.tidig@example.se",
        street: "Privata torget 1",
        description: "Bygglovsärendet HEMLIG-BESKRIVNING-3",
    },
];

fn request(person: &Person, received_at: &str, controllers: &[&str]) -> Value {
    json!({
        "kind": "access",
        "channel": "letter",
        "received_at": received_at,
        "subject": {
            "personnummer": person.personnummer,
            "name": person.name,
            "email": person.email,
            "address": {"street": person.street, "postal_code": "151 89", "city": "Södertälje"},
        },
        "controllers": controllers,
        "description": person.description,
    })
}

/// Everything about the people that a staff message must not carry.
fn personal_data() -> Vec<String> {
    let mut secrets = Vec::new();
    for person in &PEOPLE {
        secrets.extend(personnummer_forms(person.personnummer));
        secrets.push(person.name.to_owned());
        secrets.extend(person.name.split(' ').map(str::to_owned));
        secrets.push(person.email.to_owned());
        secrets.push(person.street.to_owned());
        secrets.push(person.description.to_owned());
        secrets.push(person.description.rsplit(' ').next().unwrap().to_owned());
    }
    secrets
}

fn staff_messages(messages: &[Received]) -> Vec<Mail> {
    messages
        .iter()
        .filter(|m| {
            m.rcpt_to
                .iter()
                .any(|r| [SOCIAL, KS, DPO].contains(&r.as_str()))
        })
        .map(parse)
        .collect()
}

/// The (recipient, subject) of every staff message, sorted.
fn summary(mails: &[Mail]) -> Vec<(String, String)> {
    let mut all: Vec<(String, String)> = mails
        .iter()
        .map(|m| (m.to.clone(), m.subject.clone()))
        .collect();
    all.sort();
    all
}

fn sorted(mut list: Vec<(String, String)>) -> Vec<(String, String)> {
    list.sort();
    list
}

mail_journey!(
    reminders_alerts_and_the_digest_reach_staff_once_without_personal_data,
    settings = |s: &mut Settings| {
        s.deadline.reminder_days = 5;
        s.jobs.alerts_interval_seconds = 1;
    },
    |app: TestApp, smtp: SmtpServer| async move {
        add_controller_with_email(&app, "socialnamnden", "Socialnämnden", SOCIAL).await;
        add_controller_with_email(&app, "kommunstyrelsen", "Kommunstyrelsen", KS).await;
        let kc = Caller::kontaktcenter();
        // Today is Tuesday 2026-03-10.
        // Due Thursday 2026-03-12, in two days.
        let soon = app
            .create_case(
                &kc,
                &request(&PEOPLE[0], "2026-02-12T09:00:00Z", &["socialnamnden"]),
            )
            .await;
        // Due Monday 2026-03-02: eight days late.
        let late = app
            .create_case(
                &kc,
                &request(
                    &PEOPLE[1],
                    "2026-02-02T09:00:00Z",
                    &["kommunstyrelsen", "socialnamnden"],
                ),
            )
            .await;
        // Due Thursday 2026-04-09: nothing to say yet.
        let later = app
            .create_case(
                &kc,
                &request(&PEOPLE[2], "2026-03-09T09:00:00Z", &["socialnamnden"]),
            )
            .await;
        assert_eq!(soon["deadline"], "2026-03-12");
        assert_eq!(late["deadline"], "2026-03-02");
        assert_eq!(later["deadline"], "2026-04-09");
        let reference = |case: &Value| case["reference"].as_str().unwrap().to_owned();
        let (soon_ref, late_ref, later_ref) =
            (reference(&soon), reference(&late), reference(&later));

        // Three receipts to the people, one reminder and three overdue alerts to staff.
        wait_for_mail(&smtp, "the reminder and the alerts", |m| {
            staff_messages(m).len() >= 4
        })
        .await;
        // Further rounds of the job (every second) must not repeat them.
        tokio::time::sleep(Duration::from_millis(2500)).await;
        let messages_after = smtp.messages();
        let staff = staff_messages(&messages_after);
        assert_eq!(
            summary(&staff),
            sorted(vec![
                (
                    DPO.to_owned(),
                    format!("Försenat: {late_ref} skulle ha besvarats senast 2 mars 2026")
                ),
                (
                    KS.to_owned(),
                    format!("Försenat: {late_ref} skulle ha besvarats senast 2 mars 2026")
                ),
                (
                    SOCIAL.to_owned(),
                    format!("Försenat: {late_ref} skulle ha besvarats senast 2 mars 2026")
                ),
                (
                    SOCIAL.to_owned(),
                    format!("Påminnelse: {soon_ref} ska besvaras senast 12 mars 2026")
                ),
            ])
        );
        assert_eq!(
            messages_after.len(),
            7,
            "four staff messages and three receipts"
        );

        let reminder = staff
            .iter()
            .find(|m| m.subject.starts_with("Påminnelse"))
            .unwrap();
        for body in [&reminder.text, &reminder.html] {
            for expected in [
                soon_ref.as_str(),
                "registerutdrag",
                "Socialnämnden",
                "12 mars 2026",
                "om 2 dagar",
            ] {
                assert!(
                    body.contains(expected),
                    "reminder lacks {expected:?}:\n{body}"
                );
            }
        }
        let ks_alert = staff.iter().find(|m| m.to == KS).unwrap();
        for body in [&ks_alert.text, &ks_alert.html] {
            for expected in [
                late_ref.as_str(),
                "registerutdrag",
                "Kommunstyrelsen",
                "2 mars 2026",
                "8 dagar försenat",
            ] {
                assert!(body.contains(expected), "alert lacks {expected:?}:\n{body}");
            }
        }
        let dpo_alert = staff.iter().find(|m| m.to == DPO).unwrap();
        assert!(dpo_alert.text.contains(&late_ref));
        assert!(dpo_alert.text.contains("8 dagar försenat"));
        for mail in &staff {
            assert_free_of(mail, &personal_data());
        }

        // Four weeks on: the first case is late now, the third due within five days.
        app.clock.set(utc("2026-04-06T08:00:00Z"));
        wait_for_mail(&smtp, "the second round", |m| staff_messages(m).len() >= 7).await;
        tokio::time::sleep(Duration::from_millis(2500)).await;
        let staff = staff_messages(&smtp.messages());
        assert_eq!(
            summary(&staff),
            sorted(vec![
                (
                    DPO.to_owned(),
                    format!("Försenat: {late_ref} skulle ha besvarats senast 2 mars 2026")
                ),
                (
                    DPO.to_owned(),
                    format!("Försenat: {soon_ref} skulle ha besvarats senast 12 mars 2026")
                ),
                (
                    KS.to_owned(),
                    format!("Försenat: {late_ref} skulle ha besvarats senast 2 mars 2026")
                ),
                (
                    SOCIAL.to_owned(),
                    format!("Försenat: {late_ref} skulle ha besvarats senast 2 mars 2026")
                ),
                (
                    SOCIAL.to_owned(),
                    format!("Försenat: {soon_ref} skulle ha besvarats senast 12 mars 2026")
                ),
                (
                    SOCIAL.to_owned(),
                    format!("Påminnelse: {later_ref} ska besvaras senast 9 april 2026")
                ),
                (
                    SOCIAL.to_owned(),
                    format!("Påminnelse: {soon_ref} ska besvaras senast 12 mars 2026")
                ),
            ])
        );

        // After the digest hour (23:00 in the test settings; 23:30 in Stockholm, summer time):
        // one digest to the DPO.
        app.clock.set(utc("2026-04-06T21:30:00Z"));
        wait_for_mail(&smtp, "the digest", |m| {
            to(m, DPO)
                .iter()
                .any(|d| d.subject.starts_with("Dagsöversikt"))
        })
        .await;
        tokio::time::sleep(Duration::from_millis(2500)).await;
        let messages = smtp.messages();
        let digests: Vec<Mail> = to(&messages, DPO)
            .into_iter()
            .filter(|m| m.subject.starts_with("Dagsöversikt"))
            .collect();
        assert_eq!(digests.len(), 1, "one digest a day");
        let digest = &digests[0];
        assert_eq!(
            digest.subject,
            "Dagsöversikt 6 april 2026: 2 försenade, 1 förfaller inom en vecka"
        );
        for expected in [
            format!("  - {late_ref} (registerutdrag, kommunstyrelsen, socialnamnden): sista dag 2 mars 2026"),
            format!("  - {soon_ref} (registerutdrag, socialnamnden): sista dag 12 mars 2026"),
            format!("  - {later_ref} (registerutdrag, socialnamnden): sista dag 9 april 2026"),
            "Förlängda (0):".to_owned(),
            "Meddelanden som inte kunnat levereras: 0".to_owned(),
        ] {
            assert!(digest.text.contains(&expected), "digest lacks {expected:?}:\n{}", digest.text);
        }
        assert!(digest.html.contains(&format!("<td>{late_ref}</td>")));
        assert!(digest.html.contains("<h3>Försenade (2)</h3>"));
        assert_free_of(digest, &personal_data());
        // Nothing new for the other staff.
        assert_eq!(staff_messages(&messages).len(), 8);
    }
);

mail_journey!(
    after_an_extension_the_namnd_is_reminded_before_the_new_deadline,
    settings = |s: &mut Settings| {
        s.deadline.reminder_days = 5;
        s.jobs.alerts_interval_seconds = 1;
    },
    |app: TestApp, smtp: SmtpServer| async move {
        add_controller_with_email(&app, "socialnamnden", "Socialnämnden", SOCIAL).await;
        // Received 2026-02-12, due Thursday 2026-03-12: today (2026-03-10) the nämnd is reminded.
        let case = app
            .create_case(
                &Caller::kontaktcenter(),
                &json!({
                    "kind": "access",
                    "channel": "letter",
                    "received_at": "2026-02-12T09:00:00Z",
                    // An address: the extension notice can reach her by post (Art. 12(3)).
                    "subject": {"personnummer": "19700312-2343", "name": "Vera Varsam",
                                "address": {"street": "Varsamvägen 1", "postal_code": "151 89", "city": "Södertälje"}},
                    "controllers": ["socialnamnden"],
                }),
            )
            .await;
        let id = id_of(&case);
        let reference = case["reference"].as_str().unwrap().to_owned();
        let first = format!("Påminnelse: {reference} ska besvaras senast 12 mars 2026");
        wait_for_mail(&smtp, "the first reminder", |m| {
            to(m, SOCIAL).iter().any(|r| r.subject == first)
        })
        .await;

        // The handläggare extends the deadline to 2026-05-12 (three months from receipt).
        let response = app
            .post(
                &Caller::handlaggare(&["socialnamnden"]),
                &format!("/api/v1/cases/{id}/extension"),
                &json!({"reason": "Handlingar hos flera verksamheter."}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::OK);
        let extended: Value = response.json().await.unwrap();
        assert_eq!(extended["extended_deadline"], "2026-05-12");

        // Three days before the new deadline the nämnd is reminded of it, once.
        app.clock.set(utc("2026-05-09T08:00:00Z"));
        let second = format!("Påminnelse: {reference} ska besvaras senast 12 maj 2026");
        wait_for_mail(&smtp, "a reminder before the extended deadline", |m| {
            to(m, SOCIAL).iter().any(|r| r.subject == second)
        })
        .await;
        tokio::time::sleep(Duration::from_millis(2500)).await;
        let subjects: Vec<String> = to(&smtp.messages(), SOCIAL)
            .into_iter()
            .map(|m| m.subject)
            .collect();
        assert_eq!(subjects, vec![first, second]);
    }
);
