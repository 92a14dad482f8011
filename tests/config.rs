//! Start-up refuses settings the service must not run with, and says why.

use std::path::Path;

use dsar::config::{Settings, DEVELOPMENT_SECRET};

fn load(production_toml: &str) -> Result<Settings, String> {
    load_env("production", production_toml)
}

/// The settings of `environment` from `toml` (over the built-in defaults), with keys of its
/// own to seal personal data under unless `toml` gives its own `[encryption]`.
fn load_env(environment: &str, toml: &str) -> Result<Settings, String> {
    let toml = if toml.contains("[encryption]") {
        toml.to_owned()
    } else {
        format!("{ENCRYPTION}{toml}")
    };
    let dir = std::env::temp_dir().join(format!("dsar-config-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(format!("{environment}.toml")), &toml).unwrap();
    let result = Settings::load_from(&dir, environment, false).map_err(|e| e.to_string());
    std::fs::remove_dir_all(&dir).unwrap();
    result
}

/// Tokens signed by the identity provider, checked with its public key.
fn idp_auth() -> String {
    let pem = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/keys/rs256-public.pem");
    format!(
        "[auth]\nalgorithm = \"RS256\"\npublic_key_pem = \"{}\"\n",
        pem.display()
    )
}

/// Mail over SMTP with STARTTLS (the default `smtp_tls`).
const SMTP: &str = "[email]\ntransport = \"smtp\"\nsmtp_host = \"smtp.exempel.kommun.se\"\n";
const DB: &str = "[database]\nurl = \"postgres://dsar@db/dsar\"\n";

/// A production configuration that starts, plus `extra`.
fn production(extra: &str) -> String {
    format!(
        "{DB}{}[audit]\nhash_key = \"{GOOD_AUDIT_KEY}\"\n{COURT}{SMTP}{extra}",
        idp_auth()
    )
}

/// Keys of this test's own (`dsar keys generate`), not the repository's development keys.
const DATA_KEY: &str = "k2026:q3xJ0VwQm0cS4Yl8w3m6f7s9t1u2v3w4x5y6z7A8B9c=";
const INDEX_KEY: &str = "Zm9yLXRlc3RzLW9ubHktYW4taW5kZXgta2V5LTMyYnl0ZXM=";
const ENCRYPTION: &str = "[encryption]\nkeys = \"k2026:q3xJ0VwQm0cS4Yl8w3m6f7s9t1u2v3w4x5y6z7A8B9c=\"\nindex_key = \"Zm9yLXRlc3RzLW9ubHktYW4taW5kZXgta2V5LTMyYnl0ZXM=\"\n";

const GOOD_SECRET: &str = "a-production-secret-of-at-least-thirty-two-bytes";
const GOOD_AUDIT_KEY: &str = "a-production-audit-key-of-at-least-thirty-two-bytes";
const COURT: &str = "[organisation]\nadministrative_court = \"Förvaltningsrätten i Stockholm\"\n";

#[test]
fn every_environment_names_the_court_appeals_go_to() {
    let base = format!(
        "{DB}{}[audit]\nhash_key = \"{GOOD_AUDIT_KEY}\"\n{SMTP}",
        idp_auth()
    );
    let error = load(&base).unwrap_err();
    assert!(
        error.contains("organisation.administrative_court"),
        "{error}"
    );
    let error = load(&format!(
        "{base}[organisation]\nadministrative_court = \"Stockholms tingsrätt\"\n"
    ))
    .unwrap_err();
    assert!(error.contains("Förvaltningsrätten i"), "{error}");
    let settings = load(&format!("{base}{COURT}")).unwrap();
    assert_eq!(
        settings.organisation.court(),
        "Förvaltningsrätten i Stockholm"
    );
}

#[test]
fn production_with_the_idps_key_smtp_and_a_database_starts() {
    let settings = load(&production("")).unwrap();
    assert!(settings.is_production());
    assert_eq!(settings.identity.minimum_assurance, "loa3");
    assert_eq!(settings.database_url(), "postgres://dsar@db/dsar");
    // Defaults from the built-in default.toml.
    assert_eq!(settings.server.port, 8080);
    assert_eq!(settings.server.body_limit_bytes, 1_048_576);
    assert!(!settings.deadline.eves_are_holidays);
}

#[test]
fn production_refuses_hs256_and_names_the_fix() {
    let error = load(&format!(
        "{DB}[auth]\nalgorithm = \"HS256\"\nhs256_secret = \"{GOOD_SECRET}\"\n[audit]\nhash_key = \"{GOOD_AUDIT_KEY}\"\n{COURT}{SMTP}"
    ))
    .unwrap_err();
    assert!(error.contains("auth.algorithm is HS256"), "{error}");
    assert!(
        error.contains("RS256") && error.contains("auth.public_key_pem"),
        "{error}"
    );
    // A staging of the municipality's own has the production rules.
    let error = load_env(
        "staging",
        &format!("{DB}[auth]\nhs256_secret = \"{GOOD_SECRET}\"\n{COURT}{SMTP}"),
    )
    .unwrap_err();
    assert!(error.contains("auth.algorithm is HS256"), "{error}");
}

#[test]
fn the_development_secret_is_accepted_only_in_local_or_test_on_loopback() {
    let with = |environment: &str, host: &str| {
        load_env(
            environment,
            &format!(
                "[server]\nhost = \"{host}\"\n[database]\nurl = \"sqlite://x.sqlite3\"\n\
                 [auth]\nhs256_secret = \"{DEVELOPMENT_SECRET}\"\n[audit]\nhash_key = \"{GOOD_AUDIT_KEY}\"\n{COURT}"
            ),
        )
    };
    // A test server reachable from the network would accept tokens anyone can sign.
    let error = with("test", "0.0.0.0").unwrap_err();
    assert!(error.contains("development secret"), "{error}");
    assert!(error.contains("server.host"), "{error}");
    assert!(error.contains("DSAR__AUTH__HS256_SECRET"), "{error}");
    assert!(with("local", "192.168.1.20").is_err());
    for host in ["127.0.0.1", "::1", "localhost"] {
        assert!(with("test", host).is_ok(), "{host}");
    }
    assert!(with("local", "127.0.0.1").is_ok());
}

#[test]
fn production_refuses_mail_to_files_and_smtp_in_clear_text() {
    let error = load(&format!(
        "{DB}{}[audit]\nhash_key = \"{GOOD_AUDIT_KEY}\"\n{COURT}[email]\ntransport = \"file\"\n",
        idp_auth()
    ))
    .unwrap_err();
    assert!(error.contains("email.transport is `file`"), "{error}");
    assert!(error.contains("email.transport = \"smtp\""), "{error}");
    let error =
        load(&production("").replace(SMTP, &format!("{SMTP}smtp_tls = \"none\"\n"))).unwrap_err();
    assert!(error.contains("email.smtp_tls is `none`"), "{error}");
    assert!(error.contains("starttls"), "{error}");
    // In test the local mail server may speak plain SMTP.
    assert!(load_env(
        "test",
        &format!(
            "[database]\nurl = \"sqlite://x.sqlite3\"\n[auth]\nhs256_secret = \"{DEVELOPMENT_SECRET}\"\n\
             [audit]\nhash_key = \"{GOOD_AUDIT_KEY}\"\n{COURT}{SMTP}smtp_tls = \"none\"\n"
        )
    )
    .is_ok());
}

#[test]
fn production_refuses_a_missing_short_or_development_audit_key() {
    let base = format!("{DB}{}{COURT}{SMTP}", idp_auth());
    let missing = load(&base).unwrap_err();
    assert!(missing.contains("audit.hash_key is not set"), "{missing}");
    let short = load(&format!("{base}[audit]\nhash_key = \"short\"\n")).unwrap_err();
    assert!(short.contains("at least 32 bytes"), "{short}");
    let development = load(&format!(
        "{base}[audit]\nhash_key = \"{}\"\n",
        dsar::config::DEVELOPMENT_AUDIT_KEY
    ))
    .unwrap_err();
    assert!(development.contains("development key"), "{development}");
}

#[test]
fn production_refuses_an_assurance_level_that_is_not_one() {
    let error = load(&production("[identity]\nminimum_assurance = \"loa9\"\n")).unwrap_err();
    assert!(error.contains("identity.minimum_assurance"), "{error}");
}

#[test]
fn production_refuses_to_run_without_an_explicit_database() {
    let error = load(&format!("{}{SMTP}", idp_auth())).unwrap_err();
    assert!(error.contains("database.url is not set"), "{error}");
}

#[test]
fn a_bare_path_is_not_a_database_url() {
    let error = load(&format!(
        "[database]\nurl = \"data/dsar.sqlite3\"\n{}{SMTP}",
        idp_auth()
    ))
    .unwrap_err();
    assert!(error.contains("sqlite:// or postgres://"), "{error}");
}

#[test]
fn short_secrets_and_missing_keys_are_refused() {
    let error = load_env(
        "test",
        "[database]\nurl = \"sqlite://x.sqlite3\"\n[auth]\nhs256_secret = \"short\"\n",
    )
    .unwrap_err();
    assert!(error.contains("at least 32 bytes"), "{error}");
    let error = load_env(
        "test",
        "[database]\nurl = \"sqlite://x.sqlite3\"\n[auth]\nalgorithm = \"RS256\"\n",
    )
    .unwrap_err();
    assert!(error.contains("public_key_pem"), "{error}");
    let error = load_env("test", &format!(
        "[database]\nurl = \"sqlite://x.sqlite3\"\n[auth]\nalgorithm = \"none\"\nhs256_secret = \"{GOOD_SECRET}\"\n"
    ))
    .unwrap_err();
    assert!(error.contains("HS256, RS256 or ES256"), "{error}");
}

#[test]
fn a_named_environment_needs_its_file() {
    let error = Settings::load_from(Path::new("/nonexistent"), "staging", false).unwrap_err();
    assert!(error.to_string().contains("staging.toml"), "{error}");
}

#[test]
fn the_shipped_environments_load() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("config");
    let local = Settings::load_from(&dir, "local", false).unwrap();
    assert_eq!(local.database_url(), "sqlite://data/dsar.sqlite3");
    let test = Settings::load_from(&dir, "test", false).unwrap();
    assert!(test.database_url().starts_with("sqlite://"));
    // The production example deliberately has no database and no secret: it must be completed.
    let example = std::fs::read_to_string(dir.join("production.example.toml")).unwrap();
    assert!(load(&example).is_err());
}

#[test]
fn debug_output_hides_the_secret() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("config");
    let settings = Settings::load_from(&dir, "local", false).unwrap();
    assert!(!format!("{settings:?}").contains(DEVELOPMENT_SECRET));
}

