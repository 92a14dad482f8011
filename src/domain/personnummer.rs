//! Swedish personal identity numbers: personnummer and samordningsnummer.
//!
//! Legal sources:
//! * **Personnummer**, folkbokföringslagen (1991:481) 18 §: a birth date written with six
//!   digits (year, month, day), a three-digit birth number (födelsenummer), odd for men and
//!   even for women, and a check digit. A hyphen separates birth date and birth number; it
//!   becomes a plus sign from the calendar year the person turns 100 (18 § andra stycket).
//!   Registers store the birth date with eight digits, i.e. with the century (18 § fjärde
//!   stycket).
//! * **Samordningsnummer**, folkbokföringslagen 18 a §: the same structure for people who are
//!   not and have not been folkbokförda, with 60 added to the day.
//! * Skatteverket's rättsliga vägledning on 18 § adds the details the statute leaves out: the
//!   birth number is 001-999, the check digit is computed with the modulus-10 (Luhn) method and
//!   the weights 2 and 1, and the stored century is 18, 19 or 20.
//!
//! The parser is pure: the current date is injected as `today`, which decides the century of
//! the short forms and the `+`/`-` separator.

use chrono::{Datelike, NaiveDate};
use std::fmt;

/// Added to the day of a samordningsnummer (folkbokföringslagen 18 a §).
const SAMORDNING_DAY_OFFSET: u32 = 60;

/// Earliest birth year accepted. Skatteverket stores the century as 18, 19 or 20; personnummer
/// were introduced in 1947, so nobody holding one was born before 1800.
const MIN_YEAR: i32 = 1800;

/// Letters Skatteverket and the regions use in the first birth-number position of interim
/// (reserve) numbers. Such numbers are not legal identities under 18 § or 18 a §.
const INTERIM_LETTERS: &[u8] = b"TRSUWXJKLMN";

/// Which kind of identity number was parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdentityNumberKind {
    /// Personnummer (folkbokföringslagen 18 §).
    Personnummer,
    /// Samordningsnummer (folkbokföringslagen 18 a §): day + 60.
    Samordningsnummer,
}

/// Why a string is not a valid personnummer or samordningsnummer.
///
/// The [`Display`](fmt::Display) messages are meant for API clients and never contain the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PersonnummerError {
    /// Nothing but whitespace was given.
    Empty,
    /// Not one of the written forms YYMMDD-NNNC, YYMMDD+NNNC, YYMMDDNNNC, YYYYMMDDNNNC,
    /// YYYYMMDD-NNNC, YYYYMMDD+NNNC.
    InvalidFormat,
    /// The birth date does not exist (or, for a samordningsnummer, month or day is out of range).
    InvalidDate,
    /// The birth date lies after `today`.
    FutureDate,
    /// The birth number is 000, which is never assigned.
    SerialZero,
    /// The check digit does not match.
    InvalidChecksum,
    /// An interim (reserve) number with a letter in the birth number.
    InterimNumber,
    /// An organisation number (the month digits are 20 or more).
    OrganisationNumber,
}

impl PersonnummerError {
    /// A stable snake_case code for API responses.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Empty => "empty",
            Self::InvalidFormat => "invalid_format",
            Self::InvalidDate => "invalid_date",
            Self::FutureDate => "future_date",
            Self::SerialZero => "serial_zero",
            Self::InvalidChecksum => "invalid_checksum",
            Self::InterimNumber => "interim_number",
            Self::OrganisationNumber => "organisation_number",
        }
    }
}

impl fmt::Display for PersonnummerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Empty => "no personnummer was given",
            Self::InvalidFormat => {
                "a personnummer must be written as YYMMDD-NNNC, YYMMDD+NNNC, YYMMDDNNNC, \
                 YYYYMMDD-NNNC or YYYYMMDDNNNC"
            }
            Self::InvalidDate => "the birth date in the personnummer does not exist",
            Self::FutureDate => "the birth date in the personnummer is in the future",
            Self::SerialZero => "the birth number (födelsenummer) of a personnummer cannot be zero",
            Self::InvalidChecksum => {
                "the check digit of the personnummer does not match; please check for typing errors"
            }
            Self::InterimNumber => {
                "this is an interim number (reservnummer), not a personnummer or samordningsnummer"
            }
            Self::OrganisationNumber => {
                "this is an organisation number (organisationsnummer), not a personnummer or \
                 samordningsnummer"
            }
        })
    }
}

