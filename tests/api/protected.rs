//! Skyddad identitet (domain.md §8, docs/security.md): a request from a person with
//! sekretessmarkering, logged at the desk. Their address and contact data reach only the
//! handläggare assigned to a part and administrators; every read of the case states a reason
//! that the audit keeps; the answer is picked up or sent through Skatteverket; only an
//! administrator lifts the mark.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::casework::{add_namnder, get_json, tolvans_letter, work, work_ok, TOLVAN};
use crate::helpers::*;
use crate::journey;

const REASON_HEADER: &str = "Dsar-Read-Reason";
const STREET: &str = "Hemliga vägen 7";

fn karin() -> Caller {
    Caller::named_handlaggare("hl-karin", &["kommunstyrelsen"])
}

/// Tolvan's protected request to kommunstyrelsen, his identity checked at the desk.
async fn protected_case(app: &TestApp) -> String {
    add_namnder(app).await;
    let mut request = tolvans_letter("objection", "2026-03-09T10:00:00Z", &["kommunstyrelsen"]);
    request["subject"]["address"] =
        json!({"street": STREET, "postal_code": "151 89", "city": "Södertälje"});
    request["subject"]["phone"] = json!("070-123 45 67");
    request["protected_identity"] = json!(true);
    let kc = Caller::kontaktcenter();
    let created = app.create_case(&kc, &request).await;
    assert_eq!(created["protected_identity"], true, "{created}");
    // Even the clerk who logged it sees the contact data no more once it is registered.
    assert_eq!(created["contact_restricted"], true, "{created}");
    assert_no_contact_data("the creation answer", &created);
    let id = id_of(&created);
    let verify = json!({"action": "verify", "method": "id_document", "document_type": "pass"});
    let response = app
        .send(
            app.request(
                Method::POST,
                &format!("/api/v1/cases/{id}/identity"),
                Some(&kc),
            )
            .json(&verify),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    id
}

fn assert_no_contact_data(what: &str, case: &Value) {
    let text = case.to_string();
    for secret in [STREET, "Södertälje", "tolvan@example.se", "070-123 45 67"] {
        assert!(!text.contains(secret), "{what} shows {secret}: {text}");
    }
}

/// `GET path` as `caller` with the reason `reason`.
async fn read_with_reason(
    app: &TestApp,
    caller: &Caller,
    path: &str,
    reason: &str,
) -> (StatusCode, Value) {
    let response = app
        .send(
            app.request(Method::GET, path, Some(caller))
                .header(REASON_HEADER, reason),
        )
        .await;
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

journey!(
    every_read_of_a_protected_case_states_a_reason_the_audit_keeps,
    |app: TestApp| async move {
        let id = protected_case(&app).await;
        let karin = karin();

        // Without a reason: 428, the case shown to nobody, the refusal audited.
        for path in [
            format!("/api/v1/cases/{id}"),
            format!("/api/v1/cases/{id}/journal"),
            format!("/api/v1/cases/{id}/deadline"),
            format!("/api/v1/cases/{id}/candidates"),
        ] {
            let response = app.get(&karin, &path).await;
            let refusal = problem(response, StatusCode::PRECONDITION_REQUIRED).await;
            assert_eq!(refusal["code"], "read_reason_required", "{path}");
            assert!(refusal["detail"]
                .as_str()
                .unwrap()
                .contains("Dsar-Read-Reason"));
        }
        let refusals: Vec<Value> = app
            .audit_log(Some(&id))
            .await
            .into_iter()
            .filter(|e| e["action"] == "case.read_refused")
            .collect();
        assert_eq!(refusals.len(), 4, "{refusals:?}");
        assert!(refusals.iter().all(|r| r["detail"]["status"] == 428));

        // An empty reason is no reason.
        let (status, _) =
            read_with_reason(&app, &karin, &format!("/api/v1/cases/{id}"), "  ").await;
        assert_eq!(status, StatusCode::PRECONDITION_REQUIRED);

        // With a reason the read is answered and its audit row keeps the reason.
        let reason = "Handläggning av invändningen";
        let (status, case) =
            read_with_reason(&app, &karin, &format!("/api/v1/cases/{id}"), reason).await;
        assert_eq!(status, StatusCode::OK, "{case}");
        assert_eq!(case["subject"]["name"], "Tolvan Tolvansson");
        let reads: Vec<Value> = app
            .audit_log(Some(&id))
            .await
            .into_iter()
            .filter(|e| e["action"] == "case.read")
            .collect();
        assert_eq!(reads.len(), 1, "{reads:?}");
        assert_eq!(reads[0]["actor"], "hl-karin");
        assert_eq!(reads[0]["detail"]["reason"], reason);
        assert_eq!(reads[0]["detail"]["protected_identity"], true);

        // A case without protection needs no reason.
        let open = app
            .create_case(
                &Caller::kontaktcenter(),
                &tolvans_letter("objection", "2026-03-09T10:00:00Z", &["kommunstyrelsen"]),
            )
            .await;
        let response = app
            .get(&karin, &format!("/api/v1/cases/{}", id_of(&open)))
            .await;
        assert_eq!(response.status(), StatusCode::OK);
    }
);

journey!(
    only_the_assigned_handlaggare_and_an_administrator_see_where_a_protected_person_lives,
    |app: TestApp| async move {
        let id = protected_case(&app).await;
        let karin = karin();
        let case_path = format!("/api/v1/cases/{id}");
        let reason = "Granskning";

        // Before anyone is assigned: kommunstyrelsen's handläggare, Kontaktcenter and the DPO
        // read the case without its contact data.
        for caller in [karin.clone(), Caller::kontaktcenter(), Caller::dpo()] {
            let (status, case) = read_with_reason(&app, &caller, &case_path, reason).await;
            assert_eq!(status, StatusCode::OK, "{case}");
            assert_eq!(case["contact_restricted"], true, "{caller:?}");
            assert_eq!(case["subject"]["address"], Value::Null);
            assert_no_contact_data("the case", &case);
        }

        // Karin takes the part: now she sees the address, the e-mail and the phone.
        let response = work(
            &app,
            &karin,
            &id,
            "parts/kommunstyrelsen/assign",
            &json!({}),
        )
        .await;
        assert_eq!(response.status(), StatusCode::OK);
        let (_, case) = read_with_reason(&app, &karin, &case_path, reason).await;
        assert_eq!(case["contact_restricted"], false);
        assert_eq!(case["subject"]["address"]["street"], STREET);
        assert_eq!(case["subject"]["email"], "tolvan@example.se");
        // A colleague of the same nämnd who is not assigned does not.
        let colleague = Caller::named_handlaggare("hl-olle", &["kommunstyrelsen"]);
        let (_, case) = read_with_reason(&app, &colleague, &case_path, reason).await;
        assert_no_contact_data("a colleague's read", &case);
        // The administrator does.
        let (_, case) = read_with_reason(&app, &Caller::admin(), &case_path, reason).await;
        assert_eq!(case["subject"]["address"]["street"], STREET);

        // Lists and searches give no reason, so they never show the contact data, not even
        // to Karin.
        let page = get_json(&app, &karin, "/api/v1/cases").await;
        assert_eq!(page["items"][0]["contact_restricted"], true);
        assert_no_contact_data("the list", &page);
        let found: Value = app
            .post(
                &karin,
                "/api/v1/cases/search",
                &json!({"personnummer": TOLVAN}),
            )
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(found["items"].as_array().unwrap().len(), 1);
        assert_no_contact_data("the search", &found);
    }
);

journey!(
    the_answer_to_a_protected_person_is_picked_up_or_sent_through_skatteverket,
    |app: TestApp| async move {
        let id = protected_case(&app).await;
        let karin = karin();
        work_ok(
            &app,
            &karin,
            &id,
            "decisions",
            &json!({"controller": "kommunstyrelsen", "outcome": "refused", "legal_grounds": ["gdpr_21_1"],
                    "reasons": "Behandlingen är nödvändig för att utföra en uppgift av allmänt intresse."}),
            StatusCode::CREATED,
        )
        .await;

        for method in ["registered_letter", "digital_mailbox"] {
            let response = work(&app, &karin, &id, "delivery", &json!({"method": method})).await;
            let refusal = problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
            assert_eq!(
                field_errors(&refusal),
                vec![("method".to_owned(), "protected_identity".to_owned())],
                "{method}"
            );
        }
        let case = work_ok(
            &app,
            &karin,
            &id,
            "delivery",
            &json!({"method": "skatteverket_forwarding"}),
            StatusCode::OK,
        )
        .await;
        assert_eq!(case["delivery"]["method"], "skatteverket_forwarding");

        // Skatteverket forwards only to people whose address is protected.
        let open = app
            .create_case(
                &Caller::kontaktcenter(),
                &crate::casework::tolvans_signed_letter(
                    "objection",
                    "2026-03-09T10:00:00Z",
                    &["kommunstyrelsen"],
                ),
            )
            .await;
        let open_id = id_of(&open);
        work_ok(
            &app,
            &karin,
            &open_id,
            "decisions",
            &json!({"controller": "kommunstyrelsen", "outcome": "refused", "legal_grounds": ["gdpr_21_1"],
                    "reasons": "Behandlingen är nödvändig för att utföra en uppgift av allmänt intresse."}),
            StatusCode::CREATED,
        )
        .await;
        let response = work(
            &app,
            &karin,
            &open_id,
            "delivery",
            &json!({"method": "skatteverket_forwarding"}),
        )
        .await;
        let refusal = problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(
            field_errors(&refusal),
            vec![("method".to_owned(), "not_protected".to_owned())]
        );
    }
);

journey!(
    staff_mark_a_case_protected_and_only_an_administrator_lifts_the_mark,
    |app: TestApp| async move {
        add_namnder(&app).await;
        let kc = Caller::kontaktcenter();
        let case = app
            .create_case(
                &kc,
                &tolvans_letter("access", "2026-03-09T10:00:00Z", &["kommunstyrelsen"]),
            )
            .await;
        let id = id_of(&case);
        assert_eq!(case["protected_identity"], false);

        // The person calls and says they have skyddad folkbokföring: the desk marks the case.
        let marked = work_ok(
            &app,
            &kc,
            &id,
            "protected-identity",
            &json!({"protected_identity": true}),
            StatusCode::OK,
        )
        .await;
        assert_eq!(marked["protected_identity"], true);
        assert_no_contact_data("the marked case", &marked);
        let response = app.get(&kc, &format!("/api/v1/cases/{id}")).await;
        assert_eq!(response.status(), StatusCode::PRECONDITION_REQUIRED);

        // Neither the desk nor a handläggare may lift it; the e-tjänst and the DPO may not
        // touch it at all.
        for caller in [kc.clone(), karin()] {
            let response = work(
                &app,
                &caller,
                &id,
                "protected-identity",
                &json!({"protected_identity": false}),
            )
            .await;
            assert_eq!(response.status(), StatusCode::FORBIDDEN, "{caller:?}");
        }
        for caller in [Caller::dpo(), Caller::etjanst()] {
            let response = work(
                &app,
                &caller,
                &id,
                "protected-identity",
                &json!({"protected_identity": true}),
            )
            .await;
            assert!(
                [StatusCode::FORBIDDEN, StatusCode::NOT_FOUND].contains(&response.status()),
                "{caller:?}: {}",
                response.status()
            );
        }
        let lifted = work_ok(
            &app,
            &Caller::admin(),
            &id,
            "protected-identity",
            &json!({"protected_identity": false}),
            StatusCode::OK,
        )
        .await;
        assert_eq!(lifted["protected_identity"], false);

        // The journal says when it was marked and lifted, and nothing more.
        let journal = app.journal(&Caller::admin(), &id).await;
        let changes: Vec<&Value> = journal
            .iter()
            .filter(|e| e["event"] == "protected_identity_changed")
            .map(|e| &e["data"])
            .collect();
        assert_eq!(
            changes,
            vec![
                &json!({"protected_identity": true}),
                &json!({"protected_identity": false})
            ]
        );
        let actions = app.audit_actions().await;
        assert_eq!(
            actions
                .iter()
                .filter(|a| *a == "case.protected_identity")
                .count(),
            2,
            "{actions:?}"
        );
    }
);

journey!(
    the_etjanst_can_say_at_intake_that_the_person_is_protected,
    |app: TestApp| async move {
        add_namnder(&app).await;
        let mut request = etjanst_access_request();
        request["protected_identity"] = json!(true);
        let created = app.create_case(&Caller::etjanst(), &request).await;
        assert_eq!(created["protected_identity"], true, "{created}");
        let (status, journal) = read_with_reason(
            &app,
            &Caller::admin(),
            &format!("/api/v1/cases/{}/journal", id_of(&created)),
            "Kontroll av registreringen",
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(journal[0]["event"], "received");
        assert_eq!(journal[0]["data"]["protected_identity"], true);
    }
);
