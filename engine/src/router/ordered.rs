//! An ordered set for a line's indexes (ready agents, waiting dialogs, queue deadlines).
//!
//! These sets are small in almost every run: a handful of dialogs wait or have a deadline, a
//! few dozen agents are ready. A B-tree pays for its node handling on every insertion and
//! removal even then, so a set is a sorted vector while it holds at most [`SMALL`] keys, where a
//! binary search and a short move are cheaper, and a B-tree above that, so that a line with
//! thousands of waiting dialogs or ready agents stays logarithmic. It goes back to a vector
//! only below half that size, so that a set near the bound does not switch back and forth.

use std::collections::{btree_set, BTreeSet};
use std::slice;

/// The most keys a set keeps in a sorted vector.
const SMALL: usize = 32;

#[derive(Clone, Debug)]
pub(crate) enum OrderedSet<K> {
    Small(Vec<K>),
    Large(BTreeSet<K>),
}

impl<K> Default for OrderedSet<K> {
    fn default() -> Self {
        OrderedSet::Small(Vec::new())
    }
}

impl<K: Ord + Copy> OrderedSet<K> {
    /// Adds `key`; false when it was there already.
    pub(crate) fn insert(&mut self, key: K) -> bool {
        match self {
            // Keys mostly come in order (a deadline later than those set before, a newer
            // stamp or place in the queue): past the last one, no search and no move.
            OrderedSet::Small(keys)
                if keys.len() < SMALL && keys.last().is_none_or(|l| *l < key) =>
            {
                keys.push(key);
                true
            }
            OrderedSet::Small(keys) => match keys.binary_search(&key) {
                Ok(_) => false,
                Err(at) if keys.len() < SMALL => {
                    keys.insert(at, key);
                    true
                }
                Err(_) => self.insert_slow(key),
            },
            OrderedSet::Large(_) => self.insert_slow(key),
        }
    }

    /// The B-tree's side of `insert`: a full vector becoming a B-tree, or a B-tree taking a
    /// key. Out of line, as is the B-tree's side of `remove`, so that the vector's paths,
    /// which nearly every call takes, stay short where they are inlined: in wasm, whose engine
    /// does not inline, a long function costs every call into it.
    #[inline(never)]
    fn insert_slow(&mut self, key: K) -> bool {
        match self {
            OrderedSet::Large(keys) => keys.insert(key),
            OrderedSet::Small(keys) => {
                // Inserted one by one: collecting would sort, and a sort is code of its own
                // for each key type in the page's download.
                let mut large = BTreeSet::new();
                for k in keys.drain(..) {
                    large.insert(k);
                }
                let added = large.insert(key);
                *self = OrderedSet::Large(large);
                added
            }
        }
    }

    /// Takes `key` out; false when it was not there.
    pub(crate) fn remove(&mut self, key: &K) -> bool {
        match self {
            // Often the key added last (a deadline cleared at the instant it was set).
            OrderedSet::Small(keys) if keys.last() == Some(key) => {
                keys.pop();
                true
            }
            // Or the first (the agent longest without work, the oldest waiting dialog).
            OrderedSet::Small(keys) if keys.first() == Some(key) => {
                keys.remove(0);
                true
            }
            OrderedSet::Small(keys) => match keys.binary_search(key) {
                Ok(at) => {
                    keys.remove(at);
                    true
                }
                Err(_) => false,
            },
            OrderedSet::Large(_) => self.remove_large(key),
        }
    }

    /// The B-tree's side of `remove`: it becomes a vector again below half the bound.
    #[inline(never)]
    fn remove_large(&mut self, key: &K) -> bool {
        let OrderedSet::Large(keys) = self else {
            return self.remove(key);
        };
        let found = keys.remove(key);
        if keys.len() < SMALL / 2 {
            *self = OrderedSet::Small(std::mem::take(keys).into_iter().collect());
        }
        found
    }

    pub(crate) fn contains(&self, key: &K) -> bool {
        match self {
            OrderedSet::Small(keys) => keys.binary_search(key).is_ok(),
            OrderedSet::Large(keys) => keys.contains(key),
        }
    }