impl std::error::Error for PersonnummerError {}

/// A valid personnummer or samordningsnummer, stored as its twelve digits.
///
/// `Debug` is redacted and there is deliberately no `Display`: the number is personal data and
/// must be rendered explicitly with [`normalized`](Self::normalized) or
/// [`separated`](Self::separated).
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Personnummer {
    /// Full birth year (century included).
    year: i32,
    /// Month as written: 1-12, or 0 for a samordningsnummer with unknown month.
    month: u32,
    /// Day as written: 1-31, or 60-91 for a samordningsnummer (60: unknown day).
    day: u32,
    /// Birth number (födelsenummer / individnummer), 1-999.
    serial: u32,
    /// Check digit.
    check: u32,
}

impl fmt::Debug for Personnummer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Personnummer(<redacted>)")
    }
}

impl Personnummer {
    /// Parses a personnummer or samordningsnummer written in any of the forms of 18 §:
    /// `YYMMDD-NNNC`, `YYMMDD+NNNC`, `YYMMDDNNNC`, `YYYYMMDDNNNC`, `YYYYMMDD-NNNC` (or `+`).
    /// Surrounding whitespace is ignored.
    ///
    /// For the short forms the century comes from `today` and the separator (18 § andra
    /// stycket): with `-` or none, the birth year is the latest year ending in `YY` that is not
    /// after `today`'s year; with `+` (100 years or older) the latest such year not after
    /// `today`'s year minus 100. A long form carries its century and accepts either separator.
    pub fn parse(input: &str, today: NaiveDate) -> Result<Self, PersonnummerError> {
        use PersonnummerError as E;

        let s = input.trim();
        if s.is_empty() {
            return Err(E::Empty);
        }
        let b = s.as_bytes();
        let (date_part, separator, serial_part) = match b.len() {
            10 | 12 => (&b[..b.len() - 4], None, &b[b.len() - 4..]),
            11 | 13 => (&b[..b.len() - 5], Some(b[b.len() - 5]), &b[b.len() - 4..]),
            _ => return Err(E::InvalidFormat),
        };
        if !all_digits(date_part) || !matches!(separator, None | Some(b'-' | b'+')) {
            return Err(E::InvalidFormat);
        }
        if !all_digits(&serial_part[1..]) {
            return Err(E::InvalidFormat);
        }
        if INTERIM_LETTERS.contains(&serial_part[0].to_ascii_uppercase()) {
            return Err(E::InterimNumber);
        }
        if !serial_part[0].is_ascii_digit() {
            return Err(E::InvalidFormat);
        }

        // The ten-digit form YYMMDDNNNC, and the century if written.
        let digits: Vec<u32> = date_part
            .iter()
            .chain(serial_part)
            .map(|c| u32::from(c - b'0'))
            .collect();
        let (century, ten) = digits.split_at(digits.len() - 10);
        let number = |d: &[u32]| d.iter().fold(0, |n, &d| n * 10 + d);
        let (yy, month, day) = (number(&ten[0..2]), number(&ten[2..4]), number(&ten[4..6]));
        let (serial, check) = (number(&ten[6..9]), ten[9]);

        // Organisation numbers (organisationsnummer) share the ten-digit layout and the check
        // digit method but always have 20 or more in the month position, which no personnummer
        // or samordningsnummer has. Their twelve-digit form is prefixed with "16". A ten-digit
        // number whose check digit fails is a mistyped personnummer, whatever its month says.
        let organisation_form = century == [1, 6];
        if luhn(&ten[..9]) != check && !organisation_form {
            return Err(E::InvalidChecksum);
        }
        if month >= 20 || organisation_form {
            return Err(E::OrganisationNumber);
        }

        let year = if century.is_empty() {
            let reference = if separator == Some(b'+') {
                today.year() - 100
            } else {
                today.year()
            };
            // yy is at most 99, so the cast is lossless.
            reference - (reference - yy as i32).rem_euclid(100)
        } else {
            // At most 9999, so the cast is lossless.
            (number(century) * 100 + yy) as i32
        };

        let mut pnr = Personnummer {
            year,
            month,
            day,
            serial,
            check,
        };
        // A ten-digit form without separator says nothing of the century: it names the latest
        // such birth date not after today. Someone who turns 100 later this year (and would
        // write `+`) is otherwise read as born later this year, in the future. With `-` the
        // writer says the person is younger, and such a date stays in the future.
        if century.is_empty()
            && separator.is_none()
            && pnr.birth_date().is_some_and(|birth| birth > today)
        {
            pnr.year -= 100;
        }
        let date_ok = pnr.year >= MIN_YEAR
            && match pnr.kind() {
                // 18 §: a real calendar date.
                IdentityNumberKind::Personnummer => pnr.birth_date().is_some(),
                // 18 a §: day + 60. Skatteverket also issues numbers whose birth date is partly
                // unknown (month 00, day 60) or does not exist (e.g. 31 April); accept them.
                IdentityNumberKind::Samordningsnummer => {
                    month <= 12 && day <= SAMORDNING_DAY_OFFSET + 31
                }
            };
        if !date_ok {
            return Err(E::InvalidDate);
        }
        if serial == 0 {
            return Err(E::SerialZero);
        }
        let in_future = match pnr.birth_date() {
            Some(date) => date > today,
            None => pnr.year > today.year(),
        };
        if in_future {
            return Err(E::FutureDate);
        }
        Ok(pnr)
    }

