//! The document the page edits: a configuration and the simulation that previews it, in the
//! engine's scenario format, so that what the page exports `switchboard simulate` runs as is.

use std::collections::BTreeMap;

use chrono::Datelike;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use switchboard::config::{
    parse_json, AgentConfig, Config, IntervalConfig, LineConfig, WorktimeConfig,
};
use switchboard::ids::AgentId;
use switchboard::model::{LineSetup, QueueEntry};
use switchboard::scenario::Scenario;
use switchboard::sim::{Simulation, SimulationSpec};
use switchboard::worktime::{hhmm, Openness};
use switchboard::zone::Zone;
use switchboard::{validate, Diagnostic, Time};

const DEMO: &str = include_str!("demo.json");

/// A configuration with its simulation. Field for field a scenario document.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Project {
    #[serde(default)]
    pub name: String,
    /// Where the simulated day starts.
    pub start: Time,
    pub config: Config,
    /// The `simulation` part as written (arrivals, agents' behaviour, clients, length).
    pub simulation: Value,
}

impl Project {
    /// The demo: a support line in Berlin with a second-line department and a weekday's
    /// arrival profile.
    #[must_use]
    pub fn demo() -> Project {
        // The demo is part of the build and checked by a test; an unreadable one is a bug.
        #[allow(clippy::expect_used)]
        Project::from_json(DEMO).expect("the built-in demo parses")
    }

    /// Reads a project, with the engine's error (path, line and column) when it is not one.
    pub fn from_json(text: &str) -> Result<Project, String> {
        parse_json(text).map_err(|e| e.to_string())
    }

    /// The project as the engine reads it, and as it is exported and stored. This is the only
    /// serializer the page has for a project: each further one would add its code for every
    /// configuration type to the download.
    #[must_use]
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// The scenario the engine runs. Only the `simulation` part is read here: the rest is
    /// typed already, and reading the whole project as a scenario document would put a second
    /// reader of every configuration type into the download.
    pub fn scenario(&self) -> Result<Scenario, String> {
        // `null` is a project without a simulation, as a scenario document without the part.
        let text = serde_json::to_string_pretty(&self.simulation).unwrap_or_default();
        let simulation: Option<SimulationSpec> = parse_json(&text).map_err(|e| {
            // The line and column are in this rewritten text, not in anything the user wrote;
            // the path says where.
            let path = if e.path.is_empty() {
                "simulation".to_string()
            } else {
                format!("simulation.{}", e.path)
            };
            format!("{path}: {}", e.message)
        })?;
        Ok(Scenario::of_simulation(
            self.name.clone(),
            self.start,
            self.config.clone(),
            simulation,
        ))
    }

    /// A simulation of the project, or its errors in one line (`path: message; ...`).
    pub fn simulation(&self, seed: Option<u64>, log: bool) -> Result<Simulation, String> {
        let scenario = self.scenario()?;
        Simulation::new(&scenario, seed, log).map_err(|e| errors_in_one_line(&e.diagnostics))
    }

