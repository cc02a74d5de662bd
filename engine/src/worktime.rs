//! Is a line open at an instant? Evaluated in the line's own time zone, in Bitrix24's order:
//! day off, then holiday, then the hours.

use chrono::{Datelike, Timelike};

use crate::model::Worktime;
use crate::time::Time;

/// Why a line is closed, or that it is open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Openness {
    Open,
    DayOff,
    Holiday,
    OutsideHours,
}

impl Worktime {
    /// Evaluates the hours at `at`. The local time is taken at minute precision and both ends of
    /// an interval are inclusive: Bitrix24 compares `date('G.i')` numerically with
    /// `FROM ≤ t ≤ TO`, so 18:30:59 is still open when the line closes at `18.30`.
    #[must_use]
    pub fn openness(&self, at: Time) -> Openness {
        let Some(local) = self.timezone.local(at) else {
            return Openness::OutsideHours;
        };
        let weekday = local.weekday().num_days_from_monday() as usize;
        if self.days_off[weekday] {
            return Openness::DayOff;
        }
        let (day, month) = (local.day() as u8, local.month() as u8);
        if self.holidays.contains(&(day, month)) {
            return Openness::Holiday;
        }
        let minute = (local.hour() * 60 + local.minute()) as u16;
        if self
            .intervals
            .iter()
            .any(|&(from, to)| from <= minute && minute <= to)
        {
            Openness::Open
        } else {
            Openness::OutsideHours
        }
    }

    /// True when the line never opens: every day is off, or there are no hours.
    #[must_use]
    pub fn never_opens(&self) -> bool {
        self.days_off.iter().all(|&off| off) || self.intervals.is_empty()
    }
}

/// Formats minutes of the day as `HH:MM`.
#[must_use]
pub fn hhmm(minute: u16) -> String {
    format!("{:02}:{:02}", minute / 60, minute % 60)
}

/// Parses `HH:MM` (our format) into minutes of the day.
pub fn parse_hhmm(text: &str) -> Result<u16, String> {
    let bad = || format!("`{text}` is not a time of day, e.g. `09:00` or `18:30`");
    let (h, m) = text.split_once(':').ok_or_else(bad)?;
    if h.is_empty() || h.len() > 2 || m.len() != 2 {
        return Err(bad());
    }
    let h: u16 = h.parse().map_err(|_| bad())?;
    let m: u16 = m.parse().map_err(|_| bad())?;
    if h > 23 || m > 59 {
        return Err(bad());
    }
    Ok(h * 60 + m)
}

/// Weekday codes as Bitrix24 writes them, Monday first.
pub const DAY_CODES: [&str; 7] = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];

/// Parses a holiday `DD.MM` into (day, month), checking the day exists in some year.
pub fn parse_holiday(text: &str) -> Result<(u8, u8), String> {
    let bad = || format!("`{text}` is not a holiday date, e.g. `01.01` or `08.03` (day.month)");
    let (d, m) = text.trim().split_once('.').ok_or_else(bad)?;
    let d: u8 = d.parse().map_err(|_| bad())?;
    let m: u8 = m.parse().map_err(|_| bad())?;
    const DAYS: [u8; 12] = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    if !(1..=12).contains(&m) || d == 0 || d > DAYS[(m - 1) as usize] {
        return Err(bad());
    }
    Ok((d, m))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn berlin_nine_to_six() -> Worktime {
        Worktime {
            timezone: crate::zone::Zone::named("Europe/Berlin").unwrap_or(crate::zone::Zone::UTC),
            intervals: vec![(9 * 60, 18 * 60 + 30)],
            days_off: [false, false, false, false, false, true, true],
            holidays: vec![(1, 1)],
        }
    }

    fn at(text: &str) -> Time {
        Time::parse_rfc3339(text).unwrap()
    }

    #[test]
    fn follows_daylight_saving_time() {
        let w = berlin_nine_to_six();
        // 07:30 UTC is 08:30 in winter (closed) and 09:30 in summer (open).
        assert_eq!(
            w.openness(at("2026-03-27T07:30:00Z")),
            Openness::OutsideHours
        );
        assert_eq!(w.openness(at("2026-03-30T07:30:00Z")), Openness::Open);
    }

    #[test]
    fn end_minute_is_inclusive() {
        let w = berlin_nine_to_six();
        assert_eq!(w.openness(at("2026-01-05T17:30:59Z")), Openness::Open);
        assert_eq!(
            w.openness(at("2026-01-05T17:31:00Z")),
            Openness::OutsideHours
        );
    }

    #[test]
    fn days_off_and_holidays() {
        let w = berlin_nine_to_six();
        assert_eq!(w.openness(at("2026-01-03T10:00:00Z")), Openness::DayOff);
        assert_eq!(w.openness(at("2026-01-01T10:00:00Z")), Openness::Holiday);
    }

    #[test]
    fn parses_times_and_holidays() {
        assert_eq!(parse_hhmm("09:05").unwrap(), 545);
        assert!(parse_hhmm("24:00").is_err());
        assert!(parse_hhmm("9.30").is_err());
        assert_eq!(parse_holiday("08.03").unwrap(), (8, 3));
        assert!(parse_holiday("31.02").is_err());
    }
}
