//! Embeds the golden scenario files (`tests/scenarios/*.json` at the workspace root), the
//! simulation files (`tests/simulations/*.json`) and their recorded reports into the test
//! binaries, so that the same files run natively and in wasm, where there is no file system.

// Build time, not the engine: it reads the files it embeds.
#![allow(
    clippy::disallowed_methods,
    clippy::disallowed_types,
    clippy::disallowed_macros
)]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests");
    let mut code = String::new();
    embed(
        &mut code,
        &root.join("scenarios"),
        "SCENARIOS",
        "Golden scenario files",
    );
    embed(
        &mut code,
        &root.join("simulations"),
        "SIMULATIONS",
        "Simulation scenario files",
    );
    embed(
        &mut code,
        &root.join("simulations/expected"),
        "SIMULATION_REPORTS",
        "Recorded simulation reports",
    );
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap_or_default()).join("scenarios.rs");
    if let Err(e) = std::fs::write(&out, code) {
        println!("cargo:warning=could not write {}: {e}", out.display());
    }
}

/// Appends a constant listing the `.json` files of `dir` as (file name, contents).
fn embed(code: &mut String, dir: &Path, name: &str, what: &str) {
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| entries.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|e| e == "json"));
    files.sort();
    let _ = writeln!(
        code,
        "/// {what}: (file name, contents).\n#[allow(dead_code)]\npub const {name}: &[(&str, &str)] = &["
    );
    for path in &files {
        println!("cargo:rerun-if-changed={}", path.display());
        let file = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let _ = writeln!(
            code,
            "    ({file:?}, include_str!({:?})),",
            path.display().to_string()
        );
    }
    code.push_str("];\n");
}