    /// Everything wrong or doubtful: the configuration's diagnostics, then the simulation's.
    #[must_use]
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        self.prepare(None, false).0
    }

    /// The diagnostics and the simulation together, from one reading of the project: what
    /// the page needs after every edit.
    pub fn prepare(
        &self,
        seed: Option<u64>,
        log: bool,
    ) -> (Vec<Diagnostic>, Result<Simulation, String>) {
        let mut out = validate(&self.config);
        if out.iter().any(Diagnostic::is_error) {
            let error = errors_in_one_line(&out);
            return (out, Err(error));
        }
        let scenario = match self.scenario() {
            Ok(scenario) => scenario,
            Err(e) => {
                out.push(Diagnostic::error("", e.clone()));
                return (out, Err(e));
            }
        };
        // The configuration's own diagnostics are in already; the simulation's are added.
        match Simulation::new(&scenario, seed, log) {
            Ok(sim) => {
                add_new(&mut out, sim.warnings());
                (out, Ok(sim))
            }
            Err(e) => {
                add_new(&mut out, &e.diagnostics);
                (out, Err(errors_in_one_line(&e.diagnostics)))
            }
        }
    }

    /// The zone the page shows times in: line `line`'s, or UTC.
    #[must_use]
    pub fn zone(&self, line: usize) -> Zone {
        self.config
            .lines
            .get(line)
            .and_then(|l| l.worktime.as_ref())
            .and_then(|w| Zone::named(&w.timezone))
            .unwrap_or(Zone::UTC)
    }

    /// Each agent's name as the page shows it (the id when the agent has no name).
    #[must_use]
    pub fn agent_names(&self) -> BTreeMap<AgentId, String> {
        // Filled by inserting: `collect` would sort first, and the sort is code in the
        // download for this one key type.
        let mut names = BTreeMap::new();
        names.extend(self.config.agents.iter().map(|a| {
            let name = a.name.clone().unwrap_or_else(|| a.id.clone());
            (AgentId::new(&a.id), name)
        }));
        names
    }

    /// A new agent with a free id, added at the end of line `line`'s queue.
    pub fn add_agent(&mut self, line: usize, name: &str) -> String {
        let agents = &self.config.agents;
        let (id, _) = free_id("agent", agents.len() + 1, |id| {
            agents.iter().any(|a| a.id == id)
        });
        self.config.agents.push(new_agent(&id, name));
        if let Some(l) = self.config.lines.get_mut(line) {
            l.queue
                .get_or_insert_with(Vec::new)
                .push(QueueEntry::User(id.clone()));
        }
        id
    }

    /// The agent's shift in the simulation, `(start, end)` as `HH:MM`: its own, or the default.
    #[must_use]
    pub fn agent_shift(&self, id: &str) -> Option<(String, String)> {
        let agents = self.simulation.get("agents")?;
        let shift = agents
            .get("by_agent")
            .and_then(|b| b.get(id))
            .and_then(|a| a.get("shift"))
            .or_else(|| agents.get("default").and_then(|d| d.get("shift")))?;
        let text = |k: &str| shift.get(k).and_then(Value::as_str).map(str::to_string);
        Some((text("start")?, text("end")?))
    }

    /// Gives the agent its own shift times, keeping the rest of the shift it had (zone, days,
    /// breaks, lateness). Does nothing when the simulation gives no shifts at all.
    pub fn set_agent_shift(&mut self, id: &str, start: &str, end: &str) {
        let Some(agents) = self
            .simulation
            .get_mut("agents")
            .and_then(Value::as_object_mut)
        else {
            return;
        };
        let current = agents
            .get("by_agent")
            .and_then(|b| b.get(id))
            .and_then(|a| a.get("shift"))
            .or_else(|| agents.get("default").and_then(|d| d.get("shift")))
            .cloned();
        let Some(Value::Object(mut shift)) = current else {
            return;
        };
        shift.insert("start".into(), Value::String(start.to_string()));
        shift.insert("end".into(), Value::String(end.to_string()));
        let by_agent = agents
            .entry("by_agent")
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(by_agent) = by_agent {
            let own = by_agent
                .entry(id.to_string())
                .or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(own) = own {
                own.insert("shift".into(), Value::Object(shift));
            }
        }
    }

    /// The agent's configuration, to edit.
    pub fn agent_mut(&mut self, id: &str) -> Option<&mut AgentConfig> {
        self.config.agents.iter_mut().find(|a| a.id == id)
    }

    /// Takes an agent out of every queue and out of the configuration.
    pub fn remove_agent(&mut self, id: &str) {
        self.config.agents.retain(|a| a.id != id);
        for line in &mut self.config.lines {
            if let Some(q) = &mut line.queue {
                q.retain(|e| !matches!(e, QueueEntry::User(u) if u == id));
            }
        }
    }

    /// Moves queue entry `from` of line `line` to position `to`.
    pub fn move_entry(&mut self, line: usize, from: usize, to: usize) {
        let Some(q) = self
            .config
            .lines
            .get_mut(line)
            .and_then(|l| l.queue.as_mut())
        else {
            return;
        };
        if from < q.len() && to < q.len() && from != to {
            let entry = q.remove(from);
            q.insert(to, entry);
        }
    }

    /// Adds a department's entry to a line's queue (its members are the agents listing it).
    pub fn add_department(&mut self, line: usize, department: &str) {
        if let Some(l) = self.config.lines.get_mut(line) {
            l.queue
                .get_or_insert_with(Vec::new)
                .push(QueueEntry::Department(department.to_string()));
        }
    }

    /// A new line with line `from`'s settings and queue, and arrivals of its own like those of
    /// `from` (so that the new line gets enquiries in the preview). Returns its index.
    pub fn add_line(&mut self, from: usize) -> usize {
        let lines = &self.config.lines;
        let (id, n) = free_id("line", lines.len() + 1, |id| {
            lines.iter().any(|l| l.id == id)
        });
        let mut line = self.config.lines.get(from).cloned().unwrap_or_default();
        let source_id = std::mem::replace(&mut line.id, id.clone());
        line.name = Some(format!("Line {n}"));
        // Bitrix24's own fields name the line they came from; the copy is a new line.
        if let Some(fields) = &mut line.bitrix {
            fields.remove("ID");
        }
        let first = self.config.lines.first().map(|l| l.id.clone());
        self.config.lines.push(line);
        if let Some(Value::Array(sources)) = self.simulation.get_mut("arrivals") {
            // A source without a line feeds the only line; with two lines it must say which.
            for s in sources.iter_mut() {
                if let (Some(o), Some(first)) = (s.as_object_mut(), &first) {
                    o.entry("line")
                        .or_insert_with(|| Value::String(first.clone()));
                }
            }
            let copies: Vec<Value> = sources
                .iter()
                .filter(|s| s.get("line").and_then(Value::as_str) == Some(source_id.as_str()))
                .map(|s| {
                    let mut s = s.clone();
                    if let Some(o) = s.as_object_mut() {
                        o.insert("line".into(), Value::String(id.clone()));
                    }
                    s
                })
                .collect();
            sources.extend(copies);
        }
        self.config.lines.len() - 1
    }

    /// Removes line `line` and the arrivals that went to it. The last line stays: a project
    /// without lines has nothing to preview.
    pub fn remove_line(&mut self, line: usize) {
        if self.config.lines.len() < 2 || line >= self.config.lines.len() {
            return;
        }
        let id = self.config.lines.remove(line).id;
        if let Some(Value::Array(sources)) = self.simulation.get_mut("arrivals") {
            sources.retain(|s| s.get("line").and_then(Value::as_str) != Some(id.as_str()));
        }
    }

    /// Imports a line as `imopenlines.config.get` returns it (the whole response with its
    /// `result`, or the fields alone). The line's settings stay in Bitrix24's field names,
    /// which the engine reads; users in its `QUEUE` that the project lacks are added as agents.
    /// Replaces the line with the same id, or adds it. Returns the line's index.
    pub fn import_bitrix(&mut self, text: &str) -> Result<usize, String> {
        let value: Value = parse_json(text).map_err(|e| e.to_string())?;
        let fields = match value {
            Value::Object(mut m) => match m.remove("result") {
                Some(Value::Object(r)) => r,
                Some(_) => return Err("`result`: expected the line's fields as an object".into()),
                None => m,
            },
            _ => {
                return Err("expected a JSON object: the response of imopenlines.config.get".into())
            }
        };
        if !fields.contains_key("QUEUE_TYPE") && !fields.contains_key("QUEUE") {
            return Err(
                "this is not an Open Channel's configuration: it has neither `QUEUE_TYPE` nor `QUEUE`"
                    .into(),
            );
        }
        let id = match fields.get("ID") {
            Some(Value::String(s)) if !s.is_empty() => format!("line{s}"),
            Some(Value::Number(n)) => format!("line{n}"),
            _ => format!("line{}", self.config.lines.len() + 1),
        };
        for user in queue_users(&fields) {
            if !self.config.agents.iter().any(|a| a.id == user) {
                self.config
                    .agents
                    .push(new_agent(&user, &format!("User {user}")));
            }
        }
        let line = own_fields(LineConfig {
            id: id.clone(),
            bitrix: Some(fields),
            ..LineConfig::default()
        });
        let index = match self.config.lines.iter().position(|l| l.id == id) {
            Some(i) => {
                self.config.lines[i] = line;
                i
            }
            None => {
                self.config.lines.push(line);
                self.config.lines.len() - 1
            }
        };
        Ok(index)
    }
}

