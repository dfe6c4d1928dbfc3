"""Reference values of lifetimes 0.11.3 for the purchase-count distributions.

Run from the repository root with the peer harness's venv (`bash benches/peers/setup.sh`):

    benches/peers/.venv/bin/python tests/data/models/make_lifetimes_counts.py \
        > tests/data/models/lifetimes_counts.txt

Prints, with parameters typed in (the published CDNOW estimates of Fader, Hardie & Lee 2005
for BG/NBD and Pareto/NBD, lifetimes' own MBG/NBD fit of CDNOW from lifetimes_mbg_nbd.txt,
the published donations estimates of Fader, Hardie & Shang 2010 for BG/BB):
- BetaGeoFitter and ModifiedBetaGeoFitter.probability_of_n_purchases_up_to_time(t, n)
  (a new customer; FHL 2005 eq. 8 and its MBG/NBD form);
- ParetoNBDFitter.conditional_probability_of_n_purchases_up_to_time(n, t, x, t_x, T)
  (Fader & Hardie's note 028, eq. 16), including x = t_x = T = 0 (a new customer) and a
  parameter set with alpha > beta (the other branch of lifetimes' code);
- BetaGeoBetaBinomFitter.expected_number_of_transactions_in_first_n_periods(n) on the
  donations data divided by the 11,104 donors: P(X(n) = x) for x = 0..6 (FHS 2010 eq. 7).
Values are repr (shortest round trip) so they paste into Rust unchanged.
"""

import sys

import lifetimes
import numpy as np
import pandas as pd
import scipy
from lifetimes import BetaGeoBetaBinomFitter, BetaGeoFitter, ModifiedBetaGeoFitter, ParetoNBDFitter

print(f"# lifetimes {lifetimes.__version__}, scipy {scipy.__version__}, numpy {np.__version__}, pandas {pd.__version__}, python {sys.version.split()[0]}")

for name, cls, params in [
    ("BG/NBD", BetaGeoFitter, {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}),
    ("MBG/NBD", ModifiedBetaGeoFitter, {"r": 0.525, "alpha": 6.183, "a": 0.891, "b": 1.614}),
]:
    f = cls()
    f.params_ = pd.Series(params)
    print(f"# {name} {params}: t, n, probability_of_n_purchases_up_to_time(t, n)")
    for t in [1.5, 39.0, 78.0]:
        for n in [0, 1, 2, 3, 5, 8]:
            print(f"({t!r}, {n}, {float(f.probability_of_n_purchases_up_to_time(t, n))!r}),")

for params in [
    {"r": 0.553, "alpha": 10.578, "s": 0.606, "beta": 11.669},
    {"r": 0.8, "alpha": 12.0, "s": 1.7, "beta": 5.0},
]:
    f = ParetoNBDFitter()
    f.params_ = pd.Series(params)
    print(f"# Pareto/NBD {params}: n, t, x, t_x, T, conditional_probability_of_n_purchases_up_to_time")
    for (x, tx, T) in [(0, 0.0, 0.0), (0, 0.0, 38.86), (1, 30.43, 38.86), (4, 20.0, 39.0), (12, 38.0, 39.0)]:
        for t in [10.0, 39.0]:
            for n in [0, 1, 2, 4]:
                v = f.conditional_probability_of_n_purchases_up_to_time(n, t, x, tx, T)
                print(f"({n}, {t!r}, {x}, {tx!r}, {T!r}, {float(v)!r}),")

d = pd.read_csv("tests/data/donations.csv")
f = BetaGeoBetaBinomFitter()
f.fit(d["frequency"], d["recency"], d["periods"], weights=d["weights"])
f.params_ = pd.Series({"alpha": 1.204, "beta": 0.750, "gamma": 0.657, "delta": 2.783})
total = float(d["weights"].sum())
for n in [6, 11]:
    table = f.expected_number_of_transactions_in_first_n_periods(n)
    print(f"# BG/BB alpha 1.204, beta 0.750, gamma 0.657, delta 2.783: n = {n}; x, P(X(n) = x)")
    for x, row in table.iterrows():
        print(f"({int(x)}, {float(row['model']) / total!r}),")
