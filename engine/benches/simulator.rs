//! Simulated enquiries per second on Erlang case C1 (200 an hour, exponential handling with a
//! mean of 180 s, 14 agents): the simulator with the full engine deciding every assignment,
//! against the bare M/M/c loop of `floor.rs` (a binary heap of events, a FIFO queue, no routing
//! logic). Prints one JSON object per line for `scripts/bench-simulator.sh`.
//!
//! `cargo bench -p switchboard --bench simulator [-- ENQUIRIES]` (default 1,000,000).

#![allow(clippy::unwrap_used, clippy::expect_used)]
// A test or benchmark of the engine, not the engine: it may read files and the clock.
#![allow(
    clippy::disallowed_methods,
    clippy::disallowed_types,
    clippy::disallowed_macros
)]

use std::time::Instant;

use switchboard::scenario::parse;
use switchboard::sim::Simulation;

mod floor;

const C1: &str = include_str!("../../tests/simulations/erlang_c1.json");

fn main() {
    let enquiries: u64 = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(1_000_000);

    let began = Instant::now();
    let p_wait = floor::case_c1(enquiries);
    let secs = began.elapsed().as_secs_f64();
    println!(
        "{{\"name\": \"bare M/M/c loop (native)\", \"enquiries\": {enquiries}, \"seconds\": {secs:.3}, \"per_second\": {:.0}, \"p_wait\": {p_wait:.4}}}",
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
