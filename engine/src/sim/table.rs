//! Values by a `u64` id that is handed out in increasing order and retired roughly in the same
//! order, like the simulator's enquiries: a deque from the oldest id still present, so that a
//! lookup is an index and iteration goes in id order.

use std::collections::VecDeque;

#[derive(Clone, Debug)]
pub(crate) struct IdTable<T> {
    /// The id of `slots[0]`.
    base: u64,
    slots: VecDeque<Option<T>>,
    len: usize,
}

impl<T> Default for IdTable<T> {
    fn default() -> Self {
        IdTable {
            base: 0,
            slots: VecDeque::new(),
            len: 0,
        }
    }
}

impl<T> IdTable<T> {
    #[inline]
    fn index(&self, id: u64) -> Option<usize> {
        let i = usize::try_from(id.checked_sub(self.base)?).ok()?;
        (i < self.slots.len()).then_some(i)
    }

    /// Stores `value` under `id`, replacing what was there. Ids far apart from those present
    /// cost a slot for each id between them.
    pub fn insert(&mut self, id: u64, value: T) {
        if self.len == 0 {
            self.slots.clear();
            self.base = id;
        }
        if id < self.base {
            for _ in id..self.base {
                self.slots.push_front(None);
            }
            self.base = id;
        }
        let i = (id - self.base) as usize;
        while self.slots.len() <= i {
            self.slots.push_back(None);
        }
        if self.slots[i].replace(value).is_none() {
            self.len += 1;
        }
    }

    #[inline]
    pub fn get(&self, id: u64) -> Option<&T> {
        self.slots.get(self.index(id)?)?.as_ref()
    }

    #[inline]
    pub fn get_mut(&mut self, id: u64) -> Option<&mut T> {
        let i = self.index(id)?;
        self.slots.get_mut(i)?.as_mut()
    }

    pub fn remove(&mut self, id: u64) -> Option<T> {
        let i = self.index(id)?;
        let value = self.slots.get_mut(i)?.take()?;
        self.len -= 1;
        while matches!(self.slots.front(), Some(None)) {
            self.slots.pop_front();
            self.base += 1;
        }
        while matches!(self.slots.back(), Some(None)) {
            self.slots.pop_back();
        }
        Some(value)
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Every id with its value, in id order.
    pub fn iter(&self) -> impl Iterator<Item = (u64, &T)> {
        self.slots
            .iter()
            .zip(self.base..)
            .filter_map(|(v, id)| Some((id, v.as_ref()?)))
    }

    pub fn values(&self) -> impl Iterator<Item = &T> {
        self.slots.iter().flatten()
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::sim::random::Rng;

    /// Random inserts and removals agree with an ordered map, in every lookup and in order.
    #[test]
    fn behaves_like_an_ordered_map() {
        let mut rng = Rng::new(7);
        let mut next = || rng.next_u64();
        let mut table = IdTable::default();
        let mut map = BTreeMap::new();
        let mut fresh = 1_000u64;
        for step in 0..20_000u64 {
            match next() % 4 {
                0 | 1 => {
                    // Mostly new ids in order, now and then an old one back.
                    let id = if next() % 10 == 0 {
                        fresh.saturating_sub(next() % 50)
                    } else {
                        fresh += 1;
                        fresh
                    };
                    table.insert(id, step);
                    map.insert(id, step);
                }
                _ => {
                    let id = fresh.saturating_sub(next() % 60);
                    assert_eq!(table.remove(id), map.remove(&id));
                }
            }
            let probe = fresh.saturating_sub(next() % 70);
            assert_eq!(table.get(probe), map.get(&probe));
            assert_eq!(table.is_empty(), map.is_empty());
        }
        let ours: Vec<(u64, u64)> = table.iter().map(|(k, v)| (k, *v)).collect();
        let theirs: Vec<(u64, u64)> = map.iter().map(|(k, v)| (*k, *v)).collect();
        assert_eq!(ours, theirs);
        assert_eq!(table.values().count(), map.len());
        if let Some((&k, _)) = map.iter().next() {
            *table.get_mut(k).unwrap() = 7;
            assert_eq!(table.get(k), Some(&7));
        }
    }
}
