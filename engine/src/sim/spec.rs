//! The `simulation` part of a scenario file, as written, and its resolution into a [`Plan`]
//! with diagnostics. Every value is checked here, with its path, so that a run never starts on
//! an impossible parameter and never runs away.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::random::Dist;
use crate::config::fields::parse_timezone;
use crate::config::shown;
use crate::diagnostic::{suggestion, Diagnostic};
use crate::model::Setup;
use crate::time::{human_duration, parse_duration, resolve_time, Time, DAY, HOUR, MINUTE, SECOND};
use crate::worktime::parse_hhmm;
use crate::zone::Zone;

/// The most enquiries one run may simulate (expected arrivals included).
pub const MAX_ENQUIRIES: f64 = 20_000_000.0;
/// The most enquiries one burst may hold: they can all be open at the same instant, and each
/// open enquiry costs a few hundred bytes.
pub const MAX_BURST: u64 = 1_000_000;
/// The most enquiries an hour a rate may ask for: more than a whole run can simulate.
pub const MAX_RATE: f64 = MAX_ENQUIRIES;
/// The longest simulated span of one run.
pub const MAX_SPAN: i64 = 400 * DAY;
/// How long a run that stops arrivals by count may go on to let open enquiries finish.
pub const DRAIN: i64 = 7 * DAY;

/// The `simulation` object of a scenario file.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(remote = "Self", deny_unknown_fields)]
pub struct SimulationSpec {
    /// Seed of every random stream (default 1).
    #[serde(default, deserialize_with = "crate::ids::optional_safe_integer")]
    pub seed: Option<u64>,
    /// Simulated span after the scenario's `start`, e.g. `7d`.
    #[serde(default)]
    pub duration: Option<String>,
    /// Stop arrivals after this many enquiries; the run then lets the open ones finish.
    #[serde(default, deserialize_with = "crate::ids::optional_safe_integer")]
    pub enquiries: Option<u64>,
    /// Enquiries arriving in this first span are simulated but left out of the figures.
    #[serde(default)]
    pub warm_up: Option<String>,
    /// The interval of the report's time series (default `1h`).
    #[serde(default)]
    pub interval: Option<String>,
    /// The first-response target of the service level (default `60s`).
    #[serde(default)]
    pub target: Option<String>,
    #[serde(default)]
    pub arrivals: Vec<ArrivalSpec>,
    /// The mix of enquiry attributes.
    #[serde(default)]
    pub enquiry: EnquirySpec,
    #[serde(default)]
    pub agents: AgentsSpec,
    #[serde(default)]
    pub clients: ClientSpec,
}

/// A source of arrivals on one line.
#[derive(Clone, Debug, Deserialize)]
#[serde(
    remote = "Self",
    tag = "kind",
    rename_all = "snake_case",
    deny_unknown_fields
)]
pub enum ArrivalSpec {
    /// A Poisson process: a constant rate, or a rate for each hour of the week.
    Poisson {
        #[serde(default)]
        line: Option<String>,
        #[serde(default)]
        per_hour: Option<f64>,
        /// Day (`mon` ... `sun`) → 24 hourly rates; days left out have none.
        #[serde(default)]
        hours: Option<BTreeMap<String, Vec<f64>>>,
        /// The zone the hours are in (default: the line's working-hours zone, else UTC).
        #[serde(default)]
        zone: Option<String>,
    },
    /// `count` enquiries spread at random over `over` from `at`.
    Burst {
        #[serde(default)]
        line: Option<String>,
        at: String,
        #[serde(deserialize_with = "crate::ids::safe_integer")]
        count: u64,
        over: String,
    },
    /// Enquiries at the given instants or offsets.
    Times {
        #[serde(default)]
        line: Option<String>,
        at: Vec<String>,
    },
    /// Real timestamps from a CSV or JSON file, read by the command line (which turns this
    /// into `times`).
    Replay {
        #[serde(default)]
        line: Option<String>,
        file: String,
    },
}

/// What each enquiry carries, drawn per enquiry.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(remote = "Self", deny_unknown_fields)]
pub struct EnquirySpec {
    /// Channel → weight.
    #[serde(default)]
    pub channels: BTreeMap<String, f64>,
    /// Region → weight.
    #[serde(default)]
    pub regions: BTreeMap<String, f64>,
    /// The share of enquiries from a client known in CRM (one of the agents' `crm_clients`).
    #[serde(default)]
    pub known_client: Option<f64>,
}

/// Behaviour for every agent, with overrides by agent id.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(remote = "Self", deny_unknown_fields)]
pub struct AgentsSpec {
    #[serde(default)]
    pub default: BehaviourSpec,
    #[serde(default)]
    pub by_agent: BTreeMap<String, BehaviourSpec>,
}

