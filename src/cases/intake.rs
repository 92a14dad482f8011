//! Intake: a request as it arrives becomes a `NewCase` that can only hold valid values, or a list
//! of field errors. Nothing here touches the database.

use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Utc};

use super::dto::{
    Address, CreateCaseRequest, IdentityAssertion, OtherIdentity as OtherIdentityDto,
    Representative, RepresentativeInput, Subject, SubjectInput,
};
use crate::auth::{AuthUser, Role};
use crate::clock::local_date;
use crate::domain::assurance::AssuranceLevel;
use crate::domain::calendar::SwedishCalendar;
use crate::domain::case::{CaseKind, Channel, IdentityMethod, IdentityStatus, RepresentativeKind};
use crate::domain::deadline::{self, ORDINARY_MONTHS};
use crate::domain::names::{ControllerId, Email};
use crate::domain::other_identity::{self, OtherIdentity};
use crate::domain::personnummer::Personnummer;
use crate::error::FieldError;

/// The day the GDPR began to apply; no request can have been received before it.
const GDPR_APPLIES_FROM: (i32, u32, u32) = (2018, 5, 25);
const MAX_NAME: usize = 200;
const MAX_DESCRIPTION: usize = 20_000;
const MAX_CATEGORIES: usize = 50;

#[derive(Debug, Clone)]
pub struct VerifiedIdentity {
    pub method: IdentityMethod,
    pub assurance: Option<String>,
    pub verified_at: DateTime<Utc>,
    pub verified_by: String,
}

/// Who the request is about: a Swedish number, or a date of birth and another document.
#[derive(Debug, Clone)]
pub enum SubjectIdentity {
    Number(Personnummer),
    Other(OtherIdentity),
}

impl SubjectIdentity {
    /// The key the case is stored and searched under (`cases.subject_personnummer`).
    pub fn search_key(&self) -> String {
        match self {
            SubjectIdentity::Number(p) => p.normalized(),
            SubjectIdentity::Other(o) => o.search_key(),
        }
    }

    fn number(&self) -> Option<&Personnummer> {
        match self {
            SubjectIdentity::Number(p) => Some(p),
            SubjectIdentity::Other(_) => None,
        }
    }

    /// Age in whole years on `date`, where the identity tells it.
    fn age_on(&self, date: NaiveDate) -> Option<u32> {
        match self {
            // Without a full birth date (some samordningsnummer) the birth year still settles
            // it unless the person turns 18 in the year of receipt.
            SubjectIdentity::Number(p) => p.age_on(date).or_else(|| {
                let years = date.year() - p.birth_year();
                if years > 18 {
                    Some(18)
                } else if years < 18 {
                    Some(0)
                } else {
                    None
                }
            }),
            SubjectIdentity::Other(o) => Some(other_identity::age_on(o.date_of_birth, date)),
        }
    }
}

#[derive(Debug, Clone)]
pub struct NewCase {
    pub kind: CaseKind,
    pub channel: Channel,
    pub received_at: DateTime<Utc>,
    pub received_date: NaiveDate,
    pub deadline: NaiveDate,
    pub subject_identity: SubjectIdentity,
    pub subject: Subject,
    pub representative: Option<Representative>,
    /// The subject's identity, if established at intake.
    pub identity: Option<VerifiedIdentity>,
    /// What the e-tjänst asserted about who logged in, kept as evidence in the journal.
    pub identity_evidence: Option<serde_json::Value>,
    pub controllers: Vec<ControllerId>,
    pub subject_categories: Vec<String>,
    pub description: Option<String>,
    pub protected_identity: bool,
    pub diarienummer: Option<String>,
    pub direct_marketing: bool,
}

