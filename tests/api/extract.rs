//! The registerutdrag (domain.md §5, api.md "Findings, secrecy review and the extract"): the
//! candidates of a case, the findings and their secrecy review, the extract as JSON and as the
//! Swedish PDF letter, and the rules around it.

use reqwest::{Method, Response, StatusCode};
use serde_json::{json, Value};

use crate::casework::{
    add_namnder, at, decide, event_names, field, get_json, tolvans_letter, work, work_ok, TOLVAN,
};
use crate::helpers::*;
use crate::journey;

/// What a withheld finding says: it must never reach the person.
const MARKER: &str = "HEMLIGUPPGIFT-4711";
const OSL: &str = "OSL 26 kap. 1 §";

const KONTAKTCENTER: &str = "Ärendehantering i Kontaktcenter";
const VIGSEL: &str = "Erbjuda borgerlig vigsel";
const FARDTJANST: &str = "Hantering av färdtjänst";
const VALINFORMATION: &str = "Hantera valinformation";

/// Tolvan comes to the desk and asks what the municipality knows about him.
fn tolvans_visit() -> Value {
    json!({
        "kind": "access",
        "channel": "visit",
        "received_at": "2026-03-10T08:30:00Z",
        "subject": {
            "personnummer": TOLVAN,
            "name": "Tolvan Tolvansson",
            "address": {"street": "Storgatan 1", "postal_code": "151 89", "city": "Södertälje"}
        },
        "subject_categories": ["invånare"],
        "controllers": ["kommunstyrelsen"]
    })
}

/// A case with the nämnder and the seed register of kommunstyrelsen in place.
async fn with_register(app: &TestApp) {
    add_namnder(app).await;
    app.import_seed_register("kommunstyrelsen").await;
}

async fn put_finding(
    app: &TestApp,
    caller: &Caller,
    case: &str,
    activity: &str,
    body: &Value,
) -> Response {
    app.put(
        caller,
        &format!("/api/v1/cases/{case}/findings/{activity}"),
        body,
    )
    .await
}

async fn finding_ok(app: &TestApp, caller: &Caller, case: &str, activity: &str, body: &Value) {
    let response = put_finding(app, caller, case, activity, body).await;
    let status = response.status();
    let text = response.text().await.expect("body");
    assert_eq!(status, StatusCode::OK, "record the finding: {text}");
}

/// Kontaktcenter checks the person's ID document at the desk (domain.md §3).
async fn verified_at_the_desk(app: &TestApp, kc: &Caller, id: &str, document_type: &str) -> Value {
    work_ok(
        app,
        kc,
        id,
        "identity",
        &json!({"action": "verify", "method": "id_document", "document_type": document_type}),
        StatusCode::OK,
    )
    .await
}

/// The text without any whitespace (pdf-extract joins some lines without a space).
fn squash(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Reads a PDF response: asserts 200 and `application/pdf`, returns its text squashed.
async fn pdf_text(response: Response) -> String {
    let status = response.status();
    let content_type = content_type(&response);
    let bytes = response.bytes().await.expect("body");
    assert_eq!(
        status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&bytes)
    );
    assert_eq!(content_type, "application/pdf");
    assert!(bytes.starts_with(b"%PDF"), "a PDF document");
    squash(&pdf_extract::extract_text_from_mem(&bytes).expect("the PDF has text"))
}

/// The register's texts of an activity, as the extract copies them.
fn register_texts(activity: &Value) -> Value {
    json!({
        "name": activity["name"],
        "purpose": activity["purpose"],
        "data_categories": activity["data_categories"],
        "recipients": activity["recipients"],
        "retention": activity["retention"],
        "source": activity["source"],
        "legal_basis": activity["legal_basis"],
        "third_country_transfer": activity["third_country_transfer"],
        "automated_decision_making": activity["automated_decision_making"],
        "transfer_safeguards": activity["transfer_safeguards"],
        "attachments": [],
    })
}

/// The body of `PUT /api/v1/register/activities/{id}` that keeps everything but `purpose`.
fn with_purpose(activity: &Value, purpose: &str) -> Value {
    json!({
        "name": activity["name"],
        "purpose": purpose,
        "subject_categories": activity["subject_categories"],
        "data_categories": activity["data_categories"],
        "legal_basis": activity["legal_basis"],
        "retention": activity["retention"],
        "recipients": activity["recipients"],
        "source": activity["source"],
        "third_country_transfer": activity["third_country_transfer"],
        "system": activity["system"],
    })
}

fn is_kommuninvanare(activity: &Value) -> bool {
    activity["subject_categories"]
        .as_array()
        .expect("subject categories")
        .iter()
        .any(|c| c.as_str().unwrap().to_lowercase() == "medborgare/kommuninvånare")
}

