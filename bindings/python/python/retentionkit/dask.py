"""Log-level results of a Dask DataFrame, equal to the single-machine API.

Each function takes a Dask DataFrame of orders, computes a compact partial
result on every partition (per-period counts, per-cohort counts, one row per
customer, or a compressed ``(frequency, recency, T, count)`` table), merges
the partials in a tree and returns what :mod:`retentionkit` returns for the
whole log in one process: :func:`kpis`, :func:`cohort_matrix`,
:func:`bracket_retention`, :func:`summary`, :func:`rfm` (scored once on the gathered values),
:func:`fit` for a model, and :func:`kaplan_meier` of a frame of durations.

Partials can only be added when every customer is in one partition. A frame
indexed by the customer id with known divisions (``df.set_index(...)``) is
taken as it is; any other frame is shuffled on the customer id first
(``partitioned=True`` skips the shuffle for a frame already split by
customer in another way; ``partitioned=False`` forces it). Quantities of the
whole log — its first and last day, which set the KPI periods and the
observation end — are found first in a cheap pass over the dates and given
to every partition.

The same partial functions (:func:`kpi_partial`, :func:`cohort_partial`,
:func:`bracket_partial`, :func:`summary_partial`, :func:`compressed_partial`) work
on plain pandas frames and return native partials that pickle and are merged by
the core, so the recipe also runs on Spark (see
``docs/scaling.md``).

>>> import dask, dask.dataframe as dd, pandas as pd, retentionkit as rk
>>> import retentionkit.dask as rkd
>>> orders = pd.DataFrame({"customer_id": [1, 2, 1, 3, 2, 1],
...     "date": pd.to_datetime(["2024-01-03", "2024-01-20", "2024-02-02", "2024-02-14", "2024-03-01", "2024-03-09"]),
...     "amount": [20.0, 35.0, 15.0, 50.0, 40.0, 25.0]})
>>> ddf = dd.from_pandas(orders, npartitions=2)
>>> with dask.config.set(scheduler="sync"):
...     rkd.summary(ddf, amount="amount").equals(rk.summary(orders, amount="amount"))
True
"""

from __future__ import annotations

from typing import Any, Callable, List, Optional, Sequence, Tuple

import pandas as pd

from . import _input
from . import _retentionkit as _rk
from ._log import _brackets, _check_bracket_values
from ._partials import (
    KPI_COUNTS,
    BracketPartial,
    CohortPartial,
    CompressedPartial,
    CompressedSpendPartial,
    KpiPartial,
    LifecyclePartial,
    SummaryPartial,
    _check_cohort_args,
    _compressed_kind,
    _date_bounds,
    _empty,
    _merge_bounds,
    bracket_partial,
    bracket_retention_from_partial,
    cohort_matrix_from_partial,
    cohort_partial,
    compressed_partial,
    compressed_summary_from_partial,
    kaplan_meier_partial,
    kpi_partial,
    kpis_from_partial,
    lifecycle_from_partial,
    lifecycle_partial,
    merge_bracket_partials,
    merge_cohort_partials,
    merge_compressed_partials,
    merge_kaplan_meier_partials,
    merge_kpi_partials,
    merge_lifecycle_partials,
    merge_rfm_partials,
    merge_summary_partials,
    rfm_partial,
    summary_from_partial,
    summary_partial,
)
from .survival import KaplanMeier

__all__ = [
    "kpis",
    "lifecycle",
    "cohort_matrix",
    "bracket_retention",
    "summary",
    "compressed_summary",
    "fit",
    "rfm",
    "kaplan_meier",
    "date_range",
    "KPI_COUNTS",
    "KpiPartial",
    "CohortPartial",
    "BracketPartial",
    "SummaryPartial",
    "CompressedPartial",
    "CompressedSpendPartial",
    "kpi_partial",
    "merge_kpi_partials",
    "kpis_from_partial",
    "LifecyclePartial",
    "lifecycle_partial",
    "merge_lifecycle_partials",
    "lifecycle_from_partial",
    "cohort_partial",
    "merge_cohort_partials",
    "cohort_matrix_from_partial",
    "bracket_partial",
    "merge_bracket_partials",
    "bracket_retention_from_partial",
    "summary_partial",
    "merge_summary_partials",
    "summary_from_partial",
    "compressed_partial",
    "merge_compressed_partials",
    "compressed_summary_from_partial",
    "rfm_partial",
    "merge_rfm_partials",
    "kaplan_meier_partial",
    "merge_kaplan_meier_partials",
]

