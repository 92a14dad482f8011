use chrono::{Datelike, Months, NaiveDate};
use dsar::domain::calendar::*;
use dsar::domain::deadline::*;

fn d(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).unwrap()
}

const EVES_OFF: SwedishCalendar = SwedishCalendar {
    eves_are_holidays: false,
};
const EVES_ON: SwedishCalendar = SwedishCalendar {
    eves_are_holidays: true,
};

fn skipped_dates(computation: &DeadlineComputation) -> Vec<NaiveDate> {
    computation.skipped.iter().map(|day| day.date).collect()
}

fn is_last_day_of_month(date: NaiveDate) -> bool {
    date.succ_opt().unwrap().month() != date.month()
}

#[test]
fn constants() {
    assert_eq!(ORDINARY_MONTHS, 1);
    assert_eq!(EXTENDED_MONTHS, 3);
}

#[test]
fn add_months_keeps_the_date_or_clamps_to_month_end() {
    assert_eq!(add_months(d(2025, 3, 5), 1), d(2025, 4, 5));
    assert_eq!(add_months(d(2025, 1, 31), 1), d(2025, 2, 28));
    assert_eq!(add_months(d(2024, 1, 31), 1), d(2024, 2, 29));
    assert_eq!(add_months(d(2025, 1, 31), 3), d(2025, 4, 30));
    assert_eq!(add_months(d(2025, 3, 31), 1), d(2025, 4, 30));
    assert_eq!(add_months(d(2025, 11, 30), 3), d(2026, 2, 28));
    assert_eq!(add_months(d(2025, 12, 15), 1), d(2026, 1, 15));
}

#[test]
fn end_of_january_ends_at_end_of_february() {
    let ordinary = compute(d(2025, 1, 31), ORDINARY_MONTHS, &EVES_OFF);
    assert_eq!(ordinary.raw_date, d(2025, 2, 28));
    assert!(ordinary.clamped_to_month_end);
    assert!(ordinary.skipped.is_empty());
    assert_eq!(ordinary.due, d(2025, 2, 28));

    let extended = compute(d(2025, 1, 31), EXTENDED_MONTHS, &EVES_OFF);
    assert_eq!(extended.raw_date, d(2025, 4, 30));
    assert!(extended.clamped_to_month_end);
    assert_eq!(extended.due, d(2025, 4, 30));
    // Not 1 month + 2 months from 28 February (which would give 28 April).
    assert_ne!(extended.due, d(2025, 4, 28));
}

#[test]
fn saturday_moves_to_monday() {
    let computation = compute(d(2025, 3, 5), ORDINARY_MONTHS, &EVES_OFF);
    assert_eq!(computation.raw_date, d(2025, 4, 5));
    assert!(!computation.clamped_to_month_end);
    assert_eq!(skipped_dates(&computation), [d(2025, 4, 5), d(2025, 4, 6)]);
    assert_eq!(computation.skipped[0].reason, NonWorkingDay::Saturday);
    assert_eq!(computation.skipped[0].reason_sv, "lördag");
    assert_eq!(computation.skipped[1].reason, NonWorkingDay::Sunday);
    assert_eq!(computation.due, d(2025, 4, 7));
}

#[test]
fn easter_2026() {
    let computation = compute(d(2026, 3, 3), ORDINARY_MONTHS, &EVES_OFF);
    assert_eq!(computation.raw_date, d(2026, 4, 3));
    assert!(!computation.clamped_to_month_end);
    let holiday = |holiday| NonWorkingDay::PublicHoliday { holiday };
    let reasons: Vec<_> = computation
        .skipped
        .iter()
        .map(|day| (day.date, day.reason))
        .collect();
    assert_eq!(
        reasons,
        [
            (d(2026, 4, 3), holiday(PublicHoliday::Langfredagen)),
            (d(2026, 4, 4), NonWorkingDay::Saturday),
            (d(2026, 4, 5), holiday(PublicHoliday::Paskdagen)),
            (d(2026, 4, 6), holiday(PublicHoliday::AnnandagPask)),
        ]
    );
    assert_eq!(computation.due, d(2026, 4, 7));
}