journey!(
    tolvan_asks_at_the_desk_and_receives_his_registerutdrag_by_registered_letter,
    |app: TestApp| async move {
        with_register(&app).await;
        let kc = Caller::kontaktcenter();
        let hl = Caller::handlaggare(&["kommunstyrelsen"]);

        // Kontaktcenter logs the visit and checks his ID at the desk.
        let case = app.create_case(&kc, &tolvans_visit()).await;
        let id = id_of(&case);
        let checked = verified_at_the_desk(&app, &kc, &id, "id_kort").await;
        assert_eq!(checked["identity"]["status"], "verified");

        // The handläggare gets the activities that may concern an invånare, with why.
        let candidates = get_json(&app, &hl, &format!("/api/v1/cases/{id}/candidates")).await;
        let candidates = candidates.as_array().expect("a list");
        assert!(!candidates.is_empty(), "candidates for an invånare");
        for candidate in candidates {
            let reasons = candidate["reasons"].as_array().expect("reasons");
            assert!(
                !reasons.is_empty() && reasons.iter().all(|r| !r.as_str().unwrap().is_empty()),
                "every candidate says why: {candidate}"
            );
            assert_eq!(candidate["activity"]["controller"], "kommunstyrelsen");
        }
        let register = app.register_activities("kommunstyrelsen").await;
        let kommuninvanare: Vec<String> = activity_names(
            &register
                .iter()
                .filter(|a| is_kommuninvanare(a))
                .cloned()
                .collect::<Vec<_>>(),
        );
        assert!(kommuninvanare.len() >= 6, "{kommuninvanare:?}");
        let ranked = activity_names(candidates);
        // The Medborgare/kommuninvånare activities come first (perhaps after the one that says
        // "invånare" word for word).
        let first: Vec<&String> = ranked.iter().take(kommuninvanare.len() + 1).collect();
        for name in &kommuninvanare {
            assert!(
                first.contains(&name),
                "{name} among the first candidates: {ranked:?}"
            );
        }
        // Activities for staff only are no candidates for Tolvan.
        assert!(!ranked.contains(&"Administration av leveranser till arkiv".to_owned()));

        let by_name = |name: &str| {
            register
                .iter()
                .find(|a| a["name"] == name)
                .unwrap_or_else(|| panic!("{name} in the register"))
                .clone()
        };
        let kontaktcenter = by_name(KONTAKTCENTER);
        let vigsel = by_name(VIGSEL);
        let fardtjanst = by_name(FARDTJANST);
        let valinformation = by_name(VALINFORMATION);

        let kontaktcenter_data =
            "Två ärenden: felanmälan av gatubelysning på Storgatan (2025-11-03) och synpunkt om snöröjning (2026-01-15).";
        let vigsel_data =
            "Intresseanmälan om borgerlig vigsel 2024-06-01 med namn och e-postadress.";
        finding_ok(
            &app,
            &hl,
            &id,
            &id_of(&kontaktcenter),
            &json!({"found": true, "data": kontaktcenter_data, "secrecy": "release"}),
        )
        .await;
        finding_ok(
            &app,
            &hl,
            &id,
            &id_of(&vigsel),
            &json!({"found": true, "data": vigsel_data, "secrecy": "release"}),
        )
        .await;
        // Withholding needs the provision of offentlighets- och sekretesslagen.
        let secret = format!("Ansökan om färdtjänst med läkarintyg, diagnos {MARKER}.");
        let response = put_finding(
            &app,
            &hl,
            &id,
            &id_of(&fardtjanst),
            &json!({"found": true, "data": secret, "secrecy": "withhold"}),
        )
        .await;
        let body = problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(
            field_errors(&body),
            vec![field("secrecy_reference", "required")]
        );
        finding_ok(
            &app,
            &hl,
            &id,
            &id_of(&fardtjanst),
            &json!({"found": true, "data": secret, "secrecy": "withhold", "secrecy_reference": OSL}),
        )
        .await;
        finding_ok(
            &app,
            &hl,
            &id,
            &id_of(&valinformation),
            &json!({"found": false}),
        )
        .await;

        // The candidates now show what was recorded.
        let candidates = get_json(&app, &hl, &format!("/api/v1/cases/{id}/candidates")).await;
        let recorded = candidates
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["activity"]["name"] == FARDTJANST)
            .expect("färdtjänst is a candidate");
        assert_eq!(recorded["finding"]["secrecy"], "withhold");

        // The extract: the released findings with the register's texts, never the withheld data.
        let response = app
            .post(&hl, &format!("/api/v1/cases/{id}/extract"), &json!({}))
            .await;
        let status = response.status();
        let text = response.text().await.expect("body");
        assert_eq!(status, StatusCode::CREATED, "compile: {text}");
        assert!(
            !text.contains(MARKER),
            "withheld data in the extract: {text}"
        );
        let extract: Value = serde_json::from_str(&text).expect("json");
        assert_eq!(extract["reference"], case["reference"]);
        assert_eq!(extract["subject"]["name"], "Tolvan Tolvansson");
        assert_eq!(
            extract["subject"]["address"],
            json!(["Storgatan 1", "151 89 Södertälje"])
        );
        assert_eq!(extract["partial_refusal"], true);
        assert!(extract["appeal_sv"].is_string(), "{extract}");
        assert!(extract["complaint_sv"]
            .as_str()
            .unwrap()
            .contains("Integritetsskyddsmyndigheten"));
        let sections = extract["controllers"].as_array().expect("controllers");
        assert_eq!(sections.len(), 1);
        let section = &sections[0];
        assert_eq!(section["controller"], "kommunstyrelsen");
        assert_eq!(section["name"], "Kommunstyrelsen");
        assert_eq!(section["withheld_count"], 1);
        assert_eq!(section["withheld_references"], json!([OSL]));
        let mut released = section["activities"]
            .as_array()
            .expect("activities")
            .clone();
        released.sort_by_key(|a| a["name"].as_str().unwrap().to_owned());
        let mut expected = vec![
            (vigsel.clone(), vigsel_data),
            (kontaktcenter.clone(), kontaktcenter_data),
        ];
        expected.sort_by_key(|(a, _)| a["name"].as_str().unwrap().to_owned());
        assert_eq!(released.len(), 2, "{released:?}");
        for (actual, (activity, data)) in released.iter().zip(&expected) {
            let mut want = register_texts(activity);
            want["data_found"] = json!(data);
            assert_eq!(actual, &want);
        }
        assert!(!kontaktcenter["purpose"].as_str().unwrap().is_empty());
        assert!(!vigsel["third_country_transfer"]
            .as_str()
            .unwrap()
            .is_empty());
        // GET gives the same extract.
        let read = get_json(&app, &hl, &format!("/api/v1/cases/{id}/extract")).await;
        assert_eq!(read, extract);

        // The letter, as extract.pdf and by content negotiation.
        let letter = pdf_text(
            app.get(&hl, &format!("/api/v1/cases/{id}/extract.pdf"))
                .await,
        )
        .await;
        let negotiated = pdf_text(
            app.send(
                app.request(
                    Method::GET,
                    &format!("/api/v1/cases/{id}/extract"),
                    Some(&hl),
                )
                .header("accept", "application/pdf"),
            )
            .await,
        )
        .await;
        assert_eq!(negotiated, letter);
        for expected in [
            "Tolvan Tolvansson",
            "Storgatan 1",
            "151 89 Södertälje",
            case["reference"].as_str().unwrap(),
            OSL,
            KONTAKTCENTER,
            VIGSEL,
            kontaktcenter_data,
            "Integritetsskyddsmyndigheten",
            "Överföring till tredje land",
            "Sida 1 av",
        ] {
            assert!(
                letter.contains(&squash(expected)),
                "the letter has {expected:?}: {letter}"
            );
        }
        assert!(!letter.contains(MARKER), "withheld data in the letter");

        // The register changes afterwards; the compiled extract keeps the texts it copied.
        let response = app
            .put(
                &Caller::admin(),
                &format!("/api/v1/register/activities/{}", id_of(&vigsel)),
                &with_purpose(&vigsel, "Ett helt nytt ändamål."),
            )
            .await;
        assert_eq!(response.status(), StatusCode::OK);
        let read = get_json(&app, &hl, &format!("/api/v1/cases/{id}/extract")).await;
        assert_eq!(read, extract);
        let copied = read["controllers"][0]["activities"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["name"] == VIGSEL)
            .unwrap()
            .clone();
        assert_eq!(copied["purpose"], vigsel["purpose"]);
        assert_ne!(copied["purpose"], "Ett helt nytt ändamål.");

        // The decision, then the letter goes to the folkbokföringsadress.
        decide(
            &app,
            &hl,
            &id,
            &json!({
                "controller": "kommunstyrelsen",
                "outcome": "partially_granted", "legal_grounds": ["osl_26_1"],
                "reasons": "Uppgifter om färdtjänst omfattas av sekretess enligt OSL 26 kap. 1 §."
            }),
        )
        .await;
        let delivered = work_ok(
            &app,
            &hl,
            &id,
            "delivery",
            &json!({"method": "registered_letter"}),
            StatusCode::OK,
        )
        .await;
        assert_eq!(delivered["delivery"]["method"], "registered_letter");
        assert!(delivered["delivery"]["delivered_at"].is_string());
        let journal = app.journal(&hl, &id).await;
        let events = event_names(&journal);
        for event in [
            "received",
            "identity_verified",
            "finding_recorded",
            "extract_compiled",
            "decided",
            "delivered",
        ] {
            assert!(events.contains(&event.to_owned()), "{event} in {events:?}");
        }
        let journal_text = serde_json::to_string(&journal).unwrap();
        assert!(
            !journal_text.contains(MARKER),
            "withheld data in the journal"
        );
    }
);

