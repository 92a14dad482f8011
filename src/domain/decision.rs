//! A controller's decision on a request and its text in Swedish (domain.md §6): the outcome,
//! the reasons (Art. 12(4), förvaltningslagen 32 §), Art. 19 notification of recipients, the
//! right to complain to IMY (Art. 77) and how to appeal (förvaltningslagen 44 §, dataskyddslagen
//! 7 kap. 2 §).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::case::CaseKind;

#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    ToSchema,
    diesel::AsExpression,
    diesel::FromSqlRow,
)]
#[diesel(sql_type = diesel::sql_types::Text)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Granted,
    PartiallyGranted,
    Refused,
}

/// Why a request is refused without being tried on its merits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DecisionGround {
    /// Who made the request could not be established (Art. 11(2), 12(2), 12(6)): the only
    /// decision possible before the identities are verified.
    IdentityNotEstablished,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Granted => "granted",
            Outcome::PartiallyGranted => "partially_granted",
            Outcome::Refused => "refused",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        [
            Outcome::Granted,
            Outcome::PartiallyGranted,
            Outcome::Refused,
        ]
        .into_iter()
        .find(|o| o.as_str() == code)
    }

    pub fn swedish_label(self) -> &'static str {
        match self {
            Outcome::Granted => "Bifall",
            Outcome::PartiallyGranted => "Delvis bifall",
            Outcome::Refused => "Avslag",
        }
    }

    /// The verb of the decision in running text: "Socialnämnden beviljar din begäran ...".
    pub fn verb_sv(self) -> &'static str {
        match self {
            Outcome::Granted => "beviljar",
            Outcome::PartiallyGranted => "beviljar delvis",
            Outcome::Refused => "avslår",
        }
    }

    /// Goes against the person, wholly or partly: reasons with the provisions applied
    /// (FL 32 §) and how to appeal (FL 33 §) are required. A grant in full needs neither.
    pub fn goes_against_the_person(self) -> bool {
        self != Outcome::Granted
    }

    /// Reasons are required whenever the person does not get all they asked for (Art. 12(4)).
    pub fn needs_reasons(self) -> bool {
        self != Outcome::Granted
    }
}

/// The GDPR article of each right, as cited in letters.
pub fn article(kind: CaseKind) -> &'static str {
    match kind {
        CaseKind::Access => "artikel 15",
        CaseKind::Rectification => "artikel 16",
        CaseKind::Erasure => "artikel 17",
        CaseKind::Restriction => "artikel 18",
        CaseKind::Portability => "artikel 20",
        CaseKind::Objection => "artikel 21",
        CaseKind::Information => "artiklarna 13 och 14",
        CaseKind::AutomatedDecision => "artikel 22",
    }
}

/// Granted rectification and erasure oblige the controller to tell the recipients (Art. 19).
pub fn requires_recipient_notification(kind: CaseKind, outcome: Outcome) -> bool {
    matches!(kind, CaseKind::Rectification | CaseKind::Erasure) && outcome != Outcome::Refused
}

pub const IMY_COMPLAINT_SV: &str = "Om du anser att vi behandlar dina personuppgifter i strid med \
dataskyddsförordningen har du rätt att lämna klagomål till Integritetsskyddsmyndigheten (IMY), \
Box 8114, 104 20 Stockholm, imy@imy.se, www.imy.se (artikel 77 i dataskyddsförordningen).";

/// How to appeal, naming the nämnd that decided.
pub fn appeal_text_sv(controller_name: &str, reference: &str) -> String {
    format!(
        "Du kan överklaga beslutet till förvaltningsrätten enligt 7 kap. 2 § dataskyddslagen \
         (2018:218). Skriv till förvaltningsrätten men skicka eller lämna skrivelsen till \
         {controller_name}, som har fattat beslutet. Överklagandet måste ha kommit in inom tre \
         veckor från den dag du fick del av beslutet, enligt 44 § förvaltningslagen (2017:900). \
         Ange ärendenummer {reference}, vilket beslut du överklagar, hur du vill att beslutet ska \
         ändras och varför."
    )
}

/// What the decision letter says.
#[derive(Debug, Clone)]
pub struct DecisionLetter<'a> {
    pub organisation: &'a str,
    pub controller_name: &'a str,
    pub reference: &'a str,
    pub decided_on: NaiveDate,
    pub kind: CaseKind,
    pub outcome: Outcome,
    pub reasons: Option<&'a str>,
    pub recipients_notified: &'a [String],
    pub recipients_not_notified_reason: Option<&'a str>,
}

