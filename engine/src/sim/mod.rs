//! The simulator: simulated days of arrivals, agents and clients driving the same [`Router`]
//! that routes for real, and a report of what the configuration did to the team.
//!
//! A run is deterministic: every random draw comes from a seeded stream with a fixed algorithm
//! ([`random`]), and streams are split by purpose and item (arrivals, each enquiry, each agent),
//! so two variants of a configuration see the same arrivals and the same enquiries. The
//! simulator keeps its own agenda of pending behaviour (an agent taking an offer, a client
//! leaving) and interleaves it with the router's timers in time order, the router first on ties.

pub mod random;
pub mod report;
pub mod spec;
mod table;

use std::cmp::Ordering;
use std::collections::{BTreeMap, BinaryHeap, VecDeque};

use chrono::{Datelike, Duration, NaiveDate, Timelike};
use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::action::Action;
use crate::config::{resolve, Config};
use crate::diagnostic::{has_errors, Diagnostic};
use crate::event::Event;
use crate::ids::{AgentId, ClientId, DialogId, LineId};
use crate::model::Workday;
use crate::router::{Input, Out, OutKind, Router};
use crate::time::{pack, Time, HOUR, MINUTE};
use crate::validate::validate_setup;
use random::Rng;
use report::{
    jain, ratio, secs, AgentReport, Counts, Durations, Fairness, Level, Point, QueueFigures,
    Ratings, Rejected, Report, Spread, Waiting,
};
pub use spec::SimulationSpec;
use spec::{Plan, Source};
use table::IdTable;

/// Stream kinds (see [`Rng::stream`]).
const ARRIVALS: u64 = 1;
const ENQUIRY: u64 = 2;
const AGENT: u64 = 3;
/// How many refused events the report quotes.
const QUOTED_REJECTIONS: usize = 10;

/// A line of the event log: what went into the router, or what came out.
#[derive(Clone, Debug, Serialize)]
#[serde(untagged)]
pub enum LogLine {
    In { at: Time, event: Event },
    Out(Action),
}

/// Something the simulated people will do.
#[derive(Clone, Debug)]
enum Pending {
    Arrival(u32),
    /// An agent answers an offer: takes it or skips it.
    Decide {
        dialog: u64,
        agent: u32,
        gen: u32,
    },
    /// The engine refused a skip: the agent takes the enquiry after all.
    Take {
        dialog: u64,
        agent: u32,
        gen: u32,
    },
    Reply {
        dialog: u64,
        agent: u32,
        gen: u32,
    },
    Finish {
        dialog: u64,
        gen: u32,
    },
    ClientWrites {
        dialog: u64,
        gen: u32,
    },
    Abandon {
        dialog: u64,
    },
    Script(u32),
    ShiftDay {
        agent: u32,
        date: NaiveDate,
    },
    Shift {
        agent: u32,
        state: Workday,
    },
    OfflineStarts {
        agent: u32,
    },
    OfflineEnds {
        agent: u32,
    },
    Keepalive {
        agent: u32,
    },
    Sample,
}

struct Entry {
    at: Time,
    seq: u64,
    what: Pending,
}

impl Entry {
    /// (time, sequence) as one integer: the heap compares once, without a branch for each part.
    #[inline]
    fn key(&self) -> u128 {
        pack(self.at.key(), self.seq)
    }
}

impl PartialEq for Entry {
    fn eq(&self, other: &Self) -> bool {
        (self.at, self.seq) == (other.at, other.seq)
    }
}
impl Eq for Entry {}
impl PartialOrd for Entry {
    #[inline]
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Entry {
    /// Reversed, so that the max-heap pops the earliest first.
    #[inline]
    fn cmp(&self, other: &Self) -> Ordering {
        other.key().cmp(&self.key())
    }
}

/// The simulated people's pending intentions, earliest first, in scheduling order on ties.
///
/// Many intentions fall due at the instant they are made (an agent who takes an offer or
/// replies at once). Those skip the heap: once the agenda has come up to an instant, what is
/// scheduled for that same instant queues in `now`, first in first out. The queue holds one
/// instant only, so it is in order.
///
/// The next arrival waits beside the heap too, in `arrival`: each source has one pending
/// arrival at a time, so with one source, as most runs have, arrivals never pass through the
/// heap, which then holds only what the enquiries in progress will do. (A second source's
/// arrivals go to the heap while the place is taken.)
///
/// Taking the earliest of the queue's front, the heap's top and the waiting arrival keeps the
/// order exactly as one heap would.
#[derive(Default)]
struct Agenda {
    heap: BinaryHeap<Entry>,
    /// Entries for one instant, the one of `at` when they were scheduled, in scheduling order.
    now: VecDeque<Entry>,
    /// A source's next arrival, when it is not at the current instant.
    arrival: Option<Entry>,
    /// The instant of the last entry taken.
    at: Option<Time>,
    seq: u64,
}

/// Where the agenda's next entry is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Lane {
    Now,
    Heap,
    Arrival,
}

impl Agenda {
    /// Whether an entry for `at` belongs at the back of the queue for the current instant.
    #[inline]
    fn is_now(&self, at: Time) -> bool {
        self.at == Some(at) && self.now.back().is_none_or(|last| last.at == at)
    }

    /// Inlined, with the heap's part out of line: half of an enquiry's intentions in case C1
    /// fall due at once, and those only go to the back of the queue.
    ///
    /// The entry is built in each branch rather than once before them, so that it can be
    /// written where it goes, not on the stack and then copied.
    #[inline]
    fn push(&mut self, at: Time, what: Pending) {
        self.seq += 1;
        let seq = self.seq;
        if self.is_now(at) {
            self.now.push_back(Entry { at, seq, what });
        } else {
            self.push_later(Entry { at, seq, what });
        }
    }

    /// Schedules source `source`'s next arrival.
    fn push_arrival(&mut self, at: Time, source: u32) {
        if self.is_now(at) || self.arrival.is_some() {
            self.push(at, Pending::Arrival(source));
        } else {
            self.seq += 1;
            let seq = self.seq;
            self.arrival = Some(Entry {
                at,
                seq,
                what: Pending::Arrival(source),
            });
        }
    }

    #[inline(never)]
    fn push_later(&mut self, entry: Entry) {
        self.heap.push(entry);
    }

