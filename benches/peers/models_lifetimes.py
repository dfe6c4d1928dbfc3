"""Time lifetimes 0.11.3's model fits on the data of the papers (CDNOW calibration summary,
donations), for the ratio against `cargo bench -p retentionkit-benches --bench models
--bench models_pareto --bench models_mbgnbd --bench models_bgbb` (run both in one session).

    benches/peers/.venv/bin/python benches/peers/models_lifetimes.py

Prints the median of 7 fits of each (3 for the slower Pareto/NBD), in milliseconds, on Hardie's summary files in tests/data.
"""

import statistics
import time
import warnings

import pandas as pd
from lifetimes import (BetaGeoBetaBinomFitter, BetaGeoFitter, GammaGammaFitter,
                       ModifiedBetaGeoFitter, ParetoNBDFitter)

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
mbg = median_ms(lambda: ModifiedBetaGeoFitter().fit(s["frequency"], s["recency"], s["T"]))
pareto = median_ms(lambda: ParetoNBDFitter().fit(s["frequency"], s["recency"], s["T"]), reps=3)
d = pd.read_csv("tests/data/donations.csv")
bb = median_ms(lambda: BetaGeoBetaBinomFitter().fit(d["frequency"], d["recency"], d["periods"], weights=d["weights"]))
print(f"lifetimes ModifiedBetaGeoFitter.fit on CDNOW (2,357 customers): {mbg:.1f} ms")
print(f"lifetimes ParetoNBDFitter.fit on CDNOW (2,357 customers): {pareto:.1f} ms")
print(f"lifetimes BetaGeoBetaBinomFitter.fit on donations (22 rows, 11,104 donors): {bb:.1f} ms")