#[test]
fn easter_2026_steps() {
    let steps = compute(d(2026, 3, 3), ORDINARY_MONTHS, &EVES_OFF).steps();
    let outline: Vec<_> = steps
        .iter()
        .map(|step| (step.kind, step.date, step.rule))
        .collect();
    assert_eq!(
        outline,
        [
            (
                StepKind::Received,
                d(2026, 3, 3),
                "day_of_receipt_not_counted"
            ),
            (StepKind::RawDate, d(2026, 4, 3), "same_date_in_month"),
            (StepKind::Skipped, d(2026, 4, 3), "non_working_day_skipped"),
            (StepKind::Skipped, d(2026, 4, 4), "non_working_day_skipped"),
            (StepKind::Skipped, d(2026, 4, 5), "non_working_day_skipped"),
            (StepKind::Skipped, d(2026, 4, 6), "non_working_day_skipped"),
            (StepKind::Due, d(2026, 4, 7), "due"),
        ]
    );
    let texts: Vec<_> = steps.iter().map(|step| step.text_sv.as_str()).collect();
    assert_eq!(
        texts,
        [
            "Begäran mottogs 2026-03-03. Mottagningsdagen räknas inte (förordning 1182/71 art. 3.1).",
            "En månad efter mottagandet: 2026-04-03, samma datum i den sista månaden.",
            "2026-04-03 är allmän helgdag (långfredagen) och räknas inte som arbetsdag.",
            "2026-04-04 är lördag och räknas inte som arbetsdag.",
            "2026-04-05 är allmän helgdag (påskdagen) och räknas inte som arbetsdag.",
            "2026-04-06 är allmän helgdag (annandag påsk) och räknas inte som arbetsdag.",
            "Fristen löper ut vid utgången av 2026-04-07, nästa arbetsdag.",
        ]
    );
    let sources: Vec<_> = steps.iter().map(|step| step.legal_source).collect();
    assert_eq!(
        sources,
        [
            "Förordning (EEG, Euratom) nr 1182/71 art. 3.1",
            "Förordning (EEG, Euratom) nr 1182/71 art. 3.2 c",
            "lag (1989:253) om allmänna helgdagar",
            "Förordning (EEG, Euratom) nr 1182/71 art. 3.4",
            "lag (1989:253) om allmänna helgdagar",
            "lag (1989:253) om allmänna helgdagar",
            "Dataskyddsförordningen (EU) 2016/679 art. 12.3",
        ]
    );
}

#[test]
fn clamped_steps() {
    let steps = compute(d(2025, 1, 31), ORDINARY_MONTHS, &EVES_OFF).steps();
    assert_eq!(steps.len(), 3);
    assert_eq!(steps[1].kind, StepKind::RawDate);
    assert_eq!(steps[1].rule, "month_end");
    assert_eq!(
        steps[1].text_sv,
        "En månad efter mottagandet: 2025-02-28, den sista dagen i månaden, eftersom datumet 31 saknas i februari."
    );
    assert_eq!(steps[2].kind, StepKind::Due);
    assert_eq!(
        steps[2].text_sv,
        "Fristen löper ut vid utgången av 2025-02-28."
    );

    let extended = compute(d(2025, 1, 31), EXTENDED_MONTHS, &EVES_OFF).steps();
    assert_eq!(
        extended[1].text_sv,
        "Tre månader efter mottagandet: 2025-04-30, den sista dagen i månaden, eftersom datumet 31 saknas i april."
    );
}

#[test]
fn extended_step_text() {
    let steps = compute(d(2026, 3, 3), EXTENDED_MONTHS, &EVES_OFF).steps();
    assert_eq!(
        steps[1].text_sv,
        "Tre månader efter mottagandet: 2026-06-03, samma datum i den sista månaden."
    );
    assert_eq!(
        steps[2].text_sv,
        "Fristen löper ut vid utgången av 2026-06-03."
    );
}

