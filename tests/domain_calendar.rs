use std::collections::HashSet;

use chrono::{Datelike, NaiveDate, Weekday};
use dsar::domain::calendar::*;

fn d(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).unwrap()
}

fn every_day(from: NaiveDate, to: NaiveDate) -> impl Iterator<Item = NaiveDate> {
    from.iter_days().take_while(move |&date| date <= to)
}

/// (month, day) of each listed holiday of `year`.
fn holiday_days(year: i32) -> Vec<(u32, u32)> {
    SwedishCalendar::public_holidays(year)
        .iter()
        .map(|(date, _)| (date.month(), date.day()))
        .collect()
}

#[test]
fn easter_matches_known_dates() {
    let known = [
        (1818, 3, 22),
        (1954, 4, 18),
        (1961, 4, 2),
        (1981, 4, 19),
        (2000, 4, 23),
        (2004, 4, 11),
        (2008, 3, 23),
        (2011, 4, 24),
        (2019, 4, 21),
        (2024, 3, 31),
        (2025, 4, 20),
        (2026, 4, 5),
        (2038, 4, 25),
        (2049, 4, 18),
        (2100, 3, 28),
        (2285, 3, 22),
    ];
    for (year, month, day) in known {
        assert_eq!(easter_sunday(year), d(year, month, day), "Easter {year}");
    }
}

#[test]
fn easter_is_a_sunday_between_22_march_and_25_april() {
    for year in 1583..=3000 {
        let easter = easter_sunday(year);
        assert_eq!(easter.weekday(), Weekday::Sun, "{easter}");
        assert!(
            d(year, 3, 22) <= easter && easter <= d(year, 4, 25),
            "{easter}"
        );
    }
}

#[test]
fn holidays_2026() {
    assert_eq!(
        holiday_days(2026),
        [
            (1, 1),
            (1, 6),
            (4, 3),
            (4, 5),
            (4, 6),
            (5, 1),
            (5, 14),
            (5, 24),
            (6, 6),
            (6, 20),
            (10, 31),
            (12, 25),
            (12, 26)
        ]
    );
    use PublicHoliday::*;
    let names: Vec<_> = SwedishCalendar::public_holidays(2026)
        .into_iter()
        .map(|(_, holiday)| holiday)
        .collect();
    assert_eq!(
        names,
        [
            Nyarsdagen,
            TrettondedagJul,
            Langfredagen,
            Paskdagen,
            AnnandagPask,
            ForstaMaj,
            KristiHimmelsfardsdag,
            Pingstdagen,
            Nationaldagen,
            Midsommardagen,
            AllaHelgonsDag,
            Juldagen,
            AnnandagJul
        ]
    );
}

#[test]
fn holidays_2025() {
    assert_eq!(
        holiday_days(2025),
        [
            (1, 1),
            (1, 6),
            (4, 18),
            (4, 20),
            (4, 21),
            (5, 1),
            (5, 29),
            (6, 6),
            (6, 8),
            (6, 21),
            (11, 1),
            (12, 25),
            (12, 26)
        ]
    );
}

#[test]
fn holidays_2004_have_annandag_pingst_and_no_nationaldagen() {
    assert_eq!(
        holiday_days(2004),
        [
            (1, 1),
            (1, 6),
            (4, 9),
            (4, 11),
            (4, 12),
            (5, 1),
            (5, 20),
            (5, 30),
            (5, 31),
            (6, 26),
            (11, 6),
            (12, 25),
            (12, 26)
        ]
    );
    assert_eq!(
        SwedishCalendar::public_holiday(d(2004, 5, 31)),
        Some(PublicHoliday::AnnandagPingst)
    );
    // 6 June 2004 was a Sunday, but not nationaldagen.
    assert_eq!(SwedishCalendar::public_holiday(d(2004, 6, 6)), None);
    assert_eq!(
        SwedishCalendar::default().non_working_reason(d(2004, 6, 6)),
        Some(NonWorkingDay::Sunday)
    );
}

#[test]
fn nationaldagen_replaces_annandag_pingst_from_2005() {
    assert_eq!(
        holiday_days(2005),
        [
            (1, 1),
            (1, 6),
            (3, 25),
            (3, 27),
            (3, 28),
            (5, 1),
            (5, 5),
            (5, 15),
            (6, 6),
            (6, 25),
            (11, 5),
            (12, 25),
            (12, 26)
        ]
    );
    // Annandag pingst 2005 (16 May) is an ordinary Monday.
    assert_eq!(SwedishCalendar::public_holiday(d(2005, 5, 16)), None);
    assert!(SwedishCalendar::default().is_working_day(d(2005, 5, 16)));
    // 6 June 2022 was annandag pingst, but that is no longer a holiday: nationaldagen.
    assert_eq!(
        SwedishCalendar::public_holiday(d(2022, 6, 6)),
        Some(PublicHoliday::Nationaldagen)
    );
    // 6 June 2000 was a Tuesday and a working day.
    assert!(SwedishCalendar::default().is_working_day(d(2000, 6, 6)));
}

