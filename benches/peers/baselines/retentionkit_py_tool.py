"""retentionkit from Python: the package `retentionkit` (bindings/python) on the polars frame.

The log is in memory as the polars DataFrame that the polars tool loads (rechunked); each task is one
public call of the package with the column names, so the timed work includes everything an
analyst's call does: reading the columns out of the frame (no copy: int64 ids, date32 days,
float64 amounts), validating them in the core, the computation with the GIL released, and
building the returned pandas DataFrame (or result object).
"""
import numpy as np
import polars as pl

import retentionkit as rk

from .common import KPI_MONTH, RFM_COLUMNS, finish_kpis, kpi_bounds

NAME = "retentionkit-py"
TASKS = ("cohort", "rfm", "kpi")
COLS = {"customer_id": "customer_id", "date": "ts", "amount": "amount"}


def load(path):
    # The polars tool's frame, in one chunk per column: polars hands a one-chunk column to
    # numpy without a copy, a multi-chunk one (read_parquet gives one chunk per row group)
    # only as a copy. The frame has the same size either way.
    return pl.read_parquet(path).rechunk()


def cohort(df):
    # Customer counts per (cohort, k); the fractions are counts / size (one division per
    # cell of the ~36 x 36 matrix, done in canon_cohort).
    return rk.cohort_matrix(df, **COLS, values="count")


def rfm(df):
    return rk.summary(df, **COLS)


def kpi(df, month=KPI_MONTH):
    _, p0, _, p1 = kpi_bounds(month)
    k = rk.period_kpis(df, p0, p1, **COLS, lookback_months=12)
    return finish_kpis(month, k.start_customers, k.end_customers, k.new_customers, k.retained,
                       k.active_customers, k.orders, k.repeat_customers, k.revenue or 0.0)


def canon_cohort(res):
    counts = res.fillna(0).to_numpy().astype(np.int64)
    frac = counts / counts[:, :1]
    return list(res.index), counts, frac.astype(np.float64)


def canon_rfm(res):
    return res[RFM_COLUMNS].astype(np.float64)
