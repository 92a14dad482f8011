//! The person's receipt and extension notice arrive over SMTP: the reference, the dates and
//! correct Swedish characters in an encoded subject and in both parts, and never the
//! personnummer. The day an e-mail carried a decision is the day of notification.

use reqwest::StatusCode;
use serde_json::{json, Value};

use super::*;
use crate::helpers::*;
use crate::mail_journey;

const PERSON_EMAIL: &str = "asa.oberg@example.se";

fn asas_request() -> Value {
    json!({
        "kind": "access",
        "subject": {
            "personnummer": "19121212-1212",
            "name": "Åsa Öberg-Ärlig",
            "address": {"street": "Storgatan 1", "postal_code": "15189", "city": "Södertälje"},
            "email": PERSON_EMAIL
        },
        "identity": {"method": "e_legitimation", "assurance": "loa3", "personnummer": "19121212-1212",
                     "provider": "bankid", "transaction_reference": "bankid-order-0004"},
        "controllers": ["kommunstyrelsen"]
    })
}

mail_journey!(
    the_receipt_arrives_in_swedish_without_the_personnummer,
    |app: TestApp, smtp: SmtpServer| async move {
        app.add_controller("kommunstyrelsen", "Kommunstyrelsen")
            .await;
        let case = app.create_case(&Caller::etjanst(), &asas_request()).await;
        let reference = case["reference"].as_str().unwrap().to_owned();
        assert_eq!(case["deadline"], "2026-04-10");

        let messages = wait_for_count(&smtp, 1).await;
        assert_eq!(messages.len(), 1);
        let receipt = parse(&messages[0]);
        assert_eq!(receipt.rcpt_to, vec![PERSON_EMAIL.to_string()]);
        assert_eq!(messages[0].mail_from, "dataskydd@exempel.kommun.se");
        assert_eq!(receipt.to, PERSON_EMAIL);

        // The subject: decoded, with the reference and the å/ä/ö intact; encoded on the wire.
        assert_eq!(
            receipt.subject,
            format!("Vi har tagit emot din begäran om registerutdrag ({reference})")
        );
        assert!(
            receipt
                .raw_subject
                .to_ascii_lowercase()
                .contains("=?utf-8?"),
            "the Subject header is an encoded word: {:?}",
            receipt.raw_subject
        );
        assert!(
            !receipt.raw_subject.contains('ä'),
            "no raw 8-bit characters in the Subject header: {:?}",
            receipt.raw_subject
        );

        // Both parts: the reference, the date of receipt, the due date and Swedish text.
        for (part, body) in [("text", &receipt.text), ("html", &receipt.html)] {
            for expected in [
                reference.as_str(),
                // Dates as in running text (domain.md §9).
                "10 mars 2026",
                "10 april 2026",
                "Hej Åsa Öberg-Ärlig",
                "Vi har tagit emot din begäran om registerutdrag enligt dataskyddsförordningen.",
                "Du får svar senast",
                "Exempelkommunen",
                "dataskyddsombud@exempel.kommun.se",
            ] {
                assert!(
                    body.contains(expected),
                    "the {part} part lacks {expected:?}:\n{body}"
                );
            }
        }
        assert!(receipt.text.contains("Du får svar senast: 10 april 2026"));
        assert!(receipt
            .html
            .contains("<tr><th align=\"left\">Du får svar senast</th><td>10 april 2026</td></tr>"));
        assert!(!receipt.text.contains('\u{FFFD}') && !receipt.html.contains('\u{FFFD}'));

        // No personnummer, in any form, anywhere in the message.
        assert_free_of(&receipt, &personnummer_forms("19121212-1212"));

        // The outbox row: sent once, with the Message-ID made from its id.
        let items = wait_for_outbox(&app, "the receipt marked sent", |items| {
            items.iter().all(|m| m["status"] == "sent")
        })
        .await;
        assert_eq!(items.len(), 1, "{items:#?}");
        let row = &items[0];
        assert_eq!(row["template"], "receipt");
        assert_eq!(row["audience"], "person");
        assert_eq!(row["recipient"], PERSON_EMAIL);
        assert_eq!(row["case_id"], case["id"]);
        assert_eq!(row["attempts"], 1);
        assert_eq!(row["last_error"], Value::Null);
        let id = row["id"].as_str().unwrap();
        assert_eq!(receipt.message_id, format!("{id}@exempel.kommun.se"));
    }
);

