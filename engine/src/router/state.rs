//! The router's state: agents, lines and dialogs, with the counters that keep every decision
//! cheap. Every change of a dialog's phase goes through [`State::set_phase`], which keeps the
//! counters, the ready index and the waiting queues in step.

use std::collections::hash_map::Entry;

use rustc_hash::FxHashMap;

use super::agenda::{Slots, TimerSlot};
use super::ordered::OrderedSet;
use crate::action::{CloseKind, ReturnReason};
use crate::eligibility::{Policy, Presence};
use crate::ids::{AgentId, ClientId, DialogId, LineId};
use crate::model::{LineSettings, Mode};
use crate::time::{pack, Time};

/// Bitrix24's cap of open dialogs per agent across all lines (`Queue::MAX_CHAT`).
pub(crate) const GLOBAL_CAP: u32 = 1000;

/// Where a dialog is in its life. Agents are indexes into the router's agent list.
///
/// A phase is a plain value (a tag and an agent): it is read several times for each event, and
/// a vector inside it made every read decode which variant it is. The agents a mode-`all`
/// offer went to are kept in the dialog instead (`Dialog::offered_all`). The tag has a byte of
/// its own (`repr(u8)`): reading the holder or the status then decodes less than with the
/// default layout, which packs the tag into spare values of the fields.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub(crate) enum Phase {
    /// The welcome bot holds it.
    WithBot,
    /// Undistributed: nobody holds it, it waits in the line's queue.
    Queued,
    /// Offered to one agent, not yet taken (status NEW or SKIP).
    Offered(u32),
    /// Mode `all`: offered to the agents in `Dialog::offered_all`, not yet taken.
    OfferedAll,
    /// Taken; the client waits for the agent's reply (status ANSWER or CLIENT).
    Answered(u32),
    /// The agent replied and waits for the client (status OPERATOR).
    WaitingForClient(u32),
    /// The client wrote again after the agent's reply (status CLIENT_AFTER_OPERATOR).
    ClientReplied(u32),
    /// Closed by the agent, waiting for the full close (status WAIT_CLIENT).
    Closing(Option<u32>),
    Closed(CloseKind),
}

impl Phase {
    /// The Bitrix24 status code the slot and return rules compare against.
    pub(crate) fn status(&self) -> u8 {
        match self {
            Phase::WithBot | Phase::Queued | Phase::Offered(_) | Phase::OfferedAll => 0,
            Phase::Answered(_) => 10,
            Phase::ClientReplied(_) => 25,
            Phase::WaitingForClient(_) => 40,
            Phase::Closing(_) => 50,
            Phase::Closed(_) => 60,
        }
    }

    /// The one agent holding the dialog, if any.
    #[inline]
    pub(crate) fn holder(&self) -> Option<u32> {
        match self {
            Phase::Offered(a)
            | Phase::Answered(a)
            | Phase::WaitingForClient(a)
            | Phase::ClientReplied(a) => Some(*a),
            Phase::Closing(a) => *a,
            _ => None,
        }
    }

    pub(crate) fn is_closed(&self) -> bool {
        matches!(self, Phase::Closed(_))
    }

    pub(crate) fn name(&self) -> &'static str {
        match self {
            Phase::WithBot => "with_bot",
            Phase::Queued => "queued",
            Phase::Offered(_) | Phase::OfferedAll => "offered",
            Phase::Answered(_) => "answered",
            Phase::WaitingForClient(_) => "waiting_for_client",
            Phase::ClientReplied(_) => "client_replied",
            Phase::Closing(_) => "closing",
            Phase::Closed(_) => "closed",
        }
    }
}