#[test]
fn debug_output_hides_the_database_password() {
    let settings = load(&production("").replace(
        DB,
        "[database]\nurl = \"postgres://dsar:s3cret-pw@db/dsar\"\n",
    ))
    .unwrap();
    let printed = format!("{settings:?}");
    assert!(!printed.contains("s3cret-pw"), "{printed}");
    assert!(!printed.contains(GOOD_AUDIT_KEY), "{printed}");
    assert!(printed.contains("postgres://<redacted>"));
}

#[test]
fn dsar_token_refuses_to_mint_outside_local_and_test() {
    let dir = std::env::temp_dir().join(format!("dsar-config-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("production.toml"),
        format!("{ENCRYPTION}{}", production("")),
    )
    .unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_dsar"))
        .args(["token", "--sub", "anna", "--role", "admin"])
        .env("DSAR_ENV", "production")
        .env("DSAR_CONFIG_DIR", &dir)
        .env_remove("DSAR__AUTH__HS256_SECRET")
        .output()
        .expect("dsar runs");
    std::fs::remove_dir_all(&dir).unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "{stderr}");
    assert!(output.stdout.is_empty(), "no token is printed");
    assert!(
        stderr.contains("`dsar token` mints tokens for development and tests only"),
        "{stderr}"
    );
}

