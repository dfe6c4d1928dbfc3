"""The transaction log and the tables computed from it."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any, Callable, Dict, List, Literal, Optional, Sequence, Tuple, TypeVar, Union

import numpy as np

if TYPE_CHECKING:
    import pandas as pd
else:
    from ._lazy import pandas as pd

from . import _errors, _input, _output
from . import _retentionkit as _rk

DateLike = Any
"""A date argument: ISO string, ``datetime.date``, ``numpy.datetime64``, ``pandas.Timestamp`` or day number."""

T = TypeVar("T")


def columns_of(data: Any) -> Optional[list]:
    """The column names of a pandas or polars DataFrame or a dict of columns (None otherwise)."""
    if isinstance(data, dict):
        return [str(k) for k in data]
    cols = getattr(data, "columns", None)
    return None if cols is None else [str(c) for c in cols]


def column_of(data: Any, name: str, needed_for: str, argument: Optional[str] = None) -> Any:
    """Column ``name`` of a pandas or polars DataFrame or a dict of columns.

    A missing column raises :class:`MissingColumnError` listing the columns
    the table has and, given ``argument``, the keyword that names another.
    """
    try:
        return data[name]
    except (KeyError, IndexError, TypeError, ValueError):
        pass
    except Exception as err:  # polars' ColumnNotFoundError is not a KeyError
        if type(err).__name__ != "ColumnNotFoundError":
            raise
    cols = columns_of(data)
    have = "" if cols is None else f"; the table's columns are {', '.join(repr(c) for c in cols)}"
    how = "" if argument is None else f" (name another with `{argument}=`)"
    raise _rk.MissingColumnError(
        f"column `{name}` is required for {needed_for} but is not in the table{have}{how}", column=name
    )


class TransactionLog:
    """A validated transaction log: one row per order.

    Build it from a pandas or polars DataFrame (or a dict of columns) with
    the column names as arguments, or from columns with
    :meth:`from_columns`. Ids may be integers or strings; dates may be
    ``datetime64``, pandas/polars date columns, Python dates, ISO strings or
    ``yyyymmdd`` integers; text in another format is read with
    ``date_format`` (a ``strftime`` pattern such as ``"%d/%m/%Y"``; a value
    that does not match it raises :class:`InvalidValueError` at its row).
    Rows may come in any order.

    The core checks the columns once, when the log is made, and keeps a copy
    of them with its customer numbering and date order: every function given
    the log starts from there, so keep a log you use more than once.

    >>> import pandas as pd, retentionkit as rk
    >>> df = pd.DataFrame({"user": ["b", "a", "b"],
    ...                    "day": ["2024-01-03", "2024-01-09", "2024-02-02"],
    ...                    "price": [20.0, 35.0, 15.0]})
    >>> log = rk.TransactionLog(df, customer_id="user", date="day", amount="price")
    >>> log
    TransactionLog(rows=3, customers=2, first='2024-01-03', last='2024-02-02', amounts=True)
    """

    labels: Optional[np.ndarray]
    """The string ids in code order (a customer's code indexes it); None for integer ids."""

    def __init__(
        self,
        data: Any,
        *,
        customer_id: str = "customer_id",
        date: str = "date",
        amount: Optional[str] = None,
        date_format: Optional[str] = None,
        _keep: bool = True,
    ) -> None:
        def column(name: str, argument: str) -> Any:
            return column_of(data, name, "the transaction log", argument)

        self._names = {"customer_id": customer_id, "date": date, "amount": amount or "amount"}
        # What the native functions take (see below).
        self._arg: Any = None
        # The library results are returned in (see _output.like).
        self._library = _output.library_of(data)
        arrow = _input.arrow_source(data, customer_id, date, amount)
        if arrow is not None:
            # An Arrow PyCapsule producer: read in Rust by the rules the command
            # line's Parquet reader follows (one batch of the core's layout is
            # borrowed without a copy).
            with self._user_columns():
                cols = _rk.ArrowColumns(arrow, customer_id, date, amount, date_format)
                self.labels = None if cols.labels is None else np.asarray(cols.labels, dtype=object)
                self._arg = _rk.Log.from_arrow(cols) if _keep else cols
            return
        with self._user_columns():
            ids, self.labels = _input.ids(column(customer_id, "customer_id"), customer_id)
            days = _input.days(column(date, "date"), date, date_format, order_days=True)
            amounts = None if amount is None else _input.amounts(column(amount, "amount"), amount)
            # What the native functions take: the kept core log (validated once,
            # with the customer numbering and the date order, for a log the user
            # holds), or for a one-off call on a DataFrame the columns themselves,
            # borrowed and validated within that call without a copy.
            self._arg = _rk.Log(ids, days, amounts) if _keep else (ids, days, amounts)

    @classmethod
    def from_columns(cls, customer_id: Any, date: Any, amount: Any = None) -> "TransactionLog":
        """A log from columns: arrays, Series or lists of equal length.

        >>> import retentionkit as rk
        >>> log = rk.TransactionLog.from_columns([1, 2, 1], ["2024-01-03", "2024-01-09", "2024-02-02"])
        >>> log.num_customers
        2
        """
        data = {"customer_id": customer_id, "date": date}
        if amount is not None:
            data["amount"] = amount
        return cls(data, amount=None if amount is None else "amount")

    @property
    def _log(self) -> Any:
        """The kept core log (``_rk.Log``), made on first use for a one-off log."""
        if isinstance(self._arg, tuple):
            with self._user_columns():
                self._arg = _rk.Log(*self._arg)
        elif isinstance(self._arg, _rk.ArrowColumns):
            with self._user_columns():
                self._arg = _rk.Log.from_arrow(self._arg)
        return self._arg

    def __getstate__(self) -> Dict[str, Any]:
        log = self._log
        return {
            "names": self._names,
            "labels": self.labels,
            "columns": (log.ids, log.days, log.amounts),
            "library": self._library,
        }

    def __setstate__(self, state: Dict[str, Any]) -> None:
        self._names, self.labels = state["names"], state["labels"]
        self._library = state.get("library", _output.PANDAS)
        self._arg = _rk.Log(*state["columns"])

    def _user_columns(self) -> "_Rename":
        return _Rename(self._names)

    def _call(self, f: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        with self._user_columns():
            return f(self._arg, *args, **kwargs)

    def _customer_index(self, codes: np.ndarray) -> pd.Index:
        return _customer_index(codes, self.labels)

    @property
    def ids(self) -> np.ndarray:
        """A copy of the customer ids as the core holds them (``uint64``; for string ids, their codes into :attr:`labels`)."""
        return self._log.ids

    @property
    def days(self) -> np.ndarray:
        """A copy of the order dates as day numbers since 1970-01-01 (``int32``)."""
        return self._log.days

    @property
    def amounts(self) -> Optional[np.ndarray]:
        """A copy of the amounts (``float64``), or None for a log without amounts."""
        return self._log.amounts

    @property
    def num_rows(self) -> int:
        """Number of orders."""
        return int(self._log.num_rows)

    @property
    def num_customers(self) -> int:
        """Number of distinct customers."""
        return int(self._log.num_customers)

    @property
    def first_date(self) -> np.datetime64:
        """Date of the first order."""
        return np.datetime64(int(self._log.first_day), "D")

    @property
    def last_date(self) -> np.datetime64:
        """Date of the last order."""
        return np.datetime64(int(self._log.last_day), "D")

    def __len__(self) -> int:
        return self.num_rows

    def __repr__(self) -> str:
        return (
            f"TransactionLog(rows={self.num_rows}, customers={self.num_customers}, "
            f"first='{self.first_date}', last='{self.last_date}', amounts={self._log.has_amounts})"
        )


class _Rename:
    """Re-raise core errors with the user's column names instead of the core's."""

    def __init__(self, names: Dict[str, str]) -> None:
        self._names = names

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: Any, err: Any, tb: Any) -> "Literal[False]":
        if isinstance(err, _rk.RetentionError) and not getattr(err, "_renamed", False):
            msg = str(err)
            for core, user in self._names.items():
                if core != user:
                    msg = msg.replace(f"column `{core}`", f"column `{user}`")
            if msg != str(err):
                column = self._names.get(err.column, err.column) if err.column is not None else None
                new = _errors._with(err, msg, column=column)
                new._renamed = True  # type: ignore[attr-defined]
                raise new from None
        return False


LogLike = Union[TransactionLog, Any]


def as_log(
    data: LogLike,
    customer_id: str = "customer_id",
    date: str = "date",
    amount: Optional[str] = None,
) -> TransactionLog:
    """``data`` itself when it is a :class:`TransactionLog`, else a log built from its columns."""
    if isinstance(data, TransactionLog):
        return data
    return TransactionLog(data, customer_id=customer_id, date=date, amount=amount, _keep=False)


def _lookback(lookback_months: Optional[int], lookback_days: Optional[int]) -> Dict[str, Any]:
    for name, n in (("lookback_days", lookback_days), ("lookback_months", lookback_months)):
        if n is not None and not (isinstance(n, (int, np.integer)) and not isinstance(n, bool) and 0 <= n < 2**32):
            raise _rk.InvalidArgumentError(
                f"argument `{name}`: {n!r} must be a whole number of {name[9:]}, 0 or more", argument=name
            )
    if lookback_days is not None:
        return {"lookback_days": lookback_days, "lookback_months": lookback_months}
    return {"lookback_months": 12 if lookback_months is None else lookback_months}


def _kpi_frame(d: Dict[str, Any]) -> pd.DataFrame:
    d = dict(d)
    period = d.pop("period")
    d["start"] = _input.dates_of(d["start"])
    d["end"] = _input.dates_of(d["end"])
    return pd.DataFrame(d, index=pd.Index(period, name="period"))


def kpis(
    data: LogLike,
    *,
    customer_id: str = "customer_id",
    date: str = "date",
    amount: Optional[str] = None,
    granularity: str = "month",
    lookback_months: Optional[int] = None,
    lookback_days: Optional[int] = None,
) -> pd.DataFrame:
    """Period KPIs of every period of the log, one row per period.

    A customer is active at a day when they ordered in the look-back window
    before it (default 12 months). Columns: the counts S (``start_customers``),
    E, N, retained, reactivated, orders, revenue, and the rates; a rate whose
    denominator is zero is NaN. ``end`` is exclusive; ``complete`` is False
    for a period the log ends inside.

    >>> import retentionkit as rk
    >>> log = rk.TransactionLog.from_columns([1, 2, 1, 3, 2],
    ...     ["2024-01-03", "2024-01-09", "2024-02-02", "2024-02-05", "2024-03-01"])
    >>> k = rk.kpis(log, lookback_months=1)
    >>> feb = k.loc["2024-02"]  # active on 1 Feb: 1, 2; on 1 Mar: 1, 3; customer 3 new
    >>> (int(feb.start_customers), int(feb.end_customers), int(feb.new_customers))
    (2, 2, 1)
    >>> float(feb.retention_rate)  # (E - N) / S = (2 - 1) / 2
    0.5
    """
    log = as_log(data, customer_id, date, amount)
    frame = _kpi_frame(log._call(_rk.kpi_series, granularity, **_lookback(lookback_months, lookback_days)))
    return _output.like(log, frame)


@dataclasses.dataclass(frozen=True)
class PeriodKpis:
    """KPIs of one period ``[start, end)``; rates are None when undefined."""

    start: np.datetime64
    end: np.datetime64
    start_customers: int
    end_customers: int
    new_customers: int
    retained: int
    reactivated: int
    active_customers: int
    orders: int
    repeat_customers: int
    revenue: Optional[float]
    retention_rate: Optional[float]
    cohort_retention: Optional[float]
    churn_rate: Optional[float]
    growth_rate: Optional[float]
    repeat_customer_rate: Optional[float]
    purchase_frequency: Optional[float]
    average_order_value: Optional[float]


def period_kpis(
    data: LogLike,
    start: DateLike,
    end: DateLike,
    *,
    customer_id: str = "customer_id",
    date: str = "date",
    amount: Optional[str] = None,
    lookback_months: Optional[int] = None,
    lookback_days: Optional[int] = None,
) -> PeriodKpis:
    """KPIs of one period ``[start, end)``.

    >>> import retentionkit as rk
    >>> log = rk.TransactionLog.from_columns([1, 2, 1, 3, 2],
    ...     ["2024-01-03", "2024-01-09", "2024-02-02", "2024-02-05", "2024-03-01"])
    >>> k = rk.period_kpis(log, "2024-02-01", "2024-03-01", lookback_months=1)
    >>> (k.start_customers, k.end_customers, k.retention_rate)
    (2, 2, 0.5)
    """
    log = as_log(data, customer_id, date, amount)
    d = log._call(
        _rk.period_kpis,
        _input.day(start, "start"),
        _input.day(end, "end"),
        **_lookback(lookback_months, lookback_days),
    )
    # One row: read straight from the native arrays (no DataFrame).
    values: Dict[str, Any] = {}
    for f in dataclasses.fields(PeriodKpis):
        v = d[f.name][0]
        if f.name in ("start", "end"):
            values[f.name] = np.datetime64(int(v), "D")
        elif isinstance(v, (float, np.floating)):
            values[f.name] = None if np.isnan(v) else float(v)
        else:
            values[f.name] = int(v)
    return PeriodKpis(**values)


def cohort_matrix(
    data: LogLike,
    *,
    customer_id: str = "customer_id",
    date: str = "date",
    amount: Optional[str] = None,
    granularity: str = "month",
    kind: str = "n_period",
    values: str = "fraction",
    observation_end: Optional[DateLike] = None,
) -> pd.DataFrame:
    """The acquisition-cohort retention matrix: one row per cohort, one column per period since acquisition.

    ``kind`` is ``"n_period"`` (active in exactly period k) or ``"unbounded"``
    (active in period k or later); ``values`` is ``"fraction"`` (of the
    cohort size), ``"count"`` (customers) or ``"revenue"``. Cells after the
    observation end are NaN; column 0 of the counts is the cohort size.

    >>> import retentionkit as rk
    >>> log = rk.TransactionLog.from_columns([1, 2, 3, 1, 3],
    ...     ["2024-01-02", "2024-01-05", "2024-02-07", "2024-03-01", "2024-03-31"])
    >>> rk.cohort_matrix(log, values="count")
    period     0    1    2
    cohort                
    2024-01  2.0  0.0  1.0
    2024-02  1.0  1.0  NaN
    """
    if kind not in ("n_period", "unbounded"):
        raise _rk.InvalidArgumentError(f"argument `kind`: {kind!r} is not 'n_period' or 'unbounded'", argument="kind")
    if values not in ("fraction", "count", "revenue"):
        raise _rk.InvalidArgumentError(
            f"argument `values`: {values!r} is not 'fraction', 'count' or 'revenue'", argument="values"
        )
    log = as_log(data, customer_id, date, amount)
    end = None if observation_end is None else _input.day(observation_end, "observation_end")
    frame = _cohort_frame(log._call(_rk.cohort_matrix, granularity, end), kind, values)
    frame.attrs["granularity"] = granularity
    return _output.like(log, frame)


def _cohort_frame(d: Dict[str, Any], kind: str, values: str) -> pd.DataFrame:
    """The matrix of :func:`cohort_matrix` from the native module's dict (arguments checked)."""
    n, width = len(d["labels"]), int(d["width"])
    if values == "revenue":
        if d["revenue"] is None:
            raise _rk.MissingColumnError(
                "column `amount` is required for the revenue matrix but was not given", column="amount"
            )
        cells = d["revenue"]
    else:
        cells = d["active" if kind == "n_period" else "unbounded"]
        if values == "fraction":
            cells = cells.reshape(n, width) / d["sizes"].astype(np.float64)[:, None]
    frame = pd.DataFrame(
        np.asarray(cells, dtype=np.float64).reshape(n, width),
        index=pd.Index(d["labels"], name="cohort"),
        columns=pd.RangeIndex(width, name="period"),
    )
    # What the plots label: the values shown and each cohort's size.
    frame.attrs["values"] = values
    frame.attrs["cohort_sizes"] = [int(n) for n in d["sizes"]]
    return frame


_OPEN = 2**32 - 1  # the end of an open bracket (`(start, None)`)


def _bracket(i: int, b: Any) -> Tuple[int, int]:
    """Bracket `i` as (start, exclusive end), an open one ending at `_OPEN`."""
    if isinstance(b, range) and b.step == 1:
        b = (b.start, b.stop)

    def whole(v: Any) -> bool:
        return isinstance(v, (int, np.integer)) and not isinstance(v, bool)

    if isinstance(b, (tuple, list)) and len(b) == 2 and whole(b[0]) and (b[1] is None or whole(b[1])):
        start, stop = int(b[0]), _OPEN if b[1] is None else int(b[1])
        if 0 <= start < stop <= _OPEN:
            return start, stop
    raise _rk.InvalidArgumentError(
        f"argument `brackets`: bracket {i} is {b!r}; give (start, stop) with 0 <= start < stop, "
        "stop exclusive (or None for no end), or a range", argument="brackets"
    )


def _brackets(brackets: Any) -> Tuple[List[int], List[int], List[str]]:
    starts, ends, names = [], [], []
    for i, b in enumerate(brackets):
        start, stop = _bracket(i, b)
        starts.append(start)
        ends.append(stop)
        names.append(_bracket_name(start, stop))
    return starts, ends, names


def _bracket_name(start: int, stop: int) -> str:
    """The column label of bracket ``start..stop`` (stop exclusive, ``_OPEN`` for no end)."""
    return f"{start}+" if stop == _OPEN else f"{start}" if stop == start + 1 else f"{start}-{stop - 1}"


def bracket_retention(
    data: LogLike,
    brackets: Sequence[Any],
    *,
    customer_id: str = "customer_id",
    date: str = "date",
    amount: Optional[str] = None,
    granularity: str = "month",
    values: str = "fraction",
    observation_end: Optional[DateLike] = None,
) -> pd.DataFrame:
    """Bracket retention: one row per acquisition cohort, one column per bracket of periods since acquisition.

    A bracket ``(start, stop)`` (or ``range(start, stop)``) holds the periods
    k with start <= k < stop; ``(start, None)`` has no end. A cell is the
    customers of the cohort with an order in at least one period of the
    bracket (``values="count"``) or their fraction of the cohort size
    (``"fraction"``). Brackets are ordered by start and may overlap (at most
    64). A cell is NaN when the bracket's first period is after the
    observation end; ``frame.attrs["partial"]`` (a boolean frame of the same
    shape) marks the cells whose bracket reaches past the observed periods or
    into the partly observed last one (they count the orders seen so far),
    and the NaN cells.

    >>> import retentionkit as rk
    >>> log = rk.TransactionLog.from_columns([1, 2, 3, 1, 2, 1],
    ...     ["2024-01-02", "2024-01-05", "2024-01-09", "2024-02-07", "2024-03-01", "2024-04-30"])
    >>> b = rk.bracket_retention(log, [(1, 3), (3, 6)], values="count")
    >>> b.columns.tolist(), b.index.tolist()
    (['1-2', '3-5'], ['2024-01'])
    >>> b.loc["2024-01"].tolist()  # months 1-2: customers 1 (Feb) and 2 (Mar); 3-5: customer 1 (Apr)
    [2.0, 1.0]
    >>> b.attrs["partial"].loc["2024-01"].tolist()  # May and June are not observed yet
    [False, True]
    """
    _check_bracket_values(values)
    starts, ends, names = _brackets(brackets)
    log = as_log(data, customer_id, date, amount)
    end = None if observation_end is None else _input.day(observation_end, "observation_end")
    d = log._call(_rk.bracket_retention, granularity, starts, ends, end)
    n, nb = len(d["labels"]), len(names)
    frame = _bracket_frame(
        d["labels"], names, d["sizes"], d["counts"].reshape(n, nb), d["partial"].reshape(n, nb), values
    )
    return _output.like(log, frame)


def _check_bracket_values(values: str) -> None:
    if values not in ("fraction", "count"):
        raise _rk.InvalidArgumentError(f"argument `values`: {values!r} is not 'fraction' or 'count'", argument="values")


def _bracket_frame(
    labels: List[str], names: List[str], sizes: Any, counts: Any, partial: Any, values: str
) -> pd.DataFrame:
    """The frame of :func:`bracket_retention` from its (cohorts, brackets) blocks."""
    cells = np.asarray(counts, dtype=np.float64)
    if values == "fraction":
        cells = cells / np.asarray(sizes, dtype=np.float64)[:, None]
    index = pd.Index(labels, name="cohort")
    columns = pd.Index(names, name="bracket")
    frame = pd.DataFrame(cells, index=index, columns=columns)
    frame.attrs["partial"] = pd.DataFrame(np.asarray(partial, dtype=bool), index=index, columns=columns)
    return frame


def _customer_index(codes: np.ndarray, labels: Optional[np.ndarray]) -> pd.Index:
    """The customer ids of native results: the ids, or the labels the codes index."""
    if labels is None:
        return pd.Index(codes, name="customer_id")
    return pd.Index(labels[codes.astype(np.intp)], name="customer_id")


def _summary_frame(d: Dict[str, Any], index: pd.Index) -> pd.DataFrame:
    # One (k, n) float block from the native side: its transpose is one
    # pandas block, taken without a copy.
    values = d["values"]
    names = ["frequency", "recency", "T", "monetary_value"][: values.shape[0]]
    return pd.DataFrame(values.T, columns=names, index=index, copy=False)


def summary(
    data: LogLike,
    *,
    customer_id: str = "customer_id",
    date: str = "date",
    amount: Optional[str] = None,
    unit: str = "days",
    observation_end: Optional[DateLike] = None,
) -> pd.DataFrame:
    """The per-customer RFM/BTYD summary with lifetimes' columns ``frequency, recency, T, monetary_value``.

    Equal to lifetimes' ``summary_data_from_transaction_data`` (``freq='D'``,
    or ``freq_multiplier=7`` for ``unit="weeks"``): orders on one day are one
    purchase; frequency = distinct days − 1; recency = last − first day; T =
    observation end − first day; monetary_value = mean spend of the repeat
    days (0 for one-time buyers). Indexed by customer id, ascending.

    >>> import retentionkit as rk
    >>> log = rk.TransactionLog.from_columns(["b", "a", "b"], ["2024-01-03", "2024-01-09", "2024-02-02"], [20.0, 35.0, 15.0])
    >>> rk.summary(log)
                 frequency  recency     T  monetary_value
    customer_id                                          
    a                  0.0      0.0  24.0             0.0
    b                  1.0     30.0  30.0            15.0
    """
    log = as_log(data, customer_id, date, amount)
    end = None if observation_end is None else _input.day(observation_end, "observation_end")
    d = log._call(_rk.summary, unit, end)
    frame = _summary_frame(d, log._customer_index(d["customer_id"]))
    frame.attrs["unit"] = unit
    return _output.like(log, frame)


def calibration_and_holdout(
    data: LogLike,
    calibration_end: DateLike,
    observation_end: Optional[DateLike] = None,
    *,
    customer_id: str = "customer_id",
    date: str = "date",
    amount: Optional[str] = None,
    unit: str = "days",
    holdout_spend: str = "per_day",
) -> pd.DataFrame:
    """Calibration summary and holdout counts, with lifetimes' ``calibration_and_holdout_data`` columns.

    The calibration period ends at ``calibration_end`` (inclusive); the
    holdout is ``(calibration_end, observation_end]``; customers first seen in
    the holdout are left out.

    ``monetary_value_holdout`` (with an ``amount`` column) is the mean spend per
    holdout purchase day by default (``holdout_spend="per_day"``: two orders on
    one day are one purchase of their total, as in ``monetary_value``);
    ``holdout_spend="per_order"`` averages the holdout orders instead, which is
    what lifetimes' ``calibration_and_holdout_data`` does. The two differ only
    for customers with two or more orders on one holdout day.

    >>> import retentionkit as rk
    >>> two = rk.TransactionLog.from_columns([1, 1, 1, 1], [0, 8, 8, 9], [5.0, 10.0, 20.0, 30.0])
    >>> rk.calibration_and_holdout(two, 5, 14)["monetary_value_holdout"].tolist()  # (30 + 30) / 2 days
    [30.0]
    >>> rk.calibration_and_holdout(two, 5, 14, holdout_spend="per_order")["monetary_value_holdout"].tolist()  # 60 / 3 orders
    [20.0]

    >>> import retentionkit as rk
    >>> log = rk.TransactionLog.from_columns([1, 1, 1, 2], [0, 3, 10, 12])
    >>> ch = rk.calibration_and_holdout(log, 5, 14)
    >>> list(ch.columns)
    ['frequency_cal', 'recency_cal', 'T_cal', 'frequency_holdout', 'duration_holdout']
    >>> ch.loc[1].tolist()  # days 0, 3 | 10: x = 1, t_x = 3, T = 5; one holdout day in (5, 14], 9 days long
    [1.0, 3.0, 5.0, 1.0, 9.0]
    >>> list(ch.index)  # customer 2 starts in the holdout
    [1]
    """
    log = as_log(data, customer_id, date, amount)
    cal = _input.day(calibration_end, "calibration_end")
    end = None if observation_end is None else _input.day(observation_end, "observation_end")
    d = log._call(_rk.calibration_holdout, cal, end, unit, holdout_spend)
    frame = _summary_frame(d, log._customer_index(d["customer_id"])).add_suffix("_cal")
    frame["frequency_holdout"] = d["frequency_holdout"].astype(np.float64)
    if d["monetary_value_holdout"] is not None:
        frame["monetary_value_holdout"] = d["monetary_value_holdout"]
    frame["duration_holdout"] = float(d["duration_holdout"])
    # The unit of recency, T and the holdout's length: a model fitted on the
    # table takes it (as from :func:`summary`), so its predictions and
    # tracking curve count time alike.
    frame.attrs["unit"] = unit
    return _output.like(log, frame)


def rfm(
    data: LogLike,
    *,
    customer_id: str = "customer_id",
    date: str = "date",
    amount: Optional[str] = None,
    observation_end: Optional[DateLike] = None,
) -> pd.DataFrame:
    """RFM values, 1–5 quintile scores and the named segment of every customer.

    >>> import retentionkit as rk
    >>> log = rk.TransactionLog.from_columns([1, 2, 2], ["2024-01-03", "2024-01-09", "2024-02-02"], [5.0, 9.0, 9.0])
    >>> rk.rfm(log)[["recency_days", "orders", "spend"]]  # last order 30 and 0 days before 2024-02-02
                 recency_days  orders  spend
    customer_id                             
    1                      30       1    5.0
    2                       0       2   18.0
    """
    log = as_log(data, customer_id, date, amount)
    end = None if observation_end is None else _input.day(observation_end, "observation_end")
    d = log._call(_rk.rfm, end)
    cols: Dict[str, Any] = {"recency_days": d["recency_days"], "orders": d["orders"]}
    if d["spend"] is not None:
        cols["spend"] = d["spend"]
    cols["r_score"] = d["r_score"]
    cols["f_score"] = d["f_score"]
    if d["m_score"] is not None:
        cols["m_score"] = d["m_score"]
    cols["segment"] = d["segment"]
    return _output.like(log, _rfm_frame(d, cols, log._customer_index(d["customer_id"])))


def _rfm_frame(d: Dict[str, Any], cols: Dict[str, Any], index: pd.Index) -> pd.DataFrame:
    frame = pd.DataFrame(cols, index=index)
    # What merge_rfm needs to check that parts fit together.
    frame.attrs["observation_end"] = np.datetime64(int(d["observation_end"]), "D")
    return frame


def merge_rfm(parts: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """The RFM table of the whole log from :func:`rfm` tables of customer-disjoint parts.

    The RFM values of a customer do not depend on other customers, but the
    1–5 quintile scores do: they are recomputed over all customers, so the
    result equals :func:`rfm` of the whole log. Parts must share the
    observation end (give ``observation_end`` to :func:`rfm`) and all have,
    or all lack, amounts; a customer in two parts raises
    :class:`IncompatibleError`.

    >>> import retentionkit as rk
    >>> a = rk.rfm(rk.TransactionLog.from_columns([1, 1], [0, 40]), observation_end=40)
    >>> b = rk.rfm(rk.TransactionLog.from_columns([2, 3], [10, 39]), observation_end=40)
    >>> rk.merge_rfm([a, b])[["recency_days", "r_score"]]  # 0, 30 and 1 days: the quintiles of 3 customers
                 recency_days  r_score
    customer_id                       
    1                       0        4
    2                      30        1
    3                       1        2
    """
    if not parts:
        raise _rk.EmptyError("no RFM tables to merge")
    ends = []
    for p in parts:
        end = p.attrs.get("observation_end")
        if end is None:
            raise _rk.IncompatibleError("RFM tables to merge must come from retentionkit.rfm")
        ends.append(_input.day(end, "observation_end"))
    index = pd.Index(np.concatenate([p.index.to_numpy() for p in parts]))
    codes_all, labels = _input.ids(index, "customer_id")
    ids, start = [], 0
    for p in parts:
        ids.append(_input.native(codes_all[start : start + len(p)], codes_all.dtype))
        start += len(p)
    has_spend = ["spend" in p.columns for p in parts]
    d = _rk.merge_rfm(
        ids,
        [_input.native(p["recency_days"].to_numpy(), np.int32) for p in parts],
        [_whole(p["orders"], "orders") for p in parts],
        [_input.native(_input.amounts(p["spend"], "spend"), np.float64) if s else None for p, s in zip(parts, has_spend)],
        ends,
    )
    cols: Dict[str, Any] = {"recency_days": d["recency_days"], "orders": d["orders"]}
    if d["spend"] is not None:
        cols["spend"] = d["spend"]
    cols["r_score"] = d["r_score"]
    cols["f_score"] = d["f_score"]
    if d["m_score"] is not None:
        cols["m_score"] = d["m_score"]
    cols["segment"] = d["segment"]
    codes = d["customer_id"]
    index = pd.Index(codes if labels is None else labels[codes.astype(np.intp)], name="customer_id")
    return _rfm_frame(d, cols, index)


def _whole(values: Any, column: str) -> np.ndarray:
    arr = np.asarray(values)
    if arr.dtype.kind not in "iu" or bool(np.any(arr < 0)):
        raise _rk.InvalidValueError(f"column `{column}`: expected whole numbers >= 0", column=column)
    return _input.native(arr, np.uint64)


def demo_shop(
    *,
    seed: int = 42,
    customers: int = 20_000,
    start: DateLike = "2021-01-01",
    days: int = 1_095,
) -> pd.DataFrame:
    """The core's seeded demo shop: a simulated order log with a known truth.

    The same log as the command line's ``retentionkit report`` without a file
    and the npm package's ``demoShop()`` (the defaults are theirs): columns
    ``customer_id`` (1 to ``customers`` in order of acquisition), ``date``
    (ascending) and ``amount``; ``days`` days from ``start``.

    >>> import retentionkit as rk
    >>> orders = rk.demo_shop(customers=50, days=60)
    >>> list(orders.columns), bool(orders["date"].is_monotonic_increasing)
    (['customer_id', 'date', 'amount'], True)
    >>> int(orders["customer_id"].min()), str(orders["date"].min().date()) >= "2021-01-01"
    (1, True)
    """
    for name, value in (("seed", seed), ("customers", customers), ("days", days)):
        if not isinstance(value, (int, np.integer)) or isinstance(value, bool) or value < 0:
            raise _errors.InvalidArgumentError(
                f"argument `{name}`: {value!r} is not a whole number >= 0", argument=name
            )
    d = _rk.demo_shop(int(seed), int(customers), _input.day(start, "start"), int(days))
    return pd.DataFrame(
        {
            "customer_id": d["customer_id"],
            "date": _input.dates_of(d["day"]).astype("datetime64[ns]"),
            "amount": d["amount"],
        }
    )
