//! Personal data at rest (docs/security.md, "Encryption at rest"): what a case holds is not
//! readable in the database's own files, the service reads it all back, and `dsar keys rotate`
//! seals everything, also what was stored before sealing, under a new key while the service
//! runs.

use diesel::prelude::*;
use diesel::sql_types::Text;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::casework::{add_namnder, decide, read_case, work_ok};
use crate::helpers::*;
use crate::journey;

/// Skatteverket's test number for Tolvan, and the forms it could be written in.
const PERSONNUMMER: &str = "19121212-1212";
const NUMBER_FORMS: [&str; 3] = ["191212121212", "19121212-1212", "121212+1212"];
/// What of the number could show in the files, however it was written.
const NUMBER_DIGITS: [&str; 3] = ["1212121212", "121212-1212", "121212+1212"];
/// The guardian's test number.
const GUARDIAN: &str = "19850101-2382";

/// Everything of the case that must not be readable at rest: each one distinctive enough
/// that finding it can only mean the value was stored in clear.
const SECRETS: [&str; 10] = [
    "Tolvan Krypteringsson",
    "Hemligagatan 17",
    "tolvan.krypto@example.se",
    "Maria Vårdnadshavare",
    "Beskrivning om grannens hund 4242",
    "Fyndet om ekonomiskt bistånd 9191",
    "Bilagans innehåll 5151",
    "bilaga-om-tolvan-7777.txt",
    "Förlängt eftersom akterna finns i arkivet 1313",
    "Skälet till begränsningen 2323",
];

fn tolvans_request() -> Value {
    json!({
        "kind": "access",
        "channel": "letter",
        "received_at": "2026-03-09T10:00:00Z",
        "subject": {
            "personnummer": PERSONNUMMER,
            "name": SECRETS[0],
            "address": {"street": SECRETS[1], "postal_code": "151 89", "city": "Södertälje"},
            "email": SECRETS[2],
            "phone": "070-123 45 67"
        },
        "representative": {
            "kind": "power_of_attorney",
            "personnummer": GUARDIAN,
            "name": SECRETS[3],
            "email": "maria.krypto@example.se"
        },
        "identity": {"method": "signed_form"},
        "description": SECRETS[4],
        "controllers": ["kommunstyrelsen"]
    })
}

/// A case that touches every table holding personal data: parties, journal, findings, an
/// attachment, the extract, an extension, a restriction, a decision, letters and messages.
async fn a_case_through_every_table(app: &TestApp) -> String {
    add_namnder(app).await;
    app.import_seed_register("kommunstyrelsen").await;
    let kc = Caller::kontaktcenter();
    let hl = Caller::handlaggare(&["kommunstyrelsen"]);
    let case = app.create_case(&kc, &tolvans_request()).await;
    let id = id_of(&case);
    work_ok(
        app,
        &kc,
        &id,
        "identity",
        &json!({"action": "verify", "party": "representative", "method": "id_document",
                "document_type": "pass"}),
        StatusCode::OK,
    )
    .await;
    work_ok(
        app,
        &hl,
        &id,
        "extension",
        &json!({"reason": SECRETS[8]}),
        StatusCode::OK,
    )
    .await;
    let activity = app
        .activity_named("kommunstyrelsen", "Ärendehantering i Kontaktcenter")
        .await;
    let activity_id = id_of(&activity);
    let finding = app
        .put(
            &hl,
            &format!("/api/v1/cases/{id}/findings/{activity_id}"),
            &json!({"found": true, "data": SECRETS[5], "secrecy": "release"}),
        )
        .await;
    assert_eq!(finding.status(), StatusCode::OK);
    let attached = app
        .send(
            app.request(
                Method::POST,
                &format!("/api/v1/cases/{id}/findings/{activity_id}/attachments"),
                Some(&hl),
            )
            .header("Content-Type", "text/plain")
            .header(
                "Content-Disposition",
                format!("attachment; filename*=UTF-8''{}", SECRETS[7]),
            )
            .body(SECRETS[6].as_bytes().to_vec()),
        )
        .await;
    assert_eq!(attached.status(), StatusCode::CREATED);
    // Restriction is a request of its own (Art. 18): Tolvan asks for it too.
    let mut restriction = tolvans_request();
    restriction["kind"] = json!("restriction");
    let restriction_case = id_of(&app.create_case(&kc, &restriction).await);
    let restricted = app
        .post(
            &hl,
            &format!("/api/v1/cases/{restriction_case}/restrictions"),
            &json!({"activity_id": activity_id, "reason": SECRETS[9]}),
        )
        .await;
    assert_eq!(
        restricted.status(),
        StatusCode::CREATED,
        "{}",
        restricted.text().await.unwrap()
    );
    let compiled = app
        .post(&hl, &format!("/api/v1/cases/{id}/extract"), &json!({}))
        .await;
    assert_eq!(
        compiled.status(),
        StatusCode::CREATED,
        "{}",
        compiled.text().await.unwrap()
    );
    decide(
        app,
        &hl,
        &id,
        &json!({"controller": "kommunstyrelsen", "outcome": "granted",
                "recipients_not_notified_reason": "Uppgifterna har inte lämnats ut."}),
    )
    .await;
    id
}

