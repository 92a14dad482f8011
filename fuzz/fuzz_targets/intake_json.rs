//! The intake's JSON, as `POST /api/v1/cases` reads it: any body gives a new case or field
//! errors naming the fields, never a panic.
#![no_main]

use chrono::{TimeZone, Utc};
use dsar::auth::{AuthUser, Role};
use dsar::cases::dto::CreateCaseRequest;
use dsar::cases::intake::NewCase;
use dsar::domain::assurance::AssuranceLevel;
use dsar::domain::calendar::SwedishCalendar;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|body: &[u8]| {
    let Ok(raw) = serde_json::from_slice::<serde_json::Value>(body) else {
        return;
    };
    let Ok(request) = dsar::http::json::parse_value::<CreateCaseRequest>(raw) else {
        return;
    };
    let user = AuthUser {
        sub: "fuzz".into(),
        name: "Fuzz".into(),
        roles: vec![Role::Kontaktcenter],
        controllers: vec![],
    };
    let now = Utc.with_ymd_and_hms(2026, 3, 10, 9, 0, 0).unwrap();
    if let Err(errors) = NewCase::parse(
        request,
        &user,
        now,
        &SwedishCalendar::default(),
        AssuranceLevel::Loa3,
    ) {
        assert!(!errors.is_empty(), "a refusal names at least one field");
    }
});
