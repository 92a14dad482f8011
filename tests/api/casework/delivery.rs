//! Delivering the answer (domain.md §3, §5): only a decided case, only to a verified identity; a
//! registered letter goes to the folkbokföringsadress; Kontaktcenter hands out pickups only.

use reqwest::StatusCode;
use serde_json::{json, Value};

use super::*;
use crate::helpers::*;
use crate::journey;

journey!(
    the_answer_is_picked_up_at_the_desk_once_decided_and_the_identity_checked,
    |app: TestApp| async move {
        add_namnder(&app).await;
        let kc = Caller::kontaktcenter();
        let hl = Caller::handlaggare(&["socialnamnden"]);
        // A letter with no address on it: the folkbokföringsadress is not known to the case.
        let case = app
            .create_case(
                &kc,
                &NewCase::logged("access", "letter", "2026-03-03T09:00:00Z")
                    .subject(TOLVAN)
                    .controllers(&["socialnamnden"]),
            )
            .await;
        let id = id_of(&case);
        let pickup = json!({"method": "pickup"});

        // Nothing to hand out before the decision.
        let response = work(&app, &kc, &id, "delivery", &pickup).await;
        assert_eq!(
            problem(response, StatusCode::CONFLICT).await["code"],
            "case_not_decided"
        );

        // Nobody has established who Tolvan is: nothing can be decided on the merits yet.
        at(&app, "2026-03-16T10:00:00Z");
        let response = work(
            &app,
            &hl,
            &id,
            "decisions",
            &json!({"controller": "socialnamnden", "outcome": "granted"}),
        )
        .await;
        assert_eq!(
            problem(response, StatusCode::CONFLICT).await["code"],
            "identity_unverified"
        );
        // Kontaktcenter does not send registered letters, whatever the state of the case.
        let registered = json!({"method": "registered_letter"});
        let response = work(&app, &kc, &id, "delivery", &registered).await;
        assert_eq!(
            problem(response, StatusCode::FORBIDDEN).await["code"],
            "forbidden"
        );

        // Tolvan shows his passport at the desk, and the handläggare decides.
        at(&app, "2026-03-18T12:00:00Z");
        let checked = work_ok(
            &app,
            &kc,
            &id,
            "identity",
            &json!({"action": "verify", "method": "id_document", "document_type": "pass"}),
            StatusCode::OK,
        )
        .await;
        assert_eq!(checked["status"], "in_progress");
        assert_eq!(checked["identity"]["status"], "verified");
        assert_eq!(checked["identity"]["method"], "id_document");
        assert_eq!(checked["identity"]["assurance"], "pass");
        assert_eq!(checked["identity"]["verified_by"], "kc-anna");
        let decided = decide(
            &app,
            &hl,
            &id,
            &json!({"controller": "socialnamnden", "outcome": "granted"}),
        )
        .await;
        assert_eq!(decided["status"], "decided");
        // The answer to an access request is the extract.
        compile_extract(&app, &id).await;

        // A registered letter needs the address, which the case does not have.
        let response = work(&app, &hl, &id, "delivery", &registered).await;
        assert_eq!(
            problem(response, StatusCode::CONFLICT).await["code"],
            "address_missing"
        );
        let response = work(&app, &kc, &id, "delivery", &registered).await;
        assert_eq!(
            problem(response, StatusCode::FORBIDDEN).await["code"],
            "forbidden"
        );
        // Not picked up tomorrow: picked up now.
        let response = work(
            &app,
            &kc,
            &id,
            "delivery",
            &json!({"method": "pickup", "delivered_at": "2026-03-19T12:00:00Z"}),
        )
        .await;
        let body = problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(
            field_errors(&body),
            vec![field("delivered_at", "in_the_future")]
        );
        assert_eq!(read_case(&app, &kc, &id).await["delivery"], Value::Null);

        let delivered = work_ok(&app, &kc, &id, "delivery", &pickup, StatusCode::OK).await;
        assert_eq!(delivered["status"], "decided");
        assert_eq!(
            delivered["delivery"],
            json!({"method": "pickup", "delivered_at": "2026-03-18T12:00:00Z"})
        );
        let response = work(&app, &kc, &id, "delivery", &pickup).await;
        assert_eq!(
            problem(response, StatusCode::CONFLICT).await["code"],
            "already_delivered"
        );

        let journal = app.journal(&hl, &id).await;
        assert_eq!(
            event_names(&journal),
            vec![
                "received",
                "identity_verified",
                "decided",
                "extract_compiled",
                "delivered"
            ]
        );
        assert_eq!(journal[4]["actor"], "kc-anna");
        assert_eq!(
            journal[4]["data"],
            json!({"method": "pickup", "delivered_at": "2026-03-18T12:00:00Z"})
        );
    }
);

journey!(
    the_answer_goes_by_registered_letter_to_the_folkbokforingsadress,
    |app: TestApp| async move {
        add_namnder(&app).await;
        let hl = Caller::handlaggare(&["kommunstyrelsen"]);
        // From the e-tjänst: BankID-verified, with the address.
        let case = app
            .create_case(&Caller::etjanst(), &etjanst_access_request())
            .await;
        let id = id_of(&case);
        decide(
            &app,
            &hl,
            &id,
            &json!({"controller": "kommunstyrelsen", "outcome": "granted"}),
        )
        .await;

        at(&app, "2026-03-11T09:00:00Z");
        compile_extract(&app, &id).await;
        let delivered = work_ok(
            &app,
            &hl,
            &id,
            "delivery",
            &json!({"method": "registered_letter", "delivered_at": "2026-03-11T07:45:00Z"}),
            StatusCode::OK,
        )
        .await;
        assert_eq!(delivered["status"], "decided");
        assert_eq!(
            delivered["delivery"],
            json!({"method": "registered_letter", "delivered_at": "2026-03-11T07:45:00Z"})
        );
        assert_eq!(
            delivered["subject"]["address"],
            json!({"street": "Storgatan 1", "postal_code": "151 89", "city": "Södertälje"})
        );
    }
);
