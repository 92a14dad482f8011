//! A controller's decision on a request and its text in Swedish (domain.md §6): the outcome,
//! the reasons (Art. 12(4), förvaltningslagen 32 §), Art. 19 notification of recipients, the
//! right to complain to IMY (Art. 77) and how to appeal (förvaltningslagen 44 §, dataskyddslagen
//! 7 kap. 2 §).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::case::{CaseKind, ControllerKind};
use super::legal_grounds::LegalGround;

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
    /// Manifestly unfounded or excessive (Art. 12(5)): refused, or answered against a fee.
    ManifestlyUnfounded,
    /// Sent on to the authority the request belongs to (förvaltningslagen 4 §).
    Forwarded,
    /// Not tried under the GDPR: the person is deceased, or the data is not personal data.
    NotApplicable,
}

/// Why the GDPR does not apply to a request (`Outcome::NotApplicable`).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Serialize,
    Deserialize,
    ToSchema,
    diesel::AsExpression,
    diesel::FromSqlRow,
)]
#[diesel(sql_type = diesel::sql_types::Text)]
#[serde(rename_all = "snake_case")]
pub enum NotApplicableBecause {
    /// The GDPR protects the living only (recital 27); a dödsbo asks for allmänna handlingar.
    Deceased,
    /// What the request concerns is not personal data (Art. 4(1)).
    NotPersonalData,
}

impl NotApplicableBecause {
    pub fn as_str(self) -> &'static str {
        match self {
            NotApplicableBecause::Deceased => "deceased",
            NotApplicableBecause::NotPersonalData => "not_personal_data",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        [
            NotApplicableBecause::Deceased,
            NotApplicableBecause::NotPersonalData,
        ]
        .into_iter()
        .find(|o| o.as_str() == code)
    }

    /// The provision the letter cites when nothing else is named.
    pub fn legal_ground(self) -> &'static str {
        match self {
            NotApplicableBecause::Deceased => "gdpr_recital_27",
            NotApplicableBecause::NotPersonalData => "gdpr_4_1",
        }
    }
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
            Outcome::ManifestlyUnfounded => "manifestly_unfounded",
            Outcome::Forwarded => "forwarded",
            Outcome::NotApplicable => "not_applicable",
        }
    }

    pub const ALL: [Outcome; 6] = [
        Outcome::Granted,
        Outcome::PartiallyGranted,
        Outcome::Refused,
        Outcome::ManifestlyUnfounded,
        Outcome::Forwarded,
        Outcome::NotApplicable,
    ];

    pub fn parse(code: &str) -> Option<Self> {
        Outcome::ALL.into_iter().find(|o| o.as_str() == code)
    }

    /// Refusals kept under the gallringsbeslut ("vid avslag bevaras", domain.md §7).
    pub const REFUSALS: [Outcome; 4] = [
        Outcome::Refused,
        Outcome::PartiallyGranted,
        Outcome::ManifestlyUnfounded,
        Outcome::NotApplicable,
    ];

    pub fn swedish_label(self) -> &'static str {
        match self {
            Outcome::Granted => "Bifall",
            Outcome::PartiallyGranted => "Delvis bifall",
            Outcome::Refused => "Avslag",
            Outcome::ManifestlyUnfounded => "Uppenbart ogrundad eller orimlig",
            Outcome::Forwarded => "Överlämnad",
            Outcome::NotApplicable => "Prövas inte",
        }
    }

    /// The verb of the decision in running text: "Socialnämnden beviljar din begäran ...".
    pub fn verb_sv(self) -> &'static str {
        match self {
            Outcome::Granted => "beviljar",
            Outcome::PartiallyGranted => "beviljar delvis",
            Outcome::Refused | Outcome::ManifestlyUnfounded => "avslår",
            Outcome::Forwarded => "har skickat vidare",
            Outcome::NotApplicable => "prövar inte",
        }
    }

    /// Goes against the person, wholly or partly: reasons with the provisions applied
    /// (FL 32 §) and how to appeal (FL 33 §) are required. A grant in full needs neither, nor
    /// does a request sent on to the authority it belongs to.
    pub fn goes_against_the_person(self) -> bool {
        !matches!(self, Outcome::Granted | Outcome::Forwarded)
    }

    /// Reasons are required whenever the person does not get all they asked for (Art. 12(4)).
    /// A request the GDPR does not apply to is explained by why (`NotApplicableBecause`).
    pub fn needs_reasons(self) -> bool {
        self.goes_against_the_person() && self != Outcome::NotApplicable
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

/// Granted rectification, erasure and restriction oblige the controller to tell the recipients
/// (Art. 19).
pub fn requires_recipient_notification(kind: CaseKind, outcome: Outcome) -> bool {
    matches!(
        kind,
        CaseKind::Rectification | CaseKind::Erasure | CaseKind::Restriction
    ) && matches!(outcome, Outcome::Granted | Outcome::PartiallyGranted)
}

pub const IMY_COMPLAINT_SV: &str = "Om du anser att vi behandlar dina personuppgifter i strid med \
dataskyddsförordningen har du rätt att lämna klagomål till Integritetsskyddsmyndigheten (IMY), \
Box 8114, 104 20 Stockholm, imy@imy.se, www.imy.se (artikel 77 i dataskyddsförordningen).";

/// A controller that decided, as the appeal text names it.
#[derive(Debug, Clone, Copy)]
pub struct Decider<'a> {
    pub name: &'a str,
    pub kind: ControllerKind,
    /// Its postal address as lines, where an appeal is sent.
    pub postal_address: Option<&'a str>,
}

