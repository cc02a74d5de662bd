//! The distribution flows: what each event and each timer does.

use super::agenda::Timer;
use super::output::{Explained, OutKind, To, Why};
use super::pick::{method_of, Chosen, Pick};
use super::state::{Dialog, DueKey, Phase};
use super::{Input, Router};
use crate::action::{CloseKind, ReturnReason};
use crate::eligibility::Skip;
use crate::event::Event;
use crate::explain::{Candidate, Method, Verdict};
use crate::ids::{AgentId, ClientId, DialogId, LineId};
use crate::model::{BotJoin, MaxChatType, Mode, NoAnswerRule, ReplyRule, Workday};
use crate::time::{Time, DAY, SECOND};
use crate::worktime::Openness;

/// Dialogs distributed at once when an agent returns (`COUNT_SESSIONS_REALTIME`).
const RETURN_BATCH: usize = 5;
/// Undistributed dialogs re-queued when a slot frees (`queue_interact_count`).
const FREED_REQUEUE: usize = 100;
/// A dialog left with a dismissed agent closes instead of returning to the queue once its
/// last message is this old; a pinned dialog closes this long after pinning (ms).
const IDLE_CLOSE: i64 = 7 * DAY;
/// A dialog in closing mode taken from a removed agent returns this long after its close time
/// if it is still not closed (ms).
const CLOSING_GRACE: i64 = 180 * SECOND;

const QUEUE: usize = 0;
const NO_ANSWER: usize = 1;
const CLOSE: usize = 2;

impl Router {
    /// Applies a public event. Out of line: the simulator sends its frequent events as
    /// [`Input`]s, and this dispatch to every handler would otherwise be inlined into theirs.
    #[inline(never)]
    pub(super) fn apply(&mut self, event: Event) {
        let name = event.name();
        match &event {
            Event::Arrived {
                dialog,
                line,
                client,
            } => {
                // The id is checked before the line, so that a repeated arrival on an unknown
                // line is refused as repeated; `on_arrived` checks it again as it adds it.
                if self.is_new_dialog(name, *dialog) {
                    if let Some(lix) = self.line(name, line) {
                        self.on_arrived(name, *dialog, lix, client.clone());
                    }
                }
            }
            Event::Accepted { dialog, agent } => {
                if let Some((dix, a)) = self.dialog_and_agent(name, *dialog, agent) {
                    self.on_accepted(name, dix, a, false);
                }
            }
            Event::Replied { dialog, agent } => {
                if let Some((dix, a)) = self.dialog_and_agent(name, *dialog, agent) {
                    self.on_replied(name, dix, a);
                }
            }
            Event::ClientMessage { dialog } => {
                if let Some(dix) = self.open_dialog(name, *dialog) {
                    self.on_client_message(dix);
                }
            }
            Event::Skipped { dialog, agent } => {
                if let Some((dix, a)) = self.dialog_and_agent(name, *dialog, agent) {
                    self.on_skipped(name, dix, a);
                }
            }
            Event::Transferred { dialog, to } => {
                if let Some((dix, a)) = self.dialog_and_agent(name, *dialog, to) {
                    self.on_transferred(name, dix, a);
                }
            }
            Event::Closed { dialog } => {
                if let Some(dix) = self.open_dialog(name, *dialog) {
                    self.on_closed(dix);
                }
            }
            Event::MarkedSpam { dialog } => {
                if let Some(dix) = self.open_dialog(name, *dialog) {
                    self.finish(dix, CloseKind::Spam, None);
                }
            }
            Event::ClientLeft { dialog } => {
                if let Some(dix) = self.open_dialog(name, *dialog) {
                    self.finish(dix, CloseKind::ClientLeft, None);
                }
            }
            Event::Pinned { dialog, pinned } => {
                if let Some(dix) = self.open_dialog(name, *dialog) {
                    self.on_pinned(dix, *pinned);
                }
            }
            Event::Workday { agent, state } => {
                if let Some(a) = self.agent(name, agent) {
                    self.on_workday(a, *state);
                }
            }
            Event::LinePause { agent, paused } => {
                if let Some(a) = self.agent(name, agent) {
                    let p = &mut self.state.agents[a as usize].presence;
                    if p.line_pause != *paused {
                        p.line_pause = *paused;
                        self.state.refresh_everywhere(a);
                        if *paused {
                            self.agent_leaves(a, ReturnReason::Nonworking);
                        } else {
                            self.agent_returns(a, None, true);
                        }
                    }
                }
            }
            Event::Activity { agent } => {
                // Presence changes fire no redistribution in Bitrix24: the next queue run or
                // client message sees it.
                if let Some(a) = self.agent(name, agent) {
                    let p = &mut self.state.agents[a as usize].presence;
                    p.last_activity = Some(self.now);
                    p.idle_since = None;
                }
            }
            Event::Idle { agent } => {
                if let Some(a) = self.agent(name, agent) {
                    self.state.agents[a as usize].presence.idle_since = Some(self.now);
                }
            }
            Event::VacationStarted { agent, until } => {
                if let Some(a) = self.agent(name, agent) {
                    self.on_vacation_started(name, a, *until);
                }
            }
            Event::VacationEnded { agent } => {
                if let Some(a) = self.agent(name, agent) {
                    self.on_vacation_ended(a);
                }
            }
            Event::Dismissed { agent } => {
                if let Some(a) = self.agent(name, agent) {
                    self.on_dismissed(a);
                }
            }
            Event::QueueAdded { line, agent } => {
                if let (Some(lix), Some(a)) = (self.line(name, line), self.agent(name, agent)) {
                    self.on_queue_added(name, lix, a);
                }
            }
            Event::QueueRemoved { line, agent } => {
                if let (Some(lix), Some(a)) = (self.line(name, line), self.agent(name, agent)) {
                    if self.state.lines[lix].position[a as usize] == 0 {
                        self.reject(
                            name,
                            format!("agent `{agent}` is not in the queue of line `{line}`"),
                        );
                    } else {
                        self.remove_from_queue(lix, a, ReturnReason::Removing);
                    }
                }
            }
            Event::ModeChanged { line, mode } => {
                if let Some(lix) = self.line(name, line) {
                    self.on_mode_changed(lix, *mode);
                }
            }
        }
    }

    /// Applies an input: a public event, or one that names agents and lines by index.
    pub(super) fn apply_input(&mut self, input: Input) {
        let name = input.name();
        match input {
            Input::Event(event) => self.apply(event),
            Input::Arrived {
                dialog,
                line,
                client,
            } => self.on_arrived(name, dialog, line as usize, client),
            Input::Accepted { dialog, agent } => {
                if let Some(dix) = self.open_dialog(name, dialog) {
                    self.on_accepted(name, dix, agent, false);
                }
            }
            Input::Replied { dialog, agent } => {
                if let Some(dix) = self.open_dialog(name, dialog) {
                    self.on_replied(name, dix, agent);
                }
            }
            Input::Skipped { dialog, agent } => {
                if let Some(dix) = self.open_dialog(name, dialog) {
                    self.on_skipped(name, dix, agent);
                }
            }
            Input::Closed { dialog } => {
                if let Some(dix) = self.open_dialog(name, dialog) {
                    self.on_closed(dix);
                }
            }
        }
    }

