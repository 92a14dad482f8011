//! Letters for everyone (domain.md §9): Maja has no e-mail address. Her receipt, the extension
//! notice and the decision exist as letters on the nämnd's letterhead and wait in the print
//! queue; the handläggare prints each, posts it (rekommenderat, with its number) and records the
//! day. A request that no notice can reach is not extended.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::casework::{add_namnder, decide, get_json, work, work_ok};
use crate::helpers::*;
use crate::journey;

fn majas_letter() -> Value {
    json!({
        "kind": "access", "channel": "letter", "received_at": "2026-03-09T09:00:00Z",
        "subject": {"personnummer": "19850101-2382", "name": "Maja Testsson",
                    "address": {"street": "Brevvägen 4", "postal_code": "151 89", "city": "Södertälje"}},
        "identity": {"method": "signed_form"},
        "controllers": ["socialnamnden"]
    })
}

async fn queue(app: &TestApp, caller: &Caller, status: &str) -> Vec<Value> {
    let response = app
        .get(caller, &format!("/api/v1/letters?status={status}"))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let page: Value = response.json().await.unwrap();
    page["items"].as_array().expect("items").clone()
}

async fn pdf_text(app: &TestApp, caller: &Caller, letter: &Value) -> String {
    let response = app
        .get(
            caller,
            &format!("/api/v1/letters/{}.pdf", letter["id"].as_str().unwrap()),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(content_type(&response), "application/pdf");
    let bytes = response.bytes().await.unwrap();
    pdf_extract::extract_text_from_mem(&bytes).expect("the PDF has text")
}

/// Text extracted from a PDF joins wrapped lines without a space: compare without any.
fn squeeze(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

journey!(
    a_person_without_e_mail_gets_every_message_as_a_letter_through_the_print_queue,
    |app: TestApp| async move {
        add_namnder(&app).await;
        let admin = Caller::admin();
        let response = app
            .put(
                &admin,
                "/api/v1/controllers/socialnamnden",
                &json!({"name": "Socialnämnden", "postal_address": "Box 100\n151 89 Södertälje"}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::OK);
        let case = app
            .create_case(&Caller::kontaktcenter(), &majas_letter())
            .await;
        let id = id_of(&case);
        let reference = case["reference"].as_str().unwrap().to_owned();
        let sn = Caller::named_handlaggare("hl-sara", &["socialnamnden"]);

        // The receipt is in the print queue.
        let to_print = queue(&app, &sn, "to_print").await;
        assert_eq!(to_print.len(), 1, "{to_print:?}");
        assert_eq!(to_print[0]["template"], "receipt");
        assert_eq!(to_print[0]["reference"], reference);
        assert_eq!(to_print[0]["status"], "to_print");
        let text = squeeze(&pdf_text(&app, &sn, &to_print[0]).await);
        for expected in [
            "Maja Testsson",
            "Brevvägen 4",
            "151 89 Södertälje",
            reference.as_str(),
            "Vi har tagit emot din begäran om registerutdrag",
            "9 april 2026",
        ] {
            assert!(
                text.contains(&squeeze(expected)),
                "the receipt lacks {expected:?}: {text}"
            );
        }

        // Extended and decided: each message is a letter of its own, the decision on
        // socialnämnden's letterhead with its handläggare.
        work_ok(
            &app,
            &sn,
            &id,
            "parts/socialnamnden/assign",
            &json!({}),
            StatusCode::OK,
        )
        .await;
        work_ok(
            &app,
            &sn,
            &id,
            "extension",
            &json!({"reason": "Handlingar i flera verksamhetssystem."}),
            StatusCode::OK,
        )
        .await;
        decide(
            &app,
            &sn,
            &id,
            &json!({"controller": "socialnamnden", "outcome": "granted"}),
        )
        .await;
        let to_print = queue(&app, &sn, "to_print").await;
        let templates: Vec<&str> = to_print
            .iter()
            .map(|l| l["template"].as_str().unwrap())
            .collect();
        assert_eq!(
            templates,
            ["receipt", "extension_notice", "decision_notice"]
        );
        // The queue comes in pages, oldest first.
        let first: Value = get_json(&app, &sn, "/api/v1/letters?status=to_print&limit=2").await;
        assert_eq!(first["items"].as_array().unwrap().len(), 2);
        let cursor = first["next_cursor"].as_str().expect("a next page");
        let second: Value = get_json(
            &app,
            &sn,
            &format!("/api/v1/letters?status=to_print&limit=2&cursor={cursor}"),
        )
        .await;
        assert_eq!(second["items"][0]["template"], "decision_notice");
        assert_eq!(second["next_cursor"], Value::Null);
        let response = app.get(&sn, "/api/v1/letters?cursor=nonsense").await;
        let refusal = problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(
            field_errors(&refusal),
            vec![("cursor".to_owned(), "invalid".to_owned())]
        );
        let extension = squeeze(&pdf_text(&app, &sn, &to_print[1]).await);
        for expected in [
            "Vi behöver mer tid för att besvara din begäran om registerutdrag",
            "Skäl: Handlingar i flera verksamhetssystem.",
            "Ny sista dag för svar: 9 juni 2026",
        ] {
            assert!(
                extension.contains(&squeeze(expected)),
                "the extension notice lacks {expected:?}: {extension}"
            );
        }
        let decision = &to_print[2];
        assert_eq!(decision["controller"], "socialnamnden");
        let text = squeeze(&pdf_text(&app, &sn, decision).await);
        for expected in [
            "Socialnämnden",
            "Box 100",
            "Handläggare",
            "Sara Ek",
            "Maja Testsson",
            "Brevvägen 4",
            "Socialnämnden beviljar din begäran om registerutdrag",
        ] {
            assert!(
                text.contains(&squeeze(expected)),
                "the decision letter lacks {expected:?}: {text}"
            );
        }

        // Posted as a rekommenderat brev: out of the queue, the day and number recorded.
        let path = format!(
            "/api/v1/letters/{}/posted",
            decision["id"].as_str().unwrap()
        );
        let posted: Value = app
            .post(&sn, &path, &json!({"registered_number": "RR123456785SE"}))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(posted["status"], "posted");
        assert_eq!(posted["posted_on"], "2026-03-10");
        assert_eq!(posted["registered_number"], "RR123456785SE");
        assert_eq!(queue(&app, &sn, "to_print").await.len(), 2);
        let response = app.post(&sn, &path, &json!({})).await;
        let refusal = problem(response, StatusCode::CONFLICT).await;
        assert_eq!(refusal["code"], "letter_not_to_print");
        let journal = app.journal(&sn, &id).await;
        let posted_event = journal
            .iter()
            .find(|e| e["event"] == "letter_posted")
            .unwrap();
        assert_eq!(posted_event["data"]["template"], "decision_notice");
        assert_eq!(posted_event["data"]["registered"], true);

        // Another nämnd's handläggare sees none of socialnämnden's letters, nor the case's.
        let ks = Caller::handlaggare(&["kommunstyrelsen"]);
        assert_eq!(queue(&app, &ks, "to_print").await, Vec::<Value>::new());
        let response = app
            .get(
                &ks,
                &format!("/api/v1/letters/{}.pdf", decision["id"].as_str().unwrap()),
            )
            .await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
        // Kontaktcenter and the e-tjänst have no print queue.
        for caller in [Caller::kontaktcenter(), Caller::etjanst()] {
            let response = app.get(&caller, "/api/v1/letters").await;
            assert_eq!(response.status(), StatusCode::FORBIDDEN);
        }
    }
);

journey!(
    the_e_mail_carries_the_message_and_the_letter_is_kept_as_its_record,
    |app: TestApp| async move {
        add_namnder(&app).await;
        let mut request = majas_letter();
        request["subject"]["email"] = json!("maja@example.se");
        let case = app.create_case(&Caller::kontaktcenter(), &request).await;
        let sn = Caller::handlaggare(&["socialnamnden"]);
        assert!(queue(&app, &sn, "to_print").await.is_empty());
        let emailed = queue(&app, &sn, "emailed").await;
        assert_eq!(emailed.len(), 1);
        assert_eq!(emailed[0]["case_id"], case["id"]);

        // A protected person's letter goes through Skatteverket, never to the address.
        let response = work(
            &app,
            &sn,
            &id_of(&case),
            "protected-identity",
            &json!({"protected_identity": true}),
        )
        .await;
        assert_eq!(response.status(), StatusCode::OK);
        let response = app
            .send(
                app.request(
                    Method::POST,
                    &format!("/api/v1/cases/{}/extension", id_of(&case)),
                    Some(&sn),
                )
                .header("Dsar-Read-Reason", "Förlängning")
                .json(&json!({"reason": "Handlingar i flera verksamhetssystem."})),
            )
            .await;
        assert_eq!(response.status(), StatusCode::OK);
        let to_print = queue(&app, &sn, "to_print").await;
        assert_eq!(to_print.len(), 1, "{to_print:?}");
        let response = app
            .send(
                app.request(
                    Method::GET,
                    &format!(
                        "/api/v1/letters/{}.pdf",
                        to_print[0]["id"].as_str().unwrap()
                    ),
                    Some(&sn),
                )
                .header("Dsar-Read-Reason", "Utskrift av förlängningsbesked"),
            )
            .await;
        assert_eq!(response.status(), StatusCode::OK);
        let text =
            squeeze(&pdf_extract::extract_text_from_mem(&response.bytes().await.unwrap()).unwrap());
        assert!(
            text.contains(&squeeze("Genom Skatteverkets förmedlingsuppdrag")),
            "{text}"
        );
        assert!(!text.contains("Brevvägen"), "{text}");
    }
);

journey!(
    a_request_no_notice_can_reach_is_not_extended,
    |app: TestApp| async move {
        add_namnder(&app).await;
        let mut request = majas_letter();
        request["subject"]
            .as_object_mut()
            .unwrap()
            .remove("address");
        let case = app.create_case(&Caller::kontaktcenter(), &request).await;
        let sn = Caller::handlaggare(&["socialnamnden"]);
        let response = work(
            &app,
            &sn,
            &id_of(&case),
            "extension",
            &json!({"reason": "Handlingar i flera verksamhetssystem."}),
        )
        .await;
        let refusal = problem(response, StatusCode::CONFLICT).await;
        assert_eq!(refusal["code"], "extension_notice_impossible");
        assert_eq!(
            app.get(&sn, &format!("/api/v1/cases/{}", id_of(&case)))
                .await
                .json::<Value>()
                .await
                .unwrap()["extended_deadline"],
            Value::Null
        );
    }
);

journey!(
    the_diarienummer_is_on_every_letter_and_the_documents_are_listed,
    |app: TestApp| async move {
        add_namnder(&app).await;
        let kc = Caller::kontaktcenter();
        let mut request = majas_letter();
        request["diarienummer"] = json!("SN 2026/42");
        let case = app.create_case(&kc, &request).await;
        let id = id_of(&case);
        assert_eq!(case["diarienummer"], "SN 2026/42");
        // The e-tjänst does not register in the diarium.
        let mut from_etjanst = etjanst_access_request();
        from_etjanst["diarienummer"] = json!("KS 2026/1");
        let response = app
            .post(&Caller::etjanst(), "/api/v1/cases", &from_etjanst)
            .await;
        let refusal = problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(
            field_errors(&refusal),
            vec![("diarienummer".to_owned(), "not_allowed".to_owned())]
        );

        // Corrected later; the journal keeps both.
        let corrected = work_ok(
            &app,
            &kc,
            &id,
            "diarienummer",
            &json!({"diarienummer": "SN 2026/43"}),
            StatusCode::OK,
        )
        .await;
        assert_eq!(corrected["diarienummer"], "SN 2026/43");
        let journal = app.journal(&kc, &id).await;
        let set = journal
            .iter()
            .find(|e| e["event"] == "diarienummer_set")
            .unwrap();
        assert_eq!(
            set["data"],
            json!({"diarienummer": "SN 2026/43", "previous": "SN 2026/42"})
        );
        let response = work(
            &app,
            &kc,
            &id,
            "diarienummer",
            &json!({"diarienummer": " "}),
        )
        .await;
        let refusal = problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(
            field_errors(&refusal),
            vec![("diarienummer".to_owned(), "required".to_owned())]
        );

        // The decision and its letter carry it.
        let sn = Caller::handlaggare(&["socialnamnden"]);
        let decided = decide(
            &app,
            &sn,
            &id,
            &json!({"controller": "socialnamnden", "outcome": "granted"}),
        )
        .await;
        let text = decided["parts"][0]["decision"]["text_sv"].as_str().unwrap();
        assert!(text.contains("Diarienummer: SN 2026/43\n"), "{text}");
        let to_print = queue(&app, &sn, "to_print").await;
        let decision_letter = to_print
            .iter()
            .find(|l| l["template"] == "decision_notice")
            .unwrap();
        let pdf = squeeze(&pdf_text(&app, &sn, decision_letter).await);
        assert!(pdf.contains(&squeeze("Diarienummer SN 2026/43")), "{pdf}");

        // The case's documents, with their dates.
        let documents =
            crate::casework::get_json(&app, &sn, &format!("/api/v1/cases/{id}/documents")).await;
        // Oldest first; the test clock gives several the same instant.
        let mut titles: Vec<&str> = documents
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["title_sv"].as_str().unwrap())
            .collect();
        titles.sort_unstable();
        assert_eq!(
            titles,
            [
                "Begäran om registerutdrag (brev)",
                "Beslut: Bifall",
                "Brev: beslut",
                "Brev: mottagningsbevis",
                "Identitetskontroll: underskriven blankett",
            ],
            "{documents}"
        );
        assert_eq!(documents[0]["title_sv"], "Begäran om registerutdrag (brev)");
    }
);

journey!(
    a_guardian_without_e_mail_gets_the_letters_at_her_own_address,
    |app: TestApp| async move {
        add_namnder(&app).await;
        // Alva is a child; her mother Maria asks by letter and gives her own address.
        let request = json!({
            "kind": "access", "channel": "letter", "received_at": "2026-03-09T09:00:00Z",
            "subject": {"personnummer": "20150101-2395", "name": "Alva Testsson",
                        "address": {"street": "Skolvägen 2", "postal_code": "151 89", "city": "Södertälje"}},
            "representative": {"kind": "guardian", "personnummer": "19850101-2382",
                               "name": "Maria Testsson",
                               "address": {"street": "Brevvägen 4", "postal_code": "15189", "city": "Södertälje"}},
            "controllers": ["socialnamnden"]
        });
        // A postal code that is not one is named, as for the person.
        let mut wrong = request.clone();
        wrong["representative"]["address"]["postal_code"] = json!("1518");
        let response = app
            .post(&Caller::kontaktcenter(), "/api/v1/cases", &wrong)
            .await;
        let refusal = problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(
            field_errors(&refusal),
            vec![(
                "representative.address.postal_code".to_owned(),
                "invalid_postal_code".to_owned()
            )]
        );

        let case = app.create_case(&Caller::kontaktcenter(), &request).await;
        assert_eq!(
            case["representative"]["address"],
            json!({"street": "Brevvägen 4", "postal_code": "151 89", "city": "Södertälje"})
        );
        let sn = Caller::handlaggare(&["socialnamnden"]);
        let to_print = queue(&app, &sn, "to_print").await;
        assert_eq!(to_print.len(), 1, "{to_print:?}");
        let text = squeeze(&pdf_text(&app, &sn, &to_print[0]).await);
        assert!(
            text.contains(&squeeze("Maria Testsson Brevvägen 4 151 89 Södertälje")),
            "{text}"
        );
        assert!(!text.contains(&squeeze("Skolvägen 2")), "{text}");
        // An extension notice can reach her, so the request can be extended.
        work_ok(
            &app,
            &sn,
            &id_of(&case),
            "extension",
            &json!({"reason": "Handlingar i flera verksamhetssystem."}),
            StatusCode::OK,
        )
        .await;
    }
);
