//! What the DPO sees: counts, what is late, what is due, and how the municipality keeps time.

pub mod counts;
pub mod http;
pub mod service;
pub mod store;
