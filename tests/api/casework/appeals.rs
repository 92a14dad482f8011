//! Appeals (domain.md §6, förvaltningslagen 43-46 §§): Tolvan appeals socialnämndens refusal;
//! the appeal is tried for time against the day he was notified (recorded on the posted
//! decision letter, given, or unknown and so in time), one in time is forwarded to
//! förvaltningsrätten with the documents, a late one is rejected; the journal tells it all; a
//! case with an appeal pending is held from retention.

use reqwest::StatusCode;
use serde_json::{json, Value};

use super::*;
use crate::helpers::*;
use crate::journey;

async fn refused_objection(app: &TestApp) -> String {
    add_namnder(app).await;
    // Tolvan wrote without giving an e-mail address: every letter goes by post.
    let mut letter = tolvans_signed_letter(
        "objection",
        "2026-03-02T09:00:00Z",
        &["socialnamnden", "kommunstyrelsen"],
    );
    letter["subject"]
        .as_object_mut()
        .expect("subject")
        .remove("email");
    let case = app.create_case(&Caller::kontaktcenter(), &letter).await;
    let id = id_of(&case);
    at(app, "2026-03-09T09:00:00Z");
    for (controller, outcome) in [("socialnamnden", "refused"), ("kommunstyrelsen", "granted")] {
        let mut body = json!({"controller": controller, "outcome": outcome});
        if outcome == "refused" {
            body["reasons"] = json!("Behandlingen behövs för myndighetsutövning.");
            body["legal_grounds"] = json!(["gdpr_21_1"]);
        }
        decide(app, &Caller::handlaggare(&[controller]), &id, &body).await;
    }
    id
}