#[test]
fn leap_year() {
    let computation = compute(d(2024, 1, 31), ORDINARY_MONTHS, &EVES_OFF);
    assert_eq!(computation.raw_date, d(2024, 2, 29));
    assert!(computation.clamped_to_month_end);
    assert_eq!(computation.due, d(2024, 2, 29));
    let steps = computation.steps();
    assert_eq!(
        steps[1].text_sv,
        "En månad efter mottagandet: 2024-02-29, den sista dagen i månaden, eftersom datumet 31 saknas i februari."
    );

    // 29 February exists in a leap year: no clamping.
    let computation = compute(d(2024, 1, 29), ORDINARY_MONTHS, &EVES_OFF);
    assert_eq!(computation.raw_date, d(2024, 2, 29));
    assert!(!computation.clamped_to_month_end);
}

#[test]
fn julafton() {
    let off = compute(d(2025, 11, 24), ORDINARY_MONTHS, &EVES_OFF);
    assert_eq!(off.raw_date, d(2025, 12, 24));
    assert!(off.skipped.is_empty());
    assert_eq!(off.due, d(2025, 12, 24));

    let on = compute(d(2025, 11, 24), ORDINARY_MONTHS, &EVES_ON);
    assert_eq!(on.raw_date, d(2025, 12, 24));
    let reasons: Vec<_> = on
        .skipped
        .iter()
        .map(|day| (day.date, day.reason))
        .collect();
    assert_eq!(
        reasons,
        [
            (d(2025, 12, 24), NonWorkingDay::Eve { eve: Eve::Julafton }),
            (
                d(2025, 12, 25),
                NonWorkingDay::PublicHoliday {
                    holiday: PublicHoliday::Juldagen
                }
            ),
            (
                d(2025, 12, 26),
                NonWorkingDay::PublicHoliday {
                    holiday: PublicHoliday::AnnandagJul
                }
            ),
            (d(2025, 12, 27), NonWorkingDay::Saturday),
            (d(2025, 12, 28), NonWorkingDay::Sunday),
        ]
    );
    assert_eq!(on.due, d(2025, 12, 29));

    let steps = on.steps();
    assert_eq!(steps[2].kind, StepKind::Skipped);
    assert_eq!(
        steps[2].legal_source,
        "lag (1930:173) om beräkning av lagstadgad tid"
    );
    assert_eq!(
        steps[2].text_sv,
        "2025-12-24 är julafton, som inte är en allmän helgdag men likställs med helgdag vid beräkning av lagstadgad tid (2 § lag (1930:173)). Fristen går därför inte ut den dagen."
    );
    assert_eq!(
        steps.last().unwrap().text_sv,
        "Fristen löper ut vid utgången av 2025-12-29, nästa arbetsdag."
    );
}

#[test]
fn midsommarafton() {
    let off = compute(d(2025, 5, 20), ORDINARY_MONTHS, &EVES_OFF);
    assert_eq!(off.raw_date, d(2025, 6, 20));
    assert_eq!(off.due, d(2025, 6, 20));

    let on = compute(d(2025, 5, 20), ORDINARY_MONTHS, &EVES_ON);
    let reasons: Vec<_> = on
        .skipped
        .iter()
        .map(|day| (day.date, day.reason))
        .collect();
    assert_eq!(
        reasons,
        [
            (
                d(2025, 6, 20),
                NonWorkingDay::Eve {
                    eve: Eve::Midsommarafton
                }
            ),
            (
                d(2025, 6, 21),
                NonWorkingDay::PublicHoliday {
                    holiday: PublicHoliday::Midsommardagen
                }
            ),
            (d(2025, 6, 22), NonWorkingDay::Sunday),
        ]
    );
    assert_eq!(
        on.skipped[0].reason_sv,
        "midsommarafton, som inte är en allmän helgdag men likställs med helgdag vid beräkning av lagstadgad tid (2 § lag (1930:173))"
    );
    assert_eq!(on.due, d(2025, 6, 23));
}

