#!/usr/bin/env bash
# Installs what building and testing Switchboard needs, and nothing that is already there.
# Safe to run again: each step checks first. Versions are pinned to ../shared/TOOLCHAIN.md.
set -euo pipefail

WASM_BINDGEN_VERSION=0.2.130
TRUNK_VERSION=0.21.14

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

if ! command -v cargo >/dev/null 2>&1; then
  echo "cargo is missing: install Rust with rustup first" >&2
  exit 1
fi

if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

for component in rustfmt clippy; do
  if ! rustup component list --installed 2>/dev/null | grep -q "^${component}"; then
    say "adding ${component}"
    rustup component add "${component}"
  fi
done

installed_bindgen="$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)"
if [ "${installed_bindgen}" != "${WASM_BINDGEN_VERSION}" ] || ! command -v wasm-bindgen-test-runner >/dev/null 2>&1; then
  say "installing wasm-bindgen-cli ${WASM_BINDGEN_VERSION} (about two minutes, once)"
  # Not --locked: the CLI's lock file names a crate version the registry no longer has.
  cargo install wasm-bindgen-cli --version "${WASM_BINDGEN_VERSION}"
fi

SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"

# Each apt-get on a line of its own: `set -e` ignores a failure anywhere in an `a && b` list
# but its end, so a failed update would go unnoticed.
if ! command -v node >/dev/null 2>&1; then
  say "installing Node.js for the wasm tests"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq nodejs
fi

installed_trunk="$(trunk --version 2>/dev/null | awk '{print $2}' || true)"
if [ "${installed_trunk}" != "${TRUNK_VERSION}" ]; then
  say "installing Trunk ${TRUNK_VERSION} (about seven minutes, once)"
  # --locked: without it, 0.21 picks a lightningcss that does not compile.
  cargo install trunk --version "${TRUNK_VERSION}" --locked
fi

# wasm-opt (binaryen 132, which Trunk runs) and playwright-core for the browser tests, pinned in
# tests/e2e/package-lock.json. Debian's binaryen is too old to read current Rust wasm.
here="$(cd "$(dirname "$0")/.." && pwd)"
if ! "${here}/tests/e2e/node_modules/.bin/wasm-opt" --version 2>/dev/null | grep -q "version 132" \
  || [ ! -d "${here}/tests/e2e/node_modules/playwright-core" ]; then
  say "installing binaryen and playwright-core from npm"
  (cd "${here}/tests/e2e" && npm ci --no-audit --no-fund --loglevel=error)
fi

if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
  say "installing Debian's Chromium and ChromeDriver for the browser tests"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium chromium-driver
fi

say "toolchain ready"
