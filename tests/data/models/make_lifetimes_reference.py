"""Reference values of lifetimes 0.11.3 for the BG/NBD tests.

Run from the repository root, with the peer harness's venv (it pins
lifetimes 0.11.3; `bash benches/peers/setup.sh` creates it):

    benches/peers/.venv/bin/python tests/data/models/make_lifetimes_reference.py \
        > tests/data/models/lifetimes_bg_nbd.txt

Prints the library versions, lifetimes' own BG/NBD fit of Hardie's CDNOW
calibration summary (tests/data/cdnow_customers_summary.csv), and, with the
published parameters of Fader, Hardie & Lee (2005), lifetimes' probability
alive and conditional expected purchases for a grid of (x, t_x, T, t) and
the expected repeat purchases of a new customer. Values are repr (shortest
round trip) so they paste into Rust unchanged.
"""

import sys

import lifetimes
import numpy as np
import pandas as pd
import scipy
from lifetimes import BetaGeoFitter

print(f"# lifetimes {lifetimes.__version__}, scipy {scipy.__version__}, numpy {np.__version__}, pandas {pd.__version__}, python {sys.version.split()[0]}")

s = pd.read_csv("tests/data/cdnow_customers_summary.csv")
fit = BetaGeoFitter()
fit.fit(s["frequency"], s["recency"], s["T"])
p = fit.params_
print("# lifetimes fit on cdnow_customers_summary.csv: r, alpha, a, b")
print(repr(float(p["r"])), repr(float(p["alpha"])), repr(float(p["a"])), repr(float(p["b"])))

pub = BetaGeoFitter()
pub.params_ = pd.Series({"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426})
rows = [
    (0, 0.0, 38.86, 39.0),
    (1, 30.43, 38.86, 39.0),
    (2, 6.0, 38.86, 39.0),
    (5, 35.0, 36.0, 52.0),
    (14, 38.0, 39.0, 13.0),
    (1, 1.0, 78.0, 1.0),
    (500, 9999.0, 10000.0, 52.0),
    (3, 5.0, 10000.0, 52.0),
]
print("# published parameters r=0.243 alpha=4.414 a=0.793 b=2.426")
print("# x, t_x, T, t, conditional_probability_alive, conditional_expected_number_of_purchases_up_to_time(t)")
for x, tx, T, t in rows:
    pa = float(np.asarray(pub.conditional_probability_alive(x, tx, T)).ravel()[0])
    e = float(np.asarray(pub.conditional_expected_number_of_purchases_up_to_time(t, x, tx, T)).ravel()[0])
    print(f"({x}, {tx!r}, {T!r}, {t!r}, {pa!r}, {e!r}),")
print("# t, expected_number_of_purchases_up_to_time(t)")
for t in [1.0, 39.0, 78.0, 500.0]:
    print(f"({t!r}, {float(np.asarray(pub.expected_number_of_purchases_up_to_time(t)).ravel()[0])!r}),")
