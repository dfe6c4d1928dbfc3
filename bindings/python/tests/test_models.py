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


def test_summary_columns_are_named_alike_and_a_calibration_table_needs_no_renaming(cdnow):
    # Issue 24: predict and customer_lifetime_value take the same column arguments as fit,
    # a calibration/holdout table (frequency_cal, ...) is read as it comes, and a missing
    # column lists the columns the table has.
    cal = rk.calibration_and_holdout(cdnow, "1997-09-30", "1998-06-30", customer_id="id", date="date",
                                     amount="amount", unit="weeks")
    m = rk.BetaGeo().fit(cal)
    plain = rk.summary(cdnow, customer_id="id", date="date", amount="amount", unit="weeks",
                       observation_end="1997-09-30")
    # The calibration columns are the summary up to 1997-09-30 (same customers, same order).
    assert m.params == rk.BetaGeo().fit(plain).params
    pred = m.predict(cal, 39.0)
    np.testing.assert_array_equal(pred["expected_purchases"], m.predict(plain, 39.0)["expected_purchases"])
    assert pred.index.equals(cal.index)
    spend = rk.GammaGamma().fit(cal)
    clv = m.customer_lifetime_value(spend, cal)
    np.testing.assert_array_equal(clv, m.customer_lifetime_value(spend, plain))
    renamed = plain.rename(columns={"frequency": "f", "recency": "r", "T": "age", "monetary_value": "m"})
    np.testing.assert_array_equal(
        m.customer_lifetime_value(spend, renamed, frequency="f", recency="r", T="age", monetary_value="m"), clv)
    with pytest.raises(rk.MissingColumnError, match=r"column `Frequency` is required for the predictions but "
                       r"is not in the table; the table's columns are 'f', 'r', 'age', ") as e:
        m.predict(renamed, 39.0, frequency="Frequency")
    assert e.value.column == "Frequency"
    with pytest.raises(rk.MissingColumnError, match=r"column `frequency` is required for CLV .* \(name another "
                       r"with `frequency=`\)"):
        m.customer_lifetime_value(spend, renamed)


def test_polars_summaries_in_polars_results_out():
    import polars as pl

    m = rk.BetaGeo(r=0.243, alpha=4.414, a=0.793, b=2.426)
    spend = rk.GammaGamma(p=6.25, q=3.74, gamma=15.44)
    cols = {"customer_id": [7, 8], "frequency": [2, 0], "recency": [30.43, 0.0], "T": [38.86, 20.0],
            "monetary_value": [22.35, 0.0]}
    pdf, pldf = pd.DataFrame(cols), pl.DataFrame(cols)
    pred = m.predict(pldf, 39.0)
    assert isinstance(pred, pl.DataFrame) and pred.columns == ["probability_alive", "expected_purchases"]
    np.testing.assert_array_equal(pred["expected_purchases"].to_numpy(), m.predict(pdf, 39.0)["expected_purchases"])
    clv = m.customer_lifetime_value(spend, pldf)
    assert isinstance(clv, pl.Series) and clv.name == "clv"
    np.testing.assert_array_equal(clv.to_numpy(), m.customer_lifetime_value(spend, pdf).to_numpy())


def test_gamma_gamma_names_the_users_row_column_and_customer():
    # Row 3 of the table is the third repeat buyer (rows 0, 2, 3 repeat): the core sees
    # row 2 of its repeat-only columns; the error names row 3 of the user's table.
    table = pd.DataFrame({"customer_id": [10, 11, 12, 10244], "frequency": [1, 0, 2, 3],
                          "spend": [5.0, 0.0, 7.0, 0.0]})
    with pytest.raises(rk.InvalidValueError, match=r"column `spend`, row 3 \(customer 10244\): mean value 0 "
                       r"must be finite and positive; .*leave customers without spend out first") as e:
        rk.GammaGamma().fit(table, monetary_value="spend")
    assert (e.value.column, e.value.row) == ("spend", 3)
    # zero_spend="skip" leaves row 3 out, with a warning that names it: the fit is the one
    # on rows 0 and 2 alone.
    with pytest.warns(rk.FitWarning, match=r"left out 1 repeat buyer\(s\) with a mean spend of 0 \(the first: row 3 "
                      r"\(customer 10244\)\)"):
        skipped = rk.GammaGamma().fit(table, monetary_value="spend", zero_spend="skip")
    alone = rk.GammaGamma().fit(table.iloc[[0, 2]], monetary_value="spend")
    assert skipped.params == alone.params
    with pytest.raises(rk.InvalidArgumentError, match="zero_spend"):
        rk.GammaGamma().fit(table, monetary_value="spend", zero_spend="drop")