#[test]
fn coinciding_holidays_are_both_listed() {
    // 2008: Kristi himmelsfärdsdag on 1 May.
    let may_first: Vec<_> = SwedishCalendar::public_holidays(2008)
        .into_iter()
        .filter(|&(date, _)| date == d(2008, 5, 1))
        .map(|(_, holiday)| holiday)
        .collect();
    assert_eq!(
        may_first,
        [
            PublicHoliday::ForstaMaj,
            PublicHoliday::KristiHimmelsfardsdag
        ]
    );
    assert_eq!(
        SwedishCalendar::public_holiday(d(2008, 5, 1)),
        Some(PublicHoliday::ForstaMaj)
    );
    // 2049: pingstdagen on 6 June.
    assert_eq!(SwedishCalendar::public_holidays(2049).len(), 13);
    assert_eq!(
        SwedishCalendar::public_holiday(d(2049, 6, 6)),
        Some(PublicHoliday::Nationaldagen)
    );
}

#[test]
fn lookup_agrees_with_yearly_list() {
    for year in 1990..=2100 {
        let listed: HashSet<NaiveDate> = SwedishCalendar::public_holidays(year)
            .into_iter()
            .map(|(date, holiday)| {
                assert_eq!(date.year(), year);
                assert!(
                    SwedishCalendar::public_holiday(date).is_some(),
                    "{date} {holiday:?}"
                );
                date
            })
            .collect();
        for date in every_day(d(year, 1, 1), d(year, 12, 31)) {
            assert_eq!(
                SwedishCalendar::public_holiday(date).is_some(),
                listed.contains(&date),
                "{date}"
            );
        }
    }
}

#[test]
fn weekday_holidays_fall_on_their_weekdays() {
    for year in 1990..=2100 {
        for (date, holiday) in SwedishCalendar::public_holidays(year) {
            let expected = match holiday {
                PublicHoliday::Langfredagen => Some(Weekday::Fri),
                PublicHoliday::Paskdagen | PublicHoliday::Pingstdagen => Some(Weekday::Sun),
                PublicHoliday::AnnandagPask | PublicHoliday::AnnandagPingst => Some(Weekday::Mon),
                PublicHoliday::KristiHimmelsfardsdag => Some(Weekday::Thu),
                PublicHoliday::Midsommardagen | PublicHoliday::AllaHelgonsDag => Some(Weekday::Sat),
                _ => None,
            };
            if let Some(weekday) = expected {
                assert_eq!(date.weekday(), weekday, "{date} {holiday:?}");
            }
        }
    }
}

#[test]
fn eves() {
    assert_eq!(
        SwedishCalendar::eve(d(2025, 6, 20)),
        Some(Eve::Midsommarafton)
    );
    assert_eq!(
        SwedishCalendar::eve(d(2026, 6, 19)),
        Some(Eve::Midsommarafton)
    );
    assert_eq!(SwedishCalendar::eve(d(2025, 6, 19)), None);
    assert_eq!(SwedishCalendar::eve(d(2025, 12, 24)), Some(Eve::Julafton));
    assert_eq!(SwedishCalendar::eve(d(2025, 12, 31)), Some(Eve::Nyarsafton));
    assert_eq!(SwedishCalendar::eve(d(2025, 12, 23)), None);
    for year in 1990..=2100 {
        let midsommar = SwedishCalendar::public_holidays(year)
            .into_iter()
            .find(|&(_, holiday)| holiday == PublicHoliday::Midsommardagen)
            .unwrap()
            .0;
        let eves: Vec<_> = every_day(d(year, 1, 1), d(year, 12, 31))
            .filter_map(|date| SwedishCalendar::eve(date).map(|eve| (date, eve)))
            .collect();
        assert_eq!(
            eves,
            [
                (midsommar.pred_opt().unwrap(), Eve::Midsommarafton),
                (d(year, 12, 24), Eve::Julafton),
                (d(year, 12, 31), Eve::Nyarsafton)
            ]
        );
    }
}

