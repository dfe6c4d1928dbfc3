"""Kaplan–Meier and log-rank against lifelines 0.30.0's numbers for the survival fixture.

Expected values: tests/data/survival/expected.json, made by make_expected.py beside it
(lifelines' KaplanMeierFitter and logrank tests on tests/data/survival/fixture.csv).
"""

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import retentionkit as rk

DATA = Path(__file__).resolve().parents[3] / "tests" / "data"

FIXTURE = pd.read_csv(DATA / "survival" / "fixture.csv")
EXPECTED = json.loads((DATA / "survival" / "expected.json").read_text())


def test_kaplan_meier_equals_lifelines():
    e = EXPECTED["all"]
    km = rk.kaplan_meier(FIXTURE["duration"], FIXTURE["observed"], horizon=EXPECTED["horizons"][0])
    t = km.table
    np.testing.assert_array_equal(t.index.to_numpy(), e["times"])
    for c in ("at_risk", "events", "censored"):
        np.testing.assert_array_equal(t[c].to_numpy(), e[c])
    for c in ("survival", "lower", "upper"):
        np.testing.assert_allclose(t[c].to_numpy(), e[c], rtol=1e-9)
    assert km.median == e["median"]
    assert km.restricted_mean == pytest.approx(e["restricted_mean"][0][1], rel=1e-9)
    assert "KaplanMeier(times=26" in repr(km)


def test_kaplan_meier_90_percent_band():
    e = EXPECTED["all_90"]
    km = rk.kaplan_meier(FIXTURE["duration"], FIXTURE["observed"], confidence_level=0.9)
    np.testing.assert_allclose(km.table["lower"].to_numpy(), e["lower"], rtol=1e-9)


def test_log_rank_equals_lifelines():
    e = EXPECTED["log_rank"]
    r = rk.log_rank(FIXTURE["duration"], FIXTURE["observed"], FIXTURE["group"])
    assert r.df == e["df"]
    assert r.statistic == pytest.approx(e["statistic"], rel=1e-9)
    assert r.p_value == pytest.approx(e["p_value"], rel=1e-9)
    # Group labels as strings give the same test.
    s = rk.log_rank(FIXTURE["duration"], FIXTURE["observed"], FIXTURE["group"].map({1: "a", 2: "b", 3: "c"}))
    assert s.statistic == r.statistic


def test_survival_errors():
    with pytest.raises(rk.InvalidValueError, match=r"column `observed`, row 1"):
        rk.kaplan_meier([1, 2], [1, 2])
    with pytest.raises(rk.RetentionError):
        rk.kaplan_meier([1.0, -2.0], [True, True])
    with pytest.raises(rk.InvalidArgumentError):
        rk.kaplan_meier([1.0], [True], confidence_level=1.0)
