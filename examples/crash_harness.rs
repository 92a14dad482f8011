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
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start dsar serve (build it first: cargo build --bin dsar)");
    Server { child }
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
        cases.extend(page["items"].as_array().unwrap().iter().cloned());
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => return cases,
        }
    }
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let args = parse_args();
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
    let base = format!("http://127.0.0.1:{}", args.port);
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let (admin, desk) = (token(&args, "admin"), token(&args, "kontaktcenter"));
    let handler = token(&args, "handlaggare");

    let mut server = start(&args, &database_url);
    wait_ready(&client, &base).await;
    let response = client
        .post(format!("{base}/api/v1/controllers"))
        .bearer_auth(&admin)
        .json(&json!({"id": "kommunstyrelsen", "name": "Kommunstyrelsen"}))
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success(), "{}", response.status());

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
