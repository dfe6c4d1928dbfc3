"""Choosing a model (retentionkit.choice, the core's models::choice) and the fits' criteria."""

import math
from pathlib import Path
import warnings

import numpy as np
import pandas as pd
import pytest

import retentionkit as rk


@pytest.fixture(scope="module")
def split(cdnow):
    # FHL 2005's split: calibration to 1997-09-30, a 39-week holdout to 1998-06-30.
    return rk.calibration_and_holdout(cdnow, "1997-09-30", "1998-06-30", customer_id="id", date="date",
                                      amount="amount", unit="weeks")


def test_fits_carry_k_n_aic_and_bic(split):
    m = rk.BetaGeo().fit(split)
    # FHL 2005: LL = -9582.4 on 2,357 customers, k = 4. By hand: AIC = 8 + 19164.8 = 19172.8,
    # BIC = 4 ln 2357 + 19164.8 = 19195.86 (LL rounded to 0.1, so within 0.1).
    assert (m.n_parameters, m.n_observations) == (4, 2357.0)
    assert abs(m.aic - 19172.8) <= 0.1 + 1e-9
    assert abs(m.bic - 19195.86) <= 0.1 + 1e-9
    assert m.aic == pytest.approx(8 - 2 * m.log_likelihood, rel=1e-15)
    # Typed-in parameters have no fit.
    assert rk.BetaGeo(r=0.243, alpha=4.414, a=0.793, b=2.426).aic is None
    # sBG: k = 2 on the 1,000 customers of Fader & Hardie (2007)'s "Regular" cohort.
    s = rk.ShiftedBetaGeometric().fit([1000, 631, 468, 382, 326, 289, 262, 241])
    assert (s.n_parameters, s.n_observations) == (2, 1000.0)


def test_scorecard_on_cdnow(split):
    card = rk.scorecard(split)
    assert list(card.index) == ["bg_nbd", "mbg_nbd", "pareto_nbd"]
    assert (card["n_observations"] == 2357.0).all() and (card["n_parameters"] == 4).all()
    # Published LLs (FHL 2005): BG/NBD -9582.4, Pareto/NBD -9595.0, to their rounding.
    assert abs(card.loc["bg_nbd", "log_likelihood"] + 9582.4) <= 0.05 + 1e-9
    assert abs(card.loc["pareto_nbd", "log_likelihood"] + 9595.0) <= 0.05 + 1e-9
    # The rule: lowest BIC among converged fits.
    assert card.attrs["best"] == card["bic"].idxmin()
    assert card["best"].sum() == 1 and card.attrs["rule"].startswith("lowest BIC")
    # The holdout errors are the model's own evaluate() (the core's HoldoutCheck), not recomputed.
    ev = rk.BetaGeo().fit(split).evaluate(split)
    assert card.loc["bg_nbd", "mae"] == pytest.approx(ev.mae, rel=1e-9)
    assert card.loc["bg_nbd", "bias"] == pytest.approx(ev.bias, rel=1e-9)
    by = card.attrs["by_frequency"]["bg_nbd"]
    assert by["frequency"] == list(ev.by_frequency.index)
    assert card.loc["pareto_nbd", "params"]["s"] > 0
    # One model only, and bad names.
    assert list(rk.scorecard(split, ["pareto_nbd"]).index) == ["pareto_nbd"]
    with pytest.raises(rk.InvalidArgumentError):
        rk.scorecard(split, ["bg_nbd", "bg_nbd"])
    with pytest.raises(rk.InvalidArgumentError):
        rk.scorecard(split, ["nbd"])


def test_likelihood_ratio_test(split):
    full = rk.BetaGeo().fit(split)
    # Typed-in FHL parameters as the restricted model (k = 0, d = 4).
    ll0 = rk.BetaGeo(r=0.243, alpha=4.414, a=0.793, b=2.426).log_likelihood_of(
        split["frequency_cal"], split["recency_cal"], split["T_cal"])
    t = rk.likelihood_ratio_test(full, (ll0, 0))
    assert t["degrees_of_freedom"] == 4
    assert t["statistic"] == pytest.approx(2 * (full.log_likelihood - ll0), rel=1e-12)
    # d = 4 closed form: P(chi2_4 >= x) = exp(-x/2) (1 + x/2).
    x = t["statistic"]
    assert t["p_value"] == pytest.approx(math.exp(-x / 2) * (1 + x / 2), rel=1e-9)
    # Fits of different data are refused.
    s = rk.ShiftedBetaGeometric().fit([1000, 631, 468])
    with pytest.raises(rk.InvalidArgumentError):
        rk.likelihood_ratio_test(full, s)


def test_gamma_gamma_reports_the_spend_correlation(split):
    with warnings.catch_warnings():
        warnings.simplefilter("error", rk.FitWarning)
        g = rk.GammaGamma().fit(split)
    # FHL 2005 "RFM and CLV": 0.11; Hardie's x and zbar give 0.1138839 (statistics.correlation).
    assert g.spend_correlation == pytest.approx(0.1138839, abs=1e-4)
    assert (g.n_parameters, g.n_observations) == (3, 946.0)
    # Spend that rises with frequency: r = 1 (by hand), above the 0.3 threshold.
    table = {"frequency": np.array([1, 2, 3, 4]), "monetary_value": np.array([10.0, 20.0, 30.0, 40.0])}
    with pytest.warns(rk.FitWarning, match="correlation between repeat transactions and mean spend is 1.00"):
        g = rk.GammaGamma().fit(table)
    assert g.spend_correlation == pytest.approx(1.0)


def test_nbd_matches_scipy_and_tests_drop_out():
    # Hardie's CDNOW summary; scipy's NBD maximum r = 0.38476767392649985,
    # alpha = 12.07208498172625, LL = -9763.660222232771 (tests/data/models/scipy_nbd.txt).
    data = Path(__file__).resolve().parents[3] / "tests" / "data"
    s = pd.read_csv(data / "cdnow_customers_summary.csv")
    nbd = rk.NBD().fit(s)
    assert nbd.status == "converged"
    assert nbd.params["r"] == pytest.approx(0.38476767392649985, rel=1e-6)
    assert nbd.params["alpha"] == pytest.approx(12.07208498172625, rel=1e-6)
    assert nbd.log_likelihood == pytest.approx(-9763.660222232771, rel=1e-9)
    assert (nbd.n_parameters, nbd.n_observations) == (2, 2357.0)
    # By hand: (r + x) t / (alpha + T) and r t / alpha.
    r, a = nbd.params["r"], nbd.params["alpha"]
    e = nbd.conditional_expected_number_of_purchases_up_to_time(39.0, [2], [30.0], [38.0])
    assert e[0] == pytest.approx((r + 2) * 39.0 / (a + 38.0), rel=1e-14)
    assert nbd.expected_number_of_purchases_up_to_time(10.0) == pytest.approx(r * 10.0 / a, rel=1e-14)
    # Against the Pareto/NBD (LL -9594.974, lifetimes_pareto_nbd.txt): 2 x 168.69 on the boundary.
    pareto = rk.ParetoNBD().fit(s)
    t = rk.likelihood_ratio_test(pareto, nbd, boundary=True)
    assert t["statistic"] == pytest.approx(2 * (-9594.974010 + 9763.660222232771), abs=1e-3)
    assert t["degrees_of_freedom"] == 2 and t["p_value"] < 1e-60
    with pytest.raises(rk.InvalidArgumentError):
        rk.NBD(r=1.0, alpha=-1.0)
