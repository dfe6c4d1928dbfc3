"""Writes small.parquet: the rows of small.csv with string ids, date32 dates
and float64 amounts (pyarrow, snappy). Run with benches/peers/.venv/bin/python
from this folder."""
import datetime as dt

import pyarrow as pa
import pyarrow.parquet as pq

rows = [line.split(",") for line in open("small.csv").read().splitlines()[1:]]
table = pa.table({
    "customer_id": pa.array([r[0] for r in rows], pa.string()),
    "order_date": pa.array([dt.date.fromisoformat(r[1]) for r in rows], pa.date32()),
    "amount": pa.array([float(r[2]) for r in rows], pa.float64()),
})
pq.write_table(table, "small.parquet", compression="snappy")