#[derive(Clone, Debug)]
pub(crate) struct Dialog {
    pub id: DialogId,
    pub line: u32,
    pub client: Option<ClientId>,
    pub phase: Phase,
    pub arrived_at: Time,
    pub last_message_at: Time,
    pub pinned: bool,
    pub from_crm: bool,
    /// `QUEUE_HISTORY`: agents already offered this dialog, and in mode `evenly` every agent
    /// available when it was placed (see `apply_pick`).
    pub tried: Vec<u32>,
    /// Mode `all`: the agents a standing offer went to, while the phase is `OfferedAll`.
    pub offered_all: Vec<u32>,
    pub return_reason: Option<ReturnReason>,
    /// `DATE_QUEUE`.
    pub queue_due: Option<Time>,
    /// `DATE_NO_ANSWER`.
    pub no_answer_due: Option<Time>,
    /// `DATE_CLOSE`.
    pub close_due: Option<Time>,
    /// The agent has replied at least once.
    pub replied: bool,
    /// `SEND_NO_WORK_TIME_TEXT`: the off-hours notice went out, and goes out again only after
    /// an agent has written inside working time.
    pub off_hours_told: bool,
    /// `SEND_NO_ANSWER_TEXT` as the off-hours text leaves it: once that text went out, the
    /// no-answer text is never sent for this dialog.
    pub no_answer_silenced: bool,
    /// Position in the line's waiting queue while undistributed.
    pub wait_seq: Option<u64>,
    /// The last pick that found nobody: the state's epoch then, and when. A retry while the
    /// epoch is the same, and before time alone can change an answer, would find nobody again.
    pub nobody_epoch: u64,
    pub nobody_at: Time,
    /// Its retries are being counted instead of made (see `Router::park`).
    pub parked: bool,
    /// Timers: queue, no-answer, close.
    pub timers: [TimerSlot; 3],
}

impl Slots for Vec<Dialog> {
    #[inline]
    fn slot(&mut self, dialog: u32, kind: usize) -> &mut TimerSlot {
        &mut self[dialog as usize].timers[kind]
    }
}

impl Dialog {
    /// Makes a forgotten dialog's slot the new dialog `id`, field by field in place (a dialog
    /// is a few hundred bytes, and one arrives with every enquiry). The slot's timers keep
    /// counting their generations on, so that no timer the forgotten dialog left in the
    /// agenda can match the new one, and its emptied lists of agents keep their room.
    fn reuse(&mut self, id: DialogId, line: u32, client: Option<ClientId>, at: Time) {
        // Every field is named, so that a new one cannot be left with the old dialog's value.
        let Dialog {
            id: d_id,
            line: d_line,
            client: d_client,
            phase,
            arrived_at,
            last_message_at,
            pinned,
            from_crm,
            tried,
            offered_all,
            return_reason,
            queue_due,
            no_answer_due,
            close_due,
            replied,
            off_hours_told,
            no_answer_silenced,
            wait_seq,
            nobody_epoch,
            nobody_at,
            parked,
            timers,
        } = self;
        *d_id = id;
        *d_line = line;
        *d_client = client;
        *phase = Phase::WithBot;
        *arrived_at = at;
        *last_message_at = at;
        *pinned = false;
        *from_crm = false;
        tried.clear();
        offered_all.clear();
        *return_reason = None;
        *queue_due = None;
        *no_answer_due = None;
        *close_due = None;
        *replied = false;
        *off_hours_told = false;
        *no_answer_silenced = false;
        *wait_seq = None;
        *nobody_epoch = u64::MAX;
        *nobody_at = at;
        *parked = false;
        for slot in timers {
            *slot = slot.reused();
        }
    }
}

#[derive(Clone, Debug)]
pub(crate) struct Agent {
    pub id: AgentId,
    pub name: String,
    pub presence: Presence,
    /// Open dialogs held across all lines (status < CLOSE).
    pub open: u32,
    pub absence_gen: u32,
}

/// An evenly stamp: when the agent was last assigned a dialog on the line, with a sequence
/// number for exact ties (`LAST_ACTIVITY_DATE`, `LAST_ACTIVITY_DATE_EXACT`).
pub(crate) type Stamp = Option<(Time, u64)>;

/// An agent's place in a line's ready index: (stamp number, queue position, agent), packed
/// into one integer in that order, as [`DueKey`] is: the index is searched and shifted on
/// every assignment and every close, and a key then compares once and moves as 16 bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct ReadyKey(u128);

impl ReadyKey {
    pub(crate) fn new(stamp: u64, position: u32, agent: u32) -> ReadyKey {
        ReadyKey(pack(stamp, u64::from(position) << 32 | u64::from(agent)))
    }

    pub(crate) fn agent(self) -> u32 {
        self.0 as u32
    }
}

