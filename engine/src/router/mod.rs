//! The router: Open Channels distribution as a pure state machine. Events come in with the
//! instant they happen; timers fire in `(time, sequence)` order as time advances; every change
//! comes out as an [`Action`], and every assignment carries its [`Decision`](crate::Decision).
//!
//! The flows follow `Bitrix\ImOpenLines\Queue` and its mode classes; the comments name the
//! piece of Bitrix24 each one reproduces.

mod agenda;
mod flows;
mod ordered;
mod output;
mod pick;
mod state;
mod view;

use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, BTreeSet};

use rustc_hash::FxHashMap;

use agenda::{Agenda, Cursor, Timer};
use flows::Park;
use ordered::OrderedSet;
pub(crate) use output::{Out, OutKind};
use state::{Agent, Line, Phase, State};

use crate::action::Action;
use crate::config::{resolve, Config};
use crate::diagnostic::{has_errors, Diagnostic};
use crate::eligibility::{Policy, Presence};
use crate::event::Event;
use crate::ids::{AgentId, ClientId, DialogId, LineId};
use crate::model::{Portal, Setup};
use crate::time::{Time, DAY};
use crate::validate::validate_setup;

pub use view::{AgentView, DialogView, LineView};

/// An input to the router: a public [`Event`], or one of the events the simulator sends most,
/// with agents and lines by index (valid indexes of the router's configuration).
#[derive(Clone, Debug)]
pub(crate) enum Input {
    Event(Event),
    Arrived {
        dialog: DialogId,
        line: u32,
        client: Option<ClientId>,
    },
    Accepted {
        dialog: DialogId,
        agent: u32,
    },
    Replied {
        dialog: DialogId,
        agent: u32,
    },
    Skipped {
        dialog: DialogId,
        agent: u32,
    },
    Closed {
        dialog: DialogId,
    },
}

impl Input {
    fn name(&self) -> &'static str {
        match self {
            Input::Event(event) => event.name(),
            Input::Arrived { .. } => "arrived",
            Input::Accepted { .. } => "accepted",
            Input::Replied { .. } => "replied",
            Input::Skipped { .. } => "skipped",
            Input::Closed { .. } => "closed",
        }
    }
}

/// Routes dialogs for a set of lines. Build it with [`Router::new`] from a configuration that
/// has no errors.
#[derive(Clone, Debug)]
pub struct Router {
    portal: Portal,
    now: Time,
    explain: bool,
    state: State,
    /// Lookups only, never iterated: hash maps keep the order of nothing that reaches output.
    agent_ix: FxHashMap<AgentId, u32>,
    line_ix: FxHashMap<LineId, u32>,
    /// CRM client → responsible agent.
    responsible: BTreeMap<ClientId, u32>,
    /// Clients seen before, for the welcome bot's `first` rule.
    seen_clients: BTreeSet<ClientId>,
    agenda: Agenda,
    stamp_seq: u64,
    /// The records of the call in progress.
    out: Vec<Out>,
    /// Room for a list of dialog slots within one step, kept between steps.
    scratch: Vec<u32>,
    /// Undistributed dialogs whose retries, which would find nobody again, are counted instead
    /// of made (see `flows.rs`, "retries that change nothing").
    parked: Vec<Park>,
    /// The state's epoch when the parked dialogs were last known to be right.
    parked_epoch: u64,
    /// Where the router is in the agenda's order: the timer being fired, or an event or the
    /// end of a call at `(now, MAX, MAX)`, after every timer of that instant.
    cursor: Cursor,
    /// Retries that change nothing are counted (always, but for the test that compares).
    counting: bool,
}

impl Router {
    /// Builds a router whose clock starts at `start`, or returns the diagnostics when the
    /// configuration has errors.
    pub fn new(config: &Config, start: Time) -> Result<Router, Vec<Diagnostic>> {
        let (setup, mut diagnostics) = resolve(config);
        diagnostics.extend(validate_setup(&setup));
        if has_errors(&diagnostics) {
            return Err(diagnostics);
        }
        Ok(Router::from_setup(&setup, start))
    }