# ---------------------------------------------------------------------------
# Dask plumbing


def _is_partitioned(df: Any, customer_id: str) -> bool:
    return bool(df.index.name == customer_id and df.known_divisions)


def _by_customer(df: Any, customer_id: str, partitioned: Optional[bool]) -> Any:
    """``df`` with every customer in one partition: as it is, or shuffled on the customer id."""
    if partitioned is None:
        partitioned = _is_partitioned(df, customer_id)
    if partitioned:
        return df
    if customer_id not in df.columns:
        if df.index.name != customer_id:
            raise _rk.MissingColumnError(
                f"column `{customer_id}` is required for the transaction log but was not given",
                column=customer_id,
            )
        df = df.reset_index()
    return df.shuffle(on=customer_id)


def _select(df: Any, wanted: Sequence[Optional[str]]) -> Any:
    """Only the columns the computation reads (fewer bytes to shuffle)."""
    keep = [c for c in dict.fromkeys(wanted) if c is not None and c in df.columns]
    for c in wanted:
        if c is not None and c not in df.columns and df.index.name != c:
            raise _rk.MissingColumnError(
                f"column `{c}` is required for the transaction log but was not given", column=c
            )
    return df[keep]


def _task(fn: Callable[..., Any]) -> Any:
    """``fn`` as a Dask task. Its retentionkit errors pickle, so a worker's
    error is raised on the client as its own class, with its attributes."""
    from dask import delayed

    return delayed(fn)


def _tree(items: List[Any], merge: Callable[[List[Any]], Any], split_every: int) -> Any:
    """Merge delayed partials ``split_every`` at a time until one is left."""
    if not items:
        return _task(merge)([])
    while len(items) > 1:
        items = [_task(merge)(items[i : i + split_every]) for i in range(0, len(items), split_every)]
    return items[0]


def date_range(df: Any, *, date: str = "date") -> Tuple[int, int]:
    """First and last day of the whole log (days since 1970-01-01), from one pass over its dates."""
    parts = [_task(_date_bounds)(p, date) for p in df.to_delayed()]
    bounds = _tree(parts, _merge_bounds, 16).compute()
    if bounds is None:
        raise _empty()
    return bounds


def _end_day(df: Any, date: str, observation_end: Any) -> int:
    """The observation end given, or the whole log's last day; refused before its first day, as on one machine."""
    end = None if observation_end is None else _input.day(observation_end, "observation_end")
    first, last = date_range(df, date=date)
    if end is None:
        return last
    if end < first:
        iso = _input.dates_of([end, first])
        raise _rk.InvalidArgumentError(
            f"argument `observation_end`: {iso[0]} is before the first purchase in the log ({iso[1]})", argument="observation_end"
        )
    return end


def kpis(
    df: Any,
    *,
    customer_id: str = "customer_id",
    date: str = "date",
    amount: Optional[str] = None,
    granularity: str = "month",
    lookback_months: Optional[int] = None,
    lookback_days: Optional[int] = None,
    partitioned: Optional[bool] = None,
    split_every: int = 8,
) -> pd.DataFrame:
    """:func:`retentionkit.kpis` of a Dask DataFrame: one row per period of the whole log.

    Each partition sends one :class:`KpiPartial` (its counts per period);
    they are merged by the core and the rates computed from the merged
    counts by the core.
    """
    df = _select(df, (customer_id, date, amount))
    first, last = date_range(df, date=date)
    df = _by_customer(df, customer_id, partitioned)
    opts = dict(
        customer_id=customer_id,
        date=date,
        amount=amount,
        granularity=granularity,
        lookback_months=lookback_months,
        lookback_days=lookback_days,
    )
    parts = [_task(kpi_partial)(p, first, last, **opts) for p in df.to_delayed()]
    return kpis_from_partial(_tree(parts, merge_kpi_partials, split_every).compute())


def lifecycle(
    df: Any,
    *,
    customer_id: str = "customer_id",
    date: str = "date",
    granularity: str = "month",
    partitioned: Optional[bool] = None,
    split_every: int = 8,
) -> pd.DataFrame:
    """:func:`retentionkit.lifecycle` of a Dask DataFrame: one row per period of the whole log.

    Each partition (every customer in one) sends one :class:`LifecyclePartial`
    over the whole log's periods; the core merges them and computes the quick
    ratio from the merged counts.
    """
    df = _select(df, (customer_id, date, None))
    first, last = date_range(df, date=date)
    df = _by_customer(df, customer_id, partitioned)
    opts = dict(customer_id=customer_id, date=date, granularity=granularity)
    parts = [_task(lifecycle_partial)(p, first, last, **opts) for p in df.to_delayed()]
    return lifecycle_from_partial(_tree(parts, merge_lifecycle_partials, split_every).compute())


