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

coded_enum! {
    /// How the day the person received a letter is known.
    #[derive(serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
    #[serde(rename_all = "snake_case")]
    pub enum ReceiptEvidence {
        /// A mottagningsbevis (delivery receipt) came back signed.
        AcknowledgementOfReceipt => "acknowledgement_of_receipt",
        /// Postnord's tracking shows the rekommenderat brev handed over.
        RegisteredLetterDelivered => "registered_letter_delivered",
        /// Handed over at the desk.
        HandedOver => "handed_over",
        /// The person (or their representative) said when it arrived.
        ConfirmedByPerson => "confirmed_by_person",
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

/// A postal address as (street, postal code, city).
pub type AddressLines<'a> = (&'a str, &'a str, &'a str);

/// Who a letter to the person is addressed to: the representative by name at their address,
/// or the person at the folkbokföringsadress; when the person has protected identity the letter
/// goes through Skatteverket, never to an address (a guardian of a protected child shares the
/// protected address).
pub fn recipient_lines(
    name: &str,
    address: Option<AddressLines<'_>>,
    representative: Option<(&str, Option<AddressLines<'_>>)>,
    protected_identity: bool,
) -> Vec<String> {
    let (name, address) = representative.unwrap_or((name, address));
    let mut lines = vec![name.to_owned()];
    if protected_identity {
        lines.push("Genom Skatteverkets förmedlingsuppdrag".to_owned());
    } else if let Some((street, postal_code, city)) = address {
        lines.push(street.to_owned());
        lines.push(format!("{postal_code} {city}"));
    }
    lines
}
