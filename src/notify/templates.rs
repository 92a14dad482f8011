//! The Swedish e-mail templates, each a subject, a text part and an HTML part, built into the
//! binary and rendered strictly: a value the template needs and the message lacks is an error,
//! never an empty string.

use minijinja::{Environment, UndefinedBehavior};
use serde_json::Value;

use super::outbox::Template;
use crate::config::OrganisationSettings;

macro_rules! template_files {
    ($($name:literal),+) => {
        &[$(
            (concat!($name, "/subject.txt"), include_str!(concat!("../../templates/email/", $name, "/subject.txt"))),
            (concat!($name, "/body.txt"), include_str!(concat!("../../templates/email/", $name, "/body.txt"))),
            (concat!($name, "/body.html"), include_str!(concat!("../../templates/email/", $name, "/body.html"))),
        )+]
    };
}

const FILES: &[(&str, &str)] = template_files!(
    "receipt",
    "identity_request",
    "extension_notice",
    "decision_notice",
    "restriction_lifting",
    "case_news",
    "deadline_reminder",
    "overdue_alert",
    "dpo_digest"
);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedEmail {
    pub subject: String,
    pub text: String,
    pub html: String,
}

pub struct Templates {
    env: Environment<'static>,
}

impl Default for Templates {
    fn default() -> Self {
        Self::new()
    }
}

impl Templates {
    /// The templates parsed once for the process (the sender and the print queue render with
    /// the same).
    pub fn shared() -> &'static Templates {
        static SHARED: std::sync::OnceLock<Templates> = std::sync::OnceLock::new();
        SHARED.get_or_init(Templates::new)
    }

    pub fn new() -> Self {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        // `.html` templates escape their values; text parts do not.
        env.set_auto_escape_callback(|name| {
            if name.ends_with(".html") {
                minijinja::AutoEscape::Html
            } else {
                minijinja::AutoEscape::None
            }
        });
        env.set_keep_trailing_newline(true);
        // Dates and day counts in the Swedish of running text (domain.md §9).
        env.add_filter(
            "date_sv",
            |value: String| -> Result<String, minijinja::Error> {
                value
                    .parse::<chrono::NaiveDate>()
                    .map(crate::domain::swedish::date_sv)
                    .map_err(|_| {
                        minijinja::Error::new(
                            minijinja::ErrorKind::InvalidOperation,
                            "date_sv takes a date YYYY-MM-DD",
                        )
                    })
            },
        );
        env.add_filter("days_ahead_sv", crate::domain::swedish::days_ahead_sv);
        env.add_filter("days_sv", crate::domain::swedish::days_sv);
        for (name, source) in FILES {
            env.add_template(name, source)
                .expect("the built-in templates parse");
        }
        Templates { env }
    }

    /// Renders `template` with the message's values and the organisation's name and contacts.
    pub fn render(
        &self,
        template: Template,
        params: &Value,
        organisation: &OrganisationSettings,
    ) -> Result<RenderedEmail, minijinja::Error> {
        let mut context = params.clone();
        if let Some(map) = context.as_object_mut() {
            map.insert(
                "org".into(),
                serde_json::json!({
                    "name": organisation.name,
                    "contact": organisation.contact,
                    "dpo_email": organisation.dpo_email,
                }),
            );
        }
        let render = |part: &str| {
            self.env
                .get_template(&format!("{}/{part}", template.as_str()))
                .and_then(|t| t.render(&context))
        };
        Ok(RenderedEmail {
            // A subject is one line, whatever the values contain.
            subject: render("subject.txt")?
                .lines()
                .map(str::trim)
                .collect::<Vec<_>>()
                .join(" "),
            text: render("body.txt")?,
            html: render("body.html")?,
        })
    }
}
