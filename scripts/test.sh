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

# One step at a time may run in the background (`background`), its output kept
# in a log under target/ and printed by `join_background`, which fails the run if
# the step failed. Its time goes into the table with the note "background".
BG_PID=""
BG_NAME=""
BG_LOG=""
background() {
  finish_step
  LAST_STEP=""
  BG_NAME=$1
  shift
  mkdir -p target
  BG_LOG=target/ci-background.log
  printf '\n== %s (in the background; output below when it ends) ==\n' "$BG_NAME"
  (
    start=$SECONDS
    rc=0
    "$@" || rc=$?
    echo "$((SECONDS - start)) $rc" > "$BG_LOG.status"
    exit "$rc"
  ) > "$BG_LOG" 2>&1 &
  BG_PID=$!
  STEP_START=$SECONDS
}
join_background() {
  finish_step
  LAST_STEP=""
  printf '\n== %s (background) ==\n' "$BG_NAME"
  local rc=0
  wait "$BG_PID" || rc=$?
  BG_PID=""
  cat "$BG_LOG"
  local took="?"
  read -r took _ < "$BG_LOG.status" || true
  printf -- '-- %s: %s s (background)\n' "$BG_NAME" "$took"
  TIMES+="$(printf '%5s s  %s (background)' "$took" "$BG_NAME")"$'\n'
  if [ "$rc" -ne 0 ]; then
    echo "failed: $BG_NAME (exit $rc)" >&2
    exit "$rc"
  fi
  STEP_START=$SECONDS
}
# A failure in the foreground stops the background step too.
trap '[ -z "$BG_PID" ] || { pkill -TERM -P "$BG_PID" 2>/dev/null; kill "$BG_PID" 2>/dev/null; } || true' EXIT

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

step "core crate as published (cargo package: its files alone build)"
cargo package -p retentionkit --locked

# Two chains at once from here: the wasm package and then the quick start in
# the background; the Python package, the MSRV check and then the fuzz targets
# in front. Each
# step is mostly one long compile that keeps one core busy (the CLI's release
# build: 123 s of CPU in 118 s of wall time), so on two cores the two chains
# take about the time of the longer one. They build in different places
# (target/wasm; target/ for the wasm tests' expected numbers, maturin and the
# quick start; fuzz/target); a build in target/ waits for cargo's lock while
# the other chain holds it.
wasm_then_quick_start() {
  local start=$SECONDS
  bash scripts/wasm.sh
  printf -- '-- wasm: %d s\n\n-- quick start runs\n' "$((SECONDS - start))"
  start=$SECONDS
  cargo run --release --locked --example quickstart > /dev/null
  cargo run --release --locked -p retentionkit-cli -- report --quiet --html target/report.html > /dev/null
  printf -- '-- quick start: %d s\n' "$((SECONDS - start))"
}
background "wasm: core wasm32 build, npm package built and tested (node, tsc, npm pack, Chromium); then the quick start runs" \
  wasm_then_quick_start

step "Python package: pip install in a venv, pytest with doctests, stubtest, notebook"
bash scripts/python.sh

# The four targets whose build leaves out arrow and parquet: building those two
# with libFuzzer's instrumentation took 600 of the step's 730 s (CI of 82c10d6).
# The Parquet and Arrow IPC targets' corpora, with their regression inputs, are
# read by the command in every run of the CLI's tests (tests/it/fuzz_corpora.rs);
# `bash scripts/fuzz.sh` explores all six.
step "core crate on its oldest declared Rust (scripts/msrv.sh: rust-version 1.85)"
bash scripts/msrv.sh

step "fuzz targets (scripts/fuzz.sh parse_day csv_reader log_build models, FUZZ_SECONDS=20 each)"
bash scripts/fuzz.sh parse_day csv_reader log_build models

join_background

step "front-ends agree: CLI --json, Python and npm on the demo shop and CDNOW (tests/cross)"
bash scripts/cross.sh

step "CLI HTML report in headless Chromium"
bash scripts/cli-browser.sh

finish_step
printf '\nstep times:\n%s%5d s  total\n' "$TIMES" "$SECONDS"
printf '\nall checks passed\n'
