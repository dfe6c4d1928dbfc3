"""Expected Kaplan-Meier and log-rank numbers for fixture.csv, from lifelines.

Run (from the repository root):

    python3 -m venv /tmp/venv-lifelines
    /tmp/venv-lifelines/bin/pip install lifelines==0.30.0
    /tmp/venv-lifelines/bin/python tests/data/survival/make_expected.py

Writes tests/data/survival/expected.json (floats as repr, i.e. full
round-trip precision), which tests/it/survival.rs compares to retentionkit
with a tolerance of 1e-9.

Rows of lifelines' tables at time 0 that no subject has (lifelines adds a
"birth" row at t = 0) are dropped: retentionkit has one row per distinct
duration.
"""

import json
import pathlib
import warnings

import lifelines
import numpy as np
import pandas as pd
import scipy
from lifelines import KaplanMeierFitter
from lifelines.statistics import logrank_test, multivariate_logrank_test
from lifelines.utils import restricted_mean_survival_time

warnings.simplefilter("ignore")  # lifelines' ApproximationWarning on percentile()

HERE = pathlib.Path(__file__).resolve().parent
HORIZONS = [10.5, 18.0, 45.0]  # inside, exactly at a time, beyond the last time (30)
AT = [0.0, 0.5, 3.0, 7.9, 18.0, 29.99, 30.0, 100.0]  # survival_at probes


def f(x):
    return float(x)


def curve(durations, observed, level=0.95):
    kmf = KaplanMeierFitter(alpha=1 - level).fit(durations, observed)
    et = kmf.event_table
    keep = (et["removed"] > 0).to_numpy()
    times = et.index.to_numpy()[keep]
    sf = kmf.survival_function_.iloc[:, 0].to_numpy()[keep]
    ci = kmf.confidence_interval_
    lower = ci.iloc[:, 0].to_numpy()[keep]
    upper = ci.iloc[:, 1].to_numpy()[keep]
    assert ci.columns[0].find("lower") >= 0 and ci.columns[1].find("upper") >= 0
    green = np.asarray(kmf._cumulative_sq_)[keep]
    median = kmf.median_survival_time_
    return {
        "times": [f(t) for t in times],
        "at_risk": [int(x) for x in et["at_risk"].to_numpy()[keep]],
        "events": [int(x) for x in et["observed"].to_numpy()[keep]],
        "censored": [int(x) for x in et["censored"].to_numpy()[keep]],
        "survival": [f(x) for x in sf],
        "greenwood": [f(x) for x in green],
        "lower": [f(x) for x in lower],
        "upper": [f(x) for x in upper],
        "median": None if np.isinf(median) else f(median),
        "restricted_mean": [[h, f(restricted_mean_survival_time(kmf, t=h))] for h in HORIZONS],
        "survival_at": [[t, f(kmf.predict(t))] for t in AT],
    }


def main():
    df = pd.read_csv(HERE / "fixture.csv")
    T, E, G = df["duration"].astype(float), df["observed"].astype(bool), df["group"]
    out = {
        "generator": "tests/data/survival/make_expected.py",
        "lifelines": lifelines.__version__,
        "numpy": np.__version__,
        "pandas": pd.__version__,
        "scipy": scipy.__version__,
        "horizons": HORIZONS,
        "all": curve(T, E),
        "all_90": curve(T, E, level=0.90),
        "groups": {str(g): curve(T[G == g], E[G == g]) for g in sorted(G.unique())},
    }
    mv = multivariate_logrank_test(T, G, E)
    out["log_rank"] = {"statistic": f(mv.test_statistic), "p_value": f(mv.p_value), "df": int(mv.degrees_of_freedom)}
    two = logrank_test(T[G == 1], T[G == 2], E[G == 1], E[G == 2])
    out["log_rank_1_vs_2"] = {"statistic": f(two.test_statistic), "p_value": f(two.p_value)}
    (HERE / "expected.json").write_text(json.dumps(out, indent=1) + "\n")


if __name__ == "__main__":
    main()
