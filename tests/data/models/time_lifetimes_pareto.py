"""Wall time of lifetimes 0.11.3's ParetoNBDFitter.fit on Hardie's CDNOW
calibration summary (tests/data/cdnow_customers_summary.csv, 2,357 rows),
the data of the criterion bench benches/benches/models_pareto.rs.

Run from the repository root with the peer harness's venv:

    benches/peers/.venv/bin/python tests/data/models/time_lifetimes_pareto.py

Prints each of 5 timed fits (after one warm-up) and their median, in ms.
"""

import statistics
import sys
import time
import warnings

import lifetimes
import pandas as pd
from lifetimes import ParetoNBDFitter

warnings.simplefilter("ignore")
s = pd.read_csv("tests/data/cdnow_customers_summary.csv")
print(f"# lifetimes {lifetimes.__version__}, python {sys.version.split()[0]}")
ParetoNBDFitter().fit(s["frequency"], s["recency"], s["T"])
times = []
for _ in range(5):
    t0 = time.perf_counter()
    ParetoNBDFitter().fit(s["frequency"], s["recency"], s["T"])
    times.append((time.perf_counter() - t0) * 1e3)
print("fits (ms):", " ".join(f"{t:.1f}" for t in times))
print(f"median (ms): {statistics.median(times):.1f}")