/// How an agent works. Every field is optional; an agent's own values override the default.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(remote = "Self", deny_unknown_fields)]
pub struct BehaviourSpec {
    /// From an offer to taking it (default fixed `5s`).
    #[serde(default)]
    pub take: Option<DistSpec>,
    /// The probability of skipping an offered enquiry instead of taking it (default 0).
    #[serde(default)]
    pub skip: Option<f64>,
    /// From taking an enquiry (or a client's follow-up) to the reply (default exponential `30s`).
    #[serde(default)]
    pub first_reply: Option<DistSpec>,
    /// From the first reply to closing the dialog (default exponential `5m`).
    #[serde(default)]
    pub handling: Option<DistSpec>,
    #[serde(default)]
    pub shift: Option<ShiftSpec>,
    /// Going offline now and then.
    #[serde(default)]
    pub offline: Option<OfflineSpec>,
}

/// A weekly shift in the agent's zone.
#[derive(Clone, Debug, Deserialize)]
#[serde(remote = "Self", deny_unknown_fields)]
pub struct ShiftSpec {
    #[serde(default)]
    pub zone: Option<String>,
    /// Working days (default Monday to Friday).
    #[serde(default)]
    pub days: Option<Vec<String>>,
    pub start: String,
    pub end: String,
    /// Added to the start of each day.
    #[serde(default)]
    pub lateness: Option<DistSpec>,
    #[serde(default)]
    pub breaks: Vec<BreakSpec>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(remote = "Self", deny_unknown_fields)]
pub struct BreakSpec {
    pub start: String,
    pub length: String,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(remote = "Self", deny_unknown_fields)]
pub struct OfflineSpec {
    /// Time online between two offline spells.
    pub every: DistSpec,
    /// Length of a spell.
    pub length: DistSpec,
}

/// How clients behave.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(remote = "Self", deny_unknown_fields)]
pub struct ClientSpec {
    /// Abandon when not answered within this (default: never).
    #[serde(default)]
    pub patience: Option<DistSpec>,
    #[serde(default)]
    pub follow_ups: Option<FollowUpSpec>,
    #[serde(default)]
    pub rating: Option<RatingSpec>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(remote = "Self", deny_unknown_fields)]
pub struct FollowUpSpec {
    /// After each reply, the probability that the client writes again.
    pub probability: f64,
    pub after: DistSpec,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(remote = "Self", deny_unknown_fields)]
pub struct RatingSpec {
    /// The share of answered enquiries the client rates.
    pub share: f64,
    /// A rating is positive with probability `exp(-first response / tolerance)`.
    pub tolerance: String,
}

/// A distribution as written: `{"fixed": "30s"}`, `{"exponential": "3m"}` (the mean),
/// `{"lognormal": {"mean": "3m", "sd": "2m"}}`, `{"uniform": ["10s", "1m"]}`,
/// `{"empirical": ["30s", "45s", "2m"]}`; or a duration alone, `"30s"`, for a fixed one.
#[derive(Clone, Debug)]
pub enum DistSpec {
    /// A duration alone: a fixed time, written without `fixed`.
    Time(String),
    Fixed(String),
    Exponential(String),
    Lognormal {
        mean: String,
        sd: String,
    },
    Uniform(String, String),
    Empirical(Vec<String>),
}

const DIST_KINDS: &[&str] = &["fixed", "exponential", "lognormal", "uniform", "empirical"];

#[derive(Deserialize)]
#[serde(remote = "Self", deny_unknown_fields)]
struct LognormalSpec {
    mean: String,
    sd: String,
}

impl<'de> Deserialize<'de> for DistSpec {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::{Error, MapAccess, Visitor};

        struct Written;
        impl<'de> Visitor<'de> for Written {
            type Value = DistSpec;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(
                    "a duration such as \"30s\" or a distribution such as {\"exponential\": \"3m\"}",
                )
            }

            fn visit_str<E: Error>(self, v: &str) -> Result<DistSpec, E> {
                Ok(DistSpec::Time(v.to_owned()))
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<DistSpec, A::Error> {
                let Some(kind) = map.next_key::<String>()? else {
                    return Err(A::Error::custom(
                        "no distribution: give one, such as {\"exponential\": \"3m\"}",
                    ));
                };
                let dist = match kind.as_str() {
                    "fixed" => DistSpec::Fixed(map.next_value()?),
                    "exponential" => DistSpec::Exponential(map.next_value()?),
                    "lognormal" => {
                        let LognormalSpec { mean, sd } = map.next_value()?;
                        DistSpec::Lognormal { mean, sd }
                    }
                    "uniform" => {
                        let (low, high) = map.next_value()?;
                        DistSpec::Uniform(low, high)
                    }
                    "empirical" => DistSpec::Empirical(map.next_value()?),
                    other => return Err(A::Error::unknown_variant(other, DIST_KINDS)),
                };
                if let Some(more) = map.next_key::<String>()? {
                    return Err(A::Error::custom(format!(
                        "`{more}` after `{kind}`: a distribution is of one kind"
                    )));
                }
                Ok(dist)
            }
        }
        d.deserialize_any(Written)
    }
}

