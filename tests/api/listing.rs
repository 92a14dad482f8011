//! Finding cases: the list with its filters and pages, the search for a person's cases, the
//! journal and the audit log.

use std::collections::HashSet;

use chrono::Duration;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::*;
use crate::journey;

/// Three requests registered a minute apart by Kontaktcenter (today is Tuesday 2026-03-10):
/// 00001 access by letter from Tolvan received 2026-02-02, due 2026-03-02 (already overdue);
/// 00002 erasure by phone from Maria received 2026-03-03, due 2026-04-07 (after Easter);
/// 00003 rectification by e-mail from Tolvan received today, due 2026-04-10.
async fn three_cases(app: &TestApp) -> Vec<Value> {
    app.add_controller("kommunstyrelsen", "Kommunstyrelsen")
        .await;
    app.add_controller("socialnamnden", "Socialnämnden").await;
    let kc = Caller::kontaktcenter();
    let mut cases = Vec::new();
    for (kind, channel, received_at, personnummer, controllers) in [
        (
            "access",
            "letter",
            "2026-02-02T10:00:00Z",
            "19121212-1212",
            vec!["kommunstyrelsen"],
        ),
        (
            "erasure",
            "phone",
            "2026-03-03T10:00:00Z",
            "19850101-2382",
            vec!["socialnamnden"],
        ),
        (
            "rectification",
            "email",
            "2026-03-10T08:00:00Z",
            "191212121212",
            vec!["kommunstyrelsen", "socialnamnden"],
        ),
    ] {
        cases.push(
            app.create_case(
                &kc,
                &NewCase::logged(kind, channel, received_at)
                    .subject(personnummer)
                    .controllers(&controllers),
            )
            .await,
        );
        app.clock.advance(Duration::minutes(1));
    }
    assert_eq!(
        references(&cases),
        vec!["DSAR-2026-00001", "DSAR-2026-00002", "DSAR-2026-00003"]
    );
    assert_eq!(
        cases
            .iter()
            .map(|c| c["deadline"].as_str().unwrap())
            .collect::<Vec<_>>(),
        vec!["2026-03-02", "2026-04-07", "2026-04-10"]
    );
    cases
}

/// The references listed at `path` by the DPO, and the page's `next_cursor`.
async fn listed(app: &TestApp, path: &str) -> (Vec<String>, Option<String>) {
    let response = app.get(&Caller::dpo(), path).await;
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    let page: Page = response.json().await.unwrap();
    (references(&page.items), page.next_cursor)
}

journey!(the_list_shows_the_newest_first, |app: TestApp| async move {
    three_cases(&app).await;
    let (list, next) = listed(&app, "/api/v1/cases").await;
    assert_eq!(
        list,
        vec!["DSAR-2026-00003", "DSAR-2026-00002", "DSAR-2026-00001"]
    );
    assert_eq!(next, None);

    let page: Value = app
        .get(&Caller::dpo(), "/api/v1/cases")
        .await
        .json()
        .await
        .unwrap();
    let overdue: Vec<(&str, i64, bool)> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["reference"].as_str().unwrap(),
                c["days_left"].as_i64().unwrap(),
                c["overdue"].as_bool().unwrap(),
            )
        })
        .collect();
    // Today is 2026-03-10 (the clock moved three minutes).
    assert_eq!(
        overdue,
        vec![
            ("DSAR-2026-00003", 31, false),
            ("DSAR-2026-00002", 28, false),
            ("DSAR-2026-00001", -8, true)
        ]
    );
});

journey!(
    pages_of_two_walk_through_every_case_once,
    |app: TestApp| async move {
        let kc = Caller::kontaktcenter();
        // Seven cases: three registered in the same instant, the others a minute apart.
        for i in 0..7 {
            app.create_case(
                &kc,
                &NewCase::logged("access", "letter", "2026-03-09T10:00:00Z"),
            )
            .await;
            if i >= 3 {
                app.clock.advance(Duration::minutes(1));
            }
        }
        let (everything, _) = listed(&app, "/api/v1/cases").await;
        assert_eq!(everything.len(), 7);

        for sort in ["", "&sort=deadline"] {
            let (mut all, mut cursor) = listed(&app, &format!("/api/v1/cases?limit=2{sort}")).await;
            let mut pages = 1;
            while let Some(next) = cursor {
                let (items, following) =
                    listed(&app, &format!("/api/v1/cases?limit=2{sort}&cursor={next}")).await;
                assert!(!items.is_empty(), "a cursor led to an empty page");
                all.extend(items);
                cursor = following;
                pages += 1;
            }
            assert_eq!(pages, 4, "sort {sort}");
            let unique: HashSet<&String> = all.iter().collect();
            assert_eq!(unique.len(), 7, "no case twice: {all:?}");
            if sort.is_empty() {
                assert_eq!(all, everything, "the pages together are the list");
            }
        }
    }
);

