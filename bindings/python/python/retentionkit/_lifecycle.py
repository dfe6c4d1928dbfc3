"""Lifecycle (growth) accounting of a transaction log: the core's ``lifecycle`` module."""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional

if TYPE_CHECKING:
    import pandas as pd
else:  # imported by the first call that returns a frame
    from ._lazy import pandas as pd

from . import _retentionkit as _rk
from . import _output
from ._log import LogLike, _kpi_frame, as_log


def lifecycle(
    data: LogLike,
    *,
    customer_id: str = "customer_id",
    date: str = "date",
    amount: Optional[str] = None,
    granularity: str = "month",
) -> pd.DataFrame:
    """Growth accounting per period: new, returning, resurrecting and dormant customers.

    A customer is active in a period when they ordered in it. Per period:
    ``new`` (first order in the period), ``returning`` (ordered in the period
    before too), ``resurrecting`` (not in the period before, but earlier) and
    ``dormant`` (ordered in the period before, not in this one), shown
    **negative** as growth-accounting charts draw it; ``active`` = new +
    returning + resurrecting, and ``quick_ratio`` = (new + resurrecting) /
    dormant customers, NaN when nobody went dormant (always in the first
    period). ``end`` is exclusive; ``complete`` is False for a period the log
    ends inside, where customers who have not ordered yet count as dormant.
    Definitions: docs/metrics.md, "Lifecycle and growth accounting".

    >>> import retentionkit as rk
    >>> log = rk.TransactionLog.from_columns([1, 2, 1, 3, 2],
    ...     ["2024-01-03", "2024-01-09", "2024-02-02", "2024-02-05", "2024-03-01"])
    >>> lc = rk.lifecycle(log)
    >>> lc[["new", "returning", "resurrecting", "dormant", "active"]].values.tolist()
    [[2, 0, 0, 0, 2], [1, 1, 0, -1, 2], [0, 0, 1, -2, 1]]
    >>> float(lc.loc["2024-03", "quick_ratio"])  # 2 is back, 1 and 3 went dormant: (0 + 1) / 2
    0.5
    """
    log = as_log(data, customer_id, date, amount)
    return _output.like(log, _kpi_frame(log._call(_rk.lifecycle, granularity)))
