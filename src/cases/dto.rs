//! The JSON shapes of the case endpoints (`api.md`, Cases).

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::domain::case::{
    CaseKind, CaseStatus, Channel, DeliveryMethod, IdentityMethod, IdentityStatus, PartStatus,
    RepresentativeKind,
};
use crate::domain::decision::Outcome;
use crate::domain::pause::IdentityWait;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateCaseRequest {
    pub kind: CaseKind,
    /// Required for staff; the e-tjänst's cases always get `etjanst`.
    pub channel: Option<Channel>,
    /// When the request reached the municipality; defaults to now; only staff may set it.
    pub received_at: Option<DateTime<Utc>>,
    pub subject: SubjectInput,
    pub representative: Option<RepresentativeInput>,
    pub identity: Option<IdentityAssertion>,
    #[serde(default)]
    pub controllers: Vec<String>,
    #[serde(default)]
    pub subject_categories: Vec<String>,
    pub description: Option<String>,
    /// The person has sekretessmarkering or skyddad folkbokföring: contact data is shown only to
    /// the handläggare assigned to a part and to administrators, e-mails carry only the
    /// reference, the answer is picked up or sent through Skatteverket, and every read of the
    /// case needs a reason (`Dsar-Read-Reason`).
    #[serde(default)]
    pub protected_identity: bool,
    /// The municipality's diarienummer, if the case is already registered (staff only).
    pub diarienummer: Option<String>,
    /// For an objection: it is to direct marketing, which is granted without assessment
    /// (Art. 21(2)-(3)).
    #[serde(default)]
    pub direct_marketing: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SubjectInput {
    /// Any written form: `19121212-1212`, `191212121212`, `121212-1212`, `1212121212`, `+` for 100 years and older.
    /// Give this or `other_identity`, not both.
    pub personnummer: Option<String>,
    /// For a person without a Swedish personnummer or samordningsnummer (staff only).
    pub other_identity: Option<OtherIdentity>,
    pub name: String,
    pub address: Option<Address>,
    pub email: Option<String>,
    pub phone: Option<String>,
}

/// The folkbokföringsadress, where a registered letter goes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Address {
    pub street: String,
    pub postal_code: String,
    pub city: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RepresentativeInput {
    pub kind: RepresentativeKind,
    pub personnummer: String,
    pub name: String,
    pub email: Option<String>,
    /// Where letters to the representative are posted (when they have no e-mail address).
    pub address: Option<Address>,
}

/// How the identity was established before the request was made.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IdentityAssertion {
    pub method: IdentityMethod,
    /// Assurance level of an e-legitimation: `loa2`, `loa3` or `loa4`. Below
    /// `identity.minimum_assurance` (default `loa3`) it verifies no one.
    pub assurance: Option<String>,
    /// For `id_document`: the kind of document (e.g. `pass`, `id-kort`, `körkort`), never its number.
    pub document_type: Option<String>,
    /// For `e_legitimation`: the personnummer of the person who logged in. It verifies the
    /// subject or the representative whose number it is, and no one else.
    pub personnummer: Option<String>,
    /// For `e_legitimation`: the identity provider, e.g. `bankid` or `freja`.
    pub provider: Option<String>,
    /// For `e_legitimation`: the provider's reference of the login, e.g. the BankID order reference.
    pub transaction_reference: Option<String>,
}