journey!(the_filters_narrow_the_list, |app: TestApp| async move {
    three_cases(&app).await;
    let expectations = [
        (
            "status=received",
            vec!["DSAR-2026-00003", "DSAR-2026-00002", "DSAR-2026-00001"],
        ),
        (
            "status=received,in_progress",
            vec!["DSAR-2026-00003", "DSAR-2026-00002", "DSAR-2026-00001"],
        ),
        ("status=closed", vec![]),
        ("status=withdrawn,decided", vec![]),
        ("kind=erasure", vec!["DSAR-2026-00002"]),
        ("kind=portability", vec![]),
        (
            "controller=socialnamnden",
            vec!["DSAR-2026-00003", "DSAR-2026-00002"],
        ),
        (
            "controller=kommunstyrelsen",
            vec!["DSAR-2026-00003", "DSAR-2026-00001"],
        ),
        ("overdue=true", vec!["DSAR-2026-00001"]),
        // Strictly before the date.
        (
            "due_before=2026-04-08",
            vec!["DSAR-2026-00002", "DSAR-2026-00001"],
        ),
        ("due_before=2026-04-07", vec!["DSAR-2026-00001"]),
        ("due_before=2026-03-02", vec![]),
        (
            "sort=deadline",
            vec!["DSAR-2026-00001", "DSAR-2026-00002", "DSAR-2026-00003"],
        ),
        (
            "sort=deadline&controller=socialnamnden",
            vec!["DSAR-2026-00002", "DSAR-2026-00003"],
        ),
        (
            "sort=newest",
            vec!["DSAR-2026-00003", "DSAR-2026-00002", "DSAR-2026-00001"],
        ),
        (
            "extended=false",
            vec!["DSAR-2026-00003", "DSAR-2026-00002", "DSAR-2026-00001"],
        ),
        ("extended=true", vec![]),
        (
            "kind=rectification&controller=socialnamnden&status=received",
            vec!["DSAR-2026-00003"],
        ),
    ];
    for (query, expected) in expectations {
        let (list, _) = listed(&app, &format!("/api/v1/cases?{query}")).await;
        assert_eq!(list, expected, "?{query}");
    }
});

journey!(
    cases_become_overdue_as_time_passes,
    |app: TestApp| async move {
        three_cases(&app).await;
        // Wednesday 2026-04-08: the day after the erasure's deadline.
        app.clock.set(utc("2026-04-08T08:00:00Z"));
        let (overdue, _) = listed(&app, "/api/v1/cases?overdue=true").await;
        assert_eq!(overdue, vec!["DSAR-2026-00002", "DSAR-2026-00001"]);
        let (by_deadline, _) = listed(&app, "/api/v1/cases?overdue=true&sort=deadline").await;
        assert_eq!(by_deadline, vec!["DSAR-2026-00001", "DSAR-2026-00002"]);

        let page: Value = app
            .get(&Caller::dpo(), "/api/v1/cases?sort=deadline")
            .await
            .json()
            .await
            .unwrap();
        let state: Vec<(i64, bool)> = page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                (
                    c["days_left"].as_i64().unwrap(),
                    c["overdue"].as_bool().unwrap(),
                )
            })
            .collect();
        assert_eq!(state, vec![(-37, true), (-1, true), (2, false)]);

        // On its last day a case is due, not overdue.
        app.clock.set(utc("2026-04-07T21:59:00Z"));
        let (overdue, _) = listed(&app, "/api/v1/cases?overdue=true").await;
        assert_eq!(overdue, vec!["DSAR-2026-00001"]);
    }
);

journey!(
    kontaktcenter_finds_a_persons_earlier_requests,
    |app: TestApp| async move {
        three_cases(&app).await;
        let kc = Caller::kontaktcenter();
        let search = |personnummer: &str| {
            let app = &app;
            let kc = &kc;
            let body = json!({ "personnummer": personnummer });
            async move {
                let response = app.post(kc, "/api/v1/cases/search", &body).await;
                assert_eq!(response.status(), StatusCode::OK);
                let page: Value = response.json().await.unwrap();
                assert_eq!(page["next_cursor"], Value::Null);
                references(page["items"].as_array().unwrap())
            }
        };

        // Tolvan (born 1912, so over 100: the short form has a plus), however the number is written.
        for written in [
            "191212121212",
            "19121212-1212",
            "121212+1212",
            " 19121212-1212 ",
        ] {
            assert_eq!(
                search(written).await,
                vec!["DSAR-2026-00003", "DSAR-2026-00001"],
                "{written:?}"
            );
        }
        // Maria (born 1985).
        for written in ["198501012382", "19850101-2382", "850101-2382", "8501012382"] {
            assert_eq!(
                search(written).await,
                vec!["DSAR-2026-00002"],
                "{written:?}"
            );
        }
        // 121212-1212 is someone else (test personnummer 201212121212, born 2012): no cases.
        assert_eq!(search("121212-1212").await, Vec::<String>::new());
        // A person with no requests.
        assert_eq!(search("19900101-2385").await, Vec::<String>::new());
    }
);

