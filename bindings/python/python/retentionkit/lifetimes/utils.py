"""lifetimes 0.11.3's ``lifetimes.utils`` for transaction logs, computed by retentionkit.

``summary_data_from_transaction_data`` is :func:`retentionkit.summary`,
``calibration_and_holdout_data`` is :func:`retentionkit.calibration_and_holdout`
(with lifetimes' per-order holdout spend) and ``expected_cumulative_transactions``
is a model's :meth:`~retentionkit.BetaGeo.tracking`, with lifetimes' argument
names and results.

Time: ``freq="D"`` (lifetimes' default) with any ``freq_multiplier`` is
translated exactly (``freq_multiplier=7`` is retentionkit's ``unit="weeks"``).
Other ``freq`` values raise ``NotImplementedError``: lifetimes' ``freq="W"``
counts calendar weeks, which retentionkit does not compute (``freq="D",
freq_multiplier=7`` gives weeks as days / 7, as in Fader, Hardie & Lee 2005).
``include_first_transaction=True`` raises ``NotImplementedError`` too.

>>> import pandas as pd
>>> from retentionkit.lifetimes.utils import summary_data_from_transaction_data
>>> orders = pd.DataFrame({"id": [1, 1, 2], "date": ["2024-01-01", "2024-01-15", "2024-01-10"]})
>>> summary_data_from_transaction_data(orders, "id", "date", observation_period_end="2024-01-29")
    frequency  recency     T
id                          
1         1.0     14.0  28.0
2         0.0      0.0  19.0
"""

from __future__ import annotations

from typing import Any, Optional

import numpy as np

from .._lazy import pandas as pd
from .. import _log

__all__ = [
    "summary_data_from_transaction_data",
    "calibration_and_holdout_data",
    "expected_cumulative_transactions",
]


def _unit(freq: str, freq_multiplier: float, include_first_transaction: bool = False) -> str:
    """retentionkit's unit for lifetimes' ``freq``, or NotImplementedError."""
    if freq != "D":
        raise NotImplementedError(
            f"freq={freq!r}: retentionkit.lifetimes translates freq='D' only (with any freq_multiplier); "
            "lifetimes' freq='W' counts calendar weeks, which retentionkit does not compute; "
            "freq='D', freq_multiplier=7 gives weeks as days / 7"
        )
    if include_first_transaction:
        raise NotImplementedError(
            "include_first_transaction=True: retentionkit's summaries count repeat purchases only"
        )
    return "weeks" if freq_multiplier == 7 else "days"


def _dates(transactions: Any, datetime_col: str, datetime_format: Optional[str]) -> Any:
    """The transactions with ``datetime_col`` as datetimes, as lifetimes reads it."""
    out = transactions.copy()
    out[datetime_col] = pd.to_datetime(out[datetime_col], format=datetime_format)
    return out


def _scale(frame: Any, columns: list, unit: str, freq_multiplier: float) -> Any:
    """Days divided by ``freq_multiplier`` when it is neither 1 nor 7 (lifetimes' arithmetic)."""
    if unit == "days" and freq_multiplier != 1:
        for c in columns:
            if c in frame.columns:
                frame[c] = frame[c] / freq_multiplier
        frame.attrs.pop("unit", None)
    return frame


def _ids(frame: Any, transactions: Any, customer_id_col: str) -> Any:
    """The index named and typed as lifetimes gives it: ``customer_id_col``, with the
    column's integer dtype (retentionkit's integer ids come back as uint64)."""
    frame.index.name = customer_id_col
    dtype = transactions[customer_id_col].dtype
    if getattr(dtype, "kind", "") in "iu" and frame.index.dtype != dtype:
        frame.index = frame.index.astype(dtype)
    return frame


def _end(value: Any, datetime_format: Optional[str]) -> Any:
    return None if value is None else pd.to_datetime(value, format=datetime_format)


