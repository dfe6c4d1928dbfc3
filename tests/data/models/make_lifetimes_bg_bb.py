"""Reference values of lifetimes 0.11.3 for the BG/BB tests.

Run from the repository root, with the peer harness's venv (it pins
lifetimes 0.11.3; `bash benches/peers/setup.sh` creates it):

    benches/peers/.venv/bin/python tests/data/models/make_lifetimes_bg_bb.py \
        > tests/data/models/lifetimes_bg_bb.txt

Prints the library versions, lifetimes' own BetaGeoBetaBinomFitter fit of the
donations data (tests/data/donations.csv, 11,104 donors, 6 opportunities)
with its log-likelihood, and, with the published parameters of Fader,
Hardie & Shang (2010) (alpha 1.204, beta 0.750, gamma 0.657, delta 2.783),
lifetimes' log-likelihood per row, conditional_probability_alive(1, ...)
(alive at opportunity n + 1, FHS eq. 11) and
conditional_expected_number_of_purchases_up_to_time(n*, ...) (FHS eq. 13)
on a grid of (x, t_x, n, n*). Values are repr (shortest round trip) so they
paste into Rust unchanged. lifetimes adds 1e-15 inside its log of the sum
term of the likelihood; the LL lines below are printed both from lifetimes
and from scipy.special.betaln directly (without that 1e-15); so are the
probability alive and expected transactions (the last two columns), since
that 1e-15 moves lifetimes' values wherever L itself is not far above 1e-15
(the rows with x = 25 and x = 2 over 200 opportunities).
"""

import sys
import time

import lifetimes
import numpy as np
import pandas as pd
import scipy
from scipy.special import betaln, gammaln, logsumexp
from lifetimes import BetaGeoBetaBinomFitter

print(f"# lifetimes {lifetimes.__version__}, scipy {scipy.__version__}, numpy {np.__version__}, pandas {pd.__version__}, python {sys.version.split()[0]}")

d = pd.read_csv("tests/data/donations.csv")
print(f"# donors {int(d['weights'].sum())}, rows {len(d)}")
fit = BetaGeoBetaBinomFitter()
fit.fit(d["frequency"], d["recency"], d["periods"], weights=d["weights"])
p = fit.params_
print("# lifetimes fit on donations.csv: alpha, beta, gamma, delta, LL")
ll_fit = -fit._negative_log_likelihood_ * d["weights"].sum()
print(repr(float(p["alpha"])), repr(float(p["beta"])), repr(float(p["gamma"])), repr(float(p["delta"])), repr(float(ll_fit)))


def ll_row(a, b, g, dl, x, tx, n):
    """FHS (2010) eq. 5 in log space, straight from scipy."""
    terms = [betaln(a + x, b + n - x) - betaln(a, b) + betaln(g, dl + n) - betaln(g, dl)]
    for i in range(n - tx):
        terms.append(betaln(a + x, b + tx - x + i) - betaln(a, b) + betaln(g + 1, dl + tx + i) - betaln(g, dl))
    return float(logsumexp(terms))


PUB = (1.204, 0.750, 0.657, 2.783)
pub = BetaGeoBetaBinomFitter()
pub.params_ = pd.Series(dict(zip(["alpha", "beta", "gamma", "delta"], PUB)))
ll_pub = sum(w * ll_row(*PUB, x, tx, n) for x, tx, n, w in zip(d["frequency"], d["recency"], d["periods"], d["weights"]))
ll_pub_lt = float((BetaGeoBetaBinomFitter._loglikelihood(np.array(PUB), d["frequency"].values, d["recency"].values, d["periods"].values) * d["weights"].values).sum())
print("# LL of donations.csv at the published parameters: scipy betaln, lifetimes _loglikelihood")
print(repr(ll_pub), repr(ll_pub_lt))

rows = [
    (0, 0, 6, 1),
    (0, 0, 6, 5),
    (1, 1, 6, 5),
    (1, 6, 6, 5),
    (3, 4, 6, 5),
    (6, 6, 6, 5),
    (6, 6, 6, 1),
    (2, 3, 10, 20),
    (0, 0, 1, 3),
    (1, 1, 1, 3),
    (25, 40, 50, 100),
    (2, 5, 200, 10),
]
print("# published parameters alpha=1.204 beta=0.750 gamma=0.657 delta=2.783")
print("# x, t_x, n, n*, ln L (scipy), conditional_probability_alive(1, x, t_x, n), conditional_expected_number_of_purchases_up_to_time(n*, x, t_x, n), eq. 11 and eq. 13 from scipy directly")
for x, tx, n, m in rows:
    ll = ll_row(*PUB, x, tx, n)
    pa = float(np.asarray(pub.conditional_probability_alive(1, np.array([x]), np.array([tx]), np.array([n]))).ravel()[0])
    e = float(np.asarray(pub.conditional_expected_number_of_purchases_up_to_time(m, np.array([x]), np.array([tx]), np.array([n]))).ravel()[0])
    a, b, g, dl = PUB
    pa_s = float(np.exp(betaln(a + x, b + n - x) - betaln(a, b) + betaln(g, dl + n + 1) - betaln(g, dl) - ll))
    e_s = float(np.exp(betaln(a + x + 1, b + n - x) - betaln(a, b) - ll + gammaln(g + dl) - gammaln(1 + dl))
                * dl / (g - 1) * (np.exp(gammaln(1 + dl + n) - gammaln(g + dl + n)) - np.exp(gammaln(1 + dl + n + m) - gammaln(g + dl + n + m))))
    print(f"({x}, {tx}, {n}, {m}, {ll!r}, {pa!r}, {e!r}, {pa_s!r}, {e_s!r}),")

# E[X(n)] of a new customer: the mean of lifetimes' P(X(n) = x) (its
# expected_number_of_transactions_in_first_n_periods, which lists x = 0..6,
# the values of the data, so the full pmf for n <= 6), and eq. E[X(n)] by scipy.
fitted_pub = BetaGeoBetaBinomFitter()
fitted_pub.fit(d["frequency"], d["recency"], d["periods"], weights=d["weights"])
fitted_pub.params_ = pd.Series(dict(zip(["alpha", "beta", "gamma", "delta"], PUB)))
print("# n, E[X(n)] from lifetimes' pmf, E[X(n)] = alpha/(alpha+beta) delta/(gamma-1) [1 - G(g+d)G(1+d+n)/(G(g+d+n)G(1+d))] by scipy")
for nn in [1, 3, 6]:
    df = fitted_pub.expected_number_of_transactions_in_first_n_periods(nn)
    e_lt = float((df.index.values * df["model"].values).sum() / d["weights"].sum())
    a, b, g, dl = PUB
    e_s = float(a / (a + b) * dl / (g - 1) * (1 - np.exp(gammaln(g + dl) + gammaln(1 + dl + nn) - gammaln(g + dl + nn) - gammaln(1 + dl))))
    print(f"({nn}, {e_lt!r}, {e_s!r}),")

# Timing of the same fit, median of 5.
times = []
for _ in range(5):
    t0 = time.perf_counter()
    BetaGeoBetaBinomFitter().fit(d["frequency"], d["recency"], d["periods"], weights=d["weights"])
    times.append(time.perf_counter() - t0)
print(f"# timing: lifetimes BetaGeoBetaBinomFitter.fit on donations.csv, median of 5: {sorted(times)[2] * 1e3:.1f} ms")
