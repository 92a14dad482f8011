//! Restriction of processing in force per activity (Art. 18, domain.md §6): started for a
//! restriction request, or as an interim measure while an objection (Art. 18(1)(d)) or a
//! contested accuracy (Art. 18(1)(a)) is assessed; lifted only after the person has been told
//! (Art. 18(3)). Changes go through case work, so they are versioned, journaled and audited.

pub mod actions;
pub mod http;
pub mod store;
