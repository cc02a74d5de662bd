//! The simulation's settings the page edits in words an administrator uses: how many enquiries
//! a day brings, how long agents take, how long clients wait before they give up, how long the
//! run lasts. Each edits the project's `simulation` part in the engine's format, and the
//! engine's diagnostics judge what was typed.

use chrono::Datelike;
use serde_json::{Map, Value};
use switchboard::sim::spec::weekday_index;
use switchboard::zone::Zone;

use crate::project::Project;

/// A duration setting of the simulation: where it lives and what it is called.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Timing {
    /// `agents.default.first_reply`: from taking an enquiry to the first reply.
    FirstReply,
    /// `agents.default.handling`: from the first reply to closing the dialog.
    Handling,
    /// `clients.patience`: how long a client waits for a reply before leaving.
    Patience,
}

impl Timing {
    /// The keys leading to the setting inside the `simulation` part.
    fn keys(self) -> &'static [&'static str] {
        match self {
            Timing::FirstReply => &["agents", "default", "first_reply"],
            Timing::Handling => &["agents", "default", "handling"],
            Timing::Patience => &["clients", "patience"],
        }
    }

    /// The setting's path as the engine's diagnostics name it.
    #[must_use]
    pub fn path(self) -> String {
        format!("simulation.{}", self.keys().join("."))
    }
}

/// The three-letter day names the arrival profiles use, Monday first.
const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// Expected arrivals on the run's first day (the whole local day of each source's zone):
/// Poisson sources by their rates, bursts by their counts, given instants one each. None when
/// the project has no arrivals.
#[must_use]
pub fn day_volume(project: &Project) -> Option<f64> {
    let sources = project.simulation.get("arrivals")?.as_array()?;
    let total = sources
        .iter()
        .map(|s| match s.get("kind").and_then(Value::as_str) {
            Some("poisson") => {
                if let Some(rate) = s.get("per_hour").and_then(Value::as_f64) {
                    return rate * 24.0;
                }
                day_rates(s, weekday(project, s))
                    .and_then(Value::as_array)
                    .map_or(0.0, |rates| rates.iter().filter_map(Value::as_f64).sum())
            }
            Some("burst") => s.get("count").and_then(Value::as_f64).unwrap_or(0.0),
            Some("times") => s
                .get("at")
                .and_then(Value::as_array)
                .map_or(0.0, |a| a.len() as f64),
            _ => 0.0,
        })
        .sum();
    Some(total)
}

