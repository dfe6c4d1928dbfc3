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

# ids.parquet: string ids that differ only by surrounding whitespace (" 7", "7 ",
# "7": one customer) or by their text ("007", "+7": customers of their own),
# docs/input.md "Customer ids"; one order a day from 2024-01-01.
ids = ["7", " 7", "7 ", "007", "+7"]
pq.write_table(pa.table({
    "customer_id": pa.array(ids, pa.string()),
    "order_date": pa.array([dt.date(2024, 1, 1 + k) for k in range(len(ids))], pa.date32()),
    "amount": pa.array([10.0] * len(ids), pa.float64()),
}), "ids.parquet", compression="snappy")

# unnamed_amount.parquet: a float64 column named "paid", not like an amount: the
# command asks for --amount instead of leaving the amounts out.
pq.write_table(pa.table({
    "customer_id": pa.array([1, 2], pa.int64()),
    "order_date": pa.array([dt.date(2024, 1, 1), dt.date(2024, 1, 2)], pa.date32()),
    "paid": pa.array([10.5, 3.0], pa.float64()),
}), "unnamed_amount.parquet", compression="snappy")
