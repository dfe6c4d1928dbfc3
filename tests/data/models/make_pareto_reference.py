"""Reference values of lifetimes 0.11.3 and scipy for the Pareto/NBD tests.

Run from the repository root, with the peer harness's venv (it pins
lifetimes 0.11.3 and scipy 1.17.1; `bash benches/peers/setup.sh` creates it):

    benches/peers/.venv/bin/python tests/data/models/make_pareto_reference.py \
        > tests/data/models/lifetimes_pareto_nbd.txt

Prints the library versions; scipy's hyp2f1(1, e; c; z) and the identity
2F1(a, b; a + 1; z) = (1 - z)^(1 - b) 2F1(1, a + 1 - b; a + 1; z) on both of
its sides; with the published parameters of Fader, Hardie & Lee (2005)
(r = 0.553, alpha = 10.578, s = 0.606, beta = 11.669), lifetimes'
ParetoNBDFitter log-likelihood of single customers and summed over Hardie's
CDNOW calibration summary (tests/data/cdnow_customers_summary.csv),
conditional_probability_alive and
conditional_expected_number_of_purchases_up_to_time on a grid of
(x, t_x, T, t) including extremes, expected_number_of_purchases_up_to_time,
and lifetimes' own fit of that summary. Values are repr (shortest round
trip) so they paste into Rust unchanged.
"""

import sys
import warnings

import lifetimes
import numpy as np
import pandas as pd
import scipy
from lifetimes import ParetoNBDFitter
from scipy import special

warnings.simplefilter("ignore")
print(f"# lifetimes {lifetimes.__version__}, scipy {scipy.__version__}, numpy {np.__version__}, pandas {pd.__version__}, python {sys.version.split()[0]}")

print("# e, c, z, scipy.special.hyp2f1(1, e, c, z)")
for e, c, z in [(0.5, 2.0, 0.5), (1.553, 2.159, 0.3), (1.606, 503.159, 0.9), (500.553, 502.159, 0.99), (0.01, 1.5, 0.999), (3.0, 3.5, 0.0)]:
    print(f"({e!r}, {c!r}, {z!r}, {float(special.hyp2f1(1.0, e, c, z))!r}),")
print("# a, b, z, scipy.special.hyp2f1(a, b, a + 1, z)  (for the Euler identity)")
for a, b, z in [(2.159, 1.606, 0.5), (3.159, 2.553, 0.093), (10.2, 0.7, 0.95)]:
    print(f"({a!r}, {b!r}, {z!r}, {float(special.hyp2f1(a, b, a + 1.0, z))!r}),")

P = (0.553, 10.578, 0.606, 11.669)
print("# published parameters r, alpha, s, beta =", P)
print("# x, t_x, T, lifetimes ParetoNBDFitter._conditional_log_likelihood")
for x, tx, T in [(0, 0.0, 38.86), (1, 30.43, 38.86), (2, 6.0, 38.86), (5, 35.0, 36.0), (3, 39.0, 39.0), (500, 9999.0, 10000.0), (3, 5.0, 10000.0)]:
    ll = float(ParetoNBDFitter._conditional_log_likelihood(P, np.array([float(x)]), np.array([tx]), np.array([T]))[0])
    print(f"({x}, {tx!r}, {T!r}, {ll!r}),")

s = pd.read_csv("tests/data/cdnow_customers_summary.csv")
ll = ParetoNBDFitter._conditional_log_likelihood(P, s["frequency"].values.astype(float), s["recency"].values, s["T"].values)
print("# sum of the log-likelihood over cdnow_customers_summary.csv at the published parameters")
print(repr(float(ll.sum())))

pub = ParetoNBDFitter()
pub.params_ = pd.Series({"r": P[0], "alpha": P[1], "s": P[2], "beta": P[3]})
rows = [
    (0, 0.0, 38.86, 39.0),
    (1, 30.43, 38.86, 39.0),
    (2, 6.0, 38.86, 39.0),
    (5, 35.0, 36.0, 52.0),
    (14, 38.0, 39.0, 13.0),
    (1, 1.0, 78.0, 1.0),
    (3, 39.0, 39.0, 39.0),
    (0, 0.0, 0.5, 1000.0),
    (500, 9999.0, 10000.0, 52.0),
    (500, 10000.0, 10000.0, 0.5),
    (3, 5.0, 10000.0, 52.0),
    (50, 100.0, 10000.0, 52.0),
]
print("# x, t_x, T, t, conditional_probability_alive, conditional_expected_number_of_purchases_up_to_time(t)")
for x, tx, T, t in rows:
    pa = float(np.asarray(pub.conditional_probability_alive(x, tx, T)).ravel()[0])
    e = float(np.asarray(pub.conditional_expected_number_of_purchases_up_to_time(t, x, tx, T)).ravel()[0])
    print(f"({x}, {tx!r}, {T!r}, {t!r}, {pa!r}, {e!r}),")
print("# t, expected_number_of_purchases_up_to_time(t)")
for t in [1.0, 39.0, 78.0, 500.0]:
    print(f"({t!r}, {float(np.asarray(pub.expected_number_of_purchases_up_to_time(t)).ravel()[0])!r}),")

fit = ParetoNBDFitter()
fit.fit(s["frequency"], s["recency"], s["T"])
p = fit.params_
print("# lifetimes fit on cdnow_customers_summary.csv: r, alpha, s, beta, log-likelihood")
pp = (float(p["r"]), float(p["alpha"]), float(p["s"]), float(p["beta"]))
ll = ParetoNBDFitter._conditional_log_likelihood(pp, s["frequency"].values.astype(float), s["recency"].values, s["T"].values)
print(*[repr(v) for v in pp], repr(float(ll.sum())))
