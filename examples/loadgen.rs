//! A small load generator for the dsar API: N concurrent clients for a fixed time, reporting
//! throughput and latency percentiles (and the server's peak memory when given its pid).
//!
//! ```sh
//! cargo run --release --example loadgen -- --scenario create --concurrency 16 --seconds 20 \
//!     --token "$TOKEN" [--server-pid PID]
//! ```
//! Scenarios: `create` (POST /api/v1/cases), `read` (GET /api/v1/cases/{id} of cases it creates
//! first), `read-full` (a case and its journal), `list` (the first page of 50 cases, newest
//! first), `list-overdue`
//! (GET /api/v1/cases?overdue=true&sort=deadline), `stats` (GET /api/v1/stats), `get:PATH` (any
//! GET, e.g. `get:/api/v1/cases?limit=1`).
//! Traffic goes only to the given URL (default http://127.0.0.1:8080); the run stops by itself.

use std::sync::Arc;
use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::client::conn::http1::SendRequest;
use hyper_util::rt::TokioIo;
use serde_json::{json, Value};

struct Args {
    url: String,
    token: String,
    scenario: String,
    concurrency: usize,
    seconds: u64,
    server_pid: Option<u32>,
    controller: String,
}

fn parse_args() -> Args {
    let mut args = Args {
        url: "http://127.0.0.1:8080".into(),
        token: std::env::var("TOKEN").unwrap_or_default(),
        scenario: "create".into(),
        concurrency: 16,
        seconds: 10,
        server_pid: None,
        controller: "kommunstyrelsen".into(),
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().unwrap_or_else(|| panic!("{flag} needs a value"));
        match flag.as_str() {
            "--url" => args.url = value(),
            "--token" => args.token = value(),
            "--scenario" => args.scenario = value(),
            "--concurrency" => args.concurrency = value().parse().expect("--concurrency N"),
            "--seconds" => args.seconds = value().parse().expect("--seconds N"),
            "--server-pid" => args.server_pid = Some(value().parse().expect("--server-pid PID")),
            "--controller" => args.controller = value(),
            other => panic!("unknown flag {other}"),
        }
    }
    assert!(
        !args.token.is_empty(),
        "give --token or TOKEN (an admin token from `dsar token`)"
    );
    args
}

/// Skatteverket's test personnummer, so the load never carries a real person's number.
const TEST_PERSONNUMMER: [&str; 8] = [
    "189001019802",
    "189001029819",
    "189001039800",
    "189001049817",
    "189001059808",
    "189001069815",
    "189001079806",
    "191212121212",
];

fn case_body(i: usize, controller: &str) -> Value {
    json!({
        "kind": "access",
        "channel": "letter",
        "subject": {
            "personnummer": TEST_PERSONNUMMER[i % TEST_PERSONNUMMER.len()],
            "name": "Test Testsson",
            "address": {"street": "Storgatan 1", "postal_code": "151 89", "city": "Södertälje"}
        },
        "controllers": [controller],
        "description": "Belastningstest"
    })
}

/// One keep-alive HTTP/1.1 connection per client, on hyper's connection API: the timed loop
/// must cost the two shared cores as little as possible, so that the numbers are the server's.
struct Connection {
    sender: SendRequest<Full<Bytes>>,
    host: String,
    authorization: String,
}