/// Dataskyddslagen 7 kap. 2 § covers decisions under Art. 12(5) and 15-21: not those on
/// information (Art. 13-14) or automated decision-making (Art. 22).
pub fn appealable_kind(kind: CaseKind) -> bool {
    !matches!(kind, CaseKind::Information | CaseKind::AutomatedDecision)
}

/// What a decision against the person says about appeal (FL 33 §, domain.md §6): a
/// myndighet's decision is appealed to `court`, lodged with the nämnd that decided, within three
/// weeks; a kommunalt bolag's cannot be appealed; nor can a decision outside 7 kap. 2 §.
pub fn appeal_sv(deciders: &[Decider<'_>], kind: CaseKind, court: &str, reference: &str) -> String {
    let (myndigheter, bolag): (Vec<&Decider>, Vec<&Decider>) =
        deciders.iter().partition(|d| d.kind.is_myndighet());
    let mut paragraphs = Vec::new();
    if !myndigheter.is_empty() && appealable_kind(kind) {
        let names = myndigheter
            .iter()
            .map(|d| d.name)
            .collect::<Vec<_>>()
            .join(" respektive ");
        let address = match myndigheter.as_slice() {
            [one] => one
                .postal_address
                .map(|a| format!(" ({})", a.lines().collect::<Vec<_>>().join(", ")))
                .unwrap_or_default(),
            _ => String::new(),
        };
        paragraphs.push(format!(
            "Du kan överklaga beslutet till {court} enligt 7 kap. 2 § dataskyddslagen (2018:218). \
             Skicka eller lämna överklagandet till {names}{address}, inte direkt till domstolen. \
             Överklagandet måste ha kommit in till {names} inom tre veckor från den dag du fick del \
             av beslutet, enligt 44 § förvaltningslagen (2017:900). Skriv vilket beslut du \
             överklagar (ärendenummer {reference}), hur du vill att beslutet ska ändras och varför."
        ));
    } else if !myndigheter.is_empty() {
        paragraphs.push(format!(
            "Beslutet kan inte överklagas till domstol, eftersom 7 kap. 2 § dataskyddslagen \
             (2018:218) inte gäller beslut enligt {} i dataskyddsförordningen. Du kan lämna klagomål \
             till Integritetsskyddsmyndigheten enligt ovan.",
            article(kind)
        ));
    }
    for company in bolag {
        paragraphs.push(format!(
            "{} är ett kommunalt bolag och inte en myndighet. Bolagets beslut kan därför inte \
             överklagas till domstol, men du kan lämna klagomål till Integritetsskyddsmyndigheten \
             enligt ovan.",
            company.name
        ));
    }
    paragraphs.join("\n\n")
}

/// Who decided, as the letter says it.
#[derive(Debug, Clone, Copy)]
pub struct DecisionMakerText<'a> {
    pub name: &'a str,
    pub title: Option<&'a str>,
    pub delegation: Option<&'a str>,
}