// ----- the resolved plan ---------------------------------------------------------------------

/// A simulation ready to run: every value parsed, checked and in milliseconds.
#[derive(Clone, Debug)]
pub struct Plan {
    pub seed: u64,
    pub start: Time,
    /// No arrival after this; the run stops here at the latest.
    pub end: Time,
    /// Stop arrivals after this many.
    pub enquiries: Option<u64>,
    pub warm_until: Time,
    pub interval: i64,
    pub target: i64,
    pub arrivals: Vec<Arrivals>,
    pub channels: Vec<(String, f64)>,
    pub regions: Vec<(String, f64)>,
    pub known_client: f64,
    /// Every client known in CRM, in a fixed order.
    pub crm_clients: Vec<String>,
    /// Per agent of the configuration, in its order.
    pub agents: Vec<Behaviour>,
    pub patience: Option<Dist>,
    pub follow_ups: Option<(f64, Dist)>,
    pub rating: Option<(f64, i64)>,
}

#[derive(Clone, Debug)]
pub struct Arrivals {
    pub line: String,
    pub source: Source,
}

#[derive(Clone, Debug)]
pub enum Source {
    /// Rate per hour for each hour of the week (Monday 00:00 first) in `zone`.
    Poisson { hourly: Box<[f64; 168]>, zone: Zone },
    /// Sorted instants.
    Times(Vec<Time>),
    /// `count` uniform in `[at, at + over)`.
    Burst { at: Time, count: u64, over: i64 },
}

#[derive(Clone, Debug)]
pub struct Behaviour {
    pub take: Dist,
    pub skip: f64,
    pub first_reply: Dist,
    pub handling: Dist,
    pub shift: Option<Shift>,
    pub offline: Option<(Dist, Dist)>,
}

#[derive(Clone, Debug)]
pub struct Shift {
    pub zone: Zone,
    pub days: [bool; 7],
    /// Minutes of the day.
    pub start: u16,
    pub end: u16,
    pub lateness: Option<Dist>,
    /// (start minute, length ms).
    pub breaks: Vec<(u16, i64)>,
}

const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
const DAY_NAMES: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// Monday 0 … Sunday 6, from a day's short or full English name in any case, as hourly
/// profiles and shifts name days.
#[must_use]
pub fn weekday_index(name: &str) -> Option<usize> {
    let name = name.trim().to_ascii_lowercase();
    DAYS.iter()
        .zip(DAY_NAMES)
        .position(|(short, full)| name == *short || name == full)
}

/// Collects diagnostics while resolving.
struct Resolver<'a> {
    out: &'a mut Vec<Diagnostic>,
}