/// A person without a Swedish number, identified by a date of birth and an identity document.
/// Such an identity can only be verified by hand.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OtherIdentity {
    pub date_of_birth: NaiveDate,
    /// The document's number; stored upper case without spaces or hyphens, and searchable
    /// (`POST /cases/search` with `other_identifier`).
    pub identifier: String,
    /// The kind of document, e.g. `pass`, `nationellt id-kort`, `LMA-kort`.
    pub document_type: String,
    /// The issuing country, ISO 3166-1 alpha-2, e.g. `DE`.
    pub country: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Subject {
    /// Normalised 12-digit form `YYYYMMDDNNNC`; null for a person identified by `other_identity`.
    pub personnummer: Option<String>,
    pub samordningsnummer: bool,
    pub other_identity: Option<OtherIdentity>,
    pub name: String,
    pub address: Option<Address>,
    pub email: Option<String>,
    pub phone: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Representative {
    pub kind: RepresentativeKind,
    pub personnummer: String,
    pub name: String,
    pub email: Option<String>,
    /// Where letters to the representative are posted.
    #[serde(default)]
    pub address: Option<Address>,
    /// The representative's identity is verified separately from the subject's.
    pub identity_status: IdentityStatus,
    #[serde(default)]
    pub identity_method: Option<IdentityMethod>,
    #[serde(default)]
    pub verified_at: Option<DateTime<Utc>>,
    /// A guardian request where the child's age cannot be read from a samordningsnummer.
    pub child_age_unknown: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Identity {
    pub status: IdentityStatus,
    pub method: Option<IdentityMethod>,
    /// Assurance level of an e-legitimation, or the kind of ID document checked.
    pub assurance: Option<String>,
    pub verified_at: Option<DateTime<Utc>>,
    pub verified_by: Option<String>,
    /// Periods spent waiting for information to establish identity (Art. 12(6)).
    pub waits: Vec<IdentityWait>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Part {
    pub controller: String,
    pub status: PartStatus,
    /// Empty on a restricted part.
    pub handler: Option<String>,
    /// The handläggare's name, as letters show it.
    pub handler_name: Option<String>,
    /// Set when this controller has decided; never on a restricted part.
    pub decision: Option<Decision>,
    /// When this controller decided, also on a restricted part.
    pub decided_at: Option<DateTime<Utc>>,
    /// Another nämnd's part, secret towards the reader (OSL 8 kap. 1 §): only its controller,
    /// status and decided date are shown.
    pub restricted: bool,
}

/// A controller's decision on its part of the request.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Decision {
    pub outcome: Outcome,
    pub reasons: Option<String>,
    /// Recipients told of a rectification or erasure (Art. 19).
    pub recipients_notified: Vec<String>,
    /// Why recipients were not told, where that was impossible or disproportionate.
    pub recipients_not_notified_reason: Option<String>,
    /// The decision as the person reads it, with how to complain to IMY and how to appeal.
    pub text_sv: String,
    pub decided_at: DateTime<Utc>,
    pub decided_by: String,
    /// The provisions the decision applies (förvaltningslagen 32 §).
    pub legal_grounds: Vec<crate::domain::legal_grounds::LegalGround>,
    /// Who decided, with title and the delegation (förvaltningslagen 31 §).
    pub decision_maker: DecisionMaker,
    /// `manifestly_unfounded`: the fee asked, in kronor.
    pub fee_sek: Option<i32>,
    /// `forwarded`: to whom and when.
    pub forwarded_to: Option<String>,
    pub forwarded_on: Option<NaiveDate>,
    /// `not_applicable`: why the GDPR does not apply.
    pub not_applicable_because: Option<crate::domain::decision::NotApplicableBecause>,
}

/// Who made a decision, and on what delegation.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionMaker {
    /// Defaults to the name of the signed-in user.
    pub name: Option<String>,
    /// e.g. `Handläggare`, `Enhetschef`.
    pub title: Option<String>,
    /// The point of the delegationsordning, e.g. `Delegationsordning SN 2026, punkt 1.4`.
    pub delegation: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Extension {
    pub reason: String,
    pub decided_at: DateTime<Utc>,
    pub decided_by: String,
    /// When the extension notice reached the person's mail server; null until sent (or when
    /// there is no e-mail address and the notice goes by letter).
    pub notice_sent_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Delivery {
    pub method: DeliveryMethod,
    pub delivered_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CaseResponse {
    pub id: String,
    /// Human case number, unique and gap-free per year, e.g. `DSAR-2026-00042`.
    pub reference: String,
    pub kind: CaseKind,
    pub channel: Channel,
    pub status: CaseStatus,
    pub received_at: DateTime<Utc>,
    /// The day of receipt in the Swedish calendar (Europe/Stockholm).
    pub received_date: NaiveDate,
    /// One month from receipt (Regulation 1182/71), moved to a working day.
    pub deadline: NaiveDate,
    /// Set when the deadline has been extended: three months from receipt.
    pub extended_deadline: Option<NaiveDate>,
    /// The deadline plus the days spent waiting for identity information, when that policy is on.
    pub adjusted_deadline: Option<NaiveDate>,
    /// Calendar days from today to the deadline in force; negative when overdue; null when not open.
    pub days_left: Option<i64>,
    pub overdue: bool,
    pub identity: Identity,
    pub subject: Subject,
    pub representative: Option<Representative>,
    pub parts: Vec<Part>,
    pub subject_categories: Vec<String>,
    pub description: Option<String>,
    /// Sekretessmarkering or skyddad folkbokföring: every read needs `Dsar-Read-Reason`.
    pub protected_identity: bool,
    /// The municipality's own registration number (OSL 5 kap. 1 §), printed on every letter.
    pub diarienummer: Option<String>,
    /// An objection to direct marketing: only `granted` is possible (Art. 21(3)).
    pub direct_marketing: bool,
    /// The subject's address and contact data (and the representative's e-mail) were left out:
    /// only the handläggare assigned to a part and administrators see them on a protected case.
    pub contact_restricted: bool,
    pub extension: Option<Extension>,
    /// When every part was decided.
    pub decided_at: Option<DateTime<Utc>>,
    pub delivery: Option<Delivery>,
    pub closed_at: Option<DateTime<Utc>>,
    pub withdrawn_at: Option<DateTime<Utc>>,
    /// Increases with every change; send it back as `If-Match` to act only on what you saw.
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListCasesQuery {
    /// One status, or several separated by commas.
    pub status: Option<String>,
    pub kind: Option<CaseKind>,
    /// Cases with a part for this controller.
    pub controller: Option<String>,
    /// Only open cases past their deadline.
    pub overdue: Option<bool>,
    /// Only open cases whose deadline in force is before this date.
    pub due_before: Option<NaiveDate>,
    /// Only cases whose deadline was (`true`) or was not (`false`) extended.
    pub extended: Option<bool>,
    /// `deadline` (earliest first); default newest first.
    #[param(value_type = Option<String>, pattern = "^(deadline|newest)$")]
    pub sort: Option<String>,
    /// 1-500, default 50.
    pub limit: Option<i64>,
    pub cursor: Option<String>,
    /// `csv`: every matching case as a semicolon-separated file for Excel (no personal data).
    #[param(value_type = Option<String>, pattern = "^csv$")]
    pub format: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SearchCasesRequest {
    /// A personnummer or samordningsnummer in any written form.
    pub personnummer: Option<String>,
    /// Or the number of another identity document (see `OtherIdentity`).
    pub other_identifier: Option<String>,
}

/// The citizen the e-tjänst has logged in (their personnummer from the e-legitimation), and
/// optionally the one case to show.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CitizenCasesRequest {
    /// The logged-in citizen's personnummer or samordningsnummer, in any written form.
    pub personnummer: String,
    /// Only this case (its reference, e.g. `DSAR-2026-00042`), if it is the citizen's.
    pub reference: Option<String>,
}

/// Where a request stands, as the e-tjänst shows it to the person who made it: no personal
/// data, no findings, no reasons.
#[derive(Debug, Serialize, ToSchema)]
pub struct CaseStatusView {
    pub reference: String,
    pub kind: CaseKind,
    pub status: CaseStatus,
    pub received_date: NaiveDate,
    pub deadline: NaiveDate,
    pub extended_deadline: Option<NaiveDate>,
    pub extended: bool,
    /// We have asked the person (or their representative) for more to establish who they are.
    pub awaiting_identity_information: bool,
    pub parts: Vec<PartStatusView>,
}

/// One nämnd's part of a request in the status view.
#[derive(Debug, Serialize, ToSchema)]
pub struct PartStatusView {
    pub controller: String,
    pub status: PartStatus,
    /// The day (local calendar) this nämnd decided.
    pub decided_date: Option<NaiveDate>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CaseStatusPage {
    pub items: Vec<CaseStatusView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CasePage {
    pub items: Vec<CaseResponse>,
    pub next_cursor: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct JournalEntry {
    pub at: DateTime<Utc>,
    pub actor: String,
    pub roles: String,
    pub event: String,
    pub data: serde_json::Value,
}
