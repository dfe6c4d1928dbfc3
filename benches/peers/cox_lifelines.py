"""Cox proportional hazards at 10^6 rows x 5 covariates: retentionkit against lifelines.

Run (from the repository root; lifelines in a venv as tests/data/survival/rossi_lifelines.py
says):

    cargo build --release -p retentionkit-benches --bin cox_task
    target/lifelines-venv/bin/python benches/peers/cox_lifelines.py --rows 1000000

Draws a seeded synthetic data set (numpy default_rng(2022)): x0..x4 standard normal;
event time T ~ exponential with rate 0.01 * exp(x'beta), beta = (0.5, -0.3, 0.2, 0, 0.1);
censoring time C ~ uniform(1, 365); the duration is min(T, C) rounded up to whole days
(so durations tie, as churn data in days do; about 365 distinct values) and the event is
T <= C. Writes the columns as raw little-endian files to target/cox_bench/ and runs, once
each (the machine is shared, so one run each, not a median):

- retentionkit: target/release/cox_task (Efron ties; the fit includes the standard errors,
  the baseline and the concordance index);
- lifelines: CoxPHFitter().fit(df, "week"-style duration and event columns) with its defaults
  (Efron ties), timed around fit() only (the DataFrame is built before the clock starts;
  lifelines computes the concordance lazily, so it is not in its time).

Prints both times, the ratio and the largest coefficient difference.
"""

import argparse
import json
import pathlib
import subprocess
import time
import warnings

import lifelines
import numpy as np
import pandas as pd
from lifelines import CoxPHFitter

warnings.simplefilter("ignore")

ROOT = pathlib.Path(__file__).resolve().parents[2]
BETA = np.array([0.5, -0.3, 0.2, 0.0, 0.1])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    args = ap.parse_args()
    n = args.rows
    rng = np.random.default_rng(2022)
    x = rng.standard_normal((n, 5))
    t = rng.exponential(1.0 / (0.01 * np.exp(x @ BETA)))
    c = rng.uniform(1.0, 365.0, n)
    durations = np.ceil(np.minimum(t, c))
    events = t <= c

    out = ROOT / "target" / "cox_bench"
    out.mkdir(parents=True, exist_ok=True)
    durations.astype("<f8").tofile(out / "durations.f64")
    events.astype(np.uint8).tofile(out / "events.u8")
    for j in range(5):
        np.ascontiguousarray(x[:, j]).astype("<f8").tofile(out / f"x{j}.f64")

    rk = json.loads(
        subprocess.run(
            [str(ROOT / "target" / "release" / "cox_task"), str(out)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    )

    df = pd.DataFrame(x, columns=[f"x{j}" for j in range(5)])
    df["duration"] = durations
    df["event"] = events.astype(int)
    cph = CoxPHFitter()
    start = time.perf_counter()
    cph.fit(df, "duration", "event")
    ll_seconds = time.perf_counter() - start

    coef = cph.params_.to_numpy()
    print(f"rows {n}, events {int(events.sum())}, distinct durations {len(np.unique(durations))}")
    print(f"lifelines {lifelines.__version__}: {ll_seconds:.2f} s, coef {np.round(coef, 6).tolist()}")
    print(f"retentionkit: {rk['seconds']:.3f} s, coef {np.round(rk['coef'], 6).tolist()}, {rk['iterations']} iterations")
    print(f"ratio lifelines / retentionkit: {ll_seconds / rk['seconds']:.1f}")
    print(f"largest |coef difference|: {np.max(np.abs(coef - np.array(rk['coef']))):.2e}")
    print(f"log-likelihood: lifelines {cph.log_likelihood_:.6f}, retentionkit {rk['log_likelihood']:.6f}")


if __name__ == "__main__":
    main()