#[derive(Clone, Debug)]
pub(crate) struct Line {
    pub id: LineId,
    pub name: String,
    pub settings: LineSettings,
    /// The expanded queue, in order.
    pub queue: Vec<u32>,
    /// Per agent: 1-based position in the queue, 0 when not in it.
    pub position: Vec<u32>,
    /// Per agent: the evenly stamp on this line.
    pub stamp: Vec<Stamp>,
    /// The availability policy (`CHECK_AVAILABLE` with the portal's time tracking).
    pub policy: Policy,
    /// The ready index: queue members that nothing but time keeps from work (see
    /// [`State::is_ready`]), in the order a pick walks them ([`Line::ready_key`]): for
    /// `evenly`, oldest stamp first, never-assigned first of all, then queue position; for
    /// `strictly` and `all`, queue position. A pick walks this instead of the whole queue, so
    /// agents on a pause, at their limit or dismissed cost nothing.
    pub ready: OrderedSet<ReadyKey>,
    /// Per agent: in the ready index now, so that a refresh that changes nothing costs no
    /// search.
    pub indexed: Vec<bool>,
    /// Per agent: dialogs on this line below status 25, 40 and 50 (the three slot rules).
    pub load: Vec<[u32; 3]>,
    /// Undistributed dialogs, oldest first: (place in the queue, dialog slot).
    pub waiting: OrderedSet<(u64, u32)>,
    /// Dialogs with a queue deadline, by (deadline, dialog id).
    pub due: OrderedSet<DueKey>,
}

impl Line {
    /// An agent's place in the ready index: only `evenly` orders by stamp. Stamps are numbered
    /// from 1 in the order they are given, and the router's clock never goes back, so the
    /// number alone orders stamps as (time, number) does; 0 stands for never stamped.
    pub(crate) fn ready_key(&self, agent: u32) -> ReadyKey {
        let a = agent as usize;
        let stamp = match self.settings.mode {
            Mode::Evenly => self.stamp[a].map_or(0, |(_, number)| number),
            Mode::Strictly | Mode::All => 0,
        };
        ReadyKey::new(stamp, self.position[a], agent)
    }

    /// The slots of the undistributed dialogs, oldest first.
    pub(crate) fn waiting_dialogs(&self) -> impl Iterator<Item = u32> + '_ {
        self.waiting.iter().map(|&(_, dix)| dix)
    }

    /// Sets an agent's evenly stamp, moving it in the ready index when it is there.
    pub(crate) fn stamp_agent(&mut self, agent: u32, stamp: Stamp) {
        let moves = self.indexed[agent as usize] && self.settings.mode == Mode::Evenly;
        if moves {
            self.ready.remove(&self.ready_key(agent));
        }
        self.stamp[agent as usize] = stamp;
        if moves {
            self.ready.insert(self.ready_key(agent));
        }
    }

    /// The retry interval for an undistributed dialog (ms).
    pub(crate) fn retry_interval(&self) -> i64 {
        self.settings.retry_interval.unwrap_or(self.offer_time())
    }

    /// How long an offer stands before it moves on (ms); mode `all` always uses 3600 s
    /// (`UNDISTRIBUTED_QUEUE_TIME` in `Queue\All`).
    pub(crate) fn offer_time(&self) -> i64 {
        if self.settings.mode == Mode::All {
            3600 * crate::time::SECOND
        } else {
            self.settings.queue_time
        }
    }

    /// The per-line slot limit; `MAX_CHAT = 0` is treated as the global cap.
    #[inline]
    pub(crate) fn limit(&self) -> u32 {
        if self.settings.max_chat == 0 {
            GLOBAL_CAP
        } else {
            self.settings.max_chat.min(GLOBAL_CAP)
        }
    }

    #[inline]
    pub(crate) fn held_counted(&self, agent: u32) -> u32 {
        self.load[agent as usize][self.settings.type_max_chat.counter()]
    }
}

/// A queue deadline as a line's index orders it, by time and then dialog id, packed into one
/// integer: a search of the index then compares once per step, without a branch for each part
/// of a tuple, and moves 16 bytes a key instead of 24.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct DueKey(u128);

