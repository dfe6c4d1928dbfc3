"""Time lifetimes 0.11.3's BG/NBD and Gamma-Gamma fits on the CDNOW calibration data, for the
ratio against `cargo bench -p retentionkit-benches --bench models` (run both in one session).

    benches/peers/.venv/bin/python benches/peers/models_lifetimes.py

Prints the median of 7 fits of each, in milliseconds, on Hardie's summary files in tests/data.
"""

import statistics
import time
import warnings

import pandas as pd
from lifetimes import BetaGeoFitter, GammaGammaFitter

warnings.simplefilter("ignore")
s = pd.read_csv("tests/data/cdnow_customers_summary.csv")
z = pd.read_csv("tests/data/cdnow_customers_summary_with_transactions.csv")
z = z[z["x"] > 0]


def median_ms(f, reps=7):
    times = []
    for _ in range(reps):
        t = time.perf_counter()
        f()
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1e3


bg = median_ms(lambda: BetaGeoFitter().fit(s["frequency"], s["recency"], s["T"]))
gg = median_ms(lambda: GammaGammaFitter().fit(z["x"], z["zbar"]))
print(f"lifetimes BetaGeoFitter.fit on CDNOW (2,357 customers): {bg:.1f} ms")
print(f"lifetimes GammaGammaFitter.fit on CDNOW (946 customers): {gg:.1f} ms")
