"""retentionkit.lifetimes, the drop-in for lifetimes 0.11.3 users, side by side with lifetimes.

The same calls on both, the import being the only change; every expected value is
lifetimes' own output, computed here on the CDNOW sample (or FHS 2010's donations):
parameters within the optimisers' tolerance, predictions at equal parameters to 1e-8.
"""

import numpy as np
import pandas as pd
import pytest

import retentionkit.lifetimes as rkl
import retentionkit.lifetimes.utils as rku

lt = pytest.importorskip("lifetimes")
import lifetimes.utils as ltu  # noqa: E402

REL = 1e-8


def close(ours, theirs, rel=REL):
    np.testing.assert_allclose(np.asarray(ours, float), np.asarray(theirs, float), rtol=rel, atol=0)


def same_kind(ours, theirs):
    """The same type of result (Series with the same index, array, scalar)."""
    if isinstance(theirs, pd.Series):
        assert isinstance(ours, pd.Series)
        assert list(ours.index) == list(theirs.index)
    elif isinstance(theirs, np.ndarray):
        assert isinstance(ours, np.ndarray) and ours.shape == theirs.shape
    else:
        assert np.ndim(ours) == 0


@pytest.fixture(scope="module")
def weekly(cdnow):
    """The FHL 2005 calibration summary, by lifetimes (39 weeks as days / 7)."""
    return ltu.summary_data_from_transaction_data(
        cdnow, "id", "date", monetary_value_col="amount", observation_period_end="1997-09-30",
        freq="D", freq_multiplier=7,
    )


@pytest.mark.parametrize("multiplier", [1, 7, 3])
@pytest.mark.parametrize("amount", [None, "amount"])
def test_summary_data_from_transaction_data(cdnow, multiplier, amount):
    kw = dict(monetary_value_col=amount, observation_period_end="1997-09-30", freq="D", freq_multiplier=multiplier)
    ours = rku.summary_data_from_transaction_data(cdnow, "id", "date", **kw)
    theirs = ltu.summary_data_from_transaction_data(cdnow, "id", "date", **kw)
    assert list(ours.columns) == list(theirs.columns)
    assert ours.index.name == theirs.index.name == "id"
    assert list(ours.index) == list(theirs.index)
    for c in theirs.columns:
        assert ours[c].dtype == theirs[c].dtype
        close(ours[c], theirs[c], 1e-12)


def test_summary_reads_text_dates_with_datetime_format(cdnow):
    # With an explicit end: lifetimes' default end is the largest value of the column as it
    # comes, here the largest text, not the last date.
    text = cdnow.assign(date=cdnow["date"].dt.strftime("%d/%m/%Y"))
    kw = dict(datetime_format="%d/%m/%Y", observation_period_end="30/06/1998")
    ours = rku.summary_data_from_transaction_data(text, "id", "date", **kw)
    theirs = ltu.summary_data_from_transaction_data(text, "id", "date", **kw)
    close(ours, theirs, 0)


def test_calibration_and_holdout_data(cdnow):
    args = (cdnow, "id", "date", "1997-09-30", "1998-06-30")
    kw = dict(freq="D", freq_multiplier=7, monetary_value_col="amount")
    ours = rku.calibration_and_holdout_data(*args, **kw)
    theirs = ltu.calibration_and_holdout_data(*args, **kw)
    assert list(ours.columns) == list(theirs.columns)
    assert list(ours.index) == list(theirs.index)
    for c in theirs.columns:
        close(ours[c], theirs[c], 1e-12)


def test_calendar_weeks_and_first_transactions_are_not_translated(cdnow):
    with pytest.raises(NotImplementedError, match="calendar weeks"):
        rku.summary_data_from_transaction_data(cdnow, "id", "date", freq="W")
    with pytest.raises(NotImplementedError, match="include_first_transaction"):
        rku.summary_data_from_transaction_data(cdnow, "id", "date", include_first_transaction=True)
    with pytest.raises(NotImplementedError):
        rku.calibration_and_holdout_data(cdnow, "id", "date", "1997-09-30", freq="W")


REPEAT = [
    (rkl.BetaGeoFitter, lt.BetaGeoFitter, {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}),
    (rkl.ModifiedBetaGeoFitter, lt.ModifiedBetaGeoFitter, {"r": 0.525, "alpha": 6.183, "a": 0.891, "b": 1.614}),
    (rkl.ParetoNBDFitter, lt.ParetoNBDFitter, {"r": 0.553, "alpha": 10.578, "s": 0.606, "beta": 11.669}),
]


