//! The controllers' service: list, read, add and change the nämnder.

use super::http::{CreateControllerRequest, UpdateControllerRequest};
use super::store::{self, ControllerRow};
use serde_json::json;

use crate::audit::{self, AuditAction};
use crate::auth::{Action, AuthUser};
use crate::domain::case::ControllerKind;
use crate::domain::names::{ControllerId, Email};
use crate::error::{AppError, AppResult, ConflictCode, FieldError};
use crate::services::Services;

/// A controller's name and contact addresses, validated.
struct Contacts {
    name: String,
    email: Option<String>,
    dpo_email: Option<String>,
    postal_address: Option<String>,
}

/// At most this many lines of at most 100 characters: a Swedish postal address.
const MAX_ADDRESS_LINES: usize = 5;

fn parse_contacts(
    name: &str,
    email: Option<&str>,
    dpo_email: Option<&str>,
    postal_address: Option<&str>,
    errors: &mut Vec<FieldError>,
) -> Contacts {
    let postal_address = postal_address
        .map(|a| {
            a.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()
        })
        .filter(|lines| !lines.is_empty());
    if postal_address.as_ref().is_some_and(|lines| {
        lines.len() > MAX_ADDRESS_LINES
            || lines
                .iter()
                .any(|l| l.chars().count() > 100 || l.chars().any(char::is_control))
    }) {
        errors.push(FieldError::new(
            "postal_address",
            "invalid",
            format!(
                "A postal address is at most {MAX_ADDRESS_LINES} lines of at most 100 characters."
            ),
        ));
    }
    let postal_address = postal_address.map(|lines| lines.join("\n"));
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
        postal_address,
    }
}

pub async fn list(services: &Services, user: &AuthUser) -> AppResult<Vec<ControllerRow>> {
    user.require(Action::ReadControllers)?;
    services.db.read(store::list).await
}

pub async fn find(services: &Services, user: &AuthUser, id: String) -> AppResult<ControllerRow> {
    user.require(Action::ReadControllers)?;
    services
        .db
        .read(move |conn| store::find(conn, &id))
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn create(
    services: &Services,
    user: &AuthUser,
    request: CreateControllerRequest,
) -> AppResult<ControllerRow> {
    user.require(Action::ManageControllers)?;
    let mut errors = Vec::new();
    let id = ControllerId::parse(request.id.trim())
        .map_err(|message| errors.push(FieldError::new("id", "invalid_controller", message)))
        .ok();
    let contacts = parse_contacts(
        &request.name,
        request.email.as_deref(),
        request.dpo_email.as_deref(),
        request.postal_address.as_deref(),
        &mut errors,
    );
    let (Some(id), true) = (id, errors.is_empty()) else {
        return Err(AppError::Validation(errors));
    };
    let now = services.clock.now().naive_utc();
    let row = ControllerRow {
        id: id.into_string(),
        name: contacts.name,
        email: contacts.email,
        dpo_email: contacts.dpo_email,
        created_at: now,
        updated_at: now,
        kind: request.kind.unwrap_or(ControllerKind::Namnd),
        postal_address: contacts.postal_address,
    };
    let inserted = row.clone();
    let entry = audit::action(
        user,
        AuditAction::ControllerCreate,
        json!({ "controller": row.id }),
        now,
        None,
    );
    let created = services
        .db
        .write(move |conn| {
            let created = store::insert(conn, &inserted)?;
            if created {
                audit::store::append(conn, &[entry])?;
            }
            Ok(created)
        })
        .await?;
    if !created {
        return Err(AppError::Conflict {
            code: ConflictCode::ControllerExists,
            detail: "A controller with this id already exists.".into(),
        });
    }
    Ok(row)
}

pub async fn update(
    services: &Services,
    user: &AuthUser,
    id: String,
    request: UpdateControllerRequest,
) -> AppResult<ControllerRow> {
    user.require(Action::ManageControllers)?;
    let mut errors = Vec::new();
    let contacts = parse_contacts(
        &request.name,
        request.email.as_deref(),
        request.dpo_email.as_deref(),
        request.postal_address.as_deref(),
        &mut errors,
    );
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let now = services.clock.now().naive_utc();
    let entry = audit::action(
        user,
        AuditAction::ControllerUpdate,
        json!({ "controller": id }),
        now,
        None,
    );
    services
        .db
        .write(move |conn| {
            let change = store::ControllerChange {
                name: &contacts.name,
                email: contacts.email.as_deref(),
                dpo_email: contacts.dpo_email.as_deref(),
                kind: request.kind,
                postal_address: contacts.postal_address.as_deref(),
            };
            let updated = store::update(conn, &id, &change, now)?;
            if updated.is_some() {
                audit::store::append(conn, &[entry])?;
            }
            Ok(updated)
        })
        .await?
        .ok_or(AppError::NotFound)
}
