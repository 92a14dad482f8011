//! Operations: liveness, readiness, the API documentation served from the binary, and answers
//! for routes that do not exist.

use std::collections::BTreeSet;

use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::*;
use crate::journey;

journey!(
    the_service_says_it_is_alive_and_ready,
    |app: TestApp| async move {
        // No token needed: load balancers and orchestrators ask.
        let health = app.get_anonymous("/health").await;
        assert_eq!(health.status(), StatusCode::OK);
        assert_eq!(
            health.json::<Value>().await.unwrap(),
            serde_json::json!({"status": "ok"})
        );

        let ready = app.get_anonymous("/ready").await;
        assert_eq!(ready.status(), StatusCode::OK);
        assert_eq!(
            ready.json::<Value>().await.unwrap(),
            serde_json::json!({"status": "ready"})
        );
    }
);

journey!(
    the_api_documentation_is_served_without_a_cdn,
    |app: TestApp| async move {
        let response = app.get_anonymous("/api/docs/").await;
        assert_eq!(response.status(), StatusCode::OK);
        let content_type = response.headers()["content-type"]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(content_type.starts_with("text/html"), "{content_type}");
        let html = response.text().await.unwrap();
        assert!(html.contains("swagger-ui"), "{html}");
        // Everything the page loads comes from this service.
        for external in ["http://", "https://", "//unpkg", "cdn"] {
            assert!(
                !html.contains(external),
                "the page loads {external}: {html}"
            );
        }
        for asset in [
            "swagger-ui.css",
            "swagger-ui-bundle.js",
            "swagger-ui-standalone-preset.js",
            "swagger-initializer.js",
        ] {
            let response = app.get_anonymous(&format!("/api/docs/{asset}")).await;
            assert_eq!(response.status(), StatusCode::OK, "{asset}");
        }
        // The initializer points at this service's document.
        let initializer = app.get_anonymous("/api/docs/swagger-initializer.js").await;
        let initializer = initializer.text().await.unwrap();
        assert!(
            initializer.contains("/api/v1/openapi.json"),
            "{initializer}"
        );

        // /api/docs without the slash leads there too.
        let redirected = app.get_anonymous("/api/docs").await;
        assert_eq!(redirected.status(), StatusCode::OK);
        assert_eq!(redirected.url().path(), "/api/docs/");
    }
);

journey!(
    the_openapi_document_describes_every_route,
    |app: TestApp| async move {
        let response = app.get_anonymous("/api/v1/openapi.json").await;
        assert_eq!(response.status(), StatusCode::OK);
        let document: Value = response.json().await.unwrap();
        assert_eq!(document["openapi"], "3.1.0");
        assert_eq!(document["info"]["title"], "dsar");

        // Every (method, path) of the foundation's `api_routes`, plus the operations endpoints.
        let operations: BTreeSet<(String, String)> = document["paths"]
            .as_object()
            .unwrap()
            .iter()
            .flat_map(|(path, item)| {
                item.as_object()
                    .unwrap()
                    .keys()
                    .filter(|k| ["get", "post", "put", "patch", "delete"].contains(&k.as_str()))
                    .map(move |method| (method.clone(), path.clone()))
            })
            .collect();
        let foundation = [
            ("post", "/api/v1/cases"),
            ("get", "/api/v1/cases"),
            ("get", "/api/v1/cases/{id}"),
            ("get", "/api/v1/cases/{id}/journal"),
            ("post", "/api/v1/cases/search"),
            ("get", "/api/v1/controllers"),
            ("post", "/api/v1/controllers"),
            ("get", "/api/v1/controllers/{id}"),
            ("put", "/api/v1/controllers/{id}"),
            ("get", "/api/v1/deadline"),
            ("get", "/api/v1/audit"),
            ("get", "/health"),
            ("get", "/ready"),
        ];
        for (method, path) in foundation {
            assert!(
                operations.contains(&(method.to_string(), path.to_string())),
                "{method} {path} is not in the document"
            );
        }

        // And every documented operation is served: without a token each API endpoint asks
        // for one (rather than answering 404 or looking at the body first).
        let mut wrong = Vec::new();
        for (method, path) in &operations {
            if !path.starts_with("/api/v1/") {
                continue;
            }
            let concrete = path
                .replace("{id}", "0198c6a2-3f1e-7c2b-9a4d-5e6f7a8b9c0d")
                .replace("{controller}", "kommunstyrelsen");
            let method = reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let response = app.send(app.request(method.clone(), &concrete, None)).await;
            let status = response.status();
            let challenge = response.headers().get("www-authenticate").cloned();
            let content_type = response.headers().get("content-type").cloned();
            if status != StatusCode::UNAUTHORIZED
                || challenge.as_ref().map(|v| v.as_bytes()) != Some(b"Bearer")
                || content_type.as_ref().map(|v| v.as_bytes()) != Some(b"application/problem+json")
            {
                let body = response.text().await.unwrap_or_default();
                wrong.push(format!(
                    "{method} {concrete}: {status} {challenge:?} {content_type:?} {body}"
                ));
            }
        }
        assert!(
            wrong.is_empty(),
            "documented but not served as expected:\n{}",
            wrong.join("\n")
        );

        // The endpoints behind a token say so.
        assert_eq!(
            document["components"]["securitySchemes"]["bearer"]["scheme"],
            "bearer"
        );
        assert_eq!(
            document["paths"]["/api/v1/cases"]["post"]["security"][0]["bearer"],
            serde_json::json!([])
        );

        // What is served is the document the crate builds.
        assert_eq!(document, dsar::openapi::document_json());
    }
);

