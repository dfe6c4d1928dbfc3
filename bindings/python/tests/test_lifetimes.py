"""Cross-checks against lifetimes 0.11.3 (a test-only dependency) on the CDNOW sample.

Every expected value here is lifetimes' own output, computed in the test from the same
data or at the same parameters.
"""

import numpy as np
import pandas as pd
import pytest

import retentionkit as rk

lifetimes = pytest.importorskip("lifetimes")
from lifetimes import (  # noqa: E402
    BetaGeoBetaBinomFitter,
    BetaGeoFitter,
    GammaGammaFitter,
    ModifiedBetaGeoFitter,
    ParetoNBDFitter,
)
from lifetimes.utils import (  # noqa: E402
    calibration_and_holdout_data,
    summary_data_from_transaction_data,
)

REL = 1e-8


def close(ours, theirs, rel=REL):
    np.testing.assert_allclose(np.asarray(ours, float), np.asarray(theirs, float), rtol=rel, atol=0)


@pytest.mark.parametrize("unit,multiplier", [("days", 1), ("weeks", 7)])
def test_summary_equals_lifetimes_on_cdnow(cdnow, unit, multiplier):
    theirs = summary_data_from_transaction_data(
        cdnow, "id", "date", monetary_value_col="amount", freq="D", freq_multiplier=multiplier
    )
    ours = rk.summary(cdnow, customer_id="id", date="date", amount="amount", unit=unit)
    assert list(ours.columns) == ["frequency", "recency", "T", "monetary_value"]
    assert list(ours.index) == list(theirs.index)
    close(ours["frequency"], theirs["frequency"], 0)
    close(ours["recency"], theirs["recency"], 1e-15)
    close(ours["T"], theirs["T"], 1e-15)
    close(ours["monetary_value"], theirs["monetary_value"], 1e-12)


def test_summary_with_observation_end_equals_lifetimes(cdnow):
    theirs = summary_data_from_transaction_data(
        cdnow, "id", "date", monetary_value_col="amount", observation_period_end="1997-09-30", freq="D"
    )
    ours = rk.summary(cdnow, customer_id="id", date="date", amount="amount", observation_end="1997-09-30")
    assert list(ours.index) == list(theirs.index)
    for c in ["frequency", "recency", "T"]:
        close(ours[c], theirs[c], 0)
    close(ours["monetary_value"], theirs["monetary_value"], 1e-12)


def test_calibration_holdout_equals_lifetimes_on_cdnow(cdnow):
    theirs = calibration_and_holdout_data(
        cdnow,
        "id",
        "date",
        calibration_period_end="1997-09-30",
        observation_period_end="1998-06-30",
        freq="D",
        monetary_value_col="amount",
    )
    ours = rk.calibration_and_holdout(
        cdnow, "1997-09-30", "1998-06-30", customer_id="id", date="date", amount="amount"
    )
    assert sorted(ours.columns) == sorted(theirs.columns)
    assert list(ours.index) == list(theirs.index)
    for c in theirs.columns.drop("monetary_value_holdout"):
        close(ours[c], theirs[c], 1e-12)
    # monetary_value_holdout: lifetimes 0.11.3 averages the holdout *rows*, while its own
    # monetary_value (and retentionkit's both columns) averages spend per purchase *day*.
    # They agree for every customer without two holdout orders on one day ...
    holdout = cdnow[(cdnow["date"] > "1997-09-30") & (cdnow["date"] <= "1998-06-30")]
    per_day = holdout.groupby(["id", "date"])["amount"].sum()
    same_day = per_day.index.get_level_values("id")[per_day.index.get_level_values("id").duplicated()]
    rows_per_day = holdout.groupby(["id", "date"]).size()
    multi = set(rows_per_day[rows_per_day > 1].index.get_level_values("id"))
    plain = ~ours.index.isin(list(multi))
    close(ours["monetary_value_holdout"][plain], theirs["monetary_value_holdout"][plain], 1e-12)
    # ... and for the others retentionkit's value is the mean of the per-day sums (pandas).
    expected = per_day.groupby(level="id").mean().reindex(ours.index, fill_value=0.0)
    close(ours["monetary_value_holdout"], expected, 1e-12)
    assert len(multi & set(ours.index)) > 0 and same_day is not None
    # holdout_spend="per_order" is lifetimes' mean per holdout row, for every customer.
    per_order = rk.calibration_and_holdout(
        cdnow, "1997-09-30", "1998-06-30", customer_id="id", date="date", amount="amount",
        holdout_spend="per_order",
    )
    close(per_order["monetary_value_holdout"], theirs["monetary_value_holdout"], 1e-12)
    differ = (ours["monetary_value_holdout"] - theirs["monetary_value_holdout"]).abs() > 1e-9
    assert differ.sum() == len(multi & set(ours.index))


