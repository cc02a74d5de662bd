//! Dates and times as the page writes them: `14:05:09`, `Mon 02 Mar`, `Mon 02 Mar 2026`,
//! `March 2026`. They are written out here instead of through chrono's `format`, whose
//! strftime interpreter was 7 KB of the compressed download for these four patterns.

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};
use switchboard::time::Time;
use switchboard::zone::Zone;

/// The weekdays' names, Monday first.
pub const WEEKDAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];
const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// How much of an instant to show.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shown {
    /// `14:05:09`
    Clock,
    /// `Mon 02 Mar`
    Day,
    /// `Mon 02 Mar 2026`
    DayAndYear,
}

/// `t` read in `zone` and written as `shown` says; the UTC instant when the zone cannot
/// read it.
#[must_use]
pub fn local(zone: Zone, t: Time, shown: Shown) -> String {
    match zone.local(t) {
        Some(d) => match shown {
            Shown::Clock => clock(d),
            Shown::Day => day(d.date()),
            Shown::DayAndYear => format!("{} {}", day(d.date()), d.year()),
        },
        None => t.to_string(),
    }
}

/// `14:05:09`
#[must_use]
pub fn clock(t: NaiveDateTime) -> String {
    format!("{:02}:{:02}:{:02}", t.hour(), t.minute(), t.second())
}

/// `Mon 02 Mar`
#[must_use]
pub fn day(d: NaiveDate) -> String {
    let weekday = WEEKDAYS[d.weekday().num_days_from_monday() as usize];
    format!("{} {:02} {}", &weekday[..3], d.day(), &month(d)[..3])
}

/// `March`
#[must_use]
pub fn month(d: NaiveDate) -> &'static str {
    MONTHS[d.month0() as usize]
}

/// `March 2026`
#[must_use]
pub fn month_and_year(d: NaiveDate) -> String {
    format!("{} {}", month(d), d.year())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every day of two years (a leap year among them) and every second of a day read as
    /// chrono's strftime writes them.
    #[test]
    fn the_patterns_read_as_strftime_writes_them() {
        let mut d = NaiveDate::from_ymd_opt(2027, 12, 31).unwrap_or_default();
        let first = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default();
        while d >= first {
            assert_eq!(day(d), d.format("%a %d %b").to_string());
            assert_eq!(month(d), d.format("%B").to_string());
            assert_eq!(month_and_year(d), d.format("%B %Y").to_string());
            d = d.pred_opt().unwrap_or_default();
        }
        let midnight = first.and_hms_opt(0, 0, 0).unwrap_or_default();
        for s in 0..86_400 {
            let t = midnight + chrono::Duration::seconds(s);
            assert_eq!(clock(t), t.format("%H:%M:%S").to_string());
        }
    }

    #[test]
    fn an_instant_is_read_in_the_zone() {
        let zone = Zone::named("Europe/Moscow").unwrap_or(Zone::UTC);
        let t = Time::parse_rfc3339("2026-03-02T06:05:09Z").unwrap_or_default();
        assert_eq!(local(zone, t, Shown::Clock), "09:05:09");
        assert_eq!(local(zone, t, Shown::Day), "Mon 02 Mar");
        assert_eq!(local(zone, t, Shown::DayAndYear), "Mon 02 Mar 2026");
        assert_eq!(local(Zone::UTC, t, Shown::Clock), "06:05:09");
    }
}
