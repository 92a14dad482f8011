//! Who may do what: every role against every endpoint, as the role table of api.md says.

use reqwest::{Method, Response, StatusCode};
use serde_json::{json, Value};

use crate::helpers::*;
use crate::journey;

/// The roles of api.md, plus a token whose only role this service does not know.
fn callers() -> Vec<(&'static str, Caller)> {
    vec![
        ("etjanst", Caller::etjanst()),
        ("kontaktcenter", Caller::kontaktcenter()),
        ("handlaggare", Caller::handlaggare(&["kommunstyrelsen"])),
        ("dpo", Caller::dpo()),
        ("admin", Caller::admin()),
        ("unknown role", Caller::new("invanare", "medborgare")),
    ]
}

async fn call(
    app: &TestApp,
    caller: Option<&Caller>,
    method: &Method,
    path: &str,
    body: Option<&Value>,
) -> Response {
    let mut request = app.request(method.clone(), path, caller);
    if let Some(body) = body {
        request = request.json(body);
    }
    app.send(request).await
}

/// Checks an error answer is a problem document; returns what is wrong with it, if anything.
async fn problem_shape(response: Response) -> Option<String> {
    let status = response.status();
    let content_type = content_type(&response);
    let text = response.text().await.unwrap_or_default();
    let body: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
    let ok = content_type == "application/problem+json"
        && body["status"] == status.as_u16()
        && body["type"].is_string()
        && body["title"].is_string()
        && body["detail"].is_string()
        && body["code"].is_string();
    (!ok).then(|| format!("not a problem document ({content_type}): {text}"))
}