impl DueKey {
    pub(crate) fn new(due: Time, dialog: DialogId) -> DueKey {
        DueKey(pack(due.key(), dialog.0))
    }

    pub(crate) fn due(self) -> Time {
        Time::from_key((self.0 >> 64) as u64)
    }

    pub(crate) fn dialog(self) -> DialogId {
        DialogId(self.0 as u64)
    }
}

/// Agents, lines and dialogs, plus the dialog-id index.
#[derive(Clone, Debug, Default)]
pub(crate) struct State {
    pub agents: Vec<Agent>,
    pub lines: Vec<Line>,
    pub dialogs: Vec<Dialog>,
    /// Lookups only, never iterated.
    pub by_id: FxHashMap<DialogId, u32>,
    pub wait_seq: u64,
    /// Slots of forgotten dialogs, reused by new ones.
    pub free: Vec<u32>,
    /// Counts changes that can change who a pick finds: phases, presence, queues, stamps, and
    /// every event (the router adds those).
    pub epoch: u64,
}

const LIMITS: [u8; 3] = [25, 40, 50];

impl State {
    /// Whether agent `agent` belongs in line `lix`'s ready index: in the queue, not blocked by
    /// anything only an event can lift, under the portal-wide cap, and (outside mode `all`)
    /// under the line's slot limit. An available agent is always ready, except the one who
    /// already holds the dialog being placed, who is exempt from the limits; the pick looks at
    /// that one separately.
    #[inline]
    pub(crate) fn is_ready(&self, lix: usize, agent: u32) -> bool {
        let line = &self.lines[lix];
        let a = &self.agents[agent as usize];
        line.position[agent as usize] != 0
            && !a.presence.blocked_until_event(&line.policy)
            && a.open < GLOBAL_CAP
            && (line.settings.mode == Mode::All || line.held_counted(agent) < line.limit())
    }

    /// Adds every agent available on line `lix` at `now` to dialog `dix`'s history, as
    /// `Queue\Evenly::getOperatorsQueue` does. The ready index holds exactly the queue agents
    /// that limits and events leave free, so only the checks that time changes (online, a
    /// dated vacation) are made here; `holder`, exempt from the limits, is added if it is
    /// available but out of the index.
    pub(crate) fn add_available_to_history(
        &mut self,
        lix: usize,
        dix: u32,
        holder: Option<u32>,
        now: Time,
    ) {
        let line = &self.lines[lix];
        let agents = &self.agents;
        let tried = &mut self.dialogs[dix as usize].tried;
        let free = |a: u32| agents[a as usize].presence.check(&line.policy, now).is_ok();
        let was_empty = tried.is_empty();
        for key in line.ready.iter() {
            let a = key.agent();
            if free(a) && (was_empty || !tried.contains(&a)) {
                tried.push(a);
            }
        }
        if let Some(h) = holder {
            let exempt = line.position[h as usize] != 0 && !line.indexed[h as usize];
            if exempt && free(h) && !tried.contains(&h) {
                tried.push(h);
            }
        }
    }

    /// Puts the agent in or takes it out of line `lix`'s ready index, as its state now says.
    pub(crate) fn refresh(&mut self, lix: usize, agent: u32) {
        self.epoch += 1;
        let ready = self.is_ready(lix, agent);
        let line = &mut self.lines[lix];
        if line.indexed[agent as usize] == ready {
            return;
        }
        line.indexed[agent as usize] = ready;
        let key = line.ready_key(agent);
        if ready {
            line.ready.insert(key);
        } else {
            line.ready.remove(&key);
        }
    }

    /// Refreshes the agent on every line, after a change of presence or of the global count.
    pub(crate) fn refresh_everywhere(&mut self, agent: u32) {
        for lix in 0..self.lines.len() {
            self.refresh(lix, agent);
        }
    }

    /// Rebuilds positions and the ready index of a line after its queue or mode changed.
    pub(crate) fn reindex(&mut self, lix: usize) {
        self.epoch += 1;
        let line = &mut self.lines[lix];
        line.position.iter_mut().for_each(|p| *p = 0);
        for (i, &a) in line.queue.iter().enumerate() {
            line.position[a as usize] = i as u32 + 1;
        }
        line.ready.clear();
        line.indexed.iter_mut().for_each(|x| *x = false);
        for i in 0..self.lines[lix].queue.len() {
            let a = self.lines[lix].queue[i];
            self.refresh(lix, a);
        }
    }