    /// Does what a timer that came up at `at` stands for. The handlers of the rarer timers are
    /// kept out of line (each is called from here only, and would otherwise be inlined), so
    /// that the loop over due timers stays short.
    pub(super) fn fire(&mut self, at: Time, timer: Timer) {
        match timer {
            Timer::Queue { dialog, gen } => {
                if self.timer_fired(dialog, QUEUE, at, gen) {
                    self.process_due(dialog);
                }
            }
            Timer::NoAnswer { dialog, gen } => {
                if self.timer_fired(dialog, NO_ANSWER, at, gen) {
                    self.on_no_answer(dialog);
                }
            }
            Timer::Close { dialog, gen } => {
                if self.timer_fired(dialog, CLOSE, at, gen) {
                    self.on_close_due(dialog);
                }
            }
            Timer::AbsenceEnds { agent, gen } => {
                let a = &self.state.agents[agent as usize];
                if a.absence_gen == gen && a.presence.absent {
                    self.on_vacation_ended(agent);
                }
            }
            Timer::Sweep => self.sweep(),
        }
    }

    // ----- lookups -------------------------------------------------------------------------

    fn agent(&mut self, event: &'static str, id: &AgentId) -> Option<u32> {
        let found = self.agent_ix.get(id).copied();
        if found.is_none() {
            self.reject(event, format!("unknown agent `{id}`"));
        }
        found
    }

    fn line(&mut self, event: &'static str, id: &LineId) -> Option<usize> {
        let found = self.line_ix.get(id).map(|&l| l as usize);
        if found.is_none() {
            self.reject(event, format!("unknown line `{id}`"));
        }
        found
    }

    /// The slot of an open dialog, or `None` with a rejection of `event`.
    #[inline]
    fn open_dialog(&mut self, event: &'static str, id: DialogId) -> Option<u32> {
        match self.state.by_id.get(&id).copied() {
            Some(dix) if !self.state.dialogs[dix as usize].phase.is_closed() => Some(dix),
            known => {
                self.reject_dialog(event, id, known.is_some());
                None
            }
        }
    }

    /// Kept out of line: a simulated run sends only events the router accepts, and the
    /// formatting would otherwise weigh on every lookup.
    #[cold]
    #[inline(never)]
    fn reject_dialog(&mut self, event: &'static str, id: DialogId, known: bool) {
        let reason = if known {
            format!("dialog {id} is closed; a new message starts a new dialog")
        } else {
            format!("unknown dialog {id}")
        };
        self.reject(event, reason);
    }

    fn dialog_and_agent(
        &mut self,
        event: &'static str,
        id: DialogId,
        agent: &AgentId,
    ) -> Option<(u32, u32)> {
        let dix = self.open_dialog(event, id)?;
        let a = self.agent(event, agent)?;
        Some((dix, a))
    }

    fn dlg(&self, dix: u32) -> &Dialog {
        &self.state.dialogs[dix as usize]
    }

    fn line_of(&self, dix: u32) -> usize {
        self.state.dialogs[dix as usize].line as usize
    }

    // ----- timers on a dialog ----------------------------------------------------------------

    /// True when a dialog timer that came up is the dialog's current one (see `Agenda::set`).
    fn timer_fired(&mut self, dix: u32, kind: usize, at: Time, gen: u32) -> bool {
        let slot = &mut self.state.dialogs[dix as usize].timers[kind];
        self.agenda.fired(slot, at, gen)
    }

    /// Sets or clears one of a dialog's timers, to fire at the queue agent's next run at or
    /// after `due`.
    fn set_timer(&mut self, dix: u32, kind: usize, due: Option<Time>, make: fn(u32, u32) -> Timer) {
        let period = self.portal.runner_period;
        let now = self.now;
        let d = &mut self.state.dialogs[dix as usize];
        let order = d.id.0;
        let when = due.map(|t| (t.ceil_to(period).max(now), t, order));
        self.agenda
            .set(&mut d.timers[kind], (dix, kind), when, now, |gen| {
                make(dix, gen)
            });
    }

    /// Sets or clears `DATE_QUEUE`.
    fn set_queue_due(&mut self, dix: u32, due: Option<Time>) {
        if !self.parked.is_empty() && self.state.dialogs[dix as usize].parked {
            self.unpark(dix, false);
        }
        let lix = self.line_of(dix);
        let d = &mut self.state.dialogs[dix as usize];
        if let Some(old) = d.queue_due.take() {
            self.state.lines[lix].due.remove(&DueKey::new(old, d.id));
        }
        if let Some(t) = due {
            d.queue_due = Some(t);
            self.state.lines[lix].due.insert(DueKey::new(t, d.id));
        }
        self.set_timer(dix, QUEUE, due, |dialog, gen| Timer::Queue { dialog, gen });
    }

    fn set_no_answer_due(&mut self, dix: u32, due: Option<Time>) {
        self.state.dialogs[dix as usize].no_answer_due = due;
        self.set_timer(dix, NO_ANSWER, due, |dialog, gen| Timer::NoAnswer {
            dialog,
            gen,
        });
    }

    fn set_close_due(&mut self, dix: u32, due: Option<Time>) {
        self.state.dialogs[dix as usize].close_due = due;
        self.set_timer(dix, CLOSE, due, |dialog, gen| Timer::Close { dialog, gen });
    }

    // ----- arrival ---------------------------------------------------------------------------

    /// False, with a rejection, when a dialog with this id exists already.
    fn is_new_dialog(&mut self, event: &'static str, id: DialogId) -> bool {
        let exists = self.state.by_id.contains_key(&id);
        if exists {
            self.reject_existing(event, id);
        }
        !exists
    }

    #[cold]
    #[inline(never)]
    fn reject_existing(&mut self, event: &'static str, id: DialogId) {
        self.reject(event, format!("dialog {id} exists already"));
    }

    /// `Queue::createSession`; a dialog whose id exists already is refused. The id is looked
    /// up once, as the dialog is added.
    fn on_arrived(
        &mut self,
        event: &'static str,
        id: DialogId,
        lix: usize,
        client: Option<ClientId>,
    ) {
        let Some(dix) = self
            .state
            .add_dialog(id, lix as u32, client.clone(), self.now)
        else {
            self.reject_existing(event, id);
            return;
        };

        // Known clients, the welcome bot and working hours are each out of line: many lines
        // have none of them, and their code would lengthen every arrival's.
        let first_contact = client.as_ref().is_none_or(|c| self.first_contact(c));
        let welcomed = self.state.lines[lix].settings.welcome_bot.is_some()
            && self.welcome(dix, lix, first_contact);
        if !welcomed {
            self.enter_queue(dix, Why::NewDialog);
        }
        // `Queue::createSession` assigns the session before the client's first message is
        // added; `AutomaticAction::automaticAddMessage` then runs on that message, so the
        // off-hours notice comes after the offer made at the same instant.
        if self.state.lines[lix].settings.worktime.is_some() {
            self.tell_if_off_hours(dix);
        }
    }

    /// `WorkTime::sendMessage`, run on every client message: the off-hours notice, when the
    /// line counts as closed and the dialog has not been told since an agent last wrote inside
    /// working time (`SEND_NO_WORK_TIME_TEXT`). Sending the text also marks
    /// `SEND_NO_ANSWER_TEXT`, so the no-answer text is not sent after it.
    #[inline(never)]
    fn tell_if_off_hours(&mut self, dix: u32) {
        if self.dlg(dix).off_hours_told {
            return;
        }
        match self.openness(dix) {
            Some(Openness::Open) | None => return,
            Some(_) => {}
        }
        let d = self.dlg(dix);
        let (id, line) = (d.id, d.line);
        let s = &self.state.lines[line as usize].settings;
        let text = (s.off_hours_rule == ReplyRule::Text).then(|| s.off_hours_text.clone());
        let d = &mut self.state.dialogs[dix as usize];
        d.off_hours_told = true;
        d.no_answer_silenced |= text.is_some();
        self.emit(OutKind::OffHours {
            dialog: id,
            line,
            text,
        });
    }

