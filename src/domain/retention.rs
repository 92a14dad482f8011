//! Retention (gallring) of the service's own cases (domain.md §7): each class has a duration and
//! the event it counts from; the municipality's gallringsbeslut sets both.

use chrono::{Days, Months, NaiveDate};
use serde::Serialize;

use super::code::coded_enum;

coded_enum! {
    /// What is kept how long.
    #[derive(PartialOrd, Ord, Serialize, utoipa::ToSchema)]
    #[serde(rename_all = "snake_case")]
    pub enum RetentionClass {
        /// The case in the list of received cases, and what came in via the e-tjänst (1 year).
        CaseRecord => "case_record",
        /// The complete extract (3 months).
        Extract => "extract",
        /// Requests for rectification, restriction, erasure and objection ("vid inaktualitet").
        RequestDetails => "request_details",
        /// Decisions refusing a data subject's rights: preserved (bevaras).
        RefusalDecision => "refusal_decision",
        /// Decisions granting (or forwarding) a request. No row of the seed's gallringsbeslut
        /// covers them: kept unless the municipality configures a class.
        GrantedDecision => "granted_decision",
        /// Which recipients were told under Art. 19, or why not: kept unless configured.
        RecipientLog => "recipient_log",
        /// The case's journal: kept unless configured.
        Journal => "journal",
    }
}

impl RetentionClass {
    /// Classes no gallringsbeslut in the seed covers: under arkivlagen what they hold is kept
    /// unless the municipality's own dokumenthanteringsplan says otherwise (domain.md §7).
    pub const UNCOVERED_BY_DEFAULT: [RetentionClass; 3] = [
        RetentionClass::GrantedDecision,
        RetentionClass::RecipientLog,
        RetentionClass::Journal,
    ];
}

/// How long: `forever`, or `Nd`, `Nm`, `Ny` counted in calendar days, months or years.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Keep {
    Forever,
    Days(u32),
    Months(u32),
    Years(u32),
}

impl Keep {
    pub fn parse(text: &str) -> Option<Keep> {
        let text = text.trim();
        if text == "forever" {
            return Some(Keep::Forever);
        }
        let (number, unit) = text.split_at(text.len().checked_sub(1)?);
        let n: u32 = number.parse().ok()?;
        match unit {
            "d" => Some(Keep::Days(n)),
            "m" => Some(Keep::Months(n)),
            "y" => Some(Keep::Years(n)),
            _ => None,
        }
    }

    /// The first day on which something kept from `from` may be purged; `None` if never.
    /// A month counted from the 31st ends on the last day of a shorter month.
    pub fn purge_on(self, from: NaiveDate) -> Option<NaiveDate> {
        match self {
            Keep::Forever => None,
            Keep::Days(n) => from.checked_add_days(Days::new(n.into())),
            Keep::Months(n) => from.checked_add_months(Months::new(n)),
            Keep::Years(n) => from.checked_add_months(Months::new(n * 12)),
        }
    }

    /// The latest `from` date whose items may be purged on `as_of`, for queries; `None` if never.
    pub fn latest_from(self, as_of: NaiveDate) -> Option<NaiveDate> {
        match self {
            Keep::Forever => None,
            Keep::Days(n) => as_of.checked_sub_days(Days::new(n.into())),
            // The smallest `from` not yet due is the first day whose purge date is after as_of;
            // walk back from the month arithmetic to respect month ends.
            Keep::Months(_) | Keep::Years(_) => {
                let months = match self {
                    Keep::Months(n) => n,
                    Keep::Years(n) => n * 12,
                    _ => unreachable!(),
                };
                let mut candidate = as_of.checked_sub_months(Months::new(months))?;
                while let Some(next) = candidate.succ_opt() {
                    if self.purge_on(next).is_some_and(|d| d <= as_of) {
                        candidate = next;
                    } else {
                        break;
                    }
                }
                Some(candidate)
            }
        }
    }
}

/// The event a retention period counts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CountFrom {
    Closure,
    Delivery,
    Compilation,
    Decision,
}

impl CountFrom {
    pub fn parse(text: &str) -> Option<CountFrom> {
        match text.trim() {
            "closure" => Some(CountFrom::Closure),
            "delivery" => Some(CountFrom::Delivery),
            "compilation" => Some(CountFrom::Compilation),
            "decision" => Some(CountFrom::Decision),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn durations() {
        assert_eq!(Keep::parse("forever"), Some(Keep::Forever));
        assert_eq!(Keep::parse("0d"), Some(Keep::Days(0)));
        assert_eq!(Keep::parse("90d"), Some(Keep::Days(90)));
        assert_eq!(Keep::parse("3m"), Some(Keep::Months(3)));
        assert_eq!(Keep::parse("1y"), Some(Keep::Years(1)));
        for bad in ["", "d", "1w", "-1d", "1.5y", "ever"] {
            assert_eq!(Keep::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn purge_dates() {
        assert_eq!(
            Keep::Years(1).purge_on(d("2025-03-10")),
            Some(d("2026-03-10"))
        );
        assert_eq!(
            Keep::Years(1).purge_on(d("2024-02-29")),
            Some(d("2025-02-28"))
        );
        assert_eq!(
            Keep::Months(3).purge_on(d("2025-11-30")),
            Some(d("2026-02-28"))
        );
        assert_eq!(
            Keep::Days(0).purge_on(d("2026-01-01")),
            Some(d("2026-01-01"))
        );
        assert_eq!(Keep::Forever.purge_on(d("2026-01-01")), None);
    }

    #[test]
    fn latest_from_is_the_inverse_of_purge_on() {
        let mut day = d("2024-01-01");
        while day < d("2027-01-01") {
            for keep in [
                Keep::Days(0),
                Keep::Days(90),
                Keep::Months(3),
                Keep::Years(1),
                Keep::Months(1),
            ] {
                let latest = keep.latest_from(day).unwrap();
                assert!(keep.purge_on(latest).unwrap() <= day, "{keep:?} {day}");
                assert!(
                    keep.purge_on(latest.succ_opt().unwrap()).unwrap() > day,
                    "{keep:?} {day}"
                );
            }
            day = day.succ_opt().unwrap();
        }
        assert_eq!(Keep::Forever.latest_from(d("2026-01-01")), None);
    }
}
