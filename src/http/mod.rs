//! HTTP plumbing shared by the capabilities: the JSON extractor, pagination, error handlers.

pub mod json;
pub mod pagination;

use actix_web::{error::QueryPayloadError, HttpRequest};

use crate::error::{AppError, FieldError};

pub use json::{BodyLimit, JsonBody};
pub use pagination::Page;

/// A bad query string is a 422 naming the parameter.
pub fn query_error(error: QueryPayloadError, _: &HttpRequest) -> actix_web::Error {
    let message = error.to_string();
    let message = message
        .strip_prefix("Query deserialize error: ")
        .unwrap_or(&message);
    let field = message
        .split('`')
        .nth(1)
        .filter(|_| message.contains("field `"))
        .unwrap_or("query")
        .to_owned();
    AppError::Validation(vec![FieldError::new(field, "invalid", message.to_owned())]).into()
}

/// A path segment that does not parse (e.g. a case id that is not a UUID) is simply not found.
pub fn path_error(_: actix_web::error::PathError, _: &HttpRequest) -> actix_web::Error {
    AppError::NotFound.into()
}
