use actix_web::{post, web, HttpResponse};
use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::ToSchema;

use super::{run, RetentionReport};
use crate::auth::{Action, AuthUser};
use crate::error::AppResult;
use crate::http::JsonBody;
use crate::services::Services;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RetentionRunRequest {
    /// `true`: only report what would be purged. `false`: purge now.
    pub dry_run: bool,
    /// The day to judge by (dry runs only; a real run is always as of today).
    pub as_of: Option<NaiveDate>,
}

/// What each retention class would purge on a date, or purge it now (admin).
#[utoipa::path(
    tag = "retention",
    request_body = RetentionRunRequest,
    responses(
        (status = 200, body = RetentionReport),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/retention/run")]
pub async fn run_retention(
    state: web::Data<Services>,
    user: AuthUser,
    body: JsonBody<RetentionRunRequest>,
) -> AppResult<HttpResponse> {
    user.require(Action::RunRetention)?;
    let report = run(&state, body.value.as_of, body.value.dry_run).await?;
    Ok(HttpResponse::Ok().json(report))
}
