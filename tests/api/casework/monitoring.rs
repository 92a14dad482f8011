//! The DPO's view (api.md, Monitoring): statistics, the overdue list and its CSV for Excel, all
//! checked against a year of cases built here, received, decided, extended and withdrawn on
//! chosen days.
//!
//! Today is Wednesday 2026-04-15. The cases (so = socialnämnden, ks = kommunstyrelsen):
//!
//! | reference       | kind          | part   | received   | deadline                | what happened                                    |
//! |-----------------|---------------|--------|------------|-------------------------|--------------------------------------------------|
//! | DSAR-2025-00001 | access        | so     | 2025-03-03 | 2025-04-03              | decided 2025-04-01 (29 days, before the window), closed |
//! | DSAR-2025-00002 | access        | ks     | 2025-04-22 | 2025-05-22              | decided 2025-05-20 (28 days, on time), closed     |
//! | DSAR-2026-00001 | access        | so     | 2026-01-12 | 2026-02-12              | decided 2026-02-05 (24 days, on time), closed     |
//! | DSAR-2026-00002 | erasure       | so     | 2026-01-20 | 2026-02-20              | refused 2026-02-27 (38 days, late)                |
//! | DSAR-2026-00003 | access        | so, ks | 2026-02-02 | 2026-03-02, ext. 05-04  | extended 02-20; decided 03-25 (51 days, on time)  |
//! | DSAR-2026-00004 | objection     | so     | 2026-03-02 | 2026-04-02              | taken 03-03, open: overdue                        |
//! | DSAR-2026-00005 | erasure       | ks     | 2026-03-05 | 2026-04-07              | withdrawn 03-20                                   |
//! | DSAR-2026-00006 | rectification | ks     | 2026-02-16 | 2026-03-16              | logged late on 03-05, open: overdue               |
//! | DSAR-2026-00007 | restriction   | so     | 2026-03-09 | 2026-04-09              | open: overdue                                     |
//! | DSAR-2026-00008 | access        | ks     | 2026-03-10 | 2026-04-10              | decided on the last day (31 days, on time)        |
//! | DSAR-2026-00009 | access        | so     | 2026-03-15 | 2026-04-15              | open: due today                                   |
//! | DSAR-2026-00010 | access        | ks     | 2026-03-19 | 2026-04-20              | open: due within 7 days                           |
//! | DSAR-2026-00011 | access        | so     | 2026-03-20 | 2026-04-20, ext. 06-22  | extended 04-01, open                              |
//! | DSAR-2026-00012 | access        | so     | 2026-04-10 | 2026-05-11              | open                                              |

use reqwest::StatusCode;
use serde_json::{json, Value};

use super::*;
use crate::helpers::*;
use crate::journey;

const SO: &str = "socialnamnden";
const KS: &str = "kommunstyrelsen";

/// Tolvan's request, logged by Kontaktcenter with everything that must never reach a report.
async fn logged(
    app: &TestApp,
    kind: &str,
    channel: &str,
    received_at: &str,
    controllers: &[&str],
) -> String {
    let case = app
        .create_case(
            &Caller::kontaktcenter(),
            &json!({
                "kind": kind,
                "channel": channel,
                "received_at": received_at,
                "subject": {
                    "personnummer": TOLVAN,
                    "name": "Tolvan Tolvansson",
                    "address": {"street": "Storgatan 1", "postal_code": "151 89", "city": "Södertälje"},
                    "email": "tolvan@example.se",
                    "phone": "08-123 456 78"
                },
                "controllers": controllers,
                "description": "Tolvan Tolvansson vill veta vad som finns om honom."
            }),
        )
        .await;
    id_of(&case)
}

async fn granted(app: &TestApp, hl: &Caller, id: &str, controller: &str) {
    decided(
        app,
        hl,
        id,
        &json!({"controller": controller, "outcome": "granted"}),
    )
    .await;
}

/// A decision, once Tolvan has shown his ID at the desk (nothing is decided on the merits before).
async fn decided(app: &TestApp, hl: &Caller, id: &str, decision: &Value) {
    let case = get_json(app, &Caller::dpo(), &format!("/api/v1/cases/{id}")).await;
    if case["identity"]["status"] != "verified" {
        work_ok(
            app,
            &Caller::kontaktcenter(),
            id,
            "identity",
            &json!({"action": "verify", "method": "id_document", "document_type": "pass"}),
            StatusCode::OK,
        )
        .await;
    }
    decide(app, hl, id, decision).await;
}

async fn close(app: &TestApp, hl: &Caller, id: &str) {
    work_ok(app, hl, id, "close", &json!({}), StatusCode::OK).await;
}

