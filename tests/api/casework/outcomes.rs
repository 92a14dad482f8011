//! The outcomes beyond granted and refused (domain.md §6): a manifestly unfounded or excessive
//! request (Art. 12(5)), a request forwarded to the authority it belongs to (förvaltningslagen
//! 4 §), and one the GDPR does not apply to (a deceased person, recital 27).

use reqwest::StatusCode;
use serde_json::{json, Value};

use super::*;
use crate::helpers::*;
use crate::journey;

fn decision_of(case: &Value) -> &Value {
    &part(case, "socialnamnden")["decision"]
}

async fn new_case(app: &TestApp, kind: &str) -> String {
    let case = app
        .create_case(
            &Caller::kontaktcenter(),
            &tolvans_signed_letter(kind, "2026-03-09T09:00:00Z", &["socialnamnden"]),
        )
        .await;
    id_of(&case)
}

journey!(
    a_manifestly_unfounded_request_is_refused_or_answered_against_a_fee,
    |app: TestApp| async move {
        add_namnder(&app).await;
        let hl = Caller::handlaggare(&["socialnamnden"]);

        // What shows it is unfounded goes in the reasons; without them, no decision.
        let id = new_case(&app, "access").await;
        let response = work(
            &app,
            &hl,
            &id,
            "decisions",
            &json!({"controller": "socialnamnden", "outcome": "manifestly_unfounded"}),
        )
        .await;
        let refusal = problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(field_errors(&refusal), vec![field("reasons", "required")]);

        let reasons = "Det är den tolfte begäran om registerutdrag sedan januari; inga nya uppgifter har tillkommit.";
        let decided = decide(
            &app,
            &hl,
            &id,
            &json!({"controller": "socialnamnden",
            "outcome": "manifestly_unfounded", "reasons": reasons}),
        )
        .await;
        let decision = decision_of(&decided);
        assert_eq!(decision["outcome"], "manifestly_unfounded");
        assert_eq!(
            decision["legal_grounds"][0]["code"], "gdpr_12_5",
            "Art. 12(5) when nothing else is named"
        );
        let text = decision["text_sv"].as_str().unwrap();
        assert!(
            text.contains("eftersom begäran är uppenbart ogrundad eller orimlig"),
            "{text}"
        );
        assert!(text.contains(reasons));
        assert!(
            text.contains("Du kan överklaga beslutet till Förvaltningsrätten i Stockholm"),
            "{text}"
        );

        // Or a reasonable fee is asked instead.
        let id = new_case(&app, "access").await;
        let decided = decide(
            &app,
            &hl,
            &id,
            &json!({"controller": "socialnamnden",
            "outcome": "manifestly_unfounded", "reasons": reasons, "fee_sek": 450}),
        )
        .await;
        assert_eq!(decision_of(&decided)["fee_sek"], 450);
        assert!(decision_of(&decided)["text_sv"]
            .as_str()
            .unwrap()
            .contains("först när en avgift på 450 kronor har betalats"));

        // A fee belongs to that outcome only, and is reasonable.
        let id = new_case(&app, "access").await;
        for (body, expected) in [
            (
                json!({"controller": "socialnamnden", "outcome": "refused", "reasons": "r",
                    "legal_grounds": ["dsl_5_1"], "fee_sek": 100}),
                field("fee_sek", "not_allowed"),
            ),
            (
                json!({"controller": "socialnamnden", "outcome": "manifestly_unfounded", "reasons": "r",
                    "fee_sek": 0}),
                field("fee_sek", "invalid"),
            ),
        ] {
            let response = work(&app, &hl, &id, "decisions", &body).await;
            let refusal = problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
            assert_eq!(field_errors(&refusal), vec![expected], "{body}");
        }
    }
);

