#!/usr/bin/env bash
# Builds and tests the npm package `retentionkit` (bindings/wasm), as CI runs it:
#   1. the wasm toolchain (Debian's rustc-web, scripts/wasm-toolchain.sh; the
#      package's build below compiles the core for wasm32, so the core's own
#      check, scripts/wasm-check.sh, is not run again here);
#   2. wasm-bindgen-cli at exactly Cargo.lock's wasm-bindgen version, cached in
#      $RETENTIONKIT_WASM_CACHE (default ~/.cache/retentionkit-wasm);
#   3. the release cdylib (Debian cargo, -Zbuild-std, CARGO_TARGET_DIR=target/wasm);
#   4. wasm-bindgen outputs for web and nodejs in bindings/wasm/pkg/, sharing
#      one .wasm (pkg/web/retentionkit_bg.wasm), and the licence files;
#   5. wasm-opt -Oz (npm `binaryen`) and the size check (gzip -9 at most 440 KB);
#   6. npm ci, node --test, tsc --noEmit on a typed example, npm pack installed
#      into an empty project (Node CJS, ESM, web), the same tarball bundled by
#      esbuild, Vite and webpack and loaded with a plain <script type=module>
#      in Chromium, and the Chromium test of the demo page.
# Usage: bash scripts/wasm.sh [build|test|bench]   (default: build and test;
# `build` stops after step 5, `bench` builds and runs the browser benchmark).
# Runnable by hand from any directory.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PKG=$ROOT/bindings/wasm
MODE=${1:-test}
CACHE=${RETENTIONKIT_WASM_CACHE:-$HOME/.cache/retentionkit-wasm}
# The budget was 400 KB until the package gained covariate fits, the AFT summary, the
# regularity and BG/BB models and their intervals (2026-12-07): 425,817 bytes then, with fat
# LTO in one codegen unit (below). It stays a budget: a change that needs more says why.
MAX_GZIP_BYTES=$((440 * 1024))

say() { printf -- '-- %s\n' "$*"; }

bash scripts/wasm-toolchain.sh

if ! command -v node > /dev/null || ! command -v npm > /dev/null; then
  say "installing Debian's nodejs and npm"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends nodejs npm > /dev/null
fi