    /// Whether this is the client's first dialog the router has seen.
    #[inline(never)]
    fn first_contact(&mut self, client: &ClientId) -> bool {
        self.seen_clients.insert(client.clone())
    }

    /// The welcome bot takes the dialog, if it joins this one: true then.
    #[inline(never)]
    fn welcome(&mut self, dix: u32, lix: usize, first_contact: bool) -> bool {
        let Some(bot) = self.state.lines[lix].settings.welcome_bot.clone() else {
            return false;
        };
        if bot.join != BotJoin::Always && !first_contact {
            return false;
        }
        let hand_over_at = bot.hand_over_after.map(|ms| self.now.plus(ms));
        self.set_queue_due(dix, hand_over_at);
        self.emit(OutKind::Welcomed {
            dialog: self.dlg(dix).id,
            line: lix as u32,
            hand_over_at,
        });
        true
    }

    /// `WorkTime::checkOperatorWorkTime` for a dialog, or `None` when its line has no working
    /// hours. With availability checks and time tracking on, Bitrix24 asks whether agents are
    /// active instead of reading the hours, and there a paused workday counts as working
    /// (`isOperatorActive(.., ignorePause: true)`), unlike in distribution. A taken dialog that
    /// stays with its agent (`isRemoveSession` false: the agent is active, or the dialog is
    /// pinned, or the agent is the line's only one) asks about that agent alone; any other asks
    /// whether any queue agent is active (`isOperatorsActiveLine(true)`).
    fn openness(&self, dix: u32) -> Option<Openness> {
        let d = self.dlg(dix);
        let lix = d.line as usize;
        let line = &self.state.lines[lix];
        let worktime = line.settings.worktime.as_ref()?;
        if !(line.settings.check_available && self.portal.time_tracking) {
            return Some(worktime.openness(self.now));
        }
        let policy = line.policy.ignoring_pause();
        let active = |a: u32| {
            self.state.agents[a as usize]
                .presence
                .check(&policy, self.now)
                .is_ok()
        };
        let anyone = || line.queue.iter().any(|&a| active(a));
        let working = match d.phase.holder() {
            Some(h) if d.phase.status() >= 10 => {
                let holder_active = active(h);
                if holder_active || d.pinned || self.is_single(lix, h) {
                    holder_active
                } else {
                    anyone()
                }
            }
            _ => anyone(),
        };
        Some(if working {
            Openness::Open
        } else {
            Openness::OutsideHours
        })
    }

    /// The human queue part of `createSession`: CRM forward, first-in-first-out, then the mode.
    fn enter_queue(&mut self, dix: u32, cause: Why) {
        let lix = self.line_of(dix);
        let no_answer = self.now.plus(self.state.lines[lix].settings.no_answer_time);
        self.set_no_answer_due(dix, Some(no_answer));

        let mut crm_candidate = None;
        if let Some(r) = self.crm_responsible(dix) {
            let line = &self.state.lines[lix];
            let check = self.state.agents[r as usize]
                .presence
                .check(&line.policy, self.now);
            let position = line.position[r as usize];
            match check {
                Ok(()) => {
                    // The responsible person takes it with no slot check and no queue timeout.
                    self.state.dialogs[dix as usize].from_crm = true;
                    self.state.dialogs[dix as usize].tried.push(r);
                    self.state.set_phase(dix, Phase::Offered(r));
                    self.set_queue_due(dix, None);
                    let decision = self.explained(Method::CrmForward, &[r], || {
                        let agent = self.agent_id(r);
                        let summary = format!("`{agent}`: the client's responsible agent in CRM");
                        let candidate = Candidate {
                            agent,
                            position,
                            verdict: Verdict::Chosen,
                            why: "responsible for this client in CRM and active (no limit or queue timeout applies)".to_string(),
                        };
                        (vec![candidate], summary)
                    });
                    self.emit(OutKind::Offered {
                        dialog: self.dlg(dix).id,
                        line: lix as u32,
                        to: To::One(r),
                        cause,
                        deadline: None,
                        decision,
                    });
                    return;
                }
                Err(skip) => crm_candidate = Some((r, position, skip)),
            }
        }

        let waiting = self.state.lines[lix].waiting.len();
        if waiting > 0 {
            // Newcomers never overtake dialogs already waiting: queue behind them.
            self.state.set_phase(dix, Phase::Queued);
            self.set_queue_due(dix, Some(self.now));
            let mode = self.state.lines[lix].settings.mode;
            let decision = self.explained(Method::Fifo, &[], || {
                (Vec::new(), format!("{waiting} older dialog(s) wait undistributed: this one queues behind them ({} mode)", mode.as_str()))
            });
            self.emit(OutKind::Undistributed {
                dialog: self.dlg(dix).id,
                line: lix as u32,
                cause,
                retry_at: self.now,
                decision,
            });
            return;
        }
        let mut pick = self.pick(lix, Some(dix));
        if let (Some((r, position, skip)), Explained::Full(decision)) =
            (crm_candidate, &mut pick.decision)
        {
            let why = format!(
                "responsible for this client in CRM, but {}",
                skip.describe(self.now)
            );
            decision.summary = format!(
                "{}; CRM responsible `{}` skipped: {}",
                decision.summary,
                self.agent_id(r),
                skip.describe(self.now)
            );
            decision.candidates.insert(
                0,
                Candidate {
                    agent: self.agent_id(r),
                    position,
                    verdict: Verdict::Skipped { reason: skip },
                    why,
                },
            );
        }
        self.apply_pick(dix, pick, cause);
    }

    fn crm_responsible(&self, dix: u32) -> Option<u32> {
        let d = self.dlg(dix);
        let s = &self.state.lines[d.line as usize].settings;
        if !(s.crm && s.crm_forward) {
            return None;
        }
        self.responsible.get(d.client.as_ref()?).copied()
    }

    /// Puts a pick into effect: offer to the chosen agent(s) or leave the dialog undistributed.
    ///
    /// `QUEUE_HISTORY` is written as `Queue::transferToNext` writes it: only when the session's
    /// `OPERATOR_ID` changes (the holder; none while undistributed or offered to all), and
    /// then to what the mode's `getOperatorsQueue` returned.
    fn apply_pick(&mut self, dix: u32, pick: Pick, cause: Why) {
        let lix = self.line_of(dix);
        let id = self.dlg(dix).id;
        let holder = self.dlg(dix).phase.holder();
        self.state.dialogs[dix as usize].return_reason = None;
        match pick.chosen {
            Chosen::One(a) => {
                if holder != Some(a) {
                    if pick.wrapped {
                        self.state.dialogs[dix as usize].tried.clear();
                    }
                    // `Queue\Evenly::getOperatorsQueue` (current revision) puts every
                    // available operator in the history, not only the chosen one; only a
                    // later switch to `strictly` reads it.
                    if self.state.lines[lix].settings.mode == Mode::Evenly {
                        self.state
                            .add_available_to_history(lix, dix, holder, self.now);
                    }
                    let d = &mut self.state.dialogs[dix as usize];
                    if !d.tried.contains(&a) {
                        d.tried.push(a);
                    }
                }
                self.offer(dix, To::One(a), cause, pick.decision);
                // Stamped after the offer: an agent the offer brought to the limit has left
                // the ready index, and its stamp is then set without moving it there.
                if self.state.lines[lix].settings.mode == Mode::Evenly {
                    self.stamp_seq += 1;
                    let stamp = Some((self.now, self.stamp_seq));
                    self.state.lines[lix].stamp_agent(a, stamp);
                }
            }
            Chosen::All(all) => {
                // `getAllOperatorsQueue`: the history is the available operators, written
                // only when an operator held the dialog (`OPERATOR_ID` becomes 0).
                if holder.is_some() {
                    self.state.dialogs[dix as usize].tried.clone_from(&all);
                }
                self.offer(dix, To::All(all), cause, pick.decision);
            }
            Chosen::Nobody => {
                // A failed pick returns an empty history, written when an operator held it.
                if holder.is_some() {
                    self.state.dialogs[dix as usize].tried.clear();
                }
                self.state.set_phase(dix, Phase::Queued);
                let d = &mut self.state.dialogs[dix as usize];
                d.nobody_epoch = self.state.epoch;
                d.nobody_at = self.now;
                let retry_at = self.now.plus(self.state.lines[lix].retry_interval());
                self.set_queue_due(dix, Some(retry_at));
                self.emit(OutKind::Undistributed {
                    dialog: id,
                    line: lix as u32,
                    cause,
                    retry_at,
                    decision: pick.decision,
                });
            }
        }
    }

