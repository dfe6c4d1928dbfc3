"""Subscriptions: MRR, MRR movements, revenue and logo retention, cohorts, lifetimes and CLV.

A subscription covers the days ``[start, end)``; a missing end (None, NaN,
NaT, null) means it is still running. A customer's MRR at a day is the sum
of the MRR of their subscriptions covering it (docs/metrics.md, "MRR,
accounts and ARPA at a day").
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any, Dict, Optional, Sequence

import numpy as np

if TYPE_CHECKING:
    import pandas as pd
else:
    from ._lazy import pandas as pd

from . import _input
from . import _log
from . import _retentionkit as _rk

DateLike = Any

AMOUNTS = ("start_mrr", "end_mrr", "new", "expansion", "contraction", "churned", "reactivation")
"""The MRR amounts of a period's movements."""

COUNTS = (
    "start_customers",
    "end_customers",
    "retained_customers",
    "new_customers",
    "expansion_customers",
    "contraction_customers",
    "churned_customers",
    "reactivation_customers",
)
"""The customer counts of a period's movements."""

RATES = (
    "gross_revenue_retention",
    "net_revenue_retention",
    "gross_revenue_churn",
    "net_revenue_churn",
    "logo_retention",
    "logo_churn",
    "quick_ratio",
)
"""The rates of a period's movements (undefined when their denominator is 0)."""


