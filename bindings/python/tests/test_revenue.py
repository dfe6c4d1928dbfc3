"""Subscriptions from Python: the six-customer fixture of the core's revenue tests
(crates/retentionkit/src/revenue/tests.rs), its hand-calculated numbers, and the errors.

The fixture, around February 2024 (p0 = 1 Feb, p1 = 1 Mar):
- 1: [1 Jan, ∞) at 100                               -> 100 -> 100, unchanged
- 2: [1 Jan, 15 Feb) at 50, [15 Feb, ∞) at 80         -> 50 -> 80, expansion 30
- 3: [1 Jan, ∞) at 60 + [10 Jan, 20 Feb) at 40        -> 100 -> 60, contraction 40
- 4: [5 Jan, 10 Feb) at 70                            -> 70 -> 0, churned 70
- 5: [3 Feb, ∞) at 25                                 -> 0 -> 25, new 25
- 6: [1 Nov 2023, 1 Dec 2023) at 30, [20 Feb, ∞) at 35 -> 0 -> 35, reactivation 35
"""

import numpy as np
import pandas as pd
import polars as pl
import pytest

import retentionkit as rk

ROWS = [
    ("f", "2024-02-20", None, 35.0),
    ("c", "2024-01-10", "2024-02-20", 40.0),
    ("a", "2024-01-01", None, 100.0),
    ("b", "2024-02-15", None, 80.0),
    ("d", "2024-01-05", "2024-02-10", 70.0),
    ("b", "2024-01-01", "2024-02-15", 50.0),
    ("e", "2024-02-03", None, 25.0),
    ("c", "2024-01-01", None, 60.0),
    ("f", "2023-11-01", "2023-12-01", 30.0),
]
"""The core fixture with customers 1..6 as "a".."f" (sorted the same way), rows unsorted."""


def frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "account": [r[0] for r in ROWS],
            "since": pd.to_datetime([r[1] for r in ROWS]),
            "until": pd.to_datetime([r[2] for r in ROWS]),
            "plan_mrr": [r[3] for r in ROWS],
        }
    )


NAMES = dict(customer_id="account", start="since", end="until", mrr="plan_mrr")


@pytest.fixture
def log() -> rk.SubscriptionLog:
    return rk.SubscriptionLog(frame(), **NAMES)


def test_counts_mrr_accounts_and_arpa(log):
    assert (len(log), log.num_customers) == (9, 6)
    assert log.first_date == np.datetime64("2023-11-01")
    # 1 Feb: 100 (a) + 50 (b) + 60 + 40 (c) + 70 (d) = 320 over 4 accounts.
    assert log.mrr_at("2024-02-01") == 320.0
    assert log.active_customers_at("2024-02-01") == 4
    assert log.arpa_at("2024-02-01") == 80.0
    # 1 Mar: 100 + 80 + 60 + 25 + 35 = 300 over 5 accounts.
    assert log.arpa_at(pd.Timestamp("2024-03-01")) == 60.0
    assert log.mrr_by_customer_at("2024-03-01").to_dict() == {"a": 100.0, "b": 80.0, "c": 60.0, "e": 25.0, "f": 35.0}
    # An end day is not covered (d ends on 10 Feb): 100 + 50 + 100 + 25 = 275.
    assert log.mrr_at("2024-02-10") == 275.0
    # 15 Dec 2023: nobody active; ARPA is an error, not NaN.
    assert log.mrr_at("2023-12-15") == 0.0
    with pytest.raises(rk.ZeroDenominatorError, match="active customers"):
        log.arpa_at("2023-12-15")