    /// Offers a dialog (to one agent, or to several in mode `all`) until the line's offer time.
    fn offer(&mut self, dix: u32, to: To, cause: Why, decision: Explained) {
        let lix = self.line_of(dix);
        let phase = match &to {
            To::One(a) => Phase::Offered(*a),
            To::All(all) => {
                self.state.dialogs[dix as usize].offered_all.clone_from(all);
                Phase::OfferedAll
            }
        };
        self.state.set_phase(dix, phase);
        let deadline = self.now.plus(self.state.lines[lix].offer_time());
        self.set_queue_due(dix, Some(deadline));
        self.emit(OutKind::Offered {
            dialog: self.dlg(dix).id,
            line: lix as u32,
            to,
            cause,
            deadline: Some(deadline),
            decision,
        });
    }

    // ----- the queue agent -------------------------------------------------------------------

    /// The queue agent reached this dialog's `DATE_QUEUE` (`transferToNext`).
    fn process_due(&mut self, dix: u32) {
        let d = self.dlg(dix);
        match d.phase {
            Phase::WithBot => self.enter_queue(dix, Why::BotHandOver),
            // `Queue::transferToNextSession` takes each due session in `DATE_QUEUE` order and
            // tries that session alone: first-in-first-out holds where dialogs share a due
            // time (a newcomer behind waiting ones is due at once; a freed slot or a returning
            // agent makes every waiting dialog due at once, and ties go by dialog id), not
            // where an older dialog's retry is later than a newer one's.
            Phase::Queued => {
                if d.parked {
                    // Its wake-up: the retries counted so far end before this one.
                    self.unpark(dix, false);
                }
                if let Some(quiet) = self.finds_nobody_again(dix) {
                    self.park(dix, quiet);
                    return;
                }
                let pick = self.pick(self.line_of(dix), Some(dix));
                self.apply_pick(dix, pick, Why::Retry);
            }
            Phase::Offered(a) => {
                let cause = match d.return_reason {
                    Some(reason) => Why::Returned(reason),
                    None => Why::NotTaken(To::One(a)),
                };
                let pick = self.pick(self.line_of(dix), Some(dix));
                self.apply_pick(dix, pick, cause);
            }
            Phase::OfferedAll => {
                let cause = match d.return_reason {
                    Some(reason) => Why::Returned(reason),
                    None => Why::NotTaken(To::All(d.offered_all.clone())),
                };
                let pick = self.pick(self.line_of(dix), Some(dix));
                self.apply_pick(dix, pick, cause);
            }
            Phase::Answered(_)
            | Phase::WaitingForClient(_)
            | Phase::ClientReplied(_)
            | Phase::Closing(_) => {
                let reason = d.return_reason.unwrap_or(ReturnReason::Rebalance);
                let pick = self.pick(self.line_of(dix), Some(dix));
                self.apply_pick(dix, pick, Why::Returned(reason));
            }
            Phase::Closed(_) => self.set_queue_due(dix, None),
        }
    }

    // ----- retries that change nothing -----------------------------------------------------
    //
    // An undistributed dialog is retried every `retry_interval` (at the queue agent's runs)
    // for as long as it waits, and a wait can be long: a line nobody staffs over a holiday, a
    // simulation jumped ten years ahead. A retry finds nobody again when nothing that a pick
    // reads has changed since the last pick that found nobody (the state's epoch counts every
    // phase, presence, queue and stamp change, and every event) and time alone has not changed
    // an answer (an agent who was online has not gone offline since). Such retries are counted
    // instead of made: the dialog is *parked*, its retries fall on a known grid of instants,
    // and when anything changes (an event, a timer that changes the state, a read of the
    // line's `DATE_QUEUE` order, the end of a call) the ones before that point in the agenda's
    // order are reported as one `retried` action and the dialog waits for the next one. Output
    // and work are then bounded by what changes, not by how much time passes.

    /// When a retry now would find nobody, for the same reasons as the last pick did: the
    /// instant until which that holds (see `quiet_after`).
    fn finds_nobody_again(&self, dix: u32) -> Option<Time> {
        let d = self.dlg(dix);
        if !self.counting || d.nobody_epoch != self.state.epoch {
            return None;
        }
        let quiet = self.quiet_after(self.line_of(dix), d.nobody_at);
        (self.now < quiet).then_some(quiet)
    }

    /// The first instant after `since` at which time alone can change what a pick on the line
    /// finds: an agent in the ready index (not kept from work by anything but time) who was
    /// online then goes offline, or one on a dated vacation comes back.
    fn quiet_after(&self, lix: usize, since: Time) -> Time {
        let line = &self.state.lines[lix];
        let window = line.policy.online_window;
        let mut quiet = Time(i64::MAX);
        for key in line.ready.iter() {
            let p = &self.state.agents[key.agent() as usize].presence;
            if p.online(since, window) {
                if let Some(t) = p.last_activity {
                    quiet = quiet.min(t.plus(window));
                }
            }
            if p.on_vacation(since) {
                if let Some(until) = p.absent_until {
                    quiet = quiet.min(until);
                }
            }
        }
        quiet
    }

    /// Starts counting a dialog's retries instead of making them, from this one (which has
    /// come up now and finds nobody again). It wakes at its first retry on or after `quiet`,
    /// the instant time alone could change the answer, if there is one.
    fn park(&mut self, dix: u32, quiet: Time) {
        let lix = self.line_of(dix);
        let interval = self.state.lines[lix].retry_interval();
        let period = self.portal.runner_period;
        // The next retry as `apply_pick` would set it, and the grid after it: from a run of the
        // queue agent, each next run is the interval rounded up to whole periods later.
        let next_due = self.now.plus(interval);
        let next = next_due.ceil_to(period).max(self.now);
        // The interval rounded up to whole periods, as `ceil_to` rounds an instant.
        let stride = Time(interval).ceil_to(period).0;
        if stride <= 0 {
            let pick = self.pick(lix, Some(dix));
            self.apply_pick(dix, pick, Why::Retry);
            return;
        }
        let park = Park {
            dix,
            next,
            next_due,
            stride,
            interval,
            count: 1,
            first: self.now,
            last: self.now,
        };
        // Its timer: the wake-up, or none. `DATE_QUEUE` stays set either way: the dialog is
        // still in the queue agent's loop (the daily pass reads that).
        let wake = (quiet < Time::LATEST).then(|| park.point_at_or_after(quiet));
        self.set_queue_due(dix, Some(wake.map_or(next_due, |(_, due)| due)));
        if wake.is_none() {
            self.set_timer(dix, QUEUE, None, |dialog, gen| Timer::Queue { dialog, gen });
        }
        self.state.dialogs[dix as usize].parked = true;
        self.parked.push(park);
        self.parked_epoch = self.state.epoch;
    }

