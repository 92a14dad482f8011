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
use reqwest::{Method, RequestBuilder, Response, StatusCode};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

pub const POSTGRES_ENV: &str = "DSAR_TEST_POSTGRES_URL";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Runs a journey on both backends: `journey!(name, |app| async move { ... })` makes the tests
/// `name::sqlite` and `name::postgres`.
///
/// `journey!(name, settings = |s: &mut Settings| ..., |app| async move { ... })` runs it with
/// settings changed (e.g. the eves policy), on both backends too.
#[macro_export]
macro_rules! journey {
    ($name:ident, settings = $adjust:expr, $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let app =
                    $crate::helpers::spawn_app_with($crate::helpers::Backend::Sqlite, $adjust)
                        .await;
                ($body)(app).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let Some(app) = $crate::helpers::spawn_postgres_app_with($adjust).await else {
                    return;
                };
                ($body)(app).await;
            }
        }
    };
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
    /// Stops the server and its jobs (a crash or a restart in a test).
    pub handle: dsar::app::ApplicationHandle,
    /// The settings the app was started with (the database URL, to start a second instance).
    pub settings: Settings,
    _database: TestDatabase,
    _outbox: OutboxDir,
}

/// The app's own folder for the file mail transport, removed with the app.
struct OutboxDir(PathBuf);

impl Drop for OutboxDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
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
                    let _ =
                        diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                            .execute(&mut conn);
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
    spawn_postgres_app_with(|_| {}).await
}

/// As [`spawn_postgres_app`], with settings changed by `adjust`.
pub async fn spawn_postgres_app_with(adjust: impl FnOnce(&mut Settings)) -> Option<TestApp> {
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
    Some(spawn_app_with(Backend::Postgres, adjust).await)
}

pub async fn spawn_app(backend: Backend) -> TestApp {
    spawn_app_with(backend, |_| {}).await
}

fn database_url(text: &str) -> dsar::db::DatabaseUrl {
    dsar::db::DatabaseUrl::parse(text).expect("a test database URL")
}

/// Spawns the app with settings changed by `adjust` (e.g. the eves policy).
pub async fn spawn_app_with(backend: Backend, adjust: impl FnOnce(&mut Settings)) -> TestApp {
    let mut settings = test_settings();
    settings.server.port = 0;
    settings.server.workers = 2;
    let unique = uuid::Uuid::new_v4().simple().to_string();
    let outbox = std::env::temp_dir().join(format!("dsar-test-{unique}-outbox"));
    settings.email.file_dir = outbox.display().to_string();
    let database = match backend {
        Backend::Sqlite => {
            let path = std::env::temp_dir().join(format!("dsar-test-{unique}.sqlite3"));
            settings.database.url = Some(database_url(&format!("sqlite://{}", path.display())));
            TestDatabase::Sqlite(path)
        }
        Backend::Postgres => {
            let admin_url = std::env::var(POSTGRES_ENV).expect("PostgreSQL URL");
            let name = format!("dsar_test_{unique}");
            let mut conn = PgConnection::establish(&admin_url).expect("connect to PostgreSQL");
            diesel::sql_query(format!("CREATE DATABASE {name}"))
                .execute(&mut conn)
                .expect("create the test database");
            let base = admin_url
                .rsplit_once('/')
                .map(|(base, _)| base)
                .unwrap_or(&admin_url);
            settings.database.url = Some(database_url(&format!("{base}/{name}")));
            TestDatabase::Postgres { admin_url, name }
        }
    };
    adjust(&mut settings);
    let clock = FixedClock::new(default_now());
    let keys = TokenKeys::from_settings(&settings.auth).expect("keys");
    let app = Application::build(settings.clone(), Arc::new(clock.clone()))
        .expect("the application starts");
    let address = format!("http://127.0.0.1:{}", app.port());
    let handle = app.handle();
    tokio::spawn(app.run_until_stopped());
    TestApp {
        address,
        client: reqwest::Client::new(),
        clock,
        keys,
        backend,
        handle,
        settings,
        _database: database,
        _outbox: OutboxDir(outbox),
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
        Caller::named_handlaggare("hl-bertil", controllers)
    }
    /// A handläggare with a name of their own, working for `controllers`.
    pub fn named_handlaggare(sub: &str, controllers: &[&str]) -> Self {
        Caller {
            controllers: controllers.iter().map(|c| c.to_string()).collect(),
            ..Caller::new(sub, "handlaggare")
        }
    }
    pub fn dpo() -> Self {
        Caller::new("dpo-cecilia", "dpo")
    }
    pub fn admin() -> Self {
        Caller::new("admin-david", "admin")
    }
    /// The name in the caller's token, as letters show it.
    pub fn name(&self) -> &str {
        match self.sub.as_str() {
            "hl-sara" => "Sara Ek",
            "hl-bertil" => "Bertil Ås",
            "hl-sven" => "Sven Berg",
            "kc-anna" => "Anna Holm",
            "dpo-cecilia" => "Cecilia Dahl",
            "admin-david" => "David Lund",
            "e-tjansten" => "E-tjänsten",
            other => other,
        }
    }
}