@pytest.fixture(scope="module")
def weekly(cdnow):
    """Hardie's weekly calibration summary (FHL 2005): 39 weeks to 1997-09-30."""
    return rk.summary(
        cdnow, customer_id="id", date="date", amount="amount", unit="weeks", observation_end="1997-09-30"
    )


REPEAT = [
    (rk.BetaGeo, BetaGeoFitter, {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}),
    (rk.ModifiedBetaGeo, ModifiedBetaGeoFitter, {"r": 0.525, "alpha": 6.183, "a": 0.891, "b": 1.614}),
    (rk.ParetoNBD, ParetoNBDFitter, {"r": 0.553, "alpha": 10.578, "s": 0.606, "beta": 11.669}),
]


@pytest.mark.parametrize("ours_cls,theirs_cls,params", REPEAT)
def test_repeat_predictions_equal_lifetimes(weekly, ours_cls, theirs_cls, params):
    ours = ours_cls(**params)
    theirs = theirs_cls()
    theirs.params_ = pd.Series(params)
    x, tx, T = weekly["frequency"], weekly["recency"], weekly["T"]
    close(ours.conditional_probability_alive(x, tx, T), theirs.conditional_probability_alive(x, tx, T))
    for t in [1.0, 13.0, 39.0]:
        close(
            ours.conditional_expected_number_of_purchases_up_to_time(t, x, tx, T),
            theirs.conditional_expected_number_of_purchases_up_to_time(t, x, tx, T),
        )
    ts = np.array([1.0, 10.0, 39.0, 78.0])
    close(ours.expected_number_of_purchases_up_to_time(ts), theirs.expected_number_of_purchases_up_to_time(ts))


@pytest.mark.parametrize("ours_cls,theirs_cls,params", REPEAT)
def test_repeat_fits_agree_with_lifetimes(weekly, ours_cls, theirs_cls, params):
    ours = ours_cls().fit(weekly)
    # lifetimes' ParetoNBDFitter starts from np.random.normal(1, 0.05) draws: seeded, so
    # this test gives the same result on every run.
    np.random.seed(20261123)
    theirs = theirs_cls().fit(weekly["frequency"], weekly["recency"], weekly["T"])
    assert ours.status == "converged"
    # Both maximise the same likelihood (lifetimes on rescaled time, so its own objective
    # value is not comparable): lifetimes' optimum is no better than ours under our
    # likelihood, and the two optima agree to lifetimes' optimiser tolerance. Over unseeded
    # runs lifetimes' Pareto/NBD beta on these data moved between 11.6566 and 11.6715
    # (1.3e-3 relative) while ours stayed at 11.66873, hence 5e-3.
    at_theirs = ours_cls(**{k: theirs.params_[k] for k in params})
    x, tx, T = weekly["frequency"], weekly["recency"], weekly["T"]
    assert ours.log_likelihood >= at_theirs.log_likelihood_of(x, tx, T) - 1e-9
    close(list(ours.params.values()), [theirs.params_[k] for k in ours.params], 5e-3)


