//! One error type for the whole service, mapped once to `application/problem+json` (RFC 9457).
//!
//! Every variant has a stable machine-readable `code`. The cause of an internal error goes to the
//! log (without personal data) and never into a response.

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::ToSchema;

/// One invalid field of a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct FieldError {
    /// Path of the field in the request, e.g. `subject.personnummer`, or a query parameter name.
    pub field: String,
    /// Stable code, e.g. `required`, `invalid_checksum`, `in_the_future`.
    pub code: String,
    /// Human readable explanation (never echoes personal data).
    pub message: String,
}

impl FieldError {
    pub fn new(
        field: impl Into<String>,
        code: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            field: field.into(),
            code: code.into(),
            message: message.into(),
        }
    }
}

/// The stable codes of 409 Conflict: what in the case's state stopped the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConflictCode {
    ControllerExists,
    NotAnAccessRequest,
    ConcurrentModification,
    VersionMismatch,
    PartAlreadyDecided,
    AlreadyDelivered,
    ExtractMissing,
    AddressMissing,
    AlreadyExtended,
    ExtensionTooLate,
    IdentityAlreadyVerified,
    AlreadyAwaitingInformation,
    NotAwaitingInformation,
    IdentityUnverified,
    RepresentativeUnverified,
    ControllerAlreadyPart,
    CaseAlreadyDecided,
    CaseNotDecided,
    CaseClosed,
    CaseWithdrawn,
    AppealNotPending,
    ExtensionNoticeImpossible,
    LetterNotToPrint,
    LetterNotSent,
    NoFinding,
    ExtractOutOfDate,
    WithheldFindings,
    WithheldAfterGrant,
    NotAPortabilityRequest,
    RestrictionNotInForce,
    LiftNotNotified,
}

impl ConflictCode {
    pub fn as_str(self) -> &'static str {
        match self {
            ConflictCode::ControllerExists => "controller_exists",
            ConflictCode::NotAnAccessRequest => "not_an_access_request",
            ConflictCode::ConcurrentModification => "concurrent_modification",
            ConflictCode::VersionMismatch => "version_mismatch",
            ConflictCode::PartAlreadyDecided => "part_already_decided",
            ConflictCode::AlreadyDelivered => "already_delivered",
            ConflictCode::ExtractMissing => "extract_missing",
            ConflictCode::AddressMissing => "address_missing",
            ConflictCode::AlreadyExtended => "already_extended",
            ConflictCode::ExtensionTooLate => "extension_too_late",
            ConflictCode::IdentityAlreadyVerified => "identity_already_verified",
            ConflictCode::AlreadyAwaitingInformation => "already_awaiting_information",
            ConflictCode::NotAwaitingInformation => "not_awaiting_information",
            ConflictCode::IdentityUnverified => "identity_unverified",
            ConflictCode::RepresentativeUnverified => "representative_unverified",
            ConflictCode::ControllerAlreadyPart => "controller_already_part",
            ConflictCode::CaseAlreadyDecided => "case_already_decided",
            ConflictCode::CaseNotDecided => "case_not_decided",
            ConflictCode::CaseClosed => "case_closed",
            ConflictCode::CaseWithdrawn => "case_withdrawn",
            ConflictCode::AppealNotPending => "appeal_not_pending",
            ConflictCode::ExtensionNoticeImpossible => "extension_notice_impossible",
            ConflictCode::LetterNotToPrint => "letter_not_to_print",
            ConflictCode::LetterNotSent => "letter_not_sent",
            ConflictCode::NoFinding => "no_finding",
            ConflictCode::ExtractOutOfDate => "extract_out_of_date",
            ConflictCode::WithheldFindings => "withheld_findings",
            ConflictCode::WithheldAfterGrant => "withheld_after_grant",
            ConflictCode::NotAPortabilityRequest => "not_a_portability_request",
            ConflictCode::RestrictionNotInForce => "restriction_not_in_force",
            ConflictCode::LiftNotNotified => "lift_not_notified",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("malformed request body")]
    MalformedJson { detail: String },
    #[error("unsupported media type")]
    UnsupportedMediaType { detail: String },
    #[error("validation failed")]
    Validation(Vec<FieldError>),
    #[error("unauthenticated")]
    Unauthenticated {
        code: &'static str,
        detail: &'static str,
    },
    #[error("forbidden")]
    Forbidden { detail: String },
    #[error("not found")]
    NotFound,
    /// The path exists, but not with this method.
    #[error("method not allowed")]
    MethodNotAllowed { allow: String },
    #[error("conflict: {}", code.as_str())]
    Conflict { code: ConflictCode, detail: String },
    #[error("payload too large")]
    PayloadTooLarge { limit: usize },
    /// A case about a person with protected identity is read only with a stated reason.
    #[error("read reason required")]
    ReadReasonRequired,
    #[error("service unavailable")]
    Unavailable,
    /// The client sent more requests than its rate allows.
    #[error("rate limited")]
    RateLimited { retry_after_seconds: u64 },
    /// Too much work is queued; the client may retry after the given seconds.
    #[error("overloaded")]
    Overloaded { retry_after_seconds: u32 },
    #[error("internal error")]
    Internal(#[source] anyhow::Error),
}

impl AppError {
    pub fn validation(
        field: impl Into<String>,
        code: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        AppError::Validation(vec![FieldError::new(field, code, message)])
    }

