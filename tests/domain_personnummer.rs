//! Tests of the personnummer parser against the shared public test vectors in
//! `tests/data/personnummer/` (see `tests/data/README.md`) and hand-made edge cases.

use chrono::{Datelike, NaiveDate};
use dsar::domain::personnummer::*;
use serde::Deserialize;
use std::collections::HashSet;

use PersonnummerError as E;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// The fixed "today" for the tests that do not concern `list.json`.
fn today() -> NaiveDate {
    date(2026, 11, 26)
}

fn load<T: serde::de::DeserializeOwned>(file: &str) -> T {
    let path = format!(
        "{}/tests/data/personnummer/{file}",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// A record of `list.json` or `interim.json`.
#[derive(Deserialize)]
struct Record {
    long_format: String,
    short_format: String,
    separated_format: String,
    separated_long: String,
    valid: bool,
    #[serde(rename = "type")]
    kind: String,
    #[serde(rename = "isMale")]
    is_male: bool,
    #[serde(rename = "isFemale")]
    is_female: bool,
}

impl Record {
    fn forms(&self) -> [&str; 4] {
        [
            &self.long_format,
            &self.short_format,
            &self.separated_format,
            &self.separated_long,
        ]
    }
}

/// A record of `orgnumber.json`.
#[derive(Deserialize)]
struct OrgRecord {
    short_format: String,
    separated_format: String,
}

/// Appends the Luhn check digit to nine digits `YYMMDDNNN`, optionally prefixed by a century
/// and with a separator before the birth number. Independent of the implementation under test.
fn with_check(century: &str, yymmdd: &str, sep: &str, nnn: &str) -> String {
    let nine: Vec<u32> = format!("{yymmdd}{nnn}")
        .chars()
        .map(|c| c.to_digit(10).unwrap())
        .collect();
    assert_eq!(nine.len(), 9);
    let sum: u32 = nine
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let p = if i % 2 == 0 { d * 2 } else { *d };
            p / 10 + p % 10
        })
        .sum();
    format!("{century}{yymmdd}{sep}{nnn}{}", (10 - sum % 10) % 10)
}

fn parse(s: &str) -> Result<Personnummer, PersonnummerError> {
    Personnummer::parse(s, today())
}

fn ok(s: &str) -> Personnummer {
    parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
}

// ---------------------------------------------------------------------------------------------
// Skatteverket's test personnummer and samordningsnummer
// ---------------------------------------------------------------------------------------------

#[test]
fn all_test_personnummer_are_valid_in_every_form() {
    let pins: Vec<String> = load("allPins.json");
    assert_eq!(pins.len(), 41_129);
    // The list holds two numbers twice (202001092390 and 202101012397).
    assert_eq!(pins.iter().collect::<HashSet<_>>().len(), 41_127);

    let today = today();
    let (mut plus, mut without_separator) = (0, 0);
    for pin in &pins {
        let p = ok(pin);
        assert_eq!(p.kind(), IdentityNumberKind::Personnummer, "{pin}");
        assert!(!p.is_samordningsnummer(), "{pin}");
        assert_eq!(p.normalized(), *pin);
        let expected_date = NaiveDate::parse_from_str(&pin[..8], "%Y%m%d").unwrap();
        assert_eq!(p.birth_date(), Some(expected_date), "{pin}");
        let ninth: u32 = pin[10..11].parse().unwrap();
        assert_eq!(p.is_male(), ninth % 2 == 1, "{pin}");

        // Long form with separator.
        let long_separated = format!("{}-{}", &pin[..8], &pin[8..]);
        assert_eq!(ok(&long_separated), p, "{long_separated}");

        // Short form with separator, `+` from the calendar year the person turns 100.
        let short = p.separated(today);
        let turns_100 = expected_date.year() + 100 <= today.year();
        assert_eq!(&short[6..7], if turns_100 { "+" } else { "-" }, "{pin}");
        assert_eq!(&short[..6], &pin[2..8]);
        assert_eq!(&short[7..], &pin[8..]);
        assert_eq!(ok(&short), p, "{short}");

        // Short form without separator: the latest such date not after today. It names this
        // person while the separator is `-`, and in the year of the 100th birthday until that
        // birthday (the same date a century later is still in the future).
        let bare = short.replace(['-', '+'], "");
        let a_century_later = expected_date.with_year(expected_date.year() + 100);
        if turns_100 && a_century_later.is_some_and(|d| d > today) {
            without_separator += 1;
            assert_eq!(ok(&bare), p, "{bare}");
        } else if turns_100 {
            plus += 1;
            assert_ne!(
                parse(&bare).ok().map(|q| q.normalized()),
                Some(pin.clone()),
                "{bare}"
            );
        } else {
            without_separator += 1;
            assert_eq!(ok(&bare), p, "{bare}");
        }
    }
    assert_eq!(plus + without_separator, 41_129);
    assert!(plus > 0 && without_separator > 0);
}

