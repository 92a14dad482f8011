//! Token checking: the configured algorithm only, signature, `exp`/`nbf` with a small leeway,
//! `iss` and `aud`. Minting (for `dsar token`) needs the HS256 secret.

use jsonwebtoken::{decode, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation};

use super::claims::{Audience, Claims};
use crate::config::AuthSettings;

#[derive(Clone)]
pub struct TokenKeys {
    decoding: DecodingKey,
    validation: Validation,
    encoding: Option<(EncodingKey, Algorithm)>,
    issuer: String,
    audience: String,
}

impl TokenKeys {
    pub fn from_settings(settings: &AuthSettings) -> anyhow::Result<Self> {
        let algorithm = match settings.algorithm.as_str() {
            "HS256" => Algorithm::HS256,
            "RS256" => Algorithm::RS256,
            "ES256" => Algorithm::ES256,
            other => anyhow::bail!("unsupported auth.algorithm {other}"),
        };
        let (decoding, encoding) = match algorithm {
            Algorithm::HS256 => {
                let secret = settings
                    .hs256_secret
                    .as_deref()
                    .unwrap_or_default()
                    .as_bytes();
                (
                    DecodingKey::from_secret(secret),
                    Some((EncodingKey::from_secret(secret), algorithm)),
                )
            }
            _ => {
                let pem = read_pem(settings.public_key_pem.as_deref().unwrap_or_default())?;
                let key = if algorithm == Algorithm::RS256 {
                    DecodingKey::from_rsa_pem(pem.as_bytes())?
                } else {
                    DecodingKey::from_ec_pem(pem.as_bytes())?
                };
                (key, None)
            }
        };
        let mut validation = Validation::new(algorithm);
        validation.leeway = settings.leeway_seconds;
        validation.validate_nbf = true;
        validation.set_issuer(&[settings.issuer.as_str()]);
        validation.set_audience(&[settings.audience.as_str()]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        Ok(Self {
            decoding,
            validation,
            encoding,
            issuer: settings.issuer.clone(),
            audience: settings.audience.clone(),
        })
    }

    pub fn verify(&self, token: &str) -> Result<Claims, jsonwebtoken::errors::Error> {
        decode::<Claims>(token, &self.decoding, &self.validation).map(|data| data.claims)
    }

    /// Signs a token with the configured HS256 secret (development and scripts).
    pub fn mint(
        &self,
        sub: &str,
        name: &str,
        roles: &[String],
        controllers: &[String],
        now: i64,
        ttl_seconds: i64,
    ) -> anyhow::Result<String> {
        let Some((key, algorithm)) = &self.encoding else {
            anyhow::bail!(
                "tokens can only be minted with auth.algorithm = HS256 and auth.hs256_secret"
            );
        };
        let claims = Claims {
            sub: sub.to_owned(),
            name: name.to_owned(),
            roles: roles.to_vec(),
            controllers: controllers.to_vec(),
            exp: now + ttl_seconds,
            iat: now,
            nbf: None,
            iss: self.issuer.clone(),
            aud: Audience::One(self.audience.clone()),
        };
        Ok(encode(&Header::new(*algorithm), &claims, key)?)
    }
}

/// `auth.public_key_pem` holds the PEM itself or the path of a file holding it.
fn read_pem(value: &str) -> anyhow::Result<String> {
    if value.trim_start().starts_with("-----BEGIN") {
        Ok(value.to_owned())
    } else {
        std::fs::read_to_string(value)
            .map_err(|e| anyhow::anyhow!("cannot read auth.public_key_pem file: {e}"))
    }
}

/// Parses durations like `8h`, `30m`, `2d`, `3600s` (for `dsar token --ttl`).
pub fn parse_ttl(text: &str) -> Option<i64> {
    let (number, unit) = text.split_at(text.len().checked_sub(1)?);
    let n: i64 = number.parse().ok()?;
    let seconds = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        _ => return None,
    };
    (n > 0).then_some(n * seconds)
}

#[cfg(test)]
mod tests {
    use super::parse_ttl;

    #[test]
    fn ttl_units() {
        assert_eq!(parse_ttl("8h"), Some(28_800));
        assert_eq!(parse_ttl("30m"), Some(1_800));
        assert_eq!(parse_ttl("2d"), Some(172_800));
        assert_eq!(parse_ttl("15s"), Some(15));
        assert_eq!(parse_ttl("0h"), None);
        assert_eq!(parse_ttl("h"), None);
        assert_eq!(parse_ttl("8"), None);
        assert_eq!(parse_ttl(""), None);
    }
}
