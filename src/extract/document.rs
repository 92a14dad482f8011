//! The extract (registerutdrag, Art. 15) as a document: built from the released findings, with
//! the register's texts copied in, and rendered as the Swedish letter. Pure: no I/O.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::case::{CaseKind, ControllerKind};
use crate::domain::decision::{appeal_sv, Decider, IMY_COMPLAINT_SV};
use crate::letters::pdf::{Block, Letter};

/// One activity in which the person's data was found and released: Art. 15(1)(a)-(d), (g), (h)
/// and 15(2) from the register, and the copy of the data (Art. 15(3)).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct ExtractActivity {
    pub name: String,
    /// (a) Ändamål
    pub purpose: String,
    /// (b) Kategorier av personuppgifter
    pub data_categories: Vec<String>,
    /// (c) Mottagare
    pub recipients: String,
    /// (d) Lagringstid
    pub retention: String,
    /// (g) Källa
    pub source: String,
    pub legal_basis: String,
    pub third_country_transfer: String,
    /// (h) Automated decision-making, including profiling, as the register describes it; none
    /// when the register names none.
    pub automated_decision_making: Option<String>,
    /// Art. 15(2): the safeguards of a transfer to a third country.
    pub transfer_safeguards: Option<String>,
    /// The copy of the data (Art. 15(3)): what the handläggare found.
    pub data_found: String,
    /// Copies of documents that hold the data (Art. 15(3), CJEU C-487/21), delivered with the
    /// extract (embedded in its PDF).
    pub attachments: Vec<ExtractAttachment>,
}

/// A document attached to a finding, as the extract lists it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct ExtractAttachment {
    pub id: String,
    pub file_name: String,
    /// `application/pdf`, `image/png`, `image/jpeg` or `text/plain`.
    pub content_type: String,
    pub size_bytes: i64,
}

impl ExtractAttachment {
    /// How the letter names it: "journalanteckning.pdf (PDF, 12 kB)".
    pub fn label_sv(&self) -> String {
        let kind = match self.content_type.as_str() {
            "application/pdf" => "PDF",
            "image/png" => "bild, PNG",
            "image/jpeg" => "bild, JPEG",
            "text/plain" => "text",
            other => other,
        };
        let size = if self.size_bytes < 1024 {
            format!("{} byte", self.size_bytes)
        } else {
            format!("{} kB", (self.size_bytes + 1023) / 1024)
        };
        format!("{} ({kind}, {size})", self.file_name)
    }
}

/// Whether a register cell says there is nothing: "Nej", "Ingen", "-", "Förekommer inte".
fn says_none(text: &str) -> bool {
    let folded = crate::domain::text::fold_trimmed(text);
    let words: Vec<&str> = folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    matches!(
        words.as_slice(),
        [] | ["nej"]
            | ["ingen"]
            | ["inget"]
            | ["inga"]
            | ["ej"]
            | ["nej", "ingen" | "inget" | "inga"]
            | ["forekommer", "ej" | "inte"]
            | ["ej", "tillampligt"]
            | ["inte", "tillampligt"]
    )
}

impl ExtractActivity {
    /// The automated decision-making the register describes, if any.
    pub fn automated(&self) -> Option<&str> {
        self.automated_decision_making
            .as_deref()
            .filter(|t| !says_none(t))
    }

