//! Limits per member of staff on what could be used to look people up in bulk: searches by
//! personnummer or other identifier, and CSV exports of the case list. Past a limit the
//! service answers 429 with `Retry-After`. Keyed by the token's subject, so a limit follows the
//! person from any address (the rate per address is `http::rate_limit`).

use std::num::NonZeroU32;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::auth::AuthUser;
use crate::config::ServerSettings;
use crate::error::{AppError, AppResult};

pub struct UserRates {
    searches: Option<DefaultKeyedRateLimiter<String>>,
    exports: Option<DefaultKeyedRateLimiter<String>>,
}

impl UserRates {
    pub fn from_settings(settings: &ServerSettings) -> Self {
        Self {
            searches: NonZeroU32::new(settings.searches_per_minute)
                .map(|n| RateLimiter::keyed(Quota::per_minute(n))),
            exports: NonZeroU32::new(settings.exports_per_hour)
                .map(|n| RateLimiter::keyed(Quota::per_hour(n))),
        }
    }

    /// Counts a search by `user`.
    pub fn search(&self, user: &AuthUser) -> AppResult<()> {
        check(self.searches.as_ref(), user)
    }

    /// Counts a CSV export by `user`.
    pub fn export(&self, user: &AuthUser) -> AppResult<()> {
        check(self.exports.as_ref(), user)
    }
}

fn check(limiter: Option<&DefaultKeyedRateLimiter<String>>, user: &AuthUser) -> AppResult<()> {
    let Some(limiter) = limiter else {
        return Ok(());
    };
    limiter.check_key(&user.sub).map_err(|not_until| {
        let wait = not_until.wait_time_from(DefaultClock::default().now());
        AppError::RateLimited {
            retry_after_seconds: wait.as_secs().max(1),
        }
    })
}
