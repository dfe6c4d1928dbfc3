"""Reference values of lifetimes 0.11.3 for the MBG/NBD tests.

Run from the repository root, with the peer harness's venv (it pins
lifetimes 0.11.3; `bash benches/peers/setup.sh` creates it):

    benches/peers/.venv/bin/python tests/data/models/make_lifetimes_mbg_nbd.py \
        > tests/data/models/lifetimes_mbg_nbd.txt

Prints the library versions; lifetimes' ModifiedBetaGeoFitter fit of Hardie's
CDNOW calibration summary (tests/data/cdnow_customers_summary.csv, weeks,
2 dp) with its log-likelihood (recomputed in weeks) and the
log-likelihood of that file at fixed parameters; then, with fixed
parameters r = 0.525, alpha = 6.183, a = 0.891, b = 1.614 (round values
near the fit), lifetimes' conditional_probability_alive and
conditional_expected_number_of_purchases_up_to_time(t) on a grid of
(x, t_x, T, t), and expected_number_of_purchases_up_to_time(t); and the
median of 5 timings of the fit. Values are repr (shortest round trip) so
they paste into Rust unchanged.
"""

import sys
import time

import lifetimes
import numpy as np
import pandas as pd
import scipy
from lifetimes import ModifiedBetaGeoFitter

print(f"# lifetimes {lifetimes.__version__}, scipy {scipy.__version__}, numpy {np.__version__}, pandas {pd.__version__}, python {sys.version.split()[0]}")

s = pd.read_csv("tests/data/cdnow_customers_summary.csv")
fit = ModifiedBetaGeoFitter()
fit.fit(s["frequency"], s["recency"], s["T"])
p = fit.params_
n = len(s)
print(f"# customers {n}")
print("# lifetimes fit on cdnow_customers_summary.csv: r, alpha, a, b, LL")
# (lifetimes fits on a rescaled time axis, so its stored _negative_log_likelihood_ is not the
# LL in weeks: the LL is recomputed from its fitted parameters on the data in weeks.)


def ll(params):
    return float(-ModifiedBetaGeoFitter._negative_log_likelihood(
        np.log(np.array(params)), s["frequency"].values, s["recency"].values, s["T"].values, np.ones(n), 0.0
    ) * n)


fitted = (float(p["r"]), float(p["alpha"]), float(p["a"]), float(p["b"]))
print(*[repr(v) for v in fitted], repr(ll(fitted)))

FIXED = (0.525, 6.183, 0.891, 1.614)
ll_fixed = ll(FIXED)
print("# LL of cdnow_customers_summary.csv at r=0.525 alpha=6.183 a=0.891 b=1.614")
print(repr(float(ll_fixed)))

pub = ModifiedBetaGeoFitter()
pub.params_ = pd.Series(dict(zip(["r", "alpha", "a", "b"], FIXED)))
rows = [
    (0, 0.0, 38.86, 39.0),
    (1, 30.43, 38.86, 39.0),
    (2, 6.0, 38.86, 39.0),
    (5, 35.0, 36.0, 52.0),
    (14, 38.0, 39.0, 13.0),
    (1, 1.0, 78.0, 1.0),
    (0, 0.0, 10.0, 20.0),
    (100, 999.0, 1000.0, 52.0),
    (3, 5.0, 1000.0, 52.0),
]
print("# fixed parameters r=0.525 alpha=6.183 a=0.891 b=1.614")
print("# x, t_x, T, t, conditional_probability_alive, conditional_expected_number_of_purchases_up_to_time(t)")
for x, tx, T, t in rows:
    pa = float(np.asarray(pub.conditional_probability_alive(x, tx, T)).ravel()[0])
    e = float(np.asarray(pub.conditional_expected_number_of_purchases_up_to_time(t, x, tx, T)).ravel()[0])
    print(f"({x}, {tx!r}, {T!r}, {t!r}, {pa!r}, {e!r}),")
print("# t, expected_number_of_purchases_up_to_time(t)")
for t in [1.0, 39.0, 78.0, 500.0]:
    print(f"({t!r}, {float(np.asarray(pub.expected_number_of_purchases_up_to_time(t)).ravel()[0])!r}),")

times = []
for _ in range(5):
    t0 = time.perf_counter()
    ModifiedBetaGeoFitter().fit(s["frequency"], s["recency"], s["T"])
    times.append(time.perf_counter() - t0)
print(f"# timing: lifetimes ModifiedBetaGeoFitter.fit on cdnow_customers_summary.csv, median of 5: {sorted(times)[2] * 1e3:.1f} ms")
