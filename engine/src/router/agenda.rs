//! The router's timers: one agenda ordered by `(fire time, due time, dialog, sequence)`, FIFO on
//! ties.
//!
//! A dialog's three timers (queue, no-answer, close) are each set and cleared many times in its
//! life, and most settings never fire: a dialog taken at once clears its forward deadline, a
//! reply clears the no-answer deadline twelve hours ahead. Entries are never removed early;
//! instead each dialog timer has a [`TimerSlot`] that numbers its settings (an entry whose
//! generation is not the slot's is stale and skipped) and holds the current setting until it
//! has to be in the agenda:
//! - a new setting is *fresh*: it waits in its slot, and the agenda only notes which slot and
//!   the earliest time any fresh setting fires. When the clock is about to reach that time,
//!   the fresh settings that fire by then are admitted and the others stay fresh, so that the
//!   four-hour auto-close of a dialog answered in minutes never enters the agenda. A setting
//!   cleared while fresh (an offer taken the instant it is made) never enters it either;
//! - a setting that fires at the instant it is made (a waiting dialog re-queued when a slot
//!   frees) is admitted at once: it would be at the next look anyway, and it then does not
//!   make every other fresh setting be looked at;
//! - an admitted setting that fires after the earliest entry its slot already has in the
//!   agenda goes on waiting: that entry, when it comes up stale, pushes it.
//!
//! Each entry keeps the sequence number it was given when it was set, so the order in which
//! live timers fire is the same as if every setting had been pushed at once; the agenda only
//! holds far fewer dead entries.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use crate::time::{pack, Time};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Timer {
    /// `DATE_QUEUE`: forward, retry, return or bot hand-over.
    Queue { dialog: u32, gen: u32 },
    /// `DATE_NO_ANSWER`.
    NoAnswer { dialog: u32, gen: u32 },
    /// `DATE_CLOSE`: auto-close, full close, or a pinned dialog's week.
    Close { dialog: u32, gen: u32 },
    /// A vacation with a known end is over.
    AbsenceEnds { agent: u32, gen: u32 },
    /// The daily pass over dialogs of dismissed and vacationing agents, and idle ones.
    Sweep,
}

/// A place in the agenda's order, `(fire time, due time, dialog)`: the timer being fired, or
/// after every timer of an instant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Cursor {
    pub fire: Time,
    pub due: Time,
    pub order: u64,
}

