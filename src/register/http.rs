//! Register endpoints: import, list, read, edit, delete, search, categories.

use std::collections::BTreeMap;

use actix_web::{delete, get, post, put, web, HttpRequest, HttpResponse};
use futures_util::StreamExt;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::import::{SkippedRow, MAX_FILE_BYTES};
use super::search::{Field, Filters};
use super::service;
use super::store::Activity;
use crate::auth::AuthUser;
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
    let report = service::import_file(
        &state,
        &user,
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
    let filters = query.into_inner().to_filters();
    let activities: Vec<Activity> = service::activities(&state, &user)
        .await?
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
    let activity = service::activity(&state, &user, path.into_inner()).await?;
    Ok(HttpResponse::Ok().json(activity))
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
    /// Art. 15(1)(h): the automated decision-making of the activity; none when it has none.
    pub automated_decision_making: Option<String>,
    /// Art. 15(2): the safeguards of its transfer to a third country.
    pub transfer_safeguards: Option<String>,
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
    let activity = service::update_activity(&state, &user, path.into_inner(), body.value).await?;
    Ok(HttpResponse::Ok().json(activity))
}

/// Delete an activity (admin). Cases that recorded findings in it keep their copy.
#[utoipa::path(tag = "register", params(("id" = String, Path)), responses((status = 204), (status = 404, body = crate::error::Problem, content_type = "application/problem+json")), security(("bearer" = [])))]
#[delete("/register/activities/{id}")]
pub async fn delete_activity(
    state: web::Data<Services>,
    user: AuthUser,
    path: web::Path<String>,
) -> AppResult<HttpResponse> {
    if service::delete_activity(&state, &user, path.into_inner()).await? {
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
    let index = service::search_index(&state, &user).await?;
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
    let mut subjects: BTreeMap<String, usize> = BTreeMap::new();
    let mut data: BTreeMap<String, usize> = BTreeMap::new();
    for activity in service::activities(&state, &user).await? {
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
