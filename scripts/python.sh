#!/usr/bin/env bash
# The Python package's checks, as CI runs them (a step of scripts/test.sh).
# Runnable by hand from any directory: bash scripts/python.sh
#
# Makes a virtual environment under target/ (kept between runs; delete it for a fresh
# one), installs the package exactly as the README says (`pip install ./bindings/python`,
# which builds the extension with maturin from PyPI and the machine's cargo), installs
# the pinned test dependencies, then runs: pytest (the tests, the docstring examples of
# the installed package), mypy's stubtest on the type stubs, and the quick-start notebook.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV="${RETENTIONKIT_VENV:-$PWD/target/python-venv}"
PY="$VENV/bin/python"
if [ ! -x "$PY" ]; then
  python3 -m venv "$VENV"
  "$PY" -m pip install -q --upgrade pip
fi
"$PY" -m pip install -q -r bindings/python/requirements-test.txt
# tests/test_spark.py runs PySpark in local mode, which needs a Java runtime (Debian's OpenJDK).
if ! command -v java >/dev/null; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    openjdk-17-jre-headless >/dev/null
fi
"$PY" -m pip install -q ./bindings/python

cd bindings/python
echo "-- pytest (tests and docstring examples)"
# --import-mode=importlib and --pyargs: the installed package is tested, not python/.
"$PY" -m pytest -q -p no:cacheprovider --import-mode=importlib --doctest-modules \
  tests --pyargs retentionkit

echo "-- stubtest (type stubs match the module)"
"$PY" -m mypy.stubtest retentionkit --mypy-config-file mypy.ini

echo "-- quick-start notebook"
cd ../..
MPLBACKEND=Agg "$PY" bindings/python/tests/run_notebook.py docs/python-quickstart.ipynb
