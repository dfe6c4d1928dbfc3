"""One exception class per core error variant, all RetentionError and ValueError,
in the retentionkit package, with the core error's fields as attributes, picklable."""

import copy
import pickle

import numpy as np
import pandas as pd
import pytest

import retentionkit as rk
from retentionkit import _retentionkit as _rk

CLASSES = [
    rk.EmptyError,
    rk.LengthMismatchError,
    rk.InvalidValueError,
    rk.ZeroDenominatorError,
    rk.InvalidArgumentError,
    rk.MissingColumnError,
    rk.IncompatibleError,
    rk.TooLargeError,
]


@pytest.mark.parametrize("cls", CLASSES)
def test_every_class_is_a_retention_error_and_a_value_error(cls):
    assert issubclass(cls, rk.RetentionError)
    assert issubclass(cls, ValueError)
    assert cls is not rk.RetentionError


def test_classes_are_distinct():
    assert len(set(CLASSES)) == len(CLASSES)


def test_empty():
    with pytest.raises(rk.EmptyError, match="transaction log is empty"):
        rk.TransactionLog.from_columns([], np.array([], dtype=np.int32))


def test_length_mismatch():
    with pytest.raises(rk.LengthMismatchError, match=r"column `date` has 1 rows, expected 2"):
        rk.TransactionLog.from_columns([1, 2], ["2024-01-01"])


def test_invalid_value():
    with pytest.raises(rk.InvalidValueError, match=r"column `amount`, row 0"):
        rk.TransactionLog.from_columns([1], ["2024-01-01"], [float("inf")])


def test_zero_denominator():
    with pytest.raises(rk.ZeroDenominatorError, match=r"customers at period start \(S\) is zero"):
        rk.retention_rate(0, 5, 5)
    with pytest.raises(rk.ZeroDenominatorError):
        rk.average_order_value(10.0, 0)


def test_invalid_argument():
    log = rk.TransactionLog.from_columns([1], ["2024-01-01"])
    with pytest.raises(rk.InvalidArgumentError, match="granularity"):
        rk.kpis(log, granularity="fortnight")
    with pytest.raises(rk.InvalidArgumentError, match="observation_end"):
        rk.summary(log, observation_end="2023-12-31")


def test_missing_column():
    with pytest.raises(rk.MissingColumnError, match=r"column `when` is required"):
        rk.summary({"customer_id": [1], "date": ["2024-01-01"]}, date="when")
    log = rk.TransactionLog.from_columns([1], ["2024-01-01"])
    with pytest.raises(rk.MissingColumnError, match=r"column `amount`"):
        rk.cohort_matrix(log, values="revenue")


def test_too_large():
    # A daily cohort matrix may span at most 3,660 periods (ten years of days).
    log = rk.TransactionLog.from_columns([1, 2], ["2000-01-01", "2020-01-01"])
    with pytest.raises(rk.TooLargeError, match="3660"):
        rk.cohort_matrix(log, granularity="day")


def test_incompatible_is_raised_from_python_too():
    with pytest.raises(rk.RetentionError):
        raise rk.IncompatibleError("cannot merge partial results: different units")


# --- where the classes live, their attributes, pickling -----------------------------------

ALL = [rk.RetentionError, *CLASSES]
ATTRIBUTES = ("column", "row", "value", "argument", "expected", "got")


@pytest.mark.parametrize("cls", ALL)
def test_classes_belong_to_the_package(cls):
    assert cls.__module__ == "retentionkit"
    assert getattr(rk, cls.__name__) is cls
    # The native module raises the same class objects the package exports.
    assert getattr(_rk, cls.__name__) is cls


@pytest.mark.parametrize("cls", ALL)
def test_a_message_alone_leaves_every_attribute_none(cls):
    err = cls("argument `horizon`: negative")
    assert str(err) == "argument `horizon`: negative"
    assert err.args == ("argument `horizon`: negative",)
    assert {a: getattr(err, a) for a in ATTRIBUTES} == dict.fromkeys(ATTRIBUTES)


