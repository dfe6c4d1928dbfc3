"""Cox proportional hazards and the Weibull AFT model on a DataFrame (``retentionkit::survival::cox``, ``::aft``)."""

from __future__ import annotations

import dataclasses
import warnings
from typing import TYPE_CHECKING, Any, List, Optional, Sequence

import numpy as np

if TYPE_CHECKING:
    import pandas as pd
else:
    from ._lazy import pandas as pd

from . import _input
from . import _retentionkit as _rk
from .survival import _durations, _observed

# The summary's columns: the fields of the core's CoxCoefficient, in its order.
_SUMMARY = (
    "coef",
    "hazard_ratio",
    "se",
    "coef_lower",
    "coef_upper",
    "hazard_ratio_lower",
    "hazard_ratio_upper",
    "z",
    "p_value",
)


def _columns(df: Any, names: Sequence[str]) -> List[np.ndarray]:
    return [np.ascontiguousarray(_input._to_numpy(df[c], str(c)), dtype=np.float64) for c in names]


def _covariates(df: Any, covariates: Optional[Sequence[str]], exclude: Sequence[Optional[str]]) -> List[str]:
    if covariates is not None:
        return [str(c) for c in covariates]
    return [str(c) for c in df.columns if c not in exclude]


@dataclasses.dataclass(frozen=True)
class CoxPH:
    """A fitted Cox model: ``summary`` (one row per covariate, lifelines' ``summary`` columns under the
    core's names), fit statistics, the baseline survival per stratum and the test of proportional hazards."""

    summary: pd.DataFrame
    log_likelihood: float
    null_log_likelihood: float
    concordance: Optional[float]
    likelihood_ratio_statistic: float
    likelihood_ratio_p_value: float
    proportional_hazards_test: pd.DataFrame
    baseline_survival: pd.DataFrame
    means: pd.Series
    rows: int
    events: int
    iterations: int
    status: str

    @property
    def hazard_ratios(self) -> pd.Series:
        """``exp(coef)`` per covariate."""
        return self.summary["hazard_ratio"]


def cox_ph(
    df: Any,
    duration_col: str,
    event_col: str,
    *,
    covariates: Optional[Sequence[str]] = None,
    weights_col: Optional[str] = None,
    strata_col: Optional[str] = None,
    ties: str = "efron",
    robust: bool = False,
    confidence_level: float = 0.95,
    time_transform: str = "rank",
) -> CoxPH:
    """Fit a Cox proportional-hazards model, as lifelines' ``CoxPHFitter().fit(df, duration_col, event_col)``.

    ``covariates`` are numeric columns (default: every column but the duration, event, weights and
    strata columns); ``ties`` is ``"efron"`` (default) or ``"breslow"``; ``robust`` adds the
    sandwich standard errors, which the summary then uses; ``strata_col`` gives each stratum its own
    baseline. ``proportional_hazards_test`` is the Schoenfeld-residual test with ``time_transform``
    (``rank``, ``identity``, ``log`` or ``km``). Formulas: docs/metrics.md, "Cox proportional hazards
    and the Weibull AFT model".

    >>> import pandas as pd, retentionkit as rk
    >>> df = pd.DataFrame({"t": [1, 1, 2, 3], "e": [1, 1, 1, 1], "x": [1.0, 0.0, 1.0, 0.0]})
    >>> fit = rk.cox_ph(df, "t", "e")
    >>> round(float(fit.summary.loc["x", "hazard_ratio"]), 9)  # hand calculation: exp(ln 2)
    2.0
    >>> fit.status
    'converged'
    """
    names = _covariates(df, covariates, [duration_col, event_col, weights_col, strata_col])
    weights = None if weights_col is None else _columns(df, [weights_col])[0]
    strata = labels = None
    if strata_col is not None:
        codes, labels = _input.ids(df[strata_col], str(strata_col))
        strata = np.ascontiguousarray(codes.astype(np.uint32))
    d = _rk.cox_ph(
        _durations(df[duration_col]),
        _observed(df[event_col]),
        _columns(df, names),
        weights,
        strata,
        ties,
        bool(robust),
        float(confidence_level),
        time_transform,
    )
    if d["warning"]:
        warnings.warn(d["warning"], RuntimeWarning, stacklevel=2)
    index = pd.Index(names, name="covariate")
    summary = pd.DataFrame({c: d[c] for c in _SUMMARY}, index=index)
    ph = pd.DataFrame({"statistic": d["ph_statistic"], "p_value": d["ph_p_value"]}, index=index)
    ph.attrs["time_transform"] = time_transform
    series = {}
    for stratum, times, cum in d["baselines"]:
        key = stratum if labels is None else labels[stratum]
        series[key] = pd.Series(np.exp(-np.asarray(cum)), index=pd.Index(times, name="time"))
    baseline = pd.DataFrame(series).sort_index().ffill().fillna(1.0)
    return CoxPH(
        summary=summary,
        log_likelihood=float(d["log_likelihood"]),
        null_log_likelihood=float(d["null_log_likelihood"]),
        concordance=None if d["concordance"] is None else float(d["concordance"]),
        likelihood_ratio_statistic=float(d["lr_statistic"]),
        likelihood_ratio_p_value=float(d["lr_p_value"]),
        proportional_hazards_test=ph,
        baseline_survival=baseline,
        means=pd.Series(d["means"], index=index, name="mean"),
        rows=int(d["rows"]),
        events=int(d["events"]),
        iterations=int(d["iterations"]),
        status=str(d["status"]),
    )


