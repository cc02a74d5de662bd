//! A simulation the page plays: it advances by wall-clock frames at a chosen speed, keeps the
//! most recent part of the event log in words, and lets the administrator change agents while
//! it runs.

use std::collections::{BTreeMap, VecDeque};

use switchboard::action::{Action, ActionKind};
use switchboard::event::Event;
use switchboard::explain::Decision;
use switchboard::ids::{AgentId, DialogId};
use switchboard::sim::report::Report;
use switchboard::sim::{LogLine, Simulation, Snapshot};
use switchboard::Time;

/// How many log entries the page keeps; older ones scroll away.
pub const LOG_KEPT: usize = 400;

/// One line of the visible log.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub seq: u64,
    pub at: Time,
    pub dialog: Option<DialogId>,
    /// `arrived`, `offered`, `undistributed`, `accepted`, `closed`, ... for styling.
    pub kind: &'static str,
    pub text: String,
    /// The engine's decision, for "why".
    pub decision: Option<Decision>,
}

/// Something an administrator can switch for an agent while the run goes on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Toggle {
    /// The agent's own Open Channels pause.
    Pause,
    Vacation,
    /// Away from work: the workday paused (with time management) or offline (without).
    Away,
}

pub struct LiveRun {
    sim: Simulation,
    names: BTreeMap<AgentId, String>,
    pub log: VecDeque<Entry>,
    seq: u64,
    pub snapshot: Snapshot,
}

impl LiveRun {
    /// Plays `sim` (built with its event log on), naming agents by `names`.
    pub fn new(sim: Simulation, names: BTreeMap<AgentId, String>) -> LiveRun {
        let snapshot = sim.snapshot();
        let mut run = LiveRun {
            sim,
            names,
            log: VecDeque::new(),
            seq: 0,
            snapshot,
        };
        run.collect();
        run
    }

    pub fn now(&self) -> Time {
        self.sim.now()
    }

    pub fn finished(&self) -> bool {
        self.sim.finished()
    }

    pub fn progress(&self) -> f64 {
        self.sim.progress()
    }

    pub fn report(&self) -> Report {
        self.sim.report()
    }

    pub fn simulation(&self) -> &Simulation {
        &self.sim
    }

    /// Advances the simulated clock by `ms`.
    pub fn advance(&mut self, ms: i64) {
        if ms > 0 && !self.sim.finished() {
            self.sim.step_until(self.sim.now().plus(ms));
            self.collect();
        }
    }

    /// Advances to the next thing that happens.
    pub fn step(&mut self) {
        if let Some(t) = self.sim.next_at() {
            self.sim.step_until(t);
            self.collect();
        }
    }

    /// Switches a pause, a vacation or being away for an agent at the current instant.
    pub fn toggle(&mut self, agent: &AgentId, what: Toggle) {
        let event = match what {
            Toggle::Away => {
                let away = self
                    .snapshot
                    .agents
                    .iter()
                    .any(|a| &a.id == agent && a.away);
                self.sim.set_away(agent, !away);
                self.collect();
                return;
            }
            Toggle::Pause | Toggle::Vacation => {
                let agents = self.sim.router().agents();
                let Some(view) = agents.iter().find(|a| &a.id == agent) else {
                    return;
                };
                let agent = agent.clone();
                match what {
                    Toggle::Pause => Event::LinePause {
                        agent,
                        paused: !view.presence.line_pause,
                    },
                    _ if view.presence.absent => Event::VacationEnded { agent },
                    _ => Event::VacationStarted { agent, until: None },
                }
            }
        };
        self.sim.inject(event);
        self.collect();
    }

    /// The agent's name as the configuration gives it.
    pub fn name(&self, agent: &AgentId) -> String {
        self.names
            .get(agent)
            .cloned()
            .unwrap_or_else(|| agent.to_string())
    }

    fn collect(&mut self) {
        for line in self.sim.take_log() {
            if let Some(entry) = self.describe(&line) {
                self.seq += 1;
                self.log.push_back(Entry {
                    seq: self.seq,
                    ..entry
                });
                if self.log.len() > LOG_KEPT {
                    self.log.pop_front();
                }
            }
        }
        self.snapshot = self.sim.snapshot();
    }