impl TestApp {
    /// A valid token for `caller`, issued "now" by the wall clock (tokens are checked against real time).
    pub fn token(&self, caller: &Caller) -> String {
        self.keys
            .mint(
                &caller.sub,
                caller.name(),
                &caller.roles,
                &caller.controllers,
                Utc::now().timestamp(),
                3600,
            )
            .expect("mint")
    }

    /// The one request builder of the journeys: `method path` on this app, with `caller`'s
    /// bearer token ([`TestApp::token`]), or without `Authorization` for `None`.
    pub fn request(&self, method: Method, path: &str, caller: Option<&Caller>) -> RequestBuilder {
        self.request_at(&self.address, method, path, caller)
    }

    /// As [`TestApp::request`], to another instance of the service (its `address`).
    pub fn request_at(
        &self,
        address: &str,
        method: Method,
        path: &str,
        caller: Option<&Caller>,
    ) -> RequestBuilder {
        let request = self.client.request(method, format!("{address}{path}"));
        match caller {
            Some(caller) => request.bearer_auth(self.token(caller)),
            None => request,
        }
    }

    /// Sends a request built by [`TestApp::request`], panicking if it gets no answer.
    pub async fn send(&self, request: RequestBuilder) -> Response {
        request.send().await.expect("request")
    }

    pub async fn get(&self, caller: &Caller, path: &str) -> Response {
        self.send(self.request(Method::GET, path, Some(caller)))
            .await
    }

    /// `GET path` without a token (health checks, the documentation).
    pub async fn get_anonymous(&self, path: &str) -> Response {
        self.send(self.request(Method::GET, path, None)).await
    }

    pub async fn post(&self, caller: &Caller, path: &str, body: &impl Serialize) -> Response {
        self.send(self.request(Method::POST, path, Some(caller)).json(body))
            .await
    }

    pub async fn put(&self, caller: &Caller, path: &str, body: &impl Serialize) -> Response {
        self.send(self.request(Method::PUT, path, Some(caller)).json(body))
            .await
    }

    pub async fn delete(&self, caller: &Caller, path: &str) -> Response {
        self.send(self.request(Method::DELETE, path, Some(caller)))
            .await
    }

    /// Sends `body` as it is, with the given `Content-Type` (for bodies that are not valid JSON).
    pub async fn post_raw(
        &self,
        caller: &Caller,
        path: &str,
        content_type: &str,
        body: impl Into<reqwest::Body>,
    ) -> Response {
        let request = self
            .request(Method::POST, path, Some(caller))
            .header("Content-Type", content_type)
            .body(body);
        self.send(request).await
    }

    /// `POST /api/v1/cases` with an `Idempotency-Key`, as a client that may retry.
    pub async fn create_case_with_key(
        &self,
        caller: &Caller,
        key: &str,
        body: &impl Serialize,
    ) -> Response {
        let request = self
            .request(Method::POST, "/api/v1/cases", Some(caller))
            .header("Idempotency-Key", key)
            .json(body);
        self.send(request).await
    }

    /// The journal of a case, as `caller` reads it, asserting 200.
    pub async fn journal(&self, caller: &Caller, case_id: &str) -> Vec<Value> {
        let response = self
            .get(caller, &format!("/api/v1/cases/{case_id}/journal"))
            .await;
        assert_eq!(response.status(), StatusCode::OK, "read the journal");
        response.json().await.expect("json")
    }

    /// The whole audit log (newest first) as the DPO reads it, optionally for one case.
    pub async fn audit_log(&self, case_id: Option<&str>) -> Vec<Value> {
        let base = match case_id {
            Some(id) => format!("/api/v1/audit?case={id}&limit=500"),
            None => "/api/v1/audit?limit=500".to_string(),
        };
        self.every_page(&Caller::dpo(), &base, "read the audit log")
            .await
    }

    /// The `action`s of the whole audit log, oldest first.
    pub async fn audit_actions(&self) -> Vec<String> {
        let mut actions: Vec<String> = self
            .audit_log(None)
            .await
            .iter()
            .map(|e| e["action"].as_str().expect("action").to_owned())
            .collect();
        actions.reverse();
        actions
    }

    /// Adds a controller as an administrator.
    pub async fn add_controller(&self, id: &str, name: &str) {
        let response = self
            .post(
                &Caller::admin(),
                "/api/v1/controllers",
                &json!({"id": id, "name": name}),
            )
            .await;
        assert_eq!(
            response.status(),
            StatusCode::CREATED,
            "add controller {id}"
        );
    }

