//! Extending the deadline by two further months (Art. 12(3), domain.md §4): once, with a reason,
//! decided and told to the person within the first month.

use reqwest::StatusCode;
use serde_json::{json, Value};

use super::*;
use crate::helpers::*;
use crate::journey;

const REASON: &str =
    "Begäran omfattar många handlingar hos flera förvaltningar och kräver sekretessprövning.";

journey!(
    a_deadline_is_extended_in_time_once_with_a_reason,
    |app: TestApp| async move {
        add_namnder(&app).await;
        let hl = Caller::handlaggare(&["socialnamnden"]);
        // Received Tuesday 2026-03-03: due 2026-04-07.
        let case = app
            .create_case(
                &Caller::kontaktcenter(),
                &tolvans_letter("access", "2026-03-03T09:00:00Z", &["socialnamnden"]),
            )
            .await;
        let id = id_of(&case);
        assert_eq!(case["deadline"], "2026-04-07");
        assert_eq!(case["extended_deadline"], Value::Null);
        assert_eq!(case["extension"], Value::Null);

        // Without a reason the person cannot be told why: no extension.
        for body in [json!({}), json!({"reason": ""}), json!({"reason": "   "})] {
            let response = work(&app, &hl, &id, "extension", &body).await;
            let problem = problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
            assert_eq!(
                field_errors(&problem),
                vec![field("reason", "required")],
                "{body}"
            );
        }
        assert_eq!(
            read_case(&app, &hl, &id).await["extended_deadline"],
            Value::Null
        );

        // Today, Tuesday 2026-03-10, is well within the first month.
        let extended = work_ok(
            &app,
            &hl,
            &id,
            "extension",
            &json!({"reason": REASON}),
            StatusCode::OK,
        )
        .await;
        assert_eq!(extended["status"], "in_progress");
        // The ordinary deadline stays what it was; three months from receipt is Wednesday 2026-06-03.
        assert_eq!(extended["deadline"], "2026-04-07");
        assert_eq!(extended["extended_deadline"], "2026-06-03");
        assert_eq!(extended["days_left"], 85);
        assert_eq!(
            extended["extension"],
            json!({
                "reason": REASON,
                "decided_at": "2026-03-10T09:00:00Z",
                "decided_by": "hl-bertil",
                // Queued to Tolvan's e-mail address, not sent yet.
                "notice_sent_at": null
            })
        );
        let journal = app.journal(&hl, &id).await;
        assert_eq!(event_names(&journal), vec!["received", "deadline_extended"]);
        assert_eq!(journal[1]["actor"], "hl-bertil");
        assert_eq!(journal[1]["roles"], "handlaggare");
        assert_eq!(journal[1]["at"], "2026-03-10T09:00:00Z");
        assert_eq!(
            journal[1]["data"],
            json!({
                "deadline": "2026-04-07",
                "extended_deadline": "2026-06-03",
                "reason": REASON,
                "notice": "email"
            })
        );

        // The explanation shows the extension and its own steps.
        let explained = get_json(&app, &hl, &format!("/api/v1/cases/{id}/deadline")).await;
        assert_eq!(explained["deadline_in_force"], "2026-06-03");
        assert_eq!(explained["governing_deadline"], "2026-06-03");
        assert_eq!(explained["extension"]["reason"], REASON);
        assert_eq!(explained["extension"]["decided_at"], "2026-03-10T09:00:00Z");
        assert_eq!(explained["extension"]["extended_deadline"], "2026-06-03");
        assert!(
            explained["text_sv"].as_array().unwrap().contains(&json!(format!(
                "Fristen förlängdes 2026-03-10 med ytterligare två månader (artikel 12.3 i dataskyddsförordningen). Skäl: {REASON}"
            ))),
            "{explained}"
        );

        // Only once.
        at(&app, "2026-03-20T09:00:00Z");
        let response = work(
            &app,
            &hl,
            &id,
            "extension",
            &json!({"reason": "Ännu fler handlingar har hittats."}),
        )
        .await;
        let body = problem(response, StatusCode::CONFLICT).await;
        assert_eq!(body["code"], "already_extended");
        let after = read_case(&app, &hl, &id).await;
        assert_eq!(after["extended_deadline"], "2026-06-03");
        assert_eq!(after["extension"]["reason"], REASON);
        assert_eq!(
            event_names(&app.journal(&hl, &id).await),
            vec!["received", "deadline_extended"]
        );

        // Extended on the last day of the first month is still in time: received Tuesday
        // 2026-02-10, due Tuesday 2026-03-10 (today); three months end on Sunday 2026-05-10.
        at(&app, "2026-03-10T15:00:00Z");
        let last_day = app
            .create_case(
                &Caller::kontaktcenter(),
                &tolvans_letter("access", "2026-02-10T09:00:00Z", &["socialnamnden"]),
            )
            .await;
        assert_eq!(last_day["deadline"], "2026-03-10");
        let extended = work_ok(
            &app,
            &hl,
            &id_of(&last_day),
            "extension",
            &json!({"reason": REASON}),
            StatusCode::OK,
        )
        .await;
        assert_eq!(extended["extended_deadline"], "2026-05-11");
        assert_eq!(extended["overdue"], false);
    }
);

journey!(
    an_extension_after_the_deadline_is_too_late,
    |app: TestApp| async move {
        add_namnder(&app).await;
        let hl = Caller::handlaggare(&["socialnamnden"]);
        // Received Tuesday 2026-03-03, due 2026-04-07; the handläggare only gets to it on 2026-04-08.
        let case = app
            .create_case(
                &Caller::kontaktcenter(),
                &tolvans_letter("access", "2026-03-03T09:00:00Z", &["socialnamnden"]),
            )
            .await;
        let id = id_of(&case);
        at(&app, "2026-04-08T07:30:00Z");
        let response = work(&app, &hl, &id, "extension", &json!({"reason": REASON})).await;
        let body = problem(response, StatusCode::CONFLICT).await;
        assert_eq!(body["code"], "extension_too_late");

        let late = read_case(&app, &hl, &id).await;
        assert_eq!(late["extended_deadline"], Value::Null);
        assert_eq!(late["extension"], Value::Null);
        assert_eq!(late["overdue"], true);
        assert_eq!(late["days_left"], -1);
        assert_eq!(event_names(&app.journal(&hl, &id).await), vec!["received"]);
    }
);
