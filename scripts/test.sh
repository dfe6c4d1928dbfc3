#!/usr/bin/env bash
# Every check of the project, as CI runs it (`.ci/run` calls exactly this).
# Runnable by hand from any directory: bash scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."

# Each step's wall time, printed when the next one starts and in a table at
# the end, so that CI's time can be read step by step.
TIMES=""
LAST_STEP=""
STEP_START=$SECONDS
finish_step() {
  if [ -n "$LAST_STEP" ]; then
    local took=$((SECONDS - STEP_START))
    printf -- '-- %s: %d s\n' "$LAST_STEP" "$took"
    TIMES+="$(printf '%5d s  %s' "$took" "$LAST_STEP")"$'\n'
  fi
}
step() {
  finish_step
  LAST_STEP="$*"
  STEP_START=$SECONDS
  printf '\n== %s ==\n' "$*"
}

step "format"
cargo fmt --all -- --check

step "clippy (pedantic, warnings are errors)"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "tests and doctests (README and docs/ snippets run in retentionkit-tests)"
cargo test --workspace --locked

step "core without default features (no rayon, no serde)"
cargo test -p retentionkit --no-default-features --locked --lib

step "docs (warnings are errors, KaTeX header for the formulas)"
# The header path is relative to the workspace root: cargo runs rustdoc there for workspace
# members. docs.rs gets the same file through [package.metadata.docs.rs] in the core's Cargo.toml.
RUSTDOCFLAGS="-D warnings --html-in-header crates/retentionkit/katex-header.html" \
  cargo doc --workspace --no-deps --locked

step "wasm: core wasm32 build, npm package built and tested (node, tsc, npm pack, Chromium)"
bash scripts/wasm.sh

step "Python package: pip install in a venv, pytest with doctests, stubtest, notebook"
bash scripts/python.sh

step "quick start runs"
cargo run --release --locked --example quickstart > /dev/null
cargo run --release --locked -p retentionkit-cli -- report --quiet --html target/report.html > /dev/null

step "front-ends agree: CLI --json, Python and npm on the demo shop and CDNOW (tests/cross)"
bash scripts/cross.sh

step "CLI HTML report in headless Chromium"
bash scripts/cli-browser.sh

finish_step
printf '\nstep times:\n%s%5d s  total\n' "$TIMES" "$SECONDS"
printf '\nall checks passed\n'
