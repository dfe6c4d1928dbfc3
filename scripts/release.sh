#!/usr/bin/env bash
# Builds the release artifacts into target/release-artifacts/ and installs each where a
# user would, with no Rust toolchain on PATH, and runs a smoke test there:
#   npm    the npm tarball (scripts/wasm.sh build, then `npm pack`), installed
#          into an empty npm project whose PATH holds only node, npm and sh;
#          the smoke test is tests/packed/ (require, import, retentionkit/web);
#   crate  `cargo package -p retentionkit` (cargo builds the packaged sources
#          alone: the verified build), copied with its checksum;
#   python not built yet (see the TODO below).
# Usage: bash scripts/release.sh [npm|crate|all]   (default: all)
# Prints each artifact with its size and SHA-256. Runnable by hand from any
# directory. CI does not run this script: scripts/wasm.sh already packs and
# installs the npm tarball (and bundles it), and scripts/test.sh runs
# `cargo package -p retentionkit`.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
WHAT=${1:-all}
OUT=$ROOT/target/release-artifacts
case "$WHAT" in
  npm | crate | all) ;;
  *)
    echo "usage: bash scripts/release.sh [npm|crate|all]" >&2
    exit 2
    ;;
esac

say() { printf -- '-- %s\n' "$*"; }
mkdir -p "$OUT"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# A PATH with node, npm and sh only: what an npm user has, and no cargo or
# rustc (the machine has rustup's and Debian's in /usr/bin).
node_only_path() {
  local bin=$WORK/bin
  mkdir -p "$bin"
  local tool
  for tool in node npm sh; do
    ln -sf "$(command -v "$tool")" "$bin/$tool"
  done
  if PATH=$bin command -v cargo > /dev/null || PATH=$bin command -v rustc > /dev/null; then
    echo "a Rust toolchain is reachable from $bin" >&2
    exit 1
  fi
  echo "$bin"
}

release_npm() {
  say "npm: the package (scripts/wasm.sh build)"
  bash scripts/wasm.sh build
  local name
  name=$(cd bindings/wasm && npm pack --silent --pack-destination "$OUT")
  say "npm: $name installed into an empty project without Rust"
  local app=$WORK/npm-app bin
  bin=$(node_only_path)
  mkdir "$app"
  cp bindings/wasm/tests/packed/* "$app/"
  (cd "$app" && echo '{ "name": "app", "private": true }' > package.json \
    && env PATH="$bin" npm install --no-audit --no-fund --loglevel=error "$OUT/$name" \
    && env PATH="$bin" node use.cjs && env PATH="$bin" node use.mjs && env PATH="$bin" node use-web.mjs)
  ARTIFACTS+=("$OUT/$name")
}

release_crate() {
  say "crate: cargo package -p retentionkit (builds the packaged sources alone)"
  cargo package -p retentionkit --locked
  local version crate
  version=$(cargo pkgid --locked -p retentionkit)
  version=${version##*[@:#]}
  crate=target/package/retentionkit-$version.crate
  cp "$crate" "$OUT/"
  ARTIFACTS+=("$OUT/retentionkit-$version.crate")
}

ARTIFACTS=()
if [ "$WHAT" = npm ] || [ "$WHAT" = all ]; then release_npm; fi
if [ "$WHAT" = crate ] || [ "$WHAT" = all ]; then release_crate; fi
# TODO(python, issue 23 item 1): an abi3 wheel with a manylinux tag and an sdist
# (maturin build --release from bindings/python, e.g. with --zig from the
# `ziglang` package), each installed into a fresh venv whose PATH has no
# cargo or rustc, and a smoke test there. Not built by this script yet.
say "python: not built (TODO in scripts/release.sh)"

say "artifacts in $OUT"
for file in "${ARTIFACTS[@]}"; do
  printf '%10d  %s  %s\n' "$(wc -c < "$file")" "$(sha256sum "$file" | cut -d' ' -f1)" "${file#"$ROOT"/}"
done
