//! How fast the outbox sender delivers to a local SMTP server: queues N receipts, runs the real
//! sender (lettre over SMTP, no TLS) against a minimal SMTP sink on 127.0.0.1, and reports
//! messages per second.
//!
//! ```sh
//! DSAR__DATABASE__URL=sqlite:///tmp/sender-bench.sqlite3 cargo run --release --example sender_bench -- 2000
//! ```

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Instant;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

use dsar::clock::SystemClock;
use dsar::config::Settings;
use dsar::db::Db;
use dsar::notify::mailer::Mailer;
use dsar::notify::outbox::{enqueue, NewMessage, Template};
use dsar::notify::sender::Sender;
use dsar::notify::templates::Templates;

/// Accepts every message; counts them.
async fn smtp_sink(listener: TcpListener, received: Arc<AtomicUsize>) {
    loop {
        let Ok((socket, _)) = listener.accept().await else {
            return;
        };
        let received = received.clone();
        tokio::spawn(async move {
            let (read, mut write) = socket.into_split();
            let mut lines = BufReader::new(read).lines();
            let _ = write.write_all(b"220 sink ESMTP\r\n").await;
            let mut in_data = false;
            while let Ok(Some(line)) = lines.next_line().await {
                if in_data {
                    if line == "." {
                        in_data = false;
                        received.fetch_add(1, Ordering::Relaxed);
                        let _ = write.write_all(b"250 OK\r\n").await;
                    }
                    continue;
                }
                let verb = line
                    .split_whitespace()
                    .next()
                    .unwrap_or_default()
                    .to_ascii_uppercase();
                let reply: &[u8] = match verb.as_str() {
                    "EHLO" => b"250-sink\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n",
                    "DATA" => {
                        in_data = true;
                        b"354 go on\r\n"
                    }
                    "QUIT" => {
                        let _ = write.write_all(b"221 bye\r\n").await;
                        return;
                    }
                    _ => b"250 OK\r\n",
                };
                if write.write_all(reply).await.is_err() {
                    return;
                }
            }
        });
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let n: usize = std::env::args()
        .nth(1)
        .map(|s| s.parse().expect("N"))
        .unwrap_or(2000);
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let port = listener.local_addr()?.port();
    let received = Arc::new(AtomicUsize::new(0));
    tokio::spawn(smtp_sink(listener, received.clone()));

    let mut settings = Settings::load()?;
    settings.email.transport = "smtp".into();
    settings.email.smtp_host = "127.0.0.1".into();
    settings.email.smtp_port = port;
    settings.email.smtp_tls = "none".into();
    let db = Db::open(&settings.database, &settings.encryption, true)?;
    let now = chrono::Utc::now().naive_utc();
    db.write(move |conn| {
        for i in 0..n {
            let message = NewMessage {
                template: Template::Receipt,
                recipient: format!("test{i}@example.se"),
                params: serde_json::json!({
                    "reference": format!("DSAR-2026-{i:05}"), "kind_sv": "registerutdrag",
                    "received_date": "2026-03-10", "deadline": "2026-04-10",
                    "recipient_name": "Test Testsson", "organisation": "Exempelkommunen",
                }),
            };
            enqueue(conn, None, &message, now)?;
        }
        Ok(())
    })
    .await
    .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let sender = Sender {
        db,
        mailer: Mailer::from_settings(&settings.email)?,
        templates: Arc::new(Templates::new()),
        settings: Arc::new(settings),
        clock: Arc::new(SystemClock),
    };
    let started = Instant::now();
    while received.load(Ordering::Relaxed) < n {
        let handled = sender
            .run_once()
            .await
            .map_err(|e| anyhow::anyhow!("{e:?}"))?;
        if handled == 0 {
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    println!(
        "sender: {n} messages rendered and delivered over SMTP in {elapsed:.2}s = {:.0} messages/s",
        n as f64 / elapsed
    );
    Ok(())
}
