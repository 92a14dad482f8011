//! People without a Swedish personnummer or samordningsnummer (domain.md §8): EU citizens who
//! are not folkbokförda, contractors' staff, asylum seekers. They have the same rights and are
//! identified by their date of birth and an identity document (a passport, a national ID card,
//! the Migrationsverket LMA card); only a person can verify such an identity, by hand.
//!
//! A case is found again by the document's identifier, folded so that the ways people write it
//! ("C01X 00T47", "c01x-00t47") are the same key.

use chrono::NaiveDate;
use std::fmt;

const MAX_IDENTIFIER: usize = 40;
const MIN_IDENTIFIER: usize = 4;
const MAX_DOCUMENT: usize = 100;
/// Nobody alive was born before this year (the oldest living people were born after 1900).
const EARLIEST_BIRTH_YEAR: i32 = 1900;

/// Prefix of the stored search key of a subject found by another identifier; a normalised
/// personnummer is twelve digits, so the two kinds of key never meet.
const KEY_PREFIX: &str = "other:";

/// Why another identity was not accepted. Messages are for API clients and never hold the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OtherIdentityError {
    IdentifierMissing,
    IdentifierInvalid,
    DocumentMissing,
    DocumentInvalid,
    BirthDateInFuture,
    BirthDateTooEarly,
    CountryInvalid,
}

impl OtherIdentityError {
    /// The field under `other_identity` the error is about.
    pub fn field(self) -> &'static str {
        match self {
            Self::IdentifierMissing | Self::IdentifierInvalid => "identifier",
            Self::DocumentMissing | Self::DocumentInvalid => "document_type",
            Self::BirthDateInFuture | Self::BirthDateTooEarly => "date_of_birth",
            Self::CountryInvalid => "country",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::IdentifierMissing | Self::DocumentMissing => "required",
            Self::IdentifierInvalid => "invalid_identifier",
            Self::DocumentInvalid => "invalid",
            Self::BirthDateInFuture => "in_the_future",
            Self::BirthDateTooEarly => "too_early",
            Self::CountryInvalid => "invalid_country",
        }
    }
}

impl fmt::Display for OtherIdentityError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::IdentifierMissing => "Give the number of the identity document.",
            Self::IdentifierInvalid => {
                "A document number is 4-40 letters and digits; spaces and hyphens are ignored."
            }
            Self::DocumentMissing => {
                "Name the kind of identity document, e.g. `pass` or `nationellt id-kort`."
            }
            Self::DocumentInvalid => "The kind of document is at most 100 characters of text.",
            Self::BirthDateInFuture => "The date of birth may not be in the future.",
            Self::BirthDateTooEarly => "The date of birth is before 1900.",
            Self::CountryInvalid => {
                "The issuing country is a two-letter ISO 3166 code, e.g. `DE` or `PL`."
            }
        })
    }
}

/// A person identified by a document other than a Swedish number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OtherIdentity {
    pub date_of_birth: NaiveDate,
    /// The document's number, folded: upper case, no spaces or hyphens.
    pub identifier: String,
    /// The kind of document, as staff wrote it (`pass`, `nationellt id-kort`, `LMA-kort`).
    pub document_type: String,
    /// The issuing country, ISO 3166-1 alpha-2 in upper case.
    pub country: Option<String>,
}

impl OtherIdentity {
    pub fn parse(
        date_of_birth: NaiveDate,
        identifier: &str,
        document_type: &str,
        country: Option<&str>,
        today: NaiveDate,
    ) -> Result<Self, Vec<OtherIdentityError>> {
        let mut errors = Vec::new();
        if date_of_birth > today {
            errors.push(OtherIdentityError::BirthDateInFuture);
        } else if date_of_birth < NaiveDate::from_ymd_opt(EARLIEST_BIRTH_YEAR, 1, 1).expect("date")
        {
            errors.push(OtherIdentityError::BirthDateTooEarly);
        }
        let folded = fold_identifier(identifier);
        if let Err(e) = &folded {
            errors.push(*e);
        }
        let document = document_type.trim();
        if document.is_empty() {
            errors.push(OtherIdentityError::DocumentMissing);
        } else if document.chars().count() > MAX_DOCUMENT || document.chars().any(char::is_control)
        {
            errors.push(OtherIdentityError::DocumentInvalid);
        }
        let country = country.map(str::trim).filter(|c| !c.is_empty());
        let country = match country {
            None => None,
            Some(c) if c.len() == 2 && c.chars().all(|ch| ch.is_ascii_alphabetic()) => {
                Some(c.to_ascii_uppercase())
            }
            Some(_) => {
                errors.push(OtherIdentityError::CountryInvalid);
                None
            }
        };
        match folded {
            Ok(identifier) if errors.is_empty() => Ok(OtherIdentity {
                date_of_birth,
                identifier,
                document_type: document.to_owned(),
                country,
            }),
            _ => Err(errors),
        }
    }

