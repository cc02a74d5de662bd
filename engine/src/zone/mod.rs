//! Time zones: every IANA zone's offset from UTC, from 1970 on, read from a compact table that
//! is generated from chrono-tz and checked against it (`engine/tests/zones.rs`).
//!
//! chrono-tz compiles each zone's whole history into the program as tables of spans; in the web
//! app that was about 180 KB of the 400 KB download budget. The engine needs far less: the
//! total offset (not the abbreviation or the split into standard time and daylight saving), and
//! only from 1970, since no routing configuration or simulation is set earlier. The table keeps
//! exactly that, as text (`table.txt`, about 15 KB compressed), and a zone's lines are parsed
//! the first time the zone is used.
//!
//! What it gives is what chrono-tz gives, instant for instant, from 1970-01-01 to the end of
//! chrono-tz's own horizon (2100; after its last transition a zone keeps its last offset, as in
//! chrono-tz). Before 1970 a zone keeps the offset it had at the start of 1970.
//!
//! To refresh the table after updating chrono-tz:
//! `SWITCHBOARD_WRITE_ZONES=1 cargo test -p switchboard --test zones`.

use std::fmt;
use std::str::FromStr;
use std::sync::OnceLock;

use chrono::{DateTime, Duration, NaiveDateTime};

use crate::time::{Time, SECOND};

/// The generated table. A line is `NAME OFFSET CHANGE...`: the offset in seconds east of UTC at
/// the start of 1970, then each later change as `GAP±STEP`, the seconds since the previous
/// change (or since 1970) and the step of the offset. `NAME=OTHER` is a zone with the same
/// offsets as `OTHER`, which comes earlier. Lines starting with `#` are comments.
static TABLE: &str = include_str!("table.txt");

/// The offsets bracket: no zone has ever been more than this far from UTC (s).
const MAX_OFFSET: i64 = 26 * 3600;

/// An IANA time zone (`Europe/Berlin`, `UTC`, ...). Cheap to copy.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Zone(u16);

/// One zone's offsets: `initial` before the first change, then `(instant, offset)` from that
/// instant on, both in seconds.
struct Offsets {
    initial: i32,
    changes: Box<[(i64, i32)]>,
}

struct Entry {
    name: &'static str,
    /// The entry whose line holds the offsets (itself, or the zone it is the same as).
    data: u16,
    /// The rest of the line after the name.
    body: &'static str,
}

struct Index {
    entries: Vec<Entry>,
    /// Entries by name, for lookups.
    by_name: Vec<u16>,
    /// Parsed offsets, per entry that holds data, on first use.
    offsets: Vec<OnceLock<Offsets>>,
}

fn index() -> &'static Index {
    static INDEX: OnceLock<Index> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut entries: Vec<Entry> = Vec::new();
        for line in TABLE
            .lines()
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
        {
            let entry = match line.split_once('=') {
                Some((name, other)) => {
                    let data = entries
                        .iter()
                        .position(|e| e.name == other)
                        .map_or(entries.len(), |i| entries[i].data as usize);
                    // A link reads its zone's line; its own body is read only when the zone
                    // is missing, which the generated table never has.
                    Entry {
                        name,
                        data: data as u16,
                        body: "0",
                    }
                }
                None => {
                    let (name, body) = line.split_once(' ').unwrap_or((line, "0"));
                    Entry {
                        name,
                        data: entries.len() as u16,
                        body,
                    }
                }
            };
            entries.push(entry);
        }
        let mut by_name: Vec<u16> = (0..entries.len() as u16).collect();
        by_name.sort_by_key(|&i| entries[i as usize].name);
        let offsets = entries.iter().map(|_| OnceLock::new()).collect();
        Index {
            entries,
            by_name,
            offsets,
        }
    })
}

/// Parses a line's body. The table is generated and tested: a malformed token cannot occur,
/// and would only end the zone's changes early.
fn parse(body: &str) -> Offsets {
    let mut tokens = body.split(' ');
    let initial = tokens.next().and_then(|t| t.parse().ok()).unwrap_or(0);
    let (mut at, mut offset) = (0i64, initial);
    let mut changes = Vec::new();
    for token in tokens {
        let Some(split) = token.rfind(['+', '-']).filter(|&i| i > 0) else {
            break;
        };
        let (Ok(gap), Ok(step)) = (token[..split].parse::<i64>(), token[split..].parse::<i32>())
        else {
            break;
        };
        at += gap;
        offset += step;
        changes.push((at, offset));
    }
    Offsets {
        initial,
        changes: changes.into_boxed_slice(),
    }
}

impl Zone {
    /// Coordinated Universal Time (the table's first line).
    pub const UTC: Zone = Zone(0);

    /// The zone of this IANA name (case as in the database), if there is one.
    #[must_use]
    pub fn named(name: &str) -> Option<Zone> {
        let ix = index();
        ix.by_name
            .binary_search_by(|&i| ix.entries[i as usize].name.cmp(name))
            .ok()
            .map(|k| Zone(ix.by_name[k]))
    }

    /// Every zone, by name.
    pub fn all() -> impl Iterator<Item = Zone> {
        index().by_name.iter().map(|&i| Zone(i))
    }

