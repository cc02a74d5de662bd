#!/usr/bin/env bash
# Builds the web app with Trunk into target/www (release, size-optimised by wasm-opt 132).
# Offline: Trunk uses the wasm-bindgen and wasm-opt that scripts/setup.sh installed.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/tests/e2e/node_modules/.bin:$PATH"
(cd web && trunk build --release --cargo-profile web --offline --locked "$@" >&2)
echo "target/www"