/// Personal data is sealed at rest (docs/security.md): production needs keys of its own, and
/// every refusal names the setting and how to make a key, never a key.
#[test]
fn production_refuses_missing_malformed_or_development_encryption_keys() {
    let with = |encryption: &str| load(&production(&format!("[encryption]\n{encryption}")));
    let missing = with("").unwrap_err();
    assert!(missing.contains("encryption.keys"), "{missing}");
    assert!(missing.contains("dsar keys generate"), "{missing}");
    assert!(missing.contains("DSAR__ENCRYPTION__KEYS"), "{missing}");

    let no_index = with(&format!("keys = \"{DATA_KEY}\"\n")).unwrap_err();
    assert!(no_index.contains("encryption.index_key"), "{no_index}");

    let short = with(&format!(
        "keys = \"k1:c2hvcnQ=\"\nindex_key = \"{INDEX_KEY}\"\n"
    ))
    .unwrap_err();
    assert!(
        short.contains("32 bytes") && !short.contains("c2hvcnQ"),
        "{short}"
    );

    let two = format!("keys = \"{DATA_KEY} k2027:YW5vdGhlci0zMi1ieXRlLWtleS1mb3ItdGhlLXRlc3Q=\"\nindex_key = \"{INDEX_KEY}\"\n");
    let unnamed = with(&two).unwrap_err();
    assert!(unnamed.contains("encryption.current"), "{unnamed}");
    assert!(with(&format!("{two}current = \"k2027\"\n")).is_ok());
    let unknown = with(&format!("{two}current = \"k2030\"\n")).unwrap_err();
    assert!(unknown.contains("`k2030`"), "{unknown}");

    for (keys, index) in [
        (
            format!("dev-1:{}", dsar::config::DEVELOPMENT_DATA_KEYS[0]),
            INDEX_KEY.to_owned(),
        ),
        (
            DATA_KEY.to_owned(),
            dsar::config::DEVELOPMENT_INDEX_KEY.to_owned(),
        ),
    ] {
        let development =
            with(&format!("keys = \"{keys}\"\nindex_key = \"{index}\"\n")).unwrap_err();
        assert!(development.contains("development key"), "{development}");
        assert!(
            development.contains("DSAR__ENCRYPTION__KEYS"),
            "{development}"
        );
    }
    assert!(with(&format!(
        "keys = \"{DATA_KEY}\"\nindex_key = \"{INDEX_KEY}\"\n"
    ))
    .is_ok());
}

