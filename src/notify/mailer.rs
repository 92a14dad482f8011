//! Delivery with lettre: SMTP (no TLS, STARTTLS or TLS; with or without login) in production,
//! `.eml` files in a folder for development, so a fresh checkout needs no mail server.

use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use super::templates::RenderedEmail;
use crate::config::EmailSettings;

#[derive(Clone)]
pub enum Mailer {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    File(AsyncFileTransport<Tokio1Executor>),
}

impl Mailer {
    pub fn from_settings(settings: &EmailSettings) -> anyhow::Result<Self> {
        match settings.transport.as_str() {
            "file" => {
                std::fs::create_dir_all(&settings.file_dir)?;
                Ok(Mailer::File(AsyncFileTransport::new(&settings.file_dir)))
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

    pub async fn send(&self, message: Message) -> Result<(), String> {
        match self {
            Mailer::Smtp(transport) => transport
                .send(message)
                .await
                .map(|_| ())
                .map_err(|e| describe_smtp_error(&e)),
            Mailer::File(transport) => transport
                .send(message)
                .await
                .map(|_| ())
                .map_err(|e| e.to_string()),
        }
    }
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