journey!(
    no_extract_before_the_identity_is_verified_and_no_delivery_without_it,
    |app: TestApp| async move {
        with_register(&app).await;
        let kc = Caller::kontaktcenter();
        let hl = Caller::handlaggare(&["kommunstyrelsen"]);
        let case = app
            .create_case(
                &kc,
                &tolvans_letter("access", "2026-03-09T10:00:00Z", &["kommunstyrelsen"]),
            )
            .await;
        let id = id_of(&case);
        let vigsel = app.activity_named("kommunstyrelsen", VIGSEL).await;
        finding_ok(
            &app,
            &hl,
            &id,
            &id_of(&vigsel),
            &json!({"found": true, "data": "Intresseanmälan 2024.", "secrecy": "release"}),
        )
        .await;

        let response = app
            .post(&hl, &format!("/api/v1/cases/{id}/extract"), &json!({}))
            .await;
        assert_eq!(
            problem(response, StatusCode::CONFLICT).await["code"],
            "identity_unverified"
        );
        let response = app.get(&hl, &format!("/api/v1/cases/{id}/extract")).await;
        problem(response, StatusCode::NOT_FOUND).await;

        // Nor a decision on the merits.
        let response = work(
            &app,
            &hl,
            &id,
            "decisions",
            &json!({"controller": "kommunstyrelsen", "outcome": "granted"}),
        )
        .await;
        assert_eq!(
            problem(response, StatusCode::CONFLICT).await["code"],
            "identity_unverified"
        );
        verified_at_the_desk(&app, &kc, &id, "pass").await;
        decide(
            &app,
            &hl,
            &id,
            &json!({"controller": "kommunstyrelsen", "outcome": "granted"}),
        )
        .await;
        // An access request is answered with the extract.
        let response = work(
            &app,
            &hl,
            &id,
            "delivery",
            &json!({"method": "registered_letter"}),
        )
        .await;
        assert_eq!(
            problem(response, StatusCode::CONFLICT).await["code"],
            "extract_missing"
        );
        let response = app
            .post(&hl, &format!("/api/v1/cases/{id}/extract"), &json!({}))
            .await;
        assert_eq!(response.status(), StatusCode::CREATED);
        work_ok(
            &app,
            &hl,
            &id,
            "delivery",
            &json!({"method": "registered_letter"}),
            StatusCode::OK,
        )
        .await;
    }
);