/// The first `{prefix}{n}`, counting `n` up from `start`, that `taken` does not claim; with `n`.
fn free_id(prefix: &str, start: usize, taken: impl Fn(&str) -> bool) -> (String, usize) {
    (start..)
        .map(|n| (format!("{prefix}{n}"), n))
        .find(|(id, _)| !taken(id))
        .unwrap_or_default()
}

/// An agent with nothing set but its id and name: at work, no vacation, no CRM clients.
fn new_agent(id: &str, name: &str) -> AgentConfig {
    AgentConfig {
        id: id.to_string(),
        name: Some(name.to_string()),
        departments: Vec::new(),
        dismissed: false,
        absent: false,
        absent_until: None,
        last_activity: None,
        workday: Default::default(),
        line_pause: false,
        crm_clients: Vec::new(),
    }
}

/// Bitrix24's fields that the page edits, moved from the line's `bitrix` part into its own
/// fields (resolved by the engine, so with the engine's coercions); the rest (texts, the welcome
/// bot, auto-close) stay as Bitrix24 wrote them.
const EDITED: &[&str] = &[
    "LINE_NAME",
    "QUEUE",
    "QUEUE_TYPE",
    "QUEUE_TIME",
    "NO_ANSWER_TIME",
    "CHECK_AVAILABLE",
    "MAX_CHAT",
    "TYPE_MAX_CHAT",
    "CRM_FORWARD",
    "FULL_CLOSE_TIME",
    "WORKTIME_ENABLE",
    "WORKTIME_FROM",
    "WORKTIME_TO",
    "WORKTIME_TIMEZONE",
    "WORKTIME_DAYOFF",
    "WORKTIME_HOLIDAYS",
];

