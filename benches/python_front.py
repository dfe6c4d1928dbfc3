"""What the Python layer adds to the core's time (issue: one core, thin front-ends).

1. BG/NBD fitted on the CDNOW calibration summary given as a DataFrame
   (the 2,357 sample customers of tests/data/CDNOW_sample.txt to 1997-09-30,
   in weeks: the data of the Rust bench), to set against the Rust bench
   `cargo bench -p retentionkit-benches --bench models -- bg_nbd_fit_cdnow`.
2. KPIs of the demo shop (200,000 customers) from a kept TransactionLog
   against the same call on the DataFrame, which builds the log first.

Medians of repeated calls in one process; run with the package installed:
    python benches/python_front.py
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path
from typing import Any, Callable

import pandas as pd

import retentionkit as rk

ROOT = Path(__file__).resolve().parents[1]


def median_ms(f: Callable[[], Any], repeat: int) -> float:
    f()  # warm-up
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        f()
        times.append(time.perf_counter() - t0)
    return 1e3 * statistics.median(times)


def main() -> None:
    raw = pd.read_csv(
        ROOT / "tests" / "data" / "CDNOW_sample.txt", sep=r"\s+", header=None, dtype={2: "str"}
    )
    cdnow = pd.DataFrame({"customer_id": raw[1], "date": pd.to_datetime(raw[2], format="%Y%m%d")})
    summary = rk.summary(cdnow, unit="weeks", observation_end="1997-09-30")
    assert isinstance(summary, pd.DataFrame) and len(summary) == 2_357
    fit = median_ms(lambda: rk.BgNbd(unit="weeks").fit(summary), 50)
    print(f"BG/NBD fit on the CDNOW calibration summary (a DataFrame): {fit:.2f} ms (median of 50)")

    orders = rk.demo_shop(customers=200_000)
    kept = rk.TransactionLog(orders, amount="amount")
    build = median_ms(lambda: rk.kpis(orders, amount="amount"), 10)
    reuse = median_ms(lambda: rk.kpis(kept), 10)
    print(
        f"KPIs of {len(orders):,} orders: {build:.1f} ms from the DataFrame, "
        f"{reuse:.1f} ms from a kept TransactionLog ({reuse / build:.2f}x)"
    )


if __name__ == "__main__":
    main()
