"""Survey scores: Net Promoter Score, CSAT and thumbs, overall, per period and per acquisition cohort.

| scale | scores | positive | neutral | negative | value |
|---|---|---|---|---|---|
| ``"nps"`` | 0–10 | 9–10 | 7–8 | 0–6 | 100 × (positive − negative) / n |
| ``"csat"`` | 1–``csat_max`` | ``satisfied_from``–``csat_max`` | – | the rest | positive / n |
| ``"thumbs"`` | 0, 1 | 1 | – | 0 | positive / n |

Each score comes with its standard error and a 95 % Wald interval clipped to
the scale's range (docs/metrics.md, "Survey scores").
"""

from __future__ import annotations

import dataclasses
import re
from typing import TYPE_CHECKING, Any, Dict, Optional

import numpy as np

if TYPE_CHECKING:
    import pandas as pd
else:
    from ._lazy import pandas as pd

from . import _input
from . import _log
from . import _retentionkit as _rk
from ._log import LogLike, as_log

_FIELDS = ("responses", "positive", "neutral", "negative", "value", "standard_error", "lower", "upper")


@dataclasses.dataclass(frozen=True)
class SurveyScore:
    """A score with its response counts, standard error and 95 % interval ``[lower, upper]``."""

    responses: int
    positive: int
    neutral: int
    negative: int
    value: float
    standard_error: float
    lower: float
    upper: float

    def __repr__(self) -> str:
        return (
            f"SurveyScore(value={self.value:.4g}, lower={self.lower:.4g}, upper={self.upper:.4g}, "
            f"responses={self.responses}, positive={self.positive}, neutral={self.neutral}, "
            f"negative={self.negative})"
        )