journey!(
    every_role_against_every_endpoint,
    |app: TestApp| async move {
        app.add_controller("kommunstyrelsen", "Kommunstyrelsen")
            .await;
        app.add_controller("socialnamnden", "Socialnämnden").await;
        let kc = Caller::kontaktcenter();
        let ks_case = app
            .create_case(
                &kc,
                &NewCase::logged("access", "letter", "2026-03-09T10:00:00Z")
                    .controllers(&["kommunstyrelsen"]),
            )
            .await["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let sn_case = app
            .create_case(
                &kc,
                &NewCase::logged("access", "letter", "2026-03-09T10:00:00Z")
                    .controllers(&["socialnamnden"]),
            )
            .await["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let etjanst_case = app
            .create_case(&Caller::etjanst(), &etjanst_access_request())
            .await["id"]
            .as_str()
            .unwrap()
            .to_owned();

        // Received now (the e-tjänst may not say when), by phone (the e-tjänst's channel is forced).
        let new_case = json!({
            "kind": "access",
            "channel": "phone",
            "subject": {"personnummer": "191212121212", "name": "Tolvan Tolvansson"},
            "controllers": ["kommunstyrelsen"]
        });
        let search = json!({"personnummer": "19121212-1212"});
        let new_controller =
            json!({"id": "barn-och-utbildning", "name": "Barn- och utbildningsnämnden"});
        let rename =
            json!({"name": "Kommunstyrelsen", "email": "kommunstyrelsen@exempel.kommun.se"});
        let (get, post, put) = (Method::GET, Method::POST, Method::PUT);

        #[rustfmt::skip]
        let table: Vec<(Method, String, Option<&Value>, [u16; 6])> = vec![
            //                                                                         etjanst kc  hl   dpo  admin unknown role
            (post.clone(), "/api/v1/cases".into(), Some(&new_case),                     [201, 201, 201, 403, 201, 403]),
            (get.clone(), "/api/v1/cases".into(), None,                                 [403, 200, 200, 200, 200, 403]),
            (get.clone(), format!("/api/v1/cases/{ks_case}"), None,                     [403, 200, 200, 200, 200, 403]),
            (get.clone(), format!("/api/v1/cases/{sn_case}"), None,                     [403, 200, 404, 200, 200, 403]),
            (get.clone(), format!("/api/v1/cases/{etjanst_case}"), None,                [403, 200, 200, 200, 200, 403]),
            (get.clone(), format!("/api/v1/cases/{ks_case}/candidates"), None,          [403, 403, 200, 200, 200, 403]),
            (get.clone(), format!("/api/v1/cases/{sn_case}/candidates"), None,          [403, 403, 404, 200, 200, 403]),
            (get.clone(), format!("/api/v1/cases/{ks_case}/extract"), None,             [403, 403, 404, 404, 404, 403]),
            (post.clone(), "/api/v1/citizen/cases".into(), Some(&search),               [200, 403, 403, 403, 200, 403]),
            (get.clone(), format!("/api/v1/cases/{ks_case}/journal"), None,             [403, 200, 200, 200, 200, 403]),
            (get.clone(), format!("/api/v1/cases/{sn_case}/journal"), None,             [403, 200, 404, 200, 200, 403]),
            (post.clone(), "/api/v1/cases/search".into(), Some(&search),                [403, 200, 200, 200, 200, 403]),
            (get.clone(), "/api/v1/controllers".into(), None,                           [200, 200, 200, 200, 200, 403]),
            (post.clone(), "/api/v1/controllers".into(), Some(&new_controller),         [403, 403, 403, 403, 201, 403]),
            (get.clone(), "/api/v1/controllers/kommunstyrelsen".into(), None,           [200, 200, 200, 200, 200, 403]),
            (put.clone(), "/api/v1/controllers/kommunstyrelsen".into(), Some(&rename),  [403, 403, 403, 403, 200, 403]),
            (get.clone(), "/api/v1/deadline?received=2026-03-03".into(), None,          [200, 200, 200, 200, 200, 403]),
            (get.clone(), "/api/v1/audit".into(), None,                                 [403, 403, 403, 200, 200, 403]),
        ];

        let mut wrong = Vec::new();
        for (method, path, body, expected) in &table {
            for ((role, caller), expected) in callers().iter().zip(expected) {
                let response = call(&app, Some(caller), method, path, *body).await;
                let status = response.status().as_u16();
                if status != *expected {
                    let text = response.text().await.unwrap_or_default();
                    wrong.push(format!(
                        "{role:>13} {method} {path}: {status}, expected {expected}: {text}"
                    ));
                } else if status >= 400 {
                    if let Some(problem) = problem_shape(response).await {
                        wrong.push(format!("{role:>13} {method} {path}: {problem}"));
                    }
                }
            }

            // Without a token every endpoint asks for one.
            let response = call(&app, None, method, path, *body).await;
            let status = response.status().as_u16();
            let challenge = response
                .headers()
                .get("www-authenticate")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned();
            if status != 401 || challenge != "Bearer" {
                wrong.push(format!(
                    "     no token {method} {path}: {status}, WWW-Authenticate {challenge:?}"
                ));
            } else {
                let body = problem(response, StatusCode::UNAUTHORIZED).await;
                if body["code"] != "missing_token" {
                    wrong.push(format!(
                        "     no token {method} {path}: code {}",
                        body["code"]
                    ));
                }
            }
        }
        assert!(
            wrong.is_empty(),
            "wrong answers on {:?}:\n{}",
            app.backend,
            wrong.join("\n")
        );
    }
);

journey!(
    a_handlaggare_sees_only_the_cases_of_their_own_controllers,
    |app: TestApp| async move {
        app.add_controller("kommunstyrelsen", "Kommunstyrelsen")
            .await;
        app.add_controller("socialnamnden", "Socialnämnden").await;
        let kc = Caller::kontaktcenter();
        let handlaggare = Caller::handlaggare(&["kommunstyrelsen"]);
        let request = |controllers: &[&str]| {
            NewCase::logged("access", "letter", "2026-03-09T10:00:00Z").controllers(controllers)
        };
        let ks = app.create_case(&kc, &request(&["kommunstyrelsen"])).await;
        let sn = app.create_case(&kc, &request(&["socialnamnden"])).await;
        let both = app
            .create_case(&kc, &request(&["kommunstyrelsen", "socialnamnden"]))
            .await;
        let none = app.create_case(&kc, &request(&[])).await;
        assert_eq!(references(&[ks, sn.clone(), both, none.clone()]).len(), 4);

        // Listing: only the cases with a part for kommunstyrelsen, newest first.
        let page: Value = app
            .get(&handlaggare, "/api/v1/cases")
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(
            references(page["items"].as_array().unwrap()),
            vec!["DSAR-2026-00003", "DSAR-2026-00001"]
        );

        // Filtering on another controller shows only the cases shared with their own, not an error.
        let page: Value = app
            .get(&handlaggare, "/api/v1/cases?controller=socialnamnden")
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(
            references(page["items"].as_array().unwrap()),
            vec!["DSAR-2026-00003"]
        );

        // Searching for the person shows only what they may see.
        let found: Value = app
            .post(
                &handlaggare,
                "/api/v1/cases/search",
                &json!({"personnummer": "191212121212"}),
            )
            .await
            .json()
            .await
            .unwrap();
        let mut found = references(found["items"].as_array().unwrap());
        found.sort();
        assert_eq!(found, vec!["DSAR-2026-00001", "DSAR-2026-00003"]);

        // Another controller's case, and a case with no controller yet, do not exist for them.
        for hidden in [&sn, &none] {
            let id = hidden["id"].as_str().unwrap();
            problem(
                app.get(&handlaggare, &format!("/api/v1/cases/{id}")).await,
                StatusCode::NOT_FOUND,
            )
            .await;
            problem(
                app.get(&handlaggare, &format!("/api/v1/cases/{id}/journal"))
                    .await,
                StatusCode::NOT_FOUND,
            )
            .await;
        }

        // A handläggare registers requests for their own controllers only.
        let response = app
            .post(
                &handlaggare,
                "/api/v1/cases",
                &NewCase::logged("access", "phone", "2026-03-10T08:00:00Z")
                    .controllers(&["socialnamnden"]),
            )
            .await;
        problem(response, StatusCode::FORBIDDEN).await;
        assert_eq!(app.all_cases().await.len(), 4);
    }
);

journey!(
    the_dpo_reads_everything_but_registers_nothing,
    |app: TestApp| async move {
        app.add_controller("kommunstyrelsen", "Kommunstyrelsen")
            .await;
        let response = app
            .post(
                &Caller::dpo(),
                "/api/v1/cases",
                &NewCase::logged("access", "phone", "2026-03-10T08:00:00Z")
                    .controllers(&["kommunstyrelsen"]),
            )
            .await;
        let body = problem(response, StatusCode::FORBIDDEN).await;
        assert_eq!(body["code"], "forbidden");
        assert_eq!(app.all_cases().await, Vec::<Value>::new());
        // Only the administrator's creation of the controller is in the audit log.
        assert_eq!(app.audit_actions().await, vec!["controller.create"]);
    }
);
