"""A table of 10^6 subjects with 5 covariates as CSV, for timing `retentionkit cox` and
`retentionkit aft` end to end (reading, fit, tests, JSON). Standard library only.

Run (from the repository root):

    python3 benches/peers/cox_cli_data.py > target/cox_cli.csv

Seeded (random.seed(22)): x1, x2 standard normal, x3 uniform on (0, 1), x4 Bernoulli(0.3),
x5 normal with sd 0.5; event time exponential with rate 0.1 * exp(x'beta),
beta = (0.5, -0.3, 0.2, 0, 0.8); censoring time uniform on (0, 20); t = min(T, C) written with
4 decimals (so a few durations are 0, which `aft` refuses), e = 1 when T <= C.
"""

import math
import random
import sys

BETA = (0.5, -0.3, 0.2, 0.0, 0.8)


def main():
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    random.seed(22)
    out = sys.stdout
    out.write("t,e,x1,x2,x3,x4,x5\n")
    for _ in range(rows):
        x = (
            random.gauss(0, 1),
            random.gauss(0, 1),
            random.random(),
            float(random.random() < 0.3),
            random.gauss(0, 0.5),
        )
        rate = 0.1 * math.exp(sum(b * v for b, v in zip(BETA, x)))
        t = random.expovariate(rate)
        c = random.uniform(0, 20)
        out.write(
            f"{min(t, c):.4f},{1 if t <= c else 0},{x[0]:.5f},{x[1]:.5f},{x[2]:.5f},{int(x[3])},{x[4]:.5f}\n"
        )


if __name__ == "__main__":
    main()