#[test]
fn all_test_samordningsnummer_are_valid() {
    let coords: Vec<String> = load("allCoords.json");
    assert_eq!(coords.len(), 2_264);

    let today = today();
    let mut unknown_or_nonexistent = 0;
    for coord in &coords {
        let p = ok(coord);
        assert_eq!(p.kind(), IdentityNumberKind::Samordningsnummer, "{coord}");
        assert!(p.is_samordningsnummer());
        assert_eq!(p.normalized(), *coord);

        let field = |r: std::ops::Range<usize>| coord[r].parse::<u32>().unwrap();
        let (year, month, day) = (field(0..4) as i32, field(4..6), field(6..8));
        assert!((60..=91).contains(&day), "{coord}");
        let real = NaiveDate::from_ymd_opt(year, month, day - 60);
        assert_eq!(p.birth_date(), real, "{coord}");
        match real {
            Some(birth) => assert_eq!(p.age_on(birth), Some(0)),
            None => {
                unknown_or_nonexistent += 1;
                assert_eq!(p.age_on(today), None, "{coord}");
            }
        }

        let short = p.separated(today);
        assert_eq!(&short[..6], &coord[2..8], "{coord}");
        assert_eq!(ok(&short), p, "{short}");
        assert_eq!(ok(&format!("{}-{}", &coord[..8], &coord[8..])), p);
    }
    // 170 with month 00 or day 60 (README) and 24 whose day does not exist in the month.
    assert_eq!(unknown_or_nonexistent, 170 + 24);
}

// ---------------------------------------------------------------------------------------------
// list.json
// ---------------------------------------------------------------------------------------------

/// The expected error for each invalid record of `list.json`.
fn list_error(long_format: &str) -> PersonnummerError {
    match long_format {
        "201509160006" => E::SerialZero,
        "197004289895" | "194205669899" | "196004309886" | "197210869924" => E::InvalidChecksum,
        "19090527 1474" => E::InvalidFormat,
        other => panic!("unexpected invalid record {other}"),
    }
}