def test_february_movements_by_hand(log):
    m = rk.mrr_movements(log, "2024-02-01", "2024-03-01")
    assert (m.start, m.end) == (np.datetime64("2024-02-01"), np.datetime64("2024-03-01"))
    assert (m.start_mrr, m.end_mrr) == (320.0, 300.0)
    assert (m.new, m.expansion, m.contraction, m.churned, m.reactivation) == (25.0, 30.0, 40.0, 70.0, 35.0)
    # S = {a, b, c, d}, E = {a, b, c, e, f}, S ∩ E = {a, b, c}; one customer per movement.
    assert (m.start_customers, m.end_customers, m.retained_customers) == (4, 5, 3)
    assert (m.new_customers, m.expansion_customers, m.contraction_customers) == (1, 1, 1)
    assert (m.churned_customers, m.reactivation_customers) == (1, 1)
    assert m.gross_revenue_retention == 0.65625  # (320 − 70 − 40) / 320
    assert m.net_revenue_retention == 0.75  # (320 + 30 − 70 − 40) / 320
    assert m.gross_revenue_churn == 0.34375  # (70 + 40) / 320
    assert m.net_revenue_churn == 0.25  # (70 + 40 − 30) / 320
    assert (m.logo_retention, m.logo_churn) == (0.75, 0.25)  # 3 / 4, 1 / 4
    assert m.quick_ratio == 90 / 110  # (25 + 30 + 35) / (40 + 70): MRR fell 320 -> 300
    assert m.retention_cost(900.0) == 300.0  # 900 / 3 retained
    assert "start_mrr=320" in repr(m) and "nrr=0.75" in repr(m)


def test_rates_are_none_when_nothing_was_paid_at_the_start(log):
    # December 2023: MRR 0 on 1 Dec (f's first subscription ended that day).
    m = rk.mrr_movements(log, "2023-12-01", "2024-01-01")
    assert m.start_mrr == 0.0 and m.new == 210.0  # a, b, c start on 1 Jan: 100 + 50 + 60
    assert m.gross_revenue_retention is None and m.logo_retention is None
    assert m.quick_ratio is None  # nothing lost: (210 + 0 + 0) / (0 + 0) is undefined
    with pytest.raises(rk.ZeroDenominatorError):
        m.retention_cost(10.0)


def test_monthly_series_by_hand(log):
    s = rk.mrr_series(log, "2024-01-01", "2024-03-31")
    assert list(s.index) == ["2024-01", "2024-02", "2024-03"]
    # 1 Jan: 100 + 50 + 60 = 210; d starts on 5 Jan (new, 70), c adds 40 (expansion): 320 on 1 Feb.
    assert s.loc["2024-01", ["start_mrr", "end_mrr", "new", "expansion", "churned"]].tolist() == [
        210.0, 320.0, 70.0, 40.0, 0.0
    ]
    assert s.loc["2024-01", ["start_customers", "end_customers", "retained_customers"]].tolist() == [3, 4, 3]
    # February equals the single period; March changes nothing (300 both ends, 5 retained).
    assert s.loc["2024-02", "net_revenue_retention"] == 0.75
    assert s.loc["2024-03", ["start_mrr", "end_mrr", "retained_customers"]].tolist() == [300.0, 300.0, 5]
    assert s["end"].iloc[0] == np.datetime64("2024-02-01")
    # The end of one row is the start of the next.
    np.testing.assert_array_equal(s["end_mrr"].to_numpy()[:-1], s["start_mrr"].to_numpy()[1:])
    # November 2023 churns f's 30 (GRR 0); December starts at 0: GRR undefined, NaN in the table.
    s = rk.mrr_series(log, "2023-11-05", "2023-12-05")
    assert s.loc["2023-11", "gross_revenue_retention"] == 0.0
    assert np.isnan(s.loc["2023-12", "gross_revenue_retention"])
    q = rk.mrr_series(log, "2024-01-01", "2024-03-31", granularity="quarter")
    assert list(q.index) == ["2024-Q1"] and q["end_mrr"].iloc[0] == 300.0  # MRR on 1 Apr = on 1 Mar


def test_cohorts_by_hand():
    # From the core's example: January cohort, 1 pays 10 from 10 Jan to 15 Feb then 30 from
    # 1 Mar; 2 pays 20 from 20 Jan on. Observed to 20 March: March is not complete.
    log = rk.SubscriptionLog.from_columns(
        [1, 1, 2], ["2024-01-10", "2024-03-01", "2024-01-20"], ["2024-02-15", None, None], [10.0, 30.0, 20.0]
    )
    count = rk.subscription_cohorts(log, "2024-03-20")
    assert count.loc["2024-01"].tolist()[:2] == [2.0, 2.0]  # both active in January and February
    assert np.isnan(count.loc["2024-01", 2])
    assert rk.subscription_cohorts(log, "2024-03-20", values="fraction").loc["2024-01"].tolist()[:2] == [1.0, 1.0]
    # MRR on 31 Jan: 10 + 20; on 29 Feb: 20 -> revenue retention 20 / 30.
    assert rk.subscription_cohorts(log, "2024-03-20", values="mrr").loc["2024-01"].tolist()[:2] == [30.0, 20.0]
    assert rk.subscription_cohorts(log, "2024-03-20", values="mrr_retention").loc["2024-01", 1] == 20.0 / 30.0
    with pytest.raises(rk.InvalidArgumentError, match="values"):
        rk.subscription_cohorts(log, "2024-03-20", values="share")


