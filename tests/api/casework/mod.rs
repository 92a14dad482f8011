//! Case work journeys: identity, parts, extensions, decisions, delivery, closure, the DPO's view.

mod appeals;
mod concurrency;
mod decisions;
mod delivery;
mod extension;
mod identity;
mod journal;
mod lifecycle;
mod monitoring;
mod outcomes;
mod permissions;
mod representatives;
mod restrictions;

use reqwest::{Response, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{utc, Caller, TestApp};

/// Skatteverket's test personnummer for an adult, Tolvan Tolvansson, born 1912.
pub const TOLVAN: &str = "19121212-1212";

/// The two nämnder of the journeys, each its own controller.
pub async fn add_namnder(app: &TestApp) {
    app.add_controller("socialnamnden", "Socialnämnden").await;
    app.add_controller("kommunstyrelsen", "Kommunstyrelsen")
        .await;
}

/// Moves the service's clock to an instant written as RFC 3339.
pub fn at(app: &TestApp, instant: &str) {
    app.clock.set(utc(instant));
}

/// A request from Tolvan, as Kontaktcenter logs a letter: no identity established yet.
pub fn tolvans_letter(kind: &str, received_at: &str, controllers: &[&str]) -> Value {
    json!({
        "kind": kind,
        "channel": "letter",
        "received_at": received_at,
        "subject": {
            "personnummer": TOLVAN,
            "name": "Tolvan Tolvansson",
            "address": {"street": "Storgatan 1", "postal_code": "151 89", "city": "Södertälje"},
            "email": "tolvan@example.se"
        },
        "controllers": controllers,
    })
}

/// Tolvan's letter with a signed form and a copy of his ID (domain.md §3): his identity is
/// established at intake, so the request can be decided on its merits.
pub fn tolvans_signed_letter(kind: &str, received_at: &str, controllers: &[&str]) -> Value {
    let mut letter = tolvans_letter(kind, received_at, controllers);
    letter["identity"] = json!({"method": "signed_form"});
    letter
}

/// The part of `controller` in a case.
pub fn part<'a>(case: &'a Value, controller: &str) -> &'a Value {
    case["parts"]
        .as_array()
        .expect("parts")
        .iter()
        .find(|p| p["controller"] == controller)
        .unwrap_or_else(|| panic!("no part for {controller} in {case}"))
}

/// `POST /api/v1/cases/{id}/{action}`.
pub async fn work(
    app: &TestApp,
    caller: &Caller,
    id: &str,
    action: &str,
    body: &Value,
) -> Response {
    app.post(caller, &format!("/api/v1/cases/{id}/{action}"), body)
        .await
}

/// `POST /api/v1/cases/{id}/{action}`, asserting `status`; returns the changed case.
pub async fn work_ok(
    app: &TestApp,
    caller: &Caller,
    id: &str,
    action: &str,
    body: &Value,
    status: StatusCode,
) -> Value {
    let response = work(app, caller, id, action, body).await;
    let actual = response.status();
    let json: Value = response.json().await.expect("json");
    assert_eq!(actual, status, "{action}: {json}");
    json
}

/// A controller's decision, asserting 201; returns the case.
pub async fn decide(app: &TestApp, caller: &Caller, id: &str, decision: &Value) -> Value {
    work_ok(app, caller, id, "decisions", decision, StatusCode::CREATED).await
}

/// A case as `caller` reads it, asserting 200.
pub async fn read_case(app: &TestApp, caller: &Caller, id: &str) -> Value {
    let response = app.get(caller, &format!("/api/v1/cases/{id}")).await;
    let status = response.status();
    let json: Value = response.json().await.expect("json");
    assert_eq!(status, StatusCode::OK, "read case: {json}");
    json
}

/// `GET path` as `caller`, asserting 200; returns the JSON.
pub async fn get_json(app: &TestApp, caller: &Caller, path: &str) -> Value {
    let response = app.get(caller, path).await;
    let status = response.status();
    let json: Value = response.json().await.expect("json");
    assert_eq!(status, StatusCode::OK, "GET {path}: {json}");
    json
}

/// The names of the journal's events, oldest first.
pub fn event_names(journal: &[Value]) -> Vec<String> {
    journal
        .iter()
        .map(|e| e["event"].as_str().expect("event").to_owned())
        .collect()
}

/// The `(field, code)` pair of a field error, for comparing with `field_errors`.
pub fn field(field: &str, code: &str) -> (String, String) {
    (field.to_owned(), code.to_owned())
}

/// Compiles the extract of an access request (as an administrator), so it can be delivered.
pub async fn compile_extract(app: &TestApp, id: &str) {
    let response = app
        .post(
            &Caller::admin(),
            &format!("/api/v1/cases/{id}/extract"),
            &serde_json::json!({}),
        )
        .await;
    let status = response.status();
    let body = response.text().await.unwrap_or_default();
    assert_eq!(status, StatusCode::CREATED, "compile extract: {body}");
}
