//! A rate per client address on the API (the `governor` crate's keyed limiter): a burst, then a
//! steady rate; past it 429 problem+json with `Retry-After`. The key is the peer address: behind
//! a proxy that is the proxy's, so there the proxy limits instead
//! (`server.rate_limit_per_second = 0`).

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::web;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::config::ServerSettings;
use crate::error::AppError;

/// How many checks pass between two sweeps of the addresses whose burst has refilled, so the
/// table of addresses does not grow with every client ever seen.
const SWEEP_EVERY: u64 = 4096;

/// The limiter of the settings, or none when the limit is off.
pub struct ClientRates {
    limiter: Option<DefaultKeyedRateLimiter<IpAddr>>,
    checks: AtomicU64,
}

impl ClientRates {
    pub fn from_settings(settings: &ServerSettings) -> Self {
        let limiter = NonZeroU32::new(
            u32::try_from(settings.rate_limit_per_second).unwrap_or(u32::MAX),
        )
        .map(|rate| {
            let burst = NonZeroU32::new(settings.rate_limit_burst).unwrap_or(NonZeroU32::MIN);
            RateLimiter::keyed(Quota::per_second(rate).allow_burst(burst))
        });
        Self {
            limiter,
            checks: AtomicU64::new(0),
        }
    }

    /// Counts one request from `address`; the refusal says when the next one would pass.
    pub fn check(&self, address: Option<IpAddr>) -> Result<(), AppError> {
        let (Some(limiter), Some(address)) = (&self.limiter, address) else {
            return Ok(());
        };
        if self.checks.fetch_add(1, Ordering::Relaxed) % SWEEP_EVERY == SWEEP_EVERY - 1 {
            limiter.retain_recent();
        }
        limiter.check_key(&address).map_err(|not_until| {
            let wait = not_until.wait_time_from(DefaultClock::default().now());
            AppError::RateLimited {
                retry_after_seconds: wait.as_secs().max(1),
            }
        })
    }
}

/// The middleware: every request to the API counts, a refused token or body too.
pub async fn limit_per_client<B: MessageBody>(
    rates: web::Data<ClientRates>,
    request: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<EitherBody<B>>, actix_web::Error> {
    if let Err(refusal) = rates.check(request.peer_addr().map(|address| address.ip())) {
        return Ok(request.error_response(refusal).map_into_right_body());
    }
    next.call(request)
        .await
        .map(ServiceResponse::map_into_left_body)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(rate: u64, burst: u32) -> ServerSettings {
        ServerSettings {
            host: "127.0.0.1".into(),
            port: 0,
            body_limit_bytes: 1 << 20,
            workers: 1,
            rate_limit_per_second: rate,
            rate_limit_burst: burst,
            searches_per_minute: 0,
            exports_per_hour: 0,
        }
    }

    #[test]
    fn a_burst_passes_then_the_address_waits_and_others_do_not() {
        let rates = ClientRates::from_settings(&settings(1, 3));
        let anna: IpAddr = "192.0.2.1".parse().unwrap();
        let bertil: IpAddr = "192.0.2.2".parse().unwrap();
        for _ in 0..3 {
            assert!(rates.check(Some(anna)).is_ok());
        }
        match rates.check(Some(anna)) {
            Err(AppError::RateLimited {
                retry_after_seconds,
            }) => assert_eq!(retry_after_seconds, 1),
            other => panic!("{other:?}"),
        }
        assert!(rates.check(Some(bertil)).is_ok());
    }

    #[test]
    fn a_rate_of_zero_is_no_limit() {
        let rates = ClientRates::from_settings(&settings(0, 1));
        let anna: IpAddr = "192.0.2.1".parse().unwrap();
        for _ in 0..10_000 {
            assert!(rates.check(Some(anna)).is_ok());
        }
    }
}
