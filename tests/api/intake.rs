//! Intake: how a request becomes a case, whoever registers it.

use chrono::Duration;
use dsar::clock::Clock;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::*;
use crate::journey;

journey!(
    etjanst_submits_an_access_request_with_bankid,
    |app: TestApp| async move {
        app.add_controller("kommunstyrelsen", "Kommunstyrelsen")
            .await;
        let case = app
            .create_case(&Caller::etjanst(), &etjanst_access_request())
            .await;

        assert_eq!(case["reference"], "DSAR-2026-00001");
        assert_eq!(case["channel"], "etjanst");
        assert_eq!(case["status"], "received");
        assert_eq!(case["received_at"], "2026-03-10T09:00:00Z");
        assert_eq!(case["received_date"], "2026-03-10");
        // 2026-04-10 is a Friday and a working day.
        assert_eq!(case["deadline"], "2026-04-10");
        assert_eq!(case["extended_deadline"], serde_json::Value::Null);
        assert_eq!(case["days_left"], 31);
        assert_eq!(case["overdue"], false);
        assert_eq!(case["identity"]["status"], "verified");
        assert_eq!(case["identity"]["method"], "e_legitimation");
        assert_eq!(case["identity"]["assurance"], "loa3");
        assert_eq!(case["subject"]["personnummer"], "191212121212");
        assert_eq!(case["subject"]["address"]["postal_code"], "151 89");
        assert_eq!(case["parts"][0]["controller"], "kommunstyrelsen");

        // The e-tjänst reads no case back (it shows the person the status view instead).
        let id = case["id"].as_str().unwrap();
        let read = app
            .get(&Caller::etjanst(), &format!("/api/v1/cases/{id}"))
            .await;
        problem(read, StatusCode::FORBIDDEN).await;
        let status: Value = app
            .post(
                &Caller::etjanst(),
                "/api/v1/citizen/cases",
                &json!({"personnummer": "191212121212"}),
            )
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(status["items"][0]["reference"], "DSAR-2026-00001");
    }
);

journey!(
    kontaktcenter_logs_a_letter_received_last_week,
    |app: TestApp| async move {
        app.add_controller("kommunstyrelsen", "Kommunstyrelsen")
            .await;
        // Today is Tuesday 2026-03-10; the letter reached the municipality on Tuesday 2026-03-03.
        let received_at = (app.clock.now() - Duration::days(7)).to_rfc3339();
        let mut case = app
            .create_case(
                &Caller::kontaktcenter(),
                &NewCase::logged("access", "letter", &received_at)
                    .subject("19121212-1212")
                    .controllers(&["kommunstyrelsen"]),
            )
            .await;

        let id = case.as_object_mut().unwrap().remove("id").unwrap();
        assert!(
            uuid::Uuid::parse_str(id.as_str().unwrap()).is_ok(),
            "the id is a UUID: {id}"
        );
        assert_eq!(
            case,
            json!({
                "reference": "DSAR-2026-00001",
                "kind": "access",
                "channel": "letter",
                "status": "received",
                "received_at": "2026-03-03T09:00:00Z",
                "received_date": "2026-03-03",
                // One month: 2026-04-03 is långfredagen, then a Saturday, påskdagen and annandag påsk.
                "deadline": "2026-04-07",
                "extended_deadline": null,
                "adjusted_deadline": null,
                "days_left": 28,
                "overdue": false,
                // A letter proves nothing about who sent it.
                "identity": {
                    "status": "unverified",
                    "method": null,
                    "assurance": null,
                    "verified_at": null,
                    "verified_by": null,
                    "waits": []
                },
                "subject": {
                    "personnummer": "191212121212",
                    "samordningsnummer": false,
                    "other_identity": null,
                    "name": "Test Testsson",
                    "address": null,
                    "email": null,
                    "phone": null
                },
                "representative": null,
                // Kontaktcenter sees the part as controller, status and decided date only.
                "parts": [{"controller": "kommunstyrelsen", "status": "open", "handler": null, "handler_name": null, "decision": null,
                           "decided_at": null, "restricted": true}],
                "subject_categories": [],
                "description": null,
                "protected_identity": false,
                "contact_restricted": false,
                "diarienummer": null,
                "direct_marketing": false,
                "extension": null,
                "decided_at": null,
                "delivery": null,
                "closed_at": null,
                "withdrawn_at": null,
                "version": 1,
                // Registered today, whenever it was received.
                "created_at": "2026-03-10T09:00:00Z",
                "updated_at": "2026-03-10T09:00:00Z"
            })
        );
    }
);