/// A line as the engine resolves it on its own (defaults, units, Bitrix24's field names).
fn resolve_line(line: &LineConfig) -> Option<LineSetup> {
    let probe = Config {
        version: switchboard::config::VERSION,
        portal: None,
        agents: Vec::new(),
        lines: vec![line.clone()],
    };
    switchboard::config::resolve(&probe)
        .0
        .lines
        .into_iter()
        .next()
}

fn own_fields(mut line: LineConfig) -> LineConfig {
    let Some(resolved) = resolve_line(&line) else {
        return line;
    };
    let s = &resolved.settings;
    line.name = Some(resolved.name.clone());
    line.queue = Some(resolved.queue.clone());
    line.mode = Some(s.mode);
    line.queue_time = Some(s.queue_time / 1000);
    line.no_answer_time = Some(s.no_answer_time / 1000);
    line.check_available = Some(s.check_available);
    line.max_chat = Some(i64::from(s.max_chat));
    line.type_max_chat = Some(s.type_max_chat);
    line.crm_forward = Some(s.crm_forward);
    line.full_close_time = Some(s.full_close_time / 60_000);
    line.worktime = s.worktime.as_ref().map(|w| {
        let days = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];
        let (from, to, hours) = match w.intervals.as_slice() {
            [(a, b)] => (Some(hhmm(*a)), Some(hhmm(*b)), Vec::new()),
            many => (
                None,
                None,
                many.iter()
                    .map(|(a, b)| IntervalConfig {
                        from: hhmm(*a),
                        to: hhmm(*b),
                    })
                    .collect(),
            ),
        };
        WorktimeConfig {
            enabled: None,
            timezone: w.timezone.name().to_string(),
            from,
            to,
            hours,
            days_off: (0..7)
                .filter(|&d| w.days_off[d])
                .map(|d| days[d].to_string())
                .collect(),
            holidays: w
                .holidays
                .iter()
                .map(|(d, m)| format!("{d:02}.{m:02}"))
                .collect(),
        }
    });
    if let Some(map) = &mut line.bitrix {
        for key in EDITED {
            map.remove(*key);
        }
    }
    line
}

