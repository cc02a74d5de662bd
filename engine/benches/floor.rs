//! The floor the simulator's speed is measured against: a bare M/M/c loop (a binary heap of
//! events, a FIFO queue, no routing logic) drawing from the simulator's own random numbers.
//! One source for both builds: the native benchmark (`simulator.rs`) and the wasm one
//! (`wasm/`, run under Node by `scripts/bench/simulate_wasm.mjs`), so that the runtime's own
//! cost shows as the floor's wasm-to-native ratio, next to the simulator's.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};

use switchboard::sim::random::Rng;

/// M/M/c with FIFO: returns the share of customers that waited, to keep the work observable.
pub fn bare_mmc(customers: u64, servers: u32, lambda: f64, mu: f64, seed: u64) -> f64 {
    let mut rng = Rng::new(seed);
    // Events: (time in ns as an integer for a total order, kind: 0 arrival, 1 departure).
    let mut events: BinaryHeap<Reverse<(u64, u8)>> = BinaryHeap::new();
    let mut queue: VecDeque<u64> = VecDeque::new();
    let mut free = servers;
    let mut arrived = 0u64;
    let mut waited = 0u64;
    let ns = |x: f64| (x * 1e9) as u64;
    events.push(Reverse((ns(rng.exponential(1.0 / lambda)), 0)));
    while let Some(Reverse((t, kind))) = events.pop() {
        if kind == 0 {
            arrived += 1;
            if free > 0 {
                free -= 1;
                events.push(Reverse((t + ns(rng.exponential(1.0 / mu)), 1)));
            } else {
                waited += 1;
                queue.push_back(t);
            }
            if arrived < customers {
                events.push(Reverse((t + ns(rng.exponential(1.0 / lambda)), 0)));
            }
        } else if queue.pop_front().is_some() {
            events.push(Reverse((t + ns(rng.exponential(1.0 / mu)), 1)));
        } else {
            free += 1;
        }
    }
    waited as f64 / arrived as f64
}

/// Erlang case C1, as the simulator runs it: 200 enquiries an hour, a mean handling time of
/// 180 s, 14 agents.
pub fn case_c1(customers: u64) -> f64 {
    bare_mmc(customers, 14, 200.0 / 3600.0, 1.0 / 180.0, 1)
}
