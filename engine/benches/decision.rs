//! The cost of one routing decision at 10, 100, 1,000 and 10,000 agents in the queue, for
//! `evenly` and `strictly`, with and without explanations; and the cost of taking in a large
//! queue: validating it and building a router over it, at 10,000 and 100,000 agents.
//!
//! The line checks availability with time tracking on; a quarter of the agents are on a paused
//! workday, and half a dialog per agent is already assigned, so a decision has to look past
//! unavailable agents as it would on a busy line. `Router::preview` runs the same pick as a real
//! assignment without changing the state, so every iteration measures the same decision.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use switchboard::event::Event;
use switchboard::ids::{DialogId, LineId};
use switchboard::time::{Time, SECOND};
use switchboard::{Config, Router};

const START: i64 = 1_772_442_000_000;

fn router(agents: usize, mode: &str, explain: bool) -> Router {
    let list: Vec<serde_json::Value> = (0..agents)
        .map(|i| serde_json::json!({ "id": format!("a{i}"), "workday": if i % 4 == 1 { "paused" } else { "opened" } }))
        .collect();
    let queue: Vec<serde_json::Value> = (0..agents)
        .map(|i| serde_json::json!({ "user": format!("a{i}") }))
        .collect();
    let config: Config = serde_json::from_value(serde_json::json!({
        "version": 1,
        "portal": { "time_tracking": true, "runner_period": 0 },
        "agents": list,
        "lines": [{ "id": "support", "mode": mode, "check_available": true, "max_chat": 3, "queue_time": 600, "queue": queue }],
    }))
    .expect("bench config parses");
    let mut router = Router::new(&config, Time(START)).expect("bench config is valid");
    router.set_explanations(false);
    let line = LineId::new("support");
    for d in 0..agents / 2 {
        let at = Time(START + d as i64 * SECOND / 10);
        router.handle(
            Event::Arrived {
                dialog: DialogId(d as u64 + 1),
                line: line.clone(),
                client: None,
            },
            at,
        );
    }
    router.set_explanations(explain);
    router
}

fn decisions(c: &mut Criterion) {
    let line = LineId::new("support");
    for mode in ["evenly", "strictly"] {
        for explain in [false, true] {
            let name = format!(
                "decision/{mode}/{}",
                if explain { "explained" } else { "unexplained" }
            );
            let mut group = c.benchmark_group(name);
            for agents in [10usize, 100, 1_000, 10_000] {
                let router = router(agents, mode, explain);
                group.bench_with_input(BenchmarkId::from_parameter(agents), &agents, |b, _| {
                    b.iter(|| black_box(router.preview(black_box(&line))));
                });
            }
            group.finish();
        }
    }
}

/// A configuration of `agents` agents, a third of them in two departments, and one line whose
/// queue names every agent once, then both departments (whose members are then already placed).
fn large_queue(agents: usize) -> Config {
    let list: Vec<serde_json::Value> = (0..agents)
        .map(|i| {
            let departments = match i % 3 {
                0 => vec![format!("d{}", i % 2)],
                _ => Vec::new(),
            };
            serde_json::json!({ "id": format!("a{i}"), "departments": departments })
        })
        .collect();
    let mut queue: Vec<serde_json::Value> = (0..agents)
        .map(|i| serde_json::json!({ "user": format!("a{i}") }))
        .collect();
    queue.push(serde_json::json!({ "department": "d0" }));
    queue.push(serde_json::json!({ "department": "d1" }));
    serde_json::from_value(serde_json::json!({
        "version": 1,
        "agents": list,
        "lines": [{ "id": "support", "mode": "evenly", "queue": queue }],
    }))
    .expect("large queue parses")
}

fn large_queues(c: &mut Criterion) {
    let mut group = c.benchmark_group("large_queue");
    group.sample_size(10);
    for agents in [10_000usize, 100_000] {
        let config = large_queue(agents);
        group.bench_with_input(
            BenchmarkId::new("validate", agents),
            &config,
            |b, config| {
                b.iter(|| black_box(switchboard::validate(black_box(config))));
            },
        );
        group.bench_with_input(BenchmarkId::new("router", agents), &config, |b, config| {
            b.iter(|| black_box(Router::new(black_box(config), Time(START)).is_ok()));
        });
    }
    group.finish();
}

criterion_group!(benches, decisions, large_queues);
criterion_main!(benches);