/// The user ids of a Bitrix24 `QUEUE` field: an array of ids, or of objects with `USER_ID`
/// (or `ENTITY_ID` with `ENTITY_TYPE` `user`).
fn queue_users(fields: &Map<String, Value>) -> Vec<String> {
    let Some(Value::Array(items)) = fields.get("QUEUE") else {
        return Vec::new();
    };
    let text = |v: &Value| match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    };
    items
        .iter()
        .filter_map(|item| match item {
            Value::Object(o) => match o.get("ENTITY_TYPE").and_then(Value::as_str) {
                Some(kind) if kind != "user" => None,
                _ => o
                    .get("USER_ID")
                    .or_else(|| o.get("ENTITY_ID"))
                    .and_then(text),
            },
            other => text(other),
        })
        .collect()
}

/// Adds to `out` the diagnostics of `found` it does not have yet.
fn add_new(out: &mut Vec<Diagnostic>, found: &[Diagnostic]) {
    for d in found {
        if !out.contains(d) {
            out.push(d.clone());
        }
    }
}

/// The errors among `diagnostics` in one line: `path: message; ...`.
fn errors_in_one_line(diagnostics: &[Diagnostic]) -> String {
    diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| format!("{}: {}", d.path, d.message))
        .collect::<Vec<_>>()
        .join("; ")
}

