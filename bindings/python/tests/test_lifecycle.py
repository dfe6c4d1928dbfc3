"""Lifecycle (growth) accounting (mirrors the core's lifecycle module).

The log of test_tables (README's Rust example): customer 1 orders in January, February
and March 2024; customer 2 in January and March; customer 3 in February.
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
COUNTS = ["new", "returning", "resurrecting", "dormant", "active"]


def test_monthly_lifecycle_by_hand():
    lc = rk.lifecycle(ORDERS)
    assert list(lc.index) == ["2024-01", "2024-02", "2024-03"]
    assert lc.index.name == "period"
    # January: 1, 2 new. February: 3 new, 1 returning, 2 dormant (shown -1).
    # March: 1 returning, 2 resurrecting (January, not February), 3 dormant.
    assert lc[COUNTS].values.tolist() == [[2, 0, 0, 0, 2], [1, 1, 0, -1, 2], [0, 1, 1, -1, 2]]
    # Quick ratio (new + resurrecting) / dormant: undefined in January, (1 + 0) / 1, (0 + 1) / 1.
    assert np.isnan(lc.loc["2024-01", "quick_ratio"])
    assert lc["quick_ratio"].tolist()[1:] == [1.0, 1.0]
    assert lc["complete"].tolist() == [True, True, False]  # the log ends on 9 March
    assert lc.loc["2024-02", "start"] == pd.Timestamp("2024-02-01")
    assert lc.loc["2024-02", "end"] == pd.Timestamp("2024-03-01")


def test_quarters_and_text_ids():
    orders = ORDERS.assign(customer_id=ORDERS.customer_id.map({1: "a", 2: "b", 3: "c"}))
    lc = rk.lifecycle(orders, granularity="quarter")
    # One quarter: all three customers order first in Q1.
    assert lc[COUNTS].values.tolist() == [[3, 0, 0, 0, 3]]
    log = rk.TransactionLog(orders, customer_id="customer_id", date="date")
    pd.testing.assert_frame_equal(rk.lifecycle(log, granularity="quarter"), lc)


def test_identities_hold_every_week():
    demo = rk.demo_shop(customers=300, days=200, seed=3)
    lc = rk.lifecycle(demo, granularity="week")
    assert (lc.active == lc.new + lc.returning + lc.resurrecting).all()
    # Active the week before = returning + dormant (dormant is shown negative).
    assert (lc.active.shift(1).fillna(0).astype(int) == lc.returning - lc.dormant).all()
    assert lc.new.sum() == demo.customer_id.nunique()  # every customer is new once


def test_bad_granularity_is_an_invalid_argument():
    with pytest.raises(rk.InvalidArgumentError):
        rk.lifecycle(ORDERS, granularity="decade")
