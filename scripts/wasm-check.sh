#!/usr/bin/env bash
# Checks that the core crate builds for wasm32-unknown-unknown with the
# `parallel` feature off (rayon needs threads). Uses Debian's compiler with
# -Zbuild-std in its own target directory, so it never shares artefacts with
# the rustup toolchain.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/wasm-toolchain.sh
env RUSTC=/usr/bin/rustc RUSTDOC=/usr/bin/rustdoc RUSTC_BOOTSTRAP=1 \
    CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER=/usr/bin/wasm-ld-22 \
    CARGO_TARGET_DIR=target/wasm \
    /usr/bin/cargo build -p retentionkit --lib --release --locked \
      --no-default-features --features serde \
      --target wasm32-unknown-unknown -Zbuild-std=std,panic_abort
echo "wasm32 build ok: $(ls target/wasm/wasm32-unknown-unknown/release/libretentionkit.rlib)"
