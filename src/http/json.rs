//! The JSON body extractor: 415 for another media type, 413 above the body limit, 400 for
//! malformed JSON, 422 naming the field for JSON of the wrong shape.

use std::future::Future;
use std::pin::Pin;

use actix_web::{dev::Payload, http::header, web, FromRequest, HttpRequest};
use futures_util::StreamExt;
use serde::de::DeserializeOwned;

use crate::error::{AppError, FieldError};

/// The largest accepted body, set from `server.body_limit_bytes`.
#[derive(Debug, Clone, Copy)]
pub struct BodyLimit(pub usize);

/// A parsed JSON body, with the raw JSON value kept (for idempotency hashes).
pub struct JsonBody<T> {
    pub value: T,
    pub raw: serde_json::Value,
}

impl<T: DeserializeOwned + 'static> FromRequest for JsonBody<T> {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let limit = req
            .app_data::<web::Data<BodyLimit>>()
            .map(|l| l.0)
            .unwrap_or(1 << 20);
        let content_type_ok = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(|v| {
                let essence = v
                    .split(';')
                    .next()
                    .unwrap_or_default()
                    .trim()
                    .to_ascii_lowercase();
                essence == "application/json" || essence.ends_with("+json")
            })
            .unwrap_or(false);
        let declared_length = req
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok());
        let mut payload = payload.take();
        Box::pin(async move {
            if declared_length.is_some_and(|n| n > limit) {
                return Err(AppError::PayloadTooLarge { limit });
            }
            let mut body = web::BytesMut::new();
            while let Some(chunk) = payload.next().await {
                let chunk = chunk.map_err(|_| AppError::MalformedJson {
                    detail: "The request body could not be read.".into(),
                })?;
                if body.len() + chunk.len() > limit {
                    return Err(AppError::PayloadTooLarge { limit });
                }
                body.extend_from_slice(&chunk);
            }
            if !content_type_ok {
                return Err(AppError::UnsupportedMediaType {
                    detail: "Send the body as `Content-Type: application/json`.".into(),
                });
            }
            let raw: serde_json::Value =
                serde_json::from_slice(&body).map_err(|e| AppError::MalformedJson {
                    detail: format!(
                        "The body is not valid JSON (line {}, column {}).",
                        e.line(),
                        e.column()
                    ),
                })?;
            let value = parse_value(raw.clone())?;
            Ok(JsonBody { value, raw })
        })
    }
}

/// Deserializes a JSON value into `T`, turning a shape error into a 422 naming the field.
pub fn parse_value<T: DeserializeOwned>(raw: serde_json::Value) -> Result<T, AppError> {
    serde_path_to_error::deserialize(raw).map_err(|error| {
        let path = error.path().to_string();
        let inner = error.into_inner();
        AppError::Validation(vec![shape_error(&path, &inner.to_string())])
    })
}

/// serde's messages never contain the offending value for strings, so they are safe to return.
pub(crate) fn shape_error(path: &str, message: &str) -> FieldError {
    let path = if path == "." { "" } else { path };
    let join = |name: &str| {
        if path.is_empty() {
            name.to_owned()
        } else {
            format!("{path}.{name}")
        }
    };
    if let Some(name) = backticked_after(message, "missing field `") {
        return FieldError::new(join(name), "required", format!("`{name}` is required."));
    }
    if let Some(name) = backticked_after(message, "unknown field `") {
        // The path already ends at the unknown field.
        let field = if path.ends_with(name) {
            path.to_owned()
        } else {
            join(name)
        };
        return FieldError::new(
            field,
            "unknown_field",
            format!("`{name}` is not a field of this request."),
        );
    }
    let field = if path.is_empty() {
        "body".to_owned()
    } else {
        path.to_owned()
    };
    let code = if message.starts_with("unknown variant") {
        "unknown_value"
    } else if message.starts_with("invalid type") {
        "invalid_type"
    } else {
        "invalid"
    };
    FieldError::new(field, code, without_values(message))
}

/// serde's message without the offending value (it could be personal data), keeping what was
/// expected: "invalid type: integer `19121212`, expected a string" becomes
/// "invalid type: integer, expected a string".
pub fn without_values(message: &str) -> String {
    let message = match message.find(" at line ") {
        Some(i) => &message[..i],
        None => message,
    };
    let (given, expected) = match message.split_once(", expected") {
        Some((given, expected)) => (given, format!(", expected{expected}")),
        None => (message, String::new()),
    };
    let given = match given.find(" `") {
        Some(i) => &given[..i],
        None => given,
    };
    format!("{given}{expected}")
}

fn backticked_after<'a>(message: &'a str, prefix: &str) -> Option<&'a str> {
    let rest = message.strip_prefix(prefix)?;
    rest.split('`').next()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Outer {
        kind: Kind,
        inner: Option<Inner>,
    }
    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "snake_case")]
    enum Kind {
        Access,
    }
    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Inner {
        name: String,
    }

    fn field_error(json: serde_json::Value) -> FieldError {
        match parse_value::<Outer>(json) {
            Err(AppError::Validation(errors)) => errors[0].clone(),
            other => panic!("expected a validation error, got {:?}", other.map(|_| ())),
        }
    }

    #[test]
    fn names_the_field() {
        let e = field_error(serde_json::json!({}));
        assert_eq!((e.field.as_str(), e.code.as_str()), ("kind", "required"));
        let e = field_error(serde_json::json!({"kind": "access", "inner": {}}));
        assert_eq!(
            (e.field.as_str(), e.code.as_str()),
            ("inner.name", "required")
        );
        let e = field_error(serde_json::json!({"kind": "nope"}));
        assert_eq!(
            (e.field.as_str(), e.code.as_str()),
            ("kind", "unknown_value")
        );
        let e = field_error(serde_json::json!({"kind": "access", "inner": {"name": 5}}));
        assert_eq!(
            (e.field.as_str(), e.code.as_str()),
            ("inner.name", "invalid_type")
        );
        let e = field_error(serde_json::json!({"kind": "access", "typo": 1}));
        assert_eq!(
            (e.field.as_str(), e.code.as_str()),
            ("typo", "unknown_field")
        );
        let e = field_error(serde_json::json!("just a string"));
        assert_eq!(e.field, "body");
        // The offending value is never echoed (it could be a personnummer).
        let e =
            field_error(serde_json::json!({"kind": "access", "inner": {"name": 191212121212u64}}));
        assert!(!e.message.contains("191212121212"), "{}", e.message);
        assert_eq!(e.message, "invalid type: integer, expected a string");
    }
}