def cohort_matrix(
    df: Any,
    *,
    customer_id: str = "customer_id",
    date: str = "date",
    amount: Optional[str] = None,
    granularity: str = "month",
    kind: str = "n_period",
    values: str = "fraction",
    observation_end: Any = None,
    partitioned: Optional[bool] = None,
    split_every: int = 8,
) -> pd.DataFrame:
    """:func:`retentionkit.cohort_matrix` of a Dask DataFrame.

    Each partition sends its observed (cohort, period) cells; cells add.
    """
    _check_cohort_args(kind, values)
    df = _select(df, (customer_id, date, amount))
    end = _end_day(df, date, observation_end)
    df = _by_customer(df, customer_id, partitioned)
    parts = [
        _task(cohort_partial)(
            p, end, customer_id=customer_id, date=date, amount=amount, granularity=granularity
        )
        for p in df.to_delayed()
    ]
    merged = _tree(parts, merge_cohort_partials, split_every).compute()
    return cohort_matrix_from_partial(merged, kind=kind, values=values)


def bracket_retention(
    df: Any,
    brackets: Sequence[Any],
    *,
    customer_id: str = "customer_id",
    date: str = "date",
    amount: Optional[str] = None,
    granularity: str = "month",
    values: str = "fraction",
    observation_end: Any = None,
    partitioned: Optional[bool] = None,
    split_every: int = 8,
) -> pd.DataFrame:
    """:func:`retentionkit.bracket_retention` of a Dask DataFrame.

    Each partition sends one row per (cohort, bracket); sizes and counts add.
    """
    _check_bracket_values(values)
    _brackets(brackets)  # bad brackets fail here, before any work
    df = _select(df, (customer_id, date, amount))
    end = _end_day(df, date, observation_end)
    df = _by_customer(df, customer_id, partitioned)
    parts = [
        _task(bracket_partial)(
            p, end, brackets, customer_id=customer_id, date=date, amount=amount, granularity=granularity
        )
        for p in df.to_delayed()
    ]
    merged = _tree(parts, merge_bracket_partials, split_every).compute()
    return bracket_retention_from_partial(merged, values=values)


def _summary_parts(
    df: Any,
    customer_id: str,
    date: str,
    amount: Optional[str],
    unit: str,
    observation_end: Any,
    partitioned: Optional[bool],
) -> List[Any]:
    df = _select(df, (customer_id, date, amount))
    end = _end_day(df, date, observation_end)
    df = _by_customer(df, customer_id, partitioned)
    return [
        _task(summary_partial)(p, end, customer_id=customer_id, date=date, amount=amount, unit=unit)
        for p in df.to_delayed()
    ]


def summary(
    df: Any,
    *,
    customer_id: str = "customer_id",
    date: str = "date",
    amount: Optional[str] = None,
    unit: str = "days",
    observation_end: Any = None,
    partitioned: Optional[bool] = None,
) -> pd.DataFrame:
    """:func:`retentionkit.summary` of a Dask DataFrame: one row per customer, sorted by id.

    Each partition sends one :class:`SummaryPartial` (its customers' rows);
    the core merges them, sorted by id, and refuses a customer found in two
    partitions. The observation end defaults to the last day of the whole log.
    """
    import dask

    parts = _summary_parts(df, customer_id, date, amount, unit, observation_end, partitioned)
    gathered = dask.compute(*parts)
    # The per-customer rows are the result itself: they are merged where it is wanted.
    return summary_from_partial(merge_summary_partials(gathered))


def compressed_summary(
    df: Any,
    *,
    customer_id: str = "customer_id",
    date: str = "date",
    amount: Optional[str] = None,
    unit: str = "days",
    observation_end: Any = None,
    columns: Sequence[str] = ("frequency", "recency", "T"),
    partitioned: Optional[bool] = None,
    split_every: int = 8,
) -> pd.DataFrame:
    """The distinct ``columns`` rows of the summary with their ``count``, merged by adding counts.

    ``columns`` is ``("frequency", "recency", "T")`` (the repeat-purchase
    models' table, :class:`CompressedPartial`) or ``("frequency",
    "monetary_value")`` (Gamma-Gamma's, which needs ``amount``,
    :class:`CompressedSpendPartial`); the core groups and adds. Only this
    small table leaves the workers; it is what a model fit needs. Sorted by
    the columns, with a ``count`` column.
    """
    _compressed_kind(columns)  # other columns fail here, before any work
    parts = _summary_parts(df, customer_id, date, amount, unit, observation_end, partitioned)
    small = [_task(compressed_partial)(p, tuple(columns)) for p in parts]
    merged = _tree(small, merge_compressed_partials, split_every).compute()
    return compressed_summary_from_partial(merged)


