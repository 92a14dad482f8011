//! The journal of a case after its whole life: every event in order, with who did it, in which
//! role, and when.

use reqwest::StatusCode;
use serde_json::{json, Value};

use super::*;
use crate::helpers::*;
use crate::journey;

journey!(
    the_journal_tells_a_whole_case_from_receipt_to_closure,
    |app: TestApp| async move {
        add_namnder(&app).await;
        let kc = Caller::kontaktcenter();
        let hl = Caller::handlaggare(&["socialnamnden"]);
        let reason = "Begäran omfattar handlingar från flera år som måste sekretessprövas.";
        let reasons =
            "Anteckningar i ett pågående utredningsärende omfattas av sekretess (26 kap. 1 § OSL).";

        // Tuesday 2026-03-03: Kontaktcenter logs Tolvan's letter.
        at(&app, "2026-03-03T09:00:00Z");
        let mut letter = NewCase::logged("access", "letter", "2026-03-03T09:00:00Z")
            .subject(TOLVAN)
            .controllers(&["socialnamnden"])
            .json();
        letter["subject"]["address"] =
            json!({"street": "Storgatan 1", "postal_code": "151 89", "city": "Södertälje"});
        let case = app.create_case(&kc, &letter).await;
        let id = id_of(&case);

        at(&app, "2026-03-04T10:00:00Z");
        work_ok(
            &app,
            &kc,
            &id,
            "identity",
            &json!({"action": "verify", "method": "id_document", "document_type": "körkort", "note": "Körkort visat i receptionen."}),
            StatusCode::OK,
        )
        .await;
        at(&app, "2026-03-05T08:00:00Z");
        work_ok(
            &app,
            &hl,
            &id,
            "parts/socialnamnden/assign",
            &json!({}),
            StatusCode::OK,
        )
        .await;
        at(&app, "2026-03-20T12:00:00Z");
        work_ok(
            &app,
            &hl,
            &id,
            "extension",
            &json!({"reason": reason}),
            StatusCode::OK,
        )
        .await;
        at(&app, "2026-04-20T09:00:00Z");
        decide(
            &app,
            &hl,
            &id,
            &json!({"controller": "socialnamnden", "outcome": "partially_granted", "legal_grounds": ["osl_26_1"], "reasons": reasons}),
        )
        .await;
        // The extract is the answer to an access request.
        at(&app, "2026-04-21T09:00:00Z");
        work_ok(&app, &hl, &id, "extract", &json!({}), StatusCode::CREATED).await;
        at(&app, "2026-04-22T09:00:00Z");
        work_ok(
            &app,
            &hl,
            &id,
            "delivery",
            &json!({"method": "registered_letter"}),
            StatusCode::OK,
        )
        .await;
        at(&app, "2026-04-23T09:00:00Z");
        let closed = work_ok(&app, &hl, &id, "close", &json!({}), StatusCode::OK).await;
        assert_eq!(closed["status"], "closed");

        let journal = app.journal(&Caller::dpo(), &id).await;
        let entry = |at: &str, actor: &str, roles: &str, event: &str, data: Value| json!({"at": at, "actor": actor, "roles": roles, "event": event, "data": data});
        let expected = vec![
            entry(
                "2026-03-03T09:00:00Z",
                "kc-anna",
                "kontaktcenter",
                "received",
                json!({
                    "reference": "DSAR-2026-00001",
                    "kind": "access",
                    "channel": "letter",
                    "received_date": "2026-03-03",
                    "deadline": "2026-04-07",
                    "controllers": ["socialnamnden"],
                    "identity_verified": false,
                    "protected_identity": false,
                    "subject_identified_by": "personnummer",
                    // No e-mail address: the receipt goes by post.
                    "receipt": "letter"
                }),
            ),
            entry(
                "2026-03-04T10:00:00Z",
                "kc-anna",
                "kontaktcenter",
                "identity_verified",
                json!({
                    "party": "subject",
                    "method": "id_document",
                    "status": "verified",
                    "note": "Körkort visat i receptionen.",
                    "notice": null
                }),
            ),
            entry(
                "2026-03-05T08:00:00Z",
                "hl-bertil",
                "handlaggare",
                "handler_assigned",
                json!({"controller": "socialnamnden", "handler": "hl-bertil", "previous": null}),
            ),
            entry(
                "2026-03-20T12:00:00Z",
                "hl-bertil",
                "handlaggare",
                "deadline_extended",
                json!({
                    "deadline": "2026-04-07",
                    "extended_deadline": "2026-06-03",
                    "reason": reason,
                    "notice": "letter"
                }),
            ),
            entry(
                "2026-04-20T09:00:00Z",
                "hl-bertil",
                "handlaggare",
                "decided",
                json!({
                    "controller": "socialnamnden",
                    "outcome": "partially_granted",
                    "legal_grounds": ["osl_26_1"],
                    "recipients_notified": [],
                    "recipients_not_notified_reason": null,
                    "case_decided": true,
                    "notice": "letter"
                }),
            ),
            entry(
                "2026-04-21T09:00:00Z",
                "hl-bertil",
                "handlaggare",
                "extract_compiled",
                json!({"released": 0, "withheld": 0}),
            ),
            entry(
                "2026-04-22T09:00:00Z",
                "hl-bertil",
                "handlaggare",
                "delivered",
                json!({"method": "registered_letter", "delivered_at": "2026-04-22T09:00:00Z"}),
            ),
            entry(
                "2026-04-23T09:00:00Z",
                "hl-bertil",
                "handlaggare",
                "closed",
                json!({}),
            ),
        ];
        assert_eq!(
            event_names(&journal),
            vec![
                "received",
                "identity_verified",
                "handler_assigned",
                "deadline_extended",
                "decided",
                "extract_compiled",
                "delivered",
                "closed"
            ]
        );
        assert_eq!(journal, expected);

        // The case agrees with its journal.
        assert_eq!(closed["decided_at"], "2026-04-20T09:00:00Z");
        assert_eq!(closed["closed_at"], "2026-04-23T09:00:00Z");
        assert_eq!(closed["extended_deadline"], "2026-06-03");
        assert_eq!(
            closed["delivery"],
            json!({"method": "registered_letter", "delivered_at": "2026-04-22T09:00:00Z"})
        );
    }
);
