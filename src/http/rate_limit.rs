//! A rate per client address on the API (actix-governor): a burst, then a steady rate; past it
//! 429 problem+json with `Retry-After`. The key is the peer address: behind a proxy that is the
//! proxy's, so there the proxy limits instead (`server.rate_limit_per_second = 0`).

use std::net::IpAddr;

use actix_governor::governor::clock::{Clock, DefaultClock, QuantaInstant};
use actix_governor::governor::NotUntil;
use actix_governor::{
    governor::middleware::NoOpMiddleware, GovernorConfig, GovernorConfigBuilder, KeyExtractor,
    SimpleKeyExtractionError,
};
use actix_web::dev::ServiceRequest;
use actix_web::{HttpResponse, HttpResponseBuilder, ResponseError};

use crate::config::ServerSettings;
use crate::error::AppError;

/// Keys requests by the address they come from.
#[derive(Debug, Clone, Copy)]
pub struct ClientAddress;

impl KeyExtractor for ClientAddress {
    type Key = IpAddr;
    type KeyExtractionError = SimpleKeyExtractionError<&'static str>;

    fn extract(&self, request: &ServiceRequest) -> Result<IpAddr, Self::KeyExtractionError> {
        request
            .peer_addr()
            .map(|address| address.ip())
            .ok_or_else(|| SimpleKeyExtractionError::new("the client's address is unknown"))
    }

    fn exceed_rate_limit_response(
        &self,
        negative: &NotUntil<QuantaInstant>,
        _: HttpResponseBuilder,
    ) -> HttpResponse {
        let wait = negative.wait_time_from(DefaultClock::default().now());
        AppError::RateLimited {
            retry_after_seconds: wait.as_secs().max(1),
        }
        .error_response()
    }
}

pub type RateLimit = GovernorConfig<ClientAddress, NoOpMiddleware<QuantaInstant>>;

/// The limit of the settings, and whether it is on.
pub fn configure(settings: &ServerSettings) -> (RateLimit, bool) {
    let enabled = settings.rate_limit_per_second > 0;
    let config = GovernorConfigBuilder::default()
        .key_extractor(ClientAddress)
        .requests_per_second(settings.rate_limit_per_second.max(1))
        .burst_size(settings.rate_limit_burst.max(1))
        .finish()
        .expect("a rate and a burst of at least 1");
    (config, enabled)
}
