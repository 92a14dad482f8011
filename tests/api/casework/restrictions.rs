//! Restriction of processing per activity (Art. 18): in force from the day it starts; interim
//! while an objection is assessed; lifted only after the person was told, and not before the
//! day they were told (Art. 18(3)).

use reqwest::StatusCode;
use serde_json::{json, Value};

use super::*;
use crate::helpers::*;
use crate::journey;

const FARDTJANST: &str = "Hantering av färdtjänst";

async fn case_of(app: &TestApp, kind: &str) -> String {
    let case = app
        .create_case(
            &Caller::kontaktcenter(),
            &tolvans_signed_letter(kind, "2026-03-09T09:00:00Z", &["socialnamnden"]),
        )
        .await;
    id_of(&case)
}

journey!(
    a_restriction_is_lifted_only_after_the_person_is_told,
    |app: TestApp| async move {
        add_namnder(&app).await;
        app.import_seed_register("socialnamnden").await;
        let activity = app.activity_named("socialnamnden", FARDTJANST).await;
        let sn = Caller::handlaggare(&["socialnamnden"]);
        let id = case_of(&app, "restriction").await;
        let path = format!("/api/v1/cases/{id}/restrictions");

        let response = app
            .post(&sn, &path, &json!({"activity_id": id_of(&activity),
                                      "reason": "Uppgifternas riktighet bestrids (artikel 18.1 a)."}))
            .await;
        assert_eq!(response.status(), StatusCode::CREATED);
        let restriction: Value = response.json().await.unwrap();
        assert_eq!(restriction["in_force"], true);
        assert_eq!(restriction["interim"], false);
        assert_eq!(restriction["activity"], FARDTJANST);
        let base = format!("{path}/{}", restriction["id"].as_str().unwrap());

        // Not lifted without telling the person first, nor told on the day itself.
        let response = app.post(&sn, &format!("{base}/lift"), &json!({})).await;
        assert_eq!(
            problem(response, StatusCode::CONFLICT).await["code"],
            "lift_not_notified"
        );
        let response = app
            .post(
                &sn,
                &format!("{base}/lift-notice"),
                &json!({"lift_on": "2026-03-10"}),
            )
            .await;
        let refusal = problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(
            field_errors(&refusal),
            vec![field("lift_on", "not_after_notice")]
        );

        // Told a week ahead: the notice goes to Tolvan, the restriction stays until the day.
        let told: Value = app
            .post(
                &sn,
                &format!("{base}/lift-notice"),
                &json!({"lift_on": "2026-03-17"}),
            )
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(told["lift_notified_on"], "2026-03-10");
        assert_eq!(told["in_force"], true);
        let page: Value = app
            .get(&sn, "/api/v1/letters?status=emailed")
            .await
            .json()
            .await
            .unwrap();
        let letters = page["items"].as_array().unwrap();
        assert!(
            letters
                .iter()
                .any(|l| l["template"] == "restriction_lifting"),
            "{letters:?}"
        );
        let response = app.post(&sn, &format!("{base}/lift"), &json!({})).await;
        assert_eq!(
            problem(response, StatusCode::CONFLICT).await["code"],
            "lift_not_notified"
        );
        at(&app, "2026-03-17T09:00:00Z");
        let lifted: Value = app
            .post(&sn, &format!("{base}/lift"), &json!({}))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(lifted["lifted_on"], "2026-03-17");
        assert_eq!(lifted["in_force"], false);

        let listed = get_json(&app, &sn, &path).await;
        assert_eq!(listed.as_array().unwrap().len(), 1);
        let events: Vec<String> = event_names(&app.journal(&sn, &id).await)
            .into_iter()
            .filter(|e| e.starts_with("restriction_"))
            .collect();
        assert_eq!(
            events,
            [
                "restriction_started",
                "restriction_lift_notified",
                "restriction_lifted"
            ]
        );
    }
);

journey!(
    an_objection_restricts_processing_while_it_is_assessed,
    |app: TestApp| async move {
        add_namnder(&app).await;
        app.import_seed_register("socialnamnden").await;
        let activity = app.activity_named("socialnamnden", FARDTJANST).await;
        let sn = Caller::handlaggare(&["socialnamnden"]);
        let id = case_of(&app, "objection").await;
        let restriction: Value = app
            .post(&sn, &format!("/api/v1/cases/{id}/restrictions"),
                  &json!({"activity_id": id_of(&activity), "reason": "Invändningen prövas (artikel 18.1 d)."}))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(restriction["interim"], true);

        // An access request restricts nothing.
        let access = case_of(&app, "access").await;
        let response = app
            .post(
                &sn,
                &format!("/api/v1/cases/{access}/restrictions"),
                &json!({"activity_id": id_of(&activity), "reason": "?"}),
            )
            .await;
        assert_eq!(
            problem(response, StatusCode::CONFLICT).await["code"],
            "restriction_not_in_force"
        );
        // Another nämnd may not restrict socialnämnden's processing.
        let ks = Caller::handlaggare(&["kommunstyrelsen"]);
        let response = app
            .post(
                &ks,
                &format!("/api/v1/cases/{id}/restrictions"),
                &json!({"activity_id": id_of(&activity), "reason": "?"}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
    }
);
