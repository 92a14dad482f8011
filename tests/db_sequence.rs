//! Case numbers past 99999 keep every digit on both backends.

use diesel::prelude::*;
use dsar::db::{format_reference, take_numbers, ConnectionManager, DatabaseUrl, DbConnection};

fn number_past_99999(url: &str) {
    let settings = {
        let mut s = dsar::config::Settings::load_from(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("config"),
            "test",
            false,
        )
        .unwrap()
        .database;
        s.url = Some(DatabaseUrl::parse(url).unwrap());
        s
    };
    dsar::db::Db::migrate(&settings).unwrap();
    let mut conn = ConnectionManager::new(DatabaseUrl::parse(url).unwrap(), "full")
        .establish()
        .unwrap();
    diesel::sql_query("INSERT INTO reference_counters (year, last_number) VALUES (2026, 99998)")
        .execute(&mut conn)
        .unwrap();
    // One registration takes one number.
    let next = |conn: &mut DbConnection, _case: &str| {
        format_reference(2026, take_numbers(conn, 2026, 1).unwrap())
    };
    assert_eq!(next(&mut conn, "a"), "DSAR-2026-99999");
    assert_eq!(next(&mut conn, "b"), "DSAR-2026-100000");
    assert_eq!(next(&mut conn, "c"), "DSAR-2026-100001");

    // A batch takes its numbers at once and formats them as single numbers are.
    let first = take_numbers(&mut conn, 2026, 3).unwrap();
    assert_eq!(first, 100_002);
    assert_eq!(format_reference(2026, first + 2), "DSAR-2026-100004");
    assert_eq!(next(&mut conn, "d"), "DSAR-2026-100005");
    // A year's first batch starts at 1.
    assert_eq!(take_numbers(&mut conn, 2027, 2).unwrap(), 1);
    assert_eq!(format_reference(2027, 1), "DSAR-2027-00001");
}

#[test]
fn sqlite_numbers_past_99999() {
    let path = std::env::temp_dir().join(format!("dsar-seq-{}.sqlite3", uuid::Uuid::new_v4()));
    number_past_99999(&format!("sqlite://{}", path.display()));
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
}

#[test]
fn postgres_numbers_past_99999() {
    let Ok(admin) = std::env::var("DSAR_TEST_POSTGRES_URL") else {
        return;
    };
    let name = format!("dsar_seq_{}", uuid::Uuid::new_v4().simple());
    let mut conn = PgConnection::establish(&admin).unwrap();
    diesel::sql_query(format!("CREATE DATABASE {name}"))
        .execute(&mut conn)
        .unwrap();
    let base = admin.rsplit_once('/').map(|(b, _)| b).unwrap();
    number_past_99999(&format!("{base}/{name}"));
    diesel::sql_query(format!("DROP DATABASE {name} WITH (FORCE)"))
        .execute(&mut conn)
        .unwrap();
}
