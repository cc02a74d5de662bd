#!/usr/bin/env bash
# Runs the product: builds the web app and serves it at http://127.0.0.1:8080 until stopped
# (Ctrl-C). PORT=... picks another port.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build-web.sh >/dev/null
port="${PORT:-8080}"
echo
echo "Switchboard is at http://127.0.0.1:${port}/  (Ctrl-C stops it)"
exec python3 -m http.server "${port}" --bind 127.0.0.1 --directory target/www
