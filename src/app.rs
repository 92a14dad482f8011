//! Builds the application (settings -> database -> routes) and runs it. Building binds the port,
//! so a test can start the real service on port 0 and learn where it listens.

use std::net::TcpListener;

use actix_web::http::header;
use actix_web::{dev::Server, middleware, web, App, HttpResponse, HttpServer};
use tracing_actix_web::TracingLogger;
use utoipa_swagger_ui::SwaggerUi;

use crate::auth::TokenKeys;
use crate::cases::registrar::Registrar;
use crate::clock::SharedClock;
use crate::config::Settings;
use crate::db::Db;
use crate::http::{self, BodyLimit};
use crate::services::Services;
use crate::{
    audit, cases, casework, controllers, deadlines, extract, health, notify, openapi, register,
    retention, stats,
};

pub struct Application {
    port: u16,
    server: Server,
    jobs: Vec<tokio::task::AbortHandle>,
}

/// Stops a running application: the HTTP server and its background jobs.
#[derive(Clone)]
pub struct ApplicationHandle {
    server: actix_web::dev::ServerHandle,
    jobs: Vec<tokio::task::AbortHandle>,
}

impl ApplicationHandle {
    /// Stops the jobs at once and the server without waiting for requests in flight, like a
    /// crash or a killed process; what was committed stays committed.
    pub async fn stop(&self) {
        for job in &self.jobs {
            job.abort();
        }
        self.server.stop(false).await;
    }
}

impl Application {
    /// Opens the database (migrating it), binds the port and prepares the server.
    pub fn build(settings: Settings, clock: SharedClock) -> anyhow::Result<Self> {
        let db = Db::open(&settings.database, &settings.encryption, true)?;
        Self::build_with_db(settings, clock, db)
    }