/// A setting's value picked from a list (`evenly`, `closed`, ...) as the engine's type, read by
/// the reader that reads documents, so that no second deserializer is built for it.
#[must_use]
pub fn choice<T: serde::de::DeserializeOwned>(value: &str) -> Option<T> {
    parse_json(&format!("\"{value}\"")).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_is_valid_and_runs() {
        let demo = Project::demo();
        let errors: Vec<_> = demo
            .diagnostics()
            .into_iter()
            .filter(Diagnostic::is_error)
            .collect();
        assert!(errors.is_empty(), "{errors:?}");
        let scenario = demo.scenario().unwrap();
        let report = Simulation::new(&scenario, None, false).unwrap().run();
        assert!(
            report.enquiries.offered > 200,
            "{}",
            report.enquiries.offered
        );
        assert!(report.enquiries.answered > 0);
        assert_eq!(Project::from_json(&demo.to_json()).unwrap(), demo);
    }

    #[test]
    fn a_simulation_part_the_engine_cannot_read_is_reported_with_its_path() {
        let mut p = Project::demo();
        p.simulation["warm_up"] = Value::from(5);
        let error = p.scenario().err().unwrap_or_default();
        assert!(
            error.starts_with("simulation.warm_up: invalid type: integer `5`"),
            "{error}"
        );
        let mut p = Project::demo();
        let spec = p.simulation.as_object_mut().unwrap();
        let duration = spec.remove("duration").unwrap();
        spec.insert("durration".into(), duration);
        let error = p.scenario().err().unwrap_or_default();
        assert!(
            error.contains("unknown field `durration`, did you mean `duration`?"),
            "{error}"
        );
        // The same message is the run's error after an edit.
        let (_, sim) = p.prepare(Some(1), false);
        assert_eq!(sim.err().unwrap_or_default(), error);
    }

    #[test]
    fn a_project_without_a_simulation_is_kept_and_says_what_is_missing() {
        let mut text: Value = serde_json::from_str(&Project::demo().to_json()).unwrap();
        text["simulation"] = Value::Null;
        let p = Project::from_json(&text.to_string()).unwrap();
        assert_eq!(p.config, Project::demo().config);
        let (problems, sim) = p.prepare(Some(1), false);
        let error = sim.err().unwrap_or_default();
        assert!(
            error.starts_with("simulation: the scenario has no `simulation` part"),
            "{error}"
        );
        assert!(problems
            .iter()
            .any(|d| d.is_error() && d.path == "simulation"));
    }

    #[test]
    fn an_agent_gets_its_own_shift() {
        let mut p = Project::demo();
        assert_eq!(
            p.agent_shift("anna"),
            Some(("08:00".into(), "16:30".into()))
        );
        p.set_agent_shift("anna", "07:00", "15:00");
        assert_eq!(
            p.agent_shift("anna"),
            Some(("07:00".into(), "15:00".into()))
        );
        // The rest of the shift is kept, the others keep theirs, and the run still starts.
        let own = &p.simulation["agents"]["by_agent"]["anna"]["shift"];
        assert_eq!(own["zone"], "Europe/Berlin");
        assert_eq!(
            p.agent_shift("boris"),
            Some(("08:00".into(), "16:30".into()))
        );
        assert!(p.scenario().is_ok());
        p.set_agent_shift("anna", "7 o'clock", "15:00");
        let problems = p.diagnostics();
        assert!(
            problems
                .iter()
                .any(|d| d.path.contains("anna") && d.is_error()),
            "{problems:?}"
        );
    }

    #[test]
    fn a_doubtful_simulation_setting_is_shown_and_the_run_starts() {
        let mut p = Project::demo();
        let late = serde_json::json!({ "kind": "times", "at": ["+1h", "+12h"] });
        if let Some(arrivals) = p.simulation["arrivals"].as_array_mut() {
            arrivals.push(late);
        }
        let (problems, sim) = p.prepare(Some(1), false);
        assert!(sim.is_ok());
        assert!(
            problems.iter().any(|d| !d.is_error()
                && d.path == "simulation.arrivals[1].at"
                && d.message.starts_with("1 of the 2 instants")),
            "{problems:?}"
        );
    }

    #[test]
    fn one_reading_gives_the_problems_and_the_run() {
        let demo = Project::demo();
        let (problems, sim) = demo.prepare(Some(1), false);
        assert!(problems.iter().all(|d| !d.is_error()), "{problems:?}");
        assert!(sim.is_ok());
        // A shift the engine cannot read: the problem is placed, and the run says why not.
        let mut p = Project::demo();
        p.set_agent_shift("anna", "7 o'clock", "15:00");
        let (problems, sim) = p.prepare(Some(1), false);
        assert_eq!(problems, p.diagnostics());
        let error = sim.err().unwrap_or_default();
        assert!(error.contains("anna"), "{error}");
        // A configuration error stops the run with the configuration's message.
        let mut q = Project::demo();
        q.config.lines[0].queue_time = Some(-5);
        let (problems, sim) = q.prepare(Some(1), false);
        let error = sim.err().unwrap_or_default();
        let first = problems
            .iter()
            .find(|d| d.is_error())
            .map(|d| d.path.clone());
        assert!(
            first.is_some_and(|path| error.starts_with(&path)),
            "{error}"
        );
    }

    #[test]
    fn a_line_is_added_with_its_own_arrivals_and_removed_with_them() {
        let mut p = Project::demo();
        let sources = |p: &Project| p.simulation["arrivals"].as_array().map_or(0, Vec::len);
        let before = sources(&p);
        let i = p.add_line(0);
        assert_eq!((i, p.config.lines.len()), (1, 2));
        let new_id = p.config.lines[1].id.clone();
        assert_ne!(new_id, p.config.lines[0].id);
        assert_eq!(p.config.lines[1].queue, p.config.lines[0].queue);
        assert_eq!(sources(&p), 2 * before);
        assert!(
            p.diagnostics().iter().all(|d| !d.is_error()),
            "{:?}",
            p.diagnostics()
        );
        // Both lines get enquiries.
        let report = p.simulation(Some(3), false).unwrap().run();
        assert!(report.enquiries.offered > 0);
        let mut one = Project::demo();
        let single = one.simulation(Some(3), false).unwrap().run();
        assert!(report.enquiries.offered > single.enquiries.offered);
        p.remove_line(1);
        assert_eq!(p.config, Project::demo().config);
        assert_eq!(sources(&p), before);
        assert!(p.simulation(Some(3), false).is_ok());
        // The last line stays.
        one.remove_line(0);
        assert_eq!(one.config.lines.len(), 1);
    }

    #[test]
    fn agents_are_added_moved_and_removed() {
        let mut p = Project::demo();
        let before = p.config.lines[0].queue.clone().unwrap();
        let id = p.add_agent(0, "Zoe");
        let queue = p.config.lines[0].queue.clone().unwrap();
        assert_eq!(queue.last(), Some(&QueueEntry::User(id.clone())));
        p.move_entry(0, queue.len() - 1, 0);
        assert_eq!(
            p.config.lines[0].queue.as_ref().unwrap()[0],
            QueueEntry::User(id.clone())
        );
        p.remove_agent(&id);
        assert_eq!(p.config.lines[0].queue.clone().unwrap(), before);
        assert!(p.config.agents.iter().all(|a| a.id != id));
    }

    #[test]
    fn a_bitrix_line_is_imported_with_its_users() {
        let mut p = Project::demo();
        let text = r#"{"result": {"ID": "7", "LINE_NAME": "Sales", "QUEUE_TYPE": "strictly",
            "QUEUE_TIME": "120", "CHECK_AVAILABLE": "Y", "MAX_CHAT": "2",
            "QUEUE": [{"ENTITY_TYPE": "user", "ENTITY_ID": "501"}, "502"]}}"#;
        let i = p.import_bitrix(text).unwrap();
        let line = &p.config.lines[i];
        assert_eq!(line.id, "line7");
        assert_eq!(line.name.as_deref(), Some("Sales"));
        assert_eq!(line.mode, Some(switchboard::model::Mode::Strictly));
        assert_eq!((line.queue_time, line.max_chat), (Some(120), Some(2)));
        assert_eq!(line.queue.as_ref().map(Vec::len), Some(2));
        assert!(!line.bitrix.as_ref().unwrap().contains_key("QUEUE_TYPE"));
        assert!(p.config.agents.iter().any(|a| a.id == "501"));
        assert!(p.config.agents.iter().any(|a| a.id == "502"));
        let errors: Vec<_> = validate(&p.config)
            .into_iter()
            .filter(Diagnostic::is_error)
            .collect();
        assert!(errors.is_empty(), "{errors:?}");
        // Importing it again replaces the line instead of adding a second.
        let n = p.config.lines.len();
        p.import_bitrix(text).unwrap();
        assert_eq!(p.config.lines.len(), n);
        assert!(p
            .import_bitrix("[1, 2]")
            .unwrap_err()
            .contains("JSON object"));
        assert!(p
            .import_bitrix(r#"{"foo": 1}"#)
            .unwrap_err()
            .contains("QUEUE_TYPE"));
        assert!(p.import_bitrix("{").is_err());
    }
}

