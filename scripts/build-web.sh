#!/usr/bin/env bash
# Builds the web app with Trunk into target/www (release, size-optimised by wasm-opt 132).
# Offline: Trunk uses the wasm-bindgen and wasm-opt that scripts/setup.sh installed.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/tests/e2e/node_modules/.bin:$PATH"
# LLVM's inliner gets no budget of its own in this build: a function is inlined where it is
# marked `#[inline]` (the engine marks its small hot ones) or called once, not wherever it is
# small. That is 58 KB gzip less to download; the engine simulates about a fifth slower in the
# page. Only this build: the CLI, the JS package and the benchmarks keep LLVM's defaults.
export RUSTFLAGS="-C llvm-args=-inline-threshold=0"
(cd web && trunk build --release --cargo-profile web --offline --locked "$@" >&2)
echo "target/www"
