//! Every template rendered with the values the service gives it, as snapshots; strict rendering
//! (a missing value is an error); HTML escaping in the HTML part only.

use dsar::domain::case::CaseKind;
use dsar::notify::outbox::Template;
use dsar::notify::templates::{RenderedEmail, Templates};
use serde_json::{json, Value};

use crate::helpers::test_settings;

/// What `cases::store::create_case` and `casework::work::message_person` put into every message
/// to the person.
fn to_person(mut params: Value, kind: CaseKind) -> Value {
    let map = params.as_object_mut().expect("object");
    map.insert("reference".into(), json!("DSAR-2026-00042"));
    map.insert("kind_sv".into(), json!(kind.swedish_label()));
    map.insert("request_sv".into(), json!(kind.request_sv()));
    map.insert("recipient_name".into(), json!("Åsa Öberg"));
    map.insert(
        "organisation".into(),
        json!({"name": "Exempelkommunen", "contact": "Kontaktcenter, 08-123 456 00, kontaktcenter@exempel.kommun.se"}),
    );
    params
}

/// Realistic values for each template, as the service builds them.
fn params(template: Template) -> Value {
    match template {
        Template::Receipt => to_person(
            json!({"received_date": "2026-03-10", "deadline": "2026-04-10"}),
            CaseKind::Access,
        ),
        Template::IdentityRequest => to_person(
            json!({"note": "En kopia av giltig id-handling, eller besök Kontaktcenter."}),
            CaseKind::Access,
        ),
        Template::ExtensionNotice => to_person(
            json!({
                "deadline": "2026-04-10",
                "extended_deadline": "2026-06-10",
                "reason": "Begäran omfattar handlingar hos tre nämnder och ett stort antal ärenden."
            }),
            CaseKind::Access,
        ),
        Template::DecisionNotice => to_person(
            json!({
                "controller_name": "Socialnämnden",
                "outcome_sv": "Avslag",
                "verdict_sv": "Socialnämnden avslår din begäran om att få dina uppgifter raderade (artikel 17 i dataskyddsförordningen).",
                "decision_text": "Beslut\n\nSocialnämnden avslår din begäran om radering.\n\nSkäl: Uppgifterna behövs för att fullgöra en rättslig förpliktelse (artikel 17.3 b).\n\nDu kan överklaga beslutet hos förvaltningsrätten inom tre veckor."
            }),
            CaseKind::Erasure,
        ),
        Template::RestrictionLifting => to_person(
            json!({
                "activity": "Hantering av färdtjänst",
                "controller_name": "Socialnämnden",
                "started_on": "2026-03-10",
                "lift_on": "2026-03-17"
            }),
            CaseKind::Restriction,
        ),
        Template::CaseNews => json!({"reference": "DSAR-2026-00042"}),
        Template::DeadlineReminder => json!({
            "reference": "DSAR-2026-00042",
            "kind_sv": "rättelse",
            "controller": "Socialnämnden",
            "deadline": "2026-03-12",
            "days_left": 2
        }),
        Template::OverdueAlert => json!({
            "reference": "DSAR-2026-00042",
            "kind_sv": "registerutdrag",
            "controller": "Kommunstyrelsen",
            "deadline": "2026-03-02",
            "days_overdue": 8
        }),
        Template::DpoDigest => json!({
            "day": "2026-03-10",
            "overdue": [
                {"reference": "DSAR-2026-00007", "kind_sv": "registerutdrag", "controllers": "kommunstyrelsen, socialnamnden", "deadline": "2026-03-02"}
            ],
            "due_this_week": [
                {"reference": "DSAR-2026-00042", "kind_sv": "rättelse", "controllers": "socialnamnden", "deadline": "2026-03-12"},
                {"reference": "DSAR-2026-00043", "kind_sv": "radering", "controllers": "barn-och-utbildningsnamnden", "deadline": "2026-03-16"}
            ],
            "extended": [],
            "failed_deliveries": 1
        }),
    }
}

