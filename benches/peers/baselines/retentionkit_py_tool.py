"""retentionkit from Python on numpy columns: the package `retentionkit` (bindings/python).

The log is in memory as its three columns, numpy arrays in a dict (int64 ids, date32 days
as int32, float64 amounts: 20 bytes a row, the Parquet file's own types); each task is
one public call of the package with the column names, so the timed work is what an
analyst's call does: reading the columns (no copy), validating them in the core, the
computation with the GIL released, and building the returned pandas DataFrame (or result
object). No polars in this process.
"""
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

import retentionkit as rk

from .common import KPI_MONTH, RFM_COLUMNS, finish_kpis, kpi_bounds

NAME = "retentionkit-py"
TASKS = ("cohort", "rfm", "kpi")
COLS = {"customer_id": "customer_id", "date": "ts", "amount": "amount"}


def load(path):
    # Read row group by row group into preallocated arrays, so the reader's buffers stay
    # small and the process holds the columns once.
    f = pq.ParquetFile(path)
    n = f.metadata.num_rows
    cols = {"customer_id": np.empty(n, np.int64), "ts": np.empty(n, np.int32), "amount": np.empty(n, np.float64)}
    at = 0
    for g in range(f.num_row_groups):
        t = f.read_row_group(g, columns=list(cols))
        m = t.num_rows
        cols["customer_id"][at:at + m] = t["customer_id"].to_numpy()
        cols["ts"][at:at + m] = t["ts"].cast(pa.int32()).to_numpy()
        cols["amount"][at:at + m] = t["amount"].to_numpy()
        at += m
        del t
    return cols


def cohort(data):
    # Customer counts per (cohort, k); the fractions are counts / size (one division per
    # cell of the ~36 x 36 matrix, done in canon_cohort).
    return rk.cohort_matrix(data, **COLS, values="count")


def rfm(data):
    return rk.summary(data, **COLS)


def kpi(data, month=KPI_MONTH):
    _, p0, _, p1 = kpi_bounds(month)
    k = rk.period_kpis(data, p0, p1, **COLS, lookback_months=12)
    return finish_kpis(month, k.start_customers, k.end_customers, k.new_customers, k.retained,
                       k.active_customers, k.orders, k.repeat_customers, k.revenue or 0.0)


def canon_cohort(res):
    counts = res.fillna(0).to_numpy().astype(np.int64)
    frac = counts / counts[:, :1]
    return list(res.index), counts, frac.astype(np.float64)


def canon_rfm(res):
    return res[RFM_COLUMNS].astype(np.float64)
