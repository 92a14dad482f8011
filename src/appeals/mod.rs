//! Appeals of a part's decision (domain.md §6, `domain::appeal`): their arrival with the
//! rättidsprövning, and their forwarding to förvaltningsrätten. Changes go through case work
//! (`casework::service::change`), so they are versioned, journaled and audited like any other.

pub mod actions;
pub mod http;
pub mod store;
