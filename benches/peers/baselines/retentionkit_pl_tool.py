"""retentionkit from Python on a polars frame: the package `retentionkit` (bindings/python).

The log is in memory as the polars DataFrame that the polars tool loads, rechunked; the
tasks are the same single public calls as in retentionkit_py_tool, given the frame. Reading
the columns out of the frame is part of the timed call (no copy: polars hands one-chunk
int64, date32 and float64 columns to numpy as they are; read_parquet gives one chunk per row
group, which polars could only hand over as a copy, hence the rechunk at load).
"""
import polars as pl

from .retentionkit_py_tool import canon_cohort, canon_rfm, cohort, kpi, rfm  # noqa: F401  same calls

NAME = "retentionkit-pl"
TASKS = ("cohort", "rfm", "kpi")


def load(path):
    return pl.read_parquet(path).rechunk()