def _small_int(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or not 0 <= int(value) <= 255:
        raise _rk.InvalidArgumentError(f"argument `{name}`: {value!r} is not a whole number in 0..=255", argument=name)
    return int(value)


def _scores(values: Any, column: str) -> np.ndarray:
    """Scores as ``uint8``; a value that is not a whole number in 0..=255 names its row."""
    arr = _input._to_numpy(values, column)
    kind = arr.dtype.kind
    if kind == "b":
        return np.ascontiguousarray(arr, dtype=np.uint8)
    if kind not in "iuf":
        raise _rk.InvalidArgumentError(f"argument `{column}`: scores must be numbers, got dtype {arr.dtype}", argument=column)
    with np.errstate(invalid="ignore"):
        bad = (arr < 0) | (arr > 255)
        if kind == "f":
            bad |= ~np.isfinite(arr) | (arr != np.floor(arr))
    if bool(np.any(bad)):
        row = int(np.flatnonzero(bad)[0])
        value = arr[row].item()
        raise _rk.InvalidValueError(
            f"column `{column}`, row {row}: {value!r} is not a score on the scale", column=column, row=row, value=value
        )
    return np.ascontiguousarray(arr, dtype=np.uint8)


class SurveyLog:
    """Survey responses: a score and a date per response, and optionally the responding customer.

    ``scale`` is ``"nps"``, ``"csat"`` (1 to ``csat_max``, satisfied from
    ``satisfied_from``) or ``"thumbs"``. A score outside the scale raises
    :class:`InvalidValueError` naming the row.

    >>> import pandas as pd, retentionkit as rk
    >>> answers = pd.DataFrame({"rating": [10, 9, 9, 10, 9, 7, 8, 8, 3, 6],
    ...                         "on": ["2024-01-05"] * 5 + ["2024-02-10"] * 5})
    >>> survey = rk.SurveyLog(answers, score="rating", date="on")
    >>> survey.score().value  # 5 promoters, 2 detractors of 10: 100 × (5 − 2) / 10
    30.0
    """

    def __init__(
        self,
        data: Any,
        *,
        score: str = "score",
        date: str = "date",
        customer_id: Optional[str] = None,
        scale: str = "nps",
        csat_max: int = 5,
        satisfied_from: int = 4,
    ) -> None:
        if scale not in ("nps", "csat", "thumbs"):
            raise _rk.InvalidArgumentError(f"argument `scale`: {scale!r} is not one of 'nps', 'csat', 'thumbs'", argument="scale")
        self._names = {"score": score, "day": date, "customer_id": customer_id or "customer_id"}
        self._scale = (scale, _small_int(csat_max, "csat_max"), _small_int(satisfied_from, "satisfied_from"))
        what = "the survey log"
        with _log._Rename(self._names):
            self.scores = _scores(_log.column_of(data, score, what), score)
            self.days = _input.days(_log.column_of(data, date, what), date)
            self.ids: Optional[Any] = None if customer_id is None else _log.column_of(data, customer_id, what)
            # Validate once (lengths, the scale, scores on it).
            _rk.survey_score(self.days, self.scores, *self._scale)

    @classmethod
    def from_columns(
        cls,
        score: Any,
        date: Any,
        customer_id: Any = None,
        *,
        scale: str = "nps",
        csat_max: int = 5,
        satisfied_from: int = 4,
    ) -> "SurveyLog":
        """A survey log from columns of equal length.

        >>> import retentionkit as rk
        >>> s = rk.SurveyLog.from_columns([5, 2, 4], ["2024-01-05", "2024-01-20", "2024-03-02"], scale="csat")
        >>> s.score().value  # 4 and 5 of 5 are satisfied: 2 of 3
        0.6666666666666666
        """
        data = {"score": score, "date": date}
        if customer_id is not None:
            data["customer_id"] = customer_id
        return cls(
            data,
            customer_id=None if customer_id is None else "customer_id",
            scale=scale,
            csat_max=csat_max,
            satisfied_from=satisfied_from,
        )

    def __len__(self) -> int:
        return len(self.scores)

    def __repr__(self) -> str:
        return f"SurveyLog(responses={len(self)}, scale={self._scale[0]!r})"

    def score(self) -> SurveyScore:
        """The score of all responses.

        >>> import retentionkit as rk
        >>> rk.SurveyLog.from_columns([1, 1, 0, 1], ["2024-01-05"] * 4, scale="thumbs").score().value  # 3 of 4 up
        0.75
        """
        with _log._Rename(self._names):
            d = _rk.survey_score(self.days, self.scores, *self._scale)
        return SurveyScore(**{k: d[k] for k in _FIELDS})

    def by_period(self, granularity: str = "month") -> pd.DataFrame:
        """The score of each calendar period with responses (periods without are left out).

        >>> import retentionkit as rk
        >>> s = rk.SurveyLog.from_columns([5, 2, 4], ["2024-01-05", "2024-01-20", "2024-03-02"], scale="csat")
        >>> s.by_period()["value"]  # January: one of two satisfied; no February row
        period
        2024-01    0.5
        2024-03    1.0
        Name: value, dtype: float64
        """
        name, csat_max, satisfied_from = self._scale
        with _log._Rename(self._names):
            d = _rk.survey_by_period(self.days, self.scores, name, granularity, csat_max, satisfied_from)
        return _frame(d)

    def by_cohort(
        self,
        orders: LogLike,
        granularity: str = "month",
        *,
        customer_id: str = "customer_id",
        date: str = "date",
    ) -> pd.DataFrame:
        """The score of each acquisition cohort: customers grouped by the period of their first order in ``orders``.

        The survey needs a customer id column; a respondent without an order
        in ``orders`` raises :class:`InvalidValueError` naming the row.

        >>> import retentionkit as rk
        >>> orders = rk.TransactionLog.from_columns([1, 2, 1], ["2024-01-03", "2024-02-09", "2024-02-10"])
        >>> s = rk.SurveyLog.from_columns([10, 9, 3], ["2024-03-01"] * 3, customer_id=[2, 1, 1])
        >>> s.by_cohort(orders)["value"].tolist()  # January: 1's 9 and 3, 100 × (1 − 1) / 2; February: 2's 10
        [0.0, 100.0]
        """
        if self.ids is None:
            raise _rk.MissingColumnError(
                "column `customer_id` is required for survey scores by cohort but was not given", column="customer_id"
            )
        log = as_log(orders, customer_id, date)
        with _log._Rename(self._names):
            codes, labels = _input.ids(self.ids, self._names["customer_id"])
        keys: Any = None
        if log.labels is not None:
            # Survey ids take the codes of the log's labels; an id the log
            # does not have gets a code no customer has, and the core names its row.
            keys = codes if labels is None else labels[codes]
            found = pd.Index(log.labels).get_indexer(pd.Index(keys, dtype=object))
            codes = np.where(found >= 0, found, len(log.labels)).astype(np.int64)
        elif labels is not None:
            raise _rk.InvalidArgumentError(
                f"argument `{self._names['customer_id']}`: survey ids are strings but the log's ids are integers", argument=self._names['customer_id']
            )
        name, csat_max, satisfied_from = self._scale
        try:
            with _log._Rename(self._names):
                d = _rk.survey_by_cohort(
                    codes, self.days, self.scores, name, log._arg, granularity, csat_max, satisfied_from
                )
        except _rk.InvalidValueError as err:
            raise _with_label(err, codes, keys) from None
        return _frame(d)


def _with_label(err: Exception, codes: np.ndarray, keys: Any) -> Exception:
    """The error with the respondent's own id in place of its code (string ids)."""
    match = re.search(r"row (\d+): customer (\d+) ", str(err))
    if keys is None or match is None:
        return err
    row = int(match.group(1))
    return type(err)(str(err).replace(f"customer {codes[row]} ", f"customer {keys[row]!r} ", 1))


def _frame(d: Dict[str, Any]) -> pd.DataFrame:
    cols: Dict[str, Any] = {"start": _input.dates_of(d["start"]), "end": _input.dates_of(d["end"])}
    cols.update({k: d[k] for k in _FIELDS})
    return pd.DataFrame(cols, index=pd.Index(d["period"], name="period"))
