//! Notifications: messages are written to the outbox in the same transaction as the change that
//! causes them, and delivered after commit.

pub mod outbox;