journey!(
    the_dpo_reads_who_registered_and_who_read_a_case,
    |app: TestApp| async move {
        app.add_controller("kommunstyrelsen", "Kommunstyrelsen")
            .await;
        let case = app
            .create_case(
                &Caller::kontaktcenter(),
                &NewCase::logged("access", "letter", "2026-03-09T10:00:00Z")
                    .controllers(&["kommunstyrelsen"]),
            )
            .await;
        let id = case["id"].as_str().unwrap();
        app.clock.advance(Duration::minutes(5));
        let handlaggare = Caller::handlaggare(&["kommunstyrelsen"]);
        let read = app.get(&handlaggare, &format!("/api/v1/cases/{id}")).await;
        assert_eq!(read.status(), StatusCode::OK);

        let mut entries = app.audit_log(Some(id)).await;
        // Newest first: reverse to read it as a story.
        entries.reverse();
        let story: Vec<Value> = entries
        .iter()
        .map(|e| {
            assert!(e["request_id"].is_string(), "{e}");
            assert!(e["id"].is_i64(), "{e}");
            json!({"at": e["at"], "actor": e["actor"], "roles": e["roles"], "action": e["action"], "case_id": e["case_id"]})
        })
        .collect();
        assert_eq!(
            story,
            vec![
                json!({"at": "2026-03-10T09:00:00Z", "actor": "kc-anna", "roles": "kontaktcenter", "action": "case.create", "case_id": id}),
                json!({"at": "2026-03-10T09:05:00Z", "actor": "hl-bertil", "roles": "handlaggare", "action": "case.read", "case_id": id}),
            ]
        );

        // Another case's entries are not in this case's log.
        let other = app
            .create_case(
                &Caller::kontaktcenter(),
                &NewCase::logged("access", "letter", "2026-03-09T10:00:00Z"),
            )
            .await;
        assert_eq!(app.audit_log(Some(id)).await.len(), 2);
        assert_eq!(
            app.audit_log(Some(other["id"].as_str().unwrap()))
                .await
                .len(),
            1
        );
    }
);

journey!(
    the_audit_log_pages_without_repeats,
    |app: TestApp| async move {
        let kc = Caller::kontaktcenter();
        for _ in 0..5 {
            app.create_case(
                &kc,
                &NewCase::logged("access", "letter", "2026-03-09T10:00:00Z"),
            )
            .await;
        }
        let seen: Vec<i64> = app
            .every_page(
                &Caller::dpo(),
                "/api/v1/audit?limit=2",
                "read the audit log",
            )
            .await
            .iter()
            .map(|e| e["id"].as_i64().unwrap())
            .collect();
        assert_eq!(seen.len(), 5);
        let mut sorted = seen.clone();
        sorted.sort_unstable_by(|a, b| b.cmp(a));
        sorted.dedup();
        assert_eq!(seen, sorted, "newest first, each once");
    }
);

journey!(
    a_new_case_has_one_received_event_in_its_journal,
    |app: TestApp| async move {
        app.add_controller("kommunstyrelsen", "Kommunstyrelsen")
            .await;
        let case = app
            .create_case(
                &Caller::kontaktcenter(),
                &NewCase::logged("access", "letter", "2026-03-03T09:00:00Z")
                    .controllers(&["kommunstyrelsen"]),
            )
            .await;
        let journal = app
            .journal(&Caller::dpo(), case["id"].as_str().unwrap())
            .await;
        assert_eq!(
            journal,
            vec![json!({
                "at": "2026-03-10T09:00:00Z",
                "actor": "kc-anna",
                "roles": "kontaktcenter",
                "event": "received",
                "data": {
                    "reference": "DSAR-2026-00001",
                    "kind": "access",
                    "channel": "letter",
                    "received_date": "2026-03-03",
                    "deadline": "2026-04-07",
                    "controllers": ["kommunstyrelsen"],
                    "identity_verified": false,
                    "protected_identity": false,
                    "subject_identified_by": "personnummer",
                    // No e-mail address: the acknowledgement goes by letter.
                    "receipt": "letter"
                }
            })]
        );
    }
);