journey!(
    a_request_for_another_authority_is_forwarded_and_the_person_told,
    |app: TestApp| async move {
        add_namnder(&app).await;
        let hl = Caller::handlaggare(&["socialnamnden"]);
        let id = new_case(&app, "rectification").await;
        let response = work(
            &app,
            &hl,
            &id,
            "decisions",
            &json!({"controller": "socialnamnden", "outcome": "forwarded"}),
        )
        .await;
        let refusal = problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(
            field_errors(&refusal),
            vec![field("forwarded_to", "required")]
        );

        at(&app, "2026-03-12T10:00:00Z");
        let decided = decide(
            &app,
            &hl,
            &id,
            &json!({"controller": "socialnamnden",
            "outcome": "forwarded", "forwarded_to": "Region Stockholm"}),
        )
        .await;
        let decision = decision_of(&decided);
        assert_eq!(decision["forwarded_to"], "Region Stockholm");
        assert_eq!(decision["forwarded_on"], "2026-03-12", "today unless said");
        assert_eq!(decision["legal_grounds"][0]["code"], "fl_4");
        let text = decision["text_sv"].as_str().unwrap();
        assert!(text.contains("vidare till Region Stockholm den 12 mars 2026, eftersom det är Region Stockholm som behandlar uppgifterna"), "{text}");
        assert!(!text.contains("överklaga"), "{text}");

        // The person is told: the notice is queued to Tolvan's address.
        let outbox: Vec<Value> = get_json(&app, &Caller::admin(), "/api/v1/outbox").await["items"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        assert!(
            outbox.iter().any(|m| m["template"] == "decision_notice"),
            "{outbox:?}"
        );
    }
);

journey!(
    a_request_about_a_deceased_person_is_not_tried_under_the_gdpr,
    |app: TestApp| async move {
        add_namnder(&app).await;
        let hl = Caller::handlaggare(&["socialnamnden"]);
        let id = new_case(&app, "access").await;
        let response = work(
            &app,
            &hl,
            &id,
            "decisions",
            &json!({"controller": "socialnamnden", "outcome": "not_applicable"}),
        )
        .await;
        let refusal = problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(
            field_errors(&refusal),
            vec![field("not_applicable_because", "required")]
        );

        let decided = decide(
            &app,
            &hl,
            &id,
            &json!({"controller": "socialnamnden",
            "outcome": "not_applicable", "not_applicable_because": "deceased"}),
        )
        .await;
        let decision = decision_of(&decided);
        assert_eq!(decision["not_applicable_because"], "deceased");
        assert_eq!(decision["legal_grounds"][0]["code"], "gdpr_recital_27");
        let text = decision["text_sv"].as_str().unwrap();
        assert!(
            text.contains("bara gäller personuppgifter om levande personer"),
            "{text}"
        );
        assert!(text.contains("2 kap. tryckfrihetsförordningen"), "{text}");
    }
);

journey!(
    an_objection_to_direct_marketing_is_granted_without_assessment,
    |app: TestApp| async move {
        add_namnder(&app).await;
        let hl = Caller::handlaggare(&["socialnamnden"]);
        let mut request =
            tolvans_signed_letter("objection", "2026-03-09T09:00:00Z", &["socialnamnden"]);
        request["direct_marketing"] = json!(true);
        let case = app.create_case(&Caller::kontaktcenter(), &request).await;
        assert_eq!(case["direct_marketing"], true);
        let id = id_of(&case);
        let response = work(
            &app,
            &hl,
            &id,
            "decisions",
            &json!({"controller": "socialnamnden",
            "outcome": "refused", "reasons": "Vi har ett berättigat intresse.",
            "legal_grounds": ["gdpr_21_1"]}),
        )
        .await;
        let refusal = problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(
            field_errors(&refusal),
            vec![field("outcome", "direct_marketing_absolute")]
        );
        decide(
            &app,
            &hl,
            &id,
            &json!({"controller": "socialnamnden", "outcome": "granted"}),
        )
        .await;

        // Only an objection concerns direct marketing.
        let mut access =
            tolvans_signed_letter("access", "2026-03-09T09:00:00Z", &["socialnamnden"]);
        access["direct_marketing"] = json!(true);
        let response = app
            .post(&Caller::kontaktcenter(), "/api/v1/cases", &access)
            .await;
        let refusal = problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(
            field_errors(&refusal),
            vec![field("direct_marketing", "objection_only")]
        );
    }
);