class SubscriptionLog:
    """A validated subscription log: one row per subscription (customer id, start, end, MRR).

    Build it from a pandas or polars DataFrame (or a dict of columns) with
    the column names as arguments, or from columns with :meth:`from_columns`.
    Ends may be missing (still running). The rows are checked once, here: an
    end not after its start, a negative or NaN MRR, a missing start, or
    columns of different lengths raise the matching :class:`RetentionError`.

    >>> import pandas as pd, retentionkit as rk
    >>> subs = pd.DataFrame({"account": ["a", "b", "a"],
    ...     "from": pd.to_datetime(["2024-01-01", "2024-01-15", "2024-03-01"]),
    ...     "to": pd.to_datetime(["2024-03-01", None, None]),
    ...     "plan": [50.0, 20.0, 80.0]})
    >>> log = rk.SubscriptionLog(subs, customer_id="account", start="from", end="to", mrr="plan")
    >>> log
    SubscriptionLog(rows=3, customers=2, first='2024-01-01')
    >>> log.mrr_at("2024-02-01"), log.mrr_at("2024-03-01")  # 50 + 20; 80 + 20 (the first ended on 1 March)
    (70.0, 100.0)
    """

    labels: Optional[np.ndarray]

    def __init__(
        self,
        data: Any,
        *,
        customer_id: str = "customer_id",
        start: str = "start",
        end: str = "end",
        mrr: str = "mrr",
    ) -> None:
        self._names = {"customer_id": customer_id, "start": start, "end": end, "mrr": mrr}
        what = "the subscription log"
        with self._user_columns():
            ids, self.labels = _input.ids(_log.column_of(data, customer_id, what), customer_id)
            start_days = _input.days(_log.column_of(data, start, what), start)
            end_days, has_end = _input.optional_days(_log.column_of(data, end, what), end)
            amounts = _input.amounts(_log.column_of(data, mrr, what), mrr)
            self._log = _rk.SubscriptionLog(ids, start_days, end_days, has_end, amounts)

    @classmethod
    def from_columns(cls, customer_id: Any, start: Any, end: Any, mrr: Any) -> "SubscriptionLog":
        """A log from columns: arrays, Series or lists of equal length (None in ``end``: still running).

        >>> import retentionkit as rk
        >>> log = rk.SubscriptionLog.from_columns([1, 1, 2], [0, 5, 8], [10, None, 9], [30.0, 20.0, 7.0])
        >>> log.mrr_at(8)  # 30 + 20 + 7: days are days since 1970-01-01 here
        57.0
        """
        return cls({"customer_id": customer_id, "start": start, "end": end, "mrr": mrr})

    def _user_columns(self) -> "_log._Rename":
        return _log._Rename(self._names)

    def _customer_index(self, codes: np.ndarray) -> pd.Index:
        if self.labels is None:
            return pd.Index(codes, name="customer_id")
        return pd.Index(self.labels[codes.astype(np.intp)], name="customer_id")

    @property
    def num_rows(self) -> int:
        """Number of subscriptions."""
        return len(self._log)

    @property
    def num_customers(self) -> int:
        """Number of distinct customers."""
        return int(self._log.num_customers)

    @property
    def first_date(self) -> np.datetime64:
        """The earliest subscription start."""
        return np.datetime64(int(self._log.first_day), "D")

    def __len__(self) -> int:
        return self.num_rows

    def __repr__(self) -> str:
        return f"SubscriptionLog(rows={self.num_rows}, customers={self.num_customers}, first='{self.first_date}')"

    def mrr_at(self, t: DateLike) -> float:
        """Total MRR at day ``t``: the MRR of every subscription covering it.

        >>> import retentionkit as rk
        >>> log = rk.SubscriptionLog.from_columns([1, 1, 2], [0, 5, 8], [10, None, 9], [30.0, 20.0, 7.0])
        >>> log.mrr_at(4), log.mrr_at(10)  # only [0, 10) at 30; then only [5, ...) at 20
        (30.0, 20.0)
        """
        return float(self._log.mrr_at(_input.day(t, "t")))

    def active_customers_at(self, t: DateLike) -> int:
        """Customers with a subscription covering day ``t`` (free plans at MRR 0 included).

        >>> import retentionkit as rk
        >>> log = rk.SubscriptionLog.from_columns([1, 1, 2], [0, 5, 8], [10, None, 9], [30.0, 20.0, 0.0])
        >>> log.active_customers_at(8), log.active_customers_at(9)  # customer 2 is on a free plan on day 8
        (2, 1)
        """
        return int(self._log.active_customers_at(_input.day(t, "t")))

    def arpa_at(self, t: DateLike) -> float:
        """Average revenue per account at day ``t``: MRR / active customers.

        Raises :class:`ZeroDenominatorError` when nobody is active at ``t``.

        >>> import retentionkit as rk
        >>> log = rk.SubscriptionLog.from_columns([1, 1, 2], [0, 5, 8], [10, None, 9], [30.0, 20.0, 7.0])
        >>> log.arpa_at(8)  # (30 + 20 + 7) / 2 accounts
        28.5
        """
        return float(self._log.arpa_at(_input.day(t, "t")))

    def mrr_by_customer_at(self, t: DateLike) -> pd.Series:
        """Each active customer's MRR at day ``t``, indexed by customer id.

        >>> import retentionkit as rk
        >>> log = rk.SubscriptionLog.from_columns([1, 1, 2], [0, 5, 8], [10, None, 9], [30.0, 20.0, 7.0])
        >>> log.mrr_by_customer_at(8).to_dict()  # 30 + 20 for customer 1
        {1: 50.0, 2: 7.0}
        """
        ids, mrr = self._log.mrr_by_customer_at(_input.day(t, "t"))
        return pd.Series(mrr, index=self._customer_index(ids), name="mrr")

    def lifetimes(self, observation_end: DateLike) -> pd.DataFrame:
        """Each customer's lifetime up to their first day without a subscription, for survival curves.

        Columns ``first_start``, ``days`` (to the first uncovered day, or to
        the day after ``observation_end`` for customers still covered then)
        and ``churned`` (False: censored). Pass ``days`` and ``churned`` to
        :func:`retentionkit.kaplan_meier`.

        >>> import retentionkit as rk
        >>> log = rk.SubscriptionLog.from_columns(
        ...     [1, 1, 2, 2, 3], [0, 30, 10, 50, 20], [30, 90, 40, None, None], [10.0, 12.0, 5.0, 5.0, 8.0])
        >>> l = log.lifetimes(99)  # 1: [0, 90) chained; 2: gap on day 40; 3: covered on day 99, 99 + 1 - 20
        >>> l["days"].tolist(), l["churned"].tolist()
        ([90.0, 30.0, 80.0], [True, True, False])
        """
        with self._user_columns():
            d = self._log.lifetimes(_input.day(observation_end, "observation_end"))
        return pd.DataFrame(
            {"first_start": _input.dates_of(d["first_start"]), "days": d["days"], "churned": d["churned"]},
            index=self._customer_index(d["customer_id"]),
        )


