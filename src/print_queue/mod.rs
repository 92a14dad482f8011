//! The letters to the person (domain.md §9): every message to the person exists as a letter on
//! the nämnd's letterhead. When the e-mail carries it, the letter is the document of record;
//! otherwise (no address, an address nobody verified, a protected identity) it waits in the
//! print queue until a handläggare prints and posts it, and records the day.

pub mod actions;
pub mod http;
pub mod render;
pub mod store;

use crate::domain::code::coded_enum;
use crate::notify::outbox::Template;

coded_enum! {
    /// Where a letter stands.
    #[derive(serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
    #[serde(rename_all = "snake_case")]
    pub enum LetterStatus {
        /// The e-mail carried it.
        Emailed => "emailed",
        /// To be printed and posted (or handed over).
        ToPrint => "to_print",
        /// Posted on `posted_on`.
        Posted => "posted",
    }
}

/// A letter a change writes, with the message it goes with.
#[derive(Debug, Clone)]
pub struct NewLetter {
    pub template: Template,
    /// The controller whose letter it is (a decision's); none for the case's own letters.
    pub controller: Option<String>,
    /// Name and address lines.
    pub recipient: Vec<String>,
    /// The values of the message, with its content (also when the e-mail says only that there
    /// is news).
    pub params: serde_json::Value,
    pub status: LetterStatus,
}
