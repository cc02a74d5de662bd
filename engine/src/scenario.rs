//! Scenario files: a configuration, a start instant and timed events, plus what should come out.
//! `switchboard replay` runs one; the golden files under `tests/scenarios/` are scenarios with
//! an `expect` part, and [`check`] compares what comes out with it.

use serde::Deserialize;
use serde_json::Value;

use crate::action::Action;
use crate::config::{parse_json, Config, LoadError};
use crate::diagnostic::{has_errors, Diagnostic, Severity};
use crate::event::Event;
use crate::router::{DialogView, Router};
use crate::time::{parse_duration, resolve_time, Time};
use crate::validate::validate;

/// A scenario document.
#[derive(Clone, Debug, Deserialize)]
#[serde(remote = "Self", deny_unknown_fields)]
pub struct ScenarioDoc {
    /// What the scenario shows, in one line.
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// The router's clock at the start (RFC 3339).
    pub start: Time,
    pub config: Config,
    /// Per-candidate explanations (default `true`).
    #[serde(default = "yes")]
    pub explanations: bool,
    /// Events with an `at`: an RFC 3339 instant or an offset from `start` such as `+90s`.
    /// [`parse`] resolves their times into [`Scenario::events`] and leaves this empty.
    #[serde(default)]
    pub events: Vec<TimedEvent>,
    /// Advance the clock to here after the last event (instant or offset).
    #[serde(default)]
    pub until: Option<String>,
    /// Expected actions, in order; each is matched as a subset of the actual action's JSON.
    #[serde(default)]
    pub expect: Option<Vec<Value>>,
    /// Expected final state of dialogs by id, each a subset of the dialog's JSON.
    #[serde(default)]
    pub expect_dialogs: Option<serde_json::Map<String, Value>>,
    /// What to simulate: arrivals, agents, clients and the run's length (`switchboard simulate`).
    #[serde(default)]
    pub simulation: Option<crate::sim::SimulationSpec>,
    /// For configuration scenarios: the diagnostics `validate` must give.
    #[serde(default)]
    pub expect_diagnostics: Option<Vec<ExpectedDiagnostic>>,
}

/// One expected diagnostic: the severity and path must be equal, and the message must contain
/// `message`.
#[derive(Clone, Debug, Deserialize)]
#[serde(remote = "Self", deny_unknown_fields)]
pub struct ExpectedDiagnostic {
    pub severity: Severity,
    pub path: String,
    #[serde(default)]
    pub message: String,
}

fn yes() -> bool {
    true
}

/// An event as a scenario writes it: its `at` beside the event's own fields.
///
/// Read straight from the document's text, so that an error in an event has the line and
/// column where the reader stopped, and a long scenario is never held as a tree of JSON
/// values (which took about fifteen times the text).
#[derive(Clone, Debug)]
pub struct TimedEvent {
    /// An RFC 3339 instant or an offset from the scenario's start, as written.
    pub at: String,
    pub event: Event,
}

impl<'de> Deserialize<'de> for TimedEvent {
    fn deserialize<D: serde::Deserializer<'de>>(de: D) -> Result<TimedEvent, D::Error> {
        let (at, event) = crate::event::read(de, true)?;
        Ok(TimedEvent { at, event })
    }
}

/// A scenario with its events parsed and their times resolved.
#[derive(Clone, Debug)]
pub struct Scenario {
    pub doc: ScenarioDoc,
    pub events: Vec<(Time, Event)>,
    pub until: Option<Time>,
}

impl Scenario {
    /// A scenario of a configuration and a simulation alone: no timed events, no expectations.
    /// What a program that holds its parts already typed (the web page) runs, without writing
    /// and reading a whole document. Without a simulation it is a document without a
    /// `simulation` part, and a run says so.
    #[must_use]
    pub fn of_simulation(
        name: String,
        start: Time,
        config: Config,
        simulation: Option<crate::sim::SimulationSpec>,
    ) -> Scenario {
        let doc = ScenarioDoc {
            name,
            description: String::new(),
            start,
            config,
            explanations: true,
            events: Vec::new(),
            until: None,
            expect: None,
            expect_dialogs: None,
            simulation,
            expect_diagnostics: None,
        };
        Scenario {
            doc,
            events: Vec::new(),
            until: None,
        }
    }
}

/// Why a scenario could not run.
#[derive(Clone, Debug, PartialEq)]
pub enum ScenarioError {
    /// The document could not be read.
    Load(LoadError),
    /// The configuration has errors.
    Invalid(Vec<Diagnostic>),
}

