#!/usr/bin/env bash
# Behaviour before and after a change: builds the `switchboard` command line at REV and from
# the working tree, then replays every golden scenario (JSON and text) and simulates every
# file under tests/simulations (report and event log) with both, and compares the outputs
# byte for byte. Prints what differs; exits 1 if anything does.
#
#   bash scripts/compare-builds.sh REV        (e.g. HEAD~3, a commit id)
set -euo pipefail
cd "$(dirname "$0")/.."
rev="${1:?usage: bash scripts/compare-builds.sh REV}"
work="$PWD/target/compare"
rm -rf "$work"
mkdir -p "$work/before" "$work/after"
git worktree add --quiet --detach "$work/tree" "$rev"
trap 'git worktree remove --force "$work/tree"' EXIT

echo "== building at $rev and from the working tree" >&2
# The binary is `switchboard` in either layout (in the engine crate, or in engine/cli).
(cd "$work/tree" && cargo build --release --locked --quiet --bin switchboard)
cargo build --release --locked --quiet --bin switchboard
before="$work/tree/target/release/switchboard"
after="$PWD/target/release/switchboard"

run_all() {
  local bin="$1" out="$2"
  for f in tests/scenarios/*.json; do
    name="$(basename "$f" .json)"
    "$bin" replay "$f" > "$out/$name.replay.jsonl" 2> "$out/$name.replay.err" || true
    "$bin" replay "$f" --format text > "$out/$name.replay.txt" 2>&1 || true
  done
  for f in tests/simulations/*.json; do
    name="$(basename "$f" .json)"
    "$bin" simulate "$f" --events "$out/$name.events.jsonl" \
      > "$out/$name.report.json" 2> /dev/null || true
  done
}

echo "== running every scenario and simulation with both" >&2
run_all "$before" "$work/before"
run_all "$after" "$work/after"
files=$(ls "$work/after" | wc -l)
if diff -r "$work/before" "$work/after" > "$work/diff.txt"; then
  echo "identical: $files outputs of $rev and of the working tree"
else
  head -50 "$work/diff.txt"
  echo "differs: see $work/diff.txt" >&2
  exit 1
fi