journey!(
    kontaktcenter_logs_a_visit_with_an_id_check_at_the_desk,
    |app: TestApp| async move {
        app.add_controller("socialnamnden", "Socialnämnden").await;
        let case = app
        .create_case(
            &Caller::kontaktcenter(),
            &json!({
                "kind": "access",
                "channel": "visit",
                "subject": {
                    "personnummer": "19850101-2382",
                    "name": "Maria Testsson",
                    "address": {"street": "Ringvägen 2", "postal_code": "152 40", "city": "Södertälje"},
                    "phone": "08-123 456 78"
                },
                "identity": {"method": "id_document", "document_type": "pass"},
                "controllers": ["socialnamnden"]
            }),
        )
        .await;

        assert_eq!(case["reference"], "DSAR-2026-00001");
        assert_eq!(case["channel"], "visit");
        // Received at the desk, now.
        assert_eq!(case["received_at"], "2026-03-10T09:00:00Z");
        assert_eq!(case["received_date"], "2026-03-10");
        assert_eq!(case["deadline"], "2026-04-10");
        // The ID was checked at the desk: verified by Kontaktcenter, now.
        assert_eq!(case["identity"]["status"], "verified");
        assert_eq!(case["identity"]["method"], "id_document");
        assert_eq!(case["identity"]["verified_at"], "2026-03-10T09:00:00Z");
        assert_eq!(case["identity"]["verified_by"], "kc-anna");
        // The kind of document is recorded, never its number.
        assert_eq!(case["identity"]["assurance"], "pass");
        assert_eq!(
            case["subject"],
            json!({
                "personnummer": "198501012382",
                "samordningsnummer": false,
                "other_identity": null,
                "name": "Maria Testsson",
                "address": {"street": "Ringvägen 2", "postal_code": "152 40", "city": "Södertälje"},
                "email": null,
                "phone": "08-123 456 78"
            })
        );

        let journal = app
            .journal(&Caller::kontaktcenter(), case["id"].as_str().unwrap())
            .await;
        assert_eq!(journal.len(), 1);
        assert_eq!(journal[0]["event"], "received");
        assert_eq!(journal[0]["actor"], "kc-anna");
        assert_eq!(journal[0]["data"]["identity_verified"], true);
    }
);

journey!(
    a_request_received_just_after_midnight_gets_the_stockholm_date,
    |app: TestApp| async move {
        let kc = Caller::kontaktcenter();
        // 00:30 on Thursday 2026-03-05 in Stockholm (CET) is 23:30 UTC on the 4th.
        let after_midnight = app
            .create_case(
                &kc,
                &NewCase::logged("access", "email", "2026-03-04T23:30:00Z"),
            )
            .await;
        assert_eq!(after_midnight["received_at"], "2026-03-04T23:30:00Z");
        assert_eq!(after_midnight["received_date"], "2026-03-05");
        // 2026-04-05 is påskdagen, 04-06 annandag påsk.
        assert_eq!(after_midnight["deadline"], "2026-04-07");

        // The same instant written with Stockholm's offset is the same receipt, answered in UTC.
        let with_offset = app
            .create_case(
                &kc,
                &NewCase::logged("access", "email", "2026-03-05T00:30:00+01:00"),
            )
            .await;
        assert_eq!(with_offset["received_at"], "2026-03-04T23:30:00Z");
        assert_eq!(with_offset["received_date"], "2026-03-05");

        // 23:59 on Wednesday the 4th in Stockholm is still the 4th.
        let before_midnight = app
            .create_case(
                &kc,
                &NewCase::logged("access", "email", "2026-03-04T22:59:00Z"),
            )
            .await;
        assert_eq!(before_midnight["received_date"], "2026-03-04");
        // 2026-04-04 is a Saturday, then påskdagen and annandag påsk.
        assert_eq!(before_midnight["deadline"], "2026-04-07");

        // In summer time (CEST, UTC+2) 22:30 UTC is already 00:30 the next day.
        let summer = app
            .create_case(
                &kc,
                &NewCase::logged("access", "email", "2025-07-04T22:30:00Z"),
            )
            .await;
        assert_eq!(summer["received_date"], "2025-07-05");
        // 2025-08-05 is a Tuesday.
        assert_eq!(summer["deadline"], "2025-08-05");
    }
);