    /// Whether the register records a transfer to a third country.
    pub fn transfers(&self) -> bool {
        !says_none(&self.third_country_transfer)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct ExtractController {
    pub controller: String,
    pub name: String,
    /// A kommunalt bolag's refusal cannot be appealed.
    pub kind: ControllerKind,
    pub email: Option<String>,
    pub dpo_email: Option<String>,
    pub activities: Vec<ExtractActivity>,
    /// Findings withheld after the secrecy review: how many, and the provisions (never the data).
    pub withheld_count: usize,
    pub withheld_references: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct ExtractRecipient {
    pub name: String,
    /// Null for a person identified by another document (`other_identity`).
    pub personnummer: Option<String>,
    pub other_identity: Option<crate::cases::dto::OtherIdentity>,
    /// The folkbokföringsadress, as lines; empty for a person with protected identity (the
    /// letter is picked up or sent through Skatteverket).
    pub address: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct Extract {
    pub reference: String,
    pub compiled_at: DateTime<Utc>,
    pub date: NaiveDate,
    pub organisation: String,
    pub organisation_contact: String,
    pub dpo_email: String,
    pub subject: ExtractRecipient,
    /// The guardian, ombud, god man or förvaltare the letter goes to, if any.
    pub representative: Option<String>,
    /// The representative's postal address, as lines; empty when unknown or protected.
    pub representative_address: Vec<String>,
    pub controllers: Vec<ExtractController>,
    /// Some findings were withheld: the extract is a partial refusal.
    pub partial_refusal: bool,
    /// (e) The rights to rectification, erasure, restriction and objection.
    pub rights_sv: String,
    /// (f) The right to complain to IMY.
    pub complaint_sv: String,
    /// (h) Automated decision-making.
    pub automated_decisions_sv: String,
    /// How to appeal the partial refusal, when there is one.
    pub appeal_sv: Option<String>,
}

pub const RIGHTS_SV: &str = "Du har rätt att begära att felaktiga uppgifter rättas och att ofullständiga \
uppgifter kompletteras (artikel 16), att uppgifter raderas (artikel 17), att behandlingen begränsas \
(artikel 18) och att invända mot behandling som grundar sig på allmänt intresse, myndighetsutövning \
eller en intresseavvägning (artikel 21). Kontakta oss om du vill använda någon av dessa rättigheter.";

/// Art. 15(1)(h) for the extract as a whole, from what the register says of each activity.
pub fn automated_decisions_sv(controllers: &[ExtractController]) -> String {
    let any = controllers
        .iter()
        .flat_map(|c| &c.activities)
        .any(|a| a.automated().is_some());
    if any {
        "Några av behandlingarna innefattar automatiserat beslutsfattande. Under varje sådan \
         behandling står hur besluten fattas och vilka följder de kan få (artikel 15.1 h i \
         dataskyddsförordningen). Du har rätt att begära att en människa prövar ett sådant beslut \
         (artikel 22)."
            .to_owned()
    } else {
        "Enligt nämndernas register över behandlingar fattas inga beslut automatiskt, utan att en \
         människa prövar dem, och ingen profilering görs i de behandlingar som redovisas här \
         (artikel 15.1 h och 22 i dataskyddsförordningen)."
            .to_owned()
    }
}

impl Extract {
    /// The extract with only the nämnder `keep` accepts: what a handläggare of one nämnd may
    /// read of an extract that also answers for others (OSL 8 kap. 1 §). The partial refusal
    /// and its appeal follow the nämnder kept.
    pub fn only_controllers(mut self, keep: impl Fn(&str) -> bool, court: &str) -> Self {
        if self.controllers.iter().all(|c| keep(&c.controller)) {
            return self;
        }
        self.controllers.retain(|c| keep(&c.controller));
        self.automated_decisions_sv = automated_decisions_sv(&self.controllers);
        self.partial_refusal = self.controllers.iter().any(|c| c.withheld_count > 0);
        self.appeal_sv = appeal_for(&self.controllers, &self.reference, court);
        self
    }

    /// The Swedish letter the person receives.
    pub fn letter(&self) -> Letter {
        // A guardian or an ombud receives it about someone else: "uppgifter om Tolvan".
        let about = match &self.representative {
            Some(_) => format!("om {}", self.subject.name),
            None => "om dig".to_owned(),
        };
        let mut blocks = vec![Block::Paragraph(format!(
            "Du har begärt att få veta vilka personuppgifter {about} som {} behandlar \
             (registerutdrag enligt artikel 15 i dataskyddsförordningen). Här redovisas, för varje \
             nämnd som är personuppgiftsansvarig, de behandlingar där uppgifter {about} finns, vilka \
             uppgifterna är, varför de behandlas, vem de lämnas till, hur länge de sparas och \
             varifrån de kommer.",
            self.organisation
        ))];
        if let Some(representative) = &self.representative {
            blocks.push(Block::Paragraph(format!(
                "Utdraget gäller {} och lämnas till {}.",
                self.subject.name, representative
            )));
        }
        for controller in &self.controllers {
            blocks.push(Block::Heading(controller.name.clone()));
            let mut contact = Vec::new();
            if let Some(email) = &controller.email {
                contact.push(("Kontakt".to_owned(), email.clone()));
            }
            contact.push((
                "Dataskyddsombud".to_owned(),
                controller
                    .dpo_email
                    .clone()
                    .unwrap_or_else(|| self.dpo_email.clone()),
            ));
            blocks.push(Block::Fields(contact));
            if controller.activities.is_empty() {
                blocks.push(Block::Paragraph(format!(
                    "Nämnden behandlar inga personuppgifter {about} som kan lämnas ut."
                )));
            }
            for activity in &controller.activities {
                blocks.push(Block::Subheading(activity.name.clone()));
                blocks.push(Block::Fields(activity_fields(activity, &about)));
            }
            if controller.withheld_count > 0 {
                blocks.push(Block::Subheading("Uppgifter som inte lämnas ut".into()));
                blocks.push(Block::Paragraph(withheld_sv(controller)));
            }
        }
        if self
            .controllers
            .iter()
            .flat_map(|c| &c.activities)
            .any(|a| !a.attachments.is_empty())
        {
            blocks.push(Block::Paragraph(
                "Kopior av de handlingar som står under Bifogade handlingar hör till utdraget. I \
                 PDF-filen finns de som bifogade filer. Får du utdraget på papper ligger de med som \
                 bilagor."
                    .into(),
            ));
        }
        blocks.push(Block::Heading("Dina rättigheter".into()));
        blocks.push(Block::Paragraph(self.rights_sv.clone()));
        blocks.push(Block::Paragraph(self.automated_decisions_sv.clone()));
        blocks.push(Block::Heading(
            "Klagomål till Integritetsskyddsmyndigheten".into(),
        ));
        blocks.push(Block::Paragraph(self.complaint_sv.clone()));
        if let Some(appeal) = &self.appeal_sv {
            blocks.push(Block::Heading("Hur du överklagar".into()));
            blocks.push(Block::Paragraph(appeal.clone()));
        }
        blocks.push(Block::Paragraph(format!(
            "Har du frågor om utdraget? Kontakta oss: {}.",
            self.organisation_contact
        )));
        let mut recipient = vec![self
            .representative
            .clone()
            .unwrap_or_else(|| self.subject.name.clone())];
        if self.representative.is_none() {
            recipient.extend(self.subject.address.iter().cloned());
        } else {
            recipient.extend(self.representative_address.iter().cloned());
        }
        Letter {
            sender: vec![self.organisation.clone(), self.organisation_contact.clone()],
            recipient,
            meta: vec![
                ("Datum".into(), self.date.to_string()),
                ("Ärende".into(), self.reference.clone()),
            ],
            title: "Registerutdrag enligt artikel 15 i dataskyddsförordningen".into(),
            blocks,
            footer: format!("{} · {}", self.organisation, self.reference),
        }
    }
}

/// What the letter says of one activity: the data found and the register's texts.
fn activity_fields(activity: &ExtractActivity, about: &str) -> Vec<(String, String)> {
    let mut fields = vec![
        (format!("Uppgifter {about}"), activity.data_found.clone()),
        ("Ändamål".into(), activity.purpose.clone()),
        (
            "Kategorier av personuppgifter".into(),
            activity.data_categories.join(", "),
        ),
        ("Rättslig grund".into(), activity.legal_basis.clone()),
        ("Mottagare".into(), activity.recipients.clone()),
        ("Lagringstid".into(), activity.retention.clone()),
        ("Källa".into(), activity.source.clone()),
        (
            "Automatiserat beslutsfattande".into(),
            activity
                .automated()
                .map_or_else(|| "Nej".to_owned(), str::to_owned),
        ),
        (
            "Överföring till tredje land".into(),
            activity.third_country_transfer.clone(),
        ),
    ];
    if activity.transfers() {
        fields.push((
            "Skyddsåtgärder vid överföringen".into(),
            activity.transfer_safeguards.clone().unwrap_or_else(|| {
                "Kontakta oss om du vill veta vilka skyddsåtgärder som gäller för överföringen \
                 och få en kopia av dem (artikel 15.2 i dataskyddsförordningen)."
                    .to_owned()
            }),
        ));
    }
    if !activity.attachments.is_empty() {
        fields.push((
            "Bifogade handlingar".into(),
            activity
                .attachments
                .iter()
                .map(ExtractAttachment::label_sv)
                .collect::<Vec<_>>()
                .join("\n"),
        ));
    }
    fields
}

/// Why findings were withheld: secrecy under OSL (dataskyddslagen 5 kap. 1 §), or running text
/// not in final form, such as drafts and notes (5 kap. 2 §), as the references say.
fn withheld_sv(controller: &ExtractController) -> String {
    let drafts = controller
        .withheld_references
        .iter()
        .any(|r| r.contains("5 kap. 2"));
    let secrecy = controller
        .withheld_references
        .iter()
        .any(|r| !r.contains("5 kap. 2"))
        || controller.withheld_references.is_empty();
    let why = match (secrecy, drafts) {
        (true, true) => {
            "eftersom de omfattas av sekretess (5 kap. 1 § dataskyddslagen) eller är utkast eller \
             minnesanteckningar som inte har fått sin slutliga form (5 kap. 2 § dataskyddslagen)"
        }
        (false, true) => {
            "eftersom de är utkast eller minnesanteckningar som inte har fått sin slutliga form \
             (5 kap. 2 § dataskyddslagen)"
        }
        _ => {
            "eftersom de omfattas av sekretess enligt offentlighets- och sekretesslagen \
             (5 kap. 1 § dataskyddslagen)"
        }
    };
    let references = if controller.withheld_references.is_empty() {
        String::new()
    } else {
        format!(": {}", controller.withheld_references.join("; "))
    };
    format!(
        "{} har beslutat att inte lämna ut vissa uppgifter ({} st.) {why}{references}. Detta är ett \
         beslut om delvis avslag på din begäran.",
        controller.name, controller.withheld_count
    )
}

/// How to appeal a partial refusal, naming the nämnder that withheld findings (a kommunalt
/// bolag's refusal cannot be appealed; domain.md §6).
pub fn appeal_for(
    controllers: &[ExtractController],
    reference: &str,
    court: &str,
) -> Option<String> {
    let withholding: Vec<Decider> = controllers
        .iter()
        .filter(|c| c.withheld_count > 0)
        .map(|c| Decider {
            name: &c.name,
            kind: c.kind,
            postal_address: None,
        })
        .collect();
    (!withholding.is_empty()).then(|| appeal_sv(&withholding, CaseKind::Access, court, reference))
}

pub fn complaint_sv() -> String {
    IMY_COMPLAINT_SV.to_owned()
}

#[cfg(test)]
mod withheld_tests {
    use super::*;

    fn controller(references: &[&str]) -> ExtractController {
        ExtractController {
            controller: "socialnamnden".into(),
            name: "Socialnämnden".into(),
            kind: ControllerKind::Namnd,
            email: None,
            dpo_email: None,
            activities: Vec::new(),
            withheld_count: references.len().max(1),
            withheld_references: references.iter().map(|r| r.to_string()).collect(),
        }
    }

    #[test]
    fn the_ground_for_withholding_is_named_as_the_references_say() {
        let osl = withheld_sv(&controller(&["26 kap. 1 § OSL"]));
        assert!(osl.contains("omfattas av sekretess enligt offentlighets- och sekretesslagen (5 kap. 1 § dataskyddslagen): 26 kap. 1 § OSL."), "{osl}");
        let drafts = withheld_sv(&controller(&["5 kap. 2 § dataskyddslagen"]));
        assert!(drafts.contains("är utkast eller minnesanteckningar som inte har fått sin slutliga form (5 kap. 2 § dataskyddslagen)"), "{drafts}");
        assert!(!drafts.contains("sekretess"), "{drafts}");
        let both = withheld_sv(&controller(&[
            "26 kap. 1 § OSL",
            "5 kap. 2 § dataskyddslagen",
        ]));
        assert!(
            both.contains("omfattas av sekretess (5 kap. 1 § dataskyddslagen) eller är utkast"),
            "{both}"
        );
        assert!(both.ends_with("Detta är ett beslut om delvis avslag på din begäran."));
    }
}