impl DecisionMakerText<'_> {
    /// "Beslutet har fattats av Karin Berg, handläggare, med stöd av Delegationsordning SN 2026,
    /// punkt 1.4."
    pub fn sentence_sv(&self) -> String {
        let mut text = format!("Beslutet har fattats av {}", self.name);
        if let Some(title) = self.title {
            text.push_str(&format!(", {title}"));
        }
        if let Some(delegation) = self.delegation {
            text.push_str(&format!(", med stöd av {delegation}"));
        }
        text.push('.');
        text
    }
}

/// What an outcome beyond granted and refused carries.
#[derive(Debug, Clone, Copy, Default)]
pub struct OutcomeDetails<'a> {
    /// The fee for a manifestly unfounded or excessive request, in kronor.
    pub fee_sek: Option<u32>,
    pub forwarded_to: Option<&'a str>,
    pub forwarded_on: Option<NaiveDate>,
    pub not_applicable_because: Option<NotApplicableBecause>,
}

/// What the decision letter says.
#[derive(Debug, Clone)]
pub struct DecisionLetter<'a> {
    pub organisation: &'a str,
    pub decider: Decider<'a>,
    /// The förvaltningsrätt an appeal goes to (`organisation.administrative_court`).
    pub court: &'a str,
    pub reference: &'a str,
    /// The municipality's diarienummer, when the case has one.
    pub diarienummer: Option<&'a str>,
    pub decided_on: NaiveDate,
    pub kind: CaseKind,
    pub outcome: Outcome,
    pub details: OutcomeDetails<'a>,
    pub reasons: Option<&'a str>,
    /// The provisions applied, quoted after the reasons (förvaltningslagen 32 §).
    pub legal_grounds: &'a [&'a LegalGround],
    pub decision_maker: DecisionMakerText<'a>,
    pub recipients_notified: &'a [String],
    pub recipients_not_notified_reason: Option<&'a str>,
}