    /// The key the case is stored and searched under.
    pub fn search_key(&self) -> String {
        key_of(&self.identifier)
    }
}

/// The folded identifier: letters and digits in upper case, spaces and hyphens dropped.
pub fn fold_identifier(text: &str) -> Result<String, OtherIdentityError> {
    let folded: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if folded.is_empty() {
        Err(OtherIdentityError::IdentifierMissing)
    } else if !(MIN_IDENTIFIER..=MAX_IDENTIFIER).contains(&folded.len())
        || !folded.chars().all(|c| c.is_ascii_alphanumeric())
    {
        Err(OtherIdentityError::IdentifierInvalid)
    } else {
        Ok(folded)
    }
}

/// The search key of a folded identifier.
pub fn key_of(folded_identifier: &str) -> String {
    format!("{KEY_PREFIX}{folded_identifier}")
}

/// Age in whole years on `date`.
pub fn age_on(date_of_birth: NaiveDate, date: NaiveDate) -> u32 {
    date.years_since(date_of_birth).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn the_ways_a_document_number_is_written_fold_to_one_key() {
        for written in [
            "C01X00T47",
            "c01x00t47",
            "C01X 00T47",
            "c01x-00t47",
            " C01X00T47 ",
        ] {
            assert_eq!(
                fold_identifier(written),
                Ok("C01X00T47".into()),
                "{written}"
            );
        }
        assert_eq!(key_of("C01X00T47"), "other:C01X00T47");
    }

    #[test]
    fn a_key_of_another_identifier_is_never_a_personnummer() {
        let key = key_of("199001011234");
        assert!(!key.chars().all(|c| c.is_ascii_digit()));
    }

    #[test]
    fn bad_identifiers_are_refused_without_echoing_them() {
        assert_eq!(
            fold_identifier("  "),
            Err(OtherIdentityError::IdentifierMissing)
        );
        for bad in ["AB1", "ÅÄÖ12345", "AB/12345", &"9".repeat(41)] {
            let err = fold_identifier(bad).unwrap_err();
            assert_eq!(err, OtherIdentityError::IdentifierInvalid, "{bad}");
            assert!(!err.to_string().contains(bad));
        }
    }

    #[test]
    fn every_field_is_checked() {
        let today = day(2026, 3, 2);
        let errors =
            OtherIdentity::parse(day(2027, 1, 1), "", " ", Some("Deutschland"), today).unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field()).collect();
        assert_eq!(
            fields,
            ["date_of_birth", "identifier", "document_type", "country"]
        );
        assert_eq!(
            OtherIdentity::parse(day(1899, 12, 31), "C01X00T47", "pass", None, today).unwrap_err(),
            [OtherIdentityError::BirthDateTooEarly]
        );
    }

    #[test]
    fn a_passport_of_a_german_citizen() {
        let id = OtherIdentity::parse(
            day(1985, 4, 12),
            "c01x 00t47",
            " pass ",
            Some("de"),
            day(2026, 3, 2),
        )
        .unwrap();
        assert_eq!(id.identifier, "C01X00T47");
        assert_eq!(id.document_type, "pass");
        assert_eq!(id.country.as_deref(), Some("DE"));
        assert_eq!(id.search_key(), "other:C01X00T47");
    }

    #[test]
    fn age_counts_whole_years() {
        assert_eq!(age_on(day(2008, 3, 2), day(2026, 3, 1)), 17);
        assert_eq!(age_on(day(2008, 3, 2), day(2026, 3, 2)), 18);
        assert_eq!(age_on(day(2008, 2, 29), day(2026, 2, 28)), 17);
    }
}
