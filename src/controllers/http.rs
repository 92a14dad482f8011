use actix_web::{get, post, put, web, HttpResponse};
use chrono::{DateTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::service;
use super::store::ControllerRow;
use crate::auth::AuthUser;
use crate::domain::case::ControllerKind;
use crate::error::AppResult;
use crate::http::JsonBody;
use crate::services::Services;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateControllerRequest {
    /// Slug, e.g. `socialnamnden`.
    pub id: String,
    /// e.g. `Socialnämnden`.
    pub name: String,
    pub email: Option<String>,
    pub dpo_email: Option<String>,
    /// Default `namnd`. A `kommunalt_bolag` is not a myndighet: its decisions cannot be
    /// appealed to förvaltningsrätten.
    pub kind: Option<ControllerKind>,
    /// Postal address on letters and where an appeal is sent, e.g. `Box 123\n151 89 Södertälje`.
    pub postal_address: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateControllerRequest {
    pub name: String,
    pub email: Option<String>,
    pub dpo_email: Option<String>,
    /// Unchanged when left out.
    pub kind: Option<ControllerKind>,
    pub postal_address: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Controller {
    pub id: String,
    pub name: String,
    pub email: Option<String>,
    pub dpo_email: Option<String>,
    pub kind: ControllerKind,
    pub postal_address: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<ControllerRow> for Controller {
    fn from(row: ControllerRow) -> Self {
        Controller {
            id: row.id,
            name: row.name,
            email: row.email,
            dpo_email: row.dpo_email,
            kind: row.kind,
            postal_address: row.postal_address,
            created_at: Utc.from_utc_datetime(&row.created_at),
            updated_at: Utc.from_utc_datetime(&row.updated_at),
        }
    }
}

/// All controllers.
#[utoipa::path(tag = "controllers", responses((status = 200, body = Vec<Controller>)), security(("bearer" = [])))]
#[get("/controllers")]
pub async fn list_controllers(
    state: web::Data<Services>,
    user: AuthUser,
) -> AppResult<HttpResponse> {
    let rows = service::list(&state, &user).await?;
    Ok(HttpResponse::Ok().json(rows.into_iter().map(Controller::from).collect::<Vec<_>>()))
}

/// One controller.
#[utoipa::path(
    tag = "controllers",
    params(("id" = String, Path)),
    responses((status = 200, body = Controller), (status = 404, body = crate::error::Problem, content_type = "application/problem+json")),
    security(("bearer" = []))
)]
#[get("/controllers/{id}")]
pub async fn get_controller(
    state: web::Data<Services>,
    user: AuthUser,
    path: web::Path<String>,
) -> AppResult<HttpResponse> {
    let row = service::find(&state, &user, path.into_inner()).await?;
    Ok(HttpResponse::Ok().json(Controller::from(row)))
}

/// Add a controller (admin).
#[utoipa::path(
    tag = "controllers",
    request_body = CreateControllerRequest,
    responses(
        (status = 201, body = Controller),
        (status = 409, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/controllers")]
pub async fn create_controller(
    state: web::Data<Services>,
    user: AuthUser,
    body: JsonBody<CreateControllerRequest>,
) -> AppResult<HttpResponse> {
    let row = service::create(&state, &user, body.value).await?;
    Ok(HttpResponse::Created().json(Controller::from(row)))
}

/// Change a controller's name and contacts (admin).
#[utoipa::path(
    tag = "controllers",
    params(("id" = String, Path)),
    request_body = UpdateControllerRequest,
    responses(
        (status = 200, body = Controller),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[put("/controllers/{id}")]
pub async fn update_controller(
    state: web::Data<Services>,
    user: AuthUser,
    path: web::Path<String>,
    body: JsonBody<UpdateControllerRequest>,
) -> AppResult<HttpResponse> {
    let row = service::update(&state, &user, path.into_inner(), body.value).await?;
    Ok(HttpResponse::Ok().json(Controller::from(row)))
}