/// Scales every Poisson rate and burst count so that the first day brings about `target`
/// enquiries. Given instants stay as they are.
pub fn set_day_volume(project: &mut Project, target: u64) -> Result<(), String> {
    if target == 0 {
        return Err("at least 1 enquiry; to preview no traffic, remove the arrivals".into());
    }
    let now = day_volume(project).unwrap_or(0.0);
    if now <= 0.0 {
        return Err(
            "the first day has no arrivals to scale: import a project with an arrival profile"
                .into(),
        );
    }
    let factor = target as f64 / now;
    // Rates keep their full precision: a volume typed digit by digit scales them several
    // times, and rounding each time would wear the profile's shape away.
    let scale = |v: &mut Value| {
        if let Some(x) = v.as_f64() {
            *v = Value::from(x * factor);
        }
    };
    let Some(Value::Array(sources)) = project.simulation.get_mut("arrivals") else {
        return Ok(());
    };
    for s in sources {
        match s.get("kind").and_then(Value::as_str) {
            Some("poisson") => {
                if let Some(rate) = s.get_mut("per_hour") {
                    scale(rate);
                }
                if let Some(Value::Object(days)) = s.get_mut("hours") {
                    for rates in days.values_mut() {
                        if let Value::Array(rates) = rates {
                            rates.iter_mut().for_each(scale);
                        }
                    }
                }
            }
            Some("burst") => {
                if let Some(c) = s.get("count").and_then(Value::as_f64) {
                    s["count"] = Value::from((c * factor).round().max(1.0) as u64);
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// The key of an hourly profile that names weekday `day` (0 for Monday), read as the engine
/// reads day names: `mon` or `Monday`, in any case.
fn day_key(hours: &Map<String, Value>, day: usize) -> Option<&str> {
    hours
        .keys()
        .map(String::as_str)
        .find(|k| weekday_index(k) == Some(day))
}

/// A Poisson source's rates for weekday `day`, if its profile has that day.
fn day_rates(source: &Value, day: usize) -> Option<&Value> {
    let hours = source.get("hours")?.as_object()?;
    hours.get(day_key(hours, day)?)
}

/// The weekday (0 for Monday) of the run's start in the source's zone, else the first line's.
fn weekday(project: &Project, source: &Value) -> usize {
    let zone = source
        .get("zone")
        .and_then(Value::as_str)
        .and_then(Zone::named)
        .unwrap_or_else(|| project.zone(0));
    zone.local(project.start)
        .map_or(0, |t| t.weekday().num_days_from_monday() as usize)
}

/// One weekday of a line's hourly arrival profile: which source holds it, the weekday (0 for
/// Monday) and the 24 rates.
#[derive(Clone, Debug, PartialEq)]
pub struct DayProfile {
    pub source: usize,
    pub weekday: usize,
    /// The weekday the run starts on, in the source's zone.
    pub first: usize,
    pub rates: Vec<f64>,
}

/// The hourly arrival rates of line `line` on weekday `day` (0 for Monday), or on the run's
/// first day when `day` is none: from the first Poisson source of that line with a rate for
/// each hour of the week. None when the line's arrivals have no such profile.
#[must_use]
pub fn day_profile(project: &Project, line: usize, day: Option<usize>) -> Option<DayProfile> {
    let sources = project.simulation.get("arrivals")?.as_array()?;
    let id = &project.config.lines.get(line)?.id;
    let only_line = project.config.lines.len() == 1;
    sources.iter().enumerate().find_map(|(i, s)| {
        let target = s.get("line").and_then(Value::as_str);
        let feeds = target == Some(id.as_str()) || (target.is_none() && only_line);
        if !feeds || s.get("kind").and_then(Value::as_str) != Some("poisson") {
            return None;
        }
        let first = weekday(project, s);
        let weekday = day.filter(|&d| d < DAYS.len()).unwrap_or(first);
        // A source with one constant rate has no profile to show.
        s.get("hours")?;
        let rates: Vec<f64> = match day_rates(s, weekday) {
            Some(Value::Array(r)) => r.iter().map(|v| v.as_f64().unwrap_or(0.0)).collect(),
            // A day the profile leaves out has no arrivals.
            _ => vec![0.0; 24],
        };
        Some(DayProfile {
            source: i,
            weekday,
            first,
            rates,
        })
    })
}

/// The most digits [`decimal`] reads: beyond this, a whole number and its power of ten are no
/// longer both exact in an `f64`.
const DECIMAL_DIGITS: usize = 15;

/// A number as people type one into a rate field: digits with at most one decimal point or
/// comma, and an optional minus (`12`, `7.5`, `7,5`, `.5`, `-3`). Read here, not with
/// `str::parse::<f64>`: that reads every form of float exactly, and its algorithm and tables
/// were 15 KB of the compressed download, for fields that take rates like these. With at most
/// `DECIMAL_DIGITS` digits the whole number and the power of ten are exact, and the one
/// division rounds correctly, so the value is the nearest `f64`, as `parse` gives.
#[must_use]
pub fn decimal(text: &str) -> Option<f64> {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (whole, fraction) = digits.split_once(['.', ',']).unwrap_or((digits, ""));
    let count = whole.len() + fraction.len();
    if count == 0
        || count > DECIMAL_DIGITS
        || !whole
            .bytes()
            .chain(fraction.bytes())
            .all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let n = whole
        .bytes()
        .chain(fraction.bytes())
        .fold(0u64, |n, b| n * 10 + u64::from(b - b'0'));
    let value = n as f64 / 10f64.powi(fraction.len() as i32);
    Some(if negative { -value } else { value })
}

/// Sets the rate of hour `hour` (0 to 23) on weekday `day` (the run's first day when none) for
/// line `line`'s profile, from text as typed: enquiries an hour, zero or more.
pub fn set_hour(
    project: &mut Project,
    line: usize,
    day: Option<usize>,
    hour: usize,
    text: &str,
) -> Result<(), String> {
    let rate = decimal(text.trim())
        .ok_or_else(|| format!("`{}` is not a number of enquiries an hour", text.trim()))?;
    // `decimal` gives only finite numbers; a minus is what is left to refuse.
    if rate < 0.0 {
        return Err(format!(
            "{rate} is not a rate: zero or more enquiries an hour"
        ));
    }
    let Some(DayProfile {
        source,
        weekday,
        mut rates,
        ..
    }) = day_profile(project, line, day)
    else {
        return Err("this line's arrivals have no hourly profile".into());
    };
    if hour >= rates.len() {
        return Err(format!("hour {hour} is not in the day"));
    }
    rates[hour] = rate;
    let hours = &mut project.simulation["arrivals"][source]["hours"];
    if let Value::Object(days) = hours {
        let key = day_key(days, weekday).unwrap_or(DAYS[weekday]).to_string();
        days.insert(key, Value::from(rates));
    }
    Ok(())
}

/// A timing's mean as written (`8m`, `30s`); none when it is not set (the engine's default,
/// or for patience: clients never leave) or not a shape with one mean.
#[must_use]
pub fn mean(project: &Project, timing: Timing) -> Option<String> {
    let dist = get(&project.simulation, timing)?;
    let text = match dist {
        // A duration alone is a fixed time.
        Value::String(_) => dist,
        Value::Object(m) => m
            .get("fixed")
            .or_else(|| m.get("exponential"))
            .or_else(|| m.get("lognormal").and_then(|l| l.get("mean")))?,
        _ => return None,
    };
    text.as_str().map(str::to_string)
}

/// Sets a timing's mean to `text` as typed (the engine checks it). A lognormal keeps its spread,
/// a fixed time stays fixed; anything else becomes exponential with that mean. Empty text
/// removes the setting (the engine's default; for patience, clients never leave).
pub fn set_mean(project: &mut Project, timing: Timing, text: &str) {
    let text = text.trim();
    let Some((&key, parents)) = timing.keys().split_last() else {
        return;
    };
    let mut holder = ensure_object(&mut project.simulation);
    for k in parents {
        holder = ensure_object(
            holder
                .entry(*k)
                .or_insert_with(|| Value::Object(Map::new())),
        );
    }
    if text.is_empty() {
        holder.remove(key);
        return;
    }
    let new = Value::String(text.to_string());
    match holder.get_mut(key) {
        Some(fixed @ Value::String(_)) => *fixed = new,
        Some(Value::Object(m)) if m.contains_key("fixed") => {
            m.insert("fixed".into(), new);
        }
        Some(Value::Object(m)) if m.get("lognormal").is_some_and(Value::is_object) => {
            if let Some(Value::Object(l)) = m.get_mut("lognormal") {
                l.insert("mean".into(), new);
            }
        }
        _ => {
            let mut m = Map::new();
            m.insert("exponential".into(), new);
            holder.insert(key.to_string(), Value::Object(m));
        }
    }
}

/// How long the run lasts as written (`11h30m`), if set.
#[must_use]
pub fn duration(project: &Project) -> Option<String> {
    project
        .simulation
        .get("duration")
        .and_then(Value::as_str)
        .map(str::to_string)
}

/// Sets how long the run lasts, as typed (the engine checks it).
pub fn set_duration(project: &mut Project, text: &str) {
    ensure_object(&mut project.simulation)
        .insert("duration".into(), Value::String(text.trim().to_string()));
}

fn get(sim: &Value, timing: Timing) -> Option<&Value> {
    timing.keys().iter().try_fold(sim, |v, k| v.get(k))
}

/// The value as an object, replacing anything else with an empty one.
fn ensure_object(v: &mut Value) -> &mut Map<String, Value> {
    if !v.is_object() {
        *v = Value::Object(Map::new());
    }
    match v {
        Value::Object(m) => m,
        _ => unreachable!("made an object above"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_day_is_scaled_to_the_volume_asked_for() {
        let mut p = Project::demo();
        let before = day_volume(&p).unwrap();
        assert!(before > 100.0, "{before}");
        set_day_volume(&mut p, 600).unwrap();
        let after = day_volume(&p).unwrap();
        assert!((after - 600.0).abs() < 1.0, "{after}");
        // More traffic: more enquiries in the same run.
        let base = Project::demo().simulation(Some(2), false).unwrap().run();
        let more = p.simulation(Some(2), false).unwrap().run();
        assert!(more.enquiries.offered as f64 > 1.3 * base.enquiries.offered as f64);
        assert!(set_day_volume(&mut p, 0).is_err());
        // Typed digit by digit (6, 60, 600): the profile keeps its shape.
        let shape = |p: &Project| {
            let mon = p.simulation["arrivals"][0]["hours"]["mon"]
                .as_array()
                .unwrap()
                .clone();
            let top = mon.iter().filter_map(Value::as_f64).fold(0.0, f64::max);
            mon.iter()
                .map(|r| r.as_f64().unwrap() / top)
                .collect::<Vec<_>>()
        };
        let mut typed = Project::demo();
        for n in [6, 60, 600] {
            set_day_volume(&mut typed, n).unwrap();
        }
        let (a, b) = (shape(&Project::demo()), shape(&typed));
        assert!(a.iter().zip(&b).all(|(x, y)| (x - y).abs() < 1e-9));
    }

    /// A profile whose days are named in full, as the engine also reads them, shows its
    /// rates, and an edit changes that day's entry rather than adding a second one.
    #[test]
    fn days_named_in_full_are_read_and_edited_in_place() {
        let mut p = Project::demo();
        let short = day_profile(&p, 0, Some(0)).unwrap().rates;
        let Value::Object(days) = &mut p.simulation["arrivals"][0]["hours"] else {
            panic!("the demo has an hourly profile");
        };
        let mon = days.remove("mon").unwrap();
        days.insert("Monday".into(), mon);
        assert_eq!(day_profile(&p, 0, Some(0)).unwrap().rates, short);
        set_hour(&mut p, 0, Some(0), 5, "7").unwrap();
        let hours = &p.simulation["arrivals"][0]["hours"];
        assert!(hours.get("mon").is_none(), "{hours}");
        assert_eq!(hours["Monday"][5].as_f64(), Some(7.0));
        let errors: Vec<_> = p
            .diagnostics()
            .into_iter()
            .filter(|d| d.is_error())
            .collect();
        assert!(errors.is_empty(), "{errors:?}");
    }

    /// A time written alone (`"4m"`) is a fixed one: it shows as the mean and stays fixed
    /// when edited.
    #[test]
    fn a_fixed_time_written_alone_is_read_and_kept() {
        let mut p = Project::demo();
        p.simulation["agents"]["default"]["handling"] = "4m".into();
        assert_eq!(mean(&p, Timing::Handling).as_deref(), Some("4m"));
        set_mean(&mut p, Timing::Handling, "6m");
        assert_eq!(p.simulation["agents"]["default"]["handling"], "6m");
    }

    #[test]
    fn a_typed_decimal_reads_as_the_standard_parser_reads_it() {
        for text in [
            "0",
            "12",
            "7.5",
            "0.1",
            "0.3",
            "2.675",
            "123456789.12345",
            "999999999999999",
            "-3",
            "-0.25",
            "100.",
            "00012.500",
            "0.00000000000001",
            "3.14159265358979",
        ] {
            let parsed: f64 = text.parse().unwrap();
            assert_eq!(decimal(text), Some(parsed), "{text}");
        }
        assert_eq!(decimal("7,5"), Some(7.5));
        assert_eq!(decimal(".5"), Some(0.5));
        for text in [
            "",
            "-",
            ".",
            "lots",
            "1.2.3",
            "1,2.3",
            "1e3",
            "+1",
            " 1",
            "1 ",
            "inf",
            "NaN",
            "0x10",
            "1234567890123456",
        ] {
            assert_eq!(decimal(text), None, "{text}");
        }
    }

    #[test]
    fn an_hour_of_the_profile_is_edited_and_bad_rates_are_refused() {
        let mut p = Project::demo();
        let first = day_profile(&p, 0, None).unwrap();
        assert_eq!((first.weekday, first.first, first.rates.len()), (0, 0, 24));
        let before = day_volume(&p).unwrap();
        set_hour(&mut p, 0, None, 10, "100").unwrap();
        let after = day_volume(&p).unwrap();
        assert!((after - (before - first.rates[10] + 100.0)).abs() < 1e-9);
        assert_eq!(day_profile(&p, 0, None).unwrap().rates[10], 100.0);
        assert!(set_hour(&mut p, 0, None, 10, "lots")
            .unwrap_err()
            .contains("`lots`"));
        assert!(set_hour(&mut p, 0, None, 10, "-3").is_err());
        assert!(set_hour(&mut p, 0, None, 24, "1").is_err());
        // A second line gets its own copy of the profile, edited apart.
        let second = p.add_line(0);
        set_hour(&mut p, second, None, 10, "7").unwrap();
        assert_eq!(day_profile(&p, 0, None).unwrap().rates[10], 100.0);
        assert_eq!(day_profile(&p, second, None).unwrap().rates[10], 7.0);
    }

    #[test]
    fn another_weekday_of_the_profile_is_edited_apart_from_the_first() {
        let mut p = Project::demo();
        let monday = day_profile(&p, 0, None).unwrap();
        let tuesday = day_profile(&p, 0, Some(1)).unwrap();
        assert_eq!((tuesday.weekday, tuesday.first), (1, 0));
        let (volume, run) = (
            day_volume(&p).unwrap(),
            p.simulation(Some(4), false).unwrap().run(),
        );
        set_hour(&mut p, 0, Some(1), 9, "55").unwrap();
        assert_eq!(day_profile(&p, 0, Some(1)).unwrap().rates[9], 55.0);
        assert_eq!(
            day_profile(&p, 0, Some(1)).unwrap().rates[10],
            tuesday.rates[10]
        );
        // Monday, the run's first day, is as it was, and so is the first day's volume.
        assert_eq!(day_profile(&p, 0, None).unwrap(), monday);
        assert!((day_volume(&p).unwrap() - volume).abs() < 1e-9);
        // A day the run does not reach does not change the run; the engine reads the new rate.
        assert_eq!(p.simulation(Some(4), false).unwrap().run(), run);
        assert_eq!(
            p.simulation["arrivals"][tuesday.source]["hours"]["tue"][9].as_f64(),
            Some(55.0)
        );
        // An impossible weekday reads as the first day.
        assert_eq!(day_profile(&p, 0, Some(9)).unwrap().weekday, 0);
    }

    #[test]
    fn means_keep_their_shape_and_bad_text_is_judged_by_the_engine() {
        let mut p = Project::demo();
        assert_eq!(mean(&p, Timing::Handling).as_deref(), Some("8m"));
        set_mean(&mut p, Timing::Handling, "12m");
        assert_eq!(mean(&p, Timing::Handling).as_deref(), Some("12m"));
        assert_eq!(
            p.simulation["agents"]["default"]["handling"]["lognormal"]["sd"], "5m",
            "the spread stays"
        );
        set_mean(&mut p, Timing::Handling, "twelve");
        let problems = p.diagnostics();
        assert!(
            problems
                .iter()
                .any(|d| d.is_error() && d.path.starts_with(&Timing::Handling.path())),
            "{problems:?}"
        );
        // Patience: empty means clients never leave.
        set_mean(&mut p, Timing::Patience, "");
        assert_eq!(mean(&p, Timing::Patience), None);
        set_mean(&mut p, Timing::Patience, "4m");
        assert_eq!(p.simulation["clients"]["patience"]["exponential"], "4m");
        set_duration(&mut p, "2h");
        assert_eq!(duration(&p).as_deref(), Some("2h"));
    }
}
