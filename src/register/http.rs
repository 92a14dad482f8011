//! Register endpoints: import, list, read, edit, delete, search, categories.

use std::collections::BTreeMap;

use actix_web::{delete, get, post, put, web, HttpRequest, HttpResponse};
use futures_util::StreamExt;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::import::{self, parse_register, ImportError, SkippedRow, MAX_FILE_BYTES};
use super::search::{Field, Filters};
use super::store::{self, Activity, ActivityRow};
use crate::auth::{Action, AuthUser};
use crate::controllers::store as controllers;
use crate::error::{AppError, AppResult};
use crate::http::{JsonBody, Query};
use crate::services::Services;

#[derive(Debug, Serialize, ToSchema)]
pub struct ImportReport {
    pub controller: String,
    /// `tsv`, `csv` (with delimiter and encoding) or `xlsx` (with the sheet).
    #[schema(value_type = Object)]
    pub format: serde_json::Value,
    pub header_line: usize,
    pub imported: usize,
    pub skipped: Vec<SkippedLine>,
    /// Columns the service does not know; their values are kept as extra fields.
    pub unknown_columns: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SkippedLine {
    pub line: usize,
    pub reason: String,
}

impl From<SkippedRow> for SkippedLine {
    fn from(row: SkippedRow) -> Self {
        SkippedLine {
            line: row.line,
            reason: row.reason,
        }
    }
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
    state: &Services,
    controller: &str,
    bytes: &[u8],
    content_type: Option<&str>,
    file_name: Option<&str>,
) -> AppResult<ImportReport> {
    let controller = controller.to_owned();
    let exists = {
        let id = controller.clone();
        state
            .db
            .read(move |conn| controllers::find(conn, &id))
            .await?
            .is_some()
    };
    if !exists {
        return Err(AppError::NotFound);
    }
    let parsed = parse_register(bytes, content_type, file_name).map_err(import_error)?;
    let now = state.clock.now().naive_utc();
    let rows: Vec<ActivityRow> = parsed
        .activities
        .iter()
        .enumerate()
        .map(|(i, a)| {
            Ok(ActivityRow {
                id: uuid::Uuid::now_v7().to_string(),
                controller_id: controller.clone(),
                position: i as i32,
                name: a.name.clone(),
                purpose: a.purpose.clone(),
                subject_categories: serde_json::to_string(&a.subject_categories)
                    .map_err(AppError::internal)?,
                data_categories: serde_json::to_string(&a.data_categories)
                    .map_err(AppError::internal)?,
                legal_basis: a.legal_basis.clone(),
                retention: a.retention.clone(),
                recipients: a.recipients.clone(),
                source: a.source.clone(),
                third_country_transfer: a.third_country_transfer.clone(),
                system: a.system.clone(),
                extra: serde_json::to_string(&a.extra).map_err(AppError::internal)?,
                created_at: now,
                updated_at: now,
            })
        })
        .collect::<AppResult<_>>()?;
    let imported = rows.len();
    let id = controller.clone();
    state
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

/// Import the controller's register (admin). Body: the file as it is; `Content-Type`
/// `text/tab-separated-values`, `text/csv` or the .xlsx type; optional `?file_name=`.
#[utoipa::path(
    tag = "register",
    params(("id" = String, Path, description = "The controller id")),
    request_body(content = String, description = "The register file (TSV, CSV or XLSX)", content_type = "application/octet-stream"),
    responses(
        (status = 200, body = ImportReport),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 413, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json", description = "not a register: empty, binary, no header, unreadable"),
    ),
    security(("bearer" = []))
)]
#[post("/controllers/{id}/register")]
pub async fn import_file(
    state: web::Data<Services>,
    user: AuthUser,
    request: HttpRequest,
    path: web::Path<String>,
    mut payload: web::Payload,
) -> AppResult<HttpResponse> {
    user.require(Action::ManageRegister)?;
    let mut body = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|_| AppError::MalformedJson {
            detail: "The file could not be read.".into(),
        })?;
        if body.len() + chunk.len() > MAX_FILE_BYTES {
            return Err(AppError::PayloadTooLarge {
                limit: MAX_FILE_BYTES,
            });
        }
        body.extend_from_slice(&chunk);
    }
    let content_type = request
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let file_name = web::Query::<FileName>::from_query(request.query_string())
        .ok()
        .and_then(|q| q.into_inner().file_name);
    let report = import_register(
        &state,
        &path.into_inner(),
        &body,
        content_type.as_deref(),
        file_name.as_deref(),
    )
    .await?;
    Ok(HttpResponse::Ok().json(report))
}

