"""Kaplan–Meier survival curves and the log-rank test (durations with an event flag)."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any, Dict, Optional, Sequence

import numpy as np

if TYPE_CHECKING:
    import pandas as pd
else:
    from ._lazy import pandas as pd

from . import _input
from . import _retentionkit as _rk


def _durations(values: Any) -> np.ndarray:
    return np.ascontiguousarray(_input._to_numpy(values, "duration"), dtype=np.float64)


def _observed(values: Any) -> np.ndarray:
    arr = _input._to_numpy(values, "observed")
    if arr.dtype.kind in "iuf" and bool(np.any((arr != 0) & (arr != 1))):
        row = int(np.flatnonzero((arr != 0) & (arr != 1))[0])
        raise _rk.InvalidValueError(
            f"column `observed`, row {row}: {arr[row]!r} is not 0/1 or a bool",
            column="observed",
            row=row,
            value=arr[row].item(),
        )
    return np.ascontiguousarray(arr, dtype=np.bool_)


@dataclasses.dataclass(frozen=True)
class KaplanMeier:
    """A Kaplan–Meier curve: ``table`` (one row per distinct time), ``median`` and ``restricted_mean``."""

    table: pd.DataFrame
    median: Optional[float]
    restricted_mean: Optional[float]
    confidence_level: float

    @classmethod
    def merge(cls, parts: Sequence["KaplanMeier"], *, horizon: Optional[float] = None) -> "KaplanMeier":
        """The curve of all subjects from the curves of disjoint groups of them (customer-disjoint parts).

        The events and censorings at each time add up and the curve, its band
        and median are recomputed: the result equals :func:`kaplan_meier` of
        all durations. ``horizon`` adds the restricted mean up to it.

        >>> import retentionkit as rk
        >>> a = rk.kaplan_meier([1, 2, 2], [True, True, False])
        >>> b = rk.kaplan_meier([3, 4], [True, False])
        >>> km = rk.KaplanMeier.merge([a, b])  # 1 - 1/5, (4/5)(1 - 1/4), (3/5)(1 - 1/2), censored
        >>> [round(s, 12) for s in km.table["survival"]]
        [0.8, 0.6, 0.3, 0.3]
        """
        d = _rk.merge_kaplan_meier(
            [_input.native(p.table.index.to_numpy(), np.float64) for p in parts],
            [_input.native(p.table["events"].to_numpy(), np.uint64) for p in parts],
            [_input.native(p.table["censored"].to_numpy(), np.uint64) for p in parts],
            [float(p.confidence_level) for p in parts],
            horizon,
        )
        return _curve(d)

    def __repr__(self) -> str:
        return (
            f"KaplanMeier(times={len(self.table)}, subjects={int(self.table['at_risk'].iloc[0])}, "
            f"median={self.median}, restricted_mean={self.restricted_mean})"
        )


def kaplan_meier(
    durations: Any, observed: Any, *, confidence_level: float = 0.95, horizon: Optional[float] = None
) -> KaplanMeier:
    """The Kaplan–Meier estimate with a log(-log) confidence band, as lifelines' ``KaplanMeierFitter``.

    ``observed`` is True (or 1) where the churn was seen, False where the duration is censored.
    ``horizon`` adds the restricted mean lifetime up to it.

    >>> import retentionkit as rk
    >>> km = rk.kaplan_meier([1, 2, 3, 4], [True, True, True, False])
    >>> km.table["survival"].tolist()  # 1 - 1/4, then (3/4)(1 - 1/3), then (1/2)(1 - 1/2), censored
    [0.75, 0.5, 0.25, 0.25]
    >>> km.median
    2.0
    """
    d = _rk.kaplan_meier(_durations(durations), _observed(observed), float(confidence_level), horizon)
    return _curve(d)


def _curve(d: Dict[str, Any]) -> KaplanMeier:
    table = pd.DataFrame(
        {k: d[k] for k in ("at_risk", "events", "censored", "survival", "lower", "upper")},
        index=pd.Index(d["times"], name="time"),
    )
    return KaplanMeier(table, d["median"], d["restricted_mean"], float(d["confidence_level"]))


@dataclasses.dataclass(frozen=True)
class LogRank:
    """The log-rank test: chi-square ``statistic`` with ``df`` degrees of freedom and its ``p_value``."""

    statistic: float
    df: int
    p_value: float


def log_rank(durations: Any, observed: Any, groups: Any) -> LogRank:
    """Log-rank test of equal survival across groups (integer or string group labels).

    >>> import retentionkit as rk
    >>> r = rk.log_rank([1, 2, 3, 4], [1, 1, 1, 1], ["a", "a", "b", "b"])
    >>> r.df
    1
    """
    codes, _ = _input.ids(groups, "group")
    g = np.ascontiguousarray(codes.astype(np.uint64))
    statistic, df, p = _rk.log_rank(_durations(durations), _observed(observed), g)
    return LogRank(float(statistic), int(df), float(p))