def _rate(v: float) -> Optional[float]:
    return None if np.isnan(v) else float(v)


@dataclasses.dataclass(frozen=True)
class MrrMovements:
    """How one period ``[start, end)`` changed the MRR and the customers.

    ``start_mrr + new + expansion + reactivation - contraction - churned ==
    end_mrr``. The rates are None when their denominator (MRR or customers
    at the start) is 0. :meth:`merge` adds the movements of customer-disjoint
    parts of one log.
    """

    start: np.datetime64
    end: np.datetime64
    start_mrr: float
    end_mrr: float
    new: float
    expansion: float
    contraction: float
    churned: float
    reactivation: float
    start_customers: int
    end_customers: int
    retained_customers: int
    new_customers: int
    expansion_customers: int
    contraction_customers: int
    churned_customers: int
    reactivation_customers: int
    gross_revenue_retention: Optional[float]
    net_revenue_retention: Optional[float]
    gross_revenue_churn: Optional[float]
    net_revenue_churn: Optional[float]
    logo_retention: Optional[float]
    logo_churn: Optional[float]
    quick_ratio: Optional[float]
    """SaaS quick ratio (new + expansion + reactivation) / (contraction + churned); None when no MRR was lost."""

    @classmethod
    def _of(cls, d: Dict[str, Any], i: int = 0) -> "MrrMovements":
        values: Dict[str, Any] = {
            "start": np.datetime64(int(d["start"][i]), "D"),
            "end": np.datetime64(int(d["end"][i]), "D"),
        }
        values.update({k: float(d[k][i]) for k in AMOUNTS})
        values.update({k: int(d[k][i]) for k in COUNTS})
        values.update({k: _rate(float(d[k][i])) for k in RATES})
        return cls(**values)

    def _columns(self) -> Dict[str, np.ndarray]:
        cols: Dict[str, np.ndarray] = {
            "start": _input.days(np.array([self.start], dtype="datetime64[D]"), "start"),
            "end": _input.days(np.array([self.end], dtype="datetime64[D]"), "end"),
        }
        cols.update({k: np.array([getattr(self, k)], dtype=np.float64) for k in AMOUNTS})
        cols.update({k: np.array([getattr(self, k)], dtype=np.uint64) for k in COUNTS})
        return cols

    def retention_cost(self, spend: float) -> float:
        """Customer retention cost: ``spend`` in the period per retained customer.

        >>> import retentionkit as rk
        >>> log = rk.SubscriptionLog.from_columns([1, 2, 3, 4], [0] * 4, [None, None, None, 3], [10.0] * 4)
        >>> rk.mrr_movements(log, 0, 5).retention_cost(600.0)  # 600 / 3 retained
        200.0
        """
        return float(_rk.retention_cost(float(spend), self.retained_customers))

    @classmethod
    def merge(cls, parts: Sequence["MrrMovements"]) -> "MrrMovements":
        """The movements of the whole log from those of customer-disjoint parts over the same period.

        >>> import retentionkit as rk
        >>> a = rk.mrr_movements(rk.SubscriptionLog.from_columns([1], [0], [5], [30.0]), 0, 10)
        >>> b = rk.mrr_movements(rk.SubscriptionLog.from_columns([2], [3], [None], [20.0]), 0, 10)
        >>> m = rk.MrrMovements.merge([a, b])  # 1 (30) churns on day 5, 2 (20) is new on day 3
        >>> m.start_mrr, m.churned, m.new, m.end_mrr
        (30.0, 30.0, 20.0, 20.0)
        """
        return cls._of(_rk.merge_mrr_movements([p._columns() for p in parts]))

    def __repr__(self) -> str:
        def pct(v: Optional[float]) -> str:
            return "None" if v is None else f"{v:.4g}"

        return (
            f"MrrMovements({self.start}..{self.end}: start_mrr={self.start_mrr:g}, new={self.new:g}, "
            f"expansion={self.expansion:g}, reactivation={self.reactivation:g}, "
            f"contraction={self.contraction:g}, churned={self.churned:g}, end_mrr={self.end_mrr:g}, "
            f"grr={pct(self.gross_revenue_retention)}, nrr={pct(self.net_revenue_retention)}, "
            f"logo_retention={pct(self.logo_retention)})"
        )


