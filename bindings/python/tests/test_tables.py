"""KPIs, cohorts, summary and RFM (mirrors the core's kpi, cohort, summary and rfm modules).

The log (README's Rust example): customer 1 on 2024-01-03, 02-02, 03-09; customer 2 on
01-20 and 03-01; customer 3 on 02-14. Amounts 20, 35, 15, 50, 40, 25 in that row order.
"""

import numpy as np
import pandas as pd
import pytest

import retentionkit as rk

ORDERS = pd.DataFrame(
    {
        "customer_id": [1, 2, 1, 3, 2, 1],
        "date": pd.to_datetime(
            ["2024-01-03", "2024-01-20", "2024-02-02", "2024-02-14", "2024-03-01", "2024-03-09"]
        ),
        "amount": [20.0, 35.0, 15.0, 50.0, 40.0, 25.0],
    }
)


def test_monthly_kpis_by_hand():
    k = rk.kpis(ORDERS, amount="amount", lookback_months=1)
    assert list(k.index) == ["2024-01", "2024-02", "2024-03"]
    mar = k.loc["2024-03"]
    # Active on 1 March (ordered in February): 1 and 3. On 1 April (March orders): 1 and 2.
    assert (mar.start_customers, mar.end_customers, mar.retained, mar.reactivated) == (2, 2, 1, 1)
    assert mar.churn_rate == 0.5  # 1 - retained / S = 1 - 1/2
    assert mar.revenue == 65.0  # 40 + 25
    assert mar.average_order_value == 32.5  # 65 / 2 orders
    # January: nobody active on 1 January, so the rates with S in the denominator are NaN.
    assert k.loc["2024-01", "start_customers"] == 0
    assert np.isnan(k.loc["2024-01", "retention_rate"])
    assert k["start"].dtype == np.dtype("datetime64[s]") or k["start"].dt.day.tolist() == [1, 1, 1]


def test_period_kpis_is_a_readable_result():
    k = rk.period_kpis(ORDERS, "2024-03-01", "2024-04-01", amount="amount", lookback_months=1)
    assert (k.start_customers, k.end_customers, k.retained, k.reactivated) == (2, 2, 1, 1)
    assert k.churn_rate == 0.5
    assert "PeriodKpis(start=" in repr(k)
    jan = rk.period_kpis(ORDERS, "2024-01-01", "2024-02-01", lookback_months=1)
    assert jan.retention_rate is None  # S = 0


def test_lookback_in_days_and_granularities():
    q = rk.kpis(ORDERS, granularity="quarter", lookback_months=3)
    assert list(q.index) == ["2024-Q1"]
    w = rk.kpis(ORDERS, granularity="week", lookback_days=7)
    # ISO weeks from the week of 2024-01-03 (week 1) to that of 2024-03-09 (week 10).
    assert len(w) == 10


def test_scalar_kpis():
    assert rk.retention_rate(100, 90, 10) == 0.8  # (90 - 10) / 100
    assert rk.churn_rate(100, 75) == 0.25
    assert rk.repeat_customer_rate(4, 1) == 0.25
    assert rk.average_order_value(65.0, 2) == 32.5


def test_cohort_matrix_by_hand():
    counts = rk.cohort_matrix(ORDERS, values="count")
    # January cohort {1, 2}: both in January, 1 in February, both in March.
    # February cohort {3}: February only; March not yet ... observed (NaN beyond the end).
    assert counts.loc["2024-01"].tolist() == [2.0, 1.0, 2.0]
    assert counts.loc["2024-02"].tolist()[:2] == [1.0, 0.0]
    assert np.isnan(counts.loc["2024-02", 2])
    fractions = rk.cohort_matrix(ORDERS)
    assert fractions.loc["2024-01"].tolist() == [1.0, 0.5, 1.0]
    unbounded = rk.cohort_matrix(ORDERS, kind="unbounded", values="count")
    # Active in February or later: 1 and 2 (2 is back in March).
    assert unbounded.loc["2024-01", 1] == 2.0
    revenue = rk.cohort_matrix(ORDERS, amount="amount", values="revenue")
    # January cohort: 20 + 35 in January, 15 in February, 40 + 25 in March.
    assert revenue.loc["2024-01"].tolist() == [55.0, 15.0, 65.0]
    assert counts.index.name == "cohort" and counts.columns.name == "period"