    /// Where the earliest entry is. `Entry::cmp` is reversed: greater is earlier.
    #[inline]
    fn lane(&self) -> Option<Lane> {
        let rest = match (self.now.front(), self.heap.peek()) {
            (Some(queued), Some(top)) if queued > top => Some((Lane::Now, queued)),
            (Some(queued), None) => Some((Lane::Now, queued)),
            (_, Some(top)) => Some((Lane::Heap, top)),
            (None, None) => None,
        };
        match (&self.arrival, rest) {
            (Some(arrival), Some((lane, first))) => {
                Some(if arrival > first { Lane::Arrival } else { lane })
            }
            (Some(_), None) => Some(Lane::Arrival),
            (None, rest) => rest.map(|(lane, _)| lane),
        }
    }

    /// When the earliest entry is due, and where it is.
    #[inline]
    fn peek(&self) -> Option<(Time, Lane)> {
        let lane = self.lane()?;
        let entry = match lane {
            Lane::Now => self.now.front(),
            Lane::Heap => self.heap.peek(),
            Lane::Arrival => self.arrival.as_ref(),
        }?;
        Some((entry.at, lane))
    }

    /// Takes the earliest entry, which `peek` found in `lane`.
    #[inline]
    fn pop_from(&mut self, lane: Lane) -> Option<Entry> {
        let entry = match lane {
            Lane::Now => self.now.pop_front(),
            Lane::Heap => self.heap.pop(),
            Lane::Arrival => self.arrival.take(),
        }?;
        self.at = Some(entry.at);
        Some(entry)
    }

    #[cfg(test)]
    fn pop(&mut self) -> Option<Entry> {
        let (_, lane) = self.peek()?;
        self.pop_from(lane)
    }

    fn iter(&self) -> impl Iterator<Item = &Entry> {
        self.heap
            .iter()
            .chain(self.now.iter())
            .chain(self.arrival.iter())
    }
}

/// One enquiry while it is open.
#[derive(Clone, Debug)]
struct Enq {
    arrived: Time,
    rng: Rng,
    /// Bumped by every change of hands, so that a stale intention is dropped.
    gen: u32,
    measured: bool,
    first_offer: Option<Time>,
    answered: Option<Time>,
    waited: bool,
    queued: bool,
    holder: Option<u32>,
    abandoned: bool,
}

impl Enq {
    /// Hands the enquiry to `holder` (or to nobody) at `now`, keeping the agents' levels of
    /// held enquiries in step; levels count from `from`, the end of the warm-up.
    fn set_holder(&mut self, holder: Option<u32>, agents: &mut [AgentSim], now: Time, from: Time) {
        let old = std::mem::replace(&mut self.holder, holder);
        if old == holder {
            return;
        }
        if let Some(a) = old {
            let l = &mut agents[a as usize].held;
            l.set(l.value - 1, now, from);
        }
        if let Some(a) = holder {
            let l = &mut agents[a as usize].held;
            l.set(l.value + 1, now, from);
        }
    }

    /// Puts the enquiry in or takes it out of the queue at `now`, keeping the queue's level and
    /// its maximum in step.
    fn set_queued(&mut self, queued: bool, tally: &mut Tally, now: Time, from: Time) {
        if self.queued == queued {
            return;
        }
        self.queued = queued;
        let q = &mut tally.queue;
        let value = if queued { q.value + 1 } else { q.value - 1 };
        q.set(value, now, from);
        if now >= from {
            tally.queue_max = tally.queue_max.max(value);
        }
    }
}

/// Per-agent state and tallies.
#[derive(Clone, Debug)]
struct AgentSim {
    id: AgentId,
    rng: Rng,
    held: Level,
    on_shift: bool,
    offline: bool,
    /// Held offline by an administrator ([`Simulation::set_away`]) until set back.
    away: bool,
    offers: u64,
    assignments: u64,
    skips: u64,
    frt_sum: i64,
    frt_n: u64,
}

/// Where an arrival source stands.
#[derive(Clone, Debug)]
struct SourceState {
    line: LineId,
    /// The line's index in the router (a source on an unknown line sends the id, and the
    /// router refuses it).
    line_ix: Option<u32>,
    next_index: usize,
    /// For Poisson sources: the current 15-minute segment's end and rate per ms. A constant
    /// rate is one segment that never ends.
    segment_end: Time,
    rate: f64,
    times: Vec<Time>,
    rng: Rng,
}

/// What the figures are computed from.
#[derive(Clone, Debug, Default)]
struct Tally {
    counts: Counts,
    frt: Durations,
    waits_total: i64,
    waited_total: i64,
    within_target: u64,
    channels: BTreeMap<String, u64>,
    regions: BTreeMap<String, u64>,
    ratings: Ratings,
    rejected: Rejected,
    queue: Level,
    queue_max: u64,
    series: Vec<Point>,
    interval: Point,
}

/// A cheap view of a run in progress, for a page that animates it.
#[derive(Clone, Debug, Serialize)]
pub struct Snapshot {
    pub now: Time,
    /// Share of the run done, 0 to 1.
    pub progress: f64,
    /// Waiting enquiries, oldest first: id and arrival.
    pub queue: Vec<(DialogId, Time)>,
    pub agents: Vec<AgentState>,
    pub counts: Counts,
}

#[derive(Clone, Debug, Serialize)]
pub struct AgentState {
    pub id: AgentId,
    pub on_shift: bool,
    /// Offline: in a spell of the agent's own or held away.
    pub offline: bool,
    /// Held offline by [`Simulation::set_away`].
    pub away: bool,
    /// Enquiries the agent has taken and not finished.
    pub dialogs: Vec<DialogId>,
    pub assignments: u64,
}

/// A simulation in progress.
pub struct Simulation {
    plan: Plan,
    router: Router,
    now: Time,
    end: Time,
    agenda: Agenda,
    sources: Vec<SourceState>,
    arrived: u64,
    arrivals_done: bool,
    next_id: u64,
    enqs: IdTable<Enq>,
    agents: Vec<AgentSim>,
    /// Lookups only, never iterated.
    agent_ix: FxHashMap<AgentId, u32>,
    script: Vec<(Time, Event)>,
    time_tracking: bool,
    keepalive: Option<i64>,
    tally: Tally,
    log: Option<Vec<LogLine>>,
    finished: bool,
    /// The diagnostics short of errors that setting the run up found.
    warnings: Vec<Diagnostic>,
}

/// Why a simulation could not start.
#[derive(Clone, Debug, PartialEq)]
pub struct SimulationError {
    pub diagnostics: Vec<Diagnostic>,
}

