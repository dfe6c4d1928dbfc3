#!/usr/bin/env bash
# lifetimes 0.11.3's own tests of its fitters, utils and plotting, run against the drop-in
# retentionkit.lifetimes by swapping the import (issue 23). Not part of scripts/python.sh:
# it needs lifetimes' test files, which are not in this repository (nor in lifetimes'
# sdist, which ships without tests): they come from lifetimes' git tag v0.11.3.
#
#   bash scripts/lifetimes-tests.sh [path/to/lifetimes-v0.11.3-checkout]
#
# Without a path the tag is cloned from GitHub into a temporary directory; offline, pass a
# directory holding the tag's tests/ and lifetimes/datasets/ (e.g. from a mirror:
# git archive v0.11.3 tests lifetimes/datasets | tar x -C DIR). Runs the
# tests twice, against lifetimes itself (the baseline in this environment: pandas and
# numpy have moved on since 2020) and against the shim, and prints both summaries.
# Uses the venv of scripts/python.sh (RETENTIONKIT_VENV), where retentionkit and
# lifetimes are installed.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${RETENTIONKIT_VENV:-$PWD/target/python-venv}"
PY="$VENV/bin/python"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

SRC="${1:-}"
if [ -z "$SRC" ]; then
  git clone -q --depth 1 --branch v0.11.3 https://github.com/CamDavidsonPilon/lifetimes "$WORK/src"
  SRC="$WORK/src"
fi

# The tests read lifetimes/datasets/*.csv relative to the working directory.
for side in lifetimes shim; do
  mkdir -p "$WORK/$side/tests"
  mkdir -p "$WORK/$side/lifetimes"
  cp -r "$SRC/lifetimes/datasets" "$WORK/$side/lifetimes/datasets"
  for f in conftest.py test_estimation.py test_utils.py test_plotting.py; do
    cp "$SRC/tests/$f" "$WORK/$side/tests/$f"
  done
done
# pandas 2 removed pandas.util.testing: the one change made to both copies.
sed -i 's/^from pandas.util.testing import/from pandas.testing import/' "$WORK"/*/tests/test_utils.py
# The swap: every import of lifetimes' fitters, utils and plotting; its datasets stay.
sed -i -E \
  -e 's/^import lifetimes as lt$/import retentionkit.lifetimes as lt/' \
  -e 's/^import lifetimes\.utils as utils$/import retentionkit.lifetimes.utils as utils/' \
  -e 's/^from lifetimes import /from retentionkit.lifetimes import /' \
  "$WORK/shim/tests/"*.py

for side in lifetimes shim; do
  # The copied lifetimes/ holds the data files only: the installed packages are imported.
  (cd "$WORK/$side" && COLUMNS=400 MPLBACKEND=Agg "$PY" -m pytest -p no:cacheprovider --import-mode=importlib \
    -o addopts="" -rfE -v --tb=line tests > "$WORK/$side.log" 2>&1) || true
  grep -E " (PASSED|FAILED|ERROR)( |$)" "$WORK/$side.log" | sed -E 's/ +\[ *[0-9]+%\]$//' | sort > "$WORK/$side.results"
  echo "== lifetimes 0.11.3's tests against $side: $(tail -n 1 "$WORK/$side.log")"
done
echo "== pass on lifetimes, fail on the shim (with the shim's error):"
for t in $(comm -12 <(grep " PASSED" "$WORK/lifetimes.results" | cut -d' ' -f1) \
                    <(grep -E " (FAILED|ERROR)" "$WORK/shim.results" | cut -d' ' -f1)); do
  grep -E "^(FAILED|ERROR) $t( |$)" "$WORK/shim.log" | cut -c1-330 || echo "$t"
done
echo "== fail on both (lifetimes' tests in this environment):"
comm -12 <(grep -E " (FAILED|ERROR)" "$WORK/lifetimes.results" | cut -d' ' -f1) \
         <(grep -E " (FAILED|ERROR)" "$WORK/shim.results" | cut -d' ' -f1)
echo "== fail on lifetimes, pass on the shim:"
comm -12 <(grep -E " (FAILED|ERROR)" "$WORK/lifetimes.results" | cut -d' ' -f1) \
         <(grep " PASSED" "$WORK/shim.results" | cut -d' ' -f1)
if [ -n "${KEEP:-}" ]; then cp "$WORK"/*.log "$KEEP"/; fi
