//! A queued letter as the PDF the person receives: the nämnd's letterhead (name and postal
//! address), the date, the case's reference and the handläggare, and the message's own Swedish
//! text (the same template as its e-mail).

use chrono::NaiveDate;

use super::store::LetterRow;
use crate::config::OrganisationSettings;
use crate::domain::swedish::date_sv;
use crate::error::{AppError, AppResult};
use crate::letters::pdf::{Block, Letter};
use crate::notify::templates::Templates;

/// Who the letter is from.
pub struct Letterhead<'a> {
    pub organisation: &'a OrganisationSettings,
    /// The nämnd's name and postal address lines, when the letter is a nämnd's.
    pub controller: Option<(&'a str, Option<&'a str>)>,
    /// The handläggare of the part, if one is assigned.
    pub handler: Option<&'a str>,
    pub reference: &'a str,
    pub diarienummer: Option<&'a str>,
    pub date: NaiveDate,
}

pub fn letter(row: &LetterRow, head: &Letterhead<'_>) -> AppResult<Letter> {
    let rendered = Templates::shared()
        .render(row.template, &row.params.0, head.organisation)
        .map_err(AppError::internal)?;
    let mut sender = vec![head.organisation.name.clone()];
    if let Some((name, address)) = head.controller {
        sender.push(name.to_owned());
        sender.extend(address.unwrap_or_default().lines().map(str::to_owned));
    } else {
        sender.push(head.organisation.contact.clone());
    }
    let mut meta = vec![
        ("Datum".to_owned(), date_sv(head.date)),
        ("Ärende".to_owned(), head.reference.to_owned()),
    ];
    if let Some(diarienummer) = head.diarienummer {
        meta.push(("Diarienummer".to_owned(), diarienummer.to_owned()));
    }
    if let Some(handler) = head.handler {
        meta.push(("Handläggare".to_owned(), handler.to_owned()));
    }
    let blocks = rendered
        .text
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| Block::Paragraph(unwrap_lines(p)))
        .collect();
    Ok(Letter {
        sender,
        recipient: row.recipient.0.clone(),
        meta,
        title: rendered.subject,
        blocks,
        footer: format!("{} · {}", head.organisation.name, head.reference),
    })
}

/// The e-mail text is wrapped for mail readers: a long line was wrapped and continues on the
/// next; a short one (a sign-off, "Mottagen: 10 mars 2026") ends where it ends.
fn unwrap_lines(paragraph: &str) -> String {
    const WRAPPED: usize = 80;
    let mut text = String::new();
    for line in paragraph.lines() {
        if !text.is_empty() {
            let previous = text.rsplit('\n').next().unwrap_or_default();
            text.push(if previous.chars().count() >= WRAPPED {
                ' '
            } else {
                '\n'
            });
        }
        text.push_str(line.trim_end());
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The letter of each message as it is laid out for print, so a change shows in review.
    #[test]
    fn every_queued_letter_reads_as_in_its_snapshot() {
        use crate::notify::outbox::Template;
        let organisation = OrganisationSettings {
            name: "Exempelkommunen".into(),
            dpo_email: "dataskyddsombud@exempel.kommun.se".into(),
            contact: "Kontaktcenter, 08-123 456 00".into(),
            administrative_court: Some("Förvaltningsrätten i Stockholm".into()),
        };
        let person = |mut params: serde_json::Value| {
            params["reference"] = "DSAR-2026-00042".into();
            params["kind_sv"] = "registerutdrag".into();
            params["request_sv"] = "din begäran om registerutdrag".into();
            params["recipient_name"] = "Maja Testsson".into();
            params
        };
        let letters = [
            (
                Template::Receipt,
                person(
                    serde_json::json!({"received_date": "2026-03-09", "deadline": "2026-04-09"}),
                ),
            ),
            (
                Template::IdentityRequest,
                person(serde_json::json!({"note": "En kopia av en giltig id-handling."})),
            ),
            (
                Template::ExtensionNotice,
                person(
                    serde_json::json!({"deadline": "2026-04-09", "extended_deadline": "2026-06-09",
                                                                  "reason": "Handlingar i flera verksamhetssystem."}),
                ),
            ),
            (
                Template::DecisionNotice,
                person(serde_json::json!({
                "verdict_sv": "Socialnämnden beviljar din begäran om registerutdrag (artikel 15 i dataskyddsförordningen).",
                "decision_text": "Beslut\nSocialnämnden, Exempelkommunen\nÄrende: DSAR-2026-00042"})),
            ),
            (
                Template::RestrictionLifting,
                person(serde_json::json!({
                    "activity": "Försörjningsstöd", "controller_name": "Socialnämnden",
                    "started_on": "2026-03-02", "lift_on": "2026-03-24"})),
            ),
        ];
        for (template, params) in letters {
            let row = LetterRow {
                id: "l".into(),
                case_id: "c".into(),
                controller_id: Some("socialnamnden".into()),
                template,
                recipient: crate::db::SealedJson(vec![
                    "Maja Testsson".into(),
                    "Brevvägen 4".into(),
                    "151 89 Södertälje".into(),
                ]),
                params: crate::db::SealedJson(params),
                status: super::super::LetterStatus::ToPrint,
                created_at: chrono::NaiveDate::from_ymd_opt(2026, 3, 10)
                    .unwrap()
                    .and_hms_opt(9, 0, 0)
                    .unwrap(),
                posted_on: None,
                registered_number: None,
                posted_by: None,
                notified_on: None,
                notified_evidence: None,
            };
            let head = Letterhead {
                organisation: &organisation,
                controller: Some(("Socialnämnden", Some("Box 100\n151 89 Södertälje"))),
                handler: Some("Sara Ek"),
                reference: "DSAR-2026-00042",
                diarienummer: Some("SN 2026/43"),
                date: chrono::NaiveDate::from_ymd_opt(2026, 3, 10).unwrap(),
            };
            let letter = letter(&row, &head).unwrap();
            insta::assert_debug_snapshot!(format!("letter_{}", template.as_str()), letter);
        }
    }

    #[test]
    fn wrapped_prose_is_joined_and_short_lines_are_kept() {
        let wrapped = format!("{}\nfortsättning.", "a".repeat(85));
        assert_eq!(
            unwrap_lines(&wrapped),
            format!("{} fortsättning.", "a".repeat(85))
        );
        assert_eq!(
            unwrap_lines("Med vänliga hälsningar\nExempelkommunen"),
            "Med vänliga hälsningar\nExempelkommunen"
        );
    }
}
