#!/usr/bin/env bash
# Checks that the core crate builds with the oldest Rust it declares
# (`rust-version` in the root Cargo.toml, which crates/retentionkit inherits):
# installs that toolchain with rustup (minimal profile; once per machine) and
# runs `cargo check` of the library with its default features (all of them)
# and without any, against Cargo.lock, in its own target directory. The CLI
# declares 1.88 (its parquet dependency) and is built by the current toolchain
# in every other step. A step of scripts/test.sh; runnable by hand from any
# directory.
set -euo pipefail
cd "$(dirname "$0")/.."
MSRV=$(sed -n 's/^rust-version = "\(.*\)"/\1/p' Cargo.toml)
[ -n "$MSRV" ] || { echo "no rust-version in Cargo.toml" >&2; exit 1; }
if ! rustup run "$MSRV" rustc --version > /dev/null 2>&1; then
  echo "-- installing Rust $MSRV (rustup, minimal profile)"
  rustup toolchain install "$MSRV" --profile minimal --no-self-update
fi
echo "-- $(rustup run "$MSRV" rustc --version)"
export CARGO_TARGET_DIR=target/msrv
cargo "+$MSRV" check -p retentionkit --lib --locked
cargo "+$MSRV" check -p retentionkit --lib --locked --no-default-features
