"""Merging results of disjoint parts: RFM tables (Rfm::merge) and Kaplan–Meier curves
(KaplanMeier::merge). The expected result of a merge is the single-machine function on
the whole input, a different route to the same numbers; the small cases are by hand."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import retentionkit as rk

DATA = Path(__file__).resolve().parents[3] / "tests" / "data"


def customer_parts(frame, column, n, seed=3):
    """``frame`` split into ``n`` customer-disjoint parts at random."""
    ids = frame[column].unique()
    bucket = dict(zip(ids, np.random.default_rng(seed).integers(0, n, len(ids))))
    b = frame[column].map(bucket)
    return [frame[b == i] for i in range(n)]


def test_rfm_merge_by_hand():
    # Customers 1 (days 0, 40), 2 (day 10), 3 (day 39), observed to day 40: recency 0, 30, 1.
    # Scores rank the negated recency: -30 (L = 0) -> 1 + 5·0/3 = 1, -1 (L = 1) -> 1 + 5/3 = 2,
    # -0 (L = 2) -> 1 + 10/3 = 4. Orders 2, 1, 1: ties at the bottom score 1, the 2 -> 1 + 10/3 = 4.
    a = rk.rfm(rk.TransactionLog.from_columns([1, 1], [0, 40], [5.0, 7.0]), observation_end=40)
    b = rk.rfm(rk.TransactionLog.from_columns([3, 2], [39, 10], [1.0, 2.0]), observation_end=40)
    m = rk.merge_rfm([b, a])
    assert m.index.tolist() == [1, 2, 3]
    assert m["recency_days"].tolist() == [0, 30, 1]
    assert m["spend"].tolist() == [12.0, 2.0, 1.0]
    assert m["r_score"].tolist() == [4, 1, 2]
    assert m["f_score"].tolist() == [4, 1, 1]
    assert m.attrs["observation_end"] == np.datetime64(40, "D")


@pytest.mark.parametrize("parts", [1, 2, 5])
def test_rfm_of_customer_parts_merges_into_the_whole(cdnow, parts):
    end = cdnow["date"].max()
    cols = dict(customer_id="id", date="date", amount="amount", observation_end=end)
    whole = rk.rfm(cdnow, **cols)
    merged = rk.merge_rfm([rk.rfm(p, **cols) for p in customer_parts(cdnow, "id", parts) if len(p)])
    # Spend is a sum per customer: each customer's rows are in one part, added in the same order.
    pd.testing.assert_frame_equal(merged, whole, check_exact=True)


def test_rfm_merge_with_string_ids():
    orders = pd.DataFrame({"who": ["bo", "al", "cy", "al"], "day": [3, 1, 2, 5]})
    whole = rk.rfm(orders, customer_id="who", date="day")
    parts = [rk.rfm(orders[orders.who == w], customer_id="who", date="day", observation_end=5) for w in ("cy", "al", "bo")]
    pd.testing.assert_frame_equal(rk.merge_rfm(parts), whole, check_exact=True)


def test_rfm_merge_errors():
    a = rk.rfm(rk.TransactionLog.from_columns([1, 2], [0, 4], [1.0, 2.0]))
    with pytest.raises(rk.IncompatibleError, match="customer 2 is in more than one part"):
        rk.merge_rfm([a, rk.rfm(rk.TransactionLog.from_columns([2], [4], [1.0]))])
    with pytest.raises(rk.IncompatibleError, match="observation end"):
        rk.merge_rfm([a, rk.rfm(rk.TransactionLog.from_columns([3], [3], [1.0]))])  # ends on day 3
    with pytest.raises(rk.IncompatibleError, match="amounts"):
        rk.merge_rfm([a, rk.rfm(rk.TransactionLog.from_columns([3], [4]))])
    with pytest.raises(rk.IncompatibleError, match="retentionkit.rfm"):
        rk.merge_rfm([a, pd.DataFrame(a)])  # a plain copy has no observation end
    with pytest.raises(rk.EmptyError):
        rk.merge_rfm([])
    bad = a.copy()
    bad["orders"] = [-1, 2]
    with pytest.raises(rk.InvalidValueError, match="orders"):
        rk.merge_rfm([bad])
    # The core's checks of a part's values (Rfm::from_values), row named.
    bad["orders"] = [1, 0]
    with pytest.raises(rk.InvalidValueError, match=r"column `orders`, row 1: .*at least one order"):
        rk.merge_rfm([bad])
    twice = pd.concat([a, a.iloc[:1]])  # customer 1 twice in one part
    with pytest.raises(rk.InvalidValueError, match=r"row 2: customer 1 has more than one row"):
        rk.merge_rfm([twice])


def test_kaplan_meier_merge_by_hand():
    # All five: t = 1: 1 − 1/5 = 0.8; t = 2: at risk 4, one event: 0.8 × 3/4 = 0.6;
    # t = 3: at risk 2, one event: 0.3; t = 4 censored. Median: first S <= 0.5, t = 3.
    a = rk.kaplan_meier([2, 1, 2], [True, True, False])
    b = rk.kaplan_meier([4, 3], [False, True])
    km = rk.KaplanMeier.merge([a, b], horizon=4)
    np.testing.assert_allclose(km.table["survival"], [0.8, 0.6, 0.3, 0.3], rtol=1e-15)
    assert km.table["at_risk"].tolist() == [5, 4, 2, 1]
    assert km.median == 3.0
    # Restricted mean to 4: 1 × 1 + 0.8 × 1 + 0.6 × 1 + 0.3 × 1 = 2.7.
    assert km.restricted_mean == pytest.approx(2.7, rel=1e-12)


@pytest.mark.parametrize("parts", [2, 3, 7])
def test_kaplan_meier_of_parts_equals_the_whole(parts):
    fixture = pd.read_csv(DATA / "survival" / "fixture.csv")
    whole = rk.kaplan_meier(fixture["duration"], fixture["observed"], confidence_level=0.9, horizon=12)
    rng = np.random.default_rng(parts)
    part = rng.integers(0, parts, len(fixture))
    kms = [
        rk.kaplan_meier(fixture["duration"][part == i], fixture["observed"][part == i], confidence_level=0.9)
        for i in range(parts)
        if (part == i).any()
    ]
    merged = rk.KaplanMeier.merge(kms, horizon=12)
    # The core's merge is property-tested equal to the whole, bit for bit.
    pd.testing.assert_frame_equal(merged.table, whole.table, check_exact=True)
    assert (merged.median, merged.restricted_mean, merged.confidence_level) == (
        whole.median,
        whole.restricted_mean,
        0.9,
    )


def test_kaplan_meier_merge_errors():
    a = rk.kaplan_meier([1, 2], [True, False])
    with pytest.raises(rk.IncompatibleError, match="confidence levels"):
        rk.KaplanMeier.merge([a, rk.kaplan_meier([3], [True], confidence_level=0.9)])
    with pytest.raises(rk.EmptyError):
        rk.KaplanMeier.merge([])
    with pytest.raises(rk.InvalidArgumentError):
        rk.KaplanMeier.merge([a], horizon=-1.0)
    broken = rk.KaplanMeier(a.table.iloc[::-1], a.median, a.restricted_mean, a.confidence_level)
    with pytest.raises(rk.InvalidValueError, match=r"increasing \(curve 1\)"):
        rk.KaplanMeier.merge([a, broken])
    table = a.table.copy()
    table["events"] = 0
    table["censored"] = [1, 0]
    empty_row = rk.KaplanMeier(table, a.median, a.restricted_mean, a.confidence_level)
    with pytest.raises(rk.InvalidValueError, match=r"row 1: time 2(\.0)? has neither events nor censorings \(curve 0\)"):
        rk.KaplanMeier.merge([empty_row, rk.kaplan_meier([3], [True])])
