use actix_web::{get, post, put, web, HttpResponse};
use chrono::{DateTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::store::{self, ControllerRow};
use crate::app::AppState;
use crate::auth::{Action, AuthUser};
use crate::domain::names::{ControllerId, Email};
use crate::error::{AppError, AppResult, FieldError};
use crate::http::JsonBody;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateControllerRequest {
    /// Slug, e.g. `socialnamnden`.
    pub id: String,
    /// e.g. `Socialnämnden`.
    pub name: String,
    pub email: Option<String>,
    pub dpo_email: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateControllerRequest {
    pub name: String,
    pub email: Option<String>,
    pub dpo_email: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Controller {
    pub id: String,
    pub name: String,
    pub email: Option<String>,
    pub dpo_email: Option<String>,
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
            created_at: Utc.from_utc_datetime(&row.created_at),
            updated_at: Utc.from_utc_datetime(&row.updated_at),
        }
    }
}

/// The controller's contact fields, validated.
struct Contacts {
    name: String,
    email: Option<String>,
    dpo_email: Option<String>,
}

fn parse_contacts(
    name: &str,
    email: Option<&str>,
    dpo_email: Option<&str>,
    errors: &mut Vec<FieldError>,
) -> Contacts {
    let name = name.trim().to_owned();
    if name.is_empty() || name.chars().count() > 200 {
        errors.push(FieldError::new(
            "name",
            "required",
            "A name of 1-200 characters is required.",
        ));
    }
    let mut email_field = |field: &str, value: Option<&str>| {
        let value = value.map(str::trim).filter(|v| !v.is_empty())?;
        match Email::parse(value) {
            Ok(email) => Some(email.as_str().to_owned()),
            Err(message) => {
                errors.push(FieldError::new(field, "invalid_email", message));
                None
            }
        }
    };
    Contacts {
        email: email_field("email", email),
        dpo_email: email_field("dpo_email", dpo_email),
        name,
    }
}

/// All controllers.
#[utoipa::path(tag = "controllers", responses((status = 200, body = Vec<Controller>)), security(("bearer" = [])))]
#[get("/controllers")]
pub async fn list_controllers(
    state: web::Data<AppState>,
    user: AuthUser,
) -> AppResult<HttpResponse> {
    user.require(Action::ReadControllers)?;
    let rows = state.db.read(store::list).await?;
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
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<String>,
) -> AppResult<HttpResponse> {
    user.require(Action::ReadControllers)?;
    let id = path.into_inner();
    let row = state
        .db
        .read(move |conn| store::find(conn, &id))
        .await?
        .ok_or(AppError::NotFound)?;
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
    state: web::Data<AppState>,
    user: AuthUser,
    body: JsonBody<CreateControllerRequest>,
) -> AppResult<HttpResponse> {
    user.require(Action::ManageControllers)?;
    let request = body.value;
    let mut errors = Vec::new();
    let id = ControllerId::parse(request.id.trim())
        .map_err(|message| errors.push(FieldError::new("id", "invalid_controller", message)))
        .ok();
    let contacts = parse_contacts(
        &request.name,
        request.email.as_deref(),
        request.dpo_email.as_deref(),
        &mut errors,
    );
    let (Some(id), true) = (id, errors.is_empty()) else {
        return Err(AppError::Validation(errors));
    };
    let now = state.clock.now().naive_utc();
    let row = ControllerRow {
        id: id.into_string(),
        name: contacts.name,
        email: contacts.email,
        dpo_email: contacts.dpo_email,
        created_at: now,
        updated_at: now,
    };
    let inserted = row.clone();
    let created = state
        .db
        .write(move |conn| store::insert(conn, &inserted))
        .await?;
    if !created {
        return Err(AppError::Conflict {
            code: "controller_exists",
            detail: "A controller with this id already exists.".into(),
        });
    }
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
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<String>,
    body: JsonBody<UpdateControllerRequest>,
) -> AppResult<HttpResponse> {
    user.require(Action::ManageControllers)?;
    let id = path.into_inner();
    let request = body.value;
    let mut errors = Vec::new();
    let contacts = parse_contacts(
        &request.name,
        request.email.as_deref(),
        request.dpo_email.as_deref(),
        &mut errors,
    );
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let now = state.clock.now().naive_utc();
    let row = state
        .db
        .write(move |conn| {
            store::update(
                conn,
                &id,
                &contacts.name,
                contacts.email.as_deref(),
                contacts.dpo_email.as_deref(),
                now,
            )
        })
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(HttpResponse::Ok().json(Controller::from(row)))
}