impl Resolver<'_> {
    fn error(&mut self, path: &str, message: impl Into<String>) {
        self.out.push(Diagnostic::error(path, message));
    }

    fn warning(&mut self, path: &str, message: impl Into<String>) {
        self.out.push(Diagnostic::warning(path, message));
    }

    /// A duration of the simulation part: at most [`MAX_SPAN`], which no break, delay or
    /// distribution's parameter needs to pass, so that sums of a few of them never overflow.
    fn duration(&mut self, text: &str, path: &str) -> Option<i64> {
        match parse_duration(text) {
            Ok(ms) if ms > MAX_SPAN => {
                self.error(
                    path,
                    format!(
                        "`{text}` is out of range: at most {}, the longest span one run simulates",
                        human_duration(MAX_SPAN)
                    ),
                );
                None
            }
            Ok(ms) => Some(ms),
            Err(e) => {
                self.error(path, e);
                None
            }
        }
    }

    fn probability(&mut self, p: f64, path: &str) -> Option<f64> {
        if (0.0..=1.0).contains(&p) {
            Some(p)
        } else {
            self.error(
                path,
                format!("{} is not a probability: it must be from 0 to 1", shown(p)),
            );
            None
        }
    }

    fn dist(&mut self, spec: &DistSpec, path: &str) -> Option<Dist> {
        Some(match spec {
            DistSpec::Time(t) => Dist::Fixed(self.duration(t, path)?),
            DistSpec::Fixed(t) => Dist::Fixed(self.duration(t, &format!("{path}.fixed"))?),
            DistSpec::Exponential(t) => {
                let mean = self.duration(t, &format!("{path}.exponential"))?;
                if mean <= 0 {
                    self.error(
                        &format!("{path}.exponential"),
                        "the mean of an exponential must be above zero",
                    );
                    return None;
                }
                Dist::Exponential { mean: mean as f64 }
            }
            DistSpec::Lognormal { mean, sd } => {
                let m = self.duration(mean, &format!("{path}.lognormal.mean"));
                let s = self.duration(sd, &format!("{path}.lognormal.sd"));
                let (m, s) = (m?, s?);
                if m <= 0 || s <= 0 {
                    self.error(
                        &format!("{path}.lognormal"),
                        "a lognormal needs a mean and a standard deviation above zero",
                    );
                    return None;
                }
                Dist::lognormal(m as f64, s as f64)
            }
            DistSpec::Uniform(low, high) => {
                let l = self.duration(low, &format!("{path}.uniform[0]"));
                let h = self.duration(high, &format!("{path}.uniform[1]"));
                let (l, h) = (l?, h?);
                if l > h {
                    self.error(
                        &format!("{path}.uniform"),
                        format!("the low end `{low}` is above the high end `{high}`"),
                    );
                    return None;
                }
                Dist::Uniform { low: l, high: h }
            }
            DistSpec::Empirical(values) => {
                if values.is_empty() {
                    self.error(
                        &format!("{path}.empirical"),
                        "an empirical distribution needs at least one value",
                    );
                    return None;
                }
                let mut out = Vec::with_capacity(values.len());
                for (i, v) in values.iter().enumerate() {
                    out.push(self.duration(v, &format!("{path}.empirical[{i}]"))?);
                }
                Dist::Empirical(out)
            }
        })
    }

    fn weights(&mut self, map: &BTreeMap<String, f64>, path: &str) -> Vec<(String, f64)> {
        let mut out = Vec::new();
        for (k, &w) in map {
            if !(w.is_finite() && w >= 0.0) {
                self.error(
                    &format!("{path}.{k}"),
                    format!("{} is not a weight: it must be zero or more", shown(w)),
                );
            } else {
                out.push((k.clone(), w));
            }
        }
        if !map.is_empty() && out.iter().all(|(_, w)| *w == 0.0) {
            self.error(path, "every weight is zero");
        }
        out
    }

    /// Checks a number of enquiries per hour; `path` names it when it is wrong.
    fn rate(&mut self, rate: f64, path: impl FnOnce() -> String) {
        if !(rate.is_finite() && rate >= 0.0) {
            self.error(
                &path(),
                format!(
                    "{} is not a rate: enquiries per hour must be zero or more",
                    shown(rate)
                ),
            );
        } else if rate > MAX_RATE {
            self.error(
                &path(),
                format!(
                    "{} enquiries an hour is out of range: at most {} an hour, more than one run can simulate",
                    shown(rate),
                    shown(MAX_RATE)
                ),
            );
        }
    }

    /// A day of the week by name, or an error at `path` with the nearest name.
    fn weekday(&mut self, name: &str, path: &str) -> Option<usize> {
        let ix = weekday_index(name);
        if ix.is_none() {
            let lower = name.trim().to_ascii_lowercase();
            let hint = suggestion(&lower, DAYS.into_iter().chain(DAY_NAMES));
            self.error(
                path,
                format!("`{name}` is not a day: use mon ... sun or monday ... sunday{hint}"),
            );
        }
        ix
    }
}

