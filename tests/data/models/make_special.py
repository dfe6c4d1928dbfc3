"""Reference values of digamma and 2F1 for crates/retentionkit/src/special/tests.rs.

Run: benches/peers/.venv/bin/python tests/data/models/make_special.py > tests/data/models/make_special.out
(scipy as pinned by the peer harness's venv; the version is printed).
"""

import scipy
from scipy import special

print("# scipy", scipy.__version__)
print("# digamma: x, scipy.special.digamma(x)")
for x in [1.0, 0.5, 10.0, 0.01, 123.4, 3.7]:
    print(f"({x!r}, {float(special.digamma(x))!r}),")
print("# hyp2f1: a, b, c, z, scipy.special.hyp2f1(a, b, c, z)")
for a, b, c, z in [(1.0, 1.0, 2.0, 0.5), (2.243, 4.426, 4.219, 0.3), (3.5, 7.2, 1.5, 0.9), (500.2, 502.4, 500.2, 0.01), (0.243, 2.426, 2.219, 0.95)]:
    print(f"({a!r}, {b!r}, {c!r}, {z!r}, {float(special.hyp2f1(a, b, c, z))!r}),")
print("# ln of the regularized incomplete beta: a, b, x, log(scipy.special.betainc(a, b, x))")
import math
for a, b, x in [(1.0, 1.0, 0.3), (2.0, 3.0, 0.4), (0.5, 0.5, 0.9), (3.0, 0.243, 0.2), (50.0, 0.5, 0.5), (0.243, 7.0, 0.99), (200.0, 1.3, 0.95), (1.0, 2.5, 1e-6), (7.0, 0.8, 0.999)]:
    print(f"({a!r}, {b!r}, {x!r}, {math.log(float(special.betainc(a, b, x)))!r}),")
