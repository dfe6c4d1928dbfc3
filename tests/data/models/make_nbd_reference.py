"""Reference values of scipy for the NBD model tests (models::nbd).

Run from the repository root, with the peer harness's venv (scipy 1.17.1;
`bash benches/peers/setup.sh` creates it):

    benches/peers/.venv/bin/python tests/data/models/make_nbd_reference.py \
        > tests/data/models/scipy_nbd.txt

The NBD log-likelihood sum_i [ln G(r + x_i) - ln G(r) + r ln a - (r + x_i) ln(a + T_i)]
(scipy.special.gammaln) on Hardie's CDNOW calibration summary
(tests/data/cdnow_customers_summary.csv, T in weeks to 2 decimals), maximised
by scipy.optimize.minimize (L-BFGS-B on ln r, ln a with the analytic gradient,
then Nelder-Mead polish at tight tolerances), and the value at fixed points.
Values are repr (shortest round trip).
"""

import sys

import numpy as np
import scipy
from scipy import optimize, special

d = np.loadtxt("tests/data/cdnow_customers_summary.csv", delimiter=",", skiprows=1)
x, t = d[:, 1], d[:, 3]


def ll(r, a):
    return float(np.sum(special.gammaln(r + x) - special.gammaln(r) + r * np.log(a) - (r + x) * np.log(a + t)))


def neg(v):
    r, a = np.exp(v)
    g_r = np.sum(special.digamma(r + x) - special.digamma(r) + np.log(a) - np.log(a + t))
    g_a = np.sum(r / a - (r + x) / (a + t))
    return -ll(r, a), -np.array([g_r * r, g_a * a])


print(f"# scipy {scipy.__version__}, numpy {np.__version__}, python {sys.version.split()[0]}")
print(f"# customers {len(x)}")
first = optimize.minimize(neg, np.log([1.0, 30.0]), jac=True, method="L-BFGS-B", options={"ftol": 1e-15, "gtol": 1e-12})
polish = optimize.minimize(lambda v: neg(v)[0], first.x, method="Nelder-Mead", options={"xatol": 1e-12, "fatol": 1e-12, "maxiter": 10000})
r, a = np.exp(polish.x)
print("# r, alpha, log-likelihood at the maximum")
print(f"{float(r)!r}, {float(a)!r}, {ll(r, a)!r}")
print("# r, alpha, log-likelihood at fixed points")
for r, a in [(0.553, 10.578), (1.0, 30.0)]:
    print(f"{float(r)!r}, {float(a)!r}, {ll(r, a)!r}")
