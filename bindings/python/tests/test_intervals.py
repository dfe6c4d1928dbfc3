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
        bg.intervals(quantity="ltv")
    with pytest.raises(ValueError, match="spend="):
        bg.intervals(quantity="clv")
    with pytest.raises(ValueError, match="total_purchases"):
        bg.intervals(quantity="expected_purchases", prediction=True)
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


@pytest.fixture(scope="module")
def gg(weekly):
    repeat = weekly[weekly["frequency"] > 0]
    return rk.GammaGamma().fit(repeat)


def test_clv_intervals_are_centred_on_the_models_clv(bg, gg, weekly):
    rows = weekly.head(60)
    ci = bg.intervals(rows, quantity="clv", spend=gg)
    clv = bg.customer_lifetime_value(gg, rows)
    # The estimate is the core's CLV (the same function computes both: an identity, not a
    # number), one row per customer in the summary's order.
    np.testing.assert_allclose(ci["estimate"], clv, rtol=1e-12)
    assert list(ci.index) == list(rows.index)
    # Delta method on the log scale: lower * upper = estimate ** 2 (docs/metrics.md,
    # "Intervals on parameters and predictions").
    pos = ci["estimate"] > 0
    np.testing.assert_allclose((ci["lower"] * ci["upper"])[pos], (ci["estimate"] ** 2)[pos], rtol=1e-9)
    total = bg.intervals(rows, quantity="total_clv", spend=gg)
    assert list(total.index) == ["total"]
    assert total.loc["total", "estimate"] == pytest.approx(clv.sum(), rel=1e-12)
    # Twice the rows: twice the total and twice its standard error (the delta method is linear
    # in the gradient).
    doubled = bg.intervals(pd.concat([rows, rows]), quantity="total_clv", spend=gg)
    for c in ("estimate", "standard_error"):
        assert doubled.loc["total", c] == pytest.approx(2 * total.loc["total", c], rel=1e-7)
    # Other CLV settings reach the core: a shorter horizon is worth less.
    short = bg.intervals(rows, quantity="total_clv", spend=gg, periods=3)
    assert short.loc["total", "estimate"] < total.loc["total", "estimate"]


def test_weighted_rows_count_in_the_totals(bg, gg, weekly):
    # A grouped summary: each row with weight k stands for k customers, so its totals are those
    # of the table with each row repeated k times (here the first 30 rows twice, the next 30
    # once: the same as concatenating them), and the per-customer rows stay one per row.
    rows = weekly.head(60).copy()
    rows["n"] = [2.0] * 30 + [1.0] * 30
    expanded = pd.concat([rows, rows.head(30)])
    for quantity, extra in (("total_clv", {"spend": gg}), ("total_purchases", {"t": 13.0})):
        got = bg.intervals(rows, quantity=quantity, weights="n", **extra)
        want = bg.intervals(expanded, quantity=quantity, **extra)
        for c in ("estimate", "standard_error", "lower", "upper"):
            assert got.loc["total", c] == pytest.approx(want.loc["total", c], rel=1e-9), (quantity, c)
    p = bg.intervals(rows, quantity="total_purchases", t=13.0, weights="n", prediction=True, draws=300, seed=2)
    q = bg.intervals(expanded, quantity="total_purchases", t=13.0, prediction=True, draws=300, seed=2)
    assert p.loc["total", "estimate"] == pytest.approx(q.loc["total", "estimate"], rel=1e-9)
    per_row = bg.intervals(rows, quantity="clv", spend=gg, weights="n")
    assert len(per_row) == len(rows)
    with pytest.raises(ValueError, match="weights"):
        bg.intervals(quantity="total_purchases", t=13.0, weights="n")
    # A simulated total needs whole customers; no total takes a negative weight.
    rows.loc[rows.index[0], "n"] = 1.5
    with pytest.raises(rk.RetentionError, match="weights"):
        bg.intervals(rows, quantity="total_purchases", t=13.0, weights="n", prediction=True, draws=10)
    rows.loc[rows.index[0], "n"] = -1.0
    with pytest.raises(rk.RetentionError, match="weights"):
        bg.intervals(rows, quantity="total_clv", spend=gg, weights="n")


def test_clv_bootstrap_is_seeded(bg, gg, weekly):
    rows = weekly.head(20)
    a = bg.intervals(rows, quantity="clv", spend=gg, method="bootstrap", replicates=30, seed=3)
    b = bg.intervals(rows, quantity="clv", spend=gg, method="bootstrap", replicates=30, seed=3)
    pd.testing.assert_frame_equal(a, b)
    assert (a["lower"] <= a["upper"]).all()


