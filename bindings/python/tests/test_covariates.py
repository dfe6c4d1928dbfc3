"""Repeat models with time-invariant covariates: fit, effects, per-customer predictions, errors."""

import numpy as np
import pandas as pd
import pytest

import retentionkit as rk


@pytest.fixture(scope="module")
def weekly(cdnow):
    s = rk.summary(
        cdnow, customer_id="id", date="date", amount="amount", unit="weeks", observation_end="1997-09-30"
    )
    s = s.copy()
    n = len(s)
    # A deterministic numeric covariate and a three-level categorical one (no meaning: the
    # checks below compare the front-end with the core's per-model formulas, not the effects).
    s["score"] = np.sin(np.arange(n) * 0.37)
    s["channel"] = np.array(["web", "store", "phone"])[np.arange(n) % 3]
    return s


@pytest.mark.parametrize("cls", [rk.ParetoNBD, rk.BetaGeo])
def test_predictions_are_the_models_own_at_each_customers_parameters(weekly, cls):
    m = cls().fit(weekly, purchase=["score", "channel"], dropout=["channel"], l2=0.0)
    assert m.status == "converged"
    e = m.effects
    assert list(e.index) == [
        ("purchase", "score"),
        ("purchase", "channel=store"),
        ("purchase", "channel=web"),
        ("dropout", "channel=store"),
        ("dropout", "channel=web"),
    ]  # "phone" is first in sorted order: the reference level
    assert list(e.columns) == ["coef", "se(coef)", "z", "lower 95% bound", "upper 95% bound", "shared"]
    assert (e["se(coef)"] > 0).all()
    assert np.allclose(e["z"], e["coef"] / e["se(coef)"])
    assert m.n_parameters == 9 and m.aic == 2 * 9 - 2 * m.log_likelihood

    rows = weekly.iloc[:50]
    own = m.customer_params(rows)
    assert list(own.columns) == list(m.params)
    x, tx, t = rows["frequency"], rows["recency"], rows["T"]
    alive = m.conditional_probability_alive(x, tx, t, covariates=rows)
    expected = m.conditional_expected_number_of_purchases_up_to_time(39.0, x, tx, t, covariates=rows)
    new = m.expected_number_of_purchases_up_to_time(39.0, covariates=rows)
    table = m.predict(rows, 39.0)
    for i in range(len(rows)):
        one = cls(unit="weeks", **own.iloc[i].to_dict())
        args = ([x.iloc[i]], [tx.iloc[i]], [t.iloc[i]])
        assert alive[i] == one.conditional_probability_alive(*args)[0]
        assert expected[i] == one.conditional_expected_number_of_purchases_up_to_time(39.0, *args)[0]
        assert new[i] == one.expected_number_of_purchases_up_to_time(39.0)[0]
    assert np.array_equal(table["probability_alive"].to_numpy(), alive)
    # α_i = α₀ e^{−γ z}: a "phone" customer with score 0 has the population parameters.
    pop = m.customer_params(pd.DataFrame({"score": [0.0], "channel": ["phone"]}))
    assert pop.iloc[0].to_dict() == m.params


def test_equal_l2_and_reference(weekly):
    m = rk.ParetoNBD().fit(
        weekly, purchase=["score"], dropout=["score"], equal=["score"], reference={"channel": "web"}
    )
    e = m.effects
    assert e.loc[("purchase", "score"), "coef"] == e.loc[("dropout", "score"), "coef"]
    assert e["shared"].all() and m.n_parameters == 5
    # A huge penalty: the effects are ~0 (|γ| <= |d(LL/n)/dγ| / (2 λ) at γ = 0).
    m = rk.ParetoNBD().fit(weekly, purchase=["score"], dropout=["channel"], l2=(1e8, 1e8))
    assert (m.effects["coef"].abs() < 1e-6).all()
    m = rk.BetaGeo().fit(weekly, dropout=["channel"], reference={"channel": "web"})
    assert list(m.effects.index.get_level_values(1)) == ["channel=phone", "channel=store"]


def test_covariate_errors(weekly):
    with pytest.raises(rk.MissingColumnError, match="column `nope`"):
        rk.ParetoNBD().fit(weekly, purchase=["nope"])
    bad = weekly.copy()
    bad["score"] = bad["score"].where(bad.index != bad.index[3])
    with pytest.raises(rk.InvalidValueError, match="row 3"):
        rk.ParetoNBD().fit(bad, purchase=["score"])
    bad["channel"] = bad["channel"].where(bad.index != bad.index[5])
    with pytest.raises(rk.InvalidValueError, match="row 5"):
        rk.ParetoNBD().fit(bad, purchase=["channel"])
    flat = weekly.assign(flat=1.0)
    with pytest.raises(rk.InvalidArgumentError, match="`flat` is constant"):
        rk.BetaGeo().fit(flat, dropout=["flat"])
    with pytest.raises(rk.InvalidArgumentError, match="argument `equal`"):
        rk.BetaGeo().fit(weekly, purchase=["score"], equal=["score"])
    with pytest.raises(rk.InvalidArgumentError, match="not mbg_nbd|pareto_nbd and bg_nbd"):
        rk.ModifiedBetaGeo().fit(weekly, purchase=["score"])
    with pytest.raises(rk.LengthMismatchError):
        rk.ParetoNBD().fit(weekly, purchase=["score"], covariates=weekly.iloc[:10])
    m = rk.ParetoNBD().fit(weekly, purchase=["channel"])
    rows = weekly.iloc[:3]
    with pytest.raises(rk.InvalidArgumentError, match="give the customers' covariates"):
        m.conditional_probability_alive(rows["frequency"], rows["recency"], rows["T"])
    with pytest.raises(rk.InvalidArgumentError, match="level `mail`"):
        m.customer_params(pd.DataFrame({"channel": ["mail"]}))
    with pytest.raises(rk.InvalidArgumentError, match="fitted with covariates"):
        m.dert(rows, 0.01)
    with pytest.raises(rk.InvalidArgumentError, match="not fitted with covariates"):
        rk.ParetoNBD().fit(weekly).customer_params(rows)