/// `list.json` was generated in 2023 with its `+`/`-` separators frozen then. Every date of
/// 2023 makes the file consistent: the two `+` records were born in 1909 (`+` from 2009 on),
/// the `-` records in 1946-2021 (`-` until at least 2045), and the latest birth date,
/// 2021-07-31 (a samordningsnummer), is before 2023. So both ends of 2023 are checked.
#[test]
fn list_json_agrees_throughout_2023() {
    let records: Vec<Record> = load("list.json");
    assert_eq!(records.len(), 14);
    for today in [date(2023, 1, 1), date(2023, 12, 31)] {
        for r in &records {
            for form in r.forms() {
                let result = Personnummer::parse(form, today);
                assert_eq!(result.is_ok(), r.valid, "{form} on {today}");
                let p = match result {
                    Ok(p) => p,
                    Err(e) => {
                        assert_eq!(e, list_error(&r.long_format), "{form}");
                        continue;
                    }
                };
                let kind = match r.kind.as_str() {
                    "ssn" => IdentityNumberKind::Personnummer,
                    "con" => IdentityNumberKind::Samordningsnummer,
                    other => panic!("unexpected type {other}"),
                };
                assert_eq!(p.kind(), kind, "{form}");
                assert_eq!(p.is_male(), r.is_male, "{form}");
                assert_eq!(p.is_male(), !r.is_female, "{form}");

                if form == r.short_format && r.separated_format.contains('+') {
                    // Without a separator a short form reads like `-`: in 2023 "090527..."
                    // is someone born in 2009, not the 1909 person of the record.
                    assert_eq!(p.normalized(), format!("20{form}"));
                } else {
                    assert_eq!(p.normalized(), r.long_format, "{form}");
                }
            }
            if r.valid {
                let p = Personnummer::parse(&r.long_format, today).unwrap();
                assert_eq!(p.separated(today), r.separated_format);
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Interim numbers and organisation numbers
// ---------------------------------------------------------------------------------------------

#[test]
fn interim_numbers_are_rejected_as_such() {
    let records: Vec<Record> = load("interim.json");
    assert_eq!(records.len(), 12);
    let mut letters = String::new();
    for r in &records {
        assert_eq!(r.kind, "interim");
        for form in r.forms() {
            let expected = if r.valid {
                E::InterimNumber
            } else {
                // "20000101E221": E is not an interim letter (and its check digit is wrong
                // for an interim number too); the file marks it invalid. It is neither a
                // personnummer nor an interim number, so it is an invalid format.
                E::InvalidFormat
            };
            assert_eq!(parse(form).unwrap_err(), expected, "{form}");
        }
        if r.valid {
            letters.push_str(&r.long_format[8..9]);
        }
    }
    assert_eq!(letters, "TRSUWXJKLMN");
    // Lower case too, and a letter in another position is just a bad format.
    assert_eq!(parse("000101-t220").unwrap_err(), E::InterimNumber);
    assert_eq!(parse("000101-2T20").unwrap_err(), E::InvalidFormat);
    assert_eq!(parse("000101-E220").unwrap_err(), E::InvalidFormat);
}

#[test]
fn organisation_numbers_are_rejected_as_such() {
    let records: Vec<OrgRecord> = load("orgnumber.json");
    assert_eq!(records.len(), 6);
    for r in &records {
        let plus = r.separated_format.replace('-', "+");
        let forms = [
            r.short_format.clone(),
            r.separated_format.clone(),
            plus,
            format!("16{}", r.short_format),
            format!("16{}", r.separated_format),
        ];
        for form in &forms {
            assert_eq!(parse(form).unwrap_err(), E::OrganisationNumber, "{form}");
        }
    }
    // The twelve-digit organisation form "16" + 557209-0606 says what it is even with a wrong
    // check digit (the AP-fond number is 857209-0606).
    assert_eq!(parse("165572090606").unwrap_err(), E::OrganisationNumber);
    assert_eq!(parse("168572090606").unwrap_err(), E::OrganisationNumber);
    // A mistyped personnummer with 2x in the month fails its check digit and is called
    // mistyped, not an organisation number: 19121212-1212 with the month typed 22.
    assert_eq!(parse("19122212-1212").unwrap_err(), E::InvalidChecksum);
    assert_eq!(parse("122212-1212").unwrap_err(), E::InvalidChecksum);
    // Month 20 is the lowest organisation-number month; 13-19 is just an invalid date.
    assert_eq!(
        parse(&with_check("", "122001", "-", "123")).unwrap_err(),
        E::OrganisationNumber
    );
    for month in 13..=19 {
        let n = with_check("", &format!("12{month}01"), "-", "123");
        assert_eq!(parse(&n).unwrap_err(), E::InvalidDate, "{n}");
    }
}

// ---------------------------------------------------------------------------------------------
// Rules one by one
// ---------------------------------------------------------------------------------------------

#[test]
fn classic_test_number() {
    let p = ok("19121212-1212");
    assert_eq!(p.normalized(), "191212121212");
    assert_eq!(p.kind(), IdentityNumberKind::Personnummer);
    assert_eq!(p.birth_date(), Some(date(1912, 12, 12)));
    assert!(p.is_male());
    assert_eq!(p.separated(today()), "121212+1212");
    for form in ["191212121212", "19121212+1212", "121212+1212"] {
        assert_eq!(ok(form), p, "{form}");
    }
    // Without `+` the short form is someone born in 2012.
    assert_eq!(ok("121212-1212").normalized(), "201212121212");
    assert_eq!(ok("1212121212").normalized(), "201212121212");
}

#[test]
fn serial_zero_is_invalid() {
    let n = with_check("19", "121212", "-", "000");
    assert_eq!(parse(&n).unwrap_err(), E::SerialZero);
    let n = with_check("", "121212", "+", "000");
    assert_eq!(parse(&n).unwrap_err(), E::SerialZero);
    // The samordningsnummer individnummer 000 is not used either.
    let n = with_check("19", "121272", "", "000");
    assert_eq!(parse(&n).unwrap_err(), E::SerialZero);
    assert!(parse(&with_check("19", "121212", "-", "001")).is_ok());
}

#[test]
fn bad_check_digit_is_invalid() {
    assert_eq!(parse("19121212-1213").unwrap_err(), E::InvalidChecksum);
    assert_eq!(parse("1212121211").unwrap_err(), E::InvalidChecksum);
    // Every wrong check digit of a valid number fails.
    for c in (0..=9).filter(|&c| c != 2) {
        let n = format!("19121212121{c}");
        assert_eq!(parse(&n).unwrap_err(), E::InvalidChecksum, "{n}");
    }
    // A swap of two adjacent digits is caught.
    assert_eq!(parse("19121221-1212").unwrap_err(), E::InvalidChecksum);
}

#[test]
fn leap_days() {
    let p = ok(&with_check("20", "000229", "-", "239"));
    assert_eq!(p.birth_date(), Some(date(2000, 2, 29)));
    assert!(parse(&with_check("20", "040229", "", "123")).is_ok());
    // 1900 and 2023 are not leap years.
    for n in [
        with_check("19", "000229", "-", "239"),
        with_check("", "000229", "+", "239"), // 1900 in 2026
        with_check("20", "230229", "", "123"),
        with_check("20", "230230", "", "123"),
    ] {
        assert_eq!(parse(&n).unwrap_err(), E::InvalidDate, "{n}");
    }
}

#[test]
fn impossible_dates() {
    for yymmdd in [
        "120001", "121300", "120100", "120132", "120431", "120159", "121292",
    ] {
        let n = with_check("19", yymmdd, "-", "123");
        assert_eq!(parse(&n).unwrap_err(), E::InvalidDate, "{n}");
    }
    // Centuries other than 18, 19, 20 do not occur (and 21xx would be in the future).
    assert_eq!(
        parse(&with_check("17", "991231", "", "123")).unwrap_err(),
        E::InvalidDate
    );
    assert!(parse(&with_check("18", "000101", "", "123")).is_ok());
}

#[test]
fn samordningsnummer_rules() {
    let p = ok("19730288-9931");
    assert!(p.is_samordningsnummer());
    assert_eq!(p.birth_date(), Some(date(1973, 2, 28)));
    assert_eq!(p.separated(today()), "730288-9931");
    assert_eq!(p.age_on(date(2023, 2, 28)), Some(50));

    // Day 61 and 91 are the bounds of a known day; 60 and month 00 mean unknown.
    assert_eq!(
        ok(&with_check("19", "730161", "-", "123")).birth_date(),
        Some(date(1973, 1, 1))
    );
    assert_eq!(
        ok(&with_check("19", "730191", "-", "123")).birth_date(),
        Some(date(1973, 1, 31))
    );
    for yymmdd in ["730060", "730160", "730065", "730491", "730289"] {
        let p = ok(&with_check("19", yymmdd, "-", "123"));
        assert!(p.is_samordningsnummer(), "{yymmdd}");
        assert_eq!(p.birth_date(), None, "{yymmdd}");
        assert_eq!(p.age_on(today()), None);
    }
    // Out of range: day 92-99, month 13.
    for yymmdd in ["730192", "730199", "731361"] {
        let n = with_check("19", yymmdd, "-", "123");
        assert_eq!(parse(&n).unwrap_err(), E::InvalidDate, "{n}");
    }
}

#[test]
fn future_dates() {
    // today() is 2026-11-26.
    let born_today = ok(&with_check("20", "261126", "-", "123"));
    assert_eq!(born_today.age_on(today()), Some(0));
    assert_eq!(
        parse(&with_check("20", "261127", "-", "123")).unwrap_err(),
        E::FutureDate
    );
    assert_eq!(
        parse(&with_check("20", "270101", "", "123")).unwrap_err(),
        E::FutureDate
    );
    // A real samordningsnummer date is compared as a date...
    assert_eq!(
        parse(&with_check("20", "261187", "", "123")).unwrap_err(),
        E::FutureDate
    );
    assert!(parse(&with_check("20", "261186", "", "123")).is_ok());
    // ...an unknown or nonexistent one only by its year.
    for yymmdd in ["261260", "260060", "261191"] {
        assert!(
            parse(&with_check("20", yymmdd, "", "123")).is_ok(),
            "{yymmdd}"
        );
    }
    for yymmdd in ["270060", "270160", "270291"] {
        let n = with_check("20", yymmdd, "", "123");
        assert_eq!(parse(&n).unwrap_err(), E::FutureDate, "{n}");
    }
}

#[test]
fn century_of_short_forms() {
    let today = today(); // 2026-11-26
    let year = |yymmdd: &str, sep: &str| {
        let n = with_check("", yymmdd, sep, "123");
        Personnummer::parse(&n, today)
            .map(|p| p.normalized()[..4].to_string())
            .map_err(|e| e.code())
    };
    // YY=25: with `-` (or none) in 2026 it is 2025, with `+` 1925.
    assert_eq!(year("250101", "-"), Ok("2025".into()));
    assert_eq!(year("250101", ""), Ok("2025".into()));
    assert_eq!(year("250101", "+"), Ok("1925".into()));
    // Around today's year: with `-` the writer says the person is under 100, so a later date
    // in the current year is in the future. Without a separator nothing is said: the latest
    // such date not after today is meant, a person who turns 100 later this year.
    assert_eq!(year("261126", "-"), Ok("2026".into()));
    assert_eq!(year("261127", "-"), Err("future_date"));
    assert_eq!(year("261126", ""), Ok("2026".into()));
    assert_eq!(year("261127", ""), Ok("1926".into()));
    assert_eq!(year("261231", ""), Ok("1926".into()));
    assert_eq!(year("270101", "-"), Ok("1927".into()));
    assert_eq!(year("000101", "-"), Ok("2000".into()));
    assert_eq!(year("991231", "-"), Ok("1999".into()));
    // With `+`: the latest matching year up to 1926.
    assert_eq!(year("261231", "+"), Ok("1926".into()));
    assert_eq!(year("270101", "+"), Ok("1827".into()));
    assert_eq!(year("991231", "+"), Ok("1899".into()));
    // On the first and last day of a year.
    let first = date(2027, 1, 1);
    let n = with_check("", "270101", "-", "123");
    assert_eq!(
        Personnummer::parse(&n, first).unwrap().normalized()[..4],
        *"2027"
    );
    let n = with_check("", "270101", "+", "123");
    assert_eq!(
        Personnummer::parse(&n, first).unwrap().normalized()[..4],
        *"1927"
    );
}

#[test]
fn plus_separator_from_the_year_of_the_100th_birthday() {
    let p = ok(&with_check("19", "251231", "-", "123"));
    // Turns 100 on 2025-12-31: `+` from 2025-01-01, even before the birthday.
    assert!(p.separated(date(2024, 12, 31)).contains('-'));
    assert!(p.separated(date(2025, 1, 1)).contains('+'));
    assert_eq!(p.age_on(date(2025, 1, 1)), Some(99));
    assert!(p.separated(date(2026, 11, 26)).contains('+'));
    // Long forms keep their century whatever the separator.
    assert_eq!(ok(&with_check("19", "251231", "+", "123")), p);
    assert_eq!(
        ok(&with_check("20", "251031", "+", "123")).birth_date(),
        Some(date(2025, 10, 31))
    );
}

#[test]
fn whitespace_is_trimmed() {
    let p = ok("19121212-1212");
    for s in [
        " 19121212-1212",
        "19121212-1212 ",
        "\t121212+1212\n",
        "\u{a0}191212121212\r\n",
    ] {
        assert_eq!(ok(s), p, "{s:?}");
    }
    for s in ["", " ", "\t\n", "\u{2003}"] {
        assert_eq!(parse(s).unwrap_err(), E::Empty, "{s:?}");
    }
}

#[test]
fn malformed_input() {
    for s in [
        "abc",
        "1",
        "121212121",      // 9 digits
        "12121212121",    // 11 digits, no separator
        "1912121212120",  // 13 digits
        "19121212-12120", // too long
        "191212-121",     // too short
        "19121212 1212",  // space is not a separator
        "121212 1212",
        "121212_1212",
        "121212--1212",
        "12121-21212", // separator in the wrong place
        "1912-1212-1212",
        "-1212121212",
        "+1212121212",
        "121212-1212-",
        "12121A-1212",
        "121212-121A",
        "121212-A212", // A is not an interim letter
        "19121212-12 2",
        "121212\u{2013}1212",    // en dash
        "１２１２１２-１２１２", // full-width digits
        "12.12.12-1212",
        "0x1212121212",
    ] {
        assert_eq!(parse(s).unwrap_err(), E::InvalidFormat, "{s:?}");
    }
}

#[test]
fn debug_does_not_leak_the_number() {
    let p = ok("19121212-1212");
    assert_eq!(format!("{p:?}"), "Personnummer(<redacted>)");
    assert_eq!(format!("{p:#?}"), "Personnummer(<redacted>)");
    let wrapped = format!("{:?}", Some(vec![p]));
    assert!(!wrapped.chars().any(|c| c.is_ascii_digit()), "{wrapped}");
}

#[test]
fn error_codes_and_messages_are_stable() {
    let all = [
        (E::Empty, "empty"),
        (E::InvalidFormat, "invalid_format"),
        (E::InvalidDate, "invalid_date"),
        (E::FutureDate, "future_date"),
        (E::SerialZero, "serial_zero"),
        (E::InvalidChecksum, "invalid_checksum"),
        (E::InterimNumber, "interim_number"),
        (E::OrganisationNumber, "organisation_number"),
    ];
    for (error, code) in &all {
        assert_eq!(error.code(), *code);
        let message = error.to_string();
        assert!(!message.is_empty());
        // Messages are static: they cannot echo the input and contain no digits.
        assert!(!message.chars().any(|c| c.is_ascii_digit()), "{message}");
        let _: &dyn std::error::Error = error;
    }
    let messages: HashSet<_> = all.iter().map(|(e, _)| e.to_string()).collect();
    assert_eq!(messages.len(), all.len());
    assert!(E::InterimNumber.to_string().contains("interim number"));
    assert!(E::OrganisationNumber
        .to_string()
        .contains("organisation number"));
}

#[test]
fn age_on_birthdays() {
    let p = ok("19121212-1212");
    assert_eq!(p.age_on(date(1912, 12, 11)), None);
    assert_eq!(p.age_on(date(1912, 12, 12)), Some(0));
    assert_eq!(p.age_on(date(1913, 12, 11)), Some(0));
    assert_eq!(p.age_on(date(1913, 12, 12)), Some(1));
    assert_eq!(p.age_on(date(2026, 12, 11)), Some(113));
    assert_eq!(p.age_on(date(2026, 12, 12)), Some(114));
    assert_eq!(p.age_on(date(2026, 12, 13)), Some(114));

    // Born on a leap day: a year older on 1 March in common years, on 29 February in leap years.
    let leap = ok(&with_check("20", "000229", "-", "239"));
    assert_eq!(leap.age_on(date(2000, 2, 28)), None);
    assert_eq!(leap.age_on(date(2000, 2, 29)), Some(0));
    assert_eq!(leap.age_on(date(2001, 2, 28)), Some(0));
    assert_eq!(leap.age_on(date(2001, 3, 1)), Some(1));
    assert_eq!(leap.age_on(date(2003, 2, 28)), Some(2));
    assert_eq!(leap.age_on(date(2003, 3, 1)), Some(3));
    assert_eq!(leap.age_on(date(2004, 2, 28)), Some(3));
    assert_eq!(leap.age_on(date(2004, 2, 29)), Some(4));
    assert_eq!(leap.age_on(date(2018, 2, 28)), Some(17));
    assert_eq!(leap.age_on(date(2018, 3, 1)), Some(18));

    // 1 March birthday is unaffected by leap years.
    let march = ok(&with_check("20", "000301", "-", "123"));
    assert_eq!(march.age_on(date(2004, 2, 29)), Some(3));
    assert_eq!(march.age_on(date(2004, 3, 1)), Some(4));
}

#[test]
fn gender_from_the_last_serial_digit() {
    assert!(ok(&with_check("19", "800101", "-", "001")).is_male());
    assert!(!ok(&with_check("19", "800101", "-", "002")).is_male());
    assert!(ok(&with_check("19", "800161", "-", "999")).is_male());
    assert!(!ok(&with_check("19", "800161", "-", "998")).is_male());
}

#[test]
fn equal_numbers_hash_alike() {
    let set: HashSet<Personnummer> = [
        "19121212-1212",
        "191212121212",
        "121212+1212",
        " 19121212+1212 ",
    ]
    .iter()
    .map(|s| ok(s))
    .collect();
    assert_eq!(set.len(), 1);
    assert_ne!(ok("121212-1212"), ok("121212+1212"));
}

/// Deterministic fuzzing: no input panics, and whatever parses round-trips.
#[test]
fn arbitrary_input_never_panics() {
    const ALPHABET: &[char] = &[
        '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '-', '+', ' ', 'T', 'x', 'é', '\u{2013}',
    ];
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut parsed = 0;
    for _ in 0..200_000 {
        let len = (next() % 15) as usize;
        let s: String = (0..len)
            .map(|_| {
                // Mostly digits, so that some inputs are valid.
                let r = next() as usize;
                if r.is_multiple_of(4) {
                    ALPHABET[r / 4 % ALPHABET.len()]
                } else {
                    ALPHABET[r / 4 % 10]
                }
            })
            .collect();
        if let Ok(p) = parse(&s) {
            parsed += 1;
            assert_eq!(ok(&p.normalized()), p, "{s:?}");
            assert_eq!(ok(&p.separated(today())), p, "{s:?}");
        }
    }
    assert!(parsed > 0);
}