impl DecisionLetter<'_> {
    /// The decision in one sentence: "Socialnämnden beviljar din begäran om registerutdrag
    /// (artikel 15 i dataskyddsförordningen)."
    pub fn verdict_sv(&self) -> String {
        format!(
            "{controller} {verb} {request} ({article} i dataskyddsförordningen).",
            controller = self.controller_name,
            verb = self.outcome.verb_sv(),
            request = self.kind.request_sv(),
            article = article(self.kind),
        )
    }

    pub fn text_sv(&self) -> String {
        let mut text = format!(
            "Beslut\n{controller}, {organisation}\nÄrende: {reference}\nDatum: {date}\n\n{verdict}\n",
            controller = self.controller_name,
            organisation = self.organisation,
            reference = self.reference,
            date = super::swedish::date_sv(self.decided_on),
            verdict = self.verdict_sv(),
        );
        if let Some(reasons) = self.reasons.filter(|r| !r.trim().is_empty()) {
            text.push_str(&format!("\nSkäl för beslutet: {}\n", reasons.trim()));
        }
        if requires_recipient_notification(self.kind, self.outcome) {
            let what = if self.kind == CaseKind::Erasure {
                "raderingen"
            } else {
                "rättelsen"
            };
            if !self.recipients_notified.is_empty() {
                text.push_str(&format!(
                    "\nVi har underrättat följande mottagare om {what} (artikel 19 i dataskyddsförordningen): {}.\n",
                    self.recipients_notified.join(", ")
                ));
            }
            if let Some(reason) = self
                .recipients_not_notified_reason
                .filter(|r| !r.trim().is_empty())
            {
                text.push_str(&format!(
                    "\nMottagare har inte underrättats om {what} (artikel 19 i dataskyddsförordningen): {}\n",
                    reason.trim()
                ));
            }
        }
        text.push_str(&format!("\n{IMY_COMPLAINT_SV}\n"));
        // Only a decision that goes against the person says how to appeal (FL 33 §).
        if self.outcome.goes_against_the_person() {
            text.push_str(&format!(
                "\n{}\n",
                appeal_text_sv(self.controller_name, self.reference)
            ));
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn letter(kind: CaseKind, outcome: Outcome) -> DecisionLetter<'static> {
        DecisionLetter {
            organisation: "Exempelkommunen",
            controller_name: "Socialnämnden",
            reference: "DSAR-2026-00042",
            decided_on: NaiveDate::from_ymd_opt(2026, 3, 20).unwrap(),
            kind,
            outcome,
            reasons: Some("Uppgifterna ingår i allmänna handlingar som ska bevaras enligt arkivlagen (1990:782)."),
            recipients_notified: &[],
            recipients_not_notified_reason: None,
        }
    }

    #[test]
    fn every_decision_says_how_to_complain_and_one_against_the_person_how_to_appeal() {
        for kind in &CaseKind::ALL {
            for outcome in [
                Outcome::Granted,
                Outcome::PartiallyGranted,
                Outcome::Refused,
            ] {
                let text = letter(*kind, outcome).text_sv();
                assert!(
                    text.contains("Integritetsskyddsmyndigheten (IMY)"),
                    "{text}"
                );
                assert!(text.contains("DSAR-2026-00042"));
                assert!(text.contains("Datum: 20 mars 2026"), "{text}");
                assert!(text.contains(&format!(
                    "Socialnämnden {} {} ({} i dataskyddsförordningen).",
                    outcome.verb_sv(),
                    kind.request_sv(),
                    article(*kind)
                )));
                let appeal = text.contains("förvaltningsrätten");
                assert_eq!(appeal, outcome != Outcome::Granted, "{text}");
                if appeal {
                    assert!(text.contains("inom tre veckor"));
                    assert!(text.contains("lämna skrivelsen till Socialnämnden"));
                }
                assert!(!text.contains("(2018:218))"), "no double brackets: {text}");
                assert!(!text.contains("Beslut: "), "{text}");
            }
        }
    }

    #[test]
    fn the_request_is_named_as_a_person_would_say_it() {
        let text = letter(CaseKind::AutomatedDecision, Outcome::Refused).text_sv();
        assert!(text.contains(
            "Socialnämnden avslår din begäran om att inte bli föremål för ett beslut som enbart grundas på automatiserad behandling"
        ));
        assert!(!text.contains("begäran om automatiserat beslutsfattande"));
        let text = letter(CaseKind::Rectification, Outcome::Granted).text_sv();
        assert!(text.contains(
            "Socialnämnden beviljar din begäran om att få dina uppgifter rättade (artikel 16"
        ));
    }

    #[test]
    fn a_refused_erasure_gives_its_reasons() {
        let text = letter(CaseKind::Erasure, Outcome::Refused).text_sv();
        assert!(text.contains(
            "Socialnämnden avslår din begäran om att få dina uppgifter raderade (artikel 17"
        ));
        assert!(text.contains("Skäl för beslutet: Uppgifterna ingår i allmänna handlingar"));
        assert!(!text.contains("artikel 19"), "no Art. 19 for a refusal");
    }

    #[test]
    fn a_granted_rectification_names_the_recipients_told() {
        let recipients = vec!["Försäkringskassan".to_string(), "Skatteverket".to_string()];
        let mut l = letter(CaseKind::Rectification, Outcome::Granted);
        l.reasons = None;
        l.recipients_notified = &recipients;
        let text = l.text_sv();
        assert!(text.contains("underrättat följande mottagare om rättelsen (artikel 19"));
        assert!(text.contains("Försäkringskassan, Skatteverket"));
        assert!(!text.contains("Skäl för beslutet"));
    }

    #[test]
    fn rules() {
        assert!(!Outcome::Granted.needs_reasons());
        assert!(Outcome::PartiallyGranted.needs_reasons());
        assert!(Outcome::Refused.needs_reasons());
        assert!(requires_recipient_notification(
            CaseKind::Erasure,
            Outcome::Granted
        ));
        assert!(requires_recipient_notification(
            CaseKind::Rectification,
            Outcome::PartiallyGranted
        ));
        assert!(!requires_recipient_notification(
            CaseKind::Erasure,
            Outcome::Refused
        ));
        assert!(!requires_recipient_notification(
            CaseKind::Access,
            Outcome::Granted
        ));
        for o in [
            Outcome::Granted,
            Outcome::PartiallyGranted,
            Outcome::Refused,
        ] {
            assert_eq!(Outcome::parse(o.as_str()), Some(o));
        }
    }
}