/// Resolves a simulation against the configuration's setup. Returns the plan when there are no
/// errors, and the diagnostics either way.
pub fn resolve(
    spec: &SimulationSpec,
    setup: &Setup,
    start: Time,
) -> (Option<Plan>, Vec<Diagnostic>) {
    let mut out = Vec::new();
    let mut r = Resolver { out: &mut out };
    let p = "simulation";
    let duration = spec
        .duration
        .as_ref()
        .and_then(|d| r.duration(d, &format!("{p}.duration")));
    if spec.duration.is_none() && spec.enquiries.is_none() {
        r.error(
            p,
            "the run has no end: give a `duration` (e.g. `7d`), a number of `enquiries`, or both",
        );
    }
    // The duration when it is given and in range.
    let run = duration.filter(|&d| d > 0 && d <= MAX_SPAN);
    if let (Some(d), None) = (duration, run) {
        r.error(
            &format!("{p}.duration"),
            format!(
                "{} is out of range: a run spans more than zero and at most {} days",
                crate::time::human_duration(d),
                MAX_SPAN / DAY
            ),
        );
    }
    if let Some(n) = spec.enquiries {
        if n == 0 || n as f64 > MAX_ENQUIRIES {
            r.error(
                &format!("{p}.enquiries"),
                format!("{n} is out of range: from 1 to {MAX_ENQUIRIES}"),
            );
        }
    }
    let end = start.plus(duration.unwrap_or(MAX_SPAN).clamp(0, MAX_SPAN));
    if end > Time::LATEST {
        // The router refuses instants past its horizon; a run must end before it.
        let path = if spec.duration.is_some() {
            format!("{p}.duration")
        } else {
            "start".to_string()
        };
        r.error(
            &path,
            format!(
                "the run would end at {end}, after {}, the latest instant the engine handles",
                Time::LATEST
            ),
        );
    }
    let end = end.min(Time::LATEST);
    let span = end.since(start);
    // Settings are held against the span only when it is right: a wrong `duration` has its
    // own error.
    let span_right = spec.duration.is_none() || run.is_some();
    let warm_up = spec
        .warm_up
        .as_ref()
        .and_then(|w| r.duration(w, &format!("{p}.warm_up")))
        .unwrap_or(0);
    if span_right && warm_up >= span {
        r.error(
            &format!("{p}.warm_up"),
            format!(
                "the warm-up of {} lasts the whole run of {}: no enquiry would be counted",
                crate::time::human_duration(warm_up),
                crate::time::human_duration(span)
            ),
        );
    }
    let interval = spec
        .interval
        .as_ref()
        .and_then(|w| r.duration(w, &format!("{p}.interval")))
        .unwrap_or(HOUR);
    if interval < MINUTE {
        r.error(
            &format!("{p}.interval"),
            "the series interval must be at least 1m",
        );
    } else if span / interval > 100_000 {
        r.error(
            &format!("{p}.interval"),
            format!(
                "{} points in the series: use a longer interval",
                span / interval
            ),
        );
    } else if run.is_some() && interval > span {
        r.warning(
            &format!("{p}.interval"),
            format!(
                "the interval of {} is longer than the run of {}: the series has no point",
                crate::time::human_duration(interval),
                crate::time::human_duration(span)
            ),
        );
    }
    let target = spec
        .target
        .as_ref()
        .and_then(|w| r.duration(w, &format!("{p}.target")))
        .unwrap_or(60 * SECOND);

    // Arrivals.
    let line_ids: Vec<&str> = setup.lines.iter().map(|l| l.id.as_str()).collect();
    let mut arrivals = Vec::new();
    // The mean and the variance of the number of enquiries that arrive in the span.
    let mut expected = 0.0f64;
    let mut variance = 0.0f64;
    if spec.arrivals.is_empty() {
        r.error(
            &format!("{p}.arrivals"),
            "no arrivals: add at least one source",
        );
    }
    for (i, a) in spec.arrivals.iter().enumerate() {
        let path = format!("{p}.arrivals[{i}]");
        let line_field = match a {
            ArrivalSpec::Poisson { line, .. }
            | ArrivalSpec::Burst { line, .. }
            | ArrivalSpec::Times { line, .. }
            | ArrivalSpec::Replay { line, .. } => line,
        };
        let line = match line_field {
            Some(l) if line_ids.contains(&l.as_str()) => Some(l.clone()),
            Some(l) => {
                let hint = suggestion(l, line_ids.iter().copied());
                r.error(&format!("{path}.line"), format!("unknown line `{l}`{hint}"));
                None
            }
            None if line_ids.len() == 1 => Some(line_ids[0].to_string()),
            None => {
                r.error(
                    &path,
                    format!(
                        "the configuration has {} lines: say which one with `line`",
                        line_ids.len()
                    ),
                );
                None
            }
        };
        let source = match a {
            ArrivalSpec::Poisson {
                per_hour,
                hours,
                zone,
                ..
            } => {
                let mut hourly = Box::new([0.0f64; 168]);
                match (per_hour, hours) {
                    (Some(rate), None) => {
                        r.rate(*rate, || format!("{path}.per_hour"));
                        hourly.iter_mut().for_each(|h| *h = *rate);
                    }
                    (None, Some(days)) => {
                        let mut given: [Option<&str>; 7] = [None; 7];
                        for (day, rates) in days {
                            let dpath = format!("{path}.hours.{day}");
                            let Some(d) = r.weekday(day, &dpath) else {
                                continue;
                            };
                            if let Some(first) = given[d].replace(day) {
                                r.error(
                                    &dpath,
                                    format!("`{day}` is the same day as `{first}`: give each day once"),
                                );
                                continue;
                            }
                            if rates.len() != 24 {
                                r.error(
                                    &dpath,
                                    format!(
                                        "{} rates: give one per hour, 24 in all",
                                        rates.len()
                                    ),
                                );
                                continue;
                            }
                            for (h, &rate) in rates.iter().enumerate() {
                                r.rate(rate, || format!("{dpath}[{h}]"));
                            }
                            hourly[d * 24..d * 24 + 24].copy_from_slice(rates);
                        }
                    }
                    _ => r.error(
                        &path,
                        "give either `per_hour` (a constant rate) or `hours` (a rate for each hour of the week)",
                    ),
                }
                let tz = match zone {
                    Some(z) => parse_timezone(z, &format!("{path}.zone"), r.out),
                    None => Some(
                        line.as_ref()
                            .and_then(|l| setup.lines.iter().find(|s| &s.id == l))
                            .and_then(|s| s.settings.worktime.as_ref())
                            .map_or(Zone::UTC, |w| w.timezone),
                    ),
                };
                let weekly: f64 = hourly.iter().sum();
                if weekly == 0.0 {
                    r.error(
                        &path,
                        "the rate is zero at every hour: no enquiry would ever arrive",
                    );
                }
                let mean = weekly / 168.0 * (span as f64 / HOUR as f64);
                expected += mean;
                variance += mean;
                tz.map(|zone| Source::Poisson { hourly, zone })
            }
            ArrivalSpec::Burst {
                at, count, over, ..
            } => {
                let t = resolve_time(at, start)
                    .map_err(|e| r.error(&format!("{path}.at"), e))
                    .ok();
                let o = r.duration(over, &format!("{path}.over"));
                if *count > MAX_BURST {
                    // Every instant of a burst is drawn, and the enquiries at one instant are
                    // all open at once.
                    r.error(
                        &format!("{path}.count"),
                        format!(
                            "{count} is out of range: a burst holds at most {MAX_BURST} enquiries"
                        ),
                    );
                }
                match (t, o) {
                    (Some(at), Some(over)) if over >= 0 => {
                        // Each of the burst's enquiries falls in the span with the chance
                        // `share`, independently of the others.
                        let burst_end = at.plus(over);
                        let share = if at >= end {
                            r.warning(
                                &format!("{path}.at"),
                                format!("the burst starts at or after the run's end {end}: none of its {count} enquiries arrive"),
                            );
                            0.0
                        } else if (over > 0 && burst_end <= start) || (over == 0 && at < start) {
                            r.warning(
                                &format!("{path}.at"),
                                format!("the burst ends before the run's start {start}: none of its {count} enquiries arrive"),
                            );
                            0.0
                        } else {
                            if at < start {
                                r.warning(
                                    &format!("{path}.at"),
                                    format!("the burst starts before the run's start {start}: those of its enquiries drawn before that are left out"),
                                );
                            }
                            if burst_end > end {
                                r.warning(
                                    &format!("{path}.over"),
                                    format!("the burst goes on past the run's end {end}: those of its enquiries drawn after that are left out"),
                                );
                            }
                            if over == 0 {
                                1.0
                            } else {
                                burst_end.min(end).since(at.max(start)) as f64 / over as f64
                            }
                        };
                        expected += *count as f64 * share;
                        variance += *count as f64 * share * (1.0 - share);
                        Some(Source::Burst {
                            at,
                            count: *count,
                            over,
                        })
                    }
                    (Some(_), Some(_)) => {
                        r.error(&format!("{path}.over"), "must not be negative");
                        None
                    }
                    _ => None,
                }
            }
            ArrivalSpec::Times { at, .. } => {
                if at.is_empty() {
                    r.error(&format!("{path}.at"), "no instants: give at least one");
                }
                let mut times = Vec::with_capacity(at.len());
                for (k, t) in at.iter().enumerate() {
                    match resolve_time(t, start) {
                        Ok(t) if t >= start => times.push(t),
                        Ok(t) => r.error(
                            &format!("{path}.at[{k}]"),
                            format!("{t} is before the start {start}"),
                        ),
                        Err(e) => r.error(&format!("{path}.at[{k}]"), e),
                    }
                }
                times.sort_unstable();
                let late = times.iter().filter(|&&t| t >= end).count();
                if late > 0 {
                    r.warning(
                        &format!("{path}.at"),
                        format!(
                            "{late} of the {} instants are at or after the run's end {end}: they are left out",
                            times.len()
                        ),
                    );
                }
                expected += (times.len() - late) as f64;
                Some(Source::Times(times))
            }
            ArrivalSpec::Replay { file, .. } => {
                r.error(
                    &format!("{path}.file"),
                    format!("`{file}` was not read: replay files are read by the `switchboard simulate` command; elsewhere, pass the instants as kind `times`"),
                );
                None
            }
        };
        if let (Some(line), Some(source)) = (line, source) {
            arrivals.push(Arrivals { line, source });
        }
    }
    if let (Some(n), None) = (spec.enquiries, &spec.duration) {
        // Without a `duration`, the span's end stops the sources that have not run dry
        // (Poisson ones never do; a burst may go on past it): make sure that comes after the
        // last enquiry asked for, and say so before the run rather than end it short. Four
        // standard deviations under the mean make falling short a chance of about 3 in
        // 100,000; the spread is that of those two, the random parts of the count.
        let surely = expected - 4.0 * variance.sqrt();
        if variance > 0.0 && surely < n as f64 {
            r.error(
                &format!("{p}.enquiries"),
                format!(
                    "{n} enquiries may not arrive: a run spans at most {} days, and at these rates about {:.0} arrive in that time; ask for at most {:.0}, or give a `duration` to end the run by time",
                    MAX_SPAN / DAY,
                    expected,
                    surely.max(0.0).floor()
                ),
            );
        }
    }
    if let Some(n) = spec.enquiries {
        expected = expected.min(n as f64);
    }
    if expected > MAX_ENQUIRIES {
        r.error(
            p,
            format!(
                "about {expected:.0} enquiries would arrive, more than the {MAX_ENQUIRIES} one run can simulate: shorten the run or cap it with `enquiries`"
            ),
        );
    }

    // Enquiry attributes.
    let channels = r.weights(&spec.enquiry.channels, &format!("{p}.enquiry.channels"));
    let regions = r.weights(&spec.enquiry.regions, &format!("{p}.enquiry.regions"));
    let known_client = spec
        .enquiry
        .known_client
        .and_then(|k| r.probability(k, &format!("{p}.enquiry.known_client")))
        .unwrap_or(0.0);
    let crm_clients: Vec<String> = setup
        .agents
        .iter()
        .flat_map(|a| a.crm_clients.iter().cloned())
        .collect();
    if known_client > 0.0 && crm_clients.is_empty() {
        r.error(
            &format!("{p}.enquiry.known_client"),
            "no agent has `crm_clients`, so no enquiry can come from a known client",
        );
    }

    // Agents.
    let agent_ids: Vec<&str> = setup.agents.iter().map(|a| a.id.as_str()).collect();
    for id in spec.agents.by_agent.keys() {
        if !agent_ids.contains(&id.as_str()) {
            let hint = suggestion(id, agent_ids.iter().copied());
            r.error(
                &format!("{p}.agents.by_agent.{id}"),
                format!("unknown agent `{id}`{hint}"),
            );
        }
    }
    let default = resolve_behaviour(
        &mut r,
        &spec.agents.default,
        None,
        &format!("{p}.agents.default"),
    );
    let mut agents = Vec::with_capacity(setup.agents.len());
    for a in &setup.agents {
        let own = spec.agents.by_agent.get(&a.id);
        let behaviour = match own {
            Some(own) => resolve_behaviour(
                &mut r,
                own,
                default.as_ref(),
                &format!("{p}.agents.by_agent.{}", a.id),
            ),
            None => default.clone(),
        };
        if let Some(b) = behaviour {
            agents.push(b);
        }
    }

    // Clients.
    let c = &spec.clients;
    let patience = c
        .patience
        .as_ref()
        .and_then(|d| r.dist(d, &format!("{p}.clients.patience")));
    let follow_ups = c.follow_ups.as_ref().and_then(|f| {
        let prob = r.probability(
            f.probability,
            &format!("{p}.clients.follow_ups.probability"),
        );
        let after = r.dist(&f.after, &format!("{p}.clients.follow_ups.after"));
        if prob.is_some_and(|x| x >= 1.0) {
            r.error(
                &format!("{p}.clients.follow_ups.probability"),
                "with probability 1 a client writes again forever: use less than 1",
            );
            return None;
        }
        Some((prob?, after?))
    });
    let rating = c.rating.as_ref().and_then(|rt| {
        let share = r.probability(rt.share, &format!("{p}.clients.rating.share"));
        let tolerance = r.duration(&rt.tolerance, &format!("{p}.clients.rating.tolerance"));
        if tolerance.is_some_and(|t| t <= 0) {
            r.error(
                &format!("{p}.clients.rating.tolerance"),
                "must be above zero",
            );
            return None;
        }
        Some((share?, tolerance?))
    });

    let plan = Plan {
        seed: spec.seed.unwrap_or(1),
        start,
        end,
        enquiries: spec.enquiries,
        warm_until: start.plus(warm_up),
        interval,
        target,
        arrivals,
        channels,
        regions,
        known_client,
        crm_clients,
        agents,
        patience,
        follow_ups,
        rating,
    };
    let ok = !crate::diagnostic::has_errors(&out);
    (ok.then_some(plan), out)
}

