//! Simulated enquiries per second on Erlang case C1 (200 an hour, exponential handling with a
//! mean of 180 s, 14 agents): the simulator with the full engine deciding every assignment,
//! against a bare M/M/c loop written here (a binary heap of events, a FIFO queue, no routing
//! logic) as the floor. Prints one JSON object per line for `scripts/bench-simulator.sh`.
//!
//! `cargo bench -p switchboard --bench simulator [-- ENQUIRIES]` (default 1,000,000).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};
use std::time::Instant;

use switchboard::scenario::parse;
use switchboard::sim::random::Rng;
use switchboard::sim::Simulation;

const C1: &str = include_str!("../../tests/simulations/erlang_c1.json");

/// M/M/c with FIFO: returns the share of customers that waited, to keep the work observable.
fn bare_mmc(customers: u64, servers: u32, lambda: f64, mu: f64, seed: u64) -> f64 {
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

fn main() {
    let enquiries: u64 = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(1_000_000);

    let began = Instant::now();
    let p_wait = bare_mmc(enquiries, 14, 200.0 / 3600.0, 1.0 / 180.0, 1);
    let secs = began.elapsed().as_secs_f64();
    println!(
        "{{\"name\": \"bare M/M/c loop (Rust)\", \"enquiries\": {enquiries}, \"seconds\": {secs:.3}, \"per_second\": {:.0}, \"p_wait\": {p_wait:.4}}}",
        enquiries as f64 / secs
    );

    let text = C1.replace(
        "\"enquiries\": 400000",
        &format!("\"enquiries\": {enquiries}"),
    );
    let scenario = parse(&text).expect("case C1 parses");
    let began = Instant::now();
    let report = Simulation::new(&scenario, None, false)
        .expect("case C1 is valid")
        .run();
    let secs = began.elapsed().as_secs_f64();
    println!(
        "{{\"name\": \"switchboard simulator (native)\", \"enquiries\": {enquiries}, \"seconds\": {secs:.3}, \"per_second\": {:.0}, \"p_wait\": {:.4}}}",
        enquiries as f64 / secs,
        report.waiting.probability
    );
}