journey!(
    a_request_cannot_be_received_in_the_future,
    |app: TestApp| async move {
        // One second after now.
        let response = app
            .post(
                &Caller::kontaktcenter(),
                "/api/v1/cases",
                &NewCase::logged("access", "letter", "2026-03-10T09:00:01Z")
                    .subject("19121212-1212"),
            )
            .await;
        let body = problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(
            field_errors(&body),
            vec![("received_at".to_string(), "in_the_future".to_string())]
        );
        assert_eq!(
            body["errors"][0]["message"],
            "received_at may not be in the future."
        );
        assert_eq!(app.all_cases().await, Vec::<Value>::new());

        // Exactly now is fine.
        let case = app
            .create_case(
                &Caller::kontaktcenter(),
                &NewCase::logged("access", "letter", "2026-03-10T09:00:00Z")
                    .subject("19121212-1212"),
            )
            .await;
        assert_eq!(case["received_at"], "2026-03-10T09:00:00Z");
        assert_eq!(case["reference"], "DSAR-2026-00001");
    }
);

journey!(
    the_etjanst_cannot_backdate_a_request_or_choose_its_channel,
    |app: TestApp| async move {
        app.add_controller("kommunstyrelsen", "Kommunstyrelsen")
            .await;
        let mut backdated = etjanst_access_request();
        backdated["received_at"] = json!("2026-03-01T09:00:00Z");
        let response = app
            .post(&Caller::etjanst(), "/api/v1/cases", &backdated)
            .await;
        let body = problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(
            field_errors(&body),
            vec![("received_at".to_string(), "not_allowed".to_string())]
        );
        assert_eq!(app.all_cases().await, Vec::<Value>::new());

        // The form says "phone", but whatever comes from the e-tjänst came through the e-tjänst, now.
        let mut by_phone = etjanst_access_request();
        by_phone["channel"] = json!("phone");
        let case = app.create_case(&Caller::etjanst(), &by_phone).await;
        assert_eq!(case["channel"], "etjanst");
        assert_eq!(case["received_at"], "2026-03-10T09:00:00Z");
        assert_eq!(case["reference"], "DSAR-2026-00001");
    }
);