@pytest.mark.parametrize("ours_cls,theirs_cls,params", REPEAT)
def test_repeat_fit(weekly, ours_cls, theirs_cls, params):
    x, tx, T = weekly["frequency"], weekly["recency"], weekly["T"]
    ours = ours_cls().fit(x, tx, T)
    np.random.seed(20261123)  # lifetimes' Pareto/NBD draws its starting point
    theirs = theirs_cls().fit(x, tx, T)
    assert list(ours.params_.index) == list(theirs.params_.index)
    # Both maximise the same likelihood; lifetimes stops at its optimiser's tolerance
    # (see test_lifetimes.py: 5e-3 relative covers lifetimes' Pareto/NBD run to run).
    close(ours.params_, theirs.params_, 5e-3)
    assert list(ours.data.columns) == list(theirs.data.columns)
    assert list(ours.data.index) == list(theirs.data.index)
    close(ours.data, theirs.data, 0)
    assert list(ours.summary.columns) == ["coef", "se(coef)", "lower 95% bound", "upper 95% bound"]
    assert list(ours.summary.index) == list(theirs.params_.index)
    assert repr(ours).startswith(f"<retentionkit.lifetimes.{theirs_cls.__name__}: fitted with {len(x)} subjects,")
    # predict is conditional_expected_number_of_purchases_up_to_time, as lifetimes' fit sets it
    close(ours.predict(10, x, tx, T), ours.conditional_expected_number_of_purchases_up_to_time(10, x, tx, T), 0)


def test_repeat_fit_with_weights_and_index(weekly):
    grouped = weekly.groupby(["frequency", "recency", "T"]).size().rename("weights").reset_index()
    ours = rkl.BetaGeoFitter().fit(grouped["frequency"], grouped["recency"], grouped["T"], grouped["weights"])
    plain = rkl.BetaGeoFitter().fit(weekly["frequency"], weekly["recency"], weekly["T"])
    close(ours.params_, plain.params_, 1e-6)
    index = range(len(weekly), 0, -1)
    indexed = rkl.BetaGeoFitter().fit(weekly["frequency"], weekly["recency"], weekly["T"], index=index)
    assert list(indexed.data.index) == list(index)


@pytest.mark.parametrize("ours_cls,theirs_cls,params", REPEAT)
def test_repeat_predictions_at_equal_parameters(weekly, ours_cls, theirs_cls, params):
    ours, theirs = ours_cls(), theirs_cls()
    ours.params_ = pd.Series(params)
    theirs.params_ = pd.Series(params)
    x, tx, T = weekly["frequency"], weekly["recency"], weekly["T"]
    for args in [(x, tx, T), (x.to_numpy(), tx.to_numpy(), T.to_numpy()), (2, 30.43, 38.86)]:
        o, t = ours.conditional_probability_alive(*args), theirs.conditional_probability_alive(*args)
        same_kind(o, t)
        close(o, t)
        for h in [1.0, 13.0, 39.0]:
            o = ours.conditional_expected_number_of_purchases_up_to_time(h, *args)
            t = theirs.conditional_expected_number_of_purchases_up_to_time(h, *args)
            same_kind(o, t)
            close(o, t)
    for ts in [np.array([0.1429, 1.0, 39.0, 78.0]), 39.0]:
        o, t = ours.expected_number_of_purchases_up_to_time(ts), theirs.expected_number_of_purchases_up_to_time(ts)
        same_kind(o, t)
        close(o, t)
    theirs.data = pd.DataFrame({"frequency": x, "T": T})
    ours.data = theirs.data
    z_ours, z_theirs = ours.conditional_probability_alive_matrix(), theirs.conditional_probability_alive_matrix()
    assert z_ours.shape == z_theirs.shape
    # Rows are recency, columns frequency; repeat purchases at recency 0 and a recency
    # above 0 without repeat purchases are impossible customers: NaN here, a number in lifetimes.
    recency, frequency = np.indices(z_ours.shape)
    impossible = (frequency == 0) != (recency == 0)
    assert (np.isnan(z_ours) == impossible).all()
    close(z_ours[~impossible], z_theirs[~impossible])


def test_gamma_gamma(weekly):
    repeat = weekly[weekly["frequency"] > 0]
    ours = rkl.GammaGammaFitter().fit(repeat["frequency"], repeat["monetary_value"])
    theirs = lt.GammaGammaFitter().fit(repeat["frequency"], repeat["monetary_value"])
    assert list(ours.params_.index) == ["p", "q", "v"]
    close(ours.params_, theirs.params_, 1e-3)
    params = pd.Series({"p": 6.25, "q": 3.74, "v": 15.44})
    ours.params_, theirs.params_ = params, params
    o = ours.conditional_expected_average_profit(repeat["frequency"], repeat["monetary_value"])
    t = theirs.conditional_expected_average_profit(repeat["frequency"], repeat["monetary_value"])
    same_kind(o, t)
    close(o, t)


