"""Bad inputs, one table: each gives the package's typed error with the attributes that
locate it (``column``/``row`` for a bad value, ``argument`` for a bad argument), never a
pandas or builtins exception, a NaN or an infinity.

Each expected row is the 0-based position of the first bad value in the input written in
the case; each expected argument or column is the name the case passes.
"""

import numpy as np
import pandas as pd
import pytest

import retentionkit as rk

DAYS3 = ["2024-01-01", "2024-01-02", "2024-01-03"]


def frame(ids=(1, 2, 3), dates=DAYS3, amounts=None):
    d = {"customer_id": list(ids), "date": list(dates)}
    if amounts is not None:
        d["amount"] = list(amounts)
    return pd.DataFrame(d)


def log(ids=(1, 2, 3), dates=DAYS3, amounts=None):
    return rk.TransactionLog.from_columns(list(ids), list(dates), None if amounts is None else list(amounts))


def subs(mrr=(10.0, 20.0), end=(None, None)):
    return rk.SubscriptionLog.from_columns([1, 2], ["2024-01-01", "2024-02-01"], list(end), list(mrr))


SHOP = log([1, 1, 2, 2, 3], ["2024-01-01", "2024-02-01", "2024-01-05", "2024-03-01", "2024-03-02"])
SHOP_AMOUNTS = log(
    [1, 1, 2, 2, 3], ["2024-01-01", "2024-02-01", "2024-01-05", "2024-03-01", "2024-03-02"], [5.0, 6.0, 7.0, 8.0, 9.0]
)
BIG = 1e308  # two of them sum to inf (> 1.8e308)
SCENARIO = dict(customers=1e10, value_per_period=1e300, retention=0.9)  # CLV 1e301, revenue 1e311

