"""retentionkit on Spark: one pandas call per customer bucket, merged by Spark.

Spark's ``groupBy(...).applyInPandas`` hands every group to a Python function
as one pandas DataFrame. Grouping on a hash bucket of the customer id puts all
orders of a customer in one group, so each group computes a retentionkit
partial (the functions of ``retentionkit.dask``, which need no Dask). Every
partial is a native class (``retentionkit.dask.KpiPartial``, ``CohortPartial``,
``SummaryPartial``, ``CompressedPartial``): each travels to the driver as its
pickled bytes in a binary column and is merged there by its ``merge`` (the
core's), so nothing is added or joined in Spark. Only one partial per bucket and
table leaves the executors; the summary partial holds one row per customer of
the bucket, the compressed one only the distinct (frequency, recency, T) rows.

    python bindings/python/examples/spark_recipe.py             # the CDNOW sample
    python bindings/python/examples/spark_recipe.py orders.parquet   # customer_id, date, amount

Needs ``pip install pyspark`` and a Java runtime (Debian: openjdk-17-jre-headless).
"""

from __future__ import annotations

import pickle
import sys
from pathlib import Path
from typing import Any, Dict

import pandas as pd

import retentionkit as rk
import retentionkit.dask as rkd

BUCKETS = 8
PARTIAL_SCHEMA = "partial binary"  # a native partial, pickled
SUMMARY_SCHEMA = "summary binary, compressed binary"  # a bucket's summary and its compressed table, pickled


def day_number(value: Any) -> int:
    """A date as days since 1970-01-01, the day numbers of retentionkit."""
    return int((pd.Timestamp(value) - pd.Timestamp("1970-01-01")).days)


def _or_empty(frame: Any, schema: str) -> pd.DataFrame:
    if frame is None:
        return pd.DataFrame({c.split()[0]: [] for c in schema.split(", ")})
    return frame


def retention_tables(orders: Any, buckets: int = BUCKETS) -> Dict[str, Any]:
    """KPI series, cohort matrix, summary and a BG/NBD fit of a Spark DataFrame ``customer_id, date, amount``."""
    from pyspark.sql import functions as F

    # 1. What all partitions must share: the log's first and last day.
    first, last = orders.agg(F.min("date"), F.max("date")).first()
    first, last = day_number(first), day_number(last)

    # 2. Every customer in one group.
    grouped = orders.withColumn("bucket", F.pmod(F.hash("customer_id"), F.lit(buckets))).groupBy("bucket")

    # 3. One partial per group. A native partial goes to the driver pickled and
    # is merged there by the core's merge.
    def kpi_part(pdf: pd.DataFrame) -> pd.DataFrame:
        p = rkd.kpi_partial(pdf, first, last, amount="amount")
        return _or_empty(None if p is None else pd.DataFrame({"partial": [pickle.dumps(p)]}), PARTIAL_SCHEMA)

    kpi_parts = [pickle.loads(row.partial) for row in grouped.applyInPandas(kpi_part, PARTIAL_SCHEMA).collect()]

    def cohort_part(pdf: pd.DataFrame) -> pd.DataFrame:
        p = rkd.cohort_partial(pdf, last, amount="amount")
        return _or_empty(None if p is None else pd.DataFrame({"partial": [pickle.dumps(p)]}), PARTIAL_SCHEMA)

    cohort_parts = [pickle.loads(row.partial) for row in grouped.applyInPandas(cohort_part, PARTIAL_SCHEMA).collect()]

    def summary_part(pdf: pd.DataFrame) -> pd.DataFrame:
        s = rkd.summary_partial(pdf, last, amount="amount")
        if s is None:
            return _or_empty(None, SUMMARY_SCHEMA)
        # A model fit needs only the distinct (frequency, recency, T) rows and their counts.
        c = rkd.compressed_partial(s, rkd.CompressedPartial.COLUMNS)
        return pd.DataFrame({"summary": [pickle.dumps(s)], "compressed": [pickle.dumps(c)]})

    summary_rows = grouped.applyInPandas(summary_part, SUMMARY_SCHEMA).collect()
    summary_parts = [pickle.loads(row.summary) for row in summary_rows]
    compressed_parts = [pickle.loads(row.compressed) for row in summary_rows]
    compressed = rkd.compressed_summary_from_partial(rkd.merge_compressed_partials(compressed_parts))

    return {
        "kpis": rkd.kpis_from_partial(rkd.merge_kpi_partials(kpi_parts)),
        "cohorts": rkd.cohort_matrix_from_partial(rkd.merge_cohort_partials(cohort_parts)),
        "summary": rkd.summary_from_partial(rkd.merge_summary_partials(summary_parts)),
        "bg_nbd": rk.BetaGeo().fit(compressed, weights="count"),
    }


def cdnow() -> pd.DataFrame:
    """The CDNOW sample of tests/data as customer_id, date, amount."""
    path = Path(__file__).resolve().parents[3] / "tests" / "data" / "CDNOW_sample.txt"
    raw = pd.read_csv(path, sep=r"\s+", header=None, names=["master", "customer_id", "date", "cds", "amount"])
    raw["date"] = pd.to_datetime(raw["date"].astype(str), format="%Y%m%d")
    return raw[["customer_id", "date", "amount"]]


def main() -> None:
    import os

    from pyspark.sql import SparkSession

    # The Python workers must find retentionkit: run them with this interpreter.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    spark = SparkSession.builder.master("local[2]").appName("retentionkit").getOrCreate()
    try:
        if len(sys.argv) > 1:
            orders = spark.read.parquet(sys.argv[1]).select("customer_id", "date", "amount")
        else:
            orders = spark.createDataFrame(cdnow())
        out = retention_tables(orders)
        print(out["kpis"][["start_customers", "end_customers", "retention_rate"]].tail(3))
        print(out["cohorts"].iloc[:3, :4])
        print(out["summary"].head(3))
        print(out["bg_nbd"])
    finally:
        spark.stop()


if __name__ == "__main__":
    main()
