//! The case's life: received -> in progress -> decided -> closed, or withdrawn while open; a closed
//! or withdrawn case accepts nothing more.

use reqwest::StatusCode;
use serde_json::{json, Value};

use super::*;
use crate::helpers::*;
use crate::journey;

/// Every action on a case, with a body that would be fine on an open case.
fn every_action() -> Vec<(&'static str, Value)> {
    vec![
        (
            "decisions",
            json!({"controller": "socialnamnden", "outcome": "granted"}),
        ),
        ("parts/socialnamnden/assign", json!({})),
        ("extension", json!({"reason": "Många handlingar."})),
        (
            "identity",
            json!({"action": "verify", "method": "id_document", "document_type": "pass"}),
        ),
        ("controllers", json!({"controller": "kommunstyrelsen"})),
        ("delivery", json!({"method": "registered_letter"})),
        ("withdraw", json!({})),
        ("close", json!({})),
    ]
}

journey!(
    a_case_is_closed_only_once_decided_and_then_accepts_nothing,
    |app: TestApp| async move {
        add_namnder(&app).await;
        let hl = Caller::handlaggare(&["socialnamnden", "kommunstyrelsen"]);
        let case = app
            .create_case(
                &Caller::kontaktcenter(),
                &tolvans_signed_letter("access", "2026-03-03T09:00:00Z", &["socialnamnden"]),
            )
            .await;
        let id = id_of(&case);

        // Not decided yet: it cannot be closed.
        let response = work(&app, &hl, &id, "close", &json!({})).await;
        let body = problem(response, StatusCode::CONFLICT).await;
        assert_eq!(body["code"], "case_not_decided");
        assert_eq!(read_case(&app, &hl, &id).await["status"], "received");

        at(&app, "2026-03-20T09:00:00Z");
        decide(
            &app,
            &hl,
            &id,
            &json!({"controller": "socialnamnden", "outcome": "granted"}),
        )
        .await;
        // A decided case is no longer the person's to withdraw.
        let response = work(&app, &hl, &id, "withdraw", &json!({})).await;
        let body = problem(response, StatusCode::CONFLICT).await;
        assert_eq!(body["code"], "case_already_decided");

        at(&app, "2026-03-23T08:00:00Z");
        let closed = work_ok(&app, &hl, &id, "close", &json!({}), StatusCode::OK).await;
        assert_eq!(closed["status"], "closed");
        assert_eq!(closed["closed_at"], "2026-03-23T08:00:00Z");
        assert_eq!(closed["decided_at"], "2026-03-20T09:00:00Z");
        assert_eq!(closed["days_left"], Value::Null);
        assert_eq!(closed["overdue"], false);
        let version = closed["version"].clone();

        for (action, body) in every_action() {
            let response = work(&app, &hl, &id, action, &body).await;
            let problem = problem(response, StatusCode::CONFLICT).await;
            assert_eq!(problem["code"], "case_closed", "{action}");
        }
        let after = read_case(&app, &hl, &id).await;
        assert_eq!(after["status"], "closed");
        assert_eq!(after["version"], version);
        assert_eq!(
            event_names(&app.journal(&hl, &id).await),
            vec!["received", "decided", "closed"]
        );
    }
);

journey!(
    the_person_withdraws_an_open_request,
    |app: TestApp| async move {
        add_namnder(&app).await;
        let hl = Caller::handlaggare(&["socialnamnden", "kommunstyrelsen"]);
        let kc = Caller::kontaktcenter();
        let case = app
            .create_case(
                &kc,
                &tolvans_letter("erasure", "2026-03-03T09:00:00Z", &["socialnamnden"]),
            )
            .await;
        let id = id_of(&case);
        work_ok(
            &app,
            &hl,
            &id,
            "parts/socialnamnden/assign",
            &json!({}),
            StatusCode::OK,
        )
        .await;

        // Tolvan calls Kontaktcenter: he no longer wants it.
        at(&app, "2026-03-12T13:15:00Z");
        let withdrawn = work_ok(
            &app,
            &kc,
            &id,
            "withdraw",
            &json!({"note": "Återkallad per telefon."}),
            StatusCode::OK,
        )
        .await;
        assert_eq!(withdrawn["status"], "withdrawn");
        assert_eq!(withdrawn["withdrawn_at"], "2026-03-12T13:15:00Z");
        assert_eq!(withdrawn["days_left"], Value::Null);
        assert_eq!(withdrawn["overdue"], false);
        assert_eq!(withdrawn["decided_at"], Value::Null);
        assert_eq!(withdrawn["closed_at"], Value::Null);

        // Nothing can be decided, or done at all, any more.
        let response = work(
            &app,
            &hl,
            &id,
            "decisions",
            &json!({"controller": "socialnamnden", "outcome": "refused", "legal_grounds": ["arkivlagen_10"], "reasons": "Arkivlagen."}),
        )
        .await;
        let body = problem(response, StatusCode::CONFLICT).await;
        assert_eq!(body["code"], "case_withdrawn");
        for (action, body) in every_action() {
            let response = work(&app, &hl, &id, action, &body).await;
            let problem = problem(response, StatusCode::CONFLICT).await;
            assert_eq!(problem["code"], "case_withdrawn", "{action}");
        }
        // Past the deadline it is still not overdue: there is nothing left to answer.
        at(&app, "2026-04-20T09:00:00Z");
        let after = read_case(&app, &hl, &id).await;
        assert_eq!(after["status"], "withdrawn");
        assert_eq!(after["overdue"], false);
        assert_eq!(part(&after, "socialnamnden")["decision"], Value::Null);
        let journal = app.journal(&hl, &id).await;
        assert_eq!(
            event_names(&journal),
            vec!["received", "handler_assigned", "withdrawn"]
        );
        assert_eq!(journal[2]["actor"], "kc-anna");
        assert_eq!(
            journal[2]["data"],
            json!({"note": "Återkallad per telefon."})
        );
    }
);
