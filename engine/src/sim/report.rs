//! What a run reports, and the tallies it is computed from. Sums are kept in integer
//! milliseconds and divided once at the end, so a report is the same bits natively and in wasm.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::ids::AgentId;
use crate::time::{Time, SECOND};

/// The outcome of a run.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report {
    pub seed: u64,
    pub start: Time,
    /// Where the figures begin (after the warm-up).
    pub measured_from: Time,
    /// The simulated clock at the end of the run.
    pub end: Time,
    pub enquiries: Counts,
    /// From arrival to the first reply, over answered enquiries.
    pub first_response: Spread,
    pub waiting: Waiting,
    /// The mean over agents of the time-averaged number of dialogs held, per agent.
    pub occupancy: f64,
    pub agents: Vec<AgentReport>,
    pub fairness: Fairness,
    pub queue: QueueFigures,
    pub channels: BTreeMap<String, u64>,
    pub regions: BTreeMap<String, u64>,
    pub ratings: Ratings,
    pub series: Vec<Point>,
    /// Events the engine refused; a correct model of the agents and clients causes none.
    pub rejected: Rejected,
}

/// How many enquiries did what. An enquiry counts once in each line that applies.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Arrived.
    pub offered: u64,
    /// Got a first reply.
    pub answered: u64,
    /// The client left before a reply.
    pub abandoned: u64,
    /// Waited in the queue with nobody to take them at least once.
    pub undistributed: u64,
    /// Offers that moved on to another agent: not taken in time, skipped, returned.
    pub forwarded: u64,
    /// Marked unanswered by the no-answer timer.
    pub unanswered_marked: u64,
    pub closed: u64,
    /// Off-hours notices: a client wrote while the line counted as closed (on arrival or
    /// later), at most once until an agent writes inside working hours.
    pub off_hours: u64,
    /// Still open when the run ended.
    pub open_at_end: u64,
}

/// Mean and percentiles of a duration, in seconds.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Spread {
    pub count: u64,
    pub mean_s: f64,
    pub p50_s: f64,
    pub p90_s: f64,
    pub p99_s: f64,
    pub max_s: f64,
    pub target_s: f64,
    /// The share answered within the target (the service level), over answered enquiries.
    pub within_target: f64,
    /// The share answered within the target over all enquiries that arrived (abandoned ones
    /// count as missed).
    pub within_target_of_all: f64,
    /// How many fell in each of [`BUCKET_BOUNDS_S`], the last bucket open-ended.
    pub histogram: Vec<Bucket>,
}

/// The upper bounds of the response-time histogram's buckets (s): steps a support team speaks
/// in, fixed so that two reports' histograms line up.
pub const BUCKET_BOUNDS_S: [u32; 8] = [10, 30, 60, 120, 300, 600, 1_800, 3_600];

/// One bar of a histogram: the values above the previous bound and up to `up_to_s`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Bucket {
    /// The bucket's upper bound (inclusive), in seconds; none for the last, open-ended bucket.
    pub up_to_s: Option<u32>,
    pub count: u64,
}

/// Time in the queue: from arrival to the first offer, or to leaving, or to the end.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Waiting {
    /// The share of enquiries that found nobody to take them on arrival.
    pub probability: f64,
    /// Mean time in the queue over all enquiries, in seconds (Erlang C's average speed of answer).
    pub mean_s: f64,
    /// Mean over the enquiries that waited (s).
    pub mean_of_waiting_s: f64,
    /// The share of enquiries that left before a reply.
    pub abandon_rate: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AgentReport {
    pub id: AgentId,
    pub offers: u64,
    /// Enquiries taken.
    pub assignments: u64,
    pub skips: u64,
    /// The share of the measured time holding at least one dialog.
    pub busy_share: f64,
    /// The time-averaged number of dialogs held.
    pub occupancy: f64,
    /// Mean first response of the enquiries this agent answered (s).
    pub first_response_mean_s: f64,
}

