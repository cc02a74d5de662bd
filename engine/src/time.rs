//! Time as integers: instants are milliseconds since the Unix epoch (UTC), durations are
//! milliseconds. Floating-point seconds never key anything, so every ordering is exact and
//! identical on native and wasm.

use std::fmt;

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// One second (milliseconds).
pub const SECOND: i64 = 1_000;
/// One minute (milliseconds).
pub const MINUTE: i64 = 60 * SECOND;
/// One hour (milliseconds).
pub const HOUR: i64 = 60 * MINUTE;
/// One day (milliseconds).
pub const DAY: i64 = 24 * HOUR;

/// An instant: milliseconds since 1970-01-01T00:00:00Z.
///
/// Serialized as an RFC 3339 string in UTC (`2026-03-02T09:00:00Z`), because people read the
/// scenario files and the action logs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Time(pub i64);

/// Two keys as one integer that orders by `high`, then `low`: a heap or a search compares it
/// once, without a branch for each part of a tuple.
#[must_use]
#[inline]
pub(crate) fn pack(high: u64, low: u64) -> u128 {
    u128::from(high) << 64 | u128::from(low)
}

impl Time {
    /// The latest instant a document may name, 9999-12-31T23:59:59.999Z: RFC 3339 writes years
    /// in four digits, so a later instant could be written but not read back.
    pub const LATEST: Time = Time(253_402_300_799_999);

    /// The instant as an unsigned integer in the same order (the sign bit flipped), for keys
    /// that pack it with other numbers into one integer.
    #[must_use]
    #[inline]
    pub(crate) fn key(self) -> u64 {
        self.0 as u64 ^ (1 << 63)
    }

    /// The instant of a [`Time::key`].
    #[must_use]
    #[inline]
    pub(crate) fn from_key(key: u64) -> Time {
        Time((key ^ (1 << 63)) as i64)
    }

    /// The instant `ms` milliseconds after this one (saturating at the ends of the range).
    #[must_use]
    pub fn plus(self, ms: i64) -> Time {
        Time(self.0.saturating_add(ms))
    }

    /// Whole milliseconds from `earlier` to `self` (negative when `earlier` is later).
    #[must_use]
    pub fn since(self, earlier: Time) -> i64 {
        self.0.saturating_sub(earlier.0)
    }

    /// The first multiple of `period` (ms) at or after this instant; `period == 0` is no rounding.
    ///
    /// Bitrix24 processes queue deadlines from an agent that runs once a minute, so a deadline
    /// takes effect at the first run at or after it.
    #[must_use]
    pub fn ceil_to(self, period: i64) -> Time {
        if period <= 0 {
            return self;
        }
        let rem = self.0.rem_euclid(period);
        if rem == 0 {
            self
        } else {
            self.plus(period - rem)
        }
    }

    /// This instant as a chrono date-time, or `None` outside chrono's range.
    #[must_use]
    pub fn to_utc(self) -> Option<DateTime<Utc>> {
        DateTime::<Utc>::from_timestamp_millis(self.0)
    }

    /// Parses an RFC 3339 date-time with an offset (`2026-03-02T09:00:00Z`, `...+03:00`).
    pub fn parse_rfc3339(text: &str) -> Result<Time, String> {
        DateTime::parse_from_rfc3339(text)
            .map(|t| Time(t.timestamp_millis()))
            .map_err(|e| {
                format!("`{text}` is not an RFC 3339 date-time ({e}), e.g. `2026-03-02T09:00:00Z`")
            })
    }
}

impl fmt::Display for Time {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.to_utc() {
            Some(t) => {
                let secs = if self.0.rem_euclid(SECOND) == 0 {
                    SecondsFormat::Secs
                } else {
                    SecondsFormat::Millis
                };
                f.write_str(&t.to_rfc3339_opts(secs, true))
            }
            None => write!(f, "{}ms", self.0),
        }
    }
}

impl Serialize for Time {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Time {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Time::parse_rfc3339(&text).map_err(serde::de::Error::custom)
    }
}