fn resolve_behaviour(
    r: &mut Resolver<'_>,
    spec: &BehaviourSpec,
    base: Option<&Behaviour>,
    path: &str,
) -> Option<Behaviour> {
    let dist = |r: &mut Resolver<'_>, d: &Option<DistSpec>, field: &str, fallback: Dist| match d {
        Some(d) => r.dist(d, &format!("{path}.{field}")),
        None => Some(fallback),
    };
    let take = dist(
        r,
        &spec.take,
        "take",
        base.map_or(Dist::Fixed(5 * SECOND), |b| b.take.clone()),
    );
    let first_reply = dist(
        r,
        &spec.first_reply,
        "first_reply",
        base.map_or(Dist::Exponential { mean: 30_000.0 }, |b| {
            b.first_reply.clone()
        }),
    );
    let handling = dist(
        r,
        &spec.handling,
        "handling",
        base.map_or(Dist::Exponential { mean: 300_000.0 }, |b| {
            b.handling.clone()
        }),
    );
    let skip = match spec.skip {
        Some(s) => r.probability(s, &format!("{path}.skip")),
        None => Some(base.map_or(0.0, |b| b.skip)),
    };
    if skip.is_some_and(|s| s >= 1.0) {
        r.error(
            &format!("{path}.skip"),
            "an agent who skips every enquiry never takes one: use less than 1",
        );
    }
    let shift = match &spec.shift {
        Some(s) => Some(resolve_shift(r, s, &format!("{path}.shift"))?),
        None => base.and_then(|b| b.shift.clone()),
    };
    let offline = match &spec.offline {
        Some(o) => {
            let every = r.dist(&o.every, &format!("{path}.offline.every"));
            let length = r.dist(&o.length, &format!("{path}.offline.length"));
            let every = every?;
            if every.mean() < 1_000.0 {
                r.error(
                    &format!("{path}.offline.every"),
                    "agents would go offline more than once a second: use a longer time",
                );
            }
            Some((every, length?))
        }
        None => base.and_then(|b| b.offline.clone()),
    };
    Some(Behaviour {
        take: take?,
        skip: skip?,
        first_reply: first_reply?,
        handling: handling?,
        shift,
        offline,
    })
}

