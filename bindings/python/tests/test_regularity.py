"""Regularity: BG/CNBD-k and MBG/CNBD-k classes, litt and the Wheat–Morrison statistic."""

import numpy as np
import pandas as pd
import pytest

import retentionkit as rk


@pytest.fixture(scope="module")
def weekly(cdnow):
    s = rk.summary(cdnow, customer_id="id", date="date", unit="weeks", observation_end="1997-09-30")
    s["litt"] = rk.log_intertransaction_times(
        cdnow, customer_id="id", date="date", unit="weeks", observation_end="1997-09-30"
    )
    return s


def test_litt_is_the_sum_of_log_gaps_between_distinct_days(cdnow, weekly):
    # Computed here with pandas from the log: distinct days up to 1997-09-30, gaps in weeks.
    cal = cdnow[cdnow["date"] <= "1997-09-30"][["id", "date"]].drop_duplicates().sort_values(["id", "date"])
    gaps = cal.groupby("id")["date"].diff().dt.days / 7.0
    want = np.log(gaps).groupby(cal["id"]).sum()
    assert len(weekly) == 2357
    np.testing.assert_allclose(weekly["litt"].to_numpy(), want.reindex(weekly.index).to_numpy(), rtol=0, atol=1e-12)


def test_k1_fits_are_bg_nbd_and_mbg_nbd(weekly):
    for cnbd, plain in [(rk.BgCnbd, rk.BgNbd), (rk.MbgCnbd, rk.MbgNbd)]:
        m = cnbd().fit(weekly, k=1)
        ref = plain().fit(weekly)
        assert m.params["k"] == 1 and m.n_parameters == 4 and m.unit == "weeks"
        for name in ("r", "alpha", "a", "b"):
            assert abs(m.params[name] / ref.params[name] - 1) < 1e-9
        x, tx, t = weekly["frequency"], weekly["recency"], weekly["T"]
        np.testing.assert_allclose(
            m.conditional_expected_number_of_purchases_up_to_time(39, x, tx, t),
            ref.conditional_expected_number_of_purchases_up_to_time(39, x, tx, t),
            rtol=1e-9,
        )
        np.testing.assert_allclose(
            m.conditional_probability_alive(x, tx, t), ref.conditional_probability_alive(x, tx, t), rtol=1e-9
        )
        np.testing.assert_allclose(
            m.expected_number_of_purchases_up_to_time([10.0, 39.0]),
            ref.expected_number_of_purchases_up_to_time([10.0, 39.0]),
            rtol=1e-9,
        )


def test_cdnow_chooses_k1(weekly):
    # BTYDplus's demo/cdnow.R: "k=1 -> no regularity detected for CDNow".
    m = rk.MbgCnbd().fit(weekly)
    assert m.params["k"] == 1 and m.n_parameters == 5
    c = m.candidates
    assert list(c.index) == list(range(1, 13)) and c["log_likelihood"].idxmax() == 1
    assert np.isnan(m.standard_errors["k"]) and m.standard_errors["r"] > 0
    assert m.log_likelihood_of(weekly["frequency"], weekly["recency"], weekly["T"], weekly["litt"]) == pytest.approx(
        m.log_likelihood, rel=1e-12
    )


def test_wheat_morrison_matches_a_pandas_computation(cdnow):
    days = cdnow[["id", "date"]].drop_duplicates().sort_values(["id", "date"])
    m = []
    for _, d in days.groupby("id")["date"]:
        if len(d) >= 3:
            t1, t2 = (d.iloc[-2] - d.iloc[-3]).days, (d.iloc[-1] - d.iloc[-2]).days
            m.append(t1 / (t1 + t2))
    v = np.mean((np.array(m) - 0.5) ** 2)
    wm = rk.wheat_morrison(cdnow, customer_id="id", date="date")
    assert wm["customers"] == len(m)
    assert wm["k"] == pytest.approx((1 - 4 * v) / (8 * v), rel=1e-12)


def test_bad_parameters_and_columns():
    with pytest.raises(rk.InvalidArgumentError, match="argument `k`"):
        rk.BgCnbd(k=1.5, r=1.0, alpha=1.0, a=1.0, b=1.0)
    with pytest.raises(rk.MissingColumnError):
        rk.BgCnbd().fit(pd.DataFrame({"frequency": [1, 0], "recency": [1.0, 0.0], "T": [3.0, 2.0]}))
    with pytest.raises(rk.InvalidValueError, match="litt"):
        rk.BgCnbd().fit({"frequency": [1, 0], "recency": [1.0, 0.0], "T": [3.0, 2.0], "litt": [0.0, 1.0]})