journey!(
    a_guardian_gets_a_childs_data_only_after_the_secrecy_towards_guardians_is_considered,
    |app: TestApp| async move {
        with_register(&app).await;
        let kc = Caller::kontaktcenter();
        let hl = Caller::handlaggare(&["kommunstyrelsen"]);
        // A child born 2015 (Skatteverket's test numbers), asked for by a guardian.
        let case = app
            .create_case(
                &kc,
                &json!({
                    "kind": "access",
                    "channel": "letter",
                    "received_at": "2026-03-09T10:00:00Z",
                    "subject": {"personnummer": "20150101-2395", "name": "Alva Testsson"},
                    "representative": {
                        "kind": "guardian",
                        "personnummer": "19850101-2382",
                        "name": "Maria Testsson",
                        "email": "maria@example.se"
                    },
                    "subject_categories": ["invånare"],
                    "controllers": ["kommunstyrelsen"]
                }),
            )
            .await;
        let id = id_of(&case);
        let vigsel = app.activity_named("kommunstyrelsen", KONTAKTCENTER).await;
        let path = id_of(&vigsel);
        let release =
            json!({"found": true, "data": "En synpunkt om skolgården.", "secrecy": "release"});
        let response = put_finding(&app, &hl, &id, &path, &release).await;
        let body = problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(
            field_errors(&body),
            vec![field("guardian_secrecy_considered", "required")]
        );
        assert!(body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("12 kap. 3 §"));
        let response = put_finding(
            &app,
            &hl,
            &id,
            &path,
            &json!({"found": true, "data": "En synpunkt om skolgården.", "secrecy": "release",
                    "guardian_secrecy_considered": false}),
        )
        .await;
        problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
        finding_ok(
            &app,
            &hl,
            &id,
            &path,
            &json!({"found": true, "data": "En synpunkt om skolgården.", "secrecy": "release",
                    "guardian_secrecy_considered": true}),
        )
        .await;
        // Withholding from the guardian needs no such confirmation.
        let fardtjanst = app.activity_named("kommunstyrelsen", FARDTJANST).await;
        finding_ok(
            &app,
            &hl,
            &id,
            &id_of(&fardtjanst),
            &json!({"found": true, "data": "Ansökan.", "secrecy": "withhold", "secrecy_reference": "OSL 12 kap. 3 §"}),
        )
        .await;
    }
);

journey!(
    findings_are_recorded_only_by_the_handlaggare_of_the_cases_nämnder,
    |app: TestApp| async move {
        with_register(&app).await;
        // Socialnämnden has a register of its own.
        app.import_register(
            "socialnamnden",
            TSV,
            "Behandlingsaktivitet\tÄndamål med behandlingen\tKategorier av registrerade\n\
             Utreda ekonomiskt bistånd\tHandläggning av ansökningar\tMedborgare/kommuninvånare\n"
                .as_bytes()
                .to_vec(),
        )
        .await;
        let kc = Caller::kontaktcenter();
        let hl = Caller::handlaggare(&["kommunstyrelsen"]);
        let case = app.create_case(&kc, &tolvans_visit()).await;
        let id = id_of(&case);
        let social = app
            .activity_named("socialnamnden", "Utreda ekonomiskt bistånd")
            .await;
        let vigsel = app.activity_named("kommunstyrelsen", VIGSEL).await;
        let release = json!({"found": true, "data": "Något.", "secrecy": "release"});

        // An activity of a nämnd that is not a part of the case.
        let response = put_finding(&app, &hl, &id, &id_of(&social), &release).await;
        let body = problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(
            field_errors(&body),
            vec![field("activity_id", "not_a_part")]
        );
        // An activity that does not exist.
        let response = put_finding(&app, &hl, &id, "no-such-activity", &release).await;
        let body = problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(
            field_errors(&body),
            vec![field("activity_id", "unknown_activity")]
        );

        // Socialnämnden's handläggare does not see the case at all.
        let other = Caller::handlaggare(&["socialnamnden"]);
        for response in [
            app.get(&other, &format!("/api/v1/cases/{id}")).await,
            app.get(&other, &format!("/api/v1/cases/{id}/candidates"))
                .await,
            put_finding(&app, &other, &id, &id_of(&vigsel), &release).await,
            app.post(&other, &format!("/api/v1/cases/{id}/extract"), &json!({}))
                .await,
        ] {
            problem(response, StatusCode::NOT_FOUND).await;
        }
        // The DPO reads, but does not record findings or compile extracts.
        let response = put_finding(&app, &Caller::dpo(), &id, &id_of(&vigsel), &release).await;
        problem(response, StatusCode::FORBIDDEN).await;
        let response = app
            .post(
                &Caller::dpo(),
                &format!("/api/v1/cases/{id}/extract"),
                &json!({}),
            )
            .await;
        problem(response, StatusCode::FORBIDDEN).await;
        // Nor does Kontaktcenter.
        let response = put_finding(&app, &kc, &id, &id_of(&vigsel), &release).await;
        problem(response, StatusCode::FORBIDDEN).await;
        // Nothing was recorded.
        let candidates = get_json(&app, &hl, &format!("/api/v1/cases/{id}/candidates")).await;
        assert!(candidates
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["finding"].is_null()));
    }
);

