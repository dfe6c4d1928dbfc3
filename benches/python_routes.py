"""`rk.summary` of one 10^7-row log through each input route, in one process (issue 20).

The log is seeded synthetic data of the peer harness's shape (int64 ids of 2,000,000
customers, dates over three years, float64 amounts), held four ways:

- numpy columns in a dict (int64 ids, int32 day numbers, float64 amounts);
- a polars DataFrame (Int64, Date, Float64);
- a pyarrow Table (int64, date32, double), one chunk;
- the same pyarrow Table cut into 10 record batches.

Each route is timed as the median of --reps calls after a warm-up, the whole call and the
reading of the columns alone (a one-off TransactionLog, as the call makes; what follows it is
the same for every route); the result of every route is checked equal to the numpy route's
first. Run with the package installed:
    python benches/python_routes.py [--rows 1e7] [--reps 5]
"""

from __future__ import annotations

import argparse
import statistics
import time
from typing import Any, Callable, Dict

import numpy as np

import retentionkit as rk


def median_s(f: Callable[[], Any], reps: int) -> float:
    f()  # warm-up
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        f()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def as_pandas(result: Any) -> Any:
    """A result of any library as a pandas frame indexed by customer id."""
    if hasattr(result, "to_pandas"):
        result = result.to_pandas()
        return result.set_index("customer_id")
    return result


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=float, default=1e7)
    ap.add_argument("--reps", type=int, default=5)
    a = ap.parse_args()
    n = int(a.rows)
    rng = np.random.default_rng(20)
    ids = rng.integers(1, 2_000_001, size=n, dtype=np.int64)
    days = np.sort(rng.integers(19_000, 19_000 + 1_095, size=n)).astype(np.int32)
    amounts = np.round(rng.gamma(2.0, 20.0, size=n), 2)
    routes: Dict[str, Any] = {
        "numpy columns (dict)": {"customer_id": ids, "date": days, "amount": amounts},
    }
    try:
        import polars as pl

        routes["polars DataFrame"] = pl.DataFrame(
            {"customer_id": ids, "date": pl.Series(days).cast(pl.Date), "amount": amounts}
        )
    except ImportError:
        pass
    try:
        import pyarrow as pa  # type: ignore[import-untyped]

        table = pa.table(
            {"customer_id": pa.array(ids), "date": pa.array(days, pa.date32()), "amount": pa.array(amounts)}
        )
        routes["pyarrow Table, 1 chunk"] = table
        routes["pyarrow Table, 10 batches"] = pa.Table.from_batches(table.to_batches(max_chunksize=n // 10))
    except ImportError:
        pass
    expected = None
    for name, data in routes.items():
        try:
            got = as_pandas(rk.summary(data, amount="amount"))
        except Exception as err:  # an older package without this route
            print(f"rk.summary, {n:,} rows, {name}: failed ({type(err).__name__}: {err})")
            continue
        if expected is None:
            expected = got
        else:
            assert got.index.equals(expected.index), name
            assert np.array_equal(got.to_numpy(), expected.to_numpy()), name
        t = median_s(lambda: rk.summary(data, amount="amount"), a.reps)
        # The part of the call in which the routes differ: reading the columns into what
        # the core takes (a one-off log, as rk.summary makes; the core's checks and the
        # computation come after it and are the same for every route).
        read = median_s(lambda: rk.TransactionLog(data, amount="amount", _keep=False), a.reps)
        print(f"rk.summary, {n:,} rows, {name}: {t:.3f} s; reading the columns {1e3 * read:.2f} ms "
              f"(medians of {a.reps})")


if __name__ == "__main__":
    main()
