//! `spawn_app()`: the real application on port 0 against a fresh database, SQLite or PostgreSQL.
//!
//! Every journey runs on SQLite; it runs on PostgreSQL too when `DSAR_TEST_POSTGRES_URL` names a
//! server (e.g. `postgres://postgres@127.0.0.1:5432/postgres`): each test then gets a database
//! of its own, dropped at the end.

use std::io::Write;
use std::path::PathBuf;
use std::sync::{Arc, Once};

use chrono::{DateTime, TimeZone, Utc};
use diesel::{Connection, PgConnection, RunQueryDsl};
use dsar::app::Application;
use dsar::auth::TokenKeys;
use dsar::clock::FixedClock;
use dsar::config::Settings;
use reqwest::{Response, StatusCode};
use serde_json::{json, Value};

pub const POSTGRES_ENV: &str = "DSAR_TEST_POSTGRES_URL";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Runs a journey on both backends: `journey!(name, |app| async move { ... })` makes the tests
/// `name::sqlite` and `name::postgres`.
#[macro_export]
macro_rules! journey {
    ($name:ident, $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let app = $crate::helpers::spawn_app($crate::helpers::Backend::Sqlite).await;
                ($body)(app).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let Some(app) = $crate::helpers::spawn_postgres_app().await else {
                    return;
                };
                ($body)(app).await;
            }
        }
    };
}

/// A Tuesday in March 2026, 10:00 Stockholm time: the default "now" of the tests.
pub fn default_now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 10, 9, 0, 0).unwrap()
}

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub clock: FixedClock,
    pub keys: TokenKeys,
    pub backend: Backend,
    _database: TestDatabase,
}

enum TestDatabase {
    Sqlite(PathBuf),
    Postgres { admin_url: String, name: String },
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        match self {
            TestDatabase::Sqlite(path) => {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
            }
            TestDatabase::Postgres { admin_url, name } => {
                if let Ok(mut conn) = PgConnection::establish(admin_url) {
                    let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&mut conn);
                }
            }
        }
    }
}

pub fn test_settings() -> Settings {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("config");
    Settings::load_from(&dir, "test", false).expect("config/test.toml loads")
}

/// Spawns the app on PostgreSQL, or says once that PostgreSQL is skipped and returns `None`.
pub async fn spawn_postgres_app() -> Option<TestApp> {
    if std::env::var(POSTGRES_ENV).is_err() {
        static SAY_ONCE: Once = Once::new();
        SAY_ONCE.call_once(|| {
            // Written past the test harness's capture, so it shows in `cargo test` output.
            let _ = writeln!(
                std::io::stderr().lock(),
                "\nNOTE: {POSTGRES_ENV} is not set: the PostgreSQL variants of the journeys pass without running. \
                 Set it (e.g. postgres://postgres@127.0.0.1:5432/postgres) to run them; .ci/run always does.\n"
            );
        });
        return None;
    }
    Some(spawn_app(Backend::Postgres).await)
}

pub async fn spawn_app(backend: Backend) -> TestApp {
    spawn_app_with(backend, |_| {}).await
}

/// Spawns the app with settings changed by `adjust` (e.g. the eves policy).
pub async fn spawn_app_with(backend: Backend, adjust: impl FnOnce(&mut Settings)) -> TestApp {
    let mut settings = test_settings();
    settings.server.port = 0;
    settings.server.workers = 2;
    let unique = uuid::Uuid::new_v4().simple().to_string();
    let database = match backend {
        Backend::Sqlite => {
            let path = std::env::temp_dir().join(format!("dsar-test-{unique}.sqlite3"));
            settings.database.url = Some(format!("sqlite://{}", path.display()));
            TestDatabase::Sqlite(path)
        }
        Backend::Postgres => {
            let admin_url = std::env::var(POSTGRES_ENV).expect("PostgreSQL URL");
            let name = format!("dsar_test_{unique}");
            let mut conn = PgConnection::establish(&admin_url).expect("connect to PostgreSQL");
            diesel::sql_query(format!("CREATE DATABASE {name}"))
                .execute(&mut conn)
                .expect("create the test database");
            let base = admin_url.rsplit_once('/').map(|(base, _)| base).unwrap_or(&admin_url);
            settings.database.url = Some(format!("{base}/{name}"));
            TestDatabase::Postgres { admin_url, name }
        }
    };
    adjust(&mut settings);
    let clock = FixedClock::new(default_now());
    let keys = TokenKeys::from_settings(&settings.auth).expect("keys");
    let app = Application::build(settings, Arc::new(clock.clone())).expect("the application starts");
    let address = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped());
    TestApp {
        address,
        client: reqwest::Client::new(),
        clock,
        keys,
        backend,
        _database: database,
    }
}