impl std::fmt::Display for SimulationError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "the simulation cannot run:")?;
        for d in self.diagnostics.iter().filter(|d| d.is_error()) {
            writeln!(f, "  {d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for SimulationError {}

/// What a run is made of: a configuration and its start, the `simulation` part, and the
/// scripted events that happen during the run. A scenario document gives one
/// (`From<&Scenario>`, beside the document in `scenario.rs`), so that the simulator does not
/// depend on the document.
pub struct RunParts<'a> {
    pub config: &'a Config,
    pub start: Time,
    /// The document's `explanations`: off, the event log leaves decisions out.
    pub explanations: bool,
    pub simulation: Option<&'a SimulationSpec>,
    pub events: &'a [(Time, Event)],
}

impl Simulation {
    /// Sets up a run of a scenario with a `simulation` part. `seed` overrides the file's seed;
    /// `log` keeps the event log (with explanations, unless the scenario switches them off).
    pub fn new<'a>(
        parts: impl Into<RunParts<'a>>,
        seed: Option<u64>,
        log: bool,
    ) -> Result<Simulation, SimulationError> {
        Simulation::from_parts(&parts.into(), seed, log)
    }

    /// [`Simulation::new`], once for every kind of caller.
    fn from_parts(
        doc: &RunParts<'_>,
        seed: Option<u64>,
        log: bool,
    ) -> Result<Simulation, SimulationError> {
        let (setup, mut diagnostics) = resolve(doc.config);
        diagnostics.extend(validate_setup(&setup));
        let Some(spec) = doc.simulation else {
            diagnostics.push(Diagnostic::error(
                "simulation",
                "the scenario has no `simulation` part: add one with `arrivals` and a `duration`",
            ));
            return Err(SimulationError { diagnostics });
        };
        let (plan, more) = spec::resolve(spec, &setup, doc.start);
        diagnostics.extend(more);
        let mut plan = match plan {
            Some(p) if !has_errors(&diagnostics) => p,
            _ => return Err(SimulationError { diagnostics }),
        };
        if let Some(seed) = seed {
            plan.seed = seed;
        }
        let mut router = Router::from_setup(&setup, doc.start);
        router.set_explanations(log && doc.explanations);
        let presence_matters =
            !setup.portal.time_tracking && setup.lines.iter().any(|l| l.settings.check_available);
        let agents: Vec<AgentSim> = setup
            .agents
            .iter()
            .enumerate()
            .map(|(i, a)| AgentSim {
                id: AgentId::new(&a.id),
                rng: Rng::stream(plan.seed, AGENT, i as u64),
                held: Level {
                    since: doc.start,
                    ..Level::default()
                },
                on_shift: true,
                offline: false,
                away: false,
                offers: 0,
                assignments: 0,
                skips: 0,
                frt_sum: 0,
                frt_n: 0,
            })
            .collect();
        let agent_ix = agents
            .iter()
            .enumerate()
            .map(|(i, a)| (a.id.clone(), i as u32))
            .collect();
        let first_free_id = doc
            .events
            .iter()
            .filter_map(|(_, e)| match e {
                Event::Arrived { dialog, .. } => Some(dialog.0),
                _ => None,
            })
            .max()
            .unwrap_or(0)
            + 1;
        let mut sim = Simulation {
            now: doc.start,
            end: plan.end,
            router,
            agenda: Agenda::default(),
            sources: Vec::new(),
            arrived: 0,
            arrivals_done: false,
            next_id: first_free_id,
            enqs: IdTable::default(),
            agents,
            agent_ix,
            script: doc.events.to_vec(),
            time_tracking: setup.portal.time_tracking,
            keepalive: presence_matters.then_some((setup.portal.online_window / 2).max(MINUTE)),
            tally: Tally {
                queue: Level {
                    since: doc.start,
                    ..Level::default()
                },
                interval: Point {
                    at: doc.start,
                    arrivals: 0,
                    answered: 0,
                    abandoned: 0,
                    queue: 0,
                    busy_agents: 0,
                },
                ..Tally::default()
            },
            log: log.then(Vec::new),
            finished: false,
            warnings: diagnostics,
            plan,
        };
        sim.begin();
        Ok(sim)
    }

    /// Schedules the first of everything.
    fn begin(&mut self) {
        let start = self.now;
        for i in 0..self.script.len() {
            let at = self.script[i].0;
            self.agenda.push(at, Pending::Script(i as u32));
        }
        for (i, a) in self.plan.arrivals.iter().enumerate() {
            let mut rng = Rng::stream(self.plan.seed, ARRIVALS, i as u64);
            let times = match &a.source {
                Source::Times(t) => t.clone(),
                Source::Burst { at, count, over } => {
                    let mut t: Vec<Time> = (0..*count)
                        .map(|_| at.plus(rng.below((*over).max(1) as u64) as i64))
                        .collect();
                    t.sort_unstable();
                    t
                }
                Source::Poisson { .. } => Vec::new(),
            };
            let (segment_end, rate) = match &a.source {
                Source::Poisson { hourly, .. } if hourly.iter().all(|&r| r == hourly[0]) => {
                    (Time(i64::MAX), hourly[0] / HOUR as f64)
                }
                _ => (start, 0.0),
            };
            let line = LineId::new(&a.line);
            self.sources.push(SourceState {
                line_ix: self.router.line_index(&line),
                line,
                next_index: 0,
                segment_end,
                rate,
                times,
                rng,
            });
        }
        for i in 0..self.sources.len() {
            if let Some(t) = self.next_arrival(i, start) {
                self.agenda.push_arrival(t, i as u32);
            }
        }
        for agent in 0..self.agents.len() as u32 {
            let behaviour = self.plan.agents[agent as usize].clone();
            if let Some(shift) = &behaviour.shift {
                let local = shift.zone.local(start).unwrap_or_default();
                let minute = (local.hour() * 60 + local.minute()) as u16;
                let weekday = local.weekday().num_days_from_monday() as usize;
                let on = shift.days[weekday] && shift.start <= minute && minute < shift.end;
                let state = if on { Workday::Opened } else { Workday::Closed };
                self.agenda.push(start, Pending::Shift { agent, state });
                self.agenda.push(
                    start,
                    Pending::ShiftDay {
                        agent,
                        date: local.date(),
                    },
                );
            }
            if let Some((every, _)) = &behaviour.offline {
                let at = every.after(start, &mut self.agents[agent as usize].rng);
                self.agenda.push(at, Pending::OfflineStarts { agent });
            }
            if self.keepalive.is_some() {
                self.agenda.push(start, Pending::Keepalive { agent });
            }
        }
        self.agenda
            .push(start.plus(self.plan.interval), Pending::Sample);
    }
}

/// Length of the segments a Poisson rate is held constant over: every zone's offset is a
/// multiple of 15 minutes, so each segment lies within one local hour.
const SEGMENT: i64 = 15 * MINUTE;