    pub fn build_with_db(settings: Settings, clock: SharedClock, db: Db) -> anyhow::Result<Self> {
        let listener = TcpListener::bind((settings.server.host.as_str(), settings.server.port))?;
        let port = listener.local_addr()?.port();
        let keys = web::Data::new(TokenKeys::from_settings(&settings.auth)?);
        let body_limit = web::Data::new(BodyLimit(settings.server.body_limit_bytes));
        let workers = settings.server.workers;
        let client_rates = web::Data::new(crate::http::rate_limit::ClientRates::from_settings(
            &settings.server,
        ));
        let document = openapi::document();
        let allowed = web::Data::new(crate::http::methods::AllowedMethods::from_document(
            &document,
            &[("/api/v1/openapi.json", "GET"), ("/api/docs", "GET")],
        ));
        let document = web::Data::new(openapi::document_json());
        let registrar = web::Data::new(Registrar::start(&db, settings.database.max_batch));
        let state = web::Data::new(Services::new(settings, clock, db));
        let jobs = if state.settings.jobs.enabled {
            crate::jobs::spawn(state.clone())?
        } else {
            Vec::new()
        };
        let mut server = HttpServer::new(move || {
            App::new()
                .service(
                    web::scope("/api/v1")
                        .wrap(middleware::from_fn(
                            crate::http::rate_limit::limit_per_client,
                        ))
                        // API answers carry personal data and are never pages: no caching, no
                        // framing, nothing loaded from them (DefaultHeaders leaves a header a
                        // handler set, such as an attachment's own type, alone).
                        .wrap(
                            middleware::DefaultHeaders::new()
                                .add((header::CACHE_CONTROL, "no-store"))
                                .add((
                                    header::CONTENT_SECURITY_POLICY,
                                    "default-src 'none'; frame-ancestors 'none'",
                                )),
                        )
                        .configure(|config| {
                            api_routes(&mut utoipa_actix_web::service_config::ServiceConfig::new(
                                config,
                            ))
                        })
                        .route("/openapi.json", web::get().to(serve_openapi)),
                )
                .service(
                    SwaggerUi::new("/api/docs/{_:.*}")
                        .config(utoipa_swagger_ui::Config::from("/api/v1/openapi.json")),
                )
                .wrap(
                    middleware::DefaultHeaders::new()
                        .add((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
                        .add((header::X_FRAME_OPTIONS, "DENY"))
                        .add((header::REFERRER_POLICY, "no-referrer")),
                )
                .wrap(TracingLogger::<crate::telemetry::RootSpan>::new())
                .app_data(state.clone())
                .app_data(client_rates.clone())
                .app_data(registrar.clone())
                .app_data(document.clone())
                .app_data(allowed.clone())
                .app_data(keys.clone())
                .app_data(body_limit.clone())
                .app_data(web::PathConfig::default().error_handler(http::path_error))
                .service(health::health)
                .service(health::ready)
                .route("/api/docs", web::get().to(redirect_to_docs))
                .default_service(web::to(not_found))
        })
        .listen(listener)?;
        if workers > 0 {
            server = server.workers(workers);
        }
        Ok(Self {
            port,
            server: server.run(),
            jobs,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn handle(&self) -> ApplicationHandle {
        ApplicationHandle {
            server: self.server.handle(),
            jobs: self.jobs.clone(),
        }
    }

    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}

async fn serve_openapi(document: web::Data<serde_json::Value>) -> HttpResponse {
    HttpResponse::Ok().json(document.get_ref())
}

/// 405 with `Allow` for a path of the service asked with another method; 404 for any other.
async fn not_found(request: actix_web::HttpRequest) -> HttpResponse {
    actix_web::ResponseError::error_response(&crate::http::methods::refusal(&request))
}

async fn redirect_to_docs() -> HttpResponse {
    HttpResponse::PermanentRedirect()
        .insert_header(("Location", "/api/docs/"))
        .finish()
}

/// The versioned API under `/api/v1`. The same function feeds the server and the OpenAPI
/// document, so they cannot drift.
pub fn api_routes(config: &mut utoipa_actix_web::service_config::ServiceConfig) {
    config
        .service(cases::http::create_case)
        .service(cases::http::search_cases)
        .service(cases::http::citizen_cases)
        .service(cases::http::list_cases)
        .service(cases::http::get_case)
        .service(cases::http::case_journal)
        .service(cases::http::case_documents)
        .service(casework::http::identity)
        .service(casework::http::add_controller)
        .service(casework::http::assign)
        .service(casework::http::extend)
        .service(casework::http::case_deadline)
        .service(casework::http::decide)
        .service(casework::http::deliver)
        .service(casework::http::close)
        .service(casework::http::withdraw)
        .service(casework::http::protected_identity)
        .service(casework::http::legal_grounds)
        .service(casework::http::diarienummer)
        .service(crate::appeals::http::receive_appeal)
        .service(crate::appeals::http::forward_appeal)
        .service(crate::appeals::http::list_appeals)
        .service(crate::appeals::http::reconsider)
        .service(crate::restrictions::http::start_restriction)
        .service(crate::restrictions::http::lift_notice)
        .service(crate::restrictions::http::lift)
        .service(crate::restrictions::http::list_restrictions)
        .service(crate::print_queue::http::list_letters)
        .service(crate::print_queue::http::letter_pdf)
        .service(crate::print_queue::http::mark_posted)
        .service(crate::print_queue::http::mark_received)
        .service(crate::attachments::http::add_attachment)
        .service(crate::attachments::http::list_attachments)
        .service(crate::attachments::http::get_attachment)
        .service(crate::attachments::http::remove_attachment)
        .service(controllers::http::list_controllers)
        .service(controllers::http::create_controller)
        .service(controllers::http::get_controller)
        .service(controllers::http::update_controller)
        .service(deadlines::http::deadline)
        .service(audit::http::list_audit)
        .service(stats::http::stats)
        .service(notify::http::list_outbox)
        .service(retention::http::run_retention)
        .service(register::http::import_file)
        .service(register::http::list_activities)
        .service(register::http::search)
        .service(register::http::categories)
        .service(register::http::get_activity)
        .service(register::http::update_activity)
        .service(register::http::delete_activity)
        .service(extract::http::case_candidates)
        .service(extract::http::record_finding)
        .service(extract::http::compile_extract)
        .service(extract::http::get_extract_pdf)
        .service(extract::http::portability)
        .service(extract::http::get_extract);
}