async fn extend(app: &TestApp, hl: &Caller, id: &str) {
    let extended = work_ok(
        app,
        hl,
        id,
        "extension",
        &json!({"reason": "Många handlingar hos flera förvaltningar."}),
        StatusCode::OK,
    )
    .await;
    assert!(extended["extended_deadline"].is_string(), "{extended}");
}

async fn list(app: &TestApp, query: &str) -> Vec<Value> {
    let page = get_json(app, &Caller::dpo(), &format!("/api/v1/cases?{query}")).await;
    assert_eq!(page["next_cursor"], Value::Null);
    page["items"].as_array().expect("items").clone()
}

/// Builds the cases of the table above, in the order things happened.
async fn a_year_of_requests(app: &TestApp) {
    add_namnder(app).await;
    let hl = Caller::named_handlaggare("hl-bertil", &[SO, KS]);

    at(app, "2025-03-03T09:00:00Z");
    let a = logged(app, "access", "letter", "2025-03-03T09:00:00Z", &[SO]).await;
    at(app, "2025-04-01T09:00:00Z");
    granted(app, &hl, &a, SO).await;
    close(app, &hl, &a).await;

    at(app, "2025-04-22T09:00:00Z");
    let b = logged(app, "access", "letter", "2025-04-22T09:00:00Z", &[KS]).await;
    at(app, "2025-05-20T09:00:00Z");
    granted(app, &hl, &b, KS).await;
    close(app, &hl, &b).await;

    at(app, "2026-01-12T09:00:00Z");
    let n1 = logged(app, "access", "letter", "2026-01-12T09:00:00Z", &[SO]).await;
    at(app, "2026-01-20T09:00:00Z");
    let n2 = logged(app, "erasure", "letter", "2026-01-20T09:00:00Z", &[SO]).await;
    at(app, "2026-02-02T09:00:00Z");
    let n3 = logged(app, "access", "letter", "2026-02-02T09:00:00Z", &[SO, KS]).await;
    at(app, "2026-02-05T09:00:00Z");
    granted(app, &hl, &n1, SO).await;
    at(app, "2026-02-06T09:00:00Z");
    close(app, &hl, &n1).await;
    at(app, "2026-02-20T09:00:00Z");
    extend(app, &hl, &n3).await;
    granted(app, &hl, &n3, SO).await;
    at(app, "2026-02-27T09:00:00Z");
    decided(
        app,
        &hl,
        &n2,
        &json!({"controller": SO, "outcome": "refused", "legal_grounds": ["arkivlagen_10"], "reasons": "Handlingarna ska bevaras enligt arkivlagen."}),
    )
    .await;

    at(app, "2026-03-02T09:00:00Z");
    let n4 = logged(app, "objection", "letter", "2026-03-02T09:00:00Z", &[SO]).await;
    at(app, "2026-03-03T09:00:00Z");
    work_ok(
        app,
        &hl,
        &n4,
        "parts/socialnamnden/assign",
        &json!({}),
        StatusCode::OK,
    )
    .await;
    at(app, "2026-03-05T09:00:00Z");
    let n5 = logged(app, "erasure", "letter", "2026-03-05T09:00:00Z", &[KS]).await;
    // A letter that lay in the wrong pile: received 2026-02-16, logged 2026-03-05.
    at(app, "2026-03-05T09:01:00Z");
    logged(
        app,
        "rectification",
        "letter",
        "2026-02-16T09:00:00Z",
        &[KS],
    )
    .await;
    at(app, "2026-03-09T09:00:00Z");
    logged(app, "restriction", "letter", "2026-03-09T09:00:00Z", &[SO]).await;
    at(app, "2026-03-10T09:00:00Z");
    let n8 = logged(app, "access", "letter", "2026-03-10T09:00:00Z", &[KS]).await;
    // An e-mail sent on Sunday 2026-03-15, logged on Monday.
    at(app, "2026-03-16T09:00:00Z");
    logged(app, "access", "email", "2026-03-15T10:00:00Z", &[SO]).await;
    at(app, "2026-03-19T09:00:00Z");
    logged(app, "access", "letter", "2026-03-19T09:00:00Z", &[KS]).await;
    at(app, "2026-03-20T09:00:00Z");
    let n11 = logged(app, "access", "letter", "2026-03-20T09:00:00Z", &[SO]).await;
    work_ok(
        app,
        &Caller::kontaktcenter(),
        &n5,
        "withdraw",
        &json!({"note": "Återkallad per telefon."}),
        StatusCode::OK,
    )
    .await;
    at(app, "2026-03-25T09:00:00Z");
    decided(
        app,
        &hl,
        &n3,
        &json!({"controller": KS, "outcome": "partially_granted", "legal_grounds": ["dsl_5_1"], "reasons": "Anbud i en pågående upphandling omfattas av sekretess."}),
    )
    .await;
    at(app, "2026-04-01T09:00:00Z");
    extend(app, &hl, &n11).await;
    at(app, "2026-04-10T09:00:00Z");
    logged(app, "access", "letter", "2026-04-10T09:00:00Z", &[SO]).await;
    granted(app, &hl, &n8, KS).await;

    at(app, "2026-04-15T09:00:00Z");
}

