//! A small SMTP server for the tests (RFC 5321 without TLS or AUTH), enough for lettre: it
//! greets, answers EHLO/HELO, MAIL FROM, RCPT TO, DATA (undoing dot-stuffing), RSET, NOOP and
//! QUIT, and records every message it accepted. It can be stopped (listener and connections
//! closed, as a mail server that goes down) and started again on the same port.

use std::sync::atomic::{AtomicU16, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpSocket, TcpStream};
use tokio::task::JoinHandle;

/// A message as the server received it: the envelope and the data, dot-stuffing undone.
#[derive(Debug, Clone)]
pub struct Received {
    pub mail_from: String,
    pub rcpt_to: Vec<String>,
    pub data: Vec<u8>,
}

impl Received {
    /// The raw message as text (lossy for invalid UTF-8).
    pub fn raw(&self) -> String {
        String::from_utf8_lossy(&self.data).into_owned()
    }
}

#[derive(Default)]
struct Tasks {
    listener: Option<JoinHandle<()>>,
    connections: Vec<JoinHandle<()>>,
}

#[derive(Clone)]
pub struct SmtpServer {
    port: Arc<AtomicU16>,
    messages: Arc<Mutex<Vec<Received>>>,
    tasks: Arc<Mutex<Tasks>>,
}

impl SmtpServer {
    /// Starts a server on a free port of 127.0.0.1.
    pub async fn start() -> SmtpServer {
        let server = SmtpServer {
            port: Arc::new(AtomicU16::new(0)),
            messages: Arc::new(Mutex::new(Vec::new())),
            tasks: Arc::new(Mutex::new(Tasks::default())),
        };
        server.listen(0).await;
        server
    }

    /// The port it listens on (or listened on, while stopped).
    pub fn port(&self) -> u16 {
        self.port.load(Ordering::SeqCst)
    }

    /// Every message received so far, in order of arrival.
    pub fn messages(&self) -> Vec<Received> {
        self.messages.lock().expect("messages lock").clone()
    }

    /// Closes the listener and every open connection: the mail server is down.
    pub async fn stop(&self) {
        // The listener first, so no connection is accepted while the others are closed; each
        // task is awaited, so its sockets are closed when `stop` returns.
        let listener = self.tasks.lock().expect("tasks lock").listener.take();
        if let Some(task) = listener {
            task.abort();
            let _ = task.await;
        }
        let connections = std::mem::take(&mut self.tasks.lock().expect("tasks lock").connections);
        for task in connections {
            task.abort();
            let _ = task.await;
        }
    }

    /// Starts again on `port` (the one it had), keeping the messages received so far.
    pub async fn start_on(&self, port: u16) {
        self.listen(port).await
    }

    async fn listen(&self, port: u16) {
        // The port was in use a moment ago: retry briefly while the old socket goes away.
        let mut tries = 0;
        let listener = loop {
            match bind(port) {
                Ok(listener) => break listener,
                Err(_) if tries < 100 => {
                    tries += 1;
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
                Err(e) => panic!("the test SMTP server cannot listen on port {port}: {e}"),
            }
        };
        let port = listener.local_addr().expect("local address").port();
        self.port.store(port, Ordering::SeqCst);
        let accepting = self.clone();
        let task = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                let messages = accepting.messages.clone();
                let connection = tokio::spawn(async move {
                    let _ = session(stream, messages).await;
                });
                let mut tasks = accepting.tasks.lock().expect("tasks lock");
                tasks.connections.retain(|t| !t.is_finished());
                tasks.connections.push(connection);
            }
        });
        self.tasks.lock().expect("tasks lock").listener = Some(task);
    }
}

fn bind(port: u16) -> std::io::Result<TcpListener> {
    let socket = TcpSocket::new_v4()?;
    socket.set_reuseaddr(true)?;
    socket.bind(std::net::SocketAddr::from(([127, 0, 0, 1], port)))?;
    socket.listen(128)
}

/// One SMTP session.
/// Recipients at this domain are refused with a reply that echoes their address.
pub const UNKNOWN_DOMAIN: &str = "@no-such-mailbox.example";

