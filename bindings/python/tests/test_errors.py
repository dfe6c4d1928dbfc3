"""One exception class per core error variant, all RetentionError and ValueError."""

import numpy as np
import pytest

import retentionkit as rk

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
