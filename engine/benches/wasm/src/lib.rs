//! The benchmark's floor, the bare M/M/c loop of `engine/benches/floor.rs`, exported to
//! JavaScript, so that `scripts/bench/simulate_wasm.mjs` measures the same loop in wasm as the
//! native benchmark does natively. The two ratios side by side (floor and simulator, wasm
//! against native) tell the runtime's cost from the simulator's.

use wasm_bindgen::prelude::wasm_bindgen;

#[path = "../../floor.rs"]
mod floor;

/// Erlang case C1 for `customers` customers; returns the share that waited.
#[wasm_bindgen(js_name = bareMmcC1)]
pub fn bare_mmc_c1(customers: f64) -> f64 {
    floor::case_c1(customers as u64)
}