# (id, call, error class, attributes the error must carry)
CASES = [
    # the transaction log: empty, lengths, amounts, dates, ids
    ("empty frame", lambda: rk.summary(frame([], [])), rk.EmptyError, {}),
    (
        "empty frame of object columns",
        lambda: rk.summary(pd.DataFrame({"customer_id": pd.Series([], dtype=object), "date": pd.Series([], dtype=object)})),
        rk.EmptyError,
        {},
    ),
    ("dates shorter than ids", lambda: log([1, 2, 3], ["2024-01-01"]), rk.LengthMismatchError, {"column": "date", "expected": 3, "got": 1}),
    ("amounts shorter than ids", lambda: log(amounts=[1.0]), rk.LengthMismatchError, {"column": "amount", "expected": 3, "got": 1}),
    ("NaN amount", lambda: rk.summary(frame(amounts=[1.0, np.nan, 3.0]), amount="amount"), rk.InvalidValueError, {"column": "amount", "row": 1}),
    (
        "None amount in an object column",
        lambda: rk.summary(frame(amounts=pd.Series([1.0, None, 3.0], dtype=object)), amount="amount"),
        rk.InvalidValueError,
        {"column": "amount", "row": 1},
    ),
    ("negative amount", lambda: log(amounts=[1.0, 2.0, -3.0]), rk.InvalidValueError, {"column": "amount", "row": 2}),
    ("infinite amount", lambda: log(amounts=[np.inf, 2.0, 3.0]), rk.InvalidValueError, {"column": "amount", "row": 0}),
    ("two amounts of 1e308", lambda: log([7, 7, 8], amounts=[BIG, BIG, 1.0]), rk.InvalidValueError, {"column": "amount", "row": 0}),
    ("amount above 2^53", lambda: log(amounts=[1.0, 2.0**53 + 2, 3.0]), rk.InvalidValueError, {"column": "amount", "row": 1}),
    ("amounts as text", lambda: rk.summary(frame(amounts=["1", "2", "3"]), amount="amount"), rk.InvalidArgumentError, {}),
    ("a date that is not a date", lambda: log(dates=["2024-01-01", "soon", "2024-01-03"]), rk.InvalidValueError, {"column": "date", "row": 1}),
    ("a missing date", lambda: log(dates=pd.Series(["2024-01-01", None, "2024-01-03"])), rk.InvalidValueError, {"column": "date", "row": 1}),
    ("NaT", lambda: rk.summary(frame(dates=pd.to_datetime(["2024-01-01", None, "2024-01-03"]))), rk.InvalidValueError, {"column": "date", "row": 1}),
    ("day number out of range", lambda: log(dates=np.array([0, 10**9, 1], dtype=np.int64)), rk.InvalidValueError, {"column": "date", "row": 1}),
    ("a missing id", lambda: rk.summary(frame(ids=[1, None, 3])), rk.InvalidValueError, {"column": "customer_id", "row": 1}),
    ("a fractional id", lambda: rk.summary(frame(ids=[1.0, 2.5, 3.0])), rk.InvalidValueError, {"column": "customer_id", "row": 1}),
    ("a NaN id", lambda: rk.summary(frame(ids=[1.0, 2.0, np.nan])), rk.InvalidValueError, {"column": "customer_id", "row": 2}),
    ("a negative id", lambda: log(ids=np.array([1, -2, 3], dtype=np.int64)), rk.InvalidValueError, {"column": "customer_id", "row": 1}),
    ("a Python int id past 2**64 - 1", lambda: rk.summary(frame(ids=pd.Series([1, 2**64, 3], dtype=object))), rk.InvalidValueError, {"column": "customer_id", "row": 1}),
    ("ids past 2**63 - 1 with a negative id", lambda: rk.summary(frame(ids=pd.Series([1, -2, 2**63], dtype=object))), rk.InvalidValueError, {"column": "customer_id", "row": 1}),
    ("a column that is not there", lambda: rk.summary(frame(), customer_id="user"), rk.MissingColumnError, {"column": "user"}),
    # arguments
    ("lookback_days=-5", lambda: rk.kpis(SHOP, lookback_days=-5), rk.InvalidArgumentError, {"argument": "lookback_days"}),
    ("lookback_months=-1", lambda: rk.kpis(SHOP, lookback_months=-1), rk.InvalidArgumentError, {"argument": "lookback_months"}),
    ("lookback_days=2.5", lambda: rk.kpis(SHOP, lookback_days=2.5), rk.InvalidArgumentError, {"argument": "lookback_days"}),
    ("unknown granularity", lambda: rk.kpis(SHOP, granularity="fortnight"), rk.InvalidArgumentError, {"argument": "granularity"}),
    ("unknown unit", lambda: rk.summary(SHOP, unit="Days"), rk.InvalidArgumentError, {"argument": "unit"}),
    (
        "unknown holdout_spend",
        lambda: rk.calibration_and_holdout(SHOP_AMOUNTS, "2024-01-31", holdout_spend="per_row"),
        rk.InvalidArgumentError,
        {"argument": "holdout_spend"},
    ),
    (
        "observation end before the calibration end",
        lambda: rk.calibration_and_holdout(SHOP, "2024-02-15", "2024-02-01"),
        rk.InvalidArgumentError,
        {"argument": "observation_end"},
    ),
    ("unknown cohort kind", lambda: rk.cohort_matrix(SHOP, kind="weekly"), rk.InvalidArgumentError, {"argument": "kind"}),
    ("revenue matrix without amounts", lambda: rk.cohort_matrix(SHOP, values="revenue"), rk.MissingColumnError, {"column": "amount"}),
    ("a daily matrix of 20 years", lambda: rk.cohort_matrix(log([1, 2], ["2000-01-01", "2020-01-01"]), granularity="day"), rk.TooLargeError, {"got": 7306}),
    # scalar formulas
    ("AOV of NaN revenue", lambda: rk.average_order_value(float("nan"), 3), rk.InvalidArgumentError, {"argument": "revenue"}),
    ("AOV of no orders", lambda: rk.average_order_value(10.0, 0), rk.ZeroDenominatorError, {}),
    ("retention with S = 0", lambda: rk.retention_rate(0, 0, 0), rk.ZeroDenominatorError, {}),
    ("subscription CLV overflowing", lambda: rk.subscription_clv(BIG, 1.0, 0.01), rk.InvalidArgumentError, {"argument": "arpa"}),
    ("discounted CLV overflowing", lambda: rk.discounted_clv(BIG, 0.9, 0.0), rk.InvalidArgumentError, {"argument": "margin"}),
    ("scenario revenue overflowing", lambda: rk.Scenario(**SCENARIO).outcome(), rk.InvalidArgumentError, {"argument": "customers"}),
    ("scenario retention 1.5", lambda: rk.Scenario(customers=10, value_per_period=1, retention=1.5).outcome(), rk.InvalidArgumentError, {"argument": "retention"}),
    # subscriptions
    ("subscription ending before it starts", lambda: subs(end=("2023-12-01", None)), rk.InvalidValueError, {"column": "end", "row": 0}),
    ("NaN MRR", lambda: subs(mrr=(10.0, float("nan"))), rk.InvalidValueError, {"column": "mrr", "row": 1}),
    ("MRR of 1e308", lambda: subs(mrr=(BIG, 1.0)), rk.InvalidValueError, {"column": "mrr", "row": 0}),
    # models and survival
    ("BG/NBD with a negative parameter", lambda: rk.BgNbd(r=0.2, alpha=-1.0, a=0.8, b=2.4), rk.InvalidArgumentError, {"argument": "alpha"}),
    ("BG/NBD with a missing parameter", lambda: rk.BgNbd(r=0.2, alpha=1.0, a=0.8), rk.InvalidArgumentError, {"argument": "params"}),
    ("unfitted model", lambda: rk.BgNbd().conditional_probability_alive(1, 2.0, 3.0), rk.InvalidArgumentError, {"argument": "self"}),
    ("Kaplan-Meier with a negative duration", lambda: rk.kaplan_meier([1.0, -2.0], [True, True]), rk.InvalidValueError, {"column": "durations", "row": 1}),
    ("Kaplan-Meier confidence 1.5", lambda: rk.kaplan_meier([1.0, 2.0], [True, False], confidence_level=1.5), rk.InvalidArgumentError, {"argument": "confidence_level"}),
]