@dataclasses.dataclass(frozen=True)
class WeibullAFT:
    """A fitted Weibull AFT model: ``summary`` (per covariate and for the intercept on ln lambda and
    for ln rho: ``coef``, ``exp_coef``, ``se``, the Wald interval ``coef_lower``/``coef_upper`` at
    ``confidence_level``, ``z`` and the two-sided ``p_value``, as lifelines' ``summary``), the
    log-likelihood, the fit's status and ``concordance``, Harrell's C of the predicted median
    survival times (lifelines' ``concordance_index_``; None without a comparable pair)."""

    summary: pd.DataFrame
    log_likelihood: float
    iterations: int
    status: str
    concordance: Optional[float] = None


# The AFT summary's columns: the fields of the core's AftCoefficient, in its order.
_AFT_SUMMARY = ("coef", "exp_coef", "se", "coef_lower", "coef_upper", "z", "p_value")


def weibull_aft(
    df: Any,
    duration_col: str,
    event_col: str,
    *,
    covariates: Optional[Sequence[str]] = None,
    weights_col: Optional[str] = None,
    confidence_level: float = 0.95,
) -> WeibullAFT:
    """Fit the Weibull accelerated-failure-time model, as lifelines' ``WeibullAFTFitter``.

    S(t | x) = exp(-(t / lambda)^rho), ln lambda = intercept + x'coef, ln rho the same for everyone.
    The summary's intervals are at ``confidence_level``; formulas in docs/metrics.md, "Cox
    proportional hazards and the Weibull AFT model".

    >>> import pandas as pd, retentionkit as rk
    >>> df = pd.DataFrame({"t": [1.0, 2.0, 3.0, 4.0, 6.0], "e": [1] * 5, "x": [0.0, 1.0, 0.0, 1.0, 1.0]})
    >>> fit = rk.weibull_aft(df, "t", "e")
    >>> list(fit.summary.index)
    ['x', 'lambda_intercept', 'log_rho']
    >>> list(fit.summary.columns)
    ['coef', 'exp_coef', 'se', 'coef_lower', 'coef_upper', 'z', 'p_value']
    """
    names = _covariates(df, covariates, [duration_col, event_col, weights_col])
    weights = None if weights_col is None else _columns(df, [weights_col])[0]
    d = _rk.weibull_aft(
        _durations(df[duration_col]), _observed(df[event_col]), _columns(df, names), weights, float(confidence_level)
    )
    columns = {
        "coef": [*d["coef"], d["intercept"], d["log_rho"]],
        "se": [*d["se"], d["intercept_se"], d["log_rho_se"]],
    }
    for c in ("exp_coef", "coef_lower", "coef_upper", "z", "p_value"):
        columns[c] = list(d[c])
    summary = pd.DataFrame(
        {c: columns[c] for c in _AFT_SUMMARY},
        index=pd.Index([*names, "lambda_intercept", "log_rho"], name="parameter"),
    )
    concordance = None if d["concordance"] is None else float(d["concordance"])
    return WeibullAFT(summary, float(d["log_likelihood"]), int(d["iterations"]), str(d["status"]), concordance)