def test_cohort_matrix_observation_end_and_bad_kind():
    m = rk.cohort_matrix(ORDERS, values="count", observation_end="2024-02-29")
    assert m.shape == (2, 2)
    with pytest.raises(rk.InvalidArgumentError, match="kind"):
        rk.cohort_matrix(ORDERS, kind="weekly")
    with pytest.raises(rk.InvalidArgumentError, match="values"):
        rk.cohort_matrix(ORDERS, values="share")


def test_bracket_retention_by_hand():
    # January cohort {1, 2}: 1 in Feb and Mar, 2 in Mar; February cohort {3}: Feb only.
    # Observed to 03-09, so March is partly observed and April not at all.
    b = rk.bracket_retention(ORDERS, [(0, 1), (1, 3), range(2, 3)], values="count")
    assert b.columns.tolist() == ["0", "1-2", "2"]
    assert b.index.name == "cohort" and b.columns.name == "bracket"
    # [0, 1): the sizes; [1, 3) Feb-Mar: 1 and 2; [2, 3) March: 1 and 2.
    assert b.loc["2024-01"].tolist() == [2.0, 2.0, 2.0]
    # February cohort: [1, 3) is Mar-Apr: nobody; [2, 3) is April: not observed (NaN).
    feb = b.loc["2024-02"].tolist()
    assert feb[:2] == [1.0, 0.0] and np.isnan(feb[2])
    # Partial: every bracket holding March (or later), not the acquisition months.
    partial = b.attrs["partial"]
    assert partial.loc["2024-01"].tolist() == [False, True, True]
    assert partial.loc["2024-02"].tolist() == [False, True, True]
    # An open bracket: from month 1 on, 1 and 2 of January's cohort, nobody of February's.
    o = rk.bracket_retention(ORDERS, [(1, None)], values="count")
    assert o.columns.tolist() == ["1+"] and o["1+"].tolist() == [2.0, 0.0]
    f = rk.bracket_retention(ORDERS, [(1, 3)])
    assert f["1-2"].tolist() == [1.0, 0.0]  # 2 of 2, 0 of 1


def test_bracket_retention_rejects_bad_brackets():
    for bad in (["x"], [(1,)], [(3, 1)], [(-1, 2)], [(True, 2)], [(0, 2**32)], [range(0, 4, 2)]):
        with pytest.raises(rk.InvalidArgumentError, match="brackets"):
            rk.bracket_retention(ORDERS, bad)
    with pytest.raises(rk.InvalidArgumentError, match="order them by start"):
        rk.bracket_retention(ORDERS, [(2, 3), (1, 2)])
    with pytest.raises(rk.InvalidArgumentError, match="brackets"):
        rk.bracket_retention(ORDERS, [])
    with pytest.raises(rk.InvalidArgumentError, match="values"):
        rk.bracket_retention(ORDERS, [(1, 2)], values="revenue")


def test_summary_by_hand_in_days_and_weeks():
    s = rk.summary(ORDERS, amount="amount")
    assert s["frequency"].tolist() == [2.0, 1.0, 0.0]
    # Customer 1: first 01-03, last 03-09 = 66 days; observation end 03-09, so T = 66.
    assert s["recency"].tolist() == [66.0, 41.0, 0.0]
    assert s["T"].tolist() == [66.0, 66.0 - 17.0, 66.0 - 42.0]
    assert s["monetary_value"].tolist() == [20.0, 40.0, 0.0]  # (15 + 25) / 2, 40, none
    w = rk.summary(ORDERS, unit="weeks")
    assert w.loc[1, "recency"] == 66.0 / 7.0
    assert "monetary_value" not in w.columns


def test_rfm_values():
    r = rk.rfm(ORDERS, amount="amount")
    assert r["orders"].tolist() == [3, 2, 1]
    assert r["recency_days"].tolist() == [0, 8, 24]  # days from the last order to 03-09
    assert r["spend"].tolist() == [60.0, 75.0, 50.0]
    assert set(r.columns) >= {"r_score", "f_score", "m_score", "segment"}
    assert r["r_score"].between(1, 5).all()
