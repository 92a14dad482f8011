//! The Swedish calendar of public holidays and non-working days.
//!
//! Public holidays follow *lag (1989:253) om allmänna helgdagar*, as it stood
//! in the year asked: from 2005 Sveriges nationaldag (6 June) is a public
//! holiday and annandag pingst is not; before 2005 it was the other way round.
//! Years before 1989 are computed by the same (pre-2005) rules.
//!
//! Midsommarafton, julafton and nyårsafton are not public holidays, but
//! *lag (1930:173) om beräkning av lagstadgad tid* treats them like one when a
//! statutory period is computed. [`SwedishCalendar::eves_are_holidays`] decides
//! whether they count as non-working days.
//!
//! Saturdays are not public holidays, but they are not working days either
//! (Regulation (EEC, Euratom) No 1182/71 art. 3.4 and lag (1930:173)).

use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::Serialize;

/// The first year in which 6 June (Sveriges nationaldag) is a public holiday
/// and annandag pingst no longer is.
const NATIONALDAGEN_FROM: i32 = 2005;

/// Easter Sunday of `year` in the Gregorian calendar, by the anonymous
/// Gregorian computus (Meeus/Jones/Butcher).
///
/// # Panics
/// If the date is outside the range supported by [`NaiveDate`].
pub fn easter_sunday(year: i32) -> NaiveDate {
    let a = year.rem_euclid(19);
    let b = year.div_euclid(100);
    let c = year.rem_euclid(100);
    let d = b.div_euclid(4);
    let e = b.rem_euclid(4);
    let f = (b + 8).div_euclid(25);
    let g = (b - f + 1).div_euclid(3);
    let h = (19 * a + b - d - g + 15).rem_euclid(30);
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k).rem_euclid(7);
    let m = (a + 11 * h + 22 * l) / 451;
    let n = h + l - 7 * m + 114;
    let (month, day) = (n / 31, n % 31 + 1);
    // `month` is 3 or 4 and `day` is 1..=31 by construction.
    NaiveDate::from_ymd_opt(year, month as u32, day as u32).expect("Easter Sunday within range")
}

/// A public holiday under lag (1989:253) om allmänna helgdagar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PublicHoliday {
    /// 1 January.
    Nyarsdagen,
    /// 6 January.
    TrettondedagJul,
    /// Good Friday, two days before Easter Sunday.
    Langfredagen,
    /// Easter Sunday.
    Paskdagen,
    /// Easter Monday.
    AnnandagPask,
    /// 1 May.
    ForstaMaj,
    /// Ascension Day, 39 days after Easter Sunday.
    KristiHimmelsfardsdag,
    /// Whit Sunday, 49 days after Easter Sunday.
    Pingstdagen,
    /// Whit Monday, 50 days after Easter Sunday; a public holiday only before 2005.
    AnnandagPingst,
    /// Sveriges nationaldag, 6 June; a public holiday from 2005.
    Nationaldagen,
    /// The Saturday between 20 and 26 June.
    Midsommardagen,
    /// The Saturday between 31 October and 6 November.
    AllaHelgonsDag,
    /// 25 December.
    Juldagen,
    /// 26 December.
    AnnandagJul,
}

impl PublicHoliday {
    /// The holiday's name in Swedish, in lower case as in running text.
    pub fn swedish_name(&self) -> &'static str {
        match self {
            Self::Nyarsdagen => "nyårsdagen",
            Self::TrettondedagJul => "trettondedag jul",
            Self::Langfredagen => "långfredagen",
            Self::Paskdagen => "påskdagen",
            Self::AnnandagPask => "annandag påsk",
            Self::ForstaMaj => "första maj",
            Self::KristiHimmelsfardsdag => "Kristi himmelsfärdsdag",
            Self::Pingstdagen => "pingstdagen",
            Self::AnnandagPingst => "annandag pingst",
            Self::Nationaldagen => "nationaldagen",
            Self::Midsommardagen => "midsommardagen",
            Self::AllaHelgonsDag => "alla helgons dag",
            Self::Juldagen => "juldagen",
            Self::AnnandagJul => "annandag jul",
        }
    }
}

/// An eve that lag (1930:173) om beräkning av lagstadgad tid treats like a
/// public holiday, although it is not one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Eve {
    /// The Friday before midsommardagen (19-25 June).
    Midsommarafton,
    /// 24 December.
    Julafton,
    /// 31 December.
    Nyarsafton,
}

impl Eve {
    /// The eve's name in Swedish, in lower case as in running text.
    pub fn swedish_name(&self) -> &'static str {
        match self {
            Self::Midsommarafton => "midsommarafton",
            Self::Julafton => "julafton",
            Self::Nyarsafton => "nyårsafton",
        }
    }
}

/// Why a day is not a working day.
///
/// A day with several reasons (påskdagen is also a Sunday) reports the most
/// informative one: a public holiday first, then an eve (when eves count),
/// then Saturday or Sunday.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum NonWorkingDay {
    Saturday,
    Sunday,
    PublicHoliday { holiday: PublicHoliday },
    Eve { eve: Eve },
}

impl NonWorkingDay {
    /// The reason in Swedish, to follow "2026-04-03 är ...".
    pub fn swedish_reason(&self) -> String {
        match self {
            Self::Saturday => "lördag".to_owned(),
            Self::Sunday => "söndag".to_owned(),
            Self::PublicHoliday { holiday } => {
                format!("allmän helgdag ({})", holiday.swedish_name())
            }
            Self::Eve { eve } => format!(
                "{}, som inte är en allmän helgdag men likställs med helgdag vid beräkning av lagstadgad tid (2 § lag (1930:173))",
                eve.swedish_name()
            ),
        }
    }
}

