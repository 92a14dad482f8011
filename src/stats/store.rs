//! The statistics: the running counts (`counts.rs`) for everything that does not depend on
//! today, and counts over index ranges of the open cases for what does.

use chrono::NaiveDate;

/// The median of a histogram of whole days.
pub fn median(histogram: &[(i32, i64)]) -> Option<f64> {
    let total: i64 = histogram.iter().map(|(_, n)| n).sum();
    if total == 0 {
        return None;
    }
    let mut sorted = histogram.to_vec();
    sorted.sort();
    let value_at = |rank: i64| {
        let mut seen = 0;
        for (days, n) in &sorted {
            seen += n;
            if seen > rank {
                return *days as f64;
            }
        }
        sorted.last().map(|(d, _)| *d as f64).unwrap_or_default()
    };
    Some(if total % 2 == 1 {
        value_at(total / 2)
    } else {
        (value_at(total / 2 - 1) + value_at(total / 2)) / 2.0
    })
}

/// The first day of the statistics window: twelve calendar months, this one included.
pub fn first_of_window(today: NaiveDate) -> NaiveDate {
    use chrono::Datelike;
    let first = today.with_day(1).expect("day 1 exists");
    first
        .checked_sub_months(chrono::Months::new(11))
        .expect("date in range")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[(10, 1)]), Some(10.0));
        assert_eq!(median(&[(10, 1), (20, 1)]), Some(15.0));
        assert_eq!(median(&[(30, 1), (10, 2), (20, 1)]), Some(15.0));
        assert_eq!(median(&[(5, 3), (40, 1)]), Some(5.0));
    }

    #[test]
    fn window_of_twelve_months() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        assert_eq!(first_of_window(d("2026-03-10")), d("2025-04-01"));
        assert_eq!(first_of_window(d("2026-12-31")), d("2026-01-01"));
    }
}