def mrr_movements(log: SubscriptionLog, start: DateLike, end: DateLike) -> MrrMovements:
    """MRR movements over ``[start, end)``: each customer's MRR at ``start`` against their MRR at ``end``.

    >>> import retentionkit as rk
    >>> log = rk.SubscriptionLog.from_columns(  # 1 expands 100 -> 150 on day 5, 2 churns, 3 is new
    ...     [1, 1, 2, 3], [0, 5, 0, 5], [5, None, 5, None], [100.0, 150.0, 40.0, 60.0])
    >>> m = rk.mrr_movements(log, 1, 10)
    >>> m.start_mrr, m.new, m.expansion, m.churned, m.end_mrr
    (140.0, 60.0, 50.0, 40.0, 210.0)
    >>> m.net_revenue_retention == 150 / 140  # (140 + 50 - 40 - 0) / 140
    True
    """
    with log._user_columns():
        d = log._log.mrr_movements(_input.day(start, "start"), _input.day(end, "end"))
    return MrrMovements._of(d)


def _movements_frame(d: Dict[str, Any], granularity: str) -> pd.DataFrame:
    cols: Dict[str, Any] = {"start": _input.dates_of(d["start"]), "end": _input.dates_of(d["end"])}
    cols.update({k: d[k] for k in (*AMOUNTS, *COUNTS, *RATES)})
    frame = pd.DataFrame(cols, index=pd.Index(d["period"], name="period"))
    frame.attrs["granularity"] = granularity
    return frame


def mrr_series(
    log: SubscriptionLog, first: DateLike, last: DateLike, *, granularity: str = "month"
) -> pd.DataFrame:
    """MRR movements of every period from the one containing ``first`` to the one containing ``last``.

    One row per period (``start``, ``end`` exclusive, the amounts, the
    customer counts and the rates, NaN where undefined); each row's
    ``end_mrr`` is the next row's ``start_mrr``.

    >>> import retentionkit as rk
    >>> log = rk.SubscriptionLog.from_columns(
    ...     [1, 2], ["2024-01-10", "2024-02-05"], ["2024-03-20", None], [30.0, 50.0])
    >>> s = rk.mrr_series(log, "2024-01-01", "2024-03-31")
    >>> s["end_mrr"].tolist()  # at 1 Feb, 1 Mar, 1 Apr
    [30.0, 80.0, 50.0]
    >>> float(s.loc["2024-03", "churned"])
    30.0
    """
    with log._user_columns():
        d = log._log.mrr_series(granularity, _input.day(first, "first"), _input.day(last, "last"))
    return _movements_frame(d, granularity)


