"""Write the raw columns of data/tx_<size>.parquet for the retentionkit runner.

tx_<size>.ids.bin     customer_id as little-endian int64 (read as u64; ids are >= 1)
tx_<size>.days.bin    ts as little-endian int32 days since 1970-01-01 (Arrow date32)
tx_<size>.amounts.bin amount as little-endian float64

Usage: export_columns.py 1e5,1e6,1e7   (PEERS_DATA honoured)
"""
import os
import sys

import numpy as np
import pyarrow.parquet as pq

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.environ.get("PEERS_DATA", os.path.join(HERE, "data"))

for size in sys.argv[1].split(","):
    base = os.path.join(DATA, f"tx_{size}")
    if os.path.exists(base + ".amounts.bin"):
        continue
    t = pq.read_table(base + ".parquet")
    ids = t["customer_id"].to_numpy().astype("<i8")
    assert ids.min() >= 0
    days = t["ts"].cast("int32").to_numpy().astype("<i4")
    amounts = t["amount"].to_numpy().astype("<f8")
    ids.tofile(base + ".ids.bin")
    days.tofile(base + ".days.bin")
    amounts.tofile(base + ".amounts.bin")
    print(f"{size}: {len(ids)} rows exported")