def test_attributes_as_keywords():
    err = rk.InvalidValueError("column `amount`, row 3: NaN", column="amount", row=3, value=float("inf"))
    assert (err.column, err.row, err.value) == ("amount", 3, float("inf"))
    assert (err.argument, err.expected, err.got) == (None, None, None)
    assert str(err) == "column `amount`, row 3: NaN"
    assert repr(err) == "InvalidValueError('column `amount`, row 3: NaN', column='amount', row=3, value=inf)"
    with pytest.raises(TypeError):
        rk.InvalidValueError("message", colum="amount")


def every_attribute_set(cls):
    return cls("the message", column="c", row=7, value=-3.5, argument="a", expected=10, got=9)


@pytest.mark.parametrize("cls", ALL)
def test_pickle_round_trip(cls):
    err = every_attribute_set(cls)
    if hasattr(err, "add_note"):  # Python >= 3.11; notes are kept too
        err.add_note("a note")
    for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
        again = pickle.loads(pickle.dumps(err, protocol=protocol))
        assert type(again) is cls
        assert again.args == ("the message",)
        assert {a: getattr(again, a) for a in ATTRIBUTES} == {
            "column": "c",
            "row": 7,
            "value": -3.5,
            "argument": "a",
            "expected": 10,
            "got": 9,
        }
        assert getattr(again, "__notes__", None) == getattr(err, "__notes__", None)


@pytest.mark.parametrize("cls", ALL)
def test_copy(cls):
    err = every_attribute_set(cls)
    for again in (copy.copy(err), copy.deepcopy(err)):
        assert type(again) is cls and again is not err
        assert str(again) == "the message"
        assert {a: getattr(again, a) for a in ATTRIBUTES} == {a: getattr(err, a) for a in ATTRIBUTES}


def test_an_error_raised_by_the_core_pickles():
    with pytest.raises(rk.InvalidValueError) as caught:
        rk.TransactionLog.from_columns([1, 2], ["2024-01-01", "2024-01-02"], [5.0, -3.0])
    again = pickle.loads(pickle.dumps(caught.value))
    assert type(again) is rk.InvalidValueError
    assert (str(again), again.column, again.row) == (str(caught.value), "amount", 1)


# --- errors raised by the core carry its fields ------------------------------------------


def test_invalid_value_carries_column_and_row():
    with pytest.raises(rk.InvalidValueError) as caught:
        rk.TransactionLog.from_columns([1, 2], ["2024-01-01", "2024-01-02"], [5.0, -3.0])
    err = caught.value
    # The core's message, unchanged.
    assert str(err) == "column `amount`, row 1: negative amount -3 (refunds must be netted before building the log)"
    assert (err.column, err.row) == ("amount", 1)
    assert (err.value, err.argument, err.expected, err.got) == (None, None, None, None)


def test_the_users_column_name_is_the_attribute_too():
    frame = pd.DataFrame({"user": [1, 2, 3], "day": ["2024-01-03", "2024-01-09", "2024-02-02"], "price": [1.0, -2.0, 3.0]})
    with pytest.raises(rk.InvalidValueError, match=r"column `price`, row 1") as caught:
        rk.summary(frame, customer_id="user", date="day", amount="price")
    assert (caught.value.column, caught.value.row) == ("price", 1)


def test_length_mismatch_carries_expected_and_got():
    with pytest.raises(rk.LengthMismatchError) as caught:
        rk.TransactionLog.from_columns([1, 2, 3], ["2024-01-01"])
    err = caught.value
    assert str(err) == "column `date` has 1 rows, expected 3 (the length of the first column)"
    assert (err.column, err.expected, err.got) == ("date", 3, 1)
    assert (err.row, err.argument) == (None, None)


