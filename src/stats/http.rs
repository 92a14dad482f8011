//! `GET /api/v1/stats`.

use actix_web::{get, web, HttpResponse};

use super::service::{self, Stats};
use crate::auth::AuthUser;
use crate::error::AppResult;
use crate::services::Services;

/// Statistics for the DPO.
#[utoipa::path(
    tag = "monitoring",
    responses(
        (status = 200, body = Stats),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/stats")]
pub async fn stats(state: web::Data<Services>, user: AuthUser) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(service::stats(&state, &user).await?))
}
