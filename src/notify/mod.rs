//! Notifications: messages are written to the outbox in the same transaction as the change that
//! causes them, and delivered after commit by the sender, with retries.

pub mod alerts;
pub mod http;
pub mod mailer;
pub mod outbox;
pub mod sender;
pub mod service;
pub mod templates;

pub use outbox::{Audience, DeliveryStatus, Template};