journey!(
    a_rectification_request_has_no_extract,
    |app: TestApp| async move {
        with_register(&app).await;
        let kc = Caller::kontaktcenter();
        let hl = Caller::handlaggare(&["kommunstyrelsen"]);
        let mut request = tolvans_letter(
            "rectification",
            "2026-03-09T10:00:00Z",
            &["kommunstyrelsen"],
        );
        request["description"] = json!("Min adress är fel i Kontaktcenters ärende.");
        let case = app.create_case(&kc, &request).await;
        let id = id_of(&case);
        verified_at_the_desk(&app, &kc, &id, "pass").await;
        let response = app
            .post(&hl, &format!("/api/v1/cases/{id}/extract"), &json!({}))
            .await;
        assert_eq!(
            problem(response, StatusCode::CONFLICT).await["code"],
            "not_an_access_request"
        );
        // The candidates give advice from the legal basis instead.
        let candidates = get_json(&app, &hl, &format!("/api/v1/cases/{id}/candidates")).await;
        assert!(candidates
            .as_array()
            .unwrap()
            .iter()
            .all(|c| !c["advice"].is_null()));
    }
);

journey!(
    the_extract_and_the_decision_can_never_disagree,
    |app: TestApp| async move {
        with_register(&app).await;
        let kc = Caller::kontaktcenter();
        let hl = Caller::handlaggare(&["kommunstyrelsen"]);
        let verify = json!({"action": "verify", "method": "id_document", "document_type": "pass"});

        // A finding withheld under OSL: the part cannot be granted in full.
        let case = app.create_case(&kc, &tolvans_visit()).await;
        let id = id_of(&case);
        work_ok(&app, &kc, &id, "identity", &verify, StatusCode::OK).await;
        let fardtjanst = app.activity_named("kommunstyrelsen", FARDTJANST).await;
        finding_ok(
            &app,
            &hl,
            &id,
            &id_of(&fardtjanst),
            &json!({"found": true, "data": "Färdtjänsttillstånd 2025", "secrecy": "withhold",
                    "secrecy_reference": "26 kap. 1 § OSL"}),
        )
        .await;
        let response = work(
            &app,
            &hl,
            &id,
            "decisions",
            &json!({"controller": "kommunstyrelsen", "outcome": "granted"}),
        )
        .await;
        let refusal = problem(response, StatusCode::CONFLICT).await;
        assert_eq!(refusal["code"], "withheld_findings");
        decide(
            &app,
            &hl,
            &id,
            &json!({"controller": "kommunstyrelsen",
            "outcome": "partially_granted", "legal_grounds": ["osl_26_1", "dsl_5_1"],
            "reasons": "Uppgifterna om färdtjänst omfattas av sekretess."}),
        )
        .await;

        // Granted in full first: nothing can be withheld afterwards.
        let other = app.create_case(&kc, &tolvans_visit()).await;
        let other_id = id_of(&other);
        work_ok(&app, &kc, &other_id, "identity", &verify, StatusCode::OK).await;
        decide(
            &app,
            &hl,
            &other_id,
            &json!({"controller": "kommunstyrelsen", "outcome": "granted"}),
        )
        .await;
        let response = put_finding(
            &app,
            &hl,
            &other_id,
            &id_of(&fardtjanst),
            &json!({"found": true, "data": "Färdtjänsttillstånd 2025", "secrecy": "withhold",
                    "secrecy_reference": "26 kap. 1 § OSL"}),
        )
        .await;
        let refusal = problem(response, StatusCode::CONFLICT).await;
        assert_eq!(refusal["code"], "withheld_after_grant");
    }
);

journey!(
    a_guardian_reads_the_extract_about_the_child_by_the_childs_name,
    |app: TestApp| async move {
        with_register(&app).await;
        let kc = Caller::kontaktcenter();
        let hl = Caller::handlaggare(&["kommunstyrelsen"]);
        let mut request = tolvans_visit();
        request["subject"] = json!({"personnummer": "20150101-2395", "name": "Lilla Testsson"});
        request["representative"] = json!({"kind": "guardian", "personnummer": "19850101-2382",
                                           "name": "Maria Testsson"});
        let case = app.create_case(&kc, &request).await;
        let id = id_of(&case);
        for party in ["subject", "representative"] {
            work_ok(
                &app,
                &kc,
                &id,
                "identity",
                &json!({"action": "verify", "method": "id_document", "document_type": "pass",
                        "party": party}),
                StatusCode::OK,
            )
            .await;
        }
        decide(
            &app,
            &hl,
            &id,
            &json!({"controller": "kommunstyrelsen", "outcome": "granted"}),
        )
        .await;
        crate::casework::compile_extract(&app, &id).await;
        let response = app
            .get(&hl, &format!("/api/v1/cases/{id}/extract.pdf"))
            .await;
        let text = pdf_text(response).await;
        assert!(
            text.contains(&squash("vilka personuppgifter om Lilla Testsson som")),
            "{text}"
        );
        assert!(!text.contains(&squash("personuppgifter om dig")), "{text}");
    }
);

