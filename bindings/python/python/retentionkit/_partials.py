"""Partial results of customer-disjoint parts of a log, and their merges.

Pandas in, no Dask: :mod:`retentionkit.dask` runs these on its partitions,
and any engine that can call Python per group of customers (Spark's
``applyInPandas``) can run them too. Every partial is a sum over the part's
customers (docs/metrics.md, "Merging partial results"), so the merges add.
The KPI, cohort, bracket, summary and compressed-summary partials are native
classes (:class:`KpiPartial`, :class:`CohortPartial`, :class:`BracketPartial`,
:class:`SummaryPartial`, :class:`CompressedPartial`,
:class:`CompressedSpendPartial`: the core's ``KpiSeries``, ``CohortMatrix``,
``BracketMatrix``, ``Summary`` or ``KeyedSummary``, ``CompressedSummary`` and
``CompressedSpend``), merged by the core and pickled through their serde form;
the RFM and Kaplan–Meier partials are merged by the core's ``merge_rfm`` and
``KaplanMeier.merge``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, List, Optional, Sequence, Tuple, Type, TypeVar, Union, cast

import numpy as np

if TYPE_CHECKING:
    import pandas as pd
else:
    from ._lazy import pandas as pd

from . import _input
from . import _log
from . import _retentionkit as _rk
from .survival import KaplanMeier, kaplan_meier

P = TypeVar("P")

KpiPartial = _rk.KpiPartial
LifecyclePartial = _rk.LifecyclePartial
CohortPartial = _rk.CohortPartial
BracketPartial = _rk.BracketPartial
SummaryPartial = _rk.SummaryPartial
CompressedPartial = _rk.CompressedPartial
CompressedSpendPartial = _rk.CompressedSpendPartial

KPI_COUNTS: Tuple[str, ...] = _rk.KPI_COUNTS
"""The per-period counts of a KPI series: sums over customers, so partials add."""


# ---------------------------------------------------------------------------
# Columns of one pandas partition


def _column(part: pd.DataFrame, name: str) -> Any:
    if name in part.columns:
        return part[name]
    if part.index.name == name:
        return part.index.to_series()
    raise _rk.MissingColumnError(
        f"column `{name}` is required for the transaction log but was not given", column=name
    )


def _aligned(values: Any) -> Any:
    """A numpy array in memory the native module accepts.

    Buffers unpickled on a worker can be misaligned; ``np.require`` copies
    only those.
    """
    if isinstance(values, np.ndarray):
        return np.require(values, requirements=["C", "A"])
    return values


def _days(values: Any, column: str) -> np.ndarray:
    """Dates as day numbers (Arrow ``date32`` columns by one cast, see ``_input.days``)."""
    return _input.days(values, column)


def _names(customer_id: str, date: str, amount: Optional[str]) -> Dict[str, str]:
    return {"customer_id": customer_id, "date": date, "amount": amount or "amount"}


def _part_log(
    part: pd.DataFrame,
    customer_id: str,
    date: str,
    amount: Optional[str],
    observation_end: Optional[int] = None,
) -> Optional[Tuple[Any, Any, Any]]:
    """The partition's columns for a native function, without the orders after ``observation_end``.

    The native function validates them as the single-machine log is
    validated; when orders are cut, the whole partition is validated first,
    so a bad row is reported even when it falls after the end. None when no
    order is left.
    """
    if len(part) == 0:
        return None
    with _log._Rename(_names(customer_id, date, amount)):
        ids = _aligned(_input.ids(_column(part, customer_id), customer_id)[0])
        days = _aligned(_days(_column(part, date), date))
        amounts = None if amount is None else _aligned(_input.amounts(_column(part, amount), amount))
        if observation_end is None:
            return ids, days, amounts
        keep = days <= observation_end
        if bool(keep.all()):
            return ids, days, amounts
        _rk.Log(ids, days, amounts)  # the checks of the whole partition
    if not bool(keep.any()):
        return None
    return ids[keep], days[keep], None if amounts is None else amounts[keep]


def _date_bounds(part: pd.DataFrame, date: str) -> Optional[Tuple[int, int]]:
    if len(part) == 0:
        return None
    with _log._Rename({"date": date}):
        days = _days(_column(part, date), date)
    return int(days.min()), int(days.max())


def _merge_bounds(parts: Sequence[Optional[Tuple[int, int]]]) -> Optional[Tuple[int, int]]:
    found = [p for p in parts if p is not None]
    if not found:
        return None
    return min(p[0] for p in found), max(p[1] for p in found)


def _not_none(parts: Sequence[Optional[P]]) -> List[P]:
    return [p for p in parts if p is not None]


def _empty() -> _rk.EmptyError:
    return _rk.EmptyError("the transaction log is empty")


# ---------------------------------------------------------------------------
# KPI series


def kpi_partial(
    part: pd.DataFrame,
    first_day: int,
    last_day: int,
    *,
    customer_id: str = "customer_id",
    date: str = "date",
    amount: Optional[str] = None,
    granularity: str = "month",
    lookback_months: Optional[int] = None,
    lookback_days: Optional[int] = None,
) -> Optional[KpiPartial]:
    """The KPI partial of one partition, over the periods of the whole log's ``first_day..last_day``.

    A :class:`KpiPartial`: the core's KPI series of the partition's customers
    over exactly the whole log's periods (``kpi_series_between``), whose
    counts add over customer-disjoint partitions (docs/metrics.md, "Merging
    partial results"). It pickles, so a worker can ship it; merge with
    :func:`merge_kpi_partials` and finish with :func:`kpis_from_partial`.
    None for an empty partition.
    """
    log = _part_log(part, customer_id, date, amount)
    if log is None:
        return None
    lookback = _log._lookback(lookback_months, lookback_days)
    with _log._Rename(_names(customer_id, date, amount)):
        return _rk.kpi_partial(log, granularity, int(first_day), int(last_day), **lookback)


def merge_kpi_partials(parts: Sequence[Optional[KpiPartial]]) -> Optional[KpiPartial]:
    """The :class:`KpiPartial` of the union of the parts (None entries are skipped; :meth:`KpiPartial.merge`).

    Raises :class:`retentionkit.IncompatibleError` for partials of different
    periods or look-backs, or when only some have revenue.
    """
    found = _not_none(parts)
    if not found:
        return None
    return KpiPartial.merge(found)


def kpis_from_partial(partial: Optional[KpiPartial]) -> pd.DataFrame:
    """The KPI table of :func:`retentionkit.kpis` from a (merged) :class:`KpiPartial`; the rates are the core's."""
    if partial is None:
        raise _empty()
    return _log._kpi_frame(partial.table())


# ---------------------------------------------------------------------------
# Lifecycle


def lifecycle_partial(
    part: pd.DataFrame,
    first_day: int,
    last_day: int,
    *,
    customer_id: str = "customer_id",
    date: str = "date",
    granularity: str = "month",
) -> Optional[LifecyclePartial]:
    """The lifecycle partial of one partition, over the periods of the whole log's ``first_day..last_day``.

    A :class:`LifecyclePartial`: the core's lifecycle of the partition's
    customers over exactly the whole log's periods (``lifecycle_between``).
    A customer's status depends on all of their orders, so the counts add
    only over partitions that each hold all of their customers' orders
    (docs/metrics.md, "Merging partial results"). Merge with
    :func:`merge_lifecycle_partials` and finish with
    :func:`lifecycle_from_partial`. None for an empty partition.
    """
    log = _part_log(part, customer_id, date, None)
    if log is None:
        return None
    with _log._Rename(_names(customer_id, date, None)):
        return _rk.lifecycle_partial(log, granularity, int(first_day), int(last_day))


def merge_lifecycle_partials(parts: Sequence[Optional[LifecyclePartial]]) -> Optional[LifecyclePartial]:
    """The :class:`LifecyclePartial` of the union of the parts (None entries are skipped; :meth:`LifecyclePartial.merge`)."""
    found = _not_none(parts)
    if not found:
        return None
    return LifecyclePartial.merge(found)


def lifecycle_from_partial(partial: Optional[LifecyclePartial]) -> pd.DataFrame:
    """The table of :func:`retentionkit.lifecycle` from a (merged) :class:`LifecyclePartial`."""
    if partial is None:
        raise _empty()
    return _log._kpi_frame(partial.table())


# ---------------------------------------------------------------------------
# Cohort matrix


def cohort_partial(
    part: pd.DataFrame,
    observation_end: int,
    *,
    customer_id: str = "customer_id",
    date: str = "date",
    amount: Optional[str] = None,
    granularity: str = "month",
) -> Optional[CohortPartial]:
    """The cohort partial of one partition at the whole log's ``observation_end``.

    A :class:`CohortPartial`: the core's cohort matrix of the partition's
    customers, whose cells add over customer-disjoint partitions
    (docs/metrics.md, "Merging partial results"). It pickles; merge with
    :func:`merge_cohort_partials` and finish with
    :func:`cohort_matrix_from_partial`. Orders after ``observation_end`` are
    left out, as in the single-machine matrix. None when nothing is left.
    """
    log = _part_log(part, customer_id, date, amount, int(observation_end))
    if log is None:
        return None
    with _log._Rename(_names(customer_id, date, amount)):
        return _rk.cohort_partial(log, granularity, int(observation_end))


def merge_cohort_partials(parts: Sequence[Optional[CohortPartial]]) -> Optional[CohortPartial]:
    """The :class:`CohortPartial` of the union of the parts (None entries are skipped; :meth:`CohortPartial.merge`).

    Raises :class:`retentionkit.IncompatibleError` for partials of other
    granularities or observation ends, or when only some have revenue.
    """
    found = _not_none(parts)
    if not found:
        return None
    return CohortPartial.merge(found)


def _check_cohort_args(kind: str, values: str) -> None:
    if kind not in ("n_period", "unbounded"):
        raise _rk.InvalidArgumentError(f"argument `kind`: {kind!r} is not 'n_period' or 'unbounded'", argument="kind")
    if values not in ("fraction", "count", "revenue"):
        raise _rk.InvalidArgumentError(
            f"argument `values`: {values!r} is not 'fraction', 'count' or 'revenue'", argument="values"
        )


def cohort_matrix_from_partial(
    partial: Optional[CohortPartial], *, kind: str = "n_period", values: str = "fraction"
) -> pd.DataFrame:
    """The matrix of :func:`retentionkit.cohort_matrix` from a (merged) :class:`CohortPartial`."""
    _check_cohort_args(kind, values)
    if partial is None:
        raise _empty()
    return _log._cohort_frame(partial.table(), kind, values)


# ---------------------------------------------------------------------------
# Bracket retention


def bracket_partial(
    part: pd.DataFrame,
    observation_end: int,
    brackets: Sequence[Any],
    *,
    customer_id: str = "customer_id",
    date: str = "date",
    amount: Optional[str] = None,
    granularity: str = "month",
) -> Optional[BracketPartial]:
    """The bracket partial of one partition at the whole log's ``observation_end``.

    A :class:`BracketPartial`: the core's bracket matrix of the partition's
    customers, whose counts add over customer-disjoint partitions
    (docs/metrics.md, "Merging partial results"). It pickles; merge with
    :func:`merge_bracket_partials` and finish with
    :func:`bracket_retention_from_partial`. Orders after ``observation_end``
    are left out. None when nothing is left.
    """
    starts, ends, _ = _log._brackets(brackets)
    log = _part_log(part, customer_id, date, amount, int(observation_end))
    if log is None:
        return None
    with _log._Rename(_names(customer_id, date, amount)):
        return _rk.bracket_partial(log, granularity, starts, ends, int(observation_end))


def merge_bracket_partials(parts: Sequence[Optional[BracketPartial]]) -> Optional[BracketPartial]:
    """The :class:`BracketPartial` of the union of the parts (None entries are skipped; :meth:`BracketPartial.merge`).

    Raises :class:`retentionkit.IncompatibleError` for partials of other
    brackets, granularities or observation ends.
    """
    found = _not_none(parts)
    if not found:
        return None
    return BracketPartial.merge(found)


def bracket_retention_from_partial(partial: Optional[BracketPartial], *, values: str = "fraction") -> pd.DataFrame:
    """The frame of :func:`retentionkit.bracket_retention` from a (merged) :class:`BracketPartial`."""
    _log._check_bracket_values(values)
    if partial is None:
        raise _empty()
    d = partial.table()
    names = [_log._bracket_name(a, b) for a, b in zip(d["starts"], d["ends"])]
    n, nb = len(d["labels"]), len(names)
    return _log._bracket_frame(
        d["labels"], names, d["sizes"], d["counts"].reshape(n, nb), d["partial"].reshape(n, nb), values
    )


# ---------------------------------------------------------------------------
# Per-customer summary and its compressed table


def summary_partial(
    part: pd.DataFrame,
    observation_end: int,
    *,
    customer_id: str = "customer_id",
    date: str = "date",
    amount: Optional[str] = None,
    unit: str = "days",
) -> Optional[SummaryPartial]:
    """The summary partial of one partition at the whole log's ``observation_end``.

    A :class:`SummaryPartial`: the core's per-customer summary of the
    partition (one row per customer, as :func:`retentionkit.summary`). Integer
    ids are the customers' own; string ids are coded per partition and the
    partial keeps the strings, so partials of any partitions merge by id
    (docs/metrics.md, "Merging partial results"). It pickles; merge with
    :func:`merge_summary_partials` and finish with :func:`summary_from_partial`,
    or compress it for a fit with :func:`compressed_partial`. Orders after
    ``observation_end`` are left out; None when nothing is left.
    """
    if len(part) == 0:
        return None
    with _log._Rename(_names(customer_id, date, amount)):
        ids, labels = _input.ids(_column(part, customer_id), customer_id)
        if labels is not None and pd.api.types.infer_dtype(labels, skipna=False) != "string":
            raise _rk.InvalidArgumentError(
                f"argument `{customer_id}`: a summary partial takes integer or string customer ids, "
                f"got {pd.api.types.infer_dtype(labels, skipna=False)} ids", argument=customer_id
            )
        ids = _aligned(ids)
        days = _aligned(_days(_column(part, date), date))
        amounts = None if amount is None else _aligned(_input.amounts(_column(part, amount), amount))
        keep = days <= observation_end
        if not bool(keep.all()):
            # The checks of the single-machine log on every row, those left out too.
            _rk.Log(ids, days, amounts)
            # Customers first seen after the observation end are not in the summary;
            # a partition holding only such customers has nothing to say.
            if not bool(keep.any()):
                return None
            ids, days = np.ascontiguousarray(ids[keep]), np.ascontiguousarray(days[keep])
            amounts = None if amounts is None else np.ascontiguousarray(amounts[keep])
        keys = None if labels is None else labels.tolist()
        return _rk.summary_partial((ids, days, amounts), keys, unit, int(observation_end))


def merge_summary_partials(parts: Sequence[Optional[SummaryPartial]]) -> Optional[SummaryPartial]:
    """The :class:`SummaryPartial` of the union of the parts (None entries are skipped; :meth:`SummaryPartial.merge`).

    Raises :class:`retentionkit.IncompatibleError` when a customer is in two
    parts (the log was not split by customer; the message names the
    customer), for partials of other observation ends or units, or when only
    some have amounts.
    """
    found = _not_none(parts)
    if not found:
        return None
    return SummaryPartial.merge(found)


def summary_from_partial(partial: Optional[SummaryPartial]) -> pd.DataFrame:
    """The frame of :func:`retentionkit.summary` from a (merged) :class:`SummaryPartial`, sorted by customer id."""
    if partial is None:
        raise _empty()
    d = partial.table()
    labels = None if d["labels"] is None else np.asarray(d["labels"], dtype=object)
    frame = _log._summary_frame(d, _log._customer_index(d["customer_id"], labels))
    frame.attrs["unit"] = d["unit"]
    return frame


def compressed_partial(
    summary: Optional[SummaryPartial], columns: Sequence[str]
) -> Optional[Union[CompressedPartial, CompressedSpendPartial]]:
    """The distinct rows of ``columns`` of a :class:`SummaryPartial` with their ``count``: the compact input of a fit.

    ``columns`` is :attr:`CompressedPartial.COLUMNS` (``frequency, recency,
    T``, for BG/NBD, MBG/NBD and Pareto/NBD), which gives a
    :class:`CompressedPartial` (the core's ``CompressedSummary``), or
    :attr:`CompressedSpendPartial.COLUMNS` (``frequency, monetary_value``,
    for Gamma-Gamma), which gives a :class:`CompressedSpendPartial` (the
    core's ``CompressedSpend``). Both pickle and merge by adding the counts
    of equal rows (:func:`merge_compressed_partials`); finish with
    :func:`compressed_summary_from_partial`. None for no customers.
    """
    kind = _compressed_kind(columns)
    if summary is None or len(summary) == 0:
        return None
    return summary.compress_spend() if kind is CompressedSpendPartial else summary.compress()


def _compressed_kind(
    columns: Sequence[str],
) -> Union[Type[CompressedPartial], Type[CompressedSpendPartial]]:
    """The compressed partial class of the columns ``columns``."""
    wanted = tuple(columns)
    if wanted == CompressedPartial.COLUMNS:
        return CompressedPartial
    if wanted == CompressedSpendPartial.COLUMNS:
        return CompressedSpendPartial
    raise _rk.InvalidArgumentError(
        f"argument `columns`: {wanted!r} is not {CompressedPartial.COLUMNS!r} (repeat-purchase models) "
        f"or {CompressedSpendPartial.COLUMNS!r} (Gamma-Gamma)", argument="columns"
    )


def merge_compressed_partials(
    parts: Sequence[Optional[Union[CompressedPartial, CompressedSpendPartial]]],
) -> Optional[Union[CompressedPartial, CompressedSpendPartial]]:
    """Compressed partials of one class added: equal rows add their counts (None entries are skipped).

    :meth:`CompressedPartial.merge` raises
    :class:`retentionkit.IncompatibleError` for tables of other units.
    """
    found = _not_none(parts)
    if not found:
        return None
    if isinstance(found[0], CompressedSpendPartial):
        return CompressedSpendPartial.merge(cast(List[CompressedSpendPartial], found))
    return CompressedPartial.merge(cast(List[CompressedPartial], found))


def compressed_summary_from_partial(
    partial: Optional[Union[CompressedPartial, CompressedSpendPartial]],
) -> pd.DataFrame:
    """The compressed table of a (merged) compressed partial: its columns and ``count``, sorted by the columns."""
    if partial is None:
        raise _empty()
    d = partial.table()
    cols: Dict[str, Any] = {name: d[name] for name in partial.COLUMNS}
    cols["count"] = d["count"].astype(np.int64)  # the dtype pandas gives counts
    return pd.DataFrame(cols)


# ---------------------------------------------------------------------------
# RFM table


def rfm_partial(
    part: pd.DataFrame,
    observation_end: int,
    *,
    customer_id: str = "customer_id",
    date: str = "date",
    amount: Optional[str] = None,
) -> Optional[pd.DataFrame]:
    """:func:`retentionkit.rfm` of one partition at the whole log's observation end (None when empty).

    Its scores are the partition's own; :func:`merge_rfm_partials` rescores
    the merged values over all customers.
    """
    if len(part) == 0:
        return None
    with _log._Rename(_names(customer_id, date, amount)):
        ids = _column(part, customer_id)
        cols = {
            "customer_id": _aligned(ids.to_numpy()) if ids.dtype.kind in "iu" else ids,
            "date": _aligned(_days(_column(part, date), date)),
        }
        if amount is not None:
            cols["amount"] = _aligned(_input.amounts(_column(part, amount), amount))
        keep = cols["date"] <= observation_end
        if not bool(keep.any()):
            return None
        if not bool(keep.all()):
            cols = {k: v[keep] for k, v in cols.items()}
        log = _log.TransactionLog(cols, amount=None if amount is None else "amount")
        return _log.rfm(log, observation_end=int(observation_end))


def merge_rfm_partials(parts: Sequence[Optional[pd.DataFrame]]) -> Optional[pd.DataFrame]:
    """RFM partials of customer-disjoint partitions merged and scored as one table (:func:`retentionkit.merge_rfm`)."""
    found = _not_none(parts)
    if not found:
        return None
    return _log.merge_rfm(found)


# ---------------------------------------------------------------------------
# Kaplan–Meier curve


def kaplan_meier_partial(
    part: pd.DataFrame,
    *,
    duration: str = "duration",
    observed: str = "observed",
    confidence_level: float = 0.95,
) -> Optional[KaplanMeier]:
    """The Kaplan–Meier curve of one partition's subjects (None when empty)."""
    if len(part) == 0:
        return None
    with _log._Rename({"duration": duration, "observed": observed}):
        return kaplan_meier(
            _column(part, duration), _column(part, observed), confidence_level=confidence_level
        )


def merge_kaplan_meier_partials(parts: Sequence[Optional[KaplanMeier]]) -> Optional[KaplanMeier]:
    """Curves of disjoint groups of subjects merged into the curve of all (:meth:`KaplanMeier.merge`)."""
    found = _not_none(parts)
    if not found:
        return None
    return found[0] if len(found) == 1 else KaplanMeier.merge(found)
