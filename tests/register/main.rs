//! The register of processing activities: import from the formats municipalities keep, Swedish
//! search, candidates for a case and the advice from the legal basis.

mod common;

mod candidates;
mod filters;
mod import;
mod legal_basis;
mod search_seed;
mod search_synthetic;
mod text;
