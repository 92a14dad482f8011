//! The request id and the reader's stated reason of a read of one case (`Dsar-Read-Reason`).

use std::future::{ready, Ready};

use actix_web::{dev::Payload, FromRequest, HttpMessage, HttpRequest};
use tracing_actix_web::RequestId;

use crate::cases::access::ReadTrail;
use crate::error::AppError;

/// The header a reader states their reason in; required to read a protected-identity case.
pub const READ_REASON_HEADER: &str = "Dsar-Read-Reason";
const MAX_REASON: usize = 500;

impl FromRequest for ReadTrail {
    type Error = AppError;
    type Future = Ready<Result<Self, AppError>>;

    fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
        let request_id = request
            .extensions()
            .get::<RequestId>()
            .map(ToString::to_string);
        ready(read_reason(request).map(|reason| ReadTrail { request_id, reason }))
    }
}

/// The stated reason: UTF-8 text of at most 500 characters; an empty header is no reason.
fn read_reason(request: &HttpRequest) -> Result<Option<String>, AppError> {
    let Some(value) = request.headers().get(READ_REASON_HEADER) else {
        return Ok(None);
    };
    let invalid = || {
        AppError::validation(
            READ_REASON_HEADER,
            "invalid",
            format!("The reason is at most {MAX_REASON} characters of UTF-8 text on one line."),
        )
    };
    let text = std::str::from_utf8(value.as_bytes()).map_err(|_| invalid())?;
    let text = text.trim();
    if text.chars().count() > MAX_REASON || text.chars().any(char::is_control) {
        return Err(invalid());
    }
    Ok((!text.is_empty()).then(|| text.to_owned()))
}
