//! Case numbers: `DSAR-<year>-<nnnnn>`, unique and gap-free per year of registration.

use std::sync::Arc;

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::*;
use crate::journey;

/// `DSAR-<year>-00001` to `DSAR-<year>-<count>`.
fn series(year: i32, count: usize) -> Vec<String> {
    (1..=count).map(|n| format!("DSAR-{year}-{n:05}")).collect()
}

journey!(
    two_hundred_requests_at_once_get_two_hundred_consecutive_numbers,
    |app: TestApp| async move {
        app.add_controller("kommunstyrelsen", "Kommunstyrelsen")
            .await;
        let app = Arc::new(app);
        let mut tasks = tokio::task::JoinSet::new();
        for _ in 0..200 {
            let app = Arc::clone(&app);
            tasks.spawn(async move {
                app.create_case(&Caller::etjanst(), &etjanst_access_request())
                    .await
            });
        }
        let created = tasks.join_all().await;

        let mut numbers = references(&created);
        numbers.sort();
        assert_eq!(numbers, series(2026, 200));
        let mut stored = references(&app.all_cases().await);
        stored.sort();
        assert_eq!(stored, series(2026, 200));
    }
);

journey!(
    a_failed_registration_does_not_use_up_a_number,
    |app: TestApp| async move {
        app.add_controller("kommunstyrelsen", "Kommunstyrelsen")
            .await;
        let kc = Caller::kontaktcenter();
        let first = app
            .create_case(
                &kc,
                &NewCase::logged("access", "letter", "2026-03-09T10:00:00Z")
                    .controllers(&["kommunstyrelsen"]),
            )
            .await;
        assert_eq!(first["reference"], "DSAR-2026-00001");

        // "socialnamden" is a typo: there is no such controller.
        let response = app
            .post(
                &kc,
                "/api/v1/cases",
                &NewCase::logged("access", "letter", "2026-03-09T10:00:00Z")
                    .controllers(&["socialnamden"]),
            )
            .await;
        let body = problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(
            field_errors(&body),
            vec![(
                "controllers[0]".to_string(),
                "unknown_controller".to_string()
            )]
        );

        let next = app
            .create_case(
                &kc,
                &NewCase::logged("access", "letter", "2026-03-09T10:00:00Z")
                    .controllers(&["kommunstyrelsen"]),
            )
            .await;
        assert_eq!(next["reference"], "DSAR-2026-00002");
    }
);

