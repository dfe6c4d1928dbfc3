"""Issue 24: the plots draw what they say. Each check reads back what matplotlib drew
(colour limits, axis labels, tick labels, the calibration-end line), not pixels."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import retentionkit as rk  # noqa: E402
import retentionkit.plot as rkp  # noqa: E402


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def test_the_heatmap_scale_spans_the_cells_after_period_0(cdnow):
    m = rk.cohort_matrix(cdnow, customer_id="id", date="date")
    ax = rkp.cohort_heatmap(m)
    lo, hi = ax.images[0].get_clim()
    # Period 0 is 100 % for every cohort; the scale's top is the largest later cell
    # (CDNOW's months 1.. stay below 30 %), so later cells get distinct colours.
    later = m.to_numpy()[:, 1:]
    assert lo == 0.0 and hi == pytest.approx(np.nanmax(later)) and hi < 0.5
    assert ax.get_xlabel() == "months since acquisition"
    sizes = rk.cohort_matrix(cdnow, customer_id="id", date="date", values="count")[0].astype(int)
    assert [t.get_text() for t in ax.get_yticklabels()] == [f"{c} (n={n:,})" for c, n in sizes.items()]
    assert min(t.get_fontsize() for t in ax.texts) >= 9
    weekly = rkp.cohort_heatmap(rk.cohort_matrix(cdnow, customer_id="id", date="date", granularity="week"))
    assert weekly.get_xlabel() == "weeks since acquisition"
    counts = rkp.cohort_heatmap(rk.cohort_matrix(cdnow, customer_id="id", date="date", values="count"))
    assert counts.texts[0].get_text() == f"{sizes.iloc[0]:,}"


def test_tracking_marks_the_calibration_end_and_holdout_plot_groups_frequencies(cdnow):
    cal = rk.calibration_and_holdout(cdnow, "1997-09-30", "1998-06-30", customer_id="id", date="date",
                                     unit="weeks")
    model = rk.BetaGeo().fit(cal)
    assert model.unit == "weeks"  # from the table's attrs, as from rk.summary
    track = model.tracking(cdnow, ["1997-04-01", "1997-10-01", "1998-04-01"], customer_id="id", date="date")
    ax = rkp.tracking(track, calibration_end="1997-09-30")
    lines = [ln for ln in ax.get_lines() if ln.get_label() == "calibration end"]
    assert len(lines) == 1
    x = lines[0].get_xdata()[0]  # the date as given (a Timestamp) or as a matplotlib day number
    x = matplotlib.dates.num2date(x) if isinstance(x, float) else x
    assert x.date().isoformat() == "1997-09-30"
    # A model in the table's unit tracks the actual curve: within 10 % at the calibration
    # end (FHL 2005, figure 2, shows the BG/NBD curve close to CDNOW's). Fitted in weeks
    # but read as days, it would be about 3 times too high (the bug this guards against).
    at_cal = track.loc["1997-10-01"]
    assert abs(at_cal["expected"] - at_cal["actual"]) < 0.1 * at_cal["actual"]
    ev = model.evaluate(cal)
    ax = rkp.holdout_by_frequency(ev)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["0", "1", "2", "3", "4", "5", "6", "7+"]
    actual, model_line = ax.get_lines()[:2]
    np.testing.assert_array_equal(actual.get_ydata(), ev.by_frequency["mean_actual"].to_numpy())
    np.testing.assert_array_equal(model_line.get_ydata(), ev.by_frequency["mean_predicted"].to_numpy())


def test_probability_alive_and_frequency_recency_matrices():
    m = rk.BetaGeo(r=0.243, alpha=4.414, a=0.793, b=2.426, unit="weeks")
    ax = rkp.probability_alive_matrix(m, 39.0, max_frequency=4, cells=39)
    values = ax.images[0].get_array()
    # Row 0 (no repeat purchase): only recency 0 is possible, and a BG/NBD customer
    # without a repeat purchase is alive (the model's dropout follows purchases).
    assert values[0, 0] == 1.0 and values.mask[0, 1:].all()
    # Row 2 at recency 39 (last purchase at the end) equals the model's own P(alive).
    assert values[2, -1] == pytest.approx(m.conditional_probability_alive(2, 39.0, 39.0)[0], rel=1e-12)
    assert ax.get_xlabel() == "recency (time of the last purchase)"
    assert ax.get_title() == "Probability alive at T = 39 weeks"
    ax = rkp.frequency_recency_matrix(m, 39.0, 13.0, max_frequency=4, cells=39)
    values = ax.images[0].get_array()
    want = m.conditional_expected_number_of_purchases_up_to_time(13.0, 3, 13.0, 39.0)[0]
    assert values[3, 13] == pytest.approx(want, rel=1e-12)  # recency step 39/39 = 1 week


def test_incremental_tracking_draws_the_differences():
    import pandas as pd

    track = pd.DataFrame({"expected": [1.0, 3.0, 6.0], "actual": [2.0, 3.0, 7.0]},
                         index=pd.to_datetime(["2024-01-01", "2024-02-01", "2024-03-01"]))
    ax = rkp.tracking(track, incremental=True)
    actual, model = ax.get_lines()[:2]
    assert list(actual.get_ydata()) == [2.0, 1.0, 4.0] and list(model.get_ydata()) == [1.0, 2.0, 3.0]
    assert ax.get_ylabel() == "repeat purchases since the previous date"


def test_period_transactions_compares_with_the_models_simulation(cdnow):
    s = rk.summary(cdnow, customer_id="id", date="date", unit="weeks", observation_end="1997-09-30")
    m = rk.BetaGeo().fit(s)
    ax = rkp.period_transactions(m, s, seed=3)
    bars = [p.get_height() for p in ax.patches]
    actual, model = bars[:8], bars[8:]
    # Actual: CDNOW's customers by calibration repeat purchases (0..6, 7+), counted here.
    want = np.bincount(np.minimum(s["frequency"].to_numpy().astype(int), 7), minlength=8)
    assert actual == list(want)
    # Simulated: the same number of customers, drawn with the fitted model (seeded).
    sim = m.simulate(s["T"], seed=3)
    assert model == list(np.bincount(np.minimum(sim["frequency"].to_numpy().astype(int), 7), minlength=8))
    assert sum(model) == len(s)
    # The fitted model reproduces the share without repeat purchases within 3 points
    # (FHL 2005, figure 3: the BG/NBD histogram matches CDNOW's closely).
    assert abs(model[0] - actual[0]) < 0.03 * len(s)