/// How evenly the enquiries split over agents, by assignments.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Fairness {
    /// Jain's index: 1 when all equal, 1/n when one agent takes everything.
    pub jain: f64,
    pub max: u64,
    pub min: u64,
    /// `max / min`; none when some agent took nothing.
    pub max_over_min: Option<f64>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct QueueFigures {
    pub max: u64,
    /// The time-averaged number waiting.
    pub mean: f64,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Ratings {
    pub rated: u64,
    pub positive: u64,
    pub positive_share: f64,
}

/// One interval of the time series; counts are of the interval, levels are at its end.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Point {
    pub at: Time,
    pub arrivals: u64,
    pub answered: u64,
    pub abandoned: u64,
    pub queue: u64,
    pub busy_agents: u64,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Rejected {
    pub count: u64,
    /// The first few, as `at: event: reason`.
    pub first: Vec<String>,
}

/// A level integrated over time from a point on: `∫ level dt` after `from`.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Level {
    pub value: u64,
    pub since: Time,
    /// Integral of the level [ms × level]. An `i64` cannot overflow: a run spans at most
    /// `MAX_SPAN` (400 days, 3.5e10 ms) and a level counts at most `MAX_ENQUIRIES` (2e7), so
    /// the area stays under 7e17, a tenth of `i64::MAX`. (An `i128` would cost a library call
    /// per multiplication in wasm.)
    pub area: i64,
    /// Time with the level above zero (ms).
    pub busy: i64,
}

impl Level {
    /// Accrues up to `now`, counting only time after `from`, then sets the new value.
    pub fn set(&mut self, value: u64, now: Time, from: Time) {
        let begin = self.since.max(from);
        if now > begin {
            let span = now.since(begin);
            self.area += span * self.value as i64;
            if self.value > 0 {
                self.busy += span;
            }
        }
        self.value = value;
        self.since = now;
    }
}

/// Seconds from milliseconds.
pub(crate) fn secs(ms: f64) -> f64 {
    ms / SECOND as f64
}

/// Durations (ms, none negative) kept for their percentiles and histogram. Zeros are counted
/// instead of stored: in a line with agents to spare most first responses are instant, and a
/// run of a million enquiries would otherwise keep, copy and sort a million values that are
/// all the same.
#[derive(Clone, Debug, Default)]
pub(crate) struct Durations {
    zeros: u64,
    others: Vec<i64>,
}

impl Durations {
    pub(crate) fn push(&mut self, ms: i64) {
        debug_assert!(ms >= 0, "a negative duration: {ms} ms");
        if ms == 0 {
            self.zeros += 1;
        } else {
            self.others.push(ms);
        }
    }

    /// The same durations, in order, to read figures from.
    pub(crate) fn sorted(&self) -> Sorted {
        let mut others = self.others.clone();
        others.sort_unstable();
        Sorted {
            zeros: self.zeros,
            others,
        }
    }
}

/// [`Durations`] in order: `zeros` zeros, then `others`, ascending.
pub(crate) struct Sorted {
    zeros: u64,
    others: Vec<i64>,
}

impl Sorted {
    pub(crate) fn len(&self) -> u64 {
        self.zeros + self.others.len() as u64
    }

    pub(crate) fn sum(&self) -> i64 {
        self.others.iter().sum()
    }

    /// The largest, or 0 when there are none.
    pub(crate) fn max(&self) -> i64 {
        self.others.last().copied().unwrap_or(0)
    }

    /// Nearest-rank percentile, or 0 when there are none.
    pub(crate) fn percentile(&self, p: u32) -> i64 {
        let rank = (self.len() * u64::from(p)).div_ceil(100).max(1);
        if rank <= self.zeros {
            return 0;
        }
        self.others
            .get((rank - self.zeros - 1) as usize)
            .copied()
            .unwrap_or(0)
    }

    /// Counts the durations into the buckets of [`BUCKET_BOUNDS_S`]; the zeros fall in the
    /// first.
    pub(crate) fn histogram(&self) -> Vec<Bucket> {
        let mut below = 0;
        let mut out: Vec<Bucket> = BUCKET_BOUNDS_S
            .iter()
            .map(|&b| {
                let upto = self.zeros
                    + self
                        .others
                        .partition_point(|&ms| ms <= i64::from(b) * SECOND)
                        as u64;
                let count = upto - below;
                below = upto;
                Bucket {
                    up_to_s: Some(b),
                    count,
                }
            })
            .collect();
        out.push(Bucket {
            up_to_s: None,
            count: self.len() - below,
        });
        out
    }
}