/// One local day of a line's hours: its date and, for each half hour, whether the line is open.
#[derive(Clone, Debug, PartialEq)]
pub struct OpenDay {
    pub label: String,
    pub slots: Vec<Openness>,
}

/// The line's hours over the week that contains `from`, in the line's zone, half an hour at a
/// time, as the engine evaluates them (days off, then holidays, then hours). `None` when the
/// line has no working hours, so it is always open, or its hours do not resolve.
#[must_use]
pub fn open_week(line: &LineConfig, from: Time) -> Option<(Zone, Vec<OpenDay>)> {
    let worktime = resolve_line(line)?.settings.worktime?;
    let zone = worktime.timezone;
    let local = zone.local(from)?;
    let monday =
        local.date() - chrono::Duration::days(i64::from(local.weekday().num_days_from_monday()));
    let days = (0..7)
        .map(|d| {
            let date = monday + chrono::Duration::days(d);
            let slots = (0..48)
                .map(|half| {
                    let naive = date.and_hms_opt(half / 2, (half % 2) * 30, 0);
                    naive
                        .and_then(|n| zone.instant(n))
                        .map_or(Openness::OutsideHours, |t| worktime.openness(t))
                })
                .collect();
            OpenDay {
                label: crate::dates::day(date),
                slots,
            }
        })
        .collect();
    Some((zone, days))
}

#[cfg(test)]
mod open_week_tests {
    use super::*;

    #[test]
    fn the_demo_line_opens_on_weekdays_from_eight_to_eight() {
        let p = Project::demo();
        let (zone, days) = open_week(&p.config.lines[0], p.start).unwrap();
        assert_eq!(zone.name(), "Europe/Berlin");
        assert_eq!(days[0].label, "Mon 02 Mar");
        let open = |d: usize, half: usize| days[d].slots[half] == Openness::Open;
        assert!(!open(0, 15) && open(0, 16) && open(0, 40) && !open(0, 41));
        assert!(days[5].slots.iter().all(|s| *s == Openness::DayOff));
        let mut always = p.config.lines[0].clone();
        always.worktime = None;
        assert!(open_week(&always, p.start).is_none());
    }
}
