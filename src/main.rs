//! The `dsar` command line: serve (the default), migrate, deadline, register, retention, keys,
//! token.

use std::sync::Arc;

use anyhow::Context;
use clap::{Parser, Subcommand};

use dsar::app::Application;
use dsar::auth::{parse_ttl, Role, TokenKeys};
use dsar::clock::SystemClock;
use dsar::config::Settings;
use dsar::domain::calendar::SwedishCalendar;

// SQLite, diesel and serde allocate on every request from several threads; glibc's allocator
// spends much of that time in its locks.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "dsar",
    version,
    about = "Data-subject requests for Swedish municipalities"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the service (the default).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Show what a request received on DATE (YYYY-MM-DD) is due, and why.
    Deadline {
        date: chrono::NaiveDate,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// The register of processing activities.
    Register {
        #[command(subcommand)]
        command: RegisterCommand,
    },
    /// Retention of the service's own cases.
    Retention {
        #[command(subcommand)]
        command: RetentionCommand,
    },
    /// The keys personal data is sealed under at rest.
    Keys {
        #[command(subcommand)]
        command: KeysCommand,
    },
    /// Mint an access token with the configured HS256 secret (development and scripts).
    Token {
        #[arg(long)]
        sub: String,
        /// etjanst, kontaktcenter, handlaggare, dpo or admin; repeat for several.
        #[arg(long = "role", required = true)]
        roles: Vec<String>,
        /// A controller id the person works for; repeat for several.
        #[arg(long = "controller")]
        controllers: Vec<String>,
        #[arg(long, default_value = "")]
        name: String,
        /// Lifetime such as 8h, 30m, 2d.
        #[arg(long, default_value = "8h")]
        ttl: String,
    },
}

#[derive(Subcommand)]
enum RegisterCommand {
    /// Import a controller's register from a TSV, CSV or XLSX file (replaces its activities).
    Import {
        #[arg(long)]
        controller: String,
        file: std::path::PathBuf,
    },
}

#[derive(Subcommand)]
enum KeysCommand {
    /// Print a new random data key and index key for the settings (needs no configuration).
    Generate {
        /// The new key's id: 1-32 of a-z, 0-9, - and _, e.g. the year it was made.
        #[arg(long, default_value = "k1")]
        id: String,
    },
    /// Seal every stored value under encryption.current, while the service runs.
    Rotate,
}

