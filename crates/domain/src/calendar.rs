//! The French calendar for deadlines: public holidays, working days, adding months, and writing dates in English.
//!
//! Public holidays are those of the Code du travail, L.3133-1: eight on fixed dates (kept as data below) and
//! three that move with Easter (Easter Monday, Ascension Day, Whit Monday), computed. The local holidays of
//! Alsace-Moselle and overseas departments are not included: the office and the asylum court sit near Paris.

use time::{Date, Duration, Month, Weekday};

/// The public holidays on fixed dates: (month, day, English name). Source: Code du travail, L.3133-1.
pub const FIXED_HOLIDAYS: [(Month, u8, &str); 8] = [
    (Month::January, 1, "New Year's Day"),
    (Month::May, 1, "Labour Day"),
    (Month::May, 8, "Victory in Europe Day"),
    (Month::July, 14, "National Day"),
    (Month::August, 15, "Assumption Day"),
    (Month::November, 1, "All Saints' Day"),
    (Month::November, 11, "Armistice Day"),
    (Month::December, 25, "Christmas Day"),
];

/// Days after Easter Sunday of the moving public holidays, with their names.
const EASTER_HOLIDAYS: [(i64, &str); 3] = [(1, "Easter Monday"), (39, "Ascension Day"), (50, "Whit Monday")];

/// Easter Sunday of a Gregorian year (the anonymous algorithm of 1876, "Meeus/Jones/Butcher").
/// `None` only for years outside the range of [`Date`].
pub fn easter_sunday(year: i32) -> Option<Date> {
    let a = year.rem_euclid(19);
    let b = year.div_euclid(100);
    let c = year.rem_euclid(100);
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15).rem_euclid(30);
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k).rem_euclid(7);
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    let month = Month::try_from(u8::try_from(month).ok()?).ok()?;
    Date::from_calendar_date(year, month, u8::try_from(day).ok()?).ok()
}

/// The name of the public holiday on `date`, if it is one.
pub fn public_holiday(date: Date) -> Option<&'static str> {
    if let Some((_, _, name)) = FIXED_HOLIDAYS.iter().find(|(m, d, _)| *m == date.month() && *d == date.day()) {
        return Some(name);
    }
    let easter = easter_sunday(date.year())?;
    EASTER_HOLIDAYS.iter().find(|(offset, _)| easter + Duration::days(*offset) == date).map(|(_, name)| *name)
}

pub fn is_public_holiday(date: Date) -> bool {
    public_holiday(date).is_some()
}

/// Not a Saturday, not a Sunday, not a public holiday.
pub fn is_working_day(date: Date) -> bool {
    !matches!(date.weekday(), Weekday::Saturday | Weekday::Sunday) && !is_public_holiday(date)
}

/// Why a day is not a working day, in the words of an explanation: "a public holiday", "a Saturday", "a Sunday".
pub fn non_working_reason(date: Date) -> Option<&'static str> {
    if is_public_holiday(date) {
        Some("a public holiday")
    } else {
        match date.weekday() {
            Weekday::Saturday => Some("a Saturday"),
            Weekday::Sunday => Some("a Sunday"),
            _ => None,
        }
    }
}

/// The first working day on or after `date`: `date` itself when it is one. This is how a deadline that ends on
/// a Saturday, a Sunday or a public holiday is carried over (Code de procédure civile, art. 642).
pub fn next_working_day(date: Date) -> Date {
    let mut d = date;
    // A run of non-working days is at most a few days long; the bound only guards against the end of time.
    for _ in 0..14 {
        if is_working_day(d) {
            return d;
        }
        match d.next_day() {
            Some(n) => d = n,
            None => return d,
        }
    }
    d
}

/// The days skipped when carrying `date` over to the next working day, each with its reason.
pub fn skipped_days(date: Date) -> Vec<(Date, &'static str)> {
    let end = next_working_day(date);
    let mut out = Vec::new();
    let mut d = date;
    while d < end {
        if let Some(reason) = non_working_reason(d) {
            out.push((d, reason));
        }
        match d.next_day() {
            Some(n) => d = n,
            None => break,
        }
    }
    out
}

/// The same day `months` months later, clamped to the end of a shorter month (31 January + 1 month = 28 or
/// 29 February). Saturates at the last representable date.
pub fn add_months(date: Date, months: u32) -> Date {
    let total = i64::from(date.year()) * 12 + i64::from(u8::from(date.month())) - 1 + i64::from(months);
    let (Ok(year), Ok(month0)) = (i32::try_from(total.div_euclid(12)), u8::try_from(total.rem_euclid(12))) else {
        return Date::MAX;
    };
    let Ok(month) = Month::try_from(month0 + 1) else {
        return Date::MAX;
    };
    let day = date.day().min(month.length(year));
    Date::from_calendar_date(year, month, day).unwrap_or(Date::MAX)
}

/// `date` plus `days` calendar days (negative to go back), saturating at the ends of time.
pub fn add_days(date: Date, days: i64) -> Date {
    date.checked_add(Duration::days(days)).unwrap_or(if days < 0 { Date::MIN } else { Date::MAX })
}

fn month_name(m: Month) -> &'static str {
    match m {
        Month::January => "January",
        Month::February => "February",
        Month::March => "March",
        Month::April => "April",
        Month::May => "May",
        Month::June => "June",
        Month::July => "July",
        Month::August => "August",
        Month::September => "September",
        Month::October => "October",
        Month::November => "November",
        Month::December => "December",
    }
}

fn weekday_name(w: Weekday) -> &'static str {
    match w {
        Weekday::Monday => "Monday",
        Weekday::Tuesday => "Tuesday",
        Weekday::Wednesday => "Wednesday",
        Weekday::Thursday => "Thursday",
        Weekday::Friday => "Friday",
        Weekday::Saturday => "Saturday",
        Weekday::Sunday => "Sunday",
    }
}