def summary_data_from_transaction_data(
    transactions: Any,
    customer_id_col: str,
    datetime_col: str,
    monetary_value_col: Optional[str] = None,
    datetime_format: Optional[str] = None,
    observation_period_end: Any = None,
    freq: str = "D",
    freq_multiplier: float = 1,
    include_first_transaction: bool = False,
) -> Any:
    """Per-customer ``frequency``, ``recency``, ``T`` [and ``monetary_value``], indexed by
    ``customer_id_col`` (:func:`retentionkit.summary`)."""
    unit = _unit(freq, freq_multiplier, include_first_transaction)
    frame = _log.summary(
        _dates(transactions, datetime_col, datetime_format),
        customer_id=customer_id_col,
        date=datetime_col,
        amount=monetary_value_col,
        unit=unit,
        observation_end=_end(observation_period_end, datetime_format),
    )
    _ids(frame, transactions, customer_id_col)
    return _scale(frame, ["recency", "T"], unit, freq_multiplier)


def calibration_and_holdout_data(
    transactions: Any,
    customer_id_col: str,
    datetime_col: str,
    calibration_period_end: Any,
    observation_period_end: Any = None,
    freq: str = "D",
    freq_multiplier: float = 1,
    datetime_format: Optional[str] = None,
    monetary_value_col: Optional[str] = None,
    include_first_transaction: bool = False,
) -> Any:
    """Calibration summary (``_cal`` columns) and holdout purchases, spend and length
    (:func:`retentionkit.calibration_and_holdout`, ``holdout_spend="per_order"``)."""
    unit = _unit(freq, freq_multiplier, include_first_transaction)
    log = _dates(transactions, datetime_col, datetime_format)
    calibration_end = _end(calibration_period_end, datetime_format)
    observation_end = _end(observation_period_end, datetime_format)
    dates = log[datetime_col]
    last = dates.max() if observation_end is None else observation_end
    if not ((dates > calibration_end) & (dates <= last)).any():
        # lifetimes' message for an empty holdout
        raise ValueError(
            "There is no data available. Check the `observation_period_end` and  `calibration_period_end` "
            "and confirm that values in `transactions` occur prior to those dates."
        )
    frame = _log.calibration_and_holdout(
        log,
        calibration_end,
        observation_end,
        customer_id=customer_id_col,
        date=datetime_col,
        amount=monetary_value_col,
        unit=unit,
        holdout_spend="per_order",
    )
    _ids(frame, transactions, customer_id_col)
    return _scale(frame, ["recency_cal", "T_cal", "duration_holdout"], unit, freq_multiplier)


def expected_cumulative_transactions(
    model: Any,
    transactions: Any,
    datetime_col: str,
    customer_id_col: str,
    t: int,
    datetime_format: Optional[str] = None,
    freq: str = "D",
    freq_multiplier: int = 1,
    set_index_date: bool = False,
) -> Any:
    """Actual and predicted cumulative repeat purchases of the whole base at the end of
    each of ``t // freq_multiplier`` periods from the first purchase (``model``: a fitted
    retentionkit.lifetimes fitter; the model's :meth:`~retentionkit.BetaGeo.tracking`)."""
    unit = _unit(freq, freq_multiplier)
    if unit == "days" and freq_multiplier != 1:
        raise NotImplementedError("freq_multiplier: 1 or 7 (days or weeks) only")
    log = _dates(transactions, datetime_col, datetime_format)
    start = log[datetime_col].min().normalize()
    steps = int(t) // int(freq_multiplier)
    at = [start + pd.Timedelta(days=int(freq_multiplier) * j) for j in range(1, steps + 1)]
    track = model._rk().tracking(log, at, customer_id=customer_id_col, date=datetime_col, unit=unit)
    if set_index_date:
        index: Any = pd.PeriodIndex([a - pd.Timedelta(days=1) for a in at], freq="D")
    else:
        index = range(0, steps)
    return pd.DataFrame(
        {"actual": np.asarray(track["actual"]).astype(np.int64), "predicted": np.asarray(track["expected"])},
        index=index,
    )
