//! The engine's integration tests: one binary, a module per area.

mod golden;
#[cfg(not(target_arch = "wasm32"))]
mod properties;
mod scenarios_embedded {
    include!(concat!(env!("OUT_DIR"), "/scenarios.rs"));
}
