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


@pytest.mark.parametrize("cls", [rk.ParetoNBD, rk.BetaGeo, rk.ModifiedBetaGeo])
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
    with pytest.raises(rk.InvalidArgumentError, match="is not one of bg_nbd, mbg_nbd, pareto_nbd"):
        rk._retentionkit.fit_repeat_covariates(
            "bg_bb", np.array([1], dtype=np.uint32), np.array([1.0]), np.array([2.0]), None,
            [("score", np.array([0.5]))], [], ["score"], [], [],
        )
    with pytest.raises(rk.LengthMismatchError):
        rk.ParetoNBD().fit(weekly, purchase=["score"], covariates=weekly.iloc[:10])
    m = rk.ParetoNBD().fit(weekly, purchase=["channel"])
    rows = weekly.iloc[:3]
    with pytest.raises(rk.InvalidArgumentError, match="give the customers' covariates"):
        m.conditional_probability_alive(rows["frequency"], rows["recency"], rows["T"])
    with pytest.raises(rk.InvalidArgumentError, match="level `mail`"):
        m.customer_params(pd.DataFrame({"channel": ["mail"]}))
    with pytest.raises(rk.InvalidArgumentError, match="fitted with covariates"):
        m.simulate([39.0])
    with pytest.raises(rk.InvalidArgumentError, match="argument `method`"):
        m.intervals(rows, quantity="expected_purchases", t=10.0, method="bootstrap")
    with pytest.raises(rk.InvalidArgumentError, match="argument `quantity`"):
        m.intervals(rows, quantity="parameters")
    with pytest.raises(rk.LengthMismatchError):
        m.dert(rows, 0.01, covariates=weekly.iloc[:2])
    with pytest.raises(rk.InvalidArgumentError, match="not fitted with covariates"):
        rk.ParetoNBD().fit(weekly).customer_params(rows)


@pytest.mark.parametrize("cls", [rk.ParetoNBD, rk.BetaGeo, rk.ModifiedBetaGeo])
def test_every_prediction_with_covariates_is_the_plain_models_at_the_customers_own(weekly, cls):
    # The plain model typed in at each customer's own parameters (customer_params) is the
    # reference: the same core formulas, so equal to rounding (1e-12 relative).
    m = cls().fit(weekly, purchase=["score", "channel"], dropout=["channel"])
    rows = weekly.iloc[:30]
    own = m.customer_params(rows)
    x, tx, t = rows["frequency"], rows["recency"], rows["T"]
    gg = rk.GammaGamma(p=6.25, q=3.74, gamma=15.44)  # FHL (2005)'s CDNOW spend estimates
    alive_at = m.conditional_probability_alive(x, tx, t, t=10.0, covariates=rows)
    pmf = m.conditional_probability_of_n_purchases_up_to_time(2, 39.0, x, tx, t, covariates=rows)
    pmf_new = m.probability_of_n_purchases_up_to_time(39.0, 2, covariates=rows)
    dist = m.purchase_distribution(rows, 39.0, max_n=3)
    dert = m.dert(rows, 0.01)
    clv = m.customer_lifetime_value(gg, rows)
    for i in range(len(rows)):
        one = cls(unit="weeks", **own.iloc[i].to_dict())
        args = ([x.iloc[i]], [tx.iloc[i]], [t.iloc[i]])
        single = rows.iloc[[i]]
        for got, want in [
            (alive_at[i], one.conditional_probability_alive(*args, t=10.0)[0]),
            (pmf[i], one.conditional_probability_of_n_purchases_up_to_time(2, 39.0, *args)[0]),
            (pmf_new[i], one.probability_of_n_purchases_up_to_time(39.0, 2)),
            (dert.iloc[i], one.dert(single, 0.01).iloc[0]),
            (clv.iloc[i], one.customer_lifetime_value(gg, single).iloc[0]),
        ]:
            assert got == pytest.approx(want, rel=1e-12, abs=1e-300)
        assert np.allclose(dist.iloc[i].to_numpy(), one.purchase_distribution(single, 39.0, max_n=3).iloc[0],
                           rtol=1e-12, atol=0)
    assert np.allclose(dist[2].to_numpy(), pmf, rtol=1e-12, atol=0)
    # The pmf of a customer sums to 1 (n up to 400: the tail is negligible at CDNOW's rates).
    total = sum(m.conditional_probability_of_n_purchases_up_to_time(k, 39.0, x, tx, t, covariates=rows)
                for k in range(401))
    assert np.allclose(total, 1.0, atol=1e-9)

    # Delta-method intervals with covariates: estimates are the predictions, inside their bounds.
    ci = m.intervals(rows, quantity="expected_purchases", t=39.0)
    expected = m.conditional_expected_number_of_purchases_up_to_time(39.0, x, tx, t, covariates=rows)
    assert np.array_equal(ci["estimate"].to_numpy(), expected)
    assert list(ci.index) == list(rows.index)
    assert ((ci["lower"] < ci["estimate"]) & (ci["estimate"] < ci["upper"])).all()
    assert (ci["standard_error"] > 0).all()
    tot = m.intervals(rows, quantity="total_purchases", t=39.0)
    assert list(tot.index) == ["total"]
    assert tot["estimate"].iloc[0] == pytest.approx(expected.sum(), rel=1e-12)
    alive = m.intervals(rows, quantity="probability_alive", level=0.95)
    assert ((alive["lower"] <= alive["estimate"]) & (alive["upper"] <= 1.0)).all()