impl NewCase {
    /// Validates `request` for `user` at the instant `now`; every invalid field is reported.
    pub fn parse(
        request: CreateCaseRequest,
        user: &AuthUser,
        now: DateTime<Utc>,
        calendar: &SwedishCalendar,
        minimum_assurance: AssuranceLevel,
    ) -> Result<NewCase, Vec<FieldError>> {
        let mut errors = Vec::new();
        let today = local_date(now);
        let from_etjanst = !user.is_staff();

        let channel = if from_etjanst {
            Channel::Etjanst
        } else {
            request.channel.unwrap_or_else(|| {
                errors.push(FieldError::new(
                    "channel",
                    "required",
                    "Staff must say how the request was received.",
                ));
                Channel::Letter
            })
        };

        let received_at = match request.received_at {
            None => now,
            Some(_) if from_etjanst => {
                errors.push(FieldError::new(
                    "received_at",
                    "not_allowed",
                    "Only staff may set received_at; the e-tjänst's requests are received now.",
                ));
                now
            }
            Some(at) if at > now => {
                errors.push(FieldError::new(
                    "received_at",
                    "in_the_future",
                    "received_at may not be in the future.",
                ));
                now
            }
            Some(at) if at < gdpr_start() => {
                errors.push(FieldError::new(
                    "received_at",
                    "before_gdpr",
                    "received_at is before 2018-05-25, when the GDPR began to apply.",
                ));
                now
            }
            Some(at) => at,
        };
        let received_date = local_date(received_at);

        let subject = parse_subject(request.subject, from_etjanst, today, &mut errors);
        let mut representative = request.representative.and_then(|input| {
            parse_representative(input, subject.as_ref(), received_date, today, &mut errors)
        });
        let established = request.identity.and_then(|assertion| {
            let intake = IdentityAtIntake {
                user,
                now,
                today,
                from_etjanst,
                minimum_assurance,
                subject: subject
                    .as_ref()
                    .and_then(|(id, _)| id.number())
                    .map(Personnummer::normalized),
                subject_without_number: matches!(
                    subject.as_ref(),
                    Some((SubjectIdentity::Other(_), _))
                ),
                representative: representative.as_ref().map(|r| r.personnummer.clone()),
            };
            intake.parse(assertion, &mut errors)
        });
        let (identity, identity_evidence) = match established {
            Some(established) => {
                if let (Some(rep), Some(verified)) =
                    (representative.as_mut(), established.representative)
                {
                    rep.identity_status = IdentityStatus::Verified;
                    rep.identity_method = Some(verified.method);
                    rep.verified_at = Some(verified.verified_at);
                }
                (established.subject, established.evidence)
            }
            None => (None, None),
        };
        let controllers = parse_controllers(&request.controllers, &mut errors);
        let subject_categories = parse_categories(request.subject_categories, &mut errors);
        let diarienummer = match request.diarienummer {
            Some(_) if from_etjanst => {
                errors.push(FieldError::new(
                    "diarienummer",
                    "not_allowed",
                    "The municipality's staff register the case in the diarium.",
                ));
                None
            }
            Some(text) => parse_diarienummer(&text, &mut errors),
            None => None,
        };
        if request.direct_marketing && request.kind != CaseKind::Objection {
            errors.push(FieldError::new(
                "direct_marketing",
                "objection_only",
                "Direct marketing is what an objection (kind `objection`) can concern.",
            ));
        }
        let description = request
            .description
            .map(|d| d.trim().to_owned())
            .filter(|d| !d.is_empty());
        if description
            .as_ref()
            .is_some_and(|d| d.chars().count() > MAX_DESCRIPTION)
        {
            errors.push(FieldError::new(
                "description",
                "too_long",
                format!("description may be at most {MAX_DESCRIPTION} characters."),
            ));
        }

        match subject {
            Some((subject_identity, subject)) if errors.is_empty() => Ok(NewCase {
                kind: request.kind,
                channel,
                received_at,
                received_date,
                deadline: deadline::compute(received_date, ORDINARY_MONTHS, calendar).due,
                subject_identity,
                subject,
                representative,
                identity,
                identity_evidence,
                controllers,
                subject_categories,
                description,
                protected_identity: request.protected_identity,
                diarienummer,
                direct_marketing: request.direct_marketing,
            }),
            _ => Err(errors),
        }
    }
}

