"""The transaction log: every accepted input form, the kept core log, and the column names in errors."""

import datetime as dt
import pickle

import numpy as np
import pandas as pd
import polars as pl
import pytest

import retentionkit as rk

# Three orders: customer "b" on 2024-01-03 (day 19725 since 1970-01-01: 54 years with
# 13 leap days = 54*365 + 13 = 19723 days to 2024-01-01, plus 2) and 2024-02-02, "a" on 2024-01-09.
DAYS = [19725, 19731, 19755]
ISO = ["2024-01-03", "2024-01-09", "2024-02-02"]
IDS = ["b", "a", "b"]
AMOUNTS = [20.0, 35.0, 15.0]


def frequencies(log):
    return rk.summary(log)["frequency"].tolist()


@pytest.mark.parametrize(
    "dates",
    [
        ISO,
        [dt.date(2024, 1, 3), dt.date(2024, 1, 9), dt.date(2024, 2, 2)],
        [dt.datetime(2024, 1, 3, 23, 59), dt.datetime(2024, 1, 9, 0, 1), dt.datetime(2024, 2, 2, 12)],
        np.array(ISO, dtype="datetime64[D]"),
        np.array(ISO, dtype="datetime64[ns]"),
        np.array(["2024-01-03T10", "2024-01-09T00", "2024-02-02T23"], dtype="datetime64[h]"),
        pd.to_datetime(pd.Series(ISO)),
        pd.to_datetime(pd.Series(ISO)).dt.tz_localize("Europe/Berlin"),
        pd.Series(ISO, dtype="string"),
        # Arrow date32, as pandas' Parquet reader gives it (read by one cast).
        pd.Series([dt.date(2024, 1, 3), dt.date(2024, 1, 9), dt.date(2024, 2, 2)], dtype="date32[pyarrow]"),
        pl.Series(ISO).str.to_date(),
        pl.Series(ISO).str.to_datetime(),
        pl.Series(ISO),
        np.array(DAYS, dtype=np.int32),
        np.array(DAYS, dtype=np.int64),
    ],
)
def test_every_date_form_gives_the_same_days(dates):
    log = rk.TransactionLog.from_columns(IDS, dates, AMOUNTS)
    np.testing.assert_array_equal(log.days, DAYS)
    assert log.days.dtype == np.int32


@pytest.mark.parametrize(
    "ids,expected_index",
    [
        (["b", "a", "b"], ["a", "b"]),
        (np.array(["b", "a", "b"]), ["a", "b"]),
        (pd.Series(["b", "a", "b"], dtype="category"), ["a", "b"]),
        (pl.Series(["b", "a", "b"]), ["a", "b"]),
        (pl.Series(["b", "a", "b"], dtype=pl.Categorical), ["a", "b"]),
        ([7, 3, 7], [3, 7]),
        (np.array([7, 3, 7], dtype=np.uint64), [3, 7]),
        (np.array([7, 3, 7], dtype=np.int32), [3, 7]),
        (pd.Series([7, 3, 7], dtype="Int64"), [3, 7]),
        (pl.Series([7, 3, 7]), [3, 7]),
        (np.array([7.0, 3.0, 7.0]), [3, 7]),
    ],
)
def test_integer_and_string_ids_show_the_users_ids(ids, expected_index):
    s = rk.summary(rk.TransactionLog.from_columns(ids, ISO, AMOUNTS))
    assert list(s.index) == expected_index
    # "a" (or 3) bought once; "b" (or 7) on 2024-01-03 and 2024-02-02: x = 1, t_x = 30 days.
    assert s["frequency"].tolist() == [0.0, 1.0]
    assert s["recency"].tolist() == [0.0, 30.0]


def test_pandas_and_polars_frames_with_user_column_names():
    pdf = pd.DataFrame({"user": IDS, "day": pd.to_datetime(ISO), "price": AMOUNTS})
    plf = pl.DataFrame({"user": IDS, "day": pl.Series(ISO).str.to_date(), "price": AMOUNTS})
    for frame in [pdf, plf, pdf.to_dict("list")]:
        s = rk.summary(frame, customer_id="user", date="day", amount="price")
        if frame is plf:
            # polars in, polars out: the customer id is the first column.
            assert isinstance(s, pl.DataFrame) and s.columns[0] == "customer_id"
            s = s.to_pandas().set_index("customer_id")
        # "b": repeat day 2024-02-02 spent 15.
        assert s.loc["b", "monetary_value"] == 15.0


def test_the_log_keeps_its_own_checked_columns():
    # The core validates the columns once and keeps a copy: changing the
    # caller's arrays afterwards changes nothing, and the columns read back
    # are copies too.
    ids = np.array([1, 2, 1], dtype=np.int64)
    amounts = np.array(AMOUNTS)
    days = np.array(DAYS, dtype=np.int32)
    log = rk.TransactionLog.from_columns(ids, days, amounts)
    before = rk.summary(log)
    ids[:] = 9
    amounts[:] = np.nan
    days[:] = 0
    assert not np.shares_memory(log.ids, ids)
    np.testing.assert_array_equal(log.ids, [1, 2, 1])
    np.testing.assert_array_equal(log.days, DAYS)
    np.testing.assert_array_equal(log.amounts, AMOUNTS)
    pd.testing.assert_frame_equal(rk.summary(log), before)
    copy = log.ids
    copy[:] = 5
    np.testing.assert_array_equal(log.ids, [1, 2, 1])


