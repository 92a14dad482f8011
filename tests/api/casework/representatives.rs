//! A vårdnadshavare asks on behalf of a child (domain.md §3): accepted for a child, refused for an
//! adult, and the guardian's own identity is verified before anything is handed over.

use reqwest::StatusCode;
use serde_json::{json, Value};

use super::*;
use crate::helpers::*;
use crate::journey;

/// A letter from a guardian (born 1985, Skatteverket's test number) for `child`.
fn guardians_letter(child: &str, name: &str) -> Value {
    json!({
        "kind": "access",
        "channel": "letter",
        "received_at": "2026-03-09T10:00:00Z",
        "subject": {"personnummer": child, "name": name},
        "representative": {
            "kind": "guardian",
            "personnummer": "19850101-2382",
            "name": "Maria Testsson",
            "email": "maria@example.se"
        },
        "controllers": ["socialnamnden"]
    })
}

journey!(
    a_guardian_asks_for_a_childs_data_and_shows_id_before_the_pickup,
    |app: TestApp| async move {
        add_namnder(&app).await;
        let kc = Caller::kontaktcenter();
        let hl = Caller::handlaggare(&["socialnamnden"]);

        // Tolvan is an adult: his data is not a guardian's to ask for.
        let response = app
            .post(
                &kc,
                "/api/v1/cases",
                &guardians_letter(TOLVAN, "Tolvan Tolvansson"),
            )
            .await;
        let body = problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(
            field_errors(&body),
            vec![field("representative.kind", "guardian_for_adult")]
        );
        assert_eq!(app.all_cases().await, Vec::<Value>::new());

        // A child born 1 January 2015, eleven years old on the day of receipt.
        let case = app
            .create_case(&kc, &guardians_letter("20150101-2395", "Alva Testsson"))
            .await;
        let id = id_of(&case);
        assert_eq!(case["reference"], "DSAR-2026-00001");
        assert_eq!(case["subject"]["personnummer"], "201501012395");
        assert_eq!(case["identity"]["status"], "unverified");
        assert_eq!(case["representative"]["kind"], "guardian");
        assert_eq!(case["representative"]["personnummer"], "198501012382");
        assert_eq!(case["representative"]["identity_status"], "unverified");
        assert_eq!(case["representative"]["child_age_unknown"], false);

        // The child's identity: a signed form with a copy of the child's passport.
        let verified = work_ok(
            &app,
            &hl,
            &id,
            "identity",
            &json!({"action": "verify", "method": "signed_form", "note": "Blankett underskriven av vårdnadshavaren, kopia av barnets pass."}),
            StatusCode::OK,
        )
        .await;
        assert_eq!(verified["identity"]["status"], "verified");
        assert_eq!(verified["identity"]["method"], "signed_form");
        assert_eq!(verified["identity"]["verified_by"], "hl-bertil");
        assert_eq!(verified["identity"]["verified_at"], "2026-03-10T09:00:00Z");
        // ... which says nothing about the guardian's.
        assert_eq!(verified["representative"]["identity_status"], "unverified");

        // The guardian asked, and has not shown ID yet: nothing is decided on the merits.
        let response = work(
            &app,
            &hl,
            &id,
            "decisions",
            &json!({"controller": "socialnamnden", "outcome": "granted"}),
        )
        .await;
        let body = problem(response, StatusCode::CONFLICT).await;
        assert_eq!(body["code"], "representative_unverified");
        assert_eq!(read_case(&app, &kc, &id).await["status"], "in_progress");

        // The guardian comes to the desk and shows a passport.
        at(&app, "2026-03-12T14:00:00Z");
        let shown = work_ok(
            &app,
            &kc,
            &id,
            "identity",
            &json!({"action": "verify", "party": "representative", "method": "id_document", "document_type": "pass"}),
            StatusCode::OK,
        )
        .await;
        assert_eq!(shown["status"], "in_progress");
        assert_eq!(shown["representative"]["identity_status"], "verified");
        assert_eq!(shown["representative"]["identity_method"], "id_document");
        assert_eq!(
            shown["representative"]["verified_at"],
            "2026-03-12T14:00:00Z"
        );
        // The child's identity record is untouched.
        assert_eq!(shown["identity"]["method"], "signed_form");
        assert_eq!(shown["identity"]["verified_at"], "2026-03-10T09:00:00Z");

        let decided = decide(
            &app,
            &hl,
            &id,
            &json!({"controller": "socialnamnden", "outcome": "granted"}),
        )
        .await;
        assert_eq!(decided["status"], "decided");
        compile_extract(&app, &id).await;

        let delivered = work_ok(
            &app,
            &kc,
            &id,
            "delivery",
            &json!({"method": "pickup"}),
            StatusCode::OK,
        )
        .await;
        assert_eq!(
            delivered["delivery"],
            json!({"method": "pickup", "delivered_at": "2026-03-12T14:00:00Z"})
        );

        let journal = app.journal(&hl, &id).await;
        assert_eq!(
            event_names(&journal),
            vec![
                "received",
                "identity_verified",
                "identity_verified",
                "decided",
                "extract_compiled",
                "delivered"
            ]
        );
        assert_eq!(journal[1]["data"]["party"], "subject");
        assert_eq!(journal[1]["actor"], "hl-bertil");
        assert_eq!(journal[2]["data"]["party"], "representative");
        assert_eq!(journal[2]["data"]["method"], "id_document");
        assert_eq!(journal[2]["actor"], "kc-anna");
        assert_eq!(journal[2]["roles"], "kontaktcenter");
        // Letters go to the guardian, who gave an e-mail address.
        assert_eq!(journal[3]["data"]["notice"], "email");
    }
);