#[test]
fn keys_may_come_from_a_file() {
    let file = std::env::temp_dir().join(format!("dsar-keys-{}", uuid::Uuid::new_v4()));
    std::fs::write(&file, format!("# the municipality's keys\n{DATA_KEY}\n")).unwrap();
    let settings = load(&production(&format!(
        "[encryption]\nkey_file = \"{}\"\nindex_key = \"{INDEX_KEY}\"\n",
        file.display()
    )));
    let ring = settings.unwrap().encryption.key_ring().unwrap();
    std::fs::remove_file(&file).unwrap();
    assert_eq!(ring.current_id(), "k2026");
    let gone = load(&production(
        "[encryption]\nkey_file = \"/nonexistent/keys\"\nindex_key = \"x\"\n",
    ))
    .unwrap_err();
    assert!(gone.contains("encryption.key_file"), "{gone}");
}

#[test]
fn debug_output_hides_the_encryption_keys() {
    let settings = load(&production("")).unwrap();
    let debug = format!("{settings:?} {:?}", settings.encryption.key_ring().unwrap());
    assert!(!debug.contains("q3xJ0VwQm0cS4Yl8"), "{debug}");
    assert!(!debug.contains(INDEX_KEY), "{debug}");
}

/// Keys are made before there is any configuration to load.
#[test]
fn dsar_keys_generate_needs_no_configuration_and_prints_fresh_keys() {
    let run = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_dsar"))
            .args(["keys", "generate", "--id", "k2027"])
            .env("DSAR_ENV", "production")
            .env("DSAR_CONFIG_DIR", "/nonexistent")
            .output()
            .expect("dsar runs")
    };
    let (one, two) = (run(), run());
    assert!(
        one.status.success(),
        "{}",
        String::from_utf8_lossy(&one.stderr)
    );
    let stdout = String::from_utf8(one.stdout).unwrap();
    assert!(stdout.contains("DSAR__ENCRYPTION__KEYS=k2027:"), "{stdout}");
    assert!(
        stdout.contains("DSAR__ENCRYPTION__CURRENT=k2027"),
        "{stdout}"
    );
    assert!(stdout.contains("DSAR__ENCRYPTION__INDEX_KEY="), "{stdout}");
    assert_ne!(stdout, String::from_utf8(two.stdout).unwrap());
    // What it prints is accepted as production's keys.
    let value = |name: &str| {
        stdout
            .lines()
            .find_map(|l| l.strip_prefix(&format!("{name}=")))
            .unwrap()
            .to_owned()
    };
    let settings = load(&production(&format!(
        "[encryption]\nkeys = \"{}\"\ncurrent = \"{}\"\nindex_key = \"{}\"\n",
        value("DSAR__ENCRYPTION__KEYS"),
        value("DSAR__ENCRYPTION__CURRENT"),
        value("DSAR__ENCRYPTION__INDEX_KEY")
    )));
    assert!(settings.is_ok(), "{settings:?}");
}
