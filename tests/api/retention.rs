//! Retention (gallring) of the service's own cases (domain.md §7), with an injected clock: cases
//! of every class built on chosen dates; dry runs on several dates list exactly what each class
//! would purge and change nothing; a real run deletes (on SQLite down to the bytes in the file),
//! keeps the refusal decision with the identity needed to read it, keeps the statistics, writes
//! the purge log; a second run purges nothing more.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use diesel::prelude::*;
use dsar::db::schema::{case_statistics, purge_log};
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::*;
use crate::journey;

const SOCIAL: &str = "socialnamnden";

/// Markers of the people whose cases are purged: none may remain anywhere after the real run.
const ERASED_NAME: &str = "Raderas Raderasson";
const ERASED_EMAIL: &str = "raderas@example.se";
const ERASED_DESCRIPTION: &str = "RADERAS-BESKRIVNING-A";
const ERASED_PERSONNUMMER: &str = "195511112343";
const WITHDRAWN_NAME: &str = "Ångrad Ångersson";
const WITHDRAWN_EMAIL: &str = "angrad@example.se";
const REFUSED_EMAIL: &str = "bevaras@example.se";
const REFUSED_STREET: &str = "Bevarastigen 9";
const REFUSED_DESCRIPTION: &str = "BEVARAS-BESKRIVNING-B";
const RECTIFICATION_DESCRIPTION: &str = "RATTELSE-BESKRIVNING-C";

fn person_request(
    kind: &str,
    received_at: &str,
    personnummer: &str,
    name: &str,
    email: &str,
    street: &str,
    description: &str,
) -> Value {
    json!({
        "kind": kind,
        "channel": "letter",
        "received_at": received_at,
        "subject": {
            "personnummer": personnummer,
            "name": name,
            "email": email,
            "address": {"street": street, "postal_code": "151 89", "city": "Södertälje"},
        },
        "controllers": [SOCIAL],
        "description": description,
    })
}

/// `POST /api/v1/cases/{id}/{action}`, asserting `status`.
async fn act(app: &TestApp, caller: &Caller, id: &str, action: &str, body: Value) -> Value {
    let response = app
        .post(caller, &format!("/api/v1/cases/{id}/{action}"), &body)
        .await;
    let status = response.status();
    let json: Value = response.json().await.expect("json");
    assert!(status.is_success(), "{action} on {id}: {status} {json}");
    json
}

fn at(app: &TestApp, instant: &str) {
    app.clock.set(utc(instant));
}

/// `POST /api/v1/retention/run` as the administrator.
async fn retention_run(app: &TestApp, body: Value) -> reqwest::Response {
    app.post(&Caller::admin(), "/api/v1/retention/run", &body)
        .await
}

type ClassItems = BTreeMap<String, BTreeSet<(String, String, String)>>;

