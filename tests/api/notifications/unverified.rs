//! A request in someone else's name with one's own e-mail address learns nothing: a notice to an
//! address no verified party gave says only that there is news on the reference (domain.md §3,
//! docs/security.md), read here as it arrives over SMTP.

use reqwest::StatusCode;
use serde_json::json;

use super::*;
use crate::helpers::*;
use crate::mail_journey;

/// The address of whoever wrote the letter in Tolvan's name.
const IMPOSTOR: &str = "nagon.annan@example.se";
const REASONS: &str = "Socialnämnden har uppgifter om hemtjänst och försörjningsstöd";
const EXTENSION_REASON: &str =
    "Begäran gäller handlingar i tre verksamhetssystem hos socialtjänsten";

mail_journey!(
    notices_to_an_unverified_address_carry_only_the_reference,
    |app: TestApp, smtp: SmtpServer| async move {
        app.add_controller("socialnamnden", "Socialnämnden").await;
        let kc = Caller::kontaktcenter();
        let sn = Caller::handlaggare(&["socialnamnden"]);
        let case = app
            .create_case(
                &kc,
                &json!({
                    "kind": "access", "channel": "letter", "received_at": "2026-03-09T09:00:00Z",
                    "subject": {"personnummer": "19121212-1212", "name": "Tolvan Tolvansson",
                                "email": IMPOSTOR},
                    "controllers": ["socialnamnden"]
                }),
            )
            .await;
        let id = id_of(&case);
        let reference = case["reference"].as_str().unwrap().to_owned();
        wait_for_count(&smtp, 1).await;

        // The deadline is extended with a reason: the address gets news, not the reason.
        let response = app
            .post(
                &sn,
                &format!("/api/v1/cases/{id}/extension"),
                &json!({"reason": EXTENSION_REASON}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::OK);
        // Nobody can establish who wrote: the refusal on that ground goes out the same way.
        let response = app
            .post(
                &kc,
                &format!("/api/v1/cases/{id}/identity"),
                &json!({"action": "fail"}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::OK);
        let response = app
            .post(
                &sn,
                &format!("/api/v1/cases/{id}/decisions"),
                &json!({"controller": "socialnamnden", "outcome": "refused",
                        "ground": "identity_not_established",
                        "reasons": format!("{REASONS}, men vi har inte kunnat fastställa vem som frågar.")}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED);

        let messages = wait_for_count(&smtp, 3).await;
        for received in &messages[1..] {
            let mail = parse(received);
            assert_eq!(mail.to, IMPOSTOR);
            assert_eq!(mail.subject, format!("Nytt i ditt ärende {reference}"));
            for body in [&mail.text, &mail.html] {
                assert!(
                    body.contains(&format!(
                        "Det finns nytt i ärende {reference} hos Exempelkommunen."
                    )),
                    "{body}"
                );
                assert!(body.contains("Kontakta oss"), "{body}");
            }
            let mut secrets = personnummer_forms("19121212-1212");
            secrets.extend(
                [
                    REASONS,
                    EXTENSION_REASON,
                    "Tolvan",
                    "Socialnämnden",
                    "registerutdrag",
                    "Avslag",
                ]
                .map(String::from),
            );
            assert_free_of(&mail, &secrets);
        }
        // The outbox says which notice went out in place of which.
        let outbox = outbox(&app, None).await;
        let templates: Vec<&str> = outbox
            .iter()
            .filter(|m| m["audience"] == "person")
            .map(|m| m["template"].as_str().unwrap())
            .collect();
        assert_eq!(templates, vec!["case_news", "case_news", "receipt"]);
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        assert_eq!(smtp.messages().len(), 3);
    }
);

mail_journey!(
    a_person_with_protected_identity_gets_nothing_but_the_reference_by_e_mail,
    |app: TestApp, smtp: SmtpServer| async move {
        app.add_controller("socialnamnden", "Socialnämnden").await;
        let kc = Caller::kontaktcenter();
        let sn = Caller::handlaggare(&["socialnamnden"]);
        // Verified at the desk with a signed form: the address is the person's own, yet the
        // protection keeps every content out of e-mail.
        let case = app
            .create_case(
                &kc,
                &json!({
                    "kind": "access", "channel": "letter", "received_at": "2026-03-09T09:00:00Z",
                    "subject": {"personnummer": "19121212-1212", "name": "Tolvan Tolvansson",
                                "address": {"street": "Hemliga vägen 7", "postal_code": "151 89",
                                            "city": "Södertälje"},
                                "email": "tolvan@example.se"},
                    "identity": {"method": "signed_form"},
                    "protected_identity": true,
                    "controllers": ["socialnamnden"]
                }),
            )
            .await;
        let id = id_of(&case);
        let reference = case["reference"].as_str().unwrap().to_owned();
        let response = app
            .post(
                &sn,
                &format!("/api/v1/cases/{id}/extension"),
                &json!({"reason": EXTENSION_REASON}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::OK);
        let response = app
            .post(
                &sn,
                &format!("/api/v1/cases/{id}/decisions"),
                &json!({"controller": "socialnamnden", "outcome": "partially_granted", "legal_grounds": ["osl_26_1"],
                        "reasons": REASONS}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED);

        // Receipt, extension notice and decision notice: each only says there is news.
        let messages = wait_for_count(&smtp, 3).await;
        let mut secrets = personnummer_forms("19121212-1212");
        secrets.extend(
            [
                REASONS,
                EXTENSION_REASON,
                "Tolvan",
                "Hemliga vägen",
                "Socialnämnden",
                "registerutdrag",
                "Delvis bifall",
            ]
            .map(String::from),
        );
        for received in &messages {
            let mail = parse(received);
            assert_eq!(mail.to, "tolvan@example.se");
            assert_eq!(mail.subject, format!("Nytt i ditt ärende {reference}"));
            assert_free_of(&mail, &secrets);
        }
        let templates: Vec<String> = outbox(&app, None)
            .await
            .iter()
            .filter(|m| m["audience"] == "person")
            .map(|m| m["template"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(templates, vec!["case_news"; 3]);
    }
);