/// Parses a duration written as `90s`, `15m`, `1h30m`, `2d`, `500ms` or a combination.
pub fn parse_duration(text: &str) -> Result<i64, String> {
    let bad = || format!("`{text}` is not a duration, e.g. `90s`, `15m`, `1h30m`, `2d`");
    if text.is_empty() {
        return Err(bad());
    }
    let mut total: i64 = 0;
    let mut rest = text;
    while !rest.is_empty() {
        let digits = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        if digits == 0 {
            return Err(bad());
        }
        let value: i64 = rest[..digits].parse().map_err(|_| {
            format!("`{text}` is too long a duration: at most about 292 million years")
        })?;
        rest = &rest[digits..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit())
            .unwrap_or(rest.len());
        let unit = match &rest[..unit_len] {
            "ms" => 1,
            "s" => SECOND,
            "m" | "min" => MINUTE,
            "h" => HOUR,
            "d" => DAY,
            _ => return Err(bad()),
        };
        rest = &rest[unit_len..];
        total = value
            .checked_mul(unit)
            .and_then(|v| total.checked_add(v))
            .ok_or_else(|| {
                format!("`{text}` is too long a duration: at most about 292 million years")
            })?;
    }
    Ok(total)
}

/// Resolves `+90s`-style offsets from `start`, or reads an RFC 3339 instant, as documents
/// write instants. An offset that lands after [`Time::LATEST`] is refused.
pub fn resolve_time(text: &str, start: Time) -> Result<Time, String> {
    match text.strip_prefix('+') {
        Some(offset) => {
            let at = start.plus(parse_duration(offset)?);
            if at > Time::LATEST {
                return Err(format!(
                    "`{text}` lands after {}, the latest instant a document may name",
                    Time::LATEST
                ));
            }
            Ok(at)
        }
        None => Time::parse_rfc3339(text),
    }
}

/// A duration for people: `45 s`, `2 min`, `1 h 20 min`, `3 d 4 h`.
#[must_use]
pub fn human_duration(ms: i64) -> String {
    let secs = ms.abs() / SECOND;
    let sign = if ms < 0 { "-" } else { "" };
    if secs < 60 {
        format!("{sign}{secs} s")
    } else if secs < 3600 {
        format!("{sign}{} min", secs / 60)
    } else if secs < 86_400 {
        let m = (secs % 3600) / 60;
        if m == 0 {
            format!("{sign}{} h", secs / 3600)
        } else {
            format!("{sign}{} h {m} min", secs / 3600)
        }
    } else {
        let h = (secs % 86_400) / 3600;
        if h == 0 {
            format!("{sign}{} d", secs / 86_400)
        } else {
            format!("{sign}{} d {h} h", secs / 86_400)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_round_trips() {
        let t = Time::parse_rfc3339("2026-03-02T09:00:00Z").unwrap();
        assert_eq!(t.to_string(), "2026-03-02T09:00:00Z");
        assert_eq!(Time::parse_rfc3339("2026-03-02T12:00:00+03:00").unwrap(), t);
        assert!(Time::parse_rfc3339("2026-03-02 09:00").is_err());
    }

    #[test]
    fn ceil_rounds_up_to_the_next_run() {
        assert_eq!(Time(61_000).ceil_to(MINUTE), Time(120_000));
        assert_eq!(Time(120_000).ceil_to(MINUTE), Time(120_000));
        assert_eq!(Time(61_000).ceil_to(0), Time(61_000));
    }

    #[test]
    fn durations_parse_and_print() {
        assert_eq!(parse_duration("1h30m").unwrap(), 90 * MINUTE);
        assert_eq!(parse_duration("90s").unwrap(), 90 * SECOND);
        assert_eq!(parse_duration("250ms").unwrap(), 250);
        assert!(parse_duration("h").is_err());
        assert!(parse_duration("5 weeks").is_err());
        assert!(parse_duration("99999999999999999999s").is_err());
        assert_eq!(human_duration(2 * MINUTE + 5 * SECOND), "2 min");
        assert_eq!(human_duration(80 * MINUTE), "1 h 20 min");
    }
}