journey!(
    failures_among_concurrent_registrations_leave_no_gaps,
    |app: TestApp| async move {
        app.add_controller("kommunstyrelsen", "Kommunstyrelsen")
            .await;
        let app = Arc::new(app);
        let mut tasks = tokio::task::JoinSet::new();
        // Twenty good requests and twenty naming an unknown controller, all at once: the failures
        // may share a group commit with the successes.
        for i in 0..40 {
            let app = Arc::clone(&app);
            tasks.spawn(async move {
                let controller = if i % 2 == 0 {
                    "kommunstyrelsen"
                } else {
                    "socialnamden"
                };
                let mut request = etjanst_access_request();
                request["controllers"] = json!([controller]);
                let response = app
                    .post(&Caller::etjanst(), "/api/v1/cases", &request)
                    .await;
                let status = response.status();
                let body: Value = response.json().await.unwrap();
                (controller, status, body)
            });
        }
        let answers = tasks.join_all().await;

        let mut numbers = Vec::new();
        for (controller, status, body) in &answers {
            if *controller == "kommunstyrelsen" {
                assert_eq!(*status, StatusCode::CREATED, "{body}");
                numbers.push(body["reference"].as_str().unwrap().to_owned());
            } else {
                assert_eq!(*status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
            }
        }
        numbers.sort();
        assert_eq!(numbers, series(2026, 20));
        assert_eq!(app.all_cases().await.len(), 20);

        let next = app
            .create_case(&Caller::etjanst(), &etjanst_access_request())
            .await;
        assert_eq!(next["reference"], "DSAR-2026-00021");
    }
);

journey!(
    the_year_of_the_number_is_the_year_of_registration,
    |app: TestApp| async move {
        let kc = Caller::kontaktcenter();
        let in_2026 = app
            .create_case(
                &kc,
                &NewCase::logged("access", "letter", "2026-03-09T10:00:00Z"),
            )
            .await;
        assert_eq!(in_2026["reference"], "DSAR-2026-00001");

        // Saturday 2027-01-02: a letter received on 2026-12-30 is registered in 2027.
        app.clock.set(utc("2027-01-02T09:00:00Z"));
        let letter = app
            .create_case(
                &kc,
                &NewCase::logged("access", "letter", "2026-12-30T10:00:00Z"),
            )
            .await;
        assert_eq!(letter["reference"], "DSAR-2027-00001");
        assert_eq!(letter["received_date"], "2026-12-30");
        assert_eq!(letter["created_at"], "2027-01-02T09:00:00Z");

        let next = app
            .create_case(
                &kc,
                &NewCase::logged("access", "phone", "2027-01-02T08:00:00Z"),
            )
            .await;
        assert_eq!(next["reference"], "DSAR-2027-00002");
    }
);

journey!(
    the_new_year_begins_at_midnight_in_stockholm,
    |app: TestApp| async move {
        let kc = Caller::kontaktcenter();
        // 23:30 UTC on 31 December is 00:30 on 1 January in Stockholm.
        app.clock.set(utc("2026-12-31T22:30:00Z"));
        let before = app
            .create_case(
                &kc,
                &NewCase::logged("access", "phone", "2026-12-31T22:30:00Z"),
            )
            .await;
        assert_eq!(before["reference"], "DSAR-2026-00001");

        app.clock.set(utc("2026-12-31T23:30:00Z"));
        let after = app
            .create_case(
                &kc,
                &NewCase::logged("access", "phone", "2026-12-31T23:30:00Z"),
            )
            .await;
        assert_eq!(after["reference"], "DSAR-2027-00001");
        assert_eq!(after["received_date"], "2027-01-01");
    }
);

journey!(
    retries_typos_and_new_requests_arriving_together_each_get_their_own_answer,
    |app: TestApp| async move {
        // On PostgreSQL concurrent registrations are written in batches: a batch holding
        // retries of one Idempotency-Key, a reused key and an unknown controller beside new
        // requests must still answer each as if it had come alone.
        app.add_controller("kommunstyrelsen", "Kommunstyrelsen")
            .await;
        let etjanst = Caller::etjanst();
        let earlier = app
            .create_case_with_key(&etjanst, "earlier-form", &etjanst_access_request())
            .await;
        assert_eq!(earlier.status(), StatusCode::CREATED);
        let earlier: Value = earlier.json().await.unwrap();

        let app = Arc::new(app);
        let mut tasks = tokio::task::JoinSet::new();
        for i in 0..60 {
            let app = Arc::clone(&app);
            tasks.spawn(async move {
                let etjanst = Caller::etjanst();
                let mut request = etjanst_access_request();
                let (what, response) = match i % 6 {
                    // One form sent five times at once (a double click and retries).
                    0 if i < 30 => (
                        "retry",
                        app.create_case_with_key(&etjanst, "form-1", &request).await,
                    ),
                    // An earlier form's key with another body.
                    1 if i < 12 => {
                        request["description"] = json!("Ändrad text");
                        (
                            "reused",
                            app.create_case_with_key(&etjanst, "earlier-form", &request)
                                .await,
                        )
                    }
                    2 if i < 12 => {
                        request["controllers"] = json!(["socialnamden"]);
                        ("typo", app.post(&etjanst, "/api/v1/cases", &request).await)
                    }
                    _ => {
                        let key = format!("form-new-{i}");
                        (
                            "new",
                            app.create_case_with_key(&etjanst, &key, &request).await,
                        )
                    }
                };
                let status = response.status();
                (what, status, response.json::<Value>().await.unwrap())
            });
        }
        let answers = tasks.join_all().await;

        let mut numbers = vec![earlier["reference"].as_str().unwrap().to_owned()];
        let mut retried_cases = std::collections::BTreeSet::new();
        for (what, status, body) in &answers {
            match *what {
                "new" => {
                    assert_eq!(*status, StatusCode::CREATED, "{body}");
                    numbers.push(body["reference"].as_str().unwrap().to_owned());
                }
                "retry" => {
                    assert_eq!(*status, StatusCode::CREATED, "{body}");
                    retried_cases.insert(body["reference"].as_str().unwrap().to_owned());
                }
                "reused" => {
                    let body = body.to_string();
                    assert_eq!(*status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
                    assert!(body.contains("idempotency_key_reused"), "{body}");
                }
                "typo" => {
                    assert_eq!(*status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
                    assert!(body.to_string().contains("unknown_controller"), "{body}");
                }
                other => unreachable!("{other}"),
            }
        }
        // The five sends of one form made one case.
        assert_eq!(retried_cases.len(), 1, "{retried_cases:?}");
        numbers.extend(retried_cases);
        numbers.sort();
        // The earlier form, 51 new forms and the retried one.
        assert_eq!(numbers.len(), 1 + 51 + 1);
        assert_eq!(numbers, series(2026, numbers.len()));

        let stored = app.all_cases().await;
        assert_eq!(stored.len(), numbers.len());
        // Every case has its "received" event and its receipt, exactly once.
        for case in &stored {
            let journal = app
                .journal(&Caller::dpo(), case["id"].as_str().unwrap())
                .await;
            let received: Vec<_> = journal
                .iter()
                .filter(|e| e["event"] == "received")
                .collect();
            assert_eq!(received.len(), 1, "{journal:?}");
            assert_eq!(received[0]["data"]["reference"], case["reference"]);
        }
        let receipts: Vec<Value> = crate::notifications::outbox(&app, None)
            .await
            .into_iter()
            .filter(|m| m["template"] == "receipt")
            .collect();
        assert_eq!(receipts.len(), numbers.len());
        // The running counts agree with the cases.
        let stats: Value = app
            .get(&Caller::dpo(), "/api/v1/stats")
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(stats["by_status"]["received"], numbers.len(), "{stats}");
        assert_eq!(stats["by_kind"]["access"], numbers.len(), "{stats}");
    }
);
