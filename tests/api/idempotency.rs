//! `Idempotency-Key`: a client that retries after a lost answer does not create a second case.

use std::sync::Arc;

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::*;
use crate::journey;

journey!(
    the_etjanst_retries_after_a_lost_answer_and_gets_the_same_case,
    |app: TestApp| async move {
        app.add_controller("kommunstyrelsen", "Kommunstyrelsen")
            .await;
        let key = "etjanst-form-4711";

        let first = app
            .create_case_with_key(&Caller::etjanst(), key, &etjanst_access_request())
            .await;
        assert_eq!(first.status(), StatusCode::CREATED);
        let first: Value = first.json().await.unwrap();

        // Ten minutes later the e-tjänst sends the same form again with the same key.
        app.clock.advance(chrono::Duration::minutes(10));
        let retry = app
            .create_case_with_key(&Caller::etjanst(), key, &etjanst_access_request())
            .await;
        assert_eq!(retry.status(), StatusCode::CREATED);
        let location = retry.headers()["location"].to_str().unwrap().to_owned();
        let retry: Value = retry.json().await.unwrap();

        assert_eq!(retry["id"], first["id"]);
        assert_eq!(retry["reference"], "DSAR-2026-00001");
        assert_eq!(retry["received_at"], "2026-03-10T09:00:00Z");
        assert_eq!(
            location,
            format!("/api/v1/cases/{}", first["id"].as_str().unwrap())
        );
        assert_eq!(references(&app.all_cases().await), vec!["DSAR-2026-00001"]);
        // The retry is in the audit log, as a replay and not as a second case.
        assert_eq!(
            app.audit_actions().await,
            vec![
                "controller.create",
                "case.create",
                "case.create_replayed",
                "case.list"
            ]
        );

        // The same JSON with its fields in another order is the same body.
        let reordered: Value = serde_json::from_str(
            r#"{
            "controllers": ["kommunstyrelsen"],
            "identity": {"transaction_reference": "bankid-order-0001", "provider": "bankid",
                         "personnummer": "19121212-1212", "assurance": "loa3", "method": "e_legitimation"},
            "subject": {
                "email": "tolvan@example.se",
                "address": {"city": "Södertälje", "postal_code": "15189", "street": "Storgatan 1"},
                "name": "Tolvan Tolvansson",
                "personnummer": "19121212-1212"
            },
            "kind": "access"
        }"#,
        )
        .unwrap();
        let again = app
            .create_case_with_key(&Caller::etjanst(), key, &reordered)
            .await;
        assert_eq!(again.status(), StatusCode::CREATED);
        let again: Value = again.json().await.unwrap();
        assert_eq!(again["id"], first["id"]);
        assert_eq!(app.all_cases().await.len(), 1);
    }
);

journey!(
    the_same_key_with_another_body_is_refused,
    |app: TestApp| async move {
        app.add_controller("kommunstyrelsen", "Kommunstyrelsen")
            .await;
        let key = "etjanst-form-4712";
        let first = app
            .create_case_with_key(&Caller::etjanst(), key, &etjanst_access_request())
            .await;
        assert_eq!(first.status(), StatusCode::CREATED);

        // A different request (erasure instead of access) reusing the key is a client bug.
        let mut other = etjanst_access_request();
        other["kind"] = json!("erasure");
        let response = app
            .create_case_with_key(&Caller::etjanst(), key, &other)
            .await;
        let body = problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(
            field_errors(&body),
            vec![(
                "Idempotency-Key".to_string(),
                "idempotency_key_reused".to_string()
            )]
        );
        assert_eq!(
            body["errors"][0]["message"],
            "This Idempotency-Key was used before with a different body."
        );

        let cases = app.all_cases().await;
        assert_eq!(references(&cases), vec!["DSAR-2026-00001"]);
        assert_eq!(cases[0]["kind"], "access");
    }
);

journey!(
    keys_belong_to_the_caller_who_sent_them,
    |app: TestApp| async move {
        app.add_controller("kommunstyrelsen", "Kommunstyrelsen")
            .await;
        // Two clients that happen to use the same key (e.g. both count their forms from 1).
        let key = "1";
        let etjanst = app
            .create_case_with_key(&Caller::etjanst(), key, &etjanst_access_request())
            .await;
        assert_eq!(etjanst.status(), StatusCode::CREATED);
        let etjanst: Value = etjanst.json().await.unwrap();

        let other_platform = Caller::new("e-tjansten-2", "etjanst");
        let other = app
            .create_case_with_key(&other_platform, key, &etjanst_access_request())
            .await;
        assert_eq!(other.status(), StatusCode::CREATED);
        let other: Value = other.json().await.unwrap();

        assert_ne!(other["id"], etjanst["id"]);
        assert_eq!(etjanst["reference"], "DSAR-2026-00001");
        assert_eq!(other["reference"], "DSAR-2026-00002");
        assert_eq!(
            references(&app.all_cases().await),
            vec!["DSAR-2026-00002", "DSAR-2026-00001"]
        );
    }
);

journey!(
    concurrent_retries_with_one_key_create_one_case,
    |app: TestApp| async move {
        app.add_controller("kommunstyrelsen", "Kommunstyrelsen")
            .await;
        // The e-tjänst times out and retries while the first request is still in flight.
        let app = Arc::new(app);
        let mut tasks = tokio::task::JoinSet::new();
        for _ in 0..20 {
            let app = Arc::clone(&app);
            tasks.spawn(async move {
                let response = app
                    .create_case_with_key(
                        &Caller::etjanst(),
                        "etjanst-form-4713",
                        &etjanst_access_request(),
                    )
                    .await;
                let status = response.status();
                let body: Value = response.json().await.unwrap();
                (status, body)
            });
        }
        let answers = tasks.join_all().await;

        let first_id = &answers[0].1["id"];
        for (status, body) in &answers {
            assert_eq!(*status, StatusCode::CREATED, "{body}");
            assert_eq!(&body["id"], first_id);
            assert_eq!(body["reference"], "DSAR-2026-00001");
        }
        assert_eq!(references(&app.all_cases().await), vec!["DSAR-2026-00001"]);
    }
);

journey!(an_invalid_key_is_refused, |app: TestApp| async move {
    app.add_controller("kommunstyrelsen", "Kommunstyrelsen")
        .await;
    for key in ["   ".to_string(), "k".repeat(201)] {
        let response = app
            .create_case_with_key(&Caller::etjanst(), &key, &etjanst_access_request())
            .await;
        let body = problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(
            field_errors(&body),
            vec![("Idempotency-Key".to_string(), "invalid".to_string())]
        );
    }
    assert_eq!(app.all_cases().await, Vec::<Value>::new());
});