    /// Builds a router from a resolved setup (assumed valid).
    #[must_use]
    pub fn from_setup(setup: &Setup, start: Time) -> Router {
        let n = setup.agents.len();
        let agents: Vec<Agent> = setup
            .agents
            .iter()
            .map(|a| Agent {
                id: AgentId::new(&a.id),
                name: a.name.clone(),
                presence: Presence {
                    dismissed: a.dismissed,
                    absent: a.absent,
                    absent_until: a.absent_until,
                    line_pause: a.line_pause,
                    workday: a.workday,
                    last_activity: a.last_activity,
                    idle_since: None,
                },
                open: 0,
                absence_gen: 0,
            })
            .collect();
        let index = setup.agent_index();
        let lines: Vec<Line> = setup
            .lines
            .iter()
            .map(|l| Line {
                id: LineId::new(&l.id),
                name: l.name.clone(),
                settings: l.settings.clone(),
                queue: index
                    .expand_queue(&l.queue)
                    .into_iter()
                    .map(|a| a as u32)
                    .collect(),
                position: vec![0; n],
                stamp: vec![None; n],
                policy: Policy::open_channels(
                    l.settings.check_available,
                    setup.portal.time_tracking,
                    setup.portal.online_window,
                    false,
                ),
                ready: OrderedSet::default(),
                indexed: vec![false; n],
                load: vec![[0; 3]; n],
                waiting: OrderedSet::default(),
                due: OrderedSet::default(),
            })
            .collect();
        let mut responsible = BTreeMap::new();
        for (i, a) in setup.agents.iter().enumerate() {
            for c in &a.crm_clients {
                responsible.entry(ClientId::new(c)).or_insert(i as u32);
            }
        }
        let mut router = Router {
            portal: setup.portal.clone(),
            now: start,
            explain: true,
            agent_ix: agents
                .iter()
                .enumerate()
                .map(|(i, a)| (a.id.clone(), i as u32))
                .collect(),
            line_ix: lines
                .iter()
                .enumerate()
                .map(|(i, l)| (l.id.clone(), i as u32))
                .collect(),
            state: State {
                agents,
                lines,
                ..State::default()
            },
            responsible,
            seen_clients: BTreeSet::new(),
            agenda: Agenda::default(),
            stamp_seq: 0,
            out: Vec::new(),
            scratch: Vec::new(),
            parked: Vec::new(),
            parked_epoch: 0,
            cursor: Cursor::after(start),
            counting: true,
        };
        for lix in 0..router.state.lines.len() {
            router.state.reindex(lix);
        }
        for a in 0..n {
            if let Some(until) = router.state.agents[a].presence.absent_until {
                router.agenda.schedule(
                    until,
                    until,
                    0,
                    Timer::AbsenceEnds {
                        agent: a as u32,
                        gen: 0,
                    },
                );
            }
        }
        let first_sweep = start.plus(1).ceil_to(DAY);
        router
            .agenda
            .schedule(first_sweep, first_sweep, 0, Timer::Sweep);
        router
    }

    /// Switches the per-candidate explanations on or off (on by default). Choices are the same
    /// either way; off is cheaper when nobody reads them.
    pub fn set_explanations(&mut self, on: bool) {
        self.explain = on;
    }

    /// The router's clock.
    #[must_use]
    pub fn now(&self) -> Time {
        self.now
    }

    /// No later than when the next timer fires, if any: a timer set and cleared again since,
    /// which the router has not looked at yet, may make this earlier (nothing fires then).
    #[must_use]
    pub fn next_deadline(&self) -> Option<Time> {
        self.agenda.next_fire()
    }

    /// Applies one event at `at`: first fires every timer due at or before `at`, then the event,
    /// then any timer the event made due at once. An event earlier than the clock is rejected.
    pub fn handle(&mut self, event: Event, at: Time) -> Vec<Action> {
        let mut out = Vec::new();
        self.handle_into(event, at, &mut out);
        out
    }

    /// [`Router::handle`], appending the actions to `out`: a caller that feeds many events
    /// reuses one buffer instead of receiving a new vector for each.
    pub fn handle_into(&mut self, event: Event, at: Time, out: &mut Vec<Action>) {
        self.handle_input(Input::Event(event), at);
        self.publish(out);
    }

    /// Makes every retry of an undistributed dialog, each with its own action, instead of
    /// counting the ones that change nothing. For the test that the counts are exact; a long
    /// wait then costs work and output in proportion to its length.
    #[doc(hidden)]
    pub fn make_every_retry(&mut self) {
        self.counting = false;
    }

    /// Advances the clock to `to`, firing every timer due by then in order.
    pub fn advance_to(&mut self, to: Time) -> Vec<Action> {
        let mut out = Vec::new();
        self.advance_into(to, &mut out);
        out
    }

    /// [`Router::advance_to`], appending the actions to `out`.
    pub fn advance_into(&mut self, to: Time, out: &mut Vec<Action>) {
        self.advance_records(to);
        self.publish(out);
    }

    /// Moves the records into `out` as public actions.
    fn publish(&mut self, out: &mut Vec<Action>) {
        let mut records = self.take_records();
        out.extend(records.drain(..).map(|r| self.action(r)));
        self.return_records(records);
    }