def test_prediction_interval_of_the_total_purchases(bg, weekly):
    rows = weekly.head(200)
    p = bg.intervals(rows, quantity="total_purchases", t=39.0, prediction=True, draws=400, seed=4)
    expected = bg.predict(rows, 39.0)["expected_purchases"].sum()
    assert p.loc["total", "estimate"] == pytest.approx(expected, rel=1e-12)
    assert p.loc["total", "lower"] <= expected <= p.loc["total", "upper"]
    draws = p.attrs["draws"]
    assert len(draws) == 400 and (np.asarray(draws) == np.round(draws)).all()  # whole purchases
    # Wider than the delta-method interval on the expectation, which leaves the purchases' own
    # noise out.
    mean = bg.intervals(rows, quantity="total_purchases", t=39.0)
    assert p.loc["total", "upper"] - p.loc["total", "lower"] > mean.loc["total", "upper"] - mean.loc["total", "lower"]
    again = bg.intervals(rows, quantity="total_purchases", t=39.0, prediction=True, draws=400, seed=4)
    pd.testing.assert_frame_equal(p, again)
    boot = bg.intervals(rows, quantity="total_purchases", t=39.0, prediction=True, draws=200,
                        method="bootstrap", replicates=20, seed=4)
    assert boot.attrs["method"] == "bootstrap" and 0 <= boot.attrs["failed"] < 20


@pytest.fixture(scope="module")
def donations():
    """FHS (2010)'s donation data (tests/data/donations.csv, lifetimes' copy)."""
    import pathlib

    path = pathlib.Path(__file__).resolve().parents[3] / "tests" / "data" / "donations.csv"
    return pd.read_csv(path).rename(columns={"periods": "n_periods"})


def test_bg_bb_intervals_are_the_fits_errors_and_predictions(donations):
    m = rk.BetaGeoBetaBinom().fit(donations, weights="weights")
    ci = m.intervals()
    assert list(ci.index) == ["alpha", "beta", "gamma", "delta"]
    for name in ci.index:
        assert ci.loc[name, "standard_error"] == pytest.approx(m.standard_errors[name], rel=1e-9)
    each = m.intervals(donations, quantity="expected_transactions", m_periods_in_future=5)
    want = m.conditional_expected_number_of_purchases_up_to_time(
        5, donations["frequency"], donations["recency"], donations["n_periods"]
    )
    np.testing.assert_allclose(each["estimate"], want, rtol=1e-12)
    assert (each["lower"] < each["estimate"]).all() and (each["estimate"] < each["upper"]).all()
    total = m.intervals(donations, quantity="total_transactions", m_periods_in_future=5)
    assert total.loc["total", "estimate"] == pytest.approx(want.sum(), rel=1e-12)
    alive = m.intervals(donations, quantity="probability_alive")
    assert ((alive["lower"] >= 0) & (alive["upper"] <= 1)).all()
    with pytest.raises(rk.InvalidArgumentError, match="quantity"):
        m.intervals(quantity="clv")


def test_gamma_gamma_intervals_are_the_fits_errors_and_mean_spends(weekly, gg):
    ci = gg.intervals()
    for name in ("p", "q", "gamma"):
        assert ci.loc[name, "standard_error"] == pytest.approx(gg.standard_errors[name], rel=1e-9)
    rows = weekly[weekly["frequency"] > 0].head(40)
    each = gg.intervals(rows, quantity="mean_spend")
    want = gg.conditional_expected_average_profit(rows["frequency"], rows["monetary_value"])
    np.testing.assert_allclose(each["estimate"], want, rtol=1e-12)
    np.testing.assert_allclose(each["lower"] * each["upper"], each["estimate"] ** 2, rtol=1e-9)
    with pytest.raises(ValueError, match="call fit"):
        rk.GammaGamma(p=6.25, q=3.74, gamma=15.44).intervals()


def test_bg_bb_and_gamma_gamma_bootstraps_are_seeded(donations, gg, weekly):
    m = rk.BetaGeoBetaBinom().fit(donations, weights="weights")
    a = m.intervals(donations, quantity="total_transactions", m_periods_in_future=5, method="bootstrap",
                    replicates=50, seed=3)
    b = m.intervals(donations, quantity="total_transactions", m_periods_in_future=5, method="bootstrap",
                    replicates=50, seed=3)
    pd.testing.assert_frame_equal(a, b)
    assert a.attrs["method"] == "bootstrap" and 0 <= a.attrs["failed"] < 50
    assert a.loc["total", "lower"] < a.loc["total", "estimate"] < a.loc["total", "upper"]
    rows = weekly[weekly["frequency"] > 0].head(10)
    g = gg.intervals(rows, quantity="mean_spend", method="bootstrap", replicates=30, seed=1)
    assert (g["lower"] <= g["upper"]).all()