def test_clv_with_a_covariate_spend_model(weekly):
    m = rk.BetaGeo().fit(weekly, purchase=["score"], dropout=["channel"])
    gg = rk.GammaGamma().fit(weekly, spend=["score", "channel"], zero_spend="skip")
    rows = weekly.iloc[:30]
    clv = m.customer_lifetime_value(gg, rows)
    # Each customer: the plain CLV with both models typed in at its own parameters.
    own, own_spend = m.customer_params(rows), gg.customer_params(rows)
    for i in range(len(rows)):
        one = rk.BetaGeo(unit="weeks", **own.iloc[i].to_dict())
        spend = rk.GammaGamma(**own_spend.iloc[i].to_dict())
        want = one.customer_lifetime_value(spend, rows.iloc[[i]]).iloc[0]
        assert clv.iloc[i] == pytest.approx(want, rel=1e-12, abs=1e-300)
    # A separate spend covariate table: the same values.
    again = m.customer_lifetime_value(gg, rows, spend_covariates=rows[["score", "channel"]])
    assert np.array_equal(again.to_numpy(), clv.to_numpy())
    with pytest.raises(rk.LengthMismatchError):
        m.customer_lifetime_value(gg, rows, spend_covariates=rows.iloc[:3])


def test_mbg_nbd_with_covariates_fits_and_refuses_like_the_others(weekly):
    m = rk.ModifiedBetaGeo().fit(weekly, purchase=["score"], dropout=["channel"])
    assert m.status == "converged"
    assert list(m.effects.index) == [
        ("purchase", "score"), ("dropout", "channel=store"), ("dropout", "channel=web")
    ]
    assert m.n_parameters == 7
    flat = weekly.assign(flat=1.0)
    with pytest.raises(rk.InvalidArgumentError, match="`flat` is constant"):
        rk.ModifiedBetaGeo().fit(flat, dropout=["flat"])


# ---- Gamma-Gamma and sBG with covariates ----


def test_gamma_gamma_with_covariates(weekly):
    # Zero spend is left out by the model; the summary's covariates go with its repeat buyers.
    m = rk.GammaGamma().fit(weekly, spend=["score", "channel"], zero_spend="skip")
    assert m.status == "converged"
    e = m.effects
    assert list(e.index) == [("spend", "score"), ("spend", "channel=store"), ("spend", "channel=web")]
    assert (e["se(coef)"] > 0).all() and m.n_parameters == 6
    buyers = weekly[(weekly["frequency"] > 0) & (weekly["monetary_value"] > 0)]
    rows = buyers.iloc[:40]
    own = m.customer_params(rows)
    assert list(own.columns) == ["p", "q", "gamma"]
    x, mv = rows["frequency"], rows["monetary_value"]
    spend = m.conditional_expected_average_profit(x, mv, covariates=rows)
    for i in range(len(rows)):
        one = rk.GammaGamma(**own.iloc[i].to_dict())
        assert spend[i] == one.conditional_expected_average_profit([x.iloc[i]], [mv.iloc[i]])[0]
    # γ_i = γ₀ e^(δ z): a "phone" customer with score 0 has the population parameters.
    pop = m.customer_params(pd.DataFrame({"score": [0.0], "channel": ["phone"]}))
    assert pop.iloc[0].to_dict() == m.params
    # A separate covariate table, one row per summary row, gives the same fit.
    other = rk.GammaGamma().fit(
        weekly, spend=["score", "channel"], zero_spend="skip", covariates=weekly[["score", "channel"]]
    )
    assert other.params == m.params
    with pytest.raises(rk.InvalidArgumentError, match="give the customers' covariates"):
        m.conditional_expected_average_profit(x, mv)
    with pytest.raises(rk.InvalidArgumentError, match="fitted with covariates"):
        m.log_likelihood_of(x, mv)
    # A huge penalty: δ ≈ 0.
    m = rk.GammaGamma().fit(weekly, spend=["score"], zero_spend="skip", l2=1e8)
    assert (m.effects["coef"].abs() < 1e-6).all()