    /// Stores a new dialog that has just arrived (with the welcome bot, no timers), in a
    /// forgotten dialog's slot when there is one, and indexes it; none when a dialog with
    /// this id exists already.
    pub(crate) fn add_dialog(
        &mut self,
        id: DialogId,
        line: u32,
        client: Option<ClientId>,
        at: Time,
    ) -> Option<u32> {
        let Entry::Vacant(place) = self.by_id.entry(id) else {
            return None;
        };
        let dix = match self.free.pop() {
            Some(dix) => {
                self.dialogs[dix as usize].reuse(id, line, client, at);
                dix
            }
            None => {
                self.dialogs.push(Dialog {
                    id,
                    line,
                    client,
                    phase: Phase::WithBot,
                    arrived_at: at,
                    last_message_at: at,
                    pinned: false,
                    from_crm: false,
                    tried: Vec::new(),
                    offered_all: Vec::new(),
                    return_reason: None,
                    queue_due: None,
                    no_answer_due: None,
                    close_due: None,
                    replied: false,
                    off_hours_told: false,
                    no_answer_silenced: false,
                    wait_seq: None,
                    nobody_epoch: u64::MAX,
                    nobody_at: at,
                    parked: false,
                    timers: Default::default(),
                });
                self.dialogs.len() as u32 - 1
            }
        };
        place.insert(dix);
        Some(dix)
    }

    /// The dialogs on line `lix` that are not closed, in id order (as Bitrix24 walks sessions,
    /// by `SESSION_ID`). A forgotten dialog's slot stays closed until it is reused, so the
    /// slots alone say which dialogs are open; their order is not the ids' once slots are
    /// reused, so the list is sorted.
    pub(crate) fn open_on(&self, lix: usize) -> Vec<u32> {
        self.in_id_order(move |d| d.line as usize == lix && !d.phase.is_closed())
    }

    /// The dialogs `agent` holds on line `lix`, in id order.
    pub(crate) fn held_on(&self, agent: u32, lix: usize) -> Vec<u32> {
        self.in_id_order(move |d| d.line as usize == lix && d.phase.holder() == Some(agent))
    }

    fn in_id_order(&self, keep: impl Fn(&Dialog) -> bool) -> Vec<u32> {
        let mut found: Vec<u32> = (0..self.dialogs.len() as u32)
            .filter(|&dix| keep(&self.dialogs[dix as usize]))
            .collect();
        found.sort_unstable_by_key(|&dix| self.dialogs[dix as usize].id);
        found
    }

    /// True when slot `dix` holds a dialog the router still knows.
    pub(crate) fn is_live(&self, dix: u32) -> bool {
        self.by_id.get(&self.dialogs[dix as usize].id) == Some(&dix)
    }

    /// Moves a dialog to a new phase, keeping every counter and index in step.
    ///
    /// Inlined, so that the new phase's holder and status, known where it is called, are read
    /// there rather than decoded inside.
    #[inline]
    pub(crate) fn set_phase(&mut self, dix: u32, phase: Phase) {
        self.change_phase(dix, phase, phase.holder(), phase.status());
    }