    /// Ends a parked dialog's count at the cursor: its retries before it are reported, and
    /// with `rearm` it waits for the next one.
    fn unpark(&mut self, dix: u32, rearm: bool) {
        if let Some(i) = self.parked.iter().position(|p| p.dix == dix) {
            let park = self.parked.remove(i);
            self.finish_park(park, rearm);
        }
    }

    /// Ends every count, in dialog order. Inlined, as there is rarely any.
    #[inline]
    pub(super) fn unpark_all(&mut self) {
        if !self.parked.is_empty() {
            self.unpark_every();
        }
    }

    #[cold]
    #[inline(never)]
    fn unpark_every(&mut self) {
        let mut parked = std::mem::take(&mut self.parked);
        parked.sort_by_key(|p| self.state.dialogs[p.dix as usize].id);
        for park in parked.drain(..) {
            self.finish_park(park, true);
        }
        // The buffer is kept for the next time.
        self.parked = parked;
    }

    fn finish_park(&mut self, mut park: Park, rearm: bool) {
        let dix = park.dix;
        self.state.dialogs[dix as usize].parked = false;
        let id = self.dlg(dix).id;
        // The grid's retries that come before the cursor in the agenda's order.
        let (first_left, left_due) = park.point_at_or_after(self.cursor.fire);
        let mut before = park.index_of(first_left);
        if first_left == self.cursor.fire && (left_due, id.0) < (self.cursor.due, self.cursor.order)
        {
            before += 1;
        }
        if before > 0 {
            park.count = park.count.saturating_add(before);
            park.last = park.point(before - 1).0;
        }
        self.emit(OutKind::Retried {
            dialog: id,
            line: self.dlg(dix).line,
            count: park.count,
            first: park.first,
            last: park.last,
        });
        if rearm {
            let (_, due) = park.point(before);
            self.set_queue_due(dix, Some(due));
        }
    }

    /// Marks a dialog due at once with a return reason (`DATE_QUEUE = now`).
    fn requeue(&mut self, dix: u32, reason: ReturnReason) {
        let d = self.dlg(dix);
        if d.phase == Phase::Queued {
            self.set_queue_due(dix, Some(self.now));
            return;
        }
        let notice = d.phase.status() >= 10;
        let from = d.phase.holder();
        let (id, line) = (d.id, d.line);
        self.state.dialogs[dix as usize].return_reason = Some(reason);
        self.set_queue_due(dix, Some(self.now));
        self.emit(OutKind::Requeued {
            dialog: id,
            line,
            from,
            reason,
            due: self.now,
            notice,
        });
    }

    /// Distributes up to `n` of the line's due dialogs right away, in `DATE_QUEUE` order.
    fn distribute_now(&mut self, lix: usize, n: usize) {
        // `DATE_QUEUE` order is read: every waiting dialog's must be as it is now.
        self.unpark_all();
        for _ in 0..n {
            let next = self.state.lines[lix].due.first();
            match next {
                Some(key) if key.due() <= self.now => {
                    // The key holds the dialog's id, which breaks ties as `SESSION_ID` does;
                    // its slot is looked up.
                    let dix = self.state.by_id[&key.dialog()];
                    self.process_due(dix);
                }
                _ => return,
            }
        }
    }

    /// A slot freed on the line (a dialog finished, was skipped, marked spam or transferred):
    /// undistributed dialogs are re-queued, and in `evenly` and `strictly` one is distributed now.
    fn slot_freed(&mut self, lix: usize) {
        self.requeue_waiting(lix, FREED_REQUEUE);
        if self.state.lines[lix].settings.mode != Mode::All {
            self.distribute_now(lix, 1);
        }
    }

    /// Makes up to `most` of the line's undistributed dialogs, oldest first, due now.
    fn requeue_waiting(&mut self, lix: usize, most: usize) {
        // Listed first, as setting a deadline needs the whole router while the queue is
        // borrowed; into a buffer kept for the next time, since a slot frees with every dialog
        // that ends.
        let mut waiting = std::mem::take(&mut self.scratch);
        waiting.extend(self.state.lines[lix].waiting_dialogs().take(most));
        for &dix in &waiting {
            self.set_queue_due(dix, Some(self.now));
        }
        waiting.clear();
        self.scratch = waiting;
    }

    /// Dialogs on the line not yet taken (status < 10), not from CRM and not with the bot.
    fn not_accepted(&self, lix: usize) -> Vec<u32> {
        self.state
            .open_on(lix)
            .into_iter()
            .filter(|&dix| {
                let d = self.dlg(dix);
                matches!(
                    d.phase,
                    Phase::Queued | Phase::Offered(_) | Phase::OfferedAll
                ) && !d.from_crm
            })
            .collect()
    }

    /// Free slots on the line among its active queue agents, other than `except`.
    fn line_free_slots(&self, lix: usize, except: u32) -> u64 {
        let line = &self.state.lines[lix];
        let policy = line.policy;
        line.queue
            .iter()
            .filter(|&&a| a != except)
            .filter(|&&a| {
                self.state.agents[a as usize]
                    .presence
                    .check(&policy, self.now)
                    .is_ok()
            })
            .map(|&a| {
                let global =
                    super::state::GLOBAL_CAP.saturating_sub(self.state.agents[a as usize].open);
                let local = line.limit().saturating_sub(line.held_counted(a));
                u64::from(global.min(local))
            })
            .sum()
    }

    fn is_single(&self, lix: usize, agent: u32) -> bool {
        self.state.lines[lix].queue == [agent]
    }

    // ----- agents leaving and returning ------------------------------------------------------

    /// Workday end or pause, Open Channels pause, vacation start: the agent's dialogs not yet
    /// replied to (status < 40, not pinned) go back to the queue on every line that checks
    /// availability, unless the agent is the line's only one.
    fn agent_leaves(&mut self, agent: u32, reason: ReturnReason) {
        for lix in 0..self.state.lines.len() {
            let line = &self.state.lines[lix];
            if !line.settings.check_available || self.is_single(lix, agent) {
                continue;
            }
            let mut mine = self.state.held_on(agent, lix);
            mine.retain(|&dix| {
                let d = self.dlg(dix);
                d.phase.status() < 40 && !d.pinned && !d.from_crm
            });
            self.withdraw_offers(lix, agent, reason);
            if mine.is_empty() {
                continue;
            }
            let overflow = mine.len() as u64 > self.line_free_slots(lix, agent);
            for &dix in &mine {
                self.requeue(dix, reason);
            }
            if overflow {
                for dix in self.not_accepted(lix) {
                    if !mine.contains(&dix) {
                        self.requeue(dix, ReturnReason::Rebalance);
                    }
                }
            }
        }
    }