impl std::fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ScenarioError::Load(e) => write!(f, "{e}"),
            ScenarioError::Invalid(ds) => {
                writeln!(f, "the configuration has errors:")?;
                for d in ds.iter().filter(|d| d.is_error()) {
                    writeln!(f, "  {d}")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for ScenarioError {}

fn at_error(path: String, message: String) -> ScenarioError {
    ScenarioError::Load(LoadError {
        path,
        line: 0,
        column: 0,
        message,
    })
}

impl<'a> From<&'a Scenario> for crate::sim::RunParts<'a> {
    fn from(scenario: &'a Scenario) -> Self {
        crate::sim::RunParts {
            config: &scenario.doc.config,
            start: scenario.doc.start,
            explanations: scenario.doc.explanations,
            simulation: scenario.doc.simulation.as_ref(),
            events: &scenario.events,
        }
    }
}

/// Parses a scenario document.
pub fn parse(text: &str) -> Result<Scenario, ScenarioError> {
    let mut doc: ScenarioDoc = parse_json(text).map_err(ScenarioError::Load)?;
    // Taken out of the document, so that a long scenario is not held twice.
    let written = std::mem::take(&mut doc.events);
    let mut events = Vec::with_capacity(written.len());
    let mut last = doc.start;
    for (i, TimedEvent { at, event }) in written.into_iter().enumerate() {
        let at =
            resolve_time(&at, doc.start).map_err(|m| at_error(format!("events[{i}].at"), m))?;
        if i == 0 && at < doc.start {
            return Err(at_error(
                format!("events[{i}].at"),
                format!("{at} is before the scenario's start {}", doc.start),
            ));
        }
        if at < last {
            return Err(at_error(
                format!("events[{i}].at"),
                format!(
                    "{at} is before the previous event at {last}: events must be in time order"
                ),
            ));
        }
        last = at;
        events.push((at, event));
    }
    let until = match &doc.until {
        Some(text) => {
            Some(resolve_time(text, doc.start).map_err(|m| at_error("until".to_string(), m))?)
        }
        None => None,
    };
    Ok(Scenario { doc, events, until })
}

/// What a replay produced.
#[derive(Clone, Debug)]
pub struct Replay {
    pub actions: Vec<Action>,
    pub dialogs: Vec<DialogView>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Runs a scenario's events through a router.
pub fn replay(scenario: &Scenario) -> Result<Replay, ScenarioError> {
    let mut replayer = Replayer::new(scenario)?;
    let actions = replayer.by_ref().collect();
    Ok(Replay {
        actions,
        dialogs: replayer.router.dialogs(),
        diagnostics: replayer.diagnostics,
    })
}

/// A replay as it goes: each action as the router takes it, so that a caller that writes
/// them out never holds a long replay whole, and one that stops early stops the replay too.
#[derive(Debug)]
pub struct Replayer<'a> {
    router: Router,
    events: std::slice::Iter<'a, (Time, Event)>,
    until: Option<Time>,
    /// The actions of the last event not yet handed out, last first; the buffer is kept for
    /// the next event.
    pending: Vec<Action>,
    diagnostics: Vec<Diagnostic>,
}

impl<'a> Replayer<'a> {
    /// A replay of `scenario`, refused when its configuration has errors.
    pub fn new(scenario: &'a Scenario) -> Result<Replayer<'a>, ScenarioError> {
        let diagnostics = validate(&scenario.doc.config);
        if has_errors(&diagnostics) {
            return Err(ScenarioError::Invalid(diagnostics));
        }
        let mut router = Router::new(&scenario.doc.config, scenario.doc.start)
            .map_err(ScenarioError::Invalid)?;
        router.set_explanations(scenario.doc.explanations);
        Ok(Replayer {
            router,
            events: scenario.events.iter(),
            until: scenario.until,
            pending: Vec::new(),
            diagnostics,
        })
    }

    /// The configuration's warnings, known before the first action.
    #[must_use]
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }
}

impl Iterator for Replayer<'_> {
    type Item = Action;

    fn next(&mut self) -> Option<Action> {
        loop {
            if let Some(action) = self.pending.pop() {
                return Some(action);
            }
            match self.events.next() {
                Some((at, event)) => self
                    .router
                    .handle_into(event.clone(), *at, &mut self.pending),
                None => self
                    .router
                    .advance_into(self.until.take()?, &mut self.pending),
            }
            self.pending.reverse();
        }
    }
}

