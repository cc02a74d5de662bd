//! The router's timers: one agenda ordered by `(fire time, due time, dialog, sequence)`, FIFO on
//! ties.
//!
//! A dialog's three timers (queue, no-answer, close) are each set and cleared many times in its
//! life, and most settings never fire: a dialog taken at once clears its forward deadline, a
//! reply clears the no-answer deadline twelve hours ahead. Entries are never removed early;
//! instead each dialog timer has a [`TimerSlot`] that numbers its settings (an entry whose
//! generation is not the slot's is stale and skipped) and remembers the earliest entry it has
//! in the agenda. A new setting that fires after that entry is not pushed at once: it waits in
//! the slot, and the earlier entry, when it comes up stale, pushes it with the sequence number
//! it was given when it was set. The order in which live timers fire is the same as if every
//! setting had been pushed at once; the agenda only holds far fewer dead entries.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use crate::time::Time;

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

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Entry {
    fire_at: Time,
    due: Time,
    order: u64,
    seq: u64,
    timer: Timer,
}

/// One dialog timer's bookkeeping (see the module note).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct TimerSlot {
    /// The current setting's number; entries of other numbers are stale.
    pub gen: u32,
    /// When the earliest entry this slot pushed and has not seen fire will fire.
    armed: Option<Time>,
    /// The current setting, when it fires after `armed` and so is not in the agenda yet.
    waiting: Option<Entry>,
}

impl TimerSlot {
    /// The slot for a new dialog in a reused dialog slot: the old dialog's entries may still
    /// be in the agenda, so numbering carries on and the earliest of them is still known.
    pub(crate) fn reused(self) -> TimerSlot {
        TimerSlot {
            gen: self.gen.wrapping_add(1),
            armed: self.armed,
            waiting: None,
        }
    }
}

#[derive(Clone, Debug, Default)]
pub(crate) struct Agenda {
    heap: BinaryHeap<Reverse<Entry>>,
    seq: u64,
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

    /// Starts a new setting of a dialog timer: `make` builds the timer from its generation;
    /// `when` is `(fire_at, due, order)`, or `None` to clear the timer.
    pub(crate) fn set(
        &mut self,
        slot: &mut TimerSlot,
        when: Option<(Time, Time, u64)>,
        make: impl FnOnce(u32) -> Timer,
    ) {
        slot.gen = slot.gen.wrapping_add(1);
        slot.waiting = None;
        let Some((fire_at, due, order)) = when else {
            return;
        };
        let entry = self.entry(fire_at, due, order, make(slot.gen));
        match slot.armed {
            Some(armed) if armed < fire_at => slot.waiting = Some(entry),
            _ => {
                slot.armed = Some(fire_at);
                self.heap.push(Reverse(entry));
            }
        }
    }

    /// A dialog timer of generation `gen` came up at `at`: true when it is the slot's current
    /// setting. A stale one moves the slot's waiting setting into the agenda.
    pub(crate) fn fired(&mut self, slot: &mut TimerSlot, at: Time, gen: u32) -> bool {
        if slot.armed == Some(at) {
            slot.armed = None;
        }
        if slot.gen == gen {
            return true;
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
    pub(crate) fn pop_due(&mut self, deadline: Time) -> Option<(Time, Timer)> {
        let Reverse(next) = self.heap.peek()?;
        if next.fire_at > deadline {
            return None;
        }
        let Reverse(entry) = self.heap.pop()?;
        Some((entry.fire_at, entry.timer))
    }

    #[inline]
    pub(crate) fn next_fire(&self) -> Option<Time> {
        self.heap.peek().map(|Reverse(e)| e.fire_at)
    }

    pub(crate) fn len(&self) -> usize {
        self.heap.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Settings of a few dialog timers at random, and a clock that moves on: the live timers
    /// fire in the same order, at the same instants, as when every setting is pushed at once
    /// and stale entries are skipped, while the agenda holds fewer entries.
    #[test]
    fn waiting_settings_fire_as_if_pushed_at_once() {
        const SLOTS: usize = 4;
        let mut state = 0x9E37_79B9_7F4A_7C15_u64;
        let mut next = move |n: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % n
        };
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
                    while let Some((at, Timer::Queue { dialog, gen })) = lazy.pop_due(Time(now)) {
                        if lazy.fired(&mut slots[dialog as usize], at, gen) {
                            fired_lazy.push((at, dialog, gen));
                        }
                    }
                    while let Some((at, Timer::Queue { dialog, gen })) = eager.pop_due(Time(now)) {
                        if gens[dialog as usize] == gen {
                            fired_eager.push((at, dialog, gen));
                        }
                    }
                } else {
                    let slot = next(SLOTS as u64) as u32;
                    let when = (next(4) != 0).then(|| {
                        let due = Time(now + next(200) as i64);
                        // Runner periods of 20 make ties between slots common.
                        (Time(due.0.div_euclid(20) * 20 + 20), due, u64::from(slot))
                    });
                    lazy.set(&mut slots[slot as usize], when, |gen| Timer::Queue {
                        dialog: slot,
                        gen,
                    });
                    gens[slot as usize] += 1;
                    if let Some((fire_at, due, order)) = when {
                        let gen = gens[slot as usize];
                        eager.schedule(fire_at, due, order, Timer::Queue { dialog: slot, gen });
                    }
                }
                most = (most.0.max(lazy.len()), most.1.max(eager.len()));
            }
            assert_eq!(fired_lazy, fired_eager);
            assert!(most.0 <= most.1);
        }
    }
}
