//! The register of processing activities (Art. 30): imported from the files each nämnd keeps,
//! edited, searched in Swedish, and the source of the extract's Art. 15 information.

pub mod candidates;
pub mod http;
pub mod import;
pub mod index;
pub mod search;
pub mod service;
pub mod store;