/// A diarienummer as the municipality writes it: 1-50 characters of text on one line.
pub fn parse_diarienummer(text: &str, errors: &mut Vec<FieldError>) -> Option<String> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    if text.chars().count() > 50 || text.chars().any(char::is_control) {
        errors.push(FieldError::new(
            "diarienummer",
            "invalid",
            "A diarienummer is at most 50 characters on one line, e.g. `KS 2026/123`.",
        ));
        return None;
    }
    Some(text.to_owned())
}

fn gdpr_start() -> DateTime<Utc> {
    let (y, m, d) = GDPR_APPLIES_FROM;
    Utc.with_ymd_and_hms(y, m, d, 0, 0, 0)
        .single()
        .expect("valid date")
}

fn parse_personnummer(
    field: &str,
    text: &str,
    today: NaiveDate,
    errors: &mut Vec<FieldError>,
) -> Option<Personnummer> {
    Personnummer::parse(text, today)
        .map_err(|e| errors.push(FieldError::new(field, e.code(), e.to_string())))
        .ok()
}

fn parse_name(field: &str, name: &str, errors: &mut Vec<FieldError>) -> String {
    let name = name.trim();
    if name.is_empty() {
        errors.push(FieldError::new(field, "required", "A name is required."));
    } else if name.chars().count() > MAX_NAME || name.chars().any(char::is_control) {
        errors.push(FieldError::new(
            field,
            "invalid",
            format!("A name is at most {MAX_NAME} characters of text."),
        ));
    }
    name.to_owned()
}

fn parse_email(field: &str, email: Option<String>, errors: &mut Vec<FieldError>) -> Option<String> {
    let email = email.filter(|e| !e.trim().is_empty())?;
    match Email::parse(&email) {
        Ok(email) => Some(email.as_str().to_owned()),
        Err(message) => {
            errors.push(FieldError::new(field, "invalid_email", message));
            None
        }
    }
}

fn parse_subject(
    input: SubjectInput,
    from_etjanst: bool,
    today: NaiveDate,
    errors: &mut Vec<FieldError>,
) -> Option<(SubjectIdentity, Subject)> {
    let identity = match (input.personnummer.as_deref(), input.other_identity) {
        (Some(_), Some(_)) => {
            errors.push(FieldError::new(
                "subject.other_identity",
                "one_of",
                "Give either a personnummer or another identity, not both.",
            ));
            None
        }
        (Some(text), None) => parse_personnummer("subject.personnummer", text, today, errors)
            .map(SubjectIdentity::Number),
        (None, Some(_)) if from_etjanst => {
            errors.push(FieldError::new(
                "subject.other_identity",
                "not_allowed",
                "The e-tjänst's users log in with a Swedish e-legitimation; a person without a \
                 Swedish number is registered by staff.",
            ));
            None
        }
        (None, Some(other)) => parse_other_identity(other, today, errors),
        (None, None) => {
            errors.push(FieldError::new(
                "subject.personnummer",
                "required",
                "Give the person's personnummer or samordningsnummer, or `other_identity` for \
                 someone without one.",
            ));
            None
        }
    };
    let name = parse_name("subject.name", &input.name, errors);
    let address = input
        .address
        .and_then(|a| parse_address("subject.address", a, errors));
    let email = parse_email("subject.email", input.email, errors);
    let phone = input
        .phone
        .map(|p| p.trim().to_owned())
        .filter(|p| !p.is_empty());
    if let Some(phone) = &phone {
        let digits = phone.chars().filter(char::is_ascii_digit).count();
        let allowed = phone
            .chars()
            .all(|c| c.is_ascii_digit() || " +-()".contains(c));
        if !allowed || !(5..=20).contains(&digits) {
            errors.push(FieldError::new(
                "subject.phone",
                "invalid_phone",
                "A phone number is 5-20 digits.",
            ));
        }
    }
    let identity = identity?;
    let subject = Subject {
        personnummer: identity.number().map(Personnummer::normalized),
        samordningsnummer: identity
            .number()
            .is_some_and(Personnummer::is_samordningsnummer),
        other_identity: match &identity {
            SubjectIdentity::Other(o) => Some(OtherIdentityDto {
                date_of_birth: o.date_of_birth,
                identifier: o.identifier.clone(),
                document_type: o.document_type.clone(),
                country: o.country.clone(),
            }),
            SubjectIdentity::Number(_) => None,
        },
        name,
        address,
        email,
        phone,
    };
    Some((identity, subject))
}

