#!/usr/bin/env bash
# The CLI's report --json, the Python package and the npm package give the
# same numbers on the demo shop and the CDNOW sample (tests/cross/compare.py).
# Needs what scripts/wasm.sh (bindings/wasm/pkg/node), scripts/python.sh
# (the venv with the package) and a release build of the CLI leave behind;
# scripts/test.sh runs it after them.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV="${RETENTIONKIT_VENV:-$PWD/target/python-venv}"
cargo build --release --locked -p retentionkit-cli
"$VENV/bin/python" tests/cross/compare.py target/release/retentionkit
