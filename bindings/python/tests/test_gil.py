"""Long computations release the GIL: another Python thread keeps running during them.

The switch interval is raised to 5 s for the test, so the interpreter does
not take the GIL away from the calling thread on its own: while a native call
that holds the GIL runs, the counting thread cannot run at all, and it advances
only if the call releases the GIL. The count is compared with a floor, never
with a time, so a slow or loaded machine does not make the test fail.
"""

import sys
import threading
import time

import numpy as np
import pytest

import retentionkit as rk
from retentionkit import _retentionkit as _rk

ROWS = 3_000_000
FLOOR = 1_000  # increments; a call holding the GIL allows none
SWITCH = 5.0  # seconds: longer than any call here, so the interpreter never forces a switch during one


@pytest.fixture(scope="module")
def columns():
    rng = np.random.default_rng(7)
    ids = rng.integers(0, 300_000, ROWS).astype(np.int64)
    days = rng.integers(18_000, 19_100, ROWS).astype(np.int32)
    amounts = rng.uniform(1, 100, ROWS)
    return ids, days, amounts


def advance_during(call):
    """How often a second thread incremented a counter while ``call()`` ran in this thread."""
    count = [0]
    stop = threading.Event()
    running = threading.Event()

    def counter():
        running.set()
        while not stop.is_set():
            count[0] += 1
            if count[0] % 1_000 == 0:
                time.sleep(0)  # releases the GIL: the caller takes it back when its call returns

    old = sys.getswitchinterval()
    sys.setswitchinterval(SWITCH)
    thread = threading.Thread(target=counter)
    try:
        thread.start()
        running.wait()
        before = count[0]
        call()
        after = count[0]
    finally:
        stop.set()
        thread.join()
        sys.setswitchinterval(old)
    return after - before


def test_the_counter_does_not_advance_while_python_holds_the_gil():
    # The control: a pure-Python busy loop never lets the counting thread in.
    def busy():
        x = 0
        for i in range(3_000_000):
            x += i

    assert advance_during(busy) < FLOOR


@pytest.fixture(scope="module")
def log(columns):
    return _rk.Log(*columns)


def test_making_the_log_releases_the_gil(columns):
    # Validation, the copy of the columns and the customer numbering.
    assert advance_during(lambda: _rk.Log(*columns)) >= FLOOR


@pytest.mark.parametrize(
    "call",
    [
        lambda log: _rk.summary(log, "days", None),
        lambda log: _rk.cohort_matrix(log, "week", None),
        lambda log: _rk.kpi_series(log, "month", None, 12),
    ],
    ids=["summary", "cohort_matrix", "kpi_series"],
)
def test_log_computations_release_the_gil(log, call):
    assert advance_during(lambda: call(log)) >= FLOOR


def test_subscription_log_releases_the_gil(columns):
    ids, days, amounts = columns
    ends = days + 30
    assert advance_during(lambda: rk.SubscriptionLog.from_columns(ids, days, ends, amounts)) >= FLOOR