async fn session(stream: TcpStream, messages: Arc<Mutex<Vec<Received>>>) -> std::io::Result<()> {
    let (read, mut write) = stream.into_split();
    let mut reader = BufReader::new(read);
    write
        .write_all(b"220 dsar-test-smtp ESMTP ready\r\n")
        .await?;
    let mut mail_from: Option<String> = None;
    let mut rcpt_to: Vec<String> = Vec::new();
    let mut line = Vec::new();
    loop {
        line.clear();
        if reader.read_until(b'\n', &mut line).await? == 0 {
            return Ok(());
        }
        let text = String::from_utf8_lossy(&line);
        let command = text.trim_end_matches(['\r', '\n']);
        let verb = command
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_ascii_uppercase();
        let reply: &[u8] = match verb.as_str() {
            "EHLO" => {
                mail_from = None;
                rcpt_to.clear();
                b"250-dsar-test-smtp greets you\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n250 SIZE 10485760\r\n"
            }
            "HELO" => {
                mail_from = None;
                rcpt_to.clear();
                b"250 dsar-test-smtp\r\n"
            }
            "MAIL" => match address_after(command, "FROM:") {
                Some(address) => {
                    mail_from = Some(address);
                    rcpt_to.clear();
                    b"250 2.1.0 OK\r\n"
                }
                None => b"501 5.5.4 Syntax: MAIL FROM:<address>\r\n",
            },
            "RCPT" => match (&mail_from, address_after(command, "TO:")) {
                (None, _) => b"503 5.5.1 MAIL first\r\n",
                // A mailbox that does not exist, answered as real servers do: with the address.
                (Some(_), Some(address)) if address.ends_with(UNKNOWN_DOMAIN) => {
                    let reply = format!("550 5.1.1 <{address}>: Recipient address rejected\r\n");
                    write.write_all(reply.as_bytes()).await?;
                    continue;
                }
                (Some(_), Some(address)) => {
                    rcpt_to.push(address);
                    b"250 2.1.5 OK\r\n"
                }
                (Some(_), None) => b"501 5.5.4 Syntax: RCPT TO:<address>\r\n",
            },
            "DATA" => {
                if mail_from.is_none() || rcpt_to.is_empty() {
                    b"503 5.5.1 MAIL and RCPT first\r\n"
                } else {
                    write
                        .write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                        .await?;
                    let mut data = Vec::new();
                    loop {
                        line.clear();
                        if reader.read_until(b'\n', &mut line).await? == 0 {
                            // The client went away in the middle: nothing was accepted.
                            return Ok(());
                        }
                        if line == b".\r\n" || line == b".\n" {
                            break;
                        }
                        // Dot-stuffing: a line that began with "." was sent with one more.
                        let content = if line.starts_with(b"..") {
                            &line[1..]
                        } else {
                            &line[..]
                        };
                        data.extend_from_slice(content);
                    }
                    messages.lock().expect("messages lock").push(Received {
                        mail_from: mail_from.take().unwrap_or_default(),
                        rcpt_to: std::mem::take(&mut rcpt_to),
                        data,
                    });
                    b"250 2.0.0 OK queued\r\n"
                }
            }
            "RSET" => {
                mail_from = None;
                rcpt_to.clear();
                b"250 2.0.0 OK\r\n"
            }
            "NOOP" => b"250 2.0.0 OK\r\n",
            "QUIT" => {
                write.write_all(b"221 2.0.0 Bye\r\n").await?;
                return Ok(());
            }
            _ => b"500 5.5.2 Command not recognised\r\n",
        };
        write.write_all(reply).await?;
    }
}

/// `<address>` after `FROM:` or `TO:` (case-insensitive), parameters after it ignored.
fn address_after(command: &str, keyword: &str) -> Option<String> {
    let upper = command.to_ascii_uppercase();
    let at = upper.find(keyword)? + keyword.len();
    let rest = command[at..].trim_start();
    let rest = rest.strip_prefix('<')?;
    let end = rest.find('>')?;
    Some(rest[..end].to_owned())
}

/// Reads one reply (all its lines) and asserts its code.
async fn expect_reply<R: tokio::io::AsyncBufRead + Unpin>(reader: &mut R, code: &str) {
    loop {
        let mut reply = String::new();
        reader.read_line(&mut reply).await.expect("reply");
        assert!(reply.starts_with(code), "expected {code}, got {reply:?}");
        if reply.as_bytes().get(3) != Some(&b'-') {
            return;
        }
    }
}

#[tokio::test]
async fn the_test_server_speaks_enough_smtp_and_restarts_on_its_port() {
    use tokio::io::AsyncReadExt;

    let server = SmtpServer::start().await;
    let port = server.port();
    let stream = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    let (read, mut write) = stream.into_split();
    let mut reader = BufReader::new(read);
    expect_reply(&mut reader, "220").await;
    for (command, code) in [
        ("EHLO client.example\r\n", "250"),
        ("NOOP\r\n", "250"),
        ("RCPT TO:<b@example.se>\r\n", "503"),
        ("MAIL FROM:<a@example.se> BODY=8BITMIME\r\n", "250"),
        ("RCPT TO:<b@example.se>\r\n", "250"),
        ("DATA\r\n", "354"),
        ("Subject: x\r\n\r\n..leading dot\r\nsecond\r\n.\r\n", "250"),
        ("RSET\r\n", "250"),
        ("HELO client.example\r\n", "250"),
        ("DATA\r\n", "503"),
    ] {
        write.write_all(command.as_bytes()).await.unwrap();
        expect_reply(&mut reader, code).await;
    }
    let messages = server.messages();
    assert_eq!(messages.len(), 1);
    assert_eq!(messages[0].mail_from, "a@example.se");
    assert_eq!(messages[0].rcpt_to, vec!["b@example.se".to_string()]);
    assert_eq!(
        messages[0].raw(),
        "Subject: x\r\n\r\n.leading dot\r\nsecond\r\n"
    );

    // Stopped: the open connection is closed and nobody can connect.
    server.stop().await;
    let mut rest = Vec::new();
    let _ = reader.read_to_end(&mut rest).await;
    assert!(TcpStream::connect(("127.0.0.1", port)).await.is_err());

    // Back on the same port, with the messages received before.
    server.start_on(port).await;
    assert_eq!(server.port(), port);
    let stream = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    let mut reader = BufReader::new(stream);
    expect_reply(&mut reader, "220").await;
    reader.get_mut().write_all(b"QUIT\r\n").await.unwrap();
    expect_reply(&mut reader, "221").await;
    assert_eq!(server.messages().len(), 1);
    server.stop().await;
}