    /// [`Router::handle_into`] for the simulator: the input may name agents and lines by
    /// index, and what the router did is left in its records (see [`Router::take_records`]).
    pub(crate) fn handle_input(&mut self, input: Input, at: Time) {
        if at < self.now {
            self.reject_past(input.name(), at);
        } else if at > Time::LATEST {
            self.reject_beyond(input.name(), at);
        } else {
            self.run_timers(at);
            self.now = at;
            // Any event may change who a pick finds; retries counted up to now end here.
            self.state.epoch += 1;
            self.cursor = Cursor::after(at);
            self.unpark_all();
            self.apply_input(input);
            self.run_timers(at);
        }
    }

    /// [`Router::advance_into`] for the simulator, leaving the records as `handle_input` does.
    pub(crate) fn advance_records(&mut self, to: Time) {
        let to = if to > Time::LATEST {
            self.reject_beyond("advance", to);
            Time::LATEST
        } else {
            to
        };
        if to > self.now {
            self.run_timers(to);
            self.now = to;
        }
        // What the call leaves is as if every retry had been made: counted retries are
        // reported, and each dialog waits for its next one.
        self.cursor = Cursor::after(self.now);
        self.unpark_all();
    }

    /// The records not taken yet.
    pub(crate) fn records(&self) -> &[Out] {
        &self.out
    }

    /// The records since they were last taken. The router keeps one buffer, which the caller
    /// gives back emptied (`return_records`), so that records cost no allocation.
    pub(crate) fn take_records(&mut self) -> Vec<Out> {
        std::mem::take(&mut self.out)
    }

    /// Gives the buffer `take_records` lent back, emptied.
    pub(crate) fn return_records(&mut self, mut records: Vec<Out>) {
        records.clear();
        self.out = records;
    }

    /// The public event an input stands for.
    pub(crate) fn event_of(&self, input: &Input) -> Event {
        let agent = |a: u32| self.agent_id(a);
        match input {
            Input::Event(event) => event.clone(),
            Input::Arrived {
                dialog,
                line,
                client,
            } => Event::Arrived {
                dialog: *dialog,
                line: self.line_id(*line),
                client: client.clone(),
            },
            Input::Accepted { dialog, agent: a } => Event::Accepted {
                dialog: *dialog,
                agent: agent(*a),
            },
            Input::Replied { dialog, agent: a } => Event::Replied {
                dialog: *dialog,
                agent: agent(*a),
            },
            Input::Skipped { dialog, agent: a } => Event::Skipped {
                dialog: *dialog,
                agent: agent(*a),
            },
            Input::Closed { dialog } => Event::Closed { dialog: *dialog },
        }
    }

    /// A line's index, for callers that then name it by index.
    pub(crate) fn line_index(&self, line: &LineId) -> Option<u32> {
        self.line_ix.get(line).copied()
    }

    /// Fires every timer due at or before `upto`, in order. Most calls find nothing due (the
    /// simulator calls this twice for each event it sends), so the check is inlined into the
    /// caller and only a due timer pays for the call.
    #[inline]
    fn run_timers(&mut self, upto: Time) {
        if self.agenda.next_fire().is_some_and(|t| t <= upto) {
            self.fire_due(upto);
        }
    }

    #[inline(never)]
    fn fire_due(&mut self, upto: Time) {
        loop {
            if self.agenda.fresh_due(upto) {
                self.agenda.admit_fresh(&mut self.state.dialogs, upto);
            }
            let Some((cursor, timer)) = self.agenda.pop_keyed(upto) else {
                return;
            };
            let at = cursor.fire;
            self.now = self.now.max(at);
            self.cursor = cursor;
            self.fire(at, timer);
            if !self.parked.is_empty() && self.state.epoch != self.parked_epoch {
                self.unpark_all();
            }
        }
    }

    /// Records what the router did. Inlined, with growing the buffer out of line: within its
    /// capacity the record is written straight into the buffer, not built on the stack first
    /// and then copied, which the processor would stall on (the copy's wide loads cannot take
    /// their bytes from the narrower stores that have just built the record).
    #[inline(always)]
    fn emit(&mut self, kind: OutKind) {
        let at = self.now;
        if self.out.len() < self.out.capacity() {
            self.out.push(Out { at, kind });
        } else {
            self.emit_growing(Out { at, kind });
        }
    }

    #[cold]
    #[inline(never)]
    fn emit_growing(&mut self, out: Out) {
        self.out.push(out);
    }

    /// An event earlier than the clock; out of line, as it never happens in a simulated run.
    #[cold]
    #[inline(never)]
    fn reject_past(&mut self, event: &'static str, at: Time) {
        let reason = format!(
            "the event is at {at}, before the router's clock {}",
            self.now
        );
        self.reject(event, reason);
    }