    /// The smallest key.
    pub(crate) fn first(&self) -> Option<K> {
        match self {
            OrderedSet::Small(keys) => keys.first().copied(),
            OrderedSet::Large(keys) => keys.first().copied(),
        }
    }

    pub(crate) fn len(&self) -> usize {
        match self {
            OrderedSet::Small(keys) => keys.len(),
            OrderedSet::Large(keys) => keys.len(),
        }
    }

    pub(crate) fn clear(&mut self) {
        *self = OrderedSet::default();
    }

    /// The keys in order.
    pub(crate) fn iter(&self) -> Iter<'_, K> {
        match self {
            OrderedSet::Small(keys) => Iter::Small(keys.iter()),
            OrderedSet::Large(keys) => Iter::Large(keys.iter()),
        }
    }
}

pub(crate) enum Iter<'a, K> {
    Small(slice::Iter<'a, K>),
    Large(btree_set::Iter<'a, K>),
}

impl<'a, K> Iterator for Iter<'a, K> {
    type Item = &'a K;

    #[inline]
    fn next(&mut self) -> Option<&'a K> {
        match self {
            Iter::Small(keys) => keys.next(),
            Iter::Large(keys) => keys.next(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::random::Rng;

    /// Random insertions and removals around the size where a set changes form: after each,
    /// the set holds what a B-tree does, in the same order.
    #[test]
    fn behaves_as_a_btree_set_in_both_forms() {
        let mut rng = Rng::new(7);
        let mut next = move |n: u64| rng.below(n);
        // Switches seen: vector to B-tree, and back.
        let mut switches = (0, 0);
        for _ in 0..50 {
            let mut set = OrderedSet::default();
            let mut was_large = false;
            let mut model = BTreeSet::new();
            // Eighty possible keys: mostly insertions fill the set to about sixty, past the
            // bound; then only removals empty it, below half the bound. Both switches happen.
            for step in 0..2_000u64 {
                let grow = if (step / 400) % 2 == 0 { 3 } else { 0 };
                let key = (next(40), next(2));
                if next(4) < grow {
                    assert_eq!(set.insert(key), model.insert(key));
                } else {
                    assert_eq!(set.remove(&key), model.remove(&key));
                }
                assert_eq!(set.len(), model.len());
                assert_eq!(set.first(), model.first().copied());
                assert!(set.iter().eq(model.iter()));
                let probe = (next(40), next(2));
                assert_eq!(set.contains(&probe), model.contains(&probe));
                let large = matches!(set, OrderedSet::Large(_));
                match (was_large, large) {
                    (false, true) => switches.0 += 1,
                    (true, false) => switches.1 += 1,
                    _ => {}
                }
                was_large = large;
            }
        }
        assert!(switches.0 > 0 && switches.1 > 0, "{switches:?}");
    }

    /// Keys in the order the router mostly gives them: each past the last, and often the first
    /// or the last taken out, the shortcuts of a small set, mixed with keys anywhere; the set
    /// still holds what a B-tree does.
    #[test]
    fn keys_in_order_take_the_shortcuts_and_agree_with_a_btree_set() {
        let mut rng = Rng::new(11);
        let mut next = move |n: u64| rng.below(n);
        let mut set = OrderedSet::default();
        let mut model = BTreeSet::new();
        let mut top = 0u64;
        for _ in 0..5_000 {
            match next(6) {
                0 | 1 => {
                    top += 1 + next(3);
                    assert_eq!(set.insert(top), model.insert(top));
                }
                2 => {
                    let end = if next(2) == 0 {
                        model.last()
                    } else {
                        model.first()
                    };
                    let end = end.copied().unwrap_or(0);
                    assert_eq!(set.remove(&end), model.remove(&end));
                }
                3 => {
                    // The last key again: not added twice.
                    let last = model.last().copied().unwrap_or(0);
                    assert_eq!(set.insert(last), model.insert(last));
                }
                _ => {
                    let key = next(top + 2);
                    if next(2) == 0 {
                        assert_eq!(set.insert(key), model.insert(key));
                    } else {
                        assert_eq!(set.remove(&key), model.remove(&key));
                    }
                }
            }
            assert_eq!(set.len(), model.len());
            assert!(set.iter().eq(model.iter()));
        }
    }
}
