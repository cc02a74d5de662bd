#!/usr/bin/env bash
# Runs the product. Until the web app lands, that is the engine's CLI on the built-in demo line:
# every decision with who was chosen and why each other agent was not.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cargo run -q --release -p switchboard --locked -- demo "$@"