/// Runs a golden scenario and compares the outcome with its expectations. The error text says
/// what differed and shows what actually came out.
pub fn check(text: &str) -> Result<(), String> {
    let scenario = parse(text).map_err(|e| e.to_string())?;
    let doc = &scenario.doc;
    if doc.expect.is_none() && doc.expect_dialogs.is_none() && doc.expect_diagnostics.is_none() {
        return Err(
            "the scenario has no `expect`, `expect_dialogs` or `expect_diagnostics`".to_string(),
        );
    }
    if let Some(expected) = &doc.expect_diagnostics {
        let actual = validate(&doc.config);
        check_diagnostics(expected, &actual)?;
        if has_errors(&actual) {
            return Ok(());
        }
    }
    let replay = replay(&scenario).map_err(|e| e.to_string())?;
    let actual: Vec<Value> = replay
        .actions
        .iter()
        .map(|a| serde_json::to_value(a).unwrap_or(Value::Null))
        .collect();
    if let Some(expected) = &doc.expect {
        let dump = || {
            actual
                .iter()
                .map(|a| a.to_string())
                .collect::<Vec<_>>()
                .join("\n")
        };
        if expected.len() != actual.len() {
            return Err(format!(
                "expected {} actions, got {}:\n{}",
                expected.len(),
                actual.len(),
                dump()
            ));
        }
        for (i, (e, a)) in expected.iter().zip(&actual).enumerate() {
            subset(e, a, &format!("actions[{i}]"), doc.start)
                .map_err(|m| format!("{m}\nactual actions:\n{}", dump()))?;
        }
    }
    if let Some(expected) = &doc.expect_dialogs {
        for (id, e) in expected {
            let found = replay.dialogs.iter().find(|d| d.id.0.to_string() == *id);
            let Some(d) = found else {
                return Err(format!("expect_dialogs: no dialog {id}"));
            };
            let a = serde_json::to_value(d).unwrap_or(Value::Null);
            subset(e, &a, &format!("dialogs[{id}]"), doc.start)
                .map_err(|m| format!("{m}\nactual dialog: {a}"))?;
        }
    }
    Ok(())
}

fn check_diagnostics(expected: &[ExpectedDiagnostic], actual: &[Diagnostic]) -> Result<(), String> {
    let dump = || {
        actual
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n")
    };
    let mut used = vec![false; actual.len()];
    for e in expected {
        let hit = actual.iter().enumerate().position(|(i, a)| {
            !used[i]
                && a.severity == e.severity
                && a.path == e.path
                && a.message.contains(&e.message)
        });
        match hit {
            Some(i) => used[i] = true,
            None => {
                return Err(format!(
                    "no {:?} at `{}` containing `{}`; got:\n{}",
                    e.severity,
                    e.path,
                    e.message,
                    dump()
                ))
            }
        }
    }
    for (i, a) in actual.iter().enumerate() {
        if !used[i] && a.severity != Severity::Note {
            return Err(format!("unexpected diagnostic `{a}`; got:\n{}", dump()));
        }
    }
    Ok(())
}

/// `expected` is contained in `actual`: objects by key, arrays element by element with equal
/// length, scalars equal. Strings like `+90s` stand for instants relative to `start`.
fn subset(expected: &Value, actual: &Value, path: &str, start: Time) -> Result<(), String> {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (k, ev) in e {
                let Some(av) = a.get(k) else {
                    // An expected `null` also stands for a field the action leaves out.
                    if ev.is_null() {
                        continue;
                    }
                    return Err(format!("{path}.{k}: missing in actual {actual}"));
                };
                subset(ev, av, &format!("{path}.{k}"), start)?;
            }
            Ok(())
        }
        (Value::Array(e), Value::Array(a)) => {
            if e.len() != a.len() {
                return Err(format!(
                    "{path}: expected {} items, got {}: {actual}",
                    e.len(),
                    a.len()
                ));
            }
            e.iter()
                .zip(a)
                .enumerate()
                .try_for_each(|(i, (ev, av))| subset(ev, av, &format!("{path}[{i}]"), start))
        }
        (Value::String(e), _) if e.starts_with('+') && parse_duration(&e[1..]).is_ok() => {
            let t = resolve_time(e, start).map_err(|m| format!("{path}: {m}"))?;
            let want = Value::String(t.to_string());
            if &want == actual {
                Ok(())
            } else {
                Err(format!("{path}: expected {e} ({want}), got {actual}"))
            }
        }
        _ if expected == actual => Ok(()),
        _ => Err(format!("{path}: expected {expected}, got {actual}")),
    }
}

crate::config::objects_only!(ScenarioDoc, ExpectedDiagnostic);

#[cfg(test)]
mod tests {
    use super::*;

    const START: &str = "2026-03-02T09:00:00Z";