fn resolve_shift(r: &mut Resolver<'_>, s: &ShiftSpec, path: &str) -> Option<Shift> {
    let zone = match &s.zone {
        Some(z) => parse_timezone(z, &format!("{path}.zone"), r.out),
        None => Some(Zone::UTC),
    };
    let mut days = [false; 7];
    match &s.days {
        None => days[..5].iter_mut().for_each(|d| *d = true),
        Some(list) => {
            for (i, d) in list.iter().enumerate() {
                if let Some(ix) = r.weekday(d, &format!("{path}.days[{i}]")) {
                    days[ix] = true;
                }
            }
            if list.is_empty() {
                r.error(&format!("{path}.days"), "a shift with no days never works");
            }
        }
    }
    let hhmm = |r: &mut Resolver<'_>, t: &str, field: &str| match parse_hhmm(t) {
        Ok(m) => Some(m),
        Err(e) => {
            r.error(&format!("{path}.{field}"), e);
            None
        }
    };
    let start = hhmm(r, &s.start, "start");
    let end = hhmm(r, &s.end, "end");
    if let (Some(a), Some(b)) = (start, end) {
        if a >= b {
            r.error(
                path,
                format!(
                    "the shift ends at {} before it starts at {}: shifts past midnight are not supported, split them",
                    s.end, s.start
                ),
            );
        }
    }
    let lateness = match &s.lateness {
        Some(d) => Some(r.dist(d, &format!("{path}.lateness"))?),
        None => None,
    };
    let mut breaks = Vec::new();
    for (i, b) in s.breaks.iter().enumerate() {
        let at = hhmm(r, &b.start, &format!("breaks[{i}].start"));
        let len = r.duration(&b.length, &format!("{path}.breaks[{i}].length"));
        if let (Some(at), Some(len), Some(st), Some(en)) = (at, len, start, end) {
            if at < st || i64::from(at) * MINUTE + len > i64::from(en) * MINUTE {
                r.error(
                    &format!("{path}.breaks[{i}]"),
                    "the break must lie within the shift",
                );
            }
            breaks.push((at, len));
        }
    }
    breaks.sort_unstable();
    Some(Shift {
        zone: zone?,
        days,
        start: start?,
        end: end?,
        lateness,
        breaks,
    })
}

crate::config::objects_only!(
    SimulationSpec,
    ArrivalSpec,
    EnquirySpec,
    AgentsSpec,
    BehaviourSpec,
    ShiftSpec,
    BreakSpec,
    OfflineSpec,
    ClientSpec,
    FollowUpSpec,
    RatingSpec,
    LognormalSpec
);
