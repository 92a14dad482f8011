//! The deadline for answering a data-subject request, with an explanation.
//!
//! GDPR (Regulation (EU) 2016/679) art. 12.3 gives the controller one month
//! from receipt, extendable by two further months. The period is computed by
//! Regulation (EEC, Euratom) No 1182/71 (see CJEU C-171/03 *Toeters*):
//!
//! 1. the day of receipt is not counted (art. 3.1);
//! 2. a period in months ends at the end of the day in the last month with
//!    the same date as the day of receipt, or at the end of that month's last
//!    day if the date does not exist there (art. 3.2 c);
//! 3. if that day is a Saturday, Sunday or public holiday, the period ends at
//!    the end of the next working day (art. 3.4). Public holidays are those
//!    of lag (1989:253) om allmänna helgdagar; the eves of lag (1930:173) count
//!    when [`SwedishCalendar::eves_are_holidays`] is set.
//!
//! The extended deadline is three months counted from receipt by the same
//! rules, not two months counted from the first deadline.

use chrono::{Datelike, Months, NaiveDate};
use serde::Serialize;

use super::calendar::{NonWorkingDay, SwedishCalendar};

/// The ordinary period of GDPR art. 12.3: one month.
pub const ORDINARY_MONTHS: u32 = 1;
/// The extended period of GDPR art. 12.3: the month plus two further months.
pub const EXTENDED_MONTHS: u32 = 3;

const SOURCE_ART_3_1: &str = "Förordning (EEG, Euratom) nr 1182/71 art. 3.1";
const SOURCE_ART_3_2_C: &str = "Förordning (EEG, Euratom) nr 1182/71 art. 3.2 c";
const SOURCE_ART_3_4: &str = "Förordning (EEG, Euratom) nr 1182/71 art. 3.4";
const SOURCE_HOLIDAYS: &str = "lag (1989:253) om allmänna helgdagar";
const SOURCE_EVES: &str = "lag (1930:173) om beräkning av lagstadgad tid";
const SOURCE_GDPR: &str = "Dataskyddsförordningen (EU) 2016/679 art. 12.3";

/// The raw end of a period of `months` months from `received` under
/// Regulation 1182/71 art. 3.2 c: the same date in the last month, or that
/// month's last day if the date does not exist there. Working days are not
/// considered.
///
/// # Panics
/// If the result is outside the range supported by [`NaiveDate`].
pub fn add_months(received: NaiveDate, months: u32) -> NaiveDate {
    received
        .checked_add_months(Months::new(months))
        .expect("deadline within the supported date range")
}

/// A day passed over because it is not a working day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct SkippedDay {
    pub date: NaiveDate,
    pub reason: NonWorkingDay,
    /// [`NonWorkingDay::swedish_reason`] of `reason`.
    pub reason_sv: String,
}

/// A computed deadline and how it was reached.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct DeadlineComputation {
    /// The day the request was received (not counted).
    pub received: NaiveDate,
    /// The length of the period in months.
    pub months: u32,
    /// The end of the period before non-working days are passed over.
    pub raw_date: NaiveDate,
    /// Whether the date of receipt does not exist in the final month, so the
    /// period ends on that month's last day.
    pub clamped_to_month_end: bool,
    /// The non-working days from `raw_date` up to (not including) `due`.
    pub skipped: Vec<SkippedDay>,
    /// The last day of the period: it ends at the end of this day.
    pub due: NaiveDate,
}

/// `date` if it is a working day, else the next working day, with the days passed over
/// (Regulation 1182/71 art. 3.4).
pub fn first_working_day(
    date: NaiveDate,
    calendar: &SwedishCalendar,
) -> (NaiveDate, Vec<SkippedDay>) {
    let mut skipped = Vec::new();
    let mut day = date;
    while let Some(reason) = calendar.non_working_reason(day) {
        skipped.push(SkippedDay {
            date: day,
            reason,
            reason_sv: reason.swedish_reason(),
        });
        day = day
            .succ_opt()
            .expect("deadline within the supported date range");
    }
    (day, skipped)
}

