//! Fills a database with N cases for the benchmarks: received over the last 400 days, about a
//! third still open (some of them overdue, some extended), the rest decided and closed.
//!
//! ```sh
//! DSAR__DATABASE__URL=sqlite:///tmp/bench.sqlite3 cargo run --release --example seed_cases -- 100000
//! ```
//! Uses the service's own intake code, so the rows are exactly what the API would write.

use chrono::{Duration, Utc};
use diesel::prelude::*;

use dsar::auth::{AuthUser, Role};
use dsar::cases::dto::CreateCaseRequest;
use dsar::cases::intake::NewCase;
use dsar::cases::registration::{register_all, Creator, Registration};
use dsar::config::Settings;
use dsar::db::schema::{cases, controllers};
use dsar::db::{ConnectionManager, Db};
use dsar::domain::calendar::SwedishCalendar;

const CONTROLLERS: [&str; 4] = [
    "kommunstyrelsen",
    "socialnamnden",
    "barn-och-utbildningsnamnden",
    "miljonamnden",
];
const KINDS: [&str; 4] = ["access", "rectification", "erasure", "objection"];
const PERSONNUMMER: [&str; 4] = [
    "189001019802",
    "189001029819",
    "191212121212",
    "189001049817",
];

fn main() -> anyhow::Result<()> {
    let n: usize = std::env::args()
        .nth(1)
        .map(|s| s.parse().expect("N"))
        .unwrap_or(100_000);
    let settings = Settings::load()?;
    dsar::crypto::install(settings.encryption.key_ring()?)?;
    Db::migrate(&settings.database)?;
    let url = settings
        .database
        .url
        .clone()
        .ok_or_else(|| anyhow::anyhow!("database.url is not set"))?;
    let mut conn =
        ConnectionManager::new(url, &settings.database.sqlite_synchronous).establish()?;
    let now = Utc::now();
    let admin = AuthUser {
        sub: "seed".into(),
        name: "Seed".into(),
        roles: vec![Role::Admin],
        controllers: vec![],
    };
    let calendar = SwedishCalendar::default();
    conn.transaction::<_, anyhow::Error, _>(|conn| {
        for id in CONTROLLERS {
            diesel::delete(controllers::table.find(id))
                .execute(conn)
                .ok();
            diesel::insert_into(controllers::table)
                .values((
                    controllers::id.eq(id),
                    controllers::name.eq(id),
                    controllers::created_at.eq(now.naive_utc()),
                    controllers::updated_at.eq(now.naive_utc()),
                ))
                .execute(conn)?;
        }
        Ok(())
    })?;
    let started = std::time::Instant::now();
    for chunk in 0..n.div_ceil(5_000) {
        conn.transaction::<_, anyhow::Error, _>(|conn| {
            for i in chunk * 5_000..((chunk + 1) * 5_000).min(n) {
                let received = now - Duration::hours((i as i64 * 9_600 / n as i64).max(1));
                let request: CreateCaseRequest = serde_json::from_value(serde_json::json!({
                    "kind": KINDS[i % KINDS.len()],
                    "channel": "letter",
                    "received_at": received,
                    "subject": {"personnummer": PERSONNUMMER[i % PERSONNUMMER.len()], "name": "Test Testsson"},
                    "controllers": [CONTROLLERS[i % CONTROLLERS.len()]],
                }))?;
                let new = NewCase::parse(request, &admin, now, &calendar, dsar::domain::assurance::AssuranceLevel::Loa3)
                    .map_err(|e| anyhow::anyhow!("invalid seed case: {e:?}"))?;
                let id = uuid::Uuid::now_v7().to_string();
                let registration = Registration {
                        new: new.clone(),
                        id: id.clone(),
                        creator: Creator {
                            sub: "seed".into(),
                            roles: "admin".into(),
                            organisation: "Exempelkommunen".into(),
                            request_id: None,
                        },
                        now: now.naive_utc(),
                        registration_year: 2026,
                        idempotency: None,
                };
                for answer in register_all(conn, &[&registration]).map_err(|e| anyhow::anyhow!("{e:?}"))? {
                    answer.map_err(|e| anyhow::anyhow!("{e:?}"))?;
                }
                // Two cases in three are decided and closed, most of them in time.
                if i % 3 != 0 {
                    let days = (i % 45) as i64;
                    let decided = (received + Duration::days(days)).min(now);
                    diesel::update(cases::table.find(&id))
                        .set((
                            cases::status.eq("closed"),
                            cases::decided_at.eq(Some(decided.naive_utc())),
                            cases::closed_at.eq(Some(decided.naive_utc())),
                            cases::days_to_decision.eq(Some(days as i32)),
                            cases::decided_on_time.eq(Some(days <= 31)),
                        ))
                        .execute(conn)?;
                } else if i % 9 == 0 {
                    let extended = dsar::domain::deadline::compute(new.received_date, 3, &calendar).due;
                    diesel::update(cases::table.find(&id))
                        .set((
                            cases::extended_deadline.eq(Some(extended)),
                            cases::effective_deadline.eq(extended),
                            cases::adjusted_deadline.eq(extended),
                        ))
                        .execute(conn)?;
                }
            }
            Ok(())
        })?;
        eprint!("\r{} cases", ((chunk + 1) * 5_000).min(n));
    }
    // The closures above set statuses directly; count the cases as they now are.
    dsar::stats::counts::rebuild(&mut conn).map_err(|e| anyhow::anyhow!("{e:?}"))?;
    if let dsar::db::DbConnection::Postgresql(pg) = &mut conn {
        diesel::sql_query("VACUUM ANALYZE").execute(pg)?;
    } else if let dsar::db::DbConnection::Sqlite(sqlite) = &mut conn {
        diesel::sql_query("ANALYZE").execute(sqlite)?;
    }
    eprintln!(
        "\nseeded {n} cases in {:.1}s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
