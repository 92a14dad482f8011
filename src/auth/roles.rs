use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The roles of `api.md`. Unknown role names in a token are ignored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Etjanst,
    Kontaktcenter,
    Handlaggare,
    Dpo,
    Admin,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Etjanst,
        Role::Kontaktcenter,
        Role::Handlaggare,
        Role::Dpo,
        Role::Admin,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Etjanst => "etjanst",
            Role::Kontaktcenter => "kontaktcenter",
            Role::Handlaggare => "handlaggare",
            Role::Dpo => "dpo",
            Role::Admin => "admin",
        }
    }

    pub fn parse(name: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == name)
    }
}