def test_lifetimes_by_hand():
    # The core's lifetimes test: 7: [5, 20), [10, 25), [25, 40) chain to 35 days, churned;
    # 8: [0, 10), gap on day 10: 10 days, churned; 9: [45, 60) covers day 50: 50 + 1 − 45 = 6,
    # censored; 10 starts after the end: left out; 11: [50, 51) covers day 50: 1 day, censored.
    log = rk.SubscriptionLog.from_columns(
        [7, 8, 9, 7, 10, 7, 8, 11],
        [5, 0, 45, 10, 51, 25, 11, 50],
        [20, 10, 60, 25, None, 40, None, 51],
        [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 0.0],
    )
    l = log.lifetimes(50)
    assert l.index.tolist() == [7, 8, 9, 11]
    assert l["days"].tolist() == [35.0, 10.0, 6.0, 1.0]
    assert l["churned"].tolist() == [True, True, False, False]
    assert l["first_start"].tolist() == list(pd.to_datetime([5, 0, 45, 50], unit="D"))
    km = rk.kaplan_meier(l["days"], l["churned"])
    # Censored at 1 and 6; events at 10 (1 of 2 at risk) and 35 (1 of 1): 1, 1, 1/2, 0.
    assert km.table["survival"].tolist() == [1.0, 1.0, 0.5, 0.0]


def test_clv_by_hand():
    assert rk.subscription_clv(40.0, 0.5, 0.25) == 80.0  # 40 × 0.5 / 0.25, exact
    assert rk.discounted_clv(100.0, 0.5, 0.0) == 100.0  # m · 0.5 / (1 − 0.5)
    with pytest.raises(rk.ZeroDenominatorError):
        rk.subscription_clv(50.0, 0.8, 0.0)
    with pytest.raises(rk.InvalidArgumentError, match="gross_margin"):
        rk.subscription_clv(50.0, 1.5, 0.1)
    with pytest.raises(rk.InvalidArgumentError, match="retention"):
        rk.discounted_clv(100.0, float("nan"), 0.1)
    with pytest.raises(rk.ZeroDenominatorError):
        rk.discounted_clv(100.0, 1.0, 0.0)


def test_inputs_polars_numpy_strings_and_day_numbers_agree(log):
    pl_log = rk.SubscriptionLog(pl.from_pandas(frame()), **NAMES)
    days = {k: np.array(v, dtype="datetime64[D]") for k, v in (("s", [r[1] for r in ROWS]),)}
    np_log = rk.SubscriptionLog.from_columns(
        np.array([r[0] for r in ROWS]),
        days["s"],
        [None if r[2] is None else np.datetime64(r[2]) for r in ROWS],
        np.array([r[3] for r in ROWS]),
    )
    for other in (pl_log, np_log):
        assert other.mrr_at("2024-02-01") == 320.0
        assert rk.mrr_movements(other, "2024-02-01", "2024-03-01") == rk.mrr_movements(
            log, "2024-02-01", "2024-03-01"
        )