journey!(
    an_unknown_route_is_a_404_problem,
    |app: TestApp| async move {
        for path in ["/api/v1/nothing-here", "/api/v2/cases", "/favicon.ico"] {
            let response = app.get(&Caller::admin(), path).await;
            let body = problem(response, StatusCode::NOT_FOUND).await;
            assert_eq!(body["code"], "not_found", "{path}");
            assert_eq!(
                body["detail"],
                "No such resource, or it is not visible to you."
            );
        }
    }
);

journey!(
    a_path_asked_with_a_method_it_does_not_answer_is_a_405_naming_the_methods,
    |app: TestApp| async move {
        let admin = Caller::admin();
        let case = "0190c0de-0000-7000-8000-000000000001";
        for (method, path, allow) in [
            // The audit log has no delete endpoint.
            (reqwest::Method::DELETE, "/api/v1/audit".to_owned(), "GET"),
            (
                reqwest::Method::DELETE,
                "/api/v1/cases".to_owned(),
                "GET, POST",
            ),
            (
                reqwest::Method::PATCH,
                format!("/api/v1/cases/{case}"),
                "GET",
            ),
            (
                reqwest::Method::GET,
                "/api/v1/cases/search".to_owned(),
                "POST",
            ),
            (
                reqwest::Method::PUT,
                format!("/api/v1/letters/{case}.pdf"),
                "GET",
            ),
            (
                reqwest::Method::POST,
                "/api/v1/register/activities/a1".to_owned(),
                "DELETE, GET, PUT",
            ),
        ] {
            let response = app
                .send(app.request(method.clone(), &path, Some(&admin)))
                .await;
            let status = response.status();
            assert_eq!(
                response
                    .headers()
                    .get("allow")
                    .map(|v| v.to_str().unwrap().to_owned()),
                Some(allow.to_owned()),
                "{method} {path}: {status}"
            );
            let body = problem(response, StatusCode::METHOD_NOT_ALLOWED).await;
            assert_eq!(body["code"], "method_not_allowed", "{method} {path}");
        }
    }
);

/// The published contract: a change to the OpenAPI document shows up in review as a change to
/// this snapshot (`cargo insta review`, or `INSTA_UPDATE=always cargo test`).
#[test]
fn the_openapi_document_is_the_reviewed_contract() {
    insta::assert_json_snapshot!("openapi_document", dsar::openapi::document_json());
}

journey!(
    a_stored_case_that_no_longer_decodes_is_an_error_and_never_a_gap_in_the_list,
    |app: TestApp| async move {
        use diesel::RunQueryDsl;

        let admin = Caller::admin();
        app.add_controller("kommunstyrelsen", "Kommunstyrelsen")
            .await;
        let intact = app
            .create_case(&Caller::etjanst(), &etjanst_access_request())
            .await;
        let damaged = app
            .create_case(&Caller::etjanst(), &etjanst_access_request())
            .await;
        let damaged_id = id_of(&damaged);
        // A status written by hand (or by a bug) that no version of the service knows.
        let mut conn = app.database();
        diesel::sql_query(format!(
            "UPDATE cases SET status = 'lost_in_transit' WHERE id = '{damaged_id}'"
        ))
        .execute(&mut conn)
        .expect("damage the stored row");

        let read = app
            .get(&admin, &format!("/api/v1/cases/{damaged_id}"))
            .await;
        let text = problem(read, StatusCode::INTERNAL_SERVER_ERROR)
            .await
            .to_string();
        assert!(!text.contains("lost_in_transit"), "{text}");

        // A list that would silently leave it out would tell a DPO there is one case fewer.
        let list = app.get(&admin, "/api/v1/cases?limit=50").await;
        problem(list, StatusCode::INTERNAL_SERVER_ERROR).await;

        // The intact case still reads.
        let intact = app
            .get(&admin, &format!("/api/v1/cases/{}", id_of(&intact)))
            .await;
        assert_eq!(intact.status(), StatusCode::OK);
    }
);

