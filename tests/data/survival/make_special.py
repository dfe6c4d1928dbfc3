"""Reference values for crates/retentionkit/src/special/tests.rs, from scipy.

Run: /tmp/venv-lifelines/bin/python tests/data/survival/make_special.py
(scipy as installed with lifelines 0.30.0; the version is printed). The
output is pasted into the Rust test tables as-is (repr = shortest round-trip).
"""

import scipy
from scipy import special, stats

print("# scipy", scipy.__version__)
print("# ln_gamma: x, scipy.special.gammaln(x)")
for x in [0.1, 0.5, 1.0, 1.5, 2.5, 7.3, 10.0, 100.0, 1234.5]:
    print(f"({x!r}, {float(special.gammaln(x))!r}),")
print("# gamma_p / gamma_q: a, x, gammainc(a, x), gammaincc(a, x)")
for a, x in [(0.5, 0.1), (0.5, 2.0), (1.0, 3.0), (2.5, 1.0), (2.5, 10.0), (10.0, 9.0), (10.0, 30.0), (50.0, 45.0), (0.5, 40.0)]:
    print(f"({a!r}, {x!r}, {float(special.gammainc(a, x))!r}, {float(special.gammaincc(a, x))!r}),")
print("# chi2_sf: x, df, stats.chi2.sf(x, df)")
for x, df in [(3.841458820694124, 1), (0.5, 1), (5.991464547107979, 2), (12.3, 3), (100.0, 4), (0.01, 5)]:
    print(f"({x!r}, {df!r}.0, {float(stats.chi2.sf(x, df))!r}),")
print("# normal_quantile: p, stats.norm.ppf(p)")
for p in [0.5, 0.975, 0.995, 0.9, 0.025, 0.1, 0.3, 0.7, 1e-3, 1e-10, 1e-300, 0.999999]:
    print(f"({p!r}, {float(stats.norm.ppf(p))!r}),")
