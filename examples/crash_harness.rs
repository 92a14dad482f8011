//! Faults survived on purpose: the service is killed with SIGKILL while clients register cases
//! and record diarienummer on them, restarted, and checked. Every answer 2xx must be in the
//! database after the restart; a request that got no answer or a 5xx may or may not have
//! happened, but never by half (a case without its parts or its journal's `received`).
//!
//! ```sh
//! cargo build --bin dsar && cargo run --example crash_harness -- --backend sqlite --cycles 20
//! cargo run --example crash_harness -- --backend postgres --cycles 20 \
//!     --postgres postgres://postgres@127.0.0.1:5432/postgres
//! ```
//! Loopback only; each cycle runs for `--seconds` (default 2) before the kill. The results go in
//! `docs/reliability.md`.
//!
//! `--fault postgres-restart` instead runs a throwaway PostgreSQL cluster of its own (the
//! installed binaries, as user `postgres`), stops it with `-m immediate` under load, and starts
//! it again: while it is down the service must answer 503, and afterwards recover by itself.
//!
//! `--fault disk-full` puts the SQLite database on a small tmpfs of its own (needs root), fills
//! it under load, then grows it: while full the service must answer 503 and lose nothing it
//! acknowledged, and afterwards write again by itself.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

struct Args {
    backend: String,
    cycles: usize,
    seconds: u64,
    concurrency: usize,
    binary: PathBuf,
    postgres: String,
    port: u16,
    /// `kill` (SIGKILL the service) or `postgres-restart` (stop PostgreSQL under load).
    fault: String,
}

fn parse_args() -> Args {
    let mut args = Args {
        backend: "sqlite".into(),
        cycles: 20,
        seconds: 2,
        concurrency: 8,
        binary: PathBuf::from("target/debug/dsar"),
        postgres: "postgres://postgres@127.0.0.1:5432/postgres".into(),
        port: 18183,
        fault: "kill".into(),
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().unwrap_or_else(|| panic!("{flag} needs a value"));
        match flag.as_str() {
            "--backend" => args.backend = value(),
            "--cycles" => args.cycles = value().parse().expect("--cycles N"),
            "--seconds" => args.seconds = value().parse().expect("--seconds N"),
            "--concurrency" => args.concurrency = value().parse().expect("--concurrency N"),
            "--binary" => args.binary = value().into(),
            "--postgres" => args.postgres = value(),
            "--port" => args.port = value().parse().expect("--port N"),
            "--fault" => args.fault = value(),
            other => panic!("unknown flag {other}"),
        }
    }
    assert!(
        args.backend == "sqlite" || args.backend == "postgres",
        "--backend sqlite|postgres"
    );
    args
}

/// What the clients were told was done.
#[derive(Default)]
struct Acknowledged {
    /// Cases answered 201.
    cases: Vec<String>,
    /// (case, diarienummer) answered 200.
    diarienummer: Vec<(String, String)>,
    /// Requests with no answer (the kill) or a 5xx.
    unanswered: usize,
}