impl Connection {
    async fn open(args: &Args) -> Self {
        let host = args
            .url
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .to_owned();
        let stream = tokio::net::TcpStream::connect(&host)
            .await
            .expect("the server accepts connections");
        stream.set_nodelay(true).expect("TCP_NODELAY");
        let (sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
            .await
            .expect("HTTP/1.1 handshake");
        tokio::spawn(connection);
        Self {
            sender,
            host,
            authorization: format!("Bearer {}", args.token),
        }
    }

    async fn get(&mut self, path: &str) -> bool {
        self.send("GET", path, Bytes::new()).await
    }

    async fn post(&mut self, path: &str, body: &Value) -> bool {
        let body = serde_json::to_vec(body).expect("JSON body");
        self.send("POST", path, Bytes::from(body)).await
    }

    /// Sends one request and reads the whole answer; true for a 2xx.
    async fn send(&mut self, method: &str, path: &str, body: Bytes) -> bool {
        let mut request = hyper::Request::builder()
            .method(method)
            .uri(path)
            .header("host", &self.host)
            .header("authorization", &self.authorization);
        if !body.is_empty() {
            request = request.header("content-type", "application/json");
        }
        let request = request.body(Full::new(body)).expect("request");
        if self.sender.ready().await.is_err() {
            return false;
        }
        match self.sender.send_request(request).await {
            Ok(response) => {
                let ok = response.status().is_success();
                ok && response.into_body().collect().await.is_ok()
            }
            Err(_) => false,
        }
    }
}

#[tokio::main]
async fn main() {
    let args = Arc::new(parse_args());
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(args.concurrency)
        .build()
        .expect("client");

    let ensure_controller = client
        .post(format!("{}/api/v1/controllers", args.url))
        .bearer_auth(&args.token)
        .json(&json!({"id": args.controller, "name": "Kommunstyrelsen"}))
        .send()
        .await
        .expect("server answers");
    assert!(
        ensure_controller.status().is_success() || ensure_controller.status() == 409,
        "cannot add the controller: {}",
        ensure_controller.status()
    );

    // For reads: a set of cases to read.
    let mut read_ids = Vec::new();
    if args.scenario == "read-full" {
        let page: Value = client
            .get(format!("{}/api/v1/cases?limit=200", args.url))
            .bearer_auth(&args.token)
            .send()
            .await
            .expect("list")
            .json()
            .await
            .expect("json");
        for item in page["items"].as_array().expect("items") {
            read_ids.push(item["id"].as_str().expect("id").to_owned());
        }
        assert!(
            !read_ids.is_empty(),
            "read-full needs cases in the database"
        );
    }
    if args.scenario == "read" {
        for i in 0..200 {
            let case: Value = client
                .post(format!("{}/api/v1/cases", args.url))
                .bearer_auth(&args.token)
                .json(&case_body(i, &args.controller))
                .send()
                .await
                .expect("create")
                .json()
                .await
                .expect("json");
            read_ids.push(case["id"].as_str().expect("id").to_owned());
        }
    }
    let read_ids = Arc::new(read_ids);

    let deadline = Instant::now() + Duration::from_secs(args.seconds);
    let started = Instant::now();
    let mut workers = Vec::new();
    for worker in 0..args.concurrency {
        let args = args.clone();
        let read_ids = read_ids.clone();
        workers.push(tokio::spawn(async move {
            let mut connection = Connection::open(&args).await;
            let mut latencies = Vec::new();
            let mut errors = 0usize;
            let mut i = worker;
            while Instant::now() < deadline {
                let sent = Instant::now();
                let ok = match args.scenario.as_str() {
                    // A case's full read: the case (parts and decisions) and its journal.
                    "read-full" => {
                        let id = &read_ids[i % read_ids.len()];
                        connection.get(&format!("/api/v1/cases/{id}")).await
                            && connection.get(&format!("/api/v1/cases/{id}/journal")).await
                    }
                    "create" => {
                        connection
                            .post("/api/v1/cases", &case_body(i, &args.controller))
                            .await
                    }
                    "read" => {
                        let id = &read_ids[i % read_ids.len()];
                        connection.get(&format!("/api/v1/cases/{id}")).await
                    }
                    "list" => connection.get("/api/v1/cases?limit=50").await,
                    "list-overdue" => {
                        connection
                            .get("/api/v1/cases?overdue=true&sort=deadline")
                            .await
                    }
                    "stats" => connection.get("/api/v1/stats").await,
                    other if other.starts_with("get:") => connection.get(&other[4..]).await,
                    other => panic!("unknown scenario {other}"),
                };
                if ok {
                    latencies.push(sent.elapsed());
                } else {
                    errors += 1;
                }
                i += args.concurrency;
            }
            (latencies, errors)
        }));
    }
    let mut latencies = Vec::new();
    let mut errors = 0;
    for worker in workers {
        let (l, e) = worker.await.expect("worker");
        latencies.extend(l);
        errors += e;
    }
    let elapsed = started.elapsed().as_secs_f64();
    latencies.sort();
    let pct = |p: f64| {
        latencies
            .get(((latencies.len() as f64 * p) as usize).min(latencies.len().saturating_sub(1)))
            .map(|d| d.as_secs_f64() * 1000.0)
            .unwrap_or(0.0)
    };
    println!(
        "scenario={} concurrency={} seconds={:.1} ok={} errors={} throughput={:.0}/s p50={:.2}ms p90={:.2}ms p99={:.2}ms max={:.2}ms",
        args.scenario,
        args.concurrency,
        elapsed,
        latencies.len(),
        errors,
        latencies.len() as f64 / elapsed,
        pct(0.50),
        pct(0.90),
        pct(0.99),
        latencies.last().map(|d| d.as_secs_f64() * 1000.0).unwrap_or(0.0),
    );
    if let Some(pid) = args.server_pid {
        if let Ok(status) = std::fs::read_to_string(format!("/proc/{pid}/status")) {
            for line in status
                .lines()
                .filter(|l| l.starts_with("VmHWM") || l.starts_with("VmRSS"))
            {
                println!("server {line}");
            }
        }
    }
}