def merge_mrr_series(parts: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """The MRR series of the whole log from series of customer-disjoint parts over the same periods.

    >>> import retentionkit as rk
    >>> a = rk.mrr_series(rk.SubscriptionLog.from_columns([1], ["2024-01-10"], ["2024-03-20"], [30.0]),
    ...                   "2024-01-01", "2024-03-31")
    >>> b = rk.mrr_series(rk.SubscriptionLog.from_columns([2], ["2024-02-05"], [None], [50.0]),
    ...                   "2024-01-01", "2024-03-31")
    >>> rk.merge_mrr_series([a, b])["end_mrr"].tolist()  # 30; 30 + 50; 50
    [30.0, 80.0, 50.0]
    """
    if not parts:
        raise _rk.EmptyError("no MRR series to merge")
    granularity = parts[0].attrs.get("granularity")
    if granularity is None or any(p.attrs.get("granularity") != granularity for p in parts):
        raise _rk.IncompatibleError(
            "MRR series to merge must come from retentionkit.mrr_series with the same granularity"
        )
    cols = []
    for p in parts:
        c: Dict[str, np.ndarray] = {
            "start": _input.days(p["start"], "start"),
            "end": _input.days(p["end"], "end"),
        }
        c.update({k: _input.native(p[k].to_numpy(dtype=np.float64), np.float64) for k in AMOUNTS})
        c.update({k: _counts(p[k], k) for k in COUNTS})
        cols.append(c)
    return _movements_frame(_rk.merge_mrr_movements(cols, granularity), granularity)


def _counts(values: Any, column: str) -> np.ndarray:
    arr = np.asarray(values)
    if arr.dtype.kind not in "iu" or bool(np.any(arr < 0)):
        raise _rk.InvalidValueError(f"column `{column}`: customer counts must be integers >= 0", column=column)
    return _input.native(arr, np.uint64)


def subscription_cohorts(
    log: SubscriptionLog, observation_end: DateLike, *, values: str = "count"
) -> pd.DataFrame:
    """Monthly subscription cohorts: one row per month of first subscription, one column per month since.

    ``values``: ``"count"`` (customers active at any moment of the month;
    column 0 is the cohort size), ``"fraction"`` (of the
    cohort size), ``"mrr"`` (the cohort's MRR on the month's last day) or
    ``"mrr_retention"`` (MRR over month 0's MRR). Months not fully observed by
    ``observation_end`` are NaN. A cohort with no MRR at the end of month 0
    (free plans only) has no revenue retention, so it has no row in the
    ``"mrr_retention"`` frame; ``frame.attrs["cohorts_without_mrr"]`` lists
    such cohorts (empty when there are none).

    >>> import retentionkit as rk
    >>> log = rk.SubscriptionLog.from_columns(  # 1: 10 from 10 Jan to 15 Feb, 30 from 1 Mar; 2: 20 from 20 Jan
    ...     [1, 1, 2], ["2024-01-10", "2024-03-01", "2024-01-20"], ["2024-02-15", None, None], [10.0, 30.0, 20.0])
    >>> rk.subscription_cohorts(log, "2024-03-20", values="mrr")  # 31 Jan: 10 + 20; 29 Feb: 20; March open
    month       0     1   2
    cohort                 
    2024-01  30.0  20.0 NaN
    """
    if values not in ("count", "fraction", "mrr", "mrr_retention"):
        raise _rk.InvalidArgumentError(
            f"argument `values`: {values!r} is not 'count', 'fraction', 'mrr' or 'mrr_retention'", argument="values"
        )
    with log._user_columns():
        d = log._log.cohorts(_input.day(observation_end, "observation_end"))
    n, width = len(d["labels"]), int(d["width"])
    key = {"count": "active", "fraction": "fraction", "mrr": "mrr", "mrr_retention": "mrr_retention"}
    frame = pd.DataFrame(
        np.asarray(d[key[values]], dtype=np.float64).reshape(n, width),
        index=pd.Index(d["labels"], name="cohort"),
        columns=pd.RangeIndex(width, name="month"),
    )
    if values == "mrr_retention":
        without = [d["labels"][i] for i in d["without_mrr"]]
        frame = frame.drop(index=without)
        frame.attrs["cohorts_without_mrr"] = without
    return frame


def subscription_clv(arpa: float, gross_margin: float, churn_rate: float) -> float:
    """Simple subscription CLV: ARPA × gross margin / churn rate (same period length for both).

    Raises :class:`ZeroDenominatorError` for a churn rate of 0 and
    :class:`InvalidArgumentError` for a margin or churn rate outside [0, 1].

    >>> import retentionkit as rk
    >>> rk.subscription_clv(50.0, 0.8, 0.02)  # 50 × 0.8 / 0.02
    2000.0
    """
    return float(_rk.subscription_clv(float(arpa), float(gross_margin), float(churn_rate)))


def discounted_clv(margin: float, retention: float, discount: float) -> float:
    """Discounted CLV over an infinite horizon: margin × r / (1 + d − r) (Gupta & Lehmann 2003).

    Margins are counted from the first renewal on.

    >>> import retentionkit as rk
    >>> round(rk.discounted_clv(100.0, 0.8, 0.1), 6)  # 100 × 0.8 / 0.3, their margin multiple 2.67
    266.666667
    """
    return float(_rk.discounted_clv(float(margin), float(retention), float(discount)))
