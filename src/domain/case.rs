//! The vocabulary of a case: kinds of request, channels, states, identity and representatives.
//! Stored as their `snake_case` names (`db/stored.rs`); Swedish labels are for letters and the UI.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::code::coded_enum;

/// Declares a closed set of values with its stable `snake_case` code and Swedish label.
macro_rules! named_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $code:literal, $label:literal;)+ }) => {
        coded_enum! {
            $(#[$meta])*
            #[derive(Serialize, Deserialize, ToSchema)]
            #[serde(rename_all = "snake_case")]
            pub enum $name { $($variant => $code,)+ }
        }

        impl $name {
            pub fn swedish_label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }
        }
    };
}

named_enum! {
    /// The right the person exercises (GDPR Art. 15-22).
    CaseKind {
        Access => "access", "registerutdrag";
        Rectification => "rectification", "rättelse";
        Erasure => "erasure", "radering";
        Restriction => "restriction", "begränsning";
        Objection => "objection", "invändning";
        Portability => "portability", "dataportabilitet";
        Information => "information", "information";
        AutomatedDecision => "automated_decision", "automatiserat beslutsfattande";
    }
}

named_enum! {
    /// What a personuppgiftsansvarig is: a nämnd, kommunstyrelsen and a kommunalförbund are
    /// myndigheter whose decisions can be appealed to förvaltningsrätten (dataskyddslagen
    /// 7 kap. 2 §); a kommunalt bolag is not, and its decisions cannot.
    ControllerKind {
        Namnd => "namnd", "nämnd";
        Kommunstyrelsen => "kommunstyrelsen", "kommunstyrelsen";
        KommunaltBolag => "kommunalt_bolag", "kommunalt bolag";
        Kommunalforbund => "kommunalforbund", "kommunalförbund";
    }
}

impl ControllerKind {
    /// A myndighet, whose decisions under Art. 12(5) and 15-21 can be appealed.
    pub fn is_myndighet(self) -> bool {
        self != ControllerKind::KommunaltBolag
    }
}

impl CaseKind {
    /// The request as a person would say it, to follow a verb: "Socialnämnden beviljar din
    /// begäran om att få dina uppgifter rättade" (domain.md §9).
    pub fn request_sv(self) -> &'static str {
        match self {
            CaseKind::Access => "din begäran om registerutdrag",
            CaseKind::Rectification => "din begäran om att få dina uppgifter rättade",
            CaseKind::Erasure => "din begäran om att få dina uppgifter raderade",
            CaseKind::Restriction => "din begäran om att vi ska begränsa behandlingen av dina uppgifter",
            CaseKind::Objection => "din invändning mot att vi behandlar dina uppgifter",
            CaseKind::Portability => "din begäran om att få ut dina uppgifter i ett maskinläsbart format",
            CaseKind::Information => "din begäran om information om hur vi behandlar dina uppgifter",
            CaseKind::AutomatedDecision => {
                "din begäran om att inte bli föremål för ett beslut som enbart grundas på automatiserad behandling"
            }
        }
    }
}

named_enum! {
    /// How the request reached the municipality.
    Channel {
        Etjanst => "etjanst", "e-tjänst";
        Phone => "phone", "telefon";
        Visit => "visit", "besök";
        Letter => "letter", "brev";
        Email => "email", "e-post";
    }
}

named_enum! {
    CaseStatus {
        Received => "received", "mottagen";
        InProgress => "in_progress", "under handläggning";
        Decided => "decided", "beslutad";
        Closed => "closed", "avslutad";
        Withdrawn => "withdrawn", "återkallad";
    }
}

impl CaseStatus {
    /// Open cases count towards the deadline and can be overdue.
    pub fn is_open(self) -> bool {
        matches!(self, CaseStatus::Received | CaseStatus::InProgress)
    }

    pub const OPEN: [CaseStatus; 2] = [CaseStatus::Received, CaseStatus::InProgress];
}

named_enum! {
    IdentityStatus {
        Unverified => "unverified", "ej verifierad";
        AwaitingInformation => "awaiting_information", "inväntar komplettering";
        Verified => "verified", "verifierad";
        Failed => "failed", "kunde inte verifieras";
    }
}

named_enum! {
    /// How an identity was established (domain.md §3).
    IdentityMethod {
        ELegitimation => "e_legitimation", "e-legitimation";
        IdDocument => "id_document", "id-handling";
        SignedForm => "signed_form", "underskriven blankett";
        RegisteredLetter => "registered_letter", "rekommenderat brev";
    }
}

named_enum! {
    RepresentativeKind {
        Guardian => "guardian", "vårdnadshavare";
        PowerOfAttorney => "power_of_attorney", "ombud med fullmakt";
        GodMan => "god_man", "god man";
        Forvaltare => "forvaltare", "förvaltare";
    }
}

named_enum! {
    /// How the answer reached the person (domain.md §5).
    DeliveryMethod {
        RegisteredLetter => "registered_letter", "rekommenderat brev";
        Pickup => "pickup", "hämtat vid Kontaktcenter";
        DigitalMailbox => "digital_mailbox", "digital brevlåda";
        SkatteverketForwarding => "skatteverket_forwarding", "brev genom Skatteverkets förmedlingsuppdrag";
    }
}

named_enum! {
    /// A controller's part: `withdrawn` when the person withdrew before it was decided.
    PartStatus {
        Open => "open", "öppen";
        Decided => "decided", "beslutad";
        Withdrawn => "withdrawn", "återkallad";
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_match_serde() {
        for kind in &CaseKind::ALL {
            assert_eq!(CaseKind::parse(kind.as_str()), Some(*kind));
            assert_eq!(serde_json::to_value(kind).unwrap(), kind.as_str());
        }
        for channel in &Channel::ALL {
            assert_eq!(Channel::parse(channel.as_str()), Some(*channel));
            assert_eq!(serde_json::to_value(channel).unwrap(), channel.as_str());
        }
        for status in &CaseStatus::ALL {
            assert_eq!(CaseStatus::parse(status.as_str()), Some(*status));
            assert_eq!(serde_json::to_value(status).unwrap(), status.as_str());
        }
        for m in IdentityMethod::ALL {
            assert_eq!(serde_json::to_value(m).unwrap(), m.as_str());
        }
        for k in RepresentativeKind::ALL {
            assert_eq!(serde_json::to_value(k).unwrap(), k.as_str());
        }
        assert_eq!(CaseKind::parse("delete"), None);
    }
}