def test_errors_name_the_users_columns():
    df = frame()
    bad = df.copy()
    bad.loc[3, "until"] = pd.Timestamp("2024-02-01")  # b's row starts 15 Feb
    with pytest.raises(rk.InvalidValueError, match=r"column `until`, row 3: .*must be after start"):
        rk.SubscriptionLog(bad, **NAMES)
    bad = df.copy()
    bad.loc[2, "plan_mrr"] = -5.0
    with pytest.raises(rk.InvalidValueError, match=r"column `plan_mrr`, row 2: negative MRR"):
        rk.SubscriptionLog(bad, **NAMES)
    bad = df.copy()
    bad.loc[4, "plan_mrr"] = np.nan
    with pytest.raises(rk.InvalidValueError, match=r"column `plan_mrr`, row 4"):
        rk.SubscriptionLog(bad, **NAMES)
    with pytest.raises(rk.InvalidValueError, match=r"column `mrr`, row 1: NaN"):
        rk.SubscriptionLog.from_columns([1, 2], [0, 0], [None, None], np.array([1.0, np.nan]))
    bad = df.copy()
    bad.loc[5, "since"] = pd.NaT
    with pytest.raises(rk.InvalidValueError, match=r"column `since`, row 5: missing"):
        rk.SubscriptionLog(bad, **NAMES)
    with pytest.raises(rk.InvalidValueError, match=r"column `end`, row 2: 'soon' is not a date"):
        rk.SubscriptionLog.from_columns([1, 2, 3], ["2024-01-01"] * 3, [None, "2024-02-01", "soon"], [1.0] * 3)
    with pytest.raises(rk.LengthMismatchError, match="column `mrr`"):
        rk.SubscriptionLog.from_columns([1, 2], [0, 0], [None, None], [1.0])
    with pytest.raises(rk.LengthMismatchError, match="column `end`"):
        rk.SubscriptionLog.from_columns([1, 2], [0, 0], [None], [1.0, 2.0])
    with pytest.raises(rk.EmptyError):
        rk.SubscriptionLog.from_columns([], np.array([], dtype=np.int32), [], np.array([]))
    with pytest.raises(rk.MissingColumnError, match="column `until`"):
        rk.SubscriptionLog(df.drop(columns="until"), **NAMES)
    with pytest.raises(rk.InvalidValueError, match="negative id"):
        rk.SubscriptionLog.from_columns([-1], [0], [None], [1.0])


def test_bad_arguments(log):
    with pytest.raises(rk.InvalidArgumentError, match="granularity"):
        rk.mrr_series(log, "2024-01-01", "2024-03-31", granularity="fortnight")
    with pytest.raises(rk.InvalidArgumentError, match="last"):
        rk.mrr_series(log, "2024-03-01", "2024-01-01")
    with pytest.raises(rk.InvalidArgumentError, match="end"):
        rk.mrr_movements(log, "2024-03-01", "2024-02-01")
    with pytest.raises(rk.InvalidArgumentError, match="`t`"):
        log.mrr_at("not a date")
    with pytest.raises(rk.InvalidArgumentError):
        log.lifetimes(np.iinfo(np.int32).max)


def test_movements_and_series_of_customer_parts_merge_into_the_whole(log):
    df = frame()
    parts = [df[df["account"].isin(p)] for p in (["a", "c", "e"], ["b", "d"], ["f"])]
    logs = [rk.SubscriptionLog(p, **NAMES) for p in parts]
    whole = rk.mrr_movements(log, "2024-02-01", "2024-03-01")
    merged = rk.MrrMovements.merge([rk.mrr_movements(p, "2024-02-01", "2024-03-01") for p in logs])
    assert merged == whole  # whole-number amounts: sums are exact
    series = [rk.mrr_series(p, "2023-11-01", "2024-03-31") for p in logs]
    pd.testing.assert_frame_equal(rk.merge_mrr_series(series), rk.mrr_series(log, "2023-11-01", "2024-03-31"))
    with pytest.raises(rk.IncompatibleError, match="different periods"):
        rk.MrrMovements.merge([whole, rk.mrr_movements(log, "2024-01-01", "2024-02-01")])
    with pytest.raises(rk.IncompatibleError, match="different periods"):
        rk.merge_mrr_series([series[0], rk.mrr_series(logs[1], "2024-01-01", "2024-03-31")])
    with pytest.raises(rk.IncompatibleError, match="granularity"):
        rk.merge_mrr_series([series[0], rk.mrr_series(logs[1], "2023-11-01", "2024-03-31", granularity="quarter")])
    with pytest.raises(rk.EmptyError):
        rk.MrrMovements.merge([])
    with pytest.raises(rk.EmptyError):
        rk.merge_mrr_series([])
