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
    let (_, document) = actix_web::App::new()
        .into_utoipa_app()
        .openapi(base())
        .service(utoipa_actix_web::scope("/api/v1").configure(crate::app::api_routes))
        .split_for_parts();
    document
}