/// The Swedish calendar of working days for statutory periods.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SwedishCalendar {
    /// Whether midsommarafton, julafton and nyårsafton are non-working days,
    /// as lag (1930:173) om beräkning av lagstadgad tid treats them.
    pub eves_are_holidays: bool,
}

impl SwedishCalendar {
    /// The public holiday on `date` under lag (1989:253), if any.
    ///
    /// Sundays are public holidays by law too, but only named holidays are
    /// returned here. When two holidays fall on the same day (Kristi
    /// himmelsfärdsdag on 1 May, pingstdagen on 6 June), the fixed-date one is
    /// returned.
    pub fn public_holiday(date: NaiveDate) -> Option<PublicHoliday> {
        use PublicHoliday::*;
        let saturday = date.weekday() == Weekday::Sat;
        let fixed = match (date.month(), date.day()) {
            (1, 1) => Some(Nyarsdagen),
            (1, 6) => Some(TrettondedagJul),
            (5, 1) => Some(ForstaMaj),
            (6, 6) if date.year() >= NATIONALDAGEN_FROM => Some(Nationaldagen),
            (6, 20..=26) if saturday => Some(Midsommardagen),
            (10, 31) | (11, 1..=6) if saturday => Some(AllaHelgonsDag),
            (12, 25) => Some(Juldagen),
            (12, 26) => Some(AnnandagJul),
            _ => None,
        };
        fixed.or_else(|| movable_holiday(date))
    }

    /// The eve on `date` (midsommarafton, julafton or nyårsafton), if any,
    /// whatever [`Self::eves_are_holidays`] says.
    pub fn eve(date: NaiveDate) -> Option<Eve> {
        match (date.month(), date.day()) {
            (6, 19..=25) if date.weekday() == Weekday::Fri => Some(Eve::Midsommarafton),
            (12, 24) => Some(Eve::Julafton),
            (12, 31) => Some(Eve::Nyarsafton),
            _ => None,
        }
    }

    /// Why `date` is not a working day, or `None` if it is one.
    pub fn non_working_reason(&self, date: NaiveDate) -> Option<NonWorkingDay> {
        if let Some(holiday) = Self::public_holiday(date) {
            return Some(NonWorkingDay::PublicHoliday { holiday });
        }
        if self.eves_are_holidays {
            if let Some(eve) = Self::eve(date) {
                return Some(NonWorkingDay::Eve { eve });
            }
        }
        match date.weekday() {
            Weekday::Sat => Some(NonWorkingDay::Saturday),
            Weekday::Sun => Some(NonWorkingDay::Sunday),
            _ => None,
        }
    }

    /// Whether `date` is a working day: not a Saturday, Sunday or public
    /// holiday, nor an eve when eves count.
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        self.non_working_reason(date).is_none()
    }

    /// The named public holidays of `year` (not the ordinary Sundays), sorted
    /// by date. Two holidays on the same day are both listed.
    pub fn public_holidays(year: i32) -> Vec<(NaiveDate, PublicHoliday)> {
        use PublicHoliday::*;
        let on = |month, day| NaiveDate::from_ymd_opt(year, month, day).expect("valid date");
        let easter = easter_sunday(year);
        let after_easter = |days| easter + Days::new(days);
        let saturday_from = |month, day| {
            let start: NaiveDate = on(month, day);
            let to_saturday = (7 + Weekday::Sat.num_days_from_monday()
                - start.weekday().num_days_from_monday())
                % 7;
            start + Days::new(u64::from(to_saturday))
        };

        let mut holidays = vec![
            (on(1, 1), Nyarsdagen),
            (on(1, 6), TrettondedagJul),
            (on(5, 1), ForstaMaj),
            (saturday_from(6, 20), Midsommardagen),
            (saturday_from(10, 31), AllaHelgonsDag),
            (on(12, 25), Juldagen),
            (on(12, 26), AnnandagJul),
            (easter - Days::new(2), Langfredagen),
            (easter, Paskdagen),
            (after_easter(1), AnnandagPask),
            (after_easter(39), KristiHimmelsfardsdag),
            (after_easter(49), Pingstdagen),
        ];
        if year >= NATIONALDAGEN_FROM {
            holidays.push((on(6, 6), Nationaldagen));
        } else {
            holidays.push((after_easter(50), AnnandagPingst));
        }
        holidays.sort_by_key(|&(date, _)| date);
        holidays
    }
}

/// The Easter-dependent holiday on `date`, if any.
fn movable_holiday(date: NaiveDate) -> Option<PublicHoliday> {
    // Långfredagen is at the earliest 20 March, annandag pingst at the latest
    // 14 June: skip the computus outside March-June.
    if !(3..=6).contains(&date.month()) {
        return None;
    }
    let offset = date
        .signed_duration_since(easter_sunday(date.year()))
        .num_days();
    match offset {
        -2 => Some(PublicHoliday::Langfredagen),
        0 => Some(PublicHoliday::Paskdagen),
        1 => Some(PublicHoliday::AnnandagPask),
        39 => Some(PublicHoliday::KristiHimmelsfardsdag),
        49 => Some(PublicHoliday::Pingstdagen),
        50 if date.year() < NATIONALDAGEN_FROM => Some(PublicHoliday::AnnandagPingst),
        _ => None,
    }
}