journey!(
    the_dpo_follows_up_a_year_of_requests,
    |app: TestApp| async move {
        a_year_of_requests(&app).await;
        let everything = app.all_cases().await;
        assert_eq!(everything.len(), 14);

        // What is late, the longest overdue first.
        let overdue = list(&app, "overdue=true&sort=deadline").await;
        assert_eq!(
            overdue
                .iter()
                .map(|c| (
                    c["reference"].as_str().unwrap(),
                    c["deadline"].as_str().unwrap(),
                    c["days_left"].as_i64().unwrap(),
                    c["overdue"].as_bool().unwrap()
                ))
                .collect::<Vec<_>>(),
            vec![
                ("DSAR-2026-00006", "2026-03-16", -30, true),
                ("DSAR-2026-00004", "2026-04-02", -13, true),
                ("DSAR-2026-00007", "2026-04-09", -6, true),
            ]
        );

        // Open cases due before Tuesday 2026-04-21. DSAR-2026-00011 was due 2026-04-20 too, but it
        // was extended; DSAR-2026-00005 was withdrawn.
        assert_eq!(
            references(&list(&app, "due_before=2026-04-21&sort=deadline").await),
            vec![
                "DSAR-2026-00006",
                "DSAR-2026-00004",
                "DSAR-2026-00007",
                "DSAR-2026-00009",
                "DSAR-2026-00010"
            ]
        );
        assert_eq!(
            references(&list(&app, "extended=true&sort=deadline").await),
            vec!["DSAR-2026-00003", "DSAR-2026-00011"]
        );
        let extended = list(&app, "extended=true&sort=deadline").await;
        assert_eq!(extended[0]["extended_deadline"], "2026-05-04");
        assert_eq!(extended[1]["extended_deadline"], "2026-06-22");

        // The same overdue list as a file for Excel: newest first, as the list is by default.
        let response = app
            .get(&Caller::dpo(), "/api/v1/cases?overdue=true&format=csv")
            .await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(
            response.headers()["content-type"].to_str().unwrap(),
            "text/csv; charset=utf-8"
        );
        let bytes = response.bytes().await.unwrap();
        assert_eq!(
            &bytes[..3],
            b"\xEF\xBB\xBF",
            "starts with the UTF-8 byte order mark"
        );
        let text = std::str::from_utf8(&bytes[3..]).expect("UTF-8");
        assert!(text.ends_with("\r\n"), "{text:?}");
        let rows: Vec<Vec<&str>> = text
            .trim_end_matches("\r\n")
            .split("\r\n")
            .map(|line| line.split(';').collect())
            .collect();
        assert_eq!(
            rows,
            vec![
                vec![
                    "Ärendenummer",
                    "Typ",
                    "Kanal",
                    "Status",
                    "Mottagen",
                    "Sista svarsdag",
                    "Förlängd till",
                    "Justerad frist",
                    "Dagar kvar",
                    "Försenad",
                    "Nämnder",
                    "Identitet",
                    "Beslutad",
                    "Avslutad"
                ],
                vec![
                    "DSAR-2026-00007",
                    "begränsning",
                    "brev",
                    "mottagen",
                    "2026-03-09",
                    "2026-04-09",
                    "",
                    "",
                    "-6",
                    "ja",
                    "socialnamnden",
                    "ej verifierad",
                    "",
                    ""
                ],
                vec![
                    "DSAR-2026-00006",
                    "rättelse",
                    "brev",
                    "mottagen",
                    "2026-02-16",
                    "2026-03-16",
                    "",
                    "",
                    "-30",
                    "ja",
                    "kommunstyrelsen",
                    "ej verifierad",
                    "",
                    ""
                ],
                vec![
                    "DSAR-2026-00004",
                    "invändning",
                    "brev",
                    "under handläggning",
                    "2026-03-02",
                    "2026-04-02",
                    "",
                    "",
                    "-13",
                    "ja",
                    "socialnamnden",
                    "ej verifierad",
                    "",
                    ""
                ],
            ]
        );
        for personal in [
            "191212121212",
            "19121212-1212",
            "121212-1212",
            "1212121212",
            "Tolvan",
            "Tolvansson",
            "Storgatan",
            "Södertälje",
            "151 89",
            "tolvan@example.se",
            "08-123 456 78",
        ] {
            assert!(!text.contains(personal), "{personal:?} in the CSV:\n{text}");
        }

        // The statistics are the DPO's (and the administrator's), not a handläggare's.
        let response = app.get(&Caller::handlaggare(&[SO]), "/api/v1/stats").await;
        problem(response, StatusCode::FORBIDDEN).await;

        let stats = get_json(&app, &Caller::dpo(), "/api/v1/stats").await;
        let mut months: Vec<Value> = [
            "2025-05", "2025-06", "2025-07", "2025-08", "2025-09", "2025-10", "2025-11", "2025-12",
        ]
        .iter()
        .map(|m| json!({"month": m, "received": 0}))
        .collect();
        months.extend([
            json!({"month": "2026-01", "received": 2}),
            json!({"month": "2026-02", "received": 2}),
            json!({"month": "2026-03", "received": 7}),
            json!({"month": "2026-04", "received": 1}),
        ]);
        assert_eq!(
            stats,
            json!({
                "as_of": "2026-04-15",
                "by_status": {"closed": 3, "decided": 3, "in_progress": 2, "received": 5, "withdrawn": 1},
                "by_kind": {"access": 9, "erasure": 2, "objection": 1, "rectification": 1, "restriction": 1},
                // Parts still to be decided, by nämnd: the withdrawn DSAR-2026-00005 is no work for
                // kommunstyrelsen any more.
                "by_controller": [
                    {"controller": "kommunstyrelsen", "open": 2, "decided": 3},
                    {"controller": "socialnamnden", "open": 5, "decided": 4}
                ],
                "open": 7,
                "overdue": 3,
                // DSAR-2026-00009 (today) and DSAR-2026-00010 (2026-04-20).
                "due_within_7_days": 2,
                // DSAR-2026-00011; DSAR-2026-00003 is decided.
                "extended": 1,
                // Decided from 2025-05-01: 28, 24, 38 (late), 51 (extended, on time) and 31 days.
                "last_12_months": {
                    "decided": 5,
                    "decided_on_time": 4,
                    "on_time_share": 0.8,
                    "median_days_to_decision": 31.0
                },
                "window_start": "2025-05-01",
                "received_per_month": months,
                // No e-mail addresses in this data set: nothing queued, nothing failed.
                "failed_notifications": 0
            })
        );
    }
);

