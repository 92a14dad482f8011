//! JWT bearer authentication, roles and the permission table.

mod claims;
mod keys;
mod policy;
mod roles;
mod user;

pub use claims::{Audience, Claims};
pub use keys::{parse_ttl, TokenKeys};
pub use policy::{Action, CaseScope};
pub use roles::Role;
pub use user::AuthUser;
