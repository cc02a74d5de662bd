#!/usr/bin/env bash
# Simulated enquiries per second on Erlang case C1, in one run: a bare M/M/c loop (the floor),
# the simulator natively and as wasm under Node, SimPy and Ciw (installed into a venv under
# target/). Each runs ROUNDS times (default 3); prints the fastest of each and the ratios.
#
#   bash scripts/bench-simulator.sh [ENQUIRIES]    (default 1,000,000)
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-1000000}"
bash scripts/setup.sh >&2

venv=target/bench-venv
if ! "$venv/bin/python" -c "import ciw, simpy" 2>/dev/null; then
  echo "== installing Ciw and SimPy into $venv" >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet ciw==3.2.7 simpy==4.1.2
fi

echo "== building" >&2
cargo build --release --locked --target wasm32-unknown-unknown -p switchboard-js >&2
wasm-bindgen --target nodejs --out-dir target/bench-wasm \
  target/wasm32-unknown-unknown/release/switchboard_js.wasm

# The machine may be shared: every measurement runs in each of $rounds rounds, interleaved,
# and the fastest of each counts (the others show as the spread).
rounds="${ROUNDS:-3}"
results=target/bench-simulator.jsonl
: > "$results"
cargo bench --locked -p switchboard --bench simulator --no-run 2>/dev/null
for round in $(seq "$rounds"); do
  echo "== round $round of $rounds: case C1 with $n enquiries" >&2
  cargo bench --locked -p switchboard --bench simulator -- "$n" 2>/dev/null | grep '^{' | tee -a "$results"
  node scripts/bench/simulate_wasm.mjs "$PWD/target/bench-wasm" "$n" | tee -a "$results"
  "$venv/bin/python" scripts/bench/mmc_simpy.py "$n" | tee -a "$results"
  "$venv/bin/python" scripts/bench/mmc_ciw.py "$n" | tee -a "$results"
done

python3 - "$results" <<'PY'
import json, sys
runs = {}
for r in map(json.loads, open(sys.argv[1])):
    runs.setdefault(r["name"], []).append(r)
rows = {k: max(v, key=lambda r: r["per_second"]) for k, v in runs.items()}
rate = {k: v["per_second"] for k, v in rows.items()}
native = rate["switchboard simulator (native)"]
print()
print(f"{'':40} {'enquiries/s':>12}  {'slowest run':>12}  P(wait)")
for k, v in rows.items():
    slowest = min(r["per_second"] for r in runs[k])
    print(f"{k:40} {v['per_second']:>12,}  {slowest:>12,}  {v['p_wait']:.4f}")
print()
print(f"bare loop / simulator (native):   {rate['bare M/M/c loop (Rust)'] / native:6.2f}x  (target: at most 5)")
print(f"wasm slowdown (native / wasm):    {native / rate['switchboard simulator (wasm, Node)']:6.2f}x  (target: at most 1.6)")
print(f"simulator (native) / SimPy:       {native / rate['SimPy 4.1.2']:6.1f}x")
print(f"simulator (native) / Ciw:         {native / rate['Ciw 3.2.7']:6.1f}x")
week = rows["support week, 50 agents (wasm, Node)"]
print(f"a simulated week, 50 agents, wasm: {week['seconds']:6.3f} s for {week['enquiries']:,} enquiries  (target: under 1 s)")
PY