/// Who is calling: a role, with controllers for a handläggare.
#[derive(Debug, Clone)]
pub struct Caller {
    pub sub: String,
    pub roles: Vec<String>,
    pub controllers: Vec<String>,
}

impl Caller {
    pub fn new(sub: &str, role: &str) -> Self {
        Caller {
            sub: sub.into(),
            roles: vec![role.into()],
            controllers: vec![],
        }
    }
    pub fn etjanst() -> Self {
        Caller::new("e-tjansten", "etjanst")
    }
    pub fn kontaktcenter() -> Self {
        Caller::new("kc-anna", "kontaktcenter")
    }
    pub fn handlaggare(controllers: &[&str]) -> Self {
        Caller {
            controllers: controllers.iter().map(|c| c.to_string()).collect(),
            ..Caller::new("hl-bertil", "handlaggare")
        }
    }
    pub fn dpo() -> Self {
        Caller::new("dpo-cecilia", "dpo")
    }
    pub fn admin() -> Self {
        Caller::new("admin-david", "admin")
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    /// A valid token for `caller`, issued "now" by the wall clock (tokens are checked against real time).
    pub fn token(&self, caller: &Caller) -> String {
        self.keys
            .mint(&caller.sub, "Test", &caller.roles, &caller.controllers, Utc::now().timestamp(), 3600)
            .expect("mint")
    }

    pub async fn get(&self, caller: &Caller, path: &str) -> Response {
        self.client
            .get(self.url(path))
            .bearer_auth(self.token(caller))
            .send()
            .await
            .expect("request")
    }

    pub async fn post(&self, caller: &Caller, path: &str, body: &Value) -> Response {
        self.client
            .post(self.url(path))
            .bearer_auth(self.token(caller))
            .json(body)
            .send()
            .await
            .expect("request")
    }

    pub async fn put(&self, caller: &Caller, path: &str, body: &Value) -> Response {
        self.client
            .put(self.url(path))
            .bearer_auth(self.token(caller))
            .json(body)
            .send()
            .await
            .expect("request")
    }

    /// Adds a controller as an administrator.
    pub async fn add_controller(&self, id: &str, name: &str) {
        let response = self
            .post(&Caller::admin(), "/api/v1/controllers", &json!({"id": id, "name": name}))
            .await;
        assert_eq!(response.status(), StatusCode::CREATED, "add controller {id}");
    }

    /// Creates a case and returns it, asserting 201.
    pub async fn create_case(&self, caller: &Caller, body: &Value) -> Value {
        let response = self.post(caller, "/api/v1/cases", body).await;
        let status = response.status();
        let json: Value = response.json().await.expect("json");
        assert_eq!(status, StatusCode::CREATED, "create case: {json}");
        json
    }

    /// Every case an administrator can see, following the cursor.
    pub async fn all_cases(&self) -> Vec<Value> {
        let mut items = Vec::new();
        let mut path = "/api/v1/cases?limit=500".to_string();
        loop {
            let page: Value = self.get(&Caller::admin(), &path).await.json().await.expect("json");
            items.extend(page["items"].as_array().expect("items").iter().cloned());
            match page["next_cursor"].as_str() {
                Some(cursor) => path = format!("/api/v1/cases?limit=500&cursor={cursor}"),
                None => return items,
            }
        }
    }
}

/// A request as the e-tjänst sends it after a BankID login (Skatteverket's test personnummer).
pub fn etjanst_access_request() -> Value {
    json!({
        "kind": "access",
        "subject": {
            "personnummer": "19121212-1212",
            "name": "Tolvan Tolvansson",
            "address": {"street": "Storgatan 1", "postal_code": "15189", "city": "Södertälje"},
            "email": "tolvan@example.se"
        },
        "identity": {"method": "e_legitimation", "assurance": "loa3"},
        "controllers": ["kommunstyrelsen"]
    })
}

/// Asserts a problem+json response and returns its body.
pub async fn problem(response: Response, status: StatusCode) -> Value {
    assert_eq!(response.status(), status);
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert_eq!(content_type, "application/problem+json");
    let body: Value = response.json().await.expect("problem json");
    assert_eq!(body["status"], status.as_u16());
    assert!(body["code"].is_string() && body["title"].is_string() && body["type"].is_string());
    body
}

/// The field errors of a 422, as (field, code) pairs.
pub fn field_errors(problem: &Value) -> Vec<(String, String)> {
    problem["errors"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .map(|e| (e["field"].as_str().unwrap().to_owned(), e["code"].as_str().unwrap().to_owned()))
                .collect()
        })
        .unwrap_or_default()
}
