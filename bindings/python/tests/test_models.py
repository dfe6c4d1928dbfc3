"""Model classes: construction, fit results, summary(), repr, predictions on arrays, errors."""

import numpy as np
import pandas as pd
import pytest

import retentionkit as rk


@pytest.fixture(scope="module")
def weekly(cdnow):
    return rk.summary(
        cdnow, customer_id="id", date="date", amount="amount", unit="weeks", observation_end="1997-09-30"
    )


def test_bg_nbd_reproduces_fader_hardie_lee_2005(weekly):
    m = rk.BgNbd().fit(weekly)
    # FHL 2005, section 5: r = 0.243, alpha = 4.414, a = 0.793, b = 2.426, LL = -9582.4.
    for k, v in {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}.items():
        assert abs(m.params[k] - v) < 5e-4
    assert round(m.log_likelihood, 1) == -9582.4
    assert m.status == "converged" and m.iterations > 0
    s = m.summary()
    assert list(s.columns) == ["coef", "se(coef)", "lower 95% bound", "upper 95% bound"]
    assert list(s.index) == ["r", "alpha", "a", "b"]
    assert (s["se(coef)"] > 0).all()
    assert repr(m).startswith("<BetaGeo: r=0.24") and repr(m).endswith("converged>")
    # The summary records its unit, and the fit takes it.
    assert weekly.attrs["unit"] == "weeks" and m.unit == "weeks"
    assert rk.BgNbd().fit(weekly, unit="days").unit == "days"
    assert rk.BgNbd().fit({"frequency": [1, 0], "recency": [1.0, 0.0], "T": [3.0, 2.0]}).unit == "days"
    with pytest.raises(rk.InvalidArgumentError, match=r'argument `unit`: "fortnights" is not one of days, weeks'):
        rk.BgNbd(unit="fortnights")


def test_sbg_reproduces_fader_hardie_2007():
    # Fader & Hardie (2007), "How to project customer retention", "regular" segment:
    # survivors 1000, 631, 468, 382, 326, 289, 262, 241; alpha = 0.704, beta = 1.182.
    m = rk.Sbg().fit([1000, 631, 468, 382, 326, 289, 262, 241])
    assert abs(m.params["alpha"] - 0.704) < 5e-4
    assert abs(m.params["beta"] - 1.182) < 5e-4
    c = m.curves(3)
    # S(1) = beta / (alpha + beta) by the sBG formula.
    assert abs(c.loc[1, "survival"] - m.params["beta"] / (m.params["alpha"] + m.params["beta"])) < 1e-12
    assert np.isnan(c.loc[0, "retention_rate"])


def test_given_parameters_and_predictions_on_arrays():
    m = rk.BetaGeo(r=0.243, alpha=4.414, a=0.793, b=2.426)
    assert m.status == "given" and m.log_likelihood is None and m.standard_errors is None
    p = m.conditional_probability_alive([0, 2], [0.0, 30.43], [38.86, 38.86])
    assert p[0] == 1.0  # BG/NBD: a customer with no repeat purchase is alive for sure
    assert 0 < p[1] < 1
    assert m.expected_number_of_purchases_up_to_time(0.0)[0] == 0.0


