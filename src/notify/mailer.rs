//! Delivery with lettre: SMTP (no TLS, STARTTLS or TLS; with or without login) in production,
//! `.eml` files in a folder for development, so a fresh checkout needs no mail server.

use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use std::path::{Path, PathBuf};

use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use super::templates::RenderedEmail;
use crate::config::EmailSettings;

#[derive(Clone)]
pub enum Mailer {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    /// Each message written as `<outbox id>.eml` into the folder, so the retention run can
    /// remove it with its case ([`remove_files_without_message`]).
    File(PathBuf),
}

impl Mailer {
    pub fn from_settings(settings: &EmailSettings) -> anyhow::Result<Self> {
        match settings.transport.as_str() {
            "file" => {
                std::fs::create_dir_all(&settings.file_dir)?;
                Ok(Mailer::File(PathBuf::from(&settings.file_dir)))
            }
            _ => {
                let host = settings.smtp_host.as_str();
                let mut builder = match settings.smtp_tls.as_str() {
                    "tls" => AsyncSmtpTransport::<Tokio1Executor>::relay(host)?,
                    "starttls" => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(host)?,
                    _ => {
                        AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host).tls(Tls::None)
                    }
                };
                if settings.smtp_tls == "tls" {
                    builder = builder.tls(Tls::Wrapper(TlsParameters::new(host.to_owned())?));
                }
                builder = builder
                    .port(settings.smtp_port)
                    .timeout(Some(std::time::Duration::from_secs(20)));
                if let (Some(user), Some(password)) = (&settings.smtp_user, &settings.smtp_password)
                {
                    builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
                }
                Ok(Mailer::Smtp(builder.build()))
            }
        }
    }

    pub async fn send(&self, outbox_id: &str, message: Message) -> Result<(), String> {
        match self {
            Mailer::Smtp(transport) => transport
                .send(message)
                .await
                .map(|_| ())
                .map_err(|e| describe_smtp_error(&e)),
            Mailer::File(dir) => {
                let path = eml_path(dir, outbox_id).ok_or("not an outbox id")?;
                actix_web::web::block(move || std::fs::write(path, message.formatted()))
                    .await
                    .map_err(|e| e.to_string())?
                    .map_err(|e| format!("cannot write the message file: {}", e.kind()))
            }
        }
    }
}

/// Where the file transport keeps a message: outbox ids are UUIDs, so nothing else can be
/// named.
fn eml_path(dir: &Path, outbox_id: &str) -> Option<PathBuf> {
    uuid::Uuid::parse_str(outbox_id)
        .ok()
        .map(|id| dir.join(format!("{id}.eml")))
}

/// The outbox ids of the file transport's `.eml` files in `dir`.
pub fn message_files(dir: &Path) -> std::io::Result<Vec<String>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    Ok(entries
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let name = entry.file_name().into_string().ok()?;
            let id = name.strip_suffix(".eml")?;
            uuid::Uuid::parse_str(id).ok().map(|_| id.to_owned())
        })
        .collect())
}

/// Removes the file transport's copy of a message; `true` if there was one.
pub fn remove_message_file(dir: &Path, outbox_id: &str) -> bool {
    eml_path(dir, outbox_id).is_some_and(|path| std::fs::remove_file(path).is_ok())
}

/// What went wrong, without the server's own text: SMTP replies echo the recipient's address
/// ("550 5.1.1 <anna@...>: no such user"), and this text is logged and stored in the outbox.
pub fn describe_smtp_error(error: &lettre::transport::smtp::Error) -> String {
    let kind = if error.is_permanent() {
        "permanent SMTP error"
    } else if error.is_transient() {
        "transient SMTP error"
    } else if error.is_timeout() {
        "SMTP timeout"
    } else if error.is_tls() {
        "TLS error talking to the SMTP server"
    } else if error.is_transport_shutdown() {
        "SMTP connection closed"
    } else if error.is_client() {
        "SMTP client error"
    } else if error.is_response() {
        "unreadable SMTP response"
    } else {
        "SMTP connection error"
    };
    match error.status() {
        Some(code) => format!("{kind} {code}"),
        None => kind.to_owned(),
    }
}

/// Builds the message. The Message-ID is derived from the outbox id, so a message delivered
/// twice (a crash between the SMTP transaction and the bookkeeping) can be recognised.
pub fn build_message(
    from: &str,
    to: &str,
    outbox_id: &str,
    email: &RenderedEmail,
) -> Result<Message, String> {
    let from: Mailbox = from
        .parse()
        .map_err(|e| format!("bad sender address: {e}"))?;
    let to: Mailbox = to
        .parse()
        .map_err(|e| format!("bad recipient address: {e}"))?;
    let domain = from.email.domain().to_owned();
    Message::builder()
        .from(from)
        .to(to)
        .subject(email.subject.clone())
        .message_id(Some(format!("<{outbox_id}@{domain}>")))
        .multipart(MultiPart::alternative_plain_html(
            email.text.clone(),
            email.html.clone(),
        ))
        .map_err(|e| e.to_string())
}