#[test]
fn eves_are_working_days_unless_the_setting_says_otherwise() {
    let off = SwedishCalendar::default();
    let on = SwedishCalendar {
        eves_are_holidays: true,
    };
    assert!(!off.eves_are_holidays);
    // Wednesday 24 December 2025.
    assert!(off.is_working_day(d(2025, 12, 24)));
    assert_eq!(
        on.non_working_reason(d(2025, 12, 24)),
        Some(NonWorkingDay::Eve { eve: Eve::Julafton })
    );
    // Friday 20 June 2025.
    assert!(off.is_working_day(d(2025, 6, 20)));
    assert!(!on.is_working_day(d(2025, 6, 20)));
    // Julafton 2022 was a Saturday: the eve is reported when eves count.
    assert_eq!(
        off.non_working_reason(d(2022, 12, 24)),
        Some(NonWorkingDay::Saturday)
    );
    assert_eq!(
        on.non_working_reason(d(2022, 12, 24)),
        Some(NonWorkingDay::Eve { eve: Eve::Julafton })
    );
}

#[test]
fn non_working_reasons() {
    let calendar = SwedishCalendar::default();
    assert_eq!(calendar.non_working_reason(d(2026, 4, 7)), None);
    assert!(calendar.is_working_day(d(2026, 4, 7)));
    assert_eq!(
        calendar.non_working_reason(d(2026, 4, 4)),
        Some(NonWorkingDay::Saturday)
    );
    assert_eq!(
        calendar.non_working_reason(d(2026, 4, 12)),
        Some(NonWorkingDay::Sunday)
    );
    // Påskdagen is a Sunday too: the holiday is reported.
    assert_eq!(
        calendar.non_working_reason(d(2026, 4, 5)),
        Some(NonWorkingDay::PublicHoliday {
            holiday: PublicHoliday::Paskdagen
        })
    );
    // Midsommardagen is a Saturday too.
    assert_eq!(
        calendar.non_working_reason(d(2026, 6, 20)),
        Some(NonWorkingDay::PublicHoliday {
            holiday: PublicHoliday::Midsommardagen
        })
    );
}

#[test]
fn swedish_names_and_reasons() {
    use PublicHoliday::*;
    let names = [
        (Nyarsdagen, "nyårsdagen"),
        (TrettondedagJul, "trettondedag jul"),
        (Langfredagen, "långfredagen"),
        (Paskdagen, "påskdagen"),
        (AnnandagPask, "annandag påsk"),
        (ForstaMaj, "första maj"),
        (KristiHimmelsfardsdag, "Kristi himmelsfärdsdag"),
        (Pingstdagen, "pingstdagen"),
        (AnnandagPingst, "annandag pingst"),
        (Nationaldagen, "nationaldagen"),
        (Midsommardagen, "midsommardagen"),
        (AllaHelgonsDag, "alla helgons dag"),
        (Juldagen, "juldagen"),
        (AnnandagJul, "annandag jul"),
    ];
    for (holiday, name) in names {
        assert_eq!(holiday.swedish_name(), name);
    }
    assert_eq!(Eve::Midsommarafton.swedish_name(), "midsommarafton");
    assert_eq!(Eve::Julafton.swedish_name(), "julafton");
    assert_eq!(Eve::Nyarsafton.swedish_name(), "nyårsafton");

    assert_eq!(NonWorkingDay::Saturday.swedish_reason(), "lördag");
    assert_eq!(NonWorkingDay::Sunday.swedish_reason(), "söndag");
    assert_eq!(
        NonWorkingDay::PublicHoliday { holiday: Paskdagen }.swedish_reason(),
        "allmän helgdag (påskdagen)"
    );
    assert_eq!(
        NonWorkingDay::Eve {
            eve: Eve::Midsommarafton
        }
        .swedish_reason(),
        "midsommarafton, som inte är en allmän helgdag men likställs med helgdag vid beräkning av lagstadgad tid (2 § lag (1930:173))"
    );
}

#[test]
fn serialization() {
    use serde_json::{json, to_value};
    assert_eq!(
        to_value(PublicHoliday::KristiHimmelsfardsdag).unwrap(),
        json!("kristi_himmelsfardsdag")
    );
    assert_eq!(to_value(Eve::Nyarsafton).unwrap(), json!("nyarsafton"));
    assert_eq!(
        to_value(NonWorkingDay::Saturday).unwrap(),
        json!({"kind": "saturday"})
    );
    assert_eq!(
        to_value(NonWorkingDay::PublicHoliday {
            holiday: PublicHoliday::AllaHelgonsDag
        })
        .unwrap(),
        json!({"kind": "public_holiday", "holiday": "alla_helgons_dag"})
    );
    assert_eq!(
        to_value(NonWorkingDay::Eve { eve: Eve::Julafton }).unwrap(),
        json!({"kind": "eve", "eve": "julafton"})
    );
}
