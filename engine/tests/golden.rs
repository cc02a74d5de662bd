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