V=$(cargo pkgid --locked wasm-bindgen)
V=${V##*[@:]}
BINDGEN=$CACHE/bin/wasm-bindgen
if ! [ -x "$BINDGEN" ] || [ "$("$BINDGEN" --version)" != "wasm-bindgen $V" ]; then
  say "installing wasm-bindgen-cli $V into $CACHE"
  cargo install wasm-bindgen-cli --version "=$V" --root "$CACHE" --force
fi

say "release build for wasm32-unknown-unknown"
# Whole-program LTO in one codegen unit: a smaller .wasm than the workspace's
# thin LTO over 4 units, at the same opt-level (so the same speed).
env RUSTC=/usr/bin/rustc RUSTDOC=/usr/bin/rustdoc RUSTC_BOOTSTRAP=1 \
    CARGO_PROFILE_RELEASE_LTO=fat CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1 \
    CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER=/usr/bin/wasm-ld-22 \
    CARGO_TARGET_DIR=target/wasm \
    /usr/bin/cargo build -p retentionkit-wasm --lib --release --locked \
      --target wasm32-unknown-unknown -Zbuild-std=std,panic_abort
WASM=target/wasm/wasm32-unknown-unknown/release/retentionkit_wasm.wasm

say "npm ci (test tooling: typescript, playwright-core, binaryen)"
(cd "$PKG" && npm ci --no-audit --no-fund --loglevel=error)

# One .wasm for every entry point: the `web` build (ES module glue, also what
# bundlers get through js/browser.mjs) and the `nodejs` build (CommonJS glue,
# what Node gets) differ only in their JS glue, so the Node glue is pointed at
# the web build's .wasm.
rm -rf "$PKG/pkg"
for target in web nodejs; do
  dir=$PKG/pkg/${target/nodejs/node}
  "$BINDGEN" --target "$target" --out-dir "$dir" --out-name retentionkit "$WASM"
  # The raw wasm exports in the web target's InitOutput are typed `any` by
  # wasm-bindgen; the public .d.ts has no `any`, so they become `unknown`.
  sed -i -E 's/\bany\b/unknown/g' "$dir/retentionkit.d.ts"
  rm "$dir/retentionkit_bg.wasm.d.ts"
done
echo '{ "type": "module" }' > "$PKG/pkg/web/package.json"
echo '{ "type": "commonjs" }' > "$PKG/pkg/node/package.json"
if ! cmp -s "$PKG/pkg/web/retentionkit_bg.wasm" "$PKG/pkg/node/retentionkit_bg.wasm"; then
  echo "wasm-bindgen made different .wasm files for web and nodejs: they cannot share one" >&2
  exit 1
fi
rm "$PKG/pkg/node/retentionkit_bg.wasm"
NODE_GLUE=$PKG/pkg/node/retentionkit.js
WASM_PATH_LINE='const wasmPath = `${__dirname}/retentionkit_bg.wasm`;'
if [ "$(grep -cxF "$WASM_PATH_LINE" "$NODE_GLUE")" != 1 ]; then
  echo "pkg/node/retentionkit.js: no line $WASM_PATH_LINE (wasm-bindgen changed how it loads the .wasm)" >&2
  exit 1
fi
sed -i 's|^const wasmPath = `${__dirname}/retentionkit_bg.wasm`;$|const wasmPath = `${__dirname}/../web/retentionkit_bg.wasm`;|' "$NODE_GLUE"
# The licences the package is under ("MIT OR Apache-2.0"), as npm pack ships them.
cp LICENSE-MIT LICENSE-APACHE "$PKG/"
# wasm-opt runs binaryen's own build in node: about 35 s of CPU (once, for the one .wasm).
"$PKG/node_modules/.bin/wasm-opt" -Oz --strip-debug --strip-producers \
  --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-reference-types --enable-multivalue \
  "$PKG/pkg/web/retentionkit_bg.wasm" -o "$PKG/pkg/web/retentionkit_bg.wasm"
size=$(gzip -9 -c "$PKG/pkg/web/retentionkit_bg.wasm" | wc -c)
say "retentionkit_bg.wasm: $(wc -c < "$PKG/pkg/web/retentionkit_bg.wasm") bytes, $size gzip -9 (limit $MAX_GZIP_BYTES)"
if [ "$size" -gt "$MAX_GZIP_BYTES" ]; then
  echo "the optimised .wasm is $size bytes gzip-compressed, above $MAX_GZIP_BYTES" >&2
  exit 1
fi
[ "$MODE" = build ] && exit 0

if [ "$MODE" = bench ]; then
  bash scripts/chromium.sh > /dev/null
  node "$PKG/tests/browser/bench.mjs"
  exit 0
fi

# The dev profile: its dependencies are already built by `cargo test --workspace`
# (scripts/test.sh), and IEEE arithmetic gives the same numbers at every
# optimisation level (Rust never contracts a*b+c into a fused multiply-add).
say "expected numbers from the core (native) for the tests"
cargo run --locked -q -p retentionkit-wasm --example expected -- \
  "$PKG/tests/fixtures/shop.csv" > target/wasm-expected.json

say "node --test (package API)"
(cd "$PKG" && node --test tests/*.test.mjs)

say "tsc --noEmit (typed usage examples: Node, web, and a bundler's resolution)"
(cd "$PKG" && node_modules/.bin/tsc --noEmit -p tests/types/tsconfig.json \
  && node_modules/.bin/tsc --noEmit -p tests/types/tsconfig-bundler.json)
if grep -nw any "$PKG"/pkg/*/retentionkit.d.ts "$PKG"/js/*.d.mts; then
  echo "the public .d.ts files must not use \`any\`" >&2
  exit 1
fi

say "npm pack installs into an empty project (no Rust on PATH)"
PACKDIR=$(mktemp -d)
trap 'rm -rf "$PACKDIR"' EXIT
(cd "$PKG" && npm pack --silent --pack-destination "$PACKDIR" > "$PACKDIR/name")
TARBALL=$PACKDIR/$(cat "$PACKDIR/name")
mkdir "$PACKDIR/app"
cp "$PKG/tests/packed/"* "$PACKDIR/app/"
# As a user without Rust installs it: a PATH with node, npm and sh only.
mkdir "$PACKDIR/bin"
for tool in node npm sh; do ln -s "$(command -v "$tool")" "$PACKDIR/bin/$tool"; done
(cd "$PACKDIR/app" && echo '{ "name": "app", "private": true }' > package.json \
  && export PATH=$PACKDIR/bin && ! command -v cargo && ! command -v rustc \
  && npm install --no-audit --no-fund --loglevel=error "$TARBALL" \
  && node use.cjs && node use.mjs && node use-web.mjs)

# The README's bundler recipes on the same tarball, in an empty project whose
# lock pins esbuild, Vite and webpack (about 80 packages, 85 MB, from the
# npm cache after the first run); the pages are loaded in Chromium below.
say "bundlers: esbuild, Vite and webpack build a page that imports the packed package"
BUNDLES=$PACKDIR/bundlers
mkdir "$BUNDLES"
cp "$PKG"/tests/bundlers/{package.json,package-lock.json,kpi.js,page.js,index.html,plain.html} \
  "$PKG"/tests/bundlers/{web.js,web.html,webpack.config.js,build-webpack.mjs} "$BUNDLES/"
(cd "$BUNDLES" && npm ci --no-audit --no-fund --loglevel=error \
  && npm install --no-save --no-audit --no-fund --loglevel=error "$TARBALL" \
  && node_modules/.bin/esbuild page.js --bundle --format=esm --outdir=dist/esbuild --log-level=warning \
  && cp node_modules/retentionkit/pkg/web/retentionkit_bg.wasm index.html dist/esbuild/ \
  && node_modules/.bin/esbuild web.js --bundle --format=esm --outdir=dist/esbuild --log-level=warning \
  && cp web.html dist/esbuild/ \
  && node_modules/.bin/vite build --outDir dist/vite --logLevel warn \
  && node build-webpack.mjs && cp index.html dist/webpack/)

say "Chromium: the bundled pages and the demo page"
bash scripts/chromium.sh > /dev/null
RK_BUNDLES=$BUNDLES node --test "$PKG/tests/browser/bundlers.test.mjs"
node --test "$PKG/tests/browser/demo.test.mjs"