journey!(
    an_appeal_is_tried_for_time_and_forwarded_to_the_court,
    |app: TestApp| async move {
        let id = refused_objection(&app).await;
        let sn = Caller::named_handlaggare("hl-sven", &["socialnamnden"]);
        let path = format!("/api/v1/cases/{id}/appeals");
        at(&app, "2026-03-25T09:00:00Z");

        // The decision went by post, as a rekommenderat brev, and Postnord handed it over on
        // Tuesday 10 March.
        let queued: Vec<Value> = get_json(&app, &sn, "/api/v1/letters?status=to_print").await
            ["items"]
            .as_array()
            .unwrap()
            .clone();
        let decision_letter = queued
            .iter()
            .find(|l| l["template"] == "decision_notice" && l["case_id"] == id.as_str())
            .unwrap_or_else(|| panic!("the decision letter waits in the print queue: {queued:?}"))
            .clone();
        let letter_path = |what: &str| {
            format!(
                "/api/v1/letters/{}/{what}",
                decision_letter["id"].as_str().unwrap()
            )
        };
        let received = json!({"received_on": "2026-03-10",
                              "evidence": "registered_letter_delivered"});
        // A letter still in the queue has reached no one.
        let response = app.post(&sn, &letter_path("received"), &received).await;
        let refusal = problem(response, StatusCode::CONFLICT).await;
        assert_eq!(refusal["code"], "letter_not_sent");
        let response = app
            .post(
                &sn,
                &letter_path("posted"),
                &json!({"posted_on": "2026-03-09", "registered_number": "RR123456785SE"}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::OK);
        // It cannot have arrived before it was posted.
        let response = app
            .post(
                &sn,
                &letter_path("received"),
                &json!({"received_on": "2026-03-08", "evidence": "registered_letter_delivered"}),
            )
            .await;
        let refusal = problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(
            field_errors(&refusal),
            vec![field("received_on", "invalid")]
        );
        let response = app.post(&sn, &letter_path("received"), &received).await;
        assert_eq!(response.status(), StatusCode::OK);
        let letter: Value = response.json().await.unwrap();
        assert_eq!(letter["received_on"], "2026-03-10");
        assert_eq!(letter["receipt_evidence"], "registered_letter_delivered");

        // Only a decided part can be appealed.
        let response = app
            .post(
                &Caller::admin(),
                &path,
                &json!({"controller": "barnnamnden", "received_on": "2026-03-25",
                                      "notified_on": "2026-03-10"}),
            )
            .await;
        let refusal = problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(
            field_errors(&refusal),
            vec![field("controller", "not_decided")]
        );

        // Notified Tuesday 10 March, as the letter records: the last day is Tuesday 31 March.
        // In time.
        let response = app
            .post(
                &sn,
                &path,
                &json!({"controller": "socialnamnden", "received_on": "2026-03-25"}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED);
        let appeal: Value = response.json().await.unwrap();
        assert_eq!(appeal["notified_on"], "2026-03-10");
        assert_eq!(appeal["notified_from"], "letter_received");
        assert_eq!(appeal["last_day"], "2026-03-31");
        assert_eq!(appeal["in_time"], true);
        assert_eq!(appeal["status"], "pending");

        // A second appeal arriving on 1 April is late, and rejected.
        at(&app, "2026-04-01T09:00:00Z");
        let late: Value = app
            .post(
                &sn,
                &path,
                &json!({"controller": "socialnamnden", "received_on": "2026-04-01",
                                      "notified_on": "2026-03-10"}),
            )
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(late["notified_from"], "given");
        assert_eq!(late["in_time"], false);
        assert_eq!(late["status"], "rejected_late");

        // The one in time goes to the court with the documents; the late one cannot.
        let forward = |appeal: &Value| {
            format!(
                "/api/v1/cases/{id}/appeals/{}/forwarding",
                appeal["id"].as_str().unwrap()
            )
        };
        let documents = json!(["Överklagande", "Beslut 2026-03-09", "Utredning"]);
        let response = app
            .post(&sn, &forward(&appeal), &json!({"documents": []}))
            .await;
        let refusal = problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(field_errors(&refusal), vec![field("documents", "required")]);
        let response = app
            .post(&sn, &forward(&appeal), &json!({"documents": documents}))
            .await;
        assert_eq!(response.status(), StatusCode::OK);
        let forwarded: Value = response.json().await.unwrap();
        assert_eq!(forwarded["status"], "forwarded_to_court");
        assert_eq!(forwarded["forwarded_on"], "2026-04-01");
        assert_eq!(forwarded["court"], "Förvaltningsrätten i Stockholm");
        assert_eq!(forwarded["documents"], documents);
        let response = app
            .post(&sn, &forward(&late), &json!({"documents": documents}))
            .await;
        let refusal = problem(response, StatusCode::CONFLICT).await;
        assert_eq!(refusal["code"], "appeal_not_pending");

        // The journal tells it all.
        let journal = app.journal(&sn, &id).await;
        let appeal_events: Vec<&str> = journal
            .iter()
            .map(|e| e["event"].as_str().unwrap())
            .filter(|e| e.starts_with("appeal_"))
            .collect();
        assert_eq!(
            appeal_events,
            ["appeal_received", "appeal_received", "appeal_forwarded"]
        );

        // Socialnämnden's appeals are its own: kommunstyrelsen sees none of them.
        let listed = get_json(&app, &sn, &format!("/api/v1/cases/{id}/appeals")).await;
        assert_eq!(listed.as_array().unwrap().len(), 2);
        let ks = Caller::handlaggare(&["kommunstyrelsen"]);
        let listed = get_json(&app, &ks, &format!("/api/v1/cases/{id}/appeals")).await;
        assert_eq!(listed, json!([]));
        assert!(!app
            .journal(&ks, &id)
            .await
            .iter()
            .any(|e| e["event"].as_str().unwrap().starts_with("appeal_")));
        // Nor may kommunstyrelsen record an appeal of socialnämnden's decision.
        let response = app
            .post(
                &ks,
                &path,
                &json!({"controller": "socialnamnden", "received_on": "2026-04-01",
                                      "notified_on": "2026-03-10"}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
    }
);

journey!(
    a_case_with_an_appeal_pending_is_held_from_retention,
    |app: TestApp| async move {
        let id = refused_objection(&app).await;
        let sn = Caller::handlaggare(&["socialnamnden"]);
        at(&app, "2026-03-20T09:00:00Z");
        work_ok(&app, &sn, &id, "close", &json!({}), StatusCode::OK).await;
        // An appeal can arrive after the case is closed. The decision went as an ordinary
        // letter and nobody knows when Tolvan got it: the nämnd cannot show the appeal late.
        let response = app
            .post(
                &sn,
                &format!("/api/v1/cases/{id}/appeals"),
                &json!({"controller": "socialnamnden", "received_on": "2026-03-20"}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED);
        let appeal: Value = response.json().await.unwrap();
        assert_eq!(appeal["notified_from"], "unknown");
        assert_eq!(appeal["notified_on"], Value::Null);
        assert_eq!(appeal["last_day"], Value::Null);
        assert_eq!(appeal["in_time"], true);
        assert_eq!(appeal["status"], "pending");

        let report: Value = app
            .post(
                &Caller::admin(),
                "/api/v1/retention/run",
                &json!({"dry_run": true, "as_of": "2028-01-01"}),
            )
            .await
            .json()
            .await
            .unwrap();
        let purged: Vec<&Value> = report["classes"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|c| c["items"].as_array().unwrap())
            .collect();
        assert!(purged.is_empty(), "{purged:?}");
        assert_eq!(report["kept"][0]["because"], "appeal_pending", "{report}");
        assert_eq!(report["kept"][0]["class"], "case_record");
    }
);

journey!(
    an_omprovning_replaces_the_decision_and_keeps_the_old_one,
    |app: TestApp| async move {
        let id = refused_objection(&app).await;
        let sn = Caller::handlaggare(&["socialnamnden"]);
        at(&app, "2026-03-20T09:00:00Z");
        let appeal: Value = app
            .post(
                &sn,
                &format!("/api/v1/cases/{id}/appeals"),
                &json!({"controller": "socialnamnden", "received_on": "2026-03-20",
                          "notified_on": "2026-03-10"}),
            )
            .await
            .json()
            .await
            .unwrap();
        let path = format!(
            "/api/v1/cases/{id}/appeals/{}/reconsideration",
            appeal["id"].as_str().unwrap()
        );

        // The nämnd changes its mind and grants the objection: the appeal lapses.
        let response = app
            .post(
                &sn,
                &path,
                &json!({"controller": "socialnamnden", "outcome": "granted"}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::OK);
        let case: Value = response.json().await.unwrap();
        assert_eq!(
            part(&case, "socialnamnden")["decision"]["outcome"],
            "granted"
        );
        assert_eq!(case["status"], "decided");
        assert_eq!(
            case["decided_at"], "2026-03-09T09:00:00Z",
            "the first decision date stays"
        );
        let appeals = get_json(&app, &sn, &format!("/api/v1/cases/{id}/appeals")).await;
        assert_eq!(appeals[0]["status"], "reconsidered");
        // Both decisions are kept among the case's documents.
        let documents = get_json(&app, &sn, &format!("/api/v1/cases/{id}/documents")).await;
        let titles: Vec<&str> = documents
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["title_sv"].as_str().unwrap())
            .collect();
        assert!(
            titles.contains(&"Beslut som ändrats vid omprövning: Avslag"),
            "{titles:?}"
        );
        assert!(titles.contains(&"Beslut: Bifall"), "{titles:?}");
        let events = event_names(&app.journal(&sn, &id).await);
        assert!(
            events.contains(&"decision_reconsidered".to_owned()),
            "{events:?}"
        );

        // A lapsed appeal cannot be reconsidered again.
        let response = app
            .post(
                &sn,
                &path,
                &json!({"controller": "socialnamnden", "outcome": "granted"}),
            )
            .await;
        assert_eq!(
            problem(response, StatusCode::CONFLICT).await["code"],
            "appeal_not_pending"
        );
    }
);
