//! Controllers (personuppgiftsansvariga): each nämnd, kommunstyrelsen and each municipal company.

pub mod http;
pub mod service;
pub mod store;