def test_gamma_gamma_equals_lifetimes(weekly):
    params = {"p": 6.25, "q": 3.74, "gamma": 15.44}  # Fader & Hardie (2013) on CDNOW
    theirs = GammaGammaFitter()
    theirs.params_ = pd.Series({"p": params["p"], "q": params["q"], "v": params["gamma"]})
    repeat = weekly[weekly["frequency"] > 0]
    close(
        rk.GammaGamma(**params).conditional_expected_average_profit(repeat["frequency"], repeat["monetary_value"]),
        theirs.conditional_expected_average_profit(repeat["frequency"], repeat["monetary_value"]),
    )
    fitted = rk.GammaGamma().fit(weekly)
    lt = GammaGammaFitter().fit(repeat["frequency"], repeat["monetary_value"])
    close([fitted.params["p"], fitted.params["q"], fitted.params["gamma"]], lt.params_.to_numpy(), 1e-3)


def test_clv_equals_lifetimes(weekly):
    bg = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
    gg = {"p": 6.25, "q": 3.74, "gamma": 15.44}
    theirs_bg = BetaGeoFitter()
    theirs_bg.params_ = pd.Series(bg)
    theirs_bg.predict = theirs_bg.conditional_expected_number_of_purchases_up_to_time  # set by fit()
    theirs_gg = GammaGammaFitter()
    theirs_gg.params_ = pd.Series({"p": 6.25, "q": 3.74, "v": 15.44})
    head = weekly.head(200)
    theirs = theirs_gg.customer_lifetime_value(
        theirs_bg, head["frequency"], head["recency"], head["T"], head["monetary_value"],
        time=12, discount_rate=0.01, freq="W",
    )
    # lifetimes' month at freq="W" is 4.345 weeks.
    ours = rk.BetaGeo(**bg).customer_lifetime_value(
        rk.GammaGamma(**gg), head, periods=12, period_length=4.345, discount_rate=0.01
    )
    close(ours, theirs, 1e-8)
    # The default month follows the model's unit, as lifetimes' freq does:
    # a model in weeks needs no period_length to give freq="W"'s numbers.
    weekly_model = rk.BetaGeo(unit="weeks", **bg)
    close(weekly_model.customer_lifetime_value(rk.GammaGamma(**gg), head), theirs, 1e-8)
    # A model in days counts 30-day months (freq="D"): lifetimes on the same
    # customers with T, recency in days and the parameters rescaled (alpha in
    # days = 7 alpha in weeks) gives the same model, so the same numbers.
    days = head.assign(recency=head["recency"] * 7, T=head["T"] * 7)
    bg_days = dict(bg, alpha=bg["alpha"] * 7)
    theirs_days_bg = BetaGeoFitter()
    theirs_days_bg.params_ = pd.Series(bg_days)
    theirs_days_bg.predict = theirs_days_bg.conditional_expected_number_of_purchases_up_to_time
    theirs_days = theirs_gg.customer_lifetime_value(
        theirs_days_bg, days["frequency"], days["recency"], days["T"], days["monetary_value"],
        time=12, discount_rate=0.01, freq="D",
    )
    close(rk.BetaGeo(**bg_days).customer_lifetime_value(rk.GammaGamma(**gg), days), theirs_days, 1e-8)


def test_bgbb_equals_lifetimes_on_donations(donations):
    params = {"alpha": 1.204, "beta": 0.750, "gamma": 0.657, "delta": 2.783}  # FHS 2010
    theirs = BetaGeoBetaBinomFitter()
    theirs.params_ = pd.Series(params)
    ours = rk.BetaGeoBetaBinom(**params)
    x, tx, n = donations["frequency"], donations["recency"], donations["periods"]
    # lifetimes' m_periods_in_future=1 is the probability alive at the next opportunity.
    close(ours.conditional_probability_alive(x, tx, n), theirs.conditional_probability_alive(1, x, tx, n))
    for m in [1, 5, 10]:
        close(
            ours.conditional_expected_number_of_purchases_up_to_time(m, x, tx, n),
            theirs.conditional_expected_number_of_purchases_up_to_time(m, x, tx, n),
        )
    fitted = rk.BetaGeoBetaBinom().fit(donations, n_periods="periods", weights="weights")
    lt = BetaGeoBetaBinomFitter().fit(x, tx, n, weights=donations["weights"])
    close([fitted.params[k] for k in params], [lt.params_[k] for k in params], 1e-3)
