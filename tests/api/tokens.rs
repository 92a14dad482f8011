//! Bearer tokens: only a token this service would accept gets in; everything else is a 401
//! problem document with a `WWW-Authenticate: Bearer` challenge.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use jsonwebtoken::{encode, Algorithm, EncodingKey, Header};
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::*;
use crate::journey;

/// Claims an administrator's token would carry, issued now (tokens are checked against real time).
fn claims() -> Value {
    let settings = test_settings();
    let now = chrono::Utc::now().timestamp();
    json!({
        "sub": "admin-david",
        "name": "David Admin",
        "roles": ["admin"],
        "controllers": [],
        "iat": now,
        "exp": now + 3600,
        "iss": settings.auth.issuer,
        "aud": settings.auth.audience,
    })
}

fn sign(algorithm: Algorithm, secret: &str, claims: &Value) -> String {
    encode(
        &Header::new(algorithm),
        claims,
        &EncodingKey::from_secret(secret.as_bytes()),
    )
    .expect("sign")
}

/// Signed as the service expects: HS256 with the configured secret.
fn signed(claims: &Value) -> String {
    sign(
        Algorithm::HS256,
        &test_settings().auth.hs256_secret.expect("secret"),
        claims,
    )
}

/// An unsecured JWT (RFC 7519 section 6): `alg: none` and an empty signature.
fn unsigned(claims: &Value) -> String {
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
    let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(claims).unwrap());
    format!("{header}.{payload}.")
}

fn with(changes: Value) -> Value {
    let mut claims = claims();
    for (name, value) in changes.as_object().unwrap() {
        if value.is_null() {
            claims.as_object_mut().unwrap().remove(name);
        } else {
            claims[name] = value.clone();
        }
    }
    claims
}

/// Calls `GET /api/v1/cases` with `authorization` as the whole header value.
async fn list_with(app: &TestApp, authorization: &str) -> reqwest::Response {
    let request = app
        .request(reqwest::Method::GET, "/api/v1/cases", None)
        .header("Authorization", authorization);
    app.send(request).await
}

/// Asserts the 401 problem document with its challenge; returns (code, detail).
async fn refused(response: reqwest::Response) -> (String, String) {
    let challenge = response
        .headers()
        .get("www-authenticate")
        .map(|v| v.to_str().unwrap().to_owned());
    let body = problem(response, StatusCode::UNAUTHORIZED).await;
    assert_eq!(challenge.as_deref(), Some("Bearer"));
    (
        body["code"].as_str().unwrap().to_owned(),
        body["detail"].as_str().unwrap().to_owned(),
    )
}

journey!(a_valid_token_is_accepted, |app: TestApp| async move {
    let response = list_with(&app, &format!("Bearer {}", signed(&claims()))).await;
    assert_eq!(response.status(), StatusCode::OK);
    // The scheme is case-insensitive (RFC 7235).
    let response = list_with(&app, &format!("bearer {}", signed(&claims()))).await;
    assert_eq!(response.status(), StatusCode::OK);
});

journey!(
    tokens_the_service_must_not_accept,
    |app: TestApp| async move {
        let now = chrono::Utc::now().timestamp();
        let cases: Vec<(&str, String, &str, &str)> = vec![
            (
                "expired an hour ago (far past the 30 s leeway)",
                signed(&with(json!({"iat": now - 7200, "exp": now - 3600}))),
                "invalid_token",
                "The token has expired.",
            ),
            (
                "signed with another secret",
                sign(
                    Algorithm::HS256,
                    "not-the-secret-of-this-service",
                    &claims(),
                ),
                "invalid_token",
                "The token is invalid.",
            ),
            (
                "unsigned (alg none)",
                unsigned(&claims()),
                "invalid_token",
                "The token is invalid.",
            ),
            (
                "for another audience",
                signed(&with(json!({"aud": "another-api"}))),
                "invalid_token",
                "The token is for another audience.",
            ),
            (
                "from another issuer",
                signed(&with(json!({"iss": "https://login.example.org"}))),
                "invalid_token",
                "The token is from another issuer.",
            ),
            (
                "not valid for another hour (nbf)",
                signed(&with(json!({"nbf": now + 3600}))),
                "invalid_token",
                "The token is not valid yet.",
            ),
            (
                "HS384 instead of HS256",
                sign(
                    Algorithm::HS384,
                    &test_settings().auth.hs256_secret.unwrap(),
                    &claims(),
                ),
                "invalid_token",
                "The token is signed with an algorithm this service does not accept.",
            ),
            (
                "without exp",
                signed(&with(json!({"exp": null}))),
                "invalid_token",
                "The token is invalid.",
            ),
            (
                "without sub",
                signed(&with(json!({"sub": null}))),
                "invalid_token",
                "The token is invalid.",
            ),
            (
                "garbage",
                "garbage".to_string(),
                "invalid_token",
                "The token is invalid.",
            ),
            (
                "three dots of nothing",
                "..".to_string(),
                "invalid_token",
                "The token is invalid.",
            ),
        ];
        for (what, token, code, detail) in cases {
            let answer = refused(list_with(&app, &format!("Bearer {token}")).await).await;
            assert_eq!(
                answer,
                (code.to_string(), detail.to_string()),
                "a token {what}"
            );
        }
    }
);

journey!(
    a_token_without_the_bearer_scheme_is_missing,
    |app: TestApp| async move {
        let token = signed(&claims());
        for header in [
            token.clone(),
            format!("Token {token}"),
            "Basic YWRtaW46aHVudGVyMg==".to_string(),
            "Bearer".to_string(),
        ] {
            let answer = refused(list_with(&app, &header).await).await;
            assert_eq!(
                answer,
                (
                    "missing_token".to_string(),
                    "Send `Authorization: Bearer <token>`.".to_string()
                ),
                "Authorization: {header}"
            );
        }
        let response = app.get_anonymous("/api/v1/cases").await;
        assert_eq!(refused(response).await.0, "missing_token");
    }
);

journey!(
    an_audience_given_as_a_list_is_accepted,
    |app: TestApp| async move {
        // RFC 7519 4.1.3: `aud` is a string or an array of strings; identity providers (Keycloak,
        // Entra ID) send an array when a token is meant for several services.
        let audience = test_settings().auth.audience;
        let token = signed(&with(json!({"aud": [audience, "another-api"]})));
        let response = list_with(&app, &format!("Bearer {token}")).await;
        let status = response.status();
        assert_eq!(status, StatusCode::OK, "{}", response.text().await.unwrap());

        // But a list without this service is still refused.
        let token = signed(&with(json!({"aud": ["another-api"]})));
        let answer = refused(list_with(&app, &format!("Bearer {token}")).await).await;
        assert_eq!(answer.0, "invalid_token");
    }
);