@pytest.mark.parametrize("freq", ["W", "D", "M"])
def test_customer_lifetime_value(weekly, freq):
    bg = pd.Series({"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426})
    gg = pd.Series({"p": 6.25, "q": 3.74, "v": 15.44})
    ours_bg, ours_gg = rkl.BetaGeoFitter(), rkl.GammaGammaFitter()
    theirs_bg, theirs_gg = lt.BetaGeoFitter(), lt.GammaGammaFitter()
    ours_bg.params_, theirs_bg.params_, ours_gg.params_, theirs_gg.params_ = bg, bg, gg, gg
    theirs_bg.predict = theirs_bg.conditional_expected_number_of_purchases_up_to_time  # what fit() sets
    head = weekly.head(300)
    args = (head["frequency"], head["recency"], head["T"], head["monetary_value"])
    ours = ours_gg.customer_lifetime_value(ours_bg, *args, time=6, discount_rate=0.02, freq=freq)
    theirs = theirs_gg.customer_lifetime_value(theirs_bg, *args, time=6, discount_rate=0.02, freq=freq)
    same_kind(ours, theirs)
    assert ours.name == theirs.name == "clv"
    close(ours, theirs)


def test_bgbb(donations):
    x, tx, n, w = donations["frequency"], donations["recency"], donations["periods"], donations["weights"]
    ours = rkl.BetaGeoBetaBinomFitter().fit(x, tx, n, w)
    theirs = lt.BetaGeoBetaBinomFitter().fit(x, tx, n, w)
    assert list(ours.params_.index) == list(theirs.params_.index)
    close(ours.params_, theirs.params_, 1e-3)
    ours.params_ = theirs.params_
    o, t = ours.conditional_probability_alive(1, x, tx, n), theirs.conditional_probability_alive(1, x, tx, n)
    same_kind(o, t)
    close(o, t)
    with pytest.raises(NotImplementedError):
        ours.conditional_probability_alive(3, x, tx, n)
    for m in [1, 3, 5]:
        o = ours.conditional_expected_number_of_purchases_up_to_time(m, x, tx, n)
        t = theirs.conditional_expected_number_of_purchases_up_to_time(m, x, tx, n)
        same_kind(o, t)
        close(o, t)


@pytest.mark.parametrize("multiplier,t", [(7, 78), (1, 120)])
@pytest.mark.parametrize("set_index_date", [False, True])
def test_expected_cumulative_transactions(cdnow, multiplier, t, set_index_date):
    summary = ltu.summary_data_from_transaction_data(
        cdnow, "id", "date", observation_period_end="1997-09-30", freq="D", freq_multiplier=multiplier
    )
    theirs_bg = lt.BetaGeoFitter().fit(summary["frequency"], summary["recency"], summary["T"])
    ours_bg = rkl.BetaGeoFitter()
    ours_bg.params_ = theirs_bg.params_
    kw = dict(freq="D", freq_multiplier=multiplier, set_index_date=set_index_date)
    ours = rku.expected_cumulative_transactions(ours_bg, cdnow, "date", "id", t, **kw)
    theirs = ltu.expected_cumulative_transactions(theirs_bg, cdnow, "date", "id", t, **kw)
    assert list(ours.columns) == list(theirs.columns) == ["actual", "predicted"]
    assert list(ours.index) == list(theirs.index)
    assert (ours["actual"].to_numpy() == theirs["actual"].to_numpy()).all()
    close(ours["predicted"], theirs["predicted"])


def test_plots(weekly, cdnow):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from retentionkit.lifetimes import plotting

    bgf = rkl.BetaGeoFitter().fit(weekly["frequency"], weekly["recency"], weekly["T"])
    ax = plotting.plot_period_transactions(bgf)
    assert ax.get_title() == "Frequency of Repeat Transactions"
    plt.close("all")
    ax = plotting.plot_probability_alive_matrix(bgf)
    assert ax.images[0].get_array().shape == (int(weekly["frequency"].max()) + 1, int(weekly["T"].max()) + 1)
    plt.close("all")
    ax = plotting.plot_frequency_recency_matrix(bgf, T=5)
    assert ax.get_title().startswith("Expected Number of Future Purchases for 5 Units of Time")
    plt.close("all")
    table = rku.calibration_and_holdout_data(cdnow, "id", "date", "1997-09-30", "1998-06-30", freq_multiplier=7)
    cal = rkl.BetaGeoFitter().fit(table["frequency_cal"], table["recency_cal"], table["T_cal"])
    ax = plotting.plot_calibration_purchases_vs_holdout_purchases(cal, table)
    assert [t.get_text() for t in ax.get_xticklabels()][-1] == "7+"
    assert ax.get_title() == "Actual Purchases in Holdout Period vs Predicted Purchases"
    ours_lines = [line.get_data()[1] for line in ax.lines]
    plt.close("all")
    # lifetimes' plot of the same model on the same table: its points for 0..6 are ours
    # (ours adds 7+).
    from lifetimes import plotting as lt_plotting

    theirs_bgf = lt.BetaGeoFitter()
    theirs_bgf.params_ = cal.params_
    theirs_bgf.predict = theirs_bgf.conditional_expected_number_of_purchases_up_to_time
    theirs_ax = lt_plotting.plot_calibration_purchases_vs_holdout_purchases(theirs_bgf, table)
    theirs_lines = [line.get_data()[1] for line in theirs_ax.lines]
    close(ours_lines[0][:7], theirs_lines[0], 1e-12)
    close(ours_lines[1][:7], theirs_lines[1])
    with pytest.raises(NotImplementedError):
        plotting.plot_calibration_purchases_vs_holdout_purchases(cal, table, kind="recency_cal")
    plt.close("all")
    daily = rkl.BetaGeoFitter()
    daily.params_ = pd.Series({"r": 0.243, "alpha": 4.414 * 7, "a": 0.793, "b": 2.426})
    ax = plotting.plot_cumulative_transactions(daily, cdnow, "date", "id", 546, 273)
    assert ax.get_title() == "Tracking Cumulative Transactions"
    plt.close("all")


def test_not_translated_methods_say_so():
    bgf = rkl.BetaGeoFitter()
    bgf.params_ = pd.Series({"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426})
    with pytest.raises(NotImplementedError, match="retentionkit"):
        bgf.probability_of_n_purchases_up_to_time(39, 0)
    with pytest.raises(NotImplementedError):
        rkl.GammaGammaFitter().fit([1, 2], [10.0, 20.0], q_constraint=True)


def test_save_and_load(weekly, tmp_path):
    bgf = rkl.BetaGeoFitter().fit(weekly["frequency"], weekly["recency"], weekly["T"])
    bgf.save_model(str(tmp_path / "bgf.pkl"), save_data=False)
    loaded = rkl.BetaGeoFitter()
    loaded.load_model(str(tmp_path / "bgf.pkl"))
    assert loaded.params_.equals(bgf.params_) and loaded.data is None
    assert loaded.predict(1, 1, 2, 5) == bgf.predict(1, 1, 2, 5)


def test_integer_ids_keep_their_dtype_and_empty_holdout_says_so(cdnow):
    ours = rku.summary_data_from_transaction_data(cdnow, "id", "date")
    theirs = ltu.summary_data_from_transaction_data(cdnow, "id", "date")
    assert ours.index.dtype == theirs.index.dtype == cdnow["id"].dtype
    for fn in (rku.calibration_and_holdout_data, ltu.calibration_and_holdout_data):
        with pytest.raises(ValueError, match="There is no data available"):
            fn(cdnow, "id", "date", "1999-01-01", "1999-06-30")


def test_data_as_lifetimes_keeps_it(weekly, donations):
    x, tx, T = weekly["frequency"], weekly["recency"], weekly["T"]
    ours, theirs = rkl.BetaGeoFitter().fit(x, tx, T), lt.BetaGeoFitter().fit(x, tx, T)
    assert list(ours.data.columns) == list(theirs.data.columns)
    assert list(ours.data.dtypes) == list(theirs.data.dtypes)
    args = (donations["frequency"], donations["recency"], donations["periods"], donations["weights"])
    ours, theirs = rkl.BetaGeoBetaBinomFitter().fit(*args), lt.BetaGeoBetaBinomFitter().fit(*args)
    assert list(ours.data.columns) == list(theirs.data.columns)
    assert list(ours.data.dtypes) == list(theirs.data.dtypes)
    repeat = weekly[weekly["frequency"] > 0]
    ours = rkl.GammaGammaFitter().fit(repeat["frequency"], repeat["monetary_value"])
    theirs = lt.GammaGammaFitter().fit(repeat["frequency"], repeat["monetary_value"])
    assert list(ours.data.columns) == list(theirs.data.columns)
    assert list(ours.data.dtypes) == list(theirs.data.dtypes)
    # Counts that are not whole are refused, as lifetimes' input check does.
    with pytest.raises(ValueError):
        rkl.BetaGeoFitter().fit([0.5, 1], [0.0, 3.0], [5.0, 6.0])
