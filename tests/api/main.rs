//! Journeys through the HTTP API, each on SQLite and on PostgreSQL.

mod helpers;

mod intake;
