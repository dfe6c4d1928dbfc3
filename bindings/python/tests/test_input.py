"""Issue 19, "never wrong quietly": the input rules of docs/input.md as the Python
package applies them (customer ids, order dates), with the exception class and its
``column``/``row`` attributes."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest

import retentionkit as rk
from retentionkit import _input


def customers(ids, name="user"):
    """The customers of a log with these ids (one order each, on 2024-01-01 + row)."""
    days = np.arange(len(ids), dtype=np.int32) + 19_723  # 2024-01-01 is day 19723
    log = rk.TransactionLog(pd.DataFrame({name: pd.Series(ids, dtype=object), "d": days}),
                            customer_id=name, date="d")
    return log


def test_text_ids_are_trimmed_and_compared_exactly():
    # docs/input.md: `007`, `7`, `+7`, `7.0` are four customers; `7`, ` 7`, `7 ` one.
    log = customers(["007", "7", " 7", "7 ", "+7", "7.0"])
    assert log.num_customers == 4
    assert sorted(log.labels) == ["+7", "007", "7", "7.0"]


def test_identity_does_not_depend_on_other_rows():
    # "007" and "7" are two customers with or without a non-numeric id elsewhere.
    assert customers(["007", "7"]).num_customers == 2
    assert customers(["007", "7", "x"]).num_customers == 3
    # numpy unicode arrays follow the same rule.
    log = rk.TransactionLog.from_columns(np.array(["a", " a", "b"]), ["2024-01-01"] * 3)
    assert log.num_customers == 2


def test_integer_ids_are_integers():
    log = customers([1, 2, np.int64(1)])
    assert log.num_customers == 2
    assert log.labels is None


@pytest.mark.parametrize(
    "ids, row",
    [
        ([1, "1"], 1),  # used to give two customers both labelled 1
        ([1, "a", 2], 1),  # used to be accepted although the docs promise an error
        (["a", "b", 3], 2),
        ([1, True], 1),  # a bool is not an integer id
        (["a", 2.5], 1),
    ],
)
def test_a_mixed_object_column_names_the_column_and_first_offending_row(ids, row):
    with pytest.raises(rk.InvalidValueError) as info:
        customers(ids)
    # The row is the first whose kind differs from the first row's.
    assert info.value.column == "user"
    assert info.value.row == row
    assert f"column `user`, row {row}" in str(info.value)


def test_control_characters_and_empty_ids_are_rejected_at_their_row():
    with pytest.raises(rk.InvalidValueError) as info:
        customers(["ok", "a\0b"])
    assert (info.value.column, info.value.row) == ("user", 1)
    assert "control character (U+0000)" in str(info.value)
    with pytest.raises(rk.InvalidValueError) as info:
        customers(["ok", "x", "   "])
    assert (info.value.column, info.value.row) == ("user", 2)


@pytest.mark.parametrize(
    "dates, row, shown",
    [
        # The placeholders of issue 19, as numpy days, Python dates and ISO text.
        (np.array(["2024-01-01", "0001-01-01"], dtype="datetime64[D]"), 1, "0001-01-01"),
        ([dt.date(2024, 1, 1), dt.date(9999, 12, 31)], 1, "9999-12-31"),
        (np.array([19_723, -25_568], dtype=np.int32), 1, "1899-12-31"),  # day before 1900-01-01
        (np.array([84_006, 19_723], dtype=np.int32), 0, "2200-01-01"),  # day after 2199-12-31
    ],
)
def test_order_dates_outside_1900_through_2199_are_rejected_at_their_row(dates, row, shown):
    with pytest.raises(rk.InvalidValueError) as info:
        rk.TransactionLog(pd.DataFrame({"id": [1, 2], "when": dates}), customer_id="id", date="when")
    assert (info.value.column, info.value.row) == ("when", row)
    assert f"{shown} is outside the supported order dates 1900-01-01..=2199-12-31" in str(info.value)


def test_the_ends_of_the_date_range_are_orders():
    log = rk.TransactionLog.from_columns([1, 2], ["1900-01-01", "2199-12-31"])
    assert (str(log.first_date), str(log.last_date)) == ("1900-01-01", "2199-12-31")


def test_integer_dates_written_yyyymmdd_are_read_as_dates():
    # Issue 24: CDNOW ships dates as integers 19970101. 1997-01-01 is day 9862 since
    # 1970-01-01 (27 years, 7 of them leap: 27 * 365 + 7 = 9862); 1997-03-31 is
    # 9862 + 31 + 28 + 30 = 9951; 2000-02-29 (leap) is 9862 + 365 * 3 + 1 + 31 + 28 = 11016.
    ymd = np.array([19970101, 19970331, 20000229], dtype=np.int64)
    np.testing.assert_array_equal(_input.days(ymd), [9862, 9951, 11016])
    np.testing.assert_array_equal(_input.days(ymd.astype(np.int32)), [9862, 9951, 11016])
    # Day numbers stay day numbers.
    np.testing.assert_array_equal(_input.days(np.array([0, 9862])), [0, 9862])
    # Not every value a date: 19970230 (30 February) is neither a date nor a day number.
    with pytest.raises(rk.InvalidValueError, match=r"row 1: 19970230 is not a date written yyyymmdd like row "
                       r"0's 19970101"):
        _input.days(np.array([19970101, 19970230]))
    with pytest.raises(rk.InvalidValueError, match=r"row 0: 9862 is not a date written yyyymmdd like row 1's"):
        _input.days(np.array([9862, 19970101]))
    with pytest.raises(rk.InvalidValueError, match=r"row 1: day 5000000 is outside 0001-01-01..9999-12-31"):
        _input.days(np.array([9862, 5_000_000]))
    s = rk.summary(pd.DataFrame({"customer_id": [1, 1], "date": [19970101, 19970108]}), unit="weeks")
    assert s["recency"].tolist() == [1.0]


def test_date_format_reads_text_dates_in_other_formats():
    # Issue 24: a date_format as the CLI's --date-format. 03/02/2024 day-first is
    # 2024-02-03 = day 19756 (2024-01-01 is day 19723: 54 years, 13 of them leap,
    # 54 * 365 + 13 = 19723; + 31 + 2 = 19756).
    df = pd.DataFrame({"customer_id": [1, 1], "date": ["01/01/2024", "03/02/2024"]})
    log = rk.TransactionLog(df, date_format="%d/%m/%Y")
    assert (str(log.first_date), str(log.last_date)) == ("2024-01-01", "2024-02-03")
    np.testing.assert_array_equal(_input.days(df["date"], date_format="%d/%m/%Y"), [19723, 19756])
    with pytest.raises(rk.InvalidValueError, match=r"row 1: '2024-02-03' is not a date in the format '%d/%m/%Y'"):
        rk.TransactionLog(pd.DataFrame({"customer_id": [1, 1], "date": ["01/01/2024", "2024-02-03"]}),
                          date_format="%d/%m/%Y")
    with pytest.raises(rk.InvalidArgumentError, match="date_format"):
        _input.days(pd.to_datetime(pd.Series(["2024-01-01"])), date_format="%Y")


def test_a_misspelt_log_column_lists_the_columns_there_are():
    # Issue 24: date="Date" named neither the columns nor the keyword.
    df = pd.DataFrame({"customer_id": [1], "date": ["2024-01-01"]})
    with pytest.raises(rk.MissingColumnError, match=r"column `Date` is required for the transaction log but is "
                       r"not in the table; the table's columns are 'customer_id', 'date' \(name another with "
                       r"`date=`\)") as e:
        rk.summary(df, date="Date")
    assert e.value.column == "Date"