fn parse_other_identity(
    input: OtherIdentityDto,
    today: NaiveDate,
    errors: &mut Vec<FieldError>,
) -> Option<SubjectIdentity> {
    OtherIdentity::parse(
        input.date_of_birth,
        &input.identifier,
        &input.document_type,
        input.country.as_deref(),
        today,
    )
    .map(SubjectIdentity::Other)
    .map_err(|found| {
        for e in found {
            errors.push(FieldError::new(
                format!("subject.other_identity.{}", e.field()),
                e.code(),
                e.to_string(),
            ));
        }
    })
    .ok()
}

fn parse_address(field: &str, address: Address, errors: &mut Vec<FieldError>) -> Option<Address> {
    let street = address.street.trim().to_owned();
    let city = address.city.trim().to_owned();
    let postal_digits: String = address
        .postal_code
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let before = errors.len();
    if street.is_empty() {
        errors.push(FieldError::new(
            format!("{field}.street"),
            "required",
            "The street address is required.",
        ));
    }
    if city.is_empty() {
        errors.push(FieldError::new(
            format!("{field}.city"),
            "required",
            "The city (postort) is required.",
        ));
    }
    if postal_digits.len() != 5 || !postal_digits.chars().all(|c| c.is_ascii_digit()) {
        errors.push(FieldError::new(
            format!("{field}.postal_code"),
            "invalid_postal_code",
            "A Swedish postal code is five digits, e.g. 151 89.",
        ));
    }
    (errors.len() == before).then(|| Address {
        street,
        postal_code: format!("{} {}", &postal_digits[..3], &postal_digits[3..]),
        city,
    })
}

fn parse_representative(
    input: RepresentativeInput,
    subject: Option<&(SubjectIdentity, Subject)>,
    received_date: NaiveDate,
    today: NaiveDate,
    errors: &mut Vec<FieldError>,
) -> Option<Representative> {
    let personnummer = parse_personnummer(
        "representative.personnummer",
        &input.personnummer,
        today,
        errors,
    );
    let name = parse_name("representative.name", &input.name, errors);
    let email = parse_email("representative.email", input.email, errors);
    let address = input
        .address
        .and_then(|a| parse_address("representative.address", a, errors));
    let personnummer = personnummer?;
    let (subject_identity, _) = subject?;
    if subject_identity.number() == Some(&personnummer) {
        errors.push(FieldError::new(
            "representative.personnummer",
            "same_as_subject",
            "The representative cannot be the person the request is about.",
        ));
        return None;
    }
    let mut child_age_unknown = false;
    if input.kind == RepresentativeKind::Guardian {
        // A vårdnadshavare may request only for a child under 18 on the day of receipt.
        match subject_identity.age_on(received_date) {
            Some(age) if age >= 18 => {
                errors.push(FieldError::new(
                    "representative.kind",
                    "guardian_for_adult",
                    "A guardian (vårdnadshavare) can only make a request for a child under 18; the person was \
                     18 or older when the request was received. An adult makes the request themselves or \
                     through an ombud, god man or förvaltare.",
                ));
                return None;
            }
            Some(_) => {}
            None => child_age_unknown = true,
        }
    }
    Some(Representative {
        kind: input.kind,
        personnummer: personnummer.normalized(),
        name,
        email,
        address,
        identity_status: IdentityStatus::Unverified,
        identity_method: None,
        verified_at: None,
        child_age_unknown,
    })
}

