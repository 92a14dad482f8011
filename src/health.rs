//! Liveness and readiness for load balancers and orchestrators.

use actix_web::{get, web, HttpResponse};

use crate::error::AppResult;
use crate::services::Services;

/// Liveness: the process answers.
#[utoipa::path(tag = "operations", responses((status = 200, description = "alive")))]
#[get("/health")]
pub async fn health() -> HttpResponse {
    HttpResponse::Ok().json(serde_json::json!({ "status": "ok" }))
}

/// Readiness: the database answers.
#[utoipa::path(
    tag = "operations",
    responses(
        (status = 200, description = "ready"),
        (status = 503, body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[get("/ready")]
pub async fn ready(state: web::Data<Services>) -> AppResult<HttpResponse> {
    state.db.ping().await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({ "status": "ready" })))
}