struct Server {
    child: Child,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(args: &Args, database_url: &str) -> Server {
    let child = Command::new(&args.binary)
        .arg("serve")
        .env("DSAR_ENV", "test")
        .env("DSAR__DATABASE__URL", database_url)
        .env("DSAR__SERVER__PORT", args.port.to_string())
        .env(
            "DSAR__EMAIL__FILE_DIR",
            std::env::temp_dir().join("dsar-crash-mail"),
        )
        .env("DSAR__LOG__FORMAT", "json")
        .stdout(log_file())
        .stderr(log_file())
        .spawn()
        .expect("start dsar serve (build it first: cargo build --bin dsar)");
    Server { child }
}

/// The server's log (both streams), appended over the restarts.
fn log_file() -> std::fs::File {
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(std::env::temp_dir().join("dsar-crash-server.log"))
        .expect("the server's log")
}

fn token(args: &Args, role: &str) -> String {
    let output = Command::new(&args.binary)
        .args(["token", "--sub", &format!("crash-{role}"), "--role", role])
        .args(["--controller", "kommunstyrelsen"])
        .env("DSAR_ENV", "test")
        .output()
        .expect("dsar token");
    String::from_utf8(output.stdout).unwrap().trim().to_owned()
}

/// Starts the service on `database_url` and adds the nämnd the clients work for. The client
/// waits longer than the service waits for its database, so a 503 arrives before it gives up.
async fn boot(args: &Args, database_url: &str, admin: &str) -> (reqwest::Client, String, Server) {
    let base = format!("http://127.0.0.1:{}", args.port);
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap();
    let server = start(args, database_url);
    wait_ready(&client, &base).await;
    let response = client
        .post(format!("{base}/api/v1/controllers"))
        .bearer_auth(admin)
        .json(&json!({"id": "kommunstyrelsen", "name": "Kommunstyrelsen"}))
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success(), "{}", response.status());
    (client, base, server)
}

