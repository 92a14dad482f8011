//! The registerutdrag: candidates from the register, findings confirmed by the handläggare,
//! the secrecy review per finding, and the extract as JSON and as a Swedish PDF letter.

pub mod compile;
pub mod document;
pub mod http;
pub mod portability;
pub mod service;
pub mod store;
pub mod stored;
pub mod views;

pub use service::Secrecy;
