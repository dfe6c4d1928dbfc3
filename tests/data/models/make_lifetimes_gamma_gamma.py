"""Reference values of lifetimes 0.11.3 for the Gamma-Gamma tests.

Run from the repository root with the peer harness's venv (`bash benches/peers/setup.sh`):

    benches/peers/.venv/bin/python tests/data/models/make_lifetimes_gamma_gamma.py \
        > tests/data/models/lifetimes_gamma_gamma.txt

Prints lifetimes' GammaGammaFitter fit on the repeat customers of Hardie's CDNOW summary with
zbar (tests/data/cdnow_customers_summary_with_transactions.csv, x > 0), and, with the published
parameters p = 6.25, q = 3.74, gamma = 15.44, its conditional_expected_average_profit for a
grid of (x, zbar). repr values paste into Rust unchanged.
"""

import sys

import lifetimes
import numpy as np
import pandas as pd
from lifetimes import GammaGammaFitter

print(f"# lifetimes {lifetimes.__version__}, numpy {np.__version__}, pandas {pd.__version__}, python {sys.version.split()[0]}")
s = pd.read_csv("tests/data/cdnow_customers_summary_with_transactions.csv")
r = s[s["x"] > 0]
print(f"# repeat customers: {len(r)}")
f = GammaGammaFitter()
f.fit(r["x"], r["zbar"])
print("# lifetimes fit on the 2-dp zbar: p, q, v (gamma)")
print(repr(float(f.params_["p"])), repr(float(f.params_["q"])), repr(float(f.params_["v"])))
pub = GammaGammaFitter()
pub.params_ = pd.Series({"p": 6.25, "q": 3.74, "v": 15.44})
print("# published parameters: x, zbar, conditional_expected_average_profit")
for x, z in [(1, 10.0), (2, 20.0), (5, 35.5), (30, 120.0), (1, 0.01), (500, 1e4)]:
    e = float(np.asarray(pub.conditional_expected_average_profit(pd.Series([x]), pd.Series([z]))).ravel()[0])
    print(f"({x}, {z!r}, {e!r}),")