impl Simulation {
    /// The next arrival of source `i` after `after`, or none when the source is spent.
    fn next_arrival(&mut self, i: usize, after: Time) -> Option<Time> {
        let end = self.end;
        let plan_source = &self.plan.arrivals[i].source;
        let st = &mut self.sources[i];
        match plan_source {
            Source::Times(_) | Source::Burst { .. } => {
                let t = st.times.get(st.next_index).copied();
                st.next_index += 1;
                t.filter(|&t| t < end)
            }
            Source::Poisson { hourly, zone } => {
                let mut t = after;
                loop {
                    if t >= end {
                        return None;
                    }
                    if t >= st.segment_end {
                        let local = zone.local(t).unwrap_or_default();
                        let hour = local.weekday().num_days_from_monday() as usize * 24
                            + local.hour() as usize;
                        st.rate = hourly[hour] / HOUR as f64;
                        st.segment_end = Time(t.0 - t.0.rem_euclid(SEGMENT) + SEGMENT);
                    }
                    if st.rate > 0.0 {
                        // A gap longer than `whole_ms` gives is past the segment either way.
                        let next = t.plus(random::whole_ms(st.rng.exponential(1.0 / st.rate)));
                        if next < st.segment_end {
                            return (next < end).then_some(next);
                        }
                    }
                    // Nothing in this segment: by memorylessness, start afresh at its end.
                    t = st.segment_end;
                }
            }
        }
    }

    /// Runs until the simulated clock reaches `to` (or the run ends).
    pub fn step_until(&mut self, to: Time) {
        let to = to.min(self.end);
        while !self.finished {
            let Some((next, mine)) = self.upcoming() else {
                break;
            };
            if next > to {
                break;
            }
            match mine {
                None => {
                    self.router.advance_records(next);
                    self.now = next;
                    self.react();
                }
                Some(lane) => {
                    if let Some(entry) = self.agenda.pop_from(lane) {
                        self.now = entry.at;
                        self.perform(entry.what);
                    }
                }
            }
            if self.arrivals_done && self.enqs.is_empty() {
                self.finished = true;
            }
        }
        if to > self.now && !self.finished {
            self.router.advance_records(to);
            self.now = to;
            self.react();
        }
        if self.now >= self.end {
            self.finished = true;
        }
    }

    /// Runs to the end and reports.
    ///
    /// The run goes in slices of a simulated hour, each a call of its own. Stepping changes
    /// nothing in a run (a test holds it to that); it is for wasm engines such as V8, which
    /// compile a function again, optimized, once it is hot, but let a call already running go
    /// on in the code it started with: a single call for the whole run would stay in the
    /// baseline code from start to end.
    pub fn run(mut self) -> Report {
        while !self.finished {
            let to = self.now.plus(HOUR).min(self.end);
            self.step_until(to);
        }
        self.report()
    }

    /// What the configuration and the simulation have that is doubtful but not wrong (a line
    /// with an empty queue, a setting that does nothing), as `validate` reports it: the run
    /// goes ahead, and a caller shows these beside its figures.
    #[must_use]
    pub fn warnings(&self) -> &[Diagnostic] {
        &self.warnings
    }

    /// True when the run is over.
    #[must_use]
    pub fn finished(&self) -> bool {
        self.finished
    }

    /// The simulated clock.
    #[must_use]
    pub fn now(&self) -> Time {
        self.now
    }

    /// The latest instant the run can reach.
    #[must_use]
    pub fn end(&self) -> Time {
        self.end
    }

    /// The share of the run done, by time or by the number of enquiries, whichever is further.
    #[must_use]
    pub fn progress(&self) -> f64 {
        if self.finished {
            return 1.0;
        }
        let by_time = ratio(
            self.now.since(self.plan.start).max(0) as u64,
            self.end.since(self.plan.start).max(1) as u64,
        );
        let by_count = self.plan.enquiries.map_or(0.0, |n| ratio(self.arrived, n));
        by_time.max(by_count).min(1.0)
    }

    /// Applies an event from outside the simulated people (an administrator pauses an agent or
    /// switches the mode while the run goes on) at the current simulated instant, and lets the
    /// people react to what the router does. Returns the router's actions.
    pub fn inject(&mut self, event: Event) -> Vec<Action> {
        let mut done = Vec::new();
        self.deliver(Input::Event(event), Some(&mut done));
        done
    }

    /// Holds an agent away from work, or lets them come back, as an administrator would ask in
    /// the live view. With time management the agent's workday is paused (and a shift that
    /// starts meanwhile starts paused); without it the messenger marks them idle and they
    /// show no activity. An agent let back works at once if on shift and not offline on their
    /// own. Returns the router's actions; none for an unknown agent.
    pub fn set_away(&mut self, agent: &AgentId, away: bool) -> Vec<Action> {
        let Some(ix) = self.agent_of(agent) else {
            return Vec::new();
        };
        let a = &mut self.agents[ix as usize];
        a.away = away;
        let agent = agent.clone();
        let event = match (self.time_tracking, away) {
            (true, _) if !a.on_shift => return Vec::new(),
            (true, true) => Event::Workday {
                agent,
                state: Workday::Paused,
            },
            (true, false) => Event::Workday {
                agent,
                state: Workday::Opened,
            },
            (false, true) => Event::Idle { agent },
            (false, false) if a.on_shift && !a.offline => Event::Activity { agent },
            (false, false) => return Vec::new(),
        };
        self.inject(event)
    }

    /// When the next thing happens (a person acts or a router timer fires), if anything will;
    /// possibly earlier, at an instant where a router timer was set and then cleared (see
    /// [`Router::next_deadline`]).
    #[must_use]
    pub fn next_at(&self) -> Option<Time> {
        if self.finished {
            return None;
        }
        self.upcoming().map(|(t, _)| t.min(self.end))
    }

    /// The earliest of the people's next intention and the router's next timer, and where the
    /// intention is in the agenda (none for the router's timer): the router goes first on
    /// ties. Each side is asked once, and the agenda's answer is not asked again to take it.
    #[inline]
    fn upcoming(&self) -> Option<(Time, Option<Lane>)> {
        let mine = self.agenda.peek();
        match (mine, self.router.next_deadline()) {
            (Some((m, _)), Some(r)) if r <= m => Some((r, None)),
            (Some((m, lane)), _) => Some((m, Some(lane))),
            (None, Some(r)) => Some((r, None)),
            (None, None) => None,
        }
    }

    /// The router the simulation drives, for read-only views of dialogs, agents and lines.
    #[must_use]
    pub fn router(&self) -> &Router {
        &self.router
    }

    /// The event log since the last call (empty unless the simulation keeps one).
    pub fn take_log(&mut self) -> Vec<LogLine> {
        self.log.as_mut().map(std::mem::take).unwrap_or_default()
    }

