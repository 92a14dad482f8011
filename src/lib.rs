//! dsar: data-subject requests (GDPR Art. 15-22) for Swedish municipalities.

pub mod app;
pub mod appeals;
pub mod audit;
pub mod auth;
pub mod cases;
pub mod casework;
pub mod clock;
pub mod config;
pub mod controllers;
pub mod db;
pub mod deadlines;
pub mod domain;
pub mod error;
pub mod extract;
pub mod health;
pub mod http;
pub mod jobs;
pub mod letters;
pub mod notify;
pub mod openapi;
pub mod print_queue;
pub mod register;
pub mod retention;
pub mod services;
pub mod stats;
pub mod telemetry;
