//! Cases: intake, reading, listing and searching requests.

pub mod access;
pub mod csv;
pub mod documents;
pub mod dto;
pub mod http;
pub mod intake;
pub mod registrar;
pub mod registration;
pub mod service;
pub mod store;
pub mod stored;
pub mod view;
pub mod visibility;