    /// Workday start, pause end, vacation end, or added to a queue (`returnUserToQueue`).
    /// `only_checked`: for presence events, only lines that check availability react.
    fn agent_returns(&mut self, agent: u32, only_line: Option<usize>, only_checked: bool) {
        for lix in 0..self.state.lines.len() {
            if only_line.is_some_and(|l| l != lix)
                || self.state.lines[lix].position[agent as usize] == 0
            {
                continue;
            }
            let line = &self.state.lines[lix];
            if only_checked && !line.settings.check_available {
                continue;
            }
            let waiting: Vec<u32> = line.waiting_dialogs().collect();
            match line.settings.mode {
                Mode::Evenly => {
                    let free = line.limit().saturating_sub(line.held_counted(agent));
                    if waiting.len() as u64 <= u64::from(free) {
                        for dix in waiting {
                            self.set_queue_due(dix, Some(self.now));
                        }
                    } else {
                        for dix in self.not_accepted(lix) {
                            self.requeue(dix, ReturnReason::Rebalance);
                        }
                    }
                }
                Mode::Strictly => {
                    for dix in waiting {
                        self.set_queue_due(dix, Some(self.now));
                    }
                }
                Mode::All => {
                    for dix in self.not_accepted(lix) {
                        self.requeue(dix, ReturnReason::Rebalance);
                    }
                }
            }
            self.distribute_now(lix, RETURN_BATCH);
        }
    }

    fn on_workday(&mut self, agent: u32, state: Workday) {
        let old = self.state.agents[agent as usize].presence.workday;
        self.state.agents[agent as usize].presence.workday = state;
        self.state.refresh_everywhere(agent);
        if !self.portal.time_tracking || old == state {
            return;
        }
        let working = |w: Workday| matches!(w, Workday::Untracked | Workday::Opened);
        match (working(old), working(state)) {
            (true, false) => self.agent_leaves(agent, ReturnReason::Nonworking),
            (false, true) => self.agent_returns(agent, None, true),
            _ => {}
        }
    }

    fn on_vacation_started(&mut self, event: &'static str, agent: u32, until: Option<Time>) {
        if until.is_some_and(|u| u <= self.now) {
            self.reject(
                event,
                format!(
                    "the vacation ends at {}, not after the event",
                    until.unwrap_or_default()
                ),
            );
            return;
        }
        let a = &mut self.state.agents[agent as usize];
        a.presence.absent = true;
        a.presence.absent_until = until;
        a.absence_gen += 1;
        let gen = a.absence_gen;
        self.state.refresh_everywhere(agent);
        if let Some(u) = until {
            self.agenda
                .schedule(u, u, 0, Timer::AbsenceEnds { agent, gen });
        }
        self.agent_leaves(agent, ReturnReason::Vacation);
    }

    #[inline(never)]
    fn on_vacation_ended(&mut self, agent: u32) {
        let a = &mut self.state.agents[agent as usize];
        if !a.presence.absent {
            return;
        }
        a.presence.absent = false;
        a.presence.absent_until = None;
        a.absence_gen += 1;
        self.state.refresh_everywhere(agent);
        self.agent_returns(agent, None, true);
    }

    /// A dismissed agent leaves every queue and every dialog.
    fn on_dismissed(&mut self, agent: u32) {
        if self.state.agents[agent as usize].presence.dismissed {
            return;
        }
        self.state.agents[agent as usize].presence.dismissed = true;
        self.state.refresh_everywhere(agent);
        for lix in 0..self.state.lines.len() {
            let holds = !self.state.held_on(agent, lix).is_empty();
            if holds || self.state.lines[lix].position[agent as usize] != 0 {
                self.remove_from_queue(lix, agent, ReturnReason::Dismissal);
            }
        }
    }

    /// Removal from a queue: all of the agent's dialogs on the line return now; one in closing
    /// mode returns 180 s after its close time, if it is still not closed by then.
    fn remove_from_queue(&mut self, lix: usize, agent: u32, reason: ReturnReason) {
        let line = &mut self.state.lines[lix];
        line.queue.retain(|&a| a != agent);
        line.stamp[agent as usize] = None;
        self.state.reindex(lix);
        let mine = self.state.held_on(agent, lix);
        let overflow = mine.len() as u64 > self.line_free_slots(lix, agent);
        for &dix in &mine {
            match (self.dlg(dix).phase, self.dlg(dix).close_due) {
                (Phase::Closing(_), Some(close)) => {
                    self.state.dialogs[dix as usize].return_reason = Some(reason);
                    self.set_queue_due(dix, Some(close.plus(CLOSING_GRACE)));
                }
                _ => self.requeue(dix, reason),
            }
        }
        if overflow {
            for dix in self.not_accepted(lix) {
                if !mine.contains(&dix) {
                    self.requeue(dix, ReturnReason::Rebalance);
                }
            }
        }
        self.withdraw_offers(lix, agent, reason);
    }

    /// Mode `all`: the agent drops out of standing offers on the line; an offer left with
    /// nobody goes back to the queue.
    fn withdraw_offers(&mut self, lix: usize, agent: u32, reason: ReturnReason) {
        let offers: Vec<u32> = self
            .state
            .open_on(lix)
            .into_iter()
            .filter(|&d| self.is_offered_all_to(d, agent))
            .collect();
        for dix in offers {
            let all = &mut self.state.dialogs[dix as usize].offered_all;
            all.retain(|&a| a != agent);
            if all.is_empty() {
                self.requeue(dix, reason);
            }
        }
    }

    /// Mode `all`: the dialog stands offered to `agent` among others.
    fn is_offered_all_to(&self, dix: u32, agent: u32) -> bool {
        let d = self.dlg(dix);
        d.phase == Phase::OfferedAll && d.offered_all.contains(&agent)
    }

    fn on_queue_added(&mut self, event: &'static str, lix: usize, agent: u32) {
        if self.state.agents[agent as usize].presence.dismissed {
            self.reject(
                event,
                format!("agent `{}` is dismissed", self.agent_id(agent)),
            );
            return;
        }
        if self.state.lines[lix].position[agent as usize] != 0 {
            self.reject(
                event,
                format!("agent `{}` is in the queue already", self.agent_id(agent)),
            );
            return;
        }
        let former_single = match self.state.lines[lix].queue.as_slice() {
            [only] => Some(*only),
            _ => None,
        };
        let line = &mut self.state.lines[lix];
        line.queue.push(agent);
        self.state.reindex(lix);
        // The former single agent's untaken dialogs move if that agent is not active.
        if let Some(s) = former_single {
            let policy = self.state.lines[lix].policy;
            if self.state.agents[s as usize]
                .presence
                .check(&policy, self.now)
                .is_err()
            {
                let mut untaken = self.state.held_on(s, lix);
                untaken.retain(|&d| self.dlg(d).phase.status() < 10);
                for dix in untaken {
                    self.requeue(dix, ReturnReason::Rebalance);
                }
            }
        }
        self.agent_returns(agent, Some(lix), false);
    }

    fn on_mode_changed(&mut self, lix: usize, mode: Mode) {
        if self.state.lines[lix].settings.mode == mode {
            return;
        }
        self.state.lines[lix].settings.mode = mode;
        self.state.reindex(lix);
        for dix in self.not_accepted(lix) {
            self.requeue(dix, ReturnReason::ModeChanged);
        }
    }

    // ----- the dialog's own life -------------------------------------------------------------

