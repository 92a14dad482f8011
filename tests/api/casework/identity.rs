//! Waiting for identity information (Art. 12(6), domain.md §4): asked for, received, verified;
//! with the pause policy `deadline.pause_while_awaiting_identity` on and off.
//!
//! The request reached the municipality on Tuesday 2026-03-03: due Tuesday 2026-04-07 (långfredagen,
//! a Saturday, påskdagen and annandag påsk are skipped). Information is asked for on Tuesday
//! 2026-03-10 and arrives on Thursday 2026-04-16: 37 days of waiting. 2026-04-07 + 37 days is
//! Kristi himmelsfärdsdag 2026-05-14, so the adjusted deadline is Friday 2026-05-15.

use reqwest::StatusCode;
use serde_json::{json, Value};

use super::*;
use crate::helpers::*;
use crate::journey;

const ASKED: &str = "Skicka en kopia av en giltig id-handling.";

/// The references of the overdue cases, as the DPO's list shows them.
async fn overdue_list(app: &TestApp) -> Vec<String> {
    let page = get_json(
        app,
        &Caller::dpo(),
        "/api/v1/cases?overdue=true&sort=deadline",
    )
    .await;
    references(page["items"].as_array().expect("items"))
}

/// The number of overdue cases in the DPO's statistics.
async fn overdue_count(app: &TestApp) -> Value {
    get_json(app, &Caller::dpo(), "/api/v1/stats").await["overdue"].clone()
}

async fn explanation(app: &TestApp, id: &str) -> Value {
    get_json(app, &Caller::dpo(), &format!("/api/v1/cases/{id}/deadline")).await
}

fn texts(explanation: &Value) -> Vec<String> {
    explanation["text_sv"]
        .as_array()
        .expect("text_sv")
        .iter()
        .map(|t| t.as_str().expect("text").to_owned())
        .collect()
}

/// Asks for information, checks the request went out, and that it cannot be asked twice.
async fn ask_for_information(app: &TestApp, hl: &Caller, id: &str, notice: &str) -> Value {
    let asked = work_ok(
        app,
        hl,
        id,
        "identity",
        &json!({"action": "request_information", "note": ASKED}),
        StatusCode::OK,
    )
    .await;
    assert_eq!(asked["status"], "in_progress");
    assert_eq!(
        asked["identity"],
        json!({
            "status": "awaiting_information",
            "method": null,
            "assurance": null,
            "verified_at": null,
            "verified_by": null,
            "waits": [{"from": "2026-03-10", "to": null}]
        })
    );
    let journal = app.journal(hl, id).await;
    assert_eq!(
        event_names(&journal),
        vec!["received", "identity_information_requested"]
    );
    assert_eq!(
        journal[1]["data"],
        json!({
            "party": "subject",
            "method": null,
            "status": "awaiting_information",
            "note": ASKED,
            // The request for information is queued to the person.
            "notice": notice
        })
    );

    let response = work(
        app,
        hl,
        id,
        "identity",
        &json!({"action": "request_information"}),
    )
    .await;
    let body = problem(response, StatusCode::CONFLICT).await;
    assert_eq!(body["code"], "already_awaiting_information");
    asked
}

/// The information arrives on 2026-04-16, then the identity is verified from it.
async fn receive_and_verify(app: &TestApp, hl: &Caller, id: &str) -> Value {
    at(app, "2026-04-16T09:00:00Z");
    let received = work_ok(
        app,
        hl,
        id,
        "identity",
        &json!({"action": "information_received", "note": "Kopia av pass inkom med post."}),
        StatusCode::OK,
    )
    .await;
    assert_eq!(received["identity"]["status"], "unverified");
    assert_eq!(
        received["identity"]["waits"],
        json!([{"from": "2026-03-10", "to": "2026-04-16"}])
    );
    let verified = work_ok(
        app,
        hl,
        id,
        "identity",
        &json!({"action": "verify", "method": "signed_form"}),
        StatusCode::OK,
    )
    .await;
    assert_eq!(verified["identity"]["status"], "verified");
    assert_eq!(verified["identity"]["method"], "signed_form");
    assert_eq!(verified["identity"]["verified_at"], "2026-04-16T09:00:00Z");
    assert_eq!(
        verified["identity"]["waits"],
        json!([{"from": "2026-03-10", "to": "2026-04-16"}])
    );
    assert_eq!(
        event_names(&app.journal(hl, id).await),
        vec![
            "received",
            "identity_information_requested",
            "identity_information_received",
            "identity_verified"
        ]
    );
    verified
}

