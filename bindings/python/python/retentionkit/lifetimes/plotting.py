"""lifetimes 0.11.3's ``lifetimes.plotting`` for the plots its users rely on, drawn by
:mod:`retentionkit.plot` (matplotlib).

The same arguments as lifetimes; the figures are retentionkit's: the matrices put
frequency up and recency across with the impossible cells (no repeat purchase but a
recency above 0) left blank, so ``xlabel`` labels the frequency axis and ``ylabel``
the recency axis as in lifetimes; the period-transactions bars compare the actual
customers with customers drawn from the model at the same ages (seeded); the
calibration/holdout plot groups calibration frequencies 0..6 and 7+. Each returns
the matplotlib axes.

>>> from retentionkit.lifetimes import BetaGeoFitter
>>> from retentionkit.lifetimes.plotting import plot_probability_alive_matrix
>>> import pandas as pd
>>> bgf = BetaGeoFitter()
>>> bgf.params_ = pd.Series({"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426})
>>> ax = plot_probability_alive_matrix(bgf, max_frequency=5, max_recency=39)
>>> ax.images[0].get_clim()
(0.0, 1.0)
"""

from __future__ import annotations

from typing import Any, Optional

from .._lazy import pandas as pd
from .. import plot as _plot
from . import utils as _utils

__all__ = [
    "plot_period_transactions",
    "plot_calibration_purchases_vs_holdout_purchases",
    "plot_frequency_recency_matrix",
    "plot_probability_alive_matrix",
    "plot_cumulative_transactions",
]


def _labels(ax: Any, title: Optional[str], xlabel: Optional[str], ylabel: Optional[str]) -> Any:
    if title is not None:
        ax.set_title(title)
    if xlabel is not None:
        ax.set_xlabel(xlabel)
    if ylabel is not None:
        ax.set_ylabel(ylabel)
    return ax


def _ranges(model: Any, max_frequency: Optional[int], max_recency: Optional[int]) -> Any:
    """lifetimes' defaults: the fitted data's largest frequency and T."""
    if max_frequency is None:
        max_frequency = int(model.data["frequency"].max())
    if max_recency is None:
        max_recency = int(model.data["T"].max())
    return int(max_frequency), int(max_recency)


def plot_period_transactions(
    model: Any,
    max_frequency: int = 7,
    title: str = "Frequency of Repeat Transactions",
    xlabel: str = "Number of Calibration Period Transactions",
    ylabel: str = "Customers",
    **kwargs: Any,
) -> Any:
    """Customers by repeat purchases: the fitted data against customers drawn from the model
    at the same ages (:func:`retentionkit.plot.period_transactions`); the last bar pools
    ``max_frequency`` or more. ``ax=`` and ``seed=`` may be given."""
    ax = _plot.period_transactions(
        model._rk(), model.data, kwargs.pop("ax", None), seed=int(kwargs.pop("seed", 0)), max_frequency=max_frequency
    )
    return _labels(ax, title, xlabel, ylabel)


def plot_calibration_purchases_vs_holdout_purchases(
    model: Any, calibration_holdout_matrix: Any, kind: str = "frequency_cal", n: int = 7, **kwargs: Any
) -> Any:
    """Mean actual against expected holdout purchases by calibration frequency
    (:func:`retentionkit.plot.holdout_by_frequency` of the model's ``evaluate``).
    ``kind="frequency_cal"`` and ``n=7`` only."""
    if kind != "frequency_cal" or n != 7:
        raise NotImplementedError(
            "retentionkit.lifetimes plots holdout purchases by calibration frequency 0..6 and 7+ "
            "(kind='frequency_cal', n=7) only"
        )
    evaluation = model._rk().evaluate(calibration_holdout_matrix)
    ax = _plot.holdout_by_frequency(evaluation, kwargs.pop("ax", None))
    return _labels(ax, "Actual Purchases in Holdout Period vs Predicted Purchases",
                   "Purchases in calibration period", "Average of Purchases in Holdout Period")


def plot_frequency_recency_matrix(
    model: Any,
    T: float = 1,
    max_frequency: Optional[int] = None,
    max_recency: Optional[int] = None,
    title: Optional[str] = None,
    xlabel: str = "Customer's Historical Frequency",
    ylabel: str = "Customer's Recency",
    **kwargs: Any,
) -> Any:
    """Expected purchases in the next ``T`` of a customer of age ``max_recency``, by frequency
    and recency (:func:`retentionkit.plot.frequency_recency_matrix`)."""
    max_frequency, max_recency = _ranges(model, max_frequency, max_recency)
    ax = _plot.frequency_recency_matrix(
        model._rk(), float(max_recency), float(T), kwargs.pop("ax", None),
        max_frequency=max_frequency, cells=max(max_recency, 1),
    )
    if title is None:
        title = "Expected Number of Future Purchases for {} Unit{} of Time,".format(T, "s"[T == 1:]) + \
            "\nby Frequency and Recency of a Customer"
    return _labels(ax, title, ylabel, xlabel)


def plot_probability_alive_matrix(
    model: Any,
    max_frequency: Optional[int] = None,
    max_recency: Optional[int] = None,
    title: str = "Probability Customer is Alive,\nby Frequency and Recency of a Customer",
    xlabel: str = "Customer's Historical Frequency",
    ylabel: str = "Customer's Recency",
    **kwargs: Any,
) -> Any:
    """P(alive) of a customer of age ``max_recency`` by frequency and recency
    (:func:`retentionkit.plot.probability_alive_matrix`)."""
    max_frequency, max_recency = _ranges(model, max_frequency, max_recency)
    ax = _plot.probability_alive_matrix(
        model._rk(), float(max_recency), kwargs.pop("ax", None),
        max_frequency=max_frequency, cells=max(max_recency, 1),
    )
    return _labels(ax, title, ylabel, xlabel)


def plot_cumulative_transactions(
    model: Any,
    transactions: Any,
    datetime_col: str,
    customer_id_col: str,
    t: int,
    t_cal: int,
    datetime_format: Optional[str] = None,
    freq: str = "D",
    set_index_date: bool = False,
    title: str = "Tracking Cumulative Transactions",
    xlabel: str = "day",
    ylabel: str = "Cumulative Transactions",
    ax: Any = None,
    **kwargs: Any,
) -> Any:
    """Actual against predicted cumulative repeat purchases over ``t`` days from the first
    purchase, the calibration ending after ``t_cal`` (:func:`retentionkit.plot.tracking` of
    the model's ``tracking``; ``freq="D"`` only). The x axis is dates."""
    _utils._unit(freq, 1)
    log = _utils._dates(transactions, datetime_col, datetime_format)
    start = log[datetime_col].min().normalize()
    at = [start + pd.Timedelta(days=j) for j in range(1, int(t) + 1)]
    track = model._rk().tracking(log, at, customer_id=customer_id_col, date=datetime_col, unit="days")
    ax = _plot.tracking(track, ax, calibration_end=start + pd.Timedelta(days=int(t_cal)))
    return _labels(ax, title, "date" if xlabel == "day" else xlabel, ylabel)