    fn send(&mut self, event: Event) {
        self.deliver(Input::Event(event), None);
    }

    /// Hands an input to the router now and reacts to what it did; `copy` gets the actions.
    fn deliver(&mut self, input: Input, copy: Option<&mut Vec<Action>>) {
        if self.log.is_some() {
            self.log_input(&input);
        }
        self.router.handle_input(input, self.now);
        if let Some(copy) = copy {
            self.copy_actions(copy);
        }
        self.react();
    }

    /// Writes an input into the event log; out of line, as `log_records`.
    #[inline(never)]
    fn log_input(&mut self, input: &Input) {
        if let Some(log) = &mut self.log {
            log.push(LogLine::In {
                at: self.now,
                event: self.router.event_of(input),
            });
        }
    }

    /// Appends what the router did as public actions, for a caller outside the simulated
    /// people (`inject`, `set_away`); out of line, as they seldom call.
    #[inline(never)]
    fn copy_actions(&self, copy: &mut Vec<Action>) {
        let router = &self.router;
        copy.extend(router.records().iter().map(|r| router.action(r.clone())));
    }

    fn perform(&mut self, what: Pending) {
        match what {
            Pending::Arrival(i) => self.arrive(i as usize),
            Pending::Decide { dialog, agent, gen } => {
                let Some(e) = self.enqs.get_mut(dialog) else {
                    return;
                };
                if e.gen != gen {
                    return;
                }
                let skip = self.plan.agents[agent as usize].skip;
                let dialog = DialogId(dialog);
                let input = if e.rng.chance(skip) {
                    self.agents[agent as usize].skips += 1;
                    Input::Skipped { dialog, agent }
                } else {
                    Input::Accepted { dialog, agent }
                };
                self.deliver(input, None);
            }
            Pending::Take { dialog, agent, gen } => {
                if self.enqs.get(dialog).is_some_and(|e| e.gen == gen) {
                    let dialog = DialogId(dialog);
                    self.deliver(Input::Accepted { dialog, agent }, None);
                }
            }
            Pending::Reply { dialog, agent, gen } => {
                if self.enqs.get(dialog).is_none_or(|e| e.gen != gen) {
                    return;
                }
                let input = Input::Replied {
                    dialog: DialogId(dialog),
                    agent,
                };
                self.deliver(input, None);
                self.replied(dialog, agent);
            }
            Pending::Finish { dialog, gen } => {
                if self.enqs.get(dialog).is_some_and(|e| e.gen == gen) {
                    let dialog = DialogId(dialog);
                    self.deliver(Input::Closed { dialog }, None);
                }
            }
            other => self.perform_other(other),
        }
    }

    /// What people do less often than once an enquiry, out of line so that the loop over
    /// the agenda stays short.
    #[inline(never)]
    fn perform_other(&mut self, what: Pending) {
        match what {
            Pending::Arrival(_)
            | Pending::Decide { .. }
            | Pending::Take { .. }
            | Pending::Reply { .. }
            | Pending::Finish { .. } => self.perform(what),
            Pending::ClientWrites { dialog, gen } => {
                let Some(e) = self.enqs.get(dialog) else {
                    return;
                };
                if e.gen != gen {
                    return;
                }
                let holder = e.holder;
                self.send(Event::ClientMessage {
                    dialog: DialogId(dialog),
                });
                // The agent answers the follow-up, if the dialog is still theirs.
                if let (Some(agent), Some(e)) = (holder, self.enqs.get_mut(dialog)) {
                    if e.gen == gen {
                        let at = self.plan.agents[agent as usize]
                            .first_reply
                            .after(self.now, &mut e.rng);
                        self.agenda.push(at, Pending::Reply { dialog, agent, gen });
                    }
                }
            }
            Pending::Abandon { dialog } => {
                if self.enqs.get(dialog).is_some_and(|e| e.answered.is_none()) {
                    if let Some(e) = self.enqs.get_mut(dialog) {
                        e.abandoned = true;
                    }
                    self.send(Event::ClientLeft {
                        dialog: DialogId(dialog),
                    });
                }
            }
            Pending::Script(i) => {
                let event = self.script[i as usize].1.clone();
                self.send(event);
            }
            Pending::ShiftDay { agent, date } => self.plan_shift_day(agent, date),
            Pending::Shift { agent, state } => {
                let a = &mut self.agents[agent as usize];
                let on = state == Workday::Opened;
                if a.on_shift == on && self.now > self.plan.start {
                    return;
                }
                a.on_shift = on;
                let id = a.id.clone();
                if self.time_tracking {
                    // An agent held away starts the day with the workday paused.
                    let state = if a.away && on { Workday::Paused } else { state };
                    self.send(Event::Workday { agent: id, state });
                } else {
                    self.send(Event::LinePause {
                        agent: id.clone(),
                        paused: !on,
                    });
                    let a = &self.agents[agent as usize];
                    if on && self.keepalive.is_some() && !a.offline && !a.away {
                        self.send(Event::Activity { agent: id });
                    }
                }
            }
            Pending::OfflineStarts { agent } => self.go_offline(agent, true),
            Pending::OfflineEnds { agent } => self.go_offline(agent, false),
            Pending::Keepalive { agent } => {
                let a = &self.agents[agent as usize];
                if a.on_shift && !a.offline && !a.away {
                    let id = a.id.clone();
                    self.send(Event::Activity { agent: id });
                }
                if let Some(every) = self.keepalive {
                    self.agenda
                        .push(self.now.plus(every), Pending::Keepalive { agent });
                }
            }
            Pending::Sample => {
                let busy = self.agents.iter().filter(|a| a.held.value > 0).count() as u64;
                let point = &mut self.tally.interval;
                point.at = self.now;
                point.queue = self.tally.queue.value;
                point.busy_agents = busy;
                self.tally.series.push(point.clone());
                *point = Point {
                    at: self.now,
                    arrivals: 0,
                    answered: 0,
                    abandoned: 0,
                    queue: 0,
                    busy_agents: 0,
                };
                let next = self.now.plus(self.plan.interval);
                if next <= self.end {
                    self.agenda.push(next, Pending::Sample);
                }
            }
        }
    }

    /// Starts or ends an offline spell, and schedules the next change.
    fn go_offline(&mut self, agent: u32, offline: bool) {
        let a = &mut self.agents[agent as usize];
        a.offline = offline;
        let id = a.id.clone();
        if let Some((every, length)) = &self.plan.agents[agent as usize].offline {
            let (wait, next) = if offline {
                (length, Pending::OfflineEnds { agent })
            } else {
                (every, Pending::OfflineStarts { agent })
            };
            let at = wait.after(self.now, &mut a.rng);
            self.agenda.push(at, next);
        }
        if offline {
            self.send(Event::Idle { agent: id });
        } else if !a.away {
            self.send(Event::Activity { agent: id });
        }
    }

