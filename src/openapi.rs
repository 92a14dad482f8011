//! The OpenAPI 3.1 document, generated from the handlers' annotations.

use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_actix_web::AppExt;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "dsar",
        description = "Data-subject requests (GDPR Art. 15-22) for Swedish municipalities. \
                       Errors are application/problem+json (RFC 9457) with stable codes.",
        version = "1"
    ),
    paths(crate::health::health, crate::health::ready),
    modifiers(&BearerAuth),
    tags(
        (name = "cases", description = "Intake and reading of requests"),
        (name = "case work", description = "Identity, parts, extension, decisions, delivery, closure"),
        (name = "controllers", description = "Controllers (nämnder)"),
        (name = "deadline", description = "The legal deadline calculator"),
        (name = "audit", description = "The audit log"),
        (name = "monitoring", description = "What the DPO sees"),
        (name = "register", description = "The register of processing activities"),
        (name = "extract", description = "Findings, secrecy review and the extract"),
        (name = "retention", description = "Retention (gallring) of the service's own cases"),
        (name = "operations", description = "Health and readiness")
    )
)]
struct BaseDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                Http::builder()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
    }
}

pub fn base() -> utoipa::openapi::OpenApi {
    BaseDoc::openapi()
}

/// The complete document, as served at `/api/v1/openapi.json`.
pub fn document() -> utoipa::openapi::OpenApi {
    let (_, mut document) = actix_web::App::new()
        .into_utoipa_app()
        .openapi(base())
        .service(utoipa_actix_web::scope("/api/v1").configure(crate::app::api_routes))
        .split_for_parts();
    for item in document.paths.paths.values_mut() {
        for operation in [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.patch,
        ]
        .into_iter()
        .flatten()
        {
            add_common_refusals(operation);
            state_shared_constraints(operation);
        }
    }
    link_created_resources(&mut document);
    document
}

