"""Intervals on the repeat models from Python (issue 21, item 2): the core's delta method and
customer bootstrap through ``model.intervals``.

The checks are identities the core guarantees, not numbers copied from its output: the delta
method's parameter standard errors are the fit's (both are the inverse observed information);
each interval's estimate is the model's own prediction at the fitted parameters; the total is
the sum of the per-customer expectations; the bootstrap is a function of its seed.
"""

import numpy as np
import pandas as pd
import pytest

import retentionkit as rk


@pytest.fixture(scope="module")
def weekly(cdnow):
    """The CDNOW calibration summary in weeks (39 weeks to 1997-09-30), as FHL (2005) fit it."""
    cal = cdnow[cdnow["date"] <= "1997-09-30"]
    return rk.summary(cal, customer_id="id", date="date", amount="amount", unit="weeks",
                      observation_end="1997-09-30")


@pytest.fixture(scope="module")
def bg(weekly):
    return rk.BetaGeo().fit(weekly)


def test_delta_parameter_errors_are_the_fits(bg):
    ci = bg.intervals()
    assert list(ci.index) == ["r", "alpha", "a", "b"]
    for name in ci.index:
        assert ci.loc[name, "standard_error"] == pytest.approx(bg.standard_errors[name], rel=1e-12)
        assert ci.loc[name, "estimate"] == pytest.approx(bg.params[name], rel=1e-9)
    assert (ci["lower"] < ci["estimate"]).all() and (ci["estimate"] < ci["upper"]).all()
    assert ci.attrs["level"] == 0.9 and ci.attrs["failed"] == 0


def test_prediction_intervals_are_centred_on_the_predictions(bg, weekly):
    rows = weekly.head(50)
    ci = bg.intervals(rows, quantity="expected_purchases", t=39.0)
    pred = bg.predict(rows, 39.0)
    np.testing.assert_allclose(ci["estimate"], pred["expected_purchases"], rtol=1e-12)
    assert list(ci.index) == list(rows.index)
    assert (ci["lower"] <= ci["estimate"]).all() and (ci["estimate"] <= ci["upper"]).all()
    alive = bg.intervals(rows, quantity="probability_alive")
    assert ((alive["lower"] >= 0) & (alive["upper"] <= 1)).all()
    total = bg.intervals(rows, quantity="total_purchases", t=39.0)
    assert list(total.index) == ["total"]
    assert total.loc["total", "estimate"] == pytest.approx(pred["expected_purchases"].sum(), rel=1e-12)


def test_the_bootstrap_is_a_function_of_its_seed(bg):
    a = bg.intervals(method="bootstrap", replicates=40, seed=7)
    b = bg.intervals(method="bootstrap", replicates=40, seed=7)
    c = bg.intervals(method="bootstrap", replicates=40, seed=8)
    pd.testing.assert_frame_equal(a, b)
    assert not a.equals(c)
    assert a.attrs["method"] == "bootstrap" and 0 <= a.attrs["failed"] < 40


def test_bad_requests_are_errors(bg):
    typed = rk.BetaGeo(r=0.243, alpha=4.414, a=0.793, b=2.426)
    with pytest.raises(ValueError, match="call fit"):
        typed.intervals()
    with pytest.raises(rk.InvalidArgumentError, match="quantity"):
        bg.intervals(quantity="clv")
    with pytest.raises(rk.InvalidArgumentError, match="level"):
        bg.intervals(level=1.5)
    # Six customers: the fit runs off to the boundary, and has no covariance to offer.
    tiny = rk.BetaGeo().fit({"frequency": [2, 0, 1, 4, 0, 1], "recency": [30.0, 0.0, 12.0, 35.0, 0.0, 5.0],
                             "T": [38.0, 20.0, 30.0, 39.0, 10.0, 25.0]})
    assert tiny.status != "converged"
    with pytest.raises(rk.InvalidArgumentError, match="not converged"):
        tiny.intervals()


def test_the_total_of_weighted_rows_counts_each_row_by_its_weight(weekly, bg):
    # The same customers as lifetimes-style weighted rows (one row per distinct
    # (frequency, recency, T), its count as the weight): the fit is the same, and the total
    # over the fit's own rows must count each row as many customers as its weight says.
    s = pd.DataFrame({"frequency": weekly["frequency"], "recency": weekly["recency"], "T": weekly["T"]})
    grouped = s.groupby(["frequency", "recency", "T"]).size().rename("n").reset_index()
    assert len(grouped) < len(s)
    weighted = rk.BetaGeo().fit(grouped, weights="n")
    total = weighted.intervals(quantity="total_purchases", t=39.0)
    each = bg.intervals(quantity="total_purchases", t=39.0)
    assert total.loc["total", "estimate"] == pytest.approx(each.loc["total", "estimate"], rel=1e-9)
    assert total.loc["total", "upper"] == pytest.approx(each.loc["total", "upper"], rel=1e-6)
    # Per-row values stay one per row of the fit's data, in its order.
    rows = weighted.intervals(quantity="probability_alive")
    assert len(rows) == len(grouped)