/// Per class: (reference, action, counted_from) of every item; checks count and keep/from.
fn by_class(report: &Value) -> ClassItems {
    let classes = report["classes"].as_array().expect("classes");
    let names: Vec<&str> = classes
        .iter()
        .map(|c| c["class"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        vec![
            "case_record",
            "extract",
            "request_details",
            "refusal_decision",
            "granted_decision",
            "recipient_log",
            "journal"
        ]
    );
    classes
        .iter()
        .map(|c| {
            let name = c["class"].as_str().unwrap();
            let items = c["items"].as_array().expect("items");
            assert_eq!(c["count"], items.len(), "{c}");
            let items = items
                .iter()
                .map(|i| {
                    (
                        i["reference"].as_str().unwrap().to_owned(),
                        i["action"].as_str().unwrap().to_owned(),
                        i["counted_from"].as_str().unwrap().to_owned(),
                    )
                })
                .collect();
            (name.to_owned(), items)
        })
        .collect()
}

/// Each class's setting as the report shows it: the defaults of `config/default.toml`.
/// The municipality of the main journey: its dokumenthanteringsplan also covers granted
/// decisions, the Art. 19 log and the journal, with the case record's one year.
fn covering_everything(s: &mut dsar::config::Settings) {
    let year = || dsar::config::RetentionClassSettings {
        keep: "1y".into(),
        from: "closure".into(),
    };
    s.retention.granted_decision = Some(year());
    s.retention.recipient_log = Some(year());
    s.retention.journal = Some(year());
}

fn assert_covering_policy(report: &Value) {
    let policy: Vec<(&str, &str, &str)> = report["classes"]
        .as_array()
        .expect("classes")
        .iter()
        .map(|c| {
            (
                c["class"].as_str().unwrap(),
                c["keep"].as_str().unwrap(),
                c["from"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        policy,
        vec![
            ("case_record", "1y", "closure"),
            ("extract", "3m", "delivery"),
            ("request_details", "3m", "closure"),
            ("refusal_decision", "forever", "decision"),
            ("granted_decision", "1y", "closure"),
            ("recipient_log", "1y", "closure"),
            ("journal", "1y", "closure"),
        ]
    );
}

fn expected(
    case_record: &[(&str, &str, &str)],
    request_details: &[(&str, &str, &str)],
) -> ClassItems {
    expected_with_journal(case_record, request_details, &[])
}

fn expected_with_journal(
    case_record: &[(&str, &str, &str)],
    request_details: &[(&str, &str, &str)],
    journal: &[(&str, &str, &str)],
) -> ClassItems {
    let set = |items: &[(&str, &str, &str)]| {
        items
            .iter()
            .map(|(r, a, d)| (r.to_string(), a.to_string(), d.to_string()))
            .collect::<BTreeSet<_>>()
    };
    [
        ("case_record".to_owned(), set(case_record)),
        ("extract".to_owned(), BTreeSet::new()),
        ("request_details".to_owned(), set(request_details)),
        ("refusal_decision".to_owned(), BTreeSet::new()),
        ("granted_decision".to_owned(), BTreeSet::new()),
        ("recipient_log".to_owned(), BTreeSet::new()),
        ("journal".to_owned(), set(journal)),
    ]
    .into_iter()
    .collect()
}

fn purge_log_rows(app: &TestApp) -> Vec<(String, String, NaiveDate, String)> {
    let mut conn = app.database();
    let mut rows: Vec<(String, String, NaiveDate, String)> = purge_log::table
        .select((
            purge_log::class,
            purge_log::reference,
            purge_log::counted_from,
            purge_log::action,
        ))
        .load(&mut conn)
        .expect("purge log");
    rows.sort();
    rows
}

type StatisticsRow = (String, String, NaiveDate, Option<NaiveDate>, Option<bool>);

fn statistics_rows(app: &TestApp) -> Vec<StatisticsRow> {
    let mut conn = app.database();
    let mut rows: Vec<StatisticsRow> = case_statistics::table
        .select((
            case_statistics::kind,
            case_statistics::controllers,
            case_statistics::received_date,
            case_statistics::decided_date,
            case_statistics::on_time,
        ))
        .load(&mut conn)
        .expect("case statistics");
    rows.sort();
    rows
}

fn d(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

/// On SQLite: the database file and its WAL, as bytes.
fn sqlite_bytes(app: &TestApp) -> Option<Vec<u8>> {
    let path = app.sqlite_path()?;
    let mut bytes = std::fs::read(&path).expect("the database file");
    if let Ok(wal) = std::fs::read(format!("{}-wal", path.display())) {
        bytes.extend(wal);
    }
    Some(bytes)
}

/// On SQLite: the sealed values as stored (not as the service reads them) of the rows of
/// `table` whose `key` is `id`: `subject`, then `description` for cases; `data` for the
/// journal. Empty on PostgreSQL, whose files the tests do not read.
fn sealed_values(app: &TestApp, table: &str, key: &str, id: &str) -> Vec<String> {
    #[derive(QueryableByName)]
    struct Stored {
        #[diesel(sql_type = diesel::sql_types::Text)]
        v: String,
    }
    let dsar::db::DbConnection::Sqlite(sqlite) = &mut app.database() else {
        return Vec::new();
    };
    let columns: &[&str] = match table {
        "cases" => &["subject", "description"],
        _ => &["data"],
    };
    columns
        .iter()
        .flat_map(|column| {
            diesel::sql_query(format!(
                "SELECT {column} AS v FROM {table} WHERE {key} = ? AND {column} IS NOT NULL"
            ))
            .bind::<diesel::sql_types::Text, _>(id)
            .load::<Stored>(sqlite)
            .unwrap()
        })
        .map(|stored| {
            assert!(stored.v.starts_with("sealed:v1:"), "{table} sealed");
            stored.v
        })
        .collect()
}

fn occurs(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

/// The parts of the statistics that purged cases must stay in.
fn lasting_counts(stats: &Value) -> Value {
    json!({
        "by_status": stats["by_status"],
        "by_kind": stats["by_kind"],
        "by_controller": stats["by_controller"],
        "last_12_months": stats["last_12_months"],
        "received_per_month": stats["received_per_month"],
    })
}

journey!(
    retention_purges_each_class_on_its_day_and_keeps_refusals_and_statistics,
    settings = covering_everything,
    |app: TestApp| async move {
        app.add_controller(SOCIAL, "Socialnämnden").await;
        let kc = Caller::kontaktcenter();
        let hl = Caller::handlaggare(&[SOCIAL]);
        let admin = Caller::admin();
        let verify =
            || json!({"action": "verify", "method": "id_document", "document_type": "pass"});
        let pickup = || json!({"method": "pickup"});

        // A: access, granted, closed 2025-01-10 (Friday).
        at(&app, "2024-12-02T09:00:00Z");
        let a = app
            .create_case(
                &kc,
                &person_request(
                    "access",
                    "2024-12-02T08:30:00Z",
                    "19551111-2343",
                    ERASED_NAME,
                    ERASED_EMAIL,
                    "Raderasgatan 1",
                    ERASED_DESCRIPTION,
                ),
            )
            .await;
        let a_id = id_of(&a);

        // B: erasure, refused, closed 2025-01-15.
        at(&app, "2024-12-16T09:00:00Z");
        let b = app
            .create_case(
                &kc,
                &person_request(
                    "erasure",
                    "2024-12-16T08:30:00Z",
                    "19620705-2348",
                    "Bevaras Beslutsson",
                    REFUSED_EMAIL,
                    REFUSED_STREET,
                    REFUSED_DESCRIPTION,
                ),
            )
            .await;
        let b_id = id_of(&b);

        at(&app, "2024-12-20T09:00:00Z");
        act(&app, &kc, &a_id, "identity", verify()).await;
        act(
            &app,
            &hl,
            &a_id,
            "decisions",
            json!({"controller": SOCIAL, "outcome": "granted"}),
        )
        .await;

        // D: erasure, received long ago and still open: never purged.
        at(&app, "2025-01-02T09:00:00Z");
        let open = app
            .create_case(
                &kc,
                &person_request(
                    "erasure",
                    "2025-01-02T08:30:00Z",
                    "19700312-2343",
                    "Öppen Öppensson",
                    "oppen@example.se",
                    "Öppna vägen 2",
                    "OPPEN-BESKRIVNING-D",
                ),
            )
            .await;
        let open_id = id_of(&open);

        at(&app, "2025-01-08T09:00:00Z");
        act(&app, &kc, &b_id, "identity", verify()).await;
        let refusal_reasons = "Uppgifterna behövs för att fullgöra en rättslig förpliktelse (artikel 17.3 b i dataskyddsförordningen).";
        act(
            &app,
            &hl,
            &b_id,
            "decisions",
            json!({"controller": SOCIAL, "outcome": "refused", "legal_grounds": ["arkivlagen_10"], "reasons": refusal_reasons}),
        )
        .await;

        // Closed without a recorded delivery: an access request is delivered with its compiled
        // extract, whose own retention `the_compiled_extract_goes_three_months_after_delivery`
        // checks; this case has none.
        at(&app, "2025-01-10T09:00:00Z");
        act(&app, &hl, &a_id, "close", json!({})).await;

        at(&app, "2025-01-14T09:00:00Z");
        act(&app, &kc, &b_id, "delivery", pickup()).await;
        at(&app, "2025-01-15T09:00:00Z");
        let b_closed = act(&app, &hl, &b_id, "close", json!({})).await;
        let refusal_text = b_closed["parts"][0]["decision"]["text_sv"].clone();
        assert!(refusal_text.is_string(), "{b_closed}");

        // E: access, withdrawn 2025-02-01.
        at(&app, "2025-01-20T09:00:00Z");
        let e = app
            .create_case(
                &kc,
                &person_request(
                    "access",
                    "2025-01-20T08:30:00Z",
                    "19811120-2340",
                    WITHDRAWN_NAME,
                    WITHDRAWN_EMAIL,
                    "Ångervägen 4",
                    "ANGRAD-BESKRIVNING-E",
                ),
            )
            .await;
        let e_id = id_of(&e);
        at(&app, "2025-02-01T10:00:00Z");
        act(
            &app,
            &kc,
            &e_id,
            "withdraw",
            json!({"note": "Återkallad per telefon."}),
        )
        .await;

        // C: rectification, granted, closed 2025-11-01.
        at(&app, "2025-10-01T09:00:00Z");
        let c = app
            .create_case(
                &kc,
                &person_request(
                    "rectification",
                    "2025-10-01T08:30:00Z",
                    "19930214-2345",
                    "Rätta Rättelsesson",
                    "ratta@example.se",
                    "Rättvägen 5",
                    RECTIFICATION_DESCRIPTION,
                ),
            )
            .await;
        let c_id = id_of(&c);
        at(&app, "2025-10-20T09:00:00Z");
        act(&app, &kc, &c_id, "identity", verify()).await;
        act(
            &app,
            &hl,
            &c_id,
            "decisions",
            json!({"controller": SOCIAL, "outcome": "granted", "recipients_notified": ["Skatteverket"]}),
        )
        .await;
        at(&app, "2025-10-24T09:00:00Z");
        act(&app, &kc, &c_id, "delivery", pickup()).await;
        at(&app, "2025-11-01T09:00:00Z");
        act(&app, &hl, &c_id, "close", json!({})).await;

        let reference = |case: &Value| case["reference"].as_str().unwrap().to_owned();
        let (ra, rb, rc, re) = (reference(&a), reference(&b), reference(&c), reference(&e));
        let (ra, rb, rc, re) = (ra.as_str(), rb.as_str(), rc.as_str(), re.as_str());

        // Today is Sunday 2026-03-01.
        at(&app, "2026-03-01T09:00:00Z");
        let cases_before = app.all_cases().await;
        assert_eq!(cases_before.len(), 5);
        let stats_before: Value = app
            .get(&Caller::dpo(), "/api/v1/stats")
            .await
            .json()
            .await
            .unwrap();

        // What each class would purge on each day.
        let a_deleted = (ra, "deleted", "2025-01-10");
        let b_reduced = (rb, "reduced", "2025-01-15");
        let e_deleted = (re, "deleted", "2025-02-01");
        let b_details = (rb, "details_cleared", "2025-01-15");
        let c_details = (rc, "details_cleared", "2025-11-01");
        let c_deleted = (rc, "deleted", "2025-11-01");
        // B keeps its refusal, not its journal: the municipality's plan covers the journal.
        let b_journal = (rb, "journal_deleted", "2025-01-15");
        let with_b_journal = |classes: ClassItems| {
            let mut classes = classes;
            classes
                .get_mut("journal")
                .unwrap()
                .extend(expected_with_journal(&[], &[], &[b_journal])["journal"].clone());
            classes
        };
        let plan = [
            ("2025-01-20", expected(&[], &[])),
            ("2025-04-14", expected(&[], &[])),
            ("2025-04-15", expected(&[], &[b_details])),
            ("2025-06-01", expected(&[], &[b_details])),
            ("2026-01-09", expected(&[], &[b_details])),
            ("2026-01-10", expected(&[a_deleted], &[b_details])),
            ("2026-01-11", expected(&[a_deleted], &[b_details])),
            ("2026-01-14", expected(&[a_deleted], &[b_details])),
            (
                "2026-01-15",
                with_b_journal(expected(&[a_deleted, b_reduced], &[])),
            ),
            (
                "2026-01-16",
                with_b_journal(expected(&[a_deleted, b_reduced], &[])),
            ),
            (
                "2026-01-31",
                with_b_journal(expected(&[a_deleted, b_reduced], &[])),
            ),
            (
                "2026-02-01",
                with_b_journal(expected(&[a_deleted, b_reduced, e_deleted], &[c_details])),
            ),
            (
                "2026-02-02",
                with_b_journal(expected(&[a_deleted, b_reduced, e_deleted], &[c_details])),
            ),
            (
                "2026-03-01",
                with_b_journal(expected(&[a_deleted, b_reduced, e_deleted], &[c_details])),
            ),
            (
                "2026-10-31",
                with_b_journal(expected(&[a_deleted, b_reduced, e_deleted], &[c_details])),
            ),
            (
                "2026-11-01",
                with_b_journal(expected(&[a_deleted, b_reduced, e_deleted, c_deleted], &[])),
            ),
        ];
        for (as_of, expected) in &plan {
            let response = retention_run(&app, json!({"dry_run": true, "as_of": as_of})).await;
            assert_eq!(response.status(), StatusCode::OK, "dry run {as_of}");
            let report: Value = response.json().await.unwrap();
            assert_eq!(report["dry_run"], true);
            assert_eq!(report["as_of"], *as_of);
            assert_covering_policy(&report);
            assert_eq!(&by_class(&report), expected, "dry run as of {as_of}");
        }
        // Without as_of a dry run is as of today.
        let report: Value = retention_run(&app, json!({"dry_run": true}))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(report["as_of"], "2026-03-01");
        assert_eq!(by_class(&report), plan[13].1);

        // The dry runs changed nothing.
        assert_eq!(app.all_cases().await, cases_before);
        assert!(purge_log_rows(&app).is_empty());
        assert!(statistics_rows(&app).is_empty());

        // A real run is always as of today: not tomorrow, not yesterday.
        for as_of in ["2026-03-02", "2027-01-01", "2026-02-28"] {
            let response = retention_run(&app, json!({"dry_run": false, "as_of": as_of})).await;
            let body = problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
            assert_eq!(
                field_errors(&body),
                vec![("as_of".to_owned(), "not_allowed".to_owned())],
                "{as_of}"
            );
        }
        // Only the administrator runs it.
        for caller in [Caller::dpo(), hl.clone(), kc.clone()] {
            let response = app
                .post(&caller, "/api/v1/retention/run", &json!({"dry_run": true}))
                .await;
            problem(response, StatusCode::FORBIDDEN).await;
        }
        assert_eq!(app.all_cases().await, cases_before);

        // What the database holds of the purged data, sealed: after the run not even the
        // sealed copies may stay behind in the file or its WAL. B is reduced (its subject
        // rewritten without contact data), C loses its description.
        let purged_sealed: Vec<String> = [&a_id, &e_id]
            .into_iter()
            .flat_map(|id| sealed_values(&app, "cases", "id", id))
            .chain(
                [&a_id, &e_id]
                    .into_iter()
                    .flat_map(|id| sealed_values(&app, "case_events", "case_id", id)),
            )
            .chain(sealed_values(&app, "cases", "id", &b_id))
            .chain(
                sealed_values(&app, "cases", "id", &c_id)
                    .into_iter()
                    .skip(1),
            )
            .collect();
        let kept_sealed = sealed_values(&app, "cases", "id", &open_id);

        // The real run, today.
        let response = retention_run(&app, json!({"dry_run": false, "as_of": "2026-03-01"})).await;
        assert_eq!(response.status(), StatusCode::OK);
        let report: Value = response.json().await.unwrap();
        assert_eq!(report["dry_run"], false);
        assert_eq!(by_class(&report), plan[13].1);

        // On SQLite the purged bytes are gone from the file and its WAL.
        let markers = [
            ERASED_NAME,
            ERASED_EMAIL,
            ERASED_DESCRIPTION,
            ERASED_PERSONNUMMER,
            "Raderasgatan 1",
            WITHDRAWN_NAME,
            WITHDRAWN_EMAIL,
            "ANGRAD-BESKRIVNING-E",
            REFUSED_EMAIL,
            REFUSED_STREET,
            REFUSED_DESCRIPTION,
            RECTIFICATION_DESCRIPTION,
        ];
        let check_bytes = |when: &str| {
            if let Some(bytes) = sqlite_bytes(&app) {
                let left: Vec<&str> = markers
                    .iter()
                    .copied()
                    .filter(|m| occurs(&bytes, m))
                    .collect();
                assert!(
                    left.is_empty(),
                    "{when}: still in the SQLite file: {left:?}"
                );
                let sealed_left = purged_sealed
                    .iter()
                    .filter(|value| occurs(&bytes, value))
                    .count();
                assert_eq!(
                    sealed_left, 0,
                    "{when}: sealed copies of purged data in the file"
                );
                // The file does hold what was kept, so the search does look at the data.
                assert!(!kept_sealed.is_empty());
                assert!(
                    kept_sealed.iter().all(|value| occurs(&bytes, value)),
                    "{when}"
                );
            }
        };
        check_bytes("right after the run");

        // Deleted cases are gone.
        for id in [&a_id, &e_id] {
            let response = app.get(&admin, &format!("/api/v1/cases/{id}")).await;
            problem(response, StatusCode::NOT_FOUND).await;
        }
        // The refusal is kept, with the identity needed to read it, and nothing else.
        let refused = app.get(&admin, &format!("/api/v1/cases/{b_id}")).await;
        assert_eq!(refused.status(), StatusCode::OK);
        let refused: Value = refused.json().await.unwrap();
        assert_eq!(refused["reference"], rb);
        assert_eq!(refused["status"], "closed");
        assert_eq!(refused["subject"]["personnummer"], "196207052348");
        assert_eq!(refused["subject"]["name"], "Bevaras Beslutsson");
        assert_eq!(refused["subject"]["email"], Value::Null);
        assert_eq!(refused["subject"]["address"], Value::Null);
        assert_eq!(refused["subject"]["phone"], Value::Null);
        assert_eq!(refused["description"], Value::Null);
        let decision = &refused["parts"][0]["decision"];
        assert_eq!(decision["outcome"], "refused");
        assert_eq!(decision["reasons"], refusal_reasons);
        assert_eq!(decision["text_sv"], refusal_text);
        assert_eq!(refused["decided_at"], "2025-01-08T09:00:00Z");
        assert_eq!(refused["closed_at"], "2025-01-15T09:00:00Z");
        // The rectification loses what was to be corrected; the open case keeps everything.
        let rectification = app.get(&admin, &format!("/api/v1/cases/{c_id}")).await;
        let rectification: Value = rectification.json().await.unwrap();
        assert_eq!(rectification["reference"], rc);
        assert_eq!(rectification["description"], Value::Null);
        let still_open = app.get(&admin, &format!("/api/v1/cases/{open_id}")).await;
        let still_open: Value = still_open.json().await.unwrap();
        let open_before = cases_before
            .iter()
            .find(|c| c["id"] == open_id.as_str())
            .unwrap();
        assert_eq!(&still_open, open_before);
        assert_eq!(still_open["description"], "OPPEN-BESKRIVNING-D");
        assert_eq!(app.all_cases().await.len(), 3);

        // The statistics still count the purged cases.
        let stats_after: Value = app
            .get(&Caller::dpo(), "/api/v1/stats")
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(lasting_counts(&stats_after), lasting_counts(&stats_before));
        assert_eq!(stats_after["by_kind"]["access"], 2, "{stats_after}");

        // The purge log, without personal data, and one anonymous statistics row per purged case.
        let log = purge_log_rows(&app);
        let mut expected_log = vec![
            (
                "case_record".to_owned(),
                ra.to_owned(),
                d("2025-01-10"),
                "deleted".to_owned(),
            ),
            (
                "case_record".to_owned(),
                rb.to_owned(),
                d("2025-01-15"),
                "reduced".to_owned(),
            ),
            (
                "case_record".to_owned(),
                re.to_owned(),
                d("2025-02-01"),
                "deleted".to_owned(),
            ),
            (
                "journal".to_owned(),
                rb.to_owned(),
                d("2025-01-15"),
                "journal_deleted".to_owned(),
            ),
            (
                "request_details".to_owned(),
                rc.to_owned(),
                d("2025-11-01"),
                "details_cleared".to_owned(),
            ),
        ];
        expected_log.sort();
        assert_eq!(log, expected_log);
        let mut expected_statistics: Vec<StatisticsRow> = vec![
            (
                "access".into(),
                SOCIAL.into(),
                d("2024-12-02"),
                Some(d("2024-12-20")),
                Some(true),
            ),
            (
                "erasure".into(),
                SOCIAL.into(),
                d("2024-12-16"),
                Some(d("2025-01-08")),
                Some(true),
            ),
            ("access".into(), SOCIAL.into(), d("2025-01-20"), None, None),
        ];
        expected_statistics.sort();
        assert_eq!(statistics_rows(&app), expected_statistics);

        // A second run finds nothing more to purge.
        let response = retention_run(&app, json!({"dry_run": false})).await;
        assert_eq!(response.status(), StatusCode::OK);
        let report: Value = response.json().await.unwrap();
        assert_eq!(by_class(&report), expected(&[], &[]));
        assert_eq!(purge_log_rows(&app), expected_log);
        assert_eq!(statistics_rows(&app).len(), 3);
        // A year on, still nothing: the refusal is kept for good.
        let report: Value = retention_run(&app, json!({"dry_run": true, "as_of": "2030-01-01"}))
            .await
            .json()
            .await
            .unwrap();
        let later = by_class(&report);
        assert!(later["refusal_decision"].is_empty());
        assert!(!later["case_record"].iter().any(|(r, _, _)| r == rb));
        check_bytes("at the end");
    }
);

journey!(
    requests_keep_answering_while_retention_runs,
    |app: TestApp| async move {
        app.add_controller(SOCIAL, "Socialnämnden").await;
        let app = std::sync::Arc::new(app);
        // Three rounds of: requests that write, from several clients at once...
        let mut failures = Vec::new();
        let mut run_failures = Vec::new();
        let mut runs = 0;
        for round in 0..3 {
            let mut writers = Vec::new();
            for client in 0..6 {
                let app = app.clone();
                writers.push(tokio::spawn(async move {
                    let mut failures = Vec::new();
                    for i in 0..40 {
                        let body = json!({
                            "kind": "access",
                            "channel": "letter",
                            "received_at": "2026-03-09T09:00:00Z",
                            "subject": {"personnummer": "19121212-1212",
                                        "name": format!("Person {round}-{client}-{i}"),
                                        "email": "person@example.se"},
                            "controllers": [SOCIAL],
                        });
                        let response = app
                            .post(&Caller::kontaktcenter(), "/api/v1/cases", &body)
                            .await;
                        if response.status() != StatusCode::CREATED {
                            let status = response.status();
                            let text = response.text().await.unwrap_or_default();
                            failures.push(format!("{status} {text}"));
                        }
                    }
                    failures
                }));
            }
            // ... while the administrator runs retention again and again, until they are done.
            let mut round_runs = 0;
            while round_runs < 20 || !writers.iter().all(|w| w.is_finished()) {
                round_runs += 1;
                let response = retention_run(&app, json!({"dry_run": false})).await;
                if response.status() != StatusCode::OK {
                    let status = response.status();
                    let text = response.text().await.unwrap_or_default();
                    run_failures.push(format!("{status} {text}"));
                }
            }
            runs += round_runs;
            for writer in writers {
                failures.extend(writer.await.expect("writer task"));
            }
        }
        assert!(
            failures.is_empty() && run_failures.is_empty(),
            "{} of 720 case creations failed during retention runs: {:?}; {} of {runs} runs failed: {:?}",
            failures.len(),
            failures.iter().take(3).collect::<Vec<_>>(),
            run_failures.len(),
            run_failures.iter().take(3).collect::<Vec<_>>()
        );
        assert_eq!(app.all_cases().await.len(), 720);
    }
);

/// `POST /api/v1/cases/{id}/extract` as the administrator, asserting 201.
async fn compile_extract(app: &TestApp, id: &str) {
    let response = app
        .post(
            &Caller::admin(),
            &format!("/api/v1/cases/{id}/extract"),
            &json!({}),
        )
        .await;
    let status = response.status();
    let body = response.text().await.unwrap_or_default();
    assert_eq!(status, StatusCode::CREATED, "compile the extract: {body}");
}

/// `GET /api/v1/cases/{id}/extract` as the administrator: its status.
async fn extract_status(app: &TestApp, id: &str) -> StatusCode {
    app.get(&Caller::admin(), &format!("/api/v1/cases/{id}/extract"))
        .await
        .status()
}

/// An access request from a person, answered (verified, decided, extract compiled) on the dates
/// given; delivered if `delivered` is set; closed on `closed`. Returns (id, reference).
#[allow(clippy::too_many_arguments)]
async fn answered_access_case(
    app: &TestApp,
    received: &str,
    personnummer: &str,
    street: &str,
    outcome: Value,
    compiled: &str,
    delivered: Option<&str>,
    closed: &str,
) -> (String, String) {
    let kc = Caller::kontaktcenter();
    let hl = Caller::handlaggare(&[SOCIAL]);
    at(app, received);
    let case = app
        .create_case(
            &kc,
            &person_request(
                "access",
                received,
                personnummer,
                "Utdrag Utdragsson",
                "utdrag@example.se",
                street,
                "Vill ha ut allt.",
            ),
        )
        .await;
    let id = id_of(&case);
    act(
        app,
        &kc,
        &id,
        "identity",
        json!({"action": "verify", "method": "id_document", "document_type": "pass"}),
    )
    .await;
    act(app, &hl, &id, "decisions", outcome).await;
    at(app, compiled);
    compile_extract(app, &id).await;
    if let Some(delivered) = delivered {
        at(app, delivered);
        act(app, &kc, &id, "delivery", json!({"method": "pickup"})).await;
    }
    at(app, closed);
    act(app, &hl, &id, "close", json!({})).await;
    (id, case["reference"].as_str().unwrap().to_owned())
}

journey!(
    the_compiled_extract_goes_three_months_after_delivery,
    |app: TestApp| async move {
        app.add_controller(SOCIAL, "Socialnämnden").await;
        let granted = json!({"controller": SOCIAL, "outcome": "granted"});
        let partly = json!({"controller": SOCIAL, "outcome": "partially_granted", "legal_grounds": ["osl_26_1"],
                            "reasons": "Uppgifter om tredje man omfattas av sekretess (26 kap. 1 § OSL)."});
        // X1 granted and X2 partly granted, both delivered 2025-01-08 and closed 2025-01-10;
        // X3 compiled 2025-02-03 and never delivered (not collected), closed 2025-02-10.
        let (x1, r1) = answered_access_case(
            &app,
            "2024-12-02T09:00:00Z",
            "19551111-2343",
            "Utdragsgatan 1",
            granted.clone(),
            "2025-01-07T09:00:00Z",
            Some("2025-01-08T09:00:00Z"),
            "2025-01-10T09:00:00Z",
        )
        .await;
        let (x2, r2) = answered_access_case(
            &app,
            "2024-12-03T09:00:00Z",
            "19620705-2348",
            "Utdragsgatan 2",
            partly,
            "2025-01-07T10:00:00Z",
            Some("2025-01-08T10:00:00Z"),
            "2025-01-10T10:00:00Z",
        )
        .await;
        let (x3, r3) = answered_access_case(
            &app,
            "2025-01-13T09:00:00Z",
            "19700312-2343",
            "Utdragsgatan 3",
            granted,
            "2025-02-03T09:00:00Z",
            None,
            "2025-02-10T09:00:00Z",
        )
        .await;
        let (r1, r2, r3) = (r1.as_str(), r2.as_str(), r3.as_str());
        let x1_extract = (r1, "extract_deleted", "2025-01-08");
        let x2_extract = (r2, "extract_deleted", "2025-01-08");
        let x3_extract = (r3, "extract_deleted", "2025-02-03");
        let with_extracts = |case_record: &[(&str, &str, &str)],
                             extracts: &[(&str, &str, &str)]| {
            let mut classes = expected(case_record, &[]);
            classes.insert(
                "extract".to_owned(),
                extracts
                    .iter()
                    .map(|(r, a, d)| (r.to_string(), a.to_string(), d.to_string()))
                    .collect(),
            );
            classes
        };

        at(&app, "2025-04-08T09:00:00Z");
        for (as_of, expected) in [
            ("2025-04-07", with_extracts(&[], &[])),
            ("2025-04-08", with_extracts(&[], &[x1_extract, x2_extract])),
            ("2025-05-02", with_extracts(&[], &[x1_extract, x2_extract])),
            (
                "2025-05-03",
                with_extracts(&[], &[x1_extract, x2_extract, x3_extract]),
            ),
            (
                "2026-01-10",
                // With no gallringsbeslut for granted decisions or the journal (the default),
                // both cases are reduced, not deleted: arkivlagen keeps what no decision covers.
                with_extracts(
                    &[(r1, "reduced", "2025-01-10"), (r2, "reduced", "2025-01-10")],
                    &[x3_extract],
                ),
            ),
        ] {
            let report: Value = retention_run(&app, json!({"dry_run": true, "as_of": as_of}))
                .await
                .json()
                .await
                .unwrap();
            assert_eq!(by_class(&report), expected, "dry run as of {as_of}");
        }
        // The dry run says what stays of them, and why.
        let report: Value = retention_run(&app, json!({"dry_run": true, "as_of": "2026-01-10"}))
            .await
            .json()
            .await
            .unwrap();
        let kept: BTreeSet<(String, String, String, String)> = report["kept"]
            .as_array()
            .unwrap()
            .iter()
            .map(|k| {
                (
                    k["reference"].as_str().unwrap().to_owned(),
                    k["class"].as_str().unwrap().to_owned(),
                    k["because"].as_str().unwrap().to_owned(),
                    k["until"].to_string(),
                )
            })
            .collect();
        let entry = |r: &str, class: &str, because: &str| {
            (
                r.to_owned(),
                class.to_owned(),
                because.to_owned(),
                "null".to_owned(),
            )
        };
        assert_eq!(
            kept,
            BTreeSet::from([
                entry(r1, "granted_decision", "no_gallringsbeslut"),
                entry(r1, "journal", "no_gallringsbeslut"),
                entry(r2, "refusal_decision", "class"),
                entry(r2, "journal", "no_gallringsbeslut"),
            ])
        );
        let uncovered: Vec<(&str, bool)> = report["classes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                (
                    c["class"].as_str().unwrap(),
                    c["covered"].as_bool().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            uncovered,
            vec![
                ("case_record", true),
                ("extract", true),
                ("request_details", true),
                ("refusal_decision", true),
                ("granted_decision", false),
                ("recipient_log", false),
                ("journal", false)
            ]
        );
        for id in [&x1, &x2, &x3] {
            assert_eq!(extract_status(&app, id).await, StatusCode::OK);
        }

        // The real run on 2025-04-08: the two delivered extracts go, the cases stay.
        let copies_of = |street: &str| {
            sqlite_bytes(&app).map(|bytes| {
                bytes
                    .windows(street.len())
                    .filter(|w| *w == street.as_bytes())
                    .count()
            })
        };
        let report: Value = retention_run(&app, json!({"dry_run": false}))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(
            by_class(&report),
            with_extracts(&[], &[x1_extract, x2_extract])
        );
        assert_eq!(extract_status(&app, &x1).await, StatusCode::NOT_FOUND);
        assert_eq!(extract_status(&app, &x2).await, StatusCode::NOT_FOUND);
        assert_eq!(extract_status(&app, &x3).await, StatusCode::OK);
        let x1_case = app
            .get(&Caller::admin(), &format!("/api/v1/cases/{x1}"))
            .await;
        assert_eq!(x1_case.status(), StatusCode::OK);
        let x1_case: Value = x1_case.json().await.unwrap();
        assert_eq!(x1_case["delivery"]["delivered_at"], "2025-01-08T09:00:00Z");
        let mut expected_log = vec![
            (
                "extract".to_owned(),
                r1.to_owned(),
                d("2025-01-08"),
                "extract_deleted".to_owned(),
            ),
            (
                "extract".to_owned(),
                r2.to_owned(),
                d("2025-01-08"),
                "extract_deleted".to_owned(),
            ),
        ];
        expected_log.sort();
        assert_eq!(purge_log_rows(&app), expected_log);
        // Nothing more that day.
        let report: Value = retention_run(&app, json!({"dry_run": false}))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(by_class(&report), with_extracts(&[], &[]));
        // The extracts carried the folkbokföringsadress, as the cases and their letters still
        // do: sealed, so no copy of it is readable in the SQLite file, purged or not.
        for street in ["Utdragsgatan 1", "Utdragsgatan 2"] {
            if let Some(copies) = copies_of(street) {
                assert_eq!(copies, 0, "{street} readable in the SQLite file");
            }
        }
    }
);

journey!(
    a_case_reduced_to_its_refusal_keeps_no_extract,
    settings = |s: &mut dsar::config::Settings| s.retention.extract.keep = "2y".into(),
    |app: TestApp| async move {
        app.add_controller(SOCIAL, "Socialnämnden").await;
        let partly = json!({"controller": SOCIAL, "outcome": "partially_granted", "legal_grounds": ["osl_26_1"],
                            "reasons": "Uppgifter om tredje man omfattas av sekretess (26 kap. 1 § OSL)."});
        // The extract's own period is longer than the case's here (the municipality's choice),
        // so the extract is still there when the case is reduced to its refusal.
        let (id, reference) = answered_access_case(
            &app,
            "2024-12-02T09:00:00Z",
            "19551111-2343",
            "Hemlighetsgatan 12",
            partly,
            "2025-01-07T09:00:00Z",
            Some("2025-01-08T09:00:00Z"),
            "2025-01-10T09:00:00Z",
        )
        .await;
        at(&app, "2026-01-10T09:00:00Z");
        let report: Value = retention_run(&app, json!({"dry_run": false}))
            .await
            .json()
            .await
            .unwrap();
        let classes = by_class(&report);
        assert_eq!(
            classes["case_record"],
            [(
                reference.clone(),
                "reduced".to_owned(),
                "2025-01-10".to_owned()
            )]
            .into_iter()
            .collect()
        );
        let case = app
            .get(&Caller::admin(), &format!("/api/v1/cases/{id}"))
            .await;
        assert_eq!(case.status(), StatusCode::OK);
        let case: Value = case.json().await.unwrap();
        assert_eq!(case["subject"]["address"], Value::Null);
        assert_eq!(case["parts"][0]["decision"]["outcome"], "partially_granted");
        // Everything but the decision and the identity is gone: the extract too, with the
        // address it carried.
        assert_eq!(extract_status(&app, &id).await, StatusCode::NOT_FOUND);
        if let Some(bytes) = sqlite_bytes(&app) {
            assert!(
                !occurs(&bytes, "Hemlighetsgatan 12"),
                "the address is still in the SQLite file"
            );
        }
    }
);

/// The `.eml` files of the development mail transport in the app's folder, by outbox id.
fn message_files(app: &TestApp) -> Vec<String> {
    std::fs::read_dir(&app.settings.email.file_dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter_map(|e| e.file_name().into_string().ok())
                .filter(|name| name.ends_with(".eml"))
                .collect()
        })
        .unwrap_or_default()
}

journey!(
    the_message_files_of_a_purged_case_go_with_it,
    settings = |s: &mut dsar::config::Settings| {
        s.jobs.enabled = true;
        s.jobs.sender_interval_ms = 50;
    },
    |app: TestApp| async move {
        app.add_controller(SOCIAL, "Socialnämnden").await;
        let kc = Caller::kontaktcenter();
        at(&app, "2025-01-20T09:00:00Z");
        let request = |received_at: &str| {
            person_request(
                "access",
                received_at,
                "19811120-2340",
                "Filip Filsson",
                "filip@example.se",
                "Filvägen 3",
                "Ett ärende vars kvitto skrevs till fil.",
            )
        };
        let withdrawn = id_of(&app.create_case(&kc, &request("2025-01-20T08:30:00Z")).await);
        let open = id_of(&app.create_case(&kc, &request("2025-01-20T08:40:00Z")).await);
        // The sender writes each receipt as a file.
        let mut waited = 0;
        while message_files(&app).len() < 2 {
            assert!(waited < 600, "the receipts were never written");
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            waited += 1;
        }
        let before = message_files(&app);
        act(
            &app,
            &kc,
            &withdrawn,
            "withdraw",
            json!({"note": "Återkallad."}),
        )
        .await;

        // A year after the withdrawal the case's record period ends, and its receipt's file
        // goes with it; the open case's stays.
        at(&app, "2026-01-21T10:00:00Z");
        let response = retention_run(&app, json!({"dry_run": false})).await;
        assert_eq!(response.status(), StatusCode::OK);
        let report: Value = response.json().await.unwrap();
        // Its journal is kept (no gallringsbeslut covers it), so the case is reduced to what
        // the journal needs: its messages, which carried the address, go.
        let purged = &report["classes"][0]["items"];
        assert_eq!(purged[0]["case_id"], withdrawn.as_str(), "{report}");
        assert_eq!(purged[0]["action"], "reduced", "{report}");
        let after = message_files(&app);
        assert_eq!(after.len(), before.len() - 1, "{before:?} -> {after:?}");
        assert!(after.iter().all(|f| before.contains(f)));
        let open_case = app
            .get(&Caller::admin(), &format!("/api/v1/cases/{open}"))
            .await;
        assert_eq!(open_case.status(), StatusCode::OK);
    }
);
