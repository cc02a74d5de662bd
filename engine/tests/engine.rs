//! The engine's integration tests: one binary, a module per area.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod golden;
#[cfg(not(target_arch = "wasm32"))]
mod properties;
mod simulator;

/// Per dialog: retries counted, the first and the last.
pub type RetrySums = std::collections::BTreeMap<
    switchboard::ids::DialogId,
    (u64, switchboard::Time, switchboard::Time),
>;

/// Actions with the `retried` counts taken out and summed per dialog: where a count is
/// reported depends on where calls end (a call ends a count), what was retried does not.
pub fn with_retries_summed(
    actions: &[switchboard::Action],
) -> (Vec<switchboard::Action>, RetrySums) {
    use switchboard::ActionKind;
    let mut rest = Vec::new();
    let mut sums = std::collections::BTreeMap::new();
    for action in actions {
        match &action.kind {
            ActionKind::Retried {
                dialog,
                count,
                first,
                last,
                ..
            } => {
                let sum = sums.entry(*dialog).or_insert((0, *first, *last));
                sum.0 += count;
                sum.1 = sum.1.min(*first);
                sum.2 = sum.2.max(*last);
            }
            _ => rest.push(action.clone()),
        }
    }
    (rest, sums)
}
mod scenarios_embedded {
    include!(concat!(env!("OUT_DIR"), "/scenarios.rs"));
}
