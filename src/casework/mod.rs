//! Case work: what a handläggare does on a case from intake to closure.

pub mod dto;
pub mod http;
pub mod store;
pub mod work;
