//! The authenticated user, extracted from `Authorization: Bearer <JWT>`.

use std::future::{ready, Ready};

use actix_web::{dev::Payload, http::header, web, FromRequest, HttpRequest};

use super::keys::TokenKeys;
use super::roles::Role;
use crate::error::AppError;

#[derive(Debug, Clone)]
pub struct AuthUser {
    pub sub: String,
    pub name: String,
    pub roles: Vec<Role>,
    pub controllers: Vec<String>,
}

impl AuthUser {
    pub fn has_role(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    /// The roles as stored in the audit log and the journal, e.g. `handlaggare,dpo`.
    pub fn roles_label(&self) -> String {
        self.roles
            .iter()
            .map(|r| r.as_str())
            .collect::<Vec<_>>()
            .join(",")
    }

    /// Staff may set `received_at` and channels other than `etjanst`.
    pub fn is_staff(&self) -> bool {
        self.roles.iter().any(|r| *r != Role::Etjanst)
    }
}

impl FromRequest for AuthUser {
    type Error = AppError;
    type Future = Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(authenticate(req))
    }
}

fn authenticate(req: &HttpRequest) -> Result<AuthUser, AppError> {
    let missing = AppError::Unauthenticated {
        code: "missing_token",
        detail: "Send `Authorization: Bearer <token>`.",
    };
    let header = req.headers().get(header::AUTHORIZATION).ok_or(missing)?;
    let token = header
        .to_str()
        .ok()
        .and_then(|value| {
            value
                .strip_prefix("Bearer ")
                .or_else(|| value.strip_prefix("bearer "))
        })
        .map(str::trim)
        .filter(|token| !token.is_empty())
        .ok_or(AppError::Unauthenticated {
            code: "missing_token",
            detail: "Send `Authorization: Bearer <token>`.",
        })?;
    let keys = req
        .app_data::<web::Data<TokenKeys>>()
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("token keys are not configured")))?;
    let claims = keys.verify(token).map_err(|error| {
        use jsonwebtoken::errors::ErrorKind;
        let detail = match error.kind() {
            ErrorKind::ExpiredSignature => "The token has expired.",
            ErrorKind::ImmatureSignature => "The token is not valid yet.",
            ErrorKind::InvalidIssuer => "The token is from another issuer.",
            ErrorKind::InvalidAudience => "The token is for another audience.",
            ErrorKind::InvalidAlgorithm => {
                "The token is signed with an algorithm this service does not accept."
            }
            _ => "The token is invalid.",
        };
        AppError::Unauthenticated {
            code: "invalid_token",
            detail,
        }
    })?;
    Ok(AuthUser {
        sub: claims.sub,
        name: claims.name,
        roles: claims.roles.iter().filter_map(|r| Role::parse(r)).collect(),
        controllers: claims.controllers,
    })
}
