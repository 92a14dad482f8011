//! Journeys through the HTTP API, each on SQLite and on PostgreSQL.

mod helpers;

mod bad_input;
mod casework;
mod deadline;
mod encryption;
mod extract;
mod idempotency;
mod intake;
mod letters;
mod listing;
mod notifications;
mod operations;
mod other_identity;
mod protected;
mod references;
mod register;
mod retention;
mod roles;
mod secrecy;
mod tokens;