/// Computes the end of a period of `months` months from `received`.
pub fn compute(
    received: NaiveDate,
    months: u32,
    calendar: &SwedishCalendar,
) -> DeadlineComputation {
    let raw_date = add_months(received, months);
    let (due, skipped) = first_working_day(raw_date, calendar);
    DeadlineComputation {
        received,
        months,
        raw_date,
        clamped_to_month_end: raw_date.day() != received.day(),
        skipped,
        due,
    }
}

/// One step of the explanation of a deadline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Step {
    pub kind: StepKind,
    pub date: NaiveDate,
    /// A stable code: `day_of_receipt_not_counted`, `same_date_in_month`,
    /// `month_end`, `non_working_day_skipped` or `due`.
    pub rule: &'static str,
    /// The provision the step applies.
    pub legal_source: &'static str,
    /// The step in Swedish, for a handläggare.
    pub text_sv: String,
}

/// What a [`Step`] records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum StepKind {
    Received,
    RawDate,
    Skipped,
    Due,
}

impl DeadlineComputation {
    /// The computation as steps: receipt, raw date, each skipped day, due date.
    pub fn steps(&self) -> Vec<Step> {
        let mut steps = Vec::with_capacity(self.skipped.len() + 3);
        steps.push(Step {
            kind: StepKind::Received,
            date: self.received,
            rule: "day_of_receipt_not_counted",
            legal_source: SOURCE_ART_3_1,
            text_sv: format!(
                "Begäran mottogs {}. Mottagningsdagen räknas inte (förordning 1182/71 art. 3.1).",
                ymd(self.received)
            ),
        });

        let period = months_sv(self.months);
        let (rule, text_sv) = if self.clamped_to_month_end {
            (
                "month_end",
                format!(
                    "{period} efter mottagandet: {}, den sista dagen i månaden, eftersom datumet {} saknas i {}.",
                    ymd(self.raw_date),
                    self.received.day(),
                    month_name_sv(self.raw_date.month()),
                ),
            )
        } else {
            (
                "same_date_in_month",
                format!(
                    "{period} efter mottagandet: {}, samma datum i den sista månaden.",
                    ymd(self.raw_date)
                ),
            )
        };
        steps.push(Step {
            kind: StepKind::RawDate,
            date: self.raw_date,
            rule,
            legal_source: SOURCE_ART_3_2_C,
            text_sv,
        });

        steps.extend(self.skipped.iter().map(|day| {
            let (legal_source, text_sv) = match day.reason {
                NonWorkingDay::Eve { .. } => (
                    SOURCE_EVES,
                    format!(
                        "{} är {}. Fristen går därför inte ut den dagen.",
                        ymd(day.date),
                        day.reason_sv
                    ),
                ),
                NonWorkingDay::PublicHoliday { .. } => (
                    SOURCE_HOLIDAYS,
                    format!(
                        "{} är {} och räknas inte som arbetsdag.",
                        ymd(day.date),
                        day.reason_sv
                    ),
                ),
                NonWorkingDay::Saturday | NonWorkingDay::Sunday => (
                    SOURCE_ART_3_4,
                    format!(
                        "{} är {} och räknas inte som arbetsdag.",
                        ymd(day.date),
                        day.reason_sv
                    ),
                ),
            };
            Step {
                kind: StepKind::Skipped,
                date: day.date,
                rule: "non_working_day_skipped",
                legal_source,
                text_sv,
            }
        }));

        let next = if self.skipped.is_empty() {
            ""
        } else {
            ", nästa arbetsdag"
        };
        steps.push(Step {
            kind: StepKind::Due,
            date: self.due,
            rule: "due",
            legal_source: SOURCE_GDPR,
            text_sv: format!("Fristen löper ut vid utgången av {}{next}.", ymd(self.due)),
        });
        steps
    }
}

/// `date` as YYYY-MM-DD.
fn ymd(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

/// "En månad", "Tre månader", ... at the start of a sentence.
fn months_sv(months: u32) -> String {
    const WORDS: [&str; 12] = [
        "En", "Två", "Tre", "Fyra", "Fem", "Sex", "Sju", "Åtta", "Nio", "Tio", "Elva", "Tolv",
    ];
    match months {
        1 => "En månad".to_owned(),
        2..=12 => format!("{} månader", WORDS[months as usize - 1]),
        _ => format!("{months} månader"),
    }
}

fn month_name_sv(month: u32) -> &'static str {
    const NAMES: [&str; 12] = [
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
    NAMES[month as usize - 1]
}
