//! Swedish in klarspråk for what a person reads (språklagen 11 §, domain.md §9): dates as
//! "7 april 2026", days as "i dag", "i morgon", "om 3 dagar", "1 dag".

use chrono::{Datelike, NaiveDate};

const MONTHS: [&str; 12] = [
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
];

/// "7 april 2026".
pub fn date_sv(date: NaiveDate) -> String {
    format!(
        "{} {} {}",
        date.day(),
        MONTHS[date.month0() as usize],
        date.year()
    )
}

/// How far ahead a day is: "i dag", "i morgon", "om 3 dagar"; a past day "i går",
/// "för 3 dagar sedan".
pub fn days_ahead_sv(days: i64) -> String {
    match days {
        0 => "i dag".to_owned(),
        1 => "i morgon".to_owned(),
        -1 => "i går".to_owned(),
        n if n > 1 => format!("om {n} dagar"),
        n => format!("för {} dagar sedan", -n),
    }
}

/// A number of days: "1 dag", "3 dagar".
pub fn days_sv(days: i64) -> String {
    if days.abs() == 1 {
        format!("{days} dag")
    } else {
        format!("{days} dagar")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_written_as_in_running_text() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(date_sv(d(2026, 4, 7)), "7 april 2026");
        assert_eq!(date_sv(d(2026, 1, 31)), "31 januari 2026");
        assert_eq!(date_sv(d(2025, 12, 1)), "1 december 2025");
    }

    #[test]
    fn days_are_counted_in_words_a_person_uses() {
        assert_eq!(days_ahead_sv(0), "i dag");
        assert_eq!(days_ahead_sv(1), "i morgon");
        assert_eq!(days_ahead_sv(3), "om 3 dagar");
        assert_eq!(days_ahead_sv(-1), "i går");
        assert_eq!(days_ahead_sv(-4), "för 4 dagar sedan");
        assert_eq!(days_sv(1), "1 dag");
        assert_eq!(days_sv(2), "2 dagar");
        assert_eq!(days_sv(0), "0 dagar");
    }
}