    /// The normalised twelve-digit form `YYYYMMDDNNNC`, digits as written (a samordningsnummer
    /// keeps its day + 60), as registers store it (18 § fjärde stycket).
    pub fn normalized(&self) -> String {
        format!(
            "{:04}{:02}{:02}{:03}{}",
            self.year, self.month, self.day, self.serial, self.check
        )
    }

    /// Whether this is a personnummer or a samordningsnummer.
    pub fn kind(&self) -> IdentityNumberKind {
        if self.day >= SAMORDNING_DAY_OFFSET {
            IdentityNumberKind::Samordningsnummer
        } else {
            IdentityNumberKind::Personnummer
        }
    }

    /// True for a samordningsnummer (folkbokföringslagen 18 a §).
    /// The birth year, known even when the rest of a samordningsnummer's date is not.
    pub fn birth_year(&self) -> i32 {
        self.year
    }

    pub fn is_samordningsnummer(&self) -> bool {
        self.kind() == IdentityNumberKind::Samordningsnummer
    }

    /// The birth date, or `None` for a samordningsnummer whose date is partly unknown
    /// (month 00 or day 60) or does not exist in the calendar.
    pub fn birth_date(&self) -> Option<NaiveDate> {
        let day = match self.kind() {
            IdentityNumberKind::Personnummer => self.day,
            IdentityNumberKind::Samordningsnummer => self.day - SAMORDNING_DAY_OFFSET,
        };
        NaiveDate::from_ymd_opt(self.year, self.month, day)
    }

    /// Age in completed years on `date`; `None` when the birth date is unknown or `date` is
    /// before it. Someone born on 29 February turns a year older on 1 March in common years.
    pub fn age_on(&self, date: NaiveDate) -> Option<u32> {
        let birth = self.birth_date()?;
        if date < birth {
            return None;
        }
        let had_birthday = (date.month(), date.day()) >= (birth.month(), birth.day());
        let age = date.year() - birth.year() - i32::from(!had_birthday);
        u32::try_from(age).ok()
    }

    /// True if the birth number is odd (18 § andra stycket, 18 a §).
    pub fn is_male(&self) -> bool {
        self.serial % 2 == 1
    }

    /// The ten-digit presentation form `YYMMDD-NNNC`, with `+` instead of `-` from the calendar
    /// year the person turns 100 (18 § andra stycket).
    pub fn separated(&self, today: NaiveDate) -> String {
        let separator = if today.year() - self.year >= 100 {
            '+'
        } else {
            '-'
        };
        format!(
            "{:02}{:02}{:02}{}{:03}{}",
            self.year % 100,
            self.month,
            self.day,
            separator,
            self.serial,
            self.check
        )
    }
}

fn all_digits(bytes: &[u8]) -> bool {
    bytes.iter().all(u8::is_ascii_digit)
}

/// Modulus-10 (Luhn) check digit over `YYMMDDNNN` with the weights 2, 1, 2, 1, ...
fn luhn(digits: &[u32]) -> u32 {
    let sum: u32 = digits
        .iter()
        .zip([2, 1].iter().cycle())
        .map(|(d, w)| {
            let p = d * w;
            p / 10 + p % 10
        })
        .sum();
    (10 - sum % 10) % 10
}
