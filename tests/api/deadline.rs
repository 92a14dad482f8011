//! The deadline calculator: what a request received on a given day is due, with the reasons
//! (domain.md section 4, the worked examples).

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::*;
use crate::journey;

async fn explain(app: &TestApp, received: &str) -> Value {
    let response = app
        .get(
            &Caller::kontaktcenter(),
            &format!("/api/v1/deadline?received={received}"),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK, "received {received}");
    response.json().await.unwrap()
}

/// The steps as (kind, date, rule).
fn outline(steps: &Value) -> Vec<(String, String, String)> {
    steps
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["kind"].as_str().unwrap().to_owned(),
                s["date"].as_str().unwrap().to_owned(),
                s["rule"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn step(kind: &str, date: &str, rule: &str) -> (String, String, String) {
    (kind.to_owned(), date.to_owned(), rule.to_owned())
}

/// The Swedish texts of the skipped days.
fn skipped_texts(steps: &Value) -> Vec<String> {
    steps
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["kind"] == "skipped")
        .map(|s| s["text_sv"].as_str().unwrap().to_owned())
        .collect()
}

journey!(
    a_request_received_on_the_last_of_january_is_due_on_the_last_of_february,
    |app: TestApp| async move {
        let answer = explain(&app, "2025-01-31").await;
        assert_eq!(answer["received"], "2025-01-31");
        // 31 February does not exist: the month's last day, a Friday.
        assert_eq!(answer["deadline"], "2025-02-28");
        // Three months from receipt (not two months from the deadline): 30 April, a Wednesday.
        assert_eq!(answer["extended_deadline"], "2025-04-30");
        assert_eq!(answer["eves_are_holidays"], false);
        assert_eq!(
            outline(&answer["steps"]),
            vec![
                step("received", "2025-01-31", "day_of_receipt_not_counted"),
                step("raw_date", "2025-02-28", "month_end"),
                step("due", "2025-02-28", "due"),
            ]
        );
        assert_eq!(
            outline(&answer["extended_steps"]),
            vec![
                step("received", "2025-01-31", "day_of_receipt_not_counted"),
                step("raw_date", "2025-04-30", "month_end"),
                step("due", "2025-04-30", "due"),
            ]
        );
        assert_eq!(
            answer["steps"][0]["legal_source"],
            "Förordning (EEG, Euratom) nr 1182/71 art. 3.1"
        );
        assert_eq!(
            answer["steps"][2]["legal_source"],
            "Dataskyddsförordningen (EU) 2016/679 art. 12.3"
        );
        assert_eq!(
            answer["steps"][2]["text_sv"],
            "Fristen löper ut vid utgången av 2025-02-28."
        );
    }
);

journey!(
    a_deadline_on_a_saturday_moves_to_monday,
    |app: TestApp| async move {
        let answer = explain(&app, "2025-03-05").await;
        assert_eq!(answer["deadline"], "2025-04-07");
        assert_eq!(
            outline(&answer["steps"]),
            vec![
                step("received", "2025-03-05", "day_of_receipt_not_counted"),
                step("raw_date", "2025-04-05", "same_date_in_month"),
                step("skipped", "2025-04-05", "non_working_day_skipped"),
                step("skipped", "2025-04-06", "non_working_day_skipped"),
                step("due", "2025-04-07", "due"),
            ]
        );
        assert_eq!(
            skipped_texts(&answer["steps"]),
            vec![
                "2025-04-05 är lördag och räknas inte som arbetsdag.",
                "2025-04-06 är söndag och räknas inte som arbetsdag.",
            ]
        );
        assert_eq!(
            answer["steps"][4]["text_sv"],
            "Fristen löper ut vid utgången av 2025-04-07, nästa arbetsdag."
        );
    }
);

journey!(
    a_deadline_at_easter_moves_past_the_whole_weekend,
    |app: TestApp| async move {
        let answer = explain(&app, "2026-03-03").await;
        assert_eq!(answer["deadline"], "2026-04-07");
        // 2026-06-03 is a Wednesday.
        assert_eq!(answer["extended_deadline"], "2026-06-03");
        assert_eq!(
            outline(&answer["steps"]),
            vec![
                step("received", "2026-03-03", "day_of_receipt_not_counted"),
                step("raw_date", "2026-04-03", "same_date_in_month"),
                step("skipped", "2026-04-03", "non_working_day_skipped"),
                step("skipped", "2026-04-04", "non_working_day_skipped"),
                step("skipped", "2026-04-05", "non_working_day_skipped"),
                step("skipped", "2026-04-06", "non_working_day_skipped"),
                step("due", "2026-04-07", "due"),
            ]
        );
        assert_eq!(
            skipped_texts(&answer["steps"]),
            vec![
                "2026-04-03 är allmän helgdag (långfredagen) och räknas inte som arbetsdag.",
                "2026-04-04 är lördag och räknas inte som arbetsdag.",
                "2026-04-05 är allmän helgdag (påskdagen) och räknas inte som arbetsdag.",
                "2026-04-06 är allmän helgdag (annandag påsk) och räknas inte som arbetsdag.",
            ]
        );
        assert_eq!(
            answer["steps"][2]["legal_source"],
            "lag (1989:253) om allmänna helgdagar"
        );
        assert_eq!(
            answer["steps"][3]["legal_source"],
            "Förordning (EEG, Euratom) nr 1182/71 art. 3.4"
        );

        // The case registered for that day has the same deadline.
        let case = app
            .create_case(
                &Caller::kontaktcenter(),
                &NewCase::logged("access", "letter", "2026-03-03T12:00:00Z"),
            )
            .await;
        assert_eq!(case["deadline"], answer["deadline"]);
    }
);

journey!(
    the_day_of_receipt_must_be_a_date,
    |app: TestApp| async move {
        let kc = Caller::kontaktcenter();
        let body = problem(
            app.get(&kc, "/api/v1/deadline").await,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert_eq!(
            field_errors(&body),
            vec![("received".to_string(), "required".to_string())]
        );
        assert_eq!(
            body["errors"][0]["message"],
            "Give the day of receipt as ?received=YYYY-MM-DD."
        );

        for bad in ["2025-02-30", "tomorrow", "03/03/2026", ""] {
            let body = problem(
                app.get(&kc, &format!("/api/v1/deadline?received={bad}"))
                    .await,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
            assert_eq!(body["code"], "validation_failed", "received={bad}");
        }

        let body = problem(
            app.get(&kc, "/api/v1/deadline?received=1899-12-31").await,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert_eq!(
            field_errors(&body),
            vec![("received".to_string(), "out_of_range".to_string())]
        );
    }
);

journey!(
    by_default_the_eves_are_working_days,
    |app: TestApp| async move {
        // Julafton, midsommarafton and nyårsafton are not public holidays: the earlier date.
        // (2029-12-30 is a Sunday, so that deadline moves to nyårsafton, a Monday.)
        for (received, deadline) in [
            ("2025-11-24", "2025-12-24"),
            ("2026-05-19", "2026-06-19"),
            ("2029-11-30", "2029-12-31"),
        ] {
            let answer = explain(&app, received).await;
            assert_eq!(answer["deadline"], deadline, "received {received}");
            assert_eq!(answer["eves_are_holidays"], false);
        }
    }
);

journey!(
    when_the_eves_count_as_holidays_christmas_eve_moves_the_deadline,
    settings = |s: &mut dsar::config::Settings| s.deadline.eves_are_holidays = true,
    |app: TestApp| async move {
        let answer = explain(&app, "2025-11-24").await;
        assert_eq!(answer["eves_are_holidays"], true);
        // Julafton (Wed), juldagen, annandag jul, Saturday, Sunday: Monday 29 December.
        assert_eq!(answer["deadline"], "2025-12-29");
        assert_eq!(
            skipped_texts(&answer["steps"]),
            vec![
                "2025-12-24 är julafton, som inte är en allmän helgdag men likställs med helgdag vid beräkning av lagstadgad tid (2 § lag (1930:173)). Fristen går därför inte ut den dagen.",
                "2025-12-25 är allmän helgdag (juldagen) och räknas inte som arbetsdag.",
                "2025-12-26 är allmän helgdag (annandag jul) och räknas inte som arbetsdag.",
                "2025-12-27 är lördag och räknas inte som arbetsdag.",
                "2025-12-28 är söndag och räknas inte som arbetsdag.",
            ]
        );
        assert_eq!(
            answer["steps"][2]["legal_source"],
            "lag (1930:173) om beräkning av lagstadgad tid"
        );
        // Midsommarafton 2026-06-19, midsommardagen, Sunday: Monday 22 June.
        assert_eq!(explain(&app, "2026-05-19").await["deadline"], "2026-06-22");
        // Sunday 2029-12-30, nyårsafton, nyårsdagen: Wednesday 2 January.
        assert_eq!(explain(&app, "2029-11-30").await["deadline"], "2030-01-02");

        // A letter received that day gets the later deadline too.
        let case = app
            .create_case(
                &Caller::kontaktcenter(),
                &NewCase::logged("access", "letter", "2025-11-24T10:00:00Z"),
            )
            .await;
        assert_eq!(case["deadline"], "2025-12-29");
        assert_eq!(case["received_date"], "2025-11-24");
    }
);

journey!(
    everyone_who_works_with_requests_may_ask,
    |app: TestApp| async move {
        for caller in [
            Caller::etjanst(),
            Caller::handlaggare(&["kommunstyrelsen"]),
            Caller::dpo(),
            Caller::admin(),
        ] {
            let response = app
                .get(&caller, "/api/v1/deadline?received=2026-03-03")
                .await;
            assert_eq!(response.status(), StatusCode::OK, "{caller:?}");
            let answer: Value = response.json().await.unwrap();
            assert_eq!(answer["deadline"], json!("2026-04-07"));
        }
    }
);