async fn wait_ready(client: &reqwest::Client, base: &str) {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(30) {
        if let Ok(r) = client.get(format!("{base}/ready")).send().await {
            if r.status().is_success() {
                return;
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the service did not become ready");
}

/// One client: register a case, then record a diarienummer on it, until told to stop.
async fn client_loop(
    client: reqwest::Client,
    base: String,
    token: String,
    client_no: usize,
    stop: Arc<std::sync::atomic::AtomicBool>,
    acknowledged: Arc<Mutex<Acknowledged>>,
) {
    let mut n = 0;
    while !stop.load(std::sync::atomic::Ordering::Relaxed) {
        n += 1;
        let body = json!({
            "kind": "access", "channel": "letter", "received_at": "2026-03-02T09:00:00Z",
            "subject": {"personnummer": "19121212-1212", "name": "Tolvan Tolvansson"},
            "controllers": ["kommunstyrelsen"]
        });
        let created = client
            .post(format!("{base}/api/v1/cases"))
            .bearer_auth(&token)
            .json(&body)
            .send()
            .await;
        let id = match created {
            Ok(r) if r.status().as_u16() == 201 => match r.json::<Value>().await {
                Ok(case) => case["id"].as_str().unwrap().to_owned(),
                Err(_) => {
                    // The answer was cut off: the case may or may not exist.
                    acknowledged.lock().unwrap().unanswered += 1;
                    continue;
                }
            },
            Ok(r) if r.status().is_server_error() => {
                acknowledged.lock().unwrap().unanswered += 1;
                continue;
            }
            Ok(r) => panic!("unexpected answer to a valid request: {}", r.status()),
            Err(_) => {
                acknowledged.lock().unwrap().unanswered += 1;
                continue;
            }
        };
        acknowledged.lock().unwrap().cases.push(id.clone());
        let diarienummer = format!("KS 2026/{client_no}-{n}");
        let recorded = client
            .post(format!("{base}/api/v1/cases/{id}/diarienummer"))
            .bearer_auth(&token)
            .json(&json!({ "diarienummer": diarienummer }))
            .send()
            .await;
        match recorded {
            Ok(r) if r.status().is_success() => acknowledged
                .lock()
                .unwrap()
                .diarienummer
                .push((id, diarienummer)),
            _ => acknowledged.lock().unwrap().unanswered += 1,
        }
    }
}

/// Every case of the database, through the API.
async fn all_cases(client: &reqwest::Client, base: &str, token: &str) -> Vec<Value> {
    let mut cases = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut url = format!("{base}/api/v1/cases?limit=500");
        if let Some(c) = &cursor {
            url.push_str(&format!("&cursor={c}"));
        }
        let page: Value = client
            .get(url)
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let items = page["items"]
            .as_array()
            .unwrap_or_else(|| panic!("the list of cases: {page}"));
        cases.extend(items.iter().cloned());
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => return cases,
        }
    }
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let args = parse_args();
    if args.fault == "postgres-restart" {
        return postgres_restart(&args).await;
    }
    if args.fault == "disk-full" {
        return disk_full(&args).await;
    }
    assert_eq!(
        args.fault, "kill",
        "--fault kill|postgres-restart|disk-full"
    );
    let work = std::env::temp_dir().join(format!("dsar-crash-{}", std::process::id()));
    std::fs::create_dir_all(&work).unwrap();
    let database_url = match args.backend.as_str() {
        "sqlite" => format!("sqlite://{}", work.join("dsar.sqlite3").display()),
        _ => {
            let name = format!("dsar_crash_{}", std::process::id());
            let status = Command::new("psql")
                .args([&args.postgres, "-qc", &format!("CREATE DATABASE {name}")])
                .status()
                .expect("psql");
            assert!(status.success(), "create the PostgreSQL database");
            let (prefix, _) = args.postgres.rsplit_once('/').expect("a database URL");
            format!("{prefix}/{name}")
        }
    };
    let (admin, desk) = (token(&args, "admin"), token(&args, "kontaktcenter"));
    let handler = token(&args, "handlaggare");
    let (client, base, mut server) = boot(&args, &database_url, &admin).await;

    let acknowledged = Arc::new(Mutex::new(Acknowledged::default()));
    for cycle in 1..=args.cycles {
        let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let clients: Vec<_> = (0..args.concurrency)
            .map(|i| {
                tokio::spawn(client_loop(
                    client.clone(),
                    base.clone(),
                    if i % 2 == 0 {
                        desk.clone()
                    } else {
                        handler.clone()
                    },
                    cycle * 100 + i,
                    stop.clone(),
                    acknowledged.clone(),
                ))
            })
            .collect();
        tokio::time::sleep(Duration::from_secs(args.seconds)).await;
        // SIGKILL: no shutdown, no flush, in the middle of whatever it was doing.
        server.child.kill().unwrap();
        server.child.wait().unwrap();
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        for c in clients {
            c.await.unwrap();
        }
        server = start(&args, &database_url);
        wait_ready(&client, &base).await;
        let ack = acknowledged.lock().unwrap();
        eprintln!(
            "cycle {cycle}: {} cases and {} diarienummer acknowledged so far, {} unanswered",
            ack.cases.len(),
            ack.diarienummer.len(),
            ack.unanswered
        );
    }

    // Every acknowledged write is there; every case there is whole.
    let cases = all_cases(&client, &base, &admin).await;
    let by_id: std::collections::HashMap<&str, &Value> = cases
        .iter()
        .map(|c| (c["id"].as_str().unwrap(), c))
        .collect();
    let ack = std::mem::take(&mut *acknowledged.lock().unwrap());
    let missing: Vec<&String> = ack
        .cases
        .iter()
        .filter(|id| !by_id.contains_key(id.as_str()))
        .collect();
    let lost_diarienummer: Vec<&(String, String)> = ack
        .diarienummer
        .iter()
        .filter(|(id, d)| by_id.get(id.as_str()).map(|c| &c["diarienummer"]) != Some(&json!(d)))
        .collect();
    let half: Vec<&&Value> = by_id
        .values()
        .filter(|c| c["parts"].as_array().is_none_or(|p| p.is_empty()))
        .collect();
    let mut without_received = 0;
    for id in by_id.keys() {
        let journal: Value = client
            .get(format!("{base}/api/v1/cases/{id}/journal"))
            .bearer_auth(&admin)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let received = journal
            .as_array()
            .is_some_and(|events| events.iter().any(|e| e["event"] == "received"));
        if !received {
            without_received += 1;
        }
    }
    server.child.kill().unwrap();
    server.child.wait().unwrap();
    if args.backend == "postgres" {
        let name = format!("dsar_crash_{}", std::process::id());
        let _ = Command::new("psql")
            .args([&args.postgres, "-qc", &format!("DROP DATABASE {name}")])
            .status();
    }
    let _ = std::fs::remove_dir_all(&work);

    println!(
        "{} backend, {} kill -9 cycles of {} s with {} clients: {} cases acknowledged, {} in the \
         database ({} committed but unanswered), {} diarienummer acknowledged; {} unanswered \
         requests",
        args.backend,
        args.cycles,
        args.seconds,
        args.concurrency,
        ack.cases.len(),
        cases.len(),
        cases.len().saturating_sub(ack.cases.len()),
        ack.diarienummer.len(),
        ack.unanswered
    );
    println!(
        "lost: {} cases, {} diarienummer; half-written cases: {} without parts, {} without their \
         journal's received",
        missing.len(),
        lost_diarienummer.len(),
        half.len(),
        without_received
    );
    if !missing.is_empty()
        || !lost_diarienummer.is_empty()
        || !half.is_empty()
        || without_received > 0
    {
        std::process::exit(1);
    }
}

/// `pg_ctl` and the rest of the newest installed PostgreSQL.
fn pg_bin() -> String {
    let output = Command::new("sh")
        .args([
            "-c",
            "ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1",
        ])
        .output()
        .expect("sh");
    let bin = String::from_utf8(output.stdout).unwrap().trim().to_owned();
    assert!(!bin.is_empty(), "no PostgreSQL under /usr/lib/postgresql");
    bin
}

fn as_postgres(command: &str) {
    let status = Command::new("su")
        .args(["postgres", "-s", "/bin/sh", "-c", command])
        .stdout(Stdio::null())
        .status()
        .expect("su postgres");
    assert!(status.success(), "{command}");
}

/// Requests answered per second, by kind.
#[derive(Default, Debug, Clone, Copy)]
struct Answers {
    ok: usize,
    unavailable: usize,
    other: usize,
}

async fn postgres_restart(args: &Args) {
    let bin = pg_bin();
    let dir = std::env::temp_dir().join(format!("dsar-crash-pg-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    Command::new("chown")
        .args(["postgres", dir.to_str().unwrap()])
        .status()
        .unwrap();
    let data = dir.join("data");
    let pg_port = args.port + 1;
    as_postgres(&format!(
        "{bin}/initdb -D '{}' -A trust -U postgres",
        data.display()
    ));
    let pg_ctl = |action: &str| {
        as_postgres(&format!(
            "{bin}/pg_ctl -D '{}' -l '{}/log' -w -o \"-p {pg_port} -k {} -c listen_addresses=127.0.0.1\" {action}",
            data.display(),
            dir.display(),
            dir.display()
        ))
    };
    pg_ctl("start");
    // Stops the cluster and removes it however this function ends.
    struct Cluster(String);
    impl Drop for Cluster {
        fn drop(&mut self) {
            let _ = Command::new("su")
                .args(["postgres", "-s", "/bin/sh", "-c", &self.0])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
        }
    }
    let cluster = Cluster(format!(
        "{bin}/pg_ctl -D '{}' -m immediate stop; rm -rf '{}'",
        data.display(),
        dir.display()
    ));
    let database_url = format!("postgres://postgres@127.0.0.1:{pg_port}/postgres");
    let (admin, desk) = (token(args, "admin"), token(args, "kontaktcenter"));
    let (client, base, server) = boot(args, &database_url, &admin).await;

    // Clients register cases without pause; every answer is counted in its second.
    let started = Instant::now();
    let seconds: Arc<Mutex<Vec<Answers>>> = Arc::new(Mutex::new(vec![Answers::default(); 120]));
    let acknowledged: Arc<Mutex<Vec<String>>> = Arc::default();
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let clients: Vec<_> = (0..args.concurrency)
        .map(|_| {
            let (client, base, desk) = (client.clone(), base.clone(), desk.clone());
            let (seconds, acknowledged, stop) = (seconds.clone(), acknowledged.clone(), stop.clone());
            tokio::spawn(async move {
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    let answer = client
                        .post(format!("{base}/api/v1/cases"))
                        .bearer_auth(&desk)
                        .json(&json!({
                            "kind": "access", "channel": "letter", "received_at": "2026-03-02T09:00:00Z",
                            "subject": {"personnummer": "19121212-1212", "name": "Tolvan Tolvansson"},
                            "controllers": ["kommunstyrelsen"]
                        }))
                        .send()
                        .await;
                    let second = started.elapsed().as_secs() as usize;
                    let mut slot = Answers::default();
                    match answer {
                        Ok(r) if r.status().as_u16() == 201 => {
                            if let Ok(case) = r.json::<Value>().await {
                                acknowledged.lock().unwrap().push(case["id"].as_str().unwrap().to_owned());
                            }
                            slot.ok = 1;
                        }
                        Ok(r) if r.status().as_u16() == 503 => {
                            slot.unavailable = 1;
                            tokio::time::sleep(Duration::from_millis(50)).await;
                        }
                        other => {
                            slot.other = 1;
                            let what = match other {
                                Ok(r) => r.status().to_string(),
                                Err(e) if e.is_timeout() => "timeout".to_owned(),
                                Err(e) if e.is_connect() => "connection refused".to_owned(),
                                Err(_) => "connection closed".to_owned(),
                            };
                            eprintln!("second {second}: {what}");
                        }
                    }
                    let mut all = seconds.lock().unwrap();
                    if let Some(s) = all.get_mut(second) {
                        s.ok += slot.ok;
                        s.unavailable += slot.unavailable;
                        s.other += slot.other;
                    }
                }
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_secs(args.seconds)).await;
    let down_at = started.elapsed().as_secs();
    pg_ctl("stop -m immediate");
    // Longer than the pool waits for a connection (10 s): requests must be answered 503.
    tokio::time::sleep(Duration::from_secs(15)).await;
    let up_at = started.elapsed().as_secs();
    pg_ctl("start");
    tokio::time::sleep(Duration::from_secs(8)).await;
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    for c in clients {
        c.await.unwrap();
    }
    let total = started.elapsed().as_secs() as usize;
    let seconds = seconds.lock().unwrap().clone();
    println!("second: 201 / 503 / other (PostgreSQL stopped at {down_at} s, started at {up_at} s)");
    for (i, s) in seconds.iter().enumerate().take(total) {
        println!(
            "{i:>3}: {:>5} / {:>5} / {:>5}",
            s.ok, s.unavailable, s.other
        );
    }
    let others: usize = seconds.iter().map(|s| s.other).sum();
    let recovered_at = seconds
        .iter()
        .enumerate()
        .skip(up_at as usize)
        .find(|(_, s)| s.ok > 0)
        .map(|(i, _)| i);
    let acknowledged = acknowledged.lock().unwrap().clone();
    let cases = all_cases(&client, &base, &admin).await;
    let present: std::collections::HashSet<&str> =
        cases.iter().map(|c| c["id"].as_str().unwrap()).collect();
    let lost = acknowledged
        .iter()
        .filter(|id| !present.contains(id.as_str()))
        .count();
    // `exit` runs no destructors: stop the service and the cluster first.
    drop(server);
    drop(cluster);
    println!(
        "{} cases answered 201, {} in the database, {lost} lost; answers other than 201 or 503: \
         {others}; first 201 after PostgreSQL came back: {}",
        acknowledged.len(),
        cases.len(),
        recovered_at.map_or("never".to_owned(), |s| format!("second {s}"))
    );
    if lost > 0 || others > 0 || recovered_at.is_none() {
        std::process::exit(1);
    }
}

/// Counts answers to case registrations by kind while `stop` is unset.
async fn register_until(
    client: reqwest::Client,
    base: String,
    token: String,
    stop: Arc<std::sync::atomic::AtomicBool>,
    answers: Arc<Mutex<(Answers, Vec<String>)>>,
) {
    while !stop.load(std::sync::atomic::Ordering::Relaxed) {
        let answer = client
            .post(format!("{base}/api/v1/cases"))
            .bearer_auth(&token)
            .json(&json!({
                "kind": "access", "channel": "letter", "received_at": "2026-03-02T09:00:00Z",
                "subject": {"personnummer": "19121212-1212", "name": "Tolvan Tolvansson"},
                "description": "x".repeat(2000),
                "controllers": ["kommunstyrelsen"]
            }))
            .send()
            .await;
        match answer {
            Ok(r) if r.status().as_u16() == 201 => {
                if let Ok(case) = r.json::<Value>().await {
                    let mut a = answers.lock().unwrap();
                    a.0.ok += 1;
                    a.1.push(case["id"].as_str().unwrap().to_owned());
                }
            }
            Ok(r) if r.status().as_u16() == 503 => {
                answers.lock().unwrap().0.unavailable += 1;
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            other => {
                eprintln!("unexpected: {:?}", other.map(|r| r.status()));
                answers.lock().unwrap().0.other += 1;
            }
        }
    }
}

async fn disk_full(args: &Args) {
    let dir = std::env::temp_dir().join(format!("dsar-crash-full-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mount = |options: &str| {
        Command::new("mount")
            .args(["-t", "tmpfs", "-o", options, "tmpfs", dir.to_str().unwrap()])
            .status()
            .is_ok_and(|s| s.success())
    };
    if !mount("size=8m") {
        eprintln!("could not mount a tmpfs (the disk-full fault needs root)");
        std::process::exit(2);
    }
    struct Unmount(PathBuf);
    impl Drop for Unmount {
        fn drop(&mut self) {
            let _ = Command::new("umount").arg(&self.0).status();
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
    let unmount = Unmount(dir.clone());
    let database_url = format!("sqlite://{}", dir.join("dsar.sqlite3").display());
    let (admin, desk) = (token(args, "admin"), token(args, "kontaktcenter"));
    let (client, base, server) = boot(args, &database_url, &admin).await;
    let answers: Arc<Mutex<(Answers, Vec<String>)>> = Arc::default();
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let clients: Vec<_> = (0..args.concurrency)
        .map(|_| {
            tokio::spawn(register_until(
                client.clone(),
                base.clone(),
                desk.clone(),
                stop.clone(),
                answers.clone(),
            ))
        })
        .collect();
    // Until the disk is full and a few seconds more.
    let started = Instant::now();
    while answers.lock().unwrap().0.unavailable == 0 && started.elapsed() < Duration::from_secs(120)
    {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    tokio::time::sleep(Duration::from_secs(3)).await;
    let while_full = answers.lock().unwrap().0;
    // Room again, without touching the service.
    assert!(mount("remount,size=256m"), "grow the tmpfs");
    let grown_at = answers.lock().unwrap().0.ok;
    tokio::time::sleep(Duration::from_secs(3)).await;
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    for c in clients {
        c.await.unwrap();
    }
    let (after, acknowledged) = answers.lock().unwrap().clone();
    let cases = all_cases(&client, &base, &admin).await;
    let present: std::collections::HashSet<&str> =
        cases.iter().map(|c| c["id"].as_str().unwrap()).collect();
    let lost = acknowledged
        .iter()
        .filter(|id| !present.contains(id.as_str()))
        .count();
    let half = cases
        .iter()
        .filter(|c| c["parts"].as_array().is_none_or(|p| p.is_empty()))
        .count();
    drop(server);
    drop(unmount);
    println!(
        "disk full after {} cases: {} answered 503 while full, {} other; after it grew: {} more \
         201; {} cases answered 201, {} in the database, {lost} lost, {half} half-written",
        while_full.ok,
        while_full.unavailable,
        after.other,
        after.ok - grown_at,
        acknowledged.len(),
        cases.len()
    );
    if lost > 0
        || half > 0
        || after.other > 0
        || after.ok == grown_at
        || while_full.unavailable == 0
    {
        std::process::exit(1);
    }
}