    /// Plans one local day of an agent's shift and the next day's planning.
    fn plan_shift_day(&mut self, agent: u32, date: NaiveDate) {
        let Some(shift) = self.plan.agents[agent as usize].shift.clone() else {
            return;
        };
        let at_local = |minute: i64| -> Option<Time> {
            let naive = date.and_hms_opt(0, 0, 0)? + Duration::minutes(minute);
            shift.zone.instant(naive)
        };
        let weekday = date.weekday().num_days_from_monday() as usize;
        if shift.days[weekday] {
            let late = match &shift.lateness {
                Some(d) => d.sample(&mut self.agents[agent as usize].rng),
                None => 0,
            };
            let mut changes = Vec::new();
            if let Some(t) = at_local(i64::from(shift.start)) {
                changes.push((t.plus(late), Workday::Opened));
            }
            for &(start, length) in &shift.breaks {
                if let Some(t) = at_local(i64::from(start)) {
                    changes.push((t, Workday::Paused));
                    changes.push((t.plus(length), Workday::Opened));
                }
            }
            if let Some(t) = at_local(i64::from(shift.end)) {
                changes.push((t, Workday::Closed));
            }
            for (t, state) in changes {
                if t > self.now && t < self.end {
                    self.agenda.push(t, Pending::Shift { agent, state });
                }
            }
        }
        if let Some(next) = date.succ_opt() {
            if let Some(t) = at_local(24 * 60) {
                if t < self.end {
                    self.agenda
                        .push(t.max(self.now), Pending::ShiftDay { agent, date: next });
                }
            }
        }
    }

    fn arrive(&mut self, source: usize) {
        if self.arrivals_done {
            return;
        }
        let id = self.next_id;
        self.next_id += 1;
        self.arrived += 1;
        let mut rng = Rng::stream(self.plan.seed, ENQUIRY, id);
        let measured = self.now >= self.plan.warm_until;
        let client = if self.plan.known_client > 0.0 && rng.chance(self.plan.known_client) {
            let n = self.plan.crm_clients.len() as u64;
            Some(ClientId::new(&self.plan.crm_clients[rng.below(n) as usize]))
        } else {
            None
        };
        if !(self.plan.channels.is_empty() && self.plan.regions.is_empty()) {
            self.draw_attributes(&mut rng, measured);
        }
        if measured {
            self.tally.counts.offered += 1;
            self.tally.interval.arrivals += 1;
        }
        if let Some(patience) = &self.plan.patience {
            let at = patience.after(self.now, &mut rng);
            self.agenda.push(at, Pending::Abandon { dialog: id });
        }
        self.enqs.insert(
            id,
            Enq {
                arrived: self.now,
                rng,
                gen: 0,
                measured,
                first_offer: None,
                answered: None,
                waited: false,
                queued: false,
                holder: None,
                abandoned: false,
            },
        );
        let dialog = DialogId(id);
        let input = match self.sources[source].line_ix {
            Some(line) => Input::Arrived {
                dialog,
                line,
                client,
            },
            None => Input::Event(Event::Arrived {
                dialog,
                line: self.sources[source].line.clone(),
                client,
            }),
        };
        self.deliver(input, None);
        if self.plan.enquiries.is_some_and(|n| self.arrived >= n) {
            self.arrivals_done = true;
            self.end = self.end.min(self.now.plus(spec::DRAIN));
        } else if let Some(t) = self.next_arrival(source, self.now) {
            self.agenda.push_arrival(t, source as u32);
        } else if self.sources_spent() {
            self.arrivals_done = true;
        }
    }

    /// Draws an arriving enquiry's channel and region, and counts them once measured. Out of
    /// line: many scenarios give neither.
    #[inline(never)]
    fn draw_attributes(&mut self, rng: &mut Rng, measured: bool) {
        let channel = pick_weighted(&self.plan.channels, rng);
        let region = pick_weighted(&self.plan.regions, rng);
        if measured {
            if let Some(c) = channel {
                *self.tally.channels.entry(c).or_default() += 1;
            }
            if let Some(r) = region {
                *self.tally.regions.entry(r).or_default() += 1;
            }
        }
    }

    fn sources_spent(&self) -> bool {
        !self
            .agenda
            .iter()
            .any(|e| matches!(e.what, Pending::Arrival(_)))
    }

    fn agent_of(&self, id: &AgentId) -> Option<u32> {
        self.agent_ix.get(id).copied()
    }

    /// The agent replied on an enquiry: the first reply answers it and starts the handling.
    fn replied(&mut self, dialog: u64, agent: u32) {
        let now = self.now;
        let Some(e) = self.enqs.get_mut(dialog) else {
            return;
        };
        let gen = e.gen;
        let behaviour = &self.plan.agents[agent as usize];
        if e.answered.is_none() {
            e.answered = Some(now);
            let frt = now.since(e.arrived);
            if e.measured {
                let t = &mut self.tally;
                t.counts.answered += 1;
                t.interval.answered += 1;
                t.frt.push(frt);
                if frt <= self.plan.target {
                    t.within_target += 1;
                }
                let a = &mut self.agents[agent as usize];
                a.frt_sum += frt;
                a.frt_n += 1;
                if let Some((share, tolerance)) = self.plan.rating {
                    if e.rng.chance(share) {
                        t.ratings.rated += 1;
                        let like = libm::exp(-(frt as f64) / tolerance as f64);
                        if e.rng.chance(like) {
                            t.ratings.positive += 1;
                        }
                    }
                }
            }
            let at = behaviour.handling.after(now, &mut e.rng);
            self.agenda.push(at, Pending::Finish { dialog, gen });
        }
        if let Some((p, after)) = &self.plan.follow_ups {
            if e.rng.chance(*p) {
                let at = after.after(now, &mut e.rng);
                self.agenda.push(at, Pending::ClientWrites { dialog, gen });
            }
        }
    }

    /// Reacts to what the router did: people act on offers; the tallies follow each enquiry.
    /// The router's buffer of records goes back to it emptied.
    ///
    /// Always inlined (LLVM declines a plain hint): it is a short loop around `note`, and each
    /// of an enquiry's four events otherwise paid for one more call and its saved registers.
    #[inline(always)]
    fn react(&mut self) {
        let mut records = self.router.take_records();
        for record in &records {
            self.note(record);
        }
        if self.log.is_some() {
            self.log_records(&mut records);
        }
        self.router.return_records(records);
    }

