//! Bad input: the right status, a message naming the field, nothing stored, and nothing in the
//! answer that should not be there (the personnummer sent, SQL, internals).

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::*;
use crate::journey;

/// Personal identity numbers used below, in every written form, that no error may echo.
const SECRETS: &[&str] = &[
    "191212121212",
    "19121212-1212",
    "121212-1212",
    "121212+1212",
    "1212121212",
    "191212121213",
    "19121212-1213",
    "121212-1213",
    "198501012382",
    "19850101-2382",
    "850101-2382",
];

/// What an error answer must never contain.
fn assert_clean(body: &str) {
    for secret in SECRETS {
        assert!(
            !body.contains(secret),
            "the answer echoes a personnummer ({secret}): {body}"
        );
    }
    let lower = body.to_lowercase();
    for internal in [
        "diesel",
        "select ",
        "insert ",
        "sqlite",
        "postgres",
        "constraint",
        "panicked",
        "src/",
        ".rs:",
    ] {
        assert!(
            !lower.contains(internal),
            "the answer shows internals ({internal}): {body}"
        );
    }
}

/// Asserts the problem document of `response` (clean, with `status`) and returns it.
async fn rejected(response: reqwest::Response, status: StatusCode) -> Value {
    let body = problem(response, status).await;
    assert_clean(&body.to_string());
    body
}

