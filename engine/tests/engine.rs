//! The engine's integration tests: one binary, a module per area.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[cfg(not(target_arch = "wasm32"))]
mod cli;
mod golden;
#[cfg(not(target_arch = "wasm32"))]
mod properties;
mod simulator;
mod scenarios_embedded {
    include!(concat!(env!("OUT_DIR"), "/scenarios.rs"));
}