def test_evaluate_on_the_holdout_matches_a_hand_computation(cdnow):
    # Issue 24: the holdout check from Python. Expected values recomputed here with numpy
    # from the model's own per-customer predictions (MAE, RMSE, bias by their definitions;
    # the by-frequency table by grouping x = 0..6 and 7+).
    cal = rk.calibration_and_holdout(cdnow, "1997-09-30", "1998-06-30", customer_id="id", date="date",
                                     unit="weeks")
    m = rk.BetaGeo().fit(cal)
    ev = m.evaluate(cal)
    h = cal["duration_holdout"].iloc[0]
    pred = m.conditional_expected_number_of_purchases_up_to_time(h, cal["frequency_cal"], cal["recency_cal"],
                                                                 cal["T_cal"])
    err = pred - cal["frequency_holdout"].to_numpy()
    assert ev.mae == pytest.approx(np.abs(err).mean(), rel=1e-12)
    assert ev.rmse == pytest.approx(np.sqrt((err ** 2).mean()), rel=1e-12)
    assert ev.bias == pytest.approx(err.mean(), rel=1e-12)
    assert ev.total_actual == cal["frequency_holdout"].sum()
    assert ev.total_predicted == pytest.approx(pred.sum(), rel=1e-12)
    assert ev.predicted.index.equals(cal.index)
    groups = np.minimum(cal["frequency_cal"].to_numpy(), 7)
    for x, row in ev.by_frequency.iterrows():
        sel = groups == x
        assert row["customers"] == sel.sum()
        assert row["mean_actual"] == pytest.approx(cal["frequency_holdout"].to_numpy()[sel].mean(), rel=1e-12)
        assert row["mean_predicted"] == pytest.approx(pred[sel].mean(), rel=1e-12)
    assert list(ev.by_frequency.index) == list(range(8))
    bad = cal.assign(duration_holdout=[39.0] + [38.0] * (len(cal) - 1))
    with pytest.raises(rk.InvalidValueError, match=r"column `duration_holdout`, row 1: 38.0 differs"):
        m.evaluate(bad)


def test_predictive_distributions_sum_to_one_with_the_predicted_mean(weekly):
    # The core's identities, through the package: each row of the distribution sums to 1 (400
    # purchases in 39 weeks leave a tail below 1e-12 for CDNOW's heaviest buyers) and its mean
    # is predict's expected purchases, for every model.
    head = weekly.head(50)
    for cls in (rk.BgNbd, rk.MbgNbd, rk.ParetoNbd):
        m = cls().fit(weekly)
        d = m.purchase_distribution(head, 39.0, max_n=400)
        assert list(d.columns[:3]) == [0, 1, 2] and d.shape == (50, 401)
        assert list(d.index) == list(head.index)
        np.testing.assert_allclose(d.sum(axis=1), 1.0, atol=1e-10)
        mean = (d * np.arange(401)).sum(axis=1)
        np.testing.assert_allclose(mean, m.predict(head, 39.0)["expected_purchases"], rtol=1e-8, atol=1e-11)
        x, tx, T = head["frequency"], head["recency"], head["T"]
        np.testing.assert_array_equal(m.conditional_probability_of_n_purchases_up_to_time(0, 39.0, x, tx, T), d[0])
        now = m.conditional_probability_alive(x, tx, T)
        later = m.conditional_probability_alive(x, tx, T, t=52.0)
        assert (later < now).all() and (later > 0).all()
        v = m.dert(head, np.log(1.15) / 52)
        assert v.name == "dert" and (v > 0).all() and list(v.index) == list(head.index)


def test_new_customer_distribution_matches_lifetimes():
    # lifetimes 0.11.3 BetaGeoFitter.probability_of_n_purchases_up_to_time with FHL (2005)'s
    # CDNOW estimates (tests/data/models/lifetimes_counts.txt).
    m = rk.BetaGeo(r=0.243, alpha=4.414, a=0.793, b=2.426, unit="weeks")
    assert abs(m.probability_of_n_purchases_up_to_time(1.5, 0) - 0.9313804015291486) < 1e-12
    got = m.probability_of_n_purchases_up_to_time([39.0, 78.0], [2, 8])
    np.testing.assert_allclose(got, [0.08542975953906072, 0.00979925658052495], rtol=1e-9)
    with pytest.raises(rk.InvalidArgumentError, match="discount_rate"):
        m.dert({"frequency": [1], "recency": [1.0], "T": [2.0]}, 0.0)
    with pytest.raises(rk.InvalidArgumentError, match="max_n"):
        m.purchase_distribution({"frequency": [1], "recency": [1.0], "T": [2.0]}, 1.0, max_n=100_001)
    with pytest.raises(rk.InvalidValueError):
        m.purchase_distribution({"frequency": [1], "recency": [3.0], "T": [2.0]}, 1.0)
