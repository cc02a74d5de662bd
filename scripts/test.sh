#!/usr/bin/env bash
# Runs every test: formatting, lints on native and wasm, the API docs' links, the native tests
# (unit, golden scenarios, property tests, doc tests), the same golden scenarios as wasm under
# Node, the CLI over every golden file, the web app's component tests in headless Chromium, and
# end-to-end tests of the built app (screenshots in tests/artifacts/). Installs what is missing
# first.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
# Checks stand on lines of their own: `set -e` ignores a failure anywhere in an `a && b` list
# but its end, so `check && echo ok` would let a failed check pass.

step "formatting"
cargo fmt --all -- --check

step "lints (native)"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "lints (wasm32)"
cargo clippy --workspace --lib --bins --target wasm32-unknown-unknown --locked -- -D warnings

step "API documentation builds without broken links"
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --locked

step "native tests"
cargo test --workspace --locked

step "fuzzing: the reader, validation, the router and the simulator, a minute each"
# Test builds keep overflow checks on. A failing input is left in target/fuzz-failures/.
FUZZ_SECONDS=60 cargo test -p switchboard --test fuzz --locked -- --nocapture

step "golden scenarios and simulations as wasm under Node"
cargo test -p switchboard --test engine --target wasm32-unknown-unknown --locked

step "the CLI over every golden scenario"
cargo run -q -p switchboard-cli --locked -- check tests/scenarios/*.json

step "the CLI simulates the support week and reproduces its recorded report"
cargo run -q -p switchboard-cli --locked -- simulate tests/simulations/support_week.json \
  | diff -u tests/simulations/expected/support_week.report.json -
echo "identical"

step "the CLI replays real arrival times from a CSV file"
# Read whole before matching: `cmd | grep -q` under pipefail fails when grep stops reading
# before the command has written everything.
report="$(cargo run -q -p switchboard-cli --locked -- simulate tests/simulations/replay_morning.json)"
grep -q '"offered": 30,' <<<"$report"
echo "30 enquiries replayed"

step "the CLI writes the event log as JSON lines, and says so when it cannot"
events="$(mktemp)"
cargo run -q -p switchboard-cli --locked -- simulate tests/simulations/replay_morning.json \
  --events "$events" >/dev/null
python3 - "$events" <<'PY'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
arrived = [l for l in lines if l.get("event", {}).get("type") == "arrived"]
offered = [l for l in lines if l.get("type") == "offered"]
assert all("at" in l for l in lines), "a line without its instant"
assert len(arrived) == 30, f"{len(arrived)} arrivals logged, not 30"
assert offered and all(o["decision"]["candidates"] for o in offered), "offers without explanations"
print(f"{len(lines)} lines: 30 arrivals, {len(offered)} explained offers")
PY
rm -f "$events"
refusal="$(mktemp)"
if cargo run -q -p switchboard-cli --locked -- simulate tests/simulations/replay_morning.json \
  --events /nonexistent/dir/events.jsonl >/dev/null 2>"$refusal"; then
  echo "an event log into a missing folder was accepted" >&2; exit 1
fi
grep -q "/nonexistent/dir/events.jsonl: No such file" "$refusal"
rm -f "$refusal"
echo "refused with the path named"

step "the CLI runs a simulation with a doubtful setting and names it on stderr"
doubtful="$(mktemp --suffix=.json)"
python3 - "$doubtful" <<'PY'
import json, sys
doc = json.load(open("tests/simulations/erlang_c1.json"))
doc["config"]["lines"][0]["mode"] = "all"  # its max_chat then does nothing
doc["simulation"].pop("enquiries")
doc["simulation"]["duration"] = "2h"
json.dump(doc, open(sys.argv[1], "w"))
PY
said="$(cargo run -q -p switchboard-cli --locked -- simulate "$doubtful" 2>&1 >/dev/null)"
grep -q "warning: lines\[0\].max_chat" <<<"$said"
echo "warned: $said"

step "the CLI goes on when the reader of its output is gone (| head)"
# Each command writes into a pipe whose reader has closed: stdout for demo, replay and
# validate, which stop quietly; stderr for the doubtful run, whose warning cannot be written
# and which still gives its report.
python3 - "$doubtful" <<'PY'
import os, subprocess, sys
for args, gone in ((["demo", "--format", "text"], "stdout"),
                   (["replay", "tests/scenarios/demo_support_line.json"], "stdout"),
                   (["validate", "tests/simulations/erlang_c1.json"], "stdout"),
                   (["simulate", sys.argv[1]], "stderr")):
    read, write = os.pipe()
    os.close(read)
    streams = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, gone: write}
    run = subprocess.run(["target/debug/switchboard", *args], **streams)
    os.close(write)
    said = (run.stderr or b"").decode()[-300:]
    assert run.returncode == 0, f"{args}: exit code {run.returncode}: {said}"
    if gone == "stdout":
        assert not run.stderr, f"{args}: {said}"
    else:
        assert b'"offered"' in run.stdout, f"{args}: no report"
    print(f"{' '.join(args)}: {gone} closed, exit code 0")
PY
rm -f "$doubtful"

step "web app component tests in headless Chromium"
CHROMEDRIVER=/usr/bin/chromedriver \
  cargo test -p switchboard-web --test browser --target wasm32-unknown-unknown --locked

step "build the web app"
bash scripts/build-web.sh >/dev/null

step "end-to-end tests of the built app in Chromium"
node tests/e2e/run.mjs