#[derive(Subcommand)]
enum RetentionCommand {
    /// Show (with --dry-run) or carry out what each class purges.
    Run {
        #[arg(long)]
        dry_run: bool,
        /// The day to judge by (dry runs only; a real run is always as of today).
        #[arg(long)]
        as_of: Option<chrono::NaiveDate>,
    },
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    // Making keys needs no settings: it comes before there are any.
    if let Some(Command::Keys {
        command: KeysCommand::Generate { id },
    }) = &cli.command
    {
        return generate_keys(id);
    }
    let settings = Settings::load().context("cannot start")?;
    dsar::telemetry::init(&settings.log);
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(settings),
        Command::Migrate => {
            let applied = dsar::db::Db::migrate(&settings.database)?;
            println!("{} migration(s) applied", applied.len());
            Ok(())
        }
        Command::Deadline { date, json } => {
            let calendar = SwedishCalendar {
                eves_are_holidays: settings.deadline.eves_are_holidays,
            };
            let explanation = dsar::deadlines::explain(date, &calendar);
            if json {
                println!("{}", serde_json::to_string_pretty(&explanation)?);
            } else {
                print!("{}", explanation.to_text());
            }
            Ok(())
        }
        Command::Register {
            command: RegisterCommand::Import { controller, file },
        } => actix_web::rt::System::new().block_on(async move {
            let bytes = std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?;
            let db = dsar::db::Db::open(&settings.database, &settings.encryption, true)?;
            let state = dsar::services::Services::new(settings, Arc::new(SystemClock), db);
            let name = file.file_name().and_then(|n| n.to_str()).map(str::to_owned);
            let report = dsar::register::service::import_register(&state, &controller, &bytes, None, name.as_deref())
                .await
                .map_err(|e| match e {
                    dsar::error::AppError::NotFound => {
                        anyhow::anyhow!("there is no controller `{controller}`: add it first (POST /api/v1/controllers)")
                    }
                    e => anyhow::anyhow!("{e}: {}", serde_json::to_string(&e.details()).unwrap_or_default()),
                })?;
            println!("{}", serde_json::to_string_pretty(&report)?);
            Ok(())
        }),
        Command::Retention {
            command: RetentionCommand::Run { dry_run, as_of },
        } => actix_web::rt::System::new().block_on(async move {
            let db = dsar::db::Db::open(&settings.database, &settings.encryption, true)?;
            let state = dsar::services::Services::new(settings, Arc::new(SystemClock), db);
            let report = dsar::retention::run(&state, as_of, dry_run)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("{}", serde_json::to_string_pretty(&report)?);
            Ok(())
        }),
        Command::Keys {
            command: KeysCommand::Generate { id },
        } => generate_keys(&id),
        Command::Keys {
            command: KeysCommand::Rotate,
        } => actix_web::rt::System::new().block_on(async move {
            let db = dsar::db::Db::open(&settings.database, &settings.encryption, true)?;
            let current = dsar::crypto::current_key_id()?;
            eprintln!("Sealing every stored value under key `{current}`...");
            let report = dsar::rekey::rotate(&db, |column, done| {
                eprintln!("  {}.{}: {done}", column.table, column.column);
            })
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
            let total: usize = report.iter().map(|c| c.resealed).sum();
            println!("{}", serde_json::to_string_pretty(&report)?);
            eprintln!(
                "{total} value(s) re-sealed; every stored value is now sealed under `{current}`. \
                 Keys no longer in use may be removed from encryption.keys."
            );
            Ok(())
        }),
        Command::Token {
            sub,
            roles,
            controllers,
            name,
            ttl,
        } => {
            if !settings.is_development() {
                anyhow::bail!(
                    "`dsar token` mints tokens for development and tests only (DSAR_ENV local or \
                     test; this is `{}`): outside them tokens come from the municipality's identity \
                     provider",
                    settings.environment
                );
            }
            if let Some(unknown) = roles.iter().find(|r| Role::parse(r).is_none()) {
                anyhow::bail!("unknown role `{unknown}`: use etjanst, kontaktcenter, handlaggare, dpo or admin");
            }
            let ttl = parse_ttl(&ttl).context("--ttl is a number and a unit: 30m, 8h, 2d")?;
            let keys = TokenKeys::from_settings(&settings.auth)?;
            let token = keys.mint(
                &sub,
                &name,
                &roles,
                &controllers,
                chrono::Utc::now().timestamp(),
                ttl,
            )?;
            eprintln!(
                "Token for {sub} ({}), valid for {}:",
                roles.join(", "),
                humanize(ttl)
            );
            println!("{token}");
            Ok(())
        }
    }
}

fn generate_keys(id: &str) -> anyhow::Result<()> {
    let data_key = dsar::crypto::generate_key_line(id)?;
    let index_key = dsar::crypto::generate_key_line("index")?;
    let index_key = index_key.trim_start_matches("index:");
    println!("DSAR__ENCRYPTION__KEYS={data_key}");
    println!("DSAR__ENCRYPTION__CURRENT={id}");
    println!("DSAR__ENCRYPTION__INDEX_KEY={index_key}");
    eprintln!(
        "Keep these where the service's other secrets are kept, and a copy offline: without \
         them the sealed data cannot be read by anyone. The index key never changes; to rotate, \
         add a new data key to DSAR__ENCRYPTION__KEYS, make it current, restart, and run \
         `dsar keys rotate`."
    );
    Ok(())
}

fn humanize(seconds: i64) -> String {
    match seconds {
        s if s % 86_400 == 0 => format!("{} day(s)", s / 86_400),
        s if s % 3_600 == 0 => format!("{} hour(s)", s / 3_600),
        s => format!("{} minute(s)", s / 60),
    }
}

fn serve(settings: Settings) -> anyhow::Result<()> {
    let local = settings.environment == "local";
    let listen_url = format!("http://{}:{}", settings.server.host, settings.server.port);
    actix_web::rt::System::new().block_on(async move {
        let app = Application::build(settings, Arc::new(SystemClock))?;
        tracing::info!(listen = %listen_url, "dsar is listening");
        if local {
            eprintln!(
                "\ndsar is running on {listen_url} (SQLite, local development settings).\n\
                 API docs:     {listen_url}/api/docs/\n\
                 Mint a token: cargo run --release -- token --sub anna --role kontaktcenter\n\
                 Then:         curl -H \"Authorization: Bearer $TOKEN\" {listen_url}/api/v1/cases\n"
            );
        }
        app.run_until_stopped().await?;
        Ok(())
    })
}
