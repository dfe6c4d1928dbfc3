#!/usr/bin/env bash
# Runs the fuzz targets in fuzz/ (cargo-fuzz, libFuzzer), as CI runs them:
#   1. cargo-fuzz $CARGO_FUZZ_VERSION, installed once into $RETENTIONKIT_FUZZ_CACHE
#      (default ~/.cache/retentionkit-fuzz);
#   2. the format check of the fuzz crate and one build of all its targets
#      (release, debug assertions on, RUSTC_BOOTSTRAP=1 so that the stable
#      compiler takes the flags cargo-fuzz passes);
#   3. each target for $FUZZ_SECONDS seconds (default 20) on a scratch copy of
#      its committed corpus fuzz/corpus/TARGET (so the run never changes the
#      repository), with -timeout=$FUZZ_TIMEOUT seconds (default 10) per
#      input to catch hangs. A crash, a hang or a broken property fails the
#      run; the input is kept in target/fuzz-artifacts/TARGET/.
# Usage: bash scripts/fuzz.sh [TARGET...]   (default: all six, DEFAULT_TARGETS)
#        FUZZ_SECONDS=3600 FUZZ_SEED=0 bash scripts/fuzz.sh csv_reader   (a longer run)
# FUZZ_SANITIZER=address runs under AddressSanitizer (slower; the default
# `none` is enough for safe Rust: a panic or an abort is what fails).
# Runnable by hand from any directory.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
CARGO_FUZZ_VERSION=0.13.2
CACHE=${RETENTIONKIT_FUZZ_CACHE:-$HOME/.cache/retentionkit-fuzz}
SECONDS_EACH=${FUZZ_SECONDS:-20}
TIMEOUT=${FUZZ_TIMEOUT:-10}
SANITIZER=${FUZZ_SANITIZER:-none}
# A fixed seed by default, so that two CI runs of one commit explore alike;
# FUZZ_SEED=0 lets libFuzzer pick one (for long runs by hand).
SEED=${FUZZ_SEED:-1}
# Every target runs by default. Their corpora keep the inputs of fixed
# findings (fuzz/corpus/TARGET/regression-*), replayed first on every run;
# parquet_reader's two are files the parquet crate 57.x panicked or aborted
# on (the CLI now uses parquet 60, which returns errors for both); ipc_reader's
# is an Arrow IPC footer with a negative block length (arrow-ipc 60 panics on
# it; the CLI's guard turns the panic into an exit-2 error).
DEFAULT_TARGETS=(parse_day csv_reader parquet_reader ipc_reader log_build models)
# The targets that need the fuzz crate's `arrow-readers` feature (arrow and
# parquet, most of the build). When none of the targets asked for is one of
# them, the build leaves those crates out (--no-default-features): CI's fuzz
# step runs the other four that way (scripts/test.sh says why).
ARROW_TARGETS=(parquet_reader ipc_reader)

say() { printf -- '-- %s\n' "$*"; }

FUZZ=$CACHE/bin/cargo-fuzz
if ! [ -x "$FUZZ" ] || [ "$("$FUZZ" --version)" != "cargo-fuzz $CARGO_FUZZ_VERSION" ]; then
  say "installing cargo-fuzz $CARGO_FUZZ_VERSION into $CACHE"
  cargo install cargo-fuzz --version "=$CARGO_FUZZ_VERSION" --locked --root "$CACHE" --force
fi
export PATH=$CACHE/bin:$PATH
export RUSTC_BOOTSTRAP=1

if [ "$#" -gt 0 ]; then
  targets=("$@")
else
  targets=("${DEFAULT_TARGETS[@]}")
fi
known=$(cd fuzz && cargo fuzz list)
for t in "${targets[@]}"; do
  if ! grep -qx "$t" <<< "$known"; then
    echo "unknown fuzz target '$t'; the targets are:" $known >&2
    exit 2
  fi
done

features=(--no-default-features)
for t in "${targets[@]}"; do
  for a in "${ARROW_TARGETS[@]}"; do
    [ "$t" != "$a" ] || features=()
  done
done

say "format of the fuzz crate"
cargo fmt --manifest-path fuzz/Cargo.toml -- --check

say "building the fuzz targets (sanitizer: $SANITIZER${features:+; without the Arrow readers})"
start=$SECONDS
(cd fuzz && cargo fuzz build -s "$SANITIZER" ${features[@]+"${features[@]}"})
say "build: $((SECONDS - start)) s"

SCRATCH=$(mktemp -d)
trap 'rm -rf "$SCRATCH"' EXIT
failed=()
times=""
for t in "${targets[@]}"; do
  say "$t: ${SECONDS_EACH} s from the corpus fuzz/corpus/$t"
  mkdir -p "$SCRATCH/$t"
  cp -r "fuzz/corpus/$t" "$SCRATCH/$t/corpus"
  artifacts=$ROOT/target/fuzz-artifacts/$t
  mkdir -p "$artifacts"
  start=$SECONDS
  rc=0
  # TMPDIR: the reader targets write each input to a scratch file there.
  (cd fuzz && TMPDIR="$SCRATCH/$t" cargo fuzz run -s "$SANITIZER" ${features[@]+"${features[@]}"} "$t" "$SCRATCH/$t/corpus" -- \
    -max_total_time="$SECONDS_EACH" -timeout="$TIMEOUT" -rss_limit_mb=2048 -seed="$SEED" \
    -artifact_prefix="$artifacts/" -print_final_stats=1 2> "$SCRATCH/$t/log") || rc=$?
  took=$((SECONDS - start))
  grep -E '^(#[0-9]+ +DONE|stat::number_of_executed_units|stat::peak_rss_mb)' "$SCRATCH/$t/log" || true
  times+="$(printf '%5d s  %s' "$took" "$t")"$'\n'
  if [ "$rc" -ne 0 ]; then
    grep -A2 'panicked at' "$SCRATCH/$t/log" >&2 || true
    grep -E '^(==[0-9]+== ERROR|SUMMARY|Base64)' "$SCRATCH/$t/log" >&2 || true
    echo "fuzz target $t failed (exit $rc); its input is in $artifacts/" >&2
    failed+=("$t")
  fi
done
printf '\nfuzz run times (each target %s s):\n%s' "$SECONDS_EACH" "$times"
if [ "${#failed[@]}" -gt 0 ]; then
  echo "failed fuzz targets: ${failed[*]}" >&2
  exit 1
fi
say "no fuzz target found a problem"
