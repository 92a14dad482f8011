//! The register's service: import a nämnd's register, read, edit and delete its activities, and
//! the search index. The CLI's `dsar register import` calls `import_register` too.

use std::sync::Arc;

use super::http::{ActivityInput, ImportReport, SkippedLine};
use super::import::{self, parse_register, ImportError};
use super::index::RegisterIndex;
use super::store::{self, Activity, ActivityRow};
use serde_json::json;

use crate::audit::{self, AuditAction};
use crate::auth::{Action, AuthUser};
use crate::controllers::store as controllers;
use crate::db::JsonText;
use crate::error::{AppError, AppResult};
use crate::services::Services;

/// `import_register` for a user, who must be allowed to manage the register.
pub async fn import_file(
    services: &Services,
    user: &AuthUser,
    controller: &str,
    bytes: &[u8],
    content_type: Option<&str>,
    file_name: Option<&str>,
) -> AppResult<ImportReport> {
    user.require(Action::ManageRegister)?;
    let report = import_register(services, controller, bytes, content_type, file_name).await?;
    let entry = audit::action(
        user,
        AuditAction::RegisterImport,
        json!({ "controller": controller, "imported": report.imported }),
        services.clock.now().naive_utc(),
        None,
    );
    audit::service::append(services, entry).await?;
    Ok(report)
}

fn import_error(error: ImportError) -> AppError {
    match error {
        ImportError::TooLarge { limit } => AppError::PayloadTooLarge { limit },
        other => AppError::validation("file", other.code(), other.to_string()),
    }
}

/// Imports the controller's register from the body (`text/tab-separated-values`, `text/csv`,
/// or an .xlsx file); replaces that controller's activities in one transaction. A file that is
/// not a register is refused and the existing register is untouched.
pub async fn import_register(
    services: &Services,
    controller: &str,
    bytes: &[u8],
    content_type: Option<&str>,
    file_name: Option<&str>,
) -> AppResult<ImportReport> {
    let controller = controller.to_owned();
    let exists = {
        let id = controller.clone();
        services
            .db
            .read(move |conn| controllers::find(conn, &id))
            .await?
            .is_some()
    };
    if !exists {
        return Err(AppError::NotFound);
    }
    // Parsing a workbook is CPU work of up to seconds: off the async workers.
    let (owned, content_type, file_name) = (
        bytes.to_vec(),
        content_type.map(str::to_owned),
        file_name.map(str::to_owned),
    );
    let parsed = actix_web::web::block(move || {
        parse_register(&owned, content_type.as_deref(), file_name.as_deref())
    })
    .await
    .map_err(AppError::internal)?
    .map_err(import_error)?;
    let now = services.clock.now().naive_utc();
    let rows: Vec<ActivityRow> = parsed
        .activities
        .iter()
        .enumerate()
        .map(|(i, a)| ActivityRow {
            id: uuid::Uuid::now_v7().to_string(),
            controller_id: controller.clone(),
            position: i as i32,
            name: a.name.clone(),
            purpose: a.purpose.clone(),
            subject_categories: JsonText(a.subject_categories.clone()),
            data_categories: JsonText(a.data_categories.clone()),
            legal_basis: a.legal_basis.clone(),
            retention: a.retention.clone(),
            recipients: a.recipients.clone(),
            source: a.source.clone(),
            third_country_transfer: a.third_country_transfer.clone(),
            system: a.system.clone(),
            extra: JsonText(a.extra.clone()),
            created_at: now,
            updated_at: now,
            automated_decision_making: a.automated_decision_making.clone(),
            transfer_safeguards: a.transfer_safeguards.clone(),
        })
        .collect::<Vec<_>>();
    let imported = rows.len();
    let id = controller.clone();
    services
        .db
        .write(move |conn| store::replace(conn, &id, &rows))
        .await?;
    tracing::info!(controller = %controller, imported, skipped = parsed.skipped.len(), "register imported");
    Ok(ImportReport {
        controller,
        format: serde_json::to_value(&parsed.format).map_err(AppError::internal)?,
        header_line: parsed.header_line,
        imported,
        skipped: parsed.skipped.into_iter().map(SkippedLine::from).collect(),
        unknown_columns: parsed.unknown_columns,
    })
}

/// Every activity of the register, in register order.
pub async fn activities(services: &Services, user: &AuthUser) -> AppResult<Vec<Activity>> {
    user.require(Action::ReadRegister)?;
    Ok(services
        .db
        .read(store::all)
        .await?
        .iter()
        .map(ActivityRow::to_activity)
        .collect())
}

pub async fn activity(services: &Services, user: &AuthUser, id: String) -> AppResult<Activity> {
    user.require(Action::ReadRegister)?;
    Ok(services
        .db
        .read(move |conn| store::find(conn, &id))
        .await?
        .ok_or(AppError::NotFound)?
        .to_activity())
}

/// The search index of the register as it is now (rebuilt when the register changed).
pub async fn search_index(services: &Services, user: &AuthUser) -> AppResult<Arc<RegisterIndex>> {
    user.require(Action::ReadRegister)?;
    services.register_index.current(&services.db).await
}

/// Edits an activity; cases keep the copy their findings were recorded with.
pub async fn update_activity(
    services: &Services,
    user: &AuthUser,
    id: String,
    input: ActivityInput,
) -> AppResult<Activity> {
    user.require(Action::ManageRegister)?;
    let name = input.name.trim().to_owned();
    if name.is_empty() {
        return Err(AppError::validation(
            "name",
            "required",
            "An activity needs a name (Behandlingsaktivitet).",
        ));
    }
    let clean = |values: Vec<String>| -> Vec<String> {
        values
            .iter()
            .flat_map(|v| import::split_categories(v))
            .collect()
    };
    let now = services.clock.now().naive_utc();
    let entry = audit::action(
        user,
        AuditAction::ActivityUpdate,
        json!({ "activity": id }),
        now,
        None,
    );
    let row = services
        .db
        .write(move |conn| {
            let mut row = store::find(conn, &id)?.ok_or(AppError::NotFound)?;
            row.name = name;
            row.purpose = input.purpose.trim().to_owned();
            row.subject_categories = JsonText(clean(input.subject_categories));
            row.data_categories = JsonText(clean(input.data_categories));
            row.legal_basis = input.legal_basis.trim().to_owned();
            row.retention = input.retention.trim().to_owned();
            row.recipients = input.recipients.trim().to_owned();
            row.source = input.source.trim().to_owned();
            row.third_country_transfer = input.third_country_transfer.trim().to_owned();
            let optional =
                |text: Option<String>| text.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
            row.system = optional(input.system);
            row.automated_decision_making = optional(input.automated_decision_making);
            row.transfer_safeguards = optional(input.transfer_safeguards);
            row.updated_at = now;
            store::update(conn, &row)?;
            audit::store::append(conn, &[entry])?;
            Ok(row)
        })
        .await?;
    Ok(row.to_activity())
}

/// Deletes an activity; `false` when there is none with the id.
pub async fn delete_activity(services: &Services, user: &AuthUser, id: String) -> AppResult<bool> {
    user.require(Action::ManageRegister)?;
    let entry = audit::action(
        user,
        AuditAction::ActivityDelete,
        json!({ "activity": id }),
        services.clock.now().naive_utc(),
        None,
    );
    services
        .db
        .write(move |conn| {
            let deleted = store::delete(conn, &id)?;
            if deleted {
                audit::store::append(conn, &[entry])?;
            }
            Ok(deleted)
        })
        .await
}
