//! The router's timers: one agenda ordered by `(fire time, due time, dialog, sequence)`, FIFO on
//! ties. Entries are never removed early; a timer whose generation no longer matches its owner's
//! is stale and skipped when it comes up.

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
struct Entry {
    fire_at: Time,
    due: Time,
    order: u64,
    seq: u64,
    timer: Timer,
}

#[derive(Clone, Debug, Default)]
pub(crate) struct Agenda {
    heap: BinaryHeap<Reverse<Entry>>,
    seq: u64,
}

impl Agenda {
    /// Schedules `timer` to fire at `fire_at`; among timers firing together, earlier `due` and
    /// then smaller `order` (the dialog id) go first, as the queue agent orders by
    /// `DATE_QUEUE, SESSION_ID`.
    pub(crate) fn schedule(&mut self, fire_at: Time, due: Time, order: u64, timer: Timer) {
        self.seq += 1;
        self.heap.push(Reverse(Entry {
            fire_at,
            due,
            order,
            seq: self.seq,
            timer,
        }));
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

    pub(crate) fn next_fire(&self) -> Option<Time> {
        self.heap.peek().map(|Reverse(e)| e.fire_at)
    }

    pub(crate) fn len(&self) -> usize {
        self.heap.len()
    }
}