/// The document as JSON, as served. utoipa 5 writes a Link object's fields in snake case
/// (`operation_id`); OpenAPI names them in camel case (`operationId`), so they are renamed here.
pub fn document_json() -> serde_json::Value {
    let mut json = serde_json::to_value(document()).expect("the OpenAPI document serializes");
    fn rename_link_fields(value: &mut serde_json::Value) {
        match value {
            serde_json::Value::Object(map) => {
                if let Some(serde_json::Value::Object(links)) = map.get_mut("links") {
                    for link in links.values_mut() {
                        if let serde_json::Value::Object(link) = link {
                            for (from, to) in [
                                ("operation_id", "operationId"),
                                ("operation_ref", "operationRef"),
                                ("request_body", "requestBody"),
                            ] {
                                if let Some(field) = link.remove(from) {
                                    link.insert(to.to_owned(), field);
                                }
                            }
                        }
                    }
                }
                map.values_mut().for_each(rename_link_fields);
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(rename_link_fields),
            _ => {}
        }
    }
    rename_link_fields(&mut json);
    json
}

/// Where an operation's answer names a resource, the operations on that resource, so a client
/// (or schemathesis' stateful tests) can feed a created case's id to its sub-resources:
/// (method, path, status, the id in the answer, the paths the id opens).
const LINKS: [(&str, &str, &str, &str, &str); 3] = [
    (
        "post",
        "/api/v1/cases",
        "201",
        "$response.body#/id",
        "/api/v1/cases/{id}",
    ),
    (
        "get",
        "/api/v1/cases",
        "200",
        "$response.body#/items/0/id",
        "/api/v1/cases/{id}",
    ),
    (
        "post",
        "/api/v1/controllers",
        "201",
        "$response.body#/id",
        "/api/v1/controllers/{id}",
    ),
];

/// Adds [`LINKS`]: from each source to every operation under the resource's path whose only
/// path parameter is `id`.
fn link_created_resources(document: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::path::{Operation, ParameterIn};
    use utoipa::openapi::RefOr;

    let operations = |item: &utoipa::openapi::PathItem| -> Vec<Operation> {
        [&item.get, &item.put, &item.post, &item.delete, &item.patch]
            .into_iter()
            .flatten()
            .cloned()
            .collect()
    };
    for (method, path, status, expression, resource) in LINKS {
        let mut targets: Vec<String> = Vec::new();
        for (target_path, item) in &document.paths.paths {
            if target_path != resource && !target_path.starts_with(&format!("{resource}/")) {
                continue;
            }
            for operation in operations(item) {
                let path_parameters: Vec<&str> = operation
                    .parameters
                    .iter()
                    .flatten()
                    .filter(|p| p.parameter_in == ParameterIn::Path)
                    .map(|p| p.name.as_str())
                    .collect();
                if let (Some(id), ["id"]) = (&operation.operation_id, path_parameters.as_slice()) {
                    targets.push(id.clone());
                }
            }
        }
        let Some(item) = document.paths.paths.get_mut(path) else {
            continue;
        };
        let source = match method {
            "post" => item.post.as_mut(),
            _ => item.get.as_mut(),
        };
        let Some(RefOr::T(response)) =
            source.and_then(|operation| operation.responses.responses.get_mut(status))
        else {
            continue;
        };
        for target in targets {
            response.links.insert(
                target.clone(),
                utoipa::openapi::link::LinkBuilder::new()
                    .operation_id(target)
                    .parameter("id", expression)
                    .build()
                    .into(),
            );
        }
    }
}

/// The refusals every operation of its kind can answer, so a client generated from the document
/// knows them without each handler listing them: a bearer operation 401 and 403; a body 400,
/// 413, 415 and 422; a path parameter 404; a query 422; every operation 503 (the database is
/// out of reach, or the writer's queue is full, with `Retry-After`) and 429 (the client's
/// rate). What a handler lists itself, with its own description, is kept.
fn add_common_refusals(operation: &mut utoipa::openapi::path::Operation) {
    use utoipa::openapi::path::ParameterIn;

    let secured = operation.security.as_ref().is_some_and(|s| !s.is_empty());
    let body = operation.request_body.as_ref();
    let json_body = body.is_some_and(|b| b.content.keys().any(|k| k.contains("json")));
    let raw_body = body.is_some() && !json_body;
    let parameters = operation.parameters.as_deref().unwrap_or_default();
    let has = |place: ParameterIn| parameters.iter().any(|p| p.parameter_in == place);
    let mut refusals: Vec<(&str, &str)> = Vec::new();
    if secured {
        refusals.push(("401", "No valid bearer token (`WWW-Authenticate: Bearer`)"));
        refusals.push(("403", "The token's role may not do this"));
    }
    if json_body {
        refusals.push(("400", "malformed_json: the body is not JSON"));
        refusals.push((
            "415",
            "unsupported_media_type: send `Content-Type: application/json`",
        ));
    }
    if json_body || raw_body {
        refusals.push(("413", "payload_too_large"));
        refusals.push(("422", "validation_failed: the fields named in `errors`"));
    }
    if has(ParameterIn::Path) {
        refusals.push(("404", "not_found: no such resource, or not visible to you"));
    }
    if has(ParameterIn::Query) || has(ParameterIn::Header) {
        refusals.push(("422", "validation_failed: the parameters named in `errors`"));
    }
    refusals.push((
        "429",
        "rate_limited: more requests from this client than `server.rate_limit_per_second` (`Retry-After`)",
    ));
    refusals.push((
        "503",
        "unavailable or overloaded: retry later (`Retry-After` when overloaded)",
    ));
    for (status, description) in refusals {
        operation
            .responses
            .responses
            .entry(status.to_owned())
            .or_insert_with(|| problem_response(description));
    }
}

/// The rules the service applies to parameters several operations share, stated in their
/// schemas: a page is 1-500 items; the `Dsar-Read-Reason` is at most 500 characters on one line.
fn state_shared_constraints(operation: &mut utoipa::openapi::path::Operation) {
    use utoipa::openapi::path::ParameterIn;
    use utoipa::openapi::schema::{ObjectBuilder, SchemaType, Type};

    for parameter in operation.parameters.iter_mut().flatten() {
        let schema = match (parameter.parameter_in.clone(), parameter.name.as_str()) {
            (ParameterIn::Query, "limit") => ObjectBuilder::new()
                .schema_type(SchemaType::Type(Type::Integer))
                .format(Some(utoipa::openapi::SchemaFormat::KnownFormat(
                    utoipa::openapi::KnownFormat::Int64,
                )))
                .minimum(Some(1))
                .maximum(Some(500))
                .build(),
            (ParameterIn::Header, "Dsar-Read-Reason") => ObjectBuilder::new()
                .schema_type(SchemaType::from_iter([Type::String, Type::Null]))
                .max_length(Some(500))
                .pattern(Some("^[^\\u0000-\\u001F\\u007F-\\u009F]*$"))
                .build(),
            _ => continue,
        };
        parameter.schema = Some(schema.into());
    }
}

fn problem_response(
    description: &str,
) -> utoipa::openapi::RefOr<utoipa::openapi::response::Response> {
    use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};

    ResponseBuilder::new()
        .description(description)
        .content(
            crate::error::PROBLEM_CONTENT_TYPE,
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("Problem")))
                .build(),
        )
        .build()
        .into()
}