    pub fn forbidden(detail: impl Into<String>) -> Self {
        AppError::Forbidden {
            detail: detail.into(),
        }
    }

    pub fn internal(cause: impl Into<anyhow::Error>) -> Self {
        AppError::Internal(cause.into())
    }

    /// The field errors or the detail, for the command line.
    pub fn details(&self) -> serde_json::Value {
        match self {
            AppError::Validation(errors) => serde_json::to_value(errors).unwrap_or_default(),
            other => serde_json::Value::String(other.detail()),
        }
    }

    /// A database unique constraint refused the write (a race another transaction won).
    pub fn is_unique_violation(&self) -> bool {
        use diesel::result::{DatabaseErrorKind, Error};
        match self {
            AppError::Internal(cause) => matches!(
                cause.downcast_ref::<Error>(),
                Some(Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _))
            ),
            _ => false,
        }
    }

    /// The stable code of this error, also the last segment of the problem `type`.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::MalformedJson { .. } => "malformed_json",
            AppError::UnsupportedMediaType { .. } => "unsupported_media_type",
            AppError::Validation(_) => "validation_failed",
            AppError::Unauthenticated { code, .. } => code,
            AppError::Forbidden { .. } => "forbidden",
            AppError::NotFound => "not_found",
            AppError::MethodNotAllowed { .. } => "method_not_allowed",
            AppError::Conflict { code, .. } => code.as_str(),
            AppError::PayloadTooLarge { .. } => "payload_too_large",
            AppError::ReadReasonRequired => "read_reason_required",
            AppError::Unavailable => "unavailable",
            AppError::Overloaded { .. } => "overloaded",
            AppError::RateLimited { .. } => "rate_limited",
            AppError::Internal(_) => "internal_error",
        }
    }

    fn title(&self) -> &'static str {
        match self {
            AppError::MalformedJson { .. } => "The request body is not valid JSON",
            AppError::UnsupportedMediaType { .. } => "Unsupported media type",
            AppError::Validation(_) => "The request is invalid",
            AppError::Unauthenticated { .. } => "Authentication required",
            AppError::Forbidden { .. } => "Not allowed",
            AppError::NotFound => "Not found",
            AppError::MethodNotAllowed { .. } => "Method not allowed",
            AppError::Conflict { .. } => "Conflict with the current state",
            AppError::PayloadTooLarge { .. } => "The request body is too large",
            AppError::ReadReasonRequired => "Say why you read this case",
            AppError::Unavailable => "Service unavailable",
            AppError::Overloaded { .. } => "Too many requests at once",
            AppError::RateLimited { .. } => "Too many requests from this client",
            AppError::Internal(_) => "Internal error",
        }
    }

    fn detail(&self) -> String {
        match self {
            AppError::MalformedJson { detail } | AppError::UnsupportedMediaType { detail } => {
                detail.clone()
            }
            AppError::Validation(errors) => match errors.len() {
                1 => format!("1 field is invalid: {}", errors[0].field),
                n => format!("{n} fields are invalid"),
            },
            AppError::Unauthenticated { detail, .. } => (*detail).to_owned(),
            AppError::Forbidden { detail } => detail.clone(),
            AppError::NotFound => "No such resource, or it is not visible to you.".into(),
            AppError::MethodNotAllowed { allow } => {
                format!("This resource answers {allow}.")
            }
            AppError::Conflict { detail, .. } => detail.clone(),
            AppError::PayloadTooLarge { limit } => {
                format!("The body exceeds the limit of {limit} bytes.")
            }
            AppError::ReadReasonRequired => {
                "This case concerns a person with protected identity: every read is audited with \
                 the reason the reader gives in the `Dsar-Read-Reason` header."
                    .into()
            }
            AppError::Unavailable => "The database is not reachable.".into(),
            AppError::Overloaded { retry_after_seconds } => format!(
                "The service has more work queued than it takes at once; retry in {retry_after_seconds} s."
            ),
            AppError::RateLimited { retry_after_seconds } => format!(
                "This client has sent more requests than the service takes from one client; retry in {retry_after_seconds} s."
            ),
            AppError::Internal(_) => "An internal error occurred; it has been logged.".into(),
        }
    }
}