def test_predict_at_risk_and_tracking(cdnow, weekly):
    m = rk.BetaGeo(r=0.243, alpha=4.414, a=0.793, b=2.426)
    pred = m.predict(weekly, 39.0)
    assert list(pred.columns) == ["probability_alive", "expected_purchases"]
    assert pred.index.equals(weekly.index)
    risk = m.at_risk(cdnow, 13.0, customer_id="id", date="date", amount="amount", unit="weeks",
                     observation_end="1997-09-30")
    # The core's at-risk list: repeat customers with 0.01 <= P(alive) < 0.5,
    # the largest value at stake first; checked here against the summary by hand.
    s = rk.summary(cdnow, customer_id="id", date="date", amount="amount", unit="weeks",
                   observation_end="1997-09-30")
    alive = m.conditional_probability_alive(s["frequency"], s["recency"], s["T"])
    expected = m.conditional_expected_number_of_purchases_up_to_time(13.0, s["frequency"], s["recency"], s["T"])
    eligible = (s["frequency"] >= 1) & (alive >= 0.01) & (alive < 0.5)
    assert sorted(risk.index) == sorted(s.index[eligible])
    assert risk["value_at_stake"].is_monotonic_decreasing
    want = (expected * s["monetary_value"])[risk.index]
    np.testing.assert_allclose(risk["value_at_stake"], want, rtol=1e-12)
    one = risk.index[0]
    assert risk.loc[one, "overdue"] == pytest.approx(
        (s.loc[one, "T"] - s.loc[one, "recency"]) / (s.loc[one, "recency"] / s.loc[one, "frequency"]), rel=1e-12)
    assert list(risk.columns) == ["frequency", "last_order", "probability_alive", "expected_purchases",
                                  "overdue", "value_at_stake"]
    top = m.at_risk(cdnow, 13.0, customer_id="id", date="date", amount="amount", unit="weeks",
                    observation_end="1997-09-30", limit=5)
    assert top.index.tolist() == risk.index[:5].tolist()
    t = m.tracking(cdnow, ["1997-04-01", "1997-10-01"], customer_id="id", date="date", unit="weeks")
    assert list(t.columns) == ["expected", "actual"]
    assert t["actual"].iloc[0] <= t["actual"].iloc[1]


def test_model_errors():
    with pytest.raises(rk.InvalidArgumentError, match="alpha"):
        rk.BetaGeo(r=1.0, alpha=-1.0, a=1.0, b=1.0)
    with pytest.raises(rk.InvalidArgumentError, match="missing"):
        rk.BetaGeo(r=1.0)
    with pytest.raises(rk.InvalidArgumentError, match="no parameters"):
        rk.BetaGeo().conditional_probability_alive([1], [1.0], [2.0])
    m = rk.BetaGeo(r=0.243, alpha=4.414, a=0.793, b=2.426)
    with pytest.raises(rk.InvalidValueError, match="row 1"):
        m.conditional_probability_alive([1, 1], [1.0, 5.0], [2.0, 3.0])  # recency above T
    with pytest.raises(rk.InvalidValueError, match=r"column `frequency`, row 0"):
        m.conditional_probability_alive([-1], [1.0], [2.0])
    with pytest.raises(rk.MissingColumnError, match="frequency"):
        rk.BetaGeo().fit(pd.DataFrame({"x": [1]}))
    with pytest.raises(rk.InvalidArgumentError, match="survivors"):
        rk.Sbg().fit([1000, 1200, 500])


def test_pareto_and_mbg_fit_on_cdnow(weekly):
    # Pareto/NBD on CDNOW (FHL 2005 report r = 0.55, alpha = 10.58, s = 0.61, beta = 11.67).
    p = rk.ParetoNbd().fit(weekly)
    assert abs(p.params["r"] - 0.55) < 0.01 and abs(p.params["beta"] - 11.67) < 0.05
    mbg = rk.MbgNbd().fit(weekly)
    assert mbg.status == "converged"


def test_a_fit_that_runs_off_to_the_boundary_says_so_and_warns():
    # Issue 19: the four customers of the core's fit_bg_nbd example, (x, t_x, T) in weeks; the
    # likelihood keeps rising towards a -> 0 (no drop-out), so the status is the core's
    # "at_boundary" (docs/metrics.md, "Fit status") and the fit warns.
    data = {"frequency": [0, 1, 3, 5], "recency": [0.0, 10.0, 20.0, 30.0], "T": [30.0, 30.0, 30.0, 31.0]}
    with pytest.warns(rk.FitWarning, match="ran off to the boundary"):
        m = rk.BgNbd().fit(data)
    assert m.status == "at_boundary"
    assert m.params["a"] < 1e-4
