#!/usr/bin/env bash
# Builds the release artifacts into target/release-artifacts/ and installs each where a
# user would, with no Rust toolchain on PATH, and runs a smoke test there:
#   npm    the npm tarball (scripts/wasm.sh build, then `npm pack`), installed
#          into an empty npm project whose PATH holds only node, npm and sh;
#          the smoke test is tests/packed/ (require, import, retentionkit/web);
#   crate  `cargo package -p retentionkit` (cargo builds the packaged sources
#          alone: the verified build), copied with its checksum;
#   python an abi3 wheel with a manylinux tag (maturin --zig, with zig from the
#          `ziglang` package, both pinned, in a build venv under target/) and an
#          sdist (`maturin sdist`); the wheel's tags are checked, `auditwheel
#          show` reports on it, and it is installed with its dependencies
#          from PyPI into a fresh venv whose PATH holds only python3 and sh;
#          the smoke test is bindings/python/tests/packed/smoke.py. One venv
#          per interpreter in RELEASE_PYTHONS (default: python3), for example
#          RELEASE_PYTHONS="python3.9 python3.13" for the ends of abi3's range.
#          With RELEASE_SDIST=1, pip also builds the sdist (with cargo, a full
#          release build of the extension) in a fresh venv and the smoke test
#          runs on that install.
# Usage: bash scripts/release.sh [npm|crate|python|all]   (default: all)
# Prints each artifact with its size and SHA-256. Runnable by hand from any
# directory. CI does not run this script: scripts/wasm.sh already packs and
# installs the npm tarball (and bundles it), scripts/test.sh runs
# `cargo package -p retentionkit`, and scripts/python.sh builds and tests the
# Python package from source (the wheel's release build with zig is a second
# full build of the extension: `release.sh python` took 2 min 48 s from an
# empty build venv and target dir on the 2-core dev machine, 1 to 2.5 min warm).
# The wheel's SHA-256 changes from build to build: maturin's SBOM in it
# (dist-info/sboms/) carries a fresh serial number and timestamp.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
WHAT=${1:-all}
OUT=$ROOT/target/release-artifacts
case "$WHAT" in
  npm | crate | python | all) ;;
  *)
    echo "usage: bash scripts/release.sh [npm|crate|python|all]" >&2
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
  no_rust_on "$bin"
  echo "$bin"
}

no_rust_on() {
  if PATH=$1 command -v cargo > /dev/null || PATH=$1 command -v rustc > /dev/null; then
    echo "a Rust toolchain is reachable from $1" >&2
    exit 1
  fi
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

# The pinned build tools. maturin runs zig as `python3 -m ziglang` when no `zig`
# is on PATH, so the build venv's bin/ goes first on PATH while building.
MATURIN=maturin==1.16.0
ZIGLANG=ziglang==0.14.1
AUDITWHEEL=auditwheel==6.8.2
# The tags the wheel must carry: one build for CPython 3.9+ (abi3), glibc 2.17+.
WHEEL_TAG=cp39-abi3-manylinux_2_17_x86_64

python_build_venv() {
  local venv=$ROOT/target/release-build-venv pins="$MATURIN $ZIGLANG $AUDITWHEEL"
  if [ "$(cat "$venv/pins" 2> /dev/null)" != "$pins" ]; then
    rm -rf "$venv"
    python3 -m venv "$venv"
    # shellcheck disable=SC2086 # the pins are three words
    "$venv/bin/python" -m pip install -q $pins >&2
    echo "$pins" > "$venv/pins"
  fi
  echo "$venv"
}

# Fails unless the wheel's name and its WHEEL metadata both carry $WHEEL_TAG.
check_wheel_tags() {
  local wheel=$1 py=$2
  case "$(basename "$wheel")" in
    *-cp39-abi3-*manylinux_2_17_x86_64*.whl) ;;
    *)
      echo "wheel $(basename "$wheel"): not tagged $WHEEL_TAG" >&2
      exit 1
      ;;
  esac
  "$py" - "$wheel" "$WHEEL_TAG" << 'EOF'
import sys, zipfile
wheel, want = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(wheel) as z:
    meta = [n for n in z.namelist() if n.endswith(".dist-info/WHEEL")]
    if len(meta) != 1:
        sys.exit(f"{wheel}: {len(meta)} WHEEL files")
    text = z.read(meta[0]).decode()
