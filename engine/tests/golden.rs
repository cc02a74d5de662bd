//! Every golden scenario file, run through the one `check` function. Natively each file is its
//! own test; in wasm (Node) the same files run again.

use switchboard::scenario::check;

use crate::scenarios_embedded::SCENARIOS;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

fn run_all(filter: impl Fn(&str) -> bool) {
    let mut failures = Vec::new();
    let mut ran = 0;
    for (name, text) in SCENARIOS.iter().filter(|(n, _)| filter(n)) {
        ran += 1;
        if let Err(e) = check(text) {
            failures.push(format!("{name}: {e}"));
        }
    }
    assert!(ran > 0, "no scenario matched");
    assert!(
        failures.is_empty(),
        "{} of {ran} scenarios failed:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

#[test]
fn availability() {
    run_all(|n| n.starts_with("availability_"));
}

#[test]
fn limits() {
    run_all(|n| n.starts_with("limit_"));
}

#[test]
fn modes() {
    run_all(|n| n.starts_with("mode_"));
}

#[test]
fn timers() {
    run_all(|n| n.starts_with("timers_"));
}

#[test]
fn returns_to_the_queue() {
    run_all(|n| n.starts_with("returns_"));
}

#[test]
fn worktime() {
    run_all(|n| n.starts_with("worktime_"));
}

#[test]
fn crm_forward() {
    run_all(|n| n.starts_with("crm_"));
}

#[test]
fn explanations() {
    run_all(|n| n.starts_with("explain_"));
}

#[test]
fn configuration() {
    run_all(|n| n.starts_with("config_"));
}

#[test]
fn demo() {
    run_all(|n| n.starts_with("demo_"));
}

/// Every file belongs to one of the areas above, so none is silently skipped.
#[test]
fn every_file_is_in_an_area() {
    let areas = [
        "availability_",
        "limit_",
        "mode_",
        "timers_",
        "returns_",
        "worktime_",
        "crm_",
        "explain_",
        "config_",
        "demo_",
    ];
    let stray: Vec<&str> = SCENARIOS
        .iter()
        .map(|(n, _)| *n)
        .filter(|n| !areas.iter().any(|a| n.starts_with(a)))
        .collect();
    assert!(
        stray.is_empty(),
        "scenario files outside every area: {stray:?}"
    );
}

/// Replaying twice gives byte-identical output.
#[test]
fn replay_is_deterministic() {
    for (name, text) in SCENARIOS {
        let Ok(s) = switchboard::scenario::parse(text) else {
            continue;
        };
        let (Ok(a), Ok(b)) = (
            switchboard::scenario::replay(&s),
            switchboard::scenario::replay(&s),
        ) else {
            continue;
        };
        let render = |r: &switchboard::scenario::Replay| {
            serde_json::to_string(&r.actions).unwrap_or_default()
        };
        assert_eq!(render(&a), render(&b), "{name}");
    }
}

/// A line nobody can staff, `n` dialogs arriving a second apart, and a jump far ahead: the
/// router reports each dialog's retries as counts, so the output is bounded by the dialogs,
/// not by how long they wait, and every retry a minute (or a second) is accounted for.
fn far_jump(n: u64, runner_period: i64, retry_interval: Option<i64>, days: i64) {
    use switchboard::{ActionKind, Config, Router, Time};
    let retry = retry_interval.map_or(String::new(), |s| format!(r#", "retry_interval": {s}"#));
    let config: Config = serde_json::from_str(&format!(
        r#"{{"version": 1, "portal": {{"runner_period": {runner_period}, "time_tracking": true}},
            "agents": [{{"id": "anna", "workday": "opened", "line_pause": true}}],
            "lines": [{{"id": "support", "mode": "evenly", "check_available": true,
                "queue": [{{"user": "anna"}}]{retry}}}]}}"#
    ))
    .unwrap();
    let start = Time::parse_rfc3339("2026-03-02T09:00:00Z").unwrap();
    let mut router = Router::new(&config, start).unwrap();
    let mut actions = Vec::new();
    for i in 0..n {
        let event = serde_json::from_str(&format!(
            r#"{{"type": "arrived", "dialog": {}, "line": "support"}}"#,
            i + 1
        ))
        .unwrap();
        router.handle_into(event, start.plus(i as i64 * 1000), &mut actions);
    }
    let end = start.plus(days * 86_400_000);
    router.advance_into(end, &mut actions);
    assert!(actions.len() < 50 * n as usize, "{} actions", actions.len());
    // Each dialog: retries made (as `undistributed`) and counted add up to one per run of
    // the queue agent from its first retry to the end.
    let step = match (runner_period, retry_interval) {
        (p, None) if p > 0 => 60_000,
        (_, Some(s)) => s * 1000,
        _ => unreachable!(),
    };
    for id in 1..=n {
        let mut made = 0;
        let mut counted = 0;
        let mut first_retry = None;
        for a in &actions {
            match &a.kind {
                ActionKind::Undistributed {
                    dialog,
                    retry_at,
                    cause,
                    ..
                } if dialog.0 == id => {
                    if first_retry.is_none() {
                        first_retry = Some(*retry_at);
                    }
                    made += u64::from(matches!(cause, switchboard::action::Cause::Retry));
                }
                ActionKind::Retried {
                    dialog,
                    count,
                    last,
                    ..
                } if dialog.0 == id => {
                    counted += count;
                    assert!(*last <= end);
                }
                _ => {}
            }
        }
        let first = first_retry.unwrap().ceil_to(runner_period * 1000);
        let expected = (end.since(first) / step) as u64 + 1;
        assert_eq!(made + counted, expected, "dialog {id}");
        assert!(
            counted > expected - 100,
            "dialog {id}: only {counted} of {expected} counted"
        );
    }
    let views = router.dialogs();
    assert!(views.iter().all(|d| d.phase == "queued"), "{views:?}");
}

#[test]
fn ten_years_with_nobody_to_take_100_dialogs() {
    far_jump(100, 60, None, 3652);
}

#[test]
fn a_retry_every_second_for_a_month() {
    far_jump(10, 0, Some(1), 30);
}

#[test]
fn instants_past_the_horizon_are_refused() {
    use switchboard::{ActionKind, Config, Event, Router, Time};
    let config: Config = serde_json::from_str(
        r#"{"version": 1, "agents": [{"id": "anna"}],
            "lines": [{"id": "support", "queue": [{"user": "anna"}]}]}"#,
    )
    .unwrap();
    let mut router = Router::new(
        &config,
        Time::parse_rfc3339("2026-03-02T09:00:00Z").unwrap(),
    )
    .unwrap();
    let event: Event = serde_json::from_str(r#"{"type": "closed", "dialog": 1}"#).unwrap();
    let out = router.handle(event, Time(i64::MAX));
    assert!(
        matches!(&out[..], [a] if matches!(&a.kind, ActionKind::Rejected { reason, .. } if reason.contains("the latest instant the router handles"))),
        "{out:?}"
    );
    let out = router.advance_to(Time(i64::MAX));
    assert!(
        matches!(&out.last().unwrap().kind, ActionKind::Rejected { event, .. } if event == "advance"),
        "{out:?}"
    );
    assert_eq!(router.now(), Time::LATEST);
}