    /// Creates a case and returns it, asserting 201.
    pub async fn create_case(&self, caller: &Caller, body: &impl Serialize) -> Value {
        let response = self.post(caller, "/api/v1/cases", body).await;
        let status = response.status();
        let json: Value = response.json().await.expect("json");
        assert_eq!(status, StatusCode::CREATED, "create case: {json}");
        json
    }

    /// Every case an administrator can see, following the cursor.
    pub async fn all_cases(&self) -> Vec<Value> {
        self.every_page(
            &Caller::admin(),
            "/api/v1/cases?limit=500",
            "list the cases",
        )
        .await
    }

    /// The items of every page of the list at `path` (which has a query already), as `caller`
    /// reads it following `next_cursor`, asserting 200 for each page (`what` says which list).
    pub async fn every_page(&self, caller: &Caller, path: &str, what: &str) -> Vec<Value> {
        let mut items = Vec::new();
        let mut next = path.to_string();
        loop {
            let response = self.get(caller, &next).await;
            assert_eq!(response.status(), StatusCode::OK, "{what}");
            let page: Page = response.json().await.expect("a page");
            items.extend(page.items);
            match page.next_cursor {
                Some(cursor) => next = format!("{path}&cursor={cursor}"),
                None => return items,
            }
        }
    }
}

/// A page of a list: `{"items": [...], "next_cursor": "..." or null}`.
#[derive(Debug, Deserialize)]
pub struct Page {
    pub items: Vec<Value>,
    pub next_cursor: Option<String>,
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
        "identity": {"method": "e_legitimation", "assurance": "loa3", "personnummer": "19121212-1212",
                     "provider": "bankid", "transaction_reference": "bankid-order-0001"},
        "controllers": ["kommunstyrelsen"]
    })
}

/// A request as Kontaktcenter logs it (`POST /api/v1/cases`): `channel` and when it was received
/// are set by staff. Serialises as
/// `{"kind", "channel", "received_at", "subject": {"personnummer", "name"}, "controllers"}`.
#[derive(Debug, Clone, Serialize)]
pub struct NewCase {
    pub kind: String,
    pub channel: String,
    pub received_at: String,
    pub subject: NewSubject,
    pub controllers: Vec<String>,
}

/// The data subject of a [`NewCase`].
#[derive(Debug, Clone, Serialize)]
pub struct NewSubject {
    pub personnummer: String,
    pub name: String,
}

impl NewCase {
    /// A `kind` request received by `channel` at `received_at` (RFC 3339), from Test Testsson
    /// (191212121212), for no controller yet.
    pub fn logged(kind: &str, channel: &str, received_at: &str) -> Self {
        NewCase {
            kind: kind.into(),
            channel: channel.into(),
            received_at: received_at.into(),
            subject: NewSubject {
                personnummer: "191212121212".into(),
                name: "Test Testsson".into(),
            },
            controllers: vec![],
        }
    }

    /// The subject's personnummer (or samordningsnummer), as written.
    pub fn subject(mut self, personnummer: &str) -> Self {
        self.subject.personnummer = personnummer.into();
        self
    }

    /// The controllers the request is for.
    pub fn controllers(mut self, controllers: &[&str]) -> Self {
        self.controllers = controllers.iter().map(|c| c.to_string()).collect();
        self
    }

    /// The request as JSON, to add what the struct has no field for.
    pub fn json(&self) -> Value {
        serde_json::to_value(self).expect("a new case serialises")
    }
}

/// An instant written as RFC 3339, e.g. `utc("2026-03-03T09:00:00Z")`.
pub fn utc(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .expect("RFC 3339")
        .with_timezone(&Utc)
}

/// The `id` of a case, an activity or any other resource.
pub fn id_of(resource: &Value) -> String {
    resource["id"].as_str().expect("id").to_owned()
}

/// The `reference`s of cases, in the order given.
pub fn references(cases: &[Value]) -> Vec<String> {
    cases
        .iter()
        .map(|c| c["reference"].as_str().expect("reference").to_owned())
        .collect()
}