/// Whom an identity assertion at intake establishes, and what it showed.
struct Established {
    subject: Option<VerifiedIdentity>,
    representative: Option<VerifiedIdentity>,
    evidence: Option<serde_json::Value>,
}

/// What judging an identity assertion at intake depends on.
struct IdentityAtIntake<'a> {
    user: &'a AuthUser,
    now: DateTime<Utc>,
    today: NaiveDate,
    from_etjanst: bool,
    minimum_assurance: AssuranceLevel,
    /// The parties' normalised numbers, where they parsed.
    subject: Option<String>,
    representative: Option<String>,
    /// The subject is identified by another document, which only a person can check.
    subject_without_number: bool,
}

impl IdentityAtIntake<'_> {
    fn parse(
        &self,
        assertion: IdentityAssertion,
        errors: &mut Vec<FieldError>,
    ) -> Option<Established> {
        match assertion.method {
            IdentityMethod::ELegitimation => self.e_legitimation(assertion, errors),
            IdentityMethod::IdDocument | IdentityMethod::SignedForm => {
                if self.from_etjanst {
                    errors.push(FieldError::new(
                        "identity.method",
                        "not_allowed",
                        "The e-tjänst can only assert an e-legitimation.",
                    ));
                    return None;
                }
                // The kind of document is recorded, never its number.
                let document = assertion
                    .document_type
                    .map(|d| d.trim().to_owned())
                    .filter(|d| !d.is_empty());
                if self.subject_without_number && document.is_none() {
                    errors.push(FieldError::new(
                        "identity.document_type",
                        "required",
                        "A person without a Swedish number is verified by hand against a document: \
                         name the document checked.",
                    ));
                    return None;
                }
                let detail = match assertion.method {
                    IdentityMethod::IdDocument => document,
                    _ if self.subject_without_number => document,
                    _ => None,
                };
                Some(Established {
                    subject: Some(self.verified(assertion.method, detail)),
                    representative: None,
                    evidence: None,
                })
            }
            IdentityMethod::RegisteredLetter => {
                errors.push(FieldError::new(
                    "identity.method",
                    "not_allowed",
                    "A registered letter is a way of delivering the answer, not of establishing identity at intake.",
                ));
                None
            }
        }
    }

    /// An e-legitimation names who logged in: it verifies the party whose number it carries, at
    /// the minimum assurance level or above, and no one else (domain.md §3). Any other assertion
    /// is kept as evidence and leaves every party unverified.
    fn e_legitimation(
        &self,
        assertion: IdentityAssertion,
        errors: &mut Vec<FieldError>,
    ) -> Option<Established> {
        if !self.from_etjanst && !self.user.has_role(Role::Etjanst) {
            errors.push(FieldError::new(
                "identity.method",
                "not_allowed",
                "Only the e-tjänst can assert an e-legitimation; staff record an ID check instead.",
            ));
            return None;
        }
        let before = errors.len();
        let level = assertion
            .assurance
            .as_deref()
            .and_then(|a| AssuranceLevel::parse(&a.trim().to_ascii_lowercase()));
        if level.is_none() {
            errors.push(FieldError::new(
                "identity.assurance",
                "invalid_assurance",
                "An e-legitimation needs its assurance level: loa2, loa3 or loa4.",
            ));
        }
        let authenticated = match assertion.personnummer.as_deref() {
            None => {
                errors.push(FieldError::new(
                    "identity.personnummer",
                    "required",
                    "An e-legitimation names the personnummer of the person who logged in.",
                ));
                None
            }
            Some(text) => parse_personnummer("identity.personnummer", text, self.today, errors)
                .map(|p| p.normalized()),
        };
        let provider = required_text(
            "identity.provider",
            assertion.provider,
            "Name the e-legitimation used (e.g. `bankid`, `freja`).",
            errors,
        );
        let transaction = required_text(
            "identity.transaction_reference",
            assertion.transaction_reference,
            "Give the identity provider's reference of the login (e.g. the BankID order reference).",
            errors,
        );
        if errors.len() > before {
            return None;
        }
        let (level, authenticated) = (level?, authenticated?);
        let matches = if self.subject.as_deref() == Some(authenticated.as_str()) {
            "subject"
        } else if self.representative.as_deref() == Some(authenticated.as_str()) {
            "representative"
        } else {
            "nobody"
        };
        let strong_enough = level >= self.minimum_assurance;
        let verified = strong_enough && matches != "nobody";
        let outcome = match (matches, strong_enough) {
            ("nobody", _) => "number_matches_no_party",
            (_, false) => "assurance_too_low",
            ("subject", true) => "subject_verified",
            _ => "representative_verified",
        };
        // The evidence never holds the number: it is the party's own, or a stranger's.
        let evidence = serde_json::json!({
            "method": IdentityMethod::ELegitimation,
            "assurance": level.as_str(),
            "minimum_assurance": self.minimum_assurance.as_str(),
            "provider": provider,
            "transaction_reference": transaction,
            "matches": matches,
            "outcome": outcome,
        });
        let identity = || {
            self.verified(
                IdentityMethod::ELegitimation,
                Some(level.as_str().to_owned()),
            )
        };
        Some(Established {
            subject: (verified && matches == "subject").then(identity),
            representative: (verified && matches == "representative").then(identity),
            evidence: Some(evidence),
        })
    }

    fn verified(&self, method: IdentityMethod, detail: Option<String>) -> VerifiedIdentity {
        VerifiedIdentity {
            method,
            assurance: detail,
            verified_at: self.now,
            verified_by: self.user.sub.clone(),
        }
    }
}