/// The test's own view of the database as raw bytes: the SQLite file with its WAL, or every
/// row of every PostgreSQL table as text (bytea columns in hex).
fn raw_database(app: &TestApp) -> Vec<u8> {
    if let Some(path) = app.sqlite_path() {
        let mut bytes = Vec::new();
        for suffix in ["", "-wal"] {
            if let Ok(file) = std::fs::read(format!("{}{suffix}", path.display())) {
                bytes.extend(file);
            }
        }
        return bytes;
    }
    #[derive(QueryableByName)]
    struct Name {
        #[diesel(sql_type = Text)]
        tablename: String,
    }
    #[derive(QueryableByName)]
    struct Row {
        #[diesel(sql_type = Text)]
        row: String,
    }
    let mut conn = app.database();
    let dsar::db::DbConnection::Postgresql(pg) = &mut conn else {
        unreachable!("not SQLite, so PostgreSQL")
    };
    let tables: Vec<Name> =
        diesel::sql_query("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
            .load(pg)
            .unwrap();
    let mut bytes = Vec::new();
    for table in tables {
        let rows: Vec<Row> = diesel::sql_query(format!(
            "SELECT CAST(t AS TEXT) AS row FROM {} t",
            table.tablename
        ))
        .load(pg)
        .unwrap();
        for row in rows {
            bytes.extend(row.row.into_bytes());
            bytes.push(b'\n');
        }
    }
    bytes
}

fn hex(text: &str) -> String {
    text.bytes().map(|b| format!("{b:02x}")).collect()
}

/// The secrets and number forms found in `raw`, as they were found (in clear or in hex).
fn readable(raw: &[u8]) -> Vec<String> {
    let haystack = String::from_utf8_lossy(raw);
    SECRETS
        .iter()
        .chain(NUMBER_DIGITS.iter())
        .chain(["198501012382", "850101-2382"].iter())
        .flat_map(|secret| [secret.to_string(), hex(secret)])
        .filter(|needle| haystack.contains(needle.as_str()))
        .collect()
}

journey!(
    nothing_of_a_case_is_readable_in_the_database_files,
    |app: TestApp| async move {
        let id = a_case_through_every_table(&app).await;
        let found = readable(&raw_database(&app));
        assert!(found.is_empty(), "readable at rest: {found:?}");

        // The service reads it all back: the case, the finding, the extract, the attachment.
        let hl = Caller::handlaggare(&["kommunstyrelsen"]);
        let case = read_case(&app, &hl, &id).await;
        assert_eq!(case["subject"]["name"], SECRETS[0]);
        assert_eq!(case["subject"]["address"]["street"], SECRETS[1]);
        assert_eq!(case["representative"]["name"], SECRETS[3]);
        assert_eq!(case["description"], SECRETS[4]);
        assert_eq!(case["extension"]["reason"], SECRETS[8]);
        let extract = app
            .get(&hl, &format!("/api/v1/cases/{id}/extract"))
            .await
            .text()
            .await
            .unwrap();
        assert!(extract.contains(SECRETS[5]), "{extract}");
        let attachments: Value = app
            .get(&hl, &format!("/api/v1/cases/{id}/attachments"))
            .await
            .json()
            .await
            .unwrap();
        let attachment = &attachments[0];
        assert_eq!(attachment["file_name"], SECRETS[7]);
        let content = app
            .get(
                &hl,
                &format!(
                    "/api/v1/cases/{id}/attachments/{}",
                    attachment["id"].as_str().unwrap()
                ),
            )
            .await
            .bytes()
            .await
            .unwrap();
        assert_eq!(&content[..], SECRETS[6].as_bytes());

        // The person is still found by number, in any form, through the keyed hash.
        let kc = Caller::kontaktcenter();
        for written in NUMBER_FORMS {
            let page: Value = app
                .post(
                    &kc,
                    "/api/v1/cases/search",
                    &json!({"personnummer": written}),
                )
                .await
                .json()
                .await
                .unwrap();
            assert_eq!(page["items"].as_array().unwrap().len(), 2, "{written}");
        }
        let status: Value = app
            .post(
                &Caller::etjanst(),
                "/api/v1/citizen/cases",
                &json!({"personnummer": GUARDIAN}),
            )
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(status["items"].as_array().unwrap().len(), 2);
    }
);

/// Runs `dsar keys rotate` against the app's database with dev-2 as the current key, the
/// way an operator runs it beside the service; returns its standard output.
fn rotate_to_dev_2(app: &TestApp) -> String {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_dsar"))
        .args(["keys", "rotate"])
        .env("DSAR_ENV", "test")
        .env(
            "DSAR_CONFIG_DIR",
            concat!(env!("CARGO_MANIFEST_DIR"), "/config"),
        )
        .env("DSAR__DATABASE__URL", app.settings.database_url())
        .env("DSAR__ENCRYPTION__CURRENT", "dev-2")
        .env("PGSSLMODE", "disable")
        .output()
        .expect("dsar runs");
    assert!(
        output.status.success(),
        "dsar keys rotate: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// The raw values of a sealed column: what the database holds, not what the service reads.
fn raw_values(app: &TestApp, table: &str, column: &str) -> Vec<String> {
    #[derive(QueryableByName)]
    struct Value {
        #[diesel(sql_type = Text)]
        v: String,
    }
    let sql = format!("SELECT CAST({column} AS TEXT) AS v FROM {table} WHERE {column} IS NOT NULL");
    let rows: Vec<Value> = match &mut app.database() {
        dsar::db::DbConnection::Postgresql(pg) => diesel::sql_query(sql).load(pg).unwrap(),
        dsar::db::DbConnection::Sqlite(sqlite) => diesel::sql_query(sql).load(sqlite).unwrap(),
    };
    rows.into_iter().map(|r| r.v).collect()
}

fn execute(app: &TestApp, sql: &str) {
    match &mut app.database() {
        dsar::db::DbConnection::Postgresql(pg) => diesel::sql_query(sql).execute(pg).unwrap(),
        dsar::db::DbConnection::Sqlite(sqlite) => diesel::sql_query(sql).execute(sqlite).unwrap(),
    };
}

journey!(
    keys_rotate_seals_everything_under_the_new_key_while_the_service_runs,
    |app: TestApp| async move {
        let id = a_case_through_every_table(&app).await;
        // A second case as a release before sealing stored it: in clear, its number too.
        let kc = Caller::kontaktcenter();
        let mut request = tolvans_request();
        request["subject"]["personnummer"] = json!("18900101-9802");
        request["representative"] = Value::Null;
        let old = id_of(&app.create_case(&kc, &request).await);
        execute(
            &app,
            &format!(
                "UPDATE cases SET description = 'Före krypteringen 8888', \
                 subject_personnummer = '189001019802' WHERE id = '{old}'"
            ),
        );
        let hl = Caller::handlaggare(&["kommunstyrelsen"]);
        assert_eq!(
            read_case(&app, &hl, &old).await["description"],
            "Före krypteringen 8888"
        );

        let report: Value = serde_json::from_str(&rotate_to_dev_2(&app)).unwrap();
        let resealed = |table: &str, column: &str| {
            report
                .as_array()
                .unwrap()
                .iter()
                .find(|c| c["table"] == table && c["column"] == column)
                .unwrap_or_else(|| panic!("{table}.{column} in {report}"))["resealed"]
                .as_u64()
                .unwrap()
        };
        // The three cases' descriptions: two sealed under dev-1, one in clear.
        assert_eq!(resealed("cases", "description"), 3);
        assert_eq!(resealed("cases", "subject_personnummer"), 1);
        assert!(resealed("finding_attachments", "content") >= 1);

        // Every sealed value now names dev-2; every number is a keyed hash.
        for (table, column) in [
            ("cases", "subject"),
            ("cases", "description"),
            ("cases", "extension_reason"),
            ("case_events", "data"),
            ("findings", "data"),
            ("extracts", "content"),
            ("decisions", "text_sv"),
            ("restrictions", "reason"),
            ("outbox", "params"),
            ("finding_attachments", "file_name"),
        ] {
            let values = raw_values(&app, table, column);
            assert!(!values.is_empty(), "{table}.{column}");
            for value in values {
                assert!(
                    value.starts_with("sealed:v1:dev-2:"),
                    "{table}.{column}: {}",
                    &value[..value.len().min(20)]
                );
            }
        }
        for value in raw_values(&app, "cases", "subject_personnummer") {
            assert!(dsar::crypto::is_blind_index(&value));
        }
        assert!(readable(&raw_database(&app)).is_empty());
        assert!(!String::from_utf8_lossy(&raw_database(&app)).contains("Före krypteringen"));

        // The running service reads everything under the new key, and finds the old case by
        // its number now that it is hashed.
        let case = read_case(&app, &hl, &id).await;
        assert_eq!(case["subject"]["name"], SECRETS[0]);
        assert_eq!(
            read_case(&app, &hl, &old).await["description"],
            "Före krypteringen 8888"
        );
        let page: Value = app
            .post(
                &kc,
                "/api/v1/cases/search",
                &json!({"personnummer": "189001019802"}),
            )
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(page["items"][0]["id"], old.as_str());

        // A second run has nothing left to do.
        let again: Value = serde_json::from_str(&rotate_to_dev_2(&app)).unwrap();
        assert!(again.as_array().unwrap().iter().all(|c| c["resealed"] == 0));
    }
);
