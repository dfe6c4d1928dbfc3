#!/usr/bin/env bash
# Installs what building for wasm32-unknown-unknown needs on these machines:
# the rustup toolchain has only the x86_64 standard
# library, so Debian's rustc-web (with std sources) and wasm-ld build it.
# Idempotent; does nothing when the tools are already there.
set -euo pipefail
if [ -x /usr/bin/rustc ] && [ -d /usr/lib/rustlib/src/rust/library ] && [ -x /usr/bin/wasm-ld-22 ]; then
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
  rustc-web cargo-web rust-web-src lld-22 >/dev/null