journey!(
    every_answer_carries_the_security_headers,
    |app: TestApp| async move {
        let header = |response: &reqwest::Response, name: &str| {
            response
                .headers()
                .get(name)
                .map(|v| v.to_str().unwrap().to_owned())
        };
        for path in ["/api/v1/cases", "/api/v1/nothing-here", "/api/docs/"] {
            let response = app.get(&Caller::admin(), path).await;
            assert_eq!(
                header(&response, "x-content-type-options").as_deref(),
                Some("nosniff"),
                "{path}"
            );
            assert_eq!(
                header(&response, "x-frame-options").as_deref(),
                Some("DENY"),
                "{path}"
            );
            assert_eq!(
                header(&response, "referrer-policy").as_deref(),
                Some("no-referrer"),
                "{path}"
            );
        }
        // API answers carry personal data: never cached, never framed, nothing loaded.
        let response = app.get(&Caller::admin(), "/api/v1/cases").await;
        assert_eq!(
            header(&response, "cache-control").as_deref(),
            Some("no-store")
        );
        assert_eq!(
            header(&response, "content-security-policy").as_deref(),
            Some("default-src 'none'; frame-ancestors 'none'")
        );
    }
);

/// Each client address gets a burst and then a steady rate; past it a 429 problem says when to
/// come back, and other clients are not affected (the limit is off in the other journeys).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_over_its_rate_gets_429_with_retry_after() {
    let app = spawn_app_with(Backend::Sqlite, |s| {
        s.server.rate_limit_per_second = 1;
        s.server.rate_limit_burst = 3;
    })
    .await;
    let admin = Caller::admin();
    for _ in 0..3 {
        assert_eq!(
            app.get(&admin, "/api/v1/cases").await.status(),
            StatusCode::OK
        );
    }
    let response = app.get(&admin, "/api/v1/cases").await;
    let retry_after: u64 = response.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(retry_after >= 1, "{retry_after}");
    let body = problem(response, StatusCode::TOO_MANY_REQUESTS).await;
    assert_eq!(body["code"], "rate_limited");
    // Health checks are outside the API and never limited.
    assert_eq!(app.get_anonymous("/health").await.status(), StatusCode::OK);
}

/// The document links a created case to the operations on it (a generated client, or
/// schemathesis' stateful tests, can follow them), and every link names an operation there is.
#[test]
fn a_created_case_links_to_the_operations_on_it() {
    let document = dsar::openapi::document_json();
    let mut operation_ids = std::collections::BTreeSet::new();
    for item in document["paths"].as_object().unwrap().values() {
        for operation in item.as_object().unwrap().values() {
            if let Some(id) = operation["operationId"].as_str() {
                operation_ids.insert(id.to_owned());
            }
        }
    }
    let created = &document["paths"]["/api/v1/cases"]["post"]["responses"]["201"]["links"];
    for target in [
        "get_case",
        "case_journal",
        "decide",
        "identity",
        "compile_extract",
    ] {
        assert_eq!(created[target]["operationId"], target, "{created}");
        assert_eq!(created[target]["parameters"]["id"], "$response.body#/id");
    }
    let mut links = 0;
    for item in document["paths"].as_object().unwrap().values() {
        for operation in item.as_object().unwrap().values() {
            for response in operation["responses"].as_object().into_iter().flatten() {
                for link in response.1["links"].as_object().into_iter().flatten() {
                    let target = link.1["operationId"].as_str().expect("operationId");
                    assert!(operation_ids.contains(target), "{target}");
                    assert!(link.1.get("operation_id").is_none());
                    links += 1;
                }
            }
        }
    }
    assert!(links > 30, "{links} links");
}
