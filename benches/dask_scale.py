#!/usr/bin/env python3
"""Scale benchmark of retentionkit.dask: a Parquet log generated to disk, then the summary
and the cohort matrix on a two-worker distributed.LocalCluster (docs/performance.md,
"Dask: 10^8 rows on two workers").

    python benches/dask_scale.py gen --rows 1e8 --out target/scale/log1e8      # ~50 files
    python benches/dask_scale.py dask --data target/scale/log1e8 --partitioned  # files split by customer
    python benches/dask_scale.py dask --data target/scale/log1e7                # shuffled on the customer id
    python benches/dask_scale.py single --data target/scale/log1e7              # one process, pandas in memory

Run it with the package's environment (scripts/python.sh makes it: target/python-venv).

The generator streams: it draws customers a chunk at a time (numpy PCG64 seeded with the
seed and the chunk number) and writes each chunk as one Parquet file of one row group, so
memory stays at one chunk. A customer's orders are all in one file (files are split by
customer, as a log written partitioned by a hash of the customer id), rows within a file
are in date order. Per customer: acquisition day uniform over 2021-01-01..2023-12-31, a
purchase rate ~ Gamma(0.7, scale 1/25) per day, a lifetime ~ Exponential(mean 400 days)
cut at the end of 2023, repeat orders ~ Poisson(rate x lifetime) on uniform days of the
lifetime, amounts lognormal(3.6, 0.6) rounded to cents. Customer ids are the customer's
number times an odd 64-bit constant (mod 2^63): distinct, and scattered.

Peak memory is each process's own maximum resident set (VmHWM of /proc/self/status): the
workers are fresh processes for each job, so theirs cover exactly that job; the client's
covers the whole run (both jobs, and both results held in turn).
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

import numpy as np

START = np.datetime64("2021-01-01", "D")
DAYS = 1095
MIX = 0x9E3779B97F4A7C15  # odd: multiplication by it is a bijection mod 2^63
CUSTOMERS_PER_FILE = 230_000  # about 2 * 10^6 rows a file with the rates below


def _chunk(seed: int, index: int, customers: int) -> tuple:
    rng = np.random.Generator(np.random.PCG64([seed, index]))
    acq = rng.integers(0, DAYS, customers)
    rate = rng.gamma(0.7, 1.0 / 25.0, customers)
    life = np.minimum(rng.exponential(400.0, customers), DAYS - acq)
    repeats = rng.poisson(rate * life)
    owner = np.repeat(np.arange(customers), repeats)
    offsets = np.floor(rng.random(len(owner)) * life[owner]).astype(np.int64)
    who = np.concatenate([np.arange(customers), owner])
    day = np.concatenate([acq, acq[owner] + offsets])
    number = np.uint64(index) * np.uint64(CUSTOMERS_PER_FILE) + who.astype(np.uint64)
    with np.errstate(over="ignore"):
        ids = ((number * np.uint64(MIX)) % np.uint64(2**63)).astype(np.int64)
    amount = np.round(np.exp(rng.normal(3.6, 0.6, len(who))), 2)
    order = np.argsort(day, kind="stable")
    return ids[order], day[order], np.maximum(amount[order], 0.01)


def generate(rows: int, out: Path, seed: int) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    out.mkdir(parents=True, exist_ok=True)
    written, index, t0 = 0, 0, time.perf_counter()
    while written < rows:
        ids, day, amount = _chunk(seed, index, CUSTOMERS_PER_FILE)
        if written + len(ids) > rows:
            # The last file keeps its earliest orders: the log is cut at exactly `rows`.
            ids, day, amount = ids[: rows - written], day[: rows - written], amount[: rows - written]
        table = pa.table(
            {
                "customer_id": pa.array(ids, pa.int64()),
                "date": pa.array((START + day).astype("datetime64[D]")).cast(pa.date32()),
                "amount": pa.array(amount, pa.float64()),
            }
        )
        pq.write_table(table, out / f"part-{index:05d}.parquet", row_group_size=len(ids), compression="zstd")
        written += len(ids)
        index += 1
    print(f"{written} rows in {index} files, {time.perf_counter() - t0:.1f} s", file=sys.stderr)


def _peak_rss_mib() -> float:
    """This process's peak resident memory (VmHWM: of its own address space, unlike
    ru_maxrss, which on Linux keeps the parent's peak across fork and exec)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def run_dask(data: Path, partitioned: bool, memory_limit: str) -> dict:
    import dask.dataframe as dd
    import distributed

    import retentionkit.dask as rkd

    report: dict = {"data": str(data), "partitioned": partitioned}
    for job in ("summary", "cohort_matrix"):
        cluster = distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, memory_limit=memory_limit, dashboard_address=None
        )
        with distributed.Client(cluster) as client:
            df = dd.read_parquet(str(data))
            t0 = time.perf_counter()
            if job == "summary":
                result = rkd.summary(df, amount="amount", partitioned=partitioned or None)
            else:
                result = rkd.cohort_matrix(df, amount="amount", values="count", partitioned=partitioned or None)
            seconds = time.perf_counter() - t0
            peaks = client.run(_peak_rss_mib)
            report[job] = {
                "seconds": round(seconds, 1),
                "partitions": df.npartitions,
                "result_shape": list(result.shape),
                "worker_peak_rss_mib": sorted(round(v) for v in peaks.values()),
            }
            del result
        cluster.close()
    report["client_peak_rss_mib"] = round(_peak_rss_mib())
    return report


def run_single(data: Path) -> dict:
    import pandas as pd

    import retentionkit as rk

    t0 = time.perf_counter()
    orders = pd.read_parquet(data)
    read = time.perf_counter() - t0
    t1 = time.perf_counter()
    s = rk.summary(orders, amount="amount")
    t2 = time.perf_counter()
    m = rk.cohort_matrix(orders, amount="amount", values="count")
    t3 = time.perf_counter()
    return {
        "data": str(data),
        "rows": len(orders),
        "read_seconds": round(read, 1),
        "summary_seconds": round(t2 - t1, 1),
        "cohort_matrix_seconds": round(t3 - t2, 1),
        "customers": len(s),
        "cohorts": len(m),
        "peak_rss_mib": round(_peak_rss_mib()),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    g = sub.add_parser("gen", help="write a Parquet log")
    g.add_argument("--rows", type=float, required=True)
    g.add_argument("--out", type=Path, required=True)
    g.add_argument("--seed", type=int, default=2026)
    d = sub.add_parser("dask", help="summary and cohort matrix on a 2-worker LocalCluster")
    d.add_argument("--data", type=Path, required=True)
    d.add_argument("--partitioned", action="store_true", help="the files are split by customer: no shuffle")
    d.add_argument("--memory-limit", default="10GiB", help="per worker")
    s = sub.add_parser("single", help="summary and cohort matrix in this process")
    s.add_argument("--data", type=Path, required=True)
    a = ap.parse_args()
    if a.cmd == "gen":
        generate(int(a.rows), a.out, a.seed)
    elif a.cmd == "dask":
        print(json.dumps(run_dask(a.data, a.partitioned, a.memory_limit), indent=1))
    else:
        print(json.dumps(run_single(a.data), indent=1))


if __name__ == "__main__":
    main()
