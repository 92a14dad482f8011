//! Appeals of a decision (förvaltningslagen (2017:900) 43-46 §§, dataskyddslagen 7 kap. 2 §): an
//! appeal must have reached the authority that decided within three weeks from the day the
//! person was notified of the decision (44 §); a late appeal is rejected (45 §); one in time is
//! forwarded to the court with the documents of the case, unless the authority changes its own
//! decision (39, 46 §§).

use chrono::{Days, NaiveDate};

use super::calendar::SwedishCalendar;
use super::code::coded_enum;
use super::deadline::first_working_day;

coded_enum! {
    /// Where an appeal stands.
    #[derive(serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
    #[serde(rename_all = "snake_case")]
    pub enum AppealStatus {
        /// In time, with the nämnd: to be reconsidered or forwarded to the court.
        Pending => "pending",
        /// Arrived after the last day: rejected (avvisat, FL 45 §).
        RejectedLate => "rejected_late",
        /// Sent to förvaltningsrätten with the documents (FL 46 §); pending there.
        ForwardedToCourt => "forwarded_to_court",
        /// The nämnd changed its decision as the person asked (omprövning, FL 39 §): the appeal
        /// has lapsed.
        Reconsidered => "reconsidered",
    }
}

impl AppealStatus {
    /// Still open, at the nämnd or at the court: the case is held from retention.
    pub fn is_pending(self) -> bool {
        matches!(self, AppealStatus::Pending | AppealStatus::ForwardedToCourt)
    }
}

coded_enum! {
    /// Where the day of notification an appeal is tried against comes from.
    #[derive(serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
    #[serde(rename_all = "snake_case")]
    pub enum NotifiedFrom {
        /// Given by the handläggare when recording the appeal.
        Given => "given",
        /// Recorded on the decision letter: a mottagningsbevis, a rekommenderat brev handed
        /// over, a handover at the desk, the person's own word.
        LetterReceived => "letter_received",
        /// The day the e-mail carrying the decision reached the person's mail server.
        Email => "email",
        /// No day can be shown: the appeal is in time, since the authority must prove it late.
        Unknown => "unknown",
    }
}

/// The rättidsprövning (förvaltningslagen 45 §): the last day, if the day of notification is
/// known, and whether an appeal that arrived on `received_on` is in time. When the authority
/// cannot show when the person was notified, the appeal cannot be rejected as late.
pub fn try_for_time(
    received_on: NaiveDate,
    notified_on: Option<NaiveDate>,
) -> (Option<NaiveDate>, bool) {
    match notified_on {
        Some(day) => {
            let last = last_day(day);
            (Some(last), received_on <= last)
        }
        None => (None, true),
    }
}

/// Three weeks, counted from the day of notification.
const APPEAL_DAYS: u64 = 21;

/// The last day an appeal may arrive: three weeks after the day the person was notified; a
/// period ending on a Saturday, Sunday, public holiday, midsommarafton, julafton or nyårsafton
/// ends on the next working day (lag (1930:173) om beräkning av lagstadgad tid, 2 §).
pub fn last_day(notified_on: NaiveDate) -> NaiveDate {
    let raw = notified_on
        .checked_add_days(Days::new(APPEAL_DAYS))
        .expect("date within range");
    let statutory = SwedishCalendar {
        eves_are_holidays: true,
    };
    first_working_day(raw, &statutory).0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn three_weeks_from_the_day_of_notification() {
        // Notified Monday 2 March 2026: the last day is Monday 23 March.
        assert_eq!(last_day(d("2026-03-02")), d("2026-03-23"));
        // Notified Friday 13 March 2026: three weeks is Friday 3 April, Långfredagen; then
        // Easter: the last day is Tuesday 7 April.
        assert_eq!(last_day(d("2026-03-13")), d("2026-04-07"));
        // Ending on julafton (a Thursday in 2026): it moves to the next working day, after
        // juldagen and annandag jul and the weekend: Monday 28 December.
        assert_eq!(last_day(d("2026-12-03")), d("2026-12-28"));
    }

    #[test]
    fn an_appeal_is_late_only_against_a_day_that_can_be_shown() {
        // Notified Tuesday 10 March 2026: the last day is Tuesday 31 March.
        assert_eq!(
            try_for_time(d("2026-03-31"), Some(d("2026-03-10"))),
            (Some(d("2026-03-31")), true)
        );
        assert_eq!(
            try_for_time(d("2026-04-01"), Some(d("2026-03-10"))),
            (Some(d("2026-03-31")), false)
        );
        // Posted by ordinary letter, no day known: in time however late it seems.
        assert_eq!(try_for_time(d("2026-09-01"), None), (None, true));
    }

    #[test]
    fn open_appeals_hold_the_case() {
        assert!(AppealStatus::Pending.is_pending());
        assert!(AppealStatus::ForwardedToCourt.is_pending());
        assert!(!AppealStatus::RejectedLate.is_pending());
    }
}