def test_a_one_off_call_on_a_frame_borrows_its_columns():
    # rk.summary(frame) does not keep a log: the int64 ids, int32 days and
    # float64 amounts reach the core without a copy (memory: a 10^7-row log
    # would otherwise take 200 MB more), and the result is the kept log's.
    frame = pd.DataFrame(
        {"customer_id": np.array([1, 2, 1]), "date": np.array(DAYS, dtype=np.int32), "amount": AMOUNTS}
    )
    one_off = rk._log.as_log(frame, amount="amount")
    ids, days, amounts = one_off._arg
    assert np.shares_memory(ids, frame["customer_id"].to_numpy())
    assert np.shares_memory(days, frame["date"].to_numpy())
    assert np.shares_memory(amounts, frame["amount"].to_numpy())
    kept = rk.TransactionLog(frame, amount="amount")
    pd.testing.assert_frame_equal(rk.summary(frame, amount="amount"), rk.summary(kept))


def test_a_bad_log_fails_when_it_is_made_not_at_first_use():
    with pytest.raises(rk.InvalidValueError, match=r"column `amount`, row 1: NaN is not an amount"):
        rk.TransactionLog.from_columns([1, 2], ISO[:2], [1.0, np.nan])


def test_the_log_pickles_with_its_string_ids():
    log = rk.TransactionLog.from_columns(IDS, ISO, AMOUNTS)
    again = pickle.loads(pickle.dumps(log))
    assert repr(again) == repr(log)
    pd.testing.assert_frame_equal(rk.summary(again), rk.summary(log))
    # "b": repeat day 2024-02-02 spent 15, as in the log before pickling.
    assert rk.summary(again).loc["b", "monetary_value"] == 15.0


def test_repr_and_properties():
    log = rk.TransactionLog.from_columns(IDS, ISO, AMOUNTS)
    assert repr(log) == (
        "TransactionLog(rows=3, customers=2, first='2024-01-03', last='2024-02-02', amounts=True)"
    )
    assert (len(log), log.num_customers) == (3, 2)


def test_bad_values_name_the_users_column_and_row():
    frame = pd.DataFrame({"user": [1, 2, 3], "day": ISO, "price": [1.0, -2.0, 3.0]})
    with pytest.raises(rk.InvalidValueError, match=r"column `price`, row 1: negative amount -2"):
        rk.summary(frame, customer_id="user", date="day", amount="price")
    frame = pd.DataFrame({"user": [1, 2, 3], "day": ["2024-01-03", "soon", "2024-02-02"]})
    with pytest.raises(rk.InvalidValueError, match=r"column `day`, row 1: 'soon' is not a date"):
        rk.summary(frame, customer_id="user", date="day")
    frame = pd.DataFrame({"user": [1, None, 3], "day": ISO})
    with pytest.raises(rk.InvalidValueError, match=r"column `user`, row 1: missing value"):
        rk.summary(frame, customer_id="user", date="day")
    with pytest.raises(rk.InvalidValueError, match=r"column `customer_id`, row 2: negative id -1"):
        rk.TransactionLog.from_columns(np.array([1, 2, -1]), ISO)
    with pytest.raises(rk.InvalidValueError, match=r"column `date`, row 0: missing date"):
        rk.TransactionLog.from_columns([1], np.array(["NaT"], dtype="datetime64[D]"))
    with pytest.raises(rk.InvalidValueError, match=r"column `amount`, row 2"):
        rk.TransactionLog.from_columns([1, 2, 3], ISO, [1.0, 2.0, float("nan")])


def test_pandas_is_imported_only_when_a_call_needs_it():
    # A fresh interpreter: importing the package, building a log from numpy columns,
    # the KPIs of one period (dates as date, datetime64 and datetime arguments) and
    # model predictions on arrays need no pandas; the first DataFrame result imports it.
    import subprocess
    import sys

    code = """
import sys, datetime as dt, numpy as np
import retentionkit as rk
assert "pandas" not in sys.modules, "import"
cols = {"customer_id": np.array([1, 2, 1], dtype=np.int64),
        "date": np.array(["2024-01-03", "2024-01-09", "2024-02-02"], dtype="datetime64[D]")}
k = rk.period_kpis(cols, dt.date(2024, 2, 1), np.datetime64("2024-03-01"), lookback_months=1)
assert (k.start_customers, k.end_customers, k.retained) == (2, 1, 1), k
k2 = rk.period_kpis(cols, dt.datetime(2024, 2, 1, 23, 30), "2024-03-01", lookback_months=1)
assert k2 == k, k2
p = rk.BetaGeo(r=0.243, alpha=4.414, a=0.793, b=2.426).conditional_probability_alive(
    np.array([2.0]), np.array([30.43]), np.array([38.86]))
assert "pandas" not in sys.modules, "period_kpis or a prediction"
rk.summary(cols)
assert "pandas" in sys.modules
print("ok")
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.strip() == "ok", out.stderr


@pytest.mark.parametrize(
    "value, expected",
    [
        (dt.date(2024, 1, 3), 19725),
        (dt.datetime(2024, 1, 3, 23, 59), 19725),
        (dt.datetime(2024, 1, 3, 1, 0, tzinfo=dt.timezone(dt.timedelta(hours=-5))), 19725),  # wall date
        (np.datetime64("2024-01-03T23:00"), 19725),
        (np.datetime64("1969-12-31T12:00"), -1),  # rounded down, as pandas' normalize()
        (pd.Timestamp("2024-01-03 10:00", tz="Europe/Berlin"), 19725),
        (dt.date(3000, 1, 1), 376200),  # beyond pandas' Timestamp range; 1,030 years from 1970:
        # 1,030 * 365 + 250 leap days (257 multiples of 4, less 10 of 100, plus 3 of 400)
        ("2024-01-03", 19725),
        (19725, 19725),
    ],
)
def test_one_date_argument(value, expected):
    assert rk._input.day(value, "observation_end") == expected
