//! The engine for JavaScript. Built with `wasm-bindgen`, it runs in a page or in Node; every
//! function takes and returns JSON text, so that callers see the same documents the command
//! line reads and prints.

use switchboard::scenario::parse;
use switchboard::sim::Simulation;
use wasm_bindgen::prelude::*;

/// Runs a scenario's `simulation` part to the end and returns the report as JSON. `seed`
/// overrides the file's seed when given. Errors carry the same paths and messages as the
/// command line's.
#[wasm_bindgen]
pub fn simulate(scenario: &str, seed: Option<u64>) -> Result<String, JsError> {
    let parsed = parse(scenario).map_err(|e| JsError::new(&e.to_string()))?;
    let sim = Simulation::new(&parsed, seed, false).map_err(|e| JsError::new(&e.to_string()))?;
    serde_json::to_string(&sim.run()).map_err(|e| JsError::new(&e.to_string()))
}

/// The engine's version.
#[wasm_bindgen]
#[must_use]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