impl Cursor {
    /// After every timer that fires at `at`: where an event at `at` and the end of a call to
    /// `at` stand.
    pub(crate) fn after(at: Time) -> Cursor {
        Cursor {
            fire: at,
            due: Time(i64::MAX),
            order: u64::MAX,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Entry {
    fire_at: Time,
    due: Time,
    order: u64,
    seq: u64,
    timer: Timer,
}

impl Entry {
    /// The order as two integers, each a pair packed, so that the heap compares twice instead
    /// of branching on each of four fields. `seq` is unique, so the timer, compared last to
    /// keep the order in step with equality, never decides.
    #[inline]
    fn key(&self) -> (u128, u128) {
        (
            pack(self.fire_at.key(), self.due.key()),
            pack(self.order, self.seq),
        )
    }
}

impl PartialOrd for Entry {
    #[inline]
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Entry {
    #[inline]
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.key()
            .cmp(&other.key())
            .then_with(|| self.timer.cmp(&other.timer))
    }
}

/// One dialog timer's bookkeeping (see the module note).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct TimerSlot {
    /// The current setting's number; entries of other numbers are stale.
    pub gen: u32,
    /// When the earliest entry this slot pushed and has not seen fire will fire.
    armed: Option<Time>,
    /// The current setting, while it is fresh or fires after `armed`, and so is not in the
    /// agenda yet.
    waiting: Option<Entry>,
    /// The slot is on the agenda's list of fresh settings.
    fresh: bool,
}

impl TimerSlot {
    /// The slot for a new dialog in a reused dialog slot: the old dialog's entries may still
    /// be in the agenda, so numbering carries on and the earliest of them is still known, and
    /// so may the slot's place on the list of fresh settings.
    pub(crate) fn reused(self) -> TimerSlot {
        TimerSlot {
            gen: self.gen.wrapping_add(1),
            armed: self.armed,
            waiting: None,
            fresh: self.fresh,
        }
    }
}

/// Where the agenda finds a dialog timer's slot, by dialog slot and timer kind.
pub(crate) trait Slots {
    fn slot(&mut self, dialog: u32, kind: usize) -> &mut TimerSlot;
}

/// Above this many fresh settings, an admission takes them all, so that one pass over the
/// list stays short when many dialogs have deadlines far ahead.
const ADMIT_ALL: usize = 64;

#[derive(Clone, Debug, Default)]
pub(crate) struct Agenda {
    heap: BinaryHeap<Reverse<Entry>>,
    seq: u64,
    /// Slots with a fresh setting, as (dialog slot, timer kind), each once.
    fresh: Vec<(u32, u8)>,
    /// No later than the earliest fresh setting fires (one cleared since may have set it).
    fresh_from: Option<Time>,
}

impl Agenda {
    fn entry(&mut self, fire_at: Time, due: Time, order: u64, timer: Timer) -> Entry {
        self.seq += 1;
        Entry {
            fire_at,
            due,
            order,
            seq: self.seq,
            timer,
        }
    }

    /// Schedules `timer` to fire at `fire_at`; among timers firing together, earlier `due` and
    /// then smaller `order` (the dialog id) go first, as the queue agent orders by
    /// `DATE_QUEUE, SESSION_ID`.
    pub(crate) fn schedule(&mut self, fire_at: Time, due: Time, order: u64, timer: Timer) {
        let entry = self.entry(fire_at, due, order, timer);
        self.heap.push(Reverse(entry));
    }

    /// Starts a new setting of the timer `kind` of dialog slot `dialog`: `make` builds the
    /// timer from its generation; `when` is `(fire_at, due, order)`, or `None` to clear the
    /// timer. The setting is fresh, unless it fires at `now` and nothing of its slot's fires
    /// earlier (see the module note).
    pub(crate) fn set(
        &mut self,
        slot: &mut TimerSlot,
        (dialog, kind): (u32, usize),
        when: Option<(Time, Time, u64)>,
        now: Time,
        make: impl FnOnce(u32) -> Timer,
    ) {
        slot.gen = slot.gen.wrapping_add(1);
        let Some((fire_at, due, order)) = when else {
            slot.waiting = None;
            return;
        };
        let entry = self.entry(fire_at, due, order, make(slot.gen));
        if fire_at <= now && arm(&mut self.heap, slot, entry) {
            return;
        }
        slot.waiting = Some(entry);
        if !slot.fresh {
            slot.fresh = true;
            self.fresh.push((dialog, kind as u8));
        }
        if self.fresh_from.is_none_or(|t| fire_at < t) {
            self.fresh_from = Some(fire_at);
        }
    }

    /// True when a fresh setting may fire at or before `upto`, so that the fresh settings must
    /// be admitted before the agenda is asked what is due.
    #[inline]
    pub(crate) fn fresh_due(&self, upto: Time) -> bool {
        self.fresh_from.is_some_and(|t| t <= upto)
    }

    /// Admits the fresh settings that fire at or before `upto` (all of them when there are many):
    /// into the agenda, or to wait behind their slot's earliest entry. The others stay fresh.
    pub(crate) fn admit_fresh(&mut self, slots: &mut impl Slots, upto: Time) {
        let mut later: Option<Time> = None;
        let all = self.fresh.len() > ADMIT_ALL;
        self.fresh.retain(|&(dialog, kind)| {
            let slot = slots.slot(dialog, kind as usize);
            let Some(entry) = slot.waiting else {
                slot.fresh = false;
                return false;
            };
            if !all && entry.fire_at > upto {
                later = Some(later.map_or(entry.fire_at, |t| t.min(entry.fire_at)));
                return true;
            }
            slot.fresh = false;
            arm(&mut self.heap, slot, entry);
            false
        });
        self.fresh_from = later;
    }

    /// A dialog timer of generation `gen` came up at `at`: true when it is the slot's current
    /// setting. A stale one moves the slot's waiting setting, unless it is fresh, into the
    /// agenda.
    pub(crate) fn fired(&mut self, slot: &mut TimerSlot, at: Time, gen: u32) -> bool {
        if slot.armed == Some(at) {
            slot.armed = None;
        }
        if slot.gen == gen {
            return true;
        }
        if slot.fresh {
            return false;
        }
        if let Some(entry) = slot.waiting.take() {
            if slot.armed.is_none_or(|armed| entry.fire_at < armed) {
                slot.armed = Some(entry.fire_at);
            }
            self.heap.push(Reverse(entry));
        }
        false
    }

    /// The next timer due at or before `deadline`, removed from the agenda.
    #[cfg(test)]
    pub(crate) fn pop_due(&mut self, deadline: Time) -> Option<(Time, Timer)> {
        self.pop_keyed(deadline)
            .map(|(cursor, timer)| (cursor.fire, timer))
    }

    /// [`Agenda::pop_due`], with the timer's place in the order.
    pub(crate) fn pop_keyed(&mut self, deadline: Time) -> Option<(Cursor, Timer)> {
        let Reverse(next) = self.heap.peek()?;
        if next.fire_at > deadline {
            return None;
        }
        let Reverse(entry) = self.heap.pop()?;
        let cursor = Cursor {
            fire: entry.fire_at,
            due: entry.due,
            order: entry.order,
        };
        Some((cursor, entry.timer))
    }

    /// No later than the next timer fires: a fresh setting cleared since it was set, or a
    /// stale entry, may make this earlier than any live timer.
    #[inline]
    pub(crate) fn next_fire(&self) -> Option<Time> {
        let top = self.heap.peek().map(|Reverse(e)| e.fire_at);
        match (top, self.fresh_from) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// Entries in the agenda, stale ones included, and fresh settings.
    pub(crate) fn len(&self) -> usize {
        self.heap.len() + self.fresh.len()
    }
}

/// Puts `entry`, its slot's current setting, into the agenda, unless an entry of the slot
/// already there fires earlier: false then, and the setting is left to wait behind it.
fn arm(heap: &mut BinaryHeap<Reverse<Entry>>, slot: &mut TimerSlot, entry: Entry) -> bool {
    if slot.armed.is_some_and(|armed| armed < entry.fire_at) {
        return false;
    }
    slot.armed = Some(entry.fire_at);
    slot.waiting = None;
    heap.push(Reverse(entry));
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::random::Rng;

    impl<const N: usize> Slots for [TimerSlot; N] {
        fn slot(&mut self, dialog: u32, _kind: usize) -> &mut TimerSlot {
            &mut self[dialog as usize]
        }
    }

    /// Settings of dialog timers at random, and a clock that moves on: the live timers fire in
    /// the same order, at the same instants, as when every setting is pushed at once and stale
    /// entries are skipped, while the agenda holds fewer entries. As in the router, fresh
    /// settings are admitted only when one of them may be due; several settings often come at
    /// one instant, some are due at once, and some are cleared at the instant they are made.
    /// A few slots with deadlines near keep the list of fresh settings short; many slots with
    /// deadlines far ahead make it long enough to be admitted all together.
    #[test]
    fn waiting_settings_fire_as_if_pushed_at_once() {
        assert!(fire_as_if_pushed_at_once::<4>(200) <= ADMIT_ALL);
        assert!(fire_as_if_pushed_at_once::<200>(20_000) > ADMIT_ALL);
    }

    /// Runs the comparison with `SLOTS` dialog timers whose deadlines fall up to `ahead` after
    /// the clock; returns the longest list of fresh settings seen.
    fn fire_as_if_pushed_at_once<const SLOTS: usize>(ahead: u64) -> usize {
        let mut rng = Rng::new(7);
        let mut next = move |n: u64| rng.below(n);
        let mut longest = 0;
        for _ in 0..200 {
            let mut lazy = Agenda::default();
            let mut slots = [TimerSlot::default(); SLOTS];
            let mut eager = Agenda::default();
            let mut gens = [0u32; SLOTS];
            let (mut fired_lazy, mut fired_eager) = (Vec::new(), Vec::new());
            let mut now = 0i64;
            let mut most = (0, 0);
            for _ in 0..300 {
                if next(3) == 0 {
                    now += next(50) as i64;
                    let upto = Time(now);
                    let live = fired_eager.len();
                    while let Some((at, Timer::Queue { dialog, gen })) = eager.pop_due(upto) {
                        if gens[dialog as usize] == gen {
                            fired_eager.push((at, dialog, gen));
                        }
                    }
                    // The router asks `next_fire` first: it may be early, never late.
                    let first = fired_eager.get(live).map(|&(at, _, _)| at);
                    if let Some(at) = first {
                        assert!(lazy.next_fire().is_some_and(|t| t <= at));
                    }
                    loop {
                        if lazy.fresh_due(upto) {
                            lazy.admit_fresh(&mut slots, upto);
                        }
                        let Some((at, Timer::Queue { dialog, gen })) = lazy.pop_due(upto) else {
                            break;
                        };
                        if lazy.fired(&mut slots[dialog as usize], at, gen) {
                            fired_lazy.push((at, dialog, gen));
                        }
                    }
                } else {
                    let slot = next(SLOTS as u64) as u32;
                    let when = (next(4) != 0).then(|| {
                        if next(4) == 0 {
                            // Due at once, as a dialog re-queued when a slot frees.
                            return (Time(now), Time(now), u64::from(slot));
                        }
                        let due = Time(now + next(ahead) as i64);
                        // Runner periods of 20 make ties between slots common.
                        (Time(due.0.div_euclid(20) * 20 + 20), due, u64::from(slot))
                    });
                    lazy.set(
                        &mut slots[slot as usize],
                        (slot, 0),
                        when,
                        Time(now),
                        |gen| Timer::Queue { dialog: slot, gen },
                    );
                    gens[slot as usize] += 1;
                    if let Some((fire_at, due, order)) = when {
                        let gen = gens[slot as usize];
                        eager.schedule(fire_at, due, order, Timer::Queue { dialog: slot, gen });
                    }
                }
                most = (most.0.max(lazy.heap.len()), most.1.max(eager.len()));
                longest = longest.max(lazy.fresh.len());
            }
            assert_eq!(fired_lazy, fired_eager);
            assert!(most.0 <= most.1);
        }
        longest
    }

    #[test]
    fn entries_order_by_fire_time_due_time_order_then_sequence() {
        let times = [i64::MIN, -1, 0, 1, i64::MAX];
        let numbers = [0, 1, u64::MAX];
        let mut entries = Vec::new();
        for &fire_at in &times {
            for &due in &times[1..4] {
                for &order in &numbers {
                    for &seq in &numbers {
                        for timer in [Timer::Sweep, Timer::Queue { dialog: 0, gen: 0 }] {
                            entries.push(Entry {
                                fire_at: Time(fire_at),
                                due: Time(due),
                                order,
                                seq,
                                timer,
                            });
                        }
                    }
                }
            }
        }
        let fields = |e: &Entry| (e.fire_at, e.due, e.order, e.seq, e.timer);
        for a in &entries {
            for b in &entries {
                assert_eq!(a.cmp(b), fields(a).cmp(&fields(b)), "{a:?} {b:?}");
                assert_eq!(a.cmp(b).is_eq(), a == b, "{a:?} {b:?}");
            }
        }
    }

    /// An offer taken the instant it is made: its deadline is set and cleared before the clock
    /// moves, and never enters the agenda.
    #[test]
    fn a_setting_cleared_while_fresh_never_enters_the_agenda() {
        let mut agenda = Agenda::default();
        let mut slots = [TimerSlot::default(); 1];
        let make = |gen| Timer::Queue { dialog: 0, gen };
        let t = Time(600);
        agenda.set(&mut slots[0], (0, 0), Some((t, t, 0)), Time(0), make);
        assert_eq!(agenda.next_fire(), Some(t));
        assert_eq!(agenda.len(), 1);
        agenda.set(&mut slots[0], (0, 0), None, Time(0), make);
        // The bound stays, early: the agenda is asked once more, and finds nothing.
        assert!(agenda.fresh_due(t));
        agenda.admit_fresh(&mut slots, t);
        assert_eq!(agenda.pop_due(t), None);
        assert_eq!((agenda.len(), agenda.next_fire()), (0, None));
    }
}