tags = [line.split(":", 1)[1].strip() for line in text.splitlines() if line.startswith("Tag:")]
print("   WHEEL tags: " + ", ".join(tags))
if want not in tags:
    sys.exit(f"{wheel}: WHEEL metadata has no tag {want}")
if "Root-Is-Purelib: false" not in text:
    sys.exit(f"{wheel}: WHEEL metadata does not say Root-Is-Purelib: false")
EOF
}

# Installs the wheel $2 with its dependencies from PyPI into a fresh venv made by
# the interpreter $1, with a PATH that holds only that interpreter and sh, and
# runs the smoke test there, outside the repository.
python_smoke() {
  local exe name
  exe=$("$1" -c 'import sys; print(sys.executable)')
  name=$(basename "$exe")
  say "python: $(basename "$2") installed into a fresh $name venv without Rust"
  local bin=$WORK/py-bin-$name user=$WORK/py-user-$name
  mkdir -p "$bin"
  # The interpreter itself, not a pyenv shim that needs pyenv on PATH.
  ln -sf "$exe" "$bin/python3"
  ln -sf "$(command -v sh)" "$bin/sh"
  no_rust_on "$bin"
  env PATH="$bin" python3 -m venv "$user"
  no_rust_on "$user/bin:$bin"
  # --only-binary: pip may not fall back to building anything from source.
  env PATH="$user/bin:$bin" "$user/bin/python" -m pip install -q --only-binary=:all: "$2"
  cp bindings/python/tests/packed/smoke.py "$WORK/"
  (cd "$WORK" && env PATH="$user/bin:$bin" "$user/bin/python" smoke.py)
}

# With RELEASE_SDIST=1: pip builds a wheel from the sdist $1 in a fresh venv (this
# needs cargo: the sdist is for platforms without a wheel) with the build
# dependencies of pyproject.toml from PyPI, installs it, and runs the smoke test.
python_sdist_check() {
  local user=$WORK/py-sdist
  say "python: $(basename "$1") built by pip in a fresh venv (with Rust)"
  python3 -m venv "$user"
  "$user/bin/python" -m pip install -q --no-binary=retentionkit "$1"
  cp bindings/python/tests/packed/smoke.py "$WORK/"
  (cd "$WORK" && "$user/bin/python" smoke.py)
}

release_python() {
  local venv dist=$WORK/python-dist
  venv=$(python_build_venv)
  say "python: wheel (maturin build --release --zig --compatibility manylinux2014) and sdist"
  (cd bindings/python && PATH="$venv/bin:$PATH" "$venv/bin/maturin" build --release --locked --zig \
    --compatibility manylinux2014 --out "$dist")
  (cd bindings/python && PATH="$venv/bin:$PATH" "$venv/bin/maturin" sdist --out "$dist")
  local wheel sdist
  wheel=$(find "$dist" -name '*.whl')
  sdist=$(find "$dist" -name '*.tar.gz')
  if [ "$(echo "$wheel" | wc -w)" != 1 ] || [ "$(echo "$sdist" | wc -w)" != 1 ]; then
    echo "expected one wheel and one sdist in $dist, found: $wheel $sdist" >&2
    exit 1
  fi
  say "python: $(basename "$wheel"): tags"
  check_wheel_tags "$wheel" "$venv/bin/python"
  say "python: auditwheel show"
  "$venv/bin/auditwheel" show "$wheel"
  cp "$wheel" "$sdist" "$OUT/"

  local python
  for python in ${RELEASE_PYTHONS:-python3}; do
    python_smoke "$python" "$OUT/$(basename "$wheel")"
  done
  if [ "${RELEASE_SDIST:-0}" = 1 ]; then python_sdist_check "$OUT/$(basename "$sdist")"; fi
  ARTIFACTS+=("$OUT/$(basename "$wheel")" "$OUT/$(basename "$sdist")")
}

ARTIFACTS=()
if [ "$WHAT" = npm ] || [ "$WHAT" = all ]; then release_npm; fi
if [ "$WHAT" = crate ] || [ "$WHAT" = all ]; then release_crate; fi
if [ "$WHAT" = python ] || [ "$WHAT" = all ]; then release_python; fi

say "artifacts in $OUT"
for file in "${ARTIFACTS[@]}"; do
  printf '%10d  %s  %s\n' "$(wc -c < "$file")" "$(sha256sum "$file" | cut -d' ' -f1)" "${file#"$ROOT"/}"
done
