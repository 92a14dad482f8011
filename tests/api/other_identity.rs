//! A person without a Swedish personnummer or samordningsnummer (domain.md §8): Erika, a German
//! citizen working here for a contractor, asks at the desk what kommunstyrelsen holds about her.
//! She is identified by her date of birth and her passport, verified by hand, found again by
//! the passport's number, and answered like anyone else.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::casework::{add_namnder, compile_extract, field, work, work_ok};
use crate::helpers::*;
use crate::journey;

const PASSPORT: &str = "C01X00T47";

fn erikas_visit() -> Value {
    json!({
        "kind": "access",
        "channel": "visit",
        "subject": {
            "other_identity": {"date_of_birth": "1985-04-12", "identifier": "c01x 00t47",
                               "document_type": "pass", "country": "de"},
            "name": "Erika Mustermann",
            "address": {"street": "Storgatan 3", "postal_code": "151 89", "city": "Södertälje"}
        },
        "controllers": ["kommunstyrelsen"]
    })
}

journey!(
    a_person_without_a_swedish_number_is_registered_verified_by_hand_found_and_answered,
    |app: TestApp| async move {
        add_namnder(&app).await;
        let kc = Caller::kontaktcenter();
        let case = app.create_case(&kc, &erikas_visit()).await;
        let id = id_of(&case);
        assert_eq!(case["subject"]["personnummer"], Value::Null);
        assert_eq!(case["subject"]["samordningsnummer"], false);
        assert_eq!(
            case["subject"]["other_identity"],
            json!({"date_of_birth": "1985-04-12", "identifier": PASSPORT,
                   "document_type": "pass", "country": "DE"})
        );
        assert_eq!(case["identity"]["status"], "unverified");
        let journal = app.journal(&kc, &id).await;
        assert_eq!(
            journal[0]["data"]["subject_identified_by"],
            "other_identity"
        );

        // Only by hand, and the document checked is named.
        let refusal = problem(
            work(
                &app,
                &Caller::admin(),
                &id,
                "identity",
                &json!({"action": "verify", "method": "e_legitimation"}),
            )
            .await,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert_eq!(field_errors(&refusal), vec![field("method", "not_allowed")]);
        let refusal = problem(
            work(
                &app,
                &kc,
                &id,
                "identity",
                &json!({"action": "verify", "method": "signed_form"}),
            )
            .await,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert_eq!(
            field_errors(&refusal),
            vec![field("document_type", "required")]
        );
        let verified = work_ok(
            &app,
            &kc,
            &id,
            "identity",
            &json!({"action": "verify", "method": "id_document", "document_type": "tyskt pass"}),
            StatusCode::OK,
        )
        .await;
        assert_eq!(verified["identity"]["status"], "verified");
        assert_eq!(verified["identity"]["method"], "id_document");
        assert_eq!(verified["identity"]["assurance"], "tyskt pass");

        // The desk finds her by the passport number however it is written; the search is
        // audited with a keyed hash, never the number.
        for written in ["C01X00T47", "c01x-00t47", "C01X 00T47"] {
            let found: Value = app
                .post(
                    &kc,
                    "/api/v1/cases/search",
                    &json!({"other_identifier": written}),
                )
                .await
                .json()
                .await
                .unwrap();
            assert_eq!(references(found["items"].as_array().unwrap()).len(), 1);
        }
        let nobody: Value = app
            .post(
                &kc,
                "/api/v1/cases/search",
                &json!({"other_identifier": "X9999999"}),
            )
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(nobody["items"], json!([]));
        let searches: Vec<Value> = app
            .audit_log(None)
            .await
            .into_iter()
            .filter(|e| e["action"] == "case.search")
            .collect();
        assert_eq!(searches.len(), 4);
        assert_eq!(searches[0]["detail"]["matches"], 0);
        assert!(searches
            .iter()
            .all(|s| !s.to_string().contains(PASSPORT) && s["detail"]["number_hash"].is_string()));
        // One search says who: a personnummer or the identifier, not both.
        let refusal = problem(
            app.post(
                &kc,
                "/api/v1/cases/search",
                &json!({"personnummer": "19121212-1212", "other_identifier": PASSPORT}),
            )
            .await,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert_eq!(
            field_errors(&refusal),
            vec![field("personnummer", "one_of")]
        );

        // Kommunstyrelsen answers her like anyone: the extract names her by her passport.
        let ks = Caller::handlaggare(&["kommunstyrelsen"]);
        work_ok(
            &app,
            &ks,
            &id,
            "decisions",
            &json!({"controller": "kommunstyrelsen", "outcome": "granted"}),
            StatusCode::CREATED,
        )
        .await;
        compile_extract(&app, &id).await;
        let extract =
            crate::casework::get_json(&app, &ks, &format!("/api/v1/cases/{id}/extract")).await;
        assert_eq!(extract["subject"]["personnummer"], Value::Null);
        assert_eq!(extract["subject"]["other_identity"]["identifier"], PASSPORT);
        let pdf = app
            .get(&ks, &format!("/api/v1/cases/{id}/extract.pdf"))
            .await;
        assert_eq!(pdf.status(), StatusCode::OK);
        let delivered = work_ok(
            &app,
            &ks,
            &id,
            "delivery",
            &json!({"method": "registered_letter"}),
            StatusCode::OK,
        )
        .await;
        assert_eq!(delivered["delivery"]["method"], "registered_letter");
    }
);

journey!(
    intake_says_what_is_wrong_with_another_identity,
    |app: TestApp| async move {
        add_namnder(&app).await;
        let kc = Caller::kontaktcenter();
        let post = |body: Value| {
            let app = &app;
            let kc = kc.clone();
            async move { app.post(&kc, "/api/v1/cases", &body).await }
        };

        // Neither, or both.
        let mut neither = erikas_visit();
        neither["subject"]
            .as_object_mut()
            .unwrap()
            .remove("other_identity");
        let refusal = problem(post(neither).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(
            field_errors(&refusal),
            vec![field("subject.personnummer", "required")]
        );
        let mut both = erikas_visit();
        both["subject"]["personnummer"] = json!("19121212-1212");
        let refusal = problem(post(both).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(
            field_errors(&refusal),
            vec![field("subject.other_identity", "one_of")]
        );

        // Every field of the identity is checked and named.
        let mut bad = erikas_visit();
        bad["subject"]["other_identity"] = json!({"date_of_birth": "2030-01-01",
            "identifier": "C/1", "document_type": " ", "country": "Tyskland"});
        let refusal = problem(post(bad).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(
            field_errors(&refusal),
            vec![
                field("subject.other_identity.date_of_birth", "in_the_future"),
                field("subject.other_identity.identifier", "invalid_identifier"),
                field("subject.other_identity.document_type", "required"),
                field("subject.other_identity.country", "invalid_country"),
            ]
        );

        // The e-tjänst's users log in with a Swedish e-legitimation.
        let mut from_etjanst = erikas_visit();
        from_etjanst.as_object_mut().unwrap().remove("channel");
        let response = app
            .post(&Caller::etjanst(), "/api/v1/cases", &from_etjanst)
            .await;
        let refusal = problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(
            field_errors(&refusal),
            vec![field("subject.other_identity", "not_allowed")]
        );

        // A guardian asks only for a child: the date of birth tells.
        let mut guardian = erikas_visit();
        guardian["representative"] = json!({"kind": "guardian", "personnummer": "19850101-2382",
                                            "name": "Maria Testsson"});
        let refusal = problem(post(guardian).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(
            field_errors(&refusal),
            vec![field("representative.kind", "guardian_for_adult")]
        );
        let mut child = erikas_visit();
        child["subject"]["other_identity"]["date_of_birth"] = json!("2015-06-01");
        child["representative"] = json!({"kind": "guardian", "personnummer": "19850101-2382",
                                         "name": "Maria Testsson"});
        let response = post(child).await;
        assert_eq!(response.status(), StatusCode::CREATED);

        // Nothing was registered by the refused requests.
        assert_eq!(app.all_cases().await.len(), 1);
    }
);