#[derive(Debug, Deserialize)]
struct FileName {
    file_name: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ActivityFilters {
    pub controller: Option<String>,
    pub subject_category: Option<String>,
    pub legal_basis: Option<String>,
}

impl ActivityFilters {
    /// The same filters as the search applies (`register::search::Filters`, documented in
    /// `docs/register-import.md`, "Filtering activities").
    fn to_filters(&self) -> Filters {
        Filters {
            controller: self.controller.clone(),
            subject_category: self.subject_category.clone(),
            legal_basis: self.legal_basis.clone(),
        }
    }
}

/// Activities of the register, in register order (staff).
#[utoipa::path(tag = "register", params(ActivityFilters), responses((status = 200, body = Vec<Activity>)), security(("bearer" = [])))]
#[get("/register/activities")]
pub async fn list_activities(
    state: web::Data<Services>,
    user: AuthUser,
    query: Query<ActivityFilters>,
) -> AppResult<HttpResponse> {
    user.require(Action::ReadRegister)?;
    let filters = query.into_inner().to_filters();
    let rows = state.db.read(store::all).await?;
    let activities: Vec<Activity> = rows
        .iter()
        .map(ActivityRow::to_activity)
        .collect::<AppResult<Vec<_>>>()?
        .into_iter()
        .filter(|a| filters.matches(&a.controller, &a.subject_categories, &a.legal_basis))
        .collect();
    Ok(HttpResponse::Ok().json(activities))
}

#[utoipa::path(tag = "register", params(("id" = String, Path)), responses((status = 200, body = Activity), (status = 404, body = crate::error::Problem, content_type = "application/problem+json")), security(("bearer" = [])))]
#[get("/register/activities/{id}")]
pub async fn get_activity(
    state: web::Data<Services>,
    user: AuthUser,
    path: web::Path<String>,
) -> AppResult<HttpResponse> {
    user.require(Action::ReadRegister)?;
    let id = path.into_inner();
    let row = state
        .db
        .read(move |conn| store::find(conn, &id))
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(HttpResponse::Ok().json(row.to_activity()?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActivityInput {
    pub name: String,
    #[serde(default)]
    pub purpose: String,
    #[serde(default)]
    pub subject_categories: Vec<String>,
    #[serde(default)]
    pub data_categories: Vec<String>,
    #[serde(default)]
    pub legal_basis: String,
    #[serde(default)]
    pub retention: String,
    #[serde(default)]
    pub recipients: String,
    #[serde(default)]
    pub source: String,
    #[serde(default)]
    pub third_country_transfer: String,
    pub system: Option<String>,
}

/// Edit an activity (admin).
#[utoipa::path(tag = "register", params(("id" = String, Path)), request_body = ActivityInput, responses((status = 200, body = Activity), (status = 404, body = crate::error::Problem, content_type = "application/problem+json"), (status = 422, body = crate::error::Problem, content_type = "application/problem+json")), security(("bearer" = [])))]
#[put("/register/activities/{id}")]
pub async fn update_activity(
    state: web::Data<Services>,
    user: AuthUser,
    path: web::Path<String>,
    body: JsonBody<ActivityInput>,
) -> AppResult<HttpResponse> {
    user.require(Action::ManageRegister)?;
    let input = body.value;
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
    let id = path.into_inner();
    let now = state.clock.now().naive_utc();
    let row = state
        .db
        .write(move |conn| {
            let mut row = store::find(conn, &id)?.ok_or(AppError::NotFound)?;
            row.name = name;
            row.purpose = input.purpose.trim().to_owned();
            row.subject_categories = serde_json::to_string(&clean(input.subject_categories))
                .map_err(AppError::internal)?;
            row.data_categories =
                serde_json::to_string(&clean(input.data_categories)).map_err(AppError::internal)?;
            row.legal_basis = input.legal_basis.trim().to_owned();
            row.retention = input.retention.trim().to_owned();
            row.recipients = input.recipients.trim().to_owned();
            row.source = input.source.trim().to_owned();
            row.third_country_transfer = input.third_country_transfer.trim().to_owned();
            row.system = input
                .system
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty());
            row.updated_at = now;
            store::update(conn, &row)?;
            Ok(row)
        })
        .await?;
    Ok(HttpResponse::Ok().json(row.to_activity()?))
}

/// Delete an activity (admin). Cases that recorded findings in it keep their copy.
#[utoipa::path(tag = "register", params(("id" = String, Path)), responses((status = 204), (status = 404, body = crate::error::Problem, content_type = "application/problem+json")), security(("bearer" = [])))]
#[delete("/register/activities/{id}")]
pub async fn delete_activity(
    state: web::Data<Services>,
    user: AuthUser,
    path: web::Path<String>,
) -> AppResult<HttpResponse> {
    user.require(Action::ManageRegister)?;
    let id = path.into_inner();
    let deleted = state.db.write(move |conn| store::delete(conn, &id)).await?;
    if deleted {
        Ok(HttpResponse::NoContent().finish())
    } else {
        Err(AppError::NotFound)
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    pub q: Option<String>,
    pub controller: Option<String>,
    pub subject_category: Option<String>,
    pub legal_basis: Option<String>,
    /// 1-500, default 50.
    pub limit: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SearchHit {
    pub activity: Activity,
    pub score: f64,
    /// Which fields the query matched: `name`, `purpose`, `subject_categories`, `data_categories`.
    pub matched_fields: Vec<Field>,
    pub matched_terms: Vec<String>,
}

/// Ranked search over name, purpose and categories: Swedish stemming, with or without å/ä/ö.
#[utoipa::path(tag = "register", params(SearchQuery), responses((status = 200, body = Vec<SearchHit>), (status = 422, body = crate::error::Problem, content_type = "application/problem+json")), security(("bearer" = [])))]
#[get("/register/search")]
pub async fn search(
    state: web::Data<Services>,
    user: AuthUser,
    query: Query<SearchQuery>,
) -> AppResult<HttpResponse> {
    user.require(Action::ReadRegister)?;
    let query = query.into_inner();
    let q = query.q.clone().unwrap_or_default();
    if q.trim().is_empty() {
        return Err(AppError::validation(
            "q",
            "required",
            "Give the words to search for as ?q=.",
        ));
    }
    let limit = crate::http::pagination::limit(query.limit)? as usize;
    let filters = ActivityFilters {
        controller: query.controller,
        subject_category: query.subject_category,
        legal_basis: query.legal_basis,
    };
    let index = state.register_index.current(&state.db).await?;
    let hits: Vec<SearchHit> = index
        .search
        .search(&q, &filters.to_filters(), limit)
        .into_iter()
        .filter_map(|hit| {
            index.activities.get(&hit.id).map(|activity| SearchHit {
                activity: activity.clone(),
                score: hit.score,
                matched_fields: hit.matched_fields,
                matched_terms: hit.matched_terms,
            })
        })
        .collect();
    Ok(HttpResponse::Ok().json(hits))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CategoryCount {
    pub value: String,
    pub activities: usize,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Categories {
    pub subject_categories: Vec<CategoryCount>,
    pub data_categories: Vec<CategoryCount>,
}

/// Distinct categories of data subjects and of personal data, with counts, for pickers.
#[utoipa::path(tag = "register", responses((status = 200, body = Categories)), security(("bearer" = [])))]
#[get("/register/categories")]
pub async fn categories(state: web::Data<Services>, user: AuthUser) -> AppResult<HttpResponse> {
    user.require(Action::ReadRegister)?;
    let rows = state.db.read(store::all).await?;
    let mut subjects: BTreeMap<String, usize> = BTreeMap::new();
    let mut data: BTreeMap<String, usize> = BTreeMap::new();
    for row in &rows {
        let activity = row.to_activity()?;
        for c in activity.subject_categories {
            *subjects.entry(c).or_default() += 1;
        }
        for c in activity.data_categories {
            *data.entry(c).or_default() += 1;
        }
    }
    let list = |m: BTreeMap<String, usize>| {
        m.into_iter()
            .map(|(value, activities)| CategoryCount { value, activities })
            .collect()
    };
    Ok(HttpResponse::Ok().json(Categories {
        subject_categories: list(subjects),
        data_categories: list(data),
    }))
}
