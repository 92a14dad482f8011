//! Two people acting on the same case at the same time: one wins, the other is told, and
//! nothing is decided twice. `If-Match` lets a client act only on the version it saw.

use reqwest::{Method, Response, StatusCode};
use serde_json::{json, Value};

use super::*;
use crate::helpers::*;
use crate::journey;

/// `POST /api/v1/cases/{id}/{action}` with `If-Match: {version}`.
async fn work_if_match(
    app: &TestApp,
    caller: &Caller,
    id: &str,
    action: &str,
    version: &str,
    body: &Value,
) -> Response {
    let path = format!("/api/v1/cases/{id}/{action}");
    let request = app
        .request(Method::POST, &path, Some(caller))
        .header("If-Match", version)
        .json(body);
    app.send(request).await
}

journey!(
    two_handlaggare_decide_the_same_part_at_once,
    |app: TestApp| async move {
        add_namnder(&app).await;
        let sara = Caller::named_handlaggare("hl-sara", &["socialnamnden"]);
        let sven = Caller::named_handlaggare("hl-sven", &["socialnamnden"]);
        // Two parts, so the case stays open after socialnämnden's decision.
        for round in 1..=3 {
            let case = app
                .create_case(
                    &Caller::kontaktcenter(),
                    &tolvans_signed_letter(
                        "access",
                        "2026-03-03T09:00:00Z",
                        &["socialnamnden", "kommunstyrelsen"],
                    ),
                )
                .await;
            let id = id_of(&case);
            let granted = json!({"controller": "socialnamnden", "outcome": "granted"});
            let refused = json!({
                "controller": "socialnamnden",
                "outcome": "refused", "legal_grounds": ["dsl_5_1"],
                "reasons": "Inga uppgifter om personen finns hos socialnämnden."
            });
            let (first, second) = tokio::join!(
                work(&app, &sara, &id, "decisions", &granted),
                work(&app, &sven, &id, "decisions", &refused),
            );
            let (first_status, second_status) = (first.status(), second.status());
            let (winner, loser, winner_outcome) = match (first_status, second_status) {
                (StatusCode::CREATED, StatusCode::CONFLICT) => ("hl-sara", second, "granted"),
                (StatusCode::CONFLICT, StatusCode::CREATED) => ("hl-sven", first, "refused"),
                other => panic!("round {round}: expected one 201 and one 409, got {other:?}"),
            };
            let body = problem(loser, StatusCode::CONFLICT).await;
            assert!(
                ["part_already_decided", "concurrent_modification"]
                    .contains(&body["code"].as_str().unwrap()),
                "round {round}: {body}"
            );

            // One decision, by whoever won, and one journal entry for it.
            // (As the DPO reads it: the desk sees no decision, only that the part is decided.)
            let after = read_case(&app, &Caller::dpo(), &id).await;
            assert_eq!(after["status"], "in_progress", "round {round}");
            let decision = &part(&after, "socialnamnden")["decision"];
            assert_eq!(decision["decided_by"], winner, "round {round}");
            assert_eq!(decision["outcome"], winner_outcome, "round {round}");
            assert_eq!(part(&after, "socialnamnden")["handler"], winner);
            assert_eq!(part(&after, "kommunstyrelsen")["status"], "open");
            let journal = app.journal(&Caller::dpo(), &id).await;
            assert_eq!(
                event_names(&journal),
                vec!["received", "decided"],
                "round {round}"
            );
            assert_eq!(journal[1]["actor"], winner);
            assert_eq!(after["version"], 2, "round {round}");
        }
    }
);

journey!(
    a_decision_on_a_stale_version_is_refused,
    |app: TestApp| async move {
        add_namnder(&app).await;
        let sara = Caller::named_handlaggare("hl-sara", &["socialnamnden"]);
        let sven = Caller::named_handlaggare("hl-sven", &["socialnamnden"]);
        let case = app
            .create_case(
                &Caller::kontaktcenter(),
                &tolvans_signed_letter("access", "2026-03-03T09:00:00Z", &["socialnamnden"]),
            )
            .await;
        let id = id_of(&case);
        // Sara opens the case at version 1 ...
        let seen = read_case(&app, &sara, &id).await;
        assert_eq!(seen["version"], 1);
        // ... meanwhile Sven takes the part.
        let taken = work_ok(
            &app,
            &sven,
            &id,
            "parts/socialnamnden/assign",
            &json!({}),
            StatusCode::OK,
        )
        .await;
        assert_eq!(taken["version"], 2);

        // Sara decides on what she saw: refused, and nothing changes.
        let decision = json!({"controller": "socialnamnden", "outcome": "granted"});
        let response = work_if_match(&app, &sara, &id, "decisions", "1", &decision).await;
        let body = problem(response, StatusCode::CONFLICT).await;
        assert_eq!(body["code"], "version_mismatch");
        let after = read_case(&app, &sara, &id).await;
        assert_eq!(after["version"], 2);
        assert_eq!(after["status"], "in_progress");
        assert_eq!(part(&after, "socialnamnden")["decision"], Value::Null);
        assert_eq!(part(&after, "socialnamnden")["handler"], "hl-sven");

        // Having looked again (version 2, sent as an ETag would be), she may decide.
        let response = work_if_match(&app, &sara, &id, "decisions", "\"2\"", &decision).await;
        assert_eq!(response.status(), StatusCode::CREATED);
        let decided: Value = response.json().await.unwrap();
        assert_eq!(decided["version"], 3);
        assert_eq!(decided["status"], "decided");
        assert_eq!(
            event_names(&app.journal(&sara, &id).await),
            vec!["received", "handler_assigned", "decided"]
        );
    }
);
