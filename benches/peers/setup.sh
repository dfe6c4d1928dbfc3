#!/usr/bin/env bash
# Prepares the peer comparison: a venv with the peer tools at the versions
# the comparison was run with, the seeded logs from gen.py, and their raw
# columns for the retentionkit runner, and retentionkit's Python package. Idempotent. ~3 min and ~600 MB on a
# fresh machine. Data goes to $PEERS_DATA (default benches/peers/data).
set -euo pipefail
cd "$(dirname "$0")"
DATA="${PEERS_DATA:-$PWD/data}"
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
  .venv/bin/pip install -q --upgrade pip
  .venv/bin/pip install -q numpy==2.4.6 pandas==3.1.1 polars==2.1.0 duckdb==2.0.0 \
      pyarrow==26.0.1 lifetimes==0.11.3 psutil
fi
# retentionkit's Python package (the `retentionkit_py` tool), built from this checkout.
.venv/bin/pip install -q ../../bindings/python
sizes="${1:-1e5,1e6,1e7}"
for s in ${sizes//,/ }; do
  if [ ! -f "$DATA/tx_$s.parquet" ]; then
    PEERS_DATA="$DATA" .venv/bin/python gen.py --rows "$s" --no-csv
  fi
done
PEERS_DATA="$DATA" .venv/bin/python export_columns.py "$sizes"
