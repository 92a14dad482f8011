//! What the extract's endpoints answer with.

use serde::Serialize;
use utoipa::ToSchema;

use super::store::FindingRow;
use crate::db::SealedText;
use crate::domain::legal_basis::Advice;
use crate::register::store::Activity;

#[derive(Debug, Serialize, ToSchema)]
pub struct CandidateView {
    pub activity: Activity,
    pub score: f64,
    /// Why this activity may concern the person, in Swedish.
    pub reasons: Vec<String>,
    pub matched_categories: Vec<String>,
    /// For rectification, erasure, objection and portability: the likely outcome from the
    /// activity's legal basis, as advice (a person decides).
    #[schema(value_type = Option<Object>)]
    pub advice: Option<Advice>,
    /// The finding already recorded for this activity, if any.
    pub finding: Option<FindingView>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FindingView {
    pub activity_id: String,
    pub activity_name: String,
    pub controller: String,
    pub found: bool,
    pub data: Option<String>,
    pub secrecy: String,
    pub secrecy_reference: Option<String>,
    pub guardian_secrecy_considered: bool,
    pub reviewed_by: String,
}

impl FindingView {
    pub fn of(row: &FindingRow) -> Self {
        FindingView {
            activity_id: row.activity_id.clone(),
            activity_name: row.activity.name.clone(),
            controller: row.controller_id.clone(),
            found: row.found,
            data: row.data.clone().map(SealedText::into_inner),
            secrecy: row.secrecy.as_str().to_owned(),
            secrecy_reference: row.secrecy_reference.clone(),
            guardian_secrecy_considered: row.guardian_secrecy_considered,
            reviewed_by: row.reviewed_by.clone(),
        }
    }
}