def test_gamma_gamma_zero_covariate_table_is_refused_as_constant(weekly):
    flat = weekly.assign(flat=0.0)
    with pytest.raises(rk.InvalidArgumentError, match="`flat` is constant"):
        rk.GammaGamma().fit(flat, spend=["flat"], zero_spend="skip")


REGULAR = [1000, 631, 468, 382, 326, 289, 262, 241]
HIGH_END = [1000, 869, 743, 653, 593, 551, 517, 491]


def test_sbg_with_covariates_is_the_separate_fits():
    # One segment covariate on α and β: each cohort's own fit. Published in Fader & Hardie
    # (2007), p. 83: regular α = 0.704, β = 1.182; high end α = 0.668, β = 3.806.
    segments = pd.DataFrame({"segment": ["regular", "high end"]})
    m = rk.ShiftedBetaGeometric().fit([REGULAR, HIGH_END], covariates=segments, alpha=["segment"], beta=["segment"])
    assert m.status == "converged"
    assert list(m.effects.index) == [("alpha", "segment=regular"), ("beta", "segment=regular")]
    own = m.customer_params(segments).round(3)
    assert own.values.tolist() == [[0.704, 1.182], [0.668, 3.806]]
    curves = m.curves(5, covariates=segments)
    assert list(curves.index.names) == ["row", "period"]
    derl = m.derl(0.1, covariates=segments)
    for i, cohort in enumerate([REGULAR, HIGH_END]):
        alone = rk.ShiftedBetaGeometric(**m.customer_params(segments).iloc[i].to_dict())
        assert np.array_equal(curves.loc[i, "survival"].to_numpy(), alone.curves(5)["survival"].to_numpy())
        assert derl[i] == alone.derl(0.1)
    # The LL is the sum of the separate fits' (to the search's tolerance).
    sep = sum(rk.ShiftedBetaGeometric().fit(c).log_likelihood for c in [REGULAR, HIGH_END])
    assert abs(m.log_likelihood - sep) < 1e-8 * abs(sep)
    # One shared effect scaling α and β together: 3 parameters.
    m = rk.ShiftedBetaGeometric().fit(
        [REGULAR, HIGH_END], covariates=segments, alpha=["segment"], beta=["segment"], equal=["segment"]
    )
    assert m.n_parameters == 3 and m.effects["shared"].all()


def test_sbg_covariate_errors():
    segments = {"segment": ["regular", "high end"]}
    with pytest.raises(rk.InvalidArgumentError, match="one row per cohort"):
        rk.ShiftedBetaGeometric().fit([REGULAR, HIGH_END], alpha=["segment"])
    with pytest.raises(rk.InvalidArgumentError, match="cohort 1"):
        rk.ShiftedBetaGeometric().fit([REGULAR, [100, 120, 90]], covariates=segments, alpha=["segment"])
    with pytest.raises(rk.LengthMismatchError):
        rk.ShiftedBetaGeometric().fit([REGULAR], covariates=segments, alpha=["segment"])
    m = rk.ShiftedBetaGeometric().fit([REGULAR, HIGH_END], covariates=segments, beta=["segment"])
    with pytest.raises(rk.InvalidArgumentError, match="give the customers' covariates"):
        m.derl(0.1)
    with pytest.raises(rk.InvalidArgumentError, match="level `other`"):
        m.curves(3, covariates={"segment": ["other"]})
    with pytest.raises(rk.InvalidArgumentError, match="argument `equal`"):
        rk.ShiftedBetaGeometric().fit([REGULAR, HIGH_END], covariates=segments, equal=["segment"])
