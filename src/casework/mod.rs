//! Case work: what a handläggare does on a case from intake to closure.

pub mod actions;
pub mod dto;
pub mod http;
pub mod service;
pub mod store;
pub mod work;