    #[inline(never)]
    fn change_phase(&mut self, dix: u32, phase: Phase, new_holder: Option<u32>, new_status: u8) {
        let d = &self.dialogs[dix as usize];
        if d.phase == phase {
            // A waiting dialog retried with nobody free stays as it is: nothing to count.
            return;
        }
        self.epoch += 1;
        let lix = d.line as usize;
        let (old_holder, old_status) = (d.phase.holder(), d.phase.status());
        let was_queued = d.phase == Phase::Queued;
        let now_queued = phase == Phase::Queued;

        match (old_holder, new_holder) {
            // The same agent keeps the dialog (taken, replied, closed by the agent): the ready
            // index is refreshed once, for the final counts, and only if the count the line's
            // limit reads or the portal-wide cap changed sides (taking and replying to a dialog
            // usually leave both as they were).
            (Some(o), Some(n)) if o == n => {
                self.recount(lix, o, Some(old_status), Some(new_status));
                let open = self.agents[o as usize].open;
                let before = open + u32::from(old_status < 60) - u32::from(new_status < 60);
                let crossed = (before >= GLOBAL_CAP) != (open >= GLOBAL_CAP);
                let limit = LIMITS[self.lines[lix].settings.type_max_chat.counter()];
                if crossed || (old_status < limit) != (new_status < limit) {
                    self.refresh_after_count(lix, o, crossed);
                }
            }
            _ => {
                if let Some(h) = old_holder {
                    self.recount(lix, h, Some(old_status), None);
                    let crossed = old_status < 60 && self.agents[h as usize].open + 1 == GLOBAL_CAP;
                    self.refresh_after_count(lix, h, crossed);
                }
                if let Some(h) = new_holder {
                    self.recount(lix, h, None, Some(new_status));
                    let crossed = new_status < 60 && self.agents[h as usize].open == GLOBAL_CAP;
                    self.refresh_after_count(lix, h, crossed);
                }
            }
        }
        if was_queued && !now_queued {
            if let Some(seq) = self.dialogs[dix as usize].wait_seq.take() {
                self.lines[lix].waiting.remove(&(seq, dix));
            }
        }
        if now_queued && !was_queued {
            self.wait_seq += 1;
            self.dialogs[dix as usize].wait_seq = Some(self.wait_seq);
            self.lines[lix].waiting.insert((self.wait_seq, dix));
        }
        self.dialogs[dix as usize].phase = phase;
    }

    /// Moves a dialog held by `agent` on line `lix` from status `from` to status `to` in the
    /// line's slot counts and the agent's portal-wide open count; `None` is not held by the
    /// agent (before it took the dialog, after it lost it). One pass, without a branch: each
    /// count goes up by one if the new status counts there and down by one if the old did.
    #[inline]
    fn recount(&mut self, lix: usize, agent: u32, from: Option<u8>, to: Option<u8>) {
        let counts = |status: Option<u8>, limit: u8| u32::from(status.is_some_and(|s| s < limit));
        let load = &mut self.lines[lix].load[agent as usize];
        for (k, &limit) in LIMITS.iter().enumerate() {
            load[k] = load[k] + counts(to, limit) - counts(from, limit);
        }
        let a = &mut self.agents[agent as usize];
        a.open = a.open + counts(to, 60) - counts(from, 60);
    }

    /// After an agent's counts changed: its line's limit may have been reached or freed, and
    /// when the portal-wide count `crossed` the cap, every line is affected.
    fn refresh_after_count(&mut self, lix: usize, agent: u32, crossed: bool) {
        if crossed {
            self.refresh_everywhere(agent);
        } else {
            self.refresh(lix, agent);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ready_keys_order_by_stamp_then_position_then_agent() {
        let stamps = [0, 1, u64::from(u32::MAX) + 1, u64::MAX];
        let small = [0, 1, u32::MAX];
        let mut parts: Vec<(u64, u32, u32)> = Vec::new();
        for &stamp in &stamps {
            for &position in &small {
                for &agent in &small {
                    parts.push((stamp, position, agent));
                }
            }
        }
        for &(s, p, a) in &parts {
            let key = ReadyKey::new(s, p, a);
            assert_eq!(key.agent(), a);
            for &other in &parts {
                let (t, q, b) = other;
                assert_eq!(key.cmp(&ReadyKey::new(t, q, b)), (s, p, a).cmp(&other));
            }
        }
    }

    #[test]
    fn deadline_keys_order_by_time_then_dialog_and_read_back() {
        let times = [i64::MIN, -1, 0, 1, 1_772_409_600_000, i64::MAX];
        let ids = [0, 7, u64::MAX];
        let mut pairs: Vec<(Time, DialogId)> = Vec::new();
        for &t in &times {
            for &id in &ids {
                pairs.push((Time(t), DialogId(id)));
            }
        }
        for &(t, id) in &pairs {
            let key = DueKey::new(t, id);
            assert_eq!((key.due(), key.dialog()), (t, id));
            for &(u, other) in &pairs {
                assert_eq!(key.cmp(&DueKey::new(u, other)), (t, id).cmp(&(u, other)));
            }
        }
    }
}