def test_invalid_argument_carries_the_argument():
    with pytest.raises(rk.InvalidArgumentError) as caught:
        rk.kaplan_meier([1.0, 2.0], [True, False], confidence_level=1.5)
    assert caught.value.argument == "confidence_level"
    assert str(caught.value).startswith("argument `confidence_level`: ")
    assert caught.value.column is None


def test_too_large_carries_the_size():
    log = rk.TransactionLog.from_columns([1, 2], ["2000-01-01", "2020-01-01"])
    with pytest.raises(rk.TooLargeError) as caught:
        rk.cohort_matrix(log, granularity="day")
    # 2000-01-01 to 2020-01-01 is 7,305 days: 7,306 daily periods.
    assert caught.value.got == 7306
    assert caught.value.expected is None


def test_zero_denominator_has_no_attributes():
    with pytest.raises(rk.ZeroDenominatorError) as caught:
        rk.retention_rate(0, 5, 5)
    assert {a: getattr(caught.value, a) for a in ATTRIBUTES} == dict.fromkeys(ATTRIBUTES)


# --- errors raised by the package's own checks carry the same attributes -----------------


def test_a_row_counted_among_missing_dates_is_the_attribute_too():
    # Row 2 of all rows is row 1 of the given dates; the message and `row` count all rows.
    with pytest.raises(rk.InvalidValueError, match=r"column `end`, row 2: 'soon' is not a date") as caught:
        rk.SubscriptionLog.from_columns([1, 2, 3], ["2024-01-01"] * 3, [None, "2024-02-01", "soon"], [1.0] * 3)
    assert (caught.value.column, caught.value.row) == ("end", 2)


def test_a_value_the_python_layer_refuses_carries_column_and_row():
    frame = pd.DataFrame({"user": [1, None, 3], "day": ["2024-01-03", "2024-01-09", "2024-02-02"]})
    with pytest.raises(rk.InvalidValueError, match=r"column `user`, row 1: missing value") as caught:
        rk.summary(frame, customer_id="user", date="day")
    assert (caught.value.column, caught.value.row) == ("user", 1)
    with pytest.raises(rk.InvalidValueError, match=r"column `observed`, row 1") as caught:
        rk.kaplan_meier([1.0, 2.0], [1, 2])
    assert (caught.value.column, caught.value.row, caught.value.value) == ("observed", 1, 2)


def test_a_missing_column_is_the_attribute():
    with pytest.raises(rk.MissingColumnError, match=r"column `when` is required") as caught:
        rk.summary({"customer_id": [1], "date": ["2024-01-01"]}, date="when")
    assert caught.value.column == "when"


def test_an_unknown_name_is_the_cores_error_with_its_attribute():
    # The names and the message are the core's (Granularity's FromStr), as in
    # the npm package and the CLI.
    log = rk.TransactionLog.from_columns([1], ["2024-01-01"])
    with pytest.raises(rk.InvalidArgumentError) as caught:
        rk.kpis(log, granularity="fortnight")
    assert str(caught.value) == (
        'argument `granularity`: "fortnight" is not one of day, week, month, quarter, year'
    )
    assert caught.value.argument == "granularity"


def test_demo_shop_rejects_impossible_settings():
    with pytest.raises(rk.InvalidArgumentError) as caught:
        rk.demo_shop(customers=-1)
    assert caught.value.argument == "customers"
    with pytest.raises(rk.InvalidArgumentError) as caught:
        rk.demo_shop(start="2021-13-01")
    assert "start" in str(caught.value)
    # The core's defaults: 20,000 customers from 2021-01-01 over 1,095 days
    # (retentionkit::demo::DemoOptions), the log `retentionkit report` uses.
    orders = rk.demo_shop()
    assert orders["customer_id"].nunique() == 20_000
    assert str(orders["date"].min().date()) == "2021-01-01"
    assert str(orders["date"].max().date()) <= "2023-12-31"