impl DecisionLetter<'_> {
    /// The decision in one sentence: "Socialnämnden beviljar din begäran om registerutdrag
    /// (artikel 15 i dataskyddsförordningen)."
    pub fn verdict_sv(&self) -> String {
        let controller = self.decider.name;
        let request = format!(
            "{} ({} i dataskyddsförordningen)",
            self.kind.request_sv(),
            article(self.kind)
        );
        let details = &self.details;
        match self.outcome {
            Outcome::ManifestlyUnfounded => match details.fee_sek {
                Some(fee) => format!(
                    "{controller} besvarar {request} först när en avgift på {fee} kronor har \
                     betalats, eftersom begäran är uppenbart ogrundad eller orimlig (artikel 12.5 i \
                     dataskyddsförordningen)."
                ),
                None => format!(
                    "{controller} avslår {request}, eftersom begäran är uppenbart ogrundad eller \
                     orimlig (artikel 12.5 i dataskyddsförordningen)."
                ),
            },
            Outcome::Forwarded => {
                let to = details.forwarded_to.unwrap_or("den myndighet som behandlar uppgifterna");
                let on = details
                    .forwarded_on
                    .map(|d| format!(" den {}", super::swedish::date_sv(d)))
                    .unwrap_or_default();
                format!(
                    "{controller} har skickat {request} vidare till {to}{on}, eftersom det är {to} \
                     som behandlar uppgifterna (4 § förvaltningslagen (2017:900)). {to} besvarar \
                     din begäran."
                )
            }
            Outcome::NotApplicable => match details.not_applicable_because {
                Some(NotApplicableBecause::NotPersonalData) => format!(
                    "{controller} prövar inte {request}, eftersom det som begäran gäller inte är \
                     personuppgifter (artikel 4.1 i dataskyddsförordningen)."
                ),
                _ => format!(
                    "{controller} prövar inte {request}, eftersom dataskyddsförordningen bara \
                     gäller personuppgifter om levande personer (skäl 27 i \
                     dataskyddsförordningen). Den som vill ta del av handlingar om en avliden \
                     person kan begära att få ta del av allmänna handlingar enligt 2 kap. \
                     tryckfrihetsförordningen."
                ),
            },
            outcome => format!("{controller} {} {request}.", outcome.verb_sv()),
        }
    }

    pub fn text_sv(&self) -> String {
        let diarienummer = self
            .diarienummer
            .map(|d| format!("Diarienummer: {d}\n"))
            .unwrap_or_default();
        let mut text = format!(
            "Beslut\n{controller}, {organisation}\nÄrende: {reference}\n{diarienummer}Datum: {date}\n\n{verdict}\n",
            controller = self.decider.name,
            organisation = self.organisation,
            reference = self.reference,
            date = super::swedish::date_sv(self.decided_on),
            verdict = self.verdict_sv(),
        );
        if let Some(reasons) = self.reasons.filter(|r| !r.trim().is_empty()) {
            text.push_str(&format!("\nSkäl för beslutet: {}\n", reasons.trim()));
        }
        if !self.legal_grounds.is_empty() {
            text.push_str(&format!(
                "\nBeslutet grundas på {}.\n",
                super::legal_grounds::citations_sv(self.legal_grounds)
            ));
        }
        text.push_str(&format!("\n{}\n", self.decision_maker.sentence_sv()));
        if requires_recipient_notification(self.kind, self.outcome) {
            let what = match self.kind {
                CaseKind::Erasure => "raderingen",
                CaseKind::Restriction => "begränsningen",
                _ => "rättelsen",
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
                appeal_sv(&[self.decider], self.kind, self.court, self.reference)
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
            decider: Decider {
                name: "Socialnämnden",
                kind: ControllerKind::Namnd,
                postal_address: Some("Box 100\n151 89 Södertälje"),
            },
            court: "Förvaltningsrätten i Stockholm",
            reference: "DSAR-2026-00042",
            diarienummer: None,
            decided_on: NaiveDate::from_ymd_opt(2026, 3, 20).unwrap(),
            kind,
            outcome,
            details: OutcomeDetails::default(),
            reasons: Some("Uppgifterna ingår i allmänna handlingar som ska bevaras enligt arkivlagen (1990:782)."),
            legal_grounds: &[],
            decision_maker: DecisionMakerText {
                name: "Karin Berg",
                title: Some("handläggare"),
                delegation: Some("Delegationsordning SN 2026, punkt 1.4"),
            },
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
                let appeal =
                    text.contains("Du kan överklaga beslutet till Förvaltningsrätten i Stockholm");
                assert_eq!(
                    appeal,
                    outcome != Outcome::Granted && appealable_kind(*kind),
                    "{text}"
                );
                assert_eq!(
                    text.contains("kan inte överklagas"),
                    outcome != Outcome::Granted && !appealable_kind(*kind),
                    "{text}"
                );
                if appeal {
                    assert!(text.contains("inom tre veckor"));
                    assert!(text.contains(
                        "Skicka eller lämna överklagandet till Socialnämnden (Box 100, 151 89 Södertälje), inte direkt till domstolen."
                    ));
                }
                assert!(!text.contains("(2018:218))"), "no double brackets: {text}");
                assert!(!text.contains("Beslut: "), "{text}");
            }
        }
    }

    #[test]
    fn a_decision_quotes_the_provisions_applied_and_says_who_decided() {
        let grounds = [
            super::super::legal_grounds::find("gdpr_17_3_b").unwrap(),
            super::super::legal_grounds::find("arkivlagen_10").unwrap(),
        ];
        let mut l = letter(CaseKind::Erasure, Outcome::Refused);
        l.legal_grounds = &grounds;
        let text = l.text_sv();
        assert!(text.contains(
            "Beslutet grundas på artikel 17.3 b i dataskyddsförordningen och 10 § arkivlagen (1990:782)."
        ), "{text}");
        assert!(text.contains(
            "Beslutet har fattats av Karin Berg, handläggare, med stöd av Delegationsordning SN 2026, punkt 1.4."
        ), "{text}");
        l.decision_maker = DecisionMakerText {
            name: "Karin Berg",
            title: None,
            delegation: None,
        };
        assert!(l
            .text_sv()
            .contains("Beslutet har fattats av Karin Berg.\n"));
    }

    #[test]
    fn the_outcomes_beyond_granted_and_refused_say_what_happened() {
        let mut l = letter(CaseKind::Access, Outcome::ManifestlyUnfounded);
        let text = l.text_sv();
        assert!(text.contains("Socialnämnden avslår din begäran om registerutdrag (artikel 15 i dataskyddsförordningen), eftersom begäran är uppenbart ogrundad eller orimlig (artikel 12.5"), "{text}");
        assert!(
            text.contains("Du kan överklaga beslutet"),
            "Art. 12(5) decisions are appealable: {text}"
        );
        l.details.fee_sek = Some(450);
        assert!(l.text_sv().contains("Socialnämnden besvarar din begäran om registerutdrag (artikel 15 i dataskyddsförordningen) först när en avgift på 450 kronor har betalats"));

        let mut l = letter(CaseKind::Rectification, Outcome::Forwarded);
        l.details.forwarded_to = Some("Region Stockholm");
        l.details.forwarded_on = NaiveDate::from_ymd_opt(2026, 3, 12);
        let text = l.text_sv();
        assert!(text.contains("Socialnämnden har skickat din begäran om att få dina uppgifter rättade (artikel 16 i dataskyddsförordningen) vidare till Region Stockholm den 12 mars 2026, eftersom det är Region Stockholm som behandlar uppgifterna"), "{text}");
        assert!(
            !text.contains("överklaga"),
            "nothing was decided against the person: {text}"
        );

        let mut l = letter(CaseKind::Access, Outcome::NotApplicable);
        l.details.not_applicable_because = Some(NotApplicableBecause::Deceased);
        let text = l.text_sv();
        assert!(text.contains("Socialnämnden prövar inte din begäran om registerutdrag (artikel 15 i dataskyddsförordningen), eftersom dataskyddsförordningen bara gäller personuppgifter om levande personer (skäl 27"), "{text}");
        assert!(text.contains("2 kap. tryckfrihetsförordningen"));
        l.details.not_applicable_because = Some(NotApplicableBecause::NotPersonalData);
        assert!(l.text_sv().contains("inte är personuppgifter (artikel 4.1"));
        for o in Outcome::ALL {
            assert_eq!(Outcome::parse(o.as_str()), Some(o));
        }
        assert!(!Outcome::Forwarded.goes_against_the_person());
        assert!(!Outcome::NotApplicable.needs_reasons());
        assert!(Outcome::ManifestlyUnfounded.needs_reasons());
    }

    /// Every decision letter as it reads, so that a change of wording shows in review.
    #[test]
    fn every_decision_letter_reads_as_in_its_snapshot() {
        let grounds = [
            super::super::legal_grounds::find("osl_26_1").unwrap(),
            super::super::legal_grounds::find("dsl_5_1").unwrap(),
        ];
        let cases: [(&str, CaseKind, Outcome, OutcomeDetails<'static>); 9] = [
            (
                "granted_access",
                CaseKind::Access,
                Outcome::Granted,
                OutcomeDetails::default(),
            ),
            (
                "partially_granted_access",
                CaseKind::Access,
                Outcome::PartiallyGranted,
                OutcomeDetails::default(),
            ),
            (
                "refused_erasure",
                CaseKind::Erasure,
                Outcome::Refused,
                OutcomeDetails::default(),
            ),
            (
                "refused_information",
                CaseKind::Information,
                Outcome::Refused,
                OutcomeDetails::default(),
            ),
            (
                "manifestly_unfounded",
                CaseKind::Access,
                Outcome::ManifestlyUnfounded,
                OutcomeDetails::default(),
            ),
            (
                "manifestly_unfounded_fee",
                CaseKind::Access,
                Outcome::ManifestlyUnfounded,
                OutcomeDetails {
                    fee_sek: Some(450),
                    ..Default::default()
                },
            ),
            (
                "forwarded",
                CaseKind::Rectification,
                Outcome::Forwarded,
                OutcomeDetails {
                    forwarded_to: Some("Region Stockholm"),
                    forwarded_on: NaiveDate::from_ymd_opt(2026, 3, 20),
                    ..Default::default()
                },
            ),
            (
                "not_applicable_deceased",
                CaseKind::Access,
                Outcome::NotApplicable,
                OutcomeDetails {
                    not_applicable_because: Some(NotApplicableBecause::Deceased),
                    ..Default::default()
                },
            ),
            (
                "not_applicable_not_personal_data",
                CaseKind::Objection,
                Outcome::NotApplicable,
                OutcomeDetails {
                    not_applicable_because: Some(NotApplicableBecause::NotPersonalData),
                    ..Default::default()
                },
            ),
        ];
        for (name, kind, outcome, details) in cases {
            let mut l = letter(kind, outcome);
            l.details = details;
            l.diarienummer = Some("SN 2026/43");
            if outcome.goes_against_the_person() {
                l.legal_grounds = &grounds;
            } else {
                l.reasons = None;
            }
            insta::assert_snapshot!(format!("decision_{name}"), l.text_sv());
        }
        let mut company = letter(CaseKind::Erasure, Outcome::Refused);
        company.decider = Decider {
            name: "Telge Bostäder AB",
            kind: ControllerKind::KommunaltBolag,
            postal_address: None,
        };
        company.legal_grounds = &grounds;
        insta::assert_snapshot!("decision_refused_by_a_kommunalt_bolag", company.text_sv());
    }

    #[test]
    fn a_kommunalt_bolag_refuses_with_the_right_to_complain_to_imy_only() {
        let mut l = letter(CaseKind::Erasure, Outcome::Refused);
        l.decider = Decider {
            name: "Södertälje Hamn AB",
            kind: ControllerKind::KommunaltBolag,
            postal_address: None,
        };
        let text = l.text_sv();
        assert!(text.contains("Integritetsskyddsmyndigheten (IMY)"));
        assert!(text.contains(
            "Södertälje Hamn AB är ett kommunalt bolag och inte en myndighet. Bolagets beslut kan därför inte överklagas till domstol"
        ));
        assert!(!text.contains("Förvaltningsrätten"), "{text}");
        assert!(!text.contains("tre veckor"), "{text}");
    }

    #[test]
    fn kommunstyrelsen_and_a_kommunalforbund_are_myndigheter() {
        for kind in [
            ControllerKind::Kommunstyrelsen,
            ControllerKind::Kommunalforbund,
        ] {
            let mut l = letter(CaseKind::Access, Outcome::PartiallyGranted);
            l.decider.kind = kind;
            assert!(l
                .text_sv()
                .contains("Du kan överklaga beslutet till Förvaltningsrätten i Stockholm"));
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