    fn on_accepted(&mut self, event: &'static str, dix: u32, agent: u32, quiet: bool) -> bool {
        let lix = self.line_of(dix);
        let id = self.dlg(dix).id;
        match self.dlg(dix).phase {
            Phase::Offered(a) if a == agent => {
                self.state.set_phase(dix, Phase::Answered(agent));
                self.state.dialogs[dix as usize].return_reason = None;
                self.set_queue_due(dix, None);
                self.emit(OutKind::Accepted {
                    dialog: id,
                    agent,
                    withdrawn_from: Vec::new(),
                });
                true
            }
            Phase::OfferedAll if self.is_offered_all_to(dix, agent) => {
                self.state.set_phase(dix, Phase::Answered(agent));
                self.state.dialogs[dix as usize].return_reason = None;
                self.set_queue_due(dix, None);
                let withdrawn_from = self
                    .dlg(dix)
                    .offered_all
                    .iter()
                    .copied()
                    .filter(|&a| a != agent)
                    .collect();
                self.emit(OutKind::Accepted {
                    dialog: id,
                    agent,
                    withdrawn_from,
                });
                // Taking a chat in mode `all` re-queues the undistributed ones.
                self.requeue_waiting(lix, usize::MAX);
                true
            }
            _ => {
                if !quiet {
                    self.reject_acceptance(event, dix, agent);
                }
                false
            }
        }
    }

    /// Out of line, as the other refusals of the dialog's own life: the formatting would
    /// otherwise weigh on every acceptance and reply.
    #[cold]
    #[inline(never)]
    fn reject_acceptance(&mut self, event: &'static str, dix: u32, agent: u32) {
        let d = self.dlg(dix);
        let (id, phase) = (d.id, d.phase);
        let who = self.agent_id(agent);
        let reason = match phase.holder() {
            Some(h) if h == agent => format!("dialog {id} is already taken by `{who}`"),
            Some(h) => format!(
                "dialog {id} is with `{}`, not offered to `{who}`",
                self.agent_id(h)
            ),
            None => format!("dialog {id} is {}, not offered to `{who}`", phase.name()),
        };
        self.reject(event, reason);
    }

    fn on_replied(&mut self, event: &'static str, dix: u32, agent: u32) {
        let taken_now = self.on_accepted(event, dix, agent, true);
        let d = self.dlg(dix);
        let before = d.phase.status();
        let holder_ok = d.phase.holder() == Some(agent)
            && matches!(
                d.phase,
                Phase::Answered(_) | Phase::WaitingForClient(_) | Phase::ClientReplied(_)
            );
        if !holder_ok {
            self.reject_reply(event, dix, agent);
            return;
        }
        let before = if taken_now { 0 } else { before };
        let lix = self.line_of(dix);
        self.state.set_phase(dix, Phase::WaitingForClient(agent));
        let d = &mut self.state.dialogs[dix as usize];
        d.replied = true;
        d.last_message_at = self.now;
        if d.off_hours_told {
            self.clear_off_hours_told(dix);
        }
        self.set_no_answer_due(dix, None);
        let auto_close = self
            .now
            .plus(self.state.lines[lix].settings.auto_close_time);
        if !self.dlg(dix).pinned {
            self.set_close_due(dix, Some(auto_close));
        }
        // With a limit, the reply frees a slot: on the first reply for `answered` and
        // `answered_new`, and on every reply after a client message for `answered`.
        let s = &self.state.lines[lix].settings;
        let frees = s.max_chat > 0
            && ((before < 25
                && matches!(
                    s.type_max_chat,
                    MaxChatType::Answered | MaxChatType::AnsweredNew
                ))
                || (before == 25 && s.type_max_chat == MaxChatType::Answered));
        if frees {
            self.slot_freed(lix);
        }
    }

    /// `WorkTime::automaticSendMessage`: an agent writing inside working time lets the next
    /// client message outside it be told again.
    #[inline(never)]
    fn clear_off_hours_told(&mut self, dix: u32) {
        if self.openness(dix) == Some(Openness::Open) {
            self.state.dialogs[dix as usize].off_hours_told = false;
        }
    }

    #[cold]
    #[inline(never)]
    fn reject_reply(&mut self, event: &'static str, dix: u32, agent: u32) {
        let d = self.dlg(dix);
        let reason = match d.phase.holder() {
            Some(h) => format!(
                "dialog {} is with `{}`, not `{}`",
                d.id,
                self.agent_id(h),
                self.agent_id(agent)
            ),
            None => format!(
                "dialog {} is {}, not offered to `{}`",
                d.id,
                d.phase.name(),
                self.agent_id(agent)
            ),
        };
        self.reject(event, reason);
    }

    fn on_client_message(&mut self, dix: u32) {
        self.state.dialogs[dix as usize].last_message_at = self.now;
        // The automatic actions run on the message before the session's status changes.
        if self.state.lines[self.line_of(dix)]
            .settings
            .worktime
            .is_some()
        {
            self.tell_if_off_hours(dix);
        }
        match self.dlg(dix).phase {
            Phase::WaitingForClient(a) => {
                self.state.set_phase(dix, Phase::ClientReplied(a));
                if !self.dlg(dix).pinned {
                    self.set_close_due(dix, None);
                }
            }
            Phase::Closing(Some(a)) => {
                // A client writing into a closing dialog reopens it.
                self.state.set_phase(dix, Phase::ClientReplied(a));
                self.set_close_due(dix, None);
            }
            _ => {}
        }
        // "Always monitor availability": an accepted dialog of an agent who is no longer active
        // (a time-management pause does not count) goes back to the queue.
        let d = self.dlg(dix);
        let lix = d.line as usize;
        let Some(h) = d.phase.holder() else { return };
        if d.phase.status() < 10 || d.pinned || self.is_single(lix, h) {
            return;
        }
        let policy = self.state.lines[lix].policy.ignoring_pause();
        if let Err(skip) = self.state.agents[h as usize]
            .presence
            .check(&policy, self.now)
        {
            let reason = match skip {
                Skip::Dismissed => ReturnReason::Dismissal,
                Skip::OnVacation { .. } => ReturnReason::Vacation,
                Skip::Offline { .. } => ReturnReason::Offline,
                _ => ReturnReason::Nonworking,
            };
            self.requeue(dix, reason);
            self.distribute_now(lix, RETURN_BATCH);
        }
    }

    fn on_skipped(&mut self, event: &'static str, dix: u32, agent: u32) {
        let d = self.dlg(dix);
        let id = d.id;
        let lix = d.line as usize;
        if self.is_offered_all_to(dix, agent) {
            let why =
                "in mode `all` the dialog is offered to everyone: there is nobody to pass it to"
                    .to_string();
            self.emit(OutKind::SkipRefused {
                dialog: id,
                agent,
                why,
            });
            return;
        }
        if d.phase.holder() != Some(agent) || d.phase.status() >= 50 {
            let reason = format!("dialog {id} is not with `{}`", self.agent_id(agent));
            self.reject(event, reason);
            return;
        }
        let pick = self.pick(lix, Some(dix));
        match pick.chosen {
            Chosen::One(a) if a != agent => {
                self.apply_pick(dix, pick, Why::Skipped(agent));
                self.slot_freed(lix);
            }
            _ => {
                // Nobody else (or only the agent again): the skip is refused and nothing changes.
                let why = match &pick.decision {
                    Explained::Full(d) if !d.summary.is_empty() => {
                        format!("nobody else is available ({})", d.summary)
                    }
                    _ => "nobody else is available".to_string(),
                };
                self.emit(OutKind::SkipRefused {
                    dialog: id,
                    agent,
                    why,
                });
            }
        }
    }

