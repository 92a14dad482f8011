//! Typed settings: the built-in `config/default.toml`, then `config/$DSAR_ENV.toml` (`local` by
//! default), then `DSAR__SECTION__KEY` environment variables. Validated once at start-up.

use std::path::{Path, PathBuf};

use serde::Deserialize;

mod database_url;
pub use database_url::{Backend, DatabaseUrl};

/// The secret in `config/local.toml` and `config/test.toml`; production refuses to start with it.
pub const DEVELOPMENT_SECRET: &str = "dsar-development-secret-do-not-use-in-production";

/// The audit hash key in `config/local.toml` and `config/test.toml`; production refuses it.
pub const DEVELOPMENT_AUDIT_KEY: &str = "dsar-development-audit-key-do-not-use-in-production";

/// The data keys in `config/local.toml` and `config/test.toml`; production refuses them.
pub const DEVELOPMENT_DATA_KEYS: [&str; 2] = [
    "ZHNhci1kZXYtZGF0YS1rZXktbm90LWZvci1wcm9kISE=",
    "ZHNhci1kZXYtZGF0YS1rZXktMi1ub3QtZm9yLXByb2Q=",
];

/// The index key in `config/local.toml` and `config/test.toml`; production refuses it.
pub const DEVELOPMENT_INDEX_KEY: &str = "ZHNhci1kZXYtaW5kZXgta2V5LW5vdC1mb3ItcHJvZCE=";

const DEFAULT_TOML: &str = include_str!("../../config/default.toml");

#[derive(Debug, Clone, Deserialize)]
pub struct Settings {
    /// `local`, `test`, `production`, ...: from `DSAR_ENV`, not from the files.
    #[serde(skip)]
    pub environment: String,
    pub server: ServerSettings,
    pub database: DatabaseSettings,
    pub auth: AuthSettings,
    pub organisation: OrganisationSettings,
    pub deadline: DeadlineSettings,
    pub email: EmailSettings,
    pub jobs: JobSettings,
    pub retention: RetentionSettings,
    pub log: LogSettings,
    pub identity: IdentitySettings,
    pub audit: AuditSettings,
    #[serde(default)]
    pub encryption: EncryptionSettings,
}

/// The keys personal data is sealed under at rest (`crate::crypto`).
#[derive(Clone, Default, Deserialize)]
#[serde(default)]
pub struct EncryptionSettings {
    /// `<key id>:<base64 of 32 bytes>` entries, separated by commas, spaces or new lines.
    pub keys: Option<String>,
    /// A file of such entries, one per line (`#` starts a comment); added to `keys`.
    pub key_file: Option<String>,
    /// The id of the key that seals new values; may be left out when there is one key.
    pub current: Option<String>,
    /// Base64 of at least 32 bytes: keys the hash identifiers are searched by. Never changes.
    pub index_key: Option<String>,
}

impl EncryptionSettings {
    /// The key ring these settings give, reading the key file if one is named.
    pub fn key_ring(&self) -> Result<crate::crypto::KeyRing, crate::crypto::KeyRingError> {
        let mut entries = self.keys.clone().unwrap_or_default();
        if let Some(path) = self.key_file.as_deref().filter(|p| !p.is_empty()) {
            let text = std::fs::read_to_string(path).map_err(|e| {
                crate::crypto::KeyRingError::Invalid(format!(
                    "encryption.key_file `{path}` cannot be read: {}",
                    e.kind()
                ))
            })?;
            entries.push('\n');
            entries.push_str(&text);
        }
        crate::crypto::KeyRing::new(&entries, self.current.as_deref(), self.index_key.as_deref())
    }
}

