use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::*;
use crate::journey;

journey!(etjanst_submits_an_access_request_with_bankid, |app: TestApp| async move {
    app.add_controller("kommunstyrelsen", "Kommunstyrelsen").await;
    let case = app.create_case(&Caller::etjanst(), &etjanst_access_request()).await;

    assert_eq!(case["reference"], "DSAR-2026-00001");
    assert_eq!(case["channel"], "etjanst");
    assert_eq!(case["status"], "received");
    assert_eq!(case["received_at"], "2026-03-10T09:00:00Z");
    assert_eq!(case["received_date"], "2026-03-10");
    // 2026-04-10 is a Friday and a working day.
    assert_eq!(case["deadline"], "2026-04-10");
    assert_eq!(case["extended_deadline"], serde_json::Value::Null);
    assert_eq!(case["days_left"], 31);
    assert_eq!(case["overdue"], false);
    assert_eq!(case["identity"]["status"], "verified");
    assert_eq!(case["identity"]["method"], "e_legitimation");
    assert_eq!(case["identity"]["assurance"], "loa3");
    assert_eq!(case["subject"]["personnummer"], "191212121212");
    assert_eq!(case["subject"]["address"]["postal_code"], "151 89");
    assert_eq!(case["parts"][0]["controller"], "kommunstyrelsen");

    // The e-tjänst can read the status of the case it created.
    let id = case["id"].as_str().unwrap();
    let read = app.get(&Caller::etjanst(), &format!("/api/v1/cases/{id}")).await;
    assert_eq!(read.status(), StatusCode::OK);

    // Another e-tjänst account cannot see it at all.
    let other = Caller::new("another-etjanst", "etjanst");
    let read = app.get(&other, &format!("/api/v1/cases/{id}")).await;
    problem(read, StatusCode::NOT_FOUND).await;

    let _ = json!({});
});
