"""Purchase regularity from a transaction log: the inputs of the regularity models.

Same-day orders are one purchase, as in :func:`retentionkit.summary`.
Source: docs/metrics.md, "Regularity".
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, Optional

if TYPE_CHECKING:
    import pandas as pd
else:
    from ._lazy import pandas as pd

from . import _input
from . import _retentionkit as _rk
from ._log import DateLike, LogLike, as_log

__all__ = ["log_intertransaction_times", "wheat_morrison"]


def log_intertransaction_times(
    data: LogLike,
    *,
    customer_id: str = "customer_id",
    date: str = "date",
    unit: str = "days",
    observation_end: Optional[DateLike] = None,
) -> pd.Series:
    """Each customer's sum of log inter-purchase times (BTYDplus's ``litt``), indexed as :func:`summary`.

    The column the regularity models (:class:`BetaGeoCNBD`,
    :class:`ModifiedBetaGeoCNBD`) fit on next to frequency, recency and T;
    0 for customers without repeat purchases. Use the same ``unit`` and
    ``observation_end`` as the summary.

    >>> import retentionkit as rk
    >>> log = rk.TransactionLog.from_columns([1, 1, 1, 2], [0, 7, 21, 3])
    >>> [round(v, 6) for v in rk.log_intertransaction_times(log, unit="weeks")]  # ln 1 + ln 2
    [0.693147, 0.0]
    """
    log = as_log(data, customer_id, date, None)
    end = None if observation_end is None else _input.day(observation_end, "observation_end")
    d = log._call(_rk.log_intertransaction_times, unit, end)
    return pd.Series(d["litt"], index=log._customer_index(d["customer_id"]), name="litt")


def wheat_morrison(
    data: LogLike,
    *,
    customer_id: str = "customer_id",
    date: str = "date",
    observation_end: Optional[DateLike] = None,
) -> Dict[str, Any]:
    """The Wheat–Morrison (1990) regularity estimate: ``customers``, ``mean``, ``variance`` and ``k``.

    From each customer with three or more purchase days, M = t1 / (t1 + t2)
    of the last two inter-purchase times; k = (1 - 4V) / (8V) with V the
    mean of (M - 1/2)^2. k near 1 is Poisson timing, larger is more regular.

    >>> import retentionkit as rk
    >>> log = rk.TransactionLog.from_columns([1, 1, 1, 2, 2, 2, 3, 3, 3], [0, 10, 40, 0, 20, 40, 0, 5, 20])
    >>> round(rk.wheat_morrison(log)["k"], 6)  # M = 1/4, 1/2, 1/4: V = 1/24 (by hand)
    2.5
    """
    log = as_log(data, customer_id, date, None)
    end = None if observation_end is None else _input.day(observation_end, "observation_end")
    return dict(log._call(_rk.wheat_morrison, end))