mail_journey!(
    the_extension_notice_arrives_with_the_new_date_and_the_reasons,
    |app: TestApp, smtp: SmtpServer| async move {
        app.add_controller("kommunstyrelsen", "Kommunstyrelsen")
            .await;
        let case = app.create_case(&Caller::etjanst(), &asas_request()).await;
        let reference = case["reference"].as_str().unwrap().to_owned();
        let id = id_of(&case);
        wait_for_count(&smtp, 1).await;

        let reason = "Begäran omfattar många nämnder & stora mängder handlingar <se bilaga>.";
        let response = app
            .post(
                &Caller::handlaggare(&["kommunstyrelsen"]),
                &format!("/api/v1/cases/{id}/extension"),
                &json!({ "reason": reason }),
            )
            .await;
        assert_eq!(response.status(), StatusCode::OK);

        let messages = wait_for_count(&smtp, 2).await;
        assert_eq!(messages.len(), 2);
        let notice = parse(&messages[1]);
        assert_eq!(notice.to, PERSON_EMAIL);
        // å, ä and ö (and the dash) in the decoded subject.
        assert_eq!(
            notice.subject,
            format!("Svaret på din begäran dröjer – ny sista dag 10 juni 2026 ({reference})")
        );
        assert!(notice.raw_subject.to_ascii_lowercase().contains("=?utf-8?"));
        assert!(notice.text.contains(&format!("Skäl: {reason}")));
        assert!(notice.text.contains("Tidigare sista dag: 10 april 2026"));
        assert!(notice.text.contains("Ny sista dag för svar: 10 juni 2026"));
        // The HTML part escapes what the handläggare wrote.
        assert!(notice.html.contains(
            "Begäran omfattar många nämnder &amp; stora mängder handlingar &lt;se bilaga&gt;."
        ));
        assert!(notice.html.contains("<td>10 juni 2026</td>"));
        assert!(notice.html.contains("Hej Åsa Öberg-Ärlig"));
        assert_ne!(notice.message_id, parse(&messages[0]).message_id);
        assert_free_of(&notice, &personnummer_forms("19121212-1212"));
    }
);

mail_journey!(
    the_identity_request_and_the_decision_notice_reach_the_person,
    |app: TestApp, smtp: SmtpServer| async move {
        app.add_controller("socialnamnden", "Socialnämnden").await;
        let kc = Caller::kontaktcenter();
        let case = app
            .create_case(
                &kc,
                &json!({
                    "kind": "erasure",
                    "channel": "letter",
                    "received_at": "2026-03-09T09:00:00Z",
                    "subject": {"personnummer": "19121212-1212", "name": "Åsa Öberg-Ärlig",
                                "email": PERSON_EMAIL},
                    "controllers": ["socialnamnden"],
                    "description": "Radera mina uppgifter i hemtjänsten."
                }),
            )
            .await;
        let id = id_of(&case);
        let reference = case["reference"].as_str().unwrap().to_owned();
        wait_for_count(&smtp, 1).await;

        let note = "Skicka en kopia av din legitimation, eller besök Kontaktcenter.";
        let response = app
            .post(
                &kc,
                &format!("/api/v1/cases/{id}/identity"),
                &json!({"action": "request_information", "note": note}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::OK);
        let messages = wait_for_count(&smtp, 2).await;
        let request = parse(&messages[1]);
        assert_eq!(request.to, PERSON_EMAIL);
        assert_eq!(
            request.subject,
            format!("Vi behöver fastställa din identitet ({reference})")
        );
        assert!(request
            .text
            .contains(&format!("Det här behöver vi från dig: {note}")));
        assert!(request
            .html
            .contains(&format!("Det här behöver vi från dig: {note}")));
        assert!(request
            .text
            .contains("din begäran om att få dina uppgifter raderade"));

        // She shows her ID at the desk: only now may the decision be made and told in full.
        let response = app
            .post(
                &kc,
                &format!("/api/v1/cases/{id}/identity"),
                &json!({"action": "verify", "method": "id_document", "document_type": "pass"}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::OK);

        let reasons =
            "Uppgifterna behövs för att fullgöra en rättslig förpliktelse (artikel 17.3 b).";
        let response = app
            .post(
                &Caller::handlaggare(&["socialnamnden"]),
                &format!("/api/v1/cases/{id}/decisions"),
                &json!({"controller": "socialnamnden", "outcome": "refused", "legal_grounds": ["gdpr_17_3_b"], "reasons": reasons}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED);
        let messages = wait_for_count(&smtp, 3).await;
        let notice = parse(&messages[2]);
        assert_eq!(notice.to, PERSON_EMAIL);
        assert_eq!(
            notice.subject,
            format!("Beslut om din begäran om att få dina uppgifter raderade ({reference})")
        );
        for body in [&notice.text, &notice.html] {
            for expected in [
                "Hej Åsa Öberg-Ärlig",
                "Socialnämnden avslår din begäran om att få dina uppgifter raderade",
                reasons,
                "Förvaltningsrätten i Stockholm",
            ] {
                assert!(
                    body.contains(expected),
                    "the decision notice lacks {expected:?}:\n{body}"
                );
            }
        }
        for mail in [&request, &notice] {
            assert_free_of(mail, &personnummer_forms("19121212-1212"));
        }
        // Each arrived once.
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        assert_eq!(smtp.messages().len(), 3);

        // She appeals; the e-mail that carried the decision went on 10 March, and that is the
        // day she was notified: the three weeks run to Tuesday 31 March.
        wait_for_outbox(&app, "the decision notice sent", |items| {
            items
                .iter()
                .any(|i| i["template"] == "decision_notice" && i["status"] == "sent")
        })
        .await;
        let response = app
            .post(
                &Caller::handlaggare(&["socialnamnden"]),
                &format!("/api/v1/cases/{id}/appeals"),
                &json!({"controller": "socialnamnden", "received_on": "2026-03-10"}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED);
        let appeal: Value = response.json().await.unwrap();
        assert_eq!(appeal["notified_from"], "email");
        assert_eq!(appeal["notified_on"], "2026-03-10");
        assert_eq!(appeal["last_day"], "2026-03-31");
        assert_eq!(appeal["in_time"], true);
    }
);