#[test]
fn serialization() {
    let value = serde_json::to_value(compute(d(2026, 3, 3), ORDINARY_MONTHS, &EVES_OFF)).unwrap();
    assert_eq!(value["received"], "2026-03-03");
    assert_eq!(value["months"], 1);
    assert_eq!(value["raw_date"], "2026-04-03");
    assert_eq!(value["clamped_to_month_end"], false);
    assert_eq!(value["due"], "2026-04-07");
    assert_eq!(
        value["skipped"][0],
        serde_json::json!({
            "date": "2026-04-03",
            "reason": {"kind": "public_holiday", "holiday": "langfredagen"},
            "reason_sv": "allmän helgdag (långfredagen)"
        })
    );

    let steps =
        serde_json::to_value(compute(d(2026, 3, 3), ORDINARY_MONTHS, &EVES_OFF).steps()).unwrap();
    assert_eq!(steps[1]["kind"], "raw_date");
    assert_eq!(steps[1]["date"], "2026-04-03");
    assert_eq!(steps[1]["rule"], "same_date_in_month");
    assert_eq!(steps[6]["kind"], "due");
}

/// Checks one computation against the rules, independently of `compute`'s loop.
fn check(received: NaiveDate, months: u32, calendar: &SwedishCalendar) -> DeadlineComputation {
    let computation = compute(received, months, calendar);
    let DeadlineComputation { raw_date, due, .. } = computation;
    let context = format!("received {received}, {months} months, {calendar:?}");
    assert_eq!(computation.received, received, "{context}");
    assert_eq!(computation.months, months, "{context}");

    // The raw date: same date in the final month, or that month's last day.
    assert_eq!(raw_date, add_months(received, months), "{context}");
    let first_of_final_month = received.with_day(1).unwrap() + Months::new(months);
    assert_eq!(
        raw_date.with_day(1).unwrap(),
        first_of_final_month,
        "{context}"
    );
    if computation.clamped_to_month_end {
        assert!(received.day() > raw_date.day(), "{context}");
        assert!(is_last_day_of_month(raw_date), "{context}");
    } else {
        assert_eq!(raw_date.day(), received.day(), "{context}");
    }

    // The due date: the first working day from the raw date.
    assert!(calendar.is_working_day(due), "{context}");
    assert!(due >= raw_date, "{context}");
    let before_due: Vec<NaiveDate> = raw_date
        .iter_days()
        .take_while(|&date| date < due)
        .collect();
    assert!(
        before_due
            .iter()
            .all(|&date| !calendar.is_working_day(date)),
        "{context}"
    );
    assert_eq!(skipped_dates(&computation), before_due, "{context}");
    for day in &computation.skipped {
        assert_eq!(
            Some(day.reason),
            calendar.non_working_reason(day.date),
            "{context}"
        );
        assert_eq!(day.reason_sv, day.reason.swedish_reason(), "{context}");
    }
    if calendar.eves_are_holidays {
        assert_eq!(SwedishCalendar::eve(due), None, "{context}");
    }

    // The steps mirror the computation.
    let steps = computation.steps();
    assert_eq!(steps.len(), computation.skipped.len() + 3, "{context}");
    assert_eq!(steps.first().unwrap().kind, StepKind::Received, "{context}");
    assert_eq!(steps[1].date, raw_date, "{context}");
    assert_eq!(steps.last().unwrap().date, due, "{context}");
    computation
}

#[test]
fn properties_2000_to_2100() {
    let mut received = d(2000, 1, 1);
    let mut count = 0;
    while received <= d(2100, 12, 31) {
        let ordinary_off = check(received, ORDINARY_MONTHS, &EVES_OFF);
        let extended_off = check(received, EXTENDED_MONTHS, &EVES_OFF);
        let ordinary_on = check(received, ORDINARY_MONTHS, &EVES_ON);
        let extended_on = check(received, EXTENDED_MONTHS, &EVES_ON);
        assert!(extended_off.due >= ordinary_off.due, "{received}");
        assert!(extended_on.due >= ordinary_on.due, "{received}");
        // Counting eves as holidays can only postpone the deadline.
        assert!(ordinary_on.due >= ordinary_off.due, "{received}");
        assert!(extended_on.due >= extended_off.due, "{received}");
        // Both settings start from the same raw date.
        assert_eq!(ordinary_on.raw_date, ordinary_off.raw_date, "{received}");
        received = received.succ_opt().unwrap();
        count += 1;
    }
    assert_eq!(count, 36_890);
}