/// Kontaktcenter tries to register `request`; it must be refused with 422.
async fn invalid(app: &TestApp, request: &Value) -> Value {
    rejected(
        app.post(&Caller::kontaktcenter(), "/api/v1/cases", request)
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

/// A correct request by Kontaktcenter, for the tests to break one field at a time.
fn good_request() -> Value {
    json!({
        "kind": "access",
        "channel": "letter",
        "received_at": "2026-03-09T10:00:00Z",
        "subject": {
            "personnummer": "19121212-1212",
            "name": "Tolvan Tolvansson",
            "address": {"street": "Storgatan 1", "postal_code": "151 89", "city": "Södertälje"},
            "email": "tolvan@example.se",
            "phone": "08-123 456 78"
        },
        "controllers": ["kommunstyrelsen"]
    })
}

fn pair(field: &str, code: &str) -> (String, String) {
    (field.to_string(), code.to_string())
}

/// Nothing was stored: no case, and no `case.create` in the audit log.
async fn nothing_stored(app: &TestApp) {
    assert_eq!(app.all_cases().await, Vec::<Value>::new());
    let actions = app.audit_actions().await;
    assert!(
        !actions.iter().any(|a| a.starts_with("case.create")),
        "audit log: {actions:?}"
    );
}

journey!(
    a_body_that_is_not_json_is_a_400,
    |app: TestApp| async move {
        let response = app
            .post_raw(
                &Caller::kontaktcenter(),
                "/api/v1/cases",
                "application/json",
                r#"{"kind": "access", "subject": "#,
            )
            .await;
        let body = rejected(response, StatusCode::BAD_REQUEST).await;
        assert_eq!(body["code"], "malformed_json");
        assert_eq!(body["type"], "urn:dsar:problem:malformed_json");
        assert_eq!(
            body["detail"],
            "The body is not valid JSON (line 1, column 30)."
        );

        let response = app
            .post_raw(
                &Caller::kontaktcenter(),
                "/api/v1/cases",
                "application/json",
                "",
            )
            .await;
        assert_eq!(
            rejected(response, StatusCode::BAD_REQUEST).await["code"],
            "malformed_json"
        );
        nothing_stored(&app).await;
    }
);

journey!(
    a_body_that_is_not_declared_as_json_is_a_415,
    |app: TestApp| async move {
        let json = good_request().to_string();
        for content_type in [
            "text/plain",
            "application/x-www-form-urlencoded",
            "application/xml",
        ] {
            let response = app
                .post_raw(
                    &Caller::kontaktcenter(),
                    "/api/v1/cases",
                    content_type,
                    json.clone(),
                )
                .await;
            let body = rejected(response, StatusCode::UNSUPPORTED_MEDIA_TYPE).await;
            assert_eq!(body["code"], "unsupported_media_type");
            assert_eq!(
                body["detail"],
                "Send the body as `Content-Type: application/json`."
            );
        }
        // With a charset parameter it is still JSON.
        app.add_controller("kommunstyrelsen", "Kommunstyrelsen")
            .await;
        let response = app
            .post_raw(
                &Caller::kontaktcenter(),
                "/api/v1/cases",
                "application/json; charset=utf-8",
                json,
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED);
    }
);

journey!(a_body_over_the_limit_is_a_413, |app: TestApp| async move {
    app.add_controller("kommunstyrelsen", "Kommunstyrelsen")
        .await;
    // config/default.toml: server.body_limit_bytes = 1048576 (1 MiB); this is about 1.1 MB.
    let mut request = good_request();
    request["description"] = json!("Radera allt. ".repeat(85_000));
    let response = app
        .post(&Caller::kontaktcenter(), "/api/v1/cases", &request)
        .await;
    let body = rejected(response, StatusCode::PAYLOAD_TOO_LARGE).await;
    assert_eq!(body["code"], "payload_too_large");
    assert_eq!(
        body["detail"],
        "The body exceeds the limit of 1048576 bytes."
    );
    nothing_stored(&app).await;
});

journey!(
    a_request_of_the_wrong_shape_names_the_field,
    |app: TestApp| async move {
        let mut without_kind = good_request();
        without_kind.as_object_mut().unwrap().remove("kind");
        let body = invalid(&app, &without_kind).await;
        assert_eq!(field_errors(&body), vec![pair("kind", "required")]);
        assert_eq!(body["errors"][0]["message"], "`kind` is required.");
        assert_eq!(body["detail"], "1 field is invalid: kind");

        let mut unknown_kind = good_request();
        unknown_kind["kind"] = json!("deletion");
        let body = invalid(&app, &unknown_kind).await;
        assert_eq!(field_errors(&body), vec![pair("kind", "unknown_value")]);
        // The message lists what is accepted.
        let message = body["errors"][0]["message"].as_str().unwrap();
        assert!(message.contains("`erasure`"), "{message}");

        let mut no_subject = good_request();
        no_subject.as_object_mut().unwrap().remove("subject");
        assert_eq!(
            field_errors(&invalid(&app, &no_subject).await),
            vec![pair("subject", "required")]
        );

        let body = invalid(&app, &json!(["access"])).await;
        assert_eq!(field_errors(&body)[0].0, "body");

        let mut not_a_time = good_request();
        not_a_time["received_at"] = json!("last tuesday");
        assert_eq!(
            field_errors(&invalid(&app, &not_a_time).await)[0].0,
            "received_at"
        );

        nothing_stored(&app).await;
    }
);

journey!(a_misspelt_field_is_named, |app: TestApp| async move {
    let mut typo = good_request();
    typo["subject"] = json!({"personnumer": "19121212-1212", "name": "Tolvan Tolvansson"});
    let body = invalid(&app, &typo).await;
    assert_eq!(
        field_errors(&body),
        vec![pair("subject.personnumer", "unknown_field")]
    );
    assert_eq!(
        body["errors"][0]["message"],
        "`personnumer` is not a field of this request."
    );

    let mut top_level_typo = good_request();
    top_level_typo["descripton"] = json!("Rätta min adress");
    assert_eq!(
        field_errors(&invalid(&app, &top_level_typo).await),
        vec![pair("descripton", "unknown_field")]
    );
    nothing_stored(&app).await;
});

journey!(
    a_personnummer_sent_as_a_number_is_not_echoed,
    |app: TestApp| async move {
        // An integrator's mistake: the number as a JSON number, not a string.
        let mut request = good_request();
        request["subject"]["personnummer"] = json!(191212121212_i64);
        let create = problem(
            app.post(&Caller::kontaktcenter(), "/api/v1/cases", &request)
                .await,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert_eq!(
            field_errors(&create),
            vec![pair("subject.personnummer", "invalid_type")]
        );

        let search = problem(
            app.post(
                &Caller::kontaktcenter(),
                "/api/v1/cases/search",
                &json!({"personnummer": 198501012382_i64}),
            )
            .await,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert_eq!(
            field_errors(&search),
            vec![pair("personnummer", "invalid_type")]
        );
        nothing_stored(&app).await;

        assert_clean(&format!("{create}\n{search}"));
    }
);

journey!(
    identity_numbers_that_are_not_a_persons_are_refused_with_the_reason,
    |app: TestApp| async move {
        let cases = [
        // One digit wrong: the check digit no longer matches.
        ("19121212-1213", "invalid_checksum", "the check digit of the personnummer does not match; please check for typing errors"),
        // Interim (reserve) number with a letter, from interim.json.
        ("000101-T220", "interim_number", "this is an interim number (reservnummer), not a personnummer or samordningsnummer"),
        // An organisation number (AP-fonden), from orgnumber.json.
        ("802005-1952", "organisation_number", "this is an organisation number (organisationsnummer), not a personnummer or samordningsnummer"),
        ("tolvan", "invalid_format", "a personnummer must be written as YYMMDD-NNNC, YYMMDD+NNNC, YYMMDDNNNC, YYYYMMDD-NNNC or YYYYMMDDNNNC"),
        ("", "empty", "no personnummer was given"),
    ];
        for (number, code, message) in cases {
            let mut request = good_request();
            request["subject"]["personnummer"] = json!(number);
            let body = invalid(&app, &request).await;
            assert_eq!(
                field_errors(&body),
                vec![pair("subject.personnummer", code)],
                "{number}"
            );
            assert_eq!(body["errors"][0]["message"], message, "{number}");
            assert_eq!(body["detail"], "1 field is invalid: subject.personnummer");

            let response = app
                .post(
                    &Caller::kontaktcenter(),
                    "/api/v1/cases/search",
                    &json!({"personnummer": number}),
                )
                .await;
            let body = rejected(response, StatusCode::UNPROCESSABLE_ENTITY).await;
            assert_eq!(
                field_errors(&body),
                vec![pair("personnummer", code)],
                "search {number}"
            );
        }
        nothing_stored(&app).await;
    }
);

journey!(contact_details_are_checked, |app: TestApp| async move {
    let mut bad_email = good_request();
    bad_email["subject"]["email"] = json!("tolvan.example.se");
    let body = invalid(&app, &bad_email).await;
    assert_eq!(
        field_errors(&body),
        vec![pair("subject.email", "invalid_email")]
    );
    assert_eq!(body["errors"][0]["message"], "not an e-mail address");

    let mut bad_postal_code = good_request();
    bad_postal_code["subject"]["address"]["postal_code"] = json!("1518");
    let body = invalid(&app, &bad_postal_code).await;
    assert_eq!(
        field_errors(&body),
        vec![pair("subject.address.postal_code", "invalid_postal_code")]
    );
    assert_eq!(
        body["errors"][0]["message"],
        "A Swedish postal code is five digits, e.g. 151 89."
    );

    let mut bad_phone = good_request();
    bad_phone["subject"]["phone"] = json!("ring mig");
    assert_eq!(
        field_errors(&invalid(&app, &bad_phone).await),
        vec![pair("subject.phone", "invalid_phone")]
    );

    let mut too_long = good_request();
    too_long["description"] = json!("x".repeat(20_001));
    assert_eq!(
        field_errors(&invalid(&app, &too_long).await),
        vec![pair("description", "too_long")]
    );

    let mut before_gdpr = good_request();
    before_gdpr["received_at"] = json!("2018-05-24T12:00:00Z");
    assert_eq!(
        field_errors(&invalid(&app, &before_gdpr).await),
        vec![pair("received_at", "before_gdpr")]
    );

    let mut no_channel = good_request();
    no_channel.as_object_mut().unwrap().remove("channel");
    assert_eq!(
        field_errors(&invalid(&app, &no_channel).await),
        vec![pair("channel", "required")]
    );

    let mut self_represented = good_request();
    self_represented["representative"] =
        json!({"kind": "power_of_attorney", "personnummer": "191212121212", "name": "Tolvan"});
    assert_eq!(
        field_errors(&invalid(&app, &self_represented).await),
        vec![pair("representative.personnummer", "same_as_subject")]
    );
    nothing_stored(&app).await;
});

journey!(an_unknown_controller_is_named, |app: TestApp| async move {
    app.add_controller("kommunstyrelsen", "Kommunstyrelsen")
        .await;
    let mut request = good_request();
    request["controllers"] = json!(["socialnamden"]);
    let body = invalid(&app, &request).await;
    assert_eq!(
        field_errors(&body),
        vec![pair("controllers[0]", "unknown_controller")]
    );
    assert_eq!(
        body["errors"][0]["message"],
        "There is no controller `socialnamden`."
    );

    request["controllers"] = json!(["kommunstyrelsen", "socialnamden"]);
    let body = invalid(&app, &request).await;
    assert_eq!(
        field_errors(&body),
        vec![pair("controllers[1]", "unknown_controller")]
    );
    nothing_stored(&app).await;
});

journey!(
    every_bad_field_is_reported_at_once,
    |app: TestApp| async move {
        app.add_controller("kommunstyrelsen", "Kommunstyrelsen")
            .await;
        let request = json!({
            "kind": "rectification",
            "received_at": "2026-03-11T09:00:00Z",
            "subject": {
                "personnummer": "19121212-1213",
                "name": " ",
                "address": {"street": "Storgatan 1", "postal_code": "1518", "city": "Södertälje"},
                "email": "tolvan.example.se",
                "phone": "ring mig"
            },
            "representative": {"kind": "god_man", "personnummer": "802005-1952", "name": "Gode Mannen", "email": "@"},
            "controllers": ["kommunstyrelsen", "Social Nämnden"],
            "subject_categories": [""]
        });
        let body = invalid(&app, &request).await;
        let mut errors = field_errors(&body);
        errors.sort();
        let mut expected = vec![
            pair("channel", "required"),
            pair("received_at", "in_the_future"),
            pair("subject.personnummer", "invalid_checksum"),
            pair("subject.name", "required"),
            pair("subject.address.postal_code", "invalid_postal_code"),
            pair("subject.email", "invalid_email"),
            pair("subject.phone", "invalid_phone"),
            pair("representative.personnummer", "organisation_number"),
            pair("representative.email", "invalid_email"),
            pair("controllers[1]", "invalid_controller"),
            pair("subject_categories[0]", "invalid"),
        ];
        expected.sort();
        assert_eq!(errors, expected);
        assert_eq!(body["detail"], "11 fields are invalid");
        nothing_stored(&app).await;
    }
);

journey!(
    a_case_that_does_not_exist_is_a_404,
    |app: TestApp| async move {
        let kc = Caller::kontaktcenter();
        for path in [
            "/api/v1/cases/DSAR-2026-00001",
            "/api/v1/cases/not-a-uuid",
            "/api/v1/cases/0198c6a2-3f1e-7c2b-9a4d-5e6f7a8b9c0d",
            "/api/v1/cases/not-a-uuid/journal",
            "/api/v1/cases/0198c6a2-3f1e-7c2b-9a4d-5e6f7a8b9c0d/journal",
            "/api/v1/controllers/socialnamden",
        ] {
            let body = rejected(app.get(&kc, path).await, StatusCode::NOT_FOUND).await;
            assert_eq!(body["code"], "not_found", "{path}");
        }
        let response = app
            .put(
                &Caller::admin(),
                "/api/v1/controllers/socialnamden",
                &json!({"name": "Socialnämnden"}),
            )
            .await;
        rejected(response, StatusCode::NOT_FOUND).await;
    }
);

journey!(
    bad_list_parameters_name_the_parameter,
    |app: TestApp| async move {
        let dpo = Caller::dpo();
        let cases = [
            ("/api/v1/cases?limit=0", "limit", "out_of_range"),
            ("/api/v1/cases?limit=501", "limit", "out_of_range"),
            ("/api/v1/cases?limit=-1", "limit", "out_of_range"),
            ("/api/v1/cases?cursor=bm90LWEtY3Vyc29y", "cursor", "invalid"),
            ("/api/v1/cases?cursor=%%%", "cursor", "invalid"),
            ("/api/v1/cases?status=open", "status", "unknown_value"),
            (
                "/api/v1/cases?status=received,open",
                "status",
                "unknown_value",
            ),
            ("/api/v1/cases?sort=oldest", "sort", "unknown_value"),
            ("/api/v1/audit?limit=0", "limit", "out_of_range"),
            ("/api/v1/audit?cursor=bm9wZQ", "cursor", "invalid"),
        ];
        for (path, field, code) in cases {
            let body = rejected(app.get(&dpo, path).await, StatusCode::UNPROCESSABLE_ENTITY).await;
            assert_eq!(field_errors(&body), vec![pair(field, code)], "{path}");
        }
        // A cursor of one sort order is not one of the other.
        let kc = Caller::kontaktcenter();
        for _ in 0..2 {
            app.create_case(
                &kc,
                &NewCase::logged("access", "letter", "2026-03-09T10:00:00Z"),
            )
            .await;
        }
        let page: Value = app
            .get(&dpo, "/api/v1/cases?limit=1")
            .await
            .json()
            .await
            .unwrap();
        let cursor = page["next_cursor"].as_str().unwrap();
        let response = app
            .get(
                &dpo,
                &format!("/api/v1/cases?limit=1&sort=deadline&cursor={cursor}"),
            )
            .await;
        let body = rejected(response, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(field_errors(&body), vec![pair("cursor", "invalid")]);
    }
);

journey!(
    a_query_value_of_the_wrong_type_names_the_parameter,
    |app: TestApp| async move {
        let dpo = Caller::dpo();
        let mut unnamed = Vec::new();
        for (path, field) in [
            ("/api/v1/cases?limit=ten", "limit"),
            ("/api/v1/cases?kind=deletion", "kind"),
            ("/api/v1/cases?overdue=yes", "overdue"),
            ("/api/v1/cases?due_before=tomorrow", "due_before"),
            ("/api/v1/cases?extended=maybe", "extended"),
            ("/api/v1/audit?limit=ten", "limit"),
            ("/api/v1/deadline?received=2025-02-30", "received"),
        ] {
            let body = rejected(app.get(&dpo, path).await, StatusCode::UNPROCESSABLE_ENTITY).await;
            let named: Vec<&str> = body["errors"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["field"].as_str().unwrap())
                .collect();
            if named != [field] {
                unnamed.push(format!("{path}: expected field {field}, got {body}"));
            }
        }
        assert!(
            unnamed.is_empty(),
            "errors that do not name the parameter:\n{}",
            unnamed.join("\n")
        );
    }
);