/// The values each template cannot do without (besides the organisation's, from the settings).
fn required(template: Template) -> &'static [&'static str] {
    match template {
        Template::Receipt => &[
            "reference",
            "request_sv",
            "received_date",
            "deadline",
            "recipient_name",
        ],
        Template::IdentityRequest => &["reference", "request_sv", "recipient_name", "note"],
        Template::ExtensionNotice => &[
            "reference",
            "request_sv",
            "recipient_name",
            "deadline",
            "extended_deadline",
            "reason",
        ],
        Template::DecisionNotice => &[
            "reference",
            "request_sv",
            "recipient_name",
            "verdict_sv",
            "decision_text",
        ],
        Template::RestrictionLifting => &[
            "reference",
            "recipient_name",
            "activity",
            "controller_name",
            "started_on",
            "lift_on",
        ],
        Template::CaseNews => &["reference"],
        Template::DeadlineReminder => &[
            "reference",
            "kind_sv",
            "controller",
            "deadline",
            "days_left",
        ],
        Template::OverdueAlert => &[
            "reference",
            "kind_sv",
            "controller",
            "deadline",
            "days_overdue",
        ],
        Template::DpoDigest => &[
            "day",
            "overdue",
            "due_this_week",
            "extended",
            "failed_deliveries",
        ],
    }
}

fn render(template: Template, params: &Value) -> Result<RenderedEmail, minijinja::Error> {
    Templates::new().render(template, params, &test_settings().organisation)
}

fn snapshot(email: &RenderedEmail) -> String {
    format!(
        "Subject: {}\n\n----- text/plain -----\n{}\n----- text/html -----\n{}",
        email.subject, email.text, email.html
    )
}

#[test]
fn every_template_renders_as_in_its_snapshot() {
    for template in Template::ALL {
        let email = render(template, &params(template))
            .unwrap_or_else(|e| panic!("{}: {e:#}", template.as_str()));
        assert!(!email.subject.is_empty() && !email.subject.contains('\n'));
        insta::assert_snapshot!(format!("template_{}", template.as_str()), snapshot(&email));
    }
}

#[test]
fn templates_render_the_variants_too() {
    // An identity request without a note, and a digest with nothing to report.
    let mut identity = params(Template::IdentityRequest);
    identity["note"] = json!("");
    let email = render(Template::IdentityRequest, &identity).expect("renders");
    insta::assert_snapshot!("template_identity_request_without_note", snapshot(&email));
    assert!(!email.text.contains("Det här behöver vi från dig"));

    let quiet = json!({"day": "2026-03-11", "overdue": [], "due_this_week": [], "extended": [], "failed_deliveries": 0});
    let email = render(Template::DpoDigest, &quiet).expect("renders");
    insta::assert_snapshot!("template_dpo_digest_empty", snapshot(&email));
    assert_eq!(
        email.subject,
        "Dagsöversikt 11 mars 2026: 0 försenade, 0 förfaller inom en vecka"
    );
}

#[test]
fn a_missing_value_is_an_error_not_an_empty_string() {
    for template in Template::ALL {
        for key in required(template) {
            let mut incomplete = params(template);
            incomplete.as_object_mut().unwrap().remove(*key);
            let result = render(template, &incomplete);
            assert!(
                result.is_err(),
                "{} rendered without {key}: {result:?}",
                template.as_str()
            );
        }
        // A value inside a list item is required too.
        if template == Template::DpoDigest {
            let mut incomplete = params(template);
            incomplete["overdue"][0]
                .as_object_mut()
                .unwrap()
                .remove("deadline");
            assert!(render(template, &incomplete).is_err());
        }
    }
}

#[test]
fn the_html_part_escapes_values_and_the_text_part_does_not() {
    let mut params = params(Template::DecisionNotice);
    params["decision_text"] = json!("<script>alert('x')</script> & \"citat\"");
    params["recipient_name"] = json!("<b>Åsa</b>");
    let email = render(Template::DecisionNotice, &params).expect("renders");
    assert!(email
        .text
        .contains("<script>alert('x')</script> & \"citat\""));
    assert!(email.text.contains("Hej <b>Åsa</b>,"));
    assert!(!email.html.contains("<script>"));
    assert!(!email.html.contains("<b>Åsa</b>"));
    assert!(email.html.contains("&lt;script&gt;"), "{}", email.html);
    assert!(!email.html.contains("</script>"));
    assert!(email.html.contains("&amp;"));
    assert!(
        email.html.contains("Hej &lt;b&gt;Åsa&lt;"),
        "{}",
        email.html
    );
    // The template's own markup stays markup.
    assert!(email.html.contains("<strong>Socialnämnden avslår"));
}