    /// Writes records into the event log as public actions; out of line, since most runs keep
    /// no log.
    #[inline(never)]
    fn log_records(&mut self, records: &mut Vec<Out>) {
        if let Some(log) = &mut self.log {
            let router = &self.router;
            log.extend(records.drain(..).map(|r| LogLine::Out(router.action(r))));
        }
    }

    /// Follows one record. Each enquiry is looked up once; the record of an enquiry the
    /// simulation no longer has changes nothing.
    fn note(&mut self, record: &Out) {
        let (now, from) = (self.now, self.plan.warm_until);
        match &record.kind {
            OutKind::Offered {
                dialog, to, cause, ..
            } => {
                let d = dialog.0;
                let Some(e) = self.enqs.get_mut(d) else {
                    return;
                };
                e.set_holder(None, &mut self.agents, now, from);
                e.set_queued(false, &mut self.tally, now, from);
                e.gen += 1;
                let gen = e.gen;
                if e.first_offer.is_none() {
                    e.first_offer = Some(now);
                    if e.measured {
                        self.tally.waits_total += now.since(e.arrived);
                        if e.waited {
                            self.tally.waited_total += now.since(e.arrived);
                        }
                    }
                }
                let measured = e.measured;
                if measured && cause.is_forward() {
                    self.tally.counts.forwarded += 1;
                }
                for &a in to.agents() {
                    self.agents[a as usize].offers += u64::from(measured);
                    let at = self.plan.agents[a as usize].take.after(now, &mut e.rng);
                    self.agenda.push(
                        at,
                        Pending::Decide {
                            dialog: d,
                            agent: a,
                            gen,
                        },
                    );
                }
            }
            OutKind::Undistributed { dialog, .. }
            | OutKind::Retried { dialog, .. }
            | OutKind::Requeued { dialog, .. } => {
                if let Some(e) = self.enqs.get_mut(dialog.0) {
                    e.set_holder(None, &mut self.agents, now, from);
                    e.set_queued(true, &mut self.tally, now, from);
                    e.gen += 1;
                    if e.first_offer.is_none() && !e.waited {
                        e.waited = true;
                        if e.measured {
                            self.tally.counts.undistributed += 1;
                        }
                    }
                }
            }
            OutKind::Accepted { dialog, agent, .. } => {
                let (d, a) = (dialog.0, *agent);
                let Some(e) = self.enqs.get_mut(d) else {
                    return;
                };
                e.set_holder(Some(a), &mut self.agents, now, from);
                self.agents[a as usize].assignments += u64::from(e.measured);
                e.gen += 1;
                let gen = e.gen;
                let behaviour = &self.plan.agents[a as usize];
                if e.answered.is_none() {
                    let at = behaviour.first_reply.after(now, &mut e.rng);
                    self.agenda.push(
                        at,
                        Pending::Reply {
                            dialog: d,
                            agent: a,
                            gen,
                        },
                    );
                } else {
                    let at = behaviour.handling.after(now, &mut e.rng);
                    self.agenda.push(at, Pending::Finish { dialog: d, gen });
                }
            }
            OutKind::SkipRefused { dialog, agent, .. } => {
                if let Some(e) = self.enqs.get(dialog.0) {
                    let gen = e.gen;
                    self.agenda.push(
                        now,
                        Pending::Take {
                            dialog: dialog.0,
                            agent: *agent,
                            gen,
                        },
                    );
                }
            }
            OutKind::NoAnswer { dialog, .. } => {
                if self.enqs.get(dialog.0).is_some_and(|e| e.measured) {
                    self.tally.counts.unanswered_marked += 1;
                }
            }
            OutKind::OffHours { dialog, .. } => {
                if self.enqs.get(dialog.0).is_some_and(|e| e.measured) {
                    self.tally.counts.off_hours += 1;
                }
            }
            OutKind::Closing { dialog, .. } => {
                if let Some(e) = self.enqs.get_mut(dialog.0) {
                    e.set_holder(None, &mut self.agents, now, from);
                    e.gen += 1;
                }
            }
            OutKind::Closed { dialog, .. } => self.closed(dialog.0),
            OutKind::Rejected { event, reason } => self.note_rejection(event, reason),
            OutKind::Welcomed { .. } => {}
        }
    }

    /// Counts a refused event, and quotes the first few. Out of line: a simulation's own
    /// events are not refused, and the formatting would otherwise weigh on every record.
    #[cold]
    #[inline(never)]
    fn note_rejection(&mut self, event: &str, reason: &str) {
        let now = self.now;
        let r = &mut self.tally.rejected;
        r.count += 1;
        if r.first.len() < QUOTED_REJECTIONS {
            r.first.push(format!("{now}: {event}: {reason}"));
        }
    }

    /// An enquiry is over: count it and let the router forget it.
    fn closed(&mut self, dialog: u64) {
        let (now, from) = (self.now, self.plan.warm_until);
        if let Some(mut e) = self.enqs.remove(dialog) {
            e.set_holder(None, &mut self.agents, now, from);
            e.set_queued(false, &mut self.tally, now, from);
            if e.measured {
                let t = &mut self.tally;
                t.counts.closed += 1;
                if e.abandoned {
                    t.counts.abandoned += 1;
                    t.interval.abandoned += 1;
                }
                if e.first_offer.is_none() {
                    // Left while waiting: the whole stay was in the queue.
                    t.waits_total += now.since(e.arrived);
                    if e.waited {
                        t.waited_total += now.since(e.arrived);
                    }
                }
            }
        }
        self.router.forget(DialogId(dialog));
    }