journey!(
    a_guardian_requests_for_a_child_but_not_for_an_adult,
    |app: TestApp| async move {
        let kc = Caller::kontaktcenter();
        let with_guardian = |child: &str, received_at: &str| {
            let mut request = NewCase::logged("access", "letter", received_at)
                .subject(child)
                .json();
            request["representative"] = json!({
                "kind": "guardian",
                "personnummer": "19850101-2382",
                "name": "Maria Testsson",
                "email": "maria@example.se"
            });
            request
        };

        // Born 2015-01-01: eleven years old.
        let case = app
            .create_case(&kc, &with_guardian("20150101-2395", "2026-03-09T10:00:00Z"))
            .await;
        assert_eq!(case["subject"]["personnummer"], "201501012395");
        assert_eq!(
            case["representative"],
            json!({
                "kind": "guardian",
                "personnummer": "198501012382",
                "name": "Maria Testsson",
                "email": "maria@example.se",
                "address": null,
                "identity_status": "unverified",
                "identity_method": null,
                "verified_at": null,
                "child_age_unknown": false
            })
        );

        // Tolvan, born 1912, is an adult: a guardian cannot ask on his behalf.
        let response = app
            .post(
                &kc,
                "/api/v1/cases",
                &with_guardian("19121212-1212", "2026-03-09T10:00:00Z"),
            )
            .await;
        let body = problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(
            field_errors(&body),
            vec![(
                "representative.kind".to_string(),
                "guardian_for_adult".to_string()
            )]
        );

        // The age counts on the day of receipt (in Stockholm), not on the day of registration.
        // Born 2008-03-05: 17 on 2026-03-04, 18 from 2026-03-05, 18 today (2026-03-10).
        let received_at_17 = app
            .create_case(&kc, &with_guardian("200803052380", "2026-03-04T10:00:00Z"))
            .await;
        assert_eq!(received_at_17["representative"]["kind"], "guardian");
        for received_at_18 in ["2026-03-05T10:00:00Z", "2026-03-04T23:30:00Z"] {
            let response = app
                .post(
                    &kc,
                    "/api/v1/cases",
                    &with_guardian("200803052380", received_at_18),
                )
                .await;
            let body = problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
            assert_eq!(
                field_errors(&body),
                vec![(
                    "representative.kind".to_string(),
                    "guardian_for_adult".to_string()
                )],
                "received {received_at_18}"
            );
        }

        assert_eq!(
            references(&app.all_cases().await),
            vec!["DSAR-2026-00002", "DSAR-2026-00001"]
        );
    }
);

journey!(
    a_guardian_cannot_ask_for_a_person_whose_birth_year_makes_them_an_adult,
    |app: TestApp| async move {
        // Samordningsnummer 1950-00-09 (day 69 - 60, month unknown): born in 1950, so 75 or 76 years
        // old whatever the month; certainly not a child.
        let mut request = NewCase::logged("access", "letter", "2026-03-09T10:00:00Z")
            .subject("195000692383")
            .json();
        request["representative"] =
            json!({"kind": "guardian", "personnummer": "19850101-2382", "name": "Maria Testsson"});
        let response = app
            .post(&Caller::kontaktcenter(), "/api/v1/cases", &request)
            .await;
        let body = problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(
            field_errors(&body),
            vec![(
                "representative.kind".to_string(),
                "guardian_for_adult".to_string()
            )]
        );
        assert_eq!(app.all_cases().await, Vec::<Value>::new());
    }
);

journey!(
    a_person_with_a_samordningsnummer_makes_a_request,
    |app: TestApp| async move {
        let kc = Caller::kontaktcenter();
        // Samordningsnummer of someone born 1980-01-13 (day 73 = 13 + 60), short form with a dash.
        let case = app
            .create_case(
                &kc,
                &NewCase::logged("access", "letter", "2026-03-09T10:00:00Z").subject("800173-2380"),
            )
            .await;
        assert_eq!(case["subject"]["personnummer"], "198001732380");
        assert_eq!(case["subject"]["samordningsnummer"], true);

        // Skatteverket also issues samordningsnummer whose birth month is unknown (00).
        let unknown_month = app
            .create_case(
                &kc,
                &NewCase::logged("erasure", "letter", "2026-03-09T10:00:00Z")
                    .subject("195000692383"),
            )
            .await;
        assert_eq!(unknown_month["subject"]["personnummer"], "195000692383");
        assert_eq!(unknown_month["subject"]["samordningsnummer"], true);

        // A personnummer is not one.
        let personnummer = app
            .create_case(
                &kc,
                &NewCase::logged("access", "letter", "2026-03-09T10:00:00Z"),
            )
            .await;
        assert_eq!(personnummer["subject"]["samordningsnummer"], false);
    }
);
