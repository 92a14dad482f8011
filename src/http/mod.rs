//! HTTP plumbing shared by the capabilities: the JSON extractor, pagination, error handlers.

pub mod json;
pub mod methods;
pub mod pagination;
pub mod query;
pub mod rate_limit;
pub mod read_trail;

use actix_web::HttpRequest;

pub use json::{BodyLimit, JsonBody};
pub use pagination::Page;
pub use query::Query;

/// A path segment that does not parse (e.g. a case id that is not a UUID) is simply not found,
/// unless the path is another route's (`GET /cases/search` is 405, not case "search").
pub fn path_error(_: actix_web::error::PathError, request: &HttpRequest) -> actix_web::Error {
    methods::refusal(request).into()
}