@pytest.mark.parametrize("call,cls,attributes", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_gives_a_typed_error_that_locates_it(call, cls, attributes):
    with pytest.raises(rk.RetentionError) as caught:
        call()
    err = caught.value
    assert type(err) is cls, f"{type(err).__name__}: {err}"
    for name, want in attributes.items():
        assert getattr(err, name) == want, f"{name} of {err!r}"


def test_the_table_is_long_enough():
    # Issue 19 asks for at least 40 cases in Python.
    assert len(CASES) >= 40


def test_mixed_utc_offsets_give_each_value_its_wall_clock_date():
    # pandas refuses to parse one column with two offsets; each value keeps its own
    # wall-clock date, as for a column with one time zone: 2024-01-01 and 2024-01-02.
    f = frame([1, 1], ["2024-01-01T23:30:00+01:00", "2024-01-02T00:30:00+05:00"])
    s = rk.summary(f)
    assert s.loc[1].tolist()[:3] == [1.0, 1.0, 1.0]  # one repeat day, 1 day later, T = 1


def test_a_cohort_without_mrr_has_no_revenue_retention_row():
    # Cohort 2024-01: customer 1 at 10. Cohort 2024-02: customer 2 on a free plan (MRR 0),
    # so its revenue retention (MRR / month-0 MRR) is 0 / 0: no row, listed in attrs.
    s = subs(mrr=(10.0, 0.0))
    m = rk.subscription_cohorts(s, "2024-05-01", values="mrr_retention")
    assert list(m.index) == ["2024-01"]
    assert m.attrs["cohorts_without_mrr"] == ["2024-02"]
    # 10 / 10 at the end of January to April, the months fully observed by 2024-05-01.
    assert m.loc["2024-01"].dropna().tolist() == [1.0, 1.0, 1.0, 1.0]
    assert not np.isnan(m.to_numpy()[:, :4]).any()
    counts = rk.subscription_cohorts(s, "2024-05-01", values="count")
    assert list(counts.index) == ["2024-01", "2024-02"]  # the cohort is there in the counts