journey!(
    a_page_of_cases_is_one_audit_entry_that_every_listed_case_shows,
    |app: TestApp| async move {
        app.add_controller("kommunstyrelsen", "Kommunstyrelsen")
            .await;
        let mut ids = Vec::new();
        for _ in 0..3 {
            let request = NewCase::logged("access", "letter", "2026-03-09T10:00:00Z")
                .subject("191212121212")
                .controllers(&["kommunstyrelsen"]);
            ids.push(id_of(
                &app.create_case(&Caller::kontaktcenter(), &request).await,
            ));
        }
        let page = app.get(&Caller::dpo(), "/api/v1/cases").await;
        assert_eq!(page.status(), StatusCode::OK);

        let lists: Vec<Value> = app
            .audit_log(None)
            .await
            .into_iter()
            .filter(|e| e["action"] == "case.list")
            .collect();
        assert_eq!(lists.len(), 1, "one entry for the page: {lists:?}");
        let listed: HashSet<&str> = lists[0]["case_ids"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        assert_eq!(listed, ids.iter().map(String::as_str).collect());

        // Each case's own log shows that it was listed, and by whom.
        for id in &ids {
            let log = app.audit_log(Some(id)).await;
            let actions: Vec<&str> = log.iter().map(|e| e["action"].as_str().unwrap()).collect();
            assert_eq!(actions, vec!["case.list", "case.create"], "{id}");
            assert_eq!(log[0]["case_id"], id.as_str());
            assert_eq!(log[0]["roles"], "dpo");
        }
    }
);

journey!(
    the_csv_export_of_more_cases_than_one_page_has_every_case_once_and_audits_each_page,
    |app: TestApp| async move {
        app.add_controller("kommunstyrelsen", "Kommunstyrelsen")
            .await;
        let kc = Caller::kontaktcenter();
        let count = dsar::cases::service::EXPORT_PAGE as usize + 5;
        let body = NewCase::logged("access", "letter", "2026-03-02T09:00:00Z")
            .subject("19121212-1212")
            .controllers(&["kommunstyrelsen"])
            .json();
        for chunk in 0..count.div_ceil(50) {
            let n = 50.min(count - chunk * 50);
            let created = futures_util::future::join_all(
                (0..n).map(|_| app.post(&kc, "/api/v1/cases", &body)),
            )
            .await;
            assert!(created.iter().all(|r| r.status() == StatusCode::CREATED));
        }
        let response = app.get(&Caller::dpo(), "/api/v1/cases?format=csv").await;
        assert_eq!(response.status(), StatusCode::OK);
        let text = response.text().await.unwrap();
        let references: HashSet<&str> = text
            .lines()
            .skip(1)
            .map(|line| line.split(';').next().unwrap())
            .collect();
        assert_eq!(
            text.lines().count(),
            count + 1,
            "a header and one line per case"
        );
        assert_eq!(references.len(), count, "every case once");
        // Each page was audited before it was sent: two entries, naming every case between them.
        let audit = app.audit_log(None).await;
        let exports: Vec<&Value> = audit
            .iter()
            .filter(|e| e["action"] == "case.export_csv")
            .collect();
        assert_eq!(exports.len(), 2, "{exports:?}");
    }
);

journey!(
    looking_people_up_in_bulk_is_limited_per_member_of_staff,
    settings = |s: &mut dsar::config::Settings| {
        s.server.searches_per_minute = 3;
        s.server.exports_per_hour = 1;
    },
    |app: TestApp| async move {
        three_cases(&app).await;
        let search = |caller: Caller| {
            let app = &app;
            async move {
                app.post(
                    &caller,
                    "/api/v1/cases/search",
                    &json!({"personnummer": "191212121212"}),
                )
                .await
            }
        };
        // Three searches a minute, then the desk waits; a colleague at the same desk does not.
        for _ in 0..3 {
            assert_eq!(
                search(Caller::kontaktcenter()).await.status(),
                StatusCode::OK
            );
        }
        let refused = search(Caller::kontaktcenter()).await;
        assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
        let wait: u64 = refused.headers()["Retry-After"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!((1..=60).contains(&wait), "{wait}");
        assert_eq!(
            problem(refused, StatusCode::TOO_MANY_REQUESTS).await["code"],
            "rate_limited"
        );
        let colleague = Caller::new("kc-2", "kontaktcenter");
        assert_eq!(search(colleague).await.status(), StatusCode::OK);

        // One CSV export an hour per person; the list itself is not limited.
        let dpo = Caller::dpo();
        let first = app.get(&dpo, "/api/v1/cases?format=csv").await;
        assert_eq!(first.status(), StatusCode::OK);
        let second = app.get(&dpo, "/api/v1/cases?format=csv").await;
        assert_eq!(
            problem(second, StatusCode::TOO_MANY_REQUESTS).await["code"],
            "rate_limited"
        );
        assert_eq!(
            app.get(&dpo, "/api/v1/cases").await.status(),
            StatusCode::OK
        );
    }
);