    /// The error of a scenario whose second event, after a valid arrival, is `event`.
    fn event_error(event: &str) -> String {
        let text = format!(
            r#"{{"start": "{START}", "config": {{"version": 1, "agents": [{{"id": "anna"}}],
                "lines": [{{"id": "support", "queue": [{{"user": "anna"}}]}}]}},
                "events": [{{"at": "+1s", "type": "arrived", "dialog": 1, "line": "support"}}, {event}]}}"#
        );
        match parse(&text) {
            Ok(_) => panic!("{event} was accepted"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn an_offset_past_the_year_9999_is_refused() {
        let start = Time::parse_rfc3339(START).unwrap_or_default();
        assert_eq!(
            Time::LATEST.to_string(),
            "9999-12-31T23:59:59.999Z",
            "the latest instant is the last millisecond of 9999"
        );
        assert_eq!(
            Time::parse_rfc3339(&Time::LATEST.to_string()),
            Ok(Time::LATEST),
            "the latest instant reads back"
        );
        let error = resolve_time("+3000000d", start).unwrap_err();
        assert!(
            error.contains("lands after 9999-12-31T23:59:59.999Z"),
            "{error}"
        );
        assert!(resolve_time("+1000d", start).is_ok());
    }

    #[test]
    fn a_first_event_before_the_start_says_so() {
        let text = format!(
            r#"{{"start": "{START}", "config": {{"version": 1}},
                "events": [{{"at": "2020-01-01T00:00:00Z", "type": "closed", "dialog": 1}}]}}"#
        );
        let error = parse(&text).map(|_| ()).unwrap_err().to_string();
        assert!(
            error.starts_with(&format!(
                "events[0].at: 2020-01-01T00:00:00Z is before the scenario's start {START}"
            )),
            "{error}"
        );
    }

    #[test]
    fn a_bad_event_is_named_by_its_place_and_field() {
        // Errors the reader finds carry the line and column where it stopped: at the field, or
        // at the event's end for what is known only once it is read whole (a missing field, a
        // field its type does not have).
        let cases = [
            (r#"[1, 2]"#, "events[1] (line 3, column 93): invalid type: array, expected an event: an object with `type`"),
            (r#"{"at": "+2s", "type": 6, "dialog": 1}"#, "events[1].type (line 3, column 116): invalid type: integer `6`, expected an event type, a string such as `arrived`"),
            (r#"{"at": "+2s", "type": "closed", "dialog": 1, "to": "anna"}"#, "events[1] (line 3, column 151): field `to` does not belong to a `closed` event"),
            (r#"{"at": "+2s", "type": "closed"}"#, "events[1] (line 3, column 124): missing field `dialog`, which `closed` needs"),
            (r#"{"type": "closed", "dialog": 1}"#, "events[1] (line 3, column 124): missing field `at`"),
            (r#"{"at": 5, "type": "closed", "dialog": 1}"#, "events[1].at (line 3, column 101): invalid type: integer `5`, expected a string"),
            (r#"{"at": "5 minutes", "type": "closed", "dialog": 1}"#, "events[1].at: `5 minutes` is not"),
            (
                r#"{"at": "2026-03-02T08:59:00Z", "type": "closed", "dialog": 1}"#,
                "events[1].at: 2026-03-02T08:59:00Z is before the previous event at 2026-03-02T09:00:01Z",
            ),
            (r#"{"at": "+2s", "type": "closd", "dialog": 1}"#, "events[1].type (line 3, column 122): unknown variant `closd`, did you mean `closed`?"),
            (r#"{"at": "+2s", "type": "closed", "dialg": 1}"#, "events[1].dialg (line 3, column 132): unknown field `dialg`, did you mean `dialog`?"),
            (r#"{"at": "+2s", "type": "closed", "dialog": -1}"#, "events[1].dialog (line 3, column 137): `-1` is negative: expected a whole number from 0 to 9007199254740991"),
        ];
        for (event, expected) in cases {
            let error = event_error(event);
            assert!(error.starts_with(expected), "{event}: {error}");
        }
    }

    #[test]
    fn parsing_takes_the_events_out_of_the_document() {
        let text = format!(
            r#"{{"start": "{START}", "config": {{"version": 1}},
                "events": [{{"at": "+1s", "type": "closed", "dialog": 1}}], "until": "+1h"}}"#
        );
        let scenario = parse(&text).expect("the scenario parses");
        assert!(scenario.doc.events.is_empty());
        assert_eq!(scenario.events.len(), 1);
        assert_eq!(scenario.until, Some(Time(scenario.doc.start.0 + 3_600_000)));
    }
}
