use actix_web::{get, web, HttpResponse};
use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::IntoParams;

use super::{explain, DeadlineExplanation};
use crate::auth::{Action, AuthUser};
use crate::error::{AppError, AppResult};
use crate::services::Services;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeadlineQuery {
    /// The day of receipt, `YYYY-MM-DD`.
    pub received: Option<NaiveDate>,
}

/// What a request received on `received` is due, and why.
#[utoipa::path(
    tag = "deadline",
    params(DeadlineQuery),
    responses(
        (status = 200, body = DeadlineExplanation),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/deadline")]
pub async fn deadline(
    state: web::Data<Services>,
    user: AuthUser,
    query: crate::http::Query<DeadlineQuery>,
) -> AppResult<HttpResponse> {
    user.require(Action::ComputeDeadline)?;
    let received = query.0.received.ok_or_else(|| {
        AppError::validation(
            "received",
            "required",
            "Give the day of receipt as ?received=YYYY-MM-DD.",
        )
    })?;
    let year = chrono::Datelike::year(&received);
    if !(1900..=2200).contains(&year) {
        return Err(AppError::validation(
            "received",
            "out_of_range",
            "The year must be between 1900 and 2200.",
        ));
    }
    Ok(HttpResponse::Ok().json(explain(received, &state.policy.calendar)))
}
