//! Who may work on a case (api.md, roles): a handläggare only on their own nämnd's part, and the
//! DPO, who monitors and advises, never decides (Art. 38(6)).

use reqwest::StatusCode;
use serde_json::json;

use super::*;
use crate::helpers::*;
use crate::journey;

journey!(
    a_handlaggare_cannot_touch_another_namnds_part,
    |app: TestApp| async move {
        add_namnder(&app).await;
        let kc = Caller::kontaktcenter();
        let social = Caller::named_handlaggare("hl-sara", &["socialnamnden"]);
        let styrelsen = Caller::named_handlaggare("hl-karl", &["kommunstyrelsen"]);

        // A case of socialnämnden only does not exist as far as kommunstyrelsen's handläggare knows.
        let only_social = app
            .create_case(
                &kc,
                &tolvans_letter("access", "2026-03-03T09:00:00Z", &["socialnamnden"]),
            )
            .await;
        let id = id_of(&only_social);
        for path in ["", "/journal", "/deadline"] {
            let response = app
                .get(&styrelsen, &format!("/api/v1/cases/{id}{path}"))
                .await;
            problem(response, StatusCode::NOT_FOUND).await;
        }
        for (action, body) in [
            (
                "decisions",
                json!({"controller": "kommunstyrelsen", "outcome": "granted"}),
            ),
            (
                "identity",
                json!({"action": "verify", "method": "id_document", "document_type": "pass"}),
            ),
            ("extension", json!({"reason": "Många handlingar."})),
            ("parts/kommunstyrelsen/assign", json!({})),
            ("withdraw", json!({})),
        ] {
            let response = work(&app, &styrelsen, &id, action, &body).await;
            problem(response, StatusCode::NOT_FOUND).await;
        }
        let listed = get_json(&app, &styrelsen, "/api/v1/cases").await;
        assert_eq!(listed["items"], json!([]));
        let search = app
            .post(
                &styrelsen,
                "/api/v1/cases/search",
                &json!({"personnummer": TOLVAN}),
            )
            .await;
        assert_eq!(search.status(), StatusCode::OK);
        let found: serde_json::Value = search.json().await.unwrap();
        assert_eq!(found["items"], json!([]));
        let untouched = read_case(&app, &social, &id).await;
        assert_eq!(untouched["version"], 1);
        assert_eq!(untouched["identity"]["status"], "unverified");

        // A case of both: each sees it, but decides only for their own nämnd.
        let both = app
            .create_case(
                &kc,
                &tolvans_signed_letter(
                    "access",
                    "2026-03-04T09:00:00Z",
                    &["socialnamnden", "kommunstyrelsen"],
                ),
            )
            .await;
        let id = id_of(&both);
        read_case(&app, &styrelsen, &id).await;
        let response = work(
            &app,
            &styrelsen,
            &id,
            "decisions",
            &json!({"controller": "socialnamnden", "outcome": "granted"}),
        )
        .await;
        let body = problem(response, StatusCode::FORBIDDEN).await;
        assert_eq!(body["code"], "forbidden");
        let response = work(
            &app,
            &styrelsen,
            &id,
            "parts/socialnamnden/assign",
            &json!({}),
        )
        .await;
        problem(response, StatusCode::FORBIDDEN).await;
        let after = read_case(&app, &social, &id).await;
        assert_eq!(after["version"], 1);
        assert_eq!(
            part(&after, "socialnamnden"),
            &json!({"controller": "socialnamnden", "status": "open", "handler": null, "handler_name": null, "decision": null,
                    "decided_at": null, "restricted": false})
        );

        // Their own part is theirs to decide.
        let decided = decide(
            &app,
            &styrelsen,
            &id,
            &json!({"controller": "kommunstyrelsen", "outcome": "granted"}),
        )
        .await;
        assert_eq!(decided["status"], "in_progress");
        assert_eq!(part(&decided, "kommunstyrelsen")["status"], "decided");
        assert_eq!(part(&decided, "socialnamnden")["status"], "open");
        // Socialnämnden's journal shows nothing of kommunstyrelsen's decision; the DPO's does.
        assert_eq!(
            event_names(&app.journal(&social, &id).await),
            vec!["received"]
        );
        assert_eq!(
            event_names(&app.journal(&Caller::dpo(), &id).await),
            vec!["received", "decided"]
        );
        assert_eq!(
            part(&read_case(&app, &social, &id).await, "kommunstyrelsen")["decided_at"],
            part(&decided, "kommunstyrelsen")["decision"]["decided_at"]
        );
    }
);

journey!(
    the_dpo_reads_a_case_but_cannot_decide_or_extend_it,
    |app: TestApp| async move {
        add_namnder(&app).await;
        let dpo = Caller::dpo();
        let case = app
            .create_case(
                &Caller::kontaktcenter(),
                &tolvans_letter("access", "2026-03-03T09:00:00Z", &["socialnamnden"]),
            )
            .await;
        let id = id_of(&case);

        for (action, body) in [
            (
                "decisions",
                json!({"controller": "socialnamnden", "outcome": "granted"}),
            ),
            ("extension", json!({"reason": "Många handlingar."})),
            ("parts/socialnamnden/assign", json!({})),
            ("close", json!({})),
            ("delivery", json!({"method": "pickup"})),
        ] {
            let response = work(&app, &dpo, &id, action, &body).await;
            let body = problem(response, StatusCode::FORBIDDEN).await;
            assert_eq!(body["code"], "forbidden", "{action}");
        }

        // The DPO sees everything about it.
        let read = read_case(&app, &dpo, &id).await;
        assert_eq!(read["reference"], "DSAR-2026-00001");
        assert_eq!(read["status"], "received");
        assert_eq!(read["version"], 1);
        assert_eq!(read["extension"], serde_json::Value::Null);
        assert_eq!(
            part(&read, "socialnamnden")["decision"],
            serde_json::Value::Null
        );
        assert_eq!(event_names(&app.journal(&dpo, &id).await), vec!["received"]);
        let explained = get_json(&app, &dpo, &format!("/api/v1/cases/{id}/deadline")).await;
        assert_eq!(explained["governing_deadline"], "2026-04-07");
    }
);