    /// The IANA name.
    #[must_use]
    pub fn name(self) -> &'static str {
        index()
            .entries
            .get(self.0 as usize)
            .map_or("UTC", |e| e.name)
    }

    fn offsets(self) -> &'static Offsets {
        let ix = index();
        let data = ix
            .entries
            .get(self.0 as usize)
            .map_or(0, |e| e.data as usize);
        ix.offsets[data].get_or_init(|| parse(ix.entries[data].body))
    }

    /// The offset east of UTC, in seconds, at `utc` (seconds since the epoch).
    #[must_use]
    pub fn offset_at(self, utc: i64) -> i32 {
        let o = self.offsets();
        match o.changes.partition_point(|&(at, _)| at <= utc) {
            0 => o.initial,
            i => o.changes[i - 1].1,
        }
    }

    /// The local date and time at instant `t`, or `None` outside chrono's range.
    #[must_use]
    pub fn local(self, t: Time) -> Option<NaiveDateTime> {
        let utc = DateTime::from_timestamp_millis(t.0)?.naive_utc();
        let offset = self.offset_at(t.0.div_euclid(SECOND));
        utc.checked_add_signed(Duration::seconds(i64::from(offset)))
    }

    /// The earliest instant that reads `local` on this zone's clocks, or `None` when the clocks
    /// skip it (a gap when they are put forward). When they are put back, a local time reads
    /// twice and the first is taken, as chrono's `earliest()` does.
    #[must_use]
    pub fn instant(self, local: NaiveDateTime) -> Option<Time> {
        let local_ms = local.and_utc().timestamp_millis();
        let (l, ms) = (local_ms.div_euclid(SECOND), local_ms.rem_euclid(SECOND));
        let o = self.offsets();
        // The spans whose UTC range can hold the answer: no offset is over MAX_OFFSET.
        let first = o.changes.partition_point(|&(at, _)| at <= l - MAX_OFFSET);
        let last = o.changes.partition_point(|&(at, _)| at <= l + MAX_OFFSET);
        (first..=last)
            .filter_map(|span| {
                let begin = span.checked_sub(1).map(|i| o.changes[i].0);
                let offset = begin.map_or(o.initial, |_| o.changes[span - 1].1);
                let end = o.changes.get(span).map(|c| c.0);
                let utc = l - i64::from(offset);
                (begin.is_none_or(|b| b <= utc) && end.is_none_or(|e| utc < e)).then_some(utc)
            })
            .min()
            .map(|utc| Time(utc * SECOND + ms))
    }
}

impl FromStr for Zone {
    type Err = ();

    fn from_str(name: &str) -> Result<Zone, ()> {
        Zone::named(name).ok_or(())
    }
}

impl fmt::Display for Zone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl fmt::Debug for Zone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Zone({})", self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Time {
        Time::parse_rfc3339(s).unwrap_or_default()
    }

    fn naive(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap_or_default()
    }

    #[test]
    fn names_resolve_and_the_first_zone_is_utc() {
        assert_eq!(Zone::UTC.name(), "UTC");
        assert_eq!(Zone::named("UTC"), Some(Zone::UTC));
        assert_eq!(
            Zone::named("Europe/Berlin").map(Zone::name),
            Some("Europe/Berlin")
        );
        assert_eq!(Zone::named("europe/berlin"), None);
        assert!(Zone::all().count() > 500);
        let names: Vec<&str> = Zone::all().map(Zone::name).collect();
        assert!(names.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn berlin_summer_time_with_its_gap_and_its_fold() {
        let berlin = Zone::named("Europe/Berlin").unwrap_or(Zone::UTC);
        let local = |t| berlin.local(at(t)).map(|d| d.to_string());
        assert_eq!(
            local("2026-01-15T12:00:00Z").as_deref(),
            Some("2026-01-15 13:00:00")
        );
        assert_eq!(
            local("2026-07-15T12:00:00.250Z").as_deref(),
            Some("2026-07-15 14:00:00.250")
        );
        // 29 March 2026: 02:00 → 03:00; 25 October 2026: 03:00 → 02:00.
        assert_eq!(berlin.instant(naive("2026-03-29 02:30:00")), None);
        assert_eq!(
            berlin.instant(naive("2026-03-29 03:00:00")),
            Some(at("2026-03-29T01:00:00Z"))
        );
        assert_eq!(
            berlin.instant(naive("2026-10-25 02:30:00")),
            Some(at("2026-10-25T00:30:00Z"))
        );
        // A link reads the same offsets as its zone.
        let kolkata = Zone::named("Asia/Kolkata").unwrap_or(Zone::UTC);
        let calcutta = Zone::named("Asia/Calcutta").unwrap_or(Zone::UTC);
        assert_ne!(kolkata, calcutta);
        assert_eq!(calcutta.name(), "Asia/Calcutta");
        assert_eq!(kolkata.offset_at(1_800_000_000), 19_800);
        assert_eq!(calcutta.offset_at(1_800_000_000), 19_800);
    }

    #[test]
    fn a_body_is_read_change_by_change() {
        let o = parse("3600 100+3600 50-3600");
        assert_eq!(o.initial, 3600);
        assert_eq!(&*o.changes, &[(100, 7200), (150, 3600)]);
        let negative = parse("-16200 10-30");
        assert_eq!(negative.initial, -16200);
        assert_eq!(&*negative.changes, &[(10, -16230)]);
    }
}
