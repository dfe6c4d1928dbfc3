"""Cox proportional hazards and the Weibull AFT model against lifelines 0.30.3 on its rossi data.

Expected values: tests/data/survival/rossi_expected.json, made by rossi_lifelines.py beside it
(see tests/data/SOURCES.md); the same numbers tests/it/survival_cox.rs checks in Rust.
"""

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import retentionkit as rk

DATA = Path(__file__).resolve().parents[3] / "tests" / "data" / "survival"
ROSSI = pd.read_csv(DATA / "rossi.csv")
EXPECTED = json.loads((DATA / "rossi_expected.json").read_text())
REL = 1e-6


def test_cox_ph_summary_equals_lifelines():
    e = EXPECTED["efron"]
    fit = rk.cox_ph(ROSSI, "week", "arrest")
    s = fit.summary
    assert list(s.index) == e["covariates"]
    np.testing.assert_allclose(s["coef"], e["coef"], rtol=REL)
    np.testing.assert_allclose(s["se"], e["se"], rtol=REL)
    np.testing.assert_allclose(s["hazard_ratio_lower"], e["summary"]["exp_coef_lower_95"], rtol=REL)
    np.testing.assert_allclose(s["p_value"], e["summary"]["p"], rtol=REL)
    assert fit.log_likelihood == pytest.approx(e["log_likelihood"], rel=REL)
    assert fit.concordance == pytest.approx(e["concordance"], rel=REL)
    np.testing.assert_allclose(
        fit.proportional_hazards_test["statistic"], e["proportional_hazard_test"]["rank"]["statistic"], rtol=REL
    )
    base = fit.baseline_survival.iloc[:, 0]
    at = [float(base[base.index <= t].iloc[-1]) for t in EXPECTED["times"]]
    np.testing.assert_allclose(at, e["baseline_survival"], rtol=REL)
    assert fit.status == "converged"


def test_cox_ph_strata_weights_and_robust():
    strat = rk.cox_ph(ROSSI, "week", "arrest", strata_col="wexp")
    np.testing.assert_allclose(strat.summary["coef"], EXPECTED["strata_wexp"]["coef"], rtol=REL)
    assert list(strat.baseline_survival.columns) == [0, 1]
    w = ROSSI.assign(w=1.0 + (np.arange(len(ROSSI)) % 3) / 2.0)
    weighted = rk.cox_ph(w, "week", "arrest", weights_col="w")
    np.testing.assert_allclose(weighted.summary["coef"], EXPECTED["weighted"]["coef"], rtol=REL)
    distinct = ROSSI.assign(week=ROSSI["week"] + np.arange(len(ROSSI)) / 1000.0)
    robust = rk.cox_ph(distinct, "week", "arrest", robust=True)
    np.testing.assert_allclose(robust.summary["se"], EXPECTED["distinct"]["robust_se"], rtol=REL)


def test_weibull_aft_equals_lifelines():
    e = EXPECTED["weibull_aft"]
    fit = rk.weibull_aft(ROSSI, "week", "arrest")
    np.testing.assert_allclose(fit.summary["coef"].iloc[:7], e["lambda_coef"], rtol=REL)
    assert fit.summary.loc["log_rho", "coef"] == pytest.approx(e["rho_intercept"], rel=REL)
    assert fit.log_likelihood == pytest.approx(e["log_likelihood"], rel=REL)
    assert fit.concordance == pytest.approx(e["concordance"], rel=REL)
    # z from lifelines' own estimates and standard errors.
    np.testing.assert_allclose(fit.summary["z"].iloc[:7], np.array(e["lambda_coef"]) / e["lambda_se"], rtol=REL)
    assert fit.summary.loc["log_rho", "z"] == pytest.approx(e["rho_intercept"] / e["rho_intercept_se"], rel=REL)
    # 90 % intervals: coef ± 1.6448536269514722 se (Φ⁻¹(0.95) to 16 digits).
    ninety = rk.weibull_aft(ROSSI, "week", "arrest", confidence_level=0.9)
    half = ninety.summary["coef_upper"] - ninety.summary["coef"]
    np.testing.assert_allclose(half, 1.6448536269514722 * ninety.summary["se"], rtol=1e-12)
    with pytest.raises(rk.InvalidArgumentError):
        rk.weibull_aft(ROSSI, "week", "arrest", confidence_level=1.5)


def test_bad_input_raises_the_core_errors():
    with pytest.raises(rk.InvalidValueError):
        rk.cox_ph(ROSSI.assign(fin=np.where(np.arange(len(ROSSI)) == 3, np.nan, ROSSI["fin"])), "week", "arrest")
    with pytest.raises(rk.InvalidArgumentError):
        rk.cox_ph(ROSSI, "week", "arrest", ties="exact")
    with pytest.raises(rk.InvalidArgumentError):
        rk.cox_ph(ROSSI.assign(arrest=0), "week", "arrest")