    /// The figures so far (the whole run once it has finished).
    #[must_use]
    pub fn report(&self) -> Report {
        let t = &self.tally;
        let now = self.now;
        let from = self.plan.warm_until;
        let mut counts = t.counts.clone();
        let mut waits_total = t.waits_total;
        let mut waited_total = t.waited_total;
        for e in self.enqs.values().filter(|e| e.measured) {
            counts.open_at_end += 1;
            if e.first_offer.is_none() {
                waits_total += now.since(e.arrived);
                if e.waited {
                    waited_total += now.since(e.arrived);
                }
            }
        }
        let frt = t.frt.sorted();
        let span = now.since(from).max(0);
        let agents: Vec<AgentReport> = self
            .agents
            .iter()
            .map(|a| {
                let mut held = a.held;
                held.set(held.value, now, from);
                AgentReport {
                    id: a.id.clone(),
                    offers: a.offers,
                    assignments: a.assignments,
                    skips: a.skips,
                    busy_share: ratio(held.busy as u64, span as u64),
                    occupancy: if span > 0 {
                        held.area as f64 / span as f64
                    } else {
                        0.0
                    },
                    first_response_mean_s: if a.frt_n > 0 {
                        secs(a.frt_sum as f64 / a.frt_n as f64)
                    } else {
                        0.0
                    },
                }
            })
            .collect();
        let assignments: Vec<u64> = agents.iter().map(|a| a.assignments).collect();
        let (max, min) = (
            assignments.iter().copied().max().unwrap_or(0),
            assignments.iter().copied().min().unwrap_or(0),
        );
        let mut queue = t.queue;
        queue.set(queue.value, now, from);
        let answered = frt.len();
        Report {
            seed: self.plan.seed,
            start: self.plan.start,
            measured_from: from,
            end: now,
            first_response: Spread {
                count: answered,
                mean_s: if answered > 0 {
                    secs(frt.sum() as f64 / answered as f64)
                } else {
                    0.0
                },
                p50_s: secs(frt.percentile(50) as f64),
                p90_s: secs(frt.percentile(90) as f64),
                p99_s: secs(frt.percentile(99) as f64),
                max_s: secs(frt.max() as f64),
                target_s: secs(self.plan.target as f64),
                within_target: ratio(t.within_target, answered),
                within_target_of_all: ratio(t.within_target, counts.offered),
                histogram: frt.histogram(),
            },
            waiting: Waiting {
                probability: ratio(counts.undistributed, counts.offered),
                mean_s: if counts.offered > 0 {
                    secs(waits_total as f64 / counts.offered as f64)
                } else {
                    0.0
                },
                mean_of_waiting_s: if counts.undistributed > 0 {
                    secs(waited_total as f64 / counts.undistributed as f64)
                } else {
                    0.0
                },
                abandon_rate: ratio(counts.abandoned, counts.offered),
            },
            occupancy: if agents.is_empty() {
                0.0
            } else {
                agents.iter().map(|a| a.occupancy).sum::<f64>() / agents.len() as f64
            },
            fairness: Fairness {
                jain: jain(&assignments),
                max,
                min,
                max_over_min: (min > 0).then(|| max as f64 / min as f64),
            },
            agents,
            queue: QueueFigures {
                max: t.queue_max,
                mean: if span > 0 {
                    queue.area as f64 / span as f64
                } else {
                    0.0
                },
            },
            channels: t.channels.clone(),
            regions: t.regions.clone(),
            ratings: Ratings {
                positive_share: ratio(t.ratings.positive, t.ratings.rated),
                ..t.ratings.clone()
            },
            series: t.series.clone(),
            rejected: t.rejected.clone(),
            enquiries: counts,
        }
    }

    /// The current state, cheaply: the queue, each agent with their dialogs, the counters.
    #[must_use]
    pub fn snapshot(&self) -> Snapshot {
        let mut dialogs: Vec<Vec<DialogId>> = vec![Vec::new(); self.agents.len()];
        let mut queue = Vec::new();
        for (id, e) in self.enqs.iter() {
            if let Some(h) = e.holder {
                dialogs[h as usize].push(DialogId(id));
            }
            if e.queued {
                queue.push((DialogId(id), e.arrived));
            }
        }
        // Dialog ids are unique, so an unstable sort gives the one order.
        queue.sort_unstable_by_key(|&(id, at)| (at, id));
        Snapshot {
            now: self.now,
            progress: self.progress(),
            queue,
            agents: self
                .agents
                .iter()
                .zip(dialogs)
                .map(|(a, dialogs)| AgentState {
                    id: a.id.clone(),
                    on_shift: a.on_shift,
                    offline: a.offline || a.away,
                    away: a.away,
                    dialogs,
                    assignments: a.assignments,
                })
                .collect(),
            counts: self.tally.counts.clone(),
        }
    }
}

fn pick_weighted(weights: &[(String, f64)], rng: &mut Rng) -> Option<String> {
    if weights.is_empty() {
        return None;
    }
    let total: f64 = weights.iter().map(|(_, w)| w).sum();
    let mut x = rng.unit() * total;
    for (name, w) in weights {
        if x < *w {
            return Some(name.clone());
        }
        x -= w;
    }
    weights.last().map(|(n, _)| n.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Pushes at random instants around the clock (often the very instant it is at, now and
    /// then one already past) and pops in between: entries come out exactly as from one heap,
    /// whether they went through the heap or the queue for the current instant.
    #[test]
    fn the_agenda_keeps_time_and_scheduling_order() {
        let mut rng = Rng::new(7);
        for _ in 0..200 {
            let mut agenda = Agenda::default();
            let mut one_heap = BinaryHeap::new();
            let mut clock = Time(0);
            let mut through_now = 0;
            let mut beside = 0;
            for _ in 0..300 {
                if rng.chance(0.4) {
                    let taken = agenda.pop().map(|e| (e.at, e.seq));
                    assert_eq!(taken, one_heap.pop().map(|e: Entry| (e.at, e.seq)));
                    if let Some((at, _)) = taken {
                        clock = at;
                    }
                } else {
                    let at = match rng.below(10) {
                        0 => clock.plus(-1),
                        1..=5 => clock,
                        _ => clock.plus(rng.below(5) as i64),
                    };
                    through_now += usize::from(agenda.at == Some(at));
                    if rng.chance(0.25) {
                        agenda.push_arrival(at, 0);
                    } else {
                        agenda.push(at, Pending::Sample);
                    }
                    let seq = agenda.seq;
                    beside += usize::from(agenda.arrival.as_ref().is_some_and(|e| e.seq == seq));
                    one_heap.push(Entry {
                        at,
                        seq,
                        what: Pending::Sample,
                    });
                }
            }
            while let Some(entry) = one_heap.pop() {
                let taken = agenda.pop().map(|e| (e.at, e.seq));
                assert_eq!(taken, Some((entry.at, entry.seq)));
            }
            assert!(agenda.pop().is_none());
            assert!(through_now > 0);
            assert!(beside > 0);
        }
    }

    #[test]
    fn entries_order_by_time_then_sequence_reversed() {
        let times = [i64::MIN, -1, 0, 1, i64::MAX];
        let seqs = [0, 1, u64::MAX];
        let entry = |at: i64, seq: u64| Entry {
            at: Time(at),
            seq,
            what: Pending::Sample,
        };
        for &a in &times {
            for &s in &seqs {
                for &b in &times {
                    for &t in &seqs {
                        let expected = (b, t).cmp(&(a, s));
                        assert_eq!(entry(a, s).cmp(&entry(b, t)), expected, "{a} {s} {b} {t}");
                    }
                }
            }
        }
    }
}