/// The problem document of RFC 9457 with this service's extensions `code` and `errors`.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    #[serde(rename = "type")]
    pub type_: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    pub code: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub errors: Option<Vec<FieldError>>,
}

pub const PROBLEM_CONTENT_TYPE: &str = "application/problem+json";

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            AppError::MalformedJson { .. } => StatusCode::BAD_REQUEST,
            AppError::UnsupportedMediaType { .. } => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AppError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Unauthenticated { .. } => StatusCode::UNAUTHORIZED,
            AppError::Forbidden { .. } => StatusCode::FORBIDDEN,
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            AppError::Conflict { .. } => StatusCode::CONFLICT,
            AppError::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::ReadReasonRequired => StatusCode::PRECONDITION_REQUIRED,
            AppError::Unavailable | AppError::Overloaded { .. } => StatusCode::SERVICE_UNAVAILABLE,
            AppError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let AppError::Internal(cause) = self {
            // The cause chain names queries and types, never request data.
            tracing::error!(error = format!("{cause:#}"), "internal error");
        }
        let status = self.status_code();
        let problem = Problem {
            type_: format!("urn:dsar:problem:{}", self.code()),
            title: self.title().into(),
            status: status.as_u16(),
            detail: self.detail(),
            code: self.code().into(),
            errors: match self {
                AppError::Validation(errors) => Some(errors.clone()),
                _ => None,
            },
        };
        let mut response = HttpResponse::build(status);
        response.insert_header((header::CONTENT_TYPE, PROBLEM_CONTENT_TYPE));
        if let AppError::MethodNotAllowed { allow } = self {
            response.insert_header((header::ALLOW, allow.as_str()));
        }
        if matches!(self, AppError::Unauthenticated { .. }) {
            response.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
        }
        if let AppError::Overloaded {
            retry_after_seconds,
        } = self
        {
            response.insert_header((header::RETRY_AFTER, retry_after_seconds.to_string()));
        }
        if let AppError::RateLimited {
            retry_after_seconds,
        } = self
        {
            response.insert_header((header::RETRY_AFTER, retry_after_seconds.to_string()));
        }
        response.body(serde_json::to_vec(&problem).unwrap_or_default())
    }
}

impl From<diesel::result::Error> for AppError {
    fn from(error: diesel::result::Error) -> Self {
        // The database went away (restarted, the network): the client may retry.
        if crate::db::is_connection_lost(&error) {
            tracing::warn!(error = %error, "the database connection is lost");
            // The pool drops this thread's connection when it is handed back, and pings the
            // others for a while.
            crate::db::mark_lost();
            return AppError::Unavailable;
        }
        if crate::db::is_disk_full(&error) {
            tracing::error!("the database's disk is full: writes are refused until there is room");
            return AppError::Unavailable;
        }
        AppError::Internal(error.into())
    }
}

impl From<diesel::r2d2::PoolError> for AppError {
    fn from(_: diesel::r2d2::PoolError) -> Self {
        AppError::Unavailable
    }
}

pub type AppResult<T> = Result<T, AppError>;