    fn names_of(&self, agents: &[AgentId]) -> String {
        agents
            .iter()
            .map(|a| self.name(a))
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn describe(&self, line: &LogLine) -> Option<Entry> {
        let entry = |at, dialog, kind, text: String, decision| Entry {
            seq: 0,
            at,
            dialog,
            kind,
            text,
            decision,
        };
        match line {
            LogLine::In { at, event } => match event {
                Event::Arrived { dialog, .. } => Some(entry(
                    *at,
                    Some(*dialog),
                    "arrived",
                    format!("{dialog} arrives"),
                    None,
                )),
                Event::ClientLeft { dialog } => Some(entry(
                    *at,
                    Some(*dialog),
                    "abandoned",
                    format!("{dialog}: the client gives up waiting"),
                    None,
                )),
                Event::LinePause { agent, paused } => Some(entry(
                    *at,
                    None,
                    "admin",
                    format!(
                        "{} {} the pause",
                        self.name(agent),
                        if *paused { "starts" } else { "ends" }
                    ),
                    None,
                )),
                Event::VacationStarted { agent, .. } => Some(entry(
                    *at,
                    None,
                    "admin",
                    format!("{} goes on vacation", self.name(agent)),
                    None,
                )),
                Event::VacationEnded { agent } => Some(entry(
                    *at,
                    None,
                    "admin",
                    format!("{} is back from vacation", self.name(agent)),
                    None,
                )),
                _ => None,
            },
            LogLine::Out(Action { at, kind }) => {
                let at = *at;
                match kind {
                    ActionKind::Offered {
                        dialog,
                        to,
                        decision,
                        ..
                    } => Some(entry(
                        at,
                        Some(*dialog),
                        "offered",
                        format!("{dialog} offered to {}", self.names_of(to)),
                        Some(decision.clone()),
                    )),
                    ActionKind::Undistributed {
                        dialog, decision, ..
                    } => Some(entry(
                        at,
                        Some(*dialog),
                        "undistributed",
                        format!("{dialog} waits: nobody can take it now"),
                        Some(decision.clone()),
                    )),
                    ActionKind::Retried { dialog, count, .. } => Some(entry(
                        at,
                        Some(*dialog),
                        "undistributed",
                        format!("{dialog} still waits: {count} more retries found nobody"),
                        None,
                    )),
                    ActionKind::Accepted { dialog, agent, .. } => Some(entry(
                        at,
                        Some(*dialog),
                        "accepted",
                        format!("{dialog} taken by {}", self.name(agent)),
                        None,
                    )),
                    ActionKind::Requeued { dialog, reason, .. } => Some(entry(
                        at,
                        Some(*dialog),
                        "requeued",
                        format!("{dialog} goes back to the queue ({reason:?})").to_lowercase(),
                        None,
                    )),
                    ActionKind::NoAnswer { dialog, .. } => Some(entry(
                        at,
                        Some(*dialog),
                        "no-answer",
                        format!("{dialog}: no answer in time"),
                        None,
                    )),
                    ActionKind::OffHours { dialog, .. } => Some(entry(
                        at,
                        Some(*dialog),
                        "off-hours",
                        format!("{dialog}: the client wrote while the line is closed"),
                        None,
                    )),
                    ActionKind::Closed { dialog, how, .. } => Some(entry(
                        at,
                        Some(*dialog),
                        "closed",
                        format!("{dialog} closed ({how:?})").to_lowercase(),
                        None,
                    )),
                    ActionKind::Rejected { event, reason } => Some(entry(
                        at,
                        None,
                        "rejected",
                        format!("the engine refused `{event}`: {reason}"),
                        None,
                    )),
                    _ => None,
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::project::Project;

    #[test]
    fn a_run_advances_logs_and_reacts_to_a_toggle() {
        let project = Project::demo();
        let sim = project.simulation(None, true).unwrap();
        let mut run = LiveRun::new(sim, project.agent_names());
        let start = run.now();
        run.advance(30 * 60_000);
        assert_eq!(run.now(), start.plus(30 * 60_000));
        assert!(run
            .log
            .iter()
            .any(|e| e.kind == "offered" && e.decision.is_some()));
        let offered = run.log.iter().find(|e| e.kind == "offered").unwrap();
        let decision = offered.decision.as_ref().unwrap();
        assert!(!decision.candidates.is_empty(), "explanations are on");
        // Pause the first agent: the views show it and the log says so.
        let anna = AgentId::new("anna");
        run.toggle(&anna, Toggle::Pause);
        let view = run
            .simulation()
            .router()
            .agents()
            .into_iter()
            .find(|a| a.id == anna)
            .unwrap();
        assert!(view.presence.line_pause);
        assert!(run
            .log
            .back()
            .unwrap()
            .text
            .contains("Anna Becker starts the pause"));
        let before = run.now();
        run.step();
        assert!(run.now() >= before);
        assert!(run.log.len() <= LOG_KEPT);
    }
}