/// "14 July 2026".
pub fn format_date(d: Date) -> String {
    format!("{} {} {}", d.day(), month_name(d.month()), d.year())
}

/// "Monday 17 August 2026".
pub fn format_date_with_weekday(d: Date) -> String {
    format!("{} {}", weekday_name(d.weekday()), format_date(d))
}

/// "15 August".
pub fn format_day_month(d: Date) -> String {
    format!("{} {}", d.day(), month_name(d.month()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn easter() {
        assert_eq!(easter_sunday(2024), Some(date!(2024 - 03 - 31)));
        assert_eq!(easter_sunday(2025), Some(date!(2025 - 04 - 20)));
        assert_eq!(easter_sunday(2026), Some(date!(2026 - 04 - 05)));
        assert_eq!(easter_sunday(2027), Some(date!(2027 - 03 - 28)));
        assert_eq!(easter_sunday(2000), Some(date!(2000 - 04 - 23)));
        assert_eq!(easter_sunday(2038), Some(date!(2038 - 04 - 25)));
        assert_eq!(easter_sunday(1818), Some(date!(1818 - 03 - 22)));
    }

    #[test]
    fn holidays_of_2026() {
        assert_eq!(public_holiday(date!(2026 - 04 - 06)), Some("Easter Monday"));
        assert_eq!(public_holiday(date!(2026 - 05 - 14)), Some("Ascension Day"));
        assert_eq!(public_holiday(date!(2026 - 05 - 25)), Some("Whit Monday"));
        assert_eq!(public_holiday(date!(2026 - 07 - 14)), Some("National Day"));
        assert_eq!(public_holiday(date!(2026 - 08 - 15)), Some("Assumption Day"));
        assert_eq!(public_holiday(date!(2026 - 04 - 05)), None, "Easter Sunday is a Sunday, not a listed holiday");
        assert_eq!(public_holiday(date!(2026 - 04 - 03)), None, "Good Friday only in Alsace-Moselle");
        assert_eq!(public_holiday(date!(2025 - 04 - 21)), Some("Easter Monday"));
        assert_eq!(public_holiday(date!(2024 - 04 - 01)), Some("Easter Monday"));
        assert_eq!(public_holiday(date!(2024 - 05 - 09)), Some("Ascension Day"));
        assert_eq!(public_holiday(date!(2024 - 05 - 20)), Some("Whit Monday"));
    }

    #[test]
    fn working_days() {
        assert!(is_working_day(date!(2026 - 08 - 14)), "a Friday");
        assert!(!is_working_day(date!(2026 - 08 - 15)), "Saturday and Assumption Day");
        assert!(!is_working_day(date!(2026 - 08 - 16)), "a Sunday");
        assert_eq!(next_working_day(date!(2026 - 08 - 15)), date!(2026 - 08 - 17));
        assert_eq!(next_working_day(date!(2026 - 08 - 17)), date!(2026 - 08 - 17), "on or after");
        // Christmas Friday 2026: Friday 25, Saturday 26, Sunday 27 -> Monday 28.
        assert_eq!(next_working_day(date!(2026 - 12 - 25)), date!(2026 - 12 - 28));
        // Saturday 2 May 2026, Sunday 3 May -> Monday 4 May.
        assert_eq!(next_working_day(date!(2026 - 05 - 02)), date!(2026 - 05 - 04));
        // Ascension Thursday 14 May 2026 -> Friday 15 May.
        assert_eq!(next_working_day(date!(2026 - 05 - 14)), date!(2026 - 05 - 15));
        // Easter Sunday 2025 -> Easter Monday is a holiday too -> Tuesday 22 April.
        assert_eq!(next_working_day(date!(2025 - 04 - 20)), date!(2025 - 04 - 22));
        assert_eq!(
            skipped_days(date!(2026 - 08 - 15)),
            vec![(date!(2026 - 08 - 15), "a public holiday"), (date!(2026 - 08 - 16), "a Sunday")]
        );
        assert!(skipped_days(date!(2026 - 08 - 17)).is_empty());
    }

    #[test]
    fn months_are_added_with_clamping() {
        assert_eq!(add_months(date!(2026 - 07 - 14), 1), date!(2026 - 08 - 14));
        assert_eq!(add_months(date!(2026 - 01 - 31), 1), date!(2026 - 02 - 28));
        assert_eq!(add_months(date!(2028 - 01 - 31), 1), date!(2028 - 02 - 29));
        assert_eq!(add_months(date!(2026 - 03 - 31), 1), date!(2026 - 04 - 30));
        assert_eq!(add_months(date!(2026 - 12 - 15), 1), date!(2027 - 01 - 15));
        assert_eq!(add_months(date!(2026 - 03 - 03), 6), date!(2026 - 09 - 03));
        assert_eq!(add_months(date!(2026 - 08 - 31), 6), date!(2027 - 02 - 28));
        assert_eq!(add_months(date!(2026 - 03 - 03), 15), date!(2027 - 06 - 03));
        assert_eq!(add_months(date!(2026 - 03 - 03), 0), date!(2026 - 03 - 03));
        assert_eq!(add_months(Date::MAX, 1), Date::MAX);
        assert_eq!(add_days(date!(2026 - 02 - 27), 2), date!(2026 - 03 - 01));
    }

    #[test]
    fn dates_in_english() {
        assert_eq!(format_date(date!(2026 - 07 - 14)), "14 July 2026");
        assert_eq!(format_date_with_weekday(date!(2026 - 08 - 17)), "Monday 17 August 2026");
        assert_eq!(format_day_month(date!(2026 - 08 - 15)), "15 August");
    }
}