/// The response's `Content-Type`, or "" without one.
pub fn content_type(response: &Response) -> String {
    response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

/// Asserts a problem+json response and returns its body.
pub async fn problem(response: Response, status: StatusCode) -> Value {
    let actual = response.status();
    let content_type = content_type(&response);
    let text = response.text().await.expect("body");
    assert_eq!(actual, status, "response body: {text}");
    assert_eq!(
        content_type, "application/problem+json",
        "response body: {text}"
    );
    let body: Value = serde_json::from_str(&text).expect("problem json");
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
                .map(|e| {
                    (
                        e["field"].as_str().unwrap().to_owned(),
                        e["code"].as_str().unwrap().to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Adds a controller with an e-mail address for reminders and alerts, as an administrator.
pub async fn add_controller_with_email(app: &TestApp, id: &str, name: &str, email: &str) {
    let response = app
        .post(
            &Caller::admin(),
            "/api/v1/controllers",
            &json!({"id": id, "name": name, "email": email}),
        )
        .await;
    assert_eq!(
        response.status(),
        StatusCode::CREATED,
        "add controller {id}"
    );
}

/// Another instance of the service on the same database, with its own port and the given clock.
pub struct Instance {
    pub address: String,
    pub handle: dsar::app::ApplicationHandle,
}

/// Starts another instance with `settings` (the database of a running app, e.g. `app.settings`)
/// on a fresh port: a second server behind the load balancer, or the same one after a restart.
pub async fn spawn_instance(settings: &Settings, clock: &FixedClock) -> Instance {
    let mut settings = settings.clone();
    settings.server.port = 0;
    let app =
        Application::build(settings, Arc::new(clock.clone())).expect("the second instance starts");
    let address = format!("http://127.0.0.1:{}", app.port());
    let handle = app.handle();
    tokio::spawn(app.run_until_stopped());
    Instance { address, handle }
}

impl TestApp {
    /// Stops the service (like a killed process) and starts it again on the same database and
    /// clock; requests go to the new instance from now on.
    pub async fn restart(&mut self) {
        self.handle.stop().await;
        let instance = spawn_instance(&self.settings, &self.clock).await;
        self.address = instance.address;
        self.handle = instance.handle;
    }

    /// A connection of the test's own to the app's database, for what no endpoint shows.
    pub fn database(&self) -> dsar::db::DbConnection {
        let url = self.settings.database.url.clone().expect("database URL");
        dsar::db::ConnectionManager::new(url, "full")
            .establish()
            .expect("connect to the test database")
    }

    /// The SQLite file of the app (None on PostgreSQL).
    pub fn sqlite_path(&self) -> Option<PathBuf> {
        match &self._database {
            TestDatabase::Sqlite(path) => Some(path.clone()),
            TestDatabase::Postgres { .. } => None,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Register and extract helpers (tests/api/register.rs, tests/api/extract.rs).
// ---------------------------------------------------------------------------------------------

/// The seed register: 20 activities of Södertälje's kommunstyrelse, tab-separated, header on line 5.
pub const SEED_REGISTER: &str = include_str!("../data/000_a65a8098ee30a96a.txt");

pub const TSV: &str = "text/tab-separated-values";
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

impl TestApp {
    /// `POST /api/v1/controllers/{controller}/register` with the file as it is, as `caller`.
    pub async fn import_register_as(
        &self,
        caller: &Caller,
        controller: &str,
        content_type: &str,
        bytes: Vec<u8>,
    ) -> Response {
        self.post_raw(
            caller,
            &format!("/api/v1/controllers/{controller}/register"),
            content_type,
            bytes,
        )
        .await
    }

    /// Imports a register as the administrator, asserting 200; returns the import report.
    pub async fn import_register(
        &self,
        controller: &str,
        content_type: &str,
        bytes: Vec<u8>,
    ) -> Value {
        let response = self
            .import_register_as(&Caller::admin(), controller, content_type, bytes)
            .await;
        let status = response.status();
        let text = response.text().await.expect("body");
        assert_eq!(status, StatusCode::OK, "import the register: {text}");
        serde_json::from_str(&text).expect("json")
    }

    /// Imports the seed register for `controller` (which must exist), asserting 200.
    pub async fn import_seed_register(&self, controller: &str) -> Value {
        self.import_register(controller, TSV, SEED_REGISTER.as_bytes().to_vec())
            .await
    }

    /// The activities of `controller`'s register, in register order, as the administrator reads them.
    pub async fn register_activities(&self, controller: &str) -> Vec<Value> {
        let response = self
            .get(
                &Caller::admin(),
                &format!("/api/v1/register/activities?controller={controller}"),
            )
            .await;
        let status = response.status();
        let body: Value = response.json().await.expect("json");
        assert_eq!(status, StatusCode::OK, "list activities: {body}");
        body.as_array().expect("a list").clone()
    }

    /// The first activity of `controller`'s register named `name`.
    pub async fn activity_named(&self, controller: &str, name: &str) -> Value {
        self.register_activities(controller)
            .await
            .into_iter()
            .find(|a| a["name"] == name)
            .unwrap_or_else(|| panic!("no activity named {name}"))
    }
}

/// The names of activities (or of search hits' activities), in order.
pub fn activity_names(activities: &[Value]) -> Vec<String> {
    activities
        .iter()
        .map(|a| {
            a.get("activity")
                .unwrap_or(a)
                .get("name")
                .and_then(Value::as_str)
                .expect("name")
                .to_owned()
        })
        .collect()
}
// ---------------------------------------------------------------------------------------------
// End of register and extract helpers.
// ---------------------------------------------------------------------------------------------