impl std::fmt::Debug for EncryptionSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EncryptionSettings")
            .field("keys", &self.keys.as_ref().map(|_| "<redacted>"))
            .field("key_file", &self.key_file)
            .field("current", &self.current)
            .field("index_key", &self.index_key.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

/// How an identity may be established (domain.md §3).
#[derive(Debug, Clone, Deserialize)]
pub struct IdentitySettings {
    /// The lowest e-legitimation assurance level that verifies a party: `loa2`, `loa3` or `loa4`.
    pub minimum_assurance: String,
}

/// The audit log's own secret.
#[derive(Clone, Deserialize)]
pub struct AuditSettings {
    /// Keys the hash of a personnummer searched for, so the log shows that the same number was
    /// searched again without holding the number. At least 32 bytes.
    pub hash_key: Option<String>,
}

impl std::fmt::Debug for AuditSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuditSettings")
            .field("hash_key", &self.hash_key.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

#[derive(Clone, Deserialize)]
pub struct EmailSettings {
    /// `smtp`, or `file` (each message written as an .eml file; the development default).
    pub transport: String,
    pub from: String,
    pub smtp_host: String,
    pub smtp_port: u16,
    /// `none`, `starttls` or `tls`.
    pub smtp_tls: String,
    pub smtp_user: Option<String>,
    pub smtp_password: Option<String>,
    pub file_dir: String,
    /// Attempts before a message is marked `failed` (shown to the admin and the DPO).
    pub max_attempts: i32,
    /// First retry delay in seconds; doubled each attempt (with jitter), up to an hour.
    pub retry_base_seconds: u64,
}

impl std::fmt::Debug for EmailSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EmailSettings")
            .field("transport", &self.transport)
            .field("smtp_host", &self.smtp_host)
            .field("smtp_port", &self.smtp_port)
            .field("smtp_tls", &self.smtp_tls)
            .field("smtp_user", &self.smtp_user.is_some())
            .field(
                "smtp_password",
                &self.smtp_password.as_ref().map(|_| "<redacted>"),
            )
            .finish()
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct JobSettings {
    /// Run the background jobs (sender, reminders, digest, retention) in this instance.
    pub enabled: bool,
    /// How often the sender looks for messages to send, in milliseconds.
    pub sender_interval_ms: u64,
    /// How often reminders and overdue alerts are looked for, in seconds.
    pub alerts_interval_seconds: u64,
    /// Local hour (Europe/Stockholm) from which the day's digest is sent.
    pub digest_hour: u32,
    /// Local hour from which the day's retention run is made.
    pub retention_hour: u32,
}

/// `retention.<class>.keep` and `.from` for each class (domain.md §7).
#[derive(Debug, Clone, Deserialize)]
pub struct RetentionSettings {
    pub case_record: RetentionClassSettings,
    pub extract: RetentionClassSettings,
    pub request_details: RetentionClassSettings,
    pub refusal_decision: RetentionClassSettings,
    /// Not set by default: no gallringsbeslut covers granted decisions, so they are kept.
    #[serde(default)]
    pub granted_decision: Option<RetentionClassSettings>,
    /// Not set by default: the Art. 19 log is kept.
    #[serde(default)]
    pub recipient_log: Option<RetentionClassSettings>,
    /// Not set by default: the journal is kept.
    #[serde(default)]
    pub journal: Option<RetentionClassSettings>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct RetentionClassSettings {
    /// `forever`, or a number and a unit: `0d`, `90d`, `3m`, `1y`.
    pub keep: String,
    /// The event the time counts from: `closure`, `delivery`, `compilation`, `decision`.
    pub from: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ServerSettings {
    pub host: String,
    pub port: u16,
    /// Largest accepted request body in bytes (413 above it).
    pub body_limit_bytes: usize,
    /// Worker threads; 0 means one per core.
    pub workers: usize,
    /// Requests per second per client address to the API after the burst; 0: no limit.
    pub rate_limit_per_second: u64,
    /// How many requests a client may make at once before the rate applies.
    pub rate_limit_burst: u32,
    /// Searches by personnummer or other identifier per member of staff a minute; 0: no limit.
    pub searches_per_minute: u32,
    /// CSV exports of the case list per member of staff an hour; 0: no limit.
    pub exports_per_hour: u32,
}

#[derive(Clone, Deserialize)]
pub struct DatabaseSettings {
    /// `sqlite://path/to/file.sqlite3` or `postgres://user@host/db`, parsed once when the
    /// settings load. Required in every environment's file (or `DSAR__DATABASE__URL`).
    #[serde(default)]
    pub url: Option<DatabaseUrl>,
    pub pool_size: u32,
    /// SQLite `PRAGMA synchronous`: `full` (default, every commit is durable) or `normal`.
    pub sqlite_synchronous: String,
    /// How many queued writes are committed together in one transaction (group commit).
    pub max_batch: usize,
    /// How many writes may wait for the writer; past that a write is refused with 503 and
    /// `Retry-After` instead of queueing without bound.
    pub writer_queue: usize,
}

/// Never prints the URL, which may hold a password.
impl std::fmt::Debug for DatabaseSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DatabaseSettings")
            .field("url", &self.url)
            .field("pool_size", &self.pool_size)
            .field("sqlite_synchronous", &self.sqlite_synchronous)
            .field("max_batch", &self.max_batch)
            .field("writer_queue", &self.writer_queue)
            .finish()
    }
}

#[derive(Clone, Deserialize)]
pub struct AuthSettings {
    pub hs256_secret: Option<String>,
    /// PEM text of the identity provider's public key, or a path to a file holding it.
    pub public_key_pem: Option<String>,
    /// `HS256` (with the secret), or `RS256` / `ES256` (with the public key).
    pub algorithm: String,
    pub issuer: String,
    pub audience: String,
    pub leeway_seconds: u64,
}

impl std::fmt::Debug for AuthSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuthSettings")
            .field(
                "hs256_secret",
                &self.hs256_secret.as_ref().map(|_| "<redacted>"),
            )
            .field("public_key_pem", &self.public_key_pem.is_some())
            .field("algorithm", &self.algorithm)
            .field("issuer", &self.issuer)
            .field("audience", &self.audience)
            .finish()
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct OrganisationSettings {
    pub name: String,
    pub dpo_email: String,
    pub contact: String,
    /// The förvaltningsrätt whose domkrets the municipality lies in, e.g. `Förvaltningsrätten i
    /// Stockholm`: named in every appealable decision (dataskyddslagen 7 kap. 2 §). No default.
    pub administrative_court: Option<String>,
}

impl OrganisationSettings {
    /// The förvaltningsrätt appeals go to; validated at start-up, so the fallback only shows in
    /// settings built by hand.
    pub fn court(&self) -> &str {
        self.administrative_court
            .as_deref()
            .unwrap_or("förvaltningsrätten")
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct DeadlineSettings {
    /// Count midsommarafton, julafton and nyårsafton as holidays (lag 1930:173). Default false.
    pub eves_are_holidays: bool,
    /// Show an adjusted deadline that adds the days spent waiting for identity information.
    pub pause_while_awaiting_identity: bool,
    /// Days before the deadline a handläggare is reminded.
    pub reminder_days: u32,
}

#[derive(Debug, Clone, Deserialize)]
pub struct LogSettings {
    /// `pretty` for people, `json` for log collectors.
    pub format: String,
    /// A `tracing` filter such as `info,dsar=debug`; `RUST_LOG` overrides it.
    pub filter: String,
}

#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error("could not read the configuration: {0}")]
    Load(#[from] config::ConfigError),
    #[error("invalid configuration: {0}")]
    Invalid(String),
}

impl Settings {
    /// Loads the settings for the environment named by `DSAR_ENV` (default `local`) from the
    /// `config/` folder (or `DSAR_CONFIG_DIR`), then the environment variables.
    pub fn load() -> Result<Self, SettingsError> {
        let environment = std::env::var("DSAR_ENV").unwrap_or_else(|_| "local".into());
        let dir = std::env::var_os("DSAR_CONFIG_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("config"));
        Self::load_from(&dir, &environment, true)
    }

    /// Loads `default` + `<dir>/<environment>.toml` (+ the environment variables if asked).
    pub fn load_from(
        dir: &Path,
        environment: &str,
        with_env_vars: bool,
    ) -> Result<Self, SettingsError> {
        let env_file = dir.join(format!("{environment}.toml"));
        // The file of an environment that was asked for by name must exist; `local` may be absent
        // when the binary runs outside a checkout.
        if environment != "local" && !env_file.exists() {
            return Err(SettingsError::Invalid(format!(
                "DSAR_ENV is `{environment}` but {} does not exist",
                env_file.display()
            )));
        }
        let mut builder = config::Config::builder()
            .add_source(config::File::from_str(
                DEFAULT_TOML,
                config::FileFormat::Toml,
            ))
            .add_source(config::File::from(env_file).required(false));
        if with_env_vars {
            builder = builder.add_source(
                config::Environment::with_prefix("DSAR")
                    .prefix_separator("__")
                    .separator("__")
                    .try_parsing(true),
            );
        }
        let mut settings: Settings = builder.build()?.try_deserialize()?;
        settings.environment = environment.to_owned();
        settings.validate()?;
        Ok(settings)
    }

    pub fn is_production(&self) -> bool {
        self.environment == "production"
    }

    /// `local` or `test`: the environments where development conveniences (the repository's
    /// secret, `dsar token`, mail written to files) may be used. Every other name, `production`
    /// or a `staging` of the municipality's own, gets the production rules.
    pub fn is_development(&self) -> bool {
        matches!(self.environment.as_str(), "local" | "test")
    }

    /// Whether the server listens on the loopback interface only, so no other machine reaches it.
    pub fn listens_on_loopback(&self) -> bool {
        let host = self.server.host.trim();
        host.eq_ignore_ascii_case("localhost")
            || host
                .trim_start_matches('[')
                .trim_end_matches(']')
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback())
    }

    /// Development conveniences are allowed: a development environment on loopback.
    fn development_on_loopback(&self) -> bool {
        self.is_development() && self.listens_on_loopback()
    }

    /// The database URL as written in the settings (with any password: never log it).
    pub fn database_url(&self) -> String {
        self.database
            .url
            .as_ref()
            .map(DatabaseUrl::to_url)
            .unwrap_or_default()
    }

    /// Refuses settings the service must not run with, saying why.
    pub fn validate(&self) -> Result<(), SettingsError> {
        let invalid = |msg: &str| Err(SettingsError::Invalid(msg.to_owned()));
        if self.database.url.is_none() {
            return invalid(
                "database.url is not set: give DSAR__DATABASE__URL=sqlite://path or postgres://... \
                 (production never falls back to a default database)",
            );
        }
        if self.database.pool_size == 0 {
            return invalid("database.pool_size must be at least 1");
        }
        if !matches!(
            self.database.sqlite_synchronous.as_str(),
            "full" | "normal" | "extra"
        ) {
            return invalid("database.sqlite_synchronous must be `full`, `extra` or `normal`");
        }
        if self.database.max_batch == 0 {
            return invalid("database.max_batch must be at least 1");
        }
        if self.database.writer_queue == 0 {
            return invalid("database.writer_queue must be at least 1");
        }
        match self.auth.algorithm.as_str() {
            "HS256" if !self.is_development() => return Err(SettingsError::Invalid(format!(
                "auth.algorithm is HS256 in the `{}` environment: a shared secret lets anyone who \
                 holds it mint tokens. Set auth.algorithm = \"RS256\" (or \"ES256\") and \
                 auth.public_key_pem to the identity provider's public key; HS256 is for local \
                 and test only",
                self.environment
            ))),
            "HS256" => match self.auth.hs256_secret.as_deref() {
                None | Some("") => {
                    return invalid("auth.algorithm is HS256 but auth.hs256_secret is not set")
                }
                Some(secret) if secret.len() < 32 => {
                    return invalid("auth.hs256_secret must be at least 32 bytes long")
                }
                Some(DEVELOPMENT_SECRET) if !self.development_on_loopback() => return invalid(
                    "auth.hs256_secret is the development secret from the repository, which anyone \
                     can read: it is accepted only with DSAR_ENV local or test and server.host on \
                     loopback (127.0.0.1, ::1, localhost). Set DSAR__AUTH__HS256_SECRET to a \
                     secret of your own",
                ),
                Some(_) => {}
            },
            "RS256" | "ES256" => {
                if self
                    .auth
                    .public_key_pem
                    .as_deref()
                    .unwrap_or_default()
                    .is_empty()
                {
                    return invalid(
                        "auth.algorithm is RS256/ES256 but auth.public_key_pem is not set",
                    );
                }
            }
            _ => return invalid("auth.algorithm must be HS256, RS256 or ES256"),
        }
        if self.auth.issuer.is_empty() || self.auth.audience.is_empty() {
            return invalid("auth.issuer and auth.audience must be set");
        }
        if self.server.body_limit_bytes < 1024 {
            return invalid("server.body_limit_bytes must be at least 1024");
        }
        if self.server.rate_limit_per_second > 0 && self.server.rate_limit_burst == 0 {
            return invalid(
                "server.rate_limit_burst must be at least 1 when server.rate_limit_per_second is set",
            );
        }
        if self.server.rate_limit_per_second > 1_000_000_000 {
            return invalid("server.rate_limit_per_second is at most 1000000000 (0 turns it off)");
        }
        match self.email.transport.as_str() {
            "file" if !self.is_development() => {
                return invalid(
                    "email.transport is `file`: the messages to people would be written to disk \
                     and never delivered. Set email.transport = \"smtp\" and email.smtp_host; \
                     `file` is for local and test only",
                )
            }
            "file" => {}
            "smtp" if self.email.smtp_host.is_empty() => {
                return invalid("email.transport is smtp but email.smtp_host is empty")
            }
            "smtp" => {}
            _ => return invalid("email.transport must be `smtp` or `file`"),
        }
        if !matches!(self.email.smtp_tls.as_str(), "none" | "starttls" | "tls") {
            return invalid("email.smtp_tls must be `none`, `starttls` or `tls`");
        }
        if self.email.transport == "smtp" && self.email.smtp_tls == "none" && !self.is_development()
        {
            return invalid(
                "email.smtp_tls is `none`: names, addresses and case numbers would cross the \
                 network in clear text. Set email.smtp_tls = \"starttls\" or \"tls\"; `none` is \
                 for local and test only",
            );
        }
        if crate::domain::names::Email::parse(&self.email.from).is_err() {
            return invalid("email.from must be an e-mail address");
        }
        if self.email.max_attempts < 1 {
            return invalid("email.max_attempts must be at least 1");
        }
        for (class, settings) in [
            ("case_record", &self.retention.case_record),
            ("extract", &self.retention.extract),
            ("request_details", &self.retention.request_details),
            ("refusal_decision", &self.retention.refusal_decision),
        ]
        .into_iter()
        .chain(
            [
                ("granted_decision", &self.retention.granted_decision),
                ("recipient_log", &self.retention.recipient_log),
                ("journal", &self.retention.journal),
            ]
            .into_iter()
            .filter_map(|(class, settings)| settings.as_ref().map(|s| (class, s))),
        ) {
            if crate::domain::retention::Keep::parse(&settings.keep).is_none() {
                return Err(SettingsError::Invalid(format!(
                    "retention.{class}.keep must be `forever` or a number and d/m/y, such as 90d, 3m or 1y"
                )));
            }
            if crate::domain::retention::CountFrom::parse(&settings.from).is_none() {
                return Err(SettingsError::Invalid(format!(
                    "retention.{class}.from must be closure, delivery, compilation or decision"
                )));
            }
        }
        if crate::domain::assurance::AssuranceLevel::parse(&self.identity.minimum_assurance)
            .is_none()
        {
            return invalid("identity.minimum_assurance must be `loa2`, `loa3` or `loa4`");
        }
        match self.audit.hash_key.as_deref() {
            None | Some("") => {
                return invalid(
                    "audit.hash_key is not set: give DSAR__AUDIT__HASH_KEY, at least 32 bytes",
                )
            }
            Some(key) if key.len() < 32 => {
                return invalid("audit.hash_key must be at least 32 bytes long")
            }
            Some(DEVELOPMENT_AUDIT_KEY) if !self.development_on_loopback() => return invalid(
                "audit.hash_key is the development key from the repository: it is accepted only \
                     with DSAR_ENV local or test and server.host on loopback. Set \
                     DSAR__AUDIT__HASH_KEY to a key of your own",
            ),
            Some(_) => {}
        }
        let ring = self
            .encryption
            .key_ring()
            .map_err(|e| SettingsError::Invalid(e.to_string()))?;
        if ring.uses_any_of(&DEVELOPMENT_DATA_KEYS, &[DEVELOPMENT_INDEX_KEY])
            && !self.development_on_loopback()
        {
            return invalid(
                "encryption.keys or encryption.index_key is the development key from the \
                 repository, which anyone can read: it is accepted only with DSAR_ENV local or \
                 test and server.host on loopback. Run `dsar keys generate` for keys of your own \
                 and set DSAR__ENCRYPTION__KEYS, DSAR__ENCRYPTION__CURRENT and \
                 DSAR__ENCRYPTION__INDEX_KEY",
            );
        }
        match self.organisation.administrative_court.as_deref().map(str::trim) {
            None | Some("") => {
                return invalid(
                    "organisation.administrative_court is not set: name the förvaltningsrätt appeals go to, e.g. \"Förvaltningsrätten i Stockholm\"",
                )
            }
            Some(court) if !court.starts_with("Förvaltningsrätten i ") => {
                return invalid(
                    "organisation.administrative_court is the court's name, e.g. \"Förvaltningsrätten i Stockholm\"",
                )
            }
            Some(_) => {}
        }
        if !matches!(self.log.format.as_str(), "pretty" | "json") {
            return invalid("log.format must be `pretty` or `json`");
        }
        Ok(())
    }
}