    /// The horizon: instants after [`Time::LATEST`] (the end of the year 9999) are refused,
    /// so that every instant the router writes can be read back. A clock asked to go past it
    /// stops there.
    #[cold]
    fn reject_beyond(&mut self, event: &'static str, at: Time) {
        let reason = format!(
            "{} ms after the Unix epoch is after {}, the latest instant the router handles",
            at.0,
            Time::LATEST
        );
        self.reject(event, reason);
    }

    fn reject(&mut self, event: &'static str, reason: String) {
        self.emit(OutKind::Rejected { event, reason });
    }

    /// Forgets a closed dialog, so that a long run keeps only the dialogs still open in
    /// memory. Afterwards the router treats the id as never seen; a new dialog may reuse it.
    /// Returns false, and forgets nothing, when the dialog is unknown or not closed.
    pub fn forget(&mut self, id: DialogId) -> bool {
        let Entry::Occupied(found) = self.state.by_id.entry(id) else {
            return false;
        };
        let dix = *found.get();
        let d = &mut self.state.dialogs[dix as usize];
        if !d.phase.is_closed() {
            return false;
        }
        found.remove();
        d.tried.clear();
        d.client = None;
        self.state.free.push(dix);
        true
    }

    /// The number of dialogs the router keeps (open, or closed and not forgotten).
    #[must_use]
    pub fn dialog_count(&self) -> usize {
        self.state.by_id.len()
    }

    /// Internal consistency: counters, the ready index and waiting queues against a recount
    /// from the dialogs. Returns the problems found (none in a correct router). For tests.
    #[must_use]
    pub fn consistency_problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        let s = &self.state;
        let mut open = vec![0u32; s.agents.len()];
        let mut load: Vec<Vec<[u32; 3]>> =
            s.lines.iter().map(|l| vec![[0; 3]; l.load.len()]).collect();
        if s.by_id.len() + s.free.len() != s.dialogs.len() {
            problems.push(format!(
                "{} indexed and {} forgotten dialogs in {} slots",
                s.by_id.len(),
                s.free.len(),
                s.dialogs.len()
            ));
        }
        for (ix, d) in s.dialogs.iter().enumerate() {
            if !s.is_live(ix as u32) {
                if !d.phase.is_closed() || !s.free.contains(&(ix as u32)) {
                    problems.push(format!("slot {ix} is neither indexed nor free"));
                }
                continue;
            }
            if let Some(h) = d.phase.holder() {
                let status = d.phase.status();
                if status < 60 {
                    open[h as usize] += 1;
                }
                for (k, limit) in [25u8, 40, 50].iter().enumerate() {
                    if status < *limit {
                        load[d.line as usize][h as usize][k] += 1;
                    }
                }
            }
            let line = &s.lines[d.line as usize];
            let in_waiting = d
                .wait_seq
                .is_some_and(|seq| line.waiting.contains(&(seq, ix as u32)));
            if (d.phase == Phase::Queued) != in_waiting {
                problems.push(format!(
                    "dialog {} is {} but waiting = {in_waiting}",
                    d.id,
                    d.phase.name()
                ));
            }
            let in_due = d
                .queue_due
                .is_some_and(|t| line.due.contains(&state::DueKey::new(t, d.id)));
            if d.queue_due.is_some() != in_due {
                problems.push(format!("dialog {} queue deadline index is wrong", d.id));
            }
        }
        for (a, agent) in s.agents.iter().enumerate() {
            if agent.open != open[a] {
                problems.push(format!("agent {} counters are wrong", agent.id));
            }
        }
        for (l, line) in s.lines.iter().enumerate() {
            if line.load != load[l] {
                problems.push(format!("line {} load counters are wrong", line.id));
            }
            let ready: BTreeSet<u32> = line
                .queue
                .iter()
                .copied()
                .filter(|&a| s.is_ready(l, a))
                .collect();
            let keys: BTreeSet<state::ReadyKey> =
                ready.iter().map(|&a| line.ready_key(a)).collect();
            let indexed: BTreeSet<u32> = (0..line.indexed.len() as u32)
                .filter(|&a| line.indexed[a as usize])
                .collect();
            if !line.ready.iter().eq(keys.iter()) || indexed != ready {
                problems.push(format!(
                    "line {} ready index has {} agents, a recount finds {}",
                    line.id,
                    line.ready.len(),
                    ready.len()
                ));
            }
            let waiting: usize = s
                .dialogs
                .iter()
                .filter(|d| d.line as usize == l && d.phase == Phase::Queued)
                .count();
            if waiting != line.waiting.len() {
                problems.push(format!(
                    "line {} waiting queue has {} entries for {waiting} queued dialogs",
                    line.id,
                    line.waiting.len()
                ));
            }
        }
        problems
    }

    /// The number of timers in the agenda, stale ones included. For tests and benchmarks.
    #[must_use]
    pub fn agenda_len(&self) -> usize {
        self.agenda.len()
    }
}
