"""Times the interval calls of the Python package on the CDNOW sample and the donations data
(issue 21): median of 5 runs (3 for the bootstraps), each call refitting its model as
`model.intervals` does. Run from the repository root with the installed package:
    target/python-venv/bin/python benches/python_intervals.py
"""
import statistics
import time
from pathlib import Path
import pandas as pd
import retentionkit as rk

DATA = Path("tests/data")
raw = pd.read_csv(DATA / "CDNOW_sample.txt", sep=r"\s+", header=None, names=["master", "id", "date", "cds", "amount"])
raw["date"] = pd.to_datetime(raw["date"].astype(str), format="%Y%m%d")
cal = raw[raw["date"] <= "1997-09-30"]
s = rk.summary(cal, customer_id="id", date="date", amount="amount", unit="weeks", observation_end="1997-09-30")
bg = rk.BetaGeo().fit(s)
gg = rk.GammaGamma().fit(s[s["frequency"] > 0])
don = pd.read_csv(DATA / "donations.csv").rename(columns={"periods": "n_periods"})
bb = rk.BetaGeoBetaBinom().fit(don, weights="weights")

def t(name, f, n=5):
    times = []
    for _ in range(n):
        a = time.perf_counter(); f(); times.append(time.perf_counter() - a)
    print(f"{name}: {statistics.median(times) * 1e3:.1f} ms")

t("clv delta, 2357 customers", lambda: bg.intervals(s, quantity="clv", spend=gg))
t("total_clv delta", lambda: bg.intervals(s, quantity="total_clv", spend=gg))
t("clv bootstrap 1000", lambda: bg.intervals(s, quantity="clv", spend=gg, method="bootstrap"), n=3)
t("prediction 1000 draws, 39 weeks", lambda: bg.intervals(s, quantity="total_purchases", t=39.0, prediction=True))
t("prediction + bootstrap 1000", lambda: bg.intervals(s, quantity="total_purchases", t=39.0, prediction=True, method="bootstrap"), n=3)
t("bg/bb expected_transactions delta (22 rows)", lambda: bb.intervals(don, quantity="expected_transactions", m_periods_in_future=5))
t("gamma-gamma mean_spend delta", lambda: gg.intervals(s, quantity="mean_spend"))
