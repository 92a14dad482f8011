//! Journeys through the HTTP API, each on SQLite and on PostgreSQL.

mod helpers;

mod bad_input;
mod casework;
mod deadline;
mod idempotency;
mod intake;
mod listing;
mod operations;
mod references;
mod roles;
mod tokens;