    fn on_transferred(&mut self, event: &'static str, dix: u32, to: u32) {
        if self.state.agents[to as usize].presence.dismissed {
            self.reject(event, format!("agent `{}` is dismissed", self.agent_id(to)));
            return;
        }
        let d = self.dlg(dix);
        let lix = d.line as usize;
        let from = d.phase.holder();
        if from == Some(to) {
            self.reject(
                event,
                format!("dialog {} is with `{}` already", d.id, self.agent_id(to)),
            );
            return;
        }
        let d = &mut self.state.dialogs[dix as usize];
        d.from_crm = false;
        d.return_reason = None;
        if !d.tried.contains(&to) {
            d.tried.push(to);
        }
        self.set_close_due(dix, None);
        let method = method_of(self.state.lines[lix].settings.mode);
        let decision = self.explained(method, &[to], || {
            (
                Vec::new(),
                format!("`{}`: transferred by hand", self.agent_id(to)),
            )
        });
        let cause = Why::Transferred(from);
        self.offer(dix, To::One(to), cause, decision);
        self.slot_freed(lix);
    }

    fn on_closed(&mut self, dix: u32) {
        let lix = self.line_of(dix);
        let full = self.state.lines[lix].settings.full_close_time;
        if full == 0 {
            self.finish(dix, CloseKind::ByAgent, None);
            return;
        }
        let holder = self.dlg(dix).phase.holder();
        self.state.set_phase(dix, Phase::Closing(holder));
        self.set_queue_due(dix, None);
        self.set_no_answer_due(dix, None);
        let full_close_at = self.now.plus(full);
        self.set_close_due(dix, Some(full_close_at));
        self.emit(OutKind::Closing {
            dialog: self.dlg(dix).id,
            agent: holder,
            full_close_at,
        });
        self.slot_freed(lix);
    }

    /// Closes a dialog for good; a held dialog frees a slot.
    fn finish(&mut self, dix: u32, how: CloseKind, text: Option<String>) {
        let lix = self.line_of(dix);
        let held = self.dlg(dix).phase.holder().is_some() && self.dlg(dix).phase.status() < 50;
        self.state.set_phase(dix, Phase::Closed(how));
        self.set_queue_due(dix, None);
        self.set_no_answer_due(dix, None);
        self.set_close_due(dix, None);
        let id = self.dlg(dix).id;
        self.emit(OutKind::Closed {
            dialog: id,
            how,
            text,
        });
        if held {
            self.slot_freed(lix);
        }
    }

    fn on_pinned(&mut self, dix: u32, pinned: bool) {
        self.state.dialogs[dix as usize].pinned = pinned;
        if pinned {
            // Pinning clears DATE_QUEUE and sets DATE_CLOSE a week ahead.
            self.state.dialogs[dix as usize].return_reason = None;
            self.set_queue_due(dix, None);
            self.set_close_due(dix, Some(self.now.plus(IDLE_CLOSE)));
        } else if let Phase::WaitingForClient(_) = self.dlg(dix).phase {
            let lix = self.line_of(dix);
            self.set_close_due(
                dix,
                Some(
                    self.now
                        .plus(self.state.lines[lix].settings.auto_close_time),
                ),
            );
        } else {
            self.set_close_due(dix, None);
        }
    }

    #[inline(never)]
    fn on_no_answer(&mut self, dix: u32) {
        let d = self.dlg(dix);
        if d.replied || d.phase.is_closed() {
            return;
        }
        let lix = d.line as usize;
        let (id, line) = (d.id, d.line);
        let s = &self.state.lines[lix].settings;
        let rule = s.no_answer_rule;
        let text =
            (rule == NoAnswerRule::Text && !d.no_answer_silenced).then(|| s.no_answer_text.clone());
        let again = s.no_answer_time;
        self.emit(OutKind::NoAnswer {
            dialog: id,
            line,
            rule,
            text,
        });
        if rule == NoAnswerRule::Queue {
            // "The enquiry keeps moving in circles in the queue until an agent responds."
            if self.dlg(dix).phase.holder().is_some() {
                self.requeue(dix, ReturnReason::NoAnswer);
            }
            self.set_no_answer_due(dix, Some(self.now.plus(again)));
        } else {
            self.set_no_answer_due(dix, None);
        }
    }

    #[inline(never)]
    fn on_close_due(&mut self, dix: u32) {
        let d = self.dlg(dix);
        let lix = d.line as usize;
        match d.phase {
            Phase::Closing(_) => self.finish(dix, CloseKind::ByAgent, None),
            _ if d.pinned => self.finish(dix, CloseKind::Idle, None),
            Phase::WaitingForClient(_) => {
                let s = &self.state.lines[lix].settings;
                let text =
                    (s.auto_close_rule == ReplyRule::Text).then(|| s.auto_close_text.clone());
                self.finish(dix, CloseKind::AutoClosed, text);
            }
            _ => self.set_close_due(dix, None),
        }
    }

    /// The daily pass, `Session\Agent::dismissedOperator`: a dialog out of the queue loop (no
    /// `DATE_QUEUE`) whose agent is missing or dismissed goes back to the queue, or closes if
    /// its last message is more than a week old. Every other dialog stays as it is, however
    /// long it has been quiet: replied dialogs wait for their auto-close time, taken ones for
    /// their agent, and undistributed ones keep being retried. A dialog with the welcome bot
    /// has the bot as its agent, and one in closing mode is ended by its close timer.
    ///
    /// Bitrix24 has no daily pass for vacations: an agent's unreplied dialogs return when the
    /// vacation starts (`agent_leaves`), and a replied one when its client next writes.
    #[inline(never)]
    fn sweep(&mut self) {
        let next = self.now.plus(DAY);
        self.agenda.schedule(next, next, 0, Timer::Sweep);
        for lix in 0..self.state.lines.len() {
            for dix in self.state.open_on(lix) {
                let d = self.dlg(dix);
                if d.queue_due.is_some() || matches!(d.phase, Phase::WithBot | Phase::Closing(_)) {
                    continue;
                }
                let agent_gone = d
                    .phase
                    .holder()
                    .is_none_or(|h| self.state.agents[h as usize].presence.dismissed);
                if !agent_gone {
                    continue;
                }
                if self.now.since(d.last_message_at) >= IDLE_CLOSE {
                    self.finish(dix, CloseKind::Idle, None);
                } else {
                    self.requeue(dix, ReturnReason::Dismissal);
                }
            }
        }
    }
}

/// A parked dialog's count of retries that change nothing (see "retries that change nothing").
#[derive(Clone, Copy, Debug)]
pub(super) struct Park {
    dix: u32,
    /// The first retry not yet counted: when it fires, and its `DATE_QUEUE`.
    next: Time,
    next_due: Time,
    /// From one retry's run to the next (ms), and the interval a retry sets.
    stride: i64,
    interval: i64,
    /// Retries counted, the first and the last.
    count: u64,
    first: Time,
    last: Time,
}

impl Park {
    /// The `k`th retry from `next` on: when it fires, and its `DATE_QUEUE`.
    fn point(&self, k: u64) -> (Time, Time) {
        if k == 0 {
            return (self.next, self.next_due);
        }
        let steps = i64::try_from(k).unwrap_or(i64::MAX);
        let fire = self.next.plus(steps.saturating_mul(self.stride));
        (fire, fire.plus(self.interval - self.stride))
    }

    /// How many retries from `next` fire before `fire`, a point of the grid.
    fn index_of(&self, fire: Time) -> u64 {
        u64::try_from(fire.since(self.next) / self.stride).unwrap_or(0)
    }

    /// The first retry that fires at or after `t`.
    fn point_at_or_after(&self, t: Time) -> (Time, Time) {
        if t <= self.next {
            return self.point(0);
        }
        let after = t.since(self.next);
        let k = after / self.stride + i64::from(after % self.stride != 0);
        self.point(u64::try_from(k).unwrap_or(u64::MAX))
    }
}