journey!(
    identity_information_is_asked_for_and_received_with_the_pause_policy_on,
    settings = |s: &mut dsar::config::Settings| s.deadline.pause_while_awaiting_identity = true,
    |app: TestApp| async move {
        add_namnder(&app).await;
        let hl = Caller::handlaggare(&["socialnamnden"]);
        let case = app
            .create_case(
                &Caller::kontaktcenter(),
                &tolvans_letter("access", "2026-03-03T09:00:00Z", &["socialnamnden"]),
            )
            .await;
        let id = id_of(&case);
        assert_eq!(case["deadline"], "2026-04-07");
        // Nothing waited yet: the adjusted deadline is the legal one.
        assert_eq!(case["adjusted_deadline"], "2026-04-07");

        let asked = ask_for_information(&app, &hl, &id, "email").await;
        assert_eq!(asked["adjusted_deadline"], "2026-04-07");

        // The day after the legal deadline, still waiting: 29 days so far, added to the raw
        // date (domain.md §4): 2026-04-03 (Långfredagen) + 29 = Saturday 2026-05-02, so
        // Monday 2026-05-04 (not 2026-04-07 + 29 = 2026-05-06).
        at(&app, "2026-04-08T09:00:00Z");
        let waiting = read_case(&app, &hl, &id).await;
        assert_eq!(waiting["deadline"], "2026-04-07");
        assert_eq!(waiting["adjusted_deadline"], "2026-05-04");
        assert_eq!(waiting["days_left"], 26);
        assert_eq!(waiting["overdue"], false);
        assert_eq!(overdue_list(&app).await, Vec::<String>::new());
        assert_eq!(overdue_count(&app).await, 0);
        let explained = explanation(&app, &id).await;
        assert_eq!(explained["governing_deadline"], "2026-05-04");
        assert!(
            texts(&explained).contains(
                &"Komplettering för att fastställa identiteten begärdes 2026-03-10 och har inte kommit in (29 dagar hittills).".to_owned()
            ),
            "{explained}"
        );

        let verified = receive_and_verify(&app, &hl, &id).await;
        assert_eq!(verified["deadline"], "2026-04-07");
        // 37 days: 2026-04-03 + 37 = Sunday 2026-05-10, so Monday 2026-05-11.
        assert_eq!(verified["adjusted_deadline"], "2026-05-11");
        assert_eq!(verified["days_left"], 25);
        assert_eq!(verified["overdue"], false);
        assert_eq!(overdue_list(&app).await, Vec::<String>::new());
        assert_eq!(overdue_count(&app).await, 0);

        let explained = explanation(&app, &id).await;
        assert_eq!(explained["reference"], "DSAR-2026-00001");
        assert_eq!(explained["pause_policy"], true);
        assert_eq!(explained["deadline_in_force"], "2026-04-07");
        assert_eq!(
            explained["identity_waits"],
            json!([{"from": "2026-03-10", "to": "2026-04-16"}])
        );
        assert_eq!(
            explained["adjustment"],
            json!({
                "deadline_in_force": "2026-04-07",
                "deadline_raw_date": "2026-04-03",
                "waiting_days": 37,
                "raw_date": "2026-05-10",
                "skipped": [{
                    "date": "2026-05-10",
                    "reason": {"kind": "sunday"},
                    "reason_sv": "söndag"
                }],
                "adjusted": "2026-05-11"
            })
        );
        assert_eq!(explained["governing_deadline"], "2026-05-11");
        let text = texts(&explained);
        assert_eq!(
            text[text.len() - 2..],
            [
                "Komplettering för att fastställa identiteten begärdes 2026-03-10 och kom in 2026-04-16 (37 dagar).".to_owned(),
                "Enligt kommunens riktlinje läggs väntetiden till fristens ursprungliga slutdag: 2026-04-03 + 37 \
                 dagar = 2026-05-10, som inte är en arbetsdag, så den justerade fristen blir 2026-05-11. Den \
                 lagstadgade fristen är fortfarande 2026-04-07."
                    .to_owned(),
            ]
        );

        // Past the adjusted deadline the case is overdue.
        at(&app, "2026-05-18T09:00:00Z");
        let late = read_case(&app, &hl, &id).await;
        assert_eq!(late["overdue"], true);
        assert_eq!(late["days_left"], -7);
        assert_eq!(overdue_list(&app).await, vec!["DSAR-2026-00001"]);
        assert_eq!(overdue_count(&app).await, 1);
    }
);

journey!(
    identity_information_is_asked_for_and_received_with_the_pause_policy_off,
    |app: TestApp| async move {
        add_namnder(&app).await;
        let hl = Caller::handlaggare(&["socialnamnden"]);
        // Logged from a letter with no e-mail address: the request for information goes by post.
        let case = app
            .create_case(
                &Caller::kontaktcenter(),
                &NewCase::logged("access", "letter", "2026-03-03T09:00:00Z")
                    .subject(TOLVAN)
                    .controllers(&["socialnamnden"]),
            )
            .await;
        let id = id_of(&case);
        assert_eq!(case["deadline"], "2026-04-07");
        assert_eq!(case["adjusted_deadline"], Value::Null);

        let asked = ask_for_information(&app, &hl, &id, "letter").await;
        assert_eq!(asked["adjusted_deadline"], Value::Null);

        // The legal deadline is what counts: the day after it, the case is overdue while waiting.
        at(&app, "2026-04-08T09:00:00Z");
        let waiting = read_case(&app, &hl, &id).await;
        assert_eq!(waiting["adjusted_deadline"], Value::Null);
        assert_eq!(waiting["days_left"], -1);
        assert_eq!(waiting["overdue"], true);
        assert_eq!(overdue_list(&app).await, vec!["DSAR-2026-00001"]);
        assert_eq!(overdue_count(&app).await, 1);

        let verified = receive_and_verify(&app, &hl, &id).await;
        assert_eq!(verified["deadline"], "2026-04-07");
        assert_eq!(verified["adjusted_deadline"], Value::Null);
        assert_eq!(verified["days_left"], -9);
        assert_eq!(verified["overdue"], true);
        assert_eq!(overdue_list(&app).await, vec!["DSAR-2026-00001"]);

        let explained = explanation(&app, &id).await;
        assert_eq!(explained["pause_policy"], false);
        assert_eq!(explained["deadline_in_force"], "2026-04-07");
        assert_eq!(
            explained["identity_waits"],
            json!([{"from": "2026-03-10", "to": "2026-04-16"}])
        );
        assert_eq!(explained["adjustment"], Value::Null);
        assert_eq!(explained["governing_deadline"], "2026-04-07");
        let text = texts(&explained);
        // The wait is recorded and explained, but moves no date.
        assert_eq!(
            text.last().map(String::as_str),
            Some("Komplettering för att fastställa identiteten begärdes 2026-03-10 och kom in 2026-04-16 (37 dagar).")
        );
        assert!(!text.iter().any(|t| t.contains("riktlinje")), "{text:?}");
    }
);