/// Jain's fairness index of non-negative amounts.
pub(crate) fn jain(values: &[u64]) -> f64 {
    let sum: f64 = values.iter().map(|&v| v as f64).sum();
    let squares: f64 = values.iter().map(|&v| (v as f64) * (v as f64)).sum();
    if squares == 0.0 {
        1.0
    } else {
        sum * sum / (values.len() as f64 * squares)
    }
}

pub(crate) fn ratio(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn durations(ms: &[i64]) -> Sorted {
        let mut d = Durations::default();
        for &v in ms {
            d.push(v);
        }
        d.sorted()
    }

    #[test]
    fn percentiles_by_nearest_rank() {
        let v: Vec<i64> = (1..=100).rev().collect();
        let d = durations(&v);
        assert_eq!(d.percentile(50), 50);
        assert_eq!(d.percentile(90), 90);
        assert_eq!(d.percentile(99), 99);
        assert_eq!(durations(&[7]).percentile(99), 7);
        assert_eq!(durations(&[]).percentile(50), 0);
        let mostly_zero = durations(&[0, 0, 0, 0, 0, 0, 0, 0, 5, 3]);
        assert_eq!(
            [50, 80, 81, 90, 91, 100].map(|p| mostly_zero.percentile(p)),
            [0, 0, 3, 3, 5, 5]
        );
    }

    #[test]
    fn histogram_buckets_include_their_upper_bound() {
        let ms = |s: &[i64]| s.iter().map(|v| v * SECOND).collect::<Vec<_>>();
        let h = durations(&ms(&[90_000, 0, 10, 11, 30, 3_600, 3_601])).histogram();
        let counts: Vec<u64> = h.iter().map(|b| b.count).collect();
        assert_eq!(counts, [2, 2, 0, 0, 0, 0, 0, 1, 2]);
        assert_eq!(h.last().map(|b| b.up_to_s), Some(None));
        assert_eq!(
            durations(&[])
                .histogram()
                .iter()
                .map(|b| b.count)
                .sum::<u64>(),
            0
        );
    }

    /// Counting the zeros apart gives every figure a plain sorted list gives.
    #[test]
    fn durations_read_as_the_sorted_list_they_stand_for() {
        let mut state = 11u64;
        for n in [0usize, 1, 2, 3, 10, 99, 100, 101, 1_000] {
            for zero_share in [0u64, 1, 5, 9, 10] {
                let values: Vec<i64> = (0..n)
                    .map(|_| {
                        state = state
                            .wrapping_mul(6_364_136_223_846_793_005)
                            .wrapping_add(1);
                        let r = state >> 33;
                        if r % 10 < zero_share {
                            0
                        } else {
                            (r % 5_000_000) as i64
                        }
                    })
                    .collect();
                let mut list = values.clone();
                list.sort_unstable();
                let d = durations(&values);
                let what = format!("{n} values, zeros {zero_share} in 10");
                assert_eq!(d.len(), list.len() as u64, "{what}");
                assert_eq!(d.sum(), list.iter().sum::<i64>(), "{what}");
                assert_eq!(d.max(), list.last().copied().unwrap_or(0), "{what}");
                for p in 0..=100 {
                    let rank = (list.len() * p as usize).div_ceil(100).max(1);
                    let want = list.get(rank - 1).copied().unwrap_or(0);
                    assert_eq!(d.percentile(p), want, "{what}, p{p}");
                }
                let counts: Vec<u64> = d.histogram().iter().map(|b| b.count).collect();
                let mut want = Vec::new();
                let mut rest = list.as_slice();
                for b in BUCKET_BOUNDS_S {
                    let k = rest
                        .iter()
                        .take_while(|&&ms| ms <= i64::from(b) * SECOND)
                        .count();
                    want.push(k as u64);
                    rest = &rest[k..];
                }
                want.push(rest.len() as u64);
                assert_eq!(counts, want, "{what}");
            }
        }
    }

    #[test]
    fn jain_index_bounds() {
        assert!((jain(&[5, 5, 5, 5]) - 1.0).abs() < 1e-12);
        assert!((jain(&[20, 0, 0, 0]) - 0.25).abs() < 1e-12);
        assert!(jain(&[10, 5]) < 1.0);
    }

    #[test]
    fn a_level_integrates_after_its_start() {
        let mut l = Level::default();
        l.set(2, Time(0), Time(100));
        l.set(0, Time(300), Time(100));
        assert_eq!(l.area, 400);
        assert_eq!(l.busy, 200);
    }
}
