"""retentionkit from Python on numpy columns: the package `retentionkit` (bindings/python).

The log is in memory as its three columns, numpy arrays in a dict (int64 ids, date32 days
as int32, float64 amounts: 20 bytes a row, the Parquet file's own types, read from the raw
column files the Rust runner reads); each task is
one public call of the package with the column names, so the timed work is what an
analyst's call does: reading the columns (no copy), validating them in the core, the
computation with the GIL released, and building the returned pandas DataFrame (or result
object). No polars in this process.
"""
import numpy as np

import retentionkit as rk

from .common import KPI_MONTH, RFM_COLUMNS, finish_kpis, kpi_bounds

NAME = "retentionkit-py"
TASKS = ("cohort", "rfm", "kpi")
COLS = {"customer_id": "customer_id", "date": "ts", "amount": "amount"}


def load(path):
    # The raw columns export_columns.py writes beside the Parquet file for the Rust runner:
    # the same data, read straight into numpy (no Parquet reader, and so no pyarrow, in this
    # process).
    base = path[: -len(".parquet")]
    return {
        "customer_id": np.fromfile(base + ".ids.bin", dtype="<i8"),
        "ts": np.fromfile(base + ".days.bin", dtype="<i4"),
        "amount": np.fromfile(base + ".amounts.bin", dtype="<f8"),
    }


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
