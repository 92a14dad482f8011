//! The disk's limit for one durable commit per request: SQLite inserts, one transaction each,
//! with `synchronous=FULL` in WAL mode (as the service runs), for a few seconds.
//!
//! ```sh
//! cargo run --release --example fsync_probe -- [path] [seconds]
//! ```

use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use diesel::{Connection, SqliteConnection};

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .unwrap_or_else(|| "target/fsync_probe.sqlite3".into());
    let seconds: u64 = args
        .next()
        .map(|s| s.parse().expect("seconds"))
        .unwrap_or(5);
    let _ = std::fs::remove_file(&path);
    let mut conn = SqliteConnection::establish(&path).expect("open");
    conn.batch_execute(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;
         CREATE TABLE t (id INTEGER PRIMARY KEY, payload TEXT NOT NULL);",
    )
    .expect("setup");
    let started = Instant::now();
    let mut commits = 0u64;
    while started.elapsed() < Duration::from_secs(seconds) {
        conn.batch_execute("BEGIN; INSERT INTO t (payload) VALUES ('x'); COMMIT;")
            .expect("insert");
        commits += 1;
    }
    let elapsed = started.elapsed().as_secs_f64();
    println!(
        "sqlite synchronous=FULL, one insert per transaction: {commits} commits in {elapsed:.1}s = {:.0} commits/s ({:.3} ms each)",
        commits as f64 / elapsed,
        elapsed * 1000.0 / commits as f64
    );
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{path}{suffix}"));
    }
}