journey!(
    a_portability_request_is_answered_with_the_data_as_json_and_csv,
    |app: TestApp| async move {
        with_register(&app).await;
        let kc = Caller::kontaktcenter();
        let hl = Caller::handlaggare(&["kommunstyrelsen"]);
        let mut request = tolvans_visit();
        request["kind"] = json!("portability");
        let case = app.create_case(&kc, &request).await;
        let id = id_of(&case);
        verified_at_the_desk(&app, &kc, &id, "pass").await;
        let register = app.register_activities("kommunstyrelsen").await;
        let consent = register
            .iter()
            .find(|a| a["legal_basis"] == "Samtycke")
            .expect("an activity on consent");
        let public_task = app.activity_named("kommunstyrelsen", FARDTJANST).await;
        finding_ok(&app, &hl, &id, &id_of(consent),
            &json!({"found": true, "data": "Fotografi från Kulturnatten 2025, samtycke 2025-09-01", "secrecy": "release"})).await;
        finding_ok(
            &app,
            &hl,
            &id,
            &id_of(&public_task),
            &json!({"found": true, "data": "Färdtjänsttillstånd 2025", "secrecy": "release"}),
        )
        .await;

        // Only what was processed on consent or contract is portable (Art. 20(1)(a), 20(3)).
        let items = get_json(&app, &hl, &format!("/api/v1/cases/{id}/portability")).await;
        assert_eq!(
            items,
            json!([{"controller": "kommunstyrelsen", "activity": consent["name"],
                    "legal_basis": "Samtycke",
                    "data": "Fotografi från Kulturnatten 2025, samtycke 2025-09-01"}])
        );
        let response = app
            .get(&hl, &format!("/api/v1/cases/{id}/portability?format=csv"))
            .await;
        assert_eq!(response.status(), StatusCode::OK);
        assert!(content_type(&response).starts_with("text/csv"));
        let csv = response.text().await.unwrap();
        let mut lines = csv.lines();
        assert_eq!(lines.next(), Some("controller,activity,legal_basis,data"));
        assert!(
            lines
                .next()
                .unwrap()
                .ends_with("Samtycke,\"Fotografi från Kulturnatten 2025, samtycke 2025-09-01\""),
            "{csv}"
        );

        // Another kind of request has no portable data; the desk cannot read it.
        let access = app.create_case(&kc, &tolvans_visit()).await;
        let response = app
            .get(
                &hl,
                &format!("/api/v1/cases/{}/portability", id_of(&access)),
            )
            .await;
        let refusal = problem(response, StatusCode::CONFLICT).await;
        assert_eq!(refusal["code"], "not_a_portability_request");
        let response = app
            .get(&kc, &format!("/api/v1/cases/{id}/portability"))
            .await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
    }
);