journey!(
    the_statistics_count_days_in_stockholm_time_at_the_edge_of_the_window,
    |app: TestApp| async move {
        add_namnder(&app).await;
        let hl = Caller::named_handlaggare("hl-bertil", &[KS]);
        // Today is Tuesday 2026-03-10: the window of twelve months starts on 2025-04-01.
        at(&app, "2025-03-10T09:00:00Z");
        let before_midnight = logged(&app, "access", "letter", "2025-03-10T09:00:00Z", &[KS]).await;
        let after_midnight = logged(&app, "access", "letter", "2025-03-10T09:00:00Z", &[KS]).await;
        // 23:30 on Monday 2025-03-31 in Stockholm (summer time, UTC+2): before the window.
        at(&app, "2025-03-31T21:30:00Z");
        granted(&app, &hl, &before_midnight, KS).await;
        // 00:30 on Tuesday 2025-04-01 in Stockholm: the window's first day, 22 days after receipt.
        at(&app, "2025-03-31T22:30:00Z");
        granted(&app, &hl, &after_midnight, KS).await;
        // An e-mail that arrived at the same minute was received on 2025-04-01 too.
        logged(&app, "access", "email", "2025-03-31T22:30:00Z", &[KS]).await;

        at(&app, "2026-03-10T09:00:00Z");
        let stats = get_json(&app, &Caller::dpo(), "/api/v1/stats").await;
        assert_eq!(stats["window_start"], "2025-04-01");
        assert_eq!(
            stats["last_12_months"],
            json!({
                "decided": 1,
                "decided_on_time": 1,
                "on_time_share": 1.0,
                "median_days_to_decision": 22.0
            })
        );
        let mut months: Vec<Value> = [
            "2025-05", "2025-06", "2025-07", "2025-08", "2025-09", "2025-10", "2025-11", "2025-12",
            "2026-01", "2026-02", "2026-03",
        ]
        .iter()
        .map(|m| json!({"month": m, "received": 0}))
        .collect();
        months.insert(0, json!({"month": "2025-04", "received": 1}));
        assert_eq!(stats["received_per_month"], json!(months));
        assert_eq!(stats["by_status"], json!({"decided": 2, "received": 1}));
    }
);