/// A short one-line text the request must give.
fn required_text(
    field: &str,
    text: Option<String>,
    message: &str,
    errors: &mut Vec<FieldError>,
) -> Option<String> {
    const MAX: usize = 200;
    let text = text.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty());
    match text {
        None => {
            errors.push(FieldError::new(field, "required", message));
            None
        }
        Some(t) if t.chars().count() > MAX || t.chars().any(char::is_control) => {
            errors.push(FieldError::new(
                field,
                "invalid",
                format!("At most {MAX} characters of text."),
            ));
            None
        }
        Some(t) => Some(t),
    }
}

fn parse_controllers(ids: &[String], errors: &mut Vec<FieldError>) -> Vec<ControllerId> {
    let mut controllers: Vec<ControllerId> = Vec::new();
    for (i, id) in ids.iter().enumerate() {
        match ControllerId::parse(id.trim()) {
            Ok(id) if controllers.contains(&id) => {}
            Ok(id) => controllers.push(id),
            Err(message) => errors.push(FieldError::new(
                format!("controllers[{i}]"),
                "invalid_controller",
                message,
            )),
        }
    }
    controllers
}

fn parse_categories(categories: Vec<String>, errors: &mut Vec<FieldError>) -> Vec<String> {
    if categories.len() > MAX_CATEGORIES {
        errors.push(FieldError::new(
            "subject_categories",
            "too_many",
            format!("At most {MAX_CATEGORIES} categories."),
        ));
    }
    let mut out: Vec<String> = Vec::new();
    for (i, category) in categories.into_iter().enumerate() {
        let category = category.trim().to_owned();
        if category.is_empty() || category.chars().count() > MAX_NAME {
            errors.push(FieldError::new(
                format!("subject_categories[{i}]"),
                "invalid",
                format!("A category is 1-{MAX_NAME} characters."),
            ));
        } else if !out.contains(&category) {
            out.push(category);
        }
    }
    out
}