/// `POST /cases/{case}/findings/{activity}/attachments` with the file as the body.
async fn attach(
    app: &TestApp,
    caller: &Caller,
    case: &str,
    activity: &str,
    content_type: &str,
    file_name: Option<&str>,
    content: &[u8],
) -> Response {
    let mut request = app
        .request(
            Method::POST,
            &format!("/api/v1/cases/{case}/findings/{activity}/attachments"),
            Some(caller),
        )
        .header("Content-Type", content_type)
        .body(content.to_vec());
    if let Some(name) = file_name {
        let encoded: String = name
            .bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() || b == b'.' || b == b'-' || b == b'_' {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect();
        request = request.header(
            "Content-Disposition",
            format!("attachment; filename*=UTF-8''{encoded}"),
        );
    }
    app.send(request).await
}

/// The activity's edit body with `changes` applied.
fn edited(activity: &Value, changes: Value) -> Value {
    let mut body = with_purpose(activity, activity["purpose"].as_str().unwrap());
    for (key, value) in changes.as_object().unwrap() {
        body[key] = value.clone();
    }
    body
}

journey!(
    an_extract_tells_automated_decisions_and_safeguards_and_delivers_copies_of_the_documents,
    |app: TestApp| async move {
        with_register(&app).await;
        let admin = Caller::admin();
        let kc = Caller::kontaktcenter();
        let hl = Caller::handlaggare(&["kommunstyrelsen"]);
        let kontaktcenter = app.activity_named("kommunstyrelsen", KONTAKTCENTER).await;
        let vigsel = app.activity_named("kommunstyrelsen", VIGSEL).await;
        let fardtjanst = app.activity_named("kommunstyrelsen", FARDTJANST).await;
        let valinformation = app.activity_named("kommunstyrelsen", VALINFORMATION).await;

        // The register says what Art. 15(1)(h) and 15(2) need, per activity.
        let automated = "Felanmälningar sorteras automatiskt efter typ av fel. Beslut om åtgärd fattas av en handläggare.";
        let safeguards = "Standardavtalsklausuler enligt artikel 46.2 c i dataskyddsförordningen.";
        for (activity, changes) in [
            (
                &kontaktcenter,
                json!({"automated_decision_making": automated}),
            ),
            (
                &vigsel,
                json!({"third_country_transfer": "Ja, USA (e-posttjänst)",
                       "transfer_safeguards": safeguards}),
            ),
        ] {
            let response = app
                .put(
                    &admin,
                    &format!("/api/v1/register/activities/{}", id_of(activity)),
                    &edited(activity, changes),
                )
                .await;
            assert_eq!(response.status(), StatusCode::OK);
        }

        let case = app.create_case(&kc, &tolvans_visit()).await;
        let id = id_of(&case);
        verified_at_the_desk(&app, &kc, &id, "id_kort").await;
        let released = |data: &str| json!({"found": true, "data": data, "secrecy": "release"});
        finding_ok(
            &app,
            &hl,
            &id,
            &id_of(&kontaktcenter),
            &released("En felanmälan av gatubelysning, 2025-11-03."),
        )
        .await;
        finding_ok(
            &app,
            &hl,
            &id,
            &id_of(&vigsel),
            &released("Intresseanmälan om borgerlig vigsel."),
        )
        .await;
        finding_ok(
            &app,
            &hl,
            &id,
            &id_of(&fardtjanst),
            &json!({"found": true, "data": format!("Läkarintyg {MARKER}"), "secrecy": "withhold",
                    "secrecy_reference": OSL}),
        )
        .await;

        // Copies of the documents that hold the data go with the finding.
        let note =
            "Felanmälan 2025-11-03: gatlampan utanför Storgatan 1 är trasig. /Tolvan".as_bytes();
        let png: &[u8] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR-bild-av-anmalan";
        let kc_activity = id_of(&kontaktcenter);
        // Nothing to attach to before a finding is recorded.
        let response = attach(
            &app,
            &hl,
            &id,
            &id_of(&valinformation),
            "text/plain",
            Some("a.txt"),
            note,
        )
        .await;
        assert_eq!(
            problem(response, StatusCode::CONFLICT).await["code"],
            "no_finding"
        );
        // A file that is not what it says, a type the service does not take, no name.
        let response = attach(
            &app,
            &hl,
            &id,
            &kc_activity,
            "application/pdf",
            Some("a.pdf"),
            b"MZ\x90\x00",
        )
        .await;
        assert_eq!(
            field_errors(&problem(response, StatusCode::UNPROCESSABLE_ENTITY).await),
            vec![field("content", "not_that_kind")]
        );
        let response = attach(
            &app,
            &hl,
            &id,
            &kc_activity,
            "application/zip",
            Some("a.zip"),
            b"PK\x03\x04",
        )
        .await;
        assert_eq!(
            field_errors(&problem(response, StatusCode::UNPROCESSABLE_ENTITY).await),
            vec![field("content_type", "unsupported")]
        );
        let response = attach(&app, &hl, &id, &kc_activity, "text/plain", None, note).await;
        assert_eq!(
            field_errors(&problem(response, StatusCode::UNPROCESSABLE_ENTITY).await),
            vec![field("file_name", "required")]
        );
        // Too large.
        let big = vec![b'a'; 5 * 1024 * 1024 + 1];
        let response = attach(
            &app,
            &hl,
            &id,
            &kc_activity,
            "text/plain",
            Some("stor.txt"),
            &big,
        )
        .await;
        assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
        // Another nämnd's handläggare may not attach to kommunstyrelsen's finding.
        let other = Caller::handlaggare(&["socialnamnden"]);
        let response = attach(
            &app,
            &other,
            &id,
            &kc_activity,
            "text/plain",
            Some("a.txt"),
            note,
        )
        .await;
        assert!(
            response.status() == StatusCode::FORBIDDEN
                || response.status() == StatusCode::NOT_FOUND,
            "{}",
            response.status()
        );

        let response = attach(
            &app,
            &hl,
            &id,
            &kc_activity,
            "text/plain; charset=utf-8",
            Some("felanmälan.txt"),
            note,
        )
        .await;
        assert_eq!(response.status(), StatusCode::CREATED);
        let text_file: Value = response.json().await.unwrap();
        assert_eq!(text_file["file_name"], "felanmälan.txt");
        assert_eq!(text_file["content_type"], "text/plain");
        assert_eq!(text_file["size_bytes"], note.len());
        let response = attach(
            &app,
            &hl,
            &id,
            &id_of(&vigsel),
            "image/png",
            Some("bild.png"),
            png,
        )
        .await;
        assert_eq!(response.status(), StatusCode::CREATED);
        let image: Value = response.json().await.unwrap();

        let listed = get_json(&app, &hl, &format!("/api/v1/cases/{id}/attachments")).await;
        assert_eq!(listed.as_array().unwrap().len(), 2, "{listed}");
        // They are documents of the case, for the nämnd's staff only.
        let documents = get_json(&app, &hl, &format!("/api/v1/cases/{id}/documents")).await;
        let attached: Vec<&Value> = documents
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["kind"] == "attachment")
            .collect();
        assert_eq!(attached.len(), 2, "{documents}");
        assert!(attached
            .iter()
            .any(|d| d["title_sv"] == "Kopia till registerutdraget: felanmälan.txt"));
        let desk = get_json(&app, &kc, &format!("/api/v1/cases/{id}/documents")).await;
        assert!(!desk.to_string().contains("felanmälan.txt"), "{desk}");
        let response = app
            .get(&kc, &format!("/api/v1/cases/{id}/attachments"))
            .await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
        let response = app
            .get(
                &hl,
                &format!("/api/v1/cases/{id}/attachments/{}", id_of(&text_file)),
            )
            .await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(content_type(&response), "text/plain");
        assert_eq!(response.headers()["cache-control"], "no-store");
        assert!(response.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("felanm%C3%A4lan.txt"));
        assert_eq!(response.bytes().await.unwrap().as_ref(), note);

        // The extract lists them and carries what the register says.
        let response = app
            .post(&hl, &format!("/api/v1/cases/{id}/extract"), &json!({}))
            .await;
        assert_eq!(response.status(), StatusCode::CREATED);
        let extract: Value = response.json().await.unwrap();
        let activities = extract["controllers"][0]["activities"]
            .as_array()
            .unwrap()
            .clone();
        let by_name = |name: &str| {
            activities
                .iter()
                .find(|a| a["name"] == name)
                .unwrap()
                .clone()
        };
        assert_eq!(
            by_name(KONTAKTCENTER)["automated_decision_making"],
            automated
        );
        assert_eq!(
            by_name(KONTAKTCENTER)["attachments"][0]["file_name"],
            "felanmälan.txt"
        );
        assert_eq!(by_name(VIGSEL)["transfer_safeguards"], safeguards);
        assert_eq!(by_name(VIGSEL)["attachments"][0]["id"], image["id"]);
        assert!(extract["automated_decisions_sv"]
            .as_str()
            .unwrap()
            .contains("Några av behandlingarna innefattar automatiserat beslutsfattande"));

        // Read back from the PDF: the texts, the list, and the files embedded in it.
        let response = app
            .get(&hl, &format!("/api/v1/cases/{id}/extract.pdf"))
            .await;
        assert_eq!(response.status(), StatusCode::OK);
        let bytes = response.bytes().await.unwrap();
        let letter = squash(&pdf_extract::extract_text_from_mem(&bytes).expect("text"));
        for expected in [
            "Automatiserat beslutsfattande",
            automated,
            "Skyddsåtgärder vid överföringen",
            safeguards,
            "Bifogade handlingar",
            "felanmälan.txt (text,",
            "bild.png (bild, PNG,",
            "Kopior av de handlingar som står under Bifogade handlingar hör till utdraget.",
            "Uppgifter som inte lämnas ut",
        ] {
            assert!(
                letter.contains(&squash(expected)),
                "the letter has {expected:?}: {letter}"
            );
        }
        assert!(!letter.contains(MARKER));
        let raw = &bytes[..];
        let holds = |needle: &[u8]| raw.windows(needle.len()).any(|w| w == needle);
        assert!(holds(b"/EmbeddedFiles"), "the PDF has attached files");
        assert!(
            holds(note),
            "the text file is in the PDF as it was attached"
        );
        assert!(holds(png), "the image is in the PDF as it was attached");

        // A file taken off after compilation: the extract must be compiled again.
        let response = app
            .delete(
                &hl,
                &format!("/api/v1/cases/{id}/attachments/{}", id_of(&image)),
            )
            .await;
        assert_eq!(response.status(), StatusCode::NO_CONTENT);
        let response = app
            .get(&hl, &format!("/api/v1/cases/{id}/extract.pdf"))
            .await;
        assert_eq!(
            problem(response, StatusCode::CONFLICT).await["code"],
            "extract_out_of_date"
        );
        let response = app
            .post(&hl, &format!("/api/v1/cases/{id}/extract"), &json!({}))
            .await;
        assert_eq!(response.status(), StatusCode::CREATED);
        let response = app
            .get(&hl, &format!("/api/v1/cases/{id}/extract.pdf"))
            .await;
        let bytes = response.bytes().await.unwrap();
        assert!(!bytes.windows(png.len()).any(|w| w == png));

        let events = event_names(&app.journal(&hl, &id).await);
        assert!(
            events.contains(&"attachment_added".to_owned()),
            "{events:?}"
        );
        assert!(
            events.contains(&"attachment_removed".to_owned()),
            "{events:?}"
        );
        let actions = app.audit_actions().await;
        assert!(
            actions.contains(&"case.attachment_read".to_owned()),
            "{actions:?}"
        );

        // The attachments are purged with the extract, three months after delivery.
        decide(
            &app,
            &hl,
            &id,
            &json!({"controller": "kommunstyrelsen", "outcome": "partially_granted",
                    "legal_grounds": ["osl_26_1"],
                    "reasons": "Uppgifter om färdtjänst omfattas av sekretess."}),
        )
        .await;
        work_ok(
            &app,
            &hl,
            &id,
            "delivery",
            &json!({"method": "registered_letter"}),
            StatusCode::OK,
        )
        .await;
        at(&app, "2026-07-01T09:00:00Z");
        let response = app
            .post(&admin, "/api/v1/retention/run", &json!({"dry_run": false}))
            .await;
        assert_eq!(
            response.status(),
            StatusCode::OK,
            "{}",
            response.text().await.unwrap()
        );
        let listed = get_json(&app, &hl, &format!("/api/v1/cases/{id}/attachments")).await;
        assert_eq!(listed, json!([]));
    }
);