def fit(
    model: Any,
    df: Any,
    *,
    customer_id: str = "customer_id",
    date: str = "date",
    amount: Optional[str] = None,
    unit: str = "days",
    observation_end: Any = None,
    partitioned: Optional[bool] = None,
    **fit_options: Any,
) -> Any:
    """Fit ``model`` (for example ``rk.BetaGeo()``) on the summary of a Dask DataFrame; returns the model.

    BG/NBD, MBG/NBD and Pareto/NBD are fitted on the merged
    ``(frequency, recency, T, count)`` table, Gamma-Gamma (which needs
    ``amount``) on ``(frequency, monetary_value, count)``; ``fit_options``
    (``penalizer``, ``max_iterations``, ``tolerance``) go to ``model.fit``.
    """
    from .models import GammaGamma, _Repeat

    if isinstance(model, GammaGamma):
        if amount is None:
            raise _rk.MissingColumnError("column `amount` is required for the Gamma-Gamma fit but was not given", column="amount")
        columns: Tuple[str, ...] = CompressedSpendPartial.COLUMNS
    elif isinstance(model, _Repeat):
        columns = CompressedPartial.COLUMNS
    else:
        raise _rk.InvalidArgumentError(
            f"argument `model`: {type(model).__name__} is not fitted on a summary; "
            "use BetaGeo, ModifiedBetaGeo, ParetoNBD or GammaGamma", argument="model"
        )
    table = compressed_summary(
        df,
        customer_id=customer_id,
        date=date,
        amount=amount,
        unit=unit,
        observation_end=observation_end,
        columns=columns,
        partitioned=partitioned,
    )
    return model.fit(table, weights="count", **fit_options)


def rfm(
    df: Any,
    *,
    customer_id: str = "customer_id",
    date: str = "date",
    amount: Optional[str] = None,
    observation_end: Any = None,
    partitioned: Optional[bool] = None,
) -> pd.DataFrame:
    """:func:`retentionkit.rfm` of a Dask DataFrame: one row per customer, sorted by id.

    Each partition sends its customers' RFM values; the quintile scores and
    segments depend on every customer, so they are computed once on the
    gathered values (:func:`retentionkit.merge_rfm`). The observation end
    defaults to the last day of the whole log.
    """
    import dask

    df = _select(df, (customer_id, date, amount))
    end = _end_day(df, date, observation_end)
    df = _by_customer(df, customer_id, partitioned)
    parts = [
        _task(rfm_partial)(p, end, customer_id=customer_id, date=date, amount=amount) for p in df.to_delayed()
    ]
    gathered = dask.compute(*parts)
    merged = merge_rfm_partials(gathered)
    if merged is None:
        raise _empty()
    return merged


def kaplan_meier(
    df: Any,
    *,
    duration: str = "duration",
    observed: str = "observed",
    confidence_level: float = 0.95,
    horizon: Optional[float] = None,
    split_every: int = 8,
) -> KaplanMeier:
    """:func:`retentionkit.kaplan_meier` of the ``duration`` and ``observed`` columns of a Dask DataFrame.

    One row per subject, in any partition (no shuffle: subjects are
    disjoint by construction). Each partition sends its curve's event
    table, one row per distinct duration; the curves merge in a tree
    (:meth:`retentionkit.KaplanMeier.merge`) into the curve of all rows.
    ``horizon`` adds the restricted mean lifetime up to it.
    """
    df = _select(df, (duration, observed))
    parts = [
        _task(kaplan_meier_partial)(p, duration=duration, observed=observed, confidence_level=confidence_level)
        for p in df.to_delayed()
    ]
    merged = _tree(parts, merge_kaplan_meier_partials, split_every).compute()
    if merged is None:
        raise _rk.EmptyError("no durations to estimate a survival curve from")
    return merged if horizon is None else KaplanMeier.merge([merged], horizon=horizon)
