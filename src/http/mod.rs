//! HTTP plumbing shared by the capabilities: the JSON extractor, pagination, error handlers.

pub mod json;
pub mod pagination;
pub mod query;
pub mod read_trail;

use actix_web::HttpRequest;

use crate::error::AppError;

pub use json::{BodyLimit, JsonBody};
pub use pagination::Page;
pub use query::Query;

/// A path segment that does not parse (e.g. a case id that is not a UUID) is simply not found.
pub fn path_error(_: actix_web::error::PathError, _: &HttpRequest) -> actix_web::Error {
    AppError::NotFound.into()
}
