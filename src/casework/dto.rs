//! Request bodies of the case-work endpoints.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::deadlines::DeadlineExplanation;
use crate::domain::case::{DeliveryMethod, IdentityMethod};
use crate::domain::deadline::Step;
use crate::domain::decision::Outcome;
use crate::domain::pause::{Adjustment, IdentityWait};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum IdentityAction {
    /// The identity is established (method, note).
    Verify,
    /// More information is needed (Art. 12(6)); queues the request to the person.
    RequestInformation,
    /// The information asked for has arrived.
    InformationReceived,
    /// The identity could not be established.
    Fail,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Party {
    /// The person the request is about.
    #[default]
    Subject,
    /// The guardian, ombud, god man or förvaltare making the request.
    Representative,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IdentityRequest {
    pub action: IdentityAction,
    /// Whose identity; default `subject`.
    #[serde(default)]
    pub party: Party,
    /// Required for `verify`: `id_document`, `signed_form` or `e_legitimation`.
    pub method: Option<IdentityMethod>,
    /// For `id_document`: the kind of document (never its number).
    pub document_type: Option<String>,
    /// What was checked, or what information is asked for.
    pub note: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddControllerRequest {
    pub controller: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignRequest {
    /// The handläggare (`sub`) to assign; omit to take the part yourself.
    pub handler: Option<String>,
    /// Their name, as letters show it; taking the part yourself, your own.
    pub handler_name: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExtensionRequest {
    /// Why more time is needed (complexity, number of requests); told to the person.
    pub reason: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionRequest {
    pub controller: String,
    pub outcome: Outcome,
    /// Required for `partially_granted` and `refused`.
    pub reasons: Option<String>,
    /// For granted rectification and erasure: the recipients told (Art. 19).
    pub recipients_notified: Option<Vec<String>>,
    /// Or why recipients could not be told.
    pub recipients_not_notified_reason: Option<String>,
    /// `identity_not_established`: a refusal because who asked could not be established, the
    /// only decision possible while an identity is unverified.
    pub ground: Option<crate::domain::decision::DecisionGround>,
    /// Codes from `GET /legal-grounds`: the provisions applied. Required for `partially_granted`
    /// and `refused` (förvaltningslagen 32 §); quoted in the letter.
    #[serde(default)]
    pub legal_grounds: Vec<String>,
    /// Who decided; the name defaults to the signed-in user's.
    pub decision_maker: Option<crate::cases::dto::DecisionMaker>,
    /// `manifestly_unfounded`: the fee asked instead of refusing, in kronor (Art. 12(5)).
    pub fee_sek: Option<u32>,
    /// `forwarded`: the authority the request belongs to and was sent to (förvaltningslagen 4 §).
    pub forwarded_to: Option<String>,
    /// `forwarded`: the day it was sent; default today.
    pub forwarded_on: Option<NaiveDate>,
    /// `not_applicable`: `deceased` (the GDPR protects the living, recital 27) or
    /// `not_personal_data`.
    pub not_applicable_because: Option<crate::domain::decision::NotApplicableBecause>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeliveryRequest {
    pub method: DeliveryMethod,
    /// Defaults to now; may not be in the future.
    pub delivered_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WithdrawRequest {
    /// How the person withdrew the request (phone, letter, ...).
    pub note: Option<String>,
}

/// The municipality's diarienummer of the case.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DiarienummerRequest {
    /// As the municipality writes it, e.g. `KS 2026/123`.
    pub diarienummer: String,
}

/// Whether the person has sekretessmarkering or skyddad folkbokföring.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProtectedIdentityRequest {
    /// `true` marks the case (Kontaktcenter, handläggare, administrators); `false` lifts the
    /// mark (administrators only, e.g. when Skatteverket has removed it).
    pub protected_identity: bool,
}

/// Every date of a case explained, in Swedish and as data.
#[derive(Debug, Serialize, ToSchema)]
pub struct CaseDeadlineExplanation {
    pub reference: String,
    /// The ordinary and the extended deadline counted from receipt, step by step.
    pub computation: DeadlineExplanation,
    /// Set when the deadline was extended.
    pub extension: Option<ExtensionExplanation>,
    /// The legal deadline in force: the extended one if extended.
    pub deadline_in_force: NaiveDate,
    pub pause_policy: bool,
    pub identity_waits: Vec<IdentityWait>,
    /// The deadline in force plus the days waited (shown when the pause policy is on).
    pub adjustment: Option<Adjustment>,
    /// The date alerts and overdue lists go by.
    pub governing_deadline: NaiveDate,
    /// The whole explanation as Swedish sentences, in order.
    pub text_sv: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ExtensionExplanation {
    pub reason: String,
    pub decided_at: DateTime<Utc>,
    pub extended_deadline: NaiveDate,
    pub steps: Vec<Step>,
}
